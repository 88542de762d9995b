/*-------------------------------------------------------------------------
 *
 * fm_dialect.h
 *	  Dialects of the schema language: which database a schema describes.
 *
 * One schema text can mean two databases.  The "ferriorm" dialect is the
 * one of the ferriorm ORM's generated client (snake_case names, tables in
 * the plural, identity columns, timestamptz); the "prisma" dialect is the
 * database Prisma Migrate creates from the same text (names as written,
 * timestamp(3), SERIAL, unique indexes).  Every difference between the two
 * is a row of the table in dialect.c; validation (and later printing)
 * consult it and never test the dialect themselves.
 *
 * src/core/fm_dialect.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_DIALECT_H
#define FM_DIALECT_H

#include "fm_model.h"

typedef enum FmDialectKind
{
	FM_DIALECT_AUTO = 0,		/* prisma when a generator's provider starts
								 * with "prisma", else ferriorm */
	FM_DIALECT_FERRIORM,
	FM_DIALECT_PRISMA
} FmDialectKind;

/* What a derived database name is for. */
typedef enum FmNameKind
{
	FM_NAME_TABLE,				/* model -> table */
	FM_NAME_COLUMN,				/* field -> column */
	FM_NAME_ENUM,				/* enum -> type */
	FM_NAME_LABEL				/* enum value -> label */
} FmNameKind;

/* How constraint and index names are chosen. */
typedef enum FmConNaming
{
	FM_CON_POSTGRES,			/* makeObjectName(), numbered on clashes */
	FM_CON_PRISMA				/* Prisma's ConstraintNames: clipped, never
								 * numbered; clashes are errors */
} FmConNaming;

typedef struct FmDialect
{
	FmDialectKind kind;
	const char *name;			/* "ferriorm", "prisma" */
	bool		snake_case;		/* derive names in snake_case */
	bool		plural_tables;	/* tables add "s" */
	FmConNaming con_naming;
	bool		unique_as_index;	/* @unique / @@unique: unique index */
	const char *datetime_sql;	/* the type of DateTime */
	const char *decimal_sql;	/* the type of Decimal */
	FmAutoinc	autoinc;		/* what autoincrement() makes */
	bool		uuid_db_default;	/* uuid() is also a database default */
	/*
	 * The join table's primary key and B index: NULL = named like any
	 * other (con_naming), else these suffixes after the table's name
	 * clipped to fit ("_AB_pkey", "_B_index": Prisma's)
	 */
	const char *m2m_pkey_suffix;
	const char *m2m_index_suffix;
	/*
	 * The join table's foreign keys: NULL = named like any other, else
	 * "_<column>" and this suffix after the table's name clipped to fit
	 * ("_A_fkey": Prisma clips the table name alone, so that the two keys
	 * of a long join table keep distinct names)
	 */
	const char *m2m_fkey_suffix;
	/*
	 * A join table name over FM_MAX_IDENT_LEN bytes ("_<relation name>",
	 * "_<A>To<B>") is clipped to fit (Prisma's), not an error
	 */
	bool		m2m_clip_table;
	/*
	 * A table, column or enum type name over FM_MAX_IDENT_LEN bytes (the
	 * model's, field's or enum's own name, or an @map/@@map) is clipped as
	 * PostgreSQL clips identifiers, with a warning: Prisma writes it whole
	 * and PostgreSQL shortens it.  false: an error
	 */
	bool		clip_long_names;
	bool		doc_comments;	/* "///" comments become COMMENT ON */
	/*
	 * The order of an enum's labels is part of the type: a plan recreates
	 * an enum whose live labels are in another order.  Prisma Migrate
	 * compares label sets (values only added or removed): false
	 */
	bool		enum_label_order;
	/*
	 * "@db.BigInt" may widen an Int field to bigint (the ferriorm ORM's
	 * spelling for an i64 field); Prisma takes it on BigInt fields only
	 */
	bool		int_db_bigint;
} FmDialect;

/* The dialect of kind (FM_DIALECT_AUTO is not a dialect: resolve first). */
extern const FmDialect *fm_dialect(FmDialectKind kind);

/* "auto", "ferriorm", "prisma" -> kind; false when unknown */
extern bool fm_dialect_from_name(const char *name, FmDialectKind *out);

/* The database name derived from a schema-language name. */
extern char *fm_dialect_derive(const FmDialect *d, FmArena *arena,
							   FmNameKind what, const char *name);

/* The SQL type (format_type() spelling) of a scalar type, or NULL. */
extern const char *fm_dialect_scalar_sql(const FmDialect *d,
										 const char *scalar);

/*
 * Prisma's name for a constraint or index: table_cols_suffix (cols may be
 * NULL: table_suffix), the front clipped so that the whole fits in
 * FM_MAX_IDENT_LEN bytes, without splitting a UTF-8 character.
 */
extern char *fm_dialect_prisma_name(FmArena *arena, const char *table,
									const char *cols, const char *suffix);

/*
 * A name Prisma reserves for models and enums (psl's reserved model names:
 * PrismaClient and the reserved words of JavaScript, "class", "delete",
 * "async"...): its validator refuses it, its introspection renames it.
 */
extern bool fm_prisma_reserved_name(const char *name);

/*
 * The name of the foreign key on column col ("A" or "B") of join table
 * table in dialect d (m2m_fkey_suffix), NULL when d names it like any other.
 */
extern char *fm_dialect_m2m_fkey_name(const FmDialect *d, FmArena *arena,
									  const char *table, const char *col);

/*
 * Prisma's name of operator class sql in an index of access method method
 * ("jsonb_path_ops", "gin" -> "JsonbPathOps"), or NULL when Prisma has
 * none (then only raw("...") states it).  validate_model.c holds the table.
 */
extern const char *fm_opclass_prisma_name(const char *sql, const char *method);

/*
 * Does Prisma's validator take a field of type type_name (a scalar such as
 * "Int", an enum's name, or "Unsupported"), native type native ("JsonB",
 * without "db."; NULL when none), a list when list, in an @@index of type
 * method ("gin", "gist", "spgist", "brin", "btree", "hash") without an
 * operator class (ops:)?  validate_index.c, whose checks it states.
 */
extern bool fm_prisma_index_takes(const char *method, const char *type_name,
								  const char *native, bool list);

#endif							/* FM_DIALECT_H */
