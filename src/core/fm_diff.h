/*-------------------------------------------------------------------------
 *
 * fm_diff.h
 *	  Compare two schema models and render the ordered DDL that takes a
 *	  database from the first to the second.
 *
 * The diff produces a plan: an ordered list of steps, one SQL statement
 * each.  Steps that may lose data, fail on existing rows or rewrite a table
 * carry a hazard kind and the object it concerns; the backend fills in
 * figures from live data (hazard_detail) before the script is rendered.
 *
 * src/core/fm_diff.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_DIFF_H
#define FM_DIFF_H

#include "fm_model.h"
#include "fm_locks.h"

/*
 * What rendering asks of its environment.  The core's defaults always
 * double-quote identifiers, use standard-conforming '...' literals and
 * know the built-in assignment casts; the backend passes PostgreSQL's
 * quote_identifier(), quote_literal_cstr() and a pg_cast lookup.
 * cast_is_implicit: true when "ALTER COLUMN ... TYPE to" needs no USING
 * clause for a column of type from (NULL hook: the core's own table).
 * cast_exists: true when from has a cast to to at all, an explicit one
 * included (from::to parses); false makes the USING clause convert through
 * the text form (from::text::to), which parses for any two types and
 * converts the values whose text the new type reads.  NULL hook: always
 * true.
 */
typedef struct FmQuoting
{
	const char *(*quote_ident) (const char *ident, void *arg);
	char	   *(*quote_literal) (const char *literal, void *arg);
	bool		(*cast_is_implicit) (const char *from_type, const char *to_type,
									 void *arg);
	void	   *arg;
	bool		(*cast_exists) (const char *from_type, const char *to_type,
								void *arg);
	/*
	 * A schema whose objects are rendered unqualified, resolved by the
	 * search_path where the text runs (NULL: none).  A migration that dev
	 * writes for a schema text naming no schema uses it, as Prisma writes
	 * such migrations: the history then deploys into whichever schema the
	 * connection uses (?schema=).  Names that pg_catalog could take
	 * (fm_r_qname) stay qualified.
	 */
	const char *unqualified_schema;
} FmQuoting;

extern const FmQuoting fm_default_quoting;

/* Ordering phases; steps are emitted phase by phase. */
typedef enum FmPhase
{
	FM_PHASE_CREATE_SCHEMA = 0,
	FM_PHASE_CREATE_EXTENSION,
	FM_PHASE_RENAME,			/* declared renames (@renamed) */
	FM_PHASE_DROP_FOREIGN_KEY,
	FM_PHASE_DROP_INDEX,		/* and unique/check/primary-key constraints */
	FM_PHASE_CREATE_ENUM,
	FM_PHASE_ALTER_ENUM,		/* ADD VALUE, and enum recreation */
	FM_PHASE_CREATE_SEQUENCE,	/* standalone sequences, before their readers */
	FM_PHASE_CREATE_TABLE,
	FM_PHASE_ALTER_TABLE,		/* add/alter columns */
	FM_PHASE_CREATE_INDEX,		/* and unique/check/primary-key constraints */
	FM_PHASE_ADD_FOREIGN_KEY,
	FM_PHASE_DROP_COLUMN,
	FM_PHASE_DROP_TABLE,
	FM_PHASE_DROP_SEQUENCE,		/* once no default reads them */
	FM_PHASE_DROP_ENUM,
	FM_PHASE_COMMENT,
	FM_PHASE__COUNT
} FmPhase;

typedef enum FmHazardKind
{
	FM_HAZARD_NONE = 0,
	FM_HAZARD_DROP_TABLE,		/* rows lost */
	FM_HAZARD_DROP_COLUMN,		/* non-null values lost */
	FM_HAZARD_SET_NOT_NULL,		/* fails if NULL rows exist */
	FM_HAZARD_ADD_UNIQUE,		/* fails if duplicate groups exist */
	FM_HAZARD_ALTER_TYPE,		/* rewrite; narrowing casts may fail */
	FM_HAZARD_ADD_REQUIRED_COLUMN,	/* NOT NULL without default: fails if rows */
	FM_HAZARD_DROP_ENUM_VALUE,	/* fails if the value is in use */
	FM_HAZARD_DROP_ENUM,
	FM_HAZARD_ADD_CHECK,		/* fails if rows violate it */
	FM_HAZARD_ADD_FOREIGN_KEY,	/* fails if orphans exist; locks */
	FM_HAZARD_REWRITE_TABLE,	/* SET LOGGED/UNLOGGED, a generation
								 * re-added: the table is rewritten under
								 * ACCESS EXCLUSIVE (hazard_extra: why) */
	FM_HAZARD_SWITCH_IDENTITY,	/* a column becomes an identity column:
								 * existing values are kept; hazard_extra:
								 * "schema.sequence" it continues, or NULL
								 * (it starts at its START) */
	FM_HAZARD_POSSIBLE_RENAME,	/* an added column or table may be a dropped
								 * one renamed (hint in hazard_extra) */
	FM_HAZARD_DETACH_PARTITION, /* the partition's rows leave the parent's
								 * view; hazard_extra: the parent */
	FM_HAZARD_ATTACH_PARTITION,	/* fails if a row is outside the bound;
								 * hazard_extra: the parent */
	FM_HAZARD_ADD_EXCLUSION		/* fails if rows conflict */
} FmHazardKind;

extern const char *fm_hazard_name(FmHazardKind kind);	/* "drop_table", ... */

/*
 * One step of a plan: one SQL statement, its phase and, when it may lose
 * data or fail on existing rows, a hazard.
 *
 * The hazard_* fields name what the hazard concerns, so that the backend
 * (hazards.c) can count it in live data without parsing the rendered DDL.
 * They are all NULL when hazard is FM_HAZARD_NONE; steps on objects
 * created by the same plan carry no hazard.  Per kind, the diff fills in:
 *
 *	  DROP_TABLE			hazard_schema/table; hazard_spared = the
 *							partitions below it that are detached from it
 *							first (moved to another parent), whose rows the
 *							drop does not take
 *	  DROP_COLUMN, SET_NOT_NULL, ADD_REQUIRED_COLUMN
 *							hazard_schema/table/column
 *	  ALTER_TYPE			hazard_schema/table/column; hazard_extra = the new
 *							type as rendered in the DDL; hazard_old_type =
 *							the live type as rendered; hazard_using = the
 *							USING expression the DDL carries (NULL: none).
 *							The DDL is built from these same strings
 *	  ADD_UNIQUE			hazard_schema/table; hazard_extra = the key's
 *							elements, quoted and comma-separated (usable in
 *							GROUP BY); hazard_column = the first column;
 *							hazard_predicate = a partial index's predicate
 *	  ADD_CHECK				hazard_schema/table; hazard_extra = the expression
 *	  ADD_EXCLUSION			hazard_schema/table; hazard_extra = the constraint
 *							name (its elements are in the desired model)
 *	  ADD_FOREIGN_KEY		hazard_schema/table (the referencing table);
 *							hazard_column = its first column;
 *							hazard_extra = the constraint name
 *	  DROP_ENUM_VALUE		on the first step of the recreation sequence:
 *							hazard_schema/table = the enum; hazard_column =
 *							the first removed label; hazard_extra = every
 *							removed label as quoted literals, comma-separated
 *	  DROP_ENUM				hazard_schema/table = the enum
 *	  REWRITE_TABLE			hazard_schema/table; hazard_column = the column
 *							when a generated column is added; hazard_extra =
 *							what rewrites the table, as a phrase ("SET
 *							UNLOGGED", "adding generated column x")
 *	  SWITCH_IDENTITY		hazard_schema/table/column; hazard_extra =
 *							"schema.sequence" of the serial sequence whose
 *							position the identity continues, or NULL (it
 *							starts at its START)
 *	  POSSIBLE_RENAME		hazard_extra = the rename hint only (no figures)
 *
 * data_loss is set on DROP_TABLE, DROP_COLUMN, DROP_ENUM_VALUE and on an
 * ALTER_TYPE that is not a widening; the backend clears it when the
 * figures show that nothing would be lost.  hazard_detail is never set by the
 * core: the backend fills it in with the figures (full sentences) before
 * the script is rendered.  The strings live in the plan's arena.
 */
typedef struct FmStep
{
	FmPhase		phase;
	const char *action;			/* "CreateTable", "AlterTable", ... (header) */
	char	   *object;			/* qualified, unquoted: "public.users" */
	char	   *ddl;			/* one statement, ending in ';' */
	FmHazardKind hazard;
	/* what the hazard concerns (see above), for live-data figures */
	char	   *hazard_schema;	/* schema of the table or enum */
	char	   *hazard_table;	/* table, or enum for the enum kinds */
	char	   *hazard_column;	/* column, or first removed enum label */
	char	   *hazard_extra;	/* per kind: new type, CHECK expression, key
								 * elements, FK name, removed labels */
	char	   *hazard_old_type;	/* ALTER_TYPE: the live type */
	char	   *hazard_using;	/* ALTER_TYPE: the USING expression, or NULL */
	char	   *hazard_predicate;	/* ADD_UNIQUE: a partial index's predicate */
	FmList		hazard_spared;	/* DROP_TABLE: of FmTableRef *, the
								 * partitions moved out of it first */
	char	   *hazard_detail;	/* filled in by the backend: sentence(s) */
	bool		hazard_fails;	/* filled in by the backend: rows counted
								 * exactly show that the step fails on the
								 * live data (NULL rows, duplicates, ...) */
	bool		data_loss;		/* push refuses unless allow_data_loss */
	/* what the step does to live tables (fm_locks.h): kind and tables */
	FmStepKind	kind;
	char	   *lock_schema;	/* the existing relation the step locks */
	char	   *lock_table;
	/*
	 * the partitions (> 0) or inheriting tables (< 0) of lock_table, at
	 * any depth, that the step locks too (ALTER TABLE and CREATE INDEX
	 * recurse); 0 when none
	 */
	int			lock_descendants;
	char	   *ref_schema;		/* the referenced table (foreign keys) */
	char	   *ref_table;
	/* what the step makes, for its online form (fm_plan_online) */
	const FmTable *table;		/* the desired table */
	const FmIndex *index;		/* CREATE INDEX */
	const FmKey *key;			/* ADD CONSTRAINT UNIQUE / PRIMARY KEY */
	bool		key_primary;
	const FmForeignKey *fk;		/* ADD CONSTRAINT ... FOREIGN KEY */
	const FmCheck *check;		/* ADD CONSTRAINT ... CHECK */
	const char *column;			/* SET NOT NULL */
	const char *index_name;		/* DROP INDEX: the index, in lock_schema */
	bool		nontx;			/* cannot run in a transaction block */
	/*
	 * online plans: no COMMIT after this step, which lies between the DROP
	 * of a constraint and the statement that adds it again (online.c,
	 * hold_replacements)
	 */
	bool		hold_commit;
	const char *online_note;	/* online plans: why it has no low-lock form */
	const char *rename_hint;	/* possible_rename: the annotation to write */
} FmStep;

typedef struct FmPlan
{
	FmArena    *arena;
	FmList		steps;			/* of FmStep *, in execution order */
	bool		lock_comments;	/* script: a "-- LOCK" comment per step */
	bool		online;			/* fm_plan_online() has run */
	int			lock_timeout_ms;	/* online script: SET lock_timeout */
	const FmQuoting *quoting;	/* names in the script's generic hazard
								 * sentences (NULL: fm_default_quoting) */
} FmPlan;

/*
 * Diff from -> to.  Both models must have no NULL schemas left or both the
 * same convention; neither is modified.  from may be NULL (empty database).
 */
extern FmPlan *fm_diff(FmArena *arena, const FmModel *from, const FmModel *to,
					   const FmQuoting *quoting);

/*
 * The whole script: steps grouped under "-- <Action>" header comments,
 * hazards as "-- HAZARD <kind>: <detail>" comments above their statement.
 * Empty string for an empty plan.
 */
extern char *fm_plan_to_script(FmArena *arena, const FmPlan *plan);

/*
 * Online mode: rewrite the steps on existing tables into their low-lock
 * forms (CREATE/DROP INDEX CONCURRENTLY, unique keys through a concurrent
 * unique index and ADD CONSTRAINT ... USING INDEX, foreign keys and CHECKs
 * NOT VALID then VALIDATE, SET NOT NULL through a validated CHECK); steps
 * with no such form get an online_note.  The script then sets lock_timeout
 * (lock_timeout_ms) before every statement.
 */
extern void fm_plan_online(FmPlan *plan, const FmQuoting *quoting,
						   int lock_timeout_ms);

/*
 * The locks a step takes on existing tables, strongest per table:
 * "ACCESS EXCLUSIVE on public.orders; SHARE ROW EXCLUSIVE on public.users"
 * (names unquoted, as in FmStep.object).  NULL when it locks none.
 */
extern char *fm_step_lock_text(FmArena *arena, const FmStep *step);

/*
 * Offline normalization (no server), used by fm_diff() to compare types,
 * defaults, CHECK expressions, index predicates and expression index
 * elements.  Both return text only meant for comparison (never for DDL);
 * equal results mean "the same for PostgreSQL".
 *
 * fm_normalize_type: format_type() spelling ("int4" -> "integer",
 * "varchar(10)" -> "character varying(10)", "timestamp(3)" ->
 * "timestamp(3) without time zone", "decimal(10, 2)" -> "numeric(10,2)").
 *
 * fm_normalize_expr: canonical text of an SQL expression: unquoted names
 * and keywords lower-cased, whitespace and redundant parentheses removed
 * (the expression is parsed with PostgreSQL's operator precedence), casts
 * of literals and of bare column references removed ('x'::text -> 'x',
 * (0)::numeric -> 0, '-1'::integer -> -1), CURRENT_TIMESTAMP and
 * transaction_timestamp() -> now(), != -> <>, LIKE -> ~~, IN (...) ->
 * = ANY (ARRAY[...]), BETWEEN -> >= AND <=, and the SQL syntax of
 * EXTRACT, SUBSTRING, POSITION, TRIM and OVERLAY -> the plain calls it
 * stands for (extract('year', d), btrim(x, c)).  Text it cannot parse is
 * normalized token by token.  NULL -> NULL.
 */
extern char *fm_normalize_type(FmArena *arena, const char *type);
extern char *fm_normalize_expr(FmArena *arena, const char *expr);

/*
 * fm_fk_types_compatible: PostgreSQL accepts a foreign key from a column of
 * built-in type referencing to a key of built-in type referenced (typmods
 * ignored; varchar -> text, integer -> bigint, date -> timestamp, ...).
 */
extern bool fm_fk_types_compatible(FmArena *arena, const char *referenced,
								   const char *referencing);

#endif							/* FM_DIFF_H */
