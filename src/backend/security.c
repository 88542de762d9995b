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

#include "security.h"

/* ---------- 1. running as the owner (security-restricted operation) ---------- */

/* ---------- 2. privilege checks before locks ---------- */

/* ---------- 3. the deploy lock ---------- */
