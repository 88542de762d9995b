--
-- relations_fk_types: a foreign key field may reference a key field of
-- another native type when both have the same scalar type and PostgreSQL
-- can compare the two types in a foreign key (typmods never matter;
-- character varying -> text, smallint <-> integer <-> bigint columns of an
-- Int, date <-> timestamp).  Prisma checks only the scalar type; pairs that
-- PostgreSQL refuses (String -> String @db.Uuid, DateTime @db.Time ->
-- DateTime) stay errors, and so do different scalar types (Int -> BigInt,
-- which Prisma refuses too).  ferriorm_pull() states such foreign keys as
-- relations, in both dialects.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
CREATE SCHEMA fkt;
SET search_path = fkt, public;
CREATE TEMP TABLE s (id text PRIMARY KEY, txt text);
-- PK and FK types replaced in one template: %K key, %F referencing field
INSERT INTO s VALUES ('tpl', $$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model A {
  id %K @id
  bs B[]
}
model B {
  id  Int @id
  aId %F
  a   A   @relation(fields: [aId], references: [id])
}
$$);
CREATE TEMP TABLE pairs (n int, k text, f text);
INSERT INTO pairs VALUES
  (1, 'String', 'String @db.VarChar(100)'),
  (2, 'String @db.VarChar(30)', 'String'),
  (3, 'String @db.Char(5)', 'String @db.VarChar(3)'),
  (4, 'Int @db.SmallInt', 'Int'),
  (5, 'Decimal @db.Decimal(5, 2)', 'Decimal'),
  (6, 'Float @db.Real', 'Float'),
  (7, 'DateTime @db.Date', 'DateTime'),
  (8, 'DateTime @db.Timetz', 'DateTime @db.Time'),
  (9, 'String @db.Uuid', 'String'),
  (10, 'String', 'String @db.Uuid'),
  (11, 'DateTime @db.Time', 'DateTime'),
  (12, 'BigInt', 'Int'),
  (13, 'String @db.Citext', 'String'),
  (14, 'Int', 'Int @db.Oid'),
  (15, 'String', 'String @db.Inet');
-- every pair in both dialects: no error, or the error
CREATE TEMP VIEW errors AS
SELECT p.n, p.k AS key, p.f AS field,
       coalesce((SELECT string_agg(v.message, '; ')
                 FROM ferriorm_validate(replace(replace((SELECT txt FROM s WHERE id = 'tpl'),
                                                        '%K', p.k), '%F', p.f)) v
                 WHERE v.severity = 'error'), '') AS errors
FROM pairs p ORDER BY p.n;
SET ferriorm.dialect = prisma;
SELECT * FROM errors;
SET ferriorm.dialect = ferriorm;
SELECT * FROM errors;
RESET ferriorm.dialect;
-- what the validator accepts, PostgreSQL accepts: the DDL of every accepted
-- pair applies (each in a schema of its own)
DO $$
DECLARE
  p record;
  src text;
BEGIN
  FOR p IN SELECT * FROM pairs ORDER BY n LOOP
    src := replace(replace((SELECT txt FROM s WHERE id = 'tpl'), '%K', p.k), '%F', p.f);
    PERFORM set_config('ferriorm.dialect', 'prisma', true);
    CONTINUE WHEN EXISTS (SELECT FROM ferriorm_validate(src) WHERE severity = 'error');
    src := replace(src, 'url      = "postgresql://localhost/app"',
                   'url      = "postgresql://localhost/app"' || E'\n  schemas  = ["fkt' || p.n || '"]');
    src := replace(src, E'model A {\n', E'model A {\n  @@schema("fkt' || p.n || E'")\n');
    src := replace(src, E'model B {\n', E'model B {\n  @@schema("fkt' || p.n || E'")\n');
    src := replace(src, 'datasource db {', E'generator client {\n  provider        = "prisma-client-js"\n  previewFeatures = ["multiSchema"]\n}\ndatasource db {');
    EXECUTE ferriorm_diff(NULL, src);
  END LOOP;
END $$;
RESET ferriorm.dialect;
SELECT c.relnamespace::regnamespace AS schema, k.conname,
       format_type(a.atttypid, a.atttypmod) AS fk_type,
       format_type(r.atttypid, r.atttypmod) AS key_type
FROM pg_catalog.pg_constraint k
JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
JOIN pg_catalog.pg_attribute r ON r.attrelid = k.confrelid AND r.attnum = k.confkey[1]
WHERE k.contype = 'f' AND c.relnamespace::regnamespace::text ~ '^fkt[0-9]+$'
ORDER BY 1;
-- pull: such foreign keys are relations, in both dialects, and the text
-- plans to nothing
CREATE TABLE fkt."User" (id varchar(30) PRIMARY KEY, code smallint UNIQUE);
CREATE TABLE fkt."Key" (
  id text PRIMARY KEY,
  "userId" text NOT NULL REFERENCES fkt."User" ON DELETE CASCADE,
  "userCode" integer REFERENCES fkt."User" (code)
);
\pset tuples_only on
\pset format unaligned
SET ferriorm.dialect = prisma;
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS plans_to_nothing;
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS plans_to_nothing;
RESET ferriorm.dialect;
\pset tuples_only off
\pset format aligned
RESET search_path;
SET client_min_messages = warning;
DO $$
DECLARE n name;
BEGIN
  FOR n IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'fkt%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', n);
  END LOOP;
END $$;
RESET client_min_messages;
