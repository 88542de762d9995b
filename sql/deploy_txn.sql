--
-- The migration-history functions in unusual transaction contexts: a
-- read-only transaction, twice in one transaction, inside DO blocks and
-- functions whose EXCEPTION clause catches their errors, savepoints, and
-- SERIALIZABLE.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\getenv abs_srcdir PG_ABS_SRCDIR
\set mig :abs_srcdir '/test/migrations/'

CREATE SCHEMA deploy_x;
SET search_path = deploy_x, public;
SET ferriorm_test.mig TO :'mig';

-- a read-only transaction: the writers refuse up front, even with nothing
-- pending; status works
BEGIN READ ONLY;
SELECT * FROM ferriorm_deploy(:'mig' || 'nolock');
ROLLBACK;
BEGIN READ ONLY;
SELECT ferriorm_apply('20240101000000_ro', 'SELECT 1');
ROLLBACK;
BEGIN READ ONLY;
SELECT ferriorm_resolve('20240101000000_ro', 'applied');
ROLLBACK;
BEGIN READ ONLY;
SELECT * FROM ferriorm_baseline(:'mig' || 'nolock');
ROLLBACK;
BEGIN READ ONLY;
SELECT migration, status FROM ferriorm_status(:'mig' || 'nolock');
ROLLBACK;

-- twice in one transaction: the second call sees the first's rows
BEGIN;
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'nolock');
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'nolock');
SELECT ferriorm_apply('20240101000001_twice', 'CREATE TABLE twice (id int)');
SELECT ferriorm_apply('20240101000001_twice', 'CREATE TABLE twice (id int)');
SELECT migration_name FROM _ferriorm_migrations ORDER BY id;
ROLLBACK;

-- a failing deploy caught by an EXCEPTION clause leaves nothing behind, and
-- the next deploy in the same block works
DO $$
BEGIN
	BEGIN
		PERFORM ferriorm_deploy(current_setting('ferriorm_test.mig') || 'failing');
	EXCEPTION WHEN undefined_table THEN
		RAISE NOTICE 'caught: %', SQLERRM;
	END;
	RAISE NOTICE 'accounts: %, history rows: %',
		to_regclass('deploy_x.accounts'), (SELECT count(*) FROM _ferriorm_migrations);
	PERFORM ferriorm_deploy(current_setting('ferriorm_test.mig') || 'nolock');
	RAISE NOTICE 'users: %, history rows: %',
		to_regclass('deploy_x.users'), (SELECT count(*) FROM _ferriorm_migrations);
END
$$;
SELECT migration_name FROM _ferriorm_migrations;
DELETE FROM _ferriorm_migrations;
DROP TABLE users;

-- a savepoint rolled back to undoes a deploy; the transaction goes on
BEGIN;
SAVEPOINT s;
SELECT migration FROM ferriorm_deploy(:'mig' || 'nolock');
ROLLBACK TO s;
SELECT count(*) FROM _ferriorm_migrations;
SELECT migration FROM ferriorm_deploy(:'mig' || 'nolock');
COMMIT;
SELECT migration_name FROM _ferriorm_migrations;
DELETE FROM _ferriorm_migrations;
DROP TABLE users;

-- an error while recording (here: raised by a trigger on the history
-- table, which runs as the table's owner) raised while running as the
-- history table's owner, then caught: the caller is not left running as the
-- owner
CREATE FUNCTION deploy_x.refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE unique_violation USING MESSAGE = 'refused by a test trigger';
END
$$;
CREATE TRIGGER refuse_row BEFORE INSERT ON _ferriorm_migrations
FOR EACH ROW EXECUTE FUNCTION deploy_x.refuse_row();
CREATE ROLE regress_deploy_txn;
GRANT USAGE ON SCHEMA deploy_x TO regress_deploy_txn;
GRANT EXECUTE ON FUNCTION ferriorm_apply(text, text) TO regress_deploy_txn;
SET ROLE regress_deploy_txn;
DO $$
BEGIN
	PERFORM ferriorm_apply('20240101000002_self', 'SELECT 2');
EXCEPTION WHEN unique_violation THEN
	RAISE NOTICE 'caught: %; current_user is %', SQLERRM, current_user;
END
$$;
SELECT current_user;
SHOW search_path;
-- and the owner's rights are gone: the history cannot be written
INSERT INTO _ferriorm_migrations (name, checksum)
VALUES ('20240101000003_forged', repeat('0', 64));
RESET ROLE;
DROP TRIGGER refuse_row ON _ferriorm_migrations;
SELECT count(*) FROM _ferriorm_migrations;

-- a migration that applies a migration (here: itself) is refused, short
SELECT ferriorm_apply('20240101000004_nested',
	$m$SELECT ferriorm_apply('20240101000004_nested', 'SELECT 2')$m$);
SELECT ferriorm_apply('20240101000005_nested_deploy',
	$m$SELECT * FROM ferriorm_deploy('/nonexistent')$m$);
SELECT ferriorm_apply('20240101000006_nested_push',
	$m$SELECT * FROM ferriorm_push('')$m$);
SELECT ferriorm_apply('20240101000007_nested_resolve',
	$m$SELECT ferriorm_resolve('x', 'applied')$m$);
SELECT ferriorm_apply('20240101000008_nested_migrate',
	$m$CALL ferriorm_migrate('/nonexistent')$m$);
-- a migration that deploys its own directory: one short error, no
-- recursion
SELECT * FROM ferriorm_deploy(:'mig' || 'recursive');
DO $$
BEGIN
	PERFORM ferriorm_deploy(current_setting('ferriorm_test.mig') || 'recursive');
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	RAISE NOTICE 'message length < 200: %', length(SQLERRM) < 200;
END
$$;
SELECT count(*) FROM _ferriorm_migrations;

-- SERIALIZABLE: works when nobody else changed the history
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'nolock');
SELECT migration, status FROM ferriorm_status(:'mig' || 'nolock');
COMMIT;
DELETE FROM _ferriorm_migrations;

-- clean up
SET client_min_messages = warning;
DROP SCHEMA deploy_x CASCADE;
RESET client_min_messages;
REVOKE EXECUTE ON FUNCTION ferriorm_apply(text, text) FROM regress_deploy_txn;
DROP ROLE regress_deploy_txn;
RESET search_path;
RESET ferriorm_test.mig;
