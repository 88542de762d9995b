#!/usr/bin/env bash
# Real-world history shapes, deployed by both forms and checked against
# psql applying the same files one by one (autocommit, as a person would):
#
#   wrapper   a migration wrapped in BEGIN; ... COMMIT; (Prisma's enum template)
#   enum      a value added with ALTER TYPE ... ADD VALUE, used by later migrations
#   midcommit a COMMIT in the middle of a migration
#   concurrent CREATE INDEX CONCURRENTLY, REINDEX ... CONCURRENTLY, VACUUM
#   names     odd folder names (space, Unicode, trailing _) and CLI folders
#             (0001_init with _schema_snapshot.json)
#
# For each: CALL ferriorm_migrate gives the same schema and data as psql,
# status shows everything applied, a second CALL applies nothing; the
# function form gives the same result where it can, and otherwise refuses
# up front, naming the migration and pointing to the procedure.  Then: a
# failing concurrent build (the migration is recorded failed, the invalid
# index is named), adopting _prisma_migrations and the ferriorm CLI's table,
# and a loopback by a non-superuser without a password.
#
# Runs in databases of its own; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail

WORK=$(mktemp -d /tmp/ferriorm-forms.XXXXXX)
chmod 755 "$WORK"
DBS=()
cleanup() {
	rm -rf "$WORK"
	for d in "${DBS[@]}"; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
	done
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS regress_forms_deployer" >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
PGDUMP=${FERRIORM_PGBIN:+$FERRIORM_PGBIN/}pg_dump

newdb() {
	psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
	DBS+=("$1")
}

# mig DIR NAME: migration.sql from stdin
mig() {
	mkdir -p "$1/$2"
	cat > "$1/$2/migration.sql"
}

# the schema and data of public, without the extension and its history
snapshot() {
	"$PGDUMP" -d "$1" --schema=public --no-owner --no-privileges \
		--exclude-table='_ferriorm_migrations*' --exclude-table='_prisma_migrations' \
		| grep -v -e '^--' -e '^$' -e 'ferriorm' -e '^SET ' -e 'set_config' -e '^.restrict' -e '^.unrestrict' \
		| sed -e 's/[0-9a-f]\{64\}//g'
}

# with_psql DIR DB: each migration.sql with psql -f, in folder order
with_psql() {
	local d
	while IFS= read -r d; do
		psql -X -q -v ON_ERROR_STOP=1 -d "$2" -f "$1/$d/migration.sql" >/dev/null 2>&1 \
			|| fail "psql could not apply $d"
	done < <(cd "$1" && LC_ALL=C ls -d -- */ | sed 's:/$::')
}

# check SHAPE DIR FUNCTION_FORM: FUNCTION_FORM is "same" or "refused"
check() {
	local shape=$1 dir=$2 fform=$3 ref=f_${1}_psql proc=f_${1}_proc fn=f_${1}_fn n
	chmod -R a+rX "$dir"
	echo "== $shape"
	newdb $ref
	newdb $proc
	with_psql "$dir" $ref
	psql -X -q -d $proc -c "CREATE EXTENSION ferriorm"
	psql -X -q -v ON_ERROR_STOP=1 -d $proc -c "CALL ferriorm_migrate('$dir')" 2>"$WORK/err" \
		|| { cat "$WORK/err"; fail "$shape: the procedure failed"; }
	grep -v -e NOTICE -e '^$' "$WORK/err" && fail "$shape: unexpected messages"
	snapshot $ref > "$WORK/$ref.sql"
	snapshot $proc > "$WORK/$proc.sql"
	diff -u "$WORK/$ref.sql" "$WORK/$proc.sql" || fail "$shape: the procedure's result differs from psql's"
	n=$(psql -X -qAt -d $proc -c "SELECT count(*) FROM ferriorm_status('$dir') WHERE status <> 'applied'")
	[ "$n" = 0 ] || fail "$shape: $n migrations not applied by the procedure"
	psql -X -q -d $proc -c "CALL ferriorm_migrate('$dir')" 2>&1 | grep -q "no pending migrations" \
		|| fail "$shape: a second CALL did something"
	echo "procedure: same schema and data as psql; all applied; a second CALL applies nothing"

	newdb $fn
	psql -X -q -d $fn -c "CREATE EXTENSION ferriorm"
	if [ "$fform" = same ]; then
		psql -X -q -v ON_ERROR_STOP=1 -d $fn -c "SELECT count(*) FROM ferriorm_deploy('$dir')" >/dev/null 2>"$WORK/err" \
			|| { cat "$WORK/err"; fail "$shape: the function failed"; }
		snapshot $fn > "$WORK/$fn.sql"
		diff -u "$WORK/$ref.sql" "$WORK/$fn.sql" || fail "$shape: the function's result differs from psql's"
		echo "function: same schema and data as psql"
	else
		if psql -X -q -v ON_ERROR_STOP=1 -d $fn -c "SELECT count(*) FROM ferriorm_deploy('$dir')" >/dev/null 2>"$WORK/err"; then
			fail "$shape: the function form deployed it"
		fi
		grep -q "ferriorm_migrate" "$WORK/err" || { cat "$WORK/err"; fail "$shape: the refusal does not point to the procedure"; }
		n=$(psql -X -qAt -d $fn -c "SELECT count(*) FROM _ferriorm_migrations")
		[ "$n" = 0 ] || fail "$shape: the function form recorded $n migrations"
		echo "function: nothing applied: $(grep -m1 ERROR "$WORK/err")"
	fi
}

# ---------------------------------------------------------------- wrapper
D=$WORK/wrapper
mig "$D" 20240101000000_init <<'SQL'
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TABLE "User" (id serial PRIMARY KEY, role "Role" NOT NULL DEFAULT 'USER');
INSERT INTO "User" (role) VALUES ('ADMIN'), ('USER');
SQL
mig "$D" 20240102000000_role_enum <<'SQL'
/*
  Warnings:
  - The values [ADMIN] on the enum `Role` will be removed.
*/
-- AlterEnum
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'OWNER');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new"
  USING (CASE "role"::text WHEN 'ADMIN' THEN 'OWNER' ELSE "role"::text END::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;
SQL
check wrapper "$D" same

# ------------------------------------------------------------------- enum
D=$WORK/enum
mig "$D" 20240101000000_init <<'SQL'
CREATE TYPE "Status" AS ENUM ('OPEN');
CREATE TABLE "Ticket" (id int PRIMARY KEY, status "Status" NOT NULL);
SQL
mig "$D" 20240102000000_add_closed <<'SQL'
-- AlterEnum
ALTER TYPE "Status" ADD VALUE 'CLOSED';
ALTER TYPE "Status" ADD VALUE 'ARCHIVED';
SQL
mig "$D" 20240103000000_use_closed <<'SQL'
ALTER TABLE "Ticket" ALTER COLUMN status SET DEFAULT 'CLOSED';
INSERT INTO "Ticket" VALUES (1, 'CLOSED'), (2, 'ARCHIVED');
SQL
check enum "$D" refused
grep -q "unsafe use of new value" "$WORK/err" || fail "enum: not the enum error"
grep -q "HINT:.*New enum values must be committed.*CALL ferriorm_migrate" "$WORK/err" \
	|| { cat "$WORK/err"; fail "enum: no hint to the procedure"; }

# -------------------------------------------------------------- midcommit
D=$WORK/midcommit
mig "$D" 20240101000000_init <<'SQL'
CREATE TYPE kind AS ENUM ('a');
CREATE TABLE item (id int PRIMARY KEY, k kind);
SQL
mig "$D" 20240102000000_mid <<'SQL'
SET lock_timeout = '7s';
ALTER TYPE kind ADD VALUE 'b';
COMMIT;
INSERT INTO item VALUES (1, 'b');
CREATE TABLE item_setting AS SELECT current_setting('lock_timeout') AS lock_timeout;
SQL
check midcommit "$D" refused
grep -q 'migration "20240102000000_mid" cannot be deployed: COMMIT outside a BEGIN ... COMMIT block, before the end' "$WORK/err" \
	|| fail "midcommit: the refusal does not name the migration"
v=$(psql -X -qAt -d f_midcommit_proc -c "SELECT lock_timeout FROM item_setting")
[ "$v" = 7s ] || fail "midcommit: the SET before COMMIT did not last until the end of the migration ($v)"
v=$(psql -X -qAt -d f_midcommit_proc -c "SHOW lock_timeout")
[ "$v" = 0 ] || fail "midcommit: the migration's SET outlived it ($v)"

# ------------------------------------------------------------- docommit
# a migration that is one DO block that commits (a batched backfill), or one
# CALL of a procedure that commits: Prisma and psql run it outside any
# transaction block, and so does the procedure form (over the loopback);
# the function form cannot, and its error points to the procedure
D=$WORK/docommit
mig "$D" 20240101000000_init <<'SQL'
CREATE TABLE batch (id int PRIMARY KEY, note text);
CREATE PROCEDURE fill_notes() LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..3 LOOP
    UPDATE batch SET note = 'filled' WHERE id = i;
    COMMIT;
  END LOOP;
END $$;
SQL
mig "$D" 20240102000000_backfill <<'SQL'
-- rows in batches, each committed
DO $$
BEGIN
  FOR i IN 1..3 LOOP
    INSERT INTO batch VALUES (i);
    commit;
  END LOOP;
END $$;
SQL
mig "$D" 20240103000000_call <<'SQL'
CALL fill_notes();
SQL
check docommit "$D" refused
grep -q 'invalid transaction termination' "$WORK/err" || fail "docommit: unexpected error in the function form"

# ------------------------------------------------------------- concurrent
D=$WORK/concurrent
mig "$D" 20240101000000_init <<'SQL'
CREATE TABLE "Post" (id int PRIMARY KEY, title text, body text);
INSERT INTO "Post" SELECT g, 't' || g, 'b' || g FROM generate_series(1, 1000) g;
SQL
mig "$D" 20240102000000_indexes <<'SQL'
-- CreateIndex
CREATE INDEX CONCURRENTLY "Post_title_idx" ON "Post"(title);
CREATE INDEX CONCURRENTLY "Post_body_idx" ON "Post"(body);
ALTER TABLE "Post" ADD COLUMN published boolean NOT NULL DEFAULT false;
REINDEX INDEX CONCURRENTLY "Post_title_idx";
DROP INDEX CONCURRENTLY "Post_body_idx";
VACUUM (ANALYZE) "Post";
SQL
mig "$D" 20240103000000_after <<'SQL'
CREATE UNIQUE INDEX CONCURRENTLY "Post_title_key" ON "Post"(title);
SQL
check concurrent "$D" refused
v=$(psql -X -qAt -d f_concurrent_proc -c "SELECT count(*) FROM pg_index WHERE indrelid = '\"Post\"'::regclass AND indisvalid")
[ "$v" = 3 ] || fail "concurrent: $v valid indexes, expected 3"

# ------------------------------------------------------------------ names
D=$WORK/names
mig "$D" "0001_init" <<'SQL'
CREATE TABLE n1 (id int);
SQL
echo '{"models": []}' > "$D/0001_init/_schema_snapshot.json"
mig "$D" "0002_add_users" <<'SQL'
CREATE TABLE n2 (id int);
SQL
echo '{"models": []}' > "$D/0002_add_users/_schema_snapshot.json"
mig "$D" "20241130164335_added_api_keys copy" <<'SQL'
CREATE TABLE n3 (id int);
SQL
mig "$D" "20241201000000_trailing_" <<'SQL'
CREATE TABLE n4 (id int);
SQL
mig "$D" "20241202000000_übersetzung_日本" <<'SQL'
CREATE TABLE n5 (id int);
SQL
check names "$D" same
psql -X -qAt -d f_names_proc -c "SELECT string_agg(name, '|' ORDER BY id) FROM _ferriorm_migrations" > "$WORK/order"
[ "$(cat "$WORK/order")" = "0001_init|0002_add_users|20241130164335_added_api_keys copy|20241201000000_trailing_|20241202000000_übersetzung_日本" ] \
	|| fail "names: applied in the wrong order: $(cat "$WORK/order")"
echo "names: applied in byte order"

# ------------------------------------------------- failing concurrent build
echo "== failing concurrent build"
D=$WORK/cicfail
mig "$D" 20240101000000_init <<'SQL'
CREATE TABLE dup (id int);
INSERT INTO dup VALUES (1), (1);
SQL
mig "$D" 20240102000000_unique <<'SQL'
CREATE TABLE dup_before (id int);
CREATE UNIQUE INDEX CONCURRENTLY dup_id_key ON dup (id);
CREATE TABLE dup_after (id int);
SQL
mig "$D" 20240103000000_later <<'SQL'
CREATE TABLE dup_later (id int);
SQL
chmod -R a+rX "$D"
newdb f_cicfail
psql -X -q -d f_cicfail -c "CREATE EXTENSION ferriorm"
if psql -X -q -v ON_ERROR_STOP=1 -d f_cicfail -c "CALL ferriorm_migrate('$D')" 2>"$WORK/err"; then
	fail "cicfail: the procedure succeeded"
fi
grep -q 'ERROR:  migration "20240102000000_unique" failed at line 2: could not create unique index "dup_id_key"' "$WORK/err" \
	|| { cat "$WORK/err"; fail "cicfail: unexpected error"; }
grep -q 'HINT:  The failed build left invalid index dup_id_key' "$WORK/err" || { cat "$WORK/err"; fail "cicfail: no hint about the invalid index"; }
v=$(psql -X -qAt -d f_cicfail -c "SELECT string_agg(name || ':' || status, ' ' ORDER BY id) FROM _ferriorm_migrations")
[ "$v" = "20240101000000_init:applied 20240102000000_unique:failed" ] || fail "cicfail: history is $v"
v=$(psql -X -qAt -d f_cicfail -c "SELECT logs LIKE '%could not create unique index%SQLSTATE: 23505' FROM _ferriorm_migrations WHERE status = 'failed'")
[ "$v" = t ] || fail "cicfail: the error is not in logs"
v=$(psql -X -qAt -d f_cicfail -c "SELECT to_regclass('dup_before') IS NOT NULL, to_regclass('dup_after') IS NULL, to_regclass('dup_later') IS NULL")
[ "$v" = "t|t|t" ] || fail "cicfail: before/after/later = $v"
{ psql -X -q -d f_cicfail -c "CALL ferriorm_migrate('$D')" 2>&1 || true; } | grep -q 'migration "20240102000000_unique" is recorded as failed' \
	|| fail "cicfail: a later deploy did not refuse"
echo "failed concurrent build: recorded failed with its error, invalid index named, later deploys refuse"

# -------------------------------------------------------------- prisma
echo "== adopting _prisma_migrations"
D=$WORK/enum
newdb f_prisma
with_psql "$D" f_prisma
psql -X -q -v ON_ERROR_STOP=1 -d f_prisma <<SQL
CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);
-- init applied; add_closed failed once, rolled back, then applied;
-- use_closed not recorded at all (it is pending)
INSERT INTO _prisma_migrations VALUES
 ('a', encode(sha256(pg_read_binary_file('$D/20240101000000_init/migration.sql')), 'hex'), now(), '20240101000000_init', NULL, NULL, now(), 1),
 ('b', encode(sha256(pg_read_binary_file('$D/20240102000000_add_closed/migration.sql')), 'hex'), NULL, '20240102000000_add_closed', 'boom', now(), now(), 0),
 ('c', encode(sha256(pg_read_binary_file('$D/20240102000000_add_closed/migration.sql')), 'hex'), now(), '20240102000000_add_closed', NULL, NULL, now(), 1);
DROP TABLE "Ticket"; -- so that use_closed is really pending
CREATE TABLE "Ticket" (id int PRIMARY KEY, status "Status" NOT NULL);
CREATE EXTENSION ferriorm;
SQL
v=$(psql -X -qAt -d f_prisma -c "SELECT string_agg(migration || ':' || status, ' ') FROM ferriorm_status('$D')")
[ "$v" = "20240101000000_init:applied 20240102000000_add_closed:applied 20240103000000_use_closed:pending" ] \
	|| fail "prisma: status is $v"
psql -X -q -v ON_ERROR_STOP=1 -d f_prisma -c "CALL ferriorm_migrate('$D')" 2>"$WORK/err" || { cat "$WORK/err"; fail "prisma: CALL failed"; }
v=$(psql -X -qAt -d f_prisma -c "SELECT string_agg(name || ':' || status || ':' || coalesce(logs LIKE 'imported from%', false), ' ' ORDER BY id) FROM _ferriorm_migrations")
[ "$v" = "20240101000000_init:applied:true 20240102000000_add_closed:applied:true 20240103000000_use_closed:applied:false" ] \
	|| fail "prisma: history is $v"
echo "prisma: finished rows adopted, the rolled-back attempt ignored, the pending one applied"
# a checksum mismatch and a failed row
psql -X -q -d f_prisma -c "DROP EXTENSION ferriorm"
psql -X -q -d f_prisma -c "UPDATE _prisma_migrations SET checksum = repeat('0', 64) WHERE migration_name = '20240101000000_init'" \
	-c "INSERT INTO _prisma_migrations VALUES ('d', repeat('1', 64), NULL, '20240103000000_use_closed', 'it failed', NULL, now(), 0)" \
	-c "CREATE EXTENSION ferriorm"
v=$(psql -X -qAt -d f_prisma -c "SELECT string_agg(migration || ':' || status, ' ') FROM ferriorm_status('$D')")
[ "$v" = "20240101000000_init:modified 20240102000000_add_closed:applied 20240103000000_use_closed:failed" ] \
	|| fail "prisma: status is $v"
echo "prisma: a different checksum is modified, an unfinished attempt is failed"
# as for Prisma Migrate: a checksum an early Prisma version wrote (no
# leading zero of a byte below 0x10, prisma-engines issue 1887) and files
# checked out with CRLF line ends are the migrations that were applied;
# the checksum is imported as Prisma wrote it
python3 - "$D" "$WORK/enum_crlf" <<'PY'
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
shutil.copytree(src, dst)
for d in os.listdir(dst):
    f = os.path.join(dst, d, "migration.sql")
    if os.path.isfile(f):
        b = open(f, "rb").read()
        open(f, "wb").write(b.replace(b"\n", b"\r\n"))
PY
psql -X -q -v ON_ERROR_STOP=1 -d f_prisma -c "DROP EXTENSION ferriorm" \
	-c "DELETE FROM _prisma_migrations WHERE id = 'd'" \
	-c "INSERT INTO _prisma_migrations VALUES ('e', encode(sha256(pg_read_binary_file('$D/20240103000000_use_closed/migration.sql')), 'hex'), now(), '20240103000000_use_closed', NULL, NULL, now(), 1)" \
	-c "UPDATE _prisma_migrations SET checksum = (SELECT string_agg(to_hex(get_byte(sha256(pg_read_binary_file('$D/20240101000000_init/migration.sql')), i)), '' ORDER BY i) FROM generate_series(0, 31) AS i) WHERE migration_name = '20240101000000_init'" \
	-c "CREATE EXTENSION ferriorm"
v=$(psql -X -qAt -d f_prisma -c "SELECT length(checksum) < 64 FROM _prisma_migrations WHERE migration_name = '20240101000000_init'")
[ "$v" = t ] || fail "prisma: the init checksum is not shorter when unpadded (pick another migration)"
for dir in "$D" "$WORK/enum_crlf"; do
	v=$(psql -X -qAt -d f_prisma -c "SELECT string_agg(migration || ':' || status, ' ') FROM ferriorm_status('$dir')")
	[ "$v" = "20240101000000_init:applied 20240102000000_add_closed:applied 20240103000000_use_closed:applied" ] \
		|| fail "prisma: status of $dir is $v"
done
psql -X -q -v ON_ERROR_STOP=1 -d f_prisma -c "CALL ferriorm_migrate('$WORK/enum_crlf')" 2>"$WORK/err" \
	|| { cat "$WORK/err"; fail "prisma: CALL on the CRLF checkout failed"; }
v=$(psql -X -qAt -d f_prisma -c "SELECT string_agg(f.name || ':' || f.status || ':' || (f.checksum = p.checksum), ' ' ORDER BY f.id) FROM _ferriorm_migrations f JOIN _prisma_migrations p ON p.migration_name = f.name AND p.finished_at IS NOT NULL")
[ "$v" = "20240101000000_init:applied:true 20240102000000_add_closed:applied:true 20240103000000_use_closed:applied:true" ] \
	|| fail "prisma: imported history is $v"
echo "prisma: an unpadded checksum of an early Prisma version and CRLF line ends match, as for Prisma"
# a checksum edited by hand: upper case is the same checksum, anything else
# is an error naming the row (not the CHECK of our table)
newdb f_prisma_case
psql -X -q -v ON_ERROR_STOP=1 -d f_prisma_case <<SQL
CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY, "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ, "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0);
INSERT INTO _prisma_migrations VALUES ('a', upper(encode(sha256(pg_read_binary_file('$D/20240101000000_init/migration.sql')), 'hex')),
    now(), '20240101000000_init', NULL, NULL, now(), 1);
CREATE EXTENSION ferriorm;
SQL
v=$(psql -X -qAt -d f_prisma_case -c "SELECT string_agg(migration || ':' || status, ' ') FROM ferriorm_status('$D') WHERE migration = '20240101000000_init'")
[ "$v" = "20240101000000_init:applied" ] || fail "prisma: an upper-case checksum reads as $v"
psql -X -q -d f_prisma_case -c "UPDATE _prisma_migrations SET checksum = 'n/a'"
if psql -X -q -d f_prisma_case -c "SELECT * FROM ferriorm_deploy('$D')" 2>"$WORK/err"; then fail "prisma: deployed beside a non-hex checksum"; fi
grep -q 'checksum of migration "20240101000000_init" in public._prisma_migrations is not a SHA-256 in hexadecimal' "$WORK/err" \
	|| { cat "$WORK/err"; fail "prisma: unexpected error for a non-hex checksum"; }
echo "prisma: an upper-case checksum matches, a non-hex one is an error naming its row"

# ------------------------------------------------------------------ CLI
echo "== sharing the ferriorm CLI's table"
D=$WORK/names
newdb f_cli
psql -X -q -v ON_ERROR_STOP=1 -d f_cli <<SQL
CREATE TABLE IF NOT EXISTS "_ferriorm_migrations" (
    "id" SERIAL PRIMARY KEY,
    "name" TEXT NOT NULL UNIQUE,
    "checksum" TEXT NOT NULL,
    "applied_at" TIMESTAMPTZ NOT NULL DEFAULT NOW()
);
CREATE TABLE n1 (id int);
INSERT INTO "_ferriorm_migrations" ("name", "checksum")
VALUES ('0001_init', encode(sha256(pg_read_binary_file('$D/0001_init/migration.sql')), 'hex'));
CREATE EXTENSION ferriorm;
SQL
psql -X -q -v ON_ERROR_STOP=1 -d f_cli -c "CALL ferriorm_migrate('$D')" 2>/dev/null
snapshot f_names_psql > "$WORK/cli_ref.sql"
snapshot f_cli > "$WORK/cli.sql"
diff -u "$WORK/cli_ref.sql" "$WORK/cli.sql" || fail "cli: result differs from psql's"
# the CLI's own statements keep working
psql -X -q -v ON_ERROR_STOP=1 -d f_cli \
	-c "INSERT INTO \"_ferriorm_migrations\" (\"name\", \"checksum\") VALUES ('0006_by_cli', repeat('a', 64))"
v=$(psql -X -qAt -d f_cli -c "SELECT string_agg(\"id\" || ':' || \"name\", ' ' ORDER BY \"id\") FROM (SELECT \"id\", \"name\", \"checksum\", \"applied_at\" FROM \"_ferriorm_migrations\" ORDER BY \"id\") s")
[ "$v" = "1:0001_init 2:0002_add_users 3:20241130164335_added_api_keys copy 4:20241201000000_trailing_ 5:20241202000000_übersetzung_日本 6:0006_by_cli" ] \
	|| fail "cli: the CLI's SELECT returns $v"
v=$(psql -X -qAt -d f_cli -c "SELECT status FROM _ferriorm_migrations WHERE name = '0006_by_cli'")
[ "$v" = applied ] || fail "cli: a CLI row has status $v"
echo "cli: CREATE EXTENSION adopted the table with its rows; one history for both tools"
# a table of that name that is not the CLI's is refused
newdb f_cli_bad
psql -X -q -d f_cli_bad -c "CREATE TABLE _ferriorm_migrations (x int)"
if psql -X -q -d f_cli_bad -c "CREATE EXTENSION ferriorm" 2>"$WORK/err"; then fail "cli: adopted a foreign table"; fi
grep -q "is not a history table of the ferriorm CLI" "$WORK/err" || { cat "$WORK/err"; fail "cli: unexpected error"; }
echo "cli: another table of that name is refused"
# a checksum edited by hand in upper case is the same checksum (lower-cased
# on adoption); one that is not hexadecimal is refused naming its row
newdb f_cli_case
psql -X -q -v ON_ERROR_STOP=1 -d f_cli_case <<SQL
CREATE TABLE "_ferriorm_migrations" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL UNIQUE,
    "checksum" TEXT NOT NULL, "applied_at" TIMESTAMPTZ NOT NULL DEFAULT NOW());
CREATE TABLE n1 (id int);
INSERT INTO "_ferriorm_migrations" ("name", "checksum")
VALUES ('0001_init', upper(encode(sha256(pg_read_binary_file('$D/0001_init/migration.sql')), 'hex')));
CREATE EXTENSION ferriorm;
SQL
v=$(psql -X -qAt -d f_cli_case -c "SELECT migration || ':' || status FROM ferriorm_status('$D') WHERE migration = '0001_init'")
[ "$v" = "0001_init:applied" ] || fail "cli: an upper-case checksum reads as $v"
newdb f_cli_nonhex
psql -X -q -v ON_ERROR_STOP=1 -d f_cli_nonhex <<SQL
CREATE TABLE "_ferriorm_migrations" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL UNIQUE,
    "checksum" TEXT NOT NULL, "applied_at" TIMESTAMPTZ NOT NULL DEFAULT NOW());
INSERT INTO "_ferriorm_migrations" ("name", "checksum") VALUES ('0001_init', 'unknown');
SQL
if psql -X -q -d f_cli_nonhex -c "CREATE EXTENSION ferriorm" 2>"$WORK/err"; then fail "cli: adopted a non-hex checksum"; fi
grep -q 'checksum of migration "0001_init" (.unknown.) in the ferriorm CLI.s history is not a SHA-256 in hexadecimal' "$WORK/err" \
	|| { cat "$WORK/err"; fail "cli: unexpected error for a non-hex checksum"; }
echo "cli: an upper-case checksum is adopted lower-cased, a non-hex one refused naming its row"
# the extension in a schema of its own does not read the CLI's table in
# public: CREATE EXTENSION says so, and plans never drop that table (one
# wanted DROP TABLE public._ferriorm_migrations; fourth new-user walkthrough)
newdb f_cli_other
psql -X -q -v ON_ERROR_STOP=1 -d f_cli_other <<SQL
CREATE TABLE "_ferriorm_migrations" ("id" SERIAL PRIMARY KEY, "name" TEXT NOT NULL UNIQUE,
    "checksum" TEXT NOT NULL, "applied_at" TIMESTAMPTZ NOT NULL DEFAULT NOW());
CREATE SCHEMA fm;
SQL
psql -X -q -v ON_ERROR_STOP=1 -d f_cli_other -c "CREATE EXTENSION ferriorm SCHEMA fm" 2>"$WORK/err"
grep -q 'WARNING:  the ferriorm CLI.s history table _ferriorm_migrations in schema public is not adopted' "$WORK/err" \
	|| { cat "$WORK/err"; fail "cli: no warning of the CLI's table in another schema"; }
v=$(psql -X -qAt -d f_cli_other -c "SELECT fm.ferriorm_plan(E'datasource db {\\n  provider = \"postgresql\"\\n}\\n')")
[ -z "$v" ] || fail "cli: a plan of an empty schema wants: $v"
echo "cli: the CLI's table in another schema is named at CREATE EXTENSION, and never planned away"

# ------------------------------------------------ loopback without password
echo "== loopback by a non-superuser without a password"
D=$WORK/concurrent
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP ROLE IF EXISTS regress_forms_deployer" \
	-c "CREATE ROLE regress_forms_deployer LOGIN" \
	-c "GRANT pg_read_server_files TO regress_forms_deployer"
newdb f_nopw
psql -X -q -d f_nopw -c "CREATE EXTENSION ferriorm" -c "GRANT CREATE ON SCHEMA public TO regress_forms_deployer"
if psql -X -q -v ON_ERROR_STOP=1 -U regress_forms_deployer -d f_nopw -c "CALL ferriorm_migrate('$D')" 2>"$WORK/err"; then
	fail "nopw: a non-superuser opened a loopback connection without a password"
fi
grep -q '^ERROR:  password is required for a loopback connection' "$WORK/err" \
	|| { cat "$WORK/err"; fail "nopw: unexpected error"; }
# refused before anything is applied
v=$(psql -X -qAt -d f_nopw -c "SELECT count(*) FROM _ferriorm_migrations")
[ "$v" = 0 ] || fail "nopw: $v migrations recorded"
echo "nopw: refused before anything was applied: $(grep -m1 ERROR "$WORK/err")"
echo "deploy_forms: PASS"
