--
-- A pre-created shadow database (ferriorm.shadow_conninfo with a dbname,
-- docs/dev.md): a conninfo naming only the database reaches this server
-- (its socket directory and port, as the default loopback does), the
-- reset keeps the extensions that were installed there before (and their
-- schemas) while emptying everything else, and the extensions a replayed
-- history creates are dropped again, so that the next replay can create
-- them anew.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\getenv abs_srcdir PG_ABS_SRCDIR
\set mig :abs_srcdir '/test/migrations/'
\set home :DBNAME

-- the shadow, prepared by an administrator: an extension in its own
-- schema, one in public, and something stale to be emptied
CREATE DATABASE dev_sr_shadow;
\c dev_sr_shadow
CREATE SCHEMA ext;
CREATE EXTENSION pg_trgm SCHEMA ext;
CREATE EXTENSION "uuid-ossp";
CREATE TABLE public.stale (id int);
CREATE TABLE ext.stale_too (id int);
CREATE SCHEMA stale_schema;
\c :home

-- no host, no port: this server
SET ferriorm.shadow_conninfo = 'dbname=dev_sr_shadow';
SELECT ferriorm_diff_history(:'mig' || 'ext_history', $$
datasource db {
  provider = "postgresql"
}
model users {
  id    Int    @id @default(autoincrement())
  email String @db.Citext

  @@map("users")
}
$$) AS first;
-- the history's CREATE EXTENSION citext runs again
SELECT ferriorm_diff_history(:'mig' || 'ext_history', $$
datasource db {
  provider = "postgresql"
}
model users {
  id    Int    @id @default(autoincrement())
  email String @db.Citext
  name  String?

  @@map("users")
}
$$) AS second;
-- and after a replay that fails half-way
\set VERBOSITY terse
SELECT ferriorm_diff_history(:'mig' || 'ext_failing', 'datasource db { provider = "postgresql" }');
\set VERBOSITY default
SELECT ferriorm_diff_history(:'mig' || 'ext_history', $$
datasource db {
  provider = "postgresql"
}
model users {
  id    Int    @id @default(autoincrement())
  email String @db.Citext

  @@map("users")
}
$$) AS third;
RESET ferriorm.shadow_conninfo;

\c dev_sr_shadow
SELECT e.extname, n.nspname FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY 1;
SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('public', 'ext', 'stale_schema') AND c.relkind = 'r' ORDER BY 1, 2;
SELECT nspname FROM pg_namespace WHERE nspname !~ '^(pg_|information_schema$)' ORDER BY 1;
SELECT ext.similarity('abc', 'abd') > 0 AS trgm_works;
\c :home
DROP DATABASE dev_sr_shadow;
