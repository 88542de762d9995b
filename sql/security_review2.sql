--
-- security_review2: resource attacks found by 0.2.0's third security review
-- (sec2).  The core (parse, validate, diff, print) cannot be cancelled: a
-- backend busy in it ignores statement_timeout, pg_cancel_backend and
-- pg_terminate_backend, so its work must stay linear in what the caller
-- gives it (docs/security.md, "Resource bounds").  Each case below took
-- from half a minute to forever before the fix; now well under a second.
--
--  1. A lattice of multiple inheritance (each model inherits from both
--     models of the level above): the depth of a table, which orders the
--     CREATE TABLE steps, was computed over every path, 2^levels of them.
--     3 kB of schema text given to ferriorm_diff (any role, no catalog
--     access needed) kept a backend busy for ever.
--  2. A chain of inheritance: validation followed every table's chain to
--     its end, scanning the model at each step (cubic): 150 kB of text took
--     about a minute.
--  3. ferriorm_pull in the prisma dialect states an inheriting table with
--     every column it inherits, gathered over every path of a lattice: a
--     role that may create tables planted 48 of them, and a pull of their
--     schema never ended.
--  4. ferriorm_pull's previous text: the partner of each relation field
--     was searched in its target model, field by field (quadratic in a
--     text the caller chooses).
--  5. The possible-rename hints of a diff: each new table was compared
--     with every dropped table of its schema (4,000 of each, 290 kB: 40 s),
--     and each new column with every column of the live table, each
--     looked up in the target table (cubic: 3,000 columns, 110 kB: over a
--     minute).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

-- ---------- 1. a lattice of multiple inheritance: diff ----------
CREATE TEMP TABLE srev2_lattice AS
SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'
    || E'model A27 {\n  x Int @id\n}\nmodel B27 {\n  y Int @id\n}\n'
    || string_agg(format(E'model A%s {\n  p%s Int\n  @@inherits([A%s, B%s])\n}\n'
                         'model B%s {\n  q%s Int\n  @@inherits([A%s, B%s])\n}\n',
                         i, i, i + 1, i + 1, i, i, i + 1, i + 1), '' ORDER BY i DESC) AS t
FROM generate_series(0, 26) i;
SELECT length(t) < 4000 AS small_text FROM srev2_lattice;
SELECT clock_timestamp() AS t0 \gset
SELECT length(ferriorm_diff('', t)) AS ddl_length FROM srev2_lattice;
-- about 0.1 s; every path of the lattice took minutes (2^27 of them)
SELECT clock_timestamp() - :'t0'::timestamptz < interval '10 s' AS fast;
-- parents first: every level after the one above it, A0 and B0 last
SELECT (SELECT count(*) FROM regexp_matches(d, 'CREATE TABLE', 'g')) AS tables,
       strpos(d, 'CREATE TABLE a0s') > strpos(d, 'CREATE TABLE a1s') AND
       strpos(d, 'CREATE TABLE a1s') > strpos(d, 'CREATE TABLE b2s') AND
       strpos(d, 'CREATE TABLE b26s') > strpos(d, 'CREATE TABLE a27s') AS parents_first,
       strpos(d, 'CREATE TABLE b0s') > strpos(d, 'CREATE TABLE a0s') AS last
FROM (SELECT ferriorm_diff('', t) AS d FROM srev2_lattice) x;

-- ---------- 2. a chain of inheritance: validation ----------
SELECT clock_timestamp() AS t0 \gset
SELECT count(*) AS diagnostics
FROM ferriorm_validate(
  E'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'
  || E'model C0 {\n  x Int @id\n}\n'
  || (SELECT string_agg(format(E'model C%s {\n  c%s Int\n  @@inherits([C%s])\n}\n', i, i, i - 1), '' ORDER BY i)
      FROM generate_series(1, 3000) i));
-- about 0.3 s; the cubic walk took about a minute
SELECT clock_timestamp() - :'t0'::timestamptz < interval '10 s' AS fast;
-- a cycle is still found, and only the models on it or below it
SELECT severity, line, message FROM ferriorm_validate($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
model Root {
  id Int @id
}
model X {
  x Int
  @@inherits([Y])
}
model Y {
  y Int
  @@inherits([X])
}
model Below {
  b Int
  @@inherits([X])
}
model Fine {
  f Int
  @@inherits([Root])
}
$$) ORDER BY line;

-- ---------- 3. a lattice of tables: pull in the prisma dialect ----------
CREATE SCHEMA srev2;
SET client_min_messages = warning;
DO $$
BEGIN
  EXECUTE 'CREATE TABLE srev2.a24 (x24 int)';
  EXECUTE 'CREATE TABLE srev2.b24 (y24 int)';
  FOR i IN REVERSE 23..0 LOOP
    EXECUTE format('CREATE TABLE srev2.a%s (p%s int) INHERITS (srev2.a%s, srev2.b%s)', i, i, i + 1, i + 1);
    EXECUTE format('CREATE TABLE srev2.b%s (q%s int) INHERITS (srev2.a%s, srev2.b%s)', i, i, i + 1, i + 1);
  END LOOP;
END
$$;
RESET client_min_messages;
SET ferriorm.dialect = prisma;
SELECT clock_timestamp() AS t0 \gset
SELECT length(ferriorm_pull(ARRAY['srev2'])) > 0 AS pulled;
-- about 0.2 s; every path of the lattice took minutes (2^24 of them)
SELECT clock_timestamp() - :'t0'::timestamptz < interval '10 s' AS fast;
-- the child has every column it inherits, once
SELECT array_length(regexp_split_to_array(
         substring(ferriorm_pull(ARRAY['srev2']) FROM 'model a0 \{[^}]*\}'), E'\n'), 1) - 2
       AS a0_lines;
RESET ferriorm.dialect;

-- ---------- 4. pull's previous text: relation partners ----------
SELECT clock_timestamp() AS t0 \gset
SELECT length(ferriorm_pull(ARRAY['srev2'],
  E'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'
  || E'model P {\n  id Int @id\n'
  || (SELECT string_agg(format(E'  f%s Q? @relation("r%s", fields: [c%s], references: [id])\n  c%s Int?\n',
                               i, i, i, i), '' ORDER BY i) FROM generate_series(1, 24000) i)
  || E'}\nmodel Q {\n  id Int @id\n'
  || (SELECT string_agg(format(E'  g%s P[] @relation("r%s")\n', i, i), '' ORDER BY i)
      FROM generate_series(1, 24000) i)
  || E'}\n')) > 0 AS pulled;
-- about 2 s (the 2.6 MB previous text is parsed and validated); the
-- partner search took about half a minute
SELECT clock_timestamp() - :'t0'::timestamptz < interval '10 s' AS fast;

-- ---------- 5. possible-rename hints ----------
CREATE TEMP TABLE srev2_head AS
SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n' AS h;
SELECT clock_timestamp() AS t0 \gset
-- 4,000 tables dropped and 4,000 added, of other shapes: no hint
SELECT length(ferriorm_diff(
  h || (SELECT string_agg(format(E'model A%s {\n  id Int @id\n  x String\n}\n', i), '') FROM generate_series(1, 4000) i),
  h || (SELECT string_agg(format(E'model B%s {\n  id Int @id\n  x Int\n}\n', i), '') FROM generate_series(1, 4000) i)))
  AS ddl_length
FROM srev2_head;
-- about 0.5 s; comparing every pair took 40 s
SELECT clock_timestamp() - :'t0'::timestamptz < interval '10 s' AS fast;
SELECT clock_timestamp() AS t0 \gset
-- 800 columns kept, one dropped, 799 added of another type (a table
-- holds at most 1,600 columns): no hint
SELECT length(ferriorm_diff(
  h || E'model A {\n  id Int @id\n' || (SELECT string_agg(format(E'  a%s Int\n', i), '') FROM generate_series(1, 800) i)
    || E'  z String\n}\n',
  h || E'model A {\n  id Int @id\n' || (SELECT string_agg(format(E'  a%s Int\n', i), '') FROM generate_series(1, 800) i)
    || (SELECT string_agg(format(E'  b%s Boolean\n', i), '') FROM generate_series(1, 799) i) || E'}\n'))
  AS ddl_length
FROM srev2_head;
-- about 0.3 s; the cubic search took over a minute
SELECT clock_timestamp() - :'t0'::timestamptz < interval '10 s' AS fast;
-- the hints themselves: the first dropped table of the same shape, the
-- first dropped column of the same type
SELECT line FROM (SELECT regexp_split_to_table(ferriorm_diff(
  h || $$
model A {
  id  Int @id
  old String
  was Int
  n   Int
}
model Gone {
  id Int @id
  x  String
}
model Other {
  id Int @id
  y  Int
}
$$,
  h || $$
model A {
  id  Int @id
  new String
  now Int
  n   Int
  b   Boolean
}
model Fresh {
  id Int @id
  x  String
}
model Later {
  id Int @id
  y  Int
}
$$), E'\n') FROM srev2_head) x(line)
WHERE line LIKE '%possible_rename%'
ORDER BY line COLLATE "C";
DROP TABLE srev2_head;

SET client_min_messages = warning;
DROP SCHEMA srev2 CASCADE;
RESET client_min_messages;
DROP TABLE srev2_lattice;
