# shellcheck shell=bash
# bench/lib/drivers.sh: sourced by frontend_ab.sh and frontend_phases.sh,
# which compare the core front end of two revisions.  Needs ROOT (the
# checkout) set by the script that sources it.

# build_drivers W BASE [FLAG...]
#	bench/frontend_driver.c built against src/core of revision BASE as W/A
#	and of the working tree as W/B, with the extension's code generation
#	flags (CORE_CFLAGS, by default what "make print-core-cflags" prints:
#	those of pg_config --cflags without its warning and debugging flags,
#	then the Makefile's FM_CORE_CFLAGS, as the extension's core is built)
#	and then FLAGs; compiler CC (default gcc).
build_drivers() {
	local w=$1 base=$2 cflags
	shift 2
	cflags=${CORE_CFLAGS:-$(make -s -C "$ROOT" print-core-cflags 2>/dev/null || echo -O2)}
	mkdir -p "$w/base"
	git -C "$ROOT" archive "$base" src/core | tar -x -C "$w/base"
	# shellcheck disable=SC2086 # cflags is a list of flags
	"${CC:-gcc}" $cflags "$@" -I"$w/base/src/core" "$ROOT/bench/frontend_driver.c" \
		"$w"/base/src/core/*.c -o "$w/A"
	# shellcheck disable=SC2086
	"${CC:-gcc}" $cflags "$@" -I"$ROOT/src/core" "$ROOT/bench/frontend_driver.c" \
		"$ROOT"/src/core/*.c -o "$w/B"
	echo "core built with: $cflags $*" >&2
}

# bench_text N OUT
#	The text of N models of bench/plan_gen.sql into OUT: TEXTS/sN.txt when
#	TEXTS names a directory, else from a server (scripts/pg.sh's, or
#	PGHOST/PGPORT).
bench_text() {
	if [ -n "${TEXTS:-}" ]; then
		cp "$TEXTS/s$1.txt" "$2"
	else
		[ -n "${PGHOST:-}" ] || eval "$(bash "$ROOT/scripts/pg.sh" env)"
		psql -X -qAt -d postgres -c "\\i $ROOT/bench/plan_gen.sql" \
			-c "SELECT pg_temp.bench_schema($1, 0, 'bench')" > "$2"
	fi
}
