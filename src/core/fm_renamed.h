/*-------------------------------------------------------------------------
 *
 * fm_renamed.h
 *	  The rename declaration of schema text: a doc-comment line
 *	  "/// @renamed(from: "oldName")" above a field, a model or an enum
 *	  value.  Prisma and the ferriorm ORM read it as a comment; the plan
 *	  turns it into ALTER ... RENAME.
 *
 * src/core/fm_renamed.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_RENAMED_H
#define FM_RENAMED_H

#include "fm_util.h"

typedef struct FmRenamed
{
	char	   *doc;			/* the doc comment without the annotation;
								 * NULL when nothing else is left */
	char	   *from;			/* the old name as written; NULL if none */
	const char *error;			/* a malformed or repeated annotation */
} FmRenamed;

/*
 * Take the "@renamed(from: "name")" line (a line whose text starts with
 * "@renamed") out of doc ("///" lines joined with '\n', markers stripped).
 * doc may be NULL.  The name is a double-quoted string without escapes.
 */
extern FmRenamed fm_doc_renamed(FmArena *arena, const char *doc);

/*
 * A doc line (a comment's line, as a "///" line prints it) whose text,
 * after leading blanks, is an annotation's ("@preserve...", "@renamed...")
 * behind any number of backslashes, is printed with one backslash more,
 * inserted at *at (past the blanks): a comment that says "@renamed(from:
 * ...)" must not be read back as the annotation.  fm_doc_unescape takes
 * that backslash off again when the doc becomes the comment.
 */
extern bool fm_doc_escape_line(const char *line, size_t len, size_t *at);
extern char *fm_doc_unescape(FmArena *arena, const char *doc);

/*
 * Take out of doc ("///" lines joined with '\n') every line whose text,
 * after leading blanks, starts with tag ("@renamed", "@preserve"): each is
 * appended to lines (of char *, without the leading blanks), and the doc
 * comment that remains is returned (NULL when nothing is left).
 */
extern char *fm_doc_take_annotations(FmArena *arena, const char *doc,
									 const char *tag, FmList *lines);

/*
 * The string of an annotation line '@tag(key: "string")' (blanks allowed
 * between the tokens), or NULL when the line is malformed or the string
 * empty.  With escapes, \" and \\ stand for a quote and a backslash;
 * without, a backslash makes the line malformed.
 */
extern char *fm_annotation_string(FmArena *arena, const char *line,
								  const char *tag, const char *key,
								  bool escapes);

/* The annotation a user writes to declare that new was old: for hints. */
extern char *fm_renamed_annotation(FmArena *arena, const char *old);

#endif							/* FM_RENAMED_H */
