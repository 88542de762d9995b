#!/usr/bin/env python3
# catcmp.py <catalog a> <catalog b> <models> <schemas> [<partitions>]:
# facts (test/prisma/catalog.sql) about tables, columns, constraints, indexes
# and enums of the pulled schemas that only one side has, leaving out the
# tables preserved.py marks PRESERVED or NOTED and their partitions and
# children ("- " original, "+ " rebuilt).  Equal by meaning: now() and
# CURRENT_TIMESTAMP, a serial and an identity column (autoincrement()), a
# unique index and the unique constraint a plan takes it for, CLUSTER's
# mark; constraint triggers are left out, as pull leaves out triggers.
import re, sys
pres = set(); allm = set()
for l in open(sys.argv[3]):
    k, t = l.rstrip('\n').split(' ', 1)
    (pres if k in ('PRESERVED', 'NOTED') else allm).add(t)
schemas = set(s.strip("'") for s in sys.argv[4].split(','))
def qi(s):
    return s if re.fullmatch(r'[a-z_][a-z0-9_$]*', s) else '"' + s.replace('"', '""') + '"'
def qa(s):
    return '"' + s.replace('"', '""') + '"'
# a keyword (user, order) is quoted by the catalog although qi() would not
# quote it: take both spellings of each preserved table
presq = set(f(t.split('.',1)[0]) + '.' + g(t.split('.',1)[1]) for t in pres
            for f in (qi, qa) for g in (qi, qa))
schq = set(qi(s) for s in schemas)
# partitions (and inheriting children) of a preserved or noted table
if len(sys.argv) > 5:
    par = dict(l.split() for l in open(sys.argv[5]) if l.strip())
    changed = True
    while changed:
        changed = False
        for ch, p in par.items():
            if p in presq and ch not in presq:
                presq.add(ch); changed = True
# every model must name a table of the original
tabs = set(re.match(r'relation (\S+) ', l).group(1) for l in open(sys.argv[1]) if l.startswith('relation '))
for t in pres | allm:
    q = qi(t.split('.',1)[0]) + '.' + qi(t.split('.',1)[1])
    if q not in tabs: print('unknown table of a model: ' + q, file=sys.stderr)
def keep(line):
    kind = line.split(' ', 1)[0]
    if kind not in ('relation', 'column', 'constraint', 'index', 'enum'): return False
    if kind == 'relation' and (' kind=v' in line or ' kind=m' in line or ' kind=f' in line): return False
    if kind == 'constraint' and ' kind=t ' in line: return False  # constraint triggers: left out like triggers
    rest = line.split(' ', 2)[1]
    # schema-qualified name: schema.rel[.x]
    m = re.match(r'((?:"(?:[^"]|"")*"|[^."]+))\.((?:"(?:[^"]|"")*"|[^. ]+))', rest)
    if not m: return True
    if m.group(1) not in schq: return False
    if m.group(1) + '.' + m.group(2) in presq: return False
    return True
def norm(l):
    # equal by meaning: now() and CURRENT_TIMESTAMP; a unique index and the
    # unique constraint a plan takes it for (the constraint line dropped, the
    # index names of partitions derived from either)
    l = l.replace('default=CURRENT_TIMESTAMP', 'default=now()')
    # CLUSTER's mark on an index is not schema (no tool states it)
    l = re.sub(r' clustered$', '', l)
    # a serial column and an identity column (autoincrement())
    l = re.sub(r" default=nextval\('[^']*'::regclass\)$", ' autoincrement', l)
    l = re.sub(r' identity=d$', ' autoincrement', l)
    if l.startswith('index '):
        l = re.sub(r'_(idx|key)( def=)', r'_*\2', l, count=1)
    return l
def load(f):
    return set(norm(l.rstrip('\n')) for l in open(f) if keep(l.rstrip('\n')) and not (l.startswith('constraint ') and ' kind=u ' in l))
a = load(sys.argv[1]); b = load(sys.argv[2])
# views' columns: drop column lines of relations that are not tables in a
rels = set(re.match(r'relation (\S+)', l).group(1) for l in a | b if l.startswith('relation '))
def isrel(l):
    if not (l.startswith('column ') or l.startswith('index ')): return True
    q = l.split(' ',2)[1]
    return any(q.startswith(r + '.') for r in rels)
for l in sorted(x for x in a - b if isrel(x)): print('- ' + l)
for l in sorted(x for x in b - a if isrel(x)): print('+ ' + l)
