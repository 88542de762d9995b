/*-------------------------------------------------------------------------
 *
 * partition.c
 *	  Partitioning and inheritance in the model: a table's parent and depth,
 *	  comparison of partition keys and INHERITS lists, the DDL clauses that
 *	  state them (PARTITION BY, PARTITION OF ... FOR VALUES, INHERITS), and
 *	  what a plan keeps when the schema text cannot state them (the prisma
 *	  dialect).
 *
 * A partition's columns, keys and constraints are its parent's: the model
 * gives it none (introspection skips what a partition inherits or was
 * cloned from its parent).  An inheriting table lists only what it
 * declares itself.  Both are created after their parents (diff_partition.c).
 *
 * src/core/partition.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "fm_diff_int.h"

FmTable *
fm_table_parent(const FmModel *m, const FmTable *t)
{
	if (t->part_parent != NULL)
		return fm_model_find_table(m, t->part_parent_schema, t->part_parent);
	if (t->inherits.n > 0)
	{
		const FmTableRef *ref = fm_list_get(&t->inherits, 0, FmTableRef);

		return fm_model_find_table(m, ref->schema, ref->name);
	}
	return NULL;
}

/* the depth of t in m, looking at most budget levels up */
static int
depth_of(const FmModel *m, const FmTable *t, int budget)
{
	int			best = 0;

	if (budget <= 0)
		return 0;
	if (t->part_parent != NULL)
	{
		const FmTable *p = fm_model_find_table(m, t->part_parent_schema, t->part_parent);

		if (p != NULL)
			best = 1 + depth_of(m, p, budget - 1);
	}
	for (int i = 0; i < t->inherits.n; i++)
	{
		const FmTableRef *ref = fm_list_get(&t->inherits, i, FmTableRef);
		const FmTable *p = fm_model_find_table(m, ref->schema, ref->name);
		int			d = p ? 1 + depth_of(m, p, budget - 1) : 0;

		if (d > best)
			best = d;
	}
	return best;
}

/*
 * fm_table_depth
 *		How many levels of ancestors t has in m: 0 without a parent, else
 *		one more than its deepest parent (partition parent or INHERITS
 *		parents), so that every table is deeper than each of its parents.
 *		A cycle (which PostgreSQL refuses and validation reports) stops at
 *		64 levels.  One call may take exponential time on a lattice of
 *		multiple inheritance: callers that ask for many tables, or for
 *		tables of a text, use fm_table_index_depth.
 */
int
fm_table_depth(const FmModel *m, const FmTable *t)
{
	if (t->part_parent == NULL && t->inherits.n == 0)
		return 0;
	return depth_of(m, t, m->tables.n < 64 ? m->tables.n + 1 : 64);
}

/*
 * fm_table_index_build
 *		Fill ix with the tables of m (see FmTableIndex); memory in arena.
 */
void
fm_table_index_build(FmArena *arena, FmTableIndex *ix, const FmModel *m)
{
	memset(ix, 0, sizeof(*ix));
	ix->m = m;
	fm_hash_reserve(arena, &ix->map, (size_t) m->tables.n);
	/* backwards, so that the first of two tables of one name wins */
	for (int i = m->tables.n - 1; i >= 0; i--)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);

		if (t->name != NULL)
			fm_hash_put2(arena, &ix->map, t->schema, t->name, t);
	}
}

/* fm_model_find_table(ix->m, schema, name), in constant time */
FmTable *
fm_table_index_find(const FmTableIndex *ix, const char *schema, const char *name)
{
	if (name == NULL)
		return fm_model_find_table(ix->m, schema, name);
	return fm_hash_get2(&ix->map, schema, name);
}

/* fm_table_parent(ix->m, t), in constant time */
FmTable *
fm_table_index_parent(const FmTableIndex *ix, const FmTable *t)
{
	if (t->part_parent != NULL)
		return fm_table_index_find(ix, t->part_parent_schema, t->part_parent);
	if (t->inherits.n > 0)
	{
		const FmTableRef *ref = fm_list_get(&t->inherits, 0, FmTableRef);

		return fm_table_index_find(ix, ref->schema, ref->name);
	}
	return NULL;
}

/*
 * fm_table_index_nth_parent
 *		The k-th parent of t (its partition parent first, then INHERITS), or
 *		NULL when it is not in ix->m; *more is false once k is past the last.
 */
const FmTable *
fm_table_index_nth_parent(const FmTableIndex *ix, const FmTable *t, int k, bool *more)
{
	int			np = (t->part_parent != NULL ? 1 : 0) + t->inherits.n;
	const FmTableRef *ref;

	*more = k < np;
	if (!*more)
		return NULL;
	if (t->part_parent != NULL)
	{
		if (k == 0)
			return fm_table_index_find(ix, t->part_parent_schema, t->part_parent);
		k--;
	}
	ref = fm_list_get(&t->inherits, k, FmTableRef);
	return fm_table_index_find(ix, ref->schema, ref->name);
}

/* the memo cell of t in ix->depths, made (-1: in progress) when new */
static int *
depth_cell(FmArena *arena, FmTableIndex *ix, const FmTable *t, bool *made)
{
	char	   *key = fm_psprintf(arena, "%p", (const void *) t);
	int		   *cell = fm_hash_get(&ix->depths, key);

	*made = cell == NULL;
	if (cell == NULL)
	{
		cell = fm_alloc(arena, sizeof(int));
		*cell = -1;
		fm_hash_put(arena, &ix->depths, key, cell);
	}
	return cell;
}

/*
 * depth_memo
 *		The depth of t below its ancestors, uncapped: each table is computed
 *		once (ix->depths), so a lattice of multiple inheritance costs its
 *		edges, not its paths, and with an explicit stack, so a long chain
 *		of tables does not exhaust the C stack.  A parent met while its own
 *		depth is being computed is on a cycle and adds nothing.
 */
typedef struct DepthFrame
{
	const FmTable *t;
	int		   *cell;
	int			next;			/* the next parent to look at */
	int			best;
} DepthFrame;

static int
depth_memo(FmArena *arena, FmTableIndex *ix, const FmTable *t)
{
	bool		made;
	int		   *cell = depth_cell(arena, ix, t, &made);
	DepthFrame *stack;
	int			top = 0;

	if (!made)
		return *cell < 0 ? 0 : *cell;
	if (ix->stack == NULL)
		ix->stack = fm_alloc(arena, sizeof(DepthFrame) * (size_t) (ix->m->tables.n + 1));
	stack = ix->stack;
	stack[0].t = t;
	stack[0].cell = cell;
	stack[0].next = 0;
	stack[0].best = 0;
	while (top >= 0)
	{
		DepthFrame *f = &stack[top];
		bool		more;
		const FmTable *p = fm_table_index_nth_parent(ix, f->t, f->next++, &more);

		if (!more)
		{
			*f->cell = f->best;
			top--;
			if (top >= 0 && 1 + f->best > stack[top].best)
				stack[top].best = 1 + f->best;
			continue;
		}
		if (p == NULL)
			continue;
		cell = depth_cell(arena, ix, p, &made);
		if (!made)
		{
			if (*cell >= 0 && 1 + *cell > f->best)
				f->best = 1 + *cell;
			continue;
		}
		if (top + 1 > ix->m->tables.n)
			continue;			/* cannot happen: each table is pushed once */
		top++;
		stack[top].t = p;
		stack[top].cell = cell;
		stack[top].next = 0;
		stack[top].best = 0;
	}
	return *depth_cell(arena, ix, t, &made);
}

/*
 * fm_table_index_depth
 *		fm_table_depth(ix->m, t), with every depth computed once per index.
 *		Equal to it on every model without a cycle of lineage (which
 *		validation refuses); on one with a cycle, some depth below 64.
 */
int
fm_table_index_depth(FmArena *arena, FmTableIndex *ix, const FmTable *t)
{
	int			cap = ix->m->tables.n < 64 ? ix->m->tables.n + 1 : 64;
	int			d;

	if (t->part_parent == NULL && t->inherits.n == 0)
		return 0;
	d = depth_memo(arena, ix, t);
	return d > cap ? cap : d;
}

bool
fm_part_key_eq(const FmPartKey *a, const FmPartKey *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (!fm_streq(a->strategy, b->strategy) || a->elems.n != b->elems.n)
		return false;
	for (int i = 0; i < a->elems.n; i++)
	{
		const FmIndexElem *x = fm_list_get(&a->elems, i, FmIndexElem);
		const FmIndexElem *y = fm_list_get(&b->elems, i, FmIndexElem);

		if (!fm_streq(x->column, y->column) || !fm_streq(x->expr, y->expr))
			return false;
	}
	return true;
}

bool
fm_inherits_eq(const FmTable *a, const FmTable *b)
{
	if (a->inherits.n != b->inherits.n)
		return false;
	for (int i = 0; i < a->inherits.n; i++)
	{
		const FmTableRef *x = fm_list_get(&a->inherits, i, FmTableRef);
		const FmTableRef *y = fm_list_get(&b->inherits, i, FmTableRef);

		if (!fm_streq(x->schema, y->schema) || !fm_streq(x->name, y->name))
			return false;
	}
	return true;
}

/* " PARTITION BY RANGE (a, (b + 1))" */
static void
partition_by_clause(const FmRender *r, FmBuf *b, const FmPartKey *k)
{
	const char *s = k->strategy ? k->strategy : "";

	fm_buf_append(b, " PARTITION BY ");
	for (; *s; s++)
		fm_buf_append_char(b, (char) (*s >= 'a' && *s <= 'z' ? *s - 32 : *s));
	fm_buf_append(b, " (");
	for (int i = 0; i < k->elems.n; i++)
	{
		const FmIndexElem *el = fm_list_get(&k->elems, i, FmIndexElem);

		if (i > 0)
			fm_buf_append(b, ", ");
		if (el->column != NULL)
			fm_r_ident(r, b, el->column);
		else
			fm_buf_append(b, el->expr ? el->expr : "");
	}
	fm_buf_append_char(b, ')');
}

/*
 * fm_r_table_tail
 *		What ends CREATE TABLE t after its column list (or a partition's
 *		bound): INHERITS (...), PARTITION BY ..., WITH (storage), and ';'.
 */
void
fm_r_table_tail(const FmRender *r, FmBuf *b, const FmTable *t)
{
	if (t->inherits.n > 0)
	{
		fm_buf_append(b, " INHERITS (");
		for (int i = 0; i < t->inherits.n; i++)
		{
			const FmTableRef *ref = fm_list_get(&t->inherits, i, FmTableRef);

			if (i > 0)
				fm_buf_append(b, ", ");
			fm_r_qname(r, b, ref->schema, ref->name);
		}
		fm_buf_append_char(b, ')');
	}
	if (t->partition_by != NULL)
		partition_by_clause(r, b, t->partition_by);
	if (t->storage.n > 0)
	{
		fm_buf_append(b, " WITH (");
		fm_r_options(r, b, &t->storage, true);
		fm_buf_append_char(b, ')');
	}
	fm_buf_append_char(b, ';');
}

/* "FOR VALUES ..." or "DEFAULT": the bound of partition t */
static const char *
bound_text(const FmTable *t)
{
	return t->part_bound ? t->part_bound : "DEFAULT";
}

/*
 * fm_r_create_partition
 *		CREATE TABLE t PARTITION OF its parent, with its own keys and
 *		CHECKs if any, t's bound, then its own PARTITION BY (a
 *		sub-partitioned partition) and storage parameters.  A partition
 *		states no columns: they are its parent's.
 */
char *
fm_r_create_partition(const FmRender *r, const FmTable *t)
{
	FmBuf		b;
	FmBuf		own;

	fm_buf_init(&b, r->arena);
	fm_buf_append(&b, t->unlogged ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ");
	fm_r_qname(r, &b, t->schema, t->name);
	fm_buf_append(&b, " PARTITION OF ");
	fm_r_qname(r, &b, t->part_parent_schema, t->part_parent);
	/* its own keys and CHECKs, beside what it has from its parent */
	fm_buf_init(&own, r->arena);
	if (fm_r_table_constraints(r, &own, t, 0) > 0)
		fm_buf_printf(&b, " (%s\n)", own.data);
	fm_buf_append_char(&b, ' ');
	fm_buf_append(&b, bound_text(t));
	fm_r_table_tail(r, &b, t);
	return b.data;
}

/* ALTER TABLE parent ATTACH PARTITION t <bound> */
char *
fm_r_attach_partition(const FmRender *r, const FmTable *t)
{
	FmBuf		b;

	fm_buf_init(&b, r->arena);
	fm_buf_append(&b, "ALTER TABLE ");
	fm_r_qname(r, &b, t->part_parent_schema, t->part_parent);
	fm_buf_append(&b, " ATTACH PARTITION ");
	fm_r_qname(r, &b, t->schema, t->name);
	fm_buf_append_char(&b, ' ');
	fm_buf_append(&b, bound_text(t));
	fm_buf_append_char(&b, ';');
	return b.data;
}

/* ALTER TABLE parent DETACH PARTITION t */
char *
fm_r_detach_partition(const FmRender *r, const FmTable *t)
{
	FmBuf		b;

	fm_buf_init(&b, r->arena);
	fm_buf_append(&b, "ALTER TABLE ");
	fm_r_qname(r, &b, t->part_parent_schema, t->part_parent);
	fm_buf_append(&b, " DETACH PARTITION ");
	fm_r_qname(r, &b, t->schema, t->name);
	fm_buf_append_char(&b, ';');
	return b.data;
}

/*
 * fm_model_keep_lineage
 *		See fm_model.h.  Tables are shared with from, never copied; to's
 *		tables gain from's partition key and INHERITS list.
 */
void
fm_model_keep_lineage(FmArena *arena, const FmModel *from, FmModel *to)
{
	FmHashMap	by_name = {0};
	bool		any = false;

	if (from == NULL || to == NULL)
		return;
	for (int i = 0; i < to->tables.n && !any; i++)
		any = fm_list_get(&to->tables, i, FmTable)->keep_unstated;
	if (!any)
		return;
	for (int i = 0; i < to->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&to->tables, i, FmTable);

		fm_hash_put2(arena, &by_name, t->schema ? t->schema : "", t->name, t);
	}
	for (int i = 0; i < from->tables.n; i++)
	{
		FmTable    *lt = fm_list_get(&from->tables, i, FmTable);
		FmTable    *dt = fm_hash_get2(&by_name, lt->schema ? lt->schema : "",
									  lt->name);

		if (dt != NULL && dt->keep_unstated && dt != lt)
		{
			dt->partition_by = lt->partition_by;
			dt->part_parent_schema = lt->part_parent_schema;
			dt->part_parent = lt->part_parent;
			dt->part_bound = lt->part_bound;
			dt->inherits = lt->inherits;
		}
	}
	/* the live partitions (at any depth) of the tables to keeps */
	for (bool added = true; added;)
	{
		added = false;
		for (int i = 0; i < from->tables.n; i++)
		{
			FmTable    *lt = fm_list_get(&from->tables, i, FmTable);
			FmTable    *parent;

			if (lt->part_parent == NULL ||
				fm_hash_get2(&by_name, lt->schema ? lt->schema : "", lt->name) != NULL)
				continue;
			parent = fm_hash_get2(&by_name, lt->part_parent_schema ? lt->part_parent_schema : "",
								  lt->part_parent);
			/* a parent of to's text, or a live partition kept above */
			if (parent == NULL || !(parent->keep_unstated || parent->pos.line == 0))
				continue;
			fm_list_append(arena, &to->tables, lt);
			fm_hash_put2(arena, &by_name, lt->schema ? lt->schema : "", lt->name, lt);
			added = true;
		}
	}
	fm_model_sort(to);
}
