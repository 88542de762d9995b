/*-------------------------------------------------------------------------
 *
 * validate_datasource.c
 *	  Validation of the datasource block (provider, url, schemas) and of
 *	  the @@schema attribute that places a model or an enum in one of the
 *	  datasource's schemas.
 *
 * src/core/validate_datasource.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"


/* ---------- datasource ---------- */

/*
 * The datasource's extensions = [pg_trgm, pgvector(map: "vector",
 * schema: "ext", version: "0.5.0")]: each an identifier, or a call whose
 * named arguments map (the database name), schema and version are strings;
 * a single one may stand without brackets (extensions = pg_trgm), as Prisma
 * takes it.  The prisma dialect needs the postgresqlExtensions preview
 * feature, as Prisma does.  Adds them to the model; reports wrong entries
 * and duplicates.
 */
static void
extensions(V *v, FmAstBlock *ds, FmAstValue *val)
{
	static const char *const argnames[] = {"map", "schema", "version", NULL};
	FmHashMap	seen = {0};
	bool		one = val->kind != FM_VAL_ARRAY;

	/* a single extension needs no brackets, as in Prisma: extensions = postgis */
	if (one && val->kind != FM_VAL_IDENT && val->kind != FM_VAL_CALL)
	{
		ERR(val->pos, "property \"extensions\" of datasource \"%s\" must be a list, as in [pg_trgm, pgvector(map: \"vector\")]",
			fmv_nz(ds->name));
		return;
	}
	if (v->dl->kind == FM_DIALECT_PRISMA && !fmv_preview_feature(v, "postgresqlExtensions"))
		ERR(val->pos, "property \"extensions\" of datasource \"%s\" needs the \"postgresqlExtensions\" preview feature, as in Prisma; add previewFeatures = [\"postgresqlExtensions\"] to the generator block",
			fmv_nz(ds->name));
	for (int i = 0; i < (one ? 1 : val->items.n); i++)
	{
		FmAstValue *it = one ? val : fm_list_get(&val->items, i, FmAstValue);
		FmExtension *e;
		bool		ok = true;

		if (it == NULL)
			continue;
		if (it->kind != FM_VAL_IDENT && it->kind != FM_VAL_CALL)
		{
			ERR(it->pos, "extension %s in datasource \"%s\" must be a name, as in pg_trgm or pgvector(map: \"vector\")",
				fmv_value_repr(v, it), fmv_nz(ds->name));
			continue;
		}
		e = fm_alloc(v->a, sizeof(FmExtension));
		e->name = fm_strdup(v->t, fmv_nz(it->text));
		e->pos = it->pos;
		for (int j = 0; it->kind == FM_VAL_CALL && j < it->args.n; j++)
		{
			FmAstArg   *arg = fm_list_get(&it->args, j, FmAstArg);
			char	   *s;

			if (arg == NULL)
				continue;
			if (arg->name == NULL || !fmv_in_list(argnames, arg->name))
			{
				ERR(arg->pos, "extension \"%s\" in datasource \"%s\" takes the named arguments map, schema and version%s",
					fmv_nz(it->text), fmv_nz(ds->name),
					arg->name ? fmv_suggest(v, arg->name, argnames, NULL, NULL) : "");
				ok = false;
				continue;
			}
			if (arg->value == NULL || arg->value->kind != FM_VAL_STRING ||
				!fmv_value_is_nul_free(arg->value) || fmv_nz(arg->value->text)[0] == '\0')
			{
				ERR(arg->value ? arg->value->pos : arg->pos,
					"argument \"%s\" of extension \"%s\" in datasource \"%s\" must be a non-empty string",
					arg->name, fmv_nz(it->text), fmv_nz(ds->name));
				ok = false;
				continue;
			}
			s = fm_strdup(v->t, arg->value->text);
			if (fm_streq(arg->name, "map"))
				e->name = s;
			else if (fm_streq(arg->name, "schema"))
				e->schema = s;
			else
				e->version = s;
		}
		if (!ok || !fmv_check_ident_len_ctx(v, it->pos, "extension name", e->name, NULL))
			continue;
		if (fm_hash_get(&seen, e->name))
		{
			ERR(it->pos, "extension \"%s\" is listed twice in datasource \"%s\"",
				e->name, fmv_nz(ds->name));
			continue;
		}
		fm_hash_put(v->w, &seen, e->name, e);
		fm_list_append(v->a, &v->m->extensions, e);
	}
}

/*
 * fmv_check_datasource
 *		The one datasource block of the schema: its properties (provider,
 *		url, schemas, ...), each checked once, with the provider and url set
 *		on the model and the schemas listed in v->schemas.  A missing block,
 *		a second block, unknown or repeated properties and wrong values are
 *		reported; nothing stops the other passes.
 */
void
fmv_check_datasource(V *v, const FmAstSchema *ast)
{
	FmAstBlock *ds = NULL;
	static const char *const props[] = {
		"provider", "url", "schemas", "directUrl", "shadowDatabaseUrl",
		"relationMode", "extensions", "referentialIntegrity", NULL
	};

	for (int i = 0; i < ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);

		if (b == NULL || b->kind != FM_BLOCK_DATASOURCE)
			continue;
		if (ds != NULL)
		{
			ERR(b->pos, "only one datasource block is allowed; \"%s\" is the second one (the first is \"%s\" on line %d)",
				fmv_nz(b->name), fmv_nz(ds->name), ds->pos.line);
			continue;
		}
		ds = b;
	}
	if (ds != NULL && ds->name != NULL && v->dl->kind == FM_DIALECT_PRISMA)
	{
		v->native_prefix = fm_psprintf(v->w, "%s.", ds->name);
		v->native_prefix_len = strlen(v->native_prefix);
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
			fm_hash_put(v->w, &seen_props, f->name, f);
			if (dup)
			{
				ERR(f->pos, "property \"%s\" is defined twice in datasource \"%s\"",
					f->name, fmv_nz(ds->name));
				continue;
			}
			if (!fmv_in_list(props, f->name))
			{
				ERR(f->pos, "unknown property \"%s\" in datasource \"%s\"%s",
					f->name, fmv_nz(ds->name), fmv_suggest(v, f->name, props, NULL, NULL));
				continue;
			}
			if (f->value == NULL)
			{
				ERR(f->pos, "property \"%s\" of datasource \"%s\" needs a value",
					f->name, fmv_nz(ds->name));
				continue;
			}
			if (fm_streq(f->name, "provider"))
			{
				provider = f;
				if (f->value->kind != FM_VAL_STRING)
					ERR(f->value->pos, "property \"provider\" of datasource \"%s\" must be a string",
						fmv_nz(ds->name));
				else if (!fm_streq(f->value->text, "postgresql") &&
						 !fm_streq(f->value->text, "postgres"))
					ERR(f->value->pos, "provider \"%s\" is not supported; use \"postgresql\"",
						fmv_nz(f->value->text));
				else
					v->m->provider = fm_strdup(v->t, f->value->text);
			}
			else if (fm_streq(f->name, "url") ||
					 fm_streq(f->name, "directUrl") ||
					 fm_streq(f->name, "shadowDatabaseUrl"))
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
						f->name, fmv_nz(ds->name));
				else if (fm_streq(f->name, "url"))
				{
					url = f;
					if (val->kind == FM_VAL_STRING)
						v->m->url = fm_strdup(v->t, val->text);
					else
						v->m->url = fm_psprintf(v->t, "env(\"%s\")",
												fmv_nz(fm_list_get(&val->args, 0, FmAstArg)->value->text));
				}
			}
			else if (fm_streq(f->name, "schemas"))
			{
				FmAstValue *val = f->value;

				if (val->kind != FM_VAL_ARRAY)
				{
					ERR(val->pos, "property \"schemas\" of datasource \"%s\" must be a list of strings, as in [\"public\"]",
						fmv_nz(ds->name));
					continue;
				}
				if (val->items.n == 0)
					ERR(val->pos, "property \"schemas\" of datasource \"%s\" must list at least one schema",
						fmv_nz(ds->name));
				for (int j = 0; j < val->items.n; j++)
				{
					FmAstValue *it = fm_list_get(&val->items, j, FmAstValue);
					bool		seen = false;

					if (it == NULL)
						continue;
					if (it->kind != FM_VAL_STRING || !fmv_value_is_nul_free(it))
					{
						ERR(it->pos, "property \"schemas\" of datasource \"%s\" must be a list of strings, as in [\"public\"]",
							fmv_nz(ds->name));
						continue;
					}
					if (!fmv_check_ident_len_ctx(v, it->pos, "schema name", it->text, NULL))
						continue;
					seen = fm_hash_get(&seen_schemas, it->text) != NULL;
					fm_hash_put(v->w, &seen_schemas, it->text, it);
					if (seen)
					{
						ERR(it->pos, "schema \"%s\" is listed twice in datasource \"%s\"",
							it->text, fmv_nz(ds->name));
						continue;
					}
					fm_list_append(v->a, &v->schemas, fm_strdup(v->t, it->text));
					fm_list_append(v->a, &v->m->schemas, fm_strdup(v->t, it->text));
				}
			}
			else if (fm_streq(f->name, "relationMode") ||
					 fm_streq(f->name, "referentialIntegrity"))
			{
				static const char *const modes[] = {"foreignKeys", "prisma", NULL};
				FmAstValue *val = f->value;

				if (fm_streq(f->name, "referentialIntegrity"))
					WARN(f->pos, "property \"referentialIntegrity\" of datasource \"%s\" is deprecated; write relationMode",
						 fmv_nz(ds->name));
				if (val->kind != FM_VAL_STRING || !fmv_in_list(modes, val->text))
					ERR(val->pos, "property \"%s\" of datasource \"%s\" must be \"foreignKeys\" or \"prisma\"%s",
						f->name, fmv_nz(ds->name),
						val->kind == FM_VAL_STRING ? fmv_suggest(v, val->text, modes, NULL, NULL) : "");
				else
					v->no_fks = fm_streq(val->text, "prisma");
			}
			else if (fm_streq(f->name, "extensions"))
				extensions(v, ds, f->value);
		}
		if (provider == NULL)
			ERR(ds->pos, "datasource \"%s\" is missing the \"provider\" property; add provider = \"postgresql\"",
				fmv_nz(ds->name));
		/* no url: Prisma 7 keeps it in prisma.config.ts; nothing to check */
		(void) url;
	}
}

/*
 * Resolve @@schema of a model or enum (what: "model" or "enum", the word
 * the messages use); returns the schema (may be NULL).
 */
char *
fmv_resolve_schema(V *v, FmAstBlock *b, FmAstAttribute *at, const char *what)
{
	char		ctx_buf[FM_MAX_NAME_LEN + 32];
	const char *ctx = fmv_block_ctx_buf(v, what, b->name, ctx_buf, sizeof(ctx_buf));

	if (at != NULL)
	{
		const char *const names[] = {"name", NULL};
		FmAstArg   *args[1];
		char	   *s;

		if (!fmv_bind_args(v, at, FMV_CTX_TEXT(ctx), names, true, args))
			return NULL;
		if (args[0] == NULL)
		{
			ERR(at->pos, "@@schema on %s needs the schema name, as in @@schema(\"public\")", ctx);
			return NULL;
		}
		s = fmv_string_arg(v, at, args[0], "name", FMV_CTX_TEXT(ctx));
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
			s, ctx, fmv_suggest(v, s, NULL, &v->schemas, NULL));
		return NULL;
	}
	if (v->schemas.n == 1)
		return fm_list_get(&v->schemas, 0, char);
	if (v->schemas.n > 1)
	{
		FmBuf		buf;

		fm_buf_init(&buf, v->t);
		for (int i = 0; i < v->schemas.n; i++)
			fm_buf_printf(&buf, "%s\"%s\"", i ? ", " : "", fm_list_get(&v->schemas, i, char));
		ERR(b->name_pos, "%s needs @@schema naming one of the datasource schemas (%s)",
			ctx, buf.data);
	}
	return NULL;
}
