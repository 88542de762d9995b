INSERT INTO "Event" (name) VALUES ('one'), ('two');
