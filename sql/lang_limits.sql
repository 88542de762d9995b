--
-- lang_limits: ferriorm.max_schema_size.  Every function that takes schema
-- text refuses a text over the limit with program_limit_exceeded (54000)
-- before parsing it; a text of exactly the limit is accepted; the size
-- checked is the text's own, also when it is stored compressed; only a
-- superuser may change the limit.  Schema text read from a table (detoasted
-- into a copy) gives what the same text given inline gives.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\set VERBOSITY default

-- the setting exists once the library is loaded (by any ferriorm call)
SELECT count(*) FROM ferriorm_validate('');
SHOW ferriorm.max_schema_size;
SET ferriorm.max_schema_size = '1kB';
SHOW ferriorm.max_schema_size;

-- a valid schema padded with comment lines to a given length
CREATE FUNCTION pg_temp.padded(len int) RETURNS text LANGUAGE sql AS $$
  SELECT s || repeat(E'//\n', (len - length(s)) / 3) || repeat(' ', (len - length(s)) % 3)
  FROM (SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\nmodel A {\n  id Int @id\n}\n'::text AS s) x
$$;
SELECT length(pg_temp.padded(1024)), length(pg_temp.padded(1025));

-- at the limit: accepted by every function
SELECT count(*) FROM ferriorm_validate(pg_temp.padded(1024));
SELECT length(ferriorm_format(pg_temp.padded(1024))) > 0 AS formatted;
SELECT ferriorm_diff(pg_temp.padded(1024), pg_temp.padded(1024)) = '' AS no_change;

-- one byte over: refused by every function, naming the argument
SELECT count(*) FROM ferriorm_validate(pg_temp.padded(1025));
SELECT ferriorm_format(pg_temp.padded(1025));
SELECT ferriorm_diff(pg_temp.padded(1025), NULL);
SELECT ferriorm_diff(NULL, pg_temp.padded(1025));
SELECT ferriorm_diff(pg_temp.padded(1024), pg_temp.padded(1025));
SELECT ferriorm_plan(pg_temp.padded(1025));
SELECT ferriorm_plan(pg_temp.padded(1025), verify => true);
SELECT * FROM ferriorm_plan_steps(pg_temp.padded(1025));
SELECT * FROM ferriorm_push(pg_temp.padded(1025));
-- the previous text of a pull (PUBLIC may call it)
SELECT ferriorm_pull(ARRAY['public'], pg_temp.padded(1024)) IS NOT NULL AS pulled;
SELECT ferriorm_pull(ARRAY['public'], pg_temp.padded(1025));
SELECT ferriorm_pull(ARRAY['public'], repeat('}', 2000000));

-- blank text over the limit is refused too (the empty schema, but large)
SELECT ferriorm_diff(repeat(' ', 2000), NULL);

-- invalid text over the limit: the limit is reported, not the syntax
SELECT count(*) FROM ferriorm_validate(repeat('}', 1025));

-- a compressed value: its length once decompressed counts
SET ferriorm.max_schema_size = '4kB';
CREATE TEMP TABLE lim (t text);
INSERT INTO lim VALUES (pg_temp.padded(100000));
SELECT pg_column_size(t) < 4096 AS stored_small, length(t) FROM lim;
SELECT count(*) FROM lim, ferriorm_validate(lim.t);
RESET ferriorm.max_schema_size;
SELECT count(*) FROM lim, ferriorm_validate(lim.t);

-- a stored schema, compressed or out of line: each function frees its
-- detoasted copy once the text is parsed; what it returns is what it
-- returns for the same text given inline
CREATE FUNCTION pg_temp.models(n int, tail text) RETURNS text LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n  schemas  = ["lim_plan"]\n}\n'
      || string_agg(format(E'\n/// model %s\nmodel M%s {\n  id   Int    @id\n  name String @unique\n  @@schema("lim_plan")\n}\n', i, i), '' ORDER BY i)
      || tail
  FROM generate_series(1, n) i
$$;
CREATE TEMP TABLE stored (n int, tail text, packed text, ext text);
ALTER TABLE stored ALTER ext SET STORAGE EXTERNAL;
INSERT INTO stored SELECT 1, '', s, s FROM pg_temp.models(200, '') s;
INSERT INTO stored
  SELECT 2, t, pg_temp.models(200, t), pg_temp.models(200, t)
  FROM (VALUES (E'model Bad {\n  id Int @id\n  x Strin\n  @@schema("lim_plan")\n}\n')) v(t);
SELECT n, length(packed), pg_column_size(packed) < length(packed) AS compressed,
       pg_column_size(ext) >= length(ext) AS uncompressed
FROM stored ORDER BY n;
SELECT s.n,
       (SELECT count(*) FROM ferriorm_validate(s.packed)) AS diagnostics,
       (SELECT array_agg(v::text ORDER BY v::text) FROM ferriorm_validate(s.packed) v)
         IS NOT DISTINCT FROM (SELECT array_agg(v::text ORDER BY v::text) FROM ferriorm_validate(l.t) v) AS validate_packed,
       (SELECT array_agg(v::text ORDER BY v::text) FROM ferriorm_validate(s.ext) v)
         IS NOT DISTINCT FROM (SELECT array_agg(v::text ORDER BY v::text) FROM ferriorm_validate(l.t) v) AS validate_ext,
       ferriorm_format(s.packed) = ferriorm_format(l.t) AS format_packed,
       ferriorm_format(s.ext) = ferriorm_format(l.t) AS format_ext
FROM stored s, LATERAL (SELECT pg_temp.models(200, s.tail) AS t) l
ORDER BY s.n;
SELECT line, message FROM stored, ferriorm_validate(ext) WHERE n = 2;
SELECT ferriorm_plan(packed) = ferriorm_plan(pg_temp.models(200, '')) AS plan_same,
       ferriorm_plan(ext, verify => true) = ferriorm_plan(pg_temp.models(200, '')) AS verified_same,
       (SELECT count(*) FROM ferriorm_plan_steps(ext)) AS steps
FROM stored WHERE n = 1;
SELECT ferriorm_plan(packed) FROM stored WHERE n = 2;

-- the bounds of the setting
SET ferriorm.max_schema_size = 1023;
SET ferriorm.max_schema_size = '2GB';

-- only a superuser may change it
CREATE ROLE regress_limits_user;
SET ROLE regress_limits_user;
SET ferriorm.max_schema_size = '1GB';
SHOW ferriorm.max_schema_size;
RESET ROLE;
DROP ROLE regress_limits_user;
