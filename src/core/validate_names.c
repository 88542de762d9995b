/*-------------------------------------------------------------------------
 *
 * validate_names.c
 *	  The last pass: the names of constraints and indexes, and name
 *	  clashes in each schema (relation names) and each table (constraint
 *	  names); and the prisma dialect's rules on the names a model's fields
 *	  and keys give the client.  The names a model's keys and indexes will
 *	  first try are made earlier, by the model's own passes
 *	  (fmv_name_candidates), while its structures are in the caches: at
 *	  10,000 models this pass would otherwise miss them all again.
 *
 * Constraint names follow PostgreSQL (naming.c): <table>_pkey,
 * <table>_<cols>_key, <table>_<cols>_idx, <table>_<cols>_fkey, and for
 * @@check <table>_<col>_check when the expression mentions exactly one
 * column of the table, <table>_check otherwise, with a number appended
 * (check1, check2, ...) when that name is taken, as PostgreSQL's
 * ChooseConstraintName() does.
 *
 * src/core/validate_names.c
 *
 *-------------------------------------------------------------------------
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"


/* is name a column of the table whose (column name -> FmColumn) map is arg? */
static bool
colmap_has(const char *name, void *arg)
{
	return fm_hash_get((FmHashMap *) arg, name) != NULL;
}

/* ---------- constraint and index names ---------- */

/*
 * What a registered name belongs to, for messages.  The text ("the index
 * on \"a\", \"b\" of model \"M\"") is needed only when a name clashes, so
 * an entry keeps what it is made of and desc_text() formats it then.
 */
typedef enum DescKind
{
	DESC_TEXT,					/* obj is the text */
	DESC_ENUM_TYPE,				/* obj is the VEnum */
	DESC_TABLE,					/* vm */
	DESC_PKEY,					/* owner */
	DESC_UNIQUE,				/* owner, key */
	DESC_INDEX,					/* owner, index */
	DESC_FK_FIELD,				/* vf: the relation field of a foreign key */
	DESC_FK,					/* owner, fk */
	DESC_CHECK					/* owner, check */
} DescKind;

typedef struct NameDesc
{
	DescKind	kind;
	VModel	   *vm;				/* the owner: a model, or else ... */
	FmTable    *t;				/* ... a join table */
	const void *obj;			/* FmKey, FmIndex, VField, FmForeignKey,
								 * FmCheck, VEnum or the text */
} NameDesc;

/*
 * A registered name, with its NameDesc folded in (entry_desc): there is one
 * per table, key, index and constraint of the schema, and the registry is
 * alive at the validator's peak of memory.
 */
typedef struct NameEntry
{
	const char *schema;
	const char *name;
	const void *owner;			/* NameDesc.vm, or .t when by_table */
	const void *obj;			/* NameDesc.obj */
	uint32_t	hash;			/* of (schema, name) */
	uint8_t		kind;			/* NameDesc.kind */
	bool		by_table;		/* owner is a join table (NameDesc.t) */
	bool		rel;			/* relation namespace: tables, types, indexes */
	bool		con;			/* constraint names */
} NameEntry;

/*
 * A set of entries by (schema, name): open addressing over pointers to
 * the entries, which hold their hash (a third of the memory of an FmHashMap
 * of the same names; the registry is alive at the validator's peak).
 */
typedef struct NameTable
{
	NameEntry **slots;
	uint16_t   *tags;			/* parallel to slots: name_tag() of each
								 * entry's hash, 0 for a free slot, so that
								 * a probe reads almost no entry that
								 * cannot match */
	size_t		cap;			/* power of two */
	size_t		n;
} NameTable;

typedef struct NameSpace
{
	FmArena    *reg;			/* the entries and table, freed with the pass */
	NameTable	all;			/* (schema, name) -> NameEntry: relation and
								 * constraint names, one entry for a name
								 * in both namespaces (a key), so that a
								 * name is sought in both with one probe */
	FmHashMap		next_pass;		/* (schema, name1/name2/label) -> int *: where to go on */
	const char *chosen;			/* the name choose_name returned last, */
	uint32_t	chosen_hash;	/* of this name_hash: register_name's next name */
	bool		chosen_free;	/* chosen is in neither namespace it was sought in, */
	bool		chosen_rel;		/* ... these (choose_name's rel and con) */
	bool		chosen_con;
	const char *chosen_schema;	/* in this schema */
	const char *name1;			/* the table name choose_name had last, */
	size_t		name1len;		/* and its length */
} NameSpace;

/*
 * The hash of a name in the registry (NameTable): of the len bytes of the
 * name alone (fm_hash_bytes).  The schema is compared (name_is), not
 * hashed: only a name used in several schemas shares its hash, and the
 * generated names are hashed without a strlen.
 */
#define name_hash(name, len) fm_hash_bytes((name), (len))

/* room for n entries in an empty table, at most three quarters full */
static void
name_table_init(FmArena *reg, NameTable *nt, size_t n)
{
	nt->cap = 16;
	while (n * 4 > nt->cap * 3)
		nt->cap *= 2;
	nt->slots = fm_alloc(reg, nt->cap * sizeof(NameEntry *));
	nt->tags = fm_alloc(reg, nt->cap * sizeof(uint16_t));
	nt->n = 0;
}

/* the tag of hash h in NameTable.tags: its high half, never 0 (a free slot) */
static inline uint16_t
name_tag(uint32_t h)
{
	return (uint16_t) ((h >> 16) | 1);
}

/* does entry e hold (schema, name) of hash h? */
static inline bool
name_is(const NameEntry *e, const char *schema, const char *name, uint32_t h)
{
	return e->hash == h && strcmp(e->name, name) == 0 &&
		(e->schema == NULL ? schema == NULL :
		 schema != NULL && strcmp(e->schema, schema) == 0);
}

/*
 * The first entry of (schema, name) that is a relation name (rel) or a
 * constraint name (con), or NULL.  A probe reads only the tags (a quarter
 * of the slots' memory) until a tag matches, and a free tag ends it
 * without reading the slot: a search for a free name, the most common one,
 * touches nothing else (at 10,000 models the slots are out of cache).
 */
static NameEntry *
name_find(const NameTable *nt, const char *schema, const char *name, uint32_t h,
		  bool rel, bool con)
{
	size_t		i = h & (nt->cap - 1);
	uint16_t	tag = name_tag(h);

	for (;;)
	{
		uint16_t	t = nt->tags[i];

		if (t == 0)
			return NULL;
		if (t == tag && ((rel && nt->slots[i]->rel) || (con && nt->slots[i]->con)) &&
			name_is(nt->slots[i], schema, name, h))
			return nt->slots[i];
		i = (i + 1) & (nt->cap - 1);
	}
}

/*
 * The first free slot of (schema, name)'s probe sequence (hash h): where an
 * entry goes.  The registry holds one entry per object, and a name may be
 * used by constraints of several tables.
 */
static NameEntry **
free_slot(const NameTable *nt, uint32_t h)
{
	size_t		i = h & (nt->cap - 1);

	while (nt->tags[i] != 0)
		i = (i + 1) & (nt->cap - 1);
	return &nt->slots[i];
}

/* put e in the slot of nt that free_slot returned */
static void
name_set(NameTable *nt, NameEntry **slot, NameEntry *e)
{
	*slot = e;
	nt->tags[slot - nt->slots] = name_tag(e->hash);
}

/* add e (not in the table), doubling it when it would be too full */
static void
name_table_add(FmArena *reg, NameTable *nt, NameEntry *e)
{
	if ((nt->n + 1) * 4 > nt->cap * 3)
	{
		NameTable	big;

		name_table_init(reg, &big, nt->cap);
		for (size_t i = 0; i < nt->cap; i++)
			if (nt->slots[i] != NULL)
				name_set(&big, free_slot(&big, nt->slots[i]->hash), nt->slots[i]);
		big.n = nt->n;
		*nt = big;
	}
	name_set(nt, free_slot(nt, e->hash), e);
	nt->n++;
}

/* A NameDesc of kind for obj of table t (model vm), described lazily. */
static NameDesc
desc_of(DescKind kind, VModel *vm, FmTable *t, const void *obj)
{
	NameDesc	d;

	memset(&d, 0, sizeof(d));
	d.kind = kind;
	d.vm = vm;
	d.t = t;
	d.obj = obj;
	return d;
}

/*
 * A NameDesc for register_name, by address: built in place with pointer-wide
 * stores, not copied (a copy's wide loads over narrower stores cannot be
 * forwarded, and wait for every older store, a cache miss among them).
 */
#define NAME_DESC(kind, vm, t, obj) (&(NameDesc) {(kind), (vm), (t), (obj)})

/* the NameDesc of a registered name */
static NameDesc
entry_desc(const NameEntry *e)
{
	return desc_of((DescKind) e->kind,
				   e->by_table ? NULL : (VModel *) e->owner,
				   e->by_table ? (FmTable *) e->owner : NULL, e->obj);
}

/* "model \"M\"" or "join table \"t\"": the owner of a key, index or check */
static const char *
owner_text(V *v, VModel *vm, FmTable *t)
{
	return vm ? fm_psprintf(v->t, "model \"%s\"", fmv_nz(vm->blk->name)) :
		t ? fm_psprintf(v->t, "join table \"%s\"", t->name) : "";
}

/* the text of a description (for a message) */
static const char *
desc_text(V *v, const NameDesc *d)
{
	const char *owner;
	const char *text = NULL;

	if (d->kind == DESC_TEXT)
		return d->obj ? (const char *) d->obj : "";
	owner = owner_text(v, d->vm, d->t);
	switch (d->kind)
	{
		case DESC_TEXT:
			break;
		case DESC_ENUM_TYPE:
			text = fm_psprintf(v->t, "the type of enum \"%s\"",
							   fmv_nz(((const VEnum *) d->obj)->blk->name));
			break;
		case DESC_TABLE:
			text = fm_psprintf(v->t, d->vm->is_view ? "view \"%s\"" : "the table of model \"%s\"",
								  fmv_nz(d->vm->blk->name));
			break;
		case DESC_PKEY:
			text = fm_psprintf(v->t, "the primary key of %s", owner);
			break;
		case DESC_UNIQUE:
			text = fm_psprintf(v->t, "the unique constraint on %s of %s",
								  fmv_quoted_list(v, &((FmKey *) d->obj)->columns), owner);
			break;
		case DESC_INDEX:
			{
				const FmIndex *ix = d->obj;
				FmList		cols = {0};

				for (int e = 0; e < ix->elems.n; e++)
					fm_list_append(v->t, &cols, fm_list_get(&ix->elems, e, FmIndexElem)->column);
				text = fm_psprintf(v->t, "the index on %s of %s", fmv_quoted_list(v, &cols), owner);
				break;
			}
		case DESC_FK_FIELD:
			text = fm_psprintf(v->t, "the foreign key of %s", fmv_rel_ctx(v, (VField *) d->obj));
			break;
		case DESC_FK:
			text = fm_psprintf(v->t, "the foreign key on %s of %s",
								  fmv_quoted_list(v, &((FmForeignKey *) d->obj)->columns), owner);
			break;
		case DESC_CHECK:
			text = fm_psprintf(v->t, "the check constraint \"%s\" of %s",
								  ((const FmCheck *) d->obj)->expr, owner);
			break;
	}
	return text ? text : "";
}

/*
 * The constraint of table owner (a VModel or a join table) named
 * schema.name (hash h), or NULL: PostgreSQL scopes constraint names to
 * their table (two tables may each have a foreign key "fk_c"; Prisma takes
 * it too).
 */
static NameEntry *
table_con_clash(NameSpace *names, const char *schema, const char *name,
				uint32_t h, const void *owner)
{
	size_t		i = h & (names->all.cap - 1);
	uint16_t	tag = name_tag(h);
	uint16_t	t;

	while ((t = names->all.tags[i]) != 0)
	{
		NameEntry  *e = names->all.slots[i];

		if (t == tag && e->con && e->owner == owner && name_is(e, schema, name, h))
			return e;
		i = (i + 1) & (names->all.cap - 1);
	}
	return NULL;
}

/*
 * register_name
 *		Register the database name schema.name of the object desc describes
 *		as a relation name (rel: tables, indexes, sequences share one
 *		namespace per schema) and/or a constraint name (con: one namespace
 *		per table); when it is taken, report the clash at *pos (read only
 *		then: at 10,000 models the object is out of the caches), naming both
 *		objects and how to choose another name (how).  Names that are
 *		chosen (choose_name) avoid every constraint name of the schema, as
 *		PostgreSQL's do.
 */
static void
register_name(V *v, NameSpace *names, const char *schema, const char *name,
			  bool rel, bool con, const FmSrcPos *pos, const NameDesc *desc,
			  const char *how)
{
	const void *owner = desc->vm ? (const void *) desc->vm : (const void *) desc->t;
	bool		chosen = name == names->chosen;
	uint32_t	h = chosen ? names->chosen_hash : name_hash(name, strlen(name));
	NameEntry  *e = NULL;

	/* a name choose_name found free where it is registered clashes with nothing */
	if (!(chosen && names->chosen_free && schema == names->chosen_schema &&
		  rel == names->chosen_rel && con == names->chosen_con))
	{
		e = rel ? name_find(&names->all, schema, name, h, true, false) : NULL;
		if (e == NULL && con)
			e = table_con_clash(names, schema, name, h, owner);
	}
	names->chosen = NULL;

	if (e)
	{
		NameDesc	other = entry_desc(e);

		ERR(*pos, "the database name \"%s\" of %s is already used by %s%s%s; choose another name with %s",
			name, desc_text(v, desc), desc_text(v, &other), schema ? " in schema " : "", schema ? fm_psprintf(v->t, "\"%s\"", schema) : "",
			how);
		return;
	}
	e = fm_alloc(names->reg, sizeof(NameEntry));
	e->schema = schema;
	e->name = name;
	e->hash = h;
	e->owner = owner;
	e->by_table = desc->vm == NULL && desc->t != NULL;
	e->obj = desc->obj;
	e->kind = (uint8_t) desc->kind;
	e->rel = rel;
	e->con = con;
	name_table_add(names->reg, &names->all, e);
}

/*
 * A generated name that clashes with nothing: like PostgreSQL's
 * ChooseRelationName() / ChooseConstraintName(), append 1, 2, ... to the
 * label until the name is free.  name2 (NULL: none) is NUL-terminated and
 * name2len bytes long; it may be the caller's buffer (the name is a copy).
 */
static char *
choose_name(V *v, NameSpace *names, const char *schema, const char *name1,
			const char *name2, size_t name2len, const char *label, bool rel,
			bool con)
{
	size_t		len;
	char	   *name;
	char	   *key;
	int		   *pass;
	uint32_t	h;

	if (name1 == NULL)
		name1 = "";
	if (name1 != names->name1)	/* a table's names are chosen one after another */
	{
		names->name1 = name1;
		names->name1len = strlen(name1);
	}
	name = fm_make_object_name_len(v->t, name1, names->name1len, name2, name2len,
								   label, strlen(label), &len);
	h = name_hash(name, len);

	names->chosen = name;		/* most often registered next: keep its hash */
	names->chosen_hash = h;
	names->chosen_free = !name_find(&names->all, schema, name, h, rel, con);
	names->chosen_rel = rel;
	names->chosen_con = con;
	names->chosen_schema = schema;
	if (names->chosen_free)
		return name;
	/* names are never freed again: resume where the last search stopped */
	key = fm_psprintf(names->reg, "%s\x01%s\x01%s", name1, name2 ? name2 : "\x02", label);
	pass = fm_hash_get2(&names->next_pass, schema, key);
	if (pass == NULL)
	{
		pass = fm_alloc(names->reg, sizeof(int));
		fm_hash_put2(names->reg, &names->next_pass, schema, key, pass);
	}
	do
	{
		name = fm_make_object_name(v->t, name1, name2,
								   fm_psprintf(v->t, "%s%d", label, ++(*pass)));
	} while (name_find(&names->all, schema, name, name_hash(name, strlen(name)),
					   rel, con));
	return name;
}

/* Prisma's name of a constraint or index of table t: cols (or NULL) and label */
static char *
prisma_con_name(V *v, FmTable *t, const char *cols, const char *label)
{
	return fm_dialect_prisma_name(v->t, t->name, cols, fm_psprintf(v->t, "_%s", label));
}

/*
 * The name of a constraint or index of table t in the run's dialect: cols
 * (the column part, NUL-terminated and colslen bytes long, or NULL) and
 * label, as PostgreSQL chooses it (choose_name) or as Prisma does
 * (fm_dialect_prisma_name: clipped, never numbered, so that a clash is
 * reported by register_name).  cols may be the caller's buffer.
 */
static char *
con_name(V *v, NameSpace *names, FmTable *t, const char *cols, size_t colslen,
		 const char *label, bool rel, bool con)
{
	if (v->dl->con_naming == FM_CON_PRISMA)
		return prisma_con_name(v, t, cols, label);
	return choose_name(v, names, t->schema, t->name, cols, colslen, label, rel, con);
}

/* ---------- the names a model's keys and indexes try first ---------- */

/*
 * The name the names pass tries first for a primary key, unique or index
 * of a model: its map:, or the name con_name would make.  The model's own
 * passes make them (fmv_name_candidates) while its table name, keys and
 * columns are in the caches; the names pass then reads this array, the
 * names and the registry, not the model's structures.
 */
typedef struct NameCand
{
	const char *name;
	void	   *obj;			/* the FmKey (pkey, unique) or FmIndex named,
								 * which holds its position */
	uint32_t	hash;			/* name_hash of name */
	uint8_t		kind;			/* DESC_PKEY, DESC_UNIQUE or DESC_INDEX */
	bool		mapped;			/* name is the map: the text gives */
	bool		dropped;		/* a unique fmv_redundant_uniques left out */
} NameCand;

/*
 * Candidate c of table t (name1len: strlen of its name): for obj (kind),
 * map when the text gives one, else what con_name first makes of the
 * column part cols (colslen bytes; NULL: none) and label.
 */
static void
make_cand(V *v, NameCand *c, FmTable *t, size_t name1len, DescKind kind,
		  void *obj, char *map, const char *cols, size_t colslen,
		  const char *label)
{
	size_t		len;

	c->obj = obj;
	c->kind = (uint8_t) kind;
	c->dropped = false;
	c->mapped = map != NULL;
	if (map)
	{
		c->name = map;
		len = strlen(map);
	}
	else if (v->dl->con_naming == FM_CON_PRISMA)
	{
		c->name = prisma_con_name(v, t, cols, label);
		len = strlen(c->name);
	}
	else
		c->name = fm_make_object_name_len(v->t, t->name ? t->name : "", name1len,
										  cols, colslen, label, strlen(label), &len);
	c->hash = name_hash(c->name, len);
}

/*
 * fmv_name_candidates
 *		Make the names the names pass will try first for the primary key,
 *		uniques and indexes of model vm (NameCand), in the order it names
 *		them.  Called once the model's own passes have made all of them
 *		(nothing later adds one to a model's table; fmv_redundant_uniques
 *		may leave a unique out: fmv_name_cand_drop).  Names depend on no
 *		other model: whether one is taken is decided by the names pass.
 */
void
fmv_name_candidates(V *v, VModel *vm)
{
	FmTable    *t = vm->table;
	char		part[FM_COLUMN_PART_SIZE];	/* a column part of a name */
	size_t		name1len;
	NameCand   *c;
	int			n;

	if (vm->is_view)
		return;					/* a view's keys are not named */
	n = (t->primary_key ? 1 : 0) + t->uniques.n + t->indexes.n;
	if (n == 0)
		return;
	name1len = t->name ? strlen(t->name) : 0;
	if (v->nc == NULL)
		v->nc = fm_arena_create_like(v->w);
	c = fm_alloc(v->nc, sizeof(NameCand) * (size_t) n);
	vm->cands = c;
	vm->ncands = n;
	if (t->primary_key)
		make_cand(v, c++, t, name1len, DESC_PKEY, t->primary_key, vm->pk_map,
				  NULL, 0, "pkey");
	for (int k = 0; k < t->uniques.n; k++)
	{
		FmKey	   *key = fm_list_get(&t->uniques, k, FmKey);
		char	   *map = fm_list_get(&vm->key_maps, k, char);
		size_t		len = map ? 0 : fm_column_list_part(part, &key->columns);

		make_cand(v, c++, t, name1len, DESC_UNIQUE, key, map, part, len, "key");
		if (v->dl->unique_as_index ||
			(k < vm->key_elems.n && fm_list_get(&vm->key_elems, k, FmList) != NULL))
			vm->cands_to_index = true;
	}
	for (int k = 0; k < t->indexes.n; k++)
	{
		FmIndex    *ix = fm_list_get(&t->indexes, k, FmIndex);
		char	   *map = fm_list_get(&vm->index_maps, k, char);
		size_t		len = map ? 0 : fm_index_column_part(part, ix);

		make_cand(v, c++, t, name1len, DESC_INDEX, ix, map, part, len, "idx");
	}
}

/* unique number unique of model vm (as fmv_name_candidates saw them) is left out */
void
fmv_name_cand_drop(VModel *vm, int unique)
{
	if (vm->cands != NULL)
		vm->cands[(vm->table->primary_key ? 1 : 0) + unique].dropped = true;
}

/*
 * The name of candidate c of table t, a constraint name too when con: its
 * own when it is the map: or a Prisma name (never numbered), or when it is
 * free, else the next numbered one (choose_name).  Leaves the name and its
 * hash where register_name looks first (NameSpace.chosen).
 */
static const char *
cand_name(V *v, NameSpace *names, FmTable *t, const NameCand *c, bool con)
{
	char		part[FM_COLUMN_PART_SIZE];
	size_t		len;
	const char *label;

	names->chosen = c->name;
	names->chosen_hash = c->hash;
	names->chosen_rel = true;
	names->chosen_con = con;
	names->chosen_schema = t->schema;
	names->chosen_free = !c->mapped && v->dl->con_naming != FM_CON_PRISMA &&
		!name_find(&names->all, t->schema, c->name, c->hash, true, con);
	if (names->chosen_free || c->mapped || v->dl->con_naming == FM_CON_PRISMA)
		return c->name;
	/* taken: numbered, from what it is made of */
	names->chosen = NULL;
	if (c->kind == DESC_PKEY)
		return choose_name(v, names, t->schema, t->name, NULL, 0, "pkey", true, con);
	len = c->kind == DESC_UNIQUE ?
		fm_column_list_part(part, &((FmKey *) c->obj)->columns) :
		fm_index_column_part(part, (FmIndex *) c->obj);
	label = c->kind == DESC_UNIQUE ? "key" : "idx";
	return choose_name(v, names, t->schema, t->name, part, len, label, true, con);
}

/*
 * While the names pass names model i's keys: ask for model i + 2's record,
 * and for what naming model i + 1's will read (the registry's tags of its
 * candidates' names, the keys and indexes whose names it sets): at 10,000
 * models none of them is in the caches any more.
 */
static void
prefetch_cands(V *v, const NameSpace *names, int i)
{
	if (i + 2 < v->models.n)
		fm_prefetch(v->models.items[i + 2]);
	if (i + 1 < v->models.n)
	{
		const VModel *next = v->models.items[i + 1];

		for (int k = 0; k < next->ncands; k++)
		{
			fm_prefetch(&names->all.tags[next->cands[k].hash & (names->all.cap - 1)]);
			fm_prefetch(next->cands[k].obj);
		}
	}
}

/*
 * Name and register the primary key, uniques and indexes of model vm (of
 * table t) from its candidates, as the names pass does a table's without
 * them (con_name, register_name), in the same order.
 */
static void
name_model_keys(V *v, NameSpace *names, VModel *vm, FmTable *t)
{
	for (int i = 0; i < vm->ncands; i++)
	{
		const NameCand *c = &vm->cands[i];
		bool		con = c->kind != DESC_INDEX;
		char	   *name;
		const FmSrcPos *pos;

		if (c->dropped)
			continue;
		name = (char *) cand_name(v, names, t, c, con);
		/* the key is only written (its position is read for a clash only) */
		if (c->kind == DESC_INDEX)
		{
			((FmIndex *) c->obj)->name = name;
			pos = &((FmIndex *) c->obj)->pos;
		}
		else
		{
			((FmKey *) c->obj)->name = name;
			pos = &((FmKey *) c->obj)->pos;
		}
		register_name(v, names, t->schema, name, true, con, pos,
					  NAME_DESC((DescKind) c->kind, vm, t,
							  c->kind == DESC_PKEY ? NULL : c->obj), "map:");
	}
}

/* '"a", "b"': the names of cols in double quotes, for messages. */
char *
fmv_quoted_list(V *v, FmList *cols)
{
	FmBuf		buf;

	fm_buf_init(&buf, v->t);
	for (int i = 0; i < cols->n; i++)
		fm_buf_printf(&buf, "%s\"%s\"", i ? ", " : "", fm_list_get(cols, i, char));
	return buf.data ? buf.data : "";
}

/*
 * The one column of t an expression mentions, or NULL (none, or several):
 * PostgreSQL names a CHECK constraint after its column only when exactly
 * one column is referenced.  Identifiers outside string literals are
 * folded to lower case unless double-quoted.
 */
static const char *
check_column(V *v, FmHashMap *cols, const char *expr)
{
	const char *found = NULL;
	const char *p = expr;

	while (*p)
	{
		if (*p == '\'')
		{
			p++;
			while (*p && !(*p == '\'' && p[1] != '\''))
				p += (*p == '\'' ? 2 : 1);
			if (*p)
				p++;
			continue;
		}
		if (*p == '"' || isalpha((unsigned char) *p) || *p == '_' || (unsigned char) *p >= 0x80)
		{
			FmBuf		id;
			FmColumn   *c;
			bool		qualified_next;

			fm_buf_init(&id, v->t);
			if (*p == '"')
			{
				p++;
				while (*p && !(*p == '"' && p[1] != '"'))
				{
					fm_buf_append_char(&id, *p);
					p += (*p == '"' ? 2 : 1);
				}
				if (*p)
					p++;
			}
			else
			{
				while (*p && (isalnum((unsigned char) *p) || *p == '_' || *p == '$' ||
							  (unsigned char) *p >= 0x80))
				{
					fm_buf_append_char(&id, (char) tolower((unsigned char) *p));
					p++;
				}
			}
			qualified_next = (*p == '.' || *p == '(');
			if (id.data && !qualified_next && (c = fm_hash_get(cols, id.data)) != NULL)
			{
				if (found && strcmp(found, c->name) != 0)
					return NULL;
				found = c->name;
			}
			continue;
		}
		if (isdigit((unsigned char) *p))
		{
			while (isalnum((unsigned char) *p) || *p == '.')
				p++;
			continue;
		}
		p++;
	}
	return found;
}

/*
 * The named unique constraints of t (of model vm, NULL for a join table)
 * that are unique btree indexes of the same name instead: all of them in a
 * dialect whose @unique is a unique index (Prisma's), and those with a
 * sort order or operator class (@@unique([a(sort: Desc)])) in any dialect,
 * as a constraint has neither.
 */
static void
uniques_to_indexes(V *v, VModel *vm, FmTable *t)
{
	int			kept = 0;

	for (int k = 0; k < t->uniques.n; k++)
	{
		FmKey	   *key = fm_list_get(&t->uniques, k, FmKey);
		FmList	   *elems = vm && k < vm->key_elems.n ? fm_list_get(&vm->key_elems, k, FmList) : NULL;
		FmIndex    *ix;

		if (!v->dl->unique_as_index && elems == NULL)
		{
			t->uniques.items[kept++] = key;
			continue;
		}
		ix = fm_alloc(v->a, sizeof(FmIndex));
		ix->name = key->name;
		ix->unique = true;
		ix->method = "btree";	/* shared: no string of the model is changed in place */
		ix->predicate = vm && k < vm->key_preds.n ? fm_list_get(&vm->key_preds, k, char) : NULL;
		ix->pos = key->pos;
		if (elems)
			ix->elems = *elems;
		else
			for (int c = 0; c < key->columns.n; c++)
			{
				FmIndexElem *el = fm_alloc(v->a, sizeof(FmIndexElem));

				el->column = fm_list_get(&key->columns, c, char);
				fm_list_append(v->a, &ix->elems, el);
			}
		fm_list_append(v->a, &t->indexes, ix);
	}
	t->uniques.n = kept;
}

/*
 * fmv_check_key_client_name
 *		The client name (name: arg) of @@id or @@unique at in model vm, in
 *		the prisma dialect: Prisma Client's accessor of the compound key, so
 *		it is not empty, is made of ASCII letters, digits and "_", and is no
 *		field's name and no other key's of the model, as Prisma requires.
 */
void
fmv_check_key_client_name(V *v, VModel *vm, FmAstAttribute *at, FmAstArg *arg,
						  const char *ctx)
{
	const char *name = fmv_nz(arg->value->text);

	if (v->dl->kind != FM_DIALECT_PRISMA)
		return;
	if (*name == '\0')
	{
		ERR(arg->value->pos, "the name of %s in %s must not be empty, as in Prisma",
			fmv_attr_repr(v, at), ctx);
		return;
	}
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			  (*c >= '0' && *c <= '9') || *c == '_'))
		{
			ERR(arg->value->pos, "the name \"%s\" of %s in %s may only have the characters a-z, A-Z, 0-9 and _, as in Prisma",
				name, fmv_attr_repr(v, at), ctx);
			return;
		}
	if (fmv_find_field(vm, name) != NULL)
	{
		ERR(arg->value->pos, "the name \"%s\" of %s in %s is the name of a field of the model; choose another, as Prisma requires",
			name, fmv_attr_repr(v, at), ctx);
		return;
	}
	/* Prisma refuses one name for two criteria in a model, not in a view */
	for (int k = 0; !vm->is_view && k < vm->blk->attrs.n; k++)
	{
		FmAstAttribute *o = fm_list_get(&vm->blk->attrs, k, FmAstAttribute);

		if (o == at)
			break;
		if (o == NULL || !(fm_streq(o->name, "id") || fm_streq(o->name, "unique")))
			continue;
		for (int j = 0; j < o->args.n; j++)
		{
			FmAstArg   *oa = fm_list_get(&o->args, j, FmAstArg);

			if (oa != NULL && fm_streq(oa->name, "name") && oa->value != NULL &&
				oa->value->kind == FM_VAL_STRING && fm_streq(oa->value->text, name))
			{
				ERR(arg->value->pos, "the name \"%s\" of %s in %s is the name of the %s on line %d too; choose another, as Prisma requires",
					name, fmv_attr_repr(v, at), ctx, fmv_attr_repr(v, o), o->pos.line);
				return;
			}
		}
	}
}

/*
 * fmv_check_mapped_names
 *		In the prisma dialect, a column name given by @map to a field of
 *		model vm may not be the name of another scalar field of the model
 *		(Prisma: "Field ... is already defined"); a relation field's name is
 *		taken, as it has no column.
 */
void
fmv_check_mapped_names(V *v, VModel *vm)
{
	for (int i = 0; v->dl->kind == FM_DIALECT_PRISMA && i < vm->fields.n; i++)
	{
		VField	   *vf = fm_list_get(&vm->fields, i, VField);
		VField	   *other;

		if (vf->col == NULL || fm_streq(vf->col->name, vf->name))
			continue;
		other = fmv_find_field(vm, vf->col->name);
		/*
		 * Prisma excuses a field defined earlier whose own @map gives it
		 * another column (member_id String @map("x") before
		 * id Int @map("member_id")): the column names do not clash
		 */
		if (other != NULL && other->col != NULL &&
			!fm_streq(other->col->name, other->name) &&
			!fm_streq(other->col->name, vf->col->name) &&
			other->pos.line < vf->pos.line)	/* a field per line */
			continue;
		if (other != NULL && other != vf && other->kind != VF_RELATION)
			ERR(vf->pos, "the column name \"%s\" given to %s is the name of field \"%s\" of the model, which Prisma refuses; choose another",
				vf->col->name, fmv_field_ctx(v, vf), other->name);
	}
}

/*
 * Name and register the primary key, uniques and indexes of join table t,
 * which has no candidates (a model's are made by its own passes): the
 * dialect's names of a join table's keys, else con_name.  part is the
 * caller's buffer of FM_COLUMN_PART_SIZE bytes.
 */
static void
name_join_table_keys(V *v, NameSpace *names, FmTable *t, char *part)
{
	if (t->primary_key)
	{
		if (v->dl->m2m_pkey_suffix)
			t->primary_key->name = fm_dialect_prisma_name(v->t, t->name, NULL,
														  v->dl->m2m_pkey_suffix);
		else
			t->primary_key->name = con_name(v, names, t, NULL, 0, "pkey", true, true);
		register_name(v, names, t->schema, t->primary_key->name, true, true,
					  &t->primary_key->pos, NAME_DESC(DESC_PKEY, NULL, t, NULL), "map:");
	}
	for (int k = 0; k < t->uniques.n; k++)
	{
		FmKey	   *key = fm_list_get(&t->uniques, k, FmKey);
		size_t		len = fm_column_list_part(part, &key->columns);

		key->name = con_name(v, names, t, part, len, "key", true, true);
		register_name(v, names, t->schema, key->name, true, true, &key->pos,
					  NAME_DESC(DESC_UNIQUE, NULL, t, key), "map:");
	}
	for (int k = 0; k < t->indexes.n; k++)
	{
		FmIndex    *ix = fm_list_get(&t->indexes, k, FmIndex);

		if (v->dl->m2m_index_suffix)
			ix->name = fm_dialect_prisma_name(v->t, t->name, NULL, v->dl->m2m_index_suffix);
		else
		{
			size_t		len = fm_index_column_part(part, ix);

			ix->name = con_name(v, names, t, part, len, "idx", true, false);
		}
		register_name(v, names, t->schema, ix->name, true, false, &ix->pos,
					  NAME_DESC(DESC_INDEX, NULL, t, ix), "map:");
	}
}

/*
 * fmv_name_constraints
 *		The last pass: gives every primary key, unique, index, check and
 *		foreign key of every table (and of the join tables) its name, the
 *		explicit one (map:) or the one PostgreSQL would choose, and reports
 *		names that clash in a schema, where tables, indexes and constraints
 *		share one namespace for relations.
 */
void
fmv_name_constraints(V *v)
{
	NameSpace	names = {0};
	char		part[FM_COLUMN_PART_SIZE];	/* a column part of a name */
	size_t		nnames = (size_t) (v->enums.n + v->models.n + v->m2m.n);

	/* size the registry once: every name is registered at most once */
	for (int i = 0; i < v->models.n + v->m2m.n; i++)
	{
		FmTable    *t = i < v->models.n ? fm_list_get(&v->models, i, VModel)->table :
			fm_list_get(&v->m2m, i - v->models.n, FmTable);

		nnames += (t->primary_key ? 1 : 0) + (size_t) t->uniques.n +
			(size_t) t->indexes.n + (size_t) t->exclusions.n +
			(size_t) t->foreign_keys.n + (size_t) t->checks.n;
	}
	/* the registry is only needed while the names are chosen */
	names.reg = fm_arena_create_like(v->t);
	name_table_init(names.reg, &names.all, nnames);

	for (int i = 0; i < v->enums.n; i++)
	{
		VEnum	   *ve = fm_list_get(&v->enums, i, VEnum);
		NameDesc	d = desc_of(DESC_ENUM_TYPE, NULL, NULL, ve);

		if (ve->en)
			register_name(v, &names, ve->en->schema, ve->en->name, true, false,
						  &ve->blk->name_pos, &d, "@@map");
	}
	for (int i = 0; i < v->models.n; i++)
	{
		VModel	   *vm = fm_list_get(&v->models, i, VModel);

		register_name(v, &names, vm->table->schema, vm->table->name, true, false,
					  &vm->blk->name_pos, NAME_DESC(DESC_TABLE, vm, NULL, NULL), "@@map");
	}
	for (int i = 0; i < v->m2m.n; i++)
	{
		FmTable    *t = fm_list_get(&v->m2m, i, FmTable);
		NameDesc	d = desc_of(DESC_TEXT, NULL, NULL,
									fm_list_get(&v->m2m_desc, i, char));

		register_name(v, &names, t->schema, t->name, true, false, &t->pos, &d,
					  "a relation name");
	}

	/* keys and indexes */
	for (int i = 0; i < v->models.n + v->m2m.n; i++)
	{
		VModel	   *vm = i < v->models.n ? fm_list_get(&v->models, i, VModel) : NULL;
		FmTable    *t = vm ? vm->table : fm_list_get(&v->m2m, i - v->models.n, FmTable);

		if (vm && vm->is_view)
			continue;			/* a view's keys are not objects of the database */

		prefetch_cands(v, &names, i);
		if (vm)
			name_model_keys(v, &names, vm, t);
		else
			name_join_table_keys(v, &names, t, part);
		/* @@exclude: a constraint backed by an index of the same name */
		for (int k = 0; k < t->exclusions.n; k++)
		{
			FmExclusion *x = fm_list_get(&t->exclusions, k, FmExclusion);
			NameDesc	d = desc_of(DESC_TEXT, NULL, NULL,
									fm_psprintf(v->t, "the exclusion constraint on %s of %s",
												fmv_exclusion_columns(v, x), owner_text(v, vm, t)));

			if (x->name == NULL)
			{
				const char *cols = fmv_exclusion_columns(v, x);

				x->name = con_name(v, &names, t, cols, strlen(cols), "excl", true, true);
			}
			d.vm = vm;			/* its table: the scope of its constraint name */
			d.t = t;
			register_name(v, &names, t->schema, x->name, true, true, &x->pos, &d, "map:");
		}
		/* named: now, while the table's keys are in the cache */
		if (vm == NULL || vm->cands_to_index)
			uniques_to_indexes(v, vm, t);
	}
	/* the candidates are all read: not kept while the registry grows */
	fm_arena_destroy(v->nc);
	v->nc = NULL;
	/* foreign keys and checks */
	for (int i = 0; i < v->models.n + v->m2m.n; i++)
	{
		VModel	   *vm = i < v->models.n ? fm_list_get(&v->models, i, VModel) : NULL;
		FmTable    *t = vm ? vm->table : fm_list_get(&v->m2m, i - v->models.n, FmTable);
		FmHashMap	colmap = {0};

		if (vm && vm->is_view)
			continue;			/* a view's keys are not objects of the database */

		for (int k = 0; k < t->foreign_keys.n; k++)
		{
			FmForeignKey *fk = fm_list_get(&t->foreign_keys, k, FmForeignKey);
			/* a model's key holds its map: (make_foreign_key) */
			char	   *map = vm ? fk->name : NULL;

			if (map)
				fk->name = map;
			else if (vm == NULL && v->dl->m2m_fkey_suffix && fk->columns.n == 1)
				fk->name = fm_dialect_m2m_fkey_name(v->dl, v->t, t->name,
													fm_list_get(&fk->columns, 0, char));
			else
			{
				size_t		len = fm_column_list_part(part, &fk->columns);

				fk->name = con_name(v, &names, t, part, len, "fkey", false, true);
			}
			register_name(v, &names, t->schema, fk->name, false, true, &fk->pos,
						  vm ? NAME_DESC(DESC_FK_FIELD, vm, t, fm_list_get(&vm->fk_fields, k, VField)) :
						  NAME_DESC(DESC_FK, vm, t, fk), "map:");
			/*
			 * PostgreSQL keeps a foreign key's name apart from the index
			 * names; Prisma puts a model's keys, indexes and foreign keys
			 * in one namespace (the other clashes are PostgreSQL's too);
			 * the unique indexes of uniques_to_indexes are keys, whose
			 * clashes register_name reported
			 */
			for (int x = 0; vm && v->dl->kind == FM_DIALECT_PRISMA && x < t->indexes.n; x++)
				if (!fm_list_get(&t->indexes, x, FmIndex)->unique &&
					fm_streq(fm_list_get(&t->indexes, x, FmIndex)->name, fk->name))
				{
					ERR(fk->pos, "the foreign key name \"%s\" is also the name of an index of model \"%s\"; Prisma requires the primary key, indexes, unique constraints and foreign keys of a model to have distinct names; give one of them another name with map:",
						fk->name, fmv_nz(vm->blk->name));
					break;
				}
		}
		for (int k = 0; k < t->checks.n && k == 0; k++)
			for (int c = 0; c < t->columns.n; c++)
				fm_hash_put(v->w, &colmap, fm_list_get(&t->columns, c, FmColumn)->name,
						 fm_list_get(&t->columns, c, FmColumn));
		if (t->checks.n > 0)	/* and what a partition or child inherits */
			fmv_lineage_columns(v, t, &colmap);
		for (int k = 0; k < t->checks.n; k++)
		{
			FmCheck    *ck = fm_list_get(&t->checks, k, FmCheck);
			char	   *map = vm ? fm_list_get(&vm->check_maps, k, char) : NULL;
			const char *unknown = fm_expr_unknown_column(v->t, ck->expr, colmap_has, &colmap);
			const char *col;

			if (unknown)
				ERR(ck->pos, "@@check(\"%s\") of %s names column \"%s\", which table \"%s\" does not have; name columns by their database names (unquoted names are folded to lower case)",
					ck->expr, owner_text(v, vm, t), unknown, t->name);
			if (map)
				ck->name = map;
			else if ((col = check_column(v, &colmap, ck->expr)) != NULL)
				ck->name = choose_name(v, &names, t->schema, t->name, col,
									   strlen(col), "check", false, true);
			else
				ck->name = choose_name(v, &names, t->schema, t->name, NULL, 0,
									   "check", false, true);
			register_name(v, &names, t->schema, ck->name, false, true, &ck->pos,
						  NAME_DESC(DESC_CHECK, vm, t, ck), "map:");
		}
	}
	fm_arena_destroy(names.reg);
	fmv_lineage_name_rules(v);
}
