/*-------------------------------------------------------------------------
 *
 * diff_partition_clones.c
 *	  What a partition that moves to another parent had as copies of its
 *	  old lineage's keys, indexes and foreign keys ("clones"): DETACH
 *	  PARTITION makes them the table's own, so after the DETACH the plan
 *	  drops those its new lineage has nothing alike of, and leaves the
 *	  others for the ATTACH to adopt (fmd_partition_moves, diff_partition.c).
 *
 * Also the copy that holds the name of an index the partition has of its
 * own (fmd_free_clone_name): PostgreSQL names the copy first when the
 * partition is created under its parent, and the own index is made under
 * that name by an ATTACH of a table that had it already.
 *
 * The clones of a live partition are read from the catalog
 * (FmTable.clones); those of a model of schema text are inferred under
 * the names PostgreSQL gives them.  "Alike" is never looser than what
 * PostgreSQL adopts (its CompareIndexInfo() and foreign-key matching), so
 * that no clone kept is left unadopted.
 *
 * src/core/diff_partition_clones.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <string.h>

#include "diff_int.h"

/* the keys, indexes and foreign keys of the lineage above t2 in to */
typedef struct Lineage
{
	FmList		pkeys;			/* of FmKey * */
	FmList		uniques;		/* of FmKey * */
	FmList		indexes;		/* of FmIndex * */
	FmList		fks;			/* of FmForeignKey * */
} Lineage;

static void
lineage_objects(Diff *d, const FmModel *to, const FmTable *t2, Lineage *l)
{
	const FmTable *p = fmd_lineage_find(d, to, t2->part_parent_schema, t2->part_parent);

	memset(l, 0, sizeof(Lineage));
	/* a bounded walk: a valid model has no cycle, nor such a depth */
	for (int depth = 0; p != NULL && depth < 1000; depth++)
	{
		if (p->primary_key)
			fm_list_append(d->a, &l->pkeys, p->primary_key);
		for (int i = 0; i < p->uniques.n; i++)
			fm_list_append(d->a, &l->uniques, fm_list_get(&p->uniques, i, FmKey));
		for (int i = 0; i < p->indexes.n; i++)
			fm_list_append(d->a, &l->indexes, fm_list_get(&p->indexes, i, FmIndex));
		for (int i = 0; i < p->foreign_keys.n; i++)
			fm_list_append(d->a, &l->fks, fm_list_get(&p->foreign_keys, i, FmForeignKey));
		if (p->part_parent == NULL)
			break;
		p = fmd_lineage_find(d, to, p->part_parent_schema, p->part_parent);
	}
}

/* has keys (of FmKey *) one on the columns of k, alike? */
static bool
has_key(const FmList *keys, const FmKey *k)
{
	for (int i = 0; i < keys->n; i++)
	{
		const FmKey *o = fm_list_get(keys, i, FmKey);

		if (fmd_name_list_eq(&o->columns, &k->columns) &&
			o->nulls_not_distinct == k->nulls_not_distinct &&
			o->deferrable == k->deferrable)
			return true;
	}
	return false;
}

static bool
has_index(Diff *d, const FmList *indexes, const FmIndex *ix, bool colls)
{
	for (int i = 0; i < indexes->n; i++)
		if (fmd_index_same(d, fm_list_get(indexes, i, FmIndex), ix, colls))
			return true;
	return false;
}

static bool
has_fk(const FmList *fks, const FmForeignKey *fk)
{
	for (int i = 0; i < fks->n; i++)
		if (fmd_fk_same(fm_list_get(fks, i, FmForeignKey), fk))
			return true;
	return false;
}

/*
 * ALTER TABLE t1 DROP CONSTRAINT IF EXISTS name, a step of fmd_drop_clones;
 * fk (NULL for a key) is a foreign key, whose drop locks the table it
 * references too
 */
static void
drop_clone_constraint(Diff *d, const FmTable *t1, FmPhase phase, char *obj,
					  const char *name, const FmForeignKey *fk)
{
	FmBuf		b;
	FmStep	   *s;

	fmd_begin_alter(d, &b, t1);
	fm_buf_append(&b, "DROP CONSTRAINT IF EXISTS ");
	fm_r_ident(&d->r, &b, name);
	fm_buf_append_char(&b, ';');
	s = fmd_add_step(d, phase, "AlterTable", obj, fm_buf_finish(&b));
	fmd_lock(d, s, fk ? FM_STEP_DROP_FOREIGN_KEY : FM_STEP_DROP_CONSTRAINT, t1);
	if (fk)
		fmd_lock_ref(d, s, fk->ref_schema, fk->ref_table);
}

/* is name a primary key's (pk may be NULL), a unique key's or an index's? */
static bool
keys_named(const FmKey *pk, const FmList *uniques, const FmList *indexes, const char *name)
{
	if (pk && fm_streq(pk->name, name))
		return true;
	for (int k = 0; k < uniques->n; k++)
		if (fm_streq(fm_list_get(uniques, k, FmKey)->name, name))
			return true;
	for (int k = 0; k < indexes->n; k++)
		if (fm_streq(fm_list_get(indexes, k, FmIndex)->name, name))
			return true;
	return false;
}

/*
 * Does another relation of schema in to than t2's own keys and indexes
 * have that name: a table, or a key or index of another table?  Then the
 * copy of that name is gone before the DETACH (the plan could not create
 * the other otherwise), and DROP INDEX IF EXISTS would drop the other.
 */
static bool
name_taken_elsewhere(const FmModel *to, const FmTable *t2, const char *schema,
					 const char *name)
{
	for (int i = 0; i < to->tables.n; i++)
	{
		const FmTable *t = fm_list_get(&to->tables, i, FmTable);

		if (!fm_streq(t->schema, schema))
			continue;
		if (fm_streq(t->name, name))
			return true;
		if (t == t2)
			continue;
		if (keys_named(t->primary_key, &t->uniques, &t->indexes, name))
			return true;
		for (int k = 0; k < t->exclusions.n; k++)
			if (fm_streq(fm_list_get(&t->exclusions, k, FmExclusion)->name, name))
				return true;
	}
	return false;
}

/*
 * inferred_clones
 *		The clones partition t1 of a model read from schema text (a
 *		history's snapshot: FmTable.clones is the catalog's) has of its
 *		ancestors' keys, indexes and foreign keys in from, under the names
 *		PostgreSQL gives them: ChooseIndexName()'s for keys and indexes,
 *		the ancestor's own for foreign keys.  A name PostgreSQL numbered
 *		(two copies of one name) is missed; the drop is IF EXISTS.  NULL
 *		when t1 has none.
 */
static const FmClones *
inferred_clones(Diff *d, const FmModel *from, const FmTable *t1)
{
	FmClones   *cl = fm_alloc(d->a, sizeof(FmClones));
	const FmTable *p = fmd_lineage_find(d, from, t1->part_parent_schema, t1->part_parent);
	bool		any = false;

	/* a bounded walk: a valid model has no cycle, nor such a depth */
	for (int depth = 0; p != NULL && depth < 1000; depth++)
	{
		if (p->primary_key && cl->primary_key == NULL)
		{
			cl->primary_key = fm_alloc(d->a, sizeof(FmKey));
			*cl->primary_key = *p->primary_key;
			cl->primary_key->name = fm_make_object_name(d->a, t1->name, NULL, "pkey");
			any = true;
		}
		for (int i = 0; i < p->uniques.n; i++)
		{
			FmKey	   *k = fm_alloc(d->a, sizeof(FmKey));

			*k = *fm_list_get(&p->uniques, i, FmKey);
			k->name = fm_make_object_name(d->a, t1->name,
										  fm_column_list_name(d->a, &k->columns), "key");
			fm_list_append(d->a, &cl->uniques, k);
			any = true;
		}
		for (int i = 0; i < p->indexes.n; i++)
		{
			FmIndex    *ix = fm_alloc(d->a, sizeof(FmIndex));

			*ix = *fm_list_get(&p->indexes, i, FmIndex);
			ix->name = fm_make_object_name(d->a, t1->name, fm_index_name_columns(d->a, ix), "idx");
			fm_list_append(d->a, &cl->indexes, ix);
			any = true;
		}
		for (int i = 0; i < p->foreign_keys.n; i++)
		{
			fm_list_append(d->a, &cl->foreign_keys, fm_list_get(&p->foreign_keys, i, FmForeignKey));
			any = true;
		}
		if (p->part_parent == NULL)
			break;
		p = fmd_lineage_find(d, from, p->part_parent_schema, p->part_parent);
	}
	return any ? cl : NULL;
}

/*
 * fmd_drop_clones
 *		After the DETACH of t1 from a parent it leaves for t2's in to: the
 *		keys, foreign keys and indexes it had as clones of its old
 *		lineage's (FmTable.clones, read from the catalog; inferred_clones
 *		for a model of schema text) are its own once
 *		it is detached, and neither side's table states them.  One that an
 *		object of the new lineage has alike is kept: PostgreSQL adopts it,
 *		at the ATTACH or when the plan creates that object on the parent
 *		(an index, key or foreign key of a partitioned table takes a
 *		partition's equivalent one instead of building another).  Any other
 *		would stay on the partition as its own, and its name (the default
 *		name of the partition's own) could clash with one the schema states
 *		for it; it is dropped, in the DETACH's phase and rank and on its
 *		object, hence right after it.  IF EXISTS: a drop on the old parent
 *		earlier in the plan took its clone along; an index whose name
 *		another relation of the target takes is not dropped
 *		(name_taken_elsewhere).  Plain DROP INDEX in online plans too (one
 *		on a partitioned table has no concurrent form; online.c notes it),
 *		between the DETACH and the ATTACH, which take ACCESS EXCLUSIVE
 *		anyway.
 */
void
fmd_drop_clones(Diff *d, const FmModel *from, const FmModel *to, const FmTable *t1,
				const FmTable *t2, FmPhase phase, char *obj)
{
	const FmClones *cl = t1->clones ? t1->clones :
		t1->model_name ? inferred_clones(d, from, t1) : NULL;
	Lineage		l;
	bool		colls = !t2->keep_unstated;

	if (cl == NULL)
		return;
	lineage_objects(d, to, t2, &l);
	for (int i = 0; i < cl->foreign_keys.n; i++)
	{
		const FmForeignKey *fk = fm_list_get(&cl->foreign_keys, i, FmForeignKey);

		if (!has_fk(&l.fks, fk))
			drop_clone_constraint(d, t1, phase, obj, fk->name, fk);
	}
	if (cl->primary_key && !has_key(&l.pkeys, cl->primary_key))
		drop_clone_constraint(d, t1, phase, obj, cl->primary_key->name, NULL);
	for (int i = 0; i < cl->uniques.n; i++)
	{
		const FmKey *k = fm_list_get(&cl->uniques, i, FmKey);

		if (!has_key(&l.uniques, k))
			drop_clone_constraint(d, t1, phase, obj, k->name, NULL);
	}
	for (int i = 0; i < cl->indexes.n; i++)
	{
		const FmIndex *ix = fm_list_get(&cl->indexes, i, FmIndex);

		if (!has_index(d, &l.indexes, ix, colls) &&
			!name_taken_elsewhere(to, t2, t1->schema, ix->name))
			fmd_lock(d, fmd_add_step(d, phase, "DropIndex", obj,
									 fmd_drop_ddl(d, "INDEX IF EXISTS", t1->schema, ix->name)),
					 FM_STEP_DROP_INDEX, t1);
	}
}

/* does m give schema's relation name to a table, key, index or clone? */
static bool
name_in_model(const FmModel *m, const char *schema, const char *name)
{
	if (m == NULL)
		return false;
	if (name_taken_elsewhere(m, NULL, schema, name))
		return true;
	for (int i = 0; i < m->tables.n; i++)
	{
		const FmTable *t = fm_list_get(&m->tables, i, FmTable);
		const FmClones *cl = t->clones;

		if (cl != NULL && fm_streq(t->schema, schema) &&
			keys_named(cl->primary_key, &cl->uniques, &cl->indexes, name))
			return true;
	}
	return false;
}

/*
 * The index of t's lineage in m whose copy on t PostgreSQL names name
 * (ChooseIndexName()'s, unnumbered), or NULL.
 */
static const FmIndex *
ancestor_index_named(Diff *d, const FmModel *m, const FmTable *t, const char *name)
{
	const FmTable *p = fmd_lineage_find(d, m, t->part_parent_schema, t->part_parent);

	/* a bounded walk: a valid model has no cycle, nor such a depth */
	for (int depth = 0; p != NULL && depth < 1000; depth++)
	{
		for (int i = 0; i < p->indexes.n; i++)
		{
			const FmIndex *ix = fm_list_get(&p->indexes, i, FmIndex);

			if (fm_streq(fm_make_object_name(d->a, t->name, fm_index_name_columns(d->a, ix), "idx"),
						 name))
				return ix;
		}
		if (p->part_parent == NULL)
			break;
		p = fmd_lineage_find(d, m, p->part_parent_schema, p->part_parent);
	}
	return NULL;
}

/*
 * Does live partition t (of from) have a copy named name, and keep its
 * parent?  (One that moves loses its copies at the DETACH, or has them
 * adopted under the new parent: fmd_drop_clones.)
 */
static bool
live_clone_named(Diff *d, const FmTable *t, const char *name)
{
	const FmTable *t1 = d->from ? fmd_lineage_find(d, d->from, t->schema, t->name) : NULL;

	if (t1 == NULL || t1->clones == NULL ||
		!fm_streq(t1->part_parent, t->part_parent) ||
		!fm_streq(t1->part_parent_schema, t->part_parent_schema))
		return false;
	for (int k = 0; k < t1->clones->indexes.n; k++)
		if (fm_streq(fm_list_get(&t1->clones->indexes, k, FmIndex)->name, name))
			return true;
	return false;
}

/*
 * fmd_free_clone_name
 *		Before CREATE INDEX ix of partition t (of to): when ix's name is the
 *		one PostgreSQL gives t's copy of an index of its lineage (or that
 *		the live copy has), that copy holds it, created with the partition
 *		or with the ancestor's index: a step renames the copy to the name
 *		PostgreSQL would have numbered it (ChooseRelationName(): the label
 *		followed by 1, 2, ...) free in both models, as an ATTACH of a table
 *		that had ix already names it.  IF EXISTS: the name is free when the
 *		ancestor's index comes after ix in the plan (PostgreSQL then
 *		numbers the copy itself).  Nothing else can hold the name when ix
 *		is created: the target gives it to ix alone.  In the phase of the
 *		CREATE, on its object, hence right before it.
 */
void
fmd_free_clone_name(Diff *d, const FmTable *t, const FmIndex *ix)
{
	const FmIndex *anc;
	bool		live;
	char	   *cols;
	char	   *to_name = NULL;
	FmBuf		b;
	FmStep	   *s;

	if (t->part_parent == NULL)
		return;
	anc = ancestor_index_named(d, d->to, t, ix->name);
	live = live_clone_named(d, t, ix->name);
	if (anc == NULL && !live)
		return;
	cols = anc ? fm_index_name_columns(d->a, anc) : NULL;
	for (int n = 1; to_name == NULL && n < 10000; n++)
	{
		char		label[16];
		char	   *cand;

		snprintf(label, sizeof(label), "idx%d", n);
		cand = anc ? fm_make_object_name(d->a, t->name, cols, label) :
			fm_make_object_name(d->a, ix->name, NULL, label + 3);
		if (!name_in_model(d->to, t->schema, cand) &&
			!name_in_model(d->from, t->schema, cand))
			to_name = cand;
	}
	if (to_name == NULL)
		return;
	fm_buf_init(&b, d->a);
	fm_buf_append(&b, "ALTER INDEX IF EXISTS ");
	fm_r_qname(&d->r, &b, t->schema, ix->name);
	fm_buf_append(&b, " RENAME TO ");
	fm_r_ident(&d->r, &b, to_name);
	fm_buf_append_char(&b, ';');
	s = fmd_add_step(d, FM_PHASE_CREATE_INDEX, "RenameIndex",
					 fm_object_name(d->a, t->schema, ix->name), b.data);
	/* the lock is on the index itself (SHARE UPDATE EXCLUSIVE) */
	s->kind = FM_STEP_RENAME_INDEX;
	if (live)
	{
		s->lock_schema = t->schema;
		s->lock_table = ix->name;
	}
}
