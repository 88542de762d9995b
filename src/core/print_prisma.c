/*-------------------------------------------------------------------------
 *
 * print_prisma.c
 *	  Print (fm_print.h) in the prisma dialect: the names and relation
 *	  fields that Prisma's own introspection (`prisma db pull`) gives.
 *
 * Names.  A model, enum, field or enum value is named after its database
 * name, "sanitized" when that is not an identifier: leading characters
 * that are not ASCII letters are dropped and every other character that is
 * not a letter, digit or "_" becomes "_" ("User Accounts" ->
 * User_Accounts, "1st" -> st), with @map/@@map.  An empty enum value is
 * EMPTY_ENUM_VALUE @map("").  A table or enum named like a word the Prisma
 * Client reserves ("PrismaClient" and JavaScript's keywords) becomes
 * Renamed<name> @@map("<name>").  A name that two tables or enums give (in
 * different schemas) becomes <schema>_<name>, mapped.  Clashes that remain
 * get a number, as in the ferriorm dialect.
 *
 * Relation fields, as Prisma names them.  A relation is ambiguous when its
 * two models are related more than once (foreign keys on other columns, or
 * join tables), or when a foreign key column has the name of the
 * referenced model.  A foreign key from model M to model T gives the field
 * T on M and M on T (a list, or optional when the columns are a key); a
 * self-relation names its back-relation other_M and both sides
 * @relation("MToM").  An ambiguous one is named R = M_<fields>ToT, with
 * fields T_R and M_R (other_M_R for a self-relation).  A join table _XToY
 * gives the fields Y on X and X on Y, with the relation name only when the
 * table is not named after the two models, or the relation is ambiguous
 * (then the fields add the table's name: Y_XToY) or a self-relation (the
 * fields end in _A and _B).  The names used here are the models' names
 * before the renaming of names taken in two schemas, as Prisma's are.
 *
 * Order: relation fields follow the scalar fields, in the order Prisma
 * gives them: every foreign key of every table in table order (the field
 * on its own model, then the back-relation), then every join table.
 *
 * src/core/print_prisma.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "print_int.h"

/* Prisma's notice on a table without a usable unique identifier */
const char *fm_p_prisma_no_key_doc =
"The underlying table does not contain a valid unique identifier and can therefore currently not be handled by Prisma Client.";

/* ---------- the naming table: Prisma derives nothing ---------- */

static char *
same_name(FmArena *arena, const char *name)
{
	return fm_dialect_derive(fm_dialect(FM_DIALECT_PRISMA), arena, FM_NAME_TABLE, name);
}

const FmNaming fm_naming_prisma = {
	FM_DIALECT_PRISMA,
	same_name,
	same_name,
	same_name,
	same_name
};

/* ---------- sanitizing ---------- */

static bool
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
needs_sanitation(const char *s)
{
	if (!is_letter(s[0]))
		return true;
	for (const char *p = s; *p; p++)
		if (!is_letter(*p) && !(*p >= '0' && *p <= '9') && *p != '_')
			return true;
	return false;
}

/*
 * fm_p_prisma_sanitize
 *		s as Prisma's introspection makes it an identifier: leading bytes that
 *		are not ASCII letters dropped, every other character that is not a
 *		letter, digit or "_" replaced by one "_" (a UTF-8 character is one
 *		character, as for Prisma's regular expressions).  May be empty.
 */
char *
fm_p_prisma_sanitize(FmArena *arena, const char *s)
{
	FmBuf		b;

	if (!needs_sanitation(s))
		return fm_strdup(arena, s);
	while (*s && !is_letter(*s))
		s++;
	fm_buf_init(&b, arena);
	fm_buf_append(&b, "");
	for (; *s; s++)
	{
		if (is_letter(*s) || (*s >= '0' && *s <= '9') || *s == '_')
			fm_buf_append_char(&b, *s);
		else if (((unsigned char) *s & 0xc0) != 0x80)
			fm_buf_append_char(&b, '_');	/* a continuation byte adds none */
	}
	return b.data;
}

/*
 * Is t shaped like the join table of an implicit many-to-many relation
 * (_Name with columns A and B, two foreign keys)?  Such a table is no
 * model, and its name no model's: "_Post" is not the model Post.
 */
static bool
join_table_shape(const FmTable *t)
{
	return t->name[0] == '_' && t->columns.n == 2 && t->foreign_keys.n == 2 &&
		fm_streq(fm_list_get(&t->columns, 0, FmColumn)->name, "A") &&
		fm_streq(fm_list_get(&t->columns, 1, FmColumn)->name, "B");
}

/*
 * How often each sanitized name is a table's or an enum's: a name given
 * twice is renamed <schema>_<name> (Prisma's RenamedDuplicate).  Join
 * tables do not count (join_table_shape).
 */
static FmHashMap *
top_level_counts(PState *ps)
{
	static const char key[] = "\x01top";
	FmHashMap  *counts = fm_hash_get(&ps->type_names, key);

	if (counts)
		return counts;
	counts = fm_alloc(ps->a, sizeof(FmHashMap));
	for (int i = 0; i < ps->m->tables.n + ps->m->enums.n; i++)
	{
		const char *name = i < ps->m->tables.n ?
			fm_list_get(&ps->m->tables, i, FmTable)->name :
			fm_list_get(&ps->m->enums, i - ps->m->tables.n, FmEnum)->name;
		char	   *s;
		int		   *n;

		if (i < ps->m->tables.n && join_table_shape(fm_list_get(&ps->m->tables, i, FmTable)))
			continue;
		s = fm_p_prisma_sanitize(ps->a, name);
		n = fm_hash_get(counts, s);

		if (n == NULL)
		{
			n = fm_alloc(ps->a, sizeof(int));
			fm_hash_put(ps->a, counts, s, n);
		}
		(*n)++;
	}
	/* kept with the taken names, under a key no identifier can have */
	fm_hash_put(ps->a, &ps->type_names, key, counts);
	return counts;
}

/*
 * fm_p_prisma_type_name
 *		The name of a table or enum (Prisma's ModelName); *base (when base is
 *		not NULL) is the name before the renaming of names given twice.
 */
char *
fm_p_prisma_type_name(PState *ps, const char *schema, const char *name, char **base)
{
	int		   *n = fm_hash_get(top_level_counts(ps), fm_p_prisma_sanitize(ps->a, name));
	char	   *b;

	if (fm_prisma_reserved_name(name))
		b = fm_psprintf(ps->a, "Renamed%s", name);
	else
		b = fm_p_prisma_sanitize(ps->a, name);
	if (base)
		*base = b;
	if (n && *n > 1 && schema)
		return fm_p_prisma_sanitize(ps->a, fm_psprintf(ps->a, "%s_%s", schema, name));
	return b;
}

/* ---------- models and fields (enums: print_names.c) ---------- */

void
fm_p_prisma_name_models(PState *ps)
{
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);
		const PPrev *pp;
		const FmTable *prev;
		const char *want;

		if (pm->m2m || pm->name)
			continue;
		pp = fm_p_prev_table(ps, pm->t->schema, pm->t->name);
		prev = pp ? pp->t : NULL;
		want = fm_p_prisma_type_name(ps, pm->t->schema, pm->t->name, &pm->rel_base);
		if (prev && prev->model_name)
			want = pm->rel_base = prev->model_name;
		pm->name = fm_p_unique_name(ps->a, &ps->type_names, want, "Model", true);
		if (strcmp(pm->name, want) != 0 || !fm_p_is_ident(pm->rel_base))
			pm->rel_base = pm->name;
		pm->map = strcmp(pm->name, pm->t->name) != 0;
	}
}

void
fm_p_prisma_name_fields(PState *ps, PModel *pm)
{
	const FmTable *t = pm->t;
	PPrev	   *prev = fm_p_prev_table(ps, t->schema, t->name);

	pm->fields = fm_alloc(ps->a, sizeof(char *) * (size_t) (t->columns.n + 1));
	pm->fmap = fm_alloc(ps->a, sizeof(bool) * (size_t) (t->columns.n + 1));
	for (int k = 0; k < t->columns.n; k++)
	{
		const FmColumn *c = fm_list_get(&t->columns, k, FmColumn);
		const FmColumn *pc = fm_p_prev_column(ps, prev, c->name);
		const char *want = pc && pc->field_name ? pc->field_name :
			fm_p_prisma_sanitize(ps->a, c->name);

		pm->fields[k] = fm_p_unique_field(ps, pm, want);
		pm->fmap[k] = strcmp(pm->fields[k], c->name) != 0;
	}
}

/* ---------- relations ---------- */

/* the two models of a relation, in table order (Prisma's sorted ids) */
static void
pair_of(PModel *a, PModel *b, PModel **x, PModel **y)
{
	*x = a->index <= b->index ? a : b;
	*y = a->index <= b->index ? b : a;
}

static char *
pair_key(PState *ps, PModel *a, PModel *b)
{
	PModel	   *x,
			   *y;

	pair_of(a, b, &x, &y);
	return fm_psprintf(ps->a, "%p/%p", (void *) x, (void *) y);
}

/* may the foreign key become a relation? (no reason to ignore it) */
static PModel *
fk_target(PState *ps, PModel *pm, int k)
{
	const FmForeignKey *fk = fm_list_get(&pm->t->foreign_keys, k, FmForeignKey);

	return fm_hash_get2(&ps->by_table, fk->ref_schema, fk->ref_table);
}

/* do two foreign keys of a table have the same columns? */
static bool
same_columns(const FmForeignKey *a, const FmForeignKey *b)
{
	return fm_str_list_eq(&a->columns, &b->columns);
}

/*
 * The ambiguous pairs of models (Prisma's find_ambiguous_relations), as
 * keys of pair_key: related more than once (foreign keys of one table on
 * the same columns count once), or by a foreign key with a column named
 * like the field it would give.
 */
static FmHashMap *
ambiguous_pairs(PState *ps)
{
	FmHashMap  *amb = fm_alloc(ps->a, sizeof(FmHashMap));
	FmHashMap	count = {0};	/* pair -> int * */

	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		for (int k = 0; k < (pm->m2m ? 1 : pm->t->foreign_keys.n); k++)
		{
			PModel	   *target = pm->m2m ? pm->m2m_b : fk_target(ps, pm, k);
			PModel	   *from = pm->m2m ? pm->m2m_a : pm;
			char	   *key;
			int		   *n;
			bool		dup = false;

			if (target == NULL || target->m2m || from->m2m)
				continue;
			for (int j = 0; !pm->m2m && j < k; j++)
				dup |= fk_target(ps, pm, j) == target &&
					same_columns(fm_list_get(&pm->t->foreign_keys, j, FmForeignKey),
								 fm_list_get(&pm->t->foreign_keys, k, FmForeignKey));
			key = pair_key(ps, from, target);
			/*
			 * Prisma drops a foreign key on the same columns as another;
			 * plans need both, and two relations need their names
			 */
			if (dup)
			{
				fm_hash_put(ps->a, amb, key, pm);
				continue;
			}
			if ((n = fm_hash_get(&count, key)) == NULL)
			{
				n = fm_alloc(ps->a, sizeof(int));
				fm_hash_put(ps->a, &count, key, n);
			}
			if (++(*n) > 1)
				fm_hash_put(ps->a, amb, key, pm);
			if (pm->m2m)
				continue;
			/* a foreign key column named like the field it would give */
			{
				const FmForeignKey *fk = fm_list_get(&pm->t->foreign_keys, k, FmForeignKey);

				for (int c = 0; c < fk->columns.n; c++)
				{
					int			ci = fm_p_column_index(pm->t, fm_list_get(&fk->columns, c, char));

					if (ci >= 0 && fm_streq(pm->fields[ci], target->rel_base))
						fm_hash_put(ps->a, amb, key, pm);
				}
			}
		}
	}
	return amb;
}

/* the foreign key relations of pm, in its foreign keys' order */
static void
fk_relations(PState *ps, PModel *pm, FmHashMap *amb)
{
	const FmTable *t = pm->t;

	pm->fk_ok = fm_alloc(ps->a, sizeof(bool) * (size_t) (t->foreign_keys.n + 1));
	for (int k = 0; k < t->foreign_keys.n; k++)
	{
		const FmForeignKey *fk = fm_list_get(&t->foreign_keys, k, FmForeignKey);
		PModel	   *target = fk_target(ps, pm, k);
		bool		opt;
		const char *why;
		bool		self = target == pm;
		char	   *relname = NULL;
		char	   *fwd,
				   *back;
		PRel	   *owner,
				   *br;

		if (pm->fk_skip && pm->fk_skip[k])
			continue;
		if ((why = fm_p_fk_problem(ps, pm, fk, target, &opt)) != NULL)
		{
			fm_list_append(ps->a, &pm->reasons,
						   fm_psprintf(ps->a, "the foreign key \"%s\" cannot be stated: %s",
									   fk->name ? fk->name : "", why));
			if (why != fm_p_fk_deferrable)
				continue;
		}
		pm->fk_ok[k] = true;
		if (fm_hash_get(amb, pair_key(ps, pm, target)) == NULL)
		{
			if (self)
				relname = fm_psprintf(ps->a, "%sTo%s", pm->rel_base, target->rel_base);
			fwd = target->rel_base;
			back = fm_psprintf(ps->a, "%s%s", self ? "other_" : "", pm->rel_base);
		}
		else
		{
			FmBuf		b;

			fm_buf_init(&b, ps->a);
			fm_buf_printf(&b, "%s_", pm->rel_base);
			for (int c = 0; c < fk->columns.n; c++)
			{
				int			ci = fm_p_column_index(t, fm_list_get(&fk->columns, c, char));

				fm_buf_printf(&b, "%s%s", c ? "_" : "", ci >= 0 ? pm->fields[ci] : "");
			}
			fm_buf_printf(&b, "To%s", target->rel_base);
			relname = b.data;
			/* two foreign keys on the same columns: a number */
			for (int n = 2;; n++)
			{
				char	   *key = fm_psprintf(ps->a, "\x01rel/%s/%s", pair_key(ps, pm, target), relname);

				if (fm_hash_get(&ps->type_names, key) == NULL)
				{
					fm_hash_put(ps->a, &ps->type_names, key, pm);
					break;
				}
				relname = fm_psprintf(ps->a, "%s%d", b.data, n);
			}
			fwd = fm_psprintf(ps->a, "%s_%s", target->rel_base, relname);
			back = fm_psprintf(ps->a, "%s%s_%s", self ? "other_" : "", pm->rel_base, relname);
		}
		owner = fm_p_add_rel(ps, pm, fwd, fm_p_rel_key(ps, "f", t, &fk->columns));
		owner->target = target;
		owner->optional = opt;
		owner->fk = fk;
		owner->fk_index = k;
		owner->relname = relname;
		br = fm_p_add_rel(ps, target, back, fm_p_rel_key(ps, "b", t, &fk->columns));
		br->target = pm;
		br->list = !fm_p_is_key_of(pm, &fk->columns, true); /* as Prisma */
		br->optional = !br->list;
		br->relname = relname;
	}
}

/* the list fields of join table pm on both its models */
static void
m2m_relations(PState *ps, PModel *pm, FmHashMap *amb)
{
	PModel	   *a = pm->m2m_a;
	PModel	   *b = pm->m2m_b;
	bool		self = a == b;
	const char *found = pm->t->name + 1;
	const char *suffix = "";
	FmList		none = {0};
	PRel	   *ra,
			   *rb;

	if (fm_hash_get(amb, pair_key(ps, a, b)))
	{
		pm->m2m_relname = fm_strdup(ps->a, found);
		suffix = pm->t->name;
	}
	else if (self || strcmp(found, fm_psprintf(ps->a, "%sTo%s", a->name, b->name)) != 0)
		pm->m2m_relname = fm_strdup(ps->a, found);
	else
		pm->m2m_relname = NULL;
	ra = fm_p_add_rel(ps, a, fm_psprintf(ps->a, "%s%s%s", b->rel_base, suffix, self ? "_A" : ""),
					  fm_p_rel_key(ps, "mA", pm->t, &none));
	ra->target = b;
	ra->list = true;
	ra->relname = pm->m2m_relname;
	rb = fm_p_add_rel(ps, b, fm_psprintf(ps->a, "%s%s%s", a->rel_base, suffix, self ? "_B" : ""),
					  fm_p_rel_key(ps, "mB", pm->t, &none));
	rb->target = a;
	rb->list = true;
	rb->relname = pm->m2m_relname;
}

/*
 * fm_p_prisma_relations
 *		The prisma dialect's fm_p_relations: join tables whose column A is
 *		not on the model first by name become models again; every model and
 *		field is named; then the relation fields of every foreign key and
 *		join table, named and ordered as Prisma's introspection does (see the
 *		header comment).
 */
void
fm_p_prisma_relations(PState *ps)
{
	FmHashMap  *amb;

	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		if (pm->m2m && strcmp(pm->m2m_a->name, pm->m2m_b->name) > 0)
			pm->m2m = false;
	}
	fm_p_name_models(ps);
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		if (!pm->m2m)
			fm_p_name_fields(ps, pm);
	}
	amb = ambiguous_pairs(ps);
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		if (!pm->m2m)
			fk_relations(ps, pm, amb);
	}
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		if (pm->m2m)
			m2m_relations(ps, pm, amb);
	}
}

/* ---------- blocks, keys and names of the prisma dialect (print.c calls) ---------- */

/*
 * The prisma dialect's generator block, which also makes the text read as
 * the prisma dialect under ferriorm.dialect = auto, with the preview
 * features the text needs.
 */
FmAstBlock *
fm_p_prisma_generator_block(PState *ps)
{
	FmAstBlock *b = fm_p_new_block(ps, FM_BLOCK_GENERATOR, "generator", "client");
	FmAstField *f = fm_p_new_field(ps, "provider", NULL);

	f->value = fm_p_str(ps, "prisma-client-js");
	fm_p_block_field(ps, b, f);
	if (ps->o->extensions.n > 0 || ps->partial_indexes)
	{
		f = fm_p_new_field(ps, "previewFeatures", NULL);
		f->value = fm_p_array(ps);
		if (ps->partial_indexes)
			fm_list_append(ps->a, &f->value->items, fm_p_str(ps, "partialIndexes"));
		if (ps->o->extensions.n > 0)
			fm_list_append(ps->a, &f->value->items, fm_p_str(ps, "postgresqlExtensions"));
		fm_p_block_field(ps, b, f);
	}
	return b;
}

/* add preview feature feature to the previewFeatures of generator g */
static void
need_preview_feature(PState *ps, FmAstBlock *g, const char *feature)
{
	FmAstField *f = fm_ast_block_entry(g, "previewFeatures");

	if (f == NULL || f->value->kind != FM_VAL_ARRAY)
	{
		if (f != NULL)
			return;				/* env(...) or the like: left as it is */
		f = fm_p_new_field(ps, "previewFeatures", NULL);
		f->value = fm_p_array(ps);
		fm_p_block_field(ps, g, f);
	}
	for (int i = 0; i < f->value->items.n; i++)
	{
		const FmAstValue *it = fm_list_get(&f->value->items, i, FmAstValue);

		if (it && it->kind == FM_VAL_STRING && fm_streq(it->text, feature))
			return;
	}
	fm_list_append(ps->a, &f->value->items, fm_p_str(ps, feature));
}

/*
 * fm_p_prisma_generators
 *		Append to blocks the generator blocks of the pulled text: those of
 *		the previous text when it has any, as Prisma's db pull keeps them
 *		(output, binaryTargets, previewFeatures, every other generator),
 *		with the preview features the pulled models need added to its first
 *		Prisma client generator; else fm_p_prisma_generator_block.
 */
void
fm_p_prisma_generators(PState *ps, FmList *blocks)
{
	bool		any = false;
	bool		client_done = false;

	for (int i = 0; ps->prev_ast && i < ps->prev_ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ps->prev_ast->blocks, i, FmAstBlock);
		FmAstField *prov;

		if (b == NULL || b->kind != FM_BLOCK_GENERATOR)
			continue;
		any = true;
		prov = fm_ast_block_entry(b, "provider");
		if (!client_done && prov && prov->value->kind == FM_VAL_STRING &&
			(fm_streq(prov->value->text, "prisma-client-js") ||
			 fm_streq(prov->value->text, "prisma-client")))
		{
			client_done = true;
			if (ps->partial_indexes)
				need_preview_feature(ps, b, "partialIndexes");
			if (ps->o->extensions.n > 0)
				need_preview_feature(ps, b, "postgresqlExtensions");
		}
		fm_list_append(ps->a, blocks, b);
	}
	if (!any)
		fm_list_append(ps->a, blocks, fm_p_prisma_generator_block(ps));
}

/*
 * Does the prisma dialect state this unique index (sorted or partial) of
 * pm on its field, as Prisma does (@unique(sort: Desc))?  One column, no
 * operator class, and the field's only @unique: when a unique key or an
 * earlier such index has the same one column, this one is @@unique([...]).
 */
bool
fm_p_prisma_ukey_on_field(PState *ps, const PModel *pm, const FmIndex *ix)
{
	const char *col;

	if (!P_PRISMA(ps) || ix->elems.n != 1 ||
		fm_list_get(&ix->elems, 0, FmIndexElem)->opclass != NULL)
		return false;
	col = fm_list_get(&ix->elems, 0, FmIndexElem)->column;
	for (int u = 0; u < pm->keys.n; u++)
	{
		const FmKey *k = fm_list_get(&pm->keys, u, FmKey);

		if (k->columns.n == 1 && fm_streq(fm_list_get(&k->columns, 0, char), col))
			return false;
	}
	for (int x = 0; x < pm->t->indexes.n; x++)
	{
		const FmIndex *o = fm_list_get(&pm->t->indexes, x, FmIndex);

		if (o == ix)
			break;
		if (pm->ix_ukey[x] && o->elems.n == 1 &&
			fm_list_get(&o->elems, 0, FmIndexElem)->opclass == NULL &&
			fm_streq(fm_list_get(&o->elems, 0, FmIndexElem)->column, col))
			return false;
	}
	return true;
}

/*
 * fm_p_prisma_field_unique
 *		Add to fld (column c of pm) the field-level @unique of a unique index
 *		that Prisma states there (fm_p_prisma_ukey_on_field): map: when
 *		forced, sort:, where: raw("..."), in Prisma's order.
 */
void
fm_p_prisma_field_unique(PState *ps, PModel *pm, const FmColumn *c, FmAstField *fld,
						 PForce *f)
{
	const FmTable *t = pm->t;

	for (int x = 0; x < t->indexes.n; x++)
	{
		const FmIndex *ix = fm_list_get(&t->indexes, x, FmIndex);
		const FmIndexElem *el = fm_list_get(&ix->elems, 0, FmIndexElem);
		FmAstAttribute *at;

		/* Prisma: @unique(sort: Desc), @unique(where: raw("...")) */
		if (!pm->ix_ukey[x] || !fm_p_prisma_ukey_on_field(ps, pm, ix) || !fm_streq(el->column, c->name))
			continue;
		at = fm_p_attr(ps, "unique", false);
		/* in Prisma's order: map, sort, where */
		if (fm_p_forced(ps, f, t, "uq", ix->name))
			fm_p_add_map_arg(ps, at, ix->name);
		if (el->sort != FM_SORT_DEFAULT)
		{
			at->has_parens = true;
			fm_p_arg(ps, &at->args, "sort", fm_p_ident(ps, el->sort == FM_SORT_DESC ? "Desc" : "Asc"));
		}
		if (ix->predicate)
		{
			FmAstValue *raw = fm_p_call(ps, "raw");

			at->has_parens = true;
			fm_p_arg(ps, &raw->args, NULL, fm_p_str(ps, fm_p_sql_text(ps, ix->predicate)));
			fm_p_arg(ps, &at->args, "where", raw);
			ps->partial_indexes = true;
		}
		fm_list_append(ps->a, &fld->attrs, at);
		break;
	}
}

/*
 * The prisma dialect names constraints and indexes without numbering them
 * (a clash is an error, not another name), so the first text must already
 * map every name that is not Prisma's: force map: on each before printing.
 */
void
fm_p_prisma_preforce(PState *ps, PForce *f)
{
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);
		const FmTable *t = pm->t;

		if (pm->m2m)
			continue;
		if (t->primary_key &&
			!fm_streq(t->primary_key->name, fm_dialect_prisma_name(ps->a, t->name, NULL, "_pkey")))
			fm_p_force(ps, f, t, "pk", NULL);
		for (int k = 0; k < pm->keys.n; k++)
		{
			const FmKey *key = fm_list_get(&pm->keys, k, FmKey);

			if (!fm_streq(key->name, fm_dialect_prisma_name(ps->a, t->name,
															fm_column_list_name(ps->a, &key->columns), "_key")))
				fm_p_force(ps, f, t, "uq", key->name);
		}
		for (int k = 0; k < t->indexes.n; k++)
		{
			const FmIndex *ix = fm_list_get(&t->indexes, k, FmIndex);
			FmList		cols = {0};

			if (!pm->ix_ok[k] && !pm->ix_ukey[k])
				continue;
			for (int e = 0; e < ix->elems.n; e++)
				fm_list_append(ps->a, &cols, fm_list_get(&ix->elems, e, FmIndexElem)->column);
			if (!fm_streq(ix->name, fm_dialect_prisma_name(ps->a, t->name, fm_column_list_name(ps->a, &cols),
														   pm->ix_ukey[k] ? "_key" : "_idx")))
				fm_p_force(ps, f, t, pm->ix_ukey[k] ? "uq" : "ix", ix->name);
		}
		for (int k = 0; k < t->foreign_keys.n; k++)
		{
			const FmForeignKey *fk = fm_list_get(&t->foreign_keys, k, FmForeignKey);

			if (pm->fk_ok && pm->fk_ok[k] &&
				!fm_streq(fk->name, fm_dialect_prisma_name(ps->a, t->name,
														   fm_column_list_name(ps->a, &fk->columns), "_fkey")))
				fm_p_force(ps, f, t, "fk", fk->name);
		}
	}
}
