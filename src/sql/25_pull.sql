-- ---------------------------------------------------------------------
-- Live catalog to schema text (src/backend/pull.c, src/core/print.c)
-- ---------------------------------------------------------------------

CREATE FUNCTION ferriorm_pull(schemas text[] DEFAULT NULL, previous text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_pull'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_pull(text[], text) IS
  'the managed schemas of this database as canonical schema text';
