/*-------------------------------------------------------------------------
 *
 * deploy.h
 *	  Private declarations of the migration-history layer of ferriorm:
 *	  migrations directories, checksums, statement splitting and the
 *	  _ferriorm_migrations history table.
 *
 * Only the files src/backend/{deploy,history,migfiles,checksum,stmtsplit}.c
 * include this header.
 *
 * src/backend/deploy.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FERRIORM_DEPLOY_H
#define FERRIORM_DEPLOY_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "access/tupdesc.h"
#include "nodes/pg_list.h"
#include "utils/tuplestore.h"

#define FM_HISTORY_TABLE	"_ferriorm_migrations"
#define FM_SHA256_HEX_LEN	64

/* One migration folder read from a migrations directory (migfiles.c) */
typedef struct FmMigFile
{
	char	   *name;			/* folder name, e.g. 20240101000000_init */
	char	   *path;			/* path of its migration.sql */
	char	   *sql;			/* exact file contents, NUL-terminated */
	int			len;			/* length in bytes */
	char		checksum[FM_SHA256_HEX_LEN + 1];
} FmMigFile;

/* One row of the history table (history.c) */
typedef struct FmHistRow
{
	char	   *name;
	char	   *checksum;
	char	   *status;			/* applied, failed or rolled_back */
	TimestampTz applied_at;		/* finished_at, else started_at */
	bool		applied_at_null;
	/* a row of Prisma's _prisma_migrations, not (yet) in ours */
	bool		imported;
	TimestampTz started_at;		/* imported rows only */
	char	   *logs;			/* imported rows only; may be NULL */
} FmHistRow;

/* What a statement of a migration is to the deploying code (stmtsplit.c) */
typedef enum FmStmtKind
{
	FM_STMT_PLAIN,				/* runs in the migration's transaction */
	FM_STMT_BEGIN,				/* BEGIN / START TRANSACTION */
	FM_STMT_COMMIT,				/* COMMIT / END */
	FM_STMT_NONTX				/* cannot run in a transaction block */
} FmStmtKind;

/* One statement of a migration (stmtsplit.c) */
/* what a statement changes outside its database (stmtsplit.c) */
typedef enum FmSharedEffect
{
	FM_SHARED_NONE,				/* nothing */
	FM_SHARED_ONLY,				/* only objects the cluster shares */
	FM_SHARED_MIXED				/* the database's objects and shared ones */
} FmSharedEffect;

typedef struct FmStmt
{
	FmStmtKind	kind;			/* set by fm_classify_statements */
	const char *what;			/* FM_STMT_NONTX: the command, for messages */
	bool		is_set;			/* a SET (not SET LOCAL) statement */
	bool		xact_start;		/* SET TRANSACTION of isolation, DEFERRABLE or
								 * READ WRITE only: must start its transaction */
	int			location;		/* byte offset of the statement in the file */
	int			len;			/* its length in bytes */
	int			first;			/* byte offset of its first token */
	int			line;			/* 1-based line of its first token */
	Node	   *parsetree;		/* raw parse tree; NULL once checked (deploy.c) */
	FmSharedEffect shared;		/* set by fm_classify_statements */
	const char *tag;			/* its command tag, for messages */
} FmStmt;

/* a migration to apply (deploy.c, migrate.c) */
typedef struct FmPending
{
	const char *name;
	const char *sql;
	int			len;
	const char *checksum;
	bool		replace;		/* a rolled_back row exists */
	List	   *stmts;			/* FmStmt, classified, parse trees dropped */
} FmPending;

/* deploy.c */
extern int	fm_deploy_files(List *files, Tuplestorestate *ts, TupleDesc desc);
extern void fm_prepare_write(const char *cmdname);
extern void fm_checksum_mismatch(const char *name, const char *recorded,
								 const char *file) pg_attribute_noreturn();
extern void fm_failed_migration(const char *name) pg_attribute_noreturn();
extern List *fm_collect_pending(List *files, List *rows);
extern void fm_prepare_pending(FmPending *p, MemoryContext scratch,
							   bool procedure);

/* checksum.c */
extern void fm_sha256_hex(const char *data, size_t len, char *out);
extern bool fm_checksum_matches(const char *recorded, const char *sql, size_t len,
								const char *exact);

/* migfiles.c */
extern void fm_check_read_privilege(void);
extern FmMigFile *fm_find_migration_file(List *files, const char *name);
extern bool fm_valid_migration_name(const char *name);
extern void fm_check_migration_name(const char *name);
extern List *fm_read_migrations_dir(const char *dir);
extern char *fm_read_whole_file(const char *path, int *lenp);
extern void fm_check_sql_encoding(const char *name, const char *sql, int len);

/* stmtsplit.c */
extern int	fm_sql_body_offset(const char *sql, int len);
extern List *fm_split_statements(const char *migname, const char *sql);
extern void fm_classify_statements(const char *migname, const char *sql,
								   List *stmts, bool procedure);
extern int	fm_line_at_byte(const char *sql, int byteoff);
extern int	fm_byte_at_char(const char *sql, int charpos);
extern char *fm_stmt_summary(const char *sql, const FmStmt *stmt);
extern void fm_rethrow_in_migration(ErrorData *edata, const char *migname,
									int line) pg_attribute_noreturn();
extern void fm_run_statements(const char *migname, const char *sql,
							  List *stmts);
extern void fm_run_xact_start(const char *migname, const char *sql,
							  List *stmts);
extern char *fm_stmt_text(const char *sql, const FmStmt *st);


extern FmSharedEffect fm_shared_effect(Node *n);
extern bool fm_in_rollback_replay;
/* set while CALL ferriorm_migrate runs: it commits after each migration */
extern bool fm_in_procedure_deploy;
extern int	fm_error_line(ErrorData *edata, const char *sql, const FmStmt *st,
						  const char *text);

/* history.c */
extern void fm_history_init(Oid fn_oid);
extern void fm_history_lock(bool session);
extern void fm_history_unlock_session(void);
extern List *fm_history_read(bool for_update);
extern FmHistRow *fm_history_find(List *rows, const char *name);
extern void fm_history_record(const char *name, const char *checksum,
							  TimestampTz started_at, TimestampTz finished_at,
							  double execution_ms, bool executed,
							  const char *logs, bool replace, bool failed);
extern void fm_history_set_status(const char *name, const char *status,
								  const char *checksum, const char *logs);

/*
 * Migrations applied by one deploy, recorded together when it ends
 * (fm_history_record_applied): their names, checksums, start and end
 * times and execution times, in order.
 */
typedef struct FmAppliedBatch
{
	MemoryContext cxt;			/* where the arrays and texts live */
	int			n;
	int			max;
	Datum	   *names;			/* text */
	Datum	   *checksums;		/* text */
	Datum	   *started;		/* timestamptz */
	Datum	   *finished;		/* timestamptz */
	Datum	   *ms;				/* float8 */
} FmAppliedBatch;

extern void fm_applied_batch_add(FmAppliedBatch *b, const char *name,
								 const char *checksum, TimestampTz started_at,
								 TimestampTz finished_at, double execution_ms);
extern void fm_history_record_applied(FmAppliedBatch *b);

#endif							/* FERRIORM_DEPLOY_H */
