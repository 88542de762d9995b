#!/usr/bin/env bash
# pg_terminate_backend() in the middle of a deploy: the first migration had
# already run when its backend was killed, but nothing was applied or
# recorded, and the advisory lock is gone.  A second deploy then applies
# everything.
#
# Runs in its own database; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail

DB=ferriorm_deploy_terminate
WORK=$(mktemp -d /tmp/ferriorm-term.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	[ -n "${bg:-}" ] && kill "$bg" 2>/dev/null || true
	rm -rf "$WORK"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export PGDATABASE=$DB
psql -X -q -c "CREATE EXTENSION ferriorm"

D=$WORK/m
mkdir -p "$D/20240101000000_first" "$D/20240102000000_slow" "$D/20240103000000_third"
printf 'provider = "postgresql"\n' > "$D/migration_lock.toml"
printf 'CREATE TABLE term_first (id int);\nINSERT INTO term_first VALUES (1);\n' > "$D/20240101000000_first/migration.sql"
printf 'CREATE TABLE term_slow (id int);\nSELECT pg_sleep(60);\n' > "$D/20240102000000_slow/migration.sql"
printf 'CREATE TABLE term_third (id int);\n' > "$D/20240103000000_third/migration.sql"
chmod -R a+rX "$D"

echo "== start a deploy whose second migration sleeps"
PGAPPNAME=ferriorm_terminate_victim psql -X -qAt -c "SELECT count(*) FROM ferriorm_deploy('$D')" > "$WORK/victim.out" 2>&1 &
bg=$!

pid=""
for _ in $(seq 1 100); do
	pid=$(psql -X -qAt -c "SELECT pid FROM pg_stat_activity
		WHERE application_name = 'ferriorm_terminate_victim' AND wait_event = 'PgSleep'")
	[ -n "$pid" ] && break
	sleep 0.1
done
[ -n "$pid" ] || fail "the deploy never reached pg_sleep"
echo "backend $pid is inside migration 2 (migration 1 already ran)"
held=$(psql -X -qAt -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = $pid AND granted")
[ "$held" -eq 1 ] || fail "the deploy does not hold the advisory lock"
echo "it holds the advisory lock"

echo "== pg_terminate_backend($pid)"
psql -X -qAt -c "SELECT pg_terminate_backend($pid, 10000)" | grep -q t || fail "terminate failed"
if wait "$bg"; then fail "the deploy succeeded although its backend was terminated"; fi
bg=""
grep -q "terminating connection due to administrator command" "$WORK/victim.out" || { cat "$WORK/victim.out"; fail "unexpected client output"; }
echo "the deploy's client saw: $(grep -m1 FATAL "$WORK/victim.out")"

rows=$(psql -X -qAt -c "SELECT count(*) FROM _ferriorm_migrations")
[ "$rows" -eq 0 ] || fail "$rows history rows recorded"
tables=$(psql -X -qAt -c "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'term\_%'")
[ "$tables" -eq 0 ] || fail "$tables tables left behind"
locks=$(psql -X -qAt -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
[ "$locks" -eq 0 ] || fail "advisory lock still held"
echo "nothing applied, nothing recorded, lock released"

echo "== deploy again, with the sleep shortened (the file was never applied)"
printf 'CREATE TABLE term_slow (id int);\nSELECT pg_sleep(0);\n' > "$D/20240102000000_slow/migration.sql"
n=$(psql -X -qAt -c "SELECT count(*) FROM ferriorm_deploy('$D')")
[ "$n" -eq 3 ] || fail "second deploy applied $n, expected 3"
first=$(psql -X -qAt -c "SELECT count(*) FROM term_first")
[ "$first" -eq 1 ] || fail "term_first has $first rows"
echo "all 3 applied once"
echo "deploy_terminate: PASS"
