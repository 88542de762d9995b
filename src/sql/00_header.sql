-- ferriorm--0.1.0.sql: install script, assembled from the src/sql fragments

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION ferriorm" to load this file. \quit

-- Pin the search path for the rest of this script: every object below is
-- created in, and refers to, the extension's own schema or pg_catalog.
SET LOCAL search_path = @extschema@, pg_catalog;
