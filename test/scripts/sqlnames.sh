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
    m = re.search(r"const char \*const %s\[\] = \{(.*?)\};" % name, src, re.S)
    return re.findall(r'"([^"]*)"', m.group(1))
def server(q):
    return subprocess.run(["psql", "-X", "-A", "-t", "-d", "postgres", "-c", q],
                          capture_output=True, text=True, check=True).stdout.split()
bad = 0
for name, q in [
    ("fm_sql_keywords", "SELECT word FROM pg_get_keywords() ORDER BY word COLLATE \"C\""),
    ("fm_sql_unreserved_keywords",
     "SELECT word FROM pg_get_keywords() WHERE catcode = 'U' ORDER BY word COLLATE \"C\""),
    ("fm_pg_catalog_types", "SELECT typname FROM pg_type WHERE typnamespace = "
     "'pg_catalog'::regnamespace ORDER BY typname COLLATE \"C\"")]:
    ours, theirs = array(name), server(q)
    if ours != theirs:
        bad += 1
        print("FAIL: %s differs from the server: missing %s, extra %s" % (
            name, sorted(set(theirs) - set(ours))[:20], sorted(set(ours) - set(theirs))[:20]))
    if ours != sorted(ours, key=lambda s: s.encode()):
        bad += 1
        print("FAIL: %s is not in strcmp() order" % name)
print("sqlnames: %s" % ("FAIL" if bad else "PASS (%d lists)" % 3))
sys.exit(1 if bad else 0)
PY
