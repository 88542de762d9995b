CREATE TABLE nontx_t (id int, email text);
