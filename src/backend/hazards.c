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
 * security off (fm_run_as_owner()).  Every query is first parsed as the
 * caller, on the plan's path, and deparsed fully qualified
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
 * src/backend/hazards.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "parser/parse_coerce.h"
#include "parser/parse_type.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_operator.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "fm_plan_int.h"
#include "security.h"

/* why a figure must lock a table (security.c's privilege errors) */
static const char *const figure_why =
"A hazard figure counts rows of the table.";

/* how many distinct values we try one by one when a cast fails */
#define FM_CAST_PROBE_LIMIT 1000

typedef struct HazCtx
{
	FmPlan	   *plan;
	const FmModel *live;
	const FmModel *desired;
	FmStep	   *step;
	const FmTable *ltable;		/* live table of the step, if any */
	char	   *qtable;			/* quoted, qualified */
	Oid			owner;			/* owner of the step's table: figures run as it */
	List	   *enum_cols;		/* DROP_ENUM_VALUE: (FmTable *, FmColumn *) pairs */
	Oid		   *enum_owners;	/* and the owner of each pair's table */
	bool		push;			/* exact figures for push: lock first */
	char	   *detail;			/* result (palloc'd) */
	bool		no_loss;		/* figures show nothing is lost */
	bool		estimate;		/* over the hazard budget: estimate */
	int64		blocks;			/* the table's size, in blocks */
	double		spent_ms;		/* figures' time so far, this plan */
} HazCtx;

/* the rate at which exact figures read a table, refined as they run */
static double fm_ms_per_block = 0.05;

static char *
qname(const char *schema, const char *name)
{
	if (schema == NULL)
		return pstrdup(quote_identifier(name));
	return psprintf("%s.%s", quote_identifier(schema), quote_identifier(name));
}

static const char *
plural(int64 n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---------- guarding a table: privileges, locks, row security ---------- */

/*
 * guard_table
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
static char *
guard_table(const char *schema, const char *name, bool lock, Oid *owner)
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

/* "figures for <what> are unknown: <reason>." and what push makes of it */
static char *
unknown_detail(const FmStep *s, const char *what, const char *reason)
{
	return psprintf("figures for %s are unknown: %s.%s", what, reason,
					s->data_loss ? " ferriorm_push() treats the step as losing data." : "");
}

/* ---------- running a figure's query as the owner ---------- */

typedef struct FigQuery
{
	const char *sql;			/* deparsed for the safe path */
	int			nargs;
	Oid		   *argtypes;
	Datum	   *values;
} FigQuery;

static void
fig_query_guts(void *arg)
{
	FigQuery   *q = (FigQuery *) arg;
	int			rc;

	rc = SPI_execute_with_args(q->sql, q->nargs, q->argtypes, q->values,
							   NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "ferriorm hazard query failed: %s", SPI_result_code_string(rc));
}

/*
 * fig_select
 *		Run the read-only query sql (parameters optional) as role owner, in
 *		a security-restricted operation, with row security off; the rows
 *		are left in SPI_tuptable / SPI_processed.  The text is parsed as the
 *		caller, on the plan's search_path, and executed as deparsed for the
 *		safe path: see fm_deparse_on_safe_path().
 */
static void
fig_select(Oid owner, const char *sql, int nargs, Oid *argtypes, Datum *values)
{
	FigQuery	q;

	q.sql = fm_deparse_on_safe_path(sql, nargs, argtypes);
	q.nargs = nargs;
	q.argtypes = argtypes;
	q.values = values;
	fm_run_as_owner(owner, FM_OWNER_ROW_SECURITY_OFF, fig_query_guts, &q);
}

/*
 * Run a query returning one row of one or two bigints (NULL counts as 0),
 * as owner (see fig_select); args optional; the second column goes to
 * *second when given.
 */
static int64
count_query2_as(Oid owner, const char *sql, int nargs, Oid *argtypes,
				Datum *values, int64 *second)
{
	bool		isnull;
	Datum		d;
	int64		result;

	fig_select(owner, sql, nargs, argtypes, values);
	if (SPI_processed != 1)
		elog(ERROR, "ferriorm hazard query returned " UINT64_FORMAT " rows",
			 (uint64) SPI_processed);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	result = isnull ? 0 : DatumGetInt64(d);
	if (second != NULL)
	{
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		*second = isnull ? 0 : DatumGetInt64(d);
	}
	SPI_freetuptable(SPI_tuptable);
	return result;
}

/* the same, as the owner of the step's table */
static int64
count_query2(HazCtx *cx, const char *sql, int nargs, Oid *argtypes,
			 Datum *values, int64 *second)
{
	return count_query2_as(cx->owner, sql, nargs, argtypes, values, second);
}

static int64
count_query(HazCtx *cx, const char *sql, int nargs, Oid *argtypes, Datum *values)
{
	return count_query2(cx, sql, nargs, argtypes, values, NULL);
}

static int64
rows_of(HazCtx *cx)
{
	return count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s", cx->qtable),
					   0, NULL, NULL);
}

/*
 * "OPERATOR(schema.name)" of the default equality operator of a type, or
 * NULL when it has none.
 */
static char *
eq_operator(Oid typid)
{
	TypeCacheEntry *tce;
	HeapTuple	tup;
	char	   *result = NULL;

	if (!OidIsValid(typid))
		return NULL;
	tce = lookup_type_cache(typid, TYPECACHE_EQ_OPR);
	if (!OidIsValid(tce->eq_opr))
		return NULL;
	tup = SearchSysCache1(OPEROID, ObjectIdGetDatum(tce->eq_opr));
	if (HeapTupleIsValid(tup))
	{
		Form_pg_operator op = (Form_pg_operator) GETSTRUCT(tup);
		char	   *nsp = get_namespace_name(op->oprnamespace);

		if (nsp != NULL)
			result = psprintf("OPERATOR(%s.%s)", quote_identifier(nsp),
							  NameStr(op->oprname));
		ReleaseSysCache(tup);
	}
	return result;
}

/* "a = b" with the equality operator of type typid; NULL never equal */
static char *
equal_sql(Oid typid, const char *a, const char *b)
{
	char	   *op = eq_operator(typid);

	if (op == NULL)
		return psprintf("COALESCE(CAST(%s AS pg_catalog.text) OPERATOR(pg_catalog.=) "
						"CAST(%s AS pg_catalog.text), false)", a, b);
	return psprintf("COALESCE(%s %s %s, false)", a, op, b);
}

static bool
live_has_column(const FmTable *t, const char *col)
{
	return t != NULL && col != NULL && fm_table_find_column(t, col) != NULL;
}

static const FmTable *
find_table(const FmModel *m, const char *schema, const char *name)
{
	if (m == NULL || name == NULL)
		return NULL;
	return fm_model_find_table(m, schema, name);
}

static void
haz_drop_table(HazCtx *cx)
{
	int64		n = rows_of(cx);

	cx->detail = psprintf("table %s has " INT64_FORMAT " %s; %s.",
						  cx->qtable, n, plural(n, "row", "rows"),
						  n == 0 ? "nothing is lost" : "they will be lost");
	cx->no_loss = (n == 0);
}

/*
 * A statement that rewrites the whole table (hazard_extra says which) under
 * an ACCESS EXCLUSIVE lock: the figure is the number of rows rewritten.
 */
static void
haz_rewrite_table(HazCtx *cx)
{
	int64		n = rows_of(cx);

	cx->detail = psprintf("table %s has " INT64_FORMAT " %s; %s rewrites %s under an ACCESS EXCLUSIVE lock.",
						  cx->qtable, n, plural(n, "row", "rows"),
						  cx->step->hazard_extra ? cx->step->hazard_extra : "the statement",
						  n == 1 ? "it" : "them all");
}

/*
 * A column becomes an identity column.  Continuing a serial sequence
 * (hazard_extra "schema.name"): the figure is that sequence's position,
 * read as the table's owner (who owns the sequence of its serial column);
 * else the number of values that new ones may repeat.
 */
static void
haz_switch_identity(HazCtx *cx)
{
	const char *col = cx->step->hazard_column;
	const char *extra = cx->step->hazard_extra;

	if (cx->ltable == NULL || col == NULL)
		return;
	if (extra != NULL)
	{
		const char *dot = strchr(extra, '.');
		char	   *seq;
		int64		n;

		if (dot == NULL)
			return;
		seq = qname(pnstrdup(extra, dot - extra), dot + 1);
		n = count_query(cx, psprintf("SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM %s",
								 seq), 0, NULL, NULL);
		cx->detail = psprintf("column %s of table %s becomes an identity column; its values are kept, and new ones continue after " INT64_FORMAT ", the position of sequence %s, which is then dropped.",
							  quote_identifier(col), cx->qtable, n, seq);
	}
	else
	{
		int64		n = count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s IS NOT NULL",
											 cx->qtable, quote_identifier(col)),
									0, NULL, NULL);

		cx->detail = psprintf("column %s of table %s becomes an identity column; its " INT64_FORMAT " %s kept, and new values start at the identity's START, which may repeat them.",
							  quote_identifier(col), cx->qtable, n,
							  plural(n, "value is", "values are"));
	}
}

static void
haz_drop_column(HazCtx *cx)
{
	const char *col = cx->step->hazard_column;
	int64		n;

	n = count_query(cx, psprintf("SELECT pg_catalog.count(%s) FROM %s",
							 quote_identifier(col), cx->qtable), 0, NULL, NULL);
	cx->detail = psprintf("column %s of table %s has " INT64_FORMAT " non-null %s; %s.",
						  quote_identifier(col), cx->qtable, n,
						  plural(n, "value", "values"),
						  n == 0 ? "nothing is lost" : "they will be lost");
	cx->no_loss = (n == 0);
}

static void
haz_set_not_null(HazCtx *cx)
{
	const char *col = cx->step->hazard_column;
	int64		n;

	if (!live_has_column(cx->ltable, col))
		return;
	n = count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s IS NULL",
							 cx->qtable, quote_identifier(col)), 0, NULL, NULL);
	if (n == 0)
		cx->detail = psprintf("column %s of table %s has no NULL rows; SET NOT NULL will succeed.",
							  quote_identifier(col), cx->qtable);
	else
		cx->detail = psprintf("column %s of table %s has " INT64_FORMAT " NULL %s; SET NOT NULL will fail.",
							  quote_identifier(col), cx->qtable, n, plural(n, "row", "rows"));
}

/*
 * hazard_extra holds the key's elements, quoted and comma-separated, ready
 * for GROUP BY; rows with a NULL element never conflict, nor do rows
 * outside a partial index's predicate (hazard_predicate).
 */
static void
haz_add_unique(HazCtx *cx)
{
	const char *elems = cx->step->hazard_extra;
	const char *pred = cx->step->hazard_predicate;
	int64		groups;
	int64		rows;

	if (elems == NULL)
		return;
	groups = count_query2(cx, psprintf("SELECT pg_catalog.count(*), pg_catalog.sum(n)::bigint FROM "
									   "(SELECT pg_catalog.count(*) n FROM %s WHERE ROW(%s) IS NOT NULL%s%s%s "
									   "GROUP BY %s HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1::pg_catalog.int8) d",
									   cx->qtable, elems,
									   pred ? " AND (" : "", pred ? pred : "", pred ? ")" : "",
									   elems), 0, NULL, NULL, &rows);
	if (groups == 0)
	{
		cx->detail = psprintf("table %s has no duplicate values in (%s); the unique key can be added.",
							  cx->qtable, elems);
		return;
	}
	cx->detail = psprintf("table %s has " INT64_FORMAT " %s of duplicate values in (%s), " INT64_FORMAT " rows in all; adding the unique key will fail.",
						  cx->qtable, groups, plural(groups, "group", "groups"),
						  elems, rows);
}

/* ---------- type changes ---------- */

typedef struct CastProbe
{
	Oid			owner;
	FigQuery	q;				/* parameter $1: the value, as text */
	bool		ok;
} CastProbe;

static void
probe_cast(void *arg)
{
	CastProbe  *p = (CastProbe *) arg;
	bool		isnull;

	fm_run_as_owner(p->owner, FM_OWNER_ROW_SECURITY_OFF, fig_query_guts, &p->q);
	if (SPI_processed != 1)
		elog(ERROR, "cast probe failed");
	p->ok = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
									   SPI_tuptable->tupdesc, 1, &isnull));
	if (isnull)
		p->ok = false;
	SPI_freetuptable(SPI_tuptable);
}

/*
 * How a type change converts a value and how we check it: conv is the
 * USING expression of the statement, as the diff handed it over
 * (hazard_using), if it has one, else a cast to the new type; back
 * converts the result to the old type (hazard_old_type; through text when
 * there is no cast, as between two enums).  A value is lost when
 * converting fails or back(conv) differs from it (truncated, rounded, out
 * of range).
 */
typedef struct TypeChange
{
	char	   *qcol;
	const char *oldtype;
	const char *newtype;
	char	   *check;			/* true when the value of qcol survives */
} TypeChange;

static bool
type_change(HazCtx *cx, TypeChange *tc)
{
	const FmStep *s = cx->step;
	char	   *conv;
	Oid			oldoid;
	Oid			newoid;
	int32		typmod;
	bool		direct;

	if (!live_has_column(cx->ltable, s->hazard_column) ||
		s->hazard_extra == NULL || s->hazard_old_type == NULL)
		return false;
	tc->oldtype = s->hazard_old_type;
	tc->newtype = s->hazard_extra;
	tc->qcol = pstrdup(quote_identifier(s->hazard_column));
	if (s->hazard_using != NULL)
		conv = psprintf("(%s)", s->hazard_using);
	else
		conv = psprintf("CAST(%s AS %s)", tc->qcol, tc->newtype);

#if PG_VERSION_NUM >= 160000
	if (!parseTypeString(tc->oldtype, &oldoid, &typmod, NULL))
		oldoid = InvalidOid;
	if (!parseTypeString(tc->newtype, &newoid, &typmod, NULL))
		newoid = InvalidOid;
#else
	parseTypeString(tc->oldtype, &oldoid, &typmod, true);
	parseTypeString(tc->newtype, &newoid, &typmod, true);
#endif
	direct = OidIsValid(oldoid) && OidIsValid(newoid) &&
		can_coerce_type(1, &newoid, &oldoid, COERCION_EXPLICIT);
	/* the value is never NULL here: equal, or lost */
	if (direct)
		tc->check = equal_sql(oldoid,
							  psprintf("CAST(%s AS %s)", conv, tc->oldtype),
							  tc->qcol);
	else
		tc->check = equal_sql(oldoid,
							  psprintf("CAST(CAST(%s AS pg_catalog.text) AS %s)",
									   conv, tc->oldtype),
							  tc->qcol);
	return true;
}

static void
haz_alter_type(HazCtx *cx)
{
	TypeChange	tc;
	int64		rows;
	int64		bad;

	if (!type_change(cx, &tc))
		return;
	rows = rows_of(cx);
	bad = count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s IS NOT NULL AND NOT (%s)",
							   cx->qtable, tc.qcol, tc.check), 0, NULL, NULL);
	cx->detail = psprintf("table %s has " INT64_FORMAT " %s to rewrite; " INT64_FORMAT " %s of column %s cannot be converted to %s without loss.",
						  cx->qtable, rows, plural(rows, "row", "rows"), bad,
						  plural(bad, "value", "values"), tc.qcol, tc.newtype);
	cx->no_loss = (bad == 0);
}

/*
 * Converting failed for some value as a whole: try the distinct values one
 * by one, each in a subtransaction, up to FM_CAST_PROBE_LIMIT of them.
 */
static void
haz_alter_type_probe(HazCtx *cx)
{
	TypeChange	tc;
	int64		rows;
	int64		bad = 0;
	bool		partial = false;
	char	   *probe_sql;
	SPITupleTable *tt;
	uint64		nvals;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	if (!type_change(cx, &tc))
		return;
	rows = rows_of(cx);

	fig_select(cx->owner,
			   psprintf("SELECT %s::pg_catalog.text, pg_catalog.count(*) FROM %s WHERE %s IS NOT NULL "
						"GROUP BY 1 ORDER BY 1 LIMIT %d",
						tc.qcol, cx->qtable, tc.qcol, FM_CAST_PROBE_LIMIT + 1),
			   0, NULL, NULL);
	tt = SPI_tuptable;
	nvals = SPI_processed;
	/*
	 * The value, under the column's name, for the USING expression; parsed
	 * only when there is a value to try (a type the plan creates does not
	 * exist yet, and an empty table needs no probe).
	 */
	probe_sql = nvals == 0 ? NULL :
		fm_deparse_on_safe_path(psprintf("SELECT %s FROM (SELECT CAST($1 AS %s) AS %s) v",
										 tc.check, tc.oldtype, tc.qcol),
								1, argtypes);
	for (uint64 i = 0; i < nvals; i++)
	{
		CastProbe	p;
		bool		isnull;
		int64		n;

		CHECK_FOR_INTERRUPTS();
		if (i == FM_CAST_PROBE_LIMIT)
		{
			partial = true;
			break;
		}
		p.owner = cx->owner;
		p.q.sql = probe_sql;
		p.q.nargs = 1;
		p.q.argtypes = argtypes;
		p.q.values = values;
		values[0] = SPI_getbinval(tt->vals[i], tt->tupdesc, 1, &isnull);
		n = DatumGetInt64(SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &isnull));
		p.ok = false;
		if (!fm_run_protected(probe_cast, &p, true) || !p.ok)
			bad += n;
	}
	SPI_freetuptable(tt);
	cx->detail = psprintf("table %s has " INT64_FORMAT " %s to rewrite; %s" INT64_FORMAT " %s of column %s cannot be converted to %s without loss%s.",
						  cx->qtable, rows, plural(rows, "row", "rows"),
						  partial ? "at least " : "", bad, plural(bad, "value", "values"),
						  tc.qcol, tc.newtype,
						  partial ? psprintf(" (first %d distinct values checked)", FM_CAST_PROBE_LIMIT) : "");
	cx->no_loss = (bad == 0 && !partial);
}


/* ---------- estimates, past the hazard budget ---------- */

/* how many blocks a TABLESAMPLE estimate reads, about */
#define FM_SAMPLE_BLOCKS 1000
/* tables smaller than this are always counted exactly (unless budget 0) */
#define FM_SMALL_TABLE_BLOCKS 128

static const char *const budget_note =
"exact counting would exceed ferriorm.hazard_budget";

/* "about 1,234,567" */
static char *
about(double n)
{
	int64		v = (int64) (n < 0 ? 0 : n + 0.5);
	char		digits[32];
	StringInfoData buf;
	int			len;

	snprintf(digits, sizeof(digits), INT64_FORMAT, v);
	len = strlen(digits);
	initStringInfo(&buf);
	appendStringInfoString(&buf, "about ");
	for (int i = 0; i < len; i++)
	{
		if (i > 0 && (len - i) % 3 == 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoChar(&buf, digits[i]);
	}
	return buf.data;
}

/* is there a row of the table with cond?  Exact, stops at the first one */
static bool
probe_exists(HazCtx *cx, const char *cond)
{
	return count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM (SELECT FROM %s WHERE %s LIMIT 1) p",
								cx->qtable, cond), 0, NULL, NULL) > 0;
}

/* pg_class.reltuples of the table; -1 when never vacuumed or analyzed */
static double
table_reltuples(HazCtx *cx)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];
	bool		isnull;
	double		r = -1;

	values[0] = CStringGetTextDatum(cx->qtable);
	if (SPI_execute_with_args("SELECT c.reltuples::pg_catalog.float8 FROM pg_catalog.pg_class c "
							  "WHERE c.oid OPERATOR(pg_catalog.=) $1::pg_catalog.regclass",
							  1, argtypes, values, NULL, true, 0) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			r = DatumGetFloat8(d);
	}
	SPI_freetuptable(SPI_tuptable);
	return r;
}

/*
 * null_frac and n_distinct of a column from pg_stats (as the caller may
 * see them); false when ANALYZE has not gathered them.
 */
static bool
column_stats(HazCtx *cx, const char *col, double *null_frac, double *n_distinct)
{
	Oid			argtypes[3] = {TEXTOID, TEXTOID, TEXTOID};
	Datum		values[3];
	bool		found = false;
	bool		isnull;

	values[0] = CStringGetTextDatum(cx->step->hazard_schema ? cx->step->hazard_schema : "");
	values[1] = CStringGetTextDatum(cx->step->hazard_table);
	values[2] = CStringGetTextDatum(col);
	if (SPI_execute_with_args("SELECT s.null_frac::pg_catalog.float8, s.n_distinct::pg_catalog.float8 "
							  "FROM pg_catalog.pg_stats s WHERE s.schemaname OPERATOR(pg_catalog.=) $1 "
							  "AND s.tablename OPERATOR(pg_catalog.=) $2 AND s.attname OPERATOR(pg_catalog.=) $3 "
							  "AND NOT s.inherited",
							  3, argtypes, values, NULL, true, 0) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		*null_frac = DatumGetFloat8(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		*n_distinct = DatumGetFloat8(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
		found = true;
	}
	SPI_freetuptable(SPI_tuptable);
	return found;
}

/*
 * Sample the table (TABLESAMPLE SYSTEM, about FM_SAMPLE_BLOCKS blocks,
 * REPEATABLE so that a plan is reproducible): the estimated number of rows
 * of the table matching cond, and of rows in all (*total).
 */
static double
sample_estimate(HazCtx *cx, const char *cond, double *total)
{
	double		pct;
	int64		sampled;
	int64		matching;
	double		reltuples = table_reltuples(cx);

	pct = cx->blocks > 0 ? 100.0 * FM_SAMPLE_BLOCKS / (double) cx->blocks : 100.0;
	if (pct > 100.0)
		pct = 100.0;
	if (pct < 0.0001)
		pct = 0.0001;
	sampled = count_query2(cx, psprintf("SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE %s) "
									"FROM %s TABLESAMPLE SYSTEM (%.6f) REPEATABLE (0)",
									cond, cx->qtable, pct), 0, NULL, NULL, &matching);
	if (reltuples < 0)
		reltuples = sampled * 100.0 / pct;
	*total = reltuples;
	return sampled > 0 ? reltuples * (double) matching / (double) sampled : 0;
}

static char *
sample_method(void)
{
	return psprintf("estimate: TABLESAMPLE SYSTEM of about %d blocks; %s",
					FM_SAMPLE_BLOCKS, budget_note);
}

static void
est_drop_table(HazCtx *cx)
{
	double		n;

	if (!probe_exists(cx, "true"))
	{
		cx->detail = psprintf("table %s has 0 rows; nothing is lost.", cx->qtable);
		cx->no_loss = true;
		return;
	}
	n = table_reltuples(cx);
	if (n < 0)
		(void) sample_estimate(cx, "true", &n);
	cx->detail = psprintf("table %s has %s rows (estimate: pg_class.reltuples; %s); they will be lost.",
						  cx->qtable, about(n), budget_note);
}

static void
est_column_nulls(HazCtx *cx, bool want_nulls)
{
	const char *col = cx->step->hazard_column;
	char	   *qcol = pstrdup(quote_identifier(col));
	double		null_frac;
	double		n_distinct;
	double		rows = table_reltuples(cx);
	double		n;
	char	   *method;

	/* emptiness is decided exactly where data would be lost */
	if (!want_nulls && !probe_exists(cx, psprintf("%s IS NOT NULL", qcol)))
	{
		cx->detail = psprintf("column %s of table %s has 0 non-null values; nothing is lost.",
							  qcol, cx->qtable);
		cx->no_loss = true;
		return;
	}
	if (rows >= 0 && column_stats(cx, col, &null_frac, &n_distinct))
	{
		n = rows * (want_nulls ? null_frac : 1.0 - null_frac);
		method = psprintf("estimate: pg_stats.null_frac and pg_class.reltuples; %s", budget_note);
	}
	else
	{
		n = sample_estimate(cx, psprintf("%s IS %sNULL", qcol, want_nulls ? "" : "NOT "), &rows);
		method = sample_method();
	}
	/* the probe found one */
	if (!want_nulls && n < 1)
		n = 1;
	if (want_nulls && n < 0.5)
		cx->detail = psprintf("column %s of table %s likely has no NULL rows (%s); SET NOT NULL will likely succeed.",
							  qcol, cx->qtable, method);
	else if (want_nulls)
		cx->detail = psprintf("column %s of table %s has %s NULL rows (%s); SET NOT NULL will fail.",
							  qcol, cx->qtable, about(n), method);
	else
		cx->detail = psprintf("column %s of table %s has %s non-null values (%s); they will be lost.",
							  qcol, cx->qtable, about(n), method);
}

static void
est_add_unique(HazCtx *cx)
{
	const char *elems = cx->step->hazard_extra;
	double		null_frac;
	double		n_distinct;
	double		rows = table_reltuples(cx);

	if (elems == NULL)
		return;
	/* one plain column with statistics: duplicates from n_distinct */
	if (cx->step->hazard_column != NULL && rows >= 0 &&
		strcmp(elems, quote_identifier(cx->step->hazard_column)) == 0 &&
		column_stats(cx, cx->step->hazard_column, &null_frac, &n_distinct))
	{
		double		nonnull = rows * (1.0 - null_frac);
		double		distinct = n_distinct < 0 ? -n_distinct * rows : n_distinct;
		double		dup = nonnull - distinct;

		if (n_distinct == -1 || dup < 1)
			cx->detail = psprintf("table %s likely has no duplicate values in (%s) (estimate: pg_stats.n_distinct; %s); the unique key can likely be added.",
								  cx->qtable, elems, budget_note);
		else
			cx->detail = psprintf("table %s has %s rows with duplicate values in (%s) (estimate: pg_stats.n_distinct and pg_class.reltuples; %s); adding the unique key will fail.",
								  cx->qtable, about(dup), elems, budget_note);
		return;
	}
	cx->detail = psprintf("table %s has %s rows; duplicates in (%s) were not counted (%s); adding the unique key fails if there are any.",
						  cx->qtable, about(rows < 0 ? 0 : rows), elems, budget_note);
}

static void
est_alter_type(HazCtx *cx)
{
	TypeChange	tc;
	double		rows;
	double		bad;

	if (!type_change(cx, &tc))
		return;
	bad = sample_estimate(cx, psprintf("%s IS NOT NULL AND NOT (%s)", tc.qcol, tc.check), &rows);
	cx->detail = psprintf("table %s has %s rows to rewrite; %s values of column %s cannot be converted to %s without loss (%s).",
						  cx->qtable, about(rows), about(bad), tc.qcol, tc.newtype,
						  sample_method());
}

static void
est_add_required_column(HazCtx *cx)
{
	double		n;

	if (!probe_exists(cx, "true"))
	{
		cx->detail = psprintf("table %s has 0 rows; adding required column %s without a default will succeed.",
							  cx->qtable, quote_identifier(cx->step->hazard_column ? cx->step->hazard_column : ""));
		return;
	}
	n = table_reltuples(cx);
	if (n < 1)
		n = 1;
	cx->detail = psprintf("table %s has %s rows (estimate: pg_class.reltuples; %s); adding required column %s without a default will fail.",
						  cx->qtable, about(n), budget_note,
						  quote_identifier(cx->step->hazard_column ? cx->step->hazard_column : ""));
}

static void
est_add_check(HazCtx *cx)
{
	double		rows;
	double		n;

	if (cx->step->hazard_extra == NULL || cx->ltable == NULL)
		return;
	n = sample_estimate(cx, psprintf("NOT (%s)", cx->step->hazard_extra), &rows);
	cx->detail = psprintf("table %s has %s rows violating CHECK (%s) (%s); %s.",
						  cx->qtable, about(n), cx->step->hazard_extra, sample_method(),
						  n < 0.5 ? "the constraint can likely be added" : "adding it will fail");
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
	return count_query(cx, psprintf("SELECT pg_catalog.pg_relation_size($1::pg_catalog.regclass) "
								"OPERATOR(pg_catalog./) %d", BLCKSZ),
					   1, argtypes, values);
}

static void
haz_add_required_column(HazCtx *cx)
{
	int64		n = rows_of(cx);

	cx->detail = psprintf("table %s has " INT64_FORMAT " %s; adding required column %s without a default %s.",
						  cx->qtable, n, plural(n, "row", "rows"),
						  quote_identifier(cx->step->hazard_column ? cx->step->hazard_column : ""),
						  n == 0 ? "will succeed" : "will fail");
}

/* every live column of enum schema.name: (FmTable *, FmColumn *) pairs */
static List *
enum_columns(const FmModel *live, const char *schema, const char *name)
{
	List	   *result = NIL;

	for (int i = 0; i < live->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&live->tables, i, FmTable);

		CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < t->columns.n; j++)
		{
			FmColumn   *c = fm_list_get(&t->columns, j, FmColumn);

			if (c->type.kind == FM_TYPE_ENUM &&
				fm_streq(c->type.enum_schema, schema) &&
				fm_streq(c->type.enum_name, name))
			{
				result = lappend(result, t);
				result = lappend(result, c);
			}
		}
	}
	return result;
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

	cx->enum_cols = enum_columns(cx->live, cx->step->hazard_schema,
								 cx->step->hazard_table);
	ncols = list_length(cx->enum_cols) / 2;
	cx->enum_owners = palloc0(sizeof(Oid) * (ncols + 1));
	for (int k = 0; k < ncols; k++)
	{
		const FmTable *t = (const FmTable *) list_nth(cx->enum_cols, 2 * k);
		char	   *why = guard_table(t->schema, t->name, lock, &cx->enum_owners[k]);

		if (why != NULL)
			return psprintf("it is used by table %s, and for that table %s",
							qname(t->schema, t->name), why);
	}
	return NULL;
}

/*
 * haz_drop_enum_value
 *		DROP_ENUM_VALUE: for every label of the live enum that the desired
 *		enum drops, count the rows of the columns of that enum (or arrays of
 *		it) that hold it, each table counted as its owner; sets the detail and
 *		no_loss when no row holds a removed label.
 */
static void
haz_drop_enum_value(HazCtx *cx)
{
	const char *schema = cx->step->hazard_schema;
	const char *name = cx->step->hazard_table;
	const FmEnum *le = name ? fm_model_find_enum(cx->live, schema, name) : NULL;
	const FmEnum *de = name && cx->desired ? fm_model_find_enum(cx->desired, schema, name) : NULL;
	List	   *cols = cx->enum_cols;
	ListCell   *lc;
	StringInfoData buf;
	int64		total = 0;

	if (le == NULL)
		return;
	initStringInfo(&buf);
	for (int i = 0; i < le->values.n; i++)
	{
		FmEnumValue *v = fm_list_get(&le->values, i, FmEnumValue);
		bool		kept = false;
		int64		n = 0;
		int			k = 0;

		if (de != NULL)
			for (int j = 0; j < de->values.n && !kept; j++)
				kept = fm_streq(fm_list_get(&de->values, j, FmEnumValue)->name, v->name);
		if (kept)
			continue;
		for (lc = list_head(cols); lc != NULL; lc = lnext(cols, lnext(cols, lc)), k++)
		{
			const FmTable *t = (const FmTable *) lfirst(lc);
			const FmColumn *c = (const FmColumn *) lfirst(lnext(cols, lc));
			Oid			argtypes[1] = {TEXTOID};
			Datum		values[1];

			values[0] = CStringGetTextDatum(v->name);
			/* a row holds the value: the column is it, or has it as an element */
			n += count_query2_as(cx->enum_owners[k],
								 psprintf(c->type.array ?
										  "SELECT pg_catalog.count(*) FROM %s "
										  "WHERE $1 OPERATOR(pg_catalog.=) ANY (%s::pg_catalog.text[])" :
										  "SELECT pg_catalog.count(*) FROM %s "
										  "WHERE %s::pg_catalog.text OPERATOR(pg_catalog.=) $1",
										  qname(t->schema, t->name),
										  quote_identifier(c->name)),
								 1, argtypes, values, NULL);
		}
		total += n;
		appendStringInfo(&buf, "%svalue %s is used by " INT64_FORMAT " %s",
						 buf.len ? "; " : "", quote_literal_cstr(v->name), n,
						 plural(n, "row", "rows"));
	}
	if (buf.len == 0)
		return;
	cx->detail = psprintf("%s; %s.", buf.data,
						  total == 0 ? "no row is affected" : "removing a value in use will fail");
	cx->no_loss = (total == 0);
}

static void
haz_drop_enum(HazCtx *cx)
{
	List	   *cols = enum_columns(cx->live, cx->step->hazard_schema,
									cx->step->hazard_table);
	int			n = list_length(cols) / 2;
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	for (lc = list_head(cols); lc != NULL; lc = lnext(cols, lnext(cols, lc)))
	{
		const FmTable *t = (const FmTable *) lfirst(lc);
		const FmColumn *c = (const FmColumn *) lfirst(lnext(cols, lc));

		appendStringInfo(&buf, "%s%s.%s", buf.len ? ", " : "",
						 qname(t->schema, t->name), quote_identifier(c->name));
	}
	if (n == 0)
		cx->detail = psprintf("enum %s is not used by any column.",
							  qname(cx->step->hazard_schema, cx->step->hazard_table));
	else
		cx->detail = psprintf("enum %s is used by %d %s in the live database (%s); the plan drops or changes %s first.",
							  qname(cx->step->hazard_schema, cx->step->hazard_table),
							  n, plural(n, "column", "columns"), buf.data,
							  plural(n, "it", "them"));
}

static void
haz_add_check(HazCtx *cx)
{
	int64		n;

	if (cx->step->hazard_extra == NULL || cx->ltable == NULL)
		return;
	n = count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s WHERE NOT (%s)",
							 cx->qtable, cx->step->hazard_extra), 0, NULL, NULL);
	cx->detail = psprintf("table %s has " INT64_FORMAT " %s violating CHECK (%s); %s.",
						  cx->qtable, n, plural(n, "row", "rows"), cx->step->hazard_extra,
						  n == 0 ? "the constraint can be added" : "adding it will fail");
}

/*
 * haz_add_foreign_key
 *		ADD_FOREIGN_KEY: count the rows of the referencing table whose key
 *		columns are all non-null and match no row of the referenced table,
 *		compared with the referenced type's own equality operator, as the
 *		constraint's validation will.  A key column that is new has no values
 *		yet: the detail says so and nothing is counted.
 */
static void
haz_add_foreign_key(HazCtx *cx)
{
	const FmTable *dt = find_table(cx->desired, cx->step->hazard_schema,
								   cx->step->hazard_table);
	const FmForeignKey *fk = NULL;
	StringInfoData cond;
	StringInfoData notnull;
	int64		orphans;
	int64		rows;
	Oid			refrel = InvalidOid;
	Oid			refnsp;

	if (dt == NULL || cx->ltable == NULL)
		return;
	for (int i = 0; i < dt->foreign_keys.n && fk == NULL; i++)
	{
		FmForeignKey *f = fm_list_get(&dt->foreign_keys, i, FmForeignKey);

		if (fm_streq(f->name, cx->step->hazard_extra))
			fk = f;
	}
	if (fk == NULL || fk->columns.n == 0 || fk->columns.n != fk->ref_columns.n)
		return;
	if (find_table(cx->live, fk->ref_schema, fk->ref_table) == NULL)
		return;
	fm_require_lock_rights_named(fk->ref_schema, fk->ref_table,
								 AccessShareLock, figure_why);
	refnsp = fk->ref_schema ? get_namespace_oid(fk->ref_schema, true) : InvalidOid;
	if (OidIsValid(refnsp))
		refrel = get_relname_relid(fk->ref_table, refnsp);
	initStringInfo(&cond);
	initStringInfo(&notnull);
	for (int i = 0; i < fk->columns.n; i++)
	{
		const char *c = fm_list_get(&fk->columns, i, char);
		const char *rc = fm_list_get(&fk->ref_columns, i, char);
		char	   *op = NULL;

		if (!live_has_column(cx->ltable, c))
		{
			rows = rows_of(cx);
			cx->detail = psprintf("table %s has " INT64_FORMAT " %s to validate; column %s is new, so no row references a missing row yet.",
								  cx->qtable, rows, plural(rows, "row", "rows"),
								  quote_identifier(c));
			return;
		}
		/*
		 * The referenced type's equality operator, by schema: the parser
		 * picks the member of that schema that fits both columns, as the
		 * foreign key's own check will.
		 */
		if (OidIsValid(refrel) && rc != NULL)
		{
			AttrNumber	att = get_attnum(refrel, rc);

			if (att != InvalidAttrNumber)
				op = eq_operator(get_atttype(refrel, att));
		}
		if (op == NULL)
			op = "OPERATOR(pg_catalog.=)";
		appendStringInfo(&cond, "%sr.%s %s t.%s", i ? " AND " : "",
						 quote_identifier(rc ? rc : ""), op,
						 quote_identifier(c));
		appendStringInfo(&notnull, "%st.%s IS NOT NULL", i ? " AND " : "",
						 quote_identifier(c));
	}
	if (cx->estimate)
	{
		double		total;
		double		est;
		char	   *q = cx->qtable;

		/* the sample's rows are named t, as in the exact query */
		cx->qtable = psprintf("%s t", q);
		est = sample_estimate(cx, psprintf("%s AND NOT EXISTS (SELECT 1 FROM %s r WHERE %s)",
										   notnull.data,
										   qname(fk->ref_schema, fk->ref_table), cond.data),
							  &total);
		cx->qtable = q;
		cx->detail = psprintf("table %s has %s rows to validate; %s rows reference missing rows (%s); %s.",
							  cx->qtable, about(total), about(est), sample_method(),
							  est < 0.5 ? "the foreign key can likely be added" : "adding it will fail");
		return;
	}
	rows = rows_of(cx);
	orphans = count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s t WHERE %s AND NOT EXISTS "
								   "(SELECT 1 FROM %s r WHERE %s)",
								   cx->qtable, notnull.data,
								   qname(fk->ref_schema, fk->ref_table), cond.data),
						  0, NULL, NULL);
	cx->detail = psprintf("table %s has " INT64_FORMAT " %s to validate; " INT64_FORMAT " %s %s; %s.",
						  cx->qtable, rows, plural(rows, "row", "rows"), orphans,
						  plural(orphans, "row", "rows"),
						  orphans == 1 ? "references a missing row" : "reference missing rows",
						  orphans == 0 ? "the foreign key can be added" : "adding it will fail");
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
									 AccessShareLock, figure_why);
		cx->blocks = table_blocks(cx);
	}
	cx->estimate = over_budget(cx, cx->spent_ms);
	if (cx->estimate)
	{
		switch (cx->step->hazard)
		{
			case FM_HAZARD_DROP_TABLE:
				est_drop_table(cx);
				return;
			case FM_HAZARD_DROP_COLUMN:
				est_column_nulls(cx, false);
				return;
			case FM_HAZARD_SET_NOT_NULL:
				if (live_has_column(cx->ltable, cx->step->hazard_column))
					est_column_nulls(cx, true);
				return;
			case FM_HAZARD_ADD_UNIQUE:
				est_add_unique(cx);
				return;
			case FM_HAZARD_ALTER_TYPE:
				est_alter_type(cx);
				return;
			case FM_HAZARD_ADD_REQUIRED_COLUMN:
				est_add_required_column(cx);
				return;
			case FM_HAZARD_ADD_CHECK:
				est_add_check(cx);
				return;
			default:
				/* enums and foreign keys: counted, as below */
				break;
		}
	}
	switch (cx->step->hazard)
	{
		case FM_HAZARD_DROP_TABLE:
			haz_drop_table(cx);
			break;
		case FM_HAZARD_DROP_COLUMN:
			haz_drop_column(cx);
			break;
		case FM_HAZARD_SET_NOT_NULL:
			haz_set_not_null(cx);
			break;
		case FM_HAZARD_ADD_UNIQUE:
			haz_add_unique(cx);
			break;
		case FM_HAZARD_ALTER_TYPE:
			haz_alter_type(cx);
			break;
		case FM_HAZARD_ADD_REQUIRED_COLUMN:
			haz_add_required_column(cx);
			break;
		case FM_HAZARD_DROP_ENUM_VALUE:
			haz_drop_enum_value(cx);
			break;
		case FM_HAZARD_DROP_ENUM:
			haz_drop_enum(cx);
			break;
		case FM_HAZARD_ADD_CHECK:
			haz_add_check(cx);
			break;
		case FM_HAZARD_ADD_FOREIGN_KEY:
			haz_add_foreign_key(cx);
			break;
		case FM_HAZARD_REWRITE_TABLE:
			haz_rewrite_table(cx);
			break;
		case FM_HAZARD_SWITCH_IDENTITY:
			haz_switch_identity(cx);
			break;
		case FM_HAZARD_POSSIBLE_RENAME:
		case FM_HAZARD_DETACH_PARTITION:	/* the core's sentences */
		case FM_HAZARD_ATTACH_PARTITION:
		case FM_HAZARD_NONE:
			break;
	}
}

static void
run_alter_type_probe(void *arg)
{
	haz_alter_type_probe((HazCtx *) arg);
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
							  sample_method());
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
	if (ok && cx->detail != NULL)
	{
		cx->step->hazard_detail = fm_strdup(cx->plan->arena, cx->detail);
		if (cx->no_loss)
			cx->step->data_loss = false;
	}
}

/*
 * fm_fill_hazards
 *		See fm_plan_int.h.  Steps are handled in plan order; for push, each
 *		step that may lose data locks its table(s) before its figures are
 *		computed (see guard_table()), and the figures read a snapshot taken
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
		cx.push = push;
		is_enum_step = (s->hazard == FM_HAZARD_DROP_ENUM ||
						s->hazard == FM_HAZARD_DROP_ENUM_VALUE);
		if (s->hazard_table == NULL)
			continue;
		if (!is_enum_step)
		{
			cx.ltable = find_table(live, s->hazard_schema, s->hazard_table);
			if (cx.ltable == NULL)
				continue;		/* new table: no data yet */
		}
		oldcxt = MemoryContextSwitchTo(stepcxt);
		cx.qtable = qname(s->hazard_schema, s->hazard_table);
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
				why = guard_table(s->hazard_schema, s->hazard_table, exact, &cx.owner);
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
			}
		}
		MemoryContextSwitchTo(oldcxt);
		MemoryContextReset(stepcxt);
	}
	if (connected)
		SPI_finish();
}
