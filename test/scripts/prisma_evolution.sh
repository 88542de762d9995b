#!/usr/bin/env bash
# Prisma as the oracle of ferriorm's prisma dialect: schema evolution.
#
# Each case test/prisma/evolution/<case>/ holds a.prisma and b.prisma, two
# versions of a schema a Prisma user moves between (one concern a case), and
# optionally data.sql, rows inserted into the database of a.prisma before
# it is migrated.  Prisma's own engines (WebAssembly, pinned in
# test/prisma/package-lock.json, installed here with `npm ci`; driven by
# test/prisma/oracle.mjs) give Prisma's DDL of a.prisma from an empty
# database, and Prisma Migrate's migration from that database to b.prisma
# (`prisma migrate diff --from-config-datasource --to-schema b.prisma`, the
# diff `prisma migrate dev` makes from its shadow database).  With
# ferriorm.dialect = prisma, for each case:
#   - two databases are built from Prisma's DDL of a.prisma, with the rows
#     of data.sql (the same databases serve every case: each case empties
#     them first, dropping every schema but ferriorm's own);
#   - Prisma's path applies Prisma's migration to one (psql, stopping at
#     the first error), ferriorm's path runs
#     ferriorm_push(b, allow_data_loss => true) on the other;
#   - when either fails there, both are built again without the rows and
#     migrated again, so that the catalog checks compare the migrations'
#     structure; when Prisma's migration fails even then, the reference is a
#     database built by Prisma's DDL of b.prisma from empty.
# Checks:
#   apply        ferriorm's push applies exactly when Prisma's migration does,
#                on the database with the rows (both refuse a required
#                column without default on a table with rows, ...)
#   catalog      the catalogs of Prisma's result (the reference) and
#                ferriorm's result are identical (test/prisma/catalog.sql)
#   plan         ferriorm_plan(b) on Prisma's result is empty
#   prisma_diff  Prisma sees no difference between b.prisma and ferriorm's
#                result beyond what it sees on its own result (oracle.mjs
#                diff-db; a baseline, as in prisma_oracle.sh)
#   offline      ferriorm_diff(a, b), the migration written without a
#                database, applied to the database of a.prisma (without the
#                rows) gives the catalog of ferriorm_push's result
# The cases themselves are checked first: Prisma must accept a.prisma and
# b.prisma, and its DDL of both and data.sql must apply; anything else is an
# error of the case, not of ferriorm.
#
# test/prisma/evolution_differences lists "<case> <check> <reason>" for the
# checks that are expected to fail (ferriorm deliberately differs, Prisma
# has a bug, or a ferriorm bug not fixed yet; docs/testing.md explains each).
# The run fails on any failure not listed there, on any listed one that
# passes now (delete its line), and on a line that names no check.
#
# Needs PGHOST/PGPORT/PGUSER (a cluster with ferriorm installed), node >= 20
# and npm (with access to the npm registry the first time, or a filled npm
# cache).  PRISMA_EVOLUTION_FILTER=regex restricts the cases,
# PRISMA_EVOLUTION_CASES=dir replaces them (consecutive versions of a real
# schema.prisma, docs/testing.md; no expected failures then),
# PRISMA_EVOLUTION_KEEP=1 keeps the work directory and the databases (with
# the results of the last case: filter one case to inspect it).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PDIR=$ROOT/test/prisma
CASES=${PRISMA_EVOLUTION_CASES:-$PDIR/evolution}
KNOWN=$PDIR/evolution_differences
[ -n "${PRISMA_EVOLUTION_CASES:-}" ] && KNOWN=/dev/null/none
FILTER=${PRISMA_EVOLUTION_FILTER:-.}
PFX=fm_prisma_evo
TPL=${PFX}_tpl
P=${PFX}_prisma     # Prisma's path
F=${PFX}_ferriorm   # ferriorm's path
R=${PFX}_ref        # Prisma's DDL of b.prisma, when Prisma's migration fails
O=${PFX}_offline    # ferriorm_diff(a, b)
TOOL=${PFX}_tool
DBS=("$TPL" "$TOOL" "$P" "$F" "$R" "$O")
WORK=$(mktemp -d /tmp/ferriorm-prisma-evolution.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=

cleanup() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	if [ -n "${PRISMA_EVOLUTION_KEEP:-}" ]; then
		echo "kept: $WORK and databases ${DBS[*]}"
		return
	fi
	for db in "${DBS[@]}"; do echo "DROP DATABASE IF EXISTS $db;"; done |
		psql -X -q -d postgres >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

die() {
	echo "prisma evolution: $*" >&2
	echo "prisma evolution: FAIL"
	exit 1
}

# every session of this test speaks the prisma dialect
export PGOPTIONS="${PGOPTIONS:-} -c ferriorm.dialect=prisma -c client_min_messages=warning"

# --- Prisma's engines ------------------------------------------------------
. "$ROOT/test/lib/prisma.sh"
prisma_engines

# --- databases -------------------------------------------------------------
{
	for db in "${DBS[@]}"; do echo "DROP DATABASE IF EXISTS $db;"; done
	echo "CREATE DATABASE $TPL;"
	echo "\\c $TPL"
	echo "CREATE SCHEMA fmx;"
	echo "CREATE EXTENSION ferriorm SCHEMA fmx;"
	echo "\\c postgres"
	for db in "$TOOL" "$P" "$F" "$R" "$O"; do
		echo "CREATE DATABASE $db TEMPLATE $TPL;"
		echo "ALTER DATABASE $db SET search_path = public, fmx;"
	done
} | psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null || die "cannot create the databases with ferriorm"
conninfo() { echo "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$1"; }

# the start of every build: every schema but ferriorm's own is dropped, and
# public is created again
cat > "$WORK/reset.sql" <<'EOF'
DO $$
DECLARE s name;
BEGIN
	FOR s IN SELECT nspname FROM pg_namespace
	         WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'fmx')
	           AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
	LOOP
		EXECUTE format('DROP SCHEMA %I CASCADE', s);
	END LOOP;
END $$;
CREATE SCHEMA public;
EOF

# fm DB FILE SQL-EXPR OUT [FILE2]: evaluate a text expression over the
# schema text :'s' (and :'t', the text of FILE2) in DB and write its value
# byte for byte to OUT; errors to OUT.err (as in prisma_oracle.sh: base64
# both ways keeps the text exact).
fm() {
	local db=$1 file=$2 expr=$3 out=$4 file2=${5:-/dev/null}
	expr=${expr//:\'s\'/convert_from(decode(:\'b64\', \'base64\'), \'UTF8\')}
	expr=${expr//:\'t\'/convert_from(decode(:\'b64t\', \'base64\'), \'UTF8\')}
	{
		printf '\\set b64 `base64 -w0 %s`\n' "$file"
		printf '\\set b64t `base64 -w0 %s`\n' "$file2"
		printf "SELECT encode(convert_to(%s, 'UTF8'), 'base64');\n" "$expr"
	} > "$out.psql"
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" -f "$out.psql" > "$out.b64" 2> "$out.err" &&
		base64 -d "$out.b64" > "$out"
}
run_sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$2" > "$3" 2>&1; }
catalog() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -f "$PDIR/catalog.sql" > "$2" 2>&1; }
indent() { awk '{ print "      " $0 }'; }

# --- results ---------------------------------------------------------------
DETAIL_LINES=40
expected_load

started=$(date +%s)
names=()
for d in "$CASES"/*/; do
	n=$(basename "$d")
	[[ $n =~ $FILTER ]] && names+=("$n")
done
[ ${#names[@]} -gt 0 ] || die "no case matches '$FILTER'"

echo "== Prisma: validate and create-sql of both schemas of ${#names[@]} cases"
PDATA=$WORK/prisma
dirs=()
for n in "${names[@]}"; do dirs+=("$CASES/$n"); done
PGDATABASE=$TOOL timeout 300 node "$PDIR/oracle.mjs" evolve-prepare "$PDATA" "${dirs[@]}" ||
	die "the oracle failed (see above)"

# one node process answers every diff of a database against a schema
coproc SERVER { exec node "$PDIR/oracle.mjs" serve; }
SERVER_PID=$SERVER_PID
# prisma_diff_db DB FILE OUT: Prisma's DDL from database DB to schema FILE
# in OUT; the oracle's error in OUT.err
prisma_diff_db() {
	local reply
	rm -f "$3" "$3.err"
	printf 'diff-db\t%s\t%s\t%s\n' "$2" "$(conninfo "$1")" "$3" >&"${SERVER[1]}" ||
		die "the oracle's server is gone"
	IFS= read -r -t 120 -u "${SERVER[0]}" reply || die "the oracle's server does not answer (see above)"
	[ "$reply" = ok ] && return 0
	echo "${reply#error }" > "$3.err"
	return 1
}

# build NAME DB WITHDATA: DB emptied, then Prisma's DDL of a.prisma, with the
# case's rows when WITHDATA is true; any failure is the case's
build() {
	local n=$1 db=$2 withdata=$3 files=(-f "$WORK/reset.sql" -f "$PDATA/$n.a.sql")
	$withdata && [ -f "$CASES/$n/data.sql" ] && files+=(-f "$CASES/$n/data.sql")
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" "${files[@]}" > "$FM/$n.$db.build" 2>&1 ||
		die "case $n: Prisma's DDL of a.prisma or data.sql does not apply: $(cat "$FM/$n.$db.build")"
}
# migrate NAME: Prisma's migration in P, ferriorm's push in F; sets p_ok
# and f_ok
migrate() {
	local n=$1
	if run_sql "$P" "$FM/$n.migration.sql" "$FM/$n.prisma-apply"; then p_ok=true; else p_ok=false; fi
	if fm "$F" "$CASES/$n/b.prisma" \
		"(SELECT coalesce(string_agg(s, E'\\n'), '') FROM ferriorm_push(:'s', allow_data_loss => true) s)" \
		"$FM/$n.push"; then
		f_ok=true
	else
		f_ok=false
		cp "$FM/$n.push.err" "$FM/$n.ferriorm-apply"
	fi
}

echo "== checks"
FM=$WORK/ferriorm
mkdir -p "$FM"
for n in "${names[@]}"; do
	for s in a b; do
		grep -q '^{"accepted":true,' "$PDATA/$n.$s.validate.json" ||
			die "case $n: Prisma rejects $s.prisma: $(cat "$PDATA/$n.$s.validate.json")"
	done
	build "$n" "$P" true
	build "$n" "$F" true
	# Prisma's migration: from the database of a.prisma to b.prisma
	prisma_diff_db "$P" "$CASES/$n/b.prisma" "$FM/$n.migration.sql" ||
		die "case $n: Prisma's migration to b.prisma failed: $(cat "$FM/$n.migration.sql.err")"
	[ -s "$FM/$n.migration.sql" ] || die "case $n: Prisma sees no difference between a.prisma and b.prisma"
	migrate "$n"

	# apply: ferriorm's push applies exactly when Prisma's migration does
	{
		echo "on the database of a.prisma with the rows of data.sql:"
		if $p_ok; then echo "  Prisma's migration applies"; else echo "  Prisma's migration fails: $(grep -m1 ERROR "$FM/$n.prisma-apply" | sed 's/^psql:[^ ]*: //')"; fi
		if $f_ok; then echo "  ferriorm_push applies"
		else echo "  ferriorm_push fails:"; head -3 "$FM/$n.ferriorm-apply" | sed 's/^psql:[^ ]*: //; s/^/    /'; fi
	} > "$FM/$n.apply"
	if [ "$p_ok" = "$f_ok" ]; then result "$n" apply ok; else result "$n" apply fail "$FM/$n.apply"; fi
	if ! $p_ok && ! $f_ok; then
		echo "note  $n: both refuse the rows of data.sql:"
		tail -n +2 "$FM/$n.apply" | indent
	fi

	# without the rows when either failed with them
	ref=$P
	if ! $p_ok || ! $f_ok; then
		build "$n" "$P" false
		build "$n" "$F" false
		migrate "$n"
		if ! $p_ok; then
			echo "note  $n: Prisma's migration fails on the database without rows too: $(grep -m1 ERROR "$FM/$n.prisma-apply" | sed 's/^psql:[^ ]*: //');" \
				"the reference is Prisma's DDL of b.prisma from empty"
			ref=$R
			psql -X -q -v ON_ERROR_STOP=1 -d "$R" -f "$WORK/reset.sql" -f "$PDATA/$n.b.sql" > "$FM/$n.ref.build" 2>&1 ||
				die "case $n: Prisma's DDL of b.prisma does not apply: $(cat "$FM/$n.ref.build")"
		fi
	fi

	# catalog: Prisma's result against ferriorm's
	catalog "$ref" "$FM/$n.catalog.prisma" || die "catalog dump failed: $(cat "$FM/$n.catalog.prisma")"
	if ! $f_ok; then
		{ echo "ferriorm_push fails:"; cat "$FM/$n.ferriorm-apply"; } > "$FM/$n.catalog.diff"
		result "$n" catalog fail "$FM/$n.catalog.diff"
	else
		catalog "$F" "$FM/$n.catalog.ferriorm" || die "catalog dump failed: $(cat "$FM/$n.catalog.ferriorm")"
		diff -U0 --label prisma --label ferriorm "$FM/$n.catalog.prisma" "$FM/$n.catalog.ferriorm" \
			| grep -v '^@@' > "$FM/$n.catalog.diff"
		if [ -s "$FM/$n.catalog.diff" ]; then
			{ cat "$FM/$n.catalog.diff"; echo "Prisma's migration:"; grep -v '^ *$' "$FM/$n.migration.sql"
			  echo "ferriorm_push applied:"; cat "$FM/$n.push"; echo; } > "$FM/$n.catalog.detail"
			result "$n" catalog fail "$FM/$n.catalog.detail"
		else
			result "$n" catalog ok
		fi
	fi

	# plan: nothing to do on Prisma's result
	if fm "$ref" "$CASES/$n/b.prisma" "ferriorm_plan(:'s')" "$FM/$n.plan"; then
		if [ -s "$FM/$n.plan" ]; then result "$n" plan fail "$FM/$n.plan"; else result "$n" plan ok; fi
	else
		result "$n" plan fail "$FM/$n.plan.err"
	fi

	# prisma_diff: Prisma sees nothing to do on ferriorm's result, beyond
	# what it sees on its own
	prisma_diff_db "$ref" "$CASES/$n/b.prisma" "$FM/$n.own.diff.sql" ||
		die "case $n: Prisma's diff on its own result failed: $(cat "$FM/$n.own.diff.sql.err")"
	if [ -s "$FM/$n.own.diff.sql" ]; then
		echo "note  $n: Prisma's diff is not empty on its own result (the baseline of prisma_diff):"
		grep -v '^ *$' "$FM/$n.own.diff.sql" | indent
	fi
	# offline: ferriorm_diff(a, b) on the database of a.prisma reaches what
	# ferriorm_push reached (Prisma's result when push failed)
	mine=$FM/$n.catalog.ferriorm
	$f_ok || mine=$FM/$n.catalog.prisma
	psql -X -q -v ON_ERROR_STOP=1 -d "$O" -f "$WORK/reset.sql" -f "$PDATA/$n.a.sql" > "$FM/$n.offline.build" 2>&1 ||
		die "case $n: Prisma's DDL of a.prisma does not apply: $(cat "$FM/$n.offline.build")"
	if ! fm "$O" "$CASES/$n/a.prisma" "ferriorm_diff(:'s', :'t')" "$FM/$n.offline.sql" "$CASES/$n/b.prisma"; then
		result "$n" offline fail "$FM/$n.offline.sql.err"
	elif ! run_sql "$O" "$FM/$n.offline.sql" "$FM/$n.offline.apply"; then
		{ echo "ferriorm_diff(a, b) does not apply:"; grep -m3 -A2 ERROR "$FM/$n.offline.apply"
		  echo "ferriorm_diff(a, b):"; cat "$FM/$n.offline.sql"; } > "$FM/$n.offline"
		result "$n" offline fail "$FM/$n.offline"
	else
		catalog "$O" "$FM/$n.catalog.offline" || die "catalog dump failed: $(cat "$FM/$n.catalog.offline")"
		diff -U0 --label push --label offline "$mine" "$FM/$n.catalog.offline" | grep -v '^@@' > "$FM/$n.offline"
		if [ -s "$FM/$n.offline" ]; then
			{ echo "ferriorm_diff(a, b):"; cat "$FM/$n.offline.sql"; } >> "$FM/$n.offline"
			result "$n" offline fail "$FM/$n.offline"
		else
			result "$n" offline ok
		fi
	fi

	if ! $f_ok; then
		echo "ferriorm_push fails: no result to diff" > "$FM/$n.prisma_diff"
		result "$n" prisma_diff fail "$FM/$n.prisma_diff"
	elif ! prisma_diff_db "$F" "$CASES/$n/b.prisma" "$FM/$n.ferriorm.diff.sql"; then
		result "$n" prisma_diff fail "$FM/$n.ferriorm.diff.sql.err"
	elif cmp -s "$FM/$n.ferriorm.diff.sql" "$FM/$n.own.diff.sql"; then
		result "$n" prisma_diff ok
	else
		{ echo "Prisma's diff on ferriorm's result:"; cat "$FM/$n.ferriorm.diff.sql"
		  if [ -s "$FM/$n.own.diff.sql" ]; then echo "on its own result:"; cat "$FM/$n.own.diff.sql"; fi
		} > "$FM/$n.prisma_diff"
		result "$n" prisma_diff fail "$FM/$n.prisma_diff"
	fi
done

# listed differences that name no check of this run
if [ "$FILTER" = . ]; then
	expected_stale case
fi

echo "checked ${#names[@]} cases in $(( $(date +%s) - started ))s"
echo "expected differences (test/prisma/evolution_differences): $xfailed"
echo "prisma evolution: $passed passed, $unexpected failed"
[ "$unexpected" -eq 0 ] || { echo "prisma evolution: FAIL"; exit 1; }
echo "prisma evolution: PASS"
