/*-------------------------------------------------------------------------
 *
 * normalize_srv.c
 *	  Server-side normalization: rewrite the desired model's text into the
 *	  form PostgreSQL stores, so that an up-to-date database plans to
 *	  nothing.
 *
 * PostgreSQL itself does the work, with no catalog writes: types go through
 * parseTypeString() and format_type_with_typemod(); defaults through
 * raw_parser() and cookDefault() (the code path of CREATE TABLE); CHECK
 * expressions, index predicates and index expressions through raw_parser()
 * and transformExpr() against the live table; everything is deparsed by
 * pg_get_expr(), exactly as introspection reads the catalog.
 *
 * Only text that differs from the live object it corresponds to is
 * normalized, so the cost of an up-to-date plan is mostly the comparison.
 * All requests run in one subtransaction; if any of them fails (a user
 * expression that does not parse, a function that does not exist yet), they
 * are redone one subtransaction each and the failing ones keep the user's
 * text: the plan then shows them, and applying it reports the real error.
 * Only errors of the text itself (classes 42, 22, 0A) are handled so; any
 * other error (lock or statement timeout, cancel, deadlock, out of memory,
 * stack depth, I/O, corruption, internal) fails the plan unchanged.
 *
 * Parsing against a live table opens it, and so locks it (ACCESS SHARE,
 * until the end of the transaction).  The table is the one introspection
 * read (by OID, never looked up again by name), and the caller's right to
 * lock it is checked first, on catalog rows only (security.c): a caller
 * without it gets an error naming the table, before any lock is requested.
 *
 * src/backend/normalize_srv.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/table.h"
#include "access/transam.h"
#include "access/xact.h"
#include "catalog/heap.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "nodes/value.h"
#include "optimizer/optimizer.h"
#include "parser/parse_coerce.h"
#include "parser/parse_collate.h"
#include "parser/parse_expr.h"
#include "parser/parse_relation.h"
#include "parser/parse_type.h"
#include "parser/parse_utilcmd.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/syscache.h"

#include "fm_plan_int.h"
#include "security.h"

typedef enum NormKind
{
	NK_TYPE,
	NK_DEFAULT,
	NK_CHECK,
	NK_PREDICATE,
	NK_INDEX_EXPR,				/* and partition key expressions */
	NK_BOUND,					/* a partition bound; lrel: the live parent */
	NK_CONST_ARRAY				/* a default, already normalized, that means
								 * the live one (same_const_array) */
} NormKind;

typedef struct NormReq
{
	NormKind	kind;
	char	  **target;			/* text to rewrite in place */
	FmArena    *arena;
	const FmLiveRel *lrel;		/* live table (CHECK, predicate, expr) */
	FmColumn   *column;			/* NK_DEFAULT: the desired column */
	const char *live;			/* the live object's text, or NULL */
	FmHashMap  *memo;			/* results of types and defaults (run_req) */
} NormReq;

typedef struct NormCtx
{
	FmModel    *desired;
	FmModel    *live;
	const FmLiveRels *rels;
	NormReq    *reqs;
	int			nreqs;
	int			maxreqs;
	FmHashMap	memo;			/* see memo_key() */
} NormCtx;

/*
 * add_req
 *		Queue a normalization request: *target (in the desired model's
 *		arena) is to be rewritten as the server would store it, for table
 *		lrel and column col where the kind needs them; live is the text of
 *		the live object it is compared with (NULL: none).  The queue grows
 *		in the current memory context.
 */
static void
add_req(NormCtx *cx, NormKind kind, char **target, const FmLiveRel *lrel,
		FmColumn *col, const char *live)
{
	if (cx->nreqs == cx->maxreqs)
	{
		cx->maxreqs = cx->maxreqs ? cx->maxreqs * 2 : 64;
		cx->reqs = cx->reqs ? repalloc(cx->reqs, sizeof(NormReq) * cx->maxreqs)
			: palloc(sizeof(NormReq) * cx->maxreqs);
	}
	cx->reqs[cx->nreqs].kind = kind;
	cx->reqs[cx->nreqs].target = target;
	cx->reqs[cx->nreqs].arena = cx->desired->arena;
	cx->reqs[cx->nreqs].lrel = lrel;
	cx->reqs[cx->nreqs].column = col;
	cx->reqs[cx->nreqs].memo = &cx->memo;
	cx->reqs[cx->nreqs].live = live;
	cx->nreqs++;
}

/* ---------- the server's parser and deparser ---------- */

/* one SQL expression; rejects anything that is not exactly that */
static Node *
parse_one_expr(const char *text)
{
	char	   *sql = psprintf("SELECT (%s)", text);
	List	   *raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	RawStmt    *rs;
	SelectStmt *sel;

	if (list_length(raw) != 1)
		goto bad;
	rs = linitial_node(RawStmt, raw);
	if (!IsA(rs->stmt, SelectStmt))
		goto bad;
	sel = (SelectStmt *) rs->stmt;
	if (sel->op != SETOP_NONE || sel->fromClause || sel->whereClause ||
		sel->groupClause || sel->havingClause || sel->windowClause ||
		sel->sortClause || sel->limitCount || sel->limitOffset ||
		sel->distinctClause || sel->intoClause || sel->lockingClause ||
		sel->withClause || sel->valuesLists ||
		list_length(sel->targetList) != 1)
		goto bad;
	return ((ResTarget *) linitial(sel->targetList))->val;

bad:
	ereport(ERROR,
			(errcode(ERRCODE_SYNTAX_ERROR),
			 errmsg("invalid expression \"%s\"", text)));
	return NULL;				/* keep compiler quiet */
}

static char *
deparse(Node *expr, Oid relid)
{
	Datum		d;

	d = DirectFunctionCall2(pg_get_expr,
							CStringGetTextDatum(nodeToString(expr)),
							ObjectIdGetDatum(relid));
	return TextDatumGetCString(d);
}

static void
resolve_type(const char *sql, Oid *typid, int32 *typmod)
{
#if PG_VERSION_NUM >= 160000
	if (!parseTypeString(sql, typid, typmod, NULL))
		*typid = InvalidOid;
#else
	parseTypeString(sql, typid, typmod, true);
#endif
}

/*
 * the desired column's type as an OID (an enum list's: the enum's array
 * type); InvalidOid when it does not exist
 */
static void
column_type(FmColumn *c, Oid *typid, int32 *typmod)
{
	*typid = InvalidOid;
	*typmod = -1;
	if (c->type.kind == FM_TYPE_ENUM)
	{
		Oid			nsp;

		if (c->type.enum_schema == NULL || c->type.enum_name == NULL)
			return;
		nsp = get_namespace_oid(c->type.enum_schema, true);
		if (OidIsValid(nsp))
			*typid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
									 CStringGetDatum(c->type.enum_name),
									 ObjectIdGetDatum(nsp));
		/* an enum list (Role[]) is of the enum's array type */
		if (OidIsValid(*typid) && c->type.array)
			*typid = get_array_type(*typid);
	}
	else if (c->type.sql != NULL)
		resolve_type(c->type.sql, typid, typmod);
}

/* ruleutils.c's looks_like_function(): pg_get_indexdef() adds parens otherwise */
static bool
looks_like_function(Node *node)
{
	if (node == NULL)
		return false;
	switch (nodeTag(node))
	{
		case T_FuncExpr:
			return ((FuncExpr *) node)->funcformat == COERCE_EXPLICIT_CALL;
		case T_NullIfExpr:
		case T_CoalesceExpr:
		case T_MinMaxExpr:
		case T_SQLValueFunction:
		case T_XmlExpr:
			return true;
		default:
			break;
	}
	return false;
}

static ParseState *
pstate_for(Relation rel)
{
	ParseState *pstate = make_parsestate(NULL);
	ParseNamespaceItem *nsitem;

	nsitem = addRangeTableEntryForRelation(pstate, rel, AccessShareLock,
										   NULL, false, true);
	addNSItemToQuery(pstate, nsitem, true, true, true);
	return pstate;
}

static const char *const normalize_why =
"The plan parses the table's CHECK constraints, index predicates and index expressions against the table to compare them with the schema.";

/*
 * A partition bound ("FOR VALUES ..." or "DEFAULT") as the catalog holds
 * it: transformed against the live parent (transformPartitionBound, as
 * CREATE TABLE ... PARTITION OF does) and deparsed by pg_get_expr().
 */
static char *
normalize_bound(NormReq *r, const char *text)
{
	char	   *sql = psprintf("CREATE TABLE fm_partition PARTITION OF fm_parent %s", text);
	List	   *raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	RawStmt    *rs;
	CreateStmt *cs;
	Relation	parent;
	PartitionBoundSpec *spec;
	char	   *out;

	if (list_length(raw) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("invalid partition bound \"%s\"", text)));
	rs = linitial_node(RawStmt, raw);
	cs = (CreateStmt *) rs->stmt;
	if (!IsA(cs, CreateStmt) || cs->partbound == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("invalid partition bound \"%s\"", text)));
	parent = fm_open_checked(r->lrel->oid, r->lrel->schema, r->lrel->name,
							 AccessShareLock, normalize_why);
	spec = transformPartitionBound(make_parsestate(NULL), parent, cs->partbound);
	out = deparse((Node *) spec, InvalidOid);
	table_close(parent, NoLock);
	return out;
}

/* a memo entry: the request leaves its text as it is */
static const char memo_unchanged[] = "";

/* tag, a and (unless NULL) "\x1f" b, concatenated, palloc'd */
static char *
cat_key(char tag, const char *a, const char *b)
{
	size_t		la = strlen(a);
	size_t		lb = b ? strlen(b) : 0;
	char	   *k = palloc(la + lb + 3);

	k[0] = tag;
	memcpy(k + 1, a, la);
	if (b != NULL)
	{
		k[la + 1] = '\x1f';
		memcpy(k + la + 2, b, lb);
		k[la + lb + 2] = '\0';
	}
	else
		k[la + 1] = '\0';
	return k;
}

static bool const_array(Node *expr);

/*
 * const_element
 *		Is e an element const_array allows: a Const, a relabelling of one,
 *		or a cast of one by a built-in immutable function (ARRAY[1.5, -2]
 *		on a numeric[] column casts -2 with int4_numeric; 'x'::varchar(10)
 *		is a length coercion), or such an array?  No function of a user's
 *		runs when it is folded.
 */
static bool
const_element(Node *e)
{
	ListCell   *lc;

	/* the element an ArrayCoerceExpr's cast reads (const_array) */
	if (IsA(e, Const) || IsA(e, CaseTestExpr))
		return true;
	if (IsA(e, RelabelType))
		return const_element((Node *) ((RelabelType *) e)->arg);
	if (IsA(e, FuncExpr))
	{
		FuncExpr   *f = (FuncExpr *) e;

		if (f->funcformat == COERCE_EXPLICIT_CALL || f->funcid >= FirstGenbkiObjectId ||
			func_volatile(f->funcid) != PROVOLATILE_IMMUTABLE)
			return false;
		foreach(lc, f->args)
		{
			if (!const_element(lfirst(lc)))
				return false;
		}
		return true;
	}
	return const_array(e);
}

/*
 * const_array
 *		Is expr an array made of constants only: a Const of an array type,
 *		an ARRAY[...] whose elements are constants (const_element), or such
 *		an array with each element cast (ArrayCoerceExpr)?
 *		Folding one runs no function but the array constructor and casts
 *		built into the server.
 */
static bool
const_array(Node *expr)
{
	ListCell   *lc;

	if (IsA(expr, Const))
		return type_is_array(((Const *) expr)->consttype);
	/* '{x}'::varchar(10)[]: each element cast to the column's length */
	if (IsA(expr, ArrayCoerceExpr))
		return const_array((Node *) ((ArrayCoerceExpr *) expr)->arg) &&
			const_element((Node *) ((ArrayCoerceExpr *) expr)->elemexpr);
	if (!IsA(expr, ArrayExpr))
		return false;
	foreach(lc, ((ArrayExpr *) expr)->elements)
	{
		if (!const_element(lfirst(lc)))
			return false;
	}
	return true;
}

/*
 * same_const_array
 *		Does default text (normalized for r's column) mean the same value as
 *		the live default r->live, both being arrays of constants (const_array)
 *		that fold to the same constant?  '{}'::text[] (written by hand) and
 *		ARRAY[]::text[] (Prisma's @default([])) are one empty array: both are
 *		stored as written, and only their folded constants compare.
 */
static bool
same_const_array(NormReq *r, const char *text)
{
	Oid			typid;
	int32		typmod;
	Node	   *a,
			   *b;

	if (r->live == NULL || strcmp(text, r->live) == 0)
		return false;
	column_type(r->column, &typid, &typmod);
	if (!OidIsValid(typid))
		return false;
	a = cookDefault(make_parsestate(NULL), parse_one_expr(text), typid, typmod,
					r->column->name, '\0');
	b = cookDefault(make_parsestate(NULL), parse_one_expr(r->live), typid, typmod,
					r->column->name, '\0');
	if (!const_array(a) || !const_array(b))
		return false;
	a = eval_const_expressions(NULL, a);
	b = eval_const_expressions(NULL, b);
	return IsA(a, Const) && IsA(b, Const) &&
		strcmp(deparse(a, InvalidOid), deparse(b, InvalidOid)) == 0;
}

/*
 * memo_key
 *		What the result of request r depends on besides its text, as a
 *		string in the current memory context (the memo copies it when it
 *		keeps it), for the memo of results (NormCtx.memo); NULL when r is
 *		not memoized.  A type is normalized by its text alone; a default by
 *		its text and its column's type (the enum, or the type's text, which
 *		the column's type request has already normalized: it runs first).
 *		Expressions parsed against a table are not memoized.  Only results
 *		are kept, never errors, so a request that fails fails in each column.
 *		A schema states the same defaults for many columns (now(), 0, an
 *		enum's first label), so most of them are then normalized once.
 */
static const char *
memo_key(NormReq *r)
{
	const FmType *t;

	if (r->kind == NK_TYPE)
		return "t";
	if (r->kind != NK_DEFAULT)
		return NULL;
	t = &r->column->type;
	if (t->kind == FM_TYPE_ENUM)
		return t->enum_schema == NULL || t->enum_name == NULL ? NULL :
			cat_key('e', t->enum_schema, t->enum_name);
	return t->sql == NULL ? "n" : cat_key('s', t->sql, NULL);
}

/*
 * normalize_once
 *		The text of request r's kind for text, as the server stores and
 *		deparses it (see run_req), in the current memory context; NULL when
 *		there is nothing to rewrite (an unknown type, a default that is not
 *		the live constant array).  *no_predicate: an index predicate that is
 *		constant true, which DefineIndex does not store.  Errors propagate.
 */
static char *
normalize_once(NormReq *r, const char *text, bool *no_predicate)
{
	char	   *out = NULL;

	*no_predicate = false;
	switch (r->kind)
	{
		case NK_TYPE:
			{
				Oid			typid;
				int32		typmod;

				resolve_type(text, &typid, &typmod);
				if (OidIsValid(typid))
					out = format_type_with_typemod(typid, typmod);
				break;
			}
		case NK_DEFAULT:
			{
				Oid			typid;
				int32		typmod;
				ParseState *pstate;
				Node	   *expr;

				column_type(r->column, &typid, &typmod);
				if (!OidIsValid(typid))
					break;
				pstate = make_parsestate(NULL);
				expr = cookDefault(pstate, parse_one_expr(text), typid, typmod,
								   r->column->name, '\0');
				out = deparse(expr, InvalidOid);
				break;
			}
		case NK_CHECK:
		case NK_PREDICATE:
		case NK_INDEX_EXPR:
			{
				Relation	rel = fm_open_checked(r->lrel->oid, r->lrel->schema,
												  r->lrel->name, AccessShareLock,
												  normalize_why);
				ParseState *pstate = pstate_for(rel);
				Node	   *expr = parse_one_expr(text);

				if (r->kind == NK_CHECK)
				{
					expr = transformExpr(pstate, expr, EXPR_KIND_CHECK_CONSTRAINT);
					expr = coerce_to_boolean(pstate, expr, "CHECK");
				}
				else if (r->kind == NK_PREDICATE)
				{
					expr = transformExpr(pstate, expr, EXPR_KIND_INDEX_PREDICATE);
					expr = coerce_to_boolean(pstate, expr, "WHERE");
					/* constant true: DefineIndex stores no predicate */
					if (IsA(expr, Const) && !((Const *) expr)->constisnull &&
						DatumGetBool(((Const *) expr)->constvalue))
					{
						table_close(rel, NoLock);
						*no_predicate = true;
						return NULL;
					}
				}
				else
					expr = transformExpr(pstate, expr, EXPR_KIND_INDEX_EXPRESSION);
				assign_expr_collations(pstate, expr);
				out = deparse(expr, r->lrel->oid);
				/* as introspection reads it: pg_get_indexdef(index, column) */
				if (r->kind == NK_INDEX_EXPR && !looks_like_function(expr))
					out = psprintf("(%s)", out);
				table_close(rel, NoLock);
				break;
			}
		case NK_BOUND:
			out = normalize_bound(r, text);
			break;
		case NK_CONST_ARRAY:
			if (same_const_array(r, text))
				out = pstrdup(r->live);
			break;
	}
	return out;
}

/*
 * run_req
 *		Normalize one request in place: a type through the type parser and
 *		format_type; a default cooked for its column's type; a CHECK, index
 *		predicate or index expression (or partition key expression)
 *		transformed against the live table (opened with the privilege checks
 *		of fm_open_checked) and deparsed as pg_get_* would show it; a
 *		partition bound against the live parent (normalize_bound); a
 *		default that is the live one spelt otherwise becomes the live text
 *		(NK_CONST_ARRAY: same_const_array).  A
 *		predicate that is constant true becomes NULL (no predicate is stored
 *		then).  The result is copied to the model's arena; errors propagate
 *		(callers run it protected).  Types and defaults go through the memo
 *		of results (memo_key).
 *
 * An expression whose text still differs from the live one is normalized
 * once more, from the server's own text: that text is what the plan
 * renders, and PostgreSQL's deparser does not always write what its parser
 * reads back into the same tree.  A NOT IN or BETWEEN expanded into an AND
 * and then joined by AND is deparsed as ((a AND b) AND c), which the
 * grammar reads as the flat a AND b AND c: a plan that re-creates such a
 * CHECK from its deparsed text would otherwise differ from it forever.
 * A constraint made from the user's own text is stored as the first pass
 * reads it, so the first result is kept whenever it is the live one; and
 * when the result still differs, the live text is read back as well: if
 * it gives the result, the two are one expression spelt nested and flat
 * (a pull prints the flat one: fm_normalize_pulled), and the live text is
 * kept, so that nothing is re-created for it.
 */
static void
run_req(NormReq *r)
{
	char	   *text = *r->target;
	char	   *out = NULL;
	const char *key = memo_key(r);
	bool		no_predicate;

	if (text == NULL)
		return;
	if (key != NULL)
	{
		const char *hit = fm_hash_get2(r->memo, key, text);

		if (hit == memo_unchanged)
			return;
		if (hit != NULL)
			out = pstrdup(hit);
	}
	if (out == NULL)
	{
		out = normalize_once(r, text, &no_predicate);
		if (no_predicate)
		{
			*r->target = NULL;
			return;
		}
		if (key != NULL)
			fm_hash_put2(r->arena, r->memo, fm_strdup(r->arena, key), text,
						 out != NULL ? fm_strdup(r->arena, out) :
						 (char *) memo_unchanged);
	}
	if (out != NULL && r->live != NULL && r->kind != NK_CONST_ARRAY &&
		r->kind != NK_TYPE && r->kind != NK_BOUND && strcmp(out, r->live) != 0)
	{
		if (strcmp(out, text) != 0)
		{
			char	   *again = normalize_once(r, out, &no_predicate);

			if (no_predicate)
			{
				*r->target = NULL;
				return;
			}
			if (again != NULL)
				out = again;
		}
		/* the live text, read back, is the same tree: keep the live one */
		if (strcmp(out, r->live) != 0)
		{
			char	   *live_again = normalize_once(r, r->live, &no_predicate);

			if (!no_predicate && live_again != NULL &&
				strcmp(live_again, out) == 0)
				out = pstrdup(r->live);
		}
	}
	if (out != NULL)
		*r->target = fm_strdup(r->arena, out);
}

/*
 * One request in its own short-lived memory context: parse trees and
 * deparsed text are garbage once the result is copied to the model's arena.
 */
static void
run_req_guts(void *arg)
{
	NormReq    *r = (NormReq *) arg;
	MemoryContext reqcxt = AllocSetContextCreate(CurrentMemoryContext,
												 "ferriorm normalize",
												 ALLOCSET_SMALL_SIZES);
	MemoryContext oldcxt = MemoryContextSwitchTo(reqcxt);

	run_req(r);
	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(reqcxt);
}

/*
 * run_req_scoped
 *		Run one request as the owner of the live table it is parsed for
 *		(fm_parse_as_owner): parse analysis converts literals with their
 *		types' input functions, and that of an array of a domain checks the
 *		domain's constraints, which may call any function.  A plan made by a
 *		superuser must not run the function of the table's owner (or of
 *		whoever owns a type its columns use) with superuser rights.  When
 *		the caller lacks the owner's privileges, the text is left as written
 *		(compared as text).  Requests without a table (column types, which
 *		run no user code, and defaults of tables this database does not
 *		have) run as the caller.
 */
static void
run_req_scoped(NormReq *r)
{
	Oid			owner;

	if (r->lrel == NULL)
	{
		run_req_guts(r);
		return;
	}
	owner = fm_relation_owner(r->lrel->oid);
	if (!OidIsValid(owner))
		fm_report_vanished_table(r->lrel->schema, r->lrel->name);
	(void) fm_parse_as_owner(owner, run_req_guts, r);
}

static void
run_all(void *arg)
{
	NormCtx    *cx = (NormCtx *) arg;

	for (int i = 0; i < cx->nreqs; i++)
	{
		CHECK_FOR_INTERRUPTS();
		run_req_scoped(&cx->reqs[i]);
	}
}

static void
run_one(void *arg)
{
	CHECK_FOR_INTERRUPTS();
	run_req_scoped((NormReq *) arg);
}

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
							   normalize_why);
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
 * in the form the desired model uses.
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
		if (lix != NULL && index_is_plain_key(lix, dk, !dt->keep_unstated))
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
			add_req(cx, NK_TYPE, &dc->type.sql, NULL, NULL, NULL);
			typereq = true;
		}
		if (dc->default_sql != NULL && lc->default_sql != NULL &&
			!fm_streq(dc->default_sql, lc->default_sql))
		{
			/* parsed as the table's owner (run_req_scoped); not opened */
			const FmLiveRel *lrel = cx->rels ? fm_live_rel(cx->rels, lt->schema, lt->name) : NULL;

			add_req(cx, NK_DEFAULT, &dc->default_sql, lrel, dc, lc->default_sql);
			/* runs after it: the same array of constants, spelt otherwise */
			add_req(cx, NK_CONST_ARRAY, &dc->default_sql, lrel, dc, lc->default_sql);
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
			add_req(cx, NK_CHECK, &dk->expr, lrel, NULL, lk->expr);
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
			add_req(cx, NK_PREDICATE, &dix->predicate, lrel, NULL, lix->predicate);
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
				add_req(cx, NK_INDEX_EXPR, &de->expr, lrel, NULL,
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
			add_req(cx, NK_INDEX_EXPR, &de->expr, lrel, NULL, le->expr);
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
								   AccessShareLock, normalize_why);
			add_req(cx, NK_BOUND, &dt->part_bound, prel, NULL, NULL);
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
				add_req(cx, NK_PREDICATE, &dx->predicate, lrel, NULL, lx->predicate);
		}
	}
	unify_uniques(cx->live, dt, lt);
#undef RELID
}

/* run the collected requests: all in one subtransaction, else one each */
static void
run_requests(NormCtx *cx)
{
	if (cx->nreqs == 0)
		return;
	if (!fm_run_protected(run_all, cx, false))
	{
		for (int k = 0; k < cx->nreqs; k++)
			(void) fm_run_protected(run_one, &cx->reqs[k], false);
	}
	cx->nreqs = 0;
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
	run_requests(&cx);

	for (int k = 0; k < npairs; k++)
	{
		CHECK_FOR_INTERRUPTS();
		collect_table(&cx, pairs[2 * k], pairs[2 * k + 1], types[k]);
	}
	run_requests(&cx);
	pfree(pairs);
	pfree(types);
}

/* does deparsed text hold an AND or an OR, which it may write nested? */
static bool
has_bool_op(const char *text)
{
	return text != NULL && (strstr(text, " AND ") != NULL ||
							strstr(text, " OR ") != NULL);
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

			if (c->autoinc == FM_AUTOINC_NONE && has_bool_op(c->default_sql))
				add_req(&cx, NK_DEFAULT, &c->default_sql, lrel, c, NULL);
		}
		if (lrel == NULL || !fm_may_lock_table(lrel->oid, AccessShareLock))
			continue;
		for (int j = 0; j < t->checks.n; j++)
		{
			FmCheck    *k = fm_list_get(&t->checks, j, FmCheck);

			if (has_bool_op(k->expr))
				add_req(&cx, NK_CHECK, &k->expr, lrel, NULL, NULL);
		}
		for (int j = 0; j < t->indexes.n; j++)
		{
			FmIndex    *ix = fm_list_get(&t->indexes, j, FmIndex);

			if (has_bool_op(ix->predicate))
				add_req(&cx, NK_PREDICATE, &ix->predicate, lrel, NULL, NULL);
			for (int e = 0; e < ix->elems.n; e++)
			{
				FmIndexElem *el = fm_list_get(&ix->elems, e, FmIndexElem);

				if (has_bool_op(el->expr))
					add_req(&cx, NK_INDEX_EXPR, &el->expr, lrel, NULL, NULL);
			}
		}
		for (int j = 0; j < t->exclusions.n; j++)
		{
			FmExclusion *x = fm_list_get(&t->exclusions, j, FmExclusion);

			if (has_bool_op(x->predicate))
				add_req(&cx, NK_PREDICATE, &x->predicate, lrel, NULL, NULL);
		}
	}
	run_requests(&cx);
}
