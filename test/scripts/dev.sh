#!/usr/bin/env bash
# migrate dev inside the server (ferriorm_dev, ferriorm_drift,
# ferriorm_diff_history) with its three strategies, over several sessions
# and databases:
#   1. an empty directory gets the init migration, applied; a schema change
#      gets exactly the delta; no change writes nothing (each strategy);
#   2. the three strategies give byte-identical migrations on one history;
#   3. a column added by hand is drift, refused, then adopted, after which
#      ferriorm_drift is '' (each strategy where it applies);
#   4. rollback leaves the database, data included, exactly as it was;
#   5. the generated history deployed on a fresh database plans to nothing;
#   6. no shadow database survives pg_cancel_backend during a replay, a
#      migration failing in the shadow, or pg_terminate_backend of the
#      caller (once the next call has run);
#   7. a role that is not a superuser and has no password is refused the
#      loopback; the rollback strategy needs neither CREATEDB nor a password.
#
# Needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail
. "$(dirname "$0")/../lib/poll.sh"

DB=ferriorm_dev_test
DB2=ferriorm_dev_fresh
WORK=$(mktemp -d /tmp/ferriorm-dev.XXXXXX)
chmod 777 "$WORK"
cleanup() {
	[ -n "${bg:-}" ] && kill "$bg" 2>/dev/null || true
	rm -rf "$WORK"
	for d in $DB $DB2 ${DB}_s; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
	done
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS ferriorm_dev_user" >/dev/null 2>&1 || true
	psql -X -qAt -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '%ferriorm_shadow%'" |
		while read -r d; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
q() { psql -X -qAt -v ON_ERROR_STOP=1 "$@"; }
shadows() { q -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE '%ferriorm_shadow%'"; }

# new_dir NAME: an empty migrations directory $WORK/NAME, in $D
new_dir() {
	D=$WORK/$1
	mkdir -p "$D"
	chmod 777 "$D"
}

new_db() {
	psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
	q -d "$1" -c "CREATE EXTENSION ferriorm"
}

HEAD='datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
'
cat > "$WORK/s1" <<EOF
$HEAD
model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  name  String @default("x")
}
EOF
cat > "$WORK/s2" <<EOF
$HEAD
enum Role {
  Member
  Admin
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  name  String @default("y")
  role  Role   @default(Member)
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  author   User   @relation(fields: [authorId], references: [id])
  authorId Int

  @@index([title])
}
EOF
cat > "$WORK/s3" <<EOF
$HEAD
enum Role {
  Member
  Admin
  Editor
}

model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  name  String  @default("y")
  bio   String?
  role  Role    @default(Member)
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String @db.VarChar(200)
  author   User   @relation(fields: [authorId], references: [id])
  authorId Int

  @@index([title, authorId])
}
EOF
chmod a+r "$WORK"/s*

# dev DIR SCHEMAFILE NAME STRATEGY [extra args]: the migrations written, one per line
dev() {
	q -c "SELECT migration FROM ferriorm_dev('$1', pg_read_file('$2'), '$3', strategy => '$4'${5:-})"
}

echo "== 1. init, delta, nothing, for each strategy"
for st in shadow rollback snapshot; do
	new_db $DB
	D=$WORK/m_$st
	mkdir -p "$D"
	chmod 777 "$D"
	out=$(PGDATABASE=$DB dev "$D" "$WORK/s1" init $st)
	[ "$(echo "$out" | wc -l)" -eq 1 ] && [[ "$out" == *_init ]] || fail "$st: init wrote '$out'"
	[ -f "$D/$out/migration.sql" ] && [ -f "$D/$out/schema.snapshot" ] && [ -f "$D/migration_lock.toml" ] ||
		fail "$st: files missing"
	[ "$(q -d $DB -c "SELECT count(*) FROM _ferriorm_migrations WHERE status = 'applied'")" -eq 1 ] || fail "$st: init not applied"
	q -d $DB -c "SELECT 1 FROM users" >/dev/null || fail "$st: users missing"
	out=$(PGDATABASE=$DB dev "$D" "$WORK/s1" again $st)
	[ -z "$out" ] || fail "$st: unchanged schema wrote $out"
	out=$(PGDATABASE=$DB dev "$D" "$WORK/s2" posts $st)
	[[ "$out" == *_posts ]] || fail "$st: delta wrote '$out'"
	sql=$(cat "$D/$out/migration.sql")
	[[ "$sql" != *"CREATE TABLE users"* ]] || fail "$st: the delta re-creates users"
	[[ "$sql" == *"CREATE TABLE posts"* ]] || fail "$st: the delta lacks posts"
	[ "$(q -d $DB -c "SELECT ferriorm_plan(pg_read_file('$WORK/s2'))")" = "" ] || fail "$st: plan not empty after dev"
	out=$(PGDATABASE=$DB dev "$D" "$WORK/s2" again $st)
	[ -z "$out" ] || fail "$st: unchanged schema wrote $out"
	echo "$st: init, delta, nothing"
done
[ "$(shadows)" -eq 0 ] || fail "shadow databases left behind"

echo "== 2. the three strategies give byte-identical migrations"
D=$WORK/m_shadow
for st in shadow rollback snapshot; do
	q -d $DB -c "SELECT ferriorm_diff_history('$D', pg_read_file('$WORK/s3'), '$st')" > "$WORK/diff_$st"
done
[ -s "$WORK/diff_shadow" ] || fail "no migration for s3"
cmp "$WORK/diff_shadow" "$WORK/diff_rollback" || fail "shadow and rollback differ"
cmp "$WORK/diff_shadow" "$WORK/diff_snapshot" || fail "shadow and snapshot differ"
for st in rollback snapshot; do
	cmp <(cat "$WORK"/m_shadow/*_posts/migration.sql) <(cat "$WORK"/m_$st/*_posts/migration.sql) ||
		fail "the delta written by $st differs from shadow's"
done
echo "identical ($(wc -l < "$WORK/diff_shadow") lines)"

echo "== 2b. partitions and inheritance: a shadow database (libpq) reads them as this one (SPI)"
cat > "$WORK/slin" <<EOF
$HEAD
model Event {
  id   Int
  day  DateTime @db.Date
  kind String

  @@id([id, day, kind])
  @@index([kind])
  @@partitionBy(Range, [day])
}

model Event2024 {
  @@partitionOf(Event, values: "FROM ('2024-01-01') TO ('2025-01-01')")
}

model EventRest {
  @@partitionOf(Event, values: default)
  @@partitionBy(List, [kind])
  @@check("id > 0")
}

model EventRestA {
  @@partitionOf(EventRest, values: "IN ('a')")
}

model City {
  id   Int    @id
  name String

  @@check("name <> ''")
}

model Capital {
  state String

  @@check("state <> name")
  @@inherits([City])
}
EOF
chmod a+r "$WORK/slin"
new_db $DB
new_dir lin
out=$(PGDATABASE=$DB dev "$D" "$WORK/slin" init shadow)
[[ "$out" == *_init ]] || fail "lineage: init wrote '$out'"
for st in shadow rollback snapshot; do
	diff=$(q -d $DB -c "SELECT ferriorm_diff_history('$D', pg_read_file('$WORK/slin'), '$st')")
	[ -z "$diff" ] || fail "lineage: $st sees a difference: $diff"
	[ "$(q -d $DB -c "SELECT ferriorm_drift('$D', '$st')")" = "" ] || fail "lineage: $st reports drift"
done
[ "$(q -d $DB -c "SELECT ferriorm_plan(pg_read_file('$WORK/slin'))")" = "" ] || fail "lineage: plan not empty"
echo "lineage: the history's shadow, a rollback and a snapshot all match the schema"

echo "== 2c. a history of another schema: drift reads the schemas of its snapshot"
printf '%s\n' 'datasource db {' '  provider = "postgresql"' '  schemas  = ["app"]' '}' '' \
	'model Thing {' '  id Int @id' '  @@schema("app")' '}' > "$WORK/sapp"
chmod a+r "$WORK/sapp"
new_db $DB
new_dir app
out=$(PGDATABASE=$DB dev "$D" "$WORK/sapp" init rollback)
[[ "$out" == *_init ]] || fail "app: init wrote '$out'"
for st in shadow rollback snapshot; do
	[ "$(q -d $DB -c "SELECT ferriorm_drift('$D', '$st')")" = "" ] || fail "app: $st reports drift on an up-to-date database"
done
q -d $DB -c "ALTER TABLE app.things ADD COLUMN extra integer"
for st in shadow rollback snapshot; do
	d=$(q -d $DB -c "SELECT ferriorm_drift('$D', '$st')")
	[[ "$d" == *"ADD COLUMN extra"* ]] || fail "app: $st misses the column added by hand: '$d'"
done
echo "app: no drift where there is none; the column added by hand seen by all three"
q -d $DB -c "ALTER TABLE app.things DROP COLUMN extra"
out=$(PGDATABASE=$DB dev "$D" "$WORK/sapp" backfill snapshot ", create_only => true")
[[ "$out" == *_backfill ]] || fail "app: create_only with no change wrote '$out', not an empty migration"
grep -q '^-- This is an empty migration.$' "$D/$out/migration.sql" || fail "app: the empty migration says otherwise"
[ -f "$D/$out/schema.snapshot" ] || fail "app: the empty migration has no snapshot"
out=$(PGDATABASE=$DB dev "$D" "$WORK/sapp" again snapshot)
[ -z "$out" ] || fail "app: after the empty migration, dev wrote '$out'"
[ "$(q -d $DB -c "SELECT count(*) FROM _ferriorm_migrations WHERE name LIKE '%_backfill' AND status = 'applied'")" -eq 1 ] ||
	fail "app: the empty migration was not deployed by the next dev"
echo "app: create_only with no change writes an empty migration, deployed by the next dev"
q -d $DB -c "INSERT INTO app.things VALUES (1)"
sed 's/  id Int @id/  id Int @id\n  label String/' "$WORK/sapp" > "$WORK/sapp2"
chmod a+r "$WORK/sapp2"
warn=$(PGDATABASE=$DB psql -X -qAt -c "SELECT migration FROM ferriorm_dev('$D', pg_read_file('$WORK/sapp2'), 'label', create_only => true, strategy => 'snapshot')" 2>&1 >/dev/null)
grep -q 'WARNING:  1 step of the migration written will fail on the rows of this database' <<<"$warn" ||
	fail "app: create_only wrote a failing migration without a warning: $warn"
echo "app: create_only warns of a step the rows make fail"

echo "== 2d. a directory of the ferriorm CLI's numbered folders: the next number"
# the CLI names folders 0001_init, 0002_...: a timestamped folder would
# sort after the CLI's later ones (fourth new-user walkthrough)
new_db ${DB}_cli
D=$WORK/m_cli
mkdir -p "$D/0001_init" "$D/0002_more"
printf 'CREATE TABLE c1 (id int PRIMARY KEY);\n' > "$D/0001_init/migration.sql"
printf 'ALTER TABLE c1 ADD COLUMN n int;\n' > "$D/0002_more/migration.sql"
printf 'datasource db {\n  provider = "postgresql"\n}\nmodel c1 {\n  id Int @id\n  n  Int?\n  m  Int?\n}\n' > "$WORK/scli"
chmod -R a+rwX "$D"; chmod a+r "$WORK/scli"
out=$(PGDATABASE=${DB}_cli dev "$D" "$WORK/scli" add_m rollback)
[ "$out" = "0003_add_m" ] || fail "cli: ferriorm_dev wrote '$out', not 0003_add_m"
echo "cli: ferriorm_dev continues the CLI's numbering ($out)"

echo "== 3. drift: reported, refused, adopted"
for st in shadow rollback snapshot; do
	new_db $DB
	D=$WORK/d_$st
	mkdir -p "$D"
	chmod 777 "$D"
	PGDATABASE=$DB dev "$D" "$WORK/s1" init $st >/dev/null
	q -d $DB -c "ALTER TABLE users ADD COLUMN hand integer"
	drift=$(q -d $DB -c "SELECT ferriorm_drift('$D', '$st')")
	[[ "$drift" == *"ADD COLUMN hand integer"* ]] || fail "$st: drift is '$drift'"
	if PGDATABASE=$DB dev "$D" "$WORK/s1" x $st > "$WORK/out" 2>&1; then fail "$st: drift not refused"; fi
	grep -q "drifted from its migration history" "$WORK/out" || { cat "$WORK/out"; fail "$st: wrong error"; }
	out=$(PGDATABASE=$DB dev "$D" "$WORK/s1" x $st ", on_drift => 'adopt'")
	[[ "$out" == *_drift_adopted*_x ]] || fail "$st: adopt wrote '$out'"
	[ -f "$D/$(head -1 <<<"$out")/schema.snapshot" ] || fail "$st: the adopted drift has no snapshot"
	for st2 in shadow rollback snapshot; do
		[ "$(q -d $DB -c "SELECT ferriorm_drift('$D', '$st2')")" = "" ] || fail "$st: drift after adopt ($st2)"
	done
	q -d $DB -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'hand'" | grep -qx 0 ||
		fail "$st: the schema's migration did not drop the drifted column"
	echo "$st: drift reported, refused and adopted"
done

# drift that re-creates a table holding rows (a baseline that has a
# partitioned table as a plain one) is refused for adoption: the adopted
# migration runs wherever the history goes next, and a database in this
# one's state loses the rows (fifth new-user walkthrough)
new_db $DB
D=$WORK/d_loss
mkdir -p "$D"
chmod 777 "$D"
printf '%s\nmodel ev {\n  id Int @id\n  k  Int\n  @@map("ev")\n}\n' "$HEAD" > "$WORK/sev"
chmod a+r "$WORK/sev"
PGDATABASE=$DB dev "$D" "$WORK/sev" init shadow >/dev/null
q -d $DB -c "DROP TABLE ev; CREATE TABLE ev (id int NOT NULL, k int NOT NULL, PRIMARY KEY (id)) PARTITION BY RANGE (id);
	CREATE TABLE ev_1 PARTITION OF ev FOR VALUES FROM (0) TO (1000); INSERT INTO ev SELECT i, i FROM generate_series(1, 10) i"
if PGDATABASE=$DB dev "$D" "$WORK/sev" x shadow ", on_drift => 'adopt'" > "$WORK/out" 2>&1; then
	fail "loss: drift re-creating a table with rows was adopted"
fi
grep -q "the drift to adopt would lose data" "$WORK/out" || { cat "$WORK/out"; fail "loss: wrong error"; }
[ "$(ls "$D" | grep -c drift_adopted)" = 0 ] || fail "loss: a refused adoption wrote a folder"
out=$(PGDATABASE=$DB dev "$D" "$WORK/sev" x shadow ", on_drift => 'adopt', allow_data_loss => true")
[[ "$out" == *_drift_adopted* ]] || fail "loss: adopt with allow_data_loss wrote '$out'"
echo "loss: drift that would lose rows where it runs refused, adopted with allow_data_loss"

# a @preserve'd model (an expression index the text cannot state) is no
# drift to the snapshot strategy: it reported the index, and adopting it
# wrote a second CREATE INDEX that broke every replay
new_db $DB
D=$WORK/d_pres
mkdir -p "$D"
chmod 777 "$D"
q -d $DB -c "CREATE TABLE tp (id int PRIMARY KEY, name text NOT NULL); CREATE INDEX tp_lower_idx ON tp (lower(name))"
q -d $DB -c "SELECT ferriorm_pull()" > "$WORK/spres"
chmod a+r "$WORK/spres"
PGDATABASE=$DB dev "$D" "$WORK/spres" init shadow ", on_drift => 'adopt'" >/dev/null
for st2 in shadow snapshot; do
	[ "$(q -d $DB -c "SELECT ferriorm_drift('$D', '$st2')")" = "" ] || fail "preserved: drift ($st2)"
done
[ -z "$(PGDATABASE=$DB dev "$D" "$WORK/spres" again snapshot)" ] || fail "preserved: the snapshot strategy wrote a migration"
echo "preserved: no drift from a @preserve'd model, with either strategy"

echo "== 4. rollback leaves database and data exactly as they were"
new_db $DB
D=$WORK/m_shadow
q -d $DB -c "SELECT count(*) FROM ferriorm_deploy('$D')" >/dev/null
q -d $DB -c "INSERT INTO users (email) VALUES ('a@x'), ('b@x'); INSERT INTO posts (title, author_id) SELECT 't', id FROM users; CREATE VIEW v AS SELECT * FROM users"
pg_dump --no-sync -d $DB | grep -Ev "^(-- Dumped|\\\\(un)?restrict)" > "$WORK/before.sql"
q -d $DB -c "SELECT ferriorm_diff_history('$D', pg_read_file('$WORK/s3'), 'rollback')" >/dev/null
q -d $DB -c "SELECT ferriorm_drift('$D', 'rollback')" >/dev/null
pg_dump --no-sync -d $DB | grep -Ev "^(-- Dumped|\\\\(un)?restrict)" > "$WORK/after.sql"
diff "$WORK/before.sql" "$WORK/after.sql" || fail "rollback changed the database"
if q -d $DB -c "SET default_transaction_read_only = on" -c "SELECT ferriorm_drift('$D', 'rollback')" > "$WORK/out" 2>&1; then
	fail "rollback ran in a read-only transaction"
fi
grep -q "read-only transaction" "$WORK/out" || { cat "$WORK/out"; fail "wrong read-only error"; }
echo "pg_dump identical before and after; read-only refused"

echo "== 4b. data loss: refused, nothing written, unless allow_data_loss"
D=$WORK/m_loss
cp -r "$WORK/m_shadow" "$D"
chmod -R a+rwX "$D"
grep -v 'name  String @default("y")' "$WORK/s2" > "$WORK/s_loss"
chmod a+r "$WORK/s_loss"
q -d $DB -c "DROP VIEW v"
nbefore=$(ls "$D" | wc -l)
if PGDATABASE=$DB dev "$D" "$WORK/s_loss" drop_name shadow > "$WORK/out" 2>&1; then
	fail "a migration losing data was written and applied: $(cat "$WORK/out")"
fi
grep -q "would lose data in 1 step" "$WORK/out" || { cat "$WORK/out"; fail "wrong data-loss error"; }
grep -q "column name of table public.users has 2 non-null values; they will be lost" "$WORK/out" ||
	{ cat "$WORK/out"; fail "the data-loss error lacks its figure"; }
[ "$(ls "$D" | wc -l)" -eq "$nbefore" ] || fail "the refused migration left files"
[ "$(q -d $DB -c "SELECT count(name) FROM users")" -eq 2 ] || fail "the refused migration dropped the column"
out=$(PGDATABASE=$DB dev "$D" "$WORK/s_loss" drop_name shadow ", allow_data_loss => true")
[[ "$out" == *_drop_name ]] || fail "allow_data_loss wrote '$out'"
[ "$(q -d $DB -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'name' AND NOT attisdropped")" -eq 0 ] ||
	fail "allow_data_loss did not apply the migration"
[ "$(q -d $DB -c "SELECT ferriorm_plan(pg_read_file('$WORK/s_loss'))")" = "" ] || fail "plan not empty after allow_data_loss"
echo "refused without allow_data_loss (nothing written), written and applied with it"

echo "== 5. the generated history on a fresh database plans to nothing"
new_db $DB2
q -d $DB2 -c "SELECT count(*) FROM ferriorm_deploy('$WORK/m_shadow')" >/dev/null
[ "$(q -d $DB2 -c "SELECT ferriorm_plan(pg_read_file('$WORK/s2'))")" = "" ] || fail "plan not empty on a fresh database"
echo "ferriorm_plan(s2) = ''"

echo "== 6. no shadow left behind: failure, cancel, terminate"
F=$WORK/f
mkdir -p "$F/20240101000000_a" "$F/20240102000000_bad"
printf 'CREATE TABLE fa (id int);\n' > "$F/20240101000000_a/migration.sql"
printf 'CREATE TABLE fb (id int);\nALTER TABLE nope ADD COLUMN x int;\n' > "$F/20240102000000_bad/migration.sql"
chmod -R a+rX "$F"
if q -d $DB -c "SELECT ferriorm_diff_history('$F', pg_read_file('$WORK/s1'))" > "$WORK/out" 2>&1; then fail "a failing migration replayed"; fi
grep -q 'migration "20240102000000_bad" failed at line 2: relation "nope" does not exist' "$WORK/out" ||
	{ cat "$WORK/out"; fail "the remote error does not name the migration"; }
{ q -d $DB -c "\\set VERBOSITY verbose" -c "SELECT ferriorm_diff_history('$F', pg_read_file('$WORK/s1'))" 2>&1 || true; } > "$WORK/out"
grep -q "ERROR:  42P01: migration" "$WORK/out" || { cat "$WORK/out"; fail "the remote SQLSTATE is not relayed"; }
[ "$(shadows)" -eq 0 ] || fail "a failing migration left a shadow database"
echo "failing migration: error relayed with its migration, SQLSTATE 42P01, no shadow"

S=$WORK/slow
mkdir -p "$S/20240101000000_slow"
printf 'CREATE TABLE sl (id int);\nSELECT pg_sleep(60);\n' > "$S/20240101000000_slow/migration.sql"
chmod -R a+rX "$S"
PGAPPNAME=ferriorm_dev_victim psql -X -qAt -d $DB -c "SELECT ferriorm_diff_history('$S', pg_read_file('$WORK/s1'))" > "$WORK/victim.out" 2>&1 &
bg=$!
pid=$(poll_value "SELECT pid FROM pg_stat_activity WHERE application_name = 'ferriorm_dev_victim'" "the call")
rpid=$(poll_value "SELECT pid FROM pg_stat_activity WHERE datname LIKE '%ferriorm_shadow%' AND wait_event = 'PgSleep'" "the replay")
q -d postgres -c "SELECT pg_cancel_backend($pid)" | grep -q t || fail "cancel failed"
if wait "$bg"; then fail "the cancelled call succeeded"; fi
bg=""
grep -q "canceling statement due to user request" "$WORK/victim.out" || { cat "$WORK/victim.out"; fail "unexpected output"; }
[ "$(shadows)" -eq 0 ] || fail "a cancelled call left a shadow database"
[ "$(q -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE pid = $rpid")" -eq 0 ] || fail "the remote replay still runs"
echo "cancel: remote replay ended, no shadow"

PGAPPNAME=ferriorm_dev_victim psql -X -qAt -d $DB -c "SELECT ferriorm_diff_history('$S', pg_read_file('$WORK/s1'))" > "$WORK/victim.out" 2>&1 &
bg=$!
pid=$(poll_value "SELECT pid FROM pg_stat_activity WHERE application_name = 'ferriorm_dev_victim'" "the call")
poll_value "SELECT pid FROM pg_stat_activity WHERE datname LIKE '%ferriorm_shadow%' AND wait_event = 'PgSleep'" "the replay" >/dev/null
q -d postgres -c "SELECT pg_terminate_backend($pid, 10000)" | grep -q t || fail "terminate failed"
if wait "$bg"; then fail "the terminated call succeeded"; fi
bg=""
[ "$(shadows)" -eq 1 ] || fail "expected the terminated call's shadow (with its replay still connected)"
q -d $DB -c "SELECT ferriorm_drift('$WORK/m_shadow')" >/dev/null 2>&1
[ "$(shadows)" -eq 0 ] || fail "the next call did not drop the orphan shadow"
echo "terminate: the orphan, its replay still connected, dropped by the next call"

echo "== 7. the loopback's password rule; rollback without CREATEDB"
q -d postgres -c "CREATE ROLE ferriorm_dev_user LOGIN CREATEDB IN ROLE pg_read_server_files, pg_write_server_files"
q -d $DB -c "GRANT EXECUTE ON FUNCTION ferriorm_drift(text, text), ferriorm_diff_history(text, text, text) TO ferriorm_dev_user; GRANT CREATE ON SCHEMA public TO ferriorm_dev_user"
# as_user DB SQL: run SQL as ferriorm_dev_user, with :'s3' the schema text
as_user() { echo "$2" | q -d "$1" -U ferriorm_dev_user -v s3="$(cat "$WORK/s3")"; }
if as_user $DB "SELECT ferriorm_diff_history('$WORK/m_shadow', :'s3')" > "$WORK/out" 2>&1; then
	fail "a non-superuser without a password used the loopback"
fi
grep -q "password is required for a loopback connection" "$WORK/out" || { cat "$WORK/out"; fail "wrong refusal"; }
[ "$(shadows)" -eq 0 ] || fail "a refused call created a shadow database"
q -d postgres -c "ALTER ROLE ferriorm_dev_user NOCREATEDB"
new_db ${DB}_s
q -d ${DB}_s -c "GRANT EXECUTE ON FUNCTION ferriorm_diff_history(text, text, text) TO ferriorm_dev_user; GRANT CREATE ON SCHEMA public TO ferriorm_dev_user"
as_user ${DB}_s "SELECT ferriorm_diff_history('$WORK/m_shadow', :'s3', 'rollback')" > "$WORK/diff_user"
cmp "$WORK/diff_user" "$WORK/diff_shadow" || fail "rollback as a non-superuser gives another migration"
echo "refused without a password; rollback works without CREATEDB"

echo "dev.sh: all passed"
