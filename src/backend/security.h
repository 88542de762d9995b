/*-------------------------------------------------------------------------
 *
 * security.h
 *	  Who runs what, and who may lock what: the security primitives that
 *	  hazards, plans, history, deploy and dev all call (src/backend/security.c).
 *
 * Sections (each owned by one area of the code; add functions to yours):
 *	  1. Running user-defined code as its owner, in a security-restricted
 *		 operation (hazard figures).
 *	  2. Privilege checks taken before any lock (managed schemas, tables).
 *	  3. The deploy lock, which only roles allowed to deploy can take.
 *
 * src/backend/security.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_SECURITY_H
#define FM_SECURITY_H

#include "postgres.h"

#include "storage/lockdefs.h"
#include "utils/relcache.h"

/* ---------- 1. running as the owner (security-restricted operation) ---------- */

/* the search_path user-defined code runs on: nothing a user can create */
#define FM_SAFE_SEARCH_PATH "pg_catalog, pg_temp"

/* flags of fm_run_as_owner() */
#define FM_OWNER_ROW_SECURITY_OFF	0x0001	/* also set row_security = off */
#define FM_OWNER_KEEP_PATH			0x0002	/* leave search_path as it is */

/*
 * fm_run_as_owner
 *		Run fn(arg) as role owner inside a security-restricted operation, the
 *		way core's ANALYZE and REFRESH MATERIALIZED VIEW evaluate index
 *		expressions and view queries: current user = owner, security context
 *		|= SECURITY_RESTRICTED_OPERATION, a new GUC nest level with
 *		search_path = FM_SAFE_SEARCH_PATH (and row_security = off with
 *		FM_OWNER_ROW_SECURITY_OFF; FM_OWNER_KEEP_PATH leaves search_path
 *		alone, for fm_parse_as_owner()).  The user id, the security context and
 *		every setting are restored on every path, error or not (PG_FINALLY);
 *		errors propagate unchanged.
 *
 * Use it for anything that evaluates user-defined code (row security
 * policies, CHECK and default expressions, casts and domain checks,
 * index expressions and predicates, functions) belonging to a relation:
 * that code then runs with the privileges of the relation's owner, who
 * could have run it anyway, and can neither change the session's role or
 * settings nor leave state behind (SET ROLE, temporary objects, cursors and
 * prepared statements are refused inside a security-restricted operation).
 */
extern void fm_run_as_owner(Oid owner, int flags, void (*fn) (void *arg),
							void *arg);

/*
 * fm_parse_as_owner
 *		Run fn(arg), which parses and analyzes user text (expressions, a
 *		figure's query) for a relation of owner, as owner in a
 *		security-restricted operation (fm_run_as_owner) on the current
 *		search_path, so that names resolve on the caller's path.  Parse
 *		analysis is not free of user code: a literal is converted with its
 *		type's input function, and the input function of an array, range or
 *		composite type over a domain checks the domain's constraints, which
 *		may call any function ('{1}'::some_domain[]).  So that code runs as
 *		the relation's owner, never with the caller's privileges.  Returns
 *		false, without running fn, when the current role lacks the owner's
 *		privileges (has_privs_of_role): then neither role may run the other's
 *		code, and the caller must do without the result.
 */
extern bool fm_parse_as_owner(Oid owner, void (*fn) (void *arg), void *arg);

/* the owner of relation relid (pg_class.relowner), InvalidOid when it is gone */
extern Oid	fm_relation_owner(Oid relid);

/*
 * fm_deparse_on_safe_path
 *		Parse and analyze query (parameters $1..$nargs of argtypes) on the
 *		current search_path, as owner (fm_parse_as_owner: an ERROR 42501 if
 *		the current role lacks its privileges), then deparse it with
 *		search_path = FM_SAFE_SEARCH_PATH: every name that path would not
 *		resolve to the same object comes out schema-qualified.  The result,
 *		run inside fm_run_as_owner(), means exactly what query meant to the
 *		caller, without any name being looked up again on a path a user can
 *		write to.  Parse analysis only (no rewrite, so no row-security
 *		policy is expanded here); the type input functions it calls run as
 *		owner, restricted.  Errors propagate.
 */
extern char *fm_deparse_on_safe_path(Oid owner, const char *query, int nargs,
									 Oid *argtypes);

/* ---------- 2. privilege checks before locks ---------- */

/*
 * Rules for the managed schemas, checked on names and catalog rows only,
 * before anything is opened or locked (see docs/security.md, "Who may call
 * what" and "Refused inputs").
 *
 * fm_schema_is_system: may ferriorm never manage this schema?  True for
 * pg_catalog, information_schema, pg_toast, every name starting with
 * "pg_" (PostgreSQL reserves the prefix: pg_temp_N, pg_toast_temp_N, ...)
 * and, when nsp is valid, any temporary or TOAST namespace.
 *
 * fm_check_managed_schemas: ERROR naming the first schema of names[0..n-1]
 * that is a system schema (42939, reserved name), or that
 * exists and on which the current user has no USAGE (42501).  Schemas that
 * do not exist yet pass: the plan will create them.  Takes no lock.
 */
extern bool fm_schema_is_system(const char *name, Oid nsp);
extern void fm_check_managed_schemas(char *const *names, int n);

/*
 * May the current user take lockmode on table relid?  The rule of
 * LOCK TABLE: the owner (or a member of the owning role) may; otherwise
 * SELECT for ACCESS SHARE, and INSERT, UPDATE, DELETE or TRUNCATE for
 * ROW EXCLUSIVE; UPDATE, DELETE or TRUNCATE for stronger modes.  Reads the
 * ACL from the syscache only: takes no lock.  A relation that no longer
 * exists answers false.
 */
extern bool fm_may_lock_table(Oid relid, LOCKMODE lockmode);

/*
 * ERROR (42501) naming schema.name unless fm_may_lock_table(); why is a
 * full sentence for the detail ("The plan parses CHECK ... against it.").
 */
extern void fm_require_lock_rights(Oid relid, const char *schema,
								   const char *name, LOCKMODE lockmode,
								   const char *why);

/*
 * The same for a table known by name (hazard figures, which query tables
 * by name): USAGE on its schema and the rights to lock it, looked up in
 * the syscache without a lock.  A name that resolves to nothing passes
 * (the query that follows reports it).
 */
extern void fm_require_lock_rights_named(const char *schema, const char *name,
										 LOCKMODE lockmode, const char *why);

/*
 * Open a table of the plan after fm_require_lock_rights(): the lock is only
 * requested once the caller's rights are checked.  A table dropped before
 * or while we waited for the lock is an ERROR (40001, naming it), never a
 * relcache lookup failure.  Close with table_close(rel, NoLock).
 */
extern Relation fm_open_checked(Oid relid, const char *schema,
								const char *name, LOCKMODE lockmode,
								const char *why);

/*
 * ERROR (40001) saying that schema.name was dropped, renamed or replaced
 * while the plan was being made; the caller may simply run it again.
 */
extern void fm_report_vanished_table(const char *schema, const char *name)
			pg_attribute_noreturn();

/* ---------- 3. the deploy lock ---------- */

/*
 * The deploy lock is SHARE UPDATE EXCLUSIVE on the migration history table
 * (relid).  It conflicts with itself, not with readers (ACCESS SHARE) nor
 * with the row writes of the table (ROW EXCLUSIVE).  LOCK TABLE in that mode
 * needs UPDATE, DELETE or TRUNCATE on the table, which nobody but its owner
 * has: a role that may only SELECT the history cannot block a deploy.
 *
 * fm_deploy_lock: the caller has passed the deploying function's own
 * privilege checks; here EXECUTE on fn_oid is checked once more, BEFORE the
 * lock is requested.  session = false: held until the end of the current
 * transaction (the function form).  session = true: held across commits
 * until fm_deploy_unlock_session() (the procedure form; the caller releases
 * it on every path, and the lock manager releases it at backend exit).
 */
extern void fm_deploy_lock(Oid relid, Oid fn_oid, bool session);
extern void fm_deploy_unlock_session(Oid relid);

#endif							/* FM_SECURITY_H */
