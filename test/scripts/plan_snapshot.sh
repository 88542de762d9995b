#!/usr/bin/env bash
# One snapshot per plan (docs/plan.md, "Snapshots"), with two sessions in a
# fixed choreography: session B holds a lock that the plan (session A)
# must wait for; the script waits until A is seen blocked by B
# (pg_blocking_pids), then B changes the tables and commits, then A goes on.
#
#   1. B holds pg_constraint while A introspects; B adds a column and a
#      CHECK on it and commits.  A's plan must describe one state: either
#      both ADD COLUMN and ADD CONSTRAINT (before B) or neither (after B),
#      never the column alone (a state that never existed).
#   2. B locks a table whose figure A needs, then drops it and commits:
#      A's plan is an error (40001) naming the table, never ALTERs for it.
#   3. The same with the table dropped and re-created under its name.
#   4. The same with the table renamed.
#   5. While B holds ACCESS EXCLUSIVE on a table, a role without USAGE on
#      its schema, or without SELECT on it, gets an error at once from its
#      plan: it never queues for the lock (which would block every later
#      request on the table behind it).
#
# Runs in its own database; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail

. "$(dirname "$0")/../lib/scratch.sh"

DB=ferriorm_plan_snapshot
BPID=""
scratch_begin snap
scratch_cleanup_extra() {
	exec 3>&- 2>/dev/null || true
	[ -n "$BPID" ] && kill "$BPID" 2>/dev/null || true
}

scratch_create_db
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION ferriorm"

# session B: a psql reading commands from a FIFO, kept open on fd 3
start_b() {
	rm -f "$WORK/b.in" "$WORK/b.out"
	mkfifo "$WORK/b.in"
	PGAPPNAME=fm_snap_b psql -X -q -v ON_ERROR_STOP=1 < "$WORK/b.in" > "$WORK/b.out" 2>&1 &
	BPID=$!
	exec 3> "$WORK/b.in"
}
# send SQL to B and wait until B has run it (it writes a marker file)
b_run() {
	local marker="$WORK/b.done.$RANDOM"
	printf '%s\n\\o %s\nSELECT 1;\n\\o\n' "$1" "$marker" >&3
	for _ in $(seq 1 1500); do
		[ -s "$marker" ] && return 0
		kill -0 "$BPID" 2>/dev/null || { cat "$WORK/b.out"; fail "session B died"; }
		sleep 0.02
	done
	cat "$WORK/b.out"
	fail "session B did not finish: $1"
}
stop_b() {
	exec 3>&-
	wait "$BPID" || { cat "$WORK/b.out"; fail "session B failed"; }
	BPID=""
}
# wait until session A (application_name fm_snap_a) is blocked by B.  The
# check connects to the postgres database: while B holds a catalog lock in
# this one, a new backend here can itself wait for it at startup (when the
# relation cache init file was invalidated meanwhile, by autovacuum of a
# catalog for one), and the check would never connect.
wait_blocked() {
	local n
	for _ in $(seq 1 1500); do
		n=$(psql -X -qAt -d postgres -c "SELECT count(*) FROM pg_stat_activity a, pg_stat_activity b
			WHERE a.application_name = 'fm_snap_a' AND b.application_name = 'fm_snap_b'
			AND b.pid = ANY (pg_blocking_pids(a.pid))")
		[ "$n" = 1 ] && return 0
		sleep 0.02
	done
	cat "$WORK/a.out"; psql -X -d postgres -c "SELECT application_name, state, wait_event_type, wait_event, pg_blocking_pids(pid), left(query, 60) FROM pg_stat_activity WHERE application_name LIKE 'fm_snap%'"
	fail "session A was never seen waiting for session B"
}
# start the plan of schema file $1 in session A, in the background
start_a() {
	printf '%s\n' '\set VERBOSITY verbose' "SELECT ferriorm_plan(:'s');" |
		PGAPPNAME=fm_snap_a psql -X -qAt -v ON_ERROR_STOP=1 -v s="$(cat "$1")" \
		> "$WORK/a.out" 2>&1 &
	APID=$!
}

datasource='datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["snap"]
}'

echo "== 1. a plan never mixes catalog states (phantom ADD COLUMN)"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE SCHEMA snap" \
	-c "CREATE TABLE snap.t (id int PRIMARY KEY)"
cat > "$WORK/s1" <<EOF
$datasource
model T {
  id Int  @id
  c2 Int?
  @@check("c2 > 0", map: "t_c2")
  @@map("t")
  @@schema("snap")
}
EOF
start_b
b_run "BEGIN; LOCK TABLE pg_catalog.pg_constraint IN ACCESS EXCLUSIVE MODE;"
start_a "$WORK/s1"
wait_blocked
b_run "ALTER TABLE snap.t ADD COLUMN c2 int, ADD CONSTRAINT t_c2 CHECK (c2 > 0); COMMIT;"
stop_b
wait "$APID" || { cat "$WORK/a.out"; fail "the plan failed"; }
cat "$WORK/a.out"
addcol=$(grep -c 'ADD COLUMN' "$WORK/a.out" || true)
addcon=$(grep -c 'ADD CONSTRAINT' "$WORK/a.out" || true)
[ "$addcol" = "$addcon" ] ||
	fail "the plan mixes two states: $addcol ADD COLUMN, $addcon ADD CONSTRAINT"
echo "one state: $addcol ADD COLUMN, $addcon ADD CONSTRAINT"
psql -X -q -c "DROP SCHEMA snap CASCADE"

# $1 title, $2 the DDL that session B runs while A waits for its lock
dropped_while_waiting() {
	echo "== $1"
	psql -X -q -v ON_ERROR_STOP=1 -c "CREATE SCHEMA snap" \
		-c "CREATE TABLE snap.t (id int PRIMARY KEY, gone int)" \
		-c "INSERT INTO snap.t VALUES (1, 1)"
	# the plan drops column "gone": its figure counts rows of snap.t
	cat > "$WORK/s2" <<EOF
$datasource
model T {
  id Int @id
  @@map("t")
  @@schema("snap")
}
EOF
	start_b
	b_run "BEGIN; LOCK TABLE snap.t IN ACCESS EXCLUSIVE MODE;"
	start_a "$WORK/s2"
	wait_blocked
	b_run "$2 COMMIT;"
	stop_b
	if wait "$APID"; then
		cat "$WORK/a.out"
		fail "the plan of a table dropped while it waited succeeded"
	fi
	cat "$WORK/a.out"
	grep -q '40001' "$WORK/a.out" || fail "expected SQLSTATE 40001"
	grep -q 'table snap.t was dropped, renamed or replaced while the plan was being made' "$WORK/a.out" ||
		fail "expected the error to name snap.t"
	psql -X -q -c "DROP SCHEMA snap CASCADE"
}

dropped_while_waiting "2. a table dropped while the plan waited is an error" \
	"DROP TABLE snap.t;"
dropped_while_waiting "3. a table replaced while the plan waited is an error" \
	"DROP TABLE snap.t; CREATE TABLE snap.t (id int PRIMARY KEY, gone int);"
dropped_while_waiting "4. a table renamed while the plan waited is an error" \
	"ALTER TABLE snap.t RENAME TO t_old;"

echo "== 5. a role without rights never queues for a lock"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE SCHEMA snap" \
	-c "CREATE TABLE snap.t (id int PRIMARY KEY, n int CONSTRAINT t_n CHECK (n >= 0))" \
	-c "DROP ROLE IF EXISTS fm_snap_outsider" -c "CREATE ROLE fm_snap_outsider"
# the CHECK is spelled differently: the plan must parse it against the table
cat > "$WORK/s5" <<EOF
$datasource
model T {
  id Int  @id
  n  Int?
  @@check("n>=0", map: "t_n")
  @@map("t")
  @@schema("snap")
}
EOF
start_b
b_run "BEGIN; LOCK TABLE snap.t IN ACCESS EXCLUSIVE MODE;"
outsider_plan() {
	printf '%s\n' '\set VERBOSITY verbose' "SET ROLE fm_snap_outsider;" \
		"SET lock_timeout = '5s';" "SELECT ferriorm_plan(:'s');" |
		psql -X -qAt -v ON_ERROR_STOP=1 -v s="$(cat "$WORK/s5")" 2>&1 || true
}
out=$(outsider_plan)
echo "$out"
grep -q '42501: permission denied for schema snap' <<<"$out" ||
	fail "without USAGE: expected 42501 naming the schema at once"
psql -X -q -c "GRANT USAGE ON SCHEMA snap TO fm_snap_outsider"
out=$(outsider_plan)
echo "$out"
grep -q '42501: permission denied for table snap.t' <<<"$out" ||
	fail "without SELECT: expected 42501 naming the table at once"
b_run "COMMIT;"
stop_b
psql -X -q -c "DROP SCHEMA snap CASCADE" -c "DROP ROLE fm_snap_outsider"

echo "plan_snapshot: all passed"
