-- The schema language, end to end: the full example schema of the docs
-- (users, profiles, posts, categories; enums, one-to-one, one-to-many and
-- implicit many-to-many relations, @@index, @@unique, @@check, @@map) is
-- valid, its DDL executes, and the catalog has exactly the tables, columns,
-- types, defaults, constraint and index names that the docs promise.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
-- catalog views used below: what PostgreSQL actually created
CREATE SCHEMA lang_example_cat;
CREATE FUNCTION lang_example_cat.columns(nsp name)
RETURNS TABLE ("table" name, "column" name, type text, notnull boolean, "default" text, ident "char")
LANGUAGE sql STABLE AS $f$
  SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
         a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  WHERE n.nspname = nsp AND c.relkind = 'r'
  ORDER BY c.relname, a.attnum
$f$;
CREATE FUNCTION lang_example_cat.constraints(nsp name)
RETURNS TABLE ("table" name, name name, type "char", definition text)
LANGUAGE sql STABLE AS $f$
  SELECT c.relname, k.conname, k.contype, pg_catalog.pg_get_constraintdef(k.oid)
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = nsp
  ORDER BY c.relname, k.conname
$f$;
CREATE FUNCTION lang_example_cat.indexes(nsp name)
RETURNS TABLE ("table" name, index name, definition text)
LANGUAGE sql STABLE AS $f$
  SELECT c.relname, i.relname, pg_catalog.pg_get_indexdef(i.oid)
  FROM pg_catalog.pg_index x
  JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = nsp
  ORDER BY c.relname, i.relname
$f$;
CREATE FUNCTION lang_example_cat.enums(nsp name)
RETURNS TABLE (type name, labels name[])
LANGUAGE sql STABLE AS $f$
  SELECT t.typname, array_agg(e.enumlabel::name ORDER BY e.enumsortorder)
  FROM pg_catalog.pg_enum e
  JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = nsp
  GROUP BY t.typname
  ORDER BY t.typname
$f$;
CREATE FUNCTION lang_example_cat.comments(nsp name)
RETURNS TABLE (object text, comment text)
LANGUAGE sql STABLE AS $f$
  SELECT pg_catalog.pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description
  FROM pg_catalog.pg_description d
  WHERE (d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid IN
           (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
              ON n.oid = c.relnamespace WHERE n.nspname = nsp))
     OR (d.classoid = 'pg_catalog.pg_type'::regclass AND d.objoid IN
           (SELECT t.oid FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n
              ON n.oid = t.typnamespace WHERE n.nspname = nsp))
  ORDER BY 1
$f$;
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
SELECT * FROM lang_example_cat.enums('lang_example');
SELECT * FROM lang_example_cat.columns('lang_example');
SELECT * FROM lang_example_cat.constraints('lang_example');
SELECT * FROM lang_example_cat.indexes('lang_example');
SELECT * FROM lang_example_cat.comments('lang_example');
-- the generated DDL is deterministic
SELECT ferriorm_diff(NULL, schema) = ferriorm_diff(NULL, schema) AS deterministic FROM src;
SET client_min_messages = warning;
DROP SCHEMA lang_example CASCADE;
DROP SCHEMA lang_example_cat CASCADE;
