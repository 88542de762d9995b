/*-------------------------------------------------------------------------
 *
 * model.c
 *	  Diagnostics lists and the schema model's constructors, lookups and
 *	  canonical ordering.
 *
 * src/core/model.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_model.h"

#include <string.h>

/* ---------- diagnostics ---------- */

void
fm_diags_init(FmDiagList *diags, FmArena *arena)
{
	memset(diags, 0, sizeof(*diags));
	diags->arena = arena;
}

void
fm_diag_add(FmDiagList *diags, FmSeverity sev, FmSrcPos pos, const char *fmt,...)
{
	FmDiag	   *d = fm_alloc(diags->arena, sizeof(FmDiag));
	FmBuf		buf;
	va_list		ap;

	fm_buf_init(&buf, diags->arena);
	va_start(ap, fmt);
	fm_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	d->severity = sev;
	d->pos = pos;
	d->message = buf.data;
	fm_list_append(diags->arena, &diags->items, d);
	if (sev == FM_SEV_ERROR)
		diags->nerrors++;
	else
		diags->nwarnings++;
}

static int
diag_cmp(const void *a, const void *b)
{
	const FmDiag *x = *(const FmDiag *const *) a;
	const FmDiag *y = *(const FmDiag *const *) b;

	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	if (x->pos.col != y->pos.col)
		return x->pos.col < y->pos.col ? -1 : 1;
	return 0;
}

void
fm_diags_sort(FmDiagList *diags)
{
	fm_list_sort(&diags->items, diag_cmp);
}

char *
fm_diags_to_text(FmArena *arena, const FmDiagList *diags)
{
	FmBuf		buf;

	fm_buf_init(&buf, arena);
	for (int i = 0; i < diags->items.n; i++)
	{
		const FmDiag *d = fm_list_get(&diags->items, i, FmDiag);

		fm_buf_printf(&buf, "line %d, column %d: %s: %s\n",
					  d->pos.line, d->pos.col,
					  d->severity == FM_SEV_ERROR ? "error" : "warning",
					  d->message);
	}
	return buf.data;
}

/* ---------- model ---------- */

FmModel *
fm_model_create(FmArena *arena)
{
	FmModel    *m = fm_alloc(arena, sizeof(FmModel));

	m->arena = arena;
	return m;
}

FmTable *
fm_model_add_table(FmModel *m, const char *schema, const char *name)
{
	FmTable    *t = fm_alloc(m->arena, sizeof(FmTable));

	t->schema = fm_strdup(m->arena, schema);
	t->name = fm_strdup(m->arena, name);
	fm_list_append(m->arena, &m->tables, t);
	return t;
}

FmColumn *
fm_table_add_column(FmModel *m, FmTable *t, const char *name)
{
	FmColumn   *c = fm_alloc(m->arena, sizeof(FmColumn));

	c->name = fm_strdup(m->arena, name);
	c->type.kind = FM_TYPE_BUILTIN;
	fm_list_append(m->arena, &t->columns, c);
	return c;
}

FmEnum *
fm_model_add_enum(FmModel *m, const char *schema, const char *name)
{
	FmEnum	   *e = fm_alloc(m->arena, sizeof(FmEnum));

	e->schema = fm_strdup(m->arena, schema);
	e->name = fm_strdup(m->arena, name);
	fm_list_append(m->arena, &m->enums, e);
	return e;
}

FmTable *
fm_model_find_table(const FmModel *m, const char *schema, const char *name)
{
	for (int i = 0; i < m->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);

		if (fm_streq(t->schema, schema) && fm_streq(t->name, name))
			return t;
	}
	return NULL;
}

FmEnum *
fm_model_find_enum(const FmModel *m, const char *schema, const char *name)
{
	for (int i = 0; i < m->enums.n; i++)
	{
		FmEnum	   *e = fm_list_get(&m->enums, i, FmEnum);

		if (fm_streq(e->schema, schema) && fm_streq(e->name, name))
			return e;
	}
	return NULL;
}

FmColumn *
fm_table_find_column(const FmTable *t, const char *name)
{
	for (int i = 0; i < t->columns.n; i++)
	{
		FmColumn   *c = fm_list_get(&t->columns, i, FmColumn);

		if (fm_streq(c->name, name))
			return c;
	}
	return NULL;
}

static char *
or_default(FmArena *arena, char *s, const char *schema)
{
	return s ? s : fm_strdup(arena, schema);
}

void
fm_model_set_default_schema(FmModel *m, const char *schema)
{
	for (int i = 0; i < m->enums.n; i++)
	{
		FmEnum	   *e = fm_list_get(&m->enums, i, FmEnum);

		e->schema = or_default(m->arena, e->schema, schema);
	}
	for (int i = 0; i < m->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);

		t->schema = or_default(m->arena, t->schema, schema);
		for (int j = 0; j < t->columns.n; j++)
		{
			FmColumn   *c = fm_list_get(&t->columns, j, FmColumn);

			if (c->type.kind == FM_TYPE_ENUM)
				c->type.enum_schema = or_default(m->arena, c->type.enum_schema, schema);
		}
		for (int j = 0; j < t->foreign_keys.n; j++)
		{
			FmForeignKey *fk = fm_list_get(&t->foreign_keys, j, FmForeignKey);

			fk->ref_schema = or_default(m->arena, fk->ref_schema, schema);
		}
	}
}

static int
table_cmp(const void *a, const void *b)
{
	const FmTable *x = *(const FmTable *const *) a;
	const FmTable *y = *(const FmTable *const *) b;
	int			r = fm_strcmp_null(x->schema, y->schema);

	return r ? r : fm_strcmp_null(x->name, y->name);
}

static int
enum_cmp(const void *a, const void *b)
{
	const FmEnum *x = *(const FmEnum *const *) a;
	const FmEnum *y = *(const FmEnum *const *) b;
	int			r = fm_strcmp_null(x->schema, y->schema);

	return r ? r : fm_strcmp_null(x->name, y->name);
}

void
fm_model_sort(FmModel *m)
{
	fm_list_sort(&m->tables, table_cmp);
	fm_list_sort(&m->enums, enum_cmp);
}

/* ---------- mapping every string ---------- */

#define MAP(field, pos) \
	do { if ((field) != NULL) (field) = fn(arg, (field), (pos)); } while (0)

static void
map_list(FmList *l, FmStrMapFn fn, void *arg, FmSrcPos pos)
{
	for (int i = 0; i < l->n; i++)
		MAP(l->items[i], pos);
}

static void
map_table(FmTable *t, FmStrMapFn fn, void *arg)
{
	MAP(t->schema, t->pos);
	MAP(t->name, t->pos);
	MAP(t->comment, t->pos);
	MAP(t->model_name, t->pos);
	for (int i = 0; i < t->columns.n; i++)
	{
		FmColumn   *c = fm_list_get(&t->columns, i, FmColumn);

		MAP(c->name, c->pos);
		MAP(c->type.sql, c->pos);
		MAP(c->type.enum_schema, c->pos);
		MAP(c->type.enum_name, c->pos);
		MAP(c->default_sql, c->pos);
		MAP(c->comment, c->pos);
		MAP(c->field_name, c->pos);
	}
	if (t->primary_key != NULL)
	{
		MAP(t->primary_key->name, t->primary_key->pos);
		map_list(&t->primary_key->columns, fn, arg, t->primary_key->pos);
	}
	for (int i = 0; i < t->uniques.n; i++)
	{
		FmKey	   *k = fm_list_get(&t->uniques, i, FmKey);

		MAP(k->name, k->pos);
		map_list(&k->columns, fn, arg, k->pos);
	}
	for (int i = 0; i < t->indexes.n; i++)
	{
		FmIndex    *ix = fm_list_get(&t->indexes, i, FmIndex);

		MAP(ix->name, ix->pos);
		MAP(ix->method, ix->pos);
		MAP(ix->predicate, ix->pos);
		map_list(&ix->include, fn, arg, ix->pos);
		for (int j = 0; j < ix->elems.n; j++)
		{
			FmIndexElem *el = fm_list_get(&ix->elems, j, FmIndexElem);

			MAP(el->column, ix->pos);
			MAP(el->expr, ix->pos);
			MAP(el->opclass_schema, ix->pos);
			MAP(el->opclass, ix->pos);
		}
	}
	for (int i = 0; i < t->foreign_keys.n; i++)
	{
		FmForeignKey *fk = fm_list_get(&t->foreign_keys, i, FmForeignKey);

		MAP(fk->name, fk->pos);
		MAP(fk->ref_schema, fk->pos);
		MAP(fk->ref_table, fk->pos);
		map_list(&fk->columns, fn, arg, fk->pos);
		map_list(&fk->ref_columns, fn, arg, fk->pos);
	}
	for (int i = 0; i < t->checks.n; i++)
	{
		FmCheck    *ck = fm_list_get(&t->checks, i, FmCheck);

		MAP(ck->name, ck->pos);
		MAP(ck->expr, ck->pos);
	}
}

void
fm_model_map_strings(FmModel *m, FmStrMapFn fn, void *arg)
{
	FmSrcPos	none = {0, 0};

	map_list(&m->schemas, fn, arg, none);
	MAP(m->provider, none);
	MAP(m->url, none);
	for (int i = 0; i < m->enums.n; i++)
	{
		FmEnum	   *e = fm_list_get(&m->enums, i, FmEnum);

		MAP(e->schema, e->pos);
		MAP(e->name, e->pos);
		MAP(e->comment, e->pos);
		MAP(e->enum_name, e->pos);
		for (int j = 0; j < e->values.n; j++)
		{
			FmEnumValue *v = fm_list_get(&e->values, j, FmEnumValue);

			MAP(v->name, v->pos);
			MAP(v->variant, v->pos);
		}
	}
	for (int i = 0; i < m->tables.n; i++)
		map_table(fm_list_get(&m->tables, i, FmTable), fn, arg);
}

#undef MAP
