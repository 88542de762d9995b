/*-------------------------------------------------------------------------
 *
 * print_types.c
 *	  Print: a column's type and default as field type, @db.* native type
 *	  and @default(...).
 *
 * The type is the scalar type whose default column type it is (no @db.*),
 * else a scalar type with the native type attribute that gives the column
 * type (validate.c's native type table, read backwards), else
 * Unsupported("type").  Defaults: identity and serial columns are
 * autoincrement(); CURRENT_TIMESTAMP and now() on DateTime fields now();
 * gen_random_uuid() uuid() where the validator renders uuid() so; literals
 * of the column's own type and enum labels as literals; any other
 * expression dbgenerated("...").
 *
 * src/core/print_types.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fm_literal.h"
#include "print_int.h"

/* The scalar types: a column of the dialect's type of one needs no @db.* */
static const char *const scalar_types[] = {
	"String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime",
	"Json", "Bytes"
};

/* Native types without arguments: column type, scalar, attribute */
static const char *const plain_natives[][3] = {
	{"uuid", "String", "Uuid"}, {"inet", "String", "Inet"},
	{"cidr", "String", "Cidr"}, {"citext", "String", "Citext"},
	{"xml", "String", "Xml"}, {"character varying", "String", "VarChar"},
	{"character(1)", "String", "Char"}, {"bit(1)", "String", "Bit"},
	{"bit varying", "String", "VarBit"}, {"smallint", "Int", "SmallInt"},
	{"oid", "Int", "Oid"}, {"real", "Float", "Real"},
	{"money", "Decimal", "Money"}, {"date", "DateTime", "Date"},
	{"timestamp without time zone", "DateTime", "Timestamp"},
	{"timestamp with time zone", "DateTime", "Timestamptz"},
	{"time without time zone", "DateTime", "Time"},
	{"time with time zone", "DateTime", "Timetz"},
	{"json", "Json", "Json"}, {"numeric", "Decimal", "Decimal"},
	{"jsonb", "Json", "JsonB"}, {"text", "String", "Text"}
};

/*
 * Native types with one argument: printf pattern of the column type with
 * the argument, scalar, attribute, and the argument's range.
 */
typedef struct ArgNative
{
	const char *prefix;			/* up to the '(' */
	const char *suffix;			/* after the ')' */
	const char *scalar;
	const char *attr;
	long		min;
	long		max;
} ArgNative;

static const ArgNative arg_natives[] = {
	{"character varying", "", "String", "VarChar", 1, 10485760},
	{"character", "", "String", "Char", 1, 10485760},
	{"bit varying", "", "String", "VarBit", 1, 83886080},
	{"bit", "", "String", "Bit", 1, 83886080},
	{"timestamp", " without time zone", "DateTime", "Timestamp", 0, 6},
	{"timestamp", " with time zone", "DateTime", "Timestamptz", 0, 6},
	{"time", " without time zone", "DateTime", "Time", 0, 6},
	{"time", " with time zone", "DateTime", "Timetz", 0, 6},
	{NULL, NULL, NULL, NULL, 0, 0}
};

/* "<digits>" of at most 9 digits at *p, advancing it; -1 when none */
static long
read_num(const char **p)
{
	long		n = 0;
	int			digits = 0;

	while (**p >= '0' && **p <= '9' && digits < 10)
	{
		n = n * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	return digits == 0 || digits > 9 ? -1 : n;
}

/*
 * native_attr
 *		The native type attribute "@db.<attr>", with arguments n1 and n2
 *		where they are not negative: "@db.VarChar(200)", "@db.Decimal(10,
 *		2)".  Allocated in ps->a.
 */
static FmAstAttribute *
native_attr(PState *ps, const char *attr, long n1, long n2)
{
	FmAstAttribute *at = fm_p_attr(ps, fm_psprintf(ps->a, "db.%s", attr), false);

	if (n1 >= 0)
	{
		FmAstValue *v = fm_p_ident(ps, fm_psprintf(ps->a, "%ld", n1));

		v->kind = FM_VAL_NUMBER;
		at->has_parens = true;
		fm_p_arg(ps, &at->args, NULL, v);
	}
	if (n2 >= 0)
	{
		FmAstValue *v = fm_p_ident(ps, fm_psprintf(ps->a, "%ld", n2));

		v->kind = FM_VAL_NUMBER;
		fm_p_arg(ps, &at->args, NULL, v);
	}
	return at;
}

/* scalar type and native attribute for a built-in column type; false: none */
static bool
builtin_type(PState *ps, const char *sql, PFieldType *out)
{
	const FmDialect *dl = fm_dialect(ps->nm->kind);

	for (size_t i = 0; i < sizeof(scalar_types) / sizeof(scalar_types[0]); i++)
		if (strcmp(sql, fm_dialect_scalar_sql(dl, scalar_types[i])) == 0)
		{
			out->type_name = (char *) scalar_types[i];
			return true;
		}
	for (size_t i = 0; i < sizeof(plain_natives) / sizeof(plain_natives[0]); i++)
		if (strcmp(sql, plain_natives[i][0]) == 0 &&
			/*
			 * Prisma writes the length of char(1) and bit(1), and has no
			 * @db.Cidr (ferriorm's own): cidr is Unsupported("cidr") there
			 */
			!(P_PRISMA(ps) && (strcmp(sql, "character(1)") == 0 || strcmp(sql, "bit(1)") == 0 ||
							   strcmp(sql, "cidr") == 0)))
		{
			out->type_name = (char *) plain_natives[i][1];
			out->native = native_attr(ps, plain_natives[i][2], -1, -1);
			return true;
		}
	if (strncmp(sql, "numeric(", 8) == 0)
	{
		const char *p = sql + 8;
		long		prec = read_num(&p);
		long		scale;

		if (prec < 1 || prec > 1000 || *p++ != ',')
			return false;
		scale = read_num(&p);
		if (scale < 0 || scale > prec || strcmp(p, ")") != 0)
			return false;
		out->type_name = "Decimal";
		out->native = native_attr(ps, "Decimal", prec, scale);
		return true;
	}
	for (int i = 0; arg_natives[i].prefix; i++)
	{
		const ArgNative *an = &arg_natives[i];
		size_t		pl = strlen(an->prefix);
		const char *p;
		long		n;

		if (strncmp(sql, an->prefix, pl) != 0 || sql[pl] != '(')
			continue;
		p = sql + pl + 1;
		n = read_num(&p);
		if (n < an->min || n > an->max || *p++ != ')' || strcmp(p, an->suffix) != 0)
			continue;
		out->type_name = (char *) an->scalar;
		out->native = native_attr(ps, an->attr, n, -1);
		return true;
	}
	return false;
}

/* ---------- SQL text ---------- */

/*
 * SQL text as pg_get_expr() spells it under standard_conforming_strings on
 * (which introspection sets), respelled so that it means the same under
 * either setting, as the validator requires of SQL fragments: every '...'
 * string with a backslash becomes E'...' with the backslashes doubled.
 * Quoted names are copied as they are.
 */
char *
fm_p_sql_text(PState *ps, const char *sql)
{
	FmBuf		b;
	const char *p = sql;

	if (sql == NULL || strchr(sql, '\\') == NULL)
		return (char *) sql;
	fm_buf_init(&b, ps->a);
	while (*p)
	{
		if (*p == '"')
		{
			const char *e = p + 1;

			while (*e && !(*e == '"' && e[1] != '"'))
				e += (*e == '"') ? 2 : 1;
			if (*e)
				e++;
			fm_buf_append_len(&b, p, (size_t) (e - p));
			p = e;
		}
		else if (*p == '\'' && (p == sql || !(isalnum((unsigned char) p[-1]) || p[-1] == '_')))
		{
			const char *e = p + 1;
			bool		backslash = false;

			while (*e && !(*e == '\'' && e[1] != '\''))
			{
				backslash |= *e == '\\';
				e += (*e == '\'') ? 2 : 1;
			}
			if (*e)
				e++;
			if (backslash)
			{
				fm_buf_append(&b, "E'");
				for (const char *q = p + 1; q < e - 1; q++)
				{
					if (*q == '\\')
						fm_buf_append_char(&b, '\\');
					fm_buf_append_char(&b, *q);
				}
				fm_buf_append_char(&b, '\'');
			}
			else
				fm_buf_append_len(&b, p, (size_t) (e - p));
			p = e;
		}
		else
			fm_buf_append_char(&b, *p++);
	}
	return b.data;
}

/* ---------- defaults ---------- */

/* "@default(v)". */
static FmAstAttribute *
default_attr(PState *ps, FmAstValue *v)
{
	FmAstAttribute *at = fm_p_attr(ps, "default", false);

	at->has_parens = true;
	fm_p_arg(ps, &at->args, NULL, v);
	return at;
}

static FmAstValue *
call0(PState *ps, const char *fn)
{
	return fm_p_call(ps, fn);
}

/*
 * A string literal '...' (quotes doubled; standard_conforming_strings is on
 * for introspection, so a backslash is itself), optionally followed by
 * ::type: its contents, and in *cast the type (NULL when none).  NULL when
 * expr is not one.
 */
static char *
string_literal(PState *ps, const char *expr, const char **cast)
{
	FmBuf		b;
	const char *p = expr;

	*cast = NULL;
	if (*p != '\'')
		return NULL;
	fm_buf_init(&b, ps->a);
	fm_buf_append(&b, "");
	for (p++;; p++)
	{
		if (*p == '\0')
			return NULL;
		if (*p == '\'')
		{
			if (p[1] == '\'')
			{
				fm_buf_append_char(&b, '\'');
				p++;
				continue;
			}
			p++;
			break;
		}
		fm_buf_append_char(&b, *p);
	}
	if (*p == '\0')
		return b.data;
	if (strncmp(p, "::", 2) != 0)
		return NULL;
	*cast = p + 2;
	/* a type deparsed quoted, '101'::"bit": compared without the quotes */
	if (p[2] == '"' && strchr(p + 3, '"') == p + strlen(p) - 1 && strlen(p) > 4)
		*cast = fm_strndup(ps->a, p + 3, strlen(p) - 4);
	return b.data;
}

/* a number as PostgreSQL prints a numeric constant: -?digits(.digits)? */
static bool
plain_number(const char *s, bool integer)
{
	return fm_is_number_text(s, false) && *s != '+' && s[strlen(s) - 1] != '.' &&
		*s != '.' && !(*s == '-' && s[1] == '.') &&
		(!integer || strchr(s, '.') == NULL);
}

/*
 * A bytea literal's text (\x and hex digits) as base64, the way Prisma
 * writes a Bytes default (the validator reads it back); NULL when it is
 * not that.
 */
static char *
hex_to_base64(PState *ps, const char *lit)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t		n;
	unsigned char *bytes;
	FmBuf		b;

	if (lit[0] != '\\' || lit[1] != 'x' || (n = strlen(lit + 2)) % 2 != 0)
		return NULL;
	bytes = fm_alloc(ps->a, n / 2 + 1);
	for (size_t i = 0; i < n; i++)
	{
		char		h = lit[2 + i];
		int			v = (h >= '0' && h <= '9') ? h - '0' :
			(h >= 'a' && h <= 'f') ? h - 'a' + 10 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;

		if (v < 0)
			return NULL;
		bytes[i / 2] = (unsigned char) ((i % 2) ? (bytes[i / 2] | v) : (v << 4));
	}
	n /= 2;
	fm_buf_init(&b, ps->a);
	fm_buf_append(&b, "");
	for (size_t i = 0; i < n; i += 3)
	{
		unsigned	v = (unsigned) bytes[i] << 16 |
			(i + 1 < n ? (unsigned) bytes[i + 1] << 8 : 0) | (i + 2 < n ? bytes[i + 2] : 0);

		fm_buf_append_char(&b, b64[(v >> 18) & 63]);
		fm_buf_append_char(&b, b64[(v >> 12) & 63]);
		fm_buf_append_char(&b, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		fm_buf_append_char(&b, i + 2 < n ? b64[v & 63] : '=');
	}
	return b.data;
}

/* The enum value of a label, or NULL */
static const char *
enum_variant(PState *ps, const FmColumn *c, const char *label)
{
	PEnum	   *pe = fm_hash_get2(&ps->by_enum, c->type.enum_schema, c->type.enum_name);

	if (pe == NULL)
		return NULL;
	for (int k = 0; k < pe->e->values.n; k++)
		if (strcmp(fm_list_get(&pe->e->values, k, FmEnumValue)->name, label) == 0)
			return pe->variants[k];
	return NULL;
}

/*
 * @default for a column whose type was printed as out->type_name.  A
 * literal the column's type cannot store (PostgreSQL takes one in CREATE
 * TABLE, then fails every insert that uses it; the validator refuses it:
 * fm_literal_fits_type) is printed as dbgenerated("..."), so that the text
 * validates and states the same default.
 */
static FmAstAttribute *
column_default(PState *ps, const FmColumn *c, PFieldType *out)
{
	const char *d = c->default_sql;
	const char *ty = out->type_name;
	const char *cast;
	char	   *lit;
	FmAstValue *v;

	if (c->autoinc != FM_AUTOINC_NONE)
	{
		if ((strcmp(ty, "Int") == 0 || strcmp(ty, "BigInt") == 0) &&
			!fm_streq(c->type.sql, "oid"))
			return default_attr(ps, call0(ps, "autoincrement"));
		out->reason = fm_psprintf(ps->a, "column \"%s\" is an identity or serial column of type %s",
								  c->name, c->type.sql);
		return NULL;
	}
	if (d == NULL)
		return NULL;
	if (strcmp(ty, "DateTime") == 0 &&
		(strcmp(d, "CURRENT_TIMESTAMP") == 0 || strcmp(d, "now()") == 0))
		return default_attr(ps, call0(ps, "now"));
	if (strcmp(ty, "String") == 0 && fm_dialect(ps->nm->kind)->uuid_db_default &&
		((fm_streq(c->type.sql, "uuid") && strcmp(d, "gen_random_uuid()") == 0) ||
		 (fm_streq(c->type.sql, "text") && strcmp(d, "(gen_random_uuid())::text") == 0)))
		return default_attr(ps, call0(ps, "uuid"));
	if (strcmp(ty, "Boolean") == 0 && (strcmp(d, "true") == 0 || strcmp(d, "false") == 0))
		return default_attr(ps, fm_p_ident(ps, d));

	lit = string_literal(ps, d, &cast);
	/*
	 * Prisma's db pull reads a literal as a string default only on the
	 * columns of its String family, where uuid is a family of its own: a
	 * uuid literal is dbgenerated("'...'::uuid") there (Hatchet)
	 */
	if (P_PRISMA(ps) && fm_streq(c->type.sql, "uuid"))
		lit = NULL;
	if (c->type.kind == FM_TYPE_ENUM && lit && enum_variant(ps, c, lit))
		return default_attr(ps, fm_p_ident(ps, enum_variant(ps, c, lit)));
	if (lit && (strcmp(ty, "String") == 0 || strcmp(ty, "Json") == 0) &&
		(cast == NULL || strcmp(cast, c->type.sql) == 0 ||
		 (strncmp(c->type.sql, cast, strlen(cast)) == 0 && c->type.sql[strlen(cast)] == '(') ||
		 (strcmp(cast, "bpchar") == 0 && strncmp(c->type.sql, "character(", 10) == 0) ||
		 /* Rails: DEFAULT 'active'::text on a varchar column (Prisma's reading) */
		 (strcmp(cast, "text") == 0 && c->type.kind == FM_TYPE_BUILTIN &&
		  (strncmp(c->type.sql, "character varying", 17) == 0 ||
		   strncmp(c->type.sql, "character(", 10) == 0)) ||
		 /* and the reverse, DEFAULT ''::character varying on a text or
		  * citext column (Supabase's auth.users), when the cast keeps it */
		 (strncmp(cast, "character varying", 17) == 0 && c->type.kind == FM_TYPE_BUILTIN &&
		  (strcmp(c->type.sql, "text") == 0 || strcmp(c->type.sql, "citext") == 0) &&
		  fm_literal_fits_type(cast, lit))) &&
		fm_literal_fits_type(c->type.sql, lit))
		return default_attr(ps, fm_p_str(ps, lit));
	if (lit && strcmp(ty, "Bytes") == 0 && fm_streq(cast, "bytea") && hex_to_base64(ps, lit))
		return default_attr(ps, fm_p_str(ps, hex_to_base64(ps, lit)));
	/* the validator's own spelling of a Bytes default: E'\\x00ff' */
	if (strcmp(ty, "Bytes") == 0 && strncmp(d, "E'\\\\x", 5) == 0 && d[strlen(d) - 1] == '\'' &&
		hex_to_base64(ps, fm_strndup(ps->a, d + 3, strlen(d) - 4)))
		return default_attr(ps, fm_p_str(ps, hex_to_base64(ps, fm_strndup(ps->a, d + 3, strlen(d) - 4))));
	if (strcmp(ty, "Int") == 0 || strcmp(ty, "BigInt") == 0 ||
		strcmp(ty, "Float") == 0 || strcmp(ty, "Decimal") == 0)
	{
		bool		integer = ty[0] == 'I' || ty[0] == 'B';
		const char *num = NULL;

		if (plain_number(d, integer) && *d != '-')
			num = d;
		else if (lit && cast && plain_number(lit, integer) &&
				 (strcmp(cast, c->type.sql) == 0 || strcmp(cast, "integer") == 0 ||
				  strcmp(cast, "bigint") == 0 || strcmp(cast, "numeric") == 0))
			num = lit;			/* a negative constant has its own type */
		/* a float's negative zero is no number the language keeps: -0 is 0 */
		if (num && num[0] == '-' && strspn(num + 1, "0.") == strlen(num + 1))
			num = NULL;
		/* an oid default is written as an Int: it must fit one */
		if (num && (!fm_streq(c->type.sql, "oid") || fm_literal_fits_type("integer", num)) &&
			fm_literal_fits_type(c->type.sql, num))
		{
			v = fm_p_ident(ps, num);
			v->kind = FM_VAL_NUMBER;
			return default_attr(ps, v);
		}
	}
	v = fm_p_call(ps, "dbgenerated");
	fm_p_arg(ps, &v->args, NULL, fm_p_str(ps, fm_p_sql_text(ps, d)));
	return default_attr(ps, v);
}

/*
 * Append to arr the variants of the labels of array literal lit ("{a,b}",
 * '{"on hold",""}': elements quoted or not, a quoted one with \" and \\,
 * an unquoted one trimmed of blanks), as array_in() reads it.  False when
 * it is no one-dimensional array, has a NULL element, or names a label the
 * enum of c does not have.
 */
static bool
array_literal_labels(PState *ps, const FmColumn *c, const char *lit, FmAstValue *arr)
{
	const char *p = lit;

	if (*p++ != '{')
		return false;
	while (*p == ' ')
		p++;
	if (*p == '}')
		return p[1] == '\0';
	for (;;)
	{
		FmBuf		el;
		const char *var;
		bool		quoted = false;

		fm_buf_init(&el, ps->a);
		fm_buf_append(&el, "");
		while (*p == ' ')
			p++;
		if (*p == '"')
		{
			quoted = true;
			for (p++; *p != '"'; p++)
			{
				if (*p == '\0')
					return false;
				if (*p == '\\' && p[1] != '\0')
					p++;
				fm_buf_append_char(&el, *p);
			}
			p++;
			while (*p == ' ')
				p++;
		}
		else
		{
			const char *s = p;

			while (*p && *p != ',' && *p != '}' && *p != '"' && *p != '{' && *p != '\\')
				p++;
			while (p > s && p[-1] == ' ')
				p--;
			fm_buf_append_len(&el, s, (size_t) (p - s));
			while (*p == ' ')
				p++;
		}
		if ((!quoted && (el.len == 0 || fm_strcaseeq(el.data, "NULL"))) ||
			(var = enum_variant(ps, c, el.data)) == NULL)
			return false;
		fm_list_append(ps->a, &arr->items, fm_p_ident(ps, var));
		if (*p == ',')
			p++;
		else if (*p == '}' && p[1] == '\0')
			return true;
		else
			return false;
	}
}

/*
 * @default([A, B]) of an enum list column from its default text:
 * ARRAY['a'::t, 'b'::t]::t[] (what the validator writes), '{a,"b c"}'::t[]
 * (array_literal_labels) or an empty one.  NULL when it is none of these,
 * or names a label the enum does not have.
 */
static FmAstAttribute *
enum_list_default(PState *ps, const FmColumn *c, const char *d)
{
	FmAstValue *arr = fm_p_array(ps);
	const char *p;

	if (strncmp(d, "ARRAY[", 6) == 0)
	{
		p = d + 6;
		while (*p && *p != ']')
		{
			const char *cast;
			const char *end;
			char	   *lit;
			const char *var;

			if (*p != '\'')
				return NULL;
			/* one element: 'label'::type, up to ", " or "]" */
			end = p + 1;
			while (*end && !(*end == '\'' && end[1] != '\''))
				end += (*end == '\'') ? 2 : 1;
			if (*end == '\0')
				return NULL;
			end++;
			while (*end && *end != ',' && *end != ']')
				end++;
			lit = string_literal(ps, fm_strndup(ps->a, p, (size_t) (end - p)), &cast);
			if (lit == NULL || (var = enum_variant(ps, c, lit)) == NULL)
				return NULL;
			fm_list_append(ps->a, &arr->items, fm_p_ident(ps, var));
			p = end;
			if (*p == ',')
				p++;
			while (*p == ' ')
				p++;
		}
		if (*p != ']')
			return NULL;
		return default_attr(ps, arr);
	}
	if (strncmp(d, "'{", 2) == 0)
	{
		const char *cast;
		char	   *lit = string_literal(ps, d, &cast);

		if (lit == NULL || cast == NULL || !array_literal_labels(ps, c, lit, arr))
			return NULL;
		return default_attr(ps, arr);
	}
	return NULL;
}

/*
 * The number of a list element that PostgreSQL stores cast to the list's
 * element type, "(1.5)::double precision", "0.5::numeric(65,30)" or
 * "(-2)::numeric" (the type elem_sql, or its name without modifiers); e
 * itself when it is no such cast.
 */
static const char *
uncast_number(PState *ps, const char *e, const char *elem_sql)
{
	const char *colons = strstr(e, "::");
	const char *paren = strchr(elem_sql, '(');
	const char *type;
	char	   *num;

	if (colons == NULL)
		return e;
	type = colons + 2;
	if (strcmp(type, elem_sql) != 0 &&
		!(paren && strlen(type) == (size_t) (paren - elem_sql) &&
		  strncmp(type, elem_sql, (size_t) (paren - elem_sql)) == 0))
		return e;
	num = fm_strndup(ps->a, e, (size_t) (colons - e));
	if (num[0] == '(' && num[strlen(num) - 1] == ')')
		num = fm_strndup(ps->a, num + 1, strlen(num) - 2);
	return num;
}

/* one element of a scalar list default: a literal of the list's type */
static FmAstValue *
list_element(PState *ps, const char *ty, const char *elem_sql, const char *e)
{
	const char *cast;
	char	   *lit = string_literal(ps, e, &cast);
	FmAstValue *v;

	if (strcmp(ty, "String") == 0)
		return lit && fm_literal_fits_type(elem_sql, lit) ? fm_p_str(ps, lit) : NULL;
	if (strcmp(ty, "Boolean") == 0)
		return strcmp(e, "true") == 0 || strcmp(e, "false") == 0 ? fm_p_ident(ps, e) : NULL;
	if (strcmp(ty, "Int") == 0 || strcmp(ty, "BigInt") == 0 ||
		strcmp(ty, "Float") == 0 || strcmp(ty, "Decimal") == 0)
	{
		const char *num = lit ? lit : uncast_number(ps, e, elem_sql);

		if (!plain_number(num, ty[0] == 'I' || ty[0] == 'B') ||
			!fm_literal_fits_type(elem_sql, num))
			return NULL;
		v = fm_p_ident(ps, num);
		v->kind = FM_VAL_NUMBER;
		return v;
	}
	return NULL;
}

/*
 * One element of an array literal's text (array_literal_default) as a value
 * of scalar type ty: a string as it is; otherwise unquoted, as list_element
 * reads it, t/f being a Boolean's true/false.  NULL when it is none.
 */
static FmAstValue *
literal_element(PState *ps, const char *ty, const char *elem_sql,
				const char *e, bool quoted)
{
	if (strcmp(ty, "String") == 0)
		return fm_literal_fits_type(elem_sql, e) ? fm_p_str(ps, e) : NULL;
	if (quoted)
		return NULL;
	if (strcmp(ty, "Boolean") == 0)
		e = strcmp(e, "t") == 0 ? "true" : strcmp(e, "f") == 0 ? "false" : e;
	return list_element(ps, ty, elem_sql, e);
}

/*
 * array_literal_default
 *		@default([...]) of a scalar list column of type ty from a default
 *		written as an array literal, '{a,"b c"}'::text[] (pg_get_expr's form
 *		of what was written '{a,"b c"}'): one dimension, elements bare or
 *		double-quoted with backslash escapes, none of them NULL.  Plans fold
 *		it and the ARRAY[...] the text makes to one constant
 *		(normalize_srv.c, same_const_array), so they compare equal.  NULL
 *		when it is not such a default.
 */
static FmAstAttribute *
array_literal_default(PState *ps, const char *ty, const char *elem_sql,
					  const char *d)
{
	FmAstValue *arr = fm_p_array(ps);
	const char *cast;
	char	   *lit = string_literal(ps, d, &cast);
	FmBuf		el;
	const char *p;

	/* the SQL literal '{...}' then ::type[] */
	if (lit == NULL || lit[0] != '{' || cast == NULL || strchr(cast, '\'') != NULL ||
		strlen(cast) < 2 || strcmp(cast + strlen(cast) - 2, "[]") != 0)
		return NULL;
	p = lit + 1;				/* after the '{' */
	while (*p == ' ')
		p++;
	if (*p == '}')
		return p[1] == '\0' ? default_attr(ps, arr) : NULL;
	fm_buf_init(&el, ps->a);
	for (;;)
	{
		bool		quoted = false;
		FmAstValue *v;

		fm_buf_reset(&el);
		while (*p == ' ')
			p++;
		if (*p == '"')
		{
			quoted = true;
			for (p++; *p && *p != '"'; p++)
			{
				if (*p == '\\' && p[1])
					p++;
				fm_buf_append_char(&el, *p);
			}
			if (*p++ != '"')
				return NULL;
		}
		else
		{
			for (; *p && *p != ',' && *p != '}'; p++)
			{
				if (*p == '{' || *p == '"' || *p == '\\')
					return NULL;
				fm_buf_append_char(&el, *p);
			}
			while (el.len > 0 && el.data[el.len - 1] == ' ')
				el.data[--el.len] = '\0';
			if (el.len == 0 || fm_strcaseeq(el.data, "NULL"))
				return NULL;
		}
		if ((v = literal_element(ps, ty, elem_sql, el.data, quoted)) == NULL)
			return NULL;
		fm_list_append(ps->a, &arr->items, v);
		while (*p == ' ')
			p++;
		if (*p == ',')
			p++;
		else if (*p == '}' && p[1] == '\0')
			return default_attr(ps, arr);
		else
			return NULL;
	}
}

/*
 * @default([...]) of a scalar list column of type ty from its default text:
 * ARRAY[e1, e2, ...] with an optional ::type[] (what Prisma Migrate and the
 * validator write), or an array literal '{...}'::type[]
 * (array_literal_default).  NULL when it is neither.
 */
static FmAstAttribute *
scalar_list_default(PState *ps, const char *ty, const char *elem_sql,
					const char *d)
{
	FmAstValue *arr = fm_p_array(ps);
	const char *p;

	if (strncmp(d, "'{", 2) == 0)
		return array_literal_default(ps, ty, elem_sql, d);
	/* an empty one cast to a type with modifiers: (ARRAY[]::t[])::t(p)[] */
	if (strncmp(d, "(ARRAY[]::", 10) == 0 && strstr(d, ")::") != NULL &&
		strchr(d, '\'') == NULL && strcmp(d + strlen(d) - 2, "[]") == 0)
		return default_attr(ps, arr);
	if (strncmp(d, "ARRAY[", 6) != 0)
		return NULL;
	p = d + 6;
	while (*p && *p != ']')
	{
		const char *s = p;
		FmAstValue *v;

		/* up to ", " or "]" outside quotes and parentheses */
		for (int depth = 0; *p && !(depth == 0 && (*p == ',' || *p == ']')); p++)
		{
			if (*p == '\'')
			{
				for (p++; *p && !(*p == '\'' && p[1] != '\''); p += (*p == '\'') ? 2 : 1)
					;
				if (*p == '\0')
					return NULL;
			}
			else if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
		}
		if ((v = list_element(ps, ty, elem_sql, fm_strndup(ps->a, s, (size_t) (p - s)))) == NULL)
			return NULL;
		fm_list_append(ps->a, &arr->items, v);
		if (*p == ',')
			p++;
		while (*p == ' ')
			p++;
	}
	if (*p != ']' || !(p[1] == '\0' || (strncmp(p + 1, "::", 2) == 0 &&
										   strchr(p + 3, '\'') == NULL &&
										   strcmp(p + strlen(p) - 2, "[]") == 0)))
		return NULL;
	return default_attr(ps, arr);
}

/*
 * The prisma dialect's scalar lists (String[], Int[] @db.SmallInt): an
 * array of a type a scalar type gives.  Prisma Migrate makes them nullable;
 * a NOT NULL one is a list too (as Prisma's pull prints it), its NOT NULL
 * noted (fm_p_prisma_unstated) and kept by plans.  False when c is not one.
 */
static bool
scalar_list(PState *ps, const FmColumn *c, PFieldType *out)
{
	size_t		n = c->type.sql ? strlen(c->type.sql) : 0;

	if (!P_PRISMA(ps) || c->type.kind != FM_TYPE_BUILTIN ||
		c->autoinc != FM_AUTOINC_NONE || n < 3 || strcmp(c->type.sql + n - 2, "[]") != 0 ||
		c->type.sql[n - 3] == ']' ||
		!builtin_type(ps, fm_strndup(ps->a, c->type.sql, n - 2), out))
		return false;
	/* a default no list states (a NULL element, two dimensions, an
	 * expression): dbgenerated("..."), as Prisma's pull prints it */
	if (c->default_sql &&
		(out->dflt = scalar_list_default(ps, out->type_name,
										 fm_strndup(ps->a, c->type.sql, n - 2),
										 c->default_sql)) == NULL)
	{
		FmAstValue *v = fm_p_call(ps, "dbgenerated");

		fm_p_arg(ps, &v->args, NULL, fm_p_str(ps, fm_p_sql_text(ps, c->default_sql)));
		out->dflt = default_attr(ps, v);
	}
	out->list = true;
	return true;
}

/*
 * domain_as_base
 *		In the prisma dialect, type column c of a domain over a built-in
 *		scalar type as that base type (with the domain's typmod), as
 *		Prisma's db pull types it (String @db.VarChar(25) for a domain over
 *		varchar(25)), with its default read for that type; false for any
 *		other column.  Plans of the prisma dialect take the base type for
 *		the domain (fmd_col_same_type), so they keep the domain and its
 *		constraints, and the model notes the domain (fm_p_prisma_unstated).
 *		A domain over an array of such a type is its list (String[]), over
 *		a printed enum that enum, over an array of one its list (mood[]),
 *		as Prisma prints them; over any other
 *		type (another domain, a range) fm_p_field_type prints
 *		Unsupported("<base>"), as Prisma does.
 */
static bool
domain_as_base(PState *ps, const FmColumn *c, PFieldType *out)
{
	const char *base = FM_COL_MORE(c)->domain_base;
	size_t		n = base ? strlen(base) : 0;
	FmColumn	bc;

	if (!P_PRISMA(ps) || base == NULL || c->type.kind != FM_TYPE_BUILTIN ||
		c->type.array)
		return false;
	bc = *c;
	bc.type.sql = (char *) base;
	if (FM_COL_MORE(c)->domain_enum_name != NULL)
	{
		/* over an enum that is printed: the enum */
		PEnum	   *pe = fm_hash_get2(&ps->by_enum, FM_COL_MORE(c)->domain_enum_schema,
									  FM_COL_MORE(c)->domain_enum_name);

		if (pe == NULL)
			return false;
		bc.type.kind = FM_TYPE_ENUM;
		bc.type.enum_schema = FM_COL_MORE(c)->domain_enum_schema;
		bc.type.enum_name = FM_COL_MORE(c)->domain_enum_name;
		out->type_name = pe->name;
		if (FM_COL_MORE(c)->domain_enum_array)
		{
			/* over an array of it: the enum list, mood[] @default([ok]) */
			bc.type.array = true;
			out->list = true;
			if (c->default_sql &&
				(out->dflt = enum_list_default(ps, &bc, c->default_sql)) == NULL)
				return false;
		}
		else
			out->dflt = column_default(ps, &bc, out);
	}
	else if (n >= 2 && strcmp(base + n - 2, "[]") == 0)
	{
		/* over an array of a scalar type: the list (String[]) */
		if (!scalar_list(ps, &bc, out))
			return false;
	}
	else if (builtin_type(ps, base, out))
		out->dflt = column_default(ps, &bc, out);
	else
		return false;
	out->domain = true;
	return true;
}

/*
 * unsupported_array
 *		Is c an array of an unqualified type whose array type has the name
 *		PostgreSQL gives it ("_" and the element's name, for circle[]
 *		"_circle"), so that a list of Unsupported of that name states it
 *		(the validator's unsupported_list_type takes it back as circle[])?
 *		An element with a typmod, a schema or quotes is printed whole
 *		instead, Unsupported("s.t[]"), which keeps all of it.
 */
static bool
unsupported_array(const FmColumn *c)
{
	const char *an = FM_COL_MORE(c)->array_type_name;
	const char *t = c->type.sql;
	size_t		n = t ? strlen(t) : 0;

	if (an == NULL || n < 3 || strcmp(t + n - 2, "[]") != 0 || c->type.array ||
		an[0] != '_' || strlen(an + 1) != n - 2 || strncmp(an + 1, t, n - 2) != 0)
		return false;
	for (size_t i = 0; i < n - 2; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') ||
			  t[i] == '_' || t[i] == '$'))
			return false;
	return true;
}

/*
 * fm_p_field_type
 *		How column c is typed in the text (see PFieldType): an enum by its
 *		printed name (an enum list as Role[]), a built-in type as its scalar
 *		and native attribute (in the prisma dialect also a domain over one:
 *		domain_as_base), anything else as Unsupported("sql type") with its
 *		default as dbgenerated("...").  Sets out.reason when the column
 *		cannot be stated exactly (the table then gets @@ignore).  Memory is
 *		ps->a's.
 */
PFieldType
fm_p_field_type(PState *ps, const FmColumn *c)
{
	PFieldType	out;
	bool		unsupported = false;

	memset(&out, 0, sizeof(out));
	if (c->type.kind == FM_TYPE_ENUM)
	{
		PEnum	   *pe = fm_hash_get2(&ps->by_enum, c->type.enum_schema, c->type.enum_name);

		if (pe && c->type.array)
		{
			/*
			 * Role[]: the validator makes list columns nullable; the prisma
			 * dialect's plans keep a live NOT NULL (noted:
			 * fm_p_prisma_unstated), the ferriorm dialect's would drop it
			 */
			out.type_name = pe->name;
			out.list = true;
			if (c->notnull && !P_PRISMA(ps))
				out.reason = fm_psprintf(ps->a, "the enum list column \"%s\" is NOT NULL", c->name);
			if (c->default_sql &&
				(out.dflt = enum_list_default(ps, c, c->default_sql)) == NULL)
				out.reason = fm_psprintf(ps->a, "the default of the enum list column \"%s\" cannot be stated",
										 c->name);
			return out;
		}
		if (pe)
			out.type_name = pe->name;
		else
		{
			unsupported = true;
			out.reason = fm_psprintf(ps->a, "column \"%s\" has the enum type %s.%s, which is in a schema that is not pulled or has no values",
									 c->name, c->type.enum_schema ? c->type.enum_schema : "",
									 c->type.enum_name ? c->type.enum_name : "");
		}
	}
	else if (scalar_list(ps, c, &out) || domain_as_base(ps, c, &out))
		return out;
	else if (c->type.kind == FM_TYPE_UNSUPPORTED || c->type.sql == NULL ||
			 !builtin_type(ps, c->type.sql, &out))
		unsupported = true;
	if (unsupported)
	{
		out.type_name = "Unsupported";
		out.unsupported = c->type.sql ? c->type.sql : "";
		out.native = NULL;
		if (P_PRISMA(ps) && unsupported_array(c))
		{
			/*
			 * an array of a type without a name in the language: the list
			 * of its array type, Unsupported("_circle")[], as Prisma prints
			 * it; the validator takes that name for circle[]
			 */
			out.unsupported = FM_COL_MORE(c)->array_type_name;
			out.list = true;
		}
		else if (P_PRISMA(ps) && c->type.kind == FM_TYPE_BUILTIN && !c->type.array &&
			FM_COL_MORE(c)->domain_base != NULL)
		{
			/*
			 * a domain over a type without a name in the language (another
			 * domain, a range): Unsupported("<base>"), as Prisma prints it
			 * and as plans of the dialect compare it (fmd_col_same_type)
			 */
			out.unsupported = FM_COL_MORE(c)->domain_base;
			out.domain = true;
		}
		if (c->autoinc != FM_AUTOINC_NONE)
			out.reason = fm_psprintf(ps->a, "column \"%s\" is an identity or serial column of type %s",
									 c->name, out.unsupported);
		else if (c->default_sql)
		{
			FmAstValue *v = fm_p_call(ps, "dbgenerated");

			fm_p_arg(ps, &v->args, NULL, fm_p_str(ps, fm_p_sql_text(ps, c->default_sql)));
			out.dflt = default_attr(ps, v);
		}
		return out;
	}
	out.dflt = column_default(ps, c, &out);
	return out;
}
