/*-------------------------------------------------------------------------
 *
 * print.c
 *	  Print: the schema model as canonical schema text (fm_print.h).  The
 *	  driver, and the syntax tree of every block.
 *
 * Print analyses the model (names: print_names.c; types and defaults:
 * print_types.c; relations: print_relations.c; keys and indexes:
 * print_keys.c), builds the syntax tree a
 * user would have written, and formats it with the formatter itself
 * (fm_ast_format), so that format(print(m)) == print(m).
 *
 * Constraint and index names: an object gets map: when the validator would
 * not derive its name.  Print does not imitate the validator's naming
 * (numbered names on clashes, CHECK names after their one column): it
 * prints, validates its own text, compares every name with the database's
 * and prints again with map: on each that differs, until nothing differs
 * (at most a few rounds: maps only ever get added).  A join table whose
 * names differ is printed as an ordinary model instead.
 *
 * A table the language cannot state exactly is printed with one
 * "/// @preserve(reason: ...)" line per reason (fm_preserve.h): plans leave
 * such tables alone (preserve.c), and Prisma and the ferriorm ORM read the
 * line as a comment.  A table without a key is printed with @@ignore, as
 * Prisma requires; plans manage it like any other.
 *
 * src/core/print.c
 *
 *-------------------------------------------------------------------------
 */
#include <limits.h>
#include <string.h>

#include "fm_parse.h"
#include "fm_preserve.h"
#include "fm_renamed.h"
#include "fm_sqlnames.h"
#include "print_int.h"

#define PRINT_ROUNDS 5

/* ---------- syntax tree constructors ---------- */

static FmAstValue *
new_value(PState *ps, FmAstValueKind kind, const char *text)
{
	FmAstValue *v = fm_alloc(ps->a, sizeof(FmAstValue));

	v->kind = kind;
	v->text = text ? fm_strdup(ps->a, text) : NULL;
	v->text_len = text ? (uint32_t) strlen(text) : 0;
	return v;
}

FmAstValue *
fm_p_str(PState *ps, const char *s)
{
	return new_value(ps, FM_VAL_STRING, s ? s : "");
}

FmAstValue *
fm_p_ident(PState *ps, const char *s)
{
	return new_value(ps, FM_VAL_IDENT, s);
}

FmAstValue *
fm_p_call(PState *ps, const char *fn)
{
	return new_value(ps, FM_VAL_CALL, fn);
}

FmAstValue *
fm_p_array(PState *ps)
{
	return new_value(ps, FM_VAL_ARRAY, NULL);
}

FmAstAttribute *
fm_p_attr(PState *ps, const char *name, bool block)
{
	FmAstAttribute *at = fm_alloc(ps->a, sizeof(FmAstAttribute));

	at->name = fm_strdup(ps->a, name);
	at->block = block;
	return at;
}

void
fm_p_arg(PState *ps, FmList *args, const char *name, FmAstValue *v)
{
	FmAstArg   *arg = fm_alloc(ps->a, sizeof(FmAstArg));

	arg->name = name ? fm_strdup(ps->a, name) : NULL;
	arg->value = v;
	fm_list_append(ps->a, args, arg);
}

int
fm_p_column_index(const FmTable *t, const char *column)
{
	for (int k = 0; k < t->columns.n; k++)
		if (fm_streq(fm_list_get(&t->columns, k, FmColumn)->name, column))
			return k;
	return -1;
}

/* [fieldA, fieldB] for database columns */
FmAstValue *
fm_p_name_list(PState *ps, PModel *pm, const FmList *columns)
{
	FmAstValue *arr = fm_p_array(ps);

	for (int i = 0; i < columns->n; i++)
	{
		const char *col = fm_list_get(columns, i, char);
		int			k = fm_p_column_index(pm->t, col);
		const char *f = k >= 0 ? pm->fields[k] : fm_p_lineage_field(ps, pm, col);

		fm_list_append(ps->a, &arr->items, fm_p_ident(ps, f ? f : "?"));
	}
	return arr;
}

FmAstAttribute *
fm_p_attr1(PState *ps, const char *name, bool block, FmAstValue *v)
{
	FmAstAttribute *at = fm_p_attr(ps, name, block);

	at->has_parens = true;
	fm_p_arg(ps, &at->args, NULL, v);
	return at;
}

void
fm_p_add_map_arg(PState *ps, FmAstAttribute *at, const char *name)
{
	at->has_parens = true;
	fm_p_arg(ps, &at->args, "map", fm_p_str(ps, name));
}

/* ---------- re-pull: comments of the previous text ---------- */

/* the previous text's block of a model or enum name, or NULL */
static const FmAstBlock *
prev_block(PState *ps, const char *name)
{
	if (ps->prev_ast == NULL || name == NULL)
		return NULL;
	if (ps->prev_blocks.n == 0)
		for (int i = 0; i < ps->prev_ast->blocks.n; i++)
		{
			FmAstBlock *b = fm_list_get(&ps->prev_ast->blocks, i, FmAstBlock);

			if (b->name && (b->kind == FM_BLOCK_MODEL || b->kind == FM_BLOCK_ENUM))
				fm_hash_put(ps->a, &ps->prev_blocks, b->name, b);
		}
	return fm_hash_get(&ps->prev_blocks, name);
}

/* the previous block of a table's model, found by the table */
static const FmAstBlock *
prev_model_block(PState *ps, const FmTable *t)
{
	const PPrev *pp = fm_p_prev_table(ps, t->schema, t->name);

	return pp ? prev_block(ps, pp->t->model_name) : NULL;
}

/*
 * fm_p_states_checks
 *		Does the text state table t's CHECK constraints as @@check?  Always
 *		in the ferriorm dialect.  Prisma has no @@check (its validator
 *		rejects the attribute, and its own pull leaves CHECKs out), so the
 *		prisma dialect states them only where the previous text did (a
 *		schema that uses ferriorm's extension); otherwise each is noted
 *		(fm_p_prisma_unstated) and plans keep it.
 */
bool
fm_p_states_checks(PState *ps, const FmTable *t)
{
	const PPrev *pp;

	if (!P_PRISMA(ps))
		return true;
	pp = fm_p_prev_table(ps, t->schema, t->name);
	return pp != NULL && pp->t->checks.n > 0;
}

/*
 * the previous field of a column, or NULL: in block b, the previous
 * block of the table's model (prev_model_block)
 */
static const FmAstField *
prev_field(PState *ps, const FmTable *t, const FmAstBlock *b, const char *column)
{
	PPrev	   *pp = fm_p_prev_table(ps, t->schema, t->name);
	const FmColumn *pc = fm_p_prev_column(ps, pp, column);

	if (b == NULL || pc == NULL)
		return NULL;
	/* the table's own block is indexed; another one (duplicate model names) is searched */
	if (b == pp->block)
		return fm_p_prev_field(ps, pp, pc->field_name);
	for (int i = 0; i < b->fields.n; i++)
	{
		const FmAstField *f = fm_list_get(&b->fields, i, FmAstField);

		if (fm_streq(f->name, pc->field_name))
			return f;
	}
	return NULL;
}

/*
 * The "//" comments of the previous text (the database cannot keep them),
 * without the "// @@ignore:" lines of earlier pulls, the prisma dialect's
 * notes of what a table leaves out (fm_p_prisma_unstated, fm_p_unmanaged) and without doc
 * comments: the database's comment is the doc comment, and the previous one
 * (less its annotations) is kept only where the database has none (*doc).
 */
static void
prev_comments(PState *ps, FmList *leading, char **trailing, const FmAstComments *c,
			  const char **doc)
{
	if (c == NULL)
		return;
	for (int i = 0; i < c->leading.n; i++)
	{
		const char *line = fm_list_get(&c->leading, i, char);

		if (strncmp(line, "///", 3) == 0 || strncmp(line, "// @@ignore:", 12) == 0 ||
			(strncmp(line, "// ", 3) == 0 &&
			 (strncmp(line + 3, fm_p_unstated_prefix, strlen(fm_p_unstated_prefix)) == 0 ||
			  strncmp(line + 3, fm_p_unstated_prefix_ferriorm,
					  strlen(fm_p_unstated_prefix_ferriorm)) == 0)) ||
			(line[0] == '\0' && leading->n == 0))
			continue;
		fm_list_append(ps->a, leading, (void *) line);
	}
	if (trailing && c->trailing && strncmp(c->trailing, "///", 3) != 0)
		*trailing = c->trailing;
	if (*doc == NULL && c->doc)
	{
		/*
		 * less its annotations: @preserve lines, which pull prints afresh,
		 * and a @renamed one, done by now (printed escaped, it became a
		 * comment that a plan then added); the doc unescaped, as
		 * fm_p_doc_lines escapes it again
		 */
		char	   *prev = fm_doc_renamed(ps->a, fm_doc_preserve(ps->a, c->doc).doc).doc;
		size_t		n = strlen(fm_p_prisma_no_key_doc);

		if (prev && fm_p_doc_ok(prev))
		{
			/* not the prisma dialect's notice of a table without a key */
			*doc = prev;
			if (strncmp(prev, fm_p_prisma_no_key_doc, n) == 0 &&
				(prev[n] == '\0' || prev[n] == '\n'))
				*doc = prev[n] ? prev + n + 1 : NULL;
		}
	}
}

FmAstBlock *
fm_p_new_block(PState *ps, FmAstBlockKind kind, const char *keyword, const char *name)
{
	FmAstBlock *b = fm_alloc(ps->a, sizeof(FmAstBlock));

	b->kind = kind;
	b->keyword = fm_strdup(ps->a, keyword);
	b->name = fm_strdup(ps->a, name);
	return b;
}

void
fm_p_block_field(PState *ps, FmAstBlock *b, FmAstField *f)
{
	FmAstMember *m = fm_alloc(ps->a, sizeof(FmAstMember));

	m->field = f;
	fm_list_append(ps->a, &b->fields, f);
	fm_list_append(ps->a, &b->members, m);
}

/* add block attribute at to b, as a member after those added so far */
void
fm_p_block_attr(PState *ps, FmAstBlock *b, FmAstAttribute *at)
{
	FmAstMember *m = fm_alloc(ps->a, sizeof(FmAstMember));

	m->attr = at;
	fm_list_append(ps->a, &b->attrs, at);
	fm_list_append(ps->a, &b->members, m);
}

FmAstField *
fm_p_new_field(PState *ps, const char *name, const char *type_name)
{
	FmAstField *f = fm_alloc(ps->a, sizeof(FmAstField));

	f->name = fm_strdup(ps->a, name);
	f->type_name = type_name ? fm_strdup(ps->a, type_name) : NULL;
	return f;
}

/* ---------- force-map set: objects whose names the validator would not give ---------- */


/*
 * An object is known by its table, its kind ("pk", "uq", "ix", "fk", "ck",
 * "m2m") and its name: unique in PostgreSQL, and stable across rounds.
 */
static char *
obj_key(PState *ps, const FmTable *t, const char *kind, const char *name)
{
	return fm_psprintf(ps->a, "%p/%s/%s", (const void *) t, kind, name ? name : "");
}

bool
fm_p_forced(PState *ps, PForce *f, const FmTable *t, const char *kind, const char *name)
{
	return fm_hash_get(&f->map, obj_key(ps, t, kind, name)) != NULL;
}

void
fm_p_force(PState *ps, PForce *f, const FmTable *t, const char *kind, const char *name)
{
	fm_hash_put(ps->a, &f->map, obj_key(ps, t, kind, name), (void *) t);
}

/* ---------- analysis ---------- */

/*
 * PostgreSQL scopes foreign key and CHECK names to their table, where they
 * cannot be the name of another constraint; so does the language, which
 * also takes the name of a unique index of the table (a @@unique) for a
 * constraint's, and in the prisma dialect any index's for a foreign key's
 * (Prisma's namespace of a model).  Such a constraint is left out, and its
 * table ignored.
 */
static void
constraint_name_clashes(PState *ps)
{
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);
		const FmTable *t = pm->t;

		pm->fk_skip = fm_alloc(ps->a, sizeof(bool) * (size_t) (t->foreign_keys.n + 1));
		pm->ck_skip = fm_alloc(ps->a, sizeof(bool) * (size_t) (t->checks.n + 1));
		for (int k = 0; k < t->foreign_keys.n + t->checks.n; k++)
		{
			bool		fk = k < t->foreign_keys.n;
			const char *name = fk ? fm_list_get(&t->foreign_keys, k, FmForeignKey)->name :
				fm_list_get(&t->checks, k - t->foreign_keys.n, FmCheck)->name;
			bool		clash = false;

			for (int x = 0; !clash && x < t->indexes.n; x++)
			{
				const FmIndex *ix = fm_list_get(&t->indexes, x, FmIndex);

				clash = fm_streq(ix->name, name) &&
					(ix->unique || (fk && ps->nm->kind == FM_DIALECT_PRISMA));
			}
			if (!clash)
				continue;
			if (fk)
				pm->fk_skip[k] = true;
			else
				pm->ck_skip[k - t->foreign_keys.n] = true;
			fm_list_append(ps->a, &pm->reasons,
						   fm_psprintf(ps->a, "the constraint \"%s\" has the name of an index of table \"%s\"",
									   name, t->name));
		}
	}
}

/*
 * analyze
 *		First phase of a round: decide what the model becomes in the text.
 *		Loads the previous text's names (to keep them) and whether its
 *		datasource lists schemas (ps->print_schemas), names enums, makes
 *		one PModel per table (registered in ps->by_table), finds join tables
 *		of implicit many-to-many relations (unless f forces their names),
 *		collects keys, checks constraint names that would clash, derives the
 *		relation fields, and lists in pm->reasons why a table cannot be
 *		stated exactly (then printed with @@ignore): a reason given by the
 *		caller, no usable key, an index that cannot be written, a comment
 *		that cannot be a doc comment.  Everything lives in ps->a.
 */
static void
analyze(PState *ps, PForce *f)
{
	fm_p_load_previous(ps);
	ps->print_schemas = ps->o->print_schemas;
	for (int i = 0; ps->prev_ast && i < ps->prev_ast->blocks.n; i++)
	{
		const FmAstBlock *b = fm_list_get(&ps->prev_ast->blocks, i, FmAstBlock);

		if (b && b->kind == FM_BLOCK_DATASOURCE && fm_ast_block_entry(b, "schemas"))
			ps->print_schemas = true;
	}
	fm_p_prev_relations(ps);
	fm_p_name_enums(ps);
	for (int i = 0; i < ps->m->tables.n; i++)
	{
		const FmTable *t = fm_list_get(&ps->m->tables, i, FmTable);
		PModel	   *pm;

		/* the prisma dialect cannot state a partition: plans keep it */
		if (t->part_parent != NULL && ps->nm->kind == FM_DIALECT_PRISMA)
			continue;
		pm = fm_alloc(ps->a, sizeof(PModel));
		pm->t = fm_p_prisma_child(ps, t);
		pm->index = ps->models.n;
		fm_list_append(ps->a, &ps->models, pm);
		fm_hash_put2(ps->a, &ps->by_table, t->schema, t->name, pm);
	}
	fm_p_mark_lineage(ps);
	fm_p_find_m2m(ps);
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);

		if (pm->m2m && fm_p_forced(ps, f, pm->t, "m2m", NULL))
			pm->m2m = false;
		fm_p_collect_keys(ps, pm);
	}
	constraint_name_clashes(ps);
	fm_p_relations(ps);

	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);
		const FmTable *t = pm->t;

		if (pm->m2m)
			continue;
		for (const char *r = t->ignore_reason; r && *r;)
		{
			const char *nl = strchr(r, '\n');
			size_t		len = nl ? (size_t) (nl - r) : strlen(r);

			fm_list_append(ps->a, &pm->reasons, fm_strndup(ps->a, r, len));
			r += len + (nl ? 1 : 0);
		}
		fm_p_merged_keys(ps, pm);
		pm->ignored = !fm_p_lineage_unstated(ps, pm) && !fm_p_has_key(ps, pm);
		pm->ix_ok = fm_alloc(ps->a, sizeof(bool) * (size_t) (t->indexes.n + 1));
		for (int k = 0; k < t->indexes.n; k++)
		{
			const FmIndex *ix = fm_list_get(&t->indexes, k, FmIndex);
			/* an element collation outside pg_catalog: its reason is given */
			bool		foreign = fm_p_foreign_collation(ps, ix);
			const char *why = pm->ix_key[k] || pm->ix_ukey[k] || foreign ? NULL :
				fm_p_index_problem(ix);

			pm->ix_ok[k] = why == NULL && !pm->ix_key[k] && !pm->ix_ukey[k] && !foreign;
			if (why)
				fm_list_append(ps->a, &pm->reasons,
							   fm_psprintf(ps->a, "the index \"%s\" cannot be stated: %s", ix->name, why));
		}
		pm->doc = t->comment;
		if (!fm_p_doc_ok(pm->doc))
		{
			pm->doc = NULL;
			fm_list_append(ps->a, &pm->reasons,
						   "the comment of the table cannot be a doc comment (a carriage return or trailing white space)");
		}
	}
}

/* ---------- blocks ---------- */

/* the value of the previous text's datasource url, or NULL */
static FmAstValue *
prev_datasource_url(PState *ps)
{
	if (ps->prev_ast == NULL)
		return NULL;
	for (int i = 0; i < ps->prev_ast->blocks.n; i++)
	{
		const FmAstBlock *b = fm_list_get(&ps->prev_ast->blocks, i, FmAstBlock);
		FmAstField *url;

		if (b->kind == FM_BLOCK_DATASOURCE && (url = fm_ast_block_entry(b, "url")) != NULL)
			return url->value;
	}
	return NULL;
}

/*
 * datasource_block
 *		The datasource block: provider, url (the option's, else the previous
 *		text's, else
 *		env("DATABASE_URL")), the schemas when they are printed, and the
 *		extensions, each by its name or as camelCase(map: "name"), with
 *		schema: "s" when it is not in the current schema (a plan creates an
 *		extension without schema: in the current schema) and version: when
 *		the model states one.
 */
static FmAstBlock *
datasource_block(PState *ps)
{
	FmAstBlock *b = fm_p_new_block(ps, FM_BLOCK_DATASOURCE, "datasource", "db");
	FmAstField *f;
	FmAstValue *v;
	FmAstValue *prev_url = prev_datasource_url(ps);

	f = fm_p_new_field(ps, "provider", NULL);
	f->value = fm_p_str(ps, "postgresql");
	fm_p_block_field(ps, b, f);
	/*
	 * Prisma 7's validator rejects url (it moved to prisma.config.ts); a
	 * previous text's url is kept as it was written (a Prisma 6 project's)
	 */
	if (!P_PRISMA(ps) || ps->o->url || prev_url != NULL)
	{
		f = fm_p_new_field(ps, "url", NULL);
		if (ps->o->url)
			f->value = fm_p_str(ps, ps->o->url);
		else if (prev_url != NULL)
			f->value = prev_url;
		else
		{
			f->value = fm_p_call(ps, "env");
			fm_p_arg(ps, &f->value->args, NULL, fm_p_str(ps, "DATABASE_URL"));
		}
		fm_p_block_field(ps, b, f);
	}
	if (ps->print_schemas)
	{
		f = fm_p_new_field(ps, "schemas", NULL);
		f->value = fm_p_array(ps);
		for (int i = 0; i < ps->m->schemas.n; i++)
			fm_list_append(ps->a, &f->value->items,
						   fm_p_str(ps, fm_list_get(&ps->m->schemas, i, char)));
		fm_p_block_field(ps, b, f);
	}
	if (ps->o->extensions.n > 0)
	{
		f = fm_p_new_field(ps, "extensions", NULL);
		f->value = fm_p_array(ps);
		for (int i = 0; i < ps->o->extensions.n; i++)
		{
			const FmExtension *ext = fm_list_get(&ps->o->extensions, i, FmExtension);

			if (fm_p_is_ident(ext->name))
				v = fm_p_ident(ps, ext->name);
			else
			{
				v = fm_p_call(ps, fm_camel_case(ps->a, ext->name));
				fm_p_arg(ps, &v->args, "map", fm_p_str(ps, ext->name));
			}
			if ((ext->schema || ext->version) && v->kind != FM_VAL_CALL)
				v = fm_p_call(ps, ext->name);
			if (ext->schema)
				fm_p_arg(ps, &v->args, "schema", fm_p_str(ps, ext->schema));
			if (ext->version)
				fm_p_arg(ps, &v->args, "version", fm_p_str(ps, ext->version));
			fm_list_append(ps->a, &f->value->items, v);
		}
		fm_p_block_field(ps, b, f);
	}
	return b;
}

/*
 * The enum block of pe: its doc comment, variants (@map where the name
 * differs from the label), @@map and @@schema as needed.
 */
static FmAstBlock *
enum_block(PState *ps, PEnum *pe)
{
	FmAstBlock *b = fm_p_new_block(ps, FM_BLOCK_ENUM, "enum", pe->name);

	if (fm_p_doc_ok(pe->e->comment))
		fm_p_doc_lines(ps, &b->comments.leading, pe->e->comment);
	for (int k = 0; k < pe->e->values.n; k++)
	{
		const FmEnumValue *v = fm_list_get(&pe->e->values, k, FmEnumValue);
		FmAstField *f = fm_p_new_field(ps, pe->variants[k], NULL);

		if (pe->vmap[k])
			fm_list_append(ps->a, &f->attrs, fm_p_attr1(ps, "map", false, fm_p_str(ps, v->name)));
		fm_p_block_field(ps, b, f);
	}
	if (pe->map)
		fm_p_block_attr(ps, b, fm_p_attr1(ps, "map", true, fm_p_str(ps, pe->e->name)));
	if (ps->print_schemas)
		fm_p_block_attr(ps, b, fm_p_attr1(ps, "schema", true, fm_p_str(ps, pe->e->schema)));
	return b;
}

/* Prisma's name of a referential action ("NoAction" for others). */
static const char *
action_name(FmFkAction a)
{
	switch (a)
	{
		case FM_FK_RESTRICT:
			return "Restrict";
		case FM_FK_CASCADE:
			return "Cascade";
		case FM_FK_SET_NULL:
			return "SetNull";
		case FM_FK_SET_DEFAULT:
			return "SetDefault";
		default:
			return "NoAction";
	}
}

/*
 * relation_field
 *		The relation field r of model pm: the target model's name as type,
 *		list or optional, and @relation with the relation's name and, on the
 *		side that holds the foreign key, fields, references, the actions
 *		that differ from Prisma's defaults and map: when f forces the name.
 */
static FmAstField *
relation_field(PState *ps, PModel *pm, PRel *r, PForce *f)
{
	FmAstField *fld = fm_p_new_field(ps, r->name, r->target->name);
	FmAstAttribute *at = NULL;

	fld->list = r->list;
	fld->optional = r->optional;
	if (r->relname || r->fk)
	{
		at = fm_p_attr(ps, "relation", false);
		at->has_parens = true;
		if (r->relname)
			fm_p_arg(ps, &at->args, NULL, fm_p_str(ps, r->relname));
	}
	if (r->fk)
	{
		const FmForeignKey *fk = r->fk;
		FmFkAction	del = FM_FK_SET_NULL;

		/*
		 * the validator's default (validate_relation.c): RESTRICT when any
		 * of the columns is NOT NULL, even under an optional relation field
		 */
		for (int i = 0; i < fk->columns.n; i++)
		{
			const FmColumn *c = fm_table_find_column(pm->t, fm_list_get(&fk->columns, i, char));

			if (c == NULL || c->notnull)
				del = FM_FK_RESTRICT;
		}

		fm_p_arg(ps, &at->args, "fields", fm_p_name_list(ps, pm, &fk->columns));
		fm_p_arg(ps, &at->args, "references", fm_p_name_list(ps, r->target, &fk->ref_columns));
		if (fk->on_delete != del)
			fm_p_arg(ps, &at->args, "onDelete", fm_p_ident(ps, action_name(fk->on_delete)));
		if (fk->on_update != FM_FK_CASCADE)
			fm_p_arg(ps, &at->args, "onUpdate", fm_p_ident(ps, action_name(fk->on_update)));
		if (fm_p_forced(ps, f, pm->t, "fk", fk->name))
			fm_p_arg(ps, &at->args, "map", fm_p_str(ps, fk->name));
	}
	if (at)
		fm_list_append(ps->a, &fld->attrs, at);
	/* Prisma: a relation field to an @@ignore'd (keyless) model is @ignore'd */
	if (P_PRISMA(ps) && r->target->ignored && !pm->ignored)
		fm_list_append(ps->a, &fld->attrs, fm_p_attr(ps, "ignore", false));
	return fld;
}

/* the attribute @name of field pf (NULL: none), or NULL */
static FmAstAttribute *
field_attr(const FmAstField *pf, const char *name)
{
	for (int i = 0; pf != NULL && i < pf->attrs.n; i++)
	{
		FmAstAttribute *at = fm_list_get(&pf->attrs, i, FmAstAttribute);

		if (!at->block && fm_streq(at->name, name))
			return at;
	}
	return NULL;
}

/*
 * keep_client_attrs
 *		Re-pull: what the previous text's field pf (of column pc, as the
 *		previous text's model reads it) says that only a client reads, as
 *		Prisma's re-introspection keeps it: a client-side @default (cuid(),
 *		uuid(), nanoid(), ...) where the live column c has no default of its
 *		own and the same type, @updatedAt, and (prisma dialect) @ignore.
 *		Appended to fld's attributes as written.
 */
static void
keep_client_attrs(PState *ps, const PModel *pm, const FmColumn *c, const FmColumn *pc,
				  const FmAstField *pf, FmAstField *fld, bool has_default)
{
	FmAstAttribute *at;

	if (pc == NULL || pf == NULL || !fm_streq(pc->type.sql, c->type.sql))
		return;
	if (pc->client_default && !has_default && c->default_sql == NULL &&
		c->autoinc == FM_AUTOINC_NONE && (at = field_attr(pf, "default")) != NULL)
		fm_list_append(ps->a, &fld->attrs, at);
	if (pc->updated_at && (at = field_attr(pf, "updatedAt")) != NULL)
		fm_list_append(ps->a, &fld->attrs, at);
	if (P_PRISMA(ps) && !pm->ignored && (at = field_attr(pf, "ignore")) != NULL)
		fm_list_append(ps->a, &fld->attrs, at);
}

/*
 * fm_p_typed_field
 *		A new field name of the type ft says: its type name, the argument
 *		of Unsupported("..."), and [] for a list (whether it is optional,
 *		and its attributes, are the caller's).
 */
FmAstField *
fm_p_typed_field(PState *ps, const char *name, const PFieldType *ft)
{
	FmAstField *fld = fm_p_new_field(ps, name, ft->type_name);

	if (ft->unsupported)
	{
		fld->type_has_parens = true;
		fld->type_args = fm_alloc(ps->a, sizeof(FmList));
		fm_p_arg(ps, fld->type_args, NULL, fm_p_str(ps, ft->unsupported));
	}
	fld->list = ft->list;
	return fld;
}

/* the scalar field of column k */
static FmAstField *
column_field(PState *ps, PModel *pm, int k, PForce *f, bool *unique_done)
{
	const FmTable *t = pm->t;
	const FmColumn *c = fm_list_get(&t->columns, k, FmColumn);
	PFieldType	ft = fm_p_field_type(ps, c);
	FmAstField *fld = fm_p_typed_field(ps, pm->fields[k], &ft);
	const FmAstField *pf = NULL;

	if (ft.reason)
		fm_list_append(ps->a, &pm->reasons, (char *) ft.reason);
	fld->optional = !c->notnull && !ft.list;
	if (fld->comments == NULL)
		fld->comments = fm_alloc(ps->a, sizeof(FmAstComments));
	if (ps->prev_ast)
	{
		const char *doc = FM_COL_MORE(c)->comment;

		prev_comments(ps, &fld->comments->leading, &fld->comments->trailing,
					  (pf = prev_field(ps, t, prev_model_block(ps, t), c->name)) ?
					  FM_AST_COMMENTS(pf) : NULL,
					  &doc);
		if (doc != FM_COL_MORE(c)->comment)
			fm_p_doc_lines(ps, &fld->comments->leading, doc);
	}
	if (fm_p_doc_ok(FM_COL_MORE(c)->comment))
		fm_p_doc_lines(ps, &fld->comments->leading, FM_COL_MORE(c)->comment);
	else
		fm_list_append(ps->a, &pm->reasons,
					   fm_psprintf(ps->a, "the comment of column \"%s\" cannot be a doc comment (a carriage return or trailing white space)",
								   c->name));
	if (t->primary_key && t->primary_key->columns.n == 1 &&
		fm_streq(fm_list_get(&t->primary_key->columns, 0, char), c->name))
	{
		FmAstAttribute *at = fm_p_attr(ps, "id", false);

		if (fm_p_forced(ps, f, t, "pk", NULL))
			fm_p_add_map_arg(ps, at, t->primary_key->name);
		fm_list_append(ps->a, &fld->attrs, at);
	}
	for (int u = 0; u < pm->keys.n; u++)
	{
		const FmKey *key = fm_list_get(&pm->keys, u, FmKey);
		FmAstAttribute *at;

		if (unique_done[u] || key->columns.n != 1 ||
			!fm_streq(fm_list_get(&key->columns, 0, char), c->name))
			continue;
		unique_done[u] = true;
		at = fm_p_attr(ps, "unique", false);
		if (fm_p_forced(ps, f, t, "uq", key->name))
			fm_p_add_map_arg(ps, at, key->name);
		fm_list_append(ps->a, &fld->attrs, at);
		break;
	}
	if (P_PRISMA(ps))
		fm_p_prisma_field_unique(ps, pm, c, fld, f);
	if (ft.dflt)
		fm_list_append(ps->a, &fld->attrs, ft.dflt);
	if (pf != NULL)
		keep_client_attrs(ps, pm, c,
						  fm_p_prev_column(ps, fm_p_prev_table(ps, t->schema, t->name), c->name),
						  pf, fld, ft.dflt != NULL);
	if (pm->fmap[k])
		fm_list_append(ps->a, &fld->attrs, fm_p_attr1(ps, "map", false, fm_p_str(ps, c->name)));
	if (ft.native)
		fm_list_append(ps->a, &fld->attrs, ft.native);
	fm_p_column_extras(ps, c, pm->lineage, fld);
	return fld;
}

/*
 * model_block
 *		The model block of pm: the fields of its columns then its relation
 *		fields, the leading comments (kept from the previous text, the
 *		@preserve reasons, the prisma dialect's notes of what it leaves out,
 *		the doc comment), then the block attributes in a
 *		fixed order: a composite @@id, @@unique, unique and plain @@index,
 *		@@check (fm_p_states_checks), the table's storage extras, @@map,
 *		@@schema, @@ignore.  A name is written with map: when f forces it
 *		(the validator would derive another).
 */
static FmAstBlock *
model_block(PState *ps, PModel *pm, PForce *f)
{
	const FmTable *t = pm->t;
	FmAstBlock *b = fm_p_new_block(ps, FM_BLOCK_MODEL, "model", pm->name);
	bool	   *unique_done = fm_alloc(ps->a, sizeof(bool) * (size_t) (pm->keys.n + 1));
	FmList		fields = {0};
	FmList		uniques = {0};	/* block @@unique attributes, with their names */
	FmList		unique_names = {0};

	for (int k = 0; k < t->columns.n; k++)
		fm_list_append(ps->a, &fields, column_field(ps, pm, k, f, unique_done));
	for (int j = 0; j < pm->rels.n; j++)
		fm_list_append(ps->a, &fields, relation_field(ps, pm, fm_list_get(&pm->rels, j, PRel), f));
	fm_p_view_fields(ps, prev_model_block(ps, t), &fields);
	{
		const FmAstBlock *pb = prev_model_block(ps, t);
		const char *doc = pm->doc;

		if (pb)
			prev_comments(ps, &b->comments.leading, NULL, &pb->comments, &doc);
		for (int i = 0; i < pm->reasons.n; i++)
		{
			const char *r = fm_list_get(&pm->reasons, i, char);

			fm_list_append(ps->a, &b->comments.leading,
						   fm_preserve_annotation(ps->a, r));
		}
		fm_p_prisma_unstated(ps, t, &b->comments.leading);
		fm_p_unmanaged(ps, t, &b->comments.leading);
		/* a table without a key: Prisma's notice (its @@ignore is below) */
		if (P_PRISMA(ps) && pm->ignored)
			fm_p_doc_lines(ps, &b->comments.leading, fm_p_prisma_no_key_doc);
		fm_p_doc_lines(ps, &b->comments.leading, doc);
	}
	for (int i = 0; i < fields.n; i++)
		fm_p_block_field(ps, b, fm_list_get(&fields, i, FmAstField));

	/* composite, or on a column the table inherits (no field of its own) */
	if (t->primary_key && (t->primary_key->columns.n != 1 ||
						   fm_p_column_index(t, fm_list_get(&t->primary_key->columns, 0, char)) < 0))
		fm_p_block_attr(ps, b, fm_p_key_attr(ps, pm, "id", t->primary_key, fm_p_forced(ps, f, t, "pk", NULL)));
	for (int u = 0; u < pm->keys.n; u++)
		if (!unique_done[u])
		{
			const FmKey *key = fm_list_get(&pm->keys, u, FmKey);

			fm_list_append(ps->a, &uniques, fm_p_key_attr(ps, pm, "unique", key, fm_p_forced(ps, f, t, "uq", key->name)));
			fm_list_append(ps->a, &unique_names, key->name);
		}
	for (int k = 0; k < t->indexes.n; k++)
		if (pm->ix_ukey[k] && !fm_p_prisma_ukey_on_field(ps, pm, fm_list_get(&t->indexes, k, FmIndex)))
		{
			const FmIndex *ix = fm_list_get(&t->indexes, k, FmIndex);

			fm_list_append(ps->a, &uniques, fm_p_index_attr(ps, pm, ix, fm_p_forced(ps, f, t, "uq", ix->name), "unique"));
			fm_list_append(ps->a, &unique_names, ix->name);
		}
	/* Prisma's introspection orders them by name */
	for (int i = 0; i < uniques.n; i++)
	{
		int			best = -1;

		for (int j = 0; j < uniques.n; j++)
		{
			if (uniques.items[j] == NULL)
				continue;
			if (best < 0)
				best = j;
			else if (P_PRISMA(ps) &&
					 strcmp(fm_list_get(&unique_names, j, char), fm_list_get(&unique_names, best, char)) < 0)
				best = j;
		}
		fm_p_block_attr(ps, b, fm_list_get(&uniques, best, FmAstAttribute));
		uniques.items[best] = NULL;
	}
	for (int k = 0; k < t->indexes.n; k++)
		if (pm->ix_ok[k])
		{
			const FmIndex *ix = fm_list_get(&t->indexes, k, FmIndex);

			fm_p_block_attr(ps, b, fm_p_index_attr(ps, pm, ix, fm_p_forced(ps, f, t, "ix", ix->name), "index"));
		}
	for (int k = 0, n = fm_p_states_checks(ps, t) ? t->checks.n : 0; k < n; k++)
	{
		const FmCheck *ck = fm_list_get(&t->checks, k, FmCheck);
		FmAstAttribute *at;

		if (pm->ck_skip[k])
			continue;
		at = fm_p_attr1(ps, "check", true, fm_p_str(ps, fm_p_sql_text(ps, ck->expr)));

		if (fm_p_forced(ps, f, t, "ck", ck->name))
			fm_p_add_map_arg(ps, at, ck->name);
		fm_p_block_attr(ps, b, at);
	}
	for (int k = 0; k < t->exclusions.n && ps->nm->kind != FM_DIALECT_PRISMA; k++)
	{
		const FmExclusion *x = fm_list_get(&t->exclusions, k, FmExclusion);

		fm_p_block_attr(ps, b, fm_p_exclusion_attr(ps, pm, x, fm_p_forced(ps, f, t, "ex", x->name)));
	}
	fm_p_table_extras(ps, t, b);
	if (pm->map)
		fm_p_block_attr(ps, b, fm_p_attr1(ps, "map", true, fm_p_str(ps, t->name)));
	if (ps->print_schemas)
		fm_p_block_attr(ps, b, fm_p_attr1(ps, "schema", true, fm_p_str(ps, t->schema)));
	if (pm->ignored)
		fm_p_block_attr(ps, b, fm_p_attr(ps, "ignore", true));
	return b;
}

/* append the blocks of from to to */
static void
append_blocks(PState *ps, FmList *to, const FmList *from)
{
	for (int i = 0; i < from->n; i++)
		fm_list_append(ps->a, to, fm_list_get(from, i, FmAstBlock));
}

/*
 * render
 *		The schema text of one round, built as a syntax tree and formatted in
 *		the dialect's layout, so that the text is already canonical: the
 *		ferriorm dialect prints the datasource, enums, then models; the
 *		prisma dialect orders the blocks as Prisma's introspection does
 *		(generator, datasource, models, views, enums).  Models and enums
 *		are in table and enum order, or on a re-pull in the previous text's
 *		order and then the new ones (fm_p_place_blocks); the views are those
 *		of the previous text kept (print_repull.c).  Join tables of implicit
 *		many-to-many relations are not printed.
 */
static char *
render(PState *ps, PForce *f)
{
	FmAstSchema ast;
	PPlaced    *models = fm_alloc(ps->a, sizeof(PPlaced) * (size_t) (ps->models.n + 1));
	PPlaced    *enums = fm_alloc(ps->a, sizeof(PPlaced) * (size_t) (ps->enums.n + 1));
	int			nmodels = 0;
	FmList		model_blocks = {0};
	FmList		enum_blocks = {0};

	memset(&ast, 0, sizeof(ast));
	/* models first: they tell whether the generator needs partialIndexes */
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);
		PPrev	   *pp;

		if (pm->m2m)
			continue;
		pp = fm_p_prev_table(ps, pm->t->schema, pm->t->name);
		models[nmodels].b = model_block(ps, pm, f);
		models[nmodels].prev_pos = pp ? fm_p_prev_position(ps, pp->t->model_name) : INT_MAX;
		models[nmodels].seq = nmodels;
		nmodels++;
	}
	fm_p_place_blocks(ps, models, nmodels, &model_blocks);
	for (int i = 0; i < ps->enums.n; i++)
	{
		PEnum	   *pe = fm_list_get(&ps->enums, i, PEnum);
		const FmEnum *pv = fm_p_prev_enum(ps, pe->e->schema, pe->e->name);

		enums[i].b = enum_block(ps, pe);
		enums[i].prev_pos = pv ? fm_p_prev_position(ps, pv->enum_name) : INT_MAX;
		enums[i].seq = i;
	}
	fm_p_place_blocks(ps, enums, ps->enums.n, &enum_blocks);
	if (P_PRISMA(ps))
		fm_p_prisma_generators(ps, &ast.blocks);
	fm_list_append(ps->a, &ast.blocks, datasource_block(ps));
	if (!P_PRISMA(ps))
		append_blocks(ps, &ast.blocks, &enum_blocks);
	append_blocks(ps, &ast.blocks, &model_blocks);
	/* a re-pull's views as written, after the models as Prisma prints them */
	append_blocks(ps, &ast.blocks, &ps->kept_views);
	fm_p_new_views(ps, &ast.blocks);
	if (P_PRISMA(ps))
	{
		append_blocks(ps, &ast.blocks, &enum_blocks);
		return fm_ast_format_dialect(ps->a, &ast, FM_DIALECT_PRISMA);
	}
	return fm_ast_format(ps->a, &ast);
}

/* ---------- entry point ---------- */

/*
 * printed_line
 *		" (in model X: <the line>)" for line n (1-based) of printed text, so
 *		that a diagnostic of text the caller never sees names what it is
 *		about: the line itself and the header of the block it is in.  ""
 *		when n is 0 or past the end.
 */
static const char *
printed_line(FmArena *a, const char *text, int n)
{
	const char *p = text;
	const char *block = NULL;
	size_t		block_len = 0;
	const char *end;

	if (n <= 0)
		return "";
	for (int line = 1; line < n; line++)
	{
		const char *nl = strchr(p, '\n');

		if (nl == NULL)
			return "";
		if (*p != ' ' && *p != '/' && *p != '}' && *p != '\n')
		{
			block = p;
			block_len = (size_t) (nl - p);
		}
		p = nl + 1;
	}
	end = strchr(p, '\n');
	if (end == NULL)
		end = p + strlen(p);
	while (*p == ' ')
		p++;
	if (block != NULL && block_len > 2 && block[block_len - 1] == '{')
		block_len -= 2;			/* " {" */
	return fm_psprintf(a, " (in %.*s: %.*s)", block ? (int) block_len : 4,
					   block ? block : "text", (int) (end - p), p);
}

/*
 * fm_print_schema
 *		See fm_print.h.  Print in rounds, at most PRINT_ROUNDS: analyze and
 *		render, then validate the text and compare the names the validator
 *		derives with the model's; every name that differs is forced (written
 *		with map:) in the next round, until a round changes nothing.  The
 *		text and the diagnostics are allocated in arena.
 */
char *
fm_print_schema(FmArena *arena, const FmModel *model, const FmPrintOptions *opt,
				FmDiagList *diags)
{
	PForce		f;
	char	   *text = NULL;
	FmPrintOptions o = *opt;
	bool		no_views = false;
	bool		no_new_views = false;
	const char *new_views_error = NULL;	/* why the new views were left out */

	/*
	 * An enum named like a pg_catalog type needs its schema in the text
	 * (the validator refuses it unqualified for ferriorm_diff).
	 */
	for (int i = 0; i < model->enums.n && !o.print_schemas; i++)
		if (fm_is_pg_catalog_type(fm_list_get(&model->enums, i, FmEnum)->name))
			o.print_schemas = true;
	opt = &o;
	memset(&f, 0, sizeof(f));
	for (int round = 0; round < PRINT_ROUNDS; round++)
	{
		PState		ps;
		FmModel    *v;
		FmDiagList	d;

		memset(&ps, 0, sizeof(ps));
		ps.a = arena;
		ps.m = model;
		ps.o = opt;
		ps.nm = opt->naming ? opt->naming : &fm_naming_ferriorm;
		ps.no_views = no_views;
		ps.no_new_views = no_new_views;
		analyze(&ps, &f);
		if (round == 0 && P_PRISMA(&ps))
			fm_p_prisma_preforce(&ps, &f);
		text = render(&ps, &f);
		fm_diags_init(&d, arena);
		v = fm_parse_schema(arena, text, strlen(text), ps.nm->kind, &d);
		if (v == NULL && (ps.kept_views.n > 0 || ps.new_views))
		{
			/*
			 * the views do not fit: print without the new ones (warned of
			 * once that fits), then without any
			 */
			FmDiag	   *dg = d.items.n > 0 ? fm_list_get(&d.items, 0, FmDiag) : NULL;

			if (ps.new_views)
			{
				no_new_views = true;
				new_views_error = dg ? dg->message : "";
			}
			else
			{
				no_views = true;
				new_views_error = NULL;
				fm_diag_add(diags, FM_SEV_WARNING, (FmSrcPos) {0},
							"the view blocks of the previous text are left out: with them the text does not validate (%s)",
							dg ? dg->message : "");
			}
			memset(&f, 0, sizeof(f));
			round = -1;
			continue;
		}
		if (v == NULL)
		{
			for (int i = 0; i < d.items.n; i++)
			{
				FmDiag	   *dg = fm_list_get(&d.items, i, FmDiag);

				fm_diag_add(diags, dg->severity, dg->pos, "%s%s", dg->message,
							printed_line(arena, text, dg->pos.line));
			}
			return NULL;
		}
		if (model->schemas.n > 0)
			fm_model_set_default_schema(v, fm_list_get(&model->schemas, 0, char));
		if (fm_p_compare_names(&ps, &f, v) == 0)
			break;
	}
	if (new_views_error != NULL)
		fm_diag_add(diags, FM_SEV_WARNING, (FmSrcPos) {0},
					"the views of the database that the previous text has no block for are left out: with them the text does not validate (%s)",
					new_views_error);
	return text;
}
