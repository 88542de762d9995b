#!/usr/bin/env bash
# ferriorm on a hot standby (issue 12, standbys).
#
#  1. A standby of the test cluster (pg_basebackup -R, as the postgres OS
#     user, with the private installation's binaries: FERRIORM_PGBIN).
#  2. Deploy on the primary; on the standby the history and the schema
#     arrive, and ferriorm_status, ferriorm_plan (no verify) and
#     ferriorm_plan_steps read them.
#  3. Everything that writes fails on the standby with one error: it must
#     run on the primary (SQLSTATE 25006).
#  4. Figures: a long-running query on the standby while the primary
#     applies (a) a step that takes ACCESS EXCLUSIVE (ADD COLUMN), (b) the
#     online form of an index (CREATE INDEX CONCURRENTLY, SHARE UPDATE
#     EXCLUSIVE).  Only ACCESS EXCLUSIVE locks are replayed on a standby:
#     (a) cancels the standby query after max_standby_streaming_delay,
#     (b) leaves it alone.  The times are printed for docs/plan.md.
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
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$WORK/standby.log" ] && tail -20 "$WORK/standby.log"; exit 1; }
sq() { psql -X -qAt -h "$SSOCK" -p "$SPORT" -d $DB "$@"; }

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export PGDATABASE=$DB
psql -X -q -c "CREATE EXTENSION ferriorm" \
	-c "CREATE TABLE sb_big (id int PRIMARY KEY, v int)" \
	-c "INSERT INTO sb_big SELECT g, g FROM generate_series(1, 100000) g"

echo "== 1. a standby of the test cluster"
mkdir -p "$SSOCK"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$WORK"
as_pg "$BIN/pg_basebackup" -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -D "$WORK/standby" -R -X stream -c fast
cat >> "$WORK/standby/postgresql.auto.conf" <<EOT
port = $SPORT
unix_socket_directories = '$SSOCK'
listen_addresses = ''
hot_standby = on
max_standby_streaming_delay = 1s
hot_standby_feedback = off
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
chmod -R a+rX "$WORK"
psql -X -qAt -c "SELECT * FROM ferriorm_deploy('$D')" >/dev/null
catch_up
got=$(sq -c "SELECT string_agg(migration_name || ':' || (finished_at IS NOT NULL), ',' ORDER BY migration_name) FROM _ferriorm_migrations")
[ "$got" = "20240101000000_init:true,20240102000000_more:true" ] || fail "history on the standby: $got"
echo "history on the standby: $got"
got=$(sq -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'sb_a'::regclass AND attnum > 0")
[ "$got" = "id,name,n" ] || fail "schema on the standby: $got"
echo "schema on the standby: sb_a($got)"
got=$(sq -c "SELECT string_agg(migration || ':' || status, ',' ORDER BY migration) FROM ferriorm_status('$D')" 2>&1) || fail "ferriorm_status on the standby: $got"
grep -q "20240101000000_init:" <<<"$got" || fail "ferriorm_status on the standby: $got"
echo "ferriorm_status on the standby: $got"
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
got=$(sq -v s="$SCHEMA" <<<"SELECT ferriorm_plan(:'s')" 2>&1) || fail "ferriorm_plan on the standby: $got"
grep -q 'ADD COLUMN x integer' <<<"$got" || fail "ferriorm_plan on the standby: $got"
got=$(sq -v s="$SCHEMA" <<<"SELECT step || ' ' || coalesce(lock, '-') FROM ferriorm_plan_steps(:'s')" 2>&1) || fail "plan_steps on the standby: $got"
echo "ferriorm_plan_steps on the standby: $got"

echo "== 3. what writes fails on the standby, with one error"
for call in "SELECT ferriorm_push(:'s')" "SELECT ferriorm_plan(:'s', verify => true)" \
	"SELECT * FROM ferriorm_deploy('$D')" "CALL ferriorm_migrate('$D')"; do
	out=$(sq -v s="$SCHEMA" -v VERBOSITY=verbose <<<"$call" 2>&1 || true)
	grep -q "ERROR:  25006: .* must run on the primary server" <<<"$out" || fail "$call on the standby: $out"
	echo "$call: $(grep -o 'ferriorm_[a-z]*([^)]*) must run on the primary server' <<<"$out" | head -1)"
done

echo "== 4. a long-running standby query while the primary changes sb_big"
# the standby query: reads sb_big in a transaction, then sleeps 5 s
standby_reader() {
	local start end rc=0
	start=$(date +%s.%N)
	sq -v ON_ERROR_STOP=1 -c "BEGIN" -c "SELECT count(*) FROM sb_big" -c "SELECT pg_sleep(5)" -c "COMMIT" >"$WORK/reader.out" 2>&1 || rc=$?
	end=$(date +%s.%N)
	echo "$rc $(echo "$end - $start" | bc)" >"$WORK/reader.res"
}
run_case() {
	local label=$1 sql=$2
	rm -f "$WORK/reader.res"
	standby_reader &
	pids+=($!)
	for _ in $(seq 1 100); do
		[ -n "$(sq -c "SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND backend_type = 'client backend'")" ] && break
		sleep 0.05
	done
	psql -X -q -c "$sql" >/dev/null
	wait "${pids[-1]}" || true
	read -r rc secs <"$WORK/reader.res"
	if [ "$rc" -ne 0 ]; then
		echo "$label: the standby query was cancelled after ${secs}s: $(grep -m1 -o 'conflict with recovery' "$WORK/reader.out" || head -1 "$WORK/reader.out")"
	else
		echo "$label: the standby query ran to completion in ${secs}s (no conflict)"
	fi
	echo "$rc"
}
out=$(run_case "plain ADD COLUMN (ACCESS EXCLUSIVE)" "ALTER TABLE sb_big ADD COLUMN w int")
echo "$out" | head -1
[ "$(echo "$out" | tail -1)" -ne 0 ] || fail "an ACCESS EXCLUSIVE step did not conflict with the standby query"
out=$(run_case "online CREATE INDEX CONCURRENTLY (SHARE UPDATE EXCLUSIVE)" "CREATE INDEX CONCURRENTLY sb_big_v ON sb_big (v)")
echo "$out" | head -1
[ "$(echo "$out" | tail -1)" -eq 0 ] || fail "a concurrent index build conflicted with the standby query"
conflicts=$(sq -c "SELECT confl_lock FROM pg_stat_database_conflicts WHERE datname = '$DB'")
echo "pg_stat_database_conflicts.confl_lock on the standby: $conflicts"
[ "$conflicts" -ge 1 ] || fail "no lock conflict counted"
echo "ok"
