INSERT INTO "User" (name) VALUES ('Ada');
