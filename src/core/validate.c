/*-------------------------------------------------------------------------
 *
 * validate.c
 *	  Resolve the syntax tree of a ferriorm schema into the schema model,
 *	  checking every rule of the language and reporting every problem.
 *
 * The validator works in passes over the whole tree so that all errors are
 * found in one run:
 *	 1. datasource (provider, url, schemas), block names;
 *	 2. enums;
 *	 3. models: table names, then every field's type, column, attributes;
 *	 4. block attributes (@@id, @@unique, @@index, @@check, ...);
 *	 5. relations: pairing of relation fields, foreign keys, implicit
 *		many-to-many join tables;
 *	 6. constraint and index names, and name clashes in each schema.
 *
 * Type mapping (the issue's table, types in format_type() spelling):
 *	 String text, Int integer, BigInt bigint, Float double precision,
 *	 Decimal numeric, Boolean boolean, DateTime timestamp(3) with time zone,
 *	 Json jsonb, Bytes bytea; @db.* native types override it.
 *
 * Constraint names follow PostgreSQL (naming.c): <table>_pkey,
 * <table>_<cols>_key, <table>_<cols>_idx, <table>_<cols>_fkey, and for
 * @@check <table>_<col>_check when the expression mentions exactly one
 * column of the table, <table>_check otherwise, with a number appended
 * (check1, check2, ...) when that name is taken, as PostgreSQL's
 * ChooseConstraintName() does.
 *
 * src/core/validate.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fm_ast.h"
#include "fm_parse.h"


/* ---------- working structures ---------- */

typedef struct VModel VModel;
typedef struct VEnum VEnum;

typedef enum VFieldKind
{
	VF_ERROR = 0,				/* type could not be resolved */
	VF_SCALAR,
	VF_ENUM,
	VF_UNSUPPORTED,
	VF_RELATION
} VFieldKind;

typedef struct VField
{
	FmAstField *ast;
	VModel	   *model;
	VFieldKind	kind;
	const char *scalar;			/* "String", ... for VF_SCALAR */
	VEnum	   *en;				/* VF_ENUM */
	VModel	   *target;			/* VF_RELATION */
	FmColumn   *col;			/* scalar/enum/unsupported fields */
	bool		is_id;
	bool		has_native;
	/* relation */
	FmAstAttribute *rel;
	char	   *rel_name;		/* NULL = unnamed */
	FmAstArg   *a_fields;
	FmAstArg   *a_refs;
	FmAstArg   *a_delete;
	FmAstArg   *a_update;
	FmAstArg   *a_map;
	bool		grouped;
} VField;

struct VModel
{
	FmList		names_all;		/* field names, for suggestions (lazy) */
	FmList		names_scalar;	/* non-relation field names (lazy) */
	bool		names_done;
	FmAstBlock *blk;
	FmTable    *table;
	FmList		fields;			/* of VField * */
	FmHashMap		by_field;		/* field name -> VField */
	FmHashMap		by_column;		/* column name -> VField */
	FmHashMap		key_sigs;		/* sorted column list of pk/unique keys -> key */
	bool		ok_name;
	char	   *pk_map;			/* explicit primary key name */
	FmSrcPos	pk_pos;
	FmList		key_maps;		/* parallel to table->uniques: explicit name or NULL */
	FmList		index_maps;		/* parallel to table->indexes */
	FmList		check_maps;		/* parallel to table->checks */
	FmList		fk_maps;		/* parallel to table->foreign_keys */
	FmList		fk_fields;		/* parallel to table->foreign_keys: VField * */
};

struct VEnum
{
	FmAstBlock *blk;
	FmEnum	   *en;
	FmHashMap		by_variant;		/* variant -> FmEnumValue */
};

typedef struct V
{
	FmArena    *a;
	FmDiagList *d;
	FmModel    *m;
	FmList		models;			/* of VModel * */
	FmList		enums;			/* of VEnum * */
	FmList		schemas;		/* of char *: datasource schemas */
	FmList		m2m;			/* of FmTable *: join tables */
	FmList		m2m_desc;		/* of char *: their description */
	FmHashMap		by_model;		/* model name -> VModel */
	FmHashMap		by_enum;		/* enum name -> VEnum */
	long		suggest_budget; /* edit distances we may still compute */
	int			ndiags;			/* diagnostics reported so far */
	FmList		type_cands;		/* model and enum names, for suggestions */
} V;

static const char *const scalar_types[] = {
	"String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime",
	"Json", "Bytes", NULL
};

static const char *const fk_actions[] = {
	"Cascade", "Restrict", "NoAction", "SetNull", "SetDefault", NULL
};

/*
 * At most this many diagnostics from the validator: the messages quote
 * names, so an absurd input could otherwise make the report much larger
 * than the input.  Names of models, enums, fields and values are limited to
 * FM_MAX_NAME_LEN bytes for the same reason.
 */
#define FM_MAX_VALIDATOR_DIAGS 10000
#define FM_MAX_NAME_LEN 255

static void vdiag(V *v, FmSeverity sev, FmSrcPos pos, const char *fmt,...) FM_PRINTF(4, 5);

#define ERR(pos, ...) vdiag(v, FM_SEV_ERROR, (pos), __VA_ARGS__)
#define WARN(pos, ...) vdiag(v, FM_SEV_WARNING, (pos), __VA_ARGS__)

/* ---------- small helpers ---------- */

static void
vdiag(V *v, FmSeverity sev, FmSrcPos pos, const char *fmt,...)
{
	va_list		ap;
	FmBuf		buf;

	if (v->ndiags >= FM_MAX_VALIDATOR_DIAGS)
	{
		if (v->ndiags++ == FM_MAX_VALIDATOR_DIAGS)
			fm_diag_add(v->d, FM_SEV_ERROR, pos,
						"too many problems: only the first %d are reported",
						FM_MAX_VALIDATOR_DIAGS);
		return;
	}
	v->ndiags++;
	fm_buf_init(&buf, v->a);
	va_start(ap, fmt);
	fm_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	fm_diag_add(v->d, sev, pos, "%s", buf.data ? buf.data : "");
}

/* the first bytes of a long name, for messages, never splitting a UTF-8 character */
static char *
name_start(V *v, const char *name)
{
	size_t		len = 0;

	while (name[len] && len < 40)
	{
		unsigned char c = (unsigned char) name[len];
		size_t		l = (c & 0x80) == 0 ? 1 : (c & 0xe0) == 0xc0 ? 2 :
			(c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;

		if (len + l > 40)
			break;
		len += l;
	}
	return fm_psprintf(v->a, "%s...", fm_strndup(v->a, name, len));
}

/* a schema-language name too long to be quoted in messages over and over */
static bool
name_too_long(V *v, FmSrcPos pos, const char *what, const char *name)
{
	if (name == NULL || strlen(name) <= FM_MAX_NAME_LEN)
		return false;
	ERR(pos, "the name of this %s is longer than %d bytes (\"%s\")",
		what, FM_MAX_NAME_LEN, name_start(v, name));
	return true;
}

static const char *
nz(const char *s)
{
	return s ? s : "";
}

/* the closest candidate to word, or NULL */
static const char *
closest_b(long *budget, const char *word, const char *const *cands, FmList *more)
{
	const char *best = NULL;
	int			bestd = 0;
	int			max;
	size_t		len;

	if (word == NULL || *word == '\0')
		return NULL;
	len = strlen(word);
	max = len <= 2 ? 1 : len <= 6 ? 2 : 3;
	for (int i = 0; cands && cands[i]; i++)
	{
		int			dist = fm_strcaseeq(word, cands[i]) ? 0 :
			fm_edit_distance(word, cands[i], max);

		if (dist <= max && (best == NULL || dist < bestd))
		{
			best = cands[i];
			bestd = dist;
		}
	}
	for (int i = 0; more && i < more->n; i++)
	{
		const char *c = fm_list_get(more, i, const char);
		int			dist;

		if (c == NULL)
			continue;
		if (--(*budget) < 0)
			break;				/* enormous schemas: stop suggesting */
		dist = fm_strcaseeq(word, c) ? 0 : fm_edit_distance(word, c, max);
		if (dist <= max && (best == NULL || dist < bestd))
		{
			best = c;
			bestd = dist;
		}
	}
	if (best == NULL || strcmp(best, word) == 0)
		return NULL;
	return best;
}

#define closest(word, cands, more) closest_b(&v->suggest_budget, (word), (cands), (more))

/* "; did you mean "X"?" or "" */
static const char *
suggest(V *v, const char *word, const char *const *cands, FmList *more,
		const char *prefix)
{
	const char *best = closest(word, cands, more);

	if (best == NULL)
		return "";
	return fm_psprintf(v->a, "; did you mean \"%s%s\"?", nz(prefix), best);
}

static bool
in_list(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (fm_streq(list[i], s))
			return true;
	return false;
}

/* 'text' with quotes doubled */
static char *
sql_literal(V *v, const char *s)
{
	return fm_sql_string(v->a, s);
}

/* value as the user wrote it, for messages */
static char *
value_repr(V *v, const FmAstValue *val)
{
	FmBuf		buf;

	if (val == NULL)
		return fm_strdup(v->a, "");
	switch (val->kind)
	{
		case FM_VAL_STRING:
			return fm_psprintf(v->a, "\"%s\"", nz(val->text));
		case FM_VAL_NUMBER:
		case FM_VAL_IDENT:
			return fm_strdup(v->a, nz(val->text));
		case FM_VAL_CALL:
			return fm_psprintf(v->a, "%s()", nz(val->text));
		case FM_VAL_ARRAY:
			fm_buf_init(&buf, v->a);
			fm_buf_append_char(&buf, '[');
			for (int i = 0; i < val->items.n; i++)
			{
				if (i > 0)
					fm_buf_append(&buf, ", ");
				fm_buf_append(&buf, value_repr(v, fm_list_get(&val->items, i, FmAstValue)));
			}
			fm_buf_append_char(&buf, ']');
			return buf.data;
	}
	return fm_strdup(v->a, "");
}

static char *
attr_repr(V *v, const FmAstAttribute *at)
{
	return fm_psprintf(v->a, "%s%s", at->block ? "@@" : "@", nz(at->name));
}

/* identifier longer than PostgreSQL keeps */
static bool
check_ident_len_ctx(V *v, FmSrcPos pos, const char *what, const char *name,
					const char *ctx)
{
	if (name && strlen(name) > FM_MAX_IDENT_LEN)
	{
		ERR(pos, "%s \"%s\"%s%s is longer than %d bytes, the longest name PostgreSQL allows",
			what, name, ctx ? " of " : "", ctx ? ctx : "", FM_MAX_IDENT_LEN);
		return false;
	}
	if (name && *name == '\0')
	{
		if (ctx)
			ERR(pos, "the %s given to %s must not be empty", what, ctx);
		else
			ERR(pos, "%s must not be empty", what);
		return false;
	}
	return true;
}

#define check_ident_len(v, pos, what, name) check_ident_len_ctx(v, pos, what, name, ctx)

/*
 * Bind the arguments of an attribute to the names it accepts.  The first
 * positional argument binds to names[0] when first_positional; out[i] gets
 * the argument for names[i] or NULL.  Returns false on errors (reported).
 */
static bool
bind_args(V *v, const FmAstAttribute *at, const char *ctx,
		  const char *const *names, bool first_positional, FmAstArg **out)
{
	int			n = 0;
	bool		ok = true;
	int			npos = 0;

	while (names[n])
		n++;
	for (int i = 0; i < n; i++)
		out[i] = NULL;
	for (int i = 0; i < at->args.n; i++)
	{
		FmAstArg   *arg = fm_list_get(&at->args, i, FmAstArg);
		int			slot = -1;

		if (arg == NULL)
			continue;
		if (arg->name == NULL)
		{
			if (npos == 0 && first_positional && n > 0)
				slot = 0;
			npos++;
			if (slot < 0)
			{
				ERR(arg->pos, "too many arguments for %s on %s",
					attr_repr(v, at), ctx);
				ok = false;
				continue;
			}
		}
		else
		{
			for (int j = 0; j < n; j++)
				if (strcmp(names[j], arg->name) == 0)
					slot = j;
			if (slot < 0)
			{
				ERR(arg->pos, "unknown argument \"%s\" for %s on %s%s",
					arg->name, attr_repr(v, at), ctx,
					suggest(v, arg->name, names, NULL, NULL));
				ok = false;
				continue;
			}
		}
		if (out[slot] != NULL)
		{
			/* the parser reports duplicate argument names */
			ok = false;
			continue;
		}
		out[slot] = arg;
	}
	return ok;
}

static bool
no_args(V *v, const FmAstAttribute *at, const char *ctx)
{
	if (at->args.n > 0)
	{
		FmAstArg   *arg = fm_list_get(&at->args, 0, FmAstArg);

		ERR(arg ? arg->pos : at->pos, "%s on %s takes no arguments",
			attr_repr(v, at), ctx);
		return false;
	}
	return true;
}

/* string argument, or report; returns NULL on error */
static char *
string_arg(V *v, const FmAstAttribute *at, FmAstArg *arg, const char *argname,
		   const char *ctx)
{
	if (arg == NULL || arg->value == NULL)
		return NULL;
	if (arg->value->kind != FM_VAL_STRING)
	{
		ERR(arg->value->pos, "argument \"%s\" of %s on %s must be a string",
			argname, attr_repr(v, at), ctx);
		return NULL;
	}
	if (arg->value->text_len != strlen(nz(arg->value->text)))
	{
		ERR(arg->value->pos, "argument \"%s\" of %s on %s must not contain NUL characters",
			argname, attr_repr(v, at), ctx);
		return NULL;
	}
	return arg->value->text ? arg->value->text : fm_strdup(v->a, "");
}

/*
 * The database name given by a @map or @@map attribute (spelled attr) on
 * ctx: the one argument "name", a string, at most 63 bytes.  NULL when it
 * is missing or wrong (reported: "... needs the <need>", "<what> ... is
 * longer than 63 bytes").
 */
static char *
map_name_arg(V *v, const FmAstAttribute *map, const char *ctx, const char *attr,
			 const char *need, const char *what)
{
	const char *const names[] = {"name", NULL};
	FmAstArg   *args[1];
	char	   *name;

	if (!bind_args(v, map, ctx, names, true, args))
		return NULL;
	if (args[0] == NULL)
	{
		ERR(map->pos, "%s on %s needs the %s, as in %s(\"name\")", attr, ctx, need, attr);
		return NULL;
	}
	name = string_arg(v, map, args[0], "name", ctx);
	if (name != NULL && !check_ident_len(v, args[0]->value->pos, what, name))
		return NULL;
	return name;
}

static bool
value_is_nul_free(const FmAstValue *val)
{
	return val->text_len == strlen(nz(val->text));
}

/* ---------- datasource ---------- */

static void
check_datasource(V *v, const FmAstSchema *ast)
{
	FmAstBlock *ds = NULL;
	static const char *const props[] = {
		"provider", "url", "schemas", "directUrl", "shadowDatabaseUrl",
		"relationMode", "extensions", NULL
	};

	for (int i = 0; i < ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);

		if (b == NULL || b->kind != FM_BLOCK_DATASOURCE)
			continue;
		if (ds != NULL)
		{
			ERR(b->pos, "only one datasource block is allowed; \"%s\" is the second one (the first is \"%s\" on line %d)",
				nz(b->name), nz(ds->name), ds->pos.line);
			continue;
		}
		ds = b;
	}
	if (ds == NULL)
	{
		FmSrcPos	pos = {1, 1};

		ERR(pos, "missing datasource block; add datasource db { provider = \"postgresql\" url = env(\"DATABASE_URL\") }");
		return;
	}

	{
		FmAstField *provider = NULL,
				   *url = NULL;
		FmHashMap		seen_props = {0};
		FmHashMap		seen_schemas = {0};

		for (int i = 0; i < ds->fields.n; i++)
		{
			FmAstField *f = fm_list_get(&ds->fields, i, FmAstField);
			bool		dup = false;

			if (f == NULL || f->name == NULL)
				continue;
			dup = fm_hash_get(&seen_props, f->name) != NULL;
			fm_hash_put(v->a, &seen_props, f->name, f);
			if (dup)
			{
				ERR(f->pos, "property \"%s\" is defined twice in datasource \"%s\"",
					f->name, nz(ds->name));
				continue;
			}
			if (!in_list(props, f->name))
			{
				ERR(f->pos, "unknown property \"%s\" in datasource \"%s\"%s",
					f->name, nz(ds->name), suggest(v, f->name, props, NULL, NULL));
				continue;
			}
			if (f->value == NULL)
			{
				ERR(f->pos, "property \"%s\" of datasource \"%s\" needs a value",
					f->name, nz(ds->name));
				continue;
			}
			if (strcmp(f->name, "provider") == 0)
			{
				provider = f;
				if (f->value->kind != FM_VAL_STRING)
					ERR(f->value->pos, "property \"provider\" of datasource \"%s\" must be a string",
						nz(ds->name));
				else if (!fm_streq(f->value->text, "postgresql") &&
						 !fm_streq(f->value->text, "postgres"))
					ERR(f->value->pos, "provider \"%s\" is not supported; use \"postgresql\"",
						nz(f->value->text));
				else
					v->m->provider = fm_strdup(v->a, f->value->text);
			}
			else if (strcmp(f->name, "url") == 0 ||
					 strcmp(f->name, "directUrl") == 0 ||
					 strcmp(f->name, "shadowDatabaseUrl") == 0)
			{
				FmAstValue *val = f->value;
				bool		good = false;

				if (val->kind == FM_VAL_STRING)
					good = true;
				else if (val->kind == FM_VAL_CALL && fm_streq(val->text, "env") &&
						 val->args.n == 1)
				{
					FmAstArg   *arg = fm_list_get(&val->args, 0, FmAstArg);

					good = arg && arg->name == NULL && arg->value &&
						arg->value->kind == FM_VAL_STRING;
				}
				if (!good)
					ERR(val->pos, "property \"%s\" of datasource \"%s\" must be a string or env(\"VARIABLE\")",
						f->name, nz(ds->name));
				else if (strcmp(f->name, "url") == 0)
				{
					url = f;
					if (val->kind == FM_VAL_STRING)
						v->m->url = fm_strdup(v->a, val->text);
					else
						v->m->url = fm_psprintf(v->a, "env(\"%s\")",
												nz(fm_list_get(&val->args, 0, FmAstArg)->value->text));
				}
			}
			else if (strcmp(f->name, "schemas") == 0)
			{
				FmAstValue *val = f->value;

				if (val->kind != FM_VAL_ARRAY)
				{
					ERR(val->pos, "property \"schemas\" of datasource \"%s\" must be a list of strings, as in [\"public\"]",
						nz(ds->name));
					continue;
				}
				if (val->items.n == 0)
					ERR(val->pos, "property \"schemas\" of datasource \"%s\" must list at least one schema",
						nz(ds->name));
				for (int j = 0; j < val->items.n; j++)
				{
					FmAstValue *it = fm_list_get(&val->items, j, FmAstValue);
					bool		seen = false;

					if (it == NULL)
						continue;
					if (it->kind != FM_VAL_STRING || !value_is_nul_free(it))
					{
						ERR(it->pos, "property \"schemas\" of datasource \"%s\" must be a list of strings, as in [\"public\"]",
							nz(ds->name));
						continue;
					}
					if (!check_ident_len_ctx(v, it->pos, "schema name", it->text, NULL))
						continue;
					seen = fm_hash_get(&seen_schemas, it->text) != NULL;
					fm_hash_put(v->a, &seen_schemas, it->text, it);
					if (seen)
					{
						ERR(it->pos, "schema \"%s\" is listed twice in datasource \"%s\"",
							it->text, nz(ds->name));
						continue;
					}
					fm_list_append(v->a, &v->schemas, fm_strdup(v->a, it->text));
					fm_list_append(v->a, &v->m->schemas, fm_strdup(v->a, it->text));
				}
			}
			/* relationMode, extensions: accepted, no effect */
		}
		if (provider == NULL)
			ERR(ds->pos, "datasource \"%s\" is missing the \"provider\" property; add provider = \"postgresql\"",
				nz(ds->name));
		if (url == NULL)
			ERR(ds->pos, "datasource \"%s\" is missing the \"url\" property; add url = env(\"DATABASE_URL\")",
				nz(ds->name));
	}
}

/* Resolve @@schema of a model or enum; returns the schema (may be NULL). */
static char *
resolve_schema(V *v, FmAstBlock *b, FmAstAttribute *at, const char *what)
{
	char	   *ctx = fm_psprintf(v->a, "%s \"%s\"", what, nz(b->name));

	if (at != NULL)
	{
		const char *const names[] = {"name", NULL};
		FmAstArg   *args[1];
		char	   *s;

		if (!bind_args(v, at, ctx, names, true, args))
			return NULL;
		if (args[0] == NULL)
		{
			ERR(at->pos, "@@schema on %s needs the schema name, as in @@schema(\"public\")", ctx);
			return NULL;
		}
		s = string_arg(v, at, args[0], "name", ctx);
		if (s == NULL)
			return NULL;
		if (v->schemas.n == 0)
		{
			ERR(args[0]->value->pos, "schema \"%s\" of %s is not listed in the datasource; add schemas = [\"%s\"] to the datasource",
				s, ctx, s);
			return NULL;
		}
		for (int i = 0; i < v->schemas.n; i++)
			if (fm_streq(fm_list_get(&v->schemas, i, char), s))
				return fm_list_get(&v->schemas, i, char);
		ERR(args[0]->value->pos, "schema \"%s\" of %s is not listed in the \"schemas\" property of the datasource%s",
			s, ctx, suggest(v, s, NULL, &v->schemas, NULL));
		return NULL;
	}
	if (v->schemas.n == 1)
		return fm_list_get(&v->schemas, 0, char);
	if (v->schemas.n > 1)
	{
		FmBuf		buf;

		fm_buf_init(&buf, v->a);
		for (int i = 0; i < v->schemas.n; i++)
			fm_buf_printf(&buf, "%s\"%s\"", i ? ", " : "", fm_list_get(&v->schemas, i, char));
		ERR(b->name_pos, "%s needs @@schema naming one of the datasource schemas (%s)",
			ctx, buf.data);
	}
	return NULL;
}

/* ---------- enums ---------- */

static void
check_enum(V *v, VEnum *ve)
{
	FmAstBlock *b = ve->blk;
	FmAstAttribute *map = NULL,
			   *schema = NULL;
	char	   *ctx = fm_psprintf(v->a, "enum \"%s\"", nz(b->name));
	char	   *dbname = NULL;
	char	   *sch;
	FmHashMap		labels = {0};

	for (int i = 0; i < b->attrs.n; i++)
	{
		FmAstAttribute *at = fm_list_get(&b->attrs, i, FmAstAttribute);
		static const char *const known[] = {"map", "schema", NULL};

		if (at == NULL)
			continue;
		if (!in_list(known, at->name))
		{
			ERR(at->pos, "unknown attribute \"%s\" in %s%s", attr_repr(v, at), ctx,
				suggest(v, at->name, known, NULL, "@@"));
			continue;
		}
		if ((strcmp(at->name, "map") == 0 && map) ||
			(strcmp(at->name, "schema") == 0 && schema))
		{
			ERR(at->pos, "attribute \"%s\" is given twice in %s", attr_repr(v, at), ctx);
			continue;
		}
		if (strcmp(at->name, "map") == 0)
			map = at;
		else
			schema = at;
	}
	if (map)
		dbname = map_name_arg(v, map, ctx, "@@map", "type name", "enum type name");
	if (dbname == NULL)
	{
		dbname = fm_snake_case(v->a, b->name);
		if (!map)
			check_ident_len(v, b->name_pos, "enum type name", dbname);
	}
	sch = resolve_schema(v, b, schema, "enum");
	ve->en = fm_model_add_enum(v->m, sch, dbname);
	ve->en->pos = b->name_pos;
	ve->en->enum_name = fm_strdup(v->a, b->name);
	ve->en->comment = b->comments.doc ? fm_strdup(v->a, b->comments.doc) : NULL;

	for (int i = 0; i < b->fields.n; i++)
	{
		FmAstField *f = fm_list_get(&b->fields, i, FmAstField);
		char	   *label = NULL;
		FmEnumValue *ev;
		char	   *vctx;

		if (f == NULL || f->name == NULL)
			continue;
		if (name_too_long(v, f->pos, "enum value", f->name))
			continue;
		vctx = fm_psprintf(v->a, "value \"%s\" of enum \"%s\"", f->name, nz(b->name));
		if (f->type_name != NULL || f->value != NULL)
		{
			ERR(f->type_pos.line ? f->type_pos : f->pos,
				"enum values take no type or value: write only the name of %s", vctx);
			continue;
		}
		if (fm_hash_get(&ve->by_variant, f->name))
		{
			ERR(f->pos, "value \"%s\" is defined twice in enum \"%s\"", f->name, nz(b->name));
			continue;
		}
		for (int j = 0; j < f->attrs.n; j++)
		{
			FmAstAttribute *at = fm_list_get(&f->attrs, j, FmAstAttribute);

			if (at == NULL)
				continue;
			if (at->block || strcmp(nz(at->name), "map") != 0)
			{
				static const char *const known[] = {"map", NULL};

				ERR(at->pos, "unknown attribute \"%s\" on %s%s", attr_repr(v, at), vctx,
					suggest(v, at->name, known, NULL, "@"));
				continue;
			}
			if (label)
			{
				ERR(at->pos, "attribute \"@map\" is given twice on %s", vctx);
				continue;
			}
			{
				const char *const names[] = {"name", NULL};
				FmAstArg   *args[1];

				if (bind_args(v, at, vctx, names, true, args))
				{
					if (args[0] == NULL)
						ERR(at->pos, "@map on %s needs the database value, as in @map(\"value\")", vctx);
					else
						label = string_arg(v, at, args[0], "name", vctx);
					if (label && !check_ident_len_ctx(v, args[0]->value->pos, "database value", label, vctx))
						label = fm_strdup(v->a, "");
				}
			}
		}
		if (label == NULL)
		{
			label = fm_snake_case(v->a, f->name);
			check_ident_len_ctx(v, f->pos, "database value", label, vctx);
		}
		{
			FmEnumValue *o = *label ? fm_hash_get(&labels, label) : NULL;

			if (o)
			{
				ERR(f->pos, "values \"%s\" and \"%s\" of enum \"%s\" both have the database value \"%s\"; use @map to tell them apart",
					nz(o->variant), f->name, nz(b->name), label);
				continue;
			}
		}
		ev = fm_alloc(v->a, sizeof(FmEnumValue));
		ev->name = label;
		ev->variant = fm_strdup(v->a, f->name);
		ev->pos = f->pos;
		fm_list_append(v->a, &ve->en->values, ev);
		fm_hash_put(v->a, &ve->by_variant, ev->variant, ev);
		fm_hash_put(v->a, &labels, ev->name, ev);
	}
	if (b->fields.n == 0)
		ERR(b->name_pos, "enum \"%s\" has no values", nz(b->name));
}

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
	{"Json", "Json", NT_PLAIN, "json", NULL, 0, 0},
	{"JsonB", "Json", NT_PLAIN, "jsonb", NULL, 0, 0},
	{"ByteA", "Bytes", NT_PLAIN, "bytea", NULL, 0, 0},
	{NULL, NULL, NT_PLAIN, NULL, NULL, 0, 0}
};

static const char *
default_sql_type(const char *scalar)
{
	static const char *const map[][2] = {
		{"String", "text"}, {"Int", "integer"}, {"BigInt", "bigint"},
		{"Float", "double precision"}, {"Decimal", "numeric"},
		{"Boolean", "boolean"}, {"DateTime", "timestamp(3) with time zone"},
		{"Json", "jsonb"}, {"Bytes", "bytea"}
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], scalar) == 0)
			return map[i][1];
	return "text";
}

/* parse a non-negative decimal integer; false when not one or too large */
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
			if (!isdigit((unsigned char) *p))
				return false;
		*out = -1;
		return true;
	}
	if (*s == '\0')
		return false;
	for (; *s; s++)
	{
		if (!isdigit((unsigned char) *s))
			return false;
		if (n > 1000000000L)
			n = 1000000001L;
		else
			n = n * 10 + (*s - '0');
	}
	*out = n;
	return true;
}

static void
apply_native_type(V *v, VField *vf, FmAstAttribute *at, const char *ctx)
{
	const char *tname = at->name + 3;	/* after "db." */
	const NativeType *nt = NULL;
	const char *names[sizeof(native_types) / sizeof(native_types[0])];
	long		nums[2];
	int			nargs = 0;
	int			maxargs;

	for (int i = 0; native_types[i].name; i++)
	{
		names[i] = native_types[i].name;
		names[i + 1] = NULL;
		if (strcmp(native_types[i].name, tname) == 0)
			nt = &native_types[i];
	}
	if (nt == NULL)
	{
		ERR(at->pos, "unknown native type \"@db.%s\" on %s%s", tname, ctx,
			suggest(v, tname, names, NULL, "@db."));
		return;
	}
	if (vf->kind == VF_UNSUPPORTED)
	{
		ERR(at->pos, "native type \"@db.%s\" cannot be used on %s of type Unsupported; put the type into Unsupported(\"...\")",
			tname, ctx);
		return;
	}
	if (vf->kind != VF_SCALAR || strcmp(vf->scalar, nt->scalar) != 0)
	{
		ERR(at->pos, "native type \"@db.%s\" cannot be used on %s of type \"%s\"; it needs a field of type %s",
			tname, ctx, nz(vf->ast->type_name), nt->scalar);
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
			ERR(arg->pos, "native type \"@db.%s\" on %s takes no arguments", tname, ctx);
			return;
		}
		if (nargs >= maxargs || arg->name != NULL)
		{
			ERR(arg->pos, "native type \"@db.%s\" on %s takes at most %d argument%s",
				tname, ctx, maxargs, maxargs == 1 ? "" : "s");
			return;
		}
		if (!parse_small_int(arg->value, &n))
		{
			ERR(arg->value ? arg->value->pos : arg->pos,
				"argument %s of \"@db.%s\" on %s must be a whole number",
				value_repr(v, arg->value), tname, ctx);
			return;
		}
		nums[nargs++] = n;
	}
	vf->has_native = true;
	switch (nt->kind)
	{
		case NT_PLAIN:
			vf->col->type.sql = fm_strdup(v->a, nt->sql0);
			break;
		case NT_LENGTH:
		case NT_TIME:
			if (nargs == 0)
				vf->col->type.sql = fm_strdup(v->a, nt->sql0);
			else if (nums[0] < nt->min || nums[0] > nt->max)
			{
				FmAstArg   *arg = fm_list_get(&at->args, 0, FmAstArg);

				ERR(arg->value->pos, "%s %s of \"@db.%s\" on %s is out of range (%ld to %ld)",
					nt->kind == NT_TIME ? "precision" : "length",
					nz(arg->value->text), tname, ctx, nt->min, nt->max);
			}
			else
				vf->col->type.sql = fm_psprintf(v->a, nt->fmt, nums[0]);
			break;
		case NT_DECIMAL:
			if (nargs == 0)
				vf->col->type.sql = fm_strdup(v->a, "numeric");
			else
			{
				long		s = nargs > 1 ? nums[1] : 0;
				FmAstArg   *a0 = fm_list_get(&at->args, 0, FmAstArg);

				if (nums[0] < 1 || nums[0] > 1000)
					ERR(a0->value->pos, "precision %s of \"@db.Decimal\" on %s is out of range (1 to 1000)",
						nz(a0->value->text), ctx);
				else if (s < 0 || s > nums[0])
				{
					FmAstArg   *a1 = fm_list_get(&at->args, 1, FmAstArg);

					ERR(a1->value->pos, "scale %s of \"@db.Decimal\" on %s is out of range (0 to %ld)",
						nz(a1->value->text), ctx, nums[0]);
				}
				else
					vf->col->type.sql = fm_psprintf(v->a, "numeric(%ld,%ld)", nums[0], s);
			}
			break;
	}
}

/* ---------- defaults ---------- */

static bool
is_text_type(const char *sql)
{
	return sql && (strcmp(sql, "text") == 0 ||
				   strncmp(sql, "character", 9) == 0 ||
				   strcmp(sql, "citext") == 0);
}

/* check an integer literal against a range */
static bool
int_literal_ok(const char *s, bool bigint)
{
	const char *p = s;
	uint64_t	n = 0;
	bool		neg = false;
	uint64_t	lim;

	if (*p == '-' || *p == '+')
	{
		neg = *p == '-';
		p++;
	}
	if (!*p)
		return false;
	lim = bigint ? (uint64_t) INT64_MAX : (uint64_t) INT32_MAX;
	if (neg)
		lim++;
	for (; *p; p++)
	{
		if (!isdigit((unsigned char) *p))
			return false;
		if (n > (lim - (uint64_t) (*p - '0')) / 10)
			return false;
		n = n * 10 + (uint64_t) (*p - '0');
	}
	return n <= lim;
}

static const char *
field_type_desc(VField *vf)
{
	return nz(vf->ast->type_name);
}

static void
apply_default(V *v, VField *vf, FmAstAttribute *at, const char *ctx)
{
	static const char *const funcs[] = {
		"autoincrement", "uuid", "cuid", "now", "dbgenerated", "nanoid", "ulid", NULL
	};
	const char *const names[] = {"value", NULL};
	FmAstArg   *args[1];
	FmAstValue *val;
	FmColumn   *col = vf->col;
	const char *ty = field_type_desc(vf);

	if (!bind_args(v, at, ctx, names, true, args))
		return;
	if (args[0] == NULL || args[0]->value == NULL)
	{
		ERR(at->pos, "@default on %s needs a value, as in @default(0) or @default(now())", ctx);
		return;
	}
	val = args[0]->value;

	if (val->kind == FM_VAL_CALL)
	{
		const char *fn = nz(val->text);

		if (!in_list(funcs, fn))
		{
			const char *best = closest(fn, funcs, NULL);

			ERR(val->pos, "unknown function \"%s()\" in @default on %s%s", fn, ctx,
				best ? fm_psprintf(v->a, "; did you mean \"%s()\"?", best) : "");
			return;
		}
		if (strcmp(fn, "dbgenerated") == 0)
		{
			FmAstArg   *a0 = val->args.n == 1 ? fm_list_get(&val->args, 0, FmAstArg) : NULL;

			if (a0 == NULL || a0->name != NULL || a0->value == NULL ||
				a0->value->kind != FM_VAL_STRING || !value_is_nul_free(a0->value) ||
				a0->value->text == NULL || a0->value->text[0] == '\0')
			{
				ERR(val->pos, "dbgenerated() in @default on %s needs the SQL expression as one string argument, as in dbgenerated(\"now()\")",
					ctx);
				return;
			}
			col->default_sql = fm_strdup(v->a, a0->value->text);
			return;
		}
		if (val->args.n > 0 &&
			!(strcmp(fn, "uuid") == 0 && val->args.n == 1 &&
			  fm_list_get(&val->args, 0, FmAstArg)->value &&
			  fm_streq(fm_list_get(&val->args, 0, FmAstArg)->value->text, "4")))
		{
			ERR(val->pos, "function \"%s()\" in @default on %s takes no arguments", fn, ctx);
			return;
		}
		if (vf->kind == VF_UNSUPPORTED)
		{
			ERR(val->pos, "@default(%s()) cannot be used on %s of type Unsupported; use dbgenerated(\"...\")",
				fn, ctx);
			return;
		}
		if (strcmp(fn, "autoincrement") == 0)
		{
			if (vf->kind == VF_SCALAR && fm_streq(col->type.sql, "oid"))
			{
				ERR(val->pos, "@default(autoincrement()) cannot be used on %s with native type \"oid\"; identity columns need smallint, integer or bigint",
					ctx);
				return;
			}
			if (vf->kind != VF_SCALAR ||
				(strcmp(vf->scalar, "Int") != 0 && strcmp(vf->scalar, "BigInt") != 0))
			{
				ERR(val->pos, "@default(autoincrement()) cannot be used on %s of type \"%s\"; it needs an Int or BigInt field",
					ctx, ty);
				return;
			}
			if (vf->ast->optional)
			{
				ERR(val->pos, "@default(autoincrement()) cannot be used on optional %s; identity columns are never null",
					ctx);
				return;
			}
			col->autoinc = FM_AUTOINC_IDENTITY_BY_DEFAULT;
			return;
		}
		if (strcmp(fn, "now") == 0)
		{
			if (vf->kind != VF_SCALAR || strcmp(vf->scalar, "DateTime") != 0)
			{
				ERR(val->pos, "@default(now()) cannot be used on %s of type \"%s\"; it needs a DateTime field",
					ctx, ty);
				return;
			}
			col->default_sql = fm_strdup(v->a, "CURRENT_TIMESTAMP");
			return;
		}
		/* uuid, cuid, nanoid, ulid: String only */
		if (vf->kind != VF_SCALAR || strcmp(vf->scalar, "String") != 0)
		{
			ERR(val->pos, "@default(%s()) cannot be used on %s of type \"%s\"; it needs a String field",
				fn, ctx, ty);
			return;
		}
		if (strcmp(fn, "uuid") == 0)
		{
			if (fm_streq(col->type.sql, "uuid"))
				col->default_sql = fm_strdup(v->a, "gen_random_uuid()");
			else if (is_text_type(col->type.sql))
				col->default_sql = fm_strdup(v->a, "(gen_random_uuid())::text");
			else
				ERR(val->pos, "@default(uuid()) cannot be used on %s with native type \"%s\"",
					ctx, nz(col->type.sql));
			return;
		}
		col->client_default = true;
		return;
	}

	if (val->kind == FM_VAL_ARRAY)
	{
		ERR(val->pos, "@default on %s cannot be a list", ctx);
		return;
	}
	if (vf->kind == VF_UNSUPPORTED)
	{
		ERR(val->pos, "@default(%s) cannot be used on %s of type Unsupported; use dbgenerated(\"...\")",
			value_repr(v, val), ctx);
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
				col->default_sql = sql_literal(v, hit->name);
				return;
			}
			for (int i = 0; i < vf->en->en->values.n; i++)
				fm_list_append(v->a, &variants,
							   fm_list_get(&vf->en->en->values, i, FmEnumValue)->variant);
			ERR(val->pos, "\"%s\" is not a value of enum \"%s\" (@default on %s)%s",
				nz(val->text), nz(vf->en->blk->name), ctx,
				suggest(v, val->text, NULL, &variants, NULL));
			return;
		}
		ERR(val->pos, "@default(%s) on %s must be a value of enum \"%s\", written without quotes",
			value_repr(v, val), ctx, nz(vf->en->blk->name));
		return;
	}
	if (vf->kind != VF_SCALAR)
		return;

	if (strcmp(vf->scalar, "String") == 0 || strcmp(vf->scalar, "Json") == 0 ||
		strcmp(vf->scalar, "DateTime") == 0)
	{
		if (val->kind != FM_VAL_STRING)
		{
			ERR(val->pos, "default value %s does not match type \"%s\" of %s; write a string in double quotes",
				value_repr(v, val), ty, ctx);
			return;
		}
		if (!value_is_nul_free(val))
		{
			ERR(val->pos, "default value of %s must not contain NUL characters", ctx);
			return;
		}
		col->default_sql = sql_literal(v, nz(val->text));
		return;
	}
	if (strcmp(vf->scalar, "Boolean") == 0)
	{
		if (val->kind != FM_VAL_IDENT ||
			!(fm_streq(val->text, "true") || fm_streq(val->text, "false")))
		{
			ERR(val->pos, "default value %s does not match type \"Boolean\" of %s; use true or false",
				value_repr(v, val), ctx);
			return;
		}
		col->default_sql = fm_strdup(v->a, val->text);
		return;
	}
	if (strcmp(vf->scalar, "Int") == 0 || strcmp(vf->scalar, "BigInt") == 0)
	{
		bool		big = strcmp(vf->scalar, "BigInt") == 0;

		if (val->kind != FM_VAL_NUMBER || !fm_is_number_text(nz(val->text), true) ||
			strpbrk(val->text, ".eE") != NULL)
		{
			ERR(val->pos, "default value %s does not match type \"%s\" of %s; use a whole number",
				value_repr(v, val), ty, ctx);
			return;
		}
		if (!int_literal_ok(val->text, big) ||
			(fm_streq(col->type.sql, "smallint") && !(atol(val->text) >= -32768 && atol(val->text) <= 32767)))
		{
			ERR(val->pos, "default value %s is out of range for type \"%s\" of %s",
				val->text, nz(col->type.sql), ctx);
			return;
		}
		col->default_sql = fm_strdup(v->a, val->text[0] == '+' ? val->text + 1 : val->text);
		return;
	}
	if (strcmp(vf->scalar, "Float") == 0 || strcmp(vf->scalar, "Decimal") == 0)
	{
		if (val->kind != FM_VAL_NUMBER || !fm_is_number_text(nz(val->text), true))
		{
			ERR(val->pos, "default value %s does not match type \"%s\" of %s; use a number",
				value_repr(v, val), ty, ctx);
			return;
		}
		col->default_sql = fm_strdup(v->a, val->text[0] == '+' ? val->text + 1 : val->text);
		return;
	}
	/* Bytes */
	ERR(val->pos, "literal defaults are not supported for %s of type \"%s\"; use dbgenerated(\"...\")",
		ctx, ty);
}

/* ---------- models: tables, fields, columns ---------- */

static VModel *
find_model(V *v, const char *name)
{
	return fm_hash_get(&v->by_model, name);
}

static VEnum *
find_enum(V *v, const char *name)
{
	return fm_hash_get(&v->by_enum, name);
}

static VField *
find_field(VModel *vm, const char *name)
{
	return fm_hash_get(&vm->by_field, name);
}

/* field names of a model, for suggestions; built once */
static FmList *
field_names(V *v, VModel *vm, bool scalar_only)
{
	if (!vm->names_done)
	{
		for (int k = 0; k < vm->fields.n; k++)
		{
			VField	   *o = fm_list_get(&vm->fields, k, VField);

			fm_list_append(v->a, &vm->names_all, o->ast->name);
			if (o->kind != VF_RELATION)
				fm_list_append(v->a, &vm->names_scalar, o->ast->name);
		}
		vm->names_done = true;
	}
	return scalar_only ? &vm->names_scalar : &vm->names_all;
}

static FmAstAttribute *
block_attr(FmAstBlock *b, const char *name)
{
	for (int i = 0; i < b->attrs.n; i++)
	{
		FmAstAttribute *at = fm_list_get(&b->attrs, i, FmAstAttribute);

		if (at && fm_streq(at->name, name))
			return at;
	}
	return NULL;
}

static void
model_table(V *v, VModel *vm)
{
	FmAstBlock *b = vm->blk;
	FmAstAttribute *map = block_attr(b, "map");
	char	   *ctx = fm_psprintf(v->a, "model \"%s\"", nz(b->name));
	char	   *name = NULL;
	char	   *sch;

	if (map)
		name = map_name_arg(v, map, ctx, "@@map", "table name", "table name");
	if (name == NULL)
	{
		name = fm_psprintf(v->a, "%ss", fm_snake_case(v->a, b->name));
		if (!map)
			check_ident_len(v, b->name_pos, "table name", name);
	}
	sch = resolve_schema(v, b, block_attr(b, "schema"), "model");
	vm->table = fm_model_add_table(v->m, sch, name);
	vm->table->pos = b->name_pos;
	vm->table->model_name = fm_strdup(v->a, b->name);
	vm->table->comment = b->comments.doc ? fm_strdup(v->a, b->comments.doc) : NULL;
}

/* the ferriorm type for a PostgreSQL type name someone wrote instead */
static const char *
pg_type_hint(const char *tn)
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

static const char *const field_attrs[] = {
	"id", "unique", "default", "updatedAt", "map", "relation", NULL
};

static void
model_fields(V *v, VModel *vm)
{
	FmAstBlock *b = vm->blk;

	for (int i = 0; i < b->fields.n; i++)
	{
		FmAstField *f = fm_list_get(&b->fields, i, FmAstField);
		VField	   *vf;
		bool		dup = false;
		const char *tn;
		char	   *ctx;

		if (f == NULL || f->name == NULL)
			continue;
		if (name_too_long(v, f->pos, "field", f->name))
			continue;
		ctx = fm_psprintf(v->a, "field \"%s\" in model \"%s\"", f->name, nz(b->name));
		dup = find_field(vm, f->name) != NULL;
		if (dup)
		{
			ERR(f->pos, "field \"%s\" is defined twice in model \"%s\"", f->name, nz(b->name));
			continue;
		}
		vf = fm_alloc(v->a, sizeof(VField));
		vf->ast = f;
		vf->model = vm;
		fm_list_append(v->a, &vm->fields, vf);
		fm_hash_put(v->a, &vm->by_field, f->name, vf);

		tn = f->type_name;
		if (tn == NULL)
		{
			ERR(f->pos, "%s has no type", ctx);
			continue;
		}
		if (f->list && f->optional)
		{
			ERR(f->type_pos, "%s cannot be both a list and optional; remove the \"?\"", ctx);
			continue;
		}
		if (in_list(scalar_types, tn))
		{
			vf->kind = VF_SCALAR;
			vf->scalar = in_list(scalar_types, tn) ? tn : NULL;
			for (int k = 0; scalar_types[k]; k++)
				if (strcmp(scalar_types[k], tn) == 0)
					vf->scalar = scalar_types[k];
		}
		else if (strcmp(tn, "Unsupported") == 0)
		{
			FmAstArg   *a0 = f->type_args.n == 1 ? fm_list_get(&f->type_args, 0, FmAstArg) : NULL;

			if (a0 == NULL || a0->name || a0->value == NULL ||
				a0->value->kind != FM_VAL_STRING || !value_is_nul_free(a0->value) ||
				nz(a0->value->text)[0] == '\0')
			{
				ERR(f->type_pos, "Unsupported on %s needs the PostgreSQL type as one string argument, as in Unsupported(\"circle\")",
					ctx);
				continue;
			}
			vf->kind = VF_UNSUPPORTED;
		}
		else if (find_enum(v, tn))
		{
			vf->kind = VF_ENUM;
			vf->en = find_enum(v, tn);
		}
		else if (find_model(v, tn))
		{
			vf->kind = VF_RELATION;
			vf->target = find_model(v, tn);
		}
		else
		{
			const char *hint;

			if (v->type_cands.n == 0)
			{
				for (int k = 0; k < v->models.n; k++)
					fm_list_append(v->a, &v->type_cands, fm_list_get(&v->models, k, VModel)->blk->name);
				for (int k = 0; k < v->enums.n; k++)
					fm_list_append(v->a, &v->type_cands, fm_list_get(&v->enums, k, VEnum)->blk->name);
				fm_list_append(v->a, &v->type_cands, "Unsupported");
			}
			hint = suggest(v, tn, scalar_types, &v->type_cands, NULL);
			if (*hint == '\0' && pg_type_hint(tn))
				hint = fm_psprintf(v->a, "; for the PostgreSQL type \"%s\" use %s",
								   tn, pg_type_hint(tn));
			if (strlen(tn) > FM_MAX_NAME_LEN)
				ERR(f->type_pos, "unknown type \"%s\" for %s", name_start(v, tn), ctx);
			else
				ERR(f->type_pos, "unknown type \"%s\" for %s%s", tn, ctx, hint);
			continue;
		}
		if (f->type_args.n > 0 && vf->kind != VF_UNSUPPORTED)
		{
			ERR(f->type_pos, "type \"%s\" of %s takes no arguments", tn, ctx);
			vf->kind = VF_ERROR;
			continue;
		}
		if (f->list && vf->kind != VF_RELATION)
		{
			ERR(f->type_pos, "%s cannot be a list of \"%s\": only relation fields can be lists; use Unsupported(\"%s[]\") for an array column",
				ctx, tn, vf->kind == VF_SCALAR ? default_sql_type(vf->scalar) : "type");
			vf->kind = VF_ERROR;
			continue;
		}
		if (vf->kind == VF_RELATION)
			continue;

		/* a column */
		{
			FmColumn   *col;
			char	   *colname = NULL;
			FmAstAttribute *map = NULL;

			for (int k = 0; k < f->attrs.n; k++)
			{
				FmAstAttribute *at = fm_list_get(&f->attrs, k, FmAstAttribute);

				if (at && !at->block && fm_streq(at->name, "map"))
					map = at;
			}
			if (map)
				colname = map_name_arg(v, map, ctx, "@map", "column name", "column name");
			if (colname == NULL)
			{
				colname = fm_snake_case(v->a, f->name);
				if (!map)
					check_ident_len(v, f->pos, "column name", colname);
			}
			{
				VField	   *o = fm_hash_get(&vm->by_column, colname);

				if (o != NULL && o != vf)
					ERR(f->pos, "fields \"%s\" and \"%s\" of model \"%s\" both map to column \"%s\"; use @map to tell them apart",
						o->ast->name, f->name, nz(b->name), colname);
				else
					fm_hash_put(v->a, &vm->by_column, colname, vf);
			}
			col = fm_table_add_column(v->m, vm->table, colname);
			vf->col = col;
			col->pos = f->pos;
			col->field_name = fm_strdup(v->a, f->name);
			col->notnull = !f->optional;
			col->comment = f->comments.doc ? fm_strdup(v->a, f->comments.doc) : NULL;
			if (vf->kind == VF_SCALAR)
			{
				col->type.kind = FM_TYPE_BUILTIN;
				col->type.sql = fm_strdup(v->a, default_sql_type(vf->scalar));
			}
			else if (vf->kind == VF_ENUM)
			{
				col->type.kind = FM_TYPE_ENUM;
				col->type.enum_schema = vf->en->en->schema;
				col->type.enum_name = vf->en->en->name;
				col->type.sql = vf->en->en->name;
			}
			else
			{
				FmAstArg   *a0 = fm_list_get(&f->type_args, 0, FmAstArg);

				col->type.kind = FM_TYPE_UNSUPPORTED;
				col->type.sql = fm_strdup(v->a, a0->value->text);
			}
		}
	}
}

/* Attributes of one field, after all columns exist. */
static void
field_attributes(V *v, VField *vf)
{
	FmAstField *f = vf->ast;
	char	   *ctx = fm_psprintf(v->a, "field \"%s\" in model \"%s\"", f->name, nz(vf->model->blk->name));
	FmAstAttribute *seen_db = NULL;
	FmAstAttribute *dflt = NULL;
	FmHashMap		seen = {0};

	for (int k = 0; k < f->attrs.n; k++)
	{
		FmAstAttribute *at = fm_list_get(&f->attrs, k, FmAstAttribute);
		bool		dup = false;
		bool		native;

		if (at == NULL || at->name == NULL)
			continue;
		native = strncmp(at->name, "db.", 3) == 0;
		if (at->block)
		{
			ERR(at->pos, "block attribute \"%s\" cannot be used on %s; put it on its own line in the model",
				attr_repr(v, at), ctx);
			continue;
		}
		if (!native && !in_list(field_attrs, at->name))
		{
			ERR(at->pos, "unknown attribute \"@%s\" on %s%s", at->name, ctx,
				suggest(v, at->name, field_attrs, NULL, "@"));
			continue;
		}
		dup = fm_hash_get(&seen, native ? "db." : at->name) != NULL;
		fm_hash_put(v->a, &seen, native ? "db." : at->name, at);
		if (dup)
		{
			ERR(at->pos, native ? "%s has more than one native type attribute" :
				"attribute \"@%s\" is given twice on %s",
				native ? ctx : at->name, ctx);
			continue;
		}
		if (vf->kind == VF_ERROR)
			continue;
		if (vf->kind == VF_RELATION)
		{
			if (strcmp(at->name, "relation") != 0)
				ERR(at->pos, "attribute \"@%s\" cannot be used on relation %s; put it on the scalar fields of the relation",
					at->name, ctx);
			else
				vf->rel = at;
			continue;
		}
		if (strcmp(at->name, "relation") == 0)
		{
			ERR(at->pos, "attribute \"@relation\" can only be used on relation fields, and %s has type \"%s\"",
				ctx, nz(f->type_name));
			continue;
		}
		if (native)
		{
			seen_db = at;
			continue;
		}
		if (strcmp(at->name, "id") == 0)
		{
			const char *const names[] = {"map", NULL};
			FmAstArg   *args[1];

			if (f->optional)
				ERR(at->pos, "@id cannot be used on optional %s; primary key columns are never null; remove the \"?\"",
					ctx);
			vf->is_id = true;
			if (bind_args(v, at, ctx, names, false, args) && args[0])
			{
				char	   *s = string_arg(v, at, args[0], "map", ctx);

				if (s && check_ident_len(v, args[0]->value->pos, "primary key name", s))
					vf->model->pk_map = s;
			}
		}
		else if (strcmp(at->name, "unique") == 0)
		{
			const char *const names[] = {"map", NULL};
			FmAstArg   *args[1];
			char	   *s = NULL;
			FmKey	   *key;

			if (bind_args(v, at, ctx, names, false, args) && args[0])
			{
				s = string_arg(v, at, args[0], "map", ctx);
				if (s && !check_ident_len(v, args[0]->value->pos, "unique constraint name", s))
					s = NULL;
			}
			key = fm_alloc(v->a, sizeof(FmKey));
			key->pos = at->pos;
			fm_list_append(v->a, &key->columns, vf->col->name);
			fm_list_append(v->a, &vf->model->table->uniques, key);
			fm_list_append(v->a, &vf->model->key_maps, s);
		}
		else if (strcmp(at->name, "default") == 0)
			dflt = at;
		else if (strcmp(at->name, "updatedAt") == 0)
		{
			no_args(v, at, ctx);
			if (vf->kind != VF_SCALAR || strcmp(vf->scalar, "DateTime") != 0)
				ERR(at->pos, "@updatedAt cannot be used on %s of type \"%s\"; it needs a DateTime field",
					ctx, nz(f->type_name));
			else
				vf->col->updated_at = true;
		}
		/* map: handled with the column */
	}
	if (vf->kind == VF_ERROR || vf->kind == VF_RELATION)
		return;
	if (seen_db)
		apply_native_type(v, vf, seen_db, ctx);
	if (dflt)
	{
		if (vf->col->updated_at)
			ERR(dflt->pos, "%s cannot have both @default and @updatedAt", ctx);
		else
			apply_default(v, vf, dflt, ctx);
	}
}

/* ---------- block attributes ---------- */

/*
 * Resolve a list of field references ([a, b(sort: Desc)]) into index
 * elements.  allow_sort: only @@index accepts sort:.  Returns false when
 * anything is wrong (reported).
 */
static bool
resolve_field_list(V *v, VModel *vm, FmAstAttribute *at, FmAstValue *val,
				   bool allow_sort, FmList *elems, FmList *vfields)
{
	char	   *what = fm_psprintf(v->a, "%s of model \"%s\"", attr_repr(v, at), nz(vm->blk->name));
	bool		ok = true;
	FmHashMap		listed = {0};

	if (val->kind != FM_VAL_ARRAY)
	{
		ERR(val->pos, "the fields of %s must be a list, as in [a, b]", what);
		return false;
	}
	if (val->items.n == 0)
	{
		ERR(val->pos, "%s needs at least one field", what);
		return false;
	}
	for (int i = 0; i < val->items.n; i++)
	{
		FmAstValue *it = fm_list_get(&val->items, i, FmAstValue);
		const char *fname;
		VField	   *vf;
		FmIndexElem *el;

		if (it == NULL)
			continue;
		if (it->kind != FM_VAL_IDENT && it->kind != FM_VAL_CALL)
		{
			ERR(it->pos, "%s in %s is not a field name", value_repr(v, it), what);
			ok = false;
			continue;
		}
		fname = nz(it->text);
		vf = find_field(vm, fname);
		if (vf == NULL)
		{
			ERR(it->pos, "unknown field \"%s\" in %s%s", fname, what,
				suggest(v, fname, NULL, field_names(v, vm, false), NULL));
			ok = false;
			continue;
		}
		if (vf->kind == VF_RELATION)
		{
			ERR(it->pos, "field \"%s\" in %s is a relation field; list its scalar fields instead",
				fname, what);
			ok = false;
			continue;
		}
		if (vf->col == NULL)
		{
			ok = false;
			continue;
		}
		if (fm_hash_get(&listed, fname))
		{
			ERR(it->pos, "field \"%s\" is listed twice in %s", fname, what);
			ok = false;
		}
		fm_hash_put(v->a, &listed, fname, vf);
		el = fm_alloc(v->a, sizeof(FmIndexElem));
		el->column = vf->col->name;
		for (int k = 0; it->kind == FM_VAL_CALL && k < it->args.n; k++)
		{
			FmAstArg   *arg = fm_list_get(&it->args, k, FmAstArg);

			if (arg == NULL)
				continue;
			if (fm_streq(arg->name, "sort") && allow_sort && arg->value &&
				arg->value->kind == FM_VAL_IDENT &&
				(fm_streq(arg->value->text, "Asc") || fm_streq(arg->value->text, "Desc")))
				el->sort = fm_streq(arg->value->text, "Asc") ? FM_SORT_ASC : FM_SORT_DESC;
			else if (fm_streq(arg->name, "sort") && allow_sort)
			{
				ERR(arg->value ? arg->value->pos : arg->pos,
					"sort order of field \"%s\" in %s must be Asc or Desc", fname, what);
				ok = false;
			}
			else if (fm_streq(arg->name, "sort"))
			{
				ERR(arg->pos, "sort order of field \"%s\" in %s is not supported; PostgreSQL constraints have no sort order, use @@index for that",
					fname, what);
				ok = false;
			}
			else if (fm_streq(arg->name, "ops") && allow_sort && arg->value &&
					 arg->value->kind == FM_VAL_CALL && fm_streq(arg->value->text, "raw") &&
					 arg->value->args.n == 1 &&
					 fm_list_get(&arg->value->args, 0, FmAstArg)->value &&
					 fm_list_get(&arg->value->args, 0, FmAstArg)->value->kind == FM_VAL_STRING)
				el->opclass = fm_strdup(v->a, fm_list_get(&arg->value->args, 0, FmAstArg)->value->text);
			else
			{
				ERR(arg->pos, "unknown argument \"%s\" for field \"%s\" in %s%s",
					nz(arg->name), fname, what,
					allow_sort ? "; use sort: Asc|Desc or ops: raw(\"opclass\")" : "");
				ok = false;
			}
		}
		fm_list_append(v->a, elems, el);
		fm_list_append(v->a, vfields, vf);
	}
	return ok;
}

static const char *const block_attrs[] = {
	"id", "unique", "index", "map", "schema", "check", "ignore", NULL
};

static void
block_attributes(V *v, VModel *vm)
{
	FmAstBlock *b = vm->blk;
	char	   *ctx = fm_psprintf(v->a, "model \"%s\"", nz(b->name));
	VField	   *id_field = NULL;
	FmAstAttribute *block_id = NULL;
	FmHashMap		seen = {0};

	/* @id fields */
	for (int i = 0; i < vm->fields.n; i++)
	{
		VField	   *vf = fm_list_get(&vm->fields, i, VField);

		if (!vf->is_id)
			continue;
		if (id_field)
		{
			ERR(vf->ast->pos, "model \"%s\" has more than one @id field (\"%s\" and \"%s\"); use @@id([%s, %s]) for a composite primary key",
				nz(b->name), id_field->ast->name, vf->ast->name,
				id_field->ast->name, vf->ast->name);
			continue;
		}
		id_field = vf;
	}

	for (int i = 0; i < b->attrs.n; i++)
	{
		FmAstAttribute *at = fm_list_get(&b->attrs, i, FmAstAttribute);
		bool		dup = false;

		if (at == NULL || at->name == NULL)
			continue;
		if (!in_list(block_attrs, at->name))
		{
			ERR(at->pos, "unknown attribute \"@@%s\" in %s%s", at->name, ctx,
				suggest(v, at->name, block_attrs, NULL, "@@"));
			continue;
		}
		if (strcmp(at->name, "id") == 0 || strcmp(at->name, "map") == 0 ||
			strcmp(at->name, "schema") == 0 || strcmp(at->name, "ignore") == 0)
		{
			dup = fm_hash_get(&seen, at->name) != NULL;
			fm_hash_put(v->a, &seen, at->name, at);
			if (dup)
			{
				ERR(at->pos, "attribute \"@@%s\" is given twice in %s", at->name, ctx);
				continue;
			}
		}
		if (strcmp(at->name, "map") == 0 || strcmp(at->name, "schema") == 0)
			continue;			/* handled with the table */
		if (strcmp(at->name, "ignore") == 0)
		{
			/* minimal @@ignore for pull (see ignore.c) */
			no_args(v, at, ctx);
			vm->table->ignored = true;
			continue;
		}

		if (strcmp(at->name, "id") == 0 || strcmp(at->name, "unique") == 0)
		{
			const char *const names[] = {"fields", "map", "name", NULL};
			FmAstArg   *args[3];
			FmList		elems = {0},
						vfields = {0};
			char	   *map = NULL;
			FmKey	   *key;
			bool		is_id = strcmp(at->name, "id") == 0;

			if (!bind_args(v, at, ctx, names, true, args))
				continue;
			if (args[0] == NULL)
			{
				ERR(at->pos, "%s in %s needs a list of fields, as in %s([a, b])",
					attr_repr(v, at), ctx, attr_repr(v, at));
				continue;
			}
			if (args[1])
			{
				map = string_arg(v, at, args[1], "map", ctx);
				if (map && !check_ident_len(v, args[1]->value->pos,
											is_id ? "primary key name" : "unique constraint name", map))
					map = NULL;
			}
			if (args[2] && args[2]->value && args[2]->value->kind != FM_VAL_STRING)
				ERR(args[2]->value->pos, "argument \"name\" of %s in %s must be a string",
					attr_repr(v, at), ctx);
			if (!resolve_field_list(v, vm, at, args[0]->value, false, &elems, &vfields))
				continue;
			if (is_id)
			{
				block_id = at;
				if (id_field)
				{
					ERR(at->pos, "model \"%s\" has both @id on field \"%s\" and @@id; keep only one",
						nz(b->name), id_field->ast->name);
					continue;
				}
				for (int k = 0; k < vfields.n; k++)
				{
					VField	   *vf = fm_list_get(&vfields, k, VField);

					if (vf->ast->optional)
						ERR(at->pos, "field \"%s\" in @@id of model \"%s\" is optional; primary key columns are never null",
							vf->ast->name, nz(b->name));
				}
			}
			key = fm_alloc(v->a, sizeof(FmKey));
			key->pos = at->pos;
			for (int k = 0; k < elems.n; k++)
				fm_list_append(v->a, &key->columns, fm_list_get(&elems, k, FmIndexElem)->column);
			if (is_id)
			{
				vm->table->primary_key = key;
				vm->pk_map = map;
			}
			else
			{
				fm_list_append(v->a, &vm->table->uniques, key);
				fm_list_append(v->a, &vm->key_maps, map);
			}
		}
		else if (strcmp(at->name, "index") == 0)
		{
			const char *const names[] = {"fields", "map", "type", "where", "name", NULL};
			FmAstArg   *args[5];
			FmList		vfields = {0};
			FmIndex    *ix;
			char	   *map = NULL;
			static const char *const types[] = {
				"BTree", "Hash", "Gin", "Gist", "SpGist", "Brin", NULL
			};
			bool		ok = true;

			if (!bind_args(v, at, ctx, names, true, args))
				continue;
			if (args[0] == NULL)
			{
				ERR(at->pos, "@@index in %s needs a list of fields, as in @@index([a, b])", ctx);
				continue;
			}
			ix = fm_alloc(v->a, sizeof(FmIndex));
			ix->pos = at->pos;
			ix->method = fm_strdup(v->a, "btree");
			if (args[4])
			{
				ERR(args[4]->pos, "argument \"name\" of @@index in %s is not supported; use map: to name the index",
					ctx);
				ok = false;
			}
			if (args[1])
			{
				map = string_arg(v, at, args[1], "map", ctx);
				if (map && !check_ident_len(v, args[1]->value->pos, "index name", map))
					map = NULL;
			}
			if (args[2] && args[2]->value)
			{
				FmAstValue *tv = args[2]->value;

				if (tv->kind != FM_VAL_IDENT || !in_list(types, tv->text))
				{
					ERR(tv->pos, "unknown index type \"%s\" in @@index of %s; use one of BTree, Hash, Gin, Gist, SpGist, Brin%s",
						value_repr(v, tv), ctx,
						tv->kind == FM_VAL_IDENT ? suggest(v, tv->text, types, NULL, NULL) : "");
					ok = false;
				}
				else
				{
					char	   *m = fm_strdup(v->a, tv->text);

					for (char *p = m; *p; p++)
						*p = (char) tolower((unsigned char) *p);
					ix->method = m;
				}
			}
			if (args[3])
			{
				char	   *w = string_arg(v, at, args[3], "where", ctx);

				if (w && *w == '\0')
					ERR(args[3]->value->pos, "argument \"where\" of @@index in %s must not be empty", ctx);
				else if (w)
					ix->predicate = fm_strdup(v->a, w);
				else
					ok = false;
			}
			if (!resolve_field_list(v, vm, at, args[0]->value, true, &ix->elems, &vfields))
				continue;
			if (strcmp(ix->method, "btree") != 0)
			{
				for (int k = 0; k < ix->elems.n; k++)
					if (fm_list_get(&ix->elems, k, FmIndexElem)->sort != FM_SORT_DEFAULT)
					{
						ERR(at->pos, "@@index of type %s in %s cannot have a sort order; only BTree indexes are ordered",
							args[2]->value->text, ctx);
						ok = false;
						break;
					}
				if (strcmp(ix->method, "hash") == 0 && ix->elems.n > 1)
				{
					ERR(at->pos, "@@index of type Hash in %s can have only one field", ctx);
					ok = false;
				}
			}
			if (!ok)
				continue;
			fm_list_append(v->a, &vm->table->indexes, ix);
			fm_list_append(v->a, &vm->index_maps, map);
		}
		else if (strcmp(at->name, "check") == 0)
		{
			const char *const names[] = {"expr", "map", NULL};
			FmAstArg   *args[2];
			char	   *expr,
					   *map = NULL;
			FmCheck    *ck;

			if (!bind_args(v, at, ctx, names, true, args))
				continue;
			if (args[0] == NULL)
			{
				ERR(at->pos, "@@check in %s needs the SQL expression, as in @@check(\"price > 0\")", ctx);
				continue;
			}
			expr = string_arg(v, at, args[0], "expr", ctx);
			if (expr == NULL)
				continue;
			if (*expr == '\0')
			{
				ERR(args[0]->value->pos, "the expression of @@check in %s must not be empty", ctx);
				continue;
			}
			if (args[1])
			{
				map = string_arg(v, at, args[1], "map", ctx);
				if (map == NULL || !check_ident_len(v, args[1]->value->pos, "check constraint name", map))
					continue;
			}
			ck = fm_alloc(v->a, sizeof(FmCheck));
			ck->expr = fm_strdup(v->a, expr);
			ck->pos = at->pos;
			fm_list_append(v->a, &vm->table->checks, ck);
			fm_list_append(v->a, &vm->check_maps, map);
		}
	}

	if (id_field && id_field->col)
	{
		FmKey	   *key = fm_alloc(v->a, sizeof(FmKey));

		key->pos = id_field->ast->pos;
		fm_list_append(v->a, &key->columns, id_field->col->name);
		vm->table->primary_key = key;
	}
	(void) block_id;

	/* at least one unique criterion with required fields only */
	if (vm->table->primary_key == NULL)
	{
		bool		found = false;

		/* a field whose type is wrong may be the key: no second error */
		for (int i = 0; i < vm->fields.n; i++)
			if (fm_list_get(&vm->fields, i, VField)->kind == VF_ERROR)
				found = true;

		for (int i = 0; i < vm->table->uniques.n && !found; i++)
		{
			FmKey	   *k = fm_list_get(&vm->table->uniques, i, FmKey);
			bool		allreq = true;

			for (int j = 0; j < k->columns.n; j++)
			{
				VField	   *c = fm_hash_get(&vm->by_column, fm_list_get(&k->columns, j, char));

				if (c == NULL || c->col == NULL || !c->col->notnull)
					allreq = false;
			}
			found = allreq;
		}
		if (!found && !block_id && !id_field && !vm->table->ignored)
			ERR(b->name_pos, "model \"%s\" has no primary key or unique field; add @id to a field, @@id([...]), or @unique to a required field",
				nz(b->name));
	}
}

/* ---------- relations ---------- */

static char *
rel_ctx(V *v, VField *vf)
{
	return fm_psprintf(v->a, "relation field \"%s\" in model \"%s\"",
					   vf->ast->name, nz(vf->model->blk->name));
}

static void
relation_args(V *v, VField *vf)
{
	const char *const names[] = {"name", "fields", "references", "onDelete", "onUpdate", "map", NULL};
	FmAstArg   *args[6];
	char	   *ctx = rel_ctx(v, vf);

	if (vf->rel == NULL)
		return;
	(void) bind_args(v, vf->rel, ctx, names, true, args);
	if (args[0] && args[0]->value)
	{
		if (args[0]->value->kind != FM_VAL_STRING || !value_is_nul_free(args[0]->value))
			ERR(args[0]->value->pos, "the relation name of %s must be a string, as in @relation(\"name\")", ctx);
		else
			vf->rel_name = args[0]->value->text;
	}
	vf->a_fields = args[1];
	vf->a_refs = args[2];
	vf->a_delete = args[3];
	vf->a_update = args[4];
	vf->a_map = args[5];
}

static bool
same_type(const FmType *a, const FmType *b)
{
	return a->kind == b->kind && fm_streq(a->sql, b->sql) &&
		fm_streq(a->enum_name, b->enum_name) && fm_streq(a->enum_schema, b->enum_schema);
}

/* resolve fields: / references: of a relation into scalar VFields of vm */
static bool
resolve_ref_list(V *v, VField *rf, VModel *vm, FmAstArg *arg, const char *which,
				 FmList *out)
{
	char	   *ctx = rel_ctx(v, rf);
	FmAstValue *val = arg->value;
	bool		ok = true;
	FmHashMap		listed = {0};

	if (val == NULL)
		return false;
	if (val->kind == FM_VAL_IDENT)
	{
		ERR(val->pos, "\"%s\" of %s must be a list, as in %s: [%s]",
			which, ctx, which, nz(val->text));
		return false;
	}
	if (val->kind != FM_VAL_ARRAY)
	{
		ERR(val->pos, "\"%s\" of %s must be a list of field names", which, ctx);
		return false;
	}
	if (val->items.n == 0)
	{
		ERR(val->pos, "\"%s\" of %s must name at least one field", which, ctx);
		return false;
	}
	for (int i = 0; i < val->items.n; i++)
	{
		FmAstValue *it = fm_list_get(&val->items, i, FmAstValue);
		VField	   *f;

		if (it == NULL)
			continue;
		if (it->kind != FM_VAL_IDENT)
		{
			ERR(it->pos, "\"%s\" of %s must be a list of field names; %s is not one",
				which, ctx, value_repr(v, it));
			ok = false;
			continue;
		}
		f = find_field(vm, it->text);
		if (f == NULL)
		{
			ERR(it->pos, "unknown field \"%s\" in \"%s\" of %s: model \"%s\" has no such field%s",
				nz(it->text), which, ctx, nz(vm->blk->name),
				suggest(v, it->text, NULL, field_names(v, vm, true), NULL));
			ok = false;
			continue;
		}
		if (f->kind == VF_RELATION)
		{
			ERR(it->pos, "\"%s\" of %s must name scalar fields, and \"%s\" is a relation field",
				which, ctx, nz(it->text));
			ok = false;
			continue;
		}
		if (f->col == NULL)
		{
			ok = false;
			continue;
		}
		if (fm_hash_get(&listed, it->text))
		{
			ERR(it->pos, "field \"%s\" is listed twice in \"%s\" of %s", nz(it->text), which, ctx);
			ok = false;
		}
		fm_hash_put(v->a, &listed, it->text, f);
		fm_list_append(v->a, out, f);
	}
	return ok;
}

static int
cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* a column set as one string: the names sorted, joined with \x01 */
static char *
column_set_signature(V *v, FmList *names)
{
	FmList		sorted = {0};
	FmBuf		buf;

	for (int i = 0; i < names->n; i++)
		fm_list_append(v->a, &sorted, names->items[i]);
	fm_list_sort(&sorted, cmp_str_ptr);
	fm_buf_init(&buf, v->a);
	for (int i = 0; i < sorted.n; i++)
	{
		if (i > 0)
			fm_buf_append_char(&buf, '\x01');
		fm_buf_append(&buf, fm_list_get(&sorted, i, char));
	}
	return buf.data ? buf.data : fm_strdup(v->a, "");
}

/* is the set of columns of vfields the primary key or a unique key of vm? */
static bool
is_unique_set(V *v, VModel *vm, FmList *vfields)
{
	FmTable    *t = vm->table;
	FmList		cols = {0};

	if (vm->key_sigs.cap == 0)
	{
		for (int i = -1; i < t->uniques.n; i++)
		{
			FmKey	   *k = i < 0 ? t->primary_key : fm_list_get(&t->uniques, i, FmKey);

			if (k)
				fm_hash_put(v->a, &vm->key_sigs, column_set_signature(v, &k->columns), k);
		}
		if (vm->key_sigs.cap == 0)
			return false;
	}
	for (int j = 0; j < vfields->n; j++)
		fm_list_append(v->a, &cols, fm_list_get(vfields, j, VField)->col->name);
	return fm_hash_get(&vm->key_sigs, column_set_signature(v, &cols)) != NULL;
}

static bool
fk_action(V *v, VField *rf, FmAstArg *arg, const char *which, FmFkAction *out)
{
	static const FmFkAction acts[] = {
		FM_FK_CASCADE, FM_FK_RESTRICT, FM_FK_NO_ACTION, FM_FK_SET_NULL, FM_FK_SET_DEFAULT
	};
	FmAstValue *val = arg->value;

	if (val && val->kind == FM_VAL_IDENT)
		for (int i = 0; fk_actions[i]; i++)
			if (fm_streq(fk_actions[i], val->text))
			{
				*out = acts[i];
				return true;
			}
	ERR(val ? val->pos : arg->pos,
		"unknown referential action %s for %s of %s; use Cascade, Restrict, NoAction, SetNull or SetDefault%s",
		fm_psprintf(v->a, "\"%s\"", value_repr(v, val)), which, rel_ctx(v, rf),
		val && val->kind == FM_VAL_IDENT ? suggest(v, val->text, fk_actions, NULL, NULL) : "");
	return false;
}

/* the side with fields/references: build its foreign key */
static void
make_foreign_key(V *v, VField *rf, VField *other, bool one_to_one)
{
	char	   *ctx = rel_ctx(v, rf);
	VModel	   *vm = rf->model;
	VModel	   *tm = rf->target;
	FmList		fields = {0},
				refs = {0};
	bool		ok = true;
	FmForeignKey *fk;
	char	   *map = NULL;
	bool		any_optional = false;

	if (rf->a_fields == NULL || rf->a_refs == NULL)
	{
		ERR(rf->rel->pos, "%s has \"%s\" but no \"%s\"; give both", ctx,
			rf->a_fields ? "fields" : "references", rf->a_fields ? "references" : "fields");
		return;
	}
	ok &= resolve_ref_list(v, rf, vm, rf->a_fields, "fields", &fields);
	ok &= resolve_ref_list(v, rf, tm, rf->a_refs, "references", &refs);
	if (!ok)
		return;
	if (fields.n != refs.n)
	{
		ERR(rf->a_refs->pos, "%s lists %d field%s in \"fields\" but %d in \"references\"; they must match one to one",
			ctx, fields.n, fields.n == 1 ? "" : "s", refs.n);
		return;
	}
	for (int i = 0; i < fields.n; i++)
	{
		VField	   *a = fm_list_get(&fields, i, VField);
		VField	   *b = fm_list_get(&refs, i, VField);

		if (!same_type(&a->col->type, &b->col->type))
		{
			ERR(rf->a_fields->pos, "%s: field \"%s\" (%s) cannot reference field \"%s\" (%s) of model \"%s\" because their types differ",
				ctx, a->ast->name, nz(a->col->type.sql),
				b->ast->name, nz(b->col->type.sql), nz(tm->blk->name));
			ok = false;
		}
		if (!a->col->notnull)
			any_optional = true;
	}
	if (!ok)
		return;
	if (!is_unique_set(v, tm, &refs))
	{
		ERR(rf->a_refs->pos, "the \"references\" of %s must be the @id or an @unique of model \"%s\" (or its @@id or an @@unique)",
			ctx, nz(tm->blk->name));
		return;
	}
	if (any_optional && !rf->ast->optional)
	{
		ERR(rf->ast->type_pos, "%s must be optional (\"%s?\") because its \"fields\" are optional",
			ctx, nz(rf->ast->type_name));
		return;
	}
	if (one_to_one && !is_unique_set(v, vm, &fields))
	{
		FmBuf		buf;

		fm_buf_init(&buf, v->a);
		for (int i = 0; i < fields.n; i++)
			fm_buf_printf(&buf, "%s%s", i ? ", " : "", fm_list_get(&fields, i, VField)->ast->name);
		ERR(rf->a_fields->pos, "the \"fields\" of one-to-one %s must be unique; add @unique to the field or @@unique([%s]) to the model, or make \"%s\" in model \"%s\" a list for a one-to-many relation",
			ctx, buf.data, other->ast->name, nz(other->model->blk->name));
		return;
	}

	fk = fm_alloc(v->a, sizeof(FmForeignKey));
	fk->pos = rf->rel->pos;
	fk->ref_schema = tm->table->schema;
	fk->ref_table = tm->table->name;
	for (int i = 0; i < fields.n; i++)
	{
		fm_list_append(v->a, &fk->columns, fm_list_get(&fields, i, VField)->col->name);
		fm_list_append(v->a, &fk->ref_columns, fm_list_get(&refs, i, VField)->col->name);
	}
	fk->on_delete = rf->ast->optional ? FM_FK_SET_NULL : FM_FK_RESTRICT;
	fk->on_update = FM_FK_CASCADE;
	if (rf->a_delete && !fk_action(v, rf, rf->a_delete, "onDelete", &fk->on_delete))
		ok = false;
	if (rf->a_update && !fk_action(v, rf, rf->a_update, "onUpdate", &fk->on_update))
		ok = false;
	for (int pass = 0; pass < 2; pass++)
	{
		FmFkAction	act = pass == 0 ? fk->on_delete : fk->on_update;
		FmAstArg   *arg = pass == 0 ? rf->a_delete : rf->a_update;

		if (act != FM_FK_SET_NULL)
			continue;
		for (int i = 0; i < fields.n; i++)
		{
			VField	   *a = fm_list_get(&fields, i, VField);

			if (a->col->notnull)
			{
				ERR(arg ? arg->value->pos : rf->rel->pos,
					"%s: SetNull on %s needs optional fields, but \"%s\" is required",
					pass == 0 ? "onDelete" : "onUpdate", ctx, a->ast->name);
				return;
			}
		}
	}
	if (!ok)
		return;
	/* SetDefault on a column without a default sets it to NULL */
	for (int pass = 0; pass < 2; pass++)
	{
		FmFkAction	act = pass == 0 ? fk->on_delete : fk->on_update;
		FmAstArg   *arg = pass == 0 ? rf->a_delete : rf->a_update;

		if (act != FM_FK_SET_DEFAULT || arg == NULL || arg->value == NULL)
			continue;
		for (int i = 0; i < fields.n; i++)
		{
			VField	   *a = fm_list_get(&fields, i, VField);

			if (a->col->default_sql == NULL && a->col->autoinc == FM_AUTOINC_NONE)
			{
				WARN(arg->value->pos, "%s: SetDefault on %s, but field \"%s\" has no @default, so PostgreSQL sets it to NULL%s",
					 pass == 0 ? "onDelete" : "onUpdate", ctx, a->ast->name,
					 a->col->notnull ? " and the statement fails" : "");
				break;
			}
		}
	}
	if (rf->a_map)
	{
		map = string_arg(v, rf->rel, rf->a_map, "map", ctx);
		if (map == NULL || !check_ident_len(v, rf->a_map->value->pos, "foreign key name", map))
			return;
	}
	fm_list_append(v->a, &vm->table->foreign_keys, fk);
	fm_list_append(v->a, &vm->fk_maps, map);
	fm_list_append(v->a, &vm->fk_fields, rf);
}

/* fields:, references:, onDelete:, onUpdate:, map: on a side that may not have them */
static bool
no_fk_args(V *v, VField *rf, const char *why)
{
	FmAstArg   *bad = rf->a_fields ? rf->a_fields : rf->a_refs ? rf->a_refs :
		rf->a_delete ? rf->a_delete : rf->a_update ? rf->a_update : rf->a_map;

	if (bad == NULL)
		return true;
	ERR(bad->pos, "%s cannot have \"%s\" in @relation: %s", rel_ctx(v, rf), nz(bad->name), why);
	return false;
}

static FmColumn *
m2m_column(V *v, FmTable *t, const char *name, VModel *vm, bool *ok)
{
	FmColumn   *c = fm_table_add_column(v->m, t, name);
	FmKey	   *pk = vm->table->primary_key;
	FmColumn   *pc = NULL;

	c->notnull = true;
	c->type.kind = FM_TYPE_BUILTIN;
	c->type.sql = fm_strdup(v->a, "integer");
	if (pk && pk->columns.n == 1)
	{
		VField	   *f = fm_hash_get(&vm->by_column, fm_list_get(&pk->columns, 0, char));

		pc = f ? f->col : NULL;
	}
	if (pc == NULL)
		*ok = false;
	else
		c->type = pc->type;
	return c;
}

static void
make_m2m(V *v, VField *f1, VField *f2)
{
	VField	   *fa = f1,
			   *fb = f2;
	FmTable    *t;
	char	   *name;
	bool		oka = true,
				okb = true;
	FmForeignKey *fk;
	FmIndex    *ix;
	FmIndexElem *el;

	if (!no_fk_args(v, f1, "an implicit many-to-many relation has no foreign key fields") ||
		!no_fk_args(v, f2, "an implicit many-to-many relation has no foreign key fields"))
		return;
	if (strcmp(nz(f1->model->blk->name), nz(f2->model->blk->name)) > 0)
	{
		fa = f2;
		fb = f1;
	}
	if (f1->rel_name)
		name = fm_psprintf(v->a, "_%s", f1->rel_name);
	else
		name = fm_psprintf(v->a, "_%sTo%s", nz(fa->model->blk->name), nz(fb->model->blk->name));
	if (!check_ident_len_ctx(v, f1->ast->pos, "join table name", name, NULL))
		return;
	t = fm_model_add_table(v->m, fa->model->table->schema, name);
	t->implicit_m2m = true;
	t->pos = f2->ast->pos;
	m2m_column(v, t, "A", fa->model, &oka);
	m2m_column(v, t, "B", fb->model, &okb);
	if (!oka || !okb)
	{
		VModel	   *bad = !oka ? fa->model : fb->model;

		ERR(f2->ast->pos, "implicit many-to-many relation between \"%s.%s\" and \"%s.%s\" needs a single-field @id in model \"%s\"",
			nz(fa->model->blk->name), fa->ast->name, nz(fb->model->blk->name), fb->ast->name,
			nz(bad->blk->name));
		return;
	}
	t->primary_key = fm_alloc(v->a, sizeof(FmKey));
	t->primary_key->pos = t->pos;
	fm_list_append(v->a, &t->primary_key->columns, "A");
	fm_list_append(v->a, &t->primary_key->columns, "B");
	for (int i = 0; i < 2; i++)
	{
		VModel	   *ref = i == 0 ? fa->model : fb->model;

		fk = fm_alloc(v->a, sizeof(FmForeignKey));
		fk->pos = t->pos;
		fm_list_append(v->a, &fk->columns, i == 0 ? "A" : "B");
		fk->ref_schema = ref->table->schema;
		fk->ref_table = ref->table->name;
		fm_list_append(v->a, &fk->ref_columns, fm_list_get(&ref->table->primary_key->columns, 0, char));
		fk->on_delete = FM_FK_CASCADE;
		fk->on_update = FM_FK_CASCADE;
		fm_list_append(v->a, &t->foreign_keys, fk);
	}
	ix = fm_alloc(v->a, sizeof(FmIndex));
	ix->method = fm_strdup(v->a, "btree");
	ix->pos = t->pos;
	el = fm_alloc(v->a, sizeof(FmIndexElem));
	el->column = "B";
	fm_list_append(v->a, &ix->elems, el);
	fm_list_append(v->a, &t->indexes, ix);
	fm_list_append(v->a, &v->m2m, t);
	fm_list_append(v->a, &v->m2m_desc,
				   fm_psprintf(v->a, "the join table of the many-to-many relation between \"%s.%s\" and \"%s.%s\"",
							   nz(fa->model->blk->name), fa->ast->name,
							   nz(fb->model->blk->name), fb->ast->name));
}

static void
pair_relation(V *v, VField *f1, VField *f2)
{
	/* f1 comes first in the source */
	if (f1->ast->list && f2->ast->list)
	{
		make_m2m(v, f1, f2);
		return;
	}
	if (f1->ast->list || f2->ast->list)
	{
		VField	   *many = f1->ast->list ? f1 : f2;
		VField	   *one = f1->ast->list ? f2 : f1;

		bool		ok = no_fk_args(v, many, fm_psprintf(v->a, "it is the list side of a one-to-many relation; put them on \"%s\" in model \"%s\"",
														  one->ast->name, nz(one->model->blk->name)));

		if (one->a_fields == NULL && one->a_refs == NULL)
		{
			ERR(one->rel ? one->rel->pos : one->ast->pos,
				"%s needs \"fields\" and \"references\" in @relation: it holds the foreign key of its relation with \"%s\" in model \"%s\", as in @relation(fields: [%sId], references: [id])",
				rel_ctx(v, one), many->ast->name, nz(many->model->blk->name), one->ast->name);
			return;
		}
		if (ok)
			make_foreign_key(v, one, many, false);
		return;
	}
	/* one-to-one */
	{
		bool		h1 = f1->a_fields || f1->a_refs;
		bool		h2 = f2->a_fields || f2->a_refs;
		VField	   *owner,
				   *back;

		if (!h1 && !h2)
		{
			ERR(f2->ast->pos, "the one-to-one relation between \"%s.%s\" and \"%s.%s\" needs \"fields\" and \"references\" on one side",
				nz(f1->model->blk->name), f1->ast->name, nz(f2->model->blk->name), f2->ast->name);
			return;
		}
		if (h1 && h2)
		{
			ERR(f2->ast->pos, "the one-to-one relation between \"%s.%s\" and \"%s.%s\" must have \"fields\" and \"references\" on one side only",
				nz(f1->model->blk->name), f1->ast->name, nz(f2->model->blk->name), f2->ast->name);
			return;
		}
		owner = h1 ? f1 : f2;
		back = h1 ? f2 : f1;
		if (!no_fk_args(v, back, "the other side of the relation holds the foreign key"))
			return;
		if (!back->ast->optional)
		{
			ERR(back->ast->type_pos, "%s must be optional (\"%s?\"): it is the side of a one-to-one relation without \"fields\"",
				rel_ctx(v, back), nz(back->ast->type_name));
			return;
		}
		make_foreign_key(v, owner, back, true);
	}
}

static void
relations(V *v)
{
	FmList		all = {0};
	FmList		groups = {0};
	FmHashMap		groups_by_key = {0};

	for (int i = 0; i < v->models.n; i++)
	{
		VModel	   *vm = fm_list_get(&v->models, i, VModel);

		for (int j = 0; j < vm->fields.n; j++)
		{
			VField	   *vf = fm_list_get(&vm->fields, j, VField);

			if (vf->kind == VF_RELATION)
			{
				relation_args(v, vf);
				fm_list_append(v->a, &all, vf);
			}
		}
	}
	/* group the relation fields by (unordered model pair, relation name) */
	for (int i = 0; i < all.n; i++)
	{
		VField	   *f = fm_list_get(&all, i, VField);
		const char *a = nz(f->model->blk->name),
				   *b = nz(f->target->blk->name);
		char	   *key;
		FmList	   *group;

		if (strcmp(a, b) > 0)
		{
			const char *tmp = a;

			a = b;
			b = tmp;
		}
		key = fm_psprintf(v->a, "%s\x01%s\x01%s", a, b, nz(f->rel_name));
		group = fm_hash_get(&groups_by_key, key);
		if (group == NULL)
		{
			group = fm_alloc(v->a, sizeof(FmList));
			fm_hash_put(v->a, &groups_by_key, key, group);
			fm_list_append(v->a, &groups, group);
		}
		fm_list_append(v->a, group, f);
	}
	for (int gi = 0; gi < groups.n; gi++)
	{
		FmList	   *group = fm_list_get(&groups, gi, FmList);
		VField	   *f = fm_list_get(group, 0, VField);
		FmList		side_a = {0},
					side_b = {0};
		VModel	   *m = f->model,
				   *t = f->target;
		const char *rn = f->rel_name;

		for (int j = 0; j < group->n; j++)
		{
			VField	   *g = fm_list_get(group, j, VField);

			if (g->model == m && g->target == t)
				fm_list_append(v->a, &side_a, g);
			else
				fm_list_append(v->a, &side_b, g);
		}
		if (m == t)
		{
			if (side_a.n == 2)
				pair_relation(v, fm_list_get(&side_a, 0, VField), fm_list_get(&side_a, 1, VField));
			else if (side_a.n == 1)
				ERR(f->ast->pos, "self-%s has no opposite relation field; add another field of type \"%s\" to model \"%s\"%s%s%s",
					rel_ctx(v, f), nz(m->blk->name), nz(m->blk->name),
					rn ? " with @relation(\"" : "", rn ? rn : "", rn ? "\")" : "");
			else
				for (int k = 2; k < side_a.n; k++)
				{
					VField	   *g = fm_list_get(&side_a, k, VField);

					ERR(g->ast->pos, "ambiguous self-relation: fields \"%s\", \"%s\" and \"%s\" in model \"%s\" all use the %s%s%s; a self-relation has exactly two fields, so name each relation with @relation(\"...\")",
						fm_list_get(&side_a, 0, VField)->ast->name,
						fm_list_get(&side_a, 1, VField)->ast->name,
						g->ast->name, nz(m->blk->name),
						rn ? "relation name \"" : "unnamed relation", rn ? rn : "", rn ? "\"" : "");
				}
			continue;
		}
		if (side_a.n > 1 || side_b.n > 1)
		{
			FmList	   *sides[2] = {&side_a, &side_b};

			for (int s = 0; s < 2; s++)
				for (int k = 1; k < sides[s]->n; k++)
				{
					VField	   *f0 = fm_list_get(sides[s], 0, VField);
					VField	   *g = fm_list_get(sides[s], k, VField);

					ERR(g->ast->pos, "ambiguous relation: fields \"%s\" and \"%s\" in model \"%s\" both refer to model \"%s\"%s%s%s; give each relation its own name with @relation(\"...\") on both sides",
						f0->ast->name, g->ast->name, nz(g->model->blk->name),
						nz(g->target->blk->name),
						rn ? " with relation name \"" : "", rn ? rn : "", rn ? "\"" : "");
				}
			continue;
		}
		if (side_b.n == 0)
		{
			ERR(f->ast->pos, "%s has no opposite relation field in model \"%s\"%s%s%s; add a field of type \"%s[]\" or \"%s?\" to model \"%s\"%s",
				rel_ctx(v, f), nz(t->blk->name),
				rn ? " with relation name \"" : "", rn ? rn : "", rn ? "\"" : "",
				nz(m->blk->name), nz(m->blk->name), nz(t->blk->name),
				rn ? " with the same @relation name" : "");
			continue;
		}
		pair_relation(v, f, fm_list_get(&side_b, 0, VField));
	}
}

/* ---------- redundant indexes ---------- */

static char *quoted_list(V *v, FmList *cols);
#define quoted_list_fwd quoted_list

static char *
ordered_signature(V *v, FmList *names)
{
	FmBuf		buf;

	fm_buf_init(&buf, v->a);
	for (int i = 0; i < names->n; i++)
	{
		if (i > 0)
			fm_buf_append_char(&buf, '\x01');
		fm_buf_append(&buf, fm_list_get(names, i, char));
	}
	return buf.data ? buf.data : fm_strdup(v->a, "");
}

/* warn about a plain @@index on exactly the columns of the primary key or a unique */
static void
redundant_indexes(V *v, VModel *vm)
{
	FmTable    *t = vm->table;
	FmHashMap		keys = {0};

	if (t->indexes.n == 0)
		return;
	for (int i = -1; i < t->uniques.n; i++)
	{
		FmKey	   *k = i < 0 ? t->primary_key : fm_list_get(&t->uniques, i, FmKey);

		if (k && fm_hash_get(&keys, ordered_signature(v, &k->columns)) == NULL)
			fm_hash_put(v->a, &keys, ordered_signature(v, &k->columns), k);
	}
	for (int i = 0; i < t->indexes.n; i++)
	{
		FmIndex    *ix = fm_list_get(&t->indexes, i, FmIndex);
		FmList		cols = {0};
		bool		plain = fm_streq(ix->method, "btree") && ix->predicate == NULL;

		for (int e = 0; e < ix->elems.n && plain; e++)
		{
			FmIndexElem *el = fm_list_get(&ix->elems, e, FmIndexElem);

			if (el->column == NULL || el->sort != FM_SORT_DEFAULT || el->opclass)
				plain = false;
			else
				fm_list_append(v->a, &cols, el->column);
		}
		if (plain && fm_hash_get(&keys, ordered_signature(v, &cols)))
			WARN(ix->pos, "@@index on %s of model \"%s\" is redundant: the %s already has an index on the same columns",
				 quoted_list_fwd(v, &cols), nz(vm->blk->name),
				 ((FmKey *) fm_hash_get(&keys, ordered_signature(v, &cols))) == t->primary_key ?
				 "primary key" : "unique constraint");
	}
}

/* ---------- constraint and index names ---------- */

typedef struct NameEntry
{
	const char *schema;
	const char *name;
	char	   *desc;
	bool		rel;			/* relation namespace: tables, types, indexes */
	bool		con;			/* constraint names */
} NameEntry;

typedef struct NameSpace
{
	FmHashMap		rel;			/* (schema, name) -> NameEntry */
	FmHashMap		con;
	FmHashMap		next_pass;		/* (schema, name1/name2/label) -> int *: where to go on */
} NameSpace;

static NameEntry *
name_clash(NameSpace *names, const char *schema, const char *name, bool rel, bool con)
{
	NameEntry  *e = NULL;

	if (rel)
		e = fm_hash_get2(&names->rel, schema, name);
	if (e == NULL && con)
		e = fm_hash_get2(&names->con, schema, name);
	return e;
}

static void
register_name(V *v, NameSpace *names, const char *schema, const char *name,
			  bool rel, bool con, FmSrcPos pos, char *desc, const char *how)
{
	NameEntry  *e = name_clash(names, schema, name, rel, con);

	if (e)
	{
		ERR(pos, "the database name \"%s\" of %s is already used by %s%s%s; choose another name with %s",
			name, desc, e->desc, schema ? " in schema " : "", schema ? fm_psprintf(v->a, "\"%s\"", schema) : "",
			how);
		return;
	}
	e = fm_alloc(v->a, sizeof(NameEntry));
	e->schema = schema;
	e->name = name;
	e->desc = desc;
	e->rel = rel;
	e->con = con;
	if (rel)
		fm_hash_put2(v->a, &names->rel, schema, name, e);
	if (con)
		fm_hash_put2(v->a, &names->con, schema, name, e);
}

/*
 * A generated name that clashes with nothing: like PostgreSQL's
 * ChooseRelationName() / ChooseConstraintName(), append 1, 2, ... to the
 * label until the name is free.
 */
static char *
choose_name(V *v, NameSpace *names, const char *schema, const char *name1,
			const char *name2, const char *label, bool rel, bool con)
{
	char	   *first = fm_make_object_name(v->a, name1, name2, label);
	char	   *name = first;
	char	   *key;
	int		   *pass;

	if (!name_clash(names, schema, name, rel, con))
		return name;
	/* names are never freed again: resume where the last search stopped */
	key = fm_psprintf(v->a, "%s\x01%s\x01%s", nz(name1), name2 ? name2 : "\x02", label);
	pass = fm_hash_get2(&names->next_pass, schema, key);
	if (pass == NULL)
	{
		pass = fm_alloc(v->a, sizeof(int));
		fm_hash_put2(v->a, &names->next_pass, schema, key, pass);
	}
	do
	{
		name = fm_make_object_name(v->a, name1, name2,
								   fm_psprintf(v->a, "%s%d", label, ++(*pass)));
	} while (name_clash(names, schema, name, rel, con));
	return name;
}

static char *
cols_of_key(V *v, FmKey *k)
{
	return fm_column_list_name(v->a, &k->columns);
}

static char *
cols_of_index(V *v, FmIndex *ix)
{
	FmList		l = {0};

	for (int i = 0; i < ix->elems.n; i++)
	{
		FmIndexElem *el = fm_list_get(&ix->elems, i, FmIndexElem);

		fm_list_append(v->a, &l, el->column ? el->column : "expr");
	}
	return fm_column_list_name(v->a, &l);
}

static char *
quoted_list(V *v, FmList *cols)
{
	FmBuf		buf;

	fm_buf_init(&buf, v->a);
	for (int i = 0; i < cols->n; i++)
		fm_buf_printf(&buf, "%s\"%s\"", i ? ", " : "", fm_list_get(cols, i, char));
	return buf.data ? buf.data : "";
}

/*
 * The one column of t an expression mentions, or NULL (none, or several):
 * PostgreSQL names a CHECK constraint after its column only when exactly
 * one column is referenced.  Identifiers outside string literals are
 * folded to lower case unless double-quoted.
 */
static const char *
check_column(V *v, FmHashMap *cols, const char *expr)
{
	const char *found = NULL;
	const char *p = expr;

	while (*p)
	{
		if (*p == '\'')
		{
			p++;
			while (*p && !(*p == '\'' && p[1] != '\''))
				p += (*p == '\'' ? 2 : 1);
			if (*p)
				p++;
			continue;
		}
		if (*p == '"' || isalpha((unsigned char) *p) || *p == '_' || (unsigned char) *p >= 0x80)
		{
			FmBuf		id;
			FmColumn   *c;
			bool		qualified_next;

			fm_buf_init(&id, v->a);
			if (*p == '"')
			{
				p++;
				while (*p && !(*p == '"' && p[1] != '"'))
				{
					fm_buf_append_char(&id, *p);
					p += (*p == '"' ? 2 : 1);
				}
				if (*p)
					p++;
			}
			else
			{
				while (*p && (isalnum((unsigned char) *p) || *p == '_' || *p == '$' ||
							  (unsigned char) *p >= 0x80))
				{
					fm_buf_append_char(&id, (char) tolower((unsigned char) *p));
					p++;
				}
			}
			qualified_next = (*p == '.' || *p == '(');
			if (id.data && !qualified_next && (c = fm_hash_get(cols, id.data)) != NULL)
			{
				if (found && strcmp(found, c->name) != 0)
					return NULL;
				found = c->name;
			}
			continue;
		}
		if (isdigit((unsigned char) *p))
		{
			while (isalnum((unsigned char) *p) || *p == '.')
				p++;
			continue;
		}
		p++;
	}
	return found;
}

static void
name_constraints(V *v)
{
	NameSpace	names = {{0}, {0}, {0}};

	for (int i = 0; i < v->enums.n; i++)
	{
		VEnum	   *ve = fm_list_get(&v->enums, i, VEnum);

		if (ve->en)
			register_name(v, &names, ve->en->schema, ve->en->name, true, false,
						  ve->blk->name_pos, fm_psprintf(v->a, "the type of enum \"%s\"", nz(ve->blk->name)), "@@map");
	}
	for (int i = 0; i < v->models.n; i++)
	{
		VModel	   *vm = fm_list_get(&v->models, i, VModel);

		register_name(v, &names, vm->table->schema, vm->table->name, true, false,
					  vm->blk->name_pos, fm_psprintf(v->a, "the table of model \"%s\"", nz(vm->blk->name)), "@@map");
	}
	for (int i = 0; i < v->m2m.n; i++)
	{
		FmTable    *t = fm_list_get(&v->m2m, i, FmTable);

		register_name(v, &names, t->schema, t->name, true, false, t->pos,
					  fm_list_get(&v->m2m_desc, i, char), "a relation name");
	}

	/* keys and indexes */
	for (int i = 0; i < v->models.n + v->m2m.n; i++)
	{
		VModel	   *vm = i < v->models.n ? fm_list_get(&v->models, i, VModel) : NULL;
		FmTable    *t = vm ? vm->table : fm_list_get(&v->m2m, i - v->models.n, FmTable);
		const char *owner = vm ? fm_psprintf(v->a, "model \"%s\"", nz(vm->blk->name)) :
			fm_psprintf(v->a, "join table \"%s\"", t->name);

		if (t->primary_key)
		{
			t->primary_key->name = vm && vm->pk_map ? vm->pk_map :
				choose_name(v, &names, t->schema, t->name, NULL, "pkey", true, true);
			register_name(v, &names, t->schema, t->primary_key->name, true, true,
						  t->primary_key->pos, fm_psprintf(v->a, "the primary key of %s", owner), "map:");
		}
		for (int k = 0; k < t->uniques.n; k++)
		{
			FmKey	   *key = fm_list_get(&t->uniques, k, FmKey);
			char	   *map = vm ? fm_list_get(&vm->key_maps, k, char) : NULL;

			key->name = map ? map : choose_name(v, &names, t->schema, t->name, cols_of_key(v, key), "key", true, true);
			register_name(v, &names, t->schema, key->name, true, true, key->pos,
						  fm_psprintf(v->a, "the unique constraint on %s of %s",
									  quoted_list(v, &key->columns), owner), "map:");
		}
		for (int k = 0; k < t->indexes.n; k++)
		{
			FmIndex    *ix = fm_list_get(&t->indexes, k, FmIndex);
			char	   *map = vm ? fm_list_get(&vm->index_maps, k, char) : NULL;
			FmList		cols = {0};

			for (int e = 0; e < ix->elems.n; e++)
				fm_list_append(v->a, &cols, fm_list_get(&ix->elems, e, FmIndexElem)->column);
			ix->name = map ? map : choose_name(v, &names, t->schema, t->name, cols_of_index(v, ix), "idx", true, false);
			register_name(v, &names, t->schema, ix->name, true, false, ix->pos,
						  fm_psprintf(v->a, "the index on %s of %s", quoted_list(v, &cols), owner), "map:");
		}
	}
	/* foreign keys and checks */
	for (int i = 0; i < v->models.n + v->m2m.n; i++)
	{
		VModel	   *vm = i < v->models.n ? fm_list_get(&v->models, i, VModel) : NULL;
		FmTable    *t = vm ? vm->table : fm_list_get(&v->m2m, i - v->models.n, FmTable);
		const char *owner = vm ? fm_psprintf(v->a, "model \"%s\"", nz(vm->blk->name)) :
			fm_psprintf(v->a, "join table \"%s\"", t->name);
		FmHashMap		colmap = {0};

		for (int k = 0; k < t->foreign_keys.n; k++)
		{
			FmForeignKey *fk = fm_list_get(&t->foreign_keys, k, FmForeignKey);
			char	   *map = vm ? fm_list_get(&vm->fk_maps, k, char) : NULL;
			char	   *desc;

			fk->name = map ? map :
				choose_name(v, &names, t->schema, t->name, fm_column_list_name(v->a, &fk->columns), "fkey", false, true);
			if (vm)
				desc = fm_psprintf(v->a, "the foreign key of %s", rel_ctx(v, fm_list_get(&vm->fk_fields, k, VField)));
			else
				desc = fm_psprintf(v->a, "the foreign key on %s of %s", quoted_list(v, &fk->columns), owner);
			register_name(v, &names, t->schema, fk->name, false, true, fk->pos, desc, "map:");
		}
		for (int k = 0; k < t->checks.n && k == 0; k++)
			for (int c = 0; c < t->columns.n; c++)
				fm_hash_put(v->a, &colmap, fm_list_get(&t->columns, c, FmColumn)->name,
						 fm_list_get(&t->columns, c, FmColumn));
		for (int k = 0; k < t->checks.n; k++)
		{
			FmCheck    *ck = fm_list_get(&t->checks, k, FmCheck);
			char	   *map = vm ? fm_list_get(&vm->check_maps, k, char) : NULL;
			char	   *desc = fm_psprintf(v->a, "the check constraint \"%s\" of %s", ck->expr, owner);

			if (map)
				ck->name = map;
			else
				ck->name = choose_name(v, &names, t->schema, t->name,
									   check_column(v, &colmap, ck->expr), "check", false, true);
			register_name(v, &names, t->schema, ck->name, false, true, ck->pos, desc, "map:");
		}
	}
}

/* ---------- entry points ---------- */

FmModel *
fm_ast_validate(FmArena *arena, const FmAstSchema *ast, FmDiagList *diags)
{
	V			vs;
	V		   *v = &vs;

	memset(v, 0, sizeof(V));
	v->suggest_budget = 2000000;
	v->a = arena;
	v->d = diags;
	v->m = fm_model_create(arena);
	if (ast == NULL)
		return v->m;

	check_datasource(v, ast);

	/* block names */
	for (int i = 0; i < ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);
		const char *kind;
		bool		dup = false;

		if (b == NULL || (b->kind != FM_BLOCK_MODEL && b->kind != FM_BLOCK_ENUM))
			continue;
		if (b->name == NULL || *b->name == '\0')
			continue;
		kind = b->kind == FM_BLOCK_MODEL ? "model" : "enum";
		if (name_too_long(v, b->name_pos, kind, b->name))
			continue;
		{
			VModel	   *om = find_model(v, b->name);
			VEnum	   *oe = find_enum(v, b->name);

			if (om)
			{
				ERR(b->name_pos, "%s \"%s\" cannot be defined because a model with that name already exists on line %d",
					kind, b->name, om->blk->name_pos.line);
				dup = true;
			}
			else if (oe)
			{
				ERR(b->name_pos, "%s \"%s\" cannot be defined because an enum with that name already exists on line %d",
					kind, b->name, oe->blk->name_pos.line);
				dup = true;
			}
		}
		if (!dup && (in_list(scalar_types, b->name) || strcmp(b->name, "Unsupported") == 0))
		{
			ERR(b->name_pos, "%s \"%s\" cannot be defined because \"%s\" is a built-in type",
				kind, b->name, b->name);
			dup = true;
		}
		if (dup)
			continue;
		if (b->kind == FM_BLOCK_MODEL)
		{
			VModel	   *vm = fm_alloc(arena, sizeof(VModel));

			vm->blk = b;
			fm_list_append(arena, &v->models, vm);
			fm_hash_put(arena, &v->by_model, b->name, vm);
		}
		else
		{
			VEnum	   *ve = fm_alloc(arena, sizeof(VEnum));

			ve->blk = b;
			fm_list_append(arena, &v->enums, ve);
			fm_hash_put(arena, &v->by_enum, b->name, ve);
		}
	}

	for (int i = 0; i < v->enums.n; i++)
		check_enum(v, fm_list_get(&v->enums, i, VEnum));
	for (int i = 0; i < v->models.n; i++)
		model_table(v, fm_list_get(&v->models, i, VModel));
	for (int i = 0; i < v->models.n; i++)
		model_fields(v, fm_list_get(&v->models, i, VModel));
	for (int i = 0; i < v->models.n; i++)
	{
		VModel	   *vm = fm_list_get(&v->models, i, VModel);

		for (int j = 0; j < vm->fields.n; j++)
			field_attributes(v, fm_list_get(&vm->fields, j, VField));
	}
	for (int i = 0; i < v->models.n; i++)
		block_attributes(v, fm_list_get(&v->models, i, VModel));
	relations(v);
	for (int i = 0; i < v->models.n; i++)
		redundant_indexes(v, fm_list_get(&v->models, i, VModel));
	name_constraints(v);
	return v->m;
}

FmModel *
fm_parse_schema(FmArena *arena, const char *text, size_t len, FmDiagList *diags)
{
	FmAstSchema *ast;
	FmModel    *m;
	int			before = diags->nerrors;

	ast = fm_ast_parse(arena, text ? text : "", text ? len : 0, diags);
	m = fm_ast_validate(arena, ast, diags);
	fm_diags_sort(diags);
	if (diags->nerrors > before)
		return NULL;
	return m;
}
