-- a script run by hand once, kept beside the migration folders
UPDATE "Note" SET "title" = 'untitled' WHERE "title" IS NULL;
