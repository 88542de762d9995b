--
-- orm_compat: the ferriorm dialect against the ferriorm ORM
-- (github.com/romanschejbal/ferriorm, v0.2.1, commit 6cd2983).  The ORM's
-- own example schema (examples/basic/schema.ferriorm, verbatim) gives the
-- tables, columns, types and defaults its client reads; enum labels are
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
  output = "./src/generated"
}

enum Role {
  User
  Admin
  Moderator
}

enum PostStatus {
  Draft
  Published
  Archived
}

model User {
  id        String   @id @default(uuid())
  email     String   @unique
  name      String?
  role      Role     @default(User)
  posts     Post[]
  profile   Profile?
  createdAt DateTime @default(now())
  updatedAt DateTime @updatedAt

  @@index([email])
  @@map("users")
}

model Profile {
  id             String    @id @default(uuid())
  bio            String?
  avatar         String?
  disconnectedAt DateTime?
  user           User      @relation(fields: [userId], references: [id])
  userId         String    @unique

  @@map("profiles")
}

model Post {
  id          String     @id @default(uuid())
  title       String
  content     String?
  published   Boolean    @default(false)
  status      PostStatus @default(Draft)
  viewCount   Int        @default(0) @db.BigInt
  author      User       @relation(fields: [authorId], references: [id])
  authorId    String
  createdAt   DateTime   @default(now())
  updatedAt   DateTime   @updatedAt

  @@index([authorId])
  @@unique([authorId, title])
  @@map("posts")
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
-- a database made by the ORM's CLI (crates/ferriorm-migrate/src/sql/postgres.rs)
CREATE SCHEMA orm_cli;
SET search_path = orm_cli, public;
CREATE TYPE "role" AS ENUM ('user', 'admin', 'moderator');
CREATE TYPE "post_status" AS ENUM ('draft', 'published', 'archived');
CREATE TABLE "users" (
    "id" TEXT NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL UNIQUE,
    "name" TEXT,
    "role" role NOT NULL DEFAULT 'user',
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    "updated_at" TIMESTAMPTZ NOT NULL,
    PRIMARY KEY ("id")
);
CREATE TABLE "profiles" (
    "id" TEXT NOT NULL DEFAULT gen_random_uuid(),
    "bio" TEXT,
    "avatar" TEXT,
    "disconnected_at" TIMESTAMPTZ,
    "user_id" TEXT NOT NULL UNIQUE,
    PRIMARY KEY ("id")
);
CREATE TABLE "posts" (
    "id" TEXT NOT NULL DEFAULT gen_random_uuid(),
    "title" TEXT NOT NULL,
    "content" TEXT,
    "published" BOOLEAN NOT NULL DEFAULT FALSE,
    "status" post_status NOT NULL DEFAULT 'draft',
    "view_count" BIGINT NOT NULL DEFAULT 0,
    "author_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    "updated_at" TIMESTAMPTZ NOT NULL,
    PRIMARY KEY ("id")
);
ALTER TABLE "posts" ADD CONSTRAINT "fk_posts_users_author_id" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "profiles" ADD CONSTRAINT "fk_profiles_users_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "idx_users_email" ON "users" ("email");
CREATE INDEX "idx_posts_author_id" ON "posts" ("author_id");
ALTER TABLE "posts" ADD CONSTRAINT "uq_posts_author_id_title" UNIQUE ("author_id", "title");
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
