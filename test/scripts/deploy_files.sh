#!/usr/bin/env bash
# Migration files on disk: checksums equal sha256sum (CRLF, BOM, non-ASCII,
# empty file), a file edited after it was applied is refused, a deleted one
# is reported missing, unreadable files and directories and invalid
# encodings are clear errors.
#
# Runs in its own database; needs PGHOST/PGPORT/PGUSER (a superuser).  The
# server runs as another OS user than this script when run as root.
set -euo pipefail

DB=ferriorm_deploy_files
WORK=$(mktemp -d /tmp/ferriorm-files.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	chmod -R u+rwX "$WORK" 2>/dev/null || true
	rm -rf "$WORK"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
q() { psql -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }
# run a statement that must fail; print its error
qerr() {
	if out=$(psql -X -qAt -v ON_ERROR_STOP=1 -c "$1" 2>&1); then
		fail "expected an error from: $1"
	fi
	echo "$out"
}

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" -c "ALTER DATABASE $DB SET client_min_messages = warning"
export PGDATABASE=$DB
q "CREATE EXTENSION ferriorm" >/dev/null

D=$WORK/m
mkdir -p "$D"
printf 'provider = "postgresql"\n' > "$D/migration_lock.toml"
m() { mkdir -p "$D/$1"; printf "$2" > "$D/$1/migration.sql"; }
m 20240101000000_plain 'CREATE TABLE f_plain (id int);\n'
m 20240102000000_crlf 'CREATE TABLE f_crlf (id int);\r\nINSERT INTO f_crlf VALUES (1);\r\n'
m 20240103000000_bom '\xef\xbb\xbfCREATE TABLE f_bom (id int);\n'
m 20240104000000_utf8 "CREATE TABLE f_utf8 (name text DEFAULT 'gr\xc3\xbc\xc3\x9fe \xe2\x82\xac');\n"
m 20240105000000_empty ''
m 20240106000000_nonl 'CREATE TABLE f_nonl (id int)'
chmod -R a+rX "$D"

echo "== checksums equal sha256sum"
n=$(q "SELECT count(*) FROM ferriorm_deploy('$D')")
[ "$n" -eq 6 ] || fail "applied $n, expected 6"
for f in "$D"/*/migration.sql; do
	name=$(basename "$(dirname "$f")")
	want=$(sha256sum "$f" | cut -d' ' -f1)
	got=$(q "SELECT checksum FROM _ferriorm_migrations WHERE migration_name = '$name'")
	st=$(q "SELECT checksum FROM ferriorm_status('$D') WHERE migration = '$name'")
	[ "$want" = "$got" ] && [ "$want" = "$st" ] || fail "$name: sha256sum $want, recorded $got, status $st"
	echo "$name  $got"
done
q "INSERT INTO f_utf8 DEFAULT VALUES" >/dev/null
[ "$(q "SELECT name FROM f_utf8")" = "grüße €" ] || fail "UTF-8 default mangled"
echo "the BOM, CRLF and UTF-8 migrations ran correctly"

echo "== a file edited after it was applied is refused"
printf 'CREATE TABLE f_plain (id bigint);\n' > "$D/20240101000000_plain/migration.sql"
m 20240107000000_next 'CREATE TABLE f_next (id int);\n'
chmod -R a+rX "$D"
err=$(qerr "SELECT * FROM ferriorm_deploy('$D')")
echo "$err"
grep -q 'migration "20240101000000_plain" was modified after it was applied' <<<"$err" || fail "wrong error"
newsum=$(sha256sum "$D/20240101000000_plain/migration.sql" | cut -d' ' -f1)
grep -q "Current checksum: $newsum" <<<"$err" || fail "the new checksum is not reported"
[ "$(q "SELECT status FROM ferriorm_status('$D') WHERE migration = '20240101000000_plain'")" = modified ] || fail "status is not modified"
[ "$(q "SELECT to_regclass('f_next') IS NULL")" = t ] || fail "the next migration was applied"
printf 'CREATE TABLE f_plain (id int);\n' > "$D/20240101000000_plain/migration.sql"
echo "restored: deploy proceeds"
[ "$(q "SELECT migration FROM ferriorm_deploy('$D')")" = 20240107000000_next ] || fail "restore did not help"

echo "== a deleted migration is reported missing"
rm -r "$D/20240102000000_crlf"
[ "$(q "SELECT status FROM ferriorm_status('$D') WHERE migration = '20240102000000_crlf'")" = missing ] || fail "status is not missing"
out=$(psql -X -qAt -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "SELECT count(*) FROM ferriorm_deploy('$D')" 2>&1)
echo "$out"
grep -q 'WARNING:  applied migration "20240102000000_crlf" is missing from the migrations directory' <<<"$out" || fail "no warning"

if [ "$(id -u)" -eq 0 ] && [ "$(q "SELECT current_setting('data_directory')" | xargs stat -c %U)" != root ]; then
	echo "== unreadable files (the server runs as another OS user)"
	m 20240108000000_secret 'SELECT 1;\n'
	chmod 000 "$D/20240108000000_secret/migration.sql"
	err=$(qerr "SELECT * FROM ferriorm_deploy('$D')")
	echo "$err"
	grep -q "could not open file \"$D/20240108000000_secret/migration.sql\" for reading: Permission denied" <<<"$err" || fail "wrong error"
	chmod 644 "$D/20240108000000_secret/migration.sql"
	chmod 000 "$D/20240108000000_secret"
	err=$(qerr "SELECT * FROM ferriorm_deploy('$D')")
	echo "$err"
	grep -q "Permission denied" <<<"$err" || fail "wrong error"
	chmod 755 "$D/20240108000000_secret"
	chmod 700 "$D"
	err=$(qerr "SELECT * FROM ferriorm_status('$D')")
	echo "$err"
	grep -q "Permission denied" <<<"$err" || fail "wrong error"
	chmod 755 "$D"
	rm -r "$D/20240108000000_secret"
else
	echo "== unreadable files: skipped (server runs as this user)"
fi

echo "== invalid encoding is refused before anything runs"
m 20240109000000_latin1 "CREATE TABLE f_latin1 (name text DEFAULT 'gr\xfc\xdfe');\n"
chmod -R a+rX "$D"
err=$(qerr "SELECT * FROM ferriorm_deploy('$D')")
echo "$err"
grep -q 'migration "20240109000000_latin1" is not valid in encoding "UTF8"' <<<"$err" || fail "wrong error"
rm -r "$D/20240109000000_latin1"

echo "== a migration.sql that is a directory"
mkdir -p "$D/20240110000000_weird/migration.sql"
err=$(qerr "SELECT * FROM ferriorm_deploy('$D')")
echo "$err"
grep -q 'file "migration.sql" of migration "20240110000000_weird" is not a regular file' <<<"$err" || fail "wrong error"
rm -r "$D/20240110000000_weird"

echo "== a FIFO is refused, not waited on (no writer would ever come)"
# a hang would be in the kernel, out of reach of cancel and statement_timeout:
# if the call does not return, open the FIFO for writing to release it
fifo_err() {
	local fifo=$1 rc=0
	timeout 30 psql -X -qAt -v ON_ERROR_STOP=1 -c "SELECT * FROM ferriorm_status('$D')" > "$WORK/fifo.out" 2>&1 || rc=$?
	if [ "$rc" -eq 124 ]; then
		timeout 5 bash -c "exec 3>'$fifo'" || true
		fail "ferriorm_status waited on the FIFO $fifo"
	fi
	[ "$rc" -ne 0 ] || fail "expected an error for the FIFO $fifo"
	cat "$WORK/fifo.out"
}
mv "$D/migration_lock.toml" "$WORK/lock.saved"
mkfifo -m 666 "$D/migration_lock.toml"
fifo_err "$D/migration_lock.toml"
grep -q "\"$D/migration_lock.toml\" is not a regular file" "$WORK/fifo.out" || fail "wrong error"
rm "$D/migration_lock.toml"
mv "$WORK/lock.saved" "$D/migration_lock.toml"
echo "== symlinks are followed; a dangling one is an error naming it"
mkdir -p "$WORK/elsewhere/m1"
printf 'CREATE TABLE f_linked (id int);\n' > "$WORK/elsewhere/m1/migration.sql"
chmod -R a+rX "$WORK/elsewhere"
ln -s "$WORK/elsewhere/m1" "$D/20240111000000_linked"
[ "$(q "SELECT migration FROM ferriorm_deploy('$D')" 2>/dev/null)" = 20240111000000_linked ] || fail "the symlinked migration was not applied"
[ "$(q "SELECT to_regclass('f_linked') IS NOT NULL")" = t ] || fail "f_linked missing"
ln -s "$WORK/nowhere" "$D/20240112000000_dangling"
err=$(qerr "SELECT * FROM ferriorm_status('$D')")
echo "$err"
grep -q "could not stat file \"$D/20240112000000_dangling\": No such file or directory" <<<"$err" || fail "wrong error"
rm "$D/20240112000000_dangling"
echo "deploy_files: PASS"
