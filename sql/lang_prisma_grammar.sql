--
-- lang_prisma_grammar: where the prisma dialect accepts and rejects as
-- Prisma's validator (@prisma/prisma-schema-wasm, test/prisma) does, on
-- constructs the ferriorm dialect reads more freely: numbers with an
-- exponent, arguments and lists that span lines, the datasource's name as
-- the prefix of native types, the fields an index type takes, the
-- arguments of an index field that Prisma ignores, a block's "{" on a
-- line of its own, and members on the line of a "{".  Each
-- error names the line Prisma names.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA pgram;
CREATE TABLE pgram.s (id text PRIMARY KEY, txt text);
CREATE FUNCTION pgram.v(k text) RETURNS SETOF text LANGUAGE sql AS $$
  SELECT severity || ' ' || line || ':' || col || ': ' || message
    FROM ferriorm_validate((SELECT txt FROM pgram.s WHERE id = k))
$$;

-- numbers with an exponent: Prisma's grammar has none (the line is "not a
-- valid field or attribute definition"); the ferriorm dialect reads them
INSERT INTO pgram.s VALUES ('exp', $$datasource db {
  provider = "postgresql"
}
model A {
  id Int     @id
  f  Float   @default(1e10)
  g  Float   @default(1.5E-3)
  h  Float   @default(-2e-5)
  d  Decimal @default(12.5)
}
$$);
SET ferriorm.dialect = prisma;
SELECT pgram.v('exp');
SET ferriorm.dialect = ferriorm;
SELECT pgram.v('exp');

-- arguments or a list that span lines: Prisma keeps every field, attribute
-- and property on one line; the error is on the line the bracket opens
INSERT INTO pgram.s VALUES ('lines', $$generator client {
  provider        = "prisma-client-js"
  previewFeatures = [
    "views"
  ]
}
datasource db {
  provider = "postgresql"
}
model A {
  id Int    @id @default(
    autoincrement()
  )
  b  String @db.VarChar(10) @map(
    "bb")
  c  String

  @@index([
    b,
    c
  ])
}
enum E {
  A
  B @map(
    "b")
}
$$);
SET ferriorm.dialect = prisma;
SELECT pgram.v('lines');
SET ferriorm.dialect = ferriorm;
SELECT pgram.v('lines');
SET ferriorm.dialect = prisma;
-- a field attribute alone on the next line, and enum values on one line:
-- errors on their own line
SELECT severity || ' ' || line || ':' || col || ': ' || message FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model A {
  id Int @id
  b  String
    @unique
}
enum E {
  A B
}
$$);

-- native types take the datasource's name as prefix: datasource pg takes
-- @pg.VarChar and rejects @db.VarChar (Prisma: "The prefix db is invalid")
INSERT INTO pgram.s VALUES ('prefix', $$datasource pg {
  provider = "postgresql"
}
model A {
  id Int      @id
  a  String   @pg.VarChar(10)
  b  String   @db.VarChar(10)
  c  String   @foo.Text
  d  String   @pg.VarChr(10)
  e  Decimal  @pg.Decimal(2000, 1)
}
$$);
SELECT pgram.v('prefix');
SELECT ferriorm_diff(NULL, replace(replace((SELECT txt FROM pgram.s WHERE id = 'prefix'),
       '@db.VarChar(10)', '@pg.Text'), E'  c  String   @foo.Text\n  d  String   @pg.VarChr(10)\n  e  Decimal  @pg.Decimal(2000, 1)\n', ''));
-- with datasource db, @pg.VarChar is the error
UPDATE pgram.s SET txt = replace(txt, 'datasource pg', 'datasource db') WHERE id = 'prefix';
SELECT pgram.v('prefix');
-- the ferriorm dialect keeps @db.*
SET ferriorm.dialect = ferriorm;
SELECT pgram.v('prefix');
SET ferriorm.dialect = prisma;

-- the fields of an index against its type, as Prisma's PostgreSQL
-- connector checks them (raw operator classes are never checked)
INSERT INTO pgram.s VALUES ('idx', $$datasource db {
  provider = "postgresql"
}
model A {
  id Int      @id
  t  String
  n  Int
  j  Json
  ip String   @db.Inet
  x  String   @db.Xml
  ts DateTime
  l  Int[]
  @@index([n], type: Gin, map: "i1")
  @@index([t, n], type: SpGist, map: "i2")
  @@index([ts(ops: TimestampTzMinMaxOps)], type: Brin, map: "i3")
  @@index([n(ops: InetOps)], type: Gist, map: "i4")
  @@index([j(ops: ArrayOps)], type: Gin, map: "i5")
  @@index([t(ops: Int4BloomOps)], type: Brin, map: "i6")
  @@index([ip], type: Gist, map: "i7")
  @@unique([t(ops: raw("text_pattern_ops"))], map: "u1")
  @@index([x], map: "i8")
  @@index([t(length: 10)], map: "i9")
  @@index([t(ops: TextOps)], map: "i10")
}
$$);
SELECT pgram.v('idx');
-- what Prisma takes
SELECT count(*) AS errors FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
}
model A {
  id Int      @id
  t  String
  n  Int
  j  Json
  ip String   @db.Inet
  ts DateTime @db.Timestamptz(3)
  l  Int[]
  @@index([j(ops: JsonbPathOps)], type: Gin, map: "i1")
  @@index([l], type: Gin, map: "i2")
  @@index([t], type: SpGist, map: "i3")
  @@index([ts(ops: TimestampTzMinMaxOps)], type: Brin, map: "i4")
  @@index([n(ops: Int4BloomOps)], type: Brin, map: "i5")
  @@index([ip(ops: InetOps)], type: Gist, map: "i6")
  @@index([t(ops: raw("gin_trgm_ops"))], type: Gin, map: "i7")
  @@index([n(sort: Desc)], map: "i8")
}
$$) WHERE severity = 'error';
-- the ferriorm dialect leaves the fit of types to PostgreSQL
SET ferriorm.dialect = ferriorm;
SELECT pgram.v('idx');

-- arguments of an index, unique or key field that Prisma does not read
-- (any name but sort: and ops:, or no name): Prisma accepts and ignores
-- them (hatchet's id(order: Desc)); the prisma dialect warns and ignores
-- them, the ferriorm dialect refuses them
INSERT INTO pgram.s VALUES ('fieldargs', $$datasource db {
  provider = "postgresql"
}
model A {
  id Int @id
  a  Int
  b  Int
  @@index([a, id(order: Desc)], map: "i1")
  @@index([b(Desc)], map: "i2")
  @@unique([a(note: "x"), b(sort: Desc)], map: "u1")
}
model B {
  a Int
  b Int
  @@id([a(order: Desc), b])
}
$$);
SET ferriorm.dialect = prisma;
SELECT pgram.v('fieldargs');
SET client_min_messages = error;
SELECT l FROM regexp_split_to_table(
         ferriorm_diff(NULL, (SELECT txt FROM pgram.s WHERE id = 'fieldargs')), E'\n') AS l
 WHERE l LIKE '%INDEX%' OR l LIKE '%PRIMARY KEY%';
RESET client_min_messages;
SET ferriorm.dialect = ferriorm;
SELECT pgram.v('fieldargs');


-- names with Unicode letters (Prisma's grammar: general category L, in any
-- place of a name; digits only ASCII ones): names, quoting and Prisma's
-- layout, which pads names and types by their length in bytes; a space
-- separator (NO-BREAK SPACE here) is white space, as in Prisma
SET ferriorm.dialect = prisma;
INSERT INTO pgram.s VALUES ('unicode', $$datasource db {
  provider = "postgresql"
}
model Café {
  id Int @id
  naïve String @unique
  名前 String
  größe Größe @default(groß)
  x Int
  @@index([名前])
}
enum Größe {
  klein
  groß
}
$$);
UPDATE pgram.s SET txt = replace(txt, '\u00a0', U&'\00A0') WHERE id = 'unicode';
SELECT pgram.v('unicode');
SELECT ferriorm_format((SELECT txt FROM pgram.s WHERE id = 'unicode'));
SELECT ferriorm_diff(NULL, (SELECT txt FROM pgram.s WHERE id = 'unicode'));
-- the ferriorm dialect: snake_case lower-cases ASCII letters only, and its
-- own layout pads by characters
SET ferriorm.dialect = ferriorm;
SELECT pgram.v('unicode');
SELECT ferriorm_format((SELECT txt FROM pgram.s WHERE id = 'unicode'));
SELECT ferriorm_diff(NULL, (SELECT txt FROM pgram.s WHERE id = 'unicode'));
-- what is no letter ends a name (a combining mark, an Arabic-Indic digit,
-- an emoji), and columns count characters; a name's length counts bytes
-- (22 CJK letters are 66 bytes: shortened to 21 of them, 63 bytes, as
-- PostgreSQL shortens it in Prisma's DDL)
SET ferriorm.dialect = prisma;
INSERT INTO pgram.s VALUES ('notletters', $$datasource db {
  provider = "postgresql"
}
model A {
  id Int @id
  naïvé Int
  x٣ Int
  ab😀 Int
  名名名名名名名名名名名名名名名名名名名名名名 Int
}
$$);
UPDATE pgram.s SET txt = replace(txt, '\u0301', U&'\0301') WHERE id = 'notletters';
SELECT pgram.v('notletters');
-- Prisma's grammar takes "-" after a name's first character, and a leading
-- digit, but its validator only in a generator's or datasource's name and
-- keys; a leading "_" nowhere.  Both dialects, but "_" only in Prisma's.
INSERT INTO pgram.s VALUES ('odd', $$generator prisma-model-generator {
  provider    = "x"
  file-naming = "kebab"
}
generator 2nd- {
  provider = "y"
}
datasource db {
  provider = "postgresql"
}
model A {
  id    Int @id
  a-b   Int
  1c    Int
  _d    Int
  e     Int @default(1)
}
enum my-enum {
  X-Y
  2Z
}
$$);
SELECT pgram.v('odd');
SELECT ferriorm_format((SELECT txt FROM pgram.s WHERE id = 'odd'));
SET ferriorm.dialect = ferriorm;
SELECT pgram.v('odd');
SET ferriorm.dialect = prisma;

-- a block's "{" on the line after its name: Prisma refuses the line ("does
-- not start with any known Prisma schema keyword"); the ferriorm dialect
-- reads it
INSERT INTO pgram.s VALUES ('brace', $$datasource db
{
  provider = "postgresql"
}
model A
{
  id Int @id
}
enum E
{
  X
}
$$);
SELECT pgram.v('brace');
SET ferriorm.dialect = ferriorm;
SELECT pgram.v('brace');
SET ferriorm.dialect = prisma;

-- what follows a block's "{" on its line: Prisma's grammar skips the rest
-- of that line, so the prisma dialect leaves those members out too, with a
-- warning (here the enum is only B, and the default A is an error, as
-- Prisma says; model B has no key left), and "prisma format" drops them;
-- a comment there is fine; the ferriorm dialect reads the members
INSERT INTO pgram.s VALUES ('after_brace', $$datasource db { // the database
  provider = "postgresql"
}
enum E { A
  B
}
model M { @@index([e])
  id Int @id
  e  E   @default(A)
}
model B { id Int @id
  n Int
}
$$);
SELECT pgram.v('after_brace');
SELECT ferriorm_format(txt) FROM pgram.s WHERE id = 'after_brace';
SET ferriorm.dialect = ferriorm;
SELECT pgram.v('after_brace');
SET ferriorm.dialect = prisma;

RESET ferriorm.dialect;
SET client_min_messages = warning;
DROP SCHEMA pgram CASCADE;
RESET client_min_messages;
