#!/usr/bin/env bash
# ferriorm end-to-end demo: install what is missing, build, install into a
# private location, start a throwaway cluster, run examples/demo.sql, stop.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/readable.sh
. scripts/readable.sh
ensure_server_can_read_checkout "$ROOT" scripts/demo.sh "$@"
bash scripts/deps.sh
bash scripts/pg.sh start
trap 'bash scripts/pg.sh stop' EXIT
eval "$(bash scripts/pg.sh env)"
export PGDATABASE=ferriorm_demo
psql -q -d postgres -c "DROP DATABASE IF EXISTS ferriorm_demo" -c "CREATE DATABASE ferriorm_demo"
psql -X -f examples/demo.sql
