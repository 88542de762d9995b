INSERT INTO "User" (mood) VALUES ('HAPPY'), (NULL);
