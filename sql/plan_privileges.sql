--
-- plan_privileges: privileges are checked before anything is opened or
-- locked, system schemas can never be managed, and a plan never drops
-- what lies outside the managed schemas (docs/security.md).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
DROP ROLE IF EXISTS regress_fm_outsider;
DROP ROLE IF EXISTS regress_fm_user;
RESET client_min_messages;

CREATE ROLE regress_fm_outsider;
CREATE ROLE regress_fm_user;
CREATE SCHEMA ppriv;
CREATE TABLE ppriv.items (id int PRIMARY KEY, qty int,
  CONSTRAINT items_qty CHECK (qty >= 0));
-- the locks this backend holds on ppriv.items
CREATE VIEW public.ppriv_locks AS
  SELECT mode FROM pg_locks
  WHERE pid = pg_backend_pid() AND locktype = 'relation'
    AND relation = 'ppriv.items'::regclass ORDER BY mode;
GRANT SELECT ON public.ppriv_locks TO PUBLIC;

-- the CHECK is written differently from the stored text, so the plan must
-- parse it against the table (normalization opens the table)
SELECT $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["ppriv"]
}
model Item {
  id  Int @id
  qty Int?
  @@check("qty>=0", map: "items_qty")
  @@map("items")
  @@schema("ppriv")
}
$$ AS s \gset

-- the owner plans to nothing, holding ACCESS SHARE on the table it parsed
BEGIN;
SELECT ferriorm_plan(:'s') = '' AS up_to_date;
SELECT * FROM public.ppriv_locks;
ROLLBACK;

-- 1. no USAGE on a managed schema: an error naming it, and no lock
SET ROLE regress_fm_outsider;
BEGIN;
SAVEPOINT a;
SELECT ferriorm_plan(:'s');
ROLLBACK TO a;
SELECT ferriorm_plan_steps(:'s');
ROLLBACK TO a;
SELECT ferriorm_push(:'s');
ROLLBACK TO a;
SELECT ferriorm_plan(:'s', verify => true);
ROLLBACK TO a;
SELECT count(*) AS locks FROM public.ppriv_locks;
COMMIT;
RESET ROLE;

-- 2. USAGE but no right to lock the table: an error naming the table,
-- raised before the lock is requested (introspection deparses its CHECK,
-- which opens it; test/scripts/plan_snapshot.sh shows that no lock is
-- requested while another session holds one)
GRANT USAGE ON SCHEMA ppriv TO regress_fm_outsider;
SET ROLE regress_fm_outsider;
BEGIN;
SAVEPOINT a;
SELECT ferriorm_plan(:'s');
ROLLBACK TO a;
SELECT count(*) AS locks FROM public.ppriv_locks;
COMMIT;
RESET ROLE;

-- 3. with SELECT (the rule of LOCK TABLE ... IN ACCESS SHARE MODE) it plans;
-- it does not parse the CHECK against the table, which only roles with the
-- privileges of the owner do (parsing a literal may run the owner's code:
-- sql/security_review.sql), so it takes no lock either
GRANT SELECT ON ppriv.items TO regress_fm_outsider;
SET ROLE regress_fm_outsider;
BEGIN;
SELECT ferriorm_plan(:'s') = '' AS up_to_date;
SELECT * FROM public.ppriv_locks;
COMMIT;
RESET ROLE;
REVOKE SELECT ON ppriv.items FROM regress_fm_outsider;

-- 4. hazard figures lock only what the caller may lock: without SELECT,
-- the figure of dropping the table stays unknown (and counts as a loss).
-- (Tables without defaults or CHECKs: introspection need not open them.)
CREATE SCHEMA ppriv2;
CREATE TABLE ppriv2.gone (id int PRIMARY KEY);
INSERT INTO ppriv2.gone VALUES (1);
CREATE TABLE ppriv2.kept (id int PRIMARY KEY);
GRANT USAGE ON SCHEMA ppriv2 TO regress_fm_outsider;
GRANT SELECT ON ppriv2.kept TO regress_fm_outsider;
CREATE VIEW public.ppriv2_locks AS
  SELECT mode FROM pg_locks
  WHERE pid = pg_backend_pid() AND locktype = 'relation'
    AND relation = 'ppriv2.gone'::regclass ORDER BY mode;
GRANT SELECT ON public.ppriv2_locks TO PUBLIC;
SELECT $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["ppriv2"]
}
model Kept {
  id Int @id
  @@map("kept")
  @@schema("ppriv2")
}
$$ AS s_drop \gset
SET ROLE regress_fm_outsider;
BEGIN;
SELECT action, object, hazard, detail FROM ferriorm_plan_steps(:'s_drop');
SELECT count(*) AS locks FROM public.ppriv2_locks;
COMMIT;
-- push counts the unknown figure as data loss
SELECT ferriorm_push(:'s_drop');
RESET ROLE;
-- the owner gets the figure
SELECT action, object, hazard, detail FROM ferriorm_plan_steps(:'s_drop');
DROP VIEW public.ppriv2_locks;
DROP SCHEMA ppriv2 CASCADE;

-- 5. a managed schema that does not exist yet needs nothing: it is created
SET ROLE regress_fm_user;
SELECT ferriorm_plan(replace(:'s', 'ppriv', 'ppriv_new')) <> '' AS plans_creation;
RESET ROLE;

-- 6. system schemas can never be managed: from the datasource, from
-- @@schema, or as the current schema when nothing is listed
SELECT ferriorm_plan(replace(:'s', '"ppriv"', '"information_schema"'));
SELECT ferriorm_push(replace(:'s', '"ppriv"', '"information_schema"'), true);
SELECT ferriorm_plan(replace(:'s', '"ppriv"', '"pg_catalog"'));
SELECT ferriorm_plan(replace(:'s', '"ppriv"', '"pg_toast"'));
SELECT ferriorm_plan(replace(:'s', '"ppriv"', '"pg_temp_1"'));
SELECT ferriorm_plan(replace(:'s', '"ppriv"', '"pg_toast_temp_1"'));
SELECT ferriorm_plan(replace(:'s', '"ppriv"', '"pg_anything"'));
-- @@schema naming a system schema next to a legitimate one
SELECT ferriorm_plan(replace(replace(:'s', 'schemas  = ["ppriv"]',
  'schemas  = ["ppriv", "pg_catalog"]'), '@@schema("ppriv")', '@@schema("pg_catalog")'));
-- no schemas listed: the current schema is managed, and must not be a system one
SELECT $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
$$ AS s_none \gset
SET search_path = pg_catalog;
SELECT public.ferriorm_plan(:'s_none');
SET search_path = information_schema, public;
SELECT ferriorm_plan(:'s_none');
-- the temporary schema (its number varies: print the message without it)
CREATE TEMP TABLE ppriv_tmp (id int);
SELECT set_config('ppriv.none', :'s_none', false) IS NOT NULL AS set;
SET search_path = pg_temp, public;
DO $$
BEGIN
  PERFORM ferriorm_plan(current_setting('ppriv.none'));
EXCEPTION WHEN reserved_name THEN
  RAISE NOTICE '%', regexp_replace(SQLERRM, 'pg_temp_[0-9]+', 'pg_temp_N');
END
$$;
RESET search_path;
-- nothing in information_schema was touched
SELECT count(*) > 0 AS still_there FROM information_schema.sql_features;

-- 7. partitions outside the managed schemas are never dropped
CREATE SCHEMA ppart;
CREATE SCHEMA ppart_other;
CREATE TABLE ppart.events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE ppart.events_2023 PARTITION OF ppart.events
  FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE ppart_other.events_2024 PARTITION OF ppart.events
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE ppart.keep (id int PRIMARY KEY);
SELECT $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["ppart"]
}
model Keep {
  id Int @id
  @@map("keep")
  @@schema("ppart")
}
$$ AS s_part \gset
SELECT ferriorm_plan(:'s_part');
SELECT ferriorm_plan_steps(:'s_part');
SELECT ferriorm_push(:'s_part', true);
-- a partition outside, two levels down
DROP TABLE ppart_other.events_2024;
CREATE TABLE ppart.events_2024 PARTITION OF ppart.events
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY RANGE (id);
CREATE TABLE ppart_other.events_2024_low PARTITION OF ppart.events_2024
  FOR VALUES FROM (0) TO (100);
CREATE TABLE ppart_other.events_2024_high PARTITION OF ppart.events_2024
  FOR VALUES FROM (100) TO (200);
SELECT ferriorm_plan(:'s_part');
-- with every partition inside the managed schemas, the drop is planned
DROP TABLE ppart_other.events_2024_low, ppart_other.events_2024_high;
SELECT ferriorm_plan(:'s_part');
-- managing the other schema too: its partitions are in the model, and
-- dropped before their parent
CREATE TABLE ppart_other.events_2025 PARTITION OF ppart.events
  FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
SELECT ferriorm_plan(replace(:'s_part', '["ppart"]', '["ppart", "ppart_other"]'));

-- 8. inheritance children: in another schema, or kept by the plan
DROP TABLE ppart.events;
CREATE TABLE ppart.base (id int);
CREATE TABLE ppart_other.kid () INHERITS (ppart.base);
SELECT ferriorm_plan(:'s_part');
DROP TABLE ppart_other.kid;
CREATE TABLE ppart.kid () INHERITS (ppart.base);
-- kept by the plan: the prisma dialect cannot state inheritance, and keeps it
SELECT ferriorm_plan(E'generator client {\n  provider = "prisma-client-js"\n}\n' ||
  replace(:'s_part', 'model Keep', 'model kid {
  id Int @id
  @@schema("ppart")
  @@ignore
}
model Keep'));
-- the ferriorm dialect states a plain kid: it is made again without its parent
SELECT ferriorm_plan(replace(:'s_part', 'model Keep', 'model Kid {
  id Int @id
  @@map("kid")
  @@schema("ppart")
}
model Keep'));
-- both dropped: the child first, so that the plan applies
SELECT ferriorm_plan(:'s_part', verify => true);
CREATE TABLE ppart.grandkid () INHERITS (ppart.kid);
SELECT object FROM ferriorm_plan_steps(:'s_part');
SELECT count(*) AS pushed FROM ferriorm_push(:'s_part');
SELECT count(*) AS left_over FROM pg_tables WHERE schemaname = 'ppart';

DROP SCHEMA ppart, ppart_other CASCADE;
DROP VIEW public.ppriv_locks;
DROP SCHEMA ppriv CASCADE;
DROP ROLE regress_fm_outsider;
DROP ROLE regress_fm_user;
