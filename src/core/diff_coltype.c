/*-------------------------------------------------------------------------
 *
 * diff_coltype.c
 *	  Whether two column types are the same to the diff: the same enum
 *	  (an Unsupported("<t>") that names it included), the same
 *	  format_type() spelling, and, in a table that keeps what its text
 *	  cannot state (the prisma dialect), what Prisma Migrate takes for the
 *	  same type (a time type with precision 6 and one without, a domain
 *	  and its base type).  diff_column.c plans the type changes.
 *
 * src/core/diff_coltype.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "diff_int.h"
#include "fm_sqlnames.h"

/*
 * names_enum
 *		Does the SQL type text of u (Unsupported("mood[]"): a schema text's;
 *		a live column of that spelling is a domain or another type) name
 *		enum type e: its name, or its schema and
 *		name, with "[]" exactly when e is an array?  An unqualified name is
 *		taken for e's (the search path chose it when the column was made).
 */
static bool
names_enum(FmArena *a, const FmType *u, const FmType *e)
{
	size_t		n = u->sql ? strlen(u->sql) : 0;
	bool		array = n > 2 && strcmp(u->sql + n - 2, "[]") == 0;
	FmList		parts = {0};

	if (u->kind != FM_TYPE_UNSUPPORTED || array != e->array || e->enum_name == NULL ||
		n == 0 || fm_split_qualified_name(a, fm_strndup(a, u->sql, array ? n - 2 : n),
										  2, &parts) != NULL)
		return false;
	if (parts.n == 2)
		return fm_streq(parts.items[1], e->enum_name) &&
			(e->enum_schema == NULL || fm_streq(parts.items[0], e->enum_schema));
	return fm_streq(parts.items[0], e->enum_name);
}

/*
 * fmd_type_eq
 *		The same column type: the same enum (and array-ness), or the same
 *		format_type() spelling.  An Unsupported("<t>") that names an enum
 *		(or "<t>[]" its array) is that enum: the column is made of it, and
 *		a plan would change it to itself again and again.
 */
bool
fmd_type_eq(FmArena *a, const FmType *x, const FmType *y)
{
	if (x->kind == FM_TYPE_ENUM && y->kind == FM_TYPE_ENUM)
		return x->array == y->array &&
			fmd_name_cmp(x->enum_schema, x->enum_name, y->enum_schema, y->enum_name) == 0;
	if (x->kind == FM_TYPE_ENUM)
		return names_enum(a, y, x);
	if (y->kind == FM_TYPE_ENUM)
		return names_enum(a, x, y);
	if (fm_streq(x->sql, y->sql))
		return true;
	return fm_streq(fm_normalize_type(a, x->sql), fm_normalize_type(a, y->sql));
}


/*
 * fmd_col_type_eq
 *		fmd_type_eq, and in a table that keeps what its text cannot state
 *		(t2: the prisma dialect) also a time type with precision 6 and the
 *		same type without a precision (timestamp, timestamptz, time,
 *		timetz, or arrays of them): 6 is PostgreSQL's maximum and what a
 *		column without a typmod holds, and Prisma Migrate reads and
 *		compares them as the same type in both directions (its diff of
 *		@db.Timestamp(6) against a timestamp column is empty).
 */
bool
fmd_col_type_eq(FmArena *a, const FmTable *t2, const FmType *x, const FmType *y)
{
	static const char *const times[] = {
		"timestamp without time zone", "timestamp with time zone",
		"time without time zone", "time with time zone"
	};
	char	   *mx,
			   *my,
			   *bx,
			   *by;
	size_t		len;

	if (fmd_type_eq(a, x, y))
		return true;
	if (!t2->keep_unstated || x->kind == FM_TYPE_ENUM || y->kind == FM_TYPE_ENUM)
		return false;
	bx = fmd_type_base(a, fm_normalize_type(a, x->sql), &mx);
	by = fmd_type_base(a, fm_normalize_type(a, y->sql), &my);
	if (strcmp(bx, by) != 0 || (mx == NULL) == (my == NULL) ||
		strcmp(mx ? mx : my, "6") != 0)
		return false;
	len = strcspn(bx, "[");
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		if (strlen(times[i]) == len && strncmp(bx, times[i], len) == 0)
			return true;
	return false;
}


/*
 * fmd_col_same_type
 *		fmd_col_type_eq of the columns c1 (live) and c2 (wanted) of table t2,
 *		and in a table that keeps what its text cannot state (the prisma
 *		dialect) also a live column of a domain whose base type is the type
 *		wanted (a built-in type, an enum, or Unsupported("<base>") for a
 *		domain over another domain): Prisma Migrate reads a domain column as
 *		its base type, so
 *		its diff of String against a domain over text is empty, and
 *		changing the type would drop the domain's constraints from the
 *		column (a CHECK that a history's SQL made).
 */
bool
fmd_col_same_type(FmArena *a, const FmTable *t2, const FmColumn *c1, const FmColumn *c2)
{
	FmType		base = {0};

	if (fmd_col_type_eq(a, t2, &c1->type, &c2->type))
		return true;
	if (!t2->keep_unstated || FM_COL_MORE(c1)->domain_base == NULL ||
		c1->type.kind != FM_TYPE_BUILTIN)
		return false;
	if (c2->type.kind == FM_TYPE_ENUM)
		return c2->type.array == FM_COL_MORE(c1)->domain_enum_array &&
			FM_COL_MORE(c1)->domain_enum_name != NULL &&
			fmd_name_cmp(FM_COL_MORE(c1)->domain_enum_schema,
						 FM_COL_MORE(c1)->domain_enum_name,
						 c2->type.enum_schema, c2->type.enum_name) == 0;
	if (c2->type.kind != FM_TYPE_BUILTIN && c2->type.kind != FM_TYPE_UNSUPPORTED)
		return false;
	base.kind = FM_TYPE_BUILTIN;
	base.sql = FM_COL_MORE(c1)->domain_base;
	return fmd_col_type_eq(a, t2, &base, &c2->type);
}
