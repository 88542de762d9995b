INSERT INTO "Item" (code) VALUES ('a'), ('b');
