/*-------------------------------------------------------------------------
 *
 * validate_model.c
 *	  Validation of model blocks: the table (name, @@map, schema), every
 *	  field (type, column, optionality, field attributes such as @id,
 *	  @unique, @default, @map, @db.*) and the block attributes (@@id,
 *	  @@unique, @@index, @@check, @@map, ...), with the field lists they
 *	  name.
 *
 * src/core/validate_model.c
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

/* ---------- models: tables, fields, columns ---------- */

/*
 * fmv_model_table
 *		The table of model vm: its name (@@map, else derived by the dialect
 *		and checked), its schema (@@schema or the default), its comment and
 *		renamed-from marker from the doc comment.  A view gets a table that
 *		is validated like one but not added to the model.  Errors go to v's
 *		diagnostics; memory is v->a's.
 */
void
fmv_model_table(V *v, VModel *vm)
{
	FmAstBlock *b = vm->blk;
	FmAstAttribute *map = fmv_block_attr(b, "map");
	char	   *ctx = fm_concat(v->t, "model \"", fmv_nz(b->name), "\"");
	char	   *name = NULL;
	char	   *sch;

	if (map)
		name = fmv_map_name_arg(v, map, ctx, "@@map", "table name", "table name");
	if (name == NULL)
	{
		name = fm_dialect_derive(v->dl, v->t, FM_NAME_TABLE, b->name);
		if (!map)
			name = fmv_db_name(v, b->name_pos, "table name", name, ctx, "@@map");
	}
	sch = fmv_resolve_schema(v, b, fmv_block_attr(b, "schema"), "model");
	if (vm->is_view)
	{
		/* validated like a table, but not part of the model */
		vm->table = fm_alloc(v->a, sizeof(FmTable));
		vm->table->schema = sch ? fm_strdup(v->t, sch) : NULL;
		vm->table->name = fm_strdup(v->t, name);
	}
	else
		vm->table = fm_model_add_table(v->m, sch, name);
	vm->table->pos = b->name_pos;
	vm->table->model_name = fm_strdup(v->t, b->name);
	fmv_model_annotations(v, vm);
}

static const char *const field_attrs[] = {
	"id", "unique", "default", "updatedAt", "map", "relation", "ignore",
	"identity", "collate", "generated", NULL
};

/*
 * Attributes of Prisma's other connectors: (name, connectors).  They are
 * refused with a diagnostic that names the connectors, not as unknown.
 */
static const char *const foreign_attrs[][2] = {
	{"fulltext", "MySQL and MongoDB connectors"},
	{"shardKey", "MySQL connector (PlanetScale)"},
	{"@shardKey", "MySQL connector (PlanetScale)"},
};

/* the connectors of a foreign attribute ("@@x": block, "@x": field), or NULL */
static const char *
foreign_attr(const FmAstAttribute *at)
{
	for (size_t i = 0; i < sizeof(foreign_attrs) / sizeof(foreign_attrs[0]); i++)
	{
		const char *n = foreign_attrs[i][0];

		if (at->block ? strcmp(n, at->name) == 0 :
			(n[0] == '@' && strcmp(n + 1, at->name) == 0))
			return foreign_attrs[i][1];
	}
	return NULL;
}

/*
 * fmv_model_fields
 *		Every field of model vm: resolves its type (scalar, enum,
 *		Unsupported(...) or a relation to a model) and, for all but relation
 *		fields, makes its column (name from @map or snake-cased, type,
 *		nullability, comment) in vm->table.  Fills vm->fields, vm->by_field
 *		and vm->by_column; a field whose type cannot be resolved keeps
 *		kind VF_ERROR.  Field attributes are read later (field_attributes).
 */
/*
 * fmv_model_fields
 *		First pass over the fields of model vm: classify each and create
 *		its column.
 *
 * Every field of the block gets a VField (appended to vm->fields, and
 * registered in vm->by_field) whose kind says what its type names: a
 * scalar, Unsupported("..."), an enum, another model (a relation: vf->r is
 * allocated, filled later by validate_relation.c) or an error.  Fields
 * that are scalars, enums or Unsupported also get their column in
 * vm->table: its name (@map or derived by the dialect, registered in
 * vm->by_column so that two fields mapping to one column are reported),
 * nullability, comment and renamed-from marker from the doc comment, and
 * its default SQL type (native types and attributes are applied later).
 * Errors (duplicate or over-long names, a missing or unknown type, list
 * and optional together, arguments where none are taken) are added to
 * v's diagnostics, and the field is skipped or marked VF_ERROR; nothing
 * is returned.  Everything is allocated in v->a.
 */
void
fmv_model_fields(V *v, VModel *vm)
{
	FmAstBlock *b = vm->blk;

	fmv_field_maps(v, vm, b->fields.n);
	fm_list_reserve(v->w, &vm->fields, b->fields.n);
	fm_list_reserve(v->m->arena, &vm->table->columns, b->fields.n);
	for (int i = 0; i < b->fields.n; i++)
	{
		FmAstField *f = fm_list_get(&b->fields, i, FmAstField);
		VField	   *vf;
		bool		dup = false;
		const char *tn;
		char		ctxbuf[FMV_CTX_BUF];

		if (f == NULL || f->name == NULL)
			continue;
		if (fmv_name_too_long(v, f->pos, "field", f->name))
			continue;
		dup = fmv_find_field(vm, f->name) != NULL;
		if (dup)
		{
			ERR(f->pos, "field \"%s\" is defined twice in model \"%s\"", f->name, fmv_nz(b->name));
			continue;
		}
		vf = fm_alloc(v->f, sizeof(VField));
		vf->ast = f;
		vf->model = vm;
		vf->name = f->name;
		vf->pos = f->pos;
		vf->type_pos = f->type_pos;
		vf->optional = f->optional;
		vf->list = f->list;
		fm_list_append(v->w, &vm->fields, vf);
		if (vm->by_field.cap > 0)
			fm_hash_put(v->w, &vm->by_field, f->name, vf);

		tn = f->type_name;
		if (tn == NULL)
		{
			ERR(f->pos, "%s has no type", fmv_field_ctx(v, vf));
			continue;
		}
		if (f->list && f->optional)
		{
			ERR(f->type_pos, "%s cannot be both a list and optional; remove the \"?\"", fmv_field_ctx(v, vf));
			continue;
		}
		if ((vf->scalar = fmv_scalar_type(tn)) != NULL)
			vf->kind = VF_SCALAR;
		else if (fm_streq(tn, "Unsupported"))
		{
			FmAstArg   *a0 = FM_AST_TYPE_NARGS(f) == 1 ? FM_AST_TYPE_ARG(f, 0) : NULL;
			const char *native_name;

			if (a0 == NULL || a0->name || a0->value == NULL ||
				a0->value->kind != FM_VAL_STRING || !fmv_value_is_nul_free(a0->value) ||
				fmv_nz(a0->value->text)[0] == '\0')
			{
				ERR(f->type_pos, "Unsupported on %s needs the PostgreSQL type as one string argument, as in Unsupported(\"circle\")",
					fmv_field_ctx(v, vf));
				continue;
			}
			if (v->dl->kind == FM_DIALECT_PRISMA &&
				(native_name = fmv_native_type_named(a0->value->text)) != NULL)
				ERR(a0->value->pos, "Unsupported(\"%s\") on %s names a native type of Prisma, which refuses it there; write the field's type and @db.%s instead",
					a0->value->text, fmv_field_ctx(v, vf), native_name);
			if (f->type_paren_apart && v->dl->kind == FM_DIALECT_PRISMA)
				ERR(f->type_pos, "Unsupported on %s must be followed by \"(\" directly, as Prisma's grammar requires; write Unsupported(\"%s\")",
					fmv_field_ctx(v, vf), a0->value->text);
			if (!fmv_sql_fragment_ok(v, a0->value->pos, "Unsupported",
									 fmv_field_ctx_buf(vf, ctxbuf, sizeof(ctxbuf)),
									 a0->value->text))
				continue;
			vf->kind = VF_UNSUPPORTED;
		}
		else if ((vf->en = fmv_find_enum(v, tn)) != NULL)
			vf->kind = VF_ENUM;
		else if ((vf->target = fmv_find_model(v, tn)) != NULL)
		{
			vf->kind = VF_RELATION;
			vf->r = fm_alloc(v->w, sizeof(VRel));
		}
		else
		{
			const char *hint;

			if (v->type_cands.n == 0)
			{
				for (int k = 0; k < v->models.n; k++)
					fm_list_append(v->w, &v->type_cands, fm_list_get(&v->models, k, VModel)->blk->name);
				for (int k = 0; k < v->enums.n; k++)
					fm_list_append(v->w, &v->type_cands, fm_list_get(&v->enums, k, VEnum)->blk->name);
				fm_list_append(v->w, &v->type_cands, "Unsupported");
			}
			hint = fmv_suggest(v, tn, fmv_scalar_types, &v->type_cands, NULL);
			if (*hint == '\0' && fmv_pg_type_hint(tn))
				hint = fm_psprintf(v->t, "; for the PostgreSQL type \"%s\" use %s",
								   tn, fmv_pg_type_hint(tn));
			if (strlen(tn) > FM_MAX_NAME_LEN)
				ERR(f->type_pos, "unknown type \"%s\" for %s", fmv_name_start(v, tn), fmv_field_ctx(v, vf));
			else
				ERR(f->type_pos, "unknown type \"%s\" for %s%s", tn, fmv_field_ctx(v, vf), hint);
			continue;
		}
		if ((FM_AST_TYPE_NARGS(f) > 0 || f->type_has_parens) && vf->kind != VF_UNSUPPORTED)
		{
			ERR(f->type_pos, "type \"%s\" of %s takes no arguments", tn, fmv_field_ctx(v, vf));
			vf->kind = VF_ERROR;
			continue;
		}
		if (f->list_apart && v->dl->kind == FM_DIALECT_PRISMA)
			ERR(f->type_pos, "the list type of %s has something between its brackets, which Prisma's grammar refuses; write \"%s[]\"",
				fmv_field_ctx(v, vf), tn);
		if (f->list && vf->kind == VF_UNSUPPORTED && v->dl->kind != FM_DIALECT_PRISMA)
		{
			ERR(f->type_pos, "%s cannot be a list of Unsupported; write the array type inside, as in Unsupported(\"circle[]\")",
				fmv_field_ctx(v, vf));
			vf->kind = VF_ERROR;
			continue;
		}
		if (vf->kind == VF_RELATION)
			continue;

		/* a column */
		{
			FmColumn   *col;
			char	   *colname = NULL;
			FmAstAttribute *map = NULL;

			for (int k = 0; k < f->attrs.n; k++)
			{
				FmAstAttribute *at = fm_list_get(&f->attrs, k, FmAstAttribute);

				if (at && !at->block && fm_streq(at->name, "map"))
					map = at;
			}
			if (map)
				colname = fmv_map_name_arg(v, map,
										   fmv_field_ctx_buf(vf, ctxbuf, sizeof(ctxbuf)),
										   "@map", "column name", "column name");
			if (colname == NULL)
			{
				/* one derivation per distinct field name, shared by its columns */
				colname = fm_hash_get(&v->column_names, f->name);
				if (colname == NULL)
				{
					colname = fm_dialect_derive(v->dl, v->t, FM_NAME_COLUMN, f->name);
					fm_hash_put(v->w, &v->column_names, f->name, colname);
				}
				/* the field's context is formatted only for a long name */
				if (!map && strlen(colname) > FM_MAX_IDENT_LEN)
					colname = fmv_db_name(v, f->pos, "column name", colname, fmv_field_ctx(v, vf), "@map");
			}
			{
				VField	   *o = fmv_find_column(vm, colname);

				if (o != NULL && o != vf)
					ERR(f->pos, "fields \"%s\" and \"%s\" of model \"%s\" both map to column \"%s\"; use @map to tell them apart",
						o->name, f->name, fmv_nz(b->name), colname);
				else if (vm->by_column.cap > 0)
					fm_hash_put(v->w, &vm->by_column, colname, vf);
			}
			/* a derived name is the validator's (v->t): kept, not copied */
			col = map ? fm_table_add_column(v->m, vm->table, colname) :
				fm_table_add_column_kept(v->m, vm->table, colname);
			vf->col = col;
			col->pos = f->pos;
			col->field_name = f->name;	/* the tree's (v->t): kept, not copied */
			col->notnull = !f->optional && !f->list;	/* lists: NULL is allowed, as Prisma makes them */
			{
				FmRenamed	rn = fm_doc_renamed(v->t, FM_AST_COMMENTS(f)->doc);

				if (rn.error != NULL)
					ERR(f->pos, "%s (field \"%s\" of model \"%s\")", rn.error,
						f->name, fmv_nz(b->name));
				if (rn.doc && v->dl->doc_comments)
					fm_column_more(v->a, col)->comment = rn.doc;
				if (rn.from != NULL)
				{
					fm_column_more(v->a, col)->renamed_from_written = rn.from;
					col->more->renamed_from =
						fm_dialect_derive(v->dl, v->t, FM_NAME_COLUMN, rn.from);
				}
			}
			if (vf->kind == VF_SCALAR)
			{
				col->type.kind = FM_TYPE_BUILTIN;
				col->type.sql = fmv_default_sql_type_copy(v, vf->scalar);
			}
			else if (vf->kind == VF_ENUM)
			{
				col->type.kind = FM_TYPE_ENUM;
				col->type.enum_schema = vf->en->en->schema;
				col->type.enum_name = vf->en->en->name;
				col->type.sql = vf->en->en->name;
			}
			else
			{
				FmAstArg   *a0 = FM_AST_TYPE_ARG(f, 0);

				col->type.kind = FM_TYPE_UNSUPPORTED;
				col->type.sql = f->list ? fmv_unsupported_list_type(v, a0->value->text) :
					fm_strdup(v->t, a0->value->text);
			}
		}
	}
	if (!vm->is_view && vm->table->columns.n > FM_MAX_TABLE_COLUMNS)
		ERR(b->name_pos, "model \"%s\" has %d columns, more than the %d a PostgreSQL table can hold; move some fields to a related model",
			b->name, vm->table->columns.n, FM_MAX_TABLE_COLUMNS);
	fmv_check_mapped_names(v, vm);
}

/*
 * fmv_field_attributes
 *		The attributes of field vf, after all columns exist: @id, @unique
 *		(a key of the table), @default (fmv_apply_default, or the list form
 *		for a list field), @updatedAt (with @default(now()) allowed),
 *		@ignore, @db.* (fmv_apply_native_type), @relation (kept for the
 *		relation pass).  Unknown, repeated and misplaced attributes are
 *		reported, attributes of other connectors by their connector.  A
 *		list field's column type gets its "[]" (or the enum type its array
 *		flag) last, after the native type and default.
 */
void
fmv_field_attributes(V *v, VField *vf)
{
	FmAstField *f = vf->ast;
	const char *ctx;
	FmAstAttribute *seen_db = NULL;
	FmAstAttribute *dflt = NULL;
	bool		unique = false;	/* @unique given */
	FmAstAttribute *ident = NULL;
	FmAstAttribute *gen = NULL;
	FmAstAttribute *coll = NULL;
	FmvSeen		seen;
	char		ctxbuf[FMV_CTX_BUF];

	/* the field is named in messages of its attributes only */
	ctx = f->attrs.n > 0 ? fmv_field_ctx_buf(vf, ctxbuf, sizeof(ctxbuf)) : NULL;
	fmv_seen_init(&seen);

	for (int k = 0; k < f->attrs.n; k++)
	{
		FmAstAttribute *at = fm_list_get(&f->attrs, k, FmAstAttribute);
		bool		dup = false;
		bool		native;

		if (at == NULL || at->name == NULL)
			continue;
		/* for the relations pass, which runs after the field's tree is freed */
		if (fm_streq(at->name, "ignore"))
		{
			vf->has_ignore = true;
			/* Prisma takes it on a relation field of an ignored model */
			if (v->dl->kind == FM_DIALECT_PRISMA && vf->model->has_ignore &&
				vf->kind != VF_RELATION)
				ERR(at->pos, "@ignore cannot be used on %s, whose model is ignored already (@@ignore), as in Prisma; remove it",
					ctx);
			else if (v->dl->kind == FM_DIALECT_PRISMA && vf->kind == VF_UNSUPPORTED)
				ERR(at->pos, "@ignore cannot be used on %s of type Unsupported, which Prisma Client ignores already, as in Prisma; remove it",
					ctx);
		}
		native = strncmp(at->name, v->native_prefix, strlen(v->native_prefix)) == 0;
		if (!native && v->dl->kind == FM_DIALECT_PRISMA && !at->block &&
			strchr(at->name, '.') != NULL)
		{
			/* Prisma: "The prefix db is invalid. It must be equal to ..." */
			ERR(at->pos, "native type attribute \"@%s\" on %s must start with the datasource's name, as in Prisma; write \"@%s%s\"",
				at->name, ctx, v->native_prefix, strchr(at->name, '.') + 1);
			continue;
		}
		if (at->block)
		{
			ERR(at->pos, "block attribute \"%s\" cannot be used on %s; put it on its own line in the model",
				fmv_attr_repr(v, at), ctx);
			continue;
		}
		if (!native && foreign_attr(at))
		{
			ERR(at->pos, "attribute \"@%s\" on %s belongs to Prisma's %s; PostgreSQL has no such attribute",
				at->name, ctx, foreign_attr(at));
			continue;
		}
		if (!native && !fmv_in_list(field_attrs, at->name))
		{
			ERR(at->pos, "unknown attribute \"@%s\" on %s%s", at->name, ctx,
				fmv_suggest(v, at->name, field_attrs, NULL, "@"));
			continue;
		}
		dup = fmv_seen(v, &seen, native ? "db." : at->name);
		if (dup)
		{
			ERR(at->pos, native ? "%s has more than one native type attribute" :
				"attribute \"@%s\" is given twice on %s",
				native ? ctx : at->name, ctx);
			continue;
		}
		if (vf->kind == VF_ERROR)
			continue;
		if (vf->kind == VF_RELATION)
		{
			if (fm_streq(at->name, "ignore"))
				fmv_no_args(v, at, ctx);	/* client side: the key stays */
			else if (!fm_streq(at->name, "relation"))
				ERR(at->pos, "attribute \"@%s\" cannot be used on relation %s; put it on the scalar fields of the relation",
					at->name, ctx);
			else
				vf->r->rel = at;
			continue;
		}
		if (fm_streq(at->name, "relation"))
		{
			ERR(at->pos, "attribute \"@relation\" can only be used on relation fields, and %s has type \"%s\"",
				ctx, fmv_nz(f->type_name));
			continue;
		}
		if (native)
		{
			seen_db = at;
			continue;
		}
		if (fm_streq(at->name, "id"))
		{
			const char *const names[] = {"map", NULL};
			FmAstArg   *args[1];

			fmv_view_attr(v, vf->model, f->name, at, NULL);
			if (f->optional)
				ERR(at->pos, "@id cannot be used on optional %s; primary key columns are never null; remove the \"?\"",
					ctx);
			else if (f->list && v->dl->kind == FM_DIALECT_PRISMA)
				ERR(at->pos, "@id cannot be used on list %s: Prisma requires the fields of an id to be required, and reads a list as optional",
					ctx);
			vf->is_id = true;
			if (fmv_bind_args(v, at, ctx, names, false, args) && args[0])
			{
				char	   *s = fmv_string_arg(v, at, args[0], "map", ctx);

				if (s && check_ident_len(v, args[0]->value->pos, "primary key name", s))
					vf->model->pk_map = s;
			}
		}
		else if (fm_streq(at->name, "unique"))
		{
			const char *const names[] = {"map", "sort", "where", NULL};
			FmAstArg   *args[3];
			char	   *s = NULL;
			char	   *pred = NULL;
			FmKey	   *key;
			FmList	   *sorted = NULL;
			FmSortOrder sort = FM_SORT_DEFAULT;

			unique = true;
			if (fmv_bind_args(v, at, ctx, names, false, args) && args[0])
			{
				s = fmv_string_arg(v, at, args[0], "map", ctx);
				if (s && !check_ident_len(v, args[0]->value->pos, "unique constraint name", s))
					s = NULL;
			}
			if (!fmv_view_attr(v, vf->model, f->name, at, args))
				continue;
			if (args[1] && args[1]->value)
			{
				FmAstValue *sv = args[1]->value;

				if (sv->kind != FM_VAL_IDENT ||
					!(fm_streq(sv->text, "Asc") || fm_streq(sv->text, "Desc")))
					ERR(sv->pos, "sort order of @unique on %s must be Asc or Desc", ctx);
				else
					sort = fm_streq(sv->text, "Asc") ? FM_SORT_ASC : FM_SORT_DESC;
			}
			if (args[2] && !fmv_where_predicate(v, vf->model, at, args[2], ctx, &pred))
				pred = NULL;

			/*
			 * @unique(sort: Desc) or @unique(where: ...): a unique index, as
			 * @@unique's (a constraint has no order and no predicate:
			 * without the index form a predicate would be lost and the
			 * column unique in every row)
			 */
			if (sort != FM_SORT_DEFAULT || pred != NULL)
			{
				FmIndexElem *el = fm_alloc(v->a, sizeof(FmIndexElem));

				el->column = vf->col->name;
				el->sort = sort;
				sorted = fm_alloc(v->a, sizeof(FmList));
				fm_list_append(v->a, sorted, el);
			}
			key = fm_alloc(v->a, sizeof(FmKey));
			key->pos = at->pos;
			fm_list_append(v->a, &key->columns, vf->col->name);
			fm_list_append(v->a, &vf->model->table->uniques, key);
			fm_list_append(v->w, &vf->model->key_maps, s);
			fm_list_append(v->w, &vf->model->key_elems, sorted);
			fm_list_append(v->w, &vf->model->key_preds, pred);
		}
		else if (fm_streq(at->name, "default"))
			dflt = at;
		else if (fm_streq(at->name, "identity"))
			ident = at;
		else if (fm_streq(at->name, "collate"))
			coll = at;			/* once the native type is known */
		else if (fm_streq(at->name, "generated"))
			gen = at;
		else if (fm_streq(at->name, "ignore"))
			fmv_no_args(v, at, ctx);	/* client side: the column stays */
		else if (fm_streq(at->name, "updatedAt"))
		{
			fmv_no_args(v, at, ctx);
			if (vf->kind != VF_SCALAR || !fm_streq(vf->scalar, "DateTime"))
				ERR(at->pos, "@updatedAt cannot be used on %s of type \"%s\"; it needs a DateTime field",
					ctx, fmv_nz(f->type_name));
			else if (f->list)
				ERR(at->pos, "@updatedAt cannot be used on list %s; the client sets one timestamp, as in Prisma",
					ctx);
			else
				vf->col->updated_at = true;
		}
		/* map: handled with the column */
	}
	if (vf->kind == VF_ERROR || vf->kind == VF_RELATION)
	{
		if (coll)
			fmv_collate_attr(v, vf, coll, ctx);
		return;
	}
	if (seen_db)
		fmv_apply_native_type(v, vf, seen_db, ctx);
	if (coll)
		fmv_collate_attr(v, vf, coll, ctx);
	/* as in @@unique (fmv_prisma_index_fields), now that the native type is known */
	if (unique && v->dl->kind == FM_DIALECT_PRISMA && fm_streq(vf->native, "Xml"))
		ERR(vf->pos, "%s of native type Xml cannot be @unique, as in Prisma (PostgreSQL compares no xml values)",
			ctx);
	if (dflt)
	{
		/* prisma: any default, as Prisma takes it (the client overwrites it) */
		if (vf->col->updated_at && !fmv_default_is_now(dflt) &&
			v->dl->kind != FM_DIALECT_PRISMA)
			ERR(dflt->pos, "%s cannot have both @default and @updatedAt", ctx);
		else if (f->list)
			fmv_apply_list_default(v, vf, dflt, ctx);
		else
			fmv_apply_default(v, vf, dflt, ctx);
	}
	if (ident)
		fmv_identity_attr(v, vf, ident, ctx);
	if (gen)
		fmv_generated_attr(v, vf, gen, ctx);
	if (f->list && vf->col->type.kind == FM_TYPE_BUILTIN)
		vf->col->type.sql = fm_psprintf(v->t, "%s[]", vf->col->type.sql);
	else if (f->list && vf->col->type.kind == FM_TYPE_ENUM)
		vf->col->type.array = true;		/* Role[] */
}

/* ---------- block attributes ---------- */

/* the attribute resolve_field_list works on, in its messages */
#define WHAT (what_s ? what_s : (what_s = fm_psprintf(v->t, "%s of model \"%s\"", \
							fmv_attr_repr(v, at), fmv_nz(vm->blk->name))))


/* is val a number below zero (-1, -0.5; not -0)? */
static bool
below_zero(const FmAstValue *val)
{
	return val != NULL && val->kind == FM_VAL_NUMBER && val->text[0] == '-' &&
		strspn(val->text + 1, "0.") < strlen(val->text + 1);
}

/*
 * Resolve a list of field references ([a, b(sort: Desc)], or one name
 * without brackets) into index elements, with their sort orders and
 * operator classes (ops: by Prisma's name or raw("...")).  allow_sort:
 * @@index and @@unique accept sort: and ops:, @@id does not.  Returns
 * false when anything is wrong (reported).
 */
static bool
resolve_field_list(V *v, VModel *vm, FmAstAttribute *at, FmAstValue *val,
				   bool allow_sort, FmList *elems, FmList *vfields)
{
	char	   *what_s = NULL;	/* WHAT: formatted for the first message */
	bool		ok = true;
	FmvSeen		listed;

	fmv_seen_init(&listed);

	if (val->kind == FM_VAL_IDENT || val->kind == FM_VAL_CALL)
	{
		/* one field without brackets, as Prisma allows: @@id(x) */
		FmAstValue *one = fm_alloc(v->t, sizeof(FmAstValue));

		one->kind = FM_VAL_ARRAY;
		one->pos = val->pos;
		fm_list_append(v->t, &one->items, val);
		val = one;
	}
	if (val->kind != FM_VAL_ARRAY)
	{
		ERR(val->pos, "the fields of %s must be a list, as in [a, b]", WHAT);
		return false;
	}
	if (val->items.n == 0)
	{
		ERR(val->pos, "%s needs at least one field", WHAT);
		return false;
	}
	for (int i = 0; i < val->items.n; i++)
	{
		FmAstValue *it = fm_list_get(&val->items, i, FmAstValue);
		const char *fname;
		VField	   *vf;
		FmIndexElem *el;

		if (it == NULL)
			continue;
		if (it->kind != FM_VAL_IDENT && it->kind != FM_VAL_CALL)
		{
			ERR(it->pos, "%s in %s is not a field name", fmv_value_repr(v, it), WHAT);
			ok = false;
			continue;
		}
		fname = fmv_nz(it->text);
		vf = fmv_lineage_field(v, vm, fname);	/* or a parent's (partitions) */
		if (vf == NULL)
		{
			ERR(it->pos, "unknown field \"%s\" in %s%s", fname, WHAT,
				fmv_suggest(v, fname, NULL, fmv_field_names(v, vm, false), NULL));
			ok = false;
			continue;
		}
		if (vf->kind == VF_RELATION)
		{
			ERR(it->pos, "field \"%s\" in %s is a relation field; list its scalar fields instead",
				fname, WHAT);
			ok = false;
			continue;
		}
		if (vf->col == NULL)
		{
			ok = false;
			continue;
		}
		if (fmv_seen(v, &listed, fname))
		{
			ERR(it->pos, "field \"%s\" is listed twice in %s", fname, WHAT);
			ok = false;
		}
		el = fm_alloc(v->a, sizeof(FmIndexElem));
		el->column = vf->col->name;
		for (int k = 0; it->kind == FM_VAL_CALL && k < it->args.n; k++)
		{
			FmAstArg   *arg = fm_list_get(&it->args, k, FmAstArg);

			if (arg == NULL)
				continue;
			if (fm_streq(arg->name, "sort") && allow_sort && arg->value &&
				arg->value->kind == FM_VAL_IDENT &&
				(fm_streq(arg->value->text, "Asc") || fm_streq(arg->value->text, "Desc")))
				el->sort = fm_streq(arg->value->text, "Asc") ? FM_SORT_ASC : FM_SORT_DESC;
			else if (fm_streq(arg->name, "sort") && allow_sort)
			{
				ERR(arg->value ? arg->value->pos : arg->pos,
					"sort order of field \"%s\" in %s must be Asc or Desc", fname, WHAT);
				ok = false;
			}
			else if (fm_streq(arg->name, "sort"))
			{
				ERR(arg->pos, "sort order of field \"%s\" in %s is not supported; PostgreSQL constraints have no sort order, use @@index for that",
					fname, WHAT);
				ok = false;
			}
			else if (fm_streq(arg->name, "ops") && allow_sort && arg->value &&
					 arg->value->kind == FM_VAL_IDENT)
			{
				const FmvOpClass *oc = fmv_find_opclass(arg->value->text);

				if (oc == NULL)
				{
					const char *hint = fmv_suggest(v, arg->value->text, fmv_opclass_names(v), NULL, NULL);

					ERR(arg->value->pos, "unknown operator class \"%s\" for field \"%s\" in %s%s",
						fmv_nz(arg->value->text), fname, WHAT,
						*hint ? hint : "; use ops: raw(\"name\") for an operator class Prisma does not name");
					ok = false;
				}
				else
				{
					el->opclass = fm_strdup(v->t, oc->sql);
					el->opclass_method = oc->method;
				}
			}
			else if (fm_streq(arg->name, "ops") && allow_sort && arg->value &&
					 arg->value->kind == FM_VAL_CALL && fm_streq(arg->value->text, "raw") &&
					 arg->value->args.n == 1 &&
					 fm_list_get(&arg->value->args, 0, FmAstArg)->value &&
					 fm_list_get(&arg->value->args, 0, FmAstArg)->value->kind == FM_VAL_STRING)
			{
				/* a possibly qualified name: its parts, each quoted when rendered */
				const FmAstValue *ov = fm_list_get(&arg->value->args, 0, FmAstArg)->value;
				FmList		parts = {0};
				const char *bad = fmv_value_is_nul_free(ov) ?
					fm_split_qualified_name(v->t, ov->text, 2, &parts) : "a NUL character";

				if (bad)
				{
					ERR(ov->pos, "operator class \"%s\" of field \"%s\" in %s is not a name: it has %s; write raw(\"name\") or raw(\"schema.name\")",
						fmv_nz(ov->text), fname, WHAT, bad);
					ok = false;
				}
				else
				{
					el->opclass_schema = parts.n == 2 ? fm_list_get(&parts, 0, char) : NULL;
					el->opclass = fm_list_get(&parts, parts.n - 1, char);
				}
			}
			else if (fm_streq(arg->name, "ops") && allow_sort && arg->value &&
					 arg->value->kind == FM_VAL_CALL && fm_streq(arg->value->text, "raw"))
			{
				/* raw() with other arguments than one string */
				ERR(arg->value->pos, "raw() in ops: of field \"%s\" in %s takes one string, the operator class, as in raw(\"text_ops\")",
					fname, WHAT);
				ok = false;
			}
			else if (fm_streq(arg->name, "collate") && allow_sort)
				ok = fmv_elem_collate(v, el, arg, vf, fname, WHAT) && ok;
			else if (fm_streq(arg->name, "length") &&
					 !(v->dl->kind == FM_DIALECT_PRISMA && below_zero(arg->value)))
			{
				/* Prisma ignores a negative length (it reads no u32), below */
				ERR(arg->pos, "argument \"length\" for field \"%s\" in %s belongs to Prisma's MySQL connector; PostgreSQL indexes whole values",
					fname, WHAT);
				ok = false;
			}
			else if (v->dl->kind == FM_DIALECT_PRISMA)
			{
				/*
				 * Prisma reads only sort: and ops: of a field here and
				 * ignores any other argument, named or not (hatchet's
				 * id(order: Desc) is a plain ascending column to it).
				 */
				const char *hint = allow_sort ? "; Prisma reads sort: Asc|Desc and ops: here" : "";

				if (arg->name && *arg->name)
					WARN(arg->pos, "argument \"%s\" for field \"%s\" in %s is ignored, as Prisma ignores it%s",
						 arg->name, fname, WHAT, hint);
				else
					WARN(arg->pos, "an argument without a name for field \"%s\" in %s is ignored, as Prisma ignores it%s",
						 fname, WHAT, hint);
			}
			else if (!arg->name || !*arg->name)
			{
				ERR(arg->pos, "an argument without a name for field \"%s\" in %s%s",
					fname, WHAT,
					allow_sort ? "; use sort: Asc|Desc, ops: JsonbPathOps, ops: raw(\"opclass\") or collate: \"C\"" : "");
				ok = false;
			}
			else
			{
				ERR(arg->pos, "unknown argument \"%s\" for field \"%s\" in %s%s",
					fmv_nz(arg->name), fname, WHAT,
					allow_sort ? "; use sort: Asc|Desc, ops: JsonbPathOps, ops: raw(\"opclass\") or collate: \"C\"" : "");
				ok = false;
			}
		}
		fm_list_append(v->a, elems, el);
		fm_list_append(v->t, vfields, vf);
	}
	return ok;
}

#undef WHAT

static const char *const block_attrs[] = {
	"id", "unique", "index", "map", "schema", "check", "ignore", "unlogged",
	"storage", "exclude", "partitionBy", "partitionOf", "inherits", NULL
};

/*
 * @@id or @@unique (at) in model vm: the key, added to the table as its
 * primary key or one of its uniques, with its explicit name (map:) beside
 * it.  id_field is the model's @id field, if any (@@id beside it is an
 * error); *block_id is set to at for @@id.
 */
static void
block_key(V *v, VModel *vm, FmAstAttribute *at, const char *ctx,
		  VField *id_field, FmAstAttribute **block_id)
{
	FmAstBlock *b = vm->blk;
	const char *const names[] = {"fields", "map", "name", "where", NULL};
	FmAstArg   *args[4];
	char	   *pred = NULL;
	FmList		elems = {0},
				vfields = {0};
	char	   *map = NULL;
	FmKey	   *key;
	bool		is_id = fm_streq(at->name, "id");

	if (!fmv_bind_args(v, at, ctx, names, true, args))
		return;
	if (args[0] == NULL)
	{
		ERR(at->pos, "%s in %s needs a list of fields, as in %s([a, b])",
			fmv_attr_repr(v, at), ctx, fmv_attr_repr(v, at));
		return;
	}
	if (args[1])
	{
		map = fmv_string_arg(v, at, args[1], "map", ctx);
		if (map && !check_ident_len(v, args[1]->value->pos,
									is_id ? "primary key name" : "unique constraint name", map))
			map = NULL;
	}
	if (!fmv_view_key_ok(v, vm, at, args[0]->value, args[1]))
		return;
	if (args[2] && args[2]->value && args[2]->value->kind != FM_VAL_STRING)
		ERR(args[2]->value->pos, "argument \"name\" of %s in %s must be a string",
			fmv_attr_repr(v, at), ctx);
	else if (args[2] && args[2]->value)
		fmv_check_key_client_name(v, vm, at, args[2], ctx);
	if (args[3] && is_id)
	{
		ERR(args[3]->pos, "@@id in %s cannot have \"where\": a primary key covers every row", ctx);
		return;
	}
	if (args[3] && !fmv_where_predicate(v, vm, at, args[3], ctx, &pred))
		return;
	if (!resolve_field_list(v, vm, at, args[0]->value, !is_id, &elems, &vfields))
		return;
	if (!is_id && !fmv_prisma_index_fields(v, NULL, &elems, &vfields, at, ctx))
		return;
	if (is_id)
	{
		*block_id = at;
		if (id_field)
		{
			ERR(at->pos, "model \"%s\" has both @id on field \"%s\" and @@id; keep only one",
				fmv_nz(b->name), id_field->name);
			return;
		}
		for (int k = 0; k < vfields.n; k++)
		{
			VField	   *vf = fm_list_get(&vfields, k, VField);
			/* a parent's column (partition, child): the key makes the
			 * table's own copy NOT NULL, as PostgreSQL does, not the parent's */
			bool		own = fmv_find_field(vm, vf->name) == vf;

			if (vf->optional && own)
				ERR(at->pos, "field \"%s\" in @@id of model \"%s\" is optional; primary key columns are never null",
					vf->name, fmv_nz(b->name));
			else if (vf->list && v->dl->kind == FM_DIALECT_PRISMA)
				ERR(at->pos, "field \"%s\" in @@id of model \"%s\" is a list, which Prisma reads as optional; the fields of an id must be required",
					vf->name, fmv_nz(b->name));
			else if (vf->col && own)
				vf->col->notnull = true;	/* a list: NOT NULL, as the key makes it */
		}
	}
	key = fm_alloc(v->a, sizeof(FmKey));
	key->pos = at->pos;
	for (int k = 0; k < elems.n; k++)
		fm_list_append(v->a, &key->columns, fm_list_get(&elems, k, FmIndexElem)->column);
	if (is_id)
	{
		vm->table->primary_key = key;
		vm->pk_map = map;
	}
	else
	{
		FmList	   *sorted = NULL;

		for (int k = 0; k < elems.n; k++)
			if (fm_list_get(&elems, k, FmIndexElem)->sort != FM_SORT_DEFAULT ||
				fm_list_get(&elems, k, FmIndexElem)->opclass != NULL ||
				fm_list_get(&elems, k, FmIndexElem)->collation != NULL ||
				pred != NULL)
			{
				sorted = fm_alloc(v->a, sizeof(FmList));
				*sorted = elems;
			}
		fm_list_append(v->a, &vm->table->uniques, key);
		fm_list_append(v->w, &vm->key_maps, map);
		fm_list_append(v->w, &vm->key_elems, sorted);
		fm_list_append(v->w, &vm->key_preds, pred);
	}

}

/* @@index (at) in model vm: the index, added to the table with its name */
static void
block_index(V *v, VModel *vm, FmAstAttribute *at, const char *ctx)
{
	const char *const names[] = {"fields", "map", "type", "where", "name", NULL};
	FmAstArg   *args[5];
	FmList		vfields = {0};
	FmIndex    *ix;
	char	   *map = NULL;
	static const char *const types[] = {
		"BTree", "Hash", "Gin", "Gist", "SpGist", "Brin", NULL
	};
	bool		ok = true;

	if (!fmv_bind_args(v, at, ctx, names, true, args))
		return;
	if (args[0] == NULL)
	{
		ERR(at->pos, "@@index in %s needs a list of fields, as in @@index([a, b])", ctx);
		return;
	}
	ix = fm_alloc(v->a, sizeof(FmIndex));
	ix->pos = at->pos;
	ix->method = fm_strdup(v->t, "btree");
	if (args[4] && args[1])
	{
		ERR(args[4]->pos, "@@index in %s has both \"name\" and \"map\"; \"name\" is the legacy spelling of \"map\", keep only map:",
			ctx);
		ok = false;
	}
	else if (args[4])
		args[1] = args[4];		/* legacy: name: was the index name */
	if (args[1])
	{
		map = fmv_string_arg(v, at, args[1], "map", ctx);
		if (map && !check_ident_len(v, args[1]->value->pos, "index name", map))
			map = NULL;
	}
	if (args[2] && args[2]->value)
	{
		FmAstValue *tv = args[2]->value;

		if (tv->kind != FM_VAL_IDENT || !fmv_in_list(types, tv->text))
		{
			ERR(tv->pos, "unknown index type \"%s\" in @@index of %s; use one of BTree, Hash, Gin, Gist, SpGist, Brin%s",
				fmv_value_repr(v, tv), ctx,
				tv->kind == FM_VAL_IDENT ? fmv_suggest(v, tv->text, types, NULL, NULL) : "");
			ok = false;
		}
		else
		{
			char	   *m = fm_strdup(v->t, tv->text);

			for (char *p = m; *p; p++)
				*p = (char) tolower((unsigned char) *p);
			ix->method = m;
		}
	}
	if (args[3] && !fmv_where_predicate(v, vm, at, args[3], ctx, &ix->predicate))
		ok = false;
	if (!resolve_field_list(v, vm, at, args[0]->value, true, &ix->elems, &vfields))
		return;
	if (!fmv_prisma_index_fields(v, ix->method, &ix->elems, &vfields, at, ctx))
		ok = false;
	if (!fmv_check_opclasses(v, ix, at, ctx))
		ok = false;
	if (!fm_streq(ix->method, "btree"))
	{
		for (int k = 0; k < ix->elems.n; k++)
			if (fm_list_get(&ix->elems, k, FmIndexElem)->sort != FM_SORT_DEFAULT)
			{
				ERR(at->pos, "@@index of type %s in %s cannot have a sort order; only BTree indexes are ordered",
					args[2]->value->text, ctx);
				ok = false;
				break;
			}
		if (fm_streq(ix->method, "hash") && ix->elems.n > 1)
		{
			ERR(at->pos, "@@index of type Hash in %s can have only one field", ctx);
			ok = false;
		}
	}
	if (!ok)
		return;
	fm_list_append(v->a, &vm->table->indexes, ix);
	fm_list_append(v->w, &vm->index_maps, map);

}

/* @@check (at) in model vm: the check constraint, added with its name */
static void
block_check(V *v, VModel *vm, FmAstAttribute *at, const char *ctx)
{
	const char *const names[] = {"expr", "map", NULL};
	FmAstArg   *args[2];
	char	   *expr,
			   *map = NULL;
	FmCheck    *ck;

	if (!fmv_bind_args(v, at, ctx, names, true, args))
		return;
	if (args[0] == NULL)
	{
		ERR(at->pos, "@@check in %s needs the SQL expression, as in @@check(\"price > 0\")", ctx);
		return;
	}
	expr = fmv_string_arg(v, at, args[0], "expr", ctx);
	if (expr == NULL)
		return;
	if (*expr == '\0')
	{
		ERR(args[0]->value->pos, "the expression of @@check in %s must not be empty", ctx);
		return;
	}
	if (!fmv_sql_fragment_ok(v, args[0]->value->pos, "@@check", ctx, expr))
		return;
	if (args[1])
	{
		map = fmv_string_arg(v, at, args[1], "map", ctx);
		if (map == NULL || !check_ident_len(v, args[1]->value->pos, "check constraint name", map))
			return;
	}
	ck = fm_alloc(v->a, sizeof(FmCheck));
	ck->expr = fm_strdup(v->t, expr);
	ck->pos = at->pos;
	fm_list_append(v->a, &vm->table->checks, ck);
	fm_list_append(v->w, &vm->check_maps, map);

}

/* prisma dialect: has key a column of an Unsupported field (Prisma does not count it)? */
static bool
unsupported_key(V *v, VModel *vm, const FmKey *key)
{
	if (v->dl->kind != FM_DIALECT_PRISMA)
		return false;
	for (int j = 0; j < key->columns.n; j++)
	{
		VField	   *c = fmv_find_column(vm, fm_list_get(&key->columns, j, char));

		if (c != NULL && c->kind == VF_UNSUPPORTED)
			return true;
	}
	return false;
}

/*
 * Every model needs a primary key or a unique criterion over required
 * fields; block_id and id_field say whether one was written (and failed).
 */
static void
require_key(V *v, VModel *vm, VField *id_field, FmAstAttribute *block_id)
{
	FmAstBlock *b = vm->blk;

	/* at least one unique criterion with required fields only */
	if (vm->table->primary_key == NULL || unsupported_key(v, vm, vm->table->primary_key))
	{
		bool		found = false;

		/* a field whose type is wrong may be the key: no second error */
		for (int i = 0; i < vm->fields.n; i++)
			if (fm_list_get(&vm->fields, i, VField)->kind == VF_ERROR)
				found = true;

		for (int i = 0; i < vm->table->uniques.n && !found; i++)
		{
			FmKey	   *k = fm_list_get(&vm->table->uniques, i, FmKey);
			bool		allreq = true;

			for (int j = 0; j < k->columns.n; j++)
			{
				VField	   *c = fmv_find_column(vm, fm_list_get(&k->columns, j, char));

				/* Prisma counts a list (no NOT NULL in its dialect) as required here */
				if (c == NULL || c->col == NULL ||
					!(c->col->notnull || (c->list && v->dl->kind == FM_DIALECT_PRISMA)))
					allreq = false;
				/* nor does Prisma count a criterion over an Unsupported field */
				else if (c->kind == VF_UNSUPPORTED && v->dl->kind == FM_DIALECT_PRISMA)
					allreq = false;
			}
			found = allreq;
		}
		if (!found && ((!block_id && !id_field) || vm->table->primary_key != NULL))
			ERR(b->name_pos, "model \"%s\" has no primary key or unique field; add @id to a field, @@id([...]), or @unique to a required field",
				fmv_nz(b->name));
	}
}

/*
 * fmv_block_attributes
 *		The block attributes of model vm (@@id, @@unique, @@index, @@check;
 *		@@map and @@schema were read with the table), and the @id field's
 *		primary key.  Reports unknown and repeated attributes.
 */
void
fmv_block_attributes(V *v, VModel *vm)
{
	FmAstBlock *b = vm->blk;
	char	   *ctx = fm_concat(v->t, "model \"", fmv_nz(b->name), "\"");
	VField	   *id_field = NULL;
	FmAstAttribute *block_id = NULL;
	FmHashEntry seen_slots[16];
	FmHashMap		seen;
	bool		ignored = false;

	fm_hash_init_local(&seen, seen_slots, 16);

	/* @id fields */
	for (int i = 0; i < vm->fields.n; i++)
	{
		VField	   *vf = fm_list_get(&vm->fields, i, VField);

		if (!vf->is_id)
			continue;
		if (id_field)
		{
			ERR(vf->pos, "model \"%s\" has more than one @id field (\"%s\" and \"%s\"); use @@id([%s, %s]) for a composite primary key",
				fmv_nz(b->name), id_field->name, vf->name,
				id_field->name, vf->name);
			continue;
		}
		id_field = vf;
	}

	for (int i = 0; i < b->attrs.n; i++)
	{
		FmAstAttribute *at = fm_list_get(&b->attrs, i, FmAstAttribute);
		bool		dup = false;

		if (at == NULL || at->name == NULL)
			continue;
		if (foreign_attr(at))
		{
			ERR(at->pos, "attribute \"@@%s\" in %s belongs to Prisma's %s; PostgreSQL has no such attribute",
				at->name, ctx, foreign_attr(at));
			continue;
		}
		if (!fmv_in_list(block_attrs, at->name))
		{
			ERR(at->pos, "unknown attribute \"@@%s\" in %s%s", at->name, ctx,
				fmv_suggest(v, at->name, block_attrs, NULL, "@@"));
			continue;
		}
		if (fmv_table_option_attr(v, vm, at, ctx, &seen))	/* validate_partition.c */
			continue;
		if (fm_streq(at->name, "id") || fm_streq(at->name, "map") ||
			fm_streq(at->name, "schema") || fm_streq(at->name, "ignore"))
		{
			dup = fm_hash_get(&seen, at->name) != NULL;
			fm_hash_put(v->w, &seen, at->name, at);
			if (dup)
			{
				ERR(at->pos, "attribute \"@@%s\" is given twice in %s", at->name, ctx);
				continue;
			}
		}
		if (fm_streq(at->name, "ignore"))
		{
			/*
			 * client side only: the model may lack a key, as in Prisma, and
			 * plans manage its table like any other.
			 */
			fmv_no_args(v, at, ctx);
			ignored = true;
			vm->table->ignored = true;
			continue;
		}
		if (fm_streq(at->name, "map") || fm_streq(at->name, "schema"))
			continue;			/* handled with the table */

		if (!fmv_view_attr(v, vm, NULL, at, NULL))
			continue;
		if (fm_streq(at->name, "id") || fm_streq(at->name, "unique"))
			block_key(v, vm, at, ctx, id_field, &block_id);
		else if (fm_streq(at->name, "index"))
			block_index(v, vm, at, ctx);
		else if (fm_streq(at->name, "check"))
			block_check(v, vm, at, ctx);
		else if (fm_streq(at->name, "exclude"))
			fmv_exclude_attr(v, vm, at, ctx);
	}

	if (id_field && id_field->col)
	{
		FmKey	   *key = fm_alloc(v->a, sizeof(FmKey));

		key->pos = id_field->pos;
		fm_list_append(v->a, &key->columns, id_field->col->name);
		vm->table->primary_key = key;
		/* a list: NOT NULL, as the key makes it (the catalog reads so) */
		id_field->col->notnull = true;
	}
	if (!vm->is_view && !ignored && !fmv_lineage_needs_no_key(b))
		require_key(v, vm, id_field, block_id);
}
