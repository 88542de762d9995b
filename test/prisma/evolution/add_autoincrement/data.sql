INSERT INTO "Item" (id, name) VALUES (1, 'one'), (2, 'two');
