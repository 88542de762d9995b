-- schemas: {e}
-- Names and shapes at the edges of what the language states: reserved
-- words, enum labels that are no identifiers, composite foreign keys in
-- both column orders, a foreign key to a unique column, a NOT VALID check,
-- small serial, arrays, the "char" type, string defaults with a backslash
-- and a line break, a doc comment of several lines.
CREATE SCHEMA e;
CREATE TYPE e."Weird Enum" AS ENUM ('a b', 'A_B', 'a-b', '1st', 'ünï');
CREATE TABLE e."select" (
	"from" int PRIMARY KEY,
	"order" text,
	"user" e."Weird Enum" DEFAULT 'a-b',
	c "char",
	d text DEFAULT E'a\\b',
	n text DEFAULT E'line1\nline2',
	ss smallserial,
	x int[] DEFAULT '{1,2}'
);
COMMENT ON TABLE e."select" IS E'first line\n\n  indented line';
CREATE TABLE e.parent (a int, b int, PRIMARY KEY (a, b), u int UNIQUE NOT NULL);
CREATE TABLE e.child (
	id int PRIMARY KEY,
	pa int,
	pb int,
	pu int REFERENCES e.parent (u),
	FOREIGN KEY (pa, pb) REFERENCES e.parent,
	FOREIGN KEY (pb, pa) REFERENCES e.parent (a, b)
);
CREATE TABLE e.nv (id int PRIMARY KEY, v int, CONSTRAINT nv_v_check CHECK (v > 0) NOT VALID);
CREATE TABLE e.one (id int PRIMARY KEY);
CREATE TABLE e.one_extra (one_id int PRIMARY KEY REFERENCES e.one ON DELETE CASCADE, note text);
-- the same foreign key twice, under two names
CREATE TABLE e.twice (id int PRIMARY KEY, one_id int NOT NULL);
ALTER TABLE e.twice ADD CONSTRAINT twice_a FOREIGN KEY (one_id) REFERENCES e.one;
ALTER TABLE e.twice ADD CONSTRAINT twice_b FOREIGN KEY (one_id) REFERENCES e.one ON DELETE CASCADE;
