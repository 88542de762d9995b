--
-- plan_errors: which errors the plan absorbs and which reach the caller.
-- A hazard figure that cannot be computed because of the user's text or
-- data (or an error raised by the user's own function) leaves the generic
-- sentence; an error about the session or the server (deadlock, lock or
-- statement timeout, serialization failure, cancel, out of memory, I/O,
-- corruption, internal error) fails the plan with its own SQLSTATE.
-- Normalization likewise gives up only on text it cannot parse.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

CREATE SCHEMA perr;
CREATE SCHEMA perr_fn;
-- the error boom() raises, if any
CREATE TABLE perr_fn.cfg (code text);
INSERT INTO perr_fn.cfg VALUES (NULL);
CREATE FUNCTION perr_fn.boom(int) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  c text := (SELECT code FROM perr_fn.cfg);
BEGIN
  IF c IS NOT NULL THEN
    RAISE EXCEPTION 'boom %', c USING ERRCODE = c;
  END IF;
  RETURN $1 >= 0;
END
$$;

SELECT $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["perr"]
}
model Item {
  id  Int @id
  qty Int
  @@check("qty >= 0", map: "item_qty")
  @@schema("perr")
}
$$ AS v1 \gset
SELECT replace(:'v1', '@@check("qty >= 0", map: "item_qty")',
               '@@check("qty >= 0", map: "item_qty")
  @@check("perr_fn.boom(qty)", map: "item_boom")') AS v2 \gset

SELECT count(*) > 0 AS created FROM ferriorm_push(:'v1');
INSERT INTO perr.items VALUES (1, 5), (2, 7);

-- the add_check figure calls boom() on every row
SELECT hazard, detail FROM ferriorm_plan_steps(:'v2') WHERE hazard IS NOT NULL;

-- each error boom() can raise: the figure, or the error that escaped
CREATE FUNCTION perr_fn.try(code text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  d text;
BEGIN
  UPDATE perr_fn.cfg SET code = try.code;
  SELECT coalesce(detail, '(no figure)') INTO d
  FROM ferriorm_plan_steps(current_setting('perr.v2')) WHERE hazard IS NOT NULL;
  RETURN 'figure: ' || d;
EXCEPTION WHEN OTHERS OR query_canceled OR assert_failure THEN
  RETURN 'error ' || SQLSTATE || ': ' || SQLERRM;
END
$$;
SELECT set_config('perr.v2', :'v2', false) IS NOT NULL AS ok;
SELECT code, perr_fn.try(code) FROM (VALUES
  -- the user's data or function: the generic sentence
  ('22012'), ('22P02'), ('42883'), ('23514'), ('P0001'), ('0A000'),
  -- the session or the server: raised
  ('40P01'), ('40001'), ('55P03'), ('57014'), ('53200'), ('58030'),
  ('XX000'), ('XX001'), ('XX002')) v(code);
UPDATE perr_fn.cfg SET code = NULL;

-- after an escaped error the session is sound: the same plan again
SELECT hazard, detail FROM ferriorm_plan_steps(:'v2') WHERE hazard IS NOT NULL;
-- (and the caller's search_path, which the plan changes while it reads
-- the catalog, is back)
SET search_path = perr_fn, public;
SELECT current_setting('search_path') AS search_path;
BEGIN;
UPDATE perr_fn.cfg SET code = '40P01';
SAVEPOINT s;
SELECT * FROM ferriorm_plan_steps(:'v2');
ROLLBACK TO SAVEPOINT s;
SELECT current_setting('search_path') AS search_path;
SELECT count(*) AS steps FROM ferriorm_plan_steps(:'v1');
ROLLBACK;
SELECT try('55P03');
SELECT current_setting('search_path') AS search_path;
RESET search_path;

-- verification: an error of one of the plan's steps is 42P15, naming the
-- step; an error about the session or the server keeps its SQLSTATE
CREATE FUNCTION perr_fn.boomv() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  PERFORM perr_fn.boom(1);
  RETURN 1;
END
$$;
SELECT replace(:'v1', 'qty Int', 'qty Int
  extra Int? @default(dbgenerated("perr_fn.boomv()"))') AS v3 \gset
SELECT ferriorm_plan(:'v3');
SELECT ferriorm_plan(:'v3', verify => true) <> '' AS verified;
UPDATE perr_fn.cfg SET code = '23514';
SELECT ferriorm_plan(:'v3', verify => true);
UPDATE perr_fn.cfg SET code = '22012';
\set VERBOSITY terse
SELECT ferriorm_plan(:'v3', verify => true);
\set VERBOSITY default
CREATE FUNCTION perr_fn.try_verify(code text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  UPDATE perr_fn.cfg SET code = try_verify.code;
  PERFORM ferriorm_plan(current_setting('perr.v3'), verify => true);
  RETURN 'verified';
EXCEPTION WHEN OTHERS OR query_canceled OR assert_failure THEN
  RETURN 'error ' || SQLSTATE || ': ' || SQLERRM;
END
$$;
SELECT set_config('perr.v3', :'v3', false) IS NOT NULL AS ok;
SELECT code, perr_fn.try_verify(code) FROM (VALUES
  ('23514'), ('P0001'), ('42501'),
  ('40P01'), ('40001'), ('55P03'), ('57014'), ('53200'), ('25006'),
  ('58030'), ('XX000'), ('XX001')) v(code);
UPDATE perr_fn.cfg SET code = NULL;
SELECT ferriorm_plan(:'v3', verify => true) <> '' AS verified;
-- push applies in the caller's transaction: errors are PostgreSQL's own
UPDATE perr_fn.cfg SET code = '40P01';
SELECT ferriorm_push(:'v3');
UPDATE perr_fn.cfg SET code = NULL;

-- normalization: an expression too deep for the stack is not "text that
-- cannot be normalized"; the limit is reported, not turned into a plan
SELECT replace(:'v1', '"qty >= 0"',
               '"qty >= ' || repeat('0 + (', 2000) || '0' || repeat(')', 2000) || '"') AS deep \gset
SET max_stack_depth = '100kB';
\set VERBOSITY terse
SELECT ferriorm_plan(:'deep') <> '' AS planned;
\set VERBOSITY default
RESET max_stack_depth;
-- text the server cannot parse is left as written
SELECT ferriorm_plan(replace(:'v1', '"qty >= 0"', '"qty >= no_such_function()"'));

SET client_min_messages = warning;
DROP SCHEMA perr CASCADE;
DROP SCHEMA perr_fn CASCADE;
RESET client_min_messages;
