/*-------------------------------------------------------------------------
 *
 * fm_lexer.h
 *	  Internal interface of the schema-language lexer (lexer.c), used by
 *	  the parser (parser.c) only.
 *
 * The lexer works on demand, one token at a time, so that diagnostics come
 * out in source order and the error cap stops lexing and parsing together.
 * Columns are counted in characters (code points); every byte of an
 * invalid UTF-8 sequence counts as one character.
 *
 * src/core/fm_lexer.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_LEXER_H
#define FM_LEXER_H

#include "fm_model.h"

/* Most syntax errors reported for one text; then "too many errors". */
#define FM_MAX_SYNTAX_ERRORS 100

/* Shared, capped sink for syntax errors. */
typedef struct FmSyntaxErrs
{
	FmDiagList *diags;
	FmArena    *arena;
	int			count;			/* errors reported, not counting the cap note */
	bool		stopped;		/* cap reached: lexer returns only EOF */
} FmSyntaxErrs;

extern void fm_syntax_error(FmSyntaxErrs *errs, FmSrcPos pos,
							const char *fmt,...) FM_PRINTF(3, 4);

typedef enum FmTokKind
{
	FM_TOK_EOF,
	FM_TOK_NEWLINE,				/* one token for a run of line ends */
	FM_TOK_IDENT,
	FM_TOK_STRING,
	FM_TOK_NUMBER,
	FM_TOK_COMMENT,				/* text: "// ..." as written, less a
								 * final carriage return */
	FM_TOK_LBRACE,
	FM_TOK_RBRACE,
	FM_TOK_LPAREN,
	FM_TOK_RPAREN,
	FM_TOK_LBRACKET,
	FM_TOK_RBRACKET,
	FM_TOK_COMMA,
	FM_TOK_COLON,
	FM_TOK_EQUALS,
	FM_TOK_QUESTION,
	FM_TOK_AT,
	FM_TOK_ATAT,
	FM_TOK_DOT
} FmTokKind;

typedef struct FmToken
{
	FmTokKind	kind;
	FmSrcPos	pos;
	size_t		off;			/* byte offset of its first character */
	char	   *text;			/* IDENT, NUMBER, COMMENT, STRING (unescaped);
								 * IDENT, NUMBER and STRING texts are interned
								 * (fm_intern): never modify them */
	size_t		text_len;
	const char *raw;			/* STRING with escapes: the literal as
								 * written, quotes included, in the input
								 * (raw_len bytes); NULL otherwise */
	size_t		raw_len;
	bool		first_on_line;	/* nothing but blanks before it on its line */
	bool		blank_before;	/* an empty line separates it from the
								 * previous token */
	bool		doc;			/* COMMENT: starts with "///" */
	bool		blank_after;	/* a block COMMENT followed by blanks and the
								 * end of its line: Prisma's formatter then
								 * leaves an empty line after it */
} FmToken;

typedef struct FmLexer
{
	const unsigned char *p;
	const unsigned char *end;
	const unsigned char *start;	/* of the text */
	int			line;
	int			col;
	bool		first;			/* the next token's first_on_line: no token
								 * was returned on this line yet */
	bool		blank;			/* the next token's blank_before: more than
								 * one line end since the previous token */
	FmSyntaxErrs *errs;
	FmArena    *arena;
	FmInterner	names;			/* token texts, each held once */
	FmBuf		scratch;		/* a string literal being unescaped */
	FmList	   *odd_names;		/* of FmToken * (copies): identifiers that
								 * start with "_" or a digit, or have a
								 * "-" ("my-gen", "1gen": Prisma's grammar
								 * takes the last two, and only in a few
								 * places), and string literals with a
								 * control character as written; NULL: not
								 * collected */
	FmList	   *mid_comments;	/* of FmToken * (copies): block comments
								 * after a token of their line (not a brace)
								 * and before another token or comment of
								 * it (Prisma's grammar refuses them); NULL:
								 * not collected */
} FmLexer;

extern void fm_lexer_init(FmLexer *lx, FmArena *arena, FmSyntaxErrs *errs,
						  const char *text, size_t len);
extern void fm_lexer_next(FmLexer *lx, FmToken *tok);

/*
 * Decode one UTF-8 sequence at p (at most n bytes available).  Returns its
 * length (1-4) and sets *cp, or 0 when invalid (overlong, surrogate, out of
 * range, truncated).
 */
extern int	fm_utf8_decode(const unsigned char *p, size_t n, unsigned int *cp);

/*
 * Is code point cp (>= 0x80) a letter of an identifier, as Prisma's schema
 * parser takes them (Unicode general category L; unicode_letter.c)?
 */
extern bool fm_unicode_is_letter(unsigned int cp);

#endif							/* FM_LEXER_H */
