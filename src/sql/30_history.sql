
-- ---------------------------------------------------------------------
-- Migration history: ferriorm_deploy, ferriorm_status, ferriorm_apply,
-- ferriorm_resolve, ferriorm_baseline (src/backend/deploy.c) and the
-- procedure ferriorm_migrate (src/backend/migrate.c).
-- See docs/migrations.md.
--
-- Locking: every function that writes the history first takes the deploy
-- lock, SHARE UPDATE EXCLUSIVE on _ferriorm_migrations (a mode LOCK TABLE
-- grants only to roles with UPDATE, DELETE or TRUNCATE on it, which nobody
-- but its owner has), so concurrent deploys serialize; the functions hold
-- it until the end of the caller's transaction, the procedure for the whole
-- CALL.  See src/backend/security.c and docs/security.md.
--
-- Privileges: the history table is owned by the extension owner; PUBLIC may
-- SELECT its columns but logs, nobody else may write it directly.  The functions below write
-- their rows by switching to the table owner for one fixed statement; the
-- migration SQL always runs with the caller's privileges (none of the
-- functions is SECURITY DEFINER).
--
-- The table is also the ferriorm CLI's history: its first four columns are
-- the CLI's own (id serial, name text unique, checksum text, applied_at
-- timestamptz), so the CLI's INSERT (name, checksum) and SELECT id, name,
-- checksum, applied_at keep working.  Where the CLI created the table
-- before, in the schema the extension goes into, the extension adopts it
-- with its rows, if it is a plain table of the role creating the extension
-- (who owns the extension too, and can write it directly, as the CLI does).
-- ---------------------------------------------------------------------

DO $fm$
BEGIN
  IF pg_catalog.to_regclass('@extschema@._ferriorm_migrations') IS NULL THEN
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
    -- the ferriorm CLI's history in another schema is not read: say so,
    -- before two histories grow apart
    DECLARE
      other text;
    BEGIN
      SELECT pg_catalog.string_agg(pg_catalog.quote_ident(n.nspname), ', ' ORDER BY n.nspname) INTO other
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
      WHERE c.relname OPERATOR(pg_catalog.=) '_ferriorm_migrations'::pg_catalog.name
        AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}'::pg_catalog."char"[])
        AND n.nspname OPERATOR(pg_catalog.<>) '@extschema@'::pg_catalog.name;
      IF other IS NOT NULL THEN
        RAISE WARNING 'the ferriorm CLI''s history table _ferriorm_migrations in schema % is not adopted', other
          USING DETAIL = 'The extension keeps its history in schema @extschema@: the migrations that table records would read as pending here.',
                HINT = 'Drop the extension and create it in that schema (CREATE EXTENSION ferriorm SCHEMA ...), which adopts the table.';
      END IF;
    END;
  ELSE
    IF (SELECT pg_catalog.string_agg(a.attname OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||)
                                     pg_catalog.format_type(a.atttypid, a.atttypmod), ', '
                                     ORDER BY a.attnum)
        FROM pg_catalog.pg_attribute a
        WHERE a.attrelid OPERATOR(pg_catalog.=) '@extschema@._ferriorm_migrations'::pg_catalog.regclass
          AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped)
       IS DISTINCT FROM 'id integer, name text, checksum text, applied_at timestamp with time zone'
       OR pg_catalog.to_regclass(pg_catalog.pg_get_serial_sequence('@extschema@._ferriorm_migrations', 'id'))
          IS DISTINCT FROM pg_catalog.to_regclass('@extschema@._ferriorm_migrations_id_seq')
    THEN
      RAISE EXCEPTION 'table _ferriorm_migrations exists and is not a history table of the ferriorm CLI'
        USING ERRCODE = 'duplicate_table',
              DETAIL = 'The ferriorm CLI''s table has the columns id serial, name text, checksum text, applied_at timestamptz, in that order.',
              HINT = 'Rename or drop the table, or create the extension in another schema.';
    END IF;
    -- Only a table of the role creating the extension is adopted, and only
    -- a plain one with nothing on it that runs code: the script below
    -- rewrites and updates it as that role (a superuser), so a trigger, a
    -- rule, a policy, an index expression or an inheritance child planted
    -- by whoever owned the table would run with superuser rights, and its
    -- owner could forge the history ever after.
    IF EXISTS (SELECT FROM pg_catalog.pg_class c
               WHERE c.oid OPERATOR(pg_catalog.=) '@extschema@._ferriorm_migrations'::pg_catalog.regclass
                 AND (c.relkind OPERATOR(pg_catalog.<>) 'r'
                      OR c.relowner OPERATOR(pg_catalog.<>) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER)
                      OR c.relrowsecurity OR c.relispartition))
       OR EXISTS (SELECT FROM pg_catalog.pg_trigger t
                  WHERE t.tgrelid OPERATOR(pg_catalog.=) '@extschema@._ferriorm_migrations'::pg_catalog.regclass)
       OR EXISTS (SELECT FROM pg_catalog.pg_rewrite w
                  WHERE w.ev_class OPERATOR(pg_catalog.=) '@extschema@._ferriorm_migrations'::pg_catalog.regclass)
       OR EXISTS (SELECT FROM pg_catalog.pg_class s
                  WHERE s.oid OPERATOR(pg_catalog.=) '@extschema@._ferriorm_migrations_id_seq'::pg_catalog.regclass
                    AND s.relowner OPERATOR(pg_catalog.<>) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER))
       OR EXISTS (SELECT FROM pg_catalog.pg_inherits i
                  WHERE '@extschema@._ferriorm_migrations'::pg_catalog.regclass OPERATOR(pg_catalog.=) ANY (ARRAY[i.inhrelid, i.inhparent]))
       OR EXISTS (SELECT FROM pg_catalog.pg_policy p
                  WHERE p.polrelid OPERATOR(pg_catalog.=) '@extschema@._ferriorm_migrations'::pg_catalog.regclass)
       OR EXISTS (SELECT FROM pg_catalog.pg_index x
                  WHERE x.indrelid OPERATOR(pg_catalog.=) '@extschema@._ferriorm_migrations'::pg_catalog.regclass
                    AND (x.indexprs IS NOT NULL OR x.indpred IS NOT NULL))
       OR EXISTS (SELECT FROM pg_catalog.pg_constraint k
                  WHERE k.conrelid OPERATOR(pg_catalog.=) '@extschema@._ferriorm_migrations'::pg_catalog.regclass
                    AND k.contype OPERATOR(pg_catalog.<>) ALL (ARRAY['p', 'u']::pg_catalog."char"[]))
    THEN
      RAISE EXCEPTION 'table _ferriorm_migrations is not owned by the role creating the extension, or has triggers, rules, policies, checks, index expressions or inheritance'
        USING ERRCODE = 'insufficient_privilege',
              DETAIL = 'CREATE EXTENSION adopts the ferriorm CLI''s history table only when it is a plain table of the role creating the extension, with nothing on it that runs code: whoever could change the table could otherwise run code with that role''s rights and forge the history.',
              HINT = 'Check the table, then make it a plain table owned by the role creating the extension (ALTER TABLE ... OWNER TO), or create the extension in another schema.';
    END IF;
    ALTER EXTENSION ferriorm ADD TABLE _ferriorm_migrations;
    ALTER EXTENSION ferriorm ADD SEQUENCE _ferriorm_migrations_id_seq;
  END IF;
END
$fm$;

-- The CLI writes SHA-256 in lower-case hex, as ferriorm compares it; a row
-- edited by hand with upper-case digits is the same checksum, and is
-- lower-cased.  Any other value would fail the CHECK below with a message
-- naming no row: refused here, naming it.
DO $fm$
DECLARE
  bad text;
BEGIN
  SELECT pg_catalog.format($f$"%s" (%L)$f$, h.name, h.checksum) INTO bad
  FROM _ferriorm_migrations h
  WHERE h.checksum IS NULL
     OR h.checksum OPERATOR(pg_catalog.!~) '^[0-9a-fA-F]{32,64}$'
  ORDER BY h.id LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'checksum of migration % in the ferriorm CLI''s history is not a SHA-256 in hexadecimal', bad
      USING ERRCODE = 'data_exception',
            HINT = 'Set the row''s checksum to the SHA-256 of the migration''s file as it was applied (sha256sum prints it), then create the extension again.';
  END IF;
END
$fm$;
UPDATE _ferriorm_migrations SET checksum = pg_catalog.lower(checksum)
WHERE checksum OPERATOR(pg_catalog.<>) pg_catalog.lower(checksum);

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

-- keep the history in pg_dump output
SELECT pg_catalog.pg_extension_config_dump('_ferriorm_migrations', '');
SELECT pg_catalog.pg_extension_config_dump('_ferriorm_migrations_id_seq', '');

-- PUBLIC reads every column but logs: the logs of a failed migration hold
-- its error, whose detail may show rows of tables PUBLIC may not read (the
-- value of a duplicate key, the row that fails a new CHECK).
REVOKE ALL ON _ferriorm_migrations FROM PUBLIC;
GRANT SELECT (id, name, checksum, applied_at, status, started_at, finished_at,
              execution_ms, applied_by, migration_name)
    ON _ferriorm_migrations TO PUBLIC;
REVOKE ALL ON SEQUENCE _ferriorm_migrations_id_seq FROM PUBLIC;

CREATE FUNCTION ferriorm_deploy(dir text)
RETURNS TABLE(migration text, checksum text, status text,
              duration_ms double precision)
AS 'MODULE_PATHNAME', 'ferriorm_deploy'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

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
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION ferriorm_apply(text, text) IS
'apply one migration given as text unless already applied; returns applied or skipped';

CREATE FUNCTION ferriorm_resolve(name text, status text, dir text DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'ferriorm_resolve'
LANGUAGE C CALLED ON NULL INPUT VOLATILE;

COMMENT ON FUNCTION ferriorm_resolve(text, text, text) IS
'mark a failed migration as applied or rolled_back; with dir, applied records the checksum of its file there (also accepting an edit of an applied migration)';

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
REVOKE ALL ON FUNCTION ferriorm_resolve(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ferriorm_baseline(text, text) FROM PUBLIC;

CREATE PROCEDURE ferriorm_migrate(dir text)
AS 'MODULE_PATHNAME', 'ferriorm_migrate'
LANGUAGE C;

COMMENT ON PROCEDURE ferriorm_migrate(text) IS
'apply the pending migrations of a migrations directory, committing after each one; CALL it outside a transaction block; needs superuser or pg_read_server_files';
