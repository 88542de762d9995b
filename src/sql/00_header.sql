-- ferriorm--0.2.0.sql: install script, assembled from the src/sql fragments

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION ferriorm" to load this file. \quit

-- Pin the search path for the rest of this script.  Objects are created in
-- the extension's schema (the first entry).  pg_catalog is deliberately NOT
-- listed: an unlisted pg_catalog is searched first, so a type, function or
-- operator that somebody created in the target schema beforehand (a domain
-- named "text", say) cannot take the place of a built-in one in the objects
-- created below.  pg_temp is listed last so that it is never searched first.
SET LOCAL search_path = @extschema@, pg_temp;
