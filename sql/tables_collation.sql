--
-- tables_collation: column collations (@collate) and index-element
-- collations (collate: of @@index and @@unique elements), ferriorm
-- dialect, in both directions: text -> DDL -> empty plan, and database ->
-- pull -> empty plan; changed and removed by plans; the prisma dialect
-- cannot state them and keeps the live ones.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA tco_meta;
CREATE FUNCTION tco_meta.ds() RETURNS text LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["tco"]\n}\n'
$$;
CREATE FUNCTION tco_meta.prisma() RETURNS text LANGUAGE sql AS $$
  SELECT E'generator client {\n  provider = "prisma-client-js"\n}\n' || tco_meta.ds()
$$;
CREATE TABLE tco_meta.v (id int PRIMARY KEY, txt text);
INSERT INTO tco_meta.v VALUES
(1, $$
model Word {
  id    Int    @id
  code  String @collate("C")
  name  String
  title String
  @@index([name(collate: "C")])
  @@unique([title(collate: "POSIX", sort: Desc)])
  @@map("word")
  @@schema("tco")
}
$$),
-- collations changed
(2, $$
model Word {
  id    Int    @id
  code  String @collate("POSIX")
  name  String
  title String
  @@index([name(collate: "POSIX")])
  @@unique([title(collate: "C", sort: Desc)])
  @@map("word")
  @@schema("tco")
}
$$),
-- and removed
(3, $$
model Word {
  id    Int    @id
  code  String
  name  String
  title String
  @@index([name])
  @@unique([title(sort: Desc)])
  @@map("word")
  @@schema("tco")
}
$$);

-- 1. text -> DDL -> empty plan
SELECT ferriorm_diff('', tco_meta.ds() || txt) FROM tco_meta.v WHERE id = 1;
SELECT ferriorm_plan(tco_meta.ds() || txt) FROM tco_meta.v WHERE id = 1 \gexec
SELECT coalesce(nullif(ferriorm_plan(tco_meta.ds() || txt), ''), 'up to date') FROM tco_meta.v WHERE id = 1;
SELECT pg_catalog.pg_get_indexdef(indexrelid) FROM pg_catalog.pg_index
 WHERE indrelid = 'tco.word'::regclass ORDER BY 1;
-- 2. database -> pull -> empty plan
SELECT ferriorm_pull(ARRAY['tco']);
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tco'])), ''), 'up to date');
INSERT INTO tco.word VALUES (1, 'a', 'b', 'c');
-- 3. changed: the column's type with its new collation, the indexes
-- dropped and created again
SELECT ferriorm_plan(tco_meta.ds() || txt, verify => true) FROM tco_meta.v WHERE id = 2;
SELECT ferriorm_plan(tco_meta.ds() || txt) FROM tco_meta.v WHERE id = 2 \gexec
SELECT coalesce(nullif(ferriorm_plan(tco_meta.ds() || txt), ''), 'up to date') FROM tco_meta.v WHERE id = 2;
-- 4. the prisma dialect cannot state them: the live ones are kept
SELECT coalesce(nullif(ferriorm_plan(tco_meta.prisma() || $$
model word {
  id    Int    @id
  code  String
  name  String
  title String
  @@index([name])
  @@unique([title(sort: Desc)])
  @@schema("tco")
}
$$), ''), 'up to date');
-- 5. removed
SELECT ferriorm_plan(tco_meta.ds() || txt, verify => true) FROM tco_meta.v WHERE id = 3;
SELECT ferriorm_plan(tco_meta.ds() || txt) FROM tco_meta.v WHERE id = 3 \gexec
SELECT coalesce(nullif(ferriorm_plan(tco_meta.ds() || txt), ''), 'up to date') FROM tco_meta.v WHERE id = 3;
-- 6. made by hand, pulled: a collation outside pg_catalog on an index
-- element cannot be stated (/// @preserve), and the index is left out
-- (collate: would name pg_catalog's, and a database built from the text
-- would fail or take another collation); on a column it can
CREATE COLLATION tco.mine (provider = libc, locale = 'C');
CREATE TABLE tco.tag (id int PRIMARY KEY, label text COLLATE tco.mine, note text);
CREATE INDEX tag_note_idx ON tco.tag (note COLLATE tco.mine);
SELECT ferriorm_pull(ARRAY['tco']);
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tco'])), ''), 'up to date');
SELECT ferriorm_diff(NULL, ferriorm_pull(ARRAY['tco'])) ~ 'tag_note_idx' AS rebuilt_with_index;
-- so is a unique index of such a collation, which is then no key either
CREATE UNIQUE INDEX tag_label_uq ON tco.tag (note COLLATE tco.mine, id);
SELECT line FROM regexp_split_to_table(ferriorm_pull(ARRAY['tco']), E'\n') AS line
 WHERE line ~ 'tag_label_uq|@@unique|preserve';
SELECT ferriorm_diff(NULL, ferriorm_pull(ARRAY['tco'])) ~ 'tag_label_uq' AS rebuilt_with_unique_index;
DROP TABLE tco.tag;
-- 7. invalid
SELECT * FROM ferriorm_validate(tco_meta.ds() || $$
model A {
  id Int    @id
  a  String
  b  String
  n  Int
  @@index([a(collate: "")])
  @@index([b(collate: C)])
  @@id([id(collate: "C")])
  @@schema("tco")
}
$$);
-- a type without collation: a field not String, or a String of another
-- native type (before or after @db); an Unsupported one is PostgreSQL's
SELECT * FROM ferriorm_validate(tco_meta.ds() || $$
model B {
  id Int      @id
  u  String   @db.Uuid @collate("C")
  i  String   @collate("C") @db.Inet
  v  String   @db.VarChar(3) @collate("C")
  l  String[] @collate("C")
  t  Unsupported("tsvector")? @collate("C")
  f  Boolean
  x  String   @db.Xml
  @@index([f(collate: "C"), x(collate: "C"), v(collate: "C"), l(collate: "C")])
  @@schema("tco")
}
$$);
SELECT * FROM ferriorm_validate(tco_meta.prisma() || $$
model A {
  id Int    @id
  a  String @collate("C")
  @@index([a(collate: "C")])
  @@schema("tco")
}
$$);

SET client_min_messages = warning;
DROP SCHEMA tco CASCADE;
DROP SCHEMA tco_meta CASCADE;
RESET client_min_messages;
