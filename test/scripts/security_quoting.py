#!/usr/bin/env python3
"""Security property test of rendering (driven by security_quoting.sh).

Names and literals from a hostile alphabet (quotes, backslashes, $$, ;, --,
/* */, newlines, Unicode, 63-byte names, reserved words, names of built-in
types and functions, SQL that tries to drop a victim table) in every position
the schema language allows: schema, table, column, enum type and label,
primary key, unique, index, check and foreign key names, string defaults,
doc comments, a quoted operator class, and quoted names inside a CHECK.

For every generated schema, under standard_conforming_strings on and off:
  1. ferriorm_push(s, allow_data_loss => true) on a database holding a victim
     table outside the managed schema;
  2. the catalog (namespaces, relations with owner and ACL, columns, non-array
     types, functions, constraints, enum labels, comments, roles, databases,
     the victim's rows) differs from before by exactly the intended objects,
     computed here from the generator's names, and nothing was removed;
  3. every default, inserted with DEFAULT VALUES, reads back as the intended
     string; ferriorm_plan(s) is empty;
  4. pushing the schema with no models restores the catalog as it was, but
     for the managed schema itself.
Texts that put SQL where a name must be (an operator class) must be refused
by validation, with the catalog unchanged.

Usage: security_quoting.py CASES SEED (PG* environment variables set).
Exits non-zero on the first failure, printing the schema text.
"""
import json
import random
import subprocess
import sys

DB = "ferriorm_secprop"
VICTIM = "sec_victim"

PIECES = [
    '"', "'", "\\", "$$", "$1", ";", "--", "/*", "*/", "\n", "\t", " ", "(", ")",
    "é", "Ω", "😀", "\u202e", "ß", "select", "TABLE", "user", "int4", "text",
    "interval", "now()", "pg_sleep(10)", "current_user", "NULL",
    "\"; DROP TABLE sec_victim.t; --", "'; DROP TABLE sec_victim.t; --",
    "$$; DROP TABLE sec_victim.t; $$", "\\'; DROP TABLE sec_victim.t; --",
    "*/ DROP TABLE sec_victim.t; /*", "E'\\\\'", "\"\"", "''", "U&\"\\0041\"",
    "\r", "--\r; DROP TABLE sec_victim.t; --",
]


def psql(sql, db=DB, check=True):
    r = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                        "-d", db, "-c", sql], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("psql failed: %s\n%s" % (sql[:2000], r.stderr))
    return r


def lit(s):
    """s as an SQL literal, right under either standard_conforming_strings."""
    return "E'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def ident(s):
    return '"' + s.replace('"', '""') + '"'


def fstr(s):
    """s as a string of the schema language."""
    return json.dumps(s, ensure_ascii=False)


def clip63(s):
    b = s.encode()
    if len(b) <= 63:
        return s
    b = b[:63]
    while True:
        try:
            return b.decode()
        except UnicodeDecodeError:
            b = b[:-1]


class Gen:
    def __init__(self, rnd):
        self.rnd = rnd
        self.n = 0

    def text(self, k=3):
        return "".join(self.rnd.choice(PIECES) for _ in range(self.rnd.randint(1, k)))

    def doc(self):
        """one line of a doc comment (kept whole: no new line, no edge blanks)"""
        return "<" + self.text().replace("\n", " ").replace("\r", " ") + ">"

    def name(self):
        """a unique hostile name of at most 63 bytes; sometimes exactly 63"""
        self.n += 1
        tag = "n%d" % self.n
        s = clip63(self.text() + tag)
        if not s.endswith(tag):
            s = clip63(tag + self.text())
        if self.rnd.random() < 0.2:
            while len(s.encode()) < 63:
                s += self.rnd.choice(["x", "é", "'", '"', "\\"])
            s = clip63(s)
        return s


def generate(rnd):
    g = Gen(rnd)
    schema = g.name()
    while schema.lower().startswith("pg_"):
        schema = g.name()
    e = {"type": g.name(), "labels": [g.name() for _ in range(rnd.randint(1, 3))],
         "doc": g.doc()}
    a = {"table": g.name(), "pk": g.name(), "uq": g.name(), "ix": g.name(),
         "ix2": g.name(), "ck": g.name(), "doc": g.doc(),
         "cols": {k: g.name() for k in ("id", "s", "u", "k", "m")},
         "defaults": {k: g.text(5) for k in ("id", "s", "u", "m")},
         "coldoc": g.doc()}
    b = {"table": g.name(), "pk": g.name(), "fk": g.name(),
         "cols": {k: g.name() for k in ("id", "ref")},
         "defaults": {"id": g.text(5)}}
    ck = "%s IS NOT NULL AND %s <> %s" % (ident(a["cols"]["s"]), ident(a["cols"]["u"]),
                                          lit(g.text()))
    L = []
    L.append('datasource db {\n  provider = "postgresql"\n  url = env("X")\n'
             '  schemas = [%s]\n}\n' % fstr(schema))
    L.append("/// %s\nenum E {\n" % e["doc"])
    for i, lab in enumerate(e["labels"]):
        L.append("  v%d @map(%s)\n" % (i, fstr(lab)))
    L.append("  @@map(%s)\n  @@schema(%s)\n}\n" % (fstr(e["type"]), fstr(schema)))
    c, d = a["cols"], a["defaults"]
    L.append("/// %s\nmodel A {\n" % a["doc"])
    L.append("  id String @id(map: %s) @default(%s) @map(%s)\n" % (fstr(a["pk"]), fstr(d["id"]), fstr(c["id"])))
    L.append("  /// %s\n" % a["coldoc"])
    L.append("  s String @default(%s) @map(%s)\n" % (fstr(d["s"]), fstr(c["s"])))
    L.append("  u String @default(%s) @map(%s)\n" % (fstr(d["u"]), fstr(c["u"])))
    L.append("  k E @default(v0) @map(%s)\n" % fstr(c["k"]))
    L.append("  m String? @default(%s) @map(%s)\n" % (fstr(d["m"]), fstr(c["m"])))
    L.append("  bs B[]\n")
    L.append("  @@unique([u], map: %s)\n" % fstr(a["uq"]))
    L.append("  @@index([s, k], map: %s)\n" % fstr(a["ix"]))
    L.append("  @@index([u(ops: raw(%s))], map: %s)\n" % (fstr('pg_catalog."text_pattern_ops"'), fstr(a["ix2"])))
    L.append("  @@check(%s, map: %s)\n" % (fstr(ck), fstr(a["ck"])))
    L.append("  @@map(%s)\n  @@schema(%s)\n}\n" % (fstr(a["table"]), fstr(schema)))
    c2 = b["cols"]
    L.append("model B {\n")
    L.append("  id String @id(map: %s) @default(%s) @map(%s)\n" % (fstr(b["pk"]), fstr(b["defaults"]["id"]), fstr(c2["id"])))
    L.append("  ref String? @map(%s)\n" % fstr(c2["ref"]))
    L.append("  a A? @relation(fields: [ref], references: [id], map: %s)\n" % fstr(b["fk"]))
    L.append("  @@map(%s)\n  @@schema(%s)\n}\n" % (fstr(b["table"]), fstr(schema)))
    text = "".join(L)

    exp = set()
    exp.add("ns:" + schema)
    exp.add("type:%s.%s" % (schema, e["type"]))
    exp.add("desc:pg_type:%s.%s:%s" % (schema, e["type"], e["doc"]))
    for lab in e["labels"]:
        exp.add("enum:%s.%s:%s" % (schema, e["type"], lab))
    for t, pk in ((a, a["pk"]), (b, b["pk"])):
        exp.add("rel:%s.%s:r" % (schema, t["table"]))
        exp.add("type:%s.%s" % (schema, t["table"]))
        exp.add("rel:%s.%s:i" % (schema, pk))
        exp.add("con:%s.%s.%s:p" % (schema, t["table"], pk))
    for k, v in a["cols"].items():
        typ = "%s.%s" % (schema, e["type"]) if k == "k" else "pg_catalog.text"
        exp.add("att:%s.%s.%s:%s:%s" % (schema, a["table"], v, typ, "false" if k == "m" else "true"))
    for k, v in b["cols"].items():
        exp.add("att:%s.%s.%s:pg_catalog.text:%s" % (schema, b["table"], v, "true" if k == "id" else "false"))
    exp.add("rel:%s.%s:i" % (schema, a["uq"]))
    exp.add("con:%s.%s.%s:u" % (schema, a["table"], a["uq"]))
    exp.add("rel:%s.%s:i" % (schema, a["ix"]))
    exp.add("rel:%s.%s:i" % (schema, a["ix2"]))
    exp.add("con:%s.%s.%s:c" % (schema, a["table"], a["ck"]))
    exp.add("con:%s.%s.%s:f" % (schema, b["table"], b["fk"]))
    exp.add("desc:pg_class:%s.%s:%s" % (schema, a["table"], a["doc"]))
    exp.add("desc:pg_class:%s.%s.%s:%s" % (schema, a["table"], a["cols"]["s"], a["coldoc"]))
    values = {
        a["table"]: {c[k]: d[k] for k in ("id", "s", "u", "m")} | {c["k"]: e["labels"][0]},
        b["table"]: {c2["id"]: b["defaults"]["id"], c2["ref"]: None},
    }
    return text, schema, exp, values


SNAP = """
CREATE FUNCTION %(v)s.snap() RETURNS SETOF text LANGUAGE sql AS $f$
  WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname !~ '^pg_(toast|temp)')
  SELECT 'ns:' || nspname FROM ns
  UNION ALL
  SELECT 'rel:' || ns.nspname || '.' || c.relname || ':' || c.relkind::text
    || CASE WHEN c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
            AND c.relacl IS NULL THEN '' ELSE ':' || c.relowner || ':' || coalesce(c.relacl::text, '') END
    FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
  UNION ALL
  SELECT 'att:' || ns.nspname || '.' || c.relname || '.' || a.attname || ':'
         || tn.nspname || '.' || t.typname || ':' || a.attnotnull
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
   WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  UNION ALL
  SELECT 'type:' || ns.nspname || '.' || t.typname FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
   WHERE t.typcategory <> 'A'
  UNION ALL
  SELECT 'proc:' || ns.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid)
         || '):' || md5(coalesce(p.prosrc, '')) || ':' || coalesce(p.proacl::text, '')
    FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
  UNION ALL
  SELECT 'con:' || ns.nspname || '.' || coalesce(c.relname, '') || '.' || co.conname || ':' || co.contype::text
    FROM pg_constraint co JOIN ns ON ns.oid = co.connamespace LEFT JOIN pg_class c ON c.oid = co.conrelid
  UNION ALL
  SELECT 'enum:' || ns.nspname || '.' || t.typname || ':' || e.enumlabel
    FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN ns ON ns.oid = t.typnamespace
  UNION ALL
  SELECT 'desc:pg_class:' || ns.nspname || '.' || c.relname
         || coalesce('.' || a.attname, '') || ':' || d.description
    FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
    JOIN ns ON ns.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
  UNION ALL
  SELECT 'desc:pg_type:' || ns.nspname || '.' || t.typname || ':' || d.description
    FROM pg_description d JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND t.oid = d.objoid
    JOIN ns ON ns.oid = t.typnamespace
  UNION ALL
  SELECT 'role:' || rolname || ':' || rolsuper::text || rolcreaterole::text FROM pg_roles
  UNION ALL
  SELECT 'db:' || datname FROM pg_database
  UNION ALL
  SELECT 'victim:' || count(*) FROM %(v)s.t
$f$;
""" % {"v": VICTIM}


def snap():
    out = psql("SELECT json_agg(x) FROM %s.snap() x" % VICTIM).stdout
    return set(json.loads(out))


def fail(msg, text):
    print("FAIL: " + msg)
    print("--- schema text:")
    print(text)
    sys.exit(1)


def run_case(text, schema, exp, values, scs):
    before = snap()
    settings = "SET standard_conforming_strings = %s; SET client_min_messages = error;" % scs
    r = psql(settings + "SELECT count(*) FROM ferriorm_push(%s, allow_data_loss => true)" % lit(text),
             check=False)
    if r.returncode != 0:
        fail("push failed (scs %s): %s" % (scs, r.stderr), text)
    after = snap()
    added, removed = after - before, before - after
    if removed:
        fail("push removed or changed %r" % sorted(removed), text)
    if added != exp:
        fail("push added %r\nwanted %r" % (sorted(added - exp), sorted(exp - added)), text)
    for table, want in values.items():
        r = psql(settings + "WITH i AS (INSERT INTO %s.%s DEFAULT VALUES RETURNING *) "
                 "SELECT row_to_json(i) FROM i" % (ident(schema), ident(table)))
        got = json.loads(r.stdout)
        if got != want:
            fail("defaults of %r read back as %r, wanted %r" % (table, got, want), text)
    r = psql(settings + "SELECT ferriorm_plan(%s) = ''" % lit(text))
    if r.stdout.strip() != "t":
        fail("plan after push is not empty (scs %s): %s" %
             (scs, psql(settings + "SELECT ferriorm_plan(%s)" % lit(text)).stdout), text)
    empty = text[:text.index("}\n") + 2]
    psql(settings + "SELECT count(*) FROM ferriorm_push(%s, allow_data_loss => true)" % lit(empty))
    final = snap()
    if final - before != {"ns:" + schema} or before - final:
        fail("emptying left %r and lost %r" % (sorted(final - before - {"ns:" + schema}),
                                               sorted(before - final)), text)
    psql("DROP SCHEMA %s" % ident(schema))


def refused_cases(rnd):
    """SQL where a name must be: validation refuses it, nothing changes"""
    before = snap()
    n = 0
    for opc in ['"x"; DROP TABLE sec_victim.t; --', 'x); DROP TABLE sec_victim.t; --',
                '"text_pattern_ops" DESC', 'a.b.c', '"unterminated', '"" ', "x'y"] + \
               [rnd.choice(PIECES) + rnd.choice(PIECES) for _ in range(10)]:
        text = ('datasource db {\n  provider = "postgresql"\n  url = env("X")\n}\n'
                'model T {\n  id String @id\n  @@index([id(ops: raw(%s))])\n}\n' % fstr(opc))
        r = psql("SELECT count(*) FROM ferriorm_validate(%s) WHERE severity = 'error'" % lit(text))
        nerr = int(r.stdout)
        r = psql("SELECT count(*) FROM ferriorm_push(%s, allow_data_loss => true)" % lit(text),
                 check=False)
        if nerr > 0 and r.returncode == 0:
            fail("push accepted a schema validation refuses", text)
        if nerr == 0:
            # a valid name (the alphabet can spell one): it must be one part
            # or two, each quoted; the push may fail only for an unknown class
            if r.returncode == 0:
                fail("push of unknown operator class %r succeeded" % opc, text)
            if "operator class" not in r.stderr:
                fail("push failed for another reason than the operator class: %s" % r.stderr, text)
        n += 1
    if snap() != before:
        fail("refused schemas changed the catalog", "")
    return n


def main():
    cases, seed = int(sys.argv[1]), int(sys.argv[2])
    rnd = random.Random(seed)
    psql("DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s; CREATE TABLE %s.t (x int);"
         "INSERT INTO %s.t VALUES (1), (2);" % (VICTIM, VICTIM, VICTIM, VICTIM))
    psql(SNAP)
    total = 0
    for i in range(cases):
        text, schema, exp, values = generate(rnd)
        r = psql("SELECT string_agg(line || ':' || col || ': ' || message, E'\\n') "
                 "FROM ferriorm_validate(%s) WHERE severity = 'error'" % lit(text))
        if r.stdout.strip():
            fail("generated schema is not valid: " + r.stdout, text)
        for scs in ("on", "off"):
            run_case(text, schema, exp, values, scs)
            total += 1
    n = refused_cases(rnd)
    print("security_quoting: %d pushes checked (%d schemas x 2 settings of "
          "standard_conforming_strings), %d refused names" % (total, cases, n))


if __name__ == "__main__":
    main()
