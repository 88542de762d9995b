/*-------------------------------------------------------------------------
 *
 * plan.c
 *	  SQL-callable functions that compare the live catalog with schema
 *	  text: ferriorm_plan(), ferriorm_plan_steps() and ferriorm_push().
 *
 * A plan is built in four moves: parse the schema text into the desired
 * model; introspect the managed schemas into the live model; normalize the
 * desired model's text into the form PostgreSQL stores (so that an
 * up-to-date database plans to nothing); diff live -> desired.  Hazardous
 * steps then get figures from the live data.
 *
 * Verification (ferriorm_plan(..., verify => true)) applies the plan in a
 * subtransaction, plans again against the result, and rolls back: the
 * second plan must be empty.
 *
 * src/backend/plan.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "ferriorm.h"
#include "fm_plan_int.h"
#include "security.h"
#include "fm_preserve.h"

PG_FUNCTION_INFO_V1(ferriorm_plan);
PG_FUNCTION_INFO_V1(ferriorm_plan_steps);
PG_FUNCTION_INFO_V1(ferriorm_push);

typedef struct PlanBuild
{
	FmModel    *desired;
	FmModel    *live;
	FmPlan	   *plan;
	FmLiveRels	rels;			/* the tables introspection read */
} PlanBuild;

static bool
list_has(const FmList *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (fm_streq(fm_list_get(l, i, char), s))
			return true;
	return false;
}

/*
 * current_schema_name
 *		The first schema of the search_path that exists (palloc'd): what a
 *		schema text without "schemas" manages.  ERROR (3F000) when there is
 *		none.
 */
static char *
current_schema_name(void)
{
	List	   *path = fetch_search_path(false);
	char	   *name;

	if (path == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_SCHEMA),
				 errmsg("no schema has been selected to manage"),
				 errhint("List the schemas in the datasource's \"schemas\", or set search_path.")));
	name = get_namespace_name(linitial_oid(path));
	list_free(path);
	return name;
}

/*
 * path_managed_schema
 *		The schema of an unqualified standalone sequence name of the text:
 *		that of the relation of that name the search_path finds, if any,
 *		else the first schema of the search_path that the plan manages: where
 *		the default's nextval('name') will find it when the statements run.
 *		ERROR (42P15) when no schema of the path is managed: the plan would
 *		create the sequence where the default does not look.
 */
static char *
path_managed_schema(const FmList *managed, const char *name)
{
	List	   *path = fetch_search_path(false);
	ListCell   *lc;
	StringInfoData names;
	Oid			found = RelnameGetRelid(name);

	/*
	 * a relation of that name the path finds already is what nextval()
	 * will read: its schema, managed or not (an unmanaged one's sequence
	 * is left out of the model: it exists, and is not created)
	 */
	if (OidIsValid(found))
		return get_namespace_name(get_rel_namespace(found));
	initStringInfo(&names);
	foreach(lc, path)
	{
		char	   *nsp = get_namespace_name(lfirst_oid(lc));

		if (nsp != NULL && list_has(managed, nsp))
			return nsp;
		if (nsp != NULL)
			appendStringInfo(&names, "%s%s", names.len ? ", " : "", quote_identifier(nsp));
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_SCHEMA_DEFINITION),
			 errmsg("sequence \"%s\" is named without a schema, and no schema of the search_path is managed",
					name),
			 errdetail("A default reads it with nextval(), which looks an unqualified name up on the search_path (%s) when the statement runs; the plan manages the schemas of the text only.",
					   names.len ? names.data : "empty"),
			 errhint("Name the schema in the default, as in nextval(%s::regclass), or set search_path to a schema the text manages.",
					 quote_literal_cstr(quote_qualified_identifier(fm_list_get(managed, 0, char), name)))));
	return NULL;				/* keep compiler quiet */
}

/*
 * The standalone sequences of the desired model that the plan manages: an
 * unqualified one (nextval('s')) is placed in the first managed schema of
 * the search_path (path_managed_schema); those in a schema that is not
 * managed are left out of the model: they must exist, and are never
 * created nor dropped (introspection does not read them either).
 */
static void
managed_sequences(FmModel *desired, const FmList *managed)
{
	int			keep = 0;

	for (int i = 0; i < desired->sequences.n; i++)
	{
		FmSequence *sq = fm_list_get(&desired->sequences, i, FmSequence);

		if (sq->schema == NULL && managed->n > 0)
			sq->schema = path_managed_schema(managed, sq->name);
		if (sq->schema != NULL && list_has(managed, sq->schema))
			desired->sequences.items[keep++] = sq;
	}
	desired->sequences.n = keep;
}

/*
 * The managed schemas: the datasource's "schemas", plus any schema a model
 * or enum names with @@schema; the current schema when that is none.  The
 * desired model's standalone sequences are then placed (managed_sequences).
 */
void
fm_plan_managed_schemas(FmArena *a, FmModel *desired, FmList *out)
{
	char	   *def = NULL;

	for (int i = 0; i < desired->schemas.n; i++)
		if (!list_has(out, fm_list_get(&desired->schemas, i, char)))
			fm_list_append(a, out, fm_list_get(&desired->schemas, i, char));
	for (int i = 0; i < desired->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&desired->tables, i, FmTable);

		if (t->schema == NULL && def == NULL)
			def = current_schema_name();
	}
	for (int i = 0; i < desired->enums.n; i++)
	{
		FmEnum	   *e = fm_list_get(&desired->enums, i, FmEnum);

		if (e->schema == NULL && def == NULL)
			def = current_schema_name();
	}
	if (def == NULL && desired->schemas.n == 0)
		def = current_schema_name();
	if (def != NULL)
	{
		fm_model_set_default_schema(desired, def);
		if (!list_has(out, def))
			fm_list_append(a, out, fm_strdup(a, def));
	}
	for (int i = 0; i < desired->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&desired->tables, i, FmTable);

		if (!list_has(out, t->schema))
			fm_list_append(a, out, t->schema);
	}
	for (int i = 0; i < desired->enums.n; i++)
	{
		FmEnum	   *e = fm_list_get(&desired->enums, i, FmEnum);

		if (!list_has(out, e->schema))
			fm_list_append(a, out, e->schema);
	}
	managed_sequences(desired, out);
}

/*
 * The search_path of the plan's own work: pg_catalog first, then the
 * caller's schemas in the caller's order, pg_temp last.
 *
 * Introspection deparses with pg_get_expr()/format_type()/pg_get_indexdef(),
 * which qualify what is not visible on the current path, and normalization
 * parses the desired text on the current path: both must run on the same
 * path, or an up-to-date database would stop planning to nothing.  Keeping
 * the caller's schemas (after pg_catalog) keeps the deparsed text of their
 * objects unqualified, as it was, and lets user expressions (CHECKs,
 * defaults, USING casts) find user functions; putting pg_catalog first and
 * pg_temp last keeps look-alikes from shadowing built-ins that the plan's
 * fixed SQL text relies on (that text also names every operator as
 * OPERATOR(pg_catalog.x) and schema-qualifies every function and type, so
 * that no exact-match look-alike can win either).
 *
 * standard_conforming_strings is on too: pg_get_expr() spells string
 * literals by that setting (never with E''), and the core's normalizer
 * reads '...' as standard strings.
 *
 * Returns the GUC nest level to give to AtEOXact_GUC(); an error unwinds it
 * with the (sub)transaction, as for core's security-restricted operations.
 */
char *
fm_plan_safe_path_string(void)
{
	List	   *path = fetch_search_path(false);
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "pg_catalog");
	foreach(lc, path)
	{
		Oid			nsp = lfirst_oid(lc);
		char	   *name;

		if (nsp == PG_CATALOG_NAMESPACE || isAnyTempNamespace(nsp))
			continue;
		name = get_namespace_name(nsp);
		if (name != NULL)
			appendStringInfo(&buf, ", %s", quote_identifier(name));
	}
	appendStringInfoString(&buf, ", pg_temp");
	list_free(path);
	return buf.data;
}

/*
 * The settings that decide how the deparser spells what introspection
 * reads, pinned for every plan, local or remote (shadow.c): literals in
 * the one spelling the core's normalizer reads (standard_conforming_strings
 * on), and dates, times, intervals and floats in one spelling whatever the
 * session's, as pg_dump sets them ('2020-03-04'::date read under DMY and
 * printed as 04/03/2020 means 3 April under MDY); identifiers quoted only
 * where they need it (quote_all_identifiers made format_type() print
 * "text", which no scalar type is, and pg_get_expr() "nextval"(...)), and
 * bytea constants in hex, which the core decodes (bytea_output = escape
 * turned the pulled @default("AQL/") into dbgenerated(E'\\001...')).
 */
const char *const fm_pinned_settings[FM_PINNED_SETTINGS][2] = {
	{"standard_conforming_strings", "on"},
	{"DateStyle", "ISO, MDY"},
	{"IntervalStyle", "postgres"},
	{"extra_float_digits", "3"},
	{"quote_all_identifiers", "off"},
	{"bytea_output", "hex"},
};

/*
 * fm_plan_enter_safe_path
 *		Switch to the safe search_path (fm_plan_safe_path_string) and the
 *		pinned settings (fm_pinned_settings), in a new GUC nest level whose
 *		number is returned for fm_plan_leave_safe_path().  An error in
 *		between undoes both with the (sub)transaction.
 */
int
fm_plan_enter_safe_path(void)
{
	int			nestlevel = fm_plan_enter_safe_search_path();

	for (int i = 0; i < FM_PINNED_SETTINGS; i++)
		(void) set_config_option(fm_pinned_settings[i][0], fm_pinned_settings[i][1],
								 PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	return nestlevel;
}

/*
 * fm_plan_enter_safe_search_path
 *		fm_plan_enter_safe_path for search_path alone, the caller's other
 *		settings kept (the statements a push applies convert data by them,
 *		as when the caller runs the script); leave it the same way.
 */
int
fm_plan_enter_safe_search_path(void)
{
	char	   *path = fm_plan_safe_path_string();
	int			nestlevel;

	nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", path,
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	pfree(path);
	return nestlevel;
}

/* Restore the settings fm_plan_enter_safe_path() changed. */
void
fm_plan_leave_safe_path(int nestlevel)
{
	AtEOXact_GUC(true, nestlevel);
}

/*
 * fm_plan_notice_preserved
 *		A NOTICE naming the edits of the text that the plan ignores because
 *		their model is @preserve'd (fm_model_preserved_differences): a plan
 *		that leaves such a table as it is reads as "up to date" otherwise.
 *		Before fm_model_keep_preserved.
 */
void
fm_plan_notice_preserved(FmArena *a, const FmModel *live, const FmModel *desired)
{
	FmList		diffs = {0};
	int			n = fm_model_preserved_differences(a, live, desired, &diffs);
	StringInfoData buf;

	if (n == 0)
		return;
	initStringInfo(&buf);
	for (int i = 0; i < diffs.n; i++)
		appendStringInfo(&buf, "%s%s", i ? "\n" : "", fm_list_get(&diffs, i, char));
	ereport(NOTICE,
			(errmsg_plural("the plan leaves @preserve'd tables as they are and ignores %d difference from the text",
						   "the plan leaves @preserve'd tables as they are and ignores %d differences from the text",
						   n, n),
			 errdetail_internal("%s", buf.data),
			 errhint("The /// @preserve line of a model says why the text cannot state its table; remove it to plan the model's changes, and what the text cannot state is then dropped or changed.")));
	pfree(buf.data);
}

/* which hazard figures build_plan() computes */
typedef enum PlanFigures
{
	FIGURES_NONE,				/* none (verification's second plan) */
	FIGURES_PLAN,				/* as of the statement's snapshot, no locks */
	FIGURES_PUSH				/* exact: lock what loses data, then count */
} PlanFigures;

/*
 * build_plan
 *		Build the plan of schema text against the live catalog, in arena a
 *		(the text: argument 0 of fcinfo, or schema when fcinfo is NULL):
 *		parse and validate, check the managed schemas (privileges before any
 *		lock), then, on the safe path, introspect them, normalize the desired
 *		model as the server would store it, diff, refuse drops that take
 *		unmanaged descendants, compute the hazard figures asked for, and
 *		check that no table read has gone meanwhile.  Returns the models,
 *		the plan and the tables read; timings go to DEBUG1.
 */
static PlanBuild
build_plan(FmArena *a, FunctionCallInfo fcinfo, text *schema, PlanFigures figures)
{
	PlanBuild	b;
	FmList		schemas = {0};
	int			nestlevel;

	instr_time	t[6];

	INSTR_TIME_SET_CURRENT(t[0]);
	if (fcinfo != NULL)
	{
		/*
		 * The argument's detoasted copy, if any, is freed once the model is
		 * built, before the catalog is read.  (Freeing it as soon as it is
		 * parsed, as ferriorm_diff does, measured higher: glibc then serves
		 * the validator's blocks from its heap, whose holes outlive it.)
		 */
		schema = PG_GETARG_TEXT_PP(0);
		b.desired = fm_backend_parse_schema(a, schema, "schema");
		PG_FREE_IF_COPY(schema, 0);
		schema = NULL;
	}
	else
		b.desired = fm_backend_parse_schema(a, schema, "schema");
	INSTR_TIME_SET_CURRENT(t[1]);
	/* the current schema is the caller's; everything after, on a safe path */
	fm_plan_managed_schemas(a, b.desired, &schemas);
	/* privileges before any lock: refused schemas, USAGE (security.c) */
	fm_check_managed_schemas((char *const *) schemas.items, schemas.n);
	nestlevel = fm_plan_enter_safe_path();
	b.live = fm_introspect(a, &schemas, &b.rels);
	INSTR_TIME_SET_CURRENT(t[2]);
	fm_normalize_for_live(b.desired, b.live, &b.rels);
	fm_plan_notice_preserved(a, b.live, b.desired);
	fm_model_keep_preserved(a, b.live, b.desired);
	fm_model_keep_lineage(a, b.live, b.desired);
	INSTR_TIME_SET_CURRENT(t[3]);
	b.plan = fm_diff(a, b.live, b.desired, &fm_backend_quoting);
	fm_check_table_drops(b.plan, &b.rels);
	INSTR_TIME_SET_CURRENT(t[4]);
	if (figures != FIGURES_NONE)
		fm_fill_hazards(b.plan, b.live, b.desired, figures == FIGURES_PUSH);
	/* after every wait for a lock: no table read is gone (introspect.c) */
	fm_recheck_live_rels(&b.rels);
	fm_plan_leave_safe_path(nestlevel);
	INSTR_TIME_SET_CURRENT(t[5]);
	for (int i = 5; i > 0; i--)
		INSTR_TIME_SUBTRACT(t[i], t[i - 1]);
	elog(DEBUG1, "ferriorm plan: %d tables, %d steps; parse %.1f ms, introspect %.1f ms, normalize %.1f ms, diff %.1f ms, hazards %.1f ms",
		 b.live->tables.n, b.plan->steps.n,
		 INSTR_TIME_GET_MILLISEC(t[1]), INSTR_TIME_GET_MILLISEC(t[2]),
		 INSTR_TIME_GET_MILLISEC(t[3]), INSTR_TIME_GET_MILLISEC(t[4]),
		 INSTR_TIME_GET_MILLISEC(t[5]));
	return b;
}

/* ---------- applying a plan ---------- */

typedef struct ApplyErrCtx
{
	int			stepno;
	const char *ddl;
} ApplyErrCtx;

static void
apply_error_callback(void *arg)
{
	ApplyErrCtx *c = (ApplyErrCtx *) arg;

	errcontext("ferriorm plan step %d: %s", c->stepno, c->ddl);
}

typedef struct StepRun
{
	const char *ddl;
	int			rc;
} StepRun;

static void
step_run(void *arg)
{
	StepRun    *run = arg;

	run->rc = SPI_execute(run->ddl, false, 0);
}

/*
 * Apply every step with SPI, in the caller's transaction.  *curstep (if
 * given) is the number of the step being run, and 0 once all have run: if
 * an error escapes with it non-zero, that step raised it.  With retry (push)
 * each step runs with lock_timeout = ferriorm.lock_timeout, and is retried
 * in a subtransaction when it fails on it (fm_run_with_lock_retry).
 *
 * The steps run on the search_path the plan was built on
 * (fm_plan_enter_safe_search_path; the caller's other settings, by which
 * the statements convert data, are kept): the names in the text's expressions (CHECKs,
 * defaults, USING casts) then resolve as normalization and the hazard
 * figures resolved them, and a caller's path that puts a schema others can
 * write before pg_catalog cannot swap in a look-alike of a built-in between
 * the plan shown and the statements run.  Every name the plan renders
 * itself is qualified, but for CREATE EXTENSION without a schema, which
 * creates the extension in the first schema of the path (or where its
 * control file says): that step runs on the caller's own path, as a
 * script run by the caller would (the extension's script then runs on a
 * path of its own schema).
 */
static void
apply_plan(const FmPlan *plan, Tuplestorestate *ts, TupleDesc desc,
		   volatile int *curstep, bool retry)
{
	ErrorContextCallback cb;
	ApplyErrCtx ectx;
	int			pathlevel;
	char	   *caller_path;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	caller_path = pstrdup(namespace_search_path);
	pathlevel = fm_plan_enter_safe_search_path();
	cb.callback = apply_error_callback;
	cb.arg = &ectx;
	cb.previous = error_context_stack;
	error_context_stack = &cb;
	for (int i = 0; i < plan->steps.n; i++)
	{
		FmStep	   *s = fm_list_get(&plan->steps, i, FmStep);
		int			rc;

		CHECK_FOR_INTERRUPTS();
		ectx.stepno = i + 1;
		ectx.ddl = s->ddl;
		if (curstep != NULL)
			*curstep = i + 1;
		if (s->phase == FM_PHASE_CREATE_EXTENSION)
		{
			int			extlevel = NewGUCNestLevel();

			(void) set_config_option("search_path", caller_path,
									 PGC_USERSET, PGC_S_SESSION,
									 GUC_ACTION_SAVE, true, 0, false);
			rc = SPI_execute(s->ddl, false, 0);
			AtEOXact_GUC(true, extlevel);
		}
		else if (retry)
		{
			StepRun		run = {s->ddl, 0};
			int			nestlevel = NewGUCNestLevel();

			(void) set_config_option("lock_timeout",
									 psprintf("%d", fm_lock_timeout_ms),
									 PGC_USERSET, PGC_S_SESSION,
									 GUC_ACTION_SAVE, true, 0, false);
			fm_run_with_lock_retry(step_run, &run);
			AtEOXact_GUC(true, nestlevel);
			rc = run.rc;
		}
		else
			rc = SPI_execute(s->ddl, false, 0);
		if (rc < 0)
			elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
		if (ts != NULL)
		{
			Datum		v[1];
			bool		n[1] = {false};

			v[0] = CStringGetTextDatum(s->ddl);
			tuplestore_putvalues(ts, desc, v, n);
		}
	}
	if (curstep != NULL)
		*curstep = 0;
	error_context_stack = cb.previous;
	fm_plan_leave_safe_path(pathlevel);
	SPI_finish();
}

/*
 * The DDL of the first max steps of plan, one a line, and how many more.
 */
static char *
steps_text(const FmPlan *plan, int max)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < plan->steps.n && i < max; i++)
	{
		FmStep	   *s = fm_list_get(&plan->steps, i, FmStep);

		appendStringInfo(&buf, "%s%s", i ? "\n" : "", s->ddl);
	}
	if (plan->steps.n > max)
		appendStringInfo(&buf, "\n... and %d more", plan->steps.n - max);
	return buf.data;
}

/*
 * An error raised by a step while verifying: is it the plan's fault (the
 * step does not apply: wrapped as 42P15, naming the step), or the
 * session's or the server's (a lock or statement timeout, a deadlock or
 * serialization failure, a cancel, out of memory, I/O, corruption, an
 * internal error, a read-only transaction: raised unchanged)?
 */
static bool
step_error_is_plans(int sqlerrcode)
{
	switch (ERRCODE_TO_CATEGORY(sqlerrcode))
	{
		case ERRCODE_CONNECTION_EXCEPTION:
		case ERRCODE_INVALID_TRANSACTION_STATE:
		case ERRCODE_TRANSACTION_ROLLBACK:
		case ERRCODE_INSUFFICIENT_RESOURCES:
		case ERRCODE_OPERATOR_INTERVENTION:
		case ERRCODE_SYSTEM_ERROR:
		case ERRCODE_SNAPSHOT_TOO_OLD:
		case ERRCODE_CONFIG_FILE_ERROR:
		case ERRCODE_INTERNAL_ERROR:
			return false;
		default:
			break;
	}
	return sqlerrcode != ERRCODE_LOCK_NOT_AVAILABLE &&
		sqlerrcode != ERRCODE_STATEMENT_TOO_COMPLEX;
}

/* what verify_plan's subtransaction reports */
typedef struct VerifyWork
{
	FmArena    *a;
	text	   *schema;
	const FmPlan *plan;
	FmPlan	   *residual;
	volatile int curstep;
} VerifyWork;

static void
verify_body(void *arg)
{
	VerifyWork *vw = arg;
	PlanBuild	again;

	apply_plan(vw->plan, NULL, NULL, &vw->curstep, false);
	again = build_plan(vw->a, NULL, vw->schema, FIGURES_NONE);
	vw->residual = again.plan;
}

/*
 * Apply in a subtransaction, plan again, roll back; ERROR unless the second
 * plan is empty.  An error of one of the plan's steps becomes 42P15 naming
 * the step; any other error (while re-planning, or one that is not about
 * the step: see step_error_is_plans()) is raised as it is.
 */
static void
verify_plan(FmArena *a, text *schema, const FmPlan *plan)
{
	VerifyWork	vw;
	FmPlan	   *residual;
	ErrorData  *edata;
	int			curstep;

	vw.a = a;
	vw.schema = schema;
	vw.plan = plan;
	vw.residual = NULL;
	vw.curstep = 0;
	edata = fm_run_rolled_back(verify_body, &vw);
	residual = vw.residual;
	curstep = vw.curstep;

	if (edata != NULL)
	{
		const FmStep *s;

		if (curstep <= 0 || curstep > plan->steps.n ||
			!step_error_is_plans(edata->sqlerrcode))
			fm_rethrow(edata);
		s = fm_list_get(&plan->steps, curstep - 1, FmStep);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_SCHEMA_DEFINITION),
				 errmsg("plan verification failed: step %d of the plan does not apply: %s",
						curstep, edata->message),
				 edata->detail
				 ? errdetail("Step %d is: %s\nIt failed with SQLSTATE %s: %s",
							 curstep, s->ddl,
							 unpack_sql_state(edata->sqlerrcode), edata->detail)
				 : errdetail("Step %d is: %s\nIt failed with SQLSTATE %s.",
							 curstep, s->ddl,
							 unpack_sql_state(edata->sqlerrcode)),
				 errhint("The plan was rolled back; nothing was changed."),
				 edata->context ? errcontext("%s", edata->context) : 0));
	}
	if (residual != NULL && residual->steps.n > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_SCHEMA_DEFINITION),
				 errmsg_plural("plan verification failed: %d residual step after applying the plan",
							   "plan verification failed: %d residual steps after applying the plan",
							   residual->steps.n, residual->steps.n),
				 errdetail("Residual steps:\n%s", steps_text(residual, 20)),
				 errhint("The plan was rolled back; nothing was changed.")));
}

/* ---------- SQL-callable functions ---------- */


/*
 * ferriorm_plan
 *		SQL: ferriorm_plan(schema, verify, online) returns the script of
 *		the plan (NULL for a NULL schema), with lock comments; verify
 *		applies it in a subtransaction first, online rewrites it into its
 *		low-lock form (the two cannot be combined).
 */
Datum
ferriorm_plan(PG_FUNCTION_ARGS)
{
	FmArena    *a;
	PlanBuild	b;
	bool		verify;
	bool		online;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	fm_check_schema_arg(fcinfo, 0, "schema");
	verify = PG_ARGISNULL(1) ? false : PG_GETARG_BOOL(1);
	online = PG_NARGS() > 2 && !PG_ARGISNULL(2) && PG_GETARG_BOOL(2);
	if (verify && online)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("verify => true cannot be combined with online => true"),
				 errdetail("An online plan has statements that cannot run in a transaction block, and verification applies the plan in a subtransaction."),
				 errhint("Verify the plain plan: the online plan reaches the same catalog.")));
	if (verify)
		fm_require_primary("ferriorm_plan(..., verify => true)");
	a = fm_backend_arena();
	b = build_plan(a, fcinfo, NULL, FIGURES_PLAN);
	if (verify)
		verify_plan(a, PG_GETARG_TEXT_PP(0), b.plan);
	if (online)
		fm_plan_online(b.plan, &fm_backend_quoting, fm_lock_timeout_ms);
	b.plan->lock_comments = true;
	PG_RETURN_TEXT_P(cstring_to_text(fm_plan_to_script(a, b.plan)));
}

/*
 * ferriorm_plan_steps
 *		SQL: the steps of the plan of schema (in its online form when the
 *		second argument is true) as rows: number, action, object,
 *		statement, hazard and its figures, the lock it takes and on what.
 */
Datum
ferriorm_plan_steps(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FmArena    *a;
	PlanBuild	b;

	fm_init_materialized_srf(fcinfo, NULL);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	fm_check_schema_arg(fcinfo, 0, "schema");
	a = fm_backend_arena();
	b = build_plan(a, fcinfo, NULL, FIGURES_PLAN);
	if (PG_NARGS() > 1 && !PG_ARGISNULL(1) && PG_GETARG_BOOL(1))
		fm_plan_online(b.plan, &fm_backend_quoting, fm_lock_timeout_ms);
	for (int i = 0; i < b.plan->steps.n; i++)
	{
		FmStep	   *s = fm_list_get(&b.plan->steps, i, FmStep);
		const FmStepFacts *f = fm_step_facts(s->kind);
		char	   *lock = fm_step_lock_text(a, s);
		char	   *table = fm_step_table_sentence(s, &b.rels);
		char	   *detail = NULL;
		Datum		v[9];
		bool		n[9] = {false, false, false, false, false, false,
		false, false, false};

		CHECK_FOR_INTERRUPTS();
		v[0] = Int32GetDatum(i + 1);
		v[1] = CStringGetTextDatum(s->action ? s->action : "");
		v[2] = CStringGetTextDatum(s->object ? s->object : "");
		v[3] = CStringGetTextDatum(s->ddl ? s->ddl : "");
		if (s->hazard != FM_HAZARD_NONE)
		{
			v[4] = CStringGetTextDatum(fm_hazard_name(s->hazard));
			if (s->hazard_detail != NULL && s->hazard_detail[0] != '\0')
				detail = s->hazard_detail;
		}
		else
			n[4] = true;
		/* a possible rename: its hint, as the detail or after it */
		if (s->rename_hint != NULL)
			detail = detail ? psprintf("%s %s", detail, s->rename_hint) :
				(char *) s->rename_hint;
		if (table != NULL)
			detail = detail ? psprintf("%s %s", detail, table) : table;
		if (s->online_note != NULL)
			detail = psprintf("%s%sOnline: %s.", detail ? detail : "",
							  detail ? " " : "", s->online_note);
		if (detail != NULL)
			v[5] = CStringGetTextDatum(detail);
		else
			n[5] = true;
		if (lock != NULL)
			v[6] = CStringGetTextDatum(lock);
		else
			n[6] = true;
		v[7] = BoolGetDatum(f->rewrite);
		v[8] = BoolGetDatum(f->scan);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	return (Datum) 0;
}

/*
 * ferriorm_push
 *		SQL: plan schema with exact figures (locking what may lose data)
 *		and apply it in the caller's transaction, returning the steps
 *		applied.  ERROR (55000) when the figures show that a step will
 *		fail on the live rows, and when a step would lose data, unless
 *		allow_data_loss; nothing is applied then.
 */
Datum
ferriorm_push(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FmArena    *a;
	PlanBuild	b;
	bool		allow;
	StringInfoData losses;
	int			nloss = 0;

	fm_init_materialized_srf(fcinfo, NULL);
	fm_refuse_in_migration("ferriorm_push()");
	fm_require_primary("ferriorm_push()");
	/* no rows would read as "nothing to change" */
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("schema text must not be null")));
	fm_check_schema_arg(fcinfo, 0, "schema");
	allow = PG_ARGISNULL(1) ? false : PG_GETARG_BOOL(1);
	a = fm_backend_arena();
	b = build_plan(a, fcinfo, NULL, FIGURES_PUSH);

	/* what would fail anyway, whatever allow_data_loss says */
	initStringInfo(&losses);
	nloss = fm_list_steps(b.plan, FM_STEPS_FAILING, &losses);
	if (nloss > 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg_plural("%d step of the plan will fail on the rows of this database",
							   "%d steps of the plan will fail on the rows of this database",
							   nloss, nloss),
				 errdetail_internal("%s", losses.data),
				 errhint("Nothing was applied. Make the rows fit first (for example, fill the NULL rows, remove the duplicates or move the rows that lie outside a partition bound), or change the schema (for example, give the new column a default).")));

	resetStringInfo(&losses);
	nloss = fm_list_steps(b.plan, FM_STEPS_LOSING, &losses);
	if (nloss > 0 && !allow)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg_plural("plan would lose data in %d step",
							   "plan would lose data in %d steps",
							   nloss, nloss),
				 errdetail_internal("%s", losses.data),
				 errhint("Review the plan with ferriorm_plan_steps(); call ferriorm_push(schema, allow_data_loss => true) to apply it anyway.")));

	apply_plan(b.plan, rsinfo->setResult, rsinfo->setDesc, NULL, true);
	return (Datum) 0;
}
