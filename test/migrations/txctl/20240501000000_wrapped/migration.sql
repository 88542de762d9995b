BEGIN;
CREATE TABLE txctl_t (id int);
COMMIT;
