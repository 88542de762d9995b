--
-- diff_offline: ferriorm_diff(from_schema, to_schema) on pairs of schema
-- texts, without looking at the database.  Each script is shown, applied
-- (\gexec, not echoed), and then checked against the live catalog:
-- ferriorm_plan() of the target text must be empty, so the offline diff
-- reached the target.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA doff_meta;
CREATE TABLE doff_meta.v (id int PRIMARY KEY, txt text);
INSERT INTO doff_meta.v VALUES
(1, $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["doff"]
}

enum Status {
  draft
  published
  archived
  @@schema("doff")
}

/// Authors of posts
model Author {
  id    Int    @id @default(autoincrement())
  email String @unique @db.VarChar(100)
  /// shown on the site
  name  String?
  posts Post[]
  @@schema("doff")
}

model Post {
  id       Int      @id @default(autoincrement())
  title    String   @db.VarChar(200)
  status   Status   @default(draft)
  price    Decimal  @default(0) @db.Decimal(10, 2)
  authorId Int
  author   Author   @relation(fields: [authorId], references: [id])
  @@index([title], where: "status = 'published'")
  @@check("price >= 0", map: "post_price_nonneg")
  @@schema("doff")
}
$$),
(2, $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["doff"]
}

enum Status {
  draft
  review
  published
  archived
  @@schema("doff")
}

/// Writers of posts
model Author {
  id    Int    @id @default(autoincrement())
  email String @unique @db.VarChar(200)
  name  String @default("anonymous")
  posts Post[]
  @@schema("doff")
}

model Post {
  id       Int      @id @default(autoincrement())
  title    String
  status   Status   @default(draft)
  price    Decimal  @default(1) @db.Decimal(12, 2)
  rating   Int?
  authorId Int
  author   Author   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  @@index([title], where: "status = 'published'")
  @@index([authorId, rating(sort: Desc)])
  @@check("price >= 0 AND price < 100000", map: "post_price_nonneg")
  @@schema("doff")
}
$$),
(3, $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["doff"]
}

enum Status {
  draft
  published
  @@schema("doff")
}

model Author {
  id    Int    @id @default(autoincrement())
  email String @unique @db.VarChar(200)
  posts Post[]
  @@schema("doff")
}

model Post {
  id       Int      @id @default(autoincrement())
  title    String
  status   Status   @default(draft)
  price    Int      @default(1)
  authorId Int
  author   Author   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  @@index([title], where: "status = 'published'")
  @@schema("doff")
}
$$);

-- from nothing
SELECT ferriorm_diff(NULL, txt) FROM doff_meta.v WHERE id = 1;
\set ECHO none
SELECT ferriorm_diff(NULL, txt) FROM doff_meta.v WHERE id = 1 \gexec
\set ECHO all
SELECT 'v1 reached: ' || (ferriorm_plan(txt) = '') FROM doff_meta.v WHERE id = 1;
SELECT 'v1 -> v1 empty: ' || (ferriorm_diff(txt, txt) = '') FROM doff_meta.v WHERE id = 1;
INSERT INTO doff.authors (email, name) VALUES ('a@example.com', 'Ann'), ('b@example.com', NULL);
INSERT INTO doff.posts (title, status, price, author_id)
  VALUES ('hello', 'published', 10, 1), ('draft', 'draft', 0, 2);

-- v1 -> v2: enum value added in the middle, column types widened,
-- a default and NOT NULL on a column with NULLs (hazard), a new column
-- and index, a changed CHECK and FK, comments
SELECT ferriorm_diff(a.txt, b.txt) FROM doff_meta.v a, doff_meta.v b WHERE a.id = 1 AND b.id = 2;
UPDATE doff.authors SET name = 'Bob' WHERE name IS NULL;
\set ECHO none
SELECT ferriorm_diff(a.txt, b.txt) FROM doff_meta.v a, doff_meta.v b WHERE a.id = 1 AND b.id = 2 \gexec
\set ECHO all
SELECT 'v2 reached: ' || (ferriorm_plan(txt) = '') FROM doff_meta.v WHERE id = 2;

-- v2 -> v3: enum values removed (safe recreation, with the partial index
-- on the column re-created around it), numeric -> integer (an assignment
-- cast: no USING), columns, index and CHECK dropped
SELECT ferriorm_diff(a.txt, b.txt) FROM doff_meta.v a, doff_meta.v b WHERE a.id = 2 AND b.id = 3;
\set ECHO none
SELECT ferriorm_diff(a.txt, b.txt) FROM doff_meta.v a, doff_meta.v b WHERE a.id = 2 AND b.id = 3 \gexec
\set ECHO all
SELECT 'v3 reached: ' || (ferriorm_plan(txt) = '') FROM doff_meta.v WHERE id = 3;
SELECT title, status, price FROM doff.posts ORDER BY id;

-- and back to v1 in one step
SELECT ferriorm_diff(a.txt, b.txt) FROM doff_meta.v a, doff_meta.v b WHERE a.id = 3 AND b.id = 1;
\set ECHO none
SELECT ferriorm_diff(a.txt, b.txt) FROM doff_meta.v a, doff_meta.v b WHERE a.id = 3 AND b.id = 1 \gexec
\set ECHO all
SELECT 'v1 reached again: ' || (ferriorm_plan(txt) = '') FROM doff_meta.v WHERE id = 1;

-- to nothing: foreign keys, tables, then enums; the schema stays
SELECT ferriorm_diff(txt, NULL) FROM doff_meta.v WHERE id = 1;

-- enums named like built-in types: without a schema, the offline diff
-- cannot qualify them and refuses; with one, every reference is qualified
-- and the columns get the enum, not pg_catalog's type ("Json" itself is
-- a scalar type of the language, so "Jsonb" stands in for it)
CREATE FUNCTION doff_meta.enum_schema(name text, schemas text) RETURNS text
LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url = env("X")\n' || schemas
      || E'}\nenum ' || name || E' {\n  a\n  b\n}\nmodel Shadow' || name
      || E' {\n  id Int @id\n  v ' || name || E' @default(a)\n}\n'
$$;
CREATE FUNCTION doff_meta.try_diff(t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  d text;
BEGIN
  RETURN ferriorm_diff(NULL, t);
EXCEPTION WHEN invalid_schema_definition THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLERRM || ': ' || d;
END $$;
SELECT doff_meta.try_diff(doff_meta.enum_schema(n, ''))
  FROM unnest(ARRAY['Interval', 'Text', 'Int4', 'Date', 'Jsonb', 'Name', 'Oid']) n;
CREATE SCHEMA doff_types;
SET client_min_messages = warning;
\set ECHO none
SELECT ferriorm_diff(NULL, doff_meta.enum_schema(n, E'  schemas = ["doff_types"]\n'))
  FROM unnest(ARRAY['Interval', 'Text', 'Int4', 'Date', 'Jsonb', 'Name', 'Oid']) n \gexec
\set ECHO all
RESET client_min_messages;
SELECT ferriorm_diff(NULL, doff_meta.enum_schema('Interval', E'  schemas = ["doff_types"]\n'));
SELECT c.relname, a.attname, format_type(a.atttypid, NULL), t.typtype
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
 WHERE c.relnamespace = 'doff_types'::regnamespace AND c.relkind = 'r' AND a.attname = 'v'
 ORDER BY 1;

-- a schema the old text lists but leaves empty is not made by its script:
-- a model moved there gets CREATE SCHEMA IF NOT EXISTS
SELECT ferriorm_diff(
  E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["doff_a", "doff_b"]\n}\nmodel M {\n  id Int @id\n  @@schema("doff_a")\n}\n',
  E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["doff_a", "doff_b"]\n}\nmodel M {\n  id Int @id\n  @@schema("doff_b")\n}\n');

-- a column whose type changes keeps a stated literal default set again:
-- an enum column made String while its enum goes (the old default, cast
-- to text, would still name the type, and DROP TYPE would fail), a Json
-- one made String (jsonb would store '[-3e2]' as '[-300]'); and an Int
-- made a new enum converts through text (integer has no cast to an enum);
-- applied from the old text's own script
SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["doff_lit"]\n}\n' AS ds_lit \gset
SELECT :'ds_lit' || $$
enum Mood {
  ok
  sad
  @@schema("doff_lit")
}
model L {
  id Int    @id
  m  Mood   @default(ok)
  j  Json   @default("[-3e2]")
  k  Int?
  @@schema("doff_lit")
}
$$ AS lit_a, :'ds_lit' || $$
enum Level {
  one @map("1")
  two @map("2")
  @@schema("doff_lit")
}
model L {
  id Int    @id
  m  String @default("ok")
  j  String @default("[-3e2]")
  k  Level?
  @@schema("doff_lit")
}
$$ AS lit_b \gset
SELECT ferriorm_diff(NULL, :'lit_a') \gexec
SELECT ferriorm_diff(:'lit_a', :'lit_b');
INSERT INTO doff_lit.ls VALUES (1, 'sad', '[1]', 2);
SELECT ferriorm_diff(:'lit_a', :'lit_b') \gexec
SELECT * FROM doff_lit.ls;
SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) AS "default"
  FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
 WHERE d.adrelid = 'doff_lit.ls'::regclass ORDER BY 1;
SELECT coalesce(nullif(ferriorm_plan(:'lit_b'), ''), 'up to date');

-- a list field in a primary key is NOT NULL, as the key makes it: created
-- from the text, it plans to nothing
SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["doff_pk"]\n}\n' || $$
model Tagged {
  tags String[] @id
  @@schema("doff_pk")
}
model Pair {
  a Int
  b Int[]
  @@id([a, b])
  @@schema("doff_pk")
}
$$ AS lit_pk \gset
SELECT ferriorm_diff(NULL, :'lit_pk') \gexec
SELECT coalesce(nullif(ferriorm_plan(:'lit_pk'), ''), 'up to date');

-- a table whose default reads the sequence of another table's serial or
-- identity column (a table made LIKE it INCLUDING DEFAULTS: Evergreen's
-- staging tables) is created after it, whatever their names' order, in
-- both dialects ("relation "zz_id_seq" does not exist"); both scripts run
SELECT set_config('fm.seqread', $$datasource db {
  provider = "postgresql"
  schemas  = ["doff_sr"]
}
model Aa {
  id BigInt @id @default(dbgenerated("nextval('doff_sr.zz_id_seq'::regclass)"))
  @@map("aa")
  @@schema("doff_sr")
}
model Zz {
  id BigInt @id @default(autoincrement())
  @@map("zz")
  @@schema("doff_sr")
}
$$, false) IS NOT NULL AS set;
SELECT line FROM regexp_split_to_table(ferriorm_diff(NULL, current_setting('fm.seqread')), E'\n') AS line
 WHERE line ~ '^CREATE (TABLE|SEQUENCE)';
SET ferriorm.dialect = prisma;
SELECT line FROM regexp_split_to_table(ferriorm_diff(NULL, current_setting('fm.seqread')), E'\n') AS line
 WHERE line ~ '^CREATE (TABLE|SEQUENCE)';
BEGIN;
DO $$ BEGIN EXECUTE ferriorm_diff(NULL, current_setting('fm.seqread')); END $$;
SELECT nextval('doff_sr.zz_id_seq') AS from_aa_default;
ROLLBACK;
RESET ferriorm.dialect;
BEGIN;
DO $$ BEGIN EXECUTE ferriorm_diff(NULL, current_setting('fm.seqread')); END $$;
ROLLBACK;

-- DEFAULT NULL on a column that is not of a domain is no default
-- (PostgreSQL stores none): a text stating dbgenerated("NULL::bigint"),
-- as the prisma dialect pulls a domain column's, plans nothing against a
-- column without one, both ways (it set the default on every plan)
SELECT ferriorm_diff($$datasource db {
  provider = "postgresql"
}
model T {
  id Int     @id
  v  BigInt?
  @@map("t")
}
$$, $$datasource db {
  provider = "postgresql"
}
model T {
  id Int     @id
  v  BigInt? @default(dbgenerated("NULL::bigint"))
  @@map("t")
}
$$) = '' AS null_default_is_none;

-- a standalone sequence in a schema no table or enum uses: the schema is
-- created before it (CREATE SEQUENCE failed: "schema "doff_seqs" does not
-- exist"), and the script runs
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
  schemas  = ["doff_seqt"]
}
model T {
  id Int @id @default(dbgenerated("nextval('doff_seqs.t_seq'::regclass)"))
  @@map("t")
  @@schema("doff_seqt")
}
$$) AS seqdiff \gset
SELECT :'seqdiff';
BEGIN;
SELECT set_config('fm.seqdiff', :'seqdiff', true) IS NOT NULL AS set;
DO $$ BEGIN EXECUTE current_setting('fm.seqdiff'); END $$;
SELECT nextval('doff_seqs.t_seq') AS first_value;
ROLLBACK;

SET client_min_messages = warning;
DROP SCHEMA doff_pk CASCADE;
DROP SCHEMA doff_lit CASCADE;
DROP SCHEMA doff_types CASCADE;
DROP SCHEMA doff CASCADE;
DROP SCHEMA doff_meta CASCADE;
RESET client_min_messages;
