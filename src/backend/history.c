/*-------------------------------------------------------------------------
 *
 * history.c
 *	  The migration history table _ferriorm_migrations: locking, reading
 *	  and recording.
 *
 * Locking: every writer first takes the deploy lock (security.c: SHARE
 * UPDATE EXCLUSIVE on the history table, at transaction level for the
 * functions, at session level for the procedure), then reads the history.  In READ COMMITTED each SPI
 * query with read_only = false takes a new snapshot, so the read after the
 * lock sees everything a concurrent deploy committed before releasing it.
 * In REPEATABLE READ and SERIALIZABLE the transaction snapshot is older than
 * the lock; we then also read the history with the latest snapshot and
 * raise a serialization failure if it differs (the client retries, as for
 * any other serialization failure).
 *
 * Recording: the table belongs to the extension owner and PUBLIC may only
 * read it.  The functions that may deploy (ferriorm_deploy for
 * pg_read_server_files members, ferriorm_apply for roles granted EXECUTE)
 * write their rows by switching to the table owner for exactly one fixed,
 * fully qualified, parameterised statement, in a security-restricted
 * operation.  The migration SQL itself always runs as the caller.  Nobody
 * else can write the table: there is no SECURITY DEFINER function and no
 * INSERT/UPDATE grant.
 *
 * src/backend/history.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "deploy.h"
#include "security.h"

/* the history table of the current call; set by fm_history_init() */
static char *hist_qualname = NULL;
static Oid	hist_nsp = InvalidOid;	/* the schema it belongs in */
static Oid	hist_owner = InvalidOid;
static Oid	hist_relid = InvalidOid;
static Oid	hist_fn_oid = InvalidOid;	/* the deploying function */

/*
 * The shape of the table: 0.2.0's (name, applied_at, shared with the
 * ferriorm CLI), or 0.1.0's (migration_name, no applied_at) while the
 * library is new and ALTER EXTENSION ferriorm UPDATE has not run yet.
 */
static bool hist_v010 = false;

#define HIST_NAME		(hist_v010 ? "migration_name" : "name")

/*
 * fm_history_init
 *		Find the history table: it lives in the schema of the calling
 *		function, i.e. the extension's schema.  Must be called in a memory
 *		context that outlives the call's SPI usage.
 */
void
fm_history_init(Oid fn_oid)
{
	Oid			nsp = get_func_namespace(fn_oid);
	char	   *nspname = get_namespace_name(nsp);
	Oid			relid;
	HeapTuple	tup;

	relid = get_relname_relid(FM_HISTORY_TABLE, nsp);
	if (!OidIsValid(relid) || nspname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("migration history table \"%s\" does not exist",
						FM_HISTORY_TABLE),
				 errhint("Reinstall the ferriorm extension.")));

	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	hist_owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	hist_relid = relid;
	hist_nsp = nsp;
	hist_fn_oid = fn_oid;
	hist_v010 = (get_attnum(relid, "applied_at") == InvalidAttrNumber);

	/*
	 * Kept in TopMemoryContext: a migration may itself call one of our
	 * functions, and the nested call must not leave the outer one with a
	 * pointer into its own, shorter-lived, memory.
	 */
	{
		const char *qual = quote_qualified_identifier(nspname, FM_HISTORY_TABLE);

		if (hist_qualname == NULL || strcmp(hist_qualname, qual) != 0)
		{
			char	   *old = hist_qualname;

			hist_qualname = MemoryContextStrdup(TopMemoryContext, qual);
			if (old)
				pfree(old);
		}
	}
}

/*
 * fm_history_lock
 *		Serialize writers of the history with the deploy lock.  session =
 *		false: released at the end of the transaction.  session = true: held
 *		across commits until fm_history_unlock_session().
 */
void
fm_history_lock(bool session)
{
	fm_deploy_lock(hist_relid, hist_fn_oid, session);
}

void
fm_history_unlock_session(void)
{
	fm_deploy_unlock_session(hist_relid);
}

/*
 * rows_from_tuptable
 *		The rows of the last SPI query as a palloc'd List of FmHistRow (name,
 *		checksum, status, applied_at), freeing the tuple table.
 */
static List *
rows_from_tuptable(void)
{
	List	   *rows = NIL;

	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		FmHistRow  *r = palloc0(sizeof(FmHistRow));
		bool		isnull;
		Datum		d;

		r->name = SPI_getvalue(tup, desc, 1);
		r->checksum = SPI_getvalue(tup, desc, 2);
		r->status = SPI_getvalue(tup, desc, 3);
		d = SPI_getbinval(tup, desc, 4, &isnull);
		r->applied_at_null = isnull;
		if (!isnull)
			r->applied_at = DatumGetTimestampTz(d);
		rows = lappend(rows, r);
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/* Do two reads of the history agree on every name, checksum and status? */
static bool
same_rows(List *a, List *b)
{
	ListCell   *la,
			   *lb;

	if (list_length(a) != list_length(b))
		return false;
	forboth(la, a, lb, b)
	{
		FmHistRow  *ra = lfirst(la);
		FmHistRow  *rb = lfirst(lb);

		if (strcmp(ra->name, rb->name) != 0 ||
			strcmp(ra->checksum, rb->checksum) != 0 ||
			strcmp(ra->status, rb->status) != 0)
			return false;
	}
	return true;
}

/*
 * trusted_owner
 *		Whether the caller trusts a table owned by owner: its own, a
 *		superuser's, or (for a superuser, by membership in the catalog, since
 *		a superuser has the privileges of every role) one of a role it
 *		belongs to.  A superuser must not trust every role's table: a role
 *		able to create tables in its search_path (the owner of the database
 *		owns public) could otherwise mark migrations applied.
 */
static bool
trusted_owner(Oid owner)
{
	Oid			user = GetUserId();

	if (owner == user || superuser_arg(owner))
		return true;
	if (superuser_arg(user))
		return is_member_of_role_nosuper(user, owner);
	return has_privs_of_role(user, owner);
}

/*
 * prisma_table
 *		Prisma's history table, _prisma_migrations, if there is one to adopt:
 *		in the extension's schema, else in the first schema of the caller's
 *		search_path (where Prisma keeps it).  Returns the qualified name, or
 *		NULL.
 *
 *		Only a table the caller trusts may be adopted (see trusted_owner): a
 *		table planted by somebody else could otherwise make a deploy skip
 *		migrations.  Nor may an untrusted one be ignored: the usual case is a
 *		history written by the application's role, read by a superuser's
 *		deploy, and ignoring it would apply every migration it records a
 *		second time.  So an untrusted table is an error that names it and
 *		its owner.
 */
static char *
prisma_table(void)
{
	Oid			nsps[2];
	List	   *path = fetch_search_path(false);

	nsps[0] = get_rel_namespace(hist_relid);
	nsps[1] = path != NIL ? linitial_oid(path) : InvalidOid;
	for (int i = 0; i < 2; i++)
	{
		Oid			relid;
		HeapTuple	tup;
		Oid			owner;
		char		relkind;
		char	   *qualname;

		if (!OidIsValid(nsps[i]) || (i == 1 && nsps[1] == nsps[0]))
			continue;
		relid = get_relname_relid("_prisma_migrations", nsps[i]);
		if (!OidIsValid(relid))
			continue;
		tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
		if (!HeapTupleIsValid(tup))
			continue;
		owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
		relkind = ((Form_pg_class) GETSTRUCT(tup))->relkind;
		ReleaseSysCache(tup);
		if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
			continue;
		qualname = quote_qualified_identifier(get_namespace_name(nsps[i]),
											  "_prisma_migrations");
		if (!trusted_owner(owner))
		{
			const char *rolname = quote_identifier(GetUserNameFromId(owner, false));

			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("history table %s of Prisma belongs to role %s, which the current role does not trust",
							qualname, rolname),
					 errdetail("Ignoring the table would apply again every migration it records as applied, and adopting it would let role %s decide which migrations run.",
							   rolname),
					 errhint("Deploy as role %s (SET ROLE), or check the table's rows and make it yours with ALTER TABLE %s OWNER TO CURRENT_USER.",
							 rolname, qualname)));
		}
		return qualname;
	}
	return NULL;
}

/*
 * prisma_checksum
 *		Check the checksum Prisma recorded for migration name in qualname,
 *		lower-casing it in place.  Prisma writes SHA-256 in lower-case hex
 *		(fewer digits in early versions); a row edited by hand may hold
 *		upper-case digits, which compare as the same checksum.  Anything else
 *		cannot be compared with a file or copied into our history (whose
 *		CHECK would fail with a message naming neither): an error naming the
 *		row.
 */
static void
prisma_checksum(const char *qualname, const char *name, char *checksum)
{
	size_t		len = strlen(checksum);
	bool		ok = (len >= 32 && len <= FM_SHA256_HEX_LEN);

	for (char *c = checksum; ok && *c; c++)
	{
		if (*c >= 'A' && *c <= 'F')
			*c += 'a' - 'A';
		else if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			ok = false;
	}
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("checksum of migration \"%s\" in %s is not a SHA-256 in hexadecimal",
						name, qualname),
				 errdetail("The checksum recorded is \"%s\".", checksum),
				 errhint("Set the row's checksum to the SHA-256 of the migration's file as it was applied (sha256sum prints it).")));
}

/*
 * read_prisma
 *		One row per migration of Prisma's history that is not rolled back:
 *		applied if one of its attempts finished, else failed (Prisma's own
 *		rule), by name in byte order.
 */
static List *
read_prisma(const char *qualname)
{
	char	   *query;
	int			rc;
	List	   *rows = NIL;

	query = psprintf("SELECT DISTINCT ON (migration_name COLLATE pg_catalog.\"C\") "
					 "migration_name::pg_catalog.text, checksum::pg_catalog.text, "
					 "finished_at IS NOT NULL, started_at, finished_at, logs "
					 "FROM %s WHERE rolled_back_at IS NULL "
					 "ORDER BY migration_name COLLATE pg_catalog.\"C\", "
					 "finished_at IS NOT NULL DESC, started_at DESC",
					 qualname);
	rc = SPI_execute(query, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read %s: %s", qualname,
			 SPI_result_code_string(rc));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		FmHistRow  *r = palloc0(sizeof(FmHistRow));
		bool		isnull;
		bool		finished;
		Datum		d;

		r->name = SPI_getvalue(tup, desc, 1);
		r->checksum = SPI_getvalue(tup, desc, 2);
		if (r->name == NULL || r->checksum == NULL)
			continue;
		prisma_checksum(qualname, r->name, r->checksum);
		finished = DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull));
		r->status = finished ? "applied" : "failed";
		d = SPI_getbinval(tup, desc, 4, &isnull);
		r->started_at = isnull ? GetCurrentTimestamp() : DatumGetTimestampTz(d);
		d = SPI_getbinval(tup, desc, 5, &isnull);
		r->applied_at_null = isnull;
		r->applied_at = isnull ? r->started_at : DatumGetTimestampTz(d);
		r->logs = SPI_getvalue(tup, desc, 6);
		r->imported = true;
		rows = lappend(rows, r);
	}
	SPI_freetuptable(SPI_tuptable);
	return rows;
}

/*
 * merge_prisma
 *		Add Prisma's rows for the migrations our history does not record
 *		(both lists are in byte order of the name; so is the result).  With
 *		import = true (the caller holds the deploy lock) they are copied into
 *		our history, applied or failed, and are no longer marked imported.
 */
static List *
merge_prisma(List *rows, bool import)
{
	char	   *qualname = prisma_table();
	List	   *prisma;
	List	   *merged = NIL;
	ListCell   *la,
			   *lb;

	if (qualname == NULL)
		return rows;
	prisma = read_prisma(qualname);
	la = list_head(rows);
	lb = list_head(prisma);
	while (la != NULL || lb != NULL)
	{
		FmHistRow  *a = la ? lfirst(la) : NULL;
		FmHistRow  *b = lb ? lfirst(lb) : NULL;
		int			cmp = a == NULL ? 1 : b == NULL ? -1 : strcmp(a->name, b->name);

		CHECK_FOR_INTERRUPTS();
		if (cmp <= 0)
		{
			merged = lappend(merged, a);
			la = lnext(rows, la);
			if (cmp == 0)
				lb = lnext(prisma, lb);
			continue;
		}
		if (import)
		{
			bool		failed = strcmp(b->status, "failed") == 0;

			fm_history_record(b->name, b->checksum, b->started_at,
							  b->applied_at, 0, false,
							  psprintf("imported from %s%s%s", qualname,
									   b->logs ? ": " : "",
									   b->logs ? b->logs : ""),
							  false, failed);
			b->imported = false;
		}
		merged = lappend(merged, b);
		lb = lnext(prisma, lb);
	}
	return merged;
}

/*
 * fm_history_read
 *		All history rows ordered by name (byte order).  for_update: the
 *		caller holds the deploy lock and will write; read with a fresh
 *		snapshot, and in REPEATABLE READ / SERIALIZABLE fail with a
 *		serialization error if a concurrent writer committed rows this
 *		transaction cannot see.
 */
List *
fm_history_read(bool for_update)
{
	char	   *query;
	int			rc;
	List	   *rows;

	query = psprintf("SELECT %s, checksum, status, %s "
					 "FROM %s ORDER BY %s COLLATE pg_catalog.\"C\"",
					 HIST_NAME,
					 hist_v010 ? "COALESCE(finished_at, started_at)" : "applied_at",
					 hist_qualname, HIST_NAME);

	/* read_only = false: in READ COMMITTED this takes a new snapshot */
	rc = SPI_execute(query, !for_update, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read migration history: %s",
			 SPI_result_code_string(rc));
	rows = rows_from_tuptable();

	if (for_update && IsolationUsesXactSnapshot())
	{
		SPIPlanPtr	plan = SPI_prepare(query, 0, NULL);
		List	   *latest;

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed: %s",
				 SPI_result_code_string(SPI_result));
		rc = SPI_execute_snapshot(plan, NULL, NULL, GetLatestSnapshot(),
								  InvalidSnapshot, true, false, 0);
		if (rc != SPI_OK_SELECT)
			elog(ERROR, "could not read migration history: %s",
				 SPI_result_code_string(rc));
		latest = rows_from_tuptable();
		SPI_freeplan(plan);
		if (!same_rows(rows, latest))
			ereport(ERROR,
					(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
					 errmsg("could not serialize access due to a concurrent change of the migration history"),
					 errdetail("Another transaction changed %s after this transaction took its snapshot.",
							   FM_HISTORY_TABLE),
					 errhint("Retry the transaction, or deploy in a READ COMMITTED transaction.")));
	}
	return merge_prisma(rows, for_update);
}

/* The row of migration name in rows, or NULL. */
FmHistRow *
fm_history_find(List *rows, const char *name)
{
	ListCell   *lc;

	foreach(lc, rows)
	{
		FmHistRow  *r = lfirst(lc);

		if (strcmp(r->name, name) == 0)
			return r;
	}
	return NULL;
}

/*
 * The recording statements, prepared once per backend and kept (a deploy
 * of a thousand migrations runs the same INSERT a thousand times): the
 * text, which names the table, is the key.  The plan cache re-plans them
 * when the table changes.
 */
#define HIST_PLANS 4
static char *hist_plan_query[HIST_PLANS];
static SPIPlanPtr hist_plan[HIST_PLANS];
static int	hist_plan_next = 0;

/*
 * history_plan
 *		The prepared, kept SPI plan of history statement query (nargs
 *		parameters of types), from a small per-backend cache keyed by the
 *		text; the oldest entry is replaced when it is full.
 */
static SPIPlanPtr
history_plan(const char *query, int nargs, Oid *types)
{
	SPIPlanPtr	plan;
	int			k;

	for (k = 0; k < HIST_PLANS; k++)
		if (hist_plan_query[k] != NULL && strcmp(hist_plan_query[k], query) == 0)
			return hist_plan[k];
	plan = SPI_prepare(query, nargs, types);
	if (plan == NULL)
		elog(ERROR, "could not prepare the history statement: %s",
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "could not keep the history statement");
	k = hist_plan_next;
	hist_plan_next = (hist_plan_next + 1) % HIST_PLANS;
	if (hist_plan_query[k] != NULL)
	{
		SPI_freeplan(hist_plan[k]);
		pfree(hist_plan_query[k]);
	}
	hist_plan_query[k] = MemoryContextStrdup(TopMemoryContext, query);
	hist_plan[k] = plan;
	return plan;
}

/*
 * run_as_owner
 *		Execute one of our fixed statements as the owner of the history
 *		table, in a security-restricted operation, with search_path set to
 *		"pg_catalog, pg_temp" as core does for such operations (the
 *		statements are fully qualified already; this is defence in depth
 *		against the caller's search_path); the statement is prepared once per
 *		backend (history_plan).  An SPI result other than expected is an
 *		internal error.
 *
 * The user id is restored by PG_FINALLY, and in any case by the abort of
 * the (sub)transaction the error ends in: AbortTransaction and
 * AbortSubTransaction both reset it to the value saved when the
 * (sub)transaction started.  The search_path is reset by AtEOXact_GUC on
 * success, and by the (sub)transaction abort on error.
 */
static void
run_as_owner(const char *query, int nargs, Oid *types, Datum *values,
			 const char *nulls, int expected)
{
	Oid			save_userid;
	int			save_sec_context;
	int			save_nestlevel;
	int			rc = 0;

	GetUserIdAndSecContext(&save_userid, &save_sec_context);
	save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	SetUserIdAndSecContext(hist_owner,
						   save_sec_context | SECURITY_LOCAL_USERID_CHANGE |
						   SECURITY_RESTRICTED_OPERATION);
	PG_TRY();
	{
		rc = SPI_execute_plan(history_plan(query, nargs, types), values,
							  nulls, false, 0);
	}
	PG_FINALLY();
	{
		SetUserIdAndSecContext(save_userid, save_sec_context);
	}
	PG_END_TRY();
	AtEOXact_GUC(false, save_nestlevel);

	if (rc != expected)
		elog(ERROR, "could not record migration history: %s",
			 SPI_result_code_string(rc));
}

/*
 * history_keep_place
 *		Before a migration is recorded: when the migration moved the history
 *		table out of the extension's schema (a DO block that moves every
 *		table of public elsewhere, as one of Prisma's real histories does,
 *		leaving out _prisma_migrations only), move it back, as its owner,
 *		with a NOTICE; every statement of ours, and the extension's upgrade
 *		scripts, name it there.  Prisma's deploy of such a history succeeds,
 *		so this one does too.  A migration that dropped it is an ERROR.
 */
static void
history_keep_place(void)
{
	Oid			nsp = get_rel_namespace(hist_relid);
	char	   *where;
	char	   *query;

	if (!OidIsValid(nsp))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("migration history table \"%s\" was dropped during the deploy",
						FM_HISTORY_TABLE),
				 errhint("Leave _ferriorm_migrations out of the migrations, as Prisma's _prisma_migrations is, and reinstall the ferriorm extension.")));
	if (nsp == hist_nsp)
		return;
	where = get_namespace_name(nsp);
	query = psprintf("ALTER TABLE %s SET SCHEMA %s",
					 quote_qualified_identifier(where, FM_HISTORY_TABLE),
					 quote_identifier(get_namespace_name(hist_nsp)));
	run_as_owner(query, 0, NULL, NULL, NULL, SPI_OK_UTILITY);
	ereport(NOTICE,
			(errmsg("a migration moved the history table \"%s\" to schema \"%s\"; it was moved back to schema \"%s\"",
					FM_HISTORY_TABLE, where, get_namespace_name(hist_nsp)),
			 errhint("Leave _ferriorm_migrations out of migrations that move tables, as _prisma_migrations is, or install ferriorm in a schema of its own (CREATE EXTENSION ferriorm SCHEMA ferriorm).")));
}

/*
 * fm_history_record
 *		Record a migration as applied, or as failed (failed = true: the
 *		error goes into logs, finished_at and execution_ms stay NULL).
 *		replace: a row exists (rolled back) and is overwritten.  executed =
 *		false records a migration that was not run (baseline): execution_ms
 *		is NULL.
 */
void
fm_history_record(const char *name, const char *checksum,
				  TimestampTz started_at, TimestampTz finished_at,
				  double execution_ms, bool executed, const char *logs,
				  bool replace, bool failed)
{
	Oid			types[8] = {TEXTOID, TEXTOID, TIMESTAMPTZOID, TIMESTAMPTZOID,
	FLOAT8OID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[8];
	char		nulls[8] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};
	char	   *query;

	history_keep_place();
	values[0] = CStringGetTextDatum(name);
	values[1] = CStringGetTextDatum(checksum);
	values[2] = TimestampTzGetDatum(started_at);
	values[3] = TimestampTzGetDatum(finished_at);
	values[4] = Float8GetDatum(execution_ms);
	if (!executed || failed)
		nulls[4] = 'n';
	if (failed)
		nulls[3] = 'n';
	values[5] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	if (logs)
		values[6] = CStringGetTextDatum(logs);
	else
		nulls[6] = 'n';
	values[7] = CStringGetTextDatum(failed ? "failed" : "applied");

	if (replace)
		query = psprintf("UPDATE %s SET checksum = $2, status = $8, "
						 "started_at = $3, finished_at = $4, execution_ms = $5, "
						 "%s"
						 "applied_by = $6, "
						 "logs = pg_catalog.concat_ws(E'\\n', logs, $7) "
						 "WHERE %s OPERATOR(pg_catalog.=) $1",
						 hist_qualname,
						 hist_v010 ? "" : "applied_at = COALESCE($4, pg_catalog.clock_timestamp()), ",
						 HIST_NAME);
	else
		query = psprintf("INSERT INTO %s (%s, checksum, status, "
						 "started_at, finished_at, execution_ms, applied_by, logs%s) "
						 "VALUES ($1, $2, $8, $3, $4, $5, $6, $7%s)",
						 hist_qualname, HIST_NAME,
						 hist_v010 ? "" : ", applied_at",
						 hist_v010 ? "" : ", COALESCE($4, pg_catalog.clock_timestamp())");
	run_as_owner(query, 8, types, values, nulls,
				 replace ? SPI_OK_UPDATE : SPI_OK_INSERT);
	if (SPI_processed != 1)
		elog(ERROR, "could not record migration \"%s\" in the history", name);
}

/*
 * fm_applied_batch_add
 *		Note a migration applied by the current deploy, for
 *		fm_history_record_applied.  Memory in b->cxt.
 */
void
fm_applied_batch_add(FmAppliedBatch *b, const char *name, const char *checksum,
					 TimestampTz started_at, TimestampTz finished_at,
					 double execution_ms)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(b->cxt);

	if (b->n == b->max)
	{
		b->max = b->max ? b->max * 2 : 64;
		b->names = b->names ? repalloc(b->names, sizeof(Datum) * b->max)
			: palloc(sizeof(Datum) * b->max);
		b->checksums = b->checksums ? repalloc(b->checksums, sizeof(Datum) * b->max)
			: palloc(sizeof(Datum) * b->max);
		b->started = b->started ? repalloc(b->started, sizeof(Datum) * b->max)
			: palloc(sizeof(Datum) * b->max);
		b->finished = b->finished ? repalloc(b->finished, sizeof(Datum) * b->max)
			: palloc(sizeof(Datum) * b->max);
		b->ms = b->ms ? repalloc(b->ms, sizeof(Datum) * b->max)
			: palloc(sizeof(Datum) * b->max);
	}
	b->names[b->n] = CStringGetTextDatum(name);
	b->checksums[b->n] = CStringGetTextDatum(checksum);
	b->started[b->n] = TimestampTzGetDatum(started_at);
	b->finished[b->n] = TimestampTzGetDatum(finished_at);
	b->ms[b->n] = Float8GetDatum(execution_ms);
	b->n++;
	MemoryContextSwitchTo(oldcxt);
}

/*
 * fm_history_record_applied
 *		Record the migrations of b as applied, in one statement, as
 *		fm_history_record(..., executed = true, logs = NULL, replace =
 *		false, failed = false) would one by one, in the same order (the
 *		ids follow it).  For the function form, whose migrations and
 *		history rows commit or roll back together: the rows appear when the
 *		deploy ends instead of after each migration.
 */
void
fm_history_record_applied(FmAppliedBatch *b)
{
	Oid			types[6] = {TEXTARRAYOID, TEXTARRAYOID, TIMESTAMPTZARRAYOID,
	TIMESTAMPTZARRAYOID, FLOAT8ARRAYOID, TEXTOID};
	Datum		values[6];
	char	   *query;

	if (b->n == 0)
		return;
	history_keep_place();
	values[0] = PointerGetDatum(construct_array(b->names, b->n, TEXTOID,
												-1, false, TYPALIGN_INT));
	values[1] = PointerGetDatum(construct_array(b->checksums, b->n, TEXTOID,
												-1, false, TYPALIGN_INT));
	values[2] = PointerGetDatum(construct_array(b->started, b->n, TIMESTAMPTZOID,
												sizeof(TimestampTz), FLOAT8PASSBYVAL,
												TYPALIGN_DOUBLE));
	values[3] = PointerGetDatum(construct_array(b->finished, b->n, TIMESTAMPTZOID,
												sizeof(TimestampTz), FLOAT8PASSBYVAL,
												TYPALIGN_DOUBLE));
	values[4] = PointerGetDatum(construct_array(b->ms, b->n, FLOAT8OID,
												sizeof(float8), FLOAT8PASSBYVAL,
												TYPALIGN_DOUBLE));
	values[5] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	query = psprintf("INSERT INTO %s (%s, checksum, status, "
					 "started_at, finished_at, execution_ms, applied_by, logs%s) "
					 "SELECT u.n, u.c, 'applied', u.s, u.f, u.ms, $6, NULL%s "
					 "FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), "
					 "pg_catalog.unnest($3), pg_catalog.unnest($4), pg_catalog.unnest($5)) "
					 "WITH ORDINALITY u(n, c, s, f, ms, o) ORDER BY u.o",
					 hist_qualname, HIST_NAME,
					 hist_v010 ? "" : ", applied_at",
					 hist_v010 ? "" : ", COALESCE(u.f, pg_catalog.clock_timestamp())");
	run_as_owner(query, 6, types, values, NULL, SPI_OK_INSERT);
	if (SPI_processed != (uint64) b->n)
		elog(ERROR, "could not record %d migrations in the history", b->n);
	b->n = 0;
}

/*
 * fm_history_set_status
 *		Change the status of a recorded migration (ferriorm_resolve), and
 *		its checksum unless checksum is NULL, appending a line to its logs.
 */
void
fm_history_set_status(const char *name, const char *status,
					  const char *checksum, const char *logs)
{
	Oid			types[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[4];
	char		nulls[4] = {' ', ' ', ' ', checksum ? ' ' : 'n'};
	char	   *query;

	values[0] = CStringGetTextDatum(name);
	values[1] = CStringGetTextDatum(status);
	values[2] = CStringGetTextDatum(logs);
	values[3] = checksum ? CStringGetTextDatum(checksum) : (Datum) 0;
	query = psprintf("UPDATE %s SET status = $2, "
					 "checksum = COALESCE($4, checksum), "
					 "finished_at = COALESCE(finished_at, pg_catalog.clock_timestamp()), "
					 "logs = pg_catalog.concat_ws(E'\\n', logs, $3) "
					 "WHERE %s OPERATOR(pg_catalog.=) $1",
					 hist_qualname, HIST_NAME);
	run_as_owner(query, 4, types, values, nulls, SPI_OK_UPDATE);
	if (SPI_processed != 1)
		elog(ERROR, "could not update migration \"%s\" in the history", name);
}
