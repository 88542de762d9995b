#!/bin/bash
# load.sh <name>...: (re)create the database rp_<name> of the cluster of
# scripts/pg.sh from $REALPULL_DIR/adapted/<name>.sql (adapt.sh) and print
# how many statements failed (extensions that are not available, the
# objects that need them).  See check.sh and docs/testing.md.
set -u
WT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
R=${REALPULL_DIR:-/tmp/realpull}
eval "$(bash "$WT/scripts/pg.sh" env)"
mkdir -p "$R/logs"
for n in "$@"; do
	psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS rp_$n" -c "CREATE DATABASE rp_$n" 2>/dev/null
	(cd "$R/adapted" && psql -Xq -d "rp_$n" -f "$n.sql") > "$R/logs/$n.load" 2>&1
	echo "$n: $(grep -c ERROR "$R/logs/$n.load") failed statements"
done
