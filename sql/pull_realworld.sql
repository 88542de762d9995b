--
-- pull_realworld: what ferriorm_pull met on real databases that Prisma did
-- not create (Rails structure.sql files, pg_dump schemas; see
-- docs/testing.md): unique keys and indexes NULLS NOT DISTINCT (@preserve,
-- and plans see the difference), deferrable foreign keys (relations all the
-- same), and the prisma dialect's "//" notes of what a table leaves out.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
\pset tuples_only on
\pset format unaligned

CREATE SCHEMA pull_rw;
SET search_path = pull_rw, public;
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  name varchar NOT NULL
);
CREATE TABLE api_keys (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL,
  team varchar,
  label varchar,
  CONSTRAINT api_keys_user_team_key UNIQUE NULLS NOT DISTINCT (user_id, team)
);
CREATE UNIQUE INDEX api_keys_label_idx ON api_keys (label) NULLS NOT DISTINCT;
-- a unique index that is no key says why (lago's roles: NULLS FIRST)
CREATE UNIQUE INDEX api_keys_team_nulls_first ON api_keys (team NULLS FIRST);
ALTER TABLE api_keys ADD CONSTRAINT fk_rails_32c28d0dc2 FOREIGN KEY (user_id)
  REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED;

-- NULLS NOT DISTINCT cannot be stated: @preserve; the deferrable foreign
-- key is a relation, with its own @preserve line
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS round_trip;
-- without @preserve, a plan sees that the text's keys treat nulls as
-- distinct (and that its foreign key is not deferrable)
SELECT ferriorm_plan(regexp_replace(ferriorm_pull(), E'/// @preserve[^\n]*\n', '', 'g'));
-- the live model keeps NULLS NOT DISTINCT: a plan that drops a column
-- of the preserved table's neighbour leaves the keys as they are
SELECT regexp_replace(ferriorm_pull(), E'\n  name +String +@db.VarChar\n', E'\n') AS s \gset
SELECT ferriorm_plan(:'s') ~ 'DROP COLUMN name' AS drops_name,
       ferriorm_plan(:'s') !~ 'api_keys' AS keys_kept;

SET ferriorm.dialect = prisma;
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS round_trip;

-- the prisma dialect's notes: what a table leaves out and plans keep
CREATE TABLE film (
  film_id integer PRIMARY KEY,
  length smallint,
  length_hours numeric(4,2) GENERATED ALWAYS AS (round(length / 60.0, 2)) STORED,
  code text COLLATE "C"
);
CREATE UNLOGGED TABLE rate_limits (id bigserial PRIMARY KEY, points float8 NOT NULL);
CREATE TABLE payment (
  payment_id integer NOT NULL,
  payment_date timestamptz NOT NULL,
  PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);
CREATE TABLE payment_default PARTITION OF payment DEFAULT;
DROP TABLE api_keys, users;
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS round_trip;
-- re-pulling prints the notes afresh, without repeating those of the
-- previous text
SELECT ferriorm_pull(previous => ferriorm_pull()) = ferriorm_pull() AS same;
-- a database built from the text has what the text states
SELECT ferriorm_diff(NULL, ferriorm_pull());
-- the ferriorm dialect states them all
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_pull();

-- a foreign key between types PostgreSQL compares and Prisma reads as one
-- scalar type is a relation (pagila's smallint columns referencing integer
-- keys, a varchar(255) referencing a varchar); integer and bigint are not
DROP TABLE film, rate_limits, payment;
-- (and a Rails default: a text literal on a varchar column is the string)
CREATE TABLE staff (staff_id integer PRIMARY KEY, code varchar UNIQUE, big bigint UNIQUE,
  status varchar DEFAULT 'active'::text NOT NULL);
CREATE TABLE store (
  store_id integer PRIMARY KEY,
  manager_staff_id smallint NOT NULL REFERENCES staff,
  code varchar(255) REFERENCES staff (code),
  big integer REFERENCES staff (big)
);
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS round_trip;
SET ferriorm.dialect = prisma;
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS round_trip;
SELECT message FROM ferriorm_validate($$
datasource db {
  provider = "postgresql"
}
model a {
  id Int    @id
  b  BigInt @unique
  c  c[]
}
model c {
  id  Int @id
  bid Int
  a   a   @relation(fields: [bid], references: [b])
}
$$);

-- a primary key over a domain column (AdventureWorks' "Phone"): the prisma
-- dialect types the column as the domain's base type, as Prisma's db pull
-- does, so the key is a unique criterion and the model is not @@ignore'd;
-- the model notes the domain, which plans keep
DROP TABLE store, staff;
CREATE DOMAIN phone AS varchar(25);
CREATE TABLE person (id integer PRIMARY KEY);
CREATE TABLE personphone (
  person_id integer REFERENCES person,
  phonenumber phone,
  kind integer,
  PRIMARY KEY (person_id, phonenumber, kind)
);
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS round_trip;

-- the columns of domains, as Prisma's db pull prints them: a domain over a
-- built-in scalar type as that type with the domain's typmod, its default
-- read for it; over an array of one as the list, over an enum as the enum,
-- over another domain as Unsupported("<base domain>"); an array of a domain
-- is the list of its array type, Unsupported("_email")[].  The text plans
-- to nothing (the domains and their CHECKs stay)
DROP TABLE personphone, person;
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE DOMAIN email AS text CONSTRAINT email_at CHECK (VALUE ~ '@');
CREATE DOMAIN year AS integer CHECK (VALUE > 1900);
CREATE DOMAIN amount AS numeric(10,2);
CREATE DOMAIN stamp AS timestamp(3) with time zone;
CREATE DOMAIN dmood AS mood;
CREATE DOMAIN tags AS text[];
CREATE DOMAIN work_email AS email;
CREATE TABLE account (
  email email PRIMARY KEY,
  born year DEFAULT 2000,
  balance amount NOT NULL DEFAULT 0,
  seen stamp DEFAULT now(),
  code phone DEFAULT 'x',
  mood dmood DEFAULT 'busy',
  tags tags,
  work work_email,
  emails email[],
  handle text UNIQUE
);
-- a foreign key from a domain's column to a column of its base type is a
-- relation, as in Prisma's pull
CREATE TABLE login (id integer PRIMARY KEY, who email REFERENCES account,
  handle email REFERENCES account (handle));
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS round_trip;
-- the ferriorm dialect states the domain as it is
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_pull() LIKE '%Unsupported("email")%' AS ferriorm_unsupported;
SET ferriorm.dialect = prisma;
-- a domain column is still the type the text states: another enum, list or
-- scalar type is a type change
SELECT ferriorm_plan(regexp_replace(regexp_replace(regexp_replace(ferriorm_pull(),
  'mood +mood\? +@default\(busy\)', 'mood String?'),
  'tags +String\[\]', 'tags Int[]'),
  'born +Int\?', 'born BigInt?'));
DROP TABLE login, account;
DROP DOMAIN work_email, email, year, amount, stamp, dmood, tags;
DROP TYPE mood;

-- a deferrable primary key or unique constraint cannot be stated: the
-- table is @preserve'd (a database made from the text would lack
-- DEFERRABLE), in both dialects; plans do not compare deferrability
DROP TABLE personphone, person;
CREATE TABLE ledger (
  id integer PRIMARY KEY DEFERRABLE INITIALLY DEFERRED,
  seq integer UNIQUE DEFERRABLE,
  note text
);
CREATE TABLE slots (
  id integer PRIMARY KEY,
  pos integer,
  CONSTRAINT slots_pos_key UNIQUE (pos) DEFERRABLE INITIALLY DEFERRED
);
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS round_trip;
SET ferriorm.dialect = 'ferriorm';
SELECT ferriorm_pull();
SELECT ferriorm_plan(ferriorm_pull()) = '' AS round_trip;
-- stated without @preserve, the keys plan to nothing: the live DEFERRABLE stays
SELECT ferriorm_plan(regexp_replace(ferriorm_pull(), E'/// @preserve[^\n]*\n', '', 'g')) = '' AS kept;

-- the lines of the pull matching a pattern, and whether it plans to nothing
CREATE FUNCTION pg_temp.pulled_lines(pat text) RETURNS SETOF text LANGUAGE sql
  AS $$ SELECT line FROM regexp_split_to_table(ferriorm_pull(), E'\n') AS line WHERE line ~ pat $$;
CREATE FUNCTION pg_temp.round_trip() RETURNS boolean LANGUAGE sql
  AS $$ SELECT ferriorm_plan(ferriorm_pull()) = '' $$;

-- a foreign key or CHECK added NOT VALID (openstreetmap's structure.sql has
-- five) is noted in both dialects: no text states it, plans leave it as it
-- is, and a database built from the text validates it
DROP TABLE ledger, slots;
CREATE TABLE nodes (id bigint PRIMARY KEY);
CREATE TABLE ways (id bigint PRIMARY KEY, node_id bigint, version int);
INSERT INTO ways VALUES (1, 7, -1);
ALTER TABLE ways ADD CONSTRAINT ways_node_id_fkey FOREIGN KEY (node_id)
  REFERENCES nodes (id) NOT VALID;
ALTER TABLE ways ADD CONSTRAINT ways_version_check CHECK (version > 0) NOT VALID;
SELECT pg_temp.pulled_lines('NOT VALID');
SELECT pg_temp.round_trip();
SET ferriorm.dialect = 'prisma';
SELECT pg_temp.pulled_lines('NOT VALID');
SELECT pg_temp.round_trip();
-- validated, the notes go
ALTER TABLE ways DROP CONSTRAINT ways_version_check;
DELETE FROM ways;
ALTER TABLE ways VALIDATE CONSTRAINT ways_node_id_fkey;
SELECT count(*) AS not_valid_notes
FROM regexp_split_to_table(ferriorm_pull(), E'\n') AS line WHERE line ~ 'NOT VALID';

-- unique indexes more than a key.  A table whose only unique criterion
-- is a partial or sorted unique index on required columns (Synapse's
-- receipts tables) is no @@ignore'd model: Prisma's pull and both
-- validators count it; on a nullable column it is.  A unique index with
-- an operator class (text_pattern_ops, for LIKE 'x%'): the prisma dialect
-- states it as a plain @unique, as Prisma's pull does, with a note (plans
-- keep the operator class); its pull failed, the dialect refusing ops: in
-- @@unique.  The ferriorm dialect states it
DROP TABLE ways, nodes;
CREATE TABLE receipts (room text NOT NULL, thread text);
CREATE UNIQUE INDEX receipts_room ON receipts (room) WHERE thread IS NULL;
CREATE TABLE ranks (name text NOT NULL);
CREATE UNIQUE INDEX ranks_name ON ranks (name DESC);
CREATE TABLE notes (body text);
CREATE UNIQUE INDEX notes_body ON notes (body) WHERE body <> '';
CREATE TABLE slugs (id integer PRIMARY KEY, slug text NOT NULL);
CREATE UNIQUE INDEX slugs_slug_pattern ON slugs (slug text_pattern_ops);
CREATE UNIQUE INDEX slugs_pair ON slugs (slug text_pattern_ops, id DESC);
SET ferriorm.dialect = 'prisma';
SELECT pg_temp.pulled_lines('^model|@unique|@@ignore|slug');
SELECT pg_temp.round_trip();
SET ferriorm.dialect = 'ferriorm';
SELECT pg_temp.pulled_lines('^model|@@unique|@@ignore|slug');
SELECT pg_temp.round_trip();

-- a varchar literal default on a text column (Supabase's auth.users has
-- DEFAULT ''::character varying on text columns) is the literal, as in
-- Prisma's pull, unless the cast would cut it
DROP TABLE receipts, ranks, notes, slugs;
CREATE TABLE auth_users (id integer PRIMARY KEY,
  phone_change text DEFAULT ''::character varying,
  code text DEFAULT 'abcdefghijklmno'::varchar(10));
SELECT pg_temp.pulled_lines('default');
SELECT pg_temp.round_trip();

-- physical settings no text states are noted in both dialects: a table's
-- access method other than heap (yb-voyager's omnibus schema), a column's
-- STORAGE other than its type's, COMPRESSION, STATISTICS, a REPLICA
-- IDENTITY other than the default, a CLUSTER index; a partition's
-- copy of its parent's column is not noted again, nor STORAGE as the type's
-- own.  A database built from the text lacked them without a word
DROP TABLE auth_users;
CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler;
CREATE TABLE doc (id integer PRIMARY KEY, body text COMPRESSION pglz, blob bytea,
  n integer) USING heap2;
ALTER TABLE doc ALTER COLUMN blob SET STORAGE EXTERNAL,
  ALTER COLUMN body SET STATISTICS 1000, ALTER COLUMN n SET STORAGE PLAIN;
CREATE TABLE logs (at date NOT NULL, msg text) PARTITION BY RANGE (at);
ALTER TABLE logs ALTER COLUMN msg SET STORAGE MAIN;
CREATE TABLE logs_2026 PARTITION OF logs FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE events (id bigint NOT NULL, payload text);
CREATE UNIQUE INDEX events_id ON events (id);
ALTER TABLE events REPLICA IDENTITY USING INDEX events_id;
-- an identity index since dropped (relreplident stays 'i'; PostgreSQL acts
-- as NOTHING): the note says so (it printed "(null)")
CREATE TABLE events_old (id bigint PRIMARY KEY, k bigint NOT NULL);
CREATE UNIQUE INDEX events_old_k ON events_old (k);
ALTER TABLE events_old REPLICA IDENTITY USING INDEX events_old_k;
DROP INDEX events_old_k;
CREATE TABLE feed (at timestamptz, msg text);
ALTER TABLE feed REPLICA IDENTITY FULL;
CREATE INDEX feed_at ON feed (at);
ALTER TABLE feed CLUSTER ON feed_at;
SELECT pg_temp.pulled_lines('kept by plans');
SELECT pg_temp.round_trip();
SET ferriorm.dialect = 'prisma';
SELECT pg_temp.pulled_lines('kept by plans: (col|the table uses)');
SELECT pg_temp.round_trip();
DROP TABLE doc, logs, events, events_old, feed;
DROP ACCESS METHOD heap2;

-- a typed table, extended statistics, privileges set by GRANT and a
-- publication are noted too (lost without a word: the sixth round of real
-- databases); the ACL is printed as PostgreSQL spells it, here reduced to
-- whether it names PUBLIC.  A name that holds a line feed cannot end a
-- note and add a line of schema text: it is written \n
CREATE TYPE addr AS (street text, zip varchar(10));
CREATE TABLE places OF addr (PRIMARY KEY (street));
CREATE TABLE st (a int PRIMARY KEY, b int, c int);
CREATE STATISTICS st_bc (dependencies, ndistinct) ON b, c FROM st;
GRANT SELECT ON st TO PUBLIC;
SET client_min_messages = error;	-- wal_level may be below logical
CREATE PUBLICATION pull_rw_pub FOR TABLE st;
RESET client_min_messages;
CREATE INDEX "evil
model Evil {
  id Int @id
}
//" ON st (b);
ALTER TABLE st CLUSTER ON "evil
model Evil {
  id Int @id
}
//";
SELECT regexp_replace(line, 'revoked: \{.*\}$', 'revoked: {...}') FROM pg_temp.pulled_lines('kept by plans') AS line;
SELECT count(*) AS public_read FROM pg_temp.pulled_lines('revoked: \{(.*,)?=r/') AS line;
SELECT count(*) AS injected FROM pg_temp.pulled_lines('^model Evil');
-- a serial's sequence renamed with its table (ALTER TABLE old RENAME TO
-- new leaves old_id_seq): noted with the name a rebuilt database gives it
CREATE TABLE renamed_old (id serial PRIMARY KEY);
ALTER TABLE renamed_old RENAME TO renamed_new;
-- and an identity's: its table renamed, or SEQUENCE NAME given
CREATE TABLE ident_old (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
ALTER TABLE ident_old RENAME TO ident_new;
CREATE TABLE ident_named (id bigint GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME ident_custom_seq) PRIMARY KEY);
SELECT pg_temp.pulled_lines('sequence of column');
DROP TABLE renamed_new, ident_new, ident_named;
SELECT pg_temp.round_trip();
DROP PUBLICATION pull_rw_pub;
DROP TABLE places, st;
DROP TYPE addr;

-- a column whose type is another table's row type (omnibus' chain of
-- tables i_1 (i i_0), i_2 (i i_1), ...): the table is created before the
-- column's and dropped after it, whatever their names' order; both scripts
-- run (CREATE TABLE failed with "type "zz" does not exist")
CREATE TABLE zz (id integer PRIMARY KEY);
CREATE TABLE aa (id integer PRIMARY KEY, z zz, zs zz[]);
CREATE TABLE ab (id integer PRIMARY KEY, a aa);
SELECT ferriorm_pull() AS rowtypes \gset
SELECT set_config('fm.rowtypes', :'rowtypes', false) IS NOT NULL AS set;
SELECT line FROM regexp_split_to_table(ferriorm_diff(NULL, :'rowtypes'), E'\n') AS line
 WHERE line ~ '^CREATE TABLE';
SELECT line FROM regexp_split_to_table(ferriorm_diff(:'rowtypes', NULL), E'\n') AS line
 WHERE line ~ '^DROP TABLE';
DO $$
BEGIN
  EXECUTE ferriorm_diff(current_setting('fm.rowtypes'), NULL);
  EXECUTE ferriorm_diff(NULL, current_setting('fm.rowtypes'));
END $$;
SELECT pg_temp.round_trip();
DROP TABLE ab, aa, zz;

-- a comment that ends in a line feed is printed with a last empty "///"
-- line, which is read back as that line feed: the plan of the pull is
-- empty (the reader dropped it, so the plan set the comment again;
-- flowcommerce's registry has three)
CREATE TABLE noted (id int PRIMARY KEY, c text);
COMMENT ON TABLE noted IS E'trailing line feed\n';
COMMENT ON COLUMN noted.c IS E'\nboth ends\n\n';
SELECT line FROM regexp_split_to_table(ferriorm_pull(), E'\n') AS line WHERE line ~ '^ *///';
SELECT ferriorm_plan(ferriorm_pull()) AS plan_ferriorm;
SET ferriorm.dialect = prisma;
SELECT ferriorm_plan(ferriorm_pull()) AS plan_prisma;
DROP TABLE noted;

RESET ferriorm.dialect;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA pull_rw CASCADE;
RESET client_min_messages;
