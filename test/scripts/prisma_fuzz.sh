#!/usr/bin/env bash
# Differential fuzzing of the prisma dialect against Prisma's validator and
# formatter (test/prisma/fuzz.mjs, docs/testing.md "Differential fuzzing"):
# PRISMA_FUZZ_COUNT mutants (default 15000) of the corpus schemas, seed
# PRISMA_FUZZ_SEED (default 1), so that a run is deterministic.  Fails when
# a kind of disagreement appears that test/prisma/fuzz_known does not list
# as deliberate; the reduced schema of each is printed.  Then, with --ddl,
# PRISMA_FUZZ_DDL_COUNT mutants (default 1500, same seed) whose DDL is
# compared: Prisma's and ferriorm's from empty, ferriorm_plan on Prisma's
# database, and ferriorm_push from the unmutated schema's database against
# Prisma Migrate's result.  Needs the cluster of the libpq environment (a
# superuser: the DDL run makes databases of its own) and Prisma's engines
# (installed like the oracle's).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PDIR=$ROOT/test/prisma
DB=fm_prisma_fuzz
OUT=$(mktemp -d /tmp/ferriorm-prisma-fuzz.XXXXXX)

die() {
	echo "prisma fuzz: $*" >&2
	echo "prisma fuzz: FAIL"
	exit 1
}
cleanup() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
	rm -rf "$OUT"
}
trap cleanup EXIT

. "$ROOT/test/lib/prisma.sh"
prisma_engines
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null ||
	die "cannot create database $DB"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "CREATE EXTENSION ferriorm" >/dev/null ||
	die "cannot install ferriorm"

seeds=()
for f in "$PDIR"/corpus/*.prisma; do
	[[ $(basename "$f") == invalid_* ]] || seeds+=("$f")
done
PGDATABASE=$DB node "$PDIR/fuzz.mjs" --count "${PRISMA_FUZZ_COUNT:-15000}" \
	--seed "${PRISMA_FUZZ_SEED:-1}" --known "$PDIR/fuzz_known" --out "$OUT" "${seeds[@]}"
rc=$?
if [ $rc -eq 0 ]; then
	PGDATABASE=$DB node "$PDIR/fuzz.mjs" --ddl --count "${PRISMA_FUZZ_DDL_COUNT:-1500}" \
		--seed "${PRISMA_FUZZ_SEED:-1}" --known "$PDIR/fuzz_known" --out "$OUT" "${seeds[@]}"
	rc=$?
fi
if [ $rc -ne 0 ]; then
	for t in "$OUT"/*.txt; do
		[ -f "$t" ] || continue
		echo "---- $(basename "$t" .txt): $(head -1 "$t")"
		cat "${t%.txt}.prisma"
		sed -n '3,30p' "$t"
	done
	die "kinds of disagreement not listed in test/prisma/fuzz_known (above)"
fi
echo "prisma fuzz: PASS"
