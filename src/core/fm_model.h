/*-------------------------------------------------------------------------
 *
 * fm_model.h
 *	  The schema model: one description of a database schema, built both
 *	  from schema text (fm_parse.h) and from the live catalog (the backend's
 *	  introspection).  Diff, DDL rendering and schema-text printing only ever
 *	  look at this model.
 *
 * Conventions
 *	  - Every name is the database name (after @map/@@map), unquoted.
 *	  - schema == NULL means "the current schema" (the datasource lists no
 *		schemas and the model has no @@schema); the backend resolves it with
 *		fm_model_set_default_schema() before comparing with the catalog.
 *	  - Types are held in PostgreSQL's canonical format_type() spelling
 *		("character varying(255)", "timestamp(3) without time zone",
 *		"double precision", "numeric(10,2)"), so that parsed and introspected
 *		types compare as strings.  Enum-typed columns name the enum instead.
 *	  - Expressions (defaults, CHECKs, index predicates and expression index
 *		elements) are SQL text as it should appear in DDL.  Names never
 *		are: a qualified name (an operator class) is held as its parts,
 *		which rendering quotes one by one.
 *	  - FmSrcPos.line == 0 means "not from schema text" (catalog).
 *	  - All memory belongs to model->arena.
 *
 * src/core/fm_model.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_MODEL_H
#define FM_MODEL_H

#include "fm_util.h"

/* PostgreSQL's NAMEDATALEN - 1: the longest identifier, in bytes. */
#define FM_MAX_IDENT_LEN 63

/* PostgreSQL's MaxHeapAttributeNumber: the most columns a table holds. */
#define FM_MAX_TABLE_COLUMNS 1600

typedef struct FmSrcPos
{
	int			line;			/* 1-based; 0 = unknown / from catalog */
	int			col;			/* 1-based, in characters (code points) */
} FmSrcPos;

/* ---------- diagnostics ---------- */

typedef enum FmSeverity
{
	FM_SEV_ERROR,
	FM_SEV_WARNING
} FmSeverity;

typedef struct FmDiag
{
	FmSeverity	severity;
	FmSrcPos	pos;
	char	   *message;		/* one sentence, no trailing period */
} FmDiag;

typedef struct FmDiagList
{
	FmArena    *arena;
	FmList		items;			/* of FmDiag *, in the order reported */
	int			nerrors;
	int			nwarnings;
} FmDiagList;

extern void fm_diags_init(FmDiagList *diags, FmArena *arena);
extern void fm_diag_add(FmDiagList *diags, FmSeverity sev, FmSrcPos pos,
						const char *fmt,...) FM_PRINTF(4, 5);
/* sort by (line, col), stable; used before reporting */
extern void fm_diags_sort(FmDiagList *diags);
/* "line L, column C: error: message\n" for every diagnostic */
extern char *fm_diags_to_text(FmArena *arena, const FmDiagList *diags);

/*
 * For a text joined from several files, each after a line "// file: NAME"
 * (ferriorm_read_schema), append " (NAME, line K)" to the message of each
 * diagnostic in a file, K its line in that file, and add the same after
 * each "line N" the message mentions.  Nothing for a text without such a
 * line.
 */
extern void fm_diags_name_files(FmArena *arena, FmDiagList *diags,
								const char *text, size_t len);

/* ---------- the model ---------- */

typedef enum FmTypeKind
{
	FM_TYPE_BUILTIN,			/* sql holds format_type() spelling */
	FM_TYPE_ENUM,				/* enum_schema/enum_name name an FmEnum */
	FM_TYPE_UNSUPPORTED			/* sql holds user text from Unsupported("...") */
} FmTypeKind;

typedef struct FmType
{
	FmTypeKind	kind;
	bool		array;			/* FM_TYPE_ENUM: an array of the enum (Role[]);
								 * built-in arrays say "[]" in sql */
	char	   *sql;
	char	   *enum_schema;	/* NULL = current schema */
	char	   *enum_name;
} FmType;

typedef enum FmAutoinc
{
	FM_AUTOINC_NONE = 0,
	FM_AUTOINC_IDENTITY_BY_DEFAULT, /* what autoincrement() renders */
	FM_AUTOINC_IDENTITY_ALWAYS,
	FM_AUTOINC_SERIAL			/* nextval() of an owned sequence (catalog) */
} FmAutoinc;

/*
 * An identity column's generation and sequence options.  Options are
 * decimal text, NULL when they have the default for the column's type and
 * direction (catalog), or are not stated (schema text), which compare equal.
 */
typedef struct FmIdentity
{
	bool		always;			/* GENERATED ALWAYS (else BY DEFAULT) */
	char	   *start;
	char	   *increment;
	char	   *minvalue;
	char	   *maxvalue;
	bool		cycle;
	/* the live sequence (catalog only; never compared): pull's notes */
	char	   *seq_schema;
	char	   *seq_name;
} FmIdentity;

/*
 * The properties of a column that few columns have, apart (FmColumn.more):
 * a column without any of them costs a pointer, not nine.
 */
typedef struct FmColumnMore
{
	char	   *comment;
	/*
	 * the identity stated (@identity, ferriorm dialect) or read (catalog);
	 * NULL when the text does not state one: any live auto-increment kind
	 * is then kept
	 */
	FmIdentity *identity;
	/*
	 * GENERATED ALWAYS AS (generated) STORED (@generated, ferriorm
	 * dialect); NULL = not generated.  default_sql is then NULL.
	 */
	char	   *generated;
	/* COLLATE (@collate, ferriorm dialect); NULL = the type's default */
	char	   *collation_schema;	/* NULL = unqualified */
	char	   *collation;
	/*
	 * catalog: the base type of the column's domain, format_type()
	 * spelling with the domain's typmod (modified_by_type over text:
	 * "text"); NULL when the column's type is no domain
	 */
	char	   *domain_base;
	/* catalog: the enum that is the base type of the column's domain */
	char	   *domain_enum_schema;
	char	   *domain_enum_name;
	bool		domain_enum_array;	/* over an array of that enum */
	/*
	 * catalog: the own name of the column's array type ("_circle" for
	 * circle[]), by which Prisma's db pull prints an array of a type it
	 * does not support; NULL when the type is not an array (or is an enum's)
	 */
	char	   *array_type_name;
	/* catalog, FM_AUTOINC_SERIAL: the sequence the column owns */
	char	   *seq_schema;
	char	   *seq_name;
	/*
	 * catalog only, never compared: the options of the column's sequence
	 * (serial) that no text states ("START 500, INCREMENT 10"), or of its
	 * identity that @identity cannot state ("CACHE 20"); NULL when none.
	 * Read by pull alone, which notes them (fm_p_unmanaged).
	 */
	char	   *seq_options;
	/* @renamed(from: "x"): the old name, by the dialect's naming rules and
	 * as written (the same when they agree); NULL when none is declared */
	char	   *renamed_from;
	char	   *renamed_from_written;
	/*
	 * server normalization: the live default names a type of its own
	 * other than the column's (ALTER COLUMN TYPE kept the old default):
	 * the stated default is set again, even where both texts read alike
	 */
	bool		reset_default;
} FmColumnMore;

typedef struct FmColumn
{
	char	   *name;
	FmType		type;
	bool		notnull;
	/* (the flags side by side: a column is 16 bytes smaller) */
	bool		updated_at;		/* @updatedAt: client side, no DDL */
	bool		client_default; /* @default(cuid()) etc: client side */
	bool		keep_default;	/* @default(dbgenerated()): the database's
								 * default, not managed: a plan keeps it */
	FmAutoinc	autoinc;		/* all non-NONE values mean autoincrement() */
	char	   *default_sql;	/* NULL = no database default */
	FmSrcPos	pos;
	/* schema-language view, for printing; NULL when from the catalog */
	char	   *field_name;
	/*
	 * the rest, NULL when all of it is: read it with FM_COL_MORE(c), set it
	 * through fm_column_more(arena, c).  Never shared between two columns
	 * (a copy of a column copies it: fm_column_copy).
	 */
	FmColumnMore *more;
} FmColumn;

/* the rare properties of c, for reading: all NULL when it has none */
extern const FmColumnMore fm_column_no_more;
#define FM_COL_MORE(c) ((c)->more ? (const FmColumnMore *) (c)->more : &fm_column_no_more)

/* A named list of columns: primary keys and unique constraints. */
typedef struct FmKey
{
	char	   *name;
	FmList		columns;		/* of char * */
	bool		nulls_not_distinct; /* UNIQUE NULLS NOT DISTINCT (live only:
									 * the language cannot state it) */
	bool		deferrable;		/* DEFERRABLE (live only: the language
								 * cannot state it, plans do not compare
								 * it, pull marks the table @preserve) */
	FmSrcPos	pos;
} FmKey;

typedef enum FmSortOrder
{
	FM_SORT_DEFAULT = 0,
	FM_SORT_ASC,
	FM_SORT_DESC
} FmSortOrder;

typedef enum FmNullsOrder
{
	FM_NULLS_DEFAULT = 0,
	FM_NULLS_FIRST,
	FM_NULLS_LAST
} FmNullsOrder;

/* An operator class by name: schema NULL for pg_catalog's */
typedef struct FmOpclassName
{
	char	   *schema;
	char	   *name;
} FmOpclassName;

typedef struct FmIndexElem
{
	char	   *column;			/* exactly one of column / expr is set */
	char	   *expr;
	FmSortOrder sort;
	FmNullsOrder nulls;
	char	   *opclass_schema; /* NULL = unqualified (found on search_path) */
	char	   *opclass;		/* NULL = default operator class */
	const char *opclass_method; /* schema text: the index type a Prisma-named
								 * operator class (ops: JsonbPathOps) needs */
	/* COLLATE of a column element (collate:, ferriorm dialect); NULL = the
	 * column's own.  Unqualified: pg_catalog's (found on search_path) */
	char	   *collation;
	/*
	 * catalog only: the schema of collation when it is not pg_catalog,
	 * which collate: cannot name (pull leaves such an index out of the
	 * ferriorm dialect's text, its table preserved); NULL otherwise
	 */
	char	   *collation_schema;
	/*
	 * Catalog only, never compared: the default operator class that an
	 * element of a gin, gist, spgist or brin index uses (opclass NULL), or
	 * NULL.  ferriorm_pull's prisma dialect states it as ops: raw("...")
	 * where Prisma takes the field's type in that index type only with an
	 * operator class (a GIN index on an integer column through btree_gin).
	 */
	const FmOpclassName *opclass_default;
} FmIndexElem;

typedef struct FmIndex
{
	char	   *name;
	bool		unique;
	char	   *method;			/* lower case: btree hash gin gist spgist brin */
	FmList		elems;			/* of FmIndexElem * */
	FmList		include;		/* of char *: INCLUDE columns */
	char	   *predicate;		/* WHERE clause, NULL = not partial */
	bool		nulls_not_distinct; /* unique NULLS NOT DISTINCT (live only:
									 * the language cannot state it) */
	/*
	 * Catalog only: pg_index.indisvalid is false (a CREATE INDEX
	 * CONCURRENTLY that failed).  It enforces nothing and serves no query,
	 * so it is never the same as an index of the target: a plan that
	 * states it drops and creates it again (idxobj_same).  Not an index of
	 * a partitioned table created ON ONLY it, invalid until every
	 * partition's is attached (as pg_dump makes them): its partitions'
	 * indexes are in use, and a plan leaves it as it is.
	 */
	bool		invalid;
	FmSrcPos	pos;
} FmIndex;

typedef enum FmFkAction
{
	FM_FK_NO_ACTION = 0,
	FM_FK_RESTRICT,
	FM_FK_CASCADE,
	FM_FK_SET_NULL,
	FM_FK_SET_DEFAULT
} FmFkAction;

typedef struct FmForeignKey
{
	char	   *name;
	FmList		columns;		/* of char * */
	char	   *ref_schema;		/* NULL = current schema */
	char	   *ref_table;
	FmList		ref_columns;	/* of char * */
	FmFkAction	on_delete;
	FmFkAction	on_update;
	bool		deferrable;
	bool		initially_deferred;
	/*
	 * catalog only, never compared: the key was added NOT VALID and not
	 * validated since (rows from before it may break it); no text states
	 * it, pull notes it (fm_p_unmanaged)
	 */
	bool		not_valid;
	FmSrcPos	pos;
} FmForeignKey;

typedef struct FmCheck
{
	char	   *name;
	char	   *expr;			/* without the CHECK ( ) wrapper */
	bool		not_valid;		/* catalog only, as FmForeignKey's */
	FmSrcPos	pos;
} FmCheck;

/* An element of an exclusion constraint: column WITH operator. */
typedef struct FmExclElem
{
	char	   *column;
	char	   *op_schema;		/* NULL = unqualified (pg_catalog) */
	char	   *op;				/* the operator's name: "=", "&&" */
} FmExclElem;

/*
 * An exclusion constraint (@@exclude, ferriorm dialect):
 * EXCLUDE USING method (column WITH op, ...) WHERE (predicate).
 */
typedef struct FmExclusion
{
	char	   *name;
	char	   *method;			/* lower case: gist spgist btree hash */
	FmList		elems;			/* of FmExclElem * */
	char	   *predicate;		/* NULL = the whole table */
	FmSrcPos	pos;
} FmExclusion;

/* A storage parameter: WITH (name = value), as pg_class.reloptions holds it. */
typedef struct FmOption
{
	char	   *name;			/* fillfactor, autovacuum_* (lower case) */
	char	   *value;			/* "70", "false", "0.05" */
} FmOption;

/*
 * PARTITION BY: the strategy and the key's elements (columns, or
 * expressions held as pg_get_partkeydef() prints them: a function call
 * bare, anything else in parentheses).  partition.c.
 */
typedef struct FmPartKey
{
	char	   *strategy;		/* "range", "list" or "hash" */
	FmList		elems;			/* of FmIndexElem *: column or expr only */
	FmSrcPos	pos;
} FmPartKey;

/* A table named by another: INHERITS parents. */
typedef struct FmTableRef
{
	char	   *schema;			/* NULL = current schema */
	char	   *name;
} FmTableRef;

typedef struct FmTable
{
	char	   *schema;
	char	   *name;
	FmList		columns;		/* of FmColumn *, in declaration order */
	FmKey	   *primary_key;	/* NULL = none */
	FmList		uniques;		/* of FmKey *: UNIQUE constraints */
	FmList		indexes;		/* of FmIndex *: indexes that are not constraints */
	FmList		foreign_keys;	/* of FmForeignKey * */
	FmList		checks;			/* of FmCheck * */
	char	   *comment;
	FmSrcPos	pos;
	char	   *model_name;		/* schema-language name; NULL from catalog */
	bool		implicit_m2m;	/* hidden join table of an implicit m:n */
	/* storage (ferriorm dialect: @@unlogged, @@storage) */
	bool		unlogged;		/* CREATE UNLOGGED TABLE */
	FmList		storage;		/* of FmOption *, sorted by name */
	bool		keep_unstated;	/* the text cannot state storage, column
								 * collations or comments (prisma
								 * dialect): a plan keeps the live ones */
	/*
	 * keep_unstated also means what Prisma Migrate leaves alone, as Prisma
	 * cannot state it: a live index with an expression element and live
	 * CHECK constraints, unless the text names them (then they are compared
	 * as usual: diff_index.c, diff_constraint.c).  Prisma's describer skips
	 * such indexes and its differ ignores CHECKs.  keep_partial: the same
	 * for live partial indexes (prisma dialect without the "partialIndexes"
	 * preview feature, which cannot state predicates).
	 */
	bool		keep_partial;
	char	   *renamed_from;	/* @renamed, as for FmColumn */
	char	   *renamed_from_written;
	/* @@ignore: a client skips the model, which may lack a key; plans
	 * manage it like any other */
	bool		ignored;
	/* /// @preserve: plans leave an existing table as it is (preserve.c) */
	bool		preserved;
	/* catalog: why the language cannot state the table exactly, or NULL
	 * (pull prints one @preserve line per reason) */
	char	   *ignore_reason;
	/*
	 * Partitioning and inheritance (ferriorm dialect: @@partitionBy,
	 * @@partitionOf, @@inherits; partition.c).  A partition has no columns
	 * of its own in the model: they are its parent's.  An inheriting table
	 * lists only the columns it declares itself (attislocal).
	 */
	FmPartKey  *partition_by;	/* PARTITION BY; NULL = not partitioned */
	char	   *part_parent_schema; /* PARTITION OF; NULL = current schema */
	char	   *part_parent;	/* NULL = not a partition */
	char	   *part_bound;		/* "FOR VALUES ..." or "DEFAULT", as
								 * pg_get_expr(relpartbound) prints it */
	FmList		inherits;		/* of FmTableRef *: INHERITS, in order */
	/*
	 * catalog, partitions only: what the partition has as clones of its
	 * parent's keys, indexes and foreign keys (NULL when nothing).  Not part
	 * of the table (nothing compares them): a DETACH makes them the table's
	 * own, so a partition that moves to another parent drops those its new
	 * parent would not adopt (fmd_partition_moves).  NULL from schema text.
	 */
	struct FmClones *clones;
	FmList		exclusions;		/* of FmExclusion *: @@exclude */
	/*
	 * What no schema text states and no plan touches, read by pull alone so
	 * that its text can say so (fm_p_unmanaged): a database built from the
	 * text lacks them.  Never compared; zero everywhere else.
	 */
	bool		row_security;	/* ENABLE ROW LEVEL SECURITY */
	bool		force_row_security; /* FORCE ROW LEVEL SECURITY */
	int			npolicies;		/* row security policies */
	int			ntriggers;		/* user triggers (not a partition's clones) */
	int			nrules;			/* rewrite rules */
	/*
	 * of char *: the physical settings no text states, each a phrase ("the
	 * table uses access method \"columnar\"", "column \"body\" has
	 * STORAGE EXTERNAL"): the table's access method, REPLICA IDENTITY and
	 * CLUSTER index, its columns' STORAGE, COMPRESSION and STATISTICS
	 * target, where they are not the defaults
	 */
	FmList		physical;
} FmTable;

/* FmTable.clones: a partition's clones of its parent's, as the table's own */
typedef struct FmClones
{
	FmKey	   *primary_key;
	FmList		uniques;		/* of FmKey * */
	FmList		indexes;		/* of FmIndex * */
	FmList		foreign_keys;	/* of FmForeignKey * */
} FmClones;

typedef struct FmEnumValue
{
	char	   *name;			/* database label */
	char	   *variant;		/* schema-language name; NULL from catalog */
	FmSrcPos	pos;
	char	   *renamed_from;	/* @renamed, as for FmColumn */
	char	   *renamed_from_written;
} FmEnumValue;

typedef struct FmEnum
{
	char	   *schema;
	char	   *name;
	FmList		values;			/* of FmEnumValue *, in declared order */
	char	   *comment;
	FmSrcPos	pos;
	char	   *enum_name;		/* schema-language name; NULL from catalog */
	bool		keep_comment;	/* the text cannot state comments (prisma
								 * dialect): a plan keeps the live one */
	bool		keep_order;		/* the text states a set of labels, not
								 * their order (prisma dialect): a plan
								 * keeps the live order */
	char	   *renamed_from;	/* @renamed, as for FmColumn */
	char	   *renamed_from_written;
} FmEnum;

/*
 * A PostgreSQL extension: declared by the datasource's extensions list
 * (schema text), or installed (catalog).  Extensions are only ever created,
 * never dropped or updated.
 */
typedef struct FmExtension
{
	char	   *name;			/* extname, as in CREATE EXTENSION */
	char	   *schema;			/* WITH SCHEMA, NULL = the default */
	char	   *version;		/* VERSION, NULL = the default */
	FmSrcPos	pos;
} FmExtension;

/*
 * A standalone sequence: one that a column default reads (nextval) and that
 * no column owns.  Schema text states it by the default alone
 * (dbgenerated("nextval('s'::regclass)"), see fm_model_derive_sequences);
 * the catalog lists the unowned sequences in the managed schemas that a
 * default of a managed table reads.  Sequences owned by a column (serial)
 * or internal to an identity column are part of their column instead.
 */
typedef struct FmSequence
{
	char	   *schema;			/* NULL = current schema */
	char	   *name;
	FmSrcPos	pos;			/* the default that names it */
	/* catalog only, never compared: its options that no text states
	 * ("AS integer, INCREMENT 50"), NULL when none; noted by pull */
	char	   *options;
	/*
	 * catalog: a default that no model states reads it (an inheriting
	 * table's or a partition's own default of an inherited column): plans
	 * never drop it
	 */
	bool		read_unstated;
} FmSequence;

typedef struct FmModel
{
	FmArena    *arena;
	FmList		schemas;		/* of char *: managed schemas (datasource) */
	FmList		extensions;		/* of FmExtension * */
	FmList		enums;			/* of FmEnum * */
	FmList		tables;			/* of FmTable * */
	FmList		sequences;		/* of FmSequence *: standalone sequences */
	/* datasource, when built from schema text */
	char	   *provider;
	char	   *url;
	/*
	 * read in the prisma dialect: a diff to this model leaves the tables
	 * PostGIS owns (spatial_ref_sys, geometry_columns) alone on both sides,
	 * as Prisma Migrate does (fm_diff)
	 */
	bool		ignore_postgis_tables;
} FmModel;

extern FmModel *fm_model_create(FmArena *arena);
extern FmTable *fm_model_add_table(FmModel *m, const char *schema, const char *name);
/* the same with schema and name kept, not copied: they live as long as m */
extern FmTable *fm_model_add_table_kept(FmModel *m, char *schema, char *name);
extern FmColumn *fm_table_add_column(FmModel *m, FmTable *t, const char *name);
/* the same with name kept, not copied: it must live as long as the model */
extern FmColumn *fm_table_add_column_kept(FmModel *m, FmTable *t, char *name);
/* a new key (no name) of the one column name, kept, not copied */
extern FmKey *fm_key_of_column(FmModel *m, char *name);
/* the rare properties of c, for setting: made (all NULL) in arena at need */
extern FmColumnMore *fm_column_more(FmArena *arena, FmColumn *c);
/* a copy of c in arena, its FmColumnMore copied too (not shared) */
extern FmColumn *fm_column_copy(FmArena *arena, const FmColumn *c);
extern FmEnum *fm_model_add_enum(FmModel *m, const char *schema, const char *name);
extern FmTable *fm_model_find_table(const FmModel *m, const char *schema, const char *name);
extern FmEnum *fm_model_find_enum(const FmModel *m, const char *schema, const char *name);
extern FmColumn *fm_table_find_column(const FmTable *t, const char *name);
/* replace schema == NULL everywhere (tables, enums, enum refs, fk refs) */
extern void fm_model_set_default_schema(FmModel *m, const char *schema);
/* qsort comparator of FmOption pointers: by name */
extern int	fm_option_cmp(const void *a, const void *b);
/* sort enums, tables and sequences by (schema, name); columns keep their order */
extern void fm_model_sort(FmModel *m);
/* add a line to t->ignore_reason: why the language cannot state t */
extern void fm_table_add_reason(FmArena *arena, FmTable *t, const char *why);

/* ---------- partitioning and inheritance (partition.c) ---------- */

/* the table's partition parent or first INHERITS parent in m, or NULL */
extern FmTable *fm_table_parent(const FmModel *m, const FmTable *t);
/* how many levels of ancestors t has in m: 0 without, else one more than its deepest parent */
extern int	fm_table_depth(const FmModel *m, const FmTable *t);

/*
 * The tables of a model by (schema, name), for code that walks lineages
 * (parents, ancestors, depths) or looks up a table per table: the first
 * table of that name, as fm_model_find_table() finds it, in constant time
 * instead of a scan (a scan per step of a walk made validation, diff and
 * pull cubic in the number of tables, in the core, which cannot be
 * cancelled).  Build it once the model's tables no longer change; the
 * depth memo (depths) is filled by fm_table_index_depth.
 */
typedef struct FmTableIndex
{
	const FmModel *m;
	FmHashMap	map;			/* (schema, name) -> the first FmTable */
	FmHashMap	depths;			/* "%p" of a table -> int *: its depth */
	void	   *stack;			/* fm_table_index_depth's, made once */
} FmTableIndex;

extern void fm_table_index_build(FmArena *arena, FmTableIndex *ix, const FmModel *m);
extern FmTable *fm_table_index_find(const FmTableIndex *ix, const char *schema,
									const char *name);
extern FmTable *fm_table_index_parent(const FmTableIndex *ix, const FmTable *t);
extern const FmTable *fm_table_index_nth_parent(const FmTableIndex *ix, const FmTable *t,
												int k, bool *more);
/* fm_table_depth(ix->m, t), memoized: linear in the tables and INHERITS lists */
extern int	fm_table_index_depth(FmArena *arena, FmTableIndex *ix, const FmTable *t);
/* do two tables have the same PARTITION BY (both NULL counts as equal)? */
extern bool fm_part_key_eq(const FmPartKey *a, const FmPartKey *b);
/* do two tables have the same INHERITS list? */
extern bool fm_inherits_eq(const FmTable *a, const FmTable *b);

/*
 * Where to cannot state partitioning or inheritance (its tables are
 * keep_unstated: the prisma dialect), keep from's: each table of to takes
 * the live table's PARTITION BY and INHERITS, and every live partition
 * whose parent to has is added to to as it is.  from may be NULL.
 */
extern void fm_model_keep_lineage(FmArena *arena, const FmModel *from,
								  FmModel *to);

/* ---------- sequences (sequence.c) ---------- */

extern FmSequence *fm_model_add_sequence(FmModel *m, const char *schema,
										 const char *name);
extern FmSequence *fm_model_find_sequence(const FmModel *m, const char *schema,
										  const char *name);
/* qsort comparator of FmSequence pointers: by (schema, name) */
extern int	fm_sequence_cmp(const void *a, const void *b);

/*
 * If expr is exactly a call nextval('<name>'::regclass) (white space and
 * the case of nextval and regclass aside), set *schema (NULL when the name
 * is not qualified) and *name to the sequence it names and return true.
 */
extern bool fm_nextval_sequence(FmArena *arena, const char *expr,
								char **schema, char **name);

/* a sequence that an expression reads with nextval() (fm_nextval_sequences) */
typedef struct FmSeqRef
{
	char	   *schema;			/* NULL: unqualified */
	char	   *name;
} FmSeqRef;

/*
 * Append to out (of FmSeqRef *) every nextval('name'::regclass) that
 * expression expr calls, inside a larger expression too
 * (lpad(nextval('s'::regclass)::text, 8, '0')); string literals and quoted
 * identifiers are skipped.  Returns how many were found.
 */
extern int	fm_nextval_sequences(FmArena *arena, const char *expr, FmList *out);

/*
 * Add to m->sequences the sequence of every column default of the form
 * nextval('s'::regclass) (schema text): a sequence that the schema does not
 * otherwise create, except when it is the sequence that a serial column of
 * the model owns (the prisma dialect's autoincrement(): <table>_<col>_seq
 * in the table's schema).  Called at the end of validation.
 */
extern void fm_model_derive_sequences(FmModel *m);

/*
 * Set to NULL the options of id that have their default for an identity
 * column of type type (format_type() spelling: smallint, integer, bigint)
 * and id's direction, so that stated and read options compare as text.
 */
extern void fm_identity_normalize(FmIdentity *id, const char *type);

/*
 * Replace every string the model holds (names, types, expressions,
 * comments, schema-language names, the datasource) with fn(arg, s, pos),
 * where pos is the position of the element the string belongs to (line 0
 * for the datasource's schemas and url).  NULL strings are not passed.
 * fn returns the string to keep (s itself when unchanged).  This is the one
 * list of the model's strings: a field added to the model is added here.
 * The backend uses it to move a parsed model from UTF-8 into the database
 * encoding, and fm_parse_schema to copy the strings the validator made in
 * the syntax tree's arena before freeing it (fm_model_adopt_strings): a
 * string field missing here would point into freed memory.
 */
typedef char *(*FmStrMapFn) (void *arg, char *s, FmSrcPos pos);
extern void fm_model_map_strings(FmModel *m, FmStrMapFn fn, void *arg);
/*
 * Copy into m->arena every string of m (fm_model_map_strings) that lies in
 * the arena from, each distinct string once, so that from can be freed:
 * the validator builds the model's strings in the arena of the syntax
 * tree and its own working structures (validate.c).  Its lookup tables
 * are built in from.
 */
extern void fm_model_adopt_strings(FmModel *m, FmArena *from);

/* ---------- naming (schema language -> database) ---------- */

/* "createdAt" -> "created_at", "HTTPServer" -> "h_t_t_p_server" */
extern char *fm_snake_case(FmArena *arena, const char *name);
extern char *fm_snake_case_words(FmArena *arena, const char *name);
/* clip to FM_MAX_IDENT_LEN bytes without splitting a UTF-8 sequence */
extern char *fm_clip_identifier(FmArena *arena, const char *name);
/*
 * PostgreSQL's makeObjectName(): name1[_name2][_label], with name1 and
 * name2 shortened (the longer one first) so that the result fits in
 * FM_MAX_IDENT_LEN bytes.  name2 may be NULL.
 */
extern char *fm_make_object_name(FmArena *arena, const char *name1,
								 const char *name2, const char *label);
/* name2 for a column list: columns joined with "_" (as ChooseIndexNameAddition) */
extern char *fm_column_list_name(FmArena *arena, const FmList *columns);
extern char *fm_index_name_columns(FmArena *arena, const FmIndex *ix);
/*
 * The same parts built without copies, for the validator's names pass:
 * the column part written into out (FM_COLUMN_PART_SIZE bytes,
 * NUL-terminated; returns its length), and fm_make_object_name over
 * strings of known lengths (returns the name, its length in *len).
 */
#define FM_COLUMN_PART_SIZE (2 * FM_MAX_IDENT_LEN + 2)
extern size_t fm_column_list_part(char *out, const FmList *columns);
extern size_t fm_index_column_part(char *out, const FmIndex *ix);
extern char *fm_make_object_name_len(FmArena *arena, const char *name1,
									 size_t name1len, const char *name2,
									 size_t name2len, const char *label,
									 size_t labellen, size_t *len);

#endif							/* FM_MODEL_H */
