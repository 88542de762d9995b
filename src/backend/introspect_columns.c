/*-------------------------------------------------------------------------
 *
 * introspect_columns.c
 *	  Introspection of columns and sequences (introspect.c drives): the
 *	  columns of the managed tables with their types, defaults, identity,
 *	  collations and comments, and the sequences of the managed schemas
 *	  (owned by a column, the internal ones of identity columns, and the
 *	  standalone ones a default reads).
 *
 * Each query reads what every row needs of its own; what only a few rows
 * need (enum types, collations other than the type's, comments) is read
 * by a query of its own and matched by OID, rather than joined to each of
 * the tens of thousands of columns of a large schema.
 *
 * src/backend/introspect_columns.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_attribute.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"

#include "introspect_int.h"

/*
 * Columns, in no particular order: fm_intro_load_columns() places them by attnum.
 * Only what each row needs of its own: the enum types are matched by OID
 * (q_enum_types), the rare collation other than the type's own by OID
 * (q_collations) and the rare comment by table and number (q_col_comments),
 * rather than joined to every row.  Then the base type of a domain (with
 * the domain's typmod), NULL for any other type, and, for a column
 * inherited from a parent (or a partition's), what it has of its own that
 * its parents' lack: 'NOT NULL' (not its primary key's), 'a default' or
 * 'a comment'; NULL for a column of the table's own.  Last, the OID of a
 * domain's base type (to find a domain over an enum).
 *
 * A default is deparsed without its table (relid 0): it cannot refer to a
 * column, so the text is the same, while pg_get_expr() given a table
 * builds that table's deparse context, in time quadratic in its number of
 * columns, for every default (8 s for a table of 1,590 columns with a
 * default each).  Only a generated column's expression refers to columns,
 * and it is deparsed with its table.
 */
static const char *q_columns =
"SELECT a.attrelid, a.attnum, a.attname, "
"  pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
"  pg_catalog.pg_get_expr(d.adbin, CASE WHEN a.attgenerated" EQ "''::pg_catalog.\"char\" "
"    THEN 0::pg_catalog.oid ELSE d.adrelid END), a.attidentity, a.attgenerated, "
"  a.atttypid, CASE WHEN a.attcollation OPERATOR(pg_catalog.<>) t.typcollation "
"    THEN a.attcollation END, a.attislocal AND NOT c.relispartition, a.attcollation, "
"  CASE WHEN t.typtype" EQ "'d'::pg_catalog.\"char\" "
"    THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END, "
"  CASE WHEN NOT (a.attislocal AND NOT c.relispartition) THEN "
"    (SELECT CASE WHEN a.attnotnull AND NOT pg_catalog.bool_or(pa.attnotnull) "
"        AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k WHERE k.conrelid" EQ "a.attrelid "
"          AND k.contype" EQ "'p'::pg_catalog.\"char\" AND a.attnum" EQ "ANY (k.conkey)) "
"      THEN 'NOT NULL' "
"      WHEN NOT pg_catalog.bool_or(a.attgenerated OPERATOR(pg_catalog.<>) ''::pg_catalog.\"char\" OR "
"        pg_catalog.pg_get_expr(d.adbin, 0::pg_catalog.oid) IS NOT DISTINCT FROM "
"        pg_catalog.pg_get_expr(pd.adbin, 0::pg_catalog.oid)) THEN 'a default' "
"      WHEN pg_catalog.col_description(a.attrelid, a.attnum) IS NOT NULL THEN 'a comment' END "
"     FROM pg_catalog.pg_inherits ih "
"     JOIN pg_catalog.pg_attribute pa ON pa.attrelid" EQ "ih.inhparent AND pa.attname" EQ "a.attname "
"     LEFT JOIN pg_catalog.pg_attrdef pd ON pd.adrelid" EQ "pa.attrelid AND pd.adnum" EQ "pa.attnum "
"     WHERE ih.inhrelid" EQ "a.attrelid) END, "
"  CASE WHEN t.typtype" EQ "'d'::pg_catalog.\"char\" THEN t.typbasetype END, "
"  CASE WHEN t.typcategory" EQ "'A'::pg_catalog.\"char\" THEN t.typname END "
"FROM pg_catalog.pg_attribute a "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "a.attrelid "
"JOIN pg_catalog.pg_type t ON t.oid" EQ "a.atttypid "
"LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid" EQ "a.attrelid AND d.adnum" EQ "a.attnum "
"WHERE c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND " IS_TABLE("c.relkind")
" AND a.attnum OPERATOR(pg_catalog.>) 0::pg_catalog.int2 AND NOT a.attisdropped";

/*
 * The enum types of the database, wherever they are, and the array types
 * of enums (typcategory 'A' over an enum: last column true), with the
 * schema and name of the enum.
 */
static const char *q_enum_types =
"SELECT t.oid, n.nspname, t.typname, false "
"FROM pg_catalog.pg_type t "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "t.typnamespace "
"WHERE t.typtype" EQ "'e'::pg_catalog.\"char\" "
"UNION ALL "
"SELECT a.oid, n.nspname, t.typname, true "
"FROM pg_catalog.pg_type t "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "t.typnamespace "
"JOIN pg_catalog.pg_type a ON a.typelem" EQ "t.oid "
"  AND a.typcategory" EQ "'A'::pg_catalog.\"char\" "
"WHERE t.typtype" EQ "'e'::pg_catalog.\"char\"";

/* the comments of the columns of the managed tables */
static const char *q_col_comments =
"SELECT ds.objoid, ds.objsubid, ds.description "
"FROM pg_catalog.pg_description ds "
"JOIN pg_catalog.pg_class c ON c.oid" EQ "ds.objoid "
"WHERE ds.classoid" EQ CLASSOID("pg_catalog.pg_class")
" AND ds.objsubid OPERATOR(pg_catalog.>) 0::pg_catalog.int4 "
"AND c.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND " IS_TABLE("c.relkind");

/*
 * The sequences of the managed schemas, in one query, each with its
 * dependencies on a column (deptype 'a': owned by it, serial or OWNED BY;
 * 'i': the internal sequence of an identity column, with its options): no
 * row of pg_depend for a standalone sequence.  A standalone sequence is
 * kept when no extension owns it and a default of a managed table reads it
 * (pg_attrdef's normal dependency on it): the last column, computed for
 * sequences that no column owns, and for those a column owns (OWNED BY)
 * that a default of a table that is no partition or child reads, when the
 * owner does not state it: a column of a partition, child or foreign table
 * (pg_partman's journal tables), or a column whose own default does not
 * read it.  The text states such a sequence as a standalone one.  A
 * sequence a stated serial or an identity owns stays that column's,
 * whoever else reads it, as in a model built from text
 * (fm_model_derive_sequences).  Then the cache and the type of every
 * sequence.  Ordered by schema and name, the order of the model's
 * standalone sequences.  The last column reads the attribute of a default
 * that reads the sequence in a scalar subquery, not a join: with the join
 * the planner scanned the whole of pg_attribute for the inherited columns
 * (62 million instructions of a plan of 1,000 tables, 8%; callgrind).
 * It is not computed at all in a database without inheritance (an empty
 * pg_inherits, read once): only a table that inherits has a column that
 * is not its own (attislocal; NO INHERIT makes them its own again).  At
 * 10,000 tables the planner answered it with one pass over every
 * default's dependency, 174 of the 313 ms of the query.
 */
static const char *q_sequences =
"SELECT n.nspname, s.relname, d.deptype, d.refobjid, d.refobjsubid, "
"  d.refclassid" EQ CLASSOID("pg_catalog.pg_class") ", "
"  q.seqstart::pg_catalog.text, q.seqincrement::pg_catalog.text, "
"  q.seqmin::pg_catalog.text, q.seqmax::pg_catalog.text, q.seqcycle, "
"  CASE WHEN d.objid IS NULL OR d.deptype" EQ "'a'::pg_catalog.\"char\" THEN "
"    EXISTS (SELECT FROM pg_catalog.pg_depend u "
"      JOIN pg_catalog.pg_attrdef ad ON ad.oid" EQ "u.objid "
"      JOIN pg_catalog.pg_class t ON t.oid" EQ "ad.adrelid "
"      WHERE u.classid" EQ CLASSOID("pg_catalog.pg_attrdef")
"      AND u.refclassid" EQ CLASSOID("pg_catalog.pg_class")
"      AND u.refobjid" EQ "s.oid AND t.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) "
"      AND " IS_TABLE("t.relkind")
"      AND (d.objid IS NULL OR ("
"        NOT " HAS_PARENT("t.oid") " "
"        AND (" HAS_PARENT("d.refobjid") " "
"          OR NOT EXISTS (SELECT FROM pg_catalog.pg_class oc WHERE oc.oid" EQ "d.refobjid "
"            AND " IS_TABLE("oc.relkind") ") "
"          OR NOT EXISTS (SELECT FROM pg_catalog.pg_depend u2 "
"            JOIN pg_catalog.pg_attrdef ad2 ON ad2.oid" EQ "u2.objid "
"            WHERE u2.classid" EQ CLASSOID("pg_catalog.pg_attrdef")
"            AND u2.refclassid" EQ CLASSOID("pg_catalog.pg_class")
"            AND u2.refobjid" EQ "s.oid AND ad2.adrelid" EQ "d.refobjid "
"            AND ad2.adnum" EQ "d.refobjsubid))))) AND "
NOT_EXT("pg_catalog.pg_class", "s.oid")
"  END, q.seqcache::pg_catalog.text, pg_catalog.format_type(q.seqtypid, NULL), "
"  EXISTS (SELECT FROM pg_catalog.pg_inherits) AND EXISTS (SELECT FROM pg_catalog.pg_depend u3 "
"    JOIN pg_catalog.pg_attrdef ad3 ON ad3.oid" EQ "u3.objid "
"    WHERE u3.classid" EQ CLASSOID("pg_catalog.pg_attrdef")
"    AND u3.refclassid" EQ CLASSOID("pg_catalog.pg_class")
"    AND u3.refobjid" EQ "s.oid AND NOT (SELECT a3.attislocal "
"      FROM pg_catalog.pg_attribute a3 WHERE a3.attrelid" EQ "ad3.adrelid "
"      AND a3.attnum" EQ "ad3.adnum)) "
"FROM pg_catalog.pg_class s "
"JOIN pg_catalog.pg_namespace n ON n.oid" EQ "s.relnamespace "
"LEFT JOIN pg_catalog.pg_depend d ON d.classid" EQ CLASSOID("pg_catalog.pg_class")
"  AND d.objid" EQ "s.oid AND d.refobjsubid OPERATOR(pg_catalog.>) 0::pg_catalog.int4 "
"  AND d.deptype" EQ "ANY ('{a,i}'::pg_catalog.\"char\"[]) "
"LEFT JOIN pg_catalog.pg_sequence q ON q.seqrelid" EQ "s.oid "
"WHERE s.relnamespace" EQ "ANY ((SELECT $1::pg_catalog.oid[])::pg_catalog.oid[]) AND s.relkind" EQ "'S'::pg_catalog.\"char\" "
"ORDER BY n.nspname, s.relname";

/*
 * The options of the sequence of row i that no schema text states, as
 * "AS integer, START 500, INCREMENT 10, MINVALUE 5, MAXVALUE 999, CYCLE,
 * CACHE 20": those that differ from what CREATE SEQUENCE gives by default
 * for its type and direction (as_type: a standalone one, whose text
 * names no type; a serial's type is its column's).  NULL when none.
 */
static char *
sequence_options(IntroState *st, FmRows *rows, uint64 i, bool as_type)
{
	const char *type = fm_rows_cell(rows, i, 14);
	int64		inc,
				min,
				max,
				start,
				typmax;
	StringInfoData buf;

	if (fm_rows_cell(rows, i, 8) == NULL || type == NULL)
		return NULL;
	inc = strtoi64(fm_rows_cell(rows, i, 8), NULL, 10);
	min = strtoi64(fm_rows_cell(rows, i, 9), NULL, 10);
	max = strtoi64(fm_rows_cell(rows, i, 10), NULL, 10);
	start = strtoi64(fm_rows_cell(rows, i, 7), NULL, 10);
	typmax = strcmp(type, "smallint") == 0 ? PG_INT16_MAX :
		strcmp(type, "integer") == 0 ? PG_INT32_MAX : PG_INT64_MAX;
	initStringInfo(&buf);
	if (as_type && strcmp(type, "bigint") != 0)
		appendStringInfo(&buf, ", AS %s", type);
	if (start != (inc > 0 ? min : max))
		appendStringInfo(&buf, ", START " INT64_FORMAT, start);
	if (inc != 1)
		appendStringInfo(&buf, ", INCREMENT " INT64_FORMAT, inc);
	if (min != (inc > 0 ? 1 : -typmax - 1))
		appendStringInfo(&buf, ", MINVALUE " INT64_FORMAT, min);
	if (max != (inc > 0 ? typmax : -1))
		appendStringInfo(&buf, ", MAXVALUE " INT64_FORMAT, max);
	if (fm_intro_bool(rows, i, 11))
		appendStringInfoString(&buf, ", CYCLE");
	if (strcmp(fm_rows_cell(rows, i, 13), "1") != 0)
		appendStringInfo(&buf, ", CACHE %s", fm_rows_cell(rows, i, 13));
	return buf.len > 0 ? fm_strdup(st->arena, buf.data + 2) : NULL;
}

/*
 * default_reads_owned
 *		Is default def exactly nextval() of the sequence schema.name that
 *		its column owns?  Only then is the column a serial: a column may own
 *		one sequence and read another (Travis CI's builds and jobs share
 *		one sequence, each owning an unused one of its own), and taken for
 *		a serial it lost the shared sequence.  An unqualified name is the
 *		sequence the search path finds.
 */
static bool
default_reads_owned(IntroState *st, const char *def, const char *schema,
					const char *name)
{
	char	   *dschema;
	char	   *dname;
	Oid			nsp;

	if (def == NULL || schema == NULL || name == NULL ||
		!fm_nextval_sequence(st->arena, def, &dschema, &dname) ||
		strcmp(dname, name) != 0)
		return false;
	if (dschema != NULL)
		return strcmp(dschema, schema) == 0;
	nsp = get_namespace_oid(schema, true);
	return OidIsValid(nsp) && RelnameGetRelid(dname) == get_relname_relid(name, nsp);
}

/*
 * fm_intro_load_sequences
 *		Read the sequences of the managed schemas (q_sequences): the owned
 *		ones are noted on their column (st->rels), the standalone ones go
 *		into the model.  Returns the rows, for fm_intro_load_identities() once the
 *		columns are read.
 */
FmRows *
fm_intro_load_sequences(IntroState *st)
{
	FmRows	   *rows = fm_intro_query(st, q_sequences);

	for (uint64 i = 0; i < rows->n; i++)
	{
		char		deptype = fm_intro_char(rows, i, 3);

		if (deptype == 'a' && fm_intro_bool(rows, i, 6))
		{
			LiveRel    *rel = fm_intro_find_rel(st, fm_intro_oid(rows, i, 4));
			int			attnum = fm_intro_int(rows, i, 5);

			if (rel != NULL && attnum > 0 && attnum <= rel->natts)
			{
				rel->owned_seq[attnum] = true;
				rel->seq_schema[attnum] = fm_intro_str(st, rows, i, 1);
				rel->seq_name[attnum] = fm_intro_str(st, rows, i, 2);
				rel->seq_options[attnum] = sequence_options(st, rows, i, false);
			}
		}
		if ((deptype == '\0' || deptype == 'a') && fm_intro_bool(rows, i, 12))
		{
			FmSequence *sq = fm_alloc(st->arena, sizeof(FmSequence));

			sq->schema = fm_intro_str(st, rows, i, 1);
			sq->name = fm_intro_str(st, rows, i, 2);
			sq->options = sequence_options(st, rows, i, true);
			sq->read_unstated = fm_intro_bool(rows, i, 15);
			fm_list_append(st->arena, &st->model->sequences, sq);
		}
		CHECK_FOR_INTERRUPTS();
	}
	return rows;
}

/*
 * owned_read_in_expression
 *		Row i of q_sequences is a sequence that a column owns (deptype
 *		'a'): when that column is no serial (its default reads the sequence
 *		inside a larger expression, nextval('t_n_seq') + 1000), the sequence
 *		is standalone in the model, as schema text states it
 *		(fm_model_derive_sequences reads every nextval() of a default), so
 *		that a database built from the text creates it.
 */
static void
owned_read_in_expression(IntroState *st, FmRows *rows, uint64 i)
{
	LiveRel    *rel = fm_intro_find_rel(st, fm_intro_oid(rows, i, 4));
	int			attnum = fm_intro_int(rows, i, 5);
	FmColumn   *c;
	FmList		refs = {0};
	const char *schema = fm_rows_cell(rows, i, 1);
	const char *name = fm_rows_cell(rows, i, 2);
	FmSequence *sq;

	if (rel == NULL || attnum <= 0 || attnum > rel->natts ||
		(c = rel->cols[attnum]) == NULL || c->autoinc != FM_AUTOINC_NONE ||
		fm_model_find_sequence(st->model, schema, name) != NULL ||
		fm_nextval_sequences(st->arena, c->default_sql, &refs) == 0)
		return;
	for (int k = 0; k < refs.n; k++)
	{
		FmSeqRef   *ref = fm_list_get(&refs, k, FmSeqRef);

		if (strcmp(ref->name, name) != 0 ||
			(ref->schema != NULL && strcmp(ref->schema, schema) != 0))
			continue;
		sq = fm_alloc(st->arena, sizeof(FmSequence));
		sq->schema = fm_intro_str(st, rows, i, 1);
		sq->name = fm_intro_str(st, rows, i, 2);
		sq->options = sequence_options(st, rows, i, true);
		fm_list_append(st->arena, &st->model->sequences, sq);
		return;
	}
}

/*
 * The generation and sequence options of every identity column read by
 * fm_intro_load_columns(), from the rows of fm_intro_load_sequences() (deptype 'i'),
 * normalized (fm_identity_normalize).  Frees the rows.
 */
void
fm_intro_load_identities(IntroState *st, FmRows *rows)
{
	for (uint64 i = 0; i < rows->n; i++)
	{
		LiveRel    *rel;
		int			attnum;
		FmColumn   *c;
		FmIdentity *id;

		if (fm_intro_char(rows, i, 3) == 'a' && fm_intro_bool(rows, i, 6))
		{
			owned_read_in_expression(st, rows, i);
			continue;
		}
		if (fm_intro_char(rows, i, 3) != 'i' || !fm_intro_bool(rows, i, 6))
			continue;
		rel = fm_intro_find_rel(st, fm_intro_oid(rows, i, 4));
		attnum = fm_intro_int(rows, i, 5);
		if (rel == NULL || attnum <= 0 || attnum > rel->natts)
			continue;
		c = rel->cols[attnum];
		if (c == NULL || c->autoinc == FM_AUTOINC_NONE ||
			c->autoinc == FM_AUTOINC_SERIAL)
			continue;
		id = fm_alloc(st->arena, sizeof(FmIdentity));
		id->always = c->autoinc == FM_AUTOINC_IDENTITY_ALWAYS;
		id->start = fm_intro_str(st, rows, i, 7);
		id->increment = fm_intro_str(st, rows, i, 8);
		id->minvalue = fm_intro_str(st, rows, i, 9);
		id->maxvalue = fm_intro_str(st, rows, i, 10);
		id->cycle = fm_intro_bool(rows, i, 11);
		id->seq_schema = fm_intro_str(st, rows, i, 1);
		id->seq_name = fm_intro_str(st, rows, i, 2);
		fm_identity_normalize(id, c->type.sql);
		fm_column_more(st->arena, c)->identity = id;
		/* what @identity cannot state */
		if (strcmp(fm_rows_cell(rows, i, 13), "1") != 0)
			c->more->seq_options = fm_psprintf(st->arena, "CACHE %s", fm_rows_cell(rows, i, 13));
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
}

/* An enum type, or an array type of an enum (q_enum_types). */
typedef struct EnumTypeName
{
	Oid			oid;
	char	   *schema;			/* of the enum */
	char	   *name;
	bool		array;
} EnumTypeName;

static int
enum_type_cmp(const void *a, const void *b)
{
	Oid			x = ((const EnumTypeName *) a)->oid;
	Oid			y = ((const EnumTypeName *) b)->oid;

	return (x > y) - (x < y);
}

/* The enum types and arrays of enums of the database, sorted by OID. */
static EnumTypeName *
load_enum_types(IntroState *st, int *n)
{
	FmRows	   *rows = fm_intro_query0(st, q_enum_types);
	EnumTypeName *types;

	*n = (int) rows->n;
	types = palloc(sizeof(EnumTypeName) * (*n > 0 ? *n : 1));
	for (int i = 0; i < *n; i++)
	{
		types[i].oid = fm_intro_oid(rows, i, 1);
		types[i].schema = fm_intro_str(st, rows, i, 2);
		types[i].name = fm_intro_str(st, rows, i, 3);
		types[i].array = fm_intro_bool(rows, i, 4);
	}
	fm_rows_free(rows);
	qsort(types, *n, sizeof(EnumTypeName), enum_type_cmp);
	return types;
}

/*
 * The collations that fm_intro_load_columns() noted by OID (colloids, a "{...}"
 * oid[] literal, its columns in cols) as their schema and name.
 */
static void
load_collations(IntroState *st, StringInfo colloids, FmList *cols,
				FmList *oids)
{
	FmRows	   *rows;

	if (cols->n == 0)
		return;
	appendStringInfoChar(colloids, '}');
	rows = fm_intro_collation_rows(st, colloids->data);
	for (int k = 0; k < cols->n; k++)
	{
		FmColumn   *c = fm_list_get(cols, k, FmColumn);
		const char *oid = fm_list_get(oids, k, const char);

		for (uint64 i = 0; i < rows->n; i++)
			if (strcmp(fm_rows_cell(rows, i, 1), oid) == 0)
			{
				FmColumnMore *x = fm_column_more(st->arena, c);

				x->collation_schema = fm_intro_str(st, rows, i, 2);
				x->collation = fm_intro_str(st, rows, i, 3);
				break;
			}
	}
	fm_rows_free(rows);
}

/* The comments of the columns read (q_col_comments). */
static void
load_column_comments(IntroState *st)
{
	FmRows	   *rows = fm_intro_query(st, q_col_comments);

	for (uint64 i = 0; i < rows->n; i++)
	{
		LiveRel    *rel = fm_intro_find_rel(st, fm_intro_oid(rows, i, 1));
		int			attnum = fm_intro_int(rows, i, 2);

		if (rel != NULL && attnum > 0 && attnum <= rel->natts &&
			rel->cols[attnum] != NULL)
			fm_column_more(st->arena, rel->cols[attnum])->comment =
				fm_intro_str(st, rows, i, 3);
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
}

/*
 * fm_intro_load_columns
 *		Read the columns of the managed tables (q_columns) into st: each
 *		column of a managed table becomes an FmColumn (type, enum or array of
 *		enum, NOT NULL, default, identity, collation, comment), then the
 *		table's columns list is built in attnum order.
 *
 * A default that is nextval() of a sequence the column owns is a serial
 * column (no default); a generated column's expression is not a default.
 * Rows of relations st does not manage (extension members, partitions)
 * are skipped.
 */
void
fm_intro_load_columns(IntroState *st)
{
	LiveRel    *rel = NULL;
	int			nenums;
	EnumTypeName *enums = load_enum_types(st, &nenums);
	StringInfoData colloids;
	FmList		collcols = {0};
	FmList		colloidlist = {0};
	FmRows	   *rows = fm_intro_query(st, q_columns);

	initStringInfo(&colloids);
	appendStringInfoChar(&colloids, '{');
	for (uint64 i = 0; i < rows->n; i++)
	{
		Oid			relid = fm_intro_oid(rows, i, 1);
		int			attnum;
		FmColumn   *c;
		EnumTypeName key;
		EnumTypeName *et;
		char		identity;
		const char *colloid;

		if (rel == NULL || rel->oid != relid)
			rel = fm_intro_find_rel(st, relid);
		if (rel == NULL)
			continue;			/* extension member or partition */
		attnum = fm_intro_int(rows, i, 2);
		if (attnum <= 0 || attnum > rel->natts)
			continue;
		c = fm_alloc(st->arena, sizeof(FmColumn));
		rel->cols[attnum] = c;
		c->name = fm_intro_str(st, rows, i, 3);
		rel->attnames[attnum] = c->name;
		key.oid = fm_intro_oid(rows, i, 9);
		rel->atttypids[attnum] = key.oid;
		rel->attcolls[attnum] = fm_intro_oid(rows, i, 12);
		if (!fm_intro_bool(rows, i, 11))
		{
			/*
			 * inherited from a parent, or a partition's: the parent's; what
			 * it has of its own (SET NOT NULL, SET DEFAULT, a comment) the
			 * text cannot state, and pull says so
			 */
			rel->cols[attnum] = NULL;
			if (fm_rows_cell(rows, i, 14) != NULL)
			{
				/* given below in attnum order, not in the rows' order */
				if (rel->own_reasons == NULL)
					rel->own_reasons = fm_alloc(st->arena, sizeof(char *) * (size_t) (rel->natts + 1));
				rel->own_reasons[attnum] =
					fm_psprintf(st->arena, "the column \"%s\" has %s of its own, which the text cannot state for a column of its parent",
								c->name, fm_rows_cell(rows, i, 14));
			}
			continue;
		}
		et = nenums > 0 ? bsearch(&key, enums, nenums, sizeof(EnumTypeName),
								  enum_type_cmp) : NULL;
		c->type.sql = fm_intro_str(st, rows, i, 4);
		if (et != NULL)
		{
			/* an enum, or an array of an enum (Role[]) */
			c->type.kind = FM_TYPE_ENUM;
			c->type.array = et->array;
			c->type.enum_schema = et->schema;
			c->type.enum_name = et->name;
		}
		else
			c->type.kind = FM_TYPE_BUILTIN;
		/* a domain: its base type, for the prisma dialect's comparison */
		if (fm_rows_cell(rows, i, 13) != NULL)
		{
			FmColumnMore *more = fm_column_more(st->arena, c);
			EnumTypeName bkey;
			EnumTypeName *be;

			more->domain_base = fm_intro_str(st, rows, i, 13);
			bkey.oid = fm_intro_oid(rows, i, 15);
			be = nenums > 0 ? bsearch(&bkey, enums, nenums, sizeof(EnumTypeName),
									  enum_type_cmp) : NULL;
			if (be != NULL)
			{
				/* over an enum, or an array of one: which one */
				more->domain_enum_schema = be->schema;
				more->domain_enum_name = be->name;
				more->domain_enum_array = be->array;
			}
		}
		/* an array not of an enum: its type's own name, for the prisma dialect */
		if (et == NULL && fm_rows_cell(rows, i, 16) != NULL)
			fm_column_more(st->arena, c)->array_type_name = fm_intro_str(st, rows, i, 16);
		c->notnull = fm_intro_bool(rows, i, 5);
		c->default_sql = fm_intro_str(st, rows, i, 6);
		identity = fm_intro_char(rows, i, 7);
		if (identity == ATTRIBUTE_IDENTITY_ALWAYS)
			c->autoinc = FM_AUTOINC_IDENTITY_ALWAYS;
		else if (identity == ATTRIBUTE_IDENTITY_BY_DEFAULT)
			c->autoinc = FM_AUTOINC_IDENTITY_BY_DEFAULT;
		else if (rel->owned_seq[attnum] &&
				 default_reads_owned(st, c->default_sql, rel->seq_schema[attnum],
									 rel->seq_name[attnum]))
		{
			/* serial: nextval() of a sequence owned by this column */
			c->autoinc = FM_AUTOINC_SERIAL;
			c->default_sql = NULL;
			fm_column_more(st->arena, c)->seq_schema = rel->seq_schema[attnum];
			c->more->seq_name = rel->seq_name[attnum];
			c->more->seq_options = rel->seq_options[attnum];
		}
		/* a generated column's expression is not a default */
		if (fm_intro_char(rows, i, 8) != '\0')
		{
			fm_column_more(st->arena, c)->generated = c->default_sql;
			c->default_sql = NULL;
		}
		/* a collation other than the type's own: named below */
		colloid = fm_rows_cell(rows, i, 10);
		if (colloid != NULL)
		{
			appendStringInfo(&colloids, "%s%s", collcols.n ? "," : "", colloid);
			fm_list_append(st->arena, &collcols, c);
			fm_list_append(st->arena, &colloidlist, fm_strdup(st->arena, colloid));
		}
		CHECK_FOR_INTERRUPTS();
	}
	fm_rows_free(rows);
	load_collations(st, &colloids, &collcols, &colloidlist);
	pfree(colloids.data);
	pfree(enums);
	load_column_comments(st);
	/* what inherited columns have of their own, in attnum order */
	for (int r = 0; r < st->nrels; r++)
		for (int k = 1; st->rels[r].own_reasons != NULL && k <= st->rels[r].natts; k++)
			if (st->rels[r].own_reasons[k] != NULL)
				fm_table_add_reason(st->arena, st->rels[r].table, st->rels[r].own_reasons[k]);
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
