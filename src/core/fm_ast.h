/*-------------------------------------------------------------------------
 *
 * fm_ast.h
 *	  Syntax tree of the ferriorm schema language, with source positions.
 *
 * The parser (parser.c) builds it with no knowledge of what attributes
 * mean; the validator (validate.c) resolves it into the model; the
 * formatter (format.c) prints it back canonically, which is why comments
 * are kept.
 *
 * src/core/fm_ast.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_AST_H
#define FM_AST_H

#include <stddef.h>

#include "fm_dialect.h"
#include "fm_model.h"

typedef enum FmAstValueKind
{
	FM_VAL_STRING,				/* "..." : text holds the unescaped contents */
	FM_VAL_NUMBER,				/* -1, 2.5 : text holds it as written */
	FM_VAL_IDENT,				/* Cascade, true, Desc, a.b : text */
	FM_VAL_ARRAY,				/* [a, b(sort: Desc)] : items */
	FM_VAL_CALL,				/* now(), dbgenerated("x"), b(sort: Desc) */
	FM_VAL_OBJECT				/* { deleted: false } : args (each named) */
} FmAstValueKind;

typedef struct FmAstValue FmAstValue;

typedef struct FmAstArg
{
	char	   *name;			/* NULL for a positional argument */
	FmAstValue *value;
	FmSrcPos	pos;
} FmAstArg;

/*
 * The STRING, NUMBER and IDENT values the parser makes (most values) end
 * before the union, which they do not use: FM_AST_SCALAR_VALUE_SIZE bytes.
 * So read items or args only of a value of their kind, and never copy a
 * value as a whole (*a = *b).
 */
struct FmAstValue
{
	FmAstValueKind kind;
	uint32_t	text_len;		/* STRING: may contain NUL after escapes */
	char	   *text;			/* STRING/NUMBER/IDENT; CALL: function name */
	FmSrcPos	pos;
	union						/* by kind: read only the one of the kind */
	{
		FmList		items;		/* ARRAY: of FmAstValue * */
		FmList		args;		/* CALL, OBJECT: of FmAstArg * */
	};							/* last: see above */
};

#define FM_AST_SCALAR_VALUE_SIZE offsetof(FmAstValue, items)

/*
 * A string literal written with escapes, as written: Prisma's formatter
 * keeps string literals as they are ("\u00e9" stays "\u00e9"), while the
 * tree holds their unescaped text.
 */
typedef struct FmAstRawString
{
	const FmAstValue *value;	/* the STRING value */
	char	   *raw;			/* quotes included, NUL-terminated */
} FmAstRawString;

typedef struct FmAstAttribute
{
	char	   *name;			/* without @ / @@: "id", "db.VarChar", "index" */
	bool		block;			/* @@ */
	bool		has_parens;		/* @default() vs @id */
	FmList		args;			/* of FmAstArg * */
	FmSrcPos	pos;			/* of the '@' */
} FmAstAttribute;

/* Comments kept for the formatter; the validator only reads doc. */
typedef struct FmAstComments
{
	FmList		leading;		/* of char *: whole comment lines above, as written */
	char	   *trailing;		/* "// ..." on the same line, or NULL */
	char	   *doc;			/* "///" lines joined with '\n', marker stripped */
	int			blank_lines_before; /* >0 : a blank line preceded it */
} FmAstComments;

/*
 * A model field, an enum value (type_name == NULL), or a key = value entry
 * of datasource/generator (value != NULL).
 */
typedef struct FmAstField
{
	char	   *name;
	FmSrcPos	pos;
	/* model field */
	char	   *type_name;		/* "String", "User", "Unsupported" */
	FmList	   *type_args;		/* Unsupported("..."): of FmAstArg *; NULL
								 * without parentheses (most fields) */
	FmSrcPos	type_pos;
	bool		optional;		/* ? */
	bool		list;			/* [] */
	bool		type_has_parens;	/* Unsupported(...) */
	bool		list_apart;		/* "[ ]": something between the brackets */
	bool		type_paren_apart;	/* white space or a comment between the
									 * type and its "(" (Prisma's grammar
									 * refuses it) */
	FmList		attrs;			/* of FmAstAttribute * (field @attributes) */
	/* key = value entry */
	FmAstValue *value;
	FmAstComments *comments;	/* NULL when it has none (FM_AST_COMMENTS) */
} FmAstField;

typedef enum FmAstBlockKind
{
	FM_BLOCK_DATASOURCE,
	FM_BLOCK_GENERATOR,
	FM_BLOCK_MODEL,
	FM_BLOCK_ENUM,
	FM_BLOCK_UNKNOWN			/* reported by the parser, kept for recovery */
} FmAstBlockKind;

typedef struct FmAstBlock
{
	FmAstBlockKind kind;
	char	   *keyword;		/* as written */
	char	   *name;
	FmSrcPos	pos;			/* of the keyword */
	FmSrcPos	name_pos;
	FmList		fields;			/* of FmAstField *, in order */
	FmList		attrs;			/* of FmAstAttribute *: @@block attributes */
	/* formatter: the order of fields and @@attributes as written */
	FmList		members;		/* of FmAstMember *; fm_ast_parse only */
	FmAstComments comments;
	FmList		trailing_comments;	/* of char *: comments before '}' */
	/*
	 * A model block of a tree parsed by block (fm_ast_parse_model_by_block):
	 * the arena that holds its members (fields, attributes, arguments and
	 * values, except a field's @relation: FmAstSchema.relations), shared
	 * with the model blocks around it; the block itself, its strings and
	 * comments are in the tree's arena.  NULL otherwise.
	 */
	FmArena    *nodes;
	/*
	 * Where in nodes its members lie (by block only; both NULL when
	 * unknown): the validator prefetches the next model's while it works
	 * on this one (fm_prefetch_range).  When the members outgrew a block
	 * of the arena, the part in the last block.
	 */
	const char *nodes_lo;
	const char *nodes_hi;
	/* added by the parser: */
	FmSrcPos	end_pos;		/* of the closing '}' (0 if missing) */
	char	   *end_comment;	/* "// ..." after the '}' on its line, or NULL */
	bool		end_comment_blank_after;	/* it ends with a block comment
											 * followed by blanks
											 * (FmToken.blank_after) */
	int			brace_line;		/* the line of its "{" when a member
								 * follows it on that line (which Prisma's
								 * grammar skips), else 0 */
} FmAstBlock;

typedef struct FmAstMember
{
	FmAstField *field;			/* exactly one is set */
	FmAstAttribute *attr;
	FmAstComments *comments;	/* attrs only; fields keep their own */
} FmAstMember;

typedef struct FmAstSchema
{
	FmList		blocks;			/* of FmAstBlock * */
	FmList		trailing_comments;	/* of char *: after the last block */
	FmList		trailing_commas;	/* of FmSrcPos *: a comma right before
									 * the ")" or "]" that closes arguments
									 * or a list (Prisma rejects it) */
	FmList		exponent_numbers;	/* of FmAstValue *: a number written
									 * with an exponent, "1e10" (Prisma's
									 * grammar has none) */
	FmList		mid_comments;	/* of FmToken * (fm_lexer.h): block comments
								 * in the middle of a line
								 * (FmLexer.mid_comments) */
	FmList		odd_names;		/* of FmToken * (fm_lexer.h): identifiers
								 * that start with "_" or a digit or have
								 * a "-", strings with a control character
								 * (FmLexer.odd_names) */
	FmList		brace_next_line;	/* of FmSrcPos *: the name of a block
									 * whose "{" is on the next line
									 * (Prisma's grammar wants it on the
									 * name's line) */
	FmList		multiline;		/* of FmSrcPos *: the opening bracket of
									 * arguments or a list that spans lines
									 * (Prisma's grammar keeps each on one
									 * line); the outermost only */
	FmList		raw_strings;	/* of FmAstRawString *: the string literals
								 * whose text differs from what is written
								 * between their quotes (escapes); only
								 * fm_ast_parse keeps them (the formatter's
								 * parse) */
	int			nerrors;		/* syntax errors reported by fm_ast_parse */
	FmList		node_arenas;	/* of FmArena *: the FmAstBlock.nodes arenas
								 * (by block only), NULL once freed */
	FmArena    *relations;		/* by block only: the fields' @relation
								 * attributes, which the validator reads
								 * until it has paired the relations;
								 * NULL once freed */
} FmAstSchema;

/* the number of arguments of a field's type, and the i-th (FmAstArg *) */
#define FM_AST_TYPE_NARGS(f) ((f)->type_args ? (f)->type_args->n : 0)
#define FM_AST_TYPE_ARG(f, i) fm_list_get((f)->type_args, (i), FmAstArg)

/* the comments of a field: never NULL (none: all empty) */
extern const FmAstComments fm_ast_no_comments;
#define FM_AST_COMMENTS(f) ((f)->comments ? (f)->comments : &fm_ast_no_comments)

/*
 * Comment lists (FmAstComments.leading, the trailing_comments lists) hold
 * each comment line as written ("// x", "/// x"), trailing blanks included
 * (the ferriorm layout and doc comments drop them); an empty
 * string "" stands for a blank line between comments (leading: also between
 * the last comment and the element; trailing_comments: also before the
 * first comment).  Comments written inside an element's brackets are moved
 * to its leading comments.  Trailing "//" comments of an element's line
 * that start with "///" are also added to doc.
 */

/*
 * Lex and parse.  Syntax errors go to diags (all of them: the parser
 * recovers at the next line / block); the returned tree holds whatever
 * could be parsed and is never NULL.
 */
extern FmAstSchema *fm_ast_parse(FmArena *arena, const char *text, size_t len,
								 FmDiagList *diags);
/*
 * The same tree without FmAstBlock.members (and so without the comments
 * of block attributes): all that validation reads, in less memory.
 */
extern FmAstSchema *fm_ast_parse_model(FmArena *arena, const char *text,
									   size_t len, FmDiagList *diags);

/*
 * The same, with the nodes of model blocks in arenas of their own, a chunk
 * of consecutive blocks each (FmAstBlock.nodes), so that validation can free
 * each chunk once it has read it (fm_ast_validate_in) and a large schema
 * never holds its whole tree beside its whole model.  Free what is left with
 * fm_ast_free_nodes before arena is freed.
 */
extern FmAstSchema *fm_ast_parse_model_by_block(FmArena *arena, const char *text,
												size_t len, FmDiagList *diags);
/*
 * free every node arena of ast (parsed by block) still held, and its
 * relations arena; idempotent
 */
extern void fm_ast_free_nodes(FmAstSchema *ast);

/*
 * Take out of ast's blocks the members (fields, enum values, entries,
 * block attributes) written on the line of their block's "{", as Prisma's
 * grammar skips the rest of that line; appends the position of each one
 * taken to dropped (of FmSrcPos *, in arena) when not NULL.
 */
extern void fm_ast_drop_brace_line(FmArena *arena, FmAstSchema *ast,
								   FmList *dropped);

/*
 * Resolve a tree into the model; semantic errors and warnings to diags.
 * A tree parsed by block loses the members of its model blocks as the
 * validator goes (FmAstBlock.nodes): validate such a tree once.
 */
extern FmModel *fm_ast_validate(FmArena *arena, FmAstSchema *ast,
								FmDialectKind dialect, FmDiagList *diags);
/*
 * The same, with the validator's working structures and many of the
 * model's strings in tree, the arena of the syntax tree: call
 * fm_model_adopt_strings(model, tree) before tree is freed.
 */
extern FmModel *fm_ast_validate_in(FmArena *arena, FmArena *tree,
								   FmAstSchema *ast,
								   FmDialectKind dialect, FmDiagList *diags);
/* the key = value entry key of block b (datasource, generator), or NULL */
extern FmAstField *fm_ast_block_entry(const FmAstBlock *b, const char *key);
/* the previewFeatures strings of every generator block, into out */
extern void fm_ast_preview_features(FmArena *arena, const FmAstSchema *ast,
									FmList *out);
/* the dialect a schema is in: dialect itself unless it is FM_DIALECT_AUTO */
extern FmDialectKind fm_ast_dialect(const FmAstSchema *ast,
									FmDialectKind dialect);

/* Print a tree canonically (the ferriorm dialect's layout). */
extern char *fm_ast_format(FmArena *arena, const FmAstSchema *ast);
/* ... in the layout of a dialect (the prisma dialect's is Prisma's own) */
extern char *fm_ast_format_dialect(FmArena *arena, const FmAstSchema *ast,
								   FmDialectKind dialect);

#endif							/* FM_AST_H */
