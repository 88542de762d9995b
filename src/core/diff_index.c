/*-------------------------------------------------------------------------
 *
 * diff_index.c
 *	  The key and index phase of the diff: primary keys, unique
 *	  constraints and indexes of a table present on both sides.
 *
 * Unique constraints and indexes are one namespace in PostgreSQL, so they
 * are compared as one list of "index-like objects" (IdxObj), matched by
 * name and compared by a signature: a unique index that is nothing more
 * than a unique constraint (btree, plain columns, default ordering, no
 * INCLUDE or predicate) has the signature of the constraint.  An unmatched
 * pair of the same kind and signature is a rename (ALTER INDEX / RENAME
 * CONSTRAINT) rather than a drop and create, unless the old name is still
 * wanted by another object.  A partial or expression index that mentions
 * a column converted to a recreated enum is dropped and created again.
 *
 * Every unique key dropped is noted (Diff.dropped_keys): a foreign key
 * referencing it must be dropped first and added again (diff_constraint.c).
 * Adding a unique key to an existing table is an ADD_UNIQUE hazard.
 *
 * src/core/diff_index.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"
#include "fm_sqlnames.h"

/*
 * index_is_plain_unique
 *		True when unique index ix is nothing more than a unique constraint
 *		would be: btree, plain columns, default ordering and nulls, no
 *		opclass, INCLUDE or predicate.
 */
static bool
index_is_plain_unique(const FmIndex *ix, bool colls)
{
	if (!ix->unique || ix->predicate || ix->include.n > 0)
		return false;
	if (ix->method && !fm_strcaseeq(ix->method, "btree"))
		return false;
	for (int i = 0; i < ix->elems.n; i++)
	{
		FmIndexElem *e = fm_list_get(&ix->elems, i, FmIndexElem);

		if (!e->column || e->expr || e->opclass || e->sort == FM_SORT_DESC ||
			e->nulls == FM_NULLS_FIRST || (colls && e->collation))
			return false;
	}
	return true;
}

/*
 * comparison signature of a unique constraint on cols, NULLS NOT DISTINCT
 * when nnd
 */
static char *
unique_sig(FmArena *a, const FmList *cols, bool nnd)
{
	FmBuf		b;

	fm_buf_init(&b, a);
	fm_buf_append(&b, nnd ? "UN" : "U");
	for (int i = 0; i < cols->n; i++)
	{
		fm_buf_append_char(&b, '\x1f');
		fm_buf_append(&b, fm_list_get(cols, i, char));
	}
	return fm_buf_finish(&b);
}

/*
 * index_sig
 *		Comparison signature of index ix: equal signatures mean the same
 *		index for PostgreSQL.
 *
 * A plain unique index has the signature of the unique constraint on its
 * columns.  Otherwise: unique or not, method, then per element the column
 * (or the normalized expression; an expression that is only a column name
 * counts as that column), direction, nulls order and opclass
 * (pg_catalog's schema omitted), the element's collation unless !colls
 * (the prisma dialect cannot state it: the live one is kept), then INCLUDE
 * columns, NULLS NOT DISTINCT and the normalized predicate.
 */
static char *
index_sig(FmArena *a, const FmIndex *ix, bool colls)
{
	FmBuf		b;

	if (index_is_plain_unique(ix, colls))
	{
		FmList		cols = {0};

		for (int i = 0; i < ix->elems.n; i++)
			fm_list_append(a, &cols, fm_list_get(&ix->elems, i, FmIndexElem)->column);
		return unique_sig(a, &cols, ix->nulls_not_distinct);
	}
	fm_buf_init(&b, a);
	fm_buf_append_char(&b, 'I');
	fm_buf_append_char(&b, ix->unique ? 'u' : 'n');
	fm_buf_append_char(&b, '\x1f');
	fm_buf_append(&b, ix->method ? ix->method : "btree");
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
		{
			fm_buf_append_char(&b, 'c');
			fm_buf_append(&b, e->column);
		}
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
		fm_buf_append_char(&b, '\x1e');
		fm_buf_append_char(&b, desc ? 'd' : 'a');
		fm_buf_append_char(&b, nulls);
		fm_buf_append_char(&b, '\x1e');
		fm_buf_append(&b, opcs ? opcs : "");
		fm_buf_append_char(&b, '\x1d');
		fm_buf_append(&b, opc ? opc : "");
		if (colls && e->collation)
			fm_buf_printf(&b, "\x1e" "C%s", e->collation);
	}
	fm_buf_append(&b, "\x1fi");
	for (int i = 0; i < ix->include.n; i++)
	{
		fm_buf_append_char(&b, '\x1e');
		fm_buf_append(&b, fm_list_get(&ix->include, i, char));
	}
	if (ix->nulls_not_distinct)
		fm_buf_append(&b, "\x1fN");
	if (ix->predicate)
		fm_buf_printf(&b, "\x1fw%s", fm_normalize_expr(a, ix->predicate));
	return fm_buf_finish(&b);
}

/* an index-like object of a table: unique constraint or index */
typedef struct IdxObj
{
	const char *name;
	bool		is_constraint;
	char	   *sig;			/* NULL until idxobj_sig() computes it */
	const FmKey *key;
	const FmIndex *index;
	bool		matched;
} IdxObj;

static int
idxobj_cmp(const void *a, const void *b)
{
	return fm_strcmp_null(((const IdxObj *) a)->name, ((const IdxObj *) b)->name);
}

/*
 * The unique constraints and indexes of t as IdxObjs sorted by name (a
 * stable sort, as qsort's merge sort is); *n = count.  Their signatures
 * are computed when needed (idxobj_sig).
 */
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
	}
	for (int i = 0; i < t->indexes.n; i++, k++)
	{
		FmIndex    *ix = fm_list_get(&t->indexes, i, FmIndex);

		arr[k].name = ix->name;
		arr[k].index = ix;
	}
	if (cnt > 16)
		qsort(arr, (size_t) cnt, sizeof(IdxObj), idxobj_cmp);
	else
		for (int i = 1; i < cnt; i++)
		{
			IdxObj		o = arr[i];
			int			j = i;

			while (j > 0 && idxobj_cmp(&arr[j - 1], &o) > 0)
			{
				arr[j] = arr[j - 1];
				j--;
			}
			arr[j] = o;
		}
	*n = cnt;
	return arr;
}

/* o's signature (unique_sig or index_sig), computed once */
static const char *
idxobj_sig(FmArena *a, IdxObj *o, bool colls)
{
	if (o->sig == NULL)
		o->sig = o->is_constraint ?
			unique_sig(a, &o->key->columns, o->key->nulls_not_distinct) :
			index_sig(a, o->index, colls);
	return o->sig;
}

/*
 * renamable
 *		May o1 (live) be renamed into o2: the same kind and signature, or a
 *		unique constraint and a unique index that is nothing more than one
 *		(index_is_plain_unique) on the same columns, in either direction.
 *		The rename keeps o1's kind: a unique constraint and a unique index
 *		with the same name and plain columns compare equal (normalize_srv.c),
 *		so the plan after it is empty.  Prisma Migrate, which reads both as
 *		unique indexes, renames them the same way.
 */
static bool
renamable(FmArena *a, IdxObj *o1, IdxObj *o2, bool colls)
{
	IdxObj	   *k,
			   *x;
	FmList		cols = {0};

	if (o1->is_constraint == o2->is_constraint)
		return strcmp(idxobj_sig(a, o1, colls), idxobj_sig(a, o2, colls)) == 0;
	k = o1->is_constraint ? o1 : o2;
	x = o1->is_constraint ? o2 : o1;
	if (!index_is_plain_unique(x->index, colls))
		return false;
	for (int i = 0; i < x->index->elems.n; i++)
		fm_list_append(a, &cols, fm_list_get(&x->index->elems, i, FmIndexElem)->column);
	return fmd_name_list_eq(&k->key->columns, &cols);
}

/* the same list of index elements, field by field */
static bool
elems_identical(const FmList *x, const FmList *y, bool colls)
{
	if (x->n != y->n)
		return false;
	for (int i = 0; i < x->n; i++)
	{
		const FmIndexElem *e = fm_list_get(x, i, FmIndexElem);
		const FmIndexElem *f = fm_list_get(y, i, FmIndexElem);

		if (!fm_streq(e->column, f->column) || !fm_streq(e->expr, f->expr) ||
			e->sort != f->sort || e->nulls != f->nulls ||
			!fm_streq(e->opclass, f->opclass) ||
			!fm_streq(e->opclass_schema, f->opclass_schema) ||
			(colls && !fm_streq(e->collation, f->collation)))
			return false;
	}
	return true;
}

/*
 * idxobj_same
 *		Do x and y have the same signature?  When they are of one kind and
 *		equal in every field their signature reads (the columns of a unique
 *		constraint; for an index, uniqueness, method, elements, INCLUDE and
 *		predicate), they do without computing it: the signature is a
 *		function of those fields.  Else the signatures are compared.  An
 *		invalid live index (FmIndex.invalid) is the same as none, unless
 *		the other side is invalid too: the copy of a live index that the
 *		target keeps as it is (a @preserve'd table's, fm_model_keep_preserved),
 *		which a plan leaves alone (it built it again, and the build of a
 *		failed CREATE INDEX CONCURRENTLY fails again).
 */
static bool
idxobj_same(FmArena *a, IdxObj *x, IdxObj *y, bool colls)
{
	if ((!x->is_constraint && x->index->invalid) !=
		(!y->is_constraint && y->index->invalid))
		return false;
	if (x->is_constraint && y->is_constraint &&
		x->key->nulls_not_distinct == y->key->nulls_not_distinct &&
		fm_str_list_eq(&x->key->columns, &y->key->columns))
		return true;
	if (!x->is_constraint && !y->is_constraint &&
		x->index->unique == y->index->unique &&
		x->index->nulls_not_distinct == y->index->nulls_not_distinct &&
		fm_streq(x->index->method, y->index->method) &&
		fm_streq(x->index->predicate, y->index->predicate) &&
		fm_str_list_eq(&x->index->include, &y->index->include) &&
		elems_identical(&x->index->elems, &y->index->elems, colls))
		return true;
	return strcmp(idxobj_sig(a, x, colls), idxobj_sig(a, y, colls)) == 0;
}

/*
 * fmd_index_same
 *		Are plain indexes x and y the same (idxobj_same; colls: compare
 *		collations)?
 */
bool
fmd_index_same(Diff *d, const FmIndex *x, const FmIndex *y, bool colls)
{
	IdxObj		a = {x->name, false, NULL, NULL, x, false};
	IdxObj		b = {y->name, false, NULL, NULL, y, false};

	return idxobj_same(d->a, &a, &b, colls);
}

/*
 * same_but_predicate
 *		Is live partial index x the same as y of t2 but for x's predicate,
 *		when t2 cannot state predicates (keep_partial)?  Then the live index
 *		is kept as it is, as Prisma Migrate keeps it.
 */
static bool
same_but_predicate(FmArena *a, const FmTable *t2, IdxObj *x, IdxObj *y, bool colls)
{
	FmIndex    *ix;
	IdxObj		bare;

	if (!t2->keep_partial || x->is_constraint || y->is_constraint ||
		x->index->predicate == NULL || y->index->predicate != NULL)
		return false;
	ix = fm_alloc(a, sizeof(FmIndex));
	*ix = *x->index;
	ix->predicate = NULL;
	bare = *x;
	bare.index = ix;
	bare.sig = NULL;
	return idxobj_same(a, &bare, y, colls);
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
	return fm_buf_finish(&b);
}

/* first of a list of column names, or NULL */
static const char *
first_col(const FmList *cols)
{
	return cols->n ? fm_list_get(cols, 0, char) : NULL;
}

/*
 * fmd_create_index_step
 *		Record CREATE [UNIQUE] INDEX ix on table t; existing (the table is
 *		not new) makes a unique index an ADD_UNIQUE hazard.  On a partition,
 *		a copy of an ancestor's index that holds ix's name is renamed first
 *		(fmd_free_clone_name).
 */
void
fmd_create_index_step(Diff *d, const FmTable *t, const FmIndex *ix, bool existing)
{
	FmStep	   *s;

	fmd_free_clone_name(d, t, ix);
	s = fmd_add_step(d, FM_PHASE_CREATE_INDEX, "CreateIndex",
					 fm_object_name(d->a, t->schema, ix->name),
					 fm_r_create_index(&d->r, t, ix));

	fmd_lock(d, s, FM_STEP_CREATE_INDEX, t);
	s->index = ix;

	if (existing && ix->unique)
	{
		FmIndexElem *e0 = ix->elems.n ? fm_list_get(&ix->elems, 0, FmIndexElem) : NULL;

		fmd_set_hazard(s, FM_HAZARD_ADD_UNIQUE, t->schema, t->name,
					   e0 ? e0->column : NULL, key_elems_text(d, NULL, ix), false);
		s->hazard_predicate = ix->predicate;
	}
}

/*
 * add_key_step
 *		Record ALTER TABLE ... ADD CONSTRAINT for key k, primary or unique;
 *		on an existing table it is an ADD_UNIQUE hazard (a primary key too:
 *		it fails on duplicates as well).
 */
static void
add_key_step(Diff *d, const FmTable *t, const FmKey *k, bool primary, bool existing)
{
	FmBuf		b;
	FmStep	   *s;

	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "ADD CONSTRAINT ");
	fm_r_ident(&d->r, &b, k->name);
	fm_buf_append(&b, primary ? " PRIMARY KEY (" :
				  k->nulls_not_distinct ? " UNIQUE NULLS NOT DISTINCT (" : " UNIQUE (");
	fm_r_name_list(&d->r, &b, &k->columns);
	fm_buf_append(&b, ");");
	s = fmd_add_step(d, FM_PHASE_CREATE_INDEX, "AlterTable",
					 fmd_sub_object(d, t->schema, t->name, k->name), b.data);
	fmd_lock(d, s, FM_STEP_ADD_UNIQUE, t);
	s->key = k;
	s->key_primary = primary;
	if (existing)
		fmd_set_hazard(s, FM_HAZARD_ADD_UNIQUE, t->schema, t->name, first_col(&k->columns),
					   key_elems_text(d, &k->columns, NULL), false);
}

/* remember that a unique key on cols of t is dropped (Diff.dropped_keys) */
static void
note_dropped_key(Diff *d, const FmTable *t, const FmList *cols)
{
	fmd_set_add(d, &d->dropped_keys, &d->ndropped, &d->capdropped,
				fmd_colset_key(d->a, t->schema, t->name, cols));
}

/*
 * fmd_drop_index_step
 *		Add the DROP INDEX step of index name of table t (phase DROP_INDEX,
 *		locking t), allocated in the diff's arena.
 */
void
fmd_drop_index_step(Diff *d, const FmTable *t, const char *name)
{
	FmStep	   *s;

	s = fmd_add_step(d, FM_PHASE_DROP_INDEX, "DropIndex",
					 fm_object_name(d->a, t->schema, name),
					 fmd_drop_ddl(d, "INDEX", t->schema, name));
	fmd_lock(d, s, FM_STEP_DROP_INDEX, t);
	s->index_name = name;
}

/*
 * drop_idxobj
 *		Record the drop of constraint or index o of t, in the drop phase, and
 *		note a dropped unique key (a unique index on plain columns counts) for
 *		the foreign keys that reference it.
 */
static void
drop_idxobj(Diff *d, const FmTable *t, const IdxObj *o)
{
	if (o->is_constraint)
	{
		fmd_lock(d, fmd_add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
								 fmd_sub_object(d, t->schema, t->name, o->name),
								 fmd_drop_constraint_ddl(d, t, o->name)),
				 FM_STEP_DROP_CONSTRAINT, t);
		note_dropped_key(d, t, &o->key->columns);
	}
	else
	{
		fmd_drop_index_step(d, t, o->name);
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

/* record the creation of constraint or index o on existing table t */
static void
create_idxobj(Diff *d, const FmTable *t, const IdxObj *o)
{
	if (o->is_constraint)
		add_key_step(d, t, o->key, false, true);
	else
		fmd_create_index_step(d, t, o->index, true);
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
	FmPhase		phase = fmd_relname_used(d, t->schema, from->name) ?
		FM_PHASE_DROP_INDEX : FM_PHASE_CREATE_INDEX;

	if (from->is_constraint)
	{
		fmd_begin_alter(d, &b, t);
		fm_buf_append(&b, "RENAME CONSTRAINT ");
		fm_r_ident(&d->r, &b, from->name);
		fm_buf_append(&b, " TO ");
		fm_r_ident(&d->r, &b, to->name);
		fm_buf_append_char(&b, ';');
		fmd_lock(d, fmd_add_step(d, phase, "AlterTable",
								 fmd_sub_object(d, t->schema, t->name, to->name), b.data),
				 FM_STEP_RENAME_CONSTRAINT, t);
	}
	else
	{
		FmStep	   *s;

		fm_buf_init(&b, d->a);
		fm_buf_append(&b, "ALTER INDEX ");
		fm_r_qname(&d->r, &b, t->schema, from->name);
		fm_buf_append(&b, " RENAME TO ");
		fm_r_ident(&d->r, &b, to->name);
		fm_buf_append_char(&b, ';');
		s = fmd_add_step(d, phase, "RenameIndex",
						 fm_object_name(d->a, t->schema, to->name), b.data);
		/* the lock is on the index itself (SHARE UPDATE EXCLUSIVE) */
		s->kind = FM_STEP_RENAME_INDEX;
		if (fmd_is_live(d, t->schema, t->name))
		{
			s->lock_schema = t->schema;
			s->lock_table = (char *) from->name;
		}
	}
}

/*
 * fmd_mentions_any
 *		True when the SQL text (an index expression or predicate, a CHECK,
 *		a generation) names any of the columns cols (fm_expr_names_any).
 */
bool
fmd_mentions_any(const char *text, const FmList *cols)
{
	return fm_expr_names_any(text, cols);
}

/* a partial or expression index of which the predicate or an expression mentions one of cols */
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
	if (fmd_mentions_any(ix->predicate, cols))
		return true;
	for (int i = 0; i < ix->elems.n; i++)
		if (fmd_mentions_any(fm_list_get(&ix->elems, i, FmIndexElem)->expr, cols))
			return true;
	return false;
}

/* does a key or index involve one of cols (diff_generated.c)? */
static bool
idxobj_touches(const IdxObj *o, const FmList *cols)
{
	return o->index ? fmd_index_touches(o->index, cols) : fmd_key_touches(o->key, cols);
}

/*
 * kept_unstated
 *		Is live index o1 (unmatched) one that t2 leaves alone as its text
 *		cannot state it (keep_unstated, keep_partial: see FmTable): an index
 *		with an expression element, or a partial one, whose name no index
 *		or key of t2 (o2, n2, sorted by name) uses?
 */
static bool
kept_unstated(const FmTable *t2, IdxObj *o1, IdxObj *o2, int n2)
{
	const FmIndex *ix = o1->index;
	bool		unstated = false;

	if (ix == NULL || !t2->keep_unstated || !fmd_read_live(ix->pos))
		return false;
	for (int i = 0; i < ix->elems.n && !unstated; i++)
		unstated = fm_list_get(&ix->elems, i, FmIndexElem)->expr != NULL;
	if (ix->predicate && t2->keep_partial)
		unstated = true;
	return unstated &&
		bsearch(o1, o2, (size_t) n2, sizeof(IdxObj), idxobj_cmp) == NULL;
}

/*
 * duplicate_of_kept
 *		Is live index or unique constraint o1 (unmatched) the same as one of
 *		t2's that a live one matched, when t2 keeps what its text cannot
 *		state (keep_unstated)?  Prisma Migrate pairs such a duplicate with
 *		the stated index and leaves it; so does the prisma dialect (a second
 *		unique index on users(email) left by a table rename, in rallly's
 *		history).
 */
static bool
duplicate_of_kept(FmArena *a, const FmTable *t2, IdxObj *o1, IdxObj *o2,
				  int n2, bool colls)
{
	if (!t2->keep_unstated ||
		!fmd_read_live(o1->index ? o1->index->pos : o1->key->pos))
		return false;
	for (int j = 0; j < n2; j++)
		if (o2[j].matched && renamable(a, o1, &o2[j], colls))
			return true;
	return false;
}

/*
 * stated_twice
 *		Is stated index or unique o2 (unmatched) the same as a live one
 *		(among o1, n1) that another stated one matched, when t2 keeps what
 *		its text cannot state (keep_unstated)?  Prisma Migrate pairs every
 *		stated index with a live one of its definition, even one paired
 *		already, so a schema that states an index twice under two names
 *		plans nothing once one of them is live (stacker.news: two GiST
 *		indexes on "Item".path); so does the prisma dialect.  The live
 *		index must have been read from the database (fmd_read_live), as in
 *		duplicate_of_kept.
 */
static bool
stated_twice(FmArena *a, const FmTable *t2, IdxObj *o1, int n1, IdxObj *o2,
			 bool colls)
{
	if (!t2->keep_unstated)
		return false;
	for (int i = 0; i < n1; i++)
		if (o1[i].matched &&
			fmd_read_live(o1[i].index ? o1[i].index->pos : o1[i].key->pos) &&
			renamable(a, &o1[i], o2, colls))
			return true;
	return false;
}

/*
 * fmd_keys
 *		The key and index phase for a table on both sides (t1 in from, t2 in
 *		to): primary key, then unique constraints and indexes.
 *
 * A primary key on the same columns is kept (renamed if its name
 * differs); otherwise the old one is dropped and the new one added.
 * Unique constraints and indexes are matched by name and signature
 * (index_sig); an unmatched pair of the same definition (renamable, or
 * same_but_predicate: Prisma Migrate renames such a partial index too)
 * whose old name the target does not use is a rename.  An index whose
 * predicate or expressions mention a column converted to a recreated enum,
 * or (where the text states indexes) a column whose type changes
 * (fmd_retyped_cols: ALTER COLUMN ... TYPE would rebuild it from its old
 * text), never matches: it is dropped and created again around the
 * change; so does a key or index that
 * involves a column re-created for its generation (diff_generated.c).
 * What is left is dropped or created, except a live index the text cannot
 * state (kept_unstated), a duplicate of a kept one (duplicate_of_kept),
 * and a stated index the same as a live one that another matched
 * (stated_twice, which is not created):
 * it stays, or is dropped and created again as it is live around such a
 * conversion.  So is a live partial index matched by name to one stated
 * without a predicate (same_but_predicate): re-created around a
 * conversion, it keeps its predicate.  What is kept so and involves a
 * column retyped with a USING cast (fmd_recast_cols), or names a label a
 * recreated enum loses (fmd_index_names_removed_label), is dropped instead,
 * as Prisma Migrate's drop and add of the column drops it (and a stated
 * index is created as stated).
 */
void
fmd_keys(Diff *d, const FmTable *t1, const FmTable *t2)
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
	FmList		gcols = {0};
	FmList		rcols = {0};
	bool		colls = !t2->keep_unstated;

	/* columns re-created for their generation: what involves them is too */
	fmd_regenerated_cols(d, t1, t2, &gcols);
	/* primary key */
	if (p1 && p2 && fmd_name_list_eq(&p1->columns, &p2->columns) &&
		!fmd_key_touches(p1, &gcols))
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
			fmd_lock(d, fmd_add_step(d, FM_PHASE_DROP_INDEX, "AlterTable",
									 fmd_sub_object(d, t1->schema, t1->name, p1->name),
									 fmd_drop_constraint_ddl(d, t1, p1->name)),
					 FM_STEP_DROP_CONSTRAINT, t1);
			note_dropped_key(d, t1, &p1->columns);
		}
		if (p2)
			add_key_step(d, t2, p2, true, true);
	}

	/* unique constraints and indexes, matched by name */
	fmd_recreated_enum_cols(d, t1, t2, &ecols);
	if (t2->keep_unstated)
		fmd_recast_cols(d, t1, t2, &rcols);
	else
		fmd_retyped_cols(d, t1, t2, &ecols);	/* as the CHECKs on them */
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
			bool		same = idxobj_same(d->a, &o1[i], &o2[j], colls);
			bool		bare = !same &&
				same_but_predicate(d->a, t2, &o1[i], &o2[j], colls);
			bool		redo = (o1[i].index && index_mentions_any(o1[i].index, &ecols)) ||
				idxobj_touches(&o1[i], &gcols);

			/* on a recast column, or naming a label the enum loses: dropped,
			 * and created as stated */
			if (bare && (idxobj_touches(&o1[i], &rcols) ||
						 (redo && fmd_index_names_removed_label(d, o1[i].index))))
				bare = false;
			if ((same || bare) && !redo)
			{
				o1[i].matched = true;
				o2[j].matched = true;
			}
			else if (bare)
			{
				/* around a conversion: again as it is live, predicate kept */
				drop_idxobj(d, t1, &o1[i]);
				create_idxobj(d, t2, &o1[i]);
				o1[i].matched = true;
				o2[j].matched = true;
			}
			i++;
			j++;
		}
	}
	/* renames: an unmatched pair of the same definition (renamable) */
	for (j = 0; j < n2; j++)
	{
		if (o2[j].matched)
			continue;
		for (i = 0; i < n1; i++)
		{
			if (o1[i].matched ||
				!(renamable(d->a, &o1[i], &o2[j], colls) ||
				  (same_but_predicate(d->a, t2, &o1[i], &o2[j], colls) &&
				   !idxobj_touches(&o1[i], &rcols))) ||
				(o1[i].index && index_mentions_any(o1[i].index, &ecols)) ||
				idxobj_touches(&o1[i], &gcols))
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
	{
		bool		kept,
					gone;

		if (o1[i].matched)
			continue;
		kept = kept_unstated(t2, &o1[i], o2, n2) ||
			duplicate_of_kept(d->a, t2, &o1[i], o2, n2, colls);
		gone = kept && (idxobj_touches(&o1[i], &rcols) ||
						(o1[i].index && index_mentions_any(o1[i].index, &ecols) &&
						 fmd_index_names_removed_label(d, o1[i].index)));
		if (kept && !gone &&
			!((o1[i].index && index_mentions_any(o1[i].index, &ecols)) ||
			  idxobj_touches(&o1[i], &gcols)))
			continue;
		drop_idxobj(d, t1, &o1[i]);
		/* around a column conversion or re-creation: again as it is live */
		if (kept && !gone)
			create_idxobj(d, t2, &o1[i]);
	}
	for (j = 0; j < n2; j++)
		if (!o2[j].matched && !stated_twice(d->a, t2, o1, n1, &o2[j], colls))
			create_idxobj(d, t2, &o2[j]);
}
