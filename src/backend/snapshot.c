/*-------------------------------------------------------------------------
 *
 * snapshot.c
 *	  schema.snapshot: the state of the database after a migration, as
 *	  schema text, written next to each migration by ferriorm_dev() and
 *	  read back by the snapshot strategy (shadow.c).
 *
 * One source of truth: the text is printed from the model of the state
 * (src/core/print.c, the printer of ferriorm_pull), never copied from the
 * schema text ferriorm_dev was given.  So a state that has no schema text
 * (a <ts>_drift_adopted folder: the live database) gets a snapshot too, and
 * what the snapshot says is what the migration's diff compared.
 *
 * The printer writes the ferriorm dialect, so a snapshot is read in the
 * ferriorm dialect whatever ferriorm.dialect says; its first line says so.
 *
 * src/backend/snapshot.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "ferriorm.h"
#include "shadow.h"
#include "fm_print.h"

#define SNAPSHOT_HEADER \
	"// schema.snapshot: the state after this migration, printed by ferriorm_dev()\n" \
	"// in the ferriorm dialect; read by strategy => 'snapshot'. Do not edit.\n\n"

/*
 * fm_snapshot_text
 *		The schema.snapshot of model: printed in the ferriorm dialect.
 *		schemas are the managed schemas; declared says whether the schema
 *		text stated them (datasource schemas, @@schema): they are printed
 *		then, else the state is in the current schema and none is printed,
 *		as in the text dev was given.  The model is sorted in place.
 */
char *
fm_snapshot_text(FmArena *arena, FmModel *model, const FmList *schemas,
				 bool declared)
{
	FmPrintOptions opt;
	FmDiagList	diags;
	char	   *text;

	model->schemas = *schemas;
	fm_model_sort(model);
	memset(&opt, 0, sizeof(opt));
	opt.naming = &fm_naming_ferriorm;
	opt.print_schemas = declared;
	for (int i = 0; i < model->extensions.n; i++)
		fm_list_append(arena, &opt.extensions,
					   fm_list_get(&model->extensions, i, FmExtension));
	fm_diags_init(&diags, arena);
	text = fm_print_schema(arena, model, &opt, &diags);
	if (text == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("ferriorm_dev() printed a %s that does not validate",
						FM_SNAPSHOT_FILE),
				 errdetail_internal("%s", fm_diags_to_text(arena, &diags))));
	return psprintf("%s%s", SNAPSHOT_HEADER, text);
}

/*
 * fm_snapshot_parse
 *		The model of a schema.snapshot's text (ferriorm dialect).  Errors
 *		name the file as FM_SNAPSHOT_FILE.
 */
FmModel *
fm_snapshot_parse(FmArena *arena, const char *text)
{
	return fm_backend_parse_schema_in(arena, cstring_to_text(text),
									  FM_SNAPSHOT_FILE, FM_DIALECT_FERRIORM);
}
