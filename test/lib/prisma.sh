# Sourced by the Prisma oracle tests (test/scripts/prisma_oracle.sh and
# prisma_evolution.sh), not a test itself: Prisma's engines, the expected
# failures of a run and the verdict of each check.
#
#   prisma_engines           checks node (>= 20) and npm, and installs the
#                            pinned engines of $PDIR/package-lock.json with
#                            `npm ci` unless that lock file's are there
#                            already; calls the caller's die on failure.
#
# For the verdicts the caller sets ROOT and KNOWN, a file of "<name> <check> <reason>" lines
# (# comments allowed), then:
#   expected_load            reads KNOWN into known_reason;
#   result NAME CHECK ok|fail [DETAIL_FILE]
#                            counts and prints one check: "ok", or XPASS
#                            (a failure when listed: its line must go);
#                            "xfail" when it fails and is listed; FAIL
#                            otherwise, with the first DETAIL_LINES
#                            (default 20) lines of DETAIL_FILE;
#   expected_stale WHAT      counts as a failure every listed line that
#                            named no check of this run (WHAT: "schema",
#                            "case").
# passed, xfailed and unexpected hold the counts.
prisma_engines() {
	local node_major stamp
	command -v node >/dev/null || die "node is not installed (Node.js >= 20 is needed for Prisma's engines)"
	command -v npm >/dev/null || die "npm is not installed"
	node_major=$(node -p 'process.versions.node.split(".")[0]')
	[ "$node_major" -ge 20 ] || die "node $(node --version) is too old, Prisma's engines need >= 20"
	stamp=$(sha256sum "$PDIR/package-lock.json" | cut -d' ' -f1)
	if [ "$(cat "$PDIR/node_modules/.ferriorm-lock" 2>/dev/null)" != "$stamp" ]; then
		echo "== npm ci (test/prisma)"
		(cd "$PDIR" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) \
			|| die "npm ci failed in test/prisma: cannot install Prisma's pinned engines"
		echo "$stamp" > "$PDIR/node_modules/.ferriorm-lock"
	fi
}

passed=0
xfailed=0
unexpected=0
declare -A known_reason seen

expected_load() {
	local s c reason
	[ -f "$KNOWN" ] || return 0
	while read -r s c reason; do
		[[ -z "$s" || "$s" == \#* ]] && continue
		known_reason["$s $c"]=${reason:-"(no reason given)"}
	done < "$KNOWN"
}

result() {
	local key="$1 $2" detail=${4:-}
	seen["$key"]=1
	if [ "$3" = ok ]; then
		if [ -n "${known_reason[$key]+x}" ]; then
			echo "XPASS $key: passes now; delete its line from ${KNOWN#"$ROOT"/}"
			unexpected=$((unexpected + 1))
		else
			echo "ok    $key"
			passed=$((passed + 1))
		fi
	elif [ -n "${known_reason[$key]+x}" ]; then
		echo "xfail $key (${known_reason[$key]})"
		xfailed=$((xfailed + 1))
	else
		echo "FAIL  $key"
		[ -n "$detail" ] && [ -f "$detail" ] &&
			head -"${DETAIL_LINES:-20}" "$detail" | sed 's/^/      /'
		unexpected=$((unexpected + 1))
	fi
}

expected_stale() {
	local key
	for key in "${!known_reason[@]}"; do
		if [ -z "${seen[$key]+x}" ]; then
			echo "STALE $key: in ${KNOWN#"$ROOT"/}, but no such $1 or check"
			unexpected=$((unexpected + 1))
		fi
	done
}
