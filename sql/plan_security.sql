--
-- plan_security: hazard figures never run someone else's code with the
-- caller's privileges, never count rows that row security hides as absent,
-- and never read a step out of its rendered DDL.
--
--  1. A low-privileged role owns a table and plants its own SECURITY
--     INVOKER function in a row-security policy, in a cast its enum has to
--     text, and in its domain's CHECK; the schema text's own CHECK calls it
--     too.  The function records who runs it, whether it runs inside a
--     security-restricted operation, and tries to grant its owner
--     CREATEROLE.  A superuser and a CREATEROLE role then plan: the
--     function only ever runs as its owner, restricted, and gains nothing.
--  2. Row security: FORCE ROW LEVEL SECURITY hides rows from the owner;
--     a caller who sees only some rows; an owner who revoked its own
--     SELECT; a caller who is not the owner.  Figures are "unknown" and
--     push refuses without allow_data_loss.
--  3. Names containing " USING (" and parentheses get exact figures.
--  4. push under REPEATABLE READ: figures of steps that lose data are
--     unknown (the snapshot predates the lock push takes).
--  5. Removing an enum value used by a table of another owner: unknown.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

CREATE ROLE regress_psec_attacker;
CREATE ROLE regress_psec_admin CREATEROLE;
CREATE ROLE regress_psec_owner;
CREATE ROLE regress_psec_member IN ROLE regress_psec_owner;
CREATE ROLE regress_psec_reader;
CREATE SCHEMA psec;
CREATE SCHEMA psec_ext;
GRANT USAGE, CREATE ON SCHEMA psec, psec_ext TO regress_psec_attacker, regress_psec_owner;
GRANT USAGE ON SCHEMA psec, psec_ext TO PUBLIC;

-- ---------- 1. the attack ----------
SET ROLE regress_psec_attacker;
CREATE TABLE psec_ext.calls (what text, who name, restricted boolean, escalated boolean);
GRANT INSERT, SELECT ON psec_ext.calls TO PUBLIC;
CREATE FUNCTION psec_ext.spy(what text) RETURNS boolean
LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  restricted boolean := false;
  escalated boolean := false;
BEGIN
  BEGIN
    -- refused inside a security-restricted operation
    EXECUTE 'CREATE TEMP TABLE psec_spy_probe (x int)';
    EXECUTE 'DROP TABLE psec_spy_probe';
  EXCEPTION WHEN insufficient_privilege THEN
    restricted := true;
  END;
  BEGIN
    EXECUTE 'ALTER ROLE regress_psec_attacker CREATEROLE';
    escalated := true;
  EXCEPTION WHEN insufficient_privilege THEN
    NULL;
  END;
  INSERT INTO psec_ext.calls VALUES (what, current_user, restricted, escalated);
  RETURN true;
END $$;
GRANT EXECUTE ON FUNCTION psec_ext.spy(text) TO PUBLIC;
CREATE TYPE psec_ext.mood AS ENUM ('1', '2', 'x');
CREATE FUNCTION psec_ext.mood_text(psec_ext.mood) RETURNS text
LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  PERFORM psec_ext.spy('cast');
  RETURN $1::name::text;
END $$;
CREATE CAST (psec_ext.mood AS text) WITH FUNCTION psec_ext.mood_text(psec_ext.mood);
CREATE DOMAIN psec_ext.pos_text AS text CHECK (psec_ext.spy('domain'));
CREATE TABLE psec.loot (
  id int PRIMARY KEY,
  m psec_ext.mood NOT NULL,
  d psec_ext.pos_text NOT NULL,
  gone text
);
INSERT INTO psec.loot SELECT i, '1', 'a', 'g' FROM generate_series(1, 3) i;
ALTER TABLE psec.loot ENABLE ROW LEVEL SECURITY;
CREATE POLICY spy_all ON psec.loot USING (psec_ext.spy('policy'));
GRANT SELECT ON psec.loot TO PUBLIC;
RESET ROLE;
TRUNCATE psec_ext.calls;

CREATE TABLE psec_text (name text PRIMARY KEY, body text);
GRANT SELECT ON psec_text TO PUBLIC;
INSERT INTO psec_text VALUES ('header', $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["psec"]
}
$$);
INSERT INTO psec_text SELECT 'loot', body || $$
model Loot {
  id   Int    @id
  m    Int
  d    String
  @@check("psec_ext.spy('check')")
  @@map("loot")
  @@schema("psec")
}
$$ FROM psec_text WHERE name = 'header';

-- the superuser plans: every planted function runs as its owner, restricted
SELECT step, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM psec_text WHERE name = 'loot'))
WHERE hazard IS NOT NULL ORDER BY step;
SELECT DISTINCT what, who, restricted, escalated FROM psec_ext.calls ORDER BY 1;
SELECT rolcreaterole FROM pg_roles WHERE rolname = 'regress_psec_attacker';
-- the caller's role and settings are back
SELECT current_user = session_user AS same_user, current_setting('search_path') AS search_path,
       current_setting('row_security') AS row_security;
TRUNCATE psec_ext.calls;

-- a CREATEROLE role that is not the owner: nothing of the owner's runs
SET ROLE regress_psec_admin;
SELECT step, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM psec_text WHERE name = 'loot'))
WHERE hazard IS NOT NULL ORDER BY step;
RESET ROLE;
SELECT count(*) AS calls FROM psec_ext.calls;
SELECT rolcreaterole FROM pg_roles WHERE rolname = 'regress_psec_attacker';

-- ---------- 2. row security and privileges ----------
SET ROLE regress_psec_owner;
CREATE TABLE psec.secret (id int PRIMARY KEY, v text);
INSERT INTO psec.secret SELECT i, 'v' FROM generate_series(1, 1000) i;
CREATE TABLE psec.empty (id int PRIMARY KEY);
ALTER TABLE psec.secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_even ON psec.secret USING (id % 2 = 0);
GRANT SELECT ON psec.secret, psec.empty TO regress_psec_reader;
RESET ROLE;
INSERT INTO psec_text SELECT 'nosecret', body || $$
model Empty {
  id Int @id
  @@map("empty")
  @@schema("psec")
}
$$ FROM psec_text WHERE name = 'header';
INSERT INTO psec_text SELECT 'noempty', body || $$
model Secret {
  id Int    @id
  v  String?
  @@map("secret")
  @@schema("psec")
}
$$ FROM psec_text WHERE name = 'header';
-- the attack's tables are not managed by these texts: leave them out
ALTER TABLE psec.loot SET SCHEMA psec_ext;

-- the owner bypasses its own policy (row security off): exact figure
SET ROLE regress_psec_owner;
SELECT step, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM psec_text WHERE name = 'nosecret'))
WHERE hazard IS NOT NULL ORDER BY step;
-- a reader who sees only half the rows is not told a count of what it sees
SET ROLE regress_psec_reader;
SELECT count(*) AS visible FROM psec.secret;
SELECT step, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM psec_text WHERE name = 'nosecret'))
WHERE hazard IS NOT NULL ORDER BY step;
RESET ROLE;

-- FORCE ROW LEVEL SECURITY hides the rows from the owner too: unknown, and
-- push refuses (it used to count 0 rows and drop the table)
ALTER TABLE psec.secret FORCE ROW LEVEL SECURITY;
SET ROLE regress_psec_owner;
ALTER POLICY only_even ON psec.secret USING (false);
SELECT count(*) AS visible_to_owner FROM psec.secret;
SELECT * FROM ferriorm_push((SELECT body FROM psec_text WHERE name = 'nosecret'));
-- a member of the owner role: the same
SET ROLE regress_psec_member;
SELECT * FROM ferriorm_push((SELECT body FROM psec_text WHERE name = 'nosecret'));
RESET ROLE;
SELECT count(*) AS rows_kept FROM psec.secret;

-- an owner who revoked its own SELECT: unknown, with the reason
ALTER TABLE psec.secret NO FORCE ROW LEVEL SECURITY;
SET ROLE regress_psec_owner;
REVOKE SELECT ON psec.secret FROM regress_psec_owner;
SELECT step, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM psec_text WHERE name = 'nosecret'))
WHERE hazard IS NOT NULL ORDER BY step;
SELECT * FROM ferriorm_push((SELECT body FROM psec_text WHERE name = 'nosecret'));
GRANT SELECT ON psec.secret TO regress_psec_owner;
RESET ROLE;
SELECT count(*) AS rows_kept FROM psec.secret;

-- an empty table is dropped without allow_data_loss: the figure is exact
SET ROLE regress_psec_owner;
SELECT * FROM ferriorm_push((SELECT body FROM psec_text WHERE name = 'noempty'));
RESET ROLE;
SELECT to_regclass('psec.empty') AS empty_table;

-- ---------- 3. names that look like DDL ----------
CREATE TABLE psec."t USING (x" (id int PRIMARY KEY, "c USING (y)" text, ")" text);
INSERT INTO psec."t USING (x" VALUES (1, '1', '10'), (2, '2', '20'), (3, 'x', 'y');
INSERT INTO psec_text SELECT 'names', body || $$
model T {
  id  Int @id
  c   Int @map("c USING (y)")
  p   Int @map(")")
  @@map("t USING (x")
  @@schema("psec")
}
$$ FROM psec_text WHERE name = 'noempty';
SELECT step, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM psec_text WHERE name = 'names'))
WHERE hazard IS NOT NULL ORDER BY step;
DROP TABLE psec."t USING (x";

-- ---------- 4. push under REPEATABLE READ ----------
CREATE TABLE psec.empty (id int PRIMARY KEY);
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT * FROM ferriorm_push((SELECT body FROM psec_text WHERE name = 'noempty'));
ROLLBACK;
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT * FROM ferriorm_push((SELECT body FROM psec_text WHERE name = 'noempty'));
ROLLBACK;
-- READ COMMITTED: exact, and nothing is lost
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT * FROM ferriorm_push((SELECT body FROM psec_text WHERE name = 'noempty'));
ROLLBACK;
-- plan (no locks) keeps counting under any isolation level
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT step, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM psec_text WHERE name = 'noempty'))
WHERE hazard IS NOT NULL ORDER BY step;
ROLLBACK;

-- ---------- 5. an enum used by a table of another owner ----------
DROP TABLE psec.empty;
CREATE TYPE psec.lvl AS ENUM ('lo', 'hi');
CREATE TABLE psec.graded (id int PRIMARY KEY, l psec.lvl);
INSERT INTO psec.graded VALUES (1, 'hi'), (2, 'lo');
ALTER TABLE psec.graded OWNER TO regress_psec_attacker;
INSERT INTO psec_text SELECT 'lvl', body || $$
enum Lvl {
  lo
  @@map("lvl")
  @@schema("psec")
}
model Graded {
  id Int  @id
  l  Lvl?
  @@map("graded")
  @@schema("psec")
}
$$ FROM psec_text WHERE name = 'noempty';
-- the superuser: exact
SELECT step, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM psec_text WHERE name = 'lvl'))
WHERE hazard IS NOT NULL ORDER BY step;
-- a role that owns the other tables but not that one: unknown, and push refuses
GRANT USAGE ON TYPE psec.lvl TO PUBLIC;
SET ROLE regress_psec_owner;
SELECT step, hazard, detail FROM ferriorm_plan_steps((SELECT body FROM psec_text WHERE name = 'lvl'))
WHERE hazard IS NOT NULL ORDER BY step;
SELECT * FROM ferriorm_push((SELECT body FROM psec_text WHERE name = 'lvl'));
RESET ROLE;

DROP SCHEMA psec CASCADE;
DROP SCHEMA psec_ext CASCADE;
DROP TABLE psec_text;
DROP OWNED BY regress_psec_attacker, regress_psec_owner, regress_psec_reader;
DROP ROLE regress_psec_attacker, regress_psec_admin, regress_psec_member,
  regress_psec_owner, regress_psec_reader;
