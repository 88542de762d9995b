#!/usr/bin/env bash
# Every schema example in the documentation (README.md and docs/*.md, each
# ```prisma block, and the schema files of examples/) is valid: ferriorm_validate reports no error for it.  A
# block without a datasource is an excerpt and is checked with a minimal
# one put before it; an excerpt must otherwise be whole (every model it
# names defined, every block closed), so that a reader who copies it gets a
# schema that works.  Needs PGHOST/PGPORT/PGUSER (scripts/test.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DB=fm_docs_examples
PGOPTIONS="-c client_min_messages=warning" psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
psql -X -q -d "$DB" -c "CREATE EXTENSION ferriorm"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true' EXIT

python3 - "$ROOT" "$DB" <<'PY'
import glob, os, re, subprocess, sys
root, db = sys.argv[1], sys.argv[2]
DS = 'datasource db {\n  provider = "postgresql"\n}\n\n'
n = bad = 0

def check(where, schema):
    """validate schema; a failure (any error diagnostic) is printed with where"""
    global n, bad
    n += 1
    r = subprocess.run(
        ["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-v", "t=" + schema, "-d", db],
        input="SELECT line || ':' || col || ' ' || message FROM ferriorm_validate(:'t') "
              "WHERE severity = 'error';\n",
        capture_output=True, text=True)
    errs = (r.stdout + r.stderr).strip()
    if r.returncode != 0 or errs:
        bad += 1
        print("FAIL: %s: the example is not valid:\n  %s" % (where, errs.replace("\n", "\n  ")))

docs = [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "docs", "*.md")))
for doc in docs:
    text = open(doc, encoding="utf-8").read()
    # a fence may be indented (inside a list item): strip the indent
    for m in re.finditer(r'^([ \t]*)```prisma\n(.*?)^\1```', text, re.S | re.M):
        indent, body = m.group(1), m.group(2)
        body = "".join(l[len(indent):] if l.startswith(indent) else l
                       for l in body.splitlines(True))
        if not re.search(r'^\s*datasource\s', body, re.M):
            body = DS + body
        check("%s:%d" % (os.path.relpath(doc, root), text[:m.start()].count("\n") + 1), body)
for path in sorted(glob.glob(os.path.join(root, "examples", "*.ferriorm")) +
                   glob.glob(os.path.join(root, "examples", "*.prisma"))):
    check(os.path.relpath(path, root), open(path, encoding="utf-8").read())
if n == 0:
    bad += 1
    print("FAIL: no schema example found in the documentation")
print("docs_examples: %s (%d examples)" % ("FAIL" if bad else "PASS", n))
sys.exit(1 if bad else 0)
PY
