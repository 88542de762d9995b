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
 * catalog.  Operator classes end up in the model by name, never by OID (the
 * OIDs of pg_index.indclass are matched with names read from the same
 * source).
 *
 * This file drives and reads the schemas, enums and tables; the loaders of
 * columns and sequences are in introspect_columns.c, those of constraints
 * and indexes in introspect_keys.c (introspect_int.h).  Where few rows
 * need something (a comment, a collation, the columns of a key to an
 * unmanaged table), it is read by one query of its own, never by a join
 * to every row nor by a query per object.
 *
 * Ignored: objects that belong to an extension (pg_depend deptype 'e': this
 * extension's own history table among them), Prisma Migrate's history
 * table _prisma_migrations in any managed schema (which Prisma's own diff
 * and db pull leave out, and which ferriorm reads to adopt a history:
 * docs/migrations.md) and a ferriorm CLI's _ferriorm_migrations outside
 * the extension (which the CLI's own introspection leaves out), partitions of tables outside
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

#include <math.h>

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "introspect_int.h"
#include "security.h"

static int
liverel_cmp(const void *a, const void *b)
{
	Oid			x = ((const LiveRel *) a)->oid;
	Oid			y = ((const LiveRel *) b)->oid;

	return (x > y) - (x < y);
}

int
fm_intro_oid_cmp(const void *a, const void *b)
{
	Oid			x = *(const Oid *) a;
	Oid			y = *(const Oid *) b;

	return (x > y) - (x < y);
}

LiveRel *
fm_intro_find_rel(IntroState *st, Oid oid)
{
	LiveRel		key;

	key.oid = oid;
	return bsearch(&key, st->rels, st->nrels, sizeof(LiveRel), liverel_cmp);
}

/* ---------- cells (rowsource.h: text cells of either source) ---------- */

/* text cell as an arena string; NULL when SQL NULL */
char *
fm_intro_str(IntroState *st, const FmRows *rows, uint64 row, int col)
{
	const char *v = fm_rows_cell(rows, row, col);

	return v ? fm_strdup(st->arena, v) : NULL;
}

Oid
fm_intro_oid(const FmRows *rows, uint64 row, int col)
{
	const char *v = fm_rows_cell(rows, row, col);

	return v ? (Oid) strtoul(v, NULL, 10) : InvalidOid;
}

bool
fm_intro_bool(const FmRows *rows, uint64 row, int col)
{
	const char *v = fm_rows_cell(rows, row, col);

	return v != NULL && v[0] == 't';
}

/* "char" cell; '\0' when NULL or empty */
char
fm_intro_char(const FmRows *rows, uint64 row, int col)
{
	const char *v = fm_rows_cell(rows, row, col);

	return v ? v[0] : '\0';
}

int32
fm_intro_int(const FmRows *rows, uint64 row, int col)
{
	const char *v = fm_rows_cell(rows, row, col);

	return v ? pg_strtoint32(v) : 0;
}

/*
 * The numbers of a cell that lists them (int2[] "{1,2}", int2vector or
 * oidvector "1 2") as a palloc'd array of int64; their number.  NULL
 * elements (never in these catalogs) are skipped.
 */
static int
cell_numbers(const char *v, int64 **out)
{
	int			n = 0;
	int			max;

	*out = NULL;
	if (v == NULL)
		return 0;
	max = (int) strlen(v) / 2 + 1;
	*out = palloc(sizeof(int64) * max);
	while (*v)
	{
		if (*v == '-' || (*v >= '0' && *v <= '9'))
		{
			char	   *end;
			int64		x = strtoll(v, &end, 10);

			if (n < max)
				(*out)[n++] = x;
			v = end;
		}
		else
			v++;
	}
	return n;
}

/* An int2[] or int2vector cell -> palloc'd array; the number of elements. */
int
fm_intro_int2s(const FmRows *rows, uint64 row, int col, int16 **out)
{
	int64	   *nums;
	int			n = cell_numbers(fm_rows_cell(rows, row, col), &nums);

	*out = n > 0 ? palloc(sizeof(int16) * n) : NULL;
	for (int i = 0; i < n; i++)
		(*out)[i] = (int16) nums[i];
	if (nums)
		pfree(nums);
	return n;
}

/* An oidvector cell -> palloc'd array; the number of elements. */
int
fm_intro_oids(const FmRows *rows, uint64 row, int col, Oid **out)
{
	int64	   *nums;
	int			n = cell_numbers(fm_rows_cell(rows, row, col), &nums);

	*out = n > 0 ? palloc(sizeof(Oid) * n) : NULL;
	for (int i = 0; i < n; i++)
		(*out)[i] = (Oid) nums[i];
	if (nums)
		pfree(nums);
	return n;
}

/*
 * A text[] cell -> arena strings (NULL elements stay NULL), read with
 * array_in, the input function of the type that wrote it.
 */
int
fm_intro_text_array(IntroState *st, const FmRows *rows, uint64 row, int col,
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
FmRows *
fm_intro_query(IntroState *st, const char *sql)
{
	const char *params[1];

	params[0] = st->nspoids;
	return st->rs->query(st->rs, sql, 1, params);
}

/* run one catalog query that takes no parameter */
FmRows *
fm_intro_query0(IntroState *st, const char *sql)
{
	return st->rs->query(st->rs, sql, 0, NULL);
}

const char *
fm_intro_attname(LiveRel *rel, int attnum)
{
	if (rel == NULL || attnum <= 0 || attnum > rel->natts)
		return NULL;
	return rel->attnames[attnum];
}

/* ---------- queries ---------- */

static const char *q_enums =
"SELECT n.nspname, t.typname, e.enumlabel, ds.description "
"FROM pg_catalog.pg_type t "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "t.typnamespace "
"JOIN pg_catalog.pg_enum e ON e.enumtypid" EQ "t.oid "
"LEFT JOIN pg_catalog.pg_description ds ON ds.objoid" EQ "t.oid "
"  AND ds.classoid" EQ CLASSOID("pg_catalog.pg_type")
"  AND ds.objsubid" EQ "0::pg_catalog.int4 "
"WHERE t.typnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND t.typtype" EQ "'e'::pg_catalog.\"char\" AND "
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
"WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND " IS_TABLE("c.relkind")
" AND (NOT c.relispartition OR EXISTS (SELECT FROM pg_catalog.pg_inherits pi"
"  JOIN pg_catalog.pg_class pc ON pc.oid" EQ "pi.inhparent"
"  WHERE pi.inhrelid" EQ "c.oid AND pc.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]))) AND "
NOT_EXT("pg_catalog.pg_class", "c.oid")
" AND NOT c.relname" EQ "ANY ('{_prisma_migrations,_ferriorm_migrations}'::pg_catalog.name[]) "
"ORDER BY c.oid";

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
" WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND NOT c.relispartition AND " IS_TABLE("c.relkind")
" UNION ALL"
" SELECT d.root, i.inhrelid FROM d"
" JOIN pg_catalog.pg_inherits i ON i.inhparent" EQ "d.child"
" JOIN pg_catalog.pg_class c ON c.oid" EQ "i.inhparent"
" WHERE c.relispartition)"
"SELECT d.root, n.nspname, c.relname, c.relispartition,"
" c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) "
"FROM d JOIN pg_catalog.pg_class c ON c.oid" EQ "d.child "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"WHERE NOT c.relispartition OR NOT c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) "
"ORDER BY n.nspname, c.relname";

/*
 * The tables whose expressions introspection deparses: pg_get_expr() and
 * pg_get_indexdef() open the table (ACCESS SHARE, released at once) to
 * name its columns, so the caller's right to lock each is checked first.
 * Rows of tables that were not read (partitions, extension members) are
 * skipped by the caller.
 */
static const char *q_deparsed =
"SELECT r.relid FROM ("
" SELECT d.adrelid AS relid FROM pg_catalog.pg_attrdef d"
"  JOIN pg_catalog.pg_class c ON c.oid" EQ "d.adrelid"
"  WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[])"
" UNION SELECT co.conrelid FROM pg_catalog.pg_constraint co"
"  JOIN pg_catalog.pg_class c ON c.oid" EQ "co.conrelid"
"  WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND co.contype" EQ "'c'::pg_catalog.\"char\""
" UNION SELECT i.indrelid FROM pg_catalog.pg_index i"
"  JOIN pg_catalog.pg_class c ON c.oid" EQ "i.indrelid"
"  WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[])"
"  AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)"
" UNION SELECT pt.partrelid FROM pg_catalog.pg_partitioned_table pt"
"  JOIN pg_catalog.pg_class c ON c.oid" EQ "pt.partrelid"
"  WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND pt.partexprs IS NOT NULL) r "
"ORDER BY r.relid";

/* ---------- builders ---------- */

static void
load_enums(IntroState *st)
{
	FmEnum	   *cur = NULL;

	FmRows	   *rows = fm_intro_query(st, q_enums);

	for (uint64 i = 0; i < rows->n; i++)
	{
		char	   *schema = fm_intro_str(st, rows, i, 1);
		char	   *name = fm_intro_str(st, rows, i, 2);
		FmEnumValue *v;

		if (cur == NULL || strcmp(cur->schema, schema) != 0 ||
			strcmp(cur->name, name) != 0)
		{
			cur = fm_model_add_enum(st->model, schema, name);
			cur->comment = fm_intro_str(st, rows, i, 4);
		}
		v = fm_alloc(st->arena, sizeof(FmEnumValue));
		v->name = fm_intro_str(st, rows, i, 3);
		fm_list_append(st->arena, &cur->values, v);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
}

/*
 * storage_value
 *		The value of storage parameter name as PostgreSQL reads the text
 *		reloptions keep as it was written (reloptions.c): a boolean by
 *		parse_bool (1, yes, ON: "true"), an integer by parse_int (strtol
 *		with base 0, so 0100 is 64 and 0x46 is 70; blanks around it), a real
 *		(the scale factors and the cost delay) by parse_real, written back
 *		as the plain decimal that @@storage reads (.60: 0.6, 1e-3: 0.001).
 *		A value that does not parse (never, for a value PostgreSQL stored)
 *		is kept as it is.
 */
static char *
storage_value(FmArena *a, const char *name, char *value)
{
	if (strcmp(name, "autovacuum_enabled") == 0)
	{
		bool		b;

		return parse_bool(value, &b) ? (b ? "true" : "false") : value;
	}
	if (strstr(name, "_scale_factor") != NULL || strcmp(name, "autovacuum_vacuum_cost_delay") == 0)
	{
		double		d;
		char		buf[64];

		if (!parse_real(value, &d, 0, NULL) || isnan(d) || isinf(d) || fabs(d) > 1e15)
			return value;
		/* the fewest decimals that read back as the same double */
		for (int prec = 0; prec <= 30; prec++)
		{
			snprintf(buf, sizeof(buf), "%.*f", prec, d);
			if (strtod(buf, NULL) == d)
				break;
		}
		return fm_strdup(a, strcmp(buf, "-0") == 0 ? "0" : buf);
	}
	else
	{
		int			i;
		char		buf[16];

		if (!parse_int(value, &i, 0, NULL))
			return value;
		snprintf(buf, sizeof(buf), "%d", i);
		return fm_strdup(a, buf);
	}
}

/*
 * The table's persistence (column col, relpersistence) and the storage
 * parameters the language states (column col + 1, reloptions: fillfactor
 * and autovacuum_*), sorted by name, each value as PostgreSQL reads it
 * (storage_value); other parameters are not managed.
 */
static void
load_storage(IntroState *st, FmTable *t, const FmRows *rows, uint64 row,
			 int col)
{
	char	  **opts;
	int			n;

	t->unlogged = fm_intro_char(rows, row, col) == RELPERSISTENCE_UNLOGGED;
	n = fm_intro_text_array(st, rows, row, col + 1, &opts);
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
		o->value = storage_value(st->arena, opts[i], eq + 1);
		fm_list_append(st->arena, &t->storage, o);
	}
	fm_list_sort(&t->storage, fm_option_cmp);
}

static void
load_tables(IntroState *st)
{
	FmRows	   *rows = fm_intro_query(st, q_tables);

	st->nrels = (int) rows->n;
	st->rels = palloc0(sizeof(LiveRel) * (st->nrels > 0 ? st->nrels : 1));
	for (int i = 0; i < st->nrels; i++)
	{
		LiveRel    *r = &st->rels[i];

		r->oid = fm_intro_oid(rows, i, 1);
		r->table = fm_model_add_table(st->model, fm_intro_str(st, rows, i, 2),
									  fm_intro_str(st, rows, i, 3));
		r->natts = fm_intro_int(rows, i, 4);
		r->attnames = palloc0(sizeof(char *) * (r->natts + 1));
		r->atttypids = palloc0(sizeof(Oid) * (r->natts + 1));
		r->attcolls = palloc0(sizeof(Oid) * (r->natts + 1));
		r->cols = palloc0(sizeof(FmColumn *) * (r->natts + 1));
		r->owned_seq = palloc0(sizeof(bool) * (r->natts + 1));
		r->seq_schema = palloc0(sizeof(char *) * (r->natts + 1));
		r->seq_name = palloc0(sizeof(char *) * (r->natts + 1));
		r->seq_options = palloc0(sizeof(char *) * (r->natts + 1));
		r->table->comment = fm_intro_str(st, rows, i, 5);
		r->nspoid = fm_intro_oid(rows, i, 6);
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
 *
 * When the caller may lock every table read (the common case: an owner,
 * or a role with a privilege on each), no table can fail the check and
 * the query that finds the tables with expressions (q_deparsed: 23 ms at
 * 10,000 tables) is not run.  Otherwise the query decides, so that a
 * table without expressions never needs a privilege.
 */
static void
check_deparsed_tables(IntroState *st)
{
	FmRows	   *rows;
	bool		all_lockable = true;

	for (int r = 0; r < st->nrels && all_lockable; r++)
	{
		CHECK_FOR_INTERRUPTS();
		all_lockable =
			SearchSysCacheExists1(RELOID, ObjectIdGetDatum(st->rels[r].oid)) &&
			fm_may_lock_table(st->rels[r].oid, AccessShareLock);
	}
	if (all_lockable)
		return;
	rows = fm_intro_query(st, q_deparsed);

	for (uint64 i = 0; i < rows->n; i++)
	{
		LiveRel    *rel = fm_intro_find_rel(st, fm_intro_oid(rows, i, 1));

		CHECK_FOR_INTERRUPTS();
		if (rel != NULL)
			fm_require_lock_rights(rel->oid, rel->table->schema,
								   rel->table->name, AccessShareLock,
								   "Reading the table's defaults, CHECK constraints and index expressions opens it.");
	}
	fm_rows_free(rows);
}

static void
load_children(IntroState *st)
{
	FmRows	   *rows = fm_intro_query(st, q_children);

	for (uint64 i = 0; i < rows->n; i++)
	{
		LiveRel    *rel = fm_intro_find_rel(st, fm_intro_oid(rows, i, 1));
		FmLiveChild *ch;

		if (rel == NULL)
			continue;			/* extension member */
		ch = fm_alloc(st->arena, sizeof(FmLiveChild));
		ch->schema = fm_intro_str(st, rows, i, 2);
		ch->name = fm_intro_str(st, rows, i, 3);
		ch->partition = fm_intro_bool(rows, i, 4);
		ch->managed = fm_intro_bool(rows, i, 5);
		fm_list_append(st->arena, &rel->children, ch);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
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

		e->name = fm_intro_str(st, rows, i, 1);
		e->schema = fm_intro_str(st, rows, i, 2);
		e->version = fm_intro_str(st, rows, i, 3);
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
		FmRows	   *seqs;

		load_enums(st);
		load_tables(st);
		if (st->local)
			check_deparsed_tables(st);
		seqs = fm_intro_load_sequences(st);
		fm_intro_load_columns(st);
		fm_intro_load_identities(st, seqs);
		fm_intro_load_constraints(st);
		fm_intro_load_indexes(st);
		fm_intro_load_exclusions(st);
		load_children(st);
		fm_intro_load_lineage(st);
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

/*
 * fm_introspect
 *		See fm_plan_int.h: the managed schemas read through SPI into a new
 *		model in arena, every query on one snapshot with JIT off.  With
 *		rels, the tables read are exported there (allocated outside SPI's
 *		memory, which SPI_finish frees).
 */
FmModel *
fm_introspect(FmArena *arena, const FmList *schemas, FmLiveRels *rels)
{
	IntroState	st;
	FmRowSource rs;
	MemoryContext outer;
	int			nestlevel;

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

	/*
	 * No JIT: catalog queries are short, and their cost estimates (a large
	 * ANY array, subplans) can pass jit_above_cost, so that compiling would
	 * take longer than running them.  Reset on error by the abort.
	 */
	nestlevel = NewGUCNestLevel();
	(void) set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
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
	AtEOXact_GUC(true, nestlevel);
	PopActiveSnapshot();

	fm_model_sort(st.model);
	return st.model;
}
