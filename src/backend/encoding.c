/*-------------------------------------------------------------------------
 *
 * encoding.c
 *	  The boundary between the database encoding and the core's UTF-8.
 *
 * The portable core reads schema text as UTF-8.  Text arguments arrive in
 * the database encoding, so they are converted to UTF-8 on the way in;
 * what the core produces from them goes back into the database encoding on
 * the way out: a parsed model (every string of it, fm_model_map_strings()),
 * formatted text, diagnostics.  After fm_backend_parse_schema() a model is
 * in the database encoding, like everything introspection reads from the
 * catalog, so diff, render, hazards and normalization all work on text of
 * one encoding; the core is byte-transparent there.
 *
 * A character the database cannot hold (written as a \u escape in a
 * string, say) is an ERROR (22P05, untranslatable_character) naming the
 * line of the schema text it comes from.  Diagnostics are messages, never
 * a reason to fail: a character that cannot be converted is written as a
 * \uXXXX escape instead.
 *
 * UTF-8 databases convert nothing.  SQL_ASCII databases convert nothing
 * either: their bytes have no declared encoding, so schema text is taken
 * to be UTF-8 (the core reports invalid UTF-8 with its line and column) and
 * names are stored as those UTF-8 bytes (docs/language.md, "Encodings").
 *
 * src/backend/encoding.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "ferriorm.h"

/* does the database encoding need converting from and to UTF-8? */
static bool
needs_conversion(void)
{
	int			enc = GetDatabaseEncoding();

	return enc != PG_UTF8 && enc != PG_SQL_ASCII;
}

/* the line (1-based) of byte offset off in s */
static int
line_of(const char *s, int off)
{
	int			line = 1;

	for (int i = 0; i < off; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

/*
 * Convert s[0..len) from encoding src to dst.  Returns a palloc'd,
 * NUL-terminated string; on the first character that cannot be converted,
 * returns NULL and sets *bad to its byte offset in s.
 */
static char *
convert_or_null(const char *s, int len, int src, int dst, int *bad)
{
	Oid			proc = FindDefaultConversionProc(src, dst);
	unsigned char *out;
	int			done;

	if (!OidIsValid(proc))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("default conversion function for encoding \"%s\" to \"%s\" does not exist",
						pg_encoding_to_char(src), pg_encoding_to_char(dst))));
	if ((Size) len >= (MaxAllocHugeSize / (Size) MAX_CONVERSION_GROWTH))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("out of memory"),
				 errdetail("String of %d bytes is too long for encoding conversion.", len)));
	out = MemoryContextAllocHuge(CurrentMemoryContext,
								 (Size) len * MAX_CONVERSION_GROWTH + 1);
	done = pg_do_encoding_conversion_buf(proc, src, dst,
										 (unsigned char *) s, len,
										 out, len * MAX_CONVERSION_GROWTH + 1,
										 true);
	if (done < len)
	{
		pfree(out);
		*bad = done;
		return NULL;
	}
	return (char *) out;
}

/*
 * UTF-8 s[0..n) in the database encoding: s itself when it is ASCII,
 * else a palloc'd copy; NULL with *bad set as for convert_or_null().
 */
static char *
utf8_to_db_or_null(const char *s, int n, int *bad)
{
	bool		ascii = true;

	for (int i = 0; i < n && ascii; i++)
		ascii = !IS_HIGHBIT_SET(s[i]);
	if (ascii)
		return (char *) s;
	return convert_or_null(s, n, PG_UTF8, GetDatabaseEncoding(), bad);
}

/* ERROR: the character at byte offset bad of s (in encoding src) */
static void
report_untranslatable(const char *what, int line, const char *s, int len,
					  int bad, int src, int dst)
{
	int			clen = pg_encoding_mblen(src, s + bad);
	StringInfoData bytes;

	initStringInfo(&bytes);
	for (int i = 0; i < clen && bad + i < len; i++)
		appendStringInfo(&bytes, "%s0x%02x", i ? " " : "",
						 (unsigned char) s[bad + i]);
	if (line > 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				 errmsg("line %d of %s holds a character that encoding \"%s\" cannot represent",
						line, what, pg_encoding_to_char(dst)),
				 errdetail("The character has the byte sequence %s in encoding \"%s\".",
						   bytes.data, pg_encoding_to_char(src)),
				 errhint("Write only characters that the database encoding can hold.")));
	ereport(ERROR,
			(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
			 errmsg("%s holds a character that encoding \"%s\" cannot represent",
					what, pg_encoding_to_char(dst)),
			 errdetail("The character has the byte sequence %s in encoding \"%s\".",
					   bytes.data, pg_encoding_to_char(src)),
			 errhint("Write only characters that the database encoding can hold.")));
}

/*
 * fm_text_to_utf8
 *		The bytes of t in UTF-8, for the core, with their length in *len:
 *		t's own data when the database is UTF-8 (or SQL_ASCII), else a
 *		palloc'd conversion.  ERROR (22P05) naming what and the line when a
 *		character has no UTF-8 form.
 */
char *
fm_text_to_utf8(text *t, int *len, const char *what)
{
	const char *s = VARDATA_ANY(t);
	int			n = VARSIZE_ANY_EXHDR(t);
	char	   *out;
	int			bad;

	if (!needs_conversion())
	{
		*len = n;
		return (char *) s;
	}
	out = convert_or_null(s, n, GetDatabaseEncoding(), PG_UTF8, &bad);
	if (out == NULL)
		report_untranslatable(what, line_of(s, bad), s, n, bad,
							  GetDatabaseEncoding(), PG_UTF8);
	*len = strlen(out);
	return out;
}

/*
 * fm_utf8_to_text
 *		UTF-8 string s (from the core) as a text datum in the database
 *		encoding.  ERROR (22P05) naming what and the line when a character
 *		cannot be represented there.
 */
text *
fm_utf8_to_text(const char *s, const char *what)
{
	int			n = strlen(s);
	char	   *out;
	int			bad;

	if (!needs_conversion())
		return cstring_to_text_with_len(s, n);
	out = utf8_to_db_or_null(s, n, &bad);
	if (out == NULL)
		report_untranslatable(what, line_of(s, bad), s, n, bad,
							  PG_UTF8, GetDatabaseEncoding());
	return cstring_to_text(out);
}

/*
 * fm_utf8_message
 *		A core message (UTF-8) in the database encoding, for ereport: never
 *		fails, since a character that cannot be represented is written as
 *		\uXXXX (or "?" for a stray byte).  s itself when no conversion is
 *		needed, else palloc'd.
 */
char *
fm_utf8_message(const char *s)
{
	int			n = strlen(s);
	StringInfoData buf;
	int			bad;
	char	   *out;

	if (!needs_conversion())
		return (char *) s;
	if ((out = utf8_to_db_or_null(s, n, &bad)) != NULL)
		return out;
	/* convert character by character, escaping those that do not fit */
	initStringInfo(&buf);
	for (int i = 0; i < n;)
	{
		int			clen = pg_utf_mblen((const unsigned char *) s + i);
		char	   *c;

		if (clen < 1 || i + clen > n)
			clen = 1;
		c = convert_or_null(s + i, clen, PG_UTF8, GetDatabaseEncoding(), &bad);
		if (c != NULL)
			appendStringInfoString(&buf, c);
		else if (clen > 1)
			appendStringInfo(&buf, "\\u%04X",
							 (unsigned int) utf8_to_unicode((const unsigned char *) s + i));
		else
			appendStringInfoChar(&buf, '?');
		i += clen;
	}
	return buf.data;
}

typedef struct ToServer
{
	const char *what;
	FmArena    *arena;
} ToServer;

/*
 * string_to_server
 *		fm_model_map_strings callback: s in the database encoding, copied to
 *		the model's arena when it changes; ERROR (22P05) naming the line when
 *		a character cannot be represented.
 */
static char *
string_to_server(void *arg, char *s, FmSrcPos pos)
{
	ToServer   *ts = (ToServer *) arg;
	int			n = strlen(s);
	int			bad;
	char	   *out = utf8_to_db_or_null(s, n, &bad);

	if (out == NULL)
		report_untranslatable(ts->what, pos.line, s, n, bad,
							  PG_UTF8, GetDatabaseEncoding());
	return out == s ? s : fm_strdup(ts->arena, out);
}

/* Convert every string of model m to the database encoding (see above). */
void
fm_model_to_database_encoding(FmModel *m, const char *what)
{
	ToServer	ts = {what, m->arena};

	if (needs_conversion())
		fm_model_map_strings(m, string_to_server, &ts);
}

typedef struct EncDiags
{
	FmDiagList *diags;
	int			last_line;
} EncDiags;

/*
 * string_check
 *		fm_model_map_strings callback: add one error diagnostic per line
 *		(in the model's own terms, with its position) for a name, string or
 *		comment that the database encoding cannot represent.  s unchanged.
 */
static char *
string_check(void *arg, char *s, FmSrcPos pos)
{
	EncDiags   *ed = (EncDiags *) arg;
	int			bad;

	if (utf8_to_db_or_null(s, strlen(s), &bad) != NULL)
		return s;
	if (pos.line != ed->last_line)
	{
		/* one diagnostic per line is enough */
		fm_diag_add(ed->diags, FM_SEV_ERROR, pos,
					"a name, string or comment here holds a character that the database encoding \"%s\" cannot represent",
					GetDatabaseEncodingName());
		ed->last_line = pos.line;
	}
	return s;
}

/*
 * fm_model_encoding_diags
 *		Add to diags an error per line of model m holding a name, string or
 *		comment that the database encoding cannot represent (ferriorm_validate
 *		reports them as rows instead of failing).
 */
void
fm_model_encoding_diags(FmModel *m, FmDiagList *diags)
{
	EncDiags	ed = {diags, -1};
	int			before = diags->items.n;

	if (m != NULL && needs_conversion())
		fm_model_map_strings(m, string_check, &ed);
	if (diags->items.n > before)
		fm_diags_sort(diags);
}
