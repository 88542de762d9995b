CREATE TABLE divide (id int);
INSERT INTO divide
    VALUES (1 / 0);
