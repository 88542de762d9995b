#!/usr/bin/env bash
# bench/pull.sh: ferriorm_pull() against a plain catalog read of the same
# objects (bench/catalog_read.sql), on the generated schemas of
# bench/plan_gen.sql (default 1,000 tables: 10 columns, a primary key, a
# unique, 2 indexes and a self-referencing foreign key each; 10 enums).
#
# They are timed interleaved (catalog read, pull in the ferriorm dialect,
# pull in the prisma dialect, catalog read, ...) in one session after a
# warm-up, REPEAT rounds; prints the median of each, and the median of the
# per-round ratios pull / catalog read for each dialect (the target is at
# most 1.5).  Also checks that each pull plans to nothing in its dialect.
# Asserts nothing about time.
#   SIZES="1000" REPEAT=11 bench/pull.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SIZES=${SIZES:-"1000"}
REPEAT=${REPEAT:-11}

scripts/pg.sh start >/dev/null
eval "$(scripts/pg.sh env)"
DB=ferriorm_bench_pull
SCRIPT=$(mktemp)
cleanup() {
	rm -f "$SCRIPT"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

run() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

for size in $SIZES; do
	echo "== $size tables" >&2
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
	run <<'SQL'
CREATE EXTENSION ferriorm;
\i bench/catalog_read.sql
SQL
	run -At > "$SCRIPT" <<SQL
\\i bench/plan_gen.sql
SELECT ferriorm_plan(pg_temp.bench_schema($size, 0, 'bench'));
SQL
	run -f "$SCRIPT" > /dev/null
	run <<SQL
VACUUM ANALYZE;
CREATE TEMP TABLE r (pair int, catalog_ms float8, pull_ms float8, prisma_ms float8);
DO \$\$
DECLARE
  t0 timestamptz;
  c float8;
  p float8;
  q float8;
  x text;
BEGIN
  -- warm the caches
  PERFORM catalog_read('bench');
  PERFORM ferriorm_pull(ARRAY['bench']);
  FOR i IN 1 .. $REPEAT LOOP
    t0 := clock_timestamp();
    PERFORM catalog_read('bench');
    c := extract(epoch FROM clock_timestamp() - t0) * 1000;
    PERFORM set_config('ferriorm.dialect', 'ferriorm', true);
    t0 := clock_timestamp();
    x := ferriorm_pull(ARRAY['bench']);
    p := extract(epoch FROM clock_timestamp() - t0) * 1000;
    PERFORM set_config('ferriorm.dialect', 'prisma', true);
    t0 := clock_timestamp();
    x := ferriorm_pull(ARRAY['bench']);
    q := extract(epoch FROM clock_timestamp() - t0) * 1000;
    PERFORM set_config('ferriorm.dialect', 'auto', true);
    INSERT INTO r VALUES (i, c, p, q);
  END LOOP;
END \$\$;
\\echo
\\echo 'ferriorm_pull vs plain catalog read, $size tables, $REPEAT interleaved pairs (milliseconds)'
SELECT $size AS tables,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY catalog_ms)::numeric, 1) AS catalog_read_median_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY pull_ms)::numeric, 1) AS pull_median_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY pull_ms / catalog_ms)::numeric, 2) AS median_paired_ratio,
       round(min(pull_ms / catalog_ms)::numeric, 2) AS best_ratio,
       round(max(pull_ms / catalog_ms)::numeric, 2) AS worst_ratio,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY prisma_ms)::numeric, 1) AS prisma_pull_median_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY prisma_ms / catalog_ms)::numeric, 2) AS prisma_median_paired_ratio
FROM r;
SELECT 'the pull plans to nothing: ' || (ferriorm_plan(ferriorm_pull(ARRAY['bench'])) = '');
SET ferriorm.dialect = prisma;
SELECT 'the prisma-dialect pull plans to nothing: ' || (ferriorm_plan(ferriorm_pull(ARRAY['bench'])) = '');
SQL
done
