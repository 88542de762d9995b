INSERT INTO "User" (name) VALUES ('Ada'), ('twenty characters!!!');
