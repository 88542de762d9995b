#!/usr/bin/env bash
# Query cancel reaches the portable core: a ferriorm_diff() of a huge
# schema is cancelled by pg_cancel_backend() from another session while it
# parses and diffs, and returns "canceling statement due to user request"
# long before the same call would have finished.  The comparison is with
# the uncancelled call measured in the same run (a wide 2x margin), not
# with a fixed wall-clock limit.
set -euo pipefail
DB=ferriorm_cancel_test
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true' EXIT
export PGDATABASE=$DB
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION ferriorm;
CREATE TABLE big AS
SELECT E'datasource db {\n  provider = "postgresql"\n  url = "x"\n}\n' ||
       string_agg(format(E'model M%s {\n  id Int @id @default(autoincrement())\n  name String @unique\n  n Int\n  @@index([n])\n}\n', i), '') AS s
FROM generate_series(1, 60000) i;
SQL

ms() { date +%s%3N; }

t0=$(ms)
psql -X -q -At -c "SELECT length(ferriorm_diff(NULL, s)) > 0 FROM big" | grep -qx t
full=$(( $(ms) - t0 ))
echo "uncancelled ferriorm_diff: ${full} ms"

# start the same call, with a recognisable application_name, and cancel it
# as soon as it is seen running
t0=$(ms)
PGAPPNAME=ferriorm_cancel_me psql -X -q -At -c "SELECT length(ferriorm_diff(NULL, s)) FROM big" \
	> /tmp/ferriorm_cancel.$$ 2>&1 &
victim=$!
pid=""
for _ in $(seq 1 200); do
	pid=$(psql -X -q -At -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'ferriorm_cancel_me' AND state = 'active'")
	[ -n "$pid" ] && break
	sleep 0.02
done
[ -n "$pid" ] || { echo "FAIL: the call was never seen running"; exit 1; }
psql -X -q -At -c "SELECT pg_cancel_backend($pid)" | grep -qx t
wait $victim || true
cancelled=$(( $(ms) - t0 ))
out=$(cat /tmp/ferriorm_cancel.$$); rm -f /tmp/ferriorm_cancel.$$
echo "cancelled ferriorm_diff: ${cancelled} ms; said: $out"
grep -q "canceling statement due to user request" <<<"$out" \
	|| { echo "FAIL: the call was not cancelled"; exit 1; }
if [ $((cancelled * 2)) -ge "$full" ]; then
	echo "FAIL: cancelling took ${cancelled} ms, not well under the ${full} ms of a full run"
	exit 1
fi
echo "cancel: PASS"
