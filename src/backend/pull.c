/*-------------------------------------------------------------------------
 *
 * pull.c
 *	  ferriorm_pull(schemas text[], previous text): the managed schemas of
 *	  this database as canonical schema text.
 *
 * The catalog is read by the plan's own introspection (introspect.c), on
 * the plan's safe search_path, so that pull and plan see exactly the same
 * model; print (src/core/print.c) turns it into text.  A second, small
 * catalog query here reads the extensions of the managed schemas.  What
 * the language cannot state (introspection notes exclusion constraints it
 * cannot state, partition keys with an operator class or collation other
 * than the default, ...) makes its table printed with a "/// @preserve(
 * reason:)" line per reason, and plans leave such tables alone
 * (core/preserve.c).
 *
 * Who may call it: anyone (like ferriorm_plan).  It reads only the catalog,
 * which every role can read; a system schema, or one the caller has no
 * USAGE privilege on, is an error, checked before anything is read by the
 * plan's own check (security.c).  It takes no
 * locks beyond the catalog's and writes nothing, so it runs in read-only
 * transactions and on a hot standby.
 *
 * src/backend/pull.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "ferriorm.h"
#include "fm_ast.h"
#include "fm_plan_int.h"
#include "fm_print.h"
#include "security.h"

PG_FUNCTION_INFO_V1(ferriorm_pull);

#define EQ " OPERATOR(pg_catalog.=) "

/* Extensions installed in the managed schemas, but ferriorm itself. */
static const char *q_extensions =
"SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "e.extnamespace "
"WHERE e.extnamespace" EQ "ANY ($1) AND e.extname OPERATOR(pg_catalog.<>) 'ferriorm'::pg_catalog.name "
"ORDER BY 1";

/* the views of the managed schemas (a re-pull keeps their blocks) */
static const char *q_views =
"SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
"JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace "
"WHERE c.relkind OPERATOR(pg_catalog.=) ANY ('{v,m}'::pg_catalog.\"char\"[]) "
"AND c.relnamespace" EQ "ANY ($1) ORDER BY 1, 2";

/*
 * The columns of the plain views of the managed schemas (a re-pull prints
 * the new ones: print_views.c), in the order the views were made (OID
 * order, as Prisma's introspection prints them), and column order: the
 * type as format_type() spells it, an enum's (or an enum array's element's)
 * schema and name, an array type's own name, and a domain's base type
 * (with the enum it is over), as introspection reads a table's columns;
 * and the view's comment.
 */
static const char *q_view_columns =
"SELECT n.nspname, c.relname, a.attname, "
"  pg_catalog.format_type(a.atttypid, a.atttypmod), "
"  COALESCE(CASE WHEN t.typtype" EQ "'e'::pg_catalog.\"char\" THEN tn.nspname END, "
"    CASE WHEN et.typtype" EQ "'e'::pg_catalog.\"char\" THEN en.nspname END), "
"  COALESCE(CASE WHEN t.typtype" EQ "'e'::pg_catalog.\"char\" THEN t.typname END, "
"    CASE WHEN et.typtype" EQ "'e'::pg_catalog.\"char\" THEN et.typname END), "
"  et.typtype" EQ "'e'::pg_catalog.\"char\", "
"  CASE WHEN t.typcategory" EQ "'A'::pg_catalog.\"char\" THEN t.typname END, "
"  CASE WHEN t.typtype" EQ "'d'::pg_catalog.\"char\" "
"    THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END, "
"  bn.nspname, bt.typname, "
"  pg_catalog.obj_description(c.oid, 'pg_class'::pg_catalog.name) "
"FROM pg_catalog.pg_class c "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"JOIN pg_catalog.pg_attribute a ON a.attrelid" EQ "c.oid "
"  AND a.attnum OPERATOR(pg_catalog.>) 0::pg_catalog.int2 AND NOT a.attisdropped "
"JOIN pg_catalog.pg_type t ON t.oid" EQ "a.atttypid "
"JOIN pg_catalog.pg_namespace tn ON tn.oid" EQ "t.typnamespace "
"LEFT JOIN pg_catalog.pg_type et ON et.oid" EQ "t.typelem "
"  AND t.typcategory" EQ "'A'::pg_catalog.\"char\" "
"LEFT JOIN pg_catalog.pg_namespace en ON en.oid" EQ "et.typnamespace "
"LEFT JOIN pg_catalog.pg_type bt ON bt.oid" EQ "t.typbasetype "
"  AND t.typtype" EQ "'d'::pg_catalog.\"char\" AND bt.typtype" EQ "'e'::pg_catalog.\"char\" "
"LEFT JOIN pg_catalog.pg_namespace bn ON bn.oid" EQ "bt.typnamespace "
"WHERE c.relkind" EQ "'v'::pg_catalog.\"char\" AND c.relnamespace" EQ "ANY ($1) "
"ORDER BY c.oid, a.attnum";

/* schemas argument -> list of names (the current schema when NULL) */
static void
pull_schemas(FmArena *a, FunctionCallInfo fcinfo, FmList *out, bool *explicit_current)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	List	   *path;

	path = fetch_search_path(false);
	*explicit_current = false;
	if (PG_ARGISNULL(0))
	{
		if (path == NIL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_SCHEMA),
					 errmsg("no schema has been selected to pull"),
					 errhint("Pass the schemas to ferriorm_pull(), or set search_path.")));
		fm_list_append(a, out, get_namespace_name(linitial_oid(path)));
		*explicit_current = true;
		return;
	}
	arr = PG_GETARG_ARRAYTYPE_P(0);
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ferriorm_pull needs at least one schema"),
				 errhint("Pass NULL to pull the current schema.")));
	for (int i = 0; i < n; i++)
	{
		char	   *name;
		bool		dup = false;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the schemas passed to ferriorm_pull must not be NULL")));
		name = TextDatumGetCString(elems[i]);
		for (int j = 0; j < out->n && !dup; j++)
			dup = strcmp(fm_list_get(out, j, char), name) == 0;
		if (!dup)
			fm_list_append(a, out, fm_strdup(a, name));
	}
	/* one schema that is the current one: no schemas = [...] needed */
	if (out->n == 1 && path != NIL)
	{
		char	   *cur = get_namespace_name(linitial_oid(path));

		*explicit_current = cur && strcmp(cur, fm_list_get(out, 0, char)) == 0;
	}
}

/*
 * Every schema may be managed and used by the caller (the plan's own check,
 * security.c) and exists; their OIDs as oid[].
 */
static Datum
check_schemas(const FmList *schemas)
{
	Datum	   *oids = palloc(sizeof(Datum) * (schemas->n > 0 ? schemas->n : 1));

	fm_check_managed_schemas((char *const *) schemas->items, schemas->n);
	for (int i = 0; i < schemas->n; i++)
		oids[i] = ObjectIdGetDatum(get_namespace_oid(fm_list_get(schemas, i, char), false));
	return PointerGetDatum(construct_array(oids, schemas->n, OIDOID, sizeof(Oid),
										   true, TYPALIGN_INT));
}

/*
 * The managed tables with row level security, policies, triggers or rules:
 * what no schema text states and plans leave alone (FmTable).  A trigger a
 * partition holds as the clone of its parent's (tgparentid, PostgreSQL 13
 * and later) is counted on the parent alone, as it is created there.
 * Each catalog is counted once, grouped by table, and joined: a count per
 * table in a subquery probed the three catalogs for every table with any
 * trigger, which every table with a foreign key has (26 ms of a pull of
 * 1,000 such tables).  A table with none of these is no row.
 */
static const char *q_unmanaged =
"SELECT n.nspname, c.relname, c.relrowsecurity, c.relforcerowsecurity, "
"  COALESCE(po.n, 0)::pg_catalog.int4, COALESCE(tg.n, 0)::pg_catalog.int4, "
"  COALESCE(ru.n, 0)::pg_catalog.int4 "
"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"LEFT JOIN (SELECT p.polrelid, pg_catalog.count(*) AS n FROM pg_catalog.pg_policy p "
"  GROUP BY p.polrelid) po ON po.polrelid" EQ "c.oid "
"LEFT JOIN (SELECT t.tgrelid, pg_catalog.count(*) AS n FROM pg_catalog.pg_trigger t "
"  WHERE NOT t.tgisinternal AND t.tgparentid" EQ "0::pg_catalog.oid GROUP BY t.tgrelid) tg "
"  ON tg.tgrelid" EQ "c.oid "
"LEFT JOIN (SELECT r.ev_class, pg_catalog.count(*) AS n FROM pg_catalog.pg_rewrite r "
"  WHERE r.rulename OPERATOR(pg_catalog.<>) '_RETURN'::pg_catalog.name GROUP BY r.ev_class) ru "
"  ON ru.ev_class" EQ "c.oid "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "ANY ('{r,p}'::pg_catalog.\"char\"[]) "
"  AND (c.relrowsecurity OR c.relforcerowsecurity OR po.n IS NOT NULL "
"       OR tg.n IS NOT NULL OR ru.n IS NOT NULL)";

/* a column's STATISTICS target was set (-1 until PostgreSQL 17, then NULL) */
#if PG_VERSION_NUM >= 170000
#define STATTARGET_SET(a) a ".attstattarget IS NOT NULL"
#else
#define STATTARGET_SET(a) a ".attstattarget OPERATOR(pg_catalog.>=) 0"
#endif

/*
 * The physical settings of the managed tables that no text states, one row
 * each: the table's access method when it is not heap (kind 'a'), its
 * REPLICA IDENTITY when not the default ('r'), the index it is clustered
 * on ('k'), its type when it is a typed table ('o'), its extended
 * statistics ('x'), its privileges when GRANT or REVOKE set them ('g'),
 * the publications that list it ('u'), its storage parameters that no
 * text states ('p': not fillfactor nor autovacuum_*, and its TOAST
 * table's as toast.*), its tablespace ('T') and its indexes' ('I'), its
 * partitions ('P') or inheriting tables ('H') in schemas not pulled, and a
 * column's STORAGE when it is not its type's ('s'), its COMPRESSION when
 * set ('c'), its STATISTICS target when set ('t'), its attribute options
 * ('O': n_distinct and n_distinct_inherited, PostgreSQL's only ones); the
 * column (NULL for the table's) and the value as SQL states it.  Inherited columns of partitions and
 * children are left to their parents, where ALTER TABLE set them.  A
 * column's four settings are computed only for a column with one of them
 * set (a filter on pg_attribute itself; attoptions may hold other options,
 * such as the pg_attver that some builds of PostgreSQL 15 set on every
 * column): for every column they took 58 ms of a pull of 1,000 tables of
 * 10 columns.
 */
static const char *q_physical =
"SELECT n.nspname, c.relname, 'a'::pg_catalog.text, NULL::pg_catalog.name, am.amname::pg_catalog.text "
"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"JOIN pg_catalog.pg_am am ON am.oid" EQ "c.relam "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "'r'::pg_catalog.\"char\" "
"  AND am.amname OPERATOR(pg_catalog.<>) 'heap'::pg_catalog.name "
"UNION ALL "
"SELECT n.nspname, c.relname, 'r'::pg_catalog.text, NULL::pg_catalog.name, "
"  CASE WHEN c.relreplident" EQ "'f'::pg_catalog.\"char\" THEN 'FULL' "
"    WHEN c.relreplident" EQ "'n'::pg_catalog.\"char\" THEN 'NOTHING' "
"    ELSE COALESCE('USING INDEX ' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(("
"      SELECT ic.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid" EQ "i.indexrelid "
"      WHERE i.indrelid" EQ "c.oid AND i.indisreplident LIMIT 1)), "
"      'USING INDEX of an index since dropped, which acts as NOTHING'::pg_catalog.text) END "
"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "ANY ('{r,p}'::pg_catalog.\"char\"[]) "
"  AND c.relreplident OPERATOR(pg_catalog.<>) 'd'::pg_catalog.\"char\" "
"UNION ALL "
"SELECT n.nspname, c.relname, 'o'::pg_catalog.text, NULL::pg_catalog.name, pg_catalog.format_type(c.reloftype, NULL) "
"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "ANY ('{r,p}'::pg_catalog.\"char\"[]) "
"  AND c.reloftype OPERATOR(pg_catalog.<>) 0::pg_catalog.oid "
"UNION ALL "
"SELECT n.nspname, c.relname, 'x'::pg_catalog.text, NULL::pg_catalog.name, s.stxname::pg_catalog.text "
"FROM pg_catalog.pg_statistic_ext s JOIN pg_catalog.pg_class c ON c.oid" EQ "s.stxrelid "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "ANY ('{r,p}'::pg_catalog.\"char\"[]) "
"UNION ALL "
"SELECT n.nspname, c.relname, 'g'::pg_catalog.text, NULL::pg_catalog.name, c.relacl::pg_catalog.text "
"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "ANY ('{r,p}'::pg_catalog.\"char\"[]) "
"  AND c.relacl IS NOT NULL "
"UNION ALL "
"SELECT n.nspname, c.relname, 'u'::pg_catalog.text, NULL::pg_catalog.name, p.pubname::pg_catalog.text "
"FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_publication p ON p.oid" EQ "pr.prpubid "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "pr.prrelid "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"WHERE c.relnamespace" EQ "ANY ($1) "
"UNION ALL "
"SELECT n.nspname, c.relname, 'p'::pg_catalog.text, NULL::pg_catalog.name, NULLIF(pg_catalog.array_to_string(ARRAY("
"    SELECT o FROM pg_catalog.unnest(c.reloptions) o "
"    WHERE pg_catalog.split_part(o, '=', 1) OPERATOR(pg_catalog.<>) 'fillfactor' "
"      AND NOT pg_catalog.starts_with(o, 'autovacuum_') "
"    UNION ALL SELECT 'toast.' OPERATOR(pg_catalog.||) o FROM pg_catalog.unnest(tc.reloptions) o), ', '), ''::pg_catalog.text) "
"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"LEFT JOIN pg_catalog.pg_class tc ON tc.oid" EQ "c.reltoastrelid "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "ANY ('{r,p}'::pg_catalog.\"char\"[]) "
"  AND (c.reloptions IS NOT NULL OR tc.reloptions IS NOT NULL) "
"UNION ALL "
"SELECT n.nspname, c.relname, 'T'::pg_catalog.text, NULL::pg_catalog.name, pg_catalog.quote_ident(ts.spcname) "
"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"JOIN pg_catalog.pg_tablespace ts ON ts.oid" EQ "c.reltablespace "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "ANY ('{r,p}'::pg_catalog.\"char\"[]) "
"UNION ALL "
"SELECT n.nspname, c.relname, 'I'::pg_catalog.text, NULL::pg_catalog.name, "
"  pg_catalog.quote_ident(ic.relname) OPERATOR(pg_catalog.||) ' is in tablespace ' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(ts.spcname) "
"FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid" EQ "i.indrelid "
"JOIN pg_catalog.pg_class ic ON ic.oid" EQ "i.indexrelid "
"JOIN pg_catalog.pg_tablespace ts ON ts.oid" EQ "ic.reltablespace "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"WHERE c.relnamespace" EQ "ANY ($1) AND ic.reltablespace OPERATOR(pg_catalog.<>) 0::pg_catalog.oid "
"UNION ALL "
"SELECT n.nspname, c.relname, CASE WHEN c.relkind" EQ "'p'::pg_catalog.\"char\" THEN 'P' ELSE 'H' END, NULL::pg_catalog.name, "
"  pg_catalog.string_agg(pg_catalog.quote_ident(kn.nspname) OPERATOR(pg_catalog.||) '.' "
"    OPERATOR(pg_catalog.||) pg_catalog.quote_ident(k.relname), ', ' ORDER BY kn.nspname, k.relname) "
"FROM pg_catalog.pg_inherits ih JOIN pg_catalog.pg_class c ON c.oid" EQ "ih.inhparent "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"JOIN pg_catalog.pg_class k ON k.oid" EQ "ih.inhrelid "
"JOIN pg_catalog.pg_namespace kn ON kn.oid" EQ "k.relnamespace "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "ANY ('{r,p}'::pg_catalog.\"char\"[]) "
"  AND NOT k.relnamespace" EQ "ANY ($1) "
"GROUP BY n.nspname, c.relname, c.relkind "
"UNION ALL "
"SELECT n.nspname, c.relname, 'k'::pg_catalog.text, NULL::pg_catalog.name, ic.relname::pg_catalog.text "
"FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid" EQ "i.indrelid "
"JOIN pg_catalog.pg_class ic ON ic.oid" EQ "i.indexrelid "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"WHERE c.relnamespace" EQ "ANY ($1) AND i.indisclustered "
"UNION ALL "
"SELECT n.nspname, c.relname, x.kind::pg_catalog.text, a.attname, x.val::pg_catalog.text "
"FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"JOIN pg_catalog.pg_attribute a ON a.attrelid" EQ "c.oid "
"JOIN pg_catalog.pg_type t ON t.oid" EQ "a.atttypid "
"CROSS JOIN LATERAL (VALUES "
"  ('s', CASE WHEN a.attstorage OPERATOR(pg_catalog.<>) t.typstorage THEN "
"    CASE WHEN a.attstorage" EQ "'p'::pg_catalog.\"char\" THEN 'PLAIN' "
"      WHEN a.attstorage" EQ "'e'::pg_catalog.\"char\" THEN 'EXTERNAL' "
"      WHEN a.attstorage" EQ "'m'::pg_catalog.\"char\" THEN 'MAIN' ELSE 'EXTENDED' END END), "
"  ('c', CASE WHEN a.attcompression" EQ "'p'::pg_catalog.\"char\" THEN 'pglz' "
"    WHEN a.attcompression" EQ "'l'::pg_catalog.\"char\" THEN 'lz4' END), "
"  ('t', CASE WHEN " STATTARGET_SET("a") " THEN a.attstattarget::pg_catalog.text END), "
"  ('O', '(' OPERATOR(pg_catalog.||) NULLIF(pg_catalog.array_to_string(ARRAY("
"    SELECT o FROM pg_catalog.unnest(a.attoptions) o WHERE pg_catalog.split_part(o, '=', 1)"
"    OPERATOR(pg_catalog.=) ANY ('{n_distinct,n_distinct_inherited}'::pg_catalog.text[])), ', '), ''::pg_catalog.text) "
"    OPERATOR(pg_catalog.||) ')')) x(kind, val) "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "ANY ('{r,p}'::pg_catalog.\"char\"[]) "
"  AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped AND a.attinhcount" EQ "0 "
"  AND (a.attstorage OPERATOR(pg_catalog.<>) t.typstorage "
"       OR a.attcompression" EQ "ANY ('{p,l}'::pg_catalog.\"char\"[]) "
"       OR " STATTARGET_SET("a") " "
"       OR pg_catalog.strpos(a.attoptions::pg_catalog.text, 'n_distinct') OPERATOR(pg_catalog.>) 0) "
"  AND x.val IS NOT NULL "
"ORDER BY 1, 2, 4 NULLS FIRST, 3";

static void
run(const char *sql, Datum oids)
{
	Oid			argtypes[1] = {OIDARRAYOID};
	Datum		values[1];
	int			rc;

	values[0] = oids;
	rc = SPI_execute_with_args(sql, 1, argtypes, values, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "ferriorm pull query failed: %s", SPI_result_code_string(rc));
}

/* the text of column col of SPI's row i, copied into a; NULL for NULL */
static char *
spi_str(FmArena *a, uint64 i, int col)
{
	char	   *v = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, col);

	return v ? fm_strdup(a, v) : NULL;
}

/* is column col of SPI's row i NULL? */
static bool
spi_isnull(uint64 i, int col)
{
	bool		isnull;

	(void) SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, col, &isnull);
	return isnull;
}

/*
 * read_view_columns
 *		Append to out an FmTable per plain view of the managed schemas
 *		(q_view_columns) holding its columns: name, type (an enum or an
 *		array of one as FM_TYPE_ENUM, anything else by its format_type()
 *		text), the array type's own name, a domain's base, nullable.
 *		Runs inside the SPI connection of read_unstated.
 */
static void
read_view_columns(FmArena *a, Datum oids, FmList *out)
{
	FmTable    *t = NULL;

	run(q_view_columns, oids);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *schema = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		char	   *name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
		FmColumn   *c;
		bool		isnull;

		CHECK_FOR_INTERRUPTS();
		if (t == NULL || strcmp(t->schema, schema) != 0 || strcmp(t->name, name) != 0)
		{
			t = fm_alloc(a, sizeof(FmTable));
			t->schema = fm_strdup(a, schema);
			t->name = fm_strdup(a, name);
			t->comment = spi_str(a, i, 12);
			fm_list_append(a, out, t);
		}
		c = fm_alloc(a, sizeof(FmColumn));
		c->name = spi_str(a, i, 3);
		c->type.sql = spi_str(a, i, 4);
		c->type.kind = FM_TYPE_BUILTIN;
		if ((c->type.enum_name = spi_str(a, i, 6)) != NULL)
		{
			c->type.kind = FM_TYPE_ENUM;
			c->type.enum_schema = spi_str(a, i, 5);
			c->type.array = !spi_isnull(i, 7) &&
				DatumGetBool(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 7, &isnull));
		}
		else if (!spi_isnull(i, 8))
			fm_column_more(a, c)->array_type_name = spi_str(a, i, 8);
		if (!spi_isnull(i, 9))
		{
			FmColumnMore *more = fm_column_more(a, c);

			more->domain_base = spi_str(a, i, 9);
			more->domain_enum_schema = spi_str(a, i, 10);
			more->domain_enum_name = spi_str(a, i, 11);
		}
		fm_list_append(a, &t->columns, c);
	}
}

/* the note of a table-wide row kind of q_physical ("%s": the value); NULL: a column's */
static const char *
table_note_format(char kind)
{
	static const struct
	{
		char		kind;
		const char *format;
	}			notes[] = {
		{'a', "the table uses access method \"%s\""},
		{'r', "the table has REPLICA IDENTITY %s"},
		{'k', "the table is clustered on index \"%s\""},
		{'o', "the table is a typed table, OF %s (its columns are added and dropped through the type)"},
		{'x', "the table has extended statistics \"%s\" (CREATE STATISTICS)"},
		{'g', "the table has privileges granted or revoked: %s"},
		{'u', "the table is in publication \"%s\""},
		{'p', "the table has storage parameters the language cannot state: %s"},
		{'T', "the table is in tablespace %s"},
		{'I', "the table's index %s"},
		{'P', "the table has partitions in schemas that are not pulled: %s (a database built from the text has none)"},
		{'H', "the table has inheriting tables in schemas that are not pulled: %s"},
	};

	for (size_t i = 0; i < lengthof(notes); i++)
		if (notes[i].kind == kind)
			return notes[i].format;
	return NULL;
}

/*
 * Note on each table of ix's model the physical settings no text states
 * (q_physical, FmTable.physical), in SPI.
 */
static void
read_physical(FmArena *a, const FmTableIndex *ix, Datum oids)
{
	run(q_physical, oids);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		FmTable    *t;
		char	   *kind;
		char	   *col;
		char	   *val;
		const char *what;

		CHECK_FOR_INTERRUPTS();
		t = fm_table_index_find(ix, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1),
								SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2));
		if (t == NULL)
			continue;			/* not in the model (an ignored table) */
		kind = spi_str(a, i, 3);
		col = spi_str(a, i, 4);
		val = spi_str(a, i, 5);
		if (val == NULL)
			continue;			/* 'p' when every parameter is stated; no NULL for %s */
		if ((what = table_note_format(kind[0])) != NULL)
		{
			fm_list_append(a, &t->physical, fm_psprintf(a, what, val));
			continue;
		}
		what = kind[0] == 's' ? "STORAGE" : kind[0] == 'c' ? "COMPRESSION" :
			kind[0] == 'O' ? "attribute options" : "STATISTICS";
		fm_list_append(a, &t->physical,
					   fm_psprintf(a, "column \"%s\" has %s %s", col, what, val));
	}
}

/*
 * Collect the extensions of the managed schemas (FmExtension, with the
 * schema when it is not current, the caller's current schema) and their
 * views (as "schema\x01name", FmPrintOptions.live_views; with view_columns, a
 * re-pull's, also their columns: read_view_columns), and mark the tables of
 * model with what no text states (q_unmanaged).  What the model states of
 * its tables, partitioning and inheritance included, is introspection's.
 */
static void seq_default_names(FmArena *a, FmModel *model, Datum oids,
							  const char *resolve);

static void
read_unstated(FmArena *a, FmModel *model, Datum oids, const char *current,
			  const char *resolve, FmList *extensions, FmList *views,
			  FmList *view_columns)
{
	FmTableIndex ix;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	run(q_extensions, oids);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		FmExtension *ext = fm_alloc(a, sizeof(FmExtension));

		ext->name = spi_str(a, i, 1);
		ext->schema = spi_str(a, i, 2);
		if (current != NULL && strcmp(ext->schema, current) == 0)
			ext->schema = NULL;
		fm_list_append(a, extensions, ext);
	}
	run(q_views, oids);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		CHECK_FOR_INTERRUPTS();
		fm_list_append(a, views,
					   fm_psprintf(a, "%s\x01%s",
								   SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1),
								   SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2)));
	}
	if (view_columns != NULL)
		read_view_columns(a, oids, view_columns);
	fm_table_index_build(a, &ix, model);	/* a lookup a row, not a scan */
	run(q_unmanaged, oids);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		FmTable    *t;
		bool		isnull;

		CHECK_FOR_INTERRUPTS();
		t = fm_table_index_find(&ix, SPI_getvalue(tup, desc, 1),
								SPI_getvalue(tup, desc, 2));
		if (t == NULL)
			continue;			/* not in the model (an ignored table) */
		t->row_security = DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull));
		t->force_row_security = DatumGetBool(SPI_getbinval(tup, desc, 4, &isnull));
		t->npolicies = DatumGetInt32(SPI_getbinval(tup, desc, 5, &isnull));
		t->ntriggers = DatumGetInt32(SPI_getbinval(tup, desc, 6, &isnull));
		t->nrules = DatumGetInt32(SPI_getbinval(tup, desc, 7, &isnull));
	}
	read_physical(a, &ix, oids);
	seq_default_names(a, model, oids, resolve);
	SPI_finish();
}

/*
 * The defaults of the managed tables that read a sequence (pg_depend), as
 * pg_get_expr() prints them on the search path this runs on
 * (seq_default_names).
 */
static const char *q_seq_defaults =
"SELECT n.nspname, c.relname, a.attname, pg_catalog.pg_get_expr(d.adbin, d.adrelid) "
"FROM pg_catalog.pg_attrdef d "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "d.adrelid "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "c.relnamespace "
"JOIN pg_catalog.pg_attribute a ON a.attrelid" EQ "d.adrelid AND a.attnum" EQ "d.adnum "
"WHERE c.relnamespace" EQ "ANY ($1) AND c.relkind" EQ "ANY ('{r,p}'::pg_catalog.\"char\"[]) "
"  AND EXISTS (SELECT FROM pg_catalog.pg_depend dp "
"  JOIN pg_catalog.pg_class s ON s.oid" EQ "dp.refobjid AND s.relkind" EQ "'S'::pg_catalog.\"char\" "
"  WHERE dp.classid" EQ "'pg_catalog.pg_attrdef'::pg_catalog.regclass AND dp.objid" EQ "d.oid "
"  AND dp.refclassid" EQ "'pg_catalog.pg_class'::pg_catalog.regclass)";

/*
 * seq_default_names
 *		Print again the defaults of model's columns that read a sequence
 *		with the schema of every sequence outside resolve (the caller's
 *		current schema when it is pulled, else NULL: every one): a plan
 *		places an unqualified name of schema text in a managed schema of
 *		the session's search path (plan.c, path_managed_schema), while
 *		pg_get_expr() leaves out the schema of any sequence on the pulling
 *		session's path (public.order_no read by app.orders is
 *		nextval('order_no'::regclass) there, and the plan of the pull
 *		created app.order_no).  So PostgreSQL prints them again on a search
 *		path of pg_catalog and resolve alone.  A serial's default is no
 *		text's (default_sql NULL) and stays so.  In SPI.
 */
static void
seq_default_names(FmArena *a, FmModel *model, Datum oids, const char *resolve)
{
	int			nestlevel = NewGUCNestLevel();
	FmTableIndex ix;

	(void) set_config_option("search_path",
							 resolve ? psprintf("pg_catalog, %s", quote_identifier(resolve)) :
							 "pg_catalog",
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	fm_table_index_build(a, &ix, model);
	run(q_seq_defaults, oids);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		FmTable    *t;
		FmColumn   *c;

		CHECK_FOR_INTERRUPTS();
		t = fm_table_index_find(&ix, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1),
								SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2));
		if (t == NULL)
			continue;
		c = fm_table_find_column(t, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3));
		if (c == NULL || c->default_sql == NULL || c->autoinc != FM_AUTOINC_NONE)
			continue;
		c->default_sql = spi_str(a, i, 4);
	}
	AtEOXact_GUC(true, nestlevel);
}

/*
 * pull_path_string
 *		The search_path the pull reads the catalog on: pg_catalog, then the
 *		caller's current schema (the first of its path that exists) when it
 *		is pulled or holds an extension.  pg_get_expr() and format_type()
 *		then name the schema of whatever lives anywhere else: a function or
 *		type of a schema not pulled (util.next_code()), of another pulled
 *		schema (b.f() in a default of a.t), an extension's object outside
 *		the current schema (public.cube).  Named as the caller's whole path
 *		found them, they made the text depend on that path: a session whose
 *		path lacks b could not apply f(), and planned the text to change the
 *		default.  What lives in the current schema keeps its usual spelling
 *		(uuid_generate_v4(), citext), as in Prisma's pull, which reads the
 *		schema it is given.
 */
static char *
pull_path_string(const FmList *schemas)
{
	List	   *path = fetch_search_path(false);
	List	   *extnsps = NIL;
	StringInfoData buf;
	ListCell   *lc;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute("SELECT DISTINCT extnamespace FROM pg_catalog.pg_extension", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read pg_extension");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		extnsps = lappend_oid(extnsps,
							  DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i],
															 SPI_tuptable->tupdesc, 1, &isnull)));
	}
	SPI_finish();
	initStringInfo(&buf);
	appendStringInfoString(&buf, "pg_catalog");
	foreach(lc, path)
	{
		Oid			nsp = lfirst_oid(lc);
		char	   *name;
		bool		pulled = false;

		if (nsp == PG_CATALOG_NAMESPACE || isAnyTempNamespace(nsp) ||
			(name = get_namespace_name(nsp)) == NULL)
			continue;
		/* the current schema only: nothing else of the path counts */
		for (int i = 0; i < schemas->n && !pulled; i++)
			pulled = strcmp(fm_list_get(schemas, i, char), name) == 0;
		if (pulled || list_member_oid(extnsps, nsp))
			appendStringInfo(&buf, ", %s", quote_identifier(name));
		break;
	}
	return buf.data;
}

/*
 * The schema in which an unqualified sequence name of the pulled text is
 * both the text's and PostgreSQL's: the caller's current schema, when it
 * is pulled.  NULL when it is not (a plan in another session could place
 * such a name elsewhere: only a qualified name means one sequence to
 * every session).
 */
static const char *
resolve_schema(const FmList *schemas, const char *current)
{
	for (int i = 0; current != NULL && i < schemas->n; i++)
		if (strcmp(fm_list_get(schemas, i, char), current) == 0)
			return current;
	return NULL;
}

/*
 * ferriorm_pull(schemas text[] DEFAULT NULL, previous text DEFAULT NULL)
 * RETURNS text
 */
Datum
ferriorm_pull(PG_FUNCTION_ARGS)
{
	FmArena    *arena = fm_backend_arena();
	FmList		schemas = {0};
	FmPrintOptions opt;
	FmDiagList	diags;
	FmModel    *model;
	FmLiveRels	rels = {0};
	Datum		oids;
	bool		current_only;
	int			nestlevel;
	char	   *out;
	List	   *path;
	char	   *current = NULL;	/* the caller's current schema */

	instr_time	t[4];

	/* the previous text is schema text: bounded before anything is read */
	fm_check_schema_arg(fcinfo, 1, "previous");
	pull_schemas(arena, fcinfo, &schemas, &current_only);
	oids = check_schemas(&schemas);
	path = fetch_search_path(false);
	if (path != NIL)
		current = get_namespace_name(linitial_oid(path));

	memset(&opt, 0, sizeof(opt));
	INSTR_TIME_SET_CURRENT(t[0]);
	nestlevel = fm_plan_enter_safe_path();
	(void) set_config_option("search_path", pull_path_string(&schemas),
							 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	/*
	 * timestamptz constants (defaults, CHECKs, predicates, partition
	 * bounds) in UTC, with their offset: the same text from any session's
	 * TimeZone, or either side of a clock change
	 */
	(void) set_config_option("TimeZone", "UTC", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	model = fm_introspect(arena, &schemas, &rels);
	fm_normalize_pulled(model, &rels);
	INSTR_TIME_SET_CURRENT(t[1]);
	read_unstated(arena, model, oids, current, resolve_schema(&schemas, current),
				  &opt.extensions, &opt.live_views,
				  PG_ARGISNULL(1) ? NULL : &opt.live_view_columns);
	fm_plan_leave_safe_path(nestlevel);
	INSTR_TIME_SET_CURRENT(t[2]);

	/* auto prints the ferriorm dialect, or the previous text's (below) */
	opt.naming = fm_dialect_setting == FM_DIALECT_PRISMA ?
		&fm_naming_prisma : &fm_naming_ferriorm;
	opt.print_schemas = !current_only;
	opt.current_schema = current;
	if (!PG_ARGISNULL(1))
	{
		text	   *prev = PG_GETARG_TEXT_PP(1);

		opt.previous = VARDATA_ANY(prev);
		opt.previous_len = VARSIZE_ANY_EXHDR(prev);
		/*
		 * under auto, the previous text's own dialect, as every function
		 * that reads text chooses it (a Prisma schema marks itself)
		 */
		if (fm_dialect_setting == FM_DIALECT_AUTO)
		{
			FmDiagList	pd;

			fm_diags_init(&pd, arena);
			if (fm_ast_dialect(fm_ast_parse_model(arena, opt.previous, opt.previous_len, &pd),
							   FM_DIALECT_AUTO) == FM_DIALECT_PRISMA)
				opt.naming = &fm_naming_prisma;
		}
	}
	fm_diags_init(&diags, arena);
	out = fm_print_schema(arena, model, &opt, &diags);
	INSTR_TIME_SET_CURRENT(t[3]);
	for (int i = 3; i > 0; i--)
		INSTR_TIME_SUBTRACT(t[i], t[i - 1]);
	elog(DEBUG1, "ferriorm pull: %d tables; introspect %.1f ms, unstated %.1f ms, print %.1f ms",
		 model->tables.n, INSTR_TIME_GET_MILLISEC(t[1]),
		 INSTR_TIME_GET_MILLISEC(t[2]), INSTR_TIME_GET_MILLISEC(t[3]));
	if (out == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("ferriorm_pull printed schema text that does not validate"),
				 errdetail_internal("%s", fm_diags_to_text(arena, &diags))));
	/* what the print left out of the previous text (its views) */
	for (int i = 0; i < diags.items.n; i++)
	{
		FmDiag	   *d = fm_list_get(&diags.items, i, FmDiag);

		if (d->severity == FM_SEV_WARNING)
			ereport(WARNING,
					(errmsg("%s", fm_utf8_message(d->message)),
					 errhint("Write the views left out by hand, or pull with a previous text whose views name existing models.")));
	}
	PG_RETURN_TEXT_P(cstring_to_text(out));
}
