#!/usr/bin/env bash
# A hostile schema at CREATE EXTENSION time: a role that may create objects
# in the schema the extension is installed into plants a domain named "text"
# (whose CHECK calls its own function), an "integer"-less "bool" domain and
# a "~" operator there before a superuser installs ferriorm into it.  Every
# column, argument and result of the extension must still use the built-in
# types, and a deploy by the superuser must never call the planted function
# (it would run with the rights of the history table's owner).
#
# Runs in its own database; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail

DB=ferriorm_hostile_install
WORK=$(mktemp -d /tmp/ferriorm-hostile.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	rm -rf "$WORK"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS regress_hostile_mallory" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
q() { psql -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }

psql -X -q -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $DB" -c "DROP ROLE IF EXISTS regress_hostile_mallory" \
	-c "CREATE DATABASE $DB" -c "ALTER DATABASE $DB SET client_min_messages = warning" \
	-c "CREATE ROLE regress_hostile_mallory"
export PGDATABASE=$DB

echo "== a non-superuser plants look-alike types and operators in the target schema"
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE SCHEMA app AUTHORIZATION regress_hostile_mallory;
SET ROLE regress_hostile_mallory;
CREATE TABLE app.spied (who name, what pg_catalog.text);
GRANT INSERT, SELECT ON app.spied TO PUBLIC;
CREATE FUNCTION app.spy(pg_catalog.text) RETURNS pg_catalog.bool
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO app.spied VALUES (current_user, $1);
	RETURN true;
END $$;
CREATE DOMAIN app.text AS pg_catalog.text CHECK (app.spy(VALUE));
CREATE DOMAIN app.bool AS pg_catalog.bool CHECK (app.spy(VALUE::pg_catalog.text));
CREATE FUNCTION app.match(pg_catalog.text, pg_catalog.text) RETURNS pg_catalog.bool
LANGUAGE sql AS $$ SELECT app.spy($1) $$;
CREATE OPERATOR app.~ (LEFTARG = pg_catalog.text, RIGHTARG = pg_catalog.text, FUNCTION = app.match);
RESET ROLE;
SQL

echo "== a superuser installs ferriorm into that schema"
q "CREATE EXTENSION ferriorm SCHEMA app"

bad=$(q "SELECT string_agg(format('%s.%s: %s', c.relname, a.attname, a.atttypid::regtype), ', ')
	FROM pg_catalog.pg_depend d
	JOIN pg_catalog.pg_class c ON c.oid = d.objid AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
	JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
	JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
	JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'ferriorm'
	WHERE t.typnamespace <> 'pg_catalog'::pg_catalog.regnamespace")
[ -z "$bad" ] || fail "columns of planted types: $bad"
bad=$(q "SELECT string_agg(DISTINCT p.proname || ': ' || t::pg_catalog.regtype::pg_catalog.text, ', ')
	FROM pg_catalog.pg_depend d
	JOIN pg_catalog.pg_proc p ON p.oid = d.objid AND d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
	JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'ferriorm'
	CROSS JOIN LATERAL pg_catalog.unnest(COALESCE(p.proallargtypes, p.proargtypes::pg_catalog.oid[]) || p.prorettype) AS t
	JOIN pg_catalog.pg_type ty ON ty.oid = t
	WHERE ty.typnamespace <> 'pg_catalog'::pg_catalog.regnamespace")
[ -z "$bad" ] || fail "functions using planted types: $bad"
echo "every column, argument and result uses a built-in type"

echo "== deploy, status, apply, resolve and baseline never call the planted code"
D=$WORK/m
mkdir -p "$D/20240101000000_one" "$D/20240102000000_two"
printf 'provider = "postgresql"\n' > "$D/migration_lock.toml"
printf 'CREATE TABLE public.h_one (id int);\n' > "$D/20240101000000_one/migration.sql"
printf 'CREATE TABLE public.h_two (id int);\n' > "$D/20240102000000_two/migration.sql"
chmod -R a+rX "$D"
q "SET search_path = app, public; SELECT count(*) FROM app.ferriorm_deploy('$D')" | grep -qx 2 || fail "deploy"
q "SET search_path = app, public; SELECT count(*) FROM app.ferriorm_status('$D') WHERE status = 'applied'" | grep -qx 2 || fail "status"
q "SET search_path = app, public; SELECT app.ferriorm_apply('20240103000000_three', 'SELECT 1')" | grep -qx applied || fail "apply"
q "UPDATE app._ferriorm_migrations SET status = 'failed' WHERE migration_name = '20240103000000_three'"
q "SET search_path = app, public; SELECT app.ferriorm_resolve('20240103000000_three', 'rolled_back')" >/dev/null
q "DELETE FROM app._ferriorm_migrations"
q "SET search_path = app, public; SELECT count(*) FROM app.ferriorm_baseline('$D')" | grep -qx 2 || fail "baseline"
q "SET search_path = app, public; SELECT count(*) FROM app.ferriorm_validate('model A { id Int @id }')" >/dev/null
spied=$(q "SELECT string_agg(who || ': ' || what, ', ') FROM app.spied")
[ -z "$spied" ] || fail "the planted function was called: $spied"
echo "the planted function was never called"
echo "deploy_hostile_install: PASS"
