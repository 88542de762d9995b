INSERT INTO "Post" (title) VALUES ('one');
