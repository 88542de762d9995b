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
#include "nodes/params.h"
#include "tcop/dest.h"

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
 * prepare
 *		sql planned with nparams text parameters, as SPI_execute_with_args
 *		would plan it (parallel plans allowed: the queries only read).
 */
static SPIPlanPtr
prepare(const char *sql, int nparams, Oid *types)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, nparams, types,
										  CURSOR_OPT_PARALLEL_OK);

	if (plan == NULL)
		elog(ERROR, "ferriorm introspection query failed to prepare: %s",
			 SPI_result_code_string(SPI_result));
	return plan;
}

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
	plan = prepare(sql, nparams, types);
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "ferriorm could not keep an introspection plan");
	kept_plans[n_kept_plans].sql = MemoryContextStrdup(TopMemoryContext, sql);
	kept_plans[n_kept_plans].nparams = nparams;
	kept_plans[n_kept_plans].plan = plan;
	n_kept_plans++;
	return plan;
}

/*
 * The receiver of a query's rows: each row, as the executor produces it,
 * goes straight into the row set as text (no SPI tuple table, so no copy
 * of each row as a heap tuple and no second deforming).
 */
typedef struct RowsReceiver
{
	DestReceiver pub;
	FmRows	   *rows;
	uint64		cap;			/* rows the cells array has room for */
	FmgrInfo   *out;			/* output function of each column */
	MemoryContext parent;		/* the caller's: SPI's own is reset */
} RowsReceiver;

/* rStartup: the output functions of the columns, and the first cells */
static void
rows_startup(DestReceiver *self, int operation, TupleDesc desc)
{
	RowsReceiver *r = (RowsReceiver *) self;
	int			ncols = desc->natts;
	MemoryContext oldcxt = MemoryContextSwitchTo(r->parent);

	r->rows = fm_rows_alloc(0, ncols);
	MemoryContextSwitchTo(oldcxt);
	r->cap = 0;				/* fm_rows_alloc(0, ...) has room for no row */
	r->out = MemoryContextAlloc(r->rows->cxt, sizeof(FmgrInfo) * Max(ncols, 1));
	for (int c = 0; c < ncols; c++)
	{
		Oid			outfn;
		bool		varlena;

		getTypeOutputInfo(TupleDescAttr(desc, c)->atttypid, &outfn, &varlena);
		fmgr_info_cxt(outfn, &r->out[c], r->rows->cxt);
	}
}

/* receiveSlot: one row, each cell by its column's output function */
static bool
rows_receive(TupleTableSlot *slot, DestReceiver *self)
{
	RowsReceiver *r = (RowsReceiver *) self;
	FmRows	   *rows = r->rows;
	MemoryContext oldcxt;
	char	  **cells;

	if (rows->n >= r->cap)
	{
		uint64		cap = r->cap * 2 < 1024 ? 1024 : r->cap * 2;

		rows->cells = repalloc_huge(rows->cells,
									sizeof(char *) * cap * Max(rows->ncols, 1));
		r->cap = cap;
	}
	slot_getallattrs(slot);
	cells = rows->cells + rows->n * rows->ncols;
	oldcxt = MemoryContextSwitchTo(rows->cxt);
	for (int c = 0; c < rows->ncols; c++)
		cells[c] = slot->tts_isnull[c] ? NULL :
			OutputFunctionCall(&r->out[c], slot->tts_values[c]);
	MemoryContextSwitchTo(oldcxt);
	rows->n++;
	return true;
}

static void
rows_shutdown(DestReceiver *self)
{
}

static void
rows_destroy(DestReceiver *self)
{
}

/*
 * spi_query
 *		Run one query through SPI and copy its cells out as text: each row,
 *		as the executor produces it (RowsReceiver), converted cell by cell
 *		by its type's output function (looked up once per column, as
 *		SPI_getvalue would per cell) straight into the row set's memory.
 *		The row set lives in its own context, so row sets may nest.
 */
static FmRows *
spi_query(FmRowSource *rs, const char *sql, int nparams,
		  const char *const *params)
{
	bool		read_only = *(bool *) rs->impl;
	Oid		   *types = palloc(sizeof(Oid) * (nparams > 0 ? nparams : 1));
	ParamListInfo pl = makeParamList(nparams);
	SPIExecuteOptions opts = {0};
	RowsReceiver recv = {{0}};
	SPIPlanPtr	plan;
	int			rc;

	for (int i = 0; i < nparams; i++)
	{
		ParamExternData *prm = &pl->params[i];

		types[i] = TEXTOID;
		prm->ptype = TEXTOID;
		prm->isnull = params[i] == NULL;
		prm->value = params[i] ? CStringGetTextDatum(params[i]) : (Datum) 0;
		prm->pflags = PARAM_FLAG_CONST;
	}
	recv.pub.receiveSlot = rows_receive;
	recv.pub.rStartup = rows_startup;
	recv.pub.rShutdown = rows_shutdown;
	recv.pub.rDestroy = rows_destroy;
	recv.pub.mydest = DestNone;
	recv.parent = CurrentMemoryContext;
	opts.params = pl;
	opts.read_only = read_only;
	opts.dest = (DestReceiver *) &recv;
	plan = kept_plan(sql, nparams, types);
	if (plan != NULL)
		rc = SPI_execute_plan_extended(plan, &opts);
	else
	{
		/* no room to keep it: planned for this run only */
		plan = prepare(sql, nparams, types);
		rc = SPI_execute_plan_extended(plan, &opts);
		SPI_freeplan(plan);
	}
	/* SPI reports a SELECT whose rows went elsewhere as SPI_OK_UTILITY */
	if ((rc != SPI_OK_SELECT && rc != SPI_OK_UTILITY) || recv.rows == NULL)
		elog(ERROR, "ferriorm introspection query failed: %s",
			 SPI_result_code_string(rc));
	pfree(types);
	pfree(pl);
	return recv.rows;
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
