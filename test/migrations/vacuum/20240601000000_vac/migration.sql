CREATE TABLE vac_t (id int);
VACUUM (ANALYZE) vac_t;
