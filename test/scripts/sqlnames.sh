#!/usr/bin/env bash
# The name lists of the core (src/core/sqlnames_data.c: keywords, unreserved
# keywords, pg_catalog types) must be exactly those of the running server:
# validation refuses enums a built-in type would shadow and reads CHECKs
# with them.  Needs PGHOST/PGPORT/PGUSER.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
python3 - "$ROOT/src/core/sqlnames_data.c" <<'PY'
import re, subprocess, sys
src = open(sys.argv[1]).read()
def array(name):
    m = re.search(r"const (?:char \*const|FmKeyword) %s\[\] = \{(.*?)\};" % name, src, re.S)
    return m.group(1)
def words(name):
    return re.findall(r'"([^"]*)"', array(name))
def unreserved():
    return re.findall(r'\{"([^"]*)", true\}', array("fm_sql_keywords"))
def server(q):
    return subprocess.run(["psql", "-X", "-A", "-t", "-d", "postgres", "-c", q],
                          capture_output=True, text=True, check=True).stdout.split()
bad = 0
for ours, q in [
    (words("fm_sql_keywords"), "SELECT word FROM pg_get_keywords() ORDER BY word COLLATE \"C\""),
    (unreserved(),
     "SELECT word FROM pg_get_keywords() WHERE catcode = 'U' ORDER BY word COLLATE \"C\""),
    (words("fm_pg_catalog_types"), "SELECT typname FROM pg_type WHERE typnamespace = "
     "'pg_catalog'::regnamespace ORDER BY typname COLLATE \"C\"")]:
    theirs = server(q)
    if ours != theirs:
        bad += 1
        print("FAIL: a list differs from the server (%s): missing %s, extra %s" % (
            q, sorted(set(theirs) - set(ours))[:20], sorted(set(ours) - set(theirs))[:20]))
    if ours != sorted(ours, key=lambda s: s.encode()):
        bad += 1
        print("FAIL: a list is not in strcmp() order (%s)" % q)
print("sqlnames: %s" % ("FAIL" if bad else "PASS (%d lists)" % 3))
sys.exit(1 if bad else 0)
PY
