/*-------------------------------------------------------------------------
 *
 * fm_parse.h
 *	  Front end of the ferriorm schema language: schema text to the model,
 *	  and canonical formatting.
 *
 * src/core/fm_parse.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_PARSE_H
#define FM_PARSE_H

#include "fm_dialect.h"
#include "fm_model.h"

/*
 * How a caller lets go of the schema text as soon as the core has read the
 * whole of it: fn(arg) is called once the text is parsed, before it is
 * validated or formatted (the syntax tree holds copies of every string it
 * needs, and nothing reads the text again).  A NULL FmTextRelease: nothing
 * to release.
 */
typedef struct FmTextRelease
{
	void		(*fn) (void *arg);
	void	   *arg;
} FmTextRelease;

/* call release's function, if there is one (release may be NULL) */
static inline void
fm_text_release(const FmTextRelease *release)
{
	if (release != NULL && release->fn != NULL)
		release->fn(release->arg);
}

/*
 * Parse and validate schema text (need not be NUL-terminated; may contain
 * NUL bytes and invalid UTF-8, which are diagnosed) in the given dialect
 * (FM_DIALECT_AUTO: chosen from the generator blocks, fm_dialect.h).  Every
 * diagnostic is added to diags, sorted by position.  Returns the model, or
 * NULL when there is at least one error.  Never crashes, loops or recurses
 * without bound on any input.
 */
extern FmModel *fm_parse_schema(FmArena *arena, const char *text, size_t len,
								FmDialectKind dialect, FmDiagList *diags);
/* the same, with release (may be NULL) called after the parse */
extern FmModel *fm_parse_schema_release(FmArena *arena, const char *text,
										size_t len, FmDialectKind dialect,
										FmDiagList *diags,
										const FmTextRelease *release);

/*
 * The same for the diagnostics alone, in less memory: fn(model, arg) is
 * called (fn may be NULL) with the model, or NULL when there is at least one
 * error; the model is freed when fn returns.  diags are in arena.  release
 * (may be NULL) is called after the parse.
 */
extern void fm_check_schema(FmArena *arena, const char *text, size_t len,
							FmDialectKind dialect, FmDiagList *diags,
							const FmTextRelease *release,
							void (*fn) (FmModel *m, void *arg), void *arg);

/*
 * Canonical formatting (like "prisma format"): idempotent.  Returns NULL
 * when the text has syntax errors (added to diags); semantic errors do not
 * prevent formatting.
 */
extern char *fm_format_schema(FmArena *arena, const char *text, size_t len,
							  FmDiagList *diags);
/* the same in the layout of a dialect (FM_DIALECT_AUTO: the schema's own) */
extern char *fm_format_schema_dialect(FmArena *arena, const char *text, size_t len,
									  FmDialectKind dialect, FmDiagList *diags);
/* ... with release (may be NULL) called after the parse */
extern char *fm_format_schema_release(FmArena *arena, const char *text, size_t len,
									  FmDialectKind dialect, FmDiagList *diags,
									  const FmTextRelease *release);

#endif							/* FM_PARSE_H */
