--
-- plan_convergence: schema transitions v1 -> v2 from an empty database.
-- For each: apply ferriorm_plan(v1), which must then be empty; show
-- ferriorm_plan(v2, verify => true) (verification applies it in a
-- subtransaction and requires an empty re-plan); apply ferriorm_plan(v2);
-- ferriorm_plan(v2) must be empty and verify again.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\getenv abs_srcdir PG_ABS_SRCDIR
-- included files by a relative path, so that messages name no directory
\cd :abs_srcdir
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA pcu;
-- the datasource block, managing the given schemas
CREATE FUNCTION pcu.ds(VARIADIC schemas text[] DEFAULT ARRAY['conv']) RETURNS text
LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n  schemas  = ['
         || (SELECT string_agg('"' || s || '"', ', ') FROM unnest(schemas) s)
         || E']\n}\n'
$$;
CREATE TABLE pcu.cases (id int PRIMARY KEY, title text, setup text, v1 text, v2 text);
-- the catalog of the managed schemas, for online vs plain (plan_conv_step)
CREATE FUNCTION pcu.fingerprint() RETURNS text LANGUAGE sql AS $$
SELECT md5(coalesce(string_agg(x, E'\n' ORDER BY x), '')) FROM (
  SELECT format('col %s.%s.%s %s %s %s', n.nspname, c.relname, a.attname,
                format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE n.nspname IN ('conv', 'conv_b', 'Conv Quoted') AND c.relkind IN ('r', 'p')
    AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT format('con %s.%s %s %s', n.nspname, co.conname, pg_get_constraintdef(co.oid), co.convalidated)
  FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
  WHERE n.nspname IN ('conv', 'conv_b', 'Conv Quoted')
  UNION ALL
  SELECT format('idx %s %s', pg_get_indexdef(i.indexrelid), i.indisvalid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname IN ('conv', 'conv_b', 'Conv Quoted')
  UNION ALL
  SELECT format('enum %s.%s %s', n.nspname, t.typname,
                (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype = 'e' AND n.nspname IN ('conv', 'conv_b', 'Conv Quoted')) s(x)
$$;

INSERT INTO pcu.cases (id, title, v1, v2) VALUES
(1, 'create enum and table from nothing', pcu.ds(), pcu.ds() || $$
enum Role {
  admin
  member
  @@schema("conv")
}
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  role      Role     @default(member)
  createdAt DateTime @default(now())
  @@schema("conv")
}
$$),
(2, 'add a nullable column and a required column with a default',
pcu.ds() || $$
model Item {
  id   Int    @id
  name String
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id    Int     @id
  name  String
  note  String?
  qty   Int     @default(1)
  @@schema("conv")
}
$$),
(3, 'drop a column',
pcu.ds() || $$
model Item {
  id   Int     @id
  name String
  note String?
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id   Int    @id
  name String
  @@schema("conv")
}
$$),
(4, 'type change with an implicit cast: Int -> BigInt, VarChar(10) -> VarChar(50)',
pcu.ds() || $$
model Item {
  id   Int    @id
  n    Int
  code String @db.VarChar(10)
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id   Int    @id
  n    BigInt
  code String @db.VarChar(50)
  @@schema("conv")
}
$$),
(5, 'type change without an implicit cast: String -> Int, Int -> Boolean',
pcu.ds() || $$
model Item {
  id   Int    @id
  n    String
  ok   Int
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id   Int     @id
  n    Int
  ok   Boolean
  @@schema("conv")
}
$$),
(6, 'nullability both ways',
pcu.ds() || $$
model Item {
  id   Int     @id
  a    String?
  b    String
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id   Int     @id
  a    String
  b    String?
  @@schema("conv")
}
$$),
(7, 'defaults: add, change, drop',
pcu.ds() || $$
model Item {
  id    Int      @id
  a     String
  b     Int      @default(1)
  c     Boolean  @default(true)
  d     Decimal  @default(1.5)
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id    Int      @id
  a     String   @default("it's")
  b     Int      @default(2)
  c     Boolean
  d     Decimal  @default(-0.25)
  @@schema("conv")
}
$$),
(8, 'autoincrement added and removed',
pcu.ds() || $$
model A {
  id Int @id
  @@schema("conv")
}
model B {
  id Int @id @default(autoincrement())
  @@schema("conv")
}
$$, pcu.ds() || $$
model A {
  id Int @id @default(autoincrement())
  @@schema("conv")
}
model B {
  id Int @id
  @@schema("conv")
}
$$),
(9, 'enum: add values at the end and in the middle',
pcu.ds() || $$
enum Color {
  red
  blue
  @@schema("conv")
}
model Paint {
  id    Int   @id
  color Color
  @@schema("conv")
}
$$, pcu.ds() || $$
enum Color {
  red
  green
  blue
  black
  @@schema("conv")
}
model Paint {
  id    Int   @id
  color Color
  @@schema("conv")
}
$$),
(10, 'enum: remove a value used by a column with a default',
pcu.ds() || $$
enum Color {
  red
  green
  blue
  @@schema("conv")
}
model Paint {
  id    Int   @id
  color Color @default(red)
  @@schema("conv")
}
$$, pcu.ds() || $$
enum Color {
  red
  blue
  @@schema("conv")
}
model Paint {
  id    Int   @id
  color Color @default(red)
  @@schema("conv")
}
$$),
(11, 'enum: create, drop, mapped values',
pcu.ds() || $$
enum Old {
  a
  b
  @@schema("conv")
}
$$, pcu.ds() || $$
enum Status {
  Active   @map("ACTIVE")
  Inactive @map("in active")
  @@map("status_kind")
  @@schema("conv")
}
$$),
(12, 'composite primary key created',
pcu.ds(), pcu.ds() || $$
model Membership {
  userId  Int
  groupId Int
  since   DateTime @default(now())
  @@id([userId, groupId])
  @@schema("conv")
}
$$),
(13, 'primary key changed to composite',
pcu.ds() || $$
model Membership {
  userId  Int @id
  groupId Int
  @@schema("conv")
}
$$, pcu.ds() || $$
model Membership {
  userId  Int
  groupId Int
  @@id([userId, groupId], map: "membership_pk")
  @@schema("conv")
}
$$),
(14, 'unique: single and composite, added and dropped',
pcu.ds() || $$
model Item {
  id   Int    @id
  a    String @unique
  b    String
  c    String
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id   Int    @id
  a    String
  b    String
  c    String
  @@unique([b, c])
  @@schema("conv")
}
$$),
(15, 'indexes: add, drop, sort order, method',
pcu.ds() || $$
model Item {
  id   Int    @id
  a    String
  b    Int
  tags Json
  @@index([a])
  @@index([b])
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id   Int    @id
  a    String
  b    Int
  tags Json
  @@index([a, b(sort: Desc)])
  @@index([b], type: Hash)
  @@index([tags], type: Gin)
  @@schema("conv")
}
$$),
(16, 'partial index: created, predicate changed',
pcu.ds() || $$
model Item {
  id      Int     @id
  email   String
  deleted Boolean @default(false)
  @@index([email], map: "item_live_email", where: "deleted = false")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id      Int     @id
  email   String
  deleted Boolean @default(false)
  @@index([email], map: "item_live_email", where: "NOT deleted AND email <> ''")
  @@schema("conv")
}
$$),
(17, 'foreign key added (one-to-many), then actions changed',
pcu.ds() || $$
model User {
  id Int @id
  @@schema("conv")
}
model Post {
  id       Int @id
  authorId Int
  @@schema("conv")
}
$$, pcu.ds() || $$
model User {
  id    Int    @id
  posts Post[]
  @@schema("conv")
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id], onDelete: Cascade, onUpdate: Restrict)
  @@schema("conv")
}
$$),
(18, 'cyclic foreign keys',
pcu.ds(), pcu.ds() || $$
model Team {
  id        Int    @id
  captainId Int?   @unique
  captain   Player? @relation("captain", fields: [captainId], references: [id])
  players   Player[] @relation("roster")
  @@schema("conv")
}
model Player {
  id       Int   @id
  teamId   Int
  team     Team  @relation("roster", fields: [teamId], references: [id])
  captains Team? @relation("captain")
  @@schema("conv")
}
$$),
(19, 'cyclic foreign keys dropped together with their tables',
pcu.ds() || $$
model Team {
  id        Int    @id
  captainId Int?   @unique
  captain   Player? @relation("captain", fields: [captainId], references: [id])
  players   Player[] @relation("roster")
  @@schema("conv")
}
model Player {
  id       Int   @id
  teamId   Int
  team     Team  @relation("roster", fields: [teamId], references: [id])
  captains Team? @relation("captain")
  @@schema("conv")
}
$$, pcu.ds()),
(20, 'implicit many-to-many created',
pcu.ds() || $$
model Post {
  id Int @id
  @@schema("conv")
}
model Tag {
  id Int @id
  @@schema("conv")
}
$$, pcu.ds() || $$
model Post {
  id   Int   @id
  tags Tag[]
  @@schema("conv")
}
model Tag {
  id    Int    @id
  posts Post[]
  @@schema("conv")
}
$$),
(21, 'self relation and composite foreign key',
pcu.ds() || $$
model Node {
  id Int @id
  @@schema("conv")
}
$$, pcu.ds() || $$
model Node {
  id       Int    @id
  parentId Int?
  parent   Node?  @relation("tree", fields: [parentId], references: [id], onDelete: SetNull)
  children Node[] @relation("tree")
  @@schema("conv")
}
model Span {
  a  Int
  b  Int
  refs Ref[]
  @@id([a, b])
  @@schema("conv")
}
model Ref {
  id   Int  @id
  sa   Int
  sb   Int
  span Span @relation(fields: [sa, sb], references: [a, b])
  @@schema("conv")
}
$$),
(22, 'checks: add, change, drop',
pcu.ds() || $$
model Product {
  id    Int     @id
  price Decimal
  qty   Int
  @@check("qty >= 0")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Product {
  id    Int     @id
  price Decimal
  qty   Int
  @@check("price >= 0")
  @@check("qty BETWEEN 0 AND 1000", map: "product_qty_range")
  @@schema("conv")
}
$$),
(23, 'multiple schemas with a foreign key across them',
pcu.ds('conv', 'conv_b') || $$
model User {
  id Int @id
  @@schema("conv")
}
$$, pcu.ds('conv', 'conv_b') || $$
enum Level {
  low
  high
  @@schema("conv_b")
}
model User {
  id     Int     @id
  audits Audit[]
  @@schema("conv")
}
model Audit {
  id     Int   @id
  userId Int
  level  Level @default(low)
  user   User  @relation(fields: [userId], references: [id])
  @@schema("conv_b")
}
$$),
(24, 'names needing quotes',
pcu.ds('Conv Quoted') || $$
model Item {
  id Int @id
  @@map("Order Items")
  @@schema("Conv Quoted")
}
$$, pcu.ds('Conv Quoted') || $$
enum Kind {
  Big   @map("Big One")
  Small @map("it's small")
  @@map("Kind Of")
  @@schema("Conv Quoted")
}
model Item {
  id    Int     @id
  label String  @map("Label-Text") @default("O'Brien")
  kind  Kind    @default(Small)
  note  String? @map("select")
  @@index([label], map: "Order Items Label")
  @@map("Order Items")
  @@schema("Conv Quoted")
}
$$),
(25, 'table dropped',
pcu.ds() || $$
model A {
  id Int @id
  @@schema("conv")
}
model B {
  id Int @id
  @@schema("conv")
}
$$, pcu.ds() || $$
model A {
  id Int @id
  @@schema("conv")
}
$$),
(26, 'comments added, changed, removed',
pcu.ds() || $$
/// the items
model Item {
  id   Int    @id
  /// its name
  name String
  @@schema("conv")
}
$$, pcu.ds() || $$
/// all the items
model Item {
  id   Int    @id
  name String
  /// free text
  note String?
  @@schema("conv")
}
$$),
(27, 'native types and timestamps',
pcu.ds(), pcu.ds() || $$
model T {
  id    String   @id @default(uuid()) @db.Uuid
  a     DateTime @db.Timestamp(3)
  b     DateTime @db.Timestamptz(6) @default(now())
  c     Decimal  @db.Decimal(10, 2) @default(0)
  d     String   @db.Char(3) @default("abc")
  e     Float    @default(1.5)
  f     Bytes?
  g     Json     @default("{}")
  h     Int      @db.SmallInt @default(-1)
  i     DateTime @db.Date
  @@schema("conv")
}
$$),
(28, 'one-to-one relation',
pcu.ds() || $$
model User {
  id Int @id
  @@schema("conv")
}
$$, pcu.ds() || $$
model User {
  id      Int      @id
  profile Profile?
  @@schema("conv")
}
model Profile {
  id     Int  @id
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
  @@schema("conv")
}
$$),
(29, 'implicit many-to-many dropped',
pcu.ds() || $$
model Post {
  id   Int   @id
  tags Tag[]
  @@schema("conv")
}
model Tag {
  id    Int    @id
  posts Post[]
  @@schema("conv")
}
$$, pcu.ds() || $$
model Post {
  id Int @id
  @@schema("conv")
}
model Tag {
  id Int @id
  @@schema("conv")
}
$$),
(30, 'everything dropped',
pcu.ds() || $$
enum E {
  x
  @@schema("conv")
}
model A {
  id Int @id
  e  E
  bs B[]
  @@schema("conv")
}
model B {
  id  Int @id
  aId Int
  a   A   @relation(fields: [aId], references: [id])
  @@schema("conv")
}
$$, pcu.ds()),
(31, 'enum column type changed to another enum and to text',
pcu.ds() || $$
enum A {
  x
  y
  @@schema("conv")
}
enum B {
  x
  y
  z
  @@schema("conv")
}
model T {
  id Int @id
  p  A
  q  A
  @@schema("conv")
}
$$, pcu.ds() || $$
enum A {
  x
  y
  @@schema("conv")
}
enum B {
  x
  y
  z
  @@schema("conv")
}
model T {
  id Int    @id
  p  B
  q  String
  @@schema("conv")
}
$$),
(32, 'unique constraint replaced by an index with an operator class',
pcu.ds() || $$
model Item {
  id   Int    @id
  a    String @unique
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id   Int    @id
  a    String
  @@index([a(ops: raw("text_pattern_ops"))])
  @@schema("conv")
}
$$);

-- plain SQL setups: the live database was not made by ferriorm
INSERT INTO pcu.cases (id, title, setup, v1, v2) VALUES
(33, 'expression index and unmanaged objects from plain SQL',
$$CREATE SCHEMA conv;
CREATE TABLE conv.items (id int PRIMARY KEY, email text NOT NULL);
CREATE INDEX items_lower_email ON conv.items (lower(email));
CREATE UNIQUE INDEX items_email_key ON conv.items (email);
CREATE VIEW conv.item_view AS SELECT id FROM conv.items;
CREATE FUNCTION conv.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE SEQUENCE conv.free_seq;$$,
pcu.ds() || $$
model Item {
  id    Int    @id
  email String @unique
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id    Int    @id
  email String
  @@schema("conv")
}
$$);

-- more transitions
INSERT INTO pcu.cases (id, title, v1, v2) VALUES
(34, 'foreign key removed while both tables stay; enum comment',
pcu.ds() || $$
enum Kind {
  a
  @@schema("conv")
}
model User {
  id    Int    @id
  posts Post[]
  @@schema("conv")
}
model Post {
  id       Int  @id
  authorId Int
  kind     Kind
  author   User @relation(fields: [authorId], references: [id])
  @@index([authorId])
  @@schema("conv")
}
$$, pcu.ds() || $$
/// kinds of posts
enum Kind {
  a
  @@schema("conv")
}
model User {
  id Int @id
  @@schema("conv")
}
model Post {
  id       Int  @id
  authorId Int
  kind     Kind
  @@schema("conv")
}
$$),
(35, 'table moved to another schema, enum moved with it',
pcu.ds('conv', 'conv_b') || $$
enum Kind {
  a
  b
  @@schema("conv")
}
model Item {
  id   Int    @id
  kind Kind   @default(b)
  @@schema("conv")
}
$$, pcu.ds('conv', 'conv_b') || $$
enum Kind {
  a
  b
  @@schema("conv_b")
}
model Item {
  id   Int    @id
  kind Kind   @default(b)
  @@schema("conv_b")
}
$$),
(36, 'enum value added and used as the new default in the same plan',
pcu.ds() || $$
enum Color {
  red
  blue
  @@schema("conv")
}
model Paint {
  id    Int   @id
  color Color @default(red)
  @@schema("conv")
}
$$, pcu.ds() || $$
enum Color {
  red
  blue
  green
  @@schema("conv")
}
model Paint {
  id    Int   @id
  color Color @default(green)
  @@schema("conv")
}
$$);

-- a column changes type while CHECKs and a partial index on it stay: their
-- text must not be normalized against the old type
INSERT INTO pcu.cases (id, title, v1, v2) VALUES
(37, 'enum type renamed and text column turned enum, under CHECKs and a partial index',
pcu.ds() || $$
enum Status {
  draft
  live
  gone
  @@map("status")
  @@schema("conv")
}
model Page {
  id     Int     @id
  status Status  @default(live)
  prev   Status?
  label  String?
  @@index([status], where: "status <> 'gone'")
  @@check("prev IS NULL OR prev <> status", map: "status_changes")
  @@check("status IN ('draft', 'live')", map: "status_in")
  @@check("label IS NULL OR label <> 'draft'", map: "label_not_draft")
  @@schema("conv")
}
$$, pcu.ds() || $$
enum Status {
  draft
  live
  gone
  @@map("page_status")
  @@schema("conv")
}
model Page {
  id     Int     @id
  status Status  @default(live)
  prev   Status?
  label  Status?
  @@index([status], where: "status <> 'gone'")
  @@check("prev IS NULL OR prev <> status", map: "status_changes")
  @@check("status IN ('draft', 'live')", map: "status_in")
  @@check("label IS NULL OR label <> 'draft'", map: "label_not_draft")
  @@schema("conv")
}
$$),
(38, 'an index WHERE true, spelled three ways: PostgreSQL stores no predicate',
pcu.ds() || $$
model Item {
  id Int @id
  a  Int
  b  Int
  c  Int
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id Int @id
  a  Int
  b  Int
  c  Int
  @@index([a], where: "true")
  @@index([b], where: "(TRUE)")
  @@index([c], where: "'t'::boolean")
  @@schema("conv")
}
$$),
(39, 'unique keys equal to the primary key: CREATE TABLE keeps only the key',
pcu.ds() || $$
model Other {
  id Int @id
  @@schema("conv")
}
$$, pcu.ds() || $$
model Key {
  id String @id @unique
  @@schema("conv")
}
model Pair {
  a Int
  b Int
  @@id([a, b])
  @@unique([a, b])
  @@unique([b, a])
  @@schema("conv")
}
$$),
(40, 'operator classes qualified, quoted and in upper case',
pcu.ds() || $$
model Word {
  id Int    @id
  s  String
  t  String
  u  String
  @@schema("conv")
}
$$, pcu.ds() || $$
model Word {
  id Int    @id
  s  String
  t  String
  u  String
  @@index([s(ops: raw("pg_catalog.text_pattern_ops"))])
  @@index([t(ops: raw("\"text_pattern_ops\""))])
  @@index([u(ops: raw(" PG_CATALOG . Text_Pattern_Ops "))])
  @@schema("conv")
}
$$),
(41, 'string defaults with backslashes and quotes (run with standard_conforming_strings off)',
pcu.ds() || $$
model Lit {
  id Int @id
  @@schema("conv")
}
$$, pcu.ds() || $$
model Lit {
  id Int    @id
  a  String @default("back\\slash")
  b  String @default("\\'; DROP TABLE conv.lit; --")
  c  String @default("it's \"q\" \\\\ $1")
  @@schema("conv")
}
$$);

-- issue 14: sequences, keyless tables, storage, identity kinds, collations
INSERT INTO pcu.cases (id, title, setup, v1, v2) VALUES
(140, 'standalone sequence added with its reader', NULL,
pcu.ds() || $$
model Seq {
  id Int @id
  @@map("seq")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Seq {
  id Int @id
  no Int @default(dbgenerated("nextval('conv.seq_no'::regclass)"))
  @@map("seq")
  @@schema("conv")
}
$$),
(141, 'standalone sequence dropped after its reader', NULL,
pcu.ds() || $$
model Seq {
  id Int @id
  no Int @default(dbgenerated("nextval('conv.seq_no'::regclass)"))
  @@map("seq")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Seq {
  id Int @id
  @@map("seq")
  @@schema("conv")
}
$$),
(142, 'a serial column stated as nextval() of its own sequence: OWNED BY NONE once',
'CREATE SCHEMA conv; CREATE TABLE conv.ser (id serial PRIMARY KEY)',
pcu.ds() || $$
model Ser {
  id Int @id @default(autoincrement())
  @@map("ser")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Ser {
  id Int @id @default(dbgenerated("nextval('conv.ser_id_seq'::regclass)"))
  @@map("ser")
  @@schema("conv")
}
$$),
(143, 'keyless @@ignore table: a column and an index added (managed, as in Prisma)', NULL,
pcu.ds() || $$
model Log {
  line String
  @@ignore
  @@map("log")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Log {
  line  String
  level Int    @default(0)
  @@index([level])
  @@ignore
  @@map("log")
  @@schema("conv")
}
$$),
(144, 'unlogged and storage parameters added', NULL,
pcu.ds() || $$
model Ev {
  id Int @id
  @@map("ev")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Ev {
  id Int @id
  @@unlogged
  @@storage(fillfactor: 80, autovacuum_enabled: false)
  @@map("ev")
  @@schema("conv")
}
$$),
(145, 'storage parameters changed and removed, logged again', NULL,
pcu.ds() || $$
model Ev {
  id Int @id
  @@unlogged
  @@storage(fillfactor: 80, autovacuum_enabled: false)
  @@map("ev")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Ev {
  id Int @id
  @@storage(fillfactor: 60)
  @@map("ev")
  @@schema("conv")
}
$$),
(146, 'identity generation and options changed', NULL,
pcu.ds() || $$
model Idn {
  id Int @id @default(autoincrement())
  @@map("idn")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Idn {
  id Int @id @default(autoincrement()) @identity(always: true, start: 50, increment: 5, maxValue: 1000, cycle: true)
  @@map("idn")
  @@schema("conv")
}
$$),
(147, 'serial switched to identity, continuing the sequence',
'CREATE SCHEMA conv; CREATE TABLE conv.ser (id serial PRIMARY KEY); INSERT INTO conv.ser DEFAULT VALUES',
pcu.ds() || $$
model Ser {
  id Int @id @default(autoincrement())
  @@map("ser")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Ser {
  id Int @id @default(autoincrement()) @identity
  @@map("ser")
  @@schema("conv")
}
$$),
(148, 'column collation added, changed with the type, removed', NULL,
pcu.ds() || $$
model Col {
  id Int    @id
  a  String @collate("C")
  b  String @db.VarChar(10) @collate("POSIX")
  c  String @collate("C")
  @@map("col")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Col {
  id Int    @id
  a  String @collate("POSIX")
  b  String @collate("POSIX")
  c  String
  @@map("col")
  @@schema("conv")
}
$$),
(149, 'generated column: expression changed, generation added and removed', NULL,
pcu.ds() || $$
model Gen {
  id  Int @id
  a   Int
  g1  Int @generated("a * 2")
  g2  Int @generated("a + 1")
  p   Int
  @@map("gen")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Gen {
  id  Int @id
  a   Int
  g1  Int @generated("a * 3")
  g2  Int
  p   Int @generated("a - 1")
  @@map("gen")
  @@schema("conv")
}
$$),
(150, 'keyless @@ignore table: a column dropped (drop_column), another table dropped', NULL,
pcu.ds() || $$
model Log {
  line  String
  level Int    @default(0)
  @@index([level])
  @@ignore
  @@map("log")
  @@schema("conv")
}
model Stage {
  a Int?
  @@ignore
  @@map("stage")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Log {
  line String
  @@ignore
  @@map("log")
  @@schema("conv")
}
$$),
(151, 'exclusion constraints added, one with a predicate', NULL,
pcu.ds() || $$
model Bk {
  id     Int                      @id
  during Unsupported("tstzrange")
  seats  Unsupported("int4range")
  gone   Boolean                  @default(false)
  @@map("bk")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Bk {
  id     Int                      @id
  during Unsupported("tstzrange")
  seats  Unsupported("int4range")
  gone   Boolean                  @default(false)
  @@exclude([during(op: "&&"), seats(op: "&&")], where: "NOT gone")
  @@exclude([seats(op: "-|-")], type: SpGist, map: "bk_adjacent")
  @@map("bk")
  @@schema("conv")
}
$$),
(152, 'exclusion constraints changed (operator, predicate, method) and dropped', NULL,
pcu.ds() || $$
model Bk {
  id     Int                      @id
  during Unsupported("tstzrange")
  seats  Unsupported("int4range")
  gone   Boolean                  @default(false)
  @@exclude([during(op: "&&"), seats(op: "&&")], where: "NOT gone")
  @@exclude([seats(op: "-|-")], type: SpGist, map: "bk_adjacent")
  @@exclude([during(op: "&&")], map: "bk_during")
  @@map("bk")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Bk {
  id     Int                      @id
  during Unsupported("tstzrange")
  seats  Unsupported("int4range")
  gone   Boolean                  @default(false)
  @@exclude([during(op: "&&"), seats(op: "&&")])
  @@exclude([seats(op: "&&")], map: "bk_adjacent")
  @@map("bk")
  @@schema("conv")
}
$$),
(153, 'index element collations added, changed and removed, a sorted unique too', NULL,
pcu.ds() || $$
model Wd {
  id Int    @id
  a  String
  b  String
  c  String
  @@index([a])
  @@index([b(collate: "C")])
  @@unique([c(collate: "POSIX")])
  @@map("wd")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Wd {
  id Int    @id
  a  String
  b  String
  c  String
  @@index([a(collate: "C")])
  @@index([b(collate: "POSIX")])
  @@unique([c])
  @@map("wd")
  @@schema("conv")
}
$$),
(154, 'generated column with an index, a unique key and a CHECK: expression changed in one plan', NULL,
pcu.ds() || $$
model Ln {
  id    Int @id
  price Int
  qty   Int
  total Int @generated("price * qty")
  @@unique([id, total])
  @@index([total])
  @@check("total >= 0")
  @@map("ln")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Ln {
  id    Int @id
  price Int
  qty   Int
  total Int @generated("price * qty * 2")
  extra Int @generated("price + 1")
  @@unique([id, total])
  @@index([total])
  @@check("total >= 0")
  @@map("ln")
  @@schema("conv")
}
$$),
(155, 'identity added to a plain column, another one dropped (DROP IDENTITY keeps the values)', NULL,
pcu.ds() || $$
model Idn {
  id Int @id
  n  Int @default(autoincrement()) @identity(always: true)
  @@map("idn")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Idn {
  id Int @id @default(autoincrement()) @identity(start: 10)
  n  Int
  @@map("idn")
  @@schema("conv")
}
$$),
(156, 'column collation added to an existing column', NULL,
pcu.ds() || $$
model Col {
  id Int    @id
  a  String
  @@index([a])
  @@map("col")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Col {
  id Int    @id
  a  String @collate("C")
  @@index([a])
  @@map("col")
  @@schema("conv")
}
$$);

-- issue 14: partitioning and inheritance
INSERT INTO pcu.cases (id, title, setup, v1, v2) VALUES
(160, 'partitioned table with partitions and a sub-partitioned default added', NULL,
pcu.ds() || $$
model Ev {
  id  Int @id
  @@map("ev")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Ev {
  id  Int @id
  @@map("ev")
  @@schema("conv")
}
model Log {
  id   Int
  day  DateTime @db.Date
  kind String
  @@id([id, day, kind])
  @@index([kind])
  @@partitionBy(Range, [day])
  @@map("log")
  @@schema("conv")
}
model Log24 {
  @@partitionOf(Log, values: "FROM ('2024-01-01') TO ('2025-01-01')")
  @@map("log_24")
  @@schema("conv")
}
model LogRest {
  @@partitionOf(Log, values: default)
  @@partitionBy(List, [kind])
  @@map("log_rest")
  @@schema("conv")
}
model LogRestA {
  @@partitionOf(LogRest, values: "IN ('a')")
  @@map("log_rest_a")
  @@schema("conv")
}
$$),
(161, 'partition bound moved, partition moved to another parent, partition added and dropped, key changed', NULL,
pcu.ds() || $$
model Log {
  id   Int
  day  DateTime @db.Date
  kind String
  @@id([id, day, kind])
  @@partitionBy(Range, [day])
  @@map("log")
  @@schema("conv")
}
model Log24 {
  @@partitionOf(Log, values: "FROM ('2024-01-01') TO ('2025-01-01')")
  @@map("log_24")
  @@schema("conv")
}
model Log23 {
  @@partitionOf(Log, values: "FROM ('2023-01-01') TO ('2024-01-01')")
  @@map("log_23")
  @@schema("conv")
}
model Log22 {
  @@partitionOf(Log, values: "FROM ('2022-01-01') TO ('2023-01-01')")
  @@map("log_22")
  @@schema("conv")
}
model Tag {
  id   Int
  name String
  @@partitionBy(Hash, [id])
  @@map("tag")
  @@schema("conv")
}
model Tag0 {
  @@partitionOf(Tag, values: "WITH (MODULUS 1, REMAINDER 0)")
  @@map("tag_0")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Log {
  id   Int
  day  DateTime @db.Date
  kind String
  @@id([id, day, kind])
  @@partitionBy(Range, [day])
  @@map("log")
  @@schema("conv")
}
model Log24 {
  @@partitionOf(Log, values: "FROM ('2024-01-01') TO ('2026-01-01')")
  @@map("log_24")
  @@schema("conv")
}
model Log21 {
  @@partitionOf(Log, values: "FROM ('2021-01-01') TO ('2022-01-01')")
  @@map("log_21")
  @@schema("conv")
}
model Log22 {
  @@partitionOf(Old, values: "FROM ('2022-01-01') TO ('2023-01-01')")
  @@map("log_22")
  @@schema("conv")
}
model Old {
  id   Int
  day  DateTime @db.Date
  kind String
  @@id([id, day, kind])
  @@partitionBy(Range, [day])
  @@map("old")
  @@schema("conv")
}
model Tag {
  id   Int
  name String
  @@partitionBy(Hash, [raw("lower(name)")])
  @@map("tag")
  @@schema("conv")
}
model Tag0 {
  @@partitionOf(Tag, values: "WITH (MODULUS 1, REMAINDER 0)")
  @@map("tag_0")
  @@schema("conv")
}
$$),
(162, 'partitioned tree dropped', NULL,
pcu.ds() || $$
model Log {
  id   Int
  day  DateTime @db.Date
  @@id([id, day])
  @@partitionBy(Range, [day])
  @@map("log")
  @@schema("conv")
}
model LogA {
  @@partitionOf(Log, values: "FROM ('2024-01-01') TO ('2025-01-01')")
  @@partitionBy(Hash, [id])
  @@map("log_a")
  @@schema("conv")
}
model LogA0 {
  @@partitionOf(LogA, values: "WITH (MODULUS 1, REMAINDER 0)")
  @@map("log_a0")
  @@schema("conv")
}
$$, pcu.ds()),
(163, 'inheritance added: parent and children created parents first', NULL,
pcu.ds(), pcu.ds() || $$
model Base {
  id   Int    @id
  name String
  @@check("name <> ''")
  @@map("base")
  @@schema("conv")
}
model Mid {
  extra Int?
  @@inherits([Base])
  @@map("mid")
  @@schema("conv")
}
model Leaf {
  leaf String
  @@inherits(Mid)
  @@map("leaf")
  @@schema("conv")
}
$$),
(165, 'a plain table attached as a partition keeps its rows; its own key and index give way to the parent''s',
$$CREATE SCHEMA conv;
CREATE TABLE conv.log (id int NOT NULL, day date NOT NULL, CONSTRAINT log_pkey PRIMARY KEY (id, day)) PARTITION BY RANGE (day);
CREATE TABLE conv.log_2020 (id int NOT NULL, day date NOT NULL, CONSTRAINT log_2020_pkey PRIMARY KEY (id, day));
CREATE INDEX log_2020_day_idx ON conv.log_2020 (day);
INSERT INTO conv.log_2020 VALUES (1, '2020-03-01'), (2, '2020-04-01');$$,
pcu.ds() || $$
model Log {
  id  Int
  day DateTime @db.Date
  @@id([id, day])
  @@partitionBy(Range, [day])
  @@map("log")
  @@schema("conv")
}
model Log2020 {
  id  Int
  day DateTime @db.Date
  @@id([id, day])
  @@index([day])
  @@map("log_2020")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Log {
  id  Int
  day DateTime @db.Date
  @@id([id, day])
  @@partitionBy(Range, [day])
  @@map("log")
  @@schema("conv")
}
model Log2020 {
  @@partitionOf(Log, values: "FROM ('2020-01-01') TO ('2021-01-01')")
  @@map("log_2020")
  @@schema("conv")
}
$$),
(164, 'inheritance: parent column added, child re-parented, child dropped before its parent', NULL,
pcu.ds() || $$
model Base {
  id   Int    @id
  name String
  @@map("base")
  @@schema("conv")
}
model Other {
  id Int @id
  @@map("other")
  @@schema("conv")
}
model Mid {
  extra Int?
  @@inherits([Base])
  @@map("mid")
  @@schema("conv")
}
model Leaf {
  leaf String
  @@inherits([Mid, Other])
  @@map("leaf")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Base {
  id    Int    @id
  name  String
  added Int?
  @@map("base")
  @@schema("conv")
}
model Other {
  id Int @id
  @@map("other")
  @@schema("conv")
}
model Leaf {
  leaf String
  @@inherits([Other])
  @@map("leaf")
  @@schema("conv")
}
$$),
(166, 'defaults of the full expression grammar (NOT, AND, IN, IS, COLLATE, AT TIME ZONE): parenthesized where a column definition takes them', NULL,
pcu.ds() || $$
model Item {
  id Int @id
  @@schema("conv")
}
$$, pcu.ds() || $$
model Item {
  id     Int      @id
  active Boolean  @default(dbgenerated("NOT false"))
  label  String   @default(dbgenerated("'x' COLLATE \"C\""))
  @@schema("conv")
}
model Flag {
  id      Int      @id
  on_     Boolean  @default(dbgenerated("1 IN (1, 2) AND true")) @map("on")
  unknown Boolean? @default(dbgenerated("NULL IS NULL"))
  at      DateTime @default(dbgenerated("now() AT TIME ZONE 'utc'"))
  plain   Int      @default(dbgenerated("1 + 2"))
  @@schema("conv")
}
$$),
(167, 'a CHECK, an index predicate and a default changed to an AND whose first operand PostgreSQL expands into an AND (BETWEEN): the plan writes the server''s text, which it reads back flat', NULL,
pcu.ds() || $$
model Stock {
  id    Int     @id
  qty   Int
  label String
  ok    Boolean @default(dbgenerated("true"))
  @@check("qty > 0 AND label <> ''")
  @@index([qty], where: "qty > 0")
  @@schema("conv")
}
$$, pcu.ds() || $$
model Stock {
  id    Int     @id
  qty   Int
  label String
  ok    Boolean @default(dbgenerated("1 BETWEEN 0 AND 2 AND 3 NOT IN (1, 2)"))
  @@check("qty BETWEEN 0 AND 9 AND label::interval day to second > '1 day'")
  @@index([qty], where: "qty BETWEEN 0 AND 9 AND qty <> 5")
  @@schema("conv")
}
$$);

\set id 1
\i sql/plan_conv_step.psql
\set id 2
\i sql/plan_conv_step.psql
\set id 3
\i sql/plan_conv_step.psql
\set id 4
\i sql/plan_conv_step.psql
\set id 5
\i sql/plan_conv_step.psql
\set id 6
\i sql/plan_conv_step.psql
\set id 7
\i sql/plan_conv_step.psql
\set id 8
\i sql/plan_conv_step.psql
\set id 9
\i sql/plan_conv_step.psql
\set id 10
\i sql/plan_conv_step.psql
\set id 11
\i sql/plan_conv_step.psql
\set id 12
\i sql/plan_conv_step.psql
\set id 13
\i sql/plan_conv_step.psql
\set id 14
\i sql/plan_conv_step.psql
\set id 15
\i sql/plan_conv_step.psql
\set id 16
\i sql/plan_conv_step.psql
\set id 17
\i sql/plan_conv_step.psql
\set id 18
\i sql/plan_conv_step.psql
\set id 19
\i sql/plan_conv_step.psql
\set id 20
\i sql/plan_conv_step.psql
\set id 21
\i sql/plan_conv_step.psql
\set id 22
\i sql/plan_conv_step.psql
\set id 23
\i sql/plan_conv_step.psql
\set id 24
\i sql/plan_conv_step.psql
\set id 25
\i sql/plan_conv_step.psql
\set id 26
\i sql/plan_conv_step.psql
\set id 27
\i sql/plan_conv_step.psql
\set id 28
\i sql/plan_conv_step.psql
\set id 29
\i sql/plan_conv_step.psql
\set id 30
\i sql/plan_conv_step.psql
\set id 31
\i sql/plan_conv_step.psql
\set id 32
\i sql/plan_conv_step.psql
\set id 33
\i sql/plan_conv_step.psql
-- unmanaged objects of case 33 survived every plan
SELECT count(*) FROM pg_views WHERE schemaname = 'conv';
SELECT count(*) FROM pg_proc WHERE pronamespace = 'conv'::regnamespace;
SELECT count(*) FROM pg_class WHERE relnamespace = 'conv'::regnamespace AND relkind = 'S';
\set id 34
\i sql/plan_conv_step.psql
\set id 35
\i sql/plan_conv_step.psql
\set id 36
\i sql/plan_conv_step.psql
\set id 37
\i sql/plan_conv_step.psql
\set id 38
\i sql/plan_conv_step.psql
\set id 39
\i sql/plan_conv_step.psql
SELECT conname, contype FROM pg_constraint
 WHERE connamespace = 'conv'::regnamespace ORDER BY conname;
\set id 40
\i sql/plan_conv_step.psql
SET standard_conforming_strings = off;
\set id 41
\i sql/plan_conv_step.psql
WITH i AS (INSERT INTO conv.lits (id) VALUES (1) RETURNING *) SELECT a, b, c FROM i;
RESET standard_conforming_strings;
\set id 41
\i sql/plan_conv_step.psql
WITH i AS (INSERT INTO conv.lits (id) VALUES (2) RETURNING *)
SELECT a = E'back\\slash', b = E'\\''; DROP TABLE conv.lit; --', c = E'it''s "q" \\\\ $1'
  FROM i;
\set id 140
\i sql/plan_conv_step.psql
\set id 141
\i sql/plan_conv_step.psql
\set id 142
\i sql/plan_conv_step.psql
\set id 143
\i sql/plan_conv_step.psql
\set id 144
\i sql/plan_conv_step.psql
\set id 145
\i sql/plan_conv_step.psql
\set id 146
\i sql/plan_conv_step.psql
\set id 147
\i sql/plan_conv_step.psql
-- the identity continues after the serial sequence's value (1)
INSERT INTO conv.ser DEFAULT VALUES RETURNING id;
\set id 148
\i sql/plan_conv_step.psql
\set id 149
\i sql/plan_conv_step.psql
\set id 160
\i sql/plan_conv_step.psql
\set id 161
\i sql/plan_conv_step.psql
\set id 162
\i sql/plan_conv_step.psql
\set id 163
\i sql/plan_conv_step.psql
\set id 164
\i sql/plan_conv_step.psql
\set id 165
\i sql/plan_conv_step.psql
-- the attached table kept its rows, now seen through its parent
SELECT count(*) FROM conv.log;
\set id 166
\i sql/plan_conv_step.psql
-- the column's collation stayed its type's: COLLATE was the default's
SELECT attname, attcollation = 'pg_catalog."default"'::regcollation AS type_collation
FROM pg_attribute WHERE attrelid = 'conv.items'::regclass AND attname = 'label';
\set id 167
\i sql/plan_conv_step.psql
\set id 150
\i sql/plan_conv_step.psql
\set id 151
\i sql/plan_conv_step.psql
\set id 152
\i sql/plan_conv_step.psql
\set id 153
\i sql/plan_conv_step.psql
\set id 154
\i sql/plan_conv_step.psql
\set id 155
\i sql/plan_conv_step.psql
\set id 156
\i sql/plan_conv_step.psql
-- a CHECK naming a column the same plan drops, or none at all: refused
SELECT line, col, message FROM ferriorm_validate(pcu.ds() || $$
model Item {
  id    Int @id
  price Int
  @@check("price > 0 AND qty > 0")
  @@check("\"Price\" > 0")
  @@schema("conv")
}
$$);


SET client_min_messages = warning;
DROP SCHEMA IF EXISTS conv CASCADE;
DROP SCHEMA IF EXISTS conv_b CASCADE;
DROP SCHEMA IF EXISTS "Conv Quoted" CASCADE;
DROP SCHEMA pcu CASCADE;
RESET client_min_messages;
