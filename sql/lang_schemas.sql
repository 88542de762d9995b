-- The schema language: several schemas.  Models and enums choose their
-- schema with @@schema; relations and the implicit many-to-many join table
-- cross schemas.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
-- catalog views used below: what PostgreSQL actually created
CREATE SCHEMA lang_schemas_cat;
CREATE FUNCTION lang_schemas_cat.columns(nsp name)
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
CREATE FUNCTION lang_schemas_cat.constraints(nsp name)
RETURNS TABLE ("table" name, name name, type "char", definition text)
LANGUAGE sql STABLE AS $f$
  SELECT c.relname, k.conname, k.contype, pg_catalog.pg_get_constraintdef(k.oid)
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = nsp
  ORDER BY c.relname, k.conname
$f$;
CREATE FUNCTION lang_schemas_cat.indexes(nsp name)
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
CREATE FUNCTION lang_schemas_cat.enums(nsp name)
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
CREATE FUNCTION lang_schemas_cat.comments(nsp name)
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
SELECT * FROM lang_schemas_cat.enums('lang_app');
SELECT * FROM lang_schemas_cat.columns('lang_app');
SELECT * FROM lang_schemas_cat.constraints('lang_app');
SELECT * FROM lang_schemas_cat.indexes('lang_app');
SELECT * FROM lang_schemas_cat.comments('lang_app');
SELECT * FROM lang_schemas_cat.enums('lang_audit');
SELECT * FROM lang_schemas_cat.columns('lang_audit');
SELECT * FROM lang_schemas_cat.constraints('lang_audit');
SELECT * FROM lang_schemas_cat.indexes('lang_audit');
SELECT * FROM lang_schemas_cat.comments('lang_audit');
SET client_min_messages = warning;
DROP SCHEMA lang_audit CASCADE;
DROP SCHEMA lang_app CASCADE;
DROP SCHEMA lang_schemas_cat CASCADE;
