#!/usr/bin/env bash
# pg_terminate_backend() in the middle of a deploy: the first migration had
# already run when its backend was killed, but nothing was applied or
# recorded, and the deploy lock is gone.  A second deploy then applies
# everything.
#
# The same for the procedure, terminated and cancelled: every migration
# committed before stays recorded, nothing of the interrupted migration is
# left, the session-level deploy lock is released; a cancel is recorded as
# the migration's failure.  A cancel while a loopback statement waits
# cancels the remote statement too.
#
# Runs in its own database; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail
. "$(dirname "$0")/../lib/poll.sh"
. "$(dirname "$0")/../lib/scratch.sh"

DB=ferriorm_deploy_terminate
scratch_begin term
scratch_cleanup_extra() {
	[ -n "${bg:-}" ] && kill "$bg" 2>/dev/null || true
}

scratch_create_db
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

pid=$(wait_backend ferriorm_terminate_victim PgSleep)
echo "backend $pid is inside migration 2 (migration 1 already ran)"
LOCKQ="SELECT count(*) FROM pg_locks WHERE locktype = 'relation' AND relation = '_ferriorm_migrations'::regclass AND mode = 'ShareUpdateExclusiveLock'"
held=$(psql -X -qAt -c "$LOCKQ AND pid = $pid AND granted")
[ "$held" -eq 1 ] || fail "the deploy does not hold the deploy lock"
echo "it holds the deploy lock"

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
locks=$(psql -X -qAt -c "$LOCKQ")
[ "$locks" -eq 0 ] || fail "deploy lock still held"
echo "nothing applied, nothing recorded, lock released"

echo "== deploy again, with the sleep shortened (the file was never applied)"
printf 'CREATE TABLE term_slow (id int);\nSELECT pg_sleep(0);\n' > "$D/20240102000000_slow/migration.sql"
n=$(psql -X -qAt -c "SELECT count(*) FROM ferriorm_deploy('$D')")
[ "$n" -eq 3 ] || fail "second deploy applied $n, expected 3"
first=$(psql -X -qAt -c "SELECT count(*) FROM term_first")
[ "$first" -eq 1 ] || fail "term_first has $first rows"
echo "all 3 applied once"

# proc_run KILLFN: a CALL whose second migration creates a table, then
# sleeps; KILLFN (pg_terminate_backend or pg_cancel_backend) interrupts it
proc_run() {
	psql -X -q -c "DELETE FROM _ferriorm_migrations" -c "DROP TABLE IF EXISTS term_first, term_slow, term_third"
	printf 'CREATE TABLE term_slow (id int);\nSELECT pg_sleep(60);\n' > "$D/20240102000000_slow/migration.sql"
	PGAPPNAME=ferriorm_proc_victim psql -X -q -c "CALL ferriorm_migrate('$D')" > "$WORK/victim.out" 2>&1 &
	bg=$!
	pid=$(wait_backend ferriorm_proc_victim PgSleep)
	held=$(psql -X -qAt -c "$LOCKQ AND pid = $pid AND granted")
	[ "$held" -eq 1 ] || fail "the procedure does not hold the deploy lock"
	psql -X -qAt -c "SELECT $1($pid)" | grep -q t || fail "$1 failed"
	if wait "$bg"; then fail "the CALL succeeded although it was interrupted"; fi
	bg=""
	# the first migration committed before: recorded and applied
	v=$(psql -X -qAt -c "SELECT count(*) FROM term_first")
	[ "$v" -eq 1 ] || fail "term_first has $v rows"
	v=$(psql -X -qAt -c "SELECT to_regclass('term_slow') IS NULL, to_regclass('term_third') IS NULL")
	[ "$v" = "t|t" ] || fail "half of the interrupted migration, or a later one, is left: $v"
	# the session-level lock is gone, with the backend or with the error
	for _ in $(seq 1 50); do
		[ "$(psql -X -qAt -c "$LOCKQ")" -eq 0 ] && break
		sleep 0.1
	done
	[ "$(psql -X -qAt -c "$LOCKQ")" -eq 0 ] || fail "the deploy lock is still held"
}

echo "== procedure: pg_terminate_backend in the middle of migration 2"
proc_run pg_terminate_backend
v=$(psql -X -qAt -c "SELECT string_agg(name || ':' || status, ' ' ORDER BY id) FROM _ferriorm_migrations")
[ "$v" = "20240101000000_first:applied" ] || fail "history is $v"
echo "migration 1 recorded and applied, nothing of migration 2, lock released"
printf 'CREATE TABLE term_slow (id int);\nSELECT pg_sleep(0);\n' > "$D/20240102000000_slow/migration.sql"
psql -X -q -v ON_ERROR_STOP=1 -c "CALL ferriorm_migrate('$D')" 2>&1 | grep -q "applied 2 migrations" || fail "the next CALL did not apply 2"
echo "the next CALL applies the other 2"

echo "== procedure: pg_cancel_backend in the middle of migration 2"
proc_run pg_cancel_backend
grep -q "canceling statement due to user request" "$WORK/victim.out" || { cat "$WORK/victim.out"; fail "unexpected client output"; }
v=$(psql -X -qAt -c "SELECT string_agg(name || ':' || status, ' ' ORDER BY id) FROM _ferriorm_migrations")
[ "$v" = "20240101000000_first:applied 20240102000000_slow:failed" ] || fail "history is $v"
v=$(psql -X -qAt -c "SELECT logs LIKE '%canceling statement due to user request%' FROM _ferriorm_migrations WHERE status = 'failed'")
[ "$v" = t ] || fail "the cancel is not in the failed row's logs"
echo "migration 1 recorded and applied, migration 2 recorded failed with the cancel, nothing of it left, lock released"
psql -X -q -c "SELECT ferriorm_resolve('20240102000000_slow', 'rolled_back')" >/dev/null
printf 'CREATE TABLE term_slow (id int);\nSELECT pg_sleep(0);\n' > "$D/20240102000000_slow/migration.sql"
psql -X -q -v ON_ERROR_STOP=1 -c "CALL ferriorm_migrate('$D')" 2>&1 | grep -q "applied 2 migrations" || fail "the next CALL did not apply 2"
echo "resolved as rolled back, the next CALL applies the other 2"

echo "== procedure: a cancel while a loopback CREATE INDEX CONCURRENTLY waits"
psql -X -q -c "DELETE FROM _ferriorm_migrations" -c "DROP TABLE IF EXISTS term_first, term_slow, term_third"
C=$WORK/cic
mkdir -p "$C/20240101000000_t" "$C/20240102000000_idx"
printf 'CREATE TABLE term_cic (id int);\n' > "$C/20240101000000_t/migration.sql"
printf 'CREATE INDEX CONCURRENTLY term_cic_id ON term_cic (id);\n' > "$C/20240102000000_idx/migration.sql"
chmod -R a+rX "$C"
psql -X -q -c "CREATE TABLE term_cic (id int)" -c "INSERT INTO _ferriorm_migrations (name, checksum) VALUES ('20240101000000_t', encode(sha256(pg_read_binary_file('$C/20240101000000_t/migration.sql')), 'hex'))"
# a transaction that writes the table: the concurrent build waits for it
PGAPPNAME=ferriorm_blocker psql -X -q -c "BEGIN" -c "INSERT INTO term_cic VALUES (1)" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
blocker=$!
wait_backend ferriorm_blocker PgSleep >/dev/null
PGAPPNAME=ferriorm_cic_victim psql -X -q -c "CALL ferriorm_migrate('$C')" > "$WORK/victim.out" 2>&1 &
bg=$!
remote=$(poll_value "SELECT pid FROM pg_stat_activity WHERE application_name = 'ferriorm loopback' AND state = 'active' AND query LIKE 'CREATE INDEX CONCURRENTLY%'" \
	"the loopback CREATE INDEX CONCURRENTLY")
pid=$(psql -X -qAt -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'ferriorm_cic_victim'")
echo "loopback backend $remote builds the index for backend $pid, waiting for the writer"
psql -X -qAt -c "SELECT pg_cancel_backend($pid)" | grep -q t || fail "cancel failed"
if wait "$bg"; then fail "the CALL succeeded although it was cancelled"; fi
bg=""
for _ in $(seq 1 50); do
	n=$(psql -X -qAt -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ferriorm loopback'")
	[ "$n" -eq 0 ] && break
	sleep 0.1
done
[ "$n" -eq 0 ] || fail "the loopback backend is still there after the cancel"
kill "$blocker" 2>/dev/null || true
wait "$blocker" 2>/dev/null || true
grep -q "canceling statement due to user request" "$WORK/victim.out" || { cat "$WORK/victim.out"; fail "unexpected client output"; }
v=$(psql -X -qAt -c "SELECT status FROM _ferriorm_migrations WHERE name = '20240102000000_idx'")
[ "$v" = failed ] || fail "the cancelled migration is $v"
echo "the cancel reached the loopback statement, its connection is closed, the migration is recorded failed"
echo "deploy_terminate: PASS"
