--
-- tables_storage: UNLOGGED tables and the storage parameters fillfactor and
-- autovacuum_* (@@unlogged, @@storage: ferriorm's attributes).  Text ->
-- DDL -> empty plan; catalog -> plan (SET LOGGED/UNLOGGED with its
-- rewrite hazard, SET and RESET of parameters); the prisma dialect cannot
-- state them and keeps the live settings; invalid uses.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA tsto_meta;
CREATE FUNCTION tsto_meta.ds() RETURNS text LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["tsto"]\n}\n'
$$;
CREATE TABLE tsto_meta.v (id int PRIMARY KEY, txt text);
INSERT INTO tsto_meta.v VALUES
(1, $$
model Event {
  id   Int    @id
  body String
  @@unlogged
  @@storage(fillfactor: 70, autovacuum_enabled: false, autovacuum_vacuum_scale_factor: 0.05)
  @@map("event")
  @@schema("tsto")
}
$$),
(2, $$
model Event {
  id   Int    @id
  body String
  @@storage(fillfactor: 90, autovacuum_analyze_threshold: 100)
  @@map("event")
  @@schema("tsto")
}
$$),
(3, $$
model Event {
  id   Int    @id
  body String
  @@map("event")
  @@schema("tsto")
}
$$);

-- 1. text -> DDL
SELECT ferriorm_diff('', tsto_meta.ds() || txt) FROM tsto_meta.v WHERE id = 1;
SELECT ferriorm_plan(tsto_meta.ds() || txt) FROM tsto_meta.v WHERE id = 1 \gexec
SELECT coalesce(nullif(ferriorm_plan(tsto_meta.ds() || txt), ''), 'up to date') FROM tsto_meta.v WHERE id = 1;
SELECT relpersistence, reloptions FROM pg_class WHERE oid = 'tsto.event'::regclass;

-- 2. changed: logged again (a rewrite), one parameter changed, one added, two reset
INSERT INTO tsto.event VALUES (1, 'a'), (2, 'b');
SELECT ferriorm_plan(tsto_meta.ds() || txt, verify => true) FROM tsto_meta.v WHERE id = 2;
SELECT ferriorm_plan(tsto_meta.ds() || txt) FROM tsto_meta.v WHERE id = 2 \gexec
SELECT relpersistence, reloptions FROM pg_class WHERE oid = 'tsto.event'::regclass;

-- 3. dropped: every parameter reset
SELECT ferriorm_plan(tsto_meta.ds() || txt, verify => true) FROM tsto_meta.v WHERE id = 3;
-- and unlogged again from the catalog's side
SELECT ferriorm_plan(tsto_meta.ds() || txt, verify => true) FROM tsto_meta.v WHERE id = 1;

-- 4. parameters the language does not state are not managed
ALTER TABLE tsto.event SET (toast_tuple_target = 256);
SELECT coalesce(nullif(ferriorm_plan(tsto_meta.ds() || txt), ''), 'up to date') FROM tsto_meta.v WHERE id = 2;

-- 5. the prisma dialect cannot state them: the live settings are kept
ALTER TABLE tsto.event SET UNLOGGED, SET (fillfactor = 50);
SELECT coalesce(nullif(ferriorm_plan(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tsto_meta.ds() || $$
model event {
  id   Int    @id
  body String
  @@schema("tsto")
}
$$), ''), 'up to date');

-- 5b. database -> pull -> empty plan: UNLOGGED and storage parameters made
-- by hand
CREATE SCHEMA tsto_pull;
CREATE UNLOGGED TABLE tsto_pull.ev (id int PRIMARY KEY)
  WITH (fillfactor = 70, autovacuum_enabled = false, autovacuum_vacuum_scale_factor = 0.05);
SELECT ferriorm_pull(ARRAY['tsto_pull']);
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tsto_pull'])), ''), 'up to date');
-- 5c. values as PostgreSQL reads them, in any spelling it keeps
-- (reloptions hold the text as written): '.60' is 0.6, '0x46' 70, '0100'
-- 64 (strtol, base 0), ' 100 ' 100, 1 / yes true, 'OFF' false; pulled as numbers
-- the language reads, and the plan of the pull is empty (eighth round of
-- real databases: Bluebox's '.60' made the whole pull fail, and
-- autovacuum_enabled = 1 was pulled as false and planned as such)
CREATE TABLE tsto_pull.sp (id int PRIMARY KEY)
  WITH (autovacuum_vacuum_scale_factor = '.60', autovacuum_analyze_scale_factor = '1e-3',
        autovacuum_vacuum_cost_delay = '+2.5', fillfactor = '0x46');
CREATE TABLE tsto_pull.sb1 (id int PRIMARY KEY) WITH (autovacuum_enabled = 1);
CREATE TABLE tsto_pull.sb2 (id int PRIMARY KEY)
  WITH (autovacuum_enabled = yes, autovacuum_vacuum_threshold = ' 100 ');
CREATE TABLE tsto_pull.sb3 (id int PRIMARY KEY) WITH (fillfactor = '0100', autovacuum_enabled = 'OFF');
-- and what the language cannot state is noted: other storage parameters
-- (the TOAST table's as toast.*), a column's n_distinct
CREATE TABLE tsto_pull.other (id int PRIMARY KEY, v text)
  WITH (parallel_workers = 4, vacuum_truncate = false, toast.autovacuum_vacuum_scale_factor = 0.05,
        fillfactor = 80);
ALTER TABLE tsto_pull.other ALTER COLUMN v SET (n_distinct = -0.5);
DROP TABLE tsto_pull.ev;
SELECT ferriorm_pull(ARRAY['tsto_pull']);
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tsto_pull'])), ''), 'up to date');
-- an UNLOGGED partitioned table (pgbench --partitions --unlogged-tables):
-- the language cannot state it (@@unlogged on a partitioned model is an
-- error), so it is noted and kept; it made the whole pull fail (eleventh
-- round of real databases)
CREATE UNLOGGED TABLE tsto_pull.upart (id int) PARTITION BY RANGE (id);
CREATE TABLE tsto_pull.upart_a PARTITION OF tsto_pull.upart FOR VALUES FROM (0) TO (10);
SELECT line FROM regexp_split_to_table(ferriorm_pull(ARRAY['tsto_pull']), E'\n') line
 WHERE line ~ 'UNLOGGED|Upart|unlogged';
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tsto_pull'])), ''), 'up to date') AS upart_plan;
DROP TABLE tsto_pull.upart;
SET ferriorm.dialect = prisma;
SELECT ferriorm_pull(ARRAY['tsto_pull']);
RESET ferriorm.dialect;
DROP SCHEMA tsto_pull CASCADE;
-- 6a. a fillfactor PostgreSQL refuses (10 to 100) is an error of the text
-- (fourth new-user walkthrough)
SELECT * FROM ferriorm_validate(tsto_meta.ds() || $$
model F {
  id Int @id
  @@storage(fillfactor: 5)
  @@schema("tsto")
}
$$);
-- 6. invalid
SELECT * FROM ferriorm_validate(tsto_meta.ds() || $$
model A {
  id Int @id
  @@unlogged(true)
  @@storage(fillfactr: 70, autovacuum_enabled: 1, fillfactor: "x", 12)
  @@schema("tsto")
}
model B {
  id Int @id
  @@storage
  @@unlogged
  @@unlogged
  @@schema("tsto")
}
$$);
SELECT * FROM ferriorm_validate(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tsto_meta.ds() || $$
model C {
  id Int @id
  @@unlogged
  @@storage(fillfactor: 70)
  @@schema("tsto")
}
$$);

SET client_min_messages = warning;
DROP SCHEMA tsto CASCADE;
DROP SCHEMA tsto_meta CASCADE;
RESET client_min_messages;
