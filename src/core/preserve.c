/*-------------------------------------------------------------------------
 *
 * preserve.c
 *	  The "/// @preserve(reason: "...")" annotation, and what plans do with
 *	  a preserved model: an existing table is left exactly as it is.
 *
 * ferriorm_pull marks with @preserve the tables that the language cannot
 * state exactly (expression indexes, foreign keys it cannot express, ...):
 * their schema text describes them only in part, so a plan that compared
 * them column by column would drop or rewrite what the text leaves out.
 * Before diffing, every preserved table of the target model that exists in
 * the source model is replaced by the source's own table, so the diff sees
 * no difference for it.  A preserved model whose table does not exist is
 * created from its text; removing the model from the text drops the table,
 * as for any model.
 *
 * This is not @@ignore: as in Prisma, @@ignore only tells a client to skip
 * the model (and lets it have no key); plans manage @@ignore'd models like
 * any other.  A keyless table that pull cannot state exactly carries both.
 *
 * src/core/preserve.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_preserve.h"
#include "fm_renamed.h"

#include <string.h>

#define PRESERVE_SYNTAX "malformed @preserve annotation: write /// @preserve(reason: \"why\")"

FmPreserve
fm_doc_preserve(FmArena *arena, const char *doc)
{
	FmPreserve	r;
	FmList		lines = {0};

	memset(&r, 0, sizeof(r));
	r.doc = fm_doc_take_annotations(arena, doc, "@preserve", &lines);
	for (int i = 0; i < lines.n; i++)
	{
		char	   *reason = fm_annotation_string(arena, fm_list_get(&lines, i, char),
												  "@preserve", "reason", true);

		if (reason == NULL)
			r.error = PRESERVE_SYNTAX;
		else
			fm_list_append(arena, &r.reasons, reason);
	}
	return r;
}

char *
fm_preserve_annotation(FmArena *arena, const char *reason)
{
	FmBuf		b;

	fm_buf_init(&b, arena);
	fm_buf_append(&b, "/// @preserve(reason: \"");
	for (const char *p = reason; *p; p++)
	{
		if (*p == '"' || *p == '\\')
			fm_buf_append_char(&b, '\\');
		fm_buf_append_char(&b, *p == '\n' ? ' ' : *p);
	}
	fm_buf_append(&b, "\")");
	return b.data;
}

/*
 * Tables are shared between the two models afterwards, never copied or
 * modified.
 */
void
fm_model_keep_preserved(FmArena *arena, const FmModel *from, FmModel *to)
{
	FmHashMap	by_name = {0};
	bool		any = false;

	if (from == NULL || to == NULL)
		return;
	for (int i = 0; i < to->tables.n && !any; i++)
		any = fm_list_get(&to->tables, i, FmTable)->preserved;
	if (!any)
		return;
	for (int i = 0; i < from->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&from->tables, i, FmTable);

		fm_hash_put2(arena, &by_name, t->schema ? t->schema : "", t->name, t);
	}
	for (int i = 0; i < to->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&to->tables, i, FmTable);
		FmTable    *cur;

		if (!t->preserved)
			continue;
		cur = fm_hash_get2(&by_name, t->schema ? t->schema : "", t->name);
		if (cur != NULL)
			to->tables.items[i] = cur;
	}
}

/*
 * The columns of a that b lacks, each as "table <tname>: column "x" is
 * <where>" appended to out; how many.
 */
static int
columns_missing(FmArena *arena, const FmTable *a, const FmTable *b,
				const char *tname, const char *where, FmList *out)
{
	int			n = 0;

	for (int j = 0; j < a->columns.n; j++)
	{
		const FmColumn *c = fm_list_get(&a->columns, j, FmColumn);

		if (fm_table_find_column(b, c->name) == NULL)
		{
			fm_list_append(arena, out,
						   fm_psprintf(arena, "table %s: column \"%s\" is %s", tname, c->name, where));
			n++;
		}
	}
	return n;
}

/*
 * The columns of text table t whose NOT NULL or (normalized, not an enum)
 * type differs from live table cur's column of the same name, each as
 * "table <tname>: column "x" is ... in the text, ... in the table"
 * appended to out; how many.
 */
static int
columns_changed(FmArena *arena, const FmTable *t, const FmTable *cur,
				const char *tname, FmList *out)
{
	int			n = 0;

	for (int j = 0; j < t->columns.n; j++)
	{
		const FmColumn *c = fm_list_get(&t->columns, j, FmColumn);
		const FmColumn *lc = fm_table_find_column(cur, c->name);

		if (lc == NULL)
			continue;
		if (c->notnull != lc->notnull)
		{
			fm_list_append(arena, out,
						   fm_psprintf(arena, "table %s: column \"%s\" is %s in the text, %s in the table",
									   tname, c->name, c->notnull ? "required" : "optional",
									   lc->notnull ? "NOT NULL" : "nullable"));
			n++;
		}
		if (c->type.kind != FM_TYPE_ENUM && lc->type.kind != FM_TYPE_ENUM &&
			c->type.sql != NULL && lc->type.sql != NULL &&
			!fm_streq(c->type.sql, lc->type.sql))
		{
			fm_list_append(arena, out,
						   fm_psprintf(arena, "table %s: column \"%s\" is %s in the text, %s in the table",
									   tname, c->name, c->type.sql, lc->type.sql));
			n++;
		}
	}
	return n;
}

/*
 * fm_model_preserved_differences
 *		See fm_preserve.h.  Columns are compared by name alone (partitions
 *		and inheriting tables are left out, see below): a preserved
 *		table's model is printed with every live column, so a column only
 *		one side has is an edit of the text; so is a column whose NOT NULL
 *		or type (normalized, when the caller normalized the text against
 *		the live model first; enums aside) differs.
 */
int
fm_model_preserved_differences(FmArena *arena, const FmModel *from,
							   const FmModel *to, FmList *out)
{
	int			n = 0;

	if (from == NULL || to == NULL)
		return 0;
	for (int i = 0; i < to->tables.n; i++)
	{
		const FmTable *t = fm_list_get(&to->tables, i, FmTable);
		const FmTable *cur;
		const char *tname;

		if (!t->preserved)
			continue;
		cur = fm_model_find_table(from, t->schema, t->name);
		/*
		 * a partition or inheriting table: the catalog's model lists only
		 * the columns it declares itself, the prisma dialect's text every
		 * column (as Prisma's pull prints it), so names do not tell edits
		 */
		if (cur == NULL || cur->part_parent != NULL || cur->inherits.n > 0)
			continue;
		tname = t->schema ? fm_psprintf(arena, "%s.%s", t->schema, t->name) : t->name;
		n += columns_missing(arena, t, cur, tname, "in the text, not in the table", out);
		n += columns_missing(arena, cur, t, tname, "in the table, not in the text", out);
		n += columns_changed(arena, t, cur, tname, out);
	}
	return n;
}
