#!/usr/bin/env bash
# bench/wide.sh: plan and pull of one wide table (COLUMNS columns, default
# 1,590, near PostgreSQL's limit of 1,600), every column with a default.
#
# Contenders, interleaved in one session (A B C D A B C D ...), ROUNDS
# rounds after one untimed run of each:
#   plan      ferriorm_plan of the up-to-date schema (an empty plan)
#   pull      ferriorm_pull of the schema
#   read0     the floor: the table's columns with their defaults, deparsed
#             as ferriorm deparses them (pg_get_expr(adbin, 0))
#   readrel   the same read with pg_get_expr(adbin, adrelid), as
#             bench/catalog_read.sql and psql's \d deparse a default: each
#             call builds the table's deparse context, in time quadratic
#             in its number of columns.  ferriorm read defaults this way
#             before 0.2.0.
# Prints medians and the median of the per-round ratios to read0.  Asserts
# nothing about time.
#   COLUMNS=1590 ROUNDS=5 bench/wide.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. bench/lib/timing.sh
COLUMNS=${COLUMNS:-1590}
ROUNDS=${ROUNDS:-5}

DB=ferriorm_bench_wide
bench_begin "$DB"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
run() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

run <<SQL
CREATE EXTENSION ferriorm;
CREATE SCHEMA wide;
CREATE TABLE bench_result (size int, what text, mode text, round int, ms float8);
CREATE TABLE wide_text (v text);
INSERT INTO wide_text SELECT
  e'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n  schemas  = ["wide"]\n}\n\nmodel Wide {\n  id Int @id\n'
  || string_agg(format(e'  c%s Int? @default(%s)\n', i, i), '' ORDER BY i)
  || e'  @@schema("wide")\n}\n'
FROM generate_series(1, $COLUMNS - 1) i;
SELECT ferriorm_push(v, false) FROM wide_text \\g /dev/null
SQL

declare -A STMT=(
	[plan]="SELECT octet_length(ferriorm_plan(v)) FROM wide_text"
	[pull]="SELECT octet_length(ferriorm_pull(ARRAY['wide']))"
	[read0]="SELECT sum(length(a.attname) + length(format_type(a.atttypid, a.atttypmod)) + length(pg_get_expr(d.adbin, 0))) FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = 'wide.wides'::regclass"
	[readrel]="SELECT sum(length(a.attname) + length(format_type(a.atttypid, a.atttypmod)) + length(pg_get_expr(d.adbin, d.adrelid))) FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = 'wide.wides'::regclass"
)
CONTENDERS="read0 plan pull readrel"
{
	echo "\\set size $COLUMNS"
	for what in $CONTENDERS; do echo "${STMT[$what]} \\g /dev/null"; done
	for r in $(seq 1 "$ROUNDS"); do
		for what in $CONTENDERS; do bench_timed "$what" warm "$r" "${STMT[$what]}"; done
	done
} > "$WORK/wide.sql"
run -f "$WORK/wide.sql"

run <<'SQL'
\echo
\echo 'one wide table: median ms, median of per-round ratios to read0 (the columns and defaults, deparsed as ferriorm does)'
WITH f AS (SELECT round, ms AS floor_ms FROM bench_result WHERE what = 'read0')
SELECT e.size AS columns, e.what, count(*) AS rounds,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY e.ms)::numeric, 1) AS median_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY e.ms / f.floor_ms)::numeric, 2) AS x_read0
FROM bench_result e JOIN f USING (round)
GROUP BY e.size, e.what
ORDER BY array_position('{read0,plan,pull,readrel}', e.what);
SQL
