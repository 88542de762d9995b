/*-------------------------------------------------------------------------
 *
 * diff_exclude.c
 *	  The exclusion-constraint phase of the diff (@@exclude): created with
 *	  their table, added, dropped, and re-created when they change.
 *
 * Exclusion constraints are matched by name within their table.  Two are
 * the same when their method, their elements (column and operator, an
 * unqualified operator being pg_catalog's) and their predicates (compared
 * normalized, like CHECKs) are.  A changed one is dropped and added again:
 * PostgreSQL cannot alter an exclusion constraint.  One that involves a
 * column re-created for its generation is re-created with it
 * (diff_generated.c).  An add builds the constraint's index under ACCESS
 * EXCLUSIVE (step kind add_exclusion, which scans the table) and fails if
 * rows conflict (hazard ADD_EXCLUSION, counted by hazards_exclude.c).  A table the
 * text cannot state them for (keep_unstated: the prisma dialect) keeps its
 * live ones: nothing is compared.
 *
 * src/core/diff_exclude.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "diff_int.h"

/*
 * render_exclusion
 *		Append "EXCLUDE USING method (col WITH op, ...) WHERE (pred)" for x:
 *		names quoted, an unqualified operator as written (validated to be
 *		operator characters only), a qualified one as OPERATOR(schema.op).
 */
static void
render_exclusion(Diff *d, FmBuf *b, const FmExclusion *x)
{
	fm_buf_append(b, "EXCLUDE USING ");
	fm_buf_append(b, x->method);
	fm_buf_append(b, " (");
	for (int i = 0; i < x->elems.n; i++)
	{
		const FmExclElem *e = fm_list_get(&x->elems, i, FmExclElem);

		if (i > 0)
			fm_buf_append(b, ", ");
		fm_r_ident(&d->r, b, e->column);
		fm_buf_append(b, " WITH ");
		if (e->op_schema != NULL)
		{
			fm_buf_append(b, "OPERATOR(");
			fm_r_ident(&d->r, b, e->op_schema);
			fm_buf_printf(b, ".%s)", e->op);
		}
		else
			fm_buf_append(b, e->op);
	}
	fm_buf_append_char(b, ')');
	if (x->predicate != NULL)
		fm_buf_printf(b, " WHERE (%s)", x->predicate);
}

/*
 * fmd_add_exclusion_step
 *		ALTER TABLE t ADD CONSTRAINT x; existing says whether t exists
 *		before the plan (then the step locks and scans it).
 */
void
fmd_add_exclusion_step(Diff *d, const FmTable *t, const FmExclusion *x, bool existing)
{
	FmBuf		b;
	FmStep	   *s;

	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "ADD CONSTRAINT ");
	fm_r_ident(&d->r, &b, x->name);
	fm_buf_append_char(&b, ' ');
	render_exclusion(d, &b, x);
	fm_buf_append_char(&b, ';');
	s = fmd_add_step(d, FM_PHASE_CREATE_INDEX, "AlterTable",
					 fmd_sub_object(d, t->schema, t->name, x->name), b.data);
	if (existing)
	{
		fmd_lock(d, s, FM_STEP_ADD_EXCLUSION, t);
		fmd_set_hazard(s, FM_HAZARD_ADD_EXCLUSION, t->schema, t->name, NULL,
					   x->name, false);
	}
}

/* the same operator: an unqualified one is pg_catalog's */
static bool
same_op(const FmExclElem *a, const FmExclElem *b)
{
	const char *sa = a->op_schema ? a->op_schema : "pg_catalog";
	const char *sb = b->op_schema ? b->op_schema : "pg_catalog";

	return fm_streq(a->op, b->op) && fm_streq(sa, sb);
}

static bool
same_exclusion(Diff *d, const FmExclusion *a, const FmExclusion *b)
{
	if (!fm_streq(a->method, b->method) || a->elems.n != b->elems.n)
		return false;
	for (int i = 0; i < a->elems.n; i++)
	{
		const FmExclElem *x = fm_list_get(&a->elems, i, FmExclElem);
		const FmExclElem *y = fm_list_get(&b->elems, i, FmExclElem);

		if (!fm_streq(x->column, y->column) || !same_op(x, y))
			return false;
	}
	if ((a->predicate == NULL) != (b->predicate == NULL))
		return false;
	return a->predicate == NULL || fmd_expr_eq(d->a, a->predicate, b->predicate);
}

/* does x involve one of cols (columns re-created for their generation)? */
static bool
touches(const FmExclusion *x, const FmList *cols)
{
	for (int i = 0; i < x->elems.n; i++)
		for (int j = 0; j < cols->n; j++)
			if (fm_streq(fm_list_get(&x->elems, i, FmExclElem)->column,
						 fm_list_get(cols, j, char)))
				return true;
	return fmd_mentions_any(x->predicate, cols);
}

static const FmExclusion *
find_exclusion(const FmTable *t, const char *name)
{
	for (int i = 0; i < t->exclusions.n; i++)
		if (fm_streq(fm_list_get(&t->exclusions, i, FmExclusion)->name, name))
			return fm_list_get(&t->exclusions, i, FmExclusion);
	return NULL;
}

/*
 * fmd_exclusions
 *		The exclusion-constraint phase for a table on both sides (t1 in
 *		from, t2 in to): see the header comment.  Tables have few exclusion
 *		constraints: they are matched by a linear search.
 */
void
fmd_exclusions(Diff *d, const FmTable *t1, const FmTable *t2)
{
	FmList		gcols = {0};

	if (t2->keep_unstated || (t1->exclusions.n == 0 && t2->exclusions.n == 0))
		return;
	fmd_regenerated_cols(d, t1, t2, &gcols);
	for (int i = 0; i < t1->exclusions.n; i++)
	{
		const FmExclusion *x1 = fm_list_get(&t1->exclusions, i, FmExclusion);
		const FmExclusion *x2 = find_exclusion(t2, x1->name);

		if (x2 != NULL && same_exclusion(d, x1, x2) && !touches(x1, &gcols))
			continue;
		fmd_lock(d, fmd_add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
								 fmd_sub_object(d, t1->schema, t1->name, x1->name),
								 fmd_drop_constraint_ddl(d, t1, x1->name)),
				 FM_STEP_DROP_CONSTRAINT, t1);
	}
	for (int j = 0; j < t2->exclusions.n; j++)
	{
		const FmExclusion *x2 = fm_list_get(&t2->exclusions, j, FmExclusion);
		const FmExclusion *x1 = find_exclusion(t1, x2->name);

		if (x1 != NULL && same_exclusion(d, x1, x2) && !touches(x1, &gcols))
			continue;
		fmd_add_exclusion_step(d, t2, x2, true);
	}
}

/*
 * fmd_exclusion_relnames
 *		Add the names of t's exclusion constraints (the names of their
 *		indexes) to d->relnames (fmd_note_relnames).
 */
void
fmd_exclusion_relnames(Diff *d, const FmTable *t)
{
	for (int i = 0; i < t->exclusions.n; i++)
		fmd_set_add(d, &d->relnames, &d->nrelnames, &d->caprelnames,
					fmd_name_key(d->a, t->schema, fm_list_get(&t->exclusions, i, FmExclusion)->name));
}

/*
 * fmd_drop_reused_exclusions
 *		Of a table that is dropped, drop early the exclusion constraints
 *		whose names the target gives to another relation (as
 *		drop_reused_names does for keys and indexes, diff_table.c).
 */
void
fmd_drop_reused_exclusions(Diff *d, const FmTable *t)
{
	for (int i = 0; i < t->exclusions.n; i++)
	{
		const FmExclusion *x = fm_list_get(&t->exclusions, i, FmExclusion);

		if (fmd_relname_used(d, t->schema, x->name))
			fmd_lock(d, fmd_add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
									 fmd_sub_object(d, t->schema, t->name, x->name),
									 fmd_drop_constraint_ddl(d, t, x->name)),
					 FM_STEP_DROP_CONSTRAINT, t);
	}
}
