INSERT INTO "Counter" (count) VALUES (1), (2147483647);
