#!/usr/bin/env bash
# run.sh NAME: deploy a real Prisma history (docs/testing.md, "Real histories
# against their own schema"); not a test of the suite (the histories are
# third-party and stay outside the repository).
#
# $REALHIST_DIR/NAME (default /tmp/realhist) holds migrations/ and, when the
# repository has one at the same commit, schema.prisma; optionally pre.sql
# (run first in every database: roles, schemas the history assumes), env
# (SEARCH_PATH=..., PRISMA_SCHEMA=... for a DATABASE_URL with ?schema=) and
# strip_bom (the Prisma way drops a byte-order mark).  Three databases of
# the cluster of scripts/pg.sh, ferriorm installed in a schema "ferriorm":
#   rh_NAME_f  CALL ferriorm_migrate twice (the second applies nothing), the
#              recorded checksums against sha256sum of the files, and
#              ferriorm_drift;
#   rh_NAME_p  the Prisma way (prisma-apply.mjs), pg_dump --schema-only of
#              both compared; then ferriorm installed there reads Prisma's
#              _prisma_migrations (ferriorm_status) and applies nothing;
#   rh_NAME_d  SELECT ferriorm_deploy(dir), the function form.
# With schema.prisma: rh_NAME_o deployed by Prisma's schema engine
# (oracle.mjs deploy, its migrate deploy), its catalog (test/prisma/
# catalog.sql, less ferriorm's schema and both history tables) against
# those of rh_NAME_f and rh_NAME_d (when ferriorm_deploy applied all); then
# in the prisma dialect on rh_NAME_f: ferriorm_plan against Prisma's diff-db
# (test/prisma/oracle.mjs), ferriorm_diff_history against the plan
# (statements, not comments), and after ferriorm_push of the schema both
# again (nothing expected).
# Outputs in $REALHIST_DIR/NAME/out/; a summary on stdout.
set -uo pipefail
WT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
R=${REALHIST_DIR:-/tmp/realhist}
name=$1; H=$R/$name; D=$H/migrations; O=$H/out
rm -rf "$O"; mkdir -p "$O"; chmod -R a+rX "$H"; chmod a+rwx "$O"
eval "$(bash "$WT/scripts/pg.sh" env)"
F=rh_${name}_f P=rh_${name}_p FD=rh_${name}_d
SEARCH_PATH=public PRISMA_SCHEMA=
[ -f "$H/env" ] && . "$H/env"
q() { local db=$1; shift; psql -X -qAt -d "$db" "$@"; }
for db in $F $P $FD; do
	psql -X -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null 2>&1
	[ -f "$H/pre.sql" ] && q $db -v ON_ERROR_STOP=1 -f "$H/pre.sql" >/dev/null 2>>"$O/pre.err"
done
for db in $F $FD; do q $db -c "CREATE SCHEMA ferriorm; CREATE EXTENSION ferriorm SCHEMA ferriorm" >/dev/null; done
echo "== $name: $(ls -d "$D"/*/ | wc -l) folders"
t0=$(date +%s.%N)
q $F -c "CALL ferriorm.ferriorm_migrate('$D')" >"$O/migrate1.out" 2>&1; rc=$?
t1=$(date +%s.%N)
echo "migrate: rc=$rc $(printf '%.1f' "$(echo "$t1 - $t0" | bc)")s $(grep -E 'applied|ERROR' "$O/migrate1.out" | head -2 | tr '\n' ' ')"
q $F -c "CALL ferriorm.ferriorm_migrate('$D')" >"$O/migrate2.out" 2>&1
echo "migrate again: $(grep -E 'NOTICE|ERROR' "$O/migrate2.out" | tr '\n' ' ')"
( cd "$D" && for x in */; do x=${x%/}; [ -f "$x/migration.sql" ] && printf '%s %s\n' "$x" "$(sha256sum < "$x/migration.sql" | cut -d' ' -f1)"; done ) | LC_ALL=C sort > "$O/sha.files"
q $F -F' ' -c "SELECT name, checksum FROM ferriorm._ferriorm_migrations WHERE status = 'applied' ORDER BY name COLLATE \"C\"" > "$O/sha.db"
if cmp -s "$O/sha.files" "$O/sha.db"; then echo "checksums: $(wc -l < "$O/sha.db") match"; else echo "checksums: DIFFER ($(wc -l < "$O/sha.db") recorded, $(wc -l < "$O/sha.files") files)"; fi
q $F -c "SELECT * FROM ferriorm.ferriorm_drift('$D')" > "$O/drift.out" 2>&1
echo "drift: $(grep -vcE '^(NOTICE|WARNING|DETAIL|HINT)|^$' "$O/drift.out") lines $(grep ERROR "$O/drift.out" | head -1)"
( [ -f "$H/strip_bom" ] && export STRIP_BOM=1; export PRISMA_SCHEMA PGDATABASE=$P
  node "$WT/test/realhist/prisma-apply.mjs" "$D" ) > "$O/prisma.out" 2>&1
echo "prisma way: $(tail -1 "$O/prisma.out")"
dump() {
	pg_dump --schema-only -N ferriorm -T '*._prisma_migrations' -d "$1" |
		grep -v -E "^--|^$|^SET |^SELECT pg_catalog.set_config|^.(un)?restrict |EXTENSION (IF NOT EXISTS )?ferriorm|ON EXTENSION ferriorm"
}
dump $F > "$O/dump.f"; dump $P > "$O/dump.p"
if diff -u "$O/dump.p" "$O/dump.f" > "$O/dump.diff"; then echo "pg_dump: identical ($(wc -l < "$O/dump.f") lines)"; else echo "pg_dump: DIFFER ($O/dump.diff)"; fi
q $P -c "CREATE SCHEMA ferriorm; CREATE EXTENSION ferriorm SCHEMA ferriorm" >/dev/null 2>&1
q $P -F' ' -c "SELECT status, count(*) FROM ferriorm.ferriorm_status('$D') GROUP BY 1 ORDER BY 1" > "$O/import.status" 2>&1
q $P -c "CALL ferriorm.ferriorm_migrate('$D')" > "$O/import.migrate" 2>&1
echo "Prisma's history read: $(grep -v -E '^(WARNING|DETAIL|HINT)' "$O/import.status" | tr '\n' ' ')| $(grep -E 'NOTICE|ERROR' "$O/import.migrate" | tr '\n' ' ')"
q $FD -c "SELECT count(*) FROM ferriorm.ferriorm_deploy('$D')" > "$O/deploy.out" 2>&1
echo "ferriorm_deploy: $(grep -v -E '^(WARNING|DETAIL|HINT|NOTICE)' "$O/deploy.out" | head -1)"
[ -f "$H/schema.prisma" ] || exit 0
S=$H/schema.prisma
O_DB=rh_${name}_o
psql -X -q -c "DROP DATABASE IF EXISTS $O_DB WITH (FORCE)" -c "CREATE DATABASE $O_DB" >/dev/null 2>&1
[ -f "$H/pre.sql" ] && q $O_DB -v ON_ERROR_STOP=1 -f "$H/pre.sql" >/dev/null 2>>"$O/pre.err"
node "$WT/test/prisma/oracle.mjs" deploy "$S" "$D" "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$O_DB${PRISMA_SCHEMA:+ schema=$PRISMA_SCHEMA}" > "$O/engine_deploy.out" 2>&1
echo "Prisma's engine deploy: rc=$? $(wc -l < "$O/engine_deploy.out") lines, the last: $(tail -1 "$O/engine_deploy.out" | cut -c1-200)"
catalog() { q "$1" -f "$WT/test/prisma/catalog.sql" 2>&1 | grep -vE '"?ferriorm"?\.|^schema ferriorm|extension ferriorm|_prisma_migrations|_ferriorm_migrations'; }
catalog $O_DB > "$O/catalog.o"
for db in $F $FD; do
	[ $db = $FD ] && grep -q ERROR "$O/deploy.out" && continue
	catalog $db > "$O/catalog.$db"
	if diff -U0 "$O/catalog.o" "$O/catalog.$db" > "$O/catalog.$db.diff"; then echo "catalog of $db: the engine's ($(wc -l < "$O/catalog.o") facts)"; else echo "catalog of $db: DIFFERS ($O/catalog.$db.diff)"; fi
done
stmts() { grep -vE "^(WARNING|DETAIL|NOTICE|HINT|ERROR|line [0-9])" "$1" | grep -vE "^\s*(--.*)?$"; }
qp() { q $F -c "SET ferriorm.dialect = prisma" -c "SET search_path = $SEARCH_PATH, ferriorm" -c "$1"; }
qp "SELECT ferriorm_plan(pg_read_file('$S'))" > "$O/plan.ferriorm" 2>&1
node "$WT/test/prisma/oracle.mjs" diff-db "$S" "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$F${PRISMA_SCHEMA:+ schema=$PRISMA_SCHEMA}" > "$O/plan.prisma" 2>&1
echo "plan: ferriorm $(stmts "$O/plan.ferriorm" | wc -l) lines$(grep -m1 ERROR "$O/plan.ferriorm" | sed 's/^/ /'), Prisma's diff-db $(grep -cvE '^\s*(--.*)?$' "$O/plan.prisma") lines"
qp "SELECT ferriorm_diff_history('$D', pg_read_file('$S'))" > "$O/diff_history.out" 2>&1
echo "diff_history: $(stmts "$O/diff_history.out" | wc -l) lines, same as the plan: $(cmp -s <(stmts "$O/plan.ferriorm") <(stmts "$O/diff_history.out") && echo yes || echo no)"
qp "SELECT ferriorm_push(pg_read_file('$S'), allow_data_loss => true)" > "$O/push.out" 2>&1
qp "SELECT ferriorm_plan(pg_read_file('$S'))" > "$O/plan2.ferriorm" 2>&1
node "$WT/test/prisma/oracle.mjs" diff-db "$S" "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$F${PRISMA_SCHEMA:+ schema=$PRISMA_SCHEMA}" > "$O/plan2.prisma" 2>&1
echo "after ferriorm_push$(grep -m1 ERROR "$O/push.out" | sed 's/^/ /'): ferriorm $(stmts "$O/plan2.ferriorm" | wc -l) lines, Prisma's diff-db $(grep -cvE '^\s*(--.*)?$' "$O/plan2.prisma") lines"
