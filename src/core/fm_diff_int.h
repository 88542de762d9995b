/*-------------------------------------------------------------------------
 *
 * fm_diff_int.h
 *	  Private interfaces shared by the diff (diff*.c, through diff_int.h),
 *	  the DDL rendering helpers (render.c) and the offline normalizer
 *	  (normalize.c, normalize_type.c).  Not a contract: only those files
 *	  include it.
 *
 * src/core/fm_diff_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_DIFF_INT_H
#define FM_DIFF_INT_H

#include "fm_diff.h"

/* Rendering environment: arena + quoting hooks. */
typedef struct FmRender
{
	FmArena    *arena;
	const FmQuoting *q;
} FmRender;

extern void fm_r_ident(const FmRender *r, FmBuf *b, const char *ident);
extern void fm_r_qname(const FmRender *r, FmBuf *b, const char *schema,
					   const char *name);
extern void fm_r_literal(const FmRender *r, FmBuf *b, const char *lit);
extern void fm_r_name_list(const FmRender *r, FmBuf *b, const FmList *names);
extern void fm_r_type(const FmRender *r, FmBuf *b, const FmType *t);
extern char *fm_r_type_str(const FmRender *r, const FmType *t);
extern void fm_r_column_def(const FmRender *r, FmBuf *b, const FmColumn *c);
extern char *fm_r_create_table(const FmRender *r, const FmTable *t);
extern int	fm_r_table_constraints(const FmRender *r, FmBuf *b, const FmTable *t,
								   int items);
/* partition.c */
extern void fm_r_table_tail(const FmRender *r, FmBuf *b, const FmTable *t);
extern char *fm_r_create_partition(const FmRender *r, const FmTable *t);
extern char *fm_r_attach_partition(const FmRender *r, const FmTable *t);
extern char *fm_r_detach_partition(const FmRender *r, const FmTable *t);
extern bool fm_r_identity_options(FmBuf *b, const FmIdentity *id, bool all);
/* storage parameters "a = 1, b = x" (values) or "a, b" (for RESET) */
extern void fm_r_options(const FmRender *r, FmBuf *b, const FmList *options,
						 bool values);
extern char *fm_r_create_index(const FmRender *r, const FmTable *t,
							   const FmIndex *ix);
/* the same, CREATE [UNIQUE] INDEX CONCURRENTLY when concurrently */
extern char *fm_r_create_index_ex(const FmRender *r, const FmTable *t,
								  const FmIndex *ix, bool concurrently);
extern void fm_r_fk_body(const FmRender *r, FmBuf *b, const FmTable *t,
						 const FmForeignKey *fk);
extern const char *fm_r_fk_action(FmFkAction a);

/* x, y and z concatenated (NULL: ""), in arena */
extern char *fm_cat3(FmArena *arena, const char *x, const char *y,
					 const char *z);

/* "schema.name" or "name" (unquoted; for FmStep.object) */
extern char *fm_object_name(FmArena *arena, const char *schema,
							const char *name);

/* normalize_type.c: an identifier PostgreSQL would print unquoted? */
extern bool fm_is_simple_lower_ident(const char *s, size_t len);

#endif							/* FM_DIFF_INT_H */
