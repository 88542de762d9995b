/*-------------------------------------------------------------------------
 *
 * diff_generated.c
 *	  Which columns a plan re-creates for their generation, and which keys,
 *	  indexes and constraints go down with them.
 *
 * PostgreSQL 15 cannot change or add the expression of an existing column,
 * so a generation changed or added re-creates the column (fmd_generated,
 * diff_tables.c: DROP COLUMN, then ADD COLUMN).  DROP COLUMN also drops
 * every index and constraint that involves the column.  So that the plan
 * converges in one step, the key, index and CHECK phases treat an object
 * that involves a re-created column as changed: it is dropped before the
 * column (the drop phases come first) and created again after it, as the
 * target states it.  Foreign keys at either end of such a column are
 * re-created through Diff.retyped, as for a column whose type changes.
 *
 * PostgreSQL also refuses to change the type of a column that a generated
 * column reads ("cannot alter type of a column used by a generated
 * column"), by ALTER COLUMN ... TYPE as by an enum's conversion.  So a
 * generated column whose expression reads a column whose type changes is
 * re-created too, though its expression stays; and the order holds
 * whatever the names: a re-created column is dropped last in the drop
 * phase (after the indexes and constraints on it, before any enum is
 * converted or column retyped), as is its expression where the target
 * makes it a plain column (DROP EXPRESSION), and every generated column
 * that goes away (before the columns it reads are retyped or dropped); a
 * generated column is added last in the column phase (FMD_RANK_LAST),
 * after the columns it reads are added or retyped.  Which columns an
 * expression reads, fm_expr_names_any (sqlnames.c) says.
 *
 * src/core/diff_generated.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "diff_int.h"

static void ancestors_changed(Diff *d, const FmTable *t2, FmList *out);

/*
 * Does the generation g1 of column c2 read a column of the pair (t1, t2)
 * whose type changes (by its new name, or by the old one of a declared
 * rename, which the live expression still says), or does c2's own type
 * change (an enum's conversion takes a USING, which PostgreSQL refuses on
 * a generated column)?
 */
static bool
reads_retyped(Diff *d, const FmTable *t1, const FmTable *t2,
			  const FmColumn *c2, const char *g1)
{
	const FmList *changed;
	FmList		above = {0};

	if (t1 == NULL)
		return false;
	changed = fmd_type_changed_cols(d, t1, t2);
	if (fmd_has_name(changed, c2->name) || fmd_mentions_any(g1, changed))
		return true;
	/* a column it inherits, retyped on an ancestor (ALTER TYPE reaches it) */
	ancestors_changed(d, t2, &above);
	return fmd_mentions_any(g1, &above);
}

/*
 * Visit the ancestors of t2 in d->to (its partition parent and every table
 * it inherits, up: each once, however many paths lead to it) that are in
 * d->from too, as pairs (a1, a2), calling fn until it returns true (the
 * result).  A work list, not recursion: a long chain does not exhaust the
 * C stack.
 */
static bool
for_ancestors(Diff *d, const FmTable *t2,
			  bool (*fn) (Diff *d, const FmTable *a1, const FmTable *a2, void *arg),
			  void *arg)
{
	FmList		work = {0};
	FmHashMap	seen = {0};

	if (d->to == NULL || d->from == NULL ||
		(t2->part_parent == NULL && t2->inherits.n == 0))
		return false;
	fm_list_append(d->a, &work, (void *) t2);
	for (int w = 0; w < work.n; w++)
	{
		const FmTable *x = fm_list_get(&work, w, FmTable);
		bool		more = true;

		for (int k = 0; more; k++)
		{
			const FmTable *a2 = fmd_lineage_nth_parent(d, d->to, x, k, &more);
			const FmTable *a1;
			char	   *key;

			if (a2 == NULL)
				continue;
			key = fm_psprintf(d->a, "%p", (const void *) a2);
			if (fm_hash_get(&seen, key) != NULL)
				continue;
			fm_hash_put(d->a, &seen, key, (void *) a2);
			fm_list_append(d->a, &work, (void *) a2);
			a1 = fmd_lineage_find(d, d->from, a2->schema, a2->name);
			if (a1 != NULL && fn(d, a1, a2, arg))
				return true;
		}
	}
	return false;
}

/* for_ancestors: the type-changed columns of (a1, a2) into arg (FmList) */
static bool
add_changed(Diff *d, const FmTable *a1, const FmTable *a2, void *arg)
{
	/* fmd_type_changed_cols keeps one pair: the caller's is put back */
	const FmTable *k1 = d->tcols_t1;
	const FmTable *k2 = d->tcols_t2;
	FmList		kept = d->tcols;
	const FmList *changed = fmd_type_changed_cols(d, a1, a2);

	for (int i = 0; i < changed->n; i++)
		fm_list_append(d->a, (FmList *) arg, fm_list_get(changed, i, char));
	d->tcols_t1 = k1;
	d->tcols_t2 = k2;
	d->tcols = kept;
	return false;
}

/*
 * The columns whose type changes on the ancestors of t2 (for_ancestors),
 * into out (of char *).
 */
static void
ancestors_changed(Diff *d, const FmTable *t2, FmList *out)
{
	(void) for_ancestors(d, t2, add_changed, out);
}

/*
 * fmd_regenerates
 *		Does the plan re-create column c1 (in from, of table t1) as c2 (in
 *		to, of table t2) for its generation: t2 can state generations, c2
 *		is generated, and c1 is not, or has another expression (compared
 *		normalized), or has the same one over a column whose type changes
 *		(fmd_type_changed_cols), which PostgreSQL cannot change under it;
 *		or t2 cannot state them (keep_unstated) and c1's live generation
 *		reads such a column.
 */
bool
fmd_regenerates(Diff *d, const FmTable *t1, const FmTable *t2,
				const FmColumn *c1, const FmColumn *c2)
{
	const char *g1 = FM_COL_MORE(c1)->generated;

	/*
	 * A text that cannot state a generation keeps the live one; over a
	 * retyped column it is re-created as it is live (fmd_generated).
	 */
	if (t2->keep_unstated)
		return g1 != NULL && reads_retyped(d, t1, t2, c2, g1);
	if (FM_COL_MORE(c2)->generated == NULL)
		return false;
	if (g1 == NULL || !fmd_expr_eq(d->a, g1, FM_COL_MORE(c2)->generated))
		return true;
	return reads_retyped(d, t1, t2, c2, g1);
}

/*
 * fmd_regenerated_cols
 *		Append to out (of char *) the names of the columns of the pair
 *		(t1, t2) that the plan re-creates for their generation, its own
 *		and those it has from its ancestors.
 */
static bool
add_regenerated(Diff *d, const FmTable *t1, const FmTable *t2, void *arg)
{
	FmList	   *out = arg;

	for (int j = 0; j < t2->columns.n; j++)
	{
		const FmColumn *c2 = fm_list_get(&t2->columns, j, FmColumn);
		const FmColumn *c1;

		/* a text that cannot state it: the live one may be re-created */
		if (FM_COL_MORE(c2)->generated == NULL && !t2->keep_unstated)
			continue;
		c1 = fm_table_find_column(t1, c2->name);
		if (c1 != NULL && fmd_regenerates(d, t1, t2, c1, c2))
			fm_list_append(d->a, out, c2->name);
	}
	return false;
}

void
fmd_regenerated_cols(Diff *d, const FmTable *t1, const FmTable *t2, FmList *out)
{
	(void) add_regenerated(d, t1, t2, out);
	/*
	 * and those of its ancestors, which it has too: their DROP COLUMN takes
	 * its own indexes and CHECKs on them
	 */
	(void) for_ancestors(d, t2, add_regenerated, out);
}

/* is name among cols (of char *)? */
bool
fmd_has_name(const FmList *cols, const char *name)
{
	return fm_str_list_has(cols, name);
}

/*
 * fmd_key_touches
 *		Does key (a primary key or unique constraint) have one of the
 *		columns cols?
 */
bool
fmd_key_touches(const FmKey *key, const FmList *cols)
{
	if (key == NULL || cols->n == 0)
		return false;
	for (int i = 0; i < key->columns.n; i++)
		if (fmd_has_name(cols, fm_list_get(&key->columns, i, char)))
			return true;
	return false;
}

/*
 * fmd_index_touches
 *		Does index ix involve one of the columns cols: as an element, an
 *		INCLUDE column, or in an expression or the predicate (a textual
 *		test, as fmd_mentions_any: a false yes costs a needless re-creation).
 */
bool
fmd_index_touches(const FmIndex *ix, const FmList *cols)
{
	if (ix == NULL || cols->n == 0)
		return false;
	for (int i = 0; i < ix->elems.n; i++)
	{
		const FmIndexElem *e = fm_list_get(&ix->elems, i, FmIndexElem);

		if ((e->column && fmd_has_name(cols, e->column)) || fmd_mentions_any(e->expr, cols))
			return true;
	}
	for (int i = 0; i < ix->include.n; i++)
		if (fmd_has_name(cols, fm_list_get(&ix->include, i, char)))
			return true;
	return fmd_mentions_any(ix->predicate, cols);
}
