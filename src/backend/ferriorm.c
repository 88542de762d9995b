/*-------------------------------------------------------------------------
 *
 * ferriorm.c
 *	  Module entry point of ferriorm, and the glue between the portable
 *	  core and the server: memory hooks, quoting, schema parsing with
 *	  PostgreSQL-style error reports.
 *
 * src/backend/ferriorm.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "fmgr.h"
#include "miscadmin.h"
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#endif
#include "parser/parse_coerce.h"
#include "parser/parse_type.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "ferriorm.h"
#include "fm_parse.h"

PG_MODULE_MAGIC;

/* ---------- memory ---------- */

/*
 * Every allocation of the core goes through here, which makes it the place
 * to honour query cancel and statement_timeout during long parses and
 * diffs: the core holds no resource but palloc'd memory, so leaving it by
 * longjmp is safe.
 */
static void *
pg_malloc_hook(size_t size, void *ctx)
{
	MemoryContext mcxt = ctx ? (MemoryContext) ctx : CurrentMemoryContext;

	CHECK_FOR_INTERRUPTS();

	return MemoryContextAllocExtended(mcxt, size ? size : 1, MCXT_ALLOC_HUGE);
}

static void *
pg_realloc_hook(void *ptr, size_t size, void *ctx)
{
	return repalloc_huge(ptr, size ? size : 1);
}

static void
pg_free_hook(void *ptr, void *ctx)
{
	pfree(ptr);
}

static const FmMemHooks pg_mem_hooks = {pg_malloc_hook, pg_realloc_hook, pg_free_hook};

FmArena *
fm_backend_arena(void)
{
	return fm_arena_create_in(&pg_mem_hooks, CurrentMemoryContext);
}

void		_PG_init(void);

void
_PG_init(void)
{
	/* the core's short-lived scratch allocations go to palloc too */
	fm_set_mem_hooks(&pg_mem_hooks);
}

/* ---------- quoting ---------- */

static const char *
backend_quote_ident(const char *ident, void *arg)
{
	return quote_identifier(ident);
}

static char *
backend_quote_literal(const char *literal, void *arg)
{
	return quote_literal_cstr(literal);
}

/*
 * lookup_type_oid
 *		Type name text -> OID; false when it does not name a type.
 *
 * The text comes from the schema (Unsupported("...") is arbitrary), so
 * besides an unknown type it may be a syntax error or carry a typmod the
 * type does not accept ("int4(5)"): parseTypeString raises those even with
 * missing_ok (before v16) or a soft-error context (v16+, which also made
 * an unknown type a hard error without one).  Run it in a subtransaction
 * and treat any error of class 22 or 42 as "not a type"; anything else
 * (cancel, out of memory) is re-thrown.
 */
static bool
lookup_type_oid(const char *name, Oid *oid)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	int32		typmod;
	volatile bool ok = false;

	*oid = InvalidOid;
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
#if PG_VERSION_NUM >= 160000
		ErrorSaveContext escontext = {T_ErrorSaveContext};

		ok = parseTypeString(name, oid, &typmod, (Node *) &escontext);
#else
		parseTypeString(name, oid, &typmod, true);
		ok = true;
#endif
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;

		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_DATA_EXCEPTION &&
			ERRCODE_TO_CATEGORY(edata->sqlerrcode) != ERRCODE_SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION)
			ReThrowError(edata);
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();

	return ok && OidIsValid(*oid);
}

/*
 * Does "ALTER COLUMN ... TYPE to" work without USING for a column of type
 * from?  ALTER TABLE decides it (ATPrepAlterColumnType) by coercing the
 * column in assignment context: an implicit or assignment cast, binary
 * coercibility, automatic I/O conversion to a string type, domains over
 * such types, arrays whose elements coerce.  Ask the same question.
 * Names that are not types (or not valid type texts) answer false, with no
 * error (lookup_type_oid()).
 */
static bool
backend_cast_is_implicit(const char *from_type, const char *to_type, void *arg)
{
	Oid			from_oid,
				to_oid;

	if (!lookup_type_oid(from_type, &from_oid) ||
		!lookup_type_oid(to_type, &to_oid))
		return false;
	if (from_oid == to_oid)
		return true;
	return can_coerce_type(1, &from_oid, &to_oid, COERCION_ASSIGNMENT);
}

const FmQuoting fm_backend_quoting = {
	backend_quote_ident, backend_quote_literal, backend_cast_is_implicit, NULL
};
