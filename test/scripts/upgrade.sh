#!/usr/bin/env bash
# ALTER EXTENSION ferriorm UPDATE from the released 0.1.0 must give exactly
# the objects of a fresh install of the current version: every member of the
# extension (pg_depend, deptype 'e') described by pg_describe_object, with
# its definition (functions: pg_get_functiondef; relations: columns, types,
# defaults, constraints, indexes; types: enum labels), its ACL, its comment,
# and the extension's configuration-dump entries.  Rows of the history
# table written under 0.1.0 must survive the update.
#
# Runs in two databases of its own; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail

A=ferriorm_upgrade_old
B=ferriorm_upgrade_new
WORK=$(mktemp -d /tmp/ferriorm-upgrade.XXXXXX)
cleanup() {
	rm -rf "$WORK"
	for d in $A $B; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

for d in $A $B; do
	psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $d" -c "CREATE DATABASE $d"
done

current=$(psql -X -qAt -d postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'ferriorm'")
[ -n "$current" ] || fail "ferriorm is not installed"
[ "$current" != 0.1.0 ] || fail "default_version is still 0.1.0"

echo "== install 0.1.0, write history, update to $current"
psql -X -q -v ON_ERROR_STOP=1 -d $A <<'SQL'
CREATE EXTENSION ferriorm VERSION '0.1.0';
SELECT ferriorm_apply('20240101000000_init', 'CREATE TABLE upgraded_t (id int)');
SQL
psql -X -q -v ON_ERROR_STOP=1 -d $A -c "ALTER EXTENSION ferriorm UPDATE"
v=$(psql -X -qAt -d $A -c "SELECT extversion FROM pg_extension WHERE extname = 'ferriorm'")
[ "$v" = "$current" ] || fail "updated to $v, expected $current"

echo "== fresh install of $current"
psql -X -q -v ON_ERROR_STOP=1 -d $B -c "CREATE EXTENSION ferriorm"

# One line per fact about every member object of the extension.
describe() {
	psql -X -qAt -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
WITH m AS (
  SELECT d.classid, d.objid, d.objsubid,
         pg_describe_object(d.classid, d.objid, d.objsubid) AS obj
  FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
  WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
    AND e.extname = 'ferriorm')
SELECT obj || ' | member' FROM m
UNION ALL
SELECT m.obj || ' | def ' || pg_get_functiondef(p.oid)
       || ' | acl ' || coalesce(p.proacl::text, 'default')
       || ' | secdef ' || p.prosecdef || ' ' || p.provolatile::text || p.proparallel::text
       || ' | config ' || coalesce(p.proconfig::text, '')
FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
UNION ALL
SELECT m.obj || ' | relkind ' || c.relkind::text || ' | acl ' || coalesce(c.relacl::text, 'default')
       || ' | owner-is-ext-owner ' || (c.relowner = e.extowner)
       || ' | options ' || coalesce(c.reloptions::text, '')
FROM m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
CROSS JOIN (SELECT extowner FROM pg_extension WHERE extname = 'ferriorm') e
UNION ALL
SELECT m.obj || ' | column ' || a.attnum || ' ' || a.attname || ' '
       || format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull
       || ' identity=' || a.attidentity::text || ' generated=' || a.attgenerated::text
       || ' default=' || coalesce(pg_get_expr(ad.adbin, ad.adrelid), '')
       || ' acl=' || coalesce(a.attacl::text, '')
FROM m JOIN pg_attribute a ON m.classid = 'pg_class'::regclass AND a.attrelid = m.objid
     AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
UNION ALL
SELECT m.obj || ' | constraint ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
FROM m JOIN pg_constraint co ON m.classid = 'pg_class'::regclass AND co.conrelid = m.objid
UNION ALL
SELECT m.obj || ' | index ' || pg_get_indexdef(i.indexrelid)
FROM m JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
UNION ALL
SELECT m.obj || ' | trigger ' || pg_get_triggerdef(t.oid)
FROM m JOIN pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid
     AND NOT t.tgisinternal
UNION ALL
SELECT m.obj || ' | sequence ' || s.seqtypid::regtype || ' ' || s.seqstart || ' '
       || s.seqincrement || ' ' || s.seqmax || ' ' || s.seqmin || ' ' || s.seqcycle
FROM m JOIN pg_sequence s ON m.classid = 'pg_class'::regclass AND s.seqrelid = m.objid
UNION ALL
SELECT m.obj || ' | enum ' || string_agg(en.enumlabel, ',' ORDER BY en.enumsortorder)
FROM m JOIN pg_enum en ON m.classid = 'pg_type'::regclass AND en.enumtypid = m.objid
GROUP BY m.obj
UNION ALL
SELECT m.obj || ' | comment ' || coalesce(obj_description(m.objid, cl.relname), '')
FROM m JOIN pg_class cl ON cl.oid = m.classid
UNION ALL
SELECT 'config dump ' || cfg::regclass::text || ' ' || coalesce(cond, '')
FROM pg_extension e,
     unnest(e.extconfig, coalesce(e.extcondition, array_fill(NULL::text, ARRAY[cardinality(e.extconfig)]))) AS u(cfg, cond)
WHERE e.extname = 'ferriorm'
ORDER BY 1;
SQL
}

describe $A > "$WORK/updated.txt"
describe $B > "$WORK/fresh.txt"
n=$(wc -l < "$WORK/fresh.txt")
[ "$n" -gt 20 ] || fail "only $n facts described: the comparison would prove nothing"
if ! diff -u "$WORK/fresh.txt" "$WORK/updated.txt" > "$WORK/diff.txt"; then
	cat "$WORK/diff.txt"
	fail "the updated extension differs from a fresh install (- fresh, + updated)"
fi
echo "ok: $n facts identical after ALTER EXTENSION UPDATE"

echo "== history written under 0.1.0 survives"
r=$(psql -X -qAt -d $A -c "SELECT count(*) FROM _ferriorm_migrations
	WHERE id = 1 AND name = '20240101000000_init' AND migration_name = name
	  AND checksum = encode(sha256('CREATE TABLE upgraded_t (id int)'), 'hex')
	  AND status = 'applied' AND applied_at = finished_at AND execution_ms IS NOT NULL")
[ "$r" = 1 ] || fail "the 0.1.0 history row is gone or changed"
echo "== the sequence continues after the copied ids"
psql -X -q -v ON_ERROR_STOP=1 -d $A -c "SELECT ferriorm_apply('20240102000000_next', 'SELECT 1')" >/dev/null
r=$(psql -X -qAt -d $A -c "SELECT id FROM _ferriorm_migrations WHERE name = '20240102000000_next'")
[ "$r" = 2 ] || fail "the next migration got id $r, expected 2"
echo "ok"
