/*-------------------------------------------------------------------------
 *
 * fuzz_parser.c
 *	  libFuzzer target for the schema-language front end.
 *
 * For any input: parsing must not crash, hang or leak; when the text has
 * no syntax errors, formatting it must give text that parses without
 * syntax errors and formats to itself (idempotence).  When the validator
 * is linked in (fm_parse_schema), the whole front end runs too.
 *
 * test/fuzz/fuzz_parser.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* resolved only when validate.c is part of the build */
extern FmModel *fm_parse_schema(FmArena *arena, const char *text, size_t len,
								FmDiagList *diags) __attribute__((weak));

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
	if (fm_parse_schema)
	{
		FmDiagList	diags3;

		fm_diags_init(&diags3, arena);
		(void) fm_parse_schema(arena, (const char *) data, size, &diags3);
	}
	fm_arena_destroy(arena);
	return 0;
}
