/*-------------------------------------------------------------------------
 *
 * validate_relation.c
 *	  Relations: pairing the relation fields of two models, checking
 *	  @relation(name, fields, references, onDelete, onUpdate, map), making
 *	  the foreign keys, and the join tables of implicit many-to-many
 *	  relations.
 *
 * src/core/validate_relation.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"


static const char *const fk_actions[] = {
	"Cascade", "Restrict", "NoAction", "SetNull", "SetDefault", NULL
};

/* ---------- relations ---------- */

/* 'relation field "f" in model "M"' for messages: formatted on first use, then kept */
char *
fmv_rel_ctx(V *v, VField *vf)
{
	char	   *ctx = vf->r ? vf->r->ctx : NULL;

	if (ctx == NULL)
		ctx = fm_concat(v->t, "relation field \"", vf->name,
						"\" in model \"", fmv_nz(vf->model->blk->name), "\"");
	if (vf->r)
		vf->r->ctx = ctx;
	return ctx;
}

/*
 * relation_args
 *		Bind the arguments of relation field vf's @relation (name, fields,
 *		references, onDelete, onUpdate, map) into vf->r for the later
 *		passes; unknown or repeated arguments and a name that is not a
 *		string are reported.
 */
static void
relation_args(V *v, VField *vf)
{
	const char *const names[] = {"name", "fields", "references", "onDelete", "onUpdate", "map", NULL};
	FmAstArg   *args[6];
	FmvCtx		rc = FMV_CTX_FIELD(vf, true);

	if (vf->r->rel == NULL)
		return;
	(void) fmv_bind_args(v, vf->r->rel, &rc, names, true, args);
	if (args[0] && args[0]->value)
	{
		if (args[0]->value->kind != FM_VAL_STRING || !fmv_value_is_nul_free(args[0]->value))
			ERR(args[0]->value->pos, "the relation name of %s must be a string, as in @relation(\"name\")", fmv_ctx(v, &rc));
		else if (args[0]->value->text[0] == '\0')
			ERR(args[0]->value->pos, "the relation name of %s must not be empty, as in Prisma", fmv_ctx(v, &rc));
		else
			vf->r->rel_name = args[0]->value->text;
	}
	vf->r->a_fields = args[1];
	vf->r->a_refs = args[2];
	vf->r->a_delete = args[3];
	vf->r->a_update = args[4];
	vf->r->a_map = args[5];
}

static bool
same_type(const FmType *a, const FmType *b)
{
	return a->kind == b->kind && fm_streq(a->sql, b->sql) &&
		fm_streq(a->enum_name, b->enum_name) && fm_streq(a->enum_schema, b->enum_schema);
}

/*
 * Scalar field fk can reference scalar field key: the same enum or
 * Unsupported type, or the same scalar type (as Prisma requires) with
 * native types that PostgreSQL can compare in a foreign key
 * (fm_fk_types_compatible: typmods never matter, and String @db.VarChar(100)
 * may reference a String id, as real schemas do).  Prisma checks only the
 * scalar type, so it also lets String reference String @db.Uuid, which
 * PostgreSQL refuses.  Under relationMode = "prisma" no foreign key is
 * made, so the scalar type is all that counts, as in Prisma (sealos' text
 * fields reference uuid ids).
 */
static bool
fk_type_ok(V *v, const VField *key, const VField *fk)
{
	const FmType *kt = &key->col->type;
	const FmType *ft = &fk->col->type;

	if (kt->kind == FM_TYPE_BUILTIN && ft->kind == FM_TYPE_BUILTIN &&
		key->kind == VF_SCALAR && fk->kind == VF_SCALAR)
		return fm_streq(key->scalar, fk->scalar) &&
			(v->no_fks || fm_fk_types_compatible(v->t, kt->sql, ft->sql));
	return same_type(kt, ft);
}

/*
 * Resolve fields: / references: of a relation into scalar VFields of vm.
 * out is the caller's: an empty list whose array (often on the caller's
 * stack) has room for out->cap items, or for none; it is only filled here,
 * never grown by fm_list_append, so that no stack array is given to the
 * arena to recycle.
 */
static bool
resolve_ref_list(V *v, VField *rf, VModel *vm, FmAstArg *arg, const char *which,
				 FmList *out)
{
	FmvCtx		rc = FMV_CTX_FIELD(rf, true);
	FmAstValue *val = arg->value;
	bool		ok = true;
	FmvSeen		listed;

	fmv_seen_init(&listed);
	if (val == NULL)
		return false;
	if (val->kind == FM_VAL_IDENT)
	{
		ERR(val->pos, "\"%s\" of %s must be a list, as in %s: [%s]",
			which, fmv_ctx(v, &rc), which, fmv_nz(val->text));
		return false;
	}
	if (val->kind != FM_VAL_ARRAY)
	{
		ERR(val->pos, "\"%s\" of %s must be a list of field names", which, fmv_ctx(v, &rc));
		return false;
	}
	if (val->items.n == 0)
	{
		ERR(val->pos, "\"%s\" of %s must name at least one field", which, fmv_ctx(v, &rc));
		return false;
	}
	if (out->cap < val->items.n)
	{
		out->items = fm_alloc(v->t, sizeof(void *) * (size_t) val->items.n);
		out->cap = val->items.n;
	}
	for (int i = 0; i < val->items.n; i++)
	{
		FmAstValue *it = fm_list_get(&val->items, i, FmAstValue);
		VField	   *f;

		if (it == NULL)
			continue;
		if (it->kind != FM_VAL_IDENT)
		{
			ERR(it->pos, "\"%s\" of %s must be a list of field names; %s is not one",
				which, fmv_ctx(v, &rc), fmv_value_repr(v, it));
			ok = false;
			continue;
		}
		f = fmv_find_field(vm, it->text);
		if (f == NULL)
		{
			ERR(it->pos, "unknown field \"%s\" in \"%s\" of %s: model \"%s\" has no such field%s",
				fmv_nz(it->text), which, fmv_ctx(v, &rc), fmv_nz(vm->blk->name),
				fmv_suggest(v, it->text, NULL, fmv_field_names(v, vm, true), NULL));
			ok = false;
			continue;
		}
		if (f->kind == VF_RELATION)
		{
			ERR(it->pos, "\"%s\" of %s must name scalar fields, and \"%s\" is a relation field",
				which, fmv_ctx(v, &rc), fmv_nz(it->text));
			ok = false;
			continue;
		}
		if (f->col == NULL)
		{
			ok = false;
			continue;
		}
		if (fmv_seen(v, &listed, it->text))
		{
			ERR(it->pos, "field \"%s\" is listed twice in \"%s\" of %s", fmv_nz(it->text), which, fmv_ctx(v, &rc));
			ok = false;
		}
		out->items[out->n++] = f;	/* room made above */
	}
	return ok;
}

static int
cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* a column set as one string: the names sorted, joined with \x01 */
static char *
column_set_signature(V *v, FmList *names)
{
	FmList		sorted = {0};
	FmBuf		buf;

	for (int i = 0; i < names->n; i++)
		fm_list_append(v->t, &sorted, names->items[i]);
	fm_list_sort(&sorted, cmp_str_ptr);
	fm_buf_init(&buf, v->t);
	for (int i = 0; i < sorted.n; i++)
	{
		if (i > 0)
			fm_buf_append_char(&buf, '\x01');
		fm_buf_append(&buf, fm_list_get(&sorted, i, char));
	}
	return fm_buf_finish(&buf);
}

/* is the set of columns of vfields the primary key or a unique key of vm? */
static bool
is_unique_set(V *v, VModel *vm, FmList *vfields)
{
	FmTable    *t = vm->table;
	FmList		cols = {0};
	const char *one = vfields->n == 1 ?
		fm_list_get(vfields, 0, VField)->col->name : NULL;

	/*
	 * One column (most references: an id): its signature is its name, which
	 * only a key of that one column (or of none, for "") has, unless the
	 * name holds the separator
	 */
	if (one != NULL && strchr(one, '\x01') == NULL)
	{
		for (int i = -1; i < t->uniques.n; i++)
		{
			FmKey	   *k = i < 0 ? t->primary_key : fm_list_get(&t->uniques, i, FmKey);

			if (k && (k->columns.n == 1 ?
					  fm_streq(fm_list_get(&k->columns, 0, char), one) :
					  k->columns.n == 0 && one[0] == '\0'))
				return true;
		}
		return false;
	}
	if (vm->key_sigs.cap == 0)
	{
		for (int i = -1; i < t->uniques.n; i++)
		{
			FmKey	   *k = i < 0 ? t->primary_key : fm_list_get(&t->uniques, i, FmKey);

			if (k)
				fm_hash_put(v->w, &vm->key_sigs, column_set_signature(v, &k->columns), k);
		}
		if (vm->key_sigs.cap == 0)
			return false;
	}
	for (int j = 0; j < vfields->n; j++)
		fm_list_append(v->t, &cols, fm_list_get(vfields, j, VField)->col->name);
	return fm_hash_get(&vm->key_sigs, column_set_signature(v, &cols)) != NULL;
}

/*
 * Are the columns of vfields, in this order, the primary key or a unique
 * key of vm?  Prisma's test for the fields of a one-to-one relation: the
 * same columns in another order are not unique to it.
 */
static bool
is_unique_list(VModel *vm, FmList *vfields)
{
	FmTable    *t = vm->table;

	for (int i = -1; i < t->uniques.n; i++)
	{
		FmKey	   *k = i < 0 ? t->primary_key : fm_list_get(&t->uniques, i, FmKey);
		bool		same = k != NULL && k->columns.n == vfields->n;

		for (int j = 0; same && j < vfields->n; j++)
			same = fm_streq(fm_list_get(&k->columns, j, char),
							fm_list_get(vfields, j, VField)->col->name);
		if (same)
			return true;
	}
	return false;
}

/*
 * fk_action
 *		The referential action named by argument arg (onDelete or onUpdate,
 *		which) into *out; false after reporting an unknown one, with a
 *		suggestion when it is close to a known name.
 */
static bool
fk_action(V *v, VField *rf, FmAstArg *arg, const char *which, FmFkAction *out)
{
	static const FmFkAction acts[] = {
		FM_FK_CASCADE, FM_FK_RESTRICT, FM_FK_NO_ACTION, FM_FK_SET_NULL, FM_FK_SET_DEFAULT
	};
	FmAstValue *val = arg->value;

	if (val && val->kind == FM_VAL_IDENT)
		for (int i = 0; fk_actions[i]; i++)
			if (fm_streq(fk_actions[i], val->text))
			{
				*out = acts[i];
				return true;
			}
	ERR(val ? val->pos : arg->pos,
		"unknown referential action %s for %s of %s; use Cascade, Restrict, NoAction, SetNull or SetDefault%s",
		fm_psprintf(v->t, "\"%s\"", fmv_value_repr(v, val)), which, fmv_rel_ctx(v, rf),
		val && val->kind == FM_VAL_IDENT ? fmv_suggest(v, val->text, fk_actions, NULL, NULL) : "");
	return false;
}

/* true when an index, the primary key or a unique of t starts with cols */
static bool
fields_indexed(const FmTable *t, const FmList *cols)
{
	for (int i = -1; i < t->uniques.n + t->indexes.n; i++)
	{
		const FmKey *k = NULL;
		const FmIndex *ix = NULL;
		int			n;
		bool		match = true;

		if (i < 0)
			k = t->primary_key;
		else if (i < t->uniques.n)
			k = fm_list_get(&t->uniques, i, FmKey);
		else
			ix = fm_list_get(&t->indexes, i - t->uniques.n, FmIndex);
		if (k == NULL && ix == NULL)
			continue;
		n = k ? k->columns.n : ix->elems.n;
		if (n < cols->n)
			continue;
		for (int c = 0; c < cols->n && match; c++)
		{
			const char *have = k ? fm_list_get(&k->columns, c, char) :
				fm_list_get(&ix->elems, c, FmIndexElem)->column;

			match = fm_streq(have, fm_list_get(cols, c, char));
		}
		if (match)
			return true;
	}
	return false;
}

/* "a, b": the names of a list of VField *, for messages */
static char *
field_list(V *v, const FmList *fields)
{
	FmBuf		buf;

	fm_buf_init(&buf, v->t);
	for (int i = 0; i < fields->n; i++)
		fm_buf_printf(&buf, "%s%s", i ? ", " : "", fm_list_get(fields, i, VField)->name);
	return buf.data ? buf.data : "";
}

/*
 * make_foreign_key
 *		The side rf of a relation that has fields/references: checks them
 *		(same count, same types, references a key of the target, optional
 *		fields under an optional relation field, unique fields for a
 *		one-to-one), the referential actions (Prisma's defaults: RESTRICT
 *		when any field is required, else SET NULL; ON UPDATE CASCADE) and
 *		the name (map:), and adds the foreign key to the table.  No foreign
 *		key is made when either side is a view, nor under relationMode =
 *		"prisma" (then a warning when no index covers the fields).
 */
static void
make_foreign_key(V *v, VField *rf, VField *other, bool one_to_one)
{
	FmvCtx		rc = FMV_CTX_FIELD(rf, true);
	VModel	   *vm = rf->model;
	VModel	   *tm = rf->target;
	void	   *fields_local[4],
			   *refs_local[4];
	FmList		fields = {fields_local, 0, 4},	/* see resolve_ref_list */
				refs = {refs_local, 0, 4};
	bool		ok = true;
	FmForeignKey *fk;
	char	   *map = NULL;
	bool		any_optional = false;

	if (rf->r->a_fields == NULL || rf->r->a_refs == NULL)
	{
		ERR(rf->r->rel->pos, "%s has \"%s\" but no \"%s\"; give both", fmv_ctx(v, &rc),
			rf->r->a_fields ? "fields" : "references", rf->r->a_fields ? "references" : "fields");
		return;
	}
	ok &= resolve_ref_list(v, rf, vm, rf->r->a_fields, "fields", &fields);
	ok &= resolve_ref_list(v, rf, tm, rf->r->a_refs, "references", &refs);
	if (!ok)
		return;
	if (fields.n != refs.n)
	{
		ERR(rf->r->a_refs->pos, "%s lists %d field%s in \"fields\" but %d in \"references\"; they must match one to one",
			fmv_ctx(v, &rc), fields.n, fields.n == 1 ? "" : "s", refs.n);
		return;
	}
	for (int i = 0; i < fields.n; i++)
	{
		VField	   *a = fm_list_get(&fields, i, VField);
		VField	   *b = fm_list_get(&refs, i, VField);

		if (!fk_type_ok(v, b, a))
		{
			ERR(rf->r->a_fields->pos, "%s: field \"%s\" (%s) cannot reference field \"%s\" (%s) of model \"%s\" because their types differ",
				fmv_ctx(v, &rc), a->name, fmv_nz(a->col->type.sql),
				b->name, fmv_nz(b->col->type.sql), fmv_nz(tm->blk->name));
			ok = false;
		}
		if (!a->col->notnull)
			any_optional = true;
	}
	if (!ok)
		return;
	if (!is_unique_set(v, tm, &refs))
	{
		ERR(rf->r->a_refs->pos, "the \"references\" of %s must be the @id or an @unique of model \"%s\" (or its @@id or an @@unique)",
			fmv_ctx(v, &rc), fmv_nz(tm->blk->name));
		return;
	}
	if (any_optional && !rf->optional)
	{
		ERR(rf->r->type_pos, "%s must be optional (\"%s?\") because its \"fields\" are optional",
			fmv_ctx(v, &rc), fmv_nz(rf->target->blk->name));
		return;
	}
	if (one_to_one && !(v->dl->kind == FM_DIALECT_PRISMA ?
						is_unique_list(vm, &fields) :
						is_unique_set(v, vm, &fields)))
	{
		ERR(rf->r->a_fields->pos, "the \"fields\" of one-to-one %s must be unique; add @unique to the field or @@unique([%s]) to the model, or make \"%s\" in model \"%s\" a list for a one-to-many relation",
			fmv_ctx(v, &rc), field_list(v, &fields), other->name, fmv_nz(other->model->blk->name));
		return;
	}

	fk = fm_alloc(v->a, sizeof(FmForeignKey));
	fk->pos = rf->r->rel->pos;
	fk->ref_schema = tm->table->schema;
	fk->ref_table = tm->table->name;
	fm_list_reserve(v->a, &fk->columns, fields.n);
	fm_list_reserve(v->a, &fk->ref_columns, fields.n);
	for (int i = 0; i < fields.n; i++)
	{
		fm_list_append(v->a, &fk->columns, fm_list_get(&fields, i, VField)->col->name);
		fm_list_append(v->a, &fk->ref_columns, fm_list_get(&refs, i, VField)->col->name);
	}
	/*
	 * Prisma's default: RESTRICT when any of the fields is required (even
	 * under an optional relation field), else SET NULL.
	 */
	fk->on_delete = FM_FK_SET_NULL;
	for (int i = 0; i < fields.n; i++)
		if (fm_list_get(&fields, i, VField)->col->notnull)
			fk->on_delete = FM_FK_RESTRICT;
	fk->on_update = FM_FK_CASCADE;
	if (rf->r->a_delete && !fk_action(v, rf, rf->r->a_delete, "onDelete", &fk->on_delete))
		ok = false;
	if (rf->r->a_update && !fk_action(v, rf, rf->r->a_update, "onUpdate", &fk->on_update))
		ok = false;
	for (int pass = 0; v->no_fks && v->dl->kind == FM_DIALECT_PRISMA && pass < 2; pass++)
	{
		/* Prisma emulates only these three without foreign keys */
		FmFkAction	act = pass == 0 ? fk->on_delete : fk->on_update;
		FmAstArg   *arg = pass == 0 ? rf->r->a_delete : rf->r->a_update;

		if (arg != NULL && (act == FM_FK_NO_ACTION || act == FM_FK_SET_DEFAULT))
		{
			ERR(arg->value->pos, "%s: %s on %s is not available with relationMode = \"prisma\", which has no foreign keys, as in Prisma; use Cascade, Restrict or SetNull",
				pass == 0 ? "onDelete" : "onUpdate",
				act == FM_FK_NO_ACTION ? "NoAction" : "SetDefault", fmv_ctx(v, &rc));
			ok = false;
		}
	}
	for (int pass = 0; pass < 2; pass++)
	{
		FmFkAction	act = pass == 0 ? fk->on_delete : fk->on_update;
		FmAstArg   *arg = pass == 0 ? rf->r->a_delete : rf->r->a_update;

		if (act != FM_FK_SET_NULL)
			continue;
		for (int i = 0; i < fields.n; i++)
		{
			VField	   *a = fm_list_get(&fields, i, VField);

			if (!a->col->notnull)
				continue;
			/*
			 * Prisma accepts it over foreign keys (with a warning) and
			 * writes SET NULL on the NOT NULL column: the action then fails
			 * when it fires.  With relationMode = "prisma" it refuses it.
			 */
			if (v->dl->kind == FM_DIALECT_PRISMA && !v->no_fks)
			{
				WARN(arg ? arg->value->pos : rf->r->rel->pos,
					 "%s: SetNull on %s sets required field \"%s\" to null, which PostgreSQL refuses when the action fires; choose another referential action, or make the field optional",
					 pass == 0 ? "onDelete" : "onUpdate", fmv_ctx(v, &rc), a->name);
				break;
			}
			ERR(arg ? arg->value->pos : rf->r->rel->pos,
				"%s: SetNull on %s needs optional fields, but \"%s\" is required",
				pass == 0 ? "onDelete" : "onUpdate", fmv_ctx(v, &rc), a->name);
			return;
		}
	}
	if (!ok)
		return;
	/* SetDefault on a column without a default sets it to NULL */
	for (int pass = 0; pass < 2; pass++)
	{
		FmFkAction	act = pass == 0 ? fk->on_delete : fk->on_update;
		FmAstArg   *arg = pass == 0 ? rf->r->a_delete : rf->r->a_update;

		if (act != FM_FK_SET_DEFAULT || arg == NULL || arg->value == NULL)
			continue;
		for (int i = 0; i < fields.n; i++)
		{
			VField	   *a = fm_list_get(&fields, i, VField);

			if (a->col->default_sql == NULL && a->col->autoinc == FM_AUTOINC_NONE)
			{
				WARN(arg->value->pos, "%s: SetDefault on %s, but field \"%s\" has no @default, so PostgreSQL sets it to NULL%s",
					 pass == 0 ? "onDelete" : "onUpdate", fmv_ctx(v, &rc), a->name,
					 a->col->notnull ? " and the statement fails" : "");
				break;
			}
		}
	}
	if (rf->r->a_map)
	{
		map = fmv_string_arg(v, rf->r->rel, rf->r->a_map, "map", &rc);
		if (map == NULL || !fmv_check_ident_len_ctx(v, rf->r->a_map->value->pos, "foreign key name", map, fmv_ctx(v, &rc)))
			return;
	}
	if (vm->is_view || tm->is_view)
		return;					/* a view has no foreign keys, nor is referenced */
	if (v->no_fks)
	{
		if (!fields_indexed(vm->table, &fk->columns))
			WARN(rf->r->rel->pos, "with relationMode = \"prisma\", no foreign keys are used, so %s has no index on its fields; add @@index([%s]) to model \"%s\" for queries over the relation",
				 fmv_ctx(v, &rc), field_list(v, &fields), fmv_nz(vm->blk->name));
		return;
	}
	/* its explicit name (map:) or NULL, until fmv_name_constraints names it */
	fk->name = map;
	fm_list_append(v->a, &vm->table->foreign_keys, fk);
	fm_list_append(v->w, &vm->fk_fields, rf);
}

/* fields:, references:, onDelete:, onUpdate:, map: on a side that may not have them */
static FmAstArg *
fk_arg(VField *rf)
{
	return rf->r->a_fields ? rf->r->a_fields : rf->r->a_refs ? rf->r->a_refs :
		rf->r->a_delete ? rf->r->a_delete : rf->r->a_update ? rf->r->a_update : rf->r->a_map;
}

static bool
no_fk_args(V *v, VField *rf, const char *why)
{
	FmAstArg   *bad = fk_arg(rf);

	if (bad == NULL)
		return true;
	if (bad == rf->r->a_map && v->dl->kind == FM_DIALECT_PRISMA)
	{
		/* Prisma takes map: on such a side and ignores it */
		WARN(bad->pos, "\"map\" in @relation of %s is ignored, as Prisma ignores it: %s",
			 fmv_rel_ctx(v, rf), why);
		return true;
	}
	ERR(bad->pos, "%s cannot have \"%s\" in @relation: %s", fmv_rel_ctx(v, rf), fmv_nz(bad->name), why);
	return false;
}

/*
 * m2m_column
 *		Add column name (A or B) of a join table t: NOT NULL, of the type of
 *		model vm's single-column primary key (integer, and *ok set false,
 *		when vm has no such key).
 */
static FmColumn *
m2m_column(V *v, FmTable *t, const char *name, VModel *vm, bool *ok)
{
	FmColumn   *c = fm_table_add_column(v->m, t, name);
	FmKey	   *pk = vm->table->primary_key;
	FmColumn   *pc = NULL;

	c->notnull = true;
	c->type.kind = FM_TYPE_BUILTIN;
	c->type.sql = fm_strdup(v->t, "integer");
	if (pk && pk->columns.n == 1)
	{
		VField	   *f = fmv_find_column(vm, fm_list_get(&pk->columns, 0, char));

		pc = f ? f->col : NULL;
	}
	if (pc == NULL)
		*ok = false;
	else
		c->type = pc->type;
	return c;
}

/*
 * make_m2m
 *		The implicit many-to-many relation between list fields f1 and f2:
 *		its join table "_<relation name>" or "_<A>To<B>" (models in name
 *		order) in the first model's schema, with columns A and B referencing
 *		each model's single-column @id (ON DELETE/UPDATE CASCADE, unless
 *		foreign keys are off), primary key (A, B) and an index on B, as
 *		Prisma makes it.  Errors: foreign key arguments on either side, a
 *		view, a join table name too long, a model without a single-field
 *		@id.  The table is added to v->m and remembered in v->m2m.
 */
static void
make_m2m(V *v, VField *f1, VField *f2)
{
	VField	   *fa = f1,
			   *fb = f2;
	FmTable    *t;
	char	   *name;
	bool		oka = true,
				okb = true;
	FmForeignKey *fk;
	FmIndex    *ix;
	FmIndexElem *el;

	if (!no_fk_args(v, f1, "an implicit many-to-many relation has no foreign key fields") ||
		!no_fk_args(v, f2, "an implicit many-to-many relation has no foreign key fields"))
		return;
	if (f1->model->is_view || f2->model->is_view)
	{
		VField	   *vf = f1->model->is_view ? f1 : f2;

		ERR(vf->pos, "%s is an implicit many-to-many relation with view \"%s\"; views cannot take part in one, give the relation explicit foreign key fields",
			fmv_rel_ctx(v, vf), fmv_nz(vf->model->blk->name));
		return;
	}
	if (strcmp(fmv_nz(f1->model->blk->name), fmv_nz(f2->model->blk->name)) > 0)
	{
		fa = f2;
		fb = f1;
	}
	if (f1->r->rel_name)
		name = fm_psprintf(v->t, "_%s", f1->r->rel_name);
	else
		name = fm_psprintf(v->t, "_%sTo%s", fmv_nz(fa->model->blk->name), fmv_nz(fb->model->blk->name));
	if (v->dl->m2m_clip_table)
		name = fm_dialect_prisma_name(v->t, name, NULL, "");
	else if (!fmv_check_ident_len_ctx(v, f1->pos, "join table name", name, NULL))
		return;
	t = fm_model_add_table(v->m, fa->model->table->schema, name);
	t->implicit_m2m = true;
	t->pos = f2->pos;
	m2m_column(v, t, "A", fa->model, &oka);
	m2m_column(v, t, "B", fb->model, &okb);
	if (!oka || !okb)
	{
		VModel	   *bad = !oka ? fa->model : fb->model;

		ERR(f2->pos, "implicit many-to-many relation between \"%s.%s\" and \"%s.%s\" needs a single-field @id in model \"%s\"",
			fmv_nz(fa->model->blk->name), fa->name, fmv_nz(fb->model->blk->name), fb->name,
			fmv_nz(bad->blk->name));
		return;
	}
	t->primary_key = fm_alloc(v->a, sizeof(FmKey));
	t->primary_key->pos = t->pos;
	fm_list_append(v->a, &t->primary_key->columns, "A");
	fm_list_append(v->a, &t->primary_key->columns, "B");
	for (int i = 0; i < 2; i++)
	{
		VModel	   *ref = i == 0 ? fa->model : fb->model;

		fk = fm_alloc(v->a, sizeof(FmForeignKey));
		fk->pos = t->pos;
		fm_list_append(v->a, &fk->columns, i == 0 ? "A" : "B");
		fk->ref_schema = ref->table->schema;
		fk->ref_table = ref->table->name;
		fm_list_append(v->a, &fk->ref_columns, fm_list_get(&ref->table->primary_key->columns, 0, char));
		fk->on_delete = FM_FK_CASCADE;
		fk->on_update = FM_FK_CASCADE;
		if (!v->no_fks)
			fm_list_append(v->a, &t->foreign_keys, fk);
	}
	ix = fm_alloc(v->a, sizeof(FmIndex));
	ix->method = "btree";	/* shared: no string of the model is changed in place */
	ix->pos = t->pos;
	el = fm_alloc(v->a, sizeof(FmIndexElem));
	el->column = "B";
	fm_list_append(v->a, &ix->elems, el);
	fm_list_append(v->a, &t->indexes, ix);
	fm_list_append(v->w, &v->m2m, t);
	fm_list_append(v->w, &v->m2m_desc,
				   fm_psprintf(v->t, "the join table of the many-to-many relation between \"%s.%s\" and \"%s.%s\"",
							   fmv_nz(fa->model->blk->name), fa->name,
							   fmv_nz(fb->model->blk->name), fb->name));
}

/*
 * pair_relation
 *		Make the relation of two matched relation fields (f1 first in the
 *		source): both lists, an implicit many-to-many; one list, a
 *		one-to-many whose foreign key is on the other side's "fields"; else
 *		a one-to-one whose side with "fields" and "references" holds the
 *		key and whose other side must be optional.  Misplaced or missing
 *		arguments are reported instead.
 */
static void
pair_relation(V *v, VField *f1, VField *f2)
{
	/* f1 comes first in the source */
	if (f1->list && f2->list)
	{
		make_m2m(v, f1, f2);
		return;
	}
	if (f1->list || f2->list)
	{
		VField	   *many = f1->list ? f1 : f2;
		VField	   *one = f1->list ? f2 : f1;

		bool		ok = fk_arg(many) == NULL ||
			no_fk_args(v, many, fm_psprintf(v->t, "it is the list side of a one-to-many relation; put them on \"%s\" in model \"%s\"",
														  one->name, fmv_nz(one->model->blk->name)));

		if (one->r->a_fields == NULL && one->r->a_refs == NULL)
		{
			ERR(one->r->rel ? one->r->rel->pos : one->pos,
				"%s needs \"fields\" and \"references\" in @relation: it holds the foreign key of its relation with \"%s\" in model \"%s\", as in @relation(fields: [%sId], references: [id])",
				fmv_rel_ctx(v, one), many->name, fmv_nz(many->model->blk->name), one->name);
			return;
		}
		if (ok)
			make_foreign_key(v, one, many, false);
		return;
	}
	/* one-to-one */
	{
		bool		h1 = f1->r->a_fields || f1->r->a_refs;
		bool		h2 = f2->r->a_fields || f2->r->a_refs;
		VField	   *owner,
				   *back;

		if (!h1 && !h2)
		{
			ERR(f2->pos, "the one-to-one relation between \"%s.%s\" and \"%s.%s\" needs \"fields\" and \"references\" on one side",
				fmv_nz(f1->model->blk->name), f1->name, fmv_nz(f2->model->blk->name), f2->name);
			return;
		}
		if (h1 && h2)
		{
			ERR(f2->pos, "the one-to-one relation between \"%s.%s\" and \"%s.%s\" must have \"fields\" and \"references\" on one side only",
				fmv_nz(f1->model->blk->name), f1->name, fmv_nz(f2->model->blk->name), f2->name);
			return;
		}
		owner = h1 ? f1 : f2;
		back = h1 ? f2 : f1;
		if (!no_fk_args(v, back, "the other side of the relation holds the foreign key"))
			return;
		if (!back->optional)
		{
			ERR(back->r->type_pos, "%s must be optional (\"%s?\"): it is the side of a one-to-one relation without \"fields\"",
				fmv_rel_ctx(v, back), fmv_nz(back->target->blk->name));
			return;
		}
		make_foreign_key(v, owner, back, true);
	}
}

/*
 * Prisma's rule for @@ignore (prisma dialect): a relation field of a model
 * that is not ignored, pointing to an @@ignore model, must carry @ignore
 * itself.  Reports and returns false when vf breaks it.
 */
static bool
ignore_rule_ok(V *v, VField *vf)
{
	if (v->dl->kind != FM_DIALECT_PRISMA || vf->target == NULL ||
		!vf->target->has_ignore || vf->model->has_ignore || vf->has_ignore)
		return true;
	ERR(vf->pos, "%s must have @ignore, because model \"%s\" it points to has @@ignore",
		fmv_rel_ctx(v, vf), fmv_nz(vf->target->blk->name));
	return false;
}

/*
 * The relation fields of one relation name (NULL: unnamed) between one
 * unordered pair of models, chained per pair (fmv_relations): from the
 * pair's first model, the one at the lower address (VModel.rel_groups),
 * the groups of each model it pairs with.
 */
typedef struct RelGroup
{
	const char *rel_name;
	const VModel *other;		/* the pair's second model (may be the first) */
	FmList		fields;			/* of VField */
	struct RelGroup *next;
} RelGroup;

/*
 * prefetch_rel_field
 *		While fmv_relations binds relation field i, what it reads of the
 *		ones after it, a step ahead of each load: the field three on, the
 *		@relation record and the target model of the one two on (whose
 *		groups it looks in), the attribute of the next one.  At 10,000 models
 *		these are out of the processor's caches (fm_prefetch).
 */
static void
prefetch_rel_field(const FmList *fields, int i)
{
	if (i + 3 < fields->n)
		fm_prefetch(fields->items[i + 3]);
	if (i + 2 < fields->n)
	{
		const VField *f = fields->items[i + 2];

		fm_prefetch(f->r);
		fm_prefetch(f->target);
	}
	if (i + 1 < fields->n)
	{
		const VField *f = fields->items[i + 1];

		if (f->r != NULL)
			fm_prefetch(f->r->rel);
	}
}

/*
 * fmv_relations
 *		Pairs the relation fields of all models: each relation field finds
 *		its opposite in the target model (by @relation name when given),
 *		then the pair becomes a foreign key (one-to-one or one-to-many) or
 *		an implicit many-to-many join table.  Unpaired, ambiguous and
 *		self-contradictory relations are reported.
 */
void
fmv_relations(V *v)
{
	FmList		groups = {0};	/* of FmList: the groups in first-seen order */

	/*
	 * the relation fields (listed by fmv_model_fields in model order), each
	 * bound to its @relation's arguments and grouped by (unordered model
	 * pair, relation name) while in cache: the groups of a pair hang from
	 * one of its two models (the one at the lower address: any order of
	 * the two would do, as the groups are paired in first-seen order), not
	 * from a map of every pair
	 */
	for (int i = 0; i < v->rel_fields.n; i++)
	{
		VField	   *f = fm_list_get(&v->rel_fields, i, VField);
		VModel	   *lo = f->model,
				   *hi = f->target;
		RelGroup   *rg;
		FmList	   *group;

		prefetch_rel_field(&v->rel_fields, i);
		relation_args(v, f);
		(void) ignore_rule_ok(v, f);
		if ((uintptr_t) f->target < (uintptr_t) f->model)
		{
			lo = f->target;
			hi = f->model;
		}
		/* the groups of the model pair, one per relation name (or none) */
		for (rg = lo->rel_groups;
			 rg != NULL && !(rg->other == hi && fm_streq(rg->rel_name, f->r->rel_name));
			 rg = rg->next)
			;
		if (rg == NULL)
		{
			rg = fm_alloc(v->t, sizeof(RelGroup));
			rg->rel_name = f->r->rel_name;
			rg->other = hi;
			rg->next = lo->rel_groups;
			lo->rel_groups = rg;
			fm_list_append(v->t, &groups, &rg->fields);
		}
		group = &rg->fields;
		fm_list_append(v->t, group, f);
	}
	for (int gi = 0; gi < groups.n; gi++)
	{
		FmList	   *group = fm_list_get(&groups, gi, FmList);
		VField	   *f = fm_list_get(group, 0, VField);
		void	   *local[2][4];
		FmList		side_a,
					side_b;
		VModel	   *m = f->model,
				   *t = f->target;
		const char *rn = f->r->rel_name;

		/*
		 * the two sides, in arrays of the group's length that are only
		 * filled and read (on the stack for most groups, which have two
		 * fields)
		 */
		side_a.items = group->n <= 4 ? local[0] :
			fm_alloc(v->t, sizeof(void *) * (size_t) group->n);
		side_b.items = group->n <= 4 ? local[1] :
			fm_alloc(v->t, sizeof(void *) * (size_t) group->n);
		side_a.n = side_b.n = 0;
		side_a.cap = side_b.cap = group->n;
		for (int j = 0; j < group->n; j++)
		{
			VField	   *g = fm_list_get(group, j, VField);

			if (g->model == m && g->target == t)
				side_a.items[side_a.n++] = g;
			else
				side_b.items[side_b.n++] = g;
		}
		if (m == t)
		{
			if (rn == NULL && side_a.n >= 2 && v->dl->kind == FM_DIALECT_PRISMA)
				ERR(f->pos, "ambiguous self-relation: fields \"%s\" and \"%s\" in model \"%s\" both refer to \"%s\" without a relation name, which Prisma refuses; if they are one relation, give both the same name with @relation(\"...\")",
					f->name, fm_list_get(&side_a, 1, VField)->name,
					fmv_nz(m->blk->name), fmv_nz(m->blk->name));
			else if (side_a.n == 2)
				pair_relation(v, fm_list_get(&side_a, 0, VField), fm_list_get(&side_a, 1, VField));
			else if (side_a.n == 1)
				ERR(f->pos, "self-%s has no opposite relation field; add another field of type \"%s\" to model \"%s\"%s%s%s",
					fmv_rel_ctx(v, f), fmv_nz(m->blk->name), fmv_nz(m->blk->name),
					rn ? " with @relation(\"" : "", rn ? rn : "", rn ? "\")" : "");
			else
				for (int k = 2; k < side_a.n; k++)
				{
					VField	   *g = fm_list_get(&side_a, k, VField);

					ERR(g->pos, "ambiguous self-relation: fields \"%s\", \"%s\" and \"%s\" in model \"%s\" all use the %s%s%s; a self-relation has exactly two fields, so name each relation with @relation(\"...\")",
						fm_list_get(&side_a, 0, VField)->name,
						fm_list_get(&side_a, 1, VField)->name,
						g->name, fmv_nz(m->blk->name),
						rn ? "relation name \"" : "unnamed relation", rn ? rn : "", rn ? "\"" : "");
				}
			continue;
		}
		if (side_a.n > 1 || side_b.n > 1)
		{
			FmList	   *sides[2] = {&side_a, &side_b};

			for (int s = 0; s < 2; s++)
				for (int k = 1; k < sides[s]->n; k++)
				{
					VField	   *f0 = fm_list_get(sides[s], 0, VField);
					VField	   *g = fm_list_get(sides[s], k, VField);

					ERR(g->pos, "ambiguous relation: fields \"%s\" and \"%s\" in model \"%s\" both refer to model \"%s\"%s%s%s; give each relation its own name with @relation(\"...\") on both sides",
						f0->name, g->name, fmv_nz(g->model->blk->name),
						fmv_nz(g->target->blk->name),
						rn ? " with relation name \"" : "", rn ? rn : "", rn ? "\"" : "");
				}
			continue;
		}
		if (side_b.n == 0)
		{
			ERR(f->pos, "%s has no opposite relation field in model \"%s\"%s%s%s; add a field of type \"%s[]\" or \"%s?\" to model \"%s\"%s",
				fmv_rel_ctx(v, f), fmv_nz(t->blk->name),
				rn ? " with relation name \"" : "", rn ? rn : "", rn ? "\"" : "",
				fmv_nz(m->blk->name), fmv_nz(m->blk->name), fmv_nz(t->blk->name),
				rn ? " with the same @relation name" : "");
			continue;
		}
		pair_relation(v, f, fm_list_get(&side_b, 0, VField));
	}
}
