/*-------------------------------------------------------------------------
 *
 * hazards_estimate.c
 *	  Hazard figures estimated, past ferriorm.hazard_budget.
 *
 * Design note.  When counting a table exactly would exceed what is left of
 * the hazard budget (hazards.c, over_budget()), the figure is estimated
 * from pg_class.reltuples, pg_stats (null_frac, n_distinct) or a
 * TABLESAMPLE SYSTEM of about FM_SAMPLE_BLOCKS blocks, REPEATABLE so that
 * a plan is reproducible.  Whether anything is lost at all is still
 * decided exactly where it is cheap (fm_haz_est_drop_table and the
 * non-null case of fm_haz_est_column_nulls probe for one row), so that an
 * empty table or column is never reported as losing data.  Every sentence
 * says that it is an estimate, and from what.  Numbers are printed as
 * "about 1,234,567" (fm_haz_about).
 *
 * src/backend/hazards_estimate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "fm_plan_int.h"
#include "hazards_int.h"
#include "security.h"

/* ---------- estimates, past the hazard budget ---------- */

/* how many blocks a TABLESAMPLE estimate reads, about */
#define FM_SAMPLE_BLOCKS 1000

static const char *const budget_note =
"exact counting would exceed ferriorm.hazard_budget";

/* "about 1,234,567" */
char *
fm_haz_about(double n)
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
	return fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM (SELECT FROM %s WHERE %s LIMIT 1) p",
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
double
fm_haz_sample_estimate(HazCtx *cx, const char *cond, double *total)
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
	sampled = fm_haz_count_query2(cx, psprintf("SELECT pg_catalog.count(*), pg_catalog.count(*) FILTER (WHERE %s) "
									"FROM %s TABLESAMPLE SYSTEM (%.6f) REPEATABLE (0)",
									cond, cx->qtable, pct), 0, NULL, NULL, &matching);
	if (reltuples < 0)
		reltuples = sampled * 100.0 / pct;
	*total = reltuples;
	return sampled > 0 ? reltuples * (double) matching / (double) sampled : 0;
}

/* The method clause of a sampled estimate, for the detail sentence. */
char *
fm_haz_sample_method(void)
{
	return psprintf("estimate: TABLESAMPLE SYSTEM of about %d blocks; %s",
					FM_SAMPLE_BLOCKS, budget_note);
}

/*
 * fm_haz_est_drop_table
 *		DROP_TABLE past the budget: emptiness checked exactly (one row
 *		probed), else the rows from pg_class.reltuples or a sample.
 */
void
fm_haz_est_drop_table(HazCtx *cx)
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
		(void) fm_haz_sample_estimate(cx, "true", &n);
	cx->detail = psprintf("table %s has %s rows (estimate: pg_class.reltuples; %s); they will be lost.",
						  cx->qtable, fm_haz_about(n), budget_note);
}

/*
 * fm_haz_est_column_nulls
 *		DROP_COLUMN (want_nulls false: non-null values, emptiness probed
 *		exactly) or SET_NOT_NULL (want_nulls true: NULL rows) past the
 *		budget: from pg_stats.null_frac and reltuples when ANALYZE gathered
 *		them, else from a sample.  NULL rows estimated are confirmed by
 *		probing for one (LIMIT 1, quick where they exist), so that a step
 *		that will fail is marked so and push refuses it up front.
 */
void
fm_haz_est_column_nulls(HazCtx *cx, bool want_nulls)
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
		n = fm_haz_sample_estimate(cx, psprintf("%s IS %sNULL", qcol, want_nulls ? "" : "NOT "), &rows);
		method = fm_haz_sample_method();
	}
	/* the probe found one */
	if (!want_nulls && n < 1)
		n = 1;
	if (want_nulls && n < 0.5)
		cx->detail = psprintf("column %s of table %s likely has no NULL rows (%s); SET NOT NULL will likely succeed.",
							  qcol, cx->qtable, method);
	else if (want_nulls && probe_exists(cx, psprintf("%s IS NULL", qcol)))
	{
		/* confirmed by one row: the step fails, and push refuses it first */
		cx->detail = psprintf("column %s of table %s has %s NULL rows (%s; one found); SET NOT NULL will fail.",
							  qcol, cx->qtable, fm_haz_about(n), method);
		cx->fails = true;
	}
	else if (want_nulls)
		cx->detail = psprintf("column %s of table %s has no NULL row (the estimate, %s, was stale); SET NOT NULL will succeed.",
							  qcol, cx->qtable, method);
	else
		cx->detail = psprintf("column %s of table %s has %s non-null values (%s); they will be lost.",
							  qcol, cx->qtable, fm_haz_about(n), method);
}

/*
 * fm_haz_est_add_unique
 *		ADD_UNIQUE past the budget: for a key on one plain column with
 *		statistics, the duplicate rows from pg_stats.n_distinct; otherwise
 *		only the size of the table, with duplicates not counted.
 */
void
fm_haz_est_add_unique(HazCtx *cx)
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
								  cx->qtable, fm_haz_about(dup), elems, budget_note);
		return;
	}
	cx->detail = psprintf("table %s has %s rows; duplicates in (%s) were not counted (%s); adding the unique key fails if there are any.",
						  cx->qtable, fm_haz_about(rows < 0 ? 0 : rows), elems, budget_note);
}

/* ALTER_TYPE past the budget: the values lost, from a sample. */
void
fm_haz_est_alter_type(HazCtx *cx)
{
	TypeChange	tc;
	double		rows;
	double		bad;

	if (!fm_haz_type_change(cx, &tc))
		return;
	bad = fm_haz_sample_estimate(cx, psprintf("%s IS NOT NULL AND NOT (%s)", tc.qcol, tc.check), &rows);
	cx->detail = psprintf("table %s has %s rows to rewrite; %s values of column %s cannot be converted to %s without loss (%s).",
						  cx->qtable, fm_haz_about(rows), fm_haz_about(bad), tc.qcol, tc.newtype,
						  fm_haz_sample_method());
}

/*
 * fm_haz_est_add_required_column
 *		ADD_REQUIRED_COLUMN past the budget: emptiness checked exactly, else
 *		the rows from pg_class.reltuples.
 */
void
fm_haz_est_add_required_column(HazCtx *cx)
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
						  cx->qtable, fm_haz_about(n), budget_note,
						  quote_identifier(cx->step->hazard_column ? cx->step->hazard_column : ""));
}

/* ADD_CHECK past the budget: the violating rows, from a sample. */
void
fm_haz_est_add_check(HazCtx *cx)
{
	double		rows;
	double		n;

	if (cx->step->hazard_extra == NULL || cx->ltable == NULL)
		return;
	n = fm_haz_sample_estimate(cx, psprintf("NOT (%s)", cx->step->hazard_extra), &rows);
	cx->detail = psprintf("table %s has %s rows violating CHECK (%s) (%s); %s.",
						  cx->qtable, fm_haz_about(n), cx->step->hazard_extra, fm_haz_sample_method(),
						  n < 0.5 ? "the constraint can likely be added" : "adding it will fail");
}
