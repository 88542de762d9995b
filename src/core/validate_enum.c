/*-------------------------------------------------------------------------
 *
 * validate_enum.c
 *	  Validation of enum blocks: the enum's database name (@@map), its
 *	  schema, its values and their @map names.
 *
 * src/core/validate_enum.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"
#include "fm_renamed.h"


/* ---------- enums ---------- */

/*
 * fmv_check_enum
 *		Enum block ve: its attributes (@@map, @@schema), the enum type added
 *		to the model under its database name, and its values with their
 *		database labels (@map, else the snake-cased variant).  Labels must
 *		be distinct and fit in 63 bytes; an enum needs at least one value.
 *		Sets ve->en and fills ve->by_variant.
 */
void
fmv_check_enum(V *v, VEnum *ve)
{
	FmAstBlock *b = ve->blk;
	FmAstAttribute *map = NULL,
			   *schema = NULL;
	char	   *ctx = fm_psprintf(v->t, "enum \"%s\"", fmv_nz(b->name));
	char	   *dbname = NULL;
	char	   *sch;
	FmHashEntry labels_slots[16];
	FmHashMap		labels;

	fm_hash_init_local(&labels, labels_slots, 16);

	for (int i = 0; i < b->attrs.n; i++)
	{
		FmAstAttribute *at = fm_list_get(&b->attrs, i, FmAstAttribute);
		static const char *const known[] = {"map", "schema", NULL};

		if (at == NULL)
			continue;
		if (!fmv_in_list(known, at->name))
		{
			ERR(at->pos, "unknown attribute \"%s\" in %s%s", fmv_attr_repr(v, at), ctx,
				fmv_suggest(v, at->name, known, NULL, "@@"));
			continue;
		}
		if ((fm_streq(at->name, "map") && map) ||
			(fm_streq(at->name, "schema") && schema))
		{
			ERR(at->pos, "attribute \"%s\" is given twice in %s", fmv_attr_repr(v, at), ctx);
			continue;
		}
		if (fm_streq(at->name, "map"))
			map = at;
		else
			schema = at;
	}
	if (map)
		dbname = fmv_map_name_arg(v, map, ctx, "@@map", "type name", "enum type name");
	if (dbname == NULL)
	{
		dbname = fm_dialect_derive(v->dl, v->t, FM_NAME_ENUM, b->name);
		if (!map)
			dbname = fmv_db_name(v, b->name_pos, "enum type name", dbname, ctx, "@@map");
	}
	sch = fmv_resolve_schema(v, b, schema, "enum");
	ve->en = fm_model_add_enum(v->m, sch, dbname);
	ve->en->pos = b->name_pos;
	ve->en->enum_name = fm_strdup(v->t, b->name);
	{
		/* "/// @renamed(from: ...)": the type's old name (diff_rename.c) */
		FmRenamed	rn = fm_doc_renamed(v->t, b->comments.doc);

		if (rn.error != NULL)
			ERR(b->name_pos, "%s (enum \"%s\")", rn.error, fmv_nz(b->name));
		ve->en->comment = rn.doc && v->dl->doc_comments ?
			fm_strdup(v->t, rn.doc) : NULL;	/* unescaped by fm_doc_renamed */
		if (rn.from != NULL)
		{
			ve->en->renamed_from_written = rn.from;
			ve->en->renamed_from = fm_dialect_derive(v->dl, v->t, FM_NAME_ENUM, rn.from);
		}
	}
	ve->en->keep_comment = !v->dl->doc_comments;
	ve->en->keep_order = !v->dl->enum_label_order;

	for (int i = 0; i < b->fields.n; i++)
	{
		FmAstField *f = fm_list_get(&b->fields, i, FmAstField);
		char	   *label = NULL;
		FmEnumValue *ev;
		char	   *vctx;

		if (f == NULL || f->name == NULL)
			continue;
		if (fmv_name_too_long(v, f->pos, "enum value", f->name))
			continue;
		vctx = fm_psprintf(v->t, "value \"%s\" of enum \"%s\"", f->name, fmv_nz(b->name));
		if (f->type_name != NULL || f->value != NULL)
		{
			ERR(f->type_pos.line ? f->type_pos : f->pos,
				"enum values take no type or value: write only the name of %s", vctx);
			continue;
		}
		if (fm_hash_get(&ve->by_variant, f->name))
		{
			ERR(f->pos, "value \"%s\" is defined twice in enum \"%s\"", f->name, fmv_nz(b->name));
			continue;
		}
		for (int j = 0; j < f->attrs.n; j++)
		{
			FmAstAttribute *at = fm_list_get(&f->attrs, j, FmAstAttribute);

			if (at == NULL)
				continue;
			if (at->block || strcmp(fmv_nz(at->name), "map") != 0)
			{
				static const char *const known[] = {"map", NULL};

				ERR(at->pos, "unknown attribute \"%s\" on %s%s", fmv_attr_repr(v, at), vctx,
					fmv_suggest(v, at->name, known, NULL, "@"));
				continue;
			}
			if (label)
			{
				ERR(at->pos, "attribute \"@map\" is given twice on %s", vctx);
				continue;
			}
			{
				const char *const names[] = {"name", NULL};
				FmAstArg   *args[1];

				if (fmv_bind_args(v, at, FMV_CTX_TEXT(vctx), names, true, args))
				{
					if (args[0] == NULL)
						ERR(at->pos, "@map on %s needs the database value, as in @map(\"value\")", vctx);
					else
						label = fmv_string_arg(v, at, args[0], "name", FMV_CTX_TEXT(vctx));
					/* PostgreSQL allows an empty label (Prisma: EMPTY_ENUM_VALUE @map("")) */
					if (label && *label &&
						!fmv_check_ident_len_ctx(v, args[0]->value->pos, "database value", label, vctx))
						label = fm_strdup(v->t, "");
				}
			}
		}
		if (label == NULL)
		{
			label = fm_dialect_derive(v->dl, v->t, FM_NAME_LABEL, f->name);
			fmv_derived_name_ok(v, f->pos, "database value", label, vctx, "@map");
		}
		{
			FmEnumValue *o = *label ? fm_hash_get(&labels, label) : NULL;

			if (o)
			{
				ERR(f->pos, "values \"%s\" and \"%s\" of enum \"%s\" both have the database value \"%s\"; use @map to tell them apart",
					fmv_nz(o->variant), f->name, fmv_nz(b->name), label);
				continue;
			}
		}
		ev = fm_alloc(v->a, sizeof(FmEnumValue));
		ev->name = label;
		ev->variant = fm_strdup(v->t, f->name);
		ev->pos = f->pos;
		{
			FmRenamed	rn = fm_doc_renamed(v->t, FM_AST_COMMENTS(f)->doc);

			if (rn.error != NULL)
				ERR(f->pos, "%s (%s)", rn.error, vctx);
			if (rn.from != NULL)
			{
				ev->renamed_from_written = rn.from;
				ev->renamed_from =
					fm_dialect_derive(v->dl, v->t, FM_NAME_LABEL, rn.from);
			}
		}
		fm_list_append(v->a, &ve->en->values, ev);
		fm_hash_put(v->w, &ve->by_variant, ev->variant, ev);
		fm_hash_put(v->w, &labels, ev->name, ev);
	}
	if (b->fields.n == 0)
		ERR(b->name_pos, "enum \"%s\" has no values", fmv_nz(b->name));
}
