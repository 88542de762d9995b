/*-------------------------------------------------------------------------
 *
 * hazards_int.h
 *	  State shared by the files that compute hazard figures.
 *
 * hazards.c drives (see its header for the design and the security
 * model), hazards_query.c runs queries as the table's owner,
 * hazards_exact.c counts and hazards_estimate.c estimates.  Each figure
 * function reads the step from a HazCtx and leaves its sentence in
 * cx->detail (palloc'd in the per-step memory context), setting
 * cx->no_loss when the figures show that nothing would be lost; it leaves
 * cx->detail NULL when it has nothing better than the core's generic
 * sentence.  Errors it raises are caught by the driver's subtransaction.
 * Nothing here is visible outside src/backend/hazards*.c.
 *
 * src/backend/hazards_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_HAZARDS_INT_H
#define FM_HAZARDS_INT_H

#include "nodes/pg_list.h"

#include "fm_plan_int.h"

/* tables smaller than this are always counted exactly (unless budget 0) */
#define FM_SMALL_TABLE_BLOCKS 128

/*
 * One hazardous step being figured.  Set up by fm_fill_hazards() for each
 * step; the figure functions fill in the result fields.
 */
typedef struct HazCtx
{
	FmPlan	   *plan;
	const FmModel *live;
	const FmModel *desired;
	FmStep	   *step;			/* under the live names (live_named_step) */
	const char *dtable;			/* the step's table and column as the */
	const char *dcolumn;		/* desired model names them */
	const FmTable *ltable;		/* live table of the step, if any */
	char	   *qtable;			/* quoted, qualified */
	/*
	 * what the figures of a new constraint read (a FROM item): qtable, or,
	 * when the plan renames columns of the table (@renamed), a subquery of
	 * it that shows its columns under the names the constraint's text uses
	 * (fm_haz_renamed_relation); exact figures only
	 */
	char	   *from;
	bool		renamed;		/* from is such a subquery */
	Oid			owner;			/* owner of the step's table: figures run as it */
	List	   *enum_cols;		/* DROP_ENUM_VALUE: (FmTable *, FmColumn *) pairs */
	Oid		   *enum_owners;	/* and the owner of each pair's table */
	bool		push;			/* exact figures for push: lock first */
	char	   *detail;			/* result (palloc'd) */
	bool		no_loss;		/* figures show nothing is lost */
	bool		fails;			/* exact figures show the step fails */
	bool		estimate;		/* over the hazard budget: estimate */
	int64		blocks;			/* the table's size, in blocks */
	double		spent_ms;		/* figures' time so far, this plan */
} HazCtx;

/*
 * The FROM item of the live table (schema, live name) of desired table dt
 * under the names dt gives its columns: the quoted qualified name, or,
 * when dt renames some of them (@renamed), a subquery "(SELECT x.old AS
 * new, x.kept AS kept, NULL AS shadowed ... FROM table x)" of dt's columns
 * (to be given an alias); *renamed tells which.
 */
extern char *fm_haz_renamed_relation(const FmTable *dt, const FmTable *lt,
									 bool *renamed);

/*
 * The live column of lt that column col of desired table dt is read from
 * before the plan runs (its @renamed old name, or col), or NULL for a new
 * column.
 */
extern const char *fm_haz_live_column(const FmTable *dt, const FmTable *lt,
									  const char *col);

/* a figure's query: read-only, run as the owner (fm_haz_fig_select) */
typedef struct FigQuery
{
	const char *sql;			/* deparsed for the safe path */
	int			nargs;
	Oid		   *argtypes;
	Datum	   *values;
} FigQuery;

/*
 * How a type change converts a value and how we check it: conv is the
 * USING expression of the statement, as the diff handed it over
 * (hazard_using), if it has one, else a cast to the new type; back
 * converts the result to the old type (hazard_old_type; through text when
 * there is no cast, as between two enums).  A value is lost when
 * converting fails or back(conv) differs from it (truncated, rounded, out
 * of range).  A value whose conversion raises an error makes the statement
 * fail; so does a value that an explicit cast would truncate where the
 * statement's assignment conversion (no USING) raises an error instead: a
 * character string longer than the new length, unless the excess is
 * spaces (fails, below).
 */
typedef struct TypeChange
{
	char	   *qcol;
	const char *oldtype;
	const char *newtype;
	char	   *conv;			/* the new value computed from qcol */
	char	   *check;			/* true when the value of qcol survives */
	char	   *fails;			/* NULL, or true when the value of qcol
								 * (not NULL) makes the statement fail */
} TypeChange;

/* why a figure must lock a table (security.c's privilege errors) */
extern const char *const fm_haz_figure_why;

/* hazards_estimate.c: estimates past ferriorm.hazard_budget */
extern char *fm_haz_about(double n);
extern void fm_haz_est_add_check(HazCtx *cx);
extern void fm_haz_est_add_required_column(HazCtx *cx);
extern void fm_haz_est_add_unique(HazCtx *cx);
extern void fm_haz_est_alter_type(HazCtx *cx);
extern void fm_haz_est_column_nulls(HazCtx *cx, bool want_nulls);
extern void fm_haz_est_drop_table(HazCtx *cx);
extern double fm_haz_sample_estimate(HazCtx *cx, const char *cond,
									 double *total);
extern char *fm_haz_sample_method(void);

/* hazards_query.c: queries run as the owner, and small helpers */
extern int64 fm_haz_count_query(HazCtx *cx, const char *sql, int nargs,
								Oid *argtypes, Datum *values);
extern int64 fm_haz_count_query2(HazCtx *cx, const char *sql, int nargs,
								 Oid *argtypes, Datum *values, int64 *second);
extern int64 fm_haz_count_query2_as(Oid owner, const char *sql, int nargs,
									Oid *argtypes, Datum *values,
									int64 *second);
extern List *fm_haz_enum_columns(const FmModel *live, const char *schema,
								 const char *name);
extern char *fm_haz_eq_operator(Oid typid);
extern void fm_haz_fig_query_guts(void *arg);
extern void fm_haz_fig_select(Oid owner, const char *sql, int nargs,
							  Oid *argtypes, Datum *values);
extern const FmTable *fm_haz_find_table(const FmModel *m, const char *schema,
										const char *name);
extern bool fm_haz_live_has_column(const FmTable *t, const char *col);
extern const char *fm_haz_plural(int64 n, const char *one, const char *many);
extern char *fm_haz_qname(const char *schema, const char *name);
extern int	fm_haz_views_on(const char *schema, const char *table,
							const char *column, StringInfo out);
extern int64 fm_haz_rows_of(HazCtx *cx);
extern Oid	fm_haz_table_oid(const char *schema, const char *name);
/* hazards.c: may figures of a table be computed, and as whom (NULL: yes) */
extern char *fm_haz_guard_table(const char *schema, const char *name,
								bool lock, Oid *owner);
extern bool fm_haz_type_change(HazCtx *cx, TypeChange *tc);

/* hazards_exact.c: exact figures, one function per hazard kind */
extern void fm_haz_add_check(HazCtx *cx);
/* hazards_exclude.c */
extern void fm_haz_add_exclusion(HazCtx *cx);
extern void fm_haz_est_add_exclusion(HazCtx *cx);
extern void fm_haz_add_foreign_key(HazCtx *cx);
extern void fm_haz_add_required_column(HazCtx *cx);
extern void fm_haz_add_unique(HazCtx *cx);
extern void fm_haz_alter_type(HazCtx *cx);
extern void fm_haz_alter_type_probe(HazCtx *cx);
extern void fm_haz_drop_column(HazCtx *cx);
extern void fm_haz_drop_enum(HazCtx *cx);
extern void fm_haz_drop_enum_value(HazCtx *cx);
extern void fm_haz_drop_table(HazCtx *cx);
extern void fm_haz_rewrite_table(HazCtx *cx);
extern void fm_haz_partition(HazCtx *cx);
extern void fm_haz_set_not_null(HazCtx *cx);
extern void fm_haz_switch_identity(HazCtx *cx);

#endif							/* FM_HAZARDS_INT_H */
