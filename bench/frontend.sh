#!/usr/bin/env bash
# bench/frontend.sh: the schema-language front end in the server, on the
# texts of bench/plan_gen.sql (SIZES models; default 1,000, 10,000 and
# 100,000): throughput (MB/s) and peak backend memory per byte of input of
# ferriorm_validate, ferriorm_format, ferriorm_diff (of the text to its
# 10%-changed version) and ferriorm_plan (against a database where none of
# its objects exist yet: the plan creates every one, the longest plan the
# text can have).
#
# Time, warm: one session; ROUNDS rounds, each running the contenders one
# after the other (floor, validate, format, diff, floor, validate, ...),
# each timed call right after an untimed call of the same statement, not
# a call in whatever heap the contender before it left.
# The median minor page faults of the timed calls (/proc/self/stat) are
# printed beside their time: a warm call faults few or none, and one that
# faults in its whole peak is measuring the kernel (see cold below).  On a
# shared host the CPU itself varies by the minute: six runs on 2026-12-07
# gave validate medians of 46 to 82 ms at 10,000 models, no timed call of
# any of them faulting, and a loop in one session took 46-47 ms minutes
# after a run of 77; compare figures of one run only.
# The floor is what any function taking the text pays anyway: detoasting
# and copying it (octet_length(v || ''): length() would also count the
# characters of a UTF-8 text, a scan no contender makes).  Each figure is the server's
# clock_timestamp() around one statement sent by psql (one round trip,
# the same for every contender).  A second floor, mem10, is what a front
# end that met its memory budget (10 bytes per input byte) would pay to
# touch that memory once, fresh from the kernel, and do nothing else: a
# text of 10 times the input's length written by repeat() in 1 kB
# copies (palloc'd, written, freed).  Where mem10 alone exceeds a time
# target, no front end within the memory budget can meet it on that
# machine.  Prints medians and the median of the per-round ratios to the
# floor.  Warm calls run in a backend whose heap the earlier contenders
# (diff and plan hold about 14 bytes per byte) have grown: glibc keeps
# what a call frees when something still allocated sits above it, so a
# warm call may touch no fresh page at all, while the first call of a new
# backend faults in every page of its peak (the cold time below).  On a
# host where a fresh page is costly (mem10) the two differ several times.
#
# Repeated alone: a new backend that calls validate ROUNDS + 1 times in a
# row and runs nothing else, as an editor validating on every save does;
# the calls after the first are timed, with their minor page faults.  Here
# glibc gives the heap's top back to the kernel when a call frees more
# than its trim threshold, which it sets at twice the largest chunk it has
# unmapped (the detoasted argument, 5.4 MB at 10,000 models): every call
# then faults its whole peak in again.  In the warm rounds above the
# contenders' larger chunks raised that threshold, and a timed call
# faults none.  A server started with
# GLIBC_TUNABLES=glibc.malloc.trim_threshold=<bytes> in its environment
# keeps that much (bench/README.md, session 36).
#
# Memory, cold: a new backend for each function and size.  It first
# detoasts the text once (so that the shared buffers holding it are
# already mapped) and calls the function once on the empty text (so that
# loading the library and filling the catalog caches, paid once per
# backend, are not counted as the call's), reads VmRSS from /proc/self/status, resets the peak
# (writing 5 to /proc/self/clear_refs resets VmHWM to the current RSS),
# runs the function and reads VmHWM.  VmHWM - VmRSS is the peak the call
# added to the backend's resident memory: every palloc, malloc and stack
# page it touched, the detoasted argument included.  Divided by the input
# length (both texts for diff) it is the figure "bytes per input byte".
# Pages freed to the allocator earlier and reused count as already
# resident (a fresh backend holds few), so the figure can only err low by
# those, not high.  The same call is timed (clock_timestamp() around it):
# the cold figure, one sample per function and size.  Needs a superuser (pg_read_file and COPY TO of /proc).
#
# Uses the server of PGHOST/PGPORT if set, else the cluster of
# scripts/pg.sh (built, installed and started).
#   SIZES="1000 10000" ROUNDS=5 bench/frontend.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. bench/lib/timing.sh
SIZES=${SIZES:-"1000 10000 100000"}
ROUNDS=${ROUNDS:-7}

DB=ferriorm_bench_frontend
bench_begin "$DB"

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
run() {
	PGOPTIONS="-c client_min_messages=warning -c ferriorm.max_schema_size=1000MB" \
		psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"
}

# the texts, stored uncompressed so that reading them is a copy, not a
# decompression
run <<SQL
CREATE EXTENSION ferriorm;
\\i bench/plan_gen.sql
CREATE TABLE fe_text (n int PRIMARY KEY, v text, v2 text);
ALTER TABLE fe_text ALTER v SET STORAGE EXTERNAL, ALTER v2 SET STORAGE EXTERNAL;
INSERT INTO fe_text
  SELECT n, pg_temp.bench_schema(n, 0, 'bench'), pg_temp.bench_schema(n, 10, 'bench')
  FROM unnest('{$(echo "$SIZES" | tr ' ' ',')}'::int[]) n;
CREATE TABLE bench_result (size int, what text, mode text, round int, ms float8);
CREATE TABLE bench_faults (size int, what text, round int, faults bigint);
CREATE TABLE fe_memory (n int, what text, input bigint, peak_kb bigint, cold_ms float8);
CREATE TABLE fe_repeat (n int, round int, ms float8, faults bigint);
SQL

# the statement of each contender, on the text of size :size
declare -A STMT=(
	[floor]="SELECT octet_length(v || '') FROM fe_text WHERE n = :size"
	[mem10]="SELECT octet_length(repeat(repeat('x', 1000), octet_length(v) / 100)) FROM fe_text WHERE n = :size"
	[validate]="SELECT count(*) FROM fe_text, ferriorm_validate(v) WHERE n = :size"
	[format]="SELECT octet_length(ferriorm_format(v)) FROM fe_text WHERE n = :size"
	[diff]="SELECT octet_length(ferriorm_diff(v, v2)) FROM fe_text WHERE n = :size"
	[plan]="SELECT octet_length(ferriorm_plan(v)) FROM fe_text WHERE n = :size"
)
# the same function on an empty schema (plan: a datasource alone): loads
# the library and fills the caches before the memory is measured
declare -A EMPTY=(
	[validate]="SELECT count(*) FROM ferriorm_validate('')"
	[format]="SELECT ferriorm_format('')"
	[diff]="SELECT ferriorm_diff('', '')"
	[plan]="SELECT ferriorm_plan(e'datasource db {\\n provider = \"postgresql\"\\n url = env(\"U\")\\n schemas = [\"bench\"]\\n}\\n')"
)
CONTENDERS="floor mem10 validate format diff plan"
# the minor page faults of a session's backend so far (field 10 of
# /proc/self/stat), defined in each session that reads them
MINFLT="CREATE FUNCTION pg_temp.minflt() RETURNS bigint LANGUAGE sql AS
  \$\$SELECT split_part(split_part(pg_read_file('/proc/self/stat'), ') ', 2), ' ', 8)::bigint\$\$;"

for n in $SIZES; do
	echo "== $n models" >&2
	# warm, interleaved
	{
		echo "\\set size $n"
		echo "$MINFLT"
		for what in $CONTENDERS; do echo "${STMT[$what]} \\g /dev/null"; done
		for r in $(seq 1 "$ROUNDS"); do
			for what in $CONTENDERS; do
				echo "${STMT[$what]} \\g /dev/null"
				echo "SELECT pg_temp.minflt() AS f0 \\gset"
				bench_timed "$what" warm "$r" "${STMT[$what]}"
				echo "INSERT INTO bench_faults VALUES (:size, '$what', $r, pg_temp.minflt() - :f0);"
			done
		done
	} > "$WORK/warm.sql"
	run -f "$WORK/warm.sql"
	# repeated alone: a new backend that calls validate ROUNDS + 1 times
	# in a row and nothing else (an editor validating on every save);
	# the first call is not timed
	{
		echo "\\set size $n"
		echo "$MINFLT"
		echo "${STMT[validate]} \\g /dev/null"
		for r in $(seq 1 "$ROUNDS"); do
			echo "SELECT pg_temp.minflt() AS f0 \\gset"
			echo "SELECT clock_timestamp() AS t0 \\gset"
			echo "${STMT[validate]} \\g /dev/null"
			echo "INSERT INTO fe_repeat VALUES (:size, $r, extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000, pg_temp.minflt() - :f0);"
		done
	} > "$WORK/repeat.sql"
	run -f "$WORK/repeat.sql"
	# memory, cold: a new backend per function
	for what in validate format diff plan; do
		run <<SQL
\\set size $n
SELECT octet_length(v || '') + octet_length(v2 || '') FROM fe_text WHERE n = :size \\g /dev/null
${EMPTY[$what]} \\g /dev/null
SELECT substring(pg_read_file('/proc/self/status') FROM 'VmRSS:\\s+(\\d+)')::bigint AS rss0 \\gset
COPY (SELECT 5) TO '/proc/self/clear_refs';
SELECT clock_timestamp() AS t0 \\gset
${STMT[$what]} \\g /dev/null
SELECT clock_timestamp() AS t1 \\gset
INSERT INTO fe_memory
  SELECT :size, '$what',
         CASE WHEN '$what' = 'diff' THEN octet_length(v) + octet_length(v2) ELSE octet_length(v) END,
         substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\\s+(\\d+)')::bigint - :rss0,
         extract(epoch FROM :'t1'::timestamptz - :'t0'::timestamptz) * 1000
  FROM fe_text WHERE n = :size;
SQL
	done
done

run <<'SQL'
\echo
\echo 'front end: warm, interleaved, each call the second of two; median ms of each contender, MB/s of input,'
\echo 'median of per-round ratios to the floor, median minor page faults of a timed call (statistics and all)'
WITH f AS (SELECT size AS n, round, ms AS floor_ms FROM bench_result WHERE what = 'floor'),
r AS (
  SELECT e.size AS n, e.what, count(*) AS rounds,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY e.ms) AS median_ms,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY e.ms / f.floor_ms) AS ratio,
         (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY b.faults)
          FROM bench_faults b WHERE b.size = e.size AND b.what = e.what) AS faults
  FROM bench_result e JOIN f ON f.n = e.size AND f.round = e.round GROUP BY e.size, e.what)
SELECT r.n AS models, r.what, round((t.input / 1e6)::numeric, 2) AS input_mb, r.rounds,
       round(r.median_ms::numeric, 1) AS median_ms,
       round((t.input / 1e6 / (r.median_ms / 1000))::numeric, 1) AS mb_per_s,
       round(r.ratio::numeric, 1) AS x_floor, round(r.faults) AS faults
FROM r CROSS JOIN LATERAL (
  SELECT CASE WHEN r.what = 'diff' THEN octet_length(v) + octet_length(v2)
              ELSE octet_length(v) END AS input
  FROM fe_text WHERE fe_text.n = r.n) t
ORDER BY r.n, array_position('{floor,mem10,validate,format,diff,plan}', r.what);
\echo 'input: the text (diff: both texts); the floor detoasts and copies one; mem10 writes 10 bytes of'
\echo 'fresh memory per input byte, the memory target, and does nothing else.'
\echo
\echo 'front end: peak backend memory of one call in a new backend (VmHWM - VmRSS before), and the'
\echo 'time of that call (cold: every page the call touches is fresh from the kernel; one sample)'
SELECT n AS models, what, round((input / 1e6)::numeric, 2) AS input_mb,
       round((peak_kb / 1024.0)::numeric, 1) AS peak_mb,
       round((peak_kb * 1024.0 / input)::numeric, 1) AS bytes_per_input_byte,
       round(cold_ms::numeric, 1) AS cold_ms,
       round((input / 1e6 / (cold_ms / 1000))::numeric, 1) AS cold_mb_per_s
FROM fe_memory ORDER BY n, array_position('{validate,format,diff,plan}', what);
\echo
\echo 'front end: validate repeated alone, in a new backend that runs nothing else (the first call untimed);'
\echo 'median ms and minor page faults of a call'
SELECT r.n AS models, count(*) AS rounds, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms)::numeric, 1) AS median_ms,
       round((min(t.input) / 1e6 / (percentile_cont(0.5) WITHIN GROUP (ORDER BY r.ms) / 1000))::numeric, 1) AS mb_per_s,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY r.faults)) AS faults
FROM fe_repeat r CROSS JOIN LATERAL (SELECT octet_length(v) AS input FROM fe_text WHERE fe_text.n = r.n) t
GROUP BY r.n ORDER BY r.n;
SQL
