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

/* every nextval() call of an expression, inside larger ones too */
static void
test_nextval_sequences(void)
{
	FmList		refs = {0};

	FM_CHECK_INT(fm_nextval_sequences(A,
									  "lpad((nextval('inv_seq'::regclass))::text, 8, '0'::text) || "
									  "pg_catalog.nextval('app.\"B\"'::regclass)", &refs), 2);
	FM_CHECK_STR(fm_list_get(&refs, 0, FmSeqRef)->name, "inv_seq");
	FM_CHECK(fm_list_get(&refs, 0, FmSeqRef)->schema == NULL);
	FM_CHECK_STR(fm_list_get(&refs, 1, FmSeqRef)->schema, "app");
	FM_CHECK_STR(fm_list_get(&refs, 1, FmSeqRef)->name, "B");
	/* none in a string literal, a quoted identifier, or another function */
	refs.n = 0;
	FM_CHECK_INT(fm_nextval_sequences(A, "'nextval(''a''::regclass)'", &refs), 0);
	FM_CHECK_INT(fm_nextval_sequences(A, "\"nextval('a'::regclass)\"", &refs), 0);
	FM_CHECK_INT(fm_nextval_sequences(A, "my_nextval('a'::regclass)", &refs), 0);
	FM_CHECK_INT(fm_nextval_sequences(A, "other.nextval('a'::regclass)", &refs), 0);
	FM_CHECK_INT(fm_nextval_sequences(A, "(nextval('a'::regclass) + 1000)", &refs), 1);
	FM_CHECK_INT(fm_nextval_sequences(A, NULL, &refs), 0);
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

static const char *DS =
"datasource db {\n  provider = \"postgresql\"\n  url = env(\"U\")\n}\n";

static void
test_storage_and_identity(void)
{
	char	   *text = fm_psprintf(A, "%s"
		"model T {\n"
		"  id Int @id @default(autoincrement()) @identity(always: true, start: 1, increment: 1, maxValue: 10)\n"
		"  d  BigInt @default(autoincrement()) @identity(increment: -1, start: -1, minValue: -9223372036854775808)\n"
		"  s  String @collate(\"C\", schema: \"pg_catalog\")\n"
		"  @@unlogged\n"
		"  @@storage(fillfactor: 70, autovacuum_enabled: false)\n"
		"}\n", DS);
	FmModel    *m = parse(text, FM_DIALECT_FERRIORM);
	FmTable    *t = fm_list_get(&m->tables, 0, FmTable);
	FmColumn   *id = fm_table_find_column(t, "id");
	FmColumn   *d = fm_table_find_column(t, "d");
	FmColumn   *s = fm_table_find_column(t, "s");

	FM_CHECK(t->unlogged);
	FM_CHECK(!t->keep_unstated);
	FM_CHECK_INT(t->storage.n, 2);
	/* sorted by name */
	FM_CHECK_STR(fm_list_get(&t->storage, 0, FmOption)->name, "autovacuum_enabled");
	FM_CHECK_STR(fm_list_get(&t->storage, 1, FmOption)->value, "70");
	FM_CHECK_INT(id->autoinc, FM_AUTOINC_IDENTITY_ALWAYS);
	/* defaults normalized away: only maxValue is left */
	FM_CHECK(FM_COL_MORE(id)->identity->start == NULL && FM_COL_MORE(id)->identity->increment == NULL);
	FM_CHECK_STR(FM_COL_MORE(id)->identity->maxvalue, "10");
	FM_CHECK_STR(FM_COL_MORE(d)->identity->increment, "-1");
	FM_CHECK(FM_COL_MORE(d)->identity->start == NULL && FM_COL_MORE(d)->identity->minvalue == NULL);
	FM_CHECK_STR(FM_COL_MORE(s)->collation_schema, "pg_catalog");
	FM_CHECK_STR(FM_COL_MORE(s)->collation, "C");
}

static void
test_storage_identity_errors(void)
{
	FmDiagList	diags;
	char	   *text = fm_psprintf(A, "%s"
		"model T {\n"
		"  id Int @id @identity\n"
		"  n  Int @collate(\"C\")\n"
		"  @@storage(fillfactr: 70)\n"
		"}\n", DS);
	char	   *prisma = fm_psprintf(A, "generator c {\n  provider = \"prisma-client-js\"\n}\n%s"
		"model T {\n"
		"  id Int @id\n"
		"  @@unlogged\n"
		"}\n", DS);

	fm_diags_init(&diags, A);
	FM_CHECK(fm_parse_schema(A, text, strlen(text), FM_DIALECT_FERRIORM, &diags) == NULL);
	FM_CHECK_INT(diags.nerrors, 3);
	FM_CHECK(strstr(fm_diags_to_text(A, &diags), "needs @default(autoincrement())") != NULL);
	FM_CHECK(strstr(fm_diags_to_text(A, &diags), "did you mean") != NULL ||
			 strstr(fm_diags_to_text(A, &diags), "fillfactor") != NULL);
	fm_diags_init(&diags, A);
	FM_CHECK(fm_parse_schema(A, prisma, strlen(prisma), FM_DIALECT_AUTO, &diags) == NULL);
	FM_CHECK(strstr(fm_diags_to_text(A, &diags), "is ferriorm's") != NULL);
}

static char *
script(const FmModel *from, const FmModel *to)
{
	return fm_plan_to_script(A, fm_diff(A, from, to, NULL));
}

/* a live table "s.t" with a serial column id owning s.t_id_seq */
static FmModel *
live_serial(void)
{
	FmModel    *m = fm_model_create(A);
	FmTable    *t = fm_model_add_table(m, "s", "t");
	FmColumn   *c = fm_table_add_column(m, t, "id");

	c->type.sql = fm_strdup(A, "integer");
	c->notnull = true;
	c->autoinc = FM_AUTOINC_SERIAL;
	fm_column_more(A, c)->seq_schema = fm_strdup(A, "s");
	fm_column_more(A, c)->seq_name = fm_strdup(A, "t_id_seq");
	t->primary_key = fm_alloc(A, sizeof(FmKey));
	t->primary_key->name = fm_strdup(A, "t_pkey");
	fm_list_append(A, &t->primary_key->columns, c->name);
	return m;
}

static FmModel *
target(const char *body)
{
	FmModel    *m = parse(fm_psprintf(A, "%s%s", DS, body), FM_DIALECT_FERRIORM);

	fm_model_set_default_schema(m, "s");
	return m;
}

static void
test_diff_serial_disowned(void)
{
	/* the bug: no SET DEFAULT, one OWNED BY NONE */
	FM_CHECK_STR(script(live_serial(), target(
		"model T {\n  id Int @id @default(dbgenerated(\"nextval('s.t_id_seq'::regclass)\"))\n"
		"  @@map(\"t\")\n}\n")),
				 "-- AlterSequence\n"
				 "ALTER SEQUENCE \"s\".\"t_id_seq\" OWNED BY NONE;\n");
	/* an unqualified name is the same sequence */
	FM_CHECK(strstr(script(live_serial(), target(
		"model T {\n  id Int @id @default(dbgenerated(\"nextval('t_id_seq'::regclass)\"))\n"
		"  @@map(\"t\")\n}\n")), "SET DEFAULT") == NULL);
	/* another sequence: created, and the default set */
	FM_CHECK_STR(script(live_serial(), target(
		"model T {\n  id Int @id @default(dbgenerated(\"nextval('s.other'::regclass)\"))\n"
		"  @@map(\"t\")\n}\n")),
				 "-- CreateSequence\n"
				 "CREATE SEQUENCE \"s\".\"other\";\n\n"
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"id\" SET DEFAULT nextval('s.other'::regclass);\n");
}

static void
test_diff_sequence_order(void)
{
	FmModel    *to = target(
		"model T {\n  id Int @id @default(dbgenerated(\"nextval('s.n'::regclass)\"))\n"
		"  @@map(\"t\")\n}\n");
	char	   *up = script(NULL, to);
	char	   *down = script(to, NULL);

	/* created before the table, dropped after it */
	FM_CHECK(strstr(up, "CREATE SEQUENCE") != NULL &&
			 strstr(up, "CREATE SEQUENCE") < strstr(up, "CREATE TABLE"));
	FM_CHECK(strstr(down, "DROP SEQUENCE") != NULL &&
			 strstr(down, "DROP SEQUENCE") > strstr(down, "DROP TABLE"));
}

static void
test_diff_storage(void)
{
	FmModel    *a = target("model T {\n  id Int @id\n  @@unlogged\n"
						   "  @@storage(fillfactor: 70, autovacuum_enabled: false)\n  @@map(\"t\")\n}\n");
	FmModel    *b = target("model T {\n  id Int @id\n"
						   "  @@storage(fillfactor: 70.0, autovacuum_analyze_threshold: 5)\n  @@map(\"t\")\n}\n");
	FmStep	   *s;
	FmPlan	   *p = fm_diff(A, a, b, NULL);

	FM_CHECK_INT(p->steps.n, 3);
	s = fm_list_get(&p->steps, 0, FmStep);
	FM_CHECK_STR(s->ddl, "ALTER TABLE \"s\".\"t\" SET LOGGED;");
	FM_CHECK_INT(s->hazard, FM_HAZARD_REWRITE_TABLE);
	/* 70 == 70.0: only the new parameter is set */
	FM_CHECK_STR(fm_list_get(&p->steps, 1, FmStep)->ddl,
				 "ALTER TABLE \"s\".\"t\" SET (\"autovacuum_analyze_threshold\" = 5);");
	FM_CHECK_STR(fm_list_get(&p->steps, 2, FmStep)->ddl,
				 "ALTER TABLE \"s\".\"t\" RESET (\"autovacuum_enabled\");");
	/* keep_unstated (the prisma dialect): nothing changes */
	fm_list_get(&b->tables, 0, FmTable)->keep_unstated = true;
	FM_CHECK_INT(fm_diff(A, a, b, NULL)->steps.n, 0);
}

static void
test_diff_identity(void)
{
	FmModel    *a = target("model T {\n  id Int @id @default(autoincrement())\n  @@map(\"t\")\n}\n");
	FmModel    *b = target("model T {\n  id Int @id @default(autoincrement()) @identity(always: true, increment: 2)\n  @@map(\"t\")\n}\n");
	FmModel    *serial = live_serial();

	/* unstated: the live kind is kept */
	FM_CHECK_INT(fm_diff(A, serial, a, NULL)->steps.n, 0);
	FM_CHECK_STR(script(a, b),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"id\" SET GENERATED ALWAYS;\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"id\" SET INCREMENT BY 2 SET NO MINVALUE SET NO MAXVALUE SET START WITH 1 SET NO CYCLE;\n");
	FM_CHECK_INT(fm_diff(A, b, b, NULL)->steps.n, 0);
	/* serial -> identity: five steps, the sequence's position kept */
	FM_CHECK_INT(fm_diff(A, serial, b, NULL)->steps.n, 5);
	FM_CHECK(strstr(script(serial, b), "setval") != NULL);
}

/*
 * A generation changed re-creates the column; its index, unique key, CHECK
 * and comment are dropped before it and created again after it (bug: they
 * were lost until the next plan).  An index on another column stays.
 */
static void
test_diff_regenerated(void)
{
	const char *fmt =
		"datasource db {\n  provider = \"postgresql\"\n  url = env(\"U\")\n  schemas = [\"s\"]\n}\n"
		"model T {\n  id Int @id\n  a Int\n  /// c\n  g Int @generated(\"%s\")\n"
		"  @@unique([id, g])\n  @@index([g])\n  @@index([a])\n  @@index([id], where: \"g > 0\")\n"
		"  @@check(\"g >= 0\")\n  @@map(\"t\")\n  @@schema(\"s\")\n}\n";
	FmModel    *x = parse(fm_psprintf(A, fmt, "a * 2"), FM_DIALECT_FERRIORM);
	FmModel    *y = parse(fm_psprintf(A, fmt, "a * 3"), FM_DIALECT_FERRIORM);
	char	   *sc;

	if (x == NULL || y == NULL)
		return;
	FM_CHECK_INT(fm_diff(A, x, x, NULL)->steps.n, 0);
	sc = script(x, y);
	FM_CHECK(strstr(sc, "DROP INDEX \"s\".\"t_g_idx\";") != NULL);
	FM_CHECK(strstr(sc, "CREATE INDEX \"t_g_idx\"") != NULL);
	FM_CHECK(strstr(sc, "DROP CONSTRAINT \"t_id_g_key\";") != NULL);
	FM_CHECK(strstr(sc, "ADD CONSTRAINT \"t_id_g_key\" UNIQUE") != NULL);
	FM_CHECK(strstr(sc, "DROP CONSTRAINT \"t_g_check\";") != NULL);
	FM_CHECK(strstr(sc, "ADD CONSTRAINT \"t_g_check\"") != NULL);
	FM_CHECK(strstr(sc, "DROP INDEX \"s\".\"t_id_idx\";") != NULL);	/* its predicate */
	FM_CHECK(strstr(sc, "COMMENT ON COLUMN \"s\".\"t\".\"g\" IS 'c';") != NULL);
	FM_CHECK(strstr(sc, "t_a_idx") == NULL);
	/* the drops come before the column is dropped, the creations after */
	FM_CHECK(strstr(sc, "DROP INDEX \"s\".\"t_g_idx\";") < strstr(sc, "DROP COLUMN \"g\";"));
	FM_CHECK(strstr(sc, "DROP COLUMN \"g\";") < strstr(sc, "CREATE INDEX \"t_g_idx\""));
	if (getenv("FM_SHOW"))
		printf("%s", sc);
}

/*
 * @@exclude: validated, named as PostgreSQL would, created with its table,
 * unchanged when the same, dropped and added again when changed, dropped
 * when removed; a qualified pg_catalog operator is the unqualified one;
 * names are quoted, an operator of another schema is OPERATOR(s.op).
 */
static void
test_diff_exclusion(void)
{
	const char *fmt =
		"datasource db {\n  provider = \"postgresql\"\n  url = env(\"U\")\n  schemas = [\"s\"]\n}\n"
		"model T {\n  id Int @id\n  r Unsupported(\"int4range\") @map(\"R r\")\n  %s\n"
		"  @@map(\"t\")\n  @@schema(\"s\")\n}\n";
	FmModel    *none = parse(fm_psprintf(A, fmt, ""), FM_DIALECT_FERRIORM);
	FmModel    *a = parse(fm_psprintf(A, fmt, "@@exclude([r(op: \"&&\")], where: \"id > 0\")"),
						  FM_DIALECT_FERRIORM);
	FmModel    *a2 = parse(fm_psprintf(A, fmt, "@@exclude([r(op: \"pg_catalog.&&\")], where: \"id > 0\")"),
						   FM_DIALECT_FERRIORM);
	FmModel    *b = parse(fm_psprintf(A, fmt, "@@exclude([r(op: \"x.&&\")], type: SpGist)"),
						  FM_DIALECT_FERRIORM);
	FmTable    *t;
	char	   *sc;

	if (none == NULL || a == NULL || a2 == NULL || b == NULL)
		return;
	t = fm_list_get(&a->tables, 0, FmTable);
	FM_CHECK_INT(t->exclusions.n, 1);
	FM_CHECK_STR(fm_list_get(&t->exclusions, 0, FmExclusion)->name, "t_R r_excl");
	sc = script(NULL, a);
	FM_CHECK(strstr(sc, "ALTER TABLE \"s\".\"t\" ADD CONSTRAINT \"t_R r_excl\" EXCLUDE USING gist (\"R r\" WITH &&) WHERE (id > 0);") != NULL);
	FM_CHECK_INT(fm_diff(A, a, a2, NULL)->steps.n, 0);
	sc = script(a, b);
	FM_CHECK(strstr(sc, "DROP CONSTRAINT \"t_R r_excl\";") != NULL);
	FM_CHECK(strstr(sc, "EXCLUDE USING spgist (\"R r\" WITH OPERATOR(\"x\".&&));") != NULL);
	FM_CHECK(strstr(script(b, none), "DROP CONSTRAINT \"t_R r_excl\";") != NULL);
	FM_CHECK_INT(fm_diff(A, none, a, NULL)->steps.n, 1);
	/* the prisma dialect cannot state it; its plans keep the live one */
	{
		FmModel    *p = parse("datasource db {\n  provider = \"postgresql\"\n  url = env(\"U\")\n  schemas = [\"s\"]\n}\n"
							  "generator c {\n  provider = \"prisma-client-js\"\n}\n"
							  "model t {\n  id Int @id\n  r Unsupported(\"int4range\") @map(\"R r\")\n  @@schema(\"s\")\n}\n",
							  FM_DIALECT_AUTO);

		if (p != NULL)
			FM_CHECK_INT(fm_diff(A, a, p, NULL)->steps.n, 0);
	}
}

FM_TEST_MAIN_ARENA(A,
	FM_TEST(test_nextval_sequence),
			 FM_TEST(test_nextval_sequences),
	FM_TEST(test_derive_sequences),
	FM_TEST(test_serial_sequence_not_standalone),
	FM_TEST(test_storage_and_identity),
	FM_TEST(test_storage_identity_errors),
	FM_TEST(test_diff_serial_disowned),
	FM_TEST(test_diff_sequence_order),
	FM_TEST(test_diff_storage),
	FM_TEST(test_diff_identity),
	FM_TEST(test_diff_regenerated),
	FM_TEST(test_diff_exclusion))
