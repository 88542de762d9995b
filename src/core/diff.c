/*-------------------------------------------------------------------------
 *
 * diff.c
 *	  Compare two schema models and produce the ordered plan of DDL steps
 *	  that takes a database from the first to the second: the driver.
 *
 * The diff is split by what it compares, one file per phase:
 *	  diff.c			the driver: schemas and extensions, the order in
 *						which the phases run, the final sort of the steps
 *	  diff_enum.c		enum types: created, extended, recreated, dropped
 *	  diff_table.c		tables: matched, created, dropped
 *	  diff_rowtype.c	the order of tables whose row types are column types
 *	  diff_column.c		columns: types and casts, defaults, nullability,
 *						identity and serial, comments
 *	  diff_index.c		primary keys, unique constraints and indexes
 *	  diff_constraint.c	CHECK constraints and foreign keys
 *	  diff_tables.c		standalone sequences, UNLOGGED and storage
 *						parameters, identity kinds and options, collations
 *	  diff_util.c		what every phase uses: sorted merges, string sets,
 *						step recording
 * They share one Diff state (diff_int.h).
 *
 * Objects are matched by name with sorted merges (tables and enums by
 * (schema, name), columns and constraints by name within their table), so
 * the cost is O(n log n) in the number of objects.  Every step is
 * recorded with its phase (FmPhase) and object name; the plan is then
 * stably sorted by (phase, object, creation order), which keeps the
 * multi-statement sequences of one object (an enum recreation, the
 * alterations of one column) in the order they were made.  The order in
 * which the phases run therefore does not decide the order of the DDL;
 * it decides what each phase knows.  fm_diff() runs them so:
 *	  1. schemas and extensions to create;
 *	  2. the enum mentions of the target (defaults, CHECKs, index
 *		 expressions), then the enums, which note the enums recreated;
 *	  3. the standalone sequences (created, dropped, or disowned by the
 *		 serial column that owned them);
 *	  4. the relation names of the target, then the tables: drops,
 *		 creations, and for each pair its columns (noting retyped
 *		 columns), storage, keys (noting dropped unique keys), CHECKs and
 *		 comment;
 *	  5. the foreign keys of every pair, now that dropped keys and retyped
 *		 columns are known;
 *	  6. the partitions moved out of a table the plan drops, noted on that
 *		 DROP TABLE's hazard (fmd_note_spared_rows).
 *
 * Values are compared after offline normalization (normalize.c,
 * normalize_type.c): types in format_type() spelling, defaults, CHECKs
 * and predicates as canonical expression text.  All non-NONE FmAutoinc
 * kinds compare equal unless the target states an identity (@identity).  Hazards follow the conventions documented beside
 * FmStep (fm_diff.h).
 *
 * src/core/diff.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

/*
 * Append schema (unless NULL) to a list of schema names, unless it is the
 * last one appended: the list is a set, and the objects of one schema
 * mostly come together.
 */
static void
add_schema(Diff *d, FmList *list, char *schema)
{
	if (schema == NULL)
		return;
	if (list->n > 0 &&
		(list->items[list->n - 1] == schema ||
		 fm_streq(list->items[list->n - 1], schema)))
		return;
	fm_list_append(d->a, list, schema);
}

/* whether model lists the extension named name */
static bool
model_has_extension(const FmModel *model, const char *name)
{
	for (int i = 0; i < model->extensions.n; i++)
		if (fm_streq(fm_list_get(&model->extensions, i, FmExtension)->name, name))
			return true;
	return false;
}

/*
 * diff_schemas
 *		CREATE SCHEMA IF NOT EXISTS for every schema a table, enum or new
 *		standalone sequence of to lives in that from has neither listed nor
 *		used, and for the schema
 *		an extension of to names (schema: "s") when from lacks the
 *		extension: CREATE EXTENSION ... WITH SCHEMA fails on a schema that
 *		does not exist (Prisma Migrate's script does).  Schemas are never
 *		dropped.
 */
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
		add_schema(d, &have, fm_list_get(&from->tables, i, FmTable)->schema);
	for (int i = 0; i < from->enums.n; i++)
		add_schema(d, &have, fm_list_get(&from->enums, i, FmEnum)->schema);
	for (int i = 0; i < to->tables.n; i++)
		add_schema(d, &want, fm_list_get(&to->tables, i, FmTable)->schema);
	for (int i = 0; i < to->enums.n; i++)
		add_schema(d, &want, fm_list_get(&to->enums, i, FmEnum)->schema);
	for (int i = 0; i < to->extensions.n; i++)
	{
		FmExtension *e = fm_list_get(&to->extensions, i, FmExtension);

		if (e->schema && !model_has_extension(from, e->name))
			add_schema(d, &want, e->schema);
	}
	/* a standalone sequence's (plans keep only those of managed schemas) */
	for (int i = 0; i < to->sequences.n; i++)
	{
		FmSequence *sq = fm_list_get(&to->sequences, i, FmSequence);

		if (sq->schema && fm_model_find_sequence(from, sq->schema, sq->name) == NULL)
			add_schema(d, &want, sq->schema);
	}
	h = (char **) fmd_sorted_copy(d->a, &have, fmd_str_ptr_cmp);
	w = (char **) fmd_sorted_copy(d->a, &want, fmd_str_ptr_cmp);
	for (int i = 0; i < want.n; i++)
	{
		FmBuf		b;

		if (i > 0 && strcmp(w[i], w[i - 1]) == 0)
			continue;
		if (fmd_set_has(h, have.n, w[i]))
			continue;
		fm_buf_init(&b, d->a);
		fm_buf_append(&b, "CREATE SCHEMA IF NOT EXISTS ");
		fm_r_ident(&d->r, &b, w[i]);
		fm_buf_append_char(&b, ';');
		fmd_add_step(d, FM_PHASE_CREATE_SCHEMA, "CreateSchema", fm_strdup(d->a, w[i]), b.data);
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
		FmBuf		b;

		if (model_has_extension(from, e->name))
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
		fmd_add_step(d, FM_PHASE_CREATE_EXTENSION, "CreateExtension", fm_strdup(d->a, e->name), b.data);
	}
}

/*
 * A step with what orders it in the plan, held in the key itself so that
 * sorting mostly compares keys: phase, rank, the first 16 bytes of the
 * object's name (big-endian, NUL-padded: objects share their schema's
 * name), then creation order.
 */
typedef struct StepKey
{
	int			phase;
	int			rank;
	uint64_t	prefix[2];
	const char *object;
	int			seq;
	StepRec    *rec;
} StepKey;

/*
 * The plan's order: phase, then rank, then object (fm_strcmp_null's order:
 * NULL first, then strcmp's), then creation order.  Creation numbers are
 * unique, so the order is total: any sort gives the one plan.
 */
static int
stepkey_cmp(const void *a, const void *b)
{
	const StepKey *x = a;
	const StepKey *y = b;

	if (x->phase != y->phase)
		return x->phase < y->phase ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->object == NULL || y->object == NULL)
	{
		if (x->object != y->object)
			return x->object == NULL ? -1 : 1;
	}
	else if (x->prefix[0] != y->prefix[0])
		return x->prefix[0] < y->prefix[0] ? -1 : 1;
	else if (x->prefix[1] != y->prefix[1])
		return x->prefix[1] < y->prefix[1] ? -1 : 1;
	else if ((x->prefix[1] & 0xFF) != 0)
	{
		/* the same first 16 bytes, neither name ending within them */
		int			c = strcmp(x->object + 16, y->object + 16);

		if (c)
			return c;
	}
	return x->seq < y->seq ? -1 : (x->seq > y->seq ? 1 : 0);
}

/*
 * sort_steps
 *		d->recs (of StepRec *) in the plan's order (stepkey_cmp), sorted
 *		in place.
 */
static void
sort_steps(Diff *d)
{
	int			n = d->recs.n;
	StepKey    *keys;

	if (n < 2)
		return;
	keys = fm_alloc(d->a, sizeof(StepKey) * (size_t) n);
	for (int i = 0; i < n; i++)
	{
		StepRec    *r = fm_list_get(&d->recs, i, StepRec);
		const char *o = r->step.object;
		uint64_t	p[2] = {0, 0};

		for (int b = 0; o != NULL && b < 16 && o[b] != '\0'; b++)
			p[b / 8] |= (uint64_t) (unsigned char) o[b] << (56 - 8 * (b % 8));
		keys[i].phase = (int) r->step.phase;
		keys[i].rank = r->rank;
		keys[i].prefix[0] = p[0];
		keys[i].prefix[1] = p[1];
		keys[i].object = o;
		keys[i].seq = r->seq;
		keys[i].rec = r;
	}
	qsort(keys, (size_t) n, sizeof(StepKey), stepkey_cmp);
	for (int i = 0; i < n; i++)
		d->recs.items[i] = keys[i].rec;
}

/* a table that PostGIS owns, by the names Prisma Migrate ignores */
static bool
postgis_table(const FmTable *t)
{
	return fm_strcaseeq(t->name, "spatial_ref_sys") ||
		fm_strcaseeq(t->name, "geometry_columns");
}

/*
 * m without the tables PostGIS owns: m itself when it has none, else a
 * shallow copy in arena with another list of tables.
 */
static const FmModel *
without_postgis_tables(FmArena *arena, const FmModel *m)
{
	FmModel    *c;
	int			i;

	for (i = 0; i < m->tables.n; i++)
		if (postgis_table(fm_list_get(&m->tables, i, FmTable)))
			break;
	if (i == m->tables.n)
		return m;
	c = fm_alloc(arena, sizeof(FmModel));
	*c = *m;
	memset(&c->tables, 0, sizeof(c->tables));
	for (i = 0; i < m->tables.n; i++)
		if (!postgis_table(fm_list_get(&m->tables, i, FmTable)))
			fm_list_append(arena, &c->tables, fm_list_get(&m->tables, i, FmTable));
	return c;
}

/*
 * fm_diff
 *		Diff from -> to (either may be NULL, an empty model) and return the
 *		plan, allocated in arena; quoting NULL means fm_default_quoting.
 *
 * Runs the phases in the order described at the top of this file, then
 * sorts the steps into execution order.  Neither model is modified.  A
 * model read in the prisma dialect (to->ignore_postgis_tables) leaves the
 * tables of PostGIS out of both sides.
 */
FmPlan *
fm_diff(FmArena *arena, const FmModel *from, const FmModel *to,
		const FmQuoting *quoting)
{
	static const FmModel empty;
	Diff		d;
	FmPlan	   *plan;

	memset(&d, 0, sizeof(d));
	d.a = arena;
	d.r.arena = arena;
	d.r.q = quoting ? quoting : &fm_default_quoting;
	if (from == NULL)
		from = &empty;
	if (to == NULL)
		to = &empty;
	/* Prisma Migrate neither creates, changes nor drops PostGIS's tables */
	if (to->ignore_postgis_tables)
	{
		from = without_postgis_tables(arena, from);
		to = without_postgis_tables(arena, to);
	}

	diff_schemas(&d, from, to);
	diff_extensions(&d, from, to);
	/* declared renames first: the rest of the diff sees them done */
	from = fmd_renames(&d, from, to);
	d.from = from;
	d.to = to;
	fmd_possible_renames(&d, from, to);

	fmd_note_enum_mentions(&d, to);
	fmd_enums(&d, from, to);
	fmd_note_relnames(&d, to);
	fmd_note_recreated_tables(&d, from, to);
	fmd_sequences(&d, from, to);
	fmd_tables(&d, from, to);
	fmd_note_spared_rows(&d, from);

	sort_steps(&d);
	plan = fm_alloc(arena, sizeof(FmPlan));
	plan->arena = arena;
	plan->quoting = quoting;
	for (int k = 0; k < d.recs.n; k++)
		fm_list_append(arena, &plan->steps, &fm_list_get(&d.recs, k, StepRec)->step);
	return plan;
}
