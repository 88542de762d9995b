/*-------------------------------------------------------------------------
 *
 * introspect_int.h
 *	  What the files of introspection share (introspect.c, the driver and
 *	  the tables; introspect_columns.c, columns and sequences;
 *	  introspect_keys.c, constraints and indexes; introspect_partition.c,
 *	  partition keys, bounds and parents; introspect_exclude.c, exclusion
 *	  constraints; introspect_collation.c, index elements' collations):
 *	  the state of one
 *	  introspection, the live tables found by OID, the reading of text
 *	  cells, and the pieces the catalog queries are written with.
 *
 * src/backend/introspect_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_INTROSPECT_INT_H
#define FM_INTROSPECT_INT_H

#include "postgres.h"

#include "fm_plan_int.h"
#include "rowsource.h"

/* A live table being built, found by OID. */
typedef struct LiveRel
{
	Oid			oid;
	FmTable    *table;
	int			natts;			/* pg_class.relnatts */
	char	  **attnames;		/* [0..natts], NULL for dropped columns */
	Oid		   *atttypids;
	Oid		   *attcolls;		/* [0..natts]: pg_attribute.attcollation */
	FmColumn  **cols;			/* [0..natts], while loading */
	bool	   *owned_seq;		/* [0..natts]: a sequence is owned by it */
	char	  **seq_schema;		/* [0..natts]: and its schema and name */
	char	  **seq_name;
	char	  **seq_options;	/* [0..natts]: its options no text states */
	char	  **own_reasons;	/* [0..natts] or NULL: what an inherited
								 * column has of its own, a @preserve
								 * reason given in attnum order */
	Oid			nspoid;
	FmList		children;		/* of FmLiveChild *: see q_children */
} LiveRel;

typedef struct IntroState
{
	FmModel    *model;
	FmArena    *arena;
	LiveRel    *rels;
	int			nrels;
	FmRowSource *rs;			/* where the rows come from */
	bool		local;			/* rs reads this database (SPI) */
	/*
	 * the managed schemas' OIDs, as oid[] text.  Queries read it as
	 * ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]): array_in is
	 * stable, so a plain $1::oid[] is never folded and parses the text
	 * again for every row (a third of a pull of 1,000 tables)
	 */
	const char *nspoids;
	Oid		   *conindexes;		/* indexes that back constraints */
	int			nconindexes;
	int			maxconindexes;
} IntroState;

/*
 * The text below runs on the plan's safe search_path (plan.c) but does not
 * rely on it: every function and type is schema-qualified, and every
 * operator is written OPERATOR(pg_catalog.x) with operands whose types make
 * pg_catalog's operator an exact match, so that no look-alike operator in
 * a schema of the caller's search_path can ever be chosen.
 */
#define EQ " OPERATOR(pg_catalog.=) "

/* class OID of a catalog, as an oid (not a regclass: exact operator match) */
#define CLASSOID(catalog) "'" catalog "'::pg_catalog.regclass::pg_catalog.oid"

/*
 * an object (class catalog c, oid column o) is not a member of an
 * extension: the members are found from the extensions (pg_depend's index
 * on the referenced object), not by a scan of every dependency
 */
#define NOT_EXT(catalog, oidcol) \
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension x " \
	"JOIN pg_catalog.pg_depend dep ON dep.refclassid" EQ CLASSOID("pg_catalog.pg_extension") " " \
	"AND dep.refobjid" EQ "x.oid " \
	"WHERE dep.classid" EQ CLASSOID(catalog) " " \
	"AND dep.objid" EQ oidcol " AND dep.deptype" EQ "'e'::pg_catalog.\"char\") "

/* an ordinary or partitioned table */
#define IS_TABLE(relkind) \
	"(" relkind EQ "'r'::pg_catalog.\"char\" OR " relkind EQ "'p'::pg_catalog.\"char\")"

/*
 * relation OID oid (never NULL) has a parent in pg_inherits: a table that
 * inherits or is a partition, an index that is a partition of a parent's.
 * An uncorrelated ANY, which the executor answers from a hash table of
 * pg_inherits built once per query; the correlated EXISTS it replaces
 * scanned pg_inherits once per row, and the planner picks a sequential
 * scan for that small table: an lseek() system call per row, 4,000 of
 * them in a plan of 1,000 tables.
 */
#define HAS_PARENT(oid) \
	"(" oid EQ "ANY (SELECT hp.inhrelid FROM pg_catalog.pg_inherits hp))"

/* introspect.c: tables by OID, cells, queries */
extern int	fm_intro_oid_cmp(const void *a, const void *b);
extern LiveRel *fm_intro_find_rel(IntroState *st, Oid oid);
extern char *fm_intro_str(IntroState *st, const FmRows *rows, uint64 row, int col);
extern Oid	fm_intro_oid(const FmRows *rows, uint64 row, int col);
extern bool fm_intro_bool(const FmRows *rows, uint64 row, int col);
extern char fm_intro_char(const FmRows *rows, uint64 row, int col);
extern int32 fm_intro_int(const FmRows *rows, uint64 row, int col);
extern int	fm_intro_int2s(const FmRows *rows, uint64 row, int col, int16 **out);
extern int	fm_intro_oids(const FmRows *rows, uint64 row, int col, Oid **out);
extern int	fm_intro_text_array(IntroState *st, const FmRows *rows, uint64 row,
								int col, char ***out);
extern FmRows *fm_intro_query(IntroState *st, const char *sql);
extern FmRows *fm_intro_query0(IntroState *st, const char *sql);
extern const char *fm_intro_attname(LiveRel *rel, int attnum);

/* introspect_columns.c */
extern FmRows *fm_intro_load_sequences(IntroState *st);
extern void fm_intro_load_columns(IntroState *st);
extern void fm_intro_load_identities(IntroState *st, FmRows *rows);

/* introspect_keys.c */
extern void fm_intro_load_constraints(IntroState *st);
extern void fm_intro_load_indexes(IntroState *st);

/*
 * introspect_partition.c: the partition key of every partitioned table
 * read, and the parents of every table read (a partition's parent and
 * bound, an inheriting table's INHERITS list)
 */
extern void fm_intro_load_lineage(IntroState *st);
/* introspect_exclude.c: exclusion constraints */
extern void fm_intro_load_exclusions(IntroState *st);

/*
 * introspect_collation.c: collations by OID, and index elements' collations
 * other than their column's
 */
typedef struct IndexCollation
{
	FmTable    *table;
	FmIndex    *ix;
	FmIndexElem *el;
	Oid			colloid;
} IndexCollation;

typedef struct IndexCollations
{
	FmList		items;			/* of IndexCollation *, as noted */
} IndexCollations;

/* the rows (oid, schema, name) of the collations listed in oids ("{...}") */
extern FmRows *fm_intro_collation_rows(IntroState *st, const char *oids);

/* note the key elements of ix whose collation (indcoll) is not their column's */
extern void fm_intro_note_index_collations(IntroState *st, IndexCollations *colls,
										   LiveRel *rel, FmIndex *ix,
										   const int16 *indkey, int nkey,
										   const Oid *indcoll, int nindcoll);

/* name the collations noted, in one query */
extern void fm_intro_name_index_collations(IntroState *st, IndexCollations *colls);

#endif							/* FM_INTROSPECT_INT_H */
