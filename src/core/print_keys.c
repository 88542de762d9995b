/*-------------------------------------------------------------------------
 *
 * print_keys.c
 *	  Print's analysis of keys and indexes (print.c drives): which unique
 *	  indexes are keys (@@unique), why an index cannot be stated (@@index),
 *	  whether a table has a key a client can use (else @@ignore), and the
 *	  keys the ferriorm dialect would merge or cannot state (NULLS NOT
 *	  DISTINCT), as reasons for /// @preserve.  Also the attributes that
 *	  state keys (@@id, @@unique) and indexes (@@index, and @@unique for a
 *	  sorted unique index), with their arguments: names, sort orders,
 *	  lengths, operator classes, types and map:.
 *
 * src/core/print_keys.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "print_int.h"

static const char *const index_types[][2] = {
	{"btree", "BTree"}, {"hash", "Hash"}, {"gin", "Gin"}, {"gist", "Gist"},
	{"spgist", "SpGist"}, {"brin", "Brin"}
};

/* Prisma's name of an index access method (type: BTree), NULL for another */
const char *
fm_p_index_type_name(const char *method)
{
	for (size_t i = 0; i < sizeof(index_types) / sizeof(index_types[0]); i++)
		if (fm_streq(method, index_types[i][0]))
			return index_types[i][1];
	return NULL;
}

/* why the language cannot state a key or index with NULLS NOT DISTINCT */
static const char *const nnd_problem =
	"it treats nulls as equal (NULLS NOT DISTINCT)";

/*
 * Why @@index cannot state ix, or NULL.  A unique index that is not a key
 * (fm_p_collect_keys) gets the first thing that keeps it from being one
 * (an expression, NULLS FIRST, ...), and only else "it is a unique index".
 */
const char *
fm_p_index_problem(const FmIndex *ix)
{
	if (ix->nulls_not_distinct)
		return nnd_problem;
	if (fm_p_index_type_name(ix->method) == NULL)
		return "its access method is not one of btree, hash, gin, gist, spgist, brin";
	if (ix->include.n > 0)
		return "it has INCLUDE columns";
	if (ix->elems.n == 0 || (fm_streq(ix->method, "hash") && ix->elems.n > 1))
		return "its columns cannot be listed";
	for (int i = 0; i < ix->elems.n; i++)
	{
		const FmIndexElem *el = fm_list_get(&ix->elems, i, FmIndexElem);

		if (el->column == NULL)
			return "it has an expression";
		if (el->nulls != FM_NULLS_DEFAULT)
			return "it has a NULLS FIRST/LAST order";
		if (el->sort != FM_SORT_DEFAULT && !fm_streq(ix->method, "btree"))
			return "it has a sort order";
	}
	if (ix->unique)
		return "it is a unique index (the language states unique constraints)";
	return NULL;
}

/*
 * Can a client use key cols of pm (Prisma's "unique criteria")?  Its
 * columns are required (a primary key's always are; a column it does not
 * list, inherited, counts), and in the prisma dialect none is printed as
 * Unsupported(...), which Prisma's validator does not count either.
 */
static bool
key_usable(PState *ps, const PModel *pm, const FmList *cols, bool primary)
{
	for (int j = 0; j < cols->n; j++)
	{
		const FmColumn *c = fm_table_find_column(pm->t, fm_list_get(cols, j, char));

		if (c == NULL || (!primary && !c->notnull))
		{
			if (primary)
				continue;
			return false;
		}
		if (P_PRISMA(ps) && fm_p_field_type(ps, c).unsupported != NULL)
			return false;
	}
	return true;
}

/* the unique key index ix stands for: its name and columns */
static FmKey *
key_of_index(PState *ps, const FmIndex *ix)
{
	FmKey	   *key = fm_alloc(ps->a, sizeof(FmKey));

	key->name = ix->name;
	for (int e = 0; e < ix->elems.n; e++)
		fm_list_append(ps->a, &key->columns, fm_list_get(&ix->elems, e, FmIndexElem)->column);
	return key;
}

/*
 * fm_p_has_key
 *		Has pm a primary key or a unique criterion a client can use
 *		(key_usable): a unique key, or a unique index printed as @unique /
 *		@@unique with a sort order, operator class or predicate
 *		(pm->ix_ukey), which Prisma's introspection and both dialects'
 *		validators count too (a partial unique index on required columns
 *		made the model @@ignore'd, where Prisma's pull keeps it: Synapse's
 *		receipts tables).  fm_p_collect_keys must have run.
 */
bool
fm_p_has_key(PState *ps, const PModel *pm)
{
	const FmTable *t = pm->t;

	if (t->primary_key && key_usable(ps, pm, &t->primary_key->columns, true))
		return true;
	for (int i = 0; i < pm->keys.n; i++)
		if (key_usable(ps, pm, &fm_list_get(&pm->keys, i, FmKey)->columns, false))
			return true;
	for (int k = 0; k < t->indexes.n; k++)
		if (pm->ix_ukey[k] &&
			key_usable(ps, pm, &key_of_index(ps, fm_list_get(&t->indexes, k, FmIndex))->columns, false))
			return true;
	return false;
}

/*
 * A unique index that is only a unique key (btree, plain columns, no
 * predicate): plans take it for the unique constraint of the same name.
 * In the prisma dialect (prisma) an element's operator class does not
 * count: Prisma states no operator class on a unique criterion, and its
 * pull prints such an index as a plain @unique, as this one does (noted:
 * fm_p_prisma_unstated).
 */
static bool
index_is_key(const FmIndex *ix, bool prisma)
{
	if (!ix->unique || !fm_streq(ix->method, "btree") || ix->predicate ||
		ix->include.n > 0 || ix->elems.n == 0)
		return false;
	for (int i = 0; i < ix->elems.n; i++)
	{
		const FmIndexElem *el = fm_list_get(&ix->elems, i, FmIndexElem);

		if (el->column == NULL || (el->opclass && !prisma) || el->sort != FM_SORT_DEFAULT ||
			el->nulls != FM_NULLS_DEFAULT || el->collation)
			return false;
	}
	return true;
}

/*
 * A unique index on columns with a sort order, an operator class or a
 * predicate: what @@unique([a(sort: Desc)]) or @@unique([a], where: ...)
 * makes.
 */
static bool
index_is_sorted_key(const FmIndex *ix)
{
	bool		any = ix->predicate != NULL;

	if (!ix->unique || !fm_streq(ix->method, "btree") ||
		ix->include.n > 0 || ix->elems.n == 0)
		return false;
	for (int i = 0; i < ix->elems.n; i++)
	{
		const FmIndexElem *el = fm_list_get(&ix->elems, i, FmIndexElem);

		if (el->column == NULL || el->nulls != FM_NULLS_DEFAULT)
			return false;
		any |= el->opclass != NULL || el->sort != FM_SORT_DEFAULT || el->collation != NULL;
	}
	return any;
}

/* qsort order of FmKey pointers by name (NULL first) */
static int
key_name_cmp(const void *a, const void *b)
{
	return fm_strcmp_null((*(const FmKey *const *) a)->name,
						  (*(const FmKey *const *) b)->name);
}

/*
 * pm->keys: the unique constraints and the unique indexes that are keys,
 * by name;
 * a unique constraint NULLS NOT DISTINCT, and a deferrable primary key or
 * unique constraint, is a reason (pm->reasons): the text would state the
 * key, and a database made from it would lack what the text cannot say
 */
void
fm_p_collect_keys(PState *ps, PModel *pm)
{
	const FmTable *t = pm->t;

	pm->ix_key = fm_alloc(ps->a, sizeof(bool) * (size_t) (t->indexes.n + 1));
	pm->ix_ukey = fm_alloc(ps->a, sizeof(bool) * (size_t) (t->indexes.n + 1));
	if (t->primary_key != NULL && t->primary_key->deferrable && !pm->m2m)
		fm_list_append(ps->a, &pm->reasons,
					   fm_psprintf(ps->a, "the primary key \"%s\" cannot be stated: it is deferrable",
								   t->primary_key->name ? t->primary_key->name : ""));
	for (int i = 0; i < t->uniques.n; i++)
	{
		const FmKey *k = fm_list_get(&t->uniques, i, FmKey);

		fm_list_append(ps->a, &pm->keys, (void *) k);
		if (k->nulls_not_distinct && !pm->m2m)
			fm_list_append(ps->a, &pm->reasons,
						   fm_psprintf(ps->a, "the unique key \"%s\" cannot be stated: %s",
									   k->name, nnd_problem));
		if (k->deferrable && !pm->m2m)
			fm_list_append(ps->a, &pm->reasons,
						   fm_psprintf(ps->a, "the unique key \"%s\" cannot be stated: it is deferrable",
									   k->name));
	}
	for (int k = 0; k < t->indexes.n; k++)
	{
		const FmIndex *ix = fm_list_get(&t->indexes, k, FmIndex);
		bool		key = index_is_key(ix, P_PRISMA(ps));
		bool		sorted = !key && index_is_sorted_key(ix) &&
			!fm_p_foreign_collation(ps, ix);

		/*
		 * NULLS NOT DISTINCT: stated as a unique criterion all the same
		 * (Prisma's pull does so too), with the reason the text cannot say
		 * it, as for a unique constraint
		 */
		if (ix->nulls_not_distinct && !pm->m2m && (key || sorted))
			fm_list_append(ps->a, &pm->reasons,
						   fm_psprintf(ps->a, "the unique index \"%s\" cannot be stated: %s",
									   ix->name, nnd_problem));
		if (sorted)
		{
			pm->ix_ukey[k] = true;
			if (ix->predicate == NULL)
				fm_list_append(ps->a, &pm->sorted_keys, key_of_index(ps, ix));
		}
		if (!key)
			continue;
		pm->ix_key[k] = true;
		fm_list_append(ps->a, &pm->keys, key_of_index(ps, ix));
	}
	/*
	 * by name, whether constraint or index: a database built from the text
	 * makes every such index a constraint, and pulls to the same text
	 */
	fm_list_sort(&pm->keys, key_name_cmp);
}

/*
 * fm_p_merged_keys
 *		The ferriorm dialect leaves out a unique key on exactly the columns
 *		of the primary key or of another unique key (CREATE TABLE would
 *		merge them: fmv_redundant_uniques), so a table that has both, as
 *		Prisma makes for `id String @id @unique`, cannot be stated: a
 *		reason for each such key.  The prisma dialect makes every unique a
 *		unique index, and states them all.
 */
void
fm_p_merged_keys(PState *ps, PModel *pm)
{
	const FmTable *t = pm->t;

	if (P_PRISMA(ps))
		return;
	for (int u = 0; u < pm->keys.n; u++)
	{
		const FmKey *k = fm_list_get(&pm->keys, u, FmKey);
		const FmKey *other = NULL;

		if (t->primary_key && fm_str_list_eq(&k->columns, &t->primary_key->columns))
			other = t->primary_key;
		for (int o = 0; o < u && other == NULL; o++)
			if (fm_str_list_eq(&k->columns, &fm_list_get(&pm->keys, o, FmKey)->columns))
				other = fm_list_get(&pm->keys, o, FmKey);
		if (other)
			fm_list_append(ps->a, &pm->reasons,
						   fm_psprintf(ps->a, "the unique key \"%s\" has the columns of %s \"%s\", which the ferriorm dialect would merge into it",
									   k->name, other == t->primary_key ? "the primary key" : "the unique key",
									   other->name));
	}
}

/*
 * fm_p_foreign_collation
 *		Does index ix have an element whose collation is outside
 *		pg_catalog, which the ferriorm dialect's collate: cannot name (it
 *		would be read as pg_catalog's)?  Such an index is left out of the
 *		text; introspection gave its table a reason (@preserve) that names
 *		the collation.  The prisma dialect states no index collation and
 *		notes it instead.
 */
bool
fm_p_foreign_collation(const PState *ps, const FmIndex *ix)
{
	for (int i = 0; !P_PRISMA(ps) && i < ix->elems.n; i++)
		if (fm_list_get(&ix->elems, i, FmIndexElem)->collation_schema != NULL)
			return true;
	return false;
}

/* ---------- the attributes of keys and indexes ---------- */

/* the attribute for a key: @@id / @@unique ([fields], map:) */
FmAstAttribute *
fm_p_key_attr(PState *ps, PModel *pm, const char *name, const FmKey *k, bool map)
{
	FmAstAttribute *at = fm_p_attr1(ps, name, true, fm_p_name_list(ps, pm, &k->columns));

	if (map)
		fm_p_add_map_arg(ps, at, k->name);
	return at;
}

/* a name part as raw("...") reads it: bare when it folds to itself */
static void
raw_name_part(FmBuf *b, const char *part)
{
	bool		bare = part[0] != '\0' && !(part[0] >= '0' && part[0] <= '9');

	for (const char *p = part; *p && bare; p++)
		bare = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
	if (bare)
	{
		fm_buf_append(b, part);
		return;
	}
	fm_buf_append_char(b, '"');
	for (const char *p = part; *p; p++)
	{
		if (*p == '"')
			fm_buf_append_char(b, '"');
		fm_buf_append_char(b, *p);
	}
	fm_buf_append_char(b, '"');
}

/* ops: raw("[schema.]name") of an index element's operator class */
static FmAstValue *
opclass_value(PState *ps, const FmIndexElem *el)
{
	FmAstValue *raw = fm_p_call(ps, "raw");
	FmBuf		b;

	fm_buf_init(&b, ps->a);
	if (el->opclass_schema)
	{
		raw_name_part(&b, el->opclass_schema);
		fm_buf_append_char(&b, '.');
	}
	raw_name_part(&b, el->opclass);
	fm_p_arg(ps, &raw->args, NULL, fm_p_str(ps, b.data));
	return raw;
}

/*
 * needs_stated_default
 *		In the prisma dialect, the default operator class of element el of
 *		ix (its column c) when Prisma's validator takes the column's type in
 *		that index type only with an operator class (fm_prisma_index_takes:
 *		a GIN index on an integer column through btree_gin, a GiST index on
 *		a double precision one through btree_gist), to be stated as
 *		ops: raw("..."); NULL otherwise.  Prisma's own db pull writes none
 *		there, and then rejects its own text.
 */
static const FmOpclassName *
needs_stated_default(PState *ps, const FmIndex *ix, const FmIndexElem *el,
					 const FmColumn *c)
{
	PFieldType	ft;
	const char *native = NULL;

	if (!P_PRISMA(ps) || el->opclass != NULL || el->opclass_default == NULL || c == NULL)
		return NULL;
	ft = fm_p_field_type(ps, c);
	if (ft.native != NULL && strncmp(ft.native->name, "db.", 3) == 0)
		native = ft.native->name + 3;
	if (fm_prisma_index_takes(ix->method, ft.type_name, native, ft.list))
		return NULL;
	return el->opclass_default;
}

/* @@index (or @@unique, for a sorted unique index) of ix */
FmAstAttribute *
fm_p_index_attr(PState *ps, PModel *pm, const FmIndex *ix, bool map, const char *attr)
{
	FmAstValue *arr = fm_p_array(ps);
	FmAstAttribute *at;

	for (int i = 0; i < ix->elems.n; i++)
	{
		const FmIndexElem *el = fm_list_get(&ix->elems, i, FmIndexElem);
		int			k = fm_p_column_index(pm->t, el->column);
		const char *fname = k >= 0 ? pm->fields[k] : fm_p_lineage_field(ps, pm, el->column);
		const FmOpclassName *dflt = needs_stated_default(ps, ix, el,
														k >= 0 ? fm_table_find_column(pm->t, el->column) : NULL);
		FmIndexElem shown = *el;	/* with the default operator class to state */
		FmAstValue *v;

		if (dflt)
		{
			shown.opclass = dflt->name;
			shown.opclass_schema = dflt->schema;
		}
		/* Prisma states no operator class in @@unique (noted instead) */
		if (P_PRISMA(ps) && ix->unique)
			shown.opclass = NULL;
		if (fname == NULL)
			fname = "?";
		if (el->sort == FM_SORT_DEFAULT && shown.opclass == NULL &&
			(el->collation == NULL || ps->nm->kind == FM_DIALECT_PRISMA))
			v = fm_p_ident(ps, fname);
		else
		{
			v = fm_p_call(ps, fname);
			if (el->sort != FM_SORT_DEFAULT)
				fm_p_arg(ps, &v->args, "sort",
						 fm_p_ident(ps, el->sort == FM_SORT_DESC ? "Desc" : "Asc"));
			if (shown.opclass)
			{
				const char *pn = P_PRISMA(ps) && shown.opclass_schema == NULL ?
					fm_opclass_prisma_name(shown.opclass, ix->method) : NULL;

				/*
				 * Prisma writes no schema: one of the current schema is
				 * found unqualified where the text is applied; one of
				 * another schema, pulled or not, is not
				 */
				if (P_PRISMA(ps) && shown.opclass_schema && ps->o->current_schema &&
					fm_streq(shown.opclass_schema, ps->o->current_schema))
					shown.opclass_schema = NULL;
				fm_p_arg(ps, &v->args, "ops", pn ? fm_p_ident(ps, pn) : opclass_value(ps, &shown));
			}
			/* ferriorm only: the prisma dialect keeps the live one */
			if (el->collation && !P_PRISMA(ps))
				fm_p_arg(ps, &v->args, "collate", fm_p_str(ps, el->collation));
		}
		fm_list_append(ps->a, &arr->items, v);
	}
	at = fm_p_attr1(ps, attr, true, arr);
	if (map && P_PRISMA(ps))
	{
		/* Prisma's order: fields, map, type, where */
		fm_p_add_map_arg(ps, at, ix->name);
		map = false;
	}
	if (!fm_streq(ix->method, "btree"))
		fm_p_arg(ps, &at->args, "type", fm_p_ident(ps, fm_p_index_type_name(ix->method)));
	if (ix->predicate && P_PRISMA(ps))
	{
		/* Prisma's where: raw("...") (preview feature partialIndexes) */
		FmAstValue *raw = fm_p_call(ps, "raw");

		fm_p_arg(ps, &raw->args, NULL, fm_p_str(ps, fm_p_sql_text(ps, ix->predicate)));
		fm_p_arg(ps, &at->args, "where", raw);
		ps->partial_indexes = true;
	}
	else if (ix->predicate)
		fm_p_arg(ps, &at->args, "where", fm_p_str(ps, fm_p_sql_text(ps, ix->predicate)));
	if (map)
		fm_p_add_map_arg(ps, at, ix->name);
	return at;
}
