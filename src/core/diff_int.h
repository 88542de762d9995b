/*-------------------------------------------------------------------------
 *
 * diff_int.h
 *	  The state shared by the phases of the diff (diff*.c), and their
 *	  entry points.  Not a contract: only the diff's own files include it.
 *
 * One Diff lives for one fm_diff() call.  Besides the steps recorded so
 * far, it carries the sets in which one phase tells a later one what it
 * found (see diff.c for the order of the phases).  Each set is an array of
 * arena strings, filled with fmd_set_add() and sorted once by the phase
 * that fills it, then probed with fmd_set_has().  Keys join their parts
 * with \x1f (and \x1e before a trailing expression).
 *
 * src/core/diff_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef DIFF_INT_H
#define DIFF_INT_H

#include "fm_diff_int.h"

/* A step, and its creation order for the driver's stable sort. */
typedef struct StepRec
{
	FmStep		step;
	int			seq;
	int			rank;			/* within a phase, before the object name:
								 * a table's depth in its partition tree or
								 * inheritance hierarchy (negated for drops) */
} StepRec;

/*
 * The state of one fm_diff() call.  Each set names the phase that fills
 * it (and sorts it when it is complete) and the phases that read it.
 */
typedef struct Diff
{
	FmArena    *a;				/* everything is allocated here */
	const FmModel *from;		/* the live side, after declared renames */
	const FmModel *to;			/* the target */

	/*
	 * (schema, name) -> int *: the row ranks of the tables of from and of
	 * to (diff_rowtype.c), made by fmd_row_rank() on its first call for
	 * each side
	 */
	FmHashMap	row_ranks_from;
	FmHashMap	row_ranks_to;

	/*
	 * (schema, name) -> int *: how many partitions (> 0) or inheriting
	 * tables (< 0) of from, at any depth, a table of from has; made on the
	 * first fmd_lock of a step on a table that has some (fmd_lock)
	 */
	FmHashMap	descendants;
	bool		descendants_made;
	bool		row_ranks_from_made;
	bool		row_ranks_to_made;

	/*
	 * "schema\x1fname" of the tables of from: the tables a step locks.
	 * Filled and sorted by fmd_is_live() on its first call, which
	 * fmd_lock() and the other step helpers make.
	 */
	char	  **live;
	int			nlive;
	int			caplive;
	bool		live_done;		/* live is filled */

	/*
	 * "schema\x1ftable\x1fcolumn" -> hint, and "schema\x1ftable" -> hint:
	 * columns and tables of to that may be a dropped one renamed
	 * (possible_rename).  Filled by the rename phase (diff_rename.c); read
	 * by the column and table phases.
	 */
	FmHashMap	rename_hints;

	/*
	 * The models fmd_possible_renames() noted; their tables by (schema,
	 * name), and the tables of from that to lacks, once a hint is sought.
	 */
	/*
	 * diff_partition.c: the tables of the models it walks (from, to) by
	 * name, built on first use, and what its lineage walks found: a
	 * table's partition root columns, whether an ancestor is recreated
	 * ("%p" of the table -> answer; anc_memo is emptied when
	 * recreated_tables grows).  So the walks cost each table once.
	 */
	FmTableIndex lineage_ix[4];
	int			nlineage_ix;
	/* "schema\x1fnew" -> live name of each table a declared rename renames */
	FmHashMap	live_table_names;
	FmHashMap	root_memo;
	FmHashMap	anc_memo;

	const FmModel *hints_from;
	const FmModel *hints_to;
	FmHashMap	hints_from_map;
	FmHashMap	hints_to_map;
	FmList		hints_dropped;
	bool		hint_maps_done;
	/*
	 * The possible renames by key, so that each added table or column
	 * finds its candidate in constant time (a search per addition made a
	 * diff quadratic in its tables and cubic in a table's columns, in the
	 * core, which cannot be cancelled): shape key of a table -> the first
	 * dropped table of that shape; "%p/%p" of a pair of tables -> its
	 * ColHints (diff_rename.c).
	 */
	FmHashMap	hints_by_shape;
	FmHashMap	col_hints;
	/* the pair of tables whose columns the column phase compares */
	const FmTable *pair_from;
	const FmTable *pair_to;
	FmRender	r;				/* quoting for the DDL */
	FmList		recs;			/* of StepRec *, in creation order */
	int			rank;			/* StepRec.rank of the steps being added */
	bool		early_drop;		/* fmd_drop_table: the table is dropped
								 * before the creations (diff_partition.c),
								 * which frees its names: none to free */
	int			seq;			/* next creation number */

	/*
	 * "schema\x1ftable\x1fcols..." (columns sorted) of the unique keys of
	 * from that are dropped.  Filled by the key phase (diff_index.c); read
	 * by the foreign-key phase: a foreign key referencing one is re-created.
	 */
	char	  **dropped_keys;
	int			ndropped;
	int			capdropped;

	/*
	 * "schema\x1ftable\x1fcolumn" of the columns whose type changes.
	 * Filled by the column phase; read by the foreign-key phase.
	 */
	char	  **retyped;
	int			nretyped;
	int			capretyped;

	/*
	 * "schema\x1fname\x1etext": for each enum, the defaults, CHECKs and
	 * index expressions of the tables of to with a column of that enum.
	 * Filled (on first need) and read by the enum phase, from the target
	 * noted by fmd_note_enum_mentions().
	 */
	char	  **enum_defaults;
	int			nenum_defaults;
	int			capenum_defaults;
	const FmModel *enum_mentions_of;
	bool		enum_mentions_done;	/* enum_defaults is filled */

	/*
	 * "schema\x1fname" of the enums recreated.  Filled by the enum phase;
	 * read by the column, key and CHECK phases.
	 */
	char	  **recreated;
	int			nrecreated;
	int			caprecreated;
	/*
	 * The labels a recreated enum loses, as SQL literals ('GUEST'): a kept
	 * CHECK or index that names one cannot be created again after the
	 * conversion (fmd_names_removed_label).  Filled by the enum phase.
	 */
	char	  **removed_labels;
	int			nremoved_labels;
	int			capremoved_labels;

	/*
	 * "schema\x1fname" of the relations of to: tables, keys, indexes.
	 * Filled by fmd_relname_used() on its first call, from the target
	 * noted by fmd_note_relnames(); read by the table and key phases.
	 */
	char	  **relnames;
	int			nrelnames;
	int			caprelnames;
	const FmModel *relnames_of;
	bool		relnames_done;	/* relnames is filled */

	/*
	 * "schema\x1fname" of the tables dropped and created again because
	 * their partitioning or inheritance changes.  Filled by
	 * fmd_note_recreated_tables(); read by the table phase.
	 */
	char	  **recreated_tables;
	int			nrecreated_tables;
	int			caprecreated_tables;

	/*
	 * "schema\x1fname" of the INHERITS parents named on either side.
	 * Filled by fmd_note_recreated_tables(); read by fmd_in_lineage().
	 */
	char	  **inh_parents;
	int			ninh_parents;
	int			capinh_parents;

	/*
	 * The last column lists sorted by name (fmd_sorted_columns), keyed by
	 * the list's items and length: the column, key and CHECK phases of one
	 * pair of tables each merge the same two lists.
	 */
	struct
	{
		void	  **items;
		int			n;
		FmColumn  **sorted;
	}			colcache[4];
	int			colcache_next;	/* the slot to fill next */

	/* fmd_recreated_enum_cols() of the pair (ecols_t1, ecols_t2) */
	const FmTable *ecols_t1;
	const FmTable *ecols_t2;
	FmList		ecols;			/* of char * */

	/* fmd_type_changed_cols() of the pair (tcols_t1, tcols_t2) */
	const FmTable *tcols_t1;
	const FmTable *tcols_t2;
	FmList		tcols;			/* of char * */
	/* the table of from whose columns fmd_columns() is comparing */
	const FmTable *cols_from;
} Diff;

/*
 * StepRec.rank of a step that goes after every other step of its phase:
 * the re-created generated columns are dropped last in the drop phase,
 * after the indexes and constraints on them, and added last in the column
 * phase, after every column their expressions read is added or retyped
 * (diff_generated.c).
 */
#define FMD_RANK_LAST 1000000

/* diff_rowtype.c */
extern int	fmd_row_rank(Diff *d, bool target, const FmTable *t);

/* diff_util.c */
extern int fmd_name_cmp(const char *s1, const char *n1, const char *s2,
						const char *n2);
extern int fmd_table_ptr_cmp(const void *a, const void *b);
extern int fmd_enum_ptr_cmp(const void *a, const void *b);
extern int fmd_str_ptr_cmp(const void *a, const void *b);
extern void **fmd_sorted_copy(FmArena *a, const FmList *list,
							  int (*cmp) (const void *, const void *));
extern bool fmd_comment_eq(const char *a, const char *b);
extern bool fmd_name_list_eq(const FmList *a, const FmList *b);

/*
 * Was an object of the source read from a database (the catalog, a shadow)
 * rather than stated by schema text (which has a position)?  What a target
 * keeps because its text cannot state it (keep_unstated) is only what a
 * database has: an object the source text stated and the target's lacks
 * was removed on purpose (ferriorm_diff from one text to another).
 */
static inline bool
fmd_read_live(FmSrcPos pos)
{
	return pos.line == 0;
}
extern bool fmd_expr_eq(FmArena *a, const char *x, const char *y);
extern char *fmd_clip_ident(FmArena *a, const char *s);
extern void fmd_set_add(Diff *d, char ***arr, int *n, int *cap, char *s);
extern bool fmd_set_has(char **arr, int n, const char *s);
extern FmColumn **fmd_sorted_columns(Diff *d, const FmTable *t);
extern char *fmd_name_key(FmArena *a, const char *schema, const char *name);
extern char *fmd_colset_key(FmArena *a, const char *schema, const char *table,
							const FmList *cols);
extern FmStep *fmd_add_step(Diff *d, FmPhase phase, const char *action,
							char *object, char *ddl);
extern void fmd_set_hazard(FmStep *s, FmHazardKind kind, const char *schema,
						   const char *table, const char *column, char *extra,
						   bool data_loss);
extern void fmd_begin_alter(Diff *d, FmBuf *b, const FmTable *t);
extern char *fmd_drop_ddl(Diff *d, const char *what, const char *schema,
						  const char *name);
extern bool fmd_is_live(Diff *d, const char *schema, const char *name);
extern void fmd_lock(Diff *d, FmStep *s, FmStepKind kind, const FmTable *t);
extern void fmd_lock_ref(Diff *d, FmStep *s, const char *schema,
						 const char *table);
extern char *fmd_col_object(Diff *d, const FmTable *t, const char *col);
extern char *fmd_sub_object(Diff *d, const char *schema, const char *table,
							const char *name);
extern void fmd_comment_step(Diff *d, const char *what, const char *schema,
							 const char *name, const char *col,
							 const char *comment);

/* diff_rename.c */
extern const FmModel *fmd_renames(Diff *d, const FmModel *from,
								  const FmModel *to);
extern void fmd_possible_renames(Diff *d, const FmModel *from,
								 const FmModel *to);
extern void fmd_rename_hint(Diff *d, FmStep *s, const char *key);
extern void fmd_table_rename_hint(Diff *d, FmStep *s, const FmTable *t2);
extern void fmd_column_rename_hint(Diff *d, FmStep *s, const FmTable *t,
								   const FmColumn *c2);

/* diff_enum.c */
extern void fmd_note_enum_mentions(Diff *d, const FmModel *to);
extern bool fmd_names_removed_label(Diff *d, const char *text);
extern bool fmd_index_names_removed_label(Diff *d, const FmIndex *ix);
extern void fmd_enums(Diff *d, const FmModel *from, const FmModel *to);

/* diff_constraint.c */
extern char *fmd_drop_constraint_ddl(Diff *d, const FmTable *t,
									 const char *name);
extern void fmd_add_fk_step(Diff *d, const FmTable *t, const FmForeignKey *fk,
							bool existing);
extern void fmd_drop_fk_step(Diff *d, const FmTable *t,
							 const FmForeignKey *fk);
extern void fmd_checks(Diff *d, const FmTable *t1, const FmTable *t2);
extern void fmd_fks(Diff *d, const FmTable *t1, const FmTable *t2);
extern bool fmd_fks_unchanged(Diff *d, const FmTable *t1, const FmTable *t2);
extern bool fmd_fk_same(const FmForeignKey *x, const FmForeignKey *y);
extern void fmd_free_clone_name(Diff *d, const FmTable *t, const FmIndex *ix);
extern void fmd_drop_clones(Diff *d, const FmModel *from, const FmModel *to,
							const FmTable *t1, const FmTable *t2, FmPhase phase,
							char *obj);

/* diff_table.c */
extern void fmd_note_relnames(Diff *d, const FmModel *to);
extern bool fmd_relname_used(Diff *d, const char *schema, const char *name);
extern void fmd_tables(Diff *d, const FmModel *from, const FmModel *to);
extern void fmd_create_table(Diff *d, const FmTable *t);
extern void fmd_drop_table(Diff *d, const FmTable *t);

/* diff_partition.c */
extern void fmd_note_recreated_tables(Diff *d, const FmModel *from,
									  const FmModel *to);
extern bool fmd_table_recreated(Diff *d, const FmTable *t);
extern bool fmd_in_lineage(Diff *d, const FmTable *t);
extern void fmd_drop_and_create(Diff *d, const FmModel *from,
								const FmModel *to, const FmList *drops,
								const FmList *creates);
extern void fmd_partition_moves(Diff *d, const FmModel *from, const FmModel *to,
								const FmTable *t1, const FmTable *t2);
extern void fmd_note_spared_rows(Diff *d, const FmModel *from);
extern FmTable *fmd_lineage_find(Diff *d, const FmModel *m, const char *schema,
								 const char *name);
extern const FmTable *fmd_lineage_nth_parent(Diff *d, const FmModel *m,
											 const FmTable *t, int k, bool *more);
extern void fmd_inherited_views(Diff *d, const FmModel *from, const FmModel *to,
								const FmTable **t1, const FmTable **t2);

/* diff_index.c */
extern void fmd_create_index_step(Diff *d, const FmTable *t, const FmIndex *ix,
								  bool existing);
extern void fmd_drop_index_step(Diff *d, const FmTable *t, const char *name);
extern bool fmd_index_same(Diff *d, const FmIndex *x, const FmIndex *y,
						   bool colls);
extern bool fmd_mentions_any(const char *text, const FmList *cols);
extern void fmd_keys(Diff *d, const FmTable *t1, const FmTable *t2);

/* diff_coltype.c */
extern bool fmd_type_eq(FmArena *a, const FmType *x, const FmType *y);
extern bool fmd_col_type_eq(FmArena *a, const FmTable *t2, const FmType *x,
							const FmType *y);
extern bool fmd_col_same_type(FmArena *a, const FmTable *t2, const FmColumn *c1,
							  const FmColumn *c2);

/* diff_column.c */
/* "character varying(10)" -> "character varying", typmod "10" in *mod */
extern char *fmd_type_base(FmArena *a, const char *norm, char **mod);
extern bool fmd_enum_recreated(Diff *d, const FmType *t);
extern void fmd_recreated_enum_cols(Diff *d, const FmTable *t1,
									const FmTable *t2, FmList *out);
extern void fmd_retyped_cols(Diff *d, const FmTable *t1, const FmTable *t2,
							 FmList *out);
extern void fmd_recast_cols(Diff *d, const FmTable *t1, const FmTable *t2,
							FmList *out);
extern const FmList *fmd_type_changed_cols(Diff *d, const FmTable *t1,
										   const FmTable *t2);
extern void fmd_columns(Diff *d, const FmTable *t1, const FmTable *t2);
extern void fmd_alter_col_step(Diff *d, FmPhase phase, const char *action,
							   char *obj, const FmTable *t, const FmColumn *c,
							   const char *fmt, const char *arg);

/* diff_tables.c: sequences, storage, identity kinds, collations */
extern void fmd_sequences(Diff *d, const FmModel *from, const FmModel *to);
extern bool fmd_serial_default_kept(Diff *d, const FmColumn *c1,
									const FmColumn *c2);
extern void fmd_storage(Diff *d, const FmTable *t1, const FmTable *t2);
extern void fmd_add_identity(Diff *d, const FmTable *t, const FmColumn *c2,
							 char *obj, char *serial_seq);
extern bool fmd_identity(Diff *d, const FmTable *t, const FmColumn *c1,
						 const FmColumn *c2, char *obj);
extern bool fmd_collation_changes(const FmTable *t2, const FmColumn *c1,
								  const FmColumn *c2);
extern void fmd_collation(Diff *d, const FmTable *t, const FmColumn *c1,
						  const FmColumn *c2, char *obj, bool retyped);
extern bool fmd_generated(Diff *d, const FmTable *t, const FmColumn *c1,
						  const FmColumn *c2, char *obj);

/* diff_exclude.c: exclusion constraints */
extern void fmd_add_exclusion_step(Diff *d, const FmTable *t,
								   const FmExclusion *x, bool existing);
extern void fmd_exclusions(Diff *d, const FmTable *t1, const FmTable *t2);
extern void fmd_exclusion_relnames(Diff *d, const FmTable *t);
extern void fmd_drop_reused_exclusions(Diff *d, const FmTable *t);

/* diff_generated.c: columns re-created for their generation */
extern bool fmd_regenerates(Diff *d, const FmTable *t1, const FmTable *t2,
							const FmColumn *c1, const FmColumn *c2);
extern void fmd_regenerated_cols(Diff *d, const FmTable *t1, const FmTable *t2,
								 FmList *out);
extern bool fmd_key_touches(const FmKey *key, const FmList *cols);
extern bool fmd_index_touches(const FmIndex *ix, const FmList *cols);
extern bool fmd_has_name(const FmList *cols, const char *name);

#endif							/* DIFF_INT_H */
