/*-------------------------------------------------------------------------
 *
 * normalize.c
 *	  Offline normalization of SQL expressions, so that text written by a
 *	  user and text as PostgreSQL stores it compare equal without asking a
 *	  server.
 *
 * Expressions are tokenized (normalize_lex.c) and parsed with PostgreSQL's operator
 * precedence into a canonical text in which every operator application is
 * parenthesized exactly once, so redundant parentheses vanish; on the way,
 * the rewrites PostgreSQL itself applies when storing an expression are
 * undone or imitated (see fm_diff.h).  Text that cannot be parsed
 * (subqueries, unusual syntax) is normalized token by token, which is
 * still exact for identical text.  Type names (cast targets) go through
 * normalize_type.c.
 *
 * The results are for comparison only, never for DDL.  Nothing here can
 * crash, loop or recurse without bound on any input.
 *
 * src/core/normalize.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "fm_diff_int.h"
#include "fm_normalize_int.h"

/* ---------- expression parser ---------- */

typedef enum ExprKind
{
	E_OTHER,
	E_STRING,					/* text = canonical '...' */
	E_NUMBER,
	E_COLREF,
	E_LITARRAY					/* ARRAY[...] of literals only */
} ExprKind;

typedef struct Ex
{
	ExprKind	k;
	char	   *s;
	bool		op;				/* s is "(...)" made by an operator */
} Ex;

typedef struct P
{
	FmArena    *a;
	Tok		  **toks;
	int			n;
	int			pos;
	int			depth;
	jmp_buf		fail;
} P;

#define MAX_DEPTH 200
#define MAX_PARSE_LEN 16384		/* longer text: token-by-token only */

/* the token off places ahead; the final T_EOF for anything beyond */
static Tok *
peek(P *p, int off)
{
	int			i = p->pos + off;

	if (i >= p->n)
		i = p->n - 1;
	return p->toks[i];
}

/* consume and return the current token (never past the final T_EOF) */
static Tok *
next(P *p)
{
	Tok		   *t = peek(p, 0);

	if (p->pos < p->n - 1)
		p->pos++;
	return t;
}

/* give up on the parse: back to fm_normalize_expr(), token fallback */
static void
fail(P *p)
{
	longjmp(p->fail, 1);
}

/* t is the unquoted keyword kw (lower case) */
static bool
is_kw(Tok *t, const char *kw)
{
	return t->k == T_IDENT && strcmp(t->text, kw) == 0;
}

/* consume a token of kind k, or fail */
static void
expect(P *p, TokKind k)
{
	if (peek(p, 0)->k != k)
		fail(p);
	next(p);
}

/*
 * canonical text of a name token: quoted only when PostgreSQL would quote
 * it, whether written quoted or not (an unquoted name of non-ASCII letters,
 * which PostgreSQL keeps as it is, prints quoted: "ä")
 */
static char *
ident_text(FmArena *a, Tok *t)
{
	if ((t->k == T_QIDENT || t->k == T_IDENT) &&
		!fm_is_simple_lower_ident(t->text, strlen(t->text)))
	{
		FmBuf		b;

		fm_buf_init(&b, a);
		fm_buf_append_char(&b, '"');
		for (const char *s = t->text; *s; s++)
		{
			if (*s == '"')
				fm_buf_append_char(&b, '"');
			fm_buf_append_char(&b, *s);
		}
		fm_buf_append_char(&b, '"');
		return b.data;
	}
	return t->text;
}

static Ex	parse_expr(P *p, int minprec);

/* an operand of kind k with canonical text s */
static Ex
mk(ExprKind k, char *s)
{
	Ex			e = {k, s, false};

	return e;
}

/* an operator application: s is "(...)" */
static Ex
mkop(char *s)
{
	Ex			e = {E_OTHER, s, true};

	return e;
}

/* a type name after :: or AS: absorbed up to the next non-type token */
static char *
parse_type(P *p)
{
	FmBuf		b;
	Tok		   *t = peek(p, 0);
	int			words = 0;

	fm_buf_init(&b, p->a);
	if (t->k != T_IDENT && t->k != T_QIDENT)
		fail(p);
	for (;;)
	{
		t = peek(p, 0);
		if ((t->k == T_IDENT || t->k == T_QIDENT) &&
			(words == 0 || is_kw(t, "varying") || is_kw(t, "precision") ||
			 is_kw(t, "with") || is_kw(t, "without") || is_kw(t, "time") ||
			 is_kw(t, "zone")))
		{
			if (words++)
				fm_buf_append_char(&b, ' ');
			if (t->k == T_QIDENT)
				fm_buf_printf(&b, "\"%s\"", t->text);
			else
				fm_buf_append(&b, t->text);
			next(p);
			/* qualified name */
			while (peek(p, 0)->k == T_DOT &&
				   (peek(p, 1)->k == T_IDENT || peek(p, 1)->k == T_QIDENT))
			{
				next(p);
				t = next(p);
				fm_buf_append_char(&b, '.');
				if (t->k == T_QIDENT)
					fm_buf_printf(&b, "\"%s\"", t->text);
				else
					fm_buf_append(&b, t->text);
			}
			continue;
		}
		if (t->k == T_LPAREN && words > 0)
		{
			next(p);
			fm_buf_append_char(&b, '(');
			while (peek(p, 0)->k != T_RPAREN)
			{
				Tok		   *m = next(p);

				if (m->k == T_EOF)
					fail(p);
				fm_buf_append(&b, m->text);
			}
			next(p);
			fm_buf_append_char(&b, ')');
			continue;
		}
		if (t->k == T_LBRACK && words > 0)
		{
			next(p);
			while (peek(p, 0)->k == T_NUMBER)
				next(p);
			expect(p, T_RBRACK);
			fm_buf_append(&b, "[]");
			continue;
		}
		break;
	}
	return fm_normalize_type(p->a, b.data);
}

/*
 * apply_cast
 *		Canonical text of e::type.  Casts of literals and of bare column
 *		references are dropped, as PostgreSQL adds them when it stores an
 *		expression ('-1'::integer becomes -1); any other cast is kept.
 */
static Ex
apply_cast(P *p, Ex e, const char *type)
{
	/* casts of literals and of bare column references are not compared */
	if (e.k == E_STRING)
	{
		/* 'text' inside the quotes: recover, '-1'::integer -> -1 */
		size_t		l = strlen(e.s);
		char	   *inner = fm_strndup(p->a, e.s + 1, l >= 2 ? l - 2 : 0);

		if (fm_is_number_text(inner, false))
			return mk(E_NUMBER, inner[0] == '+' ? inner + 1 : inner);
		return e;
	}
	/*
	 * An array of literals cast as a whole: PostgreSQL stores IN lists on
	 * varchar columns as (ARRAY['a'::varchar])::text[], and the same after
	 * a column type change as ARRAY[('a'::varchar)::text]
	 */
	if (e.k == E_NUMBER || e.k == E_COLREF || e.k == E_LITARRAY)
		return e;
	return mk(E_OTHER, fm_psprintf(p->a, "%s::%s", e.s, type));
}

/* a comma-separated list up to close; *literals: every element a literal */
static char *
parse_list_n(P *p, TokKind close, int *count, bool *literals)
{
	FmBuf		b;
	int			n = 0;
	bool		lit = true;

	fm_buf_init(&b, p->a);
	fm_buf_append(&b, "");
	while (peek(p, 0)->k != close)
	{
		Ex			e;

		if (n++)
		{
			expect(p, T_COMMA);
			fm_buf_append(&b, ", ");
		}
		if (peek(p, 0)->k == T_OP && strcmp(peek(p, 0)->text, "*") == 0 &&
			(peek(p, 1)->k == close))
		{
			next(p);
			fm_buf_append(&b, "*");
			lit = false;
			continue;
		}
		e = parse_expr(p, 0);
		if (e.k != E_STRING && e.k != E_NUMBER)
			lit = false;
		fm_buf_append(&b, e.s);
	}
	next(p);
	if (count)
		*count = n;
	if (literals)
		*literals = lit;
	return b.data;
}

/* parse_list_n() when the count and literal-ness do not matter */
static char *
parse_list(P *p, TokKind close)
{
	return parse_list_n(p, close, NULL, NULL);
}

/* CASE [x] WHEN ... THEN ... [ELSE ...] END, after the CASE keyword */
static Ex
parse_case(P *p)
{
	FmBuf		b;

	fm_buf_init(&b, p->a);
	fm_buf_append(&b, "case");
	if (!is_kw(peek(p, 0), "when"))
		fm_buf_printf(&b, " %s", parse_expr(p, 0).s);
	while (is_kw(peek(p, 0), "when"))
	{
		next(p);
		fm_buf_printf(&b, " when %s", parse_expr(p, 0).s);
		if (!is_kw(peek(p, 0), "then"))
			fail(p);
		next(p);
		fm_buf_printf(&b, " then %s", parse_expr(p, 0).s);
	}
	if (is_kw(peek(p, 0), "else"))
	{
		next(p);
		fm_buf_printf(&b, " else %s", parse_expr(p, 0).s);
	}
	if (!is_kw(peek(p, 0), "end"))
		fail(p);
	next(p);
	fm_buf_append(&b, " end");
	return mk(E_OTHER, b.data);
}

/* a keyword that cannot start an operand or name a column here */
static bool
reserved_word(const char *s)
{
	static const char *const words[] = {
		"and", "or", "not", "is", "in", "like", "ilike", "similar", "between",
		"then", "else", "end", "when", "from", "as", "select", "isnull",
		"notnull", "collate", "at", "escape", NULL
	};

	for (int i = 0; words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

/*
 * Has the argument list that starts at the current token (after a call's
 * opening parenthesis) one of the keywords words outside nested brackets?
 */
static bool
args_have_keyword(P *p, const char *const *words)
{
	int			depth = 0;

	for (int i = 0;; i++)
	{
		Tok		   *t = peek(p, i);

		if (t->k == T_EOF)
			return false;
		if (t->k == T_LPAREN || t->k == T_LBRACK)
			depth++;
		else if (t->k == T_RPAREN || t->k == T_RBRACK)
		{
			if (--depth < 0)
				return false;
		}
		else if (depth == 0 && t->k == T_IDENT)
			for (int w = 0; words[w]; w++)
				if (strcmp(t->text, words[w]) == 0)
					return true;
	}
}

/* consume the keyword kw if it is next */
static bool
accept_kw(P *p, const char *kw)
{
	if (!is_kw(peek(p, 0), kw))
		return false;
	next(p);
	return true;
}

/*
 * parse_sql_syntax_call
 *		After "name(", the SQL-standard syntax of a few functions, as the
 *		canonical text of the plain call PostgreSQL stores; NULL (nothing
 *		consumed) when the arguments are a plain list.
 *
 *		EXTRACT(field FROM x)              extract('field', x)
 *		SUBSTRING(x FROM a [FOR b])        substring(x, a[, b])
 *		SUBSTRING(x FOR b)                 substring(x, 1, b)
 *		POSITION(a IN b)                   position(b, a)
 *		TRIM([BOTH|LEADING|TRAILING] [c] FROM x), TRIM(x[, c])
 *		                                   btrim/ltrim/rtrim(x[, c])
 *		OVERLAY(x PLACING y FROM a [FOR b]) overlay(x, y, a[, b])
 *
 * PostgreSQL deparses the calls made by this syntax in it again
 * (EXTRACT(epoch FROM x)), and those written as plain calls as calls, so
 * both spellings of one call compare equal.  Anything else of these forms
 * (SUBSTRING ... SIMILAR) fails over to the token fallback.
 */
static char *
parse_sql_syntax_call(P *p, const char *name)
{
	static const char *const from_for[] = {"from", "for", "similar", NULL};
	static const char *const in[] = {"in", NULL};
	static const char *const placing[] = {"placing", NULL};
	Ex			a,
				b,
				c;

	if (strcmp(name, "extract") == 0 && args_have_keyword(p, from_for))
	{
		Tok		   *f = next(p);
		char	   *field;

		/* deparsed as a name, quoted when it has capitals: EXTRACT("Year" ...) */
		if (f->k != T_IDENT && f->k != T_QIDENT && f->k != T_STRING)
			fail(p);
		field = fm_strdup(p->a, f->text);
		for (char *q = field; *q; q++)
			if (*q >= 'A' && *q <= 'Z')
				*q = (char) (*q - 'A' + 'a');
		if (!accept_kw(p, "from"))
			fail(p);
		a = parse_expr(p, 0);
		expect(p, T_RPAREN);
		return fm_psprintf(p->a, "extract(%s, %s)", fm_sql_string(p->a, field), a.s);
	}
	if (strcmp(name, "substring") == 0 && args_have_keyword(p, from_for))
	{
		a = parse_expr(p, 0);
		if (accept_kw(p, "from"))
		{
			b = parse_expr(p, 0);
			if (accept_kw(p, "for"))
			{
				c = parse_expr(p, 0);
				expect(p, T_RPAREN);
				return fm_psprintf(p->a, "substring(%s, %s, %s)", a.s, b.s, c.s);
			}
			expect(p, T_RPAREN);
			return fm_psprintf(p->a, "substring(%s, %s)", a.s, b.s);
		}
		if (!accept_kw(p, "for"))
			fail(p);
		c = parse_expr(p, 0);
		expect(p, T_RPAREN);
		return fm_psprintf(p->a, "substring(%s, 1, %s)", a.s, c.s);
	}
	if (strcmp(name, "position") == 0 && args_have_keyword(p, in))
	{
		a = parse_expr(p, 6);	/* b_expr: operators that bind tighter than IN */
		if (!accept_kw(p, "in"))
			fail(p);
		b = parse_expr(p, 6);
		expect(p, T_RPAREN);
		return fm_psprintf(p->a, "position(%s, %s)", b.s, a.s);
	}
	if (strcmp(name, "trim") == 0)
	{
		const char *fn = "btrim";
		char	   *rest;

		if (accept_kw(p, "leading"))
			fn = "ltrim";
		else if (accept_kw(p, "trailing"))
			fn = "rtrim";
		else
			(void) accept_kw(p, "both");
		if (accept_kw(p, "from"))
		{
			rest = parse_list(p, T_RPAREN);
			return fm_psprintf(p->a, "%s(%s)", fn, rest);
		}
		a = parse_expr(p, 0);
		if (accept_kw(p, "from"))
		{
			rest = parse_list(p, T_RPAREN);
			return fm_psprintf(p->a, "%s(%s, %s)", fn, rest, a.s);
		}
		if (peek(p, 0)->k == T_COMMA)
		{
			next(p);
			rest = parse_list(p, T_RPAREN);
			return fm_psprintf(p->a, "%s(%s, %s)", fn, a.s, rest);
		}
		expect(p, T_RPAREN);
		return fm_psprintf(p->a, "%s(%s)", fn, a.s);
	}
	if (strcmp(name, "overlay") == 0 && args_have_keyword(p, placing))
	{
		Ex			d;

		a = parse_expr(p, 0);
		if (!accept_kw(p, "placing"))
			fail(p);
		b = parse_expr(p, 0);
		if (!accept_kw(p, "from"))
			fail(p);
		c = parse_expr(p, 0);
		if (accept_kw(p, "for"))
		{
			d = parse_expr(p, 0);
			expect(p, T_RPAREN);
			return fm_psprintf(p->a, "overlay(%s, %s, %s, %s)", a.s, b.s, c.s, d.s);
		}
		expect(p, T_RPAREN);
		return fm_psprintf(p->a, "overlay(%s, %s, %s)", a.s, b.s, c.s);
	}
	return NULL;
}

/*
 * parse_primary
 *		Parse one operand: a literal, column reference or function call,
 *		a parenthesized expression or row, ARRAY[...], CASE, a typed
 *		literal (type 'text'), CAST(x AS t) or a keyword constant, and
 *		return its canonical text.
 *
 * Calls fail() (a longjmp to fm_normalize_expr) on anything it does not
 * recognize; the caller then falls back to token-by-token normalization.
 */
static Ex
parse_primary(P *p)
{
	Tok		   *t = next(p);

	switch (t->k)
	{
		case T_NUMBER:
			return mk(E_NUMBER, t->text);
		case T_STRING:
			return mk(E_STRING, fm_sql_string(p->a, t->text));
		case T_PARAM:
			return mk(E_OTHER, t->text);
		case T_LPAREN:
			{
				Ex			e;

				if (is_kw(peek(p, 0), "select") || is_kw(peek(p, 0), "with"))
					fail(p);
				e = parse_expr(p, 0);
				if (peek(p, 0)->k == T_COMMA)
				{
					char	   *rest;

					next(p);
					rest = parse_list(p, T_RPAREN);
					return mk(E_OTHER, fm_psprintf(p->a, "row(%s, %s)", e.s, rest));
				}
				expect(p, T_RPAREN);
				return e;
			}
		case T_IDENT:
		case T_QIDENT:
			break;
		default:
			fail(p);
	}

	if (t->k == T_IDENT)
	{
		if (reserved_word(t->text))
			fail(p);
		if (strcmp(t->text, "true") == 0 || strcmp(t->text, "false") == 0 ||
			strcmp(t->text, "null") == 0)
			return mk(E_OTHER, t->text);
		if (strcmp(t->text, "current_timestamp") == 0 && peek(p, 0)->k != T_LPAREN)
			return mk(E_OTHER, "now()");
		if (strcmp(t->text, "case") == 0)
			return parse_case(p);
		if (strcmp(t->text, "exists") == 0)
			fail(p);
		if (strcmp(t->text, "array") == 0 && peek(p, 0)->k == T_LBRACK)
		{
			bool		lit;
			char	   *elems;

			next(p);
			elems = parse_list_n(p, T_RBRACK, NULL, &lit);
			return mk(lit ? E_LITARRAY : E_OTHER, fm_psprintf(p->a, "array[%s]", elems));
		}
		if (strcmp(t->text, "cast") == 0 && peek(p, 0)->k == T_LPAREN)
		{
			Ex			e;
			char	   *type;

			next(p);
			e = parse_expr(p, 0);
			if (!is_kw(peek(p, 0), "as"))
				fail(p);
			next(p);
			type = parse_type(p);
			expect(p, T_RPAREN);
			return apply_cast(p, e, type);
		}
		/* typed literal: date '2020-01-01', interval '1 day' */
		if (peek(p, 0)->k == T_STRING)
		{
			Tok		   *s = next(p);

			return mk(E_STRING, fm_sql_string(p->a, s->text));
		}
	}

	/* name, qualified name, or function call */
	{
		FmBuf		b;

		fm_buf_init(&b, p->a);
		fm_buf_append(&b, ident_text(p->a, t));
		while (peek(p, 0)->k == T_DOT &&
			   (peek(p, 1)->k == T_IDENT || peek(p, 1)->k == T_QIDENT ||
				(peek(p, 1)->k == T_OP && strcmp(peek(p, 1)->text, "*") == 0)))
		{
			next(p);
			fm_buf_append_char(&b, '.');
			fm_buf_append(&b, ident_text(p->a, next(p)));
		}
		if (peek(p, 0)->k == T_LPAREN)
		{
			char	   *name = b.data;
			char	   *args;

			next(p);
			if (is_kw(peek(p, 0), "distinct") || is_kw(peek(p, 0), "select"))
				fail(p);
			if (strncmp(name, "pg_catalog.", 11) == 0)
				name += 11;
			if (strcmp(name, "some") == 0)
				name = "any";
			if (t->k == T_IDENT && b.data == name &&
				(args = parse_sql_syntax_call(p, name)) != NULL)
				return mk(E_OTHER, args);
			args = parse_list(p, T_RPAREN);
			if ((strcmp(name, "now") == 0 || strcmp(name, "transaction_timestamp") == 0) &&
				args[0] == '\0')
				return mk(E_OTHER, "now()");
			return mk(E_OTHER, fm_psprintf(p->a, "%s(%s)", name, args));
		}
		return mk(E_COLREF, b.data);
	}
}

/* e followed by any ::type casts and [i] or [i:j] subscripts */
static Ex
parse_postfix(P *p, Ex e)
{
	for (;;)
	{
		Tok		   *t = peek(p, 0);

		if (t->k == T_CAST)
		{
			next(p);
			e = apply_cast(p, e, parse_type(p));
			continue;
		}
		if (t->k == T_LBRACK)
		{
			FmBuf		b;

			next(p);
			fm_buf_init(&b, p->a);
			fm_buf_printf(&b, "%s[", e.s);
			if (peek(p, 0)->k != T_OTHER)
				fm_buf_append(&b, parse_expr(p, 0).s);
			if (peek(p, 0)->k == T_OTHER && strcmp(peek(p, 0)->text, ":") == 0)
			{
				next(p);
				fm_buf_append_char(&b, ':');
				if (peek(p, 0)->k != T_RBRACK)
					fm_buf_append(&b, parse_expr(p, 0).s);
			}
			expect(p, T_RBRACK);
			fm_buf_append_char(&b, ']');
			e = mk(E_OTHER, b.data);
			continue;
		}
		return e;
	}
}

/* binary operator precedence of the next token; 0 = not an operator */
static int
binprec(P *p, Tok *t)
{
	if (t->k == T_IDENT)
	{
		if (strcmp(t->text, "or") == 0)
			return 1;
		if (strcmp(t->text, "and") == 0)
			return 2;
		if (strcmp(t->text, "is") == 0 || strcmp(t->text, "isnull") == 0 ||
			strcmp(t->text, "notnull") == 0)
			return 4;
		if (strcmp(t->text, "between") == 0 || strcmp(t->text, "in") == 0 ||
			strcmp(t->text, "like") == 0 || strcmp(t->text, "ilike") == 0 ||
			strcmp(t->text, "similar") == 0)
			return 6;
		if (strcmp(t->text, "not") == 0)
		{
			Tok		   *n = peek(p, 1);

			if (is_kw(n, "between") || is_kw(n, "in") || is_kw(n, "like") ||
				is_kw(n, "ilike") || is_kw(n, "similar"))
				return 6;
			return 0;
		}
		if (strcmp(t->text, "at") == 0 || strcmp(t->text, "collate") == 0)
			return 11;
		return 0;
	}
	if (t->k != T_OP)
		return 0;
	if (strcmp(t->text, "<") == 0 || strcmp(t->text, ">") == 0 ||
		strcmp(t->text, "=") == 0 || strcmp(t->text, "<=") == 0 ||
		strcmp(t->text, ">=") == 0 || strcmp(t->text, "<>") == 0 ||
		strcmp(t->text, "!=") == 0)
		return 5;
	if (strcmp(t->text, "+") == 0 || strcmp(t->text, "-") == 0)
		return 8;
	if (strcmp(t->text, "*") == 0 || strcmp(t->text, "/") == 0 ||
		strcmp(t->text, "%") == 0)
		return 9;
	if (strcmp(t->text, "^") == 0)
		return 10;
	return 7;
}

/*
 * parse_unary
 *		Parse a unary NOT, prefix operator (a sign on a number folds into
 *		the number) or an operand with its postfix casts and subscripts.
 */
static Ex
parse_unary(P *p)
{
	Tok		   *t = peek(p, 0);

	if (is_kw(t, "not"))
	{
		Ex			e;

		next(p);
		e = parse_expr(p, 3);
		return mkop(fm_psprintf(p->a, "(not %s)", e.s));
	}
	if (t->k == T_OP)
	{
		Ex			e;
		bool		minus = strcmp(t->text, "-") == 0;
		bool		plus = strcmp(t->text, "+") == 0;

		next(p);
		e = parse_expr(p, (minus || plus) ? 12 : 8);
		if (plus && e.k == E_NUMBER)
			return e;
		if (minus && e.k == E_NUMBER)
			return mk(E_NUMBER, e.s[0] == '-' ? e.s + 1 : fm_psprintf(p->a, "-%s", e.s));
		return mkop(fm_psprintf(p->a, "(%s %s)", t->text, e.s));
	}
	return parse_postfix(p, parse_primary(p));
}

/*
 * parse_expr
 *		Precedence-climbing parser: parse an expression whose binary
 *		operators all bind at least as tightly as minprec, and return its
 *		canonical text, every operator application parenthesized once.
 *
 * Besides the plain binary operators this handles the forms PostgreSQL
 * rewrites when it stores an expression: IS [NOT] NULL/TRUE/DISTINCT FROM,
 * [NOT] LIKE/ILIKE (to ~~ and friends), [NOT] IN (...) (to = ANY
 * (ARRAY[...])), [NOT] BETWEEN (to >= AND <=) and != (to <>).  Recursion
 * depth is bounded by MAX_DEPTH; deeper text fails over to the token
 * fallback.
 */
static Ex
parse_expr(P *p, int minprec)
{
	Ex			left;

	if (++p->depth > MAX_DEPTH)
		fail(p);
	left = parse_unary(p);
	for (;;)
	{
		Tok		   *t = peek(p, 0);
		int			prec = binprec(p, t);
		bool		negate = false;

		if (prec == 0 || prec < minprec || (prec == minprec && minprec > 0))
			break;
		next(p);
		if (t->k == T_IDENT)
		{
			const char *kw = t->text;

			if (strcmp(kw, "not") == 0)
			{
				negate = true;
				kw = next(p)->text;
			}
			if (strcmp(kw, "or") == 0 || strcmp(kw, "and") == 0)
			{
				Ex			r = parse_expr(p, prec);

				left = mkop(fm_psprintf(p->a, "(%s %s %s)", left.s, kw, r.s));
			}
			else if (strcmp(kw, "isnull") == 0 || strcmp(kw, "notnull") == 0)
				left = mkop(fm_psprintf(p->a, "(%s is %snull)", left.s,
											   kw[0] == 'n' ? "not " : ""));
			else if (strcmp(kw, "is") == 0)
			{
				bool		isnot = false;
				Tok		   *w;

				if (is_kw(peek(p, 0), "not"))
				{
					next(p);
					isnot = true;
				}
				w = next(p);
				if (is_kw(w, "null") || is_kw(w, "true") || is_kw(w, "false") ||
					is_kw(w, "unknown"))
					left = mkop(fm_psprintf(p->a, "(%s is %s%s)", left.s,
												   isnot ? "not " : "", w->text));
				else if (is_kw(w, "distinct") && is_kw(peek(p, 0), "from"))
				{
					Ex			r;

					next(p);
					r = parse_expr(p, prec);
					left = mkop(fm_psprintf(p->a, "(%s is %sdistinct from %s)",
												   left.s, isnot ? "not " : "", r.s));
				}
				else
					fail(p);
			}
			else if (strcmp(kw, "between") == 0)
			{
				Ex			lo,
							hi;

				if (is_kw(peek(p, 0), "symmetric"))
					fail(p);
				lo = parse_expr(p, 6);
				if (!is_kw(peek(p, 0), "and"))
					fail(p);
				next(p);
				hi = parse_expr(p, 6);
				left = mkop(negate ?
						  fm_psprintf(p->a, "((%s < %s) or (%s > %s))", left.s, lo.s, left.s, hi.s) :
						  fm_psprintf(p->a, "((%s >= %s) and (%s <= %s))", left.s, lo.s, left.s, hi.s));
			}
			else if (strcmp(kw, "in") == 0)
			{
				char	   *list;
				int			count;

				expect(p, T_LPAREN);
				if (is_kw(peek(p, 0), "select") || peek(p, 0)->k == T_RPAREN)
					fail(p);
				list = parse_list_n(p, T_RPAREN, &count, NULL);
				if (count == 1)
				{
					/* PostgreSQL stores x IN (a) as x = a */
					left = mkop(fm_psprintf(p->a, "(%s %s %s)", left.s,
												   negate ? "<>" : "=", list));
				}
				else
					left = mkop(fm_psprintf(p->a, "(%s %s %s(array[%s]))", left.s,
												   negate ? "<>" : "=", negate ? "all" : "any",
												   list));
			}
			else if (strcmp(kw, "like") == 0 || strcmp(kw, "ilike") == 0)
			{
				Ex			r = parse_expr(p, prec);
				const char *op = kw[0] == 'i' ? (negate ? "!~~*" : "~~*") :
					(negate ? "!~~" : "~~");

				if (is_kw(peek(p, 0), "escape"))
					fail(p);
				left = mkop(fm_psprintf(p->a, "(%s %s %s)", left.s, op, r.s));
			}
			else if (strcmp(kw, "at") == 0)
			{
				Ex			r;

				if (!is_kw(next(p), "time") || !is_kw(next(p), "zone"))
					fail(p);
				r = parse_expr(p, prec);
				left = mkop(fm_psprintf(p->a, "(%s at time zone %s)", left.s, r.s));
			}
			else if (strcmp(kw, "collate") == 0)
			{
				Tok		   *c = next(p);

				if (c->k != T_IDENT && c->k != T_QIDENT)
					fail(p);
				left = mkop(fm_psprintf(p->a, "(%s collate %s)", left.s,
											   ident_text(p->a, c)));
			}
			else
				fail(p);		/* similar to, ... */
		}
		else
		{
			const char *op = strcmp(t->text, "!=") == 0 ? "<>" : t->text;
			Ex			r = parse_expr(p, prec);

			left = mkop(fm_psprintf(p->a, "(%s %s %s)", left.s, op, r.s));
		}
	}
	p->depth--;
	return left;
}

/*
 * token-by-token fallback
 *
 * Linear in the number of tokens: the text may be megabytes of nested
 * parentheses, and the core cannot be cancelled (no interrupts here), so
 * the matching parenthesis of each one is found once, with a stack, instead
 * of rescanning the text for each pair stripped.
 */
static char *
token_fallback(FmArena *a, Tok **toks, int n)
{
	FmBuf		b;
	int			lo = 0,
				hi = n - 1;		/* exclusive of the EOF token */
	int		   *match = NULL;	/* of each "(": its ")", or -1 */
	int		   *stack;
	int			top = 0;

	if (hi - lo >= 2 && toks[lo]->k == T_LPAREN && toks[hi - 1]->k == T_RPAREN)
	{
		match = fm_alloc(a, sizeof(int) * (size_t) hi);
		stack = fm_alloc(a, sizeof(int) * (size_t) hi);
		for (int i = lo; i < hi; i++)
		{
			match[i] = -1;
			if (toks[i]->k == T_LPAREN)
				stack[top++] = i;
			else if (toks[i]->k == T_RPAREN && top > 0)
				match[stack[--top]] = i;
		}
	}
	/* strip parentheses that wrap the whole text */
	while (match != NULL && hi - lo >= 2 && toks[lo]->k == T_LPAREN &&
		   toks[hi - 1]->k == T_RPAREN && match[lo] == hi - 1)
	{
		lo++;
		hi--;
	}
	fm_buf_init(&b, a);
	fm_buf_append(&b, "");
	for (int i = lo; i < hi; i++)
	{
		Tok		   *t = toks[i];

		/* drop "::type" after a literal */
		if (t->k == T_CAST && i > lo &&
			(toks[i - 1]->k == T_STRING || toks[i - 1]->k == T_NUMBER) &&
			i + 1 < hi && (toks[i + 1]->k == T_IDENT || toks[i + 1]->k == T_QIDENT))
		{
			i++;
			while (i + 1 < hi && toks[i + 1]->k == T_IDENT &&
				   (is_kw(toks[i + 1], "varying") || is_kw(toks[i + 1], "precision")))
				i++;
			continue;
		}
		if (b.len > 0)
			fm_buf_append_char(&b, ' ');
		if (t->k == T_STRING)
			fm_buf_append(&b, fm_sql_string(a, t->text));
		else if (t->k == T_QIDENT)
			fm_buf_append(&b, ident_text(a, t));
		else
			fm_buf_append(&b, t->text);
	}
	return b.data;
}

/*
 * fm_normalize_expr
 *		The canonical text of SQL expression expr for comparison (see
 *		fm_diff.h for the rewrites), allocated in a; NULL for NULL.  Text
 *		longer than MAX_PARSE_LEN, or that the parser gives up on (a longjmp
 *		through p.fail), is normalized token by token instead.
 */
char *
fm_normalize_expr(FmArena *a, const char *expr)
{
	FmList		toks = {0};
	P			p;
	volatile bool ok;
	Ex			e = {E_OTHER, NULL, false};

	if (expr == NULL)
		return NULL;
	fm_norm_tokenize(a, expr, &toks);
	memset(&p, 0, sizeof(p));
	p.a = a;
	p.toks = (Tok **) toks.items;
	p.n = toks.n;
	ok = false;
	/* canonical text is rebuilt at every level: keep that cost bounded */
	if (strlen(expr) <= MAX_PARSE_LEN && setjmp(p.fail) == 0)
	{
		if (peek(&p, 0)->k != T_EOF)
		{
			e = parse_expr(&p, 0);
			ok = peek(&p, 0)->k == T_EOF;
		}
	}
	if (!ok)
		return token_fallback(a, p.toks, p.n);
	/* the outermost parentheses carry no information */
	if (e.op)
		return fm_strndup(a, e.s + 1, strlen(e.s) - 2);
	return e.s;
}
