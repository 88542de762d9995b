/*-------------------------------------------------------------------------
 *
 * print_partition.c
 *	  Printing (model -> schema text) of partitioning and inheritance in the
 *	  ferriorm dialect: @@partitionBy, @@partitionOf and @@inherits
 *	  (validate_partition.c reads them back).  The prisma dialect cannot
 *	  state them: pull does not print partitions there and prints an
 *	  inheriting table with all its columns (plans keep the live lineage:
 *	  fm_model_keep_lineage).
 *
 * src/core/print_partition.c
 *
 *-------------------------------------------------------------------------
 */
#include "print_int.h"

#include <string.h>

static PModel *
model_of(PState *ps, const char *schema, const char *name)
{
	return fm_hash_get2(&ps->by_table, schema, name);
}

/*
 * fm_p_lineage_field
 *		The field that prints column col of pm's table: pm's own, or that of
 *		the table pm has the column from (its partition parent, its INHERITS
 *		parents, at any depth).  NULL when none prints it.
 */
const char *
fm_p_lineage_field(PState *ps, PModel *pm, const char *col)
{
	PModel	   *queue[64];
	int			head = 0,
				tail = 0;

	if (pm == NULL || col == NULL)
		return NULL;
	queue[tail++] = pm;
	while (head < tail)
	{
		PModel	   *x = queue[head++];
		const FmTable *t = x->t;
		int			k = fm_p_column_index(t, col);

		if (k >= 0 && x->fields != NULL)
			return x->fields[k];
		if (t->part_parent != NULL && tail < 64 &&
			(queue[tail] = model_of(ps, t->part_parent_schema, t->part_parent)) != NULL)
			tail++;
		for (int i = 0; i < t->inherits.n && tail < 64; i++)
		{
			const FmTableRef *ref = fm_list_get(&t->inherits, i, FmTableRef);

			if ((queue[tail] = model_of(ps, ref->schema, ref->name)) != NULL)
				tail++;
		}
	}
	return NULL;
}

static const char *
key_field(PState *ps, PModel *pm, const char *col)
{
	return fm_p_lineage_field(ps, pm, col);
}

/*
 * An expression as raw() states it: one layer of enclosing parentheses
 * removed (validation puts it back; a bare function call stays bare).
 */
static char *
raw_expr(PState *ps, const char *expr)
{
	size_t		len = strlen(expr);
	int			depth = 0;

	if (len < 2 || expr[0] != '(' || expr[len - 1] != ')')
		return fm_strdup(ps->a, expr);
	for (size_t i = 0; i < len; i++)
	{
		if (expr[i] == '\'' || expr[i] == '"')
		{
			char		q = expr[i++];

			while (i < len && !(expr[i] == q && (i + 1 >= len || expr[i + 1] != q)))
				i += (expr[i] == q) ? 2 : 1;
			continue;
		}
		if (expr[i] == '(')
			depth++;
		else if (expr[i] == ')' && --depth == 0 && i != len - 1)
			return fm_strdup(ps->a, expr);	/* "(a) + (b)" */
	}
	return fm_strndup(ps->a, expr + 1, len - 2);
}

/* ps->m_ix, the model's tables by name, made on first use */
static FmTableIndex *
model_index(PState *ps)
{
	if (ps->m_ix == NULL)
	{
		ps->m_ix = fm_alloc(ps->a, sizeof(FmTableIndex));
		fm_table_index_build(ps->a, ps->m_ix, ps->m);
	}
	return ps->m_ix;
}

/*
 * append to out the columns of t's INHERITS ancestors, then t's own (a
 * column t declares too, merged with an ancestor's, is t's, at the
 * ancestor's place); each ancestor once (visited), however many paths of multiple inheritance
 * lead to it: it adds nothing the second time, and walking every path
 * took exponential time (before 0.2.0's third security review 46 tables
 * kept a pull busy for ever, in the core, which cannot be cancelled)
 */
static void
all_columns(PState *ps, const FmTable *t, FmList *out, FmHashMap *seen,
			FmHashMap *visited, int depth)
{
	model_index(ps);
	for (int i = 0; i < t->inherits.n && depth < 64; i++)
	{
		const FmTableRef *ref = fm_list_get(&t->inherits, i, FmTableRef);
		const FmTable *p = fm_table_index_find(ps->m_ix, ref->schema, ref->name);
		char	   *key;

		if (p == NULL)
			continue;
		key = fm_psprintf(ps->a, "%p", (const void *) p);
		if (fm_hash_get(visited, key) != NULL)
			continue;
		fm_hash_put(ps->a, visited, key, (void *) p);
		all_columns(ps, p, out, seen, visited, depth + 1);
	}
	for (int i = 0; i < t->columns.n; i++)
	{
		FmColumn   *c = fm_list_get(&t->columns, i, FmColumn);
		FmColumn   *had = fm_hash_get(seen, c->name);

		if (had == NULL)
			fm_list_append(ps->a, out, c);
		else
		{
			/*
			 * a column t declares itself too (merged with an ancestor's):
			 * at the ancestor's place, with t's own default and NOT NULL
			 */
			for (int j = 0; j < out->n; j++)
				if (out->items[j] == had)
					out->items[j] = c;
		}
		fm_hash_put(ps->a, seen, c->name, c);
	}
}

/*
 * fm_p_prisma_child
 *		The table to print for t: in the prisma dialect, which cannot state
 *		inheritance, an inheriting table with every column it has (its
 *		parents' first, as PostgreSQL orders them), as Prisma's own pull
 *		shows it; plans keep the live INHERITS list and neither add nor drop
 *		the inherited columns (fm_model_keep_lineage, diff_partition.c).
 *		Otherwise t itself.
 */
const FmTable *
fm_p_prisma_child(PState *ps, const FmTable *t)
{
	FmTable    *copy;
	FmHashMap	seen = {0};
	FmHashMap	visited = {0};

	if (ps->nm->kind != FM_DIALECT_PRISMA || t->inherits.n == 0)
		return t;
	copy = fm_alloc(ps->a, sizeof(FmTable));
	*copy = *t;
	memset(&copy->columns, 0, sizeof(FmList));
	all_columns(ps, t, &copy->columns, &seen, &visited, 0);
	/* a parent's column in t's primary key: NOT NULL in t, as the key made it */
	for (int i = 0; t->primary_key != NULL && i < copy->columns.n; i++)
	{
		FmColumn   *c = fm_list_get(&copy->columns, i, FmColumn);

		if (!c->notnull && fm_table_find_column(t, c->name) == NULL &&
			fm_str_list_has(&t->primary_key->columns, c->name))
		{
			FmColumn   *nn = fm_alloc(ps->a, sizeof(FmColumn));

			*nn = *c;
			nn->notnull = true;
			copy->columns.items[i] = nn;
		}
	}
	return copy;
}

/*
 * fm_p_lineage_unstated
 *		Why table pm cannot be printed with its lineage, appended to its
 *		reasons (it is then printed @@ignore): a parent that is not printed
 *		(outside the pulled schemas), or a key column no field prints.
 *		Returns true when pm needs no key of its own (a partitioned table, a
 *		partition or an inheriting table, in the ferriorm dialect).
 */
bool
fm_p_lineage_unstated(PState *ps, PModel *pm)
{
	const FmTable *t = pm->t;

	if (ps->nm->kind == FM_DIALECT_PRISMA)
		return false;
	for (int i = 0; i < t->inherits.n; i++)
	{
		const FmTableRef *ref = fm_list_get(&t->inherits, i, FmTableRef);

		if (model_of(ps, ref->schema, ref->name) == NULL)
			fm_list_append(ps->a, &pm->reasons,
						   fm_psprintf(ps->a, "the table inherits from %s.%s, which is not pulled",
									   ref->schema ? ref->schema : "", ref->name));
	}
	if (t->part_parent != NULL && t->foreign_keys.n > 0)
		fm_list_append(ps->a, &pm->reasons,
					   "the partition has foreign keys of its own, which a partition cannot state");
	if (t->part_parent != NULL && t->inherits.n == 0 && t->part_parent != NULL &&
		t->primary_key != NULL)
		fm_list_append(ps->a, &pm->reasons,
					   "the partition has a primary key of its own, which a partition cannot state");
	if (t->partition_by != NULL)
		for (int i = 0; i < t->partition_by->elems.n; i++)
		{
			const FmIndexElem *el = fm_list_get(&t->partition_by->elems, i, FmIndexElem);

			if (el->expr == NULL && (el->column == NULL || key_field(ps, pm, el->column) == NULL))
				fm_list_append(ps->a, &pm->reasons,
							   "the partition key names a column no field states");
		}
	return t->part_parent != NULL || t->inherits.n > 0 || t->partition_by != NULL;
}

/* @@partitionBy(Range, [field, raw("expr")]) */
static FmAstAttribute *
partition_by_attr(PState *ps, PModel *pm, const FmPartKey *k)
{
	FmAstAttribute *at = fm_p_attr(ps, "partitionBy", true);
	FmAstValue *list = fm_p_array(ps);
	char	   *strat = fm_strdup(ps->a, k->strategy ? k->strategy : "");

	if (strat[0] >= 'a' && strat[0] <= 'z')
		strat[0] = (char) (strat[0] - 32);
	at->has_parens = true;
	fm_p_arg(ps, &at->args, NULL, fm_p_ident(ps, strat));
	for (int i = 0; i < k->elems.n; i++)
	{
		const FmIndexElem *el = fm_list_get(&k->elems, i, FmIndexElem);

		if (el->expr != NULL)
		{
			FmAstValue *call = fm_p_call(ps, "raw");

			fm_p_arg(ps, &call->args, NULL,
					 fm_p_str(ps, fm_p_sql_text(ps, raw_expr(ps, el->expr))));
			fm_list_append(ps->a, &list->items, call);
		}
		else
		{
			const char *f = el->column ? key_field(ps, pm, el->column) : NULL;

			fm_list_append(ps->a, &list->items, fm_p_ident(ps, f ? f : "?"));
		}
	}
	fm_p_arg(ps, &at->args, NULL, list);
	return at;
}

/*
 * fm_p_table_lineage
 *		The lineage attributes of t's model block b, ferriorm dialect only:
 *		@@partitionOf, @@partitionBy, @@inherits.
 */
void
fm_p_table_lineage(PState *ps, const FmTable *t, FmAstBlock *b)
{
	PModel	   *pm = model_of(ps, t->schema, t->name);

	if (ps->nm->kind == FM_DIALECT_PRISMA || pm == NULL)
		return;
	if (t->part_parent != NULL)
	{
		PModel	   *parent = model_of(ps, t->part_parent_schema, t->part_parent);
		FmAstAttribute *at = fm_p_attr(ps, "partitionOf", true);
		const char *bound = t->part_bound ? t->part_bound : "DEFAULT";

		at->has_parens = true;
		fm_p_arg(ps, &at->args, NULL, fm_p_ident(ps, parent ? parent->name : "?"));
		if (strncmp(bound, "FOR VALUES ", 11) == 0)
			fm_p_arg(ps, &at->args, "values", fm_p_str(ps, fm_p_sql_text(ps, bound + 11)));
		else
			fm_p_arg(ps, &at->args, "values", fm_p_ident(ps, "default"));
		fm_p_block_attr(ps, b, at);
	}
	if (t->partition_by != NULL)
		fm_p_block_attr(ps, b, partition_by_attr(ps, pm, t->partition_by));
	if (t->inherits.n > 0)
	{
		FmAstAttribute *at = fm_p_attr(ps, "inherits", true);
		FmAstValue *list = fm_p_array(ps);

		at->has_parens = true;
		for (int i = 0; i < t->inherits.n; i++)
		{
			const FmTableRef *ref = fm_list_get(&t->inherits, i, FmTableRef);
			PModel	   *parent = model_of(ps, ref->schema, ref->name);

			fm_list_append(ps->a, &list->items, fm_p_ident(ps, parent ? parent->name : "?"));
		}
		fm_p_arg(ps, &at->args, NULL, list);
		fm_p_block_attr(ps, b, at);
	}
}

/*
 * fm_p_mark_lineage
 *		Set PModel.lineage on each model whose table is partitioned or is
 *		the parent of another (by partition or INHERITS): where the
 *		validator makes autoincrement() a serial (fmv_lineage_serials), so
 *		that a live identity there is printed with @identity.
 */
void
fm_p_mark_lineage(PState *ps)
{
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);
		const FmTable *t = pm->t;

		bool		more = true;

		if (t->partition_by != NULL)
			pm->lineage = true;
		for (int k = 0; more; k++)
		{
			const FmTable *p = fm_table_index_nth_parent(model_index(ps), t, k, &more);
			PModel	   *parent = p ? fm_hash_get2(&ps->by_table, p->schema, p->name) : NULL;

			if (parent != NULL)
				parent->lineage = true;
		}
	}
}
