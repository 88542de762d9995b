INSERT INTO "Category" (name) VALUES ('root');
