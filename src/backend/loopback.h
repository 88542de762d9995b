/*-------------------------------------------------------------------------
 *
 * loopback.h
 *	  libpq connections from this backend to a PostgreSQL server, by
 *	  default this very server (src/backend/loopback.c).  Used by the
 *	  procedure form of deploy for statements that cannot run inside a
 *	  transaction block, and meant for the shadow databases of
 *	  "migrate dev" and for standby-aware code.
 *
 * Usage (the caller always closes, on every path):
 *
 *		PGconn *conn = fm_loopback_connect(dbname);
 *		PG_TRY();
 *		{
 *			fm_loopback_exec(conn, "SELECT ...", 0, NULL);
 *		}
 *		PG_FINALLY();
 *		{
 *			fm_loopback_close(conn);
 *		}
 *		PG_END_TRY();
 *
 * src/backend/loopback.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_LOOPBACK_H
#define FM_LOOPBACK_H

#include "postgres.h"

#include "libpq-fe.h"

/*
 * Where to connect.  Returns a conninfo string without dbname and user (the
 * caller's database name and the session user are added), or NULL for the
 * default: this server's first Unix socket directory (or localhost) and its
 * port.  The GUC ferriorm.shadow_conninfo will be installed here.
 */
typedef const char *(*fm_loopback_conninfo_hook_type) (void);
extern PGDLLIMPORT fm_loopback_conninfo_hook_type fm_loopback_conninfo_hook;

/*
 * Connect to database dbname as the session user, then SET ROLE to the
 * current user when it differs, so that the remote statements run with the
 * caller's privileges and not more.  As in contrib/dblink, a role that is
 * not a superuser must authenticate with a password: the conninfo must
 * carry one (checked before connecting), and the server must have asked for
 * it (checked after).  The wait is cancellable.  ERROR on failure.
 */
extern PGconn *fm_loopback_connect(const char *dbname);

/*
 * Run one command (nparams text parameters, may be 0) and wait for it,
 * cancellably: a query cancel, statement_timeout or termination of this
 * backend also cancels the remote command.  A remote error is re-raised
 * here with its SQLSTATE, message, detail, hint and context.
 */
extern void fm_loopback_exec(PGconn *conn, const char *sql, int nparams,
							 const char *const *params);

/* PQfinish; NULL is accepted */
extern void fm_loopback_close(PGconn *conn);

#endif							/* FM_LOOPBACK_H */
