/*-------------------------------------------------------------------------
 *
 * validate_identity.c
 *	  Validation of @identity(always:, start:, increment:, minValue:,
 *	  maxValue:, cycle:), ferriorm's statement of an identity column's
 *	  generation and sequence options; @collate("name"), a column's
 *	  collation; @generated("expr"), a stored generated column (Prisma's
 *	  language has none of them).
 *
 * @identity goes with @default(autoincrement()) and makes the column an
 * identity column: GENERATED ALWAYS when always: true, else BY DEFAULT.
 * Without it, autoincrement() keeps whatever auto-increment kind a live
 * column has (serial or identity) and makes new columns the dialect's kind.
 *
 * src/core/validate_identity.c
 *
 *-------------------------------------------------------------------------
 */
#include "validate_int.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include <string.h>

#include "fm_sqlnames.h"

/* an integer literal: optional '-', then digits */
static bool
is_integer(const FmAstValue *val)
{
	const char *p;

	if (val == NULL || val->kind != FM_VAL_NUMBER)
		return false;
	p = val->text;
	if (*p == '-')
		p++;
	if (*p == '\0')
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* a boolean argument's value, reported when it is not true or false */
static bool
bool_arg(V *v, FmAstArg *arg, const char *ctx, bool *out)
{
	if (arg->value != NULL && arg->value->kind == FM_VAL_IDENT &&
		(fm_streq(arg->value->text, "true") ||
		 fm_streq(arg->value->text, "false")))
	{
		*out = fm_streq(arg->value->text, "true");
		return true;
	}
	ERR(arg->pos, "argument \"%s\" of @identity on %s needs true or false",
		arg->name, ctx);
	return false;
}

/*
 * identity_values_ok
 *		Do the integers of identity id fit a sequence of column type type
 *		(smallint, integer, else bigint), with minValue not above maxValue
 *		and start between them?  An error naming the option otherwise:
 *		PostgreSQL refuses them when the plan runs, and the text tells now.
 */
static bool
identity_values_ok(V *v, const FmAstAttribute *at, const FmIdentity *id,
				   const char *type, const char *ctx)
{
	const char *const names[] = {"start", "increment", "minValue", "maxValue"};
	const char *vals[] = {id->start, id->increment, id->minvalue, id->maxvalue};
	long long	lo = fm_streq(type, "smallint") ? -32768LL :
		fm_streq(type, "integer") ? -2147483648LL : LLONG_MIN;
	long long	hi = fm_streq(type, "smallint") ? 32767LL :
		fm_streq(type, "integer") ? 2147483647LL : LLONG_MAX;
	long long	n[4] = {0, 0, 0, 0};

	for (int i = 0; i < 4; i++)
	{
		char	   *end;

		if (vals[i] == NULL)
			continue;
		errno = 0;
		n[i] = strtoll(vals[i], &end, 10);
		if (errno == ERANGE || *end != '\0' || n[i] < lo || n[i] > hi)
		{
			ERR(at->pos, "argument \"%s\" of @identity on %s is out of range for a sequence of type %s",
				names[i], ctx, type ? type : "bigint");
			return false;
		}
	}
	if (vals[2] && vals[3] && n[2] > n[3])
	{
		ERR(at->pos, "@identity on %s has minValue %s above maxValue %s",
			ctx, vals[2], vals[3]);
		return false;
	}
	if (vals[0] && ((vals[2] && n[0] < n[2]) || (vals[3] && n[0] > n[3])))
	{
		ERR(at->pos, "@identity on %s starts at %s, outside minValue and maxValue",
			ctx, vals[0]);
		return false;
	}
	return true;
}

/*
 * fmv_identity_attr
 *		@identity(always:, start:, increment:, minValue:, maxValue:, cycle:)
 *		on field vf (ctx names it in messages): the column becomes an
 *		identity column (ALWAYS or BY DEFAULT) with those sequence options,
 *		normalized for its type.  Errors: the prisma dialect, a field
 *		without @default(autoincrement()), a non-boolean or non-integer
 *		argument, increment 0.  Memory is v->a's.
 */
void
fmv_identity_attr(V *v, VField *vf, FmAstAttribute *at, const char *ctx)
{
	const char *const names[] = {"always", "start", "increment", "minValue",
	"maxValue", "cycle", NULL};
	FmAstArg   *args[6];
	FmIdentity *id;
	FmColumn   *col = vf->col;

	if (v->dl->kind == FM_DIALECT_PRISMA)
	{
		ERR(at->pos, "attribute \"@identity\" on %s is ferriorm's; the prisma dialect cannot state it, and a plan keeps the column's live auto-increment kind",
			ctx);
		return;
	}
	if (!fmv_bind_args(v, at, FMV_CTX_TEXT(ctx), names, false, args))
		return;
	if (col == NULL || col->autoinc == FM_AUTOINC_NONE)
	{
		ERR(at->pos, "@identity on %s needs @default(autoincrement())", ctx);
		return;
	}
	id = fm_alloc(v->a, sizeof(FmIdentity));
	if (args[0] != NULL && !bool_arg(v, args[0], ctx, &id->always))
		return;
	if (args[5] != NULL && !bool_arg(v, args[5], ctx, &id->cycle))
		return;
	for (int i = 1; i <= 4; i++)
	{
		char	  **slot = i == 1 ? &id->start : i == 2 ? &id->increment :
			i == 3 ? &id->minvalue : &id->maxvalue;

		if (args[i] == NULL)
			continue;
		if (!is_integer(args[i]->value))
		{
			ERR(args[i]->pos, "argument \"%s\" of @identity on %s needs an integer",
				names[i], ctx);
			return;
		}
		if (i == 2 && fm_streq(args[i]->value->text, "0"))
		{
			ERR(args[i]->pos, "argument \"increment\" of @identity on %s cannot be 0",
				ctx);
			return;
		}
		*slot = fm_strdup(v->t, args[i]->value->text);
	}
	if (!identity_values_ok(v, at, id, col->type.sql, ctx))
		return;
	fm_identity_normalize(id, col->type.sql);
	fm_column_more(v->a, col)->identity = id;
	col->autoinc = id->always ? FM_AUTOINC_IDENTITY_ALWAYS
		: FM_AUTOINC_IDENTITY_BY_DEFAULT;
}

/*
 * fmv_collatable
 *		Can the column of field vf take a COLLATE: a String field of a text
 *		type (no native type, or @db.Text, VarChar, Char, Citext; a list of
 *		them too), or an Unsupported one, whose type only PostgreSQL knows?
 *		@db.Uuid, @db.Inet, @db.Xml, @db.Bit ... have no collation.  Asked
 *		once the native type is applied.
 */
bool
fmv_collatable(const VField *vf)
{
	const char *nt = vf->native;

	if (vf->kind == VF_UNSUPPORTED)
		return true;
	if (vf->kind != VF_SCALAR || !fm_streq(vf->scalar, "String") || vf->col == NULL)
		return false;
	return nt == NULL || fm_streq(nt, "Text") || fm_streq(nt, "VarChar") ||
		fm_streq(nt, "Char") || fm_streq(nt, "Citext");
}

/*
 * @collate("name", schema: "s") on field vf: the column's COLLATE.  The
 * name is taken literally, as the catalog spells it ("C", "en_US.utf8",
 * "de-x-icu"), not as SQL text; schema: qualifies it.  On a String or
 * Unsupported field only.
 */
void
fmv_collate_attr(V *v, VField *vf, FmAstAttribute *at, const char *ctx)
{
	const char *const names[] = {"name", "schema", NULL};
	FmAstArg   *args[2];
	char	   *name;
	char	   *schema = NULL;

	if (v->dl->kind == FM_DIALECT_PRISMA)
	{
		ERR(at->pos, "attribute \"@collate\" on %s is ferriorm's; the prisma dialect cannot state it, and a plan keeps the column's live collation",
			ctx);
		return;
	}
	if (!fmv_bind_args(v, at, FMV_CTX_TEXT(ctx), names, true, args))
		return;
	if (args[0] == NULL)
	{
		ERR(at->pos, "@collate on %s needs the collation's name, as in @collate(\"C\")", ctx);
		return;
	}
	if ((name = fmv_string_arg(v, at, args[0], "name", FMV_CTX_TEXT(ctx))) == NULL ||
		(args[1] != NULL &&
		 (schema = fmv_string_arg(v, at, args[1], "schema", FMV_CTX_TEXT(ctx))) == NULL))
		return;
	if (vf->col == NULL ||
		!(vf->kind == VF_UNSUPPORTED ||
		  (vf->kind == VF_SCALAR && fm_streq(vf->scalar, "String"))))
	{
		ERR(at->pos, "@collate cannot be used on %s; it needs a String field", ctx);
		return;
	}
	if (!fmv_collatable(vf))
	{
		ERR(at->pos, "@collate cannot be used on %s: its type %s has no collation; it needs a text type (String, @db.Text, @db.VarChar, @db.Char or @db.Citext)",
			ctx, vf->col->type.sql);
		return;
	}
	if (*name == '\0' || (schema != NULL && *schema == '\0'))
	{
		ERR(at->pos, "@collate on %s needs a non-empty name", ctx);
		return;
	}
	if (!check_ident_len(v, args[0]->pos, "collation", name) ||
		(schema != NULL && !check_ident_len(v, args[1]->pos, "schema", schema)))
		return;
	fm_column_more(v->a, vf->col)->collation_schema = schema;
	vf->col->more->collation = name;
}

/*
 * @generated("sql expression") on field vf: GENERATED ALWAYS AS (expr)
 * STORED.  The expression is SQL text, rendered as written (like
 * dbgenerated()); the column can have no @default.
 */
void
fmv_generated_attr(V *v, VField *vf, FmAstAttribute *at, const char *ctx)
{
	const char *const names[] = {"expression", NULL};
	FmAstArg   *args[1];
	char	   *expr;

	if (v->dl->kind == FM_DIALECT_PRISMA)
	{
		ERR(at->pos, "attribute \"@generated\" on %s is ferriorm's; the prisma dialect cannot state it, and a plan keeps the column's live generation",
			ctx);
		return;
	}
	if (!fmv_bind_args(v, at, FMV_CTX_TEXT(ctx), names, true, args))
		return;
	if (args[0] == NULL)
	{
		ERR(at->pos, "@generated on %s needs the SQL expression, as in @generated(\"price * qty\")", ctx);
		return;
	}
	if ((expr = fmv_string_arg(v, at, args[0], "expression", FMV_CTX_TEXT(ctx))) == NULL)
		return;
	if (*expr == '\0' || !fmv_sql_fragment_ok(v, args[0]->value->pos, "@generated", ctx, expr))
	{
		if (*expr == '\0')
			ERR(args[0]->pos, "@generated on %s needs a non-empty expression", ctx);
		return;
	}
	if (vf->col == NULL)
		return;
	if (vf->col->default_sql != NULL || vf->col->autoinc != FM_AUTOINC_NONE ||
		vf->col->client_default)
	{
		ERR(at->pos, "%s cannot have both @generated and @default", ctx);
		return;
	}
	fm_column_more(v->a, vf->col)->generated = fm_strdup(v->t, expr);
}

/*
 * fmv_elem_collate
 *		collate: "name" (arg) on element el (field fname) of an @@index or
 *		@@unique (what): the element's COLLATE, a collation of pg_catalog
 *		named literally, as @collate does, on a field vf of a text type
 *		(fmv_collatable).  Ferriorm only: the prisma
 *		dialect cannot state it, and a plan keeps the live one.  Returns
 *		false after reporting.
 */
bool
fmv_elem_collate(V *v, FmIndexElem *el, const FmAstArg *arg, const VField *vf,
				 const char *fname, const char *what)
{
	const FmAstValue *val = arg->value;

	if (v->dl->kind == FM_DIALECT_PRISMA)
	{
		ERR(arg->pos, "argument \"collate\" for field \"%s\" in %s is ferriorm's; the prisma dialect cannot state it, and a plan keeps the index's live collations",
			fname, what);
		return false;
	}
	if (val == NULL || val->kind != FM_VAL_STRING || !fmv_value_is_nul_free(val) ||
		*fmv_nz(val->text) == '\0')
	{
		ERR(val ? val->pos : arg->pos, "collate: for field \"%s\" in %s needs the collation's name, as in %s(collate: \"C\")",
			fname, what, fname);
		return false;
	}
	if (!fmv_collatable(vf))
	{
		ERR(arg->pos, "collate: for field \"%s\" in %s needs a field of a text type; type %s has no collation",
			fname, what, vf->col && vf->col->type.sql ? vf->col->type.sql : "of the field");
		return false;
	}
	if (!fmv_check_ident_len_ctx(v, val->pos, "collation", val->text, what))
		return false;
	el->collation = fm_strdup(v->a, val->text);
	return true;
}

/*
 * fmv_generated_reads
 *		After the fields of model vm: a generation that names another
 *		generated column of the model, or its own, is an error, as
 *		PostgreSQL refuses it
 *		("cannot use generated column in column generation expression").
 *		Names are compared as the expression's lexer reads them
 *		(fm_expr_names_any); a function named like such a column is refused
 *		too, which renaming the column or quoting nothing else avoids.
 */
void
fmv_generated_reads(V *v, VModel *vm)
{
	for (int i = 0; i < vm->fields.n; i++)
	{
		VField	   *vf = fm_list_get(&vm->fields, i, VField);
		const char *expr = vf->col ? FM_COL_MORE(vf->col)->generated : NULL;

		if (expr == NULL)
			continue;
		for (int j = 0; j < vm->fields.n; j++)
		{
			VField	   *other = fm_list_get(&vm->fields, j, VField);
			FmList		one = {0};

			if (other->col == NULL ||
				FM_COL_MORE(other->col)->generated == NULL)
				continue;
			fm_list_append(v->t, &one, other->col->name);
			if (!fm_expr_names_any(expr, &one))
				continue;
			if (j == i)
				ERR(vf->pos, "the expression of @generated on field \"%s\" in model \"%s\" reads its own column \"%s\"; a generated column cannot read its own value",
					vf->name, fmv_nz(vm->blk->name), other->col->name);
			else
				ERR(vf->pos, "the expression of @generated on field \"%s\" in model \"%s\" reads column \"%s\", which is generated too; PostgreSQL cannot compute a generated column from another, so write it over the columns that one reads",
				vf->name, fmv_nz(vm->blk->name), other->col->name);
			break;
		}
	}
}
