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
CREATE FUNCTION public.stale_eq(int, int) RETURNS boolean LANGUAGE sql AS 'SELECT $1 = $2';
CREATE OPERATOR public.=== (LEFTARG = int, RIGHTARG = int, FUNCTION = public.stale_eq);
CREATE OPERATOR public.=#= (LEFTARG = text, RIGHTARG = text, FUNCTION = pg_catalog.texteq);
CREATE COLLATION public.stale_c (locale = 'C');
CREATE TEXT SEARCH CONFIGURATION public.stale_ts (COPY = pg_catalog.simple);
CREATE TEXT SEARCH DICTIONARY public.stale_dict (TEMPLATE = pg_catalog.simple);
CREATE OPERATOR FAMILY public.stale_fam USING btree;
CREATE TYPE public.stale_enum AS ENUM ('a');
CREATE VIEW public.stale_view AS SELECT 1 AS one;
CREATE SEQUENCE public.stale_seq;
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
-- nothing else is left in public that no extension owns
SELECT count(*) AS left_in_public FROM pg_depend d
RIGHT JOIN (SELECT 'pg_class'::regclass AS c, oid FROM pg_class WHERE relnamespace = 'public'::regnamespace
            AND relname <> 'users' AND relname !~ '^users_'
  UNION ALL SELECT 'pg_type'::regclass, oid FROM pg_type WHERE typnamespace = 'public'::regnamespace
            AND typname !~ '^_?users$'
  UNION ALL SELECT 'pg_proc'::regclass, oid FROM pg_proc WHERE pronamespace = 'public'::regnamespace
  UNION ALL SELECT 'pg_operator'::regclass, oid FROM pg_operator WHERE oprnamespace = 'public'::regnamespace
  UNION ALL SELECT 'pg_collation'::regclass, oid FROM pg_collation WHERE collnamespace = 'public'::regnamespace
  UNION ALL SELECT 'pg_opfamily'::regclass, oid FROM pg_opfamily WHERE opfnamespace = 'public'::regnamespace
  UNION ALL SELECT 'pg_ts_config'::regclass, oid FROM pg_ts_config WHERE cfgnamespace = 'public'::regnamespace
  UNION ALL SELECT 'pg_ts_dict'::regclass, oid FROM pg_ts_dict WHERE dictnamespace = 'public'::regnamespace) o
  ON d.classid = o.c AND d.objid = o.oid AND d.deptype = 'e'
WHERE d.objid IS NULL;
SELECT ext.similarity('abc', 'abd') > 0 AS trgm_works;
\c :home
DROP DATABASE dev_sr_shadow;
