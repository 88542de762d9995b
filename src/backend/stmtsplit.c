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
#include "storage/proc.h"
#include "tcop/cmdtag.h"
#include "tcop/utility.h"
#include "utils/memutils.h"

#include "deploy.h"
#include "ferriorm.h"

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
			/* PostgreSQL's scanner ends it at a carriage return too */
			while (off < end && s[off] != '\n' && s[off] != '\r')
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
 * new_enum_value_hint
 *		The hint of "unsafe use of new value": what to do depends on what
 *		runs the migrations.  The rollback strategy and the function forms
 *		(ferriorm_deploy, ferriorm_dev's deploy of pending migrations) run
 *		them in one transaction, so a value an earlier migration added is
 *		not committed yet; CALL ferriorm_migrate commits after each, so only
 *		a value the same migration adds can be.
 */
static const char *
new_enum_value_hint(void)
{
	if (fm_in_rollback_replay)
		return "New enum values must be committed before they can be used, "
			"and the rollback strategy replays the history in one transaction that it rolls back. "
			"Use strategy => 'shadow', which commits after each migration.";
	if (fm_in_procedure_deploy)
		return "New enum values must be committed before they can be used, and CALL ferriorm_migrate(dir) commits after each migration: "
			"a value that one migration both adds and uses needs a COMMIT after its ALTER TYPE ... ADD VALUE, "
			"or the use moved into a later migration.";
	return "New enum values must be committed before they can be used, and this call runs the pending migrations in one transaction. "
		"Deploy them with CALL ferriorm_migrate(dir), which commits after each migration and at each COMMIT in a migration, "
		"then run this call again. A value that one migration both adds and uses needs a COMMIT after its ALTER TYPE ... ADD VALUE, "
		"or the use moved into a later migration.";
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
	if (edata->sqlerrcode == ERRCODE_UNSAFE_NEW_ENUM_VALUE_USAGE)
		edata->hint = pstrdup(new_enum_value_hint());
	else if (edata->sqlerrcode == ERRCODE_INVALID_TRANSACTION_TERMINATION)
		edata->hint = pstrdup(fm_in_rollback_replay ?
							  "The rollback strategy replays the history in one transaction, where a DO block or procedure cannot commit. "
							  "Use strategy => 'shadow'." :
							  "A DO block or procedure that commits must be the only statement of its migration, "
							  "deployed by CALL ferriorm_migrate(dir), which runs it outside any transaction block, as Prisma Migrate does.");
	fm_rethrow(edata);
}

/* set while the rollback strategy replays a history (shadow.c) */
bool		fm_in_rollback_replay = false;

/* set while CALL ferriorm_migrate runs (migrate.c) */
bool		fm_in_procedure_deploy = false;

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
		{
			int			at = body + fm_byte_at_char(sql + body, edata->cursorpos - 1);

			errline = fm_line_at_byte(sql, at);
			if (edata->sqlerrcode == ERRCODE_SYNTAX_ERROR && sql[at] == '\\' &&
				(at == 0 || sql[at - 1] == '\n'))
				edata->hint = pstrdup("That line is a psql meta-command, which only psql runs: a migration is SQL alone. "
									  "pg_dump 15.14, 16.10, 17.6 and later write \\restrict and \\unrestrict lines into a plain-text dump; "
									  "remove them from the migration.");
		}
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

/* Is the boolean option name set to true among a statement's options? */
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
 * refuse
 *		Error out on a statement of a migration that cannot be deployed.
 */
static void
refuse(const char *migname, const char *sql, const FmStmt *st, int sqlerrcode,
	   const char *why, const char *hint)
{
	ereport(ERROR,
			(errcode(sqlerrcode),
			 errmsg("migration \"%s\" cannot be deployed: %s", migname, why),
			 errdetail("Statement at line %d: %s", st->line,
					   fm_stmt_summary(sql, st)),
			 hint ? errhint("%s", hint) : 0));
}

/*
 * procedure_hint
 *		The hint for a statement that only the procedure form can run: the
 *		rollback strategy replays in one transaction (the shadow strategy
 *		commits after each migration); the function forms (ferriorm_deploy,
 *		ferriorm_apply, and ferriorm_dev's deploy of pending migrations)
 *		run in the caller's, so the way through is the procedure, then the
 *		same call again.  nontx: the statement has a transactional form.
 */
static const char *
procedure_hint(bool nontx)
{
	if (fm_in_rollback_replay)
		return "The rollback strategy replays the history in one transaction that it rolls back. "
			"Use strategy => 'shadow', which commits after each migration.";
	return nontx ?
		"This call runs the pending migrations in the caller's transaction, and nothing was applied. "
		"Deploy them with CALL ferriorm_migrate(dir), which commits after each migration and runs such statements "
		"outside a transaction block, then run this call again. A migration that is not deployed anywhere yet "
		"may use the transactional form of the statement instead (for example without CONCURRENTLY)." :
		"This call runs the pending migrations in the caller's transaction, and nothing was applied. "
		"Deploy them with CALL ferriorm_migrate(dir), which commits after each migration, then run this call again.";
}

/*
 * classify_txn
 *		Kind of a transaction-control statement.  Only a plain BEGIN / START
 *		TRANSACTION and a plain COMMIT / END are accepted; everything else
 *		(ROLLBACK, savepoints, two-phase commit, options, AND CHAIN) is
 *		refused.
 */
static FmStmtKind
classify_txn(const char *migname, const char *sql, const FmStmt *st,
			 TransactionStmt *ts)
{
	const char *hint = "Only a plain BEGIN and COMMIT are supported in a migration; "
	"remove ROLLBACK, SAVEPOINT, PREPARE TRANSACTION and transaction options.";

	switch (ts->kind)
	{
		case TRANS_STMT_BEGIN:
		case TRANS_STMT_START:
			if (ts->options == NIL)
				return FM_STMT_BEGIN;
			break;
		case TRANS_STMT_COMMIT:
			if (!ts->chain)
				return FM_STMT_COMMIT;
			break;
		default:
			break;
	}
	refuse(migname, sql, st, ERRCODE_ACTIVE_SQL_TRANSACTION,
		   "this transaction control statement is not allowed", hint);
	return FM_STMT_PLAIN;		/* keep compiler quiet */
}

/*
 * is_xact_start_set
 *		SET TRANSACTION with only ISOLATION LEVEL, [NOT] DEFERRABLE and READ
 *		WRITE: settings that must be made before the transaction's first
 *		query and outside any subtransaction, and that cannot fail there on
 *		a primary.  (READ ONLY works anywhere; SNAPSHOT can fail.)
 */
static bool
is_xact_start_set(Node *node)
{
	VariableSetStmt *vs;
	ListCell   *lc;

#if PG_VERSION_NUM < 140000
	return false;				/* no non-atomic SPI_execute_extended() */
#endif
	if (!IsA(node, VariableSetStmt))
		return false;
	vs = (VariableSetStmt *) node;
	if (vs->kind != VAR_SET_MULTI || strcmp(vs->name, "TRANSACTION") != 0 ||
		vs->args == NIL)
		return false;
	foreach(lc, vs->args)
	{
		DefElem    *d = lfirst_node(DefElem, lc);

		if (strcmp(d->defname, "transaction_isolation") == 0 ||
			strcmp(d->defname, "transaction_deferrable") == 0)
			continue;
		if (strcmp(d->defname, "transaction_read_only") == 0 &&
			IsA(d->arg, A_Const) &&
			IsA(&((A_Const *) d->arg)->val, Integer) &&
			intVal(&((A_Const *) d->arg)->val) == 0)
			continue;
		return false;
	}
	return true;
}

/*
 * word_in
 *		Whether text holds word (upper case) as a whole word, in any case.
 */
static bool
word_in(const char *text, const char *word)
{
	size_t		len = strlen(word);

	for (const char *p = text; *p; p++)
	{
		if (pg_strncasecmp(p, word, len) == 0 &&
			(p == text || !(isalnum((unsigned char) p[-1]) || p[-1] == '_')) &&
			!(isalnum((unsigned char) p[len]) || p[len] == '_'))
			return true;
	}
	return false;
}

/*
 * lone_transaction_control
 *		For the only statement of a migration in the procedure form: a DO
 *		block whose body says COMMIT or ROLLBACK, or a CALL (a procedure may
 *		commit), returns the command for messages, else NULL.  Prisma sends
 *		a migration as one query string, so a migration that is one such
 *		statement runs outside any transaction block, where the block's
 *		COMMIT works (a batched backfill); in a transaction block, or in a
 *		subtransaction, it fails with "invalid transaction termination".
 *		The procedure form runs it alone over the loopback, as it runs
 *		CREATE INDEX CONCURRENTLY.  A DO block that only mentions the word
 *		(a comment, a string) goes there too, which costs a connection and
 *		nothing else.
 */
static const char *
lone_transaction_control(Node *n)
{
	if (IsA(n, CallStmt))
		return "CALL";
	if (IsA(n, DoStmt))
	{
		ListCell   *lc;

		foreach(lc, ((DoStmt *) n)->args)
		{
			DefElem    *d = lfirst_node(DefElem, lc);

			if (strcmp(d->defname, "as") == 0 &&
				(word_in(strVal(d->arg), "COMMIT") ||
				 word_in(strVal(d->arg), "ROLLBACK")))
				return "DO with COMMIT";
		}
	}
	return NULL;
}

/*
 * fm_classify_statements
 *		Decide the kind of every statement of a migration, and refuse the
 *		migration before anything runs if one cannot be deployed by the
 *		calling form:
 *
 *		- BEGIN and COMMIT: in the procedure (procedure = true), every
 *		  COMMIT, and every BEGIN outside a block, is a commit point.  The
 *		  function form runs the whole migration in one transaction, so a
 *		  BEGIN ... COMMIT block anywhere (Prisma writes one around the
 *		  steps of an enum change, with more steps after it) and a COMMIT
 *		  that ends the migration change nothing there and are accepted; a
 *		  COMMIT outside a block with statements after it is a commit point
 *		  the author wanted (a new enum value used next), refused with a
 *		  hint to the procedure.  A BEGIN inside a block and a BEGIN that is
 *		  never committed are refused by both (psql would warn, or roll back
 *		  at disconnect).
 *		- statements that cannot run in a transaction block: the procedure
 *		  runs them over a loopback connection (not inside BEGIN ...
 *		  COMMIT); the function form refuses them.
 *		- COPY FROM STDIN / TO STDOUT: refused by both.
 */
void
fm_classify_statements(const char *migname, const char *sql, List *stmts,
					   bool procedure)
{
	ListCell   *lc;
	bool		in_block = false;
	FmStmt	   *open_begin = NULL;
	int			n = list_length(stmts);
	int			i = 0;

	foreach(lc, stmts)
	{
		FmStmt	   *st = lfirst(lc);
		Node	   *node = st->parsetree;
		const char *what;

		st->kind = FM_STMT_PLAIN;
		st->what = NULL;
		/* SET and RESET of a setting, not SET LOCAL nor SET TRANSACTION */
		st->is_set = IsA(node, VariableSetStmt) &&
			!((VariableSetStmt *) node)->is_local &&
			((VariableSetStmt *) node)->kind != VAR_SET_MULTI;
		st->xact_start = is_xact_start_set(node);
		st->shared = fm_shared_effect(node);
		st->tag = GetCommandTagName(CreateCommandTag(node));
		i++;

		if (IsA(node, TransactionStmt))
		{
			st->kind = classify_txn(migname, sql, st, (TransactionStmt *) node);
			if (st->kind == FM_STMT_BEGIN)
			{
				if (in_block)
					refuse(migname, sql, st, ERRCODE_ACTIVE_SQL_TRANSACTION,
						   "BEGIN inside a transaction block",
						   "Remove the nested BEGIN.");
				in_block = true;
				open_begin = st;
			}
			else
			{
				if (!procedure && i != n && !in_block)
					refuse(migname, sql, st, ERRCODE_ACTIVE_SQL_TRANSACTION,
						   "COMMIT outside a BEGIN ... COMMIT block, before the end of a migration, needs the procedure form",
						   procedure_hint(false));
				in_block = false;
			}
			continue;
		}

		if (IsA(node, CopyStmt) && ((CopyStmt *) node)->filename == NULL)
			refuse(migname, sql, st, ERRCODE_FEATURE_NOT_SUPPORTED,
				   "COPY FROM STDIN and COPY TO STDOUT are not supported",
				   "Use INSERT statements for seed data.");

		what = non_transactional(node);
		if (what == NULL && procedure && n == 1)
			what = lone_transaction_control(node);
		if (what != NULL)
		{
			if (!procedure)
				refuse(migname, sql, st, ERRCODE_ACTIVE_SQL_TRANSACTION,
					   psprintf("%s cannot run inside a transaction block", what),
					   procedure_hint(true));
			if (in_block)
				refuse(migname, sql, st, ERRCODE_ACTIVE_SQL_TRANSACTION,
					   psprintf("%s cannot run inside a transaction block", what),
					   "Move the statement out of the BEGIN ... COMMIT block.");
			st->kind = FM_STMT_NONTX;
			st->what = what;
		}
	}

	if (in_block)
		refuse(migname, sql, open_begin, ERRCODE_ACTIVE_SQL_TRANSACTION,
			   "BEGIN without a matching COMMIT",
			   "End the transaction block with COMMIT.");
}

/* a database, role or tablespace: the objects of the shared catalogs */
static bool
is_shared_object_type(ObjectType type)
{
	return type == OBJECT_DATABASE || type == OBJECT_ROLE ||
		type == OBJECT_TABLESPACE
#if PG_VERSION_NUM >= 150000
		|| type == OBJECT_PARAMETER_ACL
#endif
		;
}

/* the kind of object a RENAME, OWNER TO, COMMENT, SECURITY LABEL or GRANT acts on */
static ObjectType
object_type_of(Node *n)
{
	switch (nodeTag(n))
	{
		case T_RenameStmt:
			return ((RenameStmt *) n)->renameType;
		case T_AlterOwnerStmt:
			return ((AlterOwnerStmt *) n)->objectType;
		case T_CommentStmt:
			return ((CommentStmt *) n)->objtype;
		case T_SecLabelStmt:
			return ((SecLabelStmt *) n)->objtype;
		default:
			return ((GrantStmt *) n)->objtype;
	}
}

/*
 * fm_shared_effect
 *		What a raw statement does outside the database it runs in:
 *		FM_SHARED_NONE, nothing; FM_SHARED_ONLY, it changes nothing but
 *		objects the whole cluster shares (roles and their memberships and
 *		settings, databases, tablespaces, ALTER SYSTEM, grants and comments
 *		on those) or, for a subscription, a publisher's replication slot,
 *		none of which a schema model holds; FM_SHARED_MIXED, it changes the
 *		database's own objects and shared ones (DROP OWNED and REASSIGN
 *		OWNED, which act on the databases and tablespaces of the role too).
 *		A statement inside a DO block or a function is not seen.
 */
FmSharedEffect
fm_shared_effect(Node *n)
{
	switch (nodeTag(n))
	{
		case T_CreateRoleStmt:
		case T_AlterRoleStmt:
		case T_AlterRoleSetStmt:
		case T_DropRoleStmt:
		case T_GrantRoleStmt:
		case T_CreatedbStmt:
		case T_DropdbStmt:
		case T_AlterDatabaseStmt:
		case T_AlterDatabaseSetStmt:
#if PG_VERSION_NUM >= 150000
		case T_AlterDatabaseRefreshCollStmt:
#endif
		case T_CreateTableSpaceStmt:
		case T_DropTableSpaceStmt:
		case T_AlterTableSpaceOptionsStmt:
		case T_AlterSystemStmt:
		case T_CreateSubscriptionStmt:
		case T_AlterSubscriptionStmt:
		case T_DropSubscriptionStmt:
			return FM_SHARED_ONLY;
		case T_RenameStmt:
		case T_AlterOwnerStmt:
		case T_CommentStmt:
		case T_SecLabelStmt:
		case T_GrantStmt:
			return is_shared_object_type(object_type_of(n)) ?
				FM_SHARED_ONLY : FM_SHARED_NONE;
		case T_DropOwnedStmt:
		case T_ReassignOwnedStmt:
			return FM_SHARED_MIXED;
		default:
			return FM_SHARED_NONE;
	}
}

/* the migration whose statements are running now, if any (nesting guard) */
static const char *running_migration = NULL;

/*
 * fm_refuse_in_migration
 *		Error out if called while a migration's statements run: a migration
 *		that deploys, applies, pushes or resolves would otherwise recurse
 *		(for example into its own directory) until the stack is exhausted.
 *		fname names the refused function, e.g. "ferriorm_deploy()".
 */
void
fm_refuse_in_migration(const char *fname)
{
	if (running_migration != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s cannot be called from inside migration \"%s\"",
						fname, running_migration),
				 errdetail("A migration must not deploy, apply, push or resolve migrations itself.")));
}

/* the text of a statement, from its first token to its end */
char *
fm_stmt_text(const char *sql, const FmStmt *st)
{
	return pnstrdup(sql + st->first, st->location + st->len - st->first);
}

/* one SPI statement, as fm_run_with_lock_retry() runs it */
typedef struct SpiRun
{
	const char *text;
	int			rc;
	bool		nonatomic;		/* take no snapshot (SET TRANSACTION) */
} SpiRun;

/*
 * Run a SpiRun's text through SPI (read-write), keeping its result code.
 * Non-atomic, a utility statement runs without a snapshot, as PL/pgSQL
 * runs SET TRANSACTION after COMMIT in a procedure.
 */
static void
spi_run(void *arg)
{
	SpiRun	   *run = arg;

#if PG_VERSION_NUM >= 140000
	if (run->nonatomic)
	{
		SPIExecuteOptions options;

		memset(&options, 0, sizeof(options));
		options.allow_nonatomic = true;
		run->rc = SPI_execute_extended(run->text, &options);
		return;
	}
#endif
	run->rc = SPI_execute(run->text, false, 0);
}

/*
 * fm_error_line
 *		The file line of an error raised by statement st (text: its text,
 *		as run) of migration sql: the line of the error position when the
 *		server gave one in this statement (the position is then cleared,
 *		the query kept), else the line of the statement's first token.
 */
int
fm_error_line(ErrorData *edata, const char *sql, const FmStmt *st,
			  const char *text)
{
	int			line = st->line;

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
	return line;
}

/*
 * may_fail_on_lock
 *		Could the statement of this text fail on a lock (55P03), which
 *		fm_run_with_lock_retry() retries in a subtransaction?  Only when
 *		retries are enabled and either lock_timeout is in force (the
 *		session's, or one a SET of the migration made) or the statement
 *		says NOWAIT (any spelling: a word of a comment or a name counts
 *		too).  Any other statement runs without a subtransaction of its
 *		own, which at a thousand statements costs more than the statements:
 *		each subtransaction's end walks every lock and relation the
 *		transaction holds so far.  A NOWAIT inside a function the statement
 *		calls, or a lock_timeout that the function sets itself, is not seen
 *		here, and such a failure is not retried.
 */
static bool
may_fail_on_lock(const char *text)
{
	if (fm_lock_retries <= 0)
		return false;
	if (LockTimeout > 0)
		return true;
	for (const char *p = text; *p; p++)
		if ((*p == 'n' || *p == 'N') && pg_strncasecmp(p, "nowait", 6) == 0)
			return true;
	return false;
}

/*
 * run_one
 *		Execute statement st of migration migname (text sql) through SPI:
 *		a SET, or a statement that cannot fail on a lock
 *		(may_fail_on_lock), directly; anything else with the lock_timeout
 *		retries of fm_run_with_lock_retry.  An error is raised again in the
 *		migration's terms, with the statement's line in the migration file
 *		(fm_rethrow_in_migration); an SPI failure code is ERROR 0A000.
 *		nonatomic: run it directly and without a snapshot (spi_run).
 */
static void
run_one(const char *migname, const char *sql, FmStmt *st, bool nonatomic)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	char	   *text = fm_stmt_text(sql, st);
	int			rc = 0;

	PG_TRY();
	{
		SpiRun		run = {text, 0, nonatomic};

		/*
		 * SETs stay out of subtransactions (SET TRANSACTION refuses them),
		 * and so does every statement that cannot fail on a lock
		 */
		if (st->is_set || nonatomic || !may_fail_on_lock(text))
			spi_run(&run);
		else
			fm_run_with_lock_retry(spi_run, &run);
		rc = run.rc;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(oldcxt);
		edata = CopyErrorData();
		FlushErrorState();
		fm_rethrow_in_migration(edata, migname,
								fm_error_line(edata, sql, st, text));
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

/*
 * fm_run_xact_start
 *		Execute SET TRANSACTION statements (FmStmt.xact_start) at the start
 *		of a transaction, outside any subtransaction, without taking a
 *		snapshot (a non-atomic SPI call, as PL/pgSQL runs SET TRANSACTION
 *		after COMMIT in a procedure).  An error is raised again in the
 *		migration's terms.
 */
void
fm_run_xact_start(const char *migname, const char *sql, List *stmts)
{
	ListCell   *lc;

	foreach(lc, stmts)
	{
		Assert(((FmStmt *) lfirst(lc))->xact_start);
		run_one(migname, sql, lfirst(lc), true);
	}
}

/*
 * fm_run_statements
 *		Execute the plain statements of a migration (or of one segment of
 *		it) in order; BEGIN and COMMIT markers are skipped (the caller
 *		decides where transactions end), and statements that need a
 *		loopback connection must not be in the list.  While they run, the
 *		deploying functions refuse to be called (fm_refuse_in_migration).
 */
void
fm_run_statements(const char *migname, const char *sql, List *stmts)
{
	const char *save_running = running_migration;
	ListCell   *lc;

	running_migration = migname;
	PG_TRY();
	{
		foreach(lc, stmts)
		{
			FmStmt	   *st = lfirst(lc);

			CHECK_FOR_INTERRUPTS();
			if (st->kind == FM_STMT_BEGIN || st->kind == FM_STMT_COMMIT)
				continue;
			Assert(st->kind == FM_STMT_PLAIN);
			run_one(migname, sql, st, false);
		}
	}
	PG_FINALLY();
	{
		running_migration = save_running;
	}
	PG_END_TRY();
}
