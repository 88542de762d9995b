--
-- tables_identity: identity kinds.  @identity(always:, start:, increment:,
-- minValue:, maxValue:, cycle:) (ferriorm dialect) states an identity
-- column's generation and sequence options; without it autoincrement()
-- keeps the live kind.  Switching serial -> identity keeps counting from
-- the serial sequence; identity -> plain default keeps the values.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA tid_meta;
CREATE FUNCTION tid_meta.ds() RETURNS text LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["tid"]\n}\n'
$$;
CREATE TABLE tid_meta.v (id int PRIMARY KEY, txt text);
INSERT INTO tid_meta.v VALUES
(1, $$
model Thing {
  id   Int    @id @default(autoincrement()) @identity(always: true, start: 100, increment: 10)
  big  BigInt @default(autoincrement()) @identity(minValue: 5, maxValue: 50, cycle: true)
  name String
  @@map("thing")
  @@schema("tid")
}
$$),
(2, $$
model Thing {
  id   Int    @id @default(autoincrement()) @identity(start: 100, increment: 5)
  big  BigInt @default(autoincrement()) @identity
  name String
  @@map("thing")
  @@schema("tid")
}
$$),
(3, $$
model Thing {
  id   Int    @id @default(autoincrement())
  big  BigInt @default(autoincrement())
  name String
  @@map("thing")
  @@schema("tid")
}
$$);

-- 1. text -> DDL -> empty plan
SELECT ferriorm_diff('', tid_meta.ds() || txt) FROM tid_meta.v WHERE id = 1;
SELECT ferriorm_plan(tid_meta.ds() || txt) FROM tid_meta.v WHERE id = 1 \gexec
SELECT coalesce(nullif(ferriorm_plan(tid_meta.ds() || txt), ''), 'up to date') FROM tid_meta.v WHERE id = 1;
INSERT INTO tid.thing (name) VALUES ('a'), ('b');
SELECT id, big FROM tid.thing ORDER BY id;

-- 2. generation and options changed in place; the sequence keeps its value
SELECT ferriorm_plan(tid_meta.ds() || txt, verify => true) FROM tid_meta.v WHERE id = 2;
SELECT ferriorm_plan(tid_meta.ds() || txt) FROM tid_meta.v WHERE id = 2 \gexec
INSERT INTO tid.thing (name) VALUES ('c') RETURNING id, big;

-- 3. autoincrement() alone keeps the live kind and options
SELECT coalesce(nullif(ferriorm_plan(tid_meta.ds() || txt), ''), 'up to date') FROM tid_meta.v WHERE id = 3;

-- 4. serial -> identity: counting goes on from the serial sequence
CREATE TABLE tid.legacy (id serial PRIMARY KEY, v text);
INSERT INTO tid.legacy (v) VALUES ('a'), ('b'), ('c');
SELECT ferriorm_plan(tid_meta.ds() || txt || $$
model legacy {
  id Int     @id @default(autoincrement()) @identity
  v  String?
  @@map("legacy")
  @@schema("tid")
}
$$, verify => true) FROM tid_meta.v WHERE id = 3;
SELECT ferriorm_plan(tid_meta.ds() || txt || $$
model legacy {
  id Int     @id @default(autoincrement()) @identity
  v  String?
  @@map("legacy")
  @@schema("tid")
}
$$) FROM tid_meta.v WHERE id = 3 \gexec
INSERT INTO tid.legacy (v) VALUES ('d') RETURNING id;
SELECT attidentity FROM pg_attribute WHERE attrelid = 'tid.legacy'::regclass AND attname = 'id';

-- 5. identity -> a plain default: values kept; and a plain column -> identity
SELECT ferriorm_plan(tid_meta.ds() || txt || $$
model legacy {
  id Int     @id @default(0)
  v  String?
  @@map("legacy")
  @@schema("tid")
}
$$, verify => true) FROM tid_meta.v WHERE id = 3;
ALTER TABLE tid.legacy ALTER COLUMN id DROP IDENTITY;
SELECT ferriorm_plan(tid_meta.ds() || txt || $$
model legacy {
  id Int     @id @default(autoincrement()) @identity(start: 10)
  v  String?
  @@map("legacy")
  @@schema("tid")
}
$$, verify => true) FROM tid_meta.v WHERE id = 3;

-- 6. invalid
SELECT * FROM ferriorm_validate(tid_meta.ds() || $$
model A {
  id Int @id @identity
  b  Int @default(autoincrement()) @identity(always: 1)
  c  Int @default(autoincrement()) @identity(start: 1.5)
  d  Int @default(autoincrement()) @identity(increment: 0)
  e  Int @default(autoincrement()) @identity(every: 2)
  @@schema("tid")
}
$$);
SELECT * FROM ferriorm_validate(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tid_meta.ds() || $$
model B {
  id Int @id @default(autoincrement()) @identity(always: true)
  @@schema("tid")
}
$$);

SET client_min_messages = warning;
DROP SCHEMA tid CASCADE;
DROP SCHEMA tid_meta CASCADE;
RESET client_min_messages;
