# bench/lib/timing.sh: shared by the benchmarks (sourced, not run).

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
