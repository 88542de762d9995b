#!/bin/bash
# Adapt the third-party dumps of $REALPULL_DIR/src (INDEX: repository, path,
# commit of each) to plain PostgreSQL 15 with its contrib extensions:
# writes $REALPULL_DIR/adapted/<name>.sql.  Every change is listed here.
set -e
cd "${REALPULL_DIR:-/tmp/realpull}"; mkdir -p adapted
for f in src/*.sql; do cp "$f" adapted/; done
# pagila: a PostgreSQL 18 dump with pgvector:
#  uuidv7() (PG 18) -> gen_random_uuid(); VIRTUAL generated column -> STORED;
#  vector(20) -> real[]; the vector extension and its hnsw index removed
sed -i -e 's/uuidv7()/gen_random_uuid()/g' \
       -e 's/) VIRTUAL$/) STORED/' \
       -e 's/public\.vector(20)/real[]/' \
       -e '/CREATE EXTENSION IF NOT EXISTS vector/d' -e '/COMMENT ON EXTENSION vector/d' \
       -e '/USING hnsw/d' adapted/pagila.sql
# osm: PostGIS is not available: geometry(Polygon,4326) -> bytea, its gist index removed
sed -i -e 's/public\.geometry(Polygon,4326)/bytea/' \
       -e '/CREATE EXTENSION IF NOT EXISTS postgis/d' -e '/COMMENT ON EXTENSION postgis/d' \
       -e '/ON public.moderation_zones USING gist/d' adapted/osm.sql
# lago: pg_partman is not available (used only by functions)
sed -i -e '/CREATE EXTENSION IF NOT EXISTS pg_partman/d' -e '/COMMENT ON EXTENSION pg_partman/d' adapted/lago.sql
# postgrest: PostGIS not available: extensions.geometry(...) -> bytea
sed -i -e 's/extensions\.geometry([A-Z]*, 4326)/bytea/' -e '/create extension if not exists postgis/d' adapted/postgrest.sql
# supabase: pg_graphql, pgsodium, pgjwt, supabase_vault not available (their lines fail, nothing else depends on them)
# adventureworks: the CSV data files are not loaded (\copy lines removed): schema only
sed -i -e '/^\\copy /d' adapted/adventureworks.sql
# adventureworks: the 4 literal ProductReview rows reference products whose
# CSV data is not loaded: emptied before the foreign keys are added
awk '/^ALTER TABLE Production.ProductReview ADD/ && !done {print "TRUNCATE Production.ProductReview;"; done=1} {print}' adapted/adventureworks.sql > adapted/aw.tmp && mv adapted/aw.tmp adapted/adventureworks.sql
# chinook: loads into the current database (DROP/CREATE DATABASE chinook and \c removed)
sed -i -e '/^DROP DATABASE IF EXISTS chinook;/d' -e '/^CREATE DATABASE chinook;/d' -e '/^\\c chinook;/d' adapted/chinook.sql
