/*-------------------------------------------------------------------------
 *
 * test_roundtrip.c
 *	  Regression tests for the disagreements test/scripts/roundtrip.sh found
 *	  between the model built from schema text and the one built from the
 *	  live catalog (or between the offline diff and the live plan).
 *
 * Each test reproduces one bug in the portable core from schema text;
 * test_from_text covers the path from text to script end to end.
 *
 * test/unit/test_roundtrip.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_diff.h"
#include "fm_parse.h"
#include "fm_test.h"

/* one arena for the whole run, created on first use (reachable to the end) */
static FmArena *
arena(void)
{
	static FmArena *a;

	if (a == NULL)
		a = fm_arena_create();
	return a;
}
#define A arena()

#define DS "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"

static FmModel *
parse(const char *text)
{
	FmDiagList	d;
	FmModel    *m;

	fm_diags_init(&d, A);
	m = fm_parse_schema(A, text, strlen(text), FM_DIALECT_AUTO, &d);
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

/* position of needle in hay, or -1 */
static long
pos(const char *hay, const char *needle)
{
	const char *p = hay ? strstr(hay, needle) : NULL;

	return p ? (long) (p - hay) : -1;
}

/*
 * A dropped table's key or index whose name the target gives to another
 * relation must be dropped before that name is used: tables are dropped
 * last, after keys are created and renamed.
 */
static void
test_dropped_table_frees_names_first(void)
{
	/* a_b holds "a_b_c_key", so a's key is numbered; renaming a_b frees it */
	const char *v1 = DS "model AB {\n  id Int @id\n  c Int @unique\n  @@map(\"a_b\")\n}\n"
		"model A {\n  id Int @id\n  bC Int @unique\n  @@map(\"a\")\n}\n";
	const char *v2 = DS "model AB {\n  id Int @id\n  c Int @unique\n  @@map(\"x_b\")\n}\n"
		"model A {\n  id Int @id\n  bC Int @unique\n  @@map(\"a\")\n}\n";
	/* a table renamed by @@map keeps its explicitly named key and index */
	const char *v3 = DS "model T {\n  id Int @id(map: \"t_pk\")\n  x Int @unique(map: \"t_x\")\n"
		"  @@index([x], map: \"t_ix\")\n  @@map(\"old\")\n}\n";
	const char *v4 = DS "model T {\n  id Int @id(map: \"t_pk\")\n  x Int @unique(map: \"t_x\")\n"
		"  @@index([x], map: \"t_ix\")\n  @@map(\"new\")\n}\n";
	char	   *s = script(v1, v2);
	long		drop = pos(s, "ALTER TABLE \"a_b\" DROP CONSTRAINT \"a_b_c_key\";");
	long		ren = pos(s, "ALTER TABLE \"a\" RENAME CONSTRAINT \"a_b_c_key1\" TO \"a_b_c_key\";");

	FM_CHECK(drop >= 0 && ren > drop);
	FM_CHECK(pos(s, "DROP TABLE \"a_b\";") > ren);
	/* nothing reused, nothing dropped early */
	FM_CHECK(pos(s, "DROP CONSTRAINT \"a_b_pkey\"") < 0);

	/* back: a's key gives its name to the new table's key before it exists */
	s = script(v2, v1);
	ren = pos(s, "ALTER TABLE \"a\" RENAME CONSTRAINT \"a_b_c_key\" TO \"a_b_c_key1\";");
	FM_CHECK(ren >= 0 && ren < pos(s, "CREATE TABLE \"a_b\""));

	s = script(v3, v4);
	FM_CHECK(pos(s, "ALTER TABLE \"old\" DROP CONSTRAINT \"t_pk\";") >= 0);
	FM_CHECK(pos(s, "ALTER TABLE \"old\" DROP CONSTRAINT \"t_x\";") >= 0);
	FM_CHECK(pos(s, "DROP INDEX \"t_ix\";") >= 0);
	FM_CHECK(pos(s, "DROP INDEX \"t_ix\";") < pos(s, "CREATE TABLE \"new\""));
	FM_CHECK(pos(s, "DROP CONSTRAINT \"t_pk\";") < pos(s, "CREATE TABLE \"new\""));
	FM_CHECK(pos(s, "CREATE TABLE \"new\"") < pos(s, "DROP TABLE \"old\";"));
}

/*
 * A CHECK with an IN list on a varchar column is stored as
 * (ARRAY['a'::varchar])::text[]; after ALTER COLUMN ... TYPE, PostgreSQL
 * re-parses it into ARRAY[('a'::varchar)::text]: both mean the IN list.
 */
static void
test_in_list_after_type_change(void)
{
	const char *written = "code IN ('a', 'b', 'C''3')";
	const char *stored = "((code)::text = ANY ((ARRAY['a'::character varying, "
		"'b'::character varying, 'C''3'::character varying])::text[]))";
	const char *restored = "((code)::text = ANY (ARRAY[('a'::character varying)::text, "
		"('b'::character varying)::text, ('C''3'::character varying)::text]))";
	const char *not_in = "((code)::text <> ALL ((ARRAY['x'::character varying])::text[]))";
	const char *not_in2 = "((code)::text <> ALL (ARRAY[('x'::character varying)::text]))";
	char	   *w = fm_normalize_expr(A, written);

	FM_CHECK_STR(fm_normalize_expr(A, stored), w);
	FM_CHECK_STR(fm_normalize_expr(A, restored), w);
	FM_CHECK_STR(fm_normalize_expr(A, not_in), fm_normalize_expr(A, not_in2));
	FM_CHECK_STR(fm_normalize_expr(A, "x = ANY (ARRAY[1, -2]::integer[])"),
				 fm_normalize_expr(A, "x IN (1, -2)"));
	/* an array with a non-literal element keeps its cast */
	FM_CHECK(strcmp(fm_normalize_expr(A, "x = ANY (ARRAY[y, 1]::text[])"),
					fm_normalize_expr(A, "x = ANY (ARRAY[y, 1])")) != 0);
}

/*
 * A column moved to another enum type (the enum's @@map changed) or from
 * text to an enum: CHECKs and partial indexes that mention it are dropped
 * before ALTER COLUMN ... TYPE and created again after, as for an enum
 * recreated in place: their stored literals have the old type.
 */
static void
test_enum_renamed_checks_recreated(void)
{
	const char *v1 = DS "enum Status {\n  Draft\n  Live\n  @@map(\"Status\")\n}\n"
		"model Page {\n  id Int @id\n  status Status\n  prev Status?\n  note String\n"
		"  @@index([status], where: \"status <> 'live'\")\n"
		"  @@check(\"prev IS NULL OR prev <> status\", map: \"changes\")\n"
		"  @@check(\"note <> 'x'\", map: \"note_x\")\n}\n";
	const char *v2 = DS "enum Status {\n  Draft\n  Live\n  @@map(\"new_status\")\n}\n"
		"model Page {\n  id Int @id\n  status Status\n  prev Status?\n  note String\n"
		"  @@index([status], where: \"status <> 'live'\")\n"
		"  @@check(\"prev IS NULL OR prev <> status\", map: \"changes\")\n"
		"  @@check(\"note <> 'x'\", map: \"note_x\")\n}\n";
	char	   *s = script(v1, v2);
	long		alter = pos(s, "ALTER COLUMN \"prev\" TYPE");

	FM_CHECK(alter >= 0);
	FM_CHECK(pos(s, "DROP CONSTRAINT \"changes\";") >= 0 &&
			 pos(s, "DROP CONSTRAINT \"changes\";") < alter);
	FM_CHECK(pos(s, "ADD CONSTRAINT \"changes\"") > alter);
	FM_CHECK(pos(s, "DROP INDEX \"pages_status_idx\";") >= 0 &&
			 pos(s, "DROP INDEX \"pages_status_idx\";") < alter);
	FM_CHECK(pos(s, "CREATE INDEX \"pages_status_idx\"") > alter);
	/* a CHECK on a column that keeps its type is left alone */
	FM_CHECK(pos(s, "note_x") < 0);
	/* nothing changes type: nothing is dropped */
	FM_CHECK_STR(script(v1, v1), "");
}

/*
 * The whole path from schema text: two versions of a small schema parsed,
 * diffed and rendered, and the first one created from nothing.
 */
static void
test_from_text(void)
{
	const char *v1 = DS
		"enum Role {\n  user @map(\"USER\")\n  admin @map(\"ADMIN\")\n}\n"
		"model User {\n"
		"  id    Int    @id @default(autoincrement())\n"
		"  email String @unique\n"
		"  role  Role   @default(user)\n"
		"  since DateTime @default(now()) @db.Timestamp(3)\n"
		"  posts Post[]\n"
		"}\n"
		"model Post {\n"
		"  id       Int    @id @default(autoincrement())\n"
		"  title    String @db.VarChar(200)\n"
		"  price    Decimal @default(0) @db.Decimal(10, 2)\n"
		"  authorId Int\n"
		"  author   User   @relation(fields: [authorId], references: [id])\n"
		"  @@index([title], where: \"price > 0\")\n"
		"  @@check(\"price >= 0\", map: \"price_ok\")\n"
		"}\n";
	const char *v2 = DS
		"enum Role {\n  user @map(\"USER\")\n  mod @map(\"MOD\")\n  admin @map(\"ADMIN\")\n}\n"
		"model User {\n"
		"  id    Int    @id @default(autoincrement())\n"
		"  email String @unique\n"
		"  name  String?\n"
		"  role  Role   @default(user)\n"
		"  posts Post[]\n"
		"}\n"
		"model Post {\n"
		"  id       Int    @id @default(autoincrement())\n"
		"  title    String\n"
		"  price    Decimal @default(0) @db.Decimal(10, 2)\n"
		"  authorId Int\n"
		"  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)\n"
		"  @@index([title], where: \"price > 0\")\n"
		"  @@check(\"price >= 0\", map: \"price_ok\")\n"
		"}\n";
	FmModel    *a = parse(v1);
	FmModel    *b = parse(v2);

	if (a == NULL || b == NULL)
		return;
	/* the same text twice: nothing to do */
	FM_CHECK_INT(fm_diff(A, a, parse(v1), NULL)->steps.n, 0);
	FM_CHECK_INT(fm_diff(A, b, parse(v2), NULL)->steps.n, 0);
	FM_CHECK_STR(script(v1, v2),
				 "-- DropForeignKey\n"
				 "ALTER TABLE \"posts\" DROP CONSTRAINT \"posts_author_id_fkey\";\n"
				 "\n"
				 "-- AlterEnum\n"
				 "ALTER TYPE \"role\" ADD VALUE 'MOD' AFTER 'USER';\n"
				 "\n"
				 "-- AlterTable\n"
				 "-- HAZARD alter_type: changing the type of column \"title\" of table \"posts\" to text rewrites the table and fails if a value cannot be converted.\n"
				 "ALTER TABLE \"posts\" ALTER COLUMN \"title\" TYPE text;\n"
				 "ALTER TABLE \"users\" ADD COLUMN \"name\" text;\n"
				 "\n"
				 "-- AddForeignKey\n"
				 "-- HAZARD add_foreign_key: fails if rows of table \"posts\" reference missing rows; locks both tables while validating.\n"
				 "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_author_id_fkey\" FOREIGN KEY (\"author_id\") REFERENCES \"users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE;\n"
				 "\n"
				 "-- AlterTable\n"
				 "-- HAZARD drop_column: dropping column \"since\" of table \"users\" deletes its values.\n"
				 "ALTER TABLE \"users\" DROP COLUMN \"since\";\n");
	/* from nothing: everything, FKs after the tables */
	{
		char	   *s = fm_plan_to_script(A, fm_diff(A, NULL, a, NULL));

		FM_CHECK(strstr(s, "CREATE TYPE \"role\" AS ENUM ('USER', 'ADMIN');") != NULL);
		FM_CHECK(strstr(s, "CONSTRAINT \"price_ok\" CHECK (price >= 0)") != NULL);
		FM_CHECK(strstr(s, "WHERE price > 0;") != NULL);
		FM_CHECK(strstr(s, "-- CreateTable") < strstr(s, "-- AddForeignKey"));
	}
}

FM_TEST_MAIN(FM_TEST(test_recreated_enum_keeps_comment),
			 FM_TEST(test_dropped_table_frees_names_first),
			 FM_TEST(test_in_list_after_type_change),
			 FM_TEST(test_enum_renamed_checks_recreated),
			 FM_TEST(test_from_text))
