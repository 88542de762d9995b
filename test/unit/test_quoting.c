/*-------------------------------------------------------------------------
 *
 * test_quoting.c
 *	  Unit tests of the quoting discipline of rendering: the one quoting
 *	  routine (fm_quote_text), qualified names split into parts
 *	  (fm_split_qualified_name) and rendered part by part, SQL fragments
 *	  kept inside their clause (fm_sql_fragment_problem), CHECKs naming
 *	  unknown columns, shapes PostgreSQL stores differently (WHERE true, a
 *	  unique key equal to the primary key), and enums a built-in type would
 *	  shadow.
 *
 * test/unit/test_quoting.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_diff.h"
#include "fm_parse.h"
#include "fm_sqlnames.h"
#include "fm_test.h"

static FmArena *A;

static const char *DS =
"datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n";

/* schema text (after the datasource) -> diagnostics text, or "" */
static char *
diags_of(const char *body)
{
	FmDiagList	d;
	char	   *text = fm_psprintf(A, "%s%s", DS, body);

	fm_diags_init(&d, A);
	(void) fm_parse_schema(A, text, strlen(text), FM_DIALECT_AUTO, &d);
	return fm_diags_to_text(A, &d);
}

/* schema text (after the datasource) -> the script from nothing, or NULL */
static char *
script_of(const char *body)
{
	FmDiagList	d;
	char	   *text = fm_psprintf(A, "%s%s", DS, body);
	FmModel    *m;

	fm_diags_init(&d, A);
	m = fm_parse_schema(A, text, strlen(text), FM_DIALECT_AUTO, &d);
	if (m == NULL)
		return NULL;
	return fm_plan_to_script(A, fm_diff(A, NULL, m, NULL));
}

static void
test_quote_text(void)
{
	const char *cases[][3] = {
		/* input, as literal, as identifier */
		{"", "''", "\"\""},
		{"plain", "'plain'", "\"plain\""},
		{"it's", "'it''s'", "\"it's\""},
		{"a\"b", "'a\"b'", "\"a\"\"b\""},
		{"a\\b", "E'a\\\\b'", "\"a\\b\""},
		{"\\'", "E'\\\\'''", "\"\\'\""},
		{"x'; DROP TABLE t; --", "'x''; DROP TABLE t; --'", "\"x'; DROP TABLE t; --\""},
		{"\\\\\\", "E'\\\\\\\\\\\\'", "\"\\\\\\\""},
		{"$$;/* */--\n", "'$$;/* */--\n'", "\"$$;/* */--\n\""},
		{"\"; DROP TABLE t; --", "'\"; DROP TABLE t; --'", "\"\"\"; DROP TABLE t; --\""},
		{"Ünï", "'Ünï'", "\"Ünï\""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char		buf[128];
		size_t		n = fm_quote_text(NULL, cases[i][0], '\'');

		FM_CHECK_INT(fm_quote_text(buf, cases[i][0], '\''), n);
		FM_CHECK_INT(strlen(buf), n);
		FM_CHECK_STR(buf, cases[i][1]);
		FM_CHECK_STR(fm_sql_string(A, cases[i][0]), cases[i][1]);
		n = fm_quote_text(NULL, cases[i][0], '"');
		FM_CHECK_INT(fm_quote_text(buf, cases[i][0], '"'), n);
		FM_CHECK_STR(buf, cases[i][2]);
	}
	/* the default hooks and the core's own rendering agree */
	FM_CHECK_STR(fm_default_quoting.quote_literal("a\\'b", NULL), "E'a\\\\''b'");
	FM_CHECK_STR(fm_default_quoting.quote_ident("a\"\"b", NULL), "\"a\"\"\"\"b\"");
}

static void
check_split(const char *text, int max, int nparts, const char *p0, const char *p1)
{
	FmList		parts = {0};
	const char *err = fm_split_qualified_name(A, text, max, &parts);

	if (nparts == 0)
	{
		FM_CHECK(err != NULL);
		FM_CHECK_INT(parts.n, 0);
		return;
	}
	FM_CHECK_STR(err, NULL);
	FM_CHECK_INT(parts.n, nparts);
	if (parts.n >= 1)
		FM_CHECK_STR(fm_list_get(&parts, 0, char), p0);
	if (parts.n >= 2)
		FM_CHECK_STR(fm_list_get(&parts, 1, char), p1);
}

static void
test_split_qualified_name(void)
{
	check_split("text_pattern_ops", 2, 1, "text_pattern_ops", NULL);
	check_split("Text_Pattern_Ops", 2, 1, "text_pattern_ops", NULL);
	check_split("pg_catalog.text_pattern_ops", 2, 2, "pg_catalog", "text_pattern_ops");
	check_split(" pg_catalog . jsonb_path_ops ", 2, 2, "pg_catalog", "jsonb_path_ops");
	check_split("\"My Ops\"", 2, 1, "My Ops", NULL);
	check_split("s.\"a.b\"", 2, 2, "s", "a.b");
	check_split("\"a\"\"b\".\"c\"", 2, 2, "a\"b", "c");
	check_split("\"x\"; DROP TABLE y; --", 2, 0, NULL, NULL);
	check_split("\"x\" DESC", 2, 0, NULL, NULL);
	check_split("a.b.c", 2, 0, NULL, NULL);
	check_split("a.b", 1, 0, NULL, NULL);
	check_split("", 2, 0, NULL, NULL);
	check_split("\"\"", 2, 0, NULL, NULL);
	check_split("a.", 2, 0, NULL, NULL);
	check_split(".a", 2, 0, NULL, NULL);
	check_split("\"unterminated", 2, 0, NULL, NULL);
	check_split("1abc", 2, 0, NULL, NULL);
	check_split("a b", 2, 0, NULL, NULL);
	check_split("a\\b", 2, 0, NULL, NULL);
	check_split("'x'", 2, 0, NULL, NULL);
	check_split("a/* c */", 2, 0, NULL, NULL);
	check_split("a--c", 2, 0, NULL, NULL);
	check_split("\"0123456789012345678901234567890123456789012345678901234567890123\"",
				2, 0, NULL, NULL);
	check_split("\"012345678901234567890123456789012345678901234567890123456789012\"",
				2, 1, "012345678901234567890123456789012345678901234567890123456789012", NULL);
}

static void
test_opclass_rendered_by_parts(void)
{
	const char *model =
		"model T {\n  id Int @id\n  s String\n  @@index([s(ops: raw(\"%s\"))])\n}\n";
	const char *ok[][2] = {
		{"text_pattern_ops", " (\"s\" \"text_pattern_ops\")"},
		{"pg_catalog.text_pattern_ops", " (\"s\" \"pg_catalog\".\"text_pattern_ops\")"},
		{"\\\"My Ops\\\"", " (\"s\" \"My Ops\")"},
		{"\\\"s\\\".\\\"a.b\\\"", " (\"s\" \"s\".\"a.b\")"},
		{"\\\"a\\\"\\\"b\\\"", " (\"s\" \"a\"\"b\")"},
	};
	const char *bad[] = {
		"\\\"x\\\"; DROP TABLE t; --",
		"\\\"x\\\" DESC",
		"x); DROP TABLE t; --",
		"a.b.c",
		"\\\"x",
		"",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
	{
		char	   *s = script_of(fm_psprintf(A, model, ok[i][0]));

		FM_CHECK(s != NULL);
		FM_CHECK(s && strstr(s, ok[i][1]) != NULL);
		if (s && strstr(s, ok[i][1]) == NULL)
			fprintf(stderr, "%s\n", s);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		char	   *d = diags_of(fm_psprintf(A, model, bad[i]));

		FM_CHECK(strstr(d, "is not a name") != NULL);
		FM_CHECK(script_of(fm_psprintf(A, model, bad[i])) == NULL);
	}
}

static void
test_default_literals(void)
{
	char	   *s = script_of("model T {\n  id Int @id\n"
							  "  a String @default(\"x\\\\'; DROP TABLE t; --\")\n"
							  "  b String @default(\"it's\")\n}\n");

	FM_CHECK(s != NULL);
	FM_CHECK(s && strstr(s, "DEFAULT E'x\\\\''; DROP TABLE t; --'") != NULL);
	FM_CHECK(s && strstr(s, "DEFAULT 'it''s'") != NULL);
}

/*
 * A column's DEFAULT takes PostgreSQL's restricted expression: an
 * expression with a word of the full grammar outside parentheses is
 * parenthesized (else a syntax error, or COLLATE read as the column's
 * collation); every other default reads as written.
 */
static void
test_default_parens(void)
{
	const char *wrap[] = {
		"NOT false", "true AND false", "a OR b", "'a' LIKE 'a%'",
		"'a' NOT ILIKE 'A%'", "1 IN (1, 2)", "1 BETWEEN 0 AND 2",
		"NULL IS NULL", "x ISNULL", "'a' COLLATE \"C\"",
		"now() AT TIME ZONE 'utc'", "1 = ANY (ARRAY[1])",
		"'a' SIMILAR TO 'b'", "CASE WHEN true THEN 1 END IS NULL",
	};
	const char *keep[] = {
		"now()", "(NOT false)", "1 + 2 * 3", "- 1", "'a' || 'b'",
		"gen_random_uuid()::text", "now()::timestamp(0) with time zone",
		"CASE WHEN x IS NULL THEN 1 ELSE 2 END", "coalesce(a AND b, c)",
		"ARRAY[1 IN (1), true]", "'not' || 'and'", "\"and\"()",
		"/* AND */ 1", "1 -- OR\n", "1 = 2",
	};

	for (size_t i = 0; i < sizeof(wrap) / sizeof(wrap[0]); i++)
	{
		FM_CHECK(fm_sql_default_needs_parens(A, wrap[i]));
		if (!fm_sql_default_needs_parens(A, wrap[i]))
			fprintf(stderr, "  not wrapped: %s\n", wrap[i]);
	}
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
	{
		FM_CHECK(!fm_sql_default_needs_parens(A, keep[i]));
		if (fm_sql_default_needs_parens(A, keep[i]))
			fprintf(stderr, "  wrapped: %s\n", keep[i]);
	}
	FM_CHECK(!fm_sql_default_needs_parens(A, NULL));
	FM_CHECK(!fm_sql_default_needs_parens(A, "'unterminated AND"));

	/* where the DDL says it: a new table, and a column added to one */
	{
		char	   *s = script_of("model T {\n  id Int @id\n"
								  "  a Boolean @default(dbgenerated(\"NOT false\"))\n"
								  "  b String @default(dbgenerated(\"'x' COLLATE \\\"C\\\"\"))\n"
								  "  c DateTime @default(dbgenerated(\"now()\"))\n}\n");

		FM_CHECK(s && strstr(s, "DEFAULT (NOT false)") != NULL);
		FM_CHECK(s && strstr(s, "DEFAULT ('x' COLLATE \"C\")") != NULL);
		FM_CHECK(s && strstr(s, "DEFAULT now()") != NULL);
		if (s && strstr(s, "DEFAULT (NOT false)") == NULL)
			fprintf(stderr, "%s\n", s);
	}
}

static void
test_fragments(void)
{
	const char *ok[] = {
		"price > 0", "(a)", "email ~ '^[^@]+@[^@]+\\.[a-z]+$'", "x <> ';'",
		"x = $$;)$$", "x = $t$ ' $t$", "/* ; ( */ x > 0", "x > 0 -- c\n",
		"\"a;b\" > 0", "a[1] > 0", "x = E'\\''", "f(a, (b))",
		"x > 0 -- c\r\n",
	};
	const char *bad[] = {
		"x > 0); DROP TABLE t; --", "x > 0; DROP TABLE t", "x > 0 -- c",
		"(x > 0", "x > 0)", "'unterminated", "\"unterminated", "/* open",
		"/* /* nested */ still open", "$$ open", "x = '\\' ) ; DROP TABLE t; --'",
		"a]", "x = 'a\\'; DROP TABLE t; --'",
		/* a carriage return ends a -- comment for PostgreSQL's scanner */
		"1 --\r); DROP TABLE t; CREATE TABLE x (id int\n",
		"x > 0 --\r; DROP TABLE t; --\n",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
	{
		const char *p = fm_sql_fragment_problem(A, ok[i]);

		FM_CHECK_STR(p, NULL);
		if (p)
			fprintf(stderr, "  for %s\n", ok[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		FM_CHECK(fm_sql_fragment_problem(A, bad[i]) != NULL);
		if (fm_sql_fragment_problem(A, bad[i]) == NULL)
			fprintf(stderr, "  accepted %s\n", bad[i]);
	}
	/* every position that takes SQL text refuses it */
	FM_CHECK(strstr(diags_of("model T {\n  id Int @id @default(dbgenerated(\"1); DROP TABLE t; --\"))\n}\n"),
					"cannot be used") != NULL);
	FM_CHECK(strstr(diags_of("model T {\n  id Int @id\n  @@check(\"id > 0); DROP TABLE t; --\")\n}\n"),
					"cannot be used") != NULL);
	FM_CHECK(strstr(diags_of("model T {\n  id Int @id\n  @@index([id], where: \"id > 0; DROP TABLE t\")\n}\n"),
					"cannot be used") != NULL);
	FM_CHECK(strstr(diags_of("model T {\n  id Int @id\n  x Unsupported(\"int); DROP TABLE t; --\")\n}\n"),
					"cannot be used") != NULL);
	/* @default(now): a function without its parentheses, said so */
	FM_CHECK(strstr(diags_of("model T {\n  id Int @id\n  at DateTime @default(now)\n}\n"),
					"is a function without its parentheses; write now()") != NULL);
	/* one item of ALTER TABLE: no comma outside parentheses and strings */
	FM_CHECK_STR(fm_sql_item_problem(A, "numeric(10, 2)[]"), NULL);
	FM_CHECK_STR(fm_sql_item_problem(A, "coalesce(a, ARRAY[1, 2], '{,}', \",\")"), NULL);
	FM_CHECK(fm_sql_item_problem(A, "1, DROP COLUMN s") != NULL);
	FM_CHECK(fm_sql_item_problem(A, "integer, DROP COLUMN s") != NULL);
	FM_CHECK(fm_sql_item_problem(A, "x > 0); DROP TABLE t; --") != NULL);
	FM_CHECK_STR(fm_sql_fragment_problem(A, "1, 2"), NULL);
	/* a partition bound: only FROM/TO/IN/WITH outside its groups */
	FM_CHECK(fm_sql_bound_shape_ok(A, "FROM ('2024-01-01') TO ('2025-01-01')"));
	FM_CHECK(fm_sql_bound_shape_ok(A, "in ('a)', $q$)$q$, E'\\')')"));
	FM_CHECK(fm_sql_bound_shape_ok(A, "WITH (MODULUS 4, REMAINDER 0)"));
	FM_CHECK(!fm_sql_bound_shape_ok(A, "FROM (1) TO (10 /*(*/) PARTITION BY LIST (id) --)\n"));
	FM_CHECK(!fm_sql_bound_shape_ok(A, "FROM (1) TO (2) PARTITION BY RANGE (x)"));
	FM_CHECK(!fm_sql_bound_shape_ok(A, "TO (2)"));
	FM_CHECK(!fm_sql_bound_shape_ok(A, "IN ('a') -- x"));
	FM_CHECK(strstr(diags_of("model T {\n  id Int @id\n  x Int? @default(dbgenerated(\"0, DROP COLUMN id\"))\n}\n"),
					"a comma outside parentheses") != NULL);
	FM_CHECK(strstr(diags_of("model T {\n  id Int @id\n  x Unsupported(\"int, DROP COLUMN id\")?\n}\n"),
					"a comma outside parentheses") != NULL);
}

static bool
is_col(const char *name, void *arg)
{
	const char *const *cols = arg;

	for (int i = 0; cols[i]; i++)
		if (strcmp(cols[i], name) == 0)
			return true;
	return false;
}

static void
test_check_columns(void)
{
	const char *cols[] = {"price", "qty", "Name", "year", NULL};
	const char *ok[] = {
		"price > 0", "PRICE > 0 AND qty IS NOT NULL", "\"Name\" <> ''",
		"length(\"Name\") > 2", "price::numeric(10,2) > 0", "CAST(qty AS bigint) > 0",
		"year > 2000", "EXTRACT(epoch FROM now()) > 0", "qty BETWEEN 1 AND 9",
		"\"Name\" COLLATE \"C\" > 'a'", "price > numeric '1.5'", "pg_catalog.abs(qty) > 0",
		"CASE WHEN qty > 0 THEN true ELSE false END", "qty = ANY (ARRAY[1, 2])",
		"now() > timestamp with time zone '2020-01-01'", "f(x => qty)",
		"price > 0 -- a comment naming nothing\n", "'it''s' <> \"Name\"",
		"now() AT TIME ZONE 'utc' > now()", "qty::double precision > 0",
		"price::character varying(10) <> ''", "interval '1' day > interval '1 hour'",
		"now()::timestamp with time zone > now()", "\"Name\" IS DOCUMENT",
		"price::int > 0 AND qty > 0",
	};
	const char *bad[][2] = {
		{"nope > 0", "nope"},
		{"price > 0 AND Name <> ''", "name"},
		{"\"price \" > 0", "price "},
		{"qty > 0 OR \"QTY\" > 0", "QTY"},
		{"dropped IS NULL", "dropped"},
		{"price::int > 0 AND nope > 0", "nope"},
		{"NOT name", "name"},
		{"CAST(price AS int) > nope", "nope"},
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
	{
		const char *u = fm_expr_unknown_column(A, ok[i], is_col, cols);

		FM_CHECK_STR(u, NULL);
		if (u)
			fprintf(stderr, "  for %s\n", ok[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		FM_CHECK_STR(fm_expr_unknown_column(A, bad[i][0], is_col, cols), bad[i][1]);
	FM_CHECK(strstr(diags_of("model T {\n  id Int @id\n  @@check(\"nope > 0\")\n}\n"),
					"line 7, column 3: error: @@check(\"nope > 0\") of model \"T\" names column \"nope\"") != NULL);
}

static void
test_converging_shapes(void)
{
	char	   *s;
	char	   *d;

	/* WHERE true: PostgreSQL stores no predicate */
	s = script_of("model T {\n  id Int @id\n  a Int\n  @@index([a], where: \"true\")\n"
				  "  @@index([id, a], where: \"(TRUE)\")\n}\n");
	FM_CHECK(s && strstr(s, "WHERE") == NULL);
	s = script_of("model T {\n  id Int @id\n  a Int\n  @@index([a], where: \"a > 0\")\n}\n");
	FM_CHECK(s && strstr(s, "WHERE (a > 0)") == NULL && strstr(s, "WHERE a > 0") != NULL);

	/* the object form of where: quoted names and literals, never pasted */
	s = script_of("model T {\n  id Int @id\n  a String @map(\"a\\\"b\")\n"
				  "  @@index([id], where: { a: \"x'; DROP TABLE t; --\\\\\", id: { not: 1 } })\n}\n");
	FM_CHECK(s && strstr(s, "WHERE (\"a\"\"b\" = E'x''; DROP TABLE t; --\\\\' AND \"id\" != 1)") != NULL);
	s = script_of("model T {\n  id Int @id\n  @@index([id], where: raw(\"(TRUE)\"))\n}\n");
	FM_CHECK(s && strstr(s, "WHERE") == NULL);
	FM_CHECK(strstr(diags_of("model T {\n  id Int @id\n  @@index([id], where: raw(\"id > 0; DROP TABLE t\"))\n}\n"),
					"it has a semicolon outside strings") != NULL);

	/* a unique key equal to the primary key, or to an earlier unique */
	d = diags_of("model T {\n  id String @id @unique\n}\n");
	FM_CHECK(strstr(d, "warning: unique constraint on \"id\" of model \"T\" is left out: the primary key") != NULL);
	s = script_of("model T {\n  id String @id @unique\n}\n");
	FM_CHECK(s && strstr(s, "UNIQUE") == NULL);
	s = script_of("model T {\n  a Int\n  b Int\n  @@id([a, b])\n  @@unique([a, b])\n  @@unique([b, a])\n}\n");
	FM_CHECK(s && strstr(s, "UNIQUE (\"a\", \"b\")") == NULL && strstr(s, "UNIQUE (\"b\", \"a\")") != NULL);
	s = script_of("model T {\n  id Int @id\n  a Int @unique\n  @@unique([a], map: \"second\")\n}\n");
	FM_CHECK(s && strstr(s, "\"second\"") == NULL && strstr(s, "UNIQUE (\"a\")") != NULL);
}

static void
test_shadowed_enums(void)
{
	const char *names[] = {"interval", "text", "int4", "date", "json", "name", "oid",
	"pg_class", "_int4", NULL};

	for (int i = 0; names[i]; i++)
	{
		FmDiagList	d;
		FmDiagList	pd;
		char	   *text = fm_psprintf(A, "%senum E {\n  a\n  @@map(\"%s\")\n}\n", DS, names[i]);
		FmModel    *m;

		fm_diags_init(&pd, A);
		m = fm_parse_schema(A, text, strlen(text), FM_DIALECT_AUTO, &pd);
		FM_CHECK(m != NULL);
		if (m == NULL)
			continue;
		fm_diags_init(&d, A);
		FM_CHECK_INT(fm_check_unqualified_types(m, &d), 1);
		FM_CHECK(strstr(fm_diags_to_text(A, &d), "the built-in type pg_catalog.") != NULL);
		/* with a schema it is unambiguous */
		fm_model_set_default_schema(m, "public");
		fm_diags_init(&d, A);
		FM_CHECK_INT(fm_check_unqualified_types(m, &d), 0);
	}
	FM_CHECK(fm_is_pg_catalog_type("interval") && fm_is_pg_catalog_type("int4"));
	FM_CHECK(!fm_is_pg_catalog_type("Interval") && !fm_is_pg_catalog_type("role"));
	FM_CHECK(fm_is_sql_keyword("select") && !fm_is_sql_keyword("price"));
}

/*
 * script without its comment lines and empty lines; a comment line with a
 * carriage return (which would end the comment there) is kept whole, so
 * that the comparison fails.
 */
static char *
script_without_comments(const char *s)
{
	FmBuf		b;

	fm_buf_init(&b, A);
	fm_buf_append(&b, "");
	while (*s)
	{
		const char *nl = strchr(s, '\n');
		size_t		len = nl ? (size_t) (nl - s) + 1 : strlen(s);
		bool		comment = strncmp(s, "--", 2) == 0 &&
			memchr(s, '\r', len) == NULL;

		if (!comment && !(len == 1 && *s == '\n'))
			for (size_t k = 0; k < len; k++)
				fm_buf_append_char(&b, s[k]);
		s += len;
	}
	return fm_buf_finish(&b);
}

/*
 * A name with a new line (or a carriage return) in the comments of a
 * script: the LOCK and HAZARD lines of a step on a table so named stay
 * comments, so the rest of the name is no statement of the script.
 */
static void
test_names_in_comments(void)
{
	const char *breaks[] = {"\\n", "\\r", "\\r\\n", NULL};

	for (int i = 0; breaks[i]; i++)
	{
		FmDiagList	d;
		char	   *from = fm_psprintf(A, "%smodel X {\n  id Int @id\n"
									   "  @@map(\"x%sDROP TABLE victim; --\")\n}\n",
									   DS, breaks[i]);
		FmModel    *a;
		FmModel    *b;
		FmPlan	   *plan;
		char	   *s;

		fm_diags_init(&d, A);
		a = fm_parse_schema(A, from, strlen(from), FM_DIALECT_AUTO, &d);
		b = fm_parse_schema(A, DS, strlen(DS), FM_DIALECT_AUTO, &d);
		FM_CHECK(a != NULL && b != NULL);
		if (a == NULL || b == NULL)
			continue;
		plan = fm_diff(A, a, b, NULL);
		plan->lock_comments = true;
		s = fm_plan_to_script(A, plan);
		FM_CHECK(strstr(s, "-- LOCK ACCESS EXCLUSIVE on ") != NULL);
		/* a new line continues the comment on a line of its own */
		FM_CHECK(strchr(breaks[i], 'n') == NULL ||
				 strstr(s, "\n-- DROP TABLE victim; --") != NULL);
		FM_CHECK_INT(plan->steps.n, 1);
		/* what is not a comment line is the DROP TABLE, and only it */
		FM_CHECK_STR(script_without_comments(s),
					 fm_psprintf(A, "%s\n", fm_list_get(&plan->steps, 0, FmStep)->ddl));
	}
}

/* the arena of every test: made by the first, freed by the last */
static void
test_setup(void)
{
	A = fm_arena_create();
}

static void
test_teardown(void)
{
	fm_arena_destroy(A);
}

FM_TEST_MAIN(FM_TEST(test_setup),
			 FM_TEST(test_quote_text), FM_TEST(test_split_qualified_name),
			 FM_TEST(test_opclass_rendered_by_parts), FM_TEST(test_default_literals),
			 FM_TEST(test_fragments), FM_TEST(test_default_parens),
			 FM_TEST(test_check_columns),
			 FM_TEST(test_converging_shapes), FM_TEST(test_shadowed_enums),
			 FM_TEST(test_names_in_comments),
			 FM_TEST(test_teardown))
