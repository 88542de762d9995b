#!/usr/bin/env bash
# ferriorm_push() is exact about what it destroys: before counting the rows
# of a table a step drops, it locks the table in ACCESS EXCLUSIVE mode (the
# DROP's own mode), and counts with a snapshot taken after the lock.  Three
# sessions, choreographed with locks (never with sleeps or timings):
#
#  1. Session B has inserted a row into an empty table and not committed.
#     push (session A) waits for the lock; B commits; push must see B's row
#     and refuse to drop the table without allow_data_loss.  The same for a
#     value written into a column push drops, and for a row written straight
#     into a table inheriting from the one push changes.
#  2. push holds the lock, has counted 0 rows, and is paused (an event
#     trigger on DROP TABLE waits for an advisory lock held by session C).
#     B's INSERT must wait behind push's lock; then C lets push go on: the
#     table is dropped, B's INSERT fails, and no committed row was lost.
#  3. lock_timeout is honoured: while B holds a lock on the table, push
#     with lock_timeout set fails with SQLSTATE 55P03 and drops nothing.
#
# On the code before this test existed, push counted under the statement's
# snapshot without locking: in 1 it dropped the table and B's committed row,
# and in 2 B's INSERT committed while push waited to drop.
set -euo pipefail
DB=ferriorm_push_race_test
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
TMPD=$(mktemp -d)
cleanup() {
	exec 3>&- 2>/dev/null || true
	exec 4>&- 2>/dev/null || true
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
	rm -rf "$TMPD"
}
trap cleanup EXIT
export PGDATABASE=$DB
fail() { echo "FAIL: $*"; exit 1; }

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION ferriorm;
CREATE SCHEMA race;
CREATE TABLE race.keep (id int PRIMARY KEY, gone text);
INSERT INTO race.keep VALUES (1, NULL);
CREATE TABLE race.t (id int PRIMARY KEY);
CREATE TABLE schema_text (name text PRIMARY KEY, body text);
INSERT INTO schema_text VALUES ('header', $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["race"]
}
$$);
-- drops table race.t
INSERT INTO schema_text SELECT 'drop_table', body || $$
model Keep {
  id   Int @id
  gone String?
  @@map("keep")
  @@schema("race")
}
$$ FROM schema_text WHERE name = 'header';
-- drops column race.keep.gone
INSERT INTO schema_text SELECT 'drop_column', body || $$
model Keep {
  id   Int @id
  @@map("keep")
  @@schema("race")
}
model T {
  id   Int @id
  @@map("t")
  @@schema("race")
}
$$ FROM schema_text WHERE name = 'header';
-- drops column race_inh.par.gone, inherited by race_ext.kid
CREATE SCHEMA race_inh;
CREATE SCHEMA race_ext;
CREATE TABLE race_inh.par (id int PRIMARY KEY, gone text);
CREATE TABLE race_ext.kid () INHERITS (race_inh.par);
INSERT INTO schema_text VALUES ('drop_inherited_column', $$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["race_inh"]
}
model Par {
  id   Int @id
  @@map("par")
  @@schema("race_inh")
}
$$);
SQL

. "$(dirname "$0")/../lib/poll.sh"
# wait_for SQL WHAT: until the boolean query SQL is true, else fail saying
# that WHAT never happened (test/lib/poll.sh)
wait_for() { poll_value "SELECT 1 WHERE ($1)" "$2" >/dev/null; }
# a session reading statements from a fifo: open_session NAME FD
open_session() {
	mkfifo "$TMPD/$1.in"
	PGAPPNAME="race_$1" psql -X -q -At < "$TMPD/$1.in" > "$TMPD/$1.out" 2>&1 &
	eval "exec $2>\"$TMPD/$1.in\""
}
waiting_on() {	# application name, wait event type
	echo "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '$1' AND wait_event_type = '$2')"
}
in_transaction() {	# session name: idle inside its open transaction
	echo "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'race_$1' AND state = 'idle in transaction')"
}
run_bg() {	# session name, SQL: run it in the background, pid in $bg
	PGAPPNAME="race_$1" psql -X -q -At -c "$2" > "$TMPD/$1.out" 2>&1 &
	bg=$!
}
push_sql() { echo "SELECT * FROM ferriorm_push((SELECT body FROM schema_text WHERE name = '$1'))"; }
PUSH=$(push_sql drop_table)

# ---------- 1. a row committed while push waits for its lock ----------
# committed_while_waiting SESSION TEXT B_SQL FIGURE: session B runs B_SQL
# in an open transaction; push of schema text TEXT must wait for its lock,
# and once B commits, refuse with FIGURE (B's committed change) in its detail
committed_while_waiting() {
	open_session "$1b" 3
	echo "BEGIN; $3; SELECT 'b wrote';" >&3
	wait_for "$(in_transaction "$1b")" "session B's write"
	run_bg "$1a" "$(push_sql "$2")"
	local a=$bg
	wait_for "$(waiting_on "race_$1a" Lock)" "push of $2 waiting for its lock"
	echo "COMMIT; SELECT 'b committed';" >&3
	exec 3>&-
	wait "$a" && fail "push of $2 succeeded: $(cat "$TMPD/$1a.out")"
	grep -q "plan would lose data in 1 step" "$TMPD/$1a.out" || fail "push said: $(cat "$TMPD/$1a.out")"
	grep -qF "$4" "$TMPD/$1a.out" \
		|| fail "push of $2 did not count B's committed change: $(cat "$TMPD/$1a.out")"
	echo "1. $2: a change committed while push waited: push refused ($4)"
}
committed_while_waiting s1 drop_table "INSERT INTO race.t VALUES (1)" \
	"table race.t has 1 row; it will be lost"
[ "$(psql -X -q -At -c "SELECT count(*) FROM race.t")" = 1 ] || fail "the row is gone"
committed_while_waiting s2 drop_column "UPDATE race.keep SET gone = 'kept'" \
	"column gone of table race.keep has 1 non-null value; it will be lost"
[ "$(psql -X -q -At -c "SELECT gone FROM race.keep")" = kept ] || fail "the value is gone"
# a row written straight into a child table: push locks the inheritors too
committed_while_waiting s3 drop_inherited_column "INSERT INTO race_ext.kid VALUES (5, 'child')" \
	"column gone of table race_inh.par has 1 non-null value; it will be lost"

# ---------- 2. an insert while push holds the lock, after counting ----------
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
TRUNCATE race.t;
CREATE FUNCTION race.pause() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_lock(7007);
  PERFORM pg_advisory_unlock(7007);
END $$;
CREATE EVENT TRIGGER race_pause ON ddl_command_start WHEN TAG IN ('DROP TABLE')
  EXECUTE FUNCTION race.pause();
SQL
open_session c2 4
echo "SELECT pg_advisory_lock(7007); SELECT 'c2 holds';" >&4
wait_for "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 7007 AND granted)" \
	"session C's advisory lock"
run_bg a2 "$PUSH"
a2=$bg
# push has counted (0 rows) under its lock and paused before the DROP
wait_for "$(waiting_on race_a2 Lock) AND EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'race_a2' AND l.locktype = 'advisory' AND NOT l.granted)" \
	"push (paused before its DROP)"
run_bg b2 "INSERT INTO race.t VALUES (2)"
b2=$bg
wait_for "$(waiting_on race_b2 Lock)" \
	"the INSERT waiting behind push's lock (it ran between the count and the DROP)"
echo "SELECT pg_advisory_unlock(7007);" >&4
exec 4>&-
wait "$a2" || fail "push failed: $(cat "$TMPD/a2.out")"
wait "$b2" && fail "the INSERT succeeded after push dropped the table: $(cat "$TMPD/b2.out")"
grep -q 'relation "race.t" does not exist' "$TMPD/b2.out" || fail "the INSERT said: $(cat "$TMPD/b2.out")"
grep -q "DROP TABLE race.t;" "$TMPD/a2.out" || fail "push said: $(cat "$TMPD/a2.out")"
echo "2. an INSERT after the count waited behind push's lock and found the table gone"

# ---------- 3. lock_timeout ----------
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
DROP EVENT TRIGGER race_pause;
CREATE TABLE race.t (id int);
SQL
open_session b3 3
echo "BEGIN; LOCK TABLE race.t IN ACCESS SHARE MODE; SELECT 'b3 locked';" >&3
wait_for "$(in_transaction b3)" "session B's lock on race.t"
out=$(PGOPTIONS="-c lock_timeout=200" psql -X -q -At -v VERBOSITY=verbose -c "$PUSH" 2>&1) \
	&& fail "push succeeded despite the lock: $out"
grep -q "55P03" <<<"$out" || fail "push did not time out on the lock: $out"
echo "COMMIT;" >&3
exec 3>&-
wait
[ "$(psql -X -q -At -c "SELECT to_regclass('race.t') IS NOT NULL")" = t ] || fail "race.t was dropped"
echo "3. lock_timeout: push failed with 55P03 and dropped nothing"
echo "push_race: PASS"
