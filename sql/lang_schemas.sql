-- The schema language: several schemas.  Models and enums choose their
-- schema with @@schema; relations and the implicit many-to-many join table
-- cross schemas.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
-- catalog listing functions (lang_cat.columns, constraints, indexes,
-- enums, comments): what PostgreSQL actually created
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/lang_catalog.psql
CREATE TEMP TABLE src AS SELECT $fm$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
  schemas  = ["lang_app", "lang_audit"]
}

enum Action {
  Insert
  Update
  Delete

  @@schema("lang_audit")
}

model Account {
  id     Int     @id @default(autoincrement())
  email  String  @unique
  events Event[]

  @@schema("lang_app")
}

model Event {
  id        BigInt   @id @default(autoincrement())
  action    Action
  account   Account  @relation(fields: [accountId], references: [id], onDelete: Cascade)
  accountId Int
  at        DateTime @default(now())

  @@index([accountId, at])
  @@schema("lang_audit")
  @@map("account_events")
}

model Label {
  id       Int     @id
  name     String
  projects Project[]

  @@schema("lang_audit")
}

model Project {
  id     Int     @id
  labels Label[]

  @@schema("lang_app")
}
$fm$::text AS schema;
-- valid: no diagnostics at all
SELECT * FROM ferriorm_validate((SELECT schema FROM src));
-- the DDL that creates it from nothing executes without error
DO $$ BEGIN EXECUTE ferriorm_diff(NULL, (SELECT schema FROM src)); END $$;
SELECT * FROM lang_cat.enums('lang_app');
SELECT * FROM lang_cat.columns('lang_app');
SELECT * FROM lang_cat.constraints('lang_app');
SELECT * FROM lang_cat.indexes('lang_app');
SELECT * FROM lang_cat.comments('lang_app');
SELECT * FROM lang_cat.enums('lang_audit');
SELECT * FROM lang_cat.columns('lang_audit');
SELECT * FROM lang_cat.constraints('lang_audit');
SELECT * FROM lang_cat.indexes('lang_audit');
SELECT * FROM lang_cat.comments('lang_audit');
SET client_min_messages = warning;
DROP SCHEMA lang_audit CASCADE;
DROP SCHEMA lang_app CASCADE;
DROP SCHEMA lang_cat CASCADE;
