--
-- A column of a domain in the prisma dialect: Prisma Migrate reads it as
-- the domain's base type, so String over a domain on text plans to nothing
-- (pubpub/platform's history makes "lastModifiedBy" a domain with a CHECK
-- by hand; the plan retyped it to text, dropping the domain's CHECK).  A
-- different base type, typmod or dialect still changes the type.  The same
-- holds for a domain over an enum or over an array.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
CREATE SCHEMA pd;
SET search_path = pd, public;
SET ferriorm.dialect = prisma;

CREATE DOMAIN pd.modified_by AS text CHECK (VALUE ~ '^(user|system):');
CREATE DOMAIN pd.short_code AS varchar(20);
CREATE DOMAIN pd.pos_int AS integer CHECK (VALUE > 0);
CREATE TABLE pd."Invite" (
  id text PRIMARY KEY,
  "lastModifiedBy" pd.modified_by NOT NULL,
  code pd.short_code,
  rank pd.pos_int
);
CREATE INDEX "Invite_lastModifiedBy_idx" ON pd."Invite" ("lastModifiedBy");

-- the schema.prisma of the history: base types as Prisma reads them
SELECT ferriorm_plan($$
datasource db {
  provider = "postgresql"
  schemas  = ["pd"]
}
model Invite {
  id             String  @id
  lastModifiedBy String
  code           String? @db.VarChar(20)
  rank           Int?

  @@index([lastModifiedBy])
  @@schema("pd")
}
$$) AS same_base_types;

-- another base type or typmod is a type change (the domain goes)
SELECT ferriorm_plan($$
datasource db {
  provider = "postgresql"
  schemas  = ["pd"]
}
model Invite {
  id             String  @id
  lastModifiedBy String  @db.VarChar(40)
  code           String? @db.VarChar(30)
  rank           BigInt?

  @@index([lastModifiedBy])
  @@schema("pd")
}
$$) AS other_base_types;

-- a change elsewhere in the table leaves the domain columns as they are
SELECT ferriorm_push($$
datasource db {
  provider = "postgresql"
  schemas  = ["pd"]
}
model Invite {
  id             String  @id
  lastModifiedBy String
  code           String? @db.VarChar(20)
  rank           Int?
  note           String?

  @@index([lastModifiedBy])
  @@schema("pd")
}
$$);
SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'pd."Invite"'::regclass AND attnum > 0 ORDER BY attnum;
INSERT INTO pd."Invite" (id, "lastModifiedBy") VALUES ('a', 'nobody');

-- the ferriorm dialect reads the domain as a type of its own: the same
-- text retypes the columns
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_plan($$
datasource db {
  provider = "postgresql"
  schemas  = ["pd"]
}
model Invite {
  id             String  @id
  lastModifiedBy String  @map("lastModifiedBy")
  code           String? @db.VarChar(20)
  rank           Int?
  note           String?

  @@index([lastModifiedBy], map: "Invite_lastModifiedBy_idx")
  @@map("Invite")
  @@schema("pd")
}
$$) AS ferriorm_dialect;

-- a domain over an enum is the enum, and one over an array the list, as
-- Prisma Migrate reads them; another enum is a type change
SET ferriorm.dialect = prisma;
DROP TABLE pd."Invite";
CREATE TYPE pd."Mood" AS ENUM ('calm', 'busy');
CREATE TYPE pd."Other" AS ENUM ('calm', 'busy');
CREATE DOMAIN pd.mood_d AS pd."Mood";
CREATE DOMAIN pd.tags_d AS text[];
CREATE TABLE pd."Feel" (id integer PRIMARY KEY, mood pd.mood_d, tags pd.tags_d);
CREATE TEMP TABLE feel (s text);
INSERT INTO feel VALUES ($$
datasource db {
  provider = "postgresql"
  schemas  = ["pd"]
}
model Feel {
  id   Int      @id
  mood Mood?
  tags String[]

  @@schema("pd")
}
enum Mood {
  calm
  busy

  @@schema("pd")
}
enum Other {
  calm
  busy

  @@schema("pd")
}
$$);
SELECT ferriorm_plan(s) AS enum_and_list_domains FROM feel;
SELECT ferriorm_plan(replace(s, 'mood Mood?', 'mood Other?')) AS other_enum FROM feel;
DROP TABLE pd."Feel";

-- a domain over an array of an enum: pulled as the enum's list, as Prisma
-- pulls it (mood[] @default([ok]); it was Unsupported("mood[]")), and the
-- plan of the pull is empty
CREATE TYPE pd.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN pd.moods AS pd.mood[] CHECK (cardinality(VALUE) <= 3);
CREATE TABLE pd.person (id int PRIMARY KEY, ms pd.moods DEFAULT '{ok}', ms2 pd.moods);
SELECT line FROM regexp_split_to_table(ferriorm_pull(ARRAY['pd']), E'\n') AS line
 WHERE line ~ '^  ms|moods';
SELECT ferriorm_plan(ferriorm_pull(ARRAY['pd'])) = '' AS pull_plans_nothing;
DROP TABLE pd.person;
DROP DOMAIN pd.moods;
DROP TYPE pd.mood;
-- an Unsupported("<enum>") or Unsupported("<enum>[]") naming an enum of
-- the text is made of that enum; a plan after it is empty (every plan
-- changed the column to its own type again), in both dialects
CREATE SCHEMA pdu;
SET search_path = pdu, pd, public;
CREATE TEMP TABLE unsup AS SELECT $$datasource db {
  provider = "postgresql"
  url      = env("U")
  schemas  = ["pdu"]
}
model person {
  id Int                    @id
  ms Unsupported("pdu.mood[]")? @default(dbgenerated("'{ok}'::pdu.mood[]"))
  m  Unsupported("mood")?

  @@schema("pdu")
}
enum mood {
  sad
  ok
  happy

  @@schema("pdu")
}
$$::text AS s;
SELECT ferriorm_push(s) IS NOT NULL AS pushed FROM unsup;
SELECT ferriorm_plan(s) AS unsupported_enum_prisma FROM unsup;
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_plan(replace(s, 'model person {', E'model person {\n  @@map("person")')) AS unsupported_enum_ferriorm FROM unsup;
SET ferriorm.dialect = prisma;
SET client_min_messages = warning;
DROP SCHEMA pdu CASCADE;
RESET client_min_messages;
SET search_path = pd, public;

RESET ferriorm.dialect;
RESET search_path;
DROP SCHEMA pd CASCADE;
