/*-------------------------------------------------------------------------
 *
 * introspect_collation.c
 *	  The collations of index elements (collate: of @@index and @@unique)
 *	  that differ from their column's own.
 *
 * One query, one row per key element of an index of a managed table whose
 * collation in the index is not its column's (expression elements are
 * left out), ordered by the index's OID; the index loader
 * (introspect_keys.c) finds an index's rows by binary search, so the
 * index query itself reads no collation.  The language names collations
 * of pg_catalog only: one of another schema is recorded as the reason the
 * table cannot be stated exactly (pull prints "/// @preserve").
 *
 * src/backend/introspect_collation.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "introspect_int.h"

static const char *q_index_collations =
"SELECT i.indexrelid, k.n, co.collname, "
"  CASE WHEN cn.nspname OPERATOR(pg_catalog.<>) 'pg_catalog'::pg_catalog.name THEN cn.nspname END "
"FROM pg_catalog.pg_index i "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "i.indrelid "
"CROSS JOIN LATERAL pg_catalog.generate_series(0::pg_catalog.int4, "
"  i.indnkeyatts::pg_catalog.int4 OPERATOR(pg_catalog.-) 1::pg_catalog.int4) k(n) "
"JOIN pg_catalog.pg_attribute a ON a.attrelid" EQ "i.indrelid AND a.attnum" EQ "i.indkey[k.n] "
"JOIN pg_catalog.pg_collation co ON co.oid" EQ "i.indcollation[k.n] "
"JOIN pg_catalog.pg_namespace cn ON cn.oid" EQ "co.collnamespace "
"WHERE c.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) AND " IS_TABLE("c.relkind")
"  AND i.indcollation[k.n] OPERATOR(pg_catalog.<>) a.attcollation "
"ORDER BY i.indexrelid, k.n";

/*
 * fm_intro_load_index_collations
 *		See introspect_int.h.
 */
void
fm_intro_load_index_collations(IntroState *st, IndexCollations *out)
{
	FmRows	   *rows = fm_intro_query(st, q_index_collations);

	out->n = (int) rows->n;
	out->items = palloc0(sizeof(IndexCollation) * (rows->n > 0 ? rows->n : 1));
	for (uint64 i = 0; i < rows->n; i++)
	{
		IndexCollation *c = &out->items[i];

		c->indexoid = fm_intro_oid(rows, i, 1);
		c->elem = fm_intro_int(rows, i, 2);
		c->name = fm_intro_str(st, rows, i, 3);
		c->schema = fm_intro_str(st, rows, i, 4);
	}
	fm_rows_free(rows);
}

/*
 * fm_intro_index_collations
 *		See introspect_int.h.
 */
void
fm_intro_index_collations(IntroState *st, const IndexCollations *colls,
						  Oid indexoid, FmTable *t, FmIndex *ix)
{
	int			lo = 0,
				hi = colls->n;

	/* the first row of indexoid (rows are sorted by it) */
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (colls->items[mid].indexoid < indexoid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < colls->n && colls->items[lo].indexoid == indexoid; lo++)
	{
		const IndexCollation *c = &colls->items[lo];
		FmIndexElem *el;

		if (c->elem < 0 || c->elem >= ix->elems.n)
			continue;
		el = fm_list_get(&ix->elems, c->elem, FmIndexElem);
		el->collation = c->name;
		if (c->schema != NULL)
			fm_table_add_reason(st->arena, t,
								fm_psprintf(st->arena, "the index \"%s\" cannot be stated: its collation %s.%s is not in pg_catalog",
											ix->name, c->schema, c->name));
	}
}
