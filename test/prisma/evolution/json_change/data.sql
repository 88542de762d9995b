INSERT INTO "Doc" (body) VALUES ('x');
