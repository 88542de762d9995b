/*-------------------------------------------------------------------------
 *
 * validate_where.c
 *	  The where: argument of @@index and @@unique (partial indexes): the
 *	  SQL string form of the ferriorm dialect, and the two forms of
 *	  Prisma's partialIndexes preview feature, where: raw("...") and the
 *	  object form where: { deleted: false, email: { not: null } }.
 *
 *	  Text that the schema gives as SQL (the string and raw() forms) is
 *	  rendered as written and passes fm_sql_fragment_problem(), as every
 *	  other SQL fragment does.  The object form is SQL that we build: each
 *	  key is a field, rendered as its quoted column name, each value a
 *	  literal rendered by fm_quote_text(), joined with AND in parentheses,
 *	  exactly as Prisma Migrate writes it.
 *
 * src/core/validate_where.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "validate_int.h"

/* the Prisma scalar types whose where: values are numbers */
static const char *const number_scalars[] = {
	"Int", "BigInt", "Float", "Decimal", NULL
};

/* the Prisma scalar types (and enums) whose where: values are strings */
static const char *const string_scalars[] = {
	"String", "DateTime", NULL
};

static const char *
value_kind_name(const FmAstValue *val)
{
	switch (val->kind)
	{
		case FM_VAL_STRING:
			return "a String";
		case FM_VAL_NUMBER:
			return "a Number";
		case FM_VAL_IDENT:
			return "a Boolean";
		default:
			return "an object";
	}
}

/*
 * One value of the object form for field vf (val: true, false, null, a
 * number or a string): appended to out as "<col> <op> <literal>", with
 * negate for { not: val }.  Reports and returns false for any other value
 * or one of the wrong type (Prisma's rules: Boolean takes true/false,
 * Int/BigInt/Float/Decimal a number, String/DateTime/enums a string;
 * every field takes null).
 */
static bool
append_condition(V *v, FmBuf *out, VField *vf, const FmAstValue *val,
				 bool negate, const char *what)
{
	const char *type = vf->kind == VF_ENUM ? "enum" : vf->scalar;
	bool		is_bool = vf->kind == VF_SCALAR && fm_streq(type, "Boolean");
	bool		is_num = vf->kind == VF_SCALAR && fmv_in_list(number_scalars, type);
	bool		is_str = vf->kind == VF_ENUM ||
		(vf->kind == VF_SCALAR && fmv_in_list(string_scalars, type));
	bool		ok;

	if (val->kind == FM_VAL_IDENT && fm_streq(val->text, "null"))
	{
		fm_buf_append_quoted(out, vf->col->name, '"');
		fm_buf_append(out, negate ? " IS NOT NULL" : " IS NULL");
		return true;
	}
	if (val->kind == FM_VAL_IDENT &&
		!fm_streq(val->text, "true") && !fm_streq(val->text, "false"))
	{
		ERR(val->pos, "invalid value \"%s\" in %s; use true, false, null, a string, a number, or an object such as { not: null }",
			fmv_nz(val->text), what);
		return false;
	}
	if (val->kind != FM_VAL_IDENT && val->kind != FM_VAL_NUMBER &&
		val->kind != FM_VAL_STRING)
	{
		ERR(val->pos, "invalid value in %s; use true, false, null, a string, a number, or an object such as { not: null }",
			what);
		return false;
	}
	ok = val->kind == FM_VAL_IDENT ? is_bool :
		val->kind == FM_VAL_NUMBER ? is_num : is_str;
	if (!ok)
	{
		ERR(val->pos, "type mismatch in %s: field \"%s\" is of type %s, but the value is %s",
			what, vf->name, vf->kind == VF_ENUM ? fmv_nz(vf->ast->type_name) :
			fmv_nz(type), value_kind_name(val));
		return false;
	}
	if (val->kind == FM_VAL_STRING && val->text_len != strlen(fmv_nz(val->text)))
	{
		ERR(val->pos, "a string in %s must not contain NUL characters", what);
		return false;
	}
	fm_buf_append_quoted(out, vf->col->name, '"');
	fm_buf_append(out, negate ? " != " : " = ");
	if (val->kind == FM_VAL_STRING)
		fm_buf_append_quoted(out, fmv_nz(val->text), '\'');
	else
		fm_buf_append(out, val->text);	/* true/false or a number token */
	return true;
}

/*
 * The object form { field: value, field: { not: value }, ... } of model
 * vm as the SQL predicate Prisma Migrate renders, or NULL after
 * reporting.
 */
static char *
object_predicate(V *v, VModel *vm, const FmAstValue *obj, const char *what)
{
	FmBuf		out;
	bool		ok = true;

	if (obj->args.n == 0)
	{
		ERR(obj->pos, "%s cannot be an empty object", what);
		return NULL;
	}
	fm_buf_init(&out, v->t);
	fm_buf_append_char(&out, '(');
	for (int i = 0; i < obj->args.n; i++)
	{
		FmAstArg   *kv = fm_list_get(&obj->args, i, FmAstArg);
		VField	   *vf = fmv_find_field(vm, fmv_nz(kv->name));
		const FmAstValue *val = kv->value;
		bool		negate = false;

		if (vf == NULL)
		{
			ERR(kv->pos, "unknown field \"%s\" in %s%s", fmv_nz(kv->name), what,
				fmv_suggest(v, fmv_nz(kv->name), NULL, fmv_field_names(v, vm, false), NULL));
			ok = false;
			continue;
		}
		if (vf->kind == VF_RELATION)
		{
			ERR(kv->pos, "field \"%s\" in %s is a relation field; use its scalar fields instead",
				kv->name, what);
			ok = false;
			continue;
		}
		if (vf->col == NULL)
		{
			ok = false;
			continue;
		}
		if (val->kind == FM_VAL_OBJECT)
		{
			FmAstArg   *inner = val->args.n == 1 ? fm_list_get(&val->args, 0, FmAstArg) : NULL;

			if (inner == NULL || !fm_streq(inner->name, "not"))
			{
				ERR(val->pos, "a nested object in %s must have exactly one key, \"not\", as in { not: null } or { not: \"value\" }",
					what);
				ok = false;
				continue;
			}
			val = inner->value;
			negate = true;
		}
		if (i > 0)
			fm_buf_append(&out, " AND ");
		if (!append_condition(v, &out, vf, val, negate, what))
			ok = false;
	}
	fm_buf_append_char(&out, ')');
	return ok ? out.data : NULL;
}

/*
 * fmv_where_predicate
 *		The where: argument (arg) of at (@@index or @@unique) in model vm,
 *		ctx naming the model: sets *pred to the predicate of the partial
 *		index, or to NULL when it is "true" (PostgreSQL stores none).
 *		The forms: raw("sql") and the object form in both dialects, and the
 *		plain string "sql" in the ferriorm dialect (Prisma refuses it).
 *		Returns false after reporting.
 */
bool
fmv_where_predicate(V *v, VModel *vm, const FmAstAttribute *at, FmAstArg *arg,
					const char *ctx, char **pred)
{
	const FmAstValue *val = arg->value;
	const char *what = fm_psprintf(v->t, "argument \"where\" of %s in %s",
								   fmv_attr_repr(v, at), ctx);
	const char *sql;

	*pred = NULL;
	if (val == NULL)
		return false;
	/* Prisma asks for the preview feature on models only */
	if (v->dl->kind == FM_DIALECT_PRISMA && !vm->is_view &&
		!fmv_preview_feature(v, "partialIndexes"))
	{
		ERR(arg->pos, "%s needs the \"partialIndexes\" preview feature, as in Prisma; add previewFeatures = [\"partialIndexes\"] to the generator block",
			what);
		return false;
	}
	if (val->kind == FM_VAL_OBJECT)
	{
		*pred = object_predicate(v, vm, val, what);
		return *pred != NULL;
	}
	if (val->kind == FM_VAL_CALL && fm_streq(val->text, "raw"))
	{
		FmAstArg   *a0 = val->args.n == 1 ? fm_list_get(&val->args, 0, FmAstArg) : NULL;

		if (a0 == NULL || a0->name != NULL || a0->value == NULL ||
			a0->value->kind != FM_VAL_STRING)
		{
			ERR(val->pos, "raw() in %s takes one string, the SQL condition, as in raw(\"deleted = false\")",
				what);
			return false;
		}
		val = a0->value;
	}
	else if (val->kind != FM_VAL_STRING || v->dl->kind == FM_DIALECT_PRISMA)
	{
		ERR(val->pos, "%s must be raw(\"...\") or an object, as in where: raw(\"deleted = false\") or where: { deleted: false }%s",
			what, v->dl->kind == FM_DIALECT_PRISMA ? "" : ", or an SQL string");
		return false;
	}
	if (val->text_len != strlen(fmv_nz(val->text)))
	{
		ERR(val->pos, "argument \"where\" of %s on %s must not contain NUL characters",
			fmv_attr_repr(v, at), ctx);
		return false;
	}
	sql = fmv_nz(val->text);
	if (*sql == '\0')
	{
		ERR(val->pos, "%s must not be empty", what);
		return false;
	}
	if (!fmv_sql_fragment_ok(v, val->pos, "where", ctx, sql))
		return false;
	if (!fm_streq(fm_normalize_expr(v->t, sql), "true"))
		*pred = fm_strdup(v->t, sql);
	/* else WHERE true: PostgreSQL stores no predicate, nor do we */
	return true;
}
