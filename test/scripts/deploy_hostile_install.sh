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
echo "== a non-superuser plants a look-alike of the ferriorm CLI's history table"
# Its trigger would make mallory a superuser if CREATE EXTENSION adopted the
# table (the install script updates it as the installing superuser).
q "DROP EXTENSION ferriorm"
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET ROLE regress_hostile_mallory;
CREATE TABLE app._ferriorm_migrations (id serial PRIMARY KEY, name pg_catalog.text UNIQUE,
	checksum pg_catalog.text, applied_at timestamptz DEFAULT now());
CREATE FUNCTION app.escalate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO app.spied VALUES (current_user, 'trigger');
	IF current_setting('is_superuser') = 'on' THEN
		EXECUTE 'ALTER ROLE regress_hostile_mallory SUPERUSER';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER escalate BEFORE UPDATE ON app._ferriorm_migrations
	FOR EACH ROW EXECUTE FUNCTION app.escalate();
INSERT INTO app._ferriorm_migrations (name, checksum)
	VALUES ('20240101000000_one', pg_catalog.repeat('0', 64));
RESET ROLE;
SQL
out=$(psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION ferriorm SCHEMA app" 2>&1) \
	&& fail "CREATE EXTENSION adopted mallory's table"
grep -q "is not owned by the role creating the extension" <<<"$out" || fail "unexpected error: $out"
[ "$(q "SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = 'regress_hostile_mallory'")" = f ] \
	|| fail "mallory became a superuser"
spied=$(q "SELECT string_agg(who || ': ' || what, ', ') FROM app.spied")
[ -z "$spied" ] || fail "the planted trigger was called: $spied"
# the same table owned by the installer, without the trigger, is adopted
q "DROP TRIGGER escalate ON app._ferriorm_migrations"
q "ALTER TABLE app._ferriorm_migrations OWNER TO CURRENT_USER"
q "CREATE EXTENSION ferriorm SCHEMA app"
[ "$(q "SELECT count(*) FROM app._ferriorm_migrations WHERE status = 'applied'")" = 1 ] \
	|| fail "the installer's table was not adopted"
echo "only a plain table of the installing role is adopted"
q "DELETE FROM app._ferriorm_migrations"
q "SET search_path = app, public; SELECT count(*) FROM app.ferriorm_baseline('$D')" | grep -qx 2 || fail "baseline after adoption"
echo "== a non-superuser plants _prisma_migrations to make a superuser's deploy skip a migration"
mkdir -p "$D/20240104000000_guard"
printf 'CREATE TABLE public.h_guard (id int);\n' > "$D/20240104000000_guard/migration.sql"
chmod -R a+rX "$D"
sum=$(q "SELECT encode(sha256(pg_read_binary_file('$D/20240104000000_guard/migration.sql')), 'hex')")
psql -X -q -v ON_ERROR_STOP=1 <<SQL
SET ROLE regress_hostile_mallory;
CREATE TABLE app._prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL,
	finished_at timestamptz, migration_name varchar(255) NOT NULL, logs pg_catalog.text,
	rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(),
	applied_steps_count int NOT NULL DEFAULT 0);
INSERT INTO app._prisma_migrations VALUES ('x', '$sum', now(), '20240104000000_guard', NULL, NULL, now(), 1);
RESET ROLE;
SQL
# neither adopted (mallory would decide what runs) nor ignored (an
# application role's real history would be applied a second time): refused
out=$(q "SET search_path = app, public; SELECT count(*) FROM app.ferriorm_deploy('$D')" 2>&1) \
	&& fail "a superuser's deploy went on beside another role's _prisma_migrations: $out"
echo "$out" | grep -q 'history table app._prisma_migrations of Prisma belongs to role regress_hostile_mallory' \
	|| fail "the refusal does not name the table and its owner: $out"
[ -z "$(q "SELECT to_regclass('public.h_guard')")" ] || fail "the refused deploy applied a migration"
[ "$(q "SELECT count(*) FROM app._ferriorm_migrations WHERE logs LIKE 'imported%'")" = 0 ] \
	|| fail "mallory's _prisma_migrations was imported"
echo "a superuser's deploy refuses another role's _prisma_migrations, naming it and its owner"
q "DROP TABLE app._prisma_migrations"
q "SET search_path = app, public; SELECT count(*) FROM app.ferriorm_deploy('$D')" >/dev/null
[ -n "$(q "SELECT to_regclass('public.h_guard')")" ] || fail "the deploy skipped a migration once the table was gone"
echo "deploy_hostile_install: PASS"
