
-- ferriorm_pull (src/backend/pull.c): the catalog as schema text
CREATE FUNCTION ferriorm_pull(schemas text[] DEFAULT NULL, previous text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_pull'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION ferriorm_pull(text[], text) IS
  'the managed schemas of this database as canonical schema text';
