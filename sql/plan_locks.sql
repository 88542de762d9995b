--
-- plan_locks: the lock, rewrite and scan facts of every step kind, checked
-- against pg_locks.  Each step of a plan runs in a subtransaction (after
-- the steps before it) and the locks it newly holds are read from pg_locks
-- for this backend: the strongest mode per table (ACCESS SHARE aside; an
-- index when the step locks no table), compared with the plan's lock; a
-- step that takes no lock its predecessors do not hold already is compared
-- on what is held after it.  A rewrite is a new relfilenode.  CREATE/DROP
-- INDEX CONCURRENTLY cannot run in a transaction block: test/scripts/
-- plan_online.sh reads their locks from another session; the step after a
-- CREATE UNIQUE INDEX CONCURRENTLY (ADD CONSTRAINT ... USING INDEX) is
-- checked here once the index build has run at top level.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

CREATE SCHEMA plk;
CREATE TABLE plk.p (id int PRIMARY KEY, v int);
CREATE TABLE plk.c (id int PRIMARY KEY, pid int NOT NULL, w int, s varchar(10), n int,
  CONSTRAINT c_n_check CHECK (n > 0),
  CONSTRAINT c_pid_fkey FOREIGN KEY (pid) REFERENCES plk.p(id) ON UPDATE CASCADE ON DELETE RESTRICT);
CREATE INDEX c_w_idx ON plk.c (w);
CREATE TABLE plk.g (id int PRIMARY KEY);
INSERT INTO plk.p VALUES (1, 1);
INSERT INTO plk.c VALUES (1, 1, 1, 'a', 1);

CREATE TABLE plk_steps (step int, ddl text, lock text, rewrite boolean, scan boolean);

CREATE FUNCTION plk_mode(m text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT upper(regexp_replace(regexp_replace(m, 'Lock$', ''), '([a-z])([A-Z])', '\1 \2', 'g'))
$$;
CREATE FUNCTION plk_rank(m text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
  SELECT array_position(ARRAY['AccessShareLock', 'RowShareLock', 'RowExclusiveLock',
    'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
    'AccessExclusiveLock'], m)
$$;

-- the locks step stepno newly takes (all it holds after it, when only_new
-- is false), as the plan spells them
CREATE FUNCTION plk_held(stepno int, only_new boolean DEFAULT true) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r record;
  observed text;
BEGIN
  BEGIN
    CREATE TEMP TABLE plk_rel ON COMMIT DROP AS
      SELECT c.oid, c.relname, c.relkind FROM pg_class c WHERE c.relnamespace = 'plk'::regnamespace;
    FOR r IN SELECT * FROM plk_steps WHERE step < stepno ORDER BY step LOOP
      EXECUTE r.ddl;
    END LOOP;
    INSERT INTO plk_rel SELECT c.oid, c.relname, c.relkind FROM pg_class c
      WHERE c.relnamespace = 'plk'::regnamespace AND c.oid NOT IN (SELECT oid FROM plk_rel);
    CREATE TEMP TABLE plk_before ON COMMIT DROP AS
      SELECT relation, mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation IS NOT NULL;
    EXECUTE (SELECT ddl FROM plk_steps WHERE step = stepno);
    INSERT INTO plk_rel SELECT c.oid, c.relname, c.relkind FROM pg_class c
      WHERE c.relnamespace = 'plk'::regnamespace AND c.oid NOT IN (SELECT oid FROM plk_rel);
    WITH held AS (
      SELECT pr.relname, pr.relkind, l.mode FROM pg_locks l JOIN plk_rel pr ON pr.oid = l.relation
      WHERE l.pid = pg_backend_pid() AND l.mode <> 'AccessShareLock'
        AND (NOT only_new OR (l.relation, l.mode) NOT IN (SELECT relation, mode FROM plk_before))),
    best AS (
      SELECT DISTINCT ON (relname) relname, relkind, mode FROM held
      WHERE relkind IN ('r', 'p') OR NOT EXISTS (SELECT FROM held WHERE relkind IN ('r', 'p'))
      ORDER BY relname, plk_rank(mode) DESC)
    SELECT string_agg(plk_mode(mode) || ' on plk.' || relname, '; ' ORDER BY relname)
      INTO observed FROM best;
    RAISE EXCEPTION 'roll back';
  EXCEPTION WHEN raise_exception THEN
    NULL;
  END;
  RETURN observed;
END $$;

-- whether step stepno rewrites a table: a new relfilenode (after the steps
-- before it)
CREATE FUNCTION plk_rewrote(stepno int) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  r record;
  result boolean;
BEGIN
  BEGIN
    FOR r IN SELECT * FROM plk_steps WHERE step < stepno ORDER BY step LOOP
      EXECUTE r.ddl;
    END LOOP;
    CREATE TEMP TABLE plk_files ON COMMIT DROP AS
      SELECT c.oid, c.relfilenode FROM pg_class c
      WHERE c.relnamespace = 'plk'::regnamespace AND c.relkind IN ('r', 'p');
    EXECUTE (SELECT ddl FROM plk_steps WHERE step = stepno);
    SELECT EXISTS (SELECT FROM plk_files f JOIN pg_class c ON c.oid = f.oid
                   WHERE c.relfilenode <> f.relfilenode) INTO result;
    RAISE EXCEPTION 'roll back';
  EXCEPTION WHEN raise_exception THEN
    NULL;
  END;
  RETURN result;
END $$;

-- the plan's locks in the same order as plk_held's (by table name)
CREATE FUNCTION plk_sorted(lock text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT string_agg(x, '; ' ORDER BY split_part(x, ' on ', 2))
  FROM unnest(string_to_array(lock, '; ')) x
$$;

CREATE FUNCTION plk_check(target text, online boolean DEFAULT false) RETURNS TABLE(step int, ddl text, lock text, rewrite boolean, scan boolean, observed text, rewrote boolean, matches boolean)
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM plk_steps;
  INSERT INTO plk_steps SELECT s.step, s.ddl, s.lock, s.rewrite, s.scan
    FROM ferriorm_plan_steps(
      'datasource db {' || chr(10) || 'provider = "postgresql"' || chr(10) ||
      'url = env("DATABASE_URL")' || chr(10) || 'schemas = ["plk"]' || chr(10) || '}' || chr(10) || target,
      online) s;
  -- a step that takes no lock an earlier step does not already hold: what
  -- is held after it must be the plan's
  RETURN QUERY SELECT s.step, s.ddl, s.lock, s.rewrite, s.scan,
    coalesce(o.held, '(held: ' || plk_held(s.step, false) || ')'), o.rewrote,
    (o.held IS NOT DISTINCT FROM plk_sorted(s.lock) OR
     (o.held IS NULL AND plk_held(s.step, false) = plk_sorted(s.lock))) AND o.rewrote = s.rewrite
    FROM plk_steps s, LATERAL (SELECT plk_held(s.step) AS held, plk_rewrote(s.step) AS rewrote) o
    ORDER BY s.step;
END $$;

CREATE TABLE plk_case (name text PRIMARY KEY, body text);
-- the live state, as schema text
INSERT INTO plk_case VALUES ('base', $$
model p {
  id Int  @id
  v  Int?
  cs c[]
  @@map("p")
  @@schema("plk")
}
model c {
  id  Int     @id
  pid Int
  w   Int?
  s   String? @db.VarChar(10)
  n   Int?
  p   p       @relation(fields: [pid], references: [id], onUpdate: Cascade, onDelete: Restrict)
  @@index([w])
  @@check("n > 0")
  @@map("c")
  @@schema("plk")
}
model g {
  id Int @id
  @@map("g")
  @@schema("plk")
}
$$);

-- the base schema plans to nothing
SELECT count(*) FROM plk_check((SELECT body FROM plk_case WHERE name = 'base'));

\pset format unaligned
\pset fieldsep ' | '
-- each case: the base text with one edit
CREATE FUNCTION plk_edit(a text, b text) RETURNS text LANGUAGE sql AS $$
  SELECT replace((SELECT body FROM plk_case WHERE name = 'base'), a, b)
$$;

-- drop_table
SELECT * FROM plk_check(plk_edit($$model g {
  id Int @id
  @@map("g")
  @@schema("plk")
}$$, ''));
-- add_column (nullable); drop_column
SELECT * FROM plk_check(plk_edit('  n   Int?', '  n   Int?
  x   Int?'));
SELECT * FROM plk_check(plk_edit('  s   String? @db.VarChar(10)', ''));
-- add_column with a volatile default (rewrite)
SELECT * FROM plk_check(plk_edit('  n   Int?', '  n   Int?
  t   Float @default(dbgenerated("random()"))'));
-- alter_type (rewrite) and alter_type_no_rewrite
SELECT * FROM plk_check(plk_edit('  w   Int?', '  w   BigInt?'));
SELECT * FROM plk_check(plk_edit('@db.VarChar(10)', '@db.VarChar(20)'));
SELECT * FROM plk_check(plk_edit('  s   String? @db.VarChar(10)', '  s   String?'));
-- set_not_null, drop_not_null
SELECT * FROM plk_check(plk_edit('  w   Int?', '  w   Int'));
SELECT * FROM plk_check(replace(plk_edit('  pid Int', '  pid Int?'), 'p   p  ', 'p   p? '));
-- alter_default; add_column with a constant default (no rewrite)
SELECT * FROM plk_check(plk_edit('  w   Int?', '  w   Int? @default(3)'));
SELECT * FROM plk_check(plk_edit('  n   Int?', '  n   Int?
  k   Int @default(7)'));
-- add_check; drop_constraint
SELECT * FROM plk_check(plk_edit('  @@index([w])', '  @@index([w])
  @@check("w > 0")'));
SELECT * FROM plk_check(plk_edit('  @@check("n > 0")', ''));
-- add_unique
SELECT * FROM plk_check(plk_edit('  @@index([w])', '  @@index([w])
  @@unique([n])'));
-- create_index, drop_index
SELECT * FROM plk_check(plk_edit('  @@index([w])', '  @@index([n])'));
-- rename_index
SELECT * FROM plk_check(plk_edit('  @@index([w])', '  @@index([w], map: "c_w_renamed")'));
-- drop_foreign_key, add_foreign_key
SELECT * FROM plk_check(plk_edit('onUpdate: Cascade', 'onUpdate: NoAction'));
-- comment
SELECT * FROM plk_check(plk_edit('model g {', '/// the g table
model g {'));
-- rename_table, declared (step 2 renames its key, whose name derives
-- from the table's: a rename_constraint under the ACCESS EXCLUSIVE lock
-- step 1 already holds, so only the new lock on the key's index shows;
-- the next case checks rename_constraint alone)
SELECT * FROM plk_check(plk_edit($$model g {
  id Int @id
  @@map("g")$$, $$/// @renamed(from: "g")
model g2 {
  id Int @id
  @@map("g2")$$)) WHERE step = 1;
-- rename_constraint: a key whose name changes
SELECT * FROM plk_check(plk_edit($$model g {
  id Int @id$$, $$model g {
  id Int @id(map: "g_pk")$$));
-- rename_column, and rename_index of the index on it
SELECT * FROM plk_check(replace(plk_edit('  w   Int?', '  /// @renamed(from: "w")
  w2  Int?'), '@@index([w])', '@@index([w2])'));
-- online forms that run in a transaction block (CONCURRENTLY cannot)
SELECT * FROM plk_check(plk_edit('  @@index([w])', '  @@index([w])
  @@check("w > 0")'), online => true);
SELECT * FROM plk_check(plk_edit('  w   Int?', '  w   Int'), online => true);
SELECT * FROM plk_check(plk_edit('onUpdate: Cascade', 'onUpdate: NoAction'), online => true);
-- detach_partition, attach_partition (a bound moved)
CREATE TABLE plk.pt (d int NOT NULL) PARTITION BY RANGE (d);
CREATE TABLE plk.pt1 PARTITION OF plk.pt FOR VALUES FROM (0) TO (10);
INSERT INTO plk.pt VALUES (1);
SELECT * FROM plk_check((SELECT body FROM plk_case WHERE name = 'base') || $$
model pt {
  d Int
  @@partitionBy(Range, [d])
  @@map("pt")
  @@schema("plk")
}
model pt1 {
  @@partitionOf(pt, values: "FROM (0) TO (20)")
  @@map("pt1")
  @@schema("plk")
}
$$);
-- step 2 already holds what step 1 took on pt1: the attach alone, on a
-- detached pt1, takes the plan's locks of step 2
SELECT lock FROM plk_steps WHERE step = 2 \gset
ALTER TABLE plk.pt DETACH PARTITION plk.pt1;
DELETE FROM plk_steps WHERE step = 1;
UPDATE plk_steps SET step = 1;
SELECT plk_held(1) = plk_sorted(:'lock') AS attach_locks_match, plk_rewrote(1) AS rewrote;
DROP TABLE plk.pt, plk.pt1;
-- the online script: lock_timeout before, COMMIT after each statement (no
-- lock outlives its statement), none after a CONCURRENTLY statement
SELECT ferriorm_plan('datasource db {' || chr(10) || 'provider = "postgresql"' || chr(10) ||
    'url = env("DATABASE_URL")' || chr(10) || 'schemas = ["plk"]' || chr(10) || '}' || chr(10) ||
    replace(plk_edit('  w   Int?', '  w   Int'), '  @@index([w])', '  @@index([w])
  @@index([n])'), online => true);
-- a changed CHECK, online: its DROP and the ADD ... NOT VALID of the new
-- one commit together, so the table never runs without it (each committed
-- alone, the table ran without a CHECK until the re-add, and for good
-- when a step between failed); with a CONCURRENTLY build on the same table
-- between them, which no transaction block may hold, the DROP says so
SELECT ferriorm_plan('datasource db {' || chr(10) || 'provider = "postgresql"' || chr(10) ||
    'url = env("DATABASE_URL")' || chr(10) || 'schemas = ["plk"]' || chr(10) || '}' || chr(10) ||
    plk_edit('@@check("n > 0")', '@@check("n > 1")'), online => true);
SELECT ferriorm_plan('datasource db {' || chr(10) || 'provider = "postgresql"' || chr(10) ||
    'url = env("DATABASE_URL")' || chr(10) || 'schemas = ["plk"]' || chr(10) || '}' || chr(10) ||
    replace(plk_edit('@@check("n > 0")', '@@check("n > 1")'), '  @@index([w])', '  @@index([w])
  @@index([n])'), online => true);
-- add_constraint_using_index: the online unique key's second step, once
-- its CREATE UNIQUE INDEX CONCURRENTLY (first step) has run, here at top
-- level (outside a transaction block), as CALL ferriorm_migrate runs it
DELETE FROM plk_steps;
INSERT INTO plk_steps SELECT s.step, s.ddl, s.lock, s.rewrite, s.scan
  FROM ferriorm_plan_steps('datasource db {' || chr(10) || 'provider = "postgresql"' || chr(10) ||
    'url = env("DATABASE_URL")' || chr(10) || 'schemas = ["plk"]' || chr(10) || '}' || chr(10) ||
    plk_edit('  @@index([w])', '  @@index([w])
  @@unique([n])'), online => true) s;
SELECT step, ddl, lock FROM plk_steps ORDER BY step;
SELECT ddl FROM plk_steps WHERE step = 1 \gexec
DELETE FROM plk_steps WHERE step = 1;
SELECT s.step, s.ddl, s.lock, s.rewrite, s.scan, plk_held(s.step) AS observed,
       plk_rewrote(s.step) AS rewrote,
       plk_held(s.step) IS NOT DISTINCT FROM plk_sorted(s.lock) AND plk_rewrote(s.step) = s.rewrite AS matches
FROM plk_steps s ORDER BY s.step;
DROP INDEX plk.c_n_key;
\pset format aligned

DROP SCHEMA plk CASCADE;
DROP TABLE plk_steps, plk_case;
DROP FUNCTION plk_check(text, boolean), plk_held(int, boolean), plk_rewrote(int), plk_sorted(text), plk_mode(text), plk_rank(text), plk_edit(text, text);
