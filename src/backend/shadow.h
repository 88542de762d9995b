/*-------------------------------------------------------------------------
 *
 * shadow.h
 *	  The state that a migration history produces, by one of three
 *	  strategies (src/backend/shadow.c):
 *
 *	  shadow	a new database (or the one ferriorm.shadow_conninfo names,
 *				reset), the history replayed and introspected over the
 *				loopback, then dropped WITH (FORCE) on every path;
 *	  rollback	this database, in a subtransaction of the caller's
 *				transaction: the managed schemas emptied, the history
 *				replayed, introspected, and the subtransaction rolled back;
 *	  snapshot	the schema.snapshot file of the last migration folder.
 *
 * src/backend/shadow.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_SHADOW_H
#define FM_SHADOW_H

#include "postgres.h"

#include "nodes/pg_list.h"

#include "fm_model.h"

#define FM_SNAPSHOT_FILE	"schema.snapshot"

/* the schema text of an empty history */
#define FM_EMPTY_SCHEMA \
	"datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n"

typedef enum FmHistStrategy
{
	FM_HIST_SHADOW,
	FM_HIST_ROLLBACK,
	FM_HIST_SNAPSHOT
} FmHistStrategy;

/* the strategy called name; ERROR (22023) for any other name */
extern FmHistStrategy fm_hist_strategy(const char *name);

/*
 * On a hot standby only the snapshot strategy can build the history state:
 * rollback replays into this database, and shadow creates a database on
 * this server unless ferriorm.shadow_conninfo names another host or port.
 * Those raise the primary-only error (fm_require_primary) naming fname and
 * the strategy.  fm_with_history_state checks too; callers check first, to
 * refuse before reading or locking anything.
 */
extern void fm_hist_require_primary(FmHistStrategy strategy, const char *fname);

/*
 * Called with the model of the history state while that state exists (in
 * the rollback's subtransaction), on the plan's safe search_path.  It must
 * keep its results in memory that outlives the call (the arena's context).
 * snapshot is true when the model was parsed from a snapshot file rather
 * than read from a catalog (its text is the user's, not the stored form).
 * rels: the tables of the history state when they are tables of this
 * database (rollback), for normalizing expressions against; else NULL.
 */
struct FmLiveRels;
typedef void (*FmHistStateFn) (FmModel *history, bool snapshot,
							   const struct FmLiveRels *rels, void *arg);

/*
 * Build the state that the migrations files (List of FmMigFile, in order)
 * of directory dir produce in the managed schemas (list of char *), and
 * call fn with it.  fname names the calling function in messages.  The
 * model lives in arena.  Every strategy leaves nothing behind: no
 * database, no object, no lock of the rollback's subtransaction.
 */
extern void fm_with_history_state(FmHistStrategy strategy, const char *fname,
								  const char *dir, List *files,
								  const FmList *schemas, FmArena *arena,
								  FmHistStateFn fn, void *arg);

/*
 * schema.snapshot (snapshot.c): the text of a state, printed from its model
 * in the ferriorm dialect (schemas: the managed schemas; declared: print
 * them), and the model of such a text.
 */
extern char *fm_snapshot_text(FmArena *arena, FmModel *model,
							  const FmList *schemas, bool declared);
extern FmModel *fm_snapshot_parse(FmArena *arena, const char *text);

#endif							/* FM_SHADOW_H */
