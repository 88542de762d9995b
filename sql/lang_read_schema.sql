--
-- ferriorm_read_schema(path): the schema text of a file, or of a folder of
-- schema files (a multi-file schema, as Prisma reads one)
--
CREATE EXTENSION IF NOT EXISTS ferriorm;
\getenv abs_srcdir PG_ABS_SRCDIR
\set dir :abs_srcdir '/test/schemas'
\set folder :dir '/folder'
SET ferriorm.dialect = prisma;

-- every .prisma file of the folder and its sub-folders, in path order,
-- each after a comment naming it; dot-entries and other files are
-- skipped, a byte-order mark dropped, a missing last line end added
SELECT ferriorm_read_schema(:'folder');
-- one schema: valid, and planned as one text
SELECT * FROM ferriorm_validate(ferriorm_read_schema(:'folder'));
SELECT ferriorm_diff(NULL, ferriorm_read_schema(:'folder'));
-- a file is read as it is
SELECT ferriorm_read_schema(:'folder' || '/models/user.prisma');
-- a trailing slash or a doubled one is the same folder
SELECT ferriorm_read_schema(:'folder' || '//') = ferriorm_read_schema(:'folder') AS same;

-- a diagnostic of a folder's text names the file and the line in it, after
-- the line of the whole text: in ferriorm_validate's rows, in the errors of
-- the functions that take a schema, and in ferriorm_format's
SELECT * FROM ferriorm_validate(ferriorm_read_schema(:'dir' || '/folder_errors'));
SELECT ferriorm_diff(NULL, ferriorm_read_schema(:'dir' || '/folder_errors'));
SELECT ferriorm_format(ferriorm_read_schema(:'dir' || '/folder_syntax'));
-- a line a message mentions is named too (a name defined in two files)
SELECT line, message FROM ferriorm_validate(ferriorm_read_schema(:'dir' || '/folder_dup'));
-- a block left open in one file is reported where the next file's block
-- starts, with the file and line it was opened at
SELECT line, message FROM ferriorm_validate(ferriorm_read_schema(:'dir' || '/folder_unclosed'));
-- a text without "// file:" lines is reported as before
SELECT * FROM ferriorm_validate(E'model M {\n  id Int @id\n  x Strin\n}\n');

-- errors (the test's own path replaced, so that the output does not
-- depend on where the checkout is)
CREATE FUNCTION pg_temp.try(p text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ferriorm_read_schema(p);
  RETURN 'read';
EXCEPTION WHEN OTHERS THEN
  RETURN replace(SQLSTATE || ': ' || SQLERRM, current_setting('fm.dir'), '<dir>');
END $$;
SELECT set_config('fm.dir', :'dir', false) IS NOT NULL AS set;
SELECT pg_temp.try(:'dir' || '/empty_folder');
SELECT pg_temp.try(:'dir' || '/bad_utf8.prisma');
SELECT pg_temp.try(:'dir' || '/no_such_file.prisma');
SELECT pg_temp.try('');
-- ferriorm.max_schema_size bounds the whole, from the files' sizes
SET ferriorm.max_schema_size = 1024;
SELECT pg_temp.try(:'folder');
RESET ferriorm.max_schema_size;

-- reading server files needs pg_read_server_files, checked before the
-- path is looked at (no error tells whether it exists)
CREATE ROLE fm_read_schema_user;
SET ROLE fm_read_schema_user;
SELECT ferriorm_read_schema('/no/such/path');
RESET ROLE;
GRANT pg_read_server_files TO fm_read_schema_user;
SET ROLE fm_read_schema_user;
SELECT length(ferriorm_read_schema(:'folder')) > 0 AS read;
RESET ROLE;
DROP ROLE fm_read_schema_user;
RESET ferriorm.dialect;
