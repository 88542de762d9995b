--
-- lang_limits: ferriorm.max_schema_size.  Every function that takes schema
-- text refuses a text over the limit with program_limit_exceeded (54000)
-- before parsing it; a text of exactly the limit is accepted; the size
-- checked is the text's own, also when it is stored compressed; only a
-- superuser may change the limit.
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
