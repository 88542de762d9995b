/*-------------------------------------------------------------------------
 *
 * diff_partition.c
 *	  The partitioning and inheritance part of the table phase: which
 *	  tables must be recreated, the order of creations and drops, and the
 *	  partitions that move (DETACH PARTITION, ATTACH PARTITION).
 *
 * PostgreSQL cannot change a table's partition key, turn a partition back
 * into a plain table in place (without keeping the keys and indexes it
 * had cloned from its parent, under their clones' names), nor change an
 * INHERITS list without changing which columns are the table's own.  A
 * plain table with exactly the columns of its new tree is attached instead
 * (ATTACH PARTITION keeps its rows); one without is recreated.  A table whose key, INHERITS list or partition-ness
 * changes is therefore dropped and created again (a DROP_TABLE hazard),
 * and so is every table below it in the target (partitions and children
 * go with their parent).  Such a drop runs early, in the drop phase of
 * indexes and constraints, so that it comes before the creation; so does
 * the drop of any partition (its bound may be a new partition's).  A
 * foreign key of another table that references a recreated table is not
 * re-created: the DROP then fails, and the plan with it (docs/plan.md).
 *
 * A partition whose bound or parent changes is detached from its old
 * parent and attached to its new one, with its bound: two steps in the
 * ALTER TABLE phase, with hazards (its rows leave the parent's view; the
 * attach scans the partition and fails if a row lies outside the bound).
 *
 * Tables are created parents first and dropped children first, by their
 * depth (fm_table_depth): the steps' rank, which orders a phase before the
 * objects' names do.
 *
 * src/core/diff_partition.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

/* does the pair need a drop and a create, by itself? */
static bool
lineage_changes(const FmTable *t1, const FmTable *t2)
{
	if (t1 == t2)
		return false;
	return !fm_part_key_eq(t1->partition_by, t2->partition_by) ||
		!fm_inherits_eq(t1, t2) ||
		(t1->part_parent == NULL) != (t2->part_parent == NULL);
}

/*
 * lineage_ix
 *		The index of m's tables (FmTableIndex), built on first use; the
 *		models of one diff do not change while its lineage phases run.
 */
static FmTableIndex *
lineage_ix(Diff *d, const FmModel *m)
{
	int			k;

	for (k = 0; k < d->nlineage_ix; k++)
		if (d->lineage_ix[k].m == m)
			return &d->lineage_ix[k];
	if (d->nlineage_ix < (int) (sizeof(d->lineage_ix) / sizeof(d->lineage_ix[0])))
		k = d->nlineage_ix++;
	else
		k = (int) (sizeof(d->lineage_ix) / sizeof(d->lineage_ix[0])) - 1;	/* not met: from and to */
	fm_table_index_build(d->a, &d->lineage_ix[k], m);
	return &d->lineage_ix[k];
}

/* the memo key of table t of model m */
static char *
lineage_key(Diff *d, const FmModel *m, const FmTable *t)
{
	return fm_psprintf(d->a, "%p/%p", (const void *) m, (const void *) t);
}

/*
 * The columns a partition t has in m: those of the first ancestor that
 * declares columns (the root of its tree), or NULL.  Each table's answer
 * is kept (root_memo), so a long chain of partitions is walked once.
 */
static const FmList *
partition_columns(Diff *d, const FmModel *m, const FmTable *t)
{
	static const FmList none;
	FmTableIndex *ix = lineage_ix(d, m);
	const FmTable *p = fm_table_index_parent(ix, t);
	const FmList *found = &none;
	FmList		walked = {0};
	int			steps = 0;

	for (; p != NULL && steps <= m->tables.n; p = fm_table_index_parent(ix, p), steps++)
	{
		const FmList *memo = fm_hash_get(&d->root_memo, lineage_key(d, m, p));

		if (memo != NULL)
		{
			found = memo;
			break;
		}
		fm_list_append(d->a, &walked, (void *) p);
		if (p->part_parent == NULL)
		{
			found = &p->columns;
			break;
		}
	}
	/* every table walked below the root has the root's columns */
	for (int i = 0; i < walked.n; i++)
	{
		const FmTable *w = fm_list_get(&walked, i, FmTable);

		if (w->part_parent != NULL)
			fm_hash_put(d->a, &d->root_memo, lineage_key(d, m, w), (void *) found);
	}
	return found == &none ? NULL : found;
}

/* The column of cols named name, or NULL. */
static const FmColumn *
column_in(const FmList *cols, const char *name)
{
	for (int i = 0; i < cols->n; i++)
	{
		const FmColumn *c = fm_list_get(cols, i, FmColumn);

		if (fm_streq(c->name, name))
			return c;
	}
	return NULL;
}

/* the table schema.name of m, or NULL, in constant time */
FmTable *
fmd_lineage_find(Diff *d, const FmModel *m, const char *schema, const char *name)
{
	return fm_table_index_find(lineage_ix(d, m), schema, name);
}

/* the k-th parent of t in m (fm_table_index_nth_parent) */
const FmTable *
fmd_lineage_nth_parent(Diff *d, const FmModel *m, const FmTable *t, int k, bool *more)
{
	return fm_table_index_nth_parent(lineage_ix(d, m), t, k, more);
}

/*
 * Steps recorded since the first-th (d->recs) in phase from go to phase to:
 * a table's drop or creation moved as a whole (fmd_drop_and_create).
 */
static void
move_phase(Diff *d, int first, FmPhase from, FmPhase to)
{
	for (int k = first; k < d->recs.n; k++)
	{
		StepRec    *rec = fm_list_get(&d->recs, k, StepRec);

		if (rec->step.phase == from)
			rec->step.phase = to;
	}
}

/*
 * Would a table with columns cols1 be accepted by ATTACH PARTITION into a
 * tree whose columns are cols2: the same names (in any order), types,
 * collations, nullability and generation (PostgreSQL refuses a missing or
 * extra column, another type or collation, and a generated column that is
 * not generated in the partition; ferriorm also wants the same expression,
 * which the ATTACH would not change)?
 */
static bool
same_tree_columns(Diff *d, const FmList *cols1, const FmList *cols2)
{
	if (cols1 == NULL || cols2 == NULL || cols1->n != cols2->n)
		return false;
	for (int i = 0; i < cols2->n; i++)
	{
		const FmColumn *c2 = fm_list_get(cols2, i, FmColumn);
		const FmColumn *c1 = column_in(cols1, c2->name);
		const char *g1;
		const char *g2 = FM_COL_MORE(c2)->generated;

		if (c1 == NULL || c1->notnull != c2->notnull ||
			!fmd_type_eq(d->a, &c1->type, &c2->type) ||
			!fm_streq(FM_COL_MORE(c1)->collation, FM_COL_MORE(c2)->collation))
			return false;
		g1 = FM_COL_MORE(c1)->generated;
		if ((g1 == NULL) != (g2 == NULL) ||
			(g1 != NULL && !fmd_expr_eq(d->a, g1, g2)))
			return false;
	}
	return true;
}

/*
 * Does the tree of t2 (of to), whose columns in to are cols2, have a
 * column in from that it has not in to: one the plan drops from it (or
 * renames), in the drop phase after the ATTACH, so that at the ATTACH the
 * new parent still has it and the table does not?
 */
static bool
tree_drops_columns(Diff *d, const FmModel *from, const FmList *cols2, const FmTable *t2)
{
	const FmList *cols = partition_columns(d, from, t2);

	if (cols == NULL || cols2 == NULL)
		return false;
	for (int i = 0; i < cols->n; i++)
		if (column_in(cols2, fm_list_get(cols, i, FmColumn)->name) == NULL)
			return true;
	return false;
}

/*
 * Can plain table t1 become partition t2 by ATTACH PARTITION, keeping its
 * rows: neither is partitioned nor inherits, t1 has exactly the columns
 * of t2's tree in to (same_tree_columns), and the plan drops no column
 * of that tree (tree_drops_columns)?
 */
static bool
attachable(Diff *d, const FmModel *from, const FmModel *to,
		   const FmTable *t1, const FmTable *t2)
{
	const FmList *cols;

	if (t1->part_parent != NULL || t2->part_parent == NULL ||
		t1->partition_by != NULL || t2->partition_by != NULL ||
		t1->inherits.n > 0 || t2->inherits.n > 0)
		return false;
	cols = partition_columns(d, to, t2);
	return same_tree_columns(d, &t1->columns, cols) && !tree_drops_columns(d, from, cols, t2);
}

/*
 * leaves_late
 *		Can partition t1 of from, moving to another parent, leave its old
 *		parent late (after the column steps, as a partition whose bound
 *		changes): that parent stays, with its lineage (in to by name, its
 *		partition key and parents alike), so that its column, key, index
 *		and enum steps reach the partition before it leaves?  Else (the old
 *		parent is dropped or recreated, which would take the partition
 *		along) it can only leave first of all (move_kind).
 */
static bool
leaves_late(Diff *d, const FmModel *from, const FmModel *to, const FmTable *t1)
{
	const FmTable *p1 = fm_table_index_find(lineage_ix(d, from), t1->part_parent_schema,
											t1->part_parent);
	const FmTable *p2 = fm_table_index_find(lineage_ix(d, to), t1->part_parent_schema,
											t1->part_parent);

	return p1 != NULL && p2 != NULL && !lineage_changes(p1, p2) &&
		(p2->part_parent == NULL || fm_streq(p1->part_parent, p2->part_parent));
}

/* does a column of cols have an enum type that the plan recreates? */
static bool
has_recreated_enum(Diff *d, const FmList *cols)
{
	for (int i = 0; cols != NULL && i < cols->n; i++)
		if (fmd_enum_recreated(d, &fm_list_get(cols, i, FmColumn)->type))
			return true;
	return false;
}

/* how a partition moves to another parent (move_kind) */
typedef enum MoveKind
{
	MOVE_LATE,					/* DETACH after the old parent's steps */
	MOVE_EARLY,					/* DETACH first of all */
	MOVE_RECREATE				/* dropped and created again */
} MoveKind;

/*
 * move_kind
 *		How partition t1 of from moves to partition t2 of to, of another
 *		parent.  DETACH then ATTACH needs the table to bring the columns of
 *		its new tree ("child table is missing column", "table contains
 *		column not found in parent", "has different type for column");
 *		when it cannot, the partition is dropped and created again, its
 *		rows counted by the drop_table hazard.
 *
 * The new tree's columns are read in to: its column steps run before the
 * ATTACH, but for its drops, which come after it, so the new tree must
 * drop none (tree_drops_columns).  Leaving late (leaves_late) the table
 * brings the columns its old tree has in to, and keeps those the old tree
 * drops (the drops come after); it also gets the old parent's index, key
 * and enum steps, so this is preferred.  Leaving first, it brings the
 * columns of its old tree in from, none of an enum the plan recreates
 * (the conversion would not reach it).
 */
static MoveKind
move_kind(Diff *d, const FmModel *from, const FmModel *to,
		  const FmTable *t1, const FmTable *t2)
{
	const FmList *cols1 = partition_columns(d, from, t1);
	const FmList *cols2 = partition_columns(d, to, t2);

	if (cols1 == NULL)
		return MOVE_EARLY;		/* the old tree is not in from: nothing to compare */
	if (tree_drops_columns(d, from, cols2, t2))
		return MOVE_RECREATE;
	if (leaves_late(d, from, to, t1))
	{
		const FmList *late = partition_columns(d, to, t1);

		if (!tree_drops_columns(d, from, late, t1) && same_tree_columns(d, late, cols2))
			return MOVE_LATE;
	}
	if (!has_recreated_enum(d, cols1) && same_tree_columns(d, cols1, cols2))
		return MOVE_EARLY;
	return MOVE_RECREATE;
}

/* is t1 of from a partition moving to another parent as t2 of to? */
static bool
moves_parent(const FmTable *t1, const FmTable *t2)
{
	return t1->part_parent != NULL && t2->part_parent != NULL &&
		!(fm_streq(t1->part_parent_schema, t2->part_parent_schema) &&
		  fm_streq(t1->part_parent, t2->part_parent));
}

/* must partition t1 of from, moving as t2, be dropped and created again? */
static bool
moves_to_other_columns(Diff *d, const FmModel *from, const FmModel *to,
					   const FmTable *t1, const FmTable *t2)
{
	return moves_parent(t1, t2) && move_kind(d, from, to, t1, t2) == MOVE_RECREATE;
}

/*
 * Is some ancestor of t (in m) in the recreated set?  The answers of the
 * tables walked are kept (anc_memo, emptied whenever the set grows), so a
 * long chain is walked once per state of the set.
 */
static bool
ancestor_recreated(Diff *d, const FmModel *m, const FmTable *t)
{
	static const bool yes = true;
	static const bool no = false;
	FmTableIndex *ix = lineage_ix(d, m);
	const bool *answer = &no;
	FmList		walked = {0};
	int			steps = 0;

	for (const FmTable *p = fm_table_index_parent(ix, t); p != NULL && steps <= m->tables.n;
		 p = fm_table_index_parent(ix, p), steps++)
	{
		const bool *memo = fm_hash_get(&d->anc_memo, lineage_key(d, m, p));

		if (fmd_set_has(d->recreated_tables, d->nrecreated_tables,
						fmd_name_key(d->a, p->schema, p->name)))
		{
			answer = &yes;
			break;
		}
		if (memo != NULL)
		{
			answer = memo;
			break;
		}
		fm_list_append(d->a, &walked, (void *) p);
	}
	/* an ancestor of each table walked is recreated exactly when one of t's is */
	for (int i = 0; i < walked.n; i++)
		fm_hash_put(d->a, &d->anc_memo,
					lineage_key(d, m, fm_list_get(&walked, i, FmTable)), (void *) answer);
	return *answer;
}

/* the recreated set grew: the kept answers of ancestor_recreated are stale */
static void
forget_ancestors(Diff *d)
{
	memset(&d->anc_memo, 0, sizeof(d->anc_memo));
}

/* an expression of t2's key that names one of t2's retyped columns */
static void
expr_key_retyped(Diff *d, const FmModel *from, const FmTable *t2,
				 const char *expr)
{
	const FmTable *t1 = fm_table_index_find(lineage_ix(d, from), t2->schema, t2->name);

	for (int i = 0; t1 != NULL && expr != NULL && i < t2->columns.n; i++)
	{
		const FmColumn *c2 = fm_list_get(&t2->columns, i, FmColumn);
		const FmColumn *c1 = fm_table_find_column(t1, c2->name);
		FmList		one = {0};

		if (c1 == NULL || (fmd_type_eq(d->a, &c1->type, &c2->type) &&
						   fm_streq(FM_COL_MORE(c1)->collation, FM_COL_MORE(c2)->collation)))
			continue;
		fm_list_append(d->a, &one, c2->name);
		if (fmd_mentions_any(expr, &one))
		{
			fmd_set_add(d, &d->recreated_tables, &d->nrecreated_tables,
						&d->caprecreated_tables, fmd_name_key(d->a, t2->schema, t2->name));
			return;
		}
	}
}

/*
 * A column of t2's partition key whose type or collation changes cannot be
 * altered (PostgreSQL refuses), nor converted to an enum the plan
 * recreates (fmd_type_changed_cols): the table that declares the column
 * (t2, or for a partition the ancestor whose column it is) is recreated,
 * and with it the tree below.
 */
static void
retyped_key_columns(Diff *d, const FmModel *from, const FmModel *to,
					const FmTable *t2)
{
	for (int i = 0; i < t2->partition_by->elems.n; i++)
	{
		const FmIndexElem *el = fm_list_get(&t2->partition_by->elems, i, FmIndexElem);
		const FmTable *owner = t2;
		const FmColumn *c2 = NULL;
		const FmTable *o1;
		const FmColumn *c1;
		int			steps = 0;

		if (el->column == NULL)
		{
			expr_key_retyped(d, from, t2, el->expr);
			continue;
		}
		while (owner != NULL && (c2 = fm_table_find_column(owner, el->column)) == NULL &&
			   steps++ <= to->tables.n)
			owner = fm_table_index_parent(lineage_ix(d, to), owner);
		if (owner == NULL || c2 == NULL)
			continue;
		o1 = fm_table_index_find(lineage_ix(d, from), owner->schema, owner->name);
		c1 = o1 ? fm_table_find_column(o1, el->column) : NULL;
		if (c1 != NULL && (!fmd_type_eq(d->a, &c1->type, &c2->type) ||
						   !fm_streq(FM_COL_MORE(c1)->collation, FM_COL_MORE(c2)->collation) ||
						   fmd_has_name(fmd_type_changed_cols(d, o1, owner), c2->name)))
			fmd_set_add(d, &d->recreated_tables, &d->nrecreated_tables,
						&d->caprecreated_tables, fmd_name_key(d->a, owner->schema, owner->name));
	}
}

/*
 * fmd_note_recreated_tables
 *		Fill d->recreated_tables with "schema\x1fname" of the tables on both
 *		sides that are dropped and created again: those whose lineage
 *		changes (but plain tables that can be attached), partitions that
 *		move to a tree of other columns (moves_to_other_columns), those a
 *		column of whose partition key changes type, and every
 *		table below one of them (in either model).
 *		Sorted.  Must run before fmd_tables().
 */
void
fmd_note_recreated_tables(Diff *d, const FmModel *from, const FmModel *to)
{
	bool		changed = true;
	bool		any = false;

	for (int side = 0; side < 2; side++)
	{
		const FmModel *m = side ? to : from;

		for (int i = 0; i < m->tables.n; i++)
		{
			FmTable    *t = fm_list_get(&m->tables, i, FmTable);

			any |= t->partition_by != NULL || t->part_parent != NULL ||
				t->inherits.n > 0;
			for (int k = 0; k < t->inherits.n; k++)
			{
				FmTableRef *ref = fm_list_get(&t->inherits, k, FmTableRef);

				fmd_set_add(d, &d->inh_parents, &d->ninh_parents, &d->capinh_parents,
							fmd_name_key(d->a, ref->schema, ref->name));
			}
		}
	}
	if (d->ninh_parents > 1)
		qsort(d->inh_parents, (size_t) d->ninh_parents, sizeof(char *), fmd_str_ptr_cmp);
	if (!any)
		return;
	for (int i = 0; i < to->tables.n; i++)
	{
		FmTable    *t2 = fm_list_get(&to->tables, i, FmTable);
		FmTable    *t1 = fm_table_index_find(lineage_ix(d, from), t2->schema, t2->name);

		if (t1 != NULL &&
			((lineage_changes(t1, t2) && !attachable(d, from, to, t1, t2)) ||
			 moves_to_other_columns(d, from, to, t1, t2)))
			fmd_set_add(d, &d->recreated_tables, &d->nrecreated_tables,
						&d->caprecreated_tables, fmd_name_key(d->a, t2->schema, t2->name));
		if (t2->partition_by != NULL)
			retyped_key_columns(d, from, to, t2);
	}
	/* and everything below them, until nothing is added */
	while (changed && d->nrecreated_tables > 0)
	{
		FmList		added = {0};

		changed = false;
		if (d->nrecreated_tables > 1)
			qsort(d->recreated_tables, (size_t) d->nrecreated_tables,
				  sizeof(char *), fmd_str_ptr_cmp);
		forget_ancestors(d);
		/* the answers hold for the set as it is: added to it after the pass */
		for (int i = 0; i < to->tables.n; i++)
		{
			FmTable    *t2 = fm_list_get(&to->tables, i, FmTable);
			char	   *key = fmd_name_key(d->a, t2->schema, t2->name);
			FmTable    *t1 = fm_table_index_find(lineage_ix(d, from), t2->schema, t2->name);

			if (fmd_set_has(d->recreated_tables, d->nrecreated_tables, key) ||
				t1 == NULL)
				continue;
			if (ancestor_recreated(d, to, t2) || ancestor_recreated(d, from, t1))
				fm_list_append(d->a, &added, key);
		}
		for (int i = 0; i < added.n; i++)
		{
			fmd_set_add(d, &d->recreated_tables, &d->nrecreated_tables,
						&d->caprecreated_tables, fm_list_get(&added, i, char));
			changed = true;
		}
	}
	forget_ancestors(d);
	if (d->nrecreated_tables > 1)
		qsort(d->recreated_tables, (size_t) d->nrecreated_tables,
			  sizeof(char *), fmd_str_ptr_cmp);
}

bool
fmd_table_recreated(Diff *d, const FmTable *t)
{
	return d->nrecreated_tables > 0 &&
		fmd_set_has(d->recreated_tables, d->nrecreated_tables,
					fmd_name_key(d->a, t->schema, t->name));
}

/*
 * Is t part of a partition tree or an inheritance hierarchy (on either
 * side)?  Only such tables are created and dropped in depth order; the
 * others keep their place among the table phase's steps.
 */
bool
fmd_in_lineage(Diff *d, const FmTable *t)
{
	return t->partition_by != NULL || t->part_parent != NULL ||
		t->inherits.n > 0 ||
		(d->ninh_parents > 0 &&
		 fmd_set_has(d->inh_parents, d->ninh_parents,
					 fmd_name_key(d->a, t->schema, t->name)));
}

/*
 * Is t (of to, created by the plan) below a table the plan keeps: a
 * parent of t (its partition parent or one it inherits) that is in from
 * and not recreated, directly or through tables the plan creates too?
 * *budget bounds the walk over a lattice of multiple inheritance.
 */
static bool
under_kept_table(Diff *d, const FmModel *from, const FmModel *to,
				 const FmTable *t, int *budget)
{
	bool		more = true;

	for (int k = 0; more && --(*budget) > 0; k++)
	{
		const FmTable *p = fmd_lineage_nth_parent(d, to, t, k, &more);

		if (p == NULL)
			continue;
		if (fm_table_index_find(lineage_ix(d, from), p->schema, p->name) != NULL &&
			!fmd_table_recreated(d, p))
			return true;
		if (under_kept_table(d, from, to, p, budget))
			return true;
	}
	return false;
}

/*
 * fmd_drop_and_create
 *		Record the drops (tables of from) and the creations (tables of to)
 *		of tables in a lineage, each ranked by its depth: within a phase,
 *		steps sort by rank before their object's name (diff.c), so parents
 *		are created first and children dropped first.
 *
 * A table created below a table the plan keeps (a new partition of a live
 * parent, a new child of a live table: under_kept_table) is created in the
 * column phase, after every column step (FMD_RANK_LAST) and before the
 * ATTACHes (attach_step): its partition key, CHECKs and indexes may name
 * a column that the plan adds to the live parent, which PostgreSQL
 * requires to be there ("column named in partition key does not exist").
 */
void
fmd_drop_and_create(Diff *d, const FmModel *from, const FmModel *to,
					const FmList *drops, const FmList *creates)
{
	for (int i = 0; i < drops->n; i++)
	{
		const FmTable *t = fm_list_get(drops, i, FmTable);
		int			first = d->recs.n;

		d->rank = -fm_table_index_depth(d->a, lineage_ix(d, from), t) -
			fmd_row_rank(d, false, t);
		/*
		 * A partition goes early too: a new partition of its parent may
		 * take its bound (a partition renamed, or replacing the default
		 * one), and PostgreSQL refuses overlapping bounds.
		 */
		d->early_drop = fmd_table_recreated(d, t) || ancestor_recreated(d, from, t) ||
			t->part_parent != NULL;
		fmd_drop_table(d, t);
		/*
		 * dropped to be created again, or below such a table (which takes
		 * it along): before the creation
		 */
		if (d->early_drop)
			move_phase(d, first, FM_PHASE_DROP_TABLE, FM_PHASE_DROP_INDEX);
		d->early_drop = false;
	}
	for (int i = 0; i < creates->n; i++)
	{
		const FmTable *t = fm_list_get(creates, i, FmTable);
		int			first = d->recs.n;
		int			budget = 1000;
		bool		late = under_kept_table(d, from, to, t, &budget);

		d->rank = fm_table_index_depth(d->a, lineage_ix(d, to), t) +
			fmd_row_rank(d, true, t);
		if (late)
			d->rank += FMD_RANK_LAST + 1;
		fmd_create_table(d, t);
		if (late)
			move_phase(d, first, FM_PHASE_CREATE_TABLE, FM_PHASE_ALTER_TABLE);
	}
	d->rank = 0;
}

/* ALTER TABLE parent ATTACH PARTITION t2 <bound>, with its hazard and locks */
static void
attach_step(Diff *d, const FmTable *t2)
{
	int			rank = d->rank;
	FmStep	   *s;

	/*
	 * after every column step, generated columns added last included
	 * (FMD_RANK_LAST): the parent and the table must have the same columns;
	 * and after the tables created late (fmd_drop_and_create), which may be
	 * the parent
	 */
	d->rank = 2 * FMD_RANK_LAST;
	s = fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AttachPartition",
					 fm_object_name(d->a, t2->schema, t2->name),
					 fm_r_attach_partition(&d->r, t2));
	d->rank = rank;

	fmd_lock(d, s, FM_STEP_ATTACH_PARTITION, t2);
	fmd_lock_ref(d, s, t2->part_parent_schema, t2->part_parent);
	fmd_set_hazard(s, FM_HAZARD_ATTACH_PARTITION, t2->schema, t2->name, NULL,
				   fm_object_name(d->a, t2->part_parent_schema, t2->part_parent),
				   false);
}

/*
 * the CHECKs that the partitions of the table schema.name of m have: its
 * own and its ancestors', as PostgreSQL passes them down, into out (of
 * FmCheck *)
 */
static void
lineage_checks(Diff *d, const FmModel *m, const char *schema, const char *name,
			   FmList *out)
{
	const FmTable *p = fm_model_find_table(m, schema, name);

	/* a bounded walk: a valid model has no cycle, nor such a depth */
	for (int depth = 0; p != NULL && depth < 1000; depth++)
	{
		for (int i = 0; i < p->checks.n; i++)
			fm_list_append(d->a, out, fm_list_get(&p->checks, i, FmCheck));
		if (p->part_parent == NULL)
			break;
		p = fm_model_find_table(m, p->part_parent_schema, p->part_parent);
	}
}

/* the CHECK of list (of FmCheck *) named name, or NULL */
static const FmCheck *
check_named(const FmList *list, const char *name)
{
	for (int i = 0; i < list->n; i++)
	{
		const FmCheck *c = fm_list_get(list, i, FmCheck);

		if (fm_streq(c->name, name))
			return c;
	}
	return NULL;
}

/*
 * Does CHECK c of table p (of from, in a moved partition's old lineage)
 * stay on p through the plan: p is in to with a CHECK of that name and
 * definition, on no column whose type changes (the CHECK phase drops and
 * adds such a CHECK, diff_constraint.c)?  One the plan drops from p is
 * dropped from its partitions too, before they are detached.
 */
static bool
check_stays(Diff *d, const FmModel *to, const FmTable *p, const FmCheck *c)
{
	const FmTable *p2 = fm_model_find_table(to, p->schema, p->name);
	const FmCheck *c2 = p2 ? check_named(&p2->checks, c->name) : NULL;

	return c2 != NULL && fmd_expr_eq(d->a, c->expr, c2->expr) &&
		!fmd_mentions_any(c->expr, fmd_type_changed_cols(d, p, p2));
}

/* is there a CHECK in list named like c, of the same definition? */
static bool
has_same_check(Diff *d, const FmList *list, const FmCheck *c)
{
	const FmCheck *o = check_named(list, c->name);

	return o != NULL && fmd_expr_eq(d->a, o->expr, c->expr);
}

/*
 * The CHECKs of the old lineage of partition t1 (of from), which DETACH
 * leaves it as its own, into kept (check_stays) or gone (of FmCheck *).
 */
static void
old_checks(Diff *d, const FmModel *from, const FmModel *to, const FmTable *t1,
		   FmList *kept, FmList *gone)
{
	const FmTable *p = fm_model_find_table(from, t1->part_parent_schema, t1->part_parent);

	for (int depth = 0; p != NULL && depth < 1000; depth++)
	{
		for (int i = 0; i < p->checks.n; i++)
		{
			FmCheck    *c = fm_list_get(&p->checks, i, FmCheck);

			fm_list_append(d->a, check_stays(d, to, p, c) ? kept : gone, c);
		}
		if (p->part_parent == NULL)
			break;
		p = fm_model_find_table(from, p->part_parent_schema, p->part_parent);
	}
}

/*
 * Does t1 hold CHECK c as its own when it is attached: it has one alike
 * and keeps it (t2 states it too; the CHECK phase drops one it does not)?
 */
static bool
held_own(Diff *d, const FmTable *t1, const FmTable *t2, const FmCheck *c)
{
	return has_same_check(d, &t1->checks, c) && has_same_check(d, &t2->checks, c);
}

/*
 * attach_checks
 *		Before t2 is attached to its parent in to: ATTACH PARTITION requires
 *		the table to have every CHECK of the parent (its own and those it
 *		has from above), by name and definition ("child table is missing
 *		constraint"); it does not add them, as it clones indexes and keys.
 *		kept (of FmCheck *) are the CHECKs of its old lineage that DETACH
 *		leaves it and the plan keeps (check_stays), gone those it drops or
 *		changes, which took them from the table too; t1 is the table as it
 *		is live, with its own.  A CHECK of the new lineage that the table
 *		holds alike (kept, or its own) is merged by the ATTACH; any other is
 *		added, after dropping an own namesake.  A kept CHECK the new lineage
 *		does not have alike is dropped, which the next plan would do
 *		otherwise, and so is each of gone, IF EXISTS (the plan has dropped
 *		it, unless check_stays was too careful).
 *		After the ATTACH the added ones are inherited, as PostgreSQL makes a
 *		partition's.  Recorded in the column phase on the table's name, so
 *		that they run between its DETACH and its ATTACH.
 */
static void
attach_checks(Diff *d, const FmModel *to, const FmTable *t1,
			  const FmTable *t2, const FmList *kept, const FmList *gone)
{
	FmList		want = {0};
	FmList		drop = {0};
	char	   *obj = fm_object_name(d->a, t2->schema, t2->name);
	FmStep	   *s;
	int			rank = d->rank;

	/* after the DETACH of a partition that keeps its parent (fmd_partition_moves) */
	d->rank = FMD_RANK_LAST + 1;

	lineage_checks(d, to, t2->part_parent_schema, t2->part_parent, &want);
	for (int i = 0; i < kept->n; i++)
	{
		const FmCheck *c = fm_list_get(kept, i, FmCheck);

		if (!has_same_check(d, &want, c))
			fm_list_append(d->a, &drop, (void *) c);
	}
	for (int i = 0; i < gone->n; i++)
		fm_list_append(d->a, &drop, fm_list_get(gone, i, FmCheck));
	for (int i = 0; i < want.n; i++)
	{
		const FmCheck *w = fm_list_get(&want, i, FmCheck);

		if (has_same_check(d, kept, w) || held_own(d, t1, t2, w))
			continue;
		/* an own namesake t2 does not state is dropped by the CHECK phase */
		if (check_named(&t1->checks, w->name) && check_named(&t2->checks, w->name))
			fm_list_append(d->a, &drop, (void *) w);
	}
	for (int i = 0; i < drop.n; i++)
	{
		const FmCheck *c = fm_list_get(&drop, i, FmCheck);
		FmBuf		b;

		if (check_named(&drop, c->name) != c)
			continue;			/* a name twice: dropped once */
		fmd_begin_alter(d, &b, t2);
		fm_buf_append(&b, "DROP CONSTRAINT IF EXISTS ");
		fm_r_ident(&d->r, &b, c->name);
		fm_buf_append_char(&b, ';');
		fmd_lock(d, fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data),
				 FM_STEP_DROP_CONSTRAINT, t2);
	}
	for (int i = 0; i < want.n; i++)
	{
		const FmCheck *w = fm_list_get(&want, i, FmCheck);
		FmBuf		b;

		if (check_named(&want, w->name) != w ||
			has_same_check(d, kept, w) || held_own(d, t1, t2, w))
			continue;			/* a name twice, or held alike */
		fmd_begin_alter(d, &b, t2);
		fm_buf_append(&b, "ADD CONSTRAINT ");
		fm_r_ident(&d->r, &b, w->name);
		fm_buf_printf(&b, " CHECK (%s);", w->expr ? w->expr : "true");
		s = fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);
		fmd_lock(d, s, FM_STEP_ADD_CHECK, t2);
		fmd_set_hazard(s, FM_HAZARD_ADD_CHECK, t2->schema, t2->name, NULL,
					   w->expr, false);
	}
	d->rank = rank;
}

/*
 * fmd_partition_moves
 *		A partition on both sides whose parent or bound changes: DETACH
 *		from the old parent, ATTACH to the new one with the new bound.  A
 *		plain table that becomes a partition (attachable: it has the
 *		columns of its tree) is attached, keeping its rows; what it has
 *		that the partition does not state (keys, indexes, CHECKs, foreign
 *		keys) is dropped before, by the key and constraint phases, and the
 *		parent's keys and indexes are cloned onto it by the ATTACH.  Both
 *		get the CHECKs of their new lineage before the ATTACH
 *		(attach_checks).
 */
void
fmd_partition_moves(Diff *d, const FmModel *from, const FmModel *to,
					const FmTable *t1, const FmTable *t2)
{
	FmStep	   *s;
	FmList		kept = {0};
	FmList		gone = {0};
	int			rank = d->rank;
	bool		same_parent;
	bool		late;
	FmPhase		phase;
	char	   *obj;

	if (t1 == t2 || t2->part_parent == NULL)
		return;
	if (t1->part_parent == NULL)
	{
		/* a plain table attached (attachable): its rows stay */
		attach_checks(d, to, t1, t2, &kept, &gone);
		attach_step(d, t2);
		return;
	}
	same_parent = fm_streq(t1->part_parent_schema, t2->part_parent_schema) &&
		fm_streq(t1->part_parent, t2->part_parent);
	if (same_parent && fm_streq(t1->part_bound, t2->part_bound))
		return;
	/*
	 * Under the same parent, or leaving one that stays (MOVE_LATE), after
	 * that parent's column, key, index and enum steps, which reach the
	 * partition while it is attached (its DROP COLUMNs come after the
	 * ATTACH and reach it too under the same parent); and before the
	 * partitions created late, one of which may take its old bound.  Else
	 * (MOVE_EARLY) first of all, before a drop of the old parent takes it
	 * along: it leaves with the columns of its old tree in from.
	 */
	late = same_parent || move_kind(d, from, to, t1, t2) == MOVE_LATE;
	d->rank = late ? FMD_RANK_LAST + 1 : -2 * FMD_RANK_LAST;
	phase = late ? FM_PHASE_ALTER_TABLE : FM_PHASE_DROP_INDEX;
	obj = fm_object_name(d->a, t1->schema, t1->name);
	s = fmd_add_step(d, phase, "DetachPartition", obj,
					 fm_r_detach_partition(&d->r, t1));
	fmd_lock(d, s, FM_STEP_DETACH_PARTITION, t1);
	fmd_lock_ref(d, s, t1->part_parent_schema, t1->part_parent);
	fmd_set_hazard(s, FM_HAZARD_DETACH_PARTITION, t1->schema, t1->name, NULL,
				   fm_object_name(d->a, t1->part_parent_schema, t1->part_parent),
				   false);
	/* under the same parent, the ATTACH takes the clones back */
	if (!same_parent)
		fmd_drop_clones(d, from, to, t1, t2, phase, obj);
	d->rank = rank;
	old_checks(d, from, to, t1, &kept, &gone);
	attach_checks(d, to, t1, t2, &kept, &gone);
	attach_step(d, t2);
}

/*
 * add the column names of t's INHERITS ancestors in m to *names: each
 * ancestor once, however many paths lead to it, so a lattice of multiple
 * inheritance costs its tables, not its paths (before 0.2.0's third
 * security review a few kilobytes of schema text kept a backend busy for
 * ever), with a work list instead of recursion (a long chain of tables
 * does not exhaust the C stack)
 */
static void
ancestor_columns(Diff *d, const FmModel *m, const FmTable *t, FmHashMap *names)
{
	FmTableIndex *ix;
	FmHashMap	seen = {0};
	FmList		work = {0};

	if (m == NULL)
		return;
	ix = lineage_ix(d, m);
	fm_list_append(d->a, &work, (void *) t);
	for (int w = 0; w < work.n; w++)
	{
		const FmTable *x = fm_list_get(&work, w, FmTable);

		for (int i = 0; i < x->inherits.n; i++)
		{
			const FmTableRef *ref = fm_list_get(&x->inherits, i, FmTableRef);
			const FmTable *p = fm_table_index_find(ix, ref->schema, ref->name);
			char	   *key;

			if (p == NULL)
				continue;
			key = fm_psprintf(d->a, "%p", (const void *) p);
			if (fm_hash_get(&seen, key) != NULL)
				continue;
			fm_hash_put(d->a, &seen, key, (void *) p);
			for (int k = 0; k < p->columns.n; k++)
				fm_hash_put(d->a, names, fm_list_get(&p->columns, k, FmColumn)->name,
							(void *) p);
			fm_list_append(d->a, &work, (void *) p);
		}
	}
}

/*
 * fmd_inherited_views
 *		For an inheriting table on both sides: the views of t1 and t2 the
 *		column phase compares.  A column that one side declares and the
 *		other has only by inheritance (a parent's column restated in the
 *		child, which CREATE TABLE merges) is left out of the side that
 *		declares it: PostgreSQL can neither add a column the table already
 *		inherits nor drop an inherited one.  A plain table attached as a
 *		partition is compared with its own columns on both sides.  Other
 *		tables are returned as they are.
 */
void
fmd_inherited_views(Diff *d, const FmModel *from, const FmModel *to,
					const FmTable **t1, const FmTable **t2)
{
	FmHashMap	inh = {0};
	FmTable    *v1,
			   *v2;

	if ((*t1)->part_parent == NULL && (*t2)->part_parent != NULL)
	{
		/* attached (fmd_partition_moves): its columns are its tree's */
		v2 = fm_alloc(d->a, sizeof(FmTable));
		*v2 = **t2;
		v2->columns = (*t1)->columns;
		*t2 = v2;
		return;
	}
	if ((*t1)->inherits.n == 0 && (*t2)->inherits.n == 0)
		return;
	ancestor_columns(d, from, *t1, &inh);
	ancestor_columns(d, to, *t2, &inh);
	v1 = fm_alloc(d->a, sizeof(FmTable));
	v2 = fm_alloc(d->a, sizeof(FmTable));
	*v1 = **t1;
	*v2 = **t2;
	memset(&v1->columns, 0, sizeof(FmList));
	memset(&v2->columns, 0, sizeof(FmList));
	for (int side = 0; side < 2; side++)
	{
		const FmTable *self = side ? *t2 : *t1;
		const FmTable *other = side ? *t1 : *t2;
		FmTable    *v = side ? v2 : v1;

		for (int i = 0; i < self->columns.n; i++)
		{
			FmColumn   *c = fm_list_get(&self->columns, i, FmColumn);

			if (fm_table_find_column(other, c->name) == NULL &&
				fm_hash_get(&inh, c->name) != NULL)
				continue;
			fm_list_append(d->a, &v->columns, c);
		}
	}
	*t1 = v1;
	*t2 = v2;
}

/*
 * fmd_note_spared_rows
 *		For each partition the plan detaches first to move it to another
 *		parent (fmd_partition_moves), add it to hazard_spared of the
 *		DROP TABLE of each of its old ancestors that the plan drops: its
 *		rows are not lost with them, and the backend leaves them out of
 *		that hazard's count.  Run after every step is recorded.
 */
void
fmd_note_spared_rows(Diff *d, const FmModel *from)
{
	for (int i = 0; i < d->recs.n; i++)
	{
		StepRec    *rec = fm_list_get(&d->recs, i, StepRec);
		const FmTable *t1;
		FmTableRef *ref;
		int			steps = 0;

		if (rec->step.hazard != FM_HAZARD_DETACH_PARTITION ||
			rec->step.phase != FM_PHASE_DROP_INDEX)
			continue;
		t1 = fm_table_index_find(lineage_ix(d, from), rec->step.hazard_schema,
								 rec->step.hazard_table);
		if (t1 == NULL)
			continue;
		ref = fm_alloc(d->a, sizeof(FmTableRef));
		ref->schema = t1->schema;
		/* as the catalog names it when the figures are read: before renames */
		ref->name = fm_hash_get(&d->live_table_names, fmd_name_key(d->a, t1->schema, t1->name));
		if (ref->name == NULL)
			ref->name = t1->name;
		for (const FmTable *p = fm_table_index_parent(lineage_ix(d, from), t1);
			 p != NULL && steps <= from->tables.n;
			 p = fm_table_index_parent(lineage_ix(d, from), p), steps++)
			for (int k = 0; k < d->recs.n; k++)
			{
				FmStep	   *s = &fm_list_get(&d->recs, k, StepRec)->step;

				if (s->hazard == FM_HAZARD_DROP_TABLE &&
					fm_streq(s->hazard_schema, p->schema) &&
					fm_streq(s->hazard_table, p->name))
					fm_list_append(d->a, &s->hazard_spared, ref);
			}
	}
}
