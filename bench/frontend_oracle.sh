#!/usr/bin/env bash
# Does the front end of this checkout decide exactly what the front end of
# revision BASE decided?  Builds bench/frontend_oracle.c against both trees,
# runs both on one corpus and compares the dumps byte for byte.
#
#   bash bench/frontend_oracle.sh BASE [WORKDIR]
#
# The corpus (in WORKDIR, default /tmp/ferriorm-oracle): every schema text
# in a dollar-quoted literal of sql/*.sql, every .prisma and .ferriorm file
# under test/ (node_modules aside) and the fuzzers' seed corpus; then, with
# a fixed seed, 6 line-level mutants of each (a line deleted, repeated,
# moved, a character cut or inserted) and 25 byte-level ones (line ends
# \r, \r\n; \f, \v, tabs, no-break spaces, a byte order mark, NUL and
# invalid UTF-8; quotes, comments, brackets, "@@", "-"): most of them
# are errors, which is where diagnostics live.  Needs python3 and a C
# compiler; no server.  Prints the counts and "identical", or the first
# differences and exits 1.
set -euo pipefail

BASE=${1:?usage: frontend_oracle.sh BASE [WORKDIR]}
W=${2:-/tmp/ferriorm-oracle}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CC=${CC:-gcc}

rm -rf "$W"
mkdir -p "$W/base" "$W/corpus"
git -C "$ROOT" archive "$BASE" src/core | tar -x -C "$W/base"
$CC -O1 -I"$W/base/src/core" "$ROOT/bench/frontend_oracle.c" "$W"/base/src/core/*.c \
	-o "$W/oracle_base"
$CC -O1 -I"$ROOT/src/core" "$ROOT/bench/frontend_oracle.c" "$ROOT"/src/core/*.c \
	-o "$W/oracle_new"

cd "$ROOT"
python3 - "$W/corpus" > "$W/list" <<'PY'
import glob, os, random, re, sys

out = sys.argv[1]
srcs = []
for f in sorted(glob.glob('sql/*.sql')):
    t = open(f, encoding='utf-8', errors='surrogateescape').read()
    for m in re.finditer(r'\$([A-Za-z_]*)\$(.*?)\$\1\$', t, re.S):
        body = m.group(2)
        if re.search(r'\b(model|enum|datasource|generator|view|type)\b\s*\w*\s*\{', body):
            srcs.append(body.encode('utf-8', 'surrogateescape'))
for f in sorted(glob.glob('test/**/*', recursive=True)):
    if 'node_modules' in f or not os.path.isfile(f):
        continue
    if f.endswith(('.prisma', '.ferriorm')) or f.startswith('test/fuzz/corpus/'):
        srcs.append(open(f, 'rb').read())
srcs = list(dict.fromkeys(srcs))
rnd = random.Random(42)
inserts = [b'\r', b'\r\n', b'\f', b'\v', b'\t', b' ', b'-', b'\xc3\xa9',
           b'\xe2\x80\xaf', b'\xc2\xa0', b'@', b'@@', b'1', b'9e', b'"', b'/',
           b'//', b'/*', b'*/', b'\\', b'_', b'\n', b'\n\n', b'{', b'}', b'(',
           b')', b'[', b']', b'?', b'.', b',', b':', b'=', b'\x00', b'\xff',
           b'\xef\xbb\xbf', b'a-b', b'x', b'Z9']
names = []

def put(name, data):
    path = os.path.join(out, name)
    with open(path, 'wb') as f:
        f.write(data)
    names.append(path)

for i, s in enumerate(srcs):
    put('s%05d' % i, s)
    lines = s.split(b'\n')
    for k in range(6):
        ls = list(lines)
        j = rnd.randrange(len(ls))
        op = rnd.randrange(5)
        if op == 0:
            del ls[j]
        elif op == 1:
            ls.insert(j, ls[rnd.randrange(len(ls))])
        elif op == 2 and ls[j]:
            c = rnd.randrange(len(ls[j]))
            ls[j] = ls[j][:c] + ls[j][c + 1:]
        elif op == 3:
            c = rnd.randrange(len(ls[j]) + 1)
            ls[j] = ls[j][:c] + bytes([rnd.choice(b'{}()[]@",:=?.x1 ')]) + ls[j][c:]
        else:
            a = rnd.randrange(len(ls))
            ls[a], ls[j] = ls[j], ls[a]
        put('s%05d_l%d' % (i, k), b'\n'.join(ls))
    for k in range(25):
        b = bytearray(s)
        for _ in range(rnd.randint(1, 4)):
            op = rnd.randrange(4)
            pos = rnd.randrange(len(b) + 1)
            if op <= 1:
                b[pos:pos] = rnd.choice(inserts)
            elif op == 2 and b:
                del b[pos:pos + rnd.randint(1, 6)]
            else:
                j = b.find(b' ', pos)
                if j >= 0:
                    b[j:j + 1] = rnd.choice([b'\t', b'\r', b'\f', b'\v', b'  ', b'\xc2\xa0'])
        put('s%05d_b%02d' % (i, k), bytes(b))
print('\n'.join(names))
PY

"$W/oracle_base" < "$W/list" > "$W/dump_base"
"$W/oracle_new" < "$W/list" > "$W/dump_new"
echo "frontend_oracle: $(wc -l < "$W/list") texts, 3 dialects each;" \
	"$(grep -c '^  0 ' "$W/dump_base" || true) errors and" \
	"$(grep -c '^-- script' "$W/dump_base" || true) models in BASE's dump"
if cmp -s "$W/dump_base" "$W/dump_new"; then
	echo "frontend_oracle: identical to $BASE"
else
	echo "frontend_oracle: DIFFERENT from $BASE:"
	diff "$W/dump_base" "$W/dump_new" | head -40
	exit 1
fi
