#!/usr/bin/env bash
# Run every benchmark (bench/*.sh but this one) against the throwaway
# cluster of scripts/pg.sh and print their figures.  Benchmarks report
# numbers; they never pass or fail on timing.  frontend_ab.sh,
# frontend_phases.sh and frontend_oracle.sh compare this checkout with
# another revision, named by an argument: they are tools run by hand, not
# benchmarks of this build, and are skipped here.
#   bash bench/run.sh              all benchmarks
#   bash bench/run.sh plan         only bench/plan.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
bash scripts/deps.sh
bash scripts/pg.sh start >/dev/null
trap 'bash scripts/pg.sh stop' EXIT
eval "$(bash scripts/pg.sh env)"
for b in bench/*.sh; do
	name=$(basename "$b" .sh)
	case "$name" in run | frontend_ab | frontend_phases | frontend_oracle) continue ;; esac
	[ $# -gt 0 ] && [[ " $* " != *" $name "* ]] && continue
	echo "=== bench: $name"
	bash "$b"
done
