/*-------------------------------------------------------------------------
 *
 * validate_block.c
 *	  Validation of a model's block attributes (@@id, @@unique, @@index,
 *	  @@check, @@map, ...) with the field lists they name (sort orders,
 *	  lengths, operator classes), and the key every model needs (an @id,
 *	  @@id or a usable unique criterion, else @@ignore).  The table and
 *	  its fields are validated first (validate_model.c).
 *
 * src/core/validate_block.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"
#include "fm_renamed.h"

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
 *
 * elems (a list of the model, empty) gets an array of exactly the length
 * of the list.  vfields, the VFields of the elements, is the caller's:
 * an empty list whose array (often on the caller's stack) has room for
 * vfields->cap items, or for none; it is only filled here, never grown by
 * fm_list_append, so that no stack array is given to the arena to recycle.
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
	/* one array each, of the most items they get: no list grows */
	fm_list_reserve(v->a, elems, val->items.n);
	if (vfields->cap < val->items.n)
	{
		vfields->items = fm_alloc(v->t, sizeof(void *) * (size_t) val->items.n);
		vfields->cap = val->items.n;
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
		vfields->items[vfields->n++] = vf;	/* room made above */
	}
	return ok;
}

#undef WHAT

static const char *const block_attrs[] = {
	"id", "unique", "index", "map", "schema", "check", "ignore", "unlogged",
	"storage", "exclude", "partitionBy", "partitionOf", "inherits", NULL
};

/* the index of each name in block_attrs */
typedef enum BlockAttr
{
	BA_ID, BA_UNIQUE, BA_INDEX, BA_MAP, BA_SCHEMA, BA_CHECK, BA_IGNORE,
	BA_UNLOGGED, BA_STORAGE, BA_EXCLUDE, BA_PARTITION_BY, BA_PARTITION_OF,
	BA_INHERITS, BA_NONE
} BlockAttr;

/*
 * The block attribute name is (its index in block_attrs), or BA_NONE:
 * classified once per attribute, so that the checks that follow compare
 * the kind, not the name.
 */
static BlockAttr
block_attr_kind(const char *name)
{
	for (int k = 0; block_attrs[k] != NULL; k++)
		if (fm_streq(name, block_attrs[k]))
			return (BlockAttr) k;
	return BA_NONE;
}

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
	void	   *vf_local[8];
	FmList		elems = {0},
				vfields = {vf_local, 0, 8};	/* see resolve_field_list */
	char	   *map = NULL;
	FmKey	   *key;
	bool		is_id = fm_streq(at->name, "id");

	if (!fmv_bind_args(v, at, FMV_CTX_TEXT(ctx), names, true, args))
		return;
	if (args[0] == NULL)
	{
		ERR(at->pos, "%s in %s needs a list of fields, as in %s([a, b])",
			fmv_attr_repr(v, at), ctx, fmv_attr_repr(v, at));
		return;
	}
	if (args[1])
	{
		map = fmv_string_arg(v, at, args[1], "map", FMV_CTX_TEXT(ctx));
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
	fm_list_reserve(v->a, &key->columns, elems.n);
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
	void	   *vf_local[8];
	FmList		vfields = {vf_local, 0, 8};	/* see resolve_field_list */
	FmIndex    *ix;
	char	   *map = NULL;
	static const char *const types[] = {
		"BTree", "Hash", "Gin", "Gist", "SpGist", "Brin", NULL
	};
	bool		ok = true;

	if (!fmv_bind_args(v, at, FMV_CTX_TEXT(ctx), names, true, args))
		return;
	if (args[0] == NULL)
	{
		ERR(at->pos, "@@index in %s needs a list of fields, as in @@index([a, b])", ctx);
		return;
	}
	ix = fm_alloc(v->a, sizeof(FmIndex));
	ix->pos = at->pos;
	ix->method = "btree";	/* shared: no string of the model is changed in place */
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
		map = fmv_string_arg(v, at, args[1], "map", FMV_CTX_TEXT(ctx));
		if (map && !check_ident_len(v, args[1]->value->pos, "index name", map))
			map = NULL;
	}
	if (args[2] && args[2]->value)
	{
		const char *m = fmv_index_method(v, v->t, args[2]->value, types,
										 "@@index of ", ctx,
										 "BTree, Hash, Gin, Gist, SpGist, Brin");

		if (m == NULL)
			ok = false;
		else
			ix->method = (char *) m;
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

	if (!fmv_bind_args(v, at, FMV_CTX_TEXT(ctx), names, true, args))
		return;
	if (args[0] == NULL)
	{
		ERR(at->pos, "@@check in %s needs the SQL expression, as in @@check(\"price > 0\")", ctx);
		return;
	}
	expr = fmv_string_arg(v, at, args[0], "expr", FMV_CTX_TEXT(ctx));
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
		map = fmv_string_arg(v, at, args[1], "map", FMV_CTX_TEXT(ctx));
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
	char		ctx_buf[FM_MAX_NAME_LEN + 16];
	const char *ctx = fmv_block_ctx_buf(v, "model", b->name, ctx_buf, sizeof(ctx_buf));
	VField	   *id_field = NULL;
	FmAstAttribute *block_id = NULL;
	uint32_t	seen = 0;		/* bit 1 << kind: the attributes met */
	bool		ignored = false;
	bool		lineage = false;	/* @@partitionOf, @@inherits or @@partitionBy */

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
		BlockAttr	kind;
		bool		twice;

		if (at == NULL || at->name == NULL)
			continue;
		kind = block_attr_kind(at->name);
		/* another connector's attribute (none is in block_attrs), or unknown */
		if (kind == BA_NONE)
		{
			if (fmv_foreign_attr(at))
				ERR(at->pos, "attribute \"@@%s\" in %s belongs to Prisma's %s; PostgreSQL has no such attribute",
					at->name, ctx, fmv_foreign_attr(at));
			else
				ERR(at->pos, "unknown attribute \"@@%s\" in %s%s", at->name, ctx,
					fmv_suggest(v, at->name, block_attrs, NULL, "@@"));
			continue;
		}
		twice = (seen & (UINT32_C(1) << kind)) != 0;
		seen |= UINT32_C(1) << kind;
		if (kind == BA_PARTITION_BY || kind == BA_PARTITION_OF || kind == BA_INHERITS)
		{
			lineage = true;
			if (fmv_table_option_attr(v, vm, at, ctx, twice))	/* validate_partition.c */
				continue;
		}
		/* the others are no table options */
		if ((kind == BA_UNLOGGED || kind == BA_STORAGE) &&
			fmv_table_option_attr(v, vm, at, ctx, twice))
			continue;
		if (kind == BA_ID || kind == BA_MAP || kind == BA_SCHEMA || kind == BA_IGNORE)
		{
			dup = twice;
			if (dup)
			{
				ERR(at->pos, "attribute \"@@%s\" is given twice in %s", at->name, ctx);
				continue;
			}
		}
		if (kind == BA_IGNORE)
		{
			/*
			 * client side only: the model may lack a key, as in Prisma, and
			 * plans manage its table like any other.
			 */
			fmv_no_args(v, at, FMV_CTX_TEXT(ctx));
			ignored = true;
			vm->table->ignored = true;
			continue;
		}
		if (kind == BA_MAP || kind == BA_SCHEMA)
			continue;			/* handled with the table */

		if (!fmv_view_attr(v, vm, NULL, at, NULL))
			continue;
		if (kind == BA_ID || kind == BA_UNIQUE)
			block_key(v, vm, at, ctx, id_field, &block_id);
		else if (kind == BA_INDEX)
			block_index(v, vm, at, ctx);
		else if (kind == BA_CHECK)
			block_check(v, vm, at, ctx);
		else if (kind == BA_EXCLUDE)
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
	/*
	 * A partition or an inheriting table (@@partitionOf, @@inherits: keys
	 * are the parent's business) needs no key of its own, nor does a
	 * partitioned table (@@partitionBy: PostgreSQL refuses a key that does
	 * not cover an expression key, so such tables often have none).
	 */
	if (!vm->is_view && !ignored && !lineage)
		require_key(v, vm, id_field, block_id);
}
