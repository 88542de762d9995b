#!/usr/bin/env bash
# The sweep of orphaned shadow databases (src/backend/shadow.c,
# sweep_orphans; docs/dev.md, "shadow") must never drop the shadow of a
# live call.  A shadow is an orphan when no session of this server has the
# PID and start time its name records.  pg_stat_activity shows every
# session's PID, but its start time only to roles with the privileges of
# that session's login role: before 0.2.0's third review, a role that could
# drop a shadow (it has the privileges of the shadow's owner, a group role
# both developers SET ROLE to) but could not see the start time of the
# other developer's session took that live shadow for an orphan and dropped
# it WITH (FORCE), ending the other developer's replay.
#
#  1. bob's session is alive and owns (through the group) a shadow;
#     alice's ferriorm_drift(strategy => 'shadow') keeps it.
#  2. a shadow of the group whose backend is gone is still swept.
#
# Needs the cluster of scripts/pg.sh: a password (scram-sha-256) over TCP
# to 127.0.0.1 (dblink's rule for a role that is not a superuser).
set -euo pipefail
. "$(dirname "$0")/../lib/scratch.sh"

DB=ferriorm_sweep
ROLES="regress_sw_alice regress_sw_bob regress_sw_group"
scratch_begin sweep
scratch_cleanup_extra() {
	local r d
	for d in $(psql -X -qAt -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'regress\_sw\_%'" 2>/dev/null); do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$d\" WITH (FORCE)" >/dev/null 2>&1 || true
	done
	for r in $ROLES; do
		psql -X -q -d postgres -c "DROP ROLE IF EXISTS $r" >/dev/null 2>&1 || true
	done
}
scratch_cleanup_extra
scratch_create_db \
	"CREATE ROLE regress_sw_group NOLOGIN" \
	"CREATE ROLE regress_sw_alice LOGIN CREATEDB PASSWORD 'alice-secret' IN ROLE regress_sw_group" \
	"CREATE ROLE regress_sw_bob LOGIN PASSWORD 'bob-secret' IN ROLE regress_sw_group" \
	"GRANT pg_read_server_files TO regress_sw_alice"
psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
	-c "CREATE EXTENSION ferriorm" \
	-c "GRANT EXECUTE ON FUNCTION ferriorm_drift(text, text) TO regress_sw_alice" \
	-c "CREATE SCHEMA sw AUTHORIZATION regress_sw_alice" \
	-c "ALTER ROLE regress_sw_alice SET search_path = sw, public" \
	-c "ALTER ROLE regress_sw_alice SET ferriorm.shadow_conninfo = 'host=127.0.0.1 port=$PGPORT password=alice-secret'"

ALICE="host=127.0.0.1 user=regress_sw_alice password=alice-secret dbname=$DB"
psql -X -qAt "$ALICE" -c "SELECT 1" >/dev/null 2>&1 ||
	fail "no password login over TCP to 127.0.0.1 (needs the cluster of scripts/pg.sh)"

H=$WORK/hist
mkdir -p "$H/20240101000000_init"
printf 'provider = "postgresql"\n' > "$H/migration_lock.toml"
printf 'CREATE TABLE t (id int PRIMARY KEY);\n' > "$H/20240101000000_init/migration.sql"
chmod -R a+rX "$H"
psql -X -qAt "$ALICE" -c "SELECT count(*) FROM ferriorm_deploy('$H')" >/dev/null

# bob's live session, and the shadow its call would have made as the group
psql -X -qAt "host=127.0.0.1 user=regress_sw_bob password=bob-secret dbname=$DB" \
	-c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
pids+=($!)
live=""
for _ in $(seq 1 50); do
	live=$(psql -X -qAt -c "SELECT pid || '_' || floor(extract(epoch FROM backend_start))::bigint
	                         FROM pg_stat_activity WHERE usename = 'regress_sw_bob'
	                         AND query LIKE '%pg_sleep%' LIMIT 1")
	[ -n "$live" ] && break
	sleep 0.2
done
[ -n "$live" ] || fail "bob's session did not start"
LIVE_DB="regress_sw_ferriorm_shadow_${live}_1"
# an orphan: PID 1 is never a backend
GONE_DB="regress_sw_ferriorm_shadow_1_1_1"
psql -X -q -v ON_ERROR_STOP=1 -d postgres \
	-c "CREATE DATABASE \"$LIVE_DB\" OWNER regress_sw_group" \
	-c "CREATE DATABASE \"$GONE_DB\" OWNER regress_sw_group"

# alice cannot see the start time of bob's session
seen=$(psql -X -qAt "$ALICE" -c "SELECT bool_and(backend_start IS NULL) FROM pg_stat_activity
                                  WHERE usename = 'regress_sw_bob'")
[ "$seen" = t ] || fail "alice sees bob's backend_start ($seen): the test proves nothing"

echo "== 1. a live call's shadow survives another role's sweep"
out=$(psql -X -qAt "$ALICE" -c "SELECT ferriorm_drift('$H', 'shadow') = '' AS no_drift" 2>&1 || true)
grep -q '^t$' <<<"$out" || fail "drift: $out"
n=$(psql -X -qAt -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$LIVE_DB'")
[ "$n" = 1 ] || fail "alice's sweep dropped the shadow of bob's live session: $out"
echo "the shadow of bob's live session is kept"

echo "== 2. an orphan is still swept"
n=$(psql -X -qAt -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$GONE_DB'")
[ "$n" = 0 ] || fail "the orphan $GONE_DB was not swept: $out"
grep -q "dropping shadow database \"$GONE_DB\"" <<<"$out" || fail "no notice for the orphan: $out"
echo "the orphan is dropped"
echo "ok"
