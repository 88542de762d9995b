--
-- tables_generated: stored generated columns, @generated("expr") (ferriorm
-- dialect).  Expressions compare normalized, like defaults.  PostgreSQL 15
-- cannot change a column's expression: a changed or added generation
-- re-creates the column (a rewrite); a removed one is DROP EXPRESSION.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA tgen_meta;
CREATE FUNCTION tgen_meta.ds() RETURNS text LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["tgen"]\n}\n'
$$;
CREATE TABLE tgen_meta.v (id int PRIMARY KEY, txt text);
INSERT INTO tgen_meta.v VALUES
(1, $$
model Line {
  id    Int @id
  price Int
  qty   Int
  total Int @generated("price * qty")
  @@map("line")
  @@schema("tgen")
}
$$),
(2, $$
model Line {
  id    Int @id
  price Int
  qty   Int
  total Int @generated("price * qty + 1")
  @@map("line")
  @@schema("tgen")
}
$$),
(3, $$
model Line {
  id    Int @id
  price Int
  qty   Int
  total Int
  @@map("line")
  @@schema("tgen")
}
$$),
(4, $$
model Line {
  id    Int @id
  price Int
  qty   Int
  /// the line's total
  total Int @generated("price * qty")
  refs  Ref[]
  @@unique([id, total])
  @@index([total])
  @@check("total >= 0")
  @@map("line")
  @@schema("tgen")
}
model Ref {
  id        Int  @id
  lineId    Int
  lineTotal Int
  line      Line @relation(fields: [lineId, lineTotal], references: [id, total])
  @@map("ref")
  @@schema("tgen")
}
$$),
(5, $$
model Line {
  id    Int @id
  price Int
  qty   Int
  /// the line's total
  total Int @generated("price * qty * 2")
  refs  Ref[]
  @@unique([id, total])
  @@index([total])
  @@check("total >= 0")
  @@map("line")
  @@schema("tgen")
}
model Ref {
  id        Int  @id
  lineId    Int
  lineTotal Int
  line      Line @relation(fields: [lineId, lineTotal], references: [id, total])
  @@map("ref")
  @@schema("tgen")
}
$$);

-- 1. text -> DDL -> empty plan (the catalog's "(price * qty)" is the same)
SELECT ferriorm_diff('', tgen_meta.ds() || txt) FROM tgen_meta.v WHERE id = 1;
SELECT ferriorm_plan(tgen_meta.ds() || txt) FROM tgen_meta.v WHERE id = 1 \gexec
SELECT coalesce(nullif(ferriorm_plan(tgen_meta.ds() || txt), ''), 'up to date') FROM tgen_meta.v WHERE id = 1;
INSERT INTO tgen.line (id, price, qty) VALUES (1, 2, 3);
-- 2. the expression changed: the column is re-created
SELECT ferriorm_plan(tgen_meta.ds() || txt, verify => true) FROM tgen_meta.v WHERE id = 2;
SELECT ferriorm_plan(tgen_meta.ds() || txt) FROM tgen_meta.v WHERE id = 2 \gexec
SELECT total FROM tgen.line;
-- 3. the generation removed: the values stay
SELECT ferriorm_plan(tgen_meta.ds() || txt, verify => true) FROM tgen_meta.v WHERE id = 3;
SELECT ferriorm_plan(tgen_meta.ds() || txt) FROM tgen_meta.v WHERE id = 3 \gexec
SELECT total FROM tgen.line;
-- 4. and added again: the plain values are replaced (drop_column)
SELECT ferriorm_plan(tgen_meta.ds() || txt, verify => true) FROM tgen_meta.v WHERE id = 1;
-- 5. the expression of a column with an index, a unique key referenced by
-- a foreign key, a CHECK and a comment changed: they are dropped before the
-- column and created again after it, so the plan converges in one step
SELECT ferriorm_plan(tgen_meta.ds() || txt) FROM tgen_meta.v WHERE id = 4 \gexec
SELECT coalesce(nullif(ferriorm_plan(tgen_meta.ds() || txt), ''), 'up to date') FROM tgen_meta.v WHERE id = 4;
DELETE FROM tgen.line;
SELECT ferriorm_plan(tgen_meta.ds() || txt, verify => true) FROM tgen_meta.v WHERE id = 5;
SELECT ferriorm_plan(tgen_meta.ds() || txt) FROM tgen_meta.v WHERE id = 5 \gexec
SELECT coalesce(nullif(ferriorm_plan(tgen_meta.ds() || txt), ''), 'up to date') FROM tgen_meta.v WHERE id = 5;
SELECT pg_catalog.col_description('tgen.line'::regclass,
         (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = 'tgen.line'::regclass AND attname = 'total')) AS comment,
       (SELECT count(*) FROM pg_catalog.pg_index WHERE indrelid = 'tgen.line'::regclass) AS indexes,
       (SELECT count(*) FROM pg_catalog.pg_constraint WHERE conrelid = 'tgen.line'::regclass OR conrelid = 'tgen.ref'::regclass) AS constraints;
SELECT ferriorm_plan(tgen_meta.ds() || txt) FROM tgen_meta.v WHERE id = 1 \gexec
-- 6. the prisma dialect cannot state it: the generation is kept
SELECT coalesce(nullif(ferriorm_plan(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tgen_meta.ds() || $$
model line {
  id    Int @id
  price Int
  qty   Int
  total Int
  @@schema("tgen")
}
$$), ''), 'up to date');
-- 6b. database -> pull -> empty plan: a generated column with an index,
-- made by hand
CREATE SCHEMA tgen_pull;
CREATE TABLE tgen_pull.line (id int PRIMARY KEY, price int NOT NULL, qty int NOT NULL,
  total int GENERATED ALWAYS AS (price * qty) STORED);
CREATE INDEX line_total_idx ON tgen_pull.line (total);
SELECT ferriorm_pull(ARRAY['tgen_pull']);
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tgen_pull'])), ''), 'up to date');
DROP SCHEMA tgen_pull CASCADE;
-- 6c. a column that generated columns read changes its type, which
-- PostgreSQL refuses under a generated column ("cannot alter type of a
-- column used by a generated column"): each generated column that reads
-- it is dropped first and added again after it, its expression unchanged;
-- one whose name sorts before the columns it reads, added with them, comes
-- after them; an enum recreated under a generated column likewise
CREATE SCHEMA tgen_r;
CREATE TABLE tgen_meta.r (id int PRIMARY KEY, txt text);
INSERT INTO tgen_meta.r VALUES
(1, $$
enum Size {
  S
  M
  L
  @@schema("tgen_r")
}
model Order {
  id     Int    @id
  price  Int
  qty    Int
  size   Size
  amount Int    @generated("price * qty")
  big    Int    @generated("(size = 'l')::int")
  keep   Int    @generated("qty + 1")
  gone   Int    @generated("price + 1")
  @@map("ord")
  @@schema("tgen_r")
}
$$),
(2, $$
enum Size {
  M
  L
  XL
  @@schema("tgen_r")
}
model Order {
  id     Int    @id
  price  BigInt
  qty    Int
  size   Size
  amount BigInt @generated("price * qty")
  big    Int    @generated("(size = 'l')::int")
  keep   Int    @generated("qty + 1")
  aa     BigInt @generated("price + zz")
  zz     Int    @default(5)
  @@map("ord")
  @@schema("tgen_r")
}
$$),
(3, $$
enum Size {
  M
  L
  XL
  @@schema("tgen_r")
}
model Order {
  id     Int     @id
  price  Decimal
  qty    Int
  size   Size
  amount BigInt
  big    Int     @generated("(size = 'l')::int")
  keep   Int     @generated("qty + 1")
  aa     Decimal @generated("price + zz")
  zz     Int     @default(5)
  @@map("ord")
  @@schema("tgen_r")
}
$$);
SELECT ferriorm_plan(replace(tgen_meta.ds(), '"tgen"', '"tgen_r"') || txt) FROM tgen_meta.r WHERE id = 1 \gexec
INSERT INTO tgen_r.ord (id, price, qty, size) VALUES (1, 2, 3, 'm'), (2, 4, 5, 'l');
SELECT ferriorm_plan(replace(tgen_meta.ds(), '"tgen"', '"tgen_r"') || txt) FROM tgen_meta.r WHERE id = 2;
SELECT ferriorm_plan(replace(tgen_meta.ds(), '"tgen"', '"tgen_r"') || txt) FROM tgen_meta.r WHERE id = 2 \gexec
SELECT coalesce(nullif(ferriorm_plan(replace(tgen_meta.ds(), '"tgen"', '"tgen_r"') || txt), ''), 'up to date') FROM tgen_meta.r WHERE id = 2;
SELECT * FROM tgen_r.ord;
-- the expression dropped (amount) and a generated column added (aa) over a
-- retyped column
SELECT ferriorm_plan(replace(tgen_meta.ds(), '"tgen"', '"tgen_r"') || txt) FROM tgen_meta.r WHERE id = 3;
SELECT ferriorm_plan(replace(tgen_meta.ds(), '"tgen"', '"tgen_r"') || txt) FROM tgen_meta.r WHERE id = 3 \gexec
SELECT coalesce(nullif(ferriorm_plan(replace(tgen_meta.ds(), '"tgen"', '"tgen_r"') || txt), ''), 'up to date') FROM tgen_meta.r WHERE id = 3;
SELECT * FROM tgen_r.ord;
-- 6d. the prisma dialect: a live generated column (made by a hand-written
-- migration, as Prisma users make full-text search columns) reads a
-- column whose type the text changes.  Prisma Migrate's ALTER ... TYPE
-- fails there; the plan re-creates the column as it is live (expression,
-- comment), around the change, with its indexes, stated or not, and the
-- next plan is empty.  Its expression stated as a default (dbgenerated,
-- as Prisma's pull writes it) is no default to set.
CREATE SCHEMA tgen_p;
CREATE TABLE tgen_p."Post" (id int PRIMARY KEY, title text NOT NULL, body text NOT NULL,
  search tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED);
CREATE INDEX "Post_search_idx" ON tgen_p."Post" USING gin (search);
CREATE INDEX post_search_recent ON tgen_p."Post" USING gin (search) WHERE id > 10;
COMMENT ON COLUMN tgen_p."Post".search IS 'full text';
INSERT INTO tgen_p."Post" VALUES (1, 'hello world', 'quick fox');
SELECT E'generator client {\n  provider = "prisma-client-js"\n}\ndatasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["tgen_p"]\n}\n' || $$
model Post {
  id     Int    @id
  title  String
  body   String
  search Unsupported("tsvector")? @default(dbgenerated("to_tsvector('english', 'x')"))
  @@index([search], type: Gin)
  @@schema("tgen_p")
}
$$ AS s_fts1 \gset
SELECT coalesce(nullif(ferriorm_plan(:'s_fts1'), ''), 'up to date');
SELECT replace(:'s_fts1', '  title  String', '  title  String @db.VarChar(200)') AS s_fts2 \gset
SELECT ferriorm_plan(:'s_fts2');
SELECT count(*) AS pushed FROM ferriorm_push(:'s_fts2');
SELECT coalesce(nullif(ferriorm_plan(:'s_fts2'), ''), 'up to date');
SELECT id, title, search FROM tgen_p."Post";
SELECT indexname FROM pg_catalog.pg_indexes WHERE schemaname = 'tgen_p' ORDER BY 1;
SELECT pg_catalog.col_description(a.attrelid, a.attnum) AS comment
FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'tgen_p."Post"'::regclass AND a.attname = 'search';
-- 7. invalid
SELECT * FROM ferriorm_validate(tgen_meta.ds() || $$
model A {
  id Int @id
  a  Int @generated
  b  Int @generated("")
  c  Int @generated("1") @default(2)
  d  Int @generated("1; DROP TABLE x")
  @@schema("tgen")
}
$$);

-- a generation that reads another generated column: PostgreSQL refuses it
SELECT * FROM ferriorm_validate(tgen_meta.ds() || $$
model B {
  id    Int @id
  price Int
  net   Int @generated("price - 1")
  gross Int @generated("\"net\" * 2")
  note  String @generated("'net' || lower('NET') /* net */")
  @@schema("tgen")
}
$$);
-- a generation that reads its own column, and a partition key on a
-- generated column (a field, or read by raw()): PostgreSQL refuses them
SELECT * FROM ferriorm_validate(tgen_meta.ds() || $$
model C {
  id    Int @id
  total Int @generated("total + 1")
  @@schema("tgen")
}
model D {
  id  Int
  g   Int @generated("id * 2")
  @@partitionBy(Hash, [g])
  @@schema("tgen")
}
model E {
  id  Int
  g   Int @generated("id * 2")
  @@partitionBy(Hash, [raw("g + 1")])
  @@schema("tgen")
}
model F {
  id  Int
  g   Int @generated("id * 2")
  @@partitionBy(Range, [id])
  @@schema("tgen")
}
model F1 {
  @@partitionOf(F, values: "FROM (0) TO (100)")
  @@partitionBy(Range, [raw("g + 1")])
  @@schema("tgen")
}
$$);
-- an inheriting model: restating a column its parent generates with a
-- @generated of its own, or reading it in one, is refused by PostgreSQL
SELECT * FROM ferriorm_validate(tgen_meta.ds() || $$
model Base {
  id    Int @id
  price Int
  total Int @generated("price * 2")
  @@schema("tgen")
}
model K1 {
  k     Int @id
  total Int @generated("price * 3")
  @@inherits([Base])
  @@schema("tgen")
}
model K2 {
  k Int @id
  y Int @generated("total + 1")
  z Int @generated("price + 1")
  @@inherits([Base])
  @@schema("tgen")
}
$$);
-- generated columns across a lineage: a partition's own index and CHECK on
-- the root's generated column are re-created with it around a type change
-- (its DROP COLUMN took them); an inheriting table's generated column over
-- a column it inherits is re-created when the parent retypes that column
SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["tgen_l"]\n}\n' || $$
model Ev {
  id    Int
  price Int
  total Int @generated("price * 2")
  @@id([id])
  @@partitionBy(Range, [id])
  @@map("ev")
  @@schema("tgen_l")
}
model Ev24 {
  @@partitionOf(Ev, values: "FROM (0) TO (10)")
  @@index([total])
  @@check("total > -5", map: "ev24_tot")
  @@map("ev24")
  @@schema("tgen_l")
}
model Base {
  id    Int @id
  price Int
  @@map("base")
  @@schema("tgen_l")
}
model Kid {
  k Int @id
  y Int @generated("price + 1")
  @@inherits([Base])
  @@map("kid")
  @@schema("tgen_l")
}
$$ AS s_l1 \gset
CREATE SCHEMA tgen_l;
SELECT count(*) AS pushed FROM ferriorm_push(:'s_l1');
INSERT INTO tgen_l.ev (id, price) VALUES (1, 3);
INSERT INTO tgen_l.kid (id, price, k) VALUES (1, 5, 1);
SELECT replace(:'s_l1', 'price Int', 'price BigInt') AS s_l2 \gset
SELECT ferriorm_plan(:'s_l2');
SELECT count(*) AS pushed FROM ferriorm_push(:'s_l2');
SELECT coalesce(nullif(ferriorm_plan(:'s_l2'), ''), 'up to date');
SELECT * FROM tgen_l.ev;
SELECT * FROM tgen_l.kid;
SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'tgen_l.ev24'::regclass;
SELECT conname FROM pg_constraint WHERE conrelid = 'tgen_l.ev24'::regclass AND contype = 'c' ORDER BY 1;
-- a generated column reading a column of non-ASCII letters, unquoted:
-- PostgreSQL keeps the name and prints it quoted, and the next plan is empty
CREATE SCHEMA tgen_u;
SELECT E'datasource db {\n  provider = "postgresql"\n  schemas = ["tgen_u"]\n}\n' || $$
model Line {
  id    Int @id
  price Int
  ä     Int
  total Int @generated("price * ä")
  @@map("line")
  @@schema("tgen_u")
}
$$ AS s_u \gset
SELECT count(*) AS pushed FROM ferriorm_push(:'s_u');
SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
WHERE d.adrelid = 'tgen_u.line'::regclass;
SELECT coalesce(nullif(ferriorm_plan(:'s_u'), ''), 'up to date');
SET client_min_messages = warning;
DROP SCHEMA tgen_u CASCADE;
DROP SCHEMA tgen_r CASCADE;
DROP SCHEMA tgen_l CASCADE;
DROP SCHEMA tgen_p CASCADE;
DROP SCHEMA tgen CASCADE;
DROP SCHEMA tgen_meta CASCADE;
RESET client_min_messages;
