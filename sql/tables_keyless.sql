--
-- tables_keyless: tables with no primary key or unique key (logs, staging,
-- events).  The language states them as models marked @@ignore, as Prisma
-- requires, and plans manage them fully, as Prisma Migrate does: created,
-- changed column by column and index by index, dropped.  Only the
-- "/// @preserve(reason:)" annotation (what ferriorm_pull prints on tables
-- it cannot state exactly) makes plans leave an existing table as it is.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA tkl_meta;
CREATE FUNCTION tkl_meta.ds() RETURNS text LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["tkl"]\n}\n'
$$;
CREATE TABLE tkl_meta.v (id int PRIMARY KEY, txt text);
INSERT INTO tkl_meta.v VALUES
(1, $$
model Log {
  at   DateTime @default(now())
  line String
  @@ignore
  @@map("log")
  @@schema("tkl")
}
$$),
(2, $$
model Log {
  at    DateTime @default(now())
  line  String
  level Int      @default(0)
  @@index([at])
  @@ignore
  @@map("log")
  @@schema("tkl")
}
$$);

-- 1. text -> DDL -> empty plan
SELECT ferriorm_diff('', tkl_meta.ds() || txt) FROM tkl_meta.v WHERE id = 1;
SELECT ferriorm_plan(tkl_meta.ds() || txt) FROM tkl_meta.v WHERE id = 1 \gexec
SELECT coalesce(nullif(ferriorm_plan(tkl_meta.ds() || txt), ''), 'up to date') FROM tkl_meta.v WHERE id = 1;
-- 2. a column and an index added to an existing @@ignore'd table
INSERT INTO tkl.log (line) VALUES ('x'), ('x');
SELECT ferriorm_plan(tkl_meta.ds() || txt, verify => true) FROM tkl_meta.v WHERE id = 2;
SELECT ferriorm_plan(tkl_meta.ds() || txt) FROM tkl_meta.v WHERE id = 2 \gexec
SELECT coalesce(nullif(ferriorm_plan(tkl_meta.ds() || txt), ''), 'up to date') FROM tkl_meta.v WHERE id = 2;
-- 3. a column dropped, with its values counted, and the index with it
SELECT ferriorm_plan(tkl_meta.ds() || txt, verify => true) FROM tkl_meta.v WHERE id = 1;
SELECT ferriorm_plan(tkl_meta.ds() || txt) FROM tkl_meta.v WHERE id = 1 \gexec
SELECT coalesce(nullif(ferriorm_plan(tkl_meta.ds() || txt), ''), 'up to date') FROM tkl_meta.v WHERE id = 1;
-- 3b. @preserve: the same text leaves the live table exactly as it is
SELECT ferriorm_plan(tkl_meta.ds() || E'/// @preserve(reason: "kept by hand")\n' || ltrim(txt, E'\n')) FROM tkl_meta.v WHERE id = 2;
-- ... and says which edits of the text it ignores: a column made optional,
-- another type (these were ignored without a word)
SELECT ferriorm_plan(tkl_meta.ds() || E'/// @preserve(reason: "kept by hand")\n' ||
  replace(replace(ltrim(txt, E'\n'), 'line String', 'line String?'), 'at   DateTime @default(now())', 'at   String'))
  FROM tkl_meta.v WHERE id = 1;
-- ... and is no COMMENT
SELECT ferriorm_diff('', tkl_meta.ds() || E'/// a log\n/// @preserve(reason: "kept")\n' || ltrim(txt, E'\n')) FROM tkl_meta.v WHERE id = 1;
-- a malformed annotation is an error
SELECT d.* FROM tkl_meta.v, ferriorm_validate(tkl_meta.ds() || E'/// @preserve(because: "x")\n' || ltrim(txt, E'\n')) d WHERE id = 1;
-- 4. dropped, with its rows counted
SELECT ferriorm_plan(tkl_meta.ds(), verify => true);
SELECT ferriorm_plan(tkl_meta.ds()) \gexec

-- 5. a keyless table made by hand is read back; its @@ignore'd model plans nothing
CREATE TABLE tkl.staging (a int, b text);
SELECT coalesce(nullif(ferriorm_plan(tkl_meta.ds() || $$
model staging {
  a Int?
  b String?
  @@ignore
  @@map("staging")
  @@schema("tkl")
}
$$), ''), 'up to date');
-- the same in the prisma dialect
SELECT coalesce(nullif(ferriorm_plan(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tkl_meta.ds() || $$
model staging {
  a Int?
  b String?
  @@ignore
  @@schema("tkl")
}
$$), ''), 'up to date');

-- the prisma dialect manages an @@ignore'd model too: a column added
SELECT ferriorm_plan(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tkl_meta.ds() || $$
model staging {
  a Int?
  b String?
  c Int?
  @@ignore
  @@schema("tkl")
}
$$) \gexec
-- pulled back: @@ignore, no @preserve (the table is stated exactly)
SELECT ferriorm_pull(ARRAY['tkl']);
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tkl'])), ''), 'up to date');

-- 6. without @@ignore, a model needs a key (both dialects)
SELECT * FROM ferriorm_validate(tkl_meta.ds() || $$
model staging {
  a Int?
  @@schema("tkl")
}
$$);

SET client_min_messages = warning;
DROP SCHEMA tkl CASCADE;
DROP SCHEMA tkl_meta CASCADE;
RESET client_min_messages;
