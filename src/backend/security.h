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

/* ---------- 1. running as the owner (security-restricted operation) ---------- */

/* the search_path user-defined code runs on: nothing a user can create */
#define FM_SAFE_SEARCH_PATH "pg_catalog, pg_temp"

/* flags of fm_run_as_owner() */
#define FM_OWNER_ROW_SECURITY_OFF	0x0001	/* also set row_security = off */

/*
 * fm_run_as_owner
 *		Run fn(arg) as role owner inside a security-restricted operation, the
 *		way core's ANALYZE and REFRESH MATERIALIZED VIEW evaluate index
 *		expressions and view queries: current user = owner, security context
 *		|= SECURITY_RESTRICTED_OPERATION, a new GUC nest level with
 *		search_path = FM_SAFE_SEARCH_PATH (and row_security = off with
 *		FM_OWNER_ROW_SECURITY_OFF).  The user id, the security context and
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
 * fm_deparse_on_safe_path
 *		Parse and analyze query (parameters $1..$nargs of argtypes) as the
 *		current user on the current search_path, then deparse it with
 *		search_path = FM_SAFE_SEARCH_PATH: every name that path would not
 *		resolve to the same object comes out schema-qualified.  The result,
 *		run inside fm_run_as_owner(), means exactly what query meant to the
 *		caller, without any name being looked up again on a path a user can
 *		write to.  Executes nothing (parse analysis only; no rewrite, so no
 *		row-security policy is expanded here).  Errors propagate.
 */
extern char *fm_deparse_on_safe_path(const char *query, int nargs,
									 Oid *argtypes);

/* ---------- 2. privilege checks before locks ---------- */

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
