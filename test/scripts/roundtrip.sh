#!/usr/bin/env bash
# Round trip between the two ways the schema model is built: from schema
# text (parser + validator) and from the live catalog (introspection).
#
# For every schema of the corpus test/roundtrip/*.ferriorm, in a fresh set
# of schemas of one database:
#   (a) ferriorm_validate() reports no error;
#   (b) ferriorm_diff(NULL, s) executes;
#   (c) ferriorm_plan(s) is empty and ferriorm_plan(s, verify => true) passes;
#   (d) ferriorm_format(s) is idempotent, validates, and means the same
#       schema: ferriorm_diff(s, format(s)) and ferriorm_plan(format(s)) are
#       empty;
#   (e) ferriorm_diff(s, '') executes and leaves nothing behind; then
#       ferriorm_plan(s) from nothing builds the same catalog (columns,
#       defaults, constraints, indexes, enums, comments) as
#       ferriorm_diff(NULL, s) did, and once applied plans to nothing.
# Then transitions: generated mutations m of each corpus schema s (drop a
# field, add an optional field, make a field optional or required, change
# a type or native type, turn a text field into an enum, add/change/drop
# defaults, add/remove/reorder enum values, add/remove indexes, uniques and
# checks, change an index type, a check or a referential action, turn an
# @id into a composite @@id, rename a
# map, add/drop doc comments), and pairs of corpus schemas that share a
# datasource block (one whole schema replaced by another).  Each valid
# pair (m can be created from nothing) goes m -> s -> m with the live plan
# (ferriorm_plan(s, verify => true) first), then m -> s -> m with the
# offline ferriorm_diff(), each step followed by an empty plan.
#
# test/roundtrip/known_failures lists failures that are known (and
# explained there): they are reported as "xfail" and do not fail the run;
# "xpass" tells that one now passes.
#
# Needs PGHOST/PGPORT/PGUSER; works in its own database.  For debugging:
# RT_FILTER=regex restricts the corpus, RT_MAXK=n tries n application
# points per mutation kind (default 2), RT_VERBOSE_SKIP=1 RT_MESSAGES=warning
# tells why mutants are skipped.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CORPUS=$ROOT/test/roundtrip
DB=ferriorm_roundtrip
FILTER=${RT_FILTER:-.}
. "$ROOT/test/lib/scratch.sh"
scratch_begin roundtrip
scratch_tool_db "$CORPUS/rt_tool.sql" || exit 1

# psql script: one report line per case; $1 = name, $2 = file (a), or
# $2/$3 = files (transition)
# known failures: test/roundtrip/known_failures, "<case> <regex>"
emit_known() {
	printf '\\set known `awk -v n=%s '"'"'$1 == n { sub(/^[^ \\t]+[ \\t]+/, ""); print; exit }'"'"' %s`\n' \
		"$1" "$CORPUS/known_failures"
}
emit_check() {
	printf '\\set name %s\n\\set s `cat %s`\n' "$1" "$2"
	emit_known "$1"
	printf "SELECT rt_tool.report(:'name', ARRAY(SELECT rt_tool.check(:'s')), nullif(:'known', ''));\n"
}
emit_transition() {
	printf '\\set name %s\n\\set a `cat %s`\n\\set b `cat %s`\n' "$1" "$2" "$3"
	emit_known "$1"
	printf "SELECT rt_tool.report(:'name', ARRAY(SELECT rt_tool.transition(:'a', :'b')), nullif(:'known', ''));\n"
}

# mutate FILE OP K: the K-th (1-based) application point of OP in FILE;
# prints nothing when there is no such point
mutate() {
	awk -v op="$2" -v k="$3" '
	function emit(l) { out = out l "\n" }
	function snake(s,   r, i, ch) {
		r = ""
		for (i = 1; i <= length(s); i++) {
			ch = substr(s, i, 1)
			if (i > 1 && ch ~ /[A-Z]/) r = r "_"
			r = r tolower(ch)
		}
		return r
	}
	BEGIN { n = 0; blk = ""; done = 0 }
	{
		line = $0
		if (blk == "" && line ~ /^[ \t]*(model|enum)[ \t]+[^ \t]+[ \t]*\{/) {
			split(line, w, /[ \t]+/); blk = (w[1] == "" ? w[2] : w[1])
			if (blk == "enum" && firstenum == "") { firstenum = (w[1] == "" ? w[3] : w[2]); sub(/\{.*/, "", firstenum) }
			emit(line)
			if (blk == "model" && op == "addfield" && ++n == k) { emit("  rtExtra String?"); done = 1 }
			if (blk == "enum" && op == "enumfirst" && ++n == k) { emit("  RtFirst"); done = 1 }
			first = ""; second = ""; nf = 0; held = ""; swapped = 0
			next
		}
		if (blk != "" && line ~ /^[ \t]*\}/) {
			if (blk == "enum" && op == "enumlast" && ++n == k) { emit("  RtLast"); done = 1 }
			if (blk == "model" && op == "addindex" && second != "" && ++n == k) { emit("  @@index([" second ", " first "(sort: Desc)])"); done = 1 }
			if (blk == "model" && op == "addunique" && second != "" && ++n == k) { emit("  @@unique([" second "])"); done = 1 }
			if (pendid) { emit("  @@id([" first (second != "" ? ", " second : "") "])"); pendid = 0 }
			if (blk == "model" && op == "addcheck" && first != "" && ++n == k) { emit("  @@check(\"" firstcol " IS NOT NULL\", map: \"rt_check\")"); done = 1 }
			blk = ""; emit(line); next
		}
		isfield = (blk == "model" && line ~ /^[ \t]*[A-Za-z_][A-Za-z_0-9]*[ \t]+[A-Za-z_]/)
		if (isfield) {
			split(line, w, /[ \t]+/); fname = (w[1] == "" ? w[2] : w[1]); ftype = (w[1] == "" ? w[3] : w[2])
			if (ftype ~ /^(String|Int|BigInt|Float|Decimal|Boolean|DateTime|Json|Bytes)$/) {
				nf++
				if (nf == 1) { first = fname; firstcol = "\\\"" snake(fname) "\\\""
					if (match(line, /@map\("[^"]*"\)/)) firstcol = "\\\"" substr(line, RSTART + 6, RLENGTH - 8) "\\\"" }
				if (nf == 2) second = fname
			}
		}
		if (op == "dropfield" && isfield && ++n == k) { done = 1; next }
		if (op == "optional" && isfield && ftype ~ /^[A-Za-z]+$/ && ++n == k) { sub(ftype, ftype "?", line); done = 1 }
		if (op == "retype" && isfield && ftype ~ /^(Int|BigInt|String|Float)\??$/ && ++n == k) {
			t = ftype; sub(/\?$/, "", t)
			nt = (t == "Int" ? "BigInt" : t == "BigInt" ? "Int" : t == "Float" ? "Decimal" : "Int")
			sub(t, nt, line); done = 1 }
		if (op == "dropenumval" && blk == "enum" && line ~ /^[ \t]*[A-Za-z_]/ && ++n == k) { done = 1; next }
		if (op == "dropblockattr" && line ~ /^[ \t]*@@(index|unique|check)/ && ++n == k) { done = 1; next }
		if (op == "dropunique" && isfield && line ~ /@unique/ && ++n == k) { sub(/@unique(\([^)]*\))?/, "", line); done = 1 }
		if (op == "required" && isfield && ftype ~ /^[A-Za-z]+\?$/ && ++n == k) { sub(/\?/, "", line); done = 1 }
		if (op == "setdefault" && isfield && ftype ~ /^(Int|BigInt|Float|Decimal)\??$/ && line !~ /@(id|default|relation)/ && ++n == k) { line = line " @default(7)"; done = 1 }
		if (op == "changedefault" && line ~ /@default\((-?[0-9]|true|false|"[^"]*")/ && ++n == k) {
			if (!sub(/@default\(true\)/, "@default(false)", line) && !sub(/@default\(false\)/, "@default(true)", line) &&
			    !sub(/@default\("/, "@default(\"rt ", line)) sub(/@default\(/, "@default(1", line)
			done = 1 }
		if (op == "dropdefault" && line ~ /@default\(/ && ++n == k) { sub(/@default\(([^()"]|"([^"\\]|\\.)*"|\([^()]*\))*\)/, "", line); done = 1 }
		if (op == "widen" && line ~ /@db\.(VarChar|Char|Decimal|Bit|VarBit|Timestamp|Timestamptz|Time)\([0-9]/ && ++n == k) {
			match(line, /@db\.[A-Za-z]+\([0-9]+/); pre = substr(line, 1, RSTART - 1); m = substr(line, RSTART, RLENGTH); rest = substr(line, RSTART + RLENGTH)
			match(m, /[0-9]+$/); num = substr(m, RSTART) + 0; nn = (m ~ /Time/ ? (num > 3 ? num - 3 : num + 3) : num + 5)
			line = pre substr(m, 1, RSTART - 1) nn rest; done = 1 }
		if (op == "nativetype" && isfield && ftype ~ /^String\??$/ && line !~ /@db\.|@id|@relation|uuid\(\)/ && ++n == k) { line = line " @db.VarChar(200)"; done = 1 }
		if (op == "action" && line ~ /on(Delete|Update): / && ++n == k) {
			if (!sub(/: Cascade/, ": NoAction", line)) sub(/on(Delete|Update): [A-Za-z]+/, "onDelete: Cascade", line)
			done = 1 }
		if (op == "checkedit" && line ~ /@@check\("/ && ++n == k) { sub(/@@check\("/, "@@check(\"1 = 1 AND ", line); done = 1 }
		if (op == "indextype" && line ~ /@@index\(\[/ && line !~ /type:|sort:|where:/ && ++n == k) { sub(/\]/, "], type: Hash", line); done = 1 }
		if (op == "dropdoc" && line ~ /^[ \t]*\/\/\// && ++n == k) { done = 1; next }
		if (op == "adddoc" && (isfield || line ~ /^[ \t]*(model|enum)[ \t]/) && ++n == k) { emit("/// rt\047s \"doc\" comment"); done = 1 }
		if (op == "enumswap" && blk == "enum" && line ~ /^[ \t]*[A-Za-z_]/ && !swapped) {
			if (held == "") { held = line; next }
			emit(line); line = held; swapped = 1; if (++n == k) done = 1 }
		if (op == "toenum" && isfield && firstenum != "" && ftype ~ /^String\??$/ && line !~ /@(id|default|db\.|relation)/ && ++n == k) {
			sub(/String/, firstenum, line); done = 1 }
		if (op == "compositeid" && isfield && line ~ /@id/ && line !~ /@default\(autoincrement/ && ++n == k) {
			sub(/@id(\([^)]*\))?/, "", line); pendid = 1; done = 1 }
		if (op == "renamemap" && line ~ /map(: |\()"/ && ++n == k) { sub(/map\("/, "map(\"rt_", line) || sub(/map: "/, "map: \"rt_", line); done = 1 }
		emit(line)
	}
	END { if (done) printf "%s", out }
	' "$1"
}

OPS="dropfield addfield optional required retype setdefault changedefault dropdefault widen nativetype
	toenum enumfirst enumlast dropenumval enumswap addindex addunique addcheck dropblockattr dropunique indextype
	checkedit action compositeid renamemap adddoc dropdoc"
MAXK=${RT_MAXK:-2}

{
	echo "SET client_min_messages = ${RT_MESSAGES:-error};"
	[ -n "${RT_VERBOSE_SKIP:-}" ] && echo "SET rt.verbose_skip = on;"
	for f in "$CORPUS"/*.ferriorm; do
		name=$(basename "$f" .ferriorm)
		[[ $name =~ $FILTER ]] || continue
		emit_check "$name" "$f"
	done
	for f in "$CORPUS"/*.ferriorm; do
		name=$(basename "$f" .ferriorm)
		[[ $name =~ $FILTER ]] || continue
		for op in $OPS; do
			for k in $(seq 1 "$MAXK"); do
				m="$WORK/$name.$op.$k"
				mutate "$f" "$op" "$k" > "$m"
				[ -s "$m" ] || break
				emit_transition "$name~$op.$k" "$f" "$m"
			done
		done
	done
	# consecutive corpus schemas with the same datasource block: one
	# whole schema replaced by another
	prev_ds=""; prev=""
	for f in $(for g in "$CORPUS"/*.ferriorm; do
			printf '%s %s\n' "$(awk '/^datasource/,/^}/' "$g" | cksum | cut -d' ' -f1)" "$g"
		done | sort | awk '{print $1 "=" $2}'); do
		ds=${f%%=*}; f=${f#*=}
		name=$(basename "$f" .ferriorm)
		[[ $name =~ $FILTER ]] || continue
		if [ "$ds" = "$prev_ds" ]; then
			emit_transition "$(basename "$prev" .ferriorm)~$name" "$prev" "$f"
		fi
		prev_ds=$ds; prev=$f
	done
} > "$WORK/run.psql"

started=$(date +%s)
psql -X -q -At -f "$WORK/run.psql" > "$WORK/out" 2>&1
rc=$?
elapsed=$(( $(date +%s) - started ))
cat "$WORK/out"
schemas_ok=$(grep -c '^ok   [^~]*$' "$WORK/out")
schemas_bad=$(grep -c '^FAIL [^~]*$' "$WORK/out")
trans_ok=$(grep -c '^ok   .*~' "$WORK/out")
trans_bad=$(grep -c '^FAIL .*~' "$WORK/out")
trans_skip=$(grep -c '^skip ' "$WORK/out")
xfail=$(grep -c '^xfail ' "$WORK/out")
xpass=$(grep -c '^xpass ' "$WORK/out")
other=$(grep -cE 'ERROR:|FATAL:|PANIC:|server closed|connection to server' "$WORK/out")
echo "schemas: $schemas_ok ok, $schemas_bad failed; transitions: $trans_ok ok, $trans_bad failed, $trans_skip skipped (mutants that are no valid schema)"
echo "known failures (test/roundtrip/known_failures): $xfail still failing, $xpass now passing"
echo "checked in ${elapsed}s"
if [ $rc -ne 0 ] || [ "$schemas_bad" -gt 0 ] || [ "$trans_bad" -gt 0 ] || [ "$other" -gt 0 ]; then
	echo "roundtrip: FAIL"
	exit 1
fi
echo "roundtrip: PASS"
