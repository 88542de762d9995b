/*-------------------------------------------------------------------------
 *
 * validate_model.c
 *	  Validation of model blocks: the table (name, @@map, schema) and
 *	  every field (type, column, optionality, field attributes such as @id,
 *	  @unique, @default, @map, @db.*).  The block attributes are validated
 *	  in validate_block.c.
 *
 * src/core/validate_model.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"
#include "fm_renamed.h"

/* ---------- models: tables, fields, columns ---------- */

/* "model \"M\"", the context of the messages about model block b */
static char *
model_ctx(V *v, const FmAstBlock *b)
{
	return fm_concat(v->t, "model \"", fmv_nz(b->name), "\"");
}

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
	char	   *name = NULL;
	char	   *sch;

	/* the model's context is formatted only for a message that may need it */
	if (map)
		name = fmv_map_name_arg(v, map, model_ctx(v, b), "@@map", "table name",
								"table name");
	if (name == NULL)
	{
		name = fm_dialect_derive(v->dl, v->t, FM_NAME_TABLE, b->name);
		/* fmv_db_name returns a name of at most FM_MAX_IDENT_LEN bytes as is */
		if (!map && name != NULL && strlen(name) > FM_MAX_IDENT_LEN)
			name = fmv_db_name(v, b->name_pos, "table name", name,
							   model_ctx(v, b), "@@map");
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
		vm->table = fm_model_add_table_kept(v->m, sch, name);	/* v->t's */
	vm->table->pos = b->name_pos;
	vm->table->model_name = b->name;	/* the tree's (v->t): kept, not copied */
	fmv_model_annotations(v, vm);
}

static const char *const field_attrs[] = {
	"id", "unique", "default", "updatedAt", "map", "relation", "ignore",
	"identity", "collate", "generated", NULL
};

/* the field attributes of field_attrs, as fmv_field_attributes tells them apart */
typedef enum FieldAttr
{
	FA_NONE = 0,				/* not a name of field_attrs */
	FA_ID,
	FA_UNIQUE,
	FA_DEFAULT,
	FA_UPDATED_AT,
	FA_MAP,
	FA_RELATION,
	FA_IGNORE,
	FA_IDENTITY,
	FA_COLLATE,
	FA_GENERATED,
	FA_NATIVE					/* @db.*: not a name, for the seen set only */
} FieldAttr;

/*
 * The attribute of field_attrs that name is, or FA_NONE; by its first
 * letter: every attribute of every field is looked up here once, and the
 * checks that follow compare the result, not the name.  Keep it in step
 * with field_attrs, which suggestions read (the unit test
 * test_field_attribute_names checks every name).
 */
static FieldAttr
field_attr(const char *name)
{
	switch (name[0])
	{
		case 'i':
			return fm_streq(name, "id") ? FA_ID :
				fm_streq(name, "ignore") ? FA_IGNORE :
				fm_streq(name, "identity") ? FA_IDENTITY : FA_NONE;
		case 'u':
			return fm_streq(name, "unique") ? FA_UNIQUE :
				fm_streq(name, "updatedAt") ? FA_UPDATED_AT : FA_NONE;
		case 'd':
			return fm_streq(name, "default") ? FA_DEFAULT : FA_NONE;
		case 'm':
			return fm_streq(name, "map") ? FA_MAP : FA_NONE;
		case 'r':
			return fm_streq(name, "relation") ? FA_RELATION : FA_NONE;
		case 'c':
			return fm_streq(name, "collate") ? FA_COLLATE : FA_NONE;
		case 'g':
			return fm_streq(name, "generated") ? FA_GENERATED : FA_NONE;
		default:
			return FA_NONE;
	}
}

/*
 * What fmv_model_fields works out of a field's name, kept by the name's
 * pointer (V.name_facts): a schema repeats its field names from model to
 * model (id, createdAt, userId), and the lexer interns them, so each name
 * is one pointer, measured once per run instead of once per field, and its
 * derived column name found once instead of in V.column_names each time.
 * The slots are direct-mapped: a name whose slot holds another is measured
 * again and takes the slot.  A name lives as long as the run (VField.name
 * keeps it), so no other string gets its pointer meanwhile.
 */
#define FMV_NAME_FACTS_BITS 8
#define FMV_NAME_FACTS (1 << FMV_NAME_FACTS_BITS)

typedef struct FmvNameFacts
{
	const char *name;			/* the key, by pointer; NULL: a free slot */
	char	   *colname;		/* its column's name when derived (no @map),
								 * NULL until a column of the name needs it */
	size_t		len;			/* strlen(name) */
	uint32_t	collen;			/* strlen(colname), once colname is set (a
								 * derived name: at most a few times len) */
	bool		upper;			/* has an upper-case ASCII letter, which
								 * fm_snake_case changes */
} FmvNameFacts;

/* the facts of field name name, measured now unless its slot has them */
static inline FmvNameFacts *
name_facts(V *v, const char *name)
{
	FmvNameFacts *nf = &v->name_facts[fmv_pointer_slot(name, FMV_NAME_FACTS_BITS)];

	if (nf->name != name)
	{
		const char *p = name;
		bool		up = false;

		for (; *p; p++)
			up |= *p >= 'A' && *p <= 'Z';
		nf->name = name;
		nf->colname = NULL;
		nf->len = (size_t) (p - name);
		nf->upper = up;
	}
	return nf;
}

/*
 * The model or enum a field's type name names, kept by the name's pointer
 * (V.type_facts), as name_facts keeps field names: a schema names its
 * enums and its most related models from many fields, and the lexer
 * interns every type name, so each is looked up in by_model and by_enum
 * once per run instead of once per field.  The models and enums are all
 * registered before the first field is read, and a type name lives as
 * long as the run.
 */
#define FMV_TYPE_FACTS_BITS 8
#define FMV_TYPE_FACTS (1 << FMV_TYPE_FACTS_BITS)

typedef struct FmvTypeFacts
{
	const char *name;			/* the key, by pointer; NULL: a free slot */
	VModel	   *model;			/* fmv_find_model(name) */
	VEnum	   *en;				/* fmv_find_enum(name) when model is NULL */
} FmvTypeFacts;

/* the facts of type name tn, looked up now unless its slot has them */
static inline FmvTypeFacts *
type_facts(V *v, const char *tn)
{
	FmvTypeFacts *tf = &v->type_facts[fmv_pointer_slot(tn, FMV_TYPE_FACTS_BITS)];

	if (tf->name != tn)
	{
		tf->name = tn;
		tf->model = fmv_find_model(v, tn);
		tf->en = tf->model ? NULL : fmv_find_enum(v, tn);
	}
	return tf;
}

/* does s start with the n bytes of prefix (which holds no NUL)? */
static inline bool
has_prefix(const char *s, const char *prefix, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != prefix[i])
			return false;
	return true;
}

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
const char *
fmv_foreign_attr(const FmAstAttribute *at)
{
	for (size_t i = 0; i < sizeof(foreign_attrs) / sizeof(foreign_attrs[0]); i++)
	{
		const char *n = foreign_attrs[i][0];

		if (at->block ? fm_streq(n, at->name) :
			(n[0] == '@' && fm_streq(n + 1, at->name)))
			return foreign_attrs[i][1];
	}
	return NULL;
}

/*
 * Does vm have a field named name (a field's name) already?  What
 * fmv_find_field tells, for every field of every model: in a model without
 * maps the names are compared by pointer alone, which is exact here: a
 * field's name is the text of an identifier token, and the lexer interns
 * every identifier of the text it reads (one copy of each name), so two
 * fields of one name share the pointer.
 */
static bool
field_defined(VModel *vm, const char *name)
{
	if (vm->by_field.cap > 0)
		return fm_hash_get(&vm->by_field, name) != NULL;
	for (int i = 0; i < vm->fields.n; i++)
		if (fm_list_get(&vm->fields, i, VField)->name == name)
			return true;
	return false;
}

/*
 * A bit of a field name of len bytes, from its first two bytes and its
 * length, for a set of the field names of a model (fmv_model_fields): a
 * name whose bit is not set is no field of it yet, and needs no search.
 */
static inline uint64_t
name_bit(const char *name, size_t len)
{
	unsigned char c0 = (unsigned char) name[0];
	unsigned char c1 = c0 ? (unsigned char) name[1] : 0;

	return (uint64_t) 1 << ((c0 + 3 * c1 + 7 * len) & 63);
}

/*
 * A bit of a column name, from its first two bytes, for a set of the
 * column names of a model (fmv_model_fields): a name whose bit is not set
 * is no column of it yet, and needs no lookup.
 */
static inline uint64_t
column_bit(const char *name)
{
	unsigned char c0 = (unsigned char) name[0];
	unsigned char c1 = c0 ? (unsigned char) name[1] : 0;

	return (uint64_t) 1 << ((c0 + 3 * c1) & 63);
}

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
	uint64_t	col_bits = 0;	/* column_bit of each column so far */
	uint64_t	field_bits = 0; /* name_bit of each field so far */
	int			nunique = 0;	/* @unique attributes of its columns */

	if (v->name_facts == NULL)
	{
		v->name_facts = fm_alloc(v->w, FMV_NAME_FACTS * sizeof(FmvNameFacts));
		v->type_facts = fm_alloc(v->w, FMV_TYPE_FACTS * sizeof(FmvTypeFacts));
	}
	fmv_field_maps(v, vm, b->fields.n);
	fm_list_reserve(v->w, &vm->fields, b->fields.n);
	fm_list_reserve(v->m->arena, &vm->table->columns, b->fields.n);
	for (int i = 0; i < b->fields.n; i++)
	{
		FmAstField *f = fm_list_get(&b->fields, i, FmAstField);
		VField	   *vf;
		const char *tn;
		char		ctxbuf[FMV_CTX_BUF];
		FmvNameFacts *nf;
		uint64_t	fbit;
		int			scalar;		/* its index in fmv_scalar_types, or -1 */
		FmvTypeFacts *tf;

		if (f == NULL || f->name == NULL)
			continue;
		/* fmv_name_too_long, with the length kept for the column's name */
		nf = name_facts(v, f->name);
		if (nf->len > FM_MAX_NAME_LEN &&
			fmv_name_too_long_report(v, f->pos, "field", f->name))
			continue;
		/* most names are no field yet: field_bits tells without a search */
		fbit = name_bit(f->name, nf->len);
		if ((field_bits & fbit) && field_defined(vm, f->name))
		{
			ERR(f->pos, "field \"%s\" is defined twice in model \"%s\"", f->name, fmv_nz(b->name));
			continue;
		}
		field_bits |= fbit;
		vf = fm_alloc(v->f, sizeof(VField));
		vf->ast = f;
		vf->model = vm;
		vf->name = f->name;
		vf->pos = f->pos;
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
		if ((scalar = fmv_scalar_index(tn, v->scalar_seen)) >= 0)
		{
			vf->scalar = fmv_scalar_types[scalar];
			vf->kind = VF_SCALAR;
		}
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
			if (!fmv_sql_item_ok(v, a0->value->pos, "Unsupported",
									 fmv_field_ctx_buf(vf, ctxbuf, sizeof(ctxbuf)),
									 a0->value->text))
				continue;
			vf->kind = VF_UNSUPPORTED;
		}
		/*
		 * a model before an enum: relation fields are the more common, and
		 * no name is both (the second block of a name is not registered)
		 */
		else if ((tf = type_facts(v, tn))->model != NULL)
		{
			vf->target = tf->model;
			vf->kind = VF_RELATION;
			vf->r = fm_alloc(v->w, sizeof(VRel));
			vf->r->type_pos = f->type_pos;
		}
		else if (tf->en != NULL)
		{
			vf->en = tf->en;
			vf->kind = VF_ENUM;
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
		{
			fm_list_append(v->w, &v->rel_fields, vf);
			continue;
		}

		/* a column */
		{
			FmColumn   *col;
			char	   *colname = NULL;
			FmAstAttribute *map = NULL;

			for (int k = 0; k < f->attrs.n; k++)
			{
				FmAstAttribute *at = fm_list_get(&f->attrs, k, FmAstAttribute);

				if (at == NULL || at->block)
					continue;
				if (fm_streq(at->name, "map"))
					map = at;
				else if (fm_streq(at->name, "unique"))
					nunique++;
			}
			if (map)
				colname = fmv_map_name_arg(v, map,
										   fmv_field_ctx_buf(vf, ctxbuf, sizeof(ctxbuf)),
										   "@map", "column name", "column name");
			if (colname == NULL)
			{
				/*
				 * the field's name itself where the dialect would derive the
				 * same (no snake_case, or a name without upper case: the
				 * tree's interned copy, which lives in v->t as long as a
				 * derived one would); else one derivation per distinct
				 * field name, shared by its columns
				 */
				if (nf->colname == NULL)
				{
					colname = v->dl->snake_case && nf->upper ?
						fm_hash_get(&v->column_names, f->name) : (char *) f->name;
					if (colname == NULL)
					{
						colname = fm_dialect_derive(v->dl, v->t, FM_NAME_COLUMN, f->name);
						fm_hash_put(v->w, &v->column_names, f->name, colname);
					}
					nf->colname = colname;
					nf->collen = (uint32_t) (colname == f->name ? nf->len : strlen(colname));
				}
				colname = nf->colname;
				/* the field's context is formatted only for a long name */
				if (!map && nf->collen > FM_MAX_IDENT_LEN)
					colname = fmv_db_name(v, f->pos, "column name", colname, fmv_field_ctx(v, vf), "@map");
			}
			{
				/* most names are no column yet: col_bits tells without a lookup */
				VField	   *o = (col_bits & column_bit(colname)) ?
					fmv_find_column(vm, colname) : NULL;

				col_bits |= column_bit(colname);
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
			if (FM_AST_COMMENTS(f)->doc != NULL)	/* most fields have none */
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
				col->type.sql = fmv_default_sql_type_copy(v, scalar);
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
	/*
	 * the lists of keys, sized for the keys of fields' @unique that
	 * fmv_field_attributes adds (at most nunique); @@unique may add more
	 */
	if (nunique > 0)
	{
		fm_list_reserve(v->a, &vm->table->uniques, nunique);
		fm_list_reserve(v->w, &vm->key_maps, nunique);
		fm_list_reserve(v->w, &vm->key_elems, nunique);
		fm_list_reserve(v->w, &vm->key_preds, nunique);
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
	FmvCtx		fc;
	FmAstAttribute *seen_db = NULL;
	FmAstAttribute *dflt = NULL;
	bool		unique = false;	/* @unique given */
	FmAstAttribute *ident = NULL;
	FmAstAttribute *gen = NULL;
	FmAstAttribute *coll = NULL;
	uint32_t	seen = 0;		/* bit FieldAttr: given before */

	/* the field is named in messages of its attributes only */
	fc = FMV_CTX_FIELD(f->attrs.n > 0 ? vf : NULL, false);

	for (int k = 0; k < f->attrs.n; k++)
	{
		FmAstAttribute *at = fm_list_get(&f->attrs, k, FmAstAttribute);
		FieldAttr	fa;
		bool		native;

		if (at == NULL || at->name == NULL)
			continue;
		fa = field_attr(at->name);
		/* for the relations pass, which runs after the field's tree is freed */
		if (fa == FA_IGNORE)
		{
			vf->has_ignore = true;
			/* Prisma takes it on a relation field of an ignored model */
			if (v->dl->kind == FM_DIALECT_PRISMA && vf->model->has_ignore &&
				vf->kind != VF_RELATION)
				ERR(at->pos, "@ignore cannot be used on %s, whose model is ignored already (@@ignore), as in Prisma; remove it",
					fmv_ctx(v, &fc));
			else if (v->dl->kind == FM_DIALECT_PRISMA && vf->kind == VF_UNSUPPORTED)
				ERR(at->pos, "@ignore cannot be used on %s of type Unsupported, which Prisma Client ignores already, as in Prisma; remove it",
					fmv_ctx(v, &fc));
		}
		/* a name of field_attrs has no dot, which the prefix ends with */
		native = fa == FA_NONE &&
			has_prefix(at->name, v->native_prefix, v->native_prefix_len);
		if (!native && v->dl->kind == FM_DIALECT_PRISMA && !at->block &&
			strchr(at->name, '.') != NULL)
		{
			/* Prisma: "The prefix db is invalid. It must be equal to ..." */
			ERR(at->pos, "native type attribute \"@%s\" on %s must start with the datasource's name, as in Prisma; write \"@%s%s\"",
				at->name, fmv_ctx(v, &fc), v->native_prefix, strchr(at->name, '.') + 1);
			continue;
		}
		if (at->block)
		{
			ERR(at->pos, "block attribute \"%s\" cannot be used on %s; put it on its own line in the model",
				fmv_attr_repr(v, at), fmv_ctx(v, &fc));
			continue;
		}
		/* another connector's attribute (none is in field_attrs), or unknown */
		if (!native && fa == FA_NONE)
		{
			if (fmv_foreign_attr(at))
				ERR(at->pos, "attribute \"@%s\" on %s belongs to Prisma's %s; PostgreSQL has no such attribute",
					at->name, fmv_ctx(v, &fc), fmv_foreign_attr(at));
			else
				ERR(at->pos, "unknown attribute \"@%s\" on %s%s", at->name, fmv_ctx(v, &fc),
					fmv_suggest(v, at->name, field_attrs, NULL, "@"));
			continue;
		}
		if (native)
			fa = FA_NATIVE;
		if (seen & (1u << fa))
		{
			ERR(at->pos, native ? "%s has more than one native type attribute" :
				"attribute \"@%s\" is given twice on %s",
				native ? fmv_ctx(v, &fc) : at->name, fmv_ctx(v, &fc));
			continue;
		}
		seen |= 1u << fa;
		if (vf->kind == VF_ERROR)
			continue;
		if (vf->kind == VF_RELATION)
		{
			if (fa == FA_IGNORE)
				fmv_no_args(v, at, &fc);	/* client side: the key stays */
			else if (fa != FA_RELATION)
				ERR(at->pos, "attribute \"@%s\" cannot be used on relation %s; put it on the scalar fields of the relation",
					at->name, fmv_ctx(v, &fc));
			else
				vf->r->rel = at;
			continue;
		}
		if (fa == FA_RELATION)
		{
			ERR(at->pos, "attribute \"@relation\" can only be used on relation fields, and %s has type \"%s\"",
				fmv_ctx(v, &fc), fmv_nz(f->type_name));
			continue;
		}
		if (native)
		{
			seen_db = at;
			continue;
		}
		if (fa == FA_ID)
		{
			const char *const names[] = {"map", NULL};
			FmAstArg   *args[1];

			fmv_view_attr(v, vf->model, f->name, at, NULL);
			if (f->optional)
				ERR(at->pos, "@id cannot be used on optional %s; primary key columns are never null; remove the \"?\"",
					fmv_ctx(v, &fc));
			else if (f->list && v->dl->kind == FM_DIALECT_PRISMA)
				ERR(at->pos, "@id cannot be used on list %s: Prisma requires the fields of an id to be required, and reads a list as optional",
					fmv_ctx(v, &fc));
			vf->is_id = true;
			if (fmv_bind_args(v, at, &fc, names, false, args) && args[0])
			{
				char	   *s = fmv_string_arg(v, at, args[0], "map", &fc);

				if (s && fmv_check_ident_len_ctx(v, args[0]->value->pos, "primary key name", s, fmv_ctx(v, &fc)))
					vf->model->pk_map = s;
			}
		}
		else if (fa == FA_UNIQUE)
		{
			const char *const names[] = {"map", "sort", "where", NULL};
			FmAstArg   *args[3];
			char	   *s = NULL;
			char	   *pred = NULL;
			FmKey	   *key;
			FmList	   *sorted = NULL;
			FmSortOrder sort = FM_SORT_DEFAULT;

			unique = true;
			if (fmv_bind_args(v, at, &fc, names, false, args) && args[0])
			{
				s = fmv_string_arg(v, at, args[0], "map", &fc);
				if (s && !fmv_check_ident_len_ctx(v, args[0]->value->pos, "unique constraint name", s, fmv_ctx(v, &fc)))
					s = NULL;
			}
			if (!fmv_view_attr(v, vf->model, f->name, at, args))
				continue;
			if (args[1] && args[1]->value)
			{
				FmAstValue *sv = args[1]->value;

				if (sv->kind != FM_VAL_IDENT ||
					!(fm_streq(sv->text, "Asc") || fm_streq(sv->text, "Desc")))
					ERR(sv->pos, "sort order of @unique on %s must be Asc or Desc", fmv_ctx(v, &fc));
				else
					sort = fm_streq(sv->text, "Asc") ? FM_SORT_ASC : FM_SORT_DESC;
			}
			if (args[2] && !fmv_where_predicate(v, vf->model, at, args[2], fmv_ctx(v, &fc), &pred))
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
			key = fm_key_of_column(v->m, vf->col->name);
			key->pos = at->pos;
			fm_list_append(v->a, &vf->model->table->uniques, key);
			fm_list_append(v->w, &vf->model->key_maps, s);
			fm_list_append(v->w, &vf->model->key_elems, sorted);
			fm_list_append(v->w, &vf->model->key_preds, pred);
		}
		else if (fa == FA_DEFAULT)
			dflt = at;
		else if (fa == FA_IDENTITY)
			ident = at;
		else if (fa == FA_COLLATE)
			coll = at;			/* once the native type is known */
		else if (fa == FA_GENERATED)
			gen = at;
		else if (fa == FA_IGNORE)
			fmv_no_args(v, at, &fc);	/* client side: the column stays */
		else if (fa == FA_UPDATED_AT)
		{
			fmv_no_args(v, at, &fc);
			if (vf->kind != VF_SCALAR || !fm_streq(vf->scalar, "DateTime"))
				ERR(at->pos, "@updatedAt cannot be used on %s of type \"%s\"; it needs a DateTime field",
					fmv_ctx(v, &fc), fmv_nz(f->type_name));
			else if (f->list)
				ERR(at->pos, "@updatedAt cannot be used on list %s; the client sets one timestamp, as in Prisma",
					fmv_ctx(v, &fc));
			else
				vf->col->updated_at = true;
		}
		/* map: handled with the column */
	}
	if (vf->kind == VF_ERROR || vf->kind == VF_RELATION)
	{
		if (coll)
			fmv_collate_attr(v, vf, coll, fmv_ctx(v, &fc));
		return;
	}
	if (seen_db)
		fmv_apply_native_type(v, vf, seen_db, &fc);
	if (coll)
		fmv_collate_attr(v, vf, coll, fmv_ctx(v, &fc));
	/* as in @@unique (fmv_prisma_index_fields), now that the native type is known */
	if (unique && v->dl->kind == FM_DIALECT_PRISMA && fm_streq(vf->native, "Xml"))
		ERR(vf->pos, "%s of native type Xml cannot be @unique, as in Prisma (PostgreSQL compares no xml values)",
			fmv_ctx(v, &fc));
	if (dflt)
	{
		/* prisma: any default, as Prisma takes it (the client overwrites it) */
		if (vf->col->updated_at && !fmv_default_is_now(dflt) &&
			v->dl->kind != FM_DIALECT_PRISMA)
			ERR(dflt->pos, "%s cannot have both @default and @updatedAt", fmv_ctx(v, &fc));
		else if (f->list)
			fmv_apply_list_default(v, vf, dflt, &fc);
		else
			fmv_apply_default(v, vf, dflt, &fc);
	}
	if (ident)
		fmv_identity_attr(v, vf, ident, fmv_ctx(v, &fc));
	if (gen)
		fmv_generated_attr(v, vf, gen, fmv_ctx(v, &fc));
	if (f->list && vf->col->type.kind == FM_TYPE_BUILTIN)
		vf->col->type.sql = fm_psprintf(v->t, "%s[]", vf->col->type.sql);
	else if (f->list && vf->col->type.kind == FM_TYPE_ENUM)
		vf->col->type.array = true;		/* Role[] */
}
