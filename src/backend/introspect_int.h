/*-------------------------------------------------------------------------
 *
 * introspect_int.h
 *	  Loaders of introspection kept in files of their own, called by
 *	  introspect.c with its row source and managed schemas.
 *
 * src/backend/introspect_int.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef INTROSPECT_INT_H
#define INTROSPECT_INT_H

#include "fm_model.h"
#include "rowsource.h"

/* the table introspection read with this OID, or NULL */
typedef FmTable *(*FmTableByOid) (void *arg, Oid relid);

/*
 * Read the exclusion constraints of the managed tables (nspoids: their
 * schemas' OIDs as an oid[] literal) into the tables lookup finds, in
 * arena (introspect_exclude.c).
 */
extern void fm_load_exclusions(FmArena *arena, FmRowSource *rs,
							   const char *nspoids, FmTableByOid lookup,
							   void *arg);

#endif							/* INTROSPECT_INT_H */
