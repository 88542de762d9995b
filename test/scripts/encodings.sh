#!/usr/bin/env bash
# Schema text in databases that are not UTF-8 (docs/language.md,
# "Encodings"): in LATIN1 and EUC_JP databases, validate, format, diff,
# plan and push work with non-ASCII names, defaults and comments, the
# catalog then holds exactly those names, and a second plan is empty; a
# character the database cannot hold (written as a \u escape) is an error
# naming its line (SQLSTATE 22P05), and a diagnostic of ferriorm_validate.
# In an SQL_ASCII database, text passes through as UTF-8 bytes, and bytes
# that are not UTF-8 are diagnosed.
#
# Each database is its own; needs PGHOST/PGPORT/PGUSER (a superuser).
set -euo pipefail

DBS="ferriorm_enc_latin1 ferriorm_enc_eucjp ferriorm_enc_sqlascii"
WORK=$(mktemp -d /tmp/ferriorm-enc.XXXXXX)
cleanup() {
	rm -rf "$WORK"
	for db in $DBS; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	done
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
export PGCLIENTENCODING=UTF8

# $1 database, $2 encoding
create_db() {
	psql -X -q -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS $1" \
		-c "CREATE DATABASE $1 ENCODING '$2' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'"
	psql -X -q -d "$1" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION ferriorm"
}

# $1 database, $2 schema file, $3 SQL using :'s'; prints the result
q() {
	printf '%s\n' "$3" | psql -X -qAt -v ON_ERROR_STOP=1 -d "$1" -v s="$(cat "$2")"
}
# the same, expecting an error: prints SQLSTATE and message
q_err() {
	if printf '%s\n' '\set VERBOSITY verbose' "$3" |
		psql -X -qAt -v ON_ERROR_STOP=1 -d "$1" -v s="$(cat "$2")" > "$WORK/err" 2>&1; then
		cat "$WORK/err"
		fail "$1: expected an error from: $3"
	fi
	cat "$WORK/err"
}

# $1 database, $2 encoding, $3 table, $4 column, $5 default, $6 comment,
# $7 a \u escape of a character the encoding lacks
round_trip() {
	local db=$1 enc=$2 tab=$3 col=$4 def=$5 com=$6 esc=$7 out
	echo "== $enc: validate, format, diff, plan, push with $tab.$col"
	create_db "$db" "$enc"
	cat > "$WORK/s.$db" <<EOF
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

/// $com
model Thing {
  id    Int    @id
  label String @default("$def") @map("$col")

  @@map("$tab")
}
EOF
	local s="$WORK/s.$db"
	out=$(q "$db" "$s" "SELECT count(*) FROM ferriorm_validate(:'s')")
	[ "$out" = 0 ] || fail "$enc: validate reports $out diagnostics"
	out=$(q "$db" "$s" "SELECT ferriorm_format(:'s')")
	[ "$out" = "$(cat "$s")" ] || { echo "$out"; fail "$enc: format changed the text"; }
	out=$(q "$db" "$s" "SELECT ferriorm_diff(NULL, :'s')")
	echo "$out"
	grep -qF "CREATE TABLE \"$tab\"" <<<"$out" || fail "$enc: diff lacks the table"
	grep -qF "'$com'" <<<"$out" || fail "$enc: diff lacks the comment"
	q "$db" "$s" "SELECT count(*) FROM ferriorm_push(:'s')" >/dev/null
	out=$(q "$db" "$s" "SELECT c.relname || '|' || a.attname || '|' ||
		pg_get_expr(d.adbin, d.adrelid) || '|' || obj_description(c.oid, 'pg_class')
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 2
		JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = 2
		WHERE c.relname = '$tab'")
	[ "$out" = "$tab|$col|'$def'::text|$com" ] || fail "$enc: catalog holds '$out'"
	echo "catalog: $out"
	out=$(q "$db" "$s" "SELECT ferriorm_plan(:'s', verify => true)")
	[ -z "$out" ] || { echo "$out"; fail "$enc: the plan after push is not empty"; }
	echo "plan after push: empty"

	echo "== $enc: a character the database cannot hold"
	local text
	text=$(cat "$s")
	printf '%s\n' "${text/"@default(\"$def\")"/"@default(\"x${esc}y\")"}" > "$s.bad"
	grep -qF "$esc" "$s.bad" || fail "sed did not place the escape"
	out=$(q "$db" "$s.bad" "SELECT line || ': ' || message FROM ferriorm_validate(:'s')")
	echo "$out"
	[ "$out" = "9: a name, string or comment here holds a character that the database encoding \"$enc\" cannot represent" ] ||
		fail "$enc: validate did not report line 9"
	for fn in "ferriorm_plan(:'s')" "ferriorm_push(:'s')" "ferriorm_diff(NULL, :'s')"; do
		out=$(q_err "$db" "$s.bad" "SELECT $fn")
		head -1 <<<"$out"
		grep -q "22P05: line 9 of [a-z_]* holds a character that encoding \"$enc\" cannot represent" <<<"$out" ||
			fail "$enc: $fn did not name line 9"
	done
	out=$(q "$db" "$s" "SELECT count(*) FROM pg_class WHERE relname = '$tab'")
	[ "$out" = 1 ] || fail "$enc: the failed push changed the catalog"
}

round_trip ferriorm_enc_latin1 LATIN1 "café" "naïve" "déjà vu" "Größe in µm" '\u20AC'
round_trip ferriorm_enc_eucjp EUC_JP "顧客" "名前" "既定値" "日本語の説明" '\uD83D\uDE00'

echo "== SQL_ASCII: UTF-8 passes through unchanged"
db=ferriorm_enc_sqlascii
create_db "$db" SQL_ASCII
cat > "$WORK/s.ascii" <<'EOF'
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

/// Größe
model Thing {
  id Int @id

  @@map("café")
}
EOF
q "$db" "$WORK/s.ascii" "SELECT count(*) FROM ferriorm_push(:'s')" >/dev/null
out=$(q "$db" "$WORK/s.ascii" "SELECT encode(convert_to(relname::text, 'SQL_ASCII'), 'hex') FROM pg_class WHERE relname = 'café'")
[ "$out" = "636166c3a9" ] || fail "SQL_ASCII: the table name is not the UTF-8 bytes of café ($out)"
out=$(q "$db" "$WORK/s.ascii" "SELECT ferriorm_plan(:'s')")
[ -z "$out" ] || fail "SQL_ASCII: the plan after push is not empty"
echo "table café stored as UTF-8 bytes; plan after push: empty"
# a LATIN1 byte (0xE9) is not UTF-8: diagnosed with its line
printf 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n/// caf\xe9\nmodel Thing {\n  id Int @id\n}\n' > "$WORK/s.bad"
out=$(PGCLIENTENCODING=SQL_ASCII q "$db" "$WORK/s.bad" "SELECT line || ': ' || message FROM ferriorm_validate(:'s')")
echo "$out"
grep -q '^5: invalid UTF-8' <<<"$out" || fail "SQL_ASCII: invalid UTF-8 not diagnosed at line 5"

echo "encodings: all passed"
