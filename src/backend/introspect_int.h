/*-------------------------------------------------------------------------
 *
 * introspect_int.h
 *	  What introspect.c shares with the loaders it delegates to (the
 *	  lineage loader of introspect_partition.c).  Not a contract: only
 *	  introspection includes it.
 *
 * src/backend/introspect_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef INTROSPECT_INT_H
#define INTROSPECT_INT_H

#include "fm_model.h"
#include "rowsource.h"

/*
 * One lineage load: the row source and managed schemas of the
 * introspection, and how to find a table it read and a column's name.
 */
typedef struct FmLineageLoad
{
	FmArena    *arena;
	FmRowSource *rs;
	const char *nspoids;		/* the managed schemas, as oid[] text */
	FmTable    *(*table_of) (void *arg, Oid relid);	/* NULL if not read */
	const char *(*attname_of) (void *arg, FmTable *t, int attnum);
	void	   *arg;
} FmLineageLoad;

/*
 * Read the partition key of every partitioned table read, and the parents
 * of every table read (a partition's parent and bound, an inheriting
 * table's INHERITS list), into the tables.
 */
extern void fm_load_lineage(FmLineageLoad *ll);

#endif							/* INTROSPECT_INT_H */
