#!/usr/bin/env bash
# ferriorm on a hot standby (issue 12, standbys).
#
#  1. A standby of the test cluster (pg_basebackup -R, as the postgres OS
#     user, with the private installation's binaries: FERRIORM_PGBIN).
#  2. Deploy on the primary (and a migration written by ferriorm_dev, with
#     its schema.snapshot); on the standby the history and the schema
#     arrive, and ferriorm_status, ferriorm_plan (no verify),
#     ferriorm_plan_steps, ferriorm_pull, and ferriorm_drift and
#     ferriorm_diff_history with the snapshot strategy read them.
#  3. Everything that writes fails on the standby with one error: it must
#     run on the primary (SQLSTATE 25006): push, plan with verify, deploy,
#     migrate, apply, resolve, baseline, dev (writing files), and the
#     history strategies that write (rollback; shadow on this server).
#     And CALL ferriorm_migrate on the primary, its loopback sent to the
#     standby's address (ferriorm.loopback_conninfo), refuses to run the
#     statement there.
#  4. Figures for docs/plan.md: the plain and the online plan of the same
#     change, applied on the primary by CALL ferriorm_migrate, while on the
#     standby (max_standby_streaming_delay = 1 s) a long query holds the
#     table and short queries probe it.  Only ACCESS EXCLUSIVE locks are
#     replayed on a standby, from the lock record to the commit:
#     (a) a CHECK whose validation scan takes about 3 s (a slow CHECK
#         function): plain, ADD CONSTRAINT scans under ACCESS EXCLUSIVE and
#         the short queries wait for the whole scan; online, only the
#         NOT VALID step takes it, briefly, and VALIDATE (SHARE UPDATE
#         EXCLUSIVE) is not replayed.  Both cancel the long query;
#     (b) dropping an index: DROP INDEX against DROP INDEX CONCURRENTLY.
#
# Needs PGHOST/PGPORT/PGUSER (a superuser) of the test cluster.
set -euo pipefail

DB=ferriorm_standby
WORK=$(mktemp -d /tmp/ferriorm-standby.XXXXXX)
chmod 755 "$WORK"
SPORT=$((PGPORT + 1000))
SSOCK=$WORK/sock
BIN=${FERRIORM_PGBIN:-$(pg_config --bindir)}
pids=()

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
	else
		"$@"
	fi
}
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	if [ -f "$WORK/standby/postmaster.pid" ]; then
		as_pg "$BIN/pg_ctl" -D "$WORK/standby" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$WORK"
	drop_slot
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
# the standby's replication slot keeps the WAL it has yet to receive
SLOT=ferriorm_standby_test
drop_slot() { # once its walsender has gone (at most 5 s)
	for _ in $(seq 1 50); do
		[ "$(psql -X -qAt -d postgres -c "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SLOT'" 2>/dev/null)" = 0 ] && return 0
		psql -X -q -d postgres -c "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name = '$SLOT' AND NOT active" >/dev/null 2>&1 || true
		sleep 0.1
	done
}
trap cleanup EXIT
# to stderr: a failure inside $(run_case ...) must not vanish with its output
fail() { { echo "FAIL: $*"; [ -f "$WORK/standby.log" ] && tail -20 "$WORK/standby.log"; } >&2; exit 1; }
sq() { psql -X -qAt -h "$SSOCK" -p "$SPORT" -d $DB "$@"; }

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export PGDATABASE=$DB
psql -X -q -c "CREATE EXTENSION ferriorm" \
	-c "CREATE TABLE sb_big (id int PRIMARY KEY, v int)" \
	-c "INSERT INTO sb_big SELECT g, g FROM generate_series(1, 100000) g"

echo "== 1. a standby of the test cluster"
mkdir -p "$SSOCK"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$WORK"
drop_slot
as_pg "$BIN/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -D "$WORK/standby" -R -X stream -c fast -C -S "$SLOT"
# hot_standby_feedback: the conflicts measured are the lock conflicts of
# the plans; without it, vacuum on the primary (autovacuum of the catalog
# rows a DROP CONSTRAINT leaves) could also end a standby query, at random
cat >> "$WORK/standby/postgresql.auto.conf" <<EOT
port = $SPORT
unix_socket_directories = '$SSOCK'
listen_addresses = ''
hot_standby = on
max_standby_streaming_delay = 1s
hot_standby_feedback = on
EOT
[ "$(id -u)" -eq 0 ] && chown -R postgres "$WORK"
as_pg "$BIN/pg_ctl" -D "$WORK/standby" -l "$WORK/standby.log" -w -t 60 start >/dev/null
[ "$(sq -c 'SELECT pg_is_in_recovery()')" = t ] || fail "the standby is not in recovery"
echo "standby in recovery on port $SPORT"

# wait until the standby has replayed what the primary wrote
catch_up() {
	local lsn
	lsn=$(psql -X -qAt -c "SELECT pg_current_wal_insert_lsn()")
	for _ in $(seq 1 200); do
		[ "$(sq -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ] && return 0
		sleep 0.05
	done
	fail "the standby did not replay up to $lsn"
}

echo "== 2. deploy on the primary; history and schema arrive on the standby"
D=$WORK/m
mkdir -p "$D/20240101000000_init" "$D/20240102000000_more"
printf 'CREATE TABLE sb_a (id int PRIMARY KEY, name text);\n' > "$D/20240101000000_init/migration.sql"
printf 'ALTER TABLE sb_a ADD COLUMN n int;\n' > "$D/20240102000000_more/migration.sql"
chmod -R a+rwX "$WORK"
psql -X -qAt -c "SELECT * FROM ferriorm_deploy('$D')" >/dev/null
SCHEMA='datasource db {
  provider = "postgresql"
  url = env("DATABASE_URL")
}
model sb_a {
  id   Int     @id
  name String?
  n    Int?
  x    Int?
  @@map("sb_a")
}
model sb_big {
  id Int  @id
  v  Int?
  @@map("sb_big")
}'
# the current schema; ferriorm_dev on the primary writes its snapshot
DEVSCHEMA=${SCHEMA/  x    Int?
/}
# (sb_big, made by hand, is adopted: the last folder is <ts>_drift_adopted)
dev=$(psql -X -qAt -v s="$DEVSCHEMA" <<<"SELECT migration FROM ferriorm_dev('$D', :'s', on_drift => 'adopt')")
[[ "$dev" == *_drift_adopted ]] || fail "ferriorm_dev on the primary wrote '$dev'"
[ -f "$D/$dev/schema.snapshot" ] || fail "the adopted drift has no schema.snapshot"
catch_up
got=$(sq -c "SELECT string_agg(migration_name || ':' || (finished_at IS NOT NULL), ',' ORDER BY migration_name) FROM _ferriorm_migrations")
[ "$got" = "20240101000000_init:true,20240102000000_more:true,$dev:true" ] || fail "history on the standby: $got"
echo "history on the standby: $got"
got=$(sq -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'sb_a'::regclass AND attnum > 0")
[ "$got" = "id,name,n" ] || fail "schema on the standby: $got"
echo "schema on the standby: sb_a($got)"
got=$(sq -c "SELECT string_agg(migration || ':' || status, ',' ORDER BY migration) FROM ferriorm_status('$D')" 2>&1) || fail "ferriorm_status on the standby: $got"
[ "$got" = "20240101000000_init:applied,20240102000000_more:applied,$dev:applied" ] || fail "ferriorm_status on the standby: $got"
echo "ferriorm_status on the standby: $got"
got=$(sq -v s="$SCHEMA" <<<"SELECT ferriorm_plan(:'s')" 2>&1) || fail "ferriorm_plan on the standby: $got"
grep -q 'ADD COLUMN x integer' <<<"$got" || fail "ferriorm_plan on the standby: $got"
echo "ferriorm_plan on the standby: $(grep -c 'ADD COLUMN x integer' <<<"$got") step (ADD COLUMN x integer)"
got=$(sq -v s="$SCHEMA" <<<"SELECT string_agg(step || ' ' || coalesce(lock, '-'), '; ') FROM ferriorm_plan_steps(:'s', online => true)" 2>&1) ||
	fail "plan_steps on the standby: $got"
[ "$got" = "1 ACCESS EXCLUSIVE on public.sb_a" ] || fail "plan_steps on the standby: $got"
echo "ferriorm_plan_steps(online) on the standby: $got"
got=$(sq -v s="$SCHEMA" <<<"SELECT (SELECT count(*) FROM ferriorm_validate(:'s')) || ' ' || length(ferriorm_format(:'s')) || ' ' || (ferriorm_diff('', :'s') LIKE '%CREATE TABLE%')" 2>&1) ||
	fail "the offline functions on the standby: $got"
[[ "$got" == "0 "*" true" ]] || fail "the offline functions on the standby: $got"
echo "ferriorm_validate, ferriorm_format, ferriorm_diff on the standby: $got"
got=$(sq -c "SELECT ferriorm_pull()" 2>&1) || fail "ferriorm_pull on the standby: $got"
grep -q '@@map("sb_a")' <<<"$got" || fail "ferriorm_pull on the standby: $got"
echo "ferriorm_pull on the standby: $(grep -c '^model ' <<<"$got") models"
got=$(sq -c "SELECT ferriorm_drift('$D', 'snapshot')" 2>&1) || fail "ferriorm_drift (snapshot) on the standby: $got"
[ -z "$got" ] || fail "ferriorm_drift (snapshot) on the standby: '$got'"
got=$(sq -v s="$SCHEMA" <<<"SELECT ferriorm_diff_history('$D', :'s', 'snapshot')" 2>&1) ||
	fail "ferriorm_diff_history (snapshot) on the standby: $got"
grep -q 'ADD COLUMN "x" INTEGER\|ADD COLUMN x integer' <<<"$got" || fail "ferriorm_diff_history (snapshot) on the standby: $got"
echo "ferriorm_drift(snapshot) on the standby: '' (no drift); ferriorm_diff_history(snapshot): the ADD COLUMN"
# a change by hand on the primary is drift on the standby too
psql -X -q -c "ALTER TABLE sb_a ADD COLUMN hand int"
catch_up
got=$(sq -c "SELECT ferriorm_drift('$D', 'snapshot')" 2>&1) || fail "ferriorm_drift (snapshot) on the standby: $got"
grep -q 'ADD COLUMN hand integer' <<<"$got" || fail "the standby's drift misses the hand-made column: $got"
psql -X -q -c "ALTER TABLE sb_a DROP COLUMN hand"
echo "a column added by hand on the primary: drift on the standby"

echo "== 3. what writes fails on the standby, with one error"
for call in "SELECT ferriorm_push(:'s')" "SELECT ferriorm_plan(:'s', verify => true)" \
	"SELECT * FROM ferriorm_deploy('$D')" "CALL ferriorm_migrate('$D')" \
	"SELECT ferriorm_apply('20990101000000_x', 'SELECT 1')" \
	"SELECT ferriorm_resolve('20240101000000_init', 'rolled_back')" \
	"SELECT * FROM ferriorm_baseline('$D')" \
	"SELECT * FROM ferriorm_dev('$D', :'s')" \
	"SELECT * FROM ferriorm_dev('$D', :'s', create_only => true, strategy => 'snapshot')" \
	"SELECT ferriorm_drift('$D', 'rollback')" "SELECT ferriorm_drift('$D')" \
	"SELECT ferriorm_diff_history('$D', :'s', 'shadow')" \
	"SELECT ferriorm_diff_history('$D', :'s', 'rollback')"; do
	out=$(sq -v s="$SCHEMA" -v VERBOSITY=verbose <<<"$call" 2>&1 || true)
	grep -q "ERROR:  25006: .* must run on the primary server" <<<"$out" || fail "$call on the standby: $out"
	[ "$(grep -c 'ERROR' <<<"$out")" -eq 1 ] || fail "$call on the standby: more than one error: $out"
	echo "$call: $(grep -o 'ferriorm_[a-z_]*([^)]*)[^:]* must run on the primary server' <<<"$out" | head -1)"
done
[ "$(ls "$D" | wc -l)" -eq 4 ] || fail "a refused call wrote into the directory: $(ls "$D")"

echo "== 3b. the loopback of CALL ferriorm_migrate refuses to run on the standby"
# ferriorm.loopback_conninfo may give an address; one of the standby must
# not run the primary's migration there (and record it applied here)
mkdir -p "$D/20240103000000_conc"
printf 'CREATE INDEX CONCURRENTLY sb_a_name_idx ON sb_a (name);\n' > "$D/20240103000000_conc/migration.sql"
chmod -R a+rwX "$D"
out=$(psql -X -q -c "LOAD 'ferriorm'" -c "SET ferriorm.loopback_conninfo = 'host=$SSOCK port=$SPORT'" \
	-c "CALL ferriorm_migrate('$D')" 2>&1 || true)
grep -q 'the loopback connection reached another server or database' <<<"$out" ||
	fail "a loopback to the standby was not refused: $out"
got=$(psql -X -qAt -c "SELECT count(*) FROM pg_class WHERE relname = 'sb_a_name_idx'")
[ "$got" = 0 ] || fail "the index was built on the primary anyway"
got=$(psql -X -qAt -c "SELECT count(*) FROM _ferriorm_migrations WHERE migration_name = '20240103000000_conc'")
[ "$got" = 0 ] || fail "the refused migration was recorded"
out=$(psql -X -q -c "CALL ferriorm_migrate('$D')" 2>&1) || fail "the loopback to this server: $out"
got=$(psql -X -qAt -c "SELECT indisvalid FROM pg_index WHERE indexrelid = 'sb_a_name_idx'::regclass")
[ "$got" = t ] || fail "the index after the loopback to this server: $got"
psql -X -q -c "DROP INDEX sb_a_name_idx" -c "DELETE FROM _ferriorm_migrations WHERE migration_name = '20240103000000_conc'"
rm -r "$D/20240103000000_conc"
echo "ferriorm.loopback_conninfo naming the standby: refused (the loopback reached another server); this server's socket: index built"

echo "== 4. a plain and an online plan of the same change against standby queries"
# sbx.chk: 3000 rows; sb_ok() is made slow (1 ms a row) once the scripts
# are written, so that validating the CHECK scans for about 3 s
psql -X -q -c "CREATE FUNCTION sb_ok(n int) RETURNS boolean IMMUTABLE LANGUAGE sql AS 'SELECT n > 0'" \
	-c "CREATE SCHEMA sbx" -c "CREATE TABLE sbx.chk (id int PRIMARY KEY, v int)" \
	-c "INSERT INTO sbx.chk SELECT g, g FROM generate_series(1, 3000) g" \
	-c "CREATE INDEX chk_v_idx ON sbx.chk (v)" -c "ANALYZE sbx.chk"
SBX='datasource db {
  provider = "postgresql"
  url = env("DATABASE_URL")
  schemas = ["sbx"]
}
model chk {
  id Int  @id
  v  Int?'
CHK="$SBX
  @@index([v])
  @@check(\"public.sb_ok(v)\")
  @@map(\"chk\")
  @@schema(\"sbx\")
}"
NOIDX="$SBX
  @@map(\"chk\")
  @@schema(\"sbx\")
}"
M=$WORK/m4
# one directory per case, each with the plan as its migration
write_case() { # write_case NAME SCHEMA ONLINE
	mkdir -p "$M/$1/20240301000000_$1"
	psql -X -qAt -v s="$2" <<<"SELECT ferriorm_plan(:'s', online => $3)" >"$M/$1/20240301000000_$1/migration.sql"
}
write_case check_plain "$CHK" false
write_case check_online "$CHK" true
write_case dropidx_plain "$NOIDX" false
write_case dropidx_online "$NOIDX" true
chmod -R a+rwX "$WORK"
grep -q '^ALTER TABLE sbx.chk ADD CONSTRAINT chk_v_check CHECK (public.sb_ok(v));' "$M"/check_plain/*/migration.sql ||
	fail "plain CHECK script: $(cat "$M"/check_plain/*/migration.sql)"
grep -q 'NOT VALID;' "$M"/check_online/*/migration.sql && grep -q '^ALTER TABLE sbx.chk VALIDATE CONSTRAINT chk_v_check;' "$M"/check_online/*/migration.sql ||
	fail "online CHECK script: $(cat "$M"/check_online/*/migration.sql)"
grep -q '^DROP INDEX sbx.chk_v_idx;' "$M"/dropidx_plain/*/migration.sql || fail "plain drop: $(cat "$M"/dropidx_plain/*/migration.sql)"
grep -q '^DROP INDEX CONCURRENTLY sbx.chk_v_idx;' "$M"/dropidx_online/*/migration.sql || fail "online drop: $(cat "$M"/dropidx_online/*/migration.sql)"
psql -X -q -c "CREATE OR REPLACE FUNCTION sb_ok(n int) RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS \$\$BEGIN PERFORM pg_sleep(0.001); RETURN n > 0; END\$\$" \
	-c "CREATE PROCEDURE sb_probe(seconds float8) LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz; w float8; worst float8 := 0; n int := 0; c int; cancelled int := 0; stop timestamptz := clock_timestamp() + seconds * interval '1 s';
BEGIN
  WHILE clock_timestamp() < stop LOOP
    t0 := clock_timestamp();
    BEGIN
      SELECT v INTO c FROM sbx.chk WHERE id = 1;
    EXCEPTION WHEN serialization_failure OR query_canceled THEN
      cancelled := cancelled + 1;	-- a conflict with recovery: counted, and waited for
    END;
    w := extract(epoch FROM clock_timestamp() - t0) * 1000;
    worst := greatest(worst, w);
    n := n + 1;
    COMMIT;
    PERFORM pg_sleep(0.02);
    COMMIT;
  END LOOP;
  RAISE NOTICE 'probe: % queries (% cancelled), longest %', n, cancelled, round(worst::numeric);
END \$\$" \
	-c "CREATE TABLE sb_tick (t timestamptz)" \
	-c "CREATE PROCEDURE sb_ticker(seconds float8) LANGUAGE plpgsql AS \$\$
DECLARE stop timestamptz := clock_timestamp() + seconds * interval '1 s';
BEGIN
  WHILE clock_timestamp() < stop LOOP
    INSERT INTO sb_tick VALUES (clock_timestamp());
    COMMIT;
    PERFORM pg_sleep(0.05);
  END LOOP;
END \$\$"
catch_up

# the standby's long query: reads sbx.chk in a transaction, then sleeps 8 s
standby_reader() {
	local start end rc=0
	start=$(date +%s.%N)
	sq -v ON_ERROR_STOP=1 -c "BEGIN" -c "SELECT count(*) FROM sbx.chk" -c "SELECT pg_sleep(8)" -c "COMMIT" >"$WORK/reader.out" 2>&1 || rc=$?
	end=$(date +%s.%N)
	echo "$rc $(echo "$end - $start" | bc)" >"$WORK/reader.res"
}
# run_case NAME: CALL ferriorm_migrate of the case's directory on the
# primary while the standby's long query and probe (9 s) run, and other
# sessions commit on the primary every 50 ms, as on a busy primary (each
# commit flushes the WAL, so the standby learns of a lock at once).  Prints
# "<reader exit> <reader s> <longest probe ms> <apply s>"
run_case() {
	local rpid ppid t0 t1 rc secs worst
	rm -f "$WORK/reader.res"
	standby_reader &
	rpid=$!
	pids+=($rpid)
	sq -c "CALL sb_probe(9)" >"$WORK/probe.out" 2>&1 &
	ppid=$!
	pids+=($ppid)
	psql -X -q -c "CALL sb_ticker(9)" >/dev/null 2>&1 &
	pids+=($!)
	for _ in $(seq 1 100); do
		[ -n "$(sq -c "SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE 'SELECT pg_sleep(8)%'")" ] && break
		sleep 0.05
	done
	t0=$(date +%s.%N)
	psql -X -q -c "CALL ferriorm_migrate('$M/$1')" >"$WORK/migrate.out" 2>&1 || fail "$1: $(cat "$WORK/migrate.out")"
	t1=$(date +%s.%N)
	wait "$rpid" || true
	wait "$ppid" || fail "$1: the probe failed: $(cat "$WORK/probe.out")"
	read -r rc secs <"$WORK/reader.res"
	worst=$(grep -o 'longest [0-9]*' "$WORK/probe.out" | cut -d' ' -f2)
	[ -n "$worst" ] || fail "$1: no probe result: $(cat "$WORK/probe.out")"
	printf '%s %.1f %s %.1f\n' "$rc" "$secs" "$worst" "$(echo "$t1 - $t0" | bc)"
}
report() { # LABEL RESULT
	local rc secs worst apply
	read -r rc secs worst apply <<<"$2"
	if [ "$rc" -ne 0 ]; then
		echo "$1: applied in ${apply} s; the standby's long query was cancelled after ${secs} s ($(grep -m1 -o 'conflict with recovery' "$WORK/reader.out" || head -1 "$WORK/reader.out")); short standby queries waited at most ${worst} ms"
	else
		echo "$1: applied in ${apply} s; the standby's long query ran to completion (${secs} s); short standby queries waited at most ${worst} ms"
	fi
}
# back to the state the plans were made from, without standby queries
undo() { psql -X -q -c "$1" >/dev/null; catch_up; }
conf0=$(sq -c "SELECT confl_lock FROM pg_stat_database_conflicts WHERE datname = '$DB'")
r1=$(run_case check_plain)
report "plain plan, CHECK (ADD CONSTRAINT: ACCESS EXCLUSIVE through the scan)" "$r1"
undo "ALTER TABLE sbx.chk DROP CONSTRAINT chk_v_check"
r2=$(run_case check_online)
report "online plan, CHECK (NOT VALID, COMMIT, VALIDATE under SHARE UPDATE EXCLUSIVE)" "$r2"
r3=$(run_case dropidx_plain)
report "plain plan, DROP INDEX (ACCESS EXCLUSIVE)" "$r3"
undo "CREATE INDEX chk_v_idx ON sbx.chk (v)"
r4=$(run_case dropidx_online)
report "online plan, DROP INDEX CONCURRENTLY" "$r4"
conf1=$(sq -c "SELECT confl_lock FROM pg_stat_database_conflicts WHERE datname = '$DB'")
echo "pg_stat_database_conflicts.confl_lock on the standby: $((conf1 - conf0)) in these 4 cases"
read -r rc1 _ w1 _ <<<"$r1"
read -r rc2 _ w2 _ <<<"$r2"
read -r rc3 _ _ _ <<<"$r3"
# what PostgreSQL documents, asserted: an ACCESS EXCLUSIVE lock is replayed
# and conflicts with a standby query that holds the table (both CHECK forms
# take one at some point; so does a plain DROP INDEX) ...
[ "$rc1" -ne 0 ] || fail "the plain CHECK did not conflict with the standby's long query"
[ "$rc2" -ne 0 ] || fail "the online CHECK's NOT VALID step did not conflict with the standby's long query"
[ "$rc3" -ne 0 ] || fail "the plain DROP INDEX did not conflict with the standby's long query"
# ... and held on the standby until the commit is replayed: through the
# plain scan (3 s at least), only for the NOT VALID step of the online plan
# (which waits for the long query: up to max_standby_streaming_delay)
[ "$w1" -ge 2000 ] || fail "standby queries were not held up by the plain CHECK's scan (${w1} ms)"
[ "$((w2 + 1000))" -le "$w1" ] || fail "standby queries waited ${w2} ms during the online CHECK, ${w1} ms during the plain one"
[ "$((conf1 - conf0))" -ge 3 ] || fail "lock conflicts counted: $((conf1 - conf0))"
echo "ok"
