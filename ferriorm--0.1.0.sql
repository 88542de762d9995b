-- ferriorm--0.1.0.sql: the install script of release 0.1.0, frozen (upgrade path only)

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION ferriorm" to load this file. \quit

-- Pin the search path for the rest of this script.  Objects are created in
-- the extension's schema (the first entry).  pg_catalog is deliberately NOT
-- listed: an unlisted pg_catalog is searched first, so a type, function or
-- operator that somebody created in the target schema beforehand (a domain
-- named "text", say) cannot take the place of a built-in one in the objects
-- created below.  pg_temp is listed last so that it is never searched first.
SET LOCAL search_path = @extschema@, pg_temp;

-- ---------------------------------------------------------------------
-- Schema language (src/backend/language.c)
-- ---------------------------------------------------------------------

CREATE FUNCTION ferriorm_validate(schema text)
RETURNS TABLE (severity text, line integer, col integer, message text)
AS 'MODULE_PATHNAME', 'ferriorm_validate'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION ferriorm_validate(text) IS
'every error and warning in a ferriorm schema, with line and column';

CREATE FUNCTION ferriorm_format(schema text)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_format'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION ferriorm_format(text) IS
'canonical formatting of a ferriorm schema';

CREATE FUNCTION ferriorm_diff(from_schema text, to_schema text)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_diff'
LANGUAGE C STABLE PARALLEL UNSAFE;
-- STABLE, not IMMUTABLE: deciding whether a column type change needs USING
-- looks up the types (on search_path) and pg_cast.  PARALLEL UNSAFE: that
-- lookup runs in a subtransaction, which parallel mode forbids.

COMMENT ON FUNCTION ferriorm_diff(text, text) IS
'DDL that takes a database from one ferriorm schema to another (NULL: from nothing)';
-- ---------------------------------------------------------------------
-- Live catalog vs schema text (src/backend/plan.c, introspect.c,
-- normalize_srv.c, hazards.c)
-- ---------------------------------------------------------------------

CREATE FUNCTION ferriorm_plan(schema text, verify boolean DEFAULT false)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_plan'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_plan(text, boolean) IS
  'DDL script taking the managed schemas of this database to the schema text';

CREATE FUNCTION ferriorm_plan_steps(schema text)
RETURNS TABLE(step int, action text, object text, ddl text, hazard text, detail text)
AS 'MODULE_PATHNAME', 'ferriorm_plan_steps'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_plan_steps(text) IS
  'the plan of ferriorm_plan(), one row per statement, with hazards';

CREATE FUNCTION ferriorm_push(schema text, allow_data_loss boolean DEFAULT false)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'ferriorm_push'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_push(text, boolean) IS
  'apply the plan of ferriorm_plan() in the current transaction';

-- ---------------------------------------------------------------------
-- Migration history: ferriorm_deploy, ferriorm_status, ferriorm_apply,
-- ferriorm_resolve, ferriorm_baseline (src/backend/deploy.c).
-- See docs/migrations.md.
--
-- Locking: every function that writes the history first takes
--     pg_advisory_xact_lock(7378429400237175405)
-- (the ASCII bytes of 'ferriorm' as a big-endian bigint, 0x66657272696f726d),
-- so concurrent deploys serialize; the lock is held until the end of the
-- caller's transaction.  Other tools may take the same lock to coordinate.
--
-- Privileges: the history table is owned by the extension owner; PUBLIC may
-- SELECT it, nobody else may write it directly.  The functions below write
-- their rows by switching to the table owner for one fixed statement; the
-- migration SQL always runs with the caller's privileges (none of the
-- functions is SECURITY DEFINER).
-- ---------------------------------------------------------------------

CREATE SEQUENCE _ferriorm_migrations_id_seq;

CREATE TABLE _ferriorm_migrations (
    id              bigint NOT NULL
                    DEFAULT pg_catalog.nextval('_ferriorm_migrations_id_seq'::pg_catalog.regclass)
                    PRIMARY KEY,
    migration_name  text NOT NULL UNIQUE,
    checksum        text NOT NULL
                    CHECK (checksum OPERATOR(pg_catalog.~) '^[0-9a-f]{64}$'),
    status          text NOT NULL DEFAULT 'applied'
                    CHECK (status OPERATOR(pg_catalog.=) ANY (ARRAY['applied', 'failed', 'rolled_back'])),
    started_at      timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    finished_at     timestamptz,
    execution_ms    double precision,
    applied_by      text NOT NULL DEFAULT CURRENT_USER,
    logs            text
);

ALTER SEQUENCE _ferriorm_migrations_id_seq OWNED BY _ferriorm_migrations.id;

COMMENT ON TABLE _ferriorm_migrations IS
'ferriorm migration history: one row per migration (see docs/migrations.md)';
COMMENT ON COLUMN _ferriorm_migrations.checksum IS
'SHA-256 of the exact bytes of migration.sql, lower-case hex (equals sha256sum)';
COMMENT ON COLUMN _ferriorm_migrations.status IS
'applied, failed or rolled_back';
COMMENT ON COLUMN _ferriorm_migrations.execution_ms IS
'time spent running the migration SQL; NULL when recorded without running (baseline)';

-- keep the history in pg_dump output
SELECT pg_catalog.pg_extension_config_dump('_ferriorm_migrations', '');
SELECT pg_catalog.pg_extension_config_dump('_ferriorm_migrations_id_seq', '');

REVOKE ALL ON _ferriorm_migrations FROM PUBLIC;
GRANT SELECT ON _ferriorm_migrations TO PUBLIC;
REVOKE ALL ON SEQUENCE _ferriorm_migrations_id_seq FROM PUBLIC;

CREATE FUNCTION ferriorm_deploy(dir text)
RETURNS TABLE(migration text, checksum text, status text,
              duration_ms double precision)
AS 'MODULE_PATHNAME', 'ferriorm_deploy'
LANGUAGE C STRICT VOLATILE;

COMMENT ON FUNCTION ferriorm_deploy(text) IS
'apply the pending migrations of a migrations directory atomically, in the caller''s transaction; needs superuser or pg_read_server_files';

CREATE FUNCTION ferriorm_status(dir text)
RETURNS TABLE(migration text, status text, checksum text,
              applied_at timestamptz)
AS 'MODULE_PATHNAME', 'ferriorm_status'
LANGUAGE C STRICT VOLATILE;

COMMENT ON FUNCTION ferriorm_status(text) IS
'compare a migrations directory with the history: applied, pending, modified, missing, failed, rolled_back; needs superuser or pg_read_server_files';

CREATE FUNCTION ferriorm_apply(name text, sql text)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_apply'
LANGUAGE C STRICT VOLATILE;

COMMENT ON FUNCTION ferriorm_apply(text, text) IS
'apply one migration given as text unless already applied; returns applied or skipped';

CREATE FUNCTION ferriorm_resolve(name text, status text)
RETURNS void
AS 'MODULE_PATHNAME', 'ferriorm_resolve'
LANGUAGE C STRICT VOLATILE;

COMMENT ON FUNCTION ferriorm_resolve(text, text) IS
'mark a failed migration as applied or rolled_back';

CREATE FUNCTION ferriorm_baseline(dir text, up_to text DEFAULT NULL)
RETURNS TABLE(migration text, checksum text, status text)
AS 'MODULE_PATHNAME', 'ferriorm_baseline'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION ferriorm_baseline(text, text) IS
'record the migrations of a directory (up to and including up_to) as applied without running them';

-- deploy and status check file-read privileges themselves, with core's
-- wording; apply, resolve and baseline write history rows without running a
-- directory through the normal checks: superuser grants them explicitly.
REVOKE ALL ON FUNCTION ferriorm_apply(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ferriorm_resolve(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ferriorm_baseline(text, text) FROM PUBLIC;
