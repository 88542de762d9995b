/*-------------------------------------------------------------------------
 *
 * validate_type.c
 *	  Types and defaults of fields: the default SQL type of each scalar
 *	  type, @db.* native types with their arguments, and @default values
 *	  (literals, autoincrement(), now(), uuid(), dbgenerated(), ...).
 *
 * Type mapping (the table, types in format_type() spelling):
 *	 String text, Int integer, BigInt bigint, Float double precision,
 *	 Decimal numeric, Boolean boolean, DateTime timestamp(3) with time zone,
 *	 Json jsonb, Bytes bytea; @db.* native types override it.
 *
 * src/core/validate_type.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fm_literal.h"
#include "validate_int.h"


/* ---------- native types ---------- */

typedef enum NtKind
{
	NT_PLAIN,					/* sql, no arguments */
	NT_LENGTH,					/* sql0 with no argument, else fmt(n) */
	NT_TIME,					/* precision 0..6 */
	NT_DECIMAL
} NtKind;

typedef struct NativeType
{
	const char *name;
	const char *scalar;
	NtKind		kind;
	const char *sql0;			/* without arguments */
	const char *fmt;			/* with arguments */
	long		min;
	long		max;
} NativeType;

/* a function @default takes (now, uuid, autoincrement, ...) */
static bool
is_default_function(const char *name)
{
	static const char *const fns[] = {
		"now", "uuid", "cuid", "ulid", "nanoid", "autoincrement",
		"sequence", "dbgenerated", "auto", NULL
	};

	for (int i = 0; name != NULL && fns[i] != NULL; i++)
		if (fm_streq(name, fns[i]))
			return true;
	return false;
}

static const NativeType native_types[] = {
	{"Text", "String", NT_PLAIN, "text", NULL, 0, 0},
	{"VarChar", "String", NT_LENGTH, "character varying", "character varying(%ld)", 1, 10485760},
	{"Char", "String", NT_LENGTH, "character(1)", "character(%ld)", 1, 10485760},
	{"Uuid", "String", NT_PLAIN, "uuid", NULL, 0, 0},
	{"Inet", "String", NT_PLAIN, "inet", NULL, 0, 0},
	{"Cidr", "String", NT_PLAIN, "cidr", NULL, 0, 0},
	{"Citext", "String", NT_PLAIN, "citext", NULL, 0, 0},
	{"Xml", "String", NT_PLAIN, "xml", NULL, 0, 0},
	{"Bit", "String", NT_LENGTH, "bit(1)", "bit(%ld)", 1, 83886080},
	{"VarBit", "String", NT_LENGTH, "bit varying", "bit varying(%ld)", 1, 83886080},
	{"SmallInt", "Int", NT_PLAIN, "smallint", NULL, 0, 0},
	{"Integer", "Int", NT_PLAIN, "integer", NULL, 0, 0},
	{"Oid", "Int", NT_PLAIN, "oid", NULL, 0, 0},
	{"BigInt", "BigInt", NT_PLAIN, "bigint", NULL, 0, 0},
	{"Real", "Float", NT_PLAIN, "real", NULL, 0, 0},
	{"DoublePrecision", "Float", NT_PLAIN, "double precision", NULL, 0, 0},
	{"Decimal", "Decimal", NT_DECIMAL, "numeric", NULL, 1, 1000},
	{"Money", "Decimal", NT_PLAIN, "money", NULL, 0, 0},
	{"Timestamp", "DateTime", NT_TIME, "timestamp without time zone", "timestamp(%ld) without time zone", 0, 6},
	{"Timestamptz", "DateTime", NT_TIME, "timestamp with time zone", "timestamp(%ld) with time zone", 0, 6},
	{"Date", "DateTime", NT_PLAIN, "date", NULL, 0, 0},
	{"Time", "DateTime", NT_TIME, "time without time zone", "time(%ld) without time zone", 0, 6},
	{"Timetz", "DateTime", NT_TIME, "time with time zone", "time(%ld) with time zone", 0, 6},
	{"Boolean", "Boolean", NT_PLAIN, "boolean", NULL, 0, 0},
	{"Json", "Json", NT_PLAIN, "json", NULL, 0, 0},
	{"JsonB", "Json", NT_PLAIN, "jsonb", NULL, 0, 0},
	{"ByteA", "Bytes", NT_PLAIN, "bytea", NULL, 0, 0},
	{NULL, NULL, NT_PLAIN, NULL, NULL, 0, 0}
};

/*
 * fmv_native_type_named
 *		The native type (Prisma's spelling, "Date") that text, the argument
 *		of Unsupported("..."), names with or without arguments ("Date",
 *		"VarChar(10)"), or NULL: Prisma refuses such an Unsupported and asks
 *		for the native type.  Case matters ("date" is no native type name).
 */
const char *
fmv_native_type_named(const char *text)
{
	size_t		len = strcspn(text, "(");

	for (const NativeType *nt = native_types; nt->name; nt++)
		if (strlen(nt->name) == len && strncmp(nt->name, text, len) == 0)
			return nt->name;
	return NULL;
}

/*
 * fmv_pg_type_hint
 *		The ferriorm type to suggest for a PostgreSQL type name someone wrote
 *		as a field type ("int4" -> "Int"), or NULL.
 */
const char *
fmv_pg_type_hint(const char *tn)
{
	static const char *const map[][2] = {
		{"integer", "Int"}, {"int", "Int"}, {"int4", "Int"}, {"serial", "Int"},
		{"smallint", "Int @db.SmallInt"}, {"int2", "Int @db.SmallInt"},
		{"int8", "BigInt"}, {"bigserial", "BigInt"},
		{"text", "String"}, {"varchar", "String @db.VarChar(n)"},
		{"char", "String @db.Char(n)"}, {"uuid", "String @db.Uuid"},
		{"bool", "Boolean"}, {"float", "Float"}, {"double", "Float"},
		{"float8", "Float"}, {"real", "Float @db.Real"}, {"numeric", "Decimal"},
		{"timestamp", "DateTime"}, {"timestamptz", "DateTime"},
		{"date", "DateTime @db.Date"}, {"jsonb", "Json"}, {"bytea", "Bytes"},
		{"Date", "DateTime @db.Date"}, {"Timestamp", "DateTime"}
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], tn) == 0)
			return map[i][1];
	return NULL;
}

/* the SQL type of a scalar type without @db.*, in the run's dialect */
const char *
fmv_default_sql_type(V *v, const char *scalar)
{
	const char *sql = fm_dialect_scalar_sql(v->dl, scalar);

	return sql ? sql : "text";
}

/*
 * fmv_default_sql_type_copy
 *		fmv_default_sql_type of fmv_scalar_types[k] as a string of the run
 *		(v->t), one copy per scalar type, which the columns share.
 */
char *
fmv_default_sql_type_copy(V *v, int k)
{
	if (v->scalar_sql[k] == NULL)
		v->scalar_sql[k] = fm_strdup(v->t, fmv_default_sql_type(v, fmv_scalar_types[k]));
	return v->scalar_sql[k];
}

/*
 * parse a non-negative decimal integer (ASCII digits: what isdigit takes,
 * without a call per digit); false when not one or too large
 */
static bool
parse_small_int(const FmAstValue *val, long *out)
{
	const char *s;
	long		n = 0;

	if (val == NULL || val->kind != FM_VAL_NUMBER || val->text == NULL)
		return false;
	s = val->text;
	if (*s == '-' && s[1])
	{
		/* negative: report as out of range */
		for (const char *p = s + 1; *p; p++)
			if (*p < '0' || *p > '9')
				return false;
		*out = -1;
		return true;
	}
	if (*s == '\0')
		return false;
	for (; *s; s++)
	{
		if (*s < '0' || *s > '9')
			return false;
		if (n > 1000000000L)
			n = 1000000001L;
		else
			n = n * 10 + (*s - '0');
	}
	*out = n;
	return true;
}

/*
 * fmt with its "%ld" conversions (at most two, the only ones it may have)
 * replaced by n0 and n1, in arena: the SQL type of a native type with
 * arguments ("character varying(%ld)"), without vsnprintf, which each
 * such field would otherwise pay.
 */
static char *
format_nums(FmArena *arena, const char *fmt, long n0, long n1)
{
	char		out[128];
	size_t		len = 0;
	int			k = 0;

	for (const char *f = fmt; *f && len < sizeof(out) - 24; f++)
	{
		if (f[0] == '%' && f[1] == 'l' && f[2] == 'd' && k < 2)
		{
			char		digits[24];
			int			nd = 0;
			long		n = k++ == 0 ? n0 : n1;
			unsigned long u = n < 0 ? 0UL - (unsigned long) n : (unsigned long) n;

			do
				digits[nd++] = (char) ('0' + u % 10);
			while ((u /= 10) != 0);
			if (n < 0)
				out[len++] = '-';
			while (nd > 0)
				out[len++] = digits[--nd];
			f += 2;
		}
		else
			out[len++] = *f;
	}
	return fm_strndup(arena, out, len);
}

/*
 * native_sql
 *		The SQL type of a native type: fmt with its %ld replaced by n0 and
 *		n1 (format_nums), or fmt itself when plain, from a small cache in
 *		V: a schema states the same few types on many fields, and making
 *		the text again for each was a string per field.  The columns share
 *		the copy, as they share fmv_default_sql_type_copy's; fmt is a
 *		static string, compared by pointer (a plain text and a format are
 *		different strings; plain ones are given with n0 = n1 = 0).
 */
static char *
native_sql(V *v, const char *fmt, bool plain, long n0, long n1)
{
	uint64_t	h = (uint64_t) (uintptr_t) fmt * 0x9E3779B97F4A7C15ULL ^
		(uint64_t) n0 * 0xC2B2AE3D27D4EB4FULL ^ (uint64_t) n1;
	size_t		slot = (size_t) (h >> 59) % (sizeof(v->native_sql) / sizeof(v->native_sql[0]));
	char	   *sql;

	if (v->native_sql[slot].fmt == fmt && v->native_sql[slot].n0 == n0 &&
		v->native_sql[slot].n1 == n1)
		return v->native_sql[slot].sql;
	sql = plain ? fm_strdup(v->t, fmt) : format_nums(v->t, fmt, n0, n1);
	v->native_sql[slot].fmt = fmt;
	v->native_sql[slot].n0 = n0;
	v->native_sql[slot].n1 = n1;
	v->native_sql[slot].sql = sql;
	return sql;
}

/*
 * fmv_apply_native_type
 *		Attribute at (@db.<Type>(args)) on field vf: checks that the native
 *		type exists, fits the field's scalar type and takes the given
 *		arguments in range, and sets the column's SQL type accordingly.
 *		In the ferriorm dialect "@db.BigInt" also fits an Int field (the
 *		ORM makes it bigint, an i64 in its client).
 */
void
fmv_apply_native_type(V *v, VField *vf, FmAstAttribute *at, FmvCtx *ctx)
{
	const char *tname = at->name + v->native_prefix_len;	/* "VarChar" */
	const NativeType *nt = NULL;
	const char *names[sizeof(native_types) / sizeof(native_types[0])];
	long		nums[2];
	int			nargs = 0;
	int			maxargs;

	/* the first byte compared inline: the names are many, mostly different there */
	for (int i = 0; native_types[i].name && nt == NULL; i++)
		if (native_types[i].name[0] == tname[0] && fm_streq(native_types[i].name, tname))
			nt = &native_types[i];
	if (nt == NULL)
	{
		/* the names to suggest from, only for the message */
		for (int i = 0; native_types[i].name; i++)
		{
			names[i] = native_types[i].name;
			names[i + 1] = NULL;
		}
		ERR(at->pos, "unknown native type \"@%s\" on %s%s", at->name, fmv_ctx(v, ctx),
			fmv_suggest(v, tname, names, NULL, fm_psprintf(v->w, "@%s", v->native_prefix)));
		return;
	}
	/* ferriorm's own: Prisma's PostgreSQL connector has no such type */
	if (v->dl->kind == FM_DIALECT_PRISMA && fm_streq(nt->name, "Cidr"))
	{
		ERR(at->pos, "native type \"@%s\" on %s is not one of Prisma's, whose validator refuses it; write the field's type as Unsupported(\"%s\")",
			at->name, fmv_ctx(v, ctx), nt->sql0);
		return;
	}
	if (vf->kind == VF_UNSUPPORTED)
	{
		ERR(at->pos, "native type \"@%s\" cannot be used on %s of type Unsupported; put the type into Unsupported(\"...\")",
			at->name, fmv_ctx(v, ctx));
		return;
	}
	if (vf->kind != VF_SCALAR ||
		(!fm_streq(vf->scalar, nt->scalar) &&
		 !(v->dl->int_db_bigint && fm_streq(nt->name, "BigInt") &&
		   fm_streq(vf->scalar, "Int"))))
	{
		ERR(at->pos, "native type \"@%s\" cannot be used on %s of type \"%s\"; it needs a field of type %s",
			at->name, fmv_ctx(v, ctx), fmv_nz(vf->ast->type_name), nt->scalar);
		return;
	}
	maxargs = nt->kind == NT_PLAIN ? 0 : nt->kind == NT_DECIMAL ? 2 : 1;
	for (int i = 0; i < at->args.n; i++)
	{
		FmAstArg   *arg = fm_list_get(&at->args, i, FmAstArg);
		long		n;

		if (arg == NULL)
			continue;
		if (maxargs == 0)
		{
			ERR(arg->pos, "native type \"@%s\" on %s takes no arguments", at->name, fmv_ctx(v, ctx));
			return;
		}
		if (nargs >= maxargs || arg->name != NULL)
		{
			ERR(arg->pos, "native type \"@%s\" on %s takes at most %d argument%s",
				at->name, fmv_ctx(v, ctx), maxargs, maxargs == 1 ? "" : "s");
			return;
		}
		if (!parse_small_int(arg->value, &n))
		{
			ERR(arg->value ? arg->value->pos : arg->pos,
				"argument %s of \"@%s\" on %s must be a whole number",
				fmv_value_repr(v, arg->value), at->name, fmv_ctx(v, ctx));
			return;
		}
		nums[nargs++] = n;
	}
	vf->has_native = true;
	vf->native = nt->name;
	switch (nt->kind)
	{
		case NT_PLAIN:
			vf->col->type.sql = native_sql(v, nt->sql0, true, 0, 0);
			break;
		case NT_LENGTH:
		case NT_TIME:
			if (nargs == 0)
				vf->col->type.sql = native_sql(v, nt->sql0, true, 0, 0);
			else if (nums[0] < nt->min || nums[0] > nt->max)
			{
				FmAstArg   *arg = fm_list_get(&at->args, 0, FmAstArg);

				ERR(arg->value->pos, "%s %s of \"@%s\" on %s is out of range (%ld to %ld)",
					nt->kind == NT_TIME ? "precision" : "length",
					fmv_nz(arg->value->text), at->name, fmv_ctx(v, ctx), nt->min, nt->max);
			}
			else
				vf->col->type.sql = native_sql(v, nt->fmt, false, nums[0], 0);
			break;
		case NT_DECIMAL:
			if (nargs == 0)
				vf->col->type.sql = native_sql(v, "numeric", true, 0, 0);
			else
			{
				long		s = nargs > 1 ? nums[1] : 0;
				FmAstArg   *a0 = fm_list_get(&at->args, 0, FmAstArg);

				if (nums[0] < 1 || nums[0] > 1000)
					ERR(a0->value->pos, "precision %s of \"@%s\" on %s is out of range (1 to 1000)",
						fmv_nz(a0->value->text), at->name, fmv_ctx(v, ctx));
				else if (s < 0 || s > nums[0])
				{
					FmAstArg   *a1 = fm_list_get(&at->args, 1, FmAstArg);

					ERR(a1->value->pos, "scale %s of \"@%s\" on %s is out of range (0 to %ld)",
						fmv_nz(a1->value->text), at->name, fmv_ctx(v, ctx), nums[0]);
				}
				else
					vf->col->type.sql = native_sql(v, "numeric(%ld,%ld)", false, nums[0], s);
			}
			break;
	}
}

/* ---------- defaults ---------- */

static bool
is_text_type(const char *sql)
{
	return sql && (fm_streq(sql, "text") ||
				   strncmp(sql, "character", 9) == 0 ||
				   fm_streq(sql, "citext"));
}

static const char *
field_type_desc(VField *vf)
{
	return fmv_nz(vf->ast->type_name);
}

/*
 * The arguments Prisma allows to the generator functions of @default:
 * uuid(4) and uuid(7), cuid(1) and cuid(2), nanoid(n) with 2 <= n <= 255;
 * every other function takes none.  Reports and returns false otherwise.
 */
static bool
function_args_ok(V *v, const FmAstValue *val, const char *fn, FmvCtx *ctx)
{
	FmAstArg   *a0 = val->args.n == 1 ? fm_list_get(&val->args, 0, FmAstArg) : NULL;
	const char *arg = a0 && a0->name == NULL && a0->value &&
		a0->value->kind == FM_VAL_NUMBER ? fmv_nz(a0->value->text) : NULL;
	long		n;

	if (val->args.n == 0)
		return true;
	if (fm_streq(fn, "uuid") && arg && (fm_streq(arg, "4") || fm_streq(arg, "7")))
		return true;
	if (fm_streq(fn, "cuid") && arg && (fm_streq(arg, "1") || fm_streq(arg, "2")))
		return true;
	if (fm_streq(fn, "nanoid") && arg && parse_small_int(a0->value, &n) &&
		n >= 2 && n <= 255)
		return true;
	if (fm_streq(fn, "uuid") || fm_streq(fn, "cuid") || fm_streq(fn, "nanoid"))
		ERR(val->pos, "function \"%s()\" in @default on %s takes %s", fn, fmv_ctx(v, ctx),
			fm_streq(fn, "uuid") ? "no argument, 4 or 7" :
			fm_streq(fn, "cuid") ? "no argument, 1 or 2" :
			"no argument or a length from 2 to 255");
	else
		ERR(val->pos, "function \"%s()\" in @default on %s takes no arguments", fn, fmv_ctx(v, ctx));
	return false;
}

/* the one value of @default on ctx, or NULL (reported, with example) */
static FmAstValue *
default_arg(V *v, FmAstAttribute *at, FmvCtx *ctx, const char *example)
{
	const char *const names[] = {"value", NULL};
	FmAstArg   *args[1];
	FmAstArg   *a0 = at->args.n == 1 ? fm_list_get(&at->args, 0, FmAstArg) : NULL;

	/* one positional value, as nearly every @default is: what binding gives */
	if (a0 != NULL && a0->name == NULL && a0->value != NULL)
		return a0->value;
	if (!fmv_bind_args(v, at, ctx, names, true, args))
		return NULL;
	if (args[0] == NULL || args[0]->value == NULL)
	{
		ERR(at->pos, "@default on %s needs a value, as in %s", fmv_ctx(v, ctx), example);
		return NULL;
	}
	return args[0]->value;
}

/*
 * A function default, @default(fn(...)), on field vf: checked against the
 * field's type and turned into the column's default (autoincrement(): the
 * dialect's identity or serial; now(): CURRENT_TIMESTAMP; uuid(): a
 * database default only in a dialect that has one; dbgenerated("sql"):
 * the SQL; the other generators: client side).
 */
static void
default_function(V *v, VField *vf, FmAstValue *val, FmvCtx *ctx)
{
	static const char *const funcs[] = {
		"autoincrement", "uuid", "cuid", "now", "dbgenerated", "nanoid", "ulid", NULL
	};
	FmColumn   *col = vf->col;
	const char *ty = field_type_desc(vf);
	const char *fn = fmv_nz(val->text);

	if (fm_streq(fn, "sequence") || fm_streq(fn, "auto"))
	{
		ERR(val->pos, "function \"%s()\" in @default on %s belongs to Prisma's %s connector; on PostgreSQL use autoincrement()%s",
			fn, fmv_ctx(v, ctx), fm_streq(fn, "sequence") ? "CockroachDB" : "MongoDB",
			fm_streq(fn, "auto") ? " or uuid()" : "");
		return;
	}
	if (!fmv_in_list(funcs, fn))
	{
		const char *best = closest(fn, funcs, NULL);

		ERR(val->pos, "unknown function \"%s()\" in @default on %s%s", fn, fmv_ctx(v, ctx),
			best ? fm_psprintf(v->t, "; did you mean \"%s()\"?", best) : "");
		return;
	}
	if (fm_streq(fn, "dbgenerated"))
	{
		FmAstArg   *a0 = val->args.n == 1 ? fm_list_get(&val->args, 0, FmAstArg) : NULL;

		if (val->args.n == 0)
		{
			/* a default the database keeps, not managed by the schema */
			col->client_default = true;
			col->keep_default = true;
			return;
		}
		if (a0 == NULL || a0->name != NULL || a0->value == NULL ||
			a0->value->kind != FM_VAL_STRING || !fmv_value_is_nul_free(a0->value) ||
			a0->value->text == NULL || a0->value->text[0] == '\0')
		{
			ERR(val->pos, "dbgenerated() in @default on %s needs the SQL expression as one string argument, as in dbgenerated(\"now()\")",
				fmv_ctx(v, ctx));
			return;
		}
		if (fmv_sql_item_ok(v, a0->value->pos, "dbgenerated()", fmv_ctx(v, ctx), a0->value->text))
		{
			col->default_sql = fm_strdup(v->t, a0->value->text);
			v->raw_defaults = true;
		}
		return;
	}
	if (!function_args_ok(v, val, fn, ctx))
		return;
	if (vf->kind == VF_UNSUPPORTED)
	{
		ERR(val->pos, "@default(%s()) cannot be used on %s of type Unsupported; use dbgenerated(\"...\")",
			fn, fmv_ctx(v, ctx));
		return;
	}
	if (fm_streq(fn, "autoincrement"))
	{
		if (vf->kind == VF_SCALAR && fm_streq(col->type.sql, "oid"))
		{
			ERR(val->pos, "@default(autoincrement()) cannot be used on %s with native type \"oid\"; identity columns need smallint, integer or bigint",
				fmv_ctx(v, ctx));
			return;
		}
		if (vf->kind != VF_SCALAR ||
			(!fm_streq(vf->scalar, "Int") && !fm_streq(vf->scalar, "BigInt")))
		{
			ERR(val->pos, "@default(autoincrement()) cannot be used on %s of type \"%s\"; it needs an Int or BigInt field",
				fmv_ctx(v, ctx), ty);
			return;
		}
		if (vf->optional)
		{
			ERR(val->pos, "@default(autoincrement()) cannot be used on optional %s; identity columns are never null",
				fmv_ctx(v, ctx));
			return;
		}
		col->autoinc = v->dl->autoinc;
		return;
	}
	if (fm_streq(fn, "now"))
	{
		if (vf->kind != VF_SCALAR || !fm_streq(vf->scalar, "DateTime"))
		{
			ERR(val->pos, "@default(now()) cannot be used on %s of type \"%s\"; it needs a DateTime field",
				fmv_ctx(v, ctx), ty);
			return;
		}
		if (v->now_sql == NULL)
			v->now_sql = fm_strdup(v->t, "CURRENT_TIMESTAMP");
		col->default_sql = v->now_sql;	/* the columns share one copy */
		return;
	}
	/* uuid, cuid, nanoid, ulid: String only */
	if (vf->kind != VF_SCALAR || !fm_streq(vf->scalar, "String"))
	{
		ERR(val->pos, "@default(%s()) cannot be used on %s of type \"%s\"; it needs a String field",
			fn, fmv_ctx(v, ctx), ty);
		return;
	}
	/* uuid(7): PostgreSQL 15 has no generator, the client makes it */
	if (fm_streq(fn, "uuid") && v->dl->uuid_db_default &&
		(val->args.n == 0 ||
		 fm_streq(fm_list_get(&val->args, 0, FmAstArg)->value->text, "4")))
	{
		if (fm_streq(col->type.sql, "uuid"))
			col->default_sql = fm_strdup(v->t, "gen_random_uuid()");
		else if (is_text_type(col->type.sql))
			col->default_sql = fm_strdup(v->t, "(gen_random_uuid())::text");
		else
			ERR(val->pos, "@default(uuid()) cannot be used on %s with native type \"%s\"",
				fmv_ctx(v, ctx), fmv_nz(col->type.sql));
		return;
	}
	col->client_default = true;
	return;
}

/*
 * Standard base64 (RFC 4648, with or without padding) to lower-case hex
 * digits; NULL when s is not base64.  strict (Prisma's reading, the Rust
 * base64 crate's standard engine) also wants the padding and the unused
 * bits of the last character zero ("aGk=", not "aGk" or "aGl=").
 */
static char *
base64_to_hex(V *v, const char *s, bool strict)
{
	static const char digits[] = "0123456789abcdef";
	FmBuf		out;
	unsigned int acc = 0;
	int			bits = 0;
	size_t		len = strlen(s);
	size_t		pad = 0;

	while (pad < 2 && len > pad && s[len - 1 - pad] == '=')
		pad++;
	if ((len - pad) % 4 == 1 || ((pad > 0 || strict) && len % 4 != 0))
		return NULL;
	fm_buf_init(&out, v->t);
	for (size_t i = 0; i < len - pad; i++)
	{
		char		c = s[i];
		int			d = (c >= 'A' && c <= 'Z') ? c - 'A' :
			(c >= 'a' && c <= 'z') ? c - 'a' + 26 :
			(c >= '0' && c <= '9') ? c - '0' + 52 :
			c == '+' ? 62 : c == '/' ? 63 : -1;

		if (d < 0)
			return NULL;
		acc = (acc << 6) | (unsigned int) d;
		bits += 6;
		if (bits >= 8)
		{
			unsigned int byte = (acc >> (bits - 8)) & 0xff;

			bits -= 8;
			fm_buf_append_char(&out, digits[byte >> 4]);
			fm_buf_append_char(&out, digits[byte & 0xf]);
		}
	}
	if (strict && (acc & ((1u << bits) - 1)) != 0)
		return NULL;
	return out.data ? out.data : fm_strdup(v->t, "");
}

/*
 * The SQL literal of enum value ev, a column's default: one copy per value
 * in v->t, which the columns share (a schema gives many columns the default
 * of one value, as status @default(ACTIVE)), found again by the value's
 * pointer in v->enum_sql; a value whose slot holds another is quoted again
 * and takes the slot.
 */
static char *
enum_value_sql(V *v, const FmEnumValue *ev)
{
	size_t		slot = fmv_pointer_slot(ev, FMV_ENUM_SQL_BITS);

	if (v->enum_sql[slot].value != ev)
	{
		v->enum_sql[slot].value = ev;
		v->enum_sql[slot].sql = fmv_sql_literal(v, ev->name);
	}
	return v->enum_sql[slot].sql;
}

/*
 * A literal default on field vf (string, number, boolean, enum value),
 * checked against the field's type and turned into SQL text.
 */
static void
default_literal(V *v, VField *vf, FmAstValue *val, FmvCtx *ctx)
{
	FmColumn   *col = vf->col;
	const char *ty = field_type_desc(vf);

	if (val->kind == FM_VAL_ARRAY)
	{
		ERR(val->pos, "@default on %s cannot be a list", fmv_ctx(v, ctx));
		return;
	}
	if (vf->kind == VF_UNSUPPORTED)
	{
		ERR(val->pos, "@default(%s) cannot be used on %s of type Unsupported; use dbgenerated(\"...\")",
			fmv_value_repr(v, val), fmv_ctx(v, ctx));
		return;
	}
	if (vf->kind == VF_ENUM)
	{
		FmList		variants = {0};

		if (val->kind == FM_VAL_IDENT)
		{
			FmEnumValue *hit = fm_hash_get(&vf->en->by_variant, val->text);

			if (hit)
			{
				col->default_sql = enum_value_sql(v, hit);
				return;
			}
			for (int i = 0; i < vf->en->en->values.n; i++)
				fm_list_append(v->t, &variants,
							   fm_list_get(&vf->en->en->values, i, FmEnumValue)->variant);
			ERR(val->pos, "\"%s\" is not a value of enum \"%s\" (@default on %s)%s",
				fmv_nz(val->text), fmv_nz(vf->en->blk->name), fmv_ctx(v, ctx),
				fmv_suggest(v, val->text, NULL, &variants, NULL));
			return;
		}
		ERR(val->pos, "@default(%s) on %s must be a value of enum \"%s\", written without quotes",
			fmv_value_repr(v, val), fmv_ctx(v, ctx), fmv_nz(vf->en->blk->name));
		return;
	}
	if (vf->kind != VF_SCALAR)
		return;
	if (val->kind == FM_VAL_IDENT && is_default_function(val->text))
	{
		/* @default(now): the call without its parentheses */
		ERR(val->pos, "default value %s of %s is a function without its parentheses; write %s()",
			fmv_nz(val->text), fmv_ctx(v, ctx), fmv_nz(val->text));
		return;
	}

	if (fm_streq(vf->scalar, "String") || fm_streq(vf->scalar, "Json") ||
		fm_streq(vf->scalar, "DateTime"))
	{
		if (val->kind != FM_VAL_STRING)
		{
			ERR(val->pos, "default value %s does not match type \"%s\" of %s; write a string in double quotes",
				fmv_value_repr(v, val), ty, fmv_ctx(v, ctx));
			return;
		}
		if (!fmv_value_is_nul_free(val))
		{
			ERR(val->pos, "default value of %s must not contain NUL characters", fmv_ctx(v, ctx));
			return;
		}
		if (fm_streq(vf->scalar, "Json"))
		{
			const char *why = fm_json_check(fmv_nz(val->text), val->text_len);

			if (why != NULL)
			{
				ERR(val->pos, "default value %s of %s is not JSON (%s); write JSON text in the string, as in @default(\"{\\\"a\\\": 1}\") or @default(\"\\\"text\\\"\")",
					fmv_value_repr(v, val), fmv_ctx(v, ctx), why);
				return;
			}
		}
		if (fm_streq(vf->scalar, "String") &&
			!fm_literal_fits_type(col->type.sql, fmv_nz(val->text)))
		{
			ERR(val->pos, "default value %s is too long for type \"%s\" of %s",
				fmv_value_repr(v, val), fmv_nz(col->type.sql), fmv_ctx(v, ctx));
			return;
		}
		if (fm_streq(vf->scalar, "DateTime"))
		{
			/* RFC 3339, written as Prisma Migrate writes it (fm_literal.h) */
			char		when[FM_RFC3339_OUT];
			const char *why = fm_rfc3339_literal(fmv_nz(val->text), when);

			if (why == NULL)
			{
				col->default_sql = fmv_sql_literal(v, when);
				return;
			}
			/* the ferriorm dialect passes other text on to PostgreSQL */
			if (v->dl->kind == FM_DIALECT_PRISMA)
			{
				ERR(val->pos, "default value %s of %s is not an RFC 3339 date and time (%s), as Prisma requires; write it as in \"2020-01-01T00:00:00Z\"",
					fmv_value_repr(v, val), fmv_ctx(v, ctx), why);
				return;
			}
		}
		col->default_sql = fmv_sql_literal(v, fmv_nz(val->text));
		return;
	}
	if (fm_streq(vf->scalar, "Boolean"))
	{
		if (val->kind != FM_VAL_IDENT ||
			!(fm_streq(val->text, "true") || fm_streq(val->text, "false")))
		{
			ERR(val->pos, "default value %s does not match type \"Boolean\" of %s; use true or false",
				fmv_value_repr(v, val), fmv_ctx(v, ctx));
			return;
		}
		/* a value's text is the tree's (v->t, fm_ast.h): kept, not copied */
		col->default_sql = val->text;
		return;
	}
	if (fm_streq(vf->scalar, "Int") || fm_streq(vf->scalar, "BigInt"))
	{
		bool		big = fm_streq(vf->scalar, "BigInt");
		const char *field_sql = big ? "bigint" : "integer";

		if (val->kind != FM_VAL_NUMBER || !fm_is_number_text(fmv_nz(val->text), true) ||
			strpbrk(val->text, ".eE") != NULL)
		{
			ERR(val->pos, "default value %s does not match type \"%s\" of %s; use a whole number",
				fmv_value_repr(v, val), ty, fmv_ctx(v, ctx));
			return;
		}
		/* the range of the field's type, then of its column's (@db.SmallInt) when another */
		if (!fm_literal_fits_type(field_sql, val->text) ||
			(!fm_streq(col->type.sql, field_sql) &&
			 !fm_literal_fits_type(col->type.sql, val->text)))
		{
			ERR(val->pos, "default value %s is out of range for type \"%s\" of %s",
				val->text, fmv_nz(col->type.sql), fmv_ctx(v, ctx));
			return;
		}
		col->default_sql = val->text[0] == '+' ? val->text + 1 : val->text;
		return;
	}
	if (fm_streq(vf->scalar, "Float") || fm_streq(vf->scalar, "Decimal"))
	{
		/* Prisma also takes a Decimal written as a string: "2.00" */
		bool		dec_string = fm_streq(vf->scalar, "Decimal") &&
			val->kind == FM_VAL_STRING && fmv_value_is_nul_free(val);

		if ((val->kind != FM_VAL_NUMBER && !dec_string) ||
			!fm_is_number_text(fmv_nz(val->text), true))
		{
			ERR(val->pos, "default value %s does not match type \"%s\" of %s; use a number",
				fmv_value_repr(v, val), ty, fmv_ctx(v, ctx));
			return;
		}
		if (!fm_literal_fits_type(col->type.sql, val->text))
		{
			ERR(val->pos, "default value %s is out of range for type \"%s\" of %s",
				fmv_value_repr(v, val), fmv_nz(col->type.sql), fmv_ctx(v, ctx));
			return;
		}
		col->default_sql = val->text[0] == '+' ? val->text + 1 : val->text;
		return;
	}
	/* Bytes: base64 text, as Prisma writes bytes; a bytea hex literal */
	if (fm_streq(vf->scalar, "Bytes") && val->kind == FM_VAL_STRING &&
		fmv_value_is_nul_free(val))
	{
		char	   *hex = base64_to_hex(v, fmv_nz(val->text),
										v->dl->kind == FM_DIALECT_PRISMA);

		if (hex == NULL)
			ERR(val->pos, "default value %s of %s is not base64, the way Prisma writes bytes (as in @default(\"aGk=\"))",
				fmv_value_repr(v, val), fmv_ctx(v, ctx));
		else
			col->default_sql = fmv_sql_literal(v, fm_psprintf(v->t, "\\x%s", hex));
		return;
	}
	ERR(val->pos, "literal defaults are not supported for %s of type \"%s\"; use dbgenerated(\"...\")",
		fmv_ctx(v, ctx), ty);
}

/*
 * fmv_apply_default
 *		Attribute at (@default(value)) on field vf: the column's default,
 *		either a function (autoincrement(), now(), uuid(), cuid(),
 *		dbgenerated("..."), ...) checked against the field's type, or a
 *		literal (number, string, boolean, enum value) checked and turned
 *		into SQL text.  Errors are reported and leave the column without a
 *		default.
 */
void
fmv_apply_default(V *v, VField *vf, FmAstAttribute *at, FmvCtx *ctx)
{
	FmAstValue *val = default_arg(v, at, ctx, "@default(0) or @default(now())");

	if (val == NULL)
		return;
	if (val->kind == FM_VAL_CALL)
		default_function(v, vf, val, ctx);
	else
		default_literal(v, vf, val, ctx);
}

/*
 * fmv_apply_list_default
 *		Attribute at (@default([v1, v2, ...])) on scalar list field vf: every
 *		element is checked as the default of one element (fmv_apply_default
 *		on a copy of the column with the element type), and the column's
 *		default becomes ARRAY[e1, e2, ...]::<type>[], as Prisma Migrate
 *		writes it.  dbgenerated("sql") gives the SQL of the whole list, as
 *		for any column.  Any other value that is not a list is reported.
 */
void
fmv_apply_list_default(V *v, VField *vf, FmAstAttribute *at, FmvCtx *ctx)
{
	FmAstValue *val;
	FmBuf		buf;

	val = default_arg(v, at, ctx, "@default([])");
	if (val == NULL)
		return;
	/* SQL of the whole list, as Prisma takes it (and its pull prints it) */
	if (val->kind == FM_VAL_CALL && fm_streq(val->text, "dbgenerated"))
	{
		default_function(v, vf, val, ctx);
		return;
	}
	if (vf->kind == VF_UNSUPPORTED)
	{
		ERR(val->pos, "@default(%s) cannot be used on %s of type Unsupported; use dbgenerated(\"...\")",
			fmv_value_repr(v, val), fmv_ctx(v, ctx));
		return;
	}
	if (val->kind != FM_VAL_ARRAY)
	{
		ERR(val->pos, "@default(%s) on list %s must be a list, as in @default([]) or @default([%s])",
			fmv_value_repr(v, val), fmv_ctx(v, ctx), val->kind == FM_VAL_CALL ? "..." : fmv_value_repr(v, val));
		return;
	}
	fm_buf_init(&buf, v->t);
	fm_buf_append(&buf, "ARRAY[");
	for (int i = 0; i < val->items.n; i++)
	{
		FmAstValue *item = fm_list_get(&val->items, i, FmAstValue);
		FmAstArg	arg = {0};
		FmAstAttribute one = *at;
		FmColumn	col = *vf->col;
		VField		elem = *vf;

		if (item == NULL)
			continue;
		if (item->kind == FM_VAL_CALL || item->kind == FM_VAL_ARRAY)
		{
			ERR(item->pos, "the elements of @default on list %s must be literal values", fmv_ctx(v, ctx));
			return;
		}
		arg.value = item;
		arg.pos = item->pos;
		memset(&one.args, 0, sizeof(one.args));
		fm_list_append(v->t, &one.args, &arg);
		col.default_sql = NULL;
		elem.col = &col;
		fmv_apply_default(v, &elem, &one, ctx);
		if (col.default_sql == NULL)
			return;				/* reported */
		fm_buf_printf(&buf, "%s%s", i > 0 ? ", " : "", col.default_sql);
	}
	fm_buf_append(&buf, "]::");
	if (vf->kind == VF_ENUM)
	{
		/* the enum type, always quoted: ARRAY['A']::"schema"."Role"[] */
		if (vf->col->type.enum_schema)
		{
			fm_buf_append_quoted(&buf, vf->col->type.enum_schema, '"');
			fm_buf_append_char(&buf, '.');
		}
		fm_buf_append_quoted(&buf, vf->col->type.enum_name, '"');
	}
	else
		fm_buf_append(&buf, fmv_nz(vf->col->type.sql));
	fm_buf_append(&buf, "[]");
	vf->col->default_sql = buf.data;
}

/* @default(now()): the one default @updatedAt may have (ferriorm dialect) */
bool
fmv_default_is_now(const FmAstAttribute *at)
{
	FmAstArg   *a0 = at->args.n == 1 ? fm_list_get(&at->args, 0, FmAstArg) : NULL;

	return a0 && a0->value && a0->value->kind == FM_VAL_CALL &&
		fm_streq(a0->value->text, "now") && a0->value->args.n == 0;
}

/*
 * fmv_unsupported_list_type
 *		The SQL type of a list of Unsupported("elem") (the prisma dialect):
 *		an array of elem.  Prisma's db pull prints an array column of a type
 *		it does not support by the array type's own name, Unsupported("_circle")[]
 *		for circle[], and its diff takes that text for the live column; so an
 *		unqualified, unquoted name that starts with "_" is taken for that
 *		array type, PostgreSQL's name for an array of the rest ("circle[]",
 *		as format_type() spells it), where Prisma would write "_circle[]",
 *		which PostgreSQL refuses.  Any other text is the element type:
 *		Unsupported("circle")[] is circle[], as Prisma writes it.  An array
 *		of a type whose own name starts with "_" is thus written with its
 *		array type's name too (Unsupported("__pair")[] for _pair[]), as
 *		Prisma's db pull prints it.
 */
char *
fmv_unsupported_list_type(V *v, const char *elem)
{
	bool		array_name = elem[0] == '_' && elem[1] != '\0';

	for (const char *p = elem + 1; array_name && *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			  *p == '_' || *p == '$'))
			array_name = false;
	return fm_concat(v->t, array_name ? elem + 1 : elem, "[]");
}
