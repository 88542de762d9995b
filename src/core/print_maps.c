/*-------------------------------------------------------------------------
 *
 * print_maps.c
 *	  Print (fm_print.h): which constraint and index names need map:.
 *	  Print validates its own text and compares every name the validator
 *	  derived with the database's; an object whose name differs is forced
 *	  to print map: in the next round (print.c's fixpoint).
 *
 * src/core/print_maps.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "print_int.h"

/* ---------- the names the validator gives ---------- */

/* obj (name want) printed as got: force its map when they differ */
static int
compare_name(PState *ps, PForce *f, const FmTable *t, const char *kind,
			 const char *want, const char *got)
{
	const char *name = strcmp(kind, "pk") == 0 ? NULL : want;

	if (fm_streq(want, got) || fm_p_forced(ps, f, t, kind, name))
		return 0;
	fm_p_force(ps, f, t, kind, name);
	return 1;
}

/*
 * Compare the names of the validated text (v) with the model's; force map:
 * on every object whose name differs.  Returns how many were forced.
 */
int
fm_p_compare_names(PState *ps, PForce *f, const FmModel *v)
{
	FmHashMap	tables = {0};
	int			changed = 0;

	for (int i = 0; i < v->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&v->tables, i, FmTable);

		fm_hash_put2(ps->a, &tables, t->schema, t->name, t);
	}
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);
		const FmTable *t = pm->t;
		const FmTable *vt = fm_hash_get2(&tables, t->schema, t->name);
		bool	   *used;
		int			n = 0;

		if (vt == NULL)
			continue;			/* the round-trip tests catch this */
		if (pm->m2m)
		{
			const FmIndex *ix = fm_list_get(&t->indexes, 0, FmIndex);
			bool		same = vt->primary_key && vt->indexes.n == 1 && vt->foreign_keys.n == 2 &&
				fm_streq(vt->primary_key->name, t->primary_key->name) &&
				fm_streq(fm_list_get(&vt->indexes, 0, FmIndex)->name, ix->name);

			for (int k = 0; k < 2 && same; k++)
				same = fm_streq(fm_list_get(&vt->foreign_keys, k, FmForeignKey)->name,
								fm_list_get(&t->foreign_keys, k, FmForeignKey)->name) ||
					fm_streq(fm_list_get(&vt->foreign_keys, 1 - k, FmForeignKey)->name,
							 fm_list_get(&t->foreign_keys, k, FmForeignKey)->name);
			if (!same)
			{
				fm_p_force(ps, f, t, "m2m", NULL);
				changed++;
			}
			continue;
		}
		if (t->primary_key && vt->primary_key)
			changed += compare_name(ps, f, t, "pk", t->primary_key->name, vt->primary_key->name);
		used = fm_alloc(ps->a, sizeof(bool) * (size_t) (vt->uniques.n + vt->foreign_keys.n + 1));
		for (int k = 0; k < pm->keys.n; k++)
		{
			const FmKey *key = fm_list_get(&pm->keys, k, FmKey);
			bool		found = false;

			for (int j = 0; j < vt->uniques.n && !found; j++)
			{
				const FmKey *vk = fm_list_get(&vt->uniques, j, FmKey);

				if (!used[j] && fm_str_list_eq(&key->columns, &vk->columns))
				{
					used[j] = found = true;
					changed += compare_name(ps, f, t, "uq", key->name, vk->name);
				}
			}
			/* a dialect that makes unique indexes of @unique and @@unique */
			for (int j = 0; j < vt->indexes.n && !found; j++)
			{
				const FmIndex *vx = fm_list_get(&vt->indexes, j, FmIndex);
				bool		same = vx->unique && vx->predicate == NULL &&
					vx->elems.n == key->columns.n;

				for (int e = 0; same && e < vx->elems.n; e++)
					same = fm_streq(fm_list_get(&vx->elems, e, FmIndexElem)->column,
									fm_list_get(&key->columns, e, char));
				if (same)
				{
					found = true;
					changed += compare_name(ps, f, t, "uq", key->name, vx->name);
				}
			}
		}
		memset(used, 0, sizeof(bool) * (size_t) (vt->uniques.n + vt->foreign_keys.n + 1));
		for (int k = 0; k < t->foreign_keys.n; k++)
		{
			const FmForeignKey *fk = fm_list_get(&t->foreign_keys, k, FmForeignKey);

			if (!pm->fk_ok[k])
				continue;
			for (int j = 0; j < vt->foreign_keys.n; j++)
			{
				const FmForeignKey *vk = fm_list_get(&vt->foreign_keys, j, FmForeignKey);

				if (!used[j] && fm_str_list_eq(&fk->columns, &vk->columns) &&
					fm_streq(fk->ref_table, vk->ref_table) &&
					fm_str_list_eq(&fk->ref_columns, &vk->ref_columns))
				{
					used[j] = true;
					changed += compare_name(ps, f, t, "fk", fk->name, vk->name);
					break;
				}
			}
		}
		for (int k = 0; k < t->indexes.n; k++)
		{
			const FmIndex *ix = fm_list_get(&t->indexes, k, FmIndex);

			if (!pm->ix_ok[k])
				continue;
			if (n < vt->indexes.n)
				changed += compare_name(ps, f, t, "ix", ix->name,
										fm_list_get(&vt->indexes, n, FmIndex)->name);
			n++;
		}
		/* sorted uniques: unique indexes of the validated table, by columns */
		for (int k = 0; k < t->indexes.n; k++)
		{
			const FmIndex *ix = fm_list_get(&t->indexes, k, FmIndex);

			if (!pm->ix_ukey[k])
				continue;
			for (int j = 0; j < vt->indexes.n; j++)
			{
				const FmIndex *vx = fm_list_get(&vt->indexes, j, FmIndex);
				bool		same = vx->unique && vx->elems.n == ix->elems.n;

				for (int e = 0; same && e < ix->elems.n; e++)
					same = fm_streq(fm_list_get(&vx->elems, e, FmIndexElem)->column,
									fm_list_get(&ix->elems, e, FmIndexElem)->column);
				if (same)
				{
					changed += compare_name(ps, f, t, "uq", ix->name, vx->name);
					break;
				}
			}
		}
		n = 0;
		for (int k = 0; k < t->checks.n; k++)
		{
			const FmCheck *ck = fm_list_get(&t->checks, k, FmCheck);

			if (pm->ck_skip[k])
				continue;
			if (n < vt->checks.n)
				changed += compare_name(ps, f, t, "ck", ck->name,
										fm_list_get(&vt->checks, n, FmCheck)->name);
			n++;
		}
		/* @@exclude: printed in the table's order (print_exclude.c) */
		for (int k = 0; k < t->exclusions.n && k < vt->exclusions.n; k++)
			changed += compare_name(ps, f, t, "ex", fm_list_get(&t->exclusions, k, FmExclusion)->name,
									fm_list_get(&vt->exclusions, k, FmExclusion)->name);
	}
	return changed;
}
