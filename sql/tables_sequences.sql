--
-- tables_sequences: sequences that column defaults read.  A serial
-- column's sequence is owned by it (autoincrement()); a sequence that a
-- default reads and that no column owns is standalone, stated by the
-- default dbgenerated("nextval('s'::regclass)") alone, and managed when it
-- is in a managed schema: created before its readers, dropped once none is
-- left.  Both directions: text -> DDL -> empty plan, and catalog -> plan.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA tseq_meta;
CREATE FUNCTION tseq_meta.ds() RETURNS text LANGUAGE sql AS $$
  SELECT E'datasource db {\n  provider = "postgresql"\n  url      = env("U")\n  schemas  = ["tseq"]\n}\n'
$$;

-- 1. text -> DDL: the standalone sequence comes before the table that reads it
SELECT ferriorm_diff('', tseq_meta.ds() || $$
model Ticket {
  id  Int @id @default(dbgenerated("nextval('tseq.ticket_no'::regclass)"))
  alt Int @default(dbgenerated("nextval('tseq.ticket_no'::regclass)"))
  @@map("ticket")
  @@schema("tseq")
}
$$);
-- applied, it plans to nothing (the sequence read back as standalone)
SELECT ferriorm_plan(tseq_meta.ds() || $$
model Ticket {
  id  Int @id @default(dbgenerated("nextval('tseq.ticket_no'::regclass)"))
  alt Int @default(dbgenerated("nextval('tseq.ticket_no'::regclass)"))
  @@map("ticket")
  @@schema("tseq")
}
$$) \gexec
SELECT coalesce(nullif(ferriorm_plan(tseq_meta.ds() || $$
model Ticket {
  id  Int @id @default(dbgenerated("nextval('tseq.ticket_no'::regclass)"))
  alt Int @default(dbgenerated("nextval('tseq.ticket_no'::regclass)"))
  @@map("ticket")
  @@schema("tseq")
}
$$), ''), 'up to date');
SELECT relname FROM pg_class WHERE relnamespace = 'tseq'::regnamespace AND relkind = 'S';

-- 2. one reader left: the sequence stays; none left: it is dropped after them
SELECT ferriorm_plan(tseq_meta.ds() || $$
model Ticket {
  id  Int @id @default(dbgenerated("nextval('tseq.ticket_no'::regclass)"))
  alt Int
  @@map("ticket")
  @@schema("tseq")
}
$$);
SELECT ferriorm_plan(tseq_meta.ds() || $$
model Ticket {
  id  Int @id
  @@map("ticket")
  @@schema("tseq")
}
$$, verify => true);
SELECT ferriorm_plan(tseq_meta.ds()) \gexec
SELECT count(*) FROM pg_class WHERE relnamespace = 'tseq'::regnamespace;

-- 3. the bug: a serial column, stated as the nextval() of its sequence.
-- The sequence is owned by the column, so the catalog reads it back as
-- autoincrement(); OWNED BY NONE separates them, once.
CREATE TABLE tseq.counter (id serial PRIMARY KEY, v text);
INSERT INTO tseq.counter (v) VALUES ('a'), ('b');
SELECT ferriorm_plan(tseq_meta.ds() || $$
model counter {
  id Int     @id @default(dbgenerated("nextval('tseq.counter_id_seq'::regclass)"))
  v  String?
  @@map("counter")
  @@schema("tseq")
}
$$, verify => true);
SELECT ferriorm_plan(tseq_meta.ds() || $$
model counter {
  id Int     @id @default(dbgenerated("nextval('tseq.counter_id_seq'::regclass)"))
  v  String?
  @@map("counter")
  @@schema("tseq")
}
$$) \gexec
SELECT coalesce(nullif(ferriorm_plan(tseq_meta.ds() || $$
model counter {
  id Int     @id @default(dbgenerated("nextval('tseq.counter_id_seq'::regclass)"))
  v  String?
  @@map("counter")
  @@schema("tseq")
}
$$), ''), 'up to date');
-- the sequence keeps its value, and no column owns it any more
INSERT INTO tseq.counter (v) VALUES ('c') RETURNING id;
SELECT count(*) FROM pg_depend WHERE objid = 'tseq.counter_id_seq'::regclass AND deptype = 'a';
-- and back: autoincrement() on the column; the standalone sequence goes
SELECT ferriorm_plan(tseq_meta.ds() || $$
model counter {
  id Int     @id @default(autoincrement())
  v  String?
  @@map("counter")
  @@schema("tseq")
}
$$, verify => true);

-- 3b. database -> pull -> empty plan: a standalone sequence read by a
-- default, a serial column, and a serial sequence disowned (OWNED BY NONE)
CREATE SCHEMA tseq_pull;
CREATE SEQUENCE tseq_pull.ticket_no;
CREATE TABLE tseq_pull.ticket (id serial PRIMARY KEY, no bigint NOT NULL DEFAULT nextval('tseq_pull.ticket_no'));
CREATE TABLE tseq_pull.old (id serial PRIMARY KEY);
ALTER SEQUENCE tseq_pull.old_id_seq OWNED BY NONE;
SELECT ferriorm_pull(ARRAY['tseq_pull']);
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tseq_pull'])), ''), 'up to date');
DROP SCHEMA tseq_pull CASCADE;
-- 4. a sequence in an unmanaged schema is read, never created nor dropped
CREATE SCHEMA tseq_other;
CREATE SEQUENCE tseq_other.shared;
DROP TABLE tseq.counter;
CREATE TABLE tseq.uses_other (id int PRIMARY KEY DEFAULT nextval('tseq_other.shared'));
SELECT ferriorm_plan(tseq_meta.ds() || $$
model uses_other {
  id Int @id @default(dbgenerated("nextval('tseq_other.shared'::regclass)"))
  @@map("uses_other")
  @@schema("tseq")
}
$$);
SELECT ferriorm_plan(tseq_meta.ds());
-- an unowned sequence that no default reads is not managed
DROP TABLE tseq.uses_other;
CREATE SEQUENCE tseq.loose;
SELECT coalesce(nullif(ferriorm_plan(tseq_meta.ds()), ''), 'up to date');

-- 5. the prisma dialect: an autoincrement() Int key made BigInt.  Its own
-- sequence becomes bigint too, as bigserial makes it (it stayed integer,
-- stopping at 2147483647: test/scripts/prisma_evolution.sh), live and
-- offline; and back
SET ferriorm.dialect = prisma;
SELECT ferriorm_push(tseq_meta.ds() || $$
model Big {
  id Int @id @default(autoincrement())
  @@schema("tseq")
}
$$);
SELECT ferriorm_plan(tseq_meta.ds() || $$
model Big {
  id BigInt @id @default(autoincrement())
  @@schema("tseq")
}
$$, verify => true);
SELECT count(*) FROM ferriorm_push(tseq_meta.ds() || $$
model Big {
  id BigInt @id @default(autoincrement())
  @@schema("tseq")
}
$$);
SELECT format_type(seqtypid, NULL), seqmax FROM pg_sequence WHERE seqrelid = 'tseq."Big_id_seq"'::regclass;
SELECT ferriorm_diff(tseq_meta.ds() || $$
model Big {
  id Int @id @default(autoincrement())
  @@schema("tseq")
}
$$, tseq_meta.ds() || $$
model Big {
  id BigInt @id @default(autoincrement())
  @@schema("tseq")
}
$$);
SELECT count(*) FROM ferriorm_push(tseq_meta.ds() || $$
model Big {
  id Int @id @default(autoincrement())
  @@schema("tseq")
}
$$);
SELECT format_type(seqtypid, NULL), seqmax FROM pg_sequence WHERE seqrelid = 'tseq."Big_id_seq"'::regclass;
RESET ferriorm.dialect;

-- a sequence a partition's or inheritance child's column owns (OWNED BY)
-- and the parent's default reads (pg_partman's journal tables): the text
-- states it as a standalone sequence, and a plan of the pull on the same
-- database is empty in both dialects (it created the sequence again:
-- "relation ... already exists"); a serial shared with another table
-- stays its column's (no DROP SEQUENCE)
CREATE SCHEMA tseq_part;
SET search_path = tseq_part, public;
CREATE TABLE jr (id int NOT NULL, ts date NOT NULL, jid bigint NOT NULL) PARTITION BY RANGE (ts);
CREATE TABLE jr_default PARTITION OF jr DEFAULT;
CREATE SEQUENCE jr_jid_seq OWNED BY jr_default.jid;
ALTER TABLE jr ALTER jid SET DEFAULT nextval('jr_jid_seq');
CREATE TABLE par (id bigint NOT NULL);
CREATE TABLE kid () INHERITS (par);
CREATE SEQUENCE kid_id_seq OWNED BY kid.id;
ALTER TABLE par ALTER id SET DEFAULT nextval('kid_id_seq');
CREATE TABLE t1 (id serial PRIMARY KEY);
CREATE TABLE t2 (id int PRIMARY KEY DEFAULT nextval('t1_id_seq'));
-- an identity's sequence, and a serial's whose default was dropped, read
-- by another table's default (Evergreen, LedgerSMB): the plan created them
-- again too
CREATE TABLE tgt (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);
CREATE TABLE aux (id bigint PRIMARY KEY DEFAULT nextval('tgt_id_seq'));
CREATE TABLE hib (id serial PRIMARY KEY);
ALTER TABLE hib ALTER id DROP DEFAULT;
CREATE TABLE hib_reader (id int PRIMARY KEY DEFAULT nextval('hib_id_seq'));
-- a sequence read inside a larger default (formatted invoice numbers),
-- standalone or owned by the column that reads it: stated by the default
-- like a plain nextval(), so that the plan of the pull keeps it and a
-- database built from the text creates it first (ninth round of real
-- databases: the plan dropped it, and the build failed); a nextval( inside
-- a string literal is no call
CREATE SEQUENCE inv_seq;
CREATE SEQUENCE ord_seq;
CREATE TABLE inv (id int PRIMARY KEY,
  num text NOT NULL DEFAULT lpad(nextval('inv_seq')::text, 8, '0'),
  ref text DEFAULT 'ORD-' || nextval('ord_seq'),
  note text DEFAULT 'nextval(''nope''::regclass)');
CREATE TABLE own (id int PRIMARY KEY, n bigint);
CREATE SEQUENCE own_n_seq OWNED BY own.n;
ALTER TABLE own ALTER COLUMN n SET DEFAULT nextval('own_n_seq') + 1000;
SELECT line FROM regexp_split_to_table(ferriorm_pull(), E'\n') AS line WHERE line ~ 'nextval|autoincrement';
SELECT ferriorm_plan(ferriorm_pull()) AS plan_ferriorm;
SET ferriorm.dialect = prisma;
SELECT ferriorm_plan(ferriorm_pull()) AS plan_prisma;
RESET ferriorm.dialect;
SELECT line FROM regexp_split_to_table(ferriorm_diff(NULL, ferriorm_pull()), E'\n') AS line
WHERE line ~ 'SEQUENCE (public\.)?(inv|ord|own_n|nope)';
-- and its options, which no text states, are noted as for a plain
-- nextval() default (third new-user walkthrough)
ALTER SEQUENCE ord_seq START 1000 INCREMENT 10;
SELECT line FROM regexp_split_to_table(ferriorm_pull(), E'\n') AS line WHERE line ~ 'reads has';
RESET search_path;

-- a sequence that only an inheriting table's own default of an inherited
-- column reads (PgQ's event tables): no text states it, and plans keep it
-- (the plan of the pull dropped it, and failed on the default; thirteenth
-- round of real databases)
CREATE SCHEMA tseq_inh;
CREATE TABLE tseq_inh.p (id bigint, t int);
CREATE SEQUENCE tseq_inh.s;
CREATE TABLE tseq_inh.c () INHERITS (tseq_inh.p);
ALTER TABLE tseq_inh.c ALTER id SET DEFAULT nextval('tseq_inh.s');
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tseq_inh'])), ''), 'up to date') AS plan;
SET ferriorm.dialect = prisma;
SELECT coalesce(nullif(ferriorm_plan(ferriorm_pull(ARRAY['tseq_inh'])), ''), 'up to date') AS plan_prisma;
RESET ferriorm.dialect;
SET client_min_messages = warning;
DROP SCHEMA tseq_inh CASCADE;
RESET client_min_messages;

-- a sequence of another schema on the caller's search path: pg_get_expr()
-- leaves its schema out, and the text then named a sequence of the pulled
-- schema (the plan of the pull created app.order_no, or dropped
-- public.order_no); the pull names its schema unless it is the current
-- schema and that is pulled (tenth round of real databases)
CREATE SCHEMA tseq_app;
CREATE SEQUENCE public.tseq_order_no;
CREATE SEQUENCE tseq_app.own;
CREATE TABLE tseq_app.orders (id bigint PRIMARY KEY DEFAULT nextval('public.tseq_order_no'),
  code text DEFAULT 'X' || lpad(nextval('public.tseq_order_no')::text, 6, '0'),
  o int DEFAULT nextval('tseq_app.own'));
SELECT line FROM regexp_split_to_table(ferriorm_pull(ARRAY['tseq_app']), E'\n') line WHERE line ~ 'nextval';
SELECT ferriorm_plan(ferriorm_pull(ARRAY['tseq_app'])) = '' AS plans_nothing;
SET search_path = tseq_app, public;
SELECT line FROM regexp_split_to_table(ferriorm_pull(ARRAY['tseq_app', 'public']), E'\n') line
 WHERE line ~ 'nextval.*(tseq|own)';
SELECT ferriorm_plan(ferriorm_pull(ARRAY['tseq_app', 'public'])) !~ 'SEQUENCE' AS no_sequence_steps;
RESET search_path;
DROP SCHEMA tseq_app CASCADE;
DROP SEQUENCE public.tseq_order_no;
-- a hand-written unqualified sequence name is the sequence of the first
-- managed schema of the search_path, where the default's nextval() finds
-- it when the plan runs; with none managed on the path, an error: the
-- plan created it in the first managed schema, and its CREATE TABLE then
-- failed ("relation "order_no" does not exist")
CREATE SCHEMA tseq_app;
CREATE TEMP TABLE seqtext AS SELECT $$datasource db {
  provider = "postgresql"
  schemas  = ["tseq_app"]
}
model Orders {
  id BigInt @id @default(dbgenerated("nextval('order_no'::regclass)"))
  @@map("orders")
  @@schema("tseq_app")
}
$$::text AS s;
SELECT ferriorm_plan(s) FROM seqtext;
SET search_path = public, tseq_app;
SELECT ferriorm_plan(s) ~ 'CREATE SEQUENCE tseq_app.order_no' AS placed_on_path FROM seqtext;
-- a sequence of that name the path finds first is the one nextval() reads:
-- not created in the managed schema (the default read the other one, and
-- the plan never converged; seventh security review)
CREATE SCHEMA tseq_elsewhere;
CREATE SEQUENCE tseq_elsewhere.order_no;
SET search_path = tseq_elsewhere, tseq_app, public;
SELECT ferriorm_plan(s) !~ 'CREATE SEQUENCE' AS not_created FROM seqtext;
RESET search_path;
DROP SCHEMA tseq_elsewhere CASCADE;
DROP SCHEMA tseq_app CASCADE;

SET client_min_messages = warning;
DROP SCHEMA tseq_part CASCADE;
DROP SCHEMA tseq CASCADE;
DROP SCHEMA tseq_other CASCADE;
DROP SCHEMA tseq_meta CASCADE;
RESET client_min_messages;
