#!/usr/bin/env bash
# The rollback strategy of migrate dev checks privileges before it locks
# (docs/dev.md, Security): it drops every object of the managed schemas,
# and DROP TYPE, DROP FUNCTION and DROP SCHEMA lock the object before they
# check its ownership.  A role that owns some of the managed objects but
# not a type, a function or a schema the history creates must fail at
# once, naming it, not queue for the lock another session holds on it
# (and make everybody queue behind it).
#
# Session A, the owner, holds a lock on each object in turn (ALTER ... in
# an open transaction); session B, a developer, runs ferriorm_drift(dir,
# 'rollback') with lock_timeout = 3s: it must get "must be owner of ...",
# never "canceling statement due to lock timeout".
#
# Runs in its own database; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail
. "$(dirname "$0")/../lib/poll.sh"
. "$(dirname "$0")/../lib/scratch.sh"

DB=ferriorm_rb_locks
scratch_begin rblocks
scratch_cleanup_extra() {
	psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP ROLE IF EXISTS regress_rb_dev" >/dev/null 2>&1 || true
}
scratch_cleanup_extra
scratch_create_db "CREATE ROLE regress_rb_dev LOGIN" "GRANT pg_read_server_files TO regress_rb_dev"
psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
	-c "CREATE EXTENSION ferriorm" \
	-c "GRANT EXECUTE ON FUNCTION ferriorm_drift(text, text) TO regress_rb_dev" \
	-c "CREATE SCHEMA rb" -c "GRANT USAGE, CREATE ON SCHEMA rb TO regress_rb_dev" \
	-c "CREATE SCHEMA rb_made" -c "GRANT USAGE ON SCHEMA rb_made TO regress_rb_dev" \
	-c "CREATE TYPE rb.mood AS ENUM ('a')" \
	-c "CREATE FUNCTION rb.f() RETURNS int LANGUAGE sql AS 'SELECT 1'"

M=$WORK/m
mkdir -p "$M/20240101000000_a"
printf 'provider = "postgresql"\n' > "$M/migration_lock.toml"
printf 'CREATE SCHEMA IF NOT EXISTS rb_made;\nCREATE TABLE rb.mine (id int);\n' > "$M/20240101000000_a/migration.sql"
chmod -R a+rX "$M"
# applied here (the rollback strategy replays what the history applied);
# the developer owns the table, not the type, function and schema
psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "SELECT count(*) FROM ferriorm_deploy('$M')" \
	-c "ALTER TABLE rb.mine OWNER TO regress_rb_dev" >/dev/null

# hold a lock on one object in session A, run the rollback strategy in B
try() {
	local what=$1 lock=$2 want=$3 out
	PGAPPNAME=regress_rb_holder psql -X -q -c "BEGIN" -c "$lock" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
	pids+=($!)
	wait_backend regress_rb_holder PgSleep >/dev/null
	out=$(psql -X -qAt -U regress_rb_dev -c "SET search_path = rb, public" -c "SET lock_timeout = '3s'" \
		-c "SELECT ferriorm_drift('$M', 'rollback')" 2>&1 || true)
	psql -X -qAt -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'regress_rb_holder'" >/dev/null
	wait "${pids[-1]}" 2>/dev/null || true
	grep -q "lock timeout" <<<"$out" && fail "$what: queued for the lock: $out"
	grep -q "$want" <<<"$out" || fail "$what: $out"
	echo "$what: $want"
}
try "a type" "ALTER TYPE rb.mood RENAME VALUE 'a' TO 'b'" 'must be owner of type rb.mood'
psql -X -q -c "DROP TYPE rb.mood"
try "a function" "DROP FUNCTION rb.f()" 'must be owner of function rb.f()'
psql -X -q -c "DROP FUNCTION rb.f()"
try "a schema the history creates" "CREATE TABLE rb_made.held (id int)" 'must be owner of schema rb_made'
# owning them all, the developer gets the history state
psql -X -q -c "ALTER SCHEMA rb_made OWNER TO regress_rb_dev" -c "GRANT CREATE ON DATABASE $DB TO regress_rb_dev"
out=$(psql -X -qAt -U regress_rb_dev -c "SET search_path = rb, public" \
	-c "SET client_min_messages = warning" \
	-c "SELECT ferriorm_drift('$M', 'rollback') = '' AS no_drift" 2>&1 || true)
[ "$out" = t ] || fail "the owner's rollback strategy: $out"
echo "the owner of every managed object: no drift"
echo "ok"
