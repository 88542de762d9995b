-- The schema language: naming.  snake_case of model, field, enum and
-- variant names, and constraint/index names truncated to 63 bytes exactly
-- like PostgreSQL (also with multibyte characters, and with a number added
-- when a generated name is taken).  The same tables are then created by
-- hand, letting PostgreSQL choose every name: both schemas must have the
-- same constraint and index names.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
-- catalog views used below: what PostgreSQL actually created
CREATE SCHEMA lang_naming_cat;
CREATE FUNCTION lang_naming_cat.columns(nsp name)
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
CREATE FUNCTION lang_naming_cat.constraints(nsp name)
RETURNS TABLE ("table" name, name name, type "char", definition text)
LANGUAGE sql STABLE AS $f$
  SELECT c.relname, k.conname, k.contype, pg_catalog.pg_get_constraintdef(k.oid)
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = nsp
  ORDER BY c.relname, k.conname
$f$;
CREATE FUNCTION lang_naming_cat.indexes(nsp name)
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
CREATE FUNCTION lang_naming_cat.enums(nsp name)
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
CREATE FUNCTION lang_naming_cat.comments(nsp name)
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
SELECT * FROM lang_naming_cat.enums('lang_naming');
SELECT * FROM lang_naming_cat.columns('lang_naming');
SELECT * FROM lang_naming_cat.constraints('lang_naming');
SELECT * FROM lang_naming_cat.indexes('lang_naming');
SELECT * FROM lang_naming_cat.comments('lang_naming');
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
SELECT "table", name, type FROM lang_naming_cat.constraints('lang_naming_ref')
EXCEPT SELECT "table", name, type FROM lang_naming_cat.constraints('lang_naming');
SELECT "table", name, type FROM lang_naming_cat.constraints('lang_naming')
EXCEPT SELECT "table", name, type FROM lang_naming_cat.constraints('lang_naming_ref');
SELECT "table", index FROM lang_naming_cat.indexes('lang_naming_ref')
EXCEPT SELECT "table", index FROM lang_naming_cat.indexes('lang_naming');
SELECT "table", index FROM lang_naming_cat.indexes('lang_naming')
EXCEPT SELECT "table", index FROM lang_naming_cat.indexes('lang_naming_ref');
SET client_min_messages = warning;
DROP SCHEMA lang_naming_ref CASCADE;
DROP SCHEMA lang_naming CASCADE;
DROP SCHEMA lang_naming_cat CASCADE;
