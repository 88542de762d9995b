-- The schema language: invalid schemas and their exact diagnostics.
-- Every statement shows all the errors of one schema, in one pass, each
-- with its line and column.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

-- 1. no datasource at all
SELECT * FROM ferriorm_validate($$model User {
  id Int @id
}
$$);

-- 2. two datasources, wrong provider, missing url
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "mysql"
}
datasource other {
  provider = "postgresql"
  url      = "x"
}
model User {
  id Int @id
}
$$);

-- 3. datasource properties: unknown, duplicate, wrong kinds
SELECT * FROM ferriorm_validate($$datasource db {
  provider = postgresql
  url      = 42
  url      = "x"
  schemas  = "public"
  shadowUrl = "y"
}
model User {
  id Int @id
}
$$);

-- 4. schemas list: empty entries, duplicates, non-strings
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["app", "app", 3]
}
model User {
  id Int @id
  @@schema("app")
}
$$);

-- 5. several schemas: every model and enum needs @@schema
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "x"
  schemas  = ["app", "audit"]
}
enum Role {
  Member
}
model User {
  id   Int  @id
  role Role
}
model Log {
  id Int @id
  @@schema("audti")
}
$$);

-- 6. @@schema without datasource schemas
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id Int @id
  @@schema("app")
}
$$);

-- 7. unknown types, with suggestions
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int     @id
  name  Strin
  age   integer
  posts Pots[]
  role  Rol
}
enum Role {
  Member
}
model Post {
  id Int @id
}
$$);

-- 8. scalar lists and optional lists
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int      @id
  tags  String[]
  posts Post[]?
}
model Post {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
$$);

-- 9. duplicate models, enums and fields
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id   Int    @id
  name String
  name String
}
model User {
  id Int @id
}
enum User {
  A
}
enum String {
  A
}
$$);

-- 10. two fields mapped to the same column
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id        Int    @id
  firstName String @map("name")
  name      String
}
$$);

-- 11. two models mapped to the same table
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id Int @id
  @@map("people")
}
model Person {
  id Int @id
  @@map("people")
}
$$);

-- 12. no primary key or unique criterion
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model Log {
  message String
  email   String? @unique
}
$$);

-- 13. @id on an optional field, two @id fields, @id and @@id
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model A {
  id Int? @id
}
model B {
  x Int @id
  y Int @id
}
model C {
  x Int @id
  y Int
  @@id([x, y])
}
$$);

-- 14. unknown field and block attributes
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id @defualt(1)
  email String @uniq
  @@indx([email])
  @@ignore
}
$$);

-- 15. attribute given twice, bad arguments
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id @id
  email String @unique(name: "x") @map("a") @map("b")
  nick  String @map(42)
  @@map("users", "people")
}
$$);

-- 16. native type incompatible with the field type
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int      @id @db.VarChar(10)
  name  String   @db.Integer
  price Float    @db.Decimal(10, 2)
  at    DateTime @db.Text
  data  Json     @db.ByteA
}
$$);

-- 17. unknown native types, two native types
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id   Int    @id @db.Int
  name String @db.Varchar(20)
  nick String @db.Text @db.VarChar(5)
}
$$);

-- 18. native type arguments out of range
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id  Int      @id
  a   String   @db.VarChar(0)
  b   String   @db.VarChar(10485761)
  c   String   @db.Char(-1)
  d   Decimal  @db.Decimal(0, 0)
  e   Decimal  @db.Decimal(10, 11)
  f   Decimal  @db.Decimal(1001)
  g   DateTime @db.Timestamp(7)
  h   DateTime @db.Timetz(9)
  i   String   @db.Bit(0)
}
$$);

-- 19. native type argument count and kind
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id  Int      @id
  a   String   @db.Uuid(4)
  b   String   @db.VarChar(10, 2)
  c   String   @db.VarChar("ten")
  d   Decimal  @db.Decimal(10, 2, 1)
  e   DateTime @db.Timestamptz(1.5)
}
$$);

-- 20. autoincrement() on the wrong types
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id @default(autoincrement())
  name  String @default(autoincrement())
  num   Int?   @default(autoincrement())
  small Int    @default(autoincrement()) @db.Oid
}
$$);

-- 21. now(), uuid(), cuid() on the wrong types
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id  Int      @id
  a   String   @default(now())
  b   Int      @default(uuid())
  c   DateTime @default(cuid())
  d   String   @default(uuid()) @db.Inet
}
$$);

-- 22. unknown default functions and bad arguments
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id  Int      @id
  a   DateTime @default(nwo())
  b   String   @default(dbgenerated())
  c   DateTime @default(now(1))
  d   String   @default(dbgenerated(42))
}
$$);

-- 23. literal defaults that do not match the type
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id   Int      @id
  age  Int      @default("ten")
  big  BigInt   @default(9223372036854775808)
  num  Int      @default(2147483648)
  flag Boolean  @default("true")
  name String   @default(42)
  rate Float    @default(true)
  half Int      @default(1.5)
  blob Bytes    @default("AAA=")
  tiny Int      @default(40000) @db.SmallInt
}
$$);

-- 24. enum defaults: unknown values, quoted values
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
enum Role {
  Member
  Admin
}
model User {
  id    Int  @id
  role  Role @default(Admn)
  role2 Role @default("Admin")
}
$$);

-- 25. @updatedAt on non-DateTime, with @default
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id  Int      @id
  a   String   @updatedAt
  b   DateTime @updatedAt @default(now())
}
$$);

-- 26. field attributes on relation fields and @relation on scalar fields
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id @relation(fields: [id], references: [id])
  posts Post[] @unique
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id]) @default(1)
}
$$);

-- 27. missing back-relation
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id Int @id
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
$$);

-- 28. ambiguous relations between two models
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  posts Post[]
}
model Post {
  id       Int  @id
  authorId Int
  editorId Int
  author   User @relation(fields: [authorId], references: [id])
  editor   User @relation(fields: [editorId], references: [id])
}
$$);

-- 29. relation names that do not match
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  posts Post[] @relation("written")
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation("authored", fields: [authorId], references: [id])
}
$$);

-- 30. self-relation without its opposite, and three-way self-relation
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model Node {
  id       Int   @id
  parentId Int?
  parent   Node? @relation("tree", fields: [parentId], references: [id])
}
model Person {
  id      Int      @id
  bossId  Int?
  boss    Person?  @relation(fields: [bossId], references: [id])
  staff   Person[]
  friends Person[]
}
$$);

-- 31. one-to-many without fields, and fields on the list side
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  posts Post[] @relation(fields: [id], references: [authorId])
}
model Post {
  id       Int  @id
  authorId Int
  author   User
}
$$);

-- 32. fields and references: unknown names, counts, types
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  code  String @unique
  posts Post[]
  notes Note[]
  tags  Tag[]
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorID], references: [idd])
}
model Note {
  id       Int  @id
  a        Int
  b        Int
  user     User @relation(fields: [a, b], references: [id])
}
model Tag {
  id       Int  @id
  userCode Int
  user     User @relation(fields: [userCode], references: [code])
}
$$);

-- 33. references must be the primary key or a unique key
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  email String
  posts Post[]
}
model Post {
  id          Int    @id
  authorEmail String
  author      User   @relation(fields: [authorEmail], references: [email])
}
$$);

-- 34. fields or references missing, fields not a list
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  posts Post[]
  notes Note[]
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId])
}
model Note {
  id     Int  @id
  userId Int
  user   User @relation(fields: userId, references: [id])
}
$$);

-- 35. referential actions: unknown, SetNull on required fields
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  posts Post[]
  notes Note[]
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id], onDelete: Delete)
}
model Note {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id], onDelete: SetNull, onUpdate: Cascad)
}
$$);

-- 36. optional foreign key with a required relation field
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  posts Post[]
}
model Post {
  id       Int  @id
  authorId Int?
  author   User @relation(fields: [authorId], references: [id])
}
$$);

-- 37. one-to-one: fields on neither or both sides
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id      Int      @id
  profile Profile?
  account Account? @relation(fields: [id], references: [userId])
}
model Profile {
  id   Int  @id
  user User
}
model Account {
  id     Int  @id
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
}
$$);

-- 38. one-to-one: required back side, non-unique fields
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id      Int     @id
  profile Profile
  card    Card?
}
model Profile {
  id     Int  @id
  userId Int  @unique
  user   User @relation(fields: [userId], references: [id])
}
model Card {
  id     Int  @id
  userId Int
  user   User @relation(fields: [userId], references: [id])
}
$$);

-- 39. implicit many-to-many: with fields, and without a single-field @id
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model Post {
  id   Int   @id
  tags Tag[] @relation(fields: [id], references: [id])
}
model Tag {
  id    Int    @id
  posts Post[]
}
model A {
  x  Int
  y  Int
  bs B[]
  @@id([x, y])
}
model B {
  id Int @id
  as A[]
}
$$);

-- 40. referential actions on the side without fields
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  posts Post[] @relation(onDelete: Cascade)
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
$$);

-- 41. @@id, @@unique, @@index: unknown and relation fields, duplicates, empty lists
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  email String
  posts Post[]
  @@unique([emial])
  @@index([posts])
  @@index([email, email])
  @@unique([])
  @@index(email)
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id])
}
$$);

-- 42. @@index options: unknown type, sort on non-BTree, multi-column hash, bad sort
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  a     String
  b     String
  @@index([a], type: Btree)
  @@index([a(sort: Desc)], type: Hash)
  @@index([a, b], type: Hash)
  @@index([a(sort: Down)])
  @@unique([a(sort: Desc)])
  @@index([b], name: "x")
}
$$);

-- 43. @@check: missing or empty expression, bad map
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id  Int @id
  age Int
  @@check()
  @@check("")
  @@check(age > 0)
  @@check("age > 0", map: 1)
}
$$);

-- 44. enum problems: no values, duplicate values, clashing labels, bad attributes
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
enum Empty {
}
enum Role {
  Admin
  Admin
  ChiefEditor
  chief_editor
  Member @mapp("m")
  Guest @map("")
  @@index([x])
}
model User {
  id Int @id
}
$$);

-- 45. names longer than 63 bytes
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id Int @id
  veryLongFieldNameThatGoesOnAndOnAndOnAndOnAndOnAndOnAndOnAndOnForever String
  x  Int @map("this_column_name_is_definitely_longer_than_sixty_three_bytes_long")
  @@map("this_table_name_is_definitely_longer_than_sixty_three_bytes_for_sure")
}
$$);

-- 46. constraint name clashes after mapping
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  email String @unique(map: "user_key")
  name  String @unique(map: "user_key")
  @@index([name], map: "users_pkey")
}
model Post {
  id   Int @id(map: "users")
}
$$);

-- 47. foreign key name clash with map:
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  posts Post[] @relation("a")
  edits Post[] @relation("b")
}
model Post {
  id       Int  @id
  authorId Int
  editorId Int
  author   User @relation("a", fields: [authorId], references: [id], map: "fk")
  editor   User @relation("b", fields: [editorId], references: [id], map: "fk")
}
$$);

-- 48. enum type clashing with a table
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
enum Status {
  Open
  @@map("users")
}
model User {
  id     Int    @id
  status Status
}
$$);

-- 49. Unsupported without a type, with a native type, with a function default
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int @id
  a     Unsupported
  b     Unsupported(circle)
  c     Unsupported("circle") @db.Text
  d     Unsupported("circle") @default(now())
}
$$);

-- 50. reference type mismatch with an enum, fields naming relations
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
enum Kind {
  A
}
model User {
  id    Int    @id
  kind  Kind   @unique
  posts Post[]
  more  Note[]
}
model Post {
  id   Int  @id
  kind String
  user User @relation(fields: [kind], references: [kind])
}
model Note {
  id   Int  @id
  uid  Int
  user User @relation(fields: [user], references: [id])
}
$$);

-- 51. relation argument problems
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id    Int    @id
  posts Post[] @relation(name: 1)
}
model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id], foo: 1, fields: [id])
}
$$);

-- 52. syntax and semantic errors are reported together
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model User {
  id Int @id
  name String @default("unterminated)
  age Strin
}
$$);

-- 53. warnings only: the schema is valid, and its DDL can be generated
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model Team {
  org     String
  slug    String
  members Member[]
  @@id([org, slug])
  @@index([org, slug])
}
model Member {
  id       Int    @id
  teamOrg  String
  teamSlug String
  team     Team   @relation(fields: [teamOrg, teamSlug], references: [org, slug], onDelete: SetDefault)
  @@unique([teamSlug, teamOrg])
  @@index([teamSlug, teamOrg])
  @@index([teamOrg, teamSlug])
}
$$);
SELECT ferriorm_diff(NULL, $$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model Team {
  id Int @id
  @@index([id])
}
$$) IS NOT NULL AS has_ddl;

-- a schema with errors cannot be turned into DDL
SELECT ferriorm_diff(NULL, $$model User {
  id Strin @id
}
$$);

-- 54. literal defaults the column's type cannot store: PostgreSQL takes
-- them in CREATE TABLE and fails every insert that uses them
SELECT * FROM ferriorm_validate($$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}
model Price {
  id     Int     @id
  a      String  @db.VarChar(3) @default("äöü")
  b      String  @db.VarChar(3) @default("äöüx")
  c      String  @db.Char(2)    @default("ab    ")
  d      String  @db.Char(2)    @default("ab  c")
  e      Decimal @db.Decimal(3, 1) @default(99.94)
  f      Decimal @db.Decimal(3, 1) @default(99.95)
  g      Decimal @db.Decimal(3, 1) @default("-123.4")
  h      Decimal @db.Decimal(2, 2) @default(0.994)
  i      Decimal @db.Decimal(4, 0) @default(0.12e4)
  j      Decimal @default(1e1073741823)
  k      Float   @db.Real @default(3.4e38)
  l      Float   @db.Real @default(3.5e38)
  m      Float   @default(1e308)
  n      Float   @default(1e309)
  o      Float   @default(1e-400)
  tags   String[] @db.VarChar(2) @default(["ab", "abc"])
}
$$);

-- 55. a model of more columns than a PostgreSQL table holds (1,600)
SELECT severity, line, col, message FROM ferriorm_validate(
  e'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://localhost/app"\n}\nmodel Wide {\n  id Int @id\n'
  || (SELECT string_agg(format(e'  c%s Int?\n', i), '' ORDER BY i) FROM generate_series(1, 1600) i)
  || e'}\n');

-- 56. with the columns it inherits (merged by name), more than 1,600:
-- 1,000 of Base, 10 stated again by Child, 601 of its own
SELECT severity, line, col, message FROM ferriorm_validate(
  e'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://localhost/app"\n}\nmodel Base {\n  id Int @id\n'
  || (SELECT string_agg(format(e'  c%s Int?\n', i), '' ORDER BY i) FROM generate_series(1, 999) i)
  || e'}\nmodel Child {\n'
  || (SELECT string_agg(format(e'  c%s Int?\n', i), '' ORDER BY i) FROM generate_series(1, 10) i)
  || (SELECT string_agg(format(e'  d%s Int?\n', i), '' ORDER BY i) FROM generate_series(1, 601) i)
  || e'  @@inherits([Base])\n}\n');
