/*-------------------------------------------------------------------------
 *
 * test_validate.c
 *	  Unit tests of the validator (validate.c): schema text to model, and
 *	  the diagnostics of invalid schemas.
 *
 * test/unit/test_validate.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "fm_ast.h"
#include "fm_dialect.h"
#include "fm_diff.h"
#include "fm_literal.h"
#include "fm_test.h"
#include "fm_parse.h"

#define DS "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"

static FmArena *A;

static FmModel *
parse_in(const char *text, FmDialectKind dialect, char **diags_text)
{
	FmDiagList	d;
	FmModel    *m;

	fm_diags_init(&d, A);
	m = fm_parse_schema(A, text, strlen(text), dialect, &d);
	*diags_text = fm_diags_to_text(A, &d);
	return m;
}

static FmModel *
parse(const char *text, char **diags_text)
{
	return parse_in(text, FM_DIALECT_AUTO, diags_text);
}

/* the diagnostics of a schema, as text */
static char *
diags(const char *text)
{
	char	   *out;

	(void) parse(text, &out);
	return out;
}

static FmModel *
ok(const char *text)
{
	char	   *out;
	FmModel    *m = parse(text, &out);

	FM_CHECK_STR(out, "");
	return m;
}

static FmTable *
table(FmModel *m, const char *name)
{
	return m ? fm_model_find_table(m, NULL, name) : NULL;
}

static void
test_scalars(void)
{
	FmModel    *m = ok(DS
						"model Thing {\n"
						"  id      Int      @id @default(autoincrement())\n"
						"  s       String?\n"
						"  b       BigInt   @default(-5)\n"
						"  f       Float    @default(1.5)\n"
						"  d       Decimal\n"
						"  ok      Boolean  @default(true)\n"
						"  at      DateTime @default(now())\n"
						"  j       Json     @default(\"{}\")\n"
						"  by      Bytes\n"
						"  u       String   @default(uuid())\n"
						"  u2      String   @default(uuid()) @db.Uuid\n"
						"  c       String   @default(cuid())\n"
						"  q       String   @default(\"it's\")\n"
						"  g       String   @default(dbgenerated(\"md5('x')\"))\n"
						"  createdAt DateTime @updatedAt @map(\"stamp\")\n"
						"}\n");
	FmTable    *t = table(m, "things");
	FmColumn   *c;

	FM_CHECK(t != NULL);
	if (t == NULL)
		return;
	FM_CHECK_STR(t->model_name, "Thing");
	FM_CHECK_STR(t->primary_key->name, "things_pkey");
	c = fm_table_find_column(t, "id");
	FM_CHECK_STR(c->type.sql, "integer");
	FM_CHECK(c->notnull);
	FM_CHECK_INT(c->autoinc, FM_AUTOINC_IDENTITY_BY_DEFAULT);
	FM_CHECK(c->default_sql == NULL);
	c = fm_table_find_column(t, "s");
	FM_CHECK_STR(c->type.sql, "text");
	FM_CHECK(!c->notnull);
	FM_CHECK_STR(fm_table_find_column(t, "b")->default_sql, "-5");
	FM_CHECK_STR(fm_table_find_column(t, "b")->type.sql, "bigint");
	FM_CHECK_STR(fm_table_find_column(t, "f")->type.sql, "double precision");
	FM_CHECK_STR(fm_table_find_column(t, "d")->type.sql, "numeric");
	FM_CHECK_STR(fm_table_find_column(t, "ok")->default_sql, "true");
	FM_CHECK_STR(fm_table_find_column(t, "at")->type.sql, "timestamp(3) with time zone");
	FM_CHECK_STR(fm_table_find_column(t, "at")->default_sql, "CURRENT_TIMESTAMP");
	FM_CHECK_STR(fm_table_find_column(t, "j")->type.sql, "jsonb");
	FM_CHECK_STR(fm_table_find_column(t, "j")->default_sql, "'{}'");
	FM_CHECK_STR(fm_table_find_column(t, "by")->type.sql, "bytea");
	FM_CHECK_STR(fm_table_find_column(t, "u")->default_sql, "(gen_random_uuid())::text");
	FM_CHECK_STR(fm_table_find_column(t, "u2")->default_sql, "gen_random_uuid()");
	FM_CHECK_STR(fm_table_find_column(t, "u2")->type.sql, "uuid");
	FM_CHECK(fm_table_find_column(t, "c")->client_default);
	FM_CHECK(fm_table_find_column(t, "c")->default_sql == NULL);
	FM_CHECK_STR(fm_table_find_column(t, "q")->default_sql, "'it''s'");
	FM_CHECK_STR(fm_table_find_column(t, "g")->default_sql, "md5('x')");
	c = fm_table_find_column(t, "stamp");
	FM_CHECK(c != NULL && c->updated_at && c->default_sql == NULL);
	FM_CHECK_STR(c ? c->field_name : NULL, "createdAt");
}

static void
test_enums_and_names(void)
{
	FmModel    *m = ok(DS
						"/// roles\n"
						"enum UserRole {\n"
						"  Member\n"
						"  ChiefEditor\n"
						"  Admin @map(\"boss\")\n"
						"  @@map(\"roles\")\n"
						"}\n"
						"/// people\n"
						"model BlogUser {\n"
						"  userId Int @id\n"
						"  /// the role\n"
						"  role UserRole @default(ChiefEditor)\n"
						"  @@index([role])\n"
						"  @@unique([role, userId])\n"
						"  @@check(\"user_id > 0\")\n"
						"}\n");
	FmEnum	   *e = m ? fm_model_find_enum(m, NULL, "roles") : NULL;
	FmTable    *t = table(m, "blog_users");
	FmColumn   *c;

	FM_CHECK(e != NULL && t != NULL);
	if (!e || !t)
		return;
	FM_CHECK_INT(e->values.n, 3);
	FM_CHECK_STR(fm_list_get(&e->values, 0, FmEnumValue)->name, "member");
	FM_CHECK_STR(fm_list_get(&e->values, 1, FmEnumValue)->name, "chief_editor");
	FM_CHECK_STR(fm_list_get(&e->values, 2, FmEnumValue)->name, "boss");
	FM_CHECK_STR(fm_list_get(&e->values, 2, FmEnumValue)->variant, "Admin");
	FM_CHECK_STR(e->comment, "roles");
	FM_CHECK_STR(t->comment, "people");
	c = fm_table_find_column(t, "role");
	FM_CHECK_INT(c->type.kind, FM_TYPE_ENUM);
	FM_CHECK_STR(c->type.enum_name, "roles");
	FM_CHECK_STR(c->default_sql, "'chief_editor'");
	FM_CHECK_STR(FM_COL_MORE(c)->comment, "the role");
	FM_CHECK(fm_table_find_column(t, "user_id") != NULL);
	FM_CHECK_STR(fm_list_get(&t->indexes, 0, FmIndex)->name, "blog_users_role_idx");
	FM_CHECK_STR(fm_list_get(&t->indexes, 0, FmIndex)->method, "btree");
	FM_CHECK_STR(fm_list_get(&t->uniques, 0, FmKey)->name, "blog_users_role_user_id_key");
	FM_CHECK_STR(fm_list_get(&t->checks, 0, FmCheck)->name, "blog_users_user_id_check");
	FM_CHECK_STR(fm_list_get(&t->checks, 0, FmCheck)->expr, "user_id > 0");
}

static void
test_relations(void)
{
	FmModel    *m = ok(DS
						"model User {\n"
						"  id      Int      @id\n"
						"  posts   Post[]\n"
						"  profile Profile?\n"
						"  tags    Tag[]\n"
						"  boss    User?    @relation(\"b\", fields: [bossId], references: [id])\n"
						"  bossId  Int?\n"
						"  staff   User[]   @relation(\"b\")\n"
						"}\n"
						"model Profile {\n"
						"  id     Int  @id\n"
						"  userId Int  @unique\n"
						"  user   User @relation(fields: [userId], references: [id], onDelete: Cascade)\n"
						"}\n"
						"model Post {\n"
						"  id       Int   @id\n"
						"  authorId Int\n"
						"  author   User  @relation(fields: [authorId], references: [id])\n"
						"}\n"
						"model Tag {\n"
						"  name  String @id\n"
						"  users User[]\n"
						"}\n");
	FmTable    *t;
	FmForeignKey *fk;

	if (m == NULL)
		return;
	t = table(m, "posts");
	fk = fm_list_get(&t->foreign_keys, 0, FmForeignKey);
	FM_CHECK_STR(fk->name, "posts_author_id_fkey");
	FM_CHECK_STR(fk->ref_table, "users");
	FM_CHECK_INT(fk->on_delete, FM_FK_RESTRICT);
	FM_CHECK_INT(fk->on_update, FM_FK_CASCADE);
	t = table(m, "profiles");
	fk = fm_list_get(&t->foreign_keys, 0, FmForeignKey);
	FM_CHECK_INT(fk->on_delete, FM_FK_CASCADE);
	t = table(m, "users");
	fk = fm_list_get(&t->foreign_keys, 0, FmForeignKey);
	FM_CHECK_STR(fk->name, "users_boss_id_fkey");
	FM_CHECK_INT(fk->on_delete, FM_FK_SET_NULL);
	t = table(m, "_TagToUser");
	FM_CHECK(t != NULL && t->implicit_m2m);
	if (t == NULL)
		return;
	FM_CHECK_STR(fm_table_find_column(t, "A")->type.sql, "text");
	FM_CHECK_STR(fm_table_find_column(t, "B")->type.sql, "integer");
	FM_CHECK_STR(t->primary_key->name, "_TagToUser_pkey");
	FM_CHECK_STR(fm_list_get(&t->indexes, 0, FmIndex)->name, "_TagToUser_B_idx");
	fk = fm_list_get(&t->foreign_keys, 0, FmForeignKey);
	FM_CHECK_STR(fk->name, "_TagToUser_A_fkey");
	FM_CHECK_STR(fk->ref_table, "tags");
	FM_CHECK_INT(fk->on_delete, FM_FK_CASCADE);
	FM_CHECK_INT(fk->on_update, FM_FK_CASCADE);
}

static void
test_schemas(void)
{
	FmModel    *m = ok("datasource db {\n  provider = \"postgres\"\n  url = env(\"X\")\n"
						"  schemas = [\"one\"]\n}\n"
						"model A {\n  id Int @id\n}\n");

	FM_CHECK(m && fm_model_find_table(m, "one", "as") != NULL);
	FM_CHECK_STR(m ? m->provider : NULL, "postgres");
	FM_CHECK_STR(m ? m->url : NULL, "env(\"X\")");
	FM_CHECK_INT(m ? m->schemas.n : 0, 1);
}

static void
test_diagnostics(void)
{
	FM_CHECK_STR(diags(DS "model User {\n  id Int @id\n  name Strin\n}\n"),
				 "line 7, column 8: error: unknown type \"Strin\" for field \"name\" in model \"User\"; did you mean \"String\"?\n");
	FM_CHECK_STR(diags("model User {\n  id Int @id\n}\n"),
				 "line 1, column 1: error: missing datasource block; add datasource db { provider = \"postgresql\" url = env(\"DATABASE_URL\") }\n");
	/* several errors in one pass, sorted by position */
	FM_CHECK_STR(diags(DS "model A {\n  x Int @default(\"a\")\n  y Int @db.VarChar(3)\n}\n"),
				 "line 5, column 7: error: model \"A\" has no primary key or unique field; add @id to a field, @@id([...]), or @unique to a required field\n"
				 "line 6, column 18: error: default value \"a\" does not match type \"Int\" of field \"x\" in model \"A\"; use a whole number\n"
				 "line 7, column 9: error: native type \"@db.VarChar\" cannot be used on field \"y\" in model \"A\" of type \"Int\"; it needs a field of type String\n");
	FM_CHECK_STR(diags(DS "model Post {\n  id Int @id\n  a User @relation(fields: [id], references: [id])\n}\n"
					   "model User {\n  id Int @id\n}\n"),
				 "line 7, column 3: error: relation field \"a\" in model \"Post\" has no opposite relation field in model \"User\"; add a field of type \"Post[]\" or \"Post?\" to model \"User\"\n");
}

static void
test_warnings(void)
{
	char	   *out;
	FmModel    *m = parse(DS "model A {\n  id Int @id\n  @@index([id])\n}\n", &out);

	/* warnings do not make a schema invalid */
	FM_CHECK(m != NULL);
	FM_CHECK_STR(out, "line 7, column 3: warning: @@index on \"id\" of model \"A\" is redundant: the primary key already has an index on the same columns\n");

	/* a plain @@index on the columns of an earlier one, and only that */
	m = parse(DS "model A {\n  id Int @id\n  a Int\n  b Int\n"
			  "  @@index([a, b])\n  @@index([b, a])\n  @@index([a, b], map: \"t\")\n"
			  "  @@index([a(sort: Desc), b], map: \"d\")\n  @@index([a], map: \"p\", where: raw(\"a > 0\"))\n"
			  "  @@index([a], map: \"q\")\n}\n", &out);
	FM_CHECK(m != NULL);
	FM_CHECK_STR(out, "line 11, column 3: warning: @@index on \"a\", \"b\" of model \"A\" is redundant: an earlier @@index on the same columns serves the same queries\n");
}

/* a view has no index: an @@index on one is an error, not nothing */
static void
test_view_index(void)
{
	FM_CHECK_STR(diags(DS "view V {\n  a Int @unique\n  b Int\n  @@index([b])\n}\n"),
				 "line 8, column 3: error: view \"V\" cannot have indexes: a view has none in the database, and ferriorm never creates, changes or drops a view; remove the @@index (index a materialized view in SQL)\n");
	FM_CHECK_STR(diags(DS "view V {\n  a Int @unique\n  b Int\n}\n"), "");
}

/* inputs that must never crash or hang */
static void
test_robustness(void)
{
	static const char *inputs[] = {
		"", "\x01\x02\xff\xfe", "model", "model {", "model A { id Int @id @default(",
		"datasource db { provider = \"postgresql\"\n", "enum E {\n}\n",
		"model A {\n  b B @relation(fields: [x], references: [y])\n}\nmodel B {\n  a A[]\n}\n",
		"model A {\n  @@id([])\n  @@index([a(sort: ), b(\n}\n",
		"model A {\n  x Unsupported(\"\")\n  y A[]? \n}\n",
		NULL
	};
	char		deep[4096];

	for (int i = 0; inputs[i]; i++)
	{
		FmDiagList	d;

		fm_diags_init(&d, A);
		FM_CHECK(fm_parse_schema(A, inputs[i], strlen(inputs[i]), FM_DIALECT_AUTO, &d) == NULL);
		FM_CHECK(d.nerrors > 0);
	}
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	{
		char	   *s = fm_psprintf(A, DS "model A {\n  id Int @id @default(%s)\n}\n", deep);
		FmDiagList	d;

		fm_diags_init(&d, A);
		FM_CHECK(fm_parse_schema(A, s, strlen(s), FM_DIALECT_AUTO, &d) == NULL);
	}
	/* NUL bytes inside the text */
	{
		const char	s[] = DS "model A {\n  id Int @id\0\n}\n";
		FmDiagList	d;

		fm_diags_init(&d, A);
		FM_CHECK(fm_parse_schema(A, s, sizeof(s) - 1, FM_DIALECT_AUTO, &d) == NULL);
	}
}

/*
 * Large schemas stay near-linear (hash maps everywhere): thousands of
 * models, relations, checks with the same generated name, and repeated
 * index fields.  No timing assertions; this just has to finish.
 */
static void
test_large(void)
{
	FmBuf		b;
	FmDiagList	d;
	FmModel    *m;
	FmTable    *t;

	fm_buf_init(&b, A);
	fm_buf_append(&b, DS "model User {\n  id Int @id\n  x Int\n");
	for (int i = 0; i < 3000; i++)
		fm_buf_printf(&b, "  p%d P%d[]\n", i, i);
	for (int i = 0; i < 3000; i++)
		fm_buf_printf(&b, "  @@check(\"x > %d\")\n", i);
	fm_buf_append(&b, "}\n");
	for (int i = 0; i < 3000; i++)
		fm_buf_printf(&b, "model P%d {\n  id Int @id\n  uid Int\n"
					  "  u User @relation(fields: [uid], references: [id])\n}\n", i);
	fm_diags_init(&d, A);
	m = fm_parse_schema(A, b.data, b.len, FM_DIALECT_AUTO, &d);
	FM_CHECK_INT(d.nerrors, 0);
	t = m ? fm_model_find_table(m, NULL, "users") : NULL;
	FM_CHECK(t != NULL);
	if (t)
	{
		FM_CHECK_INT(t->checks.n, 3000);
		FM_CHECK_STR(fm_list_get(&t->checks, 0, FmCheck)->name, "users_x_check");
		FM_CHECK_STR(fm_list_get(&t->checks, 2999, FmCheck)->name, "users_x_check2999");
	}
}

/* long names and floods of errors: the report stays bounded */
static void
test_bounded_report(void)
{
	FmBuf		b;
	FmDiagList	d;
	char		longname[600];

	memset(longname, 'M', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	fm_buf_init(&b, A);
	fm_buf_printf(&b, DS "model %s {\n  id Int @id\n}\n", longname);
	fm_diags_init(&d, A);
	FM_CHECK(fm_parse_schema(A, b.data, b.len, FM_DIALECT_AUTO, &d) == NULL);
	FM_CHECK_STR(fm_diags_to_text(A, &d),
				 "line 5, column 7: error: the name of this model is longer than 255 bytes (\"MMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMMM...\")\n");

	fm_buf_init(&b, A);
	fm_buf_append(&b, DS "model A {\n  id Int @id");
	for (int i = 0; i < 20000; i++)
		fm_buf_append(&b, " @id");
	fm_buf_append(&b, "\n}\n");
	fm_diags_init(&d, A);
	FM_CHECK(fm_parse_schema(A, b.data, b.len, FM_DIALECT_AUTO, &d) == NULL);
	FM_CHECK_INT(d.nerrors, 10001);
}

/*
 * A model of up to FMV_SMALL_MODEL fields looks its fields and columns up
 * by scanning them, a larger one through maps: the same diagnostics and
 * the same model either way.
 */
static void
check_lookups(int padding)
{
	FmBuf		b;
	char	   *out;
	FmModel    *m;
	FmTable    *t;

	fm_buf_init(&b, A);
	fm_buf_append(&b, DS "model Child {\n  id Int @id\n  parentId Int\n"
				  "  parent Parent @relation(fields: [parentId], references: [id])\n"
				  "  code String @unique\n  a Int @map(\"same\")\n  b Int @map(\"same\")\n"
				  "  code Int\n");
	for (int i = 0; i < padding; i++)
		fm_buf_printf(&b, "  pad%d Int\n", i);
	fm_buf_append(&b, "  @@index([cod])\n  @@unique([parentId, code])\n}\n"
				  "model Parent {\n  id Int @id\n  kids Child[]\n}\n");
	(void) parse(b.data, &out);
	FM_CHECK(strstr(out, "line 12, column 3: error: field \"code\" is defined twice in model \"Child\"\n") != NULL);
	FM_CHECK(strstr(out, "line 11, column 3: error: fields \"a\" and \"b\" of model \"Child\" both map to column \"same\"; use @map to tell them apart\n") != NULL);
	FM_CHECK(strstr(out, "error: unknown field \"cod\" in @@index of model \"Child\"; did you mean \"code\"?\n") != NULL);

	/* without the errors: columns resolved through the same lookups */
	fm_buf_init(&b, A);
	fm_buf_append(&b, DS "model Child {\n  id Int @id\n  parentId Int\n"
				  "  parent Parent @relation(fields: [parentId], references: [id])\n"
				  "  code String @unique @map(\"the_code\")\n");
	for (int i = 0; i < padding; i++)
		fm_buf_printf(&b, "  pad%d Int\n", i);
	fm_buf_append(&b, "  @@index([code, parentId])\n}\n"
				  "model Parent {\n  id Int @id\n  kids Child[]\n}\n");
	m = ok(b.data);
	t = table(m, "childs");
	FM_CHECK(t != NULL);
	if (t == NULL)
		return;
	FM_CHECK_INT(t->columns.n, 3 + padding);
	FM_CHECK_INT(t->foreign_keys.n, 1);
	FM_CHECK_INT(t->indexes.n, 1);
	if (t->indexes.n == 1)
		FM_CHECK_STR(fm_list_get(&fm_list_get(&t->indexes, 0, FmIndex)->elems, 0,
								 FmIndexElem)->column, "the_code");
	FM_CHECK_STR(fm_list_get(&t->uniques, 0, FmKey)->name, "childs_the_code_key");
}

static void
test_lookups(void)
{
	check_lookups(0);			/* 7 fields: scanned */
	check_lookups(30);			/* 37 fields: maps */
}

/* the model fm_check_schema shows its callback */
static void
seen_model(FmModel *m, void *arg)
{
	*(int *) arg = m == NULL ? 0 : m->tables.n;
}

/* fm_check_schema: fm_parse_schema's diagnostics, the model to a callback */
static void
test_check_schema(void)
{
	const char *good = DS "model A {\n  id Int @id\n}\nmodel B {\n  id Int @id\n}\n";
	const char *bad = DS "model A {\n  id Int @id\n  x Strin\n}\n";
	FmDiagList	d;
	int			ntables = -1;
	char	   *out;

	fm_diags_init(&d, A);
	fm_check_schema(A, good, strlen(good), FM_DIALECT_AUTO, &d, NULL, seen_model, &ntables);
	FM_CHECK_INT(ntables, 2);
	FM_CHECK_INT(d.items.n, 0);

	fm_diags_init(&d, A);
	ntables = -1;
	fm_check_schema(A, bad, strlen(bad), FM_DIALECT_AUTO, &d, NULL, seen_model, &ntables);
	FM_CHECK_INT(ntables, 0);	/* NULL: the schema has errors */
	(void) parse(bad, &out);
	FM_CHECK_STR(fm_diags_to_text(A, &d), out);
	fm_check_schema(A, bad, strlen(bad), FM_DIALECT_AUTO, &d, NULL, NULL, NULL);
}

/* FmTextRelease callback: frees the malloc'd copy of the text (ASan then
 * reports any later read of it) and counts the calls */
typedef struct Released
{
	char	   *copy;
	int			calls;
} Released;

static void
release_copy(void *arg)
{
	Released   *r = arg;

	free(r->copy);
	r->copy = NULL;
	r->calls++;
}

/*
 * fm_check_schema and fm_format_schema_release call the release hook once,
 * after the parse, and read the text no more: the diagnostics and the
 * formatted text are those of a call without it, with the copy freed
 * (under AddressSanitizer a later read would be a use after free).
 */
static void
test_release_after_parse(void)
{
	const char *texts[] = {
		DS "model A {\n  id Int @id\n  x Strin\n  s String @default(\"a\\\"b\") @db.VarChar(1)\n}\n",
		DS "/// doc\nmodel A {\n  id Int @id // trailing\n  // leading\n  b B?\n}\nenum B {\n  X\n}\n",
		DS "model A {\n  id Int @id\n",
	};

	for (int i = 0; i < (int) (sizeof(texts) / sizeof(texts[0])); i++)
	{
		size_t		len = strlen(texts[i]);
		FmDiagList	d,
					d2;
		Released	r = {NULL, 0};
		FmTextRelease rel = {release_copy, &r};
		char	   *want,
				   *got;

		fm_diags_init(&d, A);
		fm_check_schema(A, texts[i], len, FM_DIALECT_AUTO, &d, NULL, NULL, NULL);
		r.copy = malloc(len);
		memcpy(r.copy, texts[i], len);
		fm_diags_init(&d2, A);
		fm_check_schema(A, r.copy, len, FM_DIALECT_AUTO, &d2, &rel, NULL, NULL);
		FM_CHECK_INT(r.calls, 1);
		FM_CHECK_STR(fm_diags_to_text(A, &d2), fm_diags_to_text(A, &d));

		fm_diags_init(&d, A);
		want = fm_format_schema_dialect(A, texts[i], len, FM_DIALECT_AUTO, &d);
		r.copy = malloc(len);
		memcpy(r.copy, texts[i], len);
		fm_diags_init(&d2, A);
		got = fm_format_schema_release(A, r.copy, len, FM_DIALECT_AUTO, &d2, &rel);
		FM_CHECK_INT(r.calls, 2);
		FM_CHECK_STR(got ? got : "(null)", want ? want : "(null)");
		FM_CHECK_STR(fm_diags_to_text(A, &d2), fm_diags_to_text(A, &d));
	}
}

static void
setup(void)
{
	A = fm_arena_create();
}

static void
teardown(void)
{
	fm_arena_destroy(A);
}

/*
 * Literal defaults against the column's SQL type: numeric precision after
 * rounding (the carry of 9.95 into 10.0), the floating-point ranges, and
 * character lengths in characters, trailing spaces cut as PostgreSQL cuts
 * them.
 */
static const char *default_fits_cases[][3] = {
	/* type, default, expected: "" fits, else the start of the message */
	{"Decimal @db.Decimal(3, 1)", "99.94", ""},
	{"Decimal @db.Decimal(3, 1)", "99.95", "default value 99.95 is out of range for type \"numeric(3,1)\""},
	{"Decimal @db.Decimal(3, 1)", "-99.95", "default value -99.95 is out of range"},
	{"Decimal @db.Decimal(3, 1)", "0.00000000000000099", ""},
	{"Decimal @db.Decimal(2, 2)", "0.995", "default value 0.995 is out of range"},
	{"Decimal @db.Decimal(2, 2)", "0.994", ""},
	{"Decimal @db.Decimal(4, 0)", "9999.4", ""},
	{"Decimal @db.Decimal(4, 0)", "9999.5", "default value 9999.5 is out of range"},
	{"Decimal @db.Decimal(4, 0)", "0.5", ""},
	{"Decimal @db.Decimal(4, 2)", "99.99e0", ""},
	{"Decimal @db.Decimal(4, 2)", "9.999e1", ""},
	{"Decimal @db.Decimal(4, 2)", "9.9995e1", "default value 9.9995e1 is out of range"},
	{"Decimal @db.Decimal(4, 2)", "0.0000e99", ""},
	{"Decimal", "1e131071", ""},
	{"Decimal", "1e131072", "default value 1e131072 is out of range for type \"numeric\""},
	{"Decimal", "0e1073741823", "default value 0e1073741823 is out of range"},
	{"Float @db.Real", "3.4e38", ""},
	{"Float @db.Real", "-3.5e38", "default value -3.5e38 is out of range for type \"real\""},
	{"Float @db.Real", "1e-45", ""},
	{"Float @db.Real", "1e-46", "default value 1e-46 is out of range"},
	{"Float", "1e308", ""},
	{"Float", "1e309", "default value 1e309 is out of range for type \"double precision\""},
	{"Float", "0.0e-999", ""},
	{"String @db.VarChar(3)", "\"\xc3\xa4\xc3\xb6\xc3\xbc\"", ""},
	{"String @db.VarChar(3)", "\"\xc3\xa4\xc3\xb6\xc3\xbcx\"", "default value \"\xc3\xa4\xc3\xb6\xc3\xbcx\" is too long for type \"character varying(3)\""},
	{"String @db.VarChar(3)", "\"abc   \"", ""},
	{"String @db.Char(2)", "\"a b\"", "default value \"a b\" is too long for type \"character(2)\""},
	{"String @db.Char", "\"a \"", ""},
	{"String", "\"any length at all\"", ""},
};

static void
test_default_fits_type(void)
{
	for (size_t i = 0; i < sizeof(default_fits_cases) / sizeof(default_fits_cases[0]); i++)
	{
		const char *want = default_fits_cases[i][2];
		char	   *text = fm_psprintf(A, "datasource db {\n  provider = \"postgresql\"\n  url = env(\"U\")\n}\nmodel M {\n  id Int @id\n  x %s @default(%s)\n}\n",
									   default_fits_cases[i][0], default_fits_cases[i][1]);
		char	   *out = diags(text);

		if (*want == '\0')
			FM_CHECK_STR(out, "");
		else if (strstr(out, want) == NULL)
			FM_CHECK_STR(out, want);	/* shows what came instead */
	}
	/* the same rules, as the printer asks them (print_types.c) */
	FM_CHECK(fm_literal_fits_type("smallint", "-32768"));
	FM_CHECK(!fm_literal_fits_type("smallint", "32768"));
	FM_CHECK(fm_literal_fits_type("integer", "2147483647"));
	FM_CHECK(!fm_literal_fits_type("integer", "-2147483649"));
	FM_CHECK(fm_literal_fits_type("bigint", "-9223372036854775808"));
	FM_CHECK(!fm_literal_fits_type("bigint", "9223372036854775808"));
	FM_CHECK(fm_literal_fits_type("integer", "1.5"));	/* rounded, not judged */
	FM_CHECK(!fm_literal_fits_type("character(1)", "ab"));
	FM_CHECK(fm_literal_fits_type("character varying", "any length"));
	FM_CHECK(fm_literal_fits_type("text", "x"));
	FM_CHECK(fm_literal_fits_type(NULL, "x"));
}

/* A table holds at most 1,600 columns (MaxHeapAttributeNumber). */
/* constraint names in PostgreSQL's scopes (validate_names.c) */
static void
test_name_scopes(void)
{
	const char *models = "model C {\n  id Int @id\n  as A[]\n  bs B[]\n}\n"
		"model A {\n  id Int @id\n  c_id Int\n  c C @relation(fields: [c_id], references: [id], map: \"%s\")\n"
		"  @@check(\"id > 0\", map: \"%s\")\n}\n"
		"model B {\n  id Int @id\n  c_id Int @unique(map: \"%s\")\n  c C @relation(fields: [c_id], references: [id], map: \"%s\")\n"
		"  @@check(\"id > 0\", map: \"%s\")\n}\n";
	char	   *got;
	FmModel    *m;

	/* a foreign key or CHECK name once per table, and a unique's apart */
	m = parse(fm_psprintf(A, "%s%s", DS, fm_psprintf(A, models, "fk", "positive", "b_key", "fk", "positive")), &got);
	FM_CHECK_STR(got, "");
	/* a generated name still avoids every constraint name of the schema */
	m = parse(DS "model C {\n  id Int @id\n  as A[]\n  bs B[]\n}\n"
			  "model A {\n  id Int @id\n  c_id Int\n  c C @relation(fields: [c_id], references: [id], map: \"bs_c_id_fkey\")\n}\n"
			  "model B {\n  id Int @id\n  c_id Int\n  c C @relation(fields: [c_id], references: [id])\n}\n", &got);
	FM_CHECK_STR(got, "");
	if (m)
		FM_CHECK_STR(fm_list_get(&table(m, "bs")->foreign_keys, 0, FmForeignKey)->name,
					 "bs_c_id_fkey1");
	/* a unique constraint's name is a relation name of the schema, and a
	 * constraint name of its table */
	got = diags(fm_psprintf(A, "%s%s", DS, fm_psprintf(A, models, "fk", "positive", "as", "fk", "positive")));
	FM_CHECK(strstr(got, "the database name \"as\" of the unique constraint on \"c_id\" of model \"B\" is already used by the table of model \"A\"") != NULL);
	got = diags(fm_psprintf(A, "%s%s", DS, fm_psprintf(A, models, "fk", "positive", "fk", "fk", "positive")));
	FM_CHECK(strstr(got, "the database name \"fk\" of the foreign key of relation field \"c\" in model \"B\" is already used by the unique constraint on \"c_id\" of model \"B\"") != NULL);
	got = diags(fm_psprintf(A, "%s%s", DS, fm_psprintf(A, models, "fk", "fk", "b_key", "x", "y")));
	FM_CHECK(strstr(got, "the database name \"fk\" of the check constraint \"id > 0\" of model \"A\" is already used by the foreign key of relation field \"c\" in model \"A\"") != NULL);
}

static void
test_column_limit(void)
{
	for (int n = 1600; n <= 1601; n++)
	{
		FmBuf		b;
		char	   *out;

		fm_buf_init(&b, A);
		fm_buf_append(&b, "datasource db {\n  provider = \"postgresql\"\n  url = env(\"U\")\n}\nmodel Wide {\n  id Int @id\n");
		for (int i = 1; i < n; i++)
			fm_buf_printf(&b, "  c%d Int?\n", i);
		fm_buf_append(&b, "  other Other? @relation(fields: [c1], references: [id])\n}\nmodel Other {\n  id Int @id\n  w Wide[]\n}\n");
		out = diags(fm_buf_finish(&b));
		if (n == 1600)
			FM_CHECK_STR(out, "");
		else
			FM_CHECK_STR(out, "line 5, column 7: error: model \"Wide\" has 1601 columns, more than the 1600 a PostgreSQL table can hold; move some fields to a related model\n");
	}
}

/*
 * A table that inherits holds at most 1,600 columns with its ancestors'
 * (merged by name, as CREATE TABLE ... INHERITS does): 1,000 of the base,
 * 10 of them stated again by the child, and 600 or 601 of its own.
 */
static void
test_inherited_column_limit(void)
{
	for (int n = 600; n <= 601; n++)
	{
		FmBuf		b;
		char	   *out;

		fm_buf_init(&b, A);
		fm_buf_append(&b, "datasource db {\n  provider = \"postgresql\"\n  url = env(\"U\")\n}\nmodel Base {\n  id Int @id\n");
		for (int i = 1; i < 1000; i++)
			fm_buf_printf(&b, "  c%d Int?\n", i);
		fm_buf_append(&b, "}\nmodel Child {\n");
		for (int i = 1; i <= 10; i++)
			fm_buf_printf(&b, "  c%d Int?\n", i);
		for (int i = 1; i <= n; i++)
			fm_buf_printf(&b, "  d%d Int?\n", i);
		fm_buf_append(&b, "  @@inherits([Base])\n}\n");
		out = diags(fm_buf_finish(&b));
		if (n == 600)
			FM_CHECK_STR(out, "");
		else
			FM_CHECK_STR(out, "line 1007, column 7: error: model \"Child\" has 1601 columns with those it inherits, more than the 1600 a PostgreSQL table can hold; move some fields to a related model\n");
	}
}

/*
 * Names Prisma reserves for models and enums (PrismaClient, the reserved
 * words of JavaScript): an error in the prisma dialect, as the pinned
 * validator says; other names of the sort pass, as there.
 */
static void
test_prisma_reserved_names(void)
{
	const char *refused[] = {"PrismaClient", "class", "delete", "async", "await", "yield"};
	const char *taken[] = {"Prisma", "static", "of", "undefined", "Promise", "Class"};

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
	{
		FM_CHECK(fm_prisma_reserved_name(refused[i]));
		FM_CHECK(!fm_prisma_reserved_name(taken[i]));
	}
	{
		const char *text = DS "model class {\n  id Int @id\n}\nenum await {\n  A\n}\n";
		FmDiagList	d;

		fm_diags_init(&d, A);
		(void) fm_parse_schema(A, text, strlen(text), FM_DIALECT_PRISMA, &d);
		FM_CHECK(strstr(fm_diags_to_text(A, &d), "model name \"class\" is reserved by Prisma (a reserved word of JavaScript)") != NULL);
		FM_CHECK(strstr(fm_diags_to_text(A, &d), "enum name \"await\" is reserved by Prisma") != NULL);
		fm_diags_init(&d, A);
		(void) fm_parse_schema(A, text, strlen(text), FM_DIALECT_FERRIORM, &d);
		FM_CHECK(strstr(fm_diags_to_text(A, &d), "reserved by Prisma") == NULL);
	}
}

/*
 * fm_prisma_index_takes (which pull asks before it states a default
 * operator class) agrees with the prisma dialect's validator on every
 * combination of index type, field type, native type and list below: a
 * field is taken without ops: exactly when @@index([f], type: X) validates.
 */
static void
test_prisma_index_takes(void)
{
	const char *methods[] = {"Gin", "Gist", "SpGist", "Brin", "Hash"};
	struct
	{
		const char *type;		/* as written */
		const char *name;		/* fm_prisma_index_takes's type_name */
		const char *native;		/* without "db." */
		bool		list;
	}			fields[] = {
		{"Int", "Int", NULL, false}, {"String", "String", NULL, false},
		{"String @db.Text", "String", "Text", false},
		{"String @db.Inet", "String", "Inet", false},
		{"Json", "Json", NULL, false}, {"Json @db.JsonB", "Json", "JsonB", false},
		{"Float", "Float", NULL, false}, {"DateTime", "DateTime", NULL, false},
		{"DateTime @db.Date", "DateTime", "Date", false},
		{"Int[]", "Int", NULL, true}, {"Role", "Role", NULL, false},
		{"Role[]", "Role", NULL, true}, {"Decimal", "Decimal", NULL, false},
		{"Unsupported(\"tsvector\")?", "Unsupported", NULL, false},
		{"Bytes", "Bytes", NULL, false}, {"Boolean", "Boolean", NULL, false},
	};

	for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		{
			char	   *text = fm_psprintf(A, DS "enum Role {\n  A\n}\nmodel T {\n  id Int @id\n"
										   "  f %s\n  @@index([f], type: %s)\n}\n",
										   fields[f].type, methods[m]);
			char	   *lower = fm_strdup(A, methods[m]);
			FmDiagList	d;
			bool		takes;

			for (char *c = lower; *c; c++)
				*c = (char) (*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
			fm_diags_init(&d, A);
			(void) fm_parse_schema(A, text, strlen(text), FM_DIALECT_PRISMA, &d);
			takes = fm_prisma_index_takes(lower, fields[f].name, fields[f].native, fields[f].list);
			if (takes != (d.nerrors == 0))
				fprintf(stderr, "%s on %s: takes %d, validator: %s\n", methods[m],
						fields[f].type, takes, fm_diags_to_text(A, &d));
			FM_CHECK(takes == (d.nerrors == 0));
		}
}

/*
 * DateTime defaults: RFC 3339 as Prisma's chrono reads it, rendered as
 * Prisma Migrate writes it; every rendering below is Prisma's own DDL
 * (@prisma/schema-engine-wasm, create-sql), every reason its message.
 */
static const char *const rfc3339_ok[][2] = {
	{"1970-01-01T10:20:30Z", "1970-01-01 10:20:30 +00:00"},
	{"2020-01-01T10:20:30.5Z", "2020-01-01 10:20:30.500 +00:00"},
	{"2020-06-15T12:30:00+02:00", "2020-06-15 12:30:00 +02:00"},
	{"2020-01-01T10:20:30.123456789Z", "2020-01-01 10:20:30.123456789 +00:00"},
	{"2020-01-01t10:20:30z", "2020-01-01 10:20:30 +00:00"},
	{"2020-01-01 10:20:30Z", "2020-01-01 10:20:30 +00:00"},
	{"2020-01-01T10:20:30.5+05:30", "2020-01-01 10:20:30.500 +05:30"},
	{"0001-01-01T00:00:00Z", "0001-01-01 00:00:00 +00:00"},
	{"2020-01-01T10:20:60Z", "2020-01-01 10:20:60 +00:00"},
	{"2020-01-01T10:20:30.000100Z", "2020-01-01 10:20:30.000100 +00:00"},
	{"2020-01-01T10:20:30.1234567891234Z", "2020-01-01 10:20:30.123456789 +00:00"},
	{"2020-01-01T10:20:30-00:00", "2020-01-01 10:20:30 +00:00"},
	{"2020-02-29T10:20:30-08:45", "2020-02-29 10:20:30 -08:45"},
	{"2020-01-01T10:20:59.999999999Z", "2020-01-01 10:20:59.999999999 +00:00"},
	{"2020-01-01T10:20:30.000000000Z", "2020-01-01 10:20:30 +00:00"},
};
static const char *const rfc3339_bad[][2] = {
	{"not a date", "input contains invalid characters"},
	{"2020-01-01", "premature end of input"},
	{"2020-01-01T10:20:30", "premature end of input"},
	{"10:20:30", "input contains invalid characters"},
	{"2020-13-01T00:00:00Z", "input is out of range"},
	{"2020-01-01T24:00:00Z", "input is out of range"},
	{"2021-02-29T00:00:00Z", "input is out of range"},
	{"2020-01-01T10:20:30Zx", "trailing input"},
	{"2020-01-01T10:20:30.Z", "input contains invalid characters"},
	{"2020-01-01T10:20:30+0200", "input contains invalid characters"},
	{"", "premature end of input"},
};

/* JSON texts and why not (json_check.c), as serde_json and jsonb read them */
static const char *const json_ok[] = {
	"{}", "[]", " 1 ", "-0", "0.5", "1e5", "-1.25E-3", "true", "false", "null",
	"\"\"", "\"\\u00e9\\ud83d\\ude00\\n\\/\"", "{\"a\": [1, {\"b\": null}], \"c\": \"\"}",
	"\t[\r\n1 , 2 ]\n",
};
static const char *const json_bad[][2] = {
	{"", "an unexpected end"},
	{"x", "an invalid value"},
	{"01", "trailing characters"},
	{"1.", "an invalid number"},
	{"-", "an invalid number"},
	{"1e", "an invalid number"},
	{"+1", "an invalid value"},
	{"NaN", "an invalid value"},
	{"[1,]", "an invalid value"},
	{"[1 2]", "a missing \",\" or \"]\" in an array"},
	{"{\"a\" 1}", "a missing \":\" after a key"},
	{"{a: 1}", "a key that is not a string"},
	{"{\"a\": 1", "an unexpected end"},
	{"\"a", "an unterminated string"},
	{"\"a\tb\"", "a control character in a string"},
	{"\"\\x\"", "an invalid escape in a string"},
	{"\"\\u12zz\"", "an invalid \\u escape"},
	{"\"\\u12\"", "an incomplete \\u escape"},
	{"\"\\ud83d\"", "a lone high surrogate in a \\u escape"},
	{"\"\\ude00\"", "a lone low surrogate in a \\u escape"},
	{"1 2", "trailing characters"},
	{"\f1", "an invalid value"},
	{"tru", "an invalid value"},
};

static void
test_json_defaults(void)
{
	FmBuf		deep;

	for (size_t i = 0; i < sizeof(json_ok) / sizeof(json_ok[0]); i++)
		FM_CHECK_STR(fm_json_check(json_ok[i], strlen(json_ok[i])), NULL);
	for (size_t i = 0; i < sizeof(json_bad) / sizeof(json_bad[0]); i++)
		FM_CHECK_STR(fm_json_check(json_bad[i][0], strlen(json_bad[i][0])), json_bad[i][1]);
	/* 128 levels of nesting are JSON to serde_json, 129 are not */
	fm_buf_init(&deep, A);
	for (int i = 0; i < 128; i++)
		fm_buf_append(&deep, "[");
	for (int i = 0; i < 128; i++)
		fm_buf_append(&deep, "]");
	FM_CHECK_STR(fm_json_check(deep.data, strlen(deep.data)), NULL);
	FM_CHECK_STR(fm_json_check(fm_psprintf(A, "[%s]", deep.data), strlen(deep.data) + 2),
				 "nesting deeper than 128 levels");
	/* in a schema, both dialects: the element of a list default too */
	for (int prisma = 0; prisma < 2; prisma++)
	{
		const char *text = DS "model M {\n  id Int @id\n"
			"  a Json @default(\"{\\\"k\\\": [1, 2]}\")\n"
			"  b Json @default(\"[1, 2\")\n"
			"  c Json[] @default([\"1\", \"x\"])\n}\n";
		char	   *got;

		FM_CHECK(parse_in(text, prisma ? FM_DIALECT_PRISMA : FM_DIALECT_FERRIORM, &got) == NULL);
		FM_CHECK(strstr(got, "default value \"[1, 2\" of field \"b\" in model \"M\" is not JSON (an unexpected end)") != NULL);
		FM_CHECK(strstr(got, "default value \"x\" of field \"c\" in model \"M\" is not JSON (an invalid value)") != NULL);
		FM_CHECK(strstr(got, "field \"a\"") == NULL);
	}
}

static void
test_datetime_defaults(void)
{
	char		out[FM_RFC3339_OUT];

	for (size_t i = 0; i < sizeof(rfc3339_ok) / sizeof(rfc3339_ok[0]); i++)
	{
		FM_CHECK_STR(fm_rfc3339_literal(rfc3339_ok[i][0], out), NULL);
		FM_CHECK_STR(out, rfc3339_ok[i][1]);
	}
	for (size_t i = 0; i < sizeof(rfc3339_bad) / sizeof(rfc3339_bad[0]); i++)
		FM_CHECK_STR(fm_rfc3339_literal(rfc3339_bad[i][0], out), rfc3339_bad[i][1]);

	/* in a schema: the DDL's text, both dialects; other text only in ferriorm's */
	for (int prisma = 0; prisma < 2; prisma++)
	{
		const char *text = DS "model M {\n  id Int @id\n"
			"  a DateTime @db.Time(3) @default(\"2020-01-01T10:20:30.25Z\")\n"
			"  b DateTime[] @default([\"2020-01-01T10:20:30Z\", \"2021-01-01T00:00:00.25Z\"])\n"
			"  c DateTime @db.Date @default(\"2020-01-01\")\n}\n";
		FmDiagList	d;
		FmModel    *m;
		FmTable    *t;

		fm_diags_init(&d, A);
		m = fm_parse_schema(A, text, strlen(text),
							prisma ? FM_DIALECT_PRISMA : FM_DIALECT_FERRIORM, &d);
		if (prisma)
		{
			FM_CHECK(strstr(fm_diags_to_text(A, &d),
							"default value \"2020-01-01\" of field \"c\" in model \"M\" is not an RFC 3339 date and time (premature end of input)") != NULL);
			continue;
		}
		FM_CHECK_STR(fm_diags_to_text(A, &d), "");
		t = m && m->tables.n ? fm_list_get(&m->tables, 0, FmTable) : NULL;
		FM_CHECK(t != NULL && t->columns.n == 4);
		if (t == NULL || t->columns.n != 4)
			continue;
		FM_CHECK_STR(fm_list_get(&t->columns, 1, FmColumn)->default_sql,
					 "'2020-01-01 10:20:30.250 +00:00'");
		FM_CHECK_STR(fm_list_get(&t->columns, 2, FmColumn)->default_sql,
					 "ARRAY['2020-01-01 10:20:30 +00:00', '2021-01-01 00:00:00.250 +00:00']::timestamp(3) with time zone[]");
		FM_CHECK_STR(fm_list_get(&t->columns, 3, FmColumn)->default_sql, "'2020-01-01'");
	}
}

/*
 * A schema of n models, each in a relation cycle with its neighbours, with
 * problems planted in the first models that only the passes after the
 * models' own report (relations, names), so that they read models whose
 * syntax tree validation by block has freed; extra is added to model 0,
 * @@ignore to model ignored (-1: none).
 */
static char *
by_block_schema(int n, bool errors, const char *head, const char *extra,
				int ignored)
{
	FmBuf		b;

	fm_buf_init(&b, A);
	fm_buf_append(&b, head);
	for (int i = 0; i < n; i++)
	{
		fm_buf_printf(&b, "/// model %d\nmodel M%d {\n  id Int @id @default(autoincrement())\n"
					  "  code String @unique @db.VarChar(32)\n"
					  "  createdAt DateTime @default(now())\n  parentId Int?\n"
					  "  parent M%d? @relation(\"P%d\", fields: [parentId], references: [id], onDelete: Cascade)\n"
					  "  kids M%d[] @relation(\"P%d\")\n",
					  i, i, (i + 1) % n, i, (i + n - 1) % n, (i + n - 1) % n);
		if (i == 0)
			fm_buf_append(&b, extra);
		if (errors && i == 1)
			fm_buf_append(&b, "  ref M5? @relation(\"R\", fields: [parentIdd], references: [idd])\n"
						  "  @@map(\"shared\")\n");
		if (errors && i == 5)
			fm_buf_append(&b, "  refs M1[] @relation(\"R\")\n");
		if (errors && i == n - 1)
			fm_buf_append(&b, "  @@map(\"shared\")\n");
		if (i == ignored)
			fm_buf_append(&b, "  @@ignore\n");
		if (errors && (i == 2 || i == n - 2))
			fm_buf_append(&b, "  @@index([code], map: \"dup_idx\")\n");
		if (errors && i == 3)
			fm_buf_append(&b, "  otherId String\n  other M4 @relation(\"O\", fields: [otherId], references: [id])\n");
		if (errors && i == 4)
			fm_buf_append(&b, "  back M3[] @relation(\"O\")\n  lone M6\n");
		fm_buf_append(&b, "  @@index([createdAt, code])\n}\n\n");
	}
	return b.data;
}

/* the diagnostics of text validated from a tree parsed whole */
static char *
whole_tree_diags(const char *text, FmModel **model)
{
	FmDiagList	d;
	FmAstSchema *ast;

	fm_diags_init(&d, A);
	ast = fm_ast_parse_model(A, text, strlen(text), &d);
	*model = fm_ast_validate(A, ast, FM_DIALECT_AUTO, &d);
	fm_diags_sort(&d);
	return fm_diags_to_text(A, &d);
}

/* the same from a tree parsed by block: how many node arenas it had and freed */
static char *
by_block_diags(const char *text, FmModel **model, int *nchunks, int *nfreed)
{
	FmDiagList	d;
	FmAstSchema *ast;

	fm_diags_init(&d, A);
	ast = fm_ast_parse_model_by_block(A, text, strlen(text), &d);
	*nchunks = ast->node_arenas.n;
	*model = fm_ast_validate(A, ast, FM_DIALECT_AUTO, &d);
	*nfreed = 0;
	for (int i = 0; i < ast->node_arenas.n; i++)
		*nfreed += ast->node_arenas.items[i] == NULL;
	FM_CHECK(ast->relations == NULL);
	fm_ast_free_nodes(ast);
	fm_diags_sort(&d);
	return fm_diags_to_text(A, &d);
}

/*
 * Validation by block (each model's syntax tree freed after its own
 * passes) reports what validation of the whole tree reports, byte for
 * byte, and builds the same model; under AddressSanitizer, a later pass
 * that read a freed tree would fail here.  A schema with @@inherits is
 * validated pass by pass and frees nothing early.
 */
static void
test_by_block(void)
{
	const char *prisma_head = "generator client {\n  provider = \"prisma-client-js\"\n}\n" DS;
	struct
	{
		const char *head;
		bool		errors;
		const char *extra;
		int			ignored;
		bool		valid;
		bool		freed;
	}			cases[] = {
		{DS, false, "", -1, true, true},
		{DS, true, "", -1, false, true},
		/* @@ignore on a target: the prisma dialect's rule, read after release */
		{prisma_head, false, "  ign M9 @relation(\"I\", fields: [parentId], references: [id])\n", 9, false, true},
		{DS, false, "  @@inherits(M7)\n", -1, true, false},
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
	{
		char	   *text = by_block_schema(1500, cases[c].errors, cases[c].head,
										   cases[c].extra, cases[c].ignored);
		FmModel    *whole,
				   *blocks;
		int			nchunks,
					nfreed;
		char	   *want = whole_tree_diags(text, &whole);
		char	   *got = by_block_diags(text, &blocks, &nchunks, &nfreed);

		FM_CHECK_STR(got, want);
		FM_CHECK(nchunks > 10);
		if (cases[c].freed)
			FM_CHECK_INT(nfreed, nchunks);
		else
			FM_CHECK_INT(nfreed, 0);
		if (cases[c].valid)
		{
			FM_CHECK_STR(got, "");
			FM_CHECK(whole != NULL && blocks != NULL);
			if (whole && blocks)
			{
				FM_CHECK_INT(blocks->tables.n, 1500);
				FM_CHECK_STR(fm_plan_to_script(A, fm_diff(A, whole, blocks, &fm_default_quoting)), "");
			}
		}
		else
			FM_CHECK(strstr(got, "error:") != NULL);
		if (c == 2)
			FM_CHECK(strstr(got, "must have @ignore") != NULL);
		if (cases[c].errors)
		{
			FM_CHECK(strstr(got, "model \"M1\"") != NULL);
			FM_CHECK(strstr(got, "\"dup_idx\"") != NULL);
			FM_CHECK(strstr(got, "did you mean") != NULL);
		}
	}

	/*
	 * The report cut at FM_MAX_VALIDATOR_DIAGS and the budget of
	 * suggestions count in the order of the passes: the same order with
	 * either tree (model by model), so the same diagnostics survive.
	 */
	for (int k = 0; k < 2; k++)
	{
		FmBuf		b;
		FmModel    *whole,
				   *blocks;
		int			nchunks,
					nfreed;
		char	   *want,
				   *got;

		fm_buf_init(&b, A);
		fm_buf_append(&b, DS "model A {\n  id Int @id\n  name String\n  @@index([nmae])\n}\n");
		if (k == 0)
		{
			fm_buf_append(&b, "model Z {\n  id Int @id\n");
			for (int i = 0; i < 10000; i++)
				fm_buf_printf(&b, "  f%d Int[]?\n", i);
		}
		else
		{
			for (int i = 0; i < 1000; i++)
				fm_buf_printf(&b, "model M%d { id Int @id }\n", i);
			fm_buf_append(&b, "model Z {\n  id Int @id\n");
			for (int i = 0; i < 2100; i++)
				fm_buf_printf(&b, "  f%d Qqqq\n", i);
		}
		fm_buf_append(&b, "}\n");
		want = whole_tree_diags(b.data, &whole);
		got = by_block_diags(b.data, &blocks, &nchunks, &nfreed);
		FM_CHECK_STR(got, want);
		/* model A comes first: its @@index is checked, with a suggestion */
		FM_CHECK(strstr(got, "unknown field \"nmae\" in @@index of model \"A\"; did you mean \"name\"?") != NULL);
		if (k == 0)
			FM_CHECK(strstr(got, "too many problems") != NULL);
	}
}

/*
 * Every field attribute is known (validate_model.c looks them up by first
 * letter, field_attr, beside the list its suggestions read): none of
 * them is "unknown", and a name beside one of them is, with its suggestion.
 */
static void
test_field_attribute_names(void)
{
	static const char *const known[] = {"id", "unique", "default", "updatedAt",
		"map", "relation", "ignore", "identity", "collate", "generated"};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
	{
		FmBuf		b;
		char	   *out;
		char	   *unknown;

		fm_buf_init(&b, A);
		fm_buf_printf(&b, DS "model M {\n  id Int @id\n  x Int @%s\n}\n", known[i]);
		out = diags(b.data);
		unknown = fm_psprintf(A, "unknown attribute \"@%s\"", known[i]);
		FM_CHECK(strstr(out, unknown) == NULL);
		/* one letter more is unknown, and the name is suggested */
		fm_buf_init(&b, A);
		fm_buf_printf(&b, DS "model M {\n  id Int @id\n  x Int @%sx\n}\n", known[i]);
		out = diags(b.data);
		unknown = fm_psprintf(A, "unknown attribute \"@%sx\" on field \"x\" in model \"M\"; did you mean \"@%s\"?",
							  known[i], known[i]);
		FM_CHECK(strstr(out, unknown) != NULL);
	}
	FM_CHECK(strstr(diags(DS "model M {\n  id Int @id\n  x Int @zz\n}\n"),
					"unknown attribute \"@zz\"") != NULL);
	FM_CHECK(strstr(diags(DS "model M {\n  id Int @id\n  x Int @i\n}\n"),
					"unknown attribute \"@i\"") != NULL);
}

FM_TEST_MAIN(FM_TEST(setup), FM_TEST(test_scalars), FM_TEST(test_enums_and_names),
			 FM_TEST(test_relations), FM_TEST(test_schemas),
			 FM_TEST(test_diagnostics), FM_TEST(test_warnings), FM_TEST(test_view_index), FM_TEST(test_robustness), FM_TEST(test_large), FM_TEST(test_bounded_report),
			 FM_TEST(test_lookups), FM_TEST(test_check_schema), FM_TEST(test_default_fits_type), FM_TEST(test_column_limit), FM_TEST(test_inherited_column_limit), FM_TEST(test_release_after_parse),
			 FM_TEST(test_datetime_defaults), FM_TEST(test_json_defaults), FM_TEST(test_name_scopes), FM_TEST(test_prisma_reserved_names), FM_TEST(test_prisma_index_takes), FM_TEST(test_by_block),
			 FM_TEST(test_field_attribute_names),
			 FM_TEST(teardown))
