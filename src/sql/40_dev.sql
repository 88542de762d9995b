-- src/sql/40_dev.sql: migrate dev inside the server (src/backend/dev.c,
-- shadow.c): writing migrations from the history state, drift.

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
REVOKE ALL ON FUNCTION ferriorm_dev(text, text, text, boolean, text, text, boolean, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION ferriorm_drift(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ferriorm_diff_history(text, text, text) FROM PUBLIC;
