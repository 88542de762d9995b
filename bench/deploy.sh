#!/usr/bin/env bash
# bench/deploy.sh: ferriorm_deploy() of N small migrations (default 1,000)
# against two floors that run the very same statements, in one run on the
# same cluster:
#
# - do_execute: one server-side call, a DO block that EXECUTEs the
#   concatenated text of every migration (read with pg_read_file, as deploy
#   reads its files): the floor of running the SQL inside the server;
# - psql_1f: "psql -1 -f" of the concatenated text: one transaction, one
#   round trip per statement.
#
# Each round runs the three contenders one after the other (A B C A B C
# ...), each in a fresh database holding the extension, after one untimed
# round.  Each figure is the server's clock_timestamp() around the
# contender in one psql session, the commit included (psql_1f is BEGIN,
# \i of the file, COMMIT in that session, which is what -1 -f sends).
# Printed: the median of each contender and the median of the per-round
# ratios to each floor (each ratio from figures measured seconds apart),
# their spread (min and max of the paired ratios), then the time of a
# no-op re-deploy.  Asserts nothing about time.
#
# Uses PGHOST/PGPORT/PGUSER if set, else the checkout's throwaway cluster
# (scripts/pg.sh start).  Needs a superuser (pg_read_file).
#   N=1000 ROUNDS=9 bench/deploy.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. bench/lib/migrations.sh
if [ -z "${PGHOST:-}" ]; then
	scripts/pg.sh start >/dev/null
	eval "$(scripts/pg.sh env)"
fi
N=${N:-1000}
ROUNDS=${ROUNDS:-9}
WORK=$(mktemp -d /tmp/ferriorm-bench-deploy.XXXXXX)
chmod 755 "$WORK"
CONTENDERS="psql_1f do_execute deploy"
cleanup() {
	rm -rf "$WORK"
	for c in $CONTENDERS; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ferriorm_bench_$c" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT

D=$WORK/migrations
bench_migrations "$D" "$N" "$WORK/all.sql"
printf 'provider = "postgresql"\n' > "$D/migration_lock.toml"
chmod -R a+rX "$WORK"

# the statements of each contender (psql lines)
declare -A STMT=(
	[psql_1f]="BEGIN;
\\i $WORK/all.sql
COMMIT;"
	[do_execute]="DO \$bench\$ BEGIN EXECUTE pg_catalog.pg_read_file('$WORK/all.sql'); END \$bench\$;"
	[deploy]="SELECT count(*) FROM ferriorm_deploy('$D') \\g /dev/null"
)

# one WHAT ROUND: run contender WHAT in a fresh database, print "WHAT,ROUND,ms"
one() {
	local db=ferriorm_bench_$1
	psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" <<SQL
SET client_min_messages = warning;
CREATE EXTENSION ferriorm;
SELECT clock_timestamp() AS t0 \\gset
${STMT[$1]}
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000 AS ms \\gset
SELECT '$1,$2,' || :'ms'
  WHERE (SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename LIKE 'b\\_%') = $N;
SQL
}

echo "== $N migrations (2 statements each), $ROUNDS rounds, one untimed" >&2
: > "$WORK/results.csv"
for r in $(seq 0 "$ROUNDS"); do
	for c in $CONTENDERS; do
		line=$(one "$c" "$r")
		case "$line" in
		"$c,$r,"*) ;;
		*) echo "$c failed: $line" >&2; exit 1 ;;
		esac
		[ "$r" -gt 0 ] && echo "$line" >> "$WORK/results.csv"
	done
done

# a no-op re-deploy: every file re-read and verified, nothing applied
noop=$(psql -X -q -At -d ferriorm_bench_deploy <<SQL
SELECT clock_timestamp() AS t0 \\gset
SELECT count(*) FROM ferriorm_deploy('$D') \\g /dev/null
SELECT round((extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000)::numeric, 1);
SQL
)

psql -X -q -d postgres <<SQL
CREATE TEMP TABLE r (what text, round int, ms float8);
\\copy r FROM '$WORK/results.csv' WITH (FORMAT csv)
\\echo
\\echo 'ferriorm_deploy of $N migrations vs running the same SQL; ms, one fresh database each'
SELECT what, count(*) AS rounds,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS median_ms,
       round(min(ms)::numeric, 1) AS min_ms, round(max(ms)::numeric, 1) AS max_ms
FROM r GROUP BY what ORDER BY array_position('{do_execute,psql_1f,deploy}', what);
SELECT 'deploy / ' || f.what AS ratio, count(*) AS rounds,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.ms / f.ms)::numeric, 3) AS median_of_paired,
       round(min(d.ms / f.ms)::numeric, 3) AS min, round(max(d.ms / f.ms)::numeric, 3) AS max
FROM r d JOIN r f USING (round)
WHERE d.what = 'deploy' AND f.what IN ('do_execute', 'psql_1f')
GROUP BY f.what ORDER BY f.what;
\\echo 'median_of_paired: median of the per-round ratios deploy / floor (target: <= 1.05 to do_execute).'
\\echo 'no-op re-deploy (all $N files re-read and verified): $noop ms'
SQL
