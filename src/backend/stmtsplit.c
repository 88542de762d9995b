/*-------------------------------------------------------------------------
 *
 * stmtsplit.c
 *	  Splitting migration SQL into statements with the server's own raw
 *	  parser, mapping statements to file line numbers, refusing statements
 *	  that cannot run inside a transaction block, and executing statements
 *	  one by one so that an error can name the migration and the line.
 *
 * Using raw_parser() rather than a home-made splitter means dollar quotes,
 * nested comments, E'' strings and standard_conforming_strings are handled
 * exactly as the server handles them.
 *
 * src/backend/stmtsplit.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "commands/defrem.h"
#include "executor/spi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/memutils.h"

#include "deploy.h"

/*
 * fm_sql_body_offset
 *		Byte offset where the SQL text starts: a UTF-8 byte-order mark is
 *		skipped (it is part of the checksum, not of the SQL).
 */
int
fm_sql_body_offset(const char *sql, int len)
{
	if (len >= 3 && GetDatabaseEncoding() == PG_UTF8 &&
		(unsigned char) sql[0] == 0xEF && (unsigned char) sql[1] == 0xBB &&
		(unsigned char) sql[2] == 0xBF)
		return 3;
	return 0;
}

/* count newlines in s[from, to) */
static int
count_newlines(const char *s, int from, int to)
{
	int			n = 0;

	for (int i = from; i < to && s[i]; i++)
		if (s[i] == '\n')
			n++;
	return n;
}

int
fm_line_at_byte(const char *sql, int byteoff)
{
	return 1 + count_newlines(sql, 0, byteoff);
}

/*
 * fm_byte_at_char
 *		Byte offset of the charpos'th (0-based) character of sql, clamped to
 *		the end of the string.  Error positions are counted in characters.
 */
int
fm_byte_at_char(const char *sql, int charpos)
{
	int			off = 0;

	for (int i = 0; i < charpos && sql[off]; i++)
		off += pg_mblen(sql + off);
	return off;
}

/*
 * skip_space_and_comments
 *		Offset of the first token at or after off (raw statements start right
 *		after the previous semicolon, comments included).
 */
static int
skip_space_and_comments(const char *s, int off, int end)
{
	while (off < end)
	{
		char		c = s[off];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
			c == '\v')
			off++;
		else if (c == '-' && off + 1 < end && s[off + 1] == '-')
		{
			while (off < end && s[off] != '\n')
				off++;
		}
		else if (c == '/' && off + 1 < end && s[off + 1] == '*')
		{
			int			depth = 1;

			off += 2;
			while (off < end && depth > 0)
			{
				if (s[off] == '/' && off + 1 < end && s[off + 1] == '*')
				{
					depth++;
					off += 2;
				}
				else if (s[off] == '*' && off + 1 < end && s[off + 1] == '/')
				{
					depth--;
					off += 2;
				}
				else
					off++;
			}
		}
		else
			break;
	}
	return off;
}

/*
 * fm_rethrow_in_migration
 *		Re-throw a copied error with the migration name and file line put in
 *		front of the server's message; SQLSTATE, detail, hint and context are
 *		kept.  A cursor position (it would point into the caller's query)
 *		is dropped: the line number replaces it.
 */
void
fm_rethrow_in_migration(ErrorData *edata, const char *migname, int line)
{
	edata->message = psprintf("migration \"%s\" failed at line %d: %s",
							  migname, line,
							  edata->message ? edata->message : "");
	edata->cursorpos = 0;
	ReThrowError(edata);
}

/*
 * fm_split_statements
 *		Parse the whole migration and return its statements as a List of
 *		FmStmt with absolute byte offsets and line numbers.  A syntax error
 *		is reported with the migration name and line.
 */
List *
fm_split_statements(const char *migname, const char *sql)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	int			body = fm_sql_body_offset(sql, strlen(sql));
	int			total = strlen(sql);
	List	   *raw = NIL;
	List	   *result = NIL;
	ListCell   *lc;
	int			pos = 0;
	int			line = 1;

	PG_TRY();
	{
#if PG_VERSION_NUM >= 140000
		raw = raw_parser(sql + body, RAW_PARSE_DEFAULT);
#else
		raw = raw_parser(sql + body);
#endif
	}
	PG_CATCH();
	{
		ErrorData  *edata;
		int			errline = 1;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		if (edata->cursorpos > 0)
			errline = fm_line_at_byte(sql, body +
									  fm_byte_at_char(sql + body,
													  edata->cursorpos - 1));
		fm_rethrow_in_migration(edata, migname, errline);
	}
	PG_END_TRY();

	foreach(lc, raw)
	{
		RawStmt    *rs = lfirst_node(RawStmt, lc);
		FmStmt	   *st = palloc0(sizeof(FmStmt));

		st->location = body + rs->stmt_location;
		st->len = rs->stmt_len > 0 ? rs->stmt_len : total - st->location;
		st->first = skip_space_and_comments(sql, st->location,
											st->location + st->len);
		/* lines are counted incrementally: statements come in file order */
		line += count_newlines(sql, pos, st->first);
		pos = st->first;
		st->line = line;
		st->parsetree = rs->stmt;
		result = lappend(result, st);
	}
	return result;
}

/*
 * fm_stmt_summary
 *		The beginning of a statement, on one line, for messages.
 */
char *
fm_stmt_summary(const char *sql, const FmStmt *stmt)
{
	int			end = stmt->location + stmt->len;
	int			n = end - stmt->first;
	char	   *s;
	int			clip;

	clip = pg_mbcliplen(sql + stmt->first, n, 80);
	s = pnstrdup(sql + stmt->first, clip);
	/* one line, runs of white space collapsed */
	{
		char	   *w = s;
		bool		space = false;

		for (char *p = s; *p; p++)
		{
			if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ')
			{
				if (!space)
					*w++ = ' ';
				space = true;
			}
			else
			{
				*w++ = *p;
				space = false;
			}
		}
		*w = '\0';
	}
	if (clip < n)
		return psprintf("%s...", s);
	return s;
}

/* is boolean option "name" present in a DefElem list and false? */
static bool
option_is_false(List *options, const char *name)
{
	ListCell   *lc;

	foreach(lc, options)
	{
		DefElem    *d = lfirst_node(DefElem, lc);

		if (strcmp(d->defname, name) == 0)
			return !defGetBoolean(d);
	}
	return false;
}

static bool
option_is_true(List *options, const char *name)
{
	ListCell   *lc;

	foreach(lc, options)
	{
		DefElem    *d = lfirst_node(DefElem, lc);

		if (strcmp(d->defname, name) == 0)
			return defGetBoolean(d);
	}
	return false;
}

/*
 * non_transactional
 *		Name of the command if the statement cannot run inside a transaction
 *		block (the server calls PreventInTransactionBlock for it), else NULL.
 *		Decided from the raw parse tree only, conservatively for
 *		subscriptions.
 */
static const char *
non_transactional(Node *n)
{
	switch (nodeTag(n))
	{
		case T_IndexStmt:
			return ((IndexStmt *) n)->concurrent ? "CREATE INDEX CONCURRENTLY" : NULL;
		case T_DropStmt:
			return ((DropStmt *) n)->concurrent ? "DROP INDEX CONCURRENTLY" : NULL;
		case T_ReindexStmt:
			{
				ReindexStmt *r = (ReindexStmt *) n;

#if PG_VERSION_NUM >= 140000
				if (option_is_true(r->params, "concurrently"))
					return "REINDEX CONCURRENTLY";
#else
				if (r->concurrent)
					return "REINDEX CONCURRENTLY";
#endif
				if (r->kind == REINDEX_OBJECT_SCHEMA)
					return "REINDEX SCHEMA";
				if (r->kind == REINDEX_OBJECT_SYSTEM)
					return "REINDEX SYSTEM";
				if (r->kind == REINDEX_OBJECT_DATABASE)
					return "REINDEX DATABASE";
				return NULL;
			}
		case T_VacuumStmt:
			return ((VacuumStmt *) n)->is_vacuumcmd ? "VACUUM" : NULL;
		case T_ClusterStmt:
			return ((ClusterStmt *) n)->relation == NULL ? "CLUSTER without a table name" : NULL;
		case T_AlterSystemStmt:
			return "ALTER SYSTEM";
		case T_CreatedbStmt:
			return "CREATE DATABASE";
		case T_DropdbStmt:
			return "DROP DATABASE";
		case T_AlterDatabaseStmt:
			{
				ListCell   *lc;

				foreach(lc, ((AlterDatabaseStmt *) n)->options)
					if (strcmp(lfirst_node(DefElem, lc)->defname, "tablespace") == 0)
						return "ALTER DATABASE SET TABLESPACE";
				return NULL;
			}
		case T_CreateTableSpaceStmt:
			return "CREATE TABLESPACE";
		case T_DropTableSpaceStmt:
			return "DROP TABLESPACE";
		case T_DiscardStmt:
			return ((DiscardStmt *) n)->target == DISCARD_ALL ? "DISCARD ALL" : NULL;
		case T_CreateSubscriptionStmt:
			{
				List	   *opts = ((CreateSubscriptionStmt *) n)->options;

				if (option_is_false(opts, "connect") ||
					option_is_false(opts, "create_slot"))
					return NULL;
				return "CREATE SUBSCRIPTION";
			}
		case T_AlterSubscriptionStmt:
			{
				AlterSubscriptionStmt *a = (AlterSubscriptionStmt *) n;

				if (a->kind == ALTER_SUBSCRIPTION_REFRESH)
					return "ALTER SUBSCRIPTION ... REFRESH PUBLICATION";
				if ((a->kind == ALTER_SUBSCRIPTION_SET_PUBLICATION ||
					 a->kind == ALTER_SUBSCRIPTION_ADD_PUBLICATION ||
					 a->kind == ALTER_SUBSCRIPTION_DROP_PUBLICATION) &&
					!option_is_false(a->options, "refresh"))
					return "ALTER SUBSCRIPTION ... PUBLICATION with refresh";
				return NULL;
			}
#if PG_VERSION_NUM >= 140000
		case T_AlterTableStmt:
			{
				ListCell   *lc;

				foreach(lc, ((AlterTableStmt *) n)->cmds)
				{
					AlterTableCmd *cmd = lfirst_node(AlterTableCmd, lc);

					if (cmd->subtype == AT_DetachPartition &&
						((PartitionCmd *) cmd->def)->concurrent)
						return "ALTER TABLE ... DETACH PARTITION CONCURRENTLY";
				}
				return NULL;
			}
#endif
		default:
			return NULL;
	}
}

/*
 * fm_check_transactional
 *		Refuse, before anything runs, a migration containing a statement that
 *		cannot run in the deploy's transaction (or through SPI at all).
 */
void
fm_check_transactional(const char *migname, const char *sql, List *stmts)
{
	ListCell   *lc;

	foreach(lc, stmts)
	{
		FmStmt	   *st = lfirst(lc);
		Node	   *n = st->parsetree;
		const char *what;

		if (IsA(n, TransactionStmt))
			ereport(ERROR,
					(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
					 errmsg("migration \"%s\" cannot be deployed: transaction control statements are not allowed",
							migname),
					 errdetail("Statement at line %d: %s", st->line,
							   fm_stmt_summary(sql, st)),
					 errhint("ferriorm runs every migration inside the caller's transaction; "
							 "remove BEGIN, COMMIT, ROLLBACK and SAVEPOINT statements from the migration.")));

		if (IsA(n, CopyStmt) && ((CopyStmt *) n)->filename == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("migration \"%s\" cannot be deployed: COPY FROM STDIN and COPY TO STDOUT are not supported",
							migname),
					 errdetail("Statement at line %d: %s", st->line,
							   fm_stmt_summary(sql, st)),
					 errhint("Use INSERT statements for seed data.")));

		what = non_transactional(n);
		if (what != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
					 errmsg("migration \"%s\" cannot be deployed: %s cannot run inside a transaction block",
							migname, what),
					 errdetail("Statement at line %d: %s", st->line,
							   fm_stmt_summary(sql, st)),
					 errhint("ferriorm applies migrations atomically in one transaction, and nothing was applied. "
							 "Run this statement separately outside a transaction (for example with psql in autocommit mode) "
							 "and remove it from the migration, or use its transactional form (for example without CONCURRENTLY).")));
	}
}

/*
 * fm_run_statements
 *		Execute the statements of a migration one by one through SPI with the
 *		caller's privileges.  An error is re-thrown naming the migration and
 *		the file line: the line of the error position if the server gave one
 *		for this statement, else the line of the statement's first token.
 */
void
fm_run_statements(const char *migname, const char *sql, List *stmts)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ListCell   *lc;

	foreach(lc, stmts)
	{
		FmStmt	   *st = lfirst(lc);
		char	   *text = pnstrdup(sql + st->first,
									st->location + st->len - st->first);
		int			rc = 0;

		CHECK_FOR_INTERRUPTS();

		PG_TRY();
		{
			rc = SPI_execute(text, false, 0);
		}
		PG_CATCH();
		{
			ErrorData  *edata;
			int			line = st->line;

			MemoryContextSwitchTo(oldcxt);
			edata = CopyErrorData();
			FlushErrorState();

			/* a position inside this statement (not in a nested query) */
			if (edata->internalpos > 0 && edata->internalquery != NULL &&
				strcmp(edata->internalquery, text) == 0)
			{
				int			abs = st->first +
					fm_byte_at_char(text, edata->internalpos - 1);

				if (abs > st->first)
					line += count_newlines(sql, st->first, abs);
				/* the line number replaces the position; keep the query */
				edata->internalpos = 0;
			}
			fm_rethrow_in_migration(edata, migname, line);
		}
		PG_END_TRY();
		/* SPI leaves us in its procedure context; come back */
		MemoryContextSwitchTo(oldcxt);

		if (rc < 0)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("migration \"%s\" failed at line %d: statement cannot be executed by ferriorm (%s)",
							migname, st->line, SPI_result_code_string(rc))));

		SPI_freetuptable(SPI_tuptable);
		pfree(text);
	}
}
