/*-------------------------------------------------------------------------
 *
 * diff_constraint.c
 *	  The constraint phases of the diff: CHECK constraints and foreign
 *	  keys of a table present on both sides.
 *
 * Both are matched with one routine (match_constraints): by name first,
 * then an unmatched constraint of the target and one of the source with
 * the same definition, whose names the other side does not use, are a
 * rename.  CHECKs compare by normalized expression (normalize.c), and one
 * that mentions a column converted to a recreated enum is dropped and
 * added again around the conversion.  Foreign keys compare by columns,
 * referenced table and columns, and actions; an unchanged foreign key is
 * still dropped and added again when the key it references is dropped, or
 * when a column at either end changes type.  That is why the driver runs
 * the foreign-key phase after every table pair has been through the
 * column and key phases.
 *
 * Adding a CHECK or a foreign key to an existing table is an ADD_CHECK or
 * ADD_FOREIGN_KEY hazard.
 *
 * src/core/diff_constraint.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

/* ALTER TABLE t DROP CONSTRAINT name; */
char *
fmd_drop_constraint_ddl(Diff *d, const FmTable *t, const char *name)
{
	FmBuf		b;

	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "DROP CONSTRAINT ");
	fm_r_ident(&d->r, &b, name);
	fm_buf_append_char(&b, ';');
	return fm_buf_finish(&b);
}

/*
 * fmd_add_fk_step
 *		Record ALTER TABLE t ADD CONSTRAINT for foreign key fk, in the
 *		foreign-key phase; existing (t is not new) makes it an
 *		ADD_FOREIGN_KEY hazard.
 */
void
fmd_add_fk_step(Diff *d, const FmTable *t, const FmForeignKey *fk, bool existing)
{
	FmBuf		b;
	FmStep	   *s;

	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "ADD CONSTRAINT ");
	fm_r_ident(&d->r, &b, fk->name);
	fm_buf_append_char(&b, ' ');
	fm_r_fk_body(&d->r, &b, t, fk);
	fm_buf_append_char(&b, ';');
	s = fmd_add_step(d, FM_PHASE_ADD_FOREIGN_KEY, "AddForeignKey",
					 fmd_sub_object(d, t->schema, t->name, fk->name), b.data);
	fmd_lock(d, s, FM_STEP_ADD_FOREIGN_KEY, t);
	fmd_lock_ref(d, s, fk->ref_schema, fk->ref_table);
	s->fk = fk;
	if (existing)
		fmd_set_hazard(s, FM_HAZARD_ADD_FOREIGN_KEY, t->schema, t->name,
					   fk->columns.n ? fm_list_get(&fk->columns, 0, char) : NULL,
					   fk->name, false);
}

/* record ALTER TABLE t DROP CONSTRAINT fk, in the foreign-key drop phase */
void
fmd_drop_fk_step(Diff *d, const FmTable *t, const FmForeignKey *fk)
{
	FmStep	   *s = fmd_add_step(d, FM_PHASE_DROP_FOREIGN_KEY, "DropForeignKey",
								 fmd_sub_object(d, t->schema, t->name, fk->name),
								 fmd_drop_constraint_ddl(d, t, fk->name));

	fmd_lock(d, s, FM_STEP_DROP_FOREIGN_KEY, t);
	fmd_lock_ref(d, s, fk->ref_schema, fk->ref_table);
}

static int
check_ptr_cmp(const void *a, const void *b)
{
	return fm_strcmp_null((*(const FmCheck *const *) a)->name,
						  (*(const FmCheck *const *) b)->name);
}

/* record ADD CONSTRAINT ... CHECK on t: an ADD_CHECK hazard */
static void
add_check_step(Diff *d, const FmTable *t, const FmCheck *c)
{
	FmBuf		b;
	FmStep	   *s;

	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "ADD CONSTRAINT ");
	fm_r_ident(&d->r, &b, c->name);
	fm_buf_printf(&b, " CHECK (%s);", c->expr ? c->expr : "true");
	s = fmd_add_step(d, FM_PHASE_CREATE_INDEX, "AlterTable",
					 fmd_sub_object(d, t->schema, t->name, c->name), b.data);
	fmd_lock(d, s, FM_STEP_ADD_CHECK, t);
	s->check = c;
	fmd_set_hazard(s, FM_HAZARD_ADD_CHECK, t->schema, t->name, NULL,
				   c->expr, false);
}

static char *
rename_constraint_ddl(Diff *d, const FmTable *t, const char *from, const char *to)
{
	FmBuf		b;

	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "RENAME CONSTRAINT ");
	fm_r_ident(&d->r, &b, from);
	fm_buf_append(&b, " TO ");
	fm_r_ident(&d->r, &b, to);
	fm_buf_append_char(&b, ';');
	return fm_buf_finish(&b);
}

/*
 * Constraints of one kind on both sides of a table pair, sorted by name.
 * A pair with the same name that same() accepts is kept (keep1/keep2);
 * then an unmatched constraint of the target whose name the source does
 * not have, and an unmatched one of the source whose name the target does
 * not have, that same() accepts are a rename, emitted in phase/action.
 */
typedef struct ConMatch
{
	void	  **a;
	void	  **b;
	int			n1;
	int			n2;
	int			(*cmp) (const void *, const void *);
	const char *(*name) (const void *);
	bool		(*same) (Diff *d, const struct ConMatch *m, int i, int j);
	const void *arg;
	bool	   *keep1;
	bool	   *keep2;
} ConMatch;

/*
 * match_constraints
 *		Match the constraints of m (see ConMatch) and record the renames,
 *		in phase under action, on table t2.  Fills m->keep1 and m->keep2:
 *		true for a constraint kept or renamed; the caller drops and adds the
 *		rest.
 */
static void
match_constraints(Diff *d, ConMatch *m, const FmTable *t2, FmPhase phase,
				  const char *action)
{
	int			i = 0,
				j = 0;

	m->keep1 = fm_alloc(d->a, sizeof(bool) * (size_t) (m->n1 + 1));
	m->keep2 = fm_alloc(d->a, sizeof(bool) * (size_t) (m->n2 + 1));
	while (i < m->n1 && j < m->n2)
	{
		int			c = m->cmp(&m->a[i], &m->b[j]);

		if (c == 0)
		{
			m->keep1[i] = m->keep2[j] = m->same(d, m, i, j);
			i++;
			j++;
		}
		else if (c < 0)
			i++;
		else
			j++;
	}
	for (j = 0; j < m->n2; j++)
	{
		if (m->keep2[j] ||
			bsearch(&m->b[j], m->a, (size_t) m->n1, sizeof(void *), m->cmp))
			continue;
		for (i = 0; i < m->n1; i++)
		{
			const char *from,
					   *to;

			if (m->keep1[i] ||
				bsearch(&m->a[i], m->b, (size_t) m->n2, sizeof(void *), m->cmp) ||
				!m->same(d, m, i, j))
				continue;
			from = m->name(m->a[i]);
			to = m->name(m->b[j]);
			fmd_lock(d, fmd_add_step(d, phase, action,
									 fmd_sub_object(d, t2->schema, t2->name, to),
									 rename_constraint_ddl(d, t2, from, to)),
					 FM_STEP_RENAME_CONSTRAINT, t2);
			m->keep1[i] = m->keep2[j] = true;
			break;
		}
	}
}

/* ConMatch.name of a CHECK */
static const char *
check_name(const void *c)
{
	return ((const FmCheck *) c)->name;
}

/* the same expression, not mentioning a column converted to a new enum */
static bool
check_same(Diff *d, const ConMatch *m, int i, int j)
{
	const FmCheck *x = m->a[i];
	const FmCheck *y = m->b[j];

	return fmd_expr_eq(d->a, x->expr, y->expr) && !fmd_mentions_any(x->expr, m->arg);
}

/*
 * CHECK constraints, matched by name, compared by normalized expression;
 * an unmatched pair with the same expression is a rename.  A CHECK that
 * mentions a column converted to a new enum or re-created is dropped and
 * added again; so is one that the text states on a column whose type
 * changes in any way (fmd_retyped_cols), so that it reads as its text
 * does against the new type.  A live CHECK (fmd_read_live) that is left
 * and whose name t2 does not use is kept when t2 keeps what its text
 * cannot state (keep_unstated: the prisma dialect, whose Prisma Migrate
 * ignores CHECKs), dropped and added again as it is live where it
 * mentions a converted or re-created column, and dropped where it
 * mentions one retyped with a USING cast (fmd_recast_cols) or names a
 * label the recreated enum loses (fmd_names_removed_label): Prisma
 * Migrate's drop and add of the column drops it; the label no longer
 * exists.
 */
void
fmd_checks(Diff *d, const FmTable *t1, const FmTable *t2)
{
	FmList		ecols = {0};
	FmList		rcols = {0};
	ConMatch	m = {0};

	fmd_recreated_enum_cols(d, t1, t2, &ecols);
	if (t2->keep_unstated)
		fmd_recast_cols(d, t1, t2, &rcols);
	else
		fmd_retyped_cols(d, t1, t2, &ecols);	/* stated: added as stated */
	/* a CHECK on a column re-created for its generation goes down with it */
	fmd_regenerated_cols(d, t1, t2, &ecols);
	m.a = fmd_sorted_copy(d->a, &t1->checks, check_ptr_cmp);
	m.b = fmd_sorted_copy(d->a, &t2->checks, check_ptr_cmp);
	m.n1 = t1->checks.n;
	m.n2 = t2->checks.n;
	m.cmp = check_ptr_cmp;
	m.name = check_name;
	m.same = check_same;
	m.arg = &ecols;
	match_constraints(d, &m, t2, FM_PHASE_CREATE_INDEX, "AlterTable");
	for (int i = 0; i < m.n1; i++)
	{
		const FmCheck *c = m.a[i];
		bool		kept = t2->keep_unstated && fmd_read_live(c->pos) &&
			!bsearch(&m.a[i], m.b, (size_t) m.n2, sizeof(void *), m.cmp);
		bool		gone = kept && (fmd_mentions_any(c->expr, &rcols) ||
									(fmd_mentions_any(c->expr, &ecols) &&
									 fmd_names_removed_label(d, c->expr)));

		if (m.keep1[i] || (kept && !gone && !fmd_mentions_any(c->expr, &ecols)))
			continue;
		fmd_lock(d, fmd_add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
								 fmd_sub_object(d, t1->schema, t1->name, c->name),
								 fmd_drop_constraint_ddl(d, t1, c->name)),
				 FM_STEP_DROP_CONSTRAINT, t1);
		if (kept && !gone)
			add_check_step(d, t2, c);
	}
	for (int j = 0; j < m.n2; j++)
		if (!m.keep2[j])
			add_check_step(d, t2, m.b[j]);
}

static int
fk_ptr_cmp(const void *a, const void *b)
{
	return fm_strcmp_null((*(const FmForeignKey *const *) a)->name,
						  (*(const FmForeignKey *const *) b)->name);
}

/* the same definition: columns, referenced table and columns, actions */
static bool
fk_eq(const FmForeignKey *x, const FmForeignKey *y)
{
	return fmd_name_list_eq(&x->columns, &y->columns) &&
		fmd_name_cmp(x->ref_schema, x->ref_table, y->ref_schema, y->ref_table) == 0 &&
		fmd_name_list_eq(&x->ref_columns, &y->ref_columns) &&
		x->on_delete == y->on_delete && x->on_update == y->on_update &&
		x->deferrable == y->deferrable &&
		(!x->deferrable || x->initially_deferred == y->initially_deferred);
}

/* fk_eq for the other files of the diff */
bool
fmd_fk_same(const FmForeignKey *x, const FmForeignKey *y)
{
	return fk_eq(x, y);
}

/* does a column of the FK, or a column it references, change type? */
static bool
fk_retyped(Diff *d, const FmTable *t, const FmForeignKey *fk)
{
	if (d->nretyped == 0)
		return false;
	for (int i = 0; i < fk->columns.n; i++)
		if (fmd_set_has(d->retyped, d->nretyped,
						fm_psprintf(d->a, "%s\x1f%s\x1f%s", t->schema ? t->schema : "",
								t->name, fm_list_get(&fk->columns, i, char))))
			return true;
	for (int i = 0; i < fk->ref_columns.n; i++)
		if (fmd_set_has(d->retyped, d->nretyped,
						fm_psprintf(d->a, "%s\x1f%s\x1f%s",
								fk->ref_schema ? fk->ref_schema : "", fk->ref_table,
								fm_list_get(&fk->ref_columns, i, char))))
			return true;
	return false;
}

/*
 * fmd_fks_unchanged
 *		Do t1 and t2 have the same foreign keys, name by name and definition
 *		by definition (fk_eq)?  Then fmd_fks() records nothing for the pair
 *		unless one of them is stale (a referenced key dropped, a column
 *		retyped): the table phase asks while the pair is at hand, and the
 *		foreign-key phase skips such pairs when nothing is stale.
 */
bool
fmd_fks_unchanged(Diff *d, const FmTable *t1, const FmTable *t2)
{
	void	  **a,
			  **b;

	if (t1->foreign_keys.n != t2->foreign_keys.n)
		return false;
	a = fmd_sorted_copy(d->a, &t1->foreign_keys, fk_ptr_cmp);
	b = fmd_sorted_copy(d->a, &t2->foreign_keys, fk_ptr_cmp);
	for (int i = 0; i < t1->foreign_keys.n; i++)
		if (fk_ptr_cmp(&a[i], &b[i]) != 0 || !fk_eq(a[i], b[i]))
			return false;
	return true;
}

/* ConMatch.name of a foreign key */
static const char *
fk_name(const void *fk)
{
	return ((const FmForeignKey *) fk)->name;
}

/* the same definition, and not to be re-created anyway (arg: stale flags) */
static bool
fk_same(Diff *d, const ConMatch *m, int i, int j)
{
	const bool *stale = m->arg;

	return fk_eq(m->a[i], m->b[j]) && !stale[i];
}

/*
 * fmd_fks
 *		The foreign-key phase for a table on both sides (t1 in from, t2 in
 *		to), run after every pair has been through the column and key phases.
 *
 * Foreign keys are matched by name, and an unmatched pair with the same
 * definition is a rename.  An unchanged foreign key is still dropped and
 * added again when the key it references is dropped (Diff.dropped_keys:
 * the drop would fail), when the table it references is dropped and
 * created again (Diff.recreated_tables: DROP TABLE would fail on it), or
 * when a column at either end changes type (Diff.retyped: the two ends
 * could be incompatible between the two ALTER COLUMN ... TYPE statements).
 */
void
fmd_fks(Diff *d, const FmTable *t1, const FmTable *t2)
{
	ConMatch	m = {0};
	bool	   *stale = fm_alloc(d->a, sizeof(bool) * (size_t) (t1->foreign_keys.n + 1));

	m.a = fmd_sorted_copy(d->a, &t1->foreign_keys, fk_ptr_cmp);
	m.b = fmd_sorted_copy(d->a, &t2->foreign_keys, fk_ptr_cmp);
	m.n1 = t1->foreign_keys.n;
	m.n2 = t2->foreign_keys.n;
	m.cmp = fk_ptr_cmp;
	m.name = fk_name;
	m.same = fk_same;
	m.arg = stale;
	/* FKs that must be re-created even when unchanged */
	for (int i = 0; i < m.n1; i++)
	{
		const FmForeignKey *fk = m.a[i];

		stale[i] = (d->ndropped > 0 &&
					fmd_set_has(d->dropped_keys, d->ndropped,
								fmd_colset_key(d->a, fk->ref_schema, fk->ref_table,
											   &fk->ref_columns))) ||
			(d->nrecreated_tables > 0 &&
			 fmd_set_has(d->recreated_tables, d->nrecreated_tables,
						 fmd_name_key(d->a, fk->ref_schema, fk->ref_table))) ||
			fk_retyped(d, t2, fk);
	}
	/* renames: an unmatched pair with the same definition */
	match_constraints(d, &m, t2, FM_PHASE_ADD_FOREIGN_KEY, "RenameForeignKey");
	for (int i = 0; i < m.n1; i++)
		if (!m.keep1[i])
			fmd_drop_fk_step(d, t1, m.a[i]);
	for (int j = 0; j < m.n2; j++)
		if (!m.keep2[j])
			fmd_add_fk_step(d, t2, m.b[j], true);
}
