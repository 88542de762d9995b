/*-------------------------------------------------------------------------
 *
 * fm_normalize_int.h
 *	  The tokens of SQL expressions that the offline normalizer reads:
 *	  shared by its lexer (normalize_lex.c) and its parser (normalize.c).
 *
 * src/core/fm_normalize_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_NORMALIZE_INT_H
#define FM_NORMALIZE_INT_H

#include "fm_util.h"

typedef enum TokKind
{
	T_EOF,
	T_IDENT,					/* unquoted: lower-cased */
	T_QIDENT,					/* quoted: contents */
	T_STRING,					/* contents, unescaped */
	T_NUMBER,
	T_OP,
	T_LPAREN,
	T_RPAREN,
	T_LBRACK,
	T_RBRACK,
	T_COMMA,
	T_DOT,
	T_CAST,
	T_PARAM,
	T_OTHER
} TokKind;

typedef struct Tok
{
	TokKind		k;
	char	   *text;
} Tok;

/*
 * Split the expression text s into tokens, appended to out (Tok *), always
 * ending with one T_EOF token (normalize_lex.c).
 */
extern void fm_norm_tokenize(FmArena *a, const char *s, FmList *out);

#endif							/* FM_NORMALIZE_INT_H */
