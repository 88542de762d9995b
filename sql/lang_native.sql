-- The schema language: every native type (@db.*), the default mapping of
-- every scalar type, and defaults on native types.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS citext;
RESET client_min_messages;
-- catalog listing functions (lang_cat.columns, constraints, indexes,
-- enums, comments): what PostgreSQL actually created
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/lang_catalog.psql
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
SELECT * FROM lang_cat.enums('lang_native');
SELECT * FROM lang_cat.columns('lang_native');
SELECT * FROM lang_cat.constraints('lang_native');
SELECT * FROM lang_cat.indexes('lang_native');
SELECT * FROM lang_cat.comments('lang_native');
SET client_min_messages = warning;
DROP SCHEMA lang_native CASCADE;
DROP SCHEMA lang_cat CASCADE;
DROP EXTENSION citext;
