#!/usr/bin/env bash
# bench/frontend_ab.sh: the core front end of two revisions, interleaved.
#
#   bash bench/frontend_ab.sh BASE [OP] [SIZES] [ROUNDS] [RUNS]
#
# Builds bench/frontend_driver.c against src/core of revision BASE and of
# this checkout (working tree), with the extension's code generation flags
# (CORE_CFLAGS, by default what "make print-core-cflags" prints: those of
# pg_config --cflags without its warning and debugging flags, then the
# Makefile's FM_CORE_CFLAGS, as the extension's core is built: on Debian
# -O2 -fstack-protector-strong -fno-omit-frame-pointer, then
# -fomit-frame-pointer -fvisibility=hidden -flto=auto), and runs them
# alternately (A B A B ...) for ROUNDS rounds (default 11) on the texts of
# bench/plan_gen.sql at each size of SIZES (default "1000 10000" models),
# each run doing OP (default validate) RUNS times (default 15 at 1,000
# models, 3 above) and reporting its median CPU time.  Prints, per size,
# the median CPU ms of A and of B, the median of the per-round ratios B/A
# and their spread, and each side's peak bytes per input byte.
#
# The drivers run with 2 MB pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1:
# glibc asks for transparent huge pages for its heap), so that the figure
# is the front end's work rather than this host's cost of a fresh 4 kB
# page, which varies by a factor of ten within an hour here (see
# README.md); set HUGE=0 to measure with 4 kB pages.  The texts come from
# a server (scripts/pg.sh's, or PGHOST/PGPORT) unless TEXTS names a
# directory holding s<N>.txt for each size.  CPU time, not wall time: the
# steadier figure on a shared machine; still, compare only the ratio of
# one run, never figures of different runs.
set -euo pipefail

BASE=${1:?usage: frontend_ab.sh BASE [OP] [SIZES] [ROUNDS] [RUNS]}
OP=${2:-validate}
SIZES=${3:-"1000 10000"}
ROUNDS=${4:-11}
RUNS=${5:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=$(mktemp -d /tmp/ferriorm-ab.XXXXXX)
trap 'rm -rf "$W"' EXIT
# shellcheck source=bench/lib/drivers.sh
. "$ROOT/bench/lib/drivers.sh"

build_drivers "$W" "$BASE"
for n in $SIZES; do
	bench_text "$n" "$W/s$n.txt"
done

if [ "${HUGE:-1}" = 1 ]; then
	export GLIBC_TUNABLES=glibc.malloc.hugetlb=1
fi

# one line per run: size side round cpu_ms peak
for r in $(seq 1 "$ROUNDS"); do
	for n in $SIZES; do
		k=${RUNS:-$([ "$n" -le 1000 ] && echo 15 || echo 3)}
		for side in A B; do
			"$W/$side" "$OP" "$W/s$n.txt" "$k" |
				sed -n "s/.*(CPU \([0-9.]*\) ms).*peak \([0-9.]*\) bytes.*/$n $side $r \1 \2/p"
		done
	done
done > "$W/runs"

python3 - "$W/runs" "$BASE" "$OP" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
print(f"{sys.argv[3]}: A = {sys.argv[2]}, B = working tree; CPU ms, medians of rounds")
print(f"{'models':>7} {'A ms':>8} {'B ms':>8} {'B/A':>6} {'spread':>12} {'A peak':>7} {'B peak':>7}")
for n in sorted({int(r[0]) for r in rows}):
    a = {r[2]: float(r[3]) for r in rows if int(r[0]) == n and r[1] == 'A'}
    b = {r[2]: float(r[3]) for r in rows if int(r[0]) == n and r[1] == 'B'}
    pa = max(float(r[4]) for r in rows if int(r[0]) == n and r[1] == 'A')
    pb = max(float(r[4]) for r in rows if int(r[0]) == n and r[1] == 'B')
    ratios = sorted(b[k] / a[k] for k in a if k in b)
    print(f"{n:>7} {statistics.median(a.values()):8.1f} {statistics.median(b.values()):8.1f} "
          f"{statistics.median(ratios):6.3f} {ratios[0]:5.2f}-{ratios[-1]:<5.2f} {pa:7.2f} {pb:7.2f}")
PY
