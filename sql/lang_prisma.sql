--
-- lang_prisma: the two dialects (ferriorm.dialect = auto | ferriorm |
-- prisma) and the constructs of real Prisma schemas: the same schema text
-- read as Prisma Migrate reads it and as the ferriorm ORM reads it, a
-- database built by Prisma's own DDL planning to nothing, and the
-- diagnostics of the new constructs.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

-- the setting exists once the library is loaded
LOAD 'ferriorm';
SHOW ferriorm.dialect;
SET ferriorm.dialect = 'mysql';

CREATE SCHEMA prs;
CREATE TABLE prs.s (id text PRIMARY KEY, txt text);
INSERT INTO prs.s VALUES ('app', $$datasource db {
  provider = "postgresql"
  schemas  = ["prisma_app"]
}

generator client {
  provider = "prisma-client-js"
}

enum Role {
  USER
  ADMIN
  @@schema("prisma_app")
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  firstName String
  lastName  String
  role      Role     @default(USER)
  tags      String[] @default([])
  scores    Int[]    @default([1, 2])
  createdAt DateTime @default(now())
  updatedAt DateTime @default(now()) @updatedAt
  balance   Decimal  @default("2.00")
  posts     Post[]
  @@unique([firstName, lastName])
  @@schema("prisma_app")
}

model Post {
  id         String     @id @default(uuid())
  title      String     @db.VarChar(200)
  author     User?      @relation(fields: [authorId], references: [id])
  authorId   Int
  editor     User?      @relation("edits", fields: [editorId], references: [id])
  editorId   Int?
  categories Category[]
  @@index(authorId)
  @@schema("prisma_app")
}

model Category {
  id    BigInt @id @default(autoincrement())
  name  String
  posts Post[]
  @@schema("prisma_app")
}
$$);
-- the editor relation needs its back side
UPDATE prs.s SET txt = replace(txt, E'  posts     Post[]\n', E'  posts     Post[]\n  edited    Post[]   @relation("edits")\n') WHERE id = 'app';

-- auto: the generator's provider starts with "prisma", so Prisma's names,
-- types, SERIAL, unique indexes, join table _CategoryToPost
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'app'));
SELECT ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'app'));

-- the same text in the ferriorm dialect: the ORM's names and types
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'app'));

-- prisma chosen explicitly for a schema without a generator
SET ferriorm.dialect = prisma;
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
model HTMLParser {
  id       Int @id @default(autoincrement())
  pageSize Int
}
$$);
-- and auto without a prisma generator is ferriorm
SET ferriorm.dialect = auto;
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
generator client {
  provider = "ferriorm-client"
}
model HTMLParser {
  id       Int @id @default(autoincrement())
  pageSize Int
}
$$);
-- auto on the other generators of real schema.prisma files: a provider
-- that names Prisma anywhere, or a command, is Prisma's; the ferriorm ORM's
-- generator (output only, no provider) and no generator are ferriorm; a
-- ferriorm-only attribute makes ferriorm of all but a "prisma..." provider
CREATE TEMP TABLE auto_gen (gen text);
INSERT INTO auto_gen VALUES
  ('generator g {' || chr(10) || '  provider = "typegraphql-prisma"' || chr(10) || '}'),
  ('generator g {' || chr(10) || '  provider = "zod-prisma-types"' || chr(10) || '}'),
  ('generator g {' || chr(10) || '  provider = "node ./dist/index.cjs"' || chr(10) || '}'),
  ('generator g {' || chr(10) || '  provider = "x"' || chr(10) || '  previewFeatures = ["views"]' || chr(10) || '}'),
  ('generator client {' || chr(10) || '  output = "./src/generated"' || chr(10) || '}'),
  (''),
  ('generator g {' || chr(10) || '  provider = "typegraphql-prisma"' || chr(10) || '}' || chr(10) ||
   'model Log {' || chr(10) || '  id Int @id' || chr(10) || '  @@unlogged' || chr(10) || '}');
SELECT replace(gen, chr(10), ' ') AS generator,
       (SELECT string_agg(l, ' ') FROM regexp_split_to_table(ferriorm_diff(NULL,
          'datasource db {' || chr(10) || '  provider = "postgresql"' || chr(10) || '}' || chr(10) ||
          gen || chr(10) || 'model HTMLParser {' || chr(10) || '  id Int @id' || chr(10) || '}' || chr(10)), E'\n') AS l
         WHERE l LIKE 'CREATE TABLE%') AS tables
  FROM auto_gen;
DROP TABLE auto_gen;

-- the database Prisma Migrate creates for the schema (its migration.sql)
-- plans to nothing, and so does the one ferriorm pushes
CREATE SCHEMA prisma_app;
SET search_path = prisma_app;
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "scores" INTEGER[] DEFAULT ARRAY[1, 2]::INTEGER[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "balance" DECIMAL(65,30) NOT NULL DEFAULT 2.00,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Post" (
    "id" TEXT NOT NULL,
    "title" VARCHAR(200) NOT NULL,
    "authorId" INTEGER NOT NULL,
    "editorId" INTEGER,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Category" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "Category_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "_CategoryToPost" (
    "A" BIGINT NOT NULL,
    "B" TEXT NOT NULL,
    CONSTRAINT "_CategoryToPost_AB_pkey" PRIMARY KEY ("A","B")
);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "User_firstName_lastName_key" ON "User"("firstName", "lastName");
CREATE INDEX "Post_authorId_idx" ON "Post"("authorId");
CREATE INDEX "_CategoryToPost_B_index" ON "_CategoryToPost"("B");
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "Post" ADD CONSTRAINT "Post_editorId_fkey" FOREIGN KEY ("editorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "_CategoryToPost" ADD CONSTRAINT "_CategoryToPost_A_fkey" FOREIGN KEY ("A") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_CategoryToPost" ADD CONSTRAINT "_CategoryToPost_B_fkey" FOREIGN KEY ("B") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;
RESET search_path;
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'app'));
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'app'), verify => true);
SET client_min_messages = warning;
DROP SCHEMA prisma_app CASCADE;
RESET client_min_messages;
CREATE SCHEMA prisma_app;
SELECT count(*) > 0 AS pushed FROM ferriorm_push((SELECT txt FROM prs.s WHERE id = 'app'));
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'app'));
SET client_min_messages = warning;
DROP SCHEMA prisma_app CASCADE;
RESET client_min_messages;

-- lists of enums: an array of the enum type, its default, and the
-- enum's recreation (with its hazard counting array elements)
CREATE SCHEMA prisma_en;
INSERT INTO prs.s VALUES ('en', $$datasource db {
  provider = "postgresql"
  schemas  = ["prisma_en"]
}
generator client {
  provider = "prisma-client-js"
}
enum Role {
  USER
  ADMIN
  @@schema("prisma_en")
}
model Member {
  id    Int    @id
  roles Role[] @default([USER])
  other Role[] @default([])
  tags  String[] @db.VarChar(20)
  @@schema("prisma_en")
}
$$);
SELECT count(*) > 0 AS pushed FROM ferriorm_push((SELECT txt FROM prs.s WHERE id = 'en'));
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'en'));
INSERT INTO prisma_en."Member" VALUES (1, '{ADMIN,USER}', '{}', '{a}'), (2, DEFAULT, DEFAULT, NULL);
SELECT * FROM prisma_en."Member" ORDER BY id;
SELECT ferriorm_plan(replace((SELECT txt FROM prs.s WHERE id = 'en'), E'  ADMIN\n', ''));
UPDATE prisma_en."Member" SET roles = '{USER}';
SELECT count(*) > 0 AS pushed FROM ferriorm_push(replace((SELECT txt FROM prs.s WHERE id = 'en'), E'  ADMIN\n', ''));
SELECT ferriorm_plan(replace((SELECT txt FROM prs.s WHERE id = 'en'), E'  ADMIN\n', ''));
SET client_min_messages = warning;
DROP SCHEMA prisma_en CASCADE;
RESET client_min_messages;

-- operator classes by Prisma's names: a database built by Prisma's DDL
-- plans to nothing (jsonb_ops and array_ops are the defaults, which the
-- catalog does not record), and so does the one ferriorm pushes
CREATE SCHEMA prisma_ops;
INSERT INTO prs.s VALUES ('ops', $$datasource db {
  provider = "postgresql"
  schemas  = ["prisma_ops"]
}
generator client {
  provider = "prisma-client-js"
}
model Doc {
  id    Int      @id
  data  Json
  meta  Json
  tags  String[]
  title String
  ip    String   @db.Inet
  at    DateTime
  @@index([data(ops: JsonbPathOps)], type: Gin)
  @@index([meta(ops: JsonbOps)], type: Gin)
  @@index([tags(ops: ArrayOps)], type: Gin)
  @@index([title(ops: raw("text_pattern_ops"))])
  @@index([ip(ops: InetOps)], type: Gist)
  @@index([at(ops: TimestampMinMaxOps)], type: Brin)
  @@schema("prisma_ops")
}
$$);
CREATE TABLE prisma_ops."Doc" ("id" INTEGER NOT NULL, "data" JSONB NOT NULL, "meta" JSONB NOT NULL, "tags" TEXT[], "title" TEXT NOT NULL, "ip" INET NOT NULL, "at" TIMESTAMP(3) NOT NULL, CONSTRAINT "Doc_pkey" PRIMARY KEY ("id"));
CREATE INDEX "Doc_data_idx" ON prisma_ops."Doc" USING GIN ("data" jsonb_path_ops);
CREATE INDEX "Doc_meta_idx" ON prisma_ops."Doc" USING GIN ("meta" jsonb_ops);
CREATE INDEX "Doc_tags_idx" ON prisma_ops."Doc" USING GIN ("tags" array_ops);
CREATE INDEX "Doc_title_idx" ON prisma_ops."Doc"("title" text_pattern_ops);
CREATE INDEX "Doc_ip_idx" ON prisma_ops."Doc" USING GIST ("ip" inet_ops);
CREATE INDEX "Doc_at_idx" ON prisma_ops."Doc" USING BRIN ("at" timestamp_minmax_ops);
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'ops'));
SET client_min_messages = warning;
DROP SCHEMA prisma_ops CASCADE;
RESET client_min_messages;
SELECT ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'ops'));
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model Doc {
  id    Int    @id
  data  Json
  title String
  @@index([data(ops: JsonbPathOp)], type: Gin)
  @@index([title(ops: TrigramOps)], type: Gin)
  @@index([title(ops: JsonbPathOps)])
  @@index([data(ops: InetOps)], type: Brin)
}
$$);

-- relationMode = "prisma": no foreign keys (also in join tables), and
-- Prisma's warning about relation fields without an index
SELECT * FROM ferriorm_validate($$datasource db {
  provider     = "postgresql"
  relationMode = "prisma"
}
generator client {
  provider = "prisma-client"
}
model A {
  id Int @id
  bs B[]
  cs C[]
}
model B {
  id  Int @id
  a   A   @relation(fields: [aId], references: [id])
  aId Int
}
model C {
  id Int @id
  as A[]
}
$$);
SELECT ferriorm_diff(NULL, $$datasource db {
  provider     = "postgresql"
  relationMode = "prisma"
}
generator client {
  provider = "prisma-client"
}
model A {
  id Int @id
  bs B[]
  cs C[]
}
model B {
  id  Int @id
  a   A   @relation(fields: [aId], references: [id])
  aId Int
  @@index([aId])
}
model C {
  id Int @id
  as A[]
}
$$);

-- the native types of a relation's fields count only where a foreign key
-- is made: under relationMode = "prisma" a text field may reference a uuid
-- id (sealos), as Prisma lets it; with foreign keys PostgreSQL refuses
-- that key, and ferriorm says so
SET ferriorm.dialect = prisma;
CREATE TEMP TABLE rm_types(mode text, s text);
INSERT INTO rm_types SELECT m, format($$datasource db {
  provider     = "postgresql"
  relationMode = "%s"
}
model Region {
  uid     String   @id @default(uuid()) @db.Uuid
  details Detail[]
}
model Detail {
  uid       String @id @default(uuid()) @db.Uuid
  regionUid String
  region    Region @relation(fields: [regionUid], references: [uid])
  @@index([regionUid])
}
$$, m) FROM unnest(ARRAY['prisma', 'foreignKeys']) AS m;
SELECT mode, v.* FROM rm_types, ferriorm_validate(s) AS v;
SELECT ferriorm_diff(NULL, s) FROM rm_types WHERE mode = 'prisma';
DROP TABLE rm_types;
SET ferriorm.dialect = auto;

-- dbgenerated() on a list field gives the SQL of the whole list, as Prisma
-- takes it (and its own pull prints it for a default no list states)
SET ferriorm.dialect = prisma;
SELECT $$datasource db {
  provider = "postgresql"
}
model Grid {
  id    Int    @id
  cells Int[]  @default(dbgenerated("'{{1,2},{3,4}}'::integer[]"))
  roles Role[] @default(dbgenerated("'{a}'::\"Role\"[]"))
}
enum Role {
  a
  b
}
$$ AS s_grid \gset
SELECT ferriorm_diff(NULL, :'s_grid');
-- any other function is no list
SELECT * FROM ferriorm_validate(replace(:'s_grid', 'dbgenerated("''{{1,2},{3,4}}''::integer[]")', 'now()'));
SET ferriorm.dialect = auto;

-- a schema in several files (prisma/schema/*.prisma) is their
-- concatenation, in any order: the models' file before the datasource's
-- means the same as the other way round
SELECT $$model Post {
  id       Int  @id @default(autoincrement())
  author   User @relation(fields: [authorId], references: [id])
  authorId Int
}
$$ AS f_post, $$model User {
  id    Int    @id @default(autoincrement())
  posts Post[]
}
$$ AS f_user, $$generator client {
  provider = "prisma-client-js"
}
datasource db {
  provider = "postgresql"
}
$$ AS f_main \gset
SELECT ferriorm_diff(NULL, :'f_post' || E'\n' || :'f_user' || E'\n' || :'f_main') =
       ferriorm_diff(NULL, :'f_main' || E'\n' || :'f_user' || E'\n' || :'f_post') AS same,
       ferriorm_diff(NULL, :'f_post' || E'\n' || :'f_user' || E'\n' || :'f_main') LIKE '%CREATE TABLE "Post"%' AS creates;

-- a plain @@index on the columns of a @unique is redundant; in the prisma
-- dialect the @unique is a unique index, and the warning says so
SET ferriorm.dialect = prisma;
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model Tag {
  id   Int    @id
  name String @unique
  @@index([name])
}
$$);
-- so is a plain @@index on the columns of an earlier plain @@index (Prisma
-- says nothing and creates both); one that differs in order, sort, type
-- or columns is not (nor a partial one: test_validate.c)
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model Post {
  id     Int    @id
  title  String
  author Int
  @@index([title, author])
  @@index([author, title])
  @@index([title(sort: Desc), author], map: "Post_title_desc_idx")
  @@index([title], type: Hash)
  @@index([title], map: "Post_title_plain")
  @@index([title, author], map: "Post_title_author_again")
  @@index([title], map: "Post_title_third")
}
$$);
SET ferriorm.dialect = auto;

-- @db.Cidr is ferriorm's own native type: the prisma dialect refuses it as
-- Prisma does (Unsupported("cidr") instead); the ferriorm dialect takes it
SELECT $$datasource db {
  provider = "postgresql"
}
model Network {
  id    Int    @id
  range String @db.Cidr
  other Unsupported("cidr")
}
$$ AS s_cidr \gset
SET ferriorm.dialect = prisma;
SELECT * FROM ferriorm_validate(:'s_cidr');
SET ferriorm.dialect = ferriorm;
SELECT * FROM ferriorm_validate(:'s_cidr');
SET ferriorm.dialect = auto;

-- diagnostics of the new constructs
SELECT * FROM ferriorm_validate($$datasource db {
  provider     = "postgresql"
  relationMode = "prism"
}
model M {
  id    String   @id @default(nanoid(1))
  a     String   @default(cuid(3))
  b     String   @default(uuid(5))
  c     String[] @default("x")
  d     Int[]    @default([1, "two"])
  e     DateTime @default("2020-01-01") @updatedAt
  f     Decimal  @default("two")
  g     Int[]    @default([now()])
  @@index(nope)
  @@index([a], name: "x", map: "y")
}
$$);
-- accepted: Prisma 7's datasource without url, generator arguments,
-- dbgenerated() without argument, legacy @@index(name:), @@id(x)
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model M {
  id    String @default(cuid(2))
  u     String @default(uuid(7))
  n     String @default(nanoid(16))
  l     String @default(ulid())
  g     Int    @default(dbgenerated())
  @@id(id)
  @@index([u], name: "m_u_legacy")
}
$$);
-- block comments (Prisma 6.2 and later): kept by the formatter, white
-- space between the tokens of a line; an unterminated one is an error
SELECT ferriorm_format($$/*
 * header
 */
datasource db {
  provider = "postgresql"
}
/** the user */
model User {
  id   Int @id /* key */
  name String /* inline */ @unique
}
$$);
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model User {
  id Int @id
}
/* never closed
$$);
-- after a block comment, more comments on its line: one trailing comment
-- (a "//" or "///" after it is no syntax error), printed as written
SELECT ferriorm_format($$datasource db {
  provider = "postgresql"
}
model User { /* a */ // open
  id   Int @id /* key */ // a // b
  name String /* c */ /// the name
} /* e */ // end
$$);
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model User {
  id   Int @id /* key */ // a // b
  name String /* c */ /// the name
}
$$);
-- doc comments are not COMMENT ON in the prisma dialect (Prisma writes none)
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
generator client {
  provider = "prisma-client-js"
}
/// the user
model User {
  /// the key
  id Int @id
}
$$);
-- views: validated like models, never created nor dropped; relations to
-- them have no foreign key
CREATE SCHEMA prisma_view;
CREATE TABLE prisma_view."User" (id integer NOT NULL, email text NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY (id));
CREATE VIEW prisma_view."UserInfo" AS SELECT id, email FROM prisma_view."User";
SELECT ferriorm_plan($$datasource db {
  provider = "postgresql"
  schemas  = ["prisma_view"]
}
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}
model User {
  id    Int       @id
  email String
  info  UserInfo?
  @@schema("prisma_view")
}
view UserInfo {
  id    Int    @unique
  email String
  user  User   @relation(fields: [id], references: [id])
  @@schema("prisma_view")
}
$$);
SET client_min_messages = warning;
DROP SCHEMA prisma_view CASCADE;
RESET client_min_messages;
-- @@ignore / @ignore: client side, the table and column stay (an ignored
-- model needs no key)
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
generator client {
  provider = "prisma-client-js"
}
model Legacy {
  code  String
  notes String
  @@ignore
}
model Note {
  id   Int    @id
  body String @ignore
}
$$);
-- a foreign key name used by two models: PostgreSQL and Prisma scope it to
-- its table
SELECT count(*) AS fk_c_twice FROM regexp_matches(ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
generator client {
  provider = "prisma-client-js"
}
model A {
  id  Int @id
  cId Int
  c   C   @relation(fields: [cId], references: [id], map: "fk_c")
}
model B {
  id  Int @id
  cId Int
  c   C   @relation(fields: [cId], references: [id], map: "fk_c")
}
model C {
  id Int @id
  a  A[]
  b  B[]
}
$$), 'ALTER TABLE "[AB]" ADD CONSTRAINT fk_c', 'g');
-- as in Prisma: no @ignore on a field of an ignored model, no @@ignore twice
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
generator client {
  provider = "prisma-client-js"
}
model Legacy {
  code  String
  notes String @ignore
  @@ignore
  @@ignore
}
$$);
-- constructs of Prisma's other connectors: refused, naming the connector
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
type Address {
  street String
}
model A {
  id    Int    @id(clustered: true) @default(sequence())
  b     String @default(auto())
  c     String
  @@fulltext([c])
  @@index([c(length: 10)])
}
view V {
  id Int @unique
  as A[]
}
$$);
-- extensions = [...]: created (after the schemas), never dropped; an
-- installed one plans to nothing
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS citext;
DROP SCHEMA IF EXISTS prisma_ext CASCADE;
RESET client_min_messages;
SELECT ferriorm_plan($$datasource db {
  provider   = "postgresql"
  schemas    = ["prisma_ext"]
  extensions = [citext(schema: "prisma_ext"), hstoreExt(map: "hstore", version: "1.8")]
}
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["postgresqlExtensions"]
}
model Tag {
  id   Int    @id
  name String @db.Citext
  @@schema("prisma_ext")
}
$$);
INSERT INTO prs.s VALUES ('ext', $$datasource db {
  provider   = "postgresql"
  schemas    = ["prisma_ext"]
  extensions = [citext]
}
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["postgresqlExtensions"]
}
model Tag {
  id   Int    @id
  name String @db.Citext
  @@schema("prisma_ext")
}
$$);
SELECT count(*) > 0 AS pushed FROM ferriorm_push((SELECT txt FROM prs.s WHERE id = 'ext'));
SELECT extname, extnamespace::regnamespace FROM pg_extension WHERE extname = 'citext';
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'ext'));
SET client_min_messages = warning;
DROP SCHEMA prisma_ext CASCADE;
DROP EXTENSION citext;
RESET client_min_messages;
-- an extension's own schema that no model uses is created with it (CREATE
-- EXTENSION ... WITH SCHEMA fails on a missing schema, as Prisma Migrate's
-- script does); once both exist the plan is empty
SELECT set_config('fm.ext', $$datasource db {
  provider   = "postgresql"
  schemas    = ["prisma_kv"]
  extensions = [hstoreExt(map: "hstore", schema: "prisma_ext_only")]
}
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["postgresqlExtensions"]
}
model Kv {
  id Int @id
  @@schema("prisma_kv")
}
$$, false) IS NOT NULL AS set;
SELECT ferriorm_plan(current_setting('fm.ext'));
SELECT count(*) > 0 AS pushed FROM ferriorm_push(current_setting('fm.ext'));
SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'hstore';
SELECT ferriorm_plan(current_setting('fm.ext'));
SET client_min_messages = warning;
DROP SCHEMA prisma_kv, prisma_ext_only CASCADE;
RESET client_min_messages;
-- push creates an extension that names no schema as the caller's script
-- would, on the caller's search_path: in its current schema, or where the
-- extension's control file puts it (adminpack: pg_catalog, which refused
-- WITH SCHEMA public)
SELECT count(*) > 0 AS pushed FROM ferriorm_push($$datasource db {
  provider   = "postgresql"
  schemas    = ["prisma_kv"]
  extensions = [adminpack]
}
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["postgresqlExtensions"]
}
model Kv {
  id Int @id
  @@schema("prisma_kv")
}
$$);
SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'adminpack';
SET client_min_messages = warning;
DROP EXTENSION adminpack;
DROP SCHEMA prisma_kv CASCADE;
RESET client_min_messages;
SELECT * FROM ferriorm_validate($$datasource db {
  provider   = "postgresql"
  extensions = [citext, citext, "x", pgvector(map: 1), postgis(schemas: "a")]
}
$$);
-- sort: in @@unique: a unique index with the sort order, in both dialects;
-- a derived name over 63 bytes asks for @map / @@map
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
generator client {
  provider = "prisma-client-js"
}
model Score {
  id     Int @id
  player Int
  points Int
  @@unique([player, points(sort: Desc)])
}
model Rank {
  id    Int @id
  place Int @unique(sort: Desc)
}
$$);
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model Rank {
  id   Int @id
  seat Int @unique(sort: Up)
}
$$);
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
model Score {
  id     Int @id
  player Int
  points Int
  @@unique([player, points(sort: Desc)])
}
$$);
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
enum Access {
  THIS_IS_A_VERY_LONG_LABEL_WRITTEN_IN_CAPITALS_ONLY
  ThisIsAVeryLongLabelInPascalCaseThatSnakeCaseMakesLonger
}
model User {
  id        Int    @id
  createdAt String
  created_at String
}
$$);
SET ferriorm.dialect = prisma;
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
enum Access {
  THIS_IS_A_VERY_LONG_LABEL_WRITTEN_IN_CAPITALS_ONLY
}
model User {
  id         Int    @id
  createdAt  String
  created_at String
  access     Access @default(THIS_IS_A_VERY_LONG_LABEL_WRITTEN_IN_CAPITALS_ONLY)
}
$$);
-- autoincrement() added to an existing column: SERIAL's owned sequence
-- and nextval() default, as Prisma Migrate writes it
CREATE SCHEMA prisma_serial;
CREATE TABLE prisma_serial."Item" (id integer NOT NULL, CONSTRAINT "Item_pkey" PRIMARY KEY (id));
INSERT INTO prs.s VALUES ('serial', $$datasource db {
  provider = "postgresql"
  schemas  = ["prisma_serial"]
}
generator client {
  provider = "prisma-client-js"
}
model Item {
  id Int @id @default(autoincrement())
  @@schema("prisma_serial")
}
$$);
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'serial'));
SELECT count(*) > 0 AS pushed FROM ferriorm_push((SELECT txt FROM prs.s WHERE id = 'serial'));
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'serial'));
SELECT pg_get_serial_sequence('prisma_serial."Item"', 'id');
SET client_min_messages = warning;
DROP SCHEMA prisma_serial CASCADE;
RESET client_min_messages;
-- the deprecated spelling of relationMode
SELECT * FROM ferriorm_validate($$datasource db {
  provider             = "postgresql"
  referentialIntegrity = "prisma"
}
model A {
  id Int @id
}
$$);
-- the setting per role (or database): a new session of the role reads
-- prisma schema text in the ferriorm dialect
SET client_min_messages = warning;
DROP ROLE IF EXISTS prs_dialect_role;
RESET client_min_messages;
CREATE ROLE prs_dialect_role LOGIN;
ALTER ROLE prs_dialect_role SET ferriorm.dialect = 'ferriorm';
SELECT current_user AS prs_su \gset
\c - prs_dialect_role
SHOW ferriorm.dialect;
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
generator client {
  provider = "prisma-client-js"
}
model BlogPost {
  id Int @id
}
$$);
\c - :prs_su
DROP ROLE prs_dialect_role;
-- Bytes defaults in base64, as Prisma writes them: a bytea literal that
-- plans to nothing once created
CREATE SCHEMA prisma_bytes;
INSERT INTO prs.s VALUES ('bytes', $$datasource db {
  provider = "postgresql"
  schemas  = ["prisma_bytes"]
}
generator client {
  provider = "prisma-client-js"
}
model Blob {
  id   Int   @id
  data Bytes @default("aGVsbG8=")
  none Bytes @default("")
  @@schema("prisma_bytes")
}
$$);
SELECT ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'bytes'));
SELECT count(*) > 0 AS pushed FROM ferriorm_push((SELECT txt FROM prs.s WHERE id = 'bytes'));
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'bytes'));
INSERT INTO prisma_bytes."Blob" (id) VALUES (1);
SELECT convert_from(data, 'UTF8'), length(none) FROM prisma_bytes."Blob";
SET client_min_messages = warning;
DROP SCHEMA prisma_bytes CASCADE;
RESET client_min_messages;
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model Blob {
  id   Int   @id
  data Bytes @default("not base64!")
}
$$);
-- Partial indexes (previewFeatures = ["partialIndexes"]): where: raw("...")
-- and the object form, rendered as Prisma Migrate renders it; the plan
-- converges once pushed
SET ferriorm.dialect = prisma;
CREATE SCHEMA prisma_where;
INSERT INTO prs.s VALUES ('where', $$datasource db {
  provider = "postgresql"
  schemas  = ["prisma_where"]
}
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["partialIndexes", "multiSchema"]
}
enum Kind {
  A
  B
  @@schema("prisma_where")
}
model Doc {
  id      Int      @id
  title   String
  n       Int
  s       String?  @map("s_col")
  kind    Kind
  at      DateTime
  deleted Boolean  @default(false)
  @@unique([title], where: { deleted: false, n: -3, s: null, title: "it's" })
  @@index([n], where: { s: { not: null }, n: { not: 2.5 }, kind: "A", at: { not: "2020-01-01" } })
  @@index([title], where: raw("deleted = false"), map: "Doc_live_idx")
  @@index([kind], where: raw("TRUE"))
  @@schema("prisma_where")
}
$$);
SELECT ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'where'));
SELECT ferriorm_format((SELECT txt FROM prs.s WHERE id = 'where'));
SELECT count(*) > 0 AS pushed FROM ferriorm_push((SELECT txt FROM prs.s WHERE id = 'where'));
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'where'));
SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'prisma_where' ORDER BY 1;
SET client_min_messages = warning;
DROP SCHEMA prisma_where CASCADE;
RESET client_min_messages;
-- where: errors, as Prisma reports them; a plain string is not Prisma's
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["partialIndexes"]
}
model W {
  id  Int     @id
  n   Int
  b   Boolean
  j   Json
  s   String
  w   W?      @relation("self", fields: [wId], references: [id])
  wId Int?    @unique
  ws  W[]     @relation("self")
  @@index([n], where: { nope: 1 })
  @@index([n], where: { n: "x" })
  @@index([n], where: { b: 1 })
  @@index([n], where: { j: "x" })
  @@index([n], where: { s: 3 })
  @@index([n], where: { })
  @@index([n], where: { n: { not: 1, x: 2 } })
  @@index([n], where: { n: { is: 1 } })
  @@index([n], where: { b: TRUE })
  @@index([n], where: { n: [1] })
  @@index([n], where: { w: null })
  @@index([n], where: "n > 0")
  @@index([n], where: raw(1))
  @@index([n], where: raw("n > 0; DROP TABLE w"))
  @@index([n], where: raw(""))
  @@id([id], where: { n: 1 })
}
$$);
-- without the preview features: where: and view blocks are refused
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
generator client {
  provider = "prisma-client-js"
}
model W {
  id Int @id
  @@index([id], where: raw("id > 0"))
}
view Report {
  id Int @unique
}
$$);
-- the ferriorm dialect keeps its string form and takes the two others
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
model W {
  id Int     @id
  n  Int
  b  Boolean
  @@index([n], where: "n > 0")
  @@index([id], where: raw("n < 0"))
  @@unique([n], where: { b: true })
}
$$);
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model W {
  id Int @id
  @@index([id], where: 1)
}
$$);
SET ferriorm.dialect = prisma;
-- onDelete/onUpdate: SetNull over a required scalar: Prisma warns and
-- writes SET NULL on the NOT NULL column; with relationMode = "prisma" it
-- refuses it, as the ferriorm dialect always does
INSERT INTO prs.s VALUES ('setnull', $$datasource db {
  provider = "postgresql"
}
generator client {
  provider = "prisma-client-js"
}
model Folder {
  id    Int    @id
  files File[]
}
model File {
  id       Int    @id
  folderId Int
  folder   Folder @relation(fields: [folderId], references: [id], onDelete: SetNull, onUpdate: SetNull)
}
$$);
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'setnull'));
SELECT ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'setnull'));
SELECT * FROM ferriorm_validate(replace((SELECT txt FROM prs.s WHERE id = 'setnull'),
  'provider = "postgresql"', 'provider = "postgresql"
  relationMode = "prisma"'));
SET ferriorm.dialect = ferriorm;
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'setnull'));
SET ferriorm.dialect = prisma;
-- @ignore on relation fields: required on a relation to an @@ignore model
-- (except from another ignored model); the foreign key stays
INSERT INTO prs.s VALUES ('ignore', $$datasource db {
  provider = "postgresql"
}
generator client {
  provider = "prisma-client-js"
}
model A {
  id Int @id
  bs B[] @ignore
  cs C[]
}
model B {
  id  Int @id
  aId Int
  a   A   @relation(fields: [aId], references: [id])
  cs  C[]
  @@ignore
}
model C {
  id  Int @id
  aId Int
  a   A   @relation(fields: [aId], references: [id]) @ignore
  bId Int
  b   B   @relation(fields: [bId], references: [id]) @ignore
}
$$);
SELECT ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'ignore'));
SELECT * FROM ferriorm_validate(replace(replace((SELECT txt FROM prs.s WHERE id = 'ignore'),
  'bs B[] @ignore', 'bs B[]'), 'references: [id]) @ignore
}', 'references: [id]) @ignore(x)
}'));
SET ferriorm.dialect = ferriorm;
SELECT * FROM ferriorm_validate(replace((SELECT txt FROM prs.s WHERE id = 'ignore'),
  'bs B[] @ignore', 'bs B[]'));
SET ferriorm.dialect = prisma;
-- ferriorm_format: Prisma's layout in the prisma dialect (block comments
-- as /** */, attributes sorted, block attributes together), the ferriorm
-- layout unchanged
INSERT INTO prs.s VALUES ('fmt', $$/* header
   comment */
model A {
  name String @map("n") @unique
  id Int @default(1) @id
  /* one */
    /* two */
  @@map("a")

  @@index([name])
}
$$);
SELECT ferriorm_format((SELECT txt FROM prs.s WHERE id = 'fmt'));
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_format((SELECT txt FROM prs.s WHERE id = 'fmt'));
SET ferriorm.dialect = auto;
SELECT ferriorm_format('generator c {
  provider = "prisma-client-js"
}
' || (SELECT txt FROM prs.s WHERE id = 'fmt'));
-- string literals: kept as written in Prisma's layout (as prisma format
-- keeps them), written with the fewest escapes in the ferriorm layout; a
-- string without escapes, or with the same text as written, is unchanged
INSERT INTO prs.s VALUES ('esc', $$datasource db {
  provider = "postgresql"
  url = "postgres://u\u0040h/d"
}
model A {
  id Int @id
  s String @default("caf\u00e9 \t \"q\" \/ \\") @map("s\u0031")
  t String @default("café")
  @@map("a\u0061")
}
$$);
SET ferriorm.dialect = prisma;
SELECT ferriorm_format((SELECT txt FROM prs.s WHERE id = 'esc'));
SELECT ferriorm_format(ferriorm_format((SELECT txt FROM prs.s WHERE id = 'esc')))
     = ferriorm_format((SELECT txt FROM prs.s WHERE id = 'esc')) AS idempotent;
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_format((SELECT txt FROM prs.s WHERE id = 'esc'));
-- comments on the lines of a block's braces: in Prisma's layout the one
-- after "{" is dropped and those after "}" go below it, a blank line
-- after them only where one was written; the ferriorm layout keeps them
INSERT INTO prs.s VALUES ('brace', $$model A { // open
  id Int @id
} // end of A
model B {
  id Int @id
} /* b */ // end of B

enum E { /* e */
  X
} // last
$$);
SELECT ferriorm_format((SELECT txt FROM prs.s WHERE id = 'brace'));
SET ferriorm.dialect = prisma;
SELECT ferriorm_format((SELECT txt FROM prs.s WHERE id = 'brace'));
-- previewFeatures: a name Prisma 7 does not know is a warning (Prisma 7
-- refuses it, earlier versions took removed names such as "metrics"; any
-- case of a known one is fine, a single string is a list of one); a view
-- with a primary key is a warning too (Prisma 7 refuses it)
SELECT ferriorm_validate('datasource db {
  provider = "postgresql"
}
generator c {
  provider        = "prisma-client-js"
  previewFeatures = ["MultiSchema", "metrics", "driverAdapters"]
}
generator d {
  provider        = "prisma-client-js"
  previewFeatures = "esm"
}
model A {
  id Int @id
}
');
SELECT ferriorm_validate('datasource db {
  provider = "postgresql"
}
generator c {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}
view V {
  id Int @id
  b  Int
}
view W {
  a Int
  b Int
  @@id([a, b])
}
view U {
  a Int @unique
}
');
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_validate('datasource db {
  provider = "postgresql"
}
generator c {
  provider        = "prisma-client-js"
  previewFeatures = ["metrics"]
}
model A {
  id Int @id
}
');
SET ferriorm.dialect = prisma;
-- comments in Prisma's layout: those that end a block go before its block
-- attributes, and line comments keep their trailing blanks (here "~");
-- the ferriorm layout keeps the comments in place and drops the blanks
INSERT INTO prs.s VALUES ('cmt', replace($$model A {
  id Int @id // key~~
  b  Int
  @@index([b])
  // end one~
  // end two
}
/// doc~
model B {
  id Int @id

  // only a comment~
}
$$, '~', ' '));
SELECT replace(ferriorm_format((SELECT txt FROM prs.s WHERE id = 'cmt')), ' ' || E'\n', '~' || E'\n');
SET ferriorm.dialect = ferriorm;
SELECT replace(ferriorm_format((SELECT txt FROM prs.s WHERE id = 'cmt')), ' ' || E'\n', '~' || E'\n');
SET ferriorm.dialect = prisma;
-- the fields of a one-to-one relation: a unique criterion in its order, as
-- in Prisma (the ferriorm dialect takes the columns in any order)
INSERT INTO prs.s VALUES ('o2o', $$datasource db {
  provider = "postgresql"
}
model Asset {
  id        String
  projectId String
  meta      Meta?
  @@id([id, projectId])
}
model Meta {
  projectId String
  assetId   String
  asset     Asset  @relation(fields: [assetId, projectId], references: [id, projectId])
  @@id([projectId, assetId])
}
$$);
SELECT ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'o2o'));
SELECT ferriorm_validate(replace((SELECT txt FROM prs.s WHERE id = 'o2o'), '@@id([projectId, assetId])', '@@id([assetId, projectId])'));
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'o2o'));
SET ferriorm.dialect = prisma;
-- a comma before a closing bracket: an error in the prisma dialect, as in
-- Prisma; the ferriorm dialect takes it
INSERT INTO prs.s VALUES ('comma', $$datasource db {
  provider = "postgresql"
  schemas  = ["public", ]
}
model A {
  id Int    @id @default(autoincrement(),)
  b  String @db.VarChar(10)
  @@index([b,], map: "a_b",)
}
$$);
SELECT ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'comma'));
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'comma'));
SET ferriorm.dialect = prisma;
-- long join tables (trycompai/comp): Prisma clips the table name before
-- _A_fkey/_B_fkey, so the two keys keep distinct names, and clips a join
-- table name over 63 bytes to 63; the ferriorm dialect asks for a shorter
-- relation name instead
INSERT INTO prs.s VALUES ('m2mlong', $$datasource db {
  provider = "postgresql"
}
model FrameworkEditorControlTemplate {
  id       String                          @id
  policies FrameworkEditorPolicyTemplate[]
  tasks    TaskTemplate[]                  @relation("ControlTemplateTasksWithAVeryLongRelationNameThatExceedsTheLimit")
}
model FrameworkEditorPolicyTemplate {
  id       String                           @id
  controls FrameworkEditorControlTemplate[]
}
model TaskTemplate {
  id       String                           @id
  controls FrameworkEditorControlTemplate[] @relation("ControlTemplateTasksWithAVeryLongRelationNameThatExceedsTheLimit")
}
$$);
SELECT line FROM regexp_split_to_table(ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'm2mlong')), E'\n') AS line
WHERE line ~ '"_' ORDER BY line;
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'm2mlong'));
SET ferriorm.dialect = prisma;
-- and a database built that way plans to nothing, its join tables pulled back
CREATE SCHEMA m2mlong;
SET search_path = m2mlong, public;
SELECT count(*) FROM (SELECT ferriorm_push((SELECT txt FROM prs.s WHERE id = 'm2mlong'))) p;
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'm2mlong')) = '';
SELECT ferriorm_plan(ferriorm_pull(ARRAY['m2mlong'])) = '';
SELECT line FROM regexp_split_to_table(ferriorm_pull(ARRAY['m2mlong']), E'\n') AS line
WHERE line ~ '\[\]' ORDER BY line;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA m2mlong CASCADE;
RESET client_min_messages;

-- Prisma's own validation tests (docs/testing.md) found these.
-- Two generator blocks of one name: an error in both dialects, as in Prisma.
SELECT * FROM ferriorm_validate($$generator client {
  provider = "prisma-client-js"
}
generator client {
  provider = "prisma-client"
}
datasource db {
  provider = "postgresql"
}
model A {
  id Int @id
}
$$);
-- extensions need the postgresqlExtensions preview feature in the prisma
-- dialect; a single one needs no brackets (both dialects)
INSERT INTO prs.s VALUES ('ext1', $$generator client {
  provider = "prisma-client-js"
}
datasource db {
  provider   = "postgresql"
  extensions = citext
}
model A {
  id Int @id
}
$$);
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'ext1'));
SELECT * FROM ferriorm_validate(replace((SELECT txt FROM prs.s WHERE id = 'ext1'),
  '"prisma-client-js"', '"prisma-client-js"
  previewFeatures = ["postgresqlExtensions"]'));
SELECT ferriorm_diff(NULL, replace((SELECT txt FROM prs.s WHERE id = 'ext1'),
  '"prisma-client-js"', '"prisma-client-js"
  previewFeatures = ["postgresqlExtensions"]'));
SELECT * FROM ferriorm_validate(replace((SELECT txt FROM prs.s WHERE id = 'ext1'),
  'citext', 'pgvector(map: "vector")'));
SELECT * FROM ferriorm_validate(replace((SELECT txt FROM prs.s WHERE id = 'ext1'),
  'citext', '"citext"'));
SET ferriorm.dialect = ferriorm;
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'ext1'));
SET ferriorm.dialect = prisma;
-- a view takes no index, no map: on its unique criteria and no arguments
-- on their fields, as in Prisma; the ferriorm dialect refuses the index
-- too (it never creates a view, so the index would silently be nothing)
-- and takes the rest
INSERT INTO prs.s VALUES ('viewix', $$generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}
datasource db {
  provider = "postgresql"
}
view V {
  a Int      @unique(map: "V_a_key")
  b Int      @unique(sort: Desc)
  c DateTime

  @@unique([b, c(sort: Desc)])
  @@unique([a, c], map: "V_a_c_key")
  @@unique(c(sort: Asc))
  @@index([c])
}
$$);
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'viewix'));
SET ferriorm.dialect = ferriorm;
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'viewix'));
SET ferriorm.dialect = prisma;
-- @updatedAt beside a default other than now(): the prisma dialect takes
-- it, as Prisma does, and creates the default; the ferriorm dialect refuses
INSERT INTO prs.s VALUES ('upd', $$datasource db {
  provider = "postgresql"
}
model D {
  id Int      @id
  u  DateTime @default("2020-01-01T00:00:00Z") @updatedAt
}
$$);
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'upd'));
SELECT ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'upd'));
SET ferriorm.dialect = ferriorm;
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'upd'));
SET ferriorm.dialect = prisma;
-- what Prisma refuses and PostgreSQL alone would take or fail on later:
-- a list as the id, a unique Xml field, two unnamed self-relation fields,
-- the model name PrismaClient, @updatedAt on a list, and a foreign key
-- named like an index of its model (one namespace in Prisma)
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model PrismaClient {
  id    Int[]      @id
  body  String     @unique @db.Xml
  times DateTime[] @updatedAt
}
model Node {
  id       Int    @id
  parentId Int?
  parent   Node?  @relation(fields: [parentId], references: [id])
  children Node[]
}
model Author {
  id    Int    @id
  books Book[]
}
model Book {
  id       Int    @id
  authorId Int
  author   Author @relation(fields: [authorId], references: [id], map: "by_author")
  @@index([authorId], map: "by_author")
}
model Pair {
  a Int[]
  b Int
  @@id([a, b])
}
$$);
-- named, the self-relation is one relation
SELECT count(*) AS errors FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model Node {
  id       Int    @id
  parentId Int?
  parent   Node?  @relation("tree", fields: [parentId], references: [id])
  children Node[] @relation("tree")
}
$$);
-- the tables of PostGIS (spatial_ref_sys, geometry_columns, any case):
-- Prisma's db pull writes them as models, and Prisma Migrate neither
-- creates, changes nor drops them; nor does the prisma dialect
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
}
model spatial_ref_sys {
  srid      Int     @id
  auth_name String? @db.VarChar(256)
}
model Geometry_Columns {
  f_table_name String @id
}
model Place {
  id Int @id
}
$$);
CREATE SCHEMA prs_gis;
CREATE TABLE prs_gis.spatial_ref_sys (srid integer PRIMARY KEY, note text);
SET search_path = prs_gis, public;
SELECT ferriorm_plan($$datasource db {
  provider = "postgresql"
}
model Place {
  id Int @id
}
$$);
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA prs_gis CASCADE;
RESET client_min_messages;
-- DateTime defaults: an RFC 3339 date and time, as Prisma's chrono reads
-- it (a space or t for the T, a leap second, any fraction), written as
-- Prisma Migrate writes it, which time and timetz columns read too (the T
-- form is refused by them); other text is an error in the prisma dialect,
-- as in Prisma, and passed on to PostgreSQL in the ferriorm dialect
INSERT INTO prs.s VALUES ('when', $$datasource db {
  provider = "postgresql"
}
model W {
  id Int        @id
  t  DateTime   @db.Time(3) @default("1970-01-01T10:20:30.5Z")
  z  DateTime   @db.Timetz @default("1970-01-01 10:20:30+02:00")
  s  DateTime   @default("2020-06-15t12:30:60z")
  l  DateTime[] @default(["2020-01-01T00:00:00Z", "2020-01-01T00:00:00.000001-08:45"])
}
$$), ('when_bad', $$datasource db {
  provider = "postgresql"
}
model W {
  id Int      @id
  a  DateTime @db.Date @default("2020-01-01")
  b  DateTime @default("2020-01-01T10:20:30")
  c  DateTime @default("2020-02-30T00:00:00Z")
  d  DateTime @default("now")
}
$$);
SELECT ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'when'));
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'when_bad'));
SET ferriorm.dialect = ferriorm;
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'when_bad'));
SET ferriorm.dialect = prisma;
CREATE SCHEMA prs_when;
SET search_path = prs_when, public;
SELECT ferriorm_push((SELECT txt FROM prs.s WHERE id = 'when'));
WITH w AS (INSERT INTO "W" (id) VALUES (1) RETURNING *)
SELECT "t", "z", "s" = '2020-06-15 12:31:00'::timestamp AS leap_second_rolls_over FROM w;
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'when')) = '' AS up_to_date;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA prs_when CASCADE;
RESET client_min_messages;
-- names over 63 bytes: Prisma takes them and writes them whole into its
-- DDL, and PostgreSQL shortens them (NAMEDATALEN - 1 bytes, never inside
-- a character), in the DDL and in every query of Prisma Client.  The
-- prisma dialect uses the shortened names, with a warning, so that the
-- database Prisma's migration built plans to nothing (Prisma's own diff
-- on it drops and creates the tables again); the ferriorm dialect refuses
-- them (its client would miss the table)
INSERT INTO prs.s VALUES ('long', $$datasource db {
  provider = "postgresql"
  schemas  = ["prs_long"]
}
generator client {
  provider = "prisma-client-js"
}
enum KindKindKindKindKindKindKindKindKindKindKindKindKindKindKindKindKind {
  small
  @@schema("prs_long")
}
model AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb {
  id   Int  @id
  fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff String @unique
  kind KindKindKindKindKindKindKindKindKindKindKindKindKindKindKindKindKind
  others Other[]
  @@schema("prs_long")
}
model Other {
  id      Int @id
  ownerId Int
  owner   AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb @relation(fields: [ownerId], references: [id])
  @@index([ownerId])
  @@map("mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm")
  @@schema("prs_long")
}
model ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ {
  id Int @id
  @@schema("prs_long")
}
$$);
SET ferriorm.dialect = prisma;
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'long'));
SELECT ferriorm_diff(NULL, (SELECT txt FROM prs.s WHERE id = 'long'));
-- Prisma Migrate's DDL of the schema (test/prisma/oracle.mjs create-sql)
CREATE SCHEMA prs_long;
SET client_min_messages = warning;
CREATE TYPE "prs_long"."KindKindKindKindKindKindKindKindKindKindKindKindKindKindKindKindKind" AS ENUM ('small');
CREATE TABLE "prs_long"."AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" (
    "id" INTEGER NOT NULL,
    "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" TEXT NOT NULL,
    "kind" "prs_long"."KindKindKindKindKindKindKindKindKindKindKindKindKindKindKindKindKind" NOT NULL,

    CONSTRAINT "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbbbbbbbbbbbbb_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "prs_long"."mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm" (
    "id" INTEGER NOT NULL,
    "ownerId" INTEGER NOT NULL,

    CONSTRAINT "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "prs_long"."ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ" (
    "id" INTEGER NOT NULL,

    CONSTRAINT "ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbb_key" ON "prs_long"."AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"("fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
CREATE INDEX "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm_idx" ON "prs_long"."mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"("ownerId");
ALTER TABLE "prs_long"."mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm" ADD CONSTRAINT "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm_fkey" FOREIGN KEY ("ownerId") REFERENCES "prs_long"."AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
RESET client_min_messages;
SELECT relname, octet_length(relname) FROM pg_class
 WHERE relnamespace = 'prs_long'::regnamespace AND relkind = 'r' ORDER BY 1;
SELECT ferriorm_plan((SELECT txt FROM prs.s WHERE id = 'long'));
SET client_min_messages = warning;
DROP SCHEMA prs_long CASCADE;
RESET client_min_messages;
SET ferriorm.dialect = ferriorm;
SELECT * FROM ferriorm_validate((SELECT txt FROM prs.s WHERE id = 'long')) WHERE message LIKE '%longer than%';
SET ferriorm.dialect = prisma;
SET client_min_messages = warning;
DROP SCHEMA prs CASCADE;
RESET client_min_messages;
RESET ferriorm.dialect;

-- Prisma ignores a negative length: in an index or unique list (it reads
-- no u32 there), refuses any other, -0 included; and it does not count a
-- key over an Unsupported field as the model's unique criterion
-- (fuzz.mjs seeds 57, 59, 62)
SELECT * FROM ferriorm_validate($$generator client {
  provider = "prisma-client-js"
}
datasource db {
  provider = "postgresql"
}
model Page {
  id    Int    @id
  slug  String
  title String
  @@unique([slug(length: -1)])
  @@index([title(length: -0)])
}
model Doc {
  range Unsupported("int4range") @id
}
model Doc2 {
  id    Int                      @id
  range Unsupported("int4range") @unique
}
$$);

-- A view's unique criteria as Prisma takes them: field arguments other
-- than sort:, length: and ops: (ignored), where: without the
-- partialIndexes preview feature, one name for two criteria; and the
-- layout of a model without fields (fuzz.mjs seed 59; checked against
-- Prisma's validator and formatter)
SELECT * FROM ferriorm_validate($$generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}

datasource db {
  provider = "postgresql"
}

model Account {
  id Int @id
}

view Total {
  account Int
  day     DateTime
  total   Int

  @@unique([account, day(type: Desc)], name: "n")
  @@unique([total], name: "n", where: raw("total > 0"))
}
$$);
SELECT ferriorm_format($$generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["views"]
}

datasource db {
  provider = "postgresql"
}

model Log {

  // ignored
  @@ignore
}

view Total {

  @@ignore
}
$$);
