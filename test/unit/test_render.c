/*-------------------------------------------------------------------------
 *
 * test_render.c
 *	  Unit tests of DDL rendering: default quoting, custom quoting hooks,
 *	  script grouping and hazard comments, hazard names, and the offline
 *	  normalization of types and expressions.
 *
 * test/unit/test_render.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>

#include "fm_diff.h"
#include "fm_test.h"

static FmArena *A;

static void
test_default_quoting(void)
{
	const FmQuoting *q = &fm_default_quoting;

	FM_CHECK_STR(q->quote_ident("users", q->arg), "\"users\"");
	FM_CHECK_STR(q->quote_ident("a\"b", q->arg), "\"a\"\"b\"");
	FM_CHECK_STR(q->quote_ident("", q->arg), "\"\"");
	FM_CHECK_STR(q->quote_ident("Ünï cödé", q->arg), "\"Ünï cödé\"");
	FM_CHECK_STR(q->quote_literal("it's", q->arg), "'it''s'");
	FM_CHECK_STR(q->quote_literal("a\\b", q->arg), "E'a\\\\b'");
	FM_CHECK_STR(q->quote_literal("", q->arg), "''");
	FM_CHECK(q->cast_is_implicit == NULL);
}

static void
test_hazard_names(void)
{
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_NONE), "none");
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_DROP_TABLE), "drop_table");
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_DROP_COLUMN), "drop_column");
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_SET_NOT_NULL), "set_not_null");
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_ADD_UNIQUE), "add_unique");
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_ALTER_TYPE), "alter_type");
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_ADD_REQUIRED_COLUMN), "add_required_column");
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_DROP_ENUM_VALUE), "drop_enum_value");
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_DROP_ENUM), "drop_enum");
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_ADD_CHECK), "add_check");
	FM_CHECK_STR(fm_hazard_name(FM_HAZARD_ADD_FOREIGN_KEY), "add_foreign_key");
}

static FmStep *
mkstep(const char *action, const char *ddl)
{
	FmStep	   *s = fm_alloc(A, sizeof(FmStep));

	s->action = action;
	s->ddl = fm_strdup(A, ddl);
	s->object = "x";
	return s;
}

static void
test_script(void)
{
	FmPlan	   *p = fm_alloc(A, sizeof(FmPlan));
	FmStep	   *s;

	FM_CHECK_STR(fm_plan_to_script(A, p), "");
	FM_CHECK_STR(fm_plan_to_script(A, NULL), "");
	fm_list_append(A, &p->steps, mkstep("CreateTable", "CREATE TABLE a ();"));
	fm_list_append(A, &p->steps, mkstep("CreateTable", "CREATE TABLE b ();"));
	s = mkstep("AlterTable", "ALTER TABLE a DROP COLUMN c;");
	s->hazard = FM_HAZARD_DROP_COLUMN;
	s->hazard_detail = "12 non-null values would be lost.\nThink twice.";
	fm_list_append(A, &p->steps, s);
	s = mkstep("AlterTable", "ALTER TABLE a ALTER COLUMN d SET NOT NULL;");
	s->hazard = FM_HAZARD_SET_NOT_NULL;
	s->hazard_schema = "public";
	s->hazard_table = "a";
	s->hazard_column = "d";
	fm_list_append(A, &p->steps, s);
	fm_list_append(A, &p->steps, mkstep("CreateTable", "CREATE TABLE c ();"));
	FM_CHECK_STR(fm_plan_to_script(A, p),
				 "-- CreateTable\n"
				 "CREATE TABLE a ();\n"
				 "CREATE TABLE b ();\n"
				 "\n"
				 "-- AlterTable\n"
				 "-- HAZARD drop_column: 12 non-null values would be lost.\n"
				 "-- Think twice.\n"
				 "ALTER TABLE a DROP COLUMN c;\n"
				 "-- HAZARD set_not_null: fails if column \"d\" of table \"public\".\"a\" contains NULL values.\n"
				 "ALTER TABLE a ALTER COLUMN d SET NOT NULL;\n"
				 "\n"
				 "-- CreateTable\n"
				 "CREATE TABLE c ();\n");
}

/* a backend-like quoting: quote only when needed, count calls */
static int	ident_calls,
			literal_calls;

static const char *
my_ident(const char *s, void *arg)
{
	bool		plain = (*s >= 'a' && *s <= 'z') || *s == '_';

	ident_calls++;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			plain = false;
	if (plain)
		return s;
	return fm_psprintf((FmArena *) arg, "\"%s\"", s);
}

static char *
my_literal(const char *s, void *arg)
{
	literal_calls++;
	return fm_psprintf((FmArena *) arg, "'%s'", s);
}

static void
test_custom_quoting(void)
{
	FmModel    *m = fm_model_create(A);
	FmTable    *t = fm_model_add_table(m, "public", "Users");
	FmColumn   *c = fm_table_add_column(m, t, "id");
	FmQuoting	q = {my_ident, my_literal, NULL, A, NULL, NULL};
	FmEnum	   *e = fm_model_add_enum(m, "public", "kind");
	FmEnumValue *v = fm_alloc(A, sizeof(FmEnumValue));

	v->name = "a";
	fm_list_append(A, &e->values, v);
	c->type.sql = "integer";
	c->notnull = true;
	t->comment = "c";
	FM_CHECK_STR(fm_plan_to_script(A, fm_diff(A, NULL, m, &q)),
				 "-- CreateSchema\n"
				 "CREATE SCHEMA IF NOT EXISTS public;\n"
				 "\n"
				 "-- CreateEnum\n"
				 "CREATE TYPE public.kind AS ENUM ('a');\n"
				 "\n"
				 "-- CreateTable\n"
				 "CREATE TABLE public.\"Users\" (\n"
				 "    id integer NOT NULL\n"
				 ");\n"
				 "\n"
				 "-- Comment\n"
				 "COMMENT ON TABLE public.\"Users\" IS 'c';\n");
	FM_CHECK(ident_calls >= 6);
	FM_CHECK_INT(literal_calls, 2);
}

/*
 * unqualified_schema: the objects of that schema are rendered unqualified,
 * except names pg_catalog could take first (a type of pg_catalog, its
 * array types "_int4" among them, "pg_"); a Prisma join table
 * "_CategoryToPost" is not one; other schemas stay qualified
 */
static void
test_unqualified_schema(void)
{
	FmModel    *from = fm_model_create(A);
	FmModel    *m = fm_model_create(A);
	FmTable    *t = fm_model_add_table(m, "public", "users");
	FmTable    *t2 = fm_model_add_table(m, "public", "pg_x");
	FmTable    *t3 = fm_model_add_table(m, "audit", "log");
	FmTable    *t4 = fm_model_add_table(m, "public", "_CategoryToPost");
	FmTable    *t5 = fm_model_add_table(m, "public", "_int4");
	FmColumn   *c = fm_table_add_column(m, t, "k");
	FmColumn   *c2 = fm_table_add_column(m, t, "j");
	FmColumn   *c3 = fm_table_add_column(m, t2, "id");
	FmColumn   *c4 = fm_table_add_column(m, t3, "id");
	FmColumn   *c5 = fm_table_add_column(m, t4, "A");
	FmColumn   *c6 = fm_table_add_column(m, t5, "id");
	FmEnum	   *e = fm_model_add_enum(m, "public", "kind");
	FmEnum	   *e2 = fm_model_add_enum(m, "public", "json");
	FmEnumValue *v = fm_alloc(A, sizeof(FmEnumValue));
	FmQuoting	q = fm_default_quoting;

	fm_list_append(A, &from->schemas, "public");
	fm_list_append(A, &from->schemas, "audit");
	fm_list_append(A, &m->schemas, "public");
	fm_list_append(A, &m->schemas, "audit");
	v->name = "a";
	fm_list_append(A, &e->values, v);
	fm_list_append(A, &e2->values, v);
	c->type.kind = FM_TYPE_ENUM;
	c->type.enum_schema = "public";
	c->type.enum_name = "kind";
	c2->type.kind = FM_TYPE_ENUM;
	c2->type.enum_schema = "public";
	c2->type.enum_name = "json";
	c3->type.sql = "integer";
	c4->type.sql = "integer";
	c5->type.sql = "integer";
	c6->type.sql = "integer";
	q.unqualified_schema = "public";
	FM_CHECK_STR(fm_plan_to_script(A, fm_diff(A, from, m, &q)),
				 "-- CreateEnum\n"
				 "CREATE TYPE \"public\".\"json\" AS ENUM ('a');\n"
				 "CREATE TYPE \"kind\" AS ENUM ('a');\n"
				 "\n"
				 "-- CreateTable\n"
				 "CREATE TABLE \"audit\".\"log\" (\n"
				 "    \"id\" integer\n"
				 ");\n"
				 "CREATE TABLE \"_CategoryToPost\" (\n"
				 "    \"A\" integer\n"
				 ");\n"
				 "CREATE TABLE \"public\".\"_int4\" (\n"
				 "    \"id\" integer\n"
				 ");\n"
				 "CREATE TABLE \"public\".\"pg_x\" (\n"
				 "    \"id\" integer\n"
				 ");\n"
				 "CREATE TABLE \"users\" (\n"
				 "    \"k\" \"kind\",\n"
				 "    \"j\" \"public\".\"json\"\n"
				 ");\n");
}

static void
type_eq(const char *a, const char *b)
{
	char	   *na = fm_normalize_type(A, a);
	char	   *nb = fm_normalize_type(A, b);

	if (na && nb && strcmp(na, nb) == 0)
		fm_test_passed++;
	else
	{
		fm_test_failed++;
		fprintf(stderr, "FAIL %s: types \"%s\" -> \"%s\" and \"%s\" -> \"%s\" differ\n",
				fm_test_current, a, na, b, nb);
	}
}

static void
test_normalize_type(void)
{
	FM_CHECK_STR(fm_normalize_type(A, NULL), NULL);
	type_eq("int4", "integer");
	type_eq("INT", "integer");
	type_eq("serial", "integer");
	type_eq("int8", "bigint");
	type_eq("int2", "smallint");
	type_eq("float8", "double precision");
	type_eq("double   precision", "double precision");
	type_eq("float4", "real");
	type_eq("float(10)", "real");
	type_eq("float(30)", "double precision");
	type_eq("bool", "boolean");
	type_eq("varchar(255)", "character varying(255)");
	type_eq("VARCHAR", "character varying");
	type_eq("char(3)", "character(3)");
	type_eq("char", "character(1)");
	type_eq("decimal(10, 2)", "numeric(10,2)");
	type_eq("numeric(10)", "numeric(10,0)");
	type_eq("timestamp(3)", "timestamp(3) without time zone");
	type_eq("timestamp", "timestamp without time zone");
	type_eq("timestamptz", "timestamp with time zone");
	type_eq("timestamptz(6)", "timestamp(6) with time zone");
	type_eq("TIMESTAMP (3) WITH TIME ZONE", "timestamp(3) with time zone");
	type_eq("time(2)", "time(2) without time zone");
	type_eq("timetz", "time with time zone");
	type_eq("varbit(4)", "bit varying(4)");
	type_eq("bit", "bit(1)");
	type_eq("int4[]", "integer[]");
	type_eq("integer ARRAY", "integer[]");
	type_eq("text[][]", "text[]");
	type_eq("int[3]", "integer[]");
	type_eq("pg_catalog.int4", "integer");
	type_eq("\"int4\"", "integer");
	type_eq("jsonb", "JSONB");
	type_eq("\"MyType\"", "\"MyType\"");
	FM_CHECK_STR(fm_normalize_type(A, "timestamp(3)"), "timestamp(3) without time zone");
	FM_CHECK_STR(fm_normalize_type(A, "\"MyType\""), "\"MyType\"");
	FM_CHECK(strcmp(fm_normalize_type(A, "varchar(10)"),
					fm_normalize_type(A, "varchar(20)")) != 0);
	FM_CHECK(strcmp(fm_normalize_type(A, "timestamp"),
					fm_normalize_type(A, "timestamptz")) != 0);
	FM_CHECK(strcmp(fm_normalize_type(A, "\"MyType\""),
					fm_normalize_type(A, "mytype")) != 0);
}

/*
 * Foreign key type pairs (key, referencing), as a PostgreSQL 15 server
 * accepts or refuses them in ALTER TABLE ... ADD FOREIGN KEY.
 */
static void
test_fk_types_compatible(void)
{
	static const char *const ok[][2] = {
		{"text", "character varying(100)"}, {"varchar(30)", "text"},
		{"character(5)", "varchar(3)"}, {"varchar", "citext"}, {"text", "citext"},
		{"smallint", "integer"}, {"bigint", "int2"}, {"integer", "bigint"},
		{"numeric(5,2)", "integer"}, {"numeric(5,2)", "numeric(65,30)"},
		{"double precision", "numeric"}, {"real", "float8"}, {"oid", "integer"},
		{"date", "timestamp(3)"}, {"timestamptz", "date"},
		{"timestamp(3) without time zone", "timestamp(6) with time zone"},
		{"timetz", "time"}, {"bit(3)", "varbit"}, {"varbit", "bit(5)"},
		{"uuid", "uuid"}, {"varchar(10)[]", "character varying(20)[]"},
	};
	static const char *const refused[][2] = {
		{"uuid", "text"}, {"text", "uuid"}, {"citext", "text"},
		{"integer", "numeric"}, {"integer", "real"}, {"smallint", "oid"},
		{"time", "timestamp"}, {"time", "timetz"}, {"text", "integer"},
		{"inet", "text"}, {"text[]", "varchar[]"}, {"integer[]", "integer"},
		{"jsonb", "json"}, {"boolean", "integer"},
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		FM_CHECK(fm_fk_types_compatible(A, ok[i][0], ok[i][1]));
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		FM_CHECK(!fm_fk_types_compatible(A, refused[i][0], refused[i][1]));
	FM_CHECK(!fm_fk_types_compatible(A, NULL, "text"));
}

static void
expr_eq(const char *a, const char *b)
{
	char	   *na = fm_normalize_expr(A, a);
	char	   *nb = fm_normalize_expr(A, b);

	if (na && nb && strcmp(na, nb) == 0)
		fm_test_passed++;
	else
	{
		fm_test_failed++;
		fprintf(stderr, "FAIL %s: exprs \"%s\" -> \"%s\" and \"%s\" -> \"%s\" differ\n",
				fm_test_current, a, na, b, nb);
	}
}

static void
expr_ne(const char *a, const char *b)
{
	char	   *na = fm_normalize_expr(A, a);
	char	   *nb = fm_normalize_expr(A, b);

	if (na && nb && strcmp(na, nb) != 0)
		fm_test_passed++;
	else
	{
		fm_test_failed++;
		fprintf(stderr, "FAIL %s: exprs \"%s\" and \"%s\" both -> \"%s\"\n",
				fm_test_current, a, b, na);
	}
}

static void
test_normalize_expr(void)
{
	FM_CHECK_STR(fm_normalize_expr(A, NULL), NULL);
	/* defaults */
	expr_eq("'x'::text", "'x'");
	expr_eq("'x'::character varying", "'x'");
	expr_eq("(0)::numeric", "0");
	expr_eq("'-1'::integer", "-1");
	expr_eq("(-1)", "-1");
	expr_eq("'5'::bigint", "5");
	expr_eq("CURRENT_TIMESTAMP", "now()");
	expr_eq("transaction_timestamp()", "now()");
	expr_eq("NOW()", "now()");
	/* an unquoted name of non-ASCII letters is kept as written, and printed quoted */
	expr_eq("price * \xc3\xa4", "(price * \"\xc3\xa4\")");
	expr_eq("\xc3\x84 > 0", "(\"\xc3\x84\" > 0)");
	expr_ne("\xc3\x84 > 0", "(\"\xc3\xa4\" > 0)");
	expr_eq("Price > 0", "price > 0");
	/* a -- comment ends at a carriage return, as in PostgreSQL's scanner */
	expr_eq("1 -- one\r+ 2", "1 + 2");
	expr_ne("1 -- one\r+ 2", "1");
	expr_eq("'USER'::\"Role\"", "'USER'");
	expr_eq("'USER'::public.role", "'USER'");
	expr_eq("'{}'::text[]", "'{}'");
	expr_eq("'2020-01-01 00:00:00'::timestamp without time zone",
			"'2020-01-01 00:00:00'");
	expr_eq("(gen_random_uuid())::text", "gen_random_uuid()::text");
	expr_eq("TRUE", "true");
	expr_eq("E'a''b'", "'a''b'");
	expr_eq("CAST(1 AS integer)", "1");
	expr_eq("interval '1 day'", "'1 day'::interval");
	/* checks */
	expr_eq("((price >= (0)::numeric))", "price >= 0");
	expr_eq("((a > 0) AND (b > 0))", "a > 0 and b > 0");
	expr_eq("(((a > 0) AND (b > 0)) OR (c IS NULL))", "a > 0 AND b > 0 OR c IS NULL");
	expr_eq("((name)::text <> ''::text)", "name <> ''");
	expr_eq("(length(name) > 3)", "length(NAME) > 3");
	expr_eq("(status = ANY (ARRAY['a'::text, 'b'::text]))", "status IN ('a', 'b')");
	expr_eq("(status <> ALL (ARRAY['a'::text, 'b'::text]))", "status NOT IN ('a','b')");
	expr_eq("(status = 'a'::text)", "status IN ('a')");
	expr_eq("((x >= 1) AND (x <= 10))", "x BETWEEN 1 AND 10");
	expr_eq("(name ~~ 'a%'::text)", "name LIKE 'a%'");
	expr_eq("(name !~~* 'a%'::text)", "name NOT ILIKE 'a%'");
	expr_eq("(a <> b)", "a != b");
	expr_eq("(x IS NOT NULL)", "x NOTNULL");
	expr_eq("(NOT (a AND b))", "not (a and b)");
	expr_eq("((a + (b * c)) > 0)", "a + b * c > 0");
	expr_eq("\"price\" > 0", "price > 0");
	expr_eq("  price\n  >\t0  ", "price > 0");
	expr_eq("(CASE WHEN (a > 0) THEN 'x'::text ELSE 'y'::text END = 'x'::text)",
			"case when a > 0 then 'x' else 'y' end = 'x'");
	expr_eq("(lower((email)::text))", "lower(email)");
	/* differences that matter */
	expr_ne("price > 0", "price >= 0");
	expr_ne("(a + b) * c", "a + b * c");
	expr_ne("a - (b - c)", "a - b - c");
	expr_ne("'X'", "'x'");
	expr_ne("\"Price\" > 0", "price > 0");
	expr_ne("a > 0 AND b > 0 OR c", "a > 0 AND (b > 0 OR c)");
	expr_ne("'a b'", "'a  b'");
	/*
	 * the SQL syntax of EXTRACT, SUBSTRING, POSITION, TRIM and OVERLAY, as
	 * written and as PostgreSQL 15 deparses it (and the plain calls it
	 * stands for): parsed, so that a change around them compares by
	 * meaning, not token by token
	 */
	expr_eq("(EXTRACT(year FROM d) > (1)::numeric)", "extract(YEAR from d) > 1");
	expr_eq("(EXTRACT(\"Year\" FROM d) > (1)::numeric)", "extract('Year' from d) > 1");
	expr_eq("((((EXTRACT(epoch FROM x))::integer <> q) AND ((EXTRACT(epoch FROM x))::integer <> abs(3))) AND (q >= 0))",
			"(((EXTRACT(epoch FROM x))::integer <> q) AND ((EXTRACT(epoch FROM x))::integer <> abs(3)) AND (q >= 0))");
	expr_ne("extract(year from d) > 1", "extract(month from d) > 1");
	expr_ne("extract(year from d) > 1", "date_part('year', d) > 1");
	expr_eq("(SUBSTRING(a FROM 2 FOR 3) = 'x'::text)", "substring(a from 2 for 3) = 'x'");
	expr_eq("(SUBSTRING(a FROM 1 FOR 3) = 'x'::text)", "substring(a for 3) = 'x'");
	expr_eq("(SUBSTRING(a FROM 2) = 'x'::text)", "substring(a, 2) = 'x'");
	expr_ne("substring(a from 2) = 'x'", "substring(a from 3) = 'x'");
	expr_eq("(POSITION(('b'::text) IN (a)) > 0)", "position('b' in a) > 0");
	expr_eq("(POSITION(((a || 'x'::text)) IN ((a || 'y'::text))) > 0)",
			"position(a || 'x' in a || 'y') > 0");
	expr_ne("position('b' in a) > 0", "position(a in 'b') > 0");
	expr_eq("(TRIM(BOTH ' '::text FROM a) <> ''::text)", "trim(both ' ' from a) <> ''");
	expr_eq("(TRIM(BOTH FROM a) <> ''::text)", "trim(a) <> ''");
	expr_eq("(TRIM(LEADING 'x'::text FROM a) <> ''::text)", "trim(leading 'x' from a) <> ''");
	expr_eq("(TRIM(TRAILING FROM a) <> ''::text)", "trim(trailing from a) <> ''");
	expr_ne("trim(leading from a)", "trim(trailing from a)");
	expr_eq("(OVERLAY(a PLACING 'x'::text FROM 2 FOR 1) <> ''::text)",
			"overlay(a placing 'x' from 2 for 1) <> ''");
	expr_eq("(OVERLAY(a PLACING 'x'::text FROM 2) <> ''::text)",
			"overlay(a placing 'x' from 2) <> ''");
	/* unparseable text still normalizes token by token */
	expr_eq("(EXISTS (SELECT 1   FROM t))", "exists (select 1 from t)");
	expr_ne("exists (select 1 from t)", "exists (select 2 from t)");
}

static void
test_normalize_robust(void)
{
	/* never crash or hang on odd input */
	static const char *const inputs[] = {
		"", "(", ")", "((((", "'unterminated", "\"unterminated", "::", "a::",
		"1e", "$1 + $2", "a[1:2]", "x[", "/* c", "-- c", "e'\\", "\x01\x02",
		"a IS", "a BETWEEN 1", "a IN (", "cast(", "case when", "f(*)", "-",
		"not", "a.b.c.d", "ARRAY[", "1 +", "a collate \"C\"",
		"ts at time zone 'UTC'", "x is distinct from y", NULL
	};
	char		deep[3000];

	for (int i = 0; inputs[i]; i++)
	{
		FM_CHECK(fm_normalize_expr(A, inputs[i]) != NULL);
		FM_CHECK(fm_normalize_type(A, inputs[i]) != NULL);
	}
	memset(deep, '(', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	FM_CHECK(fm_normalize_expr(A, deep) != NULL);
	for (size_t i = 0; i < sizeof(deep) - 1; i++)
		deep[i] = i % 2 ? '-' : '1';
	FM_CHECK(fm_normalize_expr(A, deep) != NULL);
	for (size_t i = 0; i < sizeof(deep) - 1; i++)
		deep[i] = "not "[i % 4];
	FM_CHECK(fm_normalize_expr(A, deep) != NULL);
	/* a megabyte-long operator chain stays linear (token-by-token) */
	{
		size_t		n = 1 << 20;
		char	   *big = fm_alloc(A, n + 1);

		for (size_t i = 0; i < n; i++)
			big[i] = i % 2 ? '+' : 'a';
		big[n - 1] = 'a';
		FM_CHECK(fm_normalize_expr(A, big) != NULL);
		FM_CHECK(fm_normalize_expr(A, big)[0] == 'a');
	}
}

FM_TEST_MAIN_ARENA(A,
	FM_TEST(test_default_quoting),
	FM_TEST(test_hazard_names),
	FM_TEST(test_script),
	FM_TEST(test_custom_quoting),
	FM_TEST(test_unqualified_schema),
	FM_TEST(test_normalize_type),
	FM_TEST(test_fk_types_compatible),
	FM_TEST(test_normalize_expr),
	FM_TEST(test_normalize_robust))
