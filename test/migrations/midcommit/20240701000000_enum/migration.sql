CREATE TYPE mc_kind AS ENUM ('a');
CREATE TABLE mc_t (id int, k mc_kind);
ALTER TYPE mc_kind ADD VALUE 'b';
COMMIT;
INSERT INTO mc_t VALUES (1, 'b');
