-- the extension installs, into the schema it is created in, and nothing
-- in it is executable by PUBLIC beyond what is documented
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
SELECT extname, extrelocatable, extversion, extnamespace::regnamespace
FROM pg_extension WHERE extname = 'ferriorm';
-- not relocatable
CREATE SCHEMA smoke_elsewhere;
ALTER EXTENSION ferriorm SET SCHEMA smoke_elsewhere;
DROP SCHEMA smoke_elsewhere;
