/*-------------------------------------------------------------------------
 *
 * steplocks.c
 *	  The live side of a step's lock facts: the size and estimated rows of
 *	  the table a step locks, for ferriorm_plan_steps()'s detail.
 *
 * The figures come from pg_class (relpages, reltuples) as VACUUM and
 * ANALYZE last left them: reading them takes no lock and costs nothing,
 * whatever the table's size.  They are labelled as estimates.
 *
 * src/backend/steplocks.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

#include "fm_plan_int.h"

/*
 * "Table s.t: about N rows, SIZE (pg_class estimates)." for the table the
 * step locks, or NULL when it locks no table that introspection read or
 * when the table was never vacuumed nor analyzed (reltuples -1).
 */
char *
fm_step_table_sentence(const FmStep *step, const FmLiveRels *rels)
{
	const FmLiveRel *rel;
	HeapTuple	tup;
	Form_pg_class form;
	char	   *out;

	if (step->kind == FM_STEP_NONE || step->lock_table == NULL || rels == NULL)
		return NULL;
	rel = fm_live_rel(rels, step->lock_schema, step->lock_table);
	if (rel == NULL)
		return NULL;
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(rel->oid));
	if (!HeapTupleIsValid(tup))
		return NULL;
	form = (Form_pg_class) GETSTRUCT(tup);
	/* never vacuumed nor analyzed: pg_class knows nothing yet */
	if (form->reltuples < 0)
		out = NULL;
	else
	{
		char	   *size = text_to_cstring(DatumGetTextPP(
											  DirectFunctionCall1(pg_size_pretty,
																  Int64GetDatum((int64) form->relpages * BLCKSZ))));

		out = psprintf("Table %s.%s: about %.0f rows, %s (pg_class estimates).",
					   rel->schema, rel->name, (double) form->reltuples, size);
	}
	ReleaseSysCache(tup);
	return out;
}
