/*-------------------------------------------------------------------------
 *
 * ignore.c
 *	  What plans do with models marked @@ignore: an ignored model whose
 *	  table exists is left exactly as it is.
 *
 * ferriorm_pull marks with @@ignore the tables that the language cannot
 * state exactly (no key, expression indexes, foreign keys it cannot
 * express, ...): their schema text describes them only in part, so a plan
 * that compared them column by column would drop or rewrite what the text
 * leaves out.  Before diffing, every ignored table of the target model that
 * exists in the source model is replaced by the source's own table, so the
 * diff sees no difference for it.  An ignored model whose table does not
 * exist is created from its text, as Prisma Migrate does; removing the
 * model from the text drops the table, as for any model.
 *
 * This is the minimal @@ignore of the pull work (validate.c accepts
 * @@ignore on a model and no longer asks it for a key); the Prisma dialect
 * work owns the attribute's full semantics.
 *
 * src/core/ignore.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_model.h"

/*
 * Replace, in to, every ignored table that from also has (same schema and
 * name) by from's table.  from may be NULL (an empty database).  Tables are
 * shared between the two models afterwards, never copied or modified.
 */
void
fm_model_keep_ignored(FmArena *arena, const FmModel *from, FmModel *to)
{
	FmHashMap	by_name = {0};
	bool		any = false;

	if (from == NULL || to == NULL)
		return;
	for (int i = 0; i < to->tables.n && !any; i++)
		any = fm_list_get(&to->tables, i, FmTable)->ignored;
	if (!any)
		return;
	for (int i = 0; i < from->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&from->tables, i, FmTable);

		fm_hash_put2(arena, &by_name, t->schema ? t->schema : "", t->name, t);
	}
	for (int i = 0; i < to->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&to->tables, i, FmTable);
		FmTable    *cur;

		if (!t->ignored)
			continue;
		cur = fm_hash_get2(&by_name, t->schema ? t->schema : "", t->name);
		if (cur != NULL)
			to->tables.items[i] = cur;
	}
}
