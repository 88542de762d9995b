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
#include "access/xlog.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#endif
#include "parser/parse_coerce.h"
#include "parser/parse_type.h"
#include "access/detoast.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "ferriorm.h"
#include "fm_parse.h"
#include "loopback.h"

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

static void
pg_free_hook(void *ptr, void *ctx)
{
	pfree(ptr);
}

static const FmMemHooks pg_mem_hooks = {pg_malloc_hook, pg_free_hook};

FmArena *
fm_backend_arena(void)
{
	return fm_arena_create_in(&pg_mem_hooks, CurrentMemoryContext);
}

/* ---------- settings ---------- */

/*
 * ferriorm.max_schema_size: the largest schema text, in bytes, that any
 * function taking one accepts.  Parsing, validating, formatting and
 * diffing use memory proportional to the text (bench/frontend.sh prints
 * the factor: at most 20 bytes per byte of text to validate, format, diff
 * or plan), so the limit bounds what one call may allocate.  The default,
 * 8 MB, is about 15,000 models of ten fields each, far more than the
 * largest real schemas, and bounds a call to about 160 MB; only
 * superusers may change it, as a limit that protects the server from
 * unprivileged callers must be.
 */
int			fm_max_schema_size = 8 * 1024 * 1024;

/* ferriorm.dialect: the dialect of schema text (fm_dialect.h) */
int			fm_dialect_setting = FM_DIALECT_AUTO;

static const struct config_enum_entry dialect_options[] = {
	{"auto", FM_DIALECT_AUTO, false},
	{"ferriorm", FM_DIALECT_FERRIORM, false},
	{"prisma", FM_DIALECT_PRISMA, false},
	{NULL, 0, false}
};

/* ferriorm.lock_timeout, lock_retries, hazard_budget (ferriorm.h) */
int			fm_lock_timeout_ms = 2000;
int			fm_lock_retries = 10;
int			fm_hazard_budget_ms = 1000;

void		_PG_init(void);

/*
 * ferriorm.shadow_conninfo: where the loopback connects ('' = this server).
 * PGC_SUSET: the string decides which database the shadow strategy empties
 * (DROP SCHEMA ... CASCADE of everything in it) and as whom a superuser's
 * call logs in.  Were it USERSET, a database owner could set it for every
 * session with ALTER DATABASE ... SET, and a superuser's ferriorm_drift()
 * would empty whatever database it named (docs/security.md).
 */
static char *fm_shadow_conninfo = NULL;

/*
 * ferriorm.loopback_conninfo: how CALL ferriorm_migrate's loopback reaches
 * this server and authenticates ('' = this server's socket, no password),
 * so that a role that is not a superuser can run the statements that need
 * it (dblink's password rule).  PGC_SUSET and GUC_SUPERUSER_ONLY, as it
 * may hold a password; its check hook admits only keywords of
 * authentication and transport, so the database, the user and the
 * session's options stay the caller's, and the connection must reach this
 * server's own backend (loopback.c, check_same_database).
 */
static char *fm_deploy_conninfo = NULL;

static const char *
conninfo_hook(bool shadow)
{
	const char *v = shadow ? fm_shadow_conninfo : fm_deploy_conninfo;

	return (v != NULL && v[0] != '\0') ? v : NULL;
}

/* check hook of ferriorm.loopback_conninfo: see above */
static bool
check_deploy_conninfo(char **newval, void **extra, GucSource source)
{
	bool		bad_syntax;
	const char *refused = fm_loopback_deploy_conninfo_refused(*newval, &bad_syntax);

	if (bad_syntax)
	{
		GUC_check_errdetail("The value is not a valid connection string.");
		return false;
	}
	if (refused != NULL)
	{
		GUC_check_errdetail("Keyword \"%s\" is not allowed: the loopback of CALL ferriorm_migrate connects to this server's current database as the session user, and the setting may only give the address, the password and the transport options.",
							refused);
		return false;
	}
	return true;
}

/*
 * _PG_init
 *		Module load: route the core's allocations to palloc, define the
 *		ferriorm.* settings (max_schema_size, dialect, lock_timeout,
 *		lock_retries, hazard_budget, shadow_conninfo, loopback_conninfo),
 *		hook the connection strings into the loopback, and reserve the
 *		prefix.
 */
void
_PG_init(void)
{
	/* the core's short-lived scratch allocations go to palloc too */
	fm_set_mem_hooks(&pg_mem_hooks);

	DefineCustomIntVariable("ferriorm.max_schema_size",
							"Largest schema text accepted by the ferriorm functions.",
							"Schema text larger than this is refused before it is parsed, which bounds the memory one call can use.",
							&fm_max_schema_size,
							8 * 1024 * 1024,
							1024,
							MaxAllocSize - 1,
							PGC_SUSET,
							GUC_UNIT_BYTE,
							NULL, NULL, NULL);

	DefineCustomEnumVariable("ferriorm.dialect",
							 "Sets the dialect in which schema text is read.",
							 "\"prisma\" gives a schema the database Prisma Migrate creates, "
							 "\"ferriorm\" the one of the ferriorm ORM; \"auto\" chooses "
							 "prisma when a generator block's provider starts with \"prisma\".",
							 &fm_dialect_setting,
							 FM_DIALECT_AUTO,
							 dialect_options,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomIntVariable("ferriorm.lock_timeout",
							"Sets the lock_timeout of each statement of an online plan and of ferriorm_push().",
							"A statement that waits longer for a lock fails and is retried "
							"(ferriorm.lock_retries).  Zero waits without limit.",
							&fm_lock_timeout_ms,
							2000, 0, INT_MAX,
							PGC_USERSET, GUC_UNIT_MS,
							NULL, NULL, NULL);
	DefineCustomIntVariable("ferriorm.lock_retries",
							"Sets how many times a statement that failed on lock_timeout is retried.",
							"Retries wait 100 ms, doubling up to 5 s between tries.",
							&fm_lock_retries,
							10, 0, 1000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("ferriorm.hazard_budget",
							"Sets the time a plan may spend counting hazard figures exactly.",
							"Past it, figures are estimated from statistics.  -1 counts "
							"every figure exactly; 0 estimates every figure.",
							&fm_hazard_budget_ms,
							1000, -1, INT_MAX,
							PGC_USERSET, GUC_UNIT_MS,
							NULL, NULL, NULL);
	DefineCustomStringVariable("ferriorm.shadow_conninfo",
							   "Sets the connection string of shadow databases.",
							   "Empty: this server's own socket and port, as the session user. "
							   "A string that names a database makes that database the shadow: "
							   "it is reset instead of created.  Only superusers may set it.",
							   &fm_shadow_conninfo,
							   "",
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("ferriorm.loopback_conninfo",
							   "Sets how the loopback connection of CALL ferriorm_migrate reaches this server and authenticates.",
							   "Empty: this server's own socket and port, without a password, which only superusers may use. "
							   "Only address, password and transport keywords are allowed.  Only superusers may set it.",
							   &fm_deploy_conninfo,
							   "",
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY,
							   check_deploy_conninfo, NULL, NULL);
	fm_loopback_conninfo_hook = conninfo_hook;
	MarkGUCPrefixReserved("ferriorm");
}

/*
 * fm_check_schema_size
 *		ERROR (program_limit_exceeded) when a schema text of len bytes is
 *		over ferriorm.max_schema_size; what names the argument.
 */
void
fm_check_schema_size(Size len, const char *what)
{
	if (len <= (Size) fm_max_schema_size)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s text is larger than ferriorm.max_schema_size", what),
			 errdetail_plural("The text has %zu byte; the limit is %d bytes.",
							  "The text has %zu bytes; the limit is %d bytes.",
							  (unsigned long) len, len, fm_max_schema_size),
			 errhint("A superuser can raise the limit with SET ferriorm.max_schema_size.")));
}

/*
 * fm_check_schema_arg
 *		fm_check_schema_size() for argument argno of the calling function,
 *		from the size its datum has once detoasted, so that an oversized
 *		text is refused before it is decompressed or copied.  NULL passes.
 */
void
fm_check_schema_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	if (PG_ARGISNULL(argno))
		return;
	fm_check_schema_size(toast_raw_datum_size(PG_GETARG_DATUM(argno)) - VARHDRSZ,
						 what);
}

/* ---------- standbys ---------- */

/*
 * fm_require_primary
 *		ERROR unless this server can write: on a hot standby (recovery in
 *		progress) every ferriorm function that writes refuses up front with
 *		this one error.  Reading (plans without verify, plan_steps, status,
 *		diff, pull, drift with the snapshot strategy) works there.
 */
void
fm_require_primary(const char *fname)
{
	fm_require_primary_hint(fname,
							"Connect to the primary server and run it there; plans, plan steps, status, pull, and drift with strategy => 'snapshot' can be read on the standby.");
}

/* the same error, with its own hint */
void
fm_require_primary_hint(const char *fname, const char *hint)
{
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("%s must run on the primary server", fname),
				 errdetail("This server is a hot standby: recovery is in progress, so nothing can be written here."),
				 errhint("%s", hint)));
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
 * an unknown type a hard error without one).  Run it protected: an error
 * of the text (class 22, 42, 0A) means "not a type"; anything else (cancel,
 * out of memory) is re-thrown.
 */
typedef struct TypeLookup
{
	const char *name;
	Oid			oid;
	bool		ok;
} TypeLookup;

static void
lookup_type_oid_guts(void *arg)
{
	TypeLookup *tl = (TypeLookup *) arg;
	int32		typmod;

#if PG_VERSION_NUM >= 160000
	ErrorSaveContext escontext = {T_ErrorSaveContext};

	tl->ok = parseTypeString(tl->name, &tl->oid, &typmod, (Node *) &escontext);
#else
	parseTypeString(tl->name, &tl->oid, &typmod, true);
	tl->ok = true;
#endif
}

static bool
lookup_type_oid(const char *name, Oid *oid)
{
	TypeLookup	tl = {name, InvalidOid, false};

	if (!fm_run_protected(lookup_type_oid_guts, &tl, false))
		tl.ok = false;
	*oid = tl.oid;
	return tl.ok && OidIsValid(tl.oid);
}

/*
 * Can a value of type from_type be coerced to to_type in context ctx?
 * unknown answers a name that is not a type (or not a valid type text),
 * with no error (lookup_type_oid()).
 */
static bool
types_coerce(const char *from_type, const char *to_type, CoercionContext ctx,
			 bool unknown)
{
	Oid			from_oid,
				to_oid;

	if (!lookup_type_oid(from_type, &from_oid) ||
		!lookup_type_oid(to_type, &to_oid))
		return unknown;
	if (from_oid == to_oid)
		return true;
	return can_coerce_type(1, &from_oid, &to_oid, ctx);
}

/*
 * Does "ALTER COLUMN ... TYPE to" work without USING for a column of type
 * from?  ALTER TABLE decides it (ATPrepAlterColumnType) by coercing the
 * column in assignment context: an implicit or assignment cast, binary
 * coercibility, automatic I/O conversion to a string type, domains over
 * such types, arrays whose elements coerce.  Ask the same question.
 * Names that are not types answer false.
 */
static bool
backend_cast_is_implicit(const char *from_type, const char *to_type, void *arg)
{
	return types_coerce(from_type, to_type, COERCION_ASSIGNMENT, false);
}

/*
 * Has from any cast to to, an explicit one included (from::to parses)?
 * Types that cannot be looked up (an enum the plan creates) answer true:
 * the plain cast is kept and PostgreSQL judges it.
 */
static bool
backend_cast_exists(const char *from_type, const char *to_type, void *arg)
{
	return types_coerce(from_type, to_type, COERCION_EXPLICIT, true);
}

const FmQuoting fm_backend_quoting = {
	backend_quote_ident, backend_quote_literal, backend_cast_is_implicit, NULL,
	backend_cast_exists, NULL
};

/* ---------- protected execution ---------- */

/*
 * Is an error one that only means "this text cannot be normalized" or
 * "this figure cannot be computed"?  Those are the errors of the user's
 * text: syntax, names, types and privileges (class 42), data (22) and
 * unsupported features (0A); with user_code, also what the user's own
 * functions and constraints raise when evaluated (23, 2F, 38, 39, P0).
 * Everything else says something about the session or the server, not
 * about the text (lock and statement timeouts, cancels, deadlocks,
 * serialization failures, out of memory, I/O errors, corruption, internal
 * errors), and must reach the caller.
 */
bool
fm_error_is_soft(int sqlerrcode, bool user_code)
{
	int			cat = ERRCODE_TO_CATEGORY(sqlerrcode);

	if (cat == ERRCODE_SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION ||
		cat == ERRCODE_DATA_EXCEPTION ||
		cat == ERRCODE_FEATURE_NOT_SUPPORTED)
		return true;
	if (!user_code)
		return false;
	return cat == ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION ||
		cat == ERRCODE_SQL_ROUTINE_EXCEPTION ||
		cat == ERRCODE_EXTERNAL_ROUTINE_EXCEPTION ||
		cat == ERRCODE_EXTERNAL_ROUTINE_INVOCATION_EXCEPTION ||
		cat == ERRCODE_PLPGSQL_ERROR;
}

/*
 * Run fn(arg) in a subtransaction.  A soft error (fm_error_is_soft) rolls
 * it back and returns false; any other error rolls it back too and is
 * re-thrown unchanged, so that whoever catches it finds the subtransaction
 * stack as it was.  When sqlerrcode/message are given, a soft error's
 * SQLSTATE and message (palloc'd in the caller's context) are stored there.
 */
bool
fm_run_protected_ex(void (*fn) (void *), void *arg, bool user_code,
					int *sqlerrcode, char **message)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	volatile bool ok = true;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		fn(arg);
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
		if (!fm_error_is_soft(edata->sqlerrcode, user_code))
			fm_rethrow(edata);
		if (sqlerrcode != NULL)
			*sqlerrcode = edata->sqlerrcode;
		if (message != NULL)
			*message = pstrdup(edata->message ? edata->message : "");
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

bool
fm_run_protected(void (*fn) (void *), void *arg, bool user_code)
{
	return fm_run_protected_ex(fn, arg, user_code, NULL, NULL);
}

/*
 * fm_run_rolled_back
 *		See ferriorm.h.
 */
ErrorData *
fm_run_rolled_back(void (*fn) (void *), void *arg)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	ErrorData  *edata = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		fn(arg);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		if (edata->elevel >= FATAL)
			PG_RE_THROW();
		FlushErrorState();
	}
	PG_END_TRY();
	/* never keep anything */
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(oldcxt);
	CurrentResourceOwner = oldowner;
	return edata;
}

/* ---------- set-returning functions ---------- */

/*
 * fm_init_materialized_srf
 *		Set up a tuplestore result (portable replacement for
 *		InitMaterializedSRF, which only exists from v15 on).
 */
Tuplestorestate *
fm_init_materialized_srf(FunctionCallInfo fcinfo, TupleDesc *descp)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext oldcxt;
	TupleDesc	desc;
	Tuplestorestate *ts;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("materialize mode required, but it is not allowed in this context")));

	/* the executor's expected row: a RETURNS TABLE row or a scalar SETOF */
	if (rsinfo->expectedDesc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	oldcxt = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	desc = CreateTupleDescCopy(rsinfo->expectedDesc);
	ts = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = ts;
	rsinfo->setDesc = desc;
	MemoryContextSwitchTo(oldcxt);

	if (descp)
		*descp = desc;
	return ts;
}
