#!/usr/bin/env bash
# CALL ferriorm_migrate on shapes found in real Prisma histories:
#  1. a long history (434 migrations) whose last migration
#     fails: the error is reported (the backend used to crash reporting it,
#     once the memory of the files had gone back to the system) and the
#     migration is recorded as failed;
#  2. SET TRANSACTION ISOLATION LEVEL right after BEGIN (as Prisma runs a
#     file, it is the transaction's first statement): the procedure runs
#     the part at that level, the next part (after COMMIT) at the default;
#     placed after another statement it fails, as it does for Prisma; the
#     function form cannot change its caller's level and fails.
#
# Runs in its own database; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail
. "$(dirname "$0")/../lib/scratch.sh"

DB=ferriorm_migrate_histories
scratch_begin migrate-histories
scratch_create_db "ALTER DATABASE $DB SET client_min_messages = warning" >/dev/null
q() { psql -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }
q "CREATE EXTENSION ferriorm" >/dev/null

echo "== a long history whose last migration fails"
D=$WORK/long
mkdir -p "$D"
printf 'provider = "postgresql"\n' > "$D/migration_lock.toml"
# the shape of a real history that crashed the backend: 433 short files,
# then a 16 kB one that fails
pad=$(printf -- '-- %0.s--------------------------------------------------------\n' $(seq 1 10))
for i in $(seq -w 1 433); do
	mkdir "$D/20240101000${i}_m$i"
	printf '%s\nCREATE TABLE h_%s (id int);\n' "$pad" "$i" > "$D/20240101000${i}_m$i/migration.sql"
done
mkdir "$D/20240102000000_fails"
{
	printf 'CREATE TABLE h_last (id int);\n'
	printf -- '-- %0.s------------------------------------------------------------------------------------------\n' $(seq 1 170)
	printf 'SELECT 1 / 0;\n'
} > "$D/20240102000000_fails/migration.sql"
chmod -R a+rX "$D"
if out=$(psql -X -qAt -c "CALL ferriorm_migrate('$D')" 2>&1); then
	fail "expected an error, got: $out"
fi
echo "$out"
grep -q 'migration "20240102000000_fails" failed at line 172: division by zero' <<<"$out" ||
	fail "the error was not reported: $out"
[ "$(q "SELECT count(*) FROM _ferriorm_migrations WHERE status = 'applied'")" = 433 ] ||
	fail "the 433 migrations before it are not recorded"
[ "$(q "SELECT status FROM _ferriorm_migrations WHERE name = '20240102000000_fails'")" = failed ] ||
	fail "the failed migration is not recorded as failed"
[ "$(q "SELECT to_regclass('h_last') IS NULL")" = t ] || fail "the failed migration left its table"
echo "reported and recorded as failed"

echo "== SET TRANSACTION at the start of a transaction"
scratch_create_db "ALTER DATABASE $DB SET client_min_messages = warning" >/dev/null
q "CREATE EXTENSION ferriorm" >/dev/null
D=$WORK/iso
mkdir -p "$D/20240101000000_t" "$D/20240102000000_iso"
printf 'CREATE TABLE iso_t (level text);\n' > "$D/20240101000000_t/migration.sql"
cat > "$D/20240102000000_iso/migration.sql" <<'SQL'
-- a backfill that wants one snapshot
BEGIN;
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ WRITE;
SET LOCAL statement_timeout = 0;
INSERT INTO iso_t VALUES (current_setting('transaction_isolation'));
COMMIT;
BEGIN;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
SET TRANSACTION DEFERRABLE;
INSERT INTO iso_t VALUES (current_setting('transaction_isolation') || ' ' || current_setting('transaction_deferrable'));
COMMIT;
INSERT INTO iso_t VALUES (current_setting('transaction_isolation'));
SQL
chmod -R a+rX "$D"
F=$WORK/iso_function
mkdir -p "$F/20240101000000_iso"
printf 'BEGIN;\nSET TRANSACTION ISOLATION LEVEL REPEATABLE READ;\nCREATE TABLE iso_f (id int);\nCOMMIT;\n' > "$F/20240101000000_iso/migration.sql"
chmod -R a+rX "$F"
out=$(psql -X -qAt -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM ferriorm_deploy('$F')" 2>&1) &&
	fail "the function form ran SET TRANSACTION in its caller's transaction: $out"
echo "$out" | head -1
grep -q 'failed at line 2: SET TRANSACTION ISOLATION LEVEL must be called before any query' <<<"$out" ||
	fail "wrong error: $out"
q "CALL ferriorm_migrate('$D')"
got=$(q "SELECT string_agg(level, ', ' ORDER BY ctid) FROM iso_t")
[ "$got" = "repeatable read, serializable on, read committed" ] || fail "levels: $got"
echo "levels: $got"
mkdir "$D/20240103000000_late"
printf 'BEGIN;\nINSERT INTO iso_t VALUES (1);\nSET TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCOMMIT;\n' > "$D/20240103000000_late/migration.sql"
chmod -R a+rX "$D"
if out=$(psql -X -qAt -c "CALL ferriorm_migrate('$D')" 2>&1); then
	fail "SET TRANSACTION after a query was accepted"
fi
echo "$out" | head -1
grep -q 'failed at line 3' <<<"$out" || fail "wrong error: $out"

echo "OK"
