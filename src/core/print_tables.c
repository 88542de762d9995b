/*-------------------------------------------------------------------------
 *
 * print_tables.c
 *	  Printing (model -> schema text) of what issue 14 added to tables, in
 *	  the ferriorm dialect: @identity (an identity's generation and
 *	  options), @collate, @generated, @@unlogged and @@storage.  The prisma
 *	  dialect cannot state them; its plans keep them (keep_unstated), so
 *	  only a "//" note says what a table leaves out there.  Standalone
 *	  sequences need nothing: their nextval() defaults state them.  Also
 *	  the comment lines above a block: those notes, in either dialect, of
 *	  what no text states (fm_p_unmanaged), and doc comments
 *	  (fm_p_doc_lines).
 *
 * src/core/print_tables.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_renamed.h"
#include "print_int.h"

#include <string.h>

/* A number value with the text as written. */
static FmAstValue *
number(PState *ps, const char *text)
{
	FmAstValue *v = fm_p_ident(ps, text);

	v->kind = FM_VAL_NUMBER;
	return v;
}

/* Add "name: value" (a number) to at's arguments when value is set. */
static void
num_arg(PState *ps, FmAstAttribute *at, const char *name, const char *value)
{
	if (value != NULL)
	{
		at->has_parens = true;
		fm_p_arg(ps, &at->args, name, number(ps, value));
	}
}

/*
 * fm_p_column_extras
 *		Add to field fld the ferriorm-dialect attributes of column c:
 *		@identity(...) when the identity has options set (always, start,
 *		increment, bounds, cycle), or is in a lineage (lineage: where
 *		autoincrement() alone makes a serial, fmv_lineage_serials),
 *		@collate(...), @generated("expr").  Nothing in the prisma dialect,
 *		which cannot state them.
 */
void
fm_p_column_extras(PState *ps, const FmColumn *c, bool lineage, FmAstField *fld)
{
	if (ps->nm->kind == FM_DIALECT_PRISMA)
		return;
	if (FM_COL_MORE(c)->identity != NULL &&
		(FM_COL_MORE(c)->identity->always || FM_COL_MORE(c)->identity->start || FM_COL_MORE(c)->identity->increment ||
		 FM_COL_MORE(c)->identity->minvalue || FM_COL_MORE(c)->identity->maxvalue || FM_COL_MORE(c)->identity->cycle))
	{
		FmAstAttribute *at = fm_p_attr(ps, "identity", false);

		if (FM_COL_MORE(c)->identity->always)
		{
			at->has_parens = true;
			fm_p_arg(ps, &at->args, "always", fm_p_ident(ps, "true"));
		}
		num_arg(ps, at, "start", FM_COL_MORE(c)->identity->start);
		num_arg(ps, at, "increment", FM_COL_MORE(c)->identity->increment);
		num_arg(ps, at, "minValue", FM_COL_MORE(c)->identity->minvalue);
		num_arg(ps, at, "maxValue", FM_COL_MORE(c)->identity->maxvalue);
		if (FM_COL_MORE(c)->identity->cycle)
		{
			at->has_parens = true;
			fm_p_arg(ps, &at->args, "cycle", fm_p_ident(ps, "true"));
		}
		fm_list_append(ps->a, &fld->attrs, at);
	}
	else if (lineage && (c->autoinc == FM_AUTOINC_IDENTITY_BY_DEFAULT ||
						 c->autoinc == FM_AUTOINC_IDENTITY_ALWAYS))
		fm_list_append(ps->a, &fld->attrs, fm_p_attr(ps, "identity", false));
	if (FM_COL_MORE(c)->collation != NULL)
	{
		FmAstAttribute *at = fm_p_attr(ps, "collate", false);

		at->has_parens = true;
		fm_p_arg(ps, &at->args, NULL, fm_p_str(ps, FM_COL_MORE(c)->collation));
		if (FM_COL_MORE(c)->collation_schema != NULL &&
			strcmp(FM_COL_MORE(c)->collation_schema, "pg_catalog") != 0)
			fm_p_arg(ps, &at->args, "schema", fm_p_str(ps, FM_COL_MORE(c)->collation_schema));
		fm_list_append(ps->a, &fld->attrs, at);
	}
	if (FM_COL_MORE(c)->generated != NULL)
	{
		FmAstAttribute *at = fm_p_attr(ps, "generated", false);

		at->has_parens = true;
		fm_p_arg(ps, &at->args, NULL, fm_p_str(ps, fm_p_sql_text(ps, FM_COL_MORE(c)->generated)));
		fm_list_append(ps->a, &fld->attrs, at);
	}
}

/*
 * fm_p_table_extras
 *		Add to block b the ferriorm-dialect block attributes of table t:
 *		its lineage (print_partition.c), @@unlogged and @@storage(option:
 *		value, ...).  Nothing in the prisma dialect.
 */
void
fm_p_table_extras(PState *ps, const FmTable *t, FmAstBlock *b)
{
	fm_p_table_lineage(ps, t, b);
	if (ps->nm->kind == FM_DIALECT_PRISMA)
		return;
	/* a partitioned table cannot state it (noted: fm_p_unmanaged) */
	if (t->unlogged && t->partition_by == NULL)
		fm_p_block_attr(ps, b, fm_p_attr(ps, "unlogged", true));
	if (t->storage.n > 0)
	{
		FmAstAttribute *at = fm_p_attr(ps, "storage", true);

		at->has_parens = true;
		for (int i = 0; i < t->storage.n; i++)
		{
			const FmOption *o = fm_list_get(&t->storage, i, FmOption);
			bool		isbool = strcmp(o->name, "autovacuum_enabled") == 0;

			fm_p_arg(ps, &at->args, o->name,
					 isbool ? fm_p_ident(ps, (strcmp(o->value, "true") == 0 ||
											  strcmp(o->value, "on") == 0) ? "true" : "false")
					 : number(ps, o->value));
		}
		fm_p_block_attr(ps, b, at);
	}
}

/* the beginning of the prisma dialect's notes of what a table leaves out */
const char *const fm_p_unstated_prefix = "not stated in the prisma dialect, kept by plans:";
/* ... and of the ferriorm dialect's (fm_p_unmanaged alone) */
const char *const fm_p_unstated_prefix_ferriorm = "not stated in the ferriorm dialect, kept by plans:";

/*
 * Add to leading the note "// <prefix> what" (see below), with the prefix
 * of the dialect printed.  what names database objects, whose names may
 * hold any character: a line feed or carriage return (which end a comment
 * line, for ferriorm and Prisma) is written \n or \r, so that no name can
 * end the note and add a line of schema text.
 */
static void
note(PState *ps, FmList *leading, const char *what)
{
	FmBuf		b;

	fm_buf_init(&b, ps->a);
	fm_buf_printf(&b, "// %s ", P_PRISMA(ps) ? fm_p_unstated_prefix :
				  fm_p_unstated_prefix_ferriorm);
	for (const char *p = what; *p; p++)
	{
		if (*p == '\n')
			fm_buf_append(&b, "\\n");
		else if (*p == '\r')
			fm_buf_append(&b, "\\r");
		else
			fm_buf_append_char(&b, *p);
	}
	fm_list_append(ps->a, leading, b.data);
}

/*
 * note_sequence_name
 *		Note on leading that column c's sequence (of its serial or
 *		identity), seq_schema.seq_name, is not the one a database built
 *		from the text has (<table>_<column>_seq in the table's schema):
 *		code that names the sequence (nextval('...'), GRANTs) would miss it
 *		there.  Nothing when seq_name is NULL or the expected one.
 */
static void
note_sequence_name(PState *ps, FmList *leading, const FmTable *t,
				   const FmColumn *c, const char *seq_schema, const char *seq_name)
{
	const char *dflt;
	bool		moved;

	if (seq_name == NULL)
		return;
	dflt = fm_make_object_name(ps->a, t->name, c->name, "seq");
	moved = seq_schema != NULL && t->schema != NULL && strcmp(seq_schema, t->schema) != 0;
	if (moved || strcmp(seq_name, dflt) != 0)
		note(ps, leading, fm_psprintf(ps->a, "the sequence of column \"%s\" is %s%s%s\"%s\", where a database built from the text has \"%s\"",
									  c->name, moved ? "\"" : "", moved ? seq_schema : "",
									  moved ? "\"." : "", seq_name, dflt));
}

/* "the table has 1 trigger", "the table has 2 triggers" */
static const char *
table_has(PState *ps, int n, const char *one, const char *many)
{
	return fm_psprintf(ps->a, "the table has %d %s", n, n == 1 ? one : many);
}

/*
 * Note on leading each standalone sequence of ps's model that the default
 * of column c of t reads with nextval() (alone or inside a larger
 * expression) when it has options no text states.
 */
static void
note_default_sequences(PState *ps, FmList *leading, const FmTable *t, const FmColumn *c)
{
	FmList		refs = {0};

	if (ps->m->sequences.n == 0 || c->default_sql == NULL ||
		fm_nextval_sequences(ps->a, c->default_sql, &refs) == 0)
		return;
	for (int i = 0; i < refs.n; i++)
	{
		const FmSeqRef *ref = fm_list_get(&refs, i, FmSeqRef);
		const FmSequence *sq = fm_model_find_sequence(ps->m, ref->schema ? ref->schema : t->schema,
													  ref->name);

		if (sq != NULL && sq->options != NULL)
			note(ps, leading, fm_psprintf(ps->a, "the sequence \"%s\" that the default of column \"%s\" reads has %s",
										  sq->name, c->name, sq->options));
	}
}

/*
 * fm_p_unmanaged
 *		Add to leading, in either dialect, a "//" note for each thing of
 *		table t that no schema text states and plans never touch (FmTable:
 *		read by pull alone): row level security, its policies, triggers and
 *		rules, physical settings (FmTable.physical: the access method, a
 *		column's STORAGE, COMPRESSION, STATISTICS), foreign keys and CHECKs
 *		that are NOT VALID (a plan that
 *		changes one adds it validated), and the options of the sequences
 *		its columns read (a serial's, an identity's CACHE, a standalone
 *		one's).  A database built from the text lacks them, which a reader
 *		would not otherwise know (Prisma's own pull notes row level security
 *		too).  A re-pull drops the previous text's notes and prints them
 *		afresh, as for fm_p_prisma_unstated.
 */
void
fm_p_unmanaged(PState *ps, const FmTable *t, FmList *leading)
{
	if (t->row_security || t->force_row_security)
		note(ps, leading, !t->row_security ? "row level security is forced (FORCE ROW LEVEL SECURITY) but not enabled" :
			 t->force_row_security ? "row level security is enabled and forced (FORCE ROW LEVEL SECURITY)" :
			 "row level security is enabled");
	if (t->npolicies > 0)
		note(ps, leading, table_has(ps, t->npolicies, "row security policy",
									"row security policies"));
	if (t->ntriggers > 0)
		note(ps, leading, table_has(ps, t->ntriggers, "trigger", "triggers"));
	if (t->nrules > 0)
		note(ps, leading, table_has(ps, t->nrules, "rule", "rules"));
	for (int i = 0; i < t->physical.n; i++)
		note(ps, leading, fm_list_get(&t->physical, i, char));
	/* the prisma dialect's notes say UNLOGGED already (fm_p_prisma_unstated) */
	if (t->unlogged && t->partition_by != NULL && !P_PRISMA(ps))
		note(ps, leading, "the partitioned table is UNLOGGED (its partitions are not, unless each is; PostgreSQL 18 has no unlogged partitioned tables)");
	for (int i = 0; i < t->foreign_keys.n; i++)
	{
		const FmForeignKey *fk = fm_list_get(&t->foreign_keys, i, FmForeignKey);

		if (fk->not_valid)
			note(ps, leading, fm_psprintf(ps->a, "the foreign key \"%s\" is NOT VALID", fk->name));
	}
	for (int i = 0; i < t->checks.n; i++)
	{
		const FmCheck *ck = fm_list_get(&t->checks, i, FmCheck);

		/* the prisma dialect's note of an unstated CHECK says it already */
		if (ck->not_valid && (!P_PRISMA(ps) || fm_p_states_checks(ps, t)))
			note(ps, leading, fm_psprintf(ps->a, "the CHECK constraint \"%s\" is NOT VALID", ck->name));
	}
	for (int i = 0; i < t->columns.n; i++)
	{
		const FmColumn *c = fm_list_get(&t->columns, i, FmColumn);

		/*
		 * a serial's sequence renamed (with its table, say) or moved; an
		 * identity's named otherwise (SEQUENCE NAME, or its table renamed)
		 */
		if (c->more != NULL)
			note_sequence_name(ps, leading, t, c,
							   c->autoinc == FM_AUTOINC_SERIAL ? c->more->seq_schema :
							   c->more->identity ? c->more->identity->seq_schema : NULL,
							   c->autoinc == FM_AUTOINC_SERIAL ? c->more->seq_name :
							   c->more->identity ? c->more->identity->seq_name : NULL);
		if (c->more != NULL && c->more->seq_options != NULL)
			note(ps, leading, c->autoinc == FM_AUTOINC_SERIAL ?
				 fm_psprintf(ps->a, "the sequence \"%s\" of column \"%s\" has %s",
							 c->more->seq_name, c->name, c->more->seq_options) :
				 fm_psprintf(ps->a, "the identity of column \"%s\" has %s",
							 c->name, c->more->seq_options));
		note_default_sequences(ps, leading, t, c);
		/*
		 * a domain (Unsupported("<domain>")): the text names it, cannot
		 * create it (the prisma dialect notes it among what it leaves out)
		 */
		if (!P_PRISMA(ps) && FM_COL_MORE(c)->domain_base != NULL &&
			c->type.kind == FM_TYPE_BUILTIN && c->type.sql != NULL)
			note(ps, leading, fm_psprintf(ps->a, "the column \"%s\" is of the domain %s, which a database built from the text must have first",
										  c->name, c->type.sql));
	}
}

/* "GENERATED ALWAYS, START 7, INCREMENT 2, ..." of what identity id states */
static const char *
identity_text(PState *ps, const FmIdentity *id)
{
	FmBuf		b;

	fm_buf_init(&b, ps->a);
	fm_buf_append(&b, "");
	if (id->always)
		fm_buf_append(&b, ", GENERATED ALWAYS");
	if (id->start)
		fm_buf_printf(&b, ", START %s", id->start);
	if (id->increment)
		fm_buf_printf(&b, ", INCREMENT %s", id->increment);
	if (id->minvalue)
		fm_buf_printf(&b, ", MINVALUE %s", id->minvalue);
	if (id->maxvalue)
		fm_buf_printf(&b, ", MAXVALUE %s", id->maxvalue);
	if (id->cycle)
		fm_buf_append(&b, ", CYCLE");
	return b.data + 2;
}

/*
 * fm_p_prisma_unstated
 *		In the prisma dialect, add to leading a "//" line for each thing
 *		of table t that the text leaves out and plans keep (keep_unstated,
 *		fm_model_keep_lineage): partitioning (its partitions are not
 *		printed), inheritance, UNLOGGED, storage parameters, exclusion
 *		constraints, CHECK constraints (unless the previous text stated
 *		them: fm_p_states_checks), NOT NULL on lists, and columns that are
 *		generated, have a collation or an identity's options, index
 *		elements with a collation, and unique index elements with an
 *		operator class (printed as a plain @unique, as Prisma does).  Without them
 *		a reader would not know, and a database built from the text lacks
 *		them.  A re-pull drops these
 *		lines from the previous text (they begin with fm_p_unstated_prefix)
 *		and prints them afresh.  Nothing in the ferriorm dialect, which
 *		states them all.
 */
void
fm_p_prisma_unstated(PState *ps, const FmTable *t, FmList *leading)
{
	if (ps->nm->kind != FM_DIALECT_PRISMA)
		return;
	if (t->partition_by != NULL)
		note(ps, leading, fm_psprintf(ps->a, "the table is partitioned by %s; its partitions are not printed",
									  t->partition_by->strategy));
	for (int i = 0; i < t->inherits.n; i++)
	{
		const FmTableRef *ref = fm_list_get(&t->inherits, i, FmTableRef);

		note(ps, leading, fm_psprintf(ps->a, "the table inherits from %s%s%s",
									  ref->schema ? ref->schema : "", ref->schema ? "." : "",
									  ref->name));
	}
	if (t->unlogged)
		note(ps, leading, "the table is UNLOGGED");
	if (t->storage.n > 0)
		note(ps, leading, "the table has storage parameters");
	for (int i = 0; i < t->exclusions.n; i++)
		note(ps, leading, fm_psprintf(ps->a, "the exclusion constraint \"%s\"",
									  fm_list_get(&t->exclusions, i, FmExclusion)->name));
	for (int i = 0, n = fm_p_states_checks(ps, t) ? 0 : t->checks.n; i < n; i++)
	{
		const FmCheck *ck = fm_list_get(&t->checks, i, FmCheck);

		note(ps, leading, fm_psprintf(ps->a, "the CHECK constraint \"%s\"%s", ck->name,
									  ck->not_valid ? ", NOT VALID" : ""));
	}
	for (int i = 0; i < t->columns.n; i++)
	{
		const FmColumn *c = fm_list_get(&t->columns, i, FmColumn);
		const FmIdentity *id = FM_COL_MORE(c)->identity;

		if (FM_COL_MORE(c)->generated != NULL)
			note(ps, leading, fm_psprintf(ps->a, "the column \"%s\" is generated", c->name));
		if (FM_COL_MORE(c)->domain_base != NULL || c->notnull)
		{
			PFieldType	ft = fm_p_field_type(ps, c);

			if (ft.domain)
				note(ps, leading, fm_psprintf(ps->a, "the column \"%s\" is of the domain %s",
											  c->name, c->type.sql));
			if (c->notnull && ft.list && ft.reason == NULL)
				note(ps, leading, fm_psprintf(ps->a, "the list column \"%s\" is NOT NULL", c->name));
		}
		if (FM_COL_MORE(c)->collation != NULL)
			note(ps, leading, fm_psprintf(ps->a, "the column \"%s\" has the collation \"%s\"",
										  c->name, FM_COL_MORE(c)->collation));
		if (id != NULL && (id->always || id->start || id->increment ||
						   id->minvalue || id->maxvalue || id->cycle))
			note(ps, leading, fm_psprintf(ps->a, "the identity column \"%s\" has %s",
										  c->name, identity_text(ps, id)));
	}
	/* an index element's COLLATE (its plans compare no collations) */
	for (int i = 0; i < t->indexes.n; i++)
	{
		const FmIndex *ix = fm_list_get(&t->indexes, i, FmIndex);

		for (int k = 0; k < ix->elems.n; k++)
		{
			const FmIndexElem *e = fm_list_get(&ix->elems, k, FmIndexElem);

			if (e->collation != NULL && e->column != NULL)
				note(ps, leading, fm_psprintf(ps->a, "the index \"%s\" has the collation %s\"%s\" on \"%s\"",
											  ix->name,
											  e->collation_schema ?
											  fm_psprintf(ps->a, "\"%s\".", e->collation_schema) : "",
											  e->collation, e->column));
			/* a unique one is stated without it, as Prisma's pull states it */
			if (ix->unique && e->opclass != NULL && e->column != NULL)
				note(ps, leading, fm_psprintf(ps->a, "the unique index \"%s\" has the operator class %s on \"%s\"",
											  ix->name, e->opclass, e->column));
		}
	}
}

/* ---------- doc comments ---------- */

/*
 * Can a doc comment say this comment exactly?  The lexer ends a comment
 * line at a line feed and keeps every other character, and a doc comment
 * drops the blanks that end each of its lines (fm_rtrim_len: space, tab,
 * carriage return, vertical tab, form feed).  A carriage return is refused
 * anywhere: Prisma ends a line at one.  Other control characters are said
 * as they are, as Prisma's formatter keeps them.
 */
bool
fm_p_doc_ok(const char *doc)
{
	for (const char *p = doc; p && *p; p++)
	{
		if (*p == '\r')
			return false;
		if ((*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f') &&
			(p[1] == '\n' || p[1] == '\0'))
			return false;
	}
	return true;
}

/*
 * "/// line" for every line of a doc comment, after other comment lines;
 * one that reads as an annotation escaped (fm_doc_escape_line)
 */
void
fm_p_doc_lines(PState *ps, FmList *leading, const char *doc)
{
	const char *p = doc;

	if (doc == NULL)
		return;
	for (;;)
	{
		const char *nl = strchr(p, '\n');
		size_t		len = nl ? (size_t) (nl - p) : strlen(p);

		size_t		at;

		/* a line that would read back as an annotation gets a backslash */
		if (fm_doc_escape_line(p, len, &at))
			fm_list_append(ps->a, leading,
						   fm_psprintf(ps->a, "/// %.*s\\%.*s", (int) at, p, (int) (len - at), p + at));
		else
			fm_list_append(ps->a, leading,
						   len ? fm_psprintf(ps->a, "/// %.*s", (int) len, p) : fm_strdup(ps->a, "///"));
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}
