/*-------------------------------------------------------------------------
 *
 * frontend_oracle.c
 *	  Everything the front end decides about a list of schema texts, in one
 *	  deterministic dump: the check that a change made for speed changed
 *	  nothing else.
 *
 *	  frontend_oracle < LIST > DUMP
 *
 * LIST names one file per line.  For each file and each dialect (auto,
 * ferriorm, prisma) the dump holds: the diagnostics of fm_check_schema
 * (severity, line, column, message) and whether its callback saw a model;
 * the diagnostics of fm_parse_schema and, when it returns a model, the
 * script of the plan that creates that model from an empty one; the
 * output and diagnostics of fm_format_schema_dialect.  Build it twice, from
 * the tree before and after a change, run both on the same list and
 * compare the dumps with cmp: bench/README.md ("Checking that output is
 * unchanged") says how the corpus is made.
 *   gcc -O1 -Isrc/core bench/frontend_oracle.c src/core/\*.c -o oracle
 *
 * bench/frontend_oracle.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fm_diff.h"
#include "fm_parse.h"

/* the bytes of file path (NUL-terminated, *len without it), or NULL */
static char *
read_file(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	long		n;
	char	   *buf;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
		(buf = malloc((size_t) n + 1)) == NULL)
	{
		fclose(f);
		return NULL;
	}
	rewind(f);
	if (fread(buf, 1, (size_t) n, f) != (size_t) n)
	{
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = (size_t) n;
	return buf;
}

/* one line per diagnostic, in list order */
static void
print_diags(const FmDiagList *diags)
{
	for (int i = 0; i < diags->items.n; i++)
	{
		const FmDiag *d = fm_list_get(&diags->items, i, FmDiag);

		printf("  %d %d:%d %s\n", (int) d->severity, d->pos.line, d->pos.col,
			   d->message);
	}
}

/* fm_check_schema's callback: records whether it was given a model */
static void
saw_model(FmModel *m, void *arg)
{
	*(int *) arg = m != NULL ? 1 : 2;
}

/* the dump of text in one dialect */
static void
dump_dialect(const char *text, size_t len, FmDialectKind dialect)
{
	FmArena    *a = fm_arena_create();
	FmDiagList	diags;
	FmModel    *m;
	char	   *formatted;
	int			seen = 0;

	printf("-- dialect %d check\n", (int) dialect);
	fm_diags_init(&diags, a);
	fm_check_schema(a, text, len, dialect, &diags, NULL, saw_model, &seen);
	printf("  model %d\n", seen);
	print_diags(&diags);

	printf("-- parse\n");
	fm_diags_init(&diags, a);
	m = fm_parse_schema(a, text, len, dialect, &diags);
	print_diags(&diags);
	if (m != NULL)
		printf("-- script\n%s\n",
			   fm_plan_to_script(a, fm_diff(a, fm_model_create(a), m,
											&fm_default_quoting)));

	printf("-- format\n");
	fm_diags_init(&diags, a);
	formatted = fm_format_schema_dialect(a, text, len, dialect, &diags);
	printf("%s\n", formatted ? formatted : "(none)");
	print_diags(&diags);
	fm_arena_destroy(a);
}

int
main(void)
{
	char		path[4096];

	while (fgets(path, sizeof(path), stdin) != NULL)
	{
		size_t		len = 0;
		char	   *text;

		path[strcspn(path, "\n")] = '\0';
		if ((text = read_file(path, &len)) == NULL)
		{
			printf("=== %s: unreadable\n", path);
			continue;
		}
		printf("=== %s\n", path);
		dump_dialect(text, len, FM_DIALECT_AUTO);
		dump_dialect(text, len, FM_DIALECT_FERRIORM);
		dump_dialect(text, len, FM_DIALECT_PRISMA);
		free(text);
	}
	return 0;
}
