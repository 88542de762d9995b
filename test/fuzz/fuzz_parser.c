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
 * dropping it to nothing render without failing.
 *
 * test/fuzz/fuzz_parser.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_diff.h"
#include "fm_parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FmArena    *arena = fm_arena_create();
	FmDiagList	diags;
	FmAstSchema *ast;

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
		}
	}
	fm_arena_destroy(arena);
	return 0;
}
