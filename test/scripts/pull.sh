#!/usr/bin/env bash
# Round trip of ferriorm_pull, in both dialects (ferriorm.dialect =
# ferriorm, then prisma), on every database of the test suite: the
# schemas of the round-trip corpus (test/roundtrip/*.ferriorm), both
# schemas (v1, v2) of every case of the plan convergence suite
# (sql/plan_convergence.sql, with its plain-SQL setups), and the realistic
# plain-SQL databases of test/pull/db_*.sql (with "-- schemas: {...}" and,
# for tables the language cannot state, "-- rebuild: no").  For each database, with p =
# ferriorm_pull(<its schemas>):
#   ferriorm_plan(p) = '', ferriorm_validate(p) has no error,
#   ferriorm_format(p) = p, pulling again gives p, and
#   ferriorm_diff(NULL, p) applied to an empty database gives a database
#   whose own pull is p.
# Needs PGHOST/PGPORT/PGUSER; works in its own database.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$ROOT/test/lib/scratch.sh"
DB=ferriorm_pull_rt
scratch_begin pull
scratch_tool_db "$ROOT/test/pull/pull_tool.sql" || exit 1
# the convergence cases (the suite's own table, without running it)
sed '/^\\set id /,$d' "$ROOT/sql/plan_convergence.sql" |
	PG_ABS_SRCDIR=$ROOT psql -X -q -v ON_ERROR_STOP=1 >/dev/null || exit 1

{
	for dialect in ferriorm prisma; do
		tag=""
		[ "$dialect" = prisma ] && tag="[prisma] "
		for f in "$ROOT"/test/roundtrip/*.ferriorm; do
			name=$(basename "$f" .ferriorm)
			printf '\\set s `cat %s`\n' "$f"
			printf "SELECT pull_tool.report('%scorpus/%s', ARRAY(SELECT pull_tool.check(NULL, :'s', pull_tool.schemas_of(:'s'), true, '%s')));\n" "$tag" "$name" "$dialect"
		done
		printf "SELECT pull_tool.report(format('%sconvergence/%%s/%%s', id, v), ARRAY(SELECT pull_tool.check(setup, s, pull_tool.schemas_of(s), true, '%s'))) FROM pcu.cases, LATERAL (VALUES ('v1', v1), ('v2', v2)) x(v, s) ORDER BY id, v;\n" "$tag" "$dialect"
		for f in "$ROOT"/test/pull/db_*.sql; do
			name=$(basename "$f" .sql)
			schemas=$(sed -n 's/^-- schemas: //p' "$f")
			rebuild=true
			grep -q '^-- rebuild: no' "$f" && rebuild=false
			printf '\\set s `cat %s`\n' "$f"
			printf "SELECT pull_tool.report('%ssql/%s', ARRAY(SELECT pull_tool.check(:'s', NULL, '%s'::text[], %s, '%s')));\n" "$tag" "$name" "$schemas" "$rebuild" "$dialect"
		done
	done
} > "$WORK/run.psql"

psql -X -q -At -f "$WORK/run.psql" > "$WORK/out" 2>&1
rc=$?
cat "$WORK/out"
ok=$(grep -c '^ok   ' "$WORK/out")
bad=$(grep -c '^FAIL ' "$WORK/out")
other=$(grep -cE 'ERROR:|FATAL:|PANIC:|server closed|connection to server' "$WORK/out")
echo "pull round trip: $ok databases ok, $bad failed"
if [ $rc -ne 0 ] || [ "$bad" -gt 0 ] || [ "$other" -gt 0 ] || [ "$ok" -lt 300 ]; then
	echo "pull: FAIL"
	exit 1
fi

# a table and its indexes in a tablespace (which no text states) are noted
# in both dialects, and the plan of the pull keeps them (eighth round of
# real databases); the tablespace is dropped again, so that standby.sh's
# pg_basebackup finds none
TS=ferriorm_pull_ts
mkdir -p "$WORK/ts"
chown postgres "$WORK/ts" 2>/dev/null || true
psql -X -q -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS pull_ts CASCADE" \
	-c "DROP TABLESPACE IF EXISTS $TS" >/dev/null 2>&1
out=$(psql -X -qAt -v ON_ERROR_STOP=1 \
	-c "CREATE TABLESPACE $TS LOCATION '$WORK/ts'" -c "CREATE SCHEMA pull_ts" \
	-c "CREATE TABLE pull_ts.t (id int PRIMARY KEY USING INDEX TABLESPACE $TS, v text) TABLESPACE $TS" \
	-c "CREATE INDEX t_v_idx ON pull_ts.t (v) TABLESPACE $TS" \
	-c "SELECT ferriorm_pull(ARRAY['pull_ts'])" \
	-c "SET ferriorm.dialect = prisma" -c "SELECT ferriorm_pull(ARRAY['pull_ts'])" \
	-c "SELECT 'plan:' || ferriorm_plan(ferriorm_pull(ARRAY['pull_ts']))" 2>&1)
rc=$?
psql -X -q -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS pull_ts CASCADE" \
	-c "DROP TABLESPACE IF EXISTS $TS" >/dev/null 2>&1
for dialect in ferriorm prisma; do
	for note in "the table is in tablespace $TS" "the table's index t_pkey is in tablespace $TS" \
		"the table's index t_v_idx is in tablespace $TS"; do
		if ! grep -qF "// not stated in the $dialect dialect, kept by plans: $note" <<<"$out"; then
			echo "$out"
			echo "pull: FAIL (tablespaces, $dialect: no note \"$note\")"
			exit 1
		fi
	done
done
if [ $rc -ne 0 ] || [ "$(grep -c '^plan:$' <<<"$out")" -ne 1 ]; then
	echo "$out"
	echo "pull: FAIL (tablespaces: the plan of the pull is not empty)"
	exit 1
fi
echo "tablespaces of a table and its indexes: noted in both dialects, plan of the pull empty"
echo "pull: PASS"
