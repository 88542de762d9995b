-- the extension installs, into the schema it is created in, and nothing
-- in it is executable by PUBLIC beyond what is documented
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
SELECT extname, extrelocatable, extversion, extnamespace::regnamespace
FROM pg_extension WHERE extname = 'ferriorm';
-- not relocatable
CREATE SCHEMA smoke_elsewhere;
ALTER EXTENSION ferriorm SET SCHEMA smoke_elsewhere;
DROP SCHEMA smoke_elsewhere;

-- the privilege model, pinned: every function of the extension, whether
-- PUBLIC may execute it, whether it is SECURITY DEFINER, its volatility and
-- parallel safety
SELECT p.oid::regprocedure AS function,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_execute,
       p.prosecdef AS security_definer, p.provolatile, p.proparallel
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'ferriorm'
ORDER BY p.proname, pg_get_function_identity_arguments(p.oid);

-- every relation of the extension and what PUBLIC may do with it
SELECT c.oid::regclass AS relation, c.relkind, priv,
       CASE WHEN c.relkind = 'S' THEN has_sequence_privilege('public', c.oid, priv)
            ELSE has_table_privilege('public', c.oid, priv) END AS public_has
FROM pg_class c
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'ferriorm'
CROSS JOIN LATERAL unnest(CASE WHEN c.relkind = 'S' THEN ARRAY['USAGE', 'SELECT', 'UPDATE']
    ELSE ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] END)
    WITH ORDINALITY AS pr(priv, n)
ORDER BY c.relname, pr.n;
-- the columns of the history PUBLIC may read (all but logs)
SELECT a.attname AS history_column,
       has_column_privilege('public', '_ferriorm_migrations'::regclass, a.attnum, 'SELECT') AS public_select
FROM pg_attribute a
WHERE a.attrelid = '_ferriorm_migrations'::regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;

-- ferriorm_diff decides whether a column type change needs USING by asking
-- the server about the target type; a type text the server cannot take
-- (Unsupported("...") is arbitrary) is not an error of the diff: the
-- change simply gets a USING clause
SELECT ferriorm_diff(
  E'datasource db {\n provider = "postgresql"\n url = "x"\n}\nmodel A {\n id Int @id\n x String\n}\n',
  E'datasource db {\n provider = "postgresql"\n url = "x"\n}\nmodel A {\n id Int @id\n x Unsupported(' || t || E')\n}\n')
FROM (VALUES ('"int4(5)"'), ('"no such type"'), ('"smoke_no_such_type"'), ('"varchar(20)"')) AS v(t);
