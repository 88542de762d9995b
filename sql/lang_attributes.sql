-- The schema language: every field and block attribute, every kind of
-- default, Unsupported types and every index type, in a schema without a
-- datasource "schemas" list (objects go to the current schema).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
-- catalog listing functions (lang_cat.columns, constraints, indexes,
-- enums, comments): what PostgreSQL actually created
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/lang_catalog.psql
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
SELECT * FROM lang_cat.enums('lang_attributes');
SELECT * FROM lang_cat.columns('lang_attributes');
SELECT * FROM lang_cat.constraints('lang_attributes');
SELECT * FROM lang_cat.indexes('lang_attributes');
SELECT * FROM lang_cat.comments('lang_attributes');
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA lang_attributes CASCADE;
DROP SCHEMA lang_cat CASCADE;
RESET client_min_messages;

-- @unique(where: ...) on a field is a partial unique index, as @@unique's:
-- the predicate is never dropped for a plain UNIQUE constraint, and a plain
-- @@index on the column is not redundant with it
SELECT $$datasource db {
  provider = "postgresql"
}
model Voucher {
  id     Int     @id
  code   String? @unique(where: "region IS NULL")
  region String?
  @@index([code])
}
$$ AS s_voucher \gset
SELECT * FROM ferriorm_validate(:'s_voucher');
SELECT ferriorm_diff(NULL, :'s_voucher');
