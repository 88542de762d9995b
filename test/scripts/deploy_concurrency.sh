#!/usr/bin/env bash
# 8 concurrent ferriorm_deploy calls on the same migrations directory:
# every migration is applied exactly once, every call succeeds, and the
# history has no duplicates.  Then 4 concurrent deploys in REPEATABLE READ
# transactions: each either succeeds or fails with a serialization failure
# (SQLSTATE 40001), never with anything else, and again each migration is
# applied exactly once.  Then 8 concurrent CALL ferriorm_migrate on one
# directory: each migration applied exactly once, every call succeeds.
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

# 4 concurrent deploys, each in one transaction at isolation level $1, on
# a fresh directory $2 (migration prefix $3, timestamps from $4): losers
# fail with 40001, the winners together apply every migration once, the
# history has no duplicates, and a retry (at the same level) is a no-op.
isolated_race() {
	local level=$1 dir=$2 prefix=$3 stamp=$4 c n applied rows again
	local -a pids=()
	psql -X -q -c "DELETE FROM _ferriorm_migrations"
	make_dir "$dir" "$prefix" "$stamp"
	for c in $(seq 1 4); do
		psql -X -qAt -v ON_ERROR_STOP=1 -v VERBOSITY=verbose \
			-c "BEGIN ISOLATION LEVEL $level" \
			-c "SELECT count(*) FROM ferriorm_deploy('$dir')" \
			-c "COMMIT" > "$dir.$c" 2>&1 &
		pids+=($!)
	done
	applied=0
	for c in $(seq 1 4); do
		if wait "${pids[$((c - 1))]}"; then
			n=$(grep -E '^[0-9]+$' "$dir.$c" | head -1)
			applied=$((applied + n))
			echo "caller $c succeeded, applied $n"
		elif grep -q "40001" "$dir.$c"; then
			echo "caller $c: serialization failure (40001), as expected for a loser"
		else
			echo "caller $c failed unexpectedly:"; cat "$dir.$c"; fail "unexpected error in $level"
		fi
	done
	[ $applied -eq $N ] || fail "$level callers applied $applied, expected $N"
	rows=$(psql -X -qAt -c "SELECT count(*), count(DISTINCT migration_name) FROM _ferriorm_migrations")
	[ "$rows" = "$N|$N" ] || fail "history has $rows"
	again=$(psql -X -qAt -c "BEGIN ISOLATION LEVEL $level; SELECT count(*) FROM ferriorm_deploy('$dir'); COMMIT")
	[ "$again" -eq 0 ] || fail "retry applied $again"
	echo "each migration applied exactly once; a retry is a no-op"
}

echo "== phase 2: 4 concurrent deploys, REPEATABLE READ"
isolated_race "REPEATABLE READ" "$WORK/rr" r 2024020100

echo "== phase 3: 4 concurrent deploys, SERIALIZABLE"
isolated_race SERIALIZABLE "$WORK/ser" s 2024030100

# 8 concurrent CALLs on directory $2 (prefix $3, stamps $4) with
# default_transaction_isolation $1: every CALL succeeds (the procedure reads
# the history in a transaction begun after the lock, so no serialization
# failure even in REPEATABLE READ), each migration applied exactly once
concurrent_calls() {
local level=$1 c n ok total rows sumids
local -a pids=()
psql -X -q -c "DELETE FROM _ferriorm_migrations"
make_dir "$2" "$3" "$4"
for c in $(seq 1 8); do
	psql -X -qAt -v ON_ERROR_STOP=1 -c "SET default_transaction_isolation = '$level'" \
		-c "CALL ferriorm_migrate('$2')" > "$2.$c" 2>&1 &
	pids+=($!)
done
ok=0
for c in $(seq 1 8); do
	if wait "${pids[$((c - 1))]}"; then ok=$((ok + 1)); else echo "caller $c failed:"; cat "$2.$c"; fi
done
[ $ok -eq 8 ] || fail "only $ok of 8 CALLs succeeded"
total=0
for c in $(seq 1 8); do
	n=$(sed -n 's/^NOTICE:  applied \([0-9]*\) migrations\{0,1\}$/\1/p' "$2.$c")
	total=$((total + ${n:-0}))
done
echo "all 8 CALLs succeeded; together they applied $total"
[ "$total" -eq $N ] || fail "the CALLs applied $total migrations in total, expected $N"
rows=$(psql -X -qAt -c "SELECT count(*), count(DISTINCT name) FROM _ferriorm_migrations")
[ "$rows" = "$N|$N" ] || fail "history has count|distinct = $rows, expected $N|$N"
sumids=$(psql -X -qAt -c "SELECT $(for i in $(seq -w 1 $N); do printf '(SELECT count(*) FROM %s_%s)+' "$3" $i; done)0")
[ "$sumids" -eq $N ] || fail "seed rows: $sumids, expected $N (a migration ran twice?)"
echo "each migration ran exactly once"
}

echo "== phase 4: 8 concurrent CALL ferriorm_migrate, READ COMMITTED"
concurrent_calls "read committed" "$WORK/p" p 2024040100
echo "== phase 5: 8 concurrent CALL ferriorm_migrate, REPEATABLE READ"
concurrent_calls "repeatable read" "$WORK/q" q 2024050100
echo "deploy_concurrency: PASS"
