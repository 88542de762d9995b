/*-------------------------------------------------------------------------
 *
 * dev.c
 *	  The SQL entry points of "migrate dev": ferriorm_dev(),
 *	  ferriorm_drift() and ferriorm_diff_history().
 *
 * Each obtains the state that the migration history produces with one of
 * the strategies of shadow.c, and compares:
 *	  drift		history state -> this database (both read from a catalog,
 *				by the same queries: compared as they are);
 *	  dev		history state -> the schema text (normalized against the
 *				history state by this server's parser, as a plan normalizes
 *				it against the live catalog).
 * A snapshot's model is schema text, not a catalog's: it is normalized
 * against this database first, so that it compares with both.
 *
 * ferriorm_dev writes dir/<UTC YYYYMMDDHHMMSS>_<name>/migration.sql and
 * schema.snapshot (the state after it, printed from its model: snapshot.c;
 * see docs/dev.md), creating migration_lock.toml when missing.  Files are
 * created, never overwritten, and never outside dir (the name is sanitised
 * to [A-Za-z0-9_]).  With online => true the migration is the online plan
 * (src/core/online.c), left pending for CALL ferriorm_migrate(dir), the
 * only runner that can apply it.
 *
 * src/backend/dev.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/pg_authid.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "storage/fd.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "deploy.h"
#include "ferriorm.h"
#include "fm_parse.h"
#include "fm_plan_int.h"
#include "fm_preserve.h"
#include "loopback.h"
#include "security.h"
#include "shadow.h"

PG_FUNCTION_INFO_V1(ferriorm_dev);
PG_FUNCTION_INFO_V1(ferriorm_drift);
PG_FUNCTION_INFO_V1(ferriorm_diff_history);

#define FM_LOCK_FILE		"migration_lock.toml"
#define FM_MAX_DEV_NAME		200

/* what the history-state callback computes */
typedef struct DevWork
{
	FmArena    *arena;
	FmModel    *live;			/* this database */
	FmLiveRels	live_rels;		/* its tables */
	bool		drift_check;	/* compare history -> live */
	FmModel    *desired;		/* NULL: drift only */
	bool		adopt;			/* on_drift => 'adopt' */
	bool		online;			/* the migration in its online form */
	char	   *drift;			/* out: DDL history -> live ('' = none) */
	int			ndrift;
	FmPlan	   *drift_plan;		/* out: its steps (in arena) */
	char	   *migration;		/* out: DDL history (or live) -> desired */
	int			nsteps;
	FmPlan	   *plan;			/* out: its steps (in arena) */
	FmQuoting	migration_quoting;	/* the migration's rendering: the
									 * backend's, unqualified in the current
									 * schema when the text names none
									 * (set_migration_quoting) */
} DevWork;

/*
 * check_write_privilege
 *		Writing migration files on the server requires what COPY TO a file
 *		requires.
 */
static void
check_write_privilege(const char *fname)
{
	if (!has_privs_of_role(GetUserId(), ROLE_PG_WRITE_SERVER_FILES))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to write migration files"),
				 errdetail("Only roles with privileges of the \"%s\" role may call %s.",
						   "pg_write_server_files", fname)));
}

/*
 * without_ferriorm
 *		Drop ferriorm itself from a model's extensions: it holds the history
 *		and is installed here, never by a migration, so a history state
 *		(a shadow is created from template0) does not have it.
 */
static void
without_ferriorm(FmModel *m)
{
	FmList		kept = {0};

	for (int i = 0; i < m->extensions.n; i++)
	{
		FmExtension *e = fm_list_get(&m->extensions, i, FmExtension);

		if (!fm_streq(e->name, "ferriorm"))
			fm_list_append(m->arena, &kept, e);
	}
	m->extensions = kept;
}

/*
 * dev_compare
 *		The history-state callback (shadow.h): drift, then the migration.
 */
static void
dev_compare(FmModel *history, bool snapshot, const FmLiveRels *rels,
			void *arg)
{
	DevWork    *w = arg;
	FmModel    *from = history;

	without_ferriorm(history);
	/* expressions are parsed against tables of this database */
	if (rels == NULL)
		rels = &w->live_rels;
	if (snapshot)
	{
		/* schema text names only the extensions it lists: the rest as here */
		for (int i = 0; i < w->live->extensions.n; i++)
		{
			FmExtension *e = fm_list_get(&w->live->extensions, i, FmExtension);
			bool		listed = false;

			for (int j = 0; j < history->extensions.n && !listed; j++)
				listed = fm_streq(fm_list_get(&history->extensions, j, FmExtension)->name,
								  e->name);
			if (!listed)
				fm_list_append(history->arena, &history->extensions, e);
		}
		fm_normalize_for_live(history, w->live, &w->live_rels);
		/*
		 * a @preserve'd model of the snapshot is its live table, as a plan
		 * takes it: the text cannot state what made it preserved (an
		 * expression index), which read as drift here, and the adopted
		 * drift created it a second time (fifth new-user walkthrough)
		 */
		fm_model_keep_preserved(w->arena, w->live, history);
	}
	if (w->drift_check)
	{
		FmPlan	   *drift = fm_diff(w->arena, history, w->live, &fm_backend_quoting);

		w->ndrift = drift->steps.n;
		w->drift = fm_plan_to_script(w->arena, drift);
		w->drift_plan = drift;
		if (w->ndrift > 0 && w->adopt)
			from = w->live;
	}
	if (w->desired != NULL && (w->ndrift == 0 || w->adopt))
	{
		FmPlan	   *plan;

		fm_normalize_for_live(w->desired, from, rels);
		/* as a plan does: what the text keeps as it is in the history */
		fm_plan_notice_preserved(w->arena, from, w->desired);
		fm_model_keep_preserved(w->arena, from, w->desired);
		fm_model_keep_lineage(w->arena, from, w->desired);
		plan = fm_diff(w->arena, from, w->desired, &w->migration_quoting);
		if (w->online)
		{
			fm_plan_online(plan, &w->migration_quoting, fm_lock_timeout_ms);
			plan->lock_comments = true;
		}
		w->nsteps = plan->steps.n;
		w->migration = fm_plan_to_script(w->arena, plan);
		w->plan = plan;
	}
}

/*
 * check_new_migration
 *		Before a migration that is to be applied here is written: compute
 *		the hazards of its steps from this database's rows, exactly and with
 *		the tables locked, as ferriorm_push() does, and refuse, writing and
 *		applying nothing (55000):
 *		- when the figures show that a step will fail (NULL rows before SET
 *		  NOT NULL, duplicates before a unique key, rows for a required
 *		  column without a default, a removed enum label in use, rows
 *		  violating a new CHECK, orphans of a new foreign key), as Prisma's
 *		  migrate dev refuses steps it cannot execute;
 *		- when a step would lose data (a dropped table or column that holds
 *		  rows, a narrowing type change, ...), unless allow_data_loss, as
 *		  Prisma's migrate dev asks before it loses data (--accept-data-loss).
 *		Only valid when the migration starts from this database's state (no
 *		drift, or drift adopted).  The figures are not written into the
 *		migration: it was rendered before they were computed.
 */
static void
check_new_migration(DevWork *w, bool allow_data_loss)
{
	StringInfoData detail;
	int			n;

	fm_fill_hazards(w->plan, w->live, w->desired, true);
	initStringInfo(&detail);
	n = fm_list_steps(w->plan, FM_STEPS_FAILING, &detail);
	if (n > 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg_plural("%d step of the new migration will fail on the rows of this database",
							   "%d steps of the new migration will fail on the rows of this database",
							   n, n),
				 errdetail_internal("%s", detail.data),
				 errhint("Nothing was written or applied. Call ferriorm_dev() with create_only => true to write the migration without applying it, edit it (for example, give the new column a default or update the rows first), then call ferriorm_dev() again to apply it.")));
	if (allow_data_loss)
		return;
	resetStringInfo(&detail);
	n = fm_list_steps(w->plan, FM_STEPS_LOSING, &detail);
	if (n > 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg_plural("the new migration would lose data in %d step",
							   "the new migration would lose data in %d steps",
							   n, n),
				 errdetail_internal("%s", detail.data),
				 errhint("Nothing was written or applied. Call ferriorm_dev() with allow_data_loss => true to write and apply it anyway, or with create_only => true to write it without applying it.")));
	pfree(detail.data);
}

/*
 * check_adopted_drift
 *		Before drift is adopted: the adopted migration is recorded here
 *		without running, but it runs wherever the history is deployed next,
 *		and a database in this one's state (the production database this one
 *		was copied from) then loses what its steps lose here.  Such steps
 *		are found by the figures of this database's rows (no locks taken),
 *		and refused (55000) unless allow_data_loss.  A history that cannot
 *		state what this database has makes such drift: a baseline written
 *		in the prisma dialect has a partitioned table as a plain one, and
 *		the drift re-creates it (fifth new-user walkthrough).
 */
static void
check_adopted_drift(DevWork *w, bool allow_data_loss)
{
	StringInfoData detail;
	int			n;

	if (allow_data_loss || w->drift_plan == NULL)
		return;
	fm_fill_hazards(w->drift_plan, w->live, w->live, false);
	initStringInfo(&detail);
	n = fm_list_steps(w->drift_plan, FM_STEPS_LOSING, &detail);
	if (n > 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg_plural("the drift to adopt would lose data in %d step wherever its migration runs",
							   "the drift to adopt would lose data in %d steps wherever its migration runs",
							   n, n),
				 errdetail_internal("%s", detail.data),
				 errhint("Nothing was written or recorded. The adopted migration is recorded here without running, but it runs on the next database the history is deployed to, and one in this database's state loses these rows. If the history cannot state what this database has (the prisma dialect cannot state partitioning), baseline it from pg_dump --schema-only instead (docs/migrations.md); otherwise revert the drift, or adopt it with allow_data_loss => true and edit the migration before it is deployed.")));
	pfree(detail.data);
}

/*
 * warn_failing_steps
 *		A migration written but not applied (create_only, online): a
 *		WARNING naming the steps that the rows here show will fail, from
 *		the figures a plan shows (no locks taken), so that they are edited
 *		before the migration is deployed.
 */
static void
warn_failing_steps(DevWork *w)
{
	StringInfoData detail;
	int			n;

	fm_fill_hazards(w->plan, w->live, w->desired, false);
	initStringInfo(&detail);
	n = fm_list_steps(w->plan, FM_STEPS_FAILING, &detail);
	if (n > 0)
		ereport(WARNING,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg_plural("%d step of the migration written will fail on the rows of this database",
							   "%d steps of the migration written will fail on the rows of this database",
							   n, n),
				 errdetail_internal("%s", detail.data),
				 errhint("Edit the migration before it is deployed (for example, update the rows first or give the new column a default), or change the schema.")));
	pfree(detail.data);
}

/* ---------- writing a migration folder ---------- */

/* the migration name as a folder name part: [A-Za-z0-9_], at most 200 */
static char *
sanitize_name(const char *name)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (const char *p = name; *p && buf.len < FM_MAX_DEV_NAME; p++)
	{
		char		c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '_')
			appendStringInfoChar(&buf, c);
		else if (buf.len > 0 && buf.data[buf.len - 1] != '_')
			appendStringInfoChar(&buf, '_');
	}
	while (buf.len > 0 && buf.data[buf.len - 1] == '_')
		buf.data[--buf.len] = '\0';
	if (buf.len == 0)
		appendStringInfoString(&buf, "migration");
	return buf.data;
}

/* pg_time_t of a folder's YYYYMMDDHHMMSS prefix (UTC); -1 if none */
static pg_time_t
folder_time(const char *name)
{
	struct pg_tm tm;

	memset(&tm, 0, sizeof(tm));
	for (int i = 0; i < 14; i++)
		if (name[i] < '0' || name[i] > '9')
			return -1;
	if (sscanf(name, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon,
			   &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	{
		/* days from civil (proleptic Gregorian), UTC */
		int			y = tm.tm_year + 1900 - (tm.tm_mon < 2);
		int			era = (y >= 0 ? y : y - 399) / 400;
		int			yoe = y - era * 400;
		int			mp = (tm.tm_mon + 10) % 12;
		int			doy = (153 * mp + 2) / 5 + tm.tm_mday - 1;
		int			doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		int64		days = (int64) era * 146097 + doe - 719468;

		return (pg_time_t) (days * 86400 + tm.tm_hour * 3600 +
							tm.tm_min * 60 + tm.tm_sec);
	}
}

/* write data to a new file path (O_EXCL: never overwrite) */
static void
write_new_file(const char *path, const char *data)
{
	int			fd = OpenTransientFile(path, O_WRONLY | O_CREAT | O_EXCL | PG_BINARY);
	size_t		len = strlen(data);

	if (fd < 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create file \"%s\": %m", path)));
	errno = 0;
	if (write(fd, data, len) != (ssize_t) len)
	{
		int			save = errno ? errno : ENOSPC;

		CloseTransientFile(fd);
		errno = save;
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not write file \"%s\": %m", path)));
	}
	if (pg_fsync(fd) != 0 || CloseTransientFile(fd) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not write file \"%s\": %m", path)));
}

/*
 * Where the next folder's name starts: a UTC timestamp after the last
 * folder's (last), or, in a directory of the ferriorm CLI's numbered
 * folders (0001_init, 0002_...), the next number (next_number > 0), so
 * that folders of both tools sort in the order they were written.
 */
typedef struct FolderSeq
{
	pg_time_t	last;
	int			next_number;
} FolderSeq;

/* Create dir/folder: true, or false when it exists already; ERROR else. */
static bool
make_folder(const char *dir, const char *folder)
{
	char	   *path = psprintf("%s/%s", dir, folder);

	CHECK_FOR_INTERRUPTS();
	if (MakePGDirectory(path) == 0)
		return true;
	if (errno != EEXIST)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create directory \"%s\": %m", path)));
	return false;
}

/*
 * new_folder
 *		Create dir/<UTC timestamp>_<name>: the timestamp is now, moved one
 *		second later while it is not after seq->last (the last folder's
 *		time) or the folder exists; or dir/<NNNN>_<name> in a directory of
 *		numbered folders.  Returns the folder name; seq moves past it.
 */
static char *
new_folder(const char *dir, const char *name, FolderSeq *seq)
{
	pg_time_t	t = (pg_time_t) timestamptz_to_time_t(GetCurrentTimestamp());

	while (seq->next_number > 0)
	{
		char	   *folder = psprintf("%04d_%s", seq->next_number++, name);

		if (make_folder(dir, folder))
			return folder;
	}
	if (t <= seq->last)
		t = seq->last + 1;
	for (;; t++)
	{
		struct pg_tm *tm = pg_gmtime(&t);
		char	   *folder = psprintf("%04d%02d%02d%02d%02d%02d_%s",
									  tm->tm_year + 1900, tm->tm_mon + 1,
									  tm->tm_mday, tm->tm_hour, tm->tm_min,
									  tm->tm_sec, name);

		if (make_folder(dir, folder))
		{
			seq->last = t;
			return folder;
		}
	}
}

/*
 * The FolderSeq of the folders of files: the time of the last one that has
 * a timestamp prefix; when there are folders and every one is numbered as
 * the ferriorm CLI numbers them (four digits and "_"), the number after
 * the highest.
 */
static FolderSeq
folder_seq(List *files)
{
	FolderSeq	seq = {-1, 0};
	bool		numbered = files != NIL;
	int			high = 0;
	ListCell   *lc;

	foreach(lc, files)
	{
		const char *name = ((FmMigFile *) lfirst(lc))->name;
		pg_time_t	t = folder_time(name);

		if (t > seq.last)
			seq.last = t;
		if (strlen(name) > 5 && isdigit((unsigned char) name[0]) &&
			isdigit((unsigned char) name[1]) && isdigit((unsigned char) name[2]) &&
			isdigit((unsigned char) name[3]) && name[4] == '_')
			high = Max(high, atoi(name));
		else
			numbered = false;
	}
	if (numbered)
		seq.next_number = high + 1;
	return seq;
}

/* dir/migration_lock.toml, unless it exists */
static void
ensure_lock_file(const char *dir)
{
	char	   *path = psprintf("%s/%s", dir, FM_LOCK_FILE);
	struct stat sb;

	if (stat(path, &sb) == 0)
		return;
	write_new_file(path,
				   "# Please do not edit this file manually\n"
				   "# It should be added in your version-control system (e.g., Git)\n"
				   "provider = \"postgresql\"\n");
}

/* ---------- common steps ---------- */

/*
 * read_dir_for
 *		Privileges (files; the loopback's, for the shadow strategy), a hot
 *		standby (refused for writing, and for a strategy that writes), then
 *		the directory.  write: the caller writes files.
 */
static List *
read_dir_for(const char *fname, const char *dir, bool write,
			 FmHistStrategy strategy)
{
	fm_check_read_privilege();
	if (write)
	{
		check_write_privilege(fname);
		fm_require_primary(fname);
	}
	else
		fm_hist_require_primary(strategy, fname);
	/* dblink's password rule, before anything is read or locked */
	if (strategy == FM_HIST_SHADOW)
		fm_loopback_check_password_rule(true);
	return fm_read_migrations_dir(dir);
}

/* files whose name the history records as applied, in directory order */
static List *
applied_files(List *files)
{
	List	   *rows;
	List	   *out = NIL;
	ListCell   *lc;
	MemoryContext cxt = CurrentMemoryContext;

	SPI_connect();
	rows = fm_history_read(false);
	foreach(lc, files)
	{
		FmMigFile  *f = lfirst(lc);
		FmHistRow  *r = fm_history_find(rows, f->name);

		/* the list outlives SPI_finish(), which frees SPI's memory */
		if (r != NULL && strcmp(r->status, "applied") == 0)
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);

			out = lappend(out, f);
			MemoryContextSwitchTo(old);
		}
	}
	SPI_finish();
	return out;
}

/*
 * drift_schemas
 *		The managed schemas of a drift check, which has no schema text:
 *		those of the newest schema.snapshot among the applied migrations
 *		(the schemas the text given to ferriorm_dev named: "schemas",
 *		@@schema), else the current schema, as a plan's of a text that names
 *		none.  Without the snapshot's, a history of schema "app" was
 *		compared with the current schema: real drift went unseen, and the
 *		snapshot strategy reported its tables as dropped.
 */
static void
drift_schemas(FmArena *a, const char *dir, List *applied, FmList *out)
{
	FmModel    *m = NULL;

	for (int i = list_length(applied) - 1; i >= 0 && m == NULL; i--)
	{
		FmMigFile  *f = list_nth(applied, i);
		char	   *path = psprintf("%s/%s/%s", dir, f->name, FM_SNAPSHOT_FILE);
		struct stat sb;
		int			len;

		CHECK_FOR_INTERRUPTS();
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			m = fm_snapshot_parse(a, fm_read_whole_file(path, &len));
		pfree(path);
	}
	if (m == NULL)
	{
		m = fm_backend_parse_schema(a, cstring_to_text(FM_EMPTY_SCHEMA), "schema");
		fm_plan_managed_schemas(a, m, out);
		/* a drift check that sees one schema must say so (fifth walkthrough) */
		if (out->n == 1)
			ereport(NOTICE,
					(errmsg("drift is checked in schema \"%s\" only: no applied migration has a schema.snapshot",
							fm_list_get(out, 0, char)),
					 errhint("ferriorm_dev() writes a schema.snapshot with each migration. For a history without one (Prisma's, a baseline), save the text of ferriorm_pull() for the schemas to check as schema.snapshot in the last applied migration's folder.")));
		return;
	}
	fm_plan_managed_schemas(a, m, out);
}

/*
 * introspect_here
 *		This database's managed schemas into w->live and w->live_rels, on the
 *		plan's safe search_path, once the caller's rights on the schemas are
 *		checked (security.c: before any lock).
 */
static void
introspect_here(DevWork *w, const FmList *schemas)
{
	int			nest;

	fm_check_managed_schemas((char *const *) schemas->items, schemas->n);
	nest = fm_plan_enter_safe_path();
	w->live = fm_introspect(w->arena, schemas, &w->live_rels);
	fm_plan_leave_safe_path(nest);
	without_ferriorm(w->live);
}

static void
drift_error(const char *drift, int n)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg_plural("the database has drifted from its migration history: %d change",
						   "the database has drifted from its migration history: %d changes",
						   n, n),
			 errdetail("The changes that turn the state of the history into this database:\n%s", drift),
			 errhint("Call ferriorm_dev(..., on_drift => 'adopt') to record them as a migration without running it, or revert them.")));
}

/*
 * adopt_drift
 *		Fold the drift into the history: write it as the migration
 *		<ts>_drift_adopted and record it as applied without running it (this
 *		database already is in that state).  A result row for it.
 */
static void
adopt_drift(const char *dir, const char *drift, const char *snapshot,
			FolderSeq *seq, ReturnSetInfo *rsinfo)
{
	char	   *folder = new_folder(dir, "drift_adopted", seq);
	char		sum[FM_SHA256_HEX_LEN + 1];
	Datum		v[2];
	bool		n[2] = {false, false};
	TimestampTz now = GetCurrentTimestamp();

	write_new_file(psprintf("%s/%s/migration.sql", dir, folder), drift);
	write_new_file(psprintf("%s/%s/%s", dir, folder, FM_SNAPSHOT_FILE), snapshot);
	fm_sha256_hex(drift, strlen(drift), sum);
	SPI_connect();
	fm_history_lock(false);
	fm_history_record(folder, sum, now, now, 0, false,
					  "drift adopted by ferriorm_dev(): recorded without running",
					  false, false);
	SPI_finish();
	v[0] = CStringGetTextDatum(folder);
	v[1] = CStringGetTextDatum(drift);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
}

/*
 * states_schemas
 *		Whether schema text names schemas (datasource schemas, @@schema),
 *		before the plan gives the rest the current schema.
 */
static bool
states_schemas(const FmModel *m)
{
	if (m->schemas.n > 0)
		return true;
	for (int i = 0; i < m->tables.n; i++)
		if (fm_list_get(&m->tables, i, FmTable)->schema != NULL)
			return true;
	for (int i = 0; i < m->enums.n; i++)
		if (fm_list_get(&m->enums, i, FmEnum)->schema != NULL)
			return true;
	return false;
}

/*
 * set_migration_quoting
 *		How w's migration is rendered: with the backend's quoting and, when
 *		the schema text names no schema (declared false), the managed
 *		schema (the current one) unqualified, as Prisma writes a migration
 *		without multiSchema.  Qualified, a history written under
 *		?schema=api would create its tables in api wherever it is deployed,
 *		a schema-per-tenant or per-test-run database included.
 */
static void
set_migration_quoting(DevWork *w, bool declared, const FmList *schemas)
{
	w->migration_quoting = fm_backend_quoting;
	if (!declared && schemas->n == 1)
		w->migration_quoting.unqualified_schema = fm_list_get(schemas, 0, char);
}

/*
 * online_pending_notice
 *		An online migration commits after each statement and runs CREATE
 *		INDEX CONCURRENTLY outside a transaction block: the function form of
 *		deploy, which dev uses in the caller's transaction, cannot apply it.
 *		It stays pending; say how to apply it.
 */
static void
online_pending_notice(const char *dir, const char *folder)
{
	ereport(NOTICE,
			(errmsg("online migration \"%s\" was written and not applied", folder),
			 errdetail("An online migration commits after each statement and runs CONCURRENTLY statements outside a transaction block, which only the per-migration procedure can do."),
			 errhint("Apply it with CALL ferriorm_migrate(%s).",
					 quote_literal_cstr(dir))));
}

/* ---------- SQL-callable functions ---------- */

/*
 * ferriorm_dev
 *		ferriorm_dev(dir, schema, name, create_only, strategy, on_drift,
 *		online, allow_data_loss) RETURNS TABLE(migration text, sql text).
 *		See docs/dev.md.
 */
Datum
ferriorm_dev(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *dir;
	text	   *schema;
	char	   *name;
	bool		create_only;
	bool		write;			/* a migration folder is written */
	FmHistStrategy strategy;
	char	   *on_drift;
	bool		allow_data_loss;
	FmArena    *a;
	List	   *files;
	FmList		schemas = {0};
	DevWork		w;
	int			npending = 0;
	FolderSeq	seq;
	bool		declared;
	char	   *snapshot = NULL;
	char	   *adopted_snapshot = NULL;

	fm_init_materialized_srf(fcinfo, NULL);
	for (int i = 0; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the arguments of ferriorm_dev() must not be null")));
	dir = text_to_cstring(PG_GETARG_TEXT_PP(0));
	schema = PG_GETARG_TEXT_PP(1);
	name = sanitize_name(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	create_only = PG_GETARG_BOOL(3);
	strategy = fm_hist_strategy(text_to_cstring(PG_GETARG_TEXT_PP(4)));
	on_drift = text_to_cstring(PG_GETARG_TEXT_PP(5));
	if (strcmp(on_drift, "fail") != 0 && strcmp(on_drift, "adopt") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid on_drift \"%s\"", on_drift),
				 errhint("on_drift is \"fail\" or \"adopt\".")));

	files = read_dir_for("ferriorm_dev()", dir, true, strategy);
	fm_prepare_write("ferriorm_dev()");
	fm_history_init(fcinfo->flinfo->fn_oid);
	a = fm_backend_arena();
	/* the schema text first: an invalid schema changes nothing */
	memset(&w, 0, sizeof(w));
	w.arena = a;
	w.desired = fm_backend_parse_schema(a, schema, "schema");
	w.online = PG_NARGS() > 6 && PG_GETARG_BOOL(6);
	allow_data_loss = PG_NARGS() > 7 && PG_GETARG_BOOL(7);
	/* the snapshots print the schemas when the text states them */
	declared = states_schemas(w.desired);
	fm_plan_managed_schemas(a, w.desired, &schemas);
	set_migration_quoting(&w, declared, &schemas);

	if (!create_only)
		(void) fm_deploy_files(files, NULL, NULL);
	else
		npending = list_length(files) - list_length(applied_files(files));

	/* drift: only when the database has every migration of the directory */
	introspect_here(&w, &schemas);
	w.drift_check = (npending == 0);
	if (npending > 0)
		ereport(NOTICE,
				(errmsg_plural("%d pending migration is not applied: drift is not checked",
							   "%d pending migrations are not applied: drift is not checked",
							   npending, npending)));
	w.adopt = strcmp(on_drift, "adopt") == 0;
	fm_with_history_state(strategy, "ferriorm_dev()", dir, files, &schemas,
						  a, dev_compare, &w);
	if (w.ndrift > 0 && !w.adopt)
		drift_error(w.drift, w.ndrift);
	if (w.ndrift > 0)
		check_adopted_drift(&w, allow_data_loss);
	/* a migration that is applied now must not fail on these rows */
	if (w.nsteps > 0 && !create_only && !w.online)
		check_new_migration(&w, allow_data_loss);
	else if (w.nsteps > 0)
		warn_failing_steps(&w);

	/*
	 * create_only with nothing to change writes an empty migration, as
	 * prisma migrate dev --create-only does: the way to start a migration
	 * written by hand (a data backfill), with its snapshot
	 */
	if (create_only && w.nsteps == 0 && w.ndrift == 0)
	{
		w.migration = "-- This is an empty migration.\n";
		write = true;
	}
	else
		write = w.nsteps > 0;
	/* the snapshots first: a model that does not print writes nothing */
	if (w.ndrift > 0)
		adopted_snapshot = fm_snapshot_text(a, w.live, &schemas, declared);
	if (write)
		snapshot = fm_snapshot_text(a, w.desired, &schemas, declared);

	seq = folder_seq(files);
	if (w.ndrift > 0 || write)
		ensure_lock_file(dir);
	if (w.ndrift > 0)
		adopt_drift(dir, w.drift, adopted_snapshot, &seq, rsinfo);
	if (write)
	{
		char	   *folder = new_folder(dir, name, &seq);
		Datum		v[2];
		bool		n[2] = {false, false};

		write_new_file(psprintf("%s/%s/migration.sql", dir, folder), w.migration);
		write_new_file(psprintf("%s/%s/%s", dir, folder, FM_SNAPSHOT_FILE), snapshot);
		v[0] = CStringGetTextDatum(folder);
		v[1] = CStringGetTextDatum(w.migration);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
		if (w.online)
			online_pending_notice(dir, folder);
		else if (!create_only)
			(void) fm_deploy_files(fm_read_migrations_dir(dir), NULL, NULL);
	}
	return (Datum) 0;
}

/*
 * ferriorm_drift
 *		ferriorm_drift(dir, strategy) RETURNS text: the DDL that turns the
 *		state of the migrations recorded as applied here into this
 *		database's state ('' when none).
 */
Datum
ferriorm_drift(PG_FUNCTION_ARGS)
{
	char	   *dir;
	FmHistStrategy strategy;
	FmArena    *a;
	List	   *files;
	FmList		schemas = {0};
	DevWork		w;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	dir = text_to_cstring(PG_GETARG_TEXT_PP(0));
	strategy = fm_hist_strategy(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	files = read_dir_for("ferriorm_drift()", dir, false, strategy);
	fm_history_init(fcinfo->flinfo->fn_oid);
	a = fm_backend_arena();
	files = applied_files(files);
	drift_schemas(a, dir, files, &schemas);
	memset(&w, 0, sizeof(w));
	w.arena = a;
	introspect_here(&w, &schemas);
	w.drift_check = true;
	fm_with_history_state(strategy, "ferriorm_drift()", dir,
						  files, &schemas, a, dev_compare, &w);
	PG_RETURN_TEXT_P(cstring_to_text(w.drift ? w.drift : ""));
}

/*
 * ferriorm_diff_history
 *		ferriorm_diff_history(dir, schema, strategy) RETURNS text: the
 *		migration that ferriorm_dev would write (history -> schema),
 *		without writing or applying anything.
 */
Datum
ferriorm_diff_history(PG_FUNCTION_ARGS)
{
	char	   *dir;
	FmHistStrategy strategy;
	FmArena    *a;
	List	   *files;
	FmList		schemas = {0};
	DevWork		w;
	bool		declared;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	dir = text_to_cstring(PG_GETARG_TEXT_PP(0));
	strategy = fm_hist_strategy(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	files = read_dir_for("ferriorm_diff_history()", dir, false, strategy);
	a = fm_backend_arena();
	memset(&w, 0, sizeof(w));
	w.arena = a;
	w.desired = fm_backend_parse_schema(a, PG_GETARG_TEXT_PP(1), "schema");
	declared = states_schemas(w.desired);
	fm_plan_managed_schemas(a, w.desired, &schemas);
	set_migration_quoting(&w, declared, &schemas);
	/* expressions are normalized against this database's tables */
	introspect_here(&w, &schemas);
	fm_with_history_state(strategy, "ferriorm_diff_history()", dir, files,
						  &schemas, a, dev_compare, &w);
	PG_RETURN_TEXT_P(cstring_to_text(w.migration ? w.migration : ""));
}
