/*-------------------------------------------------------------------------
 *
 * print_exclude.c
 *	  Print: an exclusion constraint as @@exclude (ferriorm dialect).
 *
 * @@exclude([room(op: "="), during(op: "&&")], type: SpGist, where: "...",
 * map: "name"): type: unless Gist, the language's default; where: as SQL
 * text, like @@index's; map: when print.c's name comparison asks for it.
 * The prisma dialect cannot state exclusion constraints: nothing is
 * printed, and plans keep the live ones (keep_unstated).
 *
 * src/core/print_exclude.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "print_int.h"

static const char *
method_name(const char *method)
{
	static const char *const names[][2] = {
		{"gist", "Gist"}, {"spgist", "SpGist"}, {"btree", "BTree"}, {"hash", "Hash"}
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(method, names[i][0]) == 0)
			return names[i][1];
	return method;				/* validation then reports it: a bug */
}

/*
 * fm_p_exclusion_attr
 *		@@exclude for exclusion constraint x of model pm, with map: when map.
 */
FmAstAttribute *
fm_p_exclusion_attr(PState *ps, PModel *pm, const FmExclusion *x, bool map)
{
	FmAstAttribute *at = fm_p_attr(ps, "exclude", true);
	FmAstValue *arr = fm_p_array(ps);

	at->has_parens = true;
	for (int i = 0; i < x->elems.n; i++)
	{
		const FmExclElem *e = fm_list_get(&x->elems, i, FmExclElem);
		int			k = fm_p_column_index(pm->t, e->column);
		FmAstValue *v = fm_p_call(ps, k >= 0 ? pm->fields[k] : "?");

		fm_p_arg(ps, &v->args, "op",
				 fm_p_str(ps, e->op_schema ? fm_psprintf(ps->a, "%s.%s", e->op_schema, e->op) : e->op));
		fm_list_append(ps->a, &arr->items, v);
	}
	fm_p_arg(ps, &at->args, NULL, arr);
	if (!fm_streq(x->method, "gist"))
		fm_p_arg(ps, &at->args, "type", fm_p_ident(ps, method_name(x->method)));
	if (x->predicate)
		fm_p_arg(ps, &at->args, "where", fm_p_str(ps, fm_p_sql_text(ps, x->predicate)));
	if (map)
		fm_p_arg(ps, &at->args, "map", fm_p_str(ps, x->name));
	return at;
}
