--
-- security_review: attacks found by the 0.2.0 security review (sec3).
--
--  1. Parse analysis runs user code: a literal is converted with its
--     type's input function, and the input function of an array of a
--     domain checks the domain's CHECK constraints, which may call any
--     function.  A table owner plants such a domain; a superuser's plan
--     that normalizes a respelt default or parses a new CHECK for a hazard
--     figure used to run the owner's function as the superuser (it made
--     its owner a superuser).  Now the function runs as the table's owner,
--     restricted, and a caller without the owner's privileges does not
--     parse the text at all.
--  2. SQL text (dbgenerated, @@check, where:) must stay inside its clause.
--     Validation read a -- comment up to the next new line, PostgreSQL's
--     scanner ends it at a carriage return too: "1 --\r); DROP TABLE ...;
--     CREATE TABLE x (id int\n" was accepted, and push (without
--     allow_data_loss) dropped the victim table.
--  3. Resources: comparing two SQL texts of deeply nested parentheses
--     stripped the wrapping pairs one by one, rescanning the text each
--     time (quadratic), in the core, which cannot be cancelled: two 3 MB
--     defaults kept a backend of any role busy for hours, deaf to
--     statement_timeout and pg_cancel_backend.  Now linear.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

CREATE ROLE regress_srev_owner;
CREATE ROLE regress_srev_reader;
CREATE SCHEMA srev;
GRANT USAGE, CREATE ON SCHEMA srev TO regress_srev_owner;
GRANT USAGE ON SCHEMA srev TO regress_srev_reader;

-- ---------- 1. user code in parse analysis ----------
SET ROLE regress_srev_owner;
CREATE TABLE srev.calls (who name, restricted boolean, escalated boolean);
GRANT INSERT, SELECT ON srev.calls TO PUBLIC;
CREATE FUNCTION srev.spy(int) RETURNS boolean
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  restricted boolean := false;
  escalated boolean := false;
BEGIN
  BEGIN
    EXECUTE 'CREATE TEMP TABLE srev_spy_probe (x int)';
    EXECUTE 'DROP TABLE srev_spy_probe';
  EXCEPTION WHEN insufficient_privilege THEN
    restricted := true;
  END;
  BEGIN
    EXECUTE 'ALTER ROLE regress_srev_owner CREATEROLE';
    escalated := true;
  EXCEPTION WHEN insufficient_privilege THEN
    NULL;
  END;
  INSERT INTO srev.calls VALUES (current_user, restricted, escalated);
  RETURN true;
END $$;
CREATE DOMAIN srev.spyint AS int CHECK (srev.spy(VALUE));
CREATE TABLE srev.m (id int PRIMARY KEY, c srev.spyint[] DEFAULT '{1}');
INSERT INTO srev.m VALUES (1, '{1}');
GRANT SELECT ON srev.m TO regress_srev_reader;
RESET ROLE;
TRUNCATE srev.calls;

-- the schema respells the default (normalized: parsed against the column)
-- and adds a CHECK with such a literal (parsed for its hazard figure)
CREATE TEMP TABLE srev_text AS SELECT $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["srev"]
}
model Call {
  who        Unsupported("name")?
  restricted Boolean?
  escalated  Boolean?
  @@map("calls")
  @@schema("srev")
  @@ignore
}
model M {
  id Int                          @id
  c  Unsupported("srev.spyint[]")? @default(dbgenerated("'{2}'::srev.spyint[]"))
  @@check("c <> '{5}'::srev.spyint[]")
  @@map("m")
  @@schema("srev")
}
$$::text AS body;
GRANT SELECT ON srev_text TO PUBLIC;

-- the superuser plans: the domain's function runs only as its owner, restricted
SELECT step, action, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM srev_text)) ORDER BY step;
SELECT DISTINCT who, restricted, escalated FROM srev.calls ORDER BY 1;
SELECT rolcreaterole FROM pg_roles WHERE rolname = 'regress_srev_owner';
-- the caller's role and settings are back
SELECT current_user = session_user AS same_user, current_setting('search_path') AS search_path;
TRUNCATE srev.calls;

-- a role that may read the table but not act as its owner: nothing runs
SET ROLE regress_srev_reader;
SELECT step, action, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM srev_text)) ORDER BY step;
RESET ROLE;
SELECT count(*) AS calls FROM srev.calls;

-- ---------- 2. a carriage return ends a -- comment ----------
CREATE TABLE srev.victim (id int);
INSERT INTO srev.victim VALUES (1);
SELECT * FROM ferriorm_validate($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["srev"]
}
model T {
  id Int @id
  c  Int @default(dbgenerated("1 --\r); DROP TABLE srev.victim; CREATE TABLE srev.x (id int\n"))
  d  Int @default(dbgenerated("1 -- a comment\r\n + 2"))
  @@check("id > 0 --\r) ; SELECT (1\n")
  @@index([id], where: "id > 0 --\r) ; SELECT (1\n")
  @@schema("srev")
}
$$);
BEGIN;
SELECT * FROM ferriorm_push($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["srev"]
}
model T {
  id Int @id
  c  Int @default(dbgenerated("1 --\r); DROP TABLE srev.victim; CREATE TABLE srev.x (id int\n"))
  @@schema("srev")
}
$$);
ROLLBACK;
SELECT count(*) AS victim_rows FROM srev.victim;

-- a comma outside parentheses in a type or default rendered bare into
-- ALTER TABLE would add a sub-command the plan does not show (no hazard
-- counted, allow_data_loss bypassed): refused, at every such place
INSERT INTO srev.victim SELECT g FROM generate_series(1, 3) g;
SELECT line, col, message FROM ferriorm_validate($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["srev"]
}
model victim {
  id Int  @id
  x  Int? @default(dbgenerated("NULL, DROP COLUMN id"))
  y  Unsupported("integer, DROP COLUMN id")?
  z  Unsupported("numeric(10, 2)")? @default(dbgenerated("coalesce(NULL, 1.5)"))
  a  Int[] @default(dbgenerated("ARRAY[1, 2]"))
  b  String? @default(dbgenerated("'a, b'"))
  @@schema("srev")
}
$$) ORDER BY line, col;
BEGIN;
SELECT * FROM ferriorm_push($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["srev"]
}
model victim {
  id Int  @id
  x  Int? @default(dbgenerated("1, DROP COLUMN id"))
  @@schema("srev")
}
$$);
ROLLBACK;
SELECT count(id) AS victim_ids FROM srev.victim;

-- ---------- 3. nested parentheses: linear ----------
SELECT clock_timestamp() AS t0 \gset
SELECT length(ferriorm_diff(
  format($f$datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
model D {
  id Int @id @default(dbgenerated("%s1%s"))
}
$f$, repeat('(', 150000), repeat(')', 150000)),
  format($f$datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
model D {
  id Int @id @default(dbgenerated("%s2%s"))
}
$f$, repeat('(', 150000), repeat(')', 150000)))) > 0 AS diffed;
-- about 0.2 s; the quadratic stripping took over a minute
SELECT clock_timestamp() - :'t0'::timestamptz < interval '10 s' AS fast;

DROP SCHEMA srev CASCADE;
DROP TABLE srev_text;
DROP OWNED BY regress_srev_owner, regress_srev_reader;
DROP ROLE regress_srev_owner, regress_srev_reader;
