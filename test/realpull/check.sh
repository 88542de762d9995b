#!/bin/bash
# check.sh <name> <dialect>: ferriorm_pull on a real database that Prisma did
# not create (docs/testing.md, "Pulling real databases"): not a test of the
# suite (the dumps are third-party and stay outside the repository).
#
# The database rp_<name> of the cluster of scripts/pg.sh, loaded beforehand
# from $REALPULL_DIR/adapted/<name>.sql (adapt.sh), is pulled in <dialect>
# (ferriorm or prisma) with every schema that has a table or an enum; then:
#   validate  ferriorm_validate(pull) has no error
#   plan      ferriorm_plan(pull) is empty on the same database
#   rebuild   ferriorm_diff(NULL, pull) applied to an empty database
#             rp_<name>_rb (after what the text cannot create: schemas,
#             extensions, domains, functions, from pg_dump) runs, and the
#             tables, columns, keys, indexes and enums of both databases
#             are the same but for the @preserve'd or noted tables
#             (catcmp.py)
#   prisma    (prisma dialect) Prisma's own introspection of the database
#             (test/prisma/oracle.mjs introspect), Prisma's validator on the
#             pull, and same-models of both (less the lines Prisma's
#             validator rejects, strip_rejected.py)
# Outputs in $REALPULL_DIR/out/<name>.<dialect>/; a summary on stdout.
set -u
WT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
R=${REALPULL_DIR:-/tmp/realpull}
n=$1; d=$2; O=$R/out/$n.$d; mkdir -p $O
T=$WT/test/realpull
eval "$(bash $WT/scripts/pg.sh env)"
db=rp_$n
psql -XqAt -d $db -c "CREATE SCHEMA IF NOT EXISTS fmx" -c "CREATE EXTENSION IF NOT EXISTS ferriorm SCHEMA fmx" 2>/dev/null
schemas=$(psql -XAt -d $db -c "SELECT string_agg(quote_literal(nspname), ',' ORDER BY nspname = 'public' DESC, nspname) FROM pg_namespace n WHERE nspname NOT IN ('fmx','information_schema') AND nspname NOT LIKE 'pg\_%' AND (EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r','p') AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = c.oid AND e.deptype = 'e')) OR EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = n.oid AND t.typtype = 'e'))")
echo "$schemas" > $O/schemas
export PGOPTIONS="-c ferriorm.dialect=$d -c search_path=public,fmx"
psql -XqAt -d $db -v ON_ERROR_STOP=1 -c "SET client_min_messages = notice" -c "SELECT fmx.ferriorm_pull(ARRAY[$schemas])" > $O/pull 2> $O/pull.stderr
echo "pull rc=$? warnings=$(grep -c 'WARNING' $O/pull.stderr) errors=$(grep -c ERROR $O/pull.stderr) lines=$(wc -l < $O/pull)"
printf "%s\n" "\\set t \`cat $O/pull\`" "SELECT count(*) FROM fmx.ferriorm_validate(:'t') WHERE severity='error';" "SELECT line||':'||col||' '||message FROM fmx.ferriorm_validate(:'t') WHERE severity='error';" | psql -XAt -d $db > $O/validate 2>&1
echo "validate errors: $(head -1 $O/validate)"
printf "%s\n" "\\set t \`cat $O/pull\`" "SELECT fmx.ferriorm_plan(:'t');" | psql -XAt -d $db > $O/plan 2> $O/plan.stderr
echo "plan: $(grep -c . $O/plan) lines, $(grep -c ERROR $O/plan.stderr) errors"
# rebuild
rb=rp_${n}_rb
psql -XqAt -d postgres -c "DROP DATABASE IF EXISTS $rb" -c "CREATE DATABASE $rb" 2>/dev/null
psql -XqAt -d $rb -c "CREATE SCHEMA fmx" -c "CREATE EXTENSION ferriorm SCHEMA fmx"
# what the text cannot create but its Unsupported types and dbgenerated
# defaults need: schemas, extensions, domains and other non-enum types,
# functions, from a schema-only dump of the original
pg_dump -s -Fc -d $db -N fmx > $O/orig.dump
# enums are the text's to create, unless a type or domain restored here
# holds one (a composite's attribute, a domain's base, a range's subtype,
# a function's argument or result, River's and Logto's):
# those are restored too, and the rebuild is then a plan over them
held="SELECT t.oid FROM pg_type t WHERE t.typtype='e' AND (EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid=a.attrelid AND c.relkind='c' WHERE a.atttypid IN (t.oid, t.typarray)) OR EXISTS (SELECT 1 FROM pg_type d WHERE d.typtype='d' AND d.typbasetype IN (t.oid, t.typarray)) OR EXISTS (SELECT 1 FROM pg_range r WHERE r.rngsubtype = t.oid) OR EXISTS (SELECT 1 FROM pg_proc p WHERE p.prorettype IN (t.oid, t.typarray) OR p.proargtypes::oid[] && ARRAY[t.oid, t.typarray] OR p.proallargtypes && ARRAY[t.oid, t.typarray]))"
enums=$(psql -XAt -d $db -c "SELECT string_agg(n.nspname||' '||t.typname, '|') FROM pg_type t JOIN pg_namespace n ON n.oid=t.typnamespace WHERE t.typtype='e' AND t.oid NOT IN ($held)")
nheld=$(psql -XAt -d $db -c "SELECT count(*) FROM ($held) h")
[ -n "$enums" ] || enums='-none-'
owned=$(psql -XAt -d $db -c "SELECT coalesce(string_agg(n.nspname||' '||c.relname, '|'), 'none none') FROM pg_class c JOIN pg_namespace n ON n.oid=c.relnamespace WHERE c.relkind='S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid='pg_class'::regclass AND d.objid=c.oid AND d.deptype IN ('a','i'))")
pg_restore -l $O/orig.dump | grep -E '^[0-9]+; [0-9]+ [0-9]+ (SCHEMA|EXTENSION|TYPE|DOMAIN|FUNCTION|AGGREGATE|COLLATION|OPERATOR|OPERATOR CLASS|OPERATOR FAMILY|CAST|TEXT SEARCH CONFIGURATION|TEXT SEARCH DICTIONARY) ' | grep -vE " TYPE ($enums) " | grep -v 'SEQUENCE OWNED BY' | grep -vE " SEQUENCE ($owned) " | grep -v ' SCHEMA - public ' > $O/pre.list
pg_restore -L $O/pre.list -d $rb $O/orig.dump > $O/pre.log 2>&1

if [ "$nheld" -gt 0 ]; then
  echo "rebuild: $nheld enums held by restored types restored first, rebuilt by a plan"
  printf "%s\n" "\\set t \`cat $O/pull\`" "SELECT fmx.ferriorm_plan(:'t');" | psql -XAt -d $rb > $O/rebuild.sql 2> $O/rebuild.stderr
else
  printf "%s\n" "\\set t \`cat $O/pull\`" "SELECT fmx.ferriorm_diff(NULL, :'t');" | psql -XAt -d $rb > $O/rebuild.sql 2> $O/rebuild.stderr
fi
psql -Xq -d $rb -v ON_ERROR_STOP=1 -f $O/rebuild.sql > $O/rebuild.log 2>&1; echo "rebuild rc=$?"
python3 $T/preserved.py $O/pull $d > $O/models
psql -XAt -d $db -F ' ' -c "SELECT quote_ident(cn.nspname)||'.'||quote_ident(c.relname), quote_ident(pn.nspname)||'.'||quote_ident(p.relname) FROM pg_inherits i JOIN pg_class c ON c.oid=i.inhrelid JOIN pg_namespace cn ON cn.oid=c.relnamespace JOIN pg_class p ON p.oid=i.inhparent JOIN pg_namespace pn ON pn.oid=p.relnamespace WHERE c.relkind IN ('r','p')" > $O/partitions
for x in $db $rb; do PGOPTIONS= psql -XAt -d $x -f $WT/test/prisma/catalog.sql > $O/cat.$x 2>&1; done
python3 $T/catcmp.py $O/cat.$db $O/cat.$rb $O/models "$schemas" $O/partitions > $O/catdiff 2> $O/catdiff.err; echo "catalog: $(grep -c '^[-+]' $O/catdiff) differing facts (non-preserved tables)"
if [ $d = prisma ]; then
  cd $WT/test/prisma
  conn="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$db"
  node oracle.mjs introspect "$conn" $O/pull > $O/prisma.introspect 2> $O/prisma.introspect.err; echo "prisma introspect rc=$?"
  node oracle.mjs validate $O/pull > $O/prisma.validate 2>&1; echo "prisma validate: $(cut -c1-200 $O/prisma.validate)"
  python3 $T/strip_rejected.py $O/pull $O/pull.accepted > $O/stripped.ours
  python3 $T/strip_rejected.py $O/prisma.introspect $O/prisma.accepted > $O/stripped.prisma
  echo "stripped for Prisma's validator: ours $(grep -c stripped: $O/stripped.ours), Prisma's own $(grep -c stripped: $O/stripped.prisma)"
  node oracle.mjs same-models $O/prisma.accepted $O/pull.accepted > $O/same-models 2>&1; echo "same-models: $(grep -c . $O/same-models) lines"
fi
