/*-------------------------------------------------------------------------
 *
 * sequence.c
 *	  Standalone sequences in the schema model: the sequences that column
 *	  defaults read with nextval() and that no column owns.
 *
 * Schema text has no sequence block: a default
 * dbgenerated("nextval('s'::regclass)") states both the default and the
 * sequence s, which fm_model_derive_sequences() adds to the model, so that
 * a plan creates s before the table that reads it and drops it once no
 * default reads it.  A serial column's sequence (owned by the column) is
 * not standalone: it belongs to its column (FmColumn.seq_name, catalog).
 *
 * src/core/sequence.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_model.h"
#include "fm_sqlnames.h"

#include <ctype.h>
#include <string.h>

/*
 * A new standalone sequence schema.name of model m (copies in its arena).
 */
FmSequence *
fm_model_add_sequence(FmModel *m, const char *schema, const char *name)
{
	FmSequence *sq = fm_alloc(m->arena, sizeof(FmSequence));

	sq->schema = fm_strdup(m->arena, schema);
	sq->name = fm_strdup(m->arena, name);
	fm_list_append(m->arena, &m->sequences, sq);
	return sq;
}

/* The standalone sequence schema.name of m, or NULL. */
FmSequence *
fm_model_find_sequence(const FmModel *m, const char *schema, const char *name)
{
	for (int i = 0; i < m->sequences.n; i++)
	{
		FmSequence *sq = fm_list_get(&m->sequences, i, FmSequence);

		if (fm_streq(sq->schema, schema) && fm_streq(sq->name, name))
			return sq;
	}
	return NULL;
}

/*
 * qsort order of FmSequence pointers: by schema, then name (NULL first).
 */
int
fm_sequence_cmp(const void *a, const void *b)
{
	const FmSequence *x = *(const FmSequence *const *) a;
	const FmSequence *y = *(const FmSequence *const *) b;
	int			r = fm_strcmp_null(x->schema, y->schema);

	return r ? r : fm_strcmp_null(x->name, y->name);
}

/* skip white space */
static const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* match word (ASCII, case-insensitive) at p; return the end or NULL */
static const char *
match_word(const char *p, const char *word)
{
	size_t		n = strlen(word);

	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char) p[i]) != word[i])
			return NULL;
	if (isalnum((unsigned char) p[n]) || p[n] == '_')
		return NULL;
	return p + n;
}

/*
 * nextval_at
 *		Is there a call nextval('name'::regclass) at p (with an optional
 *		pg_catalog. prefix, blanks anywhere between tokens)?  Then set
 *		*schema (NULL when the literal is unqualified) and *name, split as a
 *		qualified name after reading the literal's doubled quotes, allocated
 *		in arena, and return the end of the call; else NULL.
 */
static const char *
nextval_at(FmArena *arena, const char *p, char **schema, char **name)
{
	FmBuf		lit;
	FmList		parts = {0};

	if (strncmp(p, "pg_catalog.", 11) == 0)
		p += 11;
	if ((p = match_word(p, "nextval")) == NULL)
		return NULL;
	p = skip_ws(p);
	if (*p++ != '(')
		return NULL;
	p = skip_ws(p);
	if (*p++ != '\'')
		return NULL;
	/* the literal, '' read as ' (standard-conforming strings) */
	fm_buf_init(&lit, arena);
	for (;;)
	{
		if (*p == '\0')
			return NULL;
		if (*p == '\'' && p[1] == '\'')
		{
			fm_buf_append_char(&lit, '\'');
			p += 2;
			continue;
		}
		if (*p == '\'')
			break;
		fm_buf_append_char(&lit, *p++);
	}
	p = skip_ws(p + 1);
	if (p[0] != ':' || p[1] != ':')
		return NULL;
	p = skip_ws(p + 2);
	if ((p = match_word(p, "regclass")) == NULL)
		return NULL;
	p = skip_ws(p);
	if (*p++ != ')')
		return NULL;
	if (fm_split_qualified_name(arena, lit.data, 2, &parts) != NULL)
		return NULL;
	if (parts.n == 2)
	{
		*schema = parts.items[0];
		*name = parts.items[1];
	}
	else
	{
		*schema = NULL;
		*name = parts.items[0];
	}
	return p;
}

/*
 * fm_nextval_sequence
 *		Is default expression expr exactly nextval('name'::regclass)
 *		(nextval_at, then nothing but blanks)?
 */
bool
fm_nextval_sequence(FmArena *arena, const char *expr, char **schema, char **name)
{
	const char *end;

	if (expr == NULL)
		return false;
	end = nextval_at(arena, skip_ws(expr), schema, name);
	return end != NULL && *skip_ws(end) == '\0';
}

/*
 * fm_nextval_sequences
 *		See fm_model.h.  A call is looked for where a word starts outside
 *		string literals and quoted identifiers (a name ending in nextval,
 *		or another schema's nextval, is not one).
 */
int
fm_nextval_sequences(FmArena *arena, const char *expr, FmList *out)
{
	int			found = 0;
	const char *p = expr;

	if (expr == NULL || strstr(expr, "nextval") == NULL)
		return 0;
	while (*p)
	{
		char		q = *p;
		const char *end;
		char	   *schema,
				   *name;
		FmSeqRef   *ref;

		if (q == '\'' || q == '"')
		{
			/* to the closing quote; a doubled one is part of the text */
			for (p++; *p; p++)
				if (*p == q && p[1] == q)
					p++;
				else if (*p == q)
					break;
			if (*p)
				p++;
			continue;
		}
		if (p > expr && (isalnum((unsigned char) p[-1]) || p[-1] == '_' ||
						 p[-1] == '.' || p[-1] == '$'))
		{
			p++;
			continue;
		}
		if ((end = nextval_at(arena, p, &schema, &name)) == NULL)
		{
			p++;
			continue;
		}
		ref = fm_alloc(arena, sizeof(FmSeqRef));
		ref->schema = schema;
		ref->name = name;
		fm_list_append(arena, out, ref);
		found++;
		p = end;
	}
	return found;
}

/*
 * Is (schema, name) the sequence that a serial or identity column of the
 * model owns?  Such a column (FM_AUTOINC_SERIAL, from the prisma dialect's
 * autoincrement(); an identity, the ferriorm dialect's) gets
 * <table>_<column>_seq, clipped as PostgreSQL clips it, in its table's
 * schema.  Introspection likewise never takes a sequence a stated serial
 * or identity column owns for a standalone one.
 */
static bool
owned_by_serial(FmModel *m, const char *schema, const char *name)
{
	for (int i = 0; i < m->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);

		if (!(schema == NULL || fm_streq(schema, t->schema)))
			continue;
		for (int j = 0; j < t->columns.n; j++)
		{
			FmColumn   *c = fm_list_get(&t->columns, j, FmColumn);

			if (c->autoinc != FM_AUTOINC_NONE &&
				fm_streq(name, fm_make_object_name(m->arena, t->name, c->name, "seq")))
				return true;
		}
	}
	return false;
}

/*
 * fm_model_derive_sequences
 *		Add to model m, as standalone sequences, those that column defaults
 *		read with nextval('...'::regclass), alone or inside a larger
 *		expression, and that are neither in the model yet nor owned by a
 *		serial column of the model.
 */
void
fm_model_derive_sequences(FmModel *m)
{
	for (int i = 0; i < m->tables.n; i++)
	{
		FmTable    *t = fm_list_get(&m->tables, i, FmTable);

		for (int j = 0; j < t->columns.n; j++)
		{
			FmColumn   *c = fm_list_get(&t->columns, j, FmColumn);
			FmList		refs = {0};

			if (c->autoinc != FM_AUTOINC_NONE ||
				fm_nextval_sequences(m->arena, c->default_sql, &refs) == 0)
				continue;
			for (int k = 0; k < refs.n; k++)
			{
				FmSeqRef   *ref = fm_list_get(&refs, k, FmSeqRef);
				FmSequence *sq;

				if (fm_model_find_sequence(m, ref->schema, ref->name) != NULL ||
					owned_by_serial(m, ref->schema, ref->name))
					continue;
				sq = fm_model_add_sequence(m, ref->schema, ref->name);
				sq->pos = c->pos;
			}
		}
	}
}

/* the bounds of an identity column's type: smallint, integer, else bigint */
static void
type_bounds(const char *type, const char **lo, const char **hi)
{
	if (fm_streq(type, "smallint"))
	{
		*lo = "-32768";
		*hi = "32767";
	}
	else if (fm_streq(type, "integer"))
	{
		*lo = "-2147483648";
		*hi = "2147483647";
	}
	else
	{
		*lo = "-9223372036854775808";
		*hi = "9223372036854775807";
	}
}

/* s, or NULL when it is the default dflt */
static char *
unless_default(char *s, const char *dflt)
{
	return s != NULL && strcmp(s, dflt) == 0 ? NULL : s;
}

/*
 * fm_identity_normalize
 *		Clear the options of identity id that equal PostgreSQL's defaults
 *		for a column of type (start at minvalue, or at maxvalue when
 *		descending; increment 1; minvalue 1 or the type's minimum when
 *		descending; maxvalue the type's maximum or -1), so that a stated
 *		default and an omitted one compare equal.
 */
void
fm_identity_normalize(FmIdentity *id, const char *type)
{
	const char *lo,
			   *hi;
	bool		desc = id->increment != NULL && id->increment[0] == '-';
	const char *dmin,
			   *dmax;
	const char *emin,
			   *emax;

	type_bounds(type, &lo, &hi);
	dmin = desc ? lo : "1";
	dmax = desc ? "-1" : hi;
	emin = id->minvalue ? id->minvalue : dmin;
	emax = id->maxvalue ? id->maxvalue : dmax;
	id->start = unless_default(id->start, desc ? emax : emin);
	id->increment = unless_default(id->increment, "1");
	id->minvalue = unless_default(id->minvalue, dmin);
	id->maxvalue = unless_default(id->maxvalue, dmax);
}
