--
-- migrate dev (ferriorm_dev, ferriorm_drift, ferriorm_diff_history): what
-- the three strategies give on a hand-written Prisma-style history, and the
-- error paths: arguments, privileges (PUBLIC, files, the loopback's
-- password rule), the snapshot strategy on folders without a snapshot, the
-- rollback strategy in a read-only transaction, a migration failing in the
-- shadow.  Nothing here writes a file; test/scripts/dev.sh writes and
-- deploys.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\getenv abs_srcdir PG_ABS_SRCDIR
\set mig :abs_srcdir '/test/migrations/'

CREATE SCHEMA dev_e;
SET search_path = dev_e, public;

-- the schema of test/migrations/basic, plus a column
CREATE TEMP TABLE s AS SELECT $fm$datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["dev_e"]
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
  posts Post[]

  @@map("users")
}

model Post {
  id       Int    @id @default(autoincrement())
  authorId Int    @map("author_id")
  title    String @default("untitled; really")
  body     String @default("")
  author   User   @relation(fields: [authorId], references: [id], onDelete: Restrict, onUpdate: Restrict, map: "posts_author_id_fkey")

  @@map("posts")
}
$fm$::text AS schema;

-- the history replayed in a shadow database and in a rolled-back
-- subtransaction: the same migration
SELECT ferriorm_diff_history(:'mig' || 'basic', (SELECT schema FROM s)) AS shadow;
SELECT ferriorm_diff_history(:'mig' || 'basic', (SELECT schema FROM s), 'rollback') =
       ferriorm_diff_history(:'mig' || 'basic', (SELECT schema FROM s), 'shadow') AS same;
-- nothing was created here, nor left behind
SELECT count(*) FROM pg_class WHERE relnamespace = 'dev_e'::regnamespace;
SELECT count(*) FROM pg_database WHERE datname LIKE '%ferriorm_shadow%';

-- drift: nothing is applied here, so the history state is empty
SELECT ferriorm_drift(:'mig' || 'basic', 'rollback');
CREATE TABLE dev_e.by_hand (id int PRIMARY KEY);
SELECT ferriorm_drift(:'mig' || 'basic', 'shadow');
DROP TABLE dev_e.by_hand;

-- a migration to be applied here that would fail on the rows here (a
-- required column without a default, a unique key over duplicates) is
-- refused before anything is written, as Prisma's migrate dev refuses
-- changes that cannot be executed; rows that fit change nothing
BEGIN;
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'basic');
INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com');
INSERT INTO posts (author_id, title) SELECT id, 'same' FROM users;
SELECT * FROM ferriorm_dev(:'mig' || 'basic',
  replace(replace((SELECT schema FROM s),
    'title    String @default("untitled; really")',
    'title    String @default("untitled; really") @unique'),
    'body     String @default("")', 'body     String'));
ROLLBACK;
BEGIN;
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'basic');
INSERT INTO users (email) VALUES ('a@example.com');
INSERT INTO posts (author_id, title) SELECT id, 'same' FROM users;
-- one row, no duplicates: only the new column's step fails
SELECT * FROM ferriorm_dev(:'mig' || 'basic',
  replace((SELECT schema FROM s), 'body     String @default("")', 'body     String'));
ROLLBACK;
-- a migration to be applied here that would lose data (a dropped column
-- holding a value) is refused unless allow_data_loss, as Prisma's migrate
-- dev asks first (--accept-data-loss); steps that fail are refused even
-- with it
BEGIN;
SELECT migration, status FROM ferriorm_deploy(:'mig' || 'basic');
INSERT INTO users (email) VALUES ('a@example.com');
INSERT INTO posts (author_id, title) SELECT id, 'kept' FROM users;
SAVEPOINT loss;
SELECT * FROM ferriorm_dev(:'mig' || 'basic',
  replace((SELECT schema FROM s), 'title    String @default("untitled; really")', ''));
ROLLBACK TO SAVEPOINT loss;
SELECT * FROM ferriorm_dev(:'mig' || 'basic',
  replace(replace((SELECT schema FROM s),
    'title    String @default("untitled; really")', ''),
    'body     String @default("")', 'body     String'), allow_data_loss => true);
ROLLBACK TO SAVEPOINT loss;
SELECT title FROM posts;
ROLLBACK;
SELECT count(*) FROM pg_class WHERE relnamespace = 'dev_e'::regnamespace;

-- arguments
SELECT ferriorm_diff_history(:'mig' || 'basic', (SELECT schema FROM s), 'copy');
SELECT * FROM ferriorm_dev(:'mig' || 'basic', (SELECT schema FROM s), on_drift => 'ignore');
SELECT * FROM ferriorm_dev(:'mig' || 'basic', NULL);
SELECT * FROM ferriorm_dev(:'mig' || 'basic', (SELECT schema FROM s), online => NULL);
SELECT * FROM ferriorm_dev(:'mig' || 'basic', (SELECT schema FROM s), allow_data_loss => NULL);
SELECT ferriorm_drift(NULL) IS NULL AS strict;
SELECT ferriorm_diff_history(:'mig' || 'basic', 'model {');

-- a history written by hand has no schema.snapshot
SELECT ferriorm_diff_history(:'mig' || 'basic', (SELECT schema FROM s), 'snapshot');
-- an empty directory: the empty schema, with every strategy
SELECT ferriorm_diff_history(:'mig' || 'empty_dir', (SELECT schema FROM s), 'snapshot') =
       ferriorm_diff_history(:'mig' || 'empty_dir', (SELECT schema FROM s), 'shadow') AS same;

-- rollback refuses a read-only transaction
BEGIN READ ONLY;
SELECT ferriorm_drift(:'mig' || 'basic', 'rollback');
ROLLBACK;

-- a migration failing in the shadow: its name, line, SQLSTATE and message
SELECT ferriorm_diff_history(:'mig' || 'failing', (SELECT schema FROM s));
SELECT ferriorm_diff_history(:'mig' || 'failing', (SELECT schema FROM s), 'rollback');
\set VERBOSITY sqlstate
SELECT ferriorm_diff_history(:'mig' || 'failing', (SELECT schema FROM s));
\set VERBOSITY default
SELECT count(*) FROM pg_database WHERE datname LIKE '%ferriorm_shadow%';

-- privileges: not PUBLIC's; files need pg_read_server_files (and
-- pg_write_server_files for dev); the loopback a password
CREATE ROLE dev_e_user;
SET ROLE dev_e_user;
SELECT ferriorm_drift(:'mig' || 'basic');
SELECT * FROM ferriorm_dev(:'mig' || 'basic', 'x');
RESET ROLE;
GRANT EXECUTE ON FUNCTION ferriorm_drift(text, text),
  ferriorm_dev(text, text, text, boolean, text, text, boolean, boolean) TO dev_e_user;
SET ROLE dev_e_user;
SELECT ferriorm_drift(:'mig' || 'basic');
RESET ROLE;
GRANT pg_read_server_files TO dev_e_user;
SET ROLE dev_e_user;
SELECT * FROM ferriorm_dev(:'mig' || 'basic', 'x');
SELECT ferriorm_drift(:'mig' || 'basic');
-- the shadow conninfo (a superuser's setting) names no password either
RESET ROLE;
SET ferriorm.shadow_conninfo = 'host=/nonexistent';
SET ROLE dev_e_user;
SELECT ferriorm_drift(:'mig' || 'basic');
RESET ROLE;
RESET ferriorm.shadow_conninfo;
REVOKE pg_read_server_files FROM dev_e_user;
DROP OWNED BY dev_e_user;
DROP ROLE dev_e_user;

DROP SCHEMA dev_e CASCADE;
