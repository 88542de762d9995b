/*-------------------------------------------------------------------------
 *
 * test_locks.c
 *	  Unit tests for the lock facts of step kinds (src/core/locks.c), the
 *	  online forms of steps (src/core/online.c) and the @renamed
 *	  annotation (src/core/renamed.c).
 *
 *-------------------------------------------------------------------------
 */
#include "fm_diff.h"
#include "fm_renamed.h"
#include "fm_test.h"

static void
test_facts_table(void)
{
	/* one row per kind, in enum order */
	for (int k = 0; k < FM_STEP__COUNT; k++)
	{
		const FmStepFacts *f = fm_step_facts((FmStepKind) k);

		FM_CHECK_INT(f->kind, k);
		FM_CHECK(f->name != NULL && f->name[0] != '\0');
		/* a rewrite reads the whole table */
		FM_CHECK(!f->rewrite || f->scan);
		FM_CHECK(k == FM_STEP_NONE || f->online != NULL);
	}
	FM_CHECK_INT(fm_step_facts((FmStepKind) -1)->kind, FM_STEP_NONE);
	FM_CHECK_INT(fm_step_facts(FM_STEP__COUNT)->kind, FM_STEP_NONE);
	FM_CHECK_STR(fm_lock_mode_name(fm_step_facts(FM_STEP_CREATE_INDEX)->lock), "SHARE");
	FM_CHECK_STR(fm_lock_mode_name(fm_step_facts(FM_STEP_CREATE_INDEX_CONCURRENTLY)->lock),
				 "SHARE UPDATE EXCLUSIVE");
	FM_CHECK_STR(fm_lock_mode_name(fm_step_facts(FM_STEP_ADD_FOREIGN_KEY)->ref_lock),
				 "SHARE ROW EXCLUSIVE");
	FM_CHECK(fm_step_facts(FM_STEP_ALTER_TYPE)->rewrite);
	FM_CHECK(!fm_step_facts(FM_STEP_ALTER_TYPE_NO_REWRITE)->rewrite);
	FM_CHECK(fm_step_facts(FM_STEP_SET_NOT_NULL)->scan);
	FM_CHECK(!fm_step_facts(FM_STEP_SET_NOT_NULL_VALIDATED)->scan);
	FM_CHECK_STR(fm_lock_mode_name(FM_LOCK_NONE), "");
}

static void
test_lock_text(void)
{
	FmArena    *a = fm_arena_create();
	FmStep		s;

	memset(&s, 0, sizeof(s));
	FM_CHECK(fm_step_lock_text(a, &s) == NULL);
	s.kind = FM_STEP_ADD_COLUMN;
	FM_CHECK(fm_step_lock_text(a, &s) == NULL);	/* no table: a new one */
	s.lock_schema = "public";
	s.lock_table = "orders";
	FM_CHECK_STR(fm_step_lock_text(a, &s), "ACCESS EXCLUSIVE on public.orders");
	s.kind = FM_STEP_ADD_FOREIGN_KEY;
	s.ref_schema = "public";
	s.ref_table = "users";
	FM_CHECK_STR(fm_step_lock_text(a, &s),
				 "SHARE ROW EXCLUSIVE on public.orders; SHARE ROW EXCLUSIVE on public.users");
	/* a self-reference names the table once */
	s.ref_table = "orders";
	FM_CHECK_STR(fm_step_lock_text(a, &s), "SHARE ROW EXCLUSIVE on public.orders");
	/* a foreign key of a table the plan creates locks the live table it references */
	s.lock_schema = NULL;
	s.lock_table = NULL;
	s.ref_table = "users";
	FM_CHECK_STR(fm_step_lock_text(a, &s), "SHARE ROW EXCLUSIVE on public.users");
	s.ref_table = NULL;			/* to a table the plan creates too */
	FM_CHECK(fm_step_lock_text(a, &s) == NULL);
	fm_arena_destroy(a);
}

static void
test_renamed(void)
{
	FmArena    *a = fm_arena_create();
	FmRenamed	r;

	r = fm_doc_renamed(a, NULL);
	FM_CHECK(r.doc == NULL && r.from == NULL && r.error == NULL);
	r = fm_doc_renamed(a, "The title.\n@renamed(from: \"name\")");
	FM_CHECK_STR(r.doc, "The title.");
	FM_CHECK_STR(r.from, "name");
	FM_CHECK(r.error == NULL);
	r = fm_doc_renamed(a, " @renamed( from : \"old_name\" ) ");
	FM_CHECK(r.doc == NULL);
	FM_CHECK_STR(r.from, "old_name");
	r = fm_doc_renamed(a, "@renamed(from: old)");
	FM_CHECK(r.from == NULL && r.error != NULL);
	r = fm_doc_renamed(a, "@renamed(from: \"\")");
	FM_CHECK(r.from == NULL && r.error != NULL);
	r = fm_doc_renamed(a, "@renamed(from: \"a\")\n@renamed(from: \"b\")");
	FM_CHECK_STR(r.from, "a");
	FM_CHECK(r.error != NULL);
	r = fm_doc_renamed(a, "mentions @renamed in passing");
	FM_CHECK_STR(r.doc, "mentions @renamed in passing");
	FM_CHECK(r.from == NULL && r.error == NULL);
	FM_CHECK_STR(fm_renamed_annotation(a, "old"), "/// @renamed(from: \"old\")");
	fm_arena_destroy(a);
}

/* a one-step plan on an existing table, made online */
static FmPlan *
one_step_plan(FmArena *a, FmStep *s)
{
	FmPlan	   *p = fm_alloc(a, sizeof(FmPlan));

	p->arena = a;
	s->action = "AlterTable";
	s->object = "public.t";
	s->lock_schema = "public";
	s->lock_table = "t";
	fm_list_append(a, &p->steps, s);
	fm_plan_online(p, NULL, 2000);
	return p;
}

static void
test_online(void)
{
	FmArena    *a = fm_arena_create();
	FmModel    *m = fm_model_create(a);
	FmTable    *t = fm_model_add_table(m, "public", "t");
	FmKey		key = {0};
	FmCheck		ck = {0};
	FmStep	   *s;
	FmPlan	   *p;
	char	   *script;

	fm_list_append(a, &key.columns, "email");
	key.name = "t_email_key";
	s = fm_alloc(a, sizeof(FmStep));
	s->kind = FM_STEP_ADD_UNIQUE;
	s->table = t;
	s->key = &key;
	s->ddl = "ALTER TABLE \"public\".\"t\" ADD CONSTRAINT \"t_email_key\" UNIQUE (\"email\");";
	s->hazard = FM_HAZARD_ADD_UNIQUE;
	p = one_step_plan(a, s);
	FM_CHECK_INT(p->steps.n, 2);
	FM_CHECK_STR(fm_list_get(&p->steps, 0, FmStep)->ddl,
				 "CREATE UNIQUE INDEX CONCURRENTLY \"t_email_key\" ON \"public\".\"t\" USING \"btree\" (\"email\");");
	FM_CHECK(fm_list_get(&p->steps, 0, FmStep)->nontx);
	FM_CHECK_INT(fm_list_get(&p->steps, 0, FmStep)->hazard, FM_HAZARD_ADD_UNIQUE);
	/* a CONCURRENTLY statement commits on its own: no COMMIT after it */
	script = fm_plan_to_script(a, p);
	FM_CHECK(strstr(script, "(\"email\");\nSET lock_timeout") != NULL);
	FM_CHECK(strstr(script, "COMMIT;") == NULL);
	FM_CHECK_STR(fm_list_get(&p->steps, 1, FmStep)->ddl,
				 "ALTER TABLE \"public\".\"t\" ADD CONSTRAINT \"t_email_key\" UNIQUE USING INDEX \"t_email_key\";");
	FM_CHECK_INT(fm_list_get(&p->steps, 1, FmStep)->hazard, FM_HAZARD_NONE);

	s = fm_alloc(a, sizeof(FmStep));
	s->kind = FM_STEP_SET_NOT_NULL;
	s->table = t;
	s->column = "email";
	s->ddl = "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"email\" SET NOT NULL;";
	s->hazard = FM_HAZARD_SET_NOT_NULL;
	p = one_step_plan(a, s);
	FM_CHECK_INT(p->steps.n, 4);
	FM_CHECK_STR(fm_list_get(&p->steps, 0, FmStep)->ddl,
				 "ALTER TABLE \"public\".\"t\" ADD CONSTRAINT \"email_not_null\" CHECK (\"email\" IS NOT NULL) NOT VALID;");
	FM_CHECK_STR(fm_list_get(&p->steps, 1, FmStep)->ddl,
				 "ALTER TABLE \"public\".\"t\" VALIDATE CONSTRAINT \"email_not_null\";");
	FM_CHECK_INT(fm_list_get(&p->steps, 1, FmStep)->hazard, FM_HAZARD_SET_NOT_NULL);
	FM_CHECK_INT(fm_list_get(&p->steps, 2, FmStep)->kind, FM_STEP_SET_NOT_NULL_VALIDATED);
	FM_CHECK_STR(fm_list_get(&p->steps, 3, FmStep)->ddl,
				 "ALTER TABLE \"public\".\"t\" DROP CONSTRAINT \"email_not_null\";");
	/* each statement commits before the next: no AEL held through VALIDATE */
	script = fm_plan_to_script(a, p);
	FM_CHECK(strstr(script, "NOT VALID;\nCOMMIT;\n") != NULL);
	FM_CHECK(strstr(script, "VALIDATE CONSTRAINT \"email_not_null\";\nCOMMIT;\n") != NULL);
	FM_CHECK(strstr(script, "SET NOT NULL;\nCOMMIT;\n") != NULL);
	/* the last statement is committed by the end of the migration */
	FM_CHECK(strstr(script, "DROP CONSTRAINT \"email_not_null\";\n") != NULL);
	FM_CHECK(strstr(script, "DROP CONSTRAINT \"email_not_null\";\nCOMMIT;") == NULL);

	ck.name = "t_check";
	ck.expr = "n > 0";
	s = fm_alloc(a, sizeof(FmStep));
	s->kind = FM_STEP_ADD_CHECK;
	s->table = t;
	s->check = &ck;
	s->ddl = "x";
	p = one_step_plan(a, s);
	FM_CHECK_INT(p->steps.n, 2);
	FM_CHECK_STR(fm_list_get(&p->steps, 0, FmStep)->ddl,
				 "ALTER TABLE \"public\".\"t\" ADD CONSTRAINT \"t_check\" CHECK (n > 0) NOT VALID;");
	FM_CHECK_INT(fm_list_get(&p->steps, 1, FmStep)->kind, FM_STEP_VALIDATE_CHECK);

	/* no low-lock form: kept, with a note; the script sets lock_timeout */
	s = fm_alloc(a, sizeof(FmStep));
	s->kind = FM_STEP_ALTER_TYPE;
	s->table = t;
	s->ddl = "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"n\" TYPE bigint;";
	p = one_step_plan(a, s);
	FM_CHECK_INT(p->steps.n, 1);
	FM_CHECK(fm_list_get(&p->steps, 0, FmStep)->online_note != NULL);
	script = fm_plan_to_script(a, p);
	FM_CHECK(strstr(script, "SET lock_timeout = '2000ms';\nALTER TABLE") != NULL);
	FM_CHECK(strstr(script, "-- ONLINE: no low-lock form exists") != NULL);

	/* a table the plan creates (no lock_table) is left alone */
	{
		FmIndex		ix = {0};
		FmIndexElem el = {0};

		el.column = "n";
		ix.name = "t_n_idx";
		fm_list_append(a, &ix.elems, &el);
		s = fm_alloc(a, sizeof(FmStep));
		s->kind = FM_STEP_CREATE_INDEX;
		s->table = t;
		s->index = &ix;
		s->ddl = "CREATE INDEX ...;";
		p = fm_alloc(a, sizeof(FmPlan));
		p->arena = a;
		s->action = "CreateIndex";
		fm_list_append(a, &p->steps, s);
		fm_plan_online(p, NULL, 2000);
		FM_CHECK_INT(fm_list_get(&p->steps, 0, FmStep)->kind, FM_STEP_CREATE_INDEX);
		FM_CHECK_STR(fm_list_get(&p->steps, 0, FmStep)->ddl, "CREATE INDEX ...;");
		/* on an existing table: CONCURRENTLY */
		p = one_step_plan(a, s);
		FM_CHECK_STR(fm_list_get(&p->steps, 0, FmStep)->ddl,
					 "CREATE INDEX CONCURRENTLY \"t_n_idx\" ON \"public\".\"t\" USING \"btree\" (\"n\");");
	}
	fm_arena_destroy(a);
}

FM_TEST_MAIN(FM_TEST(test_facts_table), FM_TEST(test_lock_text), FM_TEST(test_renamed),
			 FM_TEST(test_online))
