INSERT INTO eu_t VALUES (1, 'b');
