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
 * This file is the engine: the requests, run by the server's parser and
 * deparser in subtransactions.  What is to be normalized, table by table,
 * is chosen by normalize_live.c.
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
#include "normalize_srv_int.h"
#include "security.h"

/*
 * fm_norm_add_req
 *		Queue a normalization request: *target (in the desired model's
 *		arena) is to be rewritten as the server would store it, for table
 *		lrel and column col where the kind needs them; live is the text of
 *		the live object it is compared with (NULL: none).  The queue grows
 *		in the current memory context.
 */
void
fm_norm_add_req(NormCtx *cx, NormKind kind, char **target, const FmLiveRel *lrel,
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

const char *const fm_normalize_why =
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
							 AccessShareLock, fm_normalize_why);
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
 * live_default_typed
 *		Is the live default of r's column (r->live) free of a user-made
 *		type other than the column's own?  ALTER COLUMN TYPE keeps the old
 *		default, coerced only when it is evaluated: ARRAY[]::status[] on a
 *		column now text[] cooks to the same empty text[] as the stated
 *		default, yet it still names the old enum, with no dependency on it
 *		when the array is empty.  Kept as "the same", the enum could then be
 *		dropped under it ("cache lookup failed for type" on every insert).
 *		Built-in types are left alone: the live text of a bigint column's
 *		DEFAULT 0 reads back as an integer, and is the same default.
 */
static bool
live_default_typed(NormReq *r)
{
	Oid			typid;
	int32		typmod;
	Oid			live;
	Oid			elem;

	column_type(r->column, &typid, &typmod);
	live = exprType(transformExpr(make_parsestate(NULL), parse_one_expr(r->live),
								  EXPR_KIND_COLUMN_DEFAULT));
	if (live == typid)
		return true;
	elem = get_element_type(live);
	return (OidIsValid(elem) ? elem : live) < FirstNormalObjectId;
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
												  fm_normalize_why);
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
			if (r->live != NULL && !live_default_typed(r))
				fm_column_more(r->arena, r->column)->reset_default = true;
			else if (same_const_array(r, text))
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
				strcmp(live_again, out) == 0 &&
				(r->kind != NK_DEFAULT || live_default_typed(r)))
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

/*
 * fm_norm_run_requests
 *		Run the collected requests of cx: all in one subtransaction, else one
 *		each; empties the queue.
 */
void
fm_norm_run_requests(NormCtx *cx)
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
