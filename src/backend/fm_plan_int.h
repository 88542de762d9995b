/*-------------------------------------------------------------------------
 *
 * fm_plan_int.h
 *	  Backend-internal interfaces of the plan machinery: catalog
 *	  introspection, server-side normalization of a desired model and
 *	  hazard figures from live data.
 *
 * src/backend/fm_plan_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_PLAN_INT_H
#define FM_PLAN_INT_H

#include "ferriorm.h"
#include "../core/fm_model.h"
#include "../core/fm_diff.h"

/*
 * Read the managed schemas (list of char *) from the catalog into a new
 * model in arena.  model->schemas lists the managed schemas that exist.
 * Must be called with SPI not connected (it connects itself).
 */
extern FmModel *fm_introspect(FmArena *arena, const FmList *schemas);

/*
 * Rewrite the desired model's types, defaults, CHECK expressions, index
 * predicates and index expressions to the form PostgreSQL stores them,
 * wherever they differ textually from the live object they correspond to;
 * and make unique indexes and unique constraints that are the same thing
 * compare equal.  The live model may be adjusted for the latter (and is
 * sorted); desired is sorted too.
 */
extern void fm_normalize_for_live(FmModel *desired, FmModel *live);
/* el's operator class from pg_opclass row opclass, as the model holds it */
extern void fm_model_opclass(FmArena *arena, FmIndexElem *el, Oid opclass);

/*
 * Fill hazard_detail of every hazardous step with figures from live data;
 * clear data_loss where the figures show nothing would be lost.
 */
extern void fm_fill_hazards(FmPlan *plan, const FmModel *live,
							const FmModel *desired);

/*
 * Set search_path to pg_catalog, the caller's schemas, pg_temp for the
 * plan's internal work (plan.c); returns the GUC nest level to pass to
 * fm_plan_leave_safe_path().  An error restores the caller's path with the
 * (sub)transaction.
 */
extern int	fm_plan_enter_safe_path(void);
extern void fm_plan_leave_safe_path(int nestlevel);


#endif							/* FM_PLAN_INT_H */
