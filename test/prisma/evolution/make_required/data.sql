INSERT INTO "User" (name) VALUES ('Ada'), ('Grace');
