INSERT INTO app."Log" (msg) VALUES ('hello');
