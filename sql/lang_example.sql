-- The schema language, end to end: the full example schema of the docs
-- (users, profiles, posts, categories; enums, one-to-one, one-to-many and
-- implicit many-to-many relations, @@index, @@unique, @@check, @@map) is
-- valid, its DDL executes, and the catalog has exactly the tables, columns,
-- types, defaults, constraint and index names that the docs promise.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
-- catalog listing functions (lang_cat.columns, constraints, indexes,
-- enums, comments): what PostgreSQL actually created
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/lang_catalog.psql
CREATE TEMP TABLE src AS SELECT $fm$datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["lang_example"]
}

generator client {
  provider = "ferriorm-client"
  output   = "./generated"
}

/// What a user may do.
enum Role {
  Member
  Admin
  ChiefEditor @map("editor")
}

enum PostStatus {
  Draft
  Published
  Archived

  @@map("post_state")
}

/// A registered user.
model User {
  id        Int      @id @default(autoincrement())
  /// Login and contact address.
  email     String   @unique @db.VarChar(255)
  name      String?
  role      Role     @default(Member)
  createdAt DateTime @default(now())
  updatedAt DateTime @updatedAt
  profile   Profile?
  posts     Post[]

  @@index([createdAt(sort: Desc)])
}

model Profile {
  id        Int     @id @default(autoincrement())
  bio       String  @default("")
  avatarUrl String? @map("avatar")
  user      User    @relation(fields: [userId], references: [id], onDelete: Cascade)
  userId    Int     @unique

  @@map("user_profiles")
}

model Post {
  id         String     @id @default(uuid()) @db.Uuid
  title      String     @db.VarChar(200)
  slug       String
  content    String?
  status     PostStatus @default(Draft)
  published  Boolean    @default(false)
  views      Int        @default(0)
  rating     Float?
  price      Decimal    @default(0) @db.Decimal(10, 2)
  author     User       @relation(fields: [authorId], references: [id])
  authorId   Int
  categories Category[]
  createdAt  DateTime   @default(now()) @db.Timestamptz(3)

  @@unique([authorId, slug])
  @@index([published, createdAt], where: "published")
  @@index([title], type: Hash)
  @@check("views >= 0", map: "post_views_nonnegative")
  @@map("blog_posts")
}

model Category {
  id    Int    @id @default(autoincrement())
  name  String @unique
  posts Post[]
}
$fm$::text AS schema;
-- valid: no diagnostics at all
SELECT * FROM ferriorm_validate((SELECT schema FROM src));
-- the DDL that creates it from nothing executes without error
DO $$ BEGIN EXECUTE ferriorm_diff(NULL, (SELECT schema FROM src)); END $$;
SELECT * FROM lang_cat.enums('lang_example');
SELECT * FROM lang_cat.columns('lang_example');
SELECT * FROM lang_cat.constraints('lang_example');
SELECT * FROM lang_cat.indexes('lang_example');
SELECT * FROM lang_cat.comments('lang_example');
-- the generated DDL is deterministic
SELECT ferriorm_diff(NULL, schema) = ferriorm_diff(NULL, schema) AS deterministic FROM src;
SET client_min_messages = warning;
DROP SCHEMA lang_example CASCADE;
DROP SCHEMA lang_cat CASCADE;
