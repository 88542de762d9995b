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
#include "nodes/parsenodes.h"
#include "parser/analyze.h"
#include "parser/parser.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"

#include "security.h"

/* ---------- 1. running as the owner (security-restricted operation) ---------- */

/*
 * fm_run_as_owner
 *		See security.h for the contract.
 *
 * The GUC nest level is unwound with AtEOXact_GUC(false), which restores
 * what the nest level saved, on success and on error alike; the user id
 * and security context are put back afterwards.  On error the enclosing
 * (sub)transaction's abort would restore both too, but nothing between
 * here and there may run as the owner or on the safe path.
 */
void
fm_run_as_owner(Oid owner, int flags, void (*fn) (void *arg), void *arg)
{
	Oid			save_userid;
	int			save_sec_context;
	int			save_nestlevel;

	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	SetUserIdAndSecContext(owner,
						   save_sec_context | SECURITY_RESTRICTED_OPERATION);
	save_nestlevel = NewGUCNestLevel();
	PG_TRY();
	{
		(void) set_config_option("search_path", FM_SAFE_SEARCH_PATH,
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		if (flags & FM_OWNER_ROW_SECURITY_OFF)
			(void) set_config_option("row_security", "off",
									 PGC_USERSET, PGC_S_SESSION,
									 GUC_ACTION_SAVE, true, 0, false);
		fn(arg);
	}
	PG_FINALLY();
	{
		AtEOXact_GUC(false, save_nestlevel);
		SetUserIdAndSecContext(save_userid, save_sec_context);
	}
	PG_END_TRY();
}

/*
 * fm_deparse_on_safe_path
 *		See security.h for the contract.
 */
char *
fm_deparse_on_safe_path(const char *query, int nargs, Oid *argtypes)
{
	List	   *raw;
	Query	   *q;
	char	   *result;
	int			save_nestlevel;

	raw = raw_parser(query, RAW_PARSE_DEFAULT);
	if (list_length(raw) != 1)
		elog(ERROR, "ferriorm: expected one statement to deparse, got %d",
			 list_length(raw));
#if PG_VERSION_NUM >= 150000
	q = parse_analyze_fixedparams(linitial_node(RawStmt, raw), query,
								  argtypes, nargs, NULL);
#else
	q = parse_analyze(linitial_node(RawStmt, raw), query, argtypes, nargs,
					  NULL);
#endif
	save_nestlevel = NewGUCNestLevel();
	PG_TRY();
	{
		(void) set_config_option("search_path", FM_SAFE_SEARCH_PATH,
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		result = pg_get_querydef(q, false);
	}
	PG_FINALLY();
	{
		AtEOXact_GUC(false, save_nestlevel);
	}
	PG_END_TRY();
	return result;
}

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
