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

/*
 * Parse "@renamed(from: "name")" in [p, end); the name, or NULL (and
 * *error) when the line is malformed.
 */
static char *
parse_line(FmArena *arena, const char *p, const char *end, const char **error)
{
	const char *q;

	p = skip_space(p + strlen("@renamed"), end);
	if (p >= end || *p != '(')
		goto bad;
	p = skip_space(p + 1, end);
	if ((size_t) (end - p) < 4 || strncmp(p, "from", 4) != 0)
		goto bad;
	p = skip_space(p + 4, end);
	if (p >= end || *p != ':')
		goto bad;
	p = skip_space(p + 1, end);
	if (p >= end || *p != '"')
		goto bad;
	q = ++p;
	while (q < end && *q != '"' && *q != '\\')
		q++;
	if (q >= end || *q != '"' || q == p)
		goto bad;
	{
		char	   *name = fm_strndup(arena, p, (size_t) (q - p));

		q = skip_space(q + 1, end);
		if (q >= end || *q != ')')
			goto bad;
		q = skip_space(q + 1, end);
		if (q != end)
			goto bad;
		return name;
	}
bad:
	*error = "malformed @renamed annotation: write /// @renamed(from: \"oldName\")";
	return NULL;
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
	FmBuf		rest;
	const char *p = doc;
	bool		any = false;

	if (doc == NULL)
		return r;
	fm_buf_init(&rest, arena);
	fm_buf_append(&rest, "");
	while (*p)
	{
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);
		const char *t = skip_space(p, end);

		if ((size_t) (end - t) >= 8 && strncmp(t, "@renamed", 8) == 0)
		{
			const char *err = NULL;
			char	   *name = parse_line(arena, t, end, &err);

			if (name == NULL)
				r.error = err;
			else if (r.from != NULL)
				r.error = "@renamed is given twice: declare one old name";
			else
				r.from = name;
		}
		else
		{
			if (any)
				fm_buf_append_char(&rest, '\n');
			fm_buf_append_len(&rest, p, (size_t) (end - p));
			any = true;
		}
		p = nl ? nl + 1 : end;
	}
	r.doc = any ? rest.data : NULL;
	return r;
}

/* The annotation line that declares old as the previous name. */
char *
fm_renamed_annotation(FmArena *arena, const char *old)
{
	return fm_psprintf(arena, "/// @renamed(from: \"%s\")", old);
}
