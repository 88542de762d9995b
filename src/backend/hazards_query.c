/*-------------------------------------------------------------------------
 *
 * hazards_query.c
 *	  Running a hazard figure's query as the table's owner.
 *
 * Design note.  Every figure is one or two read-only queries over a live
 * table.  fm_haz_fig_select() parses the text as the caller, on the
 * plan's search_path, deparses it fully qualified for a safe path
 * (fm_deparse_on_safe_path()) and runs it as the table's owner in a
 * security-restricted operation with row security off (fm_run_as_owner()),
 * so that what the owner's policies, constraints and functions do never
 * runs with the caller's privileges.  The counting wrappers return one
 * bigint (or two); fm_haz_eq_operator() and fm_haz_equal_sql() write
 * comparisons with the type's own equality operator, named by schema, so
 * that no look-alike operator on the caller's path is ever called.
 * Names are quoted here (fm_haz_qname); values are always parameters.
 *
 * The driver and the security model are described in hazards.c.
 *
 * src/backend/hazards_query.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
#include "parser/parse_coerce.h"
#include "parser/parse_type.h"

#include "fm_plan_int.h"
#include "hazards_int.h"
#include "security.h"

/*
 * fm_haz_qname
 *		schema.name with both parts quoted (quote_identifier), or the name
 *		alone when schema is NULL; palloc'd.
 */
char *
fm_haz_qname(const char *schema, const char *name)
{
	if (schema == NULL)
		return pstrdup(quote_identifier(name));
	return psprintf("%s.%s", quote_identifier(schema), quote_identifier(name));
}

/*
 * one when n is 1, else many: for the figures' sentences, which are core
 * text (not translated) and so cannot use ngettext.
 */
const char *
fm_haz_plural(int64 n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---------- running a figure's query as the owner ---------- */

/*
 * fm_haz_fig_query_guts
 *		Run the deparsed query of a FigQuery, read-only, through SPI (rows
 *		in SPI_tuptable); a callback of fm_run_as_owner(), so it runs as
 *		the owner.  Anything but a SELECT result is an internal error.
 */
void
fm_haz_fig_query_guts(void *arg)
{
	FigQuery   *q = (FigQuery *) arg;
	int			rc;

	rc = SPI_execute_with_args(q->sql, q->nargs, q->argtypes, q->values,
							   NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "ferriorm hazard query failed: %s", SPI_result_code_string(rc));
}

/*
 * fig_select
 *		Run the read-only query sql (parameters optional) as role owner, in
 *		a security-restricted operation, with row security off; the rows
 *		are left in SPI_tuptable / SPI_processed.  The text is parsed on the
 *		plan's search_path (as owner, restricted: parse analysis runs type
 *		input functions), and executed as deparsed for the safe path: see
 *		fm_deparse_on_safe_path().
 */
void
fm_haz_fig_select(Oid owner, const char *sql, int nargs, Oid *argtypes, Datum *values)
{
	FigQuery	q;

	q.sql = fm_deparse_on_safe_path(owner, sql, nargs, argtypes);
	q.nargs = nargs;
	q.argtypes = argtypes;
	q.values = values;
	fm_run_as_owner(owner, FM_OWNER_ROW_SECURITY_OFF, fm_haz_fig_query_guts, &q);
}

/*
 * Run a query returning one row of one or two bigints (NULL counts as 0),
 * as owner (see fig_select); args optional; the second column goes to
 * *second when given.
 */
int64
fm_haz_count_query2_as(Oid owner, const char *sql, int nargs, Oid *argtypes,
				Datum *values, int64 *second)
{
	bool		isnull;
	Datum		d;
	int64		result;

	fm_haz_fig_select(owner, sql, nargs, argtypes, values);
	if (SPI_processed != 1)
		elog(ERROR, "ferriorm hazard query returned " UINT64_FORMAT " rows",
			 (uint64) SPI_processed);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	result = isnull ? 0 : DatumGetInt64(d);
	if (second != NULL)
	{
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		*second = isnull ? 0 : DatumGetInt64(d);
	}
	SPI_freetuptable(SPI_tuptable);
	return result;
}

/* the same, as the owner of the step's table */
int64
fm_haz_count_query2(HazCtx *cx, const char *sql, int nargs, Oid *argtypes,
			 Datum *values, int64 *second)
{
	return fm_haz_count_query2_as(cx->owner, sql, nargs, argtypes, values, second);
}

/*
 * fm_haz_count_query
 *		One bigint computed by sql as the owner of the step's table (NULL
 *		counts as 0).
 */
int64
fm_haz_count_query(HazCtx *cx, const char *sql, int nargs, Oid *argtypes, Datum *values)
{
	return fm_haz_count_query2(cx, sql, nargs, argtypes, values, NULL);
}

/*
 * The OID of table schema.name (NULL schema: by the search path),
 * InvalidOid when it does not exist.  No lock is taken.
 */
Oid
fm_haz_table_oid(const char *schema, const char *name)
{
	Oid			nsp;

	if (schema == NULL)
		return RelnameGetRelid(name);
	nsp = get_namespace_oid(schema, true);
	return OidIsValid(nsp) ? get_relname_relid(name, nsp) : InvalidOid;
}

/* The number of rows of the step's table, counted as its owner. */
int64
fm_haz_rows_of(HazCtx *cx)
{
	return fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s", cx->qtable),
					   0, NULL, NULL);
}

/*
 * "OPERATOR(schema.name)" of the default equality operator of a type, or
 * NULL when it has none.
 */
char *
fm_haz_eq_operator(Oid typid)
{
	TypeCacheEntry *tce;
	HeapTuple	tup;
	char	   *result = NULL;

	if (!OidIsValid(typid))
		return NULL;
	tce = lookup_type_cache(typid, TYPECACHE_EQ_OPR);
	if (!OidIsValid(tce->eq_opr))
		return NULL;
	tup = SearchSysCache1(OPEROID, ObjectIdGetDatum(tce->eq_opr));
	if (HeapTupleIsValid(tup))
	{
		Form_pg_operator op = (Form_pg_operator) GETSTRUCT(tup);
		char	   *nsp = get_namespace_name(op->oprnamespace);

		if (nsp != NULL)
			result = psprintf("OPERATOR(%s.%s)", quote_identifier(nsp),
							  NameStr(op->oprname));
		ReleaseSysCache(tup);
	}
	return result;
}

/* "a = b" with the equality operator of type typid; NULL never equal */
static char *
equal_sql(Oid typid, const char *a, const char *b)
{
	char	   *op = fm_haz_eq_operator(typid);

	if (op == NULL)
		return psprintf("COALESCE(CAST(%s AS pg_catalog.text) OPERATOR(pg_catalog.=) "
						"CAST(%s AS pg_catalog.text), false)", a, b);
	return psprintf("COALESCE(%s %s %s, false)", a, op, b);
}

/* Does live table t have column col?  False when either is NULL. */
bool
fm_haz_live_has_column(const FmTable *t, const char *col)
{
	return t != NULL && col != NULL && fm_table_find_column(t, col) != NULL;
}

/* Is live column col of lt renamed away by another column of dt (@renamed)? */
static bool
renamed_away(const FmTable *dt, const FmTable *lt, const char *col)
{
	for (int i = 0; i < dt->columns.n; i++)
	{
		const FmColumn *c = fm_list_get(&dt->columns, i, FmColumn);

		if (FM_COL_MORE(c)->renamed_from != NULL &&
			strcmp(FM_COL_MORE(c)->renamed_from, col) == 0 &&
			strcmp(c->name, col) != 0 && !fm_haz_live_has_column(lt, c->name))
			return true;
	}
	return false;
}

/*
 * fm_haz_live_column
 *		See hazards_int.h: the live column that dt's column col is read
 *		from before the plan runs: the one it is renamed from (@renamed)
 *		when lt has that, else col itself when lt has it and no other
 *		column is renamed from it, else NULL (a new column, also one that
 *		takes the old name of a renamed column).
 */
const char *
fm_haz_live_column(const FmTable *dt, const FmTable *lt, const char *col)
{
	const FmColumn *dc;

	if (dt == NULL || lt == NULL || col == NULL)
		return col;
	dc = fm_table_find_column(dt, col);
	if (dc != NULL && FM_COL_MORE(dc)->renamed_from != NULL &&
		fm_haz_live_has_column(lt, FM_COL_MORE(dc)->renamed_from) &&
		!fm_haz_live_has_column(lt, col))
		return FM_COL_MORE(dc)->renamed_from;
	if (fm_haz_live_has_column(lt, col) && !renamed_away(dt, lt, col))
		return col;
	return NULL;
}

/*
 * fm_haz_renamed_relation
 *		See hazards_int.h.  The subquery lists dt's columns as the plan
 *		leaves them: each from its live column (fm_haz_live_column), and a
 *		new column that takes a renamed column's old name as NULL (it has
 *		no value yet).  Every name is quoted; the caller gives the subquery
 *		its alias.
 */
char *
fm_haz_renamed_relation(const FmTable *dt, const FmTable *lt, bool *renamed)
{
	StringInfoData buf;
	char	   *q = fm_haz_qname(lt->schema, lt->name);

	*renamed = false;
	if (dt == NULL)
		return q;
	for (int i = 0; i < dt->columns.n && !*renamed; i++)
	{
		const FmColumn *c = fm_list_get(&dt->columns, i, FmColumn);
		const char *live = fm_haz_live_column(dt, lt, c->name);

		*renamed = live != NULL ? strcmp(live, c->name) != 0 :
			fm_haz_live_has_column(lt, c->name);
	}
	if (!*renamed)
		return q;
	initStringInfo(&buf);
	for (int i = 0; i < dt->columns.n; i++)
	{
		const FmColumn *c = fm_list_get(&dt->columns, i, FmColumn);
		const char *live = fm_haz_live_column(dt, lt, c->name);

		if (live != NULL)
			appendStringInfo(&buf, "%sx.%s AS %s", buf.len ? ", " : "",
							 quote_identifier(live), quote_identifier(c->name));
		else if (fm_haz_live_has_column(lt, c->name))
			appendStringInfo(&buf, "%sNULL AS %s", buf.len ? ", " : "",
							 quote_identifier(c->name));
	}
	return psprintf("(SELECT %s FROM %s x)", buf.data, q);
}

/* Table schema.name of model m, or NULL (also when m or name is NULL). */
const FmTable *
fm_haz_find_table(const FmModel *m, const char *schema, const char *name)
{
	if (m == NULL || name == NULL)
		return NULL;
	return fm_model_find_table(m, schema, name);
}

/*
 * fm_haz_type_change
 *		Fill tc for the step's type change: the quoted column, the old and
 *		new type names and the SQL condition that is true when a value
 *		survives the conversion (see TypeChange).  False when the figure
 *		cannot be computed: the column is not live, or the step lacks the
 *		types.  Types are parsed on the current search_path, missing ones
 *		give InvalidOid (conversion then goes through text).
 */
bool
fm_haz_type_change(HazCtx *cx, TypeChange *tc)
{
	const FmStep *s = cx->step;
	char	   *conv;
	Oid			oldoid;
	Oid			newoid;
	int32		typmod;
	bool		direct;

	if (!fm_haz_live_has_column(cx->ltable, s->hazard_column) ||
		s->hazard_extra == NULL || s->hazard_old_type == NULL)
		return false;
	tc->oldtype = s->hazard_old_type;
	tc->newtype = s->hazard_extra;
	tc->qcol = pstrdup(quote_identifier(s->hazard_column));
	if (s->hazard_using != NULL)
		conv = psprintf("(%s)", s->hazard_using);
	else
		conv = psprintf("CAST(%s AS %s)", tc->qcol, tc->newtype);

#if PG_VERSION_NUM >= 160000
	if (!parseTypeString(tc->oldtype, &oldoid, &typmod, NULL))
		oldoid = InvalidOid;
	if (!parseTypeString(tc->newtype, &newoid, &typmod, NULL))
		newoid = InvalidOid;
#else
	parseTypeString(tc->oldtype, &oldoid, &typmod, true);
	parseTypeString(tc->newtype, &newoid, &typmod, true);
#endif
	direct = OidIsValid(oldoid) && OidIsValid(newoid) &&
		can_coerce_type(1, &newoid, &oldoid, COERCION_EXPLICIT);
	/*
	 * ALTER TYPE without USING converts as an assignment does: a string
	 * too long for character varying(n) or character(n) is an error there,
	 * where the explicit cast of check truncates it.
	 */
	tc->conv = conv;
	tc->fails = NULL;
	if (s->hazard_using == NULL && OidIsValid(newoid) && typmod > VARHDRSZ)
	{
		Oid			elem = get_element_type(newoid);

		if (newoid == VARCHAROID || newoid == BPCHAROID)
			tc->fails = psprintf("pg_catalog.length(pg_catalog.rtrim(CAST(%s AS pg_catalog.text), ' ')) "
								 "OPERATOR(pg_catalog.>) %d",
								 tc->qcol, typmod - VARHDRSZ);
		else if ((elem == VARCHAROID || elem == BPCHAROID) && OidIsValid(oldoid) &&
				 OidIsValid(get_element_type(oldoid)))
			/* an array: each element is converted so */
			tc->fails = psprintf("EXISTS (SELECT FROM pg_catalog.unnest(%s) e(v) "
								 "WHERE pg_catalog.length(pg_catalog.rtrim(CAST(e.v AS pg_catalog.text), ' ')) "
								 "OPERATOR(pg_catalog.>) %d)",
								 tc->qcol, typmod - VARHDRSZ);
	}
	/* the value is never NULL here: equal, or lost */
	if (direct)
		tc->check = equal_sql(oldoid,
							  psprintf("CAST(%s AS %s)", conv, tc->oldtype),
							  tc->qcol);
	else
		tc->check = equal_sql(oldoid,
							  psprintf("CAST(CAST(%s AS pg_catalog.text) AS %s)",
									   conv, tc->oldtype),
							  tc->qcol);
	return true;
}

/* every live column of enum schema.name: (FmTable *, FmColumn *) pairs */
List *
fm_haz_enum_columns(const FmModel *live, const char *schema, const char *name)
{
	List	   *result = NIL;

	for (int i = 0; i < live->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&live->tables, i, FmTable);

		CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < t->columns.n; j++)
		{
			FmColumn   *c = fm_list_get(&t->columns, j, FmColumn);

			if (c->type.kind == FM_TYPE_ENUM &&
				fm_streq(c->type.enum_schema, schema) &&
				fm_streq(c->type.enum_name, name))
			{
				result = lappend(result, t);
				result = lappend(result, c);
			}
		}
	}
	return result;
}
