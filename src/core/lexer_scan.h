/*-------------------------------------------------------------------------
 *
 * lexer_scan.h
 *	  Word-at-a-time scanning for the fast paths of the lexer (lexer.c):
 *	  runs of blanks, and the end of an ASCII identifier, found 8 bytes at a
 *	  time instead of byte by byte.
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

#include "fm_util.h"

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
