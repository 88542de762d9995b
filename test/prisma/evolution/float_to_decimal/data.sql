INSERT INTO "Price" (amount) VALUES (1.5), (99.25);
