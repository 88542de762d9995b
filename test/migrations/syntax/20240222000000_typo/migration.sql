CREATE TABLE syntax_typo (id int);

CREATE TABLE syntax_typo2 (
    id int,
    name txt NOT NULL,,
);
