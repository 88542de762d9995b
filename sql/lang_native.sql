-- The schema language: every native type (@db.*), the default mapping of
-- every scalar type, and defaults on native types.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS citext;
RESET client_min_messages;
-- catalog views used below: what PostgreSQL actually created
CREATE SCHEMA lang_native_cat;
CREATE FUNCTION lang_native_cat.columns(nsp name)
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
CREATE FUNCTION lang_native_cat.constraints(nsp name)
RETURNS TABLE ("table" name, name name, type "char", definition text)
LANGUAGE sql STABLE AS $f$
  SELECT c.relname, k.conname, k.contype, pg_catalog.pg_get_constraintdef(k.oid)
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = nsp
  ORDER BY c.relname, k.conname
$f$;
CREATE FUNCTION lang_native_cat.indexes(nsp name)
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
CREATE FUNCTION lang_native_cat.enums(nsp name)
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
CREATE FUNCTION lang_native_cat.comments(nsp name)
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
  schemas  = ["lang_native"]
}

/// One column for every native type.
model NativeType {
  id        Int      @id @db.Integer
  text      String   @db.Text
  varchar   String   @db.VarChar(10)
  varcharN  String   @db.VarChar
  char      String   @db.Char(3)
  char1     String   @db.Char
  uuid      String   @db.Uuid
  inet      String   @db.Inet
  cidr      String   @db.Cidr
  citext    String   @db.Citext
  xml       String   @db.Xml
  bit       String   @db.Bit(8)
  bit1      String   @db.Bit
  varbit    String   @db.VarBit(16)
  varbitN   String   @db.VarBit
  small     Int      @db.SmallInt
  oid       Int      @db.Oid
  big       BigInt   @db.BigInt
  real      Float    @db.Real
  double    Float    @db.DoublePrecision
  decimal   Decimal  @db.Decimal(12, 4)
  decimalP  Decimal  @db.Decimal(5)
  numeric   Decimal  @db.Decimal
  money     Decimal  @db.Money
  ts        DateTime @db.Timestamp(6)
  tsPlain   DateTime @db.Timestamp
  tstz      DateTime @db.Timestamptz(0)
  tstzPlain DateTime @db.Timestamptz
  date      DateTime @db.Date
  time      DateTime @db.Time(2)
  timePlain DateTime @db.Time
  timetz    DateTime @db.Timetz(4)
  json      Json     @db.Json
  jsonb     Json     @db.JsonB
  bytea     Bytes    @db.ByteA
}

/// The default mapping of every scalar type.
model Scalar {
  id       Int      @id
  string   String
  int      Int
  bigint   BigInt
  float    Float
  decimal  Decimal
  boolean  Boolean
  dateTime DateTime
  json     Json
  bytes    Bytes
  optional String?
}

/// Defaults on native types: identity on smallint, uuid() on varchar.
model NativeDefault {
  id    Int      @id @default(autoincrement()) @db.SmallInt
  code  String   @default(uuid()) @db.VarChar(36)
  at    DateTime @default(now()) @db.Timestamp(3)
  day   DateTime @default(now()) @db.Date
}
$fm$::text AS schema;
-- valid: no diagnostics at all
SELECT * FROM ferriorm_validate((SELECT schema FROM src));
-- the DDL that creates it from nothing executes without error
DO $$ BEGIN EXECUTE ferriorm_diff(NULL, (SELECT schema FROM src)); END $$;
SELECT * FROM lang_native_cat.enums('lang_native');
SELECT * FROM lang_native_cat.columns('lang_native');
SELECT * FROM lang_native_cat.constraints('lang_native');
SELECT * FROM lang_native_cat.indexes('lang_native');
SELECT * FROM lang_native_cat.comments('lang_native');
SET client_min_messages = warning;
DROP SCHEMA lang_native CASCADE;
DROP SCHEMA lang_native_cat CASCADE;
DROP EXTENSION citext;
