#!/usr/bin/env bash
# bench/peer.sh: ferriorm_plan() against a real alternative, migra (the
# npm package @pgkit/migra), on the same change: the generated schema of
# bench/plan_gen.sql at SIZES tables (default 1,000), 10% of the tables
# changed.
#
# ferriorm plans from the live database and the schema text; migra diffs
# the live database against a second database that holds the target
# schema (built here by applying ferriorm's own plan to an empty one).
# Both are timed as whole processes from the shell, as a user runs them
# (psql -c "SELECT ferriorm_plan(...)" against migra's command line, each
# with its start-up and connections), interleaved A B A B ... ROUNDS times
# after one untimed run of each.  Printed: the median of each, the median
# of the per-round ratios migra / ferriorm, and the number of statements
# each printed.  Asserts nothing about time.
#
# migra is optional and never installed by the build or the tests: this
# script looks for $MIGRA, then bench/.peer/node_modules/.bin/migra, then
# migra on the PATH, and prints a note and stops when there is none.
# Install it with:  npm install --prefix bench/.peer @pgkit/migra@0.6.1
#
# Uses the server of PGHOST/PGPORT if set, else the cluster of
# scripts/pg.sh.
#   SIZES=1000 ROUNDS=5 bench/peer.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SIZES=${SIZES:-1000}
ROUNDS=${ROUNDS:-5}

MIGRA=${MIGRA:-}
[ -z "$MIGRA" ] && [ -x bench/.peer/node_modules/.bin/migra ] && MIGRA=$ROOT/bench/.peer/node_modules/.bin/migra
[ -z "$MIGRA" ] && MIGRA=$(command -v migra || true)
if [ -z "$MIGRA" ]; then
	echo "peer: migra is not installed, skipped (npm install --prefix bench/.peer @pgkit/migra@0.6.1)"
	exit 0
fi

. bench/lib/timing.sh
LIVE=ferriorm_bench_peer
TARGET=ferriorm_bench_peer_target
bench_begin "$LIVE"
trap 'bench_end; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $TARGET" >/dev/null 2>&1 || true' EXIT

run() {
	PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"
}
# a libpq URL of the cluster for node-postgres (a socket directory or a host)
url() {
	local host=${PGHOST:-localhost}
	host=${host//\//%2F}
	echo "postgresql://${PGUSER:-$USER}@$host:${PGPORT:-5432}/$1"
}
now_ms() { date +%s%N | awk '{ printf "%.1f", $1 / 1000000 }'; }
since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", b - a }'; }

for size in $SIZES; do
	echo "== $size tables, 10% changed" >&2
	for db in $LIVE $TARGET; do
		psql -X -q -d postgres -c "SET client_min_messages = warning" \
			-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
		run -d "$db" <<SQL
CREATE EXTENSION ferriorm;
\\i bench/plan_gen.sql
CREATE TABLE bench_text (v1 text, v2 text);
INSERT INTO bench_text VALUES (pg_temp.bench_schema($size, 0, 'bench'),
                               pg_temp.bench_schema($size, 10, 'bench'));
SQL
	done
	# the live database at v1, the target at v2, each built from its plan
	run -d $LIVE -At -c "SELECT ferriorm_plan(v1) FROM bench_text" > "$WORK/live.sql"
	run -d $LIVE -f "$WORK/live.sql" > /dev/null
	run -d $TARGET -At -c "SELECT ferriorm_plan(v2) FROM bench_text" > "$WORK/target.sql"
	run -d $TARGET -f "$WORK/target.sql" > /dev/null
	run -d $LIVE -c "VACUUM ANALYZE" && run -d $TARGET -c "VACUUM ANALYZE"

	ferriorm() { run -d $LIVE -At -c "SELECT ferriorm_plan(v2) FROM bench_text"; }
	migra() { "$MIGRA" "$(url $LIVE)" "$(url $TARGET)" --schema bench --unsafe; }
	ferriorm > "$WORK/ferriorm.out"
	migra > "$WORK/migra.out" || true
	nf=$(grep -c ';$' "$WORK/ferriorm.out" || true)
	nm=$(grep -c ';$' "$WORK/migra.out" || true)
	: > "$WORK/times"
	for r in $(seq 1 "$ROUNDS"); do
		t0=$(now_ms); ferriorm > /dev/null; f=$(since "$t0")
		t0=$(now_ms); migra > /dev/null || true; m=$(since "$t0")
		echo "$size $r $f $m" >> "$WORK/times"
	done
	sort -k3 -g "$WORK/times" | awk -v n="$ROUNDS" -v size="$size" -v nf="$nf" -v nm="$nm" '
		{ f[NR] = $3 } END { print size, "ferriorm", f[int((n + 1) / 2)], nf }' > "$WORK/summary"
	sort -k4 -g "$WORK/times" | awk -v n="$ROUNDS" -v size="$size" -v nm="$nm" '
		{ m[NR] = $4 } END { print size, "migra", m[int((n + 1) / 2)], nm }' >> "$WORK/summary"
	awk '{ print $4 / $3 }' "$WORK/times" | sort -g | awk -v n="$ROUNDS" '
		{ x[NR] = $1 } END { min = x[1]; max = x[NR]; printf "%.1f %.1f %.1f\n", x[int((n + 1) / 2)], min, max }' > "$WORK/ratio"
	echo
	echo "ferriorm_plan vs migra, $size tables (10% changed), whole processes, $ROUNDS interleaved rounds"
	while read -r s what ms n; do
		printf '  %-9s median %8.1f ms   statements printed: %s\n' "$what" "$ms" "$n"
	done < "$WORK/summary"
	read -r med min max < "$WORK/ratio"
	echo "  migra / ferriorm: median of paired ratios ${med}x (min ${min}, max ${max})"
done
