/*-------------------------------------------------------------------------
 *
 * test_diff.c
 *	  Unit tests of fm_diff(): create from nothing, every change kind,
 *	  ordering, hazards, normalization during comparison, scale.
 *
 * Models are built by hand with the fm_model_* constructors.
 *
 * test/unit/test_diff.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>

#include "fm_diff.h"
#include "fm_parse.h"
#include "fm_test.h"

static FmArena *A;

/* ---------- model builders ---------- */

static FmColumn *
col(FmModel *m, FmTable *t, const char *name, const char *type, bool notnull)
{
	FmColumn   *c = fm_table_add_column(m, t, name);

	c->type.sql = fm_strdup(m->arena, type);
	c->notnull = notnull;
	return c;
}

static FmColumn *
ecol(FmModel *m, FmTable *t, const char *name, const char *eschema,
	 const char *ename, bool notnull)
{
	FmColumn   *c = fm_table_add_column(m, t, name);

	c->type.kind = FM_TYPE_ENUM;
	c->type.enum_schema = fm_strdup(m->arena, eschema);
	c->type.enum_name = fm_strdup(m->arena, ename);
	c->notnull = notnull;
	return c;
}

static void
names(FmModel *m, FmList *list, const char *csv)
{
	const char *p = csv;

	while (*p)
	{
		const char *e = strchr(p, ',');
		size_t		n = e ? (size_t) (e - p) : strlen(p);

		fm_list_append(m->arena, list, fm_strndup(m->arena, p, n));
		p += n;
		if (*p == ',')
			p++;
	}
}

static FmKey *
key(FmModel *m, const char *name, const char *cols)
{
	FmKey	   *k = fm_alloc(m->arena, sizeof(FmKey));

	k->name = fm_strdup(m->arena, name);
	names(m, &k->columns, cols);
	return k;
}

static void
pk(FmModel *m, FmTable *t, const char *name, const char *cols)
{
	t->primary_key = key(m, name, cols);
}

static void
uniq(FmModel *m, FmTable *t, const char *name, const char *cols)
{
	fm_list_append(m->arena, &t->uniques, key(m, name, cols));
}

static FmIndex *
idx(FmModel *m, FmTable *t, const char *name, bool unique, const char *cols)
{
	FmIndex    *ix = fm_alloc(m->arena, sizeof(FmIndex));
	FmList		l = {0};

	ix->name = fm_strdup(m->arena, name);
	ix->unique = unique;
	ix->method = fm_strdup(m->arena, "btree");
	names(m, &l, cols);
	for (int i = 0; i < l.n; i++)
	{
		FmIndexElem *e = fm_alloc(m->arena, sizeof(FmIndexElem));

		e->column = l.items[i];
		fm_list_append(m->arena, &ix->elems, e);
	}
	fm_list_append(m->arena, &t->indexes, ix);
	return ix;
}

static FmForeignKey *
fk(FmModel *m, FmTable *t, const char *name, const char *cols,
   const char *rschema, const char *rtable, const char *rcols)
{
	FmForeignKey *f = fm_alloc(m->arena, sizeof(FmForeignKey));

	f->name = fm_strdup(m->arena, name);
	names(m, &f->columns, cols);
	f->ref_schema = fm_strdup(m->arena, rschema);
	f->ref_table = fm_strdup(m->arena, rtable);
	names(m, &f->ref_columns, rcols);
	fm_list_append(m->arena, &t->foreign_keys, f);
	return f;
}

static void
check(FmModel *m, FmTable *t, const char *name, const char *expr)
{
	FmCheck    *c = fm_alloc(m->arena, sizeof(FmCheck));

	c->name = fm_strdup(m->arena, name);
	c->expr = fm_strdup(m->arena, expr);
	fm_list_append(m->arena, &t->checks, c);
}

static FmEnum *
enm(FmModel *m, const char *schema, const char *name, const char *values)
{
	FmEnum	   *e = fm_model_add_enum(m, schema, name);
	FmList		l = {0};

	names(m, &l, values);
	for (int i = 0; i < l.n; i++)
	{
		FmEnumValue *v = fm_alloc(m->arena, sizeof(FmEnumValue));

		v->name = l.items[i];
		fm_list_append(m->arena, &e->values, v);
	}
	return e;
}

static char *
script(const FmModel *from, const FmModel *to)
{
	return fm_plan_to_script(A, fm_diff(A, from, to, NULL));
}

static int
nsteps(const FmModel *from, const FmModel *to)
{
	return fm_diff(A, from, to, NULL)->steps.n;
}

/* a realistic blog schema: enum, users, posts, profiles */
static FmModel *
blog(void)
{
	FmModel    *m = fm_model_create(A);
	FmTable    *u,
			   *p,
			   *pr;
	FmColumn   *c;
	FmForeignKey *f;
	FmIndex    *ix;

	enm(m, "public", "role", "USER,ADMIN");
	u = fm_model_add_table(m, "public", "users");
	u->comment = fm_strdup(A, "People who log in");
	c = col(m, u, "id", "integer", true);
	c->autoinc = FM_AUTOINC_IDENTITY_BY_DEFAULT;
	col(m, u, "email", "text", true);
	col(m, u, "name", "text", false)->comment = fm_strdup(A, "display name");
	c = ecol(m, u, "role", "public", "role", true);
	c->default_sql = fm_strdup(A, "'USER'");
	c = col(m, u, "created_at", "timestamp(3) without time zone", true);
	c->default_sql = fm_strdup(A, "CURRENT_TIMESTAMP");
	pk(m, u, "users_pkey", "id");
	uniq(m, u, "users_email_key", "email");

	p = fm_model_add_table(m, "public", "posts");
	c = col(m, p, "id", "integer", true);
	c->autoinc = FM_AUTOINC_IDENTITY_BY_DEFAULT;
	col(m, p, "title", "character varying(255)", true);
	c = col(m, p, "published", "boolean", true);
	c->default_sql = fm_strdup(A, "false");
	col(m, p, "author_id", "integer", true);
	col(m, p, "price", "numeric(10,2)", false);
	pk(m, p, "posts_pkey", "id");
	check(m, p, "posts_price_check", "price >= 0");
	idx(m, p, "posts_author_id_idx", false, "author_id");
	ix = idx(m, p, "posts_published_title_idx", false, "title");
	ix->predicate = fm_strdup(A, "published");
	fm_list_get(&ix->elems, 0, FmIndexElem)->sort = FM_SORT_DESC;
	fm_list_get(&ix->elems, 0, FmIndexElem)->nulls = FM_NULLS_LAST;
	f = fk(m, p, "posts_author_id_fkey", "author_id", "public", "users", "id");
	f->on_delete = FM_FK_CASCADE;
	f->on_update = FM_FK_CASCADE;

	pr = fm_model_add_table(m, "app", "profiles");
	col(m, pr, "user_id", "integer", true);
	col(m, pr, "bio", "text", false);
	pk(m, pr, "profiles_pkey", "user_id");
	f = fk(m, pr, "profiles_user_id_fkey", "user_id", "public", "users", "id");
	f->on_delete = FM_FK_SET_NULL;
	f->deferrable = true;
	f->initially_deferred = true;
	return m;
}

/* ---------- tests ---------- */

static void
test_create_from_nothing(void)
{
	FmModel    *m = blog();
	FmPlan	   *plan = fm_diff(A, NULL, m, NULL);
	char	   *s = fm_plan_to_script(A, plan);

	FM_CHECK_STR(s,
				 "-- CreateSchema\n"
				 "CREATE SCHEMA IF NOT EXISTS \"app\";\n"
				 "CREATE SCHEMA IF NOT EXISTS \"public\";\n"
				 "\n"
				 "-- CreateEnum\n"
				 "CREATE TYPE \"public\".\"role\" AS ENUM ('USER', 'ADMIN');\n"
				 "\n"
				 "-- CreateTable\n"
				 "CREATE TABLE \"app\".\"profiles\" (\n"
				 "    \"user_id\" integer NOT NULL,\n"
				 "    \"bio\" text,\n"
				 "    CONSTRAINT \"profiles_pkey\" PRIMARY KEY (\"user_id\")\n"
				 ");\n"
				 "CREATE TABLE \"public\".\"posts\" (\n"
				 "    \"id\" integer NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
				 "    \"title\" character varying(255) NOT NULL,\n"
				 "    \"published\" boolean NOT NULL DEFAULT false,\n"
				 "    \"author_id\" integer NOT NULL,\n"
				 "    \"price\" numeric(10,2),\n"
				 "    CONSTRAINT \"posts_pkey\" PRIMARY KEY (\"id\"),\n"
				 "    CONSTRAINT \"posts_price_check\" CHECK (price >= 0)\n"
				 ");\n"
				 "CREATE TABLE \"public\".\"users\" (\n"
				 "    \"id\" integer NOT NULL GENERATED BY DEFAULT AS IDENTITY,\n"
				 "    \"email\" text NOT NULL,\n"
				 "    \"name\" text,\n"
				 "    \"role\" \"public\".\"role\" NOT NULL DEFAULT 'USER',\n"
				 "    \"created_at\" timestamp(3) without time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
				 "    CONSTRAINT \"users_pkey\" PRIMARY KEY (\"id\"),\n"
				 "    CONSTRAINT \"users_email_key\" UNIQUE (\"email\")\n"
				 ");\n"
				 "\n"
				 "-- CreateIndex\n"
				 "CREATE INDEX \"posts_author_id_idx\" ON \"public\".\"posts\" USING \"btree\" (\"author_id\");\n"
				 "CREATE INDEX \"posts_published_title_idx\" ON \"public\".\"posts\" USING \"btree\" (\"title\" DESC NULLS LAST) WHERE published;\n"
				 "\n"
				 "-- AddForeignKey\n"
				 "ALTER TABLE \"app\".\"profiles\" ADD CONSTRAINT \"profiles_user_id_fkey\" FOREIGN KEY (\"user_id\") REFERENCES \"public\".\"users\" (\"id\") ON DELETE SET NULL ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED;\n"
				 "ALTER TABLE \"public\".\"posts\" ADD CONSTRAINT \"posts_author_id_fkey\" FOREIGN KEY (\"author_id\") REFERENCES \"public\".\"users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE;\n"
				 "\n"
				 "-- Comment\n"
				 "COMMENT ON TABLE \"public\".\"users\" IS 'People who log in';\n"
				 "COMMENT ON COLUMN \"public\".\"users\".\"name\" IS 'display name';\n");
	/* nothing on new objects is hazardous */
	for (int i = 0; i < plan->steps.n; i++)
	{
		FmStep	   *st = fm_list_get(&plan->steps, i, FmStep);

		FM_CHECK_INT(st->hazard, FM_HAZARD_NONE);
		FM_CHECK(!st->data_loss);
		FM_CHECK(st->ddl[strlen(st->ddl) - 1] == ';');
	}
	FM_CHECK_STR(fm_list_get(&plan->steps, 4, FmStep)->object, "public.posts");
	FM_CHECK_STR(fm_list_get(&plan->steps, 4, FmStep)->action, "CreateTable");
}

static void
test_identical_is_empty(void)
{
	FmPlan	   *plan = fm_diff(A, blog(), blog(), NULL);

	FM_CHECK_INT(plan->steps.n, 0);
	FM_CHECK_STR(fm_plan_to_script(A, plan), "");
	FM_CHECK_STR(script(NULL, NULL), "");
	FM_CHECK_STR(script(blog(), NULL) ? "x" : NULL, "x");	/* drop all works */
}

static void
test_unqualified(void)
{
	FmModel    *m = fm_model_create(A);
	FmTable    *t = fm_model_add_table(m, NULL, "t");

	enm(m, NULL, "e", "a");
	ecol(m, t, "c", NULL, "e", false);
	FM_CHECK_STR(script(NULL, m),
				 "-- CreateEnum\n"
				 "CREATE TYPE \"e\" AS ENUM ('a');\n"
				 "\n"
				 "-- CreateTable\n"
				 "CREATE TABLE \"t\" (\n"
				 "    \"c\" \"e\"\n"
				 ");\n");
}

static void
test_cyclic_fks(void)
{
	FmModel    *m = fm_model_create(A);
	FmTable    *a = fm_model_add_table(m, "s", "a");
	FmTable    *b = fm_model_add_table(m, "s", "b");
	FmModel    *m0 = fm_model_create(A);
	char	   *s;

	col(m, a, "id", "integer", true);
	col(m, a, "b_id", "integer", false);
	pk(m, a, "a_pkey", "id");
	fk(m, a, "a_b_id_fkey", "b_id", "s", "b", "id");
	col(m, b, "id", "integer", true);
	col(m, b, "a_id", "integer", false);
	pk(m, b, "b_pkey", "id");
	fk(m, b, "b_a_id_fkey", "a_id", "s", "a", "id");
	s = script(NULL, m);
	FM_CHECK_STR(s,
				 "-- CreateSchema\n"
				 "CREATE SCHEMA IF NOT EXISTS \"s\";\n"
				 "\n"
				 "-- CreateTable\n"
				 "CREATE TABLE \"s\".\"a\" (\n"
				 "    \"id\" integer NOT NULL,\n"
				 "    \"b_id\" integer,\n"
				 "    CONSTRAINT \"a_pkey\" PRIMARY KEY (\"id\")\n"
				 ");\n"
				 "CREATE TABLE \"s\".\"b\" (\n"
				 "    \"id\" integer NOT NULL,\n"
				 "    \"a_id\" integer,\n"
				 "    CONSTRAINT \"b_pkey\" PRIMARY KEY (\"id\")\n"
				 ");\n"
				 "\n"
				 "-- AddForeignKey\n"
				 "ALTER TABLE \"s\".\"a\" ADD CONSTRAINT \"a_b_id_fkey\" FOREIGN KEY (\"b_id\") REFERENCES \"s\".\"b\" (\"id\") ON DELETE NO ACTION ON UPDATE NO ACTION;\n"
				 "ALTER TABLE \"s\".\"b\" ADD CONSTRAINT \"b_a_id_fkey\" FOREIGN KEY (\"a_id\") REFERENCES \"s\".\"a\" (\"id\") ON DELETE NO ACTION ON UPDATE NO ACTION;\n");

	/* dropping both: FKs first, then the tables; the schema stays */
	m0->schemas.n = 0;
	fm_list_append(A, &m0->schemas, "s");
	s = script(m, m0);
	FM_CHECK_STR(s,
				 "-- DropForeignKey\n"
				 "ALTER TABLE \"s\".\"a\" DROP CONSTRAINT \"a_b_id_fkey\";\n"
				 "ALTER TABLE \"s\".\"b\" DROP CONSTRAINT \"b_a_id_fkey\";\n"
				 "\n"
				 "-- DropTable\n"
				 "-- HAZARD drop_table: dropping table \"s.a\" deletes all of its rows.\n"
				 "DROP TABLE \"s\".\"a\";\n"
				 "-- HAZARD drop_table: dropping table \"s.b\" deletes all of its rows.\n"
				 "DROP TABLE \"s\".\"b\";\n");
}

static void
test_weird_names(void)
{
	FmModel    *m = fm_model_create(A);
	FmTable    *t = fm_model_add_table(m, "My Schema", "we\"ird Table");
	FmColumn   *c;

	c = col(m, t, "Has Space", "text", false);
	c->comment = fm_strdup(A, "it's a \\ backslash");
	col(m, t, "名前", "text", true);
	pk(m, t, "PK\"x", "名前");
	enm(m, "My Schema", "Mood", "it's,ok\\no");
	FM_CHECK_STR(script(NULL, m),
				 "-- CreateSchema\n"
				 "CREATE SCHEMA IF NOT EXISTS \"My Schema\";\n"
				 "\n"
				 "-- CreateEnum\n"
				 "CREATE TYPE \"My Schema\".\"Mood\" AS ENUM ('it''s', E'ok\\\\no');\n"
				 "\n"
				 "-- CreateTable\n"
				 "CREATE TABLE \"My Schema\".\"we\"\"ird Table\" (\n"
				 "    \"Has Space\" text,\n"
				 "    \"名前\" text NOT NULL,\n"
				 "    CONSTRAINT \"PK\"\"x\" PRIMARY KEY (\"名前\")\n"
				 ");\n"
				 "\n"
				 "-- Comment\n"
				 "COMMENT ON COLUMN \"My Schema\".\"we\"\"ird Table\".\"Has Space\" IS E'it''s a \\\\ backslash';\n");
}

/* a pair of single-table models in schema "s" to mutate */
static FmModel *
base_model(FmTable **tp)
{
	FmModel    *m = fm_model_create(A);
	FmTable    *t = fm_model_add_table(m, "s", "t");

	fm_list_append(A, &m->schemas, "s");
	col(m, t, "id", "integer", true);
	col(m, t, "name", "text", false);
	pk(m, t, "t_pkey", "id");
	*tp = t;
	return m;
}

static FmStep *
only_step(FmPlan *p)
{
	FM_CHECK_INT(p->steps.n, 1);
	return p->steps.n ? fm_list_get(&p->steps, 0, FmStep) : NULL;
}

static void
test_columns(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = base_model(&t1);
	FmModel    *b = base_model(&t2);
	FmPlan	   *p;
	FmStep	   *st;

	/* add a required column without default: hazard */
	col(b, t2, "age", "integer", true);
	p = fm_diff(A, a, b, NULL);
	st = only_step(p);
	FM_CHECK_STR(st->ddl, "ALTER TABLE \"s\".\"t\" ADD COLUMN \"age\" integer NOT NULL;");
	FM_CHECK_INT(st->hazard, FM_HAZARD_ADD_REQUIRED_COLUMN);
	FM_CHECK_STR(st->hazard_column, "age");
	FM_CHECK(!st->data_loss);
	FM_CHECK_STR(st->action, "AlterTable");
	FM_CHECK_STR(st->object, "s.t.age");

	/* and dropping it again */
	p = fm_diff(A, b, a, NULL);
	st = only_step(p);
	FM_CHECK_STR(st->ddl, "ALTER TABLE \"s\".\"t\" DROP COLUMN \"age\";");
	FM_CHECK_INT(st->hazard, FM_HAZARD_DROP_COLUMN);
	FM_CHECK(st->data_loss);
	FM_CHECK_INT(st->phase, FM_PHASE_DROP_COLUMN);
}

static void
test_alter_column(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = base_model(&t1);
	FmModel    *b = base_model(&t2);
	FmColumn   *c1 = fm_table_find_column(t1, "name");
	FmColumn   *c2 = fm_table_find_column(t2, "name");
	FmPlan	   *p;
	FmStep	   *st;

	/* text -> integer needs USING; default dropped before and set after */
	c1->default_sql = fm_strdup(A, "'0'::text");
	c2->type.sql = fm_strdup(A, "integer");
	c2->default_sql = fm_strdup(A, "0");
	c2->notnull = true;
	FM_CHECK_STR(script(a, b),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"name\" DROP DEFAULT;\n"
				 "-- HAZARD alter_type: changing the type of column \"name\" of table \"s.t\" to integer rewrites the table and fails if a value cannot be converted.\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"name\" TYPE integer USING (\"name\"::integer);\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"name\" SET DEFAULT 0;\n"
				 "-- HAZARD set_not_null: fails if column \"name\" of table \"s.t\" contains NULL values.\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"name\" SET NOT NULL;\n");
	p = fm_diff(A, a, b, NULL);
	st = fm_list_get(&p->steps, 1, FmStep);
	FM_CHECK_INT(st->hazard, FM_HAZARD_ALTER_TYPE);
	FM_CHECK_STR(st->hazard_extra, "integer");
	FM_CHECK(st->data_loss);

	/* integer -> bigint: implicit, widening; default equal after normalization */
	c1->type.sql = fm_strdup(A, "int4");
	c1->default_sql = fm_strdup(A, "(0)::integer");
	c1->notnull = true;
	c2->type.sql = fm_strdup(A, "bigint");
	p = fm_diff(A, a, b, NULL);
	st = only_step(p);
	FM_CHECK_STR(st->ddl, "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"name\" TYPE bigint;");
	FM_CHECK(!st->data_loss);

	/* varchar(10) -> varchar(5): no USING, narrowing */
	c1->type.sql = fm_strdup(A, "varchar(10)");
	c2->type.sql = fm_strdup(A, "character varying(5)");
	st = only_step(fm_diff(A, a, b, NULL));
	FM_CHECK_STR(st->ddl, "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"name\" TYPE character varying(5);");
	FM_CHECK(st->data_loss);

	/* same type in other spelling, default removed, nullable again */
	c2->type.sql = fm_strdup(A, "character varying(10)");
	c2->default_sql = NULL;
	c2->notnull = false;
	FM_CHECK_STR(script(a, b),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"name\" DROP DEFAULT;\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"name\" DROP NOT NULL;\n");

	/* comment set and removed */
	c2->default_sql = fm_strdup(A, "0");
	c2->notnull = true;
	c2->comment = fm_strdup(A, "n");
	FM_CHECK_STR(script(a, b),
				 "-- Comment\n"
				 "COMMENT ON COLUMN \"s\".\"t\".\"name\" IS 'n';\n");
	FM_CHECK_STR(script(b, a),
				 "-- Comment\n"
				 "COMMENT ON COLUMN \"s\".\"t\".\"name\" IS NULL;\n");
}

/*
 * ALTER_TYPE hands its parts to the backend as data: the old and new type
 * and the USING expression, each exactly as the DDL renders it, whatever
 * the names contain (" USING (", quotes, parentheses).
 */
static void
test_alter_type_structured(void)
{
	static const char *const hostile[] = {
		"name", "x USING (1)", "a\" USING (pg_sleep(1))", ") USING (", "USING ((", "t;--"
	};

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
	{
		FmModel    *a = fm_model_create(A);
		FmModel    *b = fm_model_create(A);
		FmTable    *t1 = fm_model_add_table(a, "s", hostile[i]);
		FmTable    *t2 = fm_model_add_table(b, "s", hostile[i]);
		FmPlan	   *p;
		FmStep	   *st;
		char	   *want_using;

		fm_list_append(A, &a->schemas, "s");
		fm_list_append(A, &b->schemas, "s");
		col(a, t1, hostile[i], "text", false);
		col(b, t2, hostile[i], "integer", false);
		p = fm_diff(A, a, b, NULL);
		st = only_step(p);
		if (st == NULL)
			continue;
		FM_CHECK_INT(st->hazard, FM_HAZARD_ALTER_TYPE);
		FM_CHECK_STR(st->hazard_table, hostile[i]);
		FM_CHECK_STR(st->hazard_column, hostile[i]);
		FM_CHECK_STR(st->hazard_old_type, "text");
		FM_CHECK_STR(st->hazard_extra, "integer");
		want_using = fm_psprintf(A, "(%s::integer)",
								 fm_default_quoting.quote_ident(hostile[i], NULL));
		FM_CHECK_STR(st->hazard_using, want_using);
		/* the DDL carries that very expression */
		FM_CHECK_STR(st->ddl,
					 fm_psprintf(A, "ALTER TABLE \"s\".%s ALTER COLUMN %s TYPE integer USING %s;",
								 fm_default_quoting.quote_ident(hostile[i], NULL),
								 fm_default_quoting.quote_ident(hostile[i], NULL),
								 want_using));
		FM_CHECK(st->data_loss);

		/* an implicit cast has no USING clause, and says so */
		fm_table_find_column(t1, hostile[i])->type.sql = fm_strdup(A, "integer");
		fm_table_find_column(t2, hostile[i])->type.sql = fm_strdup(A, "bigint");
		st = only_step(fm_diff(A, a, b, NULL));
		if (st == NULL)
			continue;
		FM_CHECK_STR(st->hazard_old_type, "integer");
		FM_CHECK_STR(st->hazard_extra, "bigint");
		FM_CHECK(st->hazard_using == NULL);
		FM_CHECK(!st->data_loss);
	}
}

static void
test_identity(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = base_model(&t1);
	FmModel    *b = base_model(&t2);
	FmColumn   *c1 = fm_table_find_column(t1, "id");
	FmColumn   *c2 = fm_table_find_column(t2, "id");

	/* serial in the catalog == identity in the schema */
	c1->autoinc = FM_AUTOINC_SERIAL;
	c1->default_sql = fm_strdup(A, "nextval('s.t_id_seq'::regclass)");
	c2->autoinc = FM_AUTOINC_IDENTITY_BY_DEFAULT;
	FM_CHECK_INT(nsteps(a, b), 0);
	c2->autoinc = FM_AUTOINC_IDENTITY_ALWAYS;
	FM_CHECK_INT(nsteps(a, b), 0);

	/* identity added: its effect on existing values is stated */
	c1->autoinc = FM_AUTOINC_NONE;
	c1->default_sql = NULL;
	c2->autoinc = FM_AUTOINC_IDENTITY_BY_DEFAULT;
	FM_CHECK_STR(script(a, b),
				 "-- AlterTable\n"
				 "-- HAZARD switch_identity: column \"id\" of table \"s.t\" becomes an identity column; its values are kept, and new ones start at the identity's START, which may repeat existing values.\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"id\" ADD GENERATED BY DEFAULT AS IDENTITY;\n");
	/* identity dropped */
	FM_CHECK_STR(script(b, a),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"id\" DROP IDENTITY IF EXISTS;\n");
	/* serial dropped: its default goes */
	c2->autoinc = FM_AUTOINC_SERIAL;
	FM_CHECK_STR(script(b, a),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"id\" DROP DEFAULT;\n");
}

static void
test_keys(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = base_model(&t1);
	FmModel    *b = base_model(&t2);
	FmPlan	   *p;
	FmStep	   *st;

	/* unique index (catalog) == unique constraint (schema) */
	idx(a, t1, "t_name_key", true, "name");
	uniq(b, t2, "t_name_key", "name");
	FM_CHECK_INT(nsteps(a, b), 0);
	FM_CHECK_INT(nsteps(b, a), 0);

	/* a different column set: drop + add, hazard on add */
	fm_list_get(&t2->uniques, 0, FmKey)->columns.n = 0;
	names(b, &fm_list_get(&t2->uniques, 0, FmKey)->columns, "name,id");
	p = fm_diff(A, a, b, NULL);
	FM_CHECK_STR(fm_plan_to_script(A, p),
				 "-- DropIndex\n"
				 "DROP INDEX \"s\".\"t_name_key\";\n"
				 "\n"
				 "-- AlterTable\n"
				 "-- HAZARD add_unique: fails if table \"s.t\" contains duplicate values in (\"name\", \"id\").\n"
				 "ALTER TABLE \"s\".\"t\" ADD CONSTRAINT \"t_name_key\" UNIQUE (\"name\", \"id\");\n");
	st = fm_list_get(&p->steps, 1, FmStep);
	FM_CHECK_INT(st->hazard, FM_HAZARD_ADD_UNIQUE);
	FM_CHECK_STR(st->hazard_extra, "\"name\", \"id\"");

	/* primary key: rename only */
	a = base_model(&t1);
	b = base_model(&t2);
	t2->primary_key->name = "t_pk";
	FM_CHECK_STR(script(a, b),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" RENAME CONSTRAINT \"t_pkey\" TO \"t_pk\";\n");
	/* primary key columns changed */
	t2->primary_key = key(b, "t_pkey", "id,name");
	FM_CHECK_STR(script(a, b),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" DROP CONSTRAINT \"t_pkey\";\n"
				 "-- HAZARD add_unique: fails if table \"s.t\" contains duplicate values in (\"id\", \"name\").\n"
				 "ALTER TABLE \"s\".\"t\" ADD CONSTRAINT \"t_pkey\" PRIMARY KEY (\"id\", \"name\");\n");
}

static void
test_indexes(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = base_model(&t1);
	FmModel    *b = base_model(&t2);
	FmIndex    *i1,
			   *i2;

	/* partial expression index; catalog vs schema spellings compare equal */
	i1 = idx(a, t1, "t_lower_idx", false, "");
	i2 = idx(b, t2, "t_lower_idx", false, "");
	{
		FmIndexElem *e1 = fm_alloc(A, sizeof(FmIndexElem));
		FmIndexElem *e2 = fm_alloc(A, sizeof(FmIndexElem));

		e1->expr = "lower(name)";
		e2->expr = "LOWER(name)";
		e2->opclass = "text_pattern_ops";
		e1->opclass = "text_pattern_ops";
		fm_list_append(A, &i1->elems, e1);
		fm_list_append(A, &i2->elems, e2);
	}
	i1->predicate = "(name IS NOT NULL)";
	i2->predicate = "name is not null";
	i1->method = "btree";
	i2->method = NULL;
	FM_CHECK_INT(nsteps(a, b), 0);

	/* predicate changed: drop + create */
	i2->predicate = "name <> ''";
	FM_CHECK_STR(script(a, b),
				 "-- DropIndex\n"
				 "DROP INDEX \"s\".\"t_lower_idx\";\n"
				 "\n"
				 "-- CreateIndex\n"
				 "CREATE INDEX \"t_lower_idx\" ON \"s\".\"t\" USING \"btree\" ((LOWER(name)) \"text_pattern_ops\") WHERE name <> '';\n");

	/* renamed but identical */
	i2->predicate = i1->predicate;
	i2->name = "t_lower_name_idx";
	FM_CHECK_STR(script(a, b),
				 "-- RenameIndex\n"
				 "ALTER INDEX \"s\".\"t_lower_idx\" RENAME TO \"t_lower_name_idx\";\n");

	/* INCLUDE, gin method, unique index on an existing table */
	a = base_model(&t1);
	b = base_model(&t2);
	i2 = idx(b, t2, "t_name_uidx", true, "name");
	fm_list_append(A, &i2->include, "id");
	i2->method = "hash";
	{
		FmPlan	   *p = fm_diff(A, a, b, NULL);
		FmStep	   *st = only_step(p);

		FM_CHECK_STR(st->ddl, "CREATE UNIQUE INDEX \"t_name_uidx\" ON \"s\".\"t\" USING \"hash\" (\"name\") INCLUDE (\"id\");");
		FM_CHECK_INT(st->hazard, FM_HAZARD_ADD_UNIQUE);
		FM_CHECK_STR(st->action, "CreateIndex");
		FM_CHECK_STR(st->object, "s.t_name_uidx");
		FM_CHECK(st->hazard_predicate == NULL);
	}

	/* a partial unique index hands its predicate to the figures */
	i2->predicate = "name <> 'x'";
	{
		FmStep	   *st = only_step(fm_diff(A, a, b, NULL));

		FM_CHECK_INT(st->hazard, FM_HAZARD_ADD_UNIQUE);
		FM_CHECK_STR(st->hazard_extra, "\"name\"");
		FM_CHECK_STR(st->hazard_predicate, "name <> 'x'");
	}
}

static void
test_checks(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = base_model(&t1);
	FmModel    *b = base_model(&t2);
	FmPlan	   *p;

	col(a, t1, "price", "numeric", false);
	col(b, t2, "price", "numeric", false);
	check(a, t1, "t_price_check", "((price >= (0)::numeric))");
	check(b, t2, "t_price_check", "price >= 0");
	FM_CHECK_INT(nsteps(a, b), 0);
	fm_list_get(&t2->checks, 0, FmCheck)->expr = "price > 0";
	p = fm_diff(A, a, b, NULL);
	FM_CHECK_STR(fm_plan_to_script(A, p),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" DROP CONSTRAINT \"t_price_check\";\n"
				 "-- HAZARD add_check: fails if rows of table \"s.t\" violate CHECK (price > 0).\n"
				 "ALTER TABLE \"s\".\"t\" ADD CONSTRAINT \"t_price_check\" CHECK (price > 0);\n");
	FM_CHECK_INT(fm_list_get(&p->steps, 0, FmStep)->phase, FM_PHASE_DROP_INDEX);
	FM_CHECK_INT(fm_list_get(&p->steps, 1, FmStep)->phase, FM_PHASE_CREATE_INDEX);
}

static void
test_foreign_keys(void)
{
	FmModel    *a = blog();
	FmModel    *b = blog();
	FmTable    *posts = fm_model_find_table(b, "public", "posts");
	FmTable    *users_a = fm_model_find_table(a, "public", "users");
	FmTable    *users_b = fm_model_find_table(b, "public", "users");
	FmForeignKey *f = fm_list_get(&posts->foreign_keys, 0, FmForeignKey);

	f->on_delete = FM_FK_RESTRICT;
	FM_CHECK_STR(script(a, b),
				 "-- DropForeignKey\n"
				 "ALTER TABLE \"public\".\"posts\" DROP CONSTRAINT \"posts_author_id_fkey\";\n"
				 "\n"
				 "-- AddForeignKey\n"
				 "-- HAZARD add_foreign_key: fails if rows of table \"public.posts\" reference missing rows; locks both tables while validating.\n"
				 "ALTER TABLE \"public\".\"posts\" ADD CONSTRAINT \"posts_author_id_fkey\" FOREIGN KEY (\"author_id\") REFERENCES \"public\".\"users\" (\"id\") ON DELETE RESTRICT ON UPDATE CASCADE;\n");

	/* the referenced primary key is recreated: FKs follow */
	f->on_delete = FM_FK_CASCADE;
	users_b->primary_key = key(b, "users_pkey", "id,email");
	(void) users_a;
	FM_CHECK_STR(script(a, b),
				 "-- DropForeignKey\n"
				 "ALTER TABLE \"app\".\"profiles\" DROP CONSTRAINT \"profiles_user_id_fkey\";\n"
				 "ALTER TABLE \"public\".\"posts\" DROP CONSTRAINT \"posts_author_id_fkey\";\n"
				 "\n"
				 "-- AlterTable\n"
				 "ALTER TABLE \"public\".\"users\" DROP CONSTRAINT \"users_pkey\";\n"
				 "-- HAZARD add_unique: fails if table \"public.users\" contains duplicate values in (\"id\", \"email\").\n"
				 "ALTER TABLE \"public\".\"users\" ADD CONSTRAINT \"users_pkey\" PRIMARY KEY (\"id\", \"email\");\n"
				 "\n"
				 "-- AddForeignKey\n"
				 "-- HAZARD add_foreign_key: fails if rows of table \"app.profiles\" reference missing rows; locks both tables while validating.\n"
				 "ALTER TABLE \"app\".\"profiles\" ADD CONSTRAINT \"profiles_user_id_fkey\" FOREIGN KEY (\"user_id\") REFERENCES \"public\".\"users\" (\"id\") ON DELETE SET NULL ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED;\n"
				 "-- HAZARD add_foreign_key: fails if rows of table \"public.posts\" reference missing rows; locks both tables while validating.\n"
				 "ALTER TABLE \"public\".\"posts\" ADD CONSTRAINT \"posts_author_id_fkey\" FOREIGN KEY (\"author_id\") REFERENCES \"public\".\"users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE;\n");
}

static void
test_fk_retyped(void)
{
	FmModel    *a = blog();
	FmModel    *b = blog();
	FmTable    *posts = fm_model_find_table(b, "public", "posts");
	FmPlan	   *p;

	fm_table_find_column(posts, "author_id")->type.sql = "bigint";
	p = fm_diff(A, a, b, NULL);
	FM_CHECK_STR(fm_plan_to_script(A, p),
				 "-- DropForeignKey\n"
				 "ALTER TABLE \"public\".\"posts\" DROP CONSTRAINT \"posts_author_id_fkey\";\n"
				 "\n"
				 "-- AlterTable\n"
				 "-- HAZARD alter_type: changing the type of column \"author_id\" of table \"public.posts\" to bigint rewrites the table and fails if a value cannot be converted.\n"
				 "ALTER TABLE \"public\".\"posts\" ALTER COLUMN \"author_id\" TYPE bigint;\n"
				 "\n"
				 "-- AddForeignKey\n"
				 "-- HAZARD add_foreign_key: fails if rows of table \"public.posts\" reference missing rows; locks both tables while validating.\n"
				 "ALTER TABLE \"public\".\"posts\" ADD CONSTRAINT \"posts_author_id_fkey\" FOREIGN KEY (\"author_id\") REFERENCES \"public\".\"users\" (\"id\") ON DELETE CASCADE ON UPDATE CASCADE;\n");
	FM_CHECK(!fm_list_get(&p->steps, 1, FmStep)->data_loss);
	/* the referenced column changes: both FKs to users(id) follow */
	fm_table_find_column(fm_model_find_table(b, "public", "users"), "id")->type.sql = "bigint";
	FM_CHECK_INT(fm_diff(A, a, b, NULL)->steps.n, 6);
	/* an expression index element that is a plain column is that column */
	a = blog();
	b = blog();
	{
		FmIndexElem *e = fm_list_get(&fm_list_get(&fm_model_find_table(b, "public", "posts")->indexes,
												 0, FmIndex)->elems, 0, FmIndexElem);

		e->column = NULL;
		e->expr = "(author_id)";
	}
	FM_CHECK_INT(nsteps(a, b), 0);
}

static void
test_renames(void)
{
	FmModel    *a = blog();
	FmModel    *b = blog();
	FmTable    *posts = fm_model_find_table(b, "public", "posts");

	fm_list_get(&posts->foreign_keys, 0, FmForeignKey)->name = "posts_author_fk";
	fm_list_get(&posts->checks, 0, FmCheck)->name = "price_ok";
	fm_list_get(&posts->checks, 0, FmCheck)->expr = "(price >= (0)::numeric)";
	FM_CHECK_STR(script(a, b),
				 "-- AlterTable\n"
				 "ALTER TABLE \"public\".\"posts\" RENAME CONSTRAINT \"posts_price_check\" TO \"price_ok\";\n"
				 "\n"
				 "-- RenameForeignKey\n"
				 "ALTER TABLE \"public\".\"posts\" RENAME CONSTRAINT \"posts_author_id_fkey\" TO \"posts_author_fk\";\n");
	/* renamed and changed: drop + add */
	fm_list_get(&posts->foreign_keys, 0, FmForeignKey)->on_update = FM_FK_RESTRICT;
	FM_CHECK_INT(nsteps(a, b), 3);
}

static void
test_drop_table_with_fk(void)
{
	FmModel    *a = blog();
	FmModel    *b = blog();
	FmPlan	   *p;

	/* drop posts: its FK to users goes first, then the table */
	b->tables.n = 0;
	{
		FmModel    *full = blog();

		for (int i = 0; i < full->tables.n; i++)
			if (strcmp(fm_list_get(&full->tables, i, FmTable)->name, "posts") != 0)
				fm_list_append(A, &b->tables, full->tables.items[i]);
	}
	p = fm_diff(A, a, b, NULL);
	FM_CHECK_STR(fm_plan_to_script(A, p),
				 "-- DropForeignKey\n"
				 "ALTER TABLE \"public\".\"posts\" DROP CONSTRAINT \"posts_author_id_fkey\";\n"
				 "\n"
				 "-- DropTable\n"
				 "-- HAZARD drop_table: dropping table \"public.posts\" deletes all of its rows.\n"
				 "DROP TABLE \"public\".\"posts\";\n");
	FM_CHECK(fm_list_get(&p->steps, 1, FmStep)->data_loss);
	FM_CHECK_STR(fm_list_get(&p->steps, 1, FmStep)->hazard_table, "posts");
}

/*
 * Enum changes: values added in place (ADD VALUE, position kept), values
 * removed by safe recreation with the columns converted, enum <-> text
 * conversions, a new value used by a default or a partial index in the
 * same plan (recreated, not added), what is recreated with the enum
 * (CHECKs, partial indexes) and the enum's comment.
 */
static void
test_enums(void)
{
	FmModel    *a = fm_model_create(A);
	FmModel    *b = fm_model_create(A);
	FmTable    *t1 = fm_model_add_table(a, "s", "t");
	FmTable    *t2 = fm_model_add_table(b, "s", "t");
	FmColumn   *c1,
			   *c2;
	FmPlan	   *p;
	FmStep	   *st;

	enm(a, "s", "mood", "ok,sad");
	ecol(a, t1, "m", "s", "mood", true)->default_sql = "'ok'::s.mood";
	enm(b, "s", "mood", "happy,ok,meh,sad,angry");
	ecol(b, t2, "m", "s", "mood", true)->default_sql = "'ok'";
	FM_CHECK_STR(script(a, b),
				 "-- AlterEnum\n"
				 "ALTER TYPE \"s\".\"mood\" ADD VALUE 'happy' BEFORE 'ok';\n"
				 "ALTER TYPE \"s\".\"mood\" ADD VALUE 'meh' AFTER 'ok';\n"
				 "ALTER TYPE \"s\".\"mood\" ADD VALUE 'angry' AFTER 'sad';\n");

	/* removing a value: safe recreation, the column converted */
	p = fm_diff(A, b, a, NULL);
	FM_CHECK_STR(fm_plan_to_script(A, p),
				 "-- AlterEnum\n"
				 "-- HAZARD drop_enum_value: removing values 'happy', 'meh', 'angry' from enum \"s.mood\" fails if a row uses them.\n"
				 "ALTER TYPE \"s\".\"mood\" RENAME TO \"mood_old\";\n"
				 "CREATE TYPE \"s\".\"mood\" AS ENUM ('ok', 'sad');\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"m\" DROP DEFAULT;\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"m\" TYPE \"s\".\"mood\" USING (\"m\"::text::\"s\".\"mood\");\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"m\" SET DEFAULT 'ok'::s.mood;\n"
				 "DROP TYPE \"s\".\"mood_old\";\n");
	st = fm_list_get(&p->steps, 0, FmStep);
	FM_CHECK_INT(st->hazard, FM_HAZARD_DROP_ENUM_VALUE);
	FM_CHECK_STR(st->hazard_column, "happy");
	FM_CHECK_STR(st->hazard_table, "mood");
	FM_CHECK(st->data_loss);

	/* enum column becomes text; enum dropped last */
	b = fm_model_create(A);
	t2 = fm_model_add_table(b, "s", "t");
	c2 = col(b, t2, "m", "text", true);
	c2->default_sql = "'ok'::text";
	c1 = fm_table_find_column(t1, "m");
	(void) c1;
	FM_CHECK_STR(script(a, b),
				 "-- AlterTable\n"
				 "-- HAZARD alter_type: changing the type of column \"m\" of table \"s.t\" to text rewrites the table and fails if a value cannot be converted.\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"m\" TYPE text;\n"
				 "\n"
				 "-- DropEnum\n"
				 "-- HAZARD drop_enum: dropping enum \"s.mood\" fails if a column still uses it.\n"
				 "DROP TYPE \"s\".\"mood\";\n");
	/* text -> enum needs USING */
	FM_CHECK_STR(script(b, a),
				 "-- CreateEnum\n"
				 "CREATE TYPE \"s\".\"mood\" AS ENUM ('ok', 'sad');\n"
				 "\n"
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"m\" DROP DEFAULT;\n"
				 "-- HAZARD alter_type: changing the type of column \"m\" of table \"s.t\" to \"s\".\"mood\" rewrites the table and fails if a value cannot be converted.\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"m\" TYPE \"s\".\"mood\" USING (\"m\"::\"s\".\"mood\");\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"m\" SET DEFAULT 'ok'::s.mood;\n");

	/* an added value used as a default in the same plan: recreate */
	a = fm_model_create(A);
	t1 = fm_model_add_table(a, "s", "t");
	enm(a, "s", "mood", "ok,sad");
	ecol(a, t1, "m", "s", "mood", true)->default_sql = "'ok'::s.mood";
	b = fm_model_create(A);
	t2 = fm_model_add_table(b, "s", "t");
	enm(b, "s", "mood", "ok,sad,it's");
	ecol(b, t2, "m", "s", "mood", true)->default_sql = "'it''s'";
	p = fm_diff(A, a, b, NULL);
	FM_CHECK_STR(fm_plan_to_script(A, p),
				 "-- AlterEnum\n"
				 "ALTER TYPE \"s\".\"mood\" RENAME TO \"mood_old\";\n"
				 "CREATE TYPE \"s\".\"mood\" AS ENUM ('ok', 'sad', 'it''s');\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"m\" DROP DEFAULT;\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"m\" TYPE \"s\".\"mood\" USING (\"m\"::text::\"s\".\"mood\");\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"m\" SET DEFAULT 'it''s';\n"
				 "DROP TYPE \"s\".\"mood_old\";\n");
	FM_CHECK_INT(fm_list_get(&p->steps, 0, FmStep)->hazard, FM_HAZARD_NONE);
	/* ... but not when the default names an old value */
	ecol(b, t2, "m2", "s", "mood", true)->default_sql = "'sad'";
	fm_table_find_column(t2, "m")->default_sql = "'ok'";
	FM_CHECK_STR(script(a, b),
				 "-- AlterEnum\n"
				 "ALTER TYPE \"s\".\"mood\" ADD VALUE 'it''s' AFTER 'sad';\n"
				 "\n"
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" ADD COLUMN \"m2\" \"s\".\"mood\" NOT NULL DEFAULT 'sad';\n");

	/* recreation: CHECKs and partial indexes naming the column follow */
	a = fm_model_create(A);
	t1 = fm_model_add_table(a, "s", "t");
	enm(a, "s", "r", "a,b,c");
	ecol(a, t1, "x", "s", "r", true);
	col(a, t1, "y", "integer", false);
	check(a, t1, "ck", "(x <> 'a'::s.r)");
	check(a, t1, "ck_y", "(y > 0)");
	idx(a, t1, "ti", false, "x")->predicate = "(x = 'b'::s.r)";
	idx(a, t1, "tj", false, "x");
	b = fm_model_create(A);
	t2 = fm_model_add_table(b, "s", "t");
	enm(b, "s", "r", "a,b");
	ecol(b, t2, "x", "s", "r", true);
	col(b, t2, "y", "integer", false);
	check(b, t2, "ck", "x <> 'a'");
	check(b, t2, "ck_y", "y > 0");
	idx(b, t2, "ti", false, "x")->predicate = "x = 'b'";
	idx(b, t2, "tj", false, "x");
	FM_CHECK_STR(script(a, b),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" DROP CONSTRAINT \"ck\";\n"
				 "\n"
				 "-- DropIndex\n"
				 "DROP INDEX \"s\".\"ti\";\n"
				 "\n"
				 "-- AlterEnum\n"
				 "-- HAZARD drop_enum_value: removing values 'c' from enum \"s.r\" fails if a row uses them.\n"
				 "ALTER TYPE \"s\".\"r\" RENAME TO \"r_old\";\n"
				 "CREATE TYPE \"s\".\"r\" AS ENUM ('a', 'b');\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"x\" TYPE \"s\".\"r\" USING (\"x\"::text::\"s\".\"r\");\n"
				 "\n"
				 "-- AlterTable\n"
				 "-- HAZARD add_check: fails if rows of table \"s.t\" violate CHECK (x <> 'a').\n"
				 "ALTER TABLE \"s\".\"t\" ADD CONSTRAINT \"ck\" CHECK (x <> 'a');\n"
				 "\n"
				 "-- CreateIndex\n"
				 "CREATE INDEX \"ti\" ON \"s\".\"t\" USING \"btree\" (\"x\") WHERE x = 'b';\n"
				 "\n"
				 "-- AlterEnum\n"
				 "DROP TYPE \"s\".\"r_old\";\n");
	/* an added value named by a partial index: recreate, not ADD VALUE */
	FM_CHECK(strstr(script(b, a), "ADD VALUE 'c' AFTER 'b'") != NULL);
	fm_list_get(&t1->indexes, 0, FmIndex)->predicate = "x = 'c'";
	FM_CHECK(strstr(script(b, a), "RENAME TO \"r_old\"") != NULL);
	FM_CHECK(strstr(script(b, a), "ADD VALUE") == NULL);

	/* enum comment */
	b = fm_model_create(A);
	enm(b, "s", "mood", "ok,sad")->comment = "feelings";
	fm_model_add_table(b, "s", "t");
	a = fm_model_create(A);
	enm(a, "s", "mood", "ok,sad");
	fm_model_add_table(a, "s", "t");
	FM_CHECK_STR(script(a, b),
				 "-- Comment\n"
				 "COMMENT ON TYPE \"s\".\"mood\" IS 'feelings';\n");
}

static void
test_table_comment_and_schema(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = base_model(&t1);
	FmModel    *b = base_model(&t2);

	t2->comment = "hello";
	FM_CHECK_STR(script(a, b),
				 "-- Comment\n"
				 "COMMENT ON TABLE \"s\".\"t\" IS 'hello';\n");
	/* a new table in a new schema */
	fm_model_add_table(b, "other", "x");
	FM_CHECK_STR(script(a, b),
				 "-- CreateSchema\n"
				 "CREATE SCHEMA IF NOT EXISTS \"other\";\n"
				 "\n"
				 "-- CreateTable\n"
				 "CREATE TABLE \"other\".\"x\" ();\n"
				 "\n"
				 "-- Comment\n"
				 "COMMENT ON TABLE \"s\".\"t\" IS 'hello';\n");
}

static void
test_ordering_deterministic(void)
{
	/* the same models with tables listed in another order plan the same */
	FmModel    *m1 = blog();
	FmModel    *m2 = blog();
	FmList		rev = {0};

	for (int i = m2->tables.n - 1; i >= 0; i--)
		fm_list_append(A, &rev, m2->tables.items[i]);
	m2->tables = rev;
	FM_CHECK_STR(script(NULL, m1), script(NULL, m2));
}

static bool
cast_hook(const char *from, const char *to, void *arg)
{
	(*(int *) arg)++;
	return true;
}

static void
test_cast_hook(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = base_model(&t1);
	FmModel    *b = base_model(&t2);
	int			calls = 0;
	FmQuoting	q = fm_default_quoting;

	q.cast_is_implicit = cast_hook;
	q.arg = &calls;
	fm_table_find_column(t2, "name")->type.sql = "integer";
	FM_CHECK_STR(fm_list_get(&fm_diff(A, a, b, &q)->steps, 0, FmStep)->ddl,
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"name\" TYPE integer;");
	FM_CHECK_INT(calls, 1);
}

static void
test_ten_thousand_tables(void)
{
	FmModel    *a = fm_model_create(A);
	FmModel    *b = fm_model_create(A);
	FmPlan	   *p;

	for (int i = 0; i < 10000; i++)
	{
		char		name[32];

		snprintf(name, sizeof(name), "t%05d", i);
		for (int k = 0; k < 2; k++)
		{
			FmModel    *m = k ? b : a;
			FmTable    *t = fm_model_add_table(m, "public", name);

			col(m, t, "id", "integer", true);
			col(m, t, "v", k && i % 10 == 0 ? "bigint" : "integer", false);
			pk(m, t, fm_psprintf(A, "%s_pkey", name), "id");
			idx(m, t, fm_psprintf(A, "%s_v_idx", name), false, "v");
			if (i > 0)
				fk(m, t, fm_psprintf(A, "%s_fk", name), "v", "public",
				   fm_psprintf(A, "t%05d", i - 1), "id");
		}
	}
	p = fm_diff(A, a, b, NULL);
	/* 1000 type changes; their FKs (all but t00000's) dropped and re-added */
	FM_CHECK_INT(p->steps.n, 1000 + 2 * 999);
	FM_CHECK_INT(fm_diff(A, NULL, b, NULL)->steps.n, 1 + 10000 + 10000 + 9999);
}

FM_TEST_MAIN_ARENA(A,
	FM_TEST(test_create_from_nothing),
	FM_TEST(test_identical_is_empty),
	FM_TEST(test_unqualified),
	FM_TEST(test_cyclic_fks),
	FM_TEST(test_weird_names),
	FM_TEST(test_columns),
	FM_TEST(test_alter_column),
	FM_TEST(test_alter_type_structured),
	FM_TEST(test_identity),
	FM_TEST(test_keys),
	FM_TEST(test_indexes),
	FM_TEST(test_checks),
	FM_TEST(test_foreign_keys),
	FM_TEST(test_fk_retyped),
	FM_TEST(test_renames),
	FM_TEST(test_drop_table_with_fk),
	FM_TEST(test_enums),
	FM_TEST(test_table_comment_and_schema),
	FM_TEST(test_ordering_deterministic),
	FM_TEST(test_cast_hook),
	FM_TEST(test_ten_thousand_tables))
