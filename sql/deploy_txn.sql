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

-- an error while recording (here: a migration that records itself through
-- a nested ferriorm_apply, so the outer INSERT violates the unique name)
-- raised while running as the history table's owner, then caught: the
-- caller is not left running as the owner
CREATE ROLE regress_deploy_txn;
GRANT USAGE ON SCHEMA deploy_x TO regress_deploy_txn;
GRANT EXECUTE ON FUNCTION ferriorm_apply(text, text) TO regress_deploy_txn;
SET ROLE regress_deploy_txn;
DO $$
BEGIN
	PERFORM ferriorm_apply('20240101000002_self',
		$m$SELECT ferriorm_apply('20240101000002_self', 'SELECT 2')$m$);
EXCEPTION WHEN unique_violation THEN
	RAISE NOTICE 'caught: %; current_user is %', SQLERRM, current_user;
END
$$;
SELECT current_user;
SHOW search_path;
-- and the owner's rights are gone: the history cannot be written
INSERT INTO _ferriorm_migrations (migration_name, checksum)
VALUES ('20240101000003_forged', repeat('0', 64));
RESET ROLE;
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
