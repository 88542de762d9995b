#!/usr/bin/env python3
# strip_rejected.py <in> <out>: remove the lines Prisma's validator rejects
# (repeatedly), so that same-models can compare the rest; prints what went
import json, os, re, subprocess, sys
WT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'prisma')
lines = open(sys.argv[1]).read().split('\n')
removed = []
for _ in range(6):
    open(sys.argv[2], 'w').write('\n'.join(lines))
    r = json.loads(subprocess.run(['node', 'oracle.mjs', 'validate', sys.argv[2]], cwd=WT, capture_output=True, text=True).stdout)
    if r['accepted']: break
    bad = sorted(set(int(m) for m in re.findall(r'schema\.prisma:(\d+)', r['message'])), reverse=True)
    if not bad: print('cannot strip: ' + r['message'][:300]); break
    for b in bad:
        removed.append(lines[b-1].strip()); lines[b-1] = ''
for x in removed: print('stripped: ' + x[:160])
