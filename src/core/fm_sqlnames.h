/*-------------------------------------------------------------------------
 *
 * fm_sqlnames.h
 *	  SQL names as PostgreSQL reads them, for validation: qualified names
 *	  written as SQL text, the names PostgreSQL predefines, and the column
 *	  references of an SQL expression.
 *
 * src/core/fm_sqlnames.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_SQLNAMES_H
#define FM_SQLNAMES_H

#include "fm_model.h"

/* sqlnames_data.c: PostgreSQL 15's keywords and pg_catalog type names */
typedef struct FmKeyword
{
	const char *word;
	bool		unreserved;		/* a name in expressions (catcode 'U') */
} FmKeyword;

extern const FmKeyword fm_sql_keywords[];
extern const int fm_sql_keywords_count;
extern const char *const fm_pg_catalog_types[];
extern const int fm_pg_catalog_types_count;

/* is s (lower case, exact) a keyword of PostgreSQL's grammar? */
extern bool fm_is_sql_keyword(const char *s);
/* is s (lower case, exact) an unreserved keyword (a name in expressions)? */
extern bool fm_is_unreserved_keyword(const char *s);
/* is s (exact) the name of a type in pg_catalog? */
extern bool fm_is_pg_catalog_type(const char *s);

/*
 * Split SQL text naming an object, possibly qualified ("text_pattern_ops",
 * "pg_catalog.text_pattern_ops", "\"My Ops\"", "s.\"a.b\""), into its
 * parts as PostgreSQL's parser reads them: parts separated by ".", white
 * space around them ignored, an unquoted part lower-cased (ASCII) and made
 * of letters, digits, "_", "$" and non-ASCII bytes (not starting with a
 * digit or "$"), a quoted part taken literally with "" read as ".  Every
 * part is non-empty and at most FM_MAX_IDENT_LEN (63) bytes.
 *
 * Returns NULL and appends 1 to max_parts parts (char *, unquoted, in
 * arena) to parts, or returns a short phrase saying what is wrong ("an
 * unterminated quoted name") and leaves parts as it was.
 */
extern const char *fm_split_qualified_name(FmArena *arena, const char *text,
										   int max_parts, FmList *parts);

/*
 * The first name in expr (SQL text, as in a CHECK constraint) that reads
 * as a column reference and for which is_column(name, arg) is false, or
 * NULL when there is none.  A column reference is an identifier that is
 * not a reserved keyword, not qualified or a qualifier ("a.b"), not called
 * ("f("), not a type ("::t", "AS t", "t 'literal'", the words of "::double
 * precision"), not a collation ("COLLATE x"), not a named argument ("a =>
 * 1"), not an EXTRACT field, and, for an unreserved keyword, not a word of
 * a phrase ("AT TIME ZONE", "'1' day", "IS DOCUMENT"); unquoted names are
 * lower-cased as PostgreSQL does.  It errs towards finding nothing.  Text that does not lex (an
 * unterminated string or comment) has no references: PostgreSQL reports
 * it.  Used to refuse, at validation, CHECKs that name no column of their
 * table (a plan with them could never apply, or never converge).
 */
extern bool fm_expr_names_any(const char *expr, const FmList *names);
extern const char *fm_expr_unknown_column(FmArena *arena, const char *expr,
										  bool (*is_column) (const char *name, void *arg),
										  void *arg);

/*
 * Why SQL text that the schema gives as an expression or a type
 * (dbgenerated(), @@check, where:, Unsupported()) cannot stay inside the
 * clause it is rendered into, or NULL when it can: it must lex completely
 * (no unterminated string, quoted name or comment, and no -- comment at its
 * very end, which would swallow what follows), with balanced parentheses
 * and brackets and no semicolon outside strings, read both with
 * standard_conforming_strings on and off.  Such text is deliberately SQL
 * and rendered as written; this check keeps it from ending the statement.
 */
extern const char *fm_sql_fragment_problem(FmArena *arena, const char *expr);

/*
 * What keeps expr from being one item of a comma-separated list, or NULL:
 * fm_sql_fragment_problem's checks, and a comma outside parentheses,
 * brackets and strings.  A column's type (Unsupported("...")) and default
 * (dbgenerated("...")) are rendered bare into ALTER TABLE, whose
 * sub-commands a comma separates: "1, DROP COLUMN s" as a default would
 * add a sub-command no plan shows (no hazard counted, allow_data_loss
 * bypassed).  No type name or expression has such a comma.
 */
extern const char *fm_sql_item_problem(FmArena *arena, const char *expr);

/*
 * Is bound, the text after FOR VALUES of a partition, held to its clause:
 * outside parentheses only the words FROM, TO, IN and WITH (any case),
 * starting with FROM, IN or WITH, read as PostgreSQL's scanner reads it
 * (comments, dollar quotes, E'' strings) with standard_conforming_strings
 * on and off?  A comment or string could otherwise hide a ")" and let a
 * bound add a clause (") PARTITION BY LIST (id)").
 */
extern bool fm_sql_bound_shape_ok(FmArena *arena, const char *bound);

/*
 * Whether SQL expression expr must be parenthesized to be the DEFAULT of a
 * column definition (CREATE TABLE, ADD COLUMN), where PostgreSQL's grammar
 * takes only a restricted expression (b_expr): true when a word of the
 * full expression grammar alone (AND, OR, NOT, IS, IN, LIKE, ILIKE,
 * SIMILAR, BETWEEN, COLLATE, AT TIME ZONE, ANY/ALL/SOME, OVERLAPS, ISNULL,
 * NOTNULL) stands outside every parenthesis, bracket and CASE ... END.
 * Unparenthesized, such a default is a syntax error, or worse, COLLATE is
 * read as the column's own collation.  Parentheses never change what a
 * complete expression means; they are added only where needed so that the
 * DDL of every other default reads as written.  Text that does not lex:
 * false (fm_sql_fragment_problem refuses it first).
 */
extern bool fm_sql_default_needs_parens(FmArena *arena, const char *expr);

/*
 * Enums of m with no schema (the current schema, resolved by the server)
 * whose database name is the name of a pg_catalog type: rendered
 * unqualified, that name would mean the built-in type, since pg_catalog
 * comes first on every search_path.  Adds an error to diags for each and
 * returns how many.  The backend resolves every schema before rendering
 * (and then qualifies every enum); this is for the offline diff.
 */
extern int	fm_check_unqualified_types(const FmModel *m, FmDiagList *diags);

#endif							/* FM_SQLNAMES_H */
