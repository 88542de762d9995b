INSERT INTO "Counter" (count) VALUES (1), (42);
