/*-------------------------------------------------------------------------
 *
 * hazards.c
 *	  Figures from live data for the hazardous steps of a plan.
 *
 * The diff marks every step that can lose data, fail on existing rows or
 * rewrite a table with a hazard kind and the object it concerns; here we
 * count, in the live database and at plan time, what that step would do:
 * rows of a table to be dropped, non-null values of a column to be dropped,
 * NULL rows before SET NOT NULL, duplicate groups before a new unique key,
 * values that do not survive a type change, rows of a table getting a
 * required column without default, rows using an enum value to be removed,
 * rows violating a new CHECK, orphans before a new foreign key.
 *
 * Names are quoted with quote_identifier() (they cannot be parameters);
 * values are always parameters.  The fixed text of the queries names every
 * function and type with its schema and every operator as
 * OPERATOR(schema.name) (pg_catalog's, or the equality operator of the
 * column's type), so that no look-alike on the caller's search_path is
 * ever called.  The steps come from the diff as data (table, column, old
 * and new type, USING expression, CHECK expression, key elements and
 * predicate: see the conventions in core/diff.c); nothing here reads the
 * rendered DDL.
 *
 * Who runs what (docs/security.md, "Hazard figures"): a figure is computed
 * only when the caller holds the privileges of the table's owner (who
 * alone may apply the step); it then runs as that owner, inside a
 * security-restricted operation, on a safe search_path and with row
 * security off (fm_run_as_owner()).  Every query is first parsed on the
 * plan's path (as the owner, restricted: parse analysis runs the input
 * functions of literals, and those of arrays of a domain check it), and
 * deparsed fully qualified
 * (fm_deparse_on_safe_path()), so that the user's own expressions (a new
 * CHECK, a USING clause) mean what they will mean when the plan is
 * applied, without any name being looked up again on a writable path.
 * Policies, CHECK and domain constraints, casts and functions that belong
 * to the table's owner therefore never run with the caller's privileges.
 * Where the privileges or row security prevent an exact figure (the caller
 * is not the owner, FORCE ROW LEVEL SECURITY, the owner cannot read what
 * the figure needs), the figure is "unknown", the detail says why, and a
 * step that may lose data keeps that mark.
 *
 * For ferriorm_push() (fm_fill_hazards(..., push = true)), every table a
 * step that may lose data changes is locked, after the privilege check and
 * before its figure is computed, in ACCESS EXCLUSIVE mode (what DROP TABLE,
 * DROP COLUMN and ALTER COLUMN TYPE take), with everything inheriting from
 * it, honouring lock_timeout; the figure then reads a snapshot taken after
 * the lock was granted, so no row committed before the DDL runs goes
 * uncounted.  Under REPEATABLE READ or SERIALIZABLE the transaction's
 * snapshot predates that lock, so such figures are unknown there.
 *
 * Every query runs in its own
 * subtransaction: a figure that cannot be computed (an expression that
 * refers to a column the plan has yet to add, say) leaves the core's
 * generic sentence in place instead of failing the plan.  Only errors of
 * the query's text and data, and those raised by evaluating the user's
 * functions and constraints, are handled so (fm_error_is_soft()); lock and
 * statement timeouts, cancels, deadlocks, serialization failures, resource,
 * I/O and internal errors fail the plan with their own SQLSTATE.
 *
 * A step that the diff marks as losing data is cleared of that mark when
 * the figures show that nothing would be lost (dropping an empty table, a
 * column holding only NULLs, an enum value no row uses), so that
 * ferriorm_push() only refuses what really loses data.
 *
 * The work is split by phase, as pgvector splits its index: this file is
 * the driver (which steps get figures, guarding each table, the hazard
 * budget, running each step in a subtransaction); hazards_query.c runs a
 * figure's query as the owner and holds the small helpers; hazards_exact.c
 * counts exactly; hazards_estimate.c estimates past the budget.  They
 * share the per-step HazCtx of hazards_int.h.
 *
 * src/backend/hazards.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "fm_plan_int.h"
#include "hazards_int.h"
#include "security.h"

/* why a figure must lock a table (security.c's privilege errors) */
const char *const fm_haz_figure_why =
"A hazard figure counts rows of the table.";

/* the rate at which exact figures read a table, refined as they run */
static double fm_ms_per_block = 0.05;

/* ---------- guarding a table: privileges, locks, row security ---------- */

/*
 * fm_haz_guard_table
 *		May figures of table schema.name be computed, and as whom?
 *
 * Returns NULL when they may, with *owner set to the role they run as;
 * otherwise a sentence fragment saying why the figures are unknown.  The
 * privilege check (the caller must hold the privileges of the table's
 * owner, as applying the step requires) comes before any lock.  With lock
 * (push, for a step that may lose data) the table and everything
 * inheriting from it are then locked in ACCESS EXCLUSIVE mode, the mode of
 * the step's DDL, until the end of the transaction; a table dropped or
 * renamed while we waited is an error.  Row security forced on the table
 * makes its figures unknown: with row_security off, the owner's own query
 * would fail.
 */
char *
fm_haz_guard_table(const char *schema, const char *name, bool lock, Oid *owner)
{
	Oid			nsp = schema ? get_namespace_oid(schema, true) : InvalidOid;
	Oid			relid;
	HeapTuple	tup;
	Form_pg_class cls;
	bool		forced;

	if (!OidIsValid(nsp))
		return pstrdup("its schema no longer exists");
	if (pg_namespace_aclcheck(nsp, GetUserId(), ACL_USAGE) != ACLCHECK_OK)
		return psprintf("you have no USAGE privilege on schema %s",
						quote_identifier(schema));
	relid = get_relname_relid(name, nsp);
	if (!OidIsValid(relid))
		return pstrdup("it no longer exists");
	for (;;)
	{
		tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
		if (!HeapTupleIsValid(tup))
			return pstrdup("it no longer exists");
		cls = (Form_pg_class) GETSTRUCT(tup);
		*owner = cls->relowner;
		forced = cls->relrowsecurity && cls->relforcerowsecurity;
		ReleaseSysCache(tup);

		if (!has_privs_of_role(GetUserId(), *owner))
			return psprintf("only roles with the privileges of its owner, %s, may compute them",
							quote_identifier(GetUserNameFromId(*owner, false)));
		if (!lock)
			break;
		/* privileges checked: now wait for the lock the DDL will take */
		LockRelationOid(relid, AccessExclusiveLock);
		if (get_relname_relid(name, nsp) != relid)
			fm_report_vanished_table(schema, name);
		(void) find_all_inheritors(relid, AccessExclusiveLock, NULL);
		lock = false;			/* owner or row security may have changed: look again */
	}
	if (forced)
		return pstrdup("row-level security is forced on it (FORCE ROW LEVEL SECURITY), so not even its owner can count every row");
	return NULL;
}

/* "figures for <what> are unknown: <reason>." and what push and dev make of it */
static char *
unknown_detail(const FmStep *s, const char *what, const char *reason)
{
	return psprintf("figures for %s are unknown: %s.%s", what, reason,
					s->data_loss ? " ferriorm_push() and ferriorm_dev() treat the step as losing data." : "");
}

/*
 * Exact figures while they fit ferriorm.hazard_budget: a table whose
 * reading would take longer than what is left of the budget (at the rate
 * the figures so far have read) gets estimates instead.  A budget of 0
 * estimates everything; -1 counts everything; tables under 1 MB are
 * always counted.
 */
static bool
over_budget(HazCtx *cx, double spent_ms)
{
	int			scans;

	/* what push would lose is always counted, under its lock */
	if (fm_hazard_budget_ms < 0 || (cx->push && cx->step->data_loss))
		return false;
	if (fm_hazard_budget_ms == 0)
		return true;
	/* reading a table of under 1 MB costs next to nothing */
	if (cx->blocks < FM_SMALL_TABLE_BLOCKS)
		return false;
	/* exclusion conflicts compare rows pairwise: only small tables */
	if (cx->step->hazard == FM_HAZARD_ADD_EXCLUSION)
		return true;
	if (spent_ms >= fm_hazard_budget_ms)
		return true;
	/* a type change and a foreign key read the table twice */
	scans = (cx->step->hazard == FM_HAZARD_ALTER_TYPE ||
			 cx->step->hazard == FM_HAZARD_ADD_FOREIGN_KEY) ? 2 : 1;
	return scans * cx->blocks * fm_ms_per_block > fm_hazard_budget_ms - spent_ms;
}

/* the table's size in blocks, as the lock it takes lets us read it */
static int64
table_blocks(HazCtx *cx)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	values[0] = CStringGetTextDatum(cx->qtable);
	return fm_haz_count_query(cx, psprintf("SELECT pg_catalog.pg_relation_size($1::pg_catalog.regclass) "
								"OPERATOR(pg_catalog./) %d", BLCKSZ),
					   1, argtypes, values);
}

/*
 * Removing enum labels rewrites every column of the enum (the recreation
 * sequence converts each with ALTER COLUMN TYPE): each table is guarded
 * (and, for push, locked) as the step's own table would be, and each
 * count runs as that table's owner.  One table whose figures are unknown
 * makes the step's figures unknown: the reason is returned, else NULL.
 */
static char *
guard_enum_tables(HazCtx *cx, bool lock)
{
	int			ncols;

	cx->enum_cols = fm_haz_enum_columns(cx->live, cx->step->hazard_schema,
								 cx->step->hazard_table);
	ncols = list_length(cx->enum_cols) / 2;
	cx->enum_owners = palloc0(sizeof(Oid) * (ncols + 1));
	for (int k = 0; k < ncols; k++)
	{
		const FmTable *t = (const FmTable *) list_nth(cx->enum_cols, 2 * k);
		char	   *why = fm_haz_guard_table(t->schema, t->name, lock, &cx->enum_owners[k]);

		if (why != NULL)
			return psprintf("it is used by table %s, and for that table %s",
							fm_haz_qname(t->schema, t->name), why);
	}
	return NULL;
}

/* ---------- driver ---------- */

/*
 * Privileges before locks: a figure queries the table (and takes its
 * lock) only if the caller may lock it (security.c); otherwise the 42501
 * raised here is soft, and the figure stays unknown.
 */
static void
run_step(void *arg)
{
	HazCtx	   *cx = (HazCtx *) arg;

	if (cx->ltable != NULL)
	{
		fm_require_lock_rights_named(cx->ltable->schema, cx->ltable->name,
									 AccessShareLock, fm_haz_figure_why);
		cx->blocks = table_blocks(cx);
	}
	/* a renamed column's figures read a subquery, which cannot be sampled */
	cx->estimate = !cx->renamed && over_budget(cx, cx->spent_ms);
	if (cx->estimate)
	{
		switch (cx->step->hazard)
		{
			case FM_HAZARD_DROP_TABLE:
				fm_haz_est_drop_table(cx);
				return;
			case FM_HAZARD_DROP_COLUMN:
				fm_haz_est_column_nulls(cx, false);
				return;
			case FM_HAZARD_SET_NOT_NULL:
				if (fm_haz_live_has_column(cx->ltable, cx->step->hazard_column))
					fm_haz_est_column_nulls(cx, true);
				return;
			case FM_HAZARD_ADD_UNIQUE:
				fm_haz_est_add_unique(cx);
				return;
			case FM_HAZARD_ALTER_TYPE:
				fm_haz_est_alter_type(cx);
				return;
			case FM_HAZARD_ADD_REQUIRED_COLUMN:
				fm_haz_est_add_required_column(cx);
				return;
			case FM_HAZARD_ADD_CHECK:
				fm_haz_est_add_check(cx);
				return;
			case FM_HAZARD_DETACH_PARTITION:
			case FM_HAZARD_ATTACH_PARTITION:
				return;			/* past the budget: the core's sentence */
			case FM_HAZARD_ADD_EXCLUSION:
				fm_haz_est_add_exclusion(cx);
				return;
			default:
				/* enums and foreign keys: counted, as below */
				break;
		}
	}
	switch (cx->step->hazard)
	{
		case FM_HAZARD_DROP_TABLE:
			fm_haz_drop_table(cx);
			break;
		case FM_HAZARD_DROP_COLUMN:
			fm_haz_drop_column(cx);
			break;
		case FM_HAZARD_SET_NOT_NULL:
			fm_haz_set_not_null(cx);
			break;
		case FM_HAZARD_ADD_UNIQUE:
			fm_haz_add_unique(cx);
			break;
		case FM_HAZARD_ALTER_TYPE:
			fm_haz_alter_type(cx);
			break;
		case FM_HAZARD_ADD_REQUIRED_COLUMN:
			fm_haz_add_required_column(cx);
			break;
		case FM_HAZARD_DROP_ENUM_VALUE:
			fm_haz_drop_enum_value(cx);
			break;
		case FM_HAZARD_DROP_ENUM:
			fm_haz_drop_enum(cx);
			break;
		case FM_HAZARD_ADD_CHECK:
			fm_haz_add_check(cx);
			break;
		case FM_HAZARD_ADD_FOREIGN_KEY:
			fm_haz_add_foreign_key(cx);
			break;
		case FM_HAZARD_REWRITE_TABLE:
			fm_haz_rewrite_table(cx);
			break;
		case FM_HAZARD_SWITCH_IDENTITY:
			fm_haz_switch_identity(cx);
			break;
		case FM_HAZARD_DETACH_PARTITION:
		case FM_HAZARD_ATTACH_PARTITION:
			fm_haz_partition(cx);
			break;
		case FM_HAZARD_ADD_EXCLUSION:
			fm_haz_add_exclusion(cx);
			break;
		case FM_HAZARD_POSSIBLE_RENAME:
		case FM_HAZARD_NONE:
			break;
	}
}

/* fm_haz_alter_type_probe as a callback of fm_run_protected_ex. */
static void
run_alter_type_probe(void *arg)
{
	fm_haz_alter_type_probe((HazCtx *) arg);
}

/*
 * fm_haz_views_on
 *		The views (and rules) that read column column of table schema.table,
 *		which no plan manages, appended to out as qualified names separated
 *		by ", "; how many.  PostgreSQL refuses to drop such a column or
 *		change its type.  A catalog query, read as the caller.
 */
int
fm_haz_views_on(const char *schema, const char *table, const char *column,
				StringInfo out)
{
	Oid			relid = fm_haz_table_oid(schema, table);
	AttrNumber	att;
	Oid			argtypes[2] = {OIDOID, INT2OID};
	Datum		args[2];
	int			n;

	if (!OidIsValid(relid) || column == NULL ||
		(att = get_attnum(relid, column)) == InvalidAttrNumber)
		return 0;
	args[0] = ObjectIdGetDatum(relid);
	args[1] = Int16GetDatum(att);
	if (SPI_execute_with_args(
		"SELECT DISTINCT n.nspname::pg_catalog.text, c.relname::pg_catalog.text "
		"FROM pg_catalog.pg_depend d "
		"JOIN pg_catalog.pg_rewrite r ON r.oid OPERATOR(pg_catalog.=) d.objid "
		"JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) r.ev_class "
		"JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
		"WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass "
		"AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass "
		"AND d.refobjid OPERATOR(pg_catalog.=) $1 AND d.refobjsubid OPERATOR(pg_catalog.=) $2 "
		"AND r.ev_class OPERATOR(pg_catalog.<>) $1 ORDER BY 1, 2",
		2, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		return 0;
	for (uint64 i = 0; i < SPI_processed; i++)
		appendStringInfo(out, "%s%s", out->len ? ", " : "",
						 fm_haz_qname(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1),
									  SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2)));
	n = (int) SPI_processed;
	SPI_freetuptable(SPI_tuptable);
	return n;
}

/*
 * views_on_column
 *		DROP_COLUMN, ALTER_TYPE: the views that read the step's column
 *		(fm_haz_views_on), named in the detail, and the step marked
 *		failing, so that push refuses it up front (it failed part-way).
 */
static void
views_on_column(HazCtx *cx)
{
	const FmStep *s = cx->step;
	StringInfoData buf;
	int			n;

	initStringInfo(&buf);
	n = fm_haz_views_on(s->hazard_schema, s->hazard_table, s->hazard_column, &buf);
	if (n == 0)
		return;
	cx->detail = psprintf("%s %s %s %s the column, which no plan changes: %s will fail.",
						  cx->detail, n == 1 ? "View" : "Views", buf.data,
						  n == 1 ? "reads" : "read",
						  s->hazard == FM_HAZARD_DROP_COLUMN ? "dropping it" : "changing its type");
	cx->fails = true;
}

/*
 * Figures for one step whose table (if any) has been guarded: run the
 * step's queries in a subtransaction; when they fail, say why the figure
 * is unknown if privileges are the reason (the owner may not read what the
 * figure needs, or row security stands in the way), else leave the core's
 * generic sentence.
 */
static void
fill_step(HazCtx *cx)
{
	int			code = 0;
	char	   *message = NULL;
	bool		ok;

	instr_time	t0;
	instr_time	t1;

	INSTR_TIME_SET_CURRENT(t0);
	ok = fm_run_protected_ex(run_step, cx, true, &code, &message);
	if (!ok && code != ERRCODE_INSUFFICIENT_PRIVILEGE &&
		cx->step->hazard == FM_HAZARD_ALTER_TYPE && cx->estimate)
	{
		/* a sampled value failed to convert at all */
		cx->detail = psprintf("some values of column %s of table %s cannot be converted to %s (%s).",
							  quote_identifier(cx->step->hazard_column ? cx->step->hazard_column : ""),
							  cx->qtable, cx->step->hazard_extra ? cx->step->hazard_extra : "the new type",
							  fm_haz_sample_method());
		ok = true;
	}
	else if (!ok && code != ERRCODE_INSUFFICIENT_PRIVILEGE &&
			 cx->step->hazard == FM_HAZARD_ALTER_TYPE)
		ok = fm_run_protected_ex(run_alter_type_probe, cx, true, &code, &message);
	/* the rate at which exact figures read, for the next ones */
	INSTR_TIME_SET_CURRENT(t1);
	INSTR_TIME_SUBTRACT(t1, t0);
	if (ok && !cx->estimate && cx->blocks >= FM_SMALL_TABLE_BLOCKS)
		fm_ms_per_block = Max(0.001, INSTR_TIME_GET_MILLISEC(t1) / cx->blocks);
	if (!ok && code == ERRCODE_INSUFFICIENT_PRIVILEGE)
	{
		cx->detail = unknown_detail(cx->step, psprintf("table %s", cx->qtable),
									psprintf("computing them as its owner, %s, failed: %s",
											 quote_identifier(GetUserNameFromId(cx->owner, false)),
											 message));
		cx->no_loss = false;
		ok = true;
	}
	if (ok && cx->detail != NULL &&
		(cx->step->hazard == FM_HAZARD_DROP_COLUMN ||
		 cx->step->hazard == FM_HAZARD_ALTER_TYPE))
		views_on_column(cx);
	if (ok && cx->detail != NULL)
	{
		cx->step->hazard_detail = fm_strdup(cx->plan->arena, cx->detail);
		cx->step->hazard_fails = cx->fails;
		if (cx->no_loss)
			cx->step->data_loss = false;
	}
}

/*
 * fm_list_steps
 *		See fm_plan_int.h.
 */
int
fm_list_steps(const FmPlan *plan, FmStepList which, StringInfo out)
{
	int			n = 0;

	for (int i = 0; i < plan->steps.n; i++)
	{
		FmStep	   *s = fm_list_get(&plan->steps, i, FmStep);
		bool		listed = (which == FM_STEPS_FAILING) ? s->hazard_fails : s->data_loss;

		if (!listed)
			continue;
		n++;
		appendStringInfo(out, "%sstep %d (%s): %s", out->len ? "\n" : "",
						 i + 1, fm_hazard_name(s->hazard),
						 s->hazard_detail && s->hazard_detail[0] ? s->hazard_detail : s->ddl);
	}
	return n;
}

/*
 * live_named_step
 *		The step s as its figures read it: the rows are counted before any
 *		step runs, so on the live names of the table and column a plan
 *		renames (@renamed, desired's renamed_from), which s names by their
 *		new names.  A copy in plan's arena when a name differs, else s.  A
 *		figure whose other text (a CHECK, key elements, a USING cast) names
 *		a renamed column fails on the live table: it is reported as not
 *		computed (fill_step runs figures protected), as before.
 */
static FmStep *
live_named_step(FmPlan *plan, const FmModel *live, const FmModel *desired,
				FmStep *s)
{
	const FmTable *dt = fm_haz_find_table(desired, s->hazard_schema, s->hazard_table);
	const FmTable *lt = fm_haz_find_table(live, s->hazard_schema, s->hazard_table);
	const char *table = s->hazard_table;
	const char *column = s->hazard_column;
	FmStep	   *copy;

	if (dt == NULL)
		return s;
	if (lt == NULL && dt->renamed_from != NULL)
	{
		table = dt->renamed_from;
		lt = fm_haz_find_table(live, s->hazard_schema, table);
	}
	if (lt != NULL && column != NULL && !fm_haz_live_has_column(lt, column))
	{
		const FmColumn *dc = fm_table_find_column(dt, column);

		if (dc != NULL && FM_COL_MORE(dc)->renamed_from != NULL)
			column = FM_COL_MORE(dc)->renamed_from;
	}
	if (table == s->hazard_table && column == s->hazard_column)
		return s;
	copy = fm_alloc(plan->arena, sizeof(FmStep));
	*copy = *s;
	copy->hazard_table = (char *) table;
	copy->hazard_column = (char *) column;
	return copy;
}

/*
 * fm_fill_hazards
 *		See fm_plan_int.h.  Steps are handled in plan order; for push, each
 *		step that may lose data locks its table(s) before its figures are
 *		computed (see fm_haz_guard_table()), and the figures read a snapshot taken
 *		after the lock.
 */
void
fm_fill_hazards(FmPlan *plan, const FmModel *live, const FmModel *desired,
				bool push)
{
	bool		connected = false;
	MemoryContext stepcxt = NULL;
	instr_time	start;

	INSTR_TIME_SET_CURRENT(start);

	for (int i = 0; i < plan->steps.n; i++)
	{
		FmStep	   *s = fm_list_get(&plan->steps, i, FmStep);
		HazCtx		cx;
		bool		is_enum_step;
		bool		exact = push && s->data_loss;
		MemoryContext oldcxt;
		char	   *why = NULL;

		if (s->hazard == FM_HAZARD_NONE)
			continue;
		CHECK_FOR_INTERRUPTS();
		if (!connected)
		{
			if (SPI_connect() != SPI_OK_CONNECT)
				elog(ERROR, "SPI_connect failed");
			connected = true;
			/* what one step's figures need, freed after each step */
			stepcxt = AllocSetContextCreate(CurrentMemoryContext,
											"ferriorm hazard step",
											ALLOCSET_DEFAULT_SIZES);
		}
		memset(&cx, 0, sizeof(cx));
		cx.plan = plan;
		cx.live = live;
		cx.desired = desired;
		cx.step = s;
		cx.dtable = s->hazard_table;
		cx.dcolumn = s->hazard_column;
		cx.push = push;
		is_enum_step = (s->hazard == FM_HAZARD_DROP_ENUM ||
						s->hazard == FM_HAZARD_DROP_ENUM_VALUE);
		if (s->hazard_table == NULL)
			continue;
		if (!is_enum_step)
		{
			cx.step = live_named_step(plan, live, desired, s);
			cx.ltable = fm_haz_find_table(live, cx.step->hazard_schema, cx.step->hazard_table);
			if (cx.ltable == NULL)
				continue;		/* new table: no data yet */
		}
		oldcxt = MemoryContextSwitchTo(stepcxt);
		cx.qtable = fm_haz_qname(cx.step->hazard_schema, cx.step->hazard_table);
		cx.from = cx.qtable;
		if (cx.ltable != NULL)
			cx.from = fm_haz_renamed_relation(fm_haz_find_table(desired, s->hazard_schema,
																s->hazard_table),
											  cx.ltable, &cx.renamed);
		if (exact && IsolationUsesXactSnapshot())
		{
			/* its snapshot was taken before any lock we could take now */
			s->hazard_detail = fm_strdup(plan->arena,
										 unknown_detail(s, is_enum_step ?
														psprintf("enum %s", cx.qtable) :
														psprintf("table %s", cx.qtable),
														"ferriorm_push() counts exactly only under READ COMMITTED; the snapshot of a REPEATABLE READ or SERIALIZABLE transaction predates the locks it would take, so rows committed since are invisible to it"));
		}
		else
		{
			if (s->hazard == FM_HAZARD_DROP_ENUM_VALUE)
				why = guard_enum_tables(&cx, exact);
			else if (!is_enum_step)
				why = fm_haz_guard_table(cx.step->hazard_schema, cx.step->hazard_table, exact, &cx.owner);
			if (why != NULL)
				s->hazard_detail = fm_strdup(plan->arena,
											 unknown_detail(s, psprintf("%s %s",
																		is_enum_step ? "enum" : "table",
																		cx.qtable),
															why));
			else
			{
				/* for push, a snapshot taken after the locks were granted */
				instr_time	now;

				INSTR_TIME_SET_CURRENT(now);
				INSTR_TIME_SUBTRACT(now, start);
				cx.spent_ms = INSTR_TIME_GET_MILLISEC(now);
				if (exact)
					PushActiveSnapshot(GetTransactionSnapshot());
				fill_step(&cx);
				if (exact)
					PopActiveSnapshot();
				if (cx.step != s)
				{
					/* the figures of the copy under the live names */
					s->hazard_detail = cx.step->hazard_detail;
					s->hazard_fails = cx.step->hazard_fails;
					s->data_loss = cx.step->data_loss;
				}
			}
		}
		MemoryContextSwitchTo(oldcxt);
		MemoryContextReset(stepcxt);
	}
	if (connected)
		SPI_finish();
}
