--
-- tables_exclude: exclusion constraints, @@exclude (ferriorm dialect):
-- created by ferriorm_diff, added, changed (dropped and added again) and
-- dropped by plans, introspected, printed by pull; the prisma dialect
-- cannot state them and keeps the live ones; one the language cannot
-- state (an expression element) makes pull print /// @preserve.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA tex_meta;
CREATE SCHEMA tex_ext;
CREATE EXTENSION btree_gist SCHEMA tex_ext;
CREATE FUNCTION tex_meta.ds() RETURNS text LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["tex"]\n}\n'
$$;
CREATE TABLE tex_meta.v (id int PRIMARY KEY, txt text);
INSERT INTO tex_meta.v VALUES
(1, $$
model Booking {
  id        Int     @id
  room      Int
  during    Unsupported("tstzrange")
  cancelled Boolean @default(false)
  @@exclude([room(op: "="), during(op: "&&")], where: "NOT cancelled")
  @@map("booking")
  @@schema("tex")
}
$$),
-- the predicate changed, a second one named by map:, with a qualified operator
(2, $$
model Booking {
  id        Int     @id
  room      Int
  during    Unsupported("tstzrange")
  cancelled Boolean @default(false)
  @@exclude([room(op: "="), during(op: "&&")])
  @@exclude([during(op: "pg_catalog.&&")], map: "booking_no_overlap")
  @@map("booking")
  @@schema("tex")
}
$$),
-- the method changed (SpGist), the first one dropped
(3, $$
model Booking {
  id        Int     @id
  room      Int
  during    Unsupported("tstzrange")
  cancelled Boolean @default(false)
  @@exclude([during(op: "&&")], type: SpGist, map: "booking_no_overlap")
  @@map("booking")
  @@schema("tex")
}
$$);

-- 1. text -> DDL -> empty plan
SELECT ferriorm_diff('', tex_meta.ds() || txt) FROM tex_meta.v WHERE id = 1;
SET search_path = public, tex_ext;
SELECT ferriorm_plan(tex_meta.ds() || txt) FROM tex_meta.v WHERE id = 1 \gexec
SELECT coalesce(nullif(ferriorm_plan(tex_meta.ds() || txt), ''), 'up to date') FROM tex_meta.v WHERE id = 1;
SELECT pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint
 WHERE conrelid = 'tex.booking'::regclass AND contype = 'x' ORDER BY conname;
INSERT INTO tex.booking VALUES (1, 1, '[2030-01-01,2030-01-02)', false),
  (2, 1, '[2030-01-01,2030-01-02)', true), (3, 2, '[2030-02-01,2030-02-03)', false);
-- the constraint works
INSERT INTO tex.booking VALUES (4, 1, '[2030-01-01 12:00,2030-01-05)', false);
-- 2. pulled: @@exclude, and the pulled text plans to nothing
SELECT ferriorm_pull(ARRAY['tex']);
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tex'])), ''), 'up to date');
-- 3. changed: dropped and added again (the add scans the table under
-- ACCESS EXCLUSIVE); a new one added
DELETE FROM tex.booking WHERE id = 2;
SELECT ferriorm_plan(tex_meta.ds() || txt, verify => true) FROM tex_meta.v WHERE id = 2;
SELECT ferriorm_plan(tex_meta.ds() || txt) FROM tex_meta.v WHERE id = 2 \gexec
SELECT coalesce(nullif(ferriorm_plan(tex_meta.ds() || txt), ''), 'up to date') FROM tex_meta.v WHERE id = 2;
SELECT step, action, lock, rewrite, scan FROM ferriorm_plan_steps((SELECT tex_meta.ds() || txt FROM tex_meta.v WHERE id = 3))
 ORDER BY step;
-- 4. the method changed, one dropped
SELECT ferriorm_plan(tex_meta.ds() || txt) FROM tex_meta.v WHERE id = 3 \gexec
SELECT coalesce(nullif(ferriorm_plan(tex_meta.ds() || txt), ''), 'up to date') FROM tex_meta.v WHERE id = 3;
SELECT ferriorm_pull(ARRAY['tex']) LIKE '%@@exclude([during(op: "&&")], type: SpGist, map: "booking_no_overlap")%' AS pulled;
-- an add that the data violates fails verification, and nothing is changed
CREATE TABLE tex.span (id int PRIMARY KEY, per int4range);
INSERT INTO tex.span VALUES (1, '[1,5)'), (2, '[4,9)'), (3, '[20,30)'), (4, NULL);
-- the hazard counts the rows that conflict (as the table's owner)
SELECT ferriorm_plan(tex_meta.ds() || txt || $$
model Span {
  id  Int @id
  per Unsupported("int4range")?
  @@exclude([per(op: "&&")])
  @@map("span")
  @@schema("tex")
}
$$) FROM tex_meta.v WHERE id = 3;
-- past the hazard budget the pairwise comparison is not run
SET ferriorm.hazard_budget = 0;
SELECT ferriorm_plan(tex_meta.ds() || txt || $$
model Span {
  id  Int @id
  per Unsupported("int4range")?
  @@exclude([per(op: "&&")])
  @@map("span")
  @@schema("tex")
}
$$) FROM tex_meta.v WHERE id = 3;
RESET ferriorm.hazard_budget;
SELECT ferriorm_plan(tex_meta.ds() || txt || $$
model Span {
  id  Int @id
  per Unsupported("int4range")?
  @@exclude([per(op: "&&")])
  @@map("span")
  @@schema("tex")
}
$$, verify => true) FROM tex_meta.v WHERE id = 3;
DROP TABLE tex.span;

-- 5. the prisma dialect cannot state them: the live ones are kept
SELECT coalesce(nullif(ferriorm_plan(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tex_meta.ds() || $$
model booking {
  id        Int     @id
  room      Int
  during    Unsupported("tstzrange")
  cancelled Boolean @default(false)
  @@schema("tex")
}
$$), ''), 'up to date');
SELECT * FROM ferriorm_validate(E'generator client {\n  provider = "prisma-client-js"\n}\n' || tex_meta.ds() || $$
model booking {
  id     Int @id
  during Unsupported("tstzrange")
  @@exclude([during(op: "&&")])
  @@schema("tex")
}
$$);

-- 6. one the language cannot state (an expression): /// @preserve, kept
CREATE TABLE tex.slot (id int PRIMARY KEY, a int, b int,
  CONSTRAINT slot_span EXCLUDE USING gist (int4range(a, b) WITH &&));
SELECT strpos(ferriorm_pull(ARRAY['tex']), E'/// @preserve(reason: "the exclusion constraint \\"slot_span\\" cannot be stated: it has an expression")\nmodel Slot {') > 0 AS preserved;
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tex'])), ''), 'up to date');
DROP TABLE tex.slot;

-- 7. names that need quoting, in a new table
SELECT ferriorm_diff('', tex_meta.ds() || $$
model Odd {
  id  Int @id
  per Unsupported("int4range") @map("Per Iod")
  @@exclude([per(op: "&&")], where: "id > 0", map: "Odd \"excl\"")
  @@schema("tex")
}
$$);

-- 8. invalid
SELECT * FROM ferriorm_validate(tex_meta.ds() || $$
model A {
  id  Int  @id
  r   Unsupported("int4range")
  b   B    @relation(fields: [id], references: [id])
  @@exclude([r])
  @@exclude([r(op: "&&); DROP TABLE x; --")])
  @@exclude([r(op: "&&", sort: Desc)])
  @@exclude([nope(op: "=")])
  @@exclude([b(op: "=")])
  @@exclude([r(op: "&&")], type: Gin)
  @@exclude([r(op: "--")])
  @@exclude([r(op: ".&&")])
  @@exclude([])
  @@exclude([r(op: "&&"), r(op: "=")])
  @@schema("tex")
}
model B {
  id Int @id
  a  A?
  @@schema("tex")
}
$$);

-- its name is a relation name, and a constraint name, of the schema
SELECT * FROM ferriorm_validate(tex_meta.ds() || $$
model A {
  id Int @id
  r  Unsupported("int4range")
  s  Int
  @@exclude([r(op: "&&")], map: "x_excl")
  @@index([s], map: "x_excl")
  @@check("s > 0", map: "x_excl")
  @@schema("tex")
}
$$);

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA tex CASCADE;
DROP SCHEMA tex_meta CASCADE;
DROP EXTENSION btree_gist;
DROP SCHEMA tex_ext CASCADE;
RESET client_min_messages;
