/*-------------------------------------------------------------------------
 *
 * dialect_auto.c
 *	  Which dialect a schema text is in under ferriorm.dialect = auto.
 *
 * The two dialects read one language, so the text itself must say which
 * it is.  Both tools require a datasource; what tells them apart is the
 * generator blocks and the constructs only one of them has:
 *
 *  - Prisma requires a provider in every generator block, and the
 *    generators of real Prisma schemas name Prisma (prisma-client-js,
 *    prisma-kysely, typegraphql-prisma, zod-prisma-types,
 *    prisma-dbml-generator) or are commands that run a program of the
 *    project ("node ./dist/index.cjs", "pnpm exec tsx gen.ts");
 *  - the ferriorm ORM's generator block takes no provider at all (output
 *    only: "generator client { output = "./src/generated" }", as its init
 *    and db pull write it), and ferriorm's own examples write
 *    provider = "ferriorm-client";
 *  - some settings only Prisma reads (previewFeatures, binaryTargets,
 *    engineType in a generator; directUrl and shadowDatabaseUrl in a
 *    datasource; relationMode is no mark, since both dialects read it),
 *    and some attributes only the ferriorm dialect has
 *    (@identity, @collate, @generated, @@unlogged, @@storage,
 *    @@partitionBy, @@partitionOf, @@inherits, @@exclude).
 *
 * Also what other parts read of the generator blocks: their preview
 * features (fm_ast_preview_features).
 *
 * src/core/dialect_auto.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "fm_ast.h"

/* Does s contain "prisma" in any case? */
static bool
names_prisma(const char *s)
{
	for (; *s; s++)
	{
		const char *w = "prisma";
		int			i = 0;

		while (w[i] && (s[i] | 0x20) == w[i])
			i++;
		if (w[i] == '\0')
			return true;
	}
	return false;
}

/* the string value of key = "..." of block b, or NULL */
static const char *
block_string(const FmAstBlock *b, const char *key)
{
	const FmAstField *f = fm_ast_block_entry(b, key);

	return f && f->value->kind == FM_VAL_STRING ? f->value->text : NULL;
}

/* Has block b a key = value entry named one of keys (NULL-terminated)? */
static bool
block_has_key(const FmAstBlock *b, const char *const *keys)
{
	for (int j = 0; j < b->fields.n; j++)
	{
		const FmAstField *f = fm_list_get(&b->fields, j, FmAstField);

		for (int k = 0; f && f->name && f->value && keys[k]; k++)
			if (strcmp(f->name, keys[k]) == 0)
				return true;
	}
	return false;
}

/* Is one of the attributes of list (of FmAstAttribute *) named in names? */
static bool
any_attr(const FmList *list, const char *const *names)
{
	for (int i = 0; i < list->n; i++)
	{
		const FmAstAttribute *at = fm_list_get(list, i, FmAstAttribute);

		for (int k = 0; at && at->name && names[k]; k++)
			if (strcmp(at->name, names[k]) == 0)
				return true;
	}
	return false;
}

/* Does a model of ast use an attribute only the ferriorm dialect has? */
static bool
has_ferriorm_construct(const FmAstSchema *ast)
{
	static const char *const field_attrs[] = {"identity", "collate", "generated", NULL};
	static const char *const block_attrs[] = {"unlogged", "storage", "partitionBy",
	"partitionOf", "inherits", "exclude", NULL};

	for (int i = 0; i < ast->blocks.n; i++)
	{
		const FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);

		if (b == NULL || b->kind != FM_BLOCK_MODEL)
			continue;
		if (any_attr(&b->attrs, block_attrs))
			return true;
		for (int j = 0; j < b->fields.n; j++)
		{
			const FmAstField *f = fm_list_get(&b->fields, j, FmAstField);

			if (f && any_attr(&f->attrs, field_attrs))
				return true;
		}
	}
	return false;
}

/*
 * Is a generator provider one of Prisma's?  One that names Prisma, or a
 * command or path (a blank or a "/": Prisma runs it as a program).
 */
static bool
prisma_provider(const char *provider)
{
	return names_prisma(provider) || strchr(provider, ' ') != NULL ||
		strchr(provider, '/') != NULL;
}

/*
 * fm_ast_dialect
 *		The dialect of a schema: dialect itself, or for FM_DIALECT_AUTO the
 *		first of these that holds:
 *		1. a generator's provider starts with "prisma": prisma;
 *		2. a generator's provider starts with "ferriorm": ferriorm;
 *		3. a model uses an attribute only the ferriorm dialect has: ferriorm;
 *		4. a generator's provider names Prisma in any case or place
 *		   (typegraphql-prisma) or is a command or path, a generator sets
 *		   previewFeatures, binaryTargets or engineType, or a datasource
 *		   sets directUrl or shadowDatabaseUrl: prisma;
 *		5. else ferriorm (a generator without a provider, the ferriorm
 *		   ORM's, or none at all).
 */
FmDialectKind
fm_ast_dialect(const FmAstSchema *ast, FmDialectKind dialect)
{
	static const char *const prisma_gen_keys[] = {"previewFeatures", "binaryTargets",
	"engineType", NULL};
	static const char *const prisma_ds_keys[] = {"directUrl", "shadowDatabaseUrl", NULL};
	bool		prisma_marks = false;

	if (dialect != FM_DIALECT_AUTO)
		return dialect;
	if (ast == NULL)
		return FM_DIALECT_FERRIORM;
	for (int pass = 1; pass <= 2; pass++)
		for (int i = 0; i < ast->blocks.n; i++)
		{
			const FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);
			const char *provider;

			if (b == NULL || b->kind != FM_BLOCK_GENERATOR)
				continue;
			provider = block_string(b, "provider");
			if (provider == NULL)
				continue;
			if (pass == 1 && strncmp(provider, "prisma", 6) == 0)
				return FM_DIALECT_PRISMA;
			if (pass == 2 && strncmp(provider, "ferriorm", 8) == 0)
				return FM_DIALECT_FERRIORM;
		}
	/*
	 * Rule 4 is asked before rule 3, which gives the same answer: rule 3
	 * matters only where rule 4 would say prisma, and its walk of every
	 * attribute of every field is then made for such texts alone.
	 */
	for (int i = 0; i < ast->blocks.n && !prisma_marks; i++)
	{
		const FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);
		const char *provider;

		if (b == NULL)
			continue;
		if (b->kind == FM_BLOCK_GENERATOR)
		{
			provider = block_string(b, "provider");
			prisma_marks = (provider && prisma_provider(provider)) ||
				block_has_key(b, prisma_gen_keys);
		}
		else if (b->kind == FM_BLOCK_DATASOURCE)
			prisma_marks = block_has_key(b, prisma_ds_keys);
	}
	return prisma_marks && !has_ferriorm_construct(ast) ?
		FM_DIALECT_PRISMA : FM_DIALECT_FERRIORM;
}

/*
 * fm_ast_preview_features
 *		Append to out the values of every generator's previewFeatures (an
 *		array's string items, or a single string, as Prisma also takes it):
 *		FmAstValue pointers into ast, in text order.  Memory of out is
 *		arena's.
 */
void
fm_ast_preview_features(FmArena *arena, const FmAstSchema *ast, FmList *out)
{
	for (int i = 0; ast != NULL && i < ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ast->blocks, i, FmAstBlock);

		if (b == NULL || b->kind != FM_BLOCK_GENERATOR)
			continue;
		for (int j = 0; j < b->fields.n; j++)
		{
			FmAstField *f = fm_list_get(&b->fields, j, FmAstField);

			if (f == NULL || !fm_streq(f->name, "previewFeatures") || f->value == NULL)
				continue;
			if (f->value->kind == FM_VAL_STRING)
				fm_list_append(arena, out, f->value);
			for (int k = 0; f->value->kind == FM_VAL_ARRAY && k < f->value->items.n; k++)
			{
				FmAstValue *it = fm_list_get(&f->value->items, k, FmAstValue);

				if (it != NULL && it->kind == FM_VAL_STRING && it->text != NULL)
					fm_list_append(arena, out, it);
			}
		}
	}
}
