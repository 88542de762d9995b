/*-------------------------------------------------------------------------
 *
 * diff_column.c
 *	  The column phase of the diff: columns added and dropped, and for a
 *	  column on both sides its type, default, nullability, identity or
 *	  serial, and comment.
 *
 * Types are compared in format_type() spelling (normalize_type.c).  A
 * type change is one ALTER COLUMN ... TYPE, with a USING cast unless the
 * cast is an assignment cast (the backend's pg_cast lookup, or the core's
 * table of built-in casts below); it is an ALTER_TYPE hazard that may lose
 * data unless the change only widens the type.  A column whose type is a
 * recreated enum is converted in the enum phase's sequence instead.
 * Columns whose type changes are noted (Diff.retyped) for the foreign-key
 * phase.
 *
 * Defaults compare as normalized expressions; a SERIAL column's implicit
 * nextval() default is represented by a sentinel.  Adding autoincrement()
 * to a column adds an identity, or a sequence and nextval() default in the
 * prisma dialect (add_serial).
 *
 * src/core/diff_column.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "diff_int.h"

static const char SENTINEL_DEFAULT[] = "\x01serial";

/* "character varying(10)" -> "character varying"; typmod in *mod */
char *
fmd_type_base(FmArena *a, const char *norm, char **mod)
{
	FmBuf		b;
	const char *p = norm;

	fm_buf_init(&b, a);
	*mod = NULL;
	while (*p)
	{
		if (*p == '(')
		{
			const char *e = strchr(p, ')');

			if (e == NULL)
				break;
			*mod = fm_strndup(a, p + 1, (size_t) (e - p - 1));
			p = e + 1;
			continue;
		}
		fm_buf_append_char(&b, *p++);
	}
	return fm_buf_finish(&b);
}

/* is def NULL, or NULL cast to a type ("NULL::timestamp without time zone")? */
static bool
null_default(const char *def)
{
	if (def == NULL || strncmp(def, "NULL", 4) != 0)
		return false;
	if (def[4] == '\0')
		return true;
	return strncmp(def + 4, "::", 2) == 0 && strpbrk(def + 6, "'$;:") == NULL;
}

/* text, character varying or character (normalized base names) */
static bool
is_string_type(const char *base)
{
	return strcmp(base, "text") == 0 || strcmp(base, "character varying") == 0 ||
		strcmp(base, "character") == 0 || strcmp(base, "bpchar") == 0 ||
		strcmp(base, "citext") == 0 || strcmp(base, "name") == 0;
}

/* 1..7 for the numeric types, in widening order; 0 for any other */
static int
numeric_rank(const char *base)
{
	static const char *const ranks[] = {
		"smallint", "integer", "bigint", "real", "double precision", "numeric",
		"oid", NULL
	};

	for (int i = 0; ranks[i]; i++)
		if (strcmp(base, ranks[i]) == 0)
			return i + 1;
	return 0;
}

/* both x and y are in the NULL-terminated list group */
static bool
in_group(const char *x, const char *y, const char *const *group)
{
	bool		fx = false,
				fy = false;

	for (int i = 0; group[i]; i++)
	{
		if (strcmp(x, group[i]) == 0)
			fx = true;
		if (strcmp(y, group[i]) == 0)
			fy = true;
	}
	return fx && fy;
}

/*
 * Built-in knowledge of PostgreSQL's implicit and assignment casts: true
 * when ALTER COLUMN ... TYPE needs no USING clause.  Types are normalized.
 */
static bool
builtin_cast_ok(FmArena *a, const char *from, const char *to)
{
	static const char *const datetime[] = {
		"timestamp without time zone", "timestamp with time zone", "date",
		"time without time zone", "time with time zone", NULL
	};
	static const char *const bits[] = {"bit", "bit varying", NULL};
	static const char *const nets[] = {"inet", "cidr", NULL};
	char	   *fm,
			   *tm;
	char	   *fb,
			   *tb;
	bool		farr,
				tarr;

	if (from == NULL || to == NULL)
		return false;
	farr = strstr(from, "[]") != NULL;
	tarr = strstr(to, "[]") != NULL;
	fb = fmd_type_base(a, from, &fm);
	tb = fmd_type_base(a, to, &tm);
	if (strcmp(fb, tb) == 0)
		return true;			/* typmod change: length coercion */
	if (is_string_type(tb) && !tarr)
		return true;			/* I/O conversion to a string type */
	if (farr || tarr)
		return false;
	if (numeric_rank(fb) && numeric_rank(tb))
		return true;
	if (in_group(fb, tb, datetime))
	{
		/* date <- time has no cast; time <- date neither */
		bool		fdate = strcmp(fb, "date") == 0,
					tdate = strcmp(tb, "date") == 0;
		bool		ftime = strncmp(fb, "time ", 5) == 0,
					ttime = strncmp(tb, "time ", 5) == 0;

		if ((fdate && ttime) || (ftime && tdate))
			return false;
		if (ftime && !ttime)
			return false;		/* time -> timestamp: no cast */
		return true;
	}
	if (in_group(fb, tb, bits) || in_group(fb, tb, nets))
		return true;
	return false;
}

/*
 * builtin_widening
 *		True when every value of normalized type from converts to normalized
 *		type to without loss: a longer or unconstrained typmod, any type to
 *		text or unconstrained varchar, the numeric widenings, date to
 *		timestamp, timestamp to timestamp, cidr to inet.  The core's own
 *		knowledge: decides whether an ALTER_TYPE hazard may lose data.
 */
static bool
builtin_widening(FmArena *a, const char *from, const char *to)
{
	char	   *fm,
			   *tm;
	char	   *fb = fmd_type_base(a, from, &fm);
	char	   *tb = fmd_type_base(a, to, &tm);
	int			fr,
				tr;

	if (strcmp(fb, tb) == 0)
	{
		if (tm == NULL)
			return true;		/* unconstrained */
		if (fm == NULL)
			return false;
		if (strcmp(fb, "numeric") == 0)
		{
			int			fp = atoi(fm),
						fs = strchr(fm, ',') ? atoi(strchr(fm, ',') + 1) : 0;
			int			tp = atoi(tm),
						ts = strchr(tm, ',') ? atoi(strchr(tm, ',') + 1) : 0;

			return ts >= fs && tp - ts >= fp - fs;
		}
		return atoi(tm) >= atoi(fm);
	}
	if (strcmp(tb, "text") == 0 || (strcmp(tb, "character varying") == 0 && tm == NULL))
		return strstr(to, "[]") == NULL || strstr(from, "[]") != NULL;
	if (strcmp(fb, "character varying") == 0 && strcmp(tb, "character varying") == 0)
		return tm == NULL || (fm && atoi(tm) >= atoi(fm));
	fr = numeric_rank(fb);
	tr = numeric_rank(tb);
	if (fr && tr)
	{
		if (strcmp(tb, "numeric") == 0)
			return tm == NULL && fr != 7;
		if (strcmp(fb, "smallint") == 0)
			return tr >= 2 && tr <= 5;
		if (strcmp(fb, "integer") == 0)
			return strcmp(tb, "bigint") == 0 || strcmp(tb, "double precision") == 0;
		if (strcmp(fb, "real") == 0)
			return strcmp(tb, "double precision") == 0;
		return false;
	}
	if (strcmp(fb, "date") == 0 && strncmp(tb, "timestamp", 9) == 0)
		return true;
	if (strncmp(fb, "timestamp", 9) == 0 && strncmp(tb, "timestamp", 9) == 0)
		return true;
	if (strcmp(fb, "cidr") == 0 && strcmp(tb, "inet") == 0)
		return true;
	return false;
}

/* qsort comparator over FmColumn *, by name */
static int
col_ptr_cmp(const void *a, const void *b)
{
	return fm_strcmp_null((*(const FmColumn *const *) a)->name,
						  (*(const FmColumn *const *) b)->name);
}

/*
 * alter_col_step
 *		Record ALTER TABLE t ALTER COLUMN c <fmt>, fmt a printf format with
 *		one %s for arg ("" when arg is NULL), under object obj.  The step is
 *		an FM_STEP_ALTER_DEFAULT on t unless the caller changes its kind.
 */
static FmStep *
alter_col_step(Diff *d, FmPhase phase, const char *action, char *obj,
			   const FmTable *t, const FmColumn *c, const char *fmt, const char *arg)
{
	FmBuf		b;
	FmStep	   *s;

	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "ALTER COLUMN ");
	fm_r_ident(&d->r, &b, c->name);
	fm_buf_append_char(&b, ' ');
	fm_buf_printf(&b, fmt, arg ? arg : "");
	fm_buf_append_char(&b, ';');
	s = fmd_add_step(d, phase, action, obj, b.data);
	/* defaults and identity; the caller says when it is something else */
	fmd_lock(d, s, FM_STEP_ALTER_DEFAULT, t);
	return s;
}

/* alter_col_step, for the other phase files (diff_tables.c) */
void
fmd_alter_col_step(Diff *d, FmPhase phase, const char *action, char *obj,
				   const FmTable *t, const FmColumn *c, const char *fmt,
				   const char *arg)
{
	alter_col_step(d, phase, action, obj, t, c, fmt, arg);
}

/*
 * cast_ok
 *		True when ALTER COLUMN ... TYPE from -> to needs no USING clause: the
 *		rendering environment's cast_is_implicit hook when there is one (the
 *		backend's pg_cast lookup), else the built-in table.
 */
static bool
cast_ok(Diff *d, const FmType *from, const FmType *to)
{
	char	   *fn,
			   *tn;

	if (d->r.q && d->r.q->cast_is_implicit)
		return d->r.q->cast_is_implicit(fm_r_type_str(&d->r, from),
										fm_r_type_str(&d->r, to), d->r.q->arg);
	if (to->kind == FM_TYPE_ENUM)
		return false;
	tn = fm_normalize_type(d->a, to->sql);
	if (from->kind == FM_TYPE_ENUM)
	{
		char	   *mod;

		return tn && strstr(tn, "[]") == NULL &&
			is_string_type(fmd_type_base(d->a, tn, &mod));
	}
	fn = fm_normalize_type(d->a, from->sql);
	return builtin_cast_ok(d->a, fn, tn);
}

/* from -> to loses no value (enums convert losslessly to text only) */
static bool
widening(Diff *d, const FmType *from, const FmType *to)
{
	char	   *tn,
			   *mod;

	if (to->kind == FM_TYPE_ENUM)
		return false;
	tn = fm_normalize_type(d->a, to->sql);
	if (tn == NULL)
		return false;
	if (from->kind == FM_TYPE_ENUM)
		return strcmp(fmd_type_base(d->a, tn, &mod), "text") == 0 ||
			(strcmp(fmd_type_base(d->a, tn, &mod), "character varying") == 0 && mod == NULL);
	if (from->sql == NULL)
		return false;
	return builtin_widening(d->a, fm_normalize_type(d->a, from->sql), tn);
}

/* t is an enum type that the enum phase recreates */
bool
fmd_enum_recreated(Diff *d, const FmType *t)
{
	return t->kind == FM_TYPE_ENUM &&
		fmd_set_has(d->recreated, d->nrecreated,
					fmd_name_key(d->a, t->enum_schema, t->enum_name));
}

/*
 * Is c1 -> c2 a column that fmd_recreated_enum_cols() names: the same enum
 * type, recreated, or a type change from or to an enum?
 */
static bool
converts_enum(Diff *d, const FmColumn *c1, const FmColumn *c2)
{
	return fmd_type_eq(d->a, &c1->type, &c2->type) ?
		fmd_enum_recreated(d, &c2->type) :
		(c1->type.kind == FM_TYPE_ENUM || c2->type.kind == FM_TYPE_ENUM);
}

/*
 * Columns of t2 that the enum recreation sequence converts (same enum type
 * on both sides, enum recreated), and columns converted from or to an enum
 * type by ALTER COLUMN ... TYPE (another enum, say after an @@map rename,
 * or text).  CHECK constraints and partial or expression indexes that
 * mention them must be dropped before and created after the conversion:
 * their stored expressions compare with literals of the old type
 * ("operator does not exist: e = e_old"), or with the other column of a
 * pair while only one is converted.
 */
void
fmd_recreated_enum_cols(Diff *d, const FmTable *t1, const FmTable *t2, FmList *out)
{
	FmColumn  **a,
			  **b;
	int			i = 0,
				j = 0;

	out->n = 0;
	/* the key and CHECK phases of a pair both ask: the answer is kept */
	if (d->ecols_t1 == t1 && d->ecols_t2 == t2)
	{
		for (int k = 0; k < d->ecols.n; k++)
			fm_list_append(d->a, out, d->ecols.items[k]);
		return;
	}
	a = fmd_sorted_columns(d, t1);
	b = fmd_sorted_columns(d, t2);
	while (i < t1->columns.n && j < t2->columns.n)
	{
		int			c = col_ptr_cmp(&a[i], &b[j]);

		if (c == 0 && converts_enum(d, a[i], b[j]))
			fm_list_append(d->a, out, b[j]->name);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	d->ecols_t1 = t1;
	d->ecols_t2 = t2;
	d->ecols.n = 0;
	for (int k = 0; k < out->n; k++)
		fm_list_append(d->a, &d->ecols, out->items[k]);
}

/*
 * retyped_into
 *		Append to out the columns of t2 whose type changes, not being an
 *		enum conversion (fmd_recreated_enum_cols lists those), and, with
 *		recast, only those that need a USING cast (no implicit or
 *		assignment cast: change_column_type).  One walk of both tables'
 *		columns in name order.
 */
static void
retyped_into(Diff *d, const FmTable *t1, const FmTable *t2, bool recast,
			 FmList *out)
{
	FmColumn  **a = fmd_sorted_columns(d, t1);
	FmColumn  **b = fmd_sorted_columns(d, t2);
	int			i = 0,
				j = 0;

	while (i < t1->columns.n && j < t2->columns.n)
	{
		int			c = col_ptr_cmp(&a[i], &b[j]);

		if (c == 0 && !fmd_col_same_type(d->a, t2, a[i], b[j]) &&
			!converts_enum(d, a[i], b[j]) &&
			!(recast && cast_ok(d, &a[i]->type, &b[j]->type)))
			fm_list_append(d->a, out, b[j]->name);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
}

/*
 * fmd_recast_cols
 *		Columns of t2 whose type changes with a USING cast (no implicit or
 *		assignment cast: change_column_type), not being an enum conversion
 *		(fmd_recreated_enum_cols).  PostgreSQL rebuilds the CHECKs and
 *		indexes on such a column from their text, which the new type need
 *		not take ("operator does not exist: integer <> text",
 *		text_pattern_ops on an integer); Prisma Migrate drops and adds such
 *		a column, and what it kept on it is gone.  What a plan keeps on it
 *		(keep_unstated) is dropped likewise: diff_constraint.c, diff_index.c.
 */
void
fmd_recast_cols(Diff *d, const FmTable *t1, const FmTable *t2, FmList *out)
{
	out->n = 0;
	retyped_into(d, t1, t2, true, out);
}

/*
 * fmd_retyped_cols
 *		Append to out the columns of t2 whose type changes in any way, not
 *		being an enum conversion (which fmd_recreated_enum_cols lists).
 *		ALTER COLUMN ... TYPE rebuilds a CHECK on such a column from its
 *		old text, against the new type, which can store it otherwise than
 *		the stated text reads against that type (a date literal compared
 *		with a column made timestamptz): the next plan would see a
 *		difference.  diff_constraint.c drops and adds such a CHECK instead,
 *		and diff_index.c such a partial or expression index.
 */
void
fmd_retyped_cols(Diff *d, const FmTable *t1, const FmTable *t2, FmList *out)
{
	retyped_into(d, t1, t2, false, out);
}

/*
 * fmd_type_changed_cols
 *		The columns of t2 whose type changes in any way, enum conversions
 *		included (fmd_retyped_cols and fmd_recreated_enum_cols together),
 *		or whose collation changes (ALTER COLUMN ... TYPE ... COLLATE),
 *		computed once per pair of tables and kept in d until another pair is
 *		asked for.  PostgreSQL refuses to change the type of a column that
 *		a generated column reads (diff_generated.c).
 */
const FmList *
fmd_type_changed_cols(Diff *d, const FmTable *t1, const FmTable *t2)
{
	FmColumn  **a;
	FmColumn  **b;
	int			i = 0,
				j = 0;

	if (d->tcols_t1 == t1 && d->tcols_t2 == t2)
		return &d->tcols;
	d->tcols_t1 = t1;
	d->tcols_t2 = t2;
	d->tcols = (FmList) {0};
	a = fmd_sorted_columns(d, t1);
	b = fmd_sorted_columns(d, t2);
	while (i < t1->columns.n && j < t2->columns.n)
	{
		int			c = col_ptr_cmp(&a[i], &b[j]);

		if (c == 0 && (!fmd_col_same_type(d->a, t2, a[i], b[j]) ||
					   converts_enum(d, a[i], b[j]) ||
					   fmd_collation_changes(t2, a[i], b[j])))
		{
			fm_list_append(d->a, &d->tcols, b[j]->name);
			/* a live expression still names a renamed column by its old name */
			if (FM_COL_MORE(b[j])->renamed_from != NULL)
				fm_list_append(d->a, &d->tcols, FM_COL_MORE(b[j])->renamed_from);
		}
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	return &d->tcols;
}

/* the integer type of c that its sequence takes (AS ...), or NULL */
static const char *
serial_int_type(const FmColumn *c)
{
	if (c->type.kind == FM_TYPE_BUILTIN &&
		(fm_streq(c->type.sql, "integer") || fm_streq(c->type.sql, "bigint") ||
		 fm_streq(c->type.sql, "smallint")))
		return c->type.sql;
	return NULL;
}

/*
 * autoincrement() added to an existing column that the schema makes SERIAL
 * (the prisma dialect): what Prisma Migrate writes, a sequence owned by the
 * column and a nextval() default, so that the catalog reads back as serial.
 */
static void
add_serial(Diff *d, const FmTable *t, const FmColumn *c, char *obj)
{
	char	   *seq = fm_make_object_name(d->a, t->name, c->name, "seq");
	FmBuf		b,
				name,
				def;

	fm_buf_init(&b, d->a);
	/* IF NOT EXISTS: dropping the default earlier left the sequence */
	fm_buf_append(&b, "CREATE SEQUENCE IF NOT EXISTS ");
	fm_r_qname(&d->r, &b, t->schema, seq);
	if (serial_int_type(c) != NULL)
		fm_buf_printf(&b, " AS %s", c->type.sql);
	fm_buf_append(&b, " OWNED BY ");
	fm_r_qname(&d->r, &b, t->schema, t->name);
	fm_buf_append_char(&b, '.');
	fm_r_ident(&d->r, &b, c->name);
	fm_buf_append_char(&b, ';');
	fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);

	fm_buf_init(&name, d->a);
	fm_r_qname(&d->r, &name, t->schema, seq);
	fm_buf_init(&def, d->a);
	fm_buf_append(&def, "nextval(");
	fm_r_literal(&d->r, &def, name.data);
	fm_buf_append(&def, "::regclass)");
	alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c,
				   "SET DEFAULT %s", def.data);
}

/*
 * serial_sequence_type
 *		A serial column c1 of table t that stays serial (c2) with another
 *		integer type: its own sequence takes the type too, ALTER SEQUENCE
 *		... AS, as CREATE TABLE's serial/bigserial would have made it (an
 *		identity's sequence follows ALTER COLUMN ... TYPE by itself).  The
 *		live sequence is the one the catalog names; from text (an offline
 *		diff), the name serial gives (add_serial), IF EXISTS: a table
 *		renamed by @renamed keeps its sequence's old name.
 */
static void
serial_sequence_type(Diff *d, const FmTable *t, const FmColumn *c1,
					 const FmColumn *c2, char *obj)
{
	const char *sql = serial_int_type(c2);
	const char *schema = t->schema;
	const char *seq = FM_COL_MORE(c1)->seq_name;
	FmBuf		b;

	if (sql == NULL)
		return;
	fm_buf_init(&b, d->a);
	fm_buf_append(&b, "ALTER SEQUENCE ");
	if (seq != NULL)
		schema = FM_COL_MORE(c1)->seq_schema;
	else
	{
		seq = fm_make_object_name(d->a, t->name, c1->name, "seq");
		fm_buf_append(&b, "IF EXISTS ");
	}
	fm_r_qname(&d->r, &b, schema, seq);
	fm_buf_printf(&b, " AS %s;", sql);
	fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterSequence", obj, b.data);
}

/*
 * convert_enum_column
 *		Record the conversion of column c2 of table t to its recreated enum
 *		type, within the enum phase's sequence (object: the enum): drop the
 *		default cur_def if any, ALTER COLUMN ... TYPE ... USING the text of
 *		the value, then set the default want_def if any.
 */
static void
convert_enum_column(Diff *d, const FmTable *t, const FmColumn *c2,
					const char *cur_def, const char *want_def)
{
	char	   *eobj = fm_object_name(d->a, c2->type.enum_schema,
									  c2->type.enum_name);
	char	   *tn = fm_r_type_str(&d->r, &c2->type);
	FmBuf		b;

	if (cur_def)
		alter_col_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", eobj, t, c2,
					   "DROP DEFAULT%s", NULL);
	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "ALTER COLUMN ");
	fm_r_ident(&d->r, &b, c2->name);
	fm_buf_printf(&b, " TYPE %s USING (", tn);
	fm_r_ident(&d->r, &b, c2->name);
	fm_buf_printf(&b, "::text%s::%s);", c2->type.array ? "[]" : "", tn);
	fmd_lock(d, fmd_add_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", eobj, b.data),
			 FM_STEP_ALTER_TYPE, t);
	if (want_def)
		alter_col_step(d, FM_PHASE_ALTER_ENUM, "AlterEnum", eobj, t, c2,
					   "SET DEFAULT %s", want_def);
}

/* is t a built-in string type (text, varchar, char, citext, name; not a list)? */
static bool
is_string_sql(Diff *d, const FmType *t)
{
	const char *norm = t->kind == FM_TYPE_BUILTIN ? fm_normalize_type(d->a, t->sql) : NULL;
	char	   *mod;

	return norm != NULL && is_string_type(fmd_type_base(d->a, norm, &mod));
}

/*
 * change_column_type
 *		Record ALTER COLUMN ... TYPE for column c1 of from becoming c2 of
 *		table t, object obj: an ALTER_TYPE hazard, which may lose data
 *		unless the change only widens the type; the column is noted in
 *		Diff.retyped.
 *
 * Without an assignment cast the statement carries a USING cast (through
 * text from an enum, or when the types have no cast at all: the
 * environment's cast_exists), and the old default *cur_def, which the cast
 * could not convert, is dropped first (*cur_def becomes NULL): a serial
 * column's nextval() too (an integer made Bytes), an identity has none.
 */
static void
change_column_type(Diff *d, const FmTable *t, const FmColumn *c1,
				   const FmColumn *c2, char *obj, const char **cur_def)
{
	bool		implicit = cast_ok(d, &c1->type, &c2->type);
	char	   *tn = fm_r_type_str(&d->r, &c2->type);
	FmBuf		b;
	FmStep	   *s;
	char	   *using_expr = NULL;

	fmd_set_add(d, &d->retyped, &d->nretyped, &d->capretyped,
				fm_psprintf(d->a, "%s\x1f%s\x1f%s", t->schema ? t->schema : "",
							t->name, c2->name));

	if (!implicit && *cur_def)
	{
		alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
					   "DROP DEFAULT%s", NULL);
		*cur_def = NULL;
	}
	if (!implicit)
	{
		FmBuf		u;
		const char *via = "";
		bool		to_list = c2->type.kind == FM_TYPE_ENUM ? c2->type.array :
			strstr(tn, "[]") != NULL;

		/*
		 * a list to a list element by element, else the whole value's text;
		 * to an enum from anything but text (no cast: integer to an enum,
		 * which may not exist yet when the plan is made)
		 */
		if (c1->type.kind == FM_TYPE_ENUM ||
			(c2->type.kind == FM_TYPE_ENUM && !is_string_sql(d, &c1->type)))
			via = c1->type.array && to_list ? "::text[]" : "::text";
		else if (d->r.q && d->r.q->cast_exists)
		{
			char	   *fn = fm_r_type_str(&d->r, &c1->type);

			/* no cast at all (integer to uuid): the value's text form */
			if (!d->r.q->cast_exists(fn, tn, d->r.q->arg))
				via = to_list && strstr(fn, "[]") ? "::text[]" : "::text";
		}
		fm_buf_init(&u, d->a);
		fm_buf_append_char(&u, '(');
		fm_r_ident(&d->r, &u, c2->name);
		fm_buf_printf(&u, "%s::%s)", via, tn);
		using_expr = u.data;
	}
	fmd_begin_alter(d, &b, t);
	fm_buf_append(&b, "ALTER COLUMN ");
	fm_r_ident(&d->r, &b, c2->name);
	fm_buf_printf(&b, " TYPE %s", tn);
	if (using_expr)
		fm_buf_printf(&b, " USING %s", using_expr);
	fm_buf_append_char(&b, ';');
	s = fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);
	/* a domain to its own base type is a relabeling: no rewrite */
	fmd_lock(d, s, !(FM_COL_MORE(c1)->domain_base != NULL && c2->type.kind == FM_TYPE_BUILTIN &&
					 fm_streq(fm_normalize_type(d->a, FM_COL_MORE(c1)->domain_base),
							  fm_normalize_type(d->a, c2->type.sql))) &&
			 fm_type_change_rewrites(c1->type.kind == FM_TYPE_BUILTIN && !c1->type.array ? c1->type.sql : NULL,
									 c2->type.kind == FM_TYPE_BUILTIN && !c2->type.array ? c2->type.sql : NULL) ?
			 FM_STEP_ALTER_TYPE : FM_STEP_ALTER_TYPE_NO_REWRITE, t);
	/* even without a rewrite, it takes an ACCESS EXCLUSIVE lock */
	fmd_set_hazard(s, FM_HAZARD_ALTER_TYPE, t->schema, t->name, c2->name, tn,
				   !widening(d, &c1->type, &c2->type));
	s->hazard_old_type = fm_r_type_str(&d->r, &c1->type);
	s->hazard_using = using_expr;
}

/*
 * default_is_literal
 *		Is a default expression a constant as written: a string, a number
 *		or a boolean, in parentheses or with a cast (not a function call)?
 */
static bool
default_is_literal(const char *def)
{
	while (*def == '(' || *def == ' ')
		def++;
	return *def == '\'' || *def == '-' || (*def >= '0' && *def <= '9') ||
		strncmp(def, "true", 4) == 0 || strncmp(def, "false", 5) == 0 ||
		((*def == 'E' || *def == 'e') && def[1] == '\'');
}

/*
 * change_column_default
 *		Record the default change of column c2 of table t, object obj: from
 *		cur_def (SENTINEL_DEFAULT for a serial column's nextval()) to
 *		want_def (NULL: none).  A column becoming identity or serial (ai2)
 *		only loses a default it had.
 */
static void
change_column_default(Diff *d, const FmTable *t, const FmColumn *c2, char *obj,
					  bool ai1, bool ai2, const char *cur_def,
					  const char *want_def)
{
	if (ai2)
	{
		if (!ai1 && cur_def)
			alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
						   "DROP DEFAULT%s", NULL);
	}
	else if (cur_def == SENTINEL_DEFAULT || !fmd_expr_eq(d->a, cur_def, want_def))
	{
		if (want_def)
			alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
						   "SET DEFAULT %s", want_def);
		else
			alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
						   "DROP DEFAULT%s", NULL);
	}
}

/*
 * is_list
 *		Is type an array: a list field (String[], Role[])?  In the prisma
 *		dialect (keep_unstated) a list field cannot state NOT NULL: Prisma
 *		creates lists nullable, reads an array column as a list whatever its
 *		nullability, and never changes it; a plan keeps the live one.
 */
static bool
is_list(const FmType *type)
{
	size_t		n;

	if (type->kind == FM_TYPE_ENUM)
		return type->array;
	n = type->sql ? strlen(type->sql) : 0;
	return n > 2 && strcmp(type->sql + n - 2, "[]") == 0;
}

/*
 * diff_changed_column
 *		The column phase for a column on both sides (c1 in from, c2 in to) of
 *		table t: identity or serial removed, type, default, nullability,
 *		identity or serial added, comment, in that order.
 *
 * A column of a recreated enum type is converted in the enum phase's
 * sequence (drop default, ALTER ... TYPE USING text, set default); any
 * other type change is one ALTER COLUMN ... TYPE, preceded by DROP DEFAULT
 * when the old default could not be cast, noted in Diff.retyped and an
 * ALTER_TYPE hazard.  SET NOT NULL is a SET_NOT_NULL hazard.  A list
 * column of a table that keeps what it cannot state keeps its nullability
 * (is_list); a column stated with dbgenerated() (no argument) keeps its
 * live default (keep_default), unless a type change had to drop it or it
 * names a label its recreated enum loses.
 */
static void
diff_changed_column(Diff *d, const FmTable *t, const FmColumn *c1, const FmColumn *c2)
{
	bool		ai1 = c1->autoinc != FM_AUTOINC_NONE;
	bool		ai2 = c2->autoinc != FM_AUTOINC_NONE;
	bool		nn1 = c1->notnull || ai1;
	bool		nn2 = c2->notnull || ai2;
	const char *cur_def;
	const char *want_def = ai2 ? NULL : c2->default_sql;
	char	   *obj = fmd_col_object(d, t, c2->name);
	bool		recreated_enum_col = false;

	/* a generation changed or added re-creates the column (diff_tables.c) */
	if (fmd_generated(d, t, c1, c2, obj))
		return;

	/* identity/serial removed */
	if (ai1 && !ai2 && c1->autoinc != FM_AUTOINC_SERIAL)
		alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
					   "DROP IDENTITY IF EXISTS%s", NULL);
	cur_def = ai1 ? (c1->autoinc == FM_AUTOINC_SERIAL ? SENTINEL_DEFAULT : NULL)
		: c1->default_sql;
	/*
	 * DEFAULT NULL on a column that is not of a domain is no default:
	 * PostgreSQL stores none (a NULL constant), so a text that states it
	 * (dbgenerated("NULL::bigint"), pulled from a domain column in the
	 * prisma dialect) would set it on every plan.  On a domain column it
	 * overrides the domain's default, and is compared as written.
	 */
	if (FM_COL_MORE(c1)->domain_base == NULL)
	{
		if (null_default(cur_def))
			cur_def = NULL;
		if (null_default(want_def))
			want_def = NULL;
	}
	/* a serial column stated as nextval() of its own sequence: no change */
	if (fmd_serial_default_kept(d, c1, c2))
		cur_def = want_def;
	/* dbgenerated() without argument: the live default is wanted */
	if (c2->keep_default && !ai1)
		want_def = cur_def;
	/*
	 * A live generated column of a text that cannot state a generation
	 * (the prisma dialect), which a plan keeps: the text may state its
	 * expression as the default (dbgenerated("expr")), as Prisma reads it,
	 * or any other default, which PostgreSQL cannot give a generated
	 * column: no change.
	 */
	if (t->keep_unstated && FM_COL_MORE(c1)->generated != NULL && !ai1 &&
		cur_def == NULL)
		want_def = NULL;

	if (fmd_col_same_type(d->a, t, c1, c2))
	{
		if (fmd_enum_recreated(d, &c2->type))
		{
			/* converted by the enum recreation sequence */
			recreated_enum_col = true;
			/* a kept default naming a label the enum loses: dropped */
			if (c2->keep_default && want_def &&
				fmd_names_removed_label(d, want_def))
				want_def = NULL;
			convert_enum_column(d, t, c2, cur_def, want_def);
		}
		else
			fmd_collation(d, t, c1, c2, obj, false);
	}
	else
	{
		change_column_type(d, t, c1, c2, obj, &cur_def);
		if (c1->autoinc == FM_AUTOINC_SERIAL && c2->autoinc == FM_AUTOINC_SERIAL)
			serial_sequence_type(d, t, c1, c2, obj);
		/* a kept default the new type cannot take was dropped: it stays so */
		if (c2->keep_default && !ai1)
			want_def = cur_def;
		/*
		 * A stated literal default kept through the change is set again: the
		 * column keeps the old value cast to the new type, which need not be
		 * the stated one ('[-3e2]'::jsonb made text reads '[-300]') and
		 * still depends on the old type (an enum label, which then cannot
		 * be dropped).  A function call (now()) means the same either way.
		 */
		else if (!ai1 && cur_def != NULL && want_def != NULL &&
				 default_is_literal(cur_def))
			cur_def = SENTINEL_DEFAULT;
		fmd_collation(d, t, c1, c2, obj, true);
	}

	/* a live default naming another type than the column's: set again */
	if (FM_COL_MORE(c2)->reset_default && !ai1 && cur_def != NULL &&
		want_def != NULL && !c2->keep_default)
		cur_def = SENTINEL_DEFAULT;
	/* default */
	if (!recreated_enum_col)
		change_column_default(d, t, c2, obj, ai1, ai2, cur_def, want_def);

	/* nullability */
	if (nn1 != nn2 && !(t->keep_unstated && is_list(&c1->type) && is_list(&c2->type)))
	{
		if (nn2)
		{
			FmBuf		b;
			FmStep	   *s;

			fmd_begin_alter(d, &b, t);
			fm_buf_append(&b, "ALTER COLUMN ");
			fm_r_ident(&d->r, &b, c2->name);
			fm_buf_append(&b, " SET NOT NULL;");
			s = fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, b.data);
			fmd_lock(d, s, FM_STEP_SET_NOT_NULL, t);
			s->column = c2->name;
			fmd_set_hazard(s, FM_HAZARD_SET_NOT_NULL, t->schema, t->name, c2->name,
						   NULL, false);
		}
		else
			alter_col_step(d, FM_PHASE_ALTER_TABLE, "AlterTable", obj, t, c2,
						   "DROP NOT NULL%s", NULL)->kind = FM_STEP_DROP_NOT_NULL;
	}

	/* identity (or serial) added; an identity's kind and options changed */
	if (ai2 && !ai1 && c2->autoinc == FM_AUTOINC_SERIAL)
		add_serial(d, t, c2, obj);
	else if (ai2 && !ai1)
		fmd_add_identity(d, t, c2, obj, NULL);
	else if (ai2 && ai1)
		(void) fmd_identity(d, t, c1, c2, obj);

	if (!t->keep_unstated && !fmd_comment_eq(FM_COL_MORE(c1)->comment, FM_COL_MORE(c2)->comment))
		fmd_comment_step(d, "COLUMN", t->schema, t->name, c2->name, FM_COL_MORE(c2)->comment);
}

/*
 * column_unchanged
 *		True when diff_changed_column() would record nothing for c1 -> c2 (of
 *		table t), by a test that reads each field once: neither generated
 *		nor autoincrement, the same type (not a recreated enum), collation,
 *		default text, nullability and (unless t keeps what it does not
 *		state) comment.  A false answer only means "compare in full".
 */
static bool
column_unchanged(Diff *d, const FmTable *t, const FmColumn *c1, const FmColumn *c2)
{
	const FmType *x = &c1->type;
	const FmType *y = &c2->type;

	if (FM_COL_MORE(c1)->generated != NULL || FM_COL_MORE(c2)->generated != NULL ||
		c1->autoinc != FM_AUTOINC_NONE || c2->autoinc != FM_AUTOINC_NONE ||
		c1->notnull != c2->notnull || x->kind != y->kind)
		return false;
	if (x->kind == FM_TYPE_ENUM ?
		(x->array != y->array || d->nrecreated > 0 ||
		 !fm_streq(x->enum_schema, y->enum_schema) ||
		 !fm_streq(x->enum_name, y->enum_name)) :
		!fm_streq(x->sql, y->sql))
		return false;
	if (!t->keep_unstated &&
		(!fm_streq(FM_COL_MORE(c1)->collation, FM_COL_MORE(c2)->collation) ||
		 !fm_streq(FM_COL_MORE(c1)->collation_schema, FM_COL_MORE(c2)->collation_schema) ||
		 !fmd_comment_eq(FM_COL_MORE(c1)->comment, FM_COL_MORE(c2)->comment)))
		return false;
	return fm_streq(c1->default_sql, c2->default_sql);
}

/* the column phase for a column on both sides: see diff_changed_column() */
static void
diff_column(Diff *d, const FmTable *t, const FmColumn *c1, const FmColumn *c2)
{
	if (!column_unchanged(d, t, c1, c2))
		diff_changed_column(d, t, c1, c2);
}

/*
 * restated_by_new_child
 *		Does a table new in the target, inheriting from t2 (@@inherits, at
 *		any depth), declare a column named col, which t2 loses?  PostgreSQL
 *		would merge the child's column with the parent's at CREATE TABLE
 *		(and refuse it of another type: "column has a type conflict"), so
 *		the parent's goes first.  A bounded walk of each new child's
 *		lineage (tables found by the diff's index), paid only by schemas
 *		with inheritance.
 */
static bool
restated_by_new_child(Diff *d, const FmTable *t2, const char *col)
{
	for (int i = 0; i < d->to->tables.n; i++)
	{
		const FmTable *c = fm_list_get(&d->to->tables, i, FmTable);
		const FmTable *queue[64];
		int			head = 0,
					tail = 0;

		if (c->inherits.n == 0 || fm_table_find_column(c, col) == NULL ||
			fmd_lineage_find(d, d->from, c->schema, c->name) != NULL)
			continue;
		queue[tail++] = c;
		while (head < tail)
		{
			const FmTable *x = queue[head++];

			for (int k = 0; k < x->inherits.n && tail < 64; k++)
			{
				const FmTableRef *ref = fm_list_get(&x->inherits, k, FmTableRef);
				const FmTable *p = fmd_lineage_find(d, d->to, ref->schema, ref->name);

				if (p == t2)
					return true;
				if (p != NULL)
					queue[tail++] = p;
			}
		}
	}
	return false;
}

/*
 * fmd_columns
 *		The column phase for a table on both sides (t1 in from, t2 in to):
 *		columns merged by name; a dropped column is a DROP_COLUMN hazard, an
 *		added NOT NULL column without default an ADD_REQUIRED_COLUMN hazard.
 */
void
fmd_columns(Diff *d, const FmTable *t1, const FmTable *t2)
{
	FmColumn  **a = fmd_sorted_columns(d, t1);
	FmColumn  **b = fmd_sorted_columns(d, t2);
	int			n1 = t1->columns.n,
				n2 = t2->columns.n;
	int			i = 0,
				j = 0;

	/*
	 * Compared as they are (no view of an inheritance tree): the merge is
	 * fmd_recreated_enum_cols()'s, whose answer is noted for the key and
	 * CHECK phases of the pair.
	 */
	bool		note = d->pair_from == t1 && d->pair_to == t2;
	FmList		ecols = {0};
	int			rank = d->rank;

	d->cols_from = t1;

	while (i < n1 || j < n2)
	{
		int			c;

		if (i >= n1)
			c = 1;
		else if (j >= n2)
			c = -1;
		else
			c = col_ptr_cmp(&a[i], &b[j]);
		if (c < 0)
		{
			FmBuf		buf;
			FmStep	   *s;

			/*
			 * A generated column goes before the columns it reads are
			 * retyped or dropped (diff_generated.c), and one that a new
			 * child restates before the child is created; other columns go
			 * last.
			 */
			bool		early = FM_COL_MORE(a[i])->generated != NULL ||
				restated_by_new_child(d, t2, a[i]->name);

			fmd_begin_alter(d, &buf, t1);
			fm_buf_append(&buf, "DROP COLUMN ");
			fm_r_ident(&d->r, &buf, a[i]->name);
			fm_buf_append_char(&buf, ';');
			d->rank = early ? FMD_RANK_LAST : rank;
			s = fmd_add_step(d, early ? FM_PHASE_DROP_INDEX : FM_PHASE_DROP_COLUMN,
							 "AlterTable", fmd_col_object(d, t1, a[i]->name), buf.data);
			d->rank = rank;
			fmd_lock(d, s, FM_STEP_DROP_COLUMN, t1);
			fmd_set_hazard(s, FM_HAZARD_DROP_COLUMN, t1->schema, t1->name, a[i]->name,
						   NULL, true);
			i++;
		}
		else if (c > 0)
		{
			FmBuf		buf;
			FmStep	   *s;
			FmColumn   *col = b[j];

			fmd_begin_alter(d, &buf, t2);
			fm_buf_append(&buf, "ADD COLUMN ");
			fm_r_column_def(&d->r, &buf, col);
			fm_buf_append_char(&buf, ';');
			/* a generated column after the columns it reads (diff_generated.c) */
			if (FM_COL_MORE(col)->generated != NULL)
				d->rank = FMD_RANK_LAST;
			s = fmd_add_step(d, FM_PHASE_ALTER_TABLE, "AlterTable",
							 fmd_col_object(d, t2, col->name), buf.data);
			d->rank = rank;
			fmd_lock(d, s, col->autoinc != FM_AUTOINC_NONE || FM_COL_MORE(col)->generated != NULL ||
					 fm_default_is_volatile(col->default_sql) ?
					 FM_STEP_ADD_COLUMN_REWRITE : FM_STEP_ADD_COLUMN, t2);
			/* a stored generated column computes every row: a rewrite */
			if (FM_COL_MORE(col)->generated != NULL)
				fmd_set_hazard(s, FM_HAZARD_REWRITE_TABLE, t2->schema, t2->name, col->name,
							   fm_psprintf(d->a, "adding generated column %s", col->name), false);
			else if (col->notnull && col->default_sql == NULL &&
					 col->autoinc == FM_AUTOINC_NONE)
				fmd_set_hazard(s, FM_HAZARD_ADD_REQUIRED_COLUMN, t2->schema, t2->name,
							   col->name, NULL, false);
			/* so does a volatile default or an identity (nextval per row) */
			else if (col->autoinc != FM_AUTOINC_NONE || fm_default_is_volatile(col->default_sql))
				fmd_set_hazard(s, FM_HAZARD_REWRITE_TABLE, t2->schema, t2->name, col->name,
							   fm_psprintf(d->a, "adding column %s, whose default is computed for every row,",
										   col->name), false);
			fmd_column_rename_hint(d, s, t2, col);
			if (FM_COL_MORE(col)->comment && *FM_COL_MORE(col)->comment)
				fmd_comment_step(d, "COLUMN", t2->schema, t2->name, col->name, FM_COL_MORE(col)->comment);
			j++;
		}
		else
		{
			if (note && converts_enum(d, a[i], b[j]))
				fm_list_append(d->a, &ecols, b[j]->name);
			diff_column(d, t2, a[i++], b[j++]);
		}
	}
	if (note)
	{
		d->ecols_t1 = t1;
		d->ecols_t2 = t2;
		d->ecols = ecols;
	}
}
