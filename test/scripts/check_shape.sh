#!/usr/bin/env bash
# scripts/check_shape.sh can fail: on a made-up tree it must refuse a file
# over 1,200 lines, a function over 120 lines without a header comment and
# an include by relative path, and accept the same tree once they are
# mended (a comment above the function, the file shortened, the include
# fixed).  Needs no server.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
T=$(mktemp -d /tmp/ferriorm-shape.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/src/core" "$T/src/backend" "$T/test/unit" "$T/test/fuzz"

# a function of n body lines, its name at column 0 as PostgreSQL writes it
func() {
	printf 'static int\n%s(void)\n{\n\tint\t\tx = 0;\n\n' "$1"
	for _ in $(seq 1 "$2"); do printf '\tx++;\n'; done
	printf '\treturn x;\n}\n\n'
}

check() {
	FM_SHAPE_ROOT=$T bash "$ROOT/scripts/check_shape.sh" > "$T/out" 2>&1
}

fail() { echo "FAIL: $*"; cat "$T/out"; exit 1; }

# 1. a long function without a header comment
{ echo '#include "fm_util.h"'; func long_one 130; func short_one 5; } > "$T/src/core/a.c"
check && fail "a 136-line function without a header comment passed"
grep -q 'long_one() is 1[0-9][0-9] lines' "$T/out" || fail "the long function is not named"
grep -q 'short_one' "$T/out" && fail "a short function was reported"

# 2. with its contract above it, it passes
{ echo '#include "fm_util.h"'; echo '/* long_one: counts to 130 */'; func long_one 130; func short_one 5; } > "$T/src/core/a.c"
check || fail "a documented long function was refused"

# 3. a file over 1,200 lines
for i in $(seq 1 200); do func "f$i" 2; done > "$T/src/backend/big.c"
check && fail "a file of $(wc -l < "$T/src/backend/big.c") lines passed"
grep -q 'big.c: [0-9]* lines' "$T/out" || fail "the long file is not named"
rm "$T/src/backend/big.c"

# 4. an include by relative path
echo '#include "../core/fm_util.h"' > "$T/test/unit/test_x.c"
check && fail "a relative include passed"
echo '#include "fm_util.h"' > "$T/test/unit/test_x.c"
check || fail "the mended tree was refused"

echo "check_shape: PASS"
