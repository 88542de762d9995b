/*-------------------------------------------------------------------------
 *
 * language.c
 *	  SQL-callable functions of the schema language: ferriorm_validate,
 *	  ferriorm_format and ferriorm_diff (offline: no catalog access).
 *
 * src/backend/language.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "ferriorm.h"
#include "fm_diff.h"
#include "fm_parse.h"
#include "fm_sqlnames.h"
#include "fm_preserve.h"

PG_FUNCTION_INFO_V1(ferriorm_validate);
PG_FUNCTION_INFO_V1(ferriorm_format);
PG_FUNCTION_INFO_V1(ferriorm_diff);

/* the text of the diagnostics of one severity, one per line */
static char *
diags_text(FmArena *arena, const FmDiagList *diags, FmSeverity severity)
{
	FmDiagList	some;

	fm_diags_init(&some, arena);
	for (int i = 0; i < diags->items.n; i++)
	{
		FmDiag	   *d = fm_list_get(&diags->items, i, FmDiag);

		if (d->severity == severity)
			fm_list_append(arena, &some.items, d);
	}
	return fm_utf8_message(fm_diags_to_text(arena, &some));
}

static void
report_schema_errors(FmArena *arena, FmDiagList *diags, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_SCHEMA_DEFINITION),
			 errmsg_plural("%s is not a valid ferriorm schema: %d error",
						   "%s is not a valid ferriorm schema: %d errors",
						   diags->nerrors, what, diags->nerrors),
			 errdetail_internal("%s", diags_text(arena, diags, FM_SEV_ERROR)),
			 errhint("Call ferriorm_validate() on the schema text to get every diagnostic as a row.")));
}

static void
report_schema_warnings(FmArena *arena, FmDiagList *diags, const char *what)
{
	if (diags->nwarnings == 0)
		return;
	ereport(WARNING,
			(errmsg_plural("%s has %d warning",
						   "%s has %d warnings",
						   diags->nwarnings, what, diags->nwarnings),
			 errdetail_internal("%s", diags_text(arena, diags, FM_SEV_WARNING))));
}

/*
 * The copies of a schema argument that this call made: the detoasted text
 * (when PG_GETARG_TEXT_PP had to copy it) and its UTF-8 conversion (when the
 * database encoding is not UTF-8).
 */
typedef struct SchemaCopies
{
	FunctionCallInfo fcinfo;
	int			argno;
	text	   *schema;			/* PG_GETARG_TEXT_PP(argno) */
	char	   *utf8;			/* fm_text_to_utf8(schema) */
} SchemaCopies;

/*
 * release_schema_copies
 *		FmTextRelease callback: pfree the copies of the schema argument once
 *		the core has parsed it, so that they are not alive at the peak of
 *		validation or formatting (the text read from a table is detoasted
 *		into a copy as long as itself).  The argument's own datum is the
 *		executor's and is left alone.  After it, neither pointer may be used.
 */
static void
release_schema_copies(void *arg)
{
	SchemaCopies *c = (SchemaCopies *) arg;
	FunctionCallInfo fcinfo = c->fcinfo;

	if (c->utf8 != VARDATA_ANY(c->schema))
		pfree(c->utf8);
	PG_FREE_IF_COPY(c->schema, c->argno);
	c->schema = NULL;
	c->utf8 = NULL;
}

/*
 * name_files
 *		Name the file and its line in each diagnostic of a text that
 *		ferriorm_read_schema joined from a folder (fm_diags_name_files).
 *		The text is the argument's: when its copies were freed after the
 *		parse (copies->schema NULL), it is read again, which only a call
 *		with diagnostics pays.
 */
static void
name_files(FmArena *arena, FmDiagList *diags, SchemaCopies *copies,
		   text *schema)
{
	const char *utf8;
	int			len;

	if (diags->items.n == 0)
		return;
	if (copies != NULL && copies->utf8 != NULL)
	{
		utf8 = copies->utf8;
		len = (int) VARSIZE_ANY_EXHDR(copies->schema);
		if (utf8 != VARDATA_ANY(copies->schema))
			len = (int) strlen(utf8);
	}
	else
	{
		if (copies != NULL)
		{
			FunctionCallInfo fcinfo = copies->fcinfo;

			schema = PG_GETARG_TEXT_PP(copies->argno);
		}
		utf8 = fm_text_to_utf8(schema, &len, "schema");
	}
	fm_diags_name_files(arena, diags, utf8, (size_t) len);
}

static FmModel *parse_schema_text(FmArena *arena, text *schema,
								  SchemaCopies *copies, const char *what,
								  int dialect);

/*
 * fm_backend_parse_schema
 *		Schema text argument schema (what names it in messages) as a model
 *		in arena, in the dialect of ferriorm.dialect: size checked against
 *		ferriorm.max_schema_size, converted to UTF-8, parsed and validated.
 *		ERROR (42P15) listing every error when it is not valid; its warnings
 *		go out as one WARNING.  The model's strings are converted back to the
 *		database encoding.
 */
FmModel *
fm_backend_parse_schema(FmArena *arena, text *schema, const char *what)
{
	return fm_backend_parse_schema_in(arena, schema, what, fm_dialect_setting);
}

FmModel *
fm_backend_parse_schema_in(FmArena *arena, text *schema, const char *what,
						   int dialect)
{
	return parse_schema_text(arena, schema, NULL, what, dialect);
}

FmModel *
fm_backend_parse_schema_arg(FmArena *arena, FunctionCallInfo fcinfo,
							int argno, text *schema, const char *what)
{
	SchemaCopies copies;

	copies.fcinfo = fcinfo;
	copies.argno = argno;
	copies.schema = schema != NULL ? schema : PG_GETARG_TEXT_PP(argno);
	return parse_schema_text(arena, copies.schema, &copies, what,
							 fm_dialect_setting);
}

/*
 * parse_schema_text
 *		The body of fm_backend_parse_schema_in and _arg.  With copies (whose
 *		fcinfo, argno and schema are set), the copies of the argument are
 *		freed once parsed (release_schema_copies); without, only the UTF-8
 *		conversion, once the model is built.
 */
static FmModel *
parse_schema_text(FmArena *arena, text *schema, SchemaCopies *copies,
				  const char *what, int dialect)
{
	FmDiagList	diags;
	FmModel    *model;
	int			len;
	char	   *utf8;

	fm_check_schema_size(VARSIZE_ANY_EXHDR(schema), what);
	utf8 = fm_text_to_utf8(schema, &len, what);
	fm_diags_init(&diags, arena);
	if (copies != NULL)
	{
		FmTextRelease release = {release_schema_copies, copies};

		copies->utf8 = utf8;
		model = fm_parse_schema_release(arena, utf8, len, (FmDialectKind) dialect,
										&diags, &release);
	}
	else
	{
		model = fm_parse_schema(arena, utf8, len, (FmDialectKind) dialect, &diags);
		/* the model and the diagnostics hold copies of what they need */
		if (utf8 != VARDATA_ANY(schema))
			pfree(utf8);
	}
	if (diags.items.n > 0)
		name_files(arena, &diags, copies, schema);
	if (model == NULL || diags.nerrors > 0)
		report_schema_errors(arena, &diags, what);
	report_schema_warnings(arena, &diags, what);
	fm_model_to_database_encoding(model, what);
	return model;
}

/* NULL or only white space: the empty schema (no objects at all) */
static bool
schema_text_is_empty(text *t)
{
	const char *p = VARDATA_ANY(t);
	const char *end = p + VARSIZE_ANY_EXHDR(t);

	for (; p < end; p++)
		if (!isspace((unsigned char) *p))
			return false;
	return true;
}

/* fm_check_schema's callback: the encoding diagnostics of model m */
static void
encoding_diags(FmModel *m, void *arg)
{
	fm_model_encoding_diags(m, (FmDiagList *) arg);
}

/*
 * ferriorm_validate(schema text)
 *	RETURNS TABLE(severity text, line int, col int, message text)
 */
Datum
ferriorm_validate(PG_FUNCTION_ARGS)
{
	text	   *schema;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FmArena    *arena;
	FmDiagList	diags;
	int			len;
	SchemaCopies copies;
	FmTextRelease release = {release_schema_copies, &copies};

	(void) fm_init_materialized_srf(fcinfo, NULL);
	fm_check_schema_arg(fcinfo, 0, "schema");
	schema = PG_GETARG_TEXT_PP(0);
	arena = fm_backend_arena();

	copies.fcinfo = fcinfo;
	copies.argno = 0;
	copies.schema = schema;
	copies.utf8 = fm_text_to_utf8(schema, &len, "schema");
	fm_diags_init(&diags, arena);
	/* schema and its UTF-8 form are freed once parsed: not used after */
	fm_check_schema(arena, copies.utf8, len, (FmDialectKind) fm_dialect_setting,
					&diags, &release, encoding_diags, &diags);
	name_files(arena, &diags, &copies, NULL);

	for (int i = 0; i < diags.items.n; i++)
	{
		FmDiag	   *d = fm_list_get(&diags.items, i, FmDiag);
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		CHECK_FOR_INTERRUPTS();
		values[0] = CStringGetTextDatum(d->severity == FM_SEV_ERROR ? "error" : "warning");
		values[1] = Int32GetDatum(d->pos.line);
		values[2] = Int32GetDatum(d->pos.col);
		values[3] = CStringGetTextDatum(fm_utf8_message(d->message));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * ferriorm_format(schema text) RETURNS text
 */
Datum
ferriorm_format(PG_FUNCTION_ARGS)
{
	text	   *schema;
	FmArena    *arena;
	FmDiagList	diags;
	char	   *out;
	int			len;
	SchemaCopies copies;
	FmTextRelease release = {release_schema_copies, &copies};

	fm_check_schema_arg(fcinfo, 0, "schema");
	schema = PG_GETARG_TEXT_PP(0);
	arena = fm_backend_arena();
	copies.fcinfo = fcinfo;
	copies.argno = 0;
	copies.schema = schema;
	copies.utf8 = fm_text_to_utf8(schema, &len, "schema");
	fm_diags_init(&diags, arena);
	/* schema and its UTF-8 form are freed once parsed: not used after */
	out = fm_format_schema_release(arena, copies.utf8, len,
								   (FmDialectKind) fm_dialect_setting, &diags,
								   &release);
	if (out == NULL)
	{
		fm_diags_sort(&diags);
		name_files(arena, &diags, &copies, NULL);
		report_schema_errors(arena, &diags, "schema");
	}
	PG_RETURN_TEXT_P(fm_utf8_to_text(out, "the formatted schema"));
}

/*
 * ferriorm_diff(from_schema text, to_schema text) RETURNS text
 *
 * The DDL that takes a database from from_schema to to_schema, computed
 * from the two texts alone.  NULL or blank text is the empty schema.
 */
Datum
ferriorm_diff(PG_FUNCTION_ARGS)
{
	FmArena    *arena = fm_backend_arena();
	FmModel    *from = NULL;
	FmModel    *to = NULL;
	FmPlan	   *plan;

	fm_check_schema_arg(fcinfo, 0, "from_schema");
	fm_check_schema_arg(fcinfo, 1, "to_schema");

	/*
	 * Each text is detoasted once and its copy freed as soon as it is parsed,
	 * before it is validated (the syntax tree holds copies of every string
	 * it needs), so that the first text is gone while the second is parsed
	 * and neither is alive while the two models are diffed.
	 */
	if (!PG_ARGISNULL(0))
	{
		text	   *t = PG_GETARG_TEXT_PP(0);

		if (!schema_text_is_empty(t))
			from = fm_backend_parse_schema_arg(arena, fcinfo, 0, t, "from_schema");
		else
			PG_FREE_IF_COPY(t, 0);
	}
	if (!PG_ARGISNULL(1))
	{
		text	   *t = PG_GETARG_TEXT_PP(1);

		if (!schema_text_is_empty(t))
			to = fm_backend_parse_schema_arg(arena, fcinfo, 1, t, "to_schema");
		else
			PG_FREE_IF_COPY(t, 1);
	}
	if (to == NULL)
		to = fm_model_create(arena);
	/* nothing resolves the current schema offline: no enum may be shadowed */
	for (int i = 0; i < 2; i++)
	{
		FmDiagList	diags;

		fm_diags_init(&diags, arena);
		if (fm_check_unqualified_types(i == 0 ? from : to, &diags) > 0)
			report_schema_errors(arena, &diags, i == 0 ? "from_schema" : "to_schema");
	}

	fm_model_keep_preserved(arena, from, to);
	fm_model_keep_lineage(arena, from, to);
	/*
	 * A database built from from_schema has the schemas its tables and
	 * enums live in, which its own script creates, not necessarily every
	 * schema its datasource lists: to_schema's objects in another one get
	 * their CREATE SCHEMA IF NOT EXISTS.
	 */
	if (from != NULL)
		from->schemas.n = 0;
	plan = fm_diff(arena, from, to, &fm_backend_quoting);
	PG_RETURN_TEXT_P(cstring_to_text(fm_plan_to_script(arena, plan)));
}
