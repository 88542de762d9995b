
-- ---------------------------------------------------------------------
-- Production plans: lock impact of every step, online mode
-- (src/backend/plan.c, src/core/locks.c, src/core/online.c)
-- ---------------------------------------------------------------------

DROP FUNCTION ferriorm_plan(text, boolean);
CREATE FUNCTION ferriorm_plan(schema text, verify boolean DEFAULT false,
                              online boolean DEFAULT false)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_plan'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_plan(text, boolean, boolean) IS
  'DDL script taking the managed schemas of this database to the schema text';

DROP FUNCTION ferriorm_plan_steps(text);
CREATE FUNCTION ferriorm_plan_steps(schema text, online boolean DEFAULT false)
RETURNS TABLE(step int, action text, object text, ddl text, hazard text, detail text,
              lock text, rewrite boolean, scan boolean)
AS 'MODULE_PATHNAME', 'ferriorm_plan_steps'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_plan_steps(text, boolean) IS
  'the plan of ferriorm_plan(), one row per statement, with hazards and locks';
