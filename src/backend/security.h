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

#endif							/* FM_SECURITY_H */
