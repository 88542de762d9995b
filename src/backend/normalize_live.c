/*-------------------------------------------------------------------------
 *
 * normalize_live.c
 *	  What server-side normalization rewrites (normalize_srv.c runs it): for
 *	  a plan, the desired model's text that differs from the live object it
 *	  corresponds to, paired table by table (fm_normalize_for_live), and the
 *	  unique indexes and constraints that are one thing; for a pull, the
 *	  live expressions PostgreSQL deparses otherwise than it reads them back
 *	  (fm_normalize_pulled).  Table-level expressions are parsed against the
 *	  live table only once the caller's right to lock it is checked.
 *
 * src/backend/normalize_live.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_am.h"
#include "catalog/pg_opclass.h"
#include "commands/defrem.h"
#include "catalog/pg_namespace.h"
#include "miscadmin.h"
#include "storage/lockdefs.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "fm_plan_int.h"
#include "normalize_srv_int.h"
#include "security.h"

/* ---------- what needs normalizing ---------- */

/*
 * The live table to parse expressions against: the one introspection read,
 * once the caller's right to lock it is checked (no lock taken here).
 */
static const FmLiveRel *
live_rel_checked(NormCtx *cx, const FmTable *lt)
{
	const FmLiveRel *r = fm_live_rel(cx->rels, lt->schema, lt->name);

	if (r != NULL)
		fm_require_lock_rights(r->oid, r->schema, r->name, AccessShareLock,
							   fm_normalize_why);
	return r;
}

/*
 * The column of t named name; hint is where it is most likely (the same
 * position as in the other model: columns are usually in the same order),
 * tried first, so that matching a table's columns is linear.
 */
static FmColumn *
find_col(const FmTable *t, const char *name, int hint)
{
	if (hint < t->columns.n)
	{
		FmColumn   *c = fm_list_get(&t->columns, hint, FmColumn);

		if (fm_streq(c->name, name))
			return c;
	}
	return fm_table_find_column(t, name);
}

static FmIndex *
find_index(const FmTable *t, const char *name)
{
	for (int i = 0; i < t->indexes.n; i++)
	{
		FmIndex    *ix = fm_list_get(&t->indexes, i, FmIndex);

		if (fm_streq(ix->name, name))
			return ix;
	}
	return NULL;
}

static FmKey *
find_unique(const FmTable *t, const char *name)
{
	for (int i = 0; i < t->uniques.n; i++)
	{
		FmKey	   *k = fm_list_get(&t->uniques, i, FmKey);

		if (fm_streq(k->name, name))
			return k;
	}
	return NULL;
}

static bool
is_btree(const char *method)
{
	return method == NULL || strcmp(method, "btree") == 0;
}

/* ASC is the default; NULLS LAST is the default for ASC, FIRST for DESC */
static void
canonical_order(FmIndex *ix)
{
	for (int i = 0; i < ix->elems.n; i++)
	{
		FmIndexElem *el = fm_list_get(&ix->elems, i, FmIndexElem);

		if (!is_btree(ix->method))
			continue;
		if (el->sort == FM_SORT_ASC)
			el->sort = FM_SORT_DEFAULT;
		if (el->sort == FM_SORT_DESC && el->nulls == FM_NULLS_FIRST)
			el->nulls = FM_NULLS_DEFAULT;
		if (el->sort != FM_SORT_DESC && el->nulls == FM_NULLS_LAST)
			el->nulls = FM_NULLS_DEFAULT;
	}
}

/*
 * fm_model_opclass
 *		Set el's operator class from pg_opclass row opclass, as the model
 *		holds it: none when it is the method's default, else its name and,
 *		unless it is pg_catalog, its schema.  Introspection and the
 *		normalization of desired names below share it, so that the two
 *		compare equal.
 */
void
fm_model_opclass(FmArena *arena, FmIndexElem *el, Oid opclass)
{
	HeapTuple	tup;
	Form_pg_opclass opc;

	tup = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclass));
	if (!HeapTupleIsValid(tup))
		return;
	opc = (Form_pg_opclass) GETSTRUCT(tup);
	if (opc->opcdefault)
	{
		el->opclass = NULL;
		el->opclass_schema = NULL;
	}
	else
	{
		char	   *nsp = opc->opcnamespace == PG_CATALOG_NAMESPACE ? NULL :
			get_namespace_name(opc->opcnamespace);

		el->opclass = fm_strdup(arena, NameStr(opc->opcname));
		el->opclass_schema = nsp ? fm_strdup(arena, nsp) : NULL;
	}
	ReleaseSysCache(tup);
}

/*
 * A desired operator class, looked up as CREATE INDEX would (qualified, or
 * on the search_path), in the form introspection gives; left as written
 * when it does not exist (applying the plan reports that).
 */
static void
canonical_opclass(FmArena *arena, FmIndex *ix, FmIndexElem *el)
{
	Oid			amoid;
	Oid			opc;
	List	   *names;

	if (el->opclass == NULL)
		return;
	amoid = get_am_oid(ix->method ? ix->method : "btree", true);
	if (!OidIsValid(amoid))
		return;
	names = list_make1(makeString(el->opclass));
	if (el->opclass_schema != NULL)
		names = lcons(makeString(el->opclass_schema), names);
	opc = get_opclass_oid(amoid, names, true);
	if (OidIsValid(opc))
		fm_model_opclass(arena, el, opc);
}

/*
 * a unique index that is exactly a unique constraint on these columns
 * (element collations count unless !colls: the prisma dialect keeps them;
 * NULLS NOT DISTINCT counts)
 */
static bool
index_is_plain_key(const FmIndex *ix, const FmKey *k, bool colls)
{
	if (!ix->unique || !is_btree(ix->method) || ix->predicate != NULL ||
		ix->include.n != 0 || ix->elems.n != k->columns.n ||
		ix->nulls_not_distinct != k->nulls_not_distinct)
		return false;
	for (int i = 0; i < ix->elems.n; i++)
	{
		FmIndexElem *el = fm_list_get(&ix->elems, i, FmIndexElem);

		if (el->column == NULL || el->expr != NULL || el->opclass != NULL ||
			el->sort == FM_SORT_DESC || el->nulls != FM_NULLS_DEFAULT ||
			(colls && el->collation != NULL) ||
			!fm_streq(el->column, fm_list_get(&k->columns, i, char)))
			return false;
	}
	return true;
}

static bool
same_columns(const FmKey *a, const FmKey *b)
{
	if (a->columns.n != b->columns.n)
		return false;
	for (int i = 0; i < a->columns.n; i++)
		if (!fm_streq(fm_list_get(&a->columns, i, char),
					  fm_list_get(&b->columns, i, char)))
			return false;
	return true;
}

static void
list_remove(FmList *list, void *item)
{
	for (int i = 0; i < list->n; i++)
		if (list->items[i] == item)
		{
			memmove(&list->items[i], &list->items[i + 1],
					sizeof(void *) * (list->n - i - 1));
			list->n--;
			return;
		}
}

/*
 * A unique index and a unique constraint with the same name and the same
 * plain columns are the same thing for the plan: present the live object
 * in the form the desired model uses.  Not an invalid index, which is the
 * same as nothing (FmIndex.invalid).
 */
static void
unify_uniques(FmModel *live, FmTable *dt, FmTable *lt)
{
	for (int i = 0; i < dt->uniques.n; i++)
	{
		FmKey	   *dk = fm_list_get(&dt->uniques, i, FmKey);
		FmIndex    *lix;

		if (find_unique(lt, dk->name) != NULL)
			continue;
		lix = find_index(lt, dk->name);
		if (lix != NULL && !lix->invalid && index_is_plain_key(lix, dk, !dt->keep_unstated))
		{
			FmKey	   *k = fm_alloc(live->arena, sizeof(FmKey));

			k->name = lix->name;
			k->columns = dk->columns;
			k->nulls_not_distinct = lix->nulls_not_distinct;	/* the same */
			list_remove(&lt->indexes, lix);
			fm_list_append(live->arena, &lt->uniques, k);
		}
	}
	for (int i = 0; i < dt->indexes.n; i++)
	{
		FmIndex    *dix = fm_list_get(&dt->indexes, i, FmIndex);
		FmKey	   *lk;

		if (!dix->unique || find_index(lt, dix->name) != NULL)
			continue;
		lk = find_unique(lt, dix->name);
		if (lk != NULL && index_is_plain_key(dix, lk, !dt->keep_unstated))
		{
			FmIndex    *ix = fm_alloc(live->arena, sizeof(FmIndex));

			ix->name = lk->name;
			ix->unique = true;
			ix->nulls_not_distinct = lk->nulls_not_distinct;
			ix->method = fm_strdup(live->arena, dix->method ? dix->method : "btree");
			for (int j = 0; j < lk->columns.n; j++)
			{
				FmIndexElem *el = fm_alloc(live->arena, sizeof(FmIndexElem));

				el->column = fm_list_get(&lk->columns, j, char);
				fm_list_append(live->arena, &ix->elems, el);
			}
			list_remove(&lt->uniques, lk);
			fm_list_append(live->arena, &lt->indexes, ix);
		}
	}
	(void) same_columns;
}

static bool
is_text_type(const FmType *t)
{
	return t->kind == FM_TYPE_BUILTIN || t->kind == FM_TYPE_UNSUPPORTED;
}

/* do desired column dc and live column lc differ in type (as they are)? */
static bool
column_type_differs(const FmColumn *dc, const FmColumn *lc)
{
	if (dc->type.kind == FM_TYPE_ENUM || lc->type.kind == FM_TYPE_ENUM)
		return dc->type.kind != lc->type.kind ||
			!fm_streq(dc->type.enum_schema, lc->type.enum_schema) ||
			!fm_streq(dc->type.enum_name, lc->type.enum_name);
	return !fm_streq(dc->type.sql, lc->type.sql);
}

/*
 * Has column name the same type in desired table dt and live table lt (both
 * normalized: collect_table runs after the type requests)?
 */
static bool
same_column_type(const FmTable *dt, const FmTable *lt, const char *name)
{
	const FmColumn *dc = fm_table_find_column(dt, name);
	const FmColumn *lc = fm_table_find_column(lt, name);

	return dc != NULL && lc != NULL && !column_type_differs(dc, lc);
}

/* what collect_columns() knows of a table's column types */
typedef enum TypesChange
{
	TYPES_SAME,					/* no column changes type */
	TYPES_CHANGE,				/* a column changes type */
	TYPES_RECHECK				/* a type is normalized: ask again after */
} TypesChange;

/*
 * phase 1: column types and defaults.  Returns whether the plan changes the
 * type of a column of the table, when that is known already: it is unless
 * a type of the table is to be normalized (a column whose type text
 * differs from the live one, TYPES_RECHECK: see table_types_change).
 */
static TypesChange
collect_columns(NormCtx *cx, FmTable *dt, FmTable *lt)
{
	bool		typereq = false;
	bool		changes = false;

	for (int i = 0; i < dt->columns.n; i++)
	{
		FmColumn   *dc = fm_list_get(&dt->columns, i, FmColumn);
		FmColumn   *lc = find_col(lt, dc->name, i);

		if (lc == NULL)
			continue;
		if (is_text_type(&dc->type) && lc->type.kind == FM_TYPE_BUILTIN &&
			!fm_streq(dc->type.sql, lc->type.sql))
		{
			fm_norm_add_req(cx, NK_TYPE, &dc->type.sql, NULL, NULL, NULL);
			typereq = true;
		}
		if (dc->default_sql != NULL && lc->default_sql != NULL &&
			!fm_streq(dc->default_sql, lc->default_sql))
		{
			/* parsed as the table's owner (run_req_scoped); not opened */
			const FmLiveRel *lrel = cx->rels ? fm_live_rel(cx->rels, lt->schema, lt->name) : NULL;

			fm_norm_add_req(cx, NK_DEFAULT, &dc->default_sql, lrel, dc, lc->default_sql);
			/* runs after it: the same array of constants, spelt otherwise */
			fm_norm_add_req(cx, NK_CONST_ARRAY, &dc->default_sql, lrel, dc, lc->default_sql);
		}
		if (!changes && column_type_differs(dc, lc))
			changes = true;
	}
	return typereq ? TYPES_RECHECK : changes ? TYPES_CHANGE : TYPES_SAME;
}

/*
 * Does the plan change the type of a column of this table?  Called once the
 * types are normalized, so a different text is a different type (or one
 * the server does not know, which counts as a change too).
 */
static bool
table_types_change(const FmTable *dt, const FmTable *lt)
{
	for (int i = 0; i < dt->columns.n; i++)
	{
		FmColumn   *dc = fm_list_get(&dt->columns, i, FmColumn);
		FmColumn   *lc = find_col(lt, dc->name, i);

		if (lc != NULL && column_type_differs(dc, lc))
			return true;
	}
	return false;
}

/*
 * phase 2: CHECKs, index predicates and expressions, parsed against the
 * live table, so only when the plan changes no column type of it: text
 * normalized against a column's old type (a literal cast to the old enum,
 * say) would not apply once the plan has changed it.  Those keep the
 * user's text, and the diff re-creates them.  types is what
 * collect_columns() returned for the pair.
 */
static void
collect_table(NormCtx *cx, FmTable *dt, FmTable *lt, TypesChange types)
{
	const FmLiveRel *lrel = NULL;
	bool		lrel_done = false;
	bool		exprs = types == TYPES_RECHECK ? !table_types_change(dt, lt) :
		types == TYPES_SAME;

#define RELID() (lrel_done ? lrel : (lrel_done = true, lrel = live_rel_checked(cx, lt)))

	for (int i = 0; i < dt->checks.n && exprs; i++)
	{
		FmCheck    *dk = fm_list_get(&dt->checks, i, FmCheck);
		FmCheck    *lk = NULL;

		/* checks are matched by name; new ones keep the user's text */
		for (int j = 0; j < lt->checks.n && lk == NULL; j++)
			if (fm_streq(dk->name, fm_list_get(&lt->checks, j, FmCheck)->name))
				lk = fm_list_get(&lt->checks, j, FmCheck);
		if (lk != NULL && !fm_streq(dk->expr, lk->expr) && RELID() != NULL)
			fm_norm_add_req(cx, NK_CHECK, &dk->expr, lrel, NULL, lk->expr);
	}

	for (int i = 0; i < dt->indexes.n; i++)
	{
		FmIndex    *dix = fm_list_get(&dt->indexes, i, FmIndex);
		FmIndex    *lix = find_index(lt, dix->name);

		canonical_order(dix);
		if (lix == NULL)
			continue;
		if (exprs && dix->predicate != NULL &&
			!fm_streq(dix->predicate, lix->predicate) && RELID() != NULL)
			fm_norm_add_req(cx, NK_PREDICATE, &dix->predicate, lrel, NULL, lix->predicate);
		for (int j = 0; j < dix->elems.n; j++)
		{
			FmIndexElem *de = fm_list_get(&dix->elems, j, FmIndexElem);
			FmIndexElem *le = j < lix->elems.n ? fm_list_get(&lix->elems, j, FmIndexElem) : NULL;

			if (de->opclass != NULL &&
				(le == NULL || !fm_streq(de->opclass, le->opclass) ||
				 !fm_streq(de->opclass_schema, le->opclass_schema)))
				canonical_opclass(cx->desired->arena, dix, de);
			else if (dt->keep_unstated && de->opclass == NULL && le != NULL &&
					 le->opclass != NULL && de->column != NULL &&
					 fm_streq(de->column, le->column) &&
					 is_btree(dix->method) && is_btree(lix->method) &&
					 same_column_type(dt, lt, de->column))
			{
				/*
				 * Prisma Migrate reads no operator class of a B-tree index
				 * (text_pattern_ops...): in the prisma dialect an element
				 * that states none keeps the live one, as Prisma keeps it;
				 * not on a column that changes type (text_pattern_ops
				 * does not take an integer): the index is re-created
				 */
				de->opclass = fm_strdup(cx->desired->arena, le->opclass);
				de->opclass_schema = le->opclass_schema ?
					fm_strdup(cx->desired->arena, le->opclass_schema) : NULL;
			}
			if (exprs && de->expr != NULL &&
				(le == NULL || !fm_streq(de->expr, le->expr)) &&
				RELID() != NULL)
				fm_norm_add_req(cx, NK_INDEX_EXPR, &de->expr, lrel, NULL,
						le ? le->expr : NULL);
		}
	}
	/* partition key expressions, and a partition's bound (its parent's) */
	for (int i = 0; dt->partition_by && lt->partition_by && exprs &&
		 i < dt->partition_by->elems.n && i < lt->partition_by->elems.n; i++)
	{
		FmIndexElem *de = fm_list_get(&dt->partition_by->elems, i, FmIndexElem);
		FmIndexElem *le = fm_list_get(&lt->partition_by->elems, i, FmIndexElem);

		if (de->expr != NULL && !fm_streq(de->expr, le->expr) && RELID() != NULL)
			fm_norm_add_req(cx, NK_INDEX_EXPR, &de->expr, lrel, NULL, le->expr);
	}
	if (dt->part_bound != NULL && lt->part_parent != NULL &&
		fm_streq(dt->part_parent, lt->part_parent) &&
		fm_streq(dt->part_parent_schema, lt->part_parent_schema) &&
		!fm_streq(dt->part_bound, lt->part_bound))
	{
		const FmLiveRel *prel = fm_live_rel(cx->rels, lt->part_parent_schema,
											lt->part_parent);

		if (prel != NULL)
		{
			fm_require_lock_rights(prel->oid, prel->schema, prel->name,
								   AccessShareLock, fm_normalize_why);
			fm_norm_add_req(cx, NK_BOUND, &dt->part_bound, prel, NULL, NULL);
		}
	}
	/* exclusion constraints' predicates, matched by name like CHECKs */
	for (int i = 0; i < dt->exclusions.n && exprs; i++)
	{
		FmExclusion *dx = fm_list_get(&dt->exclusions, i, FmExclusion);

		for (int j = 0; j < lt->exclusions.n; j++)
		{
			FmExclusion *lx = fm_list_get(&lt->exclusions, j, FmExclusion);

			if (fm_streq(dx->name, lx->name) && dx->predicate != NULL &&
				!fm_streq(dx->predicate, lx->predicate) && RELID() != NULL)
				fm_norm_add_req(cx, NK_PREDICATE, &dx->predicate, lrel, NULL, lx->predicate);
		}
	}
	unify_uniques(cx->live, dt, lt);
#undef RELID
}

/*
 * fm_normalize_for_live
 *		See fm_plan_int.h.  Desired and live tables are paired by walking
 *		both sorted lists; column requests (types, defaults) run first in
 *		one batch, since the table-level ones (CHECKs, predicates, index
 *		expressions) compare against normalized columns; each batch runs in
 *		one subtransaction, and request by request when that fails.
 */
void
fm_normalize_for_live(FmModel *desired, FmModel *live, const FmLiveRels *rels)
{
	NormCtx		cx;
	int			i = 0;
	int			j = 0;
	FmTable   **pairs;
	TypesChange *types;
	int			npairs = 0;

	memset(&cx, 0, sizeof(cx));
	cx.desired = desired;
	cx.live = live;
	cx.rels = rels;
	fm_model_sort(desired);
	fm_model_sort(live);		/* sorted by introspection: one pass */
	pairs = palloc(sizeof(FmTable *) * 2 * (desired->tables.n > 0 ? desired->tables.n : 1));
	types = palloc(sizeof(TypesChange) * (desired->tables.n > 0 ? desired->tables.n : 1));

	/* both sorted by (schema, name): walk them together */
	while (i < desired->tables.n)
	{
		FmTable    *dt = fm_list_get(&desired->tables, i, FmTable);
		FmTable    *lt = j < live->tables.n ? fm_list_get(&live->tables, j, FmTable) : NULL;
		int			cmp;

		CHECK_FOR_INTERRUPTS();
		if (lt == NULL)
			cmp = -1;
		else
		{
			cmp = fm_strcmp_null(dt->schema, lt->schema);
			if (cmp == 0)
				cmp = fm_strcmp_null(dt->name, lt->name);
		}
		if (cmp < 0)
		{
			for (int k = 0; k < dt->indexes.n; k++)
				canonical_order(fm_list_get(&dt->indexes, k, FmIndex));
			i++;
		}
		else if (cmp > 0)
			j++;
		else
		{
			types[npairs] = collect_columns(&cx, dt, lt);
			pairs[2 * npairs] = dt;
			pairs[2 * npairs + 1] = lt;
			npairs++;
			i++;
			j++;
		}
	}
	fm_norm_run_requests(&cx);

	for (int k = 0; k < npairs; k++)
	{
		CHECK_FOR_INTERRUPTS();
		collect_table(&cx, pairs[2 * k], pairs[2 * k + 1], types[k]);
	}
	fm_norm_run_requests(&cx);
	pfree(pairs);
	pfree(types);
}

/*
 * May PostgreSQL read deparsed text back as an expression it deparses
 * otherwise?  An AND or an OR it may have written nested, and an array
 * cast as a whole: "x = ANY ((ARRAY['a'::varchar, 'b'::varchar])::text[])"
 * (what "x IN ('a', 'b')" on a varchar column stores) is read back with
 * each element cast, "ARRAY[('a'::varchar)::text, ...]", so a database
 * made from the pulled text would pull to other text.
 */
static bool
may_deparse_otherwise(const char *text)
{
	return text != NULL && (strstr(text, " AND ") != NULL ||
							strstr(text, " OR ") != NULL ||
							strstr(text, "(ARRAY[") != NULL);
}

/*
 * fm_normalize_pulled
 *		See fm_plan_int.h.  Defaults are cooked without opening their table;
 *		the expressions parsed against a table only where the caller may
 *		lock it (fm_may_lock_table): a pull that cannot keeps the catalog's
 *		text.  All requests in one subtransaction, else one each.
 */
void
fm_normalize_pulled(FmModel *m, const FmLiveRels *rels)
{
	NormCtx		cx;

	memset(&cx, 0, sizeof(cx));
	cx.desired = m;
	cx.live = m;
	cx.rels = rels;
	for (int i = 0; i < m->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);
		const FmLiveRel *lrel = rels ? fm_live_rel(rels, t->schema, t->name) : NULL;

		CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < t->columns.n; j++)
		{
			FmColumn   *c = fm_list_get(&t->columns, j, FmColumn);

			if (c->autoinc == FM_AUTOINC_NONE && may_deparse_otherwise(c->default_sql))
				fm_norm_add_req(&cx, NK_DEFAULT, &c->default_sql, lrel, c, NULL);
		}
		if (lrel == NULL || !fm_may_lock_table(lrel->oid, AccessShareLock))
			continue;
		for (int j = 0; j < t->checks.n; j++)
		{
			FmCheck    *k = fm_list_get(&t->checks, j, FmCheck);

			if (may_deparse_otherwise(k->expr))
				fm_norm_add_req(&cx, NK_CHECK, &k->expr, lrel, NULL, NULL);
		}
		for (int j = 0; j < t->indexes.n; j++)
		{
			FmIndex    *ix = fm_list_get(&t->indexes, j, FmIndex);

			if (may_deparse_otherwise(ix->predicate))
				fm_norm_add_req(&cx, NK_PREDICATE, &ix->predicate, lrel, NULL, NULL);
			for (int e = 0; e < ix->elems.n; e++)
			{
				FmIndexElem *el = fm_list_get(&ix->elems, e, FmIndexElem);

				if (may_deparse_otherwise(el->expr))
					fm_norm_add_req(&cx, NK_INDEX_EXPR, &el->expr, lrel, NULL, NULL);
			}
		}
		for (int j = 0; j < t->exclusions.n; j++)
		{
			FmExclusion *x = fm_list_get(&t->exclusions, j, FmExclusion);

			if (may_deparse_otherwise(x->predicate))
				fm_norm_add_req(&cx, NK_PREDICATE, &x->predicate, lrel, NULL, NULL);
		}
	}
	fm_norm_run_requests(&cx);
}
