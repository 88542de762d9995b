/*-------------------------------------------------------------------------
 *
 * diff_enum.c
 *	  The enum phase of the diff: enum types created, extended, recreated
 *	  and dropped.
 *
 * Enums are matched by (schema, name).  When the target keeps every label
 * of the source in the same relative order, the new labels are added with
 * ALTER TYPE ... ADD VALUE (BEFORE/AFTER their neighbour).  A target that
 * states a set of labels and not their order (keep_order: the prisma
 * dialect, as Prisma Migrate compares enums) only needs every label of the
 * source, whatever their order: the live order is kept.  Otherwise, and
 * when a column default, CHECK or index expression of the target names an
 * added label (a value added in the same transaction cannot be used), the
 * type is recreated: renamed to <name>_old, created anew, every column
 * converted through text (diff_column.c), the old type dropped.  Removing
 * a label is a DROP_ENUM_VALUE hazard on the first step of that sequence.
 *
 * The phase leaves two sets for later phases (diff_int.h): the enum
 * mentions of the target (filled before the enums are compared) and the
 * enums recreated, which the column, key and CHECK phases consult.
 *
 * src/core/diff_enum.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

/* CREATE TYPE ... AS ENUM (labels in order) */
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
	return fm_buf_finish(&b);
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

/* the labels of e with their positions, sorted by label for label_find() */
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

/* position in its enum of label, or -1 */
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

/*
 * labels_kept_in_order
 *		True when every label of fe is in te, in the same relative order
 *		unless te keeps the live order (keep_order): then te can be reached
 *		by adding labels only.
 */
static bool
labels_kept_in_order(const FmEnum *fe, const FmEnum *te, const LabelPos *tidx)
{
	int			last = -1;

	for (int i = 0; i < fe->values.n; i++)
	{
		int			p = label_find(tidx, te->values.n, fm_list_get(&fe->values, i, FmEnumValue)->name);

		if (p < 0 || (p < last && !te->keep_order))
			return false;
		last = p;
	}
	return true;
}

static void collect_enum_mentions(Diff *d, const FmModel *to);

/*
 * added_label_used
 *		True when a default, CHECK or index expression of the target that
 *		involves enum te (d->enum_defaults) names a label of te that fe does
 *		not have.
 *
 * A value added by ALTER TYPE ... ADD VALUE cannot be used in the same
 * transaction ("unsafe use of new value"), so when a column default of
 * the target names an added value, recreate the type instead: values of a
 * type created in the transaction are safe to use.
 */
static bool
added_label_used(Diff *d, const FmEnum *te, const LabelPos *fidx, int nf)
{
	char	   *prefix;
	size_t		plen;
	int			lo = 0,
				hi = d->nenum_defaults;
	bool		added = false;

	/* no label added: nothing to look for */
	for (int i = 0; i < te->values.n && !added; i++)
		added = label_find(fidx, nf, fm_list_get(&te->values, i, FmEnumValue)->name) < 0;
	if (!added)
		return false;
	if (!d->enum_mentions_done)
	{
		/* the set is built on first need: most plans add no label */
		collect_enum_mentions(d, d->enum_mentions_of);
		d->enum_mentions_done = true;
		hi = d->nenum_defaults;
	}
	if (d->nenum_defaults == 0)
		return false;
	prefix = fm_psprintf(d->a, "%s\x1e", fmd_name_key(d->a, te->schema, te->name));
	plen = strlen(prefix);
	while (lo < hi)
	{
		int			mid = (lo + hi) / 2;

		if (strcmp(d->enum_defaults[mid], prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < d->nenum_defaults &&
		 strncmp(d->enum_defaults[lo], prefix, plen) == 0; lo++)
	{
		for (int i = 0; i < te->values.n; i++)
		{
			const char *label = fm_list_get(&te->values, i, FmEnumValue)->name;

			if (label_find(fidx, nf, label) >= 0)
				continue;
			if (strstr(d->enum_defaults[lo] + plen, fm_sql_string(d->a, label)))
				return true;
		}
	}
	return false;
}

/*
 * add_enum_labels
 *		Record ALTER TYPE ... ADD VALUE for every label of te that fe does
 *		not have, each AFTER its predecessor in te, or BEFORE the first
 *		label that already exists when it comes first.
 */
static void
add_enum_labels(Diff *d, const FmEnum *te, const LabelPos *fidx, int nf,
				char *obj)
{
	int			nt = te->values.n;

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
		fmd_add_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", obj, b.data);
	}
}

/*
 * recreate_enum
 *		Record the recreation of enum fe as te: rename fe to <name>_old,
 *		create te, drop the old type at the end, and add te to d->recreated
 *		(the column phase converts the columns in between).
 *
 * Labels of fe that te lacks make the rename a DROP_ENUM_VALUE hazard.  The
 * new type gets te's comment, whatever the old one had.
 */
static void
recreate_enum(Diff *d, const FmEnum *fe, const FmEnum *te,
			  const LabelPos *tidx, char *obj)
{
	/* the name shortened to make room for the suffix, as makeObjectName():
	 * cut after it, "_old" of a name of 63 bytes would be the name itself */
	char	   *oldname = fm_make_object_name(d->a, te->name, NULL, "old");
	FmBuf		b,
				removed;
	FmStep	   *s;
	const char *first_removed = NULL;

	fm_buf_init(&removed, d->a);
	for (int i = 0; i < fe->values.n; i++)
	{
		const char *label = fm_list_get(&fe->values, i, FmEnumValue)->name;

		if (label_find(tidx, te->values.n, label) >= 0)
			continue;
		if (first_removed)
			fm_buf_append(&removed, ", ");
		else
			first_removed = label;
		fm_r_literal(&d->r, &removed, label);
		fmd_set_add(d, &d->removed_labels, &d->nremoved_labels,
					&d->capremoved_labels, fm_sql_string(d->a, label));
	}

	fm_buf_init(&b, d->a);
	fm_buf_append(&b, "ALTER TYPE ");
	fm_r_qname(&d->r, &b, fe->schema, fe->name);
	fm_buf_append(&b, " RENAME TO ");
	fm_r_ident(&d->r, &b, oldname);
	fm_buf_append_char(&b, ';');
	s = fmd_add_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", obj, b.data);
	if (first_removed)
		fmd_set_hazard(s, FM_HAZARD_DROP_ENUM_VALUE, te->schema, te->name,
					   first_removed, removed.data, true);
	fmd_add_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", obj, create_enum_ddl(d, te));

	fmd_add_step(d, FM_PHASE_DROP_ENUM, "AlterEnum", obj,
				 fmd_drop_ddl(d, "TYPE", te->schema, oldname));
	fmd_set_add(d, &d->recreated, &d->nrecreated, &d->caprecreated,
				fmd_name_key(d->a, te->schema, te->name));
	/* the new type has no comment yet, whatever the old one had */
	if (te->comment && *te->comment)
		fmd_comment_step(d, "TYPE", te->schema, te->name, NULL, te->comment);
}

/*
 * diff_enum_pair
 *		Compare an enum present on both sides (fe in from, te in to) and
 *		record the steps that turn fe into te: new labels added in place
 *		when that is possible and safe, else the type recreated; then a
 *		comment change.
 */
static void
diff_enum_pair(Diff *d, const FmEnum *fe, const FmEnum *te)
{
	int			nf = fe->values.n;
	LabelPos   *fidx = label_index(d->a, fe);
	LabelPos   *tidx = label_index(d->a, te);
	char	   *obj = fm_object_name(d->a, te->schema, te->name);

	if (!labels_kept_in_order(fe, te, tidx) ||
		added_label_used(d, te, fidx, nf))
	{
		/* removed or reordered values: rename, create, convert, drop old */
		recreate_enum(d, fe, te, tidx, obj);
		return;
	}
	add_enum_labels(d, te, fidx, nf, obj);
	if (!te->keep_comment && !fmd_comment_eq(fe->comment, te->comment))
		fmd_comment_step(d, "TYPE", te->schema, te->name, NULL, te->comment);
}

/*
 * fmd_enums
 *		The enum phase: merge the enums of from and to by (schema, name);
 *		drop (a DROP_ENUM hazard), create, or compare each pair; then sort
 *		d->recreated for the later phases.
 *
 * Must run after fmd_note_enum_mentions() and before the table phase.
 */
void
fmd_enums(Diff *d, const FmModel *from, const FmModel *to)
{
	FmEnum	  **fa = (FmEnum **) fmd_sorted_copy(d->a, &from->enums, fmd_enum_ptr_cmp);
	FmEnum	  **ta = (FmEnum **) fmd_sorted_copy(d->a, &to->enums, fmd_enum_ptr_cmp);
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
			c = fmd_enum_ptr_cmp(&fa[i], &ta[j]);
		if (c < 0)
		{
			FmEnum	   *e = fa[i++];
			FmStep	   *s;

			s = fmd_add_step(d, FM_PHASE_DROP_ENUM, "DropEnum",
							 fm_object_name(d->a, e->schema, e->name),
							 fmd_drop_ddl(d, "TYPE", e->schema, e->name));
			fmd_set_hazard(s, FM_HAZARD_DROP_ENUM, e->schema, e->name, NULL, NULL, false);
		}
		else if (c > 0)
		{
			FmEnum	   *e = ta[j++];

			fmd_add_step(d, FM_PHASE_CREATE_ENUM, "CreateEnum",
						 fm_object_name(d->a, e->schema, e->name), create_enum_ddl(d, e));
			if (e->comment && *e->comment)
				fmd_comment_step(d, "TYPE", e->schema, e->name, NULL, e->comment);
		}
		else
			diff_enum_pair(d, fa[i++], ta[j++]);
	}
	if (d->nrecreated > 1)
		qsort(d->recreated, (size_t) d->nrecreated, sizeof(char *), fmd_str_ptr_cmp);
}

/*
 * fmd_names_removed_label
 *		Does text (a CHECK, an index predicate or expression, as read from
 *		the catalog) name a label that a recreated enum loses, as the
 *		literal 'label'?  A textual test: a kept object that names one,
 *		dropped around the conversion, is not created again (it could not
 *		be: "invalid input value for enum"); a false yes (the same literal
 *		compared with another column) drops what could have stayed.
 */
bool
fmd_names_removed_label(Diff *d, const char *text)
{
	if (text == NULL)
		return false;
	for (int i = 0; i < d->nremoved_labels; i++)
		if (strstr(text, d->removed_labels[i]) != NULL)
			return true;
	return false;
}

/* fmd_names_removed_label for an index's predicate and expressions */
bool
fmd_index_names_removed_label(Diff *d, const FmIndex *ix)
{
	if (ix == NULL || d->nremoved_labels == 0)
		return false;
	if (fmd_names_removed_label(d, ix->predicate))
		return true;
	for (int i = 0; i < ix->elems.n; i++)
		if (fmd_names_removed_label(d, fm_list_get(&ix->elems, i, FmIndexElem)->expr))
			return true;
	return false;
}

/*
 * collect_enum_mentions
 *		Fill d->enum_defaults: for every enum-typed column of the target, the
 *		column's default (unless autoincrement) and every CHECK, index
 *		predicate and index expression of its table, keyed by the enum, as
 *		"schema\x1fname\x1etext"; sorted.
 *
 * added_label_used() consults the set, and builds it on its first call: a
 * label added to an enum that any of these texts may name forces a
 * recreation instead of ALTER TYPE ... ADD VALUE.
 */
static void
collect_enum_mentions(Diff *d, const FmModel *to)
{
	for (int k = 0; k < to->tables.n; k++)
	{
		FmTable    *t = fm_list_get(&to->tables, k, FmTable);

		for (int c = 0; c < t->columns.n; c++)
		{
			FmColumn   *col = fm_list_get(&t->columns, c, FmColumn);
			char	   *ek;

			if (col->type.kind != FM_TYPE_ENUM)
				continue;
			ek = fmd_name_key(d->a, col->type.enum_schema, col->type.enum_name);
			if (col->default_sql && col->autoinc == FM_AUTOINC_NONE)
				fmd_set_add(d, &d->enum_defaults, &d->nenum_defaults, &d->capenum_defaults,
							fm_psprintf(d->a, "%s\x1e%s", ek, col->default_sql));
			/* CHECKs and partial/expression indexes may name values too */
			for (int x = 0; x < t->checks.n; x++)
				fmd_set_add(d, &d->enum_defaults, &d->nenum_defaults, &d->capenum_defaults,
							fm_psprintf(d->a, "%s\x1e%s", ek,
									fm_list_get(&t->checks, x, FmCheck)->expr ?
									fm_list_get(&t->checks, x, FmCheck)->expr : ""));
			for (int x = 0; x < t->indexes.n; x++)
			{
				FmIndex    *ix = fm_list_get(&t->indexes, x, FmIndex);

				if (ix->predicate)
					fmd_set_add(d, &d->enum_defaults, &d->nenum_defaults, &d->capenum_defaults,
								fm_psprintf(d->a, "%s\x1e%s", ek, ix->predicate));
				for (int y = 0; y < ix->elems.n; y++)
					if (fm_list_get(&ix->elems, y, FmIndexElem)->expr)
						fmd_set_add(d, &d->enum_defaults, &d->nenum_defaults,
									&d->capenum_defaults,
									fm_psprintf(d->a, "%s\x1e%s", ek,
											fm_list_get(&ix->elems, y, FmIndexElem)->expr));
			}
		}
	}
	if (d->nenum_defaults > 1)
		qsort(d->enum_defaults, (size_t) d->nenum_defaults, sizeof(char *), fmd_str_ptr_cmp);
}

/*
 * fmd_note_enum_mentions
 *		Note the target whose enum mentions (collect_enum_mentions) the enum
 *		phase reads; the set itself is built when a label is added.  Must
 *		run before fmd_enums().
 */
void
fmd_note_enum_mentions(Diff *d, const FmModel *to)
{
	d->enum_mentions_of = to;
	d->enum_mentions_done = false;
}
