/*-------------------------------------------------------------------------
 *
 * print_repull.c
 *	  Print: what a re-pull keeps of the previous text besides its names
 *	  (print_names.c, print_relations.c): the order of its models and
 *	  enums, and its view blocks, which no catalog read gives back, with
 *	  the fields of models that point at them.  Prisma's re-introspection
 *	  keeps both; ferriorm keeps view blocks as written where their views
 *	  still exist (FmPrintOptions.live_views), without reading their
 *	  columns again.
 *
 * src/core/print_repull.c
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "print_int.h"

/* ---------- order of blocks ---------- */

static int
cmp_placed(const void *x, const void *y)
{
	const PPlaced *a = x,
			   *b = y;

	if (a->prev_pos != b->prev_pos)
		return a->prev_pos < b->prev_pos ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* where the previous text had the block named name (a model or enum) */
int
fm_p_prev_position(PState *ps, const char *name)
{
	const int  *pos = name ? fm_hash_get(&ps->prev_order, name) : NULL;

	return pos ? *pos : INT_MAX;
}

/*
 * fm_p_place_blocks
 *		Append the n blocks of placed to out: those the previous text had
 *		in its order, then the new ones in the order given, as Prisma's
 *		re-introspection keeps the order of a schema's models and enums.
 *		Without a previous text the order given.
 */
void
fm_p_place_blocks(PState *ps, PPlaced *placed, int n, FmList *out)
{
	if (ps->prev != NULL && n > 1)
		qsort(placed, (size_t) n, sizeof(PPlaced), cmp_placed);
	for (int i = 0; i < n; i++)
		fm_list_append(ps->a, out, placed[i].b);
}

/* ---------- views ---------- */

/* the first string argument of block attribute name of b, or NULL */
static const char *
block_attr_string(const FmAstBlock *b, const char *name)
{
	for (int i = 0; i < b->attrs.n; i++)
	{
		const FmAstAttribute *at = fm_list_get(&b->attrs, i, FmAstAttribute);

		if (!at->block || !fm_streq(at->name, name))
			continue;
		for (int j = 0; j < at->args.n; j++)
		{
			const FmAstArg *arg = fm_list_get(&at->args, j, FmAstArg);

			if ((arg->name == NULL || fm_streq(arg->name, "name")) && arg->value &&
				arg->value->kind == FM_VAL_STRING)
				return arg->value->text;
		}
	}
	return NULL;
}

/*
 * fm_p_keep_views
 *		The view blocks of the previous text whose views the database has
 *		(FmPrintOptions.live_views): a view's name is its @@map or block
 *		name, its schema its @@schema or the model's first.  They are
 *		printed as written (render, print.c), and model fields that point
 *		at them are kept (fm_p_view_fields).
 */
void
fm_p_keep_views(PState *ps)
{
	FmHashMap	live = {0};
	const char *dflt = ps->m->schemas.n > 0 ? fm_list_get(&ps->m->schemas, 0, char) : NULL;

	if (ps->no_views || ps->o->live_views.n == 0)
		return;
	for (int i = 0; i < ps->o->live_views.n; i++)
		fm_hash_put(ps->a, &live, fm_list_get(&ps->o->live_views, i, char), ps);
	for (int i = 0; i < ps->prev_ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ps->prev_ast->blocks, i, FmAstBlock);
		const char *name;
		const char *schema;

		if (b->kind != FM_BLOCK_MODEL || !fm_streq(b->keyword, "view") || b->name == NULL ||
			fm_hash_get(&ps->kept_view_names, b->name))
			continue;
		name = block_attr_string(b, "map");
		schema = block_attr_string(b, "schema");
		if (name == NULL)
			name = b->name;
		if (schema == NULL)
			schema = dflt;
		if (schema == NULL ||
			fm_hash_get(&live, fm_psprintf(ps->a, "%s\x01%s", schema, name)) == NULL)
			continue;
		fm_list_append(ps->a, &ps->kept_views, b);
		fm_hash_put(ps->a, &ps->kept_view_names, b->name, b);
		fm_hash_put2(ps->a, &ps->kept_view_tables, schema, name, b);
	}
}

/*
 * fm_p_view_fields
 *		Append to fields the fields of the previous block pb (a re-pull)
 *		whose type is a view kept (ps->kept_views): relation fields that
 *		point at a view, which no foreign key gives back, written as they
 *		were.  A name fields already has is left out.
 */
void
fm_p_view_fields(PState *ps, const FmAstBlock *pb, FmList *fields)
{
	for (int i = 0; pb && ps->kept_views.n > 0 && i < pb->fields.n; i++)
	{
		FmAstField *g = fm_list_get(&pb->fields, i, FmAstField);
		bool		taken = false;

		if (g->name == NULL || g->type_name == NULL ||
			fm_hash_get(&ps->kept_view_names, g->type_name) == NULL)
			continue;
		for (int j = 0; j < fields->n && !taken; j++)
			taken = fm_streq(fm_list_get(fields, j, FmAstField)->name, g->name);
		if (!taken)
			fm_list_append(ps->a, fields, g);
	}
}

