#!/usr/bin/env bash
# Run every ferriorm test and finish with "N passed, M failed".
#
#   1. core unit tests under AddressSanitizer + UBSan   (make -C test/unit)
#   2. the fuzz targets (parser; diff and render), FUZZ_SECONDS (default 30)
#      each (make -C test/fuzz run)
#   3. the core compiled alone, without PostgreSQL headers, and the code
#      shape (scripts/check_shape.sh: file and function sizes)
#   4. pg_regress (make installcheck) on a throwaway cluster
#   5. script tests test/scripts/*.sh against the same cluster
#
# Installs missing packages first (scripts/deps.sh), builds into a private
# installation (scripts/pg.sh), and exits non-zero on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/readable.sh
. scripts/readable.sh
ensure_server_can_read_checkout "$ROOT" scripts/test.sh "$@"
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
OUT="$ROOT/tmp_check/test-output"

passed=0
failed=0
failures=()

pass() { passed=$((passed + ${2:-1})); }
fail() { failed=$((failed + ${2:-1})); failures+=("$1"); }

# "N passed, M failed" from the last such line of a file
add_counts() {
	local name=$1 file=$2 rc=$3 line p f
	line=$(grep -E '(^|: )[0-9]+ passed, [0-9]+ failed$' "$file" | tail -1)
	if [ -z "$line" ]; then
		fail "$name (no summary line, exit $rc)"
		return
	fi
	line=${line##*: }
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed*}
	pass "$name" "$p"
	if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
		fail "$name" "$((f > 0 ? f : 1))"
	fi
}

bash scripts/deps.sh || { echo "dependency installation failed"; exit 1; }
mkdir -p "$OUT"

echo "== core unit tests (ASan + UBSan)"
make -s -C test/unit run > "$OUT/unit.log" 2>&1
rc=$?
grep -E '^(== |FAIL|unit:)|ERROR: (Address|Leak)Sanitizer|runtime error' "$OUT/unit.log" | head -50
add_counts "unit tests" "$OUT/unit.log" $rc

if [ -f test/fuzz/Makefile ]; then
	echo "== fuzzing: parser, then diff and render (${FUZZ_SECONDS}s each)"
	if make -s -C test/fuzz run FUZZ_SECONDS="$FUZZ_SECONDS" > "$OUT/fuzz.log" 2>&1; then
		tail -2 "$OUT/fuzz.log"
		pass fuzz
	else
		tail -30 "$OUT/fuzz.log"
		fail "fuzzing"
	fi
fi

echo "== core builds without PostgreSQL headers"
if make -s check-core-portable > "$OUT/portable.log" 2>&1; then
	pass portable
else
	cat "$OUT/portable.log"
	fail "portable core"
fi

echo "== code shape (file and function sizes, header comments)"
if bash scripts/check_shape.sh > "$OUT/shape.log" 2>&1; then
	tail -1 "$OUT/shape.log"
	pass "code shape"
else
	cat "$OUT/shape.log"
	fail "code shape"
fi

echo "== build, install, start throwaway cluster"
if ! scripts/pg.sh start > "$OUT/pg.log" 2>&1; then
	cat "$OUT/pg.log"
	tail -20 tmp_check/postgres.log 2>/dev/null
	fail "build/start cluster"
	echo "$passed passed, $failed failed"
	exit 1
fi
cat "$OUT/pg.log"
trap 'scripts/pg.sh stop >/dev/null 2>&1' EXIT
eval "$(scripts/pg.sh env)"

echo "== pg_regress"
rm -rf results regression.diffs regression.out
make -s installcheck > "$OUT/regress.log" 2>&1
rc=$?
grep -E '^(ok|not ok|test |     |#)|tests (passed|failed)|^ [0-9]+ of' "$OUT/regress.log" \
	| grep -vE '^# (using|initializing|running)' | head -200
n_ok=$(grep -cE '^ok |^test .* \.\.\. ok|^     [a-z_0-9]+ +\.\.\. ok' "$OUT/regress.log")
n_bad=$(grep -cE '^not ok |\.\.\. FAILED' "$OUT/regress.log")
pass regress "$n_ok"
if [ "$n_bad" -gt 0 ] || [ $rc -ne 0 ]; then
	fail "pg_regress" "$((n_bad > 0 ? n_bad : 1))"
	[ -f regression.diffs ] && head -300 regression.diffs
fi

# a guard against a hung script, not a time limit: roundtrip.sh takes 8.5
# minutes on a loaded 2-core machine
SCRIPT_TIMEOUT=${SCRIPT_TIMEOUT:-1200}
for t in test/scripts/*.sh; do
	[ -e "$t" ] || continue
	echo "== script test $t"
	if timeout "$SCRIPT_TIMEOUT" bash "$t" > "$OUT/$(basename "$t").log" 2>&1; then
		tail -3 "$OUT/$(basename "$t").log"
		pass "$t"
	else
		tail -40 "$OUT/$(basename "$t").log"
		fail "$t"
	fi
done

if [ ${#failures[@]} -gt 0 ]; then
	echo "failures:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
