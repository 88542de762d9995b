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


/* ---------- models: tables, fields, columns ---------- */

void
fmv_model_table(V *v, VModel *vm)
{
	FmAstBlock *b = vm->blk;
	FmAstAttribute *map = fmv_block_attr(b, "map");
	char	   *ctx = fm_psprintf(v->a, "model \"%s\"", fmv_nz(b->name));
	char	   *name = NULL;
	char	   *sch;

	if (map)
		name = fmv_map_name_arg(v, map, ctx, "@@map", "table name", "table name");
	if (name == NULL)
	{
		name = fm_psprintf(v->a, "%ss", fm_snake_case(v->a, b->name));
		if (!map)
			check_ident_len(v, b->name_pos, "table name", name);
	}
	sch = fmv_resolve_schema(v, b, fmv_block_attr(b, "schema"), "model");
	vm->table = fm_model_add_table(v->m, sch, name);
	vm->table->pos = b->name_pos;
	vm->table->model_name = fm_strdup(v->a, b->name);
	vm->table->comment = b->comments.doc ? fm_strdup(v->a, b->comments.doc) : NULL;
}

/* the ferriorm type for a PostgreSQL type name someone wrote instead */
static const char *
pg_type_hint(const char *tn)
{
	static const char *const map[][2] = {
		{"integer", "Int"}, {"int", "Int"}, {"int4", "Int"}, {"serial", "Int"},
		{"smallint", "Int @db.SmallInt"}, {"int2", "Int @db.SmallInt"},
		{"int8", "BigInt"}, {"bigserial", "BigInt"},
		{"text", "String"}, {"varchar", "String @db.VarChar(n)"},
		{"char", "String @db.Char(n)"}, {"uuid", "String @db.Uuid"},
		{"bool", "Boolean"}, {"float", "Float"}, {"double", "Float"},
		{"float8", "Float"}, {"real", "Float @db.Real"}, {"numeric", "Decimal"},
		{"timestamp", "DateTime"}, {"timestamptz", "DateTime"},
		{"date", "DateTime @db.Date"}, {"jsonb", "Json"}, {"bytea", "Bytes"},
		{"Date", "DateTime @db.Date"}, {"Timestamp", "DateTime"}
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], tn) == 0)
			return map[i][1];
	return NULL;
}

static const char *const field_attrs[] = {
	"id", "unique", "default", "updatedAt", "map", "relation", NULL
};

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
 * fmv_field_ctx
 *		"field \"f\" in model \"M\"", the name of a field in messages:
 *		formatted the first time a message or a check needs it, then kept.
 */
const char *
fmv_field_ctx(V *v, VField *vf)
{
	if (vf->ctx == NULL)
		vf->ctx = fm_psprintf(v->a, "field \"%s\" in model \"%s\"", vf->ast->name,
							  fmv_nz(vf->model->blk->name));
	return vf->ctx;
}

void
fmv_model_fields(V *v, VModel *vm)
{
	FmAstBlock *b = vm->blk;

	/* the lookup tables of the model, sized once */
	fm_hash_reserve(v->a, &vm->by_field, (size_t) b->fields.n);
	fm_hash_reserve(v->a, &vm->by_column, (size_t) b->fields.n);
	for (int i = 0; i < b->fields.n; i++)
	{
		FmAstField *f = fm_list_get(&b->fields, i, FmAstField);
		VField	   *vf;
		bool		dup = false;
		const char *tn;

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
		vf = fm_alloc(v->a, sizeof(VField));
		vf->ast = f;
		vf->model = vm;
		fm_list_append(v->a, &vm->fields, vf);
		fm_hash_put(v->a, &vm->by_field, f->name, vf);

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
		if (fmv_in_list(fmv_scalar_types, tn))
		{
			vf->kind = VF_SCALAR;
			vf->scalar = fmv_in_list(fmv_scalar_types, tn) ? tn : NULL;
			for (int k = 0; fmv_scalar_types[k]; k++)
				if (strcmp(fmv_scalar_types[k], tn) == 0)
					vf->scalar = fmv_scalar_types[k];
		}
		else if (strcmp(tn, "Unsupported") == 0)
		{
			FmAstArg   *a0 = f->type_args.n == 1 ? fm_list_get(&f->type_args, 0, FmAstArg) : NULL;

			if (a0 == NULL || a0->name || a0->value == NULL ||
				a0->value->kind != FM_VAL_STRING || !fmv_value_is_nul_free(a0->value) ||
				fmv_nz(a0->value->text)[0] == '\0')
			{
				ERR(f->type_pos, "Unsupported on %s needs the PostgreSQL type as one string argument, as in Unsupported(\"circle\")",
					fmv_field_ctx(v, vf));
				continue;
			}
			if (!fmv_sql_fragment_ok(v, a0->value->pos, "Unsupported", fmv_field_ctx(v, vf), a0->value->text))
				continue;
			vf->kind = VF_UNSUPPORTED;
		}
		else if (fmv_find_enum(v, tn))
		{
			vf->kind = VF_ENUM;
			vf->en = fmv_find_enum(v, tn);
		}
		else if (fmv_find_model(v, tn))
		{
			vf->kind = VF_RELATION;
			vf->r = fm_alloc(v->a, sizeof(VRel));
			vf->target = fmv_find_model(v, tn);
		}
		else
		{
			const char *hint;

			if (v->type_cands.n == 0)
			{
				for (int k = 0; k < v->models.n; k++)
					fm_list_append(v->a, &v->type_cands, fm_list_get(&v->models, k, VModel)->blk->name);
				for (int k = 0; k < v->enums.n; k++)
					fm_list_append(v->a, &v->type_cands, fm_list_get(&v->enums, k, VEnum)->blk->name);
				fm_list_append(v->a, &v->type_cands, "Unsupported");
			}
			hint = fmv_suggest(v, tn, fmv_scalar_types, &v->type_cands, NULL);
			if (*hint == '\0' && pg_type_hint(tn))
				hint = fm_psprintf(v->a, "; for the PostgreSQL type \"%s\" use %s",
								   tn, pg_type_hint(tn));
			if (strlen(tn) > FM_MAX_NAME_LEN)
				ERR(f->type_pos, "unknown type \"%s\" for %s", fmv_name_start(v, tn), fmv_field_ctx(v, vf));
			else
				ERR(f->type_pos, "unknown type \"%s\" for %s%s", tn, fmv_field_ctx(v, vf), hint);
			continue;
		}
		if (f->type_args.n > 0 && vf->kind != VF_UNSUPPORTED)
		{
			ERR(f->type_pos, "type \"%s\" of %s takes no arguments", tn, fmv_field_ctx(v, vf));
			vf->kind = VF_ERROR;
			continue;
		}
		if (f->list && vf->kind != VF_RELATION)
		{
			ERR(f->type_pos, "%s cannot be a list of \"%s\": only relation fields can be lists; use Unsupported(\"%s[]\") for an array column",
				fmv_field_ctx(v, vf), tn, vf->kind == VF_SCALAR ? fmv_default_sql_type(vf->scalar) : "type");
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
				colname = fmv_map_name_arg(v, map, fmv_field_ctx(v, vf), "@map", "column name", "column name");
			if (colname == NULL)
			{
				colname = fm_snake_case(v->a, f->name);
				/* the check, with the field named only when it fails */
				if (!map && (strlen(colname) > FM_MAX_IDENT_LEN || *colname == '\0'))
					fmv_check_ident_len_ctx(v, f->pos, "column name", colname,
											fmv_field_ctx(v, vf));
			}
			{
				VField	   *o = fm_hash_get(&vm->by_column, colname);

				if (o != NULL && o != vf)
					ERR(f->pos, "fields \"%s\" and \"%s\" of model \"%s\" both map to column \"%s\"; use @map to tell them apart",
						o->ast->name, f->name, fmv_nz(b->name), colname);
				else
					fm_hash_put(v->a, &vm->by_column, colname, vf);
			}
			col = fm_table_add_column(v->m, vm->table, colname);
			vf->col = col;
			col->pos = f->pos;
			col->field_name = fm_strdup(v->a, f->name);
			col->notnull = !f->optional;
			col->comment = FM_AST_COMMENTS(f)->doc ? fm_strdup(v->a, FM_AST_COMMENTS(f)->doc) : NULL;
			if (vf->kind == VF_SCALAR)
			{
				col->type.kind = FM_TYPE_BUILTIN;
				col->type.sql = fm_strdup(v->a, fmv_default_sql_type(vf->scalar));
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
				FmAstArg   *a0 = fm_list_get(&f->type_args, 0, FmAstArg);

				col->type.kind = FM_TYPE_UNSUPPORTED;
				col->type.sql = fm_strdup(v->a, a0->value->text);
			}
		}
	}
}

/* Attributes of one field, after all columns exist. */
void
fmv_field_attributes(V *v, VField *vf)
{
	FmAstField *f = vf->ast;
	const char *ctx;
	FmAstAttribute *seen_db = NULL;
	FmAstAttribute *dflt = NULL;
	FmHashEntry seen_slots[8];
	FmHashMap	seen;

	if (f->attrs.n == 0)
		return;					/* nothing to do, nor to name */
	ctx = fmv_field_ctx(v, vf);
	fm_hash_init_local(&seen, seen_slots, 8);

	for (int k = 0; k < f->attrs.n; k++)
	{
		FmAstAttribute *at = fm_list_get(&f->attrs, k, FmAstAttribute);
		bool		dup = false;
		bool		native;

		if (at == NULL || at->name == NULL)
			continue;
		native = strncmp(at->name, "db.", 3) == 0;
		if (at->block)
		{
			ERR(at->pos, "block attribute \"%s\" cannot be used on %s; put it on its own line in the model",
				fmv_attr_repr(v, at), ctx);
			continue;
		}
		if (!native && !fmv_in_list(field_attrs, at->name))
		{
			ERR(at->pos, "unknown attribute \"@%s\" on %s%s", at->name, ctx,
				fmv_suggest(v, at->name, field_attrs, NULL, "@"));
			continue;
		}
		dup = fm_hash_get(&seen, native ? "db." : at->name) != NULL;
		fm_hash_put(v->a, &seen, native ? "db." : at->name, at);
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
			if (strcmp(at->name, "relation") != 0)
				ERR(at->pos, "attribute \"@%s\" cannot be used on relation %s; put it on the scalar fields of the relation",
					at->name, ctx);
			else
				vf->r->rel = at;
			continue;
		}
		if (strcmp(at->name, "relation") == 0)
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
		if (strcmp(at->name, "id") == 0)
		{
			const char *const names[] = {"map", NULL};
			FmAstArg   *args[1];

			if (f->optional)
				ERR(at->pos, "@id cannot be used on optional %s; primary key columns are never null; remove the \"?\"",
					ctx);
			vf->is_id = true;
			if (fmv_bind_args(v, at, ctx, names, false, args) && args[0])
			{
				char	   *s = fmv_string_arg(v, at, args[0], "map", ctx);

				if (s && check_ident_len(v, args[0]->value->pos, "primary key name", s))
					vf->model->pk_map = s;
			}
		}
		else if (strcmp(at->name, "unique") == 0)
		{
			const char *const names[] = {"map", NULL};
			FmAstArg   *args[1];
			char	   *s = NULL;
			FmKey	   *key;

			if (fmv_bind_args(v, at, ctx, names, false, args) && args[0])
			{
				s = fmv_string_arg(v, at, args[0], "map", ctx);
				if (s && !check_ident_len(v, args[0]->value->pos, "unique constraint name", s))
					s = NULL;
			}
			key = fm_alloc(v->a, sizeof(FmKey));
			key->pos = at->pos;
			fm_list_append(v->a, &key->columns, vf->col->name);
			fm_list_append(v->a, &vf->model->table->uniques, key);
			fm_list_append(v->a, &vf->model->key_maps, s);
		}
		else if (strcmp(at->name, "default") == 0)
			dflt = at;
		else if (strcmp(at->name, "updatedAt") == 0)
		{
			fmv_no_args(v, at, ctx);
			if (vf->kind != VF_SCALAR || strcmp(vf->scalar, "DateTime") != 0)
				ERR(at->pos, "@updatedAt cannot be used on %s of type \"%s\"; it needs a DateTime field",
					ctx, fmv_nz(f->type_name));
			else
				vf->col->updated_at = true;
		}
		/* map: handled with the column */
	}
	if (vf->kind == VF_ERROR || vf->kind == VF_RELATION)
		return;
	if (seen_db)
		fmv_apply_native_type(v, vf, seen_db, ctx);
	if (dflt)
	{
		if (vf->col->updated_at)
			ERR(dflt->pos, "%s cannot have both @default and @updatedAt", ctx);
		else
			fmv_apply_default(v, vf, dflt, ctx);
	}
}

/* ---------- block attributes ---------- */

/*
 * Resolve a list of field references ([a, b(sort: Desc)]) into index
 * elements.  allow_sort: only @@index accepts sort:.  Returns false when
 * anything is wrong (reported).
 */
static bool
resolve_field_list(V *v, VModel *vm, FmAstAttribute *at, FmAstValue *val,
				   bool allow_sort, FmList *elems, FmList *vfields)
{
	char	   *what = fm_psprintf(v->a, "%s of model \"%s\"", fmv_attr_repr(v, at), fmv_nz(vm->blk->name));
	bool		ok = true;
	FmHashMap		listed = {0};

	if (val->kind != FM_VAL_ARRAY)
	{
		ERR(val->pos, "the fields of %s must be a list, as in [a, b]", what);
		return false;
	}
	if (val->items.n == 0)
	{
		ERR(val->pos, "%s needs at least one field", what);
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
			ERR(it->pos, "%s in %s is not a field name", fmv_value_repr(v, it), what);
			ok = false;
			continue;
		}
		fname = fmv_nz(it->text);
		vf = fmv_find_field(vm, fname);
		if (vf == NULL)
		{
			ERR(it->pos, "unknown field \"%s\" in %s%s", fname, what,
				fmv_suggest(v, fname, NULL, fmv_field_names(v, vm, false), NULL));
			ok = false;
			continue;
		}
		if (vf->kind == VF_RELATION)
		{
			ERR(it->pos, "field \"%s\" in %s is a relation field; list its scalar fields instead",
				fname, what);
			ok = false;
			continue;
		}
		if (vf->col == NULL)
		{
			ok = false;
			continue;
		}
		if (fm_hash_get(&listed, fname))
		{
			ERR(it->pos, "field \"%s\" is listed twice in %s", fname, what);
			ok = false;
		}
		fm_hash_put(v->a, &listed, fname, vf);
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
					"sort order of field \"%s\" in %s must be Asc or Desc", fname, what);
				ok = false;
			}
			else if (fm_streq(arg->name, "sort"))
			{
				ERR(arg->pos, "sort order of field \"%s\" in %s is not supported; PostgreSQL constraints have no sort order, use @@index for that",
					fname, what);
				ok = false;
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
					fm_split_qualified_name(v->a, ov->text, 2, &parts) : "a NUL character";

				if (bad)
				{
					ERR(ov->pos, "operator class \"%s\" of field \"%s\" in %s is not a name: it has %s; write raw(\"name\") or raw(\"schema.name\")",
						fmv_nz(ov->text), fname, what, bad);
					ok = false;
				}
				else
				{
					el->opclass_schema = parts.n == 2 ? fm_list_get(&parts, 0, char) : NULL;
					el->opclass = fm_list_get(&parts, parts.n - 1, char);
				}
			}
			else
			{
				ERR(arg->pos, "unknown argument \"%s\" for field \"%s\" in %s%s",
					fmv_nz(arg->name), fname, what,
					allow_sort ? "; use sort: Asc|Desc or ops: raw(\"opclass\")" : "");
				ok = false;
			}
		}
		fm_list_append(v->a, elems, el);
		fm_list_append(v->a, vfields, vf);
	}
	return ok;
}

static const char *const block_attrs[] = {
	"id", "unique", "index", "map", "schema", "check", NULL
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
	const char *const names[] = {"fields", "map", "name", NULL};
	FmAstArg   *args[3];
	FmList		elems = {0},
				vfields = {0};
	char	   *map = NULL;
	FmKey	   *key;
	bool		is_id = strcmp(at->name, "id") == 0;

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
	if (args[2] && args[2]->value && args[2]->value->kind != FM_VAL_STRING)
		ERR(args[2]->value->pos, "argument \"name\" of %s in %s must be a string",
			fmv_attr_repr(v, at), ctx);
	if (!resolve_field_list(v, vm, at, args[0]->value, false, &elems, &vfields))
		return;
	if (is_id)
	{
		*block_id = at;
		if (id_field)
		{
			ERR(at->pos, "model \"%s\" has both @id on field \"%s\" and @@id; keep only one",
				fmv_nz(b->name), id_field->ast->name);
			return;
		}
		for (int k = 0; k < vfields.n; k++)
		{
			VField	   *vf = fm_list_get(&vfields, k, VField);

			if (vf->ast->optional)
				ERR(at->pos, "field \"%s\" in @@id of model \"%s\" is optional; primary key columns are never null",
					vf->ast->name, fmv_nz(b->name));
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
		fm_list_append(v->a, &vm->table->uniques, key);
		fm_list_append(v->a, &vm->key_maps, map);
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
	ix->method = fm_strdup(v->a, "btree");
	if (args[4])
	{
		ERR(args[4]->pos, "argument \"name\" of @@index in %s is not supported; use map: to name the index",
			ctx);
		ok = false;
	}
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
			char	   *m = fm_strdup(v->a, tv->text);

			for (char *p = m; *p; p++)
				*p = (char) tolower((unsigned char) *p);
			ix->method = m;
		}
	}
	if (args[3])
	{
		char	   *w = fmv_string_arg(v, at, args[3], "where", ctx);

		if (w && *w == '\0')
			ERR(args[3]->value->pos, "argument \"where\" of @@index in %s must not be empty", ctx);
		else if (w == NULL || !fmv_sql_fragment_ok(v, args[3]->value->pos, "where", ctx, w))
			ok = false;
		else if (!fm_streq(fm_normalize_expr(v->a, w), "true"))
			ix->predicate = fm_strdup(v->a, w);
		/* else WHERE true: PostgreSQL stores no predicate, nor do we */
	}
	if (!resolve_field_list(v, vm, at, args[0]->value, true, &ix->elems, &vfields))
		return;
	if (strcmp(ix->method, "btree") != 0)
	{
		for (int k = 0; k < ix->elems.n; k++)
			if (fm_list_get(&ix->elems, k, FmIndexElem)->sort != FM_SORT_DEFAULT)
			{
				ERR(at->pos, "@@index of type %s in %s cannot have a sort order; only BTree indexes are ordered",
					args[2]->value->text, ctx);
				ok = false;
				break;
			}
		if (strcmp(ix->method, "hash") == 0 && ix->elems.n > 1)
		{
			ERR(at->pos, "@@index of type Hash in %s can have only one field", ctx);
			ok = false;
		}
	}
	if (!ok)
		return;
	fm_list_append(v->a, &vm->table->indexes, ix);
	fm_list_append(v->a, &vm->index_maps, map);

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
	ck->expr = fm_strdup(v->a, expr);
	ck->pos = at->pos;
	fm_list_append(v->a, &vm->table->checks, ck);
	fm_list_append(v->a, &vm->check_maps, map);

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
	if (vm->table->primary_key == NULL)
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
				VField	   *c = fm_hash_get(&vm->by_column, fm_list_get(&k->columns, j, char));

				if (c == NULL || c->col == NULL || !c->col->notnull)
					allreq = false;
			}
			found = allreq;
		}
		if (!found && !block_id && !id_field)
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
	char	   *ctx = fm_psprintf(v->a, "model \"%s\"", fmv_nz(b->name));
	VField	   *id_field = NULL;
	FmAstAttribute *block_id = NULL;
	FmHashMap		seen = {0};

	/* @id fields */
	for (int i = 0; i < vm->fields.n; i++)
	{
		VField	   *vf = fm_list_get(&vm->fields, i, VField);

		if (!vf->is_id)
			continue;
		if (id_field)
		{
			ERR(vf->ast->pos, "model \"%s\" has more than one @id field (\"%s\" and \"%s\"); use @@id([%s, %s]) for a composite primary key",
				fmv_nz(b->name), id_field->ast->name, vf->ast->name,
				id_field->ast->name, vf->ast->name);
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
		if (!fmv_in_list(block_attrs, at->name))
		{
			ERR(at->pos, "unknown attribute \"@@%s\" in %s%s", at->name, ctx,
				fmv_suggest(v, at->name, block_attrs, NULL, "@@"));
			continue;
		}
		if (strcmp(at->name, "id") == 0 || strcmp(at->name, "map") == 0 ||
			strcmp(at->name, "schema") == 0)
		{
			dup = fm_hash_get(&seen, at->name) != NULL;
			fm_hash_put(v->a, &seen, at->name, at);
			if (dup)
			{
				ERR(at->pos, "attribute \"@@%s\" is given twice in %s", at->name, ctx);
				continue;
			}
		}
		if (strcmp(at->name, "map") == 0 || strcmp(at->name, "schema") == 0)
			continue;			/* handled with the table */

		if (strcmp(at->name, "id") == 0 || strcmp(at->name, "unique") == 0)
			block_key(v, vm, at, ctx, id_field, &block_id);
		else if (strcmp(at->name, "index") == 0)
			block_index(v, vm, at, ctx);
		else if (strcmp(at->name, "check") == 0)
			block_check(v, vm, at, ctx);
	}

	if (id_field && id_field->col)
	{
		FmKey	   *key = fm_alloc(v->a, sizeof(FmKey));

		key->pos = id_field->ast->pos;
		fm_list_append(v->a, &key->columns, id_field->col->name);
		vm->table->primary_key = key;
	}
	require_key(v, vm, id_field, block_id);
}
