/*-------------------------------------------------------------------------
 *
 * fm_locks.h
 *	  What each kind of plan step does to a live table: the lock it takes
 *	  (on its table and, for foreign keys, on the referenced table), and
 *	  whether it rewrites or scans the table.
 *
 * The facts are PostgreSQL's documented behaviour (the ALTER TABLE lock
 * level of each subcommand, CREATE INDEX, DROP INDEX and their
 * CONCURRENTLY forms, COMMENT, RENAME), kept as one table in locks.c and
 * checked against pg_locks by the plan_locks regression test.
 *
 * src/core/fm_locks.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_LOCKS_H
#define FM_LOCKS_H

#include <stdbool.h>

/* PostgreSQL's table lock modes, weakest first. */
typedef enum FmLockMode
{
	FM_LOCK_NONE = 0,
	FM_LOCK_ACCESS_SHARE,
	FM_LOCK_ROW_SHARE,
	FM_LOCK_ROW_EXCLUSIVE,
	FM_LOCK_SHARE_UPDATE_EXCLUSIVE,
	FM_LOCK_SHARE,
	FM_LOCK_SHARE_ROW_EXCLUSIVE,
	FM_LOCK_EXCLUSIVE,
	FM_LOCK_ACCESS_EXCLUSIVE
} FmLockMode;

/*
 * The kind of a step, as far as its effect on an existing table goes.
 * FM_STEP_NONE: the step locks no existing table (CREATE SCHEMA, CREATE
 * TABLE, CREATE TYPE, ALTER TYPE ... ADD VALUE, DROP TYPE, COMMENT ON
 * TYPE, ...).
 */
typedef enum FmStepKind
{
	FM_STEP_NONE = 0,
	FM_STEP_DROP_TABLE,
	FM_STEP_ADD_COLUMN,			/* nullable, or a non-volatile default */
	FM_STEP_ADD_COLUMN_REWRITE, /* volatile default, identity, serial */
	FM_STEP_DROP_COLUMN,
	FM_STEP_ALTER_TYPE,			/* rewrites the table and its indexes */
	FM_STEP_ALTER_TYPE_NO_REWRITE,	/* binary-coercible change */
	FM_STEP_SET_NOT_NULL,
	FM_STEP_SET_NOT_NULL_VALIDATED, /* a validated CHECK proves it: no scan */
	FM_STEP_DROP_NOT_NULL,
	FM_STEP_ALTER_DEFAULT,		/* SET/DROP DEFAULT, ADD/DROP IDENTITY */
	FM_STEP_ADD_CHECK,
	FM_STEP_ADD_CHECK_NOT_VALID,
	FM_STEP_VALIDATE_CHECK,
	FM_STEP_ADD_FOREIGN_KEY,
	FM_STEP_ADD_FOREIGN_KEY_NOT_VALID,
	FM_STEP_VALIDATE_FOREIGN_KEY,
	FM_STEP_DROP_FOREIGN_KEY,
	FM_STEP_ADD_UNIQUE,			/* ADD CONSTRAINT UNIQUE / PRIMARY KEY */
	FM_STEP_ADD_CONSTRAINT_USING_INDEX,
	FM_STEP_DROP_CONSTRAINT,	/* unique, primary key, check */
	FM_STEP_CREATE_INDEX,
	FM_STEP_CREATE_INDEX_CONCURRENTLY,
	FM_STEP_DROP_INDEX,
	FM_STEP_DROP_INDEX_CONCURRENTLY,
	FM_STEP_RENAME_INDEX,		/* the lock is on the index itself */
	FM_STEP_RENAME_TABLE,
	FM_STEP_RENAME_COLUMN,
	FM_STEP_RENAME_CONSTRAINT,
	FM_STEP_COMMENT,			/* COMMENT ON TABLE / COLUMN */
	FM_STEP_ATTACH_PARTITION,	/* the partition; ref: the parent */
	FM_STEP_DETACH_PARTITION,	/* the partition; ref: the parent */
	FM_STEP_ADD_EXCLUSION,		/* ADD CONSTRAINT ... EXCLUDE */
	FM_STEP_ALTER_COLLATION,	/* ALTER COLUMN ... TYPE t COLLATE c */
	FM_STEP_CREATE_PARTITION,	/* CREATE TABLE ... PARTITION OF a parent
								 * with a default partition: that one,
								 * scanned; ref: the parent */
	FM_STEP_SET_STORAGE,		/* SET / RESET (fillfactor, autovacuum_*) */
	FM_STEP__COUNT
} FmStepKind;

typedef struct FmStepFacts
{
	FmStepKind	kind;
	const char *name;			/* "add_column", ... */
	FmLockMode	lock;			/* on the step's table */
	FmLockMode	ref_lock;		/* on the referenced table (foreign keys) */
	bool		rewrite;		/* the table (and its indexes) is rewritten */
	bool		scan;			/* the whole table is read */
	const char *online;			/* what online mode does with this kind */
} FmStepFacts;

/* The facts of kind (FM_STEP_NONE's for an out-of-range kind). */
extern const FmStepFacts *fm_step_facts(FmStepKind kind);

/*
 * Whether ALTER COLUMN ... TYPE from -> to rewrites the table: false only
 * for the binary-coercible changes PostgreSQL makes without one (a longer
 * or no length limit on character varying, character varying to text, a
 * larger precision at the same scale on numeric), given as format_type()
 * spellings; NULL (an enum, an array, unknown) rewrites.
 */
extern bool fm_type_change_rewrites(const char *from, const char *to);

/*
 * Whether a column default (SQL text) is volatile, so that ADD COLUMN
 * computes it for every existing row and rewrites the table: calls of the
 * built-in volatile functions a schema uses as defaults (random(),
 * gen_random_uuid(), nextval(), clock_timestamp(), timeofday(),
 * uuid_generate_v1..v4()).  A user function is taken as non-volatile.
 */
extern bool fm_default_is_volatile(const char *default_sql);

/* "ACCESS EXCLUSIVE", ...; "" for FM_LOCK_NONE. */
extern const char *fm_lock_mode_name(FmLockMode mode);

#endif							/* FM_LOCKS_H */
