-- ferriorm--0.1.0--0.2.0.sql: upgrade script, assembled from the fragments
-- in src/sql/upgrade-0.1.0--0.2.0/ (one per feature of the release).
--
-- Every SQL-visible change of 0.2.0 is made twice: in the install fragments
-- (src/sql/*.sql) and here.  test/scripts/upgrade.sh proves that
-- ALTER EXTENSION ferriorm UPDATE from 0.1.0 gives exactly the objects,
-- definitions and privileges of a fresh 0.2.0 install.

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ferriorm UPDATE TO '0.2.0'" to load this file. \quit

SET LOCAL search_path = @extschema@, pg_temp;
