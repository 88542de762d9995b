/*-------------------------------------------------------------------------
 *
 * online.c
 *	  Online plans: the low-lock forms of the steps that change existing
 *	  tables, built from the objects the diff recorded on each step (never
 *	  by editing the statement text).
 *
 *	CREATE INDEX            -> CREATE INDEX CONCURRENTLY
 *	ADD UNIQUE/PRIMARY KEY  -> CREATE UNIQUE INDEX CONCURRENTLY,
 *	                           ADD CONSTRAINT ... USING INDEX
 *	DROP INDEX              -> DROP INDEX CONCURRENTLY
 *	ADD FOREIGN KEY / CHECK -> ... NOT VALID, VALIDATE CONSTRAINT
 *	SET NOT NULL            -> ADD CHECK (col IS NOT NULL) NOT VALID,
 *	                           VALIDATE, SET NOT NULL (no scan), DROP CHECK
 *
 * A step whose kind has no low-lock form keeps its statement and gets the
 * kind's note (fm_locks.h) saying so.  Steps on tables the plan creates
 * (no lock_table) are left alone: nobody else can see those tables yet.
 *
 * src/core/online.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "fm_diff_int.h"
#include "fm_util.h"

typedef struct Online
{
	FmRender	r;
	FmList		out;			/* of FmStep * */
} Online;

static FmStep *
emit(Online *o, const FmStep *like, FmStepKind kind, char *ddl)
{
	FmStep	   *s = fm_alloc(o->r.arena, sizeof(FmStep));

	*s = *like;
	s->kind = kind;
	s->ddl = ddl;
	s->nontx = (kind == FM_STEP_CREATE_INDEX_CONCURRENTLY ||
				kind == FM_STEP_DROP_INDEX_CONCURRENTLY);
	s->online_note = NULL;
	fm_list_append(o->r.arena, &o->out, s);
	return s;
}

/* a step's hazard stays on the one statement that can fail */
static void
clear_hazard(FmStep *s)
{
	s->hazard = FM_HAZARD_NONE;
	s->hazard_detail = NULL;
	s->data_loss = false;
}

static void
alter_prefix(Online *o, FmBuf *b, const FmTable *t)
{
	fm_buf_init(b, o->r.arena);
	fm_buf_append(b, "ALTER TABLE ");
	fm_r_qname(&o->r, b, t->schema, t->name);
	fm_buf_append_char(b, ' ');
}

static char *
validate_ddl(Online *o, const FmTable *t, const char *name)
{
	FmBuf		b;

	alter_prefix(o, &b, t);
	fm_buf_append(&b, "VALIDATE CONSTRAINT ");
	fm_r_ident(&o->r, &b, name);
	fm_buf_append_char(&b, ';');
	return b.data;
}

/* ADD CONSTRAINT name <body> NOT VALID, then VALIDATE CONSTRAINT name */
static void
not_valid_then_validate(Online *o, const FmStep *s, const char *name,
						const char *body, FmStepKind add, FmStepKind validate)
{
	FmBuf		b;
	FmStep	   *first;

	alter_prefix(o, &b, s->table);
	fm_buf_append(&b, "ADD CONSTRAINT ");
	fm_r_ident(&o->r, &b, name);
	fm_buf_printf(&b, " %s NOT VALID;", body);
	first = emit(o, s, add, b.data);
	clear_hazard(first);
	emit(o, s, validate, validate_ddl(o, s->table, name));
}

/*
 * online_unique
 *		ADD PRIMARY KEY / UNIQUE step s in online form: CREATE UNIQUE INDEX
 *		CONCURRENTLY under the key's name, then ADD CONSTRAINT ... USING
 *		INDEX, which takes its lock only briefly.  The hazard stays on the
 *		first step only.
 */
static void
online_unique(Online *o, const FmStep *s)
{
	FmIndex		ix;
	FmBuf		b;
	FmStep	   *second;

	memset(&ix, 0, sizeof(ix));
	ix.name = s->key->name;
	ix.unique = true;
	ix.method = "btree";
	for (int i = 0; i < s->key->columns.n; i++)
	{
		FmIndexElem *e = fm_alloc(o->r.arena, sizeof(FmIndexElem));

		e->column = fm_list_get(&s->key->columns, i, char);
		fm_list_append(o->r.arena, &ix.elems, e);
	}
	emit(o, s, FM_STEP_CREATE_INDEX_CONCURRENTLY,
		 fm_r_create_index_ex(&o->r, s->table, &ix, true));
	alter_prefix(o, &b, s->table);
	fm_buf_append(&b, "ADD CONSTRAINT ");
	fm_r_ident(&o->r, &b, s->key->name);
	fm_buf_append(&b, s->key_primary ? " PRIMARY KEY USING INDEX " : " UNIQUE USING INDEX ");
	fm_r_ident(&o->r, &b, s->key->name);
	fm_buf_append_char(&b, ';');
	second = emit(o, s, FM_STEP_ADD_CONSTRAINT_USING_INDEX, b.data);
	clear_hazard(second);
}

/* "<column>_not_null" within PostgreSQL's 63-byte names */
static char *
not_null_check_name(FmArena *a, const char *column)
{
	return fm_psprintf(a, "%.54s_not_null", column);
}

/*
 * online_set_not_null
 *		SET NOT NULL step s in online form: a CHECK (col IS NOT NULL) added
 *		NOT VALID and validated (a scan under SHARE UPDATE EXCLUSIVE), SET
 *		NOT NULL (which then skips its own scan), and the CHECK dropped.
 */
static void
online_set_not_null(Online *o, const FmStep *s)
{
	char	   *name = not_null_check_name(o->r.arena, s->column);
	FmBuf		b;
	FmStep	   *st;

	fm_buf_init(&b, o->r.arena);
	fm_buf_append(&b, "CHECK (");
	fm_r_ident(&o->r, &b, s->column);
	fm_buf_append(&b, " IS NOT NULL)");
	not_valid_then_validate(o, s, name, b.data, FM_STEP_ADD_CHECK_NOT_VALID,
							FM_STEP_VALIDATE_CHECK);
	/* SET NOT NULL finds the validated CHECK and skips its scan */
	st = emit(o, s, FM_STEP_SET_NOT_NULL_VALIDATED, s->ddl);
	clear_hazard(st);
	alter_prefix(o, &b, s->table);
	fm_buf_append(&b, "DROP CONSTRAINT ");
	fm_r_ident(&o->r, &b, name);
	fm_buf_append_char(&b, ';');
	st = emit(o, s, FM_STEP_DROP_CONSTRAINT, b.data);
	clear_hazard(st);
}

/* the step in online form: appended to o->out */
static void
online_step(Online *o, FmStep *s)
{
	const FmStepFacts *f = fm_step_facts(s->kind);
	FmBuf		b;

	if (s->lock_table == NULL)
	{
		fm_list_append(o->r.arena, &o->out, s);
		return;
	}
	/* PostgreSQL 15 has none of the low-lock forms on a partitioned table */
	if (s->table != NULL && s->table->partition_by != NULL &&
		(s->kind == FM_STEP_CREATE_INDEX || s->kind == FM_STEP_ADD_UNIQUE ||
		 s->kind == FM_STEP_DROP_INDEX || s->kind == FM_STEP_ADD_FOREIGN_KEY ||
		 s->kind == FM_STEP_ADD_CHECK || s->kind == FM_STEP_SET_NOT_NULL))
	{
		s->online_note = "kept as it is: a partitioned table has no low-lock form (no CONCURRENTLY index builds or drops, no NOT VALID constraints)";
		fm_list_append(o->r.arena, &o->out, s);
		return;
	}
	switch (s->kind)
	{
		case FM_STEP_CREATE_INDEX:
			if (s->index != NULL && s->table != NULL)
			{
				emit(o, s, FM_STEP_CREATE_INDEX_CONCURRENTLY,
					 fm_r_create_index_ex(&o->r, s->table, s->index, true));
				return;
			}
			break;
		case FM_STEP_ADD_UNIQUE:
			if (s->key != NULL && s->table != NULL)
			{
				online_unique(o, s);
				return;
			}
			break;
		case FM_STEP_DROP_INDEX:
			if (s->index_name != NULL)
			{
				fm_buf_init(&b, o->r.arena);
				fm_buf_append(&b, "DROP INDEX CONCURRENTLY ");
				fm_r_qname(&o->r, &b, s->lock_schema, s->index_name);
				fm_buf_append_char(&b, ';');
				emit(o, s, FM_STEP_DROP_INDEX_CONCURRENTLY, b.data);
				return;
			}
			/* a moving partition's copy of an old parent's index (drop_clones) */
			s->online_note = "kept as it is: a partition moving to another parent drops its copy of an old parent's index between its DETACH and its ATTACH, which take ACCESS EXCLUSIVE anyway";
			fm_list_append(o->r.arena, &o->out, s);
			return;
		case FM_STEP_ADD_FOREIGN_KEY:
			if (s->fk != NULL && s->table != NULL)
			{
				fm_buf_init(&b, o->r.arena);
				fm_r_fk_body(&o->r, &b, s->table, s->fk);
				not_valid_then_validate(o, s, s->fk->name, b.data,
										FM_STEP_ADD_FOREIGN_KEY_NOT_VALID,
										FM_STEP_VALIDATE_FOREIGN_KEY);
				return;
			}
			break;
		case FM_STEP_ADD_CHECK:
			if (s->check != NULL && s->table != NULL)
			{
				char	   *body = fm_psprintf(o->r.arena, "CHECK (%s)",
											   s->check->expr ? s->check->expr : "true");

				not_valid_then_validate(o, s, s->check->name, body,
										FM_STEP_ADD_CHECK_NOT_VALID,
										FM_STEP_VALIDATE_CHECK);
				return;
			}
			break;
		case FM_STEP_SET_NOT_NULL:
			if (s->column != NULL && s->table != NULL)
			{
				online_set_not_null(o, s);
				return;
			}
			break;
		default:
			break;
	}
	/* kept as it is; say why when it takes ACCESS EXCLUSIVE */
	if (f->lock == FM_LOCK_ACCESS_EXCLUSIVE)
		s->online_note = f->online;
	fm_list_append(o->r.arena, &o->out, s);
}

/* a step that adds a constraint (CHECK, exclusion, foreign key, unique) */
static bool
adds_constraint(const FmStep *s)
{
	switch (s->kind)
	{
		case FM_STEP_ADD_CHECK:
		case FM_STEP_ADD_CHECK_NOT_VALID:
		case FM_STEP_ADD_EXCLUSION:
		case FM_STEP_ADD_FOREIGN_KEY:
		case FM_STEP_ADD_FOREIGN_KEY_NOT_VALID:
		case FM_STEP_ADD_UNIQUE:
		case FM_STEP_ADD_CONSTRAINT_USING_INDEX:
			return true;
		default:
			return false;
	}
}

/* the same table (NULL: none, never the same) */
static bool
same_table(const char *s1, const char *t1, const char *s2, const char *t2)
{
	return t1 != NULL && t2 != NULL && strcmp(t1, t2) == 0 && fm_streq(s1, s2);
}

/* does a step strictly between i and j lock or reference d's table? */
static bool
touches_between(const FmPlan *plan, const FmStep *d, int i, int j)
{
	for (int k = i + 1; k < j; k++)
	{
		const FmStep *s = fm_list_get(&plan->steps, k, FmStep);

		if (same_table(s->lock_schema, s->lock_table, d->lock_schema, d->lock_table) ||
			same_table(s->ref_schema, s->ref_table, d->lock_schema, d->lock_table) ||
			same_table(s->lock_schema, s->lock_table, d->ref_schema, d->ref_table))
			return true;
	}
	return false;
}

/*
 * hold_replacements
 *		A constraint that the plan drops and adds again (a changed CHECK,
 *		exclusion constraint, foreign key or unique key) must hold at every
 *		commit: were each statement committed, the table would run without
 *		it from its DROP to its new ADD (a VALIDATE scan and every step
 *		between), and for good if a step between failed.  So no COMMIT
 *		follows the DROP or any step up to the one that adds it again (the
 *		ADD ... NOT VALID of a low-lock form, which enforces new rows at
 *		once; its VALIDATE commits apart); those steps then hold their locks
 *		together.  Where a statement that cannot run in a transaction block
 *		lies between (a CONCURRENTLY index build), the DROP moves down to
 *		just before the ADD when no step between locks or references its
 *		table (nothing between can depend on the old constraint being gone);
 *		otherwise the DROP says in its note that the table runs without it.
 */
static void
hold_replacements(FmPlan *plan)
{
	for (int i = 0; i < plan->steps.n; i++)
	{
		FmStep	   *d = fm_list_get(&plan->steps, i, FmStep);
		int			j;
		bool		nontx = false;

		if ((d->kind != FM_STEP_DROP_CONSTRAINT && d->kind != FM_STEP_DROP_FOREIGN_KEY) ||
			d->object == NULL)
			continue;
		for (j = i + 1; j < plan->steps.n; j++)
		{
			const FmStep *a = fm_list_get(&plan->steps, j, FmStep);

			if (adds_constraint(a) && a->object != NULL && strcmp(a->object, d->object) == 0)
				break;
			nontx = nontx || a->nontx;
		}
		if (j == plan->steps.n)
			continue;
		if (nontx && touches_between(plan, d, i, j))
		{
			d->online_note = "the constraint is missing from this commit until the statement below adds it again: a statement between them cannot run in a transaction block";
			continue;
		}
		if (nontx)
		{
			/* nothing between touches the table: the DROP moves down to the ADD */
			for (int k = i; k < j - 1; k++)
				plan->steps.items[k] = plan->steps.items[k + 1];
			plan->steps.items[j - 1] = d;
			i--;				/* the step now at i is yet to be seen */
			d->hold_commit = true;
			continue;
		}
		for (int k = i; k < j; k++)
			fm_list_get(&plan->steps, k, FmStep)->hold_commit = true;
	}
}

/*
 * fm_plan_online
 *		See fm_diff.h: rewrite plan's steps into their low-lock forms, in
 *		order, in the plan's arena (quoting: NULL for the default), and
 *		record the lock_timeout the script sets.
 */
void
fm_plan_online(FmPlan *plan, const FmQuoting *quoting, int lock_timeout_ms)
{
	Online		o;

	memset(&o, 0, sizeof(o));
	o.r.arena = plan->arena;
	o.r.q = quoting ? quoting : &fm_default_quoting;
	for (int i = 0; i < plan->steps.n; i++)
		online_step(&o, fm_list_get(&plan->steps, i, FmStep));
	plan->steps = o.out;
	hold_replacements(plan);
	plan->online = true;
	plan->lock_timeout_ms = lock_timeout_ms;
}
