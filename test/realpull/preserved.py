#!/usr/bin/env python3
# preserved.py <pulled text> <dialect> [<default schema>]: a line per model
# of the text, "PRESERVED schema.table" for a model with a /// @preserve
# line, "NOTED schema.table" for one with the prisma dialect's "// not
# stated in the prisma dialect" notes, "ALL schema.table" otherwise.  The
# table is the @@map, or the model name the dialect's naming gives back
# (ferriorm: snake_case plus "s"; names that need quoting may come out
# wrong, which catcmp.py reports).
import re, sys
text = open(sys.argv[1]).read()
dialect = sys.argv[2]
default_schema = sys.argv[3] if len(sys.argv) > 3 else 'public'
lines = text.split('\n')
pending = []
i = 0
while i < len(lines):
    l = lines[i]
    m = re.match(r'\s*model\s+(\w+)\s*\{', l)
    if m:
        name = m.group(1); schema = default_schema
        if dialect == 'ferriorm':
            sn = re.sub(r'(?<=[a-z0-9])([A-Z])', r'_\1', name)
            sn = re.sub(r'(?<=[A-Z])([A-Z][a-z])', r'_\1', sn)
            table = sn.lower() + 's'
        else:
            table = name
        body = []
        i += 1
        while i < len(lines) and not re.match(r'\s*\}', lines[i]):
            body.append(lines[i]); i += 1
        for b in body:
            mm = re.match(r'\s*@@map\("((?:[^"\\]|\\.)*)"\)', b)
            if mm: table = mm.group(1).encode().decode('unicode_escape')
            ms = re.match(r'\s*@@schema\("((?:[^"\\]|\\.)*)"\)', b)
            if ms: schema = ms.group(1)
        pres = any('@preserve' in p for p in pending) or any(re.match(r'\s*//\s*@@ignore:', b) for b in body)
        noted = any(p.strip().startswith('// not stated in the prisma dialect') for p in pending)
        print(('PRESERVED ' if pres else 'NOTED ' if noted else 'ALL ') + schema + '.' + table)
        pending = []
    elif l.strip().startswith('///') or l.strip().startswith('//'):
        pending.append(l)
    elif l.strip() == '':
        pass
    else:
        pending = []
    i += 1
