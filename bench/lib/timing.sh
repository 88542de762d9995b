# bench/lib/timing.sh: shared by the benchmarks (sourced, not run): the server, a work directory, timing one statement.

# bench_timed WHAT MODE ROUND STMT
#	Print psql lines that run STMT (one statement, no trailing semicolon)
#	and record its time in bench_result(size, what, mode, round, ms): the
#	server's clock_timestamp() just before it and just after it, so that
#	every contender pays one round trip.  psql's :size must be set.
bench_timed() {
	echo "SELECT clock_timestamp() AS t0 \\gset"
	echo "$4 \\g /dev/null"
	echo "INSERT INTO bench_result VALUES (:size, '$1', '$2', $3, extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) * 1000);"
}

# bench_begin DB
#	The server of PGHOST as it is (to measure the build installed there),
#	or the checkout's cluster, built and started; a work directory WORK
#	(readable by the server); database DB dropped and WORK removed on exit.
bench_begin() {
	if [ -z "${PGHOST:-}" ]; then
		scripts/pg.sh start >/dev/null
		eval "$(scripts/pg.sh env)"
	fi
	BENCH_DB=$1
	WORK=$(mktemp -d)
	chmod -R a+rwX "$WORK"
	trap bench_end EXIT
}

bench_end() {
	rm -rf "$WORK"
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB" >/dev/null 2>&1 || true
}
