/*-------------------------------------------------------------------------
 *
 * json_check.c
 *	  Is a text JSON?  The syntax check of a Json field's literal default.
 *
 * Prisma parses the string of @default("...") on a Json field with
 * serde_json and refuses the schema when it is not JSON; PostgreSQL's json
 * and jsonb input functions refuse the same texts when the default is
 * created.  The grammar is RFC 8259's: one value with white space (space,
 * tab, line feed, carriage return) around it; strings without control
 * characters, with the escapes \" \\ \/ \b \f \n \r \t \uXXXX, a \u escape
 * of a high surrogate followed by one of a low surrogate and no surrogate
 * alone (serde_json's rule and jsonb's); numbers -?(0|[1-9][0-9]*)
 * (.[0-9]+)?([eE][+-]?[0-9]+)?; nesting at most FM_JSON_MAX_DEPTH deep
 * (serde_json's recursion limit), which also bounds this parser's own
 * recursion.  The text is bytes: its UTF-8 was checked with the rest of the
 * schema.
 *
 * src/core/json_check.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "fm_literal.h"

#define FM_JSON_MAX_DEPTH 128

typedef struct JsonIn
{
	const char *p;
	const char *end;
	const char *why;			/* the first problem, or NULL */
} JsonIn;

static void
skip_ws(JsonIn *in)
{
	while (in->p < in->end &&
		   (*in->p == ' ' || *in->p == '\t' || *in->p == '\n' || *in->p == '\r'))
		in->p++;
}

static bool
fail(JsonIn *in, const char *why)
{
	if (in->why == NULL)
		in->why = why;
	return false;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* four hexadecimal digits at in->p into *u */
static bool
hex4(JsonIn *in, unsigned int *u)
{
	*u = 0;
	if (in->end - in->p < 4)
		return fail(in, "an incomplete \\u escape");
	for (int i = 0; i < 4; i++)
	{
		char		c = *in->p++;
		int			d = is_digit(c) ? c - '0' :
			(c >= 'a' && c <= 'f') ? c - 'a' + 10 :
			(c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;

		if (d < 0)
			return fail(in, "an invalid \\u escape");
		*u = (*u << 4) | (unsigned int) d;
	}
	return true;
}

/* a string, in->p at its opening quote */
static bool
string(JsonIn *in)
{
	in->p++;
	while (in->p < in->end)
	{
		unsigned char c = (unsigned char) *in->p++;
		unsigned int u;

		if (c == '"')
			return true;
		if (c < 0x20)
			return fail(in, "a control character in a string");
		if (c != '\\')
			continue;
		if (in->p >= in->end)
			break;
		c = (unsigned char) *in->p++;
		if (c != 'u')
		{
			if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
				return fail(in, "an invalid escape in a string");
			continue;
		}
		if (!hex4(in, &u))
			return false;
		if (u >= 0xDC00 && u <= 0xDFFF)
			return fail(in, "a lone low surrogate in a \\u escape");
		if (u >= 0xD800 && u <= 0xDBFF)
		{
			if (in->end - in->p < 2 || in->p[0] != '\\' || in->p[1] != 'u')
				return fail(in, "a lone high surrogate in a \\u escape");
			in->p += 2;
			if (!hex4(in, &u))
				return false;
			if (u < 0xDC00 || u > 0xDFFF)
				return fail(in, "a lone high surrogate in a \\u escape");
		}
	}
	return fail(in, "an unterminated string");
}

/* a number, in->p at its first character ('-' or a digit) */
static bool
number(JsonIn *in)
{
	if (*in->p == '-')
		in->p++;
	if (in->p >= in->end || !is_digit(*in->p))
		return fail(in, "an invalid number");
	if (*in->p == '0')
		in->p++;
	else
		while (in->p < in->end && is_digit(*in->p))
			in->p++;
	if (in->p < in->end && *in->p == '.')
	{
		in->p++;
		if (in->p >= in->end || !is_digit(*in->p))
			return fail(in, "an invalid number");
		while (in->p < in->end && is_digit(*in->p))
			in->p++;
	}
	if (in->p < in->end && (*in->p == 'e' || *in->p == 'E'))
	{
		in->p++;
		if (in->p < in->end && (*in->p == '+' || *in->p == '-'))
			in->p++;
		if (in->p >= in->end || !is_digit(*in->p))
			return fail(in, "an invalid number");
		while (in->p < in->end && is_digit(*in->p))
			in->p++;
	}
	return true;
}

static bool value(JsonIn *in, int depth);

/*
 * The members of an array (close ']') or an object (close '}': each a
 * string, ':' and a value), in->p just after the opening bracket.
 */
static bool
members(JsonIn *in, int depth, char close)
{
	if (depth >= FM_JSON_MAX_DEPTH)
		return fail(in, "nesting deeper than 128 levels");
	skip_ws(in);
	if (in->p < in->end && *in->p == close)
	{
		in->p++;
		return true;
	}
	for (;;)
	{
		if (close == '}')
		{
			skip_ws(in);
			if (in->p >= in->end || *in->p != '"')
				return fail(in, in->p >= in->end ? "an unexpected end" : "a key that is not a string");
			if (!string(in))
				return false;
			skip_ws(in);
			if (in->p >= in->end || *in->p != ':')
				return fail(in, in->p >= in->end ? "an unexpected end" : "a missing \":\" after a key");
			in->p++;
		}
		if (!value(in, depth + 1))
			return false;
		skip_ws(in);
		if (in->p >= in->end)
			return fail(in, "an unexpected end");
		if (*in->p == close)
		{
			in->p++;
			return true;
		}
		if (*in->p != ',')
			return fail(in, close == ']' ? "a missing \",\" or \"]\" in an array" :
						"a missing \",\" or \"}\" in an object");
		in->p++;
	}
}

/* one value, with the white space before it */
static bool
value(JsonIn *in, int depth)
{
	skip_ws(in);
	if (in->p >= in->end)
		return fail(in, "an unexpected end");
	switch (*in->p)
	{
		case '"':
			return string(in);
		case '[':
			in->p++;
			return members(in, depth, ']');
		case '{':
			in->p++;
			return members(in, depth, '}');
		case 't':
		case 'f':
		case 'n':
			{
				const char *word = *in->p == 't' ? "true" : *in->p == 'f' ? "false" : "null";
				size_t		n = strlen(word);

				if ((size_t) (in->end - in->p) < n || memcmp(in->p, word, n) != 0)
					return fail(in, "an invalid value");
				in->p += n;
				return true;
			}
		default:
			if (*in->p == '-' || is_digit(*in->p))
				return number(in);
			return fail(in, "an invalid value");
	}
}

/*
 * fm_json_check
 *		NULL when the len bytes at text are one JSON value (RFC 8259, the
 *		file header's rules), else why not, in a few words ("an unexpected
 *		end", "trailing characters", ...).
 */
const char *
fm_json_check(const char *text, size_t len)
{
	JsonIn		in;

	in.p = text;
	in.end = text + len;
	in.why = NULL;
	if (!value(&in, 0))
		return in.why;
	skip_ws(&in);
	if (in.p < in.end)
		return "trailing characters";
	return NULL;
}
