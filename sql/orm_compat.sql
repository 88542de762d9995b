--
-- orm_compat: the ferriorm dialect against the ferriorm ORM
-- (github.com/romanschejbal/ferriorm, v0.2.1, commit 6cd2983).  A schema of
-- our own with the constructs of the ORM's example schema (uuid() ids, enum
-- defaults, @updatedAt, a one-to-one and a one-to-many relation, @@index,
-- @@unique, @@map, @db.BigInt on an Int) gives the tables, columns, types
-- and defaults its client reads; enum labels are
-- what its generated client sends (sqlx rename_all = "snake_case");
-- "@db.BigInt" widens an Int as in the ORM.  Then a database made by the
-- ORM's CLI (the DDL its PostgreSQL renderer writes for that schema) is
-- planned against the same text: what is left are the documented
-- differences (docs/language.md, "The ferriorm ORM").
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
SET ferriorm.dialect = ferriorm;
CREATE TEMP TABLE orm_s (id text PRIMARY KEY, txt text);
INSERT INTO orm_s VALUES ('basic', $schema$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

generator client {
  output = "./src/orm"
}

enum Tier {
  Free
  Pro
  Team
}

enum Shelf {
  Wishlist
  Reading
  Finished
}

model Reader {
  id        String   @id @default(uuid())
  handle    String   @unique
  fullName  String?
  tier      Tier     @default(Free)
  loans     Loan[]
  card      Card?
  joinedAt  DateTime @default(now())
  touchedAt DateTime @updatedAt

  @@index([handle])
  @@map("readers")
}

model Card {
  id        String    @id @default(uuid())
  barcode   String?
  expiresAt DateTime?
  reader    Reader    @relation(fields: [readerId], references: [id])
  readerId  String    @unique

  @@map("cards")
}

model Loan {
  id         String   @id @default(uuid())
  isbn       String
  remark     String?
  returned   Boolean  @default(false)
  shelf      Shelf    @default(Wishlist)
  pageCount  Int      @default(0) @db.BigInt
  reader     Reader   @relation(fields: [readerId], references: [id])
  readerId   String
  borrowedAt DateTime @default(now())
  touchedAt  DateTime @updatedAt

  @@index([readerId])
  @@unique([readerId, isbn])
  @@map("loans")
}
$schema$);
SELECT ferriorm_diff(NULL, txt) FROM orm_s WHERE id = 'basic';
-- enum labels as the ORM's client writes them: heck's snake_case, so
-- ALL_CAPS and acronyms are one word each ("ADMIN" -> 'admin')
SELECT ferriorm_diff(NULL, $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
enum AccessLevel {
  ADMIN
  READ_ONLY
  SuperUser
  HTTPClient
  Level2Admin
}
model ApiKey {
  id    Int         @id @default(autoincrement())
  level AccessLevel @default(READ_ONLY)
  big   Int         @db.BigInt
}
$$);
-- two values that the client's rule makes one label: @map tells them apart
SELECT severity, line, message FROM ferriorm_validate($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
enum Flag {
  On
  ON
}
$$);
-- the prisma dialect keeps Prisma's rule: @db.BigInt needs a BigInt field
SET ferriorm.dialect = prisma;
SELECT severity, line, message FROM ferriorm_validate($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
generator client {
  provider = "prisma-client-js"
}
model A {
  id Int @id @db.BigInt
}
$$);
SET ferriorm.dialect = ferriorm;
-- a database made by the ORM's CLI: the DDL its PostgreSQL renderer
-- (crates/ferriorm-migrate/src/sql/postgres.rs) writes for that schema
CREATE SCHEMA orm_cli;
SET search_path = orm_cli, public;
CREATE TYPE "tier" AS ENUM ('free', 'pro', 'team');
CREATE TYPE "shelf" AS ENUM ('wishlist', 'reading', 'finished');
CREATE TABLE "readers" (
    "id" TEXT NOT NULL DEFAULT gen_random_uuid(),
    "handle" TEXT NOT NULL UNIQUE,
    "full_name" TEXT,
    "tier" tier NOT NULL DEFAULT 'free',
    "joined_at" TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    "touched_at" TIMESTAMPTZ NOT NULL,
    PRIMARY KEY ("id")
);
CREATE TABLE "cards" (
    "id" TEXT NOT NULL DEFAULT gen_random_uuid(),
    "barcode" TEXT,
    "expires_at" TIMESTAMPTZ,
    "reader_id" TEXT NOT NULL UNIQUE,
    PRIMARY KEY ("id")
);
CREATE TABLE "loans" (
    "id" TEXT NOT NULL DEFAULT gen_random_uuid(),
    "isbn" TEXT NOT NULL,
    "remark" TEXT,
    "returned" BOOLEAN NOT NULL DEFAULT FALSE,
    "shelf" shelf NOT NULL DEFAULT 'wishlist',
    "page_count" BIGINT NOT NULL DEFAULT 0,
    "reader_id" TEXT NOT NULL,
    "borrowed_at" TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    "touched_at" TIMESTAMPTZ NOT NULL,
    PRIMARY KEY ("id")
);
ALTER TABLE "loans" ADD CONSTRAINT "fk_loans_readers_reader_id" FOREIGN KEY ("reader_id") REFERENCES "readers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "cards" ADD CONSTRAINT "fk_cards_readers_reader_id" FOREIGN KEY ("reader_id") REFERENCES "readers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "idx_readers_handle" ON "readers" ("handle");
CREATE INDEX "idx_loans_reader_id" ON "loans" ("reader_id");
ALTER TABLE "loans" ADD CONSTRAINT "uq_loans_reader_id_isbn" UNIQUE ("reader_id", "isbn");
-- same tables, columns, enum types and labels, keys and actions; what a
-- plan changes is the documented differences only: timestamp precision
-- (3), and the names of @@index, @@unique and foreign keys
SET client_min_messages = error;
SELECT step, action, object, ddl, hazard FROM ferriorm_plan_steps((SELECT txt FROM orm_s WHERE id = 'basic')) ORDER BY step;
RESET client_min_messages;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA orm_cli CASCADE;
RESET client_min_messages;
