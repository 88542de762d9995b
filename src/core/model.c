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

/*
 * fm_diags_init
 *		Make diags an empty list whose diagnostics are allocated in arena.
 */
void
fm_diags_init(FmDiagList *diags, FmArena *arena)
{
	memset(diags, 0, sizeof(*diags));
	diags->arena = arena;
}

/*
 * fm_diag_add
 *		Append a diagnostic of severity sev at pos, its message formatted
 *		from fmt (printf style, UTF-8), and count it as an error or warning.
 */
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

/* source order: line, then column */
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

/*
 * fm_diags_sort
 *		Sort the diagnostics by position, stable for one position; callers
 *		sort once, before reporting.
 */
void
fm_diags_sort(FmDiagList *diags)
{
	fm_list_sort(&diags->items, diag_cmp);
}

/*
 * fm_diags_to_text
 *		The diagnostics as text, one "line L, column C: error|warning:
 *		message" line each, in list order; "" for an empty list.
 */
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

/* a line "// file: NAME" of a joined text (fm_diags_name_files) */
typedef struct FileMark
{
	int			line;
	char	   *name;
} FileMark;

/*
 * The file (marks, of FileMark *, in line order) and the line in it of
 * line n, or NULL: the last marker before n, by binary search (a text may
 * have as many markers as diagnostics).
 */
static const FileMark *
file_of_line(const FmList *marks, int n, int *in_file)
{
	int			lo = 0,
				hi = marks->n;	/* markers [0, lo) are before n */
	const FileMark *in;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (fm_list_get(marks, mid, FileMark)->line < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	in = fm_list_get(marks, lo - 1, FileMark);
	*in_file = n - in->line;
	return in;
}

/*
 * name_line_mentions
 *		message, with each "line N" it mentions (the first definition of a
 *		name, say) followed by the file and the line in it.
 */
static char *
name_line_mentions(FmArena *arena, char *message, const FmList *marks)
{
	const char *p = strstr(message, "line ");
	FmBuf		b;
	const char *from = message;

	if (p == NULL)
		return message;
	fm_buf_init(&b, arena);
	for (; p != NULL; p = strstr(p, "line "))
	{
		const char *q = p + 5;
		int			n = 0;
		int			k;
		const FileMark *fm;

		if (*q < '0' || *q > '9')
		{
			p = q;
			continue;
		}
		while (*q >= '0' && *q <= '9' && n < 100000000)
			n = n * 10 + (*q++ - '0');
		if ((fm = file_of_line(marks, n, &k)) == NULL)
		{
			p = q;
			continue;
		}
		fm_buf_printf(&b, "%.*s (%s, line %d)", (int) (q - from), from, fm->name, k);
		from = q;
		p = q;
	}
	fm_buf_append(&b, from);
	return b.data;
}

/*
 * fm_diags_name_files
 *		See fm_model.h.  The marker lines are found by a scan of the text,
 *		made only when there are diagnostics; a marker names the file of
 *		the lines after it, up to the next marker.
 */
void
fm_diags_name_files(FmArena *arena, FmDiagList *diags, const char *text,
					size_t len)
{
	static const char marker[] = "// file: ";
	const size_t mlen = sizeof(marker) - 1;
	FmList		marks = {0};	/* of FileMark */
	const char *p = text;
	const char *end = text + len;
	int			line = 1;

	if (diags->items.n == 0 || text == NULL)
		return;
	while (p < end)
	{
		const char *nl = memchr(p, '\n', (size_t) (end - p));
		const char *eol = nl ? nl : end;

		if ((size_t) (eol - p) > mlen && memcmp(p, marker, mlen) == 0)
		{
			FileMark   *fm = fm_alloc(arena, sizeof(FileMark));
			size_t		n = (size_t) (eol - p) - mlen;

			if (n > 0 && p[mlen + n - 1] == '\r')
				n--;
			fm->line = line;
			fm->name = fm_strndup(arena, p + mlen, n);
			fm_list_append(arena, &marks, fm);
		}
		if (nl == NULL)
			break;
		p = nl + 1;
		line++;
	}
	if (marks.n == 0)
		return;
	for (int i = 0; i < diags->items.n; i++)
	{
		FmDiag	   *d = fm_list_get(&diags->items, i, FmDiag);
		int			k;
		const FileMark *in = file_of_line(&marks, d->pos.line, &k);

		d->message = name_line_mentions(arena, d->message, &marks);
		if (in != NULL)
			d->message = fm_psprintf(arena, "%s (%s, line %d)", d->message,
									 in->name, k);
	}
}

/* ---------- model ---------- */

/*
 * fm_model_create
 *		A new, empty model allocated in arena; everything added to it is
 *		allocated there too.
 */
FmModel *
fm_model_create(FmArena *arena)
{
	FmModel    *m = fm_alloc(arena, sizeof(FmModel));

	m->arena = arena;
	return m;
}

/*
 * fm_model_add_table
 *		Append a new table schema.name (schema may be NULL: the current
 *		schema) to m and return it, with no columns.
 */
FmTable *
fm_model_add_table(FmModel *m, const char *schema, const char *name)
{
	return fm_model_add_table_kept(m, fm_strdup(m->arena, schema),
								   fm_strdup(m->arena, name));
}

/*
 * fm_model_add_table_kept
 *		fm_model_add_table with schema and name kept, not copied: the
 *		caller's strings live as long as the model (or are adopted into it).
 */
FmTable *
fm_model_add_table_kept(FmModel *m, char *schema, char *name)
{
	FmTable    *t = fm_alloc(m->arena, sizeof(FmTable));

	t->schema = schema;
	t->name = name;
	fm_list_append(m->arena, &m->tables, t);
	return t;
}

/*
 * fm_table_add_column
 *		Append a new column of builtin type (no SQL type yet) to t and
 *		return it.
 */
FmColumn *
fm_table_add_column(FmModel *m, FmTable *t, const char *name)
{
	return fm_table_add_column_kept(m, t, fm_strdup(m->arena, name));
}

/*
 * fm_table_add_column_kept
 *		fm_table_add_column with name kept, not copied: the caller's string
 *		lives as long as the model (or is adopted into it).
 */
FmColumn *
fm_table_add_column_kept(FmModel *m, FmTable *t, char *name)
{
	FmColumn   *c = fm_alloc(m->arena, sizeof(FmColumn));

	c->name = name;
	c->type.kind = FM_TYPE_BUILTIN;
	fm_list_append(m->arena, &t->columns, c);
	return c;
}

/*
 * fm_key_of_column
 *		A new key of m (no name, not added to a table) of the one column
 *		name, kept, not copied: the slot of its list of columns is allocated
 *		with it, as most keys of a schema are @unique on one field.
 */
FmKey *
fm_key_of_column(FmModel *m, char *name)
{
	FmKey	   *key = fm_alloc(m->arena, sizeof(FmKey) + sizeof(void *));

	key->columns.items = (void **) (key + 1);
	key->columns.items[0] = name;
	key->columns.n = 1;
	key->columns.cap = 1;
	return key;
}

const FmColumnMore fm_column_no_more;

/*
 * fm_column_more
 *		The FmColumnMore of c, made in arena (all NULL) when c has none:
 *		for setting one of its properties.
 */
FmColumnMore *
fm_column_more(FmArena *arena, FmColumn *c)
{
	if (c->more == NULL)
		c->more = fm_alloc(arena, sizeof(FmColumnMore));
	return c->more;
}

/*
 * fm_column_copy
 *		A shallow copy of c in arena (its strings shared), with a copy of
 *		its FmColumnMore: setting a property of the copy leaves c alone.
 */
FmColumn *
fm_column_copy(FmArena *arena, const FmColumn *c)
{
	FmColumn   *n = fm_alloc(arena, sizeof(FmColumn));

	*n = *c;
	if (c->more != NULL)
	{
		n->more = fm_alloc(arena, sizeof(FmColumnMore));
		*n->more = *c->more;
	}
	return n;
}

/*
 * fm_model_add_enum
 *		Append a new enum type schema.name to m and return it, with no labels.
 */
FmEnum *
fm_model_add_enum(FmModel *m, const char *schema, const char *name)
{
	FmEnum	   *e = fm_alloc(m->arena, sizeof(FmEnum));

	e->schema = fm_strdup(m->arena, schema);
	e->name = fm_strdup(m->arena, name);
	fm_list_append(m->arena, &m->enums, e);
	return e;
}

/*
 * fm_model_find_table
 *		The table schema.name of m, or NULL; NULL schemas match only each
 *		other.  A linear scan: for lookups of one table, not in loops over all.
 */
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

/*
 * fm_model_find_enum
 *		The enum schema.name of m, or NULL; NULL schemas match only each
 *		other.
 */
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

/*
 * fm_table_find_column
 *		The column of t named name, or NULL.
 */
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

/* s, or a copy of schema when s is NULL */
static char *
or_default(FmArena *arena, char *s, const char *schema)
{
	return s ? s : fm_strdup(arena, schema);
}

/*
 * fm_model_set_default_schema
 *		Replace every NULL schema of m (tables, enums, the enum types of
 *		columns, the referenced tables of foreign keys) with schema.  The
 *		backend calls it with the current schema before comparing with the
 *		catalog.
 */
void
fm_model_set_default_schema(FmModel *m, const char *schema)
{
	for (int i = 0; i < m->sequences.n; i++)
	{
		FmSequence *sq = fm_list_get(&m->sequences, i, FmSequence);

		sq->schema = or_default(m->arena, sq->schema, schema);
	}
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
		if (t->part_parent != NULL)
			t->part_parent_schema = or_default(m->arena, t->part_parent_schema, schema);
		for (int j = 0; j < t->inherits.n; j++)
		{
			FmTableRef *ref = fm_list_get(&t->inherits, j, FmTableRef);

			ref->schema = or_default(m->arena, ref->schema, schema);
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

int
fm_option_cmp(const void *a, const void *b)
{
	const FmOption *x = *(const FmOption *const *) a;
	const FmOption *y = *(const FmOption *const *) b;

	return strcmp(x->name, y->name);
}

/*
 * fm_model_sort
 *		Sort the tables, enums and sequences of m by (schema, name), the canonical
 *		order; columns, keys and labels keep their order.
 */
void
fm_model_sort(FmModel *m)
{
	fm_list_sort(&m->tables, table_cmp);
	fm_list_sort(&m->enums, enum_cmp);
	fm_list_sort(&m->sequences, fm_sequence_cmp);
}

void
fm_table_add_reason(FmArena *arena, FmTable *t, const char *why)
{
	t->ignore_reason = t->ignore_reason ?
		fm_psprintf(arena, "%s\n%s", t->ignore_reason, why) : fm_strdup(arena, why);
}

/* ---------- mapping every string ---------- */

#define MAP(field, pos) \
	do { if ((field) != NULL) (field) = fn(arg, (field), (pos)); } while (0)

/* MAP every string of a list of strings, with the position pos */
static void
map_list(FmList *l, FmStrMapFn fn, void *arg, FmSrcPos pos)
{
	for (int i = 0; i < l->n; i++)
		MAP(l->items[i], pos);
}

/* MAP every string of table t: see fm_model_map_strings() */
static void
map_table(FmTable *t, FmStrMapFn fn, void *arg)
{
	MAP(t->schema, t->pos);
	MAP(t->name, t->pos);
	MAP(t->comment, t->pos);
	MAP(t->model_name, t->pos);
	MAP(t->renamed_from, t->pos);
	MAP(t->renamed_from_written, t->pos);
	MAP(t->ignore_reason, t->pos);
	for (int i = 0; i < t->columns.n; i++)
	{
		FmColumn   *c = fm_list_get(&t->columns, i, FmColumn);

		MAP(c->name, c->pos);
		MAP(c->type.sql, c->pos);
		MAP(c->type.enum_schema, c->pos);
		MAP(c->type.enum_name, c->pos);
		MAP(c->default_sql, c->pos);
		if (c->more != NULL)
			MAP(c->more->comment, c->pos);
		MAP(c->field_name, c->pos);
		if (c->more != NULL)
		{
			FmColumnMore *x = c->more;

			if (x->identity != NULL)
			{
				MAP(x->identity->start, c->pos);
				MAP(x->identity->increment, c->pos);
				MAP(x->identity->minvalue, c->pos);
				MAP(x->identity->maxvalue, c->pos);
			}
			MAP(x->generated, c->pos);
			MAP(x->collation_schema, c->pos);
			MAP(x->collation, c->pos);
			MAP(x->domain_base, c->pos);
			MAP(x->domain_enum_schema, c->pos);
			MAP(x->domain_enum_name, c->pos);
			MAP(x->array_type_name, c->pos);
			MAP(x->seq_schema, c->pos);
			MAP(x->seq_name, c->pos);
			MAP(x->renamed_from, c->pos);
			MAP(x->renamed_from_written, c->pos);
		}
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
			MAP(el->collation, ix->pos);
			MAP(el->collation_schema, ix->pos);
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
	for (int i = 0; i < t->storage.n; i++)
	{
		FmOption   *o = fm_list_get(&t->storage, i, FmOption);

		MAP(o->name, t->pos);
		MAP(o->value, t->pos);
	}
	if (t->partition_by != NULL)
	{
		MAP(t->partition_by->strategy, t->partition_by->pos);
		for (int j = 0; j < t->partition_by->elems.n; j++)
		{
			FmIndexElem *el = fm_list_get(&t->partition_by->elems, j, FmIndexElem);

			MAP(el->column, t->partition_by->pos);
			MAP(el->expr, t->partition_by->pos);
		}
	}
	MAP(t->part_parent_schema, t->pos);
	MAP(t->part_parent, t->pos);
	MAP(t->part_bound, t->pos);
	for (int i = 0; i < t->inherits.n; i++)
	{
		FmTableRef *ref = fm_list_get(&t->inherits, i, FmTableRef);

		MAP(ref->schema, t->pos);
		MAP(ref->name, t->pos);
	}
	for (int i = 0; i < t->exclusions.n; i++)
	{
		FmExclusion *x = fm_list_get(&t->exclusions, i, FmExclusion);

		MAP(x->name, x->pos);
		MAP(x->method, x->pos);
		MAP(x->predicate, x->pos);
		for (int j = 0; j < x->elems.n; j++)
		{
			FmExclElem *e = fm_list_get(&x->elems, j, FmExclElem);

			MAP(e->column, x->pos);
			MAP(e->op_schema, x->pos);
			MAP(e->op, x->pos);
		}
	}
}

/*
 * fm_model_map_strings
 *		Replace every string of m with fn(arg, s, pos), pos its position in
 *		the schema text (0:0 when it has none).  NULL strings are not passed.
 *
 * This is the one list of the model's strings (fm_model.h): a field added
 * to the model is added here, or the backend would leave it in UTF-8 when
 * it moves a model into the database encoding.
 */
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
		MAP(e->renamed_from, e->pos);
		MAP(e->renamed_from_written, e->pos);
		for (int j = 0; j < e->values.n; j++)
		{
			FmEnumValue *v = fm_list_get(&e->values, j, FmEnumValue);

			MAP(v->name, v->pos);
			MAP(v->variant, v->pos);
			MAP(v->renamed_from, v->pos);
			MAP(v->renamed_from_written, v->pos);
		}
	}
	for (int i = 0; i < m->extensions.n; i++)
	{
		FmExtension *x = fm_list_get(&m->extensions, i, FmExtension);

		MAP(x->name, x->pos);
		MAP(x->schema, x->pos);
		MAP(x->version, x->pos);
	}
	for (int i = 0; i < m->tables.n; i++)
		map_table(fm_list_get(&m->tables, i, FmTable), fn, arg);
	for (int i = 0; i < m->sequences.n; i++)
	{
		FmSequence *sq = fm_list_get(&m->sequences, i, FmSequence);

		MAP(sq->schema, sq->pos);
		MAP(sq->name, sq->pos);
	}
}

#undef MAP

/* fm_model_adopt_strings: the state of its fm_model_map_strings() callback */
typedef struct Adopt
{
	FmArena    *arena;			/* the model's */
	FmArenaSpans spans;			/* of from */
	FmInterner	copies;			/* the copies; its table in from */
} Adopt;

static char *
adopt_string(void *arg, char *s, FmSrcPos pos)
{
	Adopt	   *ad = arg;

	(void) pos;
	if (!fm_arena_spans_has(&ad->spans, s))
		return s;
	return fm_intern(ad->arena, &ad->copies, s, strlen(s));
}

/*
 * fm_model_adopt_strings
 *		See fm_model.h.  The copies are shared (each distinct string once),
 *		so they must not be changed in place (no string of the model is);
 *		what finds them is built in from, freed with it.
 */
void
fm_model_adopt_strings(FmModel *m, FmArena *from)
{
	Adopt		ad;

	memset(&ad, 0, sizeof(ad));
	ad.arena = m->arena;
	ad.copies.table_arena = from;
	fm_arena_spans(m->arena, from, &ad.spans);
	fm_model_map_strings(m, adopt_string, &ad);
}
