/*-------------------------------------------------------------------------
 *
 * naming.c
 *	  Naming rules of the ferriorm schema language: how model, field, enum
 *	  and variant names become database names, and how constraint and index
 *	  names are chosen.
 *
 * Database names derived from schema-language names follow the ferriorm
 * ORM's generated client: snake_case inserts "_" before every upper-case
 * ASCII letter except at the start of the name and lower-cases it
 * ("createdAt" -> "created_at"); tables add "s" to the model's snake_case.
 *
 * Constraint and index names follow PostgreSQL's own conventions and are
 * truncated exactly like PostgreSQL's makeObjectName() (commands/indexcmds.c)
 * does it in a UTF-8 database: the longer of the two name parts is
 * shortened first, the label is never shortened, and no multibyte
 * character is split (pg_mbcliplen()).
 *
 * src/core/naming.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "fm_model.h"

/* Length of the UTF-8 sequence starting with byte c, like pg_utf_mblen() */
static int
utf8_mblen(unsigned char c)
{
	if ((c & 0x80) == 0)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	if ((c & 0xf8) == 0xf0)
		return 4;
	return 1;
}

/*
 * pg_mbcliplen() for UTF-8: the number of bytes of the longest prefix of
 * s, at most limit bytes long (and not beyond len bytes or a NUL), that does
 * not end inside a multibyte character.
 */
static size_t
mbcliplen(const char *s, size_t len, size_t limit)
{
	size_t		clen = 0;

	while (len > 0 && *s)
	{
		size_t		l = (size_t) utf8_mblen((unsigned char) *s);

		if (clen + l > limit)
			break;
		clen += l;
		if (clen == limit)
			break;
		if (l > len)
			break;
		len -= l;
		s += l;
	}
	return clen;
}

/*
 * mbcliplen(s, n, n) for a prefix of n bytes of NUL-free s: n itself when
 * the last three bytes of the prefix are ASCII (no character that starts
 * before them can reach past its end, and each of them is one), which is
 * what almost every generated name asks, without the walk over the rest.
 */
static size_t
whole_or_clipped(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *) s;

	if ((n < 1 || u[n - 1] < 0x80) && (n < 2 || u[n - 2] < 0x80) &&
		(n < 3 || u[n - 3] < 0x80))
		return n;
	return mbcliplen(s, n, n);
}

/*
 * fm_snake_case
 *		The snake_case of a schema-language name: an underscore before
 *		every upper-case ASCII letter but the first, everything lower-cased
 *		("createdAt" -> "created_at", "HTTPServer" -> "h_t_t_p_server").
 */
char *
fm_snake_case(FmArena *arena, const char *name)
{
	char		local[256];
	size_t		len = 0;
	FmBuf		buf;

	if (name == NULL)
		return NULL;
	/* most names: built on the stack, copied once */
	for (const char *p = name; *p; p++)
	{
		char		c = *p;

		if (len + 2 >= sizeof(local))
			break;
		if (c >= 'A' && c <= 'Z')
		{
			if (p != name)
				local[len++] = '_';
			local[len++] = (char) (c - 'A' + 'a');
		}
		else
			local[len++] = c;
		if (p[1] == '\0')
			return fm_strndup(arena, local, len);
	}
	if (name[0] == '\0')
		return fm_strndup(arena, "", 0);
	fm_buf_init(&buf, arena);
	for (const char *p = name; *p; p++)
	{
		char		c = *p;

		if (c >= 'A' && c <= 'Z')
		{
			if (p != name)
				fm_buf_append_char(&buf, '_');
			fm_buf_append_char(&buf, (char) (c - 'A' + 'a'));
		}
		else
			fm_buf_append_char(&buf, c);
	}
	return fm_buf_finish(&buf);
}

/* ASCII letter classes of the word-splitting snake_case below */
static bool
is_lower_ascii(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_upper_ascii(char c)
{
	return c >= 'A' && c <= 'Z';
}

/*
 * A character of a word: an ASCII letter or digit, or any byte of a
 * non-ASCII character (the lexer lets only Unicode letters into a name),
 * which is kept as written and has no case here.
 */
static bool
is_word_char(char c)
{
	return is_lower_ascii(c) || is_upper_ascii(c) || (c >= '0' && c <= '9') ||
		(unsigned char) c >= 0x80;
}

/*
 * fm_snake_case_words
 *		The snake_case that the ferriorm ORM's generated client gives an enum
 *		variant (sqlx's rename_all = "snake_case", that is the heck crate's
 *		rule): the name is cut into words at every character that is not a
 *		letter or digit (dropped), after a lower-case letter (or a digit
 *		following one) that an upper-case letter follows, and before the last
 *		upper-case letter of a run that a lower-case letter follows; the
 *		words are lower-cased and joined with "_" ("SuperAdmin" ->
 *		"super_admin", "ADMIN" -> "admin", "HTTPError" -> "http_error",
 *		"ADMIN_USER" -> "admin_user", "Level2Admin" -> "level2_admin").
 *		Only ASCII letters have a case here: a non-ASCII letter is kept as
 *		written and counts as neither ("groß" -> "groß", "GroßAdmin" ->
 *		"groß_admin"; heck would lower-case "Ä", ferriorm keeps it).
 *		NULL for NULL.
 */
char *
fm_snake_case_words(FmArena *arena, const char *name)
{
	FmBuf		buf;
	bool		any = false;
	const char *p = name;

	if (name == NULL)
		return NULL;
	fm_buf_init(&buf, arena);
	while (*p)
	{
		const char *start;
		const char *word;
		enum
		{
			MODE_BOUNDARY, MODE_LOWER, MODE_UPPER
		}			mode = MODE_BOUNDARY;

		/* skip separators, then take one separator-free run */
		while (*p && !is_word_char(*p))
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (is_word_char(*p))
			p++;
		word = start;
		for (const char *c = start; c < p; c++)
		{
			int			next_mode;
			const char *cut = NULL;
			const char *resume = NULL;

			if (c + 1 == p)
			{
				cut = p;		/* the trailing characters are a word */
				resume = p;
			}
			else
			{
				next_mode = is_lower_ascii(*c) ? MODE_LOWER :
					is_upper_ascii(*c) ? MODE_UPPER : (int) mode;
				if (next_mode == MODE_LOWER && is_upper_ascii(c[1]))
				{
					cut = c + 1;
					resume = c + 1;
				}
				else if (mode == MODE_UPPER && is_upper_ascii(*c) &&
						 is_lower_ascii(c[1]))
				{
					cut = c;
					resume = c;
				}
				else
					mode = next_mode;
			}
			if (cut == NULL)
				continue;
			if (cut > word)
			{
				if (any)
					fm_buf_append_char(&buf, '_');
				for (const char *q = word; q < cut; q++)
					fm_buf_append_char(&buf, is_upper_ascii(*q) ? (char) (*q - 'A' + 'a') : *q);
				any = true;
			}
			word = resume;
			mode = MODE_BOUNDARY;
		}
	}
	if (!any)
		return fm_strndup(arena, "", 0);
	return fm_buf_finish(&buf);
}

/*
 * fm_clip_identifier
 *		A copy of name clipped to FM_MAX_IDENT_LEN bytes, as PostgreSQL
 *		truncates identifiers, never inside a UTF-8 character; NULL for NULL.
 */
char *
fm_clip_identifier(FmArena *arena, const char *name)
{
	size_t		len;

	if (name == NULL)
		return NULL;
	len = strlen(name);
	if (len <= FM_MAX_IDENT_LEN)
		return fm_strdup(arena, name);
	return fm_strndup(arena, name, mbcliplen(name, len, FM_MAX_IDENT_LEN));
}

/*
 * fm_make_object_name
 *		PostgreSQL's makeObjectName(): name1[_name2][_label], name1 and name2
 *		shortened (the longer one first, then on a character boundary) so that
 *		the whole fits in FM_MAX_IDENT_LEN bytes; the label is never cut.
 *		name2 and label may be NULL.
 */
char *
fm_make_object_name(FmArena *arena, const char *name1, const char *name2,
					const char *label)
{
	if (name1 == NULL)
		name1 = "";
	return fm_make_object_name_len(arena, name1, strlen(name1),
								   name2, name2 ? strlen(name2) : 0,
								   label, label ? strlen(label) : 0, NULL);
}

/*
 * fm_make_object_name_len
 *		fm_make_object_name over parts whose lengths the caller knows: name1
 *		(not NULL) of name1len bytes, name2 (NULL: none) of name2len and
 *		label (NULL: none) of labellen, none of them holding a NUL in those
 *		bytes.  The length of the name made is stored in *len unless len is
 *		NULL.
 */
char *
fm_make_object_name_len(FmArena *arena, const char *name1, size_t name1len,
						const char *name2, size_t name2len,
						const char *label, size_t labellen, size_t *len)
{
	size_t		overhead = 0;
	long		availchars;
	long		name1chars = (long) name1len;
	long		name2chars = name2 ? (long) name2len : 0;
	char		local[256];
	FmBuf		buf;

	if (name2)
		overhead++;
	if (label)
		overhead += labellen + 1;

	availchars = (long) FM_MAX_IDENT_LEN - (long) overhead;
	if (availchars < 0)
		availchars = 0;

	/* preferentially truncate the longer name, exactly like PostgreSQL */
	if (name1chars + name2chars > availchars)
	{
		/* closed form of PostgreSQL's loop, which would be slow here */
		while (name1chars + name2chars > availchars)
		{
			if (name1chars > name2chars)
			{
				long		d = name1chars - name2chars;
				long		excess = name1chars + name2chars - availchars;

				name1chars -= (d < excess ? d : excess);
			}
			else
				name2chars--;
		}
	}

	name1chars = (long) whole_or_clipped(name1, (size_t) name1chars);
	if (name2)
		name2chars = (long) whole_or_clipped(name2, (size_t) name2chars);

	/* built on the stack when it fits (labels are short), copied once */
	if ((size_t) (name1chars + name2chars) + overhead < sizeof(local))
	{
		size_t		n = (size_t) name1chars;

		memcpy(local, name1, n);
		if (name2)
		{
			local[n++] = '_';
			memcpy(local + n, name2, (size_t) name2chars);
			n += (size_t) name2chars;
		}
		if (label)
		{
			local[n++] = '_';
			memcpy(local + n, label, labellen);
			n += labellen;
		}
		if (len)
			*len = n;
		return fm_strndup(arena, local, n);
	}
	fm_buf_init(&buf, arena);
	fm_buf_append_len(&buf, name1, (size_t) name1chars);
	if (name2)
	{
		fm_buf_append_char(&buf, '_');
		fm_buf_append_len(&buf, name2, (size_t) name2chars);
	}
	if (label)
	{
		fm_buf_append_char(&buf, '_');
		fm_buf_append_len(&buf, label, labellen);
	}
	if (len)
		*len = buf.len;
	return fm_buf_finish(&buf);
}

/*
 * Append name to the column part being built in local (*len bytes so far,
 * room for 2 * FM_MAX_IDENT_LEN + 2), after a "_" unless it is the first,
 * at most FM_MAX_IDENT_LEN bytes of it (strlcpy into a NAMEDATALEN buffer).
 * Returns false once NAMEDATALEN bytes are reached: stop there.
 */
static inline bool
column_part_append(char *local, size_t *len, const char *name)
{
	const char *nul;
	size_t		l;

	if (name == NULL)
		name = "";
	if (*len > 0)
		local[(*len)++] = '_';
	/* memchr reads no further than the NUL it finds (C11 7.24.5.1) */
	nul = memchr(name, '\0', FM_MAX_IDENT_LEN);
	l = nul ? (size_t) (nul - name) : FM_MAX_IDENT_LEN;
	memcpy(local + *len, name, l);
	*len += l;
	return *len < FM_MAX_IDENT_LEN + 1;
}

/*
 * Like ChooseIndexNameAddition() / ChooseForeignKeyConstraintNameAddition():
 * names joined with "_", stopping once NAMEDATALEN bytes are reached; each
 * name contributes at most NAMEDATALEN - 1 bytes (strlcpy).
 */
char *
fm_column_list_name(FmArena *arena, const FmList *columns)
{
	/* at most FM_MAX_IDENT_LEN bytes, '_' and FM_MAX_IDENT_LEN more */
	char		local[FM_COLUMN_PART_SIZE];

	return fm_strndup(arena, local, fm_column_list_part(local, columns));
}

/*
 * fm_column_list_part
 *		fm_column_list_name written into out (FM_COLUMN_PART_SIZE bytes),
 *		NUL-terminated; returns its length.
 */
size_t
fm_column_list_part(char *out, const FmList *columns)
{
	size_t		len = 0;

	for (int i = 0; columns && i < columns->n; i++)
		if (!column_part_append(out, &len, fm_list_get(columns, i, const char)))
			break;
	out[len] = '\0';
	return len;
}

/*
 * fm_index_name_columns
 *		The column part of the name PostgreSQL chooses for index ix
 *		(ChooseIndexColumnNames()): its columns, "expr" for an expression,
 *		joined as fm_column_list_name() joins them.
 */
char *
fm_index_name_columns(FmArena *arena, const FmIndex *ix)
{
	char		local[FM_COLUMN_PART_SIZE];

	return fm_strndup(arena, local, fm_index_column_part(local, ix));
}

/*
 * fm_index_column_part
 *		fm_index_name_columns written into out (FM_COLUMN_PART_SIZE bytes),
 *		NUL-terminated; returns its length.
 */
size_t
fm_index_column_part(char *out, const FmIndex *ix)
{
	size_t		len = 0;

	for (int i = 0; i < ix->elems.n; i++)
	{
		const FmIndexElem *e = fm_list_get(&ix->elems, i, FmIndexElem);

		if (!column_part_append(out, &len, e->column ? e->column : "expr"))
			break;
	}
	out[len] = '\0';
	return len;
}
