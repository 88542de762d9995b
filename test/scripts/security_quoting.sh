#!/usr/bin/env bash
# Security property test of rendering: hostile names and literals in every
# position of the schema language, pushed under both settings of
# standard_conforming_strings; the catalog must change by exactly the
# intended objects (test/scripts/security_quoting.py says how).
#
# Runs in a database of its own; needs PGHOST/PGPORT/PGUSER (a superuser).
# SECQ_CASES (default 12) schemas, SECQ_SEED (default 7) for the generator.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DB=ferriorm_secprop
cleanup() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT

psql -X -q -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
psql -X -q -d $DB -c "SET client_min_messages = warning" -c "CREATE EXTENSION ferriorm" >/dev/null
python3 "$ROOT/test/scripts/security_quoting.py" "${SECQ_CASES:-12}" "${SECQ_SEED:-7}"
