/*-------------------------------------------------------------------------
 *
 * validate_redundant.c
 *	  Keys and indexes that repeat another of their table: a unique
 *	  constraint on the columns of the primary key or of an earlier unique
 *	  is left out (PostgreSQL's CREATE TABLE keeps only the first), and a
 *	  plain @@index on such columns, or on the columns of an earlier plain
 *	  @@index, is warned about.  Run per model after the relations are
 *	  paired, before the names pass names what is kept.
 *
 * src/core/validate_redundant.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"

/*
 * The names joined by \x01, in their order: a key for comparing column lists
 * (a string of exactly its length).
 */
static char *
ordered_signature(V *v, FmList *names)
{
	char		local[256];
	size_t		len = 0;
	FmBuf		buf;

	for (int i = 0; i < names->n; i++)
	{
		const char *s = fm_list_get(names, i, char);
		size_t		l = strlen(s);

		if (len + l + 1 >= sizeof(local))
			break;
		if (i > 0)
			local[len++] = '\x01';
		memcpy(local + len, s, l);
		len += l;
		if (i == names->n - 1)
			return fm_strndup(v->t, local, len);
	}
	if (names->n == 0)
		return fm_strndup(v->t, "", 0);
	/* longer than local */
	fm_buf_init(&buf, v->t);
	for (int i = 0; i < names->n; i++)
	{
		if (i > 0)
			fm_buf_append_char(&buf, '\x01');
		fm_buf_append(&buf, fm_list_get(names, i, char));
	}
	return buf.data;
}

/*
 * Are the ordered signatures of two column lists equal, without making
 * them?  The names are compared as if joined by \x01, so that the answer
 * is ordered_signature's even for names that contain the separator.
 */
static bool
same_signature(const FmList *a, const FmList *b)
{
	int			ia = 0,
				ib = 0;
	const char *pa = a->n > 0 ? fm_list_get(a, 0, char) : NULL;
	const char *pb = b->n > 0 ? fm_list_get(b, 0, char) : NULL;

	for (;;)
	{
		int			ca = -1,
					cb = -1;

		if (pa != NULL && *pa)
			ca = (unsigned char) *pa++;
		else if (pa != NULL && ++ia < a->n)
			ca = '\x01', pa = fm_list_get(a, ia, char);
		if (pb != NULL && *pb)
			cb = (unsigned char) *pb++;
		else if (pb != NULL && ++ib < b->n)
			cb = '\x01', pb = fm_list_get(b, ib, char);
		if (ca != cb)
			return false;
		if (ca < 0)
			return true;
	}
}

#define SMALL_KEYS 32
/* fmv_may_have_redundant searches indexes of at most this many elements */
#define MAX_SEARCHED_ELEMS 16

/*
 * The keys a table's keys or indexes are compared with (key_like): in an
 * array on the stack for most tables, and, once more than SMALL_KEYS of
 * them are searched, also in a map of their signatures (the first key of
 * each), made on slots at its first use.
 */
typedef struct KeySet
{
	FmKey	   *small[SMALL_KEYS];
	FmKey	  **keys;			/* small, or room for more */
	int			n;
	int			mapped;			/* keys[0..mapped) are in map */
	FmHashMap	map;
	FmHashEntry slots[16];
} KeySet;

/* ks empty, with room for cap keys */
static void
keyset_init(V *v, KeySet *ks, int cap)
{
	ks->keys = cap > SMALL_KEYS ?
		fm_alloc(v->w, sizeof(FmKey *) * (size_t) cap) : ks->small;
	ks->n = 0;
	ks->mapped = 0;
}

/*
 * The first key of ks whose columns have the signature of cols, or NULL:
 * with few keys (SMALL_KEYS) compared one by one, else through the map,
 * to which the keys not yet in it are added first.
 */
static FmKey *
key_like(V *v, KeySet *ks, const FmList *cols)
{
	if (ks->n <= SMALL_KEYS)
	{
		for (int i = 0; i < ks->n; i++)
			if (same_signature(&ks->keys[i]->columns, cols))
				return ks->keys[i];
		return NULL;
	}
	if (ks->mapped == 0)
		fm_hash_init_local(&ks->map, ks->slots, 16);
	for (; ks->mapped < ks->n; ks->mapped++)
	{
		char	   *sig = ordered_signature(v, &ks->keys[ks->mapped]->columns);

		if (fm_hash_get(&ks->map, sig) == NULL)
			fm_hash_put(v->w, &ks->map, sig, ks->keys[ks->mapped]);
	}
	return fm_hash_get(&ks->map, ordered_signature(v, (FmList *) cols));
}

/*
 * The column names of ix into cols (whose items have room for all of ix's
 * elements), as far as they go; true when every element is a column.
 */
static bool
index_columns(const FmIndex *ix, FmList *cols)
{
	cols->n = 0;
	for (int e = 0; e < ix->elems.n; e++)
	{
		const FmIndexElem *el = fm_list_get(&ix->elems, e, FmIndexElem);

		if (el->column == NULL)
			return false;		/* an expression: never redundant */
		cols->items[cols->n++] = el->column;
	}
	return true;
}

/*
 * Is ix a plain index: a btree on columns alone, each in its default
 * order, operator class and collation, without a predicate?  Its column
 * names go into cols (as index_columns), which a plain index has the
 * queries of a key or index on the same columns served by.
 */
static bool
plain_index(const FmIndex *ix, FmList *cols)
{
	if (!fm_streq(ix->method, "btree") || ix->predicate != NULL)
		return false;
	for (int e = 0; e < ix->elems.n; e++)
	{
		const FmIndexElem *el = fm_list_get(&ix->elems, e, FmIndexElem);

		if (el->sort != FM_SORT_DEFAULT || el->opclass || el->collation)
			return false;
	}
	return index_columns(ix, cols);
}

/*
 * Is ix a plain index (plain_index) that another plain index of the same
 * columns makes redundant: not unique, no INCLUDE columns, nulls in their
 * default place?
 */
static bool
plain_twin_candidate(const FmIndex *ix, FmList *cols)
{
	if (ix->unique || ix->include.n > 0 || !plain_index(ix, cols))
		return false;
	for (int e = 0; e < ix->elems.n; e++)
		if (fm_list_get(&ix->elems, e, FmIndexElem)->nulls != FM_NULLS_DEFAULT)
			return false;
	return true;
}

/*
 * fmv_may_have_redundant
 *		Might fmv_redundant_uniques or fmv_redundant_indexes find anything
 *		on model vm?  False only when neither can: no two of its primary key
 *		and uniques have the same columns (same_signature), and no index
 *		whose elements are all columns has the columns of one of them or
 *		of an earlier such index.
 *		Called by the model's own passes, while its keys and indexes are in
 *		the caches; the redundant-key pass, which runs after the relations
 *		(so that its warnings keep their place among the diagnostics), then
 *		visits only the models this returned true for.  What it reads is
 *		final once the model's own passes are done.
 */
bool
fmv_may_have_redundant(V *v, VModel *vm)
{
	FmTable    *t = vm->table;
	const FmList *keys[SMALL_KEYS];
	int			nkeys = 0;
	void	   *index_cols[SMALL_KEYS / 2][MAX_SEARCHED_ELEMS];
	FmList		index_lists[SMALL_KEYS / 2];

	(void) v;
	if (vm->is_view)
		return false;			/* a view's keys are not objects of the database */
	if (t->uniques.n + 1 > SMALL_KEYS)
		return true;			/* not worth a search here */
	if (t->primary_key)
		keys[nkeys++] = &t->primary_key->columns;
	for (int i = 0; i < t->uniques.n; i++)
	{
		const FmList *cols = &fm_list_get(&t->uniques, i, FmKey)->columns;

		for (int k = 0; k < nkeys; k++)
			if (same_signature(keys[k], cols))
				return true;
		keys[nkeys++] = cols;
	}
	if (t->indexes.n > SMALL_KEYS / 2)
		return true;			/* not worth a search here either */
	for (int i = 0; i < t->indexes.n; i++)
	{
		const FmIndex *ix = fm_list_get(&t->indexes, i, FmIndex);
		FmList		cols;

		if (ix->elems.n > MAX_SEARCHED_ELEMS)
			return true;
		cols.items = index_cols[i];
		cols.cap = ix->elems.n;
		if (!index_columns(ix, &cols))
			cols.n = -1;		/* compared with nothing */
		index_lists[i] = cols;
		if (cols.n < 0)
			continue;
		for (int k = 0; k < nkeys; k++)
			if (same_signature(keys[k], &cols))
				return true;
		/* an index on the columns of an earlier one */
		for (int k = 0; k < i; k++)
			if (index_lists[k].n >= 0 && same_signature(&index_lists[k], &cols))
				return true;
	}
	return false;
}

/*
 * fmv_redundant_indexes
 *		Warn about a plain @@index (plain_index) on exactly the columns of
 *		the primary key or of a unique (not a partial one), and about one
 *		on exactly the columns of an earlier plain @@index
 *		(plain_twin_candidate, both): each serves no query the other does
 *		not, and costs a second index to maintain.  Nothing is left out:
 *		CREATE INDEX makes every one of them.
 */
void
fmv_redundant_indexes(V *v, VModel *vm)
{
	FmTable    *t = vm->table;
	KeySet		keys;
	FmList	   *twins;			/* the columns of the earlier twin candidates */
	int			ntwins = 0;

	if (t->indexes.n == 0)
		return;
	keyset_init(v, &keys, t->uniques.n + 1);
	twins = fm_alloc(v->t, sizeof(FmList) * (size_t) t->indexes.n);
	for (int i = -1; i < t->uniques.n; i++)
	{
		FmKey	   *k = i < 0 ? t->primary_key : fm_list_get(&t->uniques, i, FmKey);

		/* a partial unique index (where:) covers some rows only */
		if (i >= 0 && i < vm->key_preds.n && fm_list_get(&vm->key_preds, i, char) != NULL)
			continue;
		if (k)
			keys.keys[keys.n++] = k;
	}
	for (int i = 0; i < t->indexes.n; i++)
	{
		FmIndex    *ix = fm_list_get(&t->indexes, i, FmIndex);
		void	   *local[16];
		FmList		cols;
		FmKey	   *k;

		/*
		 * the column names, in an array of their own that is only read (no
		 * fm_list_append: it is on the stack for most indexes)
		 */
		cols.items = ix->elems.n <= (int) (sizeof(local) / sizeof(local[0])) ? local :
			fm_alloc(v->t, sizeof(void *) * (size_t) ix->elems.n);
		cols.cap = ix->elems.n;
		if (!plain_index(ix, &cols))
			continue;
		if ((k = key_like(v, &keys, &cols)) != NULL)
		{
			if (k != t->primary_key && v->dl->unique_as_index)
				WARN(ix->pos, "@@index on %s of model \"%s\" is redundant: the unique index on the same columns serves the same queries",
					 fmv_quoted_list(v, &cols), fmv_nz(vm->blk->name));
			else
				WARN(ix->pos, "@@index on %s of model \"%s\" is redundant: the %s already has an index on the same columns",
					 fmv_quoted_list(v, &cols), fmv_nz(vm->blk->name),
					 k == t->primary_key ? "primary key" : "unique constraint");
			continue;
		}
		if (!plain_twin_candidate(ix, &cols))
			continue;
		for (int j = 0; j < ntwins; j++)
			if (same_signature(&twins[j], &cols))
			{
				WARN(ix->pos, "@@index on %s of model \"%s\" is redundant: an earlier @@index on the same columns serves the same queries",
					 fmv_quoted_list(v, &cols), fmv_nz(vm->blk->name));
				break;
			}
		/* kept for the indexes after it (cols may be on the stack) */
		twins[ntwins] = cols;
		twins[ntwins].items = fm_alloc(v->t, sizeof(void *) * (size_t) cols.n);
		memcpy(twins[ntwins].items, cols.items, sizeof(void *) * (size_t) cols.n);
		ntwins++;
	}
}

/*
 * fmv_redundant_uniques
 *		A unique constraint on exactly the columns (in order) of the primary
 *		key or of an earlier unique constraint: CREATE TABLE keeps only the
 *		first of them (PostgreSQL's transformIndexConstraints), so the model
 *		leaves the later one out too, with a warning, and plans converge.
 *		Uniques that become unique indexes (the prisma dialect, or a sort
 *		order) are kept: CREATE INDEX makes every one of them.
 */
void
fmv_redundant_uniques(V *v, VModel *vm)
{
	FmTable    *t = vm->table;
	KeySet		seen;			/* the primary key and the uniques kept */
	int			nkept = 0;		/* the uniques kept so far */
	bool		dropped = false;	/* is t->uniques being rebuilt in keep? */
	FmList		keep = {0},
				keep_maps = {0},
				keep_elems = {0},
				keep_preds = {0};

	keyset_init(v, &seen, t->uniques.n + 1);
	if (t->primary_key)
		seen.keys[seen.n++] = t->primary_key;
	for (int i = 0; i < t->uniques.n; i++)
	{
		FmKey	   *k = fm_list_get(&t->uniques, i, FmKey);
		FmList	   *elems = fm_list_get(&vm->key_elems, i, FmList);
		FmKey	   *first;

		/* a unique index (uniques_to_indexes): CREATE INDEX keeps it */
		if (!v->dl->unique_as_index && elems == NULL &&
			(first = key_like(v, &seen, &k->columns)) != NULL)
		{
			WARN(k->pos, "unique constraint on %s of model \"%s\" is left out: the %s already covers the same columns, and PostgreSQL creates only one of them",
				 fmv_quoted_list(v, &k->columns), fmv_nz(vm->blk->name),
				 first == t->primary_key ? "primary key" : "unique constraint");
			fmv_name_cand_drop(vm, i);
			if (!dropped)
			{
				/* the first one left out: the ones kept so far are copied */
				dropped = true;
				for (int j = 0; j < nkept; j++)
				{
					fm_list_append(v->a, &keep, fm_list_get(&t->uniques, j, FmKey));
					fm_list_append(v->t, &keep_maps, fm_list_get(&vm->key_maps, j, char));
					fm_list_append(v->t, &keep_elems, fm_list_get(&vm->key_elems, j, FmList));
					fm_list_append(v->t, &keep_preds, fm_list_get(&vm->key_preds, j, char));
				}
			}
			continue;
		}
		if (!v->dl->unique_as_index && elems == NULL)
			seen.keys[seen.n++] = k;
		if (dropped)
		{
			fm_list_append(v->a, &keep, k);
			fm_list_append(v->t, &keep_maps, fm_list_get(&vm->key_maps, i, char));
			fm_list_append(v->t, &keep_elems, elems);
			fm_list_append(v->t, &keep_preds, fm_list_get(&vm->key_preds, i, char));
		}
		nkept++;
	}
	/* nothing left out (the common case): the lists stay as they are */
	if (!dropped)
		return;
	t->uniques = keep;
	vm->key_maps = keep_maps;
	vm->key_elems = keep_elems;
	vm->key_preds = keep_preds;
}
