INSERT INTO "User" (email, bio, age) VALUES ('a@x', 'hello', 30), ('b@x', NULL, 40);
