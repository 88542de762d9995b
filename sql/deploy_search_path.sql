--
-- A hostile search_path: a schema listed before pg_catalog holds look-alikes
-- of every function, operator and relation the migration-history functions
-- use internally (each raises an error when called), and a temporary table
-- shadows the history table.  deploy, status, apply, resolve and baseline
-- must behave exactly as usual and never touch them.  (The migrations
-- themselves run with the caller's search_path, as documented.)
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\getenv abs_srcdir PG_ABS_SRCDIR
\set mig :abs_srcdir '/test/migrations/'

CREATE SCHEMA deploy_evil;
CREATE FUNCTION deploy_evil.hijacked() RETURNS void LANGUAGE plpgsql AS
$$BEGIN RAISE EXCEPTION 'hijacked'; END$$;
CREATE FUNCTION deploy_evil.pg_advisory_xact_lock(bigint) RETURNS void
LANGUAGE sql AS 'SELECT deploy_evil.hijacked()';
CREATE FUNCTION deploy_evil.pg_advisory_xact_lock(integer, integer) RETURNS void
LANGUAGE sql AS 'SELECT deploy_evil.hijacked()';
CREATE FUNCTION deploy_evil.clock_timestamp() RETURNS timestamptz
LANGUAGE sql AS 'SELECT deploy_evil.hijacked(); SELECT now()';
CREATE FUNCTION deploy_evil.now() RETURNS timestamptz
LANGUAGE sql AS 'SELECT deploy_evil.hijacked(); SELECT pg_catalog.now()';
CREATE FUNCTION deploy_evil.concat_ws(text, text, text) RETURNS text
LANGUAGE sql AS 'SELECT deploy_evil.hijacked(); SELECT $1';
CREATE FUNCTION deploy_evil.nextval(regclass) RETURNS bigint
LANGUAGE sql AS 'SELECT deploy_evil.hijacked(); SELECT 1::bigint';
CREATE FUNCTION deploy_evil.current_user() RETURNS name
LANGUAGE sql AS 'SELECT deploy_evil.hijacked(); SELECT ''x''::name';
CREATE FUNCTION deploy_evil.tt(text, text) RETURNS boolean
LANGUAGE sql AS 'SELECT deploy_evil.hijacked(); SELECT true';
CREATE FUNCTION deploy_evil.tstz(timestamptz, timestamptz) RETURNS boolean
LANGUAGE sql AS 'SELECT deploy_evil.hijacked(); SELECT true';
CREATE OPERATOR deploy_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = deploy_evil.tt);
CREATE OPERATOR deploy_evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = deploy_evil.tt);
CREATE OPERATOR deploy_evil.< (LEFTARG = text, RIGHTARG = text, FUNCTION = deploy_evil.tt);
CREATE OPERATOR deploy_evil.~ (LEFTARG = text, RIGHTARG = text, FUNCTION = deploy_evil.tt);
CREATE OPERATOR deploy_evil.<= (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = deploy_evil.tstz);
CREATE TABLE deploy_evil._ferriorm_migrations (LIKE _ferriorm_migrations);
CREATE TEMP TABLE _ferriorm_migrations (LIKE _ferriorm_migrations);

-- the look-alikes do fire when a query resolves names on this search_path
SET search_path = deploy_evil, pg_catalog, public;
SELECT 'a'::text = 'a'::text;
SELECT pg_advisory_xact_lock(1::bigint);

-- deploy, re-deploy, status
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'basic');
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'basic');
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'basic4');
SELECT migration, status, applied_at IS NOT NULL AS has_time
FROM ferriorm_status(:'mig' || 'basic4');
-- a checksum mismatch and a missing migration are still found
SELECT * FROM ferriorm_deploy(:'mig' || 'edited');
SELECT migration, status FROM ferriorm_status(:'mig' || 'missing');
-- apply, resolve, baseline
SELECT ferriorm_apply('20240501000000_inline', 'SELECT 1');
SELECT ferriorm_apply('20240501000000_inline', 'SELECT 1');
UPDATE public._ferriorm_migrations SET status = 'failed'
WHERE migration_name OPERATOR(pg_catalog.=) '20240501000000_inline';
SELECT ferriorm_resolve('20240501000000_inline', 'rolled_back');
SELECT ferriorm_apply('20240501000000_inline', 'SELECT 1');
DELETE FROM public._ferriorm_migrations;
SELECT migration, status FROM ferriorm_baseline(:'mig' || 'basic');
RESET search_path;

-- everything went to the real history; the look-alike tables are empty
SELECT (SELECT count(*) FROM public._ferriorm_migrations) AS history,
       (SELECT count(*) FROM deploy_evil._ferriorm_migrations) AS evil,
       (SELECT count(*) FROM pg_temp._ferriorm_migrations) AS temp;
SELECT migration_name, status, execution_ms FROM public._ferriorm_migrations ORDER BY id;

-- clean up
DELETE FROM public._ferriorm_migrations;
DROP TABLE pg_temp._ferriorm_migrations;
SET client_min_messages = warning;
DROP SCHEMA deploy_evil CASCADE;
RESET client_min_messages;
