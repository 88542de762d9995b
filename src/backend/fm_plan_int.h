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

#include "lib/stringinfo.h"

#include "ferriorm.h"
#include "fm_model.h"
#include "fm_diff.h"

/* A descendant of a live table (partition or inheritance child). */
typedef struct FmLiveChild
{
	const char *schema;
	const char *name;
	bool		partition;		/* else an inheritance child */
	bool		managed;		/* in one of the managed schemas */
} FmLiveChild;

/* A table that introspection read, as it read it. */
typedef struct FmLiveRel
{
	Oid			oid;
	Oid			nspoid;
	const char *schema;
	const char *name;
	FmList		children;		/* of FmLiveChild *: partitions outside the
								 * managed schemas, at any depth, and
								 * inheritance children anywhere */
} FmLiveRel;

typedef struct FmLiveRels
{
	FmLiveRel  *rels;			/* sorted by OID */
	FmLiveRel **byname;			/* the same, sorted by (schema, name) */
	int			n;
} FmLiveRels;

/*
 * Read the managed schemas (list of char *) from the catalog into a new
 * model in arena, every query on one snapshot.  model->schemas lists the
 * managed schemas that exist.  rels (optional) receives the tables read.
 * Takes no lock on any user table.  Must be called with SPI not connected
 * (it connects itself).
 */
extern FmModel *fm_introspect(FmArena *arena, const FmList *schemas,
							  FmLiveRels *rels);

/* Sort rels->byname (filled with the same pointers as rels->rels). */
extern void fm_live_rels_index(FmLiveRels *rels);

/* The table introspection read as schema.name; NULL if none. */
extern const FmLiveRel *fm_live_rel(const FmLiveRels *rels,
									const char *schema, const char *name);

/*
 * Once the plan has taken every lock it takes: ERROR (40001) naming the
 * first table that introspection read and that has since been dropped,
 * renamed or moved.
 */
extern void fm_recheck_live_rels(const FmLiveRels *rels);

/*
 * ERROR naming what a DROP TABLE step of the plan would remove or trip on
 * outside what the plan manages: partitions in unmanaged schemas, and
 * inheritance children that the plan does not drop as well.  Inheritance
 * children that it does drop are moved before their parents (dropguard.c).
 */
extern void fm_check_table_drops(FmPlan *plan, const FmLiveRels *rels);

/*
 * The same, through any row source (rowsource.h): the one set of catalog
 * queries and the one loader of fm_introspect, for the local catalog and
 * for a shadow database alike.  The caller provides the snapshot (one
 * REPEATABLE READ transaction for a remote source).
 */
struct FmRowSource;
extern FmModel *fm_introspect_rows(FmArena *arena, const FmList *schemas,
								   struct FmRowSource *rs);

/*
 * Rewrite the desired model's types, defaults, CHECK expressions, index
 * predicates and index expressions to the form PostgreSQL stores them,
 * wherever they differ textually from the live object they correspond to;
 * and make unique indexes and unique constraints that are the same thing
 * compare equal.  The live model may be adjusted for the latter (and is
 * sorted); desired is sorted too.
 */
extern void fm_normalize_for_live(FmModel *desired, FmModel *live,
								  const FmLiveRels *rels);

/*
 * Rewrite the expressions of live model m (defaults, CHECKs, index
 * predicates and expressions, exclusion predicates) that hold an AND or an
 * OR as PostgreSQL stores them once read back: its deparser writes an AND
 * whose first operand it expanded (BETWEEN, NOT IN over columns) nested,
 * ((a AND b) AND c), and its parser reads that flat.  So a pull prints the
 * text that the database it creates pulls again (ferriorm_pull).
 */
extern void fm_normalize_pulled(FmModel *m, const FmLiveRels *rels);
/* el's operator class from pg_opclass row opclass, as the model holds it */
extern void fm_model_opclass(FmArena *arena, FmIndexElem *el, Oid opclass);

/*
 * Fill hazard_detail of every hazardous step with figures from live data;
 * clear data_loss where the figures show nothing would be lost.  Figures
 * run as each table's owner in a security-restricted operation, and only
 * for a caller holding the owner's privileges; otherwise they are
 * "unknown" and a step that may lose data keeps that mark.  With push,
 * every table a step that may lose data changes is locked (ACCESS
 * EXCLUSIVE, with its inheritors) before its figures are computed, and the
 * figures read a snapshot taken after the lock; under REPEATABLE READ or
 * SERIALIZABLE those figures are unknown.  See hazards.c.
 */
extern void fm_fill_hazards(FmPlan *plan, const FmModel *live,
							const FmModel *desired, bool push);

/* which steps fm_list_steps() lists */
typedef enum FmStepList
{
	FM_STEPS_FAILING,			/* the figures show it will fail (hazard_fails) */
	FM_STEPS_LOSING				/* it loses data (data_loss, after the figures) */
} FmStepList;

/*
 * The steps of plan that are of kind which, after fm_fill_hazards(): their
 * number, and a line per step ("step N (kind): figure", the DDL when the
 * step has no figure) appended to out.
 */
extern int	fm_list_steps(const FmPlan *plan, FmStepList which, StringInfo out);

/*
 * Set search_path to pg_catalog, the caller's schemas, pg_temp for the
 * plan's internal work (plan.c); returns the GUC nest level to pass to
 * fm_plan_leave_safe_path().  An error restores the caller's path with the
 * (sub)transaction.
 */
#define FM_PINNED_SETTINGS 6
extern const char *const fm_pinned_settings[FM_PINNED_SETTINGS][2];
extern int	fm_plan_enter_safe_path(void);
extern int	fm_plan_enter_safe_search_path(void);
/* a NOTICE of the text's edits a @preserve'd model makes the plan ignore */
extern void fm_plan_notice_preserved(FmArena *a, const FmModel *live,
									 const FmModel *desired);
/* that search_path, as a string (for a shadow database's session) */
extern char *fm_plan_safe_path_string(void);

/*
 * The managed schemas of a desired model, appended to out: its datasource's
 * "schemas" and every schema an object names; the current schema when that
 * is none, which also becomes the model's default schema.  The model's
 * unqualified standalone sequences are placed in a managed schema, and those
 * in an unmanaged schema are left out of it (plan.c: managed_sequences).
 */
extern void fm_plan_managed_schemas(FmArena *a, FmModel *desired, FmList *out);
extern void fm_plan_leave_safe_path(int nestlevel);

/*
 * The size and estimated rows of the table a step locks, as a sentence
 * for the detail (steplocks.c); NULL when it locks no table read.
 */
extern char *fm_step_table_sentence(const FmStep *step,
									const FmLiveRels *rels);

#endif							/* FM_PLAN_INT_H */
