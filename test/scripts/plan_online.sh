#!/usr/bin/env bash
# Online plans against a conflicting lock (issue 12, online mode).
#
#  1. A session holds ACCESS SHARE on a table (an open transaction that
#     read it) for 3 s while an online plan that needs ACCESS EXCLUSIVE on
#     it runs through CALL ferriorm_migrate(dir): each try waits at most
#     ferriorm.lock_timeout (written into the script as SET lock_timeout),
#     fails, is retried in a subtransaction, and the migration succeeds
#     once the lock is released.
#  2. Meanwhile a reader runs short transactions on the table: none waits
#     longer than the lock timeout (the plan's lock request gives up and
#     lets queued readers through), plus scheduling slack.
#  3. ferriorm_push() retries in the same way, in the caller's transaction.
#  4. With ferriorm.lock_retries = 0 the first timeout is the error.
#  5. CREATE INDEX CONCURRENTLY of an online migration holds the lock its
#     plan step says (SHARE UPDATE EXCLUSIVE), read from pg_locks while it
#     waits for an older transaction; a reader is not blocked meanwhile.
#  6. The same for DROP INDEX CONCURRENTLY, which waits for a transaction
#     that has read the table: SHARE UPDATE EXCLUSIVE, no ACCESS EXCLUSIVE
#     on the table, and a reader (500 ms lock_timeout) goes on.
#
# Needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail
. "$(dirname "$0")/../lib/poll.sh"
. "$(dirname "$0")/../lib/scratch.sh"

DB=ferriorm_plan_online
scratch_begin online
scratch_create_db
psql -X -q -c "CREATE EXTENSION ferriorm" \
	-c "CREATE TABLE onl (id int PRIMARY KEY, v int)" \
	-c "INSERT INTO onl SELECT g, g FROM generate_series(1, 1000) g" \
	-c "CREATE SCHEMA side" -c "CREATE TABLE side.onl_reads (ms float8)" \
	-c "CREATE PROCEDURE onl_reader(n int) LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz; c bigint;
BEGIN
  FOR i IN 1..n LOOP
    t0 := clock_timestamp();
    SELECT count(*) INTO c FROM onl;
    INSERT INTO side.onl_reads VALUES (extract(epoch FROM clock_timestamp() - t0) * 1000);
    COMMIT;
    PERFORM pg_sleep(0.05);
    COMMIT;
  END LOOP;
END \$\$"

SCHEMA='datasource db {
  provider = "postgresql"
  url = env("DATABASE_URL")
}
model onl {
  id Int  @id
  v  Int?
  w  Int?
  @@map("onl")
}'
# the online script, with a 1 s lock timeout
D=$WORK/m
mkdir -p "$D/20240101000000_online"
psql -X -qAt -v s="$SCHEMA" <<<"SET ferriorm.lock_timeout = '1s'; SELECT ferriorm_plan(:'s', online => true)" \
	>"$D/20240101000000_online/migration.sql"
chmod -R a+rX "$WORK"
grep -q "SET lock_timeout = '1000ms';" "$D/20240101000000_online/migration.sql" \
	|| fail "the online script sets no lock_timeout: $(cat "$D/20240101000000_online/migration.sql")"
grep -q 'ADD COLUMN w integer' "$D/20240101000000_online/migration.sql" \
	|| fail "unexpected online script: $(cat "$D/20240101000000_online/migration.sql")"

echo "== 1. an online migration against a session holding a conflicting lock for 3 s"
PGAPPNAME=onl_blocker psql -X -q -c "BEGIN" -c "SELECT count(*) FROM onl" -c "SELECT pg_sleep(3)" -c "COMMIT" >/dev/null &
pids+=($!)
wait_backend onl_blocker PgSleep >/dev/null
PGAPPNAME=onl_reader psql -X -q -c "CALL onl_reader(60)" >/dev/null &
reader=$!
pids+=($reader)
start=$(date +%s.%N)
out=$(psql -X -q -c "CALL ferriorm_migrate('$D')" 2>&1) || fail "the online migration failed: $out"
end=$(date +%s.%N)
retries=$(grep -c "lock not available, retrying" <<<"$out" || true)
[ "$retries" -ge 1 ] || fail "no retry: $out"
echo "migration applied after $retries retries ($(echo "$end - $start" | bc | cut -c1-4) s); first: $(grep -m1 -o 'lock not available, retrying in [0-9]* ms (retry 1 of 10)' <<<"$out")"
[ "$(psql -X -qAt -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'onl'::regclass AND attname = 'w'")" = 1 ] \
	|| fail "column w was not added"
[ "$(psql -X -qAt -c "SELECT status FROM ferriorm_status('$D')")" = applied ] || fail "not recorded as applied"

echo "== 2. the concurrent reader never waited longer than the lock timeout"
wait $reader
maxms=$(psql -X -qAt -c "SELECT round(max(ms)) FROM side.onl_reads")
n=$(psql -X -qAt -c "SELECT count(*) FROM side.onl_reads")
echo "reader: $n reads, longest wait ${maxms} ms (lock timeout 1000 ms)"
# 1000 ms of lock timeout, and scheduling slack on a shared machine
[ "$maxms" -le 1500 ] || fail "a reader waited ${maxms} ms"

echo "== 3. ferriorm_push retries in the caller's transaction"
SCHEMA2=${SCHEMA/  w  Int?/  w  Int?
  x  Int?}
PGAPPNAME=onl_blocker2 psql -X -q -c "BEGIN" -c "SELECT count(*) FROM onl" -c "SELECT pg_sleep(2)" -c "COMMIT" >/dev/null &
pids+=($!)
wait_backend onl_blocker2 PgSleep >/dev/null
out=$(psql -X -q -v s="$SCHEMA2" <<<"SET ferriorm.lock_timeout = '200ms'; SELECT ferriorm_push(:'s')" 2>&1) || fail "push failed: $out"
grep -q "lock not available, retrying" <<<"$out" || fail "push did not retry: $out"
echo "push applied after $(grep -c 'lock not available, retrying' <<<"$out") retries"

echo "== 4. ferriorm.lock_retries = 0: the first timeout is the error"
SCHEMA3=${SCHEMA2/  x  Int?/  x  Int?
  y  Int?}
PGAPPNAME=onl_blocker3 psql -X -q -c "BEGIN" -c "SELECT count(*) FROM onl" -c "SELECT pg_sleep(2)" -c "COMMIT" >/dev/null &
pids+=($!)
wait_backend onl_blocker3 PgSleep >/dev/null
out=$(psql -X -q -v s="$SCHEMA3" -v VERBOSITY=verbose <<<"SET ferriorm.lock_timeout = '100ms'; SET ferriorm.lock_retries = 0; SELECT ferriorm_push(:'s')" 2>&1 || true)
grep -q "ERROR:  55P03: canceling statement due to lock timeout" <<<"$out" || fail "expected a lock timeout: $out"
echo "lock_retries = 0: $(grep -o 'canceling statement due to lock timeout' <<<"$out")"

echo "== 5. CREATE INDEX CONCURRENTLY holds the lock its step says"
SCHEMA4="${SCHEMA3/  @@map(\"onl\")/  @@index([v])
  @@map(\"onl\")}"
lock=$(psql -X -qAt -v s="$SCHEMA4" <<<"SELECT lock FROM ferriorm_plan_steps(:'s', online => true) WHERE ddl LIKE 'CREATE INDEX CONCURRENTLY%'")
[ "$lock" = "SHARE UPDATE EXCLUSIVE on public.onl" ] || fail "the concurrent index step says: $lock"
# write_online DIR SCHEMA: DIR/migration.sql is the online plan of SCHEMA
write_online() {
	mkdir -p "$1"
	psql -X -qAt -v s="$2" <<<"SELECT ferriorm_plan(:'s', online => true)" >"$1/migration.sql"
	chmod -R a+rX "$WORK"
}
D2=$WORK/m2
write_online "$D2/20240102000000_index" "$SCHEMA4"
# an old snapshot: the concurrent build waits for it to end
PGAPPNAME=onl_snapshot psql -X -q -c "BEGIN ISOLATION LEVEL REPEATABLE READ" -c "SELECT count(*) FROM side.onl_reads" -c "SELECT pg_sleep(2)" -c "COMMIT" >/dev/null &
pids+=($!)
wait_backend onl_snapshot PgSleep >/dev/null
psql -X -q -c "CALL ferriorm_migrate('$D2')" >"$WORK/m2.out" 2>&1 &
mig=$!
pids+=($mig)
held=$(poll_value "SELECT mode FROM pg_locks WHERE relation = 'onl'::regclass AND granted AND mode = 'ShareUpdateExclusiveLock'" \
	"the concurrent index build's lock")
[ "$(psql -X -qAt -c "SELECT count(*) FROM onl")" = 1000 ] || fail "a reader was blocked by the concurrent build"
wait $mig || fail "the index migration failed: $(cat "$WORK/m2.out")"
echo "pg_locks during CREATE INDEX CONCURRENTLY: $held; plan step: $lock; a reader ran meanwhile"
[ "$(psql -X -qAt -c "SELECT indisvalid FROM pg_index WHERE indexrelid = 'onl_v_idx'::regclass")" = t ] || fail "no valid index"

echo "== 6. DROP INDEX CONCURRENTLY holds the lock its step says"
lock=$(psql -X -qAt -v s="$SCHEMA3" <<<"SELECT lock FROM ferriorm_plan_steps(:'s', online => true) WHERE ddl LIKE 'DROP INDEX CONCURRENTLY%'")
[ "$lock" = "SHARE UPDATE EXCLUSIVE on public.onl" ] || fail "the concurrent index drop step says: $lock"
D3=$WORK/m3
write_online "$D3/20240103000000_dropindex" "$SCHEMA3"
grep -q '^DROP INDEX CONCURRENTLY public.onl_v_idx;' "$D3/20240103000000_dropindex/migration.sql" ||
	fail "unexpected script: $(cat "$D3/20240103000000_dropindex/migration.sql")"
# a transaction that has read onl: the concurrent drop waits for it to end
PGAPPNAME=onl_user psql -X -q -c "BEGIN" -c "SELECT count(*) FROM onl" -c "SELECT pg_sleep(2)" -c "COMMIT" >/dev/null &
pids+=($!)
wait_backend onl_user PgSleep >/dev/null
psql -X -q -c "CALL ferriorm_migrate('$D3')" >"$WORK/m3.out" 2>&1 &
mig=$!
pids+=($mig)
held=$(poll_value "SELECT string_agg(l.mode, ',' ORDER BY l.mode) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.relation = 'onl'::regclass AND l.granted AND a.application_name <> 'onl_user'
  HAVING bool_or(l.mode = 'ShareUpdateExclusiveLock')" "the concurrent index drop's lock")
[[ "$held" != *AccessExclusiveLock* ]] || fail "ACCESS EXCLUSIVE on onl during DROP INDEX CONCURRENTLY: $held"
n=$(psql -X -qAt -c "SET lock_timeout = '500ms'" -c "SELECT count(*) FROM onl") || fail "a reader was blocked by the concurrent drop"
[ "$n" = 1000 ] || fail "reader: $n"
wait $mig || fail "the drop migration failed: $(cat "$WORK/m3.out")"
echo "pg_locks during DROP INDEX CONCURRENTLY: $held on onl; plan step: $lock; a reader ran meanwhile"
[ "$(psql -X -qAt -c "SELECT count(*) FROM pg_class WHERE relname = 'onl_v_idx'")" = 0 ] || fail "the index is still there"
echo "ok"
