CREATE TABLE lock_malformed (id int);
