#!/usr/bin/env bash
# bench/frontend_phases.sh: the phases of the core front end (parse, block
# names, model passes, relations, constraint names, ...) of two revisions,
# interleaved.
#
#   bash bench/frontend_phases.sh BASE [SIZE] [ROUNDS] [RUNS]
#
# Builds bench/frontend_driver.c with -DFM_PHASE_TIMING (the core's
# FM_TIMING_MARK marks then time each phase: fm_util.h) against src/core of
# revision BASE (A) and of this checkout's working tree (B), with the
# extension's code generation flags (as bench/frontend_ab.sh does), and runs
# them for ROUNDS rounds (default 40) on the text of SIZE models (default
# 10,000) of bench/plan_gen.sql, in the order A B, B A, A B, ... (so that
# neither side always runs second), each run validating the text RUNS times
# (default 3) and reporting each phase's median over its runs after the
# first.  Prints, per phase, the median of A's and of B's run medians and
# the median of the per-round ratios B/A; a phase that BASE does not mark
# (a revision before the marks) has no row, but "validate", the whole call's
# CPU time, always has one.
#
# glibc keeps the memory each run frees (trim_threshold, mmap_threshold:
# GLIBC_TUNABLES), so that the runs after the first touch no page fresh
# from the kernel, as a warm call in a backend does not (bench/frontend.sh);
# the phases then measure the front end's work and the caches, not this
# host's page faults.  Calibration, 2026-12-07, on a host whose speed
# varied from 50 to 114 ms a validation within seconds: the same build
# against itself gave ratios of 0.95-1.00 per phase over 40 rounds (1.09-1.10
# over 12), and phases a change did not touch came out at 0.90-1.07 in A/B
# runs of 40 to 120 rounds: a phase ratio within about 7% of 1 is noise
# here.  Compare the ratios of one run, never figures of different runs.
# The texts come from a server (scripts/pg.sh's, or PGHOST/PGPORT) unless
# TEXTS names a directory holding s<SIZE>.txt.
set -euo pipefail

BASE=${1:?usage: frontend_phases.sh BASE [SIZE] [ROUNDS] [RUNS]}
SIZE=${2:-10000}
ROUNDS=${3:-40}
RUNS=${4:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=$(mktemp -d /tmp/ferriorm-phases.XXXXXX)
trap 'rm -rf "$W"' EXIT
# shellcheck source=bench/lib/drivers.sh
. "$ROOT/bench/lib/drivers.sh"

build_drivers "$W" "$BASE" -DFM_PHASE_TIMING
bench_text "$SIZE" "$W/text"

export GLIBC_TUNABLES=glibc.malloc.trim_threshold=4294967295:glibc.malloc.mmap_threshold=33554432

# one line per run and phase: round side phase ms
run() {
	"$W/$1" validate "$W/text" "$RUNS" |
		sed -n -e "s/^phase \(.*\) \([0-9.]*\)$/$2 $1 \1|\2/p" \
			-e "s/.*(CPU \([0-9.]*\) ms).*/$2 $1 validate|\1/p"
}
for r in $(seq 1 "$ROUNDS"); do
	if [ $((r % 2)) = 1 ]; then
		run A "$r"
		run B "$r"
	else
		run B "$r"
		run A "$r"
	fi
done > "$W/runs"

python3 - "$W/runs" "$BASE" "$SIZE" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(dict)     # (phase) -> {(round, side): ms}
order = []
for line in open(sys.argv[1]):
    head, ms = line.rstrip("\n").split("|")
    rnd, side, phase = head.split(" ", 2)
    if phase not in order:
        order.append(phase)
    runs[phase][(rnd, side)] = float(ms)
print(f"validate of {sys.argv[3]} models by phase: A = {sys.argv[2]}, B = working tree;"
      " ms, medians of rounds (each the median of its runs after the first)")
print(f"{'phase':>18} {'A ms':>8} {'B ms':>8} {'B/A':>6}")
for phase in order:
    d = runs[phase]
    rounds = {r for r, _ in d}
    pairs = [(d[(r, 'A')], d[(r, 'B')]) for r in rounds if (r, 'A') in d and (r, 'B') in d]
    if not pairs:
        continue
    ratios = [b / a for a, b in pairs if a > 0]
    print(f"{phase:>18} {statistics.median(a for a, _ in pairs):8.2f} "
          f"{statistics.median(b for _, b in pairs):8.2f} "
          f"{statistics.median(ratios) if ratios else float('nan'):6.3f}")
PY
