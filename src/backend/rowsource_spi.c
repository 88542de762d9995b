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
	uint64		last_rows;		/* rows of its last run: the next one's room */
	Size		last_bytes;		/* bytes of text of its last run, likewise */
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
static KeptPlan *
kept_plan(const char *sql, int nparams, Oid *types)
{
	KeptPlan   *kp;
	SPIPlanPtr	plan;

	for (int i = 0; i < n_kept_plans; i++)
		if (kept_plans[i].nparams == nparams &&
			strcmp(kept_plans[i].sql, sql) == 0)
			return &kept_plans[i];
	if (n_kept_plans >= KEPT_PLANS_MAX)
		return NULL;
	plan = prepare(sql, nparams, types);
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "ferriorm could not keep an introspection plan");
	kp = &kept_plans[n_kept_plans];
	kp->sql = MemoryContextStrdup(TopMemoryContext, sql);
	kp->nparams = nparams;
	kp->plan = plan;
	kp->last_rows = 0;
	kp->last_bytes = 0;
	n_kept_plans++;
	return kp;
}

/*
 * The receiver of a query's rows: each row, as the executor produces it,
 * goes straight into the row set as text (no SPI tuple table, so no copy
 * of each row as a heap tuple and no second deforming).
 *
 * Memory is what a plan of many tables pays for here: a page the backend
 * touches for the first time costs a fault (10 to 14 microseconds on a
 * virtual machine), and a row set is built and freed for every query.  So
 * the texts are not one palloc'd chunk per cell (a 16-byte header and a
 * power-of-two size for "t" or "16384") but packed one after another in
 * large pieces of the row set's context; the types catalog rows are made
 * of (bool, "char", int2, int4, oid, name, text) are converted here, with
 * no call through fmgr, into the very text of their output functions
 * (boolout, charout, int2out, int4out, oidout, nameout, textout); a bool
 * is a constant string; and the room of the cells and of the texts is, at
 * first, what the same kept query needed the last time.  Any other type
 * goes through its output function in a context reset after each row.
 */
typedef enum CellKind
{
	CELL_OUTPUT,				/* the type's output function */
	CELL_BOOL,
	CELL_CHAR,
	CELL_INT2,
	CELL_INT4,
	CELL_OID,
	CELL_NAME,
	CELL_TEXT
} CellKind;

/* at least this much room for texts is allocated at a time */
#define TEXT_PIECE_MIN (64 * 1024)

typedef struct RowsReceiver
{
	DestReceiver pub;
	FmRows	   *rows;
	uint64		cap;			/* rows the cells array has room for */
	CellKind   *kind;			/* how each column is converted */
	FmgrInfo   *out;			/* output function of each column that
								 * cell_text may call it for (CELL_OUTPUT,
								 * CELL_CHAR), else zeroed */
	MemoryContext parent;		/* the caller's: SPI's own is reset */
	MemoryContext scratch;		/* output functions' results, per row */
	char	   *text;			/* free room for texts ... */
	Size		text_left;		/* ... and its size */
	Size		text_bytes;		/* texts stored, terminators included */
	uint64		hint_rows;		/* room to start with (kept plan's last run) */
	Size		hint_bytes;
} RowsReceiver;

/* how a column of type typid is converted (CellKind) */
static CellKind
cell_kind(Oid typid)
{
	switch (typid)
	{
		case BOOLOID:
			return CELL_BOOL;
		case CHAROID:
			return CELL_CHAR;
		case INT2OID:
			return CELL_INT2;
		case INT4OID:
			return CELL_INT4;
		case OIDOID:
			return CELL_OID;
		case NAMEOID:
			return CELL_NAME;
		case TEXTOID:
			return CELL_TEXT;
		default:
			return CELL_OUTPUT;
	}
}

/*
 * store_text
 *		A copy of the len bytes at s, terminated, in the row set's room for
 *		texts, which grows by a piece of its context when it is full (the
 *		first piece sized by the receiver's hint).
 */
static char *
store_text(RowsReceiver *r, const char *s, Size len)
{
	char	   *dst;

	if (len + 1 > r->text_left)
	{
		Size		piece = Max(len + 1, TEXT_PIECE_MIN);

		if (r->text_bytes == 0 && r->hint_bytes > piece)
			piece = r->hint_bytes;
		r->text = MemoryContextAllocExtended(r->rows->cxt, piece,
											 MCXT_ALLOC_HUGE);
		r->text_left = piece;
	}
	dst = r->text;
	memcpy(dst, s, len);
	dst[len] = '\0';
	r->text += len + 1;
	r->text_left -= len + 1;
	r->text_bytes += len + 1;
	return dst;
}

/* rStartup: how each column is converted, and room for the first rows */
static void
rows_startup(DestReceiver *self, int operation, TupleDesc desc)
{
	RowsReceiver *r = (RowsReceiver *) self;
	int			ncols = desc->natts;
	MemoryContext oldcxt = MemoryContextSwitchTo(r->parent);
	FmRows	   *rows;

	rows = fm_rows_alloc(0, ncols);
	MemoryContextSwitchTo(oldcxt);
	r->rows = rows;
	r->cap = 0;				/* fm_rows_alloc(0, ...) has room for no row */
	if (r->hint_rows > 0)
	{
		/* every cell of a row is written before the next: no zeroing */
		pfree(rows->cells);
		rows->cells = MemoryContextAllocExtended(rows->cxt,
												 sizeof(char *) * r->hint_rows * Max(ncols, 1),
												 MCXT_ALLOC_HUGE);
		r->cap = r->hint_rows;
	}
	r->scratch = AllocSetContextCreate(rows->cxt, "ferriorm row texts",
									   ALLOCSET_SMALL_SIZES);
	r->kind = MemoryContextAlloc(rows->cxt, sizeof(CellKind) * Max(ncols, 1));
	r->out = MemoryContextAllocZero(rows->cxt, sizeof(FmgrInfo) * Max(ncols, 1));
	for (int c = 0; c < ncols; c++)
	{
		Oid			typid = TupleDescAttr(desc, c)->atttypid;
		Oid			outfn;
		bool		varlena;

		r->kind[c] = cell_kind(typid);
		if (r->kind[c] != CELL_OUTPUT && r->kind[c] != CELL_CHAR)
			continue;			/* converted here, never by charout & co. */
		getTypeOutputInfo(typid, &outfn, &varlena);
		fmgr_info_cxt(outfn, &r->out[c], rows->cxt);
	}
}

/*
 * cell_text
 *		The text of the value v of column c, as its type's output function
 *		prints it, stored in the row set (or a constant for a bool).
 */
static char *
cell_text(RowsReceiver *r, int c, Datum v)
{
	char		digits[MAXINT8LEN + 1];
	int			len;

	switch (r->kind[c])
	{
		case CELL_BOOL:
			return DatumGetBool(v) ? "t" : "f";
		case CELL_CHAR:
			{
				char		ch = DatumGetChar(v);

				/* charout escapes the high-bit ones, prints '\0' as "" */
				if (ch != '\0' && !IS_HIGHBIT_SET(ch))
					return store_text(r, &ch, 1);
				break;
			}
		case CELL_INT2:
			len = pg_itoa(DatumGetInt16(v), digits);
			return store_text(r, digits, len);
		case CELL_INT4:
			len = pg_ltoa(DatumGetInt32(v), digits);
			return store_text(r, digits, len);
		case CELL_OID:
			len = pg_ultoa_n(DatumGetObjectId(v), digits);
			return store_text(r, digits, len);
		case CELL_NAME:
			{
				const char *name = NameStr(*DatumGetName(v));

				return store_text(r, name, strlen(name));
			}
		case CELL_TEXT:
			{
				MemoryContext oldcxt = MemoryContextSwitchTo(r->scratch);
				text	   *t = DatumGetTextPP(v);	/* detoasted if need be */
				char	   *dst;

				dst = store_text(r, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
				MemoryContextSwitchTo(oldcxt);
				return dst;
			}
		case CELL_OUTPUT:
			break;
	}
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(r->scratch);
		char	   *s = OutputFunctionCall(&r->out[c], v);

		MemoryContextSwitchTo(oldcxt);
		return store_text(r, s, strlen(s));
	}
}

/* receiveSlot: one row, each cell converted by cell_text */
static bool
rows_receive(TupleTableSlot *slot, DestReceiver *self)
{
	RowsReceiver *r = (RowsReceiver *) self;
	FmRows	   *rows = r->rows;
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
	for (int c = 0; c < rows->ncols; c++)
		cells[c] = slot->tts_isnull[c] ? NULL :
			cell_text(r, c, slot->tts_values[c]);
	MemoryContextReset(r->scratch);
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
	KeptPlan   *kept;
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
	kept = kept_plan(sql, nparams, types);
	if (kept != NULL)
	{
		recv.hint_rows = kept->last_rows;
		recv.hint_bytes = kept->last_bytes;
		rc = SPI_execute_plan_extended(kept->plan, &opts);
	}
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
	MemoryContextDelete(recv.scratch);
	if (kept != NULL)
	{
		kept->last_rows = recv.rows->n;
		kept->last_bytes = recv.text_bytes;
	}
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
