#!/usr/bin/env bash
# Code shape, as issue 13 and docs/architecture.md ask of every C file:
#   - no source file over FM_SHAPE_MAX_FILE lines (default 1200);
#   - no function over FM_SHAPE_MAX_FUNC lines (default 120) without a
#     header comment directly above it (its contract);
#   - no #include by relative path ("../"): include paths come from the
#     Makefiles.
# Source files: src/core, src/backend, test/unit and test/fuzz, *.c and *.h,
# of this checkout (or of FM_SHAPE_ROOT: test/scripts/check_shape.sh).
#
#   scripts/check_shape.sh            check; exits 1 on a violation
#   scripts/check_shape.sh --list [N] list every function of N lines or
#                                     more (default 1) without a header
#                                     comment, longest first; exits 0
#
# A function is a definition in PostgreSQL layout: its name at column 0
# followed by "(", its body between a "{" and a "}" at column 0.  Its
# header comment is a comment ending ("*/") on the line just above the
# return type (or above the name when the type shares its line).
set -euo pipefail

ROOT=${FM_SHAPE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$ROOT"
MAX_FILE=${FM_SHAPE_MAX_FILE:-1200}
MAX_FUNC=${FM_SHAPE_MAX_FUNC:-120}
mode=check
min=1
if [ "${1:-}" = "--list" ]; then
	mode=list
	min=${2:-1}
fi

mapfile -t files < <(find src/core src/backend test/unit test/fuzz \
	-maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort)

# file<TAB>line<TAB>length<TAB>has_comment<TAB>name, one row per function
functions() {
	awk '
	FNR == 1 { nprev = 0; infunc = 0 }
	{
		line = $0
		if (!infunc && line ~ /^[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/ && line !~ /;[ \t]*$/) {
			name = line; sub(/[ \t]*\(.*/, "", name)
			start = FNR
			# the return type: non-blank lines above that close nothing
			k = nprev
			while (k > 0 && prev[k] !~ /^[ \t]*$/ && prev[k] !~ /(\*\/|;|\}|\{)[ \t]*$/ &&
				   prev[k] !~ /^#/ && nprev - k < 3)
				k--
			has = (k > 0 && prev[k] ~ /\*\/[ \t]*$/) ? 1 : 0
			cand = 1
		}
		if (cand && !infunc && line ~ /^\{/) { infunc = 1; cand = 0 }
		else if (cand && !infunc && line ~ /;[ \t]*$/ && line !~ /^[ \t]/) cand = 0
		if (infunc && line ~ /^\}/) {
			infunc = 0
			printf "%s\t%d\t%d\t%d\t%s\n", FILENAME, start, FNR - start + 1, has, name
		}
		if (!infunc) {
			nprev++; prev[nprev] = line
		}
	}' "$@"
}

bad=0
if [ "$mode" = list ]; then
	functions "${files[@]}" | awk -F'\t' -v min="$min" '$4 == 0 && $3 >= min' |
		sort -t$'\t' -k3,3nr | awk -F'\t' '{ printf "%5d  %s:%d  %s\n", $3, $1, $2, $5 }'
	exit 0
fi

for f in "${files[@]}"; do
	n=$(wc -l < "$f")
	if [ "$n" -gt "$MAX_FILE" ]; then
		echo "$f: $n lines (more than $MAX_FILE): split it by responsibility"
		bad=1
	fi
done
if grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\.*/' "${files[@]}"; then
	echo "includes by relative path: use the include paths of the Makefiles"
	bad=1
fi
while IFS=$'\t' read -r f line len has name; do
	if [ "$has" = 0 ] && [ "$len" -gt "$MAX_FUNC" ]; then
		echo "$f:$line: $name() is $len lines (more than $MAX_FUNC) and has no header comment stating its contract"
		bad=1
	fi
done < <(functions "${files[@]}")

nfunc=$(functions "${files[@]}" | wc -l)
ncomm=$(functions "${files[@]}" | awk -F'\t' '$4 == 1' | wc -l)
if [ "$bad" -ne 0 ]; then
	echo "code shape: FAILED"
	exit 1
fi
echo "code shape: ${#files[@]} files, $nfunc functions ($ncomm with a header comment): ok"
