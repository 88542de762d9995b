BEGIN;
CREATE TABLE txctl_r (id int);
ROLLBACK;
