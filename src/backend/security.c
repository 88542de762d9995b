/*-------------------------------------------------------------------------
 *
 * security.c
 *	  Who runs what, and who may lock what.  See security.h for the
 *	  sections; docs/security.md for the threat model they implement.
 *
 * src/backend/security.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "security.h"

/* ---------- 1. running as the owner (security-restricted operation) ---------- */

/* ---------- 2. privilege checks before locks ---------- */

/* ---------- 3. the deploy lock ---------- */

/*
 * fm_deploy_lock
 *		Take the deploy lock on the history table relid; see security.h for
 *		the contract.  The privilege check comes first, so a role that may not
 *		deploy never even queues for the lock.  The wait is an ordinary lock
 *		wait: lock_timeout bounds it, cancel interrupts it.
 */
void
fm_deploy_lock(Oid relid, Oid fn_oid, bool session)
{
	AclResult	aclresult;

	aclresult = pg_proc_aclcheck(fn_oid, GetUserId(), ACL_EXECUTE);
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_FUNCTION, get_func_name(fn_oid));

	if (session)
	{
		LockRelId	lockid;

		lockid.relId = relid;
		lockid.dbId = MyDatabaseId;
		LockRelationIdForSession(&lockid, ShareUpdateExclusiveLock);
	}
	else
		LockRelationOid(relid, ShareUpdateExclusiveLock);

	/* the table could have been dropped while we waited */
	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
	{
		if (session)
			fm_deploy_unlock_session(relid);
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("migration history table was dropped while waiting for the deploy lock")));
	}
}

/*
 * fm_deploy_unlock_session
 *		Release a deploy lock taken with session = true.
 */
void
fm_deploy_unlock_session(Oid relid)
{
	LockRelId	lockid;

	lockid.relId = relid;
	lockid.dbId = MyDatabaseId;
	UnlockRelationIdForSession(&lockid, ShareUpdateExclusiveLock);
}
