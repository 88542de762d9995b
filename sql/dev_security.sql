--
-- migrate dev against hostile settings (docs/security.md, docs/dev.md):
-- ferriorm.shadow_conninfo decides which database a shadow strategy
-- empties and as whom the loopback logs in, so only a superuser may set
-- it: a database owner must not be able to make a superuser's
-- ferriorm_drift() reset (DROP SCHEMA ... CASCADE) another database by
-- ALTER DATABASE ... SET.  A conninfo naming the very database the call
-- runs in is refused before anything is dropped.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\getenv abs_srcdir PG_ABS_SRCDIR
\set mig :abs_srcdir '/test/migrations/'

-- the module loaded, so that the setting is defined, not a placeholder
LOAD 'ferriorm';
CREATE ROLE dev_s_owner;
CREATE SCHEMA dev_s;
CREATE TABLE dev_s.precious (id int PRIMARY KEY);
INSERT INTO dev_s.precious VALUES (1), (2);

-- the setting is a superuser's: not in a session of another role ...
SET ROLE dev_s_owner;
SET ferriorm.shadow_conninfo = 'dbname=postgres';
SELECT set_config('ferriorm.shadow_conninfo', 'dbname=postgres', false);
SHOW ferriorm.shadow_conninfo;
RESET ROLE;
-- ... nor as a default of the database its owner sets for everybody
ALTER DATABASE :"DBNAME" OWNER TO dev_s_owner;
SET ROLE dev_s_owner;
ALTER DATABASE :"DBNAME" SET ferriorm.shadow_conninfo = 'dbname=postgres';
RESET ROLE;
SELECT count(*) AS defaults FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
WHERE d.datname = current_database() AND s.setconfig::text LIKE '%shadow_conninfo%';
ALTER DATABASE :"DBNAME" RESET ferriorm.shadow_conninfo;
ALTER DATABASE :"DBNAME" OWNER TO CURRENT_USER;

-- a superuser's conninfo naming this very database: refused before the
-- reset, whose DROP SCHEMA ... CASCADE would empty it (or wait forever
-- for the locks this session holds: bounded here)
SET statement_timeout = '60s';
SELECT set_config('ferriorm.shadow_conninfo',
                  format('host=%s port=%s dbname=%s',
                         split_part(current_setting('unix_socket_directories'), ',', 1),
                         current_setting('port'), current_database()), false) IS NOT NULL AS set;
SELECT ferriorm_drift(:'mig' || 'basic');
SELECT ferriorm_diff_history(:'mig' || 'basic', 'datasource db { provider = "postgresql" }');
RESET ferriorm.shadow_conninfo;
RESET statement_timeout;
SELECT count(*) AS still_there FROM dev_s.precious;
-- another database of this server is a shadow a superuser may name
CREATE DATABASE dev_s_shadow;
SELECT set_config('ferriorm.shadow_conninfo',
                  format('host=%s port=%s dbname=dev_s_shadow',
                         split_part(current_setting('unix_socket_directories'), ',', 1),
                         current_setting('port')), false) IS NOT NULL AS set;
SELECT ferriorm_drift(:'mig' || 'empty_dir') AS drift;
-- but only one kept for the role the loopback acts as: owned by it, and
-- nobody else may create in it (what they make could survive the reset)
ALTER DATABASE dev_s_shadow OWNER TO dev_s_owner;
SELECT ferriorm_drift(:'mig' || 'empty_dir') AS drift;
ALTER DATABASE dev_s_shadow OWNER TO CURRENT_USER;
GRANT CREATE ON DATABASE dev_s_shadow TO dev_s_owner;
SELECT ferriorm_drift(:'mig' || 'empty_dir') AS drift;
REVOKE CREATE ON DATABASE dev_s_shadow FROM dev_s_owner;
SELECT ferriorm_drift(:'mig' || 'empty_dir') AS drift;
RESET ferriorm.shadow_conninfo;
DROP DATABASE dev_s_shadow;

-- a script (ferriorm_plan, a migration ferriorm_dev writes) never lets a
-- name out of its comments: a table owner's name with a new line in it is
-- no statement of the script a superuser runs
CREATE SCHEMA dev_s_nl;
CREATE ROLE dev_s_hostile;
GRANT USAGE, CREATE ON SCHEMA dev_s_nl TO dev_s_hostile;
CREATE TABLE dev_s_nl.victim (id int PRIMARY KEY);
SET ROLE dev_s_hostile;
CREATE TABLE dev_s_nl."x
DROP TABLE dev_s_nl.victim; --" (id int);
RESET ROLE;
SELECT ferriorm_plan($$datasource db {
  provider = "postgresql"
  schemas  = ["dev_s_nl"]
}
model victim {
  id Int @id
  @@map("victim")
  @@schema("dev_s_nl")
}
$$) AS plan \gset
SELECT :'plan' AS plan;
-- run as psql runs a script
BEGIN;
:plan
SELECT to_regclass('dev_s_nl.victim') IS NOT NULL AS victim_kept;
ROLLBACK;
DROP SCHEMA dev_s_nl CASCADE;
DROP ROLE dev_s_hostile;

DROP SCHEMA dev_s CASCADE;
DROP ROLE dev_s_owner;
