/*-------------------------------------------------------------------------
 *
 * diff_rename.c
 *	  The rename phase of the diff: renames declared in the schema text
 *	  ("/// @renamed(from: "old")" on a model, a field, an enum or an enum
 *	  value)
 *	  become ALTER ... RENAME steps, and the rest of the diff compares the
 *	  target with the live model as those steps leave it; then the drops
 *	  that may be undeclared renames are noted (possible_rename).
 *
 * A declaration renames only when its old name exists in the live model
 * and its new name does not; otherwise (the rename is done, or both
 * exist) it is a no-op and may stay in the file.  Nothing is renamed
 * without a declaration: a dropped column and an added one of the same
 * type in the same table, or a dropped table and a created one of the same
 * shape, only give the added step a possible_rename hazard whose hint is
 * the annotation to write.
 *
 * The live model is never modified: renamed tables, columns and enums are
 * shallow copies with the new names, and the keys, indexes, partition
 * keys, foreign keys, partitions and inheriting tables that name a
 * renamed column or table are copied too (PostgreSQL updates them with
 * the rename).  CHECK and index expressions keep their
 * text; a rename that changes them is seen as a changed constraint.
 *
 * src/core/diff_rename.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "diff_int.h"
#include "fm_renamed.h"

/* a copy of list (of char *) with old replaced by new */
static FmList
renamed_names(FmArena *a, const FmList *l, const char *old, const char *new)
{
	FmList		out = {0};

	for (int i = 0; i < l->n; i++)
	{
		char	   *s = fm_list_get(l, i, char);

		fm_list_append(a, &out, fm_streq(s, old) ? (char *) new : s);
	}
	return out;
}

/* a shallow copy of t, its lists copied (so that they may be edited) */
static FmTable *
copy_table(FmArena *a, const FmTable *t)
{
	FmTable    *c = fm_alloc(a, sizeof(FmTable));
	FmList		cols = {0};

	*c = *t;
	for (int i = 0; i < t->columns.n; i++)
	{
		fm_list_append(a, &cols, fm_column_copy(a, fm_list_get(&t->columns, i, FmColumn)));
	}
	c->columns = cols;
	return c;
}

/* a copy of partition key k with column old named new */
static FmPartKey *
renamed_part_key(FmArena *a, const FmPartKey *k, const char *old, const char *new)
{
	FmPartKey  *c = fm_alloc(a, sizeof(FmPartKey));

	*c = *k;
	memset(&c->elems, 0, sizeof(c->elems));
	for (int i = 0; i < k->elems.n; i++)
	{
		FmIndexElem *e = fm_alloc(a, sizeof(FmIndexElem));

		*e = *fm_list_get(&k->elems, i, FmIndexElem);
		if (fm_streq(e->column, old))
			e->column = (char *) new;
		fm_list_append(a, &c->elems, e);
	}
	return c;
}

/* column old of t is now new: t's column, keys, indexes, foreign keys */
static void
rename_column_refs(FmArena *a, FmTable *t, const char *old, const char *new)
{
	FmList		l;

	for (int i = 0; i < t->columns.n; i++)
	{
		FmColumn   *c = fm_list_get(&t->columns, i, FmColumn);

		if (fm_streq(c->name, old))
			c->name = (char *) new;
	}
	if (t->primary_key)
	{
		FmKey	   *k = fm_alloc(a, sizeof(FmKey));

		*k = *t->primary_key;
		k->columns = renamed_names(a, &k->columns, old, new);
		t->primary_key = k;
	}
	memset(&l, 0, sizeof(l));
	for (int i = 0; i < t->uniques.n; i++)
	{
		FmKey	   *k = fm_alloc(a, sizeof(FmKey));

		*k = *fm_list_get(&t->uniques, i, FmKey);
		k->columns = renamed_names(a, &k->columns, old, new);
		fm_list_append(a, &l, k);
	}
	t->uniques = l;
	memset(&l, 0, sizeof(l));
	for (int i = 0; i < t->indexes.n; i++)
	{
		FmIndex    *ix = fm_alloc(a, sizeof(FmIndex));
		FmList		elems = {0};

		*ix = *fm_list_get(&t->indexes, i, FmIndex);
		for (int j = 0; j < ix->elems.n; j++)
		{
			FmIndexElem *e = fm_alloc(a, sizeof(FmIndexElem));

			*e = *fm_list_get(&ix->elems, j, FmIndexElem);
			if (fm_streq(e->column, old))
				e->column = (char *) new;
			fm_list_append(a, &elems, e);
		}
		ix->elems = elems;
		ix->include = renamed_names(a, &ix->include, old, new);
		fm_list_append(a, &l, ix);
	}
	t->indexes = l;
	memset(&l, 0, sizeof(l));
	for (int i = 0; i < t->foreign_keys.n; i++)
	{
		FmForeignKey *fk = fm_alloc(a, sizeof(FmForeignKey));

		*fk = *fm_list_get(&t->foreign_keys, i, FmForeignKey);
		fk->columns = renamed_names(a, &fk->columns, old, new);
		fm_list_append(a, &l, fk);
	}
	t->foreign_keys = l;
	if (t->partition_by != NULL)
		t->partition_by = renamed_part_key(a, t->partition_by, old, new);
}

/*
 * Column old of table schema.name of m is now new: the partition keys of
 * the partitions below it that name the column say new (they have the
 * column from it, and PostgreSQL renames it there too).  Only partitioned
 * partitions are walked up, each a bounded walk.
 */
static void
rename_descendant_keys(FmArena *a, FmModel *m, const char *schema, const char *name,
					   const char *old, const char *new)
{
	for (int i = 0; i < m->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);
		const FmTable *p = t;
		bool		below = false;

		if (t->partition_by == NULL || t->part_parent == NULL)
			continue;
		for (int depth = 0; p != NULL && p->part_parent != NULL && depth < 1000 && !below; depth++)
		{
			below = fm_streq(p->part_parent_schema, schema) && fm_streq(p->part_parent, name);
			p = fm_model_find_table(m, p->part_parent_schema, p->part_parent);
		}
		if (!below)
			continue;
		t = copy_table(a, t);
		t->partition_by = renamed_part_key(a, t->partition_by, old, new);
		m->tables.items[i] = t;
	}
}

/*
 * Table schema.old of m is now new: its partitions and the tables that
 * inherit it name it so (ALTER TABLE ... RENAME TO keeps them attached).
 */
static void
rename_lineage_refs(FmArena *a, FmModel *m, const char *schema, const char *old,
					const char *new)
{
	for (int i = 0; i < m->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);
		bool		hit = t->part_parent != NULL &&
			fm_streq(t->part_parent_schema, schema) && fm_streq(t->part_parent, old);

		for (int j = 0; j < t->inherits.n && !hit; j++)
		{
			const FmTableRef *r = fm_list_get(&t->inherits, j, FmTableRef);

			hit = fm_streq(r->schema, schema) && fm_streq(r->name, old);
		}
		if (!hit)
			continue;
		t = copy_table(a, t);
		m->tables.items[i] = t;
		if (t->part_parent != NULL &&
			fm_streq(t->part_parent_schema, schema) && fm_streq(t->part_parent, old))
			t->part_parent = (char *) new;
		if (t->inherits.n > 0)
		{
			FmList		l = {0};

			for (int j = 0; j < t->inherits.n; j++)
			{
				FmTableRef *r = fm_alloc(a, sizeof(FmTableRef));

				*r = *fm_list_get(&t->inherits, j, FmTableRef);
				if (fm_streq(r->schema, schema) && fm_streq(r->name, old))
					r->name = (char *) new;
				fm_list_append(a, &l, r);
			}
			t->inherits = l;
		}
	}
}

/* foreign keys of every table of m that reference schema.old now say new */
static void
rename_fk_targets(FmArena *a, FmModel *m, const char *schema, const char *old,
				  const char *new, const char *oldcol, const char *newcol)
{
	for (int i = 0; i < m->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);
		bool		hit = false;

		for (int j = 0; j < t->foreign_keys.n && !hit; j++)
		{
			FmForeignKey *fk = fm_list_get(&t->foreign_keys, j, FmForeignKey);

			hit = fm_streq(fk->ref_schema, schema) && fm_streq(fk->ref_table, old);
		}
		if (!hit)
			continue;
		t = copy_table(a, t);
		m->tables.items[i] = t;
		{
			FmList		l = {0};

			for (int j = 0; j < t->foreign_keys.n; j++)
			{
				FmForeignKey *fk = fm_alloc(a, sizeof(FmForeignKey));

				*fk = *fm_list_get(&t->foreign_keys, j, FmForeignKey);
				if (fm_streq(fk->ref_schema, schema) && fm_streq(fk->ref_table, old))
				{
					fk->ref_table = (char *) new;
					if (oldcol != NULL)
						fk->ref_columns = renamed_names(a, &fk->ref_columns, oldcol, newcol);
				}
				fm_list_append(a, &l, fk);
			}
			t->foreign_keys = l;
		}
	}
}

/* the first of a declaration's two spellings that names an old object */
static const char *
declared_old(const char *derived, const char *written,
			 bool (*exists) (const void *, const char *), const void *arg)
{
	if (derived != NULL && exists(arg, derived))
		return derived;
	if (written != NULL && exists(arg, written))
		return written;
	return NULL;
}

typedef struct InSchema
{
	const FmModel *m;
	const char *schema;
} InSchema;

/* Is there a table name in the InSchema's model and schema? */
static bool
table_exists(const void *arg, const char *name)
{
	const InSchema *s = arg;

	return fm_model_find_table(s->m, s->schema, name) != NULL;
}

/* Is there a column name in table arg? */
static bool
column_exists(const void *arg, const char *name)
{
	return fm_table_find_column((const FmTable *) arg, name) != NULL;
}

/* Is there an enum name in the InSchema's model and schema? */
static bool
enum_exists(const void *arg, const char *name)
{
	const InSchema *s = arg;

	return fm_model_find_enum(s->m, s->schema, name) != NULL;
}

/* Is name a label of enum arg? */
static bool
label_exists(const void *arg, const char *name)
{
	const FmEnum *e = arg;

	for (int i = 0; i < e->values.n; i++)
		if (fm_streq(fm_list_get(&e->values, i, FmEnumValue)->name, name))
			return true;
	return false;
}

static FmStep *
rename_step(Diff *d, const char *object, FmBuf *b)
{
	fm_buf_append_char(b, ';');
	return fmd_add_step(d, FM_PHASE_RENAME, "Rename", (char *) object, b->data);
}

/* the declared table renames of to: applied to m (a copy of from) */
static void
rename_tables(Diff *d, FmModel *m, const FmModel *to)
{
	for (int i = 0; i < to->tables.n; i++)
	{
		const FmTable *t2 = fm_list_get(&to->tables, i, FmTable);
		InSchema	in = {m, t2->schema};
		const char *old;
		FmBuf		b;
		FmStep	   *s;

		if (t2->renamed_from == NULL ||
			fm_model_find_table(m, t2->schema, t2->name) != NULL)
			continue;
		old = declared_old(t2->renamed_from, t2->renamed_from_written, table_exists, &in);
		if (old == NULL)
			continue;
		fmd_begin_alter(d, &b, fm_model_find_table(m, t2->schema, old));
		fm_buf_append(&b, "RENAME TO ");
		fm_r_ident(&d->r, &b, t2->name);
		s = rename_step(d, fm_object_name(d->a, t2->schema, t2->name), &b);
		s->kind = FM_STEP_RENAME_TABLE;
		s->lock_schema = t2->schema;
		s->lock_table = (char *) old;
		for (int j = 0; j < m->tables.n; j++)
		{
			FmTable    *t = fm_list_get(&m->tables, j, FmTable);

			if (fm_streq(t->schema, t2->schema) && fm_streq(t->name, old))
			{
				t = copy_table(d->a, t);
				t->name = t2->name;
				m->tables.items[j] = t;
			}
		}
		rename_fk_targets(d->a, m, t2->schema, old, t2->name, NULL, NULL);
		rename_lineage_refs(d->a, m, t2->schema, old, t2->name);
		fm_hash_put(d->a, &d->live_table_names, fmd_name_key(d->a, t2->schema, t2->name),
					(void *) old);
	}
}

/* the declared column renames of to: applied to m */
static void
rename_columns(Diff *d, FmModel *m, const FmModel *to)
{
	for (int i = 0; i < to->tables.n; i++)
	{
		const FmTable *t2 = fm_list_get(&to->tables, i, FmTable);

		for (int k = 0; k < t2->columns.n; k++)
		{
			const FmColumn *c2 = fm_list_get(&t2->columns, k, FmColumn);
			FmTable    *t;
			const char *old;
			FmBuf		b;
			FmStep	   *s;

			/* the table only for a declared rename: finding it is a scan */
			if (FM_COL_MORE(c2)->renamed_from == NULL)
				continue;
			t = fm_model_find_table(m, t2->schema, t2->name);
			if (t == NULL || fm_table_find_column(t, c2->name) != NULL)
				continue;
			old = declared_old(FM_COL_MORE(c2)->renamed_from, FM_COL_MORE(c2)->renamed_from_written, column_exists, t);
			if (old == NULL)
				continue;
			fmd_begin_alter(d, &b, t);
			fm_buf_append(&b, "RENAME COLUMN ");
			fm_r_ident(&d->r, &b, old);
			fm_buf_append(&b, " TO ");
			fm_r_ident(&d->r, &b, c2->name);
			s = rename_step(d, fmd_col_object(d, t2, c2->name), &b);
			s->kind = FM_STEP_RENAME_COLUMN;
			s->lock_schema = t2->schema;
			s->lock_table = t2->name;
			for (int j = 0; j < m->tables.n; j++)
				if (fm_list_get(&m->tables, j, FmTable) == t)
				{
					t = copy_table(d->a, t);
					m->tables.items[j] = t;
				}
			rename_column_refs(d->a, t, old, c2->name);
			rename_fk_targets(d->a, m, t2->schema, t2->name, t2->name, old, c2->name);
			if (t->partition_by != NULL)
				rename_descendant_keys(d->a, m, t2->schema, t2->name, old, c2->name);
		}
	}
}

/*
 * the declared enum type renames of to: applied to m, with the columns of
 * m's tables of that type (and arrays of it), as PostgreSQL keeps them
 */
static void
rename_enums(Diff *d, FmModel *m, const FmModel *to)
{
	for (int i = 0; i < to->enums.n; i++)
	{
		const FmEnum *e2 = fm_list_get(&to->enums, i, FmEnum);
		InSchema	in = {m, e2->schema};
		const char *old;
		FmBuf		b;

		if (e2->renamed_from == NULL ||
			fm_model_find_enum(m, e2->schema, e2->name) != NULL)
			continue;
		old = declared_old(e2->renamed_from, e2->renamed_from_written, enum_exists, &in);
		if (old == NULL)
			continue;
		fm_buf_init(&b, d->a);
		fm_buf_append(&b, "ALTER TYPE ");
		fm_r_qname(&d->r, &b, e2->schema, old);
		fm_buf_append(&b, " RENAME TO ");
		fm_r_ident(&d->r, &b, e2->name);
		(void) rename_step(d, fm_object_name(d->a, e2->schema, e2->name), &b);
		for (int j = 0; j < m->enums.n; j++)
		{
			FmEnum	   *e = fm_list_get(&m->enums, j, FmEnum);

			if (fm_streq(e->schema, e2->schema) && fm_streq(e->name, old))
			{
				FmEnum	   *copy = fm_alloc(d->a, sizeof(FmEnum));

				*copy = *e;
				copy->name = e2->name;
				m->enums.items[j] = copy;
			}
		}
		for (int j = 0; j < m->tables.n; j++)
		{
			FmTable    *t = fm_list_get(&m->tables, j, FmTable);
			bool		copied = false;

			for (int k = 0; k < t->columns.n; k++)
			{
				FmColumn   *c = fm_list_get(&t->columns, k, FmColumn);

				if (c->type.kind != FM_TYPE_ENUM || !fm_streq(c->type.enum_name, old) ||
					!fm_streq(c->type.enum_schema, e2->schema))
					continue;
				if (!copied)
				{
					t = copy_table(d->a, t);
					m->tables.items[j] = t;
					copied = true;
				}
				fm_list_get(&t->columns, k, FmColumn)->type.enum_name = e2->name;
			}
		}
	}
}

/* the declared enum value renames of to: applied to m */
static void
rename_labels(Diff *d, FmModel *m, const FmModel *to)
{
	for (int i = 0; i < to->enums.n; i++)
	{
		const FmEnum *e2 = fm_list_get(&to->enums, i, FmEnum);

		for (int k = 0; k < e2->values.n; k++)
		{
			const FmEnumValue *v2 = fm_list_get(&e2->values, k, FmEnumValue);
			FmEnum	   *e = fm_model_find_enum(m, e2->schema, e2->name);
			const char *old;
			FmBuf		b;
			FmEnum	   *copy;
			FmList		vals = {0};

			if (v2->renamed_from == NULL || e == NULL || label_exists(e, v2->name))
				continue;
			old = declared_old(v2->renamed_from, v2->renamed_from_written, label_exists, e);
			if (old == NULL)
				continue;
			fm_buf_init(&b, d->a);
			fm_buf_append(&b, "ALTER TYPE ");
			fm_r_qname(&d->r, &b, e2->schema, e2->name);
			fm_buf_append(&b, " RENAME VALUE ");
			fm_r_literal(&d->r, &b, old);
			fm_buf_append(&b, " TO ");
			fm_r_literal(&d->r, &b, v2->name);
			(void) rename_step(d, fm_object_name(d->a, e2->schema, e2->name), &b);
			copy = fm_alloc(d->a, sizeof(FmEnum));
			*copy = *e;
			for (int j = 0; j < e->values.n; j++)
			{
				FmEnumValue *v = fm_alloc(d->a, sizeof(FmEnumValue));

				*v = *fm_list_get(&e->values, j, FmEnumValue);
				if (fm_streq(v->name, old))
					v->name = v2->name;
				fm_list_append(d->a, &vals, v);
			}
			copy->values = vals;
			for (int j = 0; j < m->enums.n; j++)
				if (fm_list_get(&m->enums, j, FmEnum) == e)
					m->enums.items[j] = copy;
		}
	}
}

/*
 * fmd_renames
 *		Record the declared renames of to (tables, then columns, then enum
 *		types, then enum values) that apply to from, and return from as they
 *		leave it (from itself when there are none).
 */
const FmModel *
fmd_renames(Diff *d, const FmModel *from, const FmModel *to)
{
	FmModel    *m = fm_alloc(d->a, sizeof(FmModel));
	int			before = d->recs.n;

	*m = *from;
	memset(&m->tables, 0, sizeof(m->tables));
	memset(&m->enums, 0, sizeof(m->enums));
	for (int i = 0; i < from->tables.n; i++)
		fm_list_append(d->a, &m->tables, fm_list_get(&from->tables, i, FmTable));
	for (int i = 0; i < from->enums.n; i++)
		fm_list_append(d->a, &m->enums, fm_list_get(&from->enums, i, FmEnum));
	rename_tables(d, m, to);
	rename_columns(d, m, to);
	rename_enums(d, m, to);
	rename_labels(d, m, to);
	return d->recs.n == before ? from : m;
}

/* what: "table" / "column"; above: where the annotation goes */
static void
add_hint(Diff *d, char *key, const char *what, const char *old, const char *new,
		 const char *above)
{
	fm_hash_put(d->a, &d->rename_hints, key,
				fm_psprintf(d->a, "%s %s may be %s %s renamed; if so, write %s above %s, or the data of %s is lost.",
							what, new, what, old, fm_renamed_annotation(d->a, old), above, old));
}

/*
 * Map (schema, name) -> the first table of m of that name (what
 * fm_model_find_table returns), so that one lookup per table keeps the
 * possible renames linear.
 */
static void
map_tables(Diff *d, const FmModel *m, FmHashMap *map)
{
	fm_hash_reserve(d->a, map, (size_t) m->tables.n);
	for (int i = m->tables.n - 1; i >= 0; i--)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);

		fm_hash_put2(d->a, map, t->schema, t->name, t);
	}
}

/* fm_model_find_table(m, schema, name) through map_tables' map of m */
static const FmTable *
find_in(const FmModel *m, const FmHashMap *map, const char *schema,
		const char *name)
{
	if (name == NULL)			/* not in the map */
		return fm_model_find_table(m, schema, name);
	return fm_hash_get2(map, schema, name);
}

/*
 * fmd_possible_renames
 *		Note the models, from -> to, whose possible_rename hints the adding
 *		steps get: for what a plain diff would drop and add, a new table of
 *		the same shape as a dropped table of its schema, a new column of the
 *		same type as a dropped column of its table (the first match each).
 *		Nothing is renamed.  Each hint is found when the step that would
 *		carry it is recorded (fmd_table_rename_hint, fmd_column_rename_hint):
 *		a plan that adds nothing looks for none.
 */
void
fmd_possible_renames(Diff *d, const FmModel *from, const FmModel *to)
{
	d->hints_from = from;
	d->hints_to = to;
}

/* s as a part of a key, NULL and "" told apart, ended by \x1f */
static void
key_str(FmBuf *b, const char *s)
{
	if (s == NULL)
		fm_buf_append_char(b, '\x02');
	else
	{
		fm_buf_append_char(b, '\x03');
		fm_buf_append(b, s);
	}
	fm_buf_append_char(b, '\x1f');
}

/* the key of a type: two types have one key exactly when fmd_type_eq holds */
static char *
type_key(FmArena *a, const FmType *t)
{
	FmBuf		b;

	fm_buf_init(&b, a);
	if (t->kind == FM_TYPE_ENUM)
	{
		fm_buf_append(&b, t->array ? "E[]" : "E");
		key_str(&b, t->enum_schema);
		key_str(&b, t->enum_name);
	}
	else
	{
		fm_buf_append_char(&b, 'S');
		key_str(&b, t->sql ? fm_normalize_type(a, t->sql) : NULL);
	}
	return b.data;
}

/*
 * The key of a table's shape and schema: two tables of one schema with
 * columns have one key exactly when they have the same columns (names and
 * types, in any order; column names are
 * unique in a table): the schema, then each column's name and type key,
 * sorted by name.  NULL for a table without columns (no shape).
 */
static char *
shape_key(FmArena *a, const FmTable *t)
{
	FmList		parts = {0};
	char	  **sorted;
	FmBuf		b;

	if (t->columns.n == 0)
		return NULL;
	for (int i = 0; i < t->columns.n; i++)
	{
		const FmColumn *c = fm_list_get(&t->columns, i, FmColumn);
		FmBuf		p;

		fm_buf_init(&p, a);
		key_str(&p, c->name);
		fm_buf_append(&p, type_key(a, &c->type));
		fm_list_append(a, &parts, p.data);
	}
	sorted = (char **) fmd_sorted_copy(a, &parts, fmd_str_ptr_cmp);
	fm_buf_init(&b, a);
	key_str(&b, t->schema);
	for (int i = 0; i < parts.n; i++)
	{
		fm_buf_append(&b, sorted[i]);
		fm_buf_append_char(&b, '\x1e');
	}
	return b.data;
}

/*
 * The maps of the models fmd_possible_renames() noted, the tables of
 * from that to lacks (in from's order), and the first of them of each
 * shape, made once.
 */
static void
hint_maps(Diff *d)
{
	if (d->hint_maps_done)
		return;
	map_tables(d, d->hints_from, &d->hints_from_map);
	map_tables(d, d->hints_to, &d->hints_to_map);
	for (int j = 0; j < d->hints_from->tables.n; j++)
	{
		FmTable    *o = fm_list_get(&d->hints_from->tables, j, FmTable);
		char	   *key;

		if (find_in(d->hints_to, &d->hints_to_map, o->schema, o->name) != NULL)
			continue;
		fm_list_append(d->a, &d->hints_dropped, o);
		key = shape_key(d->a, o);
		if (key != NULL && fm_hash_get(&d->hints_by_shape, key) == NULL)
			fm_hash_put(d->a, &d->hints_by_shape, key, o);
	}
	d->hint_maps_done = true;
}

/*
 * fmd_table_rename_hint
 *		Give step s, which creates table t2 of the target, its
 *		possible_rename hint (fmd_rename_hint) when t2 is new and a table of
 *		its schema that the target drops has the same shape.
 */
void
fmd_table_rename_hint(Diff *d, FmStep *s, const FmTable *t2)
{
	const FmModel *from = d->hints_from;
	char	   *key = fmd_name_key(d->a, t2->schema, t2->name);

	hint_maps(d);
	/*
	 * a new table, when the target drops a table with columns: the first
	 * dropped one of its schema and shape (no shape is made otherwise: a
	 * plan that only creates tables makes none)
	 */
	if (d->hints_by_shape.n > 0 &&
		find_in(from, &d->hints_from_map, t2->schema, t2->name) == NULL)
	{
		char	   *shape = shape_key(d->a, t2);
		const FmTable *o = shape ? fm_hash_get(&d->hints_by_shape, shape) : NULL;

		if (o != NULL && t2->implicit_m2m)
		{
			/* no model to annotate: the relation's name keeps the table's */
			fm_hash_put(d->a, &d->rename_hints, key,
						fm_psprintf(d->a, "table %s may be table %s renamed, the join table of an implicit many-to-many relation whose model was renamed; if so, name the relation after the old table on both its fields (@relation(\"%s\"), the name without its leading \"_\"), which keeps the join table and its rows, or the data of %s is lost.",
									t2->name, o->name, o->name[0] == '_' ? o->name + 1 : o->name,
									o->name));
		}
		else if (o != NULL)
			add_hint(d, key, "table", o->name, t2->name,
					 fm_psprintf(d->a, "model %s", t2->model_name ? t2->model_name : t2->name));
	}
	fmd_rename_hint(d, s, key);
}

/*
 * The columns of a pair of tables (t1 live, t2 target) that a column
 * rename hint needs, made once per pair: t1's column names, and the first
 * column of t1 of each type (type_key) that t2 lacks.
 */
typedef struct ColHints
{
	FmHashMap	names1;
	FmHashMap	dropped_by_type;
} ColHints;

static const ColHints *
col_hints(Diff *d, const FmTable *t1, const FmTable *t2)
{
	char	   *key = fm_psprintf(d->a, "%p/%p", (const void *) t1, (const void *) t2);
	ColHints   *h = fm_hash_get(&d->col_hints, key);
	FmHashMap	names2 = {0};

	if (h != NULL)
		return h;
	h = fm_alloc(d->a, sizeof(ColHints));
	memset(h, 0, sizeof(ColHints));
	for (int j = 0; j < t2->columns.n; j++)
	{
		const FmColumn *c = fm_list_get(&t2->columns, j, FmColumn);

		if (c->name)
			fm_hash_put(d->a, &names2, c->name, (void *) c);
	}
	for (int j = 0; j < t1->columns.n; j++)
	{
		const FmColumn *c1 = fm_list_get(&t1->columns, j, FmColumn);
		char	   *tk;

		if (c1->name == NULL)
			continue;
		fm_hash_put(d->a, &h->names1, c1->name, (void *) c1);
		if (fm_hash_get(&names2, c1->name) != NULL)
			continue;
		tk = type_key(d->a, &c1->type);
		if (fm_hash_get(&h->dropped_by_type, tk) == NULL)
			fm_hash_put(d->a, &h->dropped_by_type, tk, (void *) c1);
	}
	fm_hash_put(d->a, &d->col_hints, key, h);
	return h;
}

/*
 * fmd_column_rename_hint
 *		Give step s, which adds column c2 to table t (of the target, or the
 *		view of it that the column phase compares), its possible_rename hint
 *		(fmd_rename_hint) when the live table of that name has no column c2
 *		and has a column of the same type that the target's table lacks.
 *		The tables of that name are the pair the table phase is comparing
 *		(names are unique on each side).
 */
void
fmd_column_rename_hint(Diff *d, FmStep *s, const FmTable *t, const FmColumn *c2)
{
	const FmTable *t1,
			   *t2;
	char	   *key = fm_psprintf(d->a, "%s\x1f%s", fmd_name_key(d->a, t->schema, t->name),
								  c2->name);

	if (d->pair_to != NULL &&
		fmd_name_cmp(d->pair_to->schema, d->pair_to->name, t->schema, t->name) == 0)
	{
		/* the pair being compared: the tables of that name */
		t2 = d->pair_to;
		t1 = d->pair_from;
	}
	else
	{
		hint_maps(d);
		t2 = find_in(d->hints_to, &d->hints_to_map, t->schema, t->name);
		t1 = find_in(d->hints_from, &d->hints_from_map, t->schema, t->name);
	}
	if (t1 != NULL && t2 != NULL)
	{
		const ColHints *h = col_hints(d, t1, t2);
		const FmColumn *c1;

		/* a new column: the first of t1 that t2 lacks, of its type */
		c1 = fm_hash_get(&h->names1, c2->name) != NULL ? NULL :
			fm_hash_get(&h->dropped_by_type, type_key(d->a, &c2->type));
		if (c1 != NULL)
			add_hint(d, key, "column", c1->name, c2->name,
					 fm_psprintf(d->a, "field %s", c2->field_name ? c2->field_name : c2->name));
	}
	fmd_rename_hint(d, s, key);
}

/*
 * fmd_rename_hint
 *		Give step s (adding the column or table named by key) the
 *		possible_rename hint noted for it, if any: as its hazard when it has
 *		none, else beside its hazard.
 */
void
fmd_rename_hint(Diff *d, FmStep *s, const char *key)
{
	char	   *hint = fm_hash_get(&d->rename_hints, key);

	if (hint == NULL)
		return;
	s->rename_hint = hint;
	if (s->hazard == FM_HAZARD_NONE)
	{
		s->hazard = FM_HAZARD_POSSIBLE_RENAME;
		s->hazard_extra = hint;
	}
}
