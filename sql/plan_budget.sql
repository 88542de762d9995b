--
-- plan_budget: hazard figures on a table of 5 million rows stay within
-- ferriorm.hazard_budget: estimates from statistics or TABLESAMPLE,
-- labelled with their method; emptiness still decided exactly; push
-- refusing an estimated loss.  (Figures are masked: estimates depend on
-- the physical layout.  Plan times are measured in bench/, not here.)
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

CREATE SCHEMA pbg;
CREATE UNLOGGED TABLE pbg.big (id int, old int, gone int, v int)
  WITH (autovacuum_enabled = false);
INSERT INTO pbg.big SELECT g, CASE WHEN g % 3 = 0 THEN NULL ELSE g END, NULL, g % 1000
  FROM pg_catalog.generate_series(1, 5000000) g;
CREATE TABLE pbg.small (id int PRIMARY KEY, old int, v int);
INSERT INTO pbg.small SELECT g, g, g FROM pg_catalog.generate_series(1, 10) g;

\set target 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n  schemas = ["pbg"]\n}\nmodel big {\n  id Int @unique\n  v  BigInt\n  @@unlogged\n  @@storage(autovacuum_enabled: false)\n  @@map("big")\n  @@schema("pbg")\n}\nmodel small {\n  id Int @id\n  v  BigInt\n  @@map("small")\n  @@schema("pbg")\n}\n'
SELECT replace(:'target', '\n', chr(10)) AS target \gset

CREATE FUNCTION pbg_mask(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(regexp_replace(t, '[0-9][0-9,]*', 'N', 'g'), ' Table pbg\.[a-z]+: .*$', '')
$$;

-- the default budget (1 s): the big table is estimated, the small one counted
SELECT step, hazard, pbg_mask(detail) AS detail
FROM ferriorm_plan_steps(:'target') WHERE hazard IS NOT NULL ORDER BY step;

-- budget 0: everything estimated, even a small table
SET ferriorm.hazard_budget = 0;
SHOW ferriorm.hazard_budget;
SELECT step, hazard, pbg_mask(detail) AS detail
FROM ferriorm_plan_steps(:'target') WHERE object LIKE 'pbg.small%' AND hazard IS NOT NULL ORDER BY step;

-- push counts what it would lose exactly, under its lock, whatever the
-- budget, and refuses; nothing is applied
DROP TABLE pbg.big;
CREATE FUNCTION pbg_push(t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  d text;
BEGIN
  PERFORM ferriorm_push(t);
  RETURN 'applied';
EXCEPTION WHEN object_not_in_prerequisite_state THEN
  GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  RETURN SQLERRM || chr(10) || d;
END $$;
SELECT pbg_push(:'target');
SELECT count(*) AS old_still_there FROM pg_attribute
WHERE attrelid = 'pbg.small'::regclass AND attname = 'old' AND NOT attisdropped;

-- emptiness is exact even when estimating: a column of NULLs loses nothing
UPDATE pbg.small SET old = NULL;
SELECT step, hazard, pbg_mask(detail) AS detail
FROM ferriorm_plan_steps(:'target') WHERE object LIKE 'pbg.small%' AND hazard = 'drop_column';

-- NULL rows an estimate finds are confirmed by probing for one: the step
-- is then marked failing, and push refuses it up front (it ran it, and
-- failed part-way)
UPDATE pbg.small SET v = NULL WHERE id <= 5;
SELECT step, hazard, pbg_mask(detail) AS detail
FROM ferriorm_plan_steps(:'target') WHERE object LIKE 'pbg.small%' AND hazard = 'set_not_null';
SELECT pbg_mask(pbg_push(:'target')) AS push;

-- budget -1: every figure counted
SET ferriorm.hazard_budget = -1;
SELECT step, hazard, detail ~ '\(estimate:' AS estimated
FROM ferriorm_plan_steps(:'target') WHERE object LIKE 'pbg.small%' AND hazard IS NOT NULL ORDER BY step;
RESET ferriorm.hazard_budget;

-- bad settings
SET ferriorm.hazard_budget = -2;
SET ferriorm.lock_retries = -1;

DROP SCHEMA pbg CASCADE;
DROP FUNCTION pbg_push(text), pbg_mask(text);
