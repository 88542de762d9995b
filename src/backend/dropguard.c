/*-------------------------------------------------------------------------
 *
 * dropguard.c
 *	  What a plan refuses to drop: tables whose descendants lie outside
 *	  what the plan manages.
 *
 * DROP TABLE of a partitioned table drops every partition with it, at any
 * depth, whatever schema the partition is in; DROP TABLE of a table that
 * others inherit from fails (without CASCADE, which the plan never uses).
 * Introspection (introspect.c) lists, for each managed table, its
 * partitions outside the managed schemas and its inheritance children.
 * Here a plan that drops such a table is refused up front, with an error
 * naming them, before it is shown or applied:
 *	  - a partition in an unmanaged schema is never dropped;
 *	  - an inheritance child the plan does not drop too would make the
 *		DROP fail half-way through push: refused with a clear message;
 *	  - an inheritance child the plan drops too is dropped first (its step
 *		is moved before its parent's), or the parent's DROP would fail.
 * Partitions inside the managed schemas are part of the model: the diff
 * drops them before their parent (diff_partition.c).  A managed child the
 * plan keeps is one whose inheritance the text keeps without stating it
 * (the prisma dialect: fm_model_keep_lineage).
 *
 * src/backend/dropguard.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "fm_plan_int.h"

/* the index of the step that drops table schema.name, or -1 */
static int
drop_step_of(const FmPlan *plan, const char *schema, const char *name)
{
	for (int i = 0; i < plan->steps.n; i++)
	{
		const FmStep *s = fm_list_get(&plan->steps, i, FmStep);

		if (s->hazard == FM_HAZARD_DROP_TABLE &&
			fm_streq(s->hazard_schema, schema) && fm_streq(s->hazard_table, name))
			return i;
	}
	return -1;
}

static bool
plan_drops(const FmPlan *plan, const char *schema, const char *name)
{
	return drop_step_of(plan, schema, name) >= 0;
}

/*
 * Move the DROP of every inheritance child that comes after its parent's
 * to just before it; repeat at the same position, for the moved child's
 * own children (inheritance has no cycles, so this ends).
 */
static void
drop_children_first(FmPlan *plan, const FmLiveRels *rels)
{
	for (int i = 0; i < plan->steps.n; i++)
	{
		FmStep	   *s = fm_list_get(&plan->steps, i, FmStep);
		const FmLiveRel *r;
		bool		moved = false;

		CHECK_FOR_INTERRUPTS();
		if (s->hazard != FM_HAZARD_DROP_TABLE)
			continue;
		r = fm_live_rel(rels, s->hazard_schema, s->hazard_table);
		for (int k = 0; r != NULL && k < r->children.n && !moved; k++)
		{
			const FmLiveChild *ch = fm_list_get(&r->children, k, FmLiveChild);
			int			j;

			if (ch->partition)
				continue;
			j = drop_step_of(plan, ch->schema, ch->name);
			if (j > i)
			{
				void	   *child = plan->steps.items[j];

				memmove(&plan->steps.items[i + 1], &plan->steps.items[i],
						sizeof(void *) * (j - i));
				plan->steps.items[i] = child;
				moved = true;
			}
		}
		if (moved)
			i--;				/* look at the moved child's children */
	}
}

/*
 * The descendants of r that keep the plan from dropping it, as a list
 * "a.b, c.d" of one kind (partitions if partitions, else inheritance
 * children); *n receives how many.
 */
static char *
blocking_children(const FmPlan *plan, const FmLiveRel *r, bool partitions,
				  int *n)
{
	StringInfoData buf;

	initStringInfo(&buf);
	*n = 0;
	for (int i = 0; i < r->children.n; i++)
	{
		const FmLiveChild *ch = fm_list_get(&r->children, i, FmLiveChild);

		if (ch->partition != partitions)
			continue;
		if (!partitions && ch->managed &&
			plan_drops(plan, ch->schema, ch->name))
			continue;			/* dropped by the plan as well */
		appendStringInfo(&buf, "%s%s.%s", *n ? ", " : "", ch->schema, ch->name);
		(*n)++;
	}
	return buf.data;
}

/*
 * fm_check_table_drops
 *		See fm_plan_int.h.  For every DROP TABLE of plan, ERROR (2BP01) when
 *		the table has partitions outside the managed schemas, or inheritance
 *		children the plan does not drop; the messages name them.  Then the
 *		children the plan drops are moved before their parents.
 */
void
fm_check_table_drops(FmPlan *plan, const FmLiveRels *rels)
{
	for (int i = 0; i < plan->steps.n; i++)
	{
		const FmStep *s = fm_list_get(&plan->steps, i, FmStep);
		const FmLiveRel *r;
		char	   *list;
		int			n;

		CHECK_FOR_INTERRUPTS();
		if (s->hazard != FM_HAZARD_DROP_TABLE)
			continue;
		r = fm_live_rel(rels, s->hazard_schema, s->hazard_table);
		if (r == NULL || r->children.n == 0)
			continue;
		list = blocking_children(plan, r, true, &n);
		if (n > 0)
			ereport(ERROR,
					(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
					 errmsg_plural("the plan would drop table %s.%s and with it %d partition outside the managed schemas",
								   "the plan would drop table %s.%s and with it %d partitions outside the managed schemas",
								   n, r->schema, r->name, n),
					 errdetail("Partitions outside the managed schemas: %s. ferriorm never drops a table in a schema it does not manage.", list),
					 errhint("Detach those partitions first (ALTER TABLE ... DETACH PARTITION), or list their schemas in the datasource's \"schemas\".")));
		list = blocking_children(plan, r, false, &n);
		if (n > 0)
			ereport(ERROR,
					(errcode(ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST),
					 errmsg_plural("the plan cannot drop table %s.%s: %d table inherits from it",
								   "the plan cannot drop table %s.%s: %d tables inherit from it",
								   n, r->schema, r->name, n),
					 errdetail("Tables that inherit from it and that the plan does not drop: %s.", list),
					 errhint("Remove the inheritance first (ALTER TABLE ... NO INHERIT), or drop those tables too.")));
	}
	drop_children_first(plan, rels);
}
