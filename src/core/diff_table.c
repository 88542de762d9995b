/*-------------------------------------------------------------------------
 *
 * diff_table.c
 *	  The table phase of the diff: tables matched by (schema, name),
 *	  created or dropped whole, and each pair handed to the column, key
 *	  and constraint phases.
 *
 * A created table is one CREATE TABLE with its columns, primary key,
 * unique constraints and CHECKs (render.c); its indexes, comments and
 * foreign keys are separate steps, so that every foreign key is added
 * after every table exists.  A dropped table is a DROP_TABLE hazard; its
 * keys and indexes go with it, but when the target gives one of their
 * names to another relation, the name is freed first (drop_reused_names),
 * in the drop phase, so that the creation does not collide.
 *
 * The relation names of the target (tables, keys, indexes) are collected
 * up front for that test, and for the early renames of diff_index.c.
 *
 * src/core/diff_table.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

/* a table on both sides, kept for the foreign-key phase */
typedef struct TablePair
{
	const FmTable *from;
	const FmTable *to;
	bool		fks_unchanged;	/* fmd_fks_unchanged() */
} TablePair;

/*
 * The live default partition of the live parent of partition t that the
 * target keeps as its default partition, or NULL: a new partition of that
 * parent takes the rows of its bound out of it (and fails if it holds any).
 */
static const FmTable *
live_default_partition(Diff *d, const FmTable *t)
{
	const char *ps;

	if (t->part_parent == NULL || t->part_bound == NULL ||
		fm_streq(t->part_bound, "DEFAULT"))
		return NULL;
	ps = t->part_parent_schema ? t->part_parent_schema : t->schema;
	if (!fmd_is_live(d, ps, t->part_parent))
		return NULL;
	for (int i = 0; i < d->from->tables.n; i++)
	{
		const FmTable *x = fm_list_get(&d->from->tables, i, FmTable);

		if (x->part_parent != NULL && x->part_bound != NULL &&
			fm_streq(x->part_bound, "DEFAULT") &&
			fm_streq(x->part_parent, t->part_parent) &&
			fm_streq(x->part_parent_schema ? x->part_parent_schema : x->schema, ps) &&
			fm_model_find_table(d->to, x->schema, x->name) != NULL)
			return x;
	}
	return NULL;
}

/*
 * fmd_create_table
 *		Record the creation of table t: CREATE TABLE (with its columns, keys
 *		and CHECKs), then its indexes, foreign keys (in the foreign-key
 *		phase) and comments.  No hazard, the table being empty, but for a
 *		partition of a live parent whose default partition holds the rows
 *		of its bound: that one is scanned, and the step fails on such a row
 *		(attach_partition's figure, counted there).
 */
void
fmd_create_table(Diff *d, const FmTable *t)
{
	char	   *obj = fm_object_name(d->a, t->schema, t->name);
	FmStep	   *s = fmd_add_step(d, FM_PHASE_CREATE_TABLE, "CreateTable", obj,
								 fm_r_create_table(&d->r, t));
	const FmTable *def = live_default_partition(d, t);

	if (def != NULL)
	{
		const char *ps = t->part_parent_schema ? t->part_parent_schema : t->schema;

		/* its bound's rows leave the default partition: counted there */
		fmd_lock(d, s, FM_STEP_CREATE_PARTITION, def);
		fmd_lock_ref(d, s, ps, t->part_parent);
		s->table = t;
		fmd_set_hazard(s, FM_HAZARD_ATTACH_PARTITION, def->schema, def->name, NULL,
					   fm_object_name(d->a, ps, t->part_parent), false);
	}
	fmd_table_rename_hint(d, s, t);
	for (int i = 0; i < t->indexes.n; i++)
		fmd_create_index_step(d, t, fm_list_get(&t->indexes, i, FmIndex), false);
	for (int i = 0; i < t->exclusions.n; i++)
		fmd_add_exclusion_step(d, t, fm_list_get(&t->exclusions, i, FmExclusion), false);
	for (int i = 0; i < t->foreign_keys.n; i++)
		fmd_add_fk_step(d, t, fm_list_get(&t->foreign_keys, i, FmForeignKey), false);
	if (t->comment && *t->comment)
		fmd_comment_step(d, "TABLE", t->schema, t->name, NULL, t->comment);
	for (int i = 0; i < t->columns.n; i++)
	{
		FmColumn   *c = fm_list_get(&t->columns, i, FmColumn);

		if (FM_COL_MORE(c)->comment && *FM_COL_MORE(c)->comment)
			fmd_comment_step(d, "COLUMN", t->schema, t->name, c->name, FM_COL_MORE(c)->comment);
	}
}

/*
 * An index or key of a dropped table whose name the target gives to another
 * relation (a table renamed by @@map whose successor reuses the key names,
 * or a generated name whose number goes away): drop it early, before keys
 * are created or renamed, since tables are dropped only at the end.
 */
static void
drop_reused_names(Diff *d, const FmTable *t)
{
	if (t->primary_key && t->primary_key->name &&
		fmd_relname_used(d, t->schema, t->primary_key->name))
		fmd_lock(d, fmd_add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
								 fmd_sub_object(d, t->schema, t->name, t->primary_key->name),
								 fmd_drop_constraint_ddl(d, t, t->primary_key->name)),
				 FM_STEP_DROP_CONSTRAINT, t);
	for (int i = 0; i < t->uniques.n; i++)
	{
		FmKey	   *k = fm_list_get(&t->uniques, i, FmKey);

		if (k->name && fmd_relname_used(d, t->schema, k->name))
			fmd_lock(d, fmd_add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
									 fmd_sub_object(d, t->schema, t->name, k->name),
									 fmd_drop_constraint_ddl(d, t, k->name)),
					 FM_STEP_DROP_CONSTRAINT, t);
	}
	for (int i = 0; i < t->indexes.n; i++)
	{
		FmIndex    *ix = fm_list_get(&t->indexes, i, FmIndex);

		if (!ix->name || !fmd_relname_used(d, t->schema, ix->name))
			continue;
		fmd_drop_index_step(d, t, ix->name);
	}
	fmd_drop_reused_exclusions(d, t);
}

/*
 * fmd_drop_table
 *		Record the drop of table t, a DROP_TABLE hazard that loses data.  Its
 *		foreign keys to other tables are dropped first, since tables dropped
 *		together may reference each other, and names the target reuses are
 *		freed early (drop_reused_names).
 */
void
fmd_drop_table(Diff *d, const FmTable *t)
{
	FmStep	   *s;

	/* FKs to other tables go first: dropped tables may reference each other */
	for (int i = 0; i < t->foreign_keys.n; i++)
	{
		FmForeignKey *fk = fm_list_get(&t->foreign_keys, i, FmForeignKey);

		if (fmd_name_cmp(fk->ref_schema, fk->ref_table, t->schema, t->name) != 0)
			fmd_drop_fk_step(d, t, fk);
	}
	if (!d->early_drop)
		drop_reused_names(d, t);
	s = fmd_add_step(d, FM_PHASE_DROP_TABLE, "DropTable",
					 fm_object_name(d->a, t->schema, t->name),
					 fmd_drop_ddl(d, "TABLE", t->schema, t->name));
	fmd_lock(d, s, FM_STEP_DROP_TABLE, t);
	fmd_set_hazard(s, FM_HAZARD_DROP_TABLE, t->schema, t->name, NULL, NULL, true);
}

/*
 * collect_relnames
 *		Fill d->relnames with "schema\x1fname" of every relation the target
 *		names: its tables, primary keys, unique constraints and indexes;
 *		sorted.
 */
static void
collect_relnames(Diff *d, const FmModel *to)
{
	for (int k = 0; k < to->tables.n; k++)
	{
		FmTable    *t = fm_list_get(&to->tables, k, FmTable);

		fmd_set_add(d, &d->relnames, &d->nrelnames, &d->caprelnames,
					fmd_name_key(d->a, t->schema, t->name));
		if (t->primary_key && t->primary_key->name)
			fmd_set_add(d, &d->relnames, &d->nrelnames, &d->caprelnames,
						fmd_name_key(d->a, t->schema, t->primary_key->name));
		for (int x = 0; x < t->uniques.n; x++)
			fmd_set_add(d, &d->relnames, &d->nrelnames, &d->caprelnames,
						fmd_name_key(d->a, t->schema, fm_list_get(&t->uniques, x, FmKey)->name));
		for (int x = 0; x < t->indexes.n; x++)
			fmd_set_add(d, &d->relnames, &d->nrelnames, &d->caprelnames,
						fmd_name_key(d->a, t->schema, fm_list_get(&t->indexes, x, FmIndex)->name));
		fmd_exclusion_relnames(d, t);
	}
	if (d->nrelnames > 1)
		qsort(d->relnames, (size_t) d->nrelnames, sizeof(char *), fmd_str_ptr_cmp);
}

/*
 * fmd_note_relnames
 *		Note the target whose relation names fmd_relname_used() knows.
 *		Must run before fmd_tables().
 */
void
fmd_note_relnames(Diff *d, const FmModel *to)
{
	d->relnames_of = to;
	d->relnames_done = false;
}

/*
 * fmd_relname_used
 *		Does the target give the name (schema, name) to a relation: a
 *		table, primary key, unique constraint, index or exclusion
 *		constraint?  The set (d->relnames) is built on the first call: only
 *		drops and renames ask.
 *
 * Read by drop_reused_names() here and by the renames of diff_index.c, to
 * free a name early when the target gives it to another relation.
 */
bool
fmd_relname_used(Diff *d, const char *schema, const char *name)
{
	if (!d->relnames_done)
	{
		collect_relnames(d, d->relnames_of);
		d->relnames_done = true;
	}
	return fmd_set_has(d->relnames, d->nrelnames, fmd_name_key(d->a, schema, name));
}

/*
 * fmd_tables
 *		The table phase: merge the tables of from and to by (schema, name);
 *		drop the tables only from has, create the ones only to has, and run
 *		the column, key and CHECK phases (and the comment) on each pair.
 *		Then, with d->dropped_keys and d->retyped complete and sorted, run
 *		the foreign-key phase on every pair.
 */
void
fmd_tables(Diff *d, const FmModel *from, const FmModel *to)
{
	FmTable   **fa,
			  **ta;
	TablePair  *pairs;
	int			npairs = 0;
	int			i = 0,
				j = 0;
	FmList		drops = {0};
	FmList		creates = {0};

	fa = (FmTable **) fmd_sorted_copy(d->a, &from->tables, fmd_table_ptr_cmp);
	ta = (FmTable **) fmd_sorted_copy(d->a, &to->tables, fmd_table_ptr_cmp);
	pairs = fm_alloc(d->a, sizeof(TablePair) *
					 (size_t) (from->tables.n < to->tables.n ?
							   from->tables.n + 1 : to->tables.n + 1));
	while (i < from->tables.n || j < to->tables.n)
	{
		int			c;

		if (i >= from->tables.n)
			c = 1;
		else if (j >= to->tables.n)
			c = -1;
		else
			c = fmd_table_ptr_cmp(&fa[i], &ta[j]);
		if (c < 0 && !fmd_in_lineage(d, fa[i]))
		{
			/* after the tables whose columns have its row type */
			d->rank = -fmd_row_rank(d, false, fa[i]);
			fmd_drop_table(d, fa[i++]);
			d->rank = 0;
		}
		else if (c < 0)
			fm_list_append(d->a, &drops, fa[i++]);
		else if (c > 0 && !fmd_in_lineage(d, ta[j]))
		{
			/* after the tables whose row types its columns have */
			d->rank = fmd_row_rank(d, true, ta[j]);
			fmd_create_table(d, ta[j++]);
			d->rank = 0;
		}
		else if (c > 0)
			fm_list_append(d->a, &creates, ta[j++]);
		else if (fmd_table_recreated(d, ta[j]))
		{
			/* partitioning or inheritance changes (diff_partition.c) */
			fm_list_append(d->a, &drops, fa[i++]);
			fm_list_append(d->a, &creates, ta[j++]);
		}
		else
		{
			const FmTable *t1 = fa[i++],
					   *t2 = ta[j++];

			const FmTable *c1 = t1,
					   *c2 = t2;

			fmd_partition_moves(d, from, to, t1, t2);
			pairs[npairs].from = t1;
			pairs[npairs].to = t2;
			pairs[npairs++].fks_unchanged = fmd_fks_unchanged(d, t1, t2);
			fmd_inherited_views(d, from, to, &c1, &c2);
			d->pair_from = t1;
			d->pair_to = t2;
			fmd_columns(d, c1, c2);
			fmd_storage(d, t1, t2);
			fmd_keys(d, t1, t2);
			fmd_checks(d, t1, t2);
			fmd_exclusions(d, t1, t2);
			if (!t2->keep_unstated && !fmd_comment_eq(t1->comment, t2->comment))
				fmd_comment_step(d, "TABLE", t2->schema, t2->name, NULL,
								 t2->comment);
		}
	}
	/* partitions and inheritance: parents created first, dropped last */
	fmd_drop_and_create(d, from, to, &drops, &creates);
	if (d->ndropped > 1)
		qsort(d->dropped_keys, (size_t) d->ndropped, sizeof(char *), fmd_str_ptr_cmp);
	if (d->nretyped > 1)
		qsort(d->retyped, (size_t) d->nretyped, sizeof(char *), fmd_str_ptr_cmp);
	for (int k = 0; k < npairs; k++)
	{
		/* nothing stale: unchanged foreign keys record nothing */
		if (pairs[k].fks_unchanged && d->ndropped == 0 && d->nretyped == 0 &&
			d->nrecreated_tables == 0)
			continue;
		fmd_fks(d, pairs[k].from, pairs[k].to);
	}
}
