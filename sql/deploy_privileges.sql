--
-- Privileges of the migration-history functions: reading a migrations
-- directory needs superuser or pg_read_server_files (core's check and
-- wording); migration SQL runs with the caller's privileges; the history
-- is readable by PUBLIC and writable only through the functions.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\getenv abs_srcdir PG_ABS_SRCDIR
\set priv :abs_srcdir '/test/migrations/priv'

CREATE ROLE regress_deploy_nobody;
CREATE ROLE regress_deploy_deployer;
GRANT pg_read_server_files TO regress_deploy_deployer;
CREATE SCHEMA deploy_priv;

-- the default privileges of the functions
SELECT p.proname, has_function_privilege('regress_deploy_nobody', p.oid, 'EXECUTE') AS nobody_can,
       p.prosecdef AS security_definer
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'ferriorm'
WHERE p.proname IN ('ferriorm_deploy', 'ferriorm_status', 'ferriorm_apply',
                    'ferriorm_resolve', 'ferriorm_baseline')
ORDER BY 1;
SELECT has_table_privilege('regress_deploy_nobody', '_ferriorm_migrations', 'SELECT') AS sel,
       has_table_privilege('regress_deploy_nobody', '_ferriorm_migrations', 'INSERT') AS ins,
       has_table_privilege('regress_deploy_deployer', '_ferriorm_migrations', 'INSERT') AS deployer_ins,
       has_table_privilege('regress_deploy_deployer', '_ferriorm_migrations', 'UPDATE') AS deployer_upd;

-- a role lacking pg_read_server_files cannot read a migrations directory
SET ROLE regress_deploy_nobody;
SELECT * FROM ferriorm_deploy(:'priv');
SELECT * FROM ferriorm_status(:'priv');
SELECT * FROM ferriorm_baseline(:'priv');
SELECT ferriorm_apply('20240802000000_inline', 'SELECT 1');
SELECT ferriorm_resolve('20240801000000_priv', 'applied');
-- it can read the history, not write it
SELECT count(*) FROM _ferriorm_migrations;
INSERT INTO _ferriorm_migrations (name, checksum)
VALUES ('20240801000000_priv', repeat('0', 64));
RESET ROLE;

-- a pg_read_server_files member may deploy, but the migration runs with its
-- own privileges: without CREATE on the schema it fails, nothing recorded
SET ROLE regress_deploy_deployer;
SELECT migration, status FROM ferriorm_status(:'priv');
SELECT * FROM ferriorm_deploy(:'priv');
SELECT count(*) FROM _ferriorm_migrations;
-- and it cannot write the history directly
INSERT INTO _ferriorm_migrations (name, checksum)
VALUES ('20240801000000_priv', repeat('0', 64));
RESET ROLE;

GRANT USAGE, CREATE ON SCHEMA deploy_priv TO regress_deploy_deployer;
SET ROLE regress_deploy_deployer;
SELECT migration, status FROM ferriorm_deploy(:'priv');
SELECT migration, status FROM ferriorm_status(:'priv');
UPDATE _ferriorm_migrations SET status = 'failed';
DELETE FROM _ferriorm_migrations;
RESET ROLE;
-- recorded as the deployer; the table it created is the deployer's
SELECT migration_name, status, applied_by FROM _ferriorm_migrations;
SELECT tableowner FROM pg_tables
WHERE schemaname = 'deploy_priv' AND tablename = 'owned_by_deployer';

-- ferriorm_apply can be granted to a role without file access; the SQL
-- still runs with that role's privileges, so it cannot write the history
-- through a migration either
GRANT EXECUTE ON FUNCTION ferriorm_apply(text, text) TO regress_deploy_nobody;
SET ROLE regress_deploy_nobody;
SELECT ferriorm_apply('20240802000000_inline', 'CREATE TABLE deploy_priv.nope (id int)');
SELECT ferriorm_apply('20240803000000_sneaky',
  $$INSERT INTO _ferriorm_migrations (name, checksum) VALUES ('20240804000000_fake', repeat('0', 64))$$);
SELECT ferriorm_apply('20240805000000_harmless', 'SELECT 1');
RESET ROLE;
SELECT migration_name, status, applied_by FROM _ferriorm_migrations ORDER BY id;

-- a role that is not a superuser cannot open the loopback without a
-- password (dblink's rule): CALL ferriorm_migrate refuses a directory with
-- a statement that needs it before anything is applied, not after the
-- migrations before that statement committed
DELETE FROM _ferriorm_migrations;
SET ROLE regress_deploy_deployer;
SET search_path = deploy_priv;
CALL public.ferriorm_migrate(:'abs_srcdir' || '/test/migrations/scs_off');
RESET search_path;
RESET ROLE;
SELECT count(*) AS recorded FROM _ferriorm_migrations;
SELECT to_regclass('deploy_priv.scs_t') IS NULL AS nothing_created;

-- ferriorm.loopback_conninfo, the password of that loopback, is a
-- superuser's setting (docs/migrations.md): not the role's ...
SET ROLE regress_deploy_deployer;
SET ferriorm.loopback_conninfo = 'password=guess';
SHOW ferriorm.loopback_conninfo;
RESET ROLE;
-- ... and it may give the address, the password and the transport, not
-- the database, the user or the session's options
SET ferriorm.loopback_conninfo = 'dbname=postgres';
SET ferriorm.loopback_conninfo = 'user=postgres password=x';
SET ferriorm.loopback_conninfo = 'password=x options=''-c search_path=evil''';
SET ferriorm.loopback_conninfo = 'service=other';
SET ferriorm.loopback_conninfo = 'password=x port';
SET ferriorm.loopback_conninfo = 'host=/nonexistent port=5432 password=x sslmode=disable connect_timeout=5';
SHOW ferriorm.loopback_conninfo;
-- a password the server does not ask for (trust on its socket) is
-- refused by a trial connection, before anything is applied
SET ferriorm.loopback_conninfo = 'password=x';
SET ROLE regress_deploy_deployer;
SET search_path = deploy_priv;
-- (terse: the hint names this server's port)
\set VERBOSITY terse
CALL public.ferriorm_migrate(:'abs_srcdir' || '/test/migrations/scs_off');
\set VERBOSITY default
RESET search_path;
RESET ROLE;
RESET ferriorm.loopback_conninfo;
SELECT migration_name, status FROM _ferriorm_migrations ORDER BY migration_name;
SELECT to_regclass('deploy_priv.scs_t') IS NULL AS nothing_created;

-- the logs of a failed migration hold its error, whose detail may show
-- rows (a duplicate key's value) of a table PUBLIC may not read: PUBLIC
-- reads every column of the history but logs
DELETE FROM _ferriorm_migrations;
CREATE TABLE deploy_priv.secret (email text);
INSERT INTO deploy_priv.secret VALUES ('alice@secret.example'), ('alice@secret.example');
\set leak :abs_srcdir '/test/migrations/leak'
CALL ferriorm_migrate(:'leak');
SELECT migration_name, status, logs LIKE '%alice@secret.example%' AS logs_show_the_key
FROM _ferriorm_migrations;
SELECT has_column_privilege('regress_deploy_nobody', '_ferriorm_migrations', 'logs', 'SELECT') AS nobody_logs,
       has_column_privilege('regress_deploy_nobody', '_ferriorm_migrations', 'status', 'SELECT') AS nobody_status;
SET ROLE regress_deploy_nobody;
SELECT count(*) FROM deploy_priv.secret;
SELECT logs FROM _ferriorm_migrations;
SELECT * FROM _ferriorm_migrations;
SELECT count(*), min(name) AS name, min(status) AS status FROM _ferriorm_migrations;
SELECT name, checksum IS NOT NULL AS checksum, applied_at IS NOT NULL AS applied_at,
       status, started_at IS NOT NULL AS started_at, finished_at, execution_ms,
       applied_by, migration_name
FROM _ferriorm_migrations;
RESET ROLE;

-- clean up
DELETE FROM _ferriorm_migrations;
SET client_min_messages = warning;
DROP SCHEMA deploy_priv CASCADE;
RESET client_min_messages;
REVOKE EXECUTE ON FUNCTION ferriorm_apply(text, text) FROM regress_deploy_nobody;
DROP ROLE regress_deploy_nobody;
DROP ROLE regress_deploy_deployer;
