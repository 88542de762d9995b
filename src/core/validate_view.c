/*-------------------------------------------------------------------------
 *
 * validate_view.c
 *	  The rules for the attributes of a view.  In both dialects a view has
 *	  no index (ferriorm never creates a view, so an @@index on one would
 *	  silently be nothing).  The prisma dialect's further rules, as Prisma's
 *	  validator has them: a view has no primary key (a warning: earlier
 *	  Prisma versions took one), and its unique criteria are no indexes in
 *	  the database, so they take no map: and their fields no arguments.
 *	  The ferriorm dialect takes a view's other attributes as a model's.
 *
 * src/core/validate_view.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"

/* the parenthesis of the messages about a view's unique criteria */
#define NO_INDEX "as in Prisma (a view's unique criterion is no index in the database)"

/*
 * fmv_view_attr
 *		The attribute at of model vm, a field's (@id, @unique with its
 *		bound arguments map and sort in args[0..1]; field its name) or a
 *		block's (@@id, @@index; field and args NULL), under the view rules:
 *		reports what breaks one and returns false when at must be skipped
 *		(an @@index in either dialect).  True for everything else, and for
 *		every attribute of a model.
 */
bool
fmv_view_attr(V *v, VModel *vm, const char *field, FmAstAttribute *at,
			  FmAstArg **args)
{
	if (!vm->is_view)
		return true;
	if (fm_streq(at->name, "index") && at->block)
	{
		if (v->dl->kind == FM_DIALECT_PRISMA)
			ERR(at->pos, "view \"%s\" cannot have indexes, as in Prisma (a view has none in the database); remove the @@index",
				vm->blk->name);
		else
			ERR(at->pos, "view \"%s\" cannot have indexes: a view has none in the database, and ferriorm never creates, changes or drops a view; remove the @@index (index a materialized view in SQL)",
				vm->blk->name);
		return false;
	}
	if (v->dl->kind != FM_DIALECT_PRISMA)
		return true;
	if (fm_streq(at->name, "id"))
		WARN(at->pos, "view \"%s\" has a primary key, which Prisma 7 refuses; use %s instead of %s",
			 vm->blk->name, at->block ? "@@unique" : "@unique", fmv_attr_repr(v, at));
	else if (fm_streq(at->name, "unique") && !at->block && args)
	{
		static const char *const names[] = {"map", "sort"};

		for (int k = 0; k < 2; k++)
			if (args[k])
				ERR(args[k]->pos, "@unique on field \"%s\" of view \"%s\" cannot have %s:, " NO_INDEX "; remove it",
					fmv_nz(field), vm->blk->name, names[k]);
		return args[0] == NULL && args[1] == NULL;
	}
	return true;
}

/* does field call it of a view's key have sort:, length: or ops:, which Prisma refuses there? */
static bool
view_key_arg_refused(const FmAstValue *it)
{
	for (int i = 0; i < it->args.n; i++)
	{
		const FmAstArg *a = fm_list_get(&it->args, i, FmAstArg);

		if (a && a->name && (fm_streq(a->name, "sort") || fm_streq(a->name, "length") ||
							 fm_streq(a->name, "ops")))
			return true;
	}
	return false;
}

/*
 * fmv_view_key_ok
 *		@@id or @@unique (at) of model vm with its fields and map: argument:
 *		false, reported, when vm is a view in the prisma dialect and map is
 *		given or a field has arguments (sort:, ops:).
 */
bool
fmv_view_key_ok(V *v, VModel *vm, FmAstAttribute *at, FmAstValue *fields,
				FmAstArg *map)
{
	bool		ok = true;
	int			n = fields->kind == FM_VAL_ARRAY ? fields->items.n : 1;

	if (!vm->is_view || v->dl->kind != FM_DIALECT_PRISMA)
		return true;
	if (map)
	{
		ERR(map->pos, "%s of view \"%s\" cannot have map:, " NO_INDEX "; remove it",
			fmv_attr_repr(v, at), vm->blk->name);
		ok = false;
	}
	for (int i = 0; i < n; i++)
	{
		FmAstValue *it = fields->kind == FM_VAL_ARRAY ?
			fm_list_get(&fields->items, i, FmAstValue) : fields;

		/*
		 * Prisma refuses sort:, length: and ops: here; the other arguments
		 * it ignores, and the key's own pass warns of them
		 */
		if (it && it->kind == FM_VAL_CALL && it->args.n > 0 &&
			(v->dl->kind != FM_DIALECT_PRISMA || view_key_arg_refused(it)))
		{
			ERR(it->pos, "field \"%s\" in %s of view \"%s\" cannot have arguments, " NO_INDEX "; write only its name",
				fmv_nz(it->text), fmv_attr_repr(v, at), vm->blk->name);
			ok = false;
		}
	}
	return ok;
}
