/*-------------------------------------------------------------------------
 *
 * introspect.c
 *	  Read the live catalog of the managed schemas into the schema model
 *	  (fm_model.h), the same model that the schema-language parser builds.
 *
 * One query per object kind covers every managed schema at once (enums,
 * tables, columns, constraints, indexes), so the cost is linear in the
 * number of objects and independent of the number of tables' round trips.
 * Rows are matched to their tables by OID with a binary search over the
 * table array (the tables query is ordered by OID).
 *
 * Rows come through a row source (rowsource.h): SPI for this database
 * (fm_introspect), libpq for a shadow database (shadow.c calls
 * fm_introspect_rows with a libpq source).  The queries take the managed
 * schemas by name and every parameter as text, and the loaders read text
 * cells only, so that both sources give the same model for the same
 * catalog.  Operator classes are read by name, never by OID.
 *
 * Ignored: objects that belong to an extension (pg_depend deptype 'e': this
 * extension's own history table among them), partitions of tables outside
 * the managed schemas (a partition of a managed table is read, with what
 * it has of its own only: introspect_partition.c), and everything the language cannot express (views,
 * functions, triggers, policies, sequences that no column owns and no
 * default of a managed table reads): such
 * objects are never part of the model and so are never dropped.
 *
 * One snapshot: every query of one introspection runs on the same MVCC
 * snapshot (pushed as the active snapshot; SPI in read-only mode uses it
 * without taking a new one per query), the way pg_dump reads a database
 * from one snapshot.  So the live model is a state of the catalog that
 * existed at one instant, never a mix of states before and after another
 * session's DDL.  What is not covered (docs/plan.md, "Snapshots"): the
 * deparsing functions (pg_get_expr, pg_get_indexdef, format_type) and the
 * syscache look up the names they print with the catalog snapshot, which
 * follows committed DDL; and a plan may wait for locks after reading
 * (normalization, figures).  fm_recheck_live_rels() (liverels.c) therefore verifies,
 * once every lock has been taken, that every table read still exists as
 * it was read: a table dropped or replaced meanwhile is an error
 * (40001), never a plan for a table that is gone.
 *
 * Privileges before locks: deparsing an expression (pg_get_expr,
 * pg_get_indexdef) opens its table, so before the queries that deparse,
 * the caller's right to lock every table concerned is checked on catalog
 * rows (check_deparsed_tables); the other queries read catalogs only.
 *
 * Besides the model, introspection returns the OIDs of the tables it read
 * (FmLiveRels), and for each the descendants (partitions, inheritance
 * children) that a DROP TABLE of it would remove or trip on, which
 * fm_check_table_drops() refuses.
 *
 * src/backend/introspect.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_index.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "fm_plan_int.h"
#include "introspect_int.h"
#include "rowsource.h"
#include "security.h"

/* A live table being built, found by OID. */
typedef struct LiveRel
{
	Oid			oid;
	FmTable    *table;
	int			natts;			/* pg_class.relnatts */
	char	  **attnames;		/* [0..natts], NULL for dropped columns */
	Oid		   *atttypids;
	FmColumn  **cols;			/* [0..natts], while loading */
	bool	   *owned_seq;		/* [0..natts]: a sequence is owned by it */
	char	  **seq_schema;		/* [0..natts]: and its schema and name */
	char	  **seq_name;
	Oid			nspoid;
	FmList		children;		/* of FmLiveChild *: see q_children */
} LiveRel;

typedef struct IntroState
{
	FmModel    *model;
	FmArena    *arena;
	LiveRel    *rels;
	int			nrels;
	FmRowSource *rs;			/* where the rows come from */
	bool		local;			/* rs reads this database (SPI) */
	const char *nspoids;		/* the managed schemas' OIDs, as oid[] text */
	Oid		   *conindexes;		/* indexes that back constraints */
	int			nconindexes;
	int			maxconindexes;
} IntroState;

static int
liverel_cmp(const void *a, const void *b)
{
	Oid			x = ((const LiveRel *) a)->oid;
	Oid			y = ((const LiveRel *) b)->oid;

	return (x > y) - (x < y);
}

static int
oid_cmp_local(const void *a, const void *b)
{
	Oid			x = *(const Oid *) a;
	Oid			y = *(const Oid *) b;

	return (x > y) - (x < y);
}

static LiveRel *
find_rel(IntroState *st, Oid oid)
{
	LiveRel		key;

	key.oid = oid;
	return bsearch(&key, st->rels, st->nrels, sizeof(LiveRel), liverel_cmp);
}

/* ---------- cells (rowsource.h: text cells of either source) ---------- */

/* text cell as an arena string; NULL when SQL NULL */
static char *
col_str(IntroState *st, const FmRows *rows, uint64 row, int col)
{
	const char *v = fm_rows_cell(rows, row, col);

	return v ? fm_strdup(st->arena, v) : NULL;
}

static Oid
col_oid(const FmRows *rows, uint64 row, int col)
{
	const char *v = fm_rows_cell(rows, row, col);

	return v ? (Oid) strtoul(v, NULL, 10) : InvalidOid;
}

static bool
col_bool(const FmRows *rows, uint64 row, int col)
{
	const char *v = fm_rows_cell(rows, row, col);

	return v != NULL && v[0] == 't';
}

/* "char" cell; '\0' when NULL or empty */
static char
col_char(const FmRows *rows, uint64 row, int col)
{
	const char *v = fm_rows_cell(rows, row, col);

	return v ? v[0] : '\0';
}

static int32
col_int(const FmRows *rows, uint64 row, int col)
{
	const char *v = fm_rows_cell(rows, row, col);

	return v ? pg_strtoint32(v) : 0;
}

/*
 * An int2[] ("{1,2}") or int2vector ("1 2") cell -> palloc'd array; the
 * number of elements.  NULL elements (never in these catalogs) read as 0.
 */
static int
col_int2s(const FmRows *rows, uint64 row, int col, int16 **out)
{
	const char *v = fm_rows_cell(rows, row, col);
	int			n = 0;
	int			max;

	*out = NULL;
	if (v == NULL)
		return 0;
	max = (int) strlen(v) / 2 + 1;
	*out = palloc(sizeof(int16) * max);
	while (*v)
	{
		if (*v == '-' || (*v >= '0' && *v <= '9'))
		{
			char	   *end;
			long		x = strtol(v, &end, 10);

			if (n < max)
				(*out)[n++] = (int16) x;
			v = end;
		}
		else
			v++;
	}
	return n;
}

/*
 * A text[] cell -> arena strings (NULL elements stay NULL), read with
 * array_in, the input function of the type that wrote it.
 */
static int
col_text_array(IntroState *st, const FmRows *rows, uint64 row, int col,
			   char ***out)
{
	const char *v = fm_rows_cell(rows, row, col);
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	*out = NULL;
	if (v == NULL)
		return 0;
	arr = DatumGetArrayTypeP(OidFunctionCall3(F_ARRAY_IN, CStringGetDatum(v),
											  ObjectIdGetDatum(TEXTOID),
											  Int32GetDatum(-1)));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	*out = palloc0(sizeof(char *) * (n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		if (!nulls[i])
		{
			text	   *t = DatumGetTextPP(elems[i]);

			(*out)[i] = fm_strndup(st->arena, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		}
	pfree(elems);
	pfree(nulls);
	return n;
}

/* run one catalog query with the managed schemas' OIDs as $1 */
static FmRows *
run_query(IntroState *st, const char *sql)
{
	const char *params[1];

	params[0] = st->nspoids;
	return st->rs->query(st->rs, sql, 1, params);
}

static const char *
attname_of(LiveRel *rel, int attnum)
{
	if (rel == NULL || attnum <= 0 || attnum > rel->natts)
		return NULL;
	return rel->attnames[attnum];
}

/* ---------- queries ---------- */

/*
 * The text below runs on the plan's safe search_path (plan.c) but does not
 * rely on it: every function and type is schema-qualified, and every
 * operator is written OPERATOR(pg_catalog.x) with operands whose types make
 * pg_catalog's operator an exact match, so that no look-alike operator in
 * a schema of the caller's search_path can ever be chosen.
 */
#define EQ " OPERATOR(pg_catalog.=) "

/* class OID of a catalog, as an oid (not a regclass: exact operator match) */
#define CLASSOID(catalog) "'" catalog "'::pg_catalog.regclass::pg_catalog.oid"

/* an object (class catalog c, oid column o) is not a member of an extension */
#define NOT_EXT(catalog, oidcol) \
	"NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep " \
	"WHERE dep.classid" EQ CLASSOID(catalog) " " \
	"AND dep.objid" EQ oidcol " AND dep.deptype" EQ "'e'::pg_catalog.\"char\") "

/* an ordinary or partitioned table */
#define IS_TABLE(relkind) \
	"(" relkind EQ "'r'::pg_catalog.\"char\" OR " relkind EQ "'p'::pg_catalog.\"char\")"

static const char *q_enums =
"SELECT n.nspname, t.typname, e.enumlabel, ds.description "
"FROM pg_catalog.pg_type t "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "t.typnamespace "
"JOIN pg_catalog.pg_enum e ON e.enumtypid" EQ "t.oid "
"LEFT JOIN pg_catalog.pg_description ds ON ds.objoid" EQ "t.oid "
"  AND ds.classoid" EQ CLASSOID("pg_catalog.pg_type")
"  AND ds.objsubid" EQ "0::pg_catalog.int4 "
"WHERE t.typnamespace" EQ "ANY ($1::pg_catalog.oid[]) AND t.typtype" EQ "'e'::pg_catalog.\"char\" AND "
NOT_EXT("pg_catalog.pg_type", "t.oid")
"ORDER BY n.nspname, t.typname, e.enumsortorder";

static const char *q_tables =
"SELECT c.oid, n.nspname, c.relname, c.relnatts, ds.description, c.relnamespace, "
"  c.relpersistence, c.reloptions::pg_catalog.text[] "
"FROM pg_catalog.pg_class c "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"LEFT JOIN pg_catalog.pg_description ds ON ds.objoid" EQ "c.oid "
"  AND ds.classoid" EQ CLASSOID("pg_catalog.pg_class")
"  AND ds.objsubid" EQ "0::pg_catalog.int4 "
"WHERE c.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) AND " IS_TABLE("c.relkind")
" AND (NOT c.relispartition OR EXISTS (SELECT FROM pg_catalog.pg_inherits pi"
"  JOIN pg_catalog.pg_class pc ON pc.oid" EQ "pi.inhparent"
"  WHERE pi.inhrelid" EQ "c.oid AND pc.relnamespace" EQ "ANY ($1::pg_catalog.oid[]))) AND "
NOT_EXT("pg_catalog.pg_class", "c.oid")
"ORDER BY c.oid";

/*
 * Columns, in no particular order: load_columns() places them by attnum.
 */
static const char *q_columns =
"SELECT a.attrelid, a.attnum, a.attname, "
"  pg_catalog.format_type(a.atttypid, a.atttypmod), t.typtype, tn.nspname, t.typname, "
"  a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity, "
"  a.attgenerated, ds.description, a.atttypid, "
"  et.typtype, etn.nspname, et.typname, cn.nspname, co.collname, "
"  a.attislocal AND NOT c.relispartition "
"FROM pg_catalog.pg_attribute a "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "a.attrelid "
"JOIN pg_catalog.pg_type t ON t.oid" EQ "a.atttypid "
"JOIN pg_catalog.pg_namespace tn ON tn.oid" EQ "t.typnamespace "
"LEFT JOIN pg_catalog.pg_type et ON et.oid" EQ "t.typelem "
"  AND t.typcategory" EQ "'A'::pg_catalog.\"char\" "
"LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid" EQ "et.typnamespace "
"LEFT JOIN pg_catalog.pg_collation co ON co.oid" EQ "a.attcollation "
"  AND a.attcollation OPERATOR(pg_catalog.<>) t.typcollation "
"LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid" EQ "co.collnamespace "
"LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid" EQ "a.attrelid AND d.adnum" EQ "a.attnum "
"LEFT JOIN pg_catalog.pg_description ds ON ds.objoid" EQ "a.attrelid "
"  AND ds.classoid" EQ CLASSOID("pg_catalog.pg_class")
"  AND ds.objsubid" EQ "a.attnum::pg_catalog.int4 "
"WHERE c.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) AND " IS_TABLE("c.relkind")
" AND a.attnum OPERATOR(pg_catalog.>) 0::pg_catalog.int2 AND NOT a.attisdropped";

/*
 * Sequences owned by a column (deptype 'a': serial, or OWNED BY); identity
 * sequences are internal (deptype 'i') and not listed.
 */
static const char *q_owned_seqs =
"SELECT d.refobjid, d.refobjsubid, sn.nspname, s.relname "
"FROM pg_catalog.pg_depend d "
"JOIN pg_catalog.pg_class s ON s.oid" EQ "d.objid AND s.relkind" EQ "'S'::pg_catalog.\"char\" "
"JOIN pg_catalog.pg_namespace sn ON sn.oid" EQ "s.relnamespace "
"WHERE d.classid" EQ CLASSOID("pg_catalog.pg_class")
" AND d.refclassid" EQ CLASSOID("pg_catalog.pg_class")
" AND d.deptype" EQ "'a'::pg_catalog.\"char\" "
"AND d.refobjsubid OPERATOR(pg_catalog.>) 0::pg_catalog.int4 "
"AND s.relnamespace" EQ "ANY ($1::pg_catalog.oid[])";

/*
 * Standalone sequences: in a managed schema, owned by no column (no
 * deptype 'a' or 'i' dependency on a column), not an extension's, and read
 * by a default (pg_attrdef's normal dependency on it) of a managed table.
 */
static const char *q_sequences =
"SELECT n.nspname, s.relname "
"FROM pg_catalog.pg_class s "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "s.relnamespace "
"WHERE s.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) AND s.relkind" EQ "'S'::pg_catalog.\"char\" "
"AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend o "
"  WHERE o.classid" EQ CLASSOID("pg_catalog.pg_class")
"  AND o.objid" EQ "s.oid AND o.refobjsubid OPERATOR(pg_catalog.>) 0::pg_catalog.int4 "
"  AND o.deptype" EQ "ANY ('{a,i}'::pg_catalog.\"char\"[])) "
"AND EXISTS (SELECT FROM pg_catalog.pg_depend u "
"  JOIN pg_catalog.pg_attrdef ad ON ad.oid" EQ "u.objid "
"  JOIN pg_catalog.pg_class t ON t.oid" EQ "ad.adrelid "
"  WHERE u.classid" EQ CLASSOID("pg_catalog.pg_attrdef")
"  AND u.refclassid" EQ CLASSOID("pg_catalog.pg_class")
"  AND u.refobjid" EQ "s.oid AND t.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) "
"  AND " IS_TABLE("t.relkind") ") AND "
NOT_EXT("pg_catalog.pg_class", "s.oid")
"ORDER BY 1, 2";

/* The sequence options of identity columns (their internal sequences). */
static const char *q_identity =
"SELECT d.refobjid, d.refobjsubid, q.seqstart::pg_catalog.text, "
"  q.seqincrement::pg_catalog.text, q.seqmin::pg_catalog.text, "
"  q.seqmax::pg_catalog.text, q.seqcycle "
"FROM pg_catalog.pg_depend d "
"JOIN pg_catalog.pg_class s ON s.oid" EQ "d.objid AND s.relkind" EQ "'S'::pg_catalog.\"char\" "
"JOIN pg_catalog.pg_sequence q ON q.seqrelid" EQ "s.oid "
"WHERE d.classid" EQ CLASSOID("pg_catalog.pg_class")
" AND d.refclassid" EQ CLASSOID("pg_catalog.pg_class")
" AND d.deptype" EQ "'i'::pg_catalog.\"char\" "
"AND d.refobjsubid OPERATOR(pg_catalog.>) 0::pg_catalog.int4 "
"AND s.relnamespace" EQ "ANY ($1::pg_catalog.oid[])";

static const char *q_constraints =
"SELECT co.conrelid, co.conname, co.contype, co.conkey, co.confkey, "
"  fn.nspname, fc.relname, co.confupdtype, co.confdeltype, co.condeferrable, "
"  co.condeferred, CASE WHEN co.contype" EQ "'c'::pg_catalog.\"char\" "
"    THEN pg_catalog.pg_get_expr(co.conbin, co.conrelid) END, "
"  co.conindid, co.confrelid, co.conislocal "
"FROM pg_catalog.pg_constraint co "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "co.conrelid "
"LEFT JOIN pg_catalog.pg_class fc ON fc.oid" EQ "co.confrelid "
"LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid" EQ "fc.relnamespace "
"WHERE c.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) AND " IS_TABLE("c.relkind")
" AND co.contype" EQ "ANY ('{p,u,f,c,x}'::pg_catalog.\"char\"[]) "
"AND co.conparentid" EQ "0::pg_catalog.oid "
"ORDER BY co.conrelid, co.contype, co.conname";

static const char *q_indexes =
"SELECT i.indrelid, ic.relname, i.indexrelid, i.indisunique, am.amname, "
"  i.indnkeyatts, i.indnatts, i.indkey, i.indoption, "
"  ARRAY(SELECT CASE WHEN NOT oc.opcdefault THEN oc.opcname::pg_catalog.text END "
"    FROM pg_catalog.generate_series(0::pg_catalog.int4, "
"      i.indnkeyatts::pg_catalog.int4 OPERATOR(pg_catalog.-) 1::pg_catalog.int4) k "
"    LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid" EQ "i.indclass[k] ORDER BY k), "
"  ARRAY(SELECT CASE WHEN NOT oc.opcdefault AND on_.nspname OPERATOR(pg_catalog.<>) "
"      'pg_catalog'::pg_catalog.name THEN on_.nspname::pg_catalog.text END "
"    FROM pg_catalog.generate_series(0::pg_catalog.int4, "
"      i.indnkeyatts::pg_catalog.int4 OPERATOR(pg_catalog.-) 1::pg_catalog.int4) k "
"    LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid" EQ "i.indclass[k] "
"    LEFT JOIN pg_catalog.pg_namespace on_ ON on_.oid" EQ "oc.opcnamespace ORDER BY k), "
"  pg_catalog.pg_get_expr(i.indpred, i.indrelid), "
"  CASE WHEN i.indexprs IS NOT NULL THEN ARRAY(SELECT CASE "
"    WHEN i.indkey[k OPERATOR(pg_catalog.-) 1::pg_catalog.int4]" EQ "0::pg_catalog.int2 "
"    THEN pg_catalog.pg_get_indexdef(i.indexrelid, k, false) END "
"    FROM pg_catalog.generate_series(1::pg_catalog.int4, i.indnkeyatts::pg_catalog.int4) k) END, "
"  pg_catalog.pg_indexam_has_property(am.oid, 'can_order'::pg_catalog.text), "
"  EXISTS (SELECT FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid" EQ "i.indexrelid) "
"FROM pg_catalog.pg_index i "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "i.indrelid "
"JOIN pg_catalog.pg_class ic ON ic.oid" EQ "i.indexrelid "
"JOIN pg_catalog.pg_am am ON am.oid" EQ "ic.relam "
"WHERE c.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) AND " IS_TABLE("c.relkind") " "
"ORDER BY i.indrelid, ic.relname";

/*
 * The managed schemas that exist, by name ($1 is text[] here): resolved on
 * the introspection's snapshot like everything else.
 */
static const char *q_schemas =
"SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n "
"WHERE n.nspname::pg_catalog.text" EQ "ANY ($1::pg_catalog.text[])";

/*
 * Descendants of the managed tables that a DROP TABLE of their ancestor
 * would remove (partitions, at any depth) or fail on (inheritance
 * children): every partition outside the managed schemas, and every
 * inheritance child, with the managed table at the top of the tree.
 */
static const char *q_children =
"WITH RECURSIVE d(root, child) AS ("
" SELECT i.inhparent, i.inhrelid FROM pg_catalog.pg_inherits i"
" JOIN pg_catalog.pg_class c ON c.oid" EQ "i.inhparent"
" WHERE c.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) AND NOT c.relispartition AND " IS_TABLE("c.relkind")
" UNION ALL"
" SELECT d.root, i.inhrelid FROM d"
" JOIN pg_catalog.pg_inherits i ON i.inhparent" EQ "d.child"
" JOIN pg_catalog.pg_class c ON c.oid" EQ "i.inhparent"
" WHERE c.relispartition)"
"SELECT d.root, n.nspname, c.relname, c.relispartition,"
" c.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) "
"FROM d JOIN pg_catalog.pg_class c ON c.oid" EQ "d.child "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"WHERE NOT c.relispartition OR NOT c.relnamespace" EQ "ANY ($1::pg_catalog.oid[]) "
"ORDER BY n.nspname, c.relname";

/*
 * The tables whose expressions introspection deparses: pg_get_expr() and
 * pg_get_indexdef() open the table (ACCESS SHARE, released at once) to
 * name its columns, so the caller's right to lock each is checked first.
 */
static const char *q_deparsed =
"SELECT r.relid FROM ("
" SELECT d.adrelid AS relid FROM pg_catalog.pg_attrdef d"
"  WHERE d.adrelid" EQ "ANY ($1::pg_catalog.oid[])"
" UNION SELECT co.conrelid FROM pg_catalog.pg_constraint co"
"  WHERE co.conrelid" EQ "ANY ($1::pg_catalog.oid[]) AND co.contype" EQ "'c'::pg_catalog.\"char\""
" UNION SELECT i.indrelid FROM pg_catalog.pg_index i"
"  WHERE i.indrelid" EQ "ANY ($1::pg_catalog.oid[])"
"  AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)"
" UNION SELECT pt.partrelid FROM pg_catalog.pg_partitioned_table pt"
"  WHERE pt.partrelid" EQ "ANY ($1::pg_catalog.oid[]) AND pt.partexprs IS NOT NULL) r "
"ORDER BY r.relid";

/* referenced columns of a foreign key to a table outside the managed set */
static const char *q_refcols =
"SELECT a.attname FROM pg_catalog.unnest($2::pg_catalog.int2[]) WITH ORDINALITY k(n, o) "
"JOIN pg_catalog.pg_attribute a ON a.attrelid" EQ "$1::pg_catalog.oid AND a.attnum" EQ "k.n "
"ORDER BY k.o";

/* ---------- builders ---------- */

static void
load_enums(IntroState *st)
{
	FmEnum	   *cur = NULL;

	FmRows	   *rows = run_query(st, q_enums);

	for (uint64 i = 0; i < rows->n; i++)
	{
		char	   *schema = col_str(st, rows, i, 1);
		char	   *name = col_str(st, rows, i, 2);
		FmEnumValue *v;

		if (cur == NULL || strcmp(cur->schema, schema) != 0 ||
			strcmp(cur->name, name) != 0)
		{
			cur = fm_model_add_enum(st->model, schema, name);
			cur->comment = col_str(st, rows, i, 4);
		}
		v = fm_alloc(st->arena, sizeof(FmEnumValue));
		v->name = col_str(st, rows, i, 3);
		fm_list_append(st->arena, &cur->values, v);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
}

/*
 * The table's persistence (column col, relpersistence) and the storage
 * parameters the language states (column col + 1, reloptions: fillfactor
 * and autovacuum_*), sorted by name; other parameters are not managed.
 */
static void
load_storage(IntroState *st, FmTable *t, const FmRows *rows, uint64 row,
			 int col)
{
	char	  **opts;
	int			n;

	t->unlogged = col_char(rows, row, col) == RELPERSISTENCE_UNLOGGED;
	n = col_text_array(st, rows, row, col + 1, &opts);
	for (int i = 0; i < n; i++)
	{
		char	   *eq = opts[i] ? strchr(opts[i], '=') : NULL;
		FmOption   *o;

		if (eq == NULL)
			continue;
		*eq = '\0';
		if (strcmp(opts[i], "fillfactor") != 0 &&
			strncmp(opts[i], "autovacuum_", 11) != 0)
			continue;
		o = fm_alloc(st->arena, sizeof(FmOption));
		o->name = opts[i];
		o->value = eq + 1;
		fm_list_append(st->arena, &t->storage, o);
	}
	fm_list_sort(&t->storage, fm_option_cmp);
}

static void
load_tables(IntroState *st)
{
	FmRows	   *rows = run_query(st, q_tables);

	st->nrels = (int) rows->n;
	st->rels = palloc0(sizeof(LiveRel) * (st->nrels > 0 ? st->nrels : 1));
	for (int i = 0; i < st->nrels; i++)
	{
		LiveRel    *r = &st->rels[i];

		r->oid = col_oid(rows, i, 1);
		r->table = fm_model_add_table(st->model, col_str(st, rows, i, 2),
									  col_str(st, rows, i, 3));
		r->natts = col_int(rows, i, 4);
		r->attnames = palloc0(sizeof(char *) * (r->natts + 1));
		r->atttypids = palloc0(sizeof(Oid) * (r->natts + 1));
		r->cols = palloc0(sizeof(FmColumn *) * (r->natts + 1));
		r->owned_seq = palloc0(sizeof(bool) * (r->natts + 1));
		r->seq_schema = palloc0(sizeof(char *) * (r->natts + 1));
		r->seq_name = palloc0(sizeof(char *) * (r->natts + 1));
		r->table->comment = col_str(st, rows, i, 5);
		r->nspoid = col_oid(rows, i, 6);
		load_storage(st, r->table, rows, i, 7);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
	/* ORDER BY c.oid sorts as signed in some builds? make sure */
	qsort(st->rels, st->nrels, sizeof(LiveRel), liverel_cmp);
}

/*
 * Privileges before locks: ERROR naming the first table read whose
 * expressions must be deparsed (which opens it) and that the caller may
 * not lock (security.c).  Catalog rows only.
 */
static void
check_deparsed_tables(IntroState *st)
{
	StringInfoData relids;
	const char *params[1];
	FmRows	   *rows;

	initStringInfo(&relids);
	appendStringInfoChar(&relids, '{');
	for (int i = 0; i < st->nrels; i++)
		appendStringInfo(&relids, "%s%u", i ? "," : "", st->rels[i].oid);
	appendStringInfoChar(&relids, '}');
	params[0] = relids.data;
	rows = st->rs->query(st->rs, q_deparsed, 1, params);
	for (uint64 i = 0; i < rows->n; i++)
	{
		LiveRel    *rel = find_rel(st, col_oid(rows, i, 1));

		CHECK_FOR_INTERRUPTS();
		if (rel != NULL)
			fm_require_lock_rights(rel->oid, rel->table->schema,
								   rel->table->name, AccessShareLock,
								   "Reading the table's defaults, CHECK constraints and index expressions opens it.");
	}
	fm_rows_free(rows);
	pfree(relids.data);
}

static void
load_owned_sequences(IntroState *st)
{
	FmRows	   *rows = run_query(st, q_owned_seqs);

	for (uint64 i = 0; i < rows->n; i++)
	{
		LiveRel    *rel = find_rel(st, col_oid(rows, i, 1));
		int			attnum = col_int(rows, i, 2);

		if (rel != NULL && attnum > 0 && attnum <= rel->natts)
		{
			rel->owned_seq[attnum] = true;
			rel->seq_schema[attnum] = col_str(st, rows, i, 3);
			rel->seq_name[attnum] = col_str(st, rows, i, 4);
		}
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
}

/* The standalone sequences (q_sequences) into the model. */
static void
load_sequences(IntroState *st)
{
	FmRows	   *rows = run_query(st, q_sequences);

	for (uint64 i = 0; i < rows->n; i++)
	{
		FmSequence *sq = fm_alloc(st->arena, sizeof(FmSequence));

		sq->schema = col_str(st, rows, i, 1);
		sq->name = col_str(st, rows, i, 2);
		fm_list_append(st->arena, &st->model->sequences, sq);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
}

/*
 * The generation and sequence options of every identity column read by
 * load_columns() (q_identity), normalized (fm_identity_normalize).
 */
static void
load_identities(IntroState *st)
{
	FmRows	   *rows = run_query(st, q_identity);

	for (uint64 i = 0; i < rows->n; i++)
	{
		LiveRel    *rel = find_rel(st, col_oid(rows, i, 1));
		int			attnum = col_int(rows, i, 2);
		FmColumn   *c;
		FmIdentity *id;

		if (rel == NULL || attnum <= 0 || attnum > rel->natts)
			continue;
		c = rel->cols[attnum];
		if (c == NULL || c->autoinc == FM_AUTOINC_NONE ||
			c->autoinc == FM_AUTOINC_SERIAL)
			continue;
		id = fm_alloc(st->arena, sizeof(FmIdentity));
		id->always = c->autoinc == FM_AUTOINC_IDENTITY_ALWAYS;
		id->start = col_str(st, rows, i, 3);
		id->increment = col_str(st, rows, i, 4);
		id->minvalue = col_str(st, rows, i, 5);
		id->maxvalue = col_str(st, rows, i, 6);
		id->cycle = col_bool(rows, i, 7);
		fm_identity_normalize(id, c->type.sql);
		c->identity = id;
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
}

/*
 * load_columns
 *		Read the columns of the managed tables (q_columns) into st: each
 *		column of a managed table becomes an FmColumn (type, enum or array of
 *		enum, NOT NULL, default, identity, comment), then the table's columns
 *		list is built in attnum order.
 *
 * A default that is nextval() of a sequence the column owns is a serial
 * column (no default); a generated column's expression is not a default.
 * Rows of relations st does not manage (extension members, partitions)
 * are skipped.
 */
static void
load_columns(IntroState *st)
{
	LiveRel    *rel = NULL;

	FmRows	   *rows = run_query(st, q_columns);

	for (uint64 i = 0; i < rows->n; i++)
	{
		Oid			relid = col_oid(rows, i, 1);
		int			attnum;
		FmColumn   *c;
		char		typtype;
		char		identity;

		if (rel == NULL || rel->oid != relid)
			rel = find_rel(st, relid);
		if (rel == NULL)
			continue;			/* extension member or partition */
		attnum = col_int(rows, i, 2);
		if (attnum <= 0 || attnum > rel->natts)
			continue;
		c = fm_alloc(st->arena, sizeof(FmColumn));
		rel->cols[attnum] = c;
		c->name = col_str(st, rows, i, 3);
		rel->attnames[attnum] = c->name;
		rel->atttypids[attnum] = col_oid(rows, i, 13);
		if (!col_bool(rows, i, 19))
		{
			/* inherited from a parent, or a partition's: the parent's */
			rel->cols[attnum] = NULL;
			continue;
		}
		typtype = col_char(rows, i, 5);
		if (typtype == TYPTYPE_ENUM)
		{
			c->type.kind = FM_TYPE_ENUM;
			c->type.enum_schema = col_str(st, rows, i, 6);
			c->type.enum_name = col_str(st, rows, i, 7);
			c->type.sql = col_str(st, rows, i, 4);
		}
		else if (col_char(rows, i, 14) == TYPTYPE_ENUM)
		{
			/* an array of an enum (Role[]) */
			c->type.kind = FM_TYPE_ENUM;
			c->type.array = true;
			c->type.enum_schema = col_str(st, rows, i, 15);
			c->type.enum_name = col_str(st, rows, i, 16);
			c->type.sql = col_str(st, rows, i, 4);
		}
		else
		{
			c->type.kind = FM_TYPE_BUILTIN;
			c->type.sql = col_str(st, rows, i, 4);
		}
		c->notnull = col_bool(rows, i, 8);
		c->default_sql = col_str(st, rows, i, 9);
		identity = col_char(rows, i, 10);
		if (identity == ATTRIBUTE_IDENTITY_ALWAYS)
			c->autoinc = FM_AUTOINC_IDENTITY_ALWAYS;
		else if (identity == ATTRIBUTE_IDENTITY_BY_DEFAULT)
			c->autoinc = FM_AUTOINC_IDENTITY_BY_DEFAULT;
		else if (rel->owned_seq[attnum] && c->default_sql != NULL &&
				 strncmp(c->default_sql, "nextval('", 9) == 0)
		{
			/* serial: nextval() of a sequence owned by this column */
			c->autoinc = FM_AUTOINC_SERIAL;
			c->default_sql = NULL;
			c->seq_schema = rel->seq_schema[attnum];
			c->seq_name = rel->seq_name[attnum];
		}
		/* a generated column's expression is not a default */
		if (col_char(rows, i, 11) != '\0')
		{
			c->generated = c->default_sql;
			c->default_sql = NULL;
		}
		c->comment = col_str(st, rows, i, 12);
		/* a collation other than the type's own */
		c->collation_schema = col_str(st, rows, i, 17);
		c->collation = col_str(st, rows, i, 18);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
	/* columns in attnum order */
	for (int r = 0; r < st->nrels; r++)
	{
		LiveRel    *lr = &st->rels[r];

		CHECK_FOR_INTERRUPTS();
		for (int k = 1; k <= lr->natts; k++)
			if (lr->cols[k] != NULL)
				fm_list_append(st->arena, &lr->table->columns, lr->cols[k]);
	}
}

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

static void
load_ref_columns(IntroState *st, FmForeignKey *fk, Oid refrel,
				 const FmRows *cons, uint64 row)
{
	const char *params[2];
	char		oidbuf[16];
	FmRows	   *rows;

	params[1] = fm_rows_cell(cons, row, 5);
	if (params[1] == NULL)
		return;
	snprintf(oidbuf, sizeof(oidbuf), "%u", refrel);
	params[0] = oidbuf;
	rows = st->rs->query(st->rs, q_refcols, 2, params);
	for (uint64 i = 0; i < rows->n; i++)
		fm_list_append(st->arena, &fk->ref_columns, col_str(st, rows, i, 1));
	fm_rows_free(rows);
}

/*
 * load_constraints
 *		Read the constraints of the managed tables (q_constraints) into st:
 *		primary keys and unique constraints as FmKeys, foreign keys (with the
 *		referenced columns, read separately when the referenced table is not
 *		managed) and CHECKs (as pg_get_constraintdef() prints them).  The index
 *		of every key and exclusion constraint is noted in st->conindexes
 *		(sorted), so that load_indexes() does not take it for an index of its
 *		own.
 */
static void
load_constraints(IntroState *st)
{
	LiveRel    *rel = NULL;
	FmRows	   *rows = run_query(st, q_constraints);

	for (uint64 i = 0; i < rows->n; i++)
	{
		Oid			relid = col_oid(rows, i, 1);
		char		contype = col_char(rows, i, 3);
		char	   *name;
		int16	   *keys;
		int			nkeys;

		if (rel == NULL || rel->oid != relid)
			rel = find_rel(st, relid);
		if (rel == NULL)
			continue;
		name = col_str(st, rows, i, 2);
		nkeys = col_int2s(rows, i, 4, &keys);
		if (contype == 'p' || contype == 'u' || contype == 'x')
			add_conindex(st, col_oid(rows, i, 13));

		if (contype == 'p' || contype == 'u')
		{
			FmKey	   *k = fm_alloc(st->arena, sizeof(FmKey));

			k->name = name;
			for (int j = 0; j < nkeys; j++)
				fm_list_append(st->arena, &k->columns,
							   (void *) attname_of(rel, keys[j]));
			if (contype == 'p')
				rel->table->primary_key = k;
			else
				fm_list_append(st->arena, &rel->table->uniques, k);
		}
		else if (contype == 'f')
		{
			FmForeignKey *fk = fm_alloc(st->arena, sizeof(FmForeignKey));
			Oid			refoid = col_oid(rows, i, 14);
			LiveRel    *ref = find_rel(st, refoid);

			fk->name = name;
			for (int j = 0; j < nkeys; j++)
				fm_list_append(st->arena, &fk->columns,
							   (void *) attname_of(rel, keys[j]));
			fk->ref_schema = col_str(st, rows, i, 6);
			fk->ref_table = col_str(st, rows, i, 7);
			if (ref != NULL)
			{
				int16	   *rkeys;
				int			nrkeys = col_int2s(rows, i, 5, &rkeys);

				for (int j = 0; j < nrkeys; j++)
					fm_list_append(st->arena, &fk->ref_columns,
								   (void *) attname_of(ref, rkeys[j]));
				if (rkeys)
					pfree(rkeys);
			}
			else
				load_ref_columns(st, fk, refoid, rows, i);
			fk->on_update = fk_action(col_char(rows, i, 8));
			fk->on_delete = fk_action(col_char(rows, i, 9));
			fk->deferrable = col_bool(rows, i, 10);
			fk->initially_deferred = col_bool(rows, i, 11);
			fm_list_append(st->arena, &rel->table->foreign_keys, fk);
		}
		else if (contype == 'c' && col_bool(rows, i, 15))	/* not inherited */
		{
			FmCheck    *ck = fm_alloc(st->arena, sizeof(FmCheck));

			ck->name = name;
			ck->expr = col_str(st, rows, i, 12);
			fm_list_append(st->arena, &rel->table->checks, ck);
		}
		if (keys)
			pfree(keys);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
	if (st->nconindexes > 1)
		qsort(st->conindexes, st->nconindexes, sizeof(Oid), oid_cmp_local);
}

static void
load_indexes(IntroState *st)
{
	LiveRel    *rel = NULL;
	FmRows	   *rows = run_query(st, q_indexes);

	for (uint64 i = 0; i < rows->n; i++)
	{
		Oid			relid = col_oid(rows, i, 1);
		Oid			indexoid = col_oid(rows, i, 3);
		FmIndex    *ix;
		int			nkey;
		int			natts;
		int16	   *indkey;
		int16	   *indoption;
		int			nindkey;
		int			nindoption;
		char	  **opcnames = NULL;
		char	  **opcschemas = NULL;
		int			nopc;
		char	  **exprs = NULL;
		int			nexprs;
		bool		canorder;

		if (rel == NULL || rel->oid != relid)
			rel = find_rel(st, relid);
		if (rel == NULL)
			continue;
		if (st->nconindexes > 0 &&
			bsearch(&indexoid, st->conindexes, st->nconindexes, sizeof(Oid),
					oid_cmp_local) != NULL)
			continue;			/* backs a PK / UNIQUE / EXCLUDE constraint */
		if (col_bool(rows, i, 15))
			continue;			/* a partition of its parent table's index */

		ix = fm_alloc(st->arena, sizeof(FmIndex));
		ix->name = col_str(st, rows, i, 2);
		ix->unique = col_bool(rows, i, 4);
		ix->method = col_str(st, rows, i, 5);
		nkey = col_int(rows, i, 6);
		natts = col_int(rows, i, 7);
		nindkey = col_int2s(rows, i, 8, &indkey);
		nindoption = col_int2s(rows, i, 9, &indoption);
		nopc = col_text_array(st, rows, i, 10, &opcnames);
		(void) col_text_array(st, rows, i, 11, &opcschemas);
		ix->predicate = col_str(st, rows, i, 12);
		nexprs = col_text_array(st, rows, i, 13, &exprs);
		canorder = col_bool(rows, i, 14);

		for (int k = 0; k < nkey && k < nindkey; k++)
		{
			FmIndexElem *el = fm_alloc(st->arena, sizeof(FmIndexElem));
			int16		opt = (k < nindoption) ? indoption[k] : 0;

			if (indkey[k] != 0)
				el->column = (char *) attname_of(rel, indkey[k]);
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
			if (k < nopc && opcnames[k] != NULL)
			{
				el->opclass = opcnames[k];
				el->opclass_schema = opcschemas ? opcschemas[k] : NULL;
			}
			fm_list_append(st->arena, &ix->elems, el);
		}
		for (int k = nkey; k < natts && k < nindkey; k++)
			fm_list_append(st->arena, &ix->include,
						   (void *) attname_of(rel, indkey[k]));
		fm_list_append(st->arena, &rel->table->indexes, ix);
		if (exprs)
			pfree(exprs);
		if (indkey)
			pfree(indkey);
		if (indoption)
			pfree(indoption);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
}

static void
load_children(IntroState *st)
{
	FmRows	   *rows = run_query(st, q_children);

	for (uint64 i = 0; i < rows->n; i++)
	{
		LiveRel    *rel = find_rel(st, col_oid(rows, i, 1));
		FmLiveChild *ch;

		if (rel == NULL)
			continue;			/* extension member */
		ch = fm_alloc(st->arena, sizeof(FmLiveChild));
		ch->schema = col_str(st, rows, i, 2);
		ch->name = col_str(st, rows, i, 3);
		ch->partition = col_bool(rows, i, 4);
		ch->managed = col_bool(rows, i, 5);
		fm_list_append(st->arena, &rel->children, ch);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
}

/* lineage loader callbacks (introspect_int.h) */
static FmTable *
lineage_table_of(void *arg, Oid relid)
{
	LiveRel    *rel = find_rel((IntroState *) arg, relid);

	return rel ? rel->table : NULL;
}

static const char *
lineage_attname_of(void *arg, FmTable *t, int attnum)
{
	IntroState *st = (IntroState *) arg;

	for (int i = 0; i < st->nrels; i++)
		if (st->rels[i].table == t)
			return attname_of(&st->rels[i], attnum);
	return NULL;
}

/* partition keys and parents (introspect_partition.c) */
static void
load_lineage(IntroState *st)
{
	FmLineageLoad ll;

	ll.arena = st->arena;
	ll.rs = st->rs;
	ll.nspoids = st->nspoids;
	ll.table_of = lineage_table_of;
	ll.attname_of = lineage_attname_of;
	ll.arg = st;
	fm_load_lineage(&ll);
}

/*
 * The managed schemas that exist, on the snapshot, resolved by the source
 * itself (OIDs of another database mean nothing here): st->nspoids as
 * oid[] text, model->schemas in the order of the managed schemas.
 * Returns how many exist.
 */
static int
load_schemas(IntroState *st, const FmList *schemas)
{
	const char *params[1];
	FmRows	   *rows;
	StringInfoData oids;
	int			nnsp = 0;

	params[0] = fm_text_array_literal(schemas);
	rows = st->rs->query(st->rs, q_schemas, 1, params);
	initStringInfo(&oids);
	appendStringInfoChar(&oids, '{');
	for (int i = 0; i < schemas->n; i++)
	{
		const char *name = fm_list_get(schemas, i, const char);

		for (uint64 r = 0; r < rows->n; r++)
			if (strcmp(fm_rows_cell(rows, r, 2), name) == 0)
			{
				appendStringInfo(&oids, "%s%s", nnsp++ ? "," : "",
								 fm_rows_cell(rows, r, 1));
				fm_list_append(st->arena, &st->model->schemas,
							   fm_strdup(st->arena, name));
				break;
			}
	}
	appendStringInfoChar(&oids, '}');
	fm_rows_free(rows);
	st->nspoids = oids.data;
	return nnsp;
}

static void
export_rels(IntroState *st, FmLiveRels *out)
{
	out->n = st->nrels;
	out->rels = palloc0(sizeof(FmLiveRel) * (st->nrels > 0 ? st->nrels : 1));
	out->byname = palloc(sizeof(FmLiveRel *) * (st->nrels > 0 ? st->nrels : 1));
	for (int i = 0; i < st->nrels; i++)
	{
		out->rels[i].oid = st->rels[i].oid;
		out->rels[i].nspoid = st->rels[i].nspoid;
		out->rels[i].schema = st->rels[i].table->schema;
		out->rels[i].name = st->rels[i].table->name;
		out->rels[i].children = st->rels[i].children;
		out->byname[i] = &out->rels[i];
	}
	fm_live_rels_index(out);
}

/* every installed extension, whatever its schema: extensions are global */
static void
load_extensions(IntroState *st)
{
	FmRows	   *rows = st->rs->query(st->rs,
									 "SELECT e.extname, n.nspname, e.extversion "
									 "FROM pg_catalog.pg_extension e "
									 "JOIN pg_catalog.pg_namespace n ON n.oid" EQ "e.extnamespace "
									 "ORDER BY e.extname", 0, NULL);

	for (uint64 i = 0; i < rows->n; i++)
	{
		FmExtension *e = fm_alloc(st->arena, sizeof(FmExtension));

		e->name = col_str(st, rows, i, 1);
		e->schema = col_str(st, rows, i, 2);
		e->version = col_str(st, rows, i, 3);
		fm_list_append(st->arena, &st->model->extensions, e);
	}
	fm_rows_free(rows);
}

/*
 * introspect_with
 *		The one loader of both sources: every query through st->rs.  The
 *		privilege checks that come before deparsing (check_deparsed_tables)
 *		concern this database only: a shadow database is the caller's own.
 */
static void
introspect_with(IntroState *st, const FmList *schemas)
{
	load_extensions(st);
	if (schemas->n > 0 && load_schemas(st, schemas) > 0)
	{
		load_enums(st);
		load_tables(st);
		if (st->local)
			check_deparsed_tables(st);
		load_owned_sequences(st);
		load_sequences(st);
		load_columns(st);
		load_identities(st);
		load_constraints(st);
		load_indexes(st);
		load_children(st);
		load_lineage(st);
	}
}

/*
 * fm_introspect_rows
 *		See fm_plan_int.h.
 */
FmModel *
fm_introspect_rows(FmArena *arena, const FmList *schemas, FmRowSource *rs)
{
	IntroState	st;

	memset(&st, 0, sizeof(st));
	st.arena = arena;
	st.model = fm_model_create(arena);
	st.rs = rs;
	st.local = false;
	introspect_with(&st, schemas);
	fm_model_sort(st.model);
	return st.model;
}

FmModel *
fm_introspect(FmArena *arena, const FmList *schemas, FmLiveRels *rels)
{
	IntroState	st;
	FmRowSource rs;
	MemoryContext outer;

	memset(&st, 0, sizeof(st));
	st.arena = arena;
	st.model = fm_model_create(arena);

	/*
	 * One snapshot for every query below (see the header comment).  SPI in
	 * read-only mode runs each query on the active snapshot instead of
	 * taking a new one; the command id is brought up to date so that what
	 * this transaction did before (a plan being verified) is seen.  On
	 * error, (sub)transaction abort pops the snapshot and cleans up SPI.
	 */
	PushActiveSnapshot(GetTransactionSnapshot());
	UpdateActiveSnapshotCommandId();
	outer = CurrentMemoryContext;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	fm_rowsource_spi_init(&rs, true);
	st.rs = &rs;
	st.local = true;
	introspect_with(&st, schemas);
	/* st.rels lives in SPI's memory, which SPI_finish() frees */
	if (rels != NULL)
	{
		MemoryContext spicxt = MemoryContextSwitchTo(outer);

		export_rels(&st, rels);
		MemoryContextSwitchTo(spicxt);
	}
	SPI_finish();
	PopActiveSnapshot();

	fm_model_sort(st.model);
	return st.model;
}
