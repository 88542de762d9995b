/*-------------------------------------------------------------------------
 *
 * fm_preserve.h
 *	  The "leave this table alone" marker of schema text: a doc-comment
 *	  line "/// @preserve(reason: "...")" above a model.
 *
 * ferriorm_pull prints it on the tables the language cannot state exactly
 * (an expression index, a foreign key it cannot express, ...): their text
 * describes them only in part, so a plan leaves an existing such table
 * exactly as it is.  Prisma and the ferriorm ORM read the line as a
 * comment; it is independent of @@ignore, which only says that a client
 * skips the model (plans manage @@ignore'd models fully).
 *
 * src/core/fm_preserve.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_PRESERVE_H
#define FM_PRESERVE_H

#include "fm_model.h"

typedef struct FmPreserve
{
	char	   *doc;			/* the doc comment without the annotations;
								 * NULL when nothing else is left */
	FmList		reasons;		/* of char *: each annotation's reason */
	const char *error;			/* a malformed annotation, or NULL */
} FmPreserve;

/*
 * Take every "@preserve(reason: "...")" line (a line whose text starts with
 * "@preserve") out of doc ("///" lines joined with '\n', markers stripped).
 * doc may be NULL.  The reason is a double-quoted string in which \" and
 * \\ stand for a quote and a backslash.
 */
extern FmPreserve fm_doc_preserve(FmArena *arena, const char *doc);

/* The annotation line ("/// @preserve(reason: ...)") for a reason. */
extern char *fm_preserve_annotation(FmArena *arena, const char *reason);

/*
 * Replace, in to, every preserved table that from also has (same schema
 * and name) by from's table; from may be NULL (an empty database).
 */
extern void fm_model_keep_preserved(FmArena *arena, const FmModel *from, FmModel *to);

/*
 * The edits of the text that a plan ignores because their model is
 * preserved: for every preserved table of to that from also has, a
 * sentence per column only one side has ("table s.t: column "x" is in the
 * text, not in the table"), appended to out (of char *, in arena).
 * Returns how many.  Call before fm_model_keep_preserved.
 */
extern int	fm_model_preserved_differences(FmArena *arena, const FmModel *from,
										   const FmModel *to, FmList *out);

#endif							/* FM_PRESERVE_H */
