/*-------------------------------------------------------------------------
 *
 * print_views.c
 *	  Print: the views a re-pull finds that the previous text has no block
 *	  for.  Prisma's db pull prints every view of the database (a view
 *	  block of its columns, each optional, named as a model would be) once
 *	  the schema enables views (the "views" preview feature); a first pull
 *	  enables nothing and prints none, and so does ferriorm's.  A re-pull
 *	  prints them when the previous text enables them: in the prisma
 *	  dialect by the preview feature, in the ferriorm dialect (whose views
 *	  need no generator) by having a view block.  The view blocks the
 *	  previous text has are kept as written (print_repull.c).
 *
 *	  A view block states no key (PostgreSQL's views have none; a user
 *	  adds @unique by hand, as Prisma asks), no default and no relation;
 *	  the view's comment is its doc comment, as a table's is.
 *
 * src/core/print_views.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "print_int.h"

/* does the previous text enable views (see the file header)? */
static bool
views_enabled(PState *ps)
{
	FmList		features = {0};

	if (ps->prev_ast == NULL)
		return false;
	if (!P_PRISMA(ps))
	{
		for (int i = 0; i < ps->prev_ast->blocks.n; i++)
		{
			const FmAstBlock *b = fm_list_get(&ps->prev_ast->blocks, i, FmAstBlock);

			if (b && b->kind == FM_BLOCK_MODEL && fm_streq(b->keyword, "view"))
				return true;
		}
		return false;
	}
	fm_ast_preview_features(ps->a, ps->prev_ast, &features);
	for (int i = 0; i < features.n; i++)
		if (fm_strcaseeq(fm_list_get(&features, i, FmAstValue)->text, "views"))
			return true;
	return false;
}

/*
 * view_field
 *		The field of column c of a view: named as a model's field would be
 *		(unique among names, a @map where the dialect derives another
 *		column name), typed as a table's column (fm_p_field_type), optional
 *		unless a list, with its native type attribute and nothing else.
 */
static FmAstField *
view_field(PState *ps, FmHashMap *names, const FmColumn *c)
{
	PFieldType	ft;
	FmColumn	col = *c;
	FmAstField *fld;
	char	   *name;

	col.notnull = false;
	col.default_sql = NULL;
	ft = fm_p_field_type(ps, &col);
	name = fm_p_unique_name(ps->a, names, fm_p_field_candidate(ps, c->name),
							"field", false);
	fld = fm_p_typed_field(ps, name, &ft);
	fld->optional = !ft.list;
	if (strcmp(ps->nm->column_name(ps->a, name), c->name) != 0)
		fm_list_append(ps->a, &fld->attrs, fm_p_attr1(ps, "map", false, fm_p_str(ps, c->name)));
	if (ft.native)
		fm_list_append(ps->a, &fld->attrs, ft.native);
	return fld;
}

/*
 * fm_p_new_views
 *		Append to blocks a view block for each view of the pulled schemas
 *		(FmPrintOptions.live_view_columns, in the order they were made) that
 *		no kept view block of the previous text names, when the previous
 *		text enables views; nothing otherwise.  Block names are unique
 *		among the models' and enums' (ps->type_names), with @@map where
 *		the dialect derives another name, and @@schema when the text
 *		states schemas.
 */
void
fm_p_new_views(PState *ps, FmList *blocks)
{
	if (ps->no_views || ps->no_new_views || ps->o->live_view_columns.n == 0 ||
		!views_enabled(ps))
		return;
	/* the kept view blocks' names are taken too */
	for (int i = 0; i < ps->kept_views.n; i++)
	{
		const FmAstBlock *b = fm_list_get(&ps->kept_views, i, FmAstBlock);

		if (fm_hash_get(&ps->type_names, b->name) == NULL)
			fm_hash_put(ps->a, &ps->type_names, b->name, b->name);
	}
	for (int i = 0; i < ps->o->live_view_columns.n; i++)
	{
		const FmTable *t = fm_list_get(&ps->o->live_view_columns, i, FmTable);
		FmHashMap	names = {0};
		FmAstBlock *b;
		char	   *name;

		if (fm_hash_get2(&ps->kept_view_tables, t->schema, t->name) != NULL)
			continue;
		name = fm_p_unique_name(ps->a, &ps->type_names,
								fm_p_model_candidate(ps, t->schema, t->name),
								"View", true);
		b = fm_p_new_block(ps, FM_BLOCK_MODEL, "view", name);
		if (fm_p_doc_ok(t->comment))
			fm_p_doc_lines(ps, &b->comments.leading, t->comment);
		for (int k = 0; k < t->columns.n; k++)
			fm_p_block_field(ps, b, view_field(ps, &names,
											   fm_list_get(&t->columns, k, FmColumn)));
		if (strcmp(ps->nm->table_name(ps->a, name), t->name) != 0)
			fm_p_block_attr(ps, b, fm_p_attr1(ps, "map", true, fm_p_str(ps, t->name)));
		if (ps->print_schemas)
			fm_p_block_attr(ps, b, fm_p_attr1(ps, "schema", true, fm_p_str(ps, t->schema)));
		fm_list_append(ps->a, blocks, b);
		ps->new_views = true;
	}
}
