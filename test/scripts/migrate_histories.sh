#!/usr/bin/env bash
# CALL ferriorm_migrate on shapes found in real Prisma histories:
#  1. a long history (434 migrations) whose last migration
#     fails: the error is reported (the backend used to crash reporting it,
#     once the memory of the files had gone back to the system) and the
#     migration is recorded as failed;
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
echo "$out" | grep -q 'migration "20240102000000_fails" failed at line 172: division by zero' ||
	fail "the error was not reported: $out"
[ "$(q "SELECT count(*) FROM _ferriorm_migrations WHERE status = 'applied'")" = 433 ] ||
	fail "the 433 migrations before it are not recorded"
[ "$(q "SELECT status FROM _ferriorm_migrations WHERE name = '20240102000000_fails'")" = failed ] ||
	fail "the failed migration is not recorded as failed"
[ "$(q "SELECT to_regclass('h_last') IS NULL")" = t ] || fail "the failed migration left its table"
echo "reported and recorded as failed"

echo "OK"
