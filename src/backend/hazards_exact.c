/*-------------------------------------------------------------------------
 *
 * hazards_exact.c
 *	  Exact hazard figures: one function per hazard kind.
 *
 * Design note.  Each fm_haz_<kind>() counts, in the live table and as its
 * owner (hazards_query.c), what the step would do: rows of a table to be
 * dropped or rewritten, non-null values of a column to be dropped, NULL
 * rows before SET NOT NULL, duplicate groups before a unique key, values
 * that do not survive a type change, rows of a table getting a required
 * column, rows holding an enum label to be removed, rows violating a new
 * CHECK, orphans before a new foreign key.  It writes one sentence to
 * cx->detail and sets cx->no_loss when nothing would be lost.  The step's
 * data comes from the diff as structures (hazard_column, hazard_extra,
 * hazard_using, ...: see FmStep in core/fm_diff.h), never from rendered
 * DDL.  A type change whose conversion fails as a whole is retried value
 * by value (fm_haz_alter_type_probe), each value in its own
 * subtransaction.
 *
 * When the step is past the hazard budget, hazards.c calls the estimates
 * of hazards_estimate.c instead; enum and foreign-key figures are always
 * counted (the foreign key's estimate branch is here, beside its query).
 *
 * src/backend/hazards_exact.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/lockdefs.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "fm_plan_int.h"
#include "hazards_int.h"
#include "security.h"

/* how many distinct values we try one by one when a cast fails */
#define FM_CAST_PROBE_LIMIT 1000

/*
 * The rows of the step's table outside the partitions of hazard_spared
 * (and the partitions below them), counted as its owner; *nspared is set
 * to the number of those partitions that exist.
 */
static int64
rows_not_spared(HazCtx *cx, int *nspared)
{
	const FmList *spared = &cx->step->hazard_spared;
	Datum	   *oids = palloc(sizeof(Datum) * Max(spared->n, 1));
	int			n = 0;
	Oid			argtypes[1] = {OIDARRAYOID};
	Datum		values[1];

	for (int i = 0; i < spared->n; i++)
	{
		const FmTableRef *ref = fm_list_get(spared, i, FmTableRef);
		Oid			relid = fm_haz_table_oid(ref->schema, ref->name);

		if (OidIsValid(relid))
			oids[n++] = ObjectIdGetDatum(relid);
	}
	*nspared = n;
	if (n == 0)
		return fm_haz_rows_of(cx);
	values[0] = PointerGetDatum(construct_array(oids, n, OIDOID, sizeof(Oid), true, TYPALIGN_INT));
	return fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s"
										   " WHERE tableoid OPERATOR(pg_catalog.<>) ALL (ARRAY("
										   "SELECT t.relid::pg_catalog.oid FROM pg_catalog.unnest($1) AS u(r),"
										   " LATERAL pg_catalog.pg_partition_tree(u.r::pg_catalog.regclass) AS t))",
										   cx->qtable),
							  1, argtypes, values);
}

/*
 * DROP_TABLE: the rows that dropping the table loses; no loss when empty.
 * The rows of partitions the plan moves out of it first are not lost
 * (hazard_spared) and not counted.
 */
void
fm_haz_drop_table(HazCtx *cx)
{
	int			nspared;
	int64		n = rows_not_spared(cx, &nspared);

	cx->detail = psprintf("table %s has " INT64_FORMAT " %s%s; %s.",
						  cx->qtable, n, fm_haz_plural(n, "row", "rows"),
						  nspared == 0 ? "" :
						  nspared == 1 ? " outside the partition moved out of it first" :
						  " outside the partitions moved out of it first",
						  n == 0 ? "nothing is lost" : n == 1 ? "it will be lost" : "they will be lost");
	cx->no_loss = (n == 0);
}

/*
 * A statement that rewrites the whole table (hazard_extra says which) under
 * an ACCESS EXCLUSIVE lock: the figure is the number of rows rewritten.
 */
void
fm_haz_rewrite_table(HazCtx *cx)
{
	int64		n = fm_haz_rows_of(cx);

	cx->detail = psprintf("table %s has " INT64_FORMAT " %s; %s rewrites %s under an ACCESS EXCLUSIVE lock.",
						  cx->qtable, n, fm_haz_plural(n, "row", "rows"),
						  cx->step->hazard_extra ? cx->step->hazard_extra : "the statement",
						  n == 1 ? "it" : "them all");
}

/*
 * A column becomes an identity column.  Continuing a serial sequence
 * (hazard_extra "schema.name"): the figure is that sequence's position,
 * read as the table's owner (who owns the sequence of its serial column);
 * else the number of values that new ones may repeat.
 */
void
fm_haz_switch_identity(HazCtx *cx)
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
		seq = fm_haz_qname(pnstrdup(extra, dot - extra), dot + 1);
		n = fm_haz_count_query(cx, psprintf("SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM %s",
								 seq), 0, NULL, NULL);
		cx->detail = psprintf("column %s of table %s becomes an identity column; its values are kept, and new ones continue after " INT64_FORMAT ", the position of sequence %s, which is then dropped.",
							  quote_identifier(col), cx->qtable, n, seq);
	}
	else
	{
		int64		n = fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s IS NOT NULL",
											 cx->qtable, quote_identifier(col)),
									0, NULL, NULL);

		cx->detail = psprintf("column %s of table %s becomes an identity column; its " INT64_FORMAT " %s kept, and new values start at the identity's START, which may repeat them.",
							  quote_identifier(col), cx->qtable, n,
							  fm_haz_plural(n, "value is", "values are"));
	}
}

/* DROP_COLUMN: the non-null values of the column; no loss when none. */
void
fm_haz_drop_column(HazCtx *cx)
{
	const char *col = cx->step->hazard_column;
	int64		n;

	n = fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(%s) FROM %s",
							 quote_identifier(col), cx->qtable), 0, NULL, NULL);
	cx->detail = psprintf("column %s of table %s has " INT64_FORMAT " non-null %s; %s.",
						  quote_identifier(col), cx->qtable, n,
						  fm_haz_plural(n, "value", "values"),
						  n == 0 ? "nothing is lost" : n == 1 ? "it will be lost" : "they will be lost");
	cx->no_loss = (n == 0);
}

/* SET_NOT_NULL: the NULL rows that would make SET NOT NULL fail. */
void
fm_haz_set_not_null(HazCtx *cx)
{
	const char *col = cx->step->hazard_column;
	int64		n;

	if (!fm_haz_live_has_column(cx->ltable, col))
		return;
	n = fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s IS NULL",
							 cx->qtable, quote_identifier(col)), 0, NULL, NULL);
	if (n == 0)
		cx->detail = psprintf("column %s of table %s has no NULL rows; SET NOT NULL will succeed.",
							  quote_identifier(col), cx->qtable);
	else
		cx->detail = psprintf("column %s of table %s has " INT64_FORMAT " NULL %s; SET NOT NULL will fail.",
							  quote_identifier(col), cx->qtable, n, fm_haz_plural(n, "row", "rows"));
	cx->fails = (n > 0);
}

/*
 * The FROM item a new constraint's text is read on (cx->from), under the
 * table's own name when it is the subquery of renamed columns, so that
 * the text may still qualify a column with it.
 */
static const char *
named_from(const HazCtx *cx)
{
	return cx->renamed ? psprintf("%s %s", cx->from, quote_identifier(cx->ltable->name)) :
		cx->from;
}

/*
 * hazard_extra holds the key's elements, quoted and comma-separated, ready
 * for GROUP BY; rows with a NULL element never conflict, nor do rows
 * outside a partial index's predicate (hazard_predicate).
 */
void
fm_haz_add_unique(HazCtx *cx)
{
	const char *elems = cx->step->hazard_extra;
	const char *pred = cx->step->hazard_predicate;
	int64		groups;
	int64		rows;

	if (elems == NULL)
		return;
	groups = fm_haz_count_query2(cx, psprintf("SELECT pg_catalog.count(*), pg_catalog.sum(n)::bigint FROM "
									   "(SELECT pg_catalog.count(*) n FROM %s WHERE ROW(%s) IS NOT NULL%s%s%s "
									   "GROUP BY %s HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>) 1::pg_catalog.int8) d",
									   named_from(cx), elems,
									   pred ? " AND (" : "", pred ? pred : "", pred ? ")" : "",
									   elems), 0, NULL, NULL, &rows);
	if (groups == 0)
	{
		cx->detail = psprintf("table %s has no duplicate values in (%s); the unique key can be added.",
							  cx->qtable, elems);
		return;
	}
	cx->detail = psprintf("table %s has " INT64_FORMAT " %s of duplicate values in (%s), " INT64_FORMAT " rows in all; adding the unique key will fail.",
						  cx->qtable, groups, fm_haz_plural(groups, "group", "groups"),
						  elems, rows);
	cx->fails = true;
}

/* ---------- type changes ---------- */

typedef struct CastProbe
{
	Oid			owner;
	FigQuery	q;				/* parameter $1: the value, as text */
	bool		ok;
} CastProbe;

/*
 * probe_cast
 *		Does the value of a CastProbe survive the type change?  Runs the
 *		probe query as the owner; p->ok is false when the value is lost.
 *		Called in a subtransaction (fm_run_protected), so that a value whose
 *		conversion raises an error counts as lost.
 */
static void
probe_cast(void *arg)
{
	CastProbe  *p = (CastProbe *) arg;
	bool		isnull;

	fm_run_as_owner(p->owner, FM_OWNER_ROW_SECURITY_OFF, fm_haz_fig_query_guts, &p->q);
	if (SPI_processed != 1)
		elog(ERROR, "cast probe failed");
	p->ok = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
									   SPI_tuptable->tupdesc, 1, &isnull));
	if (isnull)
		p->ok = false;
	SPI_freetuptable(SPI_tuptable);
}

/* "... ; N values of column c cannot be converted to T; changing the type will fail." */
static char *
alter_type_fails_detail(HazCtx *cx, const TypeChange *tc, int64 rows,
						bool partial, int64 nfail)
{
	return psprintf("table %s has " INT64_FORMAT " %s to rewrite; %s" INT64_FORMAT " %s of column %s cannot be converted to %s%s; changing the type will fail.",
					cx->qtable, rows, fm_haz_plural(rows, "row", "rows"),
					partial ? "at least " : "", nfail,
					fm_haz_plural(nfail, "value", "values"), tc->qcol, tc->newtype,
					partial ? psprintf(" (first %d distinct values checked)", FM_CAST_PROBE_LIMIT) : "");
}

/* "... rows to rewrite; every value of column c converts to T without loss." */
static char *
alter_type_clean_detail(HazCtx *cx, const TypeChange *tc, int64 rows)
{
	if (rows == 0)
		return psprintf("table %s has 0 rows to rewrite.", cx->qtable);
	return psprintf("table %s has " INT64_FORMAT " %s to rewrite; every value of column %s converts to %s without loss.",
					cx->qtable, rows, fm_haz_plural(rows, "row", "rows"), tc->qcol,
					tc->newtype);
}

/*
 * fm_haz_alter_type
 *		ALTER_TYPE: the rows rewritten, the values of the column that do not
 *		survive the conversion and those that make the statement fail (a
 *		string too long for the new length: TypeChange), in one query over
 *		the table.  When some value makes the conversion fail as a whole,
 *		the driver retries with fm_haz_alter_type_probe.
 */
/*
 * new_enum_target
 *		The enum that the plan creates and the step's column becomes (or an
 *		array of), found by the desired names of its table and column (the
 *		step's own are the live ones: a new column may have taken the old
 *		name of a renamed one); NULL when the target is no such enum.  Its
 *		type does not exist yet, so the cast cannot be tried: the values are
 *		compared with its labels.
 */
static const FmEnum *
new_enum_target(HazCtx *cx, const FmColumn **col)
{
	const FmTable *dt = fm_haz_find_table(cx->desired, cx->step->hazard_schema, cx->dtable);
	const FmColumn *dc;
	const FmEnum *e;

	if (dt == NULL || cx->dcolumn == NULL ||
		(dc = fm_table_find_column(dt, cx->dcolumn)) == NULL ||
		dc->type.kind != FM_TYPE_ENUM)
		return NULL;
	e = fm_model_find_enum(cx->desired, dc->type.enum_schema, dc->type.enum_name);
	if (e == NULL || fm_model_find_enum(cx->live, dc->type.enum_schema, dc->type.enum_name) != NULL)
		return NULL;
	*col = dc;
	return e;
}

/*
 * alter_type_new_enum
 *		ALTER_TYPE to an enum the plan creates: the values of the column
 *		(as text; each element of an array) that are no label of it make
 *		the conversion fail; with none, nothing is lost.
 */
static void
alter_type_new_enum(HazCtx *cx, const FmEnum *e, const FmColumn *dc)
{
	const char *qcol = quote_identifier(cx->step->hazard_column);
	Datum	   *labels = palloc(sizeof(Datum) * (e->values.n + 1));
	Oid			argtypes[1] = {TEXTARRAYOID};
	Datum		values[1];
	int64		rows = fm_haz_rows_of(cx);
	int64		bad;
	char	   *qenum = fm_haz_qname(e->schema, e->name);

	for (int i = 0; i < e->values.n; i++)
		labels[i] = CStringGetTextDatum(fm_list_get(&e->values, i, FmEnumValue)->name);
	values[0] = PointerGetDatum(construct_array(labels, e->values.n, TEXTOID, -1, false, TYPALIGN_INT));
	bad = fm_haz_count_query(cx, dc->type.array ?
							 psprintf("SELECT pg_catalog.count(*) FROM %s WHERE EXISTS (SELECT FROM pg_catalog.unnest(%s) e(v) "
									  "WHERE e.v IS NOT NULL AND NOT (e.v::pg_catalog.text OPERATOR(pg_catalog.=) ANY ($1)))",
									  cx->qtable, qcol) :
							 psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s IS NOT NULL "
									  "AND NOT (%s::pg_catalog.text OPERATOR(pg_catalog.=) ANY ($1))",
									  cx->qtable, qcol, qcol),
							 1, argtypes, values);
	if (rows == 0)
		cx->detail = psprintf("table %s has 0 rows to rewrite.", cx->qtable);
	else if (bad == 0)
		cx->detail = psprintf("table %s has " INT64_FORMAT " %s to rewrite; every value of column %s is a label of the new enum %s.",
							  cx->qtable, rows, fm_haz_plural(rows, "row", "rows"), qcol, qenum);
	else
		cx->detail = psprintf("table %s has " INT64_FORMAT " %s to rewrite; " INT64_FORMAT " %s of column %s %s no label of the new enum %s; changing the type will fail.",
							  cx->qtable, rows, fm_haz_plural(rows, "row", "rows"), bad,
							  fm_haz_plural(bad, "row", "rows"), qcol, bad == 1 ? "holds a value that is" : "hold values that are",
							  qenum);
	cx->fails = bad > 0;
	cx->no_loss = bad == 0;
}

void
fm_haz_alter_type(HazCtx *cx)
{
	TypeChange	tc;
	int64		rows;
	int64		bad;
	int64		nfail = 0;
	const FmColumn *dc = NULL;
	const FmEnum *ne = new_enum_target(cx, &dc);

	if (ne != NULL && fm_haz_live_has_column(cx->ltable, cx->step->hazard_column))
	{
		alter_type_new_enum(cx, ne, dc);
		return;
	}
	if (!fm_haz_type_change(cx, &tc))
		return;
	rows = fm_haz_rows_of(cx);
	if (tc.fails != NULL)
		bad = fm_haz_count_query2(cx, psprintf("SELECT pg_catalog.count(*) FILTER (WHERE NOT (%s)), "
											   "pg_catalog.count(*) FILTER (WHERE %s) "
											   "FROM %s WHERE %s IS NOT NULL",
											   tc.check, tc.fails, cx->qtable, tc.qcol),
								  0, NULL, NULL, &nfail);
	else
		bad = fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s WHERE %s IS NOT NULL AND NOT (%s)",
											  cx->qtable, tc.qcol, tc.check), 0, NULL, NULL);
	if (nfail > 0)
	{
		cx->detail = alter_type_fails_detail(cx, &tc, rows, false, nfail);
		cx->fails = true;
	}
	else if (bad == 0)
		cx->detail = alter_type_clean_detail(cx, &tc, rows);
	else
		cx->detail = psprintf("table %s has " INT64_FORMAT " %s to rewrite; " INT64_FORMAT " %s of column %s cannot be converted to %s without loss.",
							  cx->qtable, rows, fm_haz_plural(rows, "row", "rows"), bad,
							  fm_haz_plural(bad, "value", "values"), tc.qcol, tc.newtype);
	cx->no_loss = (bad == 0);
}

/*
 * Converting failed for some value as a whole: try the distinct values one
 * by one, each in a subtransaction, up to FM_CAST_PROBE_LIMIT of them.
 */
void
fm_haz_alter_type_probe(HazCtx *cx)
{
	TypeChange	tc;
	int64		rows;
	int64		bad = 0;
	int64		nfail = 0;
	bool		partial = false;
	char	   *probe_sql;
	char	   *conv_sql;
	SPITupleTable *tt;
	uint64		nvals;
	Oid			argtypes[1] = {TEXTOID};
	Datum		values[1];

	if (!fm_haz_type_change(cx, &tc))
		return;
	rows = fm_haz_rows_of(cx);

	fm_haz_fig_select(cx->owner,
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
		fm_deparse_on_safe_path(cx->owner, psprintf("SELECT %s FROM (SELECT CAST($1 AS %s) AS %s) v",
										 tc.check, tc.oldtype, tc.qcol),
								1, argtypes);
	conv_sql = nvals == 0 ? NULL :
		fm_deparse_on_safe_path(cx->owner, psprintf("SELECT CASE WHEN (%s) IS NULL THEN true ELSE %s END "
										 "FROM (SELECT CAST($1 AS %s) AS %s) v",
										 tc.conv, tc.fails ? psprintf("NOT (%s)", tc.fails) : "true",
										 tc.oldtype, tc.qcol),
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
		/*
		 * the conversion raising an error (or, for a string too long for
		 * the new length, the statement's assignment conversion: see
		 * TypeChange) fails the statement
		 */
		p.q.sql = conv_sql;
		p.ok = false;
		if (!fm_run_protected(probe_cast, &p, true) || !p.ok)
		{
			nfail += n;
			continue;
		}
		p.q.sql = probe_sql;
		p.ok = false;
		if (!fm_run_protected(probe_cast, &p, true) || !p.ok)
			bad += n;
	}
	SPI_freetuptable(tt);
	if (nfail > 0)
	{
		cx->detail = alter_type_fails_detail(cx, &tc, rows, partial, nfail);
		cx->fails = true;
		cx->no_loss = false;
		return;
	}
	if (partial)
	{
		/*
		 * the conversion as a whole failed, and none of the values checked
		 * made it fail: one after them does, so the statement fails too
		 */
		cx->detail = psprintf("table %s has " INT64_FORMAT " %s to rewrite; a value of column %s after the first %d distinct values, which were checked, cannot be converted to %s; changing the type will fail.",
							  cx->qtable, rows, fm_haz_plural(rows, "row", "rows"),
							  tc.qcol, FM_CAST_PROBE_LIMIT, tc.newtype);
		cx->fails = true;
		cx->no_loss = false;
		return;
	}
	if (bad == 0 && !partial)
	{
		cx->detail = alter_type_clean_detail(cx, &tc, rows);
		cx->no_loss = true;
		return;
	}
	cx->detail = psprintf("table %s has " INT64_FORMAT " %s to rewrite; %s" INT64_FORMAT " %s of column %s cannot be converted to %s without loss%s.",
						  cx->qtable, rows, fm_haz_plural(rows, "row", "rows"),
						  partial ? "at least " : "", bad, fm_haz_plural(bad, "value", "values"),
						  tc.qcol, tc.newtype,
						  partial ? psprintf(" (first %d distinct values checked)", FM_CAST_PROBE_LIMIT) : "");
	cx->no_loss = (bad == 0 && !partial);
}

/* ADD_REQUIRED_COLUMN: the rows that make adding the column fail. */
void
fm_haz_add_required_column(HazCtx *cx)
{
	int64		n = fm_haz_rows_of(cx);

	cx->detail = psprintf("table %s has " INT64_FORMAT " %s; adding required column %s without a default %s.",
						  cx->qtable, n, fm_haz_plural(n, "row", "rows"),
						  quote_identifier(cx->step->hazard_column ? cx->step->hazard_column : ""),
						  n == 0 ? "will succeed" : "will fail");
	cx->fails = (n > 0);
}

/*
 * Does the plan convert live column c of table t to the new enum (the
 * desired model has it, of the same enum type), rather than drop it or
 * change its type?
 */
static bool
enum_column_converted(const HazCtx *cx, const FmTable *t, const FmColumn *c)
{
	const FmTable *dt;
	const FmColumn *dc;

	if (cx->desired == NULL)
		return true;
	dt = fm_haz_find_table(cx->desired, t->schema, t->name);
	dc = dt ? fm_table_find_column(dt, c->name) : NULL;
	return dc != NULL && dc->type.kind == FM_TYPE_ENUM &&
		fm_streq(dc->type.enum_schema, c->type.enum_schema) &&
		fm_streq(dc->type.enum_name, c->type.enum_name);
}

/*
 * haz_drop_enum_value
 *		DROP_ENUM_VALUE: for every label of the live enum that the desired
 *		enum drops, count the rows of the columns of that enum (or arrays of
 *		it) that hold it, each table counted as its owner; sets the detail and
 *		no_loss when no row holds a removed label, and fails when a row of a
 *		column that the plan converts to the new enum holds one (a column
 *		the plan drops, or retypes to another type, keeps the old enum until
 *		then: its rows make nothing fail).
 */
void
fm_haz_drop_enum_value(HazCtx *cx)
{
	const char *schema = cx->step->hazard_schema;
	const char *name = cx->step->hazard_table;
	const FmEnum *le = name ? fm_model_find_enum(cx->live, schema, name) : NULL;
	const FmEnum *de = name && cx->desired ? fm_model_find_enum(cx->desired, schema, name) : NULL;
	List	   *cols = cx->enum_cols;
	ListCell   *lc;
	StringInfoData buf;
	int64		total = 0;
	int64		converted = 0;
	StringInfoData views;
	int			nviews = 0;
	int			kc = 0;

	if (le == NULL)
		return;
	initStringInfo(&buf);
	initStringInfo(&views);
	/* the views that read a column converted to the new enum: it fails */
	for (lc = list_head(cols); lc != NULL; lc = lnext(cols, lnext(cols, lc)), kc++)
	{
		const FmTable *t = (const FmTable *) lfirst(lc);
		const FmColumn *c = (const FmColumn *) lfirst(lnext(cols, lc));

		if (enum_column_converted(cx, t, c))
			nviews += fm_haz_views_on(t->schema, t->name, c->name, &views);
	}
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
			int64		nc;

			values[0] = CStringGetTextDatum(v->name);
			/* a row holds the value: the column is it, or has it as an element */
			nc = fm_haz_count_query2_as(cx->enum_owners[k],
								 psprintf(c->type.array ?
										  "SELECT pg_catalog.count(*) FROM %s "
										  "WHERE $1 OPERATOR(pg_catalog.=) ANY (%s::pg_catalog.text[])" :
										  "SELECT pg_catalog.count(*) FROM %s "
										  "WHERE %s::pg_catalog.text OPERATOR(pg_catalog.=) $1",
										  fm_haz_qname(t->schema, t->name),
										  quote_identifier(c->name)),
								 1, argtypes, values, NULL);
			n += nc;
			if (nc > 0 && enum_column_converted(cx, t, c))
				converted += nc;
		}
		total += n;
		appendStringInfo(&buf, "%svalue %s is used by " INT64_FORMAT " %s",
						 buf.len ? "; " : "", quote_literal_cstr(v->name), n,
						 fm_haz_plural(n, "row", "rows"));
	}
	if (buf.len == 0)
		return;
	cx->detail = psprintf("%s; %s.", buf.data,
						  total == 0 ? "no row is affected" :
						  converted > 0 ? "removing a value in use will fail" :
						  "the plan drops the columns that hold it or gives them another type, so they are not converted to the new enum and nothing fails");
	cx->no_loss = (total == 0);
	cx->fails = (converted > 0);
	if (nviews > 0)
	{
		cx->detail = psprintf("%s %s %s %s a column converted to the new enum, which no plan changes: converting it will fail.",
							  cx->detail, nviews == 1 ? "View" : "Views", views.data,
							  nviews == 1 ? "reads" : "read");
		cx->fails = true;
	}
}

/*
 * The columns (of tables, views, composite types) and domains of the
 * database that use enum schema.name, or an array of it, and are not among
 * the model's columns cols (FmTable *, FmColumn * pairs): what the plan does
 * not change, on which DROP TYPE fails.  A column a partition or child only
 * inherits is left out: what the plan does to its parent's reaches it.  "s.t.c, domain s.d"; NULL when
 * none.  A catalog query, read as the caller.
 */
static char *
enum_users_outside(const char *schema, const char *name, List *cols, int *n)
{
	Oid			nsp = schema ? get_namespace_oid(schema, true) : InvalidOid;
	Oid			typid;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	StringInfoData buf;
	int			rc;

	*n = 0;
	if (!OidIsValid(nsp) ||
		!OidIsValid(typid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
											CStringGetDatum(name), ObjectIdGetDatum(nsp))))
		return NULL;
	args[0] = ObjectIdGetDatum(typid);
	rc = SPI_execute_with_args(
		"SELECT n.nspname::pg_catalog.text, c.relname::pg_catalog.text, a.attname::pg_catalog.text "
		"FROM pg_catalog.pg_attribute a "
		"JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) a.attrelid "
		"JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
		"WHERE a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped "
		"AND (a.attislocal OR a.attinhcount OPERATOR(pg_catalog.=) 0) "
		"AND c.relkind OPERATOR(pg_catalog.<>) 'i'::pg_catalog.\"char\" "
		"AND (a.atttypid OPERATOR(pg_catalog.=) $1 OR a.atttypid OPERATOR(pg_catalog.=) "
		"(SELECT t.typarray FROM pg_catalog.pg_type t WHERE t.oid OPERATOR(pg_catalog.=) $1)) "
		"UNION ALL "
		"SELECT n.nspname::pg_catalog.text, d.typname::pg_catalog.text, NULL "
		"FROM pg_catalog.pg_type d JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) d.typnamespace "
		"WHERE d.typtype OPERATOR(pg_catalog.=) 'd'::pg_catalog.\"char\" "
		"AND d.typbasetype OPERATOR(pg_catalog.=) $1 "
		"ORDER BY 1, 2, 3",
		1, argtypes, args, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		return NULL;
	initStringInfo(&buf);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *sch = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		char	   *rel = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		char	   *att = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3);
		bool		known = false;
		ListCell   *lc;

		CHECK_FOR_INTERRUPTS();
		for (lc = list_head(cols); att != NULL && lc != NULL && !known;
			 lc = lnext(cols, lnext(cols, lc)))
		{
			const FmTable *t = (const FmTable *) lfirst(lc);
			const FmColumn *c = (const FmColumn *) lfirst(lnext(cols, lc));

			known = fm_streq(t->schema, sch) && fm_streq(t->name, rel) &&
				fm_streq(c->name, att);
		}
		if (known)
			continue;
		if (att != NULL)
			appendStringInfo(&buf, "%s%s.%s", buf.len ? ", " : "",
							 fm_haz_qname(sch, rel), quote_identifier(att));
		else
			appendStringInfo(&buf, "%sdomain %s", buf.len ? ", " : "",
							 fm_haz_qname(sch, rel));
		(*n)++;
	}
	SPI_freetuptable(SPI_tuptable);
	return *n > 0 ? buf.data : NULL;
}

/*
 * DROP_ENUM: the live columns of the enum (from the model; nothing
 * counted), and what uses it outside the model (enum_users_outside), on
 * which DROP TYPE fails: the step is then marked failing.
 */
void
fm_haz_drop_enum(HazCtx *cx)
{
	List	   *cols = fm_haz_enum_columns(cx->live, cx->step->hazard_schema,
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
						 fm_haz_qname(t->schema, t->name), quote_identifier(c->name));
	}
	if (n == 0)
		cx->detail = psprintf("enum %s is not used by any column.",
							  fm_haz_qname(cx->step->hazard_schema, cx->step->hazard_table));
	else
		cx->detail = psprintf("enum %s is used by %d %s in the live database (%s); the plan drops or changes %s first.",
							  fm_haz_qname(cx->step->hazard_schema, cx->step->hazard_table),
							  n, fm_haz_plural(n, "column", "columns"), buf.data,
							  fm_haz_plural(n, "it", "them"));
	{
		int			nout;
		char	   *outside = enum_users_outside(cx->step->hazard_schema,
												 cx->step->hazard_table, cols, &nout);

		if (outside != NULL)
		{
			cx->detail = n == 0 ?
				psprintf("enum %s is used by %d %s that the plan does not change (%s): dropping it will fail.",
						 fm_haz_qname(cx->step->hazard_schema, cx->step->hazard_table),
						 nout, fm_haz_plural(nout, "object", "objects"), outside) :
				psprintf("%s It is also used by %d %s that the plan does not change (%s): dropping it will fail.",
						 cx->detail, nout,
						 fm_haz_plural(nout, "object", "objects"), outside);
			cx->fails = true;
		}
	}
}

/* ADD_CHECK: the rows violating the new CHECK expression. */
void
fm_haz_add_check(HazCtx *cx)
{
	int64		n;

	if (cx->step->hazard_extra == NULL || cx->ltable == NULL)
		return;
	n = fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s WHERE NOT (%s)",
										named_from(cx), cx->step->hazard_extra), 0, NULL, NULL);
	cx->detail = psprintf("table %s has " INT64_FORMAT " %s violating CHECK (%s); %s.",
						  cx->qtable, n, fm_haz_plural(n, "row", "rows"), cx->step->hazard_extra,
						  n == 0 ? "the constraint can be added" : "adding it will fail");
	cx->fails = (n > 0);
}

/*
 * haz_add_foreign_key
 *		ADD_FOREIGN_KEY: count the rows of the referencing table whose key
 *		columns are all non-null and match no row of the referenced table,
 *		compared with the referenced type's own equality operator, as the
 *		constraint's validation will.  A key column that is new has no values
 *		yet: the detail says so and nothing is counted.  Columns and tables
 *		the plan renames (@renamed) are read under their live names.
 */
void
fm_haz_add_foreign_key(HazCtx *cx)
{
	const FmTable *dt = fm_haz_find_table(cx->desired, cx->step->hazard_schema,
								   cx->step->hazard_table);
	const FmForeignKey *fk = NULL;
	const FmTable *rdt;
	const FmTable *rlt;
	char	   *ref_from;
	bool		ref_renamed;
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
	/* the referenced table and its columns under their live names */
	rdt = fm_haz_find_table(cx->desired, fk->ref_schema, fk->ref_table);
	rlt = fm_haz_find_table(cx->live, fk->ref_schema, fk->ref_table);
	if (rlt == NULL && rdt != NULL && rdt->renamed_from != NULL)
		rlt = fm_haz_find_table(cx->live, fk->ref_schema, rdt->renamed_from);
	if (rlt == NULL)
		return;
	ref_from = fm_haz_renamed_relation(rdt, rlt, &ref_renamed);
	fm_require_lock_rights_named(rlt->schema, rlt->name,
								 AccessShareLock, fm_haz_figure_why);
	refnsp = rlt->schema ? get_namespace_oid(rlt->schema, true) : InvalidOid;
	if (OidIsValid(refnsp))
		refrel = get_relname_relid(rlt->name, refnsp);
	initStringInfo(&cond);
	initStringInfo(&notnull);
	for (int i = 0; i < fk->columns.n; i++)
	{
		const char *c = fm_list_get(&fk->columns, i, char);
		const char *rc = fm_list_get(&fk->ref_columns, i, char);
		char	   *op = NULL;

		if (!fm_haz_live_has_column(cx->ltable, fm_haz_live_column(dt, cx->ltable, c)))
		{
			rows = fm_haz_rows_of(cx);
			cx->detail = psprintf("table %s has " INT64_FORMAT " %s to validate; column %s is new, so no row references a missing row yet.",
								  cx->qtable, rows, fm_haz_plural(rows, "row", "rows"),
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
			const char *live_rc = fm_haz_live_column(rdt, rlt, rc);
			AttrNumber	att = live_rc ? get_attnum(refrel, live_rc) : InvalidAttrNumber;

			if (att != InvalidAttrNumber)
				op = fm_haz_eq_operator(get_atttype(refrel, att));
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
		est = fm_haz_sample_estimate(cx, psprintf("%s AND NOT EXISTS (SELECT 1 FROM %s r WHERE %s)",
										   notnull.data, ref_from, cond.data),
							  &total);
		cx->qtable = q;
		cx->detail = psprintf("table %s has %s rows to validate; %s rows reference missing rows (%s); %s.",
							  cx->qtable, fm_haz_about(total), fm_haz_about(est), fm_haz_sample_method(),
							  est < 0.5 ? "the foreign key can likely be added" : "adding it will fail");
		return;
	}
	rows = fm_haz_rows_of(cx);
	orphans = fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s t WHERE %s AND NOT EXISTS "
								   "(SELECT 1 FROM %s r WHERE %s)",
								   cx->from, notnull.data, ref_from, cond.data),
						  0, NULL, NULL);
	cx->detail = psprintf("table %s has " INT64_FORMAT " %s to validate; " INT64_FORMAT " %s %s; %s.",
						  cx->qtable, rows, fm_haz_plural(rows, "row", "rows"), orphans,
						  fm_haz_plural(orphans, "row", "rows"),
						  orphans == 1 ? "references a missing row" : "reference missing rows",
						  orphans == 0 ? "the foreign key can be added" : "adding it will fail");
	cx->fails = (orphans > 0);
}
