/*-------------------------------------------------------------------------
 *
 * test_roundtrip.c
 *	  Regression tests for the disagreements test/scripts/roundtrip.sh found
 *	  between the model built from schema text and the one built from the
 *	  live catalog (or between the offline diff and the live plan).
 *
 * Each test reproduces one bug in the portable core from schema text.
 *
 * test/unit/test_roundtrip.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_diff.h"
#include "fm_parse.h"
#include "fm_test.h"

static FmArena *A;

#define DS "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"

static FmModel *
parse(const char *text)
{
	FmDiagList	d;
	FmModel    *m;

	fm_diags_init(&d, A);
	m = fm_parse_schema(A, text, strlen(text), &d);
	if (m == NULL)
		fprintf(stderr, "%s", fm_diags_to_text(A, &d));
	FM_CHECK(m != NULL);
	return m;
}

static char *
script(const char *from, const char *to)
{
	FmModel    *a = parse(from);
	FmModel    *b = parse(to);

	if (a == NULL || b == NULL)
		return NULL;
	return fm_plan_to_script(A, fm_diff(A, a, b, NULL));
}

/*
 * An enum recreated to remove (or reorder) values is a new type: its
 * comment must be set again even though the comment did not change.
 */
static void
test_recreated_enum_keeps_comment(void)
{
	const char *v1 = DS "/// What a user may do.\nenum Role {\n  A\n  B\n}\n"
		"model T {\n  id Int @id\n  r Role\n}\n";
	const char *v2 = DS "/// What a user may do.\nenum Role {\n  A\n}\n"
		"model T {\n  id Int @id\n  r Role\n}\n";
	char	   *s = script(v1, v2);

	FM_CHECK(s != NULL && strstr(s, "CREATE TYPE \"role\" AS ENUM ('a');") != NULL);
	FM_CHECK(s != NULL && strstr(s, "COMMENT ON TYPE \"role\" IS 'What a user may do.';") != NULL);
	/* adding a value keeps the type: no comment step */
	s = script(v2, v1);
	FM_CHECK(s != NULL && strstr(s, "ADD VALUE 'b'") != NULL);
	FM_CHECK(s != NULL && strstr(s, "COMMENT") == NULL);
}

int
main(void)
{
	static const FmTestCase cases[] = {
		FM_TEST(test_recreated_enum_keeps_comment),
	};

	A = fm_arena_create();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		fm_test_current = cases[i].name;
		cases[i].fn();
	}
	fm_arena_destroy(A);
	printf("%d passed, %d failed\n", fm_test_passed, fm_test_failed);
	return fm_test_failed ? 1 : 0;
}
