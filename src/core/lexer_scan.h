/*-------------------------------------------------------------------------
 *
 * lexer_scan.h
 *	  The byte classes of the lexer (lexer.c), and word-at-a-time scanning
 *	  for its fast paths: runs of blanks, and the end of an ASCII
 *	  identifier, found 8 bytes at a time instead of byte by byte.
 *
 * A word is 8 bytes of text loaded by fm_load64 (fm_util.h), in the
 * machine's byte order; the callers make sure the 8 bytes are there.
 * These need the compiler's count of trailing (or leading) zero bits:
 * without it (not GCC nor Clang) HAVE_WORD_SCAN is not defined and the
 * lexer goes byte by byte.
 *
 * src/core/lexer_scan.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef LEXER_SCAN_H
#define LEXER_SCAN_H

#include "fm_lexer.h"
#include "fm_util.h"

/* the bytes that continue an identifier: is_ident_start() (lexer.c) and digits */
static const bool ident_char[256] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
	['7'] = 1, ['8'] = 1, ['9'] = 1, ['_'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
	['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
	['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
	['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
	['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
	['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
	['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
};

/*
 * What a token that starts with byte c is, for fm_lexer_next's dispatch:
 * the kind of a one-byte punctuation token (FM_TOK_LBRACE to FM_TOK_DOT;
 * "@" may be "@@"), one of the classes below, above them all, or 0: lex_any
 * decides.
 */
#define LEX_NAME	32			/* an ASCII letter or "_": lex_name */
#define LEX_DIGIT	33			/* lex_digits */
#define LEX_QUOTE	34			/* lex_string */
#define LEX_NEWLINE 35			/* "\n" */

static const unsigned char lex_class[256] = {
	['{'] = FM_TOK_LBRACE, ['}'] = FM_TOK_RBRACE,
	['('] = FM_TOK_LPAREN, [')'] = FM_TOK_RPAREN,
	['['] = FM_TOK_LBRACKET, [']'] = FM_TOK_RBRACKET,
	[','] = FM_TOK_COMMA, [':'] = FM_TOK_COLON, ['='] = FM_TOK_EQUALS,
	['?'] = FM_TOK_QUESTION, ['.'] = FM_TOK_DOT, ['@'] = FM_TOK_AT,
	['"'] = LEX_QUOTE, ['\n'] = LEX_NEWLINE, ['_'] = LEX_NAME,
	['0'] = LEX_DIGIT, ['1'] = LEX_DIGIT, ['2'] = LEX_DIGIT,
	['3'] = LEX_DIGIT, ['4'] = LEX_DIGIT, ['5'] = LEX_DIGIT,
	['6'] = LEX_DIGIT, ['7'] = LEX_DIGIT, ['8'] = LEX_DIGIT,
	['9'] = LEX_DIGIT,
	['a'] = LEX_NAME, ['b'] = LEX_NAME, ['c'] = LEX_NAME, ['d'] = LEX_NAME,
	['e'] = LEX_NAME, ['f'] = LEX_NAME, ['g'] = LEX_NAME, ['h'] = LEX_NAME,
	['i'] = LEX_NAME, ['j'] = LEX_NAME, ['k'] = LEX_NAME, ['l'] = LEX_NAME,
	['m'] = LEX_NAME, ['n'] = LEX_NAME, ['o'] = LEX_NAME, ['p'] = LEX_NAME,
	['q'] = LEX_NAME, ['r'] = LEX_NAME, ['s'] = LEX_NAME, ['t'] = LEX_NAME,
	['u'] = LEX_NAME, ['v'] = LEX_NAME, ['w'] = LEX_NAME, ['x'] = LEX_NAME,
	['y'] = LEX_NAME, ['z'] = LEX_NAME,
	['A'] = LEX_NAME, ['B'] = LEX_NAME, ['C'] = LEX_NAME, ['D'] = LEX_NAME,
	['E'] = LEX_NAME, ['F'] = LEX_NAME, ['G'] = LEX_NAME, ['H'] = LEX_NAME,
	['I'] = LEX_NAME, ['J'] = LEX_NAME, ['K'] = LEX_NAME, ['L'] = LEX_NAME,
	['M'] = LEX_NAME, ['N'] = LEX_NAME, ['O'] = LEX_NAME, ['P'] = LEX_NAME,
	['Q'] = LEX_NAME, ['R'] = LEX_NAME, ['S'] = LEX_NAME, ['T'] = LEX_NAME,
	['U'] = LEX_NAME, ['V'] = LEX_NAME, ['W'] = LEX_NAME, ['X'] = LEX_NAME,
	['Y'] = LEX_NAME, ['Z'] = LEX_NAME,
};

#if defined(__GNUC__)
#define HAVE_WORD_SCAN 1

/*
 * The bytes of word w (8 bytes of text loaded by fm_load64) that cannot
 * continue an ASCII identifier (ident_char): the high bit of each such
 * byte set, the others clear.  Branch-free: each range test adds to
 * 7-bit bytes what brings the bound to 0x80, so no byte carries into the
 * next; bytes >= 0x80 are never identifier bytes here.
 */
static inline uint64_t
non_ident_bytes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t	x = w & ~high;
	uint64_t	l = x | (0x20 * ones);	/* letters folded to lower case */
	uint64_t	u = x ^ (0x5F * ones);	/* zero where "_" */
	uint64_t	digit = (x + (0x80 - 0x30) * ones) & ~(x + (0x80 - 0x3A) * ones);
	uint64_t	letter = (l + (0x80 - 0x61) * ones) & ~(l + (0x80 - 0x7B) * ones);
	uint64_t	under = ~(u + 0x7F * ones);

	return ~((digit | letter | under) & ~w) & high;
}

/* the index (in memory order) of the first byte of word m that is not 0 */
static inline size_t
first_marked_byte(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (size_t) __builtin_clzll(m) / 8;
#else
	return (size_t) __builtin_ctzll(m) / 8;
#endif
}
#endif

/*
 * The first byte from p on that is not a space or a tab.  Columns align the
 * types and attributes of fields with runs of spaces: a run goes 8 bytes at
 * a time where the compiler can find the first byte of a word that is not
 * a space (a tab there is stepped over and the scan goes on).
 */
static inline const unsigned char *
skip_blanks(const unsigned char *p, const unsigned char *end)
{
#ifdef HAVE_WORD_SCAN
	while (end - p >= 8)
	{
		uint64_t	w = fm_load64(p) ^ 0x2020202020202020ULL;	/* 0: a space */

		if (w == 0)
		{
			p += 8;
			continue;
		}
		p += first_marked_byte(w);
		if (*p != '\t')
			return p;
		p++;
	}
#endif
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

#endif							/* LEXER_SCAN_H */
