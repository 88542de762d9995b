-- every table of the schemas that hold mv_t and the history, moved
CREATE SCHEMA IF NOT EXISTS "deploy_mv_app";
DO $$
DECLARE obj record;
BEGIN
  FOR obj IN SELECT c.oid::regclass AS rel FROM pg_class c
             WHERE c.relname IN ('mv_t', '_ferriorm_migrations') AND c.relkind = 'r'
  LOOP
    EXECUTE format('ALTER TABLE %s SET SCHEMA deploy_mv_app', obj.rel);
  END LOOP;
END $$;
