/*-------------------------------------------------------------------------
 *
 * shadow_fixed.c
 *	  The pre-created shadow database that ferriorm.shadow_conninfo names
 *	  with a dbname (docs/dev.md): whether it may be reset, its reset
 *	  (keeping the extensions installed there before, and the schemas they
 *	  live in, emptied), and the drop of the extensions a replay created
 *	  in it.  Every statement runs over the shadow's loopback connection
 *	  with every name qualified; shadow.c decides when each runs.
 *
 * src/backend/shadow_fixed.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "commands/dbcommands.h"
#include "postmaster/postmaster.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "loopback.h"
#include "rowsource.h"
#include "shadow_int.h"

/*
 * fm_shadow_check_fixed
 *		The pre-created shadow that conn is connected to may be reset:
 *		ERROR (55000) when it is the very database this call runs in
 *		(resetting it would drop every schema of the caller's own database,
 *		and the loopback would wait for the locks this session holds; same
 *		postmaster, by its start time to the microsecond, and same database
 *		OID is the same database); ERROR (42501) unless the role the
 *		loopback acts as owns it and no other role may create in it (a
 *		schema another role made and attached to an extension it owns
 *		would survive the reset, on the replay's search_path).  Nothing
 *		user-defined is called (every name qualified).
 */
void
fm_shadow_check_fixed(PGconn *conn)
{
	FmRowSource rs;
	FmRows	   *rows;
	char		start[32];
	char		dboid[16];
	bool		same;

	snprintf(start, sizeof(start), INT64_FORMAT,
			 (int64) PgStartTime +
			 (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY);
	snprintf(dboid, sizeof(dboid), "%u", MyDatabaseId);
	fm_rowsource_libpq_init(&rs, conn);
	rows = rs.query(&rs,
					"SELECT (EXTRACT(EPOCH FROM pg_catalog.pg_postmaster_start_time()) "
					"  OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8::pg_catalog.text, "
					"d.oid::pg_catalog.text, "
					"d.datdba OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles r "
					"  WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER), "
					"EXISTS (SELECT 1 FROM pg_catalog.aclexplode(d.datacl) a "
					"  WHERE a.privilege_type OPERATOR(pg_catalog.=) 'CREATE' "
					"  AND a.grantee OPERATOR(pg_catalog.<>) d.datdba), "
					"d.datname::pg_catalog.text, CURRENT_USER::pg_catalog.text "
					"FROM pg_catalog.pg_database d "
					"WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()",
					0, NULL);
	if (rows->n != 1)
		elog(ERROR, "the shadow database is not in its own pg_database");
	same = fm_rows_cell(rows, 0, 1) != NULL &&
		strcmp(fm_rows_cell(rows, 0, 1), start) == 0 &&
		fm_rows_cell(rows, 0, 2) != NULL &&
		strcmp(fm_rows_cell(rows, 0, 2), dboid) == 0;
	if (!same && (strcmp(fm_rows_cell(rows, 0, 3), "t") != 0 ||
				  strcmp(fm_rows_cell(rows, 0, 4), "f") != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("shadow database \"%s\" is not kept for role \"%s\"",
						fm_rows_cell(rows, 0, 5), fm_rows_cell(rows, 0, 6)),
				 errdetail("A shadow database named by ferriorm.shadow_conninfo is emptied and replayed into as that role; it must own the database, and no other role may create in it."),
				 errhint("ALTER DATABASE ... OWNER TO the role, and revoke CREATE on it from the others.")));
	fm_rows_free(rows);
	if (same)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the shadow database cannot be the database the call runs in"),
				 errdetail("ferriorm.shadow_conninfo names database \"%s\" of this server; a shadow database is emptied before each replay.",
						   get_database_name(MyDatabaseId)),
				 errhint("Name a database kept for shadows, or remove dbname from ferriorm.shadow_conninfo to create one per call.")));
}

/*
 * The schemas of the shadow that a reset keeps: those an extension made
 * (a member of it) and those an extension is installed in; the second
 * column says whether the schema is a member (kept as it is) or holds one
 * (emptied of everything no extension owns).
 */
static const char *q_reset_schemas =
"SELECT n.nspname, "
"  EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
"    WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass::pg_catalog.oid "
"    AND d.objid OPERATOR(pg_catalog.=) n.oid "
"    AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog.\"char\"), "
"  EXISTS (SELECT 1 FROM pg_catalog.pg_extension e "
"    WHERE e.extnamespace OPERATOR(pg_catalog.=) n.oid) "
"FROM pg_catalog.pg_namespace n "
"WHERE n.nspname OPERATOR(pg_catalog.!~) '^(pg_|information_schema$)' "
"ORDER BY 1";

/*
 * What else a schema that a reset empties may hold, of the schemas named
 * by $1 (a text array), that no extension owns: collations, operators,
 * operator families (with their classes), text search configurations and
 * dictionaries, conversions; by pg_identify_object's type and identity.
 */
static const char *q_reset_more =
"SELECT i.type, i.identity FROM ("
" SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass::pg_catalog.oid AS classid, o.oid AS objid, o.collnamespace AS nsp FROM pg_catalog.pg_collation o"
" UNION ALL SELECT 'pg_catalog.pg_operator'::pg_catalog.regclass::pg_catalog.oid, o.oid, o.oprnamespace FROM pg_catalog.pg_operator o"
" UNION ALL SELECT 'pg_catalog.pg_opfamily'::pg_catalog.regclass::pg_catalog.oid, o.oid, o.opfnamespace FROM pg_catalog.pg_opfamily o"
" UNION ALL SELECT 'pg_catalog.pg_ts_config'::pg_catalog.regclass::pg_catalog.oid, o.oid, o.cfgnamespace FROM pg_catalog.pg_ts_config o"
" UNION ALL SELECT 'pg_catalog.pg_ts_dict'::pg_catalog.regclass::pg_catalog.oid, o.oid, o.dictnamespace FROM pg_catalog.pg_ts_dict o"
" UNION ALL SELECT 'pg_catalog.pg_conversion'::pg_catalog.regclass::pg_catalog.oid, o.oid, o.connamespace FROM pg_catalog.pg_conversion o"
") o JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) o.nsp "
"CROSS JOIN LATERAL pg_catalog.pg_identify_object(o.classid, o.objid, 0) i "
"WHERE n.nspname::pg_catalog.text OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.text[]) "
"AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid OPERATOR(pg_catalog.=) o.classid"
"  AND d.objid OPERATOR(pg_catalog.=) o.objid AND d.deptype OPERATOR(pg_catalog.=) 'e'::pg_catalog.\"char\") "
"ORDER BY 1, 2";

/* the DROP keyword of a type of q_reset_more, or of drop_keyword; NULL */
static const char *
reset_drop_keyword(const char *type)
{
	static const char *const map[][2] = {
		{"collation", "COLLATION"}, {"operator", "OPERATOR"},
		{"operator family", "OPERATOR FAMILY"},
		{"text search configuration", "TEXT SEARCH CONFIGURATION"},
		{"text search dictionary", "TEXT SEARCH DICTIONARY"},
		{"conversion", "CONVERSION"}
	};

	for (int i = 0; i < lengthof(map); i++)
		if (strcmp(type, map[i][0]) == 0)
			return map[i][1];
	return fm_shadow_drop_keyword(type);
}

/*
 * empty_schemas
 *		Drop (CASCADE) what no extension owns of the shadow's schemas in the
 *		text array literal names: every table, view, sequence not owned by
 *		a column, type, domain and routine (fm_shadow_q_droppable), then every
 *		collation, operator, operator family, text search configuration and
 *		dictionary and conversion (q_reset_more).  The reset of a schema
 *		that holds an extension, which DROP SCHEMA would take with it.
 */
static void
empty_schemas(PGconn *conn, const char *names)
{
	const char *const queries[] = {fm_shadow_q_droppable, q_reset_more};
	const char *params[1];

	params[0] = names;
	for (int q = 0; q < lengthof(queries); q++)
	{
		FmRowSource rs;
		FmRows	   *rows;

		fm_rowsource_libpq_init(&rs, conn);
		rows = rs.query(&rs, queries[q], 1, params);
		for (uint64 i = 0; i < rows->n; i++)
		{
			const char *kw = reset_drop_keyword(fm_rows_cell(rows, i, 1));

			CHECK_FOR_INTERRUPTS();
			if (kw != NULL)
				fm_loopback_exec(conn, psprintf("DROP %s IF EXISTS %s CASCADE", kw,
												fm_rows_cell(rows, i, 2)),
								 0, NULL);
		}
		fm_rows_free(rows);
	}
}

/*
 * fm_shadow_reset
 *		Empty the pre-created shadow database that ferriorm.shadow_conninfo
 *		names, keeping the extensions installed in it (by whoever prepared
 *		it: a replay drops its own, fm_shadow_drop_replayed_extensions): a schema
 *		that is not a system schema, not an extension's member and holds no
 *		extension is dropped with what it holds; one that holds an
 *		extension is emptied of everything no extension owns; an empty
 *		public schema is created again where there is none.  Notices (drop
 *		cascades) are not relayed.
 */
void
fm_shadow_reset(PGconn *conn)
{
	FmRowSource rs;
	FmRows	   *rows;
	StringInfoData holding;

	fm_loopback_set(conn, "client_min_messages", "warning");
	initStringInfo(&holding);
	fm_rowsource_libpq_init(&rs, conn);
	rows = rs.query(&rs, q_reset_schemas, 0, NULL);
	for (uint64 i = 0; i < rows->n; i++)
	{
		const char *nsp = fm_rows_cell(rows, i, 1);

		if (strcmp(fm_rows_cell(rows, i, 2), "t") == 0)
			continue;
		if (strcmp(fm_rows_cell(rows, i, 3), "t") == 0)
			appendStringInfo(&holding, "%s%s", holding.len ? "," : "",
							 quote_identifier(nsp));
		else
			fm_loopback_exec(conn, psprintf("DROP SCHEMA %s CASCADE",
											quote_identifier(nsp)),
							 0, NULL);
	}
	fm_rows_free(rows);
	if (holding.len > 0)
		empty_schemas(conn, psprintf("{%s}", holding.data));
	fm_loopback_exec(conn, "CREATE SCHEMA IF NOT EXISTS public", 0, NULL);
}

/*
 * fm_shadow_extensions
 *		The OIDs of the extensions installed in the shadow now, as a text
 *		array literal: those of the database before a replay.
 */
char *
fm_shadow_extensions(PGconn *conn)
{
	FmRowSource rs;
	FmRows	   *rows;
	char	   *list;

	fm_rowsource_libpq_init(&rs, conn);
	rows = rs.query(&rs,
					"SELECT COALESCE(pg_catalog.array_agg(e.oid), '{}')::pg_catalog.text "
					"FROM pg_catalog.pg_extension e", 0, NULL);
	list = pstrdup(fm_rows_cell(rows, 0, 1));
	fm_rows_free(rows);
	return list;
}

/*
 * fm_shadow_drop_replayed_extensions
 *		Drop (CASCADE) the extensions of the pre-created shadow that are not
 *		in before (fm_shadow_extensions before the replay): those the replayed
 *		history created (CREATE EXTENSION in a migration), which the next
 *		reset would keep with their schema, so that the next replay's
 *		CREATE EXTENSION would fail as existing.  The extensions the
 *		database had before stay.  Ends a transaction block a failed
 *		replay left open first.
 */
void
fm_shadow_drop_replayed_extensions(PGconn *conn, const char *before)
{
	FmRowSource rs;
	FmRows	   *rows;
	const char *params[1];
	StringInfoData names;

	params[0] = before;
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		fm_loopback_exec(conn, "ROLLBACK", 0, NULL);
	fm_loopback_set(conn, "client_min_messages", "warning");
	fm_rowsource_libpq_init(&rs, conn);
	rows = rs.query(&rs,
					"SELECT e.extname FROM pg_catalog.pg_extension e "
					"WHERE e.oid OPERATOR(pg_catalog.<>) ALL ($1::pg_catalog.oid[]) "
					"ORDER BY 1", 1, params);
	initStringInfo(&names);
	for (uint64 i = 0; i < rows->n; i++)
		appendStringInfo(&names, "%s%s", i ? ", " : "",
						 quote_identifier(fm_rows_cell(rows, i, 1)));
	if (rows->n > 0)
		fm_loopback_exec(conn, psprintf("DROP EXTENSION IF EXISTS %s CASCADE",
										names.data), 0, NULL);
	fm_rows_free(rows);
}
