/*-------------------------------------------------------------------------
 *
 * introspect_keys.c
 *	  Introspection of constraints and indexes (introspect.c drives):
 *	  primary keys, uniques, foreign keys and CHECKs of the managed tables,
 *	  then their indexes but for those that back a constraint.
 *
 * No query runs per object: the referenced columns of every foreign key to
 * an unmanaged table are read by one query, and the operator classes and
 * access methods that indexes refer to by OID are read once.
 *
 * src/backend/introspect_keys.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_index.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "introspect_int.h"

/* pg_index.indnullsnotdistinct of index alias x (PostgreSQL 15 and later) */
#if PG_VERSION_NUM >= 150000
#define NULLS_NOT_DISTINCT(x) x ".indnullsnotdistinct"
#else
#define NULLS_NOT_DISTINCT(x) "false"
#endif

/* a foreign key's ON DELETE SET NULL / SET DEFAULT column list (15 and later) */
#if PG_VERSION_NUM >= 150000
#define DELSETCOLS(x) x ".confdelsetcols IS NOT NULL"
#else
#define DELSETCOLS(x) "false"
#endif

/*
 * The constraints of the managed tables.  The index of a key (ki, kc) and
 * the referenced table of a foreign key (fc) are joined on a key that is
 * NULL for the other kinds of constraint, which an index scan answers
 * without reading a page: joined on conindid and confrelid as they are,
 * every constraint probed both (a plan of 1,000 tables read 45,700 buffers
 * instead of 29,700).
 */
static const char *q_constraints =
"SELECT co.conrelid, co.conname, co.contype, co.conkey, co.confkey, "
"  fn.nspname, fc.relname, co.confupdtype, co.confdeltype, co.condeferrable, "
"  co.condeferred, CASE WHEN co.contype" EQ "'c'::pg_catalog.\"char\" "
"    THEN pg_catalog.pg_get_expr(co.conbin, co.conrelid) END, "
"  co.conindid, co.confrelid, co.conislocal, "
"  COALESCE(CASE WHEN co.contype" EQ "'u'::pg_catalog.\"char\" "
"    THEN " NULLS_NOT_DISTINCT("ki") " END, false), "
"  co.conparentid OPERATOR(pg_catalog.<>) 0::pg_catalog.oid, "
"  CASE WHEN co.contype" EQ "'f'::pg_catalog.\"char\" AND co.confmatchtype" EQ "'f'::pg_catalog.\"char\" "
"    THEN 'it is MATCH FULL' "
"  WHEN co.contype" EQ "'f'::pg_catalog.\"char\" AND " DELSETCOLS("co") " "
"    THEN 'its ON DELETE action names the columns it sets' "
"  WHEN co.contype" EQ "'c'::pg_catalog.\"char\" AND co.connoinherit THEN 'it is NO INHERIT' "
"  WHEN ki.indnatts OPERATOR(pg_catalog.>) ki.indnkeyatts THEN 'it has INCLUDE columns' "
"  WHEN kc.reloptions IS NOT NULL THEN 'its index has storage parameters (' "
"    OPERATOR(pg_catalog.||) pg_catalog.array_to_string(kc.reloptions, ', ') OPERATOR(pg_catalog.||) ')' END, "
"  co.convalidated "
"FROM pg_catalog.pg_constraint co "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "co.conrelid "
"LEFT JOIN pg_catalog.pg_index ki ON ki.indexrelid" EQ "CASE WHEN co.contype"
"  " EQ "ANY ('{p,u}'::pg_catalog.\"char\"[]) THEN co.conindid END "
"LEFT JOIN pg_catalog.pg_class kc ON kc.oid" EQ "ki.indexrelid "
"LEFT JOIN pg_catalog.pg_class fc ON fc.oid" EQ "CASE WHEN co.contype"
"  " EQ "'f'::pg_catalog.\"char\" THEN co.confrelid END "
"LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid" EQ "fc.relnamespace "
"WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND " IS_TABLE("c.relkind")
" AND co.contype" EQ "ANY ('{p,u,f,c,x}'::pg_catalog.\"char\"[]) "
"AND (co.conparentid" EQ "0::pg_catalog.oid OR (c.relispartition "
"  AND co.contype" EQ "ANY ('{p,u,f}'::pg_catalog.\"char\"[]) "
"  AND EXISTS (SELECT FROM pg_catalog.pg_constraint pc WHERE pc.oid" EQ "co.conparentid "
"    AND pc.conrelid OPERATOR(pg_catalog.<>) co.conrelid))) "
"ORDER BY co.conrelid, co.contype, co.conname";

/*
 * Indexes, with their operator classes as the OIDs of pg_index.indclass:
 * load_opclasses() reads the operator classes it names once (q_opclasses), so
 * that no row runs a subquery per key column.  pg_get_expr() and
 * pg_get_indexdef() run only for the indexes that have a predicate or
 * expressions.
 */
static const char *q_indexes =
"SELECT i.indrelid, ic.relname, i.indexrelid, i.indisunique, am.amname, "
"  i.indnkeyatts, i.indnatts, i.indkey, i.indoption, i.indclass, "
"  pg_catalog.pg_get_expr(i.indpred, i.indrelid), "
"  CASE WHEN i.indexprs IS NOT NULL THEN ARRAY(SELECT CASE "
"    WHEN i.indkey[k OPERATOR(pg_catalog.-) 1::pg_catalog.int4]" EQ "0::pg_catalog.int2 "
"    THEN pg_catalog.pg_get_indexdef(i.indexrelid, k, false) END "
"    FROM pg_catalog.generate_series(1::pg_catalog.int4, i.indnkeyatts::pg_catalog.int4) k) END, "
"  " HAS_PARENT("i.indexrelid") ", "
"  i.indcollation, " NULLS_NOT_DISTINCT("i") ", "
"  i.indisvalid OR ic.relkind" EQ "'I'::pg_catalog.\"char\", "
"  CASE WHEN ic.reloptions IS NOT NULL THEN 'it has storage parameters (' "
"    OPERATOR(pg_catalog.||) pg_catalog.array_to_string(ic.reloptions, ', ') OPERATOR(pg_catalog.||) ')' END "
"FROM pg_catalog.pg_index i "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "i.indrelid "
"JOIN pg_catalog.pg_class ic ON ic.oid" EQ "i.indexrelid "
"JOIN pg_catalog.pg_am am ON am.oid" EQ "ic.relam "
"WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND " IS_TABLE("c.relkind") " "
"ORDER BY i.indrelid, ic.relname";

/*
 * What indexes refer to by OID, read once per introspection: the operator
 * classes that are not their type's default (the name, and the schema
 * unless pg_catalog: as fm_model_opclass states them) and the default ones
 * of the access methods other than btree and hash (FmIndexElem.
 * opclass_default), and the index access methods that can order.
 */
static const char *q_opclasses =
"SELECT oc.oid, oc.opcname, CASE WHEN n.nspname OPERATOR(pg_catalog.<>) "
"  'pg_catalog'::pg_catalog.name THEN n.nspname END, oc.opcdefault "
"FROM pg_catalog.pg_opclass oc "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "oc.opcnamespace "
"JOIN pg_catalog.pg_am am ON am.oid" EQ "oc.opcmethod "
"WHERE NOT oc.opcdefault OR am.amname OPERATOR(pg_catalog.<>) "
"  ALL ('{btree,hash}'::pg_catalog.name[])";

static const char *q_index_ams =
"SELECT am.amname, pg_catalog.pg_indexam_has_property(am.oid, 'can_order'::pg_catalog.text) "
"FROM pg_catalog.pg_am am WHERE am.amtype" EQ "'i'::pg_catalog.\"char\"";

/*
 * The referenced columns of the foreign keys to tables outside the managed
 * set, all keys at once: $1 and $2 hold, element by element, the
 * referenced table and column number of every such key column, key after
 * key; one row per element, in that order (NULL for a column that is gone).
 */
static const char *q_refcols =
"SELECT a.attname "
"FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.oid[]), "
"  pg_catalog.unnest($2::pg_catalog.int2[])) WITH ORDINALITY k(rel, n, o) "
"LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid" EQ "k.rel AND a.attnum" EQ "k.n "
"ORDER BY k.o";

static FmFkAction
fk_action(char c)
{
	switch (c)
	{
		case 'r':
			return FM_FK_RESTRICT;
		case 'c':
			return FM_FK_CASCADE;
		case 'n':
			return FM_FK_SET_NULL;
		case 'd':
			return FM_FK_SET_DEFAULT;
		default:
			return FM_FK_NO_ACTION;
	}
}

static void
add_conindex(IntroState *st, Oid indexoid)
{
	if (!OidIsValid(indexoid))
		return;
	if (st->nconindexes == st->maxconindexes)
	{
		st->maxconindexes = st->maxconindexes ? st->maxconindexes * 2 : 64;
		st->conindexes = st->conindexes
			? repalloc(st->conindexes, sizeof(Oid) * st->maxconindexes)
			: palloc(sizeof(Oid) * st->maxconindexes);
	}
	st->conindexes[st->nconindexes++] = indexoid;
}

/*
 * The key columns whose referenced names load_ref_columns() reads: the
 * referenced table and column number of each, as oid[] and int2[] text,
 * and the foreign key each belongs to.
 */
typedef struct RefColumns
{
	StringInfoData rels;
	StringInfoData nums;
	FmList		fks;			/* of FmForeignKey *, one per element */
} RefColumns;

/* note the referenced columns (confkey, column 5 of cons) of fk */
static void
add_ref_columns(IntroState *st, RefColumns *refs, FmForeignKey *fk,
				Oid refrel, const FmRows *cons, uint64 row)
{
	int16	   *keys;
	int			nkeys = fm_intro_int2s(cons, row, 5, &keys);

	for (int j = 0; j < nkeys; j++)
	{
		const char *sep = refs->fks.n ? "," : "{";

		appendStringInfo(&refs->rels, "%s%u", sep, refrel);
		appendStringInfo(&refs->nums, "%s%d", sep, keys[j]);
		fm_list_append(st->arena, &refs->fks, fk);
	}
	if (keys)
		pfree(keys);
}

/* read the referenced columns noted by add_ref_columns(), in one query */
static void
load_ref_columns(IntroState *st, RefColumns *refs)
{
	const char *params[2];
	FmRows	   *rows;

	if (refs->fks.n == 0)
		return;
	appendStringInfoChar(&refs->rels, '}');
	appendStringInfoChar(&refs->nums, '}');
	params[0] = refs->rels.data;
	params[1] = refs->nums.data;
	rows = st->rs->query(st->rs, q_refcols, 2, params);
	if (rows->n != (uint64) refs->fks.n)
		elog(ERROR, "unexpected number of referenced columns: " UINT64_FORMAT " for %d",
			 rows->n, refs->fks.n);
	for (uint64 i = 0; i < rows->n; i++)
	{
		char	   *name = fm_intro_str(st, rows, i, 1);

		if (name != NULL)
			fm_list_append(st->arena,
						   &fm_list_get(&refs->fks, (int) i, FmForeignKey)->ref_columns,
						   name);
	}
	fm_rows_free(rows);
}

/*
 * fm_intro_load_constraints
 *		Read the constraints of the managed tables (q_constraints) into st:
 *		primary keys and unique constraints (NULLS NOT DISTINCT or not) as
 *		FmKeys, foreign keys (with the
 *		referenced columns, read by one query for all keys whose referenced
 *		table is not managed) and CHECKs (as pg_get_constraintdef() prints them).  The index
 *		of every key and exclusion constraint is noted in st->conindexes
 *		(sorted), so that fm_intro_load_indexes() does not take it for an index of its
 *		own.  A partition's keys and foreign keys cloned from its parent's
 *		(conparentid on a constraint of another table) go to its
 *		FmTable.clones, not to the table.
 */
void
fm_intro_load_constraints(IntroState *st)
{
	LiveRel    *rel = NULL;
	RefColumns	refs;
	FmRows	   *rows = fm_intro_query(st, q_constraints);

	memset(&refs, 0, sizeof(refs));
	initStringInfo(&refs.rels);
	initStringInfo(&refs.nums);

	for (uint64 i = 0; i < rows->n; i++)
	{
		Oid			relid = fm_intro_oid(rows, i, 1);
		char		contype = fm_intro_char(rows, i, 3);
		char	   *name;
		int16	   *keys;
		int			nkeys;
		bool		clone;

		if (rel == NULL || rel->oid != relid)
			rel = fm_intro_find_rel(st, relid);
		if (rel == NULL)
			continue;
		name = fm_intro_str(st, rows, i, 2);
		nkeys = fm_intro_int2s(rows, i, 4, &keys);
		if (contype == 'p' || contype == 'u' || contype == 'x')
			add_conindex(st, fm_intro_oid(rows, i, 13));

		clone = fm_intro_bool(rows, i, 17);
		if (clone && rel->table->clones == NULL)
			rel->table->clones = fm_alloc(st->arena, sizeof(FmClones));
		/* what the language cannot state: pull preserves the table */
		if (!clone && fm_rows_cell(rows, i, 18) != NULL &&
			(contype != 'c' || fm_intro_bool(rows, i, 15)))
			fm_table_add_reason(st->arena, rel->table,
								fm_psprintf(st->arena, "the %s \"%s\" cannot be stated: %s",
										 contype == 'p' ? "primary key" :
										 contype == 'u' ? "unique key" :
										 contype == 'f' ? "foreign key" : "CHECK constraint",
										 name, fm_rows_cell(rows, i, 18)));
		if (contype == 'p' || contype == 'u')
		{
			FmKey	   *k = fm_alloc(st->arena, sizeof(FmKey));
			FmTable    *t = rel->table;
			FmClones   *cl = clone ? t->clones : NULL;

			k->name = name;
			for (int j = 0; j < nkeys; j++)
				fm_list_append(st->arena, &k->columns,
							   (void *) fm_intro_attname(rel, keys[j]));
			k->nulls_not_distinct = fm_intro_bool(rows, i, 16);
			k->deferrable = fm_intro_bool(rows, i, 10);
			if (contype == 'p')
				*(cl ? &cl->primary_key : &t->primary_key) = k;
			else
				fm_list_append(st->arena, cl ? &cl->uniques : &t->uniques, k);
		}
		else if (contype == 'f')
		{
			FmForeignKey *fk = fm_alloc(st->arena, sizeof(FmForeignKey));
			Oid			refoid = fm_intro_oid(rows, i, 14);
			LiveRel    *ref = fm_intro_find_rel(st, refoid);

			fk->name = name;
			for (int j = 0; j < nkeys; j++)
				fm_list_append(st->arena, &fk->columns,
							   (void *) fm_intro_attname(rel, keys[j]));
			fk->ref_schema = fm_intro_str(st, rows, i, 6);
			fk->ref_table = fm_intro_str(st, rows, i, 7);
			if (ref != NULL)
			{
				int16	   *rkeys;
				int			nrkeys = fm_intro_int2s(rows, i, 5, &rkeys);

				for (int j = 0; j < nrkeys; j++)
					fm_list_append(st->arena, &fk->ref_columns,
								   (void *) fm_intro_attname(ref, rkeys[j]));
				if (rkeys)
					pfree(rkeys);
			}
			else
				add_ref_columns(st, &refs, fk, refoid, rows, i);
			fk->on_update = fk_action(fm_intro_char(rows, i, 8));
			fk->on_delete = fk_action(fm_intro_char(rows, i, 9));
			fk->deferrable = fm_intro_bool(rows, i, 10);
			fk->initially_deferred = fm_intro_bool(rows, i, 11);
			fk->not_valid = !fm_intro_bool(rows, i, 19);
			fm_list_append(st->arena, clone ?
						   &rel->table->clones->foreign_keys :
						   &rel->table->foreign_keys, fk);
		}
		else if (contype == 'c' && fm_intro_bool(rows, i, 15))	/* not inherited */
		{
			FmCheck    *ck = fm_alloc(st->arena, sizeof(FmCheck));

			ck->name = name;
			ck->expr = fm_intro_str(st, rows, i, 12);
			ck->not_valid = !fm_intro_bool(rows, i, 19);
			fm_list_append(st->arena, &rel->table->checks, ck);
		}
		if (keys)
			pfree(keys);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
	load_ref_columns(st, &refs);
	pfree(refs.rels.data);
	pfree(refs.nums.data);
	if (st->nconindexes > 1)
		qsort(st->conindexes, st->nconindexes, sizeof(Oid), fm_intro_oid_cmp);
}

/* An operator class of q_opclasses. */
typedef struct OpclassName
{
	Oid			oid;
	FmOpclassName n;			/* in the model's arena */
	bool		is_default;
} OpclassName;

/* The operator classes of q_opclasses, sorted by OID. */
typedef struct OpclassMap
{
	int			n;
	OpclassName *opcs;
} OpclassMap;

static int
opclass_cmp(const void *a, const void *b)
{
	Oid			x = ((const OpclassName *) a)->oid;
	Oid			y = ((const OpclassName *) b)->oid;

	return (x > y) - (x < y);
}

static void
load_opclasses(IntroState *st, OpclassMap *map)
{
	FmRows	   *rows = fm_intro_query0(st, q_opclasses);

	map->n = (int) rows->n;
	map->opcs = palloc(sizeof(OpclassName) * (map->n > 0 ? map->n : 1));
	for (int i = 0; i < map->n; i++)
	{
		map->opcs[i].oid = fm_intro_oid(rows, i, 1);
		map->opcs[i].n.name = fm_intro_str(st, rows, i, 2);
		map->opcs[i].n.schema = fm_intro_str(st, rows, i, 3);
		map->opcs[i].is_default = fm_intro_bool(rows, i, 4);
	}
	fm_rows_free(rows);
	qsort(map->opcs, map->n, sizeof(OpclassName), opclass_cmp);
}

/* the operator class of that OID in q_opclasses, or NULL */
static const OpclassName *
opclass_find(const OpclassMap *map, Oid opclass)
{
	OpclassName key;

	key.oid = opclass;
	return bsearch(&key, map->opcs, map->n, sizeof(OpclassName), opclass_cmp);
}

/* Does the index access method of that name order (q_index_ams)? */
static bool
am_can_order(const FmRows *ams, const char *amname)
{
	for (uint64 i = 0; i < ams->n; i++)
		if (strcmp(fm_rows_cell(ams, i, 1), amname) == 0)
			return fm_intro_bool(ams, i, 2);
	return false;
}

/*
 * fm_intro_load_indexes
 *		Read the indexes of the managed tables (q_indexes) into st, but for
 *		those that back a constraint (st->conindexes): columns or
 *		expressions, sort order and nulls placement where the access method
 *		orders, non-default operator classes, INCLUDE columns, predicate,
 *		NULLS NOT DISTINCT.  A partition's indexes cloned from its parent's
 *		(partitions of its indexes) go to its FmTable.clones.
 */
void
fm_intro_load_indexes(IntroState *st)
{
	LiveRel    *rel = NULL;
	OpclassMap	opcs;
	FmRows	   *ams;
	FmRows	   *rows;
	const char *canorder_am = NULL;
	bool		canorder = false;
	IndexCollations colls = {{0}};

	load_opclasses(st, &opcs);
	ams = fm_intro_query0(st, q_index_ams);
	rows = fm_intro_query(st, q_indexes);
	for (uint64 i = 0; i < rows->n; i++)
	{
		Oid			relid = fm_intro_oid(rows, i, 1);
		Oid			indexoid = fm_intro_oid(rows, i, 3);
		FmIndex    *ix;
		int			nkey;
		int			natts;
		int16	   *indkey;
		int16	   *indoption;
		Oid		   *indclass;
		Oid		   *indcoll;
		int			nindkey;
		int			nindoption;
		int			nindclass;
		int			nindcoll;
		char	  **exprs = NULL;
		int			nexprs;
		bool		inherited;

		if (rel == NULL || rel->oid != relid)
			rel = fm_intro_find_rel(st, relid);
		if (rel == NULL)
			continue;
		if (st->nconindexes > 0 &&
			bsearch(&indexoid, st->conindexes, st->nconindexes, sizeof(Oid),
					fm_intro_oid_cmp) != NULL)
			continue;			/* backs a PK / UNIQUE / EXCLUDE constraint */
		inherited = fm_intro_bool(rows, i, 13);	/* a partition of the parent's */

		ix = fm_alloc(st->arena, sizeof(FmIndex));
		ix->name = fm_intro_str(st, rows, i, 2);
		ix->unique = fm_intro_bool(rows, i, 4);
		ix->method = fm_intro_str(st, rows, i, 5);
		nkey = fm_intro_int(rows, i, 6);
		natts = fm_intro_int(rows, i, 7);
		nindkey = fm_intro_int2s(rows, i, 8, &indkey);
		nindoption = fm_intro_int2s(rows, i, 9, &indoption);
		nindclass = fm_intro_oids(rows, i, 10, &indclass);
		nindcoll = fm_intro_oids(rows, i, 14, &indcoll);
		ix->predicate = fm_intro_str(st, rows, i, 11);
		ix->nulls_not_distinct = fm_intro_bool(rows, i, 15);
		ix->invalid = !fm_intro_bool(rows, i, 16);
		if (!inherited && fm_rows_cell(rows, i, 17) != NULL)
			fm_table_add_reason(st->arena, rel->table,
								fm_psprintf(st->arena, "the index \"%s\" cannot be stated: %s",
										 ix->name, fm_rows_cell(rows, i, 17)));
		nexprs = fm_intro_text_array(st, rows, i, 12, &exprs);
		if (canorder_am == NULL || strcmp(canorder_am, ix->method) != 0)
		{
			canorder_am = ix->method;
			canorder = am_can_order(ams, ix->method);
		}

		for (int k = 0; k < nkey && k < nindkey; k++)
		{
			FmIndexElem *el = fm_alloc(st->arena, sizeof(FmIndexElem));
			int16		opt = (k < nindoption) ? indoption[k] : 0;
			const OpclassName *opc = (k < nindclass) ? opclass_find(&opcs, indclass[k]) : NULL;

			if (indkey[k] != 0)
				el->column = (char *) fm_intro_attname(rel, indkey[k]);
			else if (k < nexprs)
				el->expr = exprs[k];
			if (canorder)
			{
				bool		desc_ = (opt & INDOPTION_DESC) != 0;
				bool		nfirst = (opt & INDOPTION_NULLS_FIRST) != 0;

				el->sort = desc_ ? FM_SORT_DESC : FM_SORT_DEFAULT;
				if (desc_ && !nfirst)
					el->nulls = FM_NULLS_LAST;
				else if (!desc_ && nfirst)
					el->nulls = FM_NULLS_FIRST;
			}
			/* as fm_model_opclass: none when the default, schema unless pg_catalog */
			if (opc != NULL && opc->is_default)
			{
				FmOpclassName *d = fm_alloc(st->arena, sizeof(FmOpclassName));

				*d = opc->n;
				el->opclass_default = d;
			}
			else if (opc != NULL)
			{
				el->opclass = opc->n.name;
				el->opclass_schema = opc->n.schema;
			}
			fm_list_append(st->arena, &ix->elems, el);
		}
		for (int k = nkey; k < natts && k < nindkey; k++)
			fm_list_append(st->arena, &ix->include,
						   (void *) fm_intro_attname(rel, indkey[k]));
		fm_intro_note_index_collations(st, &colls, rel, ix, indkey, nkey,
									   indcoll, nindcoll);
		if (inherited && rel->table->clones == NULL)
			rel->table->clones = fm_alloc(st->arena, sizeof(FmClones));
		fm_list_append(st->arena, inherited ? &rel->table->clones->indexes :
					   &rel->table->indexes, ix);
		if (exprs)
			pfree(exprs);
		if (indkey)
			pfree(indkey);
		if (indoption)
			pfree(indoption);
		if (indclass)
			pfree(indclass);
		if (indcoll)
			pfree(indcoll);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
	fm_rows_free(ams);
	fm_intro_name_index_collations(st, &colls);
}
