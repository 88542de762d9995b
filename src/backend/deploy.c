/*-------------------------------------------------------------------------
 *
 * deploy.c
 *	  SQL-callable migration-history functions of ferriorm:
 *
 *		ferriorm_deploy(dir)			apply pending migrations of a directory
 *		ferriorm_status(dir)			compare a directory with the history
 *		ferriorm_apply(name, sql)		apply one migration given as text
 *		ferriorm_resolve(name, status, dir)	mark a failed migration
 *		ferriorm_baseline(dir, up_to)	record migrations without running them
 *
 * Everything runs in the caller's transaction: a deploy is atomic, and its
 * DDL and history rows commit together.  See docs/migrations.md.
 *
 * src/backend/deploy.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "deploy.h"
#include "ferriorm.h"

PG_FUNCTION_INFO_V1(ferriorm_deploy);
PG_FUNCTION_INFO_V1(ferriorm_status);
PG_FUNCTION_INFO_V1(ferriorm_apply);
PG_FUNCTION_INFO_V1(ferriorm_resolve);
PG_FUNCTION_INFO_V1(ferriorm_baseline);

/*
 * fm_prepare_write
 *		Every function that writes the history starts here: it refuses to
 *		run inside a migration (nesting), and up front in a read-only
 *		transaction and on a hot standby, rather than failing later inside a
 *		migration or in the recording statement.
 */
void
fm_prepare_write(const char *cmdname)
{
	fm_refuse_in_migration(cmdname);
	fm_require_primary(cmdname);
	PreventCommandIfReadOnly(cmdname);
}

/* ERROR (22000): migration name changed after it was applied. */
void
fm_checksum_mismatch(const char *name, const char *recorded, const char *file)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("migration \"%s\" was modified after it was applied", name),
			 errdetail("Recorded checksum: %s. Current checksum: %s.",
					   recorded, file),
			 errhint("Restore the migration as it was applied and put the change into a new migration, "
					 "or, if the database matches the file as it is now, accept the edit with ferriorm_resolve(%s, 'applied', dir). "
					 "Nothing was applied.", quote_literal_cstr(name))));
}

/*
 * ERROR (55000): migration name is recorded as failed and blocks the rest.
 */
void
fm_failed_migration(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("migration \"%s\" is recorded as failed", name),
			 errdetail("No new migration is applied while a failed migration is unresolved."),
			 errhint("Repair the database, then mark the migration with ferriorm_resolve(%s, 'applied') "
					 "or ferriorm_resolve(%s, 'rolled_back') to apply it again.",
					 quote_literal_cstr(name), quote_literal_cstr(name))));
}

/*
 * apply_pending
 *		Run one pending migration as the caller and record it: at once when
 *		it replaces a rolled-back row, else into batch, which the caller
 *		records when every migration has run (fm_history_record_applied).
 *		Returns its execution time in milliseconds.  SET commands inside a
 *		migration last until the end of that migration only.
 */
static double
apply_pending(FmPending *p, FmAppliedBatch *batch)
{
	TimestampTz started_at;
	TimestampTz finished_at;
	instr_time	start,
				duration;
	int			save_nestlevel;
	double		ms;

	started_at = GetCurrentTimestamp();
	INSTR_TIME_SET_CURRENT(start);

	save_nestlevel = NewGUCNestLevel();
	fm_run_statements(p->name, p->sql, p->stmts);
	AtEOXact_GUC(false, save_nestlevel);

	INSTR_TIME_SET_CURRENT(duration);
	INSTR_TIME_SUBTRACT(duration, start);
	ms = INSTR_TIME_GET_MILLISEC(duration);
	finished_at = GetCurrentTimestamp();

	if (p->replace)
		fm_history_record(p->name, p->checksum, started_at, finished_at, ms,
						  true, NULL, true, false);
	else
		fm_applied_batch_add(batch, p->name, p->checksum, started_at,
							 finished_at, ms);
	return ms;
}

/*
 * fm_prepare_pending
 *		Parse, classify and check a pending migration before anything runs.  The raw
 *		parse trees are built in scratch, which is reset before returning:
 *		only the statement offsets are kept (the statements run from their
 *		text), so checking 1,000 migrations up front does not hold 1,000
 *		sets of parse trees.
 */
void
fm_prepare_pending(FmPending *p, MemoryContext scratch, bool procedure)
{
	MemoryContext oldcxt;
	List	   *parsed;
	List	   *kept = NIL;
	ListCell   *lc;

	fm_check_sql_encoding(p->name, p->sql, p->len);

	oldcxt = MemoryContextSwitchTo(scratch);
	parsed = fm_split_statements(p->name, p->sql);
	fm_classify_statements(p->name, p->sql, parsed, procedure);
	MemoryContextSwitchTo(oldcxt);

	foreach(lc, parsed)
	{
		FmStmt	   *st = palloc(sizeof(FmStmt));

		*st = *(FmStmt *) lfirst(lc);
		st->parsetree = NULL;
		kept = lappend(kept, st);
	}
	MemoryContextReset(scratch);
	p->stmts = kept;
}

/*
 * fm_collect_pending
 *		Merge the name-ordered migrations of a directory with the history
 *		rows and return the FmPending list of what is to be applied (not
 *		recorded, or rolled back), in order.  A failed row, or an applied
 *		one whose checksum differs, is an error; an applied migration
 *		missing from the directory is a WARNING.
 */
List *
fm_collect_pending(List *files, List *rows)
{
	List	   *pending = NIL;
	ListCell   *lf,
			   *lr;

	lf = list_head(files);
	lr = list_head(rows);
	while (lf != NULL || lr != NULL)
	{
		FmMigFile  *f = lf ? lfirst(lf) : NULL;
		FmHistRow  *r = lr ? lfirst(lr) : NULL;
		int			cmp;

		if (f == NULL)
			cmp = 1;
		else if (r == NULL)
			cmp = -1;
		else
			cmp = strcmp(f->name, r->name);

		if (cmp > 0)
		{
			/* recorded, no longer in the directory */
			if (strcmp(r->status, "failed") == 0)
				fm_failed_migration(r->name);
			if (strcmp(r->status, "applied") == 0)
				ereport(WARNING,
						(errmsg("applied migration \"%s\" is missing from the migrations directory",
								r->name),
						 errhint("Migrations should never be deleted once applied.")));
			lr = lnext(rows, lr);
			continue;
		}

		if (cmp == 0)
		{
			if (strcmp(r->status, "failed") == 0)
				fm_failed_migration(r->name);
			if (strcmp(r->status, "applied") == 0)
			{
				if (!fm_checksum_matches(r->checksum, f->sql, f->len, f->checksum))
					fm_checksum_mismatch(f->name, r->checksum, f->checksum);
				lf = lnext(files, lf);
				lr = lnext(rows, lr);
				continue;
			}
			/* rolled_back: apply again */
		}

		{
			FmPending  *p = palloc0(sizeof(FmPending));

			p->name = f->name;
			p->sql = f->sql;
			p->len = f->len;
			p->checksum = f->checksum;
			p->replace = (cmp == 0);
			pending = lappend(pending, p);
		}
		lf = lnext(files, lf);
		if (cmp == 0)
			lr = lnext(rows, lr);
	}

	return pending;
}

/*
 * ferriorm_deploy(dir text)
 *	  RETURNS TABLE(migration text, checksum text, status text,
 *					duration_ms double precision)
 */
Datum
ferriorm_deploy(PG_FUNCTION_ARGS)
{
	char	   *dir;
	TupleDesc	desc;
	Tuplestorestate *ts;

	/* not STRICT: a deploy of NULL would report nothing, as if all were applied */
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("migrations directory must not be null")));
	dir = text_to_cstring(PG_GETARG_TEXT_PP(0));
	ts = fm_init_materialized_srf(fcinfo, &desc);
	fm_check_read_privilege();
	fm_prepare_write("ferriorm_deploy()");
	fm_history_init(fcinfo->flinfo->fn_oid);

	(void) fm_deploy_files(fm_read_migrations_dir(dir), ts, desc);
	return (Datum) 0;
}

/*
 * fm_deploy_files
 *		Apply the pending migrations of files (a directory read by
 *		fm_read_migrations_dir) in the current transaction, under the deploy
 *		lock, as ferriorm_deploy() does; the caller has checked privileges
 *		and called fm_prepare_write and fm_history_init.  A row (name,
 *		checksum, status, ms) per migration goes into ts unless ts is NULL.
 *		Returns the number of migrations applied.
 */
int
fm_deploy_files(List *files, Tuplestorestate *ts, TupleDesc desc)
{
	List	   *rows;
	List	   *pending;
	ListCell   *lf;
	MemoryContext migcxt;
	FmAppliedBatch batch;

	SPI_connect();
	fm_history_lock(false);
	rows = fm_history_read(true);
	pending = fm_collect_pending(files, rows);

	migcxt = AllocSetContextCreate(CurrentMemoryContext,
								   "ferriorm migration",
								   ALLOCSET_DEFAULT_SIZES);
	memset(&batch, 0, sizeof(batch));
	batch.cxt = CurrentMemoryContext;

	/* refuse the whole deploy up front if any pending migration cannot run */
	foreach(lf, pending)
	{
		CHECK_FOR_INTERRUPTS();
		fm_prepare_pending(lfirst(lf), migcxt, false);
	}

	foreach(lf, pending)
	{
		FmPending  *p = lfirst(lf);
		MemoryContext oldcxt = MemoryContextSwitchTo(migcxt);
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		double		ms;

		CHECK_FOR_INTERRUPTS();
		ms = apply_pending(p, &batch);
		MemoryContextSwitchTo(oldcxt);
		MemoryContextReset(migcxt);

		if (ts == NULL)
			continue;
		values[0] = CStringGetTextDatum(p->name);
		values[1] = CStringGetTextDatum(p->checksum);
		values[2] = CStringGetTextDatum("applied");
		values[3] = Float8GetDatum(ms);
		tuplestore_putvalues(ts, desc, values, nulls);
	}

	/* every history row of this deploy at once (apply_pending) */
	fm_history_record_applied(&batch);
	SPI_finish();
	return list_length(pending);
}

/*
 * ferriorm_status(dir text)
 *	  RETURNS TABLE(migration text, status text, checksum text,
 *					applied_at timestamptz)
 *
 * Read-only; takes no lock.  checksum is the file's, or the recorded one
 * for a migration missing from the directory.
 */
Datum
ferriorm_status(PG_FUNCTION_ARGS)
{
	char	   *dir = text_to_cstring(PG_GETARG_TEXT_PP(0));
	TupleDesc	desc;
	Tuplestorestate *ts;
	List	   *files;
	List	   *rows;
	ListCell   *lf,
			   *lr;

	ts = fm_init_materialized_srf(fcinfo, &desc);
	fm_check_read_privilege();
	fm_history_init(fcinfo->flinfo->fn_oid);

	files = fm_read_migrations_dir(dir);

	SPI_connect();
	rows = fm_history_read(false);

	lf = list_head(files);
	lr = list_head(rows);
	while (lf != NULL || lr != NULL)
	{
		FmMigFile  *f = lf ? lfirst(lf) : NULL;
		FmHistRow  *r = lr ? lfirst(lr) : NULL;
		const char *name;
		const char *status;
		const char *checksum;
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		int			cmp;

		if (f == NULL)
			cmp = 1;
		else if (r == NULL)
			cmp = -1;
		else
			cmp = strcmp(f->name, r->name);

		if (cmp < 0)
		{
			name = f->name;
			status = "pending";
			checksum = f->checksum;
			r = NULL;
		}
		else if (cmp > 0)
		{
			name = r->name;
			checksum = r->checksum;
			status = strcmp(r->status, "applied") == 0 ? "missing" : r->status;
		}
		else
		{
			name = f->name;
			checksum = f->checksum;
			if (strcmp(r->status, "applied") != 0)
				status = r->status;
			else if (!fm_checksum_matches(r->checksum, f->sql, f->len, f->checksum))
				status = "modified";
			else
				status = "applied";
		}

		values[0] = CStringGetTextDatum(name);
		values[1] = CStringGetTextDatum(status);
		values[2] = CStringGetTextDatum(checksum);
		if (r != NULL && !r->applied_at_null)
			values[3] = TimestampTzGetDatum(r->applied_at);
		else
			nulls[3] = true;
		tuplestore_putvalues(ts, desc, values, nulls);

		if (cmp <= 0)
			lf = lnext(files, lf);
		if (cmp >= 0)
			lr = lnext(rows, lr);
	}

	SPI_finish();
	return (Datum) 0;
}

/*
 * ferriorm_apply(name text, sql text) RETURNS text
 *
 * Apply one migration given inline, unless it is already recorded as
 * applied with the same checksum.  Returns 'applied' if it ran now,
 * 'skipped' if it was already applied.  No file access; EXECUTE is revoked
 * from PUBLIC.
 */
Datum
ferriorm_apply(PG_FUNCTION_ARGS)
{
	char	   *name;
	char	   *sql;
	char		checksum[FM_SHA256_HEX_LEN + 1];
	List	   *rows;
	FmHistRow  *r;
	FmPending	p;
	FmAppliedBatch batch;
	const char *result;

	/* not STRICT: NULL would return NULL, neither applied nor skipped */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("migration name and SQL text must not be null")));
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sql = text_to_cstring(PG_GETARG_TEXT_PP(1));
	fm_check_migration_name(name);
	fm_prepare_write("ferriorm_apply()");
	fm_history_init(fcinfo->flinfo->fn_oid);
	fm_sha256_hex(sql, strlen(sql), checksum);

	SPI_connect();
	fm_history_lock(false);
	rows = fm_history_read(true);
	r = fm_history_find(rows, name);

	if (r != NULL && strcmp(r->status, "failed") == 0)
		fm_failed_migration(name);
	if (r != NULL && strcmp(r->status, "applied") == 0)
	{
		if (!fm_checksum_matches(r->checksum, sql, strlen(sql), checksum))
			fm_checksum_mismatch(name, r->checksum, checksum);
		result = "skipped";
	}
	else
	{
		memset(&p, 0, sizeof(p));
		p.name = name;
		p.sql = sql;
		p.len = strlen(sql);
		p.checksum = checksum;
		p.replace = (r != NULL);
		fm_prepare_pending(&p, AllocSetContextCreate(CurrentMemoryContext,
													 "ferriorm parse",
													 ALLOCSET_DEFAULT_SIZES),
						   false);
		memset(&batch, 0, sizeof(batch));
		batch.cxt = CurrentMemoryContext;
		apply_pending(&p, &batch);
		fm_history_record_applied(&batch);
		result = "applied";
	}

	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(result));
}

/*
 * ferriorm_resolve(name text, status text, dir text DEFAULT NULL)
 *	  RETURNS void
 *
 * Like "prisma migrate resolve": a migration recorded as failed is marked
 * 'applied' (it was completed by hand) or 'rolled_back' (it was undone by
 * hand; the next deploy applies it again).  Recording migrations that were
 * never recorded is ferriorm_baseline's job.
 *
 * With dir, 'applied' records the checksum of the migration's file in dir
 * as it is now, as Prisma records the file's checksum: the file fixed
 * after the failure is what the database now holds, and the next deploy
 * compares against it.  Without dir the failed attempt's checksum stays.
 * With dir, a migration recorded as applied whose file was edited since
 * may be resolved as 'applied' too: the edit is accepted (the database is
 * known to match the file) and the old checksum goes to the logs.  That is
 * the way out of "was modified after it was applied" when the edit is
 * harmless (whitespace, a comment).
 */
Datum
ferriorm_resolve(PG_FUNCTION_ARGS)
{
	char	   *name;
	char	   *status;
	char	   *dir = NULL;
	FmMigFile  *file = NULL;
	List	   *rows;
	FmHistRow  *r;
	const char *by;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("migration name and status must not be null")));
	name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	status = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (!PG_ARGISNULL(2))
		dir = text_to_cstring(PG_GETARG_TEXT_PP(2));

	if (strcmp(status, "applied") != 0 && strcmp(status, "rolled_back") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid migration status \"%s\"", status),
				 errhint("A failed migration can be resolved as \"applied\" or \"rolled_back\".")));
	if (dir != NULL && strcmp(status, "applied") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a migrations directory is only read when resolving as \"applied\""),
				 errhint("A migration resolved as \"rolled_back\" is applied again by the next deploy, which reads its file then.")));

	if (dir != NULL)
	{
		fm_check_read_privilege();
		file = fm_find_migration_file(fm_read_migrations_dir(dir), name);
		if (file == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("migration \"%s\" does not exist in the migrations directory",
							name)));
	}

	fm_prepare_write("ferriorm_resolve()");
	fm_history_init(fcinfo->flinfo->fn_oid);

	SPI_connect();
	fm_history_lock(false);
	rows = fm_history_read(true);
	r = fm_history_find(rows, name);

	if (r == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("migration \"%s\" is not recorded in the migration history",
						name),
				 errhint("To record migrations that were applied without ferriorm, use ferriorm_baseline().")));

	by = psprintf("by %s at %s", GetUserNameFromId(GetUserId(), false),
				  timestamptz_to_str(GetCurrentTimestamp()));
	if (strcmp(r->status, "failed") == 0)
	{
		bool		same = (file == NULL ||
							fm_checksum_matches(r->checksum, file->sql, file->len,
												file->checksum));

		fm_history_set_status(name, status, same ? NULL : file->checksum,
							  same ? psprintf("resolved as %s %s", status, by) :
							  psprintf("resolved as %s %s, with the checksum of %s (the failed attempt's was %s)",
									   status, by, file->path, r->checksum));
	}
	else if (file != NULL && strcmp(r->status, "applied") == 0 &&
			 !fm_checksum_matches(r->checksum, file->sql, file->len, file->checksum))
		fm_history_set_status(name, status, file->checksum,
							  psprintf("edit of %s accepted %s (the checksum recorded was %s)",
									   file->path, by, r->checksum));
	else if (file != NULL && strcmp(r->status, "applied") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("migration \"%s\" cannot be resolved because it is recorded as applied with the checksum of its file",
						name),
				 errdetail("There is nothing to resolve: a deploy skips it.")));
	else
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("migration \"%s\" cannot be resolved because it is recorded as %s, not failed",
						name, r->status),
				 strcmp(r->status, "applied") == 0 ?
				 errhint("To accept an edit of its file, pass the migrations directory: ferriorm_resolve(%s, 'applied', dir).",
						 quote_literal_cstr(name)) : 0));
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * ferriorm_baseline(dir text, up_to text DEFAULT NULL)
 *	  RETURNS TABLE(migration text, checksum text, status text)
 *
 * Record the migrations of dir up to and including up_to (all if NULL) as
 * applied without running them, for adopting an existing database.  Already
 * applied ones are verified and skipped.
 */
Datum
ferriorm_baseline(PG_FUNCTION_ARGS)
{
	char	   *dir;
	char	   *up_to = NULL;
	TupleDesc	desc;
	Tuplestorestate *ts;
	List	   *files;
	List	   *rows;
	ListCell   *lc;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("migrations directory must not be null")));
	dir = text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (!PG_ARGISNULL(1))
		up_to = text_to_cstring(PG_GETARG_TEXT_PP(1));

	ts = fm_init_materialized_srf(fcinfo, &desc);
	fm_check_read_privilege();
	fm_prepare_write("ferriorm_baseline()");
	fm_history_init(fcinfo->flinfo->fn_oid);

	files = fm_read_migrations_dir(dir);
	if (up_to != NULL)
	{
		if (fm_find_migration_file(files, up_to) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("migration \"%s\" does not exist in the migrations directory",
							up_to)));
	}

	SPI_connect();
	fm_history_lock(false);
	rows = fm_history_read(true);

	foreach(lc, files)
	{
		FmMigFile  *f = lfirst(lc);
		FmHistRow  *r = fm_history_find(rows, f->name);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		TimestampTz now;

		CHECK_FOR_INTERRUPTS();
		if (up_to != NULL && strcmp(f->name, up_to) > 0)
			break;
		if (r != NULL && strcmp(r->status, "failed") == 0)
			fm_failed_migration(r->name);
		if (r != NULL && strcmp(r->status, "applied") == 0)
		{
			if (!fm_checksum_matches(r->checksum, f->sql, f->len, f->checksum))
				fm_checksum_mismatch(f->name, r->checksum, f->checksum);
			continue;
		}
		now = GetCurrentTimestamp();
		fm_history_record(f->name, f->checksum, now, now, 0, false,
						  "recorded by ferriorm_baseline without running",
						  r != NULL, false);

		values[0] = CStringGetTextDatum(f->name);
		values[1] = CStringGetTextDatum(f->checksum);
		values[2] = CStringGetTextDatum("applied");
		tuplestore_putvalues(ts, desc, values, nulls);
	}

	SPI_finish();
	return (Datum) 0;
}
