
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
    ADD CONSTRAINT _ferriorm_migrations_checksum_check
        CHECK (checksum OPERATOR(pg_catalog.~) '^[0-9a-f]{64}$'),
    ADD CONSTRAINT _ferriorm_migrations_status_check
        CHECK (status OPERATOR(pg_catalog.=) ANY (ARRAY['applied', 'failed', 'rolled_back']));

-- rows the CLI recorded before (none in a new table): applied at applied_at
UPDATE _ferriorm_migrations
SET started_at = applied_at, finished_at = applied_at,
    logs = 'recorded by the ferriorm CLI';

COMMENT ON TABLE _ferriorm_migrations IS
'ferriorm migration history: one row per migration, shared with the ferriorm CLI (see docs/migrations.md)';
COMMENT ON COLUMN _ferriorm_migrations.checksum IS
'SHA-256 of the exact bytes of migration.sql, lower-case hex (equals sha256sum)';
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
