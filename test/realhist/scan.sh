#!/usr/bin/env bash
# scan.sh DIR: the shapes of a migrations directory that stress a deploy,
# with the number of migration.sql files that have each (docs/testing.md,
# "Real histories").  Not a test of the suite.
d=$1
c() { local n; n=$(grep -lE "$2" "$d"/*/migration.sql 2>/dev/null | wc -l); [ "$n" -gt 0 ] && printf '%s=%s ' "$1" "$n"; }
c conc 'CONCURRENTLY'; c do '^\s*DO\b|\bDO \$'; c tagq '\$[A-Za-z_][A-Za-z_0-9]*\$'; c func 'FUNCTION'; c trig 'TRIGGER'
c copy '^\s*COPY\b'; c insert '^\s*INSERT\b'; c estr "\bE'"; c addval 'ADD VALUE'; c set '^\s*SET\b'; c ext 'CREATE EXTENSION'
c policy 'POLICY|ROW LEVEL'; c grant '^\s*GRANT\b'; c role 'CREATE ROLE'; c begin '^\s*(BEGIN|COMMIT)\s*;'; c view 'CREATE (OR REPLACE )?(MATERIALIZED )?VIEW'
c schema 'CREATE SCHEMA'; c update '^\s*UPDATE\b'
n=0; for f in "$d"/*/migration.sql; do head -c3 "$f" | grep -q $'\xef\xbb\xbf' && n=$((n+1)); done; [ $n -gt 0 ] && printf 'bom=%s ' $n
n=$(grep -lU $'\r' "$d"/*/migration.sql 2>/dev/null | wc -l); [ "$n" -gt 0 ] && printf 'crlf=%s ' $n
n=0; for f in "$d"/*/migration.sql; do iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || n=$((n+1)); done; [ $n -gt 0 ] && printf 'nonutf8=%s ' $n
n=0; for f in "$d"/*/migration.sql; do [ -s "$f" ] || n=$((n+1)); done; [ $n -gt 0 ] && printf 'empty=%s ' $n
n=0; for f in "$d"/*/migration.sql; do grep -qvE '^\s*(--.*)?$' "$f" || n=$((n+1)); done; [ $n -gt 0 ] && printf 'onlycomments=%s ' $n
n=0; for x in "$d"/*/; do [ -f "$x/migration.sql" ] || n=$((n+1)); done; [ $n -gt 0 ] && printf 'nosql=%s ' $n
echo
