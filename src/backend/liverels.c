/*-------------------------------------------------------------------------
 *
 * liverels.c
 *	  The tables a plan read (FmLiveRels, filled by introspection): found
 *	  by name without a catalog look-up, and checked again once the plan
 *	  has waited for its locks.
 *
 * Introspection reads the catalog on one snapshot (introspect.c); a plan
 * may then wait for locks (normalization, hazard figures) while other
 * sessions commit DDL.  fm_recheck_live_rels() is the last step of a plan:
 * every table read must still exist under the same OID, name and schema,
 * or the plan fails with 40001 naming it (security.c), never returning
 * steps for a table that is gone.
 *
 * src/backend/liverels.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "utils/inval.h"
#include "utils/syscache.h"

#include "fm_plan_int.h"
#include "security.h"

/* qsort/bsearch order of FmLiveRel pointers: by schema, then name. */
static int
liverel_name_cmp(const void *a, const void *b)
{
	const FmLiveRel *x = *(const FmLiveRel *const *) a;
	const FmLiveRel *y = *(const FmLiveRel *const *) b;
	int			c = strcmp(x->schema, y->schema);

	return c != 0 ? c : strcmp(x->name, y->name);
}

/* Sort the by-name index of rels (after the loader filled rels->rels). */
void
fm_live_rels_index(FmLiveRels *rels)
{
	qsort(rels->byname, rels->n, sizeof(FmLiveRel *), liverel_name_cmp);
}

/*
 * fm_live_rel
 *		The live table schema.name among rels (binary search of the
 *		by-name index), or NULL.
 */
const FmLiveRel *
fm_live_rel(const FmLiveRels *rels, const char *schema, const char *name)
{
	FmLiveRel	key;
	const FmLiveRel *keyp = &key;
	FmLiveRel **hit;

	if (rels == NULL || rels->n == 0 || schema == NULL || name == NULL)
		return NULL;
	key.schema = schema;
	key.name = name;
	hit = bsearch(&keyp, rels->byname, rels->n, sizeof(FmLiveRel *),
				  liverel_name_cmp);
	return hit != NULL ? *hit : NULL;
}

/*
 * fm_recheck_live_rels
 *		After every wait for a lock: ERROR (40001, the table "was dropped,
 *		renamed or replaced") when a table the plan read no longer has its
 *		OID, schema and name, as other sessions' committed changes show.
 */
void
fm_recheck_live_rels(const FmLiveRels *rels)
{
	/* see what other sessions committed, even if we took no new lock */
	AcceptInvalidationMessages();
	for (int i = 0; i < rels->n; i++)
	{
		const FmLiveRel *r = &rels->rels[i];
		HeapTuple	tup;
		bool		same = false;

		CHECK_FOR_INTERRUPTS();
		tup = SearchSysCache1(RELOID, ObjectIdGetDatum(r->oid));
		if (HeapTupleIsValid(tup))
		{
			Form_pg_class c = (Form_pg_class) GETSTRUCT(tup);

			same = c->relnamespace == r->nspoid &&
				strcmp(NameStr(c->relname), r->name) == 0;
			ReleaseSysCache(tup);
		}
		if (!same)
			fm_report_vanished_table(r->schema, r->name);
	}
}
