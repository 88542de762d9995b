# Sourced by the script tests in test/scripts (not a test itself).
#
# The scratch database of one script test, and cleaning up after it.
# The caller sets DB (the database's name) before calling these.
#
# scratch_begin NAME: WORK, a new directory /tmp/ferriorm-NAME.XXXXXX
#   that the server may read; pids, an empty list of background jobs; and
#   an EXIT trap (scratch_cleanup) that kills those jobs, calls the
#   caller's scratch_cleanup_extra if it defines one, removes WORK and
#   drops DB, ending the sessions still in it (a loopback backend of a
#   cancelled statement may outlive the test).
# scratch_create_db [SQL...]: (re)create DB quietly, run the statements
#   given (in database postgres) after it, and export PGDATABASE=DB.
#   Returns non-zero on failure.
# scratch_tool_db TOOL_SQL: scratch_create_db for the round-trip tests:
#   warnings only, ferriorm and citext in schema fmx (on the search_path
#   after public), then the tool's functions from TOOL_SQL.
# fail MESSAGE: say FAIL and exit 1.

scratch_cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	if declare -F scratch_cleanup_extra >/dev/null; then
		scratch_cleanup_extra
	fi
	rm -rf "$WORK"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
}

scratch_begin() {
	WORK=$(mktemp -d "/tmp/ferriorm-$1.XXXXXX")
	chmod 755 "$WORK"
	pids=()
	trap scratch_cleanup EXIT
}

scratch_create_db() {
	local args=() s
	for s in "$@"; do args+=(-c "$s"); done
	psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" "${args[@]}" || return 1
	export PGDATABASE=$DB
}

scratch_tool_db() {
	scratch_create_db "ALTER DATABASE $DB SET client_min_messages = warning" \
		"ALTER DATABASE $DB SET search_path = public, fmx" || return 1
	psql -X -q -v ON_ERROR_STOP=1 -c "CREATE SCHEMA fmx" -c "CREATE EXTENSION ferriorm SCHEMA fmx" \
		-c "CREATE EXTENSION citext SCHEMA fmx" -f "$1" >/dev/null
}

fail() { echo "FAIL: $*"; exit 1; }
