/*-------------------------------------------------------------------------
 *
 * rowsource_libpq.c
 *	  The row source of another database, over a libpq connection opened
 *	  by loopback.c (the shadow database of "migrate dev").  A query runs
 *	  with fm_loopback_query (cancellable, remote errors relayed), and its
 *	  text cells are copied into palloc'd memory at once, so no libpq
 *	  result outlives the call, whatever error follows (rowsource.h).
 *
 * One snapshot: the caller runs the introspection queries in one
 * REPEATABLE READ READ ONLY transaction of the connection
 * (fm_rowsource_libpq_begin / _end).
 *
 * src/backend/rowsource_libpq.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "loopback.h"
#include "rowsource.h"

/*
 * libpq_query
 *		Run one query on the connection and copy every cell out.
 */
static FmRows *
libpq_query(FmRowSource *rs, const char *sql, int nparams,
			const char *const *params)
{
	PGconn	   *conn = (PGconn *) rs->impl;
	PGresult   *res = fm_loopback_query(conn, sql, nparams, params);
	FmRows	   *volatile rows = NULL;

	PG_TRY();
	{
		uint64		n = res ? (uint64) PQntuples(res) : 0;
		int			ncols = res ? PQnfields(res) : 0;

		rows = fm_rows_alloc(n, ncols);
		for (uint64 r = 0; r < n; r++)
		{
			for (int c = 0; c < ncols; c++)
				if (!PQgetisnull(res, (int) r, c))
					rows->cells[r * ncols + c] =
						MemoryContextStrdup(rows->cxt, PQgetvalue(res, (int) r, c));
			CHECK_FOR_INTERRUPTS();
		}
	}
	PG_FINALLY();
	{
		PQclear(res);
	}
	PG_END_TRY();
	return rows;
}

/*
 * fm_rowsource_libpq_init
 *		See rowsource.h.
 */
void
fm_rowsource_libpq_init(FmRowSource *rs, PGconn *conn)
{
	rs->query = libpq_query;
	rs->what = "shadow database";
	rs->impl = conn;
}
