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
