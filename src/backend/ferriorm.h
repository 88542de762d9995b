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

#include "fmgr.h"
#include "utils/tuplestore.h"

#include "fm_diff.h"
#include "fm_model.h"

/*
 * An arena whose blocks are palloc'd in the memory context that is current
 * when it is created; it lives and dies with that context, so an ERROR
 * frees it like any other palloc'd memory.
 */
extern FmArena *fm_backend_arena(void);

/*
 * ferriorm.max_schema_size (bytes).  Every function that takes schema text
 * checks it before parsing: fm_check_schema_arg() on a function argument
 * before detoasting it, fm_check_schema_size() on a length; both raise
 * program_limit_exceeded.  fm_backend_parse_schema() checks too.
 */
extern int	fm_max_schema_size;
extern void fm_check_schema_size(Size len, const char *what);
extern void fm_check_schema_arg(FunctionCallInfo fcinfo, int argno,
								const char *what);

/* quote_identifier(), quote_literal_cstr() and a pg_cast lookup */
extern const FmQuoting fm_backend_quoting;

/*
 * Parse and validate schema text; on any error, ereport(ERROR) with
 * SQLSTATE 42P15 (invalid_schema_definition) and every diagnostic in the
 * detail.  Warnings are sent as one WARNING.  what names the argument in
 * the message ("schema", "from_schema").  The text is read as UTF-8 and
 * the model returned is in the database encoding (encoding.c).
 */
extern FmModel *fm_backend_parse_schema(FmArena *arena, text *schema,
										const char *what);
/* the same in a given dialect, whatever ferriorm.dialect says */
extern FmModel *fm_backend_parse_schema_in(FmArena *arena, text *schema,
										   const char *what, int dialect);
/*
 * fm_backend_parse_schema of argument argno of fcinfo (not NULL), given as
 * schema (PG_GETARG_TEXT_PP(argno), or NULL to take it here), freeing the
 * copies this call made of it (detoasted, converted to UTF-8) as soon as it
 * is parsed, before it is validated: schema may not be used afterwards, and
 * a caller that needs the text again takes it again with PG_GETARG_TEXT_PP.
 */
extern FmModel *fm_backend_parse_schema_arg(FmArena *arena,
											FunctionCallInfo fcinfo,
											int argno, text *schema,
											const char *what);

/* ferriorm.dialect (an FmDialectKind): the dialect of schema text */
extern int	fm_dialect_setting;
extern int	fm_lock_timeout_ms;		/* ferriorm.lock_timeout */
extern int	fm_lock_retries;	/* ferriorm.lock_retries */
extern int	fm_hazard_budget_ms;	/* ferriorm.hazard_budget, -1: none */

/*
 * Run fn(arg) in a subtransaction; when it fails because a lock was not
 * available (lock_timeout, SQLSTATE 55P03), roll the subtransaction back,
 * wait (100 ms, doubling, at most 5 s) and run it again, up to
 * ferriorm.lock_retries times; then, or on any other error, re-throw
 * (lockretry.c).  What ran before is kept.
 */
extern void fm_run_with_lock_retry(void (*fn) (void *), void *arg);

/*
 * Run fn(arg) in a subtransaction: NULL on success, else its error, copied
 * into errcxt, the subtransaction rolled back (lockretry.c).
 */
extern ErrorData *fm_in_subxact(void (*fn) (void *), void *arg,
								MemoryContext errcxt);

/*
 * ReThrowError(edata), with the file, function and domain names copied into
 * ErrorContext, so that edata's memory may be freed before the report
 * (lockretry.c).  Use it instead of ReThrowError().
 */
extern void fm_rethrow(ErrorData *edata) pg_attribute_noreturn();

/* ERROR on a hot standby: fname "must run on the primary server" */
extern void fm_require_primary(const char *fname);
/* the same error, with its own hint (a full sentence) */
extern void fm_require_primary_hint(const char *fname, const char *hint);

/*
 * The database encoding <-> UTF-8 boundary (encoding.c).  The core reads
 * UTF-8; every other string of the backend is in the database encoding.
 *
 * fm_text_to_utf8: a text argument as UTF-8 (its own bytes when nothing
 * needs converting; not NUL-terminated then), length in *len.
 * fm_utf8_to_text: UTF-8 produced by the core (formatted text) as a text
 * result.  Both raise 22P05 naming the line of what ("schema") that holds a
 * character the other encoding cannot represent.
 * fm_utf8_message: UTF-8 for a message or a diagnostic row; never fails
 * (unconvertible characters become \uXXXX).
 * fm_model_to_database_encoding: every string of a model parsed from
 * schema text, into the database encoding; 22P05 naming the element's
 * line for a character the database cannot hold.
 */
extern char *fm_text_to_utf8(text *t, int *len, const char *what);
extern text *fm_utf8_to_text(const char *s, const char *what);
extern char *fm_utf8_message(const char *s);
extern void fm_model_to_database_encoding(FmModel *m, const char *what);

/*
 * The same check as diagnostics, for ferriorm_validate(): one error per
 * element of the model whose strings the database cannot hold.
 */
extern void fm_model_encoding_diags(FmModel *m, FmDiagList *diags);

/*
 * Run fn(arg) in a subtransaction; false when it failed with an error that
 * only says the user's text cannot be handled (classes 42, 22, 0A; with
 * user_code also errors raised by evaluating user functions and
 * constraints: 23, 2F, 38, 39, P0).  Any other error (timeouts, cancel,
 * deadlock, serialization failure, out of memory, I/O, corruption,
 * internal) is re-thrown unchanged after rolling the subtransaction back.
 */
extern bool fm_error_is_soft(int sqlerrcode, bool user_code);

/*
 * Run fn(arg) in a subtransaction that is always rolled back: nothing it
 * did stays.  Returns its error (copied, flushed) or NULL; FATAL is
 * re-thrown.
 */
extern ErrorData *fm_run_rolled_back(void (*fn) (void *), void *arg);
extern bool fm_run_protected(void (*fn) (void *), void *arg, bool user_code);
/* the same; a soft error's SQLSTATE and message are returned when asked */
extern bool fm_run_protected_ex(void (*fn) (void *), void *arg, bool user_code,
								int *sqlerrcode, char **message);

/*
 * Set up a materialize-mode set-returning function (what
 * InitMaterializedSRF does from v15 on, for v14 to v17): the tuplestore to
 * fill, and its descriptor in *descp unless descp is NULL.
 */
extern Tuplestorestate *fm_init_materialized_srf(FunctionCallInfo fcinfo,
												 TupleDesc *descp);

/*
 * Refuse a deploying function (fname, e.g. "ferriorm_push()") while a
 * migration's statements run: a migration must not deploy, apply, push or
 * resolve migrations itself (src/backend/stmtsplit.c).
 */
extern void fm_refuse_in_migration(const char *fname);

#endif							/* FERRIORM_H */
