INSERT INTO "User" (role) VALUES ('admin'), (NULL);
