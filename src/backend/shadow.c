/*-------------------------------------------------------------------------
 *
 * shadow.c
 *	  The three strategies that build "the state the history produces"
 *	  (shadow.h): a shadow database over the loopback, a rolled-back
 *	  subtransaction of this database, and the schema.snapshot file of the
 *	  last migration folder.  Each hands the same kind of model to the
 *	  caller: the shadow and rollback strategies read it with the one set
 *	  of catalog queries of introspect.c (through a libpq or an SPI row
 *	  source); the snapshot strategy parses the file.
 *
 * Shadow databases are named <db>_ferriorm_shadow_<pid>_<start>_<n>: the
 * PID and start time (seconds since the epoch) of the backend that owns
 * it, and a counter of the session.  Before creating one, every shadow
 * database that the caller owns and whose backend is gone (no row of this
 * server's pg_stat_activity with that PID and start time, or with that PID
 * and a start time hidden from the caller; or this very backend, which is
 * never inside two calls) is dropped WITH (FORCE), which
 * also ends a replay query that a terminated call left running.  (Two
 * servers sharing one shadow server through ferriorm.shadow_conninfo would
 * take each other's shadows for orphans: give each its own.)  Its own shadow
 * is dropped on success, on error and on cancel; a terminated backend
 * (FATAL) leaves it to the next call.
 *
 * The shadow is created from template0, so it inherits no object, function
 * or grant of template1; its owner is the caller (the loopback acts as
 * the current user), and the replay runs as the caller with the caller's
 * search_path, lock_timeout and statement_timeout.
 *
 * src/backend/shadow.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "executor/spi.h"
#include <sys/stat.h>

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "deploy.h"
#include "fm_plan_int.h"
#include "loopback.h"
#include "rowsource.h"
#include "shadow.h"
#include "shadow_int.h"

/* shadow databases created by this session, for unique names */
static int	shadow_counter = 0;

FmHistStrategy
fm_hist_strategy(const char *name)
{
	if (strcmp(name, "shadow") == 0)
		return FM_HIST_SHADOW;
	if (strcmp(name, "rollback") == 0)
		return FM_HIST_ROLLBACK;
	if (strcmp(name, "snapshot") == 0)
		return FM_HIST_SNAPSHOT;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid strategy \"%s\"", name),
			 errhint("The strategies are \"shadow\", \"rollback\" and \"snapshot\".")));
	return FM_HIST_SHADOW;		/* keep compiler quiet */
}

/*
 * is_fatal_error
 *		In a PG_CATCH block: is the error being handled FATAL or worse (the
 *		backend exits: no cleanup that talks to a server)?
 */
static bool
is_fatal_error(MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	ErrorData  *e = CopyErrorData();
	bool		fatal = e->elevel >= FATAL;

	MemoryContextSwitchTo(old);
	FreeErrorData(e);
	return fatal;
}

/*
 * for_each_statement
 *		Split every migration of files (checked for encoding) and call
 *		fn(file, statement, arg) for each statement, in order, then
 *		fn(file, NULL, arg) at the end of each file when at_end; the parse
 *		trees live in a scratch context reset after each file.  procedure:
 *		classify as the procedure form (statements that cannot run in a
 *		transaction block allowed), else leave unclassified.
 */
static void
for_each_statement(List *files, bool procedure, bool at_end,
				   void (*fn) (FmMigFile *f, FmStmt *st, void *arg), void *arg)
{
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext,
												  "ferriorm statements",
												  ALLOCSET_DEFAULT_SIZES);
	ListCell   *lf;

	foreach(lf, files)
	{
		FmMigFile  *f = lfirst(lf);
		MemoryContext oldcxt = MemoryContextSwitchTo(scratch);
		List	   *stmts;
		ListCell   *ls;

		fm_check_sql_encoding(f->name, f->sql, f->len);
		stmts = fm_split_statements(f->name, f->sql);
		if (procedure)
			fm_classify_statements(f->name, f->sql, stmts, true);
		MemoryContextSwitchTo(oldcxt);
		foreach(ls, stmts)
		{
			CHECK_FOR_INTERRUPTS();
			fn(f, lfirst(ls), arg);
		}
		if (at_end)
			fn(f, NULL, arg);
		MemoryContextReset(scratch);
	}
	MemoryContextDelete(scratch);
}

/* for_each_statement callback: collect the names of CREATE SCHEMA */
static void
collect_created_schema(FmMigFile *f, FmStmt *st, void *arg)
{
	List	  **created = arg;
	Node	   *n = st->parsetree;

	if (n != NULL && IsA(n, CreateSchemaStmt) &&
		((CreateSchemaStmt *) n)->schemaname != NULL)
		*created = lappend(*created,
						   pstrdup(((CreateSchemaStmt *) n)->schemaname));
}

/*
 * history_created_schemas
 *		The schemas that a CREATE SCHEMA statement of the history creates
 *		(List of char *), read from the raw parse trees.  The other managed
 *		schemas are there before the replay, in a shadow as in this
 *		database: a history usually creates its tables in the schema the
 *		connection starts in.
 */
static List *
history_created_schemas(List *files)
{
	List	   *created = NIL;

	for_each_statement(files, false, false, collect_created_schema, &created);
	return created;
}

static bool
in_string_list(List *l, const char *s)
{
	ListCell   *lc;

	foreach(lc, l)
		if (strcmp((char *) lfirst(lc), s) == 0)
			return true;
	return false;
}

/* ---------- shadow: replay over the loopback ---------- */

static void reset_replay_settings(PGconn *conn);

/* the replay on the shadow: its connection, and whether a block is open */
typedef struct Replay
{
	PGconn	   *conn;
	bool		in_block;		/* BEGIN sent, COMMIT not yet */
	int			last_line;		/* line of the last statement run */
} Replay;

/*
 * What a replay skipped of one migration: statements that change only
 * objects the whole cluster shares (FM_SHARED_ONLY of fm_shared_effect).
 *
 * The shadow is a database of this cluster (or of the server that
 * ferriorm.shadow_conninfo names): replaying CREATE ROLE, ALTER ROLE ...
 * SET, GRANT role, ALTER DATABASE (by the live database's name) there would
 * change the live cluster's roles and settings as they were at that point
 * of the history, undoing what happened since, and a CREATE ROLE fails
 * once deploy made the role.  The rollback strategy undoes them, but its
 * CREATE ROLE fails alike.  A schema model holds none of it, so both
 * replays skip them, and say so.  A statement that changes the database's
 * objects and shared ones (DROP OWNED, REASSIGN OWNED) cannot be skipped:
 * the shadow refuses it, the rollback strategy runs it (and rolls it back).
 */
typedef struct SkipLog
{
	int			n;				/* statements of the file skipped ... */
	StringInfoData which;		/* ... and which: "CREATE ROLE at line 3" */
} SkipLog;

/* Whether the replay skips st (noting it in log). */
static bool
skip_shared(SkipLog *log, FmStmt *st)
{
	if (st->shared != FM_SHARED_ONLY)
		return false;
	if (log->n++ > 0)
		appendStringInfoString(&log->which, ", ");
	appendStringInfo(&log->which, "%s at line %d", st->tag, st->line);
	return true;
}

/* at the end of migration f: say which statements the replay skipped */
static void
report_skipped(SkipLog *log, FmMigFile *f, const char *replay)
{
	if (log->n > 0)
		ereport(NOTICE,
				(errmsg_plural("the %s replay of migration \"%s\" skipped %d statement that changes objects of the whole cluster",
							   "the %s replay of migration \"%s\" skipped %d statements that change objects of the whole cluster",
							   log->n, replay, f->name, log->n),
				 errdetail_internal("%s.", log->which.data),
				 errhint("Roles, databases, tablespaces and server settings are shared by every database of the cluster, and a schema holds none of them; deploy runs these statements.")));
	log->n = 0;
	resetStringInfo(&log->which);
}

/* the shadow: a statement that acts on both refused (see SkipLog) */
static void
refuse_mixed(FmMigFile *f, FmStmt *st)
{
	if (st->shared == FM_SHARED_MIXED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("migration \"%s\" cannot be replayed in a shadow database: %s at line %d changes objects of the whole cluster",
						f->name, st->tag, st->line),
				 errdetail("%s acts on the databases and tablespaces of a role as well as on the objects of the database it runs in; replayed in a shadow database, it would change the first on the live cluster.",
						   st->tag),
				 errhint("Use strategy => 'rollback', which replays the history in this database and rolls it back, or 'snapshot'.")));
}

/* the shadow replay's state: its connection, and what it skipped */
typedef struct ShadowReplay
{
	Replay		rp;
	SkipLog		skipped;
} ShadowReplay;

/*
 * remote_run
 *		Run text on the shadow for migration f (statement st; NULL for the
 *		COMMIT that ends the file, reported at the last statement's line),
 *		an error named with the migration and its line.
 */
static void
remote_run(Replay *rp, FmMigFile *f, FmStmt *st, const char *text)
{
	MemoryContext cxt = CurrentMemoryContext;

	PG_TRY();
	{
		fm_loopback_exec(rp->conn, text, 0, NULL);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		if (is_fatal_error(cxt))
			PG_RE_THROW();
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		fm_rethrow_in_migration(edata, f->name, st == NULL ? rp->last_line :
								fm_error_line(edata, f->sql, st, text));
	}
	PG_END_TRY();
}

/*
 * replay_statement
 *		for_each_statement callback: run one statement of f on the shadow as
 *		CALL ferriorm_migrate runs it (migrate.c): the plain statements of a
 *		migration in one transaction block, a BEGIN or COMMIT of the file
 *		and the end of the file (st NULL) a commit point, a statement that
 *		cannot run in a transaction block alone after a commit.  So LOCK
 *		TABLE, SET LOCAL and ON COMMIT DROP work as they do on deploy.  At
 *		the end of each file the settings it changed are reset, as deploy
 *		scopes a migration's SETs to it: a pg_dump-made 0_init's
 *		set_config('search_path', '', false) left the next migration with
 *		no schema to create in.  A statement that changes only objects the
 *		cluster shares is skipped, one that acts on both refused (SkipLog).
 */
static void
replay_statement(FmMigFile *f, FmStmt *st, void *arg)
{
	ShadowReplay *sr = arg;
	Replay	   *rp = &sr->rp;
	char	   *text;

	if (st != NULL)
	{
		refuse_mixed(f, st);
		if (skip_shared(&sr->skipped, st))
			return;
	}
	if (st == NULL || st->kind != FM_STMT_PLAIN)
	{
		if (rp->in_block)
			remote_run(rp, f, st, "COMMIT");
		rp->in_block = false;
		if (st == NULL)
		{
			reset_replay_settings(rp->conn);
			report_skipped(&sr->skipped, f, "shadow");
		}
		if (st == NULL || st->kind != FM_STMT_NONTX)
			return;
	}
	else if (!rp->in_block)
	{
		remote_run(rp, f, st, "BEGIN");
		rp->in_block = true;
	}
	text = fm_stmt_text(f->sql, st);
	remote_run(rp, f, st, text);
	rp->last_line = st->line;
	pfree(text);
}

/*
 * The context of an error of the shadow's replay: it is the shadow
 * database's (whose name is made up per call: not named, so that the
 * message is the same every time).
 */
static void
shadow_replay_context(void *arg)
{
	errcontext("replaying the migration history in the shadow database");
}

/*
 * replay_remote
 *		Run every migration of files on conn, a transaction block per
 *		migration (replay_statement).  An error names the migration and its
 *		line, with the remote SQLSTATE, message, detail and hint.
 */
static void
replay_remote(PGconn *conn, List *files)
{
	ShadowReplay sr = {{conn, false, 0}, {0}};
	ErrorContextCallback cb;

	/* an error is the shadow's, not this database's (fifth walkthrough) */
	cb.callback = shadow_replay_context;
	cb.arg = NULL;
	cb.previous = error_context_stack;
	error_context_stack = &cb;
	initStringInfo(&sr.skipped.which);
	for_each_statement(files, true, true, replay_statement, &sr);
	error_context_stack = cb.previous;
}

/*
 * introspect_remote
 *		Read the managed schemas of conn's database into a model, on one
 *		snapshot (REPEATABLE READ READ ONLY), with the search_path and
 *		pinned settings that a local plan reads with, so that
 *		the deparsed text is the text a local introspection would give.
 */
static FmModel *
introspect_remote(PGconn *conn, FmArena *arena, const FmList *schemas,
				  const char *safe_path)
{
	FmRowSource rs;
	FmModel    *model;

	fm_loopback_set(conn, "search_path", safe_path);
	for (int i = 0; i < FM_PINNED_SETTINGS; i++)
		fm_loopback_set(conn, fm_pinned_settings[i][0], fm_pinned_settings[i][1]);
	fm_loopback_exec(conn, "START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY",
					 0, NULL);
	fm_rowsource_libpq_init(&rs, conn);
	model = fm_introspect_rows(arena, schemas, &rs);
	fm_loopback_exec(conn, "COMMIT", 0, NULL);
	return model;
}

/*
 * The shadow databases of the shadow server that the caller owns (or a
 * role it has the privileges of), with the PID and start time in their
 * names.
 */
static const char *q_shadows =
"SELECT d.datname, m.p[1], m.p[2] FROM pg_catalog.pg_database d "
"CROSS JOIN LATERAL pg_catalog.regexp_match(d.datname, "
"  '_ferriorm_shadow_([0-9]+)_([0-9]+)_[0-9]+$') m(p) "
"WHERE m.p IS NOT NULL "
"AND pg_catalog.pg_has_role(d.datdba, 'USAGE') "
"ORDER BY d.datname";

/*
 * Is the backend that a shadow's name records alive on THIS server (where
 * ferriorm_dev runs, whichever server holds the shadows)?  Its own shadows
 * are stale too: a backend is never inside two calls.  pg_stat_activity
 * shows every session's PID, but its backend_start only to roles with the
 * privileges of the session's login role.  A shadow may belong to a role
 * the caller has the privileges of (a group role) while the session that
 * made it logged in as a role the caller cannot see: a session with the
 * PID whose start time is hidden counts as alive (before 0.2.0's third
 * review it counted as gone, and the caller dropped a live call's shadow
 * WITH (FORCE)).  A reused PID then keeps an orphan until that session
 * ends: the sweep errs on the side of keeping.
 */
static const char *q_alive =
"SELECT 1 FROM pg_catalog.pg_stat_activity a "
"WHERE a.pid OPERATOR(pg_catalog.=) $1::pg_catalog.int4 "
"AND a.pid OPERATOR(pg_catalog.<>) pg_catalog.pg_backend_pid() "
"AND (a.backend_start IS NULL "
"  OR pg_catalog.floor(pg_catalog.date_part('epoch', a.backend_start))::pg_catalog.int8 "
"    OPERATOR(pg_catalog.=) $2::pg_catalog.int8)";

/* drop a database WITH (FORCE) over conn */
static void
drop_database(PGconn *conn, const char *name)
{
	fm_loopback_exec(conn,
					 psprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)",
							  quote_identifier(name)), 0, NULL);
}

/*
 * sweep_orphans
 *		Drop the shadow databases (on conn's server) whose backend (on this
 *		server) is gone: a crashed or terminated call left them.
 */
static void
sweep_orphans(PGconn *conn)
{
	FmRowSource remote;
	FmRowSource local;
	FmRows	   *rows;

	fm_rowsource_libpq_init(&remote, conn);
	rows = remote.query(&remote, q_shadows, 0, NULL);
	if (rows->n == 0)
	{
		fm_rows_free(rows);
		return;
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	fm_rowsource_spi_init(&local, false);
	for (uint64 i = 0; i < rows->n; i++)
	{
		const char *params[2];
		FmRows	   *alive;
		bool		gone;

		params[0] = fm_rows_cell(rows, i, 2);
		params[1] = fm_rows_cell(rows, i, 3);
		alive = local.query(&local, q_alive, 2, params);
		gone = (alive->n == 0);
		fm_rows_free(alive);
		if (!gone)
			continue;
		ereport(NOTICE,
				(errmsg("dropping shadow database \"%s\" left behind by an earlier call",
						fm_rows_cell(rows, i, 1))));
		drop_database(conn, fm_rows_cell(rows, i, 1));
	}
	SPI_finish();
	fm_rows_free(rows);
}

/* <db>_ferriorm_shadow_<pid>_<start>_<n>, the database part clipped to fit */
static char *
shadow_name(void)
{
	char	   *db = get_database_name(MyDatabaseId);
	char		suffix[64];
	int			room;
	int			len;

	snprintf(suffix, sizeof(suffix), "_ferriorm_shadow_%d_%lld_%d",
			 MyProcPid, (long long) MyStartTime, ++shadow_counter);
	room = NAMEDATALEN - 1 - (int) strlen(suffix);
	len = pg_mbcliplen(db, strlen(db), Max(room, 0));
	return psprintf("%.*s%s", len, db, suffix);
}

/*
 * The CREATE DATABASE of a shadow: template0 (nothing inherited), the
 * encoding and locale of this database, so that text sorts and deparses
 * alike.
 */
static char *
create_database_sql(PGconn *conn, const char *name)
{
	FmRowSource rs;
	FmRows	   *rows;
	const char *params[1];
	StringInfoData buf;

	params[0] = get_database_name(MyDatabaseId);
	fm_rowsource_libpq_init(&rs, conn);
	rows = rs.query(&rs,
					"SELECT pg_catalog.pg_encoding_to_char(d.encoding), d.datcollate, "
					"d.datctype, d.datlocprovider::pg_catalog.text, d.daticulocale "
					"FROM pg_catalog.pg_database d "
					"WHERE d.datname OPERATOR(pg_catalog.=) $1::pg_catalog.name",
					1, params);
	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE DATABASE %s TEMPLATE template0",
					 quote_identifier(name));
	if (rows->n == 1)
	{
		appendStringInfo(&buf, " ENCODING %s LC_COLLATE %s LC_CTYPE %s",
						 quote_literal_cstr(fm_rows_cell(rows, 0, 1)),
						 quote_literal_cstr(fm_rows_cell(rows, 0, 2)),
						 quote_literal_cstr(fm_rows_cell(rows, 0, 3)));
		if (strcmp(fm_rows_cell(rows, 0, 4), "i") == 0 &&
			fm_rows_cell(rows, 0, 5) != NULL)
			appendStringInfo(&buf, " LOCALE_PROVIDER icu ICU_LOCALE %s",
							 quote_literal_cstr(fm_rows_cell(rows, 0, 5)));
	}
	fm_rows_free(rows);
	return buf.data;
}

/*
 * The caller's settings that a replayed migration runs with, and that the
 * shadow is introspected with: the output styles decide how a date,
 * timestamp, interval or float constant is deparsed (a partition bound, a
 * default), which must read as this database's introspection reads it.
 * The statements were split here with the caller's
 * standard_conforming_strings, so they replay with it too (introspection
 * then sets it on, as a local one does).
 */
static void
set_caller_settings(PGconn *conn)
{
	static const char *const names[] = {"search_path", "lock_timeout",
		"statement_timeout", "idle_in_transaction_session_timeout",
		"DateStyle", "IntervalStyle", "TimeZone", "extra_float_digits",
	"standard_conforming_strings", "escape_string_warning"};

	fm_loopback_copy_settings(conn, names, lengthof(names));
}

/*
 * reset_replay_settings
 *		Between two replayed migrations: what the last one SET (or
 *		set_config()) goes back to the connection's start (RESET ALL keeps
 *		the role and the session authorization), then the caller's settings
 *		and message level again, as the replay began.
 */
static void
reset_replay_settings(PGconn *conn)
{
	fm_loopback_exec(conn, "RESET ALL", 0, NULL);
	set_caller_settings(conn);
	fm_loopback_set(conn, "client_min_messages",
					GetConfigOption("client_min_messages", false, false));
}

/*
 * with_shadow_database
 *		The shadow strategy: see the header comment of this file.
 */
static void
with_shadow_database(List *files, const FmList *schemas, FmArena *arena,
					 FmHistStateFn fn, void *arg)
{
	MemoryContext cxt = CurrentMemoryContext;
	char	   *fixed = fm_loopback_shadow_conninfo_get("dbname");
	char	   *safe_path = fm_plan_safe_path_string();
	PGconn	   *volatile admin = NULL;
	PGconn	   *volatile shadow = NULL;
	char	   *volatile created = NULL;
	char	   *volatile before = NULL;
	FmModel    *model = NULL;
	List	   *created_schemas;

	/* dblink's rule before anything, even before CREATE DATABASE */
	fm_loopback_check_password_rule(true);
	created_schemas = history_created_schemas(files);
	PG_TRY();
	{
		if (fixed != NULL)
		{
			shadow = fm_loopback_connect_to(NULL, true);
			fm_shadow_check_fixed(shadow);
			fm_shadow_reset(shadow);
			before = fm_shadow_extensions(shadow);
		}
		else
		{
			char	   *name = shadow_name();

			admin = fm_loopback_connect_to(get_database_name(MyDatabaseId), true);
			sweep_orphans(admin);
			fm_loopback_exec(admin, create_database_sql(admin, name), 0, NULL);
			created = name;
			shadow = fm_loopback_connect_to(name, true);
		}
		set_caller_settings(shadow);
		/*
		 * The managed schemas that exist here and that the history does
		 * not create itself: a history usually creates its tables in the
		 * schema that the connection starts in.  (The rollback strategy
		 * keeps them; the snapshot strategy counts them.)
		 */
		fm_loopback_set(shadow, "client_min_messages", "warning");
		for (int i = 0; i < schemas->n; i++)
		{
			const char *nsp = fm_list_get(schemas, i, const char);

			if (!in_string_list(created_schemas, nsp) &&
				OidIsValid(get_namespace_oid(nsp, true)))
				fm_loopback_exec(shadow,
								 psprintf("CREATE SCHEMA IF NOT EXISTS %s",
										  quote_identifier(nsp)), 0, NULL);
		}
		fm_loopback_set(shadow, "client_min_messages",
				   GetConfigOption("client_min_messages", false, false));
		replay_remote(shadow, files);
		model = introspect_remote(shadow, arena, schemas, safe_path);
		if (before != NULL)
			fm_shadow_drop_replayed_extensions(shadow, before);
		fm_loopback_close(shadow);
		shadow = NULL;
		if (created != NULL)
		{
			drop_database(admin, created);
			created = NULL;
		}
		fm_loopback_close(admin);
		admin = NULL;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		if (is_fatal_error(cxt))
			PG_RE_THROW();		/* the next call sweeps the shadow */
		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		if (shadow != NULL && before != NULL &&
			PQstatus(shadow) == CONNECTION_OK)
		{
			/* a failing drop is left as it is: the error is the call's */
			PG_TRY();
			{
				fm_shadow_drop_replayed_extensions(shadow, before);
			}
			PG_CATCH();
			{
				MemoryContextSwitchTo(cxt);
				FlushErrorState();
			}
			PG_END_TRY();
		}
		fm_loopback_close(shadow);
		if (admin != NULL && created != NULL)
		{
			/* a failing drop is left to the next call's sweep */
			PG_TRY();
			{
				drop_database(admin, created);
			}
			PG_CATCH();
			{
				MemoryContextSwitchTo(cxt);
				FlushErrorState();
			}
			PG_END_TRY();
		}
		fm_loopback_close(admin);
		fm_rethrow(edata);
	}
	PG_END_TRY();

	{
		int			nest = fm_plan_enter_safe_path();

		fn(model, false, NULL, arg);
		fm_plan_leave_safe_path(nest);
	}
}

/* ---------- rollback: a subtransaction of this database ---------- */

/*
 * What the rollback strategy drops first: every table, view, sequence not
 * owned by a column, type (not the row type of a relation), domain and
 * routine of the managed schemas ($1: names) that is not an extension's,
 * by the identity the server spells (pg_identify_object), with its owner.
 */
const char *const fm_shadow_q_droppable =
"SELECT i.type, i.identity, o.owner FROM ("
" SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AS classid, c.oid AS objid, 1 AS ord, c.relowner AS owner"
" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace"
" WHERE n.nspname::pg_catalog.text OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.text[])"
" AND c.relkind::pg_catalog.text OPERATOR(pg_catalog.=) ANY ('{r,p,v,m,f,S}'::pg_catalog.text[])"
" AND NOT c.relispartition"
" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend o WHERE o.classid OPERATOR(pg_catalog.=)"
"   'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND o.objid OPERATOR(pg_catalog.=) c.oid"
"   AND c.relkind OPERATOR(pg_catalog.=) 'S'::pg_catalog.\"char\""
"   AND o.deptype::pg_catalog.text OPERATOR(pg_catalog.=) ANY ('{a,i}'::pg_catalog.text[]))"
" UNION ALL"
" SELECT 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, t.oid, 2, t.typowner"
" FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) t.typnamespace"
" WHERE n.nspname::pg_catalog.text OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.text[])"
" AND t.typtype::pg_catalog.text OPERATOR(pg_catalog.=) ANY ('{e,d,r,c}'::pg_catalog.text[])"
" AND (t.typtype OPERATOR(pg_catalog.<>) 'c'::pg_catalog.\"char\" OR EXISTS (SELECT 1 FROM pg_catalog.pg_class r"
"   WHERE r.oid OPERATOR(pg_catalog.=) t.typrelid AND r.relkind OPERATOR(pg_catalog.=) 'c'::pg_catalog.\"char\"))"
" UNION ALL"
" SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid, p.oid, 3, p.proowner"
" FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace"
" WHERE n.nspname::pg_catalog.text OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.text[])"
") o CROSS JOIN LATERAL pg_catalog.pg_identify_object(o.classid, o.objid, 0) i "
"WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid OPERATOR(pg_catalog.=) o.classid"
"  AND d.objid OPERATOR(pg_catalog.=) o.objid AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog.\"char\") "
"ORDER BY o.ord, i.identity";

/* the DROP keyword of a pg_identify_object type, or NULL (shadow_int.h) */
const char *
fm_shadow_drop_keyword(const char *type)
{
	static const char *const map[][2] = {
		{"table", "TABLE"}, {"view", "VIEW"},
		{"materialized view", "MATERIALIZED VIEW"},
		{"foreign table", "FOREIGN TABLE"}, {"sequence", "SEQUENCE"},
		{"type", "TYPE"}, {"composite type", "TYPE"}, {"domain", "DOMAIN"},
		{"function", "FUNCTION"}, {"procedure", "PROCEDURE"},
		{"aggregate", "AGGREGATE"}
	};

	for (int i = 0; i < lengthof(map); i++)
		if (strcmp(type, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/*
 * require_owner
 *		ERROR (42501) unless the caller has the privileges of owner, the
 *		owner of the object identity of the kind (a pg_identify_object
 *		type) that the rollback strategy is about to drop.  DROP checks
 *		ownership only after it has locked a type, domain, routine or
 *		schema, so a role that may not drop one would queue for its lock
 *		(and make others queue behind it) before failing: the rule is
 *		privileges before locks.
 */
static void
require_owner(const char *kind, const char *identity, const char *owner)
{
	Oid			ownerid = DatumGetObjectId(DirectFunctionCall1(oidin,
															   CStringGetDatum(owner)));

	if (!has_privs_of_role(GetUserId(), ownerid))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("must be owner of %s %s", kind, identity),
				 errdetail("The rollback strategy drops every object of the managed schemas before it replays the history; it checks that it may drop each before it locks any."),
				 errhint("Run it as the owner of the managed objects, or use strategy => 'shadow'.")));
}

/*
 * drop_managed_objects
 *		Drop, as the caller (SPI, so every privilege is checked), every
 *		object of the managed schemas that no extension owns, after checking
 *		that the caller owns each (require_owner).  CASCADE: what depends on
 *		them goes too, in the same subtransaction.
 */
static void
drop_managed_objects(const FmList *schemas)
{
	FmRowSource rs;
	FmRows	   *rows;
	const char *params[1];

	params[0] = fm_text_array_literal(schemas);
	fm_rowsource_spi_init(&rs, false);
	rows = rs.query(&rs, fm_shadow_q_droppable, 1, params);
	for (uint64 i = 0; i < rows->n; i++)
		require_owner(fm_rows_cell(rows, i, 1), fm_rows_cell(rows, i, 2),
					  fm_rows_cell(rows, i, 3));
	for (uint64 i = 0; i < rows->n; i++)
	{
		const char *kw = fm_shadow_drop_keyword(fm_rows_cell(rows, i, 1));
		int			rc;

		CHECK_FOR_INTERRUPTS();
		if (kw == NULL)
			continue;
		rc = SPI_execute(psprintf("DROP %s IF EXISTS %s CASCADE", kw,
								  fm_rows_cell(rows, i, 2)), false, 0);
		if (rc < 0)
			elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
	}
	fm_rows_free(rows);
}

/*
 * drop_created_schemas
 *		Drop (CASCADE, as the caller) the schemas that the history creates,
 *		where they exist here and hold nothing of an extension, so that the
 *		replay can create them again; the caller must own each (checked
 *		before its lock).
 */
static void
drop_created_schemas(List *created)
{
	ListCell   *lc;

	foreach(lc, created)
	{
		const char *params[1];
		FmRowSource rs;
		FmRows	   *rows;
		int			rc;

		params[0] = lfirst(lc);
		fm_rowsource_spi_init(&rs, false);
		rows = rs.query(&rs,
						"SELECT n.nspowner FROM pg_catalog.pg_namespace n "
						"WHERE n.nspname OPERATOR(pg_catalog.=) $1::pg_catalog.name "
						"AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension e "
						"  WHERE e.extnamespace OPERATOR(pg_catalog.=) n.oid)",
						1, params);
		if (rows->n == 1)
		{
			require_owner("schema", quote_identifier(params[0]),
						  fm_rows_cell(rows, 0, 1));
			rc = SPI_execute(psprintf("DROP SCHEMA %s CASCADE",
									  quote_identifier(params[0])), false, 0);
			if (rc < 0)
				elog(ERROR, "SPI_execute failed: %s", SPI_result_code_string(rc));
		}
		fm_rows_free(rows);
	}
}

/* replay migration f here (replay_local), skipping what log notes */
static void
replay_local_one(FmMigFile *f, MemoryContext scratch, SkipLog *skipped)
{
	FmPending	p;
	List	   *run = NIL;
	ListCell   *ls;
	int			nest;

	memset(&p, 0, sizeof(p));
	p.name = f->name;
	p.sql = f->sql;
	p.len = f->len;
	p.checksum = f->checksum;
	fm_prepare_pending(&p, scratch, false);
	foreach(ls, p.stmts)
		if (!skip_shared(skipped, lfirst(ls)))
			run = lappend(run, lfirst(ls));
	nest = NewGUCNestLevel();
	fm_run_statements(p.name, p.sql, run);
	AtEOXact_GUC(false, nest);
	report_skipped(skipped, f, "rollback");
	list_free(run);
	list_free_deep(p.stmts);
}

/*
 * replay_local
 *		Replay every migration of files here, as the function form of
 *		deploy, less the statements that change only objects the cluster
 *		shares (SkipLog).  fm_in_rollback_replay is set meanwhile, so that
 *		an error's hint speaks of this strategy.
 */
static void
replay_local(List *files)
{
	MemoryContext scratch = AllocSetContextCreate(CurrentMemoryContext,
												  "ferriorm replay",
												  ALLOCSET_DEFAULT_SIZES);
	ListCell   *lf;
	SkipLog		skipped = {0};

	initStringInfo(&skipped.which);
	fm_in_rollback_replay = true;
	PG_TRY();
	{
		foreach(lf, files)
			replay_local_one(lfirst(lf), scratch, &skipped);
	}
	PG_FINALLY();
	{
		fm_in_rollback_replay = false;
	}
	PG_END_TRY();
	MemoryContextDelete(scratch);
}

typedef struct RollbackWork
{
	List	   *files;
	const FmList *schemas;
	FmArena    *arena;
	FmHistStateFn fn;
	void	   *arg;
} RollbackWork;

/* the body of the rollback strategy, in the subtransaction */
static void
rollback_body(void *arg)
{
	RollbackWork *rw = arg;
	FmModel    *model;
	FmLiveRels	rels;
	int			nest;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* the cascades are not news: everything comes back with the rollback */
	nest = NewGUCNestLevel();
	(void) set_config_option("client_min_messages", "warning",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	drop_managed_objects(rw->schemas);
	drop_created_schemas(history_created_schemas(rw->files));
	AtEOXact_GUC(true, nest);
	replay_local(rw->files);
	SPI_finish();
	nest = fm_plan_enter_safe_path();
	model = fm_introspect(rw->arena, rw->schemas, &rels);
	rw->fn(model, false, &rels, rw->arg);
	fm_plan_leave_safe_path(nest);
}

/*
 * with_rollback
 *		The rollback strategy: in a subtransaction, empty the managed
 *		schemas, replay, introspect, call fn, and roll everything back.
 */
static void
with_rollback(const char *fname, List *files, const FmList *schemas,
			  FmArena *arena, FmHistStateFn fn, void *arg)
{
	RollbackWork rw;
	ErrorData  *edata;

	PreventCommandIfReadOnly(psprintf("%s with strategy \"rollback\"", fname));
	rw.files = files;
	rw.schemas = schemas;
	rw.arena = arena;
	rw.fn = fn;
	rw.arg = arg;
	edata = fm_run_rolled_back(rollback_body, &rw);
	if (edata != NULL)
		fm_rethrow(edata);
}

/* ---------- snapshot: the last folder's schema.snapshot ---------- */

/*
 * snapshot_schemas
 *		model->schemas as a replay would give it for the state the snapshot
 *		describes: the managed schemas that the history creates or that
 *		exist here (the shadow strategy creates those before the replay,
 *		the rollback strategy keeps them).
 */
static void
snapshot_schemas(FmArena *arena, FmModel *model, const FmList *managed,
				 List *files)
{
	FmList		out = {0};
	List	   *created = history_created_schemas(files);

	for (int i = 0; i < managed->n; i++)
	{
		const char *s = fm_list_get(managed, i, const char);

		if (in_string_list(created, s) ||
			OidIsValid(get_namespace_oid(s, true)))
			fm_list_append(arena, &out, (void *) s);
	}
	model->schemas = out;
}

/*
 * with_snapshot
 *		The snapshot strategy: the schema text that dev wrote next to the
 *		last migration; every folder after the last one that has a snapshot
 *		is an error (written by hand: only a replay knows its state).
 */
static void
with_snapshot(const char *dir, List *files, const FmList *schemas,
			  FmArena *arena, FmHistStateFn fn, void *arg)
{
	FmMigFile  *last = files != NIL ? llast(files) : NULL;
	FmModel    *model;
	FmList		found = {0};
	int			nest;

	if (last == NULL)
		model = fm_backend_parse_schema(arena, cstring_to_text(FM_EMPTY_SCHEMA), FM_SNAPSHOT_FILE);
	else
	{
		char	   *path = psprintf("%s/%s/%s", dir, last->name, FM_SNAPSHOT_FILE);
		int			len;
		struct stat sb;

		if (stat(path, &sb) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("migration \"%s\" has no %s", last->name, FM_SNAPSHOT_FILE),
					 errdetail("The snapshot strategy reads the state of the history from the %s that ferriorm_dev() writes next to each migration; a migration written by hand has none.",
							   FM_SNAPSHOT_FILE),
					 errhint("Use strategy => 'shadow' or strategy => 'rollback', which replay the history.")));
		model = fm_snapshot_parse(arena, fm_read_whole_file(path, &len));
	}
	/* the default schema, as for the desired schema */
	fm_plan_managed_schemas(arena, model, &found);
	snapshot_schemas(arena, model, schemas, files);
	nest = fm_plan_enter_safe_path();
	fn(model, true, NULL, arg);
	fm_plan_leave_safe_path(nest);
}

/*
 * fm_hist_require_primary
 *		See shadow.h.
 */
void
fm_hist_require_primary(FmHistStrategy strategy, const char *fname)
{
	const char *hint = "Use strategy => 'snapshot', which reads the schema.snapshot of the last migration, or run it on the primary server.";

	if (strategy == FM_HIST_ROLLBACK)
		fm_require_primary_hint(psprintf("%s with strategy \"rollback\"", fname), hint);
	else if (strategy == FM_HIST_SHADOW &&
			 fm_loopback_shadow_conninfo_get("host") == NULL &&
			 fm_loopback_shadow_conninfo_get("hostaddr") == NULL &&
			 fm_loopback_shadow_conninfo_get("port") == NULL)
		fm_require_primary_hint(psprintf("%s with strategy \"shadow\"", fname), hint);
}

/*
 * fm_with_history_state
 *		See shadow.h.
 */
void
fm_with_history_state(FmHistStrategy strategy, const char *fname,
					  const char *dir, List *files, const FmList *schemas,
					  FmArena *arena, FmHistStateFn fn, void *arg)
{
	fm_hist_require_primary(strategy, fname);
	switch (strategy)
	{
		case FM_HIST_SHADOW:
			with_shadow_database(files, schemas, arena, fn, arg);
			break;
		case FM_HIST_ROLLBACK:
			with_rollback(fname, files, schemas, arena, fn, arg);
			break;
		case FM_HIST_SNAPSHOT:
			with_snapshot(dir, files, schemas, arena, fn, arg);
			break;
	}
}
