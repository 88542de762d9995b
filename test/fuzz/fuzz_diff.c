/*-------------------------------------------------------------------------
 *
 * fuzz_diff.c
 *	  libFuzzer target for the back end of the core: two schema texts are
 *	  parsed, diffed both ways and rendered to scripts (fm_plan_to_script).
 *
 * The input is two schema texts separated by the first byte 0x1e (record
 * separator); without one, the second text is the first with its last
 * line dropped.  For any input: nothing crashes, hangs or leaks (ASan,
 * UBSan); and for every pair that validates:
 *	 - diff(a, a) and diff(b, b) are empty;
 *	 - every statement of diff(a, b), diff(b, a) and of creating and
 *	   dropping each model is one self-contained statement: it ends in its
 *	   only ";", and its text without that ";" passes
 *	   fm_sql_fragment_problem() (every string, quoted name and comment
 *	   terminated, parentheses balanced, no other ";", whatever
 *	   standard_conforming_strings is), so every rendered identifier and
 *	   literal is balanced-quoted;
 *	 - every line of a script is either a "-- " comment or part of a
 *	   statement (no line of a hazard text escapes its comment).
 *
 * test/fuzz/fuzz_diff.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_diff.h"
#include "fm_parse.h"
#include "fm_sqlnames.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
die(FmArena *a, const char *what, const FmPlan *plan, const char *detail)
{
	fprintf(stderr, "%s%s%s\n--- script:\n%s\n", what, detail ? ": " : "",
			detail ? detail : "", fm_plan_to_script(a, plan));
	abort();
}

/* the invariants of one rendered plan */
static void
check_plan(FmArena *a, const FmPlan *plan)
{
	char	   *script = fm_plan_to_script(a, plan);
	size_t		ddl_bytes = 0;

	for (int i = 0; i < plan->steps.n; i++)
	{
		const FmStep *s = fm_list_get(&plan->steps, i, FmStep);
		size_t		n = s->ddl ? strlen(s->ddl) : 0;
		const char *bad;
		char	   *body;

		if (n == 0 || s->ddl[n - 1] != ';')
			die(a, "a statement does not end in ';'", plan, s->ddl);
		body = fm_strndup(a, s->ddl, n - 1);
		bad = fm_sql_fragment_problem(a, body);
		if (bad)
			die(a, "a statement is not self-contained", plan,
				fm_psprintf(a, "%s in %s", bad, s->ddl));
		ddl_bytes += n;
	}
	/* outside the statements, only comment lines and blank lines */
	for (const char *p = script; *p;)
	{
		const char *eol = strchr(p, '\n');
		size_t		len = eol ? (size_t) (eol - p) : strlen(p);
		bool		in_ddl = false;

		for (int i = 0; i < plan->steps.n && !in_ddl; i++)
		{
			const char *d = fm_list_get(&plan->steps, i, FmStep)->ddl;
			const char *hit = strstr(d, fm_strndup(a, p, len));

			in_ddl = len > 0 && hit != NULL;
		}
		if (len > 0 && !in_ddl && strncmp(p, "-- ", 3) != 0)
			die(a, "a script line is neither a comment nor a statement", plan,
				fm_strndup(a, p, len));
		p = eol ? eol + 1 : p + len;
	}
	(void) ddl_bytes;
}

static FmModel *
parse(FmArena *a, const char *text, size_t len)
{
	FmDiagList	d;

	fm_diags_init(&d, a);
	return fm_parse_schema(a, text, len, FM_DIALECT_AUTO, &d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FmArena    *arena = fm_arena_create();
	const char *text = (const char *) data;
	const char *sep = memchr(text, 0x1e, size);
	size_t		alen = sep ? (size_t) (sep - text) : size;
	const char *btext = sep ? sep + 1 : text;
	size_t		blen = sep ? size - alen - 1 : size;
	FmModel    *ma;
	FmModel    *mb;

	if (!sep)
	{
		/* the first text without its last line */
		while (blen > 0 && btext[blen - 1] == '\n')
			blen--;
		while (blen > 0 && btext[blen - 1] != '\n')
			blen--;
	}
	ma = parse(arena, text, alen);
	mb = parse(arena, btext, blen);
	for (int i = 0; i < 2; i++)
	{
		FmModel    *m = i == 0 ? ma : mb;
		FmPlan	   *same;

		if (m == NULL)
			continue;
		same = fm_diff(arena, m, m, NULL);
		if (same->steps.n != 0)
			die(arena, "a model diffs to steps against itself", same, NULL);
		check_plan(arena, fm_diff(arena, NULL, m, NULL));
		check_plan(arena, fm_diff(arena, m, fm_model_create(arena), NULL));
	}
	if (ma != NULL && mb != NULL)
	{
		check_plan(arena, fm_diff(arena, ma, mb, NULL));
		check_plan(arena, fm_diff(arena, mb, ma, NULL));
	}
	fm_arena_destroy(arena);
	return 0;
}
