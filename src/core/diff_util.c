/*-------------------------------------------------------------------------
 *
 * diff_util.c
 *	  Helpers shared by the phases of the diff: name comparison for the
 *	  sorted merges, sorted string sets, step recording and the small
 *	  pieces of DDL every phase writes (ALTER TABLE, COMMENT ON).
 *
 * Every step goes through fmd_add_step(), which records it with its phase,
 * object and creation order for the driver's final sort (diff.c), and
 * fmd_set_hazard(), which fills in the hazard_* fields as documented
 * beside FmStep (fm_diff.h).
 *
 * The string sets of Diff (diff_int.h) are plain arrays: fmd_set_add()
 * appends, the phase that fills a set sorts it once (qsort with
 * fmd_str_ptr_cmp) and later phases probe it with fmd_set_has().
 *
 * src/core/diff_util.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

/*
 * fmd_name_cmp
 *		Order two (schema, name) pairs, NULLs first: the order of every
 *		sorted merge of the diff.
 */
int
fmd_name_cmp(const char *s1, const char *n1, const char *s2, const char *n2)
{
	int			c = fm_strcmp_null(s1, s2);

	return c ? c : fm_strcmp_null(n1, n2);
}

/* qsort/bsearch comparators over FmTable *, FmEnum * and char * */
int
fmd_table_ptr_cmp(const void *a, const void *b)
{
	const FmTable *x = *(const FmTable *const *) a;
	const FmTable *y = *(const FmTable *const *) b;

	return fmd_name_cmp(x->schema, x->name, y->schema, y->name);
}

int
fmd_enum_ptr_cmp(const void *a, const void *b)
{
	const FmEnum *x = *(const FmEnum *const *) a;
	const FmEnum *y = *(const FmEnum *const *) b;

	return fmd_name_cmp(x->schema, x->name, y->schema, y->name);
}

int
fmd_str_ptr_cmp(const void *a, const void *b)
{
	return fm_strcmp_null(*(const char *const *) a, *(const char *const *) b);
}

/*
 * fmd_sorted_copy
 *		A sorted copy of a list's items.  A list already in order (the
 *		backend sorts both models' tables before the diff) is copied as it
 *		is: what qsort's stable merge sort would leave it.
 */
void **
fmd_sorted_copy(FmArena *a, const FmList *list, int (*cmp) (const void *, const void *))
{
	void	  **arr = fm_alloc(a, sizeof(void *) * (size_t) (list->n + 1));
	int			i = 1;

	if (list->n > 0)
	{
		memcpy(arr, list->items, sizeof(void *) * (size_t) list->n);
		while (i < list->n && cmp(&arr[i - 1], &arr[i]) <= 0)
			i++;
		if (i < list->n)
			qsort(arr, (size_t) list->n, sizeof(void *), cmp);
	}
	return arr;
}

/* qsort comparator over FmColumn *, by name */
static int
col_name_cmp(const void *a, const void *b)
{
	return fm_strcmp_null((*(const FmColumn *const *) a)->name,
						  (*(const FmColumn *const *) b)->name);
}

/* the longest column list sort_few_columns() sorts */
#define COLSORT_MAX 32

/* a column and the first 8 bytes of its name, big-endian, NUL-padded */
typedef struct ColKey
{
	uint64_t	prefix;
	FmColumn   *col;
} ColKey;

/* strcmp's order of the names of x and y, the prefixes deciding mostly */
static inline int
colkey_cmp(const ColKey *x, const ColKey *y)
{
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	/* the same first 8 bytes: equal if the names end within them */
	if ((x->prefix & 0xFF) == 0)
		return 0;
	return strcmp(x->col->name + 8, y->col->name + 8);
}

/*
 * sort_few_columns
 *		The columns of list (at most COLSORT_MAX) sorted by name as
 *		fmd_sorted_copy(col_name_cmp) sorts them: fm_strcmp_null's order,
 *		stable (qsort's merge sort is).  An insertion sort on keys that
 *		hold the first bytes of each name, so that most comparisons touch
 *		no column.  A list with a NULL name goes to fmd_sorted_copy().
 */
static FmColumn **
sort_few_columns(FmArena *a, const FmList *list)
{
	ColKey		keys[COLSORT_MAX];
	FmColumn  **arr;
	int			n = list->n;

	for (int i = 0; i < n; i++)
	{
		FmColumn   *c = fm_list_get(list, i, FmColumn);
		uint64_t	p = 0;
		ColKey		k;
		int			j = i;

		if (c->name == NULL)
			return (FmColumn **) fmd_sorted_copy(a, list, col_name_cmp);
		for (int b = 0; b < 8 && c->name[b] != '\0'; b++)
			p |= (uint64_t) (unsigned char) c->name[b] << (56 - 8 * b);
		k.prefix = p;
		k.col = c;
		while (j > 0 && colkey_cmp(&keys[j - 1], &k) > 0)
		{
			keys[j] = keys[j - 1];
			j--;
		}
		keys[j] = k;
	}
	arr = fm_alloc(a, sizeof(FmColumn *) * (size_t) (n + 1));
	for (int i = 0; i < n; i++)
		arr[i] = keys[i].col;
	return arr;
}

/*
 * fmd_sorted_columns
 *		The columns of t sorted by name (read-only; in the diff's arena): a
 *		sorted copy made once for each column list and kept for the next
 *		calls on it, which the column, key and CHECK phases of a pair make.
 *		A list is known by its items and length, which no phase changes
 *		once the diff has started (views of inherited tables are new lists).
 */
FmColumn **
fmd_sorted_columns(Diff *d, const FmTable *t)
{
	int			slot;

	for (int k = 0; k < 4; k++)
		if (d->colcache[k].sorted != NULL &&
			d->colcache[k].items == t->columns.items &&
			d->colcache[k].n == t->columns.n)
			return d->colcache[k].sorted;
	slot = d->colcache_next;
	d->colcache_next = (slot + 1) % 4;
	d->colcache[slot].items = t->columns.items;
	d->colcache[slot].n = t->columns.n;
	d->colcache[slot].sorted = t->columns.n > COLSORT_MAX ?
		(FmColumn **) fmd_sorted_copy(d->a, &t->columns, col_name_cmp) :
		sort_few_columns(d->a, &t->columns);
	return d->colcache[slot].sorted;
}

/* equal comments; NULL and "" are both "no comment" */
bool
fmd_comment_eq(const char *a, const char *b)
{
	if (a && !*a)
		a = NULL;
	if (b && !*b)
		b = NULL;
	return fm_streq(a, b);
}

/* the same names in the same order */
bool
fmd_name_list_eq(const FmList *a, const FmList *b)
{
	return fm_str_list_eq(a, b);
}

/*
 * fmd_expr_eq
 *		True when the SQL expressions x and y are the same for PostgreSQL:
 *		equal text, or equal after fm_normalize_expr().  NULL equals only
 *		NULL.
 */
bool
fmd_expr_eq(FmArena *a, const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	if (strcmp(x, y) == 0)
		return true;
	return fm_streq(fm_normalize_expr(a, x), fm_normalize_expr(a, y));
}

/*
 * fmd_clip_ident
 *		A copy of s cut to FM_MAX_IDENT_LEN bytes, as PostgreSQL truncates
 *		identifiers, never inside a UTF-8 sequence.
 */
char *
fmd_clip_ident(FmArena *a, const char *s)
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
void
fmd_set_add(Diff *d, char ***arr, int *n, int *cap, char *s)
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

/* is s in the sorted set arr[0..n)? */
bool
fmd_set_has(char **arr, int n, const char *s)
{
	if (n == 0)
		return false;
	return bsearch(&s, arr, (size_t) n, sizeof(char *), fmd_str_ptr_cmp) != NULL;
}

/* set key of a named object: "schema\x1fname" */
char *
fmd_name_key(FmArena *a, const char *schema, const char *name)
{
	return fm_cat3(a, schema, "\x1f", name);
}

/* key of a unique column set: columns sorted, so FK references match */
char *
fmd_colset_key(FmArena *a, const char *schema, const char *table, const FmList *cols)
{
	FmBuf		b;
	char	  **arr = (char **) fmd_sorted_copy(a, cols, fmd_str_ptr_cmp);

	fm_buf_init(&b, a);
	fm_buf_append(&b, schema ? schema : "");
	fm_buf_append_char(&b, '\x1f');
	fm_buf_append(&b, table ? table : "");
	for (int i = 0; i < cols->n; i++)
	{
		fm_buf_append_char(&b, '\x1f');
		fm_buf_append(&b, arr[i] ? arr[i] : "");
	}
	return fm_buf_finish(&b);
}

/*
 * fmd_add_step
 *		Record a step: one statement (ddl) on object, in phase, under the
 *		script header action; returns it for fmd_set_hazard().
 *
 * The creation order is kept for the driver's stable sort, so the steps a
 * phase records for one object run in the order they were recorded.
 */
FmStep *
fmd_add_step(Diff *d, FmPhase phase, const char *action, char *object, char *ddl)
{
	StepRec    *rec = fm_alloc(d->a, sizeof(StepRec));

	rec->step.phase = phase;
	rec->step.action = action;
	rec->step.object = object;
	rec->step.ddl = ddl;
	rec->step.hazard = FM_HAZARD_NONE;
	rec->seq = d->seq++;
	rec->rank = d->rank;
	fm_list_append(d->a, &d->recs, rec);
	return &rec->step;
}

/*
 * fmd_set_hazard
 *		Mark step s as a hazard of the given kind, concerning schema.table
 *		(and column or extra, per kind: see FmStep in fm_diff.h); data_loss
 *		makes push refuse it without allow_data_loss.
 */
void
fmd_set_hazard(FmStep *s, FmHazardKind kind, const char *schema, const char *table,
			   const char *column, char *extra, bool data_loss)
{
	s->hazard = kind;
	s->hazard_schema = (char *) schema;
	s->hazard_table = (char *) table;
	s->hazard_column = (char *) column;
	s->hazard_extra = extra;
	s->data_loss = data_loss;
}

/* start "ALTER TABLE schema.table " in b */
void
fmd_begin_alter(Diff *d, FmBuf *b, const FmTable *t)
{
	fm_buf_init(b, d->a);
	fm_buf_append(b, "ALTER TABLE ");
	fm_r_qname(&d->r, b, t->schema, t->name);
	fm_buf_append_char(b, ' ');
}

/*
 * fmd_drop_ddl
 *		"DROP <what> schema.name;" (what: "TABLE", "INDEX", "TYPE"), quoted
 *		by the diff's quoting, allocated in the diff's arena.
 */
char *
fmd_drop_ddl(Diff *d, const char *what, const char *schema, const char *name)
{
	FmBuf		b;

	fm_buf_init(&b, d->a);
	fm_buf_append(&b, "DROP ");
	fm_buf_append(&b, what);
	fm_buf_append_char(&b, ' ');
	fm_r_qname(&d->r, &b, schema, name);
	fm_buf_append_char(&b, ';');
	return fm_buf_finish(&b);
}

/* step object of a column, constraint or index: "schema.table.name" */
char *
fmd_col_object(Diff *d, const FmTable *t, const char *col)
{
	return fmd_sub_object(d, t->schema, t->name, col);
}

char *
fmd_sub_object(Diff *d, const char *schema, const char *table, const char *name)
{
	/* fm_object_name(schema, table) + "." + name, in one allocation */
	if (schema == NULL)
		return fm_cat3(d->a, table, ".", name);
	return fm_concat(d->a, schema, ".", table ? table : "", ".", name ? name : "");
}

/*
 * fmd_comment_step
 *		Record COMMENT ON what schema.name[.col] IS comment (NULL when comment
 *		is NULL or empty), in the comment phase.
 */
void
fmd_comment_step(Diff *d, const char *what, const char *schema, const char *name,
				 const char *col, const char *comment)
{
	FmBuf		b;
	char	   *obj;
	FmStep	   *s;

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
	obj = col ? fmd_sub_object(d, schema, name, col) : fm_object_name(d->a, schema, name);
	s = fmd_add_step(d, FM_PHASE_COMMENT, "Comment", obj, b.data);
	/* COMMENT ON TABLE / COLUMN: SHARE UPDATE EXCLUSIVE on a live table */
	if ((strcmp(what, "TABLE") == 0 || strcmp(what, "COLUMN") == 0) &&
		fmd_is_live(d, schema, name))
	{
		s->kind = FM_STEP_COMMENT;
		s->lock_schema = (char *) schema;
		s->lock_table = (char *) name;
	}
}

/* add the descendants of (schema, name) as a partition (sign) to map */
static void
count_descendant(Diff *d, const char *schema, const char *name, int sign)
{
	int		   *n = fm_hash_get2(&d->descendants, schema ? schema : "", name);

	if (n == NULL)
	{
		n = fm_alloc(d->a, sizeof(int));
		fm_hash_put2(d->a, &d->descendants, schema ? schema : "", name, n);
	}
	*n += sign;
}

/*
 * live_descendants
 *		The partitions (> 0) or inheriting tables (< 0) of live table
 *		(schema, name), at any depth (Diff.descendants, made once: each
 *		table counts for its parent and, up the chain, for theirs).
 */
static int
live_descendants(Diff *d, const char *schema, const char *name)
{
	const int  *n;

	if (!d->descendants_made)
	{
		FmTableIndex ix;

		d->descendants_made = true;
		if (d->from != NULL)
			fm_table_index_build(d->a, &ix, d->from);
		for (int i = 0; d->from && i < d->from->tables.n; i++)
		{
			const FmTable *t = fm_list_get(&d->from->tables, i, FmTable);
			const FmTable *c = t;

			/* up the partition chain, or the first INHERITS parent's */
			for (int depth = 0; c != NULL && depth < 64; depth++)
			{
				const char *ps = c->part_parent ? c->part_parent_schema : NULL;
				const char *pn = c->part_parent;
				int			sign = 1;

				if (pn == NULL && c->inherits.n > 0)
				{
					const FmTableRef *r = fm_list_get(&c->inherits, 0, FmTableRef);

					ps = r->schema;
					pn = r->name;
					sign = -1;
				}
				if (pn == NULL)
					break;
				if (ps == NULL)
					ps = c->schema;
				count_descendant(d, ps, pn, sign);
				c = fm_table_index_find(&ix, ps, pn);
			}
		}
	}
	if (d->descendants.n == 0)
		return 0;
	n = fm_hash_get2(&d->descendants, schema ? schema : "", name);
	return n ? *n : 0;
}

/*
 * fmd_is_live
 *		Is (schema, name) a table of the live side (d->from, after the
 *		declared renames)?  The set (d->live) is built on the first call:
 *		only steps ask.
 */
bool
fmd_is_live(Diff *d, const char *schema, const char *name)
{
	/* the declared renames run before from is known: no table is yet */
	if (d->from == NULL)
		return false;
	if (!d->live_done)
	{
		for (int i = 0; i < d->from->tables.n; i++)
		{
			const FmTable *t = fm_list_get(&d->from->tables, i, FmTable);

			fmd_set_add(d, &d->live, &d->nlive, &d->caplive,
						fmd_name_key(d->a, t->schema, t->name));
		}
		/* the keys of tables sorted by (schema, name) are mostly in order */
		{
			int			k = 1;

			while (k < d->nlive && fmd_str_ptr_cmp(&d->live[k - 1], &d->live[k]) <= 0)
				k++;
			if (k < d->nlive)
				qsort(d->live, d->nlive, sizeof(char *), fmd_str_ptr_cmp);
		}
		d->live_done = true;
	}
	return fmd_set_has(d->live, d->nlive, fmd_name_key(d->a, schema, name));
}

/*
 * fmd_lock
 *		Record what step s does to a live table (fm_locks.h): its kind, and
 *		t as the table it changes (for the online form) and locks, when t
 *		exists in from; a table the plan creates is locked by nobody else.
 */
void
fmd_lock(Diff *d, FmStep *s, FmStepKind kind, const FmTable *t)
{
	s->kind = kind;
	s->table = t;
	if (t != NULL && fmd_is_live(d, t->schema, t->name))
	{
		s->lock_schema = t->schema;
		s->lock_table = t->name;
		/* what recurses to partitions and children locks them too */
		if (kind != FM_STEP_RENAME_TABLE && kind != FM_STEP_RENAME_INDEX &&
			kind != FM_STEP_DROP_TABLE &&
			kind != FM_STEP_COMMENT && kind != FM_STEP_ATTACH_PARTITION &&
			kind != FM_STEP_DETACH_PARTITION && kind != FM_STEP_CREATE_PARTITION &&
			kind != FM_STEP_SET_STORAGE)
			s->lock_descendants = live_descendants(d, t->schema, t->name);
	}
}

/* the table a foreign key step also locks, when it exists in from */
void
fmd_lock_ref(Diff *d, FmStep *s, const char *schema, const char *table)
{
	if (table != NULL && fmd_is_live(d, schema, table))
	{
		s->ref_schema = (char *) schema;
		s->ref_table = (char *) table;
	}
}
