#!/usr/bin/env bash
# ferriorm_dev(..., online => true) end to end, and schema.snapshot printed
# from the model (issue 12, online mode; docs/dev.md):
#   1. Two databases start from the same dev-written init and the same rows.
#      A second schema (an index dropped and one added, a unique key, a
#      foreign key, a CHECK, a SET NOT NULL) is written by plain dev in
#      one (and deployed) and by online dev in the other: the online
#      migration holds the low-lock forms and COMMIT points, is left
#      pending with a NOTICE, and the function form refuses it.
#   2. CALL ferriorm_migrate applies it.  While its VALIDATE of the CHECK
#      runs (a slow CHECK function), the migrating backend holds SHARE
#      UPDATE EXCLUSIVE and no ACCESS EXCLUSIVE on the table, and a reader
#      with a 500 ms lock_timeout reads the table.
#   3. Both catalogs are identical (columns, constraints with convalidated,
#      indexes with indisvalid); the history is right: every migration
#      applied, checksums intact (ferriorm_status), no drift and no pending
#      change by the shadow and the snapshot strategies.
#   4. schema.snapshot is the printed model: read back (ferriorm dialect)
#      it plans to nothing on the database its history was deployed to;
#      a prisma-dialect history works with the snapshot strategy; a
#      <ts>_drift_adopted folder has a snapshot of the live state, which
#      the snapshot strategy then reads (no drift, nothing to write).
#
# Needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail
. "$(dirname "$0")/../lib/poll.sh"

DBP=ferriorm_devon_plain
DBO=ferriorm_devon_online
DB3=ferriorm_devon_other
WORK=$(mktemp -d /tmp/ferriorm-devon.XXXXXX)
chmod 777 "$WORK"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
	for d in $DBP $DBO $DB3; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
q() { psql -X -qAt -v ON_ERROR_STOP=1 "$@"; }
# expect WANT WHAT PSQL-ARGS...: the query's output is WANT (an error fails)
expect() {
	local want=$1 what=$2 got
	shift 2
	got=$(q "$@" 2>&1) || fail "$what: $got"
	[ "$got" = "$want" ] || fail "$what: got '$got'"
}
new_db() {
	psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
	q -d "$1" -c "CREATE EXTENSION ferriorm"
}
# the catalog of schema public, for comparing two databases
fingerprint() {
	q -d "$1" <<'EOF'
SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT format('col %s.%s %s %s %s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0
    AND NOT a.attisdropped AND c.relname <> '_ferriorm_migrations'
  UNION ALL
  SELECT format('con %s %s %s %s', co.conrelid::regclass, co.conname, pg_get_constraintdef(co.oid), co.convalidated)
  FROM pg_constraint co WHERE co.connamespace = 'public'::regnamespace
    AND co.conrelid <> '_ferriorm_migrations'::regclass
  UNION ALL
  SELECT format('idx %s %s', pg_get_indexdef(i.indexrelid), i.indisvalid)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  WHERE c.relnamespace = 'public'::regnamespace
    AND i.indrelid <> '_ferriorm_migrations'::regclass) s(x)
EOF
}

HEAD='datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
'
cat > "$WORK/v1" <<EOF
$HEAD
model Author {
  id    Int     @id
  email String
  name  String?
  books Book[]

  @@index([name])
}

model Book {
  id       Int    @id
  title    String
  pages    Int
  authorId Int
  author   Author @relation(fields: [authorId], references: [id])
}
EOF
# v2: drop the name index, index the title, email unique, name required,
# a CHECK that is slow to validate, and a foreign key from reviews
cat > "$WORK/v2" <<EOF
$HEAD
model Author {
  id      Int      @id
  email   String   @unique
  name    String
  books   Book[]
  reviews Review[]
}

model Book {
  id       Int    @id
  title    String
  pages    Int
  authorId Int
  author   Author @relation(fields: [authorId], references: [id])

  @@index([title])
  @@check("public.devon_slow_ok(pages)")
}

model Review {
  id       Int     @id
  authorId Int?
  author   Author? @relation(fields: [authorId], references: [id])
}
EOF
chmod a+r "$WORK"/v*

setup() {
	new_db "$1"
	# a CHECK function that takes 20 ms a row (IMMUTABLE only so that a
	# CHECK may call it): 100 rows, 2 s of VALIDATE.  A migration written
	# by hand creates it, so that a replay (shadow) has it too.
	mkdir -p "$2/20000101000000_function"
	cat >"$2/20000101000000_function/migration.sql" <<'EOF'
CREATE FUNCTION public.devon_slow_ok(n int) RETURNS boolean IMMUTABLE LANGUAGE plpgsql
AS $$BEGIN PERFORM pg_sleep(0.02); RETURN n > 0; END$$;
EOF
	chmod -R 777 "$2"
	q -d "$1" -c "SELECT migration FROM ferriorm_dev('$2', pg_read_file('$WORK/v1'), 'init')" >/dev/null
	q -d "$1" -c "INSERT INTO authors SELECT g, 'a' || g || '@x', 'n' || g FROM generate_series(1, 20) g" \
		-c "INSERT INTO books SELECT g, 't' || g, g, 1 + g % 20 FROM generate_series(1, 100) g" \
		-c "CREATE TABLE reviews (id int PRIMARY KEY)" -c "DROP TABLE reviews"
}

P=$WORK/plain
O=$WORK/online
echo "== 1. plain dev and online dev of the same change"
setup $DBP "$P"
setup $DBO "$O"
q -d $DBP -c "SELECT migration FROM ferriorm_dev('$P', pg_read_file('$WORK/v2'), 'change')" >/dev/null
out=$(psql -X -qAt -v ON_ERROR_STOP=1 -d $DBO -c "SELECT migration FROM ferriorm_dev('$O', pg_read_file('$WORK/v2'), 'change', online => true)" 2>&1) ||
	fail "online dev: $out"
grep -q 'NOTICE:  online migration "[0-9]*_change" was written and not applied' <<<"$out" || fail "no notice: $out"
mig=$(ls "$O" | grep '_change$')
sql=$(cat "$O/$mig/migration.sql")
for want in "CREATE INDEX CONCURRENTLY" "DROP INDEX CONCURRENTLY" "CREATE UNIQUE INDEX CONCURRENTLY" \
	"UNIQUE USING INDEX" "NOT VALID;" "VALIDATE CONSTRAINT" "SET lock_timeout = '2000ms';" "COMMIT;" "-- LOCK "; do
	grep -qF -- "$want" <<<"$sql" || fail "the online migration lacks $want: $sql"
done
echo "online migration $mig: $(grep -c CONCURRENTLY <<<"$sql") CONCURRENTLY, $(grep -c 'NOT VALID;' <<<"$sql") NOT VALID, $(grep -c '^COMMIT;' <<<"$sql") COMMIT points"
expect "pending" "the online migration is not pending" -d $DBO -c "SELECT status FROM ferriorm_status('$O') WHERE migration = '$mig'"
# the function form cannot apply it, and says why
new_db $DB3
out=$(q -d $DB3 -v VERBOSITY=verbose -c "SELECT count(*) FROM ferriorm_deploy('$O')" 2>&1 || true)
grep -qE "ERROR:  25001: .*(COMMIT outside a BEGIN ... COMMIT block, before the end of a migration, needs the procedure form|cannot run inside a transaction block)" <<<"$out" ||
	fail "the function form did not refuse the online migration: $out"
echo "ferriorm_deploy refuses it: $(grep -o 'COMMIT outside a BEGIN[^,]*\|[A-Z ]* cannot run inside a transaction block' <<<"$out" | head -1)"

echo "== 2. CALL ferriorm_migrate applies it; VALIDATE holds no ACCESS EXCLUSIVE"
PGAPPNAME=devon_migrate psql -X -q -d $DBO -c "CALL ferriorm_migrate('$O')" >"$WORK/migrate.out" 2>&1 &
mpid=$!
pids+=($mpid)
# the VALIDATE of the slow CHECK: the migrating backend runs it (2 s)
held=$(PGDATABASE=$DBO poll_value "SELECT string_agg(l.mode, ',' ORDER BY l.mode) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE a.application_name = 'devon_migrate' AND l.relation = 'books'::regclass AND l.granted
    AND a.query IS NOT NULL AND EXISTS (SELECT FROM pg_locks v WHERE v.pid = l.pid AND v.relation = 'books'::regclass AND v.mode = 'ShareUpdateExclusiveLock')" \
	"the VALIDATE of the CHECK")
[[ "$held" != *AccessExclusiveLock* ]] || fail "ACCESS EXCLUSIVE held during the VALIDATE: $held"
n=$(q -d $DBO -c "SET lock_timeout = '500ms'" -c "SELECT count(*) FROM books") || fail "a reader was blocked during the VALIDATE"
[ "$n" = 100 ] || fail "reader: $n"
wait $mpid || fail "the migration failed: $(cat "$WORK/migrate.out")"
echo "during VALIDATE the migration held $held on books; a reader with lock_timeout 500 ms read $n rows"
grep -q "applied 1 migration" "$WORK/migrate.out" || fail "migrate: $(cat "$WORK/migrate.out")"

echo "== 3. the same catalog as the plain path; the history is right"
fingerprint $DBP >"$WORK/fp_plain"
fingerprint $DBO >"$WORK/fp_online"
diff "$WORK/fp_plain" "$WORK/fp_online" || fail "the online path reached another catalog"
grep -q "idx CREATE UNIQUE INDEX authors_email_key .* t$" "$WORK/fp_online" || fail "no valid unique index: $(cat "$WORK/fp_online")"
echo "catalogs identical ($(wc -l <"$WORK/fp_online") objects)"
got=$(q -d $DBO -c "SELECT string_agg(status, ',' ORDER BY migration) FROM ferriorm_status('$O')")
[ "$got" = "applied,applied,applied" ] || fail "status: $got"
got=$(q -d $DBO -c "SELECT count(*) FROM _ferriorm_migrations WHERE status = 'applied' AND finished_at IS NOT NULL")
[ "$got" = 3 ] || fail "history rows: $got"
got=$(q -d $DBO -c "SELECT checksum = encode(sha256(pg_read_binary_file('$O/$mig/migration.sql')), 'hex') FROM _ferriorm_migrations WHERE name = '$mig'")
[ "$got" = t ] || fail "the recorded checksum is not the file's"
for st in shadow snapshot; do
	expect "" "drift ($st) after the online migration" -d $DBO -c "SELECT ferriorm_drift('$O', '$st')"
	expect "" "dev would write more ($st)" -d $DBO -c "SELECT ferriorm_diff_history('$O', pg_read_file('$WORK/v2'), '$st')"
done
expect "" "the online database does not plan to nothing" -d $DBO -c "SELECT ferriorm_plan(pg_read_file('$WORK/v2'))"
echo "status applied (3 migrations); no drift, nothing to write (shadow, snapshot); plan empty"

echo "== 4. schema.snapshot is the printed model"
for d in $(ls -d "$P"/*/ "$O"/*/ | grep -v _function/); do
	s="$d/schema.snapshot"
	[ -f "$s" ] || fail "no snapshot in $d"
	head -1 "$s" | grep -q '^// schema.snapshot: the state after this migration, printed by ferriorm_dev()' ||
		fail "$s: $(head -2 "$s")"
done
# read back, the last snapshot plans to nothing where its history is deployed
last=$(ls -d "$O"/*/ | tail -1)
expect "" "the snapshot does not describe the database" -d $DBO -c "SELECT ferriorm_plan(pg_read_file('${last}schema.snapshot'))"
cmp "$(ls -d "$P"/*/ | tail -1)schema.snapshot" "${last}schema.snapshot" || fail "plain and online snapshots differ"
echo "snapshots printed; the last one plans to nothing; plain and online snapshots identical"

# prisma dialect: the text dev is given is Prisma's; the snapshot is
# printed in the ferriorm dialect and read in it whatever the setting
X=$WORK/prisma
new_db $DB3
mkdir -p "$X"
chmod 777 "$X"
cat > "$WORK/p1" <<EOF
$HEAD
model Shelf {
  id    Int    @id @default(autoincrement())
  label String @unique
  slots Int    @default(3)
}
EOF
chmod a+r "$WORK/p1"
PGOPTIONS="-c ferriorm.dialect=prisma" q -d $DB3 -c "SELECT migration FROM ferriorm_dev('$X', pg_read_file('$WORK/p1'), 'init', strategy => 'snapshot')" >/dev/null
expect "1" "prisma: no Shelf table" -d $DB3 -c "SELECT count(*) FROM pg_class WHERE relname = 'Shelf'"
for st in snapshot shadow; do
	PGOPTIONS="-c ferriorm.dialect=prisma" expect "" "prisma dialect: dev would write more ($st)" -d $DB3 -c "SELECT ferriorm_diff_history('$X', pg_read_file('$WORK/p1'), '$st')"
	PGOPTIONS="-c ferriorm.dialect=prisma" expect "" "prisma dialect: drift ($st)" -d $DB3 -c "SELECT ferriorm_drift('$X', '$st')"
done
grep -q '@@map("Shelf")' "$X"/*/schema.snapshot || fail "prisma snapshot: $(cat "$X"/*/schema.snapshot)"
echo "prisma dialect: the snapshot (ferriorm dialect, @@map(\"Shelf\")) reads back: no drift, nothing to write"

# an adopted drift gets a snapshot of the live state
q -d $DB3 -c 'ALTER TABLE "Shelf" ADD COLUMN note text'
cat > "$WORK/p2" <<EOF
$HEAD
model Shelf {
  id    Int     @id @default(autoincrement())
  label String  @unique
  slots Int     @default(3)
  note  String?
}
EOF
chmod a+r "$WORK/p2"
out=$(PGOPTIONS="-c ferriorm.dialect=prisma" q -d $DB3 -c "SELECT migration FROM ferriorm_dev('$X', pg_read_file('$WORK/p2'), 'x', strategy => 'snapshot', on_drift => 'adopt')")
[[ "$out" == *_drift_adopted ]] || fail "adopt wrote '$out'"
[ -f "$X/$out/schema.snapshot" ] || fail "the adopted drift has no snapshot"
grep -q 'note' "$X/$out/schema.snapshot" || fail "the adopted snapshot lacks the drifted column: $(cat "$X/$out/schema.snapshot")"
for st in snapshot shadow; do
	PGOPTIONS="-c ferriorm.dialect=prisma" expect "" "drift after adopting ($st)" -d $DB3 -c "SELECT ferriorm_drift('$X', '$st')"
	PGOPTIONS="-c ferriorm.dialect=prisma" expect "" "dev would write more after adopting ($st)" -d $DB3 -c "SELECT ferriorm_diff_history('$X', pg_read_file('$WORK/p2'), '$st')"
done
echo "drift adopted as $out with a snapshot of the live state: no drift, nothing to write (snapshot, shadow)"
echo "dev_online.sh: all passed"
