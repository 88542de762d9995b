--
-- tables_keyless: tables with no primary key or unique key (logs, staging,
-- events).  The language states them as models marked @@ignore, as Prisma
-- requires.  Plans create such a table when it is missing and drop it when
-- its model goes; an existing one is left exactly as it is (@@ignore as
-- main defines it for pull, docs/pull.md), so section 2 plans nothing.
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
-- 2. a column and an index stated: an existing @@ignore'd table is kept as is
INSERT INTO tkl.log (line) VALUES ('x'), ('x');
SELECT ferriorm_plan(tkl_meta.ds() || txt, verify => true) FROM tkl_meta.v WHERE id = 2;
SELECT ferriorm_plan(tkl_meta.ds() || txt) FROM tkl_meta.v WHERE id = 2 \gexec
SELECT coalesce(nullif(ferriorm_plan(tkl_meta.ds() || txt), ''), 'up to date') FROM tkl_meta.v WHERE id = 2;
-- 3. dropped, with its rows counted
SELECT ferriorm_plan(tkl_meta.ds(), verify => true);
SELECT ferriorm_plan(tkl_meta.ds()) \gexec

-- 4. a keyless table made by hand is read back and kept by its @@ignore'd model
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

-- 5. without @@ignore, a model needs a key (both dialects)
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
