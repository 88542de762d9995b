/*-------------------------------------------------------------------------
 *
 * diff.c
 *	  Compare two schema models and produce the ordered plan of DDL steps
 *	  that takes a database from the first to the second.
 *
 * Objects are matched by name with sorted merges (tables and enums by
 * (schema, name), columns and constraints by name within their table), so
 * the cost is O(n log n) in the number of objects.  Every step is
 * recorded with its phase (FmPhase) and object name; the plan is then
 * stably sorted by (phase, object, creation order), which keeps the
 * multi-statement sequences of one object (an enum recreation, the
 * alterations of one column) in the order they were made.
 *
 * Values are compared after offline normalization (normalize.c): types in
 * format_type() spelling, defaults/CHECKs/predicates as canonical
 * expression text.  A unique index that is nothing more than a unique
 * constraint (btree, plain columns, default ordering, no INCLUDE or
 * predicate) compares equal to a unique constraint of the same name and
 * columns.  All non-NONE FmAutoinc kinds compare equal.
 *
 * Hazard conventions (for the backend's live-data figures):
 *	  DROP_TABLE			hazard_schema/table
 *	  DROP_COLUMN, SET_NOT_NULL, ADD_REQUIRED_COLUMN
 *							hazard_schema/table/column
 *	  ALTER_TYPE			hazard_schema/table/column, hazard_extra = the new
 *							type as rendered in the DDL, hazard_old_type =
 *							the live type as rendered, hazard_using = the
 *							USING expression the DDL carries (NULL: none);
 *							the DDL is built from these same strings
 *	  ADD_UNIQUE			hazard_schema/table, hazard_extra = the key's
 *							elements, quoted and comma-separated (usable in
 *							GROUP BY); hazard_column = the first column;
 *							hazard_predicate = a partial index's predicate
 *	  ADD_CHECK				hazard_schema/table, hazard_extra = expression
 *	  ADD_FOREIGN_KEY		hazard_schema/table (referencing table),
 *							hazard_extra = the constraint name
 *	  DROP_ENUM_VALUE		on the first step of the recreation sequence:
 *							hazard_schema/table = the enum, hazard_column =
 *							the first removed label, hazard_extra = every
 *							removed label as quoted literals, comma-separated
 *	  DROP_ENUM				hazard_schema/table = the enum
 * Steps on objects created by the same plan carry no hazard.
 *
 * src/core/diff.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "fm_diff_int.h"

typedef struct StepRec
{
	FmStep		step;
	int			seq;
} StepRec;

typedef struct Diff
{
	FmArena    *a;
	FmRender	r;
	FmList		recs;			/* of StepRec * */
	int			seq;
	/* sorted "schema\x1ftable\x1fcols..." of from-side unique keys dropped */
	char	  **dropped_keys;
	int			ndropped;
	int			capdropped;
	/* sorted "schema\x1ftable\x1fcolumn" of columns whose type changes */
	char	  **retyped;
	int			nretyped;
	int			capretyped;
	/* sorted "schema\x1fname\x1edefault" of enum column defaults in to */
	char	  **enum_defaults;
	int			nenum_defaults;
	int			capenum_defaults;
	/* sorted "schema\x1fname" of enums recreated */
	char	  **recreated;
	int			nrecreated;
	int			caprecreated;
	/* sorted "schema\x1fname" of the relations of to: tables, keys, indexes */
	char	  **relnames;
	int			nrelnames;
	int			caprelnames;
} Diff;

typedef struct TablePair
{
	const FmTable *from;
	const FmTable *to;
} TablePair;

static const char SENTINEL_DEFAULT[] = "\x01serial";

/* ---------- small helpers ---------- */

static int
name_cmp(const char *s1, const char *n1, const char *s2, const char *n2)
{
	int			c = fm_strcmp_null(s1, s2);

	return c ? c : fm_strcmp_null(n1, n2);
}

static int
table_ptr_cmp(const void *a, const void *b)
{
	const FmTable *x = *(const FmTable *const *) a;
	const FmTable *y = *(const FmTable *const *) b;

	return name_cmp(x->schema, x->name, y->schema, y->name);
}

static int
enum_ptr_cmp(const void *a, const void *b)
{
	const FmEnum *x = *(const FmEnum *const *) a;
	const FmEnum *y = *(const FmEnum *const *) b;

	return name_cmp(x->schema, x->name, y->schema, y->name);
}

static int
str_ptr_cmp(const void *a, const void *b)
{
	return fm_strcmp_null(*(const char *const *) a, *(const char *const *) b);
}

/* a sorted copy of a list's items */
static void **
sorted_copy(FmArena *a, const FmList *list, int (*cmp) (const void *, const void *))
{
	void	  **arr = fm_alloc(a, sizeof(void *) * (size_t) (list->n + 1));

	if (list->n > 0)
	{
		memcpy(arr, list->items, sizeof(void *) * (size_t) list->n);
		qsort(arr, (size_t) list->n, sizeof(void *), cmp);
	}
	return arr;
}

static bool
comment_eq(const char *a, const char *b)
{
	if (a && !*a)
		a = NULL;
	if (b && !*b)
		b = NULL;
	return fm_streq(a, b);
}

static bool
name_list_eq(const FmList *a, const FmList *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (!fm_streq(fm_list_get(a, i, char), fm_list_get(b, i, char)))
			return false;
	return true;
}

static bool
expr_eq(FmArena *a, const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	if (strcmp(x, y) == 0)
		return true;
	return fm_streq(fm_normalize_expr(a, x), fm_normalize_expr(a, y));
}

static char *
clip_ident(FmArena *a, const char *s)
{
	size_t		len = strlen(s);

	if (len <= FM_MAX_IDENT_LEN)
		return fm_strdup(a, s);
	len = FM_MAX_IDENT_LEN;
	/* do not split a UTF-8 sequence */
	while (len > 0 && ((unsigned char) s[len] & 0xC0) == 0x80)
		len--;
	return fm_strndup(a, s, len);
}

/* sorted string sets (sorted once, after all insertions of a pass) */
static void
set_add(Diff *d, char ***arr, int *n, int *cap, char *s)
{
	if (*n >= *cap)
	{
		int			ncap = *cap ? *cap * 2 : 16;
		char	  **na = fm_alloc(d->a, sizeof(char *) * (size_t) ncap);

		if (*n)
			memcpy(na, *arr, sizeof(char *) * (size_t) *n);
		*arr = na;
		*cap = ncap;
	}
	(*arr)[(*n)++] = s;
}

static bool
set_has(char **arr, int n, const char *s)
{
	if (n == 0)
		return false;
	return bsearch(&s, arr, (size_t) n, sizeof(char *), str_ptr_cmp) != NULL;
}

static char *
enum_key(FmArena *a, const char *schema, const char *name)
{
	return fm_psprintf(a, "%s\x1f%s", schema ? schema : "", name ? name : "");
}

/* key of a unique column set: columns sorted, so FK references match */
static char *
colset_key(FmArena *a, const char *schema, const char *table, const FmList *cols)
{
	FmBuf		b;
	char	  **arr = (char **) sorted_copy(a, cols, str_ptr_cmp);

	fm_buf_init(&b, a);
	fm_buf_printf(&b, "%s\x1f%s", schema ? schema : "", table ? table : "");
	for (int i = 0; i < cols->n; i++)
	{
		fm_buf_append_char(&b, '\x1f');
		fm_buf_append(&b, arr[i] ? arr[i] : "");
	}
	return b.data;
}

static FmStep *
add_step(Diff *d, FmPhase phase, const char *action, char *object, char *ddl)
{
	StepRec    *rec = fm_alloc(d->a, sizeof(StepRec));

	rec->step.phase = phase;
	rec->step.action = action;
	rec->step.object = object;
	rec->step.ddl = ddl;
	rec->step.hazard = FM_HAZARD_NONE;
	rec->seq = d->seq++;
	fm_list_append(d->a, &d->recs, rec);
	return &rec->step;
}

static void
set_hazard(FmStep *s, FmHazardKind kind, const char *schema, const char *table,
		   const char *column, char *extra, bool data_loss)
{
	s->hazard = kind;
	s->hazard_schema = (char *) schema;
	s->hazard_table = (char *) table;
	s->hazard_column = (char *) column;
	s->hazard_extra = extra;
	s->data_loss = data_loss;
}

static void
begin_alter(Diff *d, FmBuf *b, const FmTable *t)
{
	fm_buf_init(b, d->a);
	fm_buf_append(b, "ALTER TABLE ");
	fm_r_qname(&d->r, b, t->schema, t->name);
	fm_buf_append_char(b, ' ');
}

static char *
col_object(Diff *d, const FmTable *t, const char *col)
{
	return fm_psprintf(d->a, "%s.%s", fm_object_name(d->a, t->schema, t->name),
					   col ? col : "");
}

static char *
sub_object(Diff *d, const char *schema, const char *table, const char *name)
{
	return fm_psprintf(d->a, "%s.%s", fm_object_name(d->a, schema, table),
					   name ? name : "");
}

/* ---------- types and casts ---------- */

static bool
type_eq(FmArena *a, const FmType *x, const FmType *y)
{
	if (x->kind == FM_TYPE_ENUM || y->kind == FM_TYPE_ENUM)
		return x->kind == y->kind && x->array == y->array &&
			name_cmp(x->enum_schema, x->enum_name, y->enum_schema, y->enum_name) == 0;
	if (fm_streq(x->sql, y->sql))
		return true;
	return fm_streq(fm_normalize_type(a, x->sql), fm_normalize_type(a, y->sql));
}

/* "character varying(10)" -> "character varying"; typmod in *mod */
static char *
type_base(FmArena *a, const char *norm, char **mod)
{
	FmBuf		b;
	const char *p = norm;

	fm_buf_init(&b, a);
	*mod = NULL;
	while (*p)
	{
		if (*p == '(')
		{
			const char *e = strchr(p, ')');

			if (e == NULL)
				break;
			*mod = fm_strndup(a, p + 1, (size_t) (e - p - 1));
			p = e + 1;
			continue;
		}
		fm_buf_append_char(&b, *p++);
	}
	return b.data;
}

static bool
is_string_type(const char *base)
{
	return strcmp(base, "text") == 0 || strcmp(base, "character varying") == 0 ||
		strcmp(base, "character") == 0 || strcmp(base, "bpchar") == 0 ||
		strcmp(base, "citext") == 0 || strcmp(base, "name") == 0;
}

static int
numeric_rank(const char *base)
{
	static const char *const ranks[] = {
		"smallint", "integer", "bigint", "real", "double precision", "numeric",
		"oid", NULL
	};

	for (int i = 0; ranks[i]; i++)
		if (strcmp(base, ranks[i]) == 0)
			return i + 1;
	return 0;
}

static bool
in_group(const char *x, const char *y, const char *const *group)
{
	bool		fx = false,
				fy = false;

	for (int i = 0; group[i]; i++)
	{
		if (strcmp(x, group[i]) == 0)
			fx = true;
		if (strcmp(y, group[i]) == 0)
			fy = true;
	}
	return fx && fy;
}

/*
 * Built-in knowledge of PostgreSQL's implicit and assignment casts: true
 * when ALTER COLUMN ... TYPE needs no USING clause.  Types are normalized.
 */
static bool
builtin_cast_ok(FmArena *a, const char *from, const char *to)
{
	static const char *const datetime[] = {
		"timestamp without time zone", "timestamp with time zone", "date",
		"time without time zone", "time with time zone", NULL
	};
	static const char *const bits[] = {"bit", "bit varying", NULL};
	static const char *const nets[] = {"inet", "cidr", NULL};
	char	   *fm,
			   *tm;
	char	   *fb,
			   *tb;
	bool		farr,
				tarr;

	if (from == NULL || to == NULL)
		return false;
	farr = strstr(from, "[]") != NULL;
	tarr = strstr(to, "[]") != NULL;
	fb = type_base(a, from, &fm);
	tb = type_base(a, to, &tm);
	if (strcmp(fb, tb) == 0)
		return true;			/* typmod change: length coercion */
	if (is_string_type(tb) && !tarr)
		return true;			/* I/O conversion to a string type */
	if (farr || tarr)
		return false;
	if (numeric_rank(fb) && numeric_rank(tb))
		return true;
	if (in_group(fb, tb, datetime))
	{
		/* date <- time has no cast; time <- date neither */
		bool		fdate = strcmp(fb, "date") == 0,
					tdate = strcmp(tb, "date") == 0;
		bool		ftime = strncmp(fb, "time ", 5) == 0,
					ttime = strncmp(tb, "time ", 5) == 0;

		if ((fdate && ttime) || (ftime && tdate))
			return false;
		if (ftime && !ttime)
			return false;		/* time -> timestamp: no cast */
		return true;
	}
	if (in_group(fb, tb, bits) || in_group(fb, tb, nets))
		return true;
	return false;
}

static bool
builtin_widening(FmArena *a, const char *from, const char *to)
{
	char	   *fm,
			   *tm;
	char	   *fb = type_base(a, from, &fm);
	char	   *tb = type_base(a, to, &tm);
	int			fr,
				tr;

	if (strcmp(fb, tb) == 0)
	{
		if (tm == NULL)
			return true;		/* unconstrained */
		if (fm == NULL)
			return false;
		if (strcmp(fb, "numeric") == 0)
		{
			int			fp = atoi(fm),
						fs = strchr(fm, ',') ? atoi(strchr(fm, ',') + 1) : 0;
			int			tp = atoi(tm),
						ts = strchr(tm, ',') ? atoi(strchr(tm, ',') + 1) : 0;

			return ts >= fs && tp - ts >= fp - fs;
		}
		return atoi(tm) >= atoi(fm);
	}
	if (strcmp(tb, "text") == 0 || (strcmp(tb, "character varying") == 0 && tm == NULL))
		return strstr(to, "[]") == NULL || strstr(from, "[]") != NULL;
	if (strcmp(fb, "character varying") == 0 && strcmp(tb, "character varying") == 0)
		return tm == NULL || (fm && atoi(tm) >= atoi(fm));
	fr = numeric_rank(fb);
	tr = numeric_rank(tb);
	if (fr && tr)
	{
		if (strcmp(tb, "numeric") == 0)
			return tm == NULL && fr != 7;
		if (strcmp(fb, "smallint") == 0)
			return tr >= 2 && tr <= 5;
		if (strcmp(fb, "integer") == 0)
			return strcmp(tb, "bigint") == 0 || strcmp(tb, "double precision") == 0;
		if (strcmp(fb, "real") == 0)
			return strcmp(tb, "double precision") == 0;
		return false;
	}
	if (strcmp(fb, "date") == 0 && strncmp(tb, "timestamp", 9) == 0)
		return true;
	if (strncmp(fb, "timestamp", 9) == 0 && strncmp(tb, "timestamp", 9) == 0)
		return true;
	if (strcmp(fb, "cidr") == 0 && strcmp(tb, "inet") == 0)
		return true;
	return false;
}

/* ---------- schemas ---------- */

static void
diff_schemas(Diff *d, const FmModel *from, const FmModel *to)
{
	FmList		have = {0};
	FmList		want = {0};
	char	  **h,
			  **w;

	for (int i = 0; i < from->schemas.n; i++)
		fm_list_append(d->a, &have, from->schemas.items[i]);
	for (int i = 0; i < from->tables.n; i++)
		if (fm_list_get(&from->tables, i, FmTable)->schema)
			fm_list_append(d->a, &have, fm_list_get(&from->tables, i, FmTable)->schema);
	for (int i = 0; i < from->enums.n; i++)
		if (fm_list_get(&from->enums, i, FmEnum)->schema)
			fm_list_append(d->a, &have, fm_list_get(&from->enums, i, FmEnum)->schema);
	for (int i = 0; i < to->tables.n; i++)
		if (fm_list_get(&to->tables, i, FmTable)->schema)
			fm_list_append(d->a, &want, fm_list_get(&to->tables, i, FmTable)->schema);
	for (int i = 0; i < to->enums.n; i++)
		if (fm_list_get(&to->enums, i, FmEnum)->schema)
			fm_list_append(d->a, &want, fm_list_get(&to->enums, i, FmEnum)->schema);
	h = (char **) sorted_copy(d->a, &have, str_ptr_cmp);
	w = (char **) sorted_copy(d->a, &want, str_ptr_cmp);
	for (int i = 0; i < want.n; i++)
	{
		FmBuf		b;

		if (i > 0 && strcmp(w[i], w[i - 1]) == 0)
			continue;
		if (set_has(h, have.n, w[i]))
			continue;
		fm_buf_init(&b, d->a);
		fm_buf_append(&b, "CREATE SCHEMA IF NOT EXISTS ");
		fm_r_ident(&d->r, &b, w[i]);
		fm_buf_append_char(&b, ';');
		add_step(d, FM_PHASE_CREATE_SCHEMA, "CreateSchema", fm_strdup(d->a, w[i]), b.data);
	}
}

/*
 * Extensions of to that from does not have (by name): CREATE EXTENSION IF
 * NOT EXISTS, after the schemas (WITH SCHEMA may name one of them).  None
 * is ever dropped: a database holds extensions the schema does not list.
 */
static void
diff_extensions(Diff *d, const FmModel *from, const FmModel *to)
{
	for (int i = 0; i < to->extensions.n; i++)
	{
		FmExtension *e = fm_list_get(&to->extensions, i, FmExtension);
		bool		have = false;
		FmBuf		b;

		for (int j = 0; j < from->extensions.n && !have; j++)
			have = fm_streq(fm_list_get(&from->extensions, j, FmExtension)->name, e->name);
		if (have)
			continue;
		fm_buf_init(&b, d->a);
		fm_buf_append(&b, "CREATE EXTENSION IF NOT EXISTS ");
		fm_r_ident(&d->r, &b, e->name);
		if (e->schema)
		{
			fm_buf_append(&b, " WITH SCHEMA ");
			fm_r_ident(&d->r, &b, e->schema);
		}
		if (e->version)
		{
			fm_buf_append(&b, " VERSION ");
			fm_r_literal(&d->r, &b, e->version);
		}
		fm_buf_append_char(&b, ';');
		add_step(d, FM_PHASE_CREATE_EXTENSION, "CreateExtension", fm_strdup(d->a, e->name), b.data);
	}
}

/* ---------- enums ---------- */

static void
comment_step(Diff *d, const char *what, const char *schema, const char *name,
			 const char *col, const char *comment)
{
	FmBuf		b;
	char	   *obj;

	fm_buf_init(&b, d->a);
	fm_buf_printf(&b, "COMMENT ON %s ", what);
	fm_r_qname(&d->r, &b, schema, name);
	if (col)
	{
		fm_buf_append_char(&b, '.');
		fm_r_ident(&d->r, &b, col);
	}
	fm_buf_append(&b, " IS ");
	if (comment && *comment)
		fm_r_literal(&d->r, &b, comment);
	else
		fm_buf_append(&b, "NULL");
	fm_buf_append_char(&b, ';');
	obj = col ? sub_object(d, schema, name, col) : fm_object_name(d->a, schema, name);
	add_step(d, FM_PHASE_COMMENT, "Comment", obj, b.data);
}

static char *
create_enum_ddl(Diff *d, const FmEnum *e)
{
	FmBuf		b;

	fm_buf_init(&b, d->a);
	fm_buf_append(&b, "CREATE TYPE ");
	fm_r_qname(&d->r, &b, e->schema, e->name);
	fm_buf_append(&b, " AS ENUM (");
	for (int i = 0; i < e->values.n; i++)
	{
		if (i > 0)
			fm_buf_append(&b, ", ");
		fm_r_literal(&d->r, &b, fm_list_get(&e->values, i, FmEnumValue)->name);
	}
	fm_buf_append(&b, ");");
	return b.data;
}

typedef struct LabelPos
{
	const char *label;
	int			pos;
} LabelPos;

static int
labelpos_cmp(const void *a, const void *b)
{
	return fm_strcmp_null(((const LabelPos *) a)->label, ((const LabelPos *) b)->label);
}

static LabelPos *
label_index(FmArena *a, const FmEnum *e)
{
	LabelPos   *arr = fm_alloc(a, sizeof(LabelPos) * (size_t) (e->values.n + 1));

	for (int i = 0; i < e->values.n; i++)
	{
		arr[i].label = fm_list_get(&e->values, i, FmEnumValue)->name;
		arr[i].pos = i;
	}
	qsort(arr, (size_t) e->values.n, sizeof(LabelPos), labelpos_cmp);
	return arr;
}

static int
label_find(const LabelPos *idx, int n, const char *label)
{
	LabelPos	key = {label, 0};
	const LabelPos *hit;

	if (n == 0)
		return -1;
	hit = bsearch(&key, idx, (size_t) n, sizeof(LabelPos), labelpos_cmp);
	return hit ? hit->pos : -1;
}

static void
diff_enum_pair(Diff *d, const FmEnum *fe, const FmEnum *te)
{
	int			nf = fe->values.n,
				nt = te->values.n;
	LabelPos   *fidx = label_index(d->a, fe);
	LabelPos   *tidx = label_index(d->a, te);
	bool		add_only = true;
	int			last = -1;
	char	   *obj = fm_object_name(d->a, te->schema, te->name);

	for (int i = 0; i < nf; i++)
	{
		int			p = label_find(tidx, nt, fm_list_get(&fe->values, i, FmEnumValue)->name);

		if (p < 0 || p < last)
		{
			add_only = false;
			break;
		}
		last = p;
	}

	/*
	 * A value added by ALTER TYPE ... ADD VALUE cannot be used in the same
	 * transaction ("unsafe use of new value"), so when a column default of
	 * the target names an added value, recreate the type instead: values
	 * of a type created in the transaction are safe to use.
	 */
	if (add_only && d->nenum_defaults > 0)
	{
		char	   *prefix = fm_psprintf(d->a, "%s\x1e", enum_key(d->a, te->schema, te->name));
		size_t		plen = strlen(prefix);
		int			lo = 0,
					hi = d->nenum_defaults;

		while (lo < hi)
		{
			int			mid = (lo + hi) / 2;

			if (strcmp(d->enum_defaults[mid], prefix) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; add_only && lo < d->nenum_defaults &&
			 strncmp(d->enum_defaults[lo], prefix, plen) == 0; lo++)
		{
			for (int i = 0; i < nt; i++)
			{
				const char *label = fm_list_get(&te->values, i, FmEnumValue)->name;

				if (label_find(fidx, nf, label) >= 0)
					continue;
				if (strstr(d->enum_defaults[lo] + plen, fm_sql_string(d->a, label)))
				{
					add_only = false;
					break;
				}
			}
		}
	}

	if (add_only)
	{
		for (int i = 0; i < nt; i++)
		{
			const char *label = fm_list_get(&te->values, i, FmEnumValue)->name;
			FmBuf		b;

			if (label_find(fidx, nf, label) >= 0)
				continue;
			fm_buf_init(&b, d->a);
			fm_buf_append(&b, "ALTER TYPE ");
			fm_r_qname(&d->r, &b, te->schema, te->name);
			fm_buf_append(&b, " ADD VALUE ");
			fm_r_literal(&d->r, &b, label);
			if (i > 0)
			{
				fm_buf_append(&b, " AFTER ");
				fm_r_literal(&d->r, &b, fm_list_get(&te->values, i - 1, FmEnumValue)->name);
			}
			else if (nf > 0)
			{
				/* before the first value that already exists */
				for (int j = 1; j < nt; j++)
				{
					const char *nx = fm_list_get(&te->values, j, FmEnumValue)->name;

					if (label_find(fidx, nf, nx) >= 0)
					{
						fm_buf_append(&b, " BEFORE ");
						fm_r_literal(&d->r, &b, nx);
						break;
					}
				}
			}
			fm_buf_append_char(&b, ';');
			add_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", obj, b.data);
		}
	}
	else
	{
		/* removed or reordered values: rename, create, convert, drop old */
		char	   *oldname = clip_ident(d->a, fm_psprintf(d->a, "%s_old", te->name));
		FmBuf		b,
					removed;
		FmStep	   *s;
		const char *first_removed = NULL;

		fm_buf_init(&removed, d->a);
		for (int i = 0; i < nf; i++)
		{
			const char *label = fm_list_get(&fe->values, i, FmEnumValue)->name;

			if (label_find(tidx, nt, label) >= 0)
				continue;
			if (first_removed)
				fm_buf_append(&removed, ", ");
			else
				first_removed = label;
			fm_r_literal(&d->r, &removed, label);
		}

		fm_buf_init(&b, d->a);
		fm_buf_append(&b, "ALTER TYPE ");
		fm_r_qname(&d->r, &b, fe->schema, fe->name);
		fm_buf_append(&b, " RENAME TO ");
		fm_r_ident(&d->r, &b, oldname);
		fm_buf_append_char(&b, ';');
		s = add_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", obj, b.data);
		if (first_removed)
			set_hazard(s, FM_HAZARD_DROP_ENUM_VALUE, te->schema, te->name,
					   first_removed, removed.data, true);
		add_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", obj, create_enum_ddl(d, te));

		fm_buf_init(&b, d->a);
		fm_buf_append(&b, "DROP TYPE ");
		fm_r_qname(&d->r, &b, te->schema, oldname);
		fm_buf_append_char(&b, ';');
		add_step(d, FM_PHASE_DROP_ENUM, "AlterEnum", obj, b.data);
		set_add(d, &d->recreated, &d->nrecreated, &d->caprecreated,
				enum_key(d->a, te->schema, te->name));
		/* the new type has no comment yet, whatever the old one had */
		if (te->comment && *te->comment)
			comment_step(d, "TYPE", te->schema, te->name, NULL, te->comment);
		return;
	}
	if (!comment_eq(fe->comment, te->comment))
		comment_step(d, "TYPE", te->schema, te->name, NULL, te->comment);
}

static void
diff_enums(Diff *d, const FmModel *from, const FmModel *to)
{
	FmEnum	  **fa = (FmEnum **) sorted_copy(d->a, &from->enums, enum_ptr_cmp);
	FmEnum	  **ta = (FmEnum **) sorted_copy(d->a, &to->enums, enum_ptr_cmp);
	int			i = 0,
				j = 0;

	while (i < from->enums.n || j < to->enums.n)
	{
		int			c;

		if (i >= from->enums.n)
			c = 1;
		else if (j >= to->enums.n)
			c = -1;
		else
			c = enum_ptr_cmp(&fa[i], &ta[j]);
		if (c < 0)
		{
			FmEnum	   *e = fa[i++];
			FmBuf		b;
			FmStep	   *s;

			fm_buf_init(&b, d->a);
			fm_buf_append(&b, "DROP TYPE ");
			fm_r_qname(&d->r, &b, e->schema, e->name);
			fm_buf_append_char(&b, ';');
			s = add_step(d, FM_PHASE_DROP_ENUM, "DropEnum",
						 fm_object_name(d->a, e->schema, e->name), b.data);
			set_hazard(s, FM_HAZARD_DROP_ENUM, e->schema, e->name, NULL, NULL, false);
		}
		else if (c > 0)
		{
			FmEnum	   *e = ta[j++];

			add_step(d, FM_PHASE_CREATE_ENUM, "CreateEnum",
					 fm_object_name(d->a, e->schema, e->name), create_enum_ddl(d, e));
			if (e->comment && *e->comment)
				comment_step(d, "TYPE", e->schema, e->name, NULL, e->comment);
		}
		else
			diff_enum_pair(d, fa[i++], ta[j++]);
	}
	if (d->nrecreated > 1)
		qsort(d->recreated, (size_t) d->nrecreated, sizeof(char *), str_ptr_cmp);
}

/* ---------- tables: creation and drop ---------- */

static char *
drop_constraint_ddl(Diff *d, const FmTable *t, const char *name)
{
	FmBuf		b;

	begin_alter(d, &b, t);
	fm_buf_append(&b, "DROP CONSTRAINT ");
	fm_r_ident(&d->r, &b, name);
	fm_buf_append_char(&b, ';');
	return b.data;
}

static void
add_fk_step(Diff *d, const FmTable *t, const FmForeignKey *fk, bool existing)
{
	FmBuf		b;
	FmStep	   *s;

	begin_alter(d, &b, t);
	fm_buf_append(&b, "ADD CONSTRAINT ");
	fm_r_ident(&d->r, &b, fk->name);
	fm_buf_append_char(&b, ' ');
	fm_r_fk_body(&d->r, &b, t, fk);
	fm_buf_append_char(&b, ';');
	s = add_step(d, FM_PHASE_ADD_FOREIGN_KEY, "AddForeignKey",
				 sub_object(d, t->schema, t->name, fk->name), b.data);
	if (existing)
		set_hazard(s, FM_HAZARD_ADD_FOREIGN_KEY, t->schema, t->name,
				   fk->columns.n ? fm_list_get(&fk->columns, 0, char) : NULL,
				   fk->name, false);
}

static void
drop_fk_step(Diff *d, const FmTable *t, const FmForeignKey *fk)
{
	add_step(d, FM_PHASE_DROP_FOREIGN_KEY, "DropForeignKey",
			 sub_object(d, t->schema, t->name, fk->name),
			 drop_constraint_ddl(d, t, fk->name));
}

static void
create_index_step(Diff *d, const FmTable *t, const FmIndex *ix, bool existing);

static void
create_table(Diff *d, const FmTable *t)
{
	char	   *obj = fm_object_name(d->a, t->schema, t->name);

	add_step(d, FM_PHASE_CREATE_TABLE, "CreateTable", obj, fm_r_create_table(&d->r, t));
	for (int i = 0; i < t->indexes.n; i++)
		create_index_step(d, t, fm_list_get(&t->indexes, i, FmIndex), false);
	for (int i = 0; i < t->foreign_keys.n; i++)
		add_fk_step(d, t, fm_list_get(&t->foreign_keys, i, FmForeignKey), false);
	if (t->comment && *t->comment)
		comment_step(d, "TABLE", t->schema, t->name, NULL, t->comment);
	for (int i = 0; i < t->columns.n; i++)
	{
		FmColumn   *c = fm_list_get(&t->columns, i, FmColumn);

		if (c->comment && *c->comment)
			comment_step(d, "COLUMN", t->schema, t->name, c->name, c->comment);
	}
}

/*
 * An index or key of a dropped table whose name the target gives to another
 * relation (a table renamed by @@map whose successor reuses the key names,
 * or a generated name whose number goes away): drop it early, before keys
 * are created or renamed, since tables are dropped only at the end.
 */
static void
drop_reused_names(Diff *d, const FmTable *t)
{
	if (t->primary_key && t->primary_key->name &&
		set_has(d->relnames, d->nrelnames, enum_key(d->a, t->schema, t->primary_key->name)))
		add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
				 sub_object(d, t->schema, t->name, t->primary_key->name),
				 drop_constraint_ddl(d, t, t->primary_key->name));
	for (int i = 0; i < t->uniques.n; i++)
	{
		FmKey	   *k = fm_list_get(&t->uniques, i, FmKey);

		if (k->name && set_has(d->relnames, d->nrelnames, enum_key(d->a, t->schema, k->name)))
			add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
					 sub_object(d, t->schema, t->name, k->name),
					 drop_constraint_ddl(d, t, k->name));
	}
	for (int i = 0; i < t->indexes.n; i++)
	{
		FmIndex    *ix = fm_list_get(&t->indexes, i, FmIndex);
		FmBuf		b;

		if (!ix->name || !set_has(d->relnames, d->nrelnames, enum_key(d->a, t->schema, ix->name)))
			continue;
		fm_buf_init(&b, d->a);
		fm_buf_append(&b, "DROP INDEX ");
		fm_r_qname(&d->r, &b, t->schema, ix->name);
		fm_buf_append_char(&b, ';');
		add_step(d, FM_PHASE_DROP_INDEX, "DropIndex",
				 fm_object_name(d->a, t->schema, ix->name), b.data);
	}
}

static void
drop_table(Diff *d, const FmTable *t)
{
	FmBuf		b;
	FmStep	   *s;

	/* FKs to other tables go first: dropped tables may reference each other */
	for (int i = 0; i < t->foreign_keys.n; i++)
	{
		FmForeignKey *fk = fm_list_get(&t->foreign_keys, i, FmForeignKey);

		if (name_cmp(fk->ref_schema, fk->ref_table, t->schema, t->name) != 0)
			drop_fk_step(d, t, fk);
	}
	drop_reused_names(d, t);
	fm_buf_init(&b, d->a);
	fm_buf_append(&b, "DROP TABLE ");
	fm_r_qname(&d->r, &b, t->schema, t->name);
	fm_buf_append_char(&b, ';');
	s = add_step(d, FM_PHASE_DROP_TABLE, "DropTable",
				 fm_object_name(d->a, t->schema, t->name), b.data);
	set_hazard(s, FM_HAZARD_DROP_TABLE, t->schema, t->name, NULL, NULL, true);
}

/* ---------- keys and indexes ---------- */

static bool
index_is_plain_unique(const FmIndex *ix)
{
	if (!ix->unique || ix->predicate || ix->include.n > 0)
		return false;
	if (ix->method && !fm_strcaseeq(ix->method, "btree"))
		return false;
	for (int i = 0; i < ix->elems.n; i++)
	{
		FmIndexElem *e = fm_list_get(&ix->elems, i, FmIndexElem);

		if (!e->column || e->expr || e->opclass || e->sort == FM_SORT_DESC ||
			e->nulls == FM_NULLS_FIRST)
			return false;
	}
	return true;
}

static char *
unique_sig(FmArena *a, const FmList *cols)
{
	FmBuf		b;

	fm_buf_init(&b, a);
	fm_buf_append(&b, "U");
	for (int i = 0; i < cols->n; i++)
	{
		fm_buf_append_char(&b, '\x1f');
		fm_buf_append(&b, fm_list_get(cols, i, char));
	}
	return b.data;
}

static char *
index_sig(FmArena *a, const FmIndex *ix)
{
	FmBuf		b;

	if (index_is_plain_unique(ix))
	{
		FmList		cols = {0};

		for (int i = 0; i < ix->elems.n; i++)
			fm_list_append(a, &cols, fm_list_get(&ix->elems, i, FmIndexElem)->column);
		return unique_sig(a, &cols);
	}
	fm_buf_init(&b, a);
	fm_buf_printf(&b, "I%c\x1f%s", ix->unique ? 'u' : 'n',
				  ix->method ? ix->method : "btree");
	for (int i = 0; i < ix->elems.n; i++)
	{
		FmIndexElem *e = fm_list_get(&ix->elems, i, FmIndexElem);
		bool		desc = e->sort == FM_SORT_DESC;
		char		nulls;
		const char *opc = e->opclass;
		const char *opcs = fm_streq(e->opclass_schema, "pg_catalog") ?
			NULL : e->opclass_schema;

		if (desc)
			nulls = e->nulls == FM_NULLS_LAST ? 'l' : 'f';
		else
			nulls = e->nulls == FM_NULLS_FIRST ? 'f' : 'l';
		fm_buf_append_char(&b, '\x1f');
		if (e->column)
			fm_buf_printf(&b, "c%s", e->column);
		else
		{
			/* an expression that is just a column name is that column */
			char	   *n = fm_normalize_expr(a, e->expr);
			bool		plain = n && n[0] != '\0';

			for (const char *c = n; plain && *c; c++)
				if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
					plain = false;
			if (plain && !(n[0] >= '0' && n[0] <= '9'))
				fm_buf_printf(&b, "c%s", n);
			else
				fm_buf_printf(&b, "e%s", n ? n : "");
		}
		fm_buf_printf(&b, "\x1e%c%c\x1e%s\x1d%s", desc ? 'd' : 'a', nulls,
					  opcs ? opcs : "", opc ? opc : "");
	}
	fm_buf_append(&b, "\x1fi");
	for (int i = 0; i < ix->include.n; i++)
		fm_buf_printf(&b, "\x1e%s", fm_list_get(&ix->include, i, char));
	if (ix->predicate)
		fm_buf_printf(&b, "\x1fw%s", fm_normalize_expr(a, ix->predicate));
	return b.data;
}

/* an index-like object of a table: unique constraint or index */
typedef struct IdxObj
{
	const char *name;
	bool		is_constraint;
	char	   *sig;
	const FmKey *key;
	const FmIndex *index;
	bool		matched;
} IdxObj;

static int
idxobj_cmp(const void *a, const void *b)
{
	return fm_strcmp_null(((const IdxObj *) a)->name, ((const IdxObj *) b)->name);
}

static IdxObj *
collect_idxobjs(FmArena *a, const FmTable *t, int *n)
{
	int			cnt = t->uniques.n + t->indexes.n;
	IdxObj	   *arr = fm_alloc(a, sizeof(IdxObj) * (size_t) (cnt + 1));
	int			k = 0;

	for (int i = 0; i < t->uniques.n; i++, k++)
	{
		FmKey	   *key = fm_list_get(&t->uniques, i, FmKey);

		arr[k].name = key->name;
		arr[k].is_constraint = true;
		arr[k].key = key;
		arr[k].sig = unique_sig(a, &key->columns);
	}
	for (int i = 0; i < t->indexes.n; i++, k++)
	{
		FmIndex    *ix = fm_list_get(&t->indexes, i, FmIndex);

		arr[k].name = ix->name;
		arr[k].index = ix;
		arr[k].sig = index_sig(a, ix);
	}
	qsort(arr, (size_t) cnt, sizeof(IdxObj), idxobj_cmp);
	*n = cnt;
	return arr;
}

/* quoted, comma-separated key elements (hazard_extra of ADD_UNIQUE) */
static char *
key_elems_text(Diff *d, const FmList *cols, const FmIndex *ix)
{
	FmBuf		b;

	fm_buf_init(&b, d->a);
	if (cols)
		fm_r_name_list(&d->r, &b, cols);
	else
	{
		for (int i = 0; i < ix->elems.n; i++)
		{
			FmIndexElem *e = fm_list_get(&ix->elems, i, FmIndexElem);

			if (i > 0)
				fm_buf_append(&b, ", ");
			if (e->column)
				fm_r_ident(&d->r, &b, e->column);
			else
				fm_buf_printf(&b, "(%s)", e->expr ? e->expr : "NULL");
		}
	}
	return b.data;
}

static const char *
first_col(const FmList *cols)
{
	return cols->n ? fm_list_get(cols, 0, char) : NULL;
}

static void
create_index_step(Diff *d, const FmTable *t, const FmIndex *ix, bool existing)
{
	FmStep	   *s = add_step(d, FM_PHASE_CREATE_INDEX, "CreateIndex",
							 fm_object_name(d->a, t->schema, ix->name),
							 fm_r_create_index(&d->r, t, ix));

	if (existing && ix->unique)
	{
		FmIndexElem *e0 = ix->elems.n ? fm_list_get(&ix->elems, 0, FmIndexElem) : NULL;

		set_hazard(s, FM_HAZARD_ADD_UNIQUE, t->schema, t->name,
				   e0 ? e0->column : NULL, key_elems_text(d, NULL, ix), false);
		s->hazard_predicate = ix->predicate;
	}
}

static void
add_key_step(Diff *d, const FmTable *t, const FmKey *k, bool primary, bool existing)
{
	FmBuf		b;
	FmStep	   *s;

	begin_alter(d, &b, t);
	fm_buf_append(&b, "ADD CONSTRAINT ");
	fm_r_ident(&d->r, &b, k->name);
	fm_buf_append(&b, primary ? " PRIMARY KEY (" : " UNIQUE (");
	fm_r_name_list(&d->r, &b, &k->columns);
	fm_buf_append(&b, ");");
	s = add_step(d, FM_PHASE_CREATE_INDEX, "AlterTable",
				 sub_object(d, t->schema, t->name, k->name), b.data);
	if (existing)
		set_hazard(s, FM_HAZARD_ADD_UNIQUE, t->schema, t->name, first_col(&k->columns),
				   key_elems_text(d, &k->columns, NULL), false);
}

static void
note_dropped_key(Diff *d, const FmTable *t, const FmList *cols)
{
	set_add(d, &d->dropped_keys, &d->ndropped, &d->capdropped,
			colset_key(d->a, t->schema, t->name, cols));
}

static void
drop_idxobj(Diff *d, const FmTable *t, const IdxObj *o)
{
	if (o->is_constraint)
	{
		add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
				 sub_object(d, t->schema, t->name, o->name),
				 drop_constraint_ddl(d, t, o->name));
		note_dropped_key(d, t, &o->key->columns);
	}
	else
	{
		FmBuf		b;

		fm_buf_init(&b, d->a);
		fm_buf_append(&b, "DROP INDEX ");
		fm_r_qname(&d->r, &b, t->schema, o->name);
		fm_buf_append_char(&b, ';');
		add_step(d, FM_PHASE_DROP_INDEX, "DropIndex",
				 fm_object_name(d->a, t->schema, o->name), b.data);
		if (o->index->unique)
		{
			FmList		cols = {0};
			bool		plain = true;

			for (int i = 0; i < o->index->elems.n; i++)
			{
				FmIndexElem *e = fm_list_get(&o->index->elems, i, FmIndexElem);

				if (!e->column)
					plain = false;
				fm_list_append(d->a, &cols, e->column);
			}
			if (plain)
				note_dropped_key(d, t, &cols);
		}
	}
}

static void
create_idxobj(Diff *d, const FmTable *t, const IdxObj *o)
{
	if (o->is_constraint)
		add_key_step(d, t, o->key, false, true);
	else
		create_index_step(d, t, o->index, true);
}

/*
 * Renames run with the other key changes, after tables are created; a
 * rename that frees a name the target gives to another relation (a new
 * table's key, say) runs early instead, with the drops.
 */
static void
rename_idxobj(Diff *d, const FmTable *t, const IdxObj *from, const IdxObj *to)
{
	FmBuf		b;
	FmPhase		phase = set_has(d->relnames, d->nrelnames,
								enum_key(d->a, t->schema, from->name)) ?
		FM_PHASE_DROP_INDEX : FM_PHASE_CREATE_INDEX;

	if (from->is_constraint)
	{
		begin_alter(d, &b, t);
		fm_buf_append(&b, "RENAME CONSTRAINT ");
		fm_r_ident(&d->r, &b, from->name);
		fm_buf_append(&b, " TO ");
		fm_r_ident(&d->r, &b, to->name);
		fm_buf_append_char(&b, ';');
		add_step(d, phase, "AlterTable",
				 sub_object(d, t->schema, t->name, to->name), b.data);
	}
	else
	{
		fm_buf_init(&b, d->a);
		fm_buf_append(&b, "ALTER INDEX ");
		fm_r_qname(&d->r, &b, t->schema, from->name);
		fm_buf_append(&b, " RENAME TO ");
		fm_r_ident(&d->r, &b, to->name);
		fm_buf_append_char(&b, ';');
		add_step(d, phase, "RenameIndex",
				 fm_object_name(d->a, t->schema, to->name), b.data);
	}
}

/*
 * Columns of t2 that the enum recreation sequence converts (same enum type
 * on both sides, enum recreated), and columns converted from or to an enum
 * type by ALTER COLUMN ... TYPE (another enum, say after an @@map rename,
 * or text).  CHECK constraints and partial or expression indexes that
 * mention them must be dropped before and created after the conversion:
 * their stored expressions compare with literals of the old type
 * ("operator does not exist: e = e_old"), or with the other column of a
 * pair while only one is converted.
 */
static void
recreated_enum_cols(Diff *d, const FmTable *t1, const FmTable *t2, FmList *out);

static bool
mentions_any(const char *text, const FmList *cols)
{
	if (text == NULL)
		return false;
	for (int i = 0; i < cols->n; i++)
		if (strstr(text, fm_list_get(cols, i, char)) != NULL)
			return true;
	return false;
}

static bool
index_mentions_any(const FmIndex *ix, const FmList *cols)
{
	bool		complex = ix->predicate != NULL;

	if (cols->n == 0)
		return false;
	for (int i = 0; i < ix->elems.n; i++)
		if (fm_list_get(&ix->elems, i, FmIndexElem)->expr)
			complex = true;
	if (!complex)
		return false;				/* plain column indexes are rebuilt fine */
	if (mentions_any(ix->predicate, cols))
		return true;
	for (int i = 0; i < ix->elems.n; i++)
		if (mentions_any(fm_list_get(&ix->elems, i, FmIndexElem)->expr, cols))
			return true;
	return false;
}

static void
diff_keys(Diff *d, const FmTable *t1, const FmTable *t2)
{
	int			n1,
				n2,
				i = 0,
				j = 0;
	IdxObj	   *o1,
			   *o2;
	const FmKey *p1 = t1->primary_key,
			   *p2 = t2->primary_key;
	FmList		ecols = {0};

	/* primary key */
	if (p1 && p2 && name_list_eq(&p1->columns, &p2->columns))
	{
		if (!fm_streq(p1->name, p2->name))
		{
			IdxObj		a = {p1->name, true, NULL, p1, NULL, false};
			IdxObj		b = {p2->name, true, NULL, p2, NULL, false};

			rename_idxobj(d, t2, &a, &b);
		}
	}
	else
	{
		if (p1)
		{
			add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
					 sub_object(d, t1->schema, t1->name, p1->name),
					 drop_constraint_ddl(d, t1, p1->name));
			note_dropped_key(d, t1, &p1->columns);
		}
		if (p2)
			add_key_step(d, t2, p2, true, true);
	}

	/* unique constraints and indexes, matched by name */
	recreated_enum_cols(d, t1, t2, &ecols);
	o1 = collect_idxobjs(d->a, t1, &n1);
	o2 = collect_idxobjs(d->a, t2, &n2);
	while (i < n1 && j < n2)
	{
		int			c = idxobj_cmp(&o1[i], &o2[j]);

		if (c < 0)
			i++;
		else if (c > 0)
			j++;
		else
		{
			if (strcmp(o1[i].sig, o2[j].sig) == 0 &&
				!(o1[i].index && index_mentions_any(o1[i].index, &ecols)))
			{
				o1[i].matched = true;
				o2[j].matched = true;
			}
			i++;
			j++;
		}
	}
	/* renames: an unmatched pair of the same kind and definition */
	for (j = 0; j < n2; j++)
	{
		if (o2[j].matched)
			continue;
		for (i = 0; i < n1; i++)
		{
			if (o1[i].matched || o1[i].is_constraint != o2[j].is_constraint ||
				strcmp(o1[i].sig, o2[j].sig) != 0 ||
				(o1[i].index && index_mentions_any(o1[i].index, &ecols)))
				continue;
			/* the old name must not be wanted by another object */
			{
				IdxObj		key = o1[i];
				IdxObj	   *hit = bsearch(&key, o2, (size_t) n2, sizeof(IdxObj), idxobj_cmp);

				if (hit)
					continue;
			}
			rename_idxobj(d, t2, &o1[i], &o2[j]);
			o1[i].matched = true;
			o2[j].matched = true;
			break;
		}
	}
	for (i = 0; i < n1; i++)
		if (!o1[i].matched)
			drop_idxobj(d, t1, &o1[i]);
	for (j = 0; j < n2; j++)
		if (!o2[j].matched)
			create_idxobj(d, t2, &o2[j]);
}

static int
check_ptr_cmp(const void *a, const void *b)
{
	return fm_strcmp_null((*(const FmCheck *const *) a)->name,
						  (*(const FmCheck *const *) b)->name);
}

static void
add_check_step(Diff *d, const FmTable *t, const FmCheck *c)
{
	FmBuf		b;
	FmStep	   *s;

	begin_alter(d, &b, t);
	fm_buf_append(&b, "ADD CONSTRAINT ");
	fm_r_ident(&d->r, &b, c->name);
	fm_buf_printf(&b, " CHECK (%s);", c->expr ? c->expr : "true");
	s = add_step(d, FM_PHASE_CREATE_INDEX, "AlterTable",
				 sub_object(d, t->schema, t->name, c->name), b.data);
	set_hazard(s, FM_HAZARD_ADD_CHECK, t->schema, t->name, NULL,
			   c->expr, false);
}

static char *
rename_constraint_ddl(Diff *d, const FmTable *t, const char *from, const char *to)
{
	FmBuf		b;

	begin_alter(d, &b, t);
	fm_buf_append(&b, "RENAME CONSTRAINT ");
	fm_r_ident(&d->r, &b, from);
	fm_buf_append(&b, " TO ");
	fm_r_ident(&d->r, &b, to);
	fm_buf_append_char(&b, ';');
	return b.data;
}

/*
 * Constraints of one kind on both sides of a table pair, sorted by name.
 * A pair with the same name that same() accepts is kept (keep1/keep2);
 * then an unmatched constraint of the target whose name the source does
 * not have, and an unmatched one of the source whose name the target does
 * not have, that same() accepts are a rename, emitted in phase/action.
 */
typedef struct ConMatch
{
	void	  **a;
	void	  **b;
	int			n1;
	int			n2;
	int			(*cmp) (const void *, const void *);
	const char *(*name) (const void *);
	bool		(*same) (Diff *d, const struct ConMatch *m, int i, int j);
	const void *arg;
	bool	   *keep1;
	bool	   *keep2;
} ConMatch;

static void
match_constraints(Diff *d, ConMatch *m, const FmTable *t2, FmPhase phase,
				  const char *action)
{
	int			i = 0,
				j = 0;

	m->keep1 = fm_alloc(d->a, sizeof(bool) * (size_t) (m->n1 + 1));
	m->keep2 = fm_alloc(d->a, sizeof(bool) * (size_t) (m->n2 + 1));
	while (i < m->n1 && j < m->n2)
	{
		int			c = m->cmp(&m->a[i], &m->b[j]);

		if (c == 0)
		{
			m->keep1[i] = m->keep2[j] = m->same(d, m, i, j);
			i++;
			j++;
		}
		else if (c < 0)
			i++;
		else
			j++;
	}
	for (j = 0; j < m->n2; j++)
	{
		if (m->keep2[j] ||
			bsearch(&m->b[j], m->a, (size_t) m->n1, sizeof(void *), m->cmp))
			continue;
		for (i = 0; i < m->n1; i++)
		{
			const char *from,
					   *to;

			if (m->keep1[i] ||
				bsearch(&m->a[i], m->b, (size_t) m->n2, sizeof(void *), m->cmp) ||
				!m->same(d, m, i, j))
				continue;
			from = m->name(m->a[i]);
			to = m->name(m->b[j]);
			add_step(d, phase, action, sub_object(d, t2->schema, t2->name, to),
					 rename_constraint_ddl(d, t2, from, to));
			m->keep1[i] = m->keep2[j] = true;
			break;
		}
	}
}

static const char *
check_name(const void *c)
{
	return ((const FmCheck *) c)->name;
}

/* the same expression, not mentioning a column converted to a new enum */
static bool
check_same(Diff *d, const ConMatch *m, int i, int j)
{
	const FmCheck *x = m->a[i];
	const FmCheck *y = m->b[j];

	return expr_eq(d->a, x->expr, y->expr) && !mentions_any(x->expr, m->arg);
}

/*
 * CHECK constraints, matched by name, compared by normalized expression;
 * an unmatched pair with the same expression is a rename.
 */
static void
diff_checks(Diff *d, const FmTable *t1, const FmTable *t2)
{
	FmList		ecols = {0};
	ConMatch	m = {0};

	recreated_enum_cols(d, t1, t2, &ecols);
	m.a = sorted_copy(d->a, &t1->checks, check_ptr_cmp);
	m.b = sorted_copy(d->a, &t2->checks, check_ptr_cmp);
	m.n1 = t1->checks.n;
	m.n2 = t2->checks.n;
	m.cmp = check_ptr_cmp;
	m.name = check_name;
	m.same = check_same;
	m.arg = &ecols;
	match_constraints(d, &m, t2, FM_PHASE_CREATE_INDEX, "AlterTable");
	for (int i = 0; i < m.n1; i++)
		if (!m.keep1[i])
			add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
					 sub_object(d, t1->schema, t1->name, check_name(m.a[i])),
					 drop_constraint_ddl(d, t1, check_name(m.a[i])));
	for (int j = 0; j < m.n2; j++)
		if (!m.keep2[j])
			add_check_step(d, t2, m.b[j]);
}

/* ---------- foreign keys ---------- */

static int
fk_ptr_cmp(const void *a, const void *b)
{
	return fm_strcmp_null((*(const FmForeignKey *const *) a)->name,
						  (*(const FmForeignKey *const *) b)->name);
}

static bool
fk_eq(const FmForeignKey *x, const FmForeignKey *y)
{
	return name_list_eq(&x->columns, &y->columns) &&
		name_cmp(x->ref_schema, x->ref_table, y->ref_schema, y->ref_table) == 0 &&
		name_list_eq(&x->ref_columns, &y->ref_columns) &&
		x->on_delete == y->on_delete && x->on_update == y->on_update &&
		x->deferrable == y->deferrable &&
		(!x->deferrable || x->initially_deferred == y->initially_deferred);
}

/* does a column of the FK, or a column it references, change type? */
static bool
fk_retyped(Diff *d, const FmTable *t, const FmForeignKey *fk)
{
	if (d->nretyped == 0)
		return false;
	for (int i = 0; i < fk->columns.n; i++)
		if (set_has(d->retyped, d->nretyped,
					fm_psprintf(d->a, "%s\x1f%s\x1f%s", t->schema ? t->schema : "",
								t->name, fm_list_get(&fk->columns, i, char))))
			return true;
	for (int i = 0; i < fk->ref_columns.n; i++)
		if (set_has(d->retyped, d->nretyped,
					fm_psprintf(d->a, "%s\x1f%s\x1f%s",
								fk->ref_schema ? fk->ref_schema : "", fk->ref_table,
								fm_list_get(&fk->ref_columns, i, char))))
			return true;
	return false;
}

/*
 * Foreign keys, matched by name.  An unchanged FK is still dropped and
 * re-added when the key it references is dropped (the drop would fail) or
 * when a column at either end changes type (the two ends could be
 * incompatible between the two ALTER COLUMN ... TYPE statements).
 */
static const char *
fk_name(const void *fk)
{
	return ((const FmForeignKey *) fk)->name;
}

/* the same definition, and not to be re-created anyway (arg: stale flags) */
static bool
fk_same(Diff *d, const ConMatch *m, int i, int j)
{
	const bool *stale = m->arg;

	return fk_eq(m->a[i], m->b[j]) && !stale[i];
}

static void
diff_fks(Diff *d, const FmTable *t1, const FmTable *t2)
{
	ConMatch	m = {0};
	bool	   *stale = fm_alloc(d->a, sizeof(bool) * (size_t) (t1->foreign_keys.n + 1));

	m.a = sorted_copy(d->a, &t1->foreign_keys, fk_ptr_cmp);
	m.b = sorted_copy(d->a, &t2->foreign_keys, fk_ptr_cmp);
	m.n1 = t1->foreign_keys.n;
	m.n2 = t2->foreign_keys.n;
	m.cmp = fk_ptr_cmp;
	m.name = fk_name;
	m.same = fk_same;
	m.arg = stale;
	/* FKs that must be re-created even when unchanged */
	for (int i = 0; i < m.n1; i++)
	{
		const FmForeignKey *fk = m.a[i];

		stale[i] = set_has(d->dropped_keys, d->ndropped,
						   colset_key(d->a, fk->ref_schema, fk->ref_table,
									  &fk->ref_columns)) ||
			fk_retyped(d, t2, fk);
	}
	/* renames: an unmatched pair with the same definition */
	match_constraints(d, &m, t2, FM_PHASE_ADD_FOREIGN_KEY, "RenameForeignKey");
	for (int i = 0; i < m.n1; i++)
		if (!m.keep1[i])
			drop_fk_step(d, t1, m.a[i]);
	for (int j = 0; j < m.n2; j++)
		if (!m.keep2[j])
			add_fk_step(d, t2, m.b[j], true);
}

/* ---------- columns ---------- */

static int
col_ptr_cmp(const void *a, const void *b)
{
	return fm_strcmp_null((*(const FmColumn *const *) a)->name,
						  (*(const FmColumn *const *) b)->name);
}

static void
alter_col_step(Diff *d, FmPhase phase, const char *action, char *obj,
			   const FmTable *t, const FmColumn *c, const char *fmt, const char *arg)
{
	FmBuf		b;

	begin_alter(d, &b, t);
	fm_buf_append(&b, "ALTER COLUMN ");
	fm_r_ident(&d->r, &b, c->name);
	fm_buf_append_char(&b, ' ');
	fm_buf_printf(&b, fmt, arg ? arg : "");
	fm_buf_append_char(&b, ';');
	add_step(d, phase, action, obj, b.data);
}

static bool
cast_ok(Diff *d, const FmType *from, const FmType *to)
{
	char	   *fn,
			   *tn;

	if (d->r.q && d->r.q->cast_is_implicit)
		return d->r.q->cast_is_implicit(fm_r_type_str(&d->r, from),
										fm_r_type_str(&d->r, to), d->r.q->arg);
	if (to->kind == FM_TYPE_ENUM)
		return false;
	tn = fm_normalize_type(d->a, to->sql);
	if (from->kind == FM_TYPE_ENUM)
	{
		char	   *mod;

		return tn && strstr(tn, "[]") == NULL &&
			is_string_type(type_base(d->a, tn, &mod));
	}
	fn = fm_normalize_type(d->a, from->sql);
	return builtin_cast_ok(d->a, fn, tn);
}

static bool
widening(Diff *d, const FmType *from, const FmType *to)
{
	char	   *tn,
			   *mod;

	if (to->kind == FM_TYPE_ENUM)
		return false;
	tn = fm_normalize_type(d->a, to->sql);
	if (tn == NULL)
		return false;
	if (from->kind == FM_TYPE_ENUM)
		return strcmp(type_base(d->a, tn, &mod), "text") == 0 ||
			(strcmp(type_base(d->a, tn, &mod), "character varying") == 0 && mod == NULL);
	if (from->sql == NULL)
		return false;
	return builtin_widening(d->a, fm_normalize_type(d->a, from->sql), tn);
}

static bool
enum_recreated(Diff *d, const FmType *t)
{
	return t->kind == FM_TYPE_ENUM &&
		set_has(d->recreated, d->nrecreated,
				enum_key(d->a, t->enum_schema, t->enum_name));
}

static void
recreated_enum_cols(Diff *d, const FmTable *t1, const FmTable *t2, FmList *out)
{
	FmColumn  **a,
			  **b;
	int			i = 0,
				j = 0;

	out->n = 0;
	a = (FmColumn **) sorted_copy(d->a, &t1->columns, col_ptr_cmp);
	b = (FmColumn **) sorted_copy(d->a, &t2->columns, col_ptr_cmp);
	while (i < t1->columns.n && j < t2->columns.n)
	{
		int			c = col_ptr_cmp(&a[i], &b[j]);

		if (c == 0 &&
			(type_eq(d->a, &a[i]->type, &b[j]->type) ?
			 enum_recreated(d, &b[j]->type) :
			 (a[i]->type.kind == FM_TYPE_ENUM || b[j]->type.kind == FM_TYPE_ENUM)))
			fm_list_append(d->a, out, b[j]->name);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
}

/*
 * autoincrement() added to an existing column that the schema makes SERIAL
 * (the prisma dialect): what Prisma Migrate writes, a sequence owned by the
 * column and a nextval() default, so that the catalog reads back as serial.
 */
static void
add_serial(Diff *d, const FmTable *t, const FmColumn *c, char *obj)
{
	char	   *seq = fm_make_object_name(d->a, t->name, c->name, "seq");
	FmBuf		b,
				name,
				def;

	fm_buf_init(&b, d->a);
	/* IF NOT EXISTS: dropping the default earlier left the sequence */
	fm_buf_append(&b, "CREATE SEQUENCE IF NOT EXISTS ");
	fm_r_qname(&d->r, &b, t->schema, seq);
	if (c->type.kind == FM_TYPE_BUILTIN &&
		(fm_streq(c->type.sql, "integer") || fm_streq(c->type.sql, "bigint") ||
		 fm_streq(c->type.sql, "smallint")))
		fm_buf_printf(&b, " AS %s", c->type.sql);
	fm_buf_append(&b, " OWNED BY ");
	fm_r_qname(&d->r, &b, t->schema, t->name);
	fm_buf_append_char(&b, '.');
	fm_r_ident(&d->r, &b, c->name);
	fm_buf_append_char(&b, ';');
	add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);

	fm_buf_init(&name, d->a);
	fm_r_qname(&d->r, &name, t->schema, seq);
	fm_buf_init(&def, d->a);
	fm_buf_append(&def, "nextval(");
	fm_r_literal(&d->r, &def, name.data);
	fm_buf_append(&def, "::regclass)");
	alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c,
				   "SET DEFAULT %s", def.data);
}

static void
diff_column(Diff *d, const FmTable *t, const FmColumn *c1, const FmColumn *c2)
{
	bool		ai1 = c1->autoinc != FM_AUTOINC_NONE;
	bool		ai2 = c2->autoinc != FM_AUTOINC_NONE;
	bool		nn1 = c1->notnull || ai1;
	bool		nn2 = c2->notnull || ai2;
	const char *cur_def;
	const char *want_def = ai2 ? NULL : c2->default_sql;
	char	   *obj = col_object(d, t, c2->name);
	bool		recreated_enum_col = false;

	/* identity/serial removed */
	if (ai1 && !ai2 && c1->autoinc != FM_AUTOINC_SERIAL)
		alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
					   "DROP IDENTITY IF EXISTS%s", NULL);
	cur_def = ai1 ? (c1->autoinc == FM_AUTOINC_SERIAL ? SENTINEL_DEFAULT : NULL)
		: c1->default_sql;

	if (type_eq(d->a, &c1->type, &c2->type))
	{
		if (enum_recreated(d, &c2->type))
		{
			/* converted by the enum recreation sequence */
			char	   *eobj = fm_object_name(d->a, c2->type.enum_schema,
											  c2->type.enum_name);
			char	   *tn = fm_r_type_str(&d->r, &c2->type);
			FmBuf		b;

			recreated_enum_col = true;
			if (cur_def)
				alter_col_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", eobj, t, c2,
							   "DROP DEFAULT%s", NULL);
			begin_alter(d, &b, t);
			fm_buf_append(&b, "ALTER COLUMN ");
			fm_r_ident(&d->r, &b, c2->name);
			fm_buf_printf(&b, " TYPE %s USING (", tn);
			fm_r_ident(&d->r, &b, c2->name);
			fm_buf_printf(&b, "::text%s::%s);", c2->type.array ? "[]" : "", tn);
			add_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", eobj, b.data);
			if (want_def)
				alter_col_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", eobj, t, c2,
							   "SET DEFAULT %s", want_def);
		}
	}
	else
	{
		bool		implicit = cast_ok(d, &c1->type, &c2->type);
		char	   *tn = fm_r_type_str(&d->r, &c2->type);
		FmBuf		b;
		FmStep	   *s;
		char	   *using_expr = NULL;

		set_add(d, &d->retyped, &d->nretyped, &d->capretyped,
				fm_psprintf(d->a, "%s\x1f%s\x1f%s", t->schema ? t->schema : "",
							t->name, c2->name));

		if (!implicit && cur_def && !ai1)
		{
			alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
						   "DROP DEFAULT%s", NULL);
			cur_def = NULL;
		}
		if (!implicit)
		{
			FmBuf		u;

			fm_buf_init(&u, d->a);
			fm_buf_append_char(&u, '(');
			fm_r_ident(&d->r, &u, c2->name);
			fm_buf_printf(&u, "%s::%s)", c1->type.kind != FM_TYPE_ENUM ? "" :
						  c1->type.array ? "::text[]" : "::text", tn);
			using_expr = u.data;
		}
		begin_alter(d, &b, t);
		fm_buf_append(&b, "ALTER COLUMN ");
		fm_r_ident(&d->r, &b, c2->name);
		fm_buf_printf(&b, " TYPE %s", tn);
		if (using_expr)
			fm_buf_printf(&b, " USING %s", using_expr);
		fm_buf_append_char(&b, ';');
		s = add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);
		/* even without a rewrite, it takes an ACCESS EXCLUSIVE lock */
		set_hazard(s, FM_HAZARD_ALTER_TYPE, t->schema, t->name, c2->name, tn,
				   !widening(d, &c1->type, &c2->type));
		s->hazard_old_type = fm_r_type_str(&d->r, &c1->type);
		s->hazard_using = using_expr;
	}

	/* default */
	if (!recreated_enum_col)
	{
		if (ai2)
		{
			if (!ai1 && cur_def)
				alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
							   "DROP DEFAULT%s", NULL);
		}
		else if (cur_def == SENTINEL_DEFAULT || !expr_eq(d->a, cur_def, want_def))
		{
			if (want_def)
				alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
							   "SET DEFAULT %s", want_def);
			else
				alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
							   "DROP DEFAULT%s", NULL);
		}
	}

	/* nullability */
	if (nn1 != nn2)
	{
		if (nn2)
		{
			FmBuf		b;
			FmStep	   *s;

			begin_alter(d, &b, t);
			fm_buf_append(&b, "ALTER COLUMN ");
			fm_r_ident(&d->r, &b, c2->name);
			fm_buf_append(&b, " SET NOT NULL;");
			s = add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);
			set_hazard(s, FM_HAZARD_SET_NOT_NULL, t->schema, t->name, c2->name,
					   NULL, false);
		}
		else
			alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
						   "DROP NOT NULL%s", NULL);
	}

	/* identity (or serial) added */
	if (ai2 && !ai1 && c2->autoinc == FM_AUTOINC_SERIAL)
		add_serial(d, t, c2, obj);
	else if (ai2 && !ai1)
		alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2, "%s",
					   c2->autoinc == FM_AUTOINC_IDENTITY_ALWAYS ?
					   "ADD GENERATED ALWAYS AS IDENTITY" :
					   "ADD GENERATED BY DEFAULT AS IDENTITY");

	if (!comment_eq(c1->comment, c2->comment))
		comment_step(d, "COLUMN", t->schema, t->name, c2->name, c2->comment);
}

static void
diff_columns(Diff *d, const FmTable *t1, const FmTable *t2)
{
	FmColumn  **a = (FmColumn **) sorted_copy(d->a, &t1->columns, col_ptr_cmp);
	FmColumn  **b = (FmColumn **) sorted_copy(d->a, &t2->columns, col_ptr_cmp);
	int			n1 = t1->columns.n,
				n2 = t2->columns.n;
	int			i = 0,
				j = 0;

	while (i < n1 || j < n2)
	{
		int			c;

		if (i >= n1)
			c = 1;
		else if (j >= n2)
			c = -1;
		else
			c = col_ptr_cmp(&a[i], &b[j]);
		if (c < 0)
		{
			FmBuf		buf;
			FmStep	   *s;

			begin_alter(d, &buf, t1);
			fm_buf_append(&buf, "DROP COLUMN ");
			fm_r_ident(&d->r, &buf, a[i]->name);
			fm_buf_append_char(&buf, ';');
			s = add_step(d, FM_PHASE_DROP_COLUMN, "AlterTable",
						 col_object(d, t1, a[i]->name), buf.data);
			set_hazard(s, FM_HAZARD_DROP_COLUMN, t1->schema, t1->name, a[i]->name,
					   NULL, true);
			i++;
		}
		else if (c > 0)
		{
			FmBuf		buf;
			FmStep	   *s;
			FmColumn   *col = b[j];

			begin_alter(d, &buf, t2);
			fm_buf_append(&buf, "ADD COLUMN ");
			fm_r_column_def(&d->r, &buf, col);
			fm_buf_append_char(&buf, ';');
			s = add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable",
						 col_object(d, t2, col->name), buf.data);
			if (col->notnull && col->default_sql == NULL &&
				col->autoinc == FM_AUTOINC_NONE)
				set_hazard(s, FM_HAZARD_ADD_REQUIRED_COLUMN, t2->schema, t2->name,
						   col->name, NULL, false);
			if (col->comment && *col->comment)
				comment_step(d, "COLUMN", t2->schema, t2->name, col->name, col->comment);
			j++;
		}
		else
			diff_column(d, t2, a[i++], b[j++]);
	}
}

/* ---------- driver ---------- */

static int
steprec_cmp(const void *a, const void *b)
{
	const StepRec *x = *(const StepRec *const *) a;
	const StepRec *y = *(const StepRec *const *) b;
	int			c;

	if (x->step.phase != y->step.phase)
		return x->step.phase < y->step.phase ? -1 : 1;
	c = fm_strcmp_null(x->step.object, y->step.object);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : (x->seq > y->seq ? 1 : 0);
}

FmPlan *
fm_diff(FmArena *arena, const FmModel *from, const FmModel *to,
		const FmQuoting *quoting)
{
	static const FmModel empty;
	Diff		d;
	FmPlan	   *plan;
	FmTable   **fa,
			  **ta;
	TablePair  *pairs;
	int			npairs = 0;
	int			i = 0,
				j = 0;

	memset(&d, 0, sizeof(d));
	d.a = arena;
	d.r.arena = arena;
	d.r.q = quoting ? quoting : &fm_default_quoting;
	if (from == NULL)
		from = &empty;
	if (to == NULL)
		to = &empty;

	diff_schemas(&d, from, to);
	diff_extensions(&d, from, to);
	for (int k = 0; k < to->tables.n; k++)
	{
		FmTable    *t = fm_list_get(&to->tables, k, FmTable);

		for (int c = 0; c < t->columns.n; c++)
		{
			FmColumn   *col = fm_list_get(&t->columns, c, FmColumn);

			char	   *ek;

			if (col->type.kind != FM_TYPE_ENUM)
				continue;
			ek = enum_key(arena, col->type.enum_schema, col->type.enum_name);
			if (col->default_sql && col->autoinc == FM_AUTOINC_NONE)
				set_add(&d, &d.enum_defaults, &d.nenum_defaults, &d.capenum_defaults,
						fm_psprintf(arena, "%s\x1e%s", ek, col->default_sql));
			/* CHECKs and partial/expression indexes may name values too */
			for (int x = 0; x < t->checks.n; x++)
				set_add(&d, &d.enum_defaults, &d.nenum_defaults, &d.capenum_defaults,
						fm_psprintf(arena, "%s\x1e%s", ek,
									fm_list_get(&t->checks, x, FmCheck)->expr ?
									fm_list_get(&t->checks, x, FmCheck)->expr : ""));
			for (int x = 0; x < t->indexes.n; x++)
			{
				FmIndex    *ix = fm_list_get(&t->indexes, x, FmIndex);

				if (ix->predicate)
					set_add(&d, &d.enum_defaults, &d.nenum_defaults, &d.capenum_defaults,
							fm_psprintf(arena, "%s\x1e%s", ek, ix->predicate));
				for (int y = 0; y < ix->elems.n; y++)
					if (fm_list_get(&ix->elems, y, FmIndexElem)->expr)
						set_add(&d, &d.enum_defaults, &d.nenum_defaults,
								&d.capenum_defaults,
								fm_psprintf(arena, "%s\x1e%s", ek,
											fm_list_get(&ix->elems, y, FmIndexElem)->expr));
			}
		}
	}
	if (d.nenum_defaults > 1)
		qsort(d.enum_defaults, (size_t) d.nenum_defaults, sizeof(char *), str_ptr_cmp);
	diff_enums(&d, from, to);

	for (int k = 0; k < to->tables.n; k++)
	{
		FmTable    *t = fm_list_get(&to->tables, k, FmTable);

		set_add(&d, &d.relnames, &d.nrelnames, &d.caprelnames,
				enum_key(arena, t->schema, t->name));
		if (t->primary_key && t->primary_key->name)
			set_add(&d, &d.relnames, &d.nrelnames, &d.caprelnames,
					enum_key(arena, t->schema, t->primary_key->name));
		for (int x = 0; x < t->uniques.n; x++)
			set_add(&d, &d.relnames, &d.nrelnames, &d.caprelnames,
					enum_key(arena, t->schema, fm_list_get(&t->uniques, x, FmKey)->name));
		for (int x = 0; x < t->indexes.n; x++)
			set_add(&d, &d.relnames, &d.nrelnames, &d.caprelnames,
					enum_key(arena, t->schema, fm_list_get(&t->indexes, x, FmIndex)->name));
	}
	if (d.nrelnames > 1)
		qsort(d.relnames, (size_t) d.nrelnames, sizeof(char *), str_ptr_cmp);

	fa = (FmTable **) sorted_copy(arena, &from->tables, table_ptr_cmp);
	ta = (FmTable **) sorted_copy(arena, &to->tables, table_ptr_cmp);
	pairs = fm_alloc(arena, sizeof(TablePair) *
					 (size_t) (from->tables.n < to->tables.n ?
							   from->tables.n + 1 : to->tables.n + 1));
	while (i < from->tables.n || j < to->tables.n)
	{
		int			c;

		if (i >= from->tables.n)
			c = 1;
		else if (j >= to->tables.n)
			c = -1;
		else
			c = table_ptr_cmp(&fa[i], &ta[j]);
		if (c < 0)
			drop_table(&d, fa[i++]);
		else if (c > 0)
			create_table(&d, ta[j++]);
		else
		{
			const FmTable *t1 = fa[i++],
					   *t2 = ta[j++];

			pairs[npairs].from = t1;
			pairs[npairs++].to = t2;
			diff_columns(&d, t1, t2);
			diff_keys(&d, t1, t2);
			diff_checks(&d, t1, t2);
			if (!comment_eq(t1->comment, t2->comment))
				comment_step(&d, "TABLE", t2->schema, t2->name, NULL, t2->comment);
		}
	}
	if (d.ndropped > 1)
		qsort(d.dropped_keys, (size_t) d.ndropped, sizeof(char *), str_ptr_cmp);
	if (d.nretyped > 1)
		qsort(d.retyped, (size_t) d.nretyped, sizeof(char *), str_ptr_cmp);
	for (int k = 0; k < npairs; k++)
		diff_fks(&d, pairs[k].from, pairs[k].to);

	fm_list_sort(&d.recs, steprec_cmp);
	plan = fm_alloc(arena, sizeof(FmPlan));
	plan->arena = arena;
	for (int k = 0; k < d.recs.n; k++)
		fm_list_append(arena, &plan->steps, &fm_list_get(&d.recs, k, StepRec)->step);
	return plan;
}
