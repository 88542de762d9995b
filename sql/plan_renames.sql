--
-- plan_renames: renames declared with /// @renamed(from: "old") on a
-- model, a field and an enum value become ALTER ... RENAME (no data moved,
-- no loss hazard), in both dialects; a declaration already applied is a
-- no-op; an undeclared drop + add of the same type (or a table of the same
-- shape) only flags possible_rename, with the annotation to write.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
CREATE SCHEMA prn;
\pset format unaligned

CREATE TABLE prn_text (name text PRIMARY KEY, body text);
INSERT INTO prn_text VALUES ('head', $$datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["prn"]
}
$$), ('v1', $$enum Color {
  red
  green
  @@schema("prn")
}
model Post {
  id    Int    @id
  title String
  color Color
  @@schema("prn")
}
$$), ('v2', $$enum Color {
  red
  /// @renamed(from: "green")
  lime
  @@schema("prn")
}
/// A post, once.
/// @renamed(from: "Post")
model Article {
  id       Int    @id
  /// @renamed(from: "title")
  headline String
  color    Color
  @@schema("prn")
}
$$), ('v3', $$enum Color {
  red
  lime
  @@schema("prn")
}
model Article {
  id       Int    @id
  heading  String
  color    Color
  @@schema("prn")
}
model Copy {
  id       Int    @id
  headline String
  color    Color
  @@schema("prn")
}
$$), ('v4', $$enum Color {
  red
  lime
  @@schema("prn")
}
model Copy {
  id       Int    @id
  headline String
  color    Color
  @@schema("prn")
}
$$), ('bad', $$model Post {
  id    Int    @id
  /// @renamed(from: title)
  title String
  @@schema("prn")
}
$$);
CREATE FUNCTION prn_s(n text) RETURNS text LANGUAGE sql AS $$
  SELECT (SELECT body FROM prn_text WHERE name = 'head') || (SELECT body FROM prn_text WHERE name = n)
$$;
CREATE FUNCTION prn_data() RETURNS text LANGUAGE sql AS $$
  SELECT string_agg(format('%s: %s', c.relname,
    (SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_attribute a
     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)), '; ' ORDER BY c.relname)
  FROM pg_class c WHERE c.relnamespace = 'prn'::regnamespace AND c.relkind = 'r'
$$;

-- each dialect: v1 with a row, the renames of v2, then the row again
SET ferriorm.dialect = ferriorm;
SELECT count(*) AS pushed FROM ferriorm_push(prn_s('v1'));
INSERT INTO prn.posts VALUES (1, 'hello', 'green');
SELECT ferriorm_plan(prn_s('v2'));
SELECT step, ddl, hazard, lock FROM ferriorm_plan_steps(prn_s('v2')) ORDER BY step;
SELECT count(*) AS pushed FROM ferriorm_push(prn_s('v2'));
SELECT * FROM prn.articles;
SELECT obj_description('prn.articles'::regclass) AS comment;
-- the declarations stay in the file: a no-op now
SELECT ferriorm_plan(prn_s('v2')) = '' AS up_to_date;
-- undeclared: a dropped column and an added one of the same type, a new
-- table of the shape of a dropped one: possible_rename, nothing renamed
SELECT step, ddl, hazard, detail FROM ferriorm_plan_steps(prn_s('v3'))
WHERE hazard IS NOT NULL ORDER BY step;
SELECT ferriorm_plan(prn_s('v3'));
SELECT step, ddl, hazard, detail FROM ferriorm_plan_steps(prn_s('v4'))
WHERE hazard IS NOT NULL ORDER BY step;
DROP TABLE prn.articles;
DROP TYPE prn.color;

SET ferriorm.dialect = prisma;
SELECT count(*) AS pushed FROM ferriorm_push(prn_s('v1'));
INSERT INTO prn."Post" VALUES (1, 'hello', 'green');
SELECT ferriorm_plan(prn_s('v2'));
SELECT count(*) AS pushed FROM ferriorm_push(prn_s('v2'));
SELECT * FROM prn."Article";
SELECT prn_data();
SELECT ferriorm_plan(prn_s('v2')) = '' AS up_to_date;
-- undeclared, in this dialect too: possible_rename, with the annotation
SELECT step, ddl, hazard, detail FROM ferriorm_plan_steps(prn_s('v3'))
WHERE hazard IS NOT NULL ORDER BY step;
SELECT ferriorm_plan(prn_s('v3')) ~ '-- HAZARD possible_rename: .*@renamed\(from: "headline"\)' AS column_hint;
SELECT step, ddl, hazard, detail FROM ferriorm_plan_steps(prn_s('v4'))
WHERE hazard IS NOT NULL ORDER BY step;

-- a declaration whose old and new names both exist renames nothing
CREATE TABLE prn."Post" (id int PRIMARY KEY);
SELECT ddl FROM ferriorm_plan_steps(prn_s('v2')) WHERE ddl LIKE '%RENAME%';
RESET ferriorm.dialect;

-- a malformed annotation
SELECT line, message FROM ferriorm_validate(prn_s('bad'));

-- the hazard figures of a renamed table and column are counted on their
-- live names (every figure of such a table was missing, so push did not
-- refuse the failing steps up front and failed part-way)
CREATE SCHEMA prn_hz;
CREATE TABLE prn_hz.members (id int PRIMARY KEY, name text, points int, code text);
INSERT INTO prn_hz.members VALUES (1, NULL, 100000, 'a'), (2, 'x', 3, 'a'), (3, NULL, 4, 'b');
SELECT set_config('fm.hz', $$datasource db {
  provider = "postgresql"
  schemas  = ["prn_hz"]
}
/// @renamed(from: "Member")
model Person {
  id       Int    @id
  /// @renamed(from: "name")
  fullName String
  points   Int    @db.SmallInt
  code     String @unique
  @@schema("prn_hz")
}
$$, false) IS NOT NULL AS set;
SELECT step, action, hazard, detail FROM ferriorm_plan_steps(current_setting('fm.hz'));
SELECT ferriorm_push(current_setting('fm.hz'));
SELECT count(*) AS still_members FROM prn_hz.members;
DROP SCHEMA prn_hz CASCADE;

-- and so are the figures of a new foreign key, CHECK and unique key over
-- renamed columns, and a foreign key to a renamed table and column: read
-- through the live names (the foreign key said "column is new, so no row
-- references a missing row", the others had none), so push refuses them
-- up front
CREATE SCHEMA prn_hz2;
CREATE TABLE prn_hz2.owners (oid int PRIMARY KEY);
CREATE TABLE prn_hz2.pets (id int PRIMARY KEY, owner_ref int);
INSERT INTO prn_hz2.owners VALUES (1);
INSERT INTO prn_hz2.pets VALUES (1, 1), (2, 99);
CREATE TABLE prn_hz2.gadgets (id int PRIMARY KEY, code text, qty int);
INSERT INTO prn_hz2.gadgets VALUES (1, 'a', 1), (2, 'a', -1);
SELECT set_config('fm.hz2', $$datasource db {
  provider = "postgresql"
  schemas  = ["prn_hz2"]
}
/// @renamed(from: "owners")
model Owner {
  /// @renamed(from: "oid")
  id   Int   @id
  pets Pet[]
  @@schema("prn_hz2")
}
model Pet {
  id      Int    @id
  /// @renamed(from: "owner_ref")
  ownerId Int?
  owner   Owner? @relation(fields: [ownerId], references: [id])
  @@map("pets")
  @@schema("prn_hz2")
}
model Gadget {
  id     Int     @id
  /// @renamed(from: "code")
  sku    String? @unique
  /// @renamed(from: "qty")
  amount Int?
  @@check("amount >= 0")
  @@map("gadgets")
  @@schema("prn_hz2")
}
$$, false) IS NOT NULL AS set;
SELECT step, action, hazard, detail FROM ferriorm_plan_steps(current_setting('fm.hz2'))
 WHERE hazard IS NOT NULL;
SELECT ferriorm_push(current_setting('fm.hz2'));
SELECT count(*) AS still_pets FROM prn_hz2.pets;
DROP SCHEMA prn_hz2 CASCADE;

-- a renamed column whose old name a new column takes: each figure reads
-- the live column the desired one comes from (the type change's figure
-- read the new enum column's, said nothing was lost, and push rounded
-- 1.5 to 2; a CHECK on the new column counted the old one's rows)
-- (seventh security review)
CREATE SCHEMA prn_sh;
CREATE TABLE prn_sh.t (id int PRIMARY KEY, amount numeric);
INSERT INTO prn_sh.t VALUES (1, 1.5), (2, 2.5);
SELECT set_config('fm.sh', $$datasource db {
  provider = "postgresql"
  schemas  = ["prn_sh"]
}
enum St {
  a
  b
  @@schema("prn_sh")
}
model T {
  id     Int  @id
  /// @renamed(from: "amount")
  qty    Int?
  amount St?
  note   String? @default("x")
  @@check("amount IS NULL")
  @@map("t")
  @@schema("prn_sh")
}
$$, false) IS NOT NULL AS set;
SELECT step, hazard, detail FROM ferriorm_plan_steps(current_setting('fm.sh')) WHERE hazard IS NOT NULL;
SELECT ferriorm_push(current_setting('fm.sh'));
SELECT * FROM prn_sh.t ORDER BY id;
DROP SCHEMA prn_sh CASCADE;

-- an enum type renamed (/// @renamed above the enum), with a value of it:
-- ALTER TYPE ... RENAME TO, then RENAME VALUE; the columns keep their
-- rows (the annotation was ignored without a word, the type created
-- again, and the cast of the old label failed)
CREATE SCHEMA prn_en;
SELECT set_config('fm.en1', $$datasource db {
  provider = "postgresql"
  schemas  = ["prn_en"]
}
enum Status {
  draft
  published
  @@schema("prn_en")
}
model Article {
  id     Int      @id
  status Status   @default(draft)
  tags   Status[]
  @@map("article")
  @@schema("prn_en")
}
$$, false) IS NOT NULL AS set;
SELECT ferriorm_push(current_setting('fm.en1')) IS NOT NULL AS pushed;
INSERT INTO prn_en.article VALUES (1, 'draft', '{draft,published}');
SELECT set_config('fm.en2', replace(replace(replace(current_setting('fm.en1'),
  'enum Status {', E'/// @renamed(from: "Status")\nenum ArticleStatus {'),
  E'  draft\n', E'  /// @renamed(from: "draft")\n  wip\n'),
  'Status   @default(draft)', 'ArticleStatus @default(wip)'), false) IS NOT NULL AS set;
SELECT set_config('fm.en2', replace(current_setting('fm.en2'), 'tags   Status[]', 'tags   ArticleStatus[]'), false) IS NOT NULL AS set;
SELECT ferriorm_plan(current_setting('fm.en2'));
SELECT ferriorm_push(current_setting('fm.en2')) IS NOT NULL AS pushed;
SELECT * FROM prn_en.article;
SELECT coalesce(nullif(ferriorm_plan(current_setting('fm.en2')), ''), 'up to date') AS plan;
DROP SCHEMA prn_en CASCADE;

-- a renamed model of an implicit many-to-many relation: its join table
-- gets a new name; the hint says how to keep it (it asked for an
-- annotation on a model "_PostToTopic" that no text has), and following
-- it keeps the join table and its rows
CREATE SCHEMA prn_m2;
SET ferriorm.dialect = prisma;
SELECT count(*) > 0 AS pushed FROM ferriorm_push($$datasource db {
  provider = "postgresql"
  schemas  = ["prn_m2"]
}
model Post {
  id   Int   @id
  tags Tag[]
  @@schema("prn_m2")
}
model Tag {
  id    Int    @id
  posts Post[]
  @@schema("prn_m2")
}
$$);
SELECT step, action, hazard, detail FROM ferriorm_plan_steps($$datasource db {
  provider = "postgresql"
  schemas  = ["prn_m2"]
}
model Post {
  id   Int     @id
  tags Topic[]
  @@schema("prn_m2")
}
/// @renamed(from: "Tag")
model Topic {
  id    Int    @id
  posts Post[]
  @@schema("prn_m2")
}
$$) WHERE action <> 'AlterTable';
SELECT step, action, object FROM ferriorm_plan_steps($$datasource db {
  provider = "postgresql"
  schemas  = ["prn_m2"]
}
model Post {
  id   Int     @id
  tags Topic[] @relation("PostToTag")
  @@schema("prn_m2")
}
/// @renamed(from: "Tag")
model Topic {
  id    Int    @id
  posts Post[] @relation("PostToTag")
  @@schema("prn_m2")
}
$$);
RESET ferriorm.dialect;
DROP SCHEMA prn_m2 CASCADE;

\pset format aligned
DROP SCHEMA prn CASCADE;
DROP TABLE prn_text;
DROP FUNCTION prn_s(text), prn_data();
