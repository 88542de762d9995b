/*-------------------------------------------------------------------------
 *
 * rowsource_spi.c
 *	  The row source of this database's catalog: queries run through SPI,
 *	  with text parameters, and every cell is converted by its type's output
 *	  function (as SPI_getvalue does), so that the rows are the very text
 *	  that libpq would receive from another database (rowsource.h).  Also the
 *	  two helpers common to both implementations.
 *
 * src/backend/rowsource_spi.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "fm_util.h"
#include "rowsource.h"

/*
 * fm_rows_alloc
 *		See rowsource.h.
 */
FmRows *
fm_rows_alloc(uint64 n, int ncols)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "ferriorm rows",
											  ALLOCSET_DEFAULT_SIZES);
	FmRows	   *rows = MemoryContextAllocZero(cxt, sizeof(FmRows));

	rows->n = n;
	rows->ncols = ncols;
	rows->cxt = cxt;
	rows->cells = MemoryContextAllocExtended(cxt,
											 sizeof(char *) * Max(n * ncols, 1),
											 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	return rows;
}

/*
 * fm_text_array_literal
 *		See rowsource.h.
 */
char *
fm_text_array_literal(const FmList *l)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int i = 0; i < l->n; i++)
	{
		const char *p = fm_list_get(l, i, const char);

		appendStringInfoString(&buf, i ? ",\"" : "\"");
		for (; *p; p++)
		{
			if (*p == '"' || *p == '\\')
				appendStringInfoChar(&buf, '\\');
			appendStringInfoChar(&buf, *p);
		}
		appendStringInfoChar(&buf, '"');
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

void
fm_rows_free(FmRows *rows)
{
	if (rows != NULL)
		MemoryContextDelete(rows->cxt);
}

/*
 * Kept plans.  The catalog queries of introspection are a fixed set of
 * texts, each run once or more by every plan, pull and drift check; parsing
 * and planning them again each time cost 7% of a plan of 1,000 tables.  So
 * each text is prepared once per backend (SPI_prepare, SPI_keepplan) and
 * found again by its text.  The plan cache replans a kept statement when
 * what it was planned on changes (plancache.c), and every name in these
 * queries is schema-qualified, so a kept plan is never stale.  At most
 * KEPT_PLANS_MAX texts are kept (a few dozen exist); any other is planned
 * each time, as before.
 */
#define KEPT_PLANS_MAX 64

typedef struct KeptPlan
{
	char	   *sql;			/* in TopMemoryContext */
	int			nparams;		/* all of type text */
	SPIPlanPtr	plan;
} KeptPlan;

static KeptPlan kept_plans[KEPT_PLANS_MAX];
static int	n_kept_plans;

/*
 * kept_plan
 *		The kept plan of sql with nparams text parameters, prepared and kept
 *		on first use; NULL when there is no room to keep another.  Errors
 *		(a query that does not parse) are raised, and nothing is kept then.
 */
static SPIPlanPtr
kept_plan(const char *sql, int nparams, Oid *types)
{
	SPIPlanPtr	plan;

	for (int i = 0; i < n_kept_plans; i++)
		if (kept_plans[i].nparams == nparams &&
			strcmp(kept_plans[i].sql, sql) == 0)
			return kept_plans[i].plan;
	if (n_kept_plans >= KEPT_PLANS_MAX)
		return NULL;
	plan = SPI_prepare(sql, nparams, types);
	if (plan == NULL)
		elog(ERROR, "ferriorm introspection query failed to prepare: %s",
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "ferriorm could not keep an introspection plan");
	kept_plans[n_kept_plans].sql = MemoryContextStrdup(TopMemoryContext, sql);
	kept_plans[n_kept_plans].nparams = nparams;
	kept_plans[n_kept_plans].plan = plan;
	n_kept_plans++;
	return plan;
}

/*
 * spi_query
 *		Run one query through SPI and copy its cells out as text: each row
 *		deformed once, each cell converted by its type's output function
 *		(looked up once per column, as SPI_getvalue would per cell) straight
 *		into the row set's memory.  The SPI tuple table is freed before
 *		returning, so row sets may nest.
 */
static FmRows *
spi_query(FmRowSource *rs, const char *sql, int nparams,
		  const char *const *params)
{
	bool		read_only = *(bool *) rs->impl;
	Oid		   *types = palloc(sizeof(Oid) * (nparams > 0 ? nparams : 1));
	Datum	   *values = palloc(sizeof(Datum) * (nparams > 0 ? nparams : 1));
	char	   *nulls = palloc(sizeof(char) * (nparams > 0 ? nparams : 1));
	SPITupleTable *tt;
	TupleDesc	desc;
	FmRows	   *rows;
	FmgrInfo   *out;
	Datum	   *cells;
	bool	   *isnull;
	MemoryContext oldcxt;
	SPIPlanPtr	plan;
	int			rc;

	for (int i = 0; i < nparams; i++)
	{
		types[i] = TEXTOID;
		values[i] = params[i] ? CStringGetTextDatum(params[i]) : (Datum) 0;
		nulls[i] = params[i] ? ' ' : 'n';
	}
	plan = kept_plan(sql, nparams, types);
	if (plan != NULL)
		rc = SPI_execute_plan(plan, values, nulls, read_only, 0);
	else
		rc = SPI_execute_with_args(sql, nparams, types, values, nulls,
								   read_only, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "ferriorm introspection query failed: %s",
			 SPI_result_code_string(rc));
	tt = SPI_tuptable;
	desc = tt->tupdesc;
	rows = fm_rows_alloc(SPI_processed, desc->natts);
	out = palloc(sizeof(FmgrInfo) * Max(rows->ncols, 1));
	cells = palloc(sizeof(Datum) * Max(rows->ncols, 1));
	isnull = palloc(sizeof(bool) * Max(rows->ncols, 1));
	for (int c = 0; c < rows->ncols; c++)
	{
		Oid			outfn;
		bool		varlena;

		getTypeOutputInfo(TupleDescAttr(desc, c)->atttypid, &outfn, &varlena);
		fmgr_info(outfn, &out[c]);
	}
	oldcxt = MemoryContextSwitchTo(rows->cxt);
	for (uint64 r = 0; r < rows->n; r++)
	{
		heap_deform_tuple(tt->vals[r], desc, cells, isnull);
		for (int c = 0; c < rows->ncols; c++)
			if (!isnull[c])
				rows->cells[r * rows->ncols + c] =
					OutputFunctionCall(&out[c], cells[c]);
		CHECK_FOR_INTERRUPTS();
	}
	MemoryContextSwitchTo(oldcxt);
	SPI_freetuptable(tt);
	pfree(out);
	pfree(cells);
	pfree(isnull);
	pfree(types);
	pfree(values);
	pfree(nulls);
	return rows;
}

/*
 * fm_rowsource_spi_init
 *		See rowsource.h.
 */
void
fm_rowsource_spi_init(FmRowSource *rs, bool read_only)
{
	bool	   *ro = palloc(sizeof(bool));

	*ro = read_only;
	rs->query = spi_query;
	rs->what = "local catalog";
	rs->impl = ro;
}
