/*-------------------------------------------------------------------------
 *
 * normalize_type.c
 *	  Offline normalization of type names to format_type() spelling, so
 *	  that a type written by a user and the type as PostgreSQL prints it
 *	  compare equal without asking a server.
 *
 * The text is cleaned first (lower-cased outside quotes, whitespace
 * collapsed, simple quoted names unquoted), then array suffixes, the
 * typmod and the time-zone words are taken apart, the base name is mapped
 * through PostgreSQL's aliases ("int4" -> "integer", "varchar" ->
 * "character varying") and the pieces are put back in format_type()'s
 * order.  The result is for comparison only, never for DDL.
 *
 * Expressions are normalized by normalize.c, which calls back here for the
 * target types of casts.
 *
 * src/core/normalize_type.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fm_diff_int.h"

/*
 * fm_is_simple_lower_ident
 *		True when s[0..len) is an identifier that PostgreSQL would not quote
 *		for its case: a lower-case letter or underscore, then lower-case
 *		letters, digits, underscores or dollars.  Keywords are not checked.
 */
bool
fm_is_simple_lower_ident(const char *s, size_t len)
{
	if (len == 0 || !(islower((unsigned char) s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(islower((unsigned char) s[i]) || isdigit((unsigned char) s[i]) ||
			  s[i] == '_' || s[i] == '$'))
			return false;
	return true;
}

/*
 * Lower-case outside double quotes, collapse whitespace, drop spaces next
 * to punctuation, unquote simple lower-case quoted identifiers.
 */
static char *
type_clean(FmArena *a, const char *t)
{
	FmBuf		b;
	const char *p = t;
	bool		pending_space = false;

	fm_buf_init(&b, a);
	while (*p)
	{
		unsigned char c = (unsigned char) *p;

		if (isspace(c))
		{
			pending_space = true;
			p++;
			continue;
		}
		if (pending_space && b.len > 0 && strchr("(,.[", b.data[b.len - 1]) == NULL &&
			strchr("(),.[]", c) == NULL)
			fm_buf_append_char(&b, ' ');
		pending_space = false;
		if (c == '"')
		{
			const char *start = ++p;
			FmBuf		q;

			fm_buf_init(&q, a);
			while (*p)
			{
				if (*p == '"')
				{
					if (p[1] == '"')
					{
						fm_buf_append_char(&q, '"');
						p += 2;
						continue;
					}
					break;
				}
				fm_buf_append_char(&q, *p++);
			}
			(void) start;
			if (*p == '"')
				p++;
			if (fm_is_simple_lower_ident(q.data, q.len))
				fm_buf_append(&b, q.data);
			else
			{
				fm_buf_append_char(&b, '"');
				for (size_t i = 0; i < q.len; i++)
				{
					if (q.data[i] == '"')
						fm_buf_append_char(&b, '"');
					fm_buf_append_char(&b, q.data[i]);
				}
				fm_buf_append_char(&b, '"');
			}
			continue;
		}
		fm_buf_append_char(&b, (char) tolower(c));
		p++;
	}
	return b.data;
}

/*
 * fm_normalize_type
 *		Return the format_type() spelling of the type name type, or NULL
 *		for NULL (see fm_diff.h for examples).
 *
 * Array suffixes ("[]", "[3]", "array") become one "[]", as PostgreSQL
 * ignores the dimensions; the typmod is split off and normalized
 * (numeric(10) -> numeric(10,0)); the base name is mapped through the
 * aliases PostgreSQL's grammar accepts, and "with[out] time zone" is
 * placed after the typmod.  Unknown names are returned cleaned but
 * otherwise unchanged.  The result is allocated in a.
 */
char *
fm_normalize_type(FmArena *a, const char *type)
{
	char	   *t;
	size_t		len;
	int			dims = 0;
	char	   *mod = NULL;
	FmBuf		base;
	const char *p;
	const char *b;
	const char *tz = NULL;		/* " with time zone" / " without time zone" */

	if (type == NULL)
		return NULL;
	t = type_clean(a, type);
	len = strlen(t);
	/* array suffixes: "[]", "[3]", or the "array" keyword */
	for (;;)
	{
		if (len >= 2 && t[len - 1] == ']')
		{
			char	   *o = strrchr(t, '[');

			if (o == NULL)
				break;
			len = (size_t) (o - t);
			t[len] = '\0';
			while (len > 0 && t[len - 1] == ' ')
				t[--len] = '\0';
			dims++;
			continue;
		}
		if (len > 6 && strcmp(t + len - 6, " array") == 0)
		{
			len -= 6;
			t[len] = '\0';
			dims++;
			continue;
		}
		break;
	}
	if (strncmp(t, "pg_catalog.", 11) == 0)
		t += 11;
	/* split off the typmod (first parenthesized group) */
	fm_buf_init(&base, a);
	for (p = t; *p; p++)
	{
		if (*p == '(' && mod == NULL)
		{
			const char *e = strchr(p, ')');
			FmBuf		m;

			if (e == NULL)
				break;
			fm_buf_init(&m, a);
			for (const char *q = p + 1; q < e; q++)
				if (*q != ' ')
					fm_buf_append_char(&m, *q);
			mod = m.data;
			p = e;
			continue;
		}
		fm_buf_append_char(&base, *p);
	}
	while (base.len > 0 && base.data[base.len - 1] == ' ')
		base.data[--base.len] = '\0';
	b = base.data;

	if (strcmp(b, "int") == 0 || strcmp(b, "int4") == 0 || strcmp(b, "serial") == 0 ||
		strcmp(b, "serial4") == 0)
		b = "integer";
	else if (strcmp(b, "int2") == 0 || strcmp(b, "smallserial") == 0 ||
			 strcmp(b, "serial2") == 0)
		b = "smallint";
	else if (strcmp(b, "int8") == 0 || strcmp(b, "bigserial") == 0 ||
			 strcmp(b, "serial8") == 0)
		b = "bigint";
	else if (strcmp(b, "float8") == 0)
		b = "double precision";
	else if (strcmp(b, "float4") == 0)
		b = "real";
	else if (strcmp(b, "float") == 0)
	{
		b = (mod && atoi(mod) >= 1 && atoi(mod) <= 24) ? "real" : "double precision";
		mod = NULL;
	}
	else if (strcmp(b, "bool") == 0)
		b = "boolean";
	else if (strcmp(b, "varchar") == 0)
		b = "character varying";
	else if (strcmp(b, "char") == 0 || strcmp(b, "character") == 0)
	{
		b = "character";
		if (mod == NULL)
			mod = "1";
	}
	else if (strcmp(b, "decimal") == 0)
		b = "numeric";
	else if (strcmp(b, "varbit") == 0)
		b = "bit varying";
	else if (strcmp(b, "bit") == 0 && mod == NULL)
		mod = "1";
	else if (strcmp(b, "timestamp") == 0 || strcmp(b, "timestamp without time zone") == 0)
	{
		b = "timestamp";
		tz = " without time zone";
	}
	else if (strcmp(b, "timestamptz") == 0 || strcmp(b, "timestamp with time zone") == 0)
	{
		b = "timestamp";
		tz = " with time zone";
	}
	else if (strcmp(b, "time") == 0 || strcmp(b, "time without time zone") == 0)
	{
		b = "time";
		tz = " without time zone";
	}
	else if (strcmp(b, "timetz") == 0 || strcmp(b, "time with time zone") == 0)
	{
		b = "time";
		tz = " with time zone";
	}
	else if (strcmp(b, "numeric") == 0 && mod && strchr(mod, ',') == NULL)
		mod = fm_psprintf(a, "%s,0", mod);	/* numeric(10) = numeric(10,0) */

	{
		FmBuf		out;

		fm_buf_init(&out, a);
		fm_buf_append(&out, b);
		if (mod)
			fm_buf_printf(&out, "(%s)", mod);
		if (tz)
			fm_buf_append(&out, tz);
		if (dims > 0)
			fm_buf_append(&out, "[]");	/* PostgreSQL ignores the dimensions */
		return out.data;
	}
}

/* the normalized type t without its typmod: "timestamp(3) with time zone" -> "timestamp with time zone" */
static char *
type_without_typmod(FmArena *a, const char *t)
{
	FmBuf		b;

	fm_buf_init(&b, a);
	for (const char *p = t; *p; p++)
	{
		if (*p == '(')
		{
			const char *e = strchr(p, ')');

			if (e == NULL)
				break;
			p = e;
			continue;
		}
		fm_buf_append_char(&b, *p);
	}
	return b.data ? b.data : "";
}

/* t is one of the NULL-terminated names */
static bool
type_in(const char *t, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(t, names[i]) == 0)
			return true;
	return false;
}

/*
 * fm_fk_types_compatible
 *		True when PostgreSQL accepts a foreign key from a column of type
 *		referencing to a key column of type referenced (both as written or
 *		as format_type() prints them; built-in types only).  The typmod never
 *		matters; other than that, ATAddForeignKeyConstraint needs an equality
 *		operator of the key's btree operator family that takes the
 *		referencing type, or an implicit cast of it to the key's type.  For
 *		the built-in types that gives these pairs (checked against a
 *		PostgreSQL 15 server): the integers among themselves; numeric, real,
 *		double precision and oid keys also from the integers, and the two
 *		floating-point types from numeric and from each other; text,
 *		character varying and character among themselves, and text and
 *		character varying keys from citext; date and the two timestamps
 *		among themselves; time with time zone keys from time; bit and bit
 *		varying.  Arrays only match arrays of the same element type.
 */
bool
fm_fk_types_compatible(FmArena *a, const char *referenced, const char *referencing)
{
	static const char *const ints[] = {"smallint", "integer", "bigint", NULL};
	static const char *const floats[] = {"real", "double precision", NULL};
	static const char *const strings[] = {"text", "character varying", "character", NULL};
	static const char *const stamps[] = {
		"date", "timestamp without time zone", "timestamp with time zone", NULL
	};
	static const char *const bits[] = {"bit", "bit varying", NULL};
	char	   *k,
			   *f;
	size_t		kl,
				fl;

	if (referenced == NULL || referencing == NULL)
		return referenced == referencing;
	if (strcmp(referenced, referencing) == 0)
		return true;			/* the common case, without normalizing */
	k = type_without_typmod(a, fm_normalize_type(a, referenced));
	f = type_without_typmod(a, fm_normalize_type(a, referencing));
	if (strcmp(k, f) == 0)
		return true;
	kl = strlen(k);
	fl = strlen(f);
	if ((kl >= 2 && strcmp(k + kl - 2, "[]") == 0) ||
		(fl >= 2 && strcmp(f + fl - 2, "[]") == 0))
		return false;
	if (type_in(f, ints) &&
		(type_in(k, ints) || type_in(k, floats) ||
		 strcmp(k, "numeric") == 0 || strcmp(k, "oid") == 0))
		return true;
	if (type_in(k, floats) && (type_in(f, floats) || strcmp(f, "numeric") == 0))
		return true;
	if (type_in(k, strings) && type_in(f, strings))
		return true;
	if (strcmp(f, "citext") == 0 &&
		(strcmp(k, "text") == 0 || strcmp(k, "character varying") == 0))
		return true;
	if (type_in(k, stamps) && type_in(f, stamps))
		return true;
	if (strcmp(k, "time with time zone") == 0 && strcmp(f, "time without time zone") == 0)
		return true;
	return type_in(k, bits) && type_in(f, bits);
}
