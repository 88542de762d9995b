
-- ---------------------------------------------------------------------
-- Schema language (src/backend/language.c)
-- ---------------------------------------------------------------------

CREATE FUNCTION ferriorm_validate(schema text)
RETURNS TABLE (severity text, line integer, col integer, message text)
AS 'MODULE_PATHNAME', 'ferriorm_validate'
LANGUAGE C STRICT STABLE PARALLEL SAFE;	-- depends on ferriorm.dialect

COMMENT ON FUNCTION ferriorm_validate(text) IS
'every error and warning in a ferriorm schema, with line and column';

CREATE FUNCTION ferriorm_read_schema(path text)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_read_schema'
LANGUAGE C STRICT VOLATILE PARALLEL RESTRICTED;
-- needs superuser or pg_read_server_files, checked in C (schemafiles.c)

COMMENT ON FUNCTION ferriorm_read_schema(text) IS
'schema text of a file, or of every .prisma/.ferriorm file of a folder (a multi-file schema)';

CREATE FUNCTION ferriorm_format(schema text)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_format'
LANGUAGE C STRICT STABLE PARALLEL SAFE;	-- depends on ferriorm.dialect

COMMENT ON FUNCTION ferriorm_format(text) IS
'canonical formatting of a ferriorm schema';

CREATE FUNCTION ferriorm_diff(from_schema text, to_schema text)
RETURNS text
AS 'MODULE_PATHNAME', 'ferriorm_diff'
LANGUAGE C STABLE PARALLEL UNSAFE;
-- STABLE, not IMMUTABLE: deciding whether a column type change needs USING
-- looks up the types (on search_path) and pg_cast.  PARALLEL UNSAFE: that
-- lookup runs in a subtransaction, which parallel mode forbids.

COMMENT ON FUNCTION ferriorm_diff(text, text) IS
'DDL that takes a database from one ferriorm schema to another (NULL: from nothing)';
