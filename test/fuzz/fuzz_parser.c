/*-------------------------------------------------------------------------
 *
 * fuzz_parser.c
 *	  libFuzzer target for the schema-language front end.
 *
 * For any input: parsing must not crash, hang or leak; when the text has
 * no syntax errors, formatting it must give text that parses without
 * syntax errors and formats to itself (idempotence).  The whole front end
 * runs too, and every valid model must round-trip through the diff: a
 * model diffs to nothing against itself, and creating it from nothing and
 * dropping it to nothing render without failing.  Print: every valid model
 * prints to text that validates and describes the same database (the diff
 * between the two models is empty).  The input is also SQL text for the
 * offline normalizer and a DateTime default for the RFC 3339 reader.
 *
 * test/fuzz/fuzz_parser.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_diff.h"
#include "fm_parse.h"
#include "fm_print.h"
#include "fm_preserve.h"
#include "fm_literal.h"
#include "fm_sqlnames.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* print(m) validates, and its model diffs to nothing against m */
static void
check_print(FmArena *arena, FmModel *m)
{
	FmPrintOptions o;
	FmDiagList	d;
	char	   *p;
	FmModel    *m2;
	FmPlan	   *plan;

	if (m->schemas.n == 0)
		fm_list_append(arena, &m->schemas, "public");
	fm_model_set_default_schema(m, fm_list_get(&m->schemas, 0, char));
	fm_model_sort(m);
	memset(&o, 0, sizeof(o));
	o.print_schemas = true;
	fm_diags_init(&d, arena);
	p = fm_print_schema(arena, m, &o, &d);
	if (p == NULL)
	{
		fprintf(stderr, "printed text does not validate:\n%s", fm_diags_to_text(arena, &d));
		abort();
	}
	m2 = fm_parse_schema(arena, p, strlen(p), FM_DIALECT_FERRIORM, &d);
	if (m2 == NULL)
		abort();
	fm_model_set_default_schema(m2, fm_list_get(&m->schemas, 0, char));
	fm_model_sort(m2);
	fm_model_keep_preserved(arena, m, m2);
	plan = fm_diff(arena, m, m2, &fm_default_quoting);
	if (plan->steps.n != 0)
	{
		fprintf(stderr, "printed text means another database:\n%s\n--- printed:\n%s",
				fm_plan_to_script(arena, plan), p);
		abort();
	}
}

/*
 * The input as SQL text and as a DateTime default: the offline normalizer
 * and the DEFAULT parenthesizing test take any text; an RFC 3339 reading
 * renders text that, without the space before its offset, reads again to
 * itself.
 */
static void
check_sql_text(FmArena *arena, const uint8_t *data, size_t size)
{
	char	   *text = fm_strndup(arena, (const char *) data, size);
	char		out[FM_RFC3339_OUT];
	char		again[FM_RFC3339_OUT];

	if (fm_normalize_expr(arena, text) == NULL)
		abort();
	(void) fm_sql_default_needs_parens(arena, text);
	if (fm_rfc3339_literal(text, out) == NULL)
	{
		/* Prisma's rendering puts a space before the offset; RFC 3339 none */
		char		rfc[FM_RFC3339_OUT];
		char	   *sp = strrchr(out, ' ');
		const char *why;

		memcpy(rfc, out, (size_t) (sp - out));
		strcpy(rfc + (sp - out), sp + 1);
		why = fm_rfc3339_literal(rfc, again);

		if (why != NULL || strcmp(out, again) != 0)
		{
			fprintf(stderr, "RFC 3339 rendering does not read back: \"%s\" -> \"%s\" -> %s\n",
					text, out, why ? why : again);
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FmArena    *arena = fm_arena_create();
	FmDiagList	diags;
	FmAstSchema *ast;

	check_sql_text(arena, data, size);
	fm_diags_init(&diags, arena);
	ast = fm_ast_parse(arena, (const char *) data, size, &diags);
	if (ast->nerrors == 0)
	{
		char	   *f1 = fm_ast_format(arena, ast);
		FmDiagList	diags2;
		FmAstSchema *ast2;
		char	   *f2;

		fm_diags_init(&diags2, arena);
		ast2 = fm_ast_parse(arena, f1, strlen(f1), &diags2);
		if (ast2->nerrors != 0)
		{
			fprintf(stderr, "formatted text has syntax errors:\n%s\n---\n%s",
					f1, fm_diags_to_text(arena, &diags2));
			abort();
		}
		f2 = fm_ast_format(arena, ast2);
		if (strcmp(f1, f2) != 0)
		{
			fprintf(stderr, "format is not idempotent:\n--- once:\n%s\n--- twice:\n%s\n",
					f1, f2);
			abort();
		}
	}
	else if (fm_format_schema(arena, (const char *) data, size, &diags) != NULL)
	{
		fprintf(stderr, "fm_format_schema formatted text with syntax errors\n");
		abort();
	}
	{
		FmDiagList	diags3;
		FmModel    *m;

		fm_diags_init(&diags3, arena);
		m = fm_parse_schema(arena, (const char *) data, size, FM_DIALECT_AUTO, &diags3);
		if (m != NULL)
		{
			FmPlan	   *same = fm_diff(arena, m, m, &fm_default_quoting);

			if (same->steps.n != 0)
			{
				fprintf(stderr, "a model diffs to %d steps against itself:\n%s",
						same->steps.n, fm_plan_to_script(arena, same));
				abort();
			}
			(void) fm_plan_to_script(arena, fm_diff(arena, NULL, m, &fm_default_quoting));
			(void) fm_plan_to_script(arena, fm_diff(arena, m, NULL, &fm_default_quoting));
			if (fm_ast_dialect(ast, FM_DIALECT_AUTO) == FM_DIALECT_FERRIORM)
				check_print(arena, m);
		}
	}
	fm_arena_destroy(arena);
	return 0;
}
