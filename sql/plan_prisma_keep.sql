--
-- The prisma dialect leaves alone what Prisma Migrate leaves alone, so that
-- a database deployed from a real Prisma history plans to nothing against
-- its own schema.prisma (docs/testing.md, "Real histories against their
-- own schema"): the order of enum labels, indexes with an expression
-- element, partial indexes (without the partialIndexes preview feature),
-- CHECK constraints, the nullability of list columns, an array default
-- written '{...}' where the schema says [...], a dbgenerated() default, a
-- second index with the definition of one the schema states, an index the
-- schema states twice under two names, the operator class of a B-tree
-- index element that states none.  A
-- unique constraint whose name was clipped is renamed to the unique index
-- the schema names.  Then a history that needs the transaction block
-- deploy gives each migration replays in a shadow database.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
CREATE SCHEMA pk;
SET search_path = pk, public;
SET ferriorm.dialect = prisma;

-- what the raw SQL of a Prisma history leaves
CREATE TYPE pk."Role" AS ENUM ('USER', 'ADMIN');
ALTER TYPE pk."Role" ADD VALUE 'GUEST' BEFORE 'USER';
CREATE TABLE pk."Account" (
  id integer PRIMARY KEY,
  email text NOT NULL,
  role pk."Role" NOT NULL DEFAULT 'USER',
  tags text[] NOT NULL DEFAULT '{}',
  scores integer[] DEFAULT '{1,2}',
  "sortAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "teamId" integer,
  CONSTRAINT "Account_email_check" CHECK (email <> ''),
  CONSTRAINT "Account_admin_check" CHECK (role <> 'ADMIN' OR "teamId" IS NOT NULL),
  CONSTRAINT "Account_teamId_email_ke" UNIQUE ("teamId", email)
);
CREATE INDEX "Account_email_lower_idx" ON pk."Account" (lower(email));
CREATE INDEX "Account_teamId_lower_idx" ON pk."Account" ("teamId", lower(email));
CREATE UNIQUE INDEX "Account_one_admin_key" ON pk."Account" ("teamId") WHERE role = 'ADMIN';
CREATE INDEX "Account_teamId_idx" ON pk."Account" ("teamId") WHERE "teamId" IS NOT NULL;
CREATE INDEX "Account_team_idx" ON pk."Account" ("teamId");
CREATE INDEX "Account_email_idx" ON pk."Account" (email text_pattern_ops);
INSERT INTO pk."Account" VALUES (1, 'a@x', 'ADMIN', '{}', NULL, now(), 7);

CREATE TEMP TABLE s AS SELECT $fm$datasource db {
  provider = "postgresql"
}

enum Role {
  USER
  ADMIN
  GUEST
}

model Account {
  id     Int      @id
  email  String
  role   Role     @default(USER)
  tags   String[] @default([])
  scores Int[]    @default([1, 2])
  sortAt DateTime @default(dbgenerated())
  teamId Int?

  @@unique([teamId, email])
  @@index([teamId])
  @@index([email])
}
$fm$::text AS schema;

-- only the clipped name: the rest is as Prisma Migrate reads it
SELECT ferriorm_plan((SELECT schema FROM s));
SELECT count(*) FROM ferriorm_push((SELECT schema FROM s));
SELECT coalesce(nullif(ferriorm_plan((SELECT schema FROM s)), ''), 'up to date');
SELECT conname FROM pg_constraint WHERE conrelid = 'pk."Account"'::regclass ORDER BY 1;
SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'pk."Account"'::regclass ORDER BY 1;

-- with partialIndexes the schema states predicates: live partial indexes
-- are compared (and dropped when the schema lacks them)
SELECT ferriorm_plan(E'generator client {\n  provider = "prisma-client-js"\n  previewFeatures = ["partialIndexes"]\n}\n' ||
  (SELECT schema FROM s));

-- a removed label recreates the enum: the CHECK and the partial index that
-- involve the converted column go down and come back as they are live
SELECT ferriorm_plan(replace((SELECT schema FROM s), '  GUEST', ''));
SELECT count(*) FROM ferriorm_push(replace((SELECT schema FROM s), '  GUEST', ''), allow_data_loss => true);
SELECT coalesce(nullif(ferriorm_plan(replace((SELECT schema FROM s), '  GUEST', '')), ''), 'up to date');
SELECT pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = 'pk."Account"'::regclass AND contype = 'c' ORDER BY conname;
SELECT pg_get_indexdef('pk."Account_one_admin_key"'::regclass);
SELECT enum_range(NULL::pk."Role");

-- an array default written otherwise than '{}' or [] is still a change
ALTER TABLE pk."Account" ALTER COLUMN scores SET DEFAULT '{2,1}';
SELECT ferriorm_plan(replace((SELECT schema FROM s), '  GUEST', ''));
DROP SCHEMA pk CASCADE;

-- what a conversion or a type change does to what is kept: a partial index
-- matched by name keeps its predicate when the enum recreation re-creates
-- it; one under another name is renamed to the stated index, as Prisma
-- Migrate renames it; an operator class the new type does not take is not
-- kept (the index is re-created); nor is a dbgenerated() default the type
-- change had to drop
CREATE SCHEMA pk2;
SET search_path = pk2, public;
CREATE TYPE pk2."Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
CREATE TABLE pk2."A" (id integer PRIMARY KEY, role pk2."Role" NOT NULL DEFAULT 'USER',
  "teamId" integer, "orgId" integer, code text, v text DEFAULT 'abc');
CREATE UNIQUE INDEX "A_teamId_key" ON pk2."A" ("teamId") WHERE role = 'ADMIN';
CREATE INDEX "A_org_part" ON pk2."A" ("orgId") WHERE "orgId" > 0;
CREATE INDEX "A_code_idx" ON pk2."A" (code text_pattern_ops);
INSERT INTO pk2."A" VALUES (1, 'ADMIN', 1, 1, '12', NULL), (2, 'USER', 1, 1, NULL, '3');
CREATE TEMP TABLE s2 AS SELECT $fm$datasource db {
  provider = "postgresql"
}

enum Role {
  USER
  ADMIN
}

model A {
  id     Int     @id
  role   Role    @default(USER)
  teamId Int?    @unique
  orgId  Int?
  code   Int?
  v      Int?    @default(dbgenerated())

  @@index([orgId])
  @@index([code])
}
$fm$::text AS schema;
SELECT ferriorm_plan((SELECT schema FROM s2));
SELECT count(*) FROM ferriorm_push((SELECT schema FROM s2), allow_data_loss => true);
SELECT coalesce(nullif(ferriorm_plan((SELECT schema FROM s2)), ''), 'up to date');
SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'pk2."A"'::regclass ORDER BY 1;
SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'pk2."A"'::regclass ORDER BY 1;
DROP SCHEMA pk2 CASCADE;

-- a column retyped with a USING cast (text to Int): what is kept on it, a
-- CHECK, an expression index, a partial index (and the predicate of one the
-- schema names), is dropped, as Prisma Migrate's drop and add of the
-- column drops it; PostgreSQL could not rebuild them.  A widened column
-- keeps them (PostgreSQL rebuilds them, as under Prisma's SET DATA TYPE)
CREATE SCHEMA pk3;
SET search_path = pk3, public;
CREATE TABLE pk3."A" (id integer PRIMARY KEY, n text, w varchar(10));
ALTER TABLE pk3."A" ADD CONSTRAINT "A_n_check" CHECK (n <> 'x');
ALTER TABLE pk3."A" ADD CONSTRAINT "A_w_check" CHECK (w <> 'x');
CREATE INDEX "A_lower_idx" ON pk3."A" (lower(n));
CREATE INDEX "A_n_part" ON pk3."A" (id) WHERE n <> 'y';
CREATE INDEX "A_w_idx" ON pk3."A" (w) WHERE n <> 'z';
CREATE INDEX "A_w_lower" ON pk3."A" (lower(w));
INSERT INTO pk3."A" VALUES (1, '5', 'q');
CREATE TEMP TABLE s3 AS SELECT $fm$datasource db {
  provider = "postgresql"
}

model A {
  id Int     @id
  n  Int?
  w  String? @db.VarChar(20)

  @@index([w])
}
$fm$::text AS schema;
SELECT ferriorm_plan((SELECT schema FROM s3));
SELECT count(*) FROM ferriorm_push((SELECT schema FROM s3), allow_data_loss => true);
SELECT coalesce(nullif(ferriorm_plan((SELECT schema FROM s3)), ''), 'up to date');
SELECT conname FROM pg_constraint WHERE conrelid = 'pk3."A"'::regclass AND contype = 'c';
SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'pk3."A"'::regclass ORDER BY 1;
-- the ferriorm dialect keeps nothing of the kind: the CHECK and the
-- expression index go
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_plan(replace((SELECT schema FROM s3), '@@index([w])',
  E'@@index([w], map: "A_w_idx")\n  @@map("A")'));
RESET ferriorm.dialect;
SET ferriorm.dialect = prisma;
DROP SCHEMA pk3 CASCADE;

-- a label removed while what is kept names it: the CHECK, the partial
-- index and the predicate of a stated index go with the label (they could
-- not be created again: "invalid input value for enum"); one that does not
-- name it comes back as it is live.  So for a dbgenerated() default
CREATE SCHEMA pk4;
SET search_path = pk4, public;
CREATE TYPE pk4."Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
CREATE TABLE pk4."A" (id integer PRIMARY KEY, role pk4."Role" NOT NULL DEFAULT 'USER', n integer,
  r2 pk4."Role" DEFAULT 'GUEST', r3 pk4."Role" DEFAULT 'ADMIN');
ALTER TABLE pk4."A" ADD CONSTRAINT "A_role_check" CHECK (role <> 'GUEST');
ALTER TABLE pk4."A" ADD CONSTRAINT "A_admin_check" CHECK (role <> 'ADMIN' OR n > 0);
CREATE INDEX "A_g_idx" ON pk4."A" (id) WHERE role <> 'GUEST';
CREATE INDEX "A_n_idx" ON pk4."A" (n) WHERE role = 'GUEST';
CREATE TEMP TABLE s4 AS SELECT $fm$datasource db {
  provider = "postgresql"
}

enum Role {
  USER
  ADMIN
}

model A {
  id   Int  @id
  role Role @default(USER)
  n    Int?
  r2   Role? @default(dbgenerated())
  r3   Role? @default(dbgenerated())

  @@index([n])
}
$fm$::text AS schema;
SELECT ferriorm_plan((SELECT schema FROM s4));
SELECT count(*) FROM ferriorm_push((SELECT schema FROM s4), allow_data_loss => true);
SELECT coalesce(nullif(ferriorm_plan((SELECT schema FROM s4)), ''), 'up to date');
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'pk4."A"'::regclass AND contype = 'c';
SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'pk4."A"'::regclass ORDER BY 1;
SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 'pk4."A"'::regclass ORDER BY 1;
DROP SCHEMA pk4 CASCADE;

-- a history whose migrations need deploy's transaction block (LOCK TABLE,
-- SET LOCAL, ON COMMIT DROP): the shadow replays each in one; the migration
-- dev would write keeps the partitioning the schema cannot state, as a plan
-- does
\getenv abs_srcdir PG_ABS_SRCDIR
\set mig :abs_srcdir '/test/migrations/txn_replay'
CREATE SCHEMA pk_t;
SET search_path = pk_t, public;
SELECT ferriorm_diff_history(:'mig', $fm$generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
}

model item {
  id    Int     @id
  kind  String
  note  String?
  extra Int?

  @@index([kind])
}

model event {
  id  Int
  day DateTime @db.Date

  @@id([id, day])
}
$fm$);
CALL ferriorm_migrate(:'mig');
SELECT migration, status FROM ferriorm_status(:'mig') ORDER BY 1;
SELECT ferriorm_drift(:'mig', 'shadow') AS drift;
SELECT count(*) FROM pg_database WHERE datname LIKE '%ferriorm_shadow%';
DELETE FROM _ferriorm_migrations;
DROP SCHEMA pk_t CASCADE;

-- What Prisma's own diff (the pinned @prisma/schema-engine-wasm, oracle.mjs
-- diff-db) finds no change in: a generated column whose expression the
-- text states as dbgenerated("...") (Prisma reads the expression as the
-- column's default), and a time type of precision 6 against the same type
-- without a precision, either way (6 is PostgreSQL's maximum, the
-- precision of a column without one).
CREATE SCHEMA pk_g;
CREATE TABLE pk_g.t (
  id int PRIMARY KEY,
  a int,
  twice int GENERATED ALWAYS AS (a * 2) STORED,
  ts timestamp, tstz timestamptz, tm time, tmtz timetz, tsl timestamp[],
  ts6 timestamp(6), tstz6 timestamptz(6), tm6 time(6), tmtz6 timetz(6),
  ts3 timestamp(3)
);
SELECT ferriorm_plan($fm$
datasource db {
  provider = "postgresql"
  schemas  = ["pk_g"]
}
model t {
  id    Int        @id
  a     Int?
  twice Int?       @default(dbgenerated("a * 2"))
  ts    DateTime?  @db.Timestamp(6)
  tstz  DateTime?  @db.Timestamptz(6)
  tm    DateTime?  @db.Time(6)
  tmtz  DateTime?  @db.Timetz(6)
  tsl   DateTime[] @db.Timestamp(6)
  ts6   DateTime?  @db.Timestamp
  tstz6 DateTime?  @db.Timestamptz
  tm6   DateTime?  @db.Time
  tmtz6 DateTime?  @db.Timetz
  ts3   DateTime?  @db.Timestamp(3)

  @@schema("pk_g")
}
$fm$) AS no_change;
-- another precision is another type
SELECT ferriorm_plan($fm$
datasource db {
  provider = "postgresql"
  schemas  = ["pk_g"]
}
model t {
  id    Int        @id
  a     Int?
  twice Int?       @default(dbgenerated("(a * 2)"))
  ts    DateTime?  @db.Timestamp(3)
  tstz  DateTime?  @db.Timestamptz
  tm    DateTime?  @db.Time
  tmtz  DateTime?  @db.Timetz
  tsl   DateTime[] @db.Timestamp
  ts6   DateTime?  @db.Timestamp(6)
  tstz6 DateTime?  @db.Timestamptz(6)
  tm6   DateTime?  @db.Time(6)
  tmtz6 DateTime?  @db.Timetz(6)
  ts3   DateTime?  @db.Timestamp

  @@schema("pk_g")
}
$fm$) AS precision;
DROP SCHEMA pk_g CASCADE;
-- a schema that states one index twice under two names (stacker.news): with
-- one of them live nothing is created, as Prisma Migrate pairs both with it;
-- a live index under a third name is renamed, and the twin still not created
CREATE SCHEMA pk_d;
CREATE TABLE pk_d."Item" (id integer PRIMARY KEY, path text NOT NULL);
CREATE INDEX "Item_a" ON pk_d."Item" (path);
CREATE TEMP TABLE twice AS SELECT $fm$
datasource db {
  provider = "postgresql"
  schemas  = ["pk_d"]
}
model Item {
  id   Int    @id
  path String

  @@index([path], map: "Item_a")
  @@index([path], map: "Item_b")
  @@schema("pk_d")
}
$fm$::text AS schema;
SELECT coalesce(nullif(ferriorm_plan((SELECT schema FROM twice)), ''), 'up to date') AS stated_twice;
ALTER INDEX pk_d."Item_a" RENAME TO "Item_x";
SELECT ferriorm_plan((SELECT schema FROM twice)) AS renamed_once;
-- into an empty schema both are created
DROP TABLE pk_d."Item";
SELECT ferriorm_plan((SELECT schema FROM twice)) AS both_created;
DROP SCHEMA pk_d CASCADE;
