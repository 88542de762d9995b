CREATE TABLE bad_first (id int);
