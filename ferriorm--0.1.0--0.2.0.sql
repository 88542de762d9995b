-- ferriorm--0.1.0--0.2.0.sql: upgrade script from release 0.1.0.
-- One section per feature of the release.
--
-- Every SQL-visible change of 0.2.0 is made twice: in the install fragments
-- (src/sql/*.sql) and here.  test/scripts/upgrade.sh proves that
-- ALTER EXTENSION ferriorm UPDATE from 0.1.0 gives exactly the objects,
-- definitions and privileges of a fresh 0.2.0 install.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ferriorm UPDATE TO '0.2.0'" to load this file. \quit

SET LOCAL search_path = @extschema@, pg_temp;

-- ---------------------------------------------------------------------
-- Dialects: the result of ferriorm_validate depends on the setting
-- ferriorm.dialect, so it is no longer immutable; nor is ferriorm_format's
-- (the prisma dialect drops a member on the line of its block's "{", as
-- prisma format does)
-- ---------------------------------------------------------------------

ALTER FUNCTION ferriorm_validate(text) STABLE;
ALTER FUNCTION ferriorm_format(text) STABLE;

-- the procedure form of deploy (src/backend/migrate.c); the deploy lock is
-- now SHARE UPDATE EXCLUSIVE on _ferriorm_migrations (src/backend/security.c)
CREATE PROCEDURE ferriorm_migrate(dir text)
AS 'MODULE_PATHNAME', 'ferriorm_migrate'
LANGUAGE C;

COMMENT ON PROCEDURE ferriorm_migrate(text) IS
'apply the pending migrations of a migrations directory, committing after each one; CALL it outside a transaction block; needs superuser or pg_read_server_files';

-- The history table takes the shape of the ferriorm CLI's table plus
-- ferriorm's columns (see src/sql/30_history.sql): 0.1.0's table is
-- rebuilt, with its rows, its ids and its sequence position.
ALTER TABLE _ferriorm_migrations RENAME TO _ferriorm_migrations_0_1_0;
ALTER INDEX _ferriorm_migrations_pkey RENAME TO _ferriorm_migrations_0_1_0_pkey;
ALTER INDEX _ferriorm_migrations_migration_name_key RENAME TO _ferriorm_migrations_0_1_0_name_key;
ALTER SEQUENCE _ferriorm_migrations_id_seq RENAME TO _ferriorm_migrations_0_1_0_id_seq;

CREATE SEQUENCE _ferriorm_migrations_id_seq AS integer;
CREATE TABLE _ferriorm_migrations (
    id          integer NOT NULL
                DEFAULT pg_catalog.nextval('_ferriorm_migrations_id_seq'::pg_catalog.regclass)
                PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    checksum    text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT pg_catalog.now()
);
ALTER SEQUENCE _ferriorm_migrations_id_seq OWNED BY _ferriorm_migrations.id;

-- ferriorm's columns, after the CLI's four (the same attribute numbers
-- whichever way the table came to be).  migration_name is the 0.1.0 name
-- of the name column, kept for readers.
ALTER TABLE _ferriorm_migrations
    ADD COLUMN status       text NOT NULL DEFAULT 'applied',
    ADD COLUMN started_at   timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    ADD COLUMN finished_at  timestamptz,
    ADD COLUMN execution_ms double precision,
    ADD COLUMN applied_by   text NOT NULL DEFAULT CURRENT_USER,
    ADD COLUMN logs         text,
    ADD COLUMN migration_name text GENERATED ALWAYS AS (name) STORED,
    -- fewer digits: imported from a Prisma history, as an early Prisma
    -- version wrote it (no leading zero of a byte below 0x10)
    ADD CONSTRAINT _ferriorm_migrations_checksum_check
        CHECK (checksum OPERATOR(pg_catalog.~) '^[0-9a-f]{32,64}$'),
    ADD CONSTRAINT _ferriorm_migrations_status_check
        CHECK (status OPERATOR(pg_catalog.=) ANY (ARRAY['applied', 'failed', 'rolled_back']));

-- rows the CLI recorded before (none in a new table): applied at applied_at
UPDATE _ferriorm_migrations
SET started_at = applied_at, finished_at = applied_at,
    logs = 'recorded by the ferriorm CLI';

COMMENT ON TABLE _ferriorm_migrations IS
'ferriorm migration history: one row per migration, shared with the ferriorm CLI (see docs/migrations.md)';
COMMENT ON COLUMN _ferriorm_migrations.checksum IS
'SHA-256 of the exact bytes of migration.sql, lower-case hex (equals sha256sum; fewer digits when imported from a Prisma history that an early Prisma version wrote)';
COMMENT ON COLUMN _ferriorm_migrations.status IS
'applied, failed or rolled_back';
COMMENT ON COLUMN _ferriorm_migrations.execution_ms IS
'time spent running the migration SQL; NULL when recorded without running (baseline) or failed';
COMMENT ON COLUMN _ferriorm_migrations.migration_name IS
'the name column under its 0.1.0 name (read-only)';

INSERT INTO _ferriorm_migrations (id, name, checksum, applied_at, status,
    started_at, finished_at, execution_ms, applied_by, logs)
SELECT id, migration_name, checksum, COALESCE(finished_at, started_at), status,
       started_at, finished_at, execution_ms, applied_by, logs
FROM _ferriorm_migrations_0_1_0 ORDER BY id;
SELECT pg_catalog.setval('_ferriorm_migrations_id_seq', last_value, is_called)
FROM _ferriorm_migrations_0_1_0_id_seq;
-- leaving the extension first also removes their pg_dump configuration
ALTER EXTENSION ferriorm DROP TABLE _ferriorm_migrations_0_1_0;
ALTER EXTENSION ferriorm DROP SEQUENCE _ferriorm_migrations_0_1_0_id_seq;
DROP TABLE _ferriorm_migrations_0_1_0;

-- keep the history in pg_dump output
SELECT pg_catalog.pg_extension_config_dump('_ferriorm_migrations', '');
SELECT pg_catalog.pg_extension_config_dump('_ferriorm_migrations_id_seq', '');

REVOKE ALL ON _ferriorm_migrations FROM PUBLIC;
GRANT SELECT ON _ferriorm_migrations TO PUBLIC;
REVOKE ALL ON SEQUENCE _ferriorm_migrations_id_seq FROM PUBLIC;

-- ---------------------------------------------------------------------
-- Production plans: lock impact of every step, online mode
-- (src/backend/plan.c, src/core/locks.c, src/core/online.c)
-- ---------------------------------------------------------------------

DROP FUNCTION ferriorm_plan(text, boolean);
CREATE FUNCTION ferriorm_plan(schema text, verify boolean DEFAULT false,
                              online boolean DEFAULT false)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_plan'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_plan(text, boolean, boolean) IS
  'DDL script taking the managed schemas of this database to the schema text';

DROP FUNCTION ferriorm_plan_steps(text);
CREATE FUNCTION ferriorm_plan_steps(schema text, online boolean DEFAULT false)
RETURNS TABLE(step int, action text, object text, ddl text, hazard text, detail text,
              lock text, rewrite boolean, scan boolean)
AS 'MODULE_PATHNAME', 'ferriorm_plan_steps'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_plan_steps(text, boolean) IS
  'the plan of ferriorm_plan(), one row per statement, with hazards and locks';

-- ferriorm_pull (src/backend/pull.c): the catalog as schema text
CREATE FUNCTION ferriorm_pull(schemas text[] DEFAULT NULL, previous text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_pull'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_pull(text[], text) IS
  'the managed schemas of this database as canonical schema text';
-- migrate dev (src/backend/dev.c, shadow.c): three new functions, not
-- executable by PUBLIC; same text as src/sql/40_dev.sql.

CREATE FUNCTION ferriorm_dev(dir text, schema text,
                             name text DEFAULT 'migration',
                             create_only boolean DEFAULT false,
                             strategy text DEFAULT 'shadow',
                             on_drift text DEFAULT 'fail')
RETURNS TABLE(migration text, sql text)
AS 'MODULE_PATHNAME', 'ferriorm_dev'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION ferriorm_dev(text, text, text, boolean, text, text) IS
'migrate dev: deploy pending migrations, check drift against the history state (strategy shadow, rollback or snapshot), write a migration for the schema and deploy it; needs superuser or pg_read_server_files and pg_write_server_files';

CREATE FUNCTION ferriorm_drift(dir text, strategy text DEFAULT 'shadow')
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_drift'
LANGUAGE C STRICT VOLATILE;

COMMENT ON FUNCTION ferriorm_drift(text, text) IS
'the DDL that turns the state of the applied migrations into this database''s state ('''' when none)';

CREATE FUNCTION ferriorm_diff_history(dir text, schema text, strategy text DEFAULT 'shadow')
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_diff_history'
LANGUAGE C STRICT VOLATILE;

COMMENT ON FUNCTION ferriorm_diff_history(text, text, text) IS
'the migration ferriorm_dev would write for the schema, without writing or applying anything';

-- files, shadow databases and replays: never for PUBLIC
REVOKE ALL ON FUNCTION ferriorm_dev(text, text, text, boolean, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ferriorm_drift(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ferriorm_diff_history(text, text, text) FROM PUBLIC;

-- ---------------------------------------------------------------------
-- Online migrations from dev (issue 12): ferriorm_dev gains online,
-- writing the online plan for CALL ferriorm_migrate, and allow_data_loss:
-- without it, a migration that would lose data is refused (src/backend/dev.c)
-- ---------------------------------------------------------------------

DROP FUNCTION ferriorm_dev(text, text, text, boolean, text, text);
CREATE FUNCTION ferriorm_dev(dir text, schema text,
                             name text DEFAULT 'migration',
                             create_only boolean DEFAULT false,
                             strategy text DEFAULT 'shadow',
                             on_drift text DEFAULT 'fail',
                             online boolean DEFAULT false,
                             allow_data_loss boolean DEFAULT false)
RETURNS TABLE(migration text, sql text)
AS 'MODULE_PATHNAME', 'ferriorm_dev'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION ferriorm_dev(text, text, text, boolean, text, text, boolean, boolean) IS
'migrate dev: deploy pending migrations, check drift against the history state (strategy shadow, rollback or snapshot), write a migration for the schema and deploy it (online: its low-lock form, left for CALL ferriorm_migrate); refuses a migration whose steps would fail on the rows, or lose data unless allow_data_loss; needs superuser or pg_read_server_files and pg_write_server_files';

REVOKE ALL ON FUNCTION ferriorm_dev(text, text, text, boolean, text, text, boolean, boolean) FROM PUBLIC;

-- ---------------------------------------------------------------------
-- Security review: PUBLIC no longer reads the logs of the history (the
-- error of a failed migration, whose detail may show rows of tables PUBLIC
-- may not read); every other column stays readable (src/sql/30_history.sql)
-- ---------------------------------------------------------------------

REVOKE SELECT ON _ferriorm_migrations FROM PUBLIC;
GRANT SELECT (id, name, checksum, applied_at, status, started_at, finished_at,
              execution_ms, applied_by, migration_name)
    ON _ferriorm_migrations TO PUBLIC;

-- ---------------------------------------------------------------------
-- ferriorm_resolve takes the migrations directory: 'applied' then records
-- the checksum of the file as it is now (a file fixed after the failure),
-- and accepts an edit of an applied migration (src/backend/deploy.c)
-- ---------------------------------------------------------------------

DROP FUNCTION ferriorm_resolve(text, text);
CREATE FUNCTION ferriorm_resolve(name text, status text, dir text DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'ferriorm_resolve'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION ferriorm_resolve(text, text, text) IS
'mark a failed migration as applied or rolled_back; with dir, applied records the checksum of its file there (also accepting an edit of an applied migration)';

REVOKE ALL ON FUNCTION ferriorm_resolve(text, text, text) FROM PUBLIC;

-- ---------------------------------------------------------------------
-- ferriorm_read_schema: schema text of a file or of a folder of schema
-- files, as Prisma reads a multi-file schema (src/backend/schemafiles.c)
-- ---------------------------------------------------------------------

CREATE FUNCTION ferriorm_read_schema(path text)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_read_schema'
LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;
-- needs superuser or pg_read_server_files, checked in C (schemafiles.c)

COMMENT ON FUNCTION ferriorm_read_schema(text) IS
'schema text of a file, or of every .prisma/.ferriorm file of a folder (a multi-file schema)';

-- ---------------------------------------------------------------------
-- ferriorm_deploy and ferriorm_apply refuse a NULL argument (22004), as
-- ferriorm_migrate and ferriorm_baseline do: STRICT, a deploy of NULL
-- returned no rows, which reads as "nothing pending"
-- ---------------------------------------------------------------------

ALTER FUNCTION ferriorm_deploy(text) CALLED ON NULL INPUT;
ALTER FUNCTION ferriorm_apply(text, text) CALLED ON NULL INPUT;
