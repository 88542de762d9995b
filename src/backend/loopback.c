/*-------------------------------------------------------------------------
 *
 * loopback.c
 *	  libpq connections from this backend: connect (by default to this
 *	  server, as the session user, acting as the current user), run a
 *	  command with a cancellable wait, relay remote errors.  See loopback.h
 *	  for the contract of each function.
 *
 * The password rule is contrib/dblink's: a role that is not a superuser
 * may not use the server's own trust or peer authentication to become the
 * session user over a new connection without proving who it is, so it
 * must give a password, and the server must have used it.
 *
 * Waits never block in libpq: the socket is polled with WaitLatchOrSocket,
 * CHECK_FOR_INTERRUPTS runs after every wake-up, and an error that leaves a
 * wait (cancel, statement_timeout) first sends a cancel request to the
 * remote command.  Closing is the caller's job (PG_FINALLY).
 *
 * src/backend/loopback.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/dbcommands.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/postmaster.h"
#include "storage/latch.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/varlena.h"

#include "loopback.h"

fm_loopback_conninfo_hook_type fm_loopback_conninfo_hook = NULL;

/*
 * wait_for_socket
 *		Sleep until conn's socket has one of the socket events (a mask of
 *		WL_SOCKET_READABLE / WL_SOCKET_WRITEABLE), the latch is set, or the
 *		postmaster dies; then honour interrupts.
 */
static void
wait_for_socket(PGconn *conn, int socket_events)
{
	int			events = WL_LATCH_SET | WL_EXIT_ON_PM_DEATH | socket_events;

	(void) WaitLatchOrSocket(MyLatch, events, PQsocket(conn), -1L,
							 PG_WAIT_EXTENSION);
	ResetLatch(MyLatch);
	CHECK_FOR_INTERRUPTS();
}

/* send a cancel request for whatever conn is running; never throws */
static void
cancel_remote(PGconn *conn)
{
	PGcancel   *cancel = PQgetCancel(conn);
	char		errbuf[256];

	if (cancel == NULL)
		return;
	(void) PQcancel(cancel, errbuf, sizeof(errbuf));
	PQfreeCancel(cancel);
}

/*
 * relay_notice
 *		libpq notice receiver: a remote NOTICE or WARNING is reported here
 *		at its own level (as a NOTICE for anything else), instead of going
 *		to the server log through libpq's default stderr printer.
 */
static void
relay_notice(void *arg, const PGresult *res)
{
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);

	if (primary == NULL)
		return;
	ereport(sev != NULL && strcmp(sev, "WARNING") == 0 ? WARNING : NOTICE,
			(errmsg_internal("%s", primary),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0));
}

/* the first directory of unix_socket_directories, or NULL */
static char *
first_socket_dir(void)
{
	char	   *raw;
	List	   *dirs = NIL;

	if (Unix_socket_directories == NULL || Unix_socket_directories[0] == '\0')
		return NULL;
	raw = pstrdup(Unix_socket_directories);
	if (!SplitDirectoriesString(raw, ',', &dirs) || dirs == NIL)
		return NULL;
	return (char *) linitial(dirs);
}

/* the value of keyword in a conninfo string, palloc'd; NULL when unset */
static char *
conninfo_value(const char *conninfo, const char *keyword)
{
	PQconninfoOption *opts;
	char	   *found = NULL;

	if (conninfo == NULL)
		return NULL;
	opts = PQconninfoParse(conninfo, NULL);
	if (opts == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("invalid connection string for the loopback connection")));
	for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val != NULL &&
			o->val[0] != '\0')
			found = pstrdup(o->val);
	PQconninfoFree(opts);
	return found;
}

/*
 * names_server
 *		Whether the conninfo base (NULL: none) says which server to reach:
 *		a host, a hostaddr or a service (whose file may say it).
 */
static bool
names_server(const char *base)
{
	return base != NULL &&
		(conninfo_value(base, "host") != NULL ||
		 conninfo_value(base, "hostaddr") != NULL ||
		 conninfo_value(base, "service") != NULL);
}

/*
 * fm_loopback_conninfo_get
 *		See loopback.h.
 */
char *
fm_loopback_shadow_conninfo_get(const char *keyword)
{
	const char *base = fm_loopback_conninfo_hook ? fm_loopback_conninfo_hook(true) : NULL;

	return conninfo_value(base, keyword);
}

/*
 * refuse_without_password
 *		ERROR (2F003): a role that is not a superuser may not open a loopback
 *		connection without authenticating by password (dblink's rule).
 */
static void
refuse_without_password(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
			 errmsg("password is required for a loopback connection"),
			 errdetail("A role that is not a superuser can open a new connection to the server only by authenticating with a password, and the connection string gives none."),
			 errhint("Run this as a superuser, or have a superuser give the role a connection string with a password or passfile: ferriorm.shadow_conninfo for the shadow strategy, ferriorm.loopback_conninfo for CALL ferriorm_migrate.")));
}

/*
 * fm_loopback_check_password_rule
 *		See loopback.h.
 */
void
fm_loopback_check_password_rule(bool shadow)
{
	const char *base = fm_loopback_conninfo_hook ? fm_loopback_conninfo_hook(shadow) : NULL;

	/*
	 * A passfile counts: only a superuser can set ferriorm.shadow_conninfo
	 * or ferriorm.loopback_conninfo (PGC_SUSET), so the file is one a
	 * superuser chose for this role, not
	 * the server's own ~/.pgpass; the server must still have asked for the
	 * password (checked after connecting).
	 */
	if (!(superuser() && superuser_arg(GetSessionUserId())) &&
		conninfo_value(base, "password") == NULL &&
		conninfo_value(base, "passfile") == NULL)
		refuse_without_password();
}

/*
 * check_same_database
 *		ERROR unless conn's session is one of this server's, in this
 *		database.  The procedure form of deploy records a migration as
 *		applied here once its statement ran over the loopback; a
 *		ferriorm.loopback_conninfo naming the address of another server (a
 *		standby, a copy, a server in another PID namespace, or anything
 *		that speaks the protocol) would run it there instead.  So the remote
 *		session takes an advisory lock on a random key, and this backend
 *		proves that it is held in its own lock table, in this database: only
 *		a backend of this server connected to this database can hold it.
 *		The remote session releases it at once.
 */
static void
check_same_database(PGconn *conn)
{
	int32		key[2];
	char		k1[16],
				k2[16];
	const char *params[2] = {k1, k2};
	LOCKTAG		tag;
	LockAcquireResult res;

	if (!pg_strong_random(key, sizeof(key)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate a random key for the loopback connection")));
	snprintf(k1, sizeof(k1), "%d", key[0]);
	snprintf(k2, sizeof(k2), "%d", key[1]);
	fm_loopback_exec(conn, "SELECT pg_catalog.pg_advisory_lock($1::pg_catalog.int4, $2::pg_catalog.int4)",
					 2, params);
	/* the tag of pg_advisory_lock(int4, int4) */
	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, (uint32) key[0], (uint32) key[1], 2);
	res = LockAcquire(&tag, ExclusiveLock, false, true);
	if (res != LOCKACQUIRE_NOT_AVAIL)
	{
		LockRelease(&tag, ExclusiveLock, false);
		ereport(ERROR,
				(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
				 errmsg("the loopback connection reached another server or database"),
				 errdetail("Its session (process %d) holds no lock of this server's database \"%s\".",
						   PQbackendPID(conn), get_database_name(MyDatabaseId)),
				 errhint("Make ferriorm.loopback_conninfo give an address of this server, or leave it empty to connect through this server's Unix-domain socket.")));
	}
	fm_loopback_exec(conn, "SELECT pg_catalog.pg_advisory_unlock($1::pg_catalog.int4, $2::pg_catalog.int4)",
					 2, params);
}

/*
 * fm_loopback_deploy_conninfo_refused
 *		See loopback.h.  An allow list: a keyword that libpq adds in a later
 *		version is refused until it is known to be about authentication or
 *		transport only.
 */
const char *
fm_loopback_deploy_conninfo_refused(const char *conninfo, bool *bad_syntax)
{
	static const char *const allowed[] = {
		"password", "passfile", "host", "hostaddr", "port",
		"connect_timeout", "channel_binding", "require_auth",
		"sslmode", "sslcert", "sslkey", "sslpassword", "sslrootcert",
		"sslcrl", "sslcrldir", "sslsni", "sslcompression",
		"ssl_min_protocol_version", "ssl_max_protocol_version",
		"sslcertmode", "sslnegotiation", "requirepeer",
		"gssencmode", "gsslib", "gssdelegation", "krbsrvname",
		"keepalives", "keepalives_idle", "keepalives_interval",
		"keepalives_count", "tcp_user_timeout",
	};
	static char refused_buf[64];
	PQconninfoOption *opts;
	const char *refused = NULL;

	*bad_syntax = false;
	if (conninfo == NULL || conninfo[0] == '\0')
		return NULL;
	opts = PQconninfoParse(conninfo, NULL);
	if (opts == NULL)
	{
		*bad_syntax = true;
		return NULL;
	}
	for (PQconninfoOption *o = opts; o->keyword != NULL && refused == NULL; o++)
	{
		bool		ok = false;

		if (o->val == NULL)
			continue;
		for (int i = 0; i < (int) lengthof(allowed) && !ok; i++)
			ok = strcmp(o->keyword, allowed[i]) == 0;
		if (!ok)
		{
			/* a copy: the options are freed below */
			strlcpy(refused_buf, o->keyword, sizeof(refused_buf));
			refused = refused_buf;
		}
	}
	PQconninfoFree(opts);
	return refused;
}

/*
 * login_user
 *		The role the loopback logs in as, palloc'd; NULL: the one the
 *		conninfo base names.  Normally the session user (which then SETs ROLE
 *		to the current user, so that a NOLOGIN role set with SET ROLE
 *		works): a session can always RESET ROLE back to it, and so can the
 *		remote one.  Inside a SECURITY DEFINER function (or a
 *		security-restricted operation) the session cannot, and the remote
 *		session must not either: a migration replayed there could RESET
 *		ROLE to the session user, say a superuser calling the function of
 *		a role that may replay histories.  So it logs in as the current
 *		user then, and a conninfo naming another user is refused.
 */
static char *
login_user(const char *base)
{
	char	   *named = conninfo_value(base, "user");
	char	   *current = GetUserNameFromId(GetUserId(), false);

	if (!InLocalUserIdChange() && !InSecurityRestrictedOperation())
		return named ? NULL : GetUserNameFromId(GetSessionUserId(), false);
	if (named != NULL && strcmp(named, current) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("cannot open a loopback connection as role \"%s\" inside a security-definer function",
						named),
				 errdetail("Inside a security-definer function the loopback logs in as the current user, \"%s\".",
						   current)));
	return named ? NULL : current;
}

/*
 * fm_loopback_connect
 *		See loopback.h.
 */
PGconn *
fm_loopback_connect(const char *dbname)
{
	return fm_loopback_connect_to(dbname, false);
}

/*
 * fm_loopback_connect_to
 *		See loopback.h.
 */
PGconn *
fm_loopback_connect_to(const char *dbname, bool shadow)
{
	const char *base = fm_loopback_conninfo_hook ? fm_loopback_conninfo_hook(shadow) : NULL;
	bool		privileged = superuser() && superuser_arg(GetSessionUserId());
	const char *keys[10];
	const char *vals[10];
	int			n = 0;
	char		portbuf[16];
	PGconn	   *conn;
	PostgresPollingStatusType st;

	/* dblink's rule, before connecting */
	fm_loopback_check_password_rule(shadow);

	/*
	 * This server's first socket directory and port, unless the conninfo
	 * names a server (host, hostaddr or service; a port alone keeps this
	 * socket directory): a conninfo that names only a database is a
	 * database of this server, not one at libpq's compiled-in defaults.
	 * The expanded conninfo comes after them and overrides what it names.
	 */
	if (!names_server(base))
	{
		char	   *sock = first_socket_dir();

		snprintf(portbuf, sizeof(portbuf), "%d", PostPortNumber);
		keys[n] = "host";
		vals[n++] = sock ? sock : "localhost";
		keys[n] = "port";
		vals[n++] = portbuf;
	}
	if (base != NULL)
	{
		keys[n] = "dbname";
		vals[n++] = base;
	}
	/* NULL: the database the conninfo names (a pre-created shadow) */
	keys[n] = "dbname";
	vals[n++] = dbname;
	keys[n] = "user";
	vals[n++] = login_user(base);
	keys[n] = "fallback_application_name";
	vals[n++] = "ferriorm loopback";
	keys[n] = "client_encoding";
	vals[n++] = GetDatabaseEncodingName();
	keys[n] = NULL;
	vals[n] = NULL;

	conn = PQconnectStartParams(keys, vals, base != NULL ? 1 : 0);
	if (conn == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));

	PG_TRY();
	{
		st = PGRES_POLLING_WRITING;
		while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED &&
			   PQstatus(conn) != CONNECTION_BAD)
		{
			wait_for_socket(conn, st == PGRES_POLLING_WRITING ?
							WL_SOCKET_WRITEABLE : WL_SOCKET_READABLE);
			st = PQconnectPoll(conn);
		}
		if (PQstatus(conn) != CONNECTION_OK)
		{
			char	   *passfile = conninfo_value(base, "passfile");
			bool		nopass = strstr(PQerrorMessage(conn), "no password supplied") != NULL;
			char	   *who = conninfo_value(base, "user");

			if (who == NULL)
				who = GetUserNameFromId(GetSessionUserId(), false);

			/*
			 * libpq skips a password file it cannot read or that others can
			 * read, with a warning only the server log sees: say what the
			 * file must be
			 */
			ereport(ERROR,
					(errcode(ERRCODE_SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION),
					 errmsg("could not open a loopback connection to database \"%s\"",
							dbname ? dbname : "(named by ferriorm.shadow_conninfo)"),
					 errdetail_internal("%s", pchomp(PQerrorMessage(conn))),
					 (passfile != NULL && nopass) ?
					 errhint("The password file \"%s\" gave no password: it must exist, be readable by the server's operating-system user, have mode 0600 or stricter, and have a line host:port:database:user:password that matches this connection (port %d, user \"%s\").",
							 passfile, PostPortNumber, who) : 0));
		}

		/* dblink's rule, after connecting */
		if (!privileged && !PQconnectionUsedPassword(conn))
			ereport(ERROR,
					(errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED),
					 errmsg("password is required for a loopback connection"),
					 errdetail("The connection string gives a password, but the server did not ask for it: its pg_hba.conf lets this connection in without one (trust or peer, as it often does for a Unix-domain socket). A role that is not a superuser can use a loopback connection only where the server authenticates it by password."),
					 errhint("Give %s a host and port where pg_hba.conf asks for a password (host=127.0.0.1 port=%d, with scram-sha-256), or run this as a superuser.",
							 shadow ? "ferriorm.shadow_conninfo" : "ferriorm.loopback_conninfo",
							 PostPortNumber)));

		(void) PQsetNoticeReceiver(conn, relay_notice, NULL);

		/* sending never blocks either: fm_loopback_exec flushes and waits */
		if (PQsetnonblocking(conn, 1) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_CONNECTION_FAILURE),
					 errmsg("could not set the loopback connection to non-blocking mode")));

		if (GetUserId() != GetSessionUserId() &&
			!InLocalUserIdChange() && !InSecurityRestrictedOperation())
		{
			fm_loopback_set(conn, "role", GetUserNameFromId(GetUserId(), false));
		}
		if (!shadow)
			check_same_database(conn);
	}
	PG_CATCH();
	{
		PQfinish(conn);
		PG_RE_THROW();
	}
	PG_END_TRY();

	return conn;
}

/*
 * relay_error
 *		Raise the error of a failed remote command here, keeping its fields.
 */
static void
relay_error(PGresult *res, const char *sql)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	const char *context = PQresultErrorField(res, PG_DIAG_CONTEXT);
	const char *position = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	int			code = ERRCODE_CONNECTION_FAILURE;

	if (state != NULL && strlen(state) == 5)
		code = MAKE_SQLSTATE(state[0], state[1], state[2], state[3], state[4]);
	if (primary == NULL)
		primary = pchomp(PQresultErrorMessage(res));

	ereport(ERROR,
			(errcode(code),
			 errmsg_internal("%s", primary),
			 detail ? errdetail_internal("%s", detail) : 0,
			 hint ? errhint("%s", hint) : 0,
			 context ? errcontext("%s", context) : 0,
	/* the remote statement as the query, with the error position in it */
			 position ? internalerrquery(sql) : 0,
			 position ? internalerrposition(atoi(position)) : 0));
}

/*
 * fm_loopback_query
 *		See loopback.h.
 */
PGresult *
fm_loopback_query(PGconn *conn, const char *sql, int nparams,
				  const char *const *params)
{
	PGresult   *volatile failed = NULL;
	PGresult   *volatile kept = NULL;

	if (!PQsendQueryParams(conn, sql, nparams, NULL, params, NULL, NULL, 0))
		ereport(ERROR,
				(errcode(ERRCODE_CONNECTION_FAILURE),
				 errmsg("could not send a command over the loopback connection"),
				 errdetail_internal("%s", pchomp(PQerrorMessage(conn)))));

	PG_TRY();
	{
		/* the rest of the command, as the socket takes it */
		for (;;)
		{
			int			r = PQflush(conn);

			if (r == 0)
				break;
			if (r < 0)
				ereport(ERROR,
						(errcode(ERRCODE_CONNECTION_FAILURE),
						 errmsg("could not send a command over the loopback connection"),
						 errdetail_internal("%s", pchomp(PQerrorMessage(conn)))));
			wait_for_socket(conn, WL_SOCKET_READABLE | WL_SOCKET_WRITEABLE);
			if (!PQconsumeInput(conn))
				ereport(ERROR,
						(errcode(ERRCODE_CONNECTION_FAILURE),
						 errmsg("lost the loopback connection"),
						 errdetail_internal("%s", pchomp(PQerrorMessage(conn)))));
		}

		for (;;)
		{
			PGresult   *res;

			while (PQisBusy(conn))
			{
				wait_for_socket(conn, WL_SOCKET_READABLE);
				if (!PQconsumeInput(conn))
					ereport(ERROR,
							(errcode(ERRCODE_CONNECTION_FAILURE),
							 errmsg("lost the loopback connection"),
							 errdetail_internal("%s", pchomp(PQerrorMessage(conn)))));
			}
			res = PQgetResult(conn);
			if (res == NULL)
				break;
			if (PQresultStatus(res) == PGRES_FATAL_ERROR && failed == NULL)
				failed = res;
			else if (PQresultStatus(res) == PGRES_TUPLES_OK && failed == NULL)
			{
				if (kept)
					PQclear(kept);
				kept = res;
			}
			else
				PQclear(res);
		}
	}
	PG_CATCH();
	{
		cancel_remote(conn);
		if (failed)
			PQclear(failed);
		if (kept)
			PQclear(kept);
		PG_RE_THROW();
	}
	PG_END_TRY();

	if (failed != NULL)
	{
		if (kept)
			PQclear(kept);
		PG_TRY();
		{
			relay_error(failed, sql);
		}
		PG_FINALLY();
		{
			PQclear(failed);
		}
		PG_END_TRY();
	}
	return kept;
}

/*
 * fm_loopback_exec
 *		See loopback.h.
 */
void
fm_loopback_exec(PGconn *conn, const char *sql, int nparams,
				 const char *const *params)
{
	PGresult   *res = fm_loopback_query(conn, sql, nparams, params);

	if (res != NULL)
		PQclear(res);
}

/*
 * fm_loopback_set
 *		See loopback.h.
 */
void
fm_loopback_set(PGconn *conn, const char *name, const char *value)
{
	const char *params[2];

	params[0] = name;
	params[1] = value;
	fm_loopback_exec(conn, "SELECT pg_catalog.set_config($1, $2, false)",
					 2, params);
}

/*
 * fm_loopback_copy_settings
 *		See loopback.h.
 */
void
fm_loopback_copy_settings(PGconn *conn, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		fm_loopback_set(conn, names[i], GetConfigOption(names[i], false, false));
}

/*
 * fm_loopback_close
 *		See loopback.h.
 */
void
fm_loopback_close(PGconn *conn)
{
	if (conn != NULL)
		PQfinish(conn);
}
