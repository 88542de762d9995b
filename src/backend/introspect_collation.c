/*-------------------------------------------------------------------------
 *
 * introspect_collation.c
 *	  Collations by OID, as the language names them, and the collations of
 *	  index elements (collate: of @@index and @@unique) that differ from
 *	  their column's own.
 *
 * No query compares collations row by row.  The column query reads each
 * column's attcollation and the index query each index's indcollation;
 * the index loader compares them in memory (fm_intro_note_index_collations)
 * for the key elements that are plain columns (expression elements are
 * left out), and the few OIDs that differ are named by one query over
 * pg_collation at the end (fm_intro_name_index_collations).  An earlier
 * version joined pg_attribute once per index key element, which cost more
 * than the index query itself (108 ms of a 10,000-table introspection).
 * The language names collations of pg_catalog only: one of another schema
 * is recorded as the reason the table cannot be stated exactly (pull
 * prints "/// @preserve").
 *
 * src/backend/introspect_collation.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "introspect_int.h"

/* collations by OID ($1: oid[] text) */
static const char *q_collations =
"SELECT co.oid, n.nspname, co.collname "
"FROM pg_catalog.pg_collation co "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "co.collnamespace "
"WHERE co.oid" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[])";

/*
 * fm_intro_collation_rows
 *		See introspect_int.h.  Columns: 1 the OID, 2 the schema, 3 the name,
 *		one row per collation of oids that exists, in no particular order.
 */
FmRows *
fm_intro_collation_rows(IntroState *st, const char *oids)
{
	const char *params[1];

	params[0] = oids;
	return st->rs->query(st->rs, q_collations, 1, params);
}

/*
 * fm_intro_note_index_collations
 *		See introspect_int.h.  indkey and indcoll are the index's
 *		pg_index.indkey and indcollation (nkey key elements; the elements of
 *		ix are its key elements, in order).  An element whose collation is
 *		0 (not collatable) or its column's is not noted.
 */
void
fm_intro_note_index_collations(IntroState *st, IndexCollations *colls,
							   LiveRel *rel, FmIndex *ix,
							   const int16 *indkey, int nkey,
							   const Oid *indcoll, int nindcoll)
{
	for (int k = 0; k < nkey && k < nindcoll && k < ix->elems.n; k++)
	{
		IndexCollation *c;
		int			attnum = indkey[k];

		if (attnum <= 0 || attnum > rel->natts || indcoll[k] == InvalidOid ||
			indcoll[k] == rel->attcolls[attnum])
			continue;
		c = palloc(sizeof(IndexCollation));
		c->table = rel->table;
		c->ix = ix;
		c->el = fm_list_get(&ix->elems, k, FmIndexElem);
		c->colloid = indcoll[k];
		fm_list_append(st->arena, &colls->items, c);
	}
}

/*
 * fm_intro_name_index_collations
 *		See introspect_int.h.  Each noted element gets its collation's name;
 *		one outside pg_catalog also makes its table a reason not to be
 *		stated exactly.  colls is emptied.
 */
void
fm_intro_name_index_collations(IntroState *st, IndexCollations *colls)
{
	StringInfoData oids;
	FmRows	   *rows;

	if (colls->items.n == 0)
		return;
	initStringInfo(&oids);
	appendStringInfoChar(&oids, '{');
	for (int k = 0; k < colls->items.n; k++)
		appendStringInfo(&oids, "%s%u", k ? "," : "",
						 fm_list_get(&colls->items, k, IndexCollation)->colloid);
	appendStringInfoChar(&oids, '}');
	rows = fm_intro_collation_rows(st, oids.data);
	for (int k = 0; k < colls->items.n; k++)
	{
		IndexCollation *c = fm_list_get(&colls->items, k, IndexCollation);

		for (uint64 i = 0; i < rows->n; i++)
		{
			char	   *schema;

			if (fm_intro_oid(rows, i, 1) != c->colloid)
				continue;
			c->el->collation = fm_intro_str(st, rows, i, 3);
			schema = fm_intro_str(st, rows, i, 2);
			if (strcmp(schema, "pg_catalog") != 0)
			{
				c->el->collation_schema = schema;
				fm_table_add_reason(st->arena, c->table,
									fm_psprintf(st->arena, "the index \"%s\" cannot be stated: its collation %s.%s is not in pg_catalog",
												c->ix->name, schema, c->el->collation));
			}
			break;
		}
		CHECK_FOR_INTERRUPTS();
		pfree(c);
	}
	fm_rows_free(rows);
	pfree(oids.data);
	colls->items.n = 0;
}
