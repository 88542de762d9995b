/*-------------------------------------------------------------------------
 *
 * lexer.c
 *	  Tokenizer of the ferriorm schema language.
 *
 * Works on arbitrary bytes: NUL bytes, invalid UTF-8, stray characters and
 * unterminated strings are diagnosed and skipped, and lexing goes on, so
 * that every error of a text is reported in one pass (up to the cap in
 * fm_syntax_error()).  Each byte is looked at a bounded number of times.
 *
 * src/core/lexer.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_lexer.h"
#include "lexer_scan.h"

#include <stdarg.h>
#include <string.h>

/*
 * fm_syntax_error
 *		Report a syntax error at pos (printf-style fmt) to errs->diags.  After
 *		FM_MAX_SYNTAX_ERRORS errors, one "too many errors; stopping" error is
 *		added and errs is marked stopped: later errors are dropped and the
 *		lexer returns only EOF.
 */
void
fm_syntax_error(FmSyntaxErrs *errs, FmSrcPos pos, const char *fmt,...)
{
	FmBuf		buf;
	va_list		ap;

	if (errs->stopped)
		return;
	if (errs->count >= FM_MAX_SYNTAX_ERRORS)
	{
		fm_diag_add(errs->diags, FM_SEV_ERROR, pos, "too many errors; stopping");
		errs->stopped = true;
		return;
	}
	fm_buf_init(&buf, errs->arena);
	va_start(ap, fmt);
	fm_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	fm_diag_add(errs->diags, FM_SEV_ERROR, pos, "%s", buf.data);
	errs->count++;
}

/*
 * fm_utf8_decode
 *		Decode one UTF-8 sequence at p, with at most n bytes available: its
 *		length (1 to 4) with the code point in *cp, or 0 when the sequence is
 *		invalid (overlong, a surrogate, beyond U+10FFFF, truncated).
 */
int
fm_utf8_decode(const unsigned char *p, size_t n, unsigned int *cp)
{
	unsigned int c;
	int			len;
	unsigned int min;

	if (n == 0)
		return 0;
	c = p[0];
	if (c < 0x80)
	{
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
	{
		len = 2;
		c &= 0x1F;
		min = 0x80;
	}
	else if (c >= 0xE0 && c <= 0xEF)
	{
		len = 3;
		c &= 0x0F;
		min = 0x800;
	}
	else if (c >= 0xF0 && c <= 0xF4)
	{
		len = 4;
		c &= 0x07;
		min = 0x10000;
	}
	else
		return 0;
	if ((size_t) len > n)
		return 0;
	for (int i = 1; i < len; i++)
	{
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/*
 * fm_lexer_init
 *		Start lexing text[0..len) (NULL: empty) at line 1, column 1; tokens
 *		are allocated in arena and errors go to errs.
 */
void
fm_lexer_init(FmLexer *lx, FmArena *arena, FmSyntaxErrs *errs,
			  const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	if (text == NULL)
		len = 0;
	lx->p = (const unsigned char *) (text ? text : "");
	lx->end = lx->p + len;
	lx->start = lx->p;
	lx->line = 1;
	lx->col = 1;
	lx->first = true;
	lx->errs = errs;
	lx->arena = arena;
	fm_buf_init(&lx->scratch, arena);
}

/* Keep a copy of token tok in list (FmLexer.odd_names, .mid_comments). */
static void
note_token(FmLexer *lx, FmList *list, const FmToken *tok)
{
	FmToken    *copy = fm_alloc(lx->arena, sizeof(FmToken));

	*copy = *tok;
	fm_list_append(lx->arena, list, copy);
}

/* The position of the next character (line and column, from 1). */
static FmSrcPos
here(const FmLexer *lx)
{
	FmSrcPos	pos;

	pos.line = lx->line;
	pos.col = lx->col;
	return pos;
}

/*
 * Is p a carriage return that ends a line by itself (not before a line
 * feed)?  Prisma's grammar takes "\n", "\r\n" and a lone "\r" as line
 * ends, so a file with classic Mac line ends is read line by line.
 */
static inline bool
lone_cr(const FmLexer *lx, const unsigned char *p)
{
	return *p == '\r' && (p + 1 >= lx->end || p[1] != '\n');
}

/* a blank: space, tab, form feed, vertical tab, or the CR of a CRLF */
static inline bool
is_blank_at(const FmLexer *lx, const unsigned char *p)
{
	return *p == ' ' || *p == '\t' || *p == '\f' || *p == '\v' ||
		(*p == '\r' && !lone_cr(lx, p));
}

static bool
is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* ident_char[c], the bytes that continue an identifier, is in lexer_scan.h */

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Do the digits at lx->p run straight into an identifier's letters ("1gen",
 * an identifier of Prisma's grammar), rather than end a number or start
 * its exponent ("1e5")?
 */
static bool
digits_then_letter(const FmLexer *lx)
{
	const unsigned char *q = lx->p;

	while (q < lx->end && is_digit(*q))
		q++;
	if (q >= lx->end || !is_ident_start(*q))
		return false;
	if ((*q == 'e' || *q == 'E') && lx->end - q >= 2 &&
		(is_digit(q[1]) ||
		 ((q[1] == '+' || q[1] == '-') && lx->end - q >= 3 && is_digit(q[2]))))
		return false;
	return true;
}

static const unsigned char *ident_utf8_tail(const FmLexer *lx,
											const unsigned char *q, int *extra);

/*
 * The rest of an identifier at q, a "-": Prisma's grammar takes "-" after
 * an identifier's first character ("my-gen", even "g-"); *hyphen is set.
 */
static const unsigned char *
ident_hyphens(const FmLexer *lx, const unsigned char *q, int *extra, bool *hyphen)
{
	while (q < lx->end && *q == '-')
	{
		int			more = 0;

		*hyphen = true;
		q++;
		while (q < lx->end && ident_char[*q])
			q++;
		if (q < lx->end && *q >= 0x80)
		{
			q = ident_utf8_tail(lx, q, &more);
			*extra += more;
		}
	}
	return q;
}

/* The value of hexadecimal digit c, or -1 when c is not one. */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* append code point cp (a valid scalar value) to buf as UTF-8 */
static void
append_utf8(FmBuf *buf, unsigned int cp)
{
	char		s[4];

	if (cp < 0x80)
		fm_buf_append_len(buf, (char[]) {(char) cp}, 1);
	else if (cp < 0x800)
	{
		s[0] = (char) (0xC0 | (cp >> 6));
		s[1] = (char) (0x80 | (cp & 0x3F));
		fm_buf_append_len(buf, s, 2);
	}
	else if (cp < 0x10000)
	{
		s[0] = (char) (0xE0 | (cp >> 12));
		s[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char) (0x80 | (cp & 0x3F));
		fm_buf_append_len(buf, s, 3);
	}
	else
	{
		s[0] = (char) (0xF0 | (cp >> 18));
		s[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char) (0x80 | (cp & 0x3F));
		fm_buf_append_len(buf, s, 4);
	}
}

/* Read 4 hex digits at lx->p; -1 (nothing consumed) if they are not there. */
static int
read_hex4(FmLexer *lx)
{
	int			v = 0;

	if (lx->end - lx->p < 4)
		return -1;
	for (int i = 0; i < 4; i++)
	{
		int			h = hexval(lx->p[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	lx->p += 4;
	lx->col += 4;
	return v;
}

/*
 * Diagnose the byte at lx->p that cannot start a valid character (NUL or
 * invalid UTF-8) and skip it.  *bad_run collapses a run of such bytes of
 * the same kind into one diagnostic.
 */
static void
skip_bad_byte(FmLexer *lx, int *bad_run)
{
	int			kind = (*lx->p == 0) ? 1 : 2;

	if (*bad_run != kind)
		fm_syntax_error(lx->errs, here(lx), kind == 1 ?
						"NUL byte in schema text" :
						"invalid UTF-8 byte sequence");
	*bad_run = kind;
	lx->p++;
	lx->col++;
}

/*
 * The length of the valid UTF-8 character at lx->p (not NUL, not moved
 * over), with its code point in *cp, resetting *bad_run; or 0 after
 * diagnosing and skipping a bad byte.
 */
static int
utf8_char_or_skip(FmLexer *lx, int *bad_run, unsigned int *cp)
{
	int			n = fm_utf8_decode(lx->p, (size_t) (lx->end - lx->p), cp);

	if (n == 0 || *cp == 0)
	{
		skip_bad_byte(lx, bad_run);
		return 0;
	}
	*bad_run = 0;
	return n;
}

/*
 * The interned text of p[0..len) of the text (a name, a number, a string
 * without escapes): 1 to 16 bytes, with 16 bytes of text from p on, are
 * looked up inline (fm_intern_short) with their words loaded from the text
 * and masked to their length; anything else goes through fm_intern.
 * Inlined even where the compiler would not (into lex_name above all: the
 * call would cost a tenth of a name).
 */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline char *
intern_name(FmLexer *lx, const unsigned char *p, size_t len)
{
	uint64_t	w0;
	uint64_t	w1;

	if (len - 1 >= 16 || lx->end - p < 16)
		return fm_intern(lx->arena, &lx->names, (const char *) p, len);
	w0 = fm_load64(p);
	w1 = fm_load64(p + 8);
	if (len < 8)
	{
		w0 &= FM_WORD_PREFIX_MASK(len);
		w1 = 0;
	}
	else if (len == 8)
		w1 = 0;
	else if (len < 16)
		w1 &= FM_WORD_PREFIX_MASK(len - 8);
	return fm_intern_short(lx->arena, &lx->names, (const char *) p, len, w0, w1);
}

/*
 * lex_string
 *		Lex a double-quoted string literal starting at lx->p into tok
 *		(FM_TOK_STRING, the text with its escapes resolved).
 *
 * Escapes are JSON's, as in Prisma's schema language: \" \\ \/ \n \r \t
 * \b \f and \uXXXX (with UTF-16 surrogate pairs); a bad escape or invalid
 * UTF-8 is reported as a syntax error and the lexing goes on after it.  A
 * newline or the end of the input ends the literal with an "unterminated
 * string literal" error.
 */
static void
lex_string(FmLexer *lx, FmToken *tok)
{
	FmBuf	   *b = &lx->scratch;
	int			bad_run = 0;
	bool		control = false;
	const unsigned char *start = lx->p;
	const unsigned char *q = lx->p + 1;

	/* most strings: plain printable ASCII to the closing quote, interned in place */
	while (q < lx->end && *q < 0x80 && *q >= 0x20 && *q != '"' && *q != '\\')
		q++;
	if (q < lx->end && *q == '"')
	{
		size_t		len = (size_t) (q - lx->p - 1);

		tok->kind = FM_TOK_STRING;
		tok->text = intern_name(lx, lx->p + 1, len);
		tok->text_len = len;
		lx->col += (int) len + 2;
		lx->p = q + 1;
		return;
	}
	fm_buf_reset(b);
	lx->p++;					/* opening quote */
	lx->col++;
	for (;;)
	{
		unsigned int c;
		int			n;

		if (lx->p >= lx->end || *lx->p == '\n' || lone_cr(lx, lx->p))
		{
			fm_syntax_error(lx->errs, tok->pos, "unterminated string literal");
			break;
		}
		c = *lx->p;
		if (c == '"')
		{
			lx->p++;
			lx->col++;
			break;
		}
		if (c == '\\')
		{
			FmSrcPos	bpos = here(lx);
			int			e;

			bad_run = 0;
			lx->p++;
			lx->col++;
			if (lx->p >= lx->end || *lx->p == '\n' || lone_cr(lx, lx->p))
				continue;		/* reported as unterminated */
			e = *lx->p;
			switch (e)
			{
				case '"':
				case '\\':
				case '/':
					fm_buf_append_char(b, (char) e);
					break;
				case 'n':
					fm_buf_append_char(b, '\n');
					break;
				case 't':
					fm_buf_append_char(b, '\t');
					break;
				case 'r':
					fm_buf_append_char(b, '\r');
					break;
				case 'b':
					fm_buf_append_char(b, '\b');
					break;
				case 'f':
					fm_buf_append_char(b, '\f');
					break;
				case 'u':
					{
						int			v;

						lx->p++;
						lx->col++;
						v = read_hex4(lx);
						if (v < 0)
						{
							fm_syntax_error(lx->errs, bpos,
											"invalid unicode escape in string literal; expected 4 hex digits after \"\\u\"");
							continue;
						}
						if (v >= 0xD800 && v <= 0xDBFF && lx->end - lx->p >= 6 &&
							lx->p[0] == '\\' && lx->p[1] == 'u')
						{
							const unsigned char *save = lx->p;
							int			savecol = lx->col;
							int			lo;

							lx->p += 2;
							lx->col += 2;
							lo = read_hex4(lx);
							if (lo >= 0xDC00 && lo <= 0xDFFF)
							{
								append_utf8(b, 0x10000 + (((unsigned int) v - 0xD800) << 10) +
											((unsigned int) lo - 0xDC00));
								continue;
							}
							lx->p = save;
							lx->col = savecol;
						}
						if (v >= 0xD800 && v <= 0xDFFF)
						{
							fm_syntax_error(lx->errs, bpos,
											"invalid unicode escape \"\\u%04X\" in string literal; a surrogate must be part of a pair",
											(unsigned int) v);
							continue;
						}
						append_utf8(b, (unsigned int) v);
						continue;
					}
				default:
					if (e >= 0x20 && e < 0x7f)
						fm_syntax_error(lx->errs, bpos,
										"invalid escape sequence \"\\%c\" in string literal",
										(char) e);
					else
						fm_syntax_error(lx->errs, bpos,
										"invalid escape sequence in string literal");
					continue;	/* the character itself is lexed normally */
			}
			lx->p++;
			lx->col++;
			continue;
		}
		if (c < 0x80 && c != 0)
		{
			bad_run = 0;
			if (c < 0x20)
				control = true; /* a tab, say: Prisma's grammar refuses it */
			fm_buf_append_char(b, (char) c);
			lx->p++;
			lx->col++;
			continue;
		}
		if ((n = utf8_char_or_skip(lx, &bad_run, &c)) == 0)
			continue;
		fm_buf_append_len(b, (const char *) lx->p, (size_t) n);
		lx->p += n;
		lx->col++;
	}
	tok->kind = FM_TOK_STRING;
	tok->text = fm_intern(lx->arena, &lx->names, b->data, b->len);
	tok->text_len = b->len;
	tok->raw = (const char *) start;
	tok->raw_len = (size_t) (lx->p - start);
	if (control && lx->odd_names != NULL)
		note_token(lx, lx->odd_names, tok);
}

/* one character of a comment: ASCII, or UTF-8 (invalid bytes reported) */
static void
comment_char(FmLexer *lx, int *bad_run)
{
	unsigned int c;
	int			n;

	if (*lx->p != 0 && *lx->p < 0x80)
	{
		*bad_run = 0;
		lx->p++;
		lx->col++;
		return;
	}
	if ((n = utf8_char_or_skip(lx, bad_run, &c)) == 0)
		return;
	lx->p += n;
	lx->col++;
}

/*
 * lex_comment
 *		A line comment, "//" or "///" (a doc comment) at lx->p, to the end
 *		of its line: one COMMENT token whose text (in the arena) is the
 *		comment as written, less a carriage return at its end; its trailing
 *		blanks are kept, since Prisma's formatter keeps them (the ferriorm
 *		layout and doc comments drop them).  Invalid UTF-8 in it is
 *		reported.
 */
static void
lex_comment(FmLexer *lx, FmToken *tok)
{
	const unsigned char *start = lx->p;
	const unsigned char *stop;
	int			bad_run = 0;

	while (lx->p < lx->end && *lx->p != '\n' && !lone_cr(lx, lx->p))
		comment_char(lx, &bad_run);
	stop = lx->p;
	while (stop > start && stop[-1] == '\r')
		stop--;
	tok->kind = FM_TOK_COMMENT;
	tok->text = fm_strndup(lx->arena, (const char *) start, (size_t) (stop - start));
	tok->text_len = (size_t) (stop - start);
	tok->doc = (stop - start) >= 3 && start[2] == '/';
}

/*
 * A block comment, "/" "*" to "*" "/" (Prisma 6.2 and later), possibly over
 * several lines: one COMMENT token whose text is the comment as written.
 * It is not a doc comment.  An unterminated one runs to the end of the text
 * and is reported at its start.
 */
static void
lex_block_comment(FmLexer *lx, FmToken *tok)
{
	const unsigned char *start = lx->p;
	FmSrcPos	pos = here(lx);
	int			bad_run = 0;
	bool		closed = false;

	lx->p += 2;
	lx->col += 2;
	while (lx->p < lx->end)
	{
		if (lx->end - lx->p >= 2 && lx->p[0] == '*' && lx->p[1] == '/')
		{
			lx->p += 2;
			lx->col += 2;
			closed = true;
			break;
		}
		if (*lx->p == '\n' || lone_cr(lx, lx->p))
		{
			lx->p++;
			lx->line++;
			lx->col = 1;
			continue;
		}
		comment_char(lx, &bad_run);
	}
	if (!closed)
		fm_syntax_error(lx->errs, pos, "unterminated block comment; close it with */");
	tok->kind = FM_TOK_COMMENT;
	tok->text = fm_strndup(lx->arena, (const char *) start, (size_t) (lx->p - start));
	tok->text_len = (size_t) (lx->p - start);
	tok->doc = false;
}

/*
 * ident_utf8_tail
 *		The slow path of an identifier, entered at q, the first byte >= 0x80
 *		after its ASCII start (or at its first character, a non-ASCII
 *		letter): takes ASCII identifier bytes and UTF-8 letters
 *		(fm_unicode_is_letter()) up to the first other character, which is
 *		left to the next token (invalid UTF-8 is reported there).  Returns
 *		the end; *extra gets the bytes beyond one a character, so that the
 *		column advances by characters, as in strings and comments.
 */
static const unsigned char *
ident_utf8_tail(const FmLexer *lx, const unsigned char *q, int *extra)
{
	*extra = 0;
	while (q < lx->end)
	{
		unsigned int cp;
		int			n;

		if (ident_char[*q])
		{
			q++;
			continue;
		}
		if (*q < 0x80)
			break;
		n = fm_utf8_decode(q, (size_t) (lx->end - q), &cp);
		if (n == 0 || !fm_unicode_is_letter(cp))
			break;
		q += n;
		*extra += n - 1;
	}
	return q;
}

/*
 * Does the text at lx->p (a byte >= 0x80) start with a letter that starts
 * an identifier?
 */
static bool
at_utf8_letter(const FmLexer *lx)
{
	unsigned int cp;
	int			n = fm_utf8_decode(lx->p, (size_t) (lx->end - lx->p), &cp);

	return n > 0 && fm_unicode_is_letter(cp);
}

/*
 * Is code point cp a space separator (Unicode Zs: NO-BREAK SPACE, EN SPACE,
 * IDEOGRAPHIC SPACE, ...)?  Prisma's parser takes them as white space.
 */
static bool
is_space_separator(unsigned int cp)
{
	return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
		cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/*
 * lex_any
 *		fm_lexer_next for every token: one NEWLINE token for a run of line
 *		ends, comments ("//", "///", and block comments, which between two
 *		tokens of a line are white space), strings, numbers, identifiers and
 *		punctuation; EOF at the end or once errors stopped the lexer.
 *		Lexical errors are reported and lexing goes on.
 */
static void
lex_any(FmLexer *lx, FmToken *tok)
{
	int			bad_run = 0;

	memset(tok, 0, sizeof(*tok));
	for (;;)
	{
		unsigned int c;
		int			n;

		tok->pos = here(lx);
		tok->off = (size_t) (lx->p - lx->start);
		if (lx->errs->stopped || lx->p >= lx->end)
		{
			tok->kind = FM_TOK_EOF;
			tok->first_on_line = lx->first;
			tok->blank_before = lx->blank;
			return;
		}
		c = *lx->p;
		if (is_blank_at(lx, lx->p))
		{
			const unsigned char *q = lx->p + 1;

			/* the run of blanks at once: columns align fields with many */
			while (q < lx->end && is_blank_at(lx, q))
				q++;
			lx->col += (int) (q - lx->p);
			lx->p = q;
			continue;
		}
		if (c == '\n' || c == '\r')	/* a blank CR was taken above */
		{
			int			nl = 0;

			/* one token for the whole run of line ends and blanks */
			while (lx->p < lx->end)
			{
				c = *lx->p;
				if (c == '\n' || lone_cr(lx, lx->p))
				{
					nl++;
					lx->line++;
					lx->col = 1;
				}
				else if (is_blank_at(lx, lx->p))
					lx->col++;
				else
					break;
				lx->p++;
			}
			tok->kind = FM_TOK_NEWLINE;
			tok->first_on_line = lx->first;
			lx->first = true;
			lx->blank = nl >= 2;
			return;
		}

		tok->first_on_line = lx->first;
		tok->blank_before = lx->blank;

		if (c == '"')
			lex_string(lx, tok);
		else if (c == '/' && lx->end - lx->p >= 2 && lx->p[1] == '/')
			lex_comment(lx, tok);
		else if (c == '/' && lx->end - lx->p >= 2 && lx->p[1] == '*')
		{
			const unsigned char *q;
			const unsigned char *before = lx->p;

			/* the last character before it on its line: after a brace it may be */
			while (before > lx->start && (before[-1] == ' ' || before[-1] == '\t'))
				before--;
			lex_block_comment(lx, tok);
			for (q = lx->p; q < lx->end && (*q == ' ' || *q == '\t'); q++)
				;
			tok->blank_after = q > lx->p &&
				(q == lx->end || *q == '\n' || *q == '\r');
			/* between two tokens of a line it is white space */
			for (q = lx->p; q < lx->end && (*q == ' ' || *q == '\t' ||
											(*q == '\r' && !lone_cr(lx, q))); q++)
				;
			if (!tok->first_on_line && q < lx->end && *q != '\n' && *q != '\r' && lx->mid_comments &&
				before > lx->start && before[-1] != '{' && before[-1] != '}')
				note_token(lx, lx->mid_comments, tok);
			if (!tok->first_on_line && q < lx->end && *q != '\n' && *q != '\r' &&
				!(lx->end - q >= 2 && q[0] == '/' && (q[1] == '/' || q[1] == '*')))
			{
				bool		first = tok->first_on_line;
				bool		blank = tok->blank_before;

				memset(tok, 0, sizeof(*tok));
				tok->first_on_line = first;
				tok->blank_before = blank;
				continue;
			}
		}
		else if ((is_digit((int) c) && !digits_then_letter(lx)) ||
				 (c == '-' && lx->end - lx->p >= 2 && is_digit(lx->p[1])))
		{
			const unsigned char *start = lx->p;

			lx->p++;
			while (lx->p < lx->end && is_digit(*lx->p))
				lx->p++;
			if (lx->end - lx->p >= 2 && lx->p[0] == '.' && is_digit(lx->p[1]))
			{
				lx->p++;
				while (lx->p < lx->end && is_digit(*lx->p))
					lx->p++;
			}
			if (lx->p < lx->end && (*lx->p == 'e' || *lx->p == 'E'))
			{
				const unsigned char *q = lx->p + 1;

				if (q < lx->end && (*q == '+' || *q == '-'))
					q++;
				if (q < lx->end && is_digit(*q))
				{
					lx->p = q;
					while (lx->p < lx->end && is_digit(*lx->p))
						lx->p++;
				}
			}
			lx->col += (int) (lx->p - start);
			tok->kind = FM_TOK_NUMBER;
			tok->text = intern_name(lx, start, (size_t) (lx->p - start));
			tok->text_len = (size_t) (lx->p - start);
		}
		else if (is_ident_start((int) c) || is_digit((int) c))
		{
			const unsigned char *start = lx->p;

			const unsigned char *q = lx->p + 1;

			int			extra = 0;
			bool		hyphen = false;

			/* the hottest loop of the lexer: a table, not three ranges */
			while (q < lx->end && ident_char[*q])
				q++;
			if (q < lx->end && *q >= 0x80)
				q = ident_utf8_tail(lx, q, &extra);
			if (q < lx->end && *q == '-')
				q = ident_hyphens(lx, q, &extra, &hyphen);
			lx->p = q;
			lx->col += (int) (lx->p - start) - extra;
			tok->kind = FM_TOK_IDENT;
			tok->text = fm_intern(lx->arena, &lx->names, (const char *) start,
								  (size_t) (lx->p - start));
			tok->text_len = (size_t) (lx->p - start);
			if ((c == '_' || is_digit((int) c) || hyphen) && lx->odd_names != NULL)
				note_token(lx, lx->odd_names, tok);
		}
		else if (c >= 0x80 && at_utf8_letter(lx))
		{
			const unsigned char *start = lx->p;
			int			extra;
			bool		hyphen = false;

			lx->p = ident_utf8_tail(lx, lx->p, &extra);
			if (lx->p < lx->end && *lx->p == '-')
				lx->p = ident_hyphens(lx, lx->p, &extra, &hyphen);
			lx->col += (int) (lx->p - start) - extra;
			tok->kind = FM_TOK_IDENT;
			tok->text = fm_intern(lx->arena, &lx->names, (const char *) start,
								  (size_t) (lx->p - start));
			tok->text_len = (size_t) (lx->p - start);
			if (hyphen && lx->odd_names != NULL)
				note_token(lx, lx->odd_names, tok);
		}
		else
		{
			FmTokKind	k;

			switch (c)
			{
				case '{':
					k = FM_TOK_LBRACE;
					break;
				case '}':
					k = FM_TOK_RBRACE;
					break;
				case '(':
					k = FM_TOK_LPAREN;
					break;
				case ')':
					k = FM_TOK_RPAREN;
					break;
				case '[':
					k = FM_TOK_LBRACKET;
					break;
				case ']':
					k = FM_TOK_RBRACKET;
					break;
				case ',':
					k = FM_TOK_COMMA;
					break;
				case ':':
					k = FM_TOK_COLON;
					break;
				case '=':
					k = FM_TOK_EQUALS;
					break;
				case '?':
					k = FM_TOK_QUESTION;
					break;
				case '.':
					k = FM_TOK_DOT;
					break;
				case '@':
					k = FM_TOK_AT;
					if (lx->end - lx->p >= 2 && lx->p[1] == '@')
					{
						k = FM_TOK_ATAT;
						lx->p++;
						lx->col++;
					}
					break;
				default:
					/* not a token: diagnose, skip, and look again */
					if (c != 0 && c < 0x80)
					{
						bad_run = 0;
						if (c < 0x20 || c == 0x7f)
							fm_syntax_error(lx->errs, tok->pos,
											"unexpected control character U+%04X",
											c);
						else
							fm_syntax_error(lx->errs, tok->pos,
											"unexpected character \"%c\"", (char) c);
						lx->p++;
						lx->col++;
						continue;
					}
					if ((n = utf8_char_or_skip(lx, &bad_run, &c)) == 0)
						continue;
					/* a byte order mark at the very start is skipped */
					if (c == 0xFEFF && lx->line == 1 && lx->col == 1)
					{
						lx->p += n;
						continue;
					}
					if (is_space_separator(c))
					{
						lx->p += n;
						lx->col++;
						continue;
					}
					fm_syntax_error(lx->errs, tok->pos,
									"unexpected character \"%.*s\"", n,
									(const char *) lx->p);
					lx->p += n;
					lx->col++;
					continue;
			}
			lx->p++;
			lx->col++;
			tok->kind = k;
		}
		lx->first = false;
		lx->blank = false;
		return;
	}
}


/*
 * Token tok of kind from p, at column col, to q (not a NEWLINE).  The
 * column is the caller's, not read back from lx->col: a load of line and
 * column together just after a store of the column alone stalls.
 */
static inline void
fast_token(FmLexer *lx, FmToken *tok, FmTokKind kind, const unsigned char *p,
		   int col, const unsigned char *q)
{
	memset(tok, 0, sizeof(*tok));
	tok->kind = kind;
	tok->pos.line = lx->line;
	tok->pos.col = col;
	tok->off = (size_t) (p - lx->start);
	tok->first_on_line = lx->first;
	tok->blank_before = lx->blank;
	lx->first = false;
	lx->blank = false;
	lx->col = col + (int) (q - p);
	lx->p = q;
}

/*
 * An ASCII name from p, at column col, whose first byte the caller checked
 * (a letter or "_"): lex_any's identifier, without its slow paths unless
 * the name runs into a non-ASCII byte or a "-" (then lex_any takes it).
 * A name of less than 16 bytes with 16 bytes of text from p on is found
 * word by word (non_ident_bytes), and the words, masked to its length, are
 * those fm_intern_short looks it up with; any other goes byte by byte.
 * Apart from fm_lexer_next so that the registers the interning needs are
 * saved for names only, not for every token (hence noinline, where the
 * compiler knows it).
 */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void
lex_name(FmLexer *lx, FmToken *tok, const unsigned char *p, int col)
{
	const unsigned char *end = lx->end;
	const unsigned char *q;

#ifdef HAVE_WORD_SCAN
	if (end - p >= 16)
	{
		uint64_t	w0 = fm_load64(p);
		uint64_t	w1 = 0;
		uint64_t	m = non_ident_bytes(w0);
		size_t		len;

		if (m != 0)
		{
			len = first_marked_byte(m);		/* >= 1: p[0] is a letter */
			w0 &= FM_WORD_PREFIX_MASK(len);
		}
		else
		{
			w1 = fm_load64(p + 8);
			m = non_ident_bytes(w1);
			if (m == 0)
				goto bytewise;	/* 16 bytes or more */
			len = 8 + first_marked_byte(m);
			w1 = len == 8 ? 0 : w1 & FM_WORD_PREFIX_MASK(len - 8);
		}
		q = p + len;			/* < end */
		if (*q >= 0x80 || *q == '-')
			goto slow;
		fast_token(lx, tok, FM_TOK_IDENT, p, col, q);
		tok->text = fm_intern_short(lx->arena, &lx->names, (const char *) p,
									len, w0, w1);
		tok->text_len = len;
		if (*p == '_' && lx->odd_names != NULL)
			note_token(lx, lx->odd_names, tok);
		return;
	}
bytewise:
#endif
	for (q = p + 1; q < end && ident_char[*q]; q++)
		;
	if (q < end && (*q >= 0x80 || *q == '-'))
		goto slow;
	fast_token(lx, tok, FM_TOK_IDENT, p, col, q);
	tok->text = intern_name(lx, p, (size_t) (q - p));
	tok->text_len = (size_t) (q - p);
	if (*p == '_' && lx->odd_names != NULL)
		note_token(lx, lx->odd_names, tok);
	return;
slow:
	lx->col = col;
	lx->p = p;
	lex_any(lx, tok);			/* non-ASCII letters or Prisma's "-" */
}

/*
 * A number from p, at column col, whose first byte the caller checked (a
 * digit): lex_any's number when it is digits alone, followed by none of
 * the bytes that would make it more (a fraction, an exponent, Prisma's
 * "1gen" identifier) or less than that; anything else goes to lex_any.
 * Apart from fm_lexer_next for the same reason as lex_name.
 */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void
lex_digits(FmLexer *lx, FmToken *tok, const unsigned char *p, int col)
{
	const unsigned char *end = lx->end;
	const unsigned char *q;

	for (q = p + 1; q < end && is_digit(*q); q++)
		;
	if (q < end && (ident_char[*q] || *q == '.' || *q == '-' || *q >= 0x80))
	{
		lx->col = col;
		lx->p = p;
		lex_any(lx, tok);
		return;
	}
	fast_token(lx, tok, FM_TOK_NUMBER, p, col, q);
	tok->text = intern_name(lx, p, (size_t) (q - p));
	tok->text_len = (size_t) (q - p);
}

/*
 * fm_lexer_next
 *		The next token of the text into tok (see lex_any).  The tokens most
 *		of a schema is made of (ASCII identifiers, punctuation, line ends
 *		followed by indentation, after spaces and tabs) are taken here and
 *		in lex_name, each exactly as lex_any takes it; anything else goes
 *		to lex_any.
 */
void
fm_lexer_next(FmLexer *lx, FmToken *tok)
{
	const unsigned char *p = lx->p;
	const unsigned char *end = lx->end;
	const unsigned char *q;
	unsigned char c;
	unsigned char k;
	int			col;

	if (p < end && (*p == ' ' || *p == '\t'))
		p = skip_blanks(p + 1, end);
	col = lx->col + (int) (p - lx->p);
	if (p >= end || lx->errs->stopped)
	{
		lx->col = col;
		lx->p = p;
		lex_any(lx, tok);
		return;
	}
	c = *p;
	k = lex_class[c];
	if (k == LEX_NAME)
	{
		lex_name(lx, tok, p, col);
		return;
	}
	if (k != 0 && k < LEX_NAME)
	{
		if (c == '@' && p + 1 < end && p[1] == '@')
			fast_token(lx, tok, FM_TOK_ATAT, p, col, p + 2);
		else
			fast_token(lx, tok, (FmTokKind) k, p, col, p + 1);
		return;
	}
	if (k == LEX_DIGIT)
	{
		lex_digits(lx, tok, p, col);
		return;
	}
	if (k == LEX_QUOTE)
	{
		/* as lex_any starts every token; lex_string moves on from p */
		fast_token(lx, tok, FM_TOK_STRING, p, col, p);
		lex_string(lx, tok);
		return;
	}
	if (k == LEX_NEWLINE)
	{
		const unsigned char *line_start = NULL;
		int			nl = 0;

		/* a run of "\n", spaces and tabs; any other blank: lex_any */
		for (q = p; q < end; q++)
		{
			if (*q == '\n')
			{
				nl++;
				line_start = q + 1;
			}
			else if (*q != ' ' && *q != '\t')
				break;
		}
		if (q < end && (*q == '\r' || *q == '\f' || *q == '\v'))
		{
			lx->col = col;
			lx->p = p;
			lex_any(lx, tok);
			return;
		}
		memset(tok, 0, sizeof(*tok));
		tok->kind = FM_TOK_NEWLINE;
		tok->pos.line = lx->line;
		tok->pos.col = col;
		tok->off = (size_t) (p - lx->start);
		tok->first_on_line = lx->first;
		lx->first = true;
		lx->blank = nl >= 2;
		lx->line += nl;
		lx->col = 1 + (int) (q - line_start);
		lx->p = q;
		return;
	}
	lx->col = col;
	lx->p = p;
	lex_any(lx, tok);
}
