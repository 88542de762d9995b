-- the first statement succeeds
CREATE TABLE ledger (id int PRIMARY KEY);

-- line 5: the second fails, its error position is on line 7
INSERT INTO ledger (id)
SELECT id
FROM no_such_table;
