#!/usr/bin/env bash
# bench/plan_budget.sh: what production plans cost on a table of 5 million
# rows (issue 12).
#
#  1. ferriorm_plan_steps() of a change with hazards on the big table, with
#     the hazard budget (default 1 s: estimates) and without it (-1: every
#     figure counted), interleaved A B A B; the floor is the plan of the
#     up-to-date schema (no hazard), measured in the same rounds.  Prints
#     medians and the paired ratios to the floor.
#  2. The time a concurrent SELECT (one row by primary key) waits while the
#     same change (a CHECK on the big table) is applied by CALL
#     ferriorm_migrate, from the plain plan (ADD CONSTRAINT ... CHECK scans
#     under ACCESS EXCLUSIVE) and from the online plan (NOT VALID, COMMIT,
#     then VALIDATE under SHARE UPDATE EXCLUSIVE), interleaved; the floor
#     is the same SELECT with no DDL running.  The SELECT is issued once the
#     change holds its lock (ACCESS EXCLUSIVE for the plain plan, SHARE
#     UPDATE EXCLUSIVE for the online VALIDATE) and timed by the server; a
#     round where the lock was not seen (the change was done first) counts
#     as "missed" and is left out of the medians.
#
# Uses the cluster of scripts/pg.sh (started if needed).  Asserts nothing.
#   ROUNDS=5 bench/plan_budget.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROUNDS=${ROUNDS:-5}
ROWS=${ROWS:-5000000}
scripts/pg.sh start >/dev/null
eval "$(scripts/pg.sh env)"
DB=ferriorm_bench_budget
WORK=$(mktemp -d /tmp/ferriorm-bench.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	rm -rf "$WORK"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
run() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
now_ms() { date +%s%N | awk '{ printf "%.1f", $1 / 1000000 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
run -c "CREATE EXTENSION ferriorm" \
	-c "CREATE UNLOGGED TABLE big (id int PRIMARY KEY, old int, v int) WITH (autovacuum_enabled = false)" \
	-c "INSERT INTO big SELECT g, g, g % 1000 FROM generate_series(1, $ROWS) g" \
	-c "VACUUM ANALYZE big"

HEAD='datasource db {
  provider = "postgresql"
  url = env("DATABASE_URL")
}'
SAME="$HEAD
model big {
  id  Int  @id
  old Int?
  v   Int?
  @@map(\"big\")
}"
CHANGE="$HEAD
model big {
  id Int     @id
  v  BigInt
  @@map(\"big\")
}"
CHECKED="$HEAD
model big {
  id  Int  @id
  old Int?
  v   Int?
  @@check(\"v >= 0\")
  @@map(\"big\")
}"

plan_ms() { # budget schema
	local t0 t1
	t0=$(now_ms)
	run -v s="$2" <<<"SET ferriorm.hazard_budget = $1; SELECT count(*) FROM ferriorm_plan_steps(:'s')" >/dev/null
	t1=$(now_ms)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }'
}

if [ "${PART:-1}" = 1 ]; then
echo "== 1. plan time on $ROWS rows: budget 1 s vs no budget (floor: up-to-date plan)"
: >"$WORK/floor"; : >"$WORK/a"; : >"$WORK/b"
for r in $(seq 1 "$ROUNDS"); do
	f=$(plan_ms 1000 "$SAME"); a=$(plan_ms 1000 "$CHANGE"); b=$(plan_ms -1 "$CHANGE")
	echo "$f" >>"$WORK/floor"; echo "$a" >>"$WORK/a"; echo "$b" >>"$WORK/b"
	echo "round $r: floor $f ms, budget $a ms, exact $b ms"
done
F=$(median <"$WORK/floor"); A=$(median <"$WORK/a"); B=$(median <"$WORK/b")
echo "median: floor $F ms; with budget $A ms ($(awk -v a="$A" -v f="$F" 'BEGIN { printf "%.1f", a / f }') x floor); exact $B ms ($(awk -v b="$B" -v f="$F" 'BEGIN { printf "%.1f", b / f }') x floor); exact / budget $(awk -v a="$A" -v b="$B" 'BEGIN { printf "%.1f", b / a }')"

fi
echo "== 2. a concurrent SELECT's wait while a CHECK is added: plain vs online"
mkdir -p "$WORK/m"
# the SELECT's own time, lock wait included, measured by the server
select_ms() {
	run -qAt -c "SELECT round((extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::numeric, 1) FROM (SELECT v FROM big WHERE id = 42) s"
}
# wait until another backend holds mode on big; 1 when it never did (10 s)
held() {
	local end=$(($(date +%s) + 10))
	while [ "$(date +%s)" -lt "$end" ]; do
		[ -n "$(run -qAt -c "SELECT 1 FROM pg_locks WHERE relation = 'big'::regclass AND mode = '$1' AND granted AND pid <> pg_backend_pid()")" ] && return 0
	done
	return 1
}
during() { # plain|online: the wait of a SELECT issued once the change holds its lock
	local pid w online=false mode=AccessExclusiveLock mig="$WORK/m/20240101000000_check/migration.sql"
	if [ "$1" = online ]; then online=true; mode=ShareUpdateExclusiveLock; fi
	run -c "ALTER TABLE big DROP CONSTRAINT IF EXISTS big_v_check" -c "TRUNCATE _ferriorm_migrations" >/dev/null
	rm -rf "$WORK/m/"*
	mkdir -p "$WORK/m/20240101000000_check"
	run -qAt -v s="$CHECKED" <<<"SELECT ferriorm_plan(:'s', online => $online)" >"$mig"
	grep -q 'ADD CONSTRAINT big_v_check' "$mig" || { echo "the $1 plan adds no CHECK: $(cat "$mig")" >&2; exit 1; }
	chmod -R a+rX "$WORK"
	run -c "CALL ferriorm_migrate('$WORK/m')" >/dev/null &
	pid=$!
	if held "$mode"; then w=$(select_ms); else w=missed; fi
	wait "$pid" || { echo "the $1 migration failed" >&2; exit 1; }
	echo "$w"
}
: >"$WORK/f2"; : >"$WORK/p"; : >"$WORK/o"
for r in $(seq 1 "$ROUNDS"); do
	f=$(select_ms); p=$(during plain); o=$(during online)
	echo "$f" >>"$WORK/f2"; echo "$p" >>"$WORK/p"; echo "$o" >>"$WORK/o"
	echo "round $r: alone $f ms, during plain $p ms, during online $o ms"
done
F=$(median <"$WORK/f2"); P=$(grep -v missed "$WORK/p" | median); O=$(grep -v missed "$WORK/o" | median)
echo "median SELECT: alone $F ms; during the plain plan $P ms ($(awk -v a="$P" -v f="$F" 'BEGIN { printf "%.1f", a / f }') x); during the online plan $O ms ($(awk -v a="$O" -v f="$F" 'BEGIN { printf "%.1f", a / f }') x)"
