/*-------------------------------------------------------------------------
 *
 * diff_rowtype.c
 *	  The order of tables whose row types are the types of other tables'
 *	  columns, or whose defaults read other tables' serial sequences.
 *
 * Every table has a composite type of its name, its row type, which a
 * column of another table may have (CREATE TABLE aa (z zz), or zz[]; the
 * text states it as Unsupported("zz")).  PostgreSQL then needs zz to exist
 * before aa is created ("type "zz" does not exist") and refuses to drop zz
 * while aa's column uses it.  Likewise a default nextval('zz_id_seq') of
 * the sequence of zz's serial or identity column (a table made LIKE zz
 * INCLUDING DEFAULTS, Evergreen's staging tables).  Tables are otherwise created and dropped in
 * name order, so the diff gives each table a row rank: 0 when none of its
 * columns has the row type of a table of the same model, else one more
 * than the highest rank of those tables.  Creations sort by it ascending,
 * drops descending (StepRec.rank).
 *
 * The ranks are layers of a topological sort (Kahn's algorithm): linear in
 * the tables and columns, without recursion however long a chain is.
 * Tables on a cycle, which PostgreSQL cannot make, keep rank 0.  The ranks
 * of a model are made on the first creation (or drop) of one of its
 * tables: a plan that creates and drops none pays nothing.
 *
 * src/core/diff_rowtype.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "diff_int.h"
#include "fm_sqlnames.h"

/* the key of pos under which a table is found by its name alone */
#define ANY_SCHEMA "\x01"

/*
 * The table of m (by position, through pos) whose row type the type text
 * sql of a column of table t names: "zz", "zz[]", "s.zz", "\"Zz\"[][]";
 * -1 when it names none (a built-in type, a type with a modifier, t
 * itself).  An unqualified name is looked up in t's schema, then among
 * the tables without a schema, then in m's schemas in their order (a
 * pull prints the type of a column of another managed schema's table
 * unqualified, as format_type() does on their search_path), then in any
 * schema (the first table of m of that name: a model may list no schemas).  A plain name (the common case: every
 * built-in type's) is looked up without allocating.
 */
static int
row_type_table(FmArena *a, const FmModel *m, const FmHashMap *pos,
			   const FmTable *t, const char *sql)
{
	size_t		len;
	char		buf[FM_MAX_IDENT_LEN + 1];
	const char *n;
	const int  *p = NULL;

	if (sql == NULL || strpbrk(sql, "( ") != NULL)
		return -1;
	len = strlen(sql);
	while (len >= 2 && sql[len - 2] == '[' && sql[len - 1] == ']')
		len -= 2;
	if (len == 0)
		return -1;
	if (memchr(sql, '"', len) == NULL && memchr(sql, '.', len) == NULL)
	{
		if (len > FM_MAX_IDENT_LEN)
			return -1;
		memcpy(buf, sql, len);
		buf[len] = '\0';
		n = buf;
	}
	else
	{
		FmList		parts = {0};

		if (fm_split_qualified_name(a, fm_strndup(a, sql, len), 2, &parts) != NULL)
			return -1;
		if (parts.n == 2)
		{
			p = fm_hash_get2(pos, fm_list_get(&parts, 0, char),
							 fm_list_get(&parts, 1, char));
			return p != NULL ? *p : -1;
		}
		n = fm_list_get(&parts, 0, char);
	}
	/* most often no table has the name: one lookup */
	if (fm_hash_get2(pos, ANY_SCHEMA, n) == NULL || fm_is_pg_catalog_type(n))
		return -1;
	p = fm_hash_get2(pos, t->schema, n);
	if (p == NULL && t->schema != NULL)
		p = fm_hash_get2(pos, NULL, n);
	for (int i = 0; p == NULL && i < m->schemas.n; i++)
		p = fm_hash_get2(pos, fm_list_get(&m->schemas, i, char), n);
	if (p == NULL)
		p = fm_hash_get2(pos, ANY_SCHEMA, n);
	return p != NULL ? *p : -1;
}

/* Could the type of column c be a table's row type (no enum, no serial)? */
static bool
may_be_row_type(const FmColumn *c)
{
	return c->type.kind != FM_TYPE_ENUM && c->type.sql != NULL &&
		c->autoinc == FM_AUTOINC_NONE;
}

/*
 * The table (position, through seqpos: the implicit sequences of serial
 * and identity columns by schema and name) whose sequence the default of
 * column c of table t reads with nextval() (the first such, inside a
 * larger expression too), or -1.  An unqualified name is
 * looked up in t's schema, then in any.
 */
static int
serial_seq_table(FmArena *a, const FmHashMap *seqpos, const FmTable *t,
				 const FmColumn *c)
{
	FmList		refs = {0};

	if (seqpos->n == 0 || c->autoinc != FM_AUTOINC_NONE || c->default_sql == NULL ||
		strstr(c->default_sql, "nextval(") == NULL ||
		fm_nextval_sequences(a, c->default_sql, &refs) == 0)
		return -1;
	for (int i = 0; i < refs.n; i++)
	{
		const FmSeqRef *ref = fm_list_get(&refs, i, FmSeqRef);
		const int  *p = fm_hash_get2(seqpos, ref->schema ? ref->schema : t->schema,
								  ref->name);

		if (p == NULL && ref->schema == NULL)
			p = fm_hash_get2(seqpos, ANY_SCHEMA, ref->name);
		if (p != NULL)
			return *p;
	}
	return -1;
}

/*
 * The row rank of every table of m that has one above 0, into ranks:
 * (schema, name) -> int *, allocated in d's arena; ranks is left empty
 * when no column of m has a table's row type.
 */
static void
row_ranks(Diff *d, const FmModel *m, FmHashMap *ranks)
{
	int			n = m ? m->tables.n : 0;
	FmHashMap	pos = {0};
	FmHashMap	seqpos = {0};
	int		   *posv,
			   *indeg,
			   *rank,
			   *queue,
			   *edge_start,
			   *edges,
			   *fill,
			   *pairs = NULL;
	int			nedges = 0,
				cappairs = 0,
				head = 0,
				tail = 0;

	memset(ranks, 0, sizeof(*ranks));
	if (n < 2)
		return;

	posv = fm_alloc(d->a, sizeof(int) * (size_t) n);
	fm_hash_reserve(d->a, &pos, 2 * (size_t) n);
	for (int i = 0; i < n; i++)
	{
		const FmTable *t = fm_list_get(&m->tables, i, FmTable);

		posv[i] = i;
		fm_hash_put2(d->a, &pos, t->schema, t->name, &posv[i]);
		if (fm_hash_get2(&pos, ANY_SCHEMA, t->name) == NULL)
			fm_hash_put2(d->a, &pos, ANY_SCHEMA, t->name, &posv[i]);
	}

	/* the implicit sequences of the serial and identity columns, by name */
	for (int i = 0; i < n; i++)
	{
		const FmTable *t = fm_list_get(&m->tables, i, FmTable);

		for (int k = 0; k < t->columns.n; k++)
		{
			const FmColumn *c = fm_list_get(&t->columns, k, FmColumn);
			char	   *seq;

			if (c->autoinc == FM_AUTOINC_NONE)
				continue;
			seq = fm_make_object_name(d->a, t->name, c->name, "seq");
			fm_hash_put2(d->a, &seqpos, t->schema, seq, &posv[i]);
			if (fm_hash_get2(&seqpos, ANY_SCHEMA, seq) == NULL)
				fm_hash_put2(d->a, &seqpos, ANY_SCHEMA, seq, &posv[i]);
		}
	}

	/*
	 * the edges u -> t (t's column has u's row type, or its default reads
	 * the sequence of u's serial or identity column: nextval() of a
	 * sequence that does not exist yet fails as a missing type does), found
	 * once as (u, t) pairs, then grouped by u (a counting sort)
	 */
	indeg = fm_alloc(d->a, sizeof(int) * (size_t) n);
	edge_start = fm_alloc(d->a, sizeof(int) * (size_t) (n + 1));
	memset(indeg, 0, sizeof(int) * (size_t) n);
	memset(edge_start, 0, sizeof(int) * (size_t) (n + 1));
	for (int i = 0; i < n; i++)
	{
		const FmTable *t = fm_list_get(&m->tables, i, FmTable);

		for (int k = 0; k < t->columns.n; k++)
		{
			const FmColumn *c = fm_list_get(&t->columns, k, FmColumn);
			int			u;

			if ((!may_be_row_type(c) ||
				 (u = row_type_table(d->a, m, &pos, t, c->type.sql)) < 0 || u == i) &&
				((u = serial_seq_table(d->a, &seqpos, t, c)) < 0 || u == i))
				continue;
			if (nedges == cappairs)
			{
				int		   *grown;

				cappairs = cappairs ? 2 * cappairs : 16;
				grown = fm_alloc(d->a, sizeof(int) * 2 * (size_t) cappairs);
				if (nedges > 0)
					memcpy(grown, pairs, sizeof(int) * 2 * (size_t) nedges);
				pairs = grown;
			}
			pairs[2 * nedges] = u;
			pairs[2 * nedges + 1] = i;
			nedges++;
			edge_start[u + 1]++;
			indeg[i]++;
		}
	}
	if (nedges == 0)
		return;
	for (int i = 0; i < n; i++)
		edge_start[i + 1] += edge_start[i];
	edges = fm_alloc(d->a, sizeof(int) * (size_t) nedges);
	fill = fm_alloc(d->a, sizeof(int) * (size_t) n);
	memcpy(fill, edge_start, sizeof(int) * (size_t) n);
	for (int e = 0; e < nedges; e++)
		edges[fill[pairs[2 * e]]++] = pairs[2 * e + 1];

	/* Kahn's layers: a table's rank is one more than its highest source's */
	rank = fm_alloc(d->a, sizeof(int) * (size_t) n);
	queue = fm_alloc(d->a, sizeof(int) * (size_t) n);
	memset(rank, 0, sizeof(int) * (size_t) n);
	for (int i = 0; i < n; i++)
		if (indeg[i] == 0)
			queue[tail++] = i;
	while (head < tail)
	{
		int			u = queue[head++];

		for (int e = edge_start[u]; e < edge_start[u + 1]; e++)
		{
			int			t = edges[e];

			if (rank[t] < rank[u] + 1)
				rank[t] = rank[u] + 1;
			if (--indeg[t] == 0)
				queue[tail++] = t;
		}
	}
	for (int i = 0; i < n; i++)
	{
		const FmTable *t = fm_list_get(&m->tables, i, FmTable);

		if (rank[i] > 0 && indeg[i] == 0)
			fm_hash_put2(d->a, ranks, t->schema, t->name, &rank[i]);
	}
}

/*
 * fmd_row_rank
 *		The row rank of table t of the target model (target) or of the live
 *		one: 0 when none of its columns has the row type of another table
 *		of the model.  The model's ranks are made on the first call.
 */
int
fmd_row_rank(Diff *d, bool target, const FmTable *t)
{
	FmHashMap  *ranks = target ? &d->row_ranks_to : &d->row_ranks_from;
	bool	   *made = target ? &d->row_ranks_to_made : &d->row_ranks_from_made;
	const int  *r;

	if (!*made)
	{
		row_ranks(d, target ? d->to : d->from, ranks);
		*made = true;
	}
	if (ranks->n == 0)
		return 0;
	r = fm_hash_get2(ranks, t->schema, t->name);
	return r ? *r : 0;
}
