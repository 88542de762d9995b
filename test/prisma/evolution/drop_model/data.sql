INSERT INTO "Tag" (name) VALUES ('red'), ('blue');
