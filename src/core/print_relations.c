/*-------------------------------------------------------------------------
 *
 * print_relations.c
 *	  Print: relation fields from foreign keys, and the hidden join tables
 *	  of implicit many-to-many relations.
 *
 * Every foreign key the language can state becomes a relation field on its
 * table's model (with fields:, references:, the referential actions that
 * differ from the validator's defaults) and a back-relation on the
 * referenced model: a list, or an optional field when the foreign key's
 * columns are the primary key or a unique key (one-to-one).  Relations get
 * a name when the two models are related more than once or a model
 * relates to itself.  A foreign key the language cannot state (to a table
 * outside the managed schemas, to columns that are not a key, between
 * different types, deferrable, SetNull on a required column) makes its
 * table @@ignore'd.
 *
 * A table is recognised as an implicit many-to-many join table when it is
 * exactly what the validator builds for one (validate.c make_m2m): columns
 * "A" and "B" referencing the single-column primary keys of two models,
 * primary key (A, B), an index on B, cascading foreign keys, every name the
 * conventional one, and a table name the relation gives back.
 *
 * src/core/print_relations.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "fm_diff.h"
#include "print_int.h"

static bool
same_type(const FmType *a, const FmType *b)
{
	if (a->kind == FM_TYPE_ENUM || b->kind == FM_TYPE_ENUM)
		return a->kind == b->kind && fm_streq(a->enum_schema, b->enum_schema) &&
			fm_streq(a->enum_name, b->enum_name);
	return a->kind == b->kind && fm_streq(a->sql, b->sql);
}

/*
 * The SQL type of column c as it is printed (ft, its fm_p_field_type): a
 * domain's column printed as its base type (domain_as_base) has that type.
 */
static const char *
printed_sql(const FmColumn *c, const PFieldType *ft)
{
	return ft->domain ? FM_COL_MORE(c)->domain_base : c->type.sql;
}

/*
 * A foreign key column c can be stated as referencing key column r: the
 * same type, or the same scalar type of the language with built-in types
 * that PostgreSQL compares in a foreign key (character varying(100) ->
 * text), as the validator accepts them (validate_relation.c fk_type_ok);
 * a domain's column printed as its base type counts as that type (email
 * over text referencing text).
 */
static bool
fk_type_ok(PState *ps, const FmColumn *c, const FmColumn *r)
{
	PFieldType	fc,
				fr;

	if (same_type(&c->type, &r->type))
		return true;
	if (c->type.kind != FM_TYPE_BUILTIN || r->type.kind != FM_TYPE_BUILTIN)
		return false;
	fc = fm_p_field_type(ps, c);
	fr = fm_p_field_type(ps, r);
	return fm_fk_types_compatible(ps->a, printed_sql(r, &fr), printed_sql(c, &fc)) &&
		strcmp(fc.type_name, "Unsupported") != 0 &&
		fm_streq(fc.type_name, fr.type_name);
}

static bool
list_is(const FmList *l, const char *a, const char *b)
{
	if (l->n != (b ? 2 : 1))
		return false;
	return strcmp(fm_list_get(l, 0, char), a) == 0 &&
		(b == NULL || strcmp(fm_list_get(l, 1, char), b) == 0);
}

/* the single-column primary key column of t, or NULL */
static const FmColumn *
single_pk(const FmTable *t)
{
	if (t->primary_key == NULL || t->primary_key->columns.n != 1)
		return NULL;
	return fm_table_find_column(t, fm_list_get(&t->primary_key->columns, 0, char));
}

/* the model that a join table column (fk on A or B) references, or NULL */
static PModel *
m2m_side(PState *ps, const FmTable *t, const FmForeignKey *fk, const char *col)
{
	PModel	   *target;
	const FmColumn *pk;
	const FmColumn *c = fm_table_find_column(t, col);

	if (!list_is(&fk->columns, col, NULL) || fk->on_delete != FM_FK_CASCADE ||
		fk->on_update != FM_FK_CASCADE || fk->deferrable ||
		strcmp(fk->name ? fk->name : "", P_PRISMA(ps) ?
			   fm_dialect_m2m_fkey_name(fm_dialect(ps->nm->kind), ps->a, t->name, col) :
			   fm_make_object_name(ps->a, t->name, col, "fkey")) != 0)
		return NULL;
	target = fm_hash_get2(&ps->by_table, fk->ref_schema, fk->ref_table);
	if (target == NULL || target->t == t || (pk = single_pk(target->t)) == NULL ||
		!list_is(&fk->ref_columns, pk->name, NULL) || c == NULL ||
		!same_type(&c->type, &pk->type))
		return NULL;
	return target;
}

/* Is t exactly a join table the validator would build?  Sets the sides. */
static bool
is_join_table(PState *ps, PModel *pm)
{
	const FmTable *t = pm->t;
	const FmIndex *ix;
	const FmIndexElem *el;
	const FmForeignKey *fa,
			   *fb;

	if (t->name[0] != '_' || t->columns.n != 2 || t->uniques.n != 0 ||
		t->checks.n != 0 || t->indexes.n != 1 || t->foreign_keys.n != 2 ||
		t->comment != NULL || t->primary_key == NULL || t->ignore_reason)
		return false;
	for (int i = 0; i < 2; i++)
	{
		const FmColumn *c = fm_list_get(&t->columns, i, FmColumn);

		if (strcmp(c->name, i == 0 ? "A" : "B") != 0 || !c->notnull ||
			c->default_sql || c->autoinc != FM_AUTOINC_NONE || FM_COL_MORE(c)->comment ||
			c->type.kind == FM_TYPE_UNSUPPORTED)
			return false;
	}
	if (!list_is(&t->primary_key->columns, "A", "B") ||
		!fm_streq(t->primary_key->name, P_PRISMA(ps) ?
				  fm_dialect_prisma_name(ps->a, t->name, NULL, "_AB_pkey") :
				  fm_make_object_name(ps->a, t->name, NULL, "pkey")))
		return false;
	ix = fm_list_get(&t->indexes, 0, FmIndex);
	if (ix->elems.n != 1 || ix->unique || ix->include.n || ix->predicate ||
		!fm_streq(ix->method, "btree") ||
		!fm_streq(ix->name, P_PRISMA(ps) ?
				  fm_dialect_prisma_name(ps->a, t->name, NULL, "_B_index") :
				  fm_make_object_name(ps->a, t->name, "B", "idx")))
		return false;
	el = fm_list_get(&ix->elems, 0, FmIndexElem);
	if (!fm_streq(el->column, "B") || el->sort != FM_SORT_DEFAULT ||
		el->nulls != FM_NULLS_DEFAULT || el->opclass)
		return false;
	fa = fm_list_get(&t->foreign_keys, 0, FmForeignKey);
	fb = fm_list_get(&t->foreign_keys, 1, FmForeignKey);
	if (fa->columns.n == 1 && strcmp(fm_list_get(&fa->columns, 0, char), "B") == 0)
	{
		const FmForeignKey *tmp = fa;

		fa = fb;
		fb = tmp;
	}
	pm->m2m_a = m2m_side(ps, t, fa, "A");
	pm->m2m_b = m2m_side(ps, t, fb, "B");
	if (pm->m2m_a == NULL || pm->m2m_b == NULL ||
		!fm_streq(pm->m2m_a->t->schema, t->schema))
		return false;
	return true;
}

/* Mark the join tables (by their shape; names are checked later). */
void
fm_p_find_m2m(PState *ps)
{
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		if (is_join_table(ps, pm))
			pm->m2m = true;
	}
	/* a join table's sides must be ordinary models */
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		if (pm->m2m && (pm->m2m_a->m2m || pm->m2m_b->m2m))
			pm->m2m = false;
	}
}

/* ---------- names ---------- */

/* s with its first letter in lower case, in ps->a. */
static char *
lower_first(PState *ps, const char *s)
{
	char	   *r = fm_strdup(ps->a, s);

	if (r[0] >= 'A' && r[0] <= 'Z')
		r[0] = (char) (r[0] - 'A' + 'a');
	return r;
}

/*
 * plural
 *		The English plural of a field name, for the list side of a relation:
 *		irregular nouns, "-y" after a consonant to "-ies", "-s", "-x", "-ch"
 *		and "-sh" to "-es", else "-s".  Allocated in ps->a.
 */
static char *
plural(PState *ps, const char *s)
{
	size_t		n = strlen(s);
	char	   *irr = fm_irregular_plural(ps->a, s, true);

	if (irr)
		return irr;
	if (n > 1 && s[n - 1] == 'y' && strchr("aeiou", s[n - 2]) == NULL)
		return fm_psprintf(ps->a, "%.*sies", (int) (n - 1), s);
	if ((n > 0 && (s[n - 1] == 's' || s[n - 1] == 'x')) ||
		(n > 1 && (strcmp(s + n - 2, "ch") == 0 || strcmp(s + n - 2, "sh") == 0)))
		return fm_psprintf(ps->a, "%ses", s);
	return fm_psprintf(ps->a, "%ss", s);
}

/* "authorId" -> "author", "author_id" field "authorId" -> "author" */
static char *
owner_field_name(PState *ps, PModel *pm, const FmForeignKey *fk, PModel *target)
{
	if (fk->columns.n == 1)
	{
		int			k = fm_p_column_index(pm->t, fm_list_get(&fk->columns, 0, char));
		const char *f = k >= 0 ? pm->fields[k] : "";
		size_t		n = strlen(f);

		if (n > 2 && strcmp(f + n - 2, "Id") == 0)
			return fm_strndup(ps->a, f, n - 2);
		if (n > 3 && strcmp(f + n - 3, "_id") == 0)
			return fm_strndup(ps->a, f, n - 3);
	}
	return lower_first(ps, target->name);
}

/*
 * fm_p_rel_key
 *		The key that identifies a relation field across pulls (to keep its
 *		name from the previous text): its kind ("f" owner side, "b" back
 *		side, "mA"/"mB" many-to-many), the table and the key columns,
 *		separated by \x01.  Allocated in ps->a.
 */
char *
fm_p_rel_key(PState *ps, const char *kind, const FmTable *t, const FmList *cols)
{
	FmBuf		b;

	fm_buf_init(&b, ps->a);
	fm_buf_printf(&b, "%s\x01%s\x01%s", kind, t->schema ? t->schema : "", t->name);
	for (int i = 0; i < cols->n; i++)
		fm_buf_printf(&b, "\x01%s", fm_list_get(cols, i, char));
	return b.data;
}

/*
 * The n-th (from 2) relation with key: key and "\x01#n".  Two foreign keys
 * over the same columns of a table have one key (fm_p_rel_key); each pull
 * gives them their fields in one order, so the n-th of a previous text is
 * the n-th here.
 */
static char *
nth_rel_key(PState *ps, FmHashMap *seen, char *key)
{
	char	   *k = key;

	for (int n = 2; fm_hash_get(seen, k) != NULL; n++)
		k = fm_psprintf(ps->a, "%s\x01#%d", key, n);
	return k;
}

/*
 * fm_p_add_rel
 *		Add a relation field to model pm: named as in the previous text when
 *		key was there, else want, made unique in the model.  Returns it, to
 *		be filled in by the caller.  A key given before (another foreign key
 *		over the same columns) is numbered, as fm_p_prev_relations numbers
 *		the previous text's.
 */
PRel *
fm_p_add_rel(PState *ps, PModel *pm, const char *want, char *key)
{
	PRel	   *r = fm_alloc(ps->a, sizeof(PRel));
	const char *prev;

	key = nth_rel_key(ps, &ps->rel_keys, key);
	fm_hash_put(ps->a, &ps->rel_keys, key, key);
	prev = fm_hash_get(&ps->prev_rel_names, key);
	r->key = key;
	r->name = fm_p_unique_field(ps, pm, prev ? prev : want);
	r->fk_index = -1;
	fm_list_append(ps->a, &pm->rels, r);
	return r;
}

static void name_relations(PState *ps);
static void keep_relation_names(PState *ps);

/* ---------- foreign keys ---------- */

/*
 * Are cols (in any order, or with ordered in the key's order, as Prisma
 * wants the fields of a one-to-one relation) the primary key or a unique
 * key of pm (a unique index with a sort order included: pm->sorted_keys)?
 */
bool
fm_p_is_key_of(const PModel *pm, const FmList *cols, bool ordered)
{
	for (int i = -1; i < pm->keys.n + pm->sorted_keys.n; i++)
	{
		const FmKey *k = i < 0 ? pm->t->primary_key :
			i < pm->keys.n ? fm_list_get(&pm->keys, i, FmKey) :
			fm_list_get(&pm->sorted_keys, i - pm->keys.n, FmKey);
		bool		all = k != NULL && k->columns.n == cols->n;

		for (int j = 0; all && j < cols->n; j++)
		{
			bool		found = false;

			for (int h = ordered ? j : 0; h < k->columns.n && !found; h++)
			{
				found = fm_streq(fm_list_get(&k->columns, h, char), fm_list_get(cols, j, char));
				if (ordered)
					break;
			}
			all = found;
		}
		if (all)
			return true;
	}
	return false;
}

/*
 * The one problem that leaves a foreign key a relation: the text states the
 * key but not its deferrability, and the table's @preserve line keeps it
 * (Prisma's introspection, which ignores deferrability, gives the relation
 * too; without it a client of a Rails database, whose keys are often
 * deferrable, would lose its relations).
 */
const char *const fm_p_fk_deferrable = "it is deferrable";

/*
 * Why the language cannot state fk of pm, or NULL; *opt: any column
 * nullable.  fm_p_fk_deferrable only when nothing else is wrong.
 */
const char *
fm_p_fk_problem(PState *ps, PModel *pm, const FmForeignKey *fk, PModel *target, bool *opt)
{
	*opt = false;
	if (target == NULL || target->m2m)
		return "it references a table outside the managed schemas";
	if (fk->columns.n == 0 || fk->columns.n != fk->ref_columns.n)
		return "its columns do not match";
	if (!fm_p_is_key_of(target, &fk->ref_columns, false))
		return "the referenced columns are not the primary key or a unique constraint";
	for (int i = 0; i < fk->columns.n; i++)
	{
		const FmColumn *c = fm_table_find_column(pm->t, fm_list_get(&fk->columns, i, char));
		const FmColumn *r = fm_table_find_column(target->t, fm_list_get(&fk->ref_columns, i, char));

		/* a column a table inherits is its parent's, which it does not print */
		if (c == NULL || r == NULL)
			return c == NULL ? "one of its columns is inherited from a parent table" :
				"a referenced column is inherited from a parent table";
		if (!fk_type_ok(ps, c, r))
			return "its columns and the referenced columns have different types";
		if (!c->notnull)
			*opt = true;
	}
	for (int i = 0; i < fk->columns.n; i++)
	{
		const FmColumn *c = fm_table_find_column(pm->t, fm_list_get(&fk->columns, i, char));

		/* the prisma dialect states it, as Prisma does (with a warning) */
		if (c->notnull && !P_PRISMA(ps) &&
			(fk->on_delete == FM_FK_SET_NULL || fk->on_update == FM_FK_SET_NULL))
			return "it sets a required column to NULL";
	}
	if (fk->deferrable)
		return fm_p_fk_deferrable;
	return NULL;
}

/*
 * fk_relations
 *		The relation fields of the foreign keys of model pm: the owner side
 *		in pm (named after the key field, "authorId" -> "author") and the
 *		back side in the target (one, or a list with a plural name, as the
 *		key columns are a key of pm or not).  A foreign key that cannot be
 *		stated adds a reason to pm->reasons (the table gets @preserve; a
 *		deferrable one is still a relation); pm->fk_ok[k] tells which were
 *		stated.
 */
static void
fk_relations(PState *ps, PModel *pm)
{
	const FmTable *t = pm->t;

	pm->fk_ok = fm_alloc(ps->a, sizeof(bool) * (size_t) (t->foreign_keys.n + 1));
	for (int k = 0; k < t->foreign_keys.n; k++)
	{
		const FmForeignKey *fk = fm_list_get(&t->foreign_keys, k, FmForeignKey);
		PModel	   *target = fm_hash_get2(&ps->by_table, fk->ref_schema, fk->ref_table);
		bool		opt;
		const char *why = fm_p_fk_problem(ps, pm, fk, target, &opt);
		bool		one = fm_p_is_key_of(pm, &fk->columns, false);
		PRel	   *owner,
				   *back;
		char	   *want;

		if (pm->fk_skip && pm->fk_skip[k])
			continue;
		/* a partition's own: fm_p_lineage_unstated gives the reason */
		if (t->part_parent != NULL)
			continue;
		if (why)
		{
			fm_list_append(ps->a, &pm->reasons,
						   fm_psprintf(ps->a, "the foreign key \"%s\" cannot be stated: %s",
									   fk->name ? fk->name : "", why));
			if (why != fm_p_fk_deferrable)
				continue;
		}
		pm->fk_ok[k] = true;
		owner = fm_p_add_rel(ps, pm, owner_field_name(ps, pm, fk, target),
						fm_p_rel_key(ps, "f", t, &fk->columns));
		owner->target = target;
		owner->optional = opt;
		owner->fk = fk;
		owner->fk_index = k;
		want = lower_first(ps, pm->name);
		back = fm_p_add_rel(ps, target, one ? want : plural(ps, want),
					   fm_p_rel_key(ps, "b", t, &fk->columns));
		back->target = pm;
		back->list = !one;
		back->optional = one;
	}
}

/*
 * The two list fields of an implicit many-to-many relation, whose join
 * table is pm: one in each related model, sharing the relation's name.
 */
static void
m2m_relations(PState *ps, PModel *pm)
{
	PModel	   *a = pm->m2m_a;
	PModel	   *b = pm->m2m_b;
	FmList		none = {0};
	PRel	   *ra,
			   *rb;

	ra = fm_p_add_rel(ps, a, plural(ps, lower_first(ps, b->name)), fm_p_rel_key(ps, "mA", pm->t, &none));
	ra->target = b;
	ra->list = true;
	rb = fm_p_add_rel(ps, b, plural(ps, lower_first(ps, a->name)), fm_p_rel_key(ps, "mB", pm->t, &none));
	rb->target = a;
	rb->list = true;
	ra->relname = pm->m2m_relname;
	rb->relname = pm->m2m_relname;
}

/*
 * Join tables whose names the models give back stay join tables; the
 * others become models again (named by the caller).  Then every relation
 * field, and relation names where a pair of models is related more than
 * once or a model relates to itself.
 */
void
fm_p_relations(PState *ps)
{
	fm_p_name_models(ps);
	if (P_PRISMA(ps))
	{
		fm_p_prisma_relations(ps);
		keep_relation_names(ps);
		return;
	}
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);
		char	   *conv;

		if (!pm->m2m)
			continue;
		if (strcmp(pm->m2m_a->name, pm->m2m_b->name) > 0)
		{
			pm->m2m = false;
			continue;
		}
		conv = fm_psprintf(ps->a, "_%sTo%s", pm->m2m_a->name, pm->m2m_b->name);
		if (strcmp(conv, pm->t->name) != 0 || pm->m2m_a == pm->m2m_b)
			pm->m2m_relname = fm_strdup(ps->a, pm->t->name + 1);
	}
	fm_p_name_models(ps);
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		if (!pm->m2m)
			fm_p_name_fields(ps, pm);
	}
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		if (pm->m2m)
			m2m_relations(ps, pm);
		else
			fk_relations(ps, pm);
	}
	name_relations(ps);
	keep_relation_names(ps);
}

/* the pair of model names x, y (in order) of pm and its relation r */
static void
rel_pair(const PModel *pm, const PRel *r, const char **x, const char **y)
{
	*x = pm->name;
	*y = r->target->name;
	if (strcmp(*x, *y) > 0)
	{
		const char *tmp = *x;

		*x = *y;
		*y = tmp;
	}
}

/*
 * Relation names: every relation of a pair of models related more than
 * once, and every self-relation, gets one ("Model_fieldsToTarget" for a
 * foreign key, which its back-relation takes too; the join table's name
 * for a many-to-many relation).
 */
static void
name_relations(PState *ps)
{
	FmHashMap	pair_count = {0};
	FmHashMap	used = {0};		/* (pair, relation name) taken */

	/* how often each (unordered) pair of models is related */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < ps->models.n; i++)
		{
			PModel	   *pm = fm_list_get(&ps->models, i, PModel);

			for (int j = 0; j < pm->rels.n; j++)
			{
				PRel	   *r = fm_list_get(&pm->rels, j, PRel);
				const char *x,
						   *y;
				int		   *n;

				rel_pair(pm, r, &x, &y);
				n = fm_hash_get2(&pair_count, x, y);
				if (pass == 0)
				{
					if (n == NULL)
					{
						n = fm_alloc(ps->a, sizeof(int));
						fm_hash_put2(ps->a, &pair_count, x, y, n);
					}
					(*n)++;
				}
				else if ((*n > 2 || pm == r->target) && r->relname == NULL)
				{
					/* every relation has two fields: more than one relation */
					if (r->fk)
					{
						FmAstValue *names = fm_p_name_list(ps, pm, &r->fk->columns);
						FmBuf		b;

						fm_buf_init(&b, ps->a);
						for (int h = 0; h < names->items.n; h++)
							fm_buf_printf(&b, "%s%s", h ? "_" : "",
										  fm_list_get(&names->items, h, FmAstValue)->text);
						r->relname = fm_psprintf(ps->a, "%s_%sTo%s", pm->name, b.data,
												 r->target->name);
						/* two foreign keys on the same columns: a number */
						for (int k = 2; fm_hash_get2(&used, x, fm_psprintf(ps->a, "%s\x01%s", y, r->relname)); k++)
							r->relname = fm_psprintf(ps->a, "%s_%sTo%s%d", pm->name, b.data,
													 r->target->name, k);
						fm_hash_put2(ps->a, &used, x, fm_psprintf(ps->a, "%s\x01%s", y, r->relname), r);
					}
				}
			}
		}
	/* back-relations take their owner's name */
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		for (int j = 0; j < pm->rels.n; j++)
		{
			PRel	   *r = fm_list_get(&pm->rels, j, PRel);

			if (r->fk == NULL || r->relname == NULL)
				continue;
			for (int h = 0; h < r->target->rels.n; h++)
			{
				PRel	   *b = fm_list_get(&r->target->rels, h, PRel);

				if (b->fk == NULL && b->target == pm && b->relname == NULL &&
					strcmp(b->key + 1, r->key + 1) == 0 && b->key[0] == 'b')
				{
					b->relname = r->relname;
					break;
				}
			}
		}
	}
	/* join tables of a pair related more than once need their name */
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);
		int		   *n;

		if (!pm->m2m || pm->m2m_relname)
			continue;
		n = fm_hash_get2(&pair_count, pm->m2m_a->name, pm->m2m_b->name);
		if (n && *n > 2)
		{
			pm->m2m_relname = fm_strdup(ps->a, pm->t->name + 1);
			for (int s = 0; s < 2; s++)
			{
				PModel	   *side = s == 0 ? pm->m2m_a : pm->m2m_b;

				for (int h = 0; h < side->rels.n; h++)
				{
					PRel	   *r = fm_list_get(&side->rels, h, PRel);

					if (r->key[0] == 'm' && strcmp(r->key + 2, fm_p_rel_key(ps, "m", pm->t, &(FmList) {0}) + 1) == 0)
						r->relname = pm->m2m_relname;
				}
			}
		}
	}
}

/* ---------- re-pull: relation names of the previous text ---------- */

/*
 * Does a relation between pm and target other than r and b (a relation
 * and its back-relation) have the name rn?
 */
static bool
pair_has_relname(const PModel *pm, const PModel *target, const char *rn,
				 const PRel *r, const PRel *b)
{
	for (int side = 0; side < 2; side++)
	{
		const PModel *from = side == 0 ? pm : target;
		const PModel *to = side == 0 ? target : pm;

		for (int i = 0; i < from->rels.n; i++)
		{
			const PRel *x = fm_list_get(&from->rels, i, PRel);

			if (x != r && x != b && x->target == to && fm_streq(x->relname, rn))
				return true;
		}
	}
	return false;
}

/*
 * keep_relation_names
 *		On a re-pull, the relation of a foreign key takes the name the
 *		previous text gave it (@relation("name", fields: ...), found by the
 *		key's table and columns), needed or not, and so does its
 *		back-relation, as Prisma's re-introspection keeps relation names.
 *		A name that another relation of the same two models has here (an
 *		invalid previous text, or a name chosen like a generated one) is
 *		not taken: that relation keeps the name it was given, so the text
 *		stays valid.  Many-to-many relations need nothing: their name is
 *		their join table's.
 */
static void
keep_relation_names(PState *ps)
{
	if (ps->prev == NULL)
		return;
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		for (int j = 0; j < pm->rels.n && !pm->m2m; j++)
		{
			PRel	   *r = fm_list_get(&pm->rels, j, PRel);
			PRel	   *back = NULL;
			const char *rn;

			if (r->fk == NULL || r->key == NULL || r->target == NULL ||
				(rn = fm_hash_get(&ps->prev_relnames, r->key)) == NULL ||
				fm_streq(r->relname, rn))
				continue;
			for (int h = 0; h < r->target->rels.n && back == NULL; h++)
			{
				PRel	   *b = fm_list_get(&r->target->rels, h, PRel);

				if (b->fk == NULL && b->target == pm && b->key != NULL &&
					b->key[0] == 'b' && strcmp(b->key + 1, r->key + 1) == 0)
					back = b;
			}
			if (pair_has_relname(pm, r->target, rn, r, back))
				continue;
			r->relname = fm_strdup(ps->a, rn);
			if (back)
				back->relname = r->relname;
		}
	}
}

/* ---------- re-pull: relation field names of the previous text ---------- */

/* the relation name of a relation field's @relation, or NULL */
static const char *
ast_relname(const FmAstField *f, const FmAstArg **fields)
{
	const char *name = NULL;

	*fields = NULL;
	for (int i = 0; i < f->attrs.n; i++)
	{
		const FmAstAttribute *at = fm_list_get(&f->attrs, i, FmAstAttribute);

		if (at->block || !fm_streq(at->name, "relation"))
			continue;
		for (int j = 0; j < at->args.n; j++)
		{
			const FmAstArg *arg = fm_list_get(&at->args, j, FmAstArg);

			if ((arg->name == NULL || fm_streq(arg->name, "name")) && arg->value &&
				arg->value->kind == FM_VAL_STRING)
				name = arg->value->text;
			else if (fm_streq(arg->name, "fields") && arg->value &&
					 arg->value->kind == FM_VAL_ARRAY)
				*fields = arg;
		}
	}
	return name;
}

/* the foreign key columns of fields: [a, b] in the previous table pp */
static bool
ast_columns(PState *ps, PPrev *pp, const FmAstArg *fields, FmList *out)
{
	for (int i = 0; i < fields->value->items.n; i++)
	{
		const FmAstValue *v = fm_list_get(&fields->value->items, i, FmAstValue);
		const FmColumn *c = fm_p_prev_column_of_field(ps, pp, v->text);

		if (c == NULL || c->name == NULL)
			return false;
		fm_list_append(ps->a, out, (void *) c->name);
	}
	return true;
}

/*
 * The relation fields of the previous text by block, type and relation
 * name: the first two of each, so that a field's partner (the first other
 * than itself) is found in constant time (a search of the target block
 * per field made a re-pull quadratic in the previous text, in the core,
 * which cannot be cancelled).
 */
typedef struct Partners
{
	const FmAstField *g[2];
} Partners;

/* the key of a (type, relation name) pair; rn may be NULL */
static char *
partner_key(PState *ps, const char *type, const char *rn)
{
	return fm_psprintf(ps->a, "%s\x01%c%s", type, rn ? '+' : '-', rn ? rn : "");
}

/* index every field of every model block of the previous text */
static void
index_partners(PState *ps, FmHashMap *partners)
{
	for (int i = 0; i < ps->prev_ast->blocks.n; i++)
	{
		const FmAstBlock *b = fm_list_get(&ps->prev_ast->blocks, i, FmAstBlock);

		if (b->kind != FM_BLOCK_MODEL || b->name == NULL)
			continue;
		for (int j = 0; j < b->fields.n; j++)
		{
			const FmAstField *g = fm_list_get(&b->fields, j, FmAstField);
			const FmAstArg *gf;
			char	   *key;
			Partners   *p;

			if (g->type_name == NULL)
				continue;
			key = partner_key(ps, g->type_name, ast_relname(g, &gf));
			p = fm_hash_get2(partners, fm_psprintf(ps->a, "%p", (const void *) b), key);
			if (p == NULL)
			{
				p = fm_alloc(ps->a, sizeof(Partners));
				memset(p, 0, sizeof(Partners));
				fm_hash_put2(ps->a, partners, fm_psprintf(ps->a, "%p", (const void *) b), key, p);
			}
			if (p->g[0] == NULL)
				p->g[0] = g;
			else if (p->g[1] == NULL)
				p->g[1] = g;
		}
	}
}

/* the field of block b of type type with relation name rn, other than f */
static const FmAstField *
ast_partner(PState *ps, const FmHashMap *partners, const FmAstBlock *b,
			const char *type, const char *rn, const FmAstField *f)
{
	const Partners *p;

	if (b == NULL || type == NULL)
		return NULL;
	p = fm_hash_get2(partners, fm_psprintf(ps->a, "%p", (const void *) b),
					 partner_key(ps, type, rn));
	if (p == NULL)
		return NULL;
	return p->g[0] != f ? p->g[0] : p->g[1];
}

/*
 * Record the relation field names of the previous text by the key each
 * relation gets here (rel_key): a foreign key by its table and columns,
 * its back-relation likewise, a many-to-many side by its join table.
 */
void
fm_p_prev_relations(PState *ps)
{
	FmHashMap	blocks = {0};
	FmHashMap	tables = {0};
	FmHashMap	partners = {0};

	if (ps->prev_ast == NULL || ps->prev == NULL)
		return;
	index_partners(ps, &partners);
	for (int i = 0; i < ps->prev_ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ps->prev_ast->blocks, i, FmAstBlock);

		if (b->kind == FM_BLOCK_MODEL && b->name)
			fm_hash_put(ps->a, &blocks, b->name, b);
	}
	for (int i = 0; i < ps->prev->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&ps->prev->tables, i, FmTable);
		PPrev	   *pp;

		if (t->model_name == NULL)
			continue;
		/* the table itself, also where another one has its name */
		pp = fm_p_prev_table(ps, t->schema, t->name);
		if (pp == NULL || pp->t != t)
		{
			pp = fm_alloc(ps->a, sizeof(PPrev));
			memset(pp, 0, sizeof(PPrev));
			pp->t = t;
		}
		fm_hash_put(ps->a, &tables, t->model_name, pp);
	}
	for (int i = 0; i < ps->prev_ast->blocks.n; i++)
	{
		const FmAstBlock *b = fm_list_get(&ps->prev_ast->blocks, i, FmAstBlock);
		PPrev	   *pt = b->name ? fm_hash_get(&tables, b->name) : NULL;
		const FmTable *t = pt ? pt->t : NULL;

		if (b->kind != FM_BLOCK_MODEL || t == NULL)
			continue;
		for (int j = 0; j < b->fields.n; j++)
		{
			const FmAstField *f = fm_list_get(&b->fields, j, FmAstField);
			const FmAstBlock *tb = f->type_name ? fm_hash_get(&blocks, f->type_name) : NULL;
			PPrev	   *ptt = f->type_name ? fm_hash_get(&tables, f->type_name) : NULL;
			const FmTable *tt = ptt ? ptt->t : NULL;
			const FmAstArg *fields;
			const char *rn = ast_relname(f, &fields);
			const FmAstField *g;
			const FmAstArg *gfields = NULL;
			FmList		cols = {0};
			char	   *key = NULL;

			if (tb == NULL || tt == NULL || f->name == NULL)
				continue;
			g = ast_partner(ps, &partners, tb, b->name, rn, f);
			if (g)
				(void) ast_relname(g, &gfields);
			if (fields)
			{
				if (ast_columns(ps, pt, fields, &cols))
					key = fm_p_rel_key(ps, "f", t, &cols);
			}
			else if (gfields)
			{
				if (ast_columns(ps, ptt, gfields, &cols))
					key = fm_p_rel_key(ps, "b", tt, &cols);
			}
			else if (f->list && g && g->list)
			{
				const char *x = b->name,
						   *y = f->type_name;
				/* the first model by name holds column A; a self-relation's first field */
				bool		a_side = strcmp(x, y) < 0 ||
					(strcmp(x, y) == 0 && ast_partner(ps, &partners, b, y, rn, NULL) == f);
				FmTable		jt;

				memset(&jt, 0, sizeof(jt));
				jt.schema = strcmp(x, y) <= 0 ? t->schema : tt->schema;
				jt.name = rn ? fm_psprintf(ps->a, "_%s", rn) :
					fm_psprintf(ps->a, "_%sTo%s", strcmp(x, y) <= 0 ? x : y, strcmp(x, y) <= 0 ? y : x);
				key = fm_p_rel_key(ps, a_side ? "mA" : "mB", &jt, &cols);
			}
			if (key)
			{
				key = nth_rel_key(ps, &ps->prev_rel_names, key);
				fm_hash_put(ps->a, &ps->prev_rel_names, key, f->name);
			}
			/* the relation's name, kept as Prisma's re-introspection keeps it */
			if (key && fields && rn && rn[0] != '\0')
				fm_hash_put(ps->a, &ps->prev_relnames, key, (void *) rn);
		}
	}
}
