/*-------------------------------------------------------------------------
 *
 * render.c
 *	  DDL text for the objects of the schema model, the default quoting
 *	  environment, and the rendering of a whole plan as a script.
 *
 * Every identifier goes through FmQuoting.quote_ident, each part of a
 * qualified name (an operator class: validation splits it into parts)
 * separately, and every literal (comments, enum labels) through
 * FmQuoting.quote_literal; string defaults were quoted by validation with
 * the same routine (fm_quote_text).  Nothing is pasted "already quoted".
 * Types are in format_type() spelling already (fm_model.h) and are emitted
 * as they are; enum types are schema-qualified names.  Objects whose schema
 * is NULL are rendered unqualified (resolved by the server's search_path;
 * the offline diff refuses enums a pg_catalog type would shadow).  SQL
 * expressions (defaults from dbgenerated(), CHECKs, predicates) are SQL on
 * purpose: validation made sure they cannot leave their clause.
 *
 * The default quoting always double-quotes identifiers (embedded double
 * quotes doubled), and renders literals like PostgreSQL's quote_literal():
 * '...' with embedded quotes doubled, and, when the text contains a
 * backslash, E'...' with backslashes doubled too, so that the literal
 * means the same whatever standard_conforming_strings is set to.  Its
 * results live in a static buffer valid until the next call (not thread
 * safe); the core itself never calls the default hooks but appends to its
 * buffers directly, and the backend uses its own hooks.  That buffer comes
 * from the C library, never from the replaceable allocation hooks
 * (fm_set_mem_hooks): in the backend those allocate in the current memory
 * context, which would be freed under a buffer kept across calls.
 *
 * src/core/render.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>
#include <string.h>

#include "fm_diff_int.h"
#include "fm_sqlnames.h"

/* ---------- default quoting ---------- */

/*
 * The result buffer of the default hooks, owned by the C library for the
 * life of the process (see the header comment), never from the
 * replaceable hooks.  The quoting itself is fm_quote_text(), the one
 * routine the core's own rendering (fm_r_ident, fm_r_literal) uses too.
 */
static char *default_buf;
static size_t default_cap;

/* s quoted as a literal or an identifier (fm_quote_text), in default_buf */
static char *
default_result(const char *s, bool literal)
{
	char		qc = literal ? '\'' : '"';
	size_t		need = fm_quote_text(NULL, s, qc) + 1;

	if (need > default_cap)
	{
		char	   *grown = realloc(default_buf, need);

		if (grown == NULL)
			abort();			/* as the libc allocation hooks do */
		default_buf = grown;
		default_cap = need;
	}
	(void) fm_quote_text(default_buf, s, qc);
	return default_buf;
}

/* fm_default_quoting's hooks: fm_quote_text() into default_buf */
static const char *
default_quote_ident(const char *ident, void *arg)
{
	(void) arg;
	return default_result(ident, false);
}

static char *
default_quote_literal(const char *literal, void *arg)
{
	(void) arg;
	return default_result(literal, true);
}

const FmQuoting fm_default_quoting = {
	default_quote_ident,
	default_quote_literal,
	NULL,
	NULL,
	NULL,
	NULL
};

/* ---------- pieces ---------- */

/*
 * fm_r_ident
 *		Append identifier ident to b, quoted by the environment's hook, or
 *		always double-quoted by the core's own quoting.  NULL counts as "".
 */
void
fm_r_ident(const FmRender *r, FmBuf *b, const char *ident)
{
	if (r->q == NULL || r->q->quote_ident == NULL ||
		r->q->quote_ident == default_quote_ident)
		fm_buf_append_quoted(b, ident, '"');
	else
		fm_buf_append(b, r->q->quote_ident(ident ? ident : "", r->q->arg));
}

/*
 * catalog_could_take
 *		Whether an unqualified name could resolve to an object of pg_catalog,
 *		which every search_path searches first unless it lists it: a type
 *		of pg_catalog (an enum named "json"; its array types, "_int4", are
 *		in the list too) or a name starting with "pg_" (the catalog's
 *		relations, indexes and types).  Another name starting with "_"
 *		(Prisma's join tables, "_CategoryToPost") is none of them: it was
 *		qualified, which put a tenant's join table in the schema the
 *		migration was written in.
 */
static bool
catalog_could_take(const char *name)
{
	return strncmp(name, "pg_", 3) == 0 || fm_is_pg_catalog_type(name);
}

/*
 * fm_r_qname
 *		Append schema.name to b, each part quoted; just name when schema is
 *		NULL (the current schema) or the environment's unqualified_schema
 *		(unless pg_catalog could take the name).
 */
void
fm_r_qname(const FmRender *r, FmBuf *b, const char *schema, const char *name)
{
	if (schema != NULL && r->q != NULL && r->q->unqualified_schema != NULL &&
		strcmp(schema, r->q->unqualified_schema) == 0 &&
		!catalog_could_take(name))
		schema = NULL;
	if (schema != NULL)
	{
		fm_r_ident(r, b, schema);
		fm_buf_append_char(b, '.');
	}
	fm_r_ident(r, b, name);
}

/*
 * fm_r_literal
 *		Append lit to b as a string literal, quoted by the environment's hook,
 *		or by fm_quote_text(): '...' with quotes doubled, E'...' when lit
 *		holds a backslash, so that it means lit whatever
 *		standard_conforming_strings is.  NULL counts as "".
 */
void
fm_r_literal(const FmRender *r, FmBuf *b, const char *lit)
{
	if (r->q == NULL || r->q->quote_literal == NULL ||
		r->q->quote_literal == default_quote_literal)
		fm_buf_append_quoted(b, lit, '\'');
	else
		fm_buf_append(b, r->q->quote_literal(lit ? lit : "", r->q->arg));
}

/* names, quoted, comma-separated */
void
fm_r_name_list(const FmRender *r, FmBuf *b, const FmList *names)
{
	for (int i = 0; i < names->n; i++)
	{
		if (i > 0)
			fm_buf_append(b, ", ");
		fm_r_ident(r, b, fm_list_get(names, i, char));
	}
}

/*
 * fm_r_type
 *		Append the SQL type of t to b: an enum as its quoted qualified name
 *		(with [] for an array), any other type as its SQL text, unquoted (it
 *		comes from the schema's native type or the dialect's mapping).
 */
void
fm_r_type(const FmRender *r, FmBuf *b, const FmType *t)
{
	if (t->kind == FM_TYPE_ENUM)
	{
		fm_r_qname(r, b, t->enum_schema, t->enum_name);
		if (t->array)
			fm_buf_append(b, "[]");
	}
	else
		fm_buf_append(b, t->sql ? t->sql : "text");
}

/* fm_r_type() into a new string */
char *
fm_r_type_str(const FmRender *r, const FmType *t)
{
	FmBuf		b;

	fm_buf_init(&b, r->arena);
	fm_r_type(r, &b, t);
	return fm_buf_finish(&b);
}

/* SERIAL, BIGSERIAL, SMALLSERIAL for a serial column's type, else NULL */
static const char *
serial_type(const FmColumn *c)
{
	if (c->autoinc != FM_AUTOINC_SERIAL || c->type.kind != FM_TYPE_BUILTIN)
		return NULL;
	if (fm_streq(c->type.sql, "integer"))
		return "SERIAL";
	if (fm_streq(c->type.sql, "bigint"))
		return "BIGSERIAL";
	if (fm_streq(c->type.sql, "smallint"))
		return "SMALLSERIAL";
	return NULL;
}

/*
 * A column definition: name, type, NOT NULL, DEFAULT, identity.  A serial
 * column is written with the serial pseudo-type (an owned sequence and a
 * nextval() default, as Prisma Migrate creates it).
 */
void
fm_r_column_def(const FmRender *r, FmBuf *b, const FmColumn *c)
{
	const char *serial = serial_type(c);

	fm_r_ident(r, b, c->name);
	fm_buf_append_char(b, ' ');
	if (serial)
		fm_buf_append(b, serial);
	else
		fm_r_type(r, b, &c->type);
	if (FM_COL_MORE(c)->collation != NULL)
	{
		fm_buf_append(b, " COLLATE ");
		fm_r_qname(r, b, FM_COL_MORE(c)->collation_schema, FM_COL_MORE(c)->collation);
	}
	if (FM_COL_MORE(c)->generated != NULL)
		fm_buf_printf(b, " GENERATED ALWAYS AS (%s) STORED", FM_COL_MORE(c)->generated);
	if (c->notnull || c->autoinc != FM_AUTOINC_NONE)
		fm_buf_append(b, " NOT NULL");
	if (c->autoinc == FM_AUTOINC_NONE && c->default_sql != NULL)
	{
		/* the restricted grammar of a column's DEFAULT (fm_sqlnames.h) */
		if (fm_sql_default_needs_parens(r->arena, c->default_sql))
			fm_buf_printf(b, " DEFAULT (%s)", c->default_sql);
		else
		{
			fm_buf_append(b, " DEFAULT ");
			fm_buf_append(b, c->default_sql);
		}
	}
	if (c->autoinc == FM_AUTOINC_IDENTITY_ALWAYS)
		fm_buf_append(b, " GENERATED ALWAYS AS IDENTITY");
	else if (c->autoinc != FM_AUTOINC_NONE && serial == NULL)
		fm_buf_append(b, " GENERATED BY DEFAULT AS IDENTITY");
	if (c->autoinc != FM_AUTOINC_NONE && serial == NULL)
	{
		FmBuf		opts;

		fm_buf_init(&opts, r->arena);
		if (fm_r_identity_options(&opts, FM_COL_MORE(c)->identity, false))
			fm_buf_printf(b, " (%s)", opts.data);
	}
}

/*
 * The sequence options of identity id that are not defaults, separated by
 * spaces (for CREATE: the caller puts them in parentheses); with alter,
 * every option, each after "SET " (NO MINVALUE and the like for defaults,
 * START WITH its effective value), as ALTER COLUMN needs them.  Returns
 * false, writing nothing, when there is nothing to write.
 */
bool
fm_r_identity_options(FmBuf *b, const FmIdentity *id, bool alter)
{
	const char *set = alter ? "SET " : "";
	bool		desc;
	size_t		len0 = b->len;

	if (id == NULL || (!alter && !id->start && !id->increment && !id->minvalue &&
					   !id->maxvalue && !id->cycle))
		return false;
	desc = id->increment != NULL && id->increment[0] == '-';
	if (id->increment || alter)
		fm_buf_printf(b, " %sINCREMENT BY %s", set, id->increment ? id->increment : "1");
	if (id->minvalue)
		fm_buf_printf(b, " %sMINVALUE %s", set, id->minvalue);
	else if (alter)
		fm_buf_printf(b, " %sNO MINVALUE", set);
	if (id->maxvalue)
		fm_buf_printf(b, " %sMAXVALUE %s", set, id->maxvalue);
	else if (alter)
		fm_buf_printf(b, " %sNO MAXVALUE", set);
	if (id->start)
		fm_buf_printf(b, " %sSTART WITH %s", set, id->start);
	else if (alter)
		fm_buf_printf(b, " %sSTART WITH %s", set,
					  desc ? (id->maxvalue ? id->maxvalue : "-1")
					  : (id->minvalue ? id->minvalue : "1"));
	if (id->cycle || alter)
		fm_buf_printf(b, " %s%s", set, id->cycle ? "CYCLE" : "NO CYCLE");
	/* drop the first space */
	memmove(b->data + len0, b->data + len0 + 1, b->len - len0);
	b->len--;
	return true;
}

/*
 * fm_r_table_constraints
 *		Append t's primary key, unique constraints and CHECKs, as named
 *		constraints of a CREATE TABLE list, to b; items is how many elements
 *		the list has so far.  Returns how many it has after them.
 */
int
fm_r_table_constraints(const FmRender *r, FmBuf *b, const FmTable *t, int items)
{
	if (t->primary_key)
	{
		fm_buf_append(b, items++ ? ",\n    " : "\n    ");
		fm_buf_append(b, "CONSTRAINT ");
		fm_r_ident(r, b, t->primary_key->name);
		fm_buf_append(b, " PRIMARY KEY (");
		fm_r_name_list(r, b, &t->primary_key->columns);
		fm_buf_append(b, ")");
	}
	for (int i = 0; i < t->uniques.n; i++, items++)
	{
		FmKey	   *k = fm_list_get(&t->uniques, i, FmKey);

		fm_buf_append(b, items ? ",\n    " : "\n    ");
		fm_buf_append(b, "CONSTRAINT ");
		fm_r_ident(r, b, k->name);
		fm_buf_append(b, k->nulls_not_distinct ? " UNIQUE NULLS NOT DISTINCT (" : " UNIQUE (");
		fm_r_name_list(r, b, &k->columns);
		fm_buf_append(b, ")");
	}
	for (int i = 0; i < t->checks.n; i++, items++)
	{
		FmCheck    *c = fm_list_get(&t->checks, i, FmCheck);

		fm_buf_append(b, items ? ",\n    " : "\n    ");
		fm_buf_append(b, "CONSTRAINT ");
		fm_r_ident(r, b, c->name);
		fm_buf_printf(b, " CHECK (%s)", c->expr ? c->expr : "true");
	}
	return items;
}

/*
 * fm_r_create_table
 *		CREATE TABLE for t: its columns, then its primary key, unique
 *		constraints and CHECKs, all as named constraints.  Indexes, foreign
 *		keys and comments are separate statements (diff_table.c).
 */
char *
fm_r_create_table(const FmRender *r, const FmTable *t)
{
	FmBuf		b;
	int			items = 0;

	if (t->part_parent != NULL)
		return fm_r_create_partition(r, t);
	fm_buf_init(&b, r->arena);
	fm_buf_append(&b, t->unlogged ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ");
	fm_r_qname(r, &b, t->schema, t->name);
	fm_buf_append(&b, " (");
	for (int i = 0; i < t->columns.n; i++, items++)
	{
		fm_buf_append(&b, items ? ",\n    " : "\n    ");
		fm_r_column_def(r, &b, fm_list_get(&t->columns, i, FmColumn));
	}
	items = fm_r_table_constraints(r, &b, t, items);
	fm_buf_append(&b, items ? "\n)" : ")");
	fm_r_table_tail(r, &b, t);
	return fm_buf_finish(&b);
}

/* a storage parameter's value: a number or a boolean as is, else a literal */
static void
option_value(const FmRender *r, FmBuf *b, const char *value)
{
	const char *p = value;
	bool		plain = *p != '\0';

	if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
	{
		if (*p == '-')
			p++;
		plain = *p != '\0';
		for (; *p; p++)
			if (!((*p >= '0' && *p <= '9') || *p == '.'))
				plain = false;
	}
	if (plain)
		fm_buf_append(b, value);
	else
		fm_r_literal(r, b, value);
}

/*
 * fm_r_options
 *		Append storage options to b as "name = value, ..." (values false:
 *		the names only, for RESET).  Names are quoted identifiers; a value
 *		is written bare when it is a number, true or false, else as a
 *		literal (option_value).
 */
void
fm_r_options(const FmRender *r, FmBuf *b, const FmList *options, bool values)
{
	for (int i = 0; i < options->n; i++)
	{
		const FmOption *o = fm_list_get(options, i, FmOption);

		if (i > 0)
			fm_buf_append(b, ", ");
		fm_r_ident(r, b, o->name);
		if (values)
		{
			fm_buf_append(b, " = ");
			option_value(r, b, o->value);
		}
	}
}

/*
 * fm_r_create_index
 *		CREATE [UNIQUE] INDEX for ix on t: method, elements with collation,
 *		opclass, ordering and nulls order, INCLUDE, NULLS NOT DISTINCT, and
 *		the predicate as written.
 */
char *
fm_r_create_index(const FmRender *r, const FmTable *t, const FmIndex *ix)
{
	return fm_r_create_index_ex(r, t, ix, false);
}

/*
 * fm_r_create_index_ex
 *		fm_r_create_index, with CONCURRENTLY when concurrently is true (the
 *		online form).  The statement is allocated in r's arena.
 */
char *
fm_r_create_index_ex(const FmRender *r, const FmTable *t, const FmIndex *ix,
					 bool concurrently)
{
	FmBuf		b;

	fm_buf_init(&b, r->arena);
	fm_buf_append(&b, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	if (concurrently)
		fm_buf_append(&b, "CONCURRENTLY ");
	fm_r_ident(r, &b, ix->name);
	fm_buf_append(&b, " ON ");
	fm_r_qname(r, &b, t->schema, t->name);
	fm_buf_append(&b, " USING ");
	fm_r_ident(r, &b, ix->method ? ix->method : "btree");
	fm_buf_append(&b, " (");
	for (int i = 0; i < ix->elems.n; i++)
	{
		FmIndexElem *e = fm_list_get(&ix->elems, i, FmIndexElem);

		if (i > 0)
			fm_buf_append(&b, ", ");
		if (e->column)
			fm_r_ident(r, &b, e->column);
		else
			fm_buf_printf(&b, "(%s)", e->expr ? e->expr : "NULL");
		if (e->collation)
		{
			fm_buf_append(&b, " COLLATE ");
			fm_r_ident(r, &b, e->collation);
		}
		if (e->opclass)
		{
			fm_buf_append_char(&b, ' ');
			fm_r_qname(r, &b, e->opclass_schema, e->opclass);
		}
		if (e->sort == FM_SORT_DESC)
			fm_buf_append(&b, " DESC");
		else if (e->sort == FM_SORT_ASC)
			fm_buf_append(&b, " ASC");
		if (e->nulls == FM_NULLS_FIRST)
			fm_buf_append(&b, " NULLS FIRST");
		else if (e->nulls == FM_NULLS_LAST)
			fm_buf_append(&b, " NULLS LAST");
	}
	fm_buf_append(&b, ")");
	if (ix->include.n > 0)
	{
		fm_buf_append(&b, " INCLUDE (");
		fm_r_name_list(r, &b, &ix->include);
		fm_buf_append(&b, ")");
	}
	if (ix->nulls_not_distinct)
		fm_buf_append(&b, " NULLS NOT DISTINCT");
	if (ix->predicate)
		fm_buf_printf(&b, " WHERE %s", ix->predicate);
	fm_buf_append(&b, ";");
	return fm_buf_finish(&b);
}

/* SQL spelling of a referential action */
const char *
fm_r_fk_action(FmFkAction a)
{
	switch (a)
	{
		case FM_FK_RESTRICT:
			return "RESTRICT";
		case FM_FK_CASCADE:
			return "CASCADE";
		case FM_FK_SET_NULL:
			return "SET NULL";
		case FM_FK_SET_DEFAULT:
			return "SET DEFAULT";
		case FM_FK_NO_ACTION:
		default:
			return "NO ACTION";
	}
}

/* FOREIGN KEY (...) REFERENCES t (...) ON DELETE .. ON UPDATE .. [DEFERRABLE ..] */
void
fm_r_fk_body(const FmRender *r, FmBuf *b, const FmTable *t,
			 const FmForeignKey *fk)
{
	(void) t;
	fm_buf_append(b, "FOREIGN KEY (");
	fm_r_name_list(r, b, &fk->columns);
	fm_buf_append(b, ") REFERENCES ");
	fm_r_qname(r, b, fk->ref_schema, fk->ref_table);
	fm_buf_append(b, " (");
	fm_r_name_list(r, b, &fk->ref_columns);
	fm_buf_printf(b, ") ON DELETE %s ON UPDATE %s",
				  fm_r_fk_action(fk->on_delete), fm_r_fk_action(fk->on_update));
	if (fk->deferrable)
		fm_buf_append(b, fk->initially_deferred ?
					  " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE");
}

/*
 * fm_cat3
 *		x, y and z (each NULL: "") concatenated in one arena string: what
 *		fm_psprintf(arena, "%s%s%s", ...) gives, without the formatting,
 *		for the keys and object names the diff builds for every object.
 */
char *
fm_cat3(FmArena *arena, const char *x, const char *y, const char *z)
{
	return fm_concat(arena, x ? x : "", y ? y : "", z ? z : "");
}

/* "schema.name", or "name" when schema is NULL: unquoted, for FmStep.object */
char *
fm_object_name(FmArena *arena, const char *schema, const char *name)
{
	if (schema == NULL)
		return fm_strdup(arena, name ? name : "");
	return fm_cat3(arena, schema, ".", name);
}

/* ---------- hazards and the script ---------- */

/* the name of a hazard kind as plans print it: "drop_table", ... */
const char *
fm_hazard_name(FmHazardKind kind)
{
	switch (kind)
	{
		case FM_HAZARD_NONE:
			return "none";
		case FM_HAZARD_DROP_TABLE:
			return "drop_table";
		case FM_HAZARD_DROP_COLUMN:
			return "drop_column";
		case FM_HAZARD_SET_NOT_NULL:
			return "set_not_null";
		case FM_HAZARD_ADD_UNIQUE:
			return "add_unique";
		case FM_HAZARD_ALTER_TYPE:
			return "alter_type";
		case FM_HAZARD_ADD_REQUIRED_COLUMN:
			return "add_required_column";
		case FM_HAZARD_DROP_ENUM_VALUE:
			return "drop_enum_value";
		case FM_HAZARD_DROP_ENUM:
			return "drop_enum";
		case FM_HAZARD_ADD_CHECK:
			return "add_check";
		case FM_HAZARD_ADD_FOREIGN_KEY:
			return "add_foreign_key";
		case FM_HAZARD_REWRITE_TABLE:
			return "rewrite_table";
		case FM_HAZARD_SWITCH_IDENTITY:
			return "switch_identity";
		case FM_HAZARD_POSSIBLE_RENAME:
			return "possible_rename";
		case FM_HAZARD_DETACH_PARTITION:
			return "detach_partition";
		case FM_HAZARD_ATTACH_PARTITION:
			return "attach_partition";
		case FM_HAZARD_ADD_EXCLUSION:
			return "add_exclusion";
	}
	return "unknown";
}

/*
 * generic_hazard_detail
 *		A sentence describing the hazard of s when the backend gave no
 *		figures; names quoted by q as in the statements (schema.table,
 *		public."Post"), as the backend's figures quote them.
 */
static char *
generic_hazard_detail(FmArena *a, const FmQuoting *q, const FmStep *s)
{
	FmRender	r = {a, q ? q : &fm_default_quoting};
	FmBuf		ob;
	FmBuf		cb;
	const char *obj;
	const char *col;

	fm_buf_init(&ob, a);
	fm_buf_append(&ob, "");
	if (s->hazard_table)
		fm_r_qname(&r, &ob, s->hazard_schema, s->hazard_table);
	else
		fm_buf_append(&ob, s->object ? s->object : "");
	obj = ob.data;
	fm_buf_init(&cb, a);
	fm_buf_append(&cb, "");
	if (s->hazard_column)
		fm_r_ident(&r, &cb, s->hazard_column);
	col = cb.data;

	switch (s->hazard)
	{
		case FM_HAZARD_DROP_TABLE:
			return fm_psprintf(a, "dropping table %s deletes all of its rows.", obj);
		case FM_HAZARD_DROP_COLUMN:
			return fm_psprintf(a, "dropping column %s of table %s deletes its values.",
							   col, obj);
		case FM_HAZARD_SET_NOT_NULL:
			return fm_psprintf(a, "fails if column %s of table %s contains NULL values.",
							   col, obj);
		case FM_HAZARD_ADD_UNIQUE:
			return fm_psprintf(a, "fails if table %s contains duplicate values in (%s).",
							   obj, s->hazard_extra ? s->hazard_extra : col);
		case FM_HAZARD_ALTER_TYPE:
			return fm_psprintf(a, "changing the type of column %s of table %s to %s rewrites the table and fails if a value cannot be converted.",
							   col, obj, s->hazard_extra ? s->hazard_extra : "the new type");
		case FM_HAZARD_ADD_REQUIRED_COLUMN:
			return fm_psprintf(a, "adding required column %s without a default fails if table %s is not empty.",
							   col, obj);
		case FM_HAZARD_DROP_ENUM_VALUE:
			{
				const char *vals = s->hazard_extra ? s->hazard_extra : col;
				/* the labels are quoted literals joined by ", " */
				bool		one = vals == NULL || strstr(vals, "', ") == NULL;

				return fm_psprintf(a, one ? "removing value %s from enum %s fails if a row uses it." :
								   "removing values %s from enum %s fails if a row uses them.",
								   vals ? vals : "", obj);
			}
		case FM_HAZARD_DROP_ENUM:
			return fm_psprintf(a, "dropping enum %s fails if a column still uses it.", obj);
		case FM_HAZARD_ADD_CHECK:
			return fm_psprintf(a, "fails if rows of table %s violate CHECK (%s).",
							   obj, s->hazard_extra ? s->hazard_extra : "...");
		case FM_HAZARD_ADD_FOREIGN_KEY:
			return fm_psprintf(a, "fails if rows of table %s reference missing rows; locks both tables while validating.",
							   obj);
		case FM_HAZARD_REWRITE_TABLE:
			return fm_psprintf(a, "%s rewrites table %s under an ACCESS EXCLUSIVE lock.",
							   s->hazard_extra ? s->hazard_extra : "the statement", obj);
		case FM_HAZARD_SWITCH_IDENTITY:
			if (s->hazard_extra)
				return fm_psprintf(a, "column %s of table %s becomes an identity column; its values are kept, and new ones continue from sequence %s, which is then dropped.",
								   col, obj, s->hazard_extra);
			return fm_psprintf(a, "column %s of table %s becomes an identity column; its values are kept, and new ones start at the identity's START, which may repeat existing values.",
							   col, obj);
		case FM_HAZARD_POSSIBLE_RENAME:
			return fm_strdup(a, s->rename_hint ? s->rename_hint : "");
		case FM_HAZARD_DETACH_PARTITION:
			return fm_psprintf(a, "the rows of partition %s leave the view of table %s until it is attached again.",
							   obj, s->hazard_extra ? s->hazard_extra : "");
		case FM_HAZARD_ATTACH_PARTITION:
			if (s->kind == FM_STEP_CREATE_PARTITION)
				return fm_psprintf(a, "creating partition %s of table %s scans the default partition %s under an ACCESS EXCLUSIVE lock and fails if a row of it lies inside the new bound.",
								   s->object ? s->object : "", s->hazard_extra ? s->hazard_extra : "", obj);
			return fm_psprintf(a, "attaching partition %s to table %s scans it under an ACCESS EXCLUSIVE lock and fails if a row lies outside its bound.",
							   obj, s->hazard_extra ? s->hazard_extra : "");
		case FM_HAZARD_ADD_EXCLUSION:
			fm_buf_init(&cb, a);
			fm_buf_append(&cb, "");
			fm_r_ident(&r, &cb, s->hazard_extra ? s->hazard_extra : "");
			return fm_psprintf(a, "fails if rows of table %s conflict under exclusion constraint %s.",
							   obj, cb.data);
		case FM_HAZARD_NONE:
			break;
	}
	return fm_strdup(a, "");
}

/*
 * prefix, then text, with "-- " before every further line of it: the text
 * may hold names (a new line in a quoted identifier), and none of its
 * lines may end the comment.  A carriage return, which also ends an SQL
 * comment, is dropped.
 */
static void
append_comment_lines(FmBuf *b, const char *prefix, const char *text)
{
	const char *p = text;

	fm_buf_append(b, prefix);
	for (; *p; p++)
	{
		if (*p == '\n')
		{
			fm_buf_append(b, "\n-- ");
			continue;
		}
		if (*p == '\r')
			continue;
		fm_buf_append_char(b, *p);
	}
	fm_buf_append_char(b, '\n');
}

/*
 * fm_plan_to_script
 *		The whole script of plan: steps grouped under "-- <Action>" header
 *		lines (a new header whenever the action changes), each hazard as
 *		"-- HAZARD <kind>: <detail>" comment lines above its statement (the
 *		backend's figures, or a generic sentence).  An online plan's script
 *		sets lock_timeout before each statement and commits after each
 *		statement that runs in a transaction (but the last).  "" for an
 *		empty or NULL plan.
 */
char *
fm_plan_to_script(FmArena *arena, const FmPlan *plan)
{
	FmBuf		b;
	const char *prev = NULL;

	fm_buf_init(&b, arena);
	fm_buf_append(&b, "");
	if (plan == NULL)
		return b.data;
	if (plan->online && plan->steps.n > 0)
		fm_buf_append(&b, "-- Online plan: run it with CALL ferriorm_migrate(dir), which commits at\n"
					  "-- each COMMIT (no lock outlives its statement), runs each CONCURRENTLY\n"
					  "-- statement outside a transaction block and retries a statement that\n"
					  "-- times out waiting for a lock.\n\n");
	for (int i = 0; i < plan->steps.n; i++)
	{
		const FmStep *s = fm_list_get(&plan->steps, i, FmStep);

		if (prev == NULL || strcmp(prev, s->action) != 0)
		{
			if (prev != NULL)
				fm_buf_append_char(&b, '\n');
			fm_buf_printf(&b, "-- %s\n", s->action);
			prev = s->action;
		}
		if (plan->lock_comments)
		{
			char	   *lock = fm_step_lock_text(arena, s);
			const FmStepFacts *f = fm_step_facts(s->kind);

			/*
			 * a name may hold a new line: every line stays a comment.  On a
			 * table the plan creates, only the referenced table is locked,
			 * and what is scanned is the new, empty table: no remark.
			 */
			if (lock != NULL)
				append_comment_lines(&b, "-- LOCK ",
									 fm_psprintf(arena, "%s%s", lock,
												 s->lock_table == NULL ? "" :
												 f->rewrite ? " (rewrites the table)" :
												 f->scan ? " (scans the table)" : ""));
		}
		if (s->hazard != FM_HAZARD_NONE)
		{
			const char *detail = s->hazard_detail && s->hazard_detail[0] ?
				s->hazard_detail : generic_hazard_detail(arena, plan->quoting, s);
			char	   *prefix = fm_psprintf(arena, "-- HAZARD %s: ",
											 fm_hazard_name(s->hazard));

			append_comment_lines(&b, prefix, detail);
		}
		if (s->rename_hint != NULL && s->hazard != FM_HAZARD_POSSIBLE_RENAME)
			append_comment_lines(&b, "-- HAZARD possible_rename: ", s->rename_hint);
		if (plan->online && s->online_note != NULL)
			fm_buf_printf(&b, "-- ONLINE: %s\n", s->online_note);
		if (plan->online)
			fm_buf_printf(&b, "SET lock_timeout = '%dms';\n", plan->lock_timeout_ms);
		fm_buf_append(&b, s->ddl);
		fm_buf_append_char(&b, '\n');
		/*
		 * Online: each statement commits before the next one runs, so that
		 * the brief ACCESS EXCLUSIVE lock of a NOT VALID constraint is not
		 * held through the VALIDATE that follows (the procedure's commit
		 * point; a CONCURRENTLY statement commits on its own), but where a
		 * constraint dropped above is not yet added again (hold_commit).
		 */
		if (plan->online && !s->nontx && !s->hold_commit && i < plan->steps.n - 1)
			fm_buf_append(&b, "COMMIT;\n");
	}
	return fm_buf_finish(&b);
}
