--
-- plan_hazards: every hazard kind, with figures read from seeded data;
-- ferriorm_push() refusing data loss.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

CREATE SCHEMA phz;
CREATE TABLE phz_text (name text PRIMARY KEY, body text);
INSERT INTO phz_text VALUES ('header', $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["phz"]
}
$$);
INSERT INTO phz_text SELECT 'v1', body || $$
enum Color {
  red
  green
  blue
  @@schema("phz")
}
enum Old {
  a
  @@schema("phz")
}
enum Shade {
  dark
  light
  @@schema("phz")
}
enum Tone {
  dark
  light
  bright
  @@schema("phz")
}
model Gone {
  id Int @id
  @@schema("phz")
}
model Owner {
  id Int @id
  @@schema("phz")
}
model Item {
  id      Int     @id
  old     String?
  maybe   String?
  code    String
  txt     String
  big     BigInt
  short   String  @db.VarChar(10)
  color   Color
  qty     Int
  ownerId Int
  shade   Shade
  lvl     Int
  @@schema("phz")
}
$$ FROM phz_text WHERE name = 'header';
INSERT INTO phz_text SELECT 'v2', body || $$
enum Color {
  red
  blue
  @@schema("phz")
}
enum Shade {
  dark
  light
  @@schema("phz")
}
enum Tone {
  dark
  light
  bright
  @@schema("phz")
}
model Owner {
  id    Int    @id
  items Item[]
  @@schema("phz")
}
model Item {
  id      Int     @id
  maybe   String
  code    String  @unique
  txt     Int
  big     Int
  short   String  @db.VarChar(3)
  color   Color
  qty     Int
  ownerId Int
  req     String
  shade   Tone
  lvl     String
  owner   Owner   @relation(fields: [ownerId], references: [id])
  @@check("qty >= 0")
  @@schema("phz")
}
$$ FROM phz_text WHERE name = 'header';

SELECT count(*) AS steps FROM (SELECT ferriorm_push(body) FROM phz_text WHERE name = 'v1') s;
INSERT INTO phz."gones" SELECT generate_series(1, 3);
INSERT INTO phz.owners VALUES (1);
INSERT INTO phz.items (id, old, maybe, code, txt, big, short, color, qty, owner_id, shade, lvl) VALUES
  (1, 'x',  'm',  'A', '1', 1,          'abc',    'red',   5, 1, 'dark',  1),
  (2, NULL, NULL, 'A', '2', 2,          'abcdef', 'green', 0, 1, 'light', 2),
  (3, 'y',  'm',  'B', 'x', 3000000000, 'ab',     'green', -1, 7, 'dark', 3),
  (4, NULL, 'm',  'B', '4', 4,          'a',      'blue',  1, 8, 'dark',  4),
  (5, NULL, 'm',  'B', '5', 5,          'abcd',   'blue',  1, 8, 'light', 5);

-- one row per step; figures in detail
SELECT step, action, object, hazard, detail
FROM ferriorm_plan_steps((SELECT body FROM phz_text WHERE name = 'v2'))
WHERE hazard IS NOT NULL ORDER BY step;

-- the script carries them as comments above their statements
SELECT ferriorm_plan((SELECT body FROM phz_text WHERE name = 'v2'));

-- verification applies the plan in a subtransaction: here it fails, and
-- nothing is kept
SELECT ferriorm_plan((SELECT body FROM phz_text WHERE name = 'v2'), verify => true);

-- push refuses: the counted rows show steps that will fail (before the data
-- that would be lost is considered)
SELECT ferriorm_push((SELECT body FROM phz_text WHERE name = 'v2'));

-- nothing was changed
SELECT count(*) AS gone_rows FROM phz.gones;

-- dropping an empty table and a column with only NULLs loses nothing
DELETE FROM phz.gones;
UPDATE phz.items SET old = NULL;
INSERT INTO phz_text SELECT 'v3', replace(replace(body, $$model Gone {
  id Int @id
  @@schema("phz")
}$$, ''), 'old     String?', '') FROM phz_text WHERE name = 'v1';
SELECT hazard, detail FROM ferriorm_plan_steps((SELECT body FROM phz_text WHERE name = 'v3'))
WHERE hazard IS NOT NULL;
SELECT ferriorm_push(body) FROM phz_text WHERE name = 'v3';

-- a column with values: refused, then allowed
INSERT INTO phz_text SELECT 'v4', replace(body, 'maybe   String?', '') FROM phz_text WHERE name = 'v3';
SELECT ferriorm_push(body) FROM phz_text WHERE name = 'v4';
SELECT ferriorm_push(body, allow_data_loss => true) FROM phz_text WHERE name = 'v4';
SELECT ferriorm_plan(body) = '' AS up_to_date FROM phz_text WHERE name = 'v4';

-- a removed enum label held only by a column that the plan drops makes
-- nothing fail (the column keeps the old type until it is dropped); held by
-- a column converted to the new enum, it does
CREATE SCHEMA phz_e;
CREATE TEMP TABLE phz_e_text AS SELECT $fm$datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["phz_e"]
}

enum Color {
  red
  green
  @@schema("phz_e")
}

model Item {
  id    Int   @id
  color Color
  other Color @default(red)
  @@schema("phz_e")
}
$fm$::text AS v1;
SELECT count(*) FROM ferriorm_push((SELECT v1 FROM phz_e_text));
INSERT INTO phz_e.items VALUES (1, 'green', 'red');
SELECT hazard, detail FROM ferriorm_plan_steps((SELECT replace(replace(v1, '  green' || chr(10), ''),
  '  color Color' || chr(10), '') FROM phz_e_text)) WHERE hazard IS NOT NULL;
BEGIN;
SELECT count(*) FROM ferriorm_push((SELECT replace(replace(v1, '  green' || chr(10), ''),
  '  color Color' || chr(10), '') FROM phz_e_text), allow_data_loss => true);
ROLLBACK;
UPDATE phz_e.items SET color = 'red', other = 'green';
SELECT ferriorm_push((SELECT replace(replace(v1, '  green' || chr(10), ''),
  '  color Color' || chr(10), '') FROM phz_e_text), allow_data_loss => true);
DROP SCHEMA phz_e CASCADE;

-- a type change fails where PostgreSQL's conversion of a value raises an
-- error, and where the statement's assignment conversion (no USING) does:
-- a string longer than the new length, unless the excess is spaces (then
-- truncated: lost, not failing); a value rounded to a smaller scale is lost
CREATE SCHEMA phz_t;
CREATE TABLE phz_t.items (id int PRIMARY KEY, code varchar(20), price numeric(12,2), n bigint, tags varchar(20)[]);
INSERT INTO phz_t.items VALUES (1, 'abc   ', 1.25, 1, '{ab}'), (2, 'abcdef', 2.50, 2, '{ab,abcdef}');
CREATE TEMP TABLE phz_t_text AS SELECT $fm$datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["phz_t"]
}

model Item {
  id    Int     @id
  code  String  @db.VarChar(4)
  price Decimal @db.Decimal(12, 1)
  n     Int
  tags  String[] @db.VarChar(4)
  @@map("items")
  @@schema("phz_t")
}
$fm$::text AS v;
SELECT hazard, detail FROM ferriorm_plan_steps((SELECT v FROM phz_t_text)) WHERE hazard IS NOT NULL ORDER BY step;
SELECT ferriorm_push((SELECT v FROM phz_t_text), allow_data_loss => true);
UPDATE phz_t.items SET code = 'ab  ', n = 3000000000, tags = '{ab,"abcd  "}' WHERE id = 2;
SELECT hazard, detail FROM ferriorm_plan_steps((SELECT v FROM phz_t_text)) WHERE hazard IS NOT NULL ORDER BY step;
UPDATE phz_t.items SET n = 3 WHERE id = 2;
SELECT count(*) FROM ferriorm_push((SELECT v FROM phz_t_text), allow_data_loss => true);
SELECT * FROM phz_t.items ORDER BY id;
DROP SCHEMA phz_t CASCADE;

-- drop_enum: a column the plan does not change (another schema's, a
-- view's, a domain over it) makes DROP TYPE fail; the figure names them
-- and push refuses up front (it failed part-way)
CREATE SCHEMA phz_e;
CREATE SCHEMA phz_eo;
CREATE TYPE phz_e.mood AS ENUM ('a', 'b');
CREATE TABLE phz_e.items (id int PRIMARY KEY, m phz_e.mood);
CREATE TABLE phz_eo.t (m phz_e.mood, ms phz_e.mood[]);
CREATE DOMAIN phz_eo.dmood AS phz_e.mood;
SELECT set_config('fm.enum', $$datasource db {
  provider = "postgresql"
  schemas  = ["phz_e"]
}
model Item {
  id Int @id
  @@map("items")
  @@schema("phz_e")
}
$$, false) IS NOT NULL AS set;
SELECT step, hazard, detail FROM ferriorm_plan_steps(current_setting('fm.enum')) WHERE hazard = 'drop_enum';
-- a partition's or child's column that only inherits the enum column is
-- changed with its parent's: not counted as in the way
CREATE TABLE phz_e.ev (id int, at date, m phz_e.mood, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE phz_e.ev1 PARTITION OF phz_e.ev FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE TABLE phz_e.kid () INHERITS (phz_e.items);
SELECT step, hazard, detail FROM ferriorm_plan_steps(current_setting('fm.enum') || $$
model Ev {
  id Int
  at DateTime @db.Date
  @@id([id, at])
  @@partitionBy(Range, [at])
  @@map("ev")
  @@schema("phz_e")
}
model Ev1 {
  @@partitionOf(Ev, values: "FROM ('2020-01-01') TO ('2021-01-01')")
  @@map("ev1")
  @@schema("phz_e")
}
model Kid {
  @@inherits([Item])
  @@map("kid")
  @@schema("phz_e")
}
$$) WHERE hazard = 'drop_enum';
DROP TABLE phz_e.ev, phz_e.kid;
SELECT ferriorm_push(current_setting('fm.enum'), allow_data_loss => true);
SELECT count(*) AS m_kept FROM pg_attribute WHERE attrelid = 'phz_e.items'::regclass AND attname = 'm';
SET client_min_messages = warning;
DROP SCHEMA phz_e, phz_eo CASCADE;
RESET client_min_messages;
-- drop_column and alter_type under a view (no plan manages views):
-- PostgreSQL refuses both; the figure names the view and push refuses
-- the step up front (it failed part-way)
CREATE SCHEMA phz_v;
CREATE TABLE phz_v.items (id int PRIMARY KEY, old text, n int);
CREATE VIEW phz_v.item_olds AS SELECT id, old, n FROM phz_v.items;
SELECT step, hazard, detail FROM ferriorm_plan_steps($$datasource db {
  provider = "postgresql"
  schemas  = ["phz_v"]
}
model Item {
  id Int    @id
  n  BigInt?
  @@map("items")
  @@schema("phz_v")
}
$$) WHERE hazard IS NOT NULL ORDER BY step;
DROP SCHEMA phz_v CASCADE;

-- a column made of an enum that the same plan creates: its values are
-- compared with the enum's labels (the type does not exist yet, so there
-- was no figure, and push and dev took the step for a loss without a
-- reason; third new-user walkthrough)
CREATE SCHEMA phz_ne;
CREATE TABLE phz_ne.art (id int PRIMARY KEY, status text, tags text[]);
INSERT INTO phz_ne.art VALUES (1, 'DRAFT', '{DRAFT,X}'), (2, 'GONE', '{PUBLISHED}'), (3, NULL, NULL);
SET ferriorm.dialect = prisma;
SELECT set_config('fm.ne', $$datasource db {
  provider = "postgresql"
  schemas  = ["phz_ne"]
}
enum St {
  DRAFT
  PUBLISHED
  @@schema("phz_ne")
}
model art {
  id     Int  @id
  status St?
  tags   St[]
  @@schema("phz_ne")
}
$$, false) IS NOT NULL AS set;
SELECT step, hazard, detail FROM ferriorm_plan_steps(current_setting('fm.ne')) WHERE hazard IS NOT NULL;
SELECT ferriorm_push(current_setting('fm.ne'));
UPDATE phz_ne.art SET status = 'DRAFT', tags = '{PUBLISHED}';
SELECT step, hazard, detail FROM ferriorm_plan_steps(current_setting('fm.ne')) WHERE hazard IS NOT NULL;
SELECT count(*) > 0 AS pushed FROM ferriorm_push(current_setting('fm.ne'));
SELECT * FROM phz_ne.art ORDER BY id;
RESET ferriorm.dialect;
DROP SCHEMA phz_ne CASCADE;

-- a conversion that fails for a value after the first 1,000 distinct
-- values the figure checks one by one: the step fails (it read "at least
-- 0 values ... without loss", and push refused it as a loss)
CREATE SCHEMA phz_many;
CREATE TABLE phz_many.t (id int PRIMARY KEY, g text);
INSERT INTO phz_many.t SELECT i, i::text FROM generate_series(1, 1500) i;
UPDATE phz_many.t SET g = 'about 3kg' WHERE id = 1500;
SELECT step, hazard, detail FROM ferriorm_plan_steps($$
datasource db {
  provider = "postgresql"
  schemas  = ["phz_many"]
}
model t {
  id Int  @id
  g  Int?
  @@map("t")
  @@schema("phz_many")
}
$$) WHERE hazard IS NOT NULL;
DROP SCHEMA phz_many CASCADE;

-- removing an enum value converts the enum's columns to the new type: a
-- view that reads one makes that fail, which the figure says (it said
-- nothing, and only verify => true found it)
CREATE SCHEMA phz_ev;
CREATE TYPE phz_ev.st AS ENUM ('active', 'deleted');
CREATE TABLE phz_ev.u (id int PRIMARY KEY, status phz_ev.st NOT NULL);
CREATE VIEW phz_ev.active_u AS SELECT id FROM phz_ev.u WHERE status = 'active';
SELECT step, hazard, detail FROM ferriorm_plan_steps($$
datasource db {
  provider = "postgresql"
  schemas  = ["phz_ev"]
}
enum st {
  active
  @@schema("phz_ev")
}
model u {
  id     Int @id
  status st
  @@map("u")
  @@schema("phz_ev")
}
$$) WHERE hazard IS NOT NULL;
SET client_min_messages = warning;
DROP SCHEMA phz_ev CASCADE;
RESET client_min_messages;

SET client_min_messages = warning;
DROP SCHEMA phz CASCADE;
DROP TABLE phz_text;
RESET client_min_messages;
