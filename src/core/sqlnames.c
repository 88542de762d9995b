/*-------------------------------------------------------------------------
 *
 * sqlnames.c
 *	  SQL names as PostgreSQL reads them (fm_sqlnames.h): qualified names
 *	  written as SQL text are split into parts for the model, so that
 *	  rendering quotes every part and never pastes text; the keyword and
 *	  pg_catalog type lists (sqlnames_data.c) are searched; the column
 *	  references of an expression are found with a small lexer that reads
 *	  strings, quoted names, dollar quotes and nested comments as
 *	  PostgreSQL's scanner does.
 *
 * Nothing here can crash, loop or recurse without bound on any input.
 *
 * src/core/sqlnames.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "fm_model.h"
#include "fm_sqlnames.h"

/* bsearch comparator: a word against an FmKeyword */
static int
cmp_name(const void *key, const void *elem)
{
	return strcmp((const char *) key, *(const char *const *) elem);
}

/* the keyword s (lower case, exact) in fm_sql_keywords, or NULL */
static const FmKeyword *
find_keyword(const char *s)
{
	if (s == NULL)
		return NULL;
	return bsearch(s, fm_sql_keywords, (size_t) fm_sql_keywords_count,
				   sizeof(FmKeyword), cmp_name);
}

/* is s (lower case, exact) a keyword of PostgreSQL's grammar? */
bool
fm_is_sql_keyword(const char *s)
{
	return find_keyword(s) != NULL;
}

/* is s (lower case, exact) an unreserved keyword (a name in expressions)? */
bool
fm_is_unreserved_keyword(const char *s)
{
	const FmKeyword *k = find_keyword(s);

	return k != NULL && k->unreserved;
}

/* is s (exact) the name of a type in pg_catalog? (binary search) */
bool
fm_is_pg_catalog_type(const char *s)
{
	return s != NULL && bsearch(s, fm_pg_catalog_types, (size_t) fm_pg_catalog_types_count,
								sizeof(char *), cmp_name) != NULL;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool
ident_cont(unsigned char c)
{
	return ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

/*
 * One name at *pp: a quoted name (returns it unquoted) or an unquoted one
 * (returns it lower-cased); NULL when there is none there.  *quoted tells
 * which; *err is set for an unterminated quoted name.
 */
static char *
read_name(FmArena *a, const char **pp, bool *quoted, const char **err)
{
	const char *p = *pp;
	FmBuf		b;

	fm_buf_init(&b, a);
	*quoted = *p == '"';
	if (*quoted)
	{
		for (p++;; p++)
		{
			if (*p == '\0')
			{
				*err = "an unterminated quoted name";
				return NULL;
			}
			if (*p == '"')
			{
				if (p[1] != '"')
					break;
				p++;
			}
			fm_buf_append_char(&b, *p);
		}
		*pp = p + 1;
		return b.data;
	}
	if (!ident_start((unsigned char) *p))
		return NULL;
	for (; ident_cont((unsigned char) *p); p++)
		fm_buf_append_char(&b, (*p >= 'A' && *p <= 'Z') ? (char) (*p + 'a' - 'A') : *p);
	*pp = p;
	return b.data;
}

/*
 * fm_split_qualified_name
 *		Split text into 1 to max_parts dotted, possibly quoted name parts, as
 *		PostgreSQL's grammar reads a qualified name; NULL on success (parts
 *		appended), else a short phrase saying what is wrong.  The contract is
 *		in fm_sqlnames.h.
 */
const char *
fm_split_qualified_name(FmArena *arena, const char *text, int max_parts,
						FmList *parts)
{
	const char *p = text ? text : "";
	FmList		got = {0};

	for (;;)
	{
		bool		quoted;
		const char *err = NULL;
		char	   *name;

		while (is_space(*p))
			p++;
		name = read_name(arena, &p, &quoted, &err);
		if (err)
			return err;
		if (name == NULL)
			return got.n == 0 && *p == '\0' ? "an empty name" :
				"a character that cannot be part of a name (quote the name with \"\")";
		if (name[0] == '\0')
			return "an empty quoted name";
		if (strlen(name) > FM_MAX_IDENT_LEN)
			return "a name longer than 63 bytes";
		if (got.n == max_parts)
			return max_parts == 1 ? "a qualified name where only a name is allowed" :
				"too many dotted parts";
		fm_list_append(arena, &got, name);
		while (is_space(*p))
			p++;
		if (*p == '\0')
			break;
		if (*p != '.')
			return "a character that cannot be part of a name (quote the name with \"\")";
		p++;
	}
	for (int i = 0; i < got.n; i++)
		fm_list_append(arena, parts, got.items[i]);
	return NULL;
}

/* ---------- column references of an expression ---------- */

typedef enum
{
	L_NAME,						/* unquoted: lower-cased */
	L_QNAME,					/* quoted */
	L_STRING,
	L_OTHER,					/* number, parameter, operator, punctuation */
	L_EOF
} LexKind;

typedef struct Lex
{
	LexKind		k;
	char	   *text;			/* names; operators and punctuation */
} Lex;

/* skip a string starting at p (at its opening quote); NULL if unterminated */
static const char *
skip_string(const char *p, bool escapes)
{
	for (p++; *p; p++)
	{
		if (escapes && *p == '\\' && p[1])
			p++;
		else if (*p == '\'')
		{
			if (p[1] != '\'')
				return p + 1;
			p++;
		}
	}
	return NULL;
}

/* $tag$...$tag$ starting at p; NULL when p starts none or it is unterminated */
static const char *
skip_dollar_quote(const char *p, bool *is_quote)
{
	const char *t = p + 1;
	size_t		taglen;

	*is_quote = false;
	while (*t && *t != '$' && ident_cont((unsigned char) *t) && *t != '$')
		t++;
	if (*t != '$' || (t > p + 1 && p[1] >= '0' && p[1] <= '9'))
		return NULL;
	*is_quote = true;
	taglen = (size_t) (t - p) + 1;
	for (const char *q = t + 1; *q; q++)
		if (*q == '$' && strncmp(q, p, taglen) == 0)
			return q + taglen;
	return NULL;
}

/*
 * Lex expr into out (Lex *), ending with L_EOF.  false when something is
 * unterminated (then out is incomplete).  scs_off: read '...' as
 * PostgreSQL does with standard_conforming_strings off (backslash escapes).
 * *open_comment: the text ends inside a -- comment.
 */
static bool
lex_expr(FmArena *a, const char *expr, bool scs_off, FmList *out,
		 bool *open_comment)
{
	const char *p = expr;

	*open_comment = false;

	for (;;)
	{
		Lex		   *t = fm_alloc(a, sizeof(Lex));
		unsigned char c;

		while (is_space(*p))
			p++;
		c = (unsigned char) *p;
		if (c == '-' && p[1] == '-')
		{
			/* PostgreSQL's scanner ends it at a carriage return too */
			while (*p && *p != '\n' && *p != '\r')
				p++;
			if (*p == '\0')
				*open_comment = true;
			continue;
		}
		if (c == '/' && p[1] == '*')
		{
			int			depth = 0;

			do
			{
				if (*p == '\0')
					return false;
				if (p[0] == '/' && p[1] == '*')
					depth++, p += 2;
				else if (p[0] == '*' && p[1] == '/')
					depth--, p += 2;
				else
					p++;
			} while (depth > 0);
			continue;
		}
		fm_list_append(a, out, t);
		if (c == '\0')
		{
			t->k = L_EOF;
			return true;
		}
		if (c == '\'' || ((c == 'e' || c == 'E') && p[1] == '\''))
		{
			bool		esc = c != '\'';

			p = skip_string(esc ? p + 1 : p, esc || scs_off);
			if (p == NULL)
				return false;
			t->k = L_STRING;
			continue;
		}
		if (c == '$')
		{
			bool		is_quote;
			const char *e = skip_dollar_quote(p, &is_quote);

			if (is_quote)
			{
				if (e == NULL)
					return false;
				p = e;
				t->k = L_STRING;
				continue;
			}
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
			t->k = L_OTHER;
			t->text = "$";
			continue;
		}
		if (c == '"' || ident_start(c))
		{
			bool		quoted;
			const char *err = NULL;

			t->text = read_name(a, &p, &quoted, &err);
			if (err)
				return false;
			t->k = quoted ? L_QNAME : L_NAME;
			continue;
		}
		if (c >= '0' && c <= '9')
		{
			while (ident_cont((unsigned char) *p) || *p == '.')
				p++;
			t->k = L_OTHER;
			t->text = "0";
			continue;
		}
		t->k = L_OTHER;
		if ((c == ':' && p[1] == ':') || (c == '=' && p[1] == '>'))
		{
			t->text = fm_strndup(a, p, 2);
			p += 2;
		}
		else
		{
			t->text = fm_strndup(a, p, 1);
			p++;
		}
	}
}

/*
 * Is token i of toks the bare word or symbol text (not quoted, not a string)?
 */
static bool
lex_is(const FmList *toks, int i, const char *text)
{
	const Lex  *t;

	if (i < 0 || i >= toks->n)
		return false;
	t = fm_list_get(toks, i, Lex);
	return t->k != L_QNAME && t->k != L_STRING && fm_streq(t->text, text);
}

/* a keyword after which an unreserved keyword is a name again */
static bool
connective(const Lex *t)
{
	static const char *const words[] = {
		"and", "or", "not", "case", "when", "then", "else", "between", "in",
		"like", "ilike", "similar", "distinct", "from", NULL
	};

	if (t == NULL || t->k != L_NAME)
		return false;
	for (int i = 0; words[i]; i++)
		if (strcmp(t->text, words[i]) == 0)
			return true;
	return false;
}

/*
 * fm_expr_names_any
 *		Does expr name one of names (of char *): a name token of it, lexed
 *		as fm_expr_unknown_column lexes (strings, dollar quotes and comments
 *		skipped; unquoted names lower-cased, quoted ones as written), equal
 *		to one of them?  Any name token counts, a function's, a type's or a
 *		qualifier too, and text that does not lex answers yes: the diff asks
 *		which CHECKs, indexes and generated columns read a column it
 *		changes, where a false yes costs a needless re-creation and a false
 *		no a plan PostgreSQL refuses.  Works in an arena of its own.
 */
bool
fm_expr_names_any(const char *expr, const FmList *names)
{
	FmArena    *a;
	FmList		toks = {0};
	bool		open_comment;
	bool		found = false;

	if (expr == NULL || names->n == 0)
		return false;
	a = fm_arena_create();
	if (!lex_expr(a, expr, false, &toks, &open_comment))
		found = true;
	for (int i = 0; !found && i < toks.n; i++)
	{
		const Lex  *t = fm_list_get(&toks, i, Lex);

		if (t->k != L_NAME && t->k != L_QNAME)
			continue;
		for (int k = 0; !found && k < names->n; k++)
			found = strcmp(t->text, fm_list_get(names, k, char)) == 0;
	}
	fm_arena_destroy(a);
	return found;
}

/*
 * fm_expr_unknown_column
 *		See fm_sqlnames.h: the first name in SQL expression expr that
 *		is_column(name, arg) does not know and that can only be a column
 *		reference, or NULL.  The tokens live in arena.
 */
const char *
fm_expr_unknown_column(FmArena *arena, const char *expr,
					   bool (*is_column) (const char *name, void *arg), void *arg)
{
	FmList		toks = {0};
	bool		open_comment;
	bool		in_type = false;	/* the words of a type name after :: or AS */

	if (expr == NULL || !lex_expr(arena, expr, false, &toks, &open_comment))
		return NULL;
	for (int i = 0; i < toks.n; i++)
	{
		const Lex  *t = fm_list_get(&toks, i, Lex);
		const Lex  *prev = i > 0 ? fm_list_get(&toks, i - 1, Lex) : NULL;
		const Lex  *next = i + 1 < toks.n ? fm_list_get(&toks, i + 1, Lex) : NULL;
		bool		keyword = t->k == L_NAME && fm_is_sql_keyword(t->text);
		bool		unreserved = keyword && fm_is_unreserved_keyword(t->text);

		if (t->k != L_NAME && t->k != L_QNAME)
		{
			in_type = lex_is(&toks, i, "::") || (in_type && lex_is(&toks, i, "."));
			continue;
		}
		if (lex_is(&toks, i - 1, "::") || lex_is(&toks, i - 1, "as"))
			in_type = true;
		else if (in_type && keyword && !unreserved && !lex_is(&toks, i, "with"))
			in_type = false;
		if (in_type || is_column(t->text, arg))
			continue;
		if (keyword && !unreserved)
			continue;
		if (unreserved && prev &&
			((prev->k == L_NAME && fm_is_sql_keyword(prev->text) && !connective(prev)) ||
			 prev->k == L_STRING))
			continue;
		if (unreserved && next && next->k == L_NAME &&
			fm_is_sql_keyword(next->text) && !connective(next))
			continue;			/* AT TIME ZONE */
		if (lex_is(&toks, i - 1, ".") || lex_is(&toks, i - 1, "collate") ||
			(lex_is(&toks, i - 1, "(") && lex_is(&toks, i - 2, "extract")))
			continue;
		if (lex_is(&toks, i + 1, "(") || lex_is(&toks, i + 1, ".") ||
			lex_is(&toks, i + 1, "=>") || (next && next->k == L_STRING))
			continue;
		return t->text;
	}
	return NULL;
}

/*
 * What keeps expr from being one self-contained expression under one
 * setting of standard_conforming_strings, or NULL.
 */
static const char *
fragment_problem_one(FmArena *arena, const char *expr, bool scs_off,
					 bool one_item)
{
	FmList		toks = {0};
	bool		open_comment;
	int			depth = 0;

	if (!lex_expr(arena, expr, scs_off, &toks, &open_comment))
		return scs_off ?
			"a string, quoted name or comment that does not end where it seems to when standard_conforming_strings is off (write E'...' for a string with backslashes)" :
			"an unterminated string, quoted name or comment";
	if (open_comment)
		return "a -- comment that runs to the end of the text";
	for (int i = 0; i < toks.n; i++)
	{
		const Lex  *t = fm_list_get(&toks, i, Lex);

		if (t->k != L_OTHER)
			continue;
		if (fm_streq(t->text, ";"))
			return "a semicolon outside strings";
		if (one_item && depth == 0 && fm_streq(t->text, ","))
			return "a comma outside parentheses, brackets and strings";
		if (fm_streq(t->text, "(") || fm_streq(t->text, "["))
			depth++;
		else if (fm_streq(t->text, ")") || fm_streq(t->text, "]"))
		{
			if (--depth < 0)
				return "a closing parenthesis without its opening one";
		}
	}
	if (depth != 0)
		return "an opening parenthesis without its closing one";
	return NULL;
}

/* fragment_problem_one under both settings of standard_conforming_strings */
static const char *
fragment_problem(FmArena *arena, const char *expr, bool one_item)
{
	const char *p;

	if (expr == NULL)
		return NULL;
	p = fragment_problem_one(arena, expr, false, one_item);
	return p ? p : fragment_problem_one(arena, expr, true, one_item);
}

/*
 * fm_sql_fragment_problem
 *		NULL when expr is one self-contained SQL fragment, read both with
 *		standard_conforming_strings on and off; else a phrase saying what is
 *		wrong.  The contract is in fm_sqlnames.h.
 */
const char *
fm_sql_fragment_problem(FmArena *arena, const char *expr)
{
	return fragment_problem(arena, expr, false);
}

/*
 * fm_sql_item_problem
 *		fm_sql_fragment_problem, and a comma outside parentheses, brackets
 *		and strings.  The contract is in fm_sqlnames.h.
 */
const char *
fm_sql_item_problem(FmArena *arena, const char *expr)
{
	return fragment_problem(arena, expr, true);
}

/* bound_shape_one: fm_sql_bound_shape_ok under one reading of '...' */
static bool
bound_shape_one(FmArena *arena, const char *bound, bool scs_off)
{
	FmList		toks = {0};
	bool		open_comment;
	int			depth = 0;
	bool		first = true;

	if (!lex_expr(arena, bound, scs_off, &toks, &open_comment) || open_comment)
		return false;
	for (int i = 0; i < toks.n; i++)
	{
		const Lex  *t = fm_list_get(&toks, i, Lex);

		if (t->k == L_EOF)
			break;
		if (t->k == L_OTHER && (fm_streq(t->text, "(") || fm_streq(t->text, ")")))
		{
			depth += fm_streq(t->text, "(") ? 1 : -1;
			if (depth < 0)
				return false;
			continue;
		}
		if (depth > 0)
			continue;
		if (t->k != L_NAME ||
			!(first ? (fm_streq(t->text, "from") || fm_streq(t->text, "in") ||
					   fm_streq(t->text, "with"))
			  : fm_streq(t->text, "to")))
			return false;
		first = false;
	}
	return !first && depth == 0;
}

/*
 * fm_sql_bound_shape_ok
 *		Is bound (a partition bound, the text after FOR VALUES) held to its
 *		clause?  The contract is in fm_sqlnames.h.
 */
bool
fm_sql_bound_shape_ok(FmArena *arena, const char *bound)
{
	return bound != NULL && bound_shape_one(arena, bound, false) &&
		bound_shape_one(arena, bound, true);
}

/*
 * fm_sql_default_needs_parens
 *		Whether expr must be parenthesized after DEFAULT in a column
 *		definition.  The contract is in fm_sqlnames.h.
 */
bool
fm_sql_default_needs_parens(FmArena *arena, const char *expr)
{
	/* what only PostgreSQL's a_expr has, not the b_expr a DEFAULT takes */
	static const char *const a_expr_words[] = {
		"and", "or", "not", "is", "isnull", "notnull", "in", "like", "ilike",
		"similar", "between", "collate", "at", "any", "all", "some",
		"overlaps", NULL
	};
	FmList		toks = {0};
	bool		open_comment;
	int			depth = 0;

	if (expr == NULL || !lex_expr(arena, expr, false, &toks, &open_comment))
		return false;
	for (int i = 0; i < toks.n; i++)
	{
		const Lex  *t = fm_list_get(&toks, i, Lex);

		if (t->k == L_OTHER)
		{
			if (fm_streq(t->text, "(") || fm_streq(t->text, "["))
				depth++;
			else if (fm_streq(t->text, ")") || fm_streq(t->text, "]"))
				depth--;
			continue;
		}
		if (t->k != L_NAME)
			continue;
		/* CASE ... END is one c_expr, whatever its branches hold */
		if (fm_streq(t->text, "case"))
			depth++;
		else if (fm_streq(t->text, "end"))
			depth--;
		else if (depth <= 0)
		{
			for (int w = 0; a_expr_words[w]; w++)
				if (fm_streq(t->text, a_expr_words[w]))
					return true;
		}
	}
	return false;
}

/* ---------- user-defined types that built-in ones would shadow ---------- */

/*
 * fm_check_unqualified_types
 *		Report every enum of m without a schema whose name is a pg_catalog
 *		type's (rendered unqualified, it would mean the built-in type); returns
 *		how many were reported.  For the offline diff: the backend qualifies
 *		every enum.
 */
int
fm_check_unqualified_types(const FmModel *m, FmDiagList *diags)
{
	int			n = 0;

	for (int i = 0; m && i < m->enums.n; i++)
	{
		const FmEnum *e = fm_list_get(&m->enums, i, FmEnum);

		if (e->schema != NULL || !fm_is_pg_catalog_type(e->name))
			continue;
		fm_diag_add(diags, FM_SEV_ERROR, e->pos,
					"enum \"%s\" has the database name \"%s\", which without a schema names the built-in type pg_catalog.%s; give the enum a schema (the datasource's schemas or @@schema) or another database name with @@map",
					e->enum_name ? e->enum_name : e->name, e->name, e->name);
		n++;
	}
	return n;
}
