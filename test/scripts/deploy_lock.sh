#!/usr/bin/env bash
# The deploy lock (issue 7, class 8): only roles that may deploy can take
# it, and it conflicts only with itself among what deploys and readers do.
#
#  1. A role without deploy rights cannot block a deploy: the old advisory
#     key held by it is ignored; LOCK TABLE in the deploy lock's mode is
#     refused to it; the ACCESS SHARE lock its SELECT takes (held to the
#     end of its transaction) does not conflict.
#  2. pg_locks while a deploy runs: the deployer holds SHARE UPDATE
#     EXCLUSIVE on _ferriorm_migrations (at session level for the
#     procedure); a second deploy waits for that very lock; readers of the
#     history (SELECT, ferriorm_status) do not wait.
#  3. The privilege check comes before the lock: a role that may not deploy
#     gets its permission error at once, while a deploy holds the lock,
#     never queueing behind it.
#
# Runs in its own database; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail
. "$(dirname "$0")/../lib/poll.sh"
. "$(dirname "$0")/../lib/scratch.sh"

DB=ferriorm_deploy_lock
scratch_begin lock
scratch_cleanup_extra() {
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS regress_lock_reader" >/dev/null 2>&1 || true
}

scratch_create_db "DROP ROLE IF EXISTS regress_lock_reader" "CREATE ROLE regress_lock_reader LOGIN"
psql -X -q -c "CREATE EXTENSION ferriorm"

D=$WORK/m
mkdir -p "$D/20240101000000_a" "$D/20240102000000_slow"
printf 'CREATE TABLE lock_a (id int);\n' > "$D/20240101000000_a/migration.sql"
printf 'CREATE TABLE lock_slow (id int);\nSELECT pg_sleep(60);\n' > "$D/20240102000000_slow/migration.sql"
chmod -R a+rX "$D"
E=$WORK/e
mkdir -p "$E/20240101000000_a"
cp "$D/20240101000000_a/migration.sql" "$E/20240101000000_a/"
chmod -R a+rX "$E"

MODEQ="SELECT mode, granted, locktype FROM pg_locks WHERE relation = '_ferriorm_migrations'::regclass"

echo "== 1. a role without deploy rights cannot block a deploy"
out=$(psql -X -qAt -U regress_lock_reader -c "BEGIN" \
	-c "LOCK TABLE _ferriorm_migrations IN SHARE UPDATE EXCLUSIVE MODE" 2>&1 || true)
grep -q "permission denied for table _ferriorm_migrations" <<<"$out" || fail "LOCK TABLE in the deploy lock's mode: $out"
echo "LOCK TABLE ... IN SHARE UPDATE EXCLUSIVE MODE: permission denied"
# what it can take, held while a deploy runs
PGAPPNAME=regress_lock_blocker psql -X -q -U regress_lock_reader \
	-c "SELECT pg_advisory_lock(7378429400237175405)" \
	-c "BEGIN" \
	-c "SELECT count(*) FROM _ferriorm_migrations" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
pids+=($!)
bpid=$(wait_backend regress_lock_blocker PgSleep)
v=$(psql -X -qAt -c "SELECT string_agg(locktype || ':' || mode, ' ' ORDER BY locktype) FROM pg_locks WHERE pid = $bpid AND (locktype = 'advisory' OR relation = '_ferriorm_migrations'::regclass)")
[ "$v" = "advisory:ExclusiveLock relation:AccessShareLock" ] || fail "the blocker holds $v"
echo "a reader holds the old advisory key and ACCESS SHARE on the history"
n=$(psql -X -qAt -c "SET lock_timeout = '5s'" -c "SELECT count(*) FROM ferriorm_deploy('$E')")
[ "$n" = 1 ] || fail "the function form applied $n"
psql -X -q -c "SET lock_timeout = '5s'" -c "DELETE FROM _ferriorm_migrations" -c "DROP TABLE lock_a"
psql -X -q -v ON_ERROR_STOP=1 -c "SET lock_timeout = '5s'" -c "CALL ferriorm_migrate('$E')" 2>&1 | grep -q "applied 1 migration" \
	|| fail "the procedure did not apply its migration"
echo "both forms deploy at once (lock_timeout 5s was never reached)"
kill "${pids[0]}" 2>/dev/null || true
wait "${pids[0]}" 2>/dev/null || true
pids=()
psql -X -q -c "DELETE FROM _ferriorm_migrations" -c "DROP TABLE lock_a"

echo "== 2. pg_locks while the procedure deploys"
PGAPPNAME=regress_lock_deployer psql -X -q -c "CALL ferriorm_migrate('$D')" >/dev/null 2>&1 &
pids+=($!)
dpid=$(wait_backend regress_lock_deployer PgSleep)
v=$(psql -X -qAt -c "SELECT string_agg(mode || ':' || granted, ' ') FROM pg_locks WHERE pid = $dpid AND relation = '_ferriorm_migrations'::regclass AND mode = 'ShareUpdateExclusiveLock'")
[ "$v" = "ShareUpdateExclusiveLock:true" ] || fail "the procedure holds $v"
# at session level: migration 1 has committed, the lock is still held
v=$(psql -X -qAt -c "SELECT to_regclass('lock_a') IS NOT NULL, (SELECT count(*) FROM _ferriorm_migrations)")
[ "$v" = "t|1" ] || fail "migration 1 is not committed while the lock is held: $v"
echo "the procedure holds SHARE UPDATE EXCLUSIVE on the history, across its commits"
# a second deploy waits for exactly that lock
PGAPPNAME=regress_lock_second psql -X -q -c "SELECT * FROM ferriorm_deploy('$E')" >/dev/null 2>&1 &
pids+=($!)
spid=$(wait_backend regress_lock_second relation)
v=$(psql -X -qAt -c "SELECT mode || ':' || granted FROM pg_locks WHERE pid = $spid AND relation = '_ferriorm_migrations'::regclass AND NOT granted")
[ "$v" = "ShareUpdateExclusiveLock:false" ] || fail "the second deploy waits for $v"
v=$(psql -X -qAt -c "SELECT pg_blocking_pids($spid) = ARRAY[$dpid]")
[ "$v" = t ] || fail "the second deploy is not blocked by the first"
echo "a second deploy waits for it, blocked by the first"
# readers do not wait
v=$(psql -X -qAt -U regress_lock_reader -c "SET statement_timeout = '5s'" -c "SELECT count(*) >= 0 FROM _ferriorm_migrations")
[ "$v" = t ] || fail "a reader of the history waited"
v=$(psql -X -qAt -c "SET statement_timeout = '5s'" -c "SELECT count(*) FROM ferriorm_status('$D')")
[ "$v" = 2 ] || fail "ferriorm_status waited or failed: $v"
echo "SELECT and ferriorm_status do not wait"

echo "== 3. the privilege check comes before the lock"
out=$(psql -X -qAt -U regress_lock_reader -c "SET statement_timeout = '5s'" -c "SELECT * FROM ferriorm_deploy('$E')" 2>&1 || true)
grep -q "must be superuser or have privileges of the pg_read_server_files role" <<<"$out" || fail "unexpected: $out"
out=$(psql -X -qAt -U regress_lock_reader -c "SET statement_timeout = '5s'" -c "CALL ferriorm_migrate('$E')" 2>&1 || true)
grep -q "must be superuser or have privileges of the pg_read_server_files role" <<<"$out" || fail "unexpected: $out"
out=$(psql -X -qAt -U regress_lock_reader -c "SET statement_timeout = '5s'" -c "SELECT ferriorm_resolve('x', 'applied')" 2>&1 || true)
grep -q "permission denied for function ferriorm_resolve" <<<"$out" || fail "unexpected: $out"
echo "refused at once while the lock is held, never queued"

for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
psql -X -qAt -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'regress_lock_%'" >/dev/null
echo "deploy_lock: PASS"
