/*-------------------------------------------------------------------------
 *
 * rowsource.h
 *	  The row source through which introspection reads a catalog: run a
 *	  query with text parameters, then read its cells as text.  Two
 *	  implementations: SPI for this database's catalog (rowsource_spi.c)
 *	  and libpq for another database, such as the shadow database of
 *	  "migrate dev" (rowsource_libpq.c).  One set of catalog queries and
 *	  one row-to-model loader (introspect.c) serve both, so that a shadow
 *	  database is read exactly as a local plan reads this one.
 *
 * Cells are the text output of their type (what SPI_getvalue and libpq's
 * text format give, which are the same for the same server version).
 * Parameters are text too: the SQL casts them ($1::pg_catalog.oid[]).
 *
 * src/backend/rowsource.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_ROWSOURCE_H
#define FM_ROWSOURCE_H

#include "postgres.h"

#include "libpq-fe.h"

/*
 * The rows of one query, fully read: cells live in memory that is palloc'd
 * in the memory context current when the query ran, and freed by
 * fm_rows_free() (or with that context on error).
 */
typedef struct FmRows
{
	uint64		n;				/* number of rows */
	int			ncols;
	char	  **cells;			/* n * ncols, row-major; NULL = SQL NULL */
	MemoryContext cxt;			/* owns cells and their strings */
} FmRows;

typedef struct FmRowSource FmRowSource;

/*
 * Run sql (a SELECT) with nparams text parameters (NULL elements are SQL
 * NULL) and return every row.  ERROR on failure.
 */
typedef FmRows *(*fm_rowsource_query_fn) (FmRowSource *rs, const char *sql,
										  int nparams,
										  const char *const *params);

struct FmRowSource
{
	fm_rowsource_query_fn query;
	const char *what;			/* for messages: "local catalog", ... */
	void	   *impl;			/* implementation state */
};

/* cell (row, col) of rows, col 1-based as in SQL; NULL when SQL NULL */
static inline const char *
fm_rows_cell(const FmRows *rows, uint64 row, int col)
{
	Assert(row < rows->n && col >= 1 && col <= rows->ncols);
	return rows->cells[row * rows->ncols + (col - 1)];
}

/* a text[] literal of a list of strings (char *), for a text parameter */
struct FmList;
extern char *fm_text_array_literal(const struct FmList *l);

/* free a query's rows */
extern void fm_rows_free(FmRows *rows);

/*
 * A row set of n rows and ncols columns, cells all NULL, in a new child of
 * the current memory context; the implementations fill it.
 */
extern FmRows *fm_rows_alloc(uint64 n, int ncols);

/*
 * The local catalog, through SPI.  The caller is connected to SPI for as
 * long as it uses the source; read_only queries run on the active
 * snapshot (the caller pushes one), as SPI's read-only mode does.
 */
extern void fm_rowsource_spi_init(FmRowSource *rs, bool read_only);

/* Another database, over an open libpq connection (loopback.c) */
extern void fm_rowsource_libpq_init(FmRowSource *rs, PGconn *conn);

#endif							/* FM_ROWSOURCE_H */
