#!/usr/bin/env bash
# bench/plan.sh: ferriorm_plan() against a plain catalog read of the same
# objects, on generated schemas (see bench/plan_gen.sql).
#
# For each size (default 100, 1,000 and 10,000 tables; each table has 10
# columns, a primary key, a unique, 2 indexes and a foreign key; 10 enums),
# in a fresh database: the time of ferriorm_plan() on the up-to-date
# database and on a 10%-changed schema (10% of the tables get a column and
# an index), and the time of a fixed set of pg_class/pg_attribute/
# pg_constraint/pg_index/pg_enum queries with format_type, pg_get_expr,
# pg_get_constraintdef and pg_get_indexdef over the same objects, measured
# in the same session.  Prints best and median of REPEAT runs, the ratio to
# the catalog read, and the cost per table (linearity); also the time of
# ferriorm_validate() on the same text, the share of parsing and validating
# in a plan.  Asserts nothing.
#
# Uses the cluster of scripts/pg.sh (started if needed).
#   SIZES="100 1000" REPEAT=3 bench/plan.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SIZES=${SIZES:-"100 1000 10000"}
REPEAT=${REPEAT:-5}

scripts/pg.sh start >/dev/null
eval "$(scripts/pg.sh env)"
DB=ferriorm_bench_plan
SCRIPT=$(mktemp)
RESULTS=$(mktemp)
cleanup() {
	rm -f "$SCRIPT" "$RESULTS"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

run() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

for size in $SIZES; do
	echo "== $size tables" >&2
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
	run <<'SQL'
CREATE EXTENSION ferriorm;
CREATE TABLE bench_result (size int, what text, ms float8);

-- n runs of a statement, in milliseconds
CREATE FUNCTION bench_time(size int, what text, stmt text, n int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
BEGIN
  FOR i IN 1 .. n LOOP
    t0 := clock_timestamp();
    EXECUTE stmt;
    INSERT INTO bench_result
      VALUES (size, what, extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
END $$;

\i bench/catalog_read.sql
SQL
	# create the schema statement by statement (one transaction would run
	# out of lock table entries at 10,000 tables)
	run -At > "$SCRIPT" <<SQL
\\i bench/plan_gen.sql
SELECT ferriorm_plan(pg_temp.bench_schema($size, 0, 'bench'));
SQL
	run -f "$SCRIPT" > /dev/null
	run <<SQL
\\i bench/plan_gen.sql
CREATE TEMP TABLE s AS SELECT pg_temp.bench_schema($size, 0, 'bench') AS v1,
                             pg_temp.bench_schema($size, 10, 'bench') AS v2;
VACUUM ANALYZE;
\\o /dev/null
-- warm the caches once
SELECT ferriorm_plan(v1), ferriorm_plan(v2), catalog_read('bench') FROM s;
SELECT bench_time($size, 'catalog read', \$\$SELECT catalog_read('bench')\$\$, $REPEAT);
SELECT bench_time($size, 'plan up-to-date', format('SELECT ferriorm_plan(%L)', v1), $REPEAT) FROM s;
SELECT bench_time($size, 'plan 10% changed', format('SELECT ferriorm_plan(%L)', v2), $REPEAT) FROM s;
-- the share of the schema language front end (parse and validate only)
SELECT bench_time($size, 'parse only (validate)', format('SELECT count(*) FROM ferriorm_validate(%L)', v1), $REPEAT) FROM s;
\\o
SELECT 'plan of the up-to-date database is empty: ' || (ferriorm_plan(v1) = '') FROM s;
SELECT 'statements in the 10%-changed plan: ' || count(*) FROM s, ferriorm_plan_steps(v2);
\\copy bench_result TO '$RESULTS' WITH (FORMAT csv)
SQL
	cp "$RESULTS" "$RESULTS.$size"
	# where the time of one plan goes (the DEBUG1 message of ferriorm_plan)
	run 2>&1 >/dev/null <<SQL | grep 'ferriorm plan:' || true
\\i bench/plan_gen.sql
CREATE TEMP TABLE s AS SELECT pg_temp.bench_schema($size, 0, 'bench') AS v1,
                             pg_temp.bench_schema($size, 10, 'bench') AS v2;
SET client_min_messages = debug1;
SELECT length(ferriorm_plan(v1)) + length(ferriorm_plan(v2)) FROM s;
SQL
done

cat "$RESULTS".* > "$RESULTS"
rm -f "$RESULTS".*
psql -X -q -d postgres <<SQL
CREATE TEMP TABLE bench_result (size int, what text, ms float8);
\\copy bench_result FROM '$RESULTS' WITH (FORMAT csv)
\\echo
\\echo 'ferriorm_plan vs plain catalog read (milliseconds; best and median of $REPEAT runs)'
WITH r AS (
  SELECT size, what, min(ms) AS best,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS median
  FROM bench_result GROUP BY size, what),
c AS (SELECT size, best AS cat FROM r WHERE what = 'catalog read')
SELECT r.size AS tables, r.what, round(r.best::numeric, 1) AS best_ms,
       round(r.median::numeric, 1) AS median_ms,
       round((r.best / c.cat)::numeric, 2) AS x_catalog_read,
       round((r.best * 1000 / r.size)::numeric, 1) AS us_per_table
FROM r JOIN c USING (size)
ORDER BY r.size, r.what;
SQL
