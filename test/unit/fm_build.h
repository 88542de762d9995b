/*-------------------------------------------------------------------------
 *
 * fm_build.h
 *	  Builders of core models by hand (fm_model_* constructors) for the
 *	  diff unit tests: columns, enum columns, keys, indexes, foreign keys,
 *	  CHECKs, enums.  Each allocates in the model's arena.  Also the
 *	  plan between two models, as a script or a step count.
 *
 * test/unit/fm_build.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_BUILD_H
#define FM_BUILD_H

#include <string.h>

#include "fm_diff.h"
#include "fm_model.h"

static inline FmColumn *
col(FmModel *m, FmTable *t, const char *name, const char *type, bool notnull)
{
	FmColumn   *c = fm_table_add_column(m, t, name);

	c->type.sql = fm_strdup(m->arena, type);
	c->notnull = notnull;
	return c;
}

static inline FmColumn *
ecol(FmModel *m, FmTable *t, const char *name, const char *eschema,
	 const char *ename, bool notnull)
{
	FmColumn   *c = fm_table_add_column(m, t, name);

	c->type.kind = FM_TYPE_ENUM;
	c->type.enum_schema = fm_strdup(m->arena, eschema);
	c->type.enum_name = fm_strdup(m->arena, ename);
	c->notnull = notnull;
	return c;
}

static inline void
names(FmModel *m, FmList *list, const char *csv)
{
	const char *p = csv;

	while (*p)
	{
		const char *e = strchr(p, ',');
		size_t		n = e ? (size_t) (e - p) : strlen(p);

		fm_list_append(m->arena, list, fm_strndup(m->arena, p, n));
		p += n;
		if (*p == ',')
			p++;
	}
}

static inline FmKey *
key(FmModel *m, const char *name, const char *cols)
{
	FmKey	   *k = fm_alloc(m->arena, sizeof(FmKey));

	k->name = fm_strdup(m->arena, name);
	names(m, &k->columns, cols);
	return k;
}

static inline void
pk(FmModel *m, FmTable *t, const char *name, const char *cols)
{
	t->primary_key = key(m, name, cols);
}

static inline void
uniq(FmModel *m, FmTable *t, const char *name, const char *cols)
{
	fm_list_append(m->arena, &t->uniques, key(m, name, cols));
}

static inline FmIndex *
idx(FmModel *m, FmTable *t, const char *name, bool unique, const char *cols)
{
	FmIndex    *ix = fm_alloc(m->arena, sizeof(FmIndex));
	FmList		l = {0};

	ix->name = fm_strdup(m->arena, name);
	ix->unique = unique;
	ix->method = fm_strdup(m->arena, "btree");
	names(m, &l, cols);
	for (int i = 0; i < l.n; i++)
	{
		FmIndexElem *e = fm_alloc(m->arena, sizeof(FmIndexElem));

		e->column = l.items[i];
		fm_list_append(m->arena, &ix->elems, e);
	}
	fm_list_append(m->arena, &t->indexes, ix);
	return ix;
}

static inline FmForeignKey *
fk(FmModel *m, FmTable *t, const char *name, const char *cols,
   const char *rschema, const char *rtable, const char *rcols)
{
	FmForeignKey *f = fm_alloc(m->arena, sizeof(FmForeignKey));

	f->name = fm_strdup(m->arena, name);
	names(m, &f->columns, cols);
	f->ref_schema = fm_strdup(m->arena, rschema);
	f->ref_table = fm_strdup(m->arena, rtable);
	names(m, &f->ref_columns, rcols);
	fm_list_append(m->arena, &t->foreign_keys, f);
	return f;
}

static inline void
check(FmModel *m, FmTable *t, const char *name, const char *expr)
{
	FmCheck    *c = fm_alloc(m->arena, sizeof(FmCheck));

	c->name = fm_strdup(m->arena, name);
	c->expr = fm_strdup(m->arena, expr);
	fm_list_append(m->arena, &t->checks, c);
}

static inline FmEnum *
enm(FmModel *m, const char *schema, const char *name, const char *values)
{
	FmEnum	   *e = fm_model_add_enum(m, schema, name);
	FmList		l = {0};

	names(m, &l, values);
	for (int i = 0; i < l.n; i++)
	{
		FmEnumValue *v = fm_alloc(m->arena, sizeof(FmEnumValue));

		v->name = l.items[i];
		fm_list_append(m->arena, &e->values, v);
	}
	return e;
}
/* the plan from one model to another, as the script of its steps */
static inline char *
fmb_script(FmArena *a, const FmModel *from, const FmModel *to)
{
	return fm_plan_to_script(a, fm_diff(a, from, to, NULL));
}

/* the number of steps of the plan from one model to another */
static inline int
fmb_nsteps(FmArena *a, const FmModel *from, const FmModel *to)
{
	return fm_diff(a, from, to, NULL)->steps.n;
}

#endif							/* FM_BUILD_H */
