/*-------------------------------------------------------------------------
 *
 * test_diff_keep.c
 *	  Unit tests of what fm_diff() keeps live when the target cannot state
 *	  it, as Prisma Migrate does (the prisma dialect: FmEnum.keep_order,
 *	  FmTable.keep_unstated and keep_partial, FmColumn.keep_default): enum
 *	  label order, expression and partial indexes, CHECKs, the nullability
 *	  of list columns, a dbgenerated() default, a duplicate of a stated
 *	  index, an index stated twice; and the rename of a unique constraint into a unique index on
 *	  the same columns.  Each case also
 *	  runs without the flag, where the diff still makes the change.
 *
 * test/unit/test_diff_keep.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_diff.h"
#include "fm_build.h"
#include "fm_test.h"

static FmArena *A;

/* s.t (id, tags text[], note text): the live side or the target */
static FmModel *
model(FmTable **tp, bool target)
{
	FmModel    *m = fm_model_create(A);
	FmTable    *t = fm_model_add_table(m, "s", "t");

	col(m, t, "id", "integer", true);
	col(m, t, "tags", "text[]", !target);
	col(m, t, "note", "text", false);
	pk(m, t, "t_pkey", "id");
	t->keep_unstated = target;
	t->keep_partial = target;
	*tp = t;
	return m;
}

static void
test_enum_order(void)
{
	FmModel    *a = fm_model_create(A);
	FmModel    *b = fm_model_create(A);
	FmModel    *c = fm_model_create(A);
	FmEnum	   *e;

	enm(a, "s", "r", "b,a");
	e = enm(b, "s", "r", "a,b,c");
	e->keep_order = true;
	/* the live order stays; the new label goes after its predecessor */
	FM_CHECK_STR(fmb_script(A, a, b),
				 "-- AlterEnum\n"
				 "ALTER TYPE \"s\".\"r\" ADD VALUE 'c' AFTER 'b';\n");
	e->keep_order = false;
	FM_CHECK(strstr(fmb_script(A, a, b), "RENAME TO \"r_old\"") != NULL);
	/* the same labels in another order: nothing to do */
	enm(c, "s", "r", "a,b")->keep_order = true;
	FM_CHECK_STR(fmb_script(A, a, c), "");
	/* a removed label still recreates the type, in the stated order */
	fm_list_get(&c->enums, 0, FmEnum)->values.n = 1;
	FM_CHECK(strstr(fmb_script(A, a, c), "CREATE TYPE \"s\".\"r\" AS ENUM ('a');") != NULL);
}

static void
test_unstated_indexes(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = model(&t1, false);
	FmModel    *b = model(&t2, true);
	FmIndex    *ix;

	ix = idx(a, t1, "t_lower_idx", false, "id");
	fm_list_get(&ix->elems, 0, FmIndexElem)->column = NULL;
	fm_list_get(&ix->elems, 0, FmIndexElem)->expr = "lower(note)";
	idx(a, t1, "t_part_key", true, "note")->predicate = "(id > 0)";
	idx(a, t1, "t_note_idx", false, "note")->predicate = "(note IS NOT NULL)";
	idx(b, t2, "t_note_idx", false, "note");
	/* kept: an expression, a partial index, a partial one the text names */
	FM_CHECK_STR(fmb_script(A, a, b), "");
	/* predicates can be stated (partialIndexes): partial ones are compared */
	t2->keep_partial = false;
	FM_CHECK_STR(fmb_script(A, a, b),
				 "-- DropIndex\n"
				 "DROP INDEX \"s\".\"t_note_idx\";\n"
				 "DROP INDEX \"s\".\"t_part_key\";\n"
				 "\n"
				 "-- CreateIndex\n"
				 "CREATE INDEX \"t_note_idx\" ON \"s\".\"t\" USING \"btree\" (\"note\");\n");
	/* the ferriorm dialect states everything */
	t2->keep_unstated = false;
	FM_CHECK(strstr(fmb_script(A, a, b), "DROP INDEX \"s\".\"t_lower_idx\";") != NULL);
	/* an index the text names is compared even when it cannot state it */
	t2->keep_unstated = true;
	idx(b, t2, "t_lower_idx", false, "note");
	FM_CHECK(strstr(fmb_script(A, a, b), "DROP INDEX \"s\".\"t_lower_idx\";") != NULL);
}

static void
test_checks_lists_defaults(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = model(&t1, false);
	FmModel    *b = model(&t2, true);

	check(a, t1, "t_note_check", "(note <> ''::text)");
	fm_table_find_column(t1, "note")->default_sql = "'x'::text";
	fm_table_find_column(t2, "note")->keep_default = true;
	FM_CHECK_STR(fmb_script(A, a, b), "");
	t2->keep_unstated = false;
	fm_table_find_column(t2, "note")->keep_default = false;
	FM_CHECK_STR(fmb_script(A, a, b),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" DROP CONSTRAINT \"t_note_check\";\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"note\" DROP DEFAULT;\n"
				 "ALTER TABLE \"s\".\"t\" ALTER COLUMN \"tags\" DROP NOT NULL;\n");
	/* a CHECK the source text stated (a position) was removed on purpose */
	t2->keep_unstated = true;
	fm_table_find_column(t2, "note")->keep_default = true;
	fm_list_get(&t1->checks, 0, FmCheck)->pos.line = 3;
	FM_CHECK_STR(fmb_script(A, a, b),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" DROP CONSTRAINT \"t_note_check\";\n");
	/* a list that becomes a scalar changes its nullability as any column */
	t2->keep_unstated = true;
	fm_table_find_column(t2, "tags")->type.sql = "text";
	FM_CHECK(strstr(fmb_script(A, a, b), "DROP NOT NULL") != NULL);
}

static void
test_unique_constraint_to_index(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = model(&t1, false);
	FmModel    *b = model(&t2, true);

	uniq(a, t1, "t_note_ke", "note");
	idx(b, t2, "t_note_key", true, "note");
	FM_CHECK_STR(fmb_script(A, a, b),
				 "-- AlterTable\n"
				 "ALTER TABLE \"s\".\"t\" RENAME CONSTRAINT \"t_note_ke\" TO \"t_note_key\";\n");
	/* and back: a unique index renamed to the constraint's name */
	FM_CHECK(strstr(fmb_script(A, b, a),
					"-- RenameIndex\n"
					"ALTER INDEX \"s\".\"t_note_key\" RENAME TO \"t_note_ke\";\n") != NULL);
	/* an index with more than a constraint has is not renamed */
	fm_list_get(&fm_list_get(&t2->indexes, 0, FmIndex)->elems, 0, FmIndexElem)->sort = FM_SORT_DESC;
	FM_CHECK(strstr(fmb_script(A, a, b), "RENAME") == NULL);
}

static void
test_duplicates(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = model(&t1, false);
	FmModel    *b = model(&t2, true);

	/* a second unique index and a second index on the stated columns */
	idx(a, t1, "t_note_key", true, "note");
	uniq(a, t1, "Old_note_key", "note");
	idx(a, t1, "t_id_note_idx", false, "id,note");
	idx(a, t1, "dup_idx", false, "id,note");
	idx(a, t1, "stray_idx", false, "note,id");
	idx(b, t2, "t_note_key", true, "note");
	idx(b, t2, "t_id_note_idx", false, "id,note");
	FM_CHECK_STR(fmb_script(A, a, b),
				 "-- DropIndex\n"
				 "DROP INDEX \"s\".\"stray_idx\";\n");
	/* a duplicate the source text stated was removed on purpose */
	fm_list_get(&t1->indexes, 2, FmIndex)->pos.line = 7;
	FM_CHECK(strstr(fmb_script(A, a, b), "DROP INDEX \"s\".\"dup_idx\";") != NULL);
	fm_list_get(&t1->indexes, 2, FmIndex)->pos.line = 0;
	t2->keep_unstated = false;
	FM_CHECK(strstr(fmb_script(A, a, b), "DROP INDEX \"s\".\"dup_idx\";") != NULL);
	FM_CHECK(strstr(fmb_script(A, a, b), "DROP CONSTRAINT \"Old_note_key\";") != NULL);
}

/*
 * A schema that states one index twice under two names (stacker.news),
 * with one of them live: nothing is created, as Prisma Migrate pairs both
 * with the live one; renamed when the live one has a third name; both
 * created into a table that has neither, and without the flag.
 */
static void
test_stated_twice(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = model(&t1, false);
	FmModel    *b = model(&t2, true);
	FmIndex    *live = idx(a, t1, "t_a", false, "note");

	idx(b, t2, "t_a", false, "note");
	idx(b, t2, "t_b", false, "note");
	uniq(b, t2, "t_u1", "id,note");
	uniq(b, t2, "t_u2", "id,note");
	uniq(a, t1, "t_u1", "id,note");
	FM_CHECK_STR(fmb_script(A, a, b), "");
	/* the live one under a third name: renamed, the twin not created */
	live->name = "t_x";
	FM_CHECK_STR(fmb_script(A, a, b),
				 "-- RenameIndex\n"
				 "ALTER INDEX \"s\".\"t_x\" RENAME TO \"t_a\";\n");
	/* a twin of another definition is created */
	fm_list_get(&fm_list_get(&t2->indexes, 1, FmIndex)->elems, 0, FmIndexElem)->column = "id";
	FM_CHECK(strstr(fmb_script(A, a, b), "CREATE INDEX \"t_b\"") != NULL);
	fm_list_get(&fm_list_get(&t2->indexes, 1, FmIndex)->elems, 0, FmIndexElem)->column = "note";
	/* a live index the source text stated does not pair a twin */
	live->pos.line = 3;
	FM_CHECK(strstr(fmb_script(A, a, b), "CREATE INDEX \"t_b\"") != NULL);
	live->pos.line = 0;
	/* the ferriorm dialect creates what is stated */
	t2->keep_unstated = false;
	FM_CHECK(strstr(fmb_script(A, a, b), "CREATE INDEX \"t_b\"") != NULL);
	FM_CHECK(strstr(fmb_script(A, a, b), "\"t_u2\"") != NULL);
}

/*
 * A column retyped with a USING cast: the CHECK and the expression index
 * kept on it are dropped (not added again: the new type need not take
 * them), and a dbgenerated() default the type change drops stays dropped.
 */
static void
test_recast(void)
{
	FmTable    *t1,
			   *t2;
	FmModel    *a = model(&t1, false);
	FmModel    *b = model(&t2, true);
	FmIndex    *ix;
	char	   *sc;

	check(a, t1, "t_note_check", "(note <> ''::text)");
	ix = idx(a, t1, "t_lower_idx", false, "id");
	fm_list_get(&ix->elems, 0, FmIndexElem)->column = NULL;
	fm_list_get(&ix->elems, 0, FmIndexElem)->expr = "lower(note)";
	fm_table_find_column(t1, "note")->default_sql = "'x'::text";
	fm_table_find_column(t2, "note")->keep_default = true;
	fm_table_find_column(t2, "note")->type.sql = "integer";
	sc = fmb_script(A, a, b);
	FM_CHECK(strstr(sc, "DROP CONSTRAINT \"t_note_check\";") != NULL);
	FM_CHECK(strstr(sc, "DROP INDEX \"s\".\"t_lower_idx\";") != NULL);
	FM_CHECK(strstr(sc, "USING (\"note\"::integer)") != NULL);
	FM_CHECK(strstr(sc, "DROP DEFAULT") != NULL);
	FM_CHECK(strstr(sc, "ADD CONSTRAINT") == NULL);
	FM_CHECK(strstr(sc, "CREATE INDEX") == NULL);
	FM_CHECK(strstr(sc, "SET DEFAULT") == NULL);
	/* the same type: all kept */
	fm_table_find_column(t2, "note")->type.sql = "text";
	FM_CHECK_STR(fmb_script(A, a, b), "");
}

FM_TEST_MAIN_ARENA(A,
	FM_TEST(test_enum_order),
	FM_TEST(test_unstated_indexes),
	FM_TEST(test_checks_lists_defaults),
	FM_TEST(test_unique_constraint_to_index),
	FM_TEST(test_duplicates),
	FM_TEST(test_stated_twice),
	FM_TEST(test_recast))
