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
 * Where to connect.  Returns the conninfo string of shadow connections
 * (shadow = true: ferriorm.shadow_conninfo) or of the procedure form of
 * deploy (false: ferriorm.loopback_conninfo), without dbname and user (the
 * caller's database name and the session user are added), or NULL for the
 * default: this server's first Unix socket directory (or localhost) and its
 * port.  ferriorm.c installs the GUCs here.
 */
typedef const char *(*fm_loopback_conninfo_hook_type) (bool shadow);
extern PGDLLIMPORT fm_loopback_conninfo_hook_type fm_loopback_conninfo_hook;

/*
 * Connect to database dbname (NULL: the one ferriorm.shadow_conninfo
 * names) as the session user (or the user the conninfo names), then SET ROLE to the
 * current user when it differs, so that the remote statements run with the
 * caller's privileges and not more.  Inside a security-definer function
 * (or a security-restricted operation), as the current user itself: the
 * remote session must not be able to RESET ROLE to the session user.  As in contrib/dblink, a role that is
 * not a superuser must authenticate with a password: the conninfo must
 * carry one (checked before connecting), and the server must have asked for
 * it (checked after).  The wait is cancellable.  ERROR on failure.
 */
extern PGconn *fm_loopback_connect(const char *dbname);

/*
 * As fm_loopback_connect; shadow = true connects where
 * ferriorm.shadow_conninfo says (shadow databases of "migrate dev"), false
 * always to this server and database (the procedure form of deploy), by the
 * address and authentication ferriorm.loopback_conninfo gives: the remote
 * backend must be one of this server's, connected to this database, or it
 * is closed with an ERROR before anything runs there.
 */
extern PGconn *fm_loopback_connect_to(const char *dbname, bool shadow);

/*
 * Run one command (nparams text parameters, may be 0) and wait for it,
 * cancellably: a query cancel, statement_timeout or termination of this
 * backend also cancels the remote command.  A remote error is re-raised
 * here with its SQLSTATE, message, detail, hint and context.
 */
extern void fm_loopback_exec(PGconn *conn, const char *sql, int nparams,
							 const char *const *params);

/*
 * As fm_loopback_exec, and return the rows of the last result that has
 * rows (NULL when none did).  The caller PQclears it; nothing else that
 * can throw may come between this call and copying the rows out
 * (rowsource_libpq.c).
 */
extern PGresult *fm_loopback_query(PGconn *conn, const char *sql, int nparams,
								   const char *const *params);

/* Set one setting of conn's session (set_config, name and value as parameters). */
extern void fm_loopback_set(PGconn *conn, const char *name, const char *value);

/*
 * Give conn's session this session's values of the n settings names (each
 * through set_config, as a parameter): the loopback runs statements that
 * ferriorm split and classified here, so they must be read with the same
 * standard_conforming_strings, and resolve names on the same search_path.
 */
extern void fm_loopback_copy_settings(PGconn *conn, const char *const *names,
									  int n);

/*
 * Does a connection of the procedure form of deploy (shadow = false:
 * ferriorm.loopback_conninfo, or the default target) or of the shadow
 * strategy (ferriorm.shadow_conninfo) carry the
 * password that dblink's rule asks of a role that is not a superuser (a
 * password, or a passfile, which only a superuser can have named there)?
 * ERROR (2F003) when it does not; checked before any connection is
 * attempted.
 */
extern void fm_loopback_check_password_rule(bool shadow);

/* the value of keyword in ferriorm.shadow_conninfo (palloc'd), or NULL */
extern char *fm_loopback_shadow_conninfo_get(const char *keyword);

/*
 * The first keyword that conninfo sets and ferriorm.loopback_conninfo may
 * not set (the database, the user, the session's options: the loopback of
 * deploy is this session's, elsewhere), or NULL when every one is allowed
 * (authentication and transport: password, passfile, host, hostaddr, port,
 * ssl*, gss*, keepalives...).  *bad_syntax is set when conninfo does not
 * parse.  Never throws (a GUC check hook calls it).
 */
extern const char *fm_loopback_deploy_conninfo_refused(const char *conninfo,
													   bool *bad_syntax);

/* PQfinish; NULL is accepted */
extern void fm_loopback_close(PGconn *conn);

#endif							/* FM_LOOPBACK_H */
