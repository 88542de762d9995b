/*-------------------------------------------------------------------------
 *
 * print_names.c
 *	  Print: schema-language names for database names.  Models, enums,
 *	  fields and enum values get idiomatic names (PascalCase singular
 *	  models, camelCase fields, PascalCase enums and values), chosen so that
 *	  the dialect's naming gives the database name back; otherwise the
 *	  printed name is mapped (@map/@@map).  Names that are not identifiers
 *	  of the language are turned into identifiers and mapped; clashes get a
 *	  number (2, 3, ...) in table, enum and column order, so the result is
 *	  deterministic.  On a re-pull, the names of the previous text win.
 *
 * src/core/print_names.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "print_int.h"

/* the longest name the validator accepts (validate.c FM_MAX_NAME_LEN) */
#define P_MAX_NAME_LEN 255

/* ---------- the ferriorm dialect: its rows of dialect.c ---------- */

static char *
ferriorm_table_name(FmArena *arena, const char *model)
{
	return fm_dialect_derive(fm_dialect(FM_DIALECT_FERRIORM), arena, FM_NAME_TABLE, model);
}

static char *
ferriorm_column_name(FmArena *arena, const char *field)
{
	return fm_dialect_derive(fm_dialect(FM_DIALECT_FERRIORM), arena, FM_NAME_COLUMN, field);
}

static char *
ferriorm_enum_name(FmArena *arena, const char *name)
{
	return fm_dialect_derive(fm_dialect(FM_DIALECT_FERRIORM), arena, FM_NAME_ENUM, name);
}

static char *
ferriorm_label(FmArena *arena, const char *variant)
{
	return fm_dialect_derive(fm_dialect(FM_DIALECT_FERRIORM), arena, FM_NAME_LABEL, variant);
}

const FmNaming fm_naming_ferriorm = {
	FM_DIALECT_FERRIORM,
	ferriorm_table_name,
	ferriorm_column_name,
	ferriorm_enum_name,
	ferriorm_label
};

/* ---------- case conversions ---------- */

static bool
is_alnum_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * Words separated by anything but ASCII letters and digits, each word's
 * first letter upper-cased (and the very first lower-cased when camel).
 */
static char *
join_words(FmArena *arena, const char *s, bool camel)
{
	FmBuf		b;
	bool		start = true;

	fm_buf_init(&b, arena);
	fm_buf_append(&b, "");
	for (const char *p = s ? s : ""; *p; p++)
	{
		char		c = *p;

		if (!is_alnum_ascii(c))
		{
			start = true;
			continue;
		}
		if (camel && b.len == 0 && c >= 'A' && c <= 'Z')
		{
			/* a leading capital run: "ID" -> "id", "HTTPServer" -> "httpServer" */
			const char *e = p;

			while (*e >= 'A' && *e <= 'Z')
				e++;
			if (*e >= 'a' && *e <= 'z' && e - p > 1)
				e--;
			for (; p < e; p++)
				fm_buf_append_char(&b, (char) (*p - 'A' + 'a'));
			p--;
			start = false;
			continue;
		}
		if (start && c >= 'a' && c <= 'z' && !(camel && b.len == 0))
			c = (char) (c - 'a' + 'A');
		fm_buf_append_char(&b, c);
		start = false;
	}
	if (b.len > 0 && b.data[0] >= '0' && b.data[0] <= '9')
		return fm_psprintf(arena, "_%s", b.data);
	return b.data;
}

char *
fm_pascal_case(FmArena *arena, const char *s)
{
	return join_words(arena, s, false);
}

char *
fm_camel_case(FmArena *arena, const char *s)
{
	return join_words(arena, s, true);
}

static bool
ends_with(const char *s, size_t len, const char *suffix)
{
	size_t		l = strlen(suffix);

	return len > l && strcmp(s + len - l, suffix) == 0;
}

/* irregular English plurals: plural, singular (word endings) */
static const char *const irregular[][2] = {
	{"people", "person"}, {"children", "child"}, {"men", "man"},
	{"women", "woman"}, {"mice", "mouse"}, {"geese", "goose"},
	{"feet", "foot"}, {"teeth", "tooth"}, {"criteria", "criterion"}
};

/*
 * fm_irregular_plural
 *		s with its last word (after "_" or at an upper-case letter) turned
 *		from an irregular singular to its plural (to_plural) or back
 *		("person" <-> "people"), in arena; NULL when the last word is not
 *		one of the irregular nouns known.
 */
char *
fm_irregular_plural(FmArena *arena, const char *s, bool to_plural)
{
	size_t		len = s ? strlen(s) : 0;

	for (size_t i = 0; i < sizeof(irregular) / sizeof(irregular[0]); i++)
	{
		const char *from = irregular[i][to_plural ? 1 : 0];
		const char *to = irregular[i][to_plural ? 0 : 1];
		size_t		fl = strlen(from);

		/* the whole word, or its last word: "BlogPeople", "blog_people" */
		if (len >= fl && strcmp(s + len - fl, from) == 0 &&
			(len == fl || s[len - fl - 1] == '_'))
			return fm_psprintf(arena, "%.*s%s", (int) (len - fl), s, to);
		if (len >= fl && s[len - fl] >= 'A' && s[len - fl] <= 'Z' &&
			s[len - fl] - 'A' + 'a' == from[0] && strcmp(s + len - fl + 1, from + 1) == 0)
			return fm_psprintf(arena, "%.*s%c%s", (int) (len - fl), s,
							   (char) (to[0] - 'a' + 'A'), to + 1);
	}
	return NULL;
}

/* a, e, i, o, u, either case */
static bool
is_vowel(char c)
{
	return c != '\0' && strchr("aeiouAEIOU", c) != NULL;
}

/*
 * fm_singular
 *		The English singular of a name, by the irregular nouns and the
 *		regular suffixes ("-ies", "-sses", "-xes", ..., "-s"; "-ches" after
 *		a lone vowel and "-ouses"/"-auses" lose the "s" alone: cache, niche,
 *		house, cause), in arena;
 *		words ending in "ss", "us" or "is" are kept as they are.
 */
char *
fm_singular(FmArena *arena, const char *s)
{
	size_t		len = s ? strlen(s) : 0;
	char	   *irr;

	if (len == 0)
		return fm_strdup(arena, "");
	if ((irr = fm_irregular_plural(arena, s, false)) != NULL)
		return irr;
	if (ends_with(s, len, "ies"))
		return fm_psprintf(arena, "%.*sy", (int) (len - 3), s);
	/* caches, niches, headaches; houses, causes: a final "e" of their own */
	if ((ends_with(s, len, "ches") && len >= 6 && is_vowel(s[len - 5]) &&
		 !is_vowel(s[len - 6])) ||
		ends_with(s, len, "ouses") || ends_with(s, len, "auses"))
		return fm_strndup(arena, s, len - 1);
	if (ends_with(s, len, "sses") || ends_with(s, len, "xes") ||
		ends_with(s, len, "ches") || ends_with(s, len, "shes") ||
		ends_with(s, len, "uses") || ends_with(s, len, "zzes"))
		return fm_strndup(arena, s, len - 2);
	if (ends_with(s, len, "ss") || ends_with(s, len, "us") ||
		ends_with(s, len, "is"))
		return fm_strdup(arena, s);
	if (ends_with(s, len, "s"))
		return fm_strndup(arena, s, len - 1);
	return fm_strdup(arena, s);
}

/* An identifier of the language, short enough for the validator? */
bool
fm_p_is_ident(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > P_MAX_NAME_LEN)
		return false;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (const char *p = s; *p; p++)
		if (!is_alnum_ascii(*p) && *p != '_')
			return false;
	return true;
}

static bool
is_reserved_type(const char *s)
{
	static const char *const names[] = {
		"String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime",
		"Json", "Bytes", "Unsupported", NULL
	};

	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return true;
	return false;
}

/*
 * want, or want2, want3, ... : the first that is an identifier and not in
 * taken (nor a built-in type name when types), recorded in taken.
 */
char *
fm_p_unique_name(FmArena *arena, FmHashMap *taken, const char *want,
			const char *fallback, bool types)
{
	char	   *name;

	if (!fm_p_is_ident(want))
		want = fallback;
	name = fm_strdup(arena, want);
	for (int n = 2; fm_hash_get(taken, name) != NULL ||
		 (types && is_reserved_type(name)); n++)
		name = fm_psprintf(arena, "%s%d", want, n);
	fm_hash_put(arena, taken, name, name);
	return name;
}

/*
 * The idiomatic name for a database name: conv(dbname) when the dialect
 * derives dbname back from it; else dbname itself when it is an identifier
 * the dialect keeps; else conv(dbname) (mapped).
 */
static char *
idiomatic(FmArena *arena, const char *dbname, char *(*conv) (FmArena *, const char *),
		  char *(*derive) (FmArena *, const char *))
{
	char	   *c = conv(arena, dbname);

	if (fm_p_is_ident(c) && strcmp(derive(arena, c), dbname) == 0)
		return c;
	if (fm_p_is_ident(dbname) && strcmp(derive(arena, dbname), dbname) == 0)
		return fm_strdup(arena, dbname);
	return c;
}

/* ---------- enums ---------- */

/*
 * fm_p_name_enums
 *		Name every enum of the model and its variants: the previous text's
 *		names where the enum or label was there, else the idiomatic
 *		PascalCase name made unique among type names ("Enum" suffix) and
 *		among the enum's variants.  Sets map / vmap where the dialect would
 *		derive another database name.  One PEnum per enum is appended to
 *		ps->enums and registered in ps->by_enum; memory is ps->a's.
 */
void
fm_p_name_enums(PState *ps)
{
	for (int i = 0; i < ps->m->enums.n; i++)
	{
		const FmEnum *e = fm_list_get(&ps->m->enums, i, FmEnum);
		PEnum	   *pe = fm_alloc(ps->a, sizeof(PEnum));
		const FmEnum *prev = NULL;
		FmHashMap	variants = {0};
		char	   *want;
		const char **vwants;	/* each value's name as wanted */
		bool	   *own;		/* ... and whether it is the label's own */

		pe->e = e;
		prev = fm_p_prev_enum(ps, e->schema, e->name);
		if (prev && prev->enum_name)
			want = prev->enum_name;
		else if (P_PRISMA(ps))
			want = fm_p_prisma_type_name(ps, e->schema, e->name, NULL);
		else
			want = idiomatic(ps->a, e->name, fm_pascal_case, ps->nm->enum_type_name);
		pe->name = fm_p_unique_name(ps->a, &ps->type_names, want, "Enum", true);
		pe->map = strcmp(ps->nm->enum_type_name(ps->a, pe->name), e->name) != 0;
		pe->variants = fm_alloc(ps->a, sizeof(char *) * (size_t) (e->values.n + 1));
		pe->vmap = fm_alloc(ps->a, sizeof(bool) * (size_t) (e->values.n + 1));
		/*
		 * two passes: the names that are the label itself (or the previous
		 * text's) first, then the made-up ones ('0' -> Value, 'udp,tcp' ->
		 * udp_tcp), so that a made-up name never takes a real label's and
		 * pushes it to Value2, as Prisma's pull keeps real labels
		 */
		vwants = fm_alloc(ps->a, sizeof(char *) * (size_t) (e->values.n + 1));
		own = fm_alloc(ps->a, sizeof(bool) * (size_t) (e->values.n + 1));

		for (int k = 0; k < e->values.n; k++)
		{
			const FmEnumValue *v = fm_list_get(&e->values, k, FmEnumValue);
			const char *vwant = NULL;

			for (int j = 0; prev && j < prev->values.n && vwant == NULL; j++)
			{
				FmEnumValue *pv = fm_list_get(&prev->values, j, FmEnumValue);

				if (strcmp(pv->name, v->name) == 0)
					vwant = pv->variant;
			}
			own[k] = vwant != NULL;
			if (vwant == NULL && P_PRISMA(ps))
				vwant = v->name[0] == '\0' ? "EMPTY_ENUM_VALUE" :
					fm_p_prisma_sanitize(ps->a, v->name);
			else if (vwant == NULL)
				vwant = idiomatic(ps->a, v->name, fm_pascal_case, ps->nm->enum_label);
			own[k] = own[k] || (fm_p_is_ident(vwant) &&
								strcmp(ps->nm->enum_label(ps->a, vwant), v->name) == 0);
			vwants[k] = vwant;
		}
		for (int pass = 0; pass < 2; pass++)
			for (int k = 0; k < e->values.n; k++)
			{
				const FmEnumValue *v = fm_list_get(&e->values, k, FmEnumValue);

				if (own[k] != (pass == 0))
					continue;
				pe->variants[k] = fm_p_unique_name(ps->a, &variants, vwants[k], "Value", false);
				pe->vmap[k] = strcmp(ps->nm->enum_label(ps->a, pe->variants[k]), v->name) != 0;
			}
		fm_list_append(ps->a, &ps->enums, pe);
		fm_hash_put2(ps->a, &ps->by_enum, e->schema, e->name, pe);
	}
}

/* ---------- models ---------- */

static char *
model_candidate(PState *ps, const char *table)
{
	char	   *c = fm_pascal_case(ps->a, fm_singular(ps->a, table));
	char	   *same;

	if (fm_p_is_ident(c) && strcmp(ps->nm->table_name(ps->a, c), table) == 0)
		return c;
	/* the dialect may derive table names without a plural */
	same = idiomatic(ps->a, table, fm_pascal_case, ps->nm->table_name);
	if (strcmp(ps->nm->table_name(ps->a, same), table) == 0)
		return same;
	/* mapped either way: the singular reads better */
	return fm_p_is_ident(c) ? c : same;
}

/*
 * fm_p_model_candidate, fm_p_field_candidate
 *		The name a model (or view) of table schema.name, and a field of
 *		column col, would get before uniqueness (fm_p_unique_name): the
 *		prisma dialect's sanitized database name, the ferriorm dialect's
 *		idiomatic PascalCase or camelCase one.  Memory is ps->a's.
 */
char *
fm_p_model_candidate(PState *ps, const char *schema, const char *name)
{
	char	   *base;

	if (P_PRISMA(ps))
		return fm_p_prisma_type_name(ps, schema, name, &base);
	return model_candidate(ps, name);
}

char *
fm_p_field_candidate(PState *ps, const char *col)
{
	if (P_PRISMA(ps))
		return fm_p_prisma_sanitize(ps->a, col);
	return idiomatic(ps->a, col, fm_camel_case, ps->nm->column_name);
}

/* Name every model that is not a join table and has no name yet. */
void
fm_p_name_models(PState *ps)
{
	if (P_PRISMA(ps))
	{
		fm_p_prisma_name_models(ps);
		return;
	}
	for (int i = 0; i < ps->models.n; i++)
	{
		PModel	   *pm = fm_list_get(&ps->models, i, PModel);
		const FmTable *prev;
		PPrev	   *pp;
		char	   *want;

		if (pm->m2m || pm->name)
			continue;
		pp = fm_p_prev_table(ps, pm->t->schema, pm->t->name);
		prev = pp ? pp->t : NULL;
		want = prev && prev->model_name ? prev->model_name :
			model_candidate(ps, pm->t->name);
		pm->name = fm_p_unique_name(ps->a, &ps->type_names, want, "Model", true);
		pm->map = strcmp(ps->nm->table_name(ps->a, pm->name), pm->t->name) != 0;
	}
}

/* ---------- fields ---------- */

char *
fm_p_unique_field(PState *ps, PModel *pm, const char *want)
{
	return fm_p_unique_name(ps->a, &pm->field_names, want, "field", false);
}

/*
 * fm_p_name_fields
 *		Name the scalar fields of model pm, one per column: the previous
 *		text's field name where the column was there, else the idiomatic
 *		camelCase name, made unique in the model; fmap[k] is set where the
 *		dialect would derive another column name.  Arrays in ps->a.
 */
void
fm_p_name_fields(PState *ps, PModel *pm)
{
	const FmTable *t = pm->t;
	PPrev	   *prev;

	if (P_PRISMA(ps))
	{
		fm_p_prisma_name_fields(ps, pm);
		return;
	}
	prev = fm_p_prev_table(ps, t->schema, t->name);
	pm->fields = fm_alloc(ps->a, sizeof(char *) * (size_t) (t->columns.n + 1));
	pm->fmap = fm_alloc(ps->a, sizeof(bool) * (size_t) (t->columns.n + 1));
	for (int k = 0; k < t->columns.n; k++)
	{
		const FmColumn *c = fm_list_get(&t->columns, k, FmColumn);
		const FmColumn *pc = fm_p_prev_column(ps, prev, c->name);
		const char *want;

		want = pc && pc->field_name ? pc->field_name :
			idiomatic(ps->a, c->name, fm_camel_case, ps->nm->column_name);
		pm->fields[k] = fm_p_unique_field(ps, pm, want);
		pm->fmap[k] = strcmp(ps->nm->column_name(ps->a, pm->fields[k]), c->name) != 0;
	}
}

/* ---------- re-pull ---------- */

/*
 * index_previous
 *		The maps of the previous text: its model and enum blocks by name
 *		(the last one, as print.c's prev_block finds it) with their
 *		positions in the text (prev_order, for render), its tables and
 *		enums by schema and name (the first one, as the fm_model_find_*
 *		functions find it).  Linear in the size of the text.
 */
static void
index_previous(PState *ps)
{
	const FmModel *m = ps->prev;

	for (int i = 0; ps->prev_ast && i < ps->prev_ast->blocks.n; i++)
	{
		FmAstBlock *b = fm_list_get(&ps->prev_ast->blocks, i, FmAstBlock);

		if (b->name && (b->kind == FM_BLOCK_MODEL || b->kind == FM_BLOCK_ENUM))
		{
			int		   *pos = fm_alloc(ps->a, sizeof(int));

			*pos = i;
			fm_hash_put(ps->a, &ps->prev_blocks, b->name, b);
			fm_hash_put(ps->a, &ps->prev_order, b->name, pos);
		}
	}
	for (int i = 0; m && i < m->tables.n; i++)
	{
		const FmTable *t = fm_list_get(&m->tables, i, FmTable);
		PPrev	   *pp;

		if (t->name == NULL || fm_hash_get2(&ps->prev_tables, t->schema, t->name))
			continue;
		pp = fm_alloc(ps->a, sizeof(PPrev));
		memset(pp, 0, sizeof(PPrev));
		pp->t = t;
		pp->block = t->model_name ? fm_hash_get(&ps->prev_blocks, t->model_name) : NULL;
		fm_hash_put2(ps->a, &ps->prev_tables, t->schema, t->name, pp);
	}
	for (int i = 0; m && i < m->enums.n; i++)
	{
		FmEnum	   *e = fm_list_get(&m->enums, i, FmEnum);

		if (e->name && fm_hash_get2(&ps->prev_enums, e->schema, e->name) == NULL)
			fm_hash_put2(ps->a, &ps->prev_enums, e->schema, e->name, e);
	}
}

/*
 * Parse and validate the previous text (its errors are not ours: whatever
 * validates is used) into ps->prev and ps->prev_ast, and index it.
 */
void
fm_p_load_previous(PState *ps)
{
	FmDiagList	diags;
	FmAstSchema *ast;
	FmModel    *prev;

	if (ps->o->previous == NULL)
		return;
	fm_diags_init(&diags, ps->a);
	ast = fm_ast_parse(ps->a, ps->o->previous, ps->o->previous_len, &diags);
	prev = fm_ast_validate(ps->a, ast, ps->nm->kind, &diags);
	if (ps->m->schemas.n > 0)
		fm_model_set_default_schema(prev, fm_list_get(&ps->m->schemas, 0, char));
	ps->prev = prev;
	ps->prev_ast = ast;
	index_previous(ps);
	fm_p_keep_views(ps);
}

/*
 * fm_p_prev_table
 *		The previous text's table schema.name (NULL schemas match only each
 *		other), the first one as fm_model_find_table() finds it, or NULL.
 */
PPrev *
fm_p_prev_table(PState *ps, const char *schema, const char *name)
{
	if (ps->prev == NULL || name == NULL)
		return NULL;
	return fm_hash_get2(&ps->prev_tables, schema, name);
}

/* build pp's maps of columns and fields, once */
static void
index_prev_table(PState *ps, PPrev *pp)
{
	if (pp->indexed)
		return;
	pp->indexed = true;
	for (int i = 0; i < pp->t->columns.n; i++)
	{
		FmColumn   *c = fm_list_get(&pp->t->columns, i, FmColumn);

		if (c->name && fm_hash_get(&pp->cols, c->name) == NULL)
			fm_hash_put(ps->a, &pp->cols, c->name, c);
		if (c->field_name && fm_hash_get(&pp->by_field, c->field_name) == NULL)
			fm_hash_put(ps->a, &pp->by_field, c->field_name, c);
	}
	for (int i = 0; pp->block && i < pp->block->fields.n; i++)
	{
		FmAstField *f = fm_list_get(&pp->block->fields, i, FmAstField);

		if (f->name && fm_hash_get(&pp->fields, f->name) == NULL)
			fm_hash_put(ps->a, &pp->fields, f->name, f);
	}
}

/* the column of pp's table named column (as fm_table_find_column), or NULL */
const FmColumn *
fm_p_prev_column(PState *ps, PPrev *pp, const char *column)
{
	if (pp == NULL || column == NULL)
		return NULL;
	index_prev_table(ps, pp);
	return fm_hash_get(&pp->cols, column);
}

/* the first column of pp's table whose field is field, or NULL */
const FmColumn *
fm_p_prev_column_of_field(PState *ps, PPrev *pp, const char *field)
{
	if (pp == NULL || field == NULL)
		return NULL;
	index_prev_table(ps, pp);
	return fm_hash_get(&pp->by_field, field);
}

/* the first field named field of pp's block, or NULL */
const FmAstField *
fm_p_prev_field(PState *ps, PPrev *pp, const char *field)
{
	if (pp == NULL || field == NULL)
		return NULL;
	index_prev_table(ps, pp);
	return fm_hash_get(&pp->fields, field);
}

/* the previous text's enum schema.name (the first), or NULL */
const FmEnum *
fm_p_prev_enum(PState *ps, const char *schema, const char *name)
{
	if (ps->prev == NULL || name == NULL)
		return NULL;
	return fm_hash_get2(&ps->prev_enums, schema, name);
}
