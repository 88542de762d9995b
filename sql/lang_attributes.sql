-- The schema language: every field and block attribute, every kind of
-- default, Unsupported types and every index type, in a schema without a
-- datasource "schemas" list (objects go to the current schema).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
-- catalog views used below: what PostgreSQL actually created
CREATE SCHEMA lang_attributes_cat;
CREATE FUNCTION lang_attributes_cat.columns(nsp name)
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
CREATE FUNCTION lang_attributes_cat.constraints(nsp name)
RETURNS TABLE ("table" name, name name, type "char", definition text)
LANGUAGE sql STABLE AS $f$
  SELECT c.relname, k.conname, k.contype, pg_catalog.pg_get_constraintdef(k.oid)
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = nsp
  ORDER BY c.relname, k.conname
$f$;
CREATE FUNCTION lang_attributes_cat.indexes(nsp name)
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
CREATE FUNCTION lang_attributes_cat.enums(nsp name)
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
CREATE FUNCTION lang_attributes_cat.comments(nsp name)
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
CREATE SCHEMA lang_attributes;
SET search_path = lang_attributes, public;
CREATE TEMP TABLE src AS SELECT $fm$datasource db {
  provider = "postgres"
  url      = "postgresql://localhost/app"
}

enum Level {
  Low
  MediumHigh
  Top @map("TOP!")
}

/// Every field attribute and every default.
model Item {
  id          BigInt   @id(map: "item_primary") @default(autoincrement())
  code        String   @unique(map: "item_code_unique") @default(uuid())
  token       String   @default(cuid())
  ref         String   @unique @default(uuid()) @db.Uuid
  label       String   @default("it's \"quoted\"") @map("item_label")
  note        String?  @default("")
  count       Int      @default(-1)
  bigCount    BigInt   @default(9223372036854775807)
  ratio       Float    @default(0.5)
  amount      Decimal  @default(12.50)
  enabled     Boolean  @default(true)
  level       Level    @default(MediumHigh)
  top         Level?   @default(Top)
  payload     Json     @default("{\"a\": [1, 2]}")
  blob        Bytes?
  seenAt      DateTime @default(now())
  changedAt   DateTime @updatedAt
  dueOn       DateTime @default("2030-01-01T00:00:00Z")
  lower       String   @default(dbgenerated("lower('ABC')"))
  geom        Unsupported("point")?
  circle      Unsupported("circle") @default(dbgenerated("'<(0,0),1>'::circle"))

  @@unique([count, ratio])
  @@unique([label, enabled], map: "label_enabled")
  @@index([seenAt(sort: Asc), label(sort: Desc)], map: "item_seen_label")
  @@index([payload], type: Gin)
  @@index([geom], type: Gist)
  @@index([seenAt], type: Brin)
  @@index([code], type: SpGist)
  @@index([note], where: "note IS NOT NULL")
  @@check("count >= -1")
  @@check("ratio BETWEEN 0 AND 1 AND count < 100")
  @@check("\"count\" <> 7")
  @@check("amount > 0", map: "positive_amount")
  @@map("catalog_items")
}
$fm$::text AS schema;
-- valid: no diagnostics at all
SELECT * FROM ferriorm_validate((SELECT schema FROM src));
-- the DDL that creates it from nothing executes without error
DO $$ BEGIN EXECUTE ferriorm_diff(NULL, (SELECT schema FROM src)); END $$;
SELECT * FROM lang_attributes_cat.enums('lang_attributes');
SELECT * FROM lang_attributes_cat.columns('lang_attributes');
SELECT * FROM lang_attributes_cat.constraints('lang_attributes');
SELECT * FROM lang_attributes_cat.indexes('lang_attributes');
SELECT * FROM lang_attributes_cat.comments('lang_attributes');
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA lang_attributes CASCADE;
DROP SCHEMA lang_attributes_cat CASCADE;
