/*-------------------------------------------------------------------------
 *
 * hazards_exclude.c
 *	  Hazard figures for ADD_EXCLUSION: the rows that already conflict
 *	  under an exclusion constraint a plan adds to an existing table.
 *
 * The constraint (found by name, hazard_extra, in the desired table) is
 * checked the way PostgreSQL checks it when the constraint is added: rows
 * that satisfy the predicate are compared pairwise, and two rows conflict
 * when every element's operator returns true for their values (a NULL
 * never conflicts).  The query is built from structures, never from the
 * step's DDL: names through quote_identifier, each operator as
 * OPERATOR(schema.op) with the schema quoted (pg_catalog when the text
 * leaves it out) and the operator text validated by the core to be
 * operator characters only; the predicate is evaluated once, in a CTE, on
 * the table's own columns.  It runs as the table's owner, in a
 * security-restricted operation (hazards_query.c), since operators and
 * the predicate may call the owner's functions.  The pairwise comparison
 * may take time quadratic in the rows: past the hazard budget nothing is
 * counted (fm_haz_est_add_exclusion).
 *
 * src/backend/hazards_exclude.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "hazards_int.h"

/* the constraint the step adds, from the desired table; NULL if none */
static const FmExclusion *
step_exclusion(HazCtx *cx)
{
	const FmTable *dt = fm_haz_find_table(cx->desired, cx->step->hazard_schema,
										  cx->step->hazard_table);

	for (int i = 0; dt != NULL && i < dt->exclusions.n; i++)
	{
		const FmExclusion *x = fm_list_get(&dt->exclusions, i, FmExclusion);

		if (fm_streq(x->name, cx->step->hazard_extra))
			return x;
	}
	return NULL;
}

/*
 * fm_haz_add_exclusion
 *		ADD_EXCLUSION: count the rows that conflict with another row.  A
 *		column the table does not have yet has no values: nothing is
 *		counted.
 */
void
fm_haz_add_exclusion(HazCtx *cx)
{
	const FmExclusion *x = step_exclusion(cx);
	StringInfoData sql;
	StringInfoData cond;
	int64		n;

	if (x == NULL || cx->ltable == NULL || x->elems.n == 0)
		return;
	initStringInfo(&sql);
	initStringInfo(&cond);
	appendStringInfoString(&sql, "WITH s AS MATERIALIZED (SELECT ctid AS \"ferriorm tid\"");
	for (int i = 0; i < x->elems.n; i++)
	{
		const FmExclElem *e = fm_list_get(&x->elems, i, FmExclElem);
		const char *col = quote_identifier(e->column);

		if (!fm_haz_live_has_column(cx->ltable, e->column))
			return;
		appendStringInfo(&sql, ", %s", col);
		appendStringInfo(&cond, " AND a.%s OPERATOR(%s.%s) b.%s", col,
						 quote_identifier(e->op_schema ? e->op_schema : "pg_catalog"),
						 e->op, col);
	}
	appendStringInfo(&sql, " FROM %s", cx->qtable);
	if (x->predicate != NULL)
		appendStringInfo(&sql, " WHERE (%s)", x->predicate);
	appendStringInfo(&sql, ") SELECT pg_catalog.count(*) FROM s a WHERE EXISTS (SELECT 1 FROM s b"
					 " WHERE b.\"ferriorm tid\" OPERATOR(pg_catalog.<>) a.\"ferriorm tid\"%s)",
					 cond.data);
	n = fm_haz_count_query(cx, sql.data, 0, NULL, NULL);
	cx->detail = psprintf("table %s has " INT64_FORMAT " %s that conflict under the exclusion constraint %s; %s.",
						  cx->qtable, n, fm_haz_plural(n, "row", "rows"),
						  quote_identifier(x->name),
						  n == 0 ? "the constraint can be added" : "adding it will fail");
	cx->fails = (n > 0);
	pfree(sql.data);
	pfree(cond.data);
}

/*
 * fm_haz_est_add_exclusion
 *		Past the hazard budget: the pairwise comparison is not run.
 */
void
fm_haz_est_add_exclusion(HazCtx *cx)
{
	const FmExclusion *x = step_exclusion(cx);

	if (x == NULL)
		return;
	cx->detail = psprintf("conflicts under the exclusion constraint %s in table %s were not counted (over ferriorm.hazard_budget: comparing rows pairwise may take long); adding it fails if any two rows conflict.",
						  quote_identifier(x->name), cx->qtable);
}
