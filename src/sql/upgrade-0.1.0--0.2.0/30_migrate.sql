
-- the procedure form of deploy (src/backend/migrate.c); the deploy lock is
-- now SHARE UPDATE EXCLUSIVE on _ferriorm_migrations (src/backend/security.c)
CREATE PROCEDURE ferriorm_migrate(dir text)
AS 'MODULE_PATHNAME', 'ferriorm_migrate'
LANGUAGE C;

COMMENT ON PROCEDURE ferriorm_migrate(text) IS
'apply the pending migrations of a migrations directory, committing after each one; CALL it outside a transaction block; needs superuser or pg_read_server_files';
