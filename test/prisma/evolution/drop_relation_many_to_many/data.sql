INSERT INTO "Post" (title) VALUES ('p');
INSERT INTO "Tag" (name) VALUES ('t');
INSERT INTO "_PostToTag" ("A", "B") VALUES (1, 1);
