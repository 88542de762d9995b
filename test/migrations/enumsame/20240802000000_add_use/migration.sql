-- adds a value and uses it in the same migration, without a COMMIT between
ALTER TYPE es_kind ADD VALUE 'b';
INSERT INTO es_t VALUES ('b');
