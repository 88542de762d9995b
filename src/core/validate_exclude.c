/*-------------------------------------------------------------------------
 *
 * validate_exclude.c
 *	  @@exclude: exclusion constraints (ferriorm dialect).
 *
 *	  @@exclude([room(op: "="), during(op: "&&")], type: Gist,
 *				where: "not cancelled", map: "no_double_booking")
 *
 * is EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (not
 * cancelled).  Each element is a scalar field with the operator it is
 * compared with; the operator is SQL text made only of operator
 * characters, optionally qualified by a schema ("myschema.&&", the schema
 * taken literally), so it cannot leave its clause.  type: is the index
 * method (Gist by default; SpGist, BTree, Hash: the methods that can back
 * an exclusion constraint), where: the predicate, in the forms of
 * @@index's where: (validate_where.c).  The name is map:, else the one
 * PostgreSQL would choose, <table>_<columns>_excl (validate_names.c).
 * The prisma dialect cannot state it: a plan keeps the table's live
 * exclusion constraints there (keep_unstated).
 *
 * src/core/validate_exclude.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "validate_int.h"

/* characters of an operator name (PostgreSQL's lexer, scan.l "op_chars") */
static bool
is_op_char(char c)
{
	return c != '\0' && strchr("~!@#^&|`?+-*/%<>=", c) != NULL;
}

/*
 * The operator text op of element fname: *schema (NULL when unqualified)
 * and *name.  Reports and returns false when it is not an operator name.
 */
static bool
parse_operator(V *v, FmSrcPos pos, const char *op, const char *fname,
			   const char *what, char **schema, char **name)
{
	const char *dot = strrchr(op, '.');
	const char *p = dot ? dot + 1 : op;
	size_t		len = strlen(p);

	*schema = NULL;
	*name = NULL;
	if (dot != NULL && dot == op)
		goto bad;
	for (const char *q = p; *q; q++)
		if (!is_op_char(*q))
			goto bad;
	if (len == 0 || len > 63 || strstr(p, "--") != NULL || strstr(p, "/*") != NULL)
		goto bad;
	if (dot != NULL)
	{
		*schema = fm_strndup(v->a, op, (size_t) (dot - op));
		if (!fmv_check_ident_len_ctx(v, pos, "operator schema", *schema, what))
			return false;
	}
	*name = fm_strdup(v->a, p);
	return true;
bad:
	ERR(pos, "operator \"%s\" of field \"%s\" in %s is not an operator name: write one of its characters ~!@#^&|`?+-*/%%<>=, as in op: \"&&\", optionally after a schema, as in op: \"myschema.&&\"",
		op, fname, what);
	return false;
}

/* one element: a field name with (op: "..."); NULL after reporting */
static FmExclElem *
exclude_elem(V *v, VModel *vm, const FmAstValue *it, const char *what, FmHashMap *listed)
{
	const char *fname = fmv_nz(it->text);
	VField	   *vf;
	FmExclElem *el;
	const FmAstArg *oparg = NULL;

	if (it->kind != FM_VAL_IDENT && it->kind != FM_VAL_CALL)
	{
		ERR(it->pos, "%s in %s is not a field name", fmv_value_repr(v, it), what);
		return NULL;
	}
	vf = fmv_find_field(vm, fname);
	if (vf == NULL)
	{
		ERR(it->pos, "unknown field \"%s\" in %s%s", fname, what,
			fmv_suggest(v, fname, NULL, fmv_field_names(v, vm, true), NULL));
		return NULL;
	}
	if (vf->kind == VF_RELATION)
	{
		ERR(it->pos, "field \"%s\" in %s is a relation field; list its scalar fields instead",
			fname, what);
		return NULL;
	}
	if (vf->col == NULL)
		return NULL;
	if (fm_hash_get(listed, fname))
	{
		ERR(it->pos, "field \"%s\" is listed twice in %s", fname, what);
		return NULL;
	}
	fm_hash_put(v->a, listed, fname, vf);
	for (int k = 0; it->kind == FM_VAL_CALL && k < it->args.n; k++)
	{
		const FmAstArg *arg = fm_list_get(&it->args, k, FmAstArg);

		if (arg == NULL)
			continue;
		if (!fm_streq(arg->name, "op") || oparg != NULL)
		{
			ERR(arg->pos, "unknown argument \"%s\" for field \"%s\" in %s; give the operator only, as in %s(op: \"&&\")",
				fmv_nz(arg->name), fname, what, fname);
			return NULL;
		}
		oparg = arg;
	}
	if (oparg == NULL || oparg->value == NULL || oparg->value->kind != FM_VAL_STRING ||
		!fmv_value_is_nul_free(oparg->value))
	{
		ERR(it->pos, "field \"%s\" in %s needs the operator it is compared with, as in %s(op: \"&&\")",
			fname, what, fname);
		return NULL;
	}
	el = fm_alloc(v->a, sizeof(FmExclElem));
	el->column = vf->col->name;
	if (!parse_operator(v, oparg->value->pos, oparg->value->text, fname, what,
						&el->op_schema, &el->op))
		return NULL;
	return el;
}

/*
 * fmv_exclude_attr
 *		@@exclude (at) in model vm: the exclusion constraint, added to the
 *		table with its map: name (NULL: derived by validate_names.c).
 */
void
fmv_exclude_attr(V *v, VModel *vm, FmAstAttribute *at, const char *ctx)
{
	const char *const names[] = {"fields", "type", "where", "map", NULL};
	static const char *const types[] = {"Gist", "SpGist", "BTree", "Hash", NULL};
	FmAstArg   *args[4];
	FmExclusion *x;
	FmHashMap	listed = {0};
	const char *what = fm_psprintf(v->a, "@@exclude of %s", ctx);
	bool		ok = true;
	const FmAstValue *list;

	if (v->dl->kind == FM_DIALECT_PRISMA)
	{
		ERR(at->pos, "attribute \"@@exclude\" in %s is ferriorm's; the prisma dialect cannot state it, and a plan keeps the table's live exclusion constraints",
			ctx);
		return;
	}
	if (!fmv_bind_args(v, at, FMV_CTX_TEXT(ctx), names, true, args))
		return;
	list = args[0] ? args[0]->value : NULL;
	if (list == NULL || list->kind != FM_VAL_ARRAY || list->items.n == 0)
	{
		ERR(list ? list->pos : at->pos, "@@exclude in %s needs a list of fields with their operators, as in @@exclude([room(op: \"=\"), during(op: \"&&\")])",
			ctx);
		return;
	}
	x = fm_alloc(v->a, sizeof(FmExclusion));
	x->pos = at->pos;
	x->method = fm_strdup(v->a, "gist");
	for (int i = 0; i < list->items.n; i++)
	{
		const FmAstValue *it = fm_list_get(&list->items, i, FmAstValue);
		FmExclElem *el = it ? exclude_elem(v, vm, it, what, &listed) : NULL;

		if (el == NULL)
			ok = false;
		else
			fm_list_append(v->a, &x->elems, el);
	}
	if (args[1] && args[1]->value)
	{
		const char *m = fmv_index_method(v, v->a, args[1]->value, types, "",
										 what,
										 "Gist, SpGist, BTree, Hash (the methods that can back an exclusion constraint)");

		if (m == NULL)
			ok = false;
		else
			x->method = (char *) m;
	}
	if (args[2] && !fmv_where_predicate(v, vm, at, args[2], ctx, &x->predicate))
		ok = false;
	if (args[3])
	{
		x->name = fmv_string_arg(v, at, args[3], "map", FMV_CTX_TEXT(ctx));
		if (x->name == NULL ||
			!check_ident_len(v, args[3]->value->pos, "exclusion constraint name", x->name))
			ok = false;
	}
	if (ok)
		fm_list_append(v->a, &vm->table->exclusions, x);
}

/*
 * fmv_exclusion_columns
 *		The columns of x joined as PostgreSQL names a constraint after them
 *		(fm_column_list_name).
 */
char *
fmv_exclusion_columns(V *v, const FmExclusion *x)
{
	FmList		l = {0};

	for (int i = 0; i < x->elems.n; i++)
		fm_list_append(v->a, &l, fm_list_get(&x->elems, i, FmExclElem)->column);
	return fm_column_list_name(v->a, &l);
}
