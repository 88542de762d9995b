#!/usr/bin/env bash
# Benchmark: CALL ferriorm_migrate (one transaction per migration) deploying
# N small migrations, against "psql -f" run once per migration file (what a
# shell loop over the folders does: one connection and one autocommit
# transaction per file), in the same run on the same cluster.  The two run
# interleaved, A B A B, ROUNDS times, each on a fresh database; the figures
# are medians and the ratio is the median of the paired ratios.
#
# Then the cost of one loopback statement: K migrations each holding one
# trivial statement that must run outside a transaction block (DISCARD ALL,
# sent over the loopback connection) against K migrations each holding a
# trivial transactional one (DISCARD PLANS), interleaved; the difference
# per migration is the loopback's cost (connect, settings, statement,
# disconnect).
#
# Uses PGHOST/PGPORT/PGUSER if set, else the checkout's throwaway cluster
# (scripts/pg.sh start).  Needs a superuser.  Reports numbers; never fails
# on timing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/bench/lib/migrations.sh"
if [ -z "${PGHOST:-}" ]; then
	eval "$("$ROOT/scripts/pg.sh" env)"
fi
N=${N:-1000}
K=${K:-100}
ROUNDS=${ROUNDS:-3}
WORK=$(mktemp -d /tmp/ferriorm-bench-migrate.XXXXXX)
chmod 755 "$WORK"
DBS="ferriorm_bm_psql ferriorm_bm_call ferriorm_bm_lb ferriorm_bm_tx"
cleanup() {
	rm -rf "$WORK"
	for db in $DBS; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT

D=$WORK/migrations
bench_migrations "$D" "$N"
# $1 = dir, $2 = statement
one_stmt_dir() {
	mkdir -p "$1"
	for i in $(seq -w 1 "$K"); do
		mkdir -p "$1/2024010100$(printf '%06d' $((10#$i)))_s$i"
		echo "$2" > "$1/2024010100$(printf '%06d' $((10#$i)))_s$i/migration.sql"
	done
}
one_stmt_dir "$WORK/lb" "DISCARD ALL;"
one_stmt_dir "$WORK/tx" "DISCARD PLANS;"
chmod -R a+rX "$WORK"

fresh() {
	psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
}
now_ms() { date +%s%N | awk '{ printf "%.1f", $1 / 1000000 }'; }
since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
call() {	# call DB DIR: time of CALL ferriorm_migrate, checking the count
	local t0 out
	psql -X -q -d "$1" -c "CREATE EXTENSION ferriorm"
	t0=$(now_ms)
	out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "CALL ferriorm_migrate('$2')" 2>&1)
	since "$t0"
	echo "$out" | grep -q "applied $3 migrations" || { echo "CALL: $out" >&2; exit 1; }
}

: > "$WORK/psql.t"; : > "$WORK/call.t"; : > "$WORK/ratio.t"
: > "$WORK/lb.t"; : > "$WORK/tx.t"; : > "$WORK/lbdiff.t"
for r in $(seq 1 "$ROUNDS"); do
	fresh ferriorm_bm_psql
	t0=$(now_ms)
	for f in "$D"/*/migration.sql; do
		psql -X -q -v ON_ERROR_STOP=1 -d ferriorm_bm_psql -f "$f" >/dev/null
	done
	p=$(since "$t0")

	fresh ferriorm_bm_call
	c=$(call ferriorm_bm_call "$D" "$N")

	fresh ferriorm_bm_lb
	l=$(call ferriorm_bm_lb "$WORK/lb" "$K")
	fresh ferriorm_bm_tx
	x=$(call ferriorm_bm_tx "$WORK/tx" "$K")

	echo "round $r: psql -f per file ${p} ms, CALL ferriorm_migrate ${c} ms; $K loopback migrations ${l} ms, $K transactional ${x} ms"
	echo "$p" >> "$WORK/psql.t"
	echo "$c" >> "$WORK/call.t"
	awk -v p="$p" -v c="$c" 'BEGIN { printf "%.3f\n", c / p }' >> "$WORK/ratio.t"
	echo "$l" >> "$WORK/lb.t"
	echo "$x" >> "$WORK/tx.t"
	awk -v l="$l" -v x="$x" -v k="$K" 'BEGIN { printf "%.3f\n", (l - x) / k }' >> "$WORK/lbdiff.t"
done

echo "migrations:                   $N (2 statements each), $ROUNDS rounds, medians"
echo "psql -f, once per file:       $(median < "$WORK/psql.t") ms"
echo "CALL ferriorm_migrate:        $(median < "$WORK/call.t") ms (one transaction per migration, files read, checksummed, parsed, run and recorded)"
echo "ratio CALL / psql per file:   $(median < "$WORK/ratio.t") (median of the paired ratios)"
echo "one loopback statement:       $(median < "$WORK/lbdiff.t") ms ($K migrations with DISCARD ALL over the loopback minus $K with DISCARD PLANS)"
