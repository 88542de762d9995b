/*-------------------------------------------------------------------------
 *
 * introspect_exclude.c
 *	  Exclusion constraints of the managed tables (pg_constraint contype
 *	  'x') into the model, through a row source.
 *
 * One query, one row per element of every exclusion constraint (column,
 * operator and the operator's schema unless pg_catalog), in order, with
 * the constraint's index method and predicate.  An exclusion constraint
 * the language cannot state (an expression element, INCLUDE columns, a
 * non-default operator class, a sort order, DEFERRABLE) is not loaded:
 * the table's ignore_reason says why, so that pull prints it with
 * "/// @preserve" and plans leave the table as it is; nothing else ever
 * drops it.
 *
 * Like the other loaders (introspect.c), the query takes the managed
 * schemas' OIDs as its one text parameter, reads text cells only, and
 * writes every operator as OPERATOR(pg_catalog.x) with operands that make
 * it an exact match.  The predicate is deparsed (pg_get_expr), which opens
 * the table: introspect.c's q_deparsed covers every index with a
 * predicate, this one's too.
 *
 * src/backend/introspect_exclude.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"

#include "introspect_int.h"

static const char *q_exclusions =
"SELECT co.conrelid, co.conname, am.amname, "
"  pg_catalog.pg_get_expr(i.indpred, i.indrelid), "
"  CASE WHEN i.indexprs IS NOT NULL THEN 'it has an expression' "
"    WHEN i.indnatts OPERATOR(pg_catalog.<>) i.indnkeyatts THEN 'it has INCLUDE columns' "
"    WHEN co.condeferrable THEN 'it is deferrable' "
"    WHEN EXISTS (SELECT 1 FROM pg_catalog.generate_series(0::pg_catalog.int4, "
"        i.indnkeyatts::pg_catalog.int4 OPERATOR(pg_catalog.-) 1::pg_catalog.int4) j "
"      JOIN pg_catalog.pg_opclass oc ON oc.oid" EQ "i.indclass[j] WHERE NOT oc.opcdefault) "
"      THEN 'it has an operator class that is not the default' "
"    WHEN EXISTS (SELECT 1 FROM pg_catalog.generate_series(0::pg_catalog.int4, "
"        i.indnkeyatts::pg_catalog.int4 OPERATOR(pg_catalog.-) 1::pg_catalog.int4) j "
"      WHERE i.indoption[j] OPERATOR(pg_catalog.<>) 0::pg_catalog.int2) "
"      THEN 'it has a sort order' END, "
"  a.attname, o.oprname, "
"  CASE WHEN onsp.nspname OPERATOR(pg_catalog.<>) 'pg_catalog'::pg_catalog.name "
"    THEN onsp.nspname END "
"FROM pg_catalog.pg_constraint co "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "co.conrelid "
"JOIN pg_catalog.pg_index i ON i.indexrelid" EQ "co.conindid "
"JOIN pg_catalog.pg_class ic ON ic.oid" EQ "i.indexrelid "
"JOIN pg_catalog.pg_am am ON am.oid" EQ "ic.relam "
"CROSS JOIN LATERAL pg_catalog.generate_series(1::pg_catalog.int4, "
"  i.indnkeyatts::pg_catalog.int4) k(n) "
"LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid" EQ "i.indrelid "
"  AND a.attnum" EQ "i.indkey[k.n OPERATOR(pg_catalog.-) 1::pg_catalog.int4] "
"  AND a.attnum OPERATOR(pg_catalog.>) 0::pg_catalog.int2 "
"LEFT JOIN pg_catalog.pg_operator o ON o.oid" EQ "co.conexclop[k.n] "
"LEFT JOIN pg_catalog.pg_namespace onsp ON onsp.oid" EQ "o.oprnamespace "
"WHERE c.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) "
"  AND " IS_TABLE("c.relkind") " "
"  AND co.contype" EQ "'x'::pg_catalog.\"char\" "
"  AND co.conparentid" EQ "0::pg_catalog.oid "
"ORDER BY co.conrelid, co.conname, k.n";

/*
 * fm_intro_load_exclusions
 *		See introspect_int.h.
 */
void
fm_intro_load_exclusions(IntroState *st)
{
	FmRows	   *rows = fm_intro_query(st, q_exclusions);
	FmExclusion *x = NULL;
	LiveRel    *rel = NULL;
	const char *cur_name = NULL;
	Oid			cur_rel = InvalidOid;

	for (uint64 i = 0; i < rows->n; i++)
	{
		Oid			relid = fm_intro_oid(rows, i, 1);
		const char *name = fm_rows_cell(rows, i, 2);
		FmExclElem *e;

		CHECK_FOR_INTERRUPTS();
		if (relid != cur_rel || cur_name == NULL || strcmp(name, cur_name) != 0)
		{
			/* the first element of a constraint */
			const char *reason = fm_rows_cell(rows, i, 5);

			cur_rel = relid;
			cur_name = name;
			x = NULL;
			rel = fm_intro_find_rel(st, relid);
			if (rel == NULL)
				continue;
			if (reason != NULL)
			{
				fm_table_add_reason(st->arena, rel->table,
									fm_psprintf(st->arena, "the exclusion constraint \"%s\" cannot be stated: %s",
												name, reason));
				continue;
			}
			x = fm_alloc(st->arena, sizeof(FmExclusion));
			x->name = fm_intro_str(st, rows, i, 2);
			x->method = fm_intro_str(st, rows, i, 3);
			x->predicate = fm_intro_str(st, rows, i, 4);
			fm_list_append(st->arena, &rel->table->exclusions, x);
		}
		if (x == NULL)
			continue;
		e = fm_alloc(st->arena, sizeof(FmExclElem));
		e->column = fm_intro_str(st, rows, i, 6);
		e->op = fm_intro_str(st, rows, i, 7);
		e->op_schema = fm_intro_str(st, rows, i, 8);
		fm_list_append(st->arena, &x->elems, e);
	}
	fm_rows_free(rows);
}
