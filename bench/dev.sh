#!/usr/bin/env bash
# Benchmark: ferriorm_diff_history(dir, schema, strategy) for each strategy
# (shadow, rollback, snapshot) on a history of N migrations creating 2*N
# tables, against the floor of replaying the same files with psql into a
# new database (createdb, "psql -f" per migration file, dropdb), which is
# what a shadow database costs outside the server.
#
# The history is written by ferriorm_dev itself (strategy snapshot, so each
# folder has its schema.snapshot): migration k adds two related models.
# Then the four contenders run interleaved (psql, shadow, rollback,
# snapshot), ROUNDS times; figures are medians, ratios the medians of the
# ratios paired within a round, to the psql replay of that round.
#
# Uses PGHOST/PGPORT/PGUSER if set, else the checkout's throwaway cluster
# (scripts/pg.sh start).  Needs a superuser.  Reports numbers; never fails
# on timing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -z "${PGHOST:-}" ]; then
	eval "$("$ROOT/scripts/pg.sh" env)"
fi
N=${N:-100}
ROUNDS=${ROUNDS:-5}
DB=ferriorm_bdev
FLOOR=ferriorm_bdev_psql
WORK=$(mktemp -d /tmp/ferriorm-bench-dev.XXXXXX)
chmod 777 "$WORK"
cleanup() {
	rm -rf "$WORK"
	for db in $DB $FLOOR; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT
q() { psql -X -qAt -v ON_ERROR_STOP=1 "$@"; }

# schema K: the models of migrations 1..K (a parent and a child each)
schema() {
	printf 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'
	for i in $(seq 1 "$1"); do
		cat <<EOF

model Parent$i {
  id       Int      @id @default(autoincrement())
  name     String   @unique
  created  DateTime @default(now())
  children Child$i[]
}

model Child$i {
  id       Int     @id @default(autoincrement())
  title    String  @default("untitled")
  score    Int     @default(0)
  parent   Parent$i @relation(fields: [parentId], references: [id])
  parentId Int

  @@index([title, score])
}
EOF
	done
}

q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q -d $DB -c "CREATE EXTENSION ferriorm"
D=$WORK/migrations
mkdir -p "$D"
chmod 777 "$D"
echo "writing $N migrations ($((2 * N)) tables) with ferriorm_dev ..."
for k in $(seq 1 "$N"); do
	schema "$k" > "$WORK/schema"
	chmod a+r "$WORK/schema"
	q -d $DB -c "SELECT count(*) FROM ferriorm_dev('$D', pg_read_file('$WORK/schema'), 'm$k', strategy => 'snapshot')" >/dev/null
done
schema $((N + 1)) > "$WORK/target"
chmod a+r "$WORK/target"
echo "history: $(ls -d "$D"/*/ | wc -l) folders, $(q -d $DB -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_ferriorm_migrations'") tables"

now() { date +%s%N; }
declare -A T
run_psql() {
	local t0
	t0=$(now)
	q -d postgres -c "CREATE DATABASE $FLOOR TEMPLATE template0"
	for f in "$D"/*/migration.sql; do
		psql -X -q -v ON_ERROR_STOP=1 -d $FLOOR -f "$f" >/dev/null
	done
	q -d postgres -c "DROP DATABASE $FLOOR"
	echo $(( ($(now) - t0) / 1000 ))
}
run_strategy() {
	local t0
	t0=$(now)
	q -d $DB -c "SELECT octet_length(ferriorm_diff_history('$D', pg_read_file('$WORK/target'), '$1'))" >/dev/null
	echo $(( ($(now) - t0) / 1000 ))
}
for r in $(seq 1 "$ROUNDS"); do
	T[psql,$r]=$(run_psql)
	for st in shadow rollback snapshot; do
		T[$st,$r]=$(run_strategy $st)
	done
	echo "round $r: psql ${T[psql,$r]} us, shadow ${T[shadow,$r]} us, rollback ${T[rollback,$r]} us, snapshot ${T[snapshot,$r]} us"
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo
echo "ferriorm_diff_history on $N migrations / $((2 * N)) tables, medians of $ROUNDS interleaved rounds"
printf '%-10s %12s %10s\n' contender "median ms" "x psql"
for c in psql shadow rollback snapshot; do
	med=$(for r in $(seq 1 "$ROUNDS"); do echo "${T[$c,$r]}"; done | median)
	ratio=$(for r in $(seq 1 "$ROUNDS"); do awk -v a="${T[$c,$r]}" -v b="${T[psql,$r]}" 'BEGIN {print a / b}'; done | median)
	printf '%-10s %12.1f %10.3f\n' "$c" "$(awk -v m="$med" 'BEGIN {print m / 1000}')" "$ratio"
done
