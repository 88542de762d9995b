/*-------------------------------------------------------------------------
 *
 * validate_partition.c
 *	  Validation of partitioning and inheritance, ferriorm's own attributes
 *	  (Prisma's language has none):
 *		@@partitionBy(Range|List|Hash, [field, raw("expr"), ...])
 *			the table is partitioned (PARTITION BY); on a partition as well,
 *			for sub-partitioning;
 *		@@partitionOf(Parent, values: "FROM (...) TO (...)" | default)
 *			the table is a partition of model Parent (PARTITION OF ... FOR
 *			VALUES ... / DEFAULT); it declares no fields, they are the
 *			parent's;
 *		@@inherits([Parent, ...])
 *			INHERITS: the model declares only its own fields.
 *
 * Bounds and key expressions are SQL text passed through, checked like all
 * SQL text so that they cannot leave their clause; a bound is further held
 * to the words of its clause (FROM ... TO ..., IN ..., WITH ...) so that
 * nothing else (PARTITION BY, WITH options) can be smuggled in after it.
 *
 * In the prisma dialect none of them can be stated; plans keep the live
 * partitioning and inheritance (fm_model_keep_lineage).
 *
 * What PostgreSQL refuses across a lineage is refused here too: types and
 * generation of inherited columns (model by model), and, once the names
 * pass has named keys, indexes and CHECKs (fmv_lineage_name_rules), CHECK
 * names a partition repeats or an inheriting table gives two definitions,
 * key and index names its copies of an ancestor's take, and unique keys
 * that lack a column of a partition key below or at their table.
 *
 * src/core/validate_partition.c
 *
 *-------------------------------------------------------------------------
 */
#include "validate_int.h"

#include <strings.h>

#include <string.h>

static const char *const strategies[] = {"Range", "List", "Hash", NULL};

bool
fmv_is_lineage_attr(const char *name)
{
	return fm_streq(name, "partitionBy") ||
		fm_streq(name, "partitionOf") ||
		fm_streq(name, "inherits");
}

/*
 * Is sql a bare function call, name(...) with the call's ')' last (white
 * space aside)?  PostgreSQL prints such a key expression without
 * parentheses (anything else it cannot tell from the text is settled by
 * normalization against the live table).
 */
static bool
looks_like_call(const char *sql)
{
	const char *p = sql;
	int			depth = 0;
	size_t		len = strlen(sql);

	while (len > 0 && (sql[len - 1] == ' ' || sql[len - 1] == '\n'))
		len--;
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_'))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		   (*p >= '0' && *p <= '9') || *p == '.')
		p++;
	if (*p != '(')
		return false;
	for (; (size_t) (p - sql) < len; p++)
	{
		if (*p == '\'' || *p == '"')
		{
			char		q = *p++;

			while ((size_t) (p - sql) < len && !(*p == q && p[1] != q))
				p += (*p == q) ? 2 : 1;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return (size_t) (p - sql) == len - 1;
	}
	return false;
}

/* the string of raw("...") or NULL (reported) */
static char *
raw_text(V *v, const FmAstValue *val, const char *what, const char *ctx)
{
	FmAstArg   *a0 = val->args.n == 1 ? fm_list_get(&val->args, 0, FmAstArg) : NULL;

	if (a0 == NULL || a0->name != NULL || a0->value == NULL ||
		a0->value->kind != FM_VAL_STRING || !fmv_value_is_nul_free(a0->value) ||
		a0->value->text == NULL || *a0->value->text == '\0')
	{
		ERR(val->pos, "raw() in %s on %s takes one non-empty string, the SQL expression, as in raw(\"lower(name)\")",
			what, ctx);
		return NULL;
	}
	if (!fmv_sql_fragment_ok(v, a0->value->pos, what, ctx, a0->value->text))
		return NULL;
	return fm_strdup(v->a, a0->value->text);
}

/* the parent models block b names (@@partitionOf, then @@inherits) */
static int
parent_models(V *v, FmAstBlock *b, VModel **out, int max)
{
	FmAstAttribute *of = fmv_block_attr(b, "partitionOf");
	FmAstAttribute *inh = fmv_block_attr(b, "inherits");
	FmAstArg   *a0;
	int			n = 0;

	a0 = of && of->args.n > 0 ? fm_list_get(&of->args, 0, FmAstArg) : NULL;
	if (a0 && a0->name == NULL && a0->value && a0->value->kind == FM_VAL_IDENT &&
		n < max && (out[n] = fmv_find_model(v, a0->value->text)) != NULL)
		n++;
	a0 = inh && inh->args.n > 0 ? fm_list_get(&inh->args, 0, FmAstArg) : NULL;
	if (a0 && a0->name == NULL && a0->value && a0->value->kind == FM_VAL_IDENT &&
		n < max && (out[n] = fmv_find_model(v, a0->value->text)) != NULL)
		n++;
	else if (a0 && a0->name == NULL && a0->value && a0->value->kind == FM_VAL_ARRAY)
		for (int i = 0; i < a0->value->items.n && n < max; i++)
		{
			FmAstValue *it = fm_list_get(&a0->value->items, i, FmAstValue);

			if (it->kind == FM_VAL_IDENT && (out[n] = fmv_find_model(v, it->text)) != NULL)
				n++;
		}
	return n;
}

/*
 * fmv_lineage_field
 *		The field name of model vm, else of a model vm inherits or is a
 *		partition of (at any depth, the first found), or NULL: a partition
 *		has its parent's columns and a child its parents', which its keys,
 *		indexes and sub-partitioning may name.
 */
VField *
fmv_lineage_field(V *v, VModel *vm, const char *name)
{
	VModel	   *queue[64];
	int			head = 0,
				tail = 0;

	VField	   *own = fmv_find_field(vm, name);

	if (own != NULL)
		return own;
	tail = parent_models(v, vm->blk, queue, 64);
	while (head < tail)
	{
		VModel	   *p = queue[head++];
		VField	   *vf = fmv_find_field(p, name);

		if (vf != NULL && p != vm)
			return vf;
		tail += parent_models(v, p->blk, queue + tail, 64 - tail);
	}
	return NULL;
}

/*
 * The names of the generated columns of model vm and of the models it
 * inherits or is a partition of (as fmv_lineage_field walks them), into
 * out (of char *).
 */
static void
lineage_generated(V *v, VModel *vm, FmList *out)
{
	VModel	   *queue[64];
	int			head = 0,
				tail = 1;

	queue[0] = vm;
	while (head < tail)
	{
		VModel	   *p = queue[head++];

		for (int i = 0; i < p->fields.n; i++)
		{
			VField	   *vf = fm_list_get(&p->fields, i, VField);

			if (vf->col != NULL && FM_COL_MORE(vf->col)->generated != NULL)
				fm_list_append(v->t, out, vf->col->name);
		}
		tail += parent_models(v, p->blk, queue + tail, 64 - tail);
	}
}

/*
 * lineage_index
 *		v->lineage_ix, which fmv_check_lineage allocates once the model's
 *		tables are all made, built (fm_table_index_build) at its first use:
 *		only a table with a parent (@@partitionOf, @@inherits) is ever
 *		looked up by name, and most schemas have none, so that they never
 *		hash the name of every table.  Not to be called before
 *		fmv_check_lineage.
 */
static FmTableIndex *
lineage_index(V *v)
{
	if (v->lineage_ix->m == NULL)
		fm_table_index_build(v->w, v->lineage_ix, v->m);
	return v->lineage_ix;
}

/* fm_model_find_table(v->m, ...), by the index once fmv_check_lineage made it */
static const FmTable *
find_table(V *v, const char *schema, const char *name)
{
	if (v->lineage_ix != NULL)
		return fm_table_index_find(lineage_index(v), schema, name);
	return fm_model_find_table(v->m, schema, name);
}

/*
 * lineage_tables
 *		t, then its ancestors (partition parent, INHERITS parents, at any
 *		depth, breadth first), into queue (FMV_LINEAGE_MAX entries: a deeper
 *		lineage is cut there).  A table reached twice (a diamond) is listed
 *		twice.  Returns the number of entries.
 */
#define FMV_LINEAGE_MAX 64

static int
lineage_tables(V *v, const FmTable *t, const FmTable **queue)
{
	int			head = 0,
				tail = 0;

	queue[tail++] = t;
	while (head < tail)
	{
		const FmTable *x = queue[head++];

		if (x->part_parent != NULL && tail < FMV_LINEAGE_MAX)
		{
			const FmTable *p = find_table(v, x->part_parent_schema, x->part_parent);

			if (p != NULL && p != t)
				queue[tail++] = p;
		}
		for (int i = 0; i < x->inherits.n && tail < FMV_LINEAGE_MAX; i++)
		{
			const FmTableRef *ref = fm_list_get(&x->inherits, i, FmTableRef);
			const FmTable *p = find_table(v, ref->schema, ref->name);

			if (p != NULL && p != t)
				queue[tail++] = p;
		}
	}
	return tail;
}

/*
 * fmv_inherited_check_conflicts
 *		Run by the names pass, once CHECKs have their names: a table that
 *		inherits (@@inherits) with two CHECKs of one name in its lineage
 *		(its own and an ancestor's, or two ancestors') that differ after
 *		normalization is an error, as PostgreSQL refuses it ("constraint
 *		... already exists", "check constraint ... conflicts with
 *		inherited constraint"); alike, it merges them.  Reported once per
 *		table, on its own CHECK when one of the two is, else on the model.
 */
void
fmv_inherited_check_conflicts(V *v)
{
	for (int i = 0; i < v->models.n; i++)
	{
		VModel	   *vm = fm_list_get(&v->models, i, VModel);
		const FmTable *queue[FMV_LINEAGE_MAX];
		FmHashMap	seen = {0};
		bool		done = false;
		int			n;

		if (vm->table == NULL || vm->table->inherits.n == 0)
			continue;
		n = lineage_tables(v, vm->table, queue);
		for (int q = 0; q < n && !done; q++)
			for (int k = 0; k < queue[q]->checks.n && !done; k++)
			{
				const FmCheck *ck = fm_list_get(&queue[q]->checks, k, FmCheck);
				const FmCheck *first;
				const FmTable *owner = NULL;

				if (ck->name == NULL)
					continue;
				first = fm_hash_get(&seen, ck->name);
				if (first == NULL)
				{
					fm_hash_put(v->w, &seen, ck->name, (void *) ck);
					continue;
				}
				if (first == ck || fm_streq(first->expr, ck->expr) ||
					fm_streq(fm_normalize_expr(v->t, fmv_nz(first->expr)),
							 fm_normalize_expr(v->t, fmv_nz(ck->expr))))
					continue;
				for (int r = 0; r < q && owner == NULL; r++)
					for (int j = 0; j < queue[r]->checks.n && owner == NULL; j++)
						if (fm_list_get(&queue[r]->checks, j, FmCheck) == first)
							owner = queue[r];
				ERR(q == 0 ? ck->pos : owner == vm->table ? first->pos : vm->blk->name_pos,
					"model \"%s\" has two CHECK constraints named \"%s\" with the models it inherits (of tables \"%s\" and \"%s\"), of other definitions; PostgreSQL refuses it, so give one another name with map:, or both the same definition",
					fmv_nz(vm->blk->name), ck->name, owner ? owner->name : "?",
					queue[q]->name);
				done = true;
			}
	}
}

/*
 * fmv_lineage_columns
 *		Add the columns of t's ancestors (partition parent, INHERITS
 *		parents, at any depth) to colmap, name -> FmColumn: what t's CHECKs
 *		may name.
 */
void
fmv_lineage_columns(V *v, const FmTable *t, FmHashMap *colmap)
{
	const FmTable *queue[FMV_LINEAGE_MAX];
	int			n = lineage_tables(v, t, queue);

	for (int q = 1; q < n; q++)
		for (int c = 0; c < queue[q]->columns.n; c++)
		{
			FmColumn   *col = fm_list_get(&queue[q]->columns, c, FmColumn);

			if (fm_hash_get(colmap, col->name) == NULL)
				fm_hash_put(v->w, colmap, col->name, col);
		}
}

/*
 * bound_fits_strategy
 *		Is bound val (a FROM, IN or WITH clause, its shape checked) of the
 *		kind parent's @@partitionBy strategy takes (Range, List, Hash)?  An
 *		error naming both when not: PostgreSQL refuses it when the plan
 *		runs, and the text says enough to tell now.
 */
static bool
bound_fits_strategy(V *v, const FmAstValue *val, const VModel *parent, const char *ctx)
{
	static const struct
	{
		const char *strategy;
		const char *word;
		const char *form;
	}			kinds[] = {
		{"Range", "FROM", "FROM (...) TO (...)"},
		{"List", "IN", "IN (...)"},
		{"Hash", "WITH", "WITH (MODULUS m, REMAINDER r)"},
	};
	FmAstAttribute *pb = fmv_block_attr(parent->blk, "partitionBy");
	const FmAstArg *a0 = pb && pb->args.n > 0 ? fm_list_get(&pb->args, 0, FmAstArg) : NULL;
	const char *p = val->text;

	if (a0 == NULL || a0->value == NULL || a0->value->kind != FM_VAL_IDENT)
		return true;			/* the parent's own error */
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	for (int i = 0; i < 3; i++)
	{
		size_t		n = strlen(kinds[i].word);

		if (!fm_streq(a0->value->text, kinds[i].strategy))
			continue;
		if (strncasecmp(p, kinds[i].word, n) == 0 &&
			(p[n] == ' ' || p[n] == '(' || p[n] == '\t' || p[n] == '\n' || p[n] == '\r'))
			return true;
		ERR(val->pos, "the bound of @@partitionOf on %s does not fit model \"%s\", partitioned by %s: write %s",
			ctx, fmv_nz(parent->blk->name), kinds[i].strategy, kinds[i].form);
		return false;
	}
	return true;
}

/*
 * inherited_column_limit
 *		Report model vm (which inherits, and whose lineage ends) when its
 *		table, with the columns it inherits, has more than
 *		FM_MAX_TABLE_COLUMNS: CREATE TABLE ... INHERITS merges the columns
 *		of every ancestor by name and refuses more than PostgreSQL's limit.
 *		The distinct names are counted only when the sum of the lineage's
 *		column counts exceeds the limit, so a schema of many small
 *		inheriting models pays a walk of each lineage and no hashing.
 */
static void
inherited_column_limit(V *v, VModel *vm)
{
	const FmTable *queue[FMV_LINEAGE_MAX];
	int			n = lineage_tables(v, vm->table, queue);
	long		bound = 0;
	FmHashMap	colmap = {0};
	int			total;

	if (vm->table->columns.n > FM_MAX_TABLE_COLUMNS)
		return;					/* reported with its own columns */
	for (int q = 0; q < n; q++)
		bound += queue[q]->columns.n;
	if (bound <= FM_MAX_TABLE_COLUMNS)
		return;
	fmv_lineage_columns(v, vm->table, &colmap);
	total = (int) colmap.n;
	for (int c = 0; c < vm->table->columns.n; c++)
		if (fm_hash_get(&colmap, fm_list_get(&vm->table->columns, c, FmColumn)->name) == NULL)
			total++;
	if (total > FM_MAX_TABLE_COLUMNS)
		ERR(vm->blk->name_pos, "model \"%s\" has %d columns with those it inherits, more than the %d a PostgreSQL table can hold; move some fields to a related model",
			fmv_nz(vm->blk->name), total, FM_MAX_TABLE_COLUMNS);
}

/* one element of @@partitionBy's list, appended to k; false if reported */
static bool
key_elem(V *v, VModel *vm, FmPartKey *k, const FmAstValue *val, const char *ctx)
{
	FmIndexElem *el = fm_alloc(v->a, sizeof(FmIndexElem));
	FmList		gen = {0};

	if (val->kind == FM_VAL_CALL && fm_streq(val->text, "raw"))
	{
		char	   *sql = raw_text(v, val, "@@partitionBy", ctx);

		if (sql == NULL)
			return false;
		lineage_generated(v, vm, &gen);
		for (int i = 0; i < gen.n; i++)
		{
			FmList		one = {0};

			fm_list_append(v->t, &one, fm_list_get(&gen, i, char));
			if (fm_expr_names_any(sql, &one))
			{
				ERR(val->pos, "@@partitionBy on %s reads column \"%s\", which is generated; PostgreSQL cannot partition by a generated column, so partition by the columns its expression reads",
					ctx, fm_list_get(&gen, i, char));
				return false;
			}
		}
		/* as pg_get_partkeydef prints it: a call bare, else in parentheses */
		el->expr = looks_like_call(sql) ? sql : fm_psprintf(v->a, "(%s)", sql);
	}
	else if (val->kind == FM_VAL_IDENT)
	{
		VField	   *vf = fmv_lineage_field(v, vm, val->text);

		if (vf == NULL || vf->col == NULL)
		{
			ERR(val->pos, "@@partitionBy on %s names \"%s\", which is not a scalar field of the model",
				ctx, fmv_nz(val->text));
			return false;
		}
		if (FM_COL_MORE(vf->col)->generated != NULL)
		{
			ERR(val->pos, "@@partitionBy on %s names \"%s\", which is generated; PostgreSQL cannot partition by a generated column, so partition by the columns its expression reads",
				ctx, fmv_nz(val->text));
			return false;
		}
		el->column = vf->col->name;
	}
	else
	{
		ERR(val->pos, "the elements of @@partitionBy on %s are fields or raw(\"expression\")", ctx);
		return false;
	}
	fm_list_append(v->a, &k->elems, el);
	return true;
}

/* @@partitionBy(Strategy, [elements]) */
static void
partition_by(V *v, VModel *vm, FmAstAttribute *at, const char *ctx)
{
	FmAstArg   *a0 = at->args.n == 2 ? fm_list_get(&at->args, 0, FmAstArg) : NULL;
	FmAstArg   *a1 = at->args.n == 2 ? fm_list_get(&at->args, 1, FmAstArg) : NULL;
	FmPartKey  *k;
	bool		ok = true;

	if (a0 == NULL || a1 == NULL || a0->name || a1->name ||
		a0->value == NULL || a1->value == NULL ||
		a0->value->kind != FM_VAL_IDENT || a1->value->kind != FM_VAL_ARRAY ||
		a1->value->items.n == 0)
	{
		ERR(at->pos, "@@partitionBy on %s needs a strategy and a list of fields, as in @@partitionBy(Range, [createdAt])",
			ctx);
		return;
	}
	if (!fmv_in_list(strategies, a0->value->text))
	{
		ERR(a0->value->pos, "unknown partitioning strategy \"%s\" in @@partitionBy on %s; use Range, List or Hash%s",
			fmv_nz(a0->value->text), ctx,
			fmv_suggest(v, a0->value->text, strategies, NULL, NULL));
		return;
	}
	if (fm_streq(a0->value->text, "List") && a1->value->items.n > 1)
	{
		ERR(a1->value->pos, "@@partitionBy(List, ...) on %s takes one field or expression: PostgreSQL lists partition on a single key",
			ctx);
		return;
	}
	k = fm_alloc(v->a, sizeof(FmPartKey));
	k->pos = at->pos;
	k->strategy = fm_strdup(v->a, a0->value->text);
	for (char *p = k->strategy; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char) (*p + 32);
	for (int i = 0; i < a1->value->items.n; i++)
		ok &= key_elem(v, vm, k, fm_list_get(&a1->value->items, i, FmAstValue), ctx);
	if (ok)
	{
		vm->table->partition_by = k;
		v->has_partitioned = true;
	}
}

/* @@partitionOf(Parent, values: "..." | default) */
static void
partition_of(V *v, VModel *vm, FmAstAttribute *at, const char *ctx)
{
	const char *const names[] = {"model", "values", NULL};
	FmAstArg   *args[2];
	VModel	   *parent;
	const FmAstValue *val;

	if (!fmv_bind_args(v, at, FMV_CTX_TEXT(ctx), names, true, args))
		return;
	if (args[0] == NULL || args[0]->value->kind != FM_VAL_IDENT || args[1] == NULL)
	{
		ERR(at->pos, "@@partitionOf on %s needs the parent model and the bound, as in @@partitionOf(Event, values: \"FROM ('2024-01-01') TO ('2025-01-01')\") or values: default",
			ctx);
		return;
	}
	parent = fmv_find_model(v, args[0]->value->text);
	if (parent == NULL || parent->is_view || parent == vm)
	{
		ERR(args[0]->value->pos, "@@partitionOf on %s names \"%s\", which is not another model",
			ctx, fmv_nz(args[0]->value->text));
		return;
	}
	if (fmv_block_attr(parent->blk, "partitionBy") == NULL)
	{
		ERR(args[0]->value->pos, "@@partitionOf on %s names model \"%s\", which has no @@partitionBy",
			ctx, fmv_nz(args[0]->value->text));
		return;
	}
	val = args[1]->value;
	if (val->kind == FM_VAL_IDENT && fm_streq(val->text, "default"))
		vm->table->part_bound = fm_strdup(v->a, "DEFAULT");
	else if (val->kind == FM_VAL_STRING && fmv_value_is_nul_free(val) &&
			 val->text != NULL && *val->text != '\0')
	{
		if (!fmv_sql_fragment_ok(v, val->pos, "@@partitionOf", ctx, val->text))
			return;
		if (!fm_sql_bound_shape_ok(v->t, val->text))
		{
			ERR(val->pos, "the bound of @@partitionOf on %s must be what follows FOR VALUES: FROM (...) TO (...), IN (...) or WITH (MODULUS m, REMAINDER r)",
				ctx);
			return;
		}
		if (!bound_fits_strategy(v, val, parent, ctx))
			return;
		vm->table->part_bound = fm_psprintf(v->a, "FOR VALUES %s", val->text);
	}
	else
	{
		ERR(val->pos, "argument \"values\" of @@partitionOf on %s must be a string (the bound after FOR VALUES) or default",
			ctx);
		return;
	}
	vm->table->part_parent_schema = parent->table->schema;
	vm->table->part_parent = parent->table->name;
}

/* @@inherits([Parent, ...]) or @@inherits(Parent) */
static void
inherits(V *v, VModel *vm, FmAstAttribute *at, const char *ctx)
{
	FmAstArg   *a0 = at->args.n == 1 ? fm_list_get(&at->args, 0, FmAstArg) : NULL;
	FmList		one = {0};
	const FmList *items;

	if (a0 == NULL || a0->name != NULL || a0->value == NULL ||
		(a0->value->kind != FM_VAL_ARRAY && a0->value->kind != FM_VAL_IDENT))
	{
		ERR(at->pos, "@@inherits on %s needs the parent models, as in @@inherits([Base])", ctx);
		return;
	}
	if (a0->value->kind == FM_VAL_IDENT)
	{
		fm_list_append(v->a, &one, a0->value);
		items = &one;
	}
	else
		items = &a0->value->items;
	if (items->n == 0)
	{
		ERR(at->pos, "@@inherits on %s needs at least one parent model", ctx);
		return;
	}
	for (int i = 0; i < items->n; i++)
	{
		FmAstValue *val = fm_list_get(items, i, FmAstValue);
		VModel	   *parent = val->kind == FM_VAL_IDENT ? fmv_find_model(v, val->text) : NULL;
		FmTableRef *ref;

		if (parent == NULL || parent->is_view || parent == vm)
		{
			ERR(val->pos, "@@inherits on %s names \"%s\", which is not another model",
				ctx, fmv_nz(val->kind == FM_VAL_IDENT ? val->text : fmv_value_repr(v, val)));
			continue;
		}
		ref = fm_alloc(v->a, sizeof(FmTableRef));
		ref->schema = parent->table->schema;
		ref->name = parent->table->name;
		fm_list_append(v->a, &vm->table->inherits, ref);
	}
}

/*
 * fmv_lineage_attr
 *		@@partitionBy, @@partitionOf or @@inherits (at) on model vm.  Refused
 *		in the prisma dialect and on views; a partition declares no fields.
 */
void
fmv_lineage_attr(V *v, VModel *vm, FmAstAttribute *at, const char *ctx)
{
	if (v->dl->kind == FM_DIALECT_PRISMA)
	{
		ERR(at->pos, "attribute \"@@%s\" in %s is ferriorm's; the prisma dialect cannot state it, and a plan keeps the table's live partitioning and inheritance",
			at->name, ctx);
		return;
	}
	if (vm->is_view)
	{
		ERR(at->pos, "attribute \"@@%s\" cannot be used on %s: a view is not a table",
			at->name, ctx);
		return;
	}
	if (fm_streq(at->name, "partitionBy"))
		partition_by(v, vm, at, ctx);
	else if (fm_streq(at->name, "partitionOf"))
	{
		if (fmv_block_attr(vm->blk, "inherits") != NULL)
			ERR(at->pos, "%s has both @@partitionOf and @@inherits; a partition cannot inherit from other tables",
				ctx);
		else if (vm->fields.n > 0)
			ERR(at->pos, "%s is a partition (@@partitionOf) and cannot declare fields: its columns are its parent's",
				ctx);
		else
			partition_of(v, vm, at, ctx);
	}
	else
		inherits(v, vm, at, ctx);
	if (vm->table->partition_by != NULL &&
		(fmv_block_attr(vm->blk, "unlogged") || fmv_block_attr(vm->blk, "storage")))
		ERR(at->pos, "%s is partitioned (@@partitionBy) and cannot have @@unlogged or @@storage: a partitioned table stores no rows itself",
			ctx);
}

/*
 * fmv_table_option_attr
 *		If at is one of ferriorm's table attributes that may be given once
 *		(@@unlogged, @@storage, @@partitionBy, @@partitionOf, @@inherits),
 *		validate it on model vm (or report it given twice: twice says that
 *		the caller met an attribute of its name before) and return true;
 *		else false.
 */
bool
fmv_table_option_attr(V *v, VModel *vm, FmAstAttribute *at, const char *ctx,
					  bool twice)
{
	if (!fmv_is_storage_attr(at->name) && !fmv_is_lineage_attr(at->name))
		return false;
	if (twice)
		ERR(at->pos, "attribute \"@@%s\" is given twice in %s", at->name, ctx);
	else if (fmv_is_lineage_attr(at->name))
		fmv_lineage_attr(v, vm, at, ctx);
	else
		fmv_storage_attr(v, vm, at, ctx);
	return true;
}

/* x and y the same type, as written (an enum's schema unstated matches any) */
static bool
same_declared_type(V *v, const FmType *x, const FmType *y)
{
	if (x->kind == FM_TYPE_ENUM || y->kind == FM_TYPE_ENUM)
		return x->kind == y->kind && x->array == y->array &&
			fm_streq(x->enum_name, y->enum_name) &&
			(x->enum_schema == NULL || y->enum_schema == NULL ||
			 fm_streq(x->enum_schema, y->enum_schema));
	return fm_streq(x->sql, y->sql) ||
		fm_streq(fm_normalize_type(v->t, x->sql), fm_normalize_type(v->t, y->sql));
}

/*
 * inherited_type_conflicts
 *		Model vm inherits: a column name that it and its ancestors give two
 *		types (a restated column, or two parents) is an error, as
 *		PostgreSQL refuses it ("column has a type conflict").  The walk is
 *		lineage_tables' (at most FMV_LINEAGE_MAX tables).
 */
static void
inherited_type_conflicts(V *v, VModel *vm)
{
	const FmTable *queue[FMV_LINEAGE_MAX];
	FmHashMap	seen = {0};
	int			n = lineage_tables(v, vm->table, queue);

	for (int q = 0; q < n; q++)
		for (int c = 0; c < queue[q]->columns.n; c++)
		{
			FmColumn   *col = fm_list_get(&queue[q]->columns, c, FmColumn);
			const FmColumn *first = fm_hash_get(&seen, col->name);

			if (first == NULL)
			{
				fm_hash_put(v->w, &seen, col->name, col);
				continue;
			}
			if (same_declared_type(v, &first->type, &col->type))
				continue;
			ERR(vm->blk->name_pos, "model \"%s\" has column \"%s\" of two types with the models it inherits (%s and %s); PostgreSQL refuses it (\"column has a type conflict\"), so give the column one type",
				fmv_nz(vm->blk->name), col->name,
				first->type.kind == FM_TYPE_ENUM ? fmv_nz(first->type.enum_name) : fmv_nz(first->type.sql),
				col->type.kind == FM_TYPE_ENUM ? fmv_nz(col->type.enum_name) : fmv_nz(col->type.sql));
			return;
		}
}

/*
 * inherited_generations
 *		Model vm inherits: a field of its own with @generated that restates
 *		a column generated in an ancestor ("child column specifies
 *		generation expression"), or whose expression reads such a column
 *		("cannot use generated column in column generation expression"),
 *		is an error, as PostgreSQL refuses both.  Only models with a
 *		generated field of their own pay the walk of their lineage.
 */
static void
inherited_generations(V *v, VModel *vm)
{
	const FmTable *queue[FMV_LINEAGE_MAX];
	FmList		generated = {0};
	bool		any = false;
	int			n;

	for (int i = 0; i < vm->fields.n && !any; i++)
	{
		VField	   *vf = fm_list_get(&vm->fields, i, VField);

		any = vf->col != NULL && FM_COL_MORE(vf->col)->generated != NULL;
	}
	if (!any)
		return;
	n = lineage_tables(v, vm->table, queue);
	for (int q = 1; q < n; q++)
		for (int c = 0; c < queue[q]->columns.n; c++)
		{
			FmColumn   *col = fm_list_get(&queue[q]->columns, c, FmColumn);

			if (FM_COL_MORE(col)->generated != NULL)
				fm_list_append(v->t, &generated, col->name);
		}
	for (int i = 0; i < vm->fields.n && generated.n > 0; i++)
	{
		VField	   *vf = fm_list_get(&vm->fields, i, VField);
		const char *expr = vf->col ? FM_COL_MORE(vf->col)->generated : NULL;
		bool		restates = false;

		if (expr == NULL)
			continue;
		for (int g = 0; g < generated.n && !restates; g++)
			restates = fm_streq(fm_list_get(&generated, g, char), vf->col->name);
		if (restates)
			ERR(vf->pos, "field \"%s\" in model \"%s\" restates column \"%s\", which an ancestor generates, with a @generated of its own; PostgreSQL refuses it, so drop @generated and the column keeps its ancestor's expression",
				vf->name, fmv_nz(vm->blk->name), vf->col->name);
		else if (fm_expr_names_any(expr, &generated))
			ERR(vf->pos, "the expression of @generated on field \"%s\" in model \"%s\" reads a column that an ancestor generates; PostgreSQL cannot compute a generated column from another, so write it over the columns that one reads",
				vf->name, fmv_nz(vm->blk->name));
	}
}

/*
 * fmv_check_lineage
 *		After every model's attributes: no table is its own ancestor
 *		(through partitions and inheritance), nor below a table that is:
 *		the chain of first parents (fm_table_parent) of each must end.
 *		A table that inherits holds at most FM_MAX_TABLE_COLUMNS with the
 *		columns of its ancestors (inherited_column_limit).
 *		Each table's chain is followed once (a state per table), so a long
 *		chain costs its length, not its square: before 0.2.0's third
 *		security review each table walked its whole chain with a scan of
 *		the model per step, and 190 kB of schema text took minutes, in the
 *		core, which cannot be cancelled.  Makes v->lineage_ix (lineage_index
 *		builds it when it is first needed).
 */
void
fmv_check_lineage(V *v)
{
	/* per table ("%p"): 1 on the current walk, 2 its chain ends, 3 it does not */
	FmHashMap	state = {0};
	static const int on_walk = 1,
				ends = 2,
				loops = 3;

	/* zeroed: built by lineage_index at the first table with a parent */
	v->lineage_ix = fm_alloc(v->w, sizeof(FmTableIndex));
	/* no table has a parent: no walk over every model's (out of cache) */
	for (int i = 0; v->has_lineage && i < v->models.n; i++)
	{
		VModel	   *vm = fm_list_get(&v->models, i, VModel);
		const FmTable *t = vm->table;
		FmList		walk = {0};
		const FmTable *x;
		const int  *found = NULL;
		const int  *result;

		if (vm->is_view || (t->part_parent == NULL && t->inherits.n == 0))
			continue;
		/* the first table of the chain with a state, or its end */
		for (x = t; x != NULL; x = fm_table_index_parent(lineage_index(v), x))
		{
			char	   *key = fm_psprintf(v->w, "%p", (const void *) x);

			found = fm_hash_get(&state, key);
			if (found != NULL)
				break;
			fm_hash_put(v->w, &state, key, (void *) &on_walk);
			fm_list_append(v->w, &walk, (void *) key);
		}
		result = (x == NULL || found == &ends) ? &ends : &loops;
		for (int k = 0; k < walk.n; k++)
			fm_hash_put(v->w, &state, fm_list_get(&walk, k, char), (void *) result);
		if (result == &loops)
			ERR(vm->blk->name_pos, "model \"%s\" is its own ancestor through @@partitionOf or @@inherits",
				fmv_nz(vm->blk->name));
		else if (t->inherits.n > 0)
		{
			inherited_column_limit(v, vm);
			inherited_type_conflicts(v, vm);
			inherited_generations(v, vm);
		}
	}
}

/* the identity autoincrement() gave the columns of t becomes a serial */
static void
serial_autoincrements(FmTable *t)
{
	for (int i = 0; i < t->columns.n; i++)
	{
		FmColumn   *c = fm_list_get(&t->columns, i, FmColumn);

		if (c->autoinc == FM_AUTOINC_IDENTITY_BY_DEFAULT &&
			FM_COL_MORE(c)->identity == NULL)
			c->autoinc = FM_AUTOINC_SERIAL;
	}
}

/*
 * fmv_lineage_serials
 *		In a lineage (a partitioned table, or a table others inherit from),
 *		@default(autoincrement()) without @identity is a serial column (a
 *		sequence and a nextval() default), not the ferriorm dialect's usual
 *		identity: PostgreSQL before 17 gives no partition and no inheriting
 *		table the identity of its parent, while they copy its default, so
 *		a row inserted into a partition directly got no value ("null value
 *		in column "id" of relation "a1""), where the database a serial made
 *		gives one.  Live columns of either kind are kept by plans (no
 *		@identity is stated), so nothing live changes.  An @identity stated
 *		stays an identity.  Runs after fmv_check_lineage (v->lineage_ix).
 */
void
fmv_lineage_serials(V *v)
{
	/* without a partition key or a parent there is no lineage */
	for (int i = 0; (v->has_lineage || v->has_partitioned) && i < v->models.n; i++)
	{
		VModel	   *vm = fm_list_get(&v->models, i, VModel);
		const FmTable *t = vm->table;
		bool		more = true;

		if (vm->is_view)
			continue;
		if (t->partition_by != NULL)
			serial_autoincrements(vm->table);
		/* a table without a parent leaves the index unbuilt */
		for (int k = 0; more && (t->part_parent != NULL || t->inherits.n > 0); k++)
		{
			FmTable    *p = (FmTable *) fm_table_index_nth_parent(lineage_index(v), t, k, &more);

			if (p != NULL)
				serial_autoincrements(p);
		}
	}
}

/*
 * partition_check_names
 *		A CHECK of a partition named like a CHECK of one of its ancestors is
 *		an error: a partition has its parent's CHECKs already, PostgreSQL
 *		merges a namesake into the inherited one (or refuses it when the
 *		definitions differ), and the partition then has no CHECK of its own
 *		by that name, so no plan would ever leave it up to date.
 */
static void
partition_check_names(V *v)
{
	for (int i = 0; i < v->m->tables.n; i++)
	{
		const FmTable *t = fm_list_get(&v->m->tables, i, FmTable);

		for (int k = 0; t->part_parent != NULL && k < t->checks.n; k++)
		{
			const FmCheck *ck = fm_list_get(&t->checks, k, FmCheck);
			const FmTable *p = t;
			bool		clash = false;

			/* bounded: the lineage checks refused cycles already */
			for (int depth = 0; !clash && p->part_parent != NULL && depth < 1000; depth++)
			{
				p = find_table(v, p->part_parent_schema, p->part_parent);
				if (p == NULL)
					break;
				for (int j = 0; !clash && j < p->checks.n; j++)
					clash = fm_streq(fm_list_get(&p->checks, j, FmCheck)->name, ck->name);
			}
			if (clash)
				ERR(ck->pos, "the CHECK constraint \"%s\" of partition \"%s\" has the name of a CHECK of its ancestor \"%s\"; a partition has every CHECK of its parent already, and PostgreSQL merges the two: remove it from the partition, or give it another name with map:",
					ck->name, t->name, p->name);
		}
	}
}

/*
 * The name PostgreSQL gives the copy on partition t of key or index x of an
 * ancestor (one of k, ix, pk set): ChooseIndexName()'s, as the table's own
 * would get by default.
 */
static char *
clone_name(V *v, const FmTable *t, const FmKey *k, FmIndex *ix, bool pk)
{
	if (pk)
		return fm_make_object_name(v->t, t->name, NULL, "pkey");
	if (k)
		return fm_make_object_name(v->t, t->name, fm_column_list_name(v->t, &k->columns), "key");
	return fm_make_object_name(v->t, t->name, fm_index_name_columns(v->t, ix), "idx");
}

/*
 * Are indexes x and y alike as the text states them: the same kind, method,
 * elements, INCLUDE columns and predicate (the predicates as written)?
 */
static bool
index_alike(const FmIndex *x, const FmIndex *y)
{
	if (x->unique != y->unique ||
		!fm_streq(x->method ? x->method : "btree", y->method ? y->method : "btree") ||
		!fm_streq(x->predicate, y->predicate) ||
		!fm_str_list_eq(&x->include, &y->include) ||
		x->elems.n != y->elems.n)
		return false;
	for (int i = 0; i < x->elems.n; i++)
	{
		const FmIndexElem *a = fm_list_get(&x->elems, i, FmIndexElem);
		const FmIndexElem *b = fm_list_get(&y->elems, i, FmIndexElem);

		if (!fm_streq(a->column, b->column) || !fm_streq(a->expr, b->expr) ||
			a->sort != b->sort || a->nulls != b->nulls ||
			!fm_streq(a->opclass, b->opclass) || !fm_streq(a->collation, b->collation))
			return false;
	}
	return true;
}

/*
 * The name of the ancestor's key or index whose copy on t is named name,
 * or NULL.  own, when set, is the partition's own index of that name: an
 * ancestor's index unlike it does not count, as the plan renames the copy
 * before it creates own (fmd_create_index_step).
 */
static const char *
clone_named(V *v, const FmTable *t, const FmTable *p, const char *name, const FmIndex *own)
{
	if (p->primary_key && fm_streq(clone_name(v, t, NULL, NULL, true), name))
		return p->primary_key->name;
	for (int j = 0; j < p->uniques.n; j++)
	{
		FmKey	   *k = fm_list_get(&p->uniques, j, FmKey);

		if (fm_streq(clone_name(v, t, k, NULL, false), name))
			return k->name;
	}
	for (int j = 0; j < p->indexes.n; j++)
	{
		FmIndex    *ix = fm_list_get(&p->indexes, j, FmIndex);

		if (fm_streq(clone_name(v, t, NULL, ix, false), name) &&
			(own == NULL || index_alike(ix, own)))
			return ix->name;
	}
	return NULL;
}

/*
 * partition_clone_names
 *		A key of a partition named as PostgreSQL names the partition's
 *		copy of a key or index of one of its ancestors is an error: the
 *		parent's is created first (parents before partitions), its copy
 *		takes the name, and the partition's own then fails with "relation
 *		... already exists" (on a live database, the copy is there
 *		already).  So is an index of that name alike the ancestor's
 *		(index_alike): the same index twice.  An index unlike it is the
 *		partition's own, as PostgreSQL keeps it when a table that had it
 *		is attached (the copy is numbered): the plan renames the copy
 *		before it creates the index (fmd_free_clone_name), and pull prints
 *		such a partition.  Under another name, even of the same
 *		definition, the partition's own is a second index of its own, as
 *		PostgreSQL keeps it.
 */
static void
partition_clone_names(V *v)
{
	for (int i = 0; i < v->m->tables.n; i++)
	{
		const FmTable *t = fm_list_get(&v->m->tables, i, FmTable);
		int			nkeys = (t->primary_key ? 1 : 0) + t->uniques.n;

		for (int k = 0; t->part_parent != NULL && k < nkeys + t->indexes.n; k++)
		{
			const FmKey *key = k >= nkeys ? NULL : (t->primary_key && k == 0) ?
				t->primary_key : fm_list_get(&t->uniques, k - (t->primary_key ? 1 : 0), FmKey);
			const FmIndex *ix = k >= nkeys ? fm_list_get(&t->indexes, k - nkeys, FmIndex) : NULL;
			const char *name = key ? key->name : ix->name;
			const FmTable *p = t;
			const char *of = NULL;

			/* bounded: the lineage checks refused cycles already */
			for (int depth = 0; of == NULL && p->part_parent != NULL && depth < 1000; depth++)
			{
				p = find_table(v, p->part_parent_schema, p->part_parent);
				if (p == NULL)
					break;
				of = clone_named(v, t, p, name, ix);
			}
			if (of != NULL)
				ERR(key ? key->pos : ix->pos, "the %s \"%s\" of partition \"%s\" has the name PostgreSQL gives the partition's copy of \"%s\" of its ancestor \"%s\" (a partition gets every key and index of its parent); give it another name with map:, or remove it if it is the same",
					key ? "key" : "index", name, t->name, of, p->name);
		}
	}
}

/*
 * The first element of partition key pk that key columns cols (of char *)
 * lack: a column name, or "" for an expression, which no key can hold;
 * NULL when they hold every column.
 */
static const char *
key_lacks(const FmPartKey *pk, const FmList *cols)
{
	for (int i = 0; i < pk->elems.n; i++)
	{
		const FmIndexElem *e = fm_list_get(&pk->elems, i, FmIndexElem);

		if (e->column == NULL)
			return "";
		if (!fm_str_list_has(cols, e->column))
			return e->column;
	}
	return NULL;
}

/* report key (what: its kind; cols, of char *) of t's lineage on t's key pk */
static void
report_uncovering_key(V *v, const FmTable *t, const FmTable *owner,
					  const char *what, const char *name, const FmList *cols,
					  FmSrcPos pos)
{
	const char *lack = key_lacks(t->partition_by, cols);

	if (lack == NULL)
		return;
	if (*lack == '\0')
		ERR(t == owner ? pos : t->partition_by->pos, "the %s \"%s\" of table \"%s\" cannot be on partitioned table \"%s\", whose partition key has an expression; PostgreSQL refuses unique keys and indexes on such a table (partition by columns, or drop the key)",
			what, name, owner->name, t->name);
	else
		ERR(t == owner ? pos : t->partition_by->pos, "the %s \"%s\" of table \"%s\" lacks column \"%s\" of the partition key of \"%s\"; PostgreSQL requires every unique key and unique index of a partitioned table, and of its ancestors, to include its partition key columns: add the column to the key",
			what, name, owner->name, lack, t->name);
}

/*
 * partition_key_coverage
 *		Every primary key, unique key and unique index of a partitioned
 *		table, and those of its ancestors (which PostgreSQL gives to each of
 *		its partitions), must include the columns of its partition key, and
 *		the key must have no expression: PostgreSQL refuses them otherwise
 *		("unique constraint on partitioned table must include all
 *		partitioning columns"), and the plan failed at push.  One report per
 *		partitioned table.
 */
static void
partition_key_coverage(V *v)
{
	int			before;

	for (int i = 0; i < v->m->tables.n; i++)
	{
		const FmTable *t = fm_list_get(&v->m->tables, i, FmTable);
		const FmTable *p = t;

		if (t->partition_by == NULL || t->partition_by->elems.n == 0)
			continue;
		before = v->d->nerrors;
		/* bounded: the lineage checks refused cycles already */
		for (int depth = 0; p != NULL && depth < 1000 && v->d->nerrors == before; depth++)
		{
			if (p->primary_key)
				report_uncovering_key(v, t, p, "primary key", p->primary_key->name,
									  &p->primary_key->columns, p->primary_key->pos);
			for (int k = 0; k < p->uniques.n && v->d->nerrors == before; k++)
			{
				const FmKey *key = fm_list_get(&p->uniques, k, FmKey);

				report_uncovering_key(v, t, p, "unique key", key->name, &key->columns, key->pos);
			}
			for (int k = 0; k < p->indexes.n && v->d->nerrors == before; k++)
			{
				const FmIndex *ix = fm_list_get(&p->indexes, k, FmIndex);
				FmList		cols = {0};

				if (!ix->unique)
					continue;
				for (int e = 0; e < ix->elems.n; e++)
				{
					const FmIndexElem *el = fm_list_get(&ix->elems, e, FmIndexElem);

					if (el->column)
						fm_list_append(v->t, &cols, el->column);
				}
				report_uncovering_key(v, t, p, "unique index", ix->name, &cols, ix->pos);
			}
			if (p->part_parent == NULL)
				break;
			p = find_table(v, p->part_parent_schema, p->part_parent);
		}
	}
}

/*
 * fmv_lineage_name_rules
 *		Run at the end of the names pass, once keys, indexes and CHECKs
 *		have their names: the rules of partitions and inheritance that read
 *		them (validate_int.h).
 */
void
fmv_lineage_name_rules(V *v)
{
	/*
	 * Each walks every table, which at 10,000 models is out of the caches:
	 * only where some table has a parent (has_lineage) or a partition key
	 * (has_partitioned) can one find anything
	 */
	if (v->has_lineage)
	{
		partition_check_names(v);
		partition_clone_names(v);
	}
	if (v->has_partitioned)
		partition_key_coverage(v);
	if (v->has_lineage)
		fmv_inherited_check_conflicts(v);
}
