--
-- ferriorm_deploy / ferriorm_status on a 3-migration directory, then a 4th,
-- an edited and a deleted migration, and the history table's contents.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\getenv abs_srcdir PG_ABS_SRCDIR
\set basic :abs_srcdir '/test/migrations/basic'
\set basic4 :abs_srcdir '/test/migrations/basic4'
\set edited :abs_srcdir '/test/migrations/edited'
\set missing :abs_srcdir '/test/migrations/missing'
\set nolock :abs_srcdir '/test/migrations/nolock'
\set setscope :abs_srcdir '/test/migrations/setscope'
\set crlf :abs_srcdir '/test/migrations/crlf'

CREATE SCHEMA deploy_t;
SET search_path = deploy_t, public;

-- the history and its sequence are dumped by pg_dump
SELECT c::regclass AS config_dump
FROM pg_extension, unnest(extconfig) AS c
WHERE extname = 'ferriorm' AND c::regclass::text LIKE '%ferriorm_migrations%'
ORDER BY 1::text;

-- everything pending; other files (README.md, migration_lock.toml) ignored
SELECT migration, status, checksum, applied_at
FROM ferriorm_status(:'basic');

-- deploy of a 3-migration directory: applied in folder-name order
SELECT migration, checksum, status, duration_ms >= 0 AS timed
FROM ferriorm_deploy(:'basic');

-- the migrations ran: tables, the unique index, the function with a
-- semicolon inside its body, the default containing a semicolon
SELECT users_count();
INSERT INTO users (email) VALUES ('a@example.com');
INSERT INTO users (email) VALUES ('a@example.com');
INSERT INTO posts (author_id) VALUES (1) RETURNING title;

-- the history: checksums are the SHA-256 of the files, in lower-case hex
SELECT id, migration_name, checksum, status, applied_by = current_user AS by_me,
       started_at <= finished_at AS ordered, execution_ms >= 0 AS timed, logs
FROM _ferriorm_migrations ORDER BY id;

-- re-deploy is a no-op
SELECT * FROM ferriorm_deploy(:'basic');
SELECT migration, status, applied_at IS NOT NULL AS has_time
FROM ferriorm_status(:'basic');

-- an added 4th applies alone
SELECT migration, status FROM ferriorm_status(:'basic4');
SELECT migration, status FROM ferriorm_deploy(:'basic4');
SELECT published FROM posts;
SELECT count(*) FROM _ferriorm_migrations;

-- an edited applied file is refused, naming it, with both checksums; and
-- status reports it as modified
SELECT migration, status, checksum FROM ferriorm_status(:'edited');
SELECT * FROM ferriorm_deploy(:'edited');

-- line endings alone are not a modification, as for Prisma Migrate: the
-- same migrations with CRLF line ends (checked out on Windows) are applied,
-- and so are these with LF when CRLF was recorded; the rows stay as they were
SELECT migration, status FROM ferriorm_status(:'crlf');
SELECT migration, status FROM ferriorm_deploy(:'crlf');
SELECT ferriorm_apply('20240101000000_init',
                      replace(pg_read_file(:'crlf' || '/20240101000000_init/migration.sql'), E'\r\n', E'\n'));
SELECT ferriorm_apply('20240101000000_init',
                      replace(pg_read_file(:'basic' || '/20240101000000_init/migration.sql'), E'\n', E'\r\n'));
-- a line ending added, or a character, is a modification
SELECT ferriorm_apply('20240101000000_init',
                      pg_read_file(:'basic' || '/20240101000000_init/migration.sql') || E'\n');
SELECT ferriorm_apply('20240101000000_init',
                      replace(pg_read_file(:'basic' || '/20240101000000_init/migration.sql'), E'\n', E' \n'));
-- a checksum an early Prisma version recorded (no leading zero in a byte
-- below 0x10: prisma-engines issue 1887) matches too
BEGIN;
UPDATE _ferriorm_migrations
   SET checksum = (SELECT string_agg(CASE WHEN substr(checksum, 2 * i + 1, 1) = '0'
                                          THEN substr(checksum, 2 * i + 2, 1)
                                          ELSE substr(checksum, 2 * i + 1, 2) END, '' ORDER BY i)
                     FROM generate_series(0, 31) AS i);
SELECT count(*) FILTER (WHERE length(checksum) < 64) AS unpadded FROM _ferriorm_migrations;
SELECT migration, status FROM ferriorm_status(:'basic4');
SELECT migration, status FROM ferriorm_deploy(:'basic4');
SELECT migration, status FROM ferriorm_status(:'edited');
ROLLBACK;

-- a deleted one is reported missing (status shows the recorded checksum)
SELECT migration, status, checksum FROM ferriorm_status(:'missing');
SELECT * FROM ferriorm_deploy(:'missing');

-- a directory without migration_lock.toml is accepted
SELECT migration, status FROM ferriorm_status(:'nolock');

-- the deploy runs in the caller's transaction: rolled back with it
BEGIN;
DELETE FROM _ferriorm_migrations WHERE migration_name = '20240104000000_published';
ALTER TABLE posts DROP COLUMN published;
SELECT migration, status FROM ferriorm_deploy(:'basic4');
ROLLBACK;
SELECT count(*) FROM _ferriorm_migrations;

-- SET inside a migration lasts until the end of that migration only
DELETE FROM _ferriorm_migrations;
SET lock_timeout = 0;
SELECT migration, status FROM ferriorm_deploy(:'setscope');
SELECT lt FROM setscope_check;
SELECT lt FROM setscope_after;
SHOW lock_timeout;
SHOW search_path;

-- clean up
DELETE FROM _ferriorm_migrations;
SELECT count(*) FROM _ferriorm_migrations;
SET client_min_messages = warning;
DROP SCHEMA deploy_t CASCADE;
RESET client_min_messages;
RESET search_path;
RESET lock_timeout;
