--
-- Shapes found in real public Prisma histories (docs/testing.md, "Real
-- histories against their own schema", fourth round), each as a small
-- history of our own under test/migrations/: deployed with
-- ferriorm_migrate, then the schema.prisma beside it planned on the result
-- (prisma dialect) must be up to date, as Prisma's own diff is.
--
\getenv abs_srcdir PG_ABS_SRCDIR
SET client_min_messages = warning;

-- implicit many-to-many relations with long names (trycompai/comp): Prisma
-- names the join table's foreign keys "<table clipped>_A_fkey" (the table's
-- name clipped, not "<table>_A" as for a model's key, which made both keys
-- of a 60-byte join table one name and the schema an error), and clips a
-- join table name over 63 bytes (an error before)
\set mig :abs_srcdir '/test/migrations/m2m_long_names'
\set schema_file :mig '/schema.prisma'
CALL ferriorm_migrate(:'mig');
SELECT conname FROM pg_constraint
 WHERE connamespace = 'm2m_long'::regnamespace AND contype = 'f' ORDER BY 1;
SET ferriorm.dialect = prisma;
SELECT coalesce(nullif(ferriorm_plan(pg_read_file(:'schema_file')), ''), 'up to date') AS plan;
SELECT severity, line, message FROM ferriorm_validate(pg_read_file(:'schema_file'));
-- pull reads both join tables as implicit many-to-many relations, as
-- Prisma's db pull does (it took them for models: the foreign key names)
SELECT ferriorm_pull(ARRAY['m2m_long']) AS pull \gset
\a\t
SELECT :'pull';
\a\t
SELECT coalesce(nullif(ferriorm_plan(:'pull'), ''), 'up to date') AS plan;
-- the ferriorm dialect never clips a derived name: it asks for a shorter one
SET ferriorm.dialect = ferriorm;
SELECT severity, line, message FROM ferriorm_validate(pg_read_file(:'schema_file'));
RESET ferriorm.dialect;
DROP SCHEMA m2m_long CASCADE;
DELETE FROM _ferriorm_migrations;

-- a history that creates Prisma's own "_prisma_migrations" (Jrmromao/
-- prompt-craft, Wsnusptr/Jaladri-news-website), with a script run by hand
-- kept beside the migration folders as a plain file named like one
-- (prompt-craft): the file is ignored with a warning, as Prisma Migrate
-- ignores it (it was an error); the plan leaves "_prisma_migrations" alone
-- in both dialects, as Prisma's diff and db pull do (it was dropped, and
-- on every database Prisma had deployed)
\set mig :abs_srcdir '/test/migrations/prisma_handmade'
\set schema_file :mig '/schema.prisma'
CALL ferriorm_migrate(:'mig');
SELECT migration, status FROM ferriorm_status(:'mig') ORDER BY 1;
SELECT to_regclass('public."_prisma_migrations"') IS NOT NULL AS has_prisma_history;
SET ferriorm.dialect = prisma;
SELECT coalesce(nullif(ferriorm_plan(pg_read_file(:'schema_file')), ''), 'up to date') AS plan;
SELECT position('_prisma_migrations' IN ferriorm_pull()) AS in_pull;
SELECT coalesce(nullif(ferriorm_drift(:'mig'), ''), 'no drift') AS drift;
RESET ferriorm.dialect;
SELECT position('_prisma_migrations' IN ferriorm_plan('datasource db {
  provider = "postgresql"
}
model Note {
  id    Int     @id @default(autoincrement()) @map("id")
  body  String
  title String?
  @@map("Note")
}')) AS in_ferriorm_plan;
-- a directory with no migration folder, only such files, is still refused
SELECT * FROM ferriorm_status(:'abs_srcdir' || '/test/migrations/bad_notdir');
DROP TABLE "_prisma_migrations", "Note";
DELETE FROM _ferriorm_migrations;

-- a baselined history whose 0_init is a pg_dump (set_config('search_path',
-- '', false) for the session): deploy scopes it to its migration, and so
-- does the shadow replay now (the next migration failed there, "no schema
-- has been selected to create in")
\set mig :abs_srcdir '/test/migrations/pgdump_baseline'
CALL ferriorm_migrate(:'mig');
SELECT migration, status FROM ferriorm_status(:'mig') ORDER BY 1;
SELECT coalesce(nullif(ferriorm_drift(:'mig'), ''), 'no drift') AS drift;
SELECT coalesce(nullif(ferriorm_drift(:'mig', 'rollback'), ''), 'no drift') AS drift_rollback;
SELECT count(*) FROM pg_database WHERE datname LIKE '%ferriorm_shadow%';
DROP TABLE "Post", "Tag";
DELETE FROM _ferriorm_migrations;
