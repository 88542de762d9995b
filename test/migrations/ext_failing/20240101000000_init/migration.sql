-- The extension is created, then the migration fails.
CREATE EXTENSION citext;
CREATE TABLE "users" ("id" SERIAL PRIMARY KEY, "email" CITEXT NOT NULL);
INSERT INTO "users" ("email") SELECT "email" FROM no_such_table;
