-- ---------------------------------------------------------------------
-- Live catalog vs schema text (src/backend/plan.c, introspect.c,
-- normalize_srv.c, hazards.c)
-- ---------------------------------------------------------------------

CREATE FUNCTION ferriorm_plan(schema text, verify boolean DEFAULT false,
                              online boolean DEFAULT false)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_plan'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_plan(text, boolean, boolean) IS
  'DDL script taking the managed schemas of this database to the schema text';

CREATE FUNCTION ferriorm_plan_steps(schema text, online boolean DEFAULT false)
RETURNS TABLE(step int, action text, object text, ddl text, hazard text, detail text,
              lock text, rewrite boolean, scan boolean)
AS 'MODULE_PATHNAME', 'ferriorm_plan_steps'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_plan_steps(text, boolean) IS
  'the plan of ferriorm_plan(), one row per statement, with hazards and locks';

CREATE FUNCTION ferriorm_push(schema text, allow_data_loss boolean DEFAULT false)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'ferriorm_push'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_push(text, boolean) IS
  'apply the plan of ferriorm_plan() in the current transaction';
