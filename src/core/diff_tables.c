/*-------------------------------------------------------------------------
 *
 * diff_tables.c
 *	  The diff of what issue 14 adds to tables: standalone sequences
 *	  (created before their readers, dropped after them, OWNED BY NONE when
 *	  a serial column's sequence becomes standalone), UNLOGGED and storage
 *	  parameters, identity generation and options, switches between serial
 *	  and identity that keep the sequence's value, collations, and stored
 *	  generated columns.
 *
 * src/core/diff_tables.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

/* the column (schema, table) of from that owns sequence (schema, name) */
static const FmColumn *
owner_of(const FmModel *from, const FmSequence *sq, const FmTable **table)
{
	for (int i = 0; i < from->tables.n; i++)
	{
		const FmTable *t = fm_list_get(&from->tables, i, FmTable);

		for (int j = 0; j < t->columns.n; j++)
		{
			const FmColumn *c = fm_list_get(&t->columns, j, FmColumn);

			if (FM_COL_MORE(c)->seq_name != NULL && fm_streq(FM_COL_MORE(c)->seq_name, sq->name) &&
				fm_streq(FM_COL_MORE(c)->seq_schema, sq->schema))
			{
				*table = t;
				return c;
			}
		}
	}
	return NULL;
}

/*
 * Does column c of table t (of from) stay an autoincrement in to?  Then
 * the serial keeps its sequence, owned, and another column's default that
 * reads it (a sequence the text states, or infers from nextval()) shares
 * it as it does live: its ownership is not removed.
 */
static bool
serial_kept(const FmModel *to, const FmTable *t, const FmColumn *c)
{
	const FmTable *t2 = fm_model_find_table(to, t->schema, t->name);
	const FmColumn *c2 = t2 ? fm_table_find_column(t2, c->name) : NULL;

	return c2 != NULL && c2->autoinc != FM_AUTOINC_NONE;
}

static char *
sequence_ddl(Diff *d, const char *verb, const FmSequence *sq, const char *tail)
{
	FmBuf		b;

	fm_buf_init(&b, d->a);
	fm_buf_append(&b, verb);
	fm_r_qname(&d->r, &b, sq->schema, sq->name);
	fm_buf_append(&b, tail);
	return fm_buf_finish(&b);
}

/*
 * fmd_sequences
 *		Standalone sequences of to that from lacks are created (phase
 *		CREATE_SEQUENCE, before the tables that read them), unless a column
 *		of from owns one: that ownership is removed (ALTER SEQUENCE ... OWNED
 *		BY NONE, phase ALTER_TABLE, so before any DROP TABLE or DROP COLUMN
 *		that would take the sequence with it), unless that column stays an
 *		autoincrement (serial_kept); the sequence keeps its value.
 *		Standalone sequences of from that to lacks are dropped once the
 *		defaults that read them are gone (phase DROP_SEQUENCE).
 */
void
fmd_sequences(Diff *d, const FmModel *from, const FmModel *to)
{
	for (int i = 0; i < to->sequences.n; i++)
	{
		const FmSequence *sq = fm_list_get(&to->sequences, i, FmSequence);
		const FmTable *t = NULL;
		char	   *obj = fm_object_name(d->a, sq->schema, sq->name);
		const FmColumn *owner;

		if (fm_model_find_sequence(from, sq->schema, sq->name) != NULL)
			continue;
		owner = owner_of(from, sq, &t);
		if (owner != NULL && serial_kept(to, t, owner))
			continue;
		if (owner != NULL)
			fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterSequence", obj,
					 sequence_ddl(d, "ALTER SEQUENCE ", sq, " OWNED BY NONE;"));
		else
			fmd_add_step(d, FM_PHASE_CREATE_SEQUENCE, "CreateSequence", obj,
					 sequence_ddl(d, "CREATE SEQUENCE ", sq, ";"));
	}
	for (int i = 0; i < from->sequences.n; i++)
	{
		const FmSequence *sq = fm_list_get(&from->sequences, i, FmSequence);

		/* read by a default no text states (an inherited column's own) */
		if (sq->read_unstated)
			continue;
		if (fm_model_find_sequence(to, sq->schema, sq->name) == NULL)
			fmd_add_step(d, FM_PHASE_DROP_SEQUENCE, "DropSequence",
					 fm_object_name(d->a, sq->schema, sq->name),
					 sequence_ddl(d, "DROP SEQUENCE ", sq, ";"));
	}
}

/*
 * fmd_serial_default_kept
 *		Is c2's default the nextval() of the sequence that serial column c1
 *		owns?  Then the default does not change: only the ownership does
 *		(fmd_sequences), and the column plans no SET DEFAULT.
 */
bool
fmd_serial_default_kept(Diff *d, const FmColumn *c1, const FmColumn *c2)
{
	char	   *schema,
			   *name;

	if (c1->autoinc != FM_AUTOINC_SERIAL || c2->autoinc != FM_AUTOINC_NONE ||
		FM_COL_MORE(c1)->seq_name == NULL ||
		!fm_nextval_sequence(d->a, c2->default_sql, &schema, &name))
		return false;
	return fm_streq(name, FM_COL_MORE(c1)->seq_name) &&
		(schema == NULL || fm_streq(schema, FM_COL_MORE(c1)->seq_schema));
}

/* 1 for PostgreSQL's true spellings, 0 for false ones, -1 otherwise */
static int
bool_word(const char *s)
{
	static const char *const t[] = {"true", "on", "yes", "t", "y", NULL};
	static const char *const f[] = {"false", "off", "no", "f", "n", NULL};

	for (int i = 0; t[i]; i++)
		if (strcmp(s, t[i]) == 0)
			return 1;
	for (int i = 0; f[i]; i++)
		if (strcmp(s, f[i]) == 0)
			return 0;
	return -1;
}

/*
 * Equal storage parameter values: as booleans when both are spelled as
 * one (reloptions keep "off" as the user wrote it), as numbers when both
 * are, else as text.
 */
static bool
option_value_eq(const char *x, const char *y)
{
	char	   *ex,
			   *ey;
	double		dx = strtod(x, &ex),
				dy = strtod(y, &ey);

	if (bool_word(x) >= 0 && bool_word(y) >= 0)
		return bool_word(x) == bool_word(y);

	if (*x && *y && *ex == '\0' && *ey == '\0')
		return dx == dy;
	return strcmp(x, y) == 0;
}

static const FmOption *
find_option(const FmList *opts, const char *name)
{
	for (int i = 0; i < opts->n; i++)
	{
		const FmOption *o = fm_list_get(opts, i, FmOption);

		if (strcmp(o->name, name) == 0)
			return o;
	}
	return NULL;
}

/*
 * fmd_storage
 *		UNLOGGED and the storage parameters of a table in both models,
 *		unless t2 cannot state them (keep_unstated).  SET LOGGED/UNLOGGED
 *		rewrites the table (hazard rewrite_table); SET (...) and RESET (...)
 *		of fillfactor and autovacuum_* change the catalog only.
 */
void
fmd_storage(Diff *d, const FmTable *t1, const FmTable *t2)
{
	char	   *obj;
	FmList		set = {0},
				reset = {0};

	if (t2->keep_unstated)
		return;
	obj = fm_object_name(d->a, t2->schema, t2->name);
	/* a partitioned table's UNLOGGED cannot be stated: kept */
	if (t1->unlogged != t2->unlogged && t2->partition_by == NULL)
	{
		FmBuf		b;
		FmStep	   *s;
		const char *what = t2->unlogged ? "SET UNLOGGED" : "SET LOGGED";

		fmd_begin_alter(d, &b, t2);
		fm_buf_printf(&b, "%s;", what);
		s = fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);
		/* a rewrite under ACCESS EXCLUSIVE, as a type change's */
		fmd_lock(d, s, FM_STEP_ALTER_TYPE, t2);
		fmd_set_hazard(s, FM_HAZARD_REWRITE_TABLE, t2->schema, t2->name, NULL,
				   fm_strdup(d->a, what), false);
	}
	for (int i = 0; i < t2->storage.n; i++)
	{
		FmOption   *o = fm_list_get(&t2->storage, i, FmOption);
		const FmOption *old = find_option(&t1->storage, o->name);

		if (old == NULL || !option_value_eq(old->value, o->value))
			fm_list_append(d->a, &set, o);
	}
	for (int i = 0; i < t1->storage.n; i++)
	{
		FmOption   *o = fm_list_get(&t1->storage, i, FmOption);

		if (find_option(&t2->storage, o->name) == NULL)
			fm_list_append(d->a, &reset, o);
	}
	if (set.n > 0)
	{
		FmBuf		b;

		fmd_begin_alter(d, &b, t2);
		fm_buf_append(&b, "SET (");
		fm_r_options(&d->r, &b, &set, true);
		fm_buf_append(&b, ");");
		fmd_lock(d, fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data),
				 FM_STEP_SET_STORAGE, t2);
	}
	if (reset.n > 0)
	{
		FmBuf		b;

		fmd_begin_alter(d, &b, t2);
		fm_buf_append(&b, "RESET (");
		fm_r_options(&d->r, &b, &reset, false);
		fm_buf_append(&b, ");");
		fmd_lock(d, fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data),
				 FM_STEP_SET_STORAGE, t2);
	}
}

static bool
identity_options_eq(const FmIdentity *x, const FmIdentity *y)
{
	return fm_streq(x->start, y->start) && fm_streq(x->increment, y->increment) &&
		fm_streq(x->minvalue, y->minvalue) && fm_streq(x->maxvalue, y->maxvalue) &&
		x->cycle == y->cycle;
}

/*
 * fmd_add_identity
 *		Column c2 of t, not an identity column in from, becomes one: ADD
 *		GENERATED ... AS IDENTITY with c2's options.  Its values are kept;
 *		the hazard switch_identity says from where new ones come: continuing
 *		sequence serial_seq ("schema.name", a serial column's), or, when
 *		that is NULL, from the identity's START.
 */
void
fmd_add_identity(Diff *d, const FmTable *t, const FmColumn *c2, char *obj,
				 char *serial_seq)
{
	FmBuf		b,
				opts;
	FmStep	   *s;

	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "ALTER COLUMN ");
	fm_r_ident(&d->r, &b, c2->name);
	fm_buf_append(&b, c2->autoinc == FM_AUTOINC_IDENTITY_ALWAYS ?
				  " ADD GENERATED ALWAYS AS IDENTITY" :
				  " ADD GENERATED BY DEFAULT AS IDENTITY");
	fm_buf_init(&opts, d->a);
	if (fm_r_identity_options(&opts, FM_COL_MORE(c2)->identity, false))
		fm_buf_printf(&b, " (%s)", opts.data);
	fm_buf_append_char(&b, ';');
	s = fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);
	fmd_lock(d, s, FM_STEP_ALTER_DEFAULT, t);
	fmd_set_hazard(s, FM_HAZARD_SWITCH_IDENTITY, t->schema, t->name, c2->name,
				   serial_seq, false);
}

/*
 * A serial column becomes an identity column and keeps counting: the
 * nextval() default goes, the serial sequence is disowned, the identity is
 * added, its sequence takes the serial sequence's position (setval), and
 * the serial sequence is dropped.
 */
static void
serial_to_identity(Diff *d, const FmTable *t, const FmColumn *c1,
				   const FmColumn *c2, char *obj)
{
	FmBuf		b,
				tname,
				seq;

	fm_buf_init(&seq, d->a);
	fm_r_qname(&d->r, &seq, FM_COL_MORE(c1)->seq_schema, FM_COL_MORE(c1)->seq_name);
	fmd_alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
					   "DROP DEFAULT%s", NULL);
	/* disowned first, so that pg_get_serial_sequence() finds the identity's */
	fm_buf_init(&b, d->a);
	fm_buf_printf(&b, "ALTER SEQUENCE %s OWNED BY NONE;", seq.data);
	fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);
	fmd_add_identity(d, t, c2, obj,
					 fm_psprintf(d->a, "%s.%s", FM_COL_MORE(c1)->seq_schema ? FM_COL_MORE(c1)->seq_schema : "",
								 FM_COL_MORE(c1)->seq_name));

	fm_buf_init(&tname, d->a);
	fm_r_qname(&d->r, &tname, t->schema, t->name);
	fm_buf_init(&b, d->a);
	fm_buf_append(&b, "SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(");
	fm_r_literal(&d->r, &b, tname.data);
	fm_buf_append(&b, ", ");
	fm_r_literal(&d->r, &b, c2->name);
	fm_buf_printf(&b, "), s.last_value, s.is_called) FROM %s s;", seq.data);
	fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);

	fm_buf_init(&b, d->a);
	fm_buf_printf(&b, "DROP SEQUENCE %s;", seq.data);
	fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);
}

/*
 * fmd_identity
 *		The auto-increment kind of a column in both models, when the target
 *		states an identity (c2->identity): a serial column is switched to
 *		an identity that continues its sequence (serial_to_identity); an
 *		identity's generation (SET GENERATED) and options (SET ...) are
 *		changed in place, never restarting it.  Returns true when it
 *		handled the column's auto-increment change (the caller then adds no
 *		identity of its own).
 */
bool
fmd_identity(Diff *d, const FmTable *t, const FmColumn *c1,
				 const FmColumn *c2, char *obj)
{
	const FmIdentity *want = FM_COL_MORE(c2)->identity;
	const FmIdentity *have = FM_COL_MORE(c1)->identity;
	static const FmIdentity none;

	if (want == NULL || c1->autoinc == FM_AUTOINC_NONE)
		return false;
	if (c1->autoinc == FM_AUTOINC_SERIAL && FM_COL_MORE(c1)->seq_name != NULL)
	{
		serial_to_identity(d, t, c1, c2, obj);
		return true;
	}
	if (c1->autoinc == FM_AUTOINC_SERIAL)
		return false;			/* from text: nothing to switch from */
	if (have == NULL)
		have = &none;
	if ((c1->autoinc == FM_AUTOINC_IDENTITY_ALWAYS) != want->always)
		fmd_alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2, "%s",
					   want->always ? "SET GENERATED ALWAYS" : "SET GENERATED BY DEFAULT");
	if (!identity_options_eq(have, want))
	{
		FmBuf		opts;

		fm_buf_init(&opts, d->a);
		fm_r_identity_options(&opts, want, true);
		fmd_alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2, "%s",
					   opts.data);
	}
	return true;
}

/*
 * fmd_collation_changes
 *		Does fmd_collation change the collation of c1 (of the same type as
 *		c2) to c2's: t2 can state it, and the names differ (an unqualified
 *		name matches a qualified one of the same name)?
 */
bool
fmd_collation_changes(const FmTable *t2, const FmColumn *c1, const FmColumn *c2)
{
	const FmColumnMore *m1 = FM_COL_MORE(c1);
	const FmColumnMore *m2 = FM_COL_MORE(c2);

	if (t2->keep_unstated)
		return false;
	return !(fm_streq(m1->collation, m2->collation) &&
			 (m1->collation_schema == NULL || m2->collation_schema == NULL ||
			  fm_streq(m1->collation_schema, m2->collation_schema)));
}

/*
 * fmd_collation
 *		A column's collation, in both models, unless t2 cannot state it
 *		(keep_unstated): ALTER COLUMN ... TYPE <its type> COLLATE <it>
 *		(pg_catalog."default" to remove it), which rebuilds the indexes on
 *		the column under an ACCESS EXCLUSIVE lock.  An unqualified name
 *		matches a qualified one of the same name.  After a type change
 *		(retyped), which resets the collation to the new type's, a stated
 *		collation is set again.
 */
void
fmd_collation(Diff *d, const FmTable *t, const FmColumn *c1,
			  const FmColumn *c2, char *obj, bool retyped)
{
	FmBuf		b;

	if (t->keep_unstated)
		return;
	if (retyped ? FM_COL_MORE(c2)->collation == NULL :
		!fmd_collation_changes(t, c1, c2))
		return;
	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "ALTER COLUMN ");
	fm_r_ident(&d->r, &b, c2->name);
	fm_buf_append(&b, " TYPE ");
	fm_r_type(&d->r, &b, &c2->type);
	fm_buf_append(&b, " COLLATE ");
	if (FM_COL_MORE(c2)->collation)
		fm_r_qname(&d->r, &b, FM_COL_MORE(c2)->collation_schema, FM_COL_MORE(c2)->collation);
	else
		fm_r_qname(&d->r, &b, "pg_catalog", "default");
	fm_buf_append_char(&b, ';');
	fmd_lock(d, fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data),
			 FM_STEP_ALTER_COLLATION, t);
}

/*
 * as_live_generated
 *		Column c2 of a table that cannot state generations (keep_unstated)
 *		as the plan adds it again around a type change: as stated, with the
 *		generation, collation and comment of the live column c1, which the
 *		text cannot state and a plan keeps, and no default (a generated
 *		column has none; the text may state the expression as its default,
 *		dbgenerated("expr"), as Prisma reads it).
 */
static const FmColumn *
as_live_generated(Diff *d, const FmColumn *c1, const FmColumn *c2)
{
	FmColumn   *c = fm_alloc(d->a, sizeof(FmColumn));
	FmColumnMore *more = fm_alloc(d->a, sizeof(FmColumnMore));
	const FmColumnMore *m1 = FM_COL_MORE(c1);

	*c = *c2;
	*more = *FM_COL_MORE(c2);
	more->generated = m1->generated;
	more->collation = m1->collation;
	more->collation_schema = m1->collation_schema;
	more->comment = m1->comment;
	c->more = more;
	c->default_sql = NULL;
	c->keep_default = false;
	c->autoinc = FM_AUTOINC_NONE;
	return c;
}

/*
 * fmd_generated
 *		A column's generation (GENERATED ALWAYS AS (expr) STORED) in both
 *		models, unless t cannot state it (keep_unstated); expressions compare
 *		normalized, like defaults.  A generation removed is DROP EXPRESSION
 *		(the values stay).  PostgreSQL 15 cannot change or add the
 *		expression of an existing column, so a generation changed or added
 *		re-creates the column: DROP COLUMN, then ADD COLUMN as to states it,
 *		a rewrite (hazard rewrite_table; drop_column, losing the values,
 *		when the column was not generated), after which its comment is set
 *		again; its keys, indexes, CHECKs and foreign keys are re-created by
 *		their phases (diff_generated.c).  Returns true when it re-created
 *		the column: the caller then compares nothing else of it.
 */
bool
fmd_generated(Diff *d, const FmTable *t, const FmColumn *c1,
			  const FmColumn *c2, char *obj)
{
	FmBuf		b;
	FmStep	   *s;
	int			rank = d->rank;

	if (t->keep_unstated)
	{
		/* only a live generation over a retyped column (diff_generated.c) */
		if (!fmd_regenerates(d, d->cols_from, t, c1, c2))
			return false;
		c2 = as_live_generated(d, c1, c2);
	}
	else if (FM_COL_MORE(c1)->generated == NULL && FM_COL_MORE(c2)->generated == NULL)
		return false;
	if (FM_COL_MORE(c2)->generated == NULL)
	{
		/* before a column it reads is retyped (diff_generated.c) */
		d->rank = FMD_RANK_LAST;
		fmd_alter_col_step(d, FM_PHASE_DROP_INDEX, "AlterTable", obj, t, c2,
						   "DROP EXPRESSION%s", NULL);
		d->rank = rank;
		return false;
	}
	if (!fmd_regenerates(d, d->cols_from, t, c1, c2))
		return false;
	/* its foreign keys go down with it (diff_generated.c) */
	fmd_set_add(d, &d->retyped, &d->nretyped, &d->capretyped,
				fm_psprintf(d->a, "%s\x1f%s\x1f%s", t->schema ? t->schema : "",
							t->name, c2->name));
	/*
	 * dropped last in the drop phase, added last in the column phase: the
	 * columns its expressions read are retyped or added between
	 * (diff_generated.c)
	 */
	d->rank = FMD_RANK_LAST;
	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "DROP COLUMN ");
	fm_r_ident(&d->r, &b, c2->name);
	fm_buf_append_char(&b, ';');
	s = fmd_add_step(d, FM_PHASE_DROP_INDEX, "AlterTable", obj, b.data);
	fmd_lock(d, s, FM_STEP_DROP_COLUMN, t);
	if (FM_COL_MORE(c1)->generated == NULL)
		fmd_set_hazard(s, FM_HAZARD_DROP_COLUMN, t->schema, t->name, c2->name,
					   NULL, true);
	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "ADD COLUMN ");
	fm_r_column_def(&d->r, &b, c2);
	fm_buf_append_char(&b, ';');
	s = fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);
	d->rank = rank;
	fmd_lock(d, s, FM_STEP_ADD_COLUMN_REWRITE, t);
	fmd_set_hazard(s, FM_HAZARD_REWRITE_TABLE, t->schema, t->name, c2->name,
				   fm_psprintf(d->a, "adding generated column %s", c2->name), false);
	if (FM_COL_MORE(c2)->comment && *FM_COL_MORE(c2)->comment)
		fmd_comment_step(d, "COLUMN", t->schema, t->name, c2->name, FM_COL_MORE(c2)->comment);
	return true;
}
