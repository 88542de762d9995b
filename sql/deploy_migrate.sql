--
-- CALL ferriorm_migrate(dir): the procedure form of deploy.  One
-- transaction per migration; BEGIN/COMMIT in files; a failing migration is
-- recorded failed; where it may not run.  (Several sessions, loopback
-- statements, terminate and cancel: test/scripts/deploy_*.sh.)
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\getenv abs_srcdir PG_ABS_SRCDIR
\set mig :abs_srcdir '/test/migrations/'

CREATE SCHEMA deploy_m;
SET search_path = deploy_m, public;

-- not inside a transaction block, nor from a function, nor with NULL
BEGIN;
CALL ferriorm_migrate(:'mig' || 'nolock');
ROLLBACK;
CREATE FUNCTION deploy_m.from_function(dir text) RETURNS void
LANGUAGE plpgsql AS $$ BEGIN CALL ferriorm_migrate(dir); END $$;
SELECT deploy_m.from_function(:'mig' || 'nolock');
CALL ferriorm_migrate(NULL);
-- read-only
SET default_transaction_read_only = on;
CALL ferriorm_migrate(:'mig' || 'nolock');
RESET default_transaction_read_only;
SELECT count(*) FROM _ferriorm_migrations;

-- applies, then has nothing to do
CALL ferriorm_migrate(:'mig' || 'nolock');
CALL ferriorm_migrate(:'mig' || 'nolock');
SELECT name, migration_name, status, applied_at = finished_at AS applied_at_is_finished_at,
       execution_ms >= 0 AS timed, applied_by = current_user AS by_me, logs
FROM _ferriorm_migrations ORDER BY id;
DELETE FROM _ferriorm_migrations;
DROP TABLE users;

-- a BEGIN ... COMMIT wrapper deploys in both forms
CALL ferriorm_migrate(:'mig' || 'txctl');
SELECT to_regclass('deploy_m.txctl_t') IS NOT NULL AS created;
DELETE FROM _ferriorm_migrations;
DROP TABLE txctl_t;
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'txctl');
DELETE FROM _ferriorm_migrations;
DROP TABLE txctl_t;
-- ROLLBACK stays refused, before anything runs
CALL ferriorm_migrate(:'mig' || 'txctl_rollback');
SELECT count(*) FROM _ferriorm_migrations;

-- a COMMIT in the middle: the new enum value is used after it
CALL ferriorm_migrate(:'mig' || 'midcommit');
SELECT * FROM mc_t;
SELECT enum_range(NULL::mc_kind);
DELETE FROM _ferriorm_migrations;
DROP TABLE mc_t;
DROP TYPE mc_kind;
-- the function form refuses it up front, pointing to the procedure
SELECT * FROM ferriorm_deploy(:'mig' || 'midcommit');
SELECT to_regtype('deploy_m.mc_kind') AS mc_kind;

-- the function form runs the whole migration in one transaction: a BEGIN
-- ... COMMIT block with more steps after it (Prisma Migrate's shape for an
-- enum change) and a COMMIT that ends the migration change nothing there
SELECT ferriorm_apply('20240702000000_prisma_enum', $m$
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
CREATE TABLE pe_user (id int, role "Role" NOT NULL DEFAULT 'USER');
-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE pe_user ALTER COLUMN role DROP DEFAULT;
ALTER TABLE pe_user ALTER COLUMN role TYPE "Role_new" USING (role::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE pe_user ALTER COLUMN role SET DEFAULT 'USER';
COMMIT;

-- AlterTable
ALTER TABLE pe_user ADD COLUMN name text;
$m$);
SELECT enum_range(NULL::"Role"), to_regclass('deploy_m.pe_user') IS NOT NULL AS created;
SELECT ferriorm_apply('20240703000000_trailing_commit',
	E'ALTER TABLE pe_user ADD COLUMN email text;\nCOMMIT;\n');
SELECT attname FROM pg_attribute WHERE attrelid = 'pe_user'::regclass AND attnum > 0 ORDER BY attnum;
-- a COMMIT outside a block with steps after it is a commit point: refused
SELECT ferriorm_apply('20240704000000_stray_commit',
	E'ALTER TABLE pe_user ADD COLUMN a text;\nCOMMIT;\nALTER TABLE pe_user ADD COLUMN b text;\n');
DELETE FROM _ferriorm_migrations;
DROP TABLE pe_user;
DROP TYPE "Role";

-- an enum value added by one migration, used by the next: the procedure
-- commits in between; the function form cannot, and says what to do
SELECT * FROM ferriorm_deploy(:'mig' || 'enumuse');
CALL ferriorm_migrate(:'mig' || 'enumuse');
SELECT * FROM eu_t;
DELETE FROM _ferriorm_migrations;
DROP TABLE eu_t;
DROP TYPE eu_kind;
-- hints that suggest a call quote the migration's name as a literal: a
-- folder name may hold a quote (a pasted hint ran what followed it)
CALL ferriorm_migrate(:'mig' || 'quoted_name');
CALL ferriorm_migrate(:'mig' || 'quoted_name');
DELETE FROM _ferriorm_migrations;
-- an online migration that fails at VALIDATE CONSTRAINT leaves the
-- constraint it added and committed NOT VALID: the notice says so
CREATE TABLE ov_t (id int, qty int);
INSERT INTO ov_t VALUES (1, -5);
CALL ferriorm_migrate(:'mig' || 'online_invalid');
SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'ov_t'::regclass;
ALTER TABLE ov_t DROP CONSTRAINT ov_t_qty_check;
DELETE FROM _ferriorm_migrations;
DROP TABLE ov_t;

-- a value added and used by one migration fails in the procedure too,
-- whose hint then says what to change in the migration
CALL ferriorm_migrate(:'mig' || 'enumsame');
SELECT migration_name, status FROM _ferriorm_migrations ORDER BY migration_name;
DELETE FROM _ferriorm_migrations;
DROP TABLE es_t;
DROP TYPE es_kind;

-- a failure: the first migration stays applied, the second is recorded
-- failed with its error, and later deploys refuse until it is resolved
CALL ferriorm_migrate(:'mig' || 'failing');
SELECT to_regclass('deploy_m.accounts') IS NOT NULL AS accounts,
       to_regclass('deploy_m.ledger') IS NULL AS no_ledger;
SELECT name, status, finished_at IS NULL AS unfinished, execution_ms >= 0 AS timed, logs
FROM _ferriorm_migrations ORDER BY id;
SELECT migration, status FROM ferriorm_status(:'mig' || 'failing');
CALL ferriorm_migrate(:'mig' || 'failing');
SELECT * FROM ferriorm_deploy(:'mig' || 'failing');
SELECT ferriorm_resolve('20240202000000_ledger', 'rolled_back');
SELECT migration, status FROM ferriorm_status(:'mig' || 'failing');
-- the rolled-back one fails again: its row is updated, logs keep both
CALL ferriorm_migrate(:'mig' || 'failing');
SELECT name, status, (SELECT count(*) FROM regexp_matches(logs, 'relation "no_such_table" does not exist', 'g')) AS errors_logged
FROM _ferriorm_migrations ORDER BY id;
DELETE FROM _ferriorm_migrations;

-- a statement run over the loopback (CONCURRENTLY) means what the splitter
-- read: the session's standard_conforming_strings goes with it, as the
-- search_path does; the shadow replays it the same way (no drift)
CREATE SCHEMA deploy_scs;
SET search_path = deploy_scs, public;
SET standard_conforming_strings = off;
SET escape_string_warning = off;
CALL ferriorm_migrate(:'mig' || 'scs_off');
SELECT pg_get_indexdef('deploy_scs.scs_i'::regclass) AS index;
SELECT ferriorm_drift(:'mig' || 'scs_off', 'shadow') AS shadow_drift;
RESET escape_string_warning;
RESET standard_conforming_strings;
SELECT ferriorm_drift(:'mig' || 'scs_off', 'shadow') AS shadow_drift;
DROP SCHEMA deploy_scs CASCADE;
SET search_path = deploy_m, public;

-- a migration that moves the history table out of the extension's schema
-- (with every other table, as one of Prisma's real histories moves those
-- of public): it is moved back, with a NOTICE, and both migrations are
-- recorded (the history INSERT failed: "relation ... does not exist")
DELETE FROM _ferriorm_migrations;
CALL ferriorm_migrate(:'mig' || 'moves_history');
SELECT c.relnamespace = e.extnamespace AS history_in_place
FROM pg_class c, pg_extension e
WHERE c.relname = '_ferriorm_migrations' AND e.extname = 'ferriorm';
SELECT name, status FROM _ferriorm_migrations WHERE name ~ '_(init|move_all)$' ORDER BY name;
SELECT count(*) AS moved_here FROM pg_tables WHERE schemaname = 'deploy_mv_app';
CALL ferriorm_migrate(:'mig' || 'moves_history');
SET client_min_messages = warning;
DROP SCHEMA deploy_mv_app CASCADE;
RESET client_min_messages;

-- clean up
DELETE FROM _ferriorm_migrations;
SET client_min_messages = warning;
DROP SCHEMA deploy_m CASCADE;
RESET client_min_messages;
RESET search_path;
