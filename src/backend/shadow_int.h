/*-------------------------------------------------------------------------
 *
 * shadow_int.h
 *	  Between shadow.c (the strategies) and shadow_fixed.c (a pre-created
 *	  shadow database): see each function's contract comment.
 *
 * src/backend/shadow_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_SHADOW_INT_H
#define FM_SHADOW_INT_H

#include "libpq-fe.h"

/* shadow.c: what the rollback strategy drops of the managed schemas ($1) */
extern const char *const fm_shadow_q_droppable;
extern const char *fm_shadow_drop_keyword(const char *type);

/* shadow_fixed.c */
extern void fm_shadow_check_fixed(PGconn *conn);
extern void fm_shadow_reset(PGconn *conn);
extern char *fm_shadow_extensions(PGconn *conn);
extern void fm_shadow_drop_replayed_extensions(PGconn *conn, const char *before);

#endif							/* FM_SHADOW_INT_H */
