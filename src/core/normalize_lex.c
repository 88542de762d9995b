/*-------------------------------------------------------------------------
 *
 * normalize_lex.c
 *	  The lexer of the offline normalizer of SQL expressions (normalize.c):
 *	  PostgreSQL's scanner rules for names, strings, numbers, operators and
 *	  comments, far enough to compare expressions, never to run them.
 *
 * src/core/normalize_lex.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fm_normalize_int.h"

/* a character of a PostgreSQL operator */
static bool
op_char(char c)
{
	return c && strchr("+-*/<>=~!@#%^&|`?", c) != NULL;
}

/*
 * fm_norm_tokenize
 *		Split the expression text s into tokens, appended to out (Tok *),
 *		always ending with one T_EOF token.
 *
 * Comments and whitespace are dropped.  Unquoted identifiers and keywords
 * are lower-cased (T_IDENT), quoted identifiers keep their contents
 * (T_QIDENT), string constants ('...', E'...', with '' and backslash
 * escapes) are unescaped (T_STRING), and operators follow PostgreSQL's
 * lexer rule that a multi-character operator cannot end in + or - unless
 * it contains one of ~ ! @ # % ^ & | ` ?.  Unterminated strings and quoted
 * names run to the end of the text; any other byte is a T_OTHER token of
 * its own.  Never fails: every input produces a token list.
 */
void
fm_norm_tokenize(FmArena *a, const char *s, FmList *out)
{
	const char *p = s;

	for (;;)
	{
		Tok		   *t;
		unsigned char c;

		while (*p && isspace((unsigned char) *p))
			p++;
		if (p[0] == '-' && p[1] == '-')
		{
			/* PostgreSQL's scanner ends it at a carriage return too */
			while (*p && *p != '\n' && *p != '\r')
				p++;
			continue;
		}
		if (p[0] == '/' && p[1] == '*')
		{
			const char *e = strstr(p + 2, "*/");

			p = e ? e + 2 : p + strlen(p);
			continue;
		}
		t = fm_alloc(a, sizeof(Tok));
		fm_list_append(a, out, t);
		c = (unsigned char) *p;
		if (c == '\0')
		{
			t->k = T_EOF;
			t->text = "";
			return;
		}
		if (c == '\'' || ((c == 'e' || c == 'E') && p[1] == '\''))
		{
			bool		esc = c != '\'';
			FmBuf		b;

			p += esc ? 2 : 1;
			fm_buf_init(&b, a);
			while (*p)
			{
				if (*p == '\'')
				{
					if (p[1] == '\'')
					{
						fm_buf_append_char(&b, '\'');
						p += 2;
						continue;
					}
					break;
				}
				if (esc && *p == '\\' && p[1])
				{
					char		n = p[1];

					fm_buf_append_char(&b, n == 'n' ? '\n' : n == 't' ? '\t' :
									   n == 'r' ? '\r' : n);
					p += 2;
					continue;
				}
				fm_buf_append_char(&b, *p++);
			}
			if (*p == '\'')
				p++;
			t->k = T_STRING;
			t->text = b.data;
			continue;
		}
		if (c == '"')
		{
			FmBuf		b;

			p++;
			fm_buf_init(&b, a);
			while (*p)
			{
				if (*p == '"')
				{
					if (p[1] == '"')
					{
						fm_buf_append_char(&b, '"');
						p += 2;
						continue;
					}
					break;
				}
				fm_buf_append_char(&b, *p++);
			}
			if (*p == '"')
				p++;
			t->k = T_QIDENT;
			t->text = b.data;
			continue;
		}
		if (isalpha(c) || c == '_' || c >= 0x80)
		{
			FmBuf		b;

			fm_buf_init(&b, a);
			while (*p && (isalnum((unsigned char) *p) || *p == '_' || *p == '$' ||
						  (unsigned char) *p >= 0x80))
				fm_buf_append_char(&b, (char) tolower((unsigned char) *p++));
			t->k = T_IDENT;
			t->text = b.data;
			continue;
		}
		if (isdigit(c) || (c == '.' && isdigit((unsigned char) p[1])))
		{
			const char *st = p;

			while (isdigit((unsigned char) *p))
				p++;
			if (*p == '.' && p[1] != '.')
			{
				p++;
				while (isdigit((unsigned char) *p))
					p++;
			}
			if ((*p == 'e' || *p == 'E') &&
				(isdigit((unsigned char) p[1]) ||
				 ((p[1] == '+' || p[1] == '-') && isdigit((unsigned char) p[2]))))
			{
				p += 2;
				while (isdigit((unsigned char) *p))
					p++;
			}
			t->k = T_NUMBER;
			t->text = fm_strndup(a, st, (size_t) (p - st));
			continue;
		}
		if (c == '$' && isdigit((unsigned char) p[1]))
		{
			const char *st = p++;

			while (isdigit((unsigned char) *p))
				p++;
			t->k = T_PARAM;
			t->text = fm_strndup(a, st, (size_t) (p - st));
			continue;
		}
		if (c == ':' && p[1] == ':')
		{
			t->k = T_CAST;
			t->text = "::";
			p += 2;
			continue;
		}
		switch (c)
		{
			case '(':
				t->k = T_LPAREN;
				break;
			case ')':
				t->k = T_RPAREN;
				break;
			case '[':
				t->k = T_LBRACK;
				break;
			case ']':
				t->k = T_RBRACK;
				break;
			case ',':
				t->k = T_COMMA;
				break;
			case '.':
				t->k = T_DOT;
				break;
			default:
				t->k = T_OTHER;
				break;
		}
		if (t->k != T_OTHER)
		{
			t->text = fm_strndup(a, p, 1);
			p++;
			continue;
		}
		if (op_char((char) c))
		{
			const char *st = p;
			size_t		n;

			while (op_char(*p) && !(p[0] == '-' && p[1] == '-') &&
				   !(p[0] == '/' && p[1] == '*'))
				p++;
			n = (size_t) (p - st);
			/* PostgreSQL: a multi-char operator cannot end in + or - ... */
			while (n > 1 && (st[n - 1] == '+' || st[n - 1] == '-'))
			{
				bool		special = false;

				for (size_t i = 0; i < n; i++)
					if (strchr("~!@#%^&|`?", st[i]))
						special = true;
				if (special)
					break;
				n--;
			}
			p = st + n;
			t->k = T_OP;
			t->text = fm_strndup(a, st, n);
			continue;
		}
		/* anything else: one byte */
		t->k = T_OTHER;
		t->text = fm_strndup(a, p, 1);
		p++;
	}
}
