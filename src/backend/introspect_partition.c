/*-------------------------------------------------------------------------
 *
 * introspect_partition.c
 *	  Introspection of partitioning and inheritance, through the same row
 *	  source as the rest of introspect.c (SPI or libpq): each managed
 *	  partitioned table's key (pg_partitioned_table), and each managed
 *	  table's parents (pg_inherits): a partition's parent and bound, an
 *	  inheriting table's INHERITS list in order.
 *
 * What a partition or an inheriting table has from its parent (columns,
 * CHECKs, keys and indexes cloned onto partitions) is left out of its
 * table by introspect.c itself (attislocal, conislocal, conparentid, index
 * partitions); this file only adds the lineage.
 *
 * A key column is read by attribute number.  Expressions are read from
 * pg_get_partkeydef(), split at its top-level commas: it prints one
 * element per key column, each expression as pg_get_indexdef() does (bare
 * when a function call, else in parentheses), which is also what
 * normalization makes of the schema text's raw("...").  A key with an
 * operator class or collation other than the default cannot be stated: the
 * table is marked with an ignore reason (pull prints it @@ignore).
 *
 * src/backend/introspect_partition.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "introspect_int.h"

/*
 * The partition keys of the managed tables; pg_get_partkeydef() only for
 * keys with expressions (it opens the table: the caller's right to lock it
 * was checked with the other deparsed tables).
 */
static const char *q_partkeys =
"SELECT pt.partrelid, pt.partstrat, pt.partattrs, "
"  CASE WHEN pt.partexprs IS NOT NULL THEN pg_catalog.pg_get_partkeydef(pt.partrelid) END, "
"  EXISTS (SELECT FROM pg_catalog.unnest(pt.partclass::pg_catalog.oid[]) k(o) "
"    JOIN pg_catalog.pg_opclass oc ON oc.oid" EQ "k.o WHERE NOT oc.opcdefault) "
"  OR EXISTS (SELECT FROM pg_catalog.unnest(pt.partcollation::pg_catalog.oid[]) WITH ORDINALITY k(o, n) "
"    JOIN pg_catalog.pg_attribute a ON a.attrelid" EQ "pt.partrelid "
"      AND a.attnum" EQ "(pt.partattrs::pg_catalog.int2[])[k.n OPERATOR(pg_catalog.-) 1::pg_catalog.int8] "
"    JOIN pg_catalog.pg_type t ON t.oid" EQ "a.atttypid "
"    WHERE k.o OPERATOR(pg_catalog.<>) t.typcollation) "
"FROM pg_catalog.pg_partitioned_table pt "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "pt.partrelid "
"WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) "
"ORDER BY pt.partrelid";

/* The parents of the managed tables, in INHERITS order; a partition's bound. */
static const char *q_parents =
"SELECT i.inhrelid, pn.nspname, p.relname, c.relispartition, "
"  CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, 0::pg_catalog.oid) END "
"FROM pg_catalog.pg_inherits i "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "i.inhrelid "
"JOIN pg_catalog.pg_class p ON p.oid" EQ "i.inhparent "
"JOIN pg_catalog.pg_namespace pn ON pn.oid" EQ "p.relnamespace "
"WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND "
"  (c.relkind" EQ "'r'::pg_catalog.\"char\" OR c.relkind" EQ "'p'::pg_catalog.\"char\") "
"ORDER BY i.inhrelid, i.inhseqno";

/*
 * The elements of pg_get_partkeydef() text "RANGE (a, lower(b))": what is
 * between the first '(' and the last ')', split at top-level commas
 * (outside parentheses, brackets, quotes).  *n receives how many.
 */
static char **
split_keydef(FmArena *arena, const char *def, int *n)
{
	const char *open = strchr(def, '(');
	const char *close = strrchr(def, ')');
	char	  **out;
	int			max = 1;
	int			depth = 0;
	const char *start;

	*n = 0;
	if (open == NULL || close == NULL || close < open)
		return NULL;
	for (const char *p = open + 1; p < close; p++)
		if (*p == ',')
			max++;
	out = fm_alloc(arena, sizeof(char *) * max);
	start = open + 1;
	for (const char *p = open + 1; p <= close; p++)
	{
		if (*p == '\'' || *p == '"')
		{
			char		q = *p++;

			while (p < close && !(*p == q && p[1] != q))
				p += (*p == q) ? 2 : 1;
			continue;
		}
		if (*p == '(' || *p == '[')
			depth++;
		else if ((*p == ')' || *p == ']') && p < close)
			depth--;
		if ((p == close || (*p == ',' && depth == 0)) && *n < max)
		{
			while (*start == ' ')
				start++;
			out[(*n)++] = fm_strndup(arena, start, (size_t) (p - start));
			start = p + 1;
		}
	}
	return out;
}

static const char *
strategy_name(char c)
{
	switch (c)
	{
		case 'r':
			return "range";
		case 'l':
			return "list";
		case 'h':
			return "hash";
	}
	return NULL;
}

/* each partitioned table's key (q_partkeys) */
static void
load_partkeys(IntroState *st)
{
	FmRows	   *rows = fm_intro_query(st, q_partkeys);

	for (uint64 i = 0; i < rows->n; i++)
	{
		LiveRel    *rel = fm_intro_find_rel(st, fm_intro_oid(rows, i, 1));
		FmTable    *t = rel ? rel->table : NULL;
		const char *strat = fm_rows_cell(rows, i, 2);
		int16	   *attrs = NULL;
		int			nattrs;
		const char *def = fm_rows_cell(rows, i, 4);
		const char *odd = fm_rows_cell(rows, i, 5);
		FmPartKey  *k;
		char	  **exprs = NULL;
		int			nexprs = 0;

		CHECK_FOR_INTERRUPTS();
		if (t == NULL || strat == NULL || strategy_name(strat[0]) == NULL)
			continue;
		k = fm_alloc(st->arena, sizeof(FmPartKey));
		k->strategy = fm_strdup(st->arena, strategy_name(strat[0]));
		if (def != NULL)
			exprs = split_keydef(st->arena, def, &nexprs);
		nattrs = fm_intro_int2s(rows, i, 3, &attrs);
		for (int pos = 0; pos < nattrs; pos++)
		{
			FmIndexElem *el = fm_alloc(st->arena, sizeof(FmIndexElem));

			if (attrs[pos] != 0)
			{
				const char *an = fm_intro_attname(rel, attrs[pos]);

				el->column = an ? fm_strdup(st->arena, an) : NULL;
			}
			else if (pos < nexprs)
				el->expr = exprs[pos];	/* its place in the key's text */
			fm_list_append(st->arena, &k->elems, el);
		}
		if (attrs)
			pfree(attrs);
		t->partition_by = k;
		if (odd != NULL && odd[0] == 't')
			t->ignore_reason = fm_strdup(st->arena, "its partition key has an operator class or a collation the language cannot state");
	}
	fm_rows_free(rows);
}

/* each table's parents (q_parents) */
static void
load_parents(IntroState *st)
{
	FmRows	   *rows = fm_intro_query(st, q_parents);

	for (uint64 i = 0; i < rows->n; i++)
	{
		LiveRel    *rel = fm_intro_find_rel(st, fm_intro_oid(rows, i, 1));
		FmTable    *t = rel ? rel->table : NULL;
		const char *schema = fm_rows_cell(rows, i, 2);
		const char *name = fm_rows_cell(rows, i, 3);
		const char *ispart = fm_rows_cell(rows, i, 4);

		CHECK_FOR_INTERRUPTS();
		if (t == NULL)
			continue;
		if (ispart != NULL && ispart[0] == 't')
		{
			const char *bound = fm_rows_cell(rows, i, 5);

			t->part_parent_schema = fm_strdup(st->arena, schema);
			t->part_parent = fm_strdup(st->arena, name);
			t->part_bound = bound ? fm_strdup(st->arena, bound) : NULL;
		}
		else
		{
			FmTableRef *ref = fm_alloc(st->arena, sizeof(FmTableRef));

			ref->schema = fm_strdup(st->arena, schema);
			ref->name = fm_strdup(st->arena, name);
			fm_list_append(st->arena, &t->inherits, ref);
		}
	}
	fm_rows_free(rows);
}

/*
 * fm_intro_load_lineage
 *		See introspect_int.h.
 */
void
fm_intro_load_lineage(IntroState *st)
{
	load_partkeys(st);
	load_parents(st);
}
