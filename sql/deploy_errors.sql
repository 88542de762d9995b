--
-- ferriorm_deploy error paths: failing migrations leave nothing behind,
-- errors name the migration and the file line, bad directories, provider
-- mismatch, statements that cannot run in a transaction; ferriorm_apply,
-- ferriorm_resolve and ferriorm_baseline.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\getenv abs_srcdir PG_ABS_SRCDIR
\set mig :abs_srcdir '/test/migrations/'

CREATE SCHEMA deploy_e;
SET search_path = deploy_e, public;

-- a failing second migration: the error names the migration, the file line
-- (of the error position when the server reports one) and the server's
-- message; the first migration of the call is rolled back too
SELECT * FROM ferriorm_deploy(:'mig' || 'failing');
SELECT to_regclass('deploy_e.accounts') AS accounts, to_regclass('deploy_e.ledger') AS ledger;
SELECT count(*) FROM _ferriorm_migrations;

-- no error position: the line of the failing statement
SELECT * FROM ferriorm_deploy(:'mig' || 'failing_nopos');
SELECT to_regclass('deploy_e.divide') AS divide;

-- a syntax error anywhere refuses the migration before it runs
SELECT * FROM ferriorm_deploy(:'mig' || 'syntax');
SELECT to_regclass('deploy_e.syntax_ok') AS syntax_ok;

-- a plain-text dump of pg_dump 15.14 and later holds psql's \restrict:
-- the hint says what the line is and to remove it
SELECT * FROM ferriorm_deploy(:'mig' || 'pgdump_restrict');
SELECT to_regclass('deploy_e.restricted') AS restricted;

-- provider mismatch, lock file without provider
SELECT * FROM ferriorm_deploy(:'mig' || 'provider_mysql');
SELECT * FROM ferriorm_status(:'mig' || 'provider_mysql');
SELECT * FROM ferriorm_deploy(:'mig' || 'lock_noprovider');
SELECT * FROM ferriorm_deploy(:'mig' || 'lock_malformed');

-- bad directories
SELECT * FROM ferriorm_deploy(:'mig' || 'bad_nosql');
SELECT to_regclass('deploy_e.bad_first') AS bad_first;
SELECT * FROM ferriorm_deploy(:'mig' || 'bad_notdir');
SELECT * FROM ferriorm_deploy('no/such/dir');
-- a file given for the directory is named as such (the error named
-- migration_lock.toml inside it)
SELECT set_config('fm.notdir', :'mig' || 'basic/README.md', false) IS NOT NULL AS set;
DO $$
BEGIN
  PERFORM * FROM ferriorm_deploy(current_setting('fm.notdir'));
EXCEPTION WHEN invalid_parameter_value THEN
  RAISE NOTICE '%', replace(SQLERRM, current_setting('fm.notdir'), '<dir>/basic/README.md');
END $$;
SELECT * FROM ferriorm_deploy('');
-- functions that change the database refuse NULL; those that only read
-- are STRICT and return NULL (or no rows)
SELECT * FROM ferriorm_deploy(NULL);
SELECT * FROM ferriorm_baseline(NULL);
SELECT ferriorm_apply(NULL, 'SELECT 1');
SELECT ferriorm_apply('20240101000000_x', NULL);
SELECT * FROM ferriorm_push(NULL);
SELECT * FROM ferriorm_push(NULL, allow_data_loss => true);
SELECT count(*) AS status_rows FROM ferriorm_status(NULL);
SELECT ferriorm_plan(NULL) IS NULL AS plan_null;
-- a relative path is relative to the data directory, as for COPY FROM and
-- pg_read_file: base/ holds a folder per database, named by OID, the
-- first of which (template1) is "1"; any folder name is a migration name,
-- and that folder has no migration.sql
SELECT * FROM ferriorm_status('base');
-- an empty directory is fine
SELECT * FROM ferriorm_deploy(:'mig' || 'empty_dir');

-- statements that cannot run in a transaction block are refused up front:
-- the first migration is not applied either
SELECT * FROM ferriorm_deploy(:'mig' || 'nontx');
SELECT to_regclass('deploy_e.nontx_t') AS nontx_t;
SELECT * FROM ferriorm_deploy(:'mig' || 'vacuum');
-- BEGIN ... ROLLBACK is refused (a BEGIN ... COMMIT wrapper deploys:
-- deploy_forms)
SELECT * FROM ferriorm_deploy(:'mig' || 'txctl_rollback');
SELECT count(*) FROM _ferriorm_migrations;

-- ferriorm_apply: a migration given as text
SELECT ferriorm_apply('20240901000000_inline', 'CREATE TABLE inline_t (id int);');
SELECT ferriorm_apply('20240901000000_inline', 'CREATE TABLE inline_t (id int);');
SELECT ferriorm_apply('20240901000000_inline', 'CREATE TABLE inline_t (id bigint);');
-- a name is one folder name: any bytes but "/", not "." or ".."
SELECT ferriorm_apply('..', 'SELECT 1');
SELECT ferriorm_apply('a/b', 'SELECT 1');
SELECT ferriorm_apply('', 'SELECT 1');
SELECT ferriorm_apply('20240902000000_fails', E'CREATE TABLE fails_t (id int);\nSELECT 1/0;');
SELECT ferriorm_apply('20240903000000_nontx', 'DROP INDEX CONCURRENTLY IF EXISTS nothing');
SELECT ferriorm_apply('20240904000000_alter_system', 'ALTER SYSTEM SET work_mem = ''8MB''');
SELECT ferriorm_apply('20240905000000_copy', E'CREATE TABLE copy_t (id int);\nCOPY copy_t FROM STDIN;');
SELECT ferriorm_apply('20240906000000_copy_out', 'COPY (SELECT 1) TO STDOUT');
SELECT migration_name, status, checksum = encode(sha256('CREATE TABLE inline_t (id int);'), 'hex') AS sha256
FROM _ferriorm_migrations;
DELETE FROM _ferriorm_migrations;
DROP TABLE inline_t;

-- ferriorm_resolve: a migration recorded as failed blocks the deploy
INSERT INTO _ferriorm_migrations (name, checksum, status, logs)
SELECT migration, checksum, 'failed', 'imported from another tool'
FROM ferriorm_status(:'mig' || 'failing') WHERE migration = '20240201000000_accounts';
SELECT migration, status FROM ferriorm_status(:'mig' || 'failing');
SELECT * FROM ferriorm_deploy(:'mig' || 'failing');
SELECT ferriorm_resolve('20240201000000_accounts', 'pending');
SELECT ferriorm_resolve('20249999000000_unknown', 'applied');
SELECT ferriorm_resolve('20240201000000_accounts', 'rolled_back');
SELECT migration, status FROM ferriorm_status(:'mig' || 'failing');
SELECT ferriorm_resolve('20240201000000_accounts', 'rolled_back');
-- a rolled-back migration is applied again (its row is updated)
SELECT ferriorm_apply('20240201000000_accounts',
	pg_read_file(:'mig' || 'failing/20240201000000_accounts/migration.sql'));
SELECT migration_name, status, execution_ms IS NOT NULL AS ran,
       logs LIKE 'imported from another tool' || E'\n' || 'resolved as rolled_back by % at %' AS logs_kept
FROM _ferriorm_migrations;
SELECT ferriorm_resolve('20240201000000_accounts', 'applied');
DELETE FROM _ferriorm_migrations;
DROP TABLE accounts;

-- resolve as applied: the migration was completed by hand
INSERT INTO _ferriorm_migrations (name, checksum, status)
SELECT migration, checksum, 'failed'
FROM ferriorm_status(:'mig' || 'failing') WHERE migration = '20240201000000_accounts';
SELECT ferriorm_resolve('20240201000000_accounts', 'applied');
SELECT migration, status FROM ferriorm_status(:'mig' || 'failing');
DELETE FROM _ferriorm_migrations;

-- resolve as applied with the directory: the file was fixed after the
-- failure, and its checksum now is what the history records (as Prisma
-- records it), so the next deploy goes on instead of refusing the edit
INSERT INTO _ferriorm_migrations (name, checksum, status, logs)
VALUES ('20240102000000_email_index', repeat('ab', 32), 'failed', 'it failed');
SELECT ferriorm_resolve('20240102000000_email_index', 'rolled_back', :'mig' || 'basic');
SELECT ferriorm_resolve('20240102000000_email_index', 'applied', 'no/such/dir');
SELECT ferriorm_resolve('20249999000000_unknown', 'applied', :'mig' || 'basic');
SELECT ferriorm_resolve(NULL, 'applied');
SELECT ferriorm_resolve('20240102000000_email_index', 'applied', :'mig' || 'basic');
SELECT name, status, checksum = (SELECT checksum FROM ferriorm_status(:'mig' || 'basic')
                                 WHERE migration = '20240102000000_email_index') AS file_checksum,
       regexp_replace(regexp_replace(logs, ' by \S+ at [^(,]*[^(, ]', ' by ... at ...', 'g'),
                      '\S*/test/migrations/', '.../', 'g') AS logs
FROM _ferriorm_migrations;
-- an applied migration whose file was edited since blocks deploys; with
-- the directory, resolve as applied accepts the edit, the old checksum
-- going to the logs; a second time there is nothing to resolve
SELECT ferriorm_resolve('20240102000000_email_index', 'applied');
SELECT migration, status FROM ferriorm_status(:'mig' || 'edited') ORDER BY 1;
SELECT ferriorm_resolve('20240102000000_email_index', 'applied', :'mig' || 'edited');
SELECT migration, status FROM ferriorm_status(:'mig' || 'edited') ORDER BY 1;
SELECT regexp_replace(regexp_replace(logs, ' by \S+ at [^(,]*[^(, ]', ' by ... at ...', 'g'),
                      '\S*/test/migrations/', '.../', 'g') AS logs
FROM _ferriorm_migrations;
SELECT ferriorm_resolve('20240102000000_email_index', 'applied', :'mig' || 'edited');
DELETE FROM _ferriorm_migrations;

-- ferriorm_baseline: record migrations without running them
SELECT * FROM ferriorm_baseline(:'mig' || 'basic', '20240199999999_none');
SELECT * FROM ferriorm_baseline(:'mig' || 'basic', '20240102000000_email_index');
SELECT migration, status FROM ferriorm_status(:'mig' || 'basic');
SELECT migration_name, execution_ms, logs FROM _ferriorm_migrations ORDER BY id;
SELECT to_regclass('deploy_e.users') AS users;
SELECT * FROM ferriorm_baseline(:'mig' || 'basic');
SELECT * FROM ferriorm_baseline(:'mig' || 'basic');
SELECT * FROM ferriorm_baseline(:'mig' || 'edited');
DELETE FROM _ferriorm_migrations;

-- REPEATABLE READ works when no other deploy changed the history meanwhile
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'nolock');
ROLLBACK;

-- clean up
SELECT count(*) FROM _ferriorm_migrations;
SET client_min_messages = warning;
DROP SCHEMA deploy_e CASCADE;
RESET client_min_messages;
RESET search_path;
