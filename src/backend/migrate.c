/*-------------------------------------------------------------------------
 *
 * migrate.c
 *	  The procedure form of deploy:
 *
 *		CALL ferriorm_migrate(dir)
 *
 * It applies the pending migrations of a directory one transaction per
 * migration, as Prisma, Flyway and Atlas do, where ferriorm_deploy() (the
 * function form, deploy.c) applies them all in the caller's transaction.
 *
 *	- The deploy lock is taken at session level and held for the whole
 *	  call, across its commits; it is released on every path (the lock
 *	  manager releases it if the backend exits).
 *	- Each migration runs in a subtransaction of its own transaction; its
 *	  history row is written in that subtransaction, so the migration and
 *	  its row commit together.
 *	- BEGIN and COMMIT in a file are commit points: what precedes commits.
 *	  SET statements of the migration are replayed after each commit point,
 *	  so they last until the end of the migration, as in the function form.
 *	- A statement that cannot run in a transaction block (CREATE INDEX
 *	  CONCURRENTLY, VACUUM, ...) runs over a loopback connection
 *	  (loopback.c) after what precedes it has committed.
 *	- A failure rolls the current part back, records the migration as
 *	  failed with the error in logs (in its own transaction), and ends the
 *	  call with the error.  Earlier migrations stay committed; later deploys
 *	  refuse until the failed one is resolved.
 *
 * src/backend/migrate.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "commands/dbcommands.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "deploy.h"
#include "ferriorm.h"
#include "loopback.h"

PG_FUNCTION_INFO_V1(ferriorm_migrate);

/* one part of a migration that commits on its own */
typedef struct MigPart
{
	FmPending  *p;
	List	   *stmts;			/* plain statements, or one NONTX statement */
	List	   *sets;			/* SET statements of the migration before it */
	bool		remote;			/* one statement, over the loopback */
	bool		record;			/* the last part: write the history row */
	TimestampTz started_at;
	double		ms;				/* time of all parts so far */
} MigPart;

/*
 * run_part
 *		Run one part of a migration in the current transaction (called in a
 *		subtransaction by run_part_in_subxact).  The SETs that preceded it in the
 *		migration are replayed first; SETs last until the part ends.
 */
static void
run_part(void *arg)
{
	MigPart    *mp = arg;
	int			save_nestlevel = NewGUCNestLevel();
	instr_time	start,
				duration;

	INSTR_TIME_SET_CURRENT(start);
	fm_run_statements(mp->p->name, mp->p->sql, mp->sets);

	if (!mp->remote)
		fm_run_statements(mp->p->name, mp->p->sql, mp->stmts);
	else
	{
		FmStmt	   *st = linitial(mp->stmts);
		char	   *text = fm_stmt_text(mp->p->sql, st);
		PGconn	   *volatile conn = NULL;
		ListCell   *lc;
		MemoryContext oldcxt = CurrentMemoryContext;

		PG_TRY();
		{
			/*
			 * the caller's settings (the statement was split and classified
			 * with its standard_conforming_strings), then the migration's
			 * own SETs
			 */
			static const char *const settings[] = {"search_path",
				"lock_timeout", "standard_conforming_strings",
			"escape_string_warning"};

			conn = fm_loopback_connect(get_database_name(MyDatabaseId));
			fm_loopback_copy_settings(conn, settings, lengthof(settings));
			foreach(lc, mp->sets)
				fm_loopback_exec(conn, fm_stmt_text(mp->p->sql, lfirst(lc)),
								 0, NULL);
			/*
			 * Nothing of ours may hold back a concurrent index build: no
			 * snapshot (what precedes has committed), no catalog snapshot.
			 */
			InvalidateCatalogSnapshot();
			fm_loopback_exec(conn, text, 0, NULL);
		}
		PG_CATCH();
		{
			ErrorData  *edata;

			MemoryContextSwitchTo(oldcxt);
			fm_loopback_close(conn);
			conn = NULL;
			edata = CopyErrorData();
			FlushErrorState();
			fm_rethrow_in_migration(edata, mp->p->name, st->line);
		}
		PG_END_TRY();
		fm_loopback_close(conn);
	}

	INSTR_TIME_SET_CURRENT(duration);
	INSTR_TIME_SUBTRACT(duration, start);
	mp->ms += INSTR_TIME_GET_MILLISEC(duration);
	AtEOXact_GUC(false, save_nestlevel);

	if (mp->record)
		fm_history_record(mp->p->name, mp->p->checksum, mp->started_at,
						  GetCurrentTimestamp(), mp->ms, true, NULL,
						  mp->p->replace, false);
}

/*
 * run_part_in_subxact
 *		Run mp's part in a subtransaction of a transaction that has just
 *		begun; NULL, or its error copied into errcxt.  SET TRANSACTION
 *		statements at the start of the part (FmStmt.xact_start) run first,
 *		outside the subtransaction, which they could not run in.
 */
static ErrorData *
run_part_in_subxact(MigPart *mp, MemoryContext errcxt)
{
	int			n = 0;

	while (!mp->remote && n < list_length(mp->stmts) &&
		   ((FmStmt *) list_nth(mp->stmts, n))->xact_start)
		n++;
	if (n > 0)
	{
		/* copies: the caller still reads its list of the part */
		fm_run_xact_start(mp->p->name, mp->p->sql,
						  list_truncate(list_copy(mp->stmts), n));
		mp->stmts = list_copy_tail(mp->stmts, n);
	}
	return fm_in_subxact(run_part, mp, errcxt);
}

/*
 * invalid_index_hint
 *		After a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY, the
 *		invalid indexes left on the statement's table, as a hint; NULL if
 *		none (or the table cannot be found).
 */
static char *
invalid_index_hint(const char *sql, FmStmt *st)
{
	List	   *raw;
	Node	   *n;
	RangeVar   *rv = NULL;
	Oid			relid;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	int			rc;
	StringInfoData buf;

#if PG_VERSION_NUM >= 140000
	raw = raw_parser(fm_stmt_text(sql, st), RAW_PARSE_DEFAULT);
#else
	raw = raw_parser(fm_stmt_text(sql, st));
#endif
	if (list_length(raw) != 1)
		return NULL;
	n = linitial_node(RawStmt, raw)->stmt;
	if (IsA(n, IndexStmt))
		rv = ((IndexStmt *) n)->relation;
	else if (IsA(n, ReindexStmt))
		rv = ((ReindexStmt *) n)->relation;
	if (rv == NULL)
		return NULL;
	relid = RangeVarGetRelid(rv, NoLock, true);
	if (!OidIsValid(relid))
		return NULL;

	args[0] = ObjectIdGetDatum(relid);
	rc = SPI_execute_with_args("SELECT pg_catalog.string_agg(i.indexrelid::pg_catalog.regclass::pg_catalog.text, ', ') "
							   "FROM pg_catalog.pg_index i "
							   "WHERE i.indrelid OPERATOR(pg_catalog.=) $1 AND NOT i.indisvalid",
							   1, argtypes, args, NULL, true, 1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		return NULL;
	initStringInfo(&buf);
	{
		char	   *list = SPI_getvalue(SPI_tuptable->vals[0],
										SPI_tuptable->tupdesc, 1);

		SPI_freetuptable(SPI_tuptable);
		if (list == NULL)
			return NULL;
		appendStringInfo(&buf, "The failed build left invalid index %s. "
						 "Drop it (DROP INDEX CONCURRENTLY) before retrying.", list);
	}
	return buf.data;
}

/*
 * What unvalidated_constraints finds: the migration, and the list it makes.
 */
typedef struct UnvalidatedScan
{
	FmPending  *p;
	StringInfoData list;		/* "c" of table "s.t", ... */
	int			n;
} UnvalidatedScan;

/* does text contain word, in any case (a cheap filter, not a parse)? */
static bool
has_word_ci(const char *text, const char *word)
{
	size_t		n = strlen(word);

	for (const char *t = text; *t != '\0'; t++)
		if (pg_strncasecmp(t, word, n) == 0)
			return true;
	return false;
}

/*
 * unvalidated_scan
 *		fn of fm_in_subxact for unvalidated_constraints: for each statement
 *		of the migration that validates a constraint (ALTER TABLE t
 *		VALIDATE CONSTRAINT c), name c in scan->list when it exists and is
 *		still not validated.  A statement that does not parse is skipped
 *		(raw_parser's error would end the scan: the caller then says
 *		nothing).
 */
static void
unvalidated_scan(void *arg)
{
	UnvalidatedScan *scan = arg;
	Oid			argtypes[2] = {OIDOID, TEXTOID};
	ListCell   *lc;

	foreach(lc, scan->p->stmts)
	{
		char	   *text = fm_stmt_text(scan->p->sql, lfirst(lc));
		List	   *raw;
		AlterTableStmt *ats;
		Oid			relid;
		ListCell   *lcmd;

		CHECK_FOR_INTERRUPTS();
		/* only a statement that can validate is parsed again */
		if (!has_word_ci(text, "validate"))
			continue;
#if PG_VERSION_NUM >= 140000
		raw = raw_parser(text, RAW_PARSE_DEFAULT);
#else
		raw = raw_parser(text);
#endif
		if (list_length(raw) != 1 ||
			!IsA(linitial_node(RawStmt, raw)->stmt, AlterTableStmt))
			continue;
		ats = (AlterTableStmt *) linitial_node(RawStmt, raw)->stmt;
		relid = RangeVarGetRelid(ats->relation, NoLock, true);
		if (!OidIsValid(relid))
			continue;
		foreach(lcmd, ats->cmds)
		{
			AlterTableCmd *cmd = lfirst_node(AlterTableCmd, lcmd);
			Datum		args[2];
			int			rc;

			if (cmd->subtype != AT_ValidateConstraint || cmd->name == NULL)
				continue;
			args[0] = ObjectIdGetDatum(relid);
			args[1] = CStringGetTextDatum(cmd->name);
			rc = SPI_execute_with_args("SELECT 1 FROM pg_catalog.pg_constraint c "
									   "WHERE c.conrelid OPERATOR(pg_catalog.=) $1 "
									   "AND c.conname OPERATOR(pg_catalog.=) $2::pg_catalog.name "
									   "AND NOT c.convalidated",
									   2, argtypes, args, NULL, true, 1);
			if (rc != SPI_OK_SELECT || SPI_processed != 1)
				continue;
			appendStringInfo(&scan->list, "%s\"%s\" of table \"%s.%s\"",
							 scan->n > 0 ? ", " : "", cmd->name,
							 get_namespace_name(get_rel_namespace(relid)),
							 get_rel_name(relid));
			scan->n++;
		}
	}
}

/*
 * unvalidated_constraints
 *		After migration p failed and its committed parts stayed: the
 *		constraints it meant to validate (VALIDATE CONSTRAINT, as an online
 *		migration does after adding them NOT VALID and committing) that
 *		exist and are not validated, as "c" of table "s.t", ...; *n is how
 *		many.  NULL when none, or when they cannot be found out (the scan
 *		runs in a subtransaction: its own errors are dropped, never the
 *		migration's).  A hint, not a check: table names resolve on the
 *		caller's search_path, not on a SET search_path of the migration.
 */
static char *
unvalidated_constraints(FmPending *p, MemoryContext errcxt, int *n)
{
	UnvalidatedScan scan;
	ErrorData  *err;

	scan.p = p;
	scan.n = 0;
	initStringInfo(&scan.list);
	err = fm_in_subxact(unvalidated_scan, &scan, errcxt);
	*n = scan.n;
	if (err != NULL || scan.n == 0)
	{
		if (err != NULL)
			FreeErrorData(err);
		*n = 0;
		return NULL;
	}
	return scan.list.data;
}

/*
 * record_failure
 *		In a fresh transaction (the failed part was rolled back): record the
 *		migration as failed with the error in logs, and commit.
 */
static void
record_failure(FmPending *p, TimestampTz started_at, ErrorData *edata)
{
	StringInfoData logs;

	initStringInfo(&logs);
	appendStringInfoString(&logs, edata->message ? edata->message : "");
	if (edata->detail)
		appendStringInfo(&logs, "\nDETAIL: %s", edata->detail);
	if (edata->hint)
		appendStringInfo(&logs, "\nHINT: %s", edata->hint);
	appendStringInfo(&logs, "\nSQLSTATE: %s", unpack_sql_state(edata->sqlerrcode));

	fm_history_record(p->name, p->checksum, started_at, 0, 0, true,
					  logs.data, p->replace, true);
	SPI_commit();
}

/*
 * apply_one
 *		Apply one migration, part by part, committing after each.  On
 *		failure the migration is recorded as failed and the error is
 *		re-thrown.  Returns the execution time in milliseconds.
 */
static double
apply_one(FmPending *p, MemoryContext errcxt)
{
	MigPart		mp;
	List	   *sets = NIL;
	List	   *seg = NIL;
	ListCell   *lc,
			   *ls;
	ErrorData  *edata = NULL;
	FmStmt	   *failed_remote = NULL;
	char	   *unvalidated;
	int			nunvalidated;

	memset(&mp, 0, sizeof(mp));
	mp.p = p;
	mp.started_at = GetCurrentTimestamp();

	foreach(lc, p->stmts)
	{
		FmStmt	   *st = lfirst(lc);
		bool		boundary = (st->kind != FM_STMT_PLAIN);

		if (!boundary)
		{
			seg = lappend(seg, st);
			continue;
		}
		/* commit what precedes a commit point or a loopback statement */
		if (seg != NIL)
		{
			mp.stmts = seg;
			mp.sets = sets;
			mp.remote = false;
			if ((edata = run_part_in_subxact(&mp, errcxt)) != NULL)
				break;
			SPI_commit();
			foreach(ls, seg)
			{
				if (((FmStmt *) lfirst(ls))->is_set)
					sets = lappend(sets, lfirst(ls));
			}
			seg = NIL;
		}
		if (st->kind == FM_STMT_NONTX)
		{
			mp.stmts = list_make1(st);
			mp.sets = sets;
			mp.remote = true;
			if ((edata = run_part_in_subxact(&mp, errcxt)) != NULL)
			{
				failed_remote = st;
				break;
			}
			SPI_commit();
		}
	}

	if (edata == NULL)
	{
		/* the last part (possibly empty) and the history row */
		mp.stmts = seg;
		mp.sets = sets;
		mp.remote = false;
		mp.record = true;
		if ((edata = run_part_in_subxact(&mp, errcxt)) == NULL)
		{
			SPI_commit();
			return mp.ms;
		}
	}

	if (failed_remote != NULL && edata->hint == NULL &&
		failed_remote->what != NULL &&
		(strcmp(failed_remote->what, "CREATE INDEX CONCURRENTLY") == 0 ||
		 strcmp(failed_remote->what, "REINDEX CONCURRENTLY") == 0))
	{
		MemoryContext old = MemoryContextSwitchTo(errcxt);

		edata->hint = invalid_index_hint(p->sql, failed_remote);
		MemoryContextSwitchTo(old);
	}
	record_failure(p, mp.started_at, edata);
	unvalidated = unvalidated_constraints(p, errcxt, &nunvalidated);
	/*
	 * the error keeps the server's fields; that the history now blocks
	 * goes before it, as Prisma's P3018 says it with the failure, and so
	 * does what its committed parts left half done
	 */
	ereport(NOTICE,
			(errmsg("migration \"%s\" is recorded as failed; later deploys apply nothing until it is resolved",
					p->name),
			 unvalidated ?
			 errdetail_plural("Its committed statements left constraint %s NOT VALID: it checks new and updated rows only, until ALTER TABLE ... VALIDATE CONSTRAINT succeeds.",
							  "Its committed statements left constraints %s NOT VALID: they check new and updated rows only, until ALTER TABLE ... VALIDATE CONSTRAINT succeeds.",
							  nunvalidated, unvalidated) : 0,
			 errhint("Repair the database, then mark it with ferriorm_resolve(%s, 'applied') or ferriorm_resolve(%s, 'rolled_back') to apply it again.",
					 quote_literal_cstr(p->name), quote_literal_cstr(p->name))));
	fm_rethrow(edata);
	return 0;					/* keep compiler quiet */
}

/* does a statement of the pending migrations run over the loopback? */
static bool
needs_loopback(List *pending)
{
	ListCell   *lp;

	foreach(lp, pending)
	{
		ListCell   *ls;

		foreach(ls, ((FmPending *) lfirst(lp))->stmts)
			if (((FmStmt *) lfirst(ls))->kind == FM_STMT_NONTX)
				return true;
	}
	return false;
}

/*
 * migrate_guts
 *		Everything after the lock: read the history, check and classify the
 *		pending migrations (all of them, before anything runs; the
 *		loopback's password rule too, when a statement needs it), then
 *		apply them one by one.
 */
static int
migrate_guts(List *files, MemoryContext cxt)
{
	MemoryContext migcxt;
	MemoryContext oldcxt;
	List	   *rows;
	List	   *pending;
	ListCell   *lc;

	oldcxt = MemoryContextSwitchTo(cxt);
	rows = fm_history_read(true);
	pending = fm_collect_pending(files, rows);
	migcxt = AllocSetContextCreate(cxt, "ferriorm migration",
								   ALLOCSET_DEFAULT_SIZES);
	foreach(lc, pending)
	{
		CHECK_FOR_INTERRUPTS();
		fm_prepare_pending(lfirst(lc), migcxt, true);
	}
	MemoryContextSwitchTo(oldcxt);
	/*
	 * dblink's rule for the loopback, then a trial connection, before
	 * anything is applied: a password the server does not ask for, or an
	 * address of another server (ferriorm.loopback_conninfo), fails here,
	 * not once the migrations before the statement have committed
	 */
	if (needs_loopback(pending))
	{
		fm_loopback_check_password_rule(false);
		fm_loopback_close(fm_loopback_connect(get_database_name(MyDatabaseId)));
	}

	/* the checks read nothing that a later transaction needs */
	SPI_commit();

	foreach(lc, pending)
	{
		FmPending  *p = lfirst(lc);

		CHECK_FOR_INTERRUPTS();
		MemoryContextSwitchTo(migcxt);
		(void) apply_one(p, cxt);
		MemoryContextSwitchTo(oldcxt);
		MemoryContextReset(migcxt);
	}
	return list_length(pending);
}

/*
 * ferriorm_migrate(dir text): a procedure, CALL ferriorm_migrate(dir)
 */
Datum
ferriorm_migrate(PG_FUNCTION_ARGS)
{
	char	   *dir;
	bool		atomic = true;
	MemoryContext cxt;
	List	   *files;
	volatile int napplied = 0;
	volatile bool locked = false;

	if (fcinfo->context != NULL && IsA(fcinfo->context, CallContext))
		atomic = ((CallContext *) fcinfo->context)->atomic;
	fm_prepare_write("ferriorm_migrate()");
	if (atomic)
		ereport(ERROR,
				(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
				 errmsg("ferriorm_migrate() cannot run inside a transaction block"),
				 errdetail("The procedure commits after each migration."),
				 errhint("CALL it outside BEGIN ... COMMIT and not from a function, "
						 "or use SELECT * FROM ferriorm_deploy(dir) to apply all migrations in the current transaction.")));
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("migrations directory must not be null")));
	fm_check_read_privilege();
	fm_history_init(fcinfo->flinfo->fn_oid);

	/* lives across the commits of the call */
	cxt = AllocSetContextCreate(TopMemoryContext, "ferriorm_migrate",
								ALLOCSET_DEFAULT_SIZES);
	PG_TRY();
	{
		MemoryContext oldcxt = MemoryContextSwitchTo(cxt);

		dir = text_to_cstring(PG_GETARG_TEXT_PP(0));
		files = fm_read_migrations_dir(dir);
		MemoryContextSwitchTo(oldcxt);

		if (SPI_connect_ext(SPI_OPT_NONATOMIC) != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect_ext failed");
		fm_history_lock(true);
		locked = true;
		/*
		 * A new transaction, whose snapshot (at any isolation level) is
		 * taken after the lock: it sees every deploy that finished before.
		 */
		SPI_commit();
		fm_in_procedure_deploy = true;
		napplied = migrate_guts(files, cxt);
		SPI_finish();
	}
	PG_FINALLY();
	{
		fm_in_procedure_deploy = false;
		if (locked)
			fm_history_unlock_session();
		MemoryContextDelete(cxt);
	}
	PG_END_TRY();

	if (napplied == 0)
		ereport(NOTICE,
				(errmsg("no pending migrations")));
	else
		ereport(NOTICE,
				(errmsg_plural("applied %d migration", "applied %d migrations",
							   napplied, napplied)));
	PG_RETURN_VOID();
}
