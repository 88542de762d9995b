-- 20_plan.sql: live catalog vs schema text (introspection, plan, push)

CREATE FUNCTION ferriorm_debug_introspect(schemas text[]) RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_debug_introspect'
LANGUAGE C STRICT VOLATILE;
