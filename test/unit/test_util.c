/*-------------------------------------------------------------------------
 *
 * test_util.c
 *	  Unit tests for arenas, buffers, lists, diagnostics and the model's
 *	  constructors (src/core/fm_util.c, src/core/model.c).
 *
 *-------------------------------------------------------------------------
 */
#include "fm_ast.h"
#include "fm_model.h"
#include "fm_parse.h"
#include "fm_renamed.h"
#include "fm_test.h"

static void
test_arena_and_buf(void)
{
	FmArena    *a = fm_arena_create();
	FmBuf		b;
	char	   *big;

	fm_buf_init(&b, a);
	for (int i = 0; i < 5000; i++)
		fm_buf_printf(&b, "%d,", i);
	FM_CHECK_INT(b.len, 23890);
	FM_CHECK(strncmp(b.data, "0,1,2,", 6) == 0);
	fm_buf_reset(&b);
	FM_CHECK_STR(b.data, "");
	fm_buf_append_len(&b, "ab\0cd", 5);
	FM_CHECK_INT(b.len, 5);
	big = fm_alloc(a, 1 << 20);
	FM_CHECK(big[0] == 0 && big[(1 << 20) - 1] == 0);
	FM_CHECK_STR(fm_psprintf(a, "%s-%03d", "x", 7), "x-007");
	FM_CHECK(fm_strdup(a, NULL) == NULL);
	FM_CHECK_STR(fm_strndup(a, "hello", 3), "hel");
	FM_CHECK(fm_arena_bytes(a) >= (1 << 20));
	fm_arena_destroy(a);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

static int
first_char_cmp(const void *a, const void *b)
{
	return (*(const char *const *) a)[0] - (*(const char *const *) b)[0];
}

static void
test_list_sort_stable(void)
{
	FmArena    *a = fm_arena_create();
	FmList		l = {0};
	const char *words[] = {"b2", "a1", "b1", "a2", "c1", "a3"};

	for (int i = 0; i < 6; i++)
		fm_list_append(a, &l, (void *) words[i]);
	fm_list_sort(&l, first_char_cmp);
	/* equal keys keep their insertion order */
	FM_CHECK_STR(fm_list_get(&l, 0, char), "a1");
	FM_CHECK_STR(fm_list_get(&l, 1, char), "a2");
	FM_CHECK_STR(fm_list_get(&l, 2, char), "a3");
	FM_CHECK_STR(fm_list_get(&l, 3, char), "b2");
	FM_CHECK_STR(fm_list_get(&l, 4, char), "b1");
	fm_list_sort(&l, str_cmp);
	FM_CHECK_STR(fm_list_get(&l, 3, char), "b1");
	fm_arena_destroy(a);
}

static void
test_strings(void)
{
	FM_CHECK(fm_streq(NULL, NULL));
	FM_CHECK(!fm_streq("a", NULL));
	FM_CHECK(fm_strcmp_null(NULL, "a") < 0);
	FM_CHECK(fm_strcaseeq("Model", "mODEL"));
	FM_CHECK(!fm_strcaseeq("Model", "Models"));
	FM_CHECK_INT(fm_edit_distance("Strin", "String", 2), 1);
	FM_CHECK_INT(fm_edit_distance("modle", "model", 2), 2);
	FM_CHECK_INT(fm_edit_distance("abc", "xyz", 2), 3);
	FM_CHECK_INT(fm_edit_distance("a", "abcdef", 2), 3);
}

static void
test_diags(void)
{
	FmArena    *a = fm_arena_create();
	FmDiagList	d;
	FmSrcPos	p1 = {3, 5},
				p2 = {1, 9},
				p3 = {3, 1};

	fm_diags_init(&d, a);
	fm_diag_add(&d, FM_SEV_ERROR, p1, "third %s", "x");
	fm_diag_add(&d, FM_SEV_WARNING, p2, "first");
	fm_diag_add(&d, FM_SEV_ERROR, p3, "second");
	FM_CHECK_INT(d.nerrors, 2);
	FM_CHECK_INT(d.nwarnings, 1);
	fm_diags_sort(&d);
	FM_CHECK_STR(fm_diags_to_text(a, &d),
				 "line 1, column 9: warning: first\n"
				 "line 3, column 1: error: second\n"
				 "line 3, column 5: error: third x\n");
	fm_arena_destroy(a);
}

static void
test_model(void)
{
	FmArena    *a = fm_arena_create();
	FmModel    *m = fm_model_create(a);
	FmTable    *t = fm_model_add_table(m, NULL, "users");
	FmTable    *t2 = fm_model_add_table(m, "app", "accounts");
	FmColumn   *c = fm_table_add_column(m, t, "role");
	FmForeignKey *fk = fm_alloc(a, sizeof(FmForeignKey));

	c->type.kind = FM_TYPE_ENUM;
	c->type.enum_name = "role";
	fk->ref_table = "accounts";
	fm_list_append(a, &t->foreign_keys, fk);
	fm_model_add_enum(m, NULL, "role");
	fm_model_set_default_schema(m, "public");
	FM_CHECK_STR(t->schema, "public");
	FM_CHECK_STR(t2->schema, "app");
	FM_CHECK_STR(c->type.enum_schema, "public");
	FM_CHECK_STR(fk->ref_schema, "public");
	FM_CHECK(fm_model_find_enum(m, "public", "role") != NULL);
	FM_CHECK(fm_model_find_table(m, "public", "users") == t);
	FM_CHECK(fm_model_find_table(m, "app", "users") == NULL);
	FM_CHECK(fm_table_find_column(t, "role") == c);
	fm_model_sort(m);
	FM_CHECK(fm_list_get(&m->tables, 0, FmTable) == t2);
	fm_arena_destroy(a);
}

static void
test_hash_map(void)
{
	FmArena    *a = fm_arena_create();
	FmHashMap	h = {0};
	char	  **keys = fm_alloc(a, sizeof(char *) * 5000);

	FM_CHECK(fm_hash_get(&h, "missing") == NULL);
	for (int i = 0; i < 5000; i++)
	{
		keys[i] = fm_psprintf(a, "k%d", i);
		fm_hash_put(a, &h, keys[i], keys[i]);
	}
	FM_CHECK_INT(h.n, 5000);
	FM_CHECK_STR(fm_hash_get(&h, "k0"), "k0");
	FM_CHECK_STR(fm_hash_get(&h, "k4999"), "k4999");
	FM_CHECK(fm_hash_get(&h, "k5000") == NULL);
	/* replace keeps the count */
	fm_hash_put(a, &h, keys[7], "seven");
	FM_CHECK_INT(h.n, 5000);
	FM_CHECK_STR(fm_hash_get(&h, "k7"), "seven");
	/* two-part keys: (NULL, x), ("s", x) and ("s", y) are all different */
	fm_hash_put2(a, &h, "s", "k1", "s.k1");
	FM_CHECK_STR(fm_hash_get2(&h, "s", "k1"), "s.k1");
	FM_CHECK_STR(fm_hash_get(&h, "k1"), "k1");
	FM_CHECK(fm_hash_get2(&h, "s", "k2") == NULL);
	FM_CHECK(fm_hash_get2(&h, "sk", "1") == NULL);
	/* a NULL second key is never stored */
	fm_hash_put2(a, &h, "s", NULL, "x");
	FM_CHECK_INT(h.n, 5001);
	FM_CHECK(fm_hash_get2(&h, "s", NULL) == NULL);
	fm_arena_destroy(a);
}

/* number literals, shared by the validator and the expression normalizer */
static void
test_number_text(void)
{
	static const char *const yes[] = {"0", "-1", "+5", "12.50", ".5", "5.", "-0.0", NULL};
	static const char *const no[] = {"", "-", "+", ".", "1a", "1.2.3", " 1", "1 ", "--1",
	"0x10", "1e", NULL};

	for (int i = 0; yes[i]; i++)
	{
		FM_CHECK(fm_is_number_text(yes[i], false));
		FM_CHECK(fm_is_number_text(yes[i], true));
	}
	for (int i = 0; no[i]; i++)
	{
		FM_CHECK(!fm_is_number_text(no[i], false));
		FM_CHECK(!fm_is_number_text(no[i], true));
	}
	FM_CHECK(fm_is_number_text("1e10", true));
	FM_CHECK(fm_is_number_text("-1.5E-3", true));
	FM_CHECK(fm_is_number_text("2e+7", true));
	FM_CHECK(!fm_is_number_text("1e10", false));
	FM_CHECK(!fm_is_number_text("e10", true));
	FM_CHECK(!fm_is_number_text("1e+", true));
	FM_CHECK(!fm_is_number_text(NULL, true));
}

static void
test_sql_string(void)
{
	FmArena    *a = fm_arena_create();

	FM_CHECK_STR(fm_sql_string(a, "plain"), "'plain'");
	FM_CHECK_STR(fm_sql_string(a, "it's 'x'"), "'it''s ''x'''");
	/* a backslash: E'' with it doubled, right under any standard_conforming_strings */
	FM_CHECK_STR(fm_sql_string(a, "back\\slash \"q\""), "E'back\\\\slash \"q\"'");
	FM_CHECK_STR(fm_sql_string(a, "\\'; DROP TABLE t; --"), "E'\\\\''; DROP TABLE t; --'");
	FM_CHECK_STR(fm_sql_string(a, ""), "''");
	FM_CHECK_STR(fm_sql_string(a, NULL), "''");
	fm_arena_destroy(a);
}

/* ---------- fm_model_map_strings ---------- */

typedef struct MapSeen
{
	FmArena    *a;
	int			calls;
	int			without_line;
} MapSeen;

static char *
map_prefix(void *arg, char *s, FmSrcPos pos)
{
	MapSeen    *m = (MapSeen *) arg;

	m->calls++;
	if (pos.line == 0)
		m->without_line++;
	return fm_psprintf(m->a, "Z%s", s);
}

static void
test_model_map_strings(void)
{
	FmArena    *a = fm_arena_create();
	FmDiagList	d;
	const char *text =
		"datasource db {\n provider = \"postgresql\"\n url = env(\"X\")\n schemas = [\"s\"]\n}\n"
		"enum Color {\n  red\n  green\n  @@schema(\"s\")\n}\n"
		"/// a user\n"
		"model User {\n  id Int @id\n  name String @default(\"x\") @unique\n"
		"  color Color\n  posts Post[]\n"
		"  @@index([name], where: \"id > 0\")\n  @@check(\"id > 0\")\n  @@schema(\"s\")\n}\n"
		"model Post {\n  id Int @id\n  userId Int\n"
		"  user User @relation(fields: [userId], references: [id])\n  @@schema(\"s\")\n}\n";
	FmModel    *m;
	MapSeen		seen = {0};
	FmTable    *user;
	FmTable    *post;
	FmColumn   *c;
	FmIndex    *ix;
	FmForeignKey *fk;

	fm_diags_init(&d, a);
	m = fm_parse_schema(a, text, strlen(text), FM_DIALECT_AUTO, &d);
	FM_CHECK(m != NULL);
	if (m == NULL)
	{
		fprintf(stderr, "%s", fm_diags_to_text(a, &d));
		fm_arena_destroy(a);
		return;
	}
	user = fm_model_find_table(m, "s", "users");
	post = fm_model_find_table(m, "s", "posts");
	FM_CHECK(user != NULL && post != NULL);
	if (user == NULL || post == NULL)
	{
		fm_arena_destroy(a);
		return;
	}
	seen.a = a;
	fm_model_map_strings(m, map_prefix, &seen);
	/* every string went through the callback, with a line unless datasource's */
	FM_CHECK(seen.calls > 30);
	FM_CHECK_INT(seen.without_line, 3);	/* schemas[0], provider, url */
	FM_CHECK_STR(fm_list_get(&m->schemas, 0, char), "Zs");
	FM_CHECK_STR(user->schema, "Zs");
	FM_CHECK_STR(user->name, "Zusers");
	FM_CHECK_STR(user->comment, "Za user");
	c = fm_table_find_column(user, "Zname");
	FM_CHECK(c != NULL);
	if (c != NULL)
		FM_CHECK_STR(c->default_sql, "Z'x'");
	c = fm_table_find_column(user, "Zcolor");
	FM_CHECK(c != NULL);
	if (c != NULL)
		FM_CHECK_STR(c->type.enum_name, "Zcolor");
	FM_CHECK_STR(fm_list_get(&user->primary_key->columns, 0, char), "Zid");
	FM_CHECK_STR(fm_list_get(&fm_list_get(&user->uniques, 0, FmKey)->columns, 0, char), "Zname");
	ix = fm_list_get(&user->indexes, 0, FmIndex);
	FM_CHECK_STR(ix->predicate, "Zid > 0");
	FM_CHECK_STR(fm_list_get(&ix->elems, 0, FmIndexElem)->column, "Zname");
	FM_CHECK_STR(fm_list_get(&user->checks, 0, FmCheck)->expr, "Zid > 0");
	fk = fm_list_get(&post->foreign_keys, 0, FmForeignKey);
	FM_CHECK_STR(fk->ref_table, "Zusers");
	FM_CHECK_STR(fm_list_get(&fk->ref_columns, 0, char), "Zid");
	FM_CHECK_STR(fm_list_get(&fm_list_get(&m->enums, 0, FmEnum)->values, 1, FmEnumValue)->name, "Zgreen");
	fm_arena_destroy(a);
}

/* fm_arena_spans, fm_buf_finish, and the model's strings adopted from the tree */
static void
test_arena_spans_and_adopt(void)
{
	FmArena    *a = fm_arena_create();
	FmArena    *b = fm_arena_create_like(a);
	FmArenaSpans sp;
	char	   *in_a = fm_strdup(a, "a");
	char	   *in_b = fm_strdup(b, "b");
	char	   *big_b = fm_alloc(b, 1 << 20);	/* a block of its own */
	char		local = 0;
	FmBuf		buf;
	char	   *s;
	FmDiagList	d;
	FmModel    *m;
	const char *text = "datasource db {\n provider = \"postgresql\"\n url = env(\"X\")\n}\n"
		"model A {\n  id Int @id\n  name String\n}\n"
		"model B {\n  id Int @id\n  name String\n}\n";

	fm_arena_spans(a, b, &sp);
	FM_CHECK(fm_arena_spans_has(&sp, in_b));
	FM_CHECK(fm_arena_spans_has(&sp, big_b));
	FM_CHECK(fm_arena_spans_has(&sp, big_b + (1 << 20) - 1));
	FM_CHECK(!fm_arena_spans_has(&sp, in_a));
	FM_CHECK(!fm_arena_spans_has(&sp, &local));

	/* a finished buffer ends at its NUL: the next string follows it */
	fm_buf_init(&buf, b);
	fm_buf_append(&buf, "abc");
	s = fm_buf_finish(&buf);
	FM_CHECK_STR(s, "abc");
	FM_CHECK(fm_strdup(b, "x") == s + 4);
	fm_buf_init(&buf, b);
	FM_CHECK_STR(fm_buf_finish(&buf), "");

	/* a model whose strings are in the tree's arena b adopts them into a */
	fm_diags_init(&d, a);
	m = fm_ast_validate_in(a, b, fm_ast_parse_model(b, text, strlen(text), &d),
						   FM_DIALECT_AUTO, &d);
	FM_CHECK_INT(d.nerrors, 0);
	fm_model_adopt_strings(m, b);
	fm_arena_spans(a, b, &sp);
	for (int i = 0; i < m->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);

		FM_CHECK(!fm_arena_spans_has(&sp, t->name));
		for (int j = 0; j < t->columns.n; j++)
		{
			FmColumn   *c = fm_list_get(&t->columns, j, FmColumn);

			FM_CHECK(!fm_arena_spans_has(&sp, c->name));
			FM_CHECK(!fm_arena_spans_has(&sp, c->field_name));
			FM_CHECK(!fm_arena_spans_has(&sp, c->type.sql));
		}
	}
	fm_arena_destroy(b);
	/* interned: the same text once */
	FM_CHECK_INT(m->tables.n, 2);
	if (m->tables.n == 2)
	{
		FmColumn   *c0 = fm_list_get(&fm_list_get(&m->tables, 0, FmTable)->columns, 1, FmColumn);
		FmColumn   *c1 = fm_list_get(&fm_list_get(&m->tables, 1, FmTable)->columns, 1, FmColumn);

		FM_CHECK_STR(c0->type.sql, "text");
		FM_CHECK(c0->type.sql == c1->type.sql);
		FM_CHECK(c0->field_name == c1->field_name);
	}
	fm_arena_destroy(a);
}

/*
 * A buffer that outgrows its blocks while other chunks are allocated
 * between its growths (rendering a plan): each copy it leaves that had a
 * block of its own is freed (the arena holds about its last copy, not the
 * sum of every size), and one it leaves in a shared block is not looked
 * for among the arena's blocks (FmBuf.big: that walk made a 100,000-model
 * plan quadratic once blocks were 32 kB).
 */
static void
test_buf_growth_frees(void)
{
	FmArena    *a = fm_arena_create();
	FmBuf		b;
	size_t		before;

	/* many shared blocks first */
	for (int i = 0; i < 20000; i++)
		(void) fm_alloc(a, 100);
	before = fm_arena_bytes(a);
	fm_buf_init(&b, a);
	for (int i = 0; i < 400000; i++)
	{
		fm_buf_append(&b, "0123456789");
		if (i % 64 == 0)
			(void) fm_alloc(a, 200);	/* others' chunks between growths */
	}
	FM_CHECK_INT(b.len, 4000000);
	FM_CHECK(b.big);
	/* 4 MB of text: its last copy (4 MB, its capacity 4.2) and the others' */
	FM_CHECK(fm_arena_bytes(a) - before < (size_t) 6 * 1024 * 1024);
	FM_CHECK(strncmp(b.data + 3999990, "0123456789", 10) == 0);
	fm_arena_destroy(a);
}

/*
 * A doc line that reads as an annotation is escaped with one backslash,
 * which unescaping takes off again; other lines stay as they are.
 */
static void
test_doc_escape(void)
{
	FmArena    *a = fm_arena_create();
	size_t		at = 99;

	FM_CHECK(fm_doc_escape_line("  @preserve(reason: \"x\")", 25, &at));
	FM_CHECK_INT((int) at, 2);
	FM_CHECK(fm_doc_escape_line("\\\\@renamedX", 12, &at));
	FM_CHECK_INT((int) at, 0);
	FM_CHECK(!fm_doc_escape_line("a @preserve", 11, &at));
	FM_CHECK(!fm_doc_escape_line("@pres", 5, &at));
	FM_CHECK_STR(fm_doc_unescape(a, "x\n \\@renamed(from: \"a\")\n\\\\@preserve\n\\y"),
				 "x\n @renamed(from: \"a\")\n\\@preserve\n\\y");
	FM_CHECK(fm_doc_unescape(a, NULL) == NULL);
	/* a comment with an annotation's text is no annotation */
	FM_CHECK(fm_doc_renamed(a, "\\@renamed(from: \"a\")").from == NULL);
	FM_CHECK_STR(fm_doc_renamed(a, "\\@renamed(from: \"a\")").doc, "@renamed(from: \"a\")");
	fm_arena_destroy(a);
}

FM_TEST_MAIN(FM_TEST(test_hash_map), FM_TEST(test_doc_escape), FM_TEST(test_buf_growth_frees), FM_TEST(test_model_map_strings), FM_TEST(test_arena_and_buf), FM_TEST(test_list_sort_stable),
			 FM_TEST(test_strings), FM_TEST(test_diags), FM_TEST(test_model),
			 FM_TEST(test_number_text), FM_TEST(test_sql_string),
			 FM_TEST(test_arena_spans_and_adopt))
