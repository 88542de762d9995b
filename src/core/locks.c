/*-------------------------------------------------------------------------
 *
 * locks.c
 *	  The lock, rewrite and scan facts of every kind of plan step, and the
 *	  "lock" text of a step ("ACCESS EXCLUSIVE on public.orders; SHARE ROW
 *	  EXCLUSIVE on public.users").
 *
 * One row per FmStepKind, from PostgreSQL's documented behaviour (the lock
 * level of each ALTER TABLE subcommand; CREATE INDEX takes SHARE and its
 * CONCURRENTLY form SHARE UPDATE EXCLUSIVE; a foreign key takes SHARE ROW
 * EXCLUSIVE on both tables, its VALIDATE SHARE UPDATE EXCLUSIVE and ROW
 * SHARE; dropping one takes ACCESS EXCLUSIVE on both; COMMENT and ALTER
 * INDEX ... RENAME take SHARE UPDATE EXCLUSIVE).  The plan_locks
 * regression test runs each kind and reads the locks it holds from
 * pg_locks.  Only the strongest lock per table is listed.
 *
 * src/core/locks.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_locks.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fm_diff_int.h"
#include "fm_util.h"

#define AEL FM_LOCK_ACCESS_EXCLUSIVE
#define SUE FM_LOCK_SHARE_UPDATE_EXCLUSIVE
#define SRE FM_LOCK_SHARE_ROW_EXCLUSIVE
#define NO FM_LOCK_NONE

static const char *const brief = "no low-lock form exists; the ACCESS EXCLUSIVE lock is brief (no scan, no rewrite)";

static const FmStepFacts facts[FM_STEP__COUNT] = {
	{FM_STEP_NONE, "none", NO, NO, false, false, NULL},
	{FM_STEP_DROP_TABLE, "drop_table", AEL, NO, false, false, "no low-lock form exists; the ACCESS EXCLUSIVE lock is brief"},
	{FM_STEP_ADD_COLUMN, "add_column", AEL, NO, false, false, "no low-lock form exists; the ACCESS EXCLUSIVE lock is brief (no default to compute for existing rows)"},
	{FM_STEP_ADD_COLUMN_REWRITE, "add_column_rewrite", AEL, NO, true, true, "no low-lock form exists: the table is rewritten under ACCESS EXCLUSIVE (add the column without a default and backfill it in batches instead)"},
	{FM_STEP_DROP_COLUMN, "drop_column", AEL, NO, false, false, brief},
	{FM_STEP_ALTER_TYPE, "alter_type", AEL, NO, true, true, "no low-lock form exists: the table and its indexes are rewritten under ACCESS EXCLUSIVE"},
	{FM_STEP_ALTER_TYPE_NO_REWRITE, "alter_type_no_rewrite", AEL, NO, false, false, "kept as it is: the change needs no rewrite, the ACCESS EXCLUSIVE lock is brief"},
	{FM_STEP_SET_NOT_NULL, "set_not_null", AEL, NO, false, true, "CHECK (column IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, SET NOT NULL (which then skips the scan), DROP the CHECK"},
	{FM_STEP_SET_NOT_NULL_VALIDATED, "set_not_null_validated", AEL, NO, false, false, "already the low-lock form (a validated CHECK spares the scan)"},
	{FM_STEP_DROP_NOT_NULL, "drop_not_null", AEL, NO, false, false, brief},
	{FM_STEP_ALTER_DEFAULT, "alter_default", AEL, NO, false, false, brief},
	{FM_STEP_ADD_CHECK, "add_check", AEL, NO, false, true, "added NOT VALID, then VALIDATE CONSTRAINT under SHARE UPDATE EXCLUSIVE"},
	{FM_STEP_ADD_CHECK_NOT_VALID, "add_check_not_valid", AEL, NO, false, false, "already the low-lock form (no scan)"},
	{FM_STEP_VALIDATE_CHECK, "validate_check", SUE, NO, false, true, "already the low-lock form"},
	{FM_STEP_ADD_FOREIGN_KEY, "add_foreign_key", SRE, SRE, false, true, "added NOT VALID, then VALIDATE CONSTRAINT under SHARE UPDATE EXCLUSIVE"},
	{FM_STEP_ADD_FOREIGN_KEY_NOT_VALID, "add_foreign_key_not_valid", SRE, SRE, false, false, "already the low-lock form (no scan)"},
	{FM_STEP_VALIDATE_FOREIGN_KEY, "validate_foreign_key", SUE, FM_LOCK_ROW_SHARE, false, true, "already the low-lock form"},
	{FM_STEP_DROP_FOREIGN_KEY, "drop_foreign_key", AEL, AEL, false, false, "no low-lock form exists; the ACCESS EXCLUSIVE locks on both tables are brief"},
	{FM_STEP_ADD_UNIQUE, "add_unique", AEL, NO, false, true, "CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX"},
	{FM_STEP_ADD_CONSTRAINT_USING_INDEX, "add_constraint_using_index", AEL, NO, false, false, "already the low-lock form (brief ACCESS EXCLUSIVE, no scan)"},
	{FM_STEP_DROP_CONSTRAINT, "drop_constraint", AEL, NO, false, false, brief},
	{FM_STEP_CREATE_INDEX, "create_index", FM_LOCK_SHARE, NO, false, true, "CREATE INDEX CONCURRENTLY"},
	{FM_STEP_CREATE_INDEX_CONCURRENTLY, "create_index_concurrently", SUE, NO, false, true, "already the low-lock form"},
	{FM_STEP_DROP_INDEX, "drop_index", AEL, NO, false, false, "DROP INDEX CONCURRENTLY"},
	{FM_STEP_DROP_INDEX_CONCURRENTLY, "drop_index_concurrently", SUE, NO, false, false, "already the low-lock form"},
	{FM_STEP_RENAME_INDEX, "rename_index", SUE, NO, false, false, "already the low-lock form (SHARE UPDATE EXCLUSIVE on the index only)"},
	{FM_STEP_RENAME_TABLE, "rename_table", AEL, NO, false, false, brief},
	{FM_STEP_RENAME_COLUMN, "rename_column", AEL, NO, false, false, brief},
	{FM_STEP_RENAME_CONSTRAINT, "rename_constraint", AEL, NO, false, false, brief},
	{FM_STEP_COMMENT, "comment", SUE, NO, false, false, "already the low-lock form"},
	{FM_STEP_ATTACH_PARTITION, "attach_partition", AEL, SUE, false, true, "no low-lock form exists: the partition is scanned under ACCESS EXCLUSIVE to check its bound (a CHECK constraint matching the bound spares the scan); the parent takes SHARE UPDATE EXCLUSIVE"},
	{FM_STEP_DETACH_PARTITION, "detach_partition", AEL, AEL, false, false, "no low-lock form in a transaction (DETACH PARTITION CONCURRENTLY cannot run in one); the ACCESS EXCLUSIVE locks are brief"},
	{FM_STEP_ADD_EXCLUSION, "add_exclusion", AEL, NO, false, true, "no low-lock form exists: PostgreSQL builds the index of an exclusion constraint under ACCESS EXCLUSIVE (it cannot adopt one built CONCURRENTLY)"},
	{FM_STEP_ALTER_COLLATION, "alter_collation", AEL, NO, false, true, "no low-lock form exists: the table is not rewritten, but the indexes on the column are rebuilt under ACCESS EXCLUSIVE"},
	{FM_STEP_CREATE_PARTITION, "create_partition", AEL, AEL, false, true, "no low-lock form exists: a new partition takes ACCESS EXCLUSIVE on its parent and scans the default partition under it for rows of its bound (create it detached, move those rows, then ATTACH it, to shorten the lock)"},
	{FM_STEP_SET_STORAGE, "set_storage", SUE, NO, false, false, "already the low-lock form (fillfactor and autovacuum_* take SHARE UPDATE EXCLUSIVE)"},
};

const FmStepFacts *
fm_step_facts(FmStepKind kind)
{
	if ((int) kind < 0 || kind >= FM_STEP__COUNT)
		return &facts[FM_STEP_NONE];
	return &facts[kind];
}

/* The lock mode as LOCK TABLE spells it ("" for none). */
const char *
fm_lock_mode_name(FmLockMode mode)
{
	switch (mode)
	{
		case FM_LOCK_NONE:
			return "";
		case FM_LOCK_ACCESS_SHARE:
			return "ACCESS SHARE";
		case FM_LOCK_ROW_SHARE:
			return "ROW SHARE";
		case FM_LOCK_ROW_EXCLUSIVE:
			return "ROW EXCLUSIVE";
		case FM_LOCK_SHARE_UPDATE_EXCLUSIVE:
			return "SHARE UPDATE EXCLUSIVE";
		case FM_LOCK_SHARE:
			return "SHARE";
		case FM_LOCK_SHARE_ROW_EXCLUSIVE:
			return "SHARE ROW EXCLUSIVE";
		case FM_LOCK_EXCLUSIVE:
			return "EXCLUSIVE";
		case FM_LOCK_ACCESS_EXCLUSIVE:
			return "ACCESS EXCLUSIVE";
	}
	return "";
}

/*
 * fm_step_lock_text
 *		"<MODE> on schema.table" for the lock step takes (with "and its
 *		partitions" or "inheriting tables" when it recurses to some: the
 *		live ones, before the plan's detaches), with "; <MODE>
 *		on ref" for the referenced table of a foreign key when it is another
 *		table; NULL when the step locks no existing table.  In arena.
 */
char *
fm_step_lock_text(FmArena *arena, const FmStep *step)
{
	const FmStepFacts *f = fm_step_facts(step->kind);
	char	   *text;

	if (f->lock == FM_LOCK_NONE)
		return NULL;
	/*
	 * a step on a table the plan creates locks nobody else's, except the
	 * live table a foreign key references (SHARE ROW EXCLUSIVE: writes to
	 * it wait)
	 */
	if (step->lock_table == NULL)
		return f->ref_lock != FM_LOCK_NONE && step->ref_table != NULL ?
			fm_psprintf(arena, "%s on %s", fm_lock_mode_name(f->ref_lock),
						fm_object_name(arena, step->ref_schema, step->ref_table)) :
			NULL;
	text = fm_psprintf(arena, "%s on %s", fm_lock_mode_name(f->lock),
					   fm_object_name(arena, step->lock_schema,
									  step->lock_table));
	/* the partitions or inheriting tables the step recurses to */
	if (step->lock_descendants != 0)
		text = fm_psprintf(arena, "%s and its %s", text,
						   step->lock_descendants > 0 ? "partitions" : "inheriting tables");
	if (f->ref_lock != FM_LOCK_NONE && step->ref_table != NULL &&
		!(fm_streq(step->ref_table, step->lock_table) &&
		  fm_streq(step->ref_schema, step->lock_schema)))
		text = fm_psprintf(arena, "%s; %s on %s", text,
						   fm_lock_mode_name(f->ref_lock),
						   fm_object_name(arena, step->ref_schema,
										  step->ref_table));
	return text;
}

/* "character varying(10)" -> base "character varying", typmod "10" */
static bool
split_typmod(const char *t, char *base, size_t nbase, char *mod, size_t nmod)
{
	const char *p = strchr(t, '(');
	size_t		n;

	if (p == NULL)
	{
		if (strlen(t) >= nbase)
			return false;
		strcpy(base, t);
		mod[0] = '\0';
		return true;
	}
	n = (size_t) (p - t);
	if (n >= nbase || strlen(p + 1) >= nmod || t[strlen(t) - 1] != ')')
		return false;
	memcpy(base, t, n);
	base[n] = '\0';
	strcpy(mod, p + 1);
	mod[strlen(mod) - 1] = '\0';
	return true;
}

/*
 * fm_type_change_rewrites
 *		Does ALTER COLUMN TYPE from -> to (types as format_type spells them)
 *		rewrite the table?  Not for the binary-coercible widenings
 *		PostgreSQL skips the rewrite for: varchar to text or to a varchar as
 *		long or unbounded, numeric(p,s) to numeric with the same scale and
 *		at least the precision (or unconstrained).  Everything else, and
 *		anything unparsable, counts as a rewrite.
 */
bool
fm_type_change_rewrites(const char *from, const char *to)
{
	char		b1[64],
				b2[64],
				m1[32],
				m2[32];

	if (from == NULL || to == NULL)
		return true;
	if (strcmp(from, to) == 0)
		return false;
	if (!split_typmod(from, b1, sizeof(b1), m1, sizeof(m1)) ||
		!split_typmod(to, b2, sizeof(b2), m2, sizeof(m2)))
		return true;
	if (strcmp(b1, "character varying") == 0 &&
		(strcmp(b2, "text") == 0 ||
		 (strcmp(b2, "character varying") == 0 &&
		  (m2[0] == '\0' || (m1[0] != '\0' && atol(m2) >= atol(m1))))))
		return false;
	if (strcmp(b1, "numeric") == 0 && strcmp(b2, "numeric") == 0 && m1[0] != '\0')
	{
		const char *s1 = strchr(m1, ',');
		const char *s2 = strchr(m2, ',');

		if (m2[0] == '\0')
			return false;
		/* same scale, at least the precision */
		return !(atol(m2) >= atol(m1) && atol(s1 ? s1 + 1 : "0") == atol(s2 ? s2 + 1 : "0"));
	}
	return true;
}

/*
 * fm_default_is_volatile
 *		Does default expression default_sql call a volatile function that
 *		makes ADD COLUMN rewrite the table (random, gen_random_uuid, nextval,
 *		clock_timestamp, timeofday, uuid_generate_v1/v4)?  A textual check:
 *		false for anything else.
 */
bool
fm_default_is_volatile(const char *default_sql)
{
	static const char *const volatile_calls[] = {
		"random(", "gen_random_uuid(", "nextval(", "clock_timestamp(",
		"timeofday(", "uuid_generate_v1", "uuid_generate_v4", NULL
	};

	if (default_sql == NULL)
		return false;
	for (int i = 0; volatile_calls[i] != NULL; i++)
		if (strstr(default_sql, volatile_calls[i]) != NULL)
			return true;
	return false;
}
