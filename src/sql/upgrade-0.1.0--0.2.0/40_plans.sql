
-- ---------------------------------------------------------------------
-- Production plans: lock impact of every step (src/backend/plan.c,
-- src/core/locks.c)
-- ---------------------------------------------------------------------

DROP FUNCTION ferriorm_plan_steps(text);
CREATE FUNCTION ferriorm_plan_steps(schema text)
RETURNS TABLE(step int, action text, object text, ddl text, hazard text, detail text,
              lock text, rewrite boolean, scan boolean)
AS 'MODULE_PATHNAME', 'ferriorm_plan_steps'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_plan_steps(text) IS
  'the plan of ferriorm_plan(), one row per statement, with hazards and locks';
