/*-------------------------------------------------------------------------
 *
 * normalize_srv_int.h
 *	  The requests of server-side normalization: queued by normalize_live.c,
 *	  run by normalize_srv.c.
 *
 * src/backend/normalize_srv_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef NORMALIZE_SRV_INT_H
#define NORMALIZE_SRV_INT_H

#include "fm_plan_int.h"

typedef enum NormKind
{
	NK_TYPE,
	NK_DEFAULT,
	NK_CHECK,
	NK_PREDICATE,
	NK_INDEX_EXPR,				/* and partition key expressions */
	NK_BOUND,					/* a partition bound; lrel: the live parent */
	NK_CONST_ARRAY				/* a default, already normalized, that means
								 * the live one (same_const_array) */
} NormKind;

typedef struct NormReq
{
	NormKind	kind;
	char	  **target;			/* text to rewrite in place */
	FmArena    *arena;
	const FmLiveRel *lrel;		/* live table (CHECK, predicate, expr) */
	FmColumn   *column;			/* NK_DEFAULT: the desired column */
	const char *live;			/* the live object's text, or NULL */
	FmHashMap  *memo;			/* results of types and defaults (run_req) */
} NormReq;

typedef struct NormCtx
{
	FmModel    *desired;
	FmModel    *live;
	const FmLiveRels *rels;
	NormReq    *reqs;
	int			nreqs;
	int			maxreqs;
	FmHashMap	memo;			/* see memo_key() */
} NormCtx;

/* why a table is opened: the phrase of the privilege check's message */
extern const char *const fm_normalize_why;

/*
 * Queue a request: *target (in the desired model's arena) is to be
 * rewritten as the server would store it, for table lrel and column col
 * where the kind needs them; live is the text of the live object it is
 * compared with (NULL: none).
 */
extern void fm_norm_add_req(NormCtx *cx, NormKind kind, char **target,
							const FmLiveRel *lrel, FmColumn *col,
							const char *live);
/* run the queued requests of cx and empty the queue */
extern void fm_norm_run_requests(NormCtx *cx);

#endif							/* NORMALIZE_SRV_INT_H */
