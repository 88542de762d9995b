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

#include "access/relation.h"
#include "access/table.h"
#include "catalog/catalog.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/analyze.h"
#include "parser/parser.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
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
		if (!(flags & FM_OWNER_KEEP_PATH))
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
 * fm_parse_as_owner
 *		See security.h for the contract.
 */
bool
fm_parse_as_owner(Oid owner, void (*fn) (void *arg), void *arg)
{
	if (!has_privs_of_role(GetUserId(), owner))
		return false;
	fm_run_as_owner(owner, FM_OWNER_KEEP_PATH, fn, arg);
	return true;
}

/* See security.h. */
Oid
fm_relation_owner(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			owner;

	if (!HeapTupleIsValid(tup))
		return InvalidOid;
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

typedef struct SafeParse
{
	const char *query;
	int			nargs;
	Oid		   *argtypes;
	Query	   *result;
} SafeParse;

/* the parse analysis of fm_deparse_on_safe_path, as the owner */
static void
safe_parse_guts(void *arg)
{
	SafeParse  *sp = (SafeParse *) arg;
	List	   *raw;

	raw = raw_parser(sp->query, RAW_PARSE_DEFAULT);
	if (list_length(raw) != 1)
		elog(ERROR, "ferriorm: expected one statement to deparse, got %d",
			 list_length(raw));
#if PG_VERSION_NUM >= 150000
	sp->result = parse_analyze_fixedparams(linitial_node(RawStmt, raw),
										   sp->query, sp->argtypes,
										   sp->nargs, NULL);
#else
	sp->result = parse_analyze(linitial_node(RawStmt, raw), sp->query,
							   sp->argtypes, sp->nargs, NULL);
#endif
}

/*
 * fm_deparse_on_safe_path
 *		See security.h for the contract.
 */
char *
fm_deparse_on_safe_path(Oid owner, const char *query, int nargs, Oid *argtypes)
{
	SafeParse	sp;
	char	   *result;
	int			save_nestlevel;

	sp.query = query;
	sp.nargs = nargs;
	sp.argtypes = argtypes;
	sp.result = NULL;
	if (!fm_parse_as_owner(owner, safe_parse_guts, &sp))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to parse a query as role \"%s\"",
						GetUserNameFromId(owner, false))));
	save_nestlevel = NewGUCNestLevel();
	PG_TRY();
	{
		(void) set_config_option("search_path", FM_SAFE_SEARCH_PATH,
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
		result = pg_get_querydef(sp.result, false);
	}
	PG_FINALLY();
	{
		AtEOXact_GUC(false, save_nestlevel);
	}
	PG_END_TRY();
	return result;
}

/* ---------- 2. privilege checks before locks ---------- */

/*
 * fm_schema_is_system
 *		Does schema name (nsp: its OID, or InvalidOid when it does not
 *		exist) belong to the system: pg_catalog, information_schema, any
 *		"pg_" name, a catalog, TOAST or temporary namespace?
 */
bool
fm_schema_is_system(const char *name, Oid nsp)
{
	if (strcmp(name, "pg_catalog") == 0 ||
		strcmp(name, "information_schema") == 0 ||
		strncmp(name, "pg_", 3) == 0)
		return true;
	if (OidIsValid(nsp) &&
		(IsCatalogNamespace(nsp) || IsToastNamespace(nsp) ||
		 isAnyTempNamespace(nsp)))
		return true;
	return false;
}

/*
 * fm_check_managed_schemas
 *		Before any lock: ERROR (42939) for a system schema among names[0..n)
 *		and (42501) for an existing one the current role has no USAGE on.
 *		Schemas that do not exist yet pass (the plan creates them).
 */
void
fm_check_managed_schemas(char *const *names, int n)
{
	for (int i = 0; i < n; i++)
	{
		const char *name = names[i];
		Oid			nsp = get_namespace_oid(name, true);
		AclResult	acl;

		if (fm_schema_is_system(name, nsp))
			ereport(ERROR,
					(errcode(ERRCODE_RESERVED_NAME),
					 errmsg("schema \"%s\" cannot be managed by ferriorm", name),
					 errdetail("pg_catalog, information_schema, pg_toast, temporary schemas and every schema whose name starts with \"pg_\" belong to the system; ferriorm never creates, changes or drops anything in them."),
					 errhint("List only your own schemas in the datasource's \"schemas\" and in @@schema; with neither, the first schema of search_path is managed.")));
		if (!OidIsValid(nsp))
			continue;			/* the plan creates it */
		acl = pg_namespace_aclcheck(nsp, GetUserId(), ACL_USAGE);
		if (acl != ACLCHECK_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied for schema %s", name),
					 errdetail("ferriorm reads and changes the managed schemas; the current role needs the USAGE privilege on each of them."),
					 errhint("Grant USAGE on schema %s to the role, or plan as a role that has it.",
							 quote_identifier(name))));
	}
}

/*
 * fm_may_lock_table
 *		May the current role lock relid in lockmode, by LOCK TABLE's rules:
 *		ownership, or a privilege that grants that mode (SELECT for ACCESS
 *		SHARE; INSERT, UPDATE, DELETE or TRUNCATE for ROW EXCLUSIVE; UPDATE,
 *		DELETE or TRUNCATE for stronger modes)?  False when the table is
 *		gone.
 */
bool
fm_may_lock_table(Oid relid, LOCKMODE lockmode)
{
	Oid			user = GetUserId();
	AclMode		need;
	bool		missing = false;

	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		return false;
	if (pg_class_ownercheck(relid, user))
		return true;
	if (lockmode == AccessShareLock)
		need = ACL_SELECT;
	else if (lockmode == RowExclusiveLock)
		need = ACL_INSERT | ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE;
	else
		need = ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE;
	if (pg_class_aclmask_ext(relid, user, need, ACLMASK_ANY, &missing) != 0)
		return !missing;
	return false;
}

/* the lock mode as LOCK TABLE spells it */
static const char *
lockmode_sql(LOCKMODE lockmode)
{
	static const char *const names[] = {
		"", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE",
		"SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE",
		"EXCLUSIVE", "ACCESS EXCLUSIVE"
	};

	return (lockmode > 0 && lockmode <= AccessExclusiveLock) ? names[lockmode] : "?";
}

/*
 * fm_require_lock_rights
 *		ERROR (42501) unless the current role may lock relid in lockmode;
 *		why (a full sentence) says what needs the lock.  A table gone
 *		meanwhile is reported as vanished (40001).
 */
void
fm_require_lock_rights(Oid relid, const char *schema, const char *name,
					   LOCKMODE lockmode, const char *why)
{
	if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid)))
		fm_report_vanished_table(schema, name);
	if (!fm_may_lock_table(relid, lockmode))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for table %s.%s", schema, name),
				 errdetail("%s Locking the table needs ownership or the privileges of LOCK TABLE ... IN %s MODE.",
						   why, lockmode_sql(lockmode)),
				 errhint("Grant the role the privilege, or run this as the table's owner.")));
}

/*
 * fm_require_lock_rights_named
 *		fm_require_lock_rights for schema.name looked up by name; a schema
 *		without USAGE is ERROR (42501); a schema or table that does not
 *		exist passes (nothing to lock).
 */
void
fm_require_lock_rights_named(const char *schema, const char *name,
							 LOCKMODE lockmode, const char *why)
{
	Oid			nsp = schema ? get_namespace_oid(schema, true) : InvalidOid;
	Oid			relid;

	if (!OidIsValid(nsp))
		return;
	if (pg_namespace_aclcheck(nsp, GetUserId(), ACL_USAGE) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied for schema %s", schema)));
	relid = get_relname_relid(name, nsp);
	if (OidIsValid(relid))
		fm_require_lock_rights(relid, schema, name, lockmode, why);
}

/*
 * fm_open_checked
 *		Open table relid (schema.name) in lockmode after the privilege check
 *		of fm_require_lock_rights: privileges before the lock.  A table
 *		dropped or replaced meanwhile is reported as vanished (40001).  The
 *		caller closes it.
 */
Relation
fm_open_checked(Oid relid, const char *schema, const char *name,
				LOCKMODE lockmode, const char *why)
{
	Relation	rel;

	fm_require_lock_rights(relid, schema, name, lockmode, why);
	rel = try_relation_open(relid, lockmode);
	if (rel == NULL)
		fm_report_vanished_table(schema, name);
	if (rel->rd_rel->relkind != RELKIND_RELATION &&
		rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
	{
		/* the OID was reused by something else: the table is gone */
		relation_close(rel, lockmode);
		fm_report_vanished_table(schema, name);
	}
	return rel;
}

/*
 * fm_report_vanished_table
 *		ERROR (40001): table schema.name changed since the plan's snapshot
 *		read it; the plan must be made again.
 */
void
fm_report_vanished_table(const char *schema, const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("table %s.%s was dropped, renamed or replaced while the plan was being made", schema, name),
			 errdetail("The plan was read from one snapshot of the catalog; the table has changed since, so the plan no longer describes the database."),
			 errhint("Run the plan again.")));
}

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
