CREATE TYPE eu_kind AS ENUM ('a');
CREATE TABLE eu_t (id int, k eu_kind);
ALTER TYPE eu_kind ADD VALUE 'b';
