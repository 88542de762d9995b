--
-- dev_search_path: a hostile search_path for pull, migrate dev (shadow and
-- rollback strategies) and the procedure form of deploy.  A schema listed
-- before pg_catalog holds look-alikes (the same signatures, so they win)
-- of the functions, aggregates and operators that the catalog queries of
-- introspection, the shadow's bookkeeping (sweep, CREATE DATABASE, reset,
-- same-database check), the rollback strategy's drops and the loopback
-- use; each bumps a counter when called.  The loopback's own sessions to
-- this database get the same search_path (ALTER DATABASE ... SET).  None
-- may ever be called, and the results must be those of a plain path.
-- (Migrations run with the caller's search_path, as documented: the ones
-- here call nothing a look-alike matches.)
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\getenv abs_srcdir PG_ABS_SRCDIR
\set basic :abs_srcdir '/test/migrations/basic'
\set nontx :abs_srcdir '/test/migrations/nontx'

CREATE SCHEMA dsp;
CREATE SCHEMA dsp_evil;
CREATE SEQUENCE dsp_evil.calls;
CREATE FUNCTION dsp_evil.bump() RETURNS void LANGUAGE plpgsql AS
$$BEGIN PERFORM pg_catalog.nextval('dsp_evil.calls'::pg_catalog.regclass); END$$;

-- look-alike operators: same result as pg_catalog's, plus a bump
DO $$
DECLARE
  o record;
  n int := 0;
BEGIN
  FOR o IN SELECT * FROM (VALUES
    ('=', 'oid', 'oid', 'boolean'), ('=', 'name', 'name', 'boolean'),
    ('=', 'text', 'text', 'boolean'), ('=', '"char"', '"char"', 'boolean'),
    ('=', 'integer', 'integer', 'boolean'), ('=', 'bigint', 'bigint', 'boolean'),
    ('=', 'smallint', 'smallint', 'boolean'), ('<>', 'integer', 'integer', 'boolean'),
    ('<>', 'oid', 'oid', 'boolean'), ('<>', '"char"', '"char"', 'boolean'),
    ('~', 'text', 'text', 'boolean'), ('!~', 'text', 'text', 'boolean'),
    ('>', 'smallint', 'integer', 'boolean'), ('>', 'integer', 'integer', 'boolean'),
    ('*', 'numeric', 'numeric', 'numeric'), ('||', 'text', 'text', 'text')) v(op, l, r, res)
  LOOP
    n := n + 1;
    EXECUTE format('CREATE FUNCTION dsp_evil.op%s(%s, %s) RETURNS %s LANGUAGE sql AS '
                   '$f$SELECT dsp_evil.bump(); SELECT $1 OPERATOR(pg_catalog.%s) $2$f$',
                   n, o.l, o.r, o.res, o.op);
    EXECUTE format('CREATE OPERATOR dsp_evil.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = dsp_evil.op%s)',
                   o.op, o.l, o.r, n);
  END LOOP;
END
$$;

-- look-alike functions: every one the catalog queries name, and more
DO $$
DECLARE
  f record;
BEGIN
  FOR f IN SELECT * FROM (VALUES
    ('format_type', 'oid, integer', 'text'),
    ('pg_get_expr', 'pg_node_tree, oid', 'text'),
    ('pg_get_expr', 'pg_node_tree, oid, boolean', 'text'),
    ('pg_get_indexdef', 'oid, integer, boolean', 'text'),
    ('pg_get_constraintdef', 'oid, boolean', 'text'),
    ('pg_get_partkeydef', 'oid', 'text'),
    ('pg_indexam_has_property', 'oid, text', 'boolean'),
    ('regexp_match', 'text, text', 'text[]'),
    ('pg_has_role', 'oid, text', 'boolean'),
    ('floor', 'double precision', 'double precision'),
    ('date_part', 'text, timestamp with time zone', 'double precision'),
    ('pg_backend_pid', '', 'integer'),
    ('set_config', 'text, text, boolean', 'text'),
    ('pg_identify_object', 'oid, oid, integer', 'record'),
    ('pg_encoding_to_char', 'integer', 'name'),
    ('current_database', '', 'name'),
    ('pg_postmaster_start_time', '', 'timestamp with time zone'),
    ('quote_ident', 'text', 'text'),
    ('lower', 'text', 'text'),
    ('length', 'text', 'integer'),
    ('obj_description', 'oid, name', 'text'),
    ('col_description', 'oid, integer', 'text'),
    ('array_to_string', 'anyarray, text', 'text'),
    ('pg_get_serial_sequence', 'text, text', 'text'),
    ('pg_get_function_identity_arguments', 'oid', 'text'),
    ('now', '', 'timestamp with time zone')) v(name, args, res)
  LOOP
    IF f.res = 'record' THEN
      CONTINUE;   -- a set-returning record look-alike needs its OUT list
    END IF;
    EXECUTE format('CREATE FUNCTION dsp_evil.%I(%s) RETURNS %s LANGUAGE plpgsql AS '
                   '$f$BEGIN PERFORM dsp_evil.bump(); RETURN NULL; END$f$',
                   f.name, f.args, f.res);
  END LOOP;
END
$$;
CREATE FUNCTION dsp_evil.pg_identify_object(classid oid, objid oid, objsubid integer,
  OUT type text, OUT schema text, OUT name text, OUT identity text)
LANGUAGE plpgsql AS $$BEGIN PERFORM dsp_evil.bump(); END$$;
CREATE FUNCTION dsp_evil.count_sf(bigint) RETURNS bigint LANGUAGE sql AS
$$SELECT dsp_evil.bump(); SELECT $1 OPERATOR(pg_catalog.+) 1$$;
CREATE AGGREGATE dsp_evil.count(*) (SFUNC = dsp_evil.count_sf, STYPE = bigint, INITCOND = '0');
CREATE FUNCTION dsp_evil.sa_sf(text, text, text) RETURNS text LANGUAGE sql AS
$$SELECT dsp_evil.bump(); SELECT $2$$;
CREATE AGGREGATE dsp_evil.string_agg(text, text) (SFUNC = dsp_evil.sa_sf, STYPE = text);
CREATE FUNCTION dsp_evil.aa_sf(anyarray, anynonarray) RETURNS anyarray LANGUAGE sql AS
$$SELECT dsp_evil.bump(); SELECT pg_catalog.array_append($1, $2)$$;
CREATE AGGREGATE dsp_evil.array_agg(anynonarray) (SFUNC = dsp_evil.aa_sf, STYPE = anyarray);
CREATE TABLE dsp_evil.pg_database (datname name, oid oid);
CREATE TABLE dsp_evil.pg_namespace (nspname name, oid oid);
CREATE TABLE dsp_evil.pg_stat_activity (pid integer);

-- a history applied here, by hand (the plain path)
SET search_path = dsp, public;
SELECT count(*) AS applied FROM ferriorm_deploy(:'basic') WHERE status = 'applied';
SELECT pg_catalog.nextval('dsp_evil.calls') AS baseline \gset

-- this session and every loopback session to this database
SET search_path = dsp, dsp_evil, pg_catalog, public;
ALTER DATABASE :"DBNAME" SET search_path = dsp, dsp_evil, pg_catalog, public;

SELECT public.ferriorm_drift(:'basic', 'shadow') OPERATOR(pg_catalog.=) '' AS shadow_no_drift;
SELECT public.ferriorm_drift(:'basic', 'rollback') OPERATOR(pg_catalog.=) '' AS rollback_no_drift;
SELECT public.ferriorm_pull(ARRAY['dsp']) IS NOT NULL AS pulled;
SELECT public.ferriorm_diff_history(:'basic', public.ferriorm_pull(ARRAY['dsp']))
  OPERATOR(pg_catalog.=) '' AS pull_is_the_history;
-- a statement over the loopback of the procedure
DELETE FROM public._ferriorm_migrations;
CALL public.ferriorm_migrate(:'nontx');
SELECT pg_catalog.nextval('dsp_evil.calls') OPERATOR(pg_catalog.-) :baseline OPERATOR(pg_catalog.-) 1
  AS look_alikes_called;

ALTER DATABASE :"DBNAME" RESET search_path;
RESET search_path;
DELETE FROM _ferriorm_migrations;
SET client_min_messages = warning;
DROP SCHEMA dsp CASCADE;
DROP SCHEMA dsp_evil CASCADE;
RESET client_min_messages;
