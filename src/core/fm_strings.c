/*-------------------------------------------------------------------------
 *
 * fm_strings.c
 *	  The small string helpers of the portable core (declared in fm_util.h):
 *	  comparisons, number literals, the one quoting routine, edit
 *	  distance.  Split from fm_util.c, which keeps the memory side
 *	  (arenas, buffers, lists, maps, the interner).
 *
 * src/core/fm_strings.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_util.h"

#include <string.h>

/* ---------- strings ---------- */

/* Are lists a and b of strings equal, element by element (fm_streq)? */
bool
fm_str_list_eq(const FmList *a, const FmList *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (!fm_streq((const char *) a->items[i], (const char *) b->items[i]))
			return false;
	return true;
}

/* Does list l of strings hold s (fm_streq)? */
bool
fm_str_list_has(const FmList *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (fm_streq((const char *) l->items[i], s))
			return true;
	return false;
}

/* strcmp, with NULL sorting before every string. */
int
fm_strcmp_null(const char *a, const char *b)
{
	if (a == NULL)
		return b == NULL ? 0 : -1;
	if (b == NULL)
		return 1;
	return strcmp(a, b);
}

static int
ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/*
 * The length of s less its trailing blanks (space, tab, vertical tab, form
 * feed, carriage return): what the lexer used to drop from a comment.
 */
size_t
fm_rtrim_len(const char *s)
{
	size_t		n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
					 s[n - 1] == '\v' || s[n - 1] == '\f'))
		n--;
	return n;
}

/* Cut the trailing blanks of s (fm_rtrim_len) in place. */
void
fm_rtrim_blanks(char *s)
{
	s[fm_rtrim_len(s)] = '\0';
}

/* Are a and b equal, ignoring ASCII case?  NULL equals only NULL. */
bool
fm_strcaseeq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	while (*a && *b)
	{
		if (ascii_lower((unsigned char) *a) != ascii_lower((unsigned char) *b))
			return false;
		a++;
		b++;
	}
	return *a == *b;
}

/*
 * fm_is_number_text
 *		Is s a decimal number: an optional sign, digits with an optional
 *		fraction (at least one digit in all), and, when exponent is true, an
 *		optional exponent "e[+-]digits"?  Nothing else may follow.
 */
bool
fm_is_number_text(const char *s, bool exponent)
{
	const char *p = s;
	bool		digits = false;

	if (p == NULL)
		return false;
	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, digits = true;
	if (*p == '.')
	{
		p++;
		while (*p >= '0' && *p <= '9')
			p++, digits = true;
	}
	if (exponent && digits && (*p == 'e' || *p == 'E'))
	{
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return digits && *p == '\0';
}

/*
 * fm_quote_text
 *		The one quoting routine of the core (see fm_util.h).  out == NULL
 *		only measures.
 */
size_t
fm_quote_text(char *out, const char *s, char qc)
{
	size_t		n = 0;
	bool		backslash = false;

	if (s == NULL)
		s = "";
	if (qc == '\'')
		backslash = strchr(s, '\\') != NULL;
	if (backslash)
	{
		if (out)
			out[n] = 'E';
		n++;
	}
	if (out)
		out[n] = qc;
	n++;
	for (; *s; s++)
	{
		if (*s == qc || (backslash && *s == '\\'))
		{
			if (out)
				out[n] = *s;
			n++;
		}
		if (out)
			out[n] = *s;
		n++;
	}
	if (out)
	{
		out[n] = qc;
		out[n + 1] = '\0';
	}
	return n + 1;
}

/* Append s quoted with qc (see fm_quote_text) to buf. */
void
fm_buf_append_quoted(FmBuf *buf, const char *s, char qc)
{
	size_t		need = fm_quote_text(NULL, s, qc);
	char		small[256];
	char	   *tmp = need < sizeof(small) ? small : fm_alloc(buf->arena, need + 1);

	(void) fm_quote_text(tmp, s, qc);
	fm_buf_append_len(buf, tmp, need);
}

/* s as an SQL string literal (see fm_quote_text), allocated in arena. */
char *
fm_sql_string(FmArena *arena, const char *s)
{
	size_t		need = fm_quote_text(NULL, s, '\'');
	char	   *out = fm_alloc(arena, need + 1);

	(void) fm_quote_text(out, s, '\'');
	return out;
}

/*
 * Levenshtein distance, case-insensitive, bounded: returns max + 1 as soon
 * as the distance must exceed max.  Strings longer than 64 bytes are not
 * compared (returns max + 1): suggestions are for short names.
 */
int
fm_edit_distance(const char *a, const char *b, int max)
{
	int			la = (int) strlen(a),
				lb = (int) strlen(b);
	int			prev[65],
				cur[65];

	if (la > 64 || lb > 64 || (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (int j = 0; j <= lb; j++)
		prev[j] = j;
	for (int i = 1; i <= la; i++)
	{
		int			rowmin;

		cur[0] = i;
		rowmin = cur[0];
		for (int j = 1; j <= lb; j++)
		{
			int			cost = ascii_lower((unsigned char) a[i - 1]) ==
				ascii_lower((unsigned char) b[j - 1]) ? 0 : 1;
			int			v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > max)
			return max + 1;
		memcpy(prev, cur, sizeof(int) * (size_t) (lb + 1));
	}
	return prev[lb] > max ? max + 1 : prev[lb];
}
