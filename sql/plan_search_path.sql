--
-- plan_search_path: a hostile search_path.  A schema listed before
-- pg_catalog holds look-alikes of the operators and functions the plan's
-- internal catalog and hazard queries use (exact-match operators such as
-- =(oid,regclass) win over pg_catalog's =(oid,oid) even when pg_catalog
-- comes first); each bumps a counter when called.  ferriorm_plan,
-- ferriorm_plan_steps, ferriorm_push and verification must never call them,
-- and must produce the same plans and hazard figures as with a plain
-- search_path.  The statements push applies run on the plan's path too,
-- so the text's expressions resolve as the plan resolved them (a
-- look-alike lower(), at the end).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

CREATE SCHEMA psp_evil;
CREATE SEQUENCE psp_evil.calls;
CREATE FUNCTION psp_evil.bump() RETURNS void LANGUAGE plpgsql AS
$$BEGIN PERFORM pg_catalog.nextval('psp_evil.calls'::pg_catalog.regclass); END$$;
CREATE FUNCTION psp_evil.ncalls() RETURNS bigint LANGUAGE sql AS
$$SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM psp_evil.calls$$;

-- look-alike operators: same result as pg_catalog's, plus a bump
DO $$
DECLARE
  o record;
  n int := 0;
BEGIN
  FOR o IN SELECT * FROM (VALUES
    ('=', 'oid', 'oid', 'boolean'),
    ('=', 'oid', 'regclass', 'boolean'),
    ('=', 'regclass', 'oid', 'boolean'),
    ('=', 'oid', 'integer', 'boolean'),
    ('=', 'name', 'name', 'boolean'),
    ('=', 'text', 'text', 'boolean'),
    ('=', '"char"', '"char"', 'boolean'),
    ('=', 'smallint', 'smallint', 'boolean'),
    ('=', 'smallint', 'integer', 'boolean'),
    ('=', 'integer', 'integer', 'boolean'),
    ('=', 'bigint', 'bigint', 'boolean'),
    ('=', 'character varying', 'character varying', 'boolean'),
    ('<>', 'text', 'text', 'boolean'),
    ('>', 'smallint', 'integer', 'boolean'),
    ('>', 'bigint', 'integer', 'boolean'),
    ('>', 'integer', 'integer', 'boolean'),
    ('-', 'integer', 'integer', 'integer')) v(op, l, r, res)
  LOOP
    n := n + 1;
    EXECUTE format('CREATE FUNCTION psp_evil.op%s(%s, %s) RETURNS %s LANGUAGE sql AS '
                   '$f$SELECT psp_evil.bump(); SELECT $1 OPERATOR(pg_catalog.%s) $2$f$',
                   n, o.l, o.r, o.res, o.op);
    EXECUTE format('CREATE OPERATOR psp_evil.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = psp_evil.op%s)',
                   o.op, o.l, o.r, n);
  END LOOP;
END
$$;

-- look-alike functions and aggregates
CREATE FUNCTION psp_evil.format_type(oid, integer) RETURNS text LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.format_type($1, $2)$$;
CREATE FUNCTION psp_evil.pg_get_expr(pg_node_tree, oid) RETURNS text LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.pg_get_expr($1, $2)$$;
CREATE FUNCTION psp_evil.pg_get_indexdef(oid, integer, boolean) RETURNS text LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.pg_get_indexdef($1, $2, $3)$$;
CREATE FUNCTION psp_evil.pg_indexam_has_property(oid, text) RETURNS boolean LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.pg_indexam_has_property($1, $2)$$;
CREATE FUNCTION psp_evil.unnest(smallint[]) RETURNS SETOF smallint LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.unnest($1)$$;
CREATE FUNCTION psp_evil.unnest(int2vector) RETURNS SETOF smallint LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.unnest($1::smallint[])$$;
CREATE FUNCTION psp_evil.generate_series(integer, integer) RETURNS SETOF integer LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.generate_series($1, $2)$$;
CREATE FUNCTION psp_evil.generate_series(integer, smallint) RETURNS SETOF integer LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.generate_series($1, $2::integer)$$;
CREATE FUNCTION psp_evil.nextval(regclass) RETURNS bigint LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.nextval($1)$$;
CREATE FUNCTION psp_evil.count_sf(bigint) RETURNS bigint LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT $1 OPERATOR(pg_catalog.+) 1$$;
CREATE FUNCTION psp_evil.count_sf(bigint, anyelement) RETURNS bigint LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT $1 OPERATOR(pg_catalog.+) 1$$;
CREATE AGGREGATE psp_evil.count(*) (SFUNC = psp_evil.count_sf, STYPE = bigint, INITCOND = '0');
CREATE AGGREGATE psp_evil.count(anyelement) (SFUNC = psp_evil.count_sf, STYPE = bigint, INITCOND = '0');
CREATE FUNCTION psp_evil.sum_sf(numeric, bigint) RETURNS numeric LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.coalesce($1, 0) OPERATOR(pg_catalog.+) $2$$;
CREATE AGGREGATE psp_evil.sum(bigint) (SFUNC = psp_evil.sum_sf, STYPE = numeric);
CREATE FUNCTION psp_evil.aa_sf(anyarray, anynonarray) RETURNS anyarray LANGUAGE sql AS
$$SELECT psp_evil.bump(); SELECT pg_catalog.array_append($1, $2)$$;
CREATE AGGREGATE psp_evil.array_agg(anynonarray) (SFUNC = psp_evil.aa_sf, STYPE = anyarray);

-- the schemas, as text; psql variables, so that the test's own queries
-- need no operator
SELECT $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["psp"]
}
$$ AS ds \gset
SELECT :'ds' || $$
enum Color {
  red
  green
  blue
  @@schema("psp")
}
model Owner {
  id    Int    @id @default(autoincrement())
  name  String @unique @db.VarChar(40)
  items Item[]
  @@schema("psp")
}
model Gone {
  id Int @id
  @@schema("psp")
}
model Link {
  id      Int @id
  ownerId Int
  @@schema("psp")
}
model Item {
  id      Int      @id @default(autoincrement())
  ownerId Int
  owner   Owner    @relation(fields: [ownerId], references: [id], onDelete: Cascade)
  code    String   @db.VarChar(20)
  color   Color    @default(red)
  qty     Int      @default(0)
  old     String?
  maybe   String?
  txt     String
  note    String   @default("n/a")
  created DateTime @default(now()) @db.Timestamptz(3)
  deleted Boolean  @default(false)
  @@index([code(sort: Desc), qty])
  @@index([code], map: "item_live_code", where: "NOT deleted AND qty >= 0")
  @@check("qty >= 0")
  @@schema("psp")
}
$$ AS v1 \gset
SELECT :'ds' || $$
enum Color {
  red
  blue
  @@schema("psp")
}
model Owner {
  id    Int    @id @default(autoincrement())
  name  String @unique @db.VarChar(40)
  items Item[]
  refs  Ref[]
  links Link[]
  @@schema("psp")
}
model Link {
  id      Int   @id
  ownerId Int
  owner   Owner @relation(fields: [ownerId], references: [id])
  @@schema("psp")
}
model Item {
  id      Int      @id @default(autoincrement())
  ownerId Int
  owner   Owner    @relation(fields: [ownerId], references: [id], onDelete: Cascade)
  code    String   @unique @db.VarChar(10)
  color   Color    @default(red)
  qty     Int      @default(0)
  maybe   String
  txt     Int
  note    String   @default("n/a")
  created DateTime @default(now()) @db.Timestamptz(3)
  deleted Boolean  @default(false)
  @@index([code(sort: Desc), qty])
  @@index([code], map: "item_live_code", where: "NOT deleted AND qty >= 0")
  @@check("qty >= 0")
  @@check("qty <= 100", map: "item_qty_max")
  @@schema("psp")
}
model Ref {
  id      Int   @id
  ownerId Int
  owner   Owner @relation(fields: [ownerId], references: [id])
  @@schema("psp")
}
$$ AS v2 \gset

-- v1, built with a plain search_path, plus an expression index and data
SELECT count(*) > 0 AS created FROM ferriorm_push(:'v1');
CREATE INDEX items_lower_code ON psp.items (lower(code), qty);
INSERT INTO psp.owners (name) VALUES ('ann'), ('bob');
INSERT INTO psp.gones VALUES (1), (2);
INSERT INTO psp.links VALUES (1, 1), (2, 9);
INSERT INTO psp.items (owner_id, code, color, qty, old, maybe, txt) VALUES
  (1, 'a', 'red', 1, 'x', 'm', '1'),
  (1, 'a', 'green', 2, NULL, NULL, '2'),
  (2, 'abcdefghijkl', 'green', 3, 'y', 'm', 'x'),
  (2, 'b', 'blue', 200, NULL, 'm', '4');
CREATE TEMP TABLE psp_plain AS
SELECT * FROM ferriorm_plan_steps(:'v2');
SELECT ferriorm_plan(:'v2') AS plain_plan \gset

-- the look-alikes do fire when a query resolves names on this search_path
SET search_path = psp_evil, pg_catalog, public;
SELECT 1::oid = 1::oid AS oid_eq, 'a'::text = 'a' AS text_eq, 2::smallint > 1 AS int2_gt;
SELECT psp_evil.ncalls() AS calls;
SELECT pg_catalog.setval('psp_evil.calls', 1, false);

-- planning: v1 (the live database, but for the expression index added by
-- plain SQL), then v2 with every hazard figure
SELECT ferriorm_plan(:'v1');
SELECT step, action, object, hazard, detail FROM ferriorm_plan_steps(:'v2')
WHERE hazard IS NOT NULL;
SELECT ferriorm_plan(:'v2') OPERATOR(pg_catalog.=) :'plain_plan' AS same_plan;
SELECT pg_catalog.count(*) AS differing_steps FROM (
  (TABLE psp_plain EXCEPT ALL SELECT * FROM ferriorm_plan_steps(:'v2'))
  UNION ALL
  (SELECT * FROM ferriorm_plan_steps(:'v2') EXCEPT ALL TABLE psp_plain)) d;
SELECT psp_evil.ncalls() AS calls_planning;

-- verification: applies the plan (with the caller's search_path) and
-- plans again; here the enum recreation fails on the rows using 'green'
SELECT ferriorm_plan(:'v2', verify => true);
-- push refuses steps that will fail, with the figures
SELECT ferriorm_push(:'v2');
SELECT psp_evil.ncalls() AS calls_verify_push;
-- the caller's search_path is back (plan_errors: after errors too)
SELECT pg_catalog.current_setting('search_path') AS search_path;

-- fix the data, then push and verify the result
RESET search_path;
UPDATE psp.items SET color = 'red' WHERE color = 'green';
DELETE FROM psp.links WHERE owner_id = 9;
UPDATE psp.items SET code = 'e' WHERE id = 2;
UPDATE psp.items SET maybe = 'm' WHERE maybe IS NULL;
UPDATE psp.items SET txt = '3' WHERE txt = 'x';
UPDATE psp.items SET code = 'c' WHERE length(code) > 10;
UPDATE psp.items SET code = 'd', qty = 5 WHERE qty = 200;
SET search_path = psp_evil, pg_catalog, public;
SELECT pg_catalog.setval('psp_evil.calls', 1, false);
SELECT step, hazard, detail FROM ferriorm_plan_steps(:'v2') WHERE hazard IS NOT NULL;
SELECT ferriorm_plan(:'v2', verify => true) OPERATOR(pg_catalog.<>) '' AS verified_nonempty;
SELECT ferriorm_push(:'v2', allow_data_loss => true);
SELECT ferriorm_plan(:'v2') AS after_push;
SELECT ferriorm_plan(:'v2', verify => true) AS after_push_verified;
SELECT psp_evil.ncalls() AS calls_push;
RESET search_path;

-- the statements push applies resolve the text's expressions on the
-- plan's path, as the plan and its figures did: a look-alike of lower()
-- listed before pg_catalog is neither called nor put into the CHECK
CREATE FUNCTION psp_evil.lower(text) RETURNS text LANGUAGE plpgsql AS
$$BEGIN PERFORM psp_evil.bump(); RETURN pg_catalog.lower($1); END$$;
SELECT pg_catalog.replace(:'v2', '@@check("qty >= 0")',
  '@@check("qty >= 0")' || E'\n  @@check("lower(code) = code", map: "item_code_lower")') AS v3 \gset
SET search_path = psp_evil, pg_catalog, public;
SELECT pg_catalog.setval('psp_evil.calls', 1, false);
SELECT ferriorm_push(:'v3');
SELECT psp_evil.ncalls() AS calls_push_check;
RESET search_path;
SELECT count(*) AS check_calls_look_alike
FROM pg_constraint c
JOIN pg_depend d ON d.classid = 'pg_constraint'::regclass AND d.objid = c.oid
JOIN pg_proc p ON d.refclassid = 'pg_proc'::regclass AND p.oid = d.refobjid
WHERE c.conname = 'item_code_lower' AND p.pronamespace = 'psp_evil'::regnamespace;
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'item_code_lower';

SELECT id, owner_id, code, color, qty, maybe, txt FROM psp.items ORDER BY id;

DROP TABLE psp_plain;
SET client_min_messages = warning;
DROP SCHEMA psp CASCADE;
DROP SCHEMA psp_evil CASCADE;
RESET client_min_messages;
