#!/usr/bin/env bash
# 8 concurrent ferriorm_deploy calls on the same migrations directory:
# every migration is applied exactly once, every call succeeds, and the
# history has no duplicates.  Then 4 concurrent deploys in REPEATABLE READ
# transactions: each either succeeds or fails with a serialization failure
# (SQLSTATE 40001), never with anything else, and again each migration is
# applied exactly once.
#
# Runs in its own database; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail

DB=ferriorm_deploy_concurrency
N=20
WORK=$(mktemp -d /tmp/ferriorm-conc.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	rm -rf "$WORK"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export PGDATABASE=$DB
psql -X -q -c "CREATE EXTENSION ferriorm"

# $1 = directory, $2 = table prefix, $3 = timestamp prefix (10 digits)
make_dir() {
	mkdir -p "$1"
	printf 'provider = "postgresql"\n' > "$1/migration_lock.toml"
	for i in $(seq -w 1 $N); do
		mkdir -p "$1/${3}0000${i}_m$i"
		{
			# the first one is slow, so that all callers pile up on the lock
			[ "$i" = "01" ] && echo "SELECT pg_sleep(0.5);"
			echo "CREATE TABLE $2_$i (id int PRIMARY KEY);"
			echo "INSERT INTO $2_$i VALUES ($((10#$i)));"
		} > "$1/${3}0000${i}_m$i/migration.sql"
	done
	chmod -R a+rX "$1"
}

fail() { echo "FAIL: $*"; exit 1; }

echo "== phase 1: 8 concurrent deploys, READ COMMITTED"
make_dir "$WORK/m" t 2024010100
pids=()
for c in $(seq 1 8); do
	psql -X -qAt -v ON_ERROR_STOP=1 \
		-c "SELECT count(*) FROM ferriorm_deploy('$WORK/m')" > "$WORK/out.$c" 2>&1 &
	pids+=($!)
done
ok=0
for c in $(seq 1 8); do
	if wait "${pids[$((c - 1))]}"; then ok=$((ok + 1)); else echo "caller $c failed:"; cat "$WORK/out.$c"; fi
done
[ $ok -eq 8 ] || fail "only $ok of 8 calls succeeded"
echo "all 8 calls succeeded"
total=$(cat "$WORK"/out.* | paste -sd+ | bc)
echo "rows returned by the 8 calls: $(cat "$WORK"/out.* | tr '\n' ' ')(sum $total)"
[ "$total" -eq $N ] || fail "the calls applied $total migrations in total, expected $N"

rows=$(psql -X -qAt -c "SELECT count(*), count(DISTINCT migration_name) FROM _ferriorm_migrations")
[ "$rows" = "$N|$N" ] || fail "history has count|distinct = $rows, expected $N|$N"
echo "history: $N rows, no duplicates"
tables=$(psql -X -qAt -c "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\_%'")
[ "$tables" -eq $N ] || fail "$tables tables, expected $N"
sumids=$(psql -X -qAt -c "SELECT $(for i in $(seq -w 1 $N); do printf '(SELECT count(*) FROM t_%s)+' $i; done)0")
[ "$sumids" -eq $N ] || fail "seed rows: $sumids, expected $N (a migration ran twice?)"
echo "each migration ran exactly once"

echo "== phase 2: 4 concurrent deploys, REPEATABLE READ"
psql -X -q -c "DELETE FROM _ferriorm_migrations"
make_dir "$WORK/rr" r 2024020100
pids=()
for c in $(seq 1 4); do
	psql -X -qAt -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
		-c "BEGIN ISOLATION LEVEL REPEATABLE READ" \
		-c "SELECT count(*) FROM ferriorm_deploy('$WORK/rr')" \
		-c "COMMIT" > "$WORK/rr.$c" 2>&1 &
	pids+=($!)
done
applied=0
for c in $(seq 1 4); do
	if wait "${pids[$((c - 1))]}"; then
		n=$(grep -E '^[0-9]+$' "$WORK/rr.$c" | head -1)
		applied=$((applied + n))
		echo "caller $c succeeded, applied $n"
	elif grep -q "40001" "$WORK/rr.$c"; then
		echo "caller $c: serialization failure (40001), as expected for a loser"
	else
		echo "caller $c failed unexpectedly:"; cat "$WORK/rr.$c"; fail "unexpected error in REPEATABLE READ"
	fi
done
[ $applied -eq $N ] || fail "REPEATABLE READ callers applied $applied, expected $N"
rows=$(psql -X -qAt -c "SELECT count(*), count(DISTINCT migration_name) FROM _ferriorm_migrations ")
[ "$rows" = "$N|$N" ] || fail "history has $rows"
# a retry of a loser is a no-op
again=$(psql -X -qAt -c "SELECT count(*) FROM ferriorm_deploy('$WORK/rr')")
[ "$again" -eq 0 ] || fail "retry applied $again"
echo "each migration applied exactly once; a retry is a no-op"

echo "== phase 3: 4 concurrent deploys, SERIALIZABLE"
psql -X -q -c "DELETE FROM _ferriorm_migrations"
make_dir "$WORK/ser" s 2024030100
pids=()
for c in $(seq 1 4); do
	psql -X -qAt -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
		-c "BEGIN ISOLATION LEVEL SERIALIZABLE" \
		-c "SELECT count(*) FROM ferriorm_deploy('$WORK/ser')" \
		-c "COMMIT" > "$WORK/ser.$c" 2>&1 &
	pids+=($!)
done
applied=0
for c in $(seq 1 4); do
	if wait "${pids[$((c - 1))]}"; then
		n=$(grep -E '^[0-9]+$' "$WORK/ser.$c" | head -1)
		applied=$((applied + n))
		echo "caller $c succeeded, applied $n"
	elif grep -q "40001" "$WORK/ser.$c"; then
		echo "caller $c: serialization failure (40001), as expected for a loser"
	else
		echo "caller $c failed unexpectedly:"; cat "$WORK/ser.$c"; fail "unexpected error in SERIALIZABLE"
	fi
done
[ $applied -eq $N ] || fail "SERIALIZABLE callers applied $applied, expected $N"
rows=$(psql -X -qAt -c "SELECT count(*), count(DISTINCT migration_name) FROM _ferriorm_migrations ")
[ "$rows" = "$N|$N" ] || fail "history has $rows"
again=$(psql -X -qAt -c "BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT count(*) FROM ferriorm_deploy('$WORK/ser'); COMMIT")
[ "$again" -eq 0 ] || fail "retry applied $again"
echo "each migration applied exactly once; a retry is a no-op"
echo "deploy_concurrency: PASS"
