#!/usr/bin/env bash
# bench/plan.sh: ferriorm_plan() against the floor, a plain read of the
# same catalog rows, on generated schemas (bench/plan_gen.sql).
#
# For each size (default 1,000 and 10,000 tables; each table has 10
# columns, a primary key, a unique, 2 indexes and a foreign key; 10 enums),
# in a fresh database holding the schema:
#
# - The floor is plain SQL, four queries sent as one (psql's \;), that read
#   what a plan reads and compute the texts it needs: columns with
#   format_type and pg_get_expr, constraints with pg_get_constraintdef,
#   indexes with pg_get_indexdef, enum labels.  Each query aggregates its
#   texts with count(), so no row crosses the wire and no row is turned
#   into text.
# - Warm: one session; ROUNDS rounds of floor, plan of the up-to-date
#   schema, plan of the 10%-changed schema, validate of the text, in that
#   order (A B C D A B C D ...).  Cold: COLD rounds, each contender in a
#   new backend (so caches, the relcache and the library load count),
#   alternating floor and plan.
# - Each figure is the server's clock_timestamp() around one statement
#   sent by psql: one round trip for every contender.  Printed: the median
#   of each contender, the median of the per-round ratios to the floor
#   with the smallest and largest of them, and the cost per table
#   (linearity).  Asserts nothing.
#
# The schema texts are stored uncompressed in a table, so reading them is
# a copy.  Uses the server of PGHOST/PGPORT if set, else the cluster of
# scripts/pg.sh (built, installed and started).
#   SIZES="1000 10000" ROUNDS=7 COLD=5 bench/plan.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. bench/lib/timing.sh
SIZES=${SIZES:-"1000 10000"}
ROUNDS=${ROUNDS:-7}
COLD=${COLD:-5}

DB=ferriorm_bench_plan
bench_begin "$DB"
RESULTS=$WORK/results.csv
: > "$RESULTS"

run() {
	PGOPTIONS="-c client_min_messages=warning -c ferriorm.max_schema_size=1000MB" \
		psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"
}

# the contenders: one statement each (no trailing semicolon)
FLOOR="SELECT count(a.attname), count(format_type(a.atttypid, a.atttypmod)), \
count(pg_get_expr(d.adbin, d.adrelid)) \
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
WHERE c.relnamespace = 'bench'::regnamespace AND c.relkind IN ('r', 'p') \
AND a.attnum > 0 AND NOT a.attisdropped \\; \
SELECT count(pg_get_constraintdef(co.oid)) FROM pg_constraint co \
WHERE co.connamespace = 'bench'::regnamespace \\; \
SELECT count(pg_get_indexdef(i.indexrelid)) FROM pg_index i \
JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'bench'::regnamespace \\; \
SELECT count(e.enumlabel) FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid \
WHERE t.typnamespace = 'bench'::regnamespace"
declare -A STMT=(
	[floor]="$FLOOR"
	[plan_up_to_date]="SELECT octet_length(ferriorm_plan(v1)) FROM bench_text"
	[plan_10pct_changed]="SELECT octet_length(ferriorm_plan(v2)) FROM bench_text"
	[validate]="SELECT count(*) FROM bench_text, ferriorm_validate(v1)"
)
WARM="floor plan_up_to_date plan_10pct_changed validate"

# timed WHAT MODE ROUND: psql lines timing one contender
timed() { bench_timed "$1" "$2" "$3" "${STMT[$1]}"; }

for size in $SIZES; do
	echo "== $size tables" >&2
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
	run <<SQL
CREATE EXTENSION ferriorm;
CREATE TABLE bench_result (size int, what text, mode text, round int, ms float8);
\\i bench/plan_gen.sql
CREATE TABLE bench_text (v1 text, v2 text);
ALTER TABLE bench_text ALTER v1 SET STORAGE EXTERNAL, ALTER v2 SET STORAGE EXTERNAL;
INSERT INTO bench_text VALUES (pg_temp.bench_schema($size, 0, 'bench'),
                               pg_temp.bench_schema($size, 10, 'bench'));
SQL
	# create the schema statement by statement (one transaction would run
	# out of lock table entries at 10,000 tables)
	run -At -c "SELECT ferriorm_plan(v1) FROM bench_text" > "$WORK/create.sql"
	run -f "$WORK/create.sql" > /dev/null
	run -c "VACUUM ANALYZE"
	run -At -c "SELECT ferriorm_plan(v1) = '' FROM bench_text" | grep -qx t ||
		{ echo "the plan of the up-to-date database is not empty" >&2; exit 1; }
	echo "statements in the 10%-changed plan: $(run -At -c "SELECT count(*) FROM bench_text, ferriorm_plan_steps(v2)")" >&2

	# warm, interleaved in one session (after one untimed run of each)
	{
		echo "\\set size $size"
		for what in $WARM; do echo "${STMT[$what]} \\g /dev/null"; done
		for r in $(seq 1 "$ROUNDS"); do
			for what in $WARM; do timed "$what" warm "$r"; done
		done
	} > "$WORK/warm.sql"
	run -f "$WORK/warm.sql"

	# cold: a new backend for each statement, alternating
	for r in $(seq 1 "$COLD"); do
		for what in floor plan_up_to_date; do
			{ echo "\\set size $size"; timed "$what" cold "$r"; } | run
		done
	done

	# where the time of one plan goes (the DEBUG1 message of ferriorm_plan)
	run -c "SET client_min_messages = debug1" \
		-c "SELECT octet_length(ferriorm_plan(v1)) + octet_length(ferriorm_plan(v2)) FROM bench_text" 2>&1 >/dev/null |
		grep 'ferriorm plan:' >&2 || true
	run -c "\\copy bench_result TO '$WORK/part.csv' WITH (FORMAT csv)"
	cat "$WORK/part.csv" >> "$RESULTS"
done

psql -X -q -d postgres <<SQL
CREATE TEMP TABLE bench_result (size int, what text, mode text, round int, ms float8);
\\copy bench_result FROM '$RESULTS' WITH (FORMAT csv)
\\echo
\\echo 'ferriorm_plan vs the floor (plain SQL catalog read), same session; ms'
WITH f AS (SELECT size, mode, round, ms AS floor_ms FROM bench_result WHERE what = 'floor')
SELECT b.size AS tables, b.mode, b.what, count(*) AS rounds,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms)::numeric, 1) AS median_ms,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms / f.floor_ms)::numeric, 2) AS x_floor,
       round(min(b.ms / f.floor_ms)::numeric, 2) AS x_min, round(max(b.ms / f.floor_ms)::numeric, 2) AS x_max,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY b.ms) * 1000 / b.size)::numeric, 1) AS us_per_table
FROM bench_result b JOIN f USING (size, mode, round)
GROUP BY b.size, b.mode, b.what
ORDER BY b.size, b.mode DESC,
         array_position('{floor,plan_up_to_date,plan_10pct_changed,validate}', b.what);
\\echo 'x_floor: median of the per-round ratios to the floor of the same round; x_min, x_max: their spread.'
SQL
