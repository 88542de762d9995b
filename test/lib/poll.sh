# Sourced by the script tests in test/scripts (not a test itself).
#
# poll_value QUERY WHAT: run QUERY every 0.1 s, up to 10 s, until it
# returns something; print that.  Otherwise fail (the caller's fail(),
# else exit 1) saying that WHAT never happened.
poll_value() {
	local v=""
	for _ in $(seq 1 100); do
		v=$(psql -X -qAt -c "$1")
		[ -n "$v" ] && break
		sleep 0.1
	done
	if [ -z "$v" ]; then
		echo "FAIL: $2 never happened" >&2
		exit 1
	fi
	echo "$v"
}

# wait_backend APPNAME WAIT_EVENT: the pid of the backend of that
# application_name once it waits on WAIT_EVENT (PgSleep, relation, ...)
wait_backend() {
	poll_value "SELECT pid FROM pg_stat_activity WHERE application_name = '$1' AND wait_event = '$2'" \
		"$1 waiting on $2"
}
