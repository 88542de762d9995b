/*-------------------------------------------------------------------------
 *
 * validate_storage.c
 *	  Validation of a model's storage attributes, ferriorm's own (Prisma's
 *	  language has none): @@unlogged (CREATE UNLOGGED TABLE) and
 *	  @@storage(name: value, ...), the table's storage parameters
 *	  fillfactor and autovacuum_*.
 *
 * In the prisma dialect neither can be stated; its tables are marked
 * keep_unstated, so that a plan keeps whatever the live table has.
 *
 * src/core/validate_storage.c
 *
 *-------------------------------------------------------------------------
 */
#include "validate_int.h"

#include <stdlib.h>
#include <string.h>

/* The storage parameters @@storage accepts (PostgreSQL 15's heap options). */
static const char *const storage_params[] = {
	"fillfactor",
	"autovacuum_enabled",
	"autovacuum_vacuum_threshold",
	"autovacuum_vacuum_insert_threshold",
	"autovacuum_analyze_threshold",
	"autovacuum_vacuum_scale_factor",
	"autovacuum_vacuum_insert_scale_factor",
	"autovacuum_analyze_scale_factor",
	"autovacuum_vacuum_cost_delay",
	"autovacuum_vacuum_cost_limit",
	"autovacuum_freeze_min_age",
	"autovacuum_freeze_max_age",
	"autovacuum_freeze_table_age",
	"autovacuum_multixact_freeze_min_age",
	"autovacuum_multixact_freeze_max_age",
	"autovacuum_multixact_freeze_table_age",
	NULL
};

bool
fmv_is_storage_attr(const char *name)
{
	return fm_streq(name, "unlogged") || fm_streq(name, "storage");
}

/* is text a plain decimal number (an optional '-', digits, '.', digits)? */
static bool
is_decimal(const char *text)
{
	const char *p = text;
	bool		digits = false;

	if (*p == '-')
		p++;
	while ((*p >= '0' && *p <= '9') || (*p == '.' && digits))
	{
		digits = true;
		p++;
	}
	return digits && *p == '\0';
}

/*
 * One argument of @@storage: a known parameter with a number, or true/false
 * for autovacuum_enabled; appended to the table's options.
 */
static void
storage_arg(V *v, VModel *vm, FmAstAttribute *at, FmAstArg *arg, const char *ctx)
{
	bool		is_bool;
	FmOption   *o;

	if (arg->name == NULL)
	{
		ERR(arg->pos, "the arguments of %s on %s are named storage parameters, as in @@storage(fillfactor: 70)",
			fmv_attr_repr(v, at), ctx);
		return;
	}
	if (!fmv_in_list(storage_params, arg->name))
	{
		ERR(arg->pos, "unknown storage parameter \"%s\" in %s on %s%s",
			arg->name, fmv_attr_repr(v, at), ctx,
			fmv_suggest(v, arg->name, storage_params, NULL, NULL));
		return;
	}
	is_bool = fm_streq(arg->name, "autovacuum_enabled");
	if (arg->value == NULL ||
		(is_bool && !(arg->value->kind == FM_VAL_IDENT &&
					  (fm_streq(arg->value->text, "true") ||
					   fm_streq(arg->value->text, "false")))) ||
		(!is_bool && !(arg->value->kind == FM_VAL_NUMBER &&
					   is_decimal(arg->value->text))))
	{
		ERR(arg->pos, "storage parameter \"%s\" in %s on %s needs %s",
			arg->name, fmv_attr_repr(v, at), ctx,
			is_bool ? "true or false" : "a number");
		return;
	}
	/* PostgreSQL's range of fillfactor (a heap's), refused when applied */
	if (fm_streq(arg->name, "fillfactor") &&
		(strtod(arg->value->text, NULL) < 10 || strtod(arg->value->text, NULL) > 100))
	{
		ERR(arg->pos, "storage parameter \"fillfactor\" in %s on %s must be between 10 and 100",
			fmv_attr_repr(v, at), ctx);
		return;
	}
	o = fm_alloc(v->a, sizeof(FmOption));
	o->name = fm_strdup(v->t, arg->name);
	o->value = fm_strdup(v->t, arg->value->text);
	fm_list_append(v->a, &vm->table->storage, o);
}

/*
 * fmv_storage_attr
 *		@@unlogged or @@storage(parameter: value, ...) of model vm (ctx names
 *		it in messages): the table becomes UNLOGGED, or gets its storage
 *		parameters, checked one by one and kept sorted by name.  Errors: the
 *		prisma dialect, a view, arguments to @@unlogged, an empty
 *		@@storage.
 */
void
fmv_storage_attr(V *v, VModel *vm, FmAstAttribute *at, const char *ctx)
{
	if (v->dl->kind == FM_DIALECT_PRISMA)
	{
		ERR(at->pos, "attribute \"@@%s\" in %s is ferriorm's; the prisma dialect cannot state it, and a plan keeps the table's live setting",
			at->name, ctx);
		return;
	}
	if (vm->is_view)
	{
		ERR(at->pos, "attribute \"@@%s\" cannot be used on %s: a view has no storage",
			at->name, ctx);
		return;
	}
	if (fm_streq(at->name, "unlogged"))
	{
		if (fmv_no_args(v, at, FMV_CTX_TEXT(ctx)))
			vm->table->unlogged = true;
		return;
	}
	if (at->args.n == 0)
	{
		ERR(at->pos, "%s on %s needs at least one storage parameter, as in @@storage(fillfactor: 70)",
			fmv_attr_repr(v, at), ctx);
		return;
	}
	for (int i = 0; i < at->args.n; i++)
	{
		FmAstArg   *arg = fm_list_get(&at->args, i, FmAstArg);

		if (arg != NULL)
			storage_arg(v, vm, at, arg, ctx);
	}
	fm_list_sort(&vm->table->storage, fm_option_cmp);
}
