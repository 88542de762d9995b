INSERT INTO "Item" (name) VALUES ('one'), ('two');
