-- The schema language: naming.  snake_case of model, field, enum and
-- variant names, and constraint/index names truncated to 63 bytes exactly
-- like PostgreSQL (also with multibyte characters, and with a number added
-- when a generated name is taken).  The same tables are then created by
-- hand, letting PostgreSQL choose every name: both schemas must have the
-- same constraint and index names.
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
  schemas  = ["lang_naming"]
}

enum OrderStatus {
  InProgress
  HTTPError
  done
}

model HTTPRequestLog {
  requestID   Int         @id
  userAgent   String
  status      OrderStatus @default(InProgress)
  xmlBody     String?
}

model Order {
  id       Int     @map("identifier_of_the_order_yyyyyyyyyyyyyyyy") @id
  customer String  @map("customer_reference_zzzzzzzzzzzzzzzzzzzzz") @unique
  quantity Int     @map("quantity_qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq")
  price    Int     @map("unit_price_ppppppppppppppppppppppppppppp")
  product  Product @relation(fields: [quantity], references: [id])

  @@unique([quantity, price])
  @@index([customer, quantity])
  @@check("quantity_qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq > 0")
  @@check("quantity_qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq > unit_price_ppppppppppppppppppppppppppppp")
  @@map("orders_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
}

model Product {
  id      Int     @id
  orders  Order[]
  name    String  @map("ññññññññññññññññññññññññññññññ")
  place   Place   @relation(fields: [name], references: [label])

  @@unique([name])
  @@map("mééééééééééééééééééééééééééé_table")
}

model Place {
  label    String    @id @map("ññññññññññññññññññññññññññññññ")
  products Product[]
  @@map("mééééééééééééééééééééééééééé_table2")
}
$fm$::text AS schema;
-- valid: no diagnostics at all
SELECT * FROM ferriorm_validate((SELECT schema FROM src));
-- the DDL that creates it from nothing executes without error
DO $$ BEGIN EXECUTE ferriorm_diff(NULL, (SELECT schema FROM src)); END $$;
SELECT * FROM lang_cat.enums('lang_naming');
SELECT * FROM lang_cat.columns('lang_naming');
SELECT * FROM lang_cat.constraints('lang_naming');
SELECT * FROM lang_cat.indexes('lang_naming');
SELECT * FROM lang_cat.comments('lang_naming');
-- the reference: PostgreSQL's own choice of names
CREATE SCHEMA lang_naming_ref;
CREATE TABLE lang_naming_ref.h_t_t_p_request_logs (request_i_d integer PRIMARY KEY);
CREATE TABLE lang_naming_ref."orders_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" (
  "identifier_of_the_order_yyyyyyyyyyyyyyyy" integer PRIMARY KEY,
  "customer_reference_zzzzzzzzzzzzzzzzzzzzz" text NOT NULL UNIQUE,
  "quantity_qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq" integer NOT NULL,
  "unit_price_ppppppppppppppppppppppppppppp" integer NOT NULL,
  UNIQUE ("quantity_qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", "unit_price_ppppppppppppppppppppppppppppp"),
  CHECK (quantity_qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq > 0),
  CHECK (quantity_qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq > unit_price_ppppppppppppppppppppppppppppp)
);
CREATE INDEX ON lang_naming_ref."orders_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ("customer_reference_zzzzzzzzzzzzzzzzzzzzz", "quantity_qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq");
CREATE TABLE lang_naming_ref."mééééééééééééééééééééééééééé_table" (id integer PRIMARY KEY, "ññññññññññññññññññññññññññññññ" text NOT NULL, UNIQUE ("ññññññññññññññññññññññññññññññ"));
CREATE TABLE lang_naming_ref."mééééééééééééééééééééééééééé_table2" ("ññññññññññññññññññññññññññññññ" text PRIMARY KEY);
ALTER TABLE lang_naming_ref."orders_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ADD FOREIGN KEY ("quantity_qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq") REFERENCES lang_naming_ref."mééééééééééééééééééééééééééé_table";
ALTER TABLE lang_naming_ref."mééééééééééééééééééééééééééé_table" ADD FOREIGN KEY ("ññññññññññññññññññññññññññññññ") REFERENCES lang_naming_ref."mééééééééééééééééééééééééééé_table2";
-- every name PostgreSQL chose, ferriorm chose too, and no other
SELECT "table", name, type FROM lang_cat.constraints('lang_naming_ref')
EXCEPT SELECT "table", name, type FROM lang_cat.constraints('lang_naming');
SELECT "table", name, type FROM lang_cat.constraints('lang_naming')
EXCEPT SELECT "table", name, type FROM lang_cat.constraints('lang_naming_ref');
SELECT "table", index FROM lang_cat.indexes('lang_naming_ref')
EXCEPT SELECT "table", index FROM lang_cat.indexes('lang_naming');
SELECT "table", index FROM lang_cat.indexes('lang_naming')
EXCEPT SELECT "table", index FROM lang_cat.indexes('lang_naming_ref');
SET client_min_messages = warning;
DROP SCHEMA lang_naming_ref CASCADE;
DROP SCHEMA lang_naming CASCADE;
DROP SCHEMA lang_cat CASCADE;
