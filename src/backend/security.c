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

#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/analyze.h"
#include "parser/parser.h"
#include "utils/guc.h"
#include "utils/ruleutils.h"

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
