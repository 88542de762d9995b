--
-- tables_inherits: table inheritance (@@inherits: ferriorm's attribute).
-- Text -> DDL -> empty plan (parents created first); catalog -> pull ->
-- empty plan, with inherited columns and CHECKs not repeated in the child
-- and a restated (merged) column kept; columns added to a parent reach the
-- children; INHERITS changed (the child recreated); children dropped
-- before their parents; the prisma dialect keeps the live inheritance;
-- invalid uses.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA tinh_meta;
CREATE FUNCTION tinh_meta.ds() RETURNS text LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["tinh"]\n}\n'
$$;
CREATE TABLE tinh_meta.v (id int PRIMARY KEY, txt text);
INSERT INTO tinh_meta.v VALUES
(1, $$
model City {
  id   Int    @id
  name String
  @@check("name <> ''")
  @@map("city")
  @@schema("tinh")
}
model Capital {
  state String
  @@inherits([City])
  @@map("capital")
  @@schema("tinh")
}
model Tagged {
  tag String?
  @@map("tagged")
  @@schema("tinh")
  @@ignore
}
model Port {
  depth Int
  @@inherits([Capital, Tagged])
  @@map("port")
  @@schema("tinh")
}
$$),
-- 2: a column added to the parent, one to the child; a child's own CHECK
(2, $$
model City {
  id         Int    @id
  name       String
  population Int?
  @@check("name <> ''")
  @@map("city")
  @@schema("tinh")
}
model Capital {
  state String
  since Int?
  @@check("state <> ''")
  @@inherits([City])
  @@map("capital")
  @@schema("tinh")
}
model Tagged {
  tag String?
  @@map("tagged")
  @@schema("tinh")
  @@ignore
}
model Port {
  depth Int
  @@inherits([Capital, Tagged])
  @@map("port")
  @@schema("tinh")
}
$$),
-- 3: port inherits from capital only (recreated); tagged dropped after it
(3, $$
model City {
  id         Int    @id
  name       String
  population Int?
  @@check("name <> ''")
  @@map("city")
  @@schema("tinh")
}
model Capital {
  state String
  since Int?
  @@check("state <> ''")
  @@inherits([City])
  @@map("capital")
  @@schema("tinh")
}
model Port {
  depth Int
  @@inherits([Capital])
  @@map("port")
  @@schema("tinh")
}
$$),
-- 4: the hierarchy dropped but its root
(4, $$
model City {
  id         Int    @id
  name       String
  population Int?
  @@check("name <> ''")
  @@map("city")
  @@schema("tinh")
}
$$);

-- 1. text -> DDL: parents first; the child states only its own columns
SELECT ferriorm_diff('', tinh_meta.ds() || txt) FROM tinh_meta.v WHERE id = 1;
SELECT ferriorm_plan(tinh_meta.ds() || txt) FROM tinh_meta.v WHERE id = 1 \gexec
SELECT coalesce(nullif(ferriorm_plan(tinh_meta.ds() || txt), ''), 'up to date') FROM tinh_meta.v WHERE id = 1;
SELECT c.relname, a.attname, a.attislocal, a.attinhcount
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relnamespace = 'tinh'::regnamespace AND c.relkind = 'r' AND a.attnum > 0
ORDER BY 1, a.attnum;

-- catalog -> pull -> the same text, which plans nothing
SELECT ferriorm_pull(ARRAY['tinh']);
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tinh'])), ''), 'up to date');

-- 2. columns: the parent's reaches the children; CHECKs are the child's own
INSERT INTO tinh.port VALUES (1, 'Hamburg', 'HH', 'sea', 12);
SELECT ferriorm_plan(tinh_meta.ds() || txt, verify => true) FROM tinh_meta.v WHERE id = 2;
SELECT ferriorm_plan(tinh_meta.ds() || txt) FROM tinh_meta.v WHERE id = 2 \gexec
SELECT coalesce(nullif(ferriorm_plan(tinh_meta.ds() || txt), ''), 'up to date') FROM tinh_meta.v WHERE id = 2;
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tinh'])), ''), 'up to date');

-- a child that restates a parent's column (merged by CREATE TABLE): pulled
-- as its own field, and a plan neither adds nor drops it
CREATE TABLE tinh.town (name text NOT NULL, mayor text) INHERITS (tinh.city);
SELECT ferriorm_pull(ARRAY['tinh']);
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tinh'])), ''), 'up to date');
SELECT coalesce(nullif(ferriorm_plan(replace(ferriorm_pull(ARRAY['tinh']), '  name  String
  mayor', '  mayor')), ''), 'up to date');
DROP TABLE tinh.town;

-- 3. INHERITS changed: the child is dropped and created again (a data
-- hazard), and the table it no longer inherits from is dropped after it
SELECT ferriorm_plan(tinh_meta.ds() || txt, verify => true) FROM tinh_meta.v WHERE id = 3;
SELECT ferriorm_push(tinh_meta.ds() || txt, allow_data_loss => true) FROM tinh_meta.v WHERE id = 3;
SELECT coalesce(nullif(ferriorm_plan(tinh_meta.ds() || txt), ''), 'up to date') FROM tinh_meta.v WHERE id = 3;

-- 4. children dropped before their parents
SELECT ferriorm_plan(tinh_meta.ds() || txt, verify => true) FROM tinh_meta.v WHERE id = 4;

-- a child outside the managed schemas keeps its parent from being dropped
CREATE SCHEMA tinh_other;
CREATE TABLE tinh_other.village (pond boolean) INHERITS (tinh.city);
SELECT ferriorm_plan(tinh_meta.ds() || '');
DROP SCHEMA tinh_other CASCADE;

-- 5. the prisma dialect cannot state inheritance: the live INHERITS lists
-- are kept (the keyless children are @@ignore'd, as Prisma requires); a
-- column added to the parent reaches them
-- (and their live CHECKs, which Prisma Migrate ignores, are kept)
SELECT coalesce(nullif(ferriorm_plan(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tinh_meta.ds() || $$
model city {
  id         Int     @id
  name       String
  population Int?
  @@schema("tinh")
  @@ignore
}
model capital {
  state String
  since Int?
  @@schema("tinh")
  @@ignore
}
model port {
  depth Int
  @@schema("tinh")
  @@ignore
}
$$), ''), 'up to date');
SELECT coalesce(nullif(ferriorm_plan(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tinh_meta.ds() || $$
model city {
  id         Int     @id
  name       String
  population Int?
  area       Int?
  @@schema("tinh")
}
model capital {
  state String
  since Int?
  @@schema("tinh")
  @@ignore
}
model port {
  depth Int
  @@schema("tinh")
  @@ignore
}
$$), ''), 'up to date');

-- 6. invalid
SELECT * FROM ferriorm_validate(tinh_meta.ds() || $$
model A {
  id Int @id
  @@inherits([Nope, 12])
  @@schema("tinh")
}
model B {
  x Int
  @@inherits()
  @@schema("tinh")
}
model C {
  x Int
  @@inherits(C)
  @@schema("tinh")
}
model D {
  x Int
  @@inherits([E])
  @@schema("tinh")
}
model E {
  x Int
  @@inherits([D])
  @@schema("tinh")
}
$$);
SELECT * FROM ferriorm_validate(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tinh_meta.ds() || $$
model P {
  id Int @id
  @@schema("tinh")
}
model C {
  id Int @id
  @@inherits([P])
  @@schema("tinh")
}
$$);

-- a column of two types across a lineage (restated by the child, or
-- from two parents): PostgreSQL refuses it ("column has a type conflict")
SELECT * FROM ferriorm_validate(tinh_meta.ds() || $$
model B1 {
  id Int @id
  x  Int
  @@schema("tinh")
}
model B2 {
  id Int @id
  x  String
  @@schema("tinh")
}
model K1 {
  k Int @id
  x String
  @@inherits([B1])
  @@schema("tinh")
}
model K2 {
  k Int @id
  @@inherits([B1, B2])
  @@schema("tinh")
}
model K3 {
  k Int @id
  x Int
  @@inherits([B1])
  @@schema("tinh")
}
$$);
-- a new child restating, with another type, a column its parent drops:
-- the parent's goes first (PostgreSQL merged the two, and refused the type)
CREATE SCHEMA tinh_rs;
SELECT count(*) AS pushed FROM ferriorm_push(E'datasource db {\n  provider = "postgresql"\n  schemas = ["tinh_rs"]\n}\n' || $$
model P {
  id Int @id
  n  Int
  @@map("p")
  @@schema("tinh_rs")
}
$$);
SELECT E'datasource db {\n  provider = "postgresql"\n  schemas = ["tinh_rs"]\n}\n' || $$
model P {
  id Int @id
  @@map("p")
  @@schema("tinh_rs")
}
model K {
  y Int
  n String
  @@inherits([P])
  @@map("k")
  @@schema("tinh_rs")
}
$$ AS s_rs \gset
SELECT ferriorm_plan(:'s_rs');
SELECT count(*) AS pushed FROM ferriorm_push(:'s_rs', allow_data_loss => true);
SELECT coalesce(nullif(ferriorm_plan(:'s_rs'), ''), 'up to date');
-- two CHECKs of one name in a lineage: refused when they differ, merged
-- when alike (here, written otherwise)
SELECT * FROM ferriorm_validate(tinh_meta.ds() || $$
model C1 {
  id Int @id
  x  Int
  @@check("x > 0", map: "x_pos")
  @@schema("tinh")
}
model C2 {
  z Int @id
  @@check("z > 0", map: "x_pos")
  @@schema("tinh")
}
model D1 {
  y Int
  @@inherits([C1])
  @@check("x > 1", map: "x_pos")
  @@schema("tinh")
}
model D2 {
  y Int
  @@inherits([C1, C2])
  @@schema("tinh")
}
model D3 {
  y Int
  @@inherits([C1])
  @@check("(x>0)", map: "x_pos")
  @@schema("tinh")
}
$$);
-- a pulled @preserve'd inheriting table: the prisma dialect prints its
-- inherited columns too, which is no edit of the text; the plan says
-- nothing of ignored differences (it listed every inherited column)
CREATE SCHEMA tinh_pv;
CREATE TABLE tinh_pv.par (id int PRIMARY KEY, name text);
CREATE TABLE tinh_pv.kid (extra text) INHERITS (tinh_pv.par);
ALTER TABLE tinh_pv.kid ADD PRIMARY KEY (id);
CREATE INDEX kid_lower ON tinh_pv.kid (lower(name));
SET ferriorm.dialect = prisma;
SELECT ferriorm_plan(ferriorm_pull(ARRAY['tinh_pv'])) AS plan;
-- a column the child declares itself too (merged with the parent's) is
-- printed as the child's: its own default and NOT NULL (the parent's were
-- printed, and the plan of the pull dropped the child's NOT NULL and set
-- the parent's default; Evergreen's children also left the parent's
-- sequence for one of their own)
SET client_min_messages = warning;
CREATE TABLE tinh_pv.par2 (id int PRIMARY KEY, status text NOT NULL DEFAULT 'a', note varchar(10));
CREATE TABLE tinh_pv.kid2 (status text NOT NULL DEFAULT 'b', note varchar(10) NOT NULL) INHERITS (tinh_pv.par2);
ALTER TABLE tinh_pv.kid2 ADD PRIMARY KEY (id);
CREATE TABLE tinh_pv.attr_def (id bigserial PRIMARY KEY, code text NOT NULL);
CREATE TABLE tinh_pv.gen_attr_def (id bigint PRIMARY KEY DEFAULT nextval('tinh_pv.attr_def_id_seq'), xpath text NOT NULL)
  INHERITS (tinh_pv.attr_def);
RESET client_min_messages;
SELECT line FROM regexp_split_to_table(ferriorm_pull(ARRAY['tinh_pv']), E'\n') AS line
 WHERE line ~ '^  (status|note|id) ';
SELECT ferriorm_plan(ferriorm_pull(ARRAY['tinh_pv'])) AS plan;
RESET ferriorm.dialect;
SET client_min_messages = warning;
DROP SCHEMA tinh_pv CASCADE;
DROP SCHEMA tinh_rs CASCADE;
DROP SCHEMA tinh CASCADE;
DROP SCHEMA tinh_meta CASCADE;
RESET client_min_messages;
