#!/usr/bin/env bash
# Benchmark: deploying 1,000 small migrations with ferriorm_deploy versus
# running the same statements, concatenated, with "psql -1 -f", in the same
# run on the same cluster.  Each side runs ROUNDS times on a fresh database,
# alternating; the best time of each is compared.  Prints the figures and
# the ratio ferriorm_deploy / psql (the target is <= 1.3).
#
# Uses PGHOST/PGPORT/PGUSER if set, else the checkout's throwaway cluster
# (scripts/pg.sh start).  Needs a superuser.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/bench/lib/migrations.sh"
if [ -z "${PGHOST:-}" ]; then
	eval "$("$ROOT/scripts/pg.sh" env)"
fi
N=${N:-1000}
ROUNDS=${ROUNDS:-3}
WORK=$(mktemp -d /tmp/ferriorm-bench.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	rm -rf "$WORK"
	for db in ferriorm_bench_psql ferriorm_bench_deploy; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT

D=$WORK/migrations
bench_migrations "$D" "$N" "$WORK/all.sql"
printf 'provider = "postgresql"\n' > "$D/migration_lock.toml"
chmod -R a+rX "$D"

fresh() {
	psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
}
now_ms() { date +%s%N | awk '{ printf "%.1f", $1 / 1000000 }'; }

best_psql=""
best_deploy=""
for r in $(seq 1 "$ROUNDS"); do
	fresh ferriorm_bench_psql
	t0=$(now_ms)
	psql -X -q -1 -v ON_ERROR_STOP=1 -d ferriorm_bench_psql -f "$WORK/all.sql" >/dev/null
	t1=$(now_ms)
	p=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')

	fresh ferriorm_bench_deploy
	psql -X -q -d ferriorm_bench_deploy -c "CREATE EXTENSION ferriorm"
	t0=$(now_ms)
	n=$(psql -X -qAt -v ON_ERROR_STOP=1 -d ferriorm_bench_deploy -c "SELECT count(*) FROM ferriorm_deploy('$D')")
	t1=$(now_ms)
	d=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	[ "$n" -eq "$N" ] || { echo "ferriorm_deploy applied $n of $N"; exit 1; }

	echo "round $r: psql -1 -f ${p} ms, ferriorm_deploy ${d} ms"
	best_psql=$(awk -v a="${best_psql:-1e18}" -v b="$p" 'BEGIN { print (b < a) ? b : a }')
	best_deploy=$(awk -v a="${best_deploy:-1e18}" -v b="$d" 'BEGIN { print (b < a) ? b : a }')
done

echo "migrations:          $N (2 statements each)"
echo "psql -1 -f (best):   ${best_psql} ms"
echo "ferriorm_deploy:     ${best_deploy} ms (files read, checksummed, parsed, run and recorded)"
awk -v p="$best_psql" -v d="$best_deploy" \
	'BEGIN { printf "ratio deploy/psql:   %.2f (target <= 1.30)\n", d / p }'
t0=$(now_ms)
psql -X -qAt -d ferriorm_bench_deploy -c "SELECT count(*) FROM ferriorm_deploy('$D')" >/dev/null
t1=$(now_ms)
echo "no-op re-deploy:     $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') ms (all $N files re-read and verified)"
