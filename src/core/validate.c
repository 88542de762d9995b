/*-------------------------------------------------------------------------
 *
 * validate.c
 *	  Resolve the syntax tree of a ferriorm schema into the schema model,
 *	  checking every rule of the language and reporting every problem:
 *	  the driver, and the helpers every pass shares.
 *
 * The validator works in passes over the whole tree so that all errors are
 * found in one run.  Each pass lives in the file of its construct; they
 * share one state, V (validate_int.h), as PostgreSQL's parse_utilcmd.c
 * shares CreateStmtContext:
 *	 1. datasource (provider, url, schemas), block names
 *		(validate_datasource.c; block names here);
 *	 2. enums (validate_enum.c);
 *	 3. models: table names, then every field's type, column, attributes
 *		(validate_model.c, with types and defaults in validate_type.c);
 *	 4. block attributes (@@id, @@unique, @@index, @@check, ...)
 *		(validate_model.c);
 *	 5. relations: pairing of relation fields, foreign keys, implicit
 *		many-to-many join tables (validate_relation.c);
 *	 6. redundant indexes, constraint and index names, and name clashes in
 *		each schema (validate_names.c).
 *
 * Memory, by design.  A large schema must not hold its syntax tree, the
 * validator's records and the model all at once (issue 13: at most 10
 * bytes of memory per byte of text).  So:
 *	 - passes 3 and 4 run model by model when no model reads another's
 *	   fields in them (no @@partitionOf or @@inherits), and in a tree
 *	   parsed by block each model's syntax tree is freed after them
 *	   (fmv_model_by_model: the order never depends on how the tree was
 *	   parsed, only on the schema): the parser puts the nodes of
 *	   consecutive model blocks in arenas of about 128 kB
 *	   (FmAstBlock.nodes), freed as soon as all of their models are done
 *	   (fmv_release_model).  What the later passes read of a field is copied
 *	   into its VField first; a field's @relation is parsed into an arena
 *	   of its own (FmAstSchema.relations), freed after pass 5;
 *	 - the VField records are in an arena of their own (V.f), freed after
 *	   pass 5: pass 6 reads the relation field of each foreign key only,
 *	   which moves to V.w first (fmv_forget_fields);
 *	 - arena blocks stay small (32 kB, fm_util.c), so that the blocks these
 *	   frees give back are reused by the model that grows meanwhile.
 * The diagnostics are the same as with the whole tree (test_validate's
 * test_by_block compares both, under AddressSanitizer); a schema with
 * @@partitionOf or @@inherits runs each pass over all models and frees
 * its tree at the end, as before.  The frees, and the prefetches of the
 * passes whose structures are out of the processor's caches at 10,000
 * models, are in validate_memory.c.
 *
 * This file owns the driver (fm_ast_validate), the diagnostics of the
 * validator (their count limit, suggestions by edit distance), attribute
 * argument binding, and the lookups of models, enums and fields.
 *
 * src/core/validate.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fm_lexer.h"
#include "validate_int.h"


/* fmv_scalar_index picks an entry by its place: keep them in step */
const char *const fmv_scalar_types[FMV_N_SCALARS + 1] = {
	"String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime",
	"Json", "Bytes", NULL
};

/* ---------- small helpers ---------- */

/*
 * fmv_vdiag
 *		Add a diagnostic of severity sev at pos to v's list, formatted from
 *		fmt.  Past FM_MAX_VALIDATOR_DIAGS, one "too many problems" error is
 *		added and the rest are dropped, so that any input costs bounded
 *		memory and time.
 */
void
fmv_vdiag(V *v, FmSeverity sev, FmSrcPos pos, const char *fmt,...)
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
	fm_buf_init(&buf, v->t);
	va_start(ap, fmt);
	fm_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	fm_diag_add(v->d, sev, pos, "%s", buf.data ? buf.data : "");
}

/* the first bytes of a long name, for messages, never splitting a UTF-8 character */
char *
fmv_name_start(V *v, const char *name)
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
	return fm_psprintf(v->t, "%s...", fm_strndup(v->t, name, len));
}

/* fmv_name_too_long's report, for a name found too long (validate_int.h) */
bool
fmv_name_too_long_report(V *v, FmSrcPos pos, const char *what, const char *name)
{
	ERR(pos, "the name of this %s is longer than %d bytes (\"%s\")",
		what, FM_MAX_NAME_LEN, fmv_name_start(v, name));
	return true;
}

/* the closest candidate to word, or NULL */
const char *
fmv_closest_b(long *budget, const char *word, const char *const *cands, FmList *more)
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


/* "; did you mean "X"?" or "" */
const char *
fmv_suggest(V *v, const char *word, const char *const *cands, FmList *more,
			const char *prefix)
{
	const char *best = closest(word, cands, more);

	if (best == NULL)
		return "";
	return fm_psprintf(v->t, "; did you mean \"%s%s\"?", fmv_nz(prefix), best);
}

/*
 * fmv_scalar_index
 *		The index in fmv_scalar_types of the entry that name is, or -1.
 *		Every field's type is looked up here: the one entry name can be is
 *		picked by its first letter (and second, among those that share it),
 *		and compared once.  seen (FMV_N_SCALARS pointers, the caller's,
 *		all NULL at first) keeps the name that matched each entry: a type
 *		name is interned by the lexer, so the next field of that type
 *		matches by pointer.  Keep it in step with fmv_scalar_types.
 */
int
fmv_scalar_index(const char *name, const char **seen)
{
	int			k;

	if (name == NULL)
		return -1;
	switch (name[0])
	{
		case 'S':
			k = 0;				/* String */
			break;
		case 'I':
			k = 1;				/* Int */
			break;
		case 'B':
			/* BigInt, Boolean, Bytes */
			k = name[1] == 'i' ? 2 : name[1] == 'o' ? 5 : 8;
			break;
		case 'F':
			k = 3;				/* Float */
			break;
		case 'D':
			k = name[1] == 'e' ? 4 : 6; /* Decimal, DateTime */
			break;
		case 'J':
			k = 7;				/* Json */
			break;
		default:
			return -1;
	}
	if (name == seen[k])
		return k;
	if (!fm_streq(fmv_scalar_types[k], name))
		return -1;
	seen[k] = name;
	return k;
}

bool
fmv_in_list(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (fm_streq(list[i], s))
			return true;
	return false;
}

/* 'text' with quotes doubled */
char *
fmv_sql_literal(V *v, const char *s)
{
	return fm_sql_string(v->t, s);
}

/* report what fm_sql_fragment_problem or fm_sql_item_problem found, if anything */
static bool
fragment_report(V *v, FmSrcPos pos, const char *what, const char *ctx,
				const char *bad)
{
	if (bad)
		ERR(pos, "the SQL text of %s on %s cannot be used: it has %s",
			what, ctx, bad);
	return bad == NULL;
}

/*
 * SQL text the schema gives deliberately (an expression or a type) is
 * rendered as written; it must stay inside the clause it is rendered into
 * (fm_sql_fragment_problem).  Reports and returns false when it cannot.
 */
bool
fmv_sql_fragment_ok(V *v, FmSrcPos pos, const char *what, const char *ctx,
					const char *text)
{
	return fragment_report(v, pos, what, ctx, fm_sql_fragment_problem(v->t, text));
}

/*
 * fmv_sql_item_ok: fmv_sql_fragment_ok for text rendered bare as one item
 * of an ALTER TABLE (a column's type or default): no comma outside
 * parentheses either (fm_sql_item_problem).
 */
bool
fmv_sql_item_ok(V *v, FmSrcPos pos, const char *what, const char *ctx,
				const char *text)
{
	return fragment_report(v, pos, what, ctx, fm_sql_item_problem(v->t, text));
}

/* value as the user wrote it, for messages */
char *
fmv_value_repr(V *v, const FmAstValue *val)
{
	FmBuf		buf;

	if (val == NULL)
		return fm_strdup(v->t, "");
	switch (val->kind)
	{
		case FM_VAL_STRING:
			return fm_psprintf(v->t, "\"%s\"", fmv_nz(val->text));
		case FM_VAL_NUMBER:
		case FM_VAL_IDENT:
			return fm_strdup(v->t, fmv_nz(val->text));
		case FM_VAL_CALL:
			return fm_psprintf(v->t, "%s()", fmv_nz(val->text));
		case FM_VAL_OBJECT:
			return fm_strdup(v->t, "{...}");
		case FM_VAL_ARRAY:
			fm_buf_init(&buf, v->t);
			fm_buf_append_char(&buf, '[');
			for (int i = 0; i < val->items.n; i++)
			{
				if (i > 0)
					fm_buf_append(&buf, ", ");
				fm_buf_append(&buf, fmv_value_repr(v, fm_list_get(&val->items, i, FmAstValue)));
			}
			fm_buf_append_char(&buf, ']');
			return buf.data;
	}
	return fm_strdup(v->t, "");
}

char *
fmv_attr_repr(V *v, const FmAstAttribute *at)
{
	return fm_psprintf(v->t, "%s%s", at->block ? "@@" : "@", fmv_nz(at->name));
}

/* identifier longer than PostgreSQL keeps */
bool
fmv_check_ident_len_ctx(V *v, FmSrcPos pos, const char *what, const char *name,
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


/*
 * A database name derived from a schema-language name (no @map/@@map):
 * longer than PostgreSQL keeps is an error that asks for attr, never a
 * silent truncation the generated client would miss.
 */
bool
fmv_derived_name_ok(V *v, FmSrcPos pos, const char *what, const char *name,
					const char *ctx, const char *attr)
{
	if (name == NULL || strlen(name) <= FM_MAX_IDENT_LEN)
		return true;
	ERR(pos, "%s \"%s\"%s%s is longer than %d bytes, the longest name PostgreSQL allows; give a shorter one with %s(\"...\")",
		what, name, ctx ? " of " : "", ctx ? ctx : "", FM_MAX_IDENT_LEN, attr);
	return false;
}

/*
 * fmv_db_name
 *		A table, column or enum type name (what: "table name", ...) of ctx
 *		at pos, written (@map/@@map: attr NULL) or derived from the
 *		schema-language name (attr: the attribute that would shorten it).
 *		Over FM_MAX_IDENT_LEN bytes it is, when the dialect clips long names
 *		(the prisma dialect), clipped on a character boundary as PostgreSQL
 *		clips the name in Prisma's DDL and in every query of Prisma Client,
 *		with a warning; else an error (and name is returned as it is).
 */
char *
fmv_db_name(V *v, FmSrcPos pos, const char *what, char *name,
			const char *ctx, const char *attr)
{
	char	   *clipped;

	if (name == NULL || strlen(name) <= FM_MAX_IDENT_LEN)
		return name;
	if (!v->dl->clip_long_names)
	{
		if (attr)
			fmv_derived_name_ok(v, pos, what, name, ctx, attr);
		else
			fmv_check_ident_len_ctx(v, pos, what, name, ctx);
		return name;
	}
	clipped = fm_clip_identifier(v->t, name);
	WARN(pos, "%s \"%s\" of %s is longer than %d bytes; ferriorm uses \"%s\", the name PostgreSQL shortens it to in Prisma's migrations and queries",
		 what, name, ctx, FM_MAX_IDENT_LEN, clipped);
	return clipped;
}

/*
 * Bind the arguments of an attribute to the names it accepts.  The first
 * positional argument binds to names[0] when first_positional; out[i] gets
 * the argument for names[i] or NULL.  Returns false on errors (reported).
 */
bool
fmv_bind_args(V *v, const FmAstAttribute *at, FmvCtx *ctx,
			  const char *const *names, bool first_positional, FmAstArg **out)
{
	int			n = 0;
	bool		ok = true;
	int			npos = 0;

	for (; names[n]; n++)
		out[n] = NULL;
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
					fmv_attr_repr(v, at), fmv_ctx(v, ctx));
				ok = false;
				continue;
			}
		}
		else
		{
			for (int j = 0; j < n && slot < 0; j++)
				if (fm_streq(names[j], arg->name))
					slot = j;	/* the names are distinct */
			if (slot < 0 && fm_streq(arg->name, "clustered"))
			{
				ERR(arg->pos, "argument \"clustered\" of %s on %s belongs to Prisma's SQL Server connector; PostgreSQL has no clustered indexes",
					fmv_attr_repr(v, at), fmv_ctx(v, ctx));
				ok = false;
				continue;
			}
			if (slot < 0)
			{
				ERR(arg->pos, "unknown argument \"%s\" for %s on %s%s",
					arg->name, fmv_attr_repr(v, at), fmv_ctx(v, ctx),
					fmv_suggest(v, arg->name, names, NULL, NULL));
				ok = false;
				continue;
			}
		}
		if (out[slot] != NULL)
		{
			/* the parser reports two arguments of one name */
			if (arg->name == NULL || out[slot]->name == NULL)
				ERR(arg->pos, "argument \"%s\" of %s on %s is given twice, by position and by name; keep one",
					names[slot], fmv_attr_repr(v, at), fmv_ctx(v, ctx));
			ok = false;
			continue;
		}
		out[slot] = arg;
	}
	return ok;
}

bool
fmv_no_args(V *v, const FmAstAttribute *at, FmvCtx *ctx)
{
	if (at->args.n > 0)
	{
		FmAstArg   *arg = fm_list_get(&at->args, 0, FmAstArg);

		ERR(arg ? arg->pos : at->pos, "%s on %s takes no arguments",
			fmv_attr_repr(v, at), fmv_ctx(v, ctx));
		return false;
	}
	return true;
}

/* string argument, or report; returns NULL on error */
char *
fmv_string_arg(V *v, const FmAstAttribute *at, FmAstArg *arg, const char *argname,
			   FmvCtx *ctx)
{
	if (arg == NULL || arg->value == NULL)
		return NULL;
	if (arg->value->kind != FM_VAL_STRING)
	{
		ERR(arg->value->pos, "argument \"%s\" of %s on %s must be a string",
			argname, fmv_attr_repr(v, at), fmv_ctx(v, ctx));
		return NULL;
	}
	if (arg->value->text_len != strlen(fmv_nz(arg->value->text)))
	{
		ERR(arg->value->pos, "argument \"%s\" of %s on %s must not contain NUL characters",
			argname, fmv_attr_repr(v, at), fmv_ctx(v, ctx));
		return NULL;
	}
	return arg->value->text ? arg->value->text : fm_strdup(v->t, "");
}

/*
 * The database name given by a @map or @@map attribute (spelled attr) on
 * ctx, a table, column or enum type name: the one argument "name", a
 * string, at most 63 bytes (longer: clipped with a warning where the
 * dialect clips long names, fmv_db_name).  NULL when it is missing or
 * wrong (reported: "... needs the <need>", "<what> ... is longer than 63
 * bytes").
 */
char *
fmv_map_name_arg(V *v, const FmAstAttribute *map, const char *ctx, const char *attr,
				 const char *need, const char *what)
{
	const char *const names[] = {"name", NULL};
	FmAstArg   *args[1];
	char	   *name;

	if (!fmv_bind_args(v, map, FMV_CTX_TEXT(ctx), names, true, args))
		return NULL;
	if (args[0] == NULL)
	{
		ERR(map->pos, "%s on %s needs the %s, as in %s(\"name\")", attr, ctx, need, attr);
		return NULL;
	}
	name = fmv_string_arg(v, map, args[0], "name", FMV_CTX_TEXT(ctx));
	if (name != NULL && strlen(name) > FM_MAX_IDENT_LEN && v->dl->clip_long_names)
		return fmv_db_name(v, args[0]->value->pos, what, name, ctx, NULL);
	if (name != NULL && !check_ident_len(v, args[0]->value->pos, what, name))
		return NULL;
	return name;
}

bool
fmv_value_is_nul_free(const FmAstValue *val)
{
	return val->text_len == strlen(fmv_nz(val->text));
}

VModel *
fmv_find_model(V *v, const char *name)
{
	return fm_hash_get(&v->by_model, name);
}

VEnum *
fmv_find_enum(V *v, const char *name)
{
	return fm_hash_get(&v->by_enum, name);
}

/*
 * fmv_field_ctx
 *		"field \"f\" in model \"M\"", the name of a field in messages,
 *		formatted in v->t at each call.  Only messages call it (checks that
 *		run for every field use fmv_field_ctx_buf), so a valid schema pays
 *		nothing, and VField holds no pointer to keep it.
 */
const char *
fmv_field_ctx(V *v, VField *vf)
{
	return fm_psprintf(v->t, "field \"%s\" in model \"%s\"", vf->name,
					   fmv_nz(vf->model->blk->name));
}

/*
 * fmv_ctx
 *		The text of context c (see FmvCtx), formatted in v->t at the first
 *		call and kept in c: the same text fmv_field_ctx_buf and fmv_rel_ctx
 *		make, or NULL for no context.
 */
const char *
fmv_ctx(V *v, FmvCtx *c)
{
	if (c->text == NULL && c->vf != NULL)
	{
		if (c->rel)
			c->text = fmv_rel_ctx(v, c->vf);
		else
			c->text = fmv_field_ctx_buf(c->vf, fm_alloc(v->t, FMV_CTX_BUF),
										FMV_CTX_BUF);
	}
	return c->text;
}

/*
 * fmv_block_ctx_buf
 *		The context that the messages about a block quote, 'what "name"'
 *		(model "M"; name may be NULL), formatted into buf (size bytes) for
 *		messages issued while buf lives, or into v->t when too long for it:
 *		a block's checks run once per block and seldom report.
 */
const char *
fmv_block_ctx_buf(V *v, const char *what, const char *name, char *buf,
				  size_t size)
{
	size_t		wlen = strlen(what);
	size_t		nlen;

	name = fmv_nz(name);
	nlen = strlen(name);
	if (wlen + nlen + 4 > size)
		return fm_concat(v->t, what, " \"", name, "\"");
	memcpy(buf, what, wlen);
	memcpy(buf + wlen, " \"", 2);
	memcpy(buf + wlen + 2, name, nlen);
	memcpy(buf + wlen + 2 + nlen, "\"", 2);
	return buf;
}

/*
 * fmv_field_ctx_buf
 *		fmv_field_ctx's text for messages issued while buf (size bytes,
 *		FMV_CTX_BUF: both names have at most FM_MAX_NAME_LEN bytes) lives,
 *		formatted into buf.
 */
const char *
fmv_field_ctx_buf(VField *vf, char *buf, size_t size)
{
	/* snprintf's result, joined by hand: this runs for every field */
	const char *parts[5];
	size_t		lens[5];
	size_t		len = 0;

	parts[0] = "field \"";
	lens[0] = sizeof("field \"") - 1;
	parts[1] = fmv_nz(vf->name);
	lens[1] = strlen(parts[1]);
	parts[2] = "\" in model \"";
	lens[2] = sizeof("\" in model \"") - 1;
	parts[3] = fmv_nz(vf->model->blk->name);
	lens[3] = strlen(parts[3]);
	parts[4] = "\"";
	lens[4] = 1;
	for (int i = 0; i < 5 && size > 0; i++)
	{
		size_t		l = lens[i];

		if (l > size - 1 - len)
			l = size - 1 - len;
		memcpy(buf + len, parts[i], l);
		len += l;
	}
	if (size > 0)
		buf[len] = '\0';
	return buf;
}

/*
 * fmv_find_field, fmv_find_column
 *		The field of vm named name, the first field whose column is named
 *		name; NULL when none.  A model of at most FMV_SMALL_MODEL fields has
 *		no maps (most models: the maps would take more memory than the
 *		fields), and its fields are compared one by one, the names first by
 *		pointer (the lexer interns them).
 */
/* the lookup maps of a model of n fields, sized once when it is large */
void
fmv_field_maps(V *v, VModel *vm, int n)
{
	if (n <= FMV_SMALL_MODEL)
		return;
	fm_hash_reserve(v->w, &vm->by_field, (size_t) n);
	fm_hash_reserve(v->w, &vm->by_column, (size_t) n);
}

VField *
fmv_find_field(VModel *vm, const char *name)
{
	if (vm->by_field.cap > 0)
		return fm_hash_get(&vm->by_field, name);

	/*
	 * By pointer first: most names looked up are identifiers, interned as
	 * the fields' names are.  The names of vm->fields are distinct (a
	 * field defined twice gets no VField), so a field found by pointer is
	 * the only one of that name; any other name is compared byte by byte.
	 */
	for (int i = 0; i < vm->fields.n; i++)
	{
		VField	   *vf = fm_list_get(&vm->fields, i, VField);

		if (vf->name == name)
			return vf;
	}
	for (int i = 0; i < vm->fields.n; i++)
	{
		VField	   *vf = fm_list_get(&vm->fields, i, VField);

		if (fm_streq(vf->name, name))
			return vf;
	}
	return NULL;
}

VField *
fmv_find_column(VModel *vm, const char *name)
{
	if (vm->by_column.cap > 0)
		return fm_hash_get(&vm->by_column, name);
	for (int i = 0; i < vm->fields.n; i++)
	{
		VField	   *vf = fm_list_get(&vm->fields, i, VField);

		if (vf->col != NULL && fm_streq(vf->col->name, name))
			return vf;
	}
	return NULL;
}

/* an empty FmvSeen (see validate_int.h) */
void
fmv_seen_init(FmvSeen *s)
{
	s->n = 0;
	memset(&s->map, 0, sizeof(s->map));
}

/*
 * fmv_seen
 *		Was name added to s before?  Adds it.  NULL is never seen nor
 *		added (as an FmHashMap ignores a NULL key).
 */
bool
fmv_seen(V *v, FmvSeen *s, const char *name)
{
	if (name == NULL)
		return false;
	for (int i = 0; i < s->n && i < FMV_SEEN_SMALL; i++)
		if (fm_streq(s->small[i], name))
			return true;
	if (s->n >= FMV_SEEN_SMALL && fm_hash_get(&s->map, name) != NULL)
		return true;
	if (s->n < FMV_SEEN_SMALL)
		s->small[s->n] = name;
	else
		fm_hash_put(v->w, &s->map, name, (void *) name);
	s->n++;
	return false;
}

/* field names of a model, for suggestions; built once */
FmList *
fmv_field_names(V *v, VModel *vm, bool scalar_only)
{
	if (!vm->names_done)
	{
		for (int k = 0; k < vm->fields.n; k++)
		{
			VField	   *o = fm_list_get(&vm->fields, k, VField);

			fm_list_append(v->w, &vm->names_all, (void *) o->name);
			if (o->kind != VF_RELATION)
				fm_list_append(v->w, &vm->names_scalar, (void *) o->name);
		}
		vm->names_done = true;
	}
	return scalar_only ? &vm->names_scalar : &vm->names_all;
}

FmAstAttribute *
fmv_block_attr(FmAstBlock *b, const char *name)
{
	for (int i = 0; i < b->attrs.n; i++)
	{
		FmAstAttribute *at = fm_list_get(&b->attrs, i, FmAstAttribute);

		if (at && fm_streq(at->name, name))
			return at;
	}
	return NULL;
}

/* Is pos where a generator or datasource block has its name or a key? */
static bool
is_config_name(const FmAstSchema *ast, FmSrcPos pos)
{
	for (int i = 0; i < ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);

		if (b == NULL || (b->kind != FM_BLOCK_GENERATOR && b->kind != FM_BLOCK_DATASOURCE))
			continue;
		if (b->name_pos.line == pos.line && b->name_pos.col == pos.col)
			return true;
		for (int j = 0; j < b->fields.n; j++)
		{
			FmAstField *f = fm_list_get(&b->fields, j, FmAstField);

			if (f != NULL && f->pos.line == pos.line && f->pos.col == pos.col)
				return true;
		}
	}
	return false;
}

/*
 * The identifiers the lexer found odd (FmAstSchema.odd_names).  Prisma's
 * grammar starts a name with a letter or digit and takes "-" after it, but
 * its validator refuses a leading digit and "-" in the names of models,
 * fields, enums and values, so only a generator's or datasource's name and
 * their properties' may have them (generator prisma-model-generator); both
 * dialects hold every other name to that.  A leading "_" is not valid in
 * Prisma at all.
 */
static void
check_odd_names(V *v, const FmAstSchema *ast)
{
	for (int i = 0; i < ast->odd_names.n; i++)
	{
		const FmToken *t = fm_list_get(&ast->odd_names, i, FmToken);

		if (t->kind == FM_TOK_STRING)
		{
			/* a string literal with a control character as written */
			if (v->dl->kind == FM_DIALECT_PRISMA)
				ERR(t->pos, "a string literal with a control character (a tab, say) as written is not valid in Prisma; write it as an escape, as in \"\\t\"");
		}
		else if (t->text[0] == '_')
		{
			if (v->dl->kind == FM_DIALECT_PRISMA)
				ERR(t->pos, "name \"%s\" starts with \"_\", which is not valid in Prisma, whose names start with a letter; rename it (a table, column, enum type or value keeps its database name with @map or @@map)",
					t->text);
		}
		else if (!is_config_name(ast, t->pos))
			ERR(t->pos, "name \"%s\" %s; names start with a letter and have letters, digits and \"_\" (a table, column, enum type or value keeps its database name with @map or @@map)",
				t->text, t->text[0] >= '0' && t->text[0] <= '9' ?
				"starts with a digit" : "has a \"-\"");
	}
}

/* ---------- entry points ---------- */

/* fm_ast_validate_in with the working structures in the model's arena */
FmModel *
fm_ast_validate(FmArena *arena, FmAstSchema *ast, FmDialectKind dialect,
				FmDiagList *diags)
{
	return fm_ast_validate_in(arena, arena, ast, dialect, diags);
}

/*
 * fm_ast_validate_in
 *		Validates the syntax tree ast into a new model in arena (fm_ast.h),
 *		with the validator's working structures and strings in tree (V.t).
 *		Runs the passes in order: datasource, block names (models and enums,
 *		which share one namespace with the built-in types), enums, tables,
 *		fields, field attributes, block attributes, relations, redundant
 *		indexes and names, and the standalone sequences that nextval()
 *		defaults read.  Always returns the model; the caller decides from
 *		diags.
 */
FmModel *
fm_ast_validate_in(FmArena *arena, FmArena *tree, FmAstSchema *ast,
				   FmDialectKind dialect, FmDiagList *diags)
{
	V			vs;
	V		   *v = &vs;

	memset(v, 0, sizeof(V));
	v->suggest_budget = 2000000;
	v->a = arena;
	v->t = tree;
	v->w = fm_arena_create_like(tree);
	fm_arena_set_recycle(v->w, true);
	v->f = fm_arena_create_like(tree);
	v->d = diags;
	v->m = fm_model_create(arena);
	v->dl = fm_dialect(fm_ast_dialect(ast, dialect));
	if (ast == NULL)
	{
		fm_arena_destroy(v->w);
		fm_arena_destroy(v->f);
		return v->m;
	}

	v->native_prefix = "db.";
	v->native_prefix_len = 3;
	if (v->dl->kind == FM_DIALECT_PRISMA)
	{
		FmList		dropped = {0};

		/* Prisma's grammar skips the rest of a block's "{" line */
		fm_ast_drop_brace_line(v->w, ast, &dropped);
		for (int i = 0; i < dropped.n; i++)
			WARN(*fm_list_get(&dropped, i, FmSrcPos),
				 "Prisma skips the rest of the line of a block's \"{\", so this is left out, as Prisma leaves it out; move it to a line of its own");
	}
	fmv_collect_preview_features(v, ast);
	fmv_check_generators(v, ast);
	fmv_check_datasource(v, ast);
	for (int i = 0; v->dl->kind == FM_DIALECT_PRISMA && i < ast->trailing_commas.n; i++)
		ERR(*fm_list_get(&ast->trailing_commas, i, FmSrcPos),
			"a comma before a closing bracket is not valid in Prisma; remove it");
	for (int i = 0; v->dl->kind == FM_DIALECT_PRISMA && i < ast->brace_next_line.n; i++)
		ERR(*fm_list_get(&ast->brace_next_line, i, FmSrcPos),
			"a block's \"{\" on a line of its own is not valid in Prisma, whose grammar wants it on the line of the block's name; move it up");
	for (int i = 0; v->dl->kind == FM_DIALECT_PRISMA && i < ast->multiline.n; i++)
		ERR(*fm_list_get(&ast->multiline, i, FmSrcPos),
			"arguments or a list that span several lines are not valid in Prisma, whose grammar keeps every field, attribute and property on one line; join the lines");
	for (int i = 0; v->dl->kind == FM_DIALECT_PRISMA && i < ast->exponent_numbers.n; i++)
	{
		const FmAstValue *num = fm_list_get(&ast->exponent_numbers, i, FmAstValue);

		ERR(num->pos, "number %s has an exponent, which is not valid in Prisma (its grammar has none, and it rejects the whole line); write the number out in digits",
			num->text);
	}

	check_odd_names(v, ast);
	for (int i = 0; v->dl->kind == FM_DIALECT_PRISMA && i < ast->mid_comments.n; i++)
		ERR(fm_list_get(&ast->mid_comments, i, FmToken)->pos,
			"a block comment in the middle of a line is not valid in Prisma, whose grammar takes one only at the end of a line or on lines of its own; move it");

	/*
	 * The models and enums are counted first, so that their lists and maps
	 * and the model's list of tables are allocated once, at their size,
	 * instead of outgrowing arrays (at 10,000 models each map was rehashed
	 * a dozen times, and left its smaller tables in the arena).
	 */
	{
		int			nmodels = 0;
		int			nenums = 0;

		for (int i = 0; i < ast->blocks.n; i++)
		{
			FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);

			if (b != NULL && b->kind == FM_BLOCK_MODEL)
				nmodels++;
			else if (b != NULL && b->kind == FM_BLOCK_ENUM)
				nenums++;
		}
		fm_list_reserve(v->w, &v->models, nmodels);
		fm_hash_reserve(v->w, &v->by_model, (size_t) nmodels);
		fm_list_reserve(v->w, &v->enums, nenums);
		fm_hash_reserve(v->w, &v->by_enum, (size_t) nenums);
		fm_list_reserve(v->m->arena, &v->m->tables, nmodels);
	}

	FM_TIMING_MARK("datasource");
	/* block names */
	for (int i = 0; i < ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);
		const char *kind;
		bool		dup = false;

		fmv_prefetch_block_attrs(ast, i);

		if (b == NULL || (b->kind != FM_BLOCK_MODEL && b->kind != FM_BLOCK_ENUM))
			continue;
		if (b->name == NULL || *b->name == '\0')
			continue;
		kind = b->kind == FM_BLOCK_MODEL ? "model" : "enum";
		if (fmv_name_too_long(v, b->name_pos, kind, b->name))
			continue;
		{
			VModel	   *om = fmv_find_model(v, b->name);
			VEnum	   *oe = fmv_find_enum(v, b->name);

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
		if (!dup && (fmv_scalar_index(b->name, v->scalar_seen) >= 0 ||
					 fm_streq(b->name, "Unsupported")))
		{
			ERR(b->name_pos, "%s \"%s\" cannot be defined because \"%s\" is a built-in type",
				kind, b->name, b->name);
			dup = true;
		}
		if (dup)
			continue;
		if (v->dl->kind == FM_DIALECT_PRISMA && fm_prisma_reserved_name(b->name))
			ERR(b->name_pos, "%s name \"%s\" is reserved by Prisma (%s); rename the %s and keep its %s with @@map(\"%s\")",
				kind, b->name, fm_streq(b->name, "PrismaClient") ?
				"the class of its client" : "a reserved word of JavaScript",
				kind, b->kind == FM_BLOCK_MODEL ? "table" : "type", b->name);
		if (b->kind == FM_BLOCK_MODEL)
		{
			VModel	   *vm = fm_alloc(v->w, sizeof(VModel));

			vm->blk = b;
			for (int k = 0; k < b->attrs.n; k++)
			{
				FmAstAttribute *at = fm_list_get(&b->attrs, k, FmAstAttribute);

				if (at == NULL)
					continue;
				if (fm_streq(at->name, "ignore"))
					vm->has_ignore = true;
				else if (fm_streq(at->name, "partitionOf") ||
						 fm_streq(at->name, "inherits"))
					v->has_lineage = true;
			}
			vm->is_view = fm_streq(b->keyword, "view");
			if (vm->is_view && v->dl->kind == FM_DIALECT_PRISMA &&
				!fmv_preview_feature(v, "views"))
				ERR(b->pos, "view \"%s\" needs the \"views\" preview feature, as in Prisma; add previewFeatures = [\"views\"] to the generator block",
					b->name);
			fm_list_append(v->w, &v->models, vm);
			fm_hash_put(v->w, &v->by_model, b->name, vm);
			/* its table now, while the block's attributes are in cache */
			fmv_model_table(v, vm);
		}
		else
		{
			VEnum	   *ve = fm_alloc(v->w, sizeof(VEnum));

			ve->blk = b;
			fm_list_append(v->w, &v->enums, ve);
			fm_hash_put(v->w, &v->by_enum, b->name, ve);
		}
	}

	FM_TIMING_MARK("names");
	for (int i = 0; i < v->enums.n; i++)
		fmv_check_enum(v, fm_list_get(&v->enums, i, VEnum));
	if (fmv_model_by_model(v))
	{
		/* each model's own passes, then (parsed by block) its tree is freed */
		for (int i = 0; i < v->models.n; i++)
		{
			VModel	   *vm = fm_list_get(&v->models, i, VModel);
			FmvPrefetch pf;

			/*
			 * the next model's tree while this one's is worked on, a slice
			 * after each of its fields (all at once, the requests queued
			 * behind each other and the pass waited for them); the
			 * records of the models after it, a step further the further
			 * ahead
			 */
			fmv_prefetch_models(v, i, &pf);
			fmv_prefetch_some(&pf, FMV_PREFETCH_FIRST);
			fmv_model_fields(v, vm);
			for (int j = 0; j < vm->fields.n; j++)
			{
				fmv_prefetch_some(&pf, FMV_PREFETCH_FIELD);
				fmv_field_attributes(v, fm_list_get(&vm->fields, j, VField));
			}
			fmv_prefetch_some(&pf, INT32_MAX);
			fmv_generated_reads(v, vm);
			fmv_block_attributes(v, vm);
			/* the names its keys try first, while they are in the caches */
			fmv_name_candidates(v, vm);
			if (fmv_may_have_redundant(v, vm))
				fm_list_append(v->w, &v->redundant, vm);
			if (ast->node_arenas.n > 0)
				fmv_release_model(v, ast, i);
		}
	}
	else
	{
		/* each pass over all models (a model may read its parents' fields) */
		for (int i = 0; i < v->models.n; i++)
			fmv_model_fields(v, fm_list_get(&v->models, i, VModel));
		for (int i = 0; i < v->models.n; i++)
		{
			VModel	   *vm = fm_list_get(&v->models, i, VModel);

			for (int j = 0; j < vm->fields.n; j++)
				fmv_field_attributes(v, fm_list_get(&vm->fields, j, VField));
			fmv_generated_reads(v, vm);
		}
		for (int i = 0; i < v->models.n; i++)
			fmv_block_attributes(v, fm_list_get(&v->models, i, VModel));
		for (int i = 0; i < v->models.n; i++)
		{
			VModel	   *vm = fm_list_get(&v->models, i, VModel);

			fmv_name_candidates(v, vm);
			if (fmv_may_have_redundant(v, vm))
				fm_list_append(v->w, &v->redundant, vm);
		}
	}
	FM_TIMING_MARK("models");
	fmv_check_lineage(v);
	if (v->dl->autoinc != FM_AUTOINC_SERIAL)
		fmv_lineage_serials(v);
	fmv_relations(v);
	/* nothing reads a field's @relation after pairing (fmv_forget_fields) */
	fm_arena_destroy(ast->relations);
	ast->relations = NULL;
	fmv_forget_fields(v);
	FM_TIMING_MARK("relations");
	/* the models that may have one (fmv_may_have_redundant), in order */
	for (int i = 0; i < v->redundant.n; i++)
	{
		fmv_redundant_uniques(v, fm_list_get(&v->redundant, i, VModel));
		fmv_redundant_indexes(v, fm_list_get(&v->redundant, i, VModel));
	}
	FM_TIMING_MARK("redundant");
	fmv_name_constraints(v);
	FM_TIMING_MARK("constraint names");
	/*
	 * Only the SQL of dbgenerated() can read a sequence (every other
	 * default is made here, its text in quotes): without one, no walk
	 * over every column of the model, which at 10,000 tables is out of
	 * the processor's caches
	 */
	if (v->raw_defaults)
		fm_model_derive_sequences(v->m);
	/* the prisma dialect cannot state storage: plans keep the live one */
	for (int i = 0; i < v->m->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&v->m->tables, i, FmTable);

		t->keep_unstated = v->dl->kind == FM_DIALECT_PRISMA;
		t->keep_partial = t->keep_unstated &&
			!fmv_preview_feature(v, "partialIndexes");
	}
	v->m->ignore_postgis_tables = v->dl->kind == FM_DIALECT_PRISMA;
	fm_arena_destroy(v->nc);	/* when the names pass did not run */
	fm_arena_destroy(v->w);
	FM_TIMING_MARK("rest");
	return v->m;
}
