/*-------------------------------------------------------------------------
 *
 * test_dialect.c
 *	  Unit tests of the dialect table (dialect.c) and of its use by the
 *	  validator: derived names, Prisma's constraint names and their
 *	  truncation, the choice of the dialect by "auto", types, SERIAL,
 *	  unique indexes, scalar lists and relationMode.
 *
 * test/unit/test_dialect.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "fm_test.h"
#include "fm_ast.h"
#include "fm_parse.h"

static FmArena *A;

static FmModel *
parse(const char *text, FmDialectKind k, FmDiagList *d)
{
	fm_diags_init(d, A);
	return fm_parse_schema(A, text, strlen(text), k, d);
}

static void
test_table(void)
{
	const FmDialect *f = fm_dialect(FM_DIALECT_FERRIORM);
	const FmDialect *p = fm_dialect(FM_DIALECT_PRISMA);
	FmDialectKind k;

	FM_CHECK_STR(fm_dialect_derive(f, A, FM_NAME_TABLE, "HTMLParser"), "h_t_m_l_parsers");
	FM_CHECK_STR(fm_dialect_derive(f, A, FM_NAME_COLUMN, "createdAt"), "created_at");
	FM_CHECK_STR(fm_dialect_derive(f, A, FM_NAME_LABEL, "ADMIN"), "admin");
	FM_CHECK_STR(fm_dialect_derive(p, A, FM_NAME_TABLE, "HTMLParser"), "HTMLParser");
	FM_CHECK_STR(fm_dialect_derive(p, A, FM_NAME_LABEL, "ADMIN"), "ADMIN");
	FM_CHECK_STR(fm_dialect_scalar_sql(f, "DateTime"), "timestamp(3) with time zone");
	FM_CHECK_STR(fm_dialect_scalar_sql(p, "DateTime"), "timestamp(3) without time zone");
	FM_CHECK_STR(fm_dialect_scalar_sql(p, "Decimal"), "numeric(65,30)");
	FM_CHECK_STR(fm_dialect_scalar_sql(f, "Decimal"), "numeric");
	FM_CHECK_STR(fm_dialect_scalar_sql(p, "Float"), "double precision");
	FM_CHECK(fm_dialect_scalar_sql(p, "Nope") == NULL);
	FM_CHECK(fm_dialect_from_name("prisma", &k) && k == FM_DIALECT_PRISMA);
	FM_CHECK(fm_dialect_from_name("auto", &k) && k == FM_DIALECT_AUTO);
	FM_CHECK(!fm_dialect_from_name("mysql", &k));
}

static void
test_prisma_names(void)
{
	char		t[100];
	char	   *n;

	FM_CHECK_STR(fm_dialect_prisma_name(A, "User", NULL, "_pkey"), "User_pkey");
	FM_CHECK_STR(fm_dialect_prisma_name(A, "User", "email", "_key"), "User_email_key");
	/* clipped before the suffix: at most 63 bytes in all */
	memset(t, 'x', 70);
	t[70] = '\0';
	n = fm_dialect_prisma_name(A, t, "col", "_fkey");
	FM_CHECK_INT(strlen(n), 63);
	FM_CHECK(strcmp(n + 58, "_fkey") == 0);
	/* exactly at the limit: 58 bytes + "_pkey" */
	t[58] = '\0';
	FM_CHECK_INT(strlen(fm_dialect_prisma_name(A, t, NULL, "_pkey")), 63);
	/* a long join table: clipped before "_AB_pkey" and "_B_index" */
	memset(t, 'j', 70);
	t[0] = '_';
	t[70] = '\0';
	n = fm_dialect_prisma_name(A, t, NULL, "_AB_pkey");
	FM_CHECK_INT(strlen(n), 63);
	FM_CHECK(strcmp(n + 55, "_AB_pkey") == 0);
	n = fm_dialect_prisma_name(A, t, NULL, "_B_index");
	FM_CHECK(strcmp(n + 55, "_B_index") == 0);
	/* a multibyte character is never split */
	memset(t, 'a', 57);
	strcpy(t + 57, "\xc3\xa9z");	/* 57 + 2 + 1 bytes */
	n = fm_dialect_prisma_name(A, t, NULL, "_pkey");
	FM_CHECK_INT(strlen(n), 57 + 5);
}

static const char *const prisma_schema =
"datasource db {\n  provider = \"postgresql\"\n}\n"
"generator client {\n  provider = \"prisma-client-js\"\n}\n"
"model BlogPost {\n"
"  id        Int      @id @default(autoincrement())\n"
"  slug      String   @unique\n"
"  tags      String[] @default([\"a\", \"b\"])\n"
"  updatedAt DateTime @default(now()) @updatedAt\n"
"  key       String   @default(uuid())\n"
"}\n";

static void
test_validate(void)
{
	FmDiagList	d;
	FmModel    *m;
	FmTable    *t;
	FmColumn   *c;
	FmIndex    *ix;

	/* auto + prisma generator = prisma */
	m = parse(prisma_schema, FM_DIALECT_AUTO, &d);
	FM_CHECK(m != NULL);
	if (m == NULL)
		return;
	t = fm_model_find_table(m, NULL, "BlogPost");
	FM_CHECK(t != NULL);
	if (t == NULL)
		return;
	FM_CHECK_STR(t->primary_key->name, "BlogPost_pkey");
	FM_CHECK_INT(t->uniques.n, 0);
	FM_CHECK_INT(t->indexes.n, 1);
	ix = fm_list_get(&t->indexes, 0, FmIndex);
	FM_CHECK(ix->unique);
	FM_CHECK_STR(ix->name, "BlogPost_slug_key");
	c = fm_table_find_column(t, "id");
	FM_CHECK(c && c->autoinc == FM_AUTOINC_SERIAL);
	c = fm_table_find_column(t, "tags");
	FM_CHECK(c && !c->notnull);
	FM_CHECK_STR(c ? c->type.sql : NULL, "text[]");
	FM_CHECK_STR(c ? c->default_sql : NULL, "ARRAY['a', 'b']::text[]");
	c = fm_table_find_column(t, "updatedAt");
	FM_CHECK(c && c->updated_at);
	FM_CHECK_STR(c ? c->default_sql : NULL, "CURRENT_TIMESTAMP");
	c = fm_table_find_column(t, "key");
	FM_CHECK(c && c->default_sql == NULL && c->client_default);

	/* the same text read as ferriorm */
	m = parse(prisma_schema, FM_DIALECT_FERRIORM, &d);
	FM_CHECK(m != NULL);
	if (m == NULL)
		return;
	t = fm_model_find_table(m, NULL, "blog_posts");
	FM_CHECK(t != NULL);
	if (t == NULL)
		return;
	FM_CHECK_INT(t->uniques.n, 1);
	c = fm_table_find_column(t, "id");
	FM_CHECK(c && c->autoinc == FM_AUTOINC_IDENTITY_BY_DEFAULT);
	c = fm_table_find_column(t, "key");
	FM_CHECK_STR(c ? c->default_sql : NULL, "(gen_random_uuid())::text");
}

static void
test_relation_mode(void)
{
	FmDiagList	d;
	FmModel    *m;
	FmTable    *t;
	const char *s =
		"datasource db {\n  provider = \"postgresql\"\n  relationMode = \"prisma\"\n}\n"
		"model A {\n  id Int @id\n  bs B[]\n}\n"
		"model B {\n  id Int @id\n  a A? @relation(fields: [aId], references: [id])\n  aId Int\n}\n";

	m = parse(s, FM_DIALECT_PRISMA, &d);
	FM_CHECK(m != NULL);
	FM_CHECK_INT(d.nwarnings, 1);
	t = m ? fm_model_find_table(m, NULL, "B") : NULL;
	FM_CHECK(t && t->foreign_keys.n == 0);
	/* without relationMode: an optional relation over a required scalar is RESTRICT */
	s = "datasource db {\n  provider = \"postgresql\"\n}\n"
		"model A {\n  id Int @id\n  bs B[]\n}\n"
		"model B {\n  id Int @id\n  a A? @relation(fields: [aId], references: [id])\n  aId Int\n}\n";
	m = parse(s, FM_DIALECT_PRISMA, &d);
	t = m ? fm_model_find_table(m, NULL, "B") : NULL;
	FM_CHECK(t && t->foreign_keys.n == 1);
	if (t && t->foreign_keys.n == 1)
	{
		FmForeignKey *fk = fm_list_get(&t->foreign_keys, 0, FmForeignKey);

		FM_CHECK(fk->on_delete == FM_FK_RESTRICT);
		FM_CHECK(fk->on_update == FM_FK_CASCADE);
		FM_CHECK_STR(fk->name, "B_aId_fkey");
	}
}

static void
test_constructs(void)
{
	FmDiagList	d;
	FmModel    *m;
	FmTable    *t;
	const char *s =
		"/* block\n * comment */\n"
		"generator client {\n  provider        = \"prisma-client-js\"\n"
		"  previewFeatures = [\"views\", \"postgresqlExtensions\"]\n}\n"
		"datasource db {\n  provider = \"postgresql\"\n"
		"  extensions = [pg_trgm, pgvector(map: \"vector\", schema: \"ext\", version: \"0.7.0\")]\n}\n"
		"enum Role {\n  USER\n  ADMIN\n}\n"
		"model Doc {\n  id Int @id /* key */\n  data Json\n  roles Role[] @default([USER])\n"
		"  info Info?\n"
		"  @@index([data(ops: JsonbPathOps)], type: Gin)\n"
		"  @@index([data(ops: JsonbOps)], type: Gin, map: \"d2\")\n}\n"
		"view Info {\n  id Int @unique\n  doc Doc @relation(fields: [id], references: [id])\n}\n";
	FmExtension *e;
	FmColumn   *c;

	m = parse(s, FM_DIALECT_PRISMA, &d);
	FM_CHECK(m != NULL);
	FM_CHECK_INT(d.nerrors, 0);
	if (m == NULL)
		return;
	/* the view is not part of the model, and nothing references it */
	FM_CHECK(fm_model_find_table(m, NULL, "Info") == NULL);
	t = fm_model_find_table(m, NULL, "Doc");
	FM_CHECK(t != NULL);
	if (t == NULL)
		return;
	FM_CHECK_INT(t->foreign_keys.n, 0);
	FM_CHECK_INT(m->extensions.n, 2);
	e = fm_list_get(&m->extensions, 1, FmExtension);
	FM_CHECK_STR(e->name, "vector");
	FM_CHECK_STR(e->schema, "ext");
	FM_CHECK_STR(e->version, "0.7.0");
	c = fm_table_find_column(t, "roles");
	FM_CHECK(c && c->type.kind == FM_TYPE_ENUM && c->type.array);
	FM_CHECK_STR(c ? c->default_sql : NULL, "ARRAY['USER']::\"Role\"[]");
	FM_CHECK_INT(t->indexes.n, 2);
	if (t->indexes.n == 2)
	{
		FmIndex    *i1 = fm_list_get(&t->indexes, 0, FmIndex);
		FmIndex    *i2 = fm_list_get(&t->indexes, 1, FmIndex);

		FM_CHECK_STR(i1->method, "gin");
		FM_CHECK_STR(fm_list_get(&i1->elems, 0, FmIndexElem)->opclass, "jsonb_path_ops");
		/* jsonb_ops is the default: not recorded, as in the catalog */
		FM_CHECK(fm_list_get(&i2->elems, 0, FmIndexElem)->opclass == NULL);
	}
	/* Bytes defaults: base64, as Prisma writes them */
	m = parse("datasource db {\n  provider = \"postgresql\"\n}\n"
			  "model B {\n  id Int @id\n  a Bytes @default(\"aGk=\")\n  b Bytes @default(\"\")\n"
			  "  c Bytes @default(\"aGVsbG8=\")\n}\n", FM_DIALECT_PRISMA, &d);
	t = m ? fm_model_find_table(m, NULL, "B") : NULL;
	FM_CHECK(t != NULL);
	if (t)
	{
		FM_CHECK(strstr(fm_table_find_column(t, "a")->default_sql, "\\x6869") != NULL);
		FM_CHECK(strstr(fm_table_find_column(t, "b")->default_sql, "\\x'") != NULL);
		FM_CHECK(strstr(fm_table_find_column(t, "c")->default_sql, "\\x68656c6c6f") != NULL);
	}
	m = parse("datasource db {\n  provider = \"postgresql\"\n}\n"
			  "model B {\n  id Int @id\n  a Bytes @default(\"a!b=\")\n}\n", FM_DIALECT_PRISMA, &d);
	FM_CHECK(m == NULL);
	/* Prisma wants the padding and zero unused bits; ferriorm takes both */
	{
		static const char *const loose[] = {"aGVsbG8", "aGk", "aGl=", "aGVsbB=="};

		for (int i = 0; i < 4; i++)
		{
			char	   *s = fm_psprintf(A, "datasource db {\n  provider = \"postgresql\"\n}\n"
									"model B {\n  id Int @id\n  a Bytes @default(\"%s\")\n}\n",
									loose[i]);

			FM_CHECK(parse(s, FM_DIALECT_PRISMA, &d) == NULL);
			FM_CHECK_INT(d.nerrors, 1);
			FM_CHECK(parse(s, FM_DIALECT_FERRIORM, &d) != NULL);
		}
	}
	/* an unterminated block comment is a syntax error */
	m = parse("datasource db {\n  provider = \"postgresql\"\n}\n/* open", FM_DIALECT_PRISMA, &d);
	FM_CHECK(m == NULL);
	FM_CHECK_INT(d.nerrors, 1);
}

/* the dialect auto chooses for a datasource, then text */
static const char *
auto_of(const char *text)
{
	FmBuf		b;
	FmDiagList	d;
	FmAstSchema *ast;

	fm_buf_init(&b, A);
	fm_buf_printf(&b, "datasource db {\n  provider = \"postgresql\"\n}\n%s"
				  "model A {\n  id Int @id\n}\n", text);
	fm_diags_init(&d, A);
	ast = fm_ast_parse(A, b.data, b.len, &d);
	return fm_ast_dialect(ast, FM_DIALECT_AUTO) == FM_DIALECT_PRISMA ? "prisma" : "ferriorm";
}

static void
test_auto(void)
{
	/* providers of real schema.prisma files */
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"prisma-client-js\"\n}\n"), "prisma");
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"prisma-kysely\"\n}\n"), "prisma");
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"typegraphql-prisma\"\n}\n"), "prisma");
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"zod-prisma-types\"\n}\n"), "prisma");
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"next-admin-generator-Prisma\"\n}\n"), "prisma");
	FM_CHECK_STR(auto_of("generator erd {\n  provider = \"node ./dist/index.cjs\"\n}\n"), "prisma");
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"./gen.sh\"\n}\n"), "prisma");
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"x\"\n  previewFeatures = [\"views\"]\n}\n"), "prisma");
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"x\"\n  binaryTargets = [\"native\"]\n}\n"), "prisma");
	FM_CHECK_STR(auto_of("datasource d2 {\n  provider = \"postgresql\"\n  directUrl = env(\"D\")\n}\n"), "prisma");
	/* the ferriorm ORM's generator has no provider; ferriorm's examples name it */
	FM_CHECK_STR(auto_of("generator client {\n  output = \"./src/generated\"\n}\n"), "ferriorm");
	FM_CHECK_STR(auto_of("generator client {\n  provider = \"ferriorm-client\"\n}\n"), "ferriorm");
	FM_CHECK_STR(auto_of("generator client {\n  provider = \"x\"\n}\n"), "ferriorm");
	FM_CHECK_STR(auto_of(""), "ferriorm");
	/* relationMode is read by both dialects: no mark */
	FM_CHECK_STR(auto_of("datasource d2 {\n  provider = \"postgresql\"\n  relationMode = \"prisma\"\n}\n"), "ferriorm");
	/* a ferriorm-only attribute outweighs a Prisma mark, not a provider "prisma..." */
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"typegraphql-prisma\"\n}\n"
						 "model U {\n  id Int @id\n  @@unlogged\n}\n"), "ferriorm");
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"node gen.js\"\n}\n"
						 "model U {\n  id Int @id @default(autoincrement()) @identity(always: true)\n}\n"), "ferriorm");
	FM_CHECK_STR(auto_of("generator c {\n  provider = \"prisma-client\"\n}\n"
						 "model U {\n  id Int @id\n  @@unlogged\n}\n"), "prisma");
	/* a provider starting with "prisma" wins over one starting with "ferriorm" */
	FM_CHECK_STR(auto_of("generator f {\n  provider = \"ferriorm-client\"\n}\n"
						 "generator c {\n  provider = \"prisma-client-js\"\n}\n"), "prisma");
	FM_CHECK_STR(auto_of("generator f {\n  provider = \"ferriorm-client\"\n}\n"
						 "generator c {\n  provider = \"zod-prisma-types\"\n}\n"), "ferriorm");
}

/* names over 63 bytes: clipped with a warning (prisma), an error (ferriorm) */
static void
test_long_names(void)
{
	FmBuf		b;
	FmDiagList	d;
	FmModel    *m;
	FmTable    *t;

	fm_buf_init(&b, A);
	fm_buf_append(&b, "datasource db {\n  provider = \"postgresql\"\n}\nmodel ");
	for (int i = 0; i < 32; i++)
		fm_buf_append(&b, "\xC3\x84");	/* 64 bytes */
	fm_buf_append(&b, " {\n  id Int @id\n}\nmodel B {\n  id Int @id\n  @@map(\"");
	for (int i = 0; i < 70; i++)
		fm_buf_append_char(&b, 'b');
	fm_buf_append(&b, "\")\n}\n");
	m = parse(b.data, FM_DIALECT_PRISMA, &d);
	FM_CHECK(m != NULL);
	FM_CHECK_INT(d.nerrors, 0);
	FM_CHECK_INT(d.items.n, 2);
	if (m == NULL)
		return;
	t = fm_list_get(&m->tables, 0, FmTable);
	FM_CHECK_INT((int) strlen(t->name), 62);	/* never inside a character */
	t = fm_list_get(&m->tables, 1, FmTable);
	FM_CHECK_INT((int) strlen(t->name), 63);
	m = parse(b.data, FM_DIALECT_FERRIORM, &d);
	FM_CHECK(m == NULL);
	FM_CHECK_INT(d.nerrors, 2);
}

static void
run_all(void)
{
	A = fm_arena_create();
}

static void
done(void)
{
	fm_arena_destroy(A);
}

FM_TEST_MAIN(FM_TEST(run_all), FM_TEST(test_table), FM_TEST(test_prisma_names),
			 FM_TEST(test_validate), FM_TEST(test_relation_mode),
			 FM_TEST(test_constructs), FM_TEST(test_auto),
			 FM_TEST(test_long_names),
			 FM_TEST(done))
