/*-------------------------------------------------------------------------
 *
 * fm_print.h
 *	  Print: the schema model (fm_model.h) as canonical schema text, the
 *	  other direction of validate.  ferriorm_pull prints the introspected
 *	  model with it.
 *
 * Print builds a syntax tree (fm_ast.h) and hands it to the formatter
 * (fm_ast_format), so its output is formatted exactly as ferriorm_format
 * formats: format(print(m)) == print(m) by construction.
 *
 * Where a name needs @map/@@map is decided by a dialect's naming rules
 * (FmNaming): print chooses a schema-language name, asks the dialect which
 * database name it would derive from it, and maps when the two differ.
 * Constraint and index names get map: when the validator would not derive
 * them: print parses its own text again and compares.
 *
 * src/core/fm_print.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_PRINT_H
#define FM_PRINT_H

#include "fm_ast.h"
#include "fm_dialect.h"

/*
 * A dialect's naming rules: the database name it derives from a
 * schema-language name.  The result is an arena string.
 */
typedef struct FmNaming
{
	FmDialectKind kind;			/* the dialect the printed text is read in */
	char	   *(*table_name) (FmArena *arena, const char *model);
	char	   *(*column_name) (FmArena *arena, const char *field);
	char	   *(*enum_type_name) (FmArena *arena, const char *enum_name);
	char	   *(*enum_label) (FmArena *arena, const char *variant);
} FmNaming;

/* ferriorm: tables snake_case + "s", everything else snake_case (dialect.c) */
extern const FmNaming fm_naming_ferriorm;
/* prisma: every name as written (print_prisma.c names as Prisma's db pull) */
extern const FmNaming fm_naming_prisma;

typedef struct FmPrintOptions
{
	const FmNaming *naming;		/* NULL: fm_naming_ferriorm */
	/*
	 * Print the datasource's schemas = [...] and @@schema on every model
	 * and enum.  Otherwise the model must have exactly one schema, the
	 * current schema of whoever plans the text.
	 */
	bool		print_schemas;
	const char *url;			/* datasource url value; NULL: env("DATABASE_URL") */
	FmList		extensions;		/* of FmExtension *: datasource extensions,
								 * with their schema when it is not
								 * current_schema (name and schema only) */
	/*
	 * The schema unqualified names are created in where the text is applied:
	 * the puller's current schema.  An operator class there is printed
	 * unqualified in the prisma dialect (as Prisma writes them), one
	 * elsewhere qualified.  NULL: none (every one qualified).
	 */
	const char *current_schema;
	/*
	 * Re-pull: schema text printed (and perhaps edited) before.  Its model,
	 * enum, field and relation field names, and its doc comments where the
	 * database has none, are kept.  NULL: none.
	 */
	const char *previous;
	size_t		previous_len;
	/*
	 * Re-pull: the views of the pulled schemas, each as "schema\x01name"
	 * (plain and materialized).  A view block of the previous text whose
	 * view is here is printed as it was written, with the relation fields
	 * of models that point at it; the others are left out.
	 */
	FmList		live_views;
	/*
	 * Re-pull: the plain views of the pulled schemas as tables of their
	 * columns (names and types only), in the order they were made.  Those the
	 * previous text has no block for are printed when it enables views
	 * (print_views.c).  Empty without a previous text.
	 */
	FmList		live_view_columns;	/* of FmTable */
} FmPrintOptions;

/*
 * The model as schema text.  The model's tables and enums must all have
 * their schema set and be sorted (fm_model_sort).  Tables the language
 * cannot state exactly are printed with a "/// @preserve(reason: ...)"
 * line per reason (t->ignore_reason, set by the caller, or a reason print
 * finds); tables without a key with @@ignore.
 * Returns NULL only when the printed text does not validate (a bug); the
 * diagnostics are then in diags.  When the previous text's view blocks
 * make it invalid (a view whose relation names a model that is gone), it
 * is printed again without them, and a warning in diags says so.
 */
extern char *fm_print_schema(FmArena *arena, const FmModel *model,
							 const FmPrintOptions *opt, FmDiagList *diags);

/* Name helpers, exported for tests. */
/* "blog_post" -> "BlogPost"; separators and non-ASCII dropped */
extern char *fm_pascal_case(FmArena *arena, const char *s);
/* "created_at" -> "createdAt" */
extern char *fm_camel_case(FmArena *arena, const char *s);
/* "categories" -> "category", "statuses" -> "status", "users" -> "user" */
extern char *fm_singular(FmArena *arena, const char *s);
/* irregular plurals ("people" <-> "person"), or NULL when s is not one */
extern char *fm_irregular_plural(FmArena *arena, const char *s, bool to_plural);

#endif							/* FM_PRINT_H */
