/*-------------------------------------------------------------------------
 *
 * renamed.c
 *	  Reading the "/// @renamed(from: "oldName")" doc-comment annotation.
 *
 * src/core/renamed.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_renamed.h"

#include <string.h>

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* p past the word w (then blanks), or NULL when [p, end) does not start with it */
static const char *
expect(const char *p, const char *end, const char *w)
{
	size_t		len = strlen(w);

	if ((size_t) (end - p) < len || strncmp(p, w, len) != 0)
		return NULL;
	return skip_space(p + len, end);
}

/*
 * fm_annotation_string
 *		See fm_renamed.h.
 */
char *
fm_annotation_string(FmArena *arena, const char *line, const char *tag,
					 const char *key, bool escapes)
{
	const char *end = line + strlen(line);
	const char *p = skip_space(line, end);
	FmBuf		val;

	if ((p = expect(p, end, tag)) == NULL || (p = expect(p, end, "(")) == NULL ||
		(p = expect(p, end, key)) == NULL || (p = expect(p, end, ":")) == NULL ||
		p >= end || *p != '"')
		return NULL;
	fm_buf_init(&val, arena);
	fm_buf_append(&val, "");
	for (p++; p < end && *p != '"'; p++)
	{
		if (*p == '\\')
		{
			if (!escapes || p + 1 >= end || (p[1] != '"' && p[1] != '\\'))
				return NULL;
			p++;
		}
		fm_buf_append_char(&val, *p);
	}
	if (p >= end || val.data[0] == '\0')
		return NULL;
	p = skip_space(p + 1, end);
	if ((p = expect(p, end, ")")) == NULL || p != end)
		return NULL;
	return val.data;
}

/*
 * Is [t, end) (a doc line, leading blanks skipped) an annotation's text
 * behind n >= 0 backslashes: "@preserve..." or "@renamed..."?  Sets *n.
 */
static bool
annotation_like(const char *t, const char *end, int *n)
{
	static const char *const tags[] = {"@preserve", "@renamed"};

	*n = 0;
	while (t < end && *t == '\\')
		t++, (*n)++;
	for (int i = 0; i < 2; i++)
	{
		size_t		len = strlen(tags[i]);

		if ((size_t) (end - t) >= len && strncmp(t, tags[i], len) == 0)
			return true;
	}
	return false;
}

/*
 * fm_doc_escape_line
 *		See fm_renamed.h.
 */
bool
fm_doc_escape_line(const char *line, size_t len, size_t *at)
{
	const char *end = line + len;
	const char *t = skip_space(line, end);
	int			n;

	*at = (size_t) (t - line);
	return annotation_like(t, end, &n);
}

/*
 * fm_doc_unescape
 *		See fm_renamed.h.
 */
char *
fm_doc_unescape(FmArena *arena, const char *doc)
{
	FmBuf		out;
	const char *p = doc;
	bool		any = false;

	if (doc == NULL)
		return NULL;
	fm_buf_init(&out, arena);
	fm_buf_append(&out, "");
	while (*p)
	{
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);
		const char *t = skip_space(p, end);
		int			n;

		if (annotation_like(t, end, &n) && n > 0)
		{
			/* the blanks, then the line less one backslash */
			fm_buf_append_len(&out, p, (size_t) (t - p));
			fm_buf_append_len(&out, t + 1, (size_t) (end - t - 1));
			any = true;
		}
		else
			fm_buf_append_len(&out, p, (size_t) (end - p));
		if (nl)
			fm_buf_append_char(&out, '\n');
		p = nl ? nl + 1 : end;
	}
	return any ? out.data : (char *) doc;
}

/*
 * fm_doc_take_annotations
 *		See fm_renamed.h.
 */
char *
fm_doc_take_annotations(FmArena *arena, const char *doc, const char *tag,
						FmList *lines)
{
	FmBuf		rest;
	const char *p = doc;
	size_t		taglen = strlen(tag);
	bool		any = false;

	if (doc == NULL || *doc == '\0')
		return NULL;
	fm_buf_init(&rest, arena);
	fm_buf_append(&rest, "");
	/* every line, the empty one after a last line feed too ("a\n") */
	for (;;)
	{
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);
		const char *t = skip_space(p, end);

		if ((size_t) (end - t) >= taglen && strncmp(t, tag, taglen) == 0)
			fm_list_append(arena, lines, fm_strndup(arena, t, (size_t) (end - t)));
		else
		{
			if (any)
				fm_buf_append_char(&rest, '\n');
			fm_buf_append_len(&rest, p, (size_t) (end - p));
			any = true;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return any ? rest.data : NULL;
}

/*
 * fm_doc_renamed
 *		Split doc comment doc into its "@renamed(from: ...)" line (the old
 *		name in r.from) and the rest (r.doc, NULL when nothing is left), in
 *		arena.  A malformed or repeated annotation sets r.error and keeps
 *		what it could read.
 */
FmRenamed
fm_doc_renamed(FmArena *arena, const char *doc)
{
	FmRenamed	r = {NULL, NULL, NULL};
	FmList		lines = {0};

	if (doc == NULL)			/* most fields and models have no doc */
		return r;
	r.doc = fm_doc_take_annotations(arena, doc, "@renamed", &lines);
	for (int i = 0; i < lines.n; i++)
	{
		char	   *name = fm_annotation_string(arena, fm_list_get(&lines, i, char),
												"@renamed", "from", false);

		if (name == NULL)
			r.error = "malformed @renamed annotation: write /// @renamed(from: \"oldName\")";
		else if (r.from != NULL)
			r.error = "@renamed is given twice: declare one old name";
		else
			r.from = name;
	}
	/* what remains is a comment: an escaped annotation's text is its own */
	r.doc = fm_doc_unescape(arena, r.doc);
	return r;
}

/* The annotation line that declares old as the previous name. */
char *
fm_renamed_annotation(FmArena *arena, const char *old)
{
	return fm_psprintf(arena, "/// @renamed(from: \"%s\")", old);
}
