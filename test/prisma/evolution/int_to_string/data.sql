INSERT INTO "Item" (code) VALUES (12), (345);
