-- ferriorm demo, run by scripts/demo.sh against a throwaway cluster.
\set ON_ERROR_STOP on
\pset pager off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

\echo '== 1. validate examples/schema.ferriorm (no rows: no diagnostics)'
\set schema `cat examples/schema.ferriorm`
SELECT * FROM ferriorm_validate(:'schema');

\echo '== 2. a schema with mistakes: every diagnostic, with line and column'
SELECT * FROM ferriorm_validate($s$
datasource db {
  provider = "postgresql"
  url      = "x"
}
model User {
  id   Int    @id
  name Strin
  age  Int    @default("old")
}
$s$);

\echo '== 3. the DDL that creates the schema from nothing'
SELECT ferriorm_diff(NULL, :'schema') AS ddl \gset
\echo :ddl

\echo '== 4. deploy the migrations directory examples/migrations (made by ferriorm_diff)'
\set migdir `pwd`/examples/migrations
SELECT migration, left(checksum, 16) AS checksum, status FROM ferriorm_deploy(:'migdir');
SELECT migration, status, left(checksum, 16) AS checksum FROM ferriorm_status(:'migdir');
\d blog_posts

\echo '== 5. deploy again: nothing is pending, nothing is applied twice'
SELECT count(*) AS applied_now FROM ferriorm_deploy(:'migdir');

\echo '== 6. plan the schema against the live database: up to date, nothing to do'
SELECT ferriorm_plan(:'schema') = '' AS up_to_date;

\echo '== 7. some data, then a schema that drops a column, narrows a type and requires a column'
INSERT INTO users (email, name, updated_at) VALUES ('ada@example.com', 'Ada', now()), ('bob@example.com', NULL, now());
INSERT INTO blog_posts (title, content, author_id)
  SELECT 'post ' || i, repeat('x', i), 1 FROM generate_series(1, 5) i;
\set changed `sed -e '/content     String?/d' -e 's/name      String?/name      String/' -e 's/@db.VarChar(200)/@db.VarChar(5)/' examples/schema.ferriorm`
SELECT step, action, object, hazard, detail FROM ferriorm_plan_steps(:'changed') WHERE hazard IS NOT NULL;
SELECT ferriorm_plan(:'changed') AS plan \gset
\echo :plan

\echo '== 8. push refuses steps the rows would make fail: nothing is applied'
\set ON_ERROR_STOP off
SELECT ferriorm_push(:'changed');
\set ON_ERROR_STOP on

\echo '== 9. the rows made to fit, push still refuses to lose data unless allowed'
UPDATE users SET name = 'Bob' WHERE name IS NULL;
UPDATE blog_posts SET title = 'p' || right(title, 1);
\set ON_ERROR_STOP off
SELECT ferriorm_push(:'changed');
\set ON_ERROR_STOP on
SELECT * FROM ferriorm_push(:'changed', allow_data_loss => true) AS applied;
SELECT ferriorm_plan(:'changed') = '' AS up_to_date;
