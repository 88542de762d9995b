/*-------------------------------------------------------------------------
 *
 * ferriorm.h
 *	  Declarations shared by the backend layer of ferriorm.
 *
 * src/backend/ferriorm.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FERRIORM_H
#define FERRIORM_H

#include "postgres.h"

#include "fm_diff.h"
#include "fm_model.h"

/*
 * An arena whose blocks are palloc'd in the memory context that is current
 * when it is created; it lives and dies with that context, so an ERROR
 * frees it like any other palloc'd memory.
 */
extern FmArena *fm_backend_arena(void);

/* quote_identifier(), quote_literal_cstr() and a pg_cast lookup */
extern const FmQuoting fm_backend_quoting;

/*
 * Parse and validate schema text; on any error, ereport(ERROR) with
 * SQLSTATE 42P15 (invalid_schema_definition) and every diagnostic in the
 * detail.  Warnings are sent as one WARNING.  what names the argument in
 * the message ("schema", "from_schema").
 */
extern FmModel *fm_backend_parse_schema(FmArena *arena, text *schema,
										const char *what);

#endif							/* FERRIORM_H */
