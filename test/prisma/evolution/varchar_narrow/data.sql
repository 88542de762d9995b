INSERT INTO "User" (name) VALUES ('Ada'), ('a name longer than ten');
