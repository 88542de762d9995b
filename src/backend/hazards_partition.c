/*-------------------------------------------------------------------------
 *
 * hazards_partition.c
 *	  Hazard figures of the partition steps: DETACH and ATTACH PARTITION.
 *
 * Design note.  A detached partition's rows leave the view of its parent:
 * the figure is its rows.  An attached one is scanned, under ACCESS
 * EXCLUSIVE, against its partition constraint, and the ATTACH fails on the
 * first row for which that constraint is false; when the parent has a
 * default partition, that one is scanned too, and the ATTACH fails on a
 * row of it that the new bound would take.  So an ATTACH is counted
 * exactly as PostgreSQL checks it: the constraint is the one core derives
 * from the bound (transformPartitionBound, get_qual_from_partbound, as
 * ALTER TABLE ... ATTACH PARTITION does), mapped onto the columns of the
 * table scanned and deparsed, and the count is the rows for which it is
 * false (in the default partition: true).
 *
 * The bound is the desired table's (FmTable.part_bound, a structure field
 * of the step, never the rendered DDL); it is parsed on its own, never
 * run.  Its values may be expressions (PostgreSQL 12 and later evaluate
 * them once, at ATTACH), so the constraint is derived as the parent's
 * owner inside a security-restricted operation on the safe search_path
 * (fm_run_as_owner), and only when the caller holds the privileges of
 * that owner, checked before the parent is opened.  The counts run as the
 * scanned table's owner, like every figure (hazards_query.c).  What cannot
 * be derived this way (the parent is created by the plan or changes its
 * partitioning, a DEFAULT bound, whose constraint depends on the other
 * partitions the plan may move) keeps the sentence without the count.
 *
 * src/backend/hazards_partition.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/relation.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/parsenodes.h"
#include "parser/parse_node.h"
#include "parser/parse_utilcmd.h"
#include "parser/parser.h"
#include "partitioning/partbounds.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"

#include "fm_plan_int.h"
#include "hazards_int.h"
#include "security.h"

/* what derive_constraint() reads and returns (a callback's argument) */
typedef struct AttachQual
{
	Oid			parent;			/* the partitioned table */
	const char *bound;			/* "FOR VALUES ...", as the schema states it */
	Oid			target;			/* the table the constraint is mapped onto */
	char	   *sql;			/* result: the constraint, deparsed, or NULL */
} AttachQual;

/*
 * The PartitionBoundSpec of bound text ("FOR VALUES IN (...)", "FOR VALUES
 * FROM (...) TO (...)", "FOR VALUES WITH (...)"), parsed as the bound of
 * an ATTACH PARTITION statement and never run; NULL when the text is not
 * exactly one such bound, or is DEFAULT.
 */
static PartitionBoundSpec *
parse_bound(const char *bound)
{
	List	   *raw;
	RawStmt    *rs;
	AlterTableStmt *stmt;
	AlterTableCmd *cmd;
	PartitionCmd *pc;

	raw = raw_parser(psprintf("ALTER TABLE p ATTACH PARTITION c %s", bound),
					 RAW_PARSE_DEFAULT);
	if (list_length(raw) != 1)
		return NULL;
	rs = linitial_node(RawStmt, raw);
	if (!IsA(rs->stmt, AlterTableStmt))
		return NULL;
	stmt = (AlterTableStmt *) rs->stmt;
	if (list_length(stmt->cmds) != 1)
		return NULL;
	cmd = linitial_node(AlterTableCmd, stmt->cmds);
	if (cmd->subtype != AT_AttachPartition || cmd->def == NULL ||
		!IsA(cmd->def, PartitionCmd))
		return NULL;
	pc = (PartitionCmd *) cmd->def;
	if (pc->bound == NULL || pc->bound->is_default)
		return NULL;
	return pc->bound;
}

/*
 * derive_constraint
 *		A callback of fm_run_as_owner() (as the parent's owner): the
 *		partition constraint that bound gives a partition of parent, as
 *		ATTACH PARTITION derives it, mapped onto the columns of target and
 *		deparsed into q->sql (schema-qualified where the safe search_path
 *		would not find a name).  Leaves q->sql NULL when the bound is not
 *		one it can read.  Errors (a bound that does not fit the key)
 *		propagate: the caller runs it as a soft figure.
 */
static void
derive_constraint(void *arg)
{
	AttachQual *q = (AttachQual *) arg;
	PartitionBoundSpec *spec = parse_bound(q->bound);
	Relation	parent;
	Relation	target;
	ParseState *pstate;
	List	   *qual;
	Node	   *expr;

	if (spec == NULL)
		return;
	parent = table_open(q->parent, AccessShareLock);
	target = table_open(q->target, AccessShareLock);
	PG_TRY();
	{
		if (parent->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
		{
			pstate = make_parsestate(NULL);
			spec = transformPartitionBound(pstate, parent, spec);
			qual = get_qual_from_partbound(parent, spec);
			qual = map_partition_varattnos(qual, 1, target, parent);
			expr = (Node *) make_ands_explicit(qual);
			q->sql = deparse_expression(expr,
										deparse_context_for(RelationGetRelationName(target),
															RelationGetRelid(target)),
										false, false);
		}
	}
	PG_FINALLY();
	{
		table_close(target, AccessShareLock);
		table_close(parent, AccessShareLock);
	}
	PG_END_TRY();
}

/*
 * The constraint of the step's bound mapped onto table target, as SQL, or
 * NULL when it cannot be derived: the parent is not live or is not
 * partitioned the way the schema states (the plan recreates it), the bound
 * is DEFAULT, or the caller lacks the privileges of the parent's owner
 * (checked before the parent is opened).
 */
static char *
attach_constraint(HazCtx *cx, Oid parent, Oid target)
{
	const FmStep *s = cx->step;
	const FmTable *lp = fm_haz_find_table(cx->live, s->ref_schema, s->ref_table);
	const FmTable *dp = fm_haz_find_table(cx->desired, s->ref_schema, s->ref_table);
	Oid			owner;
	AttachQual	q;

	if (s->table == NULL || s->table->part_bound == NULL || lp == NULL ||
		dp == NULL || lp->partition_by == NULL || dp->partition_by == NULL ||
		!fm_part_key_eq(lp->partition_by, dp->partition_by))
		return NULL;
	owner = fm_relation_owner(parent);
	if (!OidIsValid(owner) || !has_privs_of_role(GetUserId(), owner))
		return NULL;
	q.parent = parent;
	q.bound = s->table->part_bound;
	q.target = target;
	q.sql = NULL;
	fm_run_as_owner(owner, 0, derive_constraint, &q);
	return q.sql;
}

/*
 * The rows of the parent's default partition that the new bound would take
 * (the ATTACH fails on the first), counted as its owner; -1 when the parent
 * has no default partition, the plan moves it, or its figure is unknown
 * (fm_haz_guard_table: the caller lacks its owner's privileges, row
 * security is forced on it).
 */
static int64
default_partition_taken(HazCtx *cx, Oid parent, char **qdefault)
{
	const FmStep *s = cx->step;
	Oid			def = get_default_partition_oid(parent);
	Oid			owner;
	char	   *relname;
	char	   *nspname;
	const FmTable *dt;
	char	   *sql;

	if (!OidIsValid(def))
		return -1;
	relname = get_rel_name(def);
	nspname = get_namespace_name(get_rel_namespace(def));
	if (relname == NULL || nspname == NULL)
		return -1;
	/* it stays the default partition of this parent in the schema */
	dt = fm_haz_find_table(cx->desired, nspname, relname);
	if (dt == NULL || dt->part_parent == NULL ||
		!fm_streq(dt->part_parent, s->ref_table) ||
		!fm_streq(dt->part_parent_schema ? dt->part_parent_schema : nspname,
				  s->ref_schema) ||
		dt->part_bound == NULL || pg_strcasecmp(dt->part_bound, "DEFAULT") != 0 ||
		(fm_streq(nspname, s->table->schema) && fm_streq(relname, s->table->name)))
		return -1;
	/* its owner's privileges, USAGE on its schema, no forced row security */
	if (fm_haz_guard_table(nspname, relname, false, &owner) != NULL)
		return -1;
	sql = attach_constraint(cx, parent, def);
	if (sql == NULL)
		return -1;
	*qdefault = fm_haz_qname(nspname, relname);
	return fm_haz_count_query2_as(owner,
								  psprintf("SELECT pg_catalog.count(*) FROM %s WHERE (%s) IS TRUE",
										   *qdefault, sql),
								  0, NULL, NULL, NULL);
}

/*
 * The ATTACH's sentence once its rows have been checked against the bound:
 * outside of them lie outside it, and taken rows of the default partition
 * qdefault (-1: none, or not counted) would move into it.  Either makes
 * the step fail.
 */
static void
attach_detail(HazCtx *cx, const char *parent, int64 n, int64 outside,
			  int64 taken, const char *qdefault)
{
	StringInfoData b;
	const char *bound = cx->step->table->part_bound;

	initStringInfo(&b);
	if (n == 0)
		appendStringInfo(&b, "partition %s has 0 rows.", cx->qtable);
	else if (outside > 0)
		appendStringInfo(&b, "partition %s has " INT64_FORMAT " %s, of which " INT64_FORMAT " %s outside its bound %s.",
						 cx->qtable, n, fm_haz_plural(n, "row", "rows"), outside,
						 outside == 1 ? "lies" : "lie", bound);
	else
		appendStringInfo(&b, "partition %s has " INT64_FORMAT " %s, %s inside its bound.",
						 cx->qtable, n, fm_haz_plural(n, "row", "rows"),
						 n == 1 ? "which lies" : "all");
	if (taken > 0)
		appendStringInfo(&b, " The default partition %s has " INT64_FORMAT " %s that the new bound would take.",
						 qdefault, taken, fm_haz_plural(taken, "row", "rows"));
	if (outside > 0 || taken > 0)
		appendStringInfo(&b, " Attaching it to table %s will fail.", parent);
	else if (n == 0 && taken < 0)
		appendStringInfo(&b, " Attaching it to table %s takes an ACCESS EXCLUSIVE lock on it.",
						 parent);
	else
		appendStringInfo(&b, " Attaching it to table %s scans %s%s under an ACCESS EXCLUSIVE lock.",
						 parent, n == 1 ? "it" : n == 0 ? "the empty table" : "them",
						 taken == 0 ? psprintf(", and the default partition %s,", qdefault) : "");
	cx->detail = b.data;
	cx->fails = (outside > 0 || taken > 0);
}

/*
 * fm_haz_partition
 *		DETACH_PARTITION: the partition's rows, which leave the view of the
 *		parent.  ATTACH_PARTITION: its rows, and, where the constraint of
 *		its bound can be derived (attach_constraint), those outside the
 *		bound and those of the parent's default partition that the bound
 *		would take, either of which makes the step fail.  The same on a new
 *		partition (FM_STEP_CREATE_PARTITION, the step's table the default
 *		partition): the default partition's rows that its bound takes.  The
 *		parent is the step's other locked table, else (created by the plan)
 *		hazard_extra.
 */
void
fm_haz_partition(HazCtx *cx)
{
	int64		n;
	const FmStep *s = cx->step;
	const char *parent = s->ref_table ? fm_haz_qname(s->ref_schema, s->ref_table) :
		(s->hazard_extra ? s->hazard_extra : "its parent");
	Oid			parent_oid;
	Oid			self;
	char	   *sql;

	if (s->hazard == FM_HAZARD_DETACH_PARTITION)
	{
		n = fm_haz_rows_of(cx);
		cx->detail = psprintf("partition %s has " INT64_FORMAT " %s; %s the view of table %s until it is attached again.",
							  cx->qtable, n, fm_haz_plural(n, "row", "rows"),
							  n == 1 ? "it leaves" : "they leave", parent);
		return;
	}
	parent_oid = s->ref_table ? fm_haz_table_oid(s->ref_schema, s->ref_table) : InvalidOid;
	self = fm_haz_table_oid(s->hazard_schema, s->hazard_table);
	sql = (OidIsValid(parent_oid) && OidIsValid(self)) ?
		attach_constraint(cx, parent_oid, self) : NULL;
	if (s->kind == FM_STEP_CREATE_PARTITION)
	{
		/* a new partition: the rows of its bound in the default partition */
		if (sql == NULL)
			return;				/* the core's sentence */
		n = fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s WHERE (%s) IS TRUE",
											cx->qtable, sql),
							   0, NULL, NULL);
		cx->detail = n > 0 ?
			psprintf("the default partition %s has " INT64_FORMAT " %s that the bound of the new partition %s takes: creating it will fail.",
					 cx->qtable, n, fm_haz_plural(n, "row", "rows"), s->object) :
			psprintf("the default partition %s has no row that the bound of the new partition %s takes; creating it scans %s under an ACCESS EXCLUSIVE lock on table %s.",
					 cx->qtable, s->object, cx->qtable, parent);
		cx->fails = (n > 0);
		return;
	}
	n = fm_haz_rows_of(cx);
	if (sql != NULL)
	{
		int64		outside = fm_haz_count_query(cx, psprintf("SELECT pg_catalog.count(*) FROM %s WHERE (%s) IS FALSE",
															  cx->qtable, sql),
												 0, NULL, NULL);
		char	   *qdefault = NULL;
		int64		taken = default_partition_taken(cx, parent_oid, &qdefault);

		attach_detail(cx, parent, n, outside, taken, qdefault);
		return;
	}
	cx->detail = psprintf("partition %s has " INT64_FORMAT " %s; attaching it to table %s scans %s under an ACCESS EXCLUSIVE lock and fails if a row lies outside the bound.",
						  cx->qtable, n, fm_haz_plural(n, "row", "rows"), parent,
						  n == 1 ? "it" : "them");
}
