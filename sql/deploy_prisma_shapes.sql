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
