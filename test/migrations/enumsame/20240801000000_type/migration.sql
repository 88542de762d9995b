CREATE TYPE es_kind AS ENUM ('a');
CREATE TABLE es_t (k es_kind);
