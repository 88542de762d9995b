-- schemas: {fleet,logs}
-- Partitioning and inheritance made in plain SQL: pull states them
-- (@@partitionBy, @@partitionOf, @@inherits) without what partitions and
-- children have from their parents; a partition in a schema pull does not
-- read, and one of a parent it does not read, stay out of the text.
CREATE SCHEMA fleet;
CREATE SCHEMA logs;
CREATE SCHEMA elsewhere;
CREATE TABLE logs.events (
	id bigint NOT NULL,
	at timestamptz NOT NULL,
	source text NOT NULL,
	body jsonb,
	PRIMARY KEY (id, at, source),
	CHECK (id > 0)
) PARTITION BY RANGE (at);
CREATE INDEX events_source_idx ON logs.events (source);
CREATE TABLE logs.events_2030 PARTITION OF logs.events
	FOR VALUES FROM ('2030-01-01 00:00+00') TO ('2031-01-01 00:00+00');
CREATE TABLE logs.events_rest PARTITION OF logs.events DEFAULT PARTITION BY LIST (source);
CREATE TABLE logs.events_rest_app PARTITION OF logs.events_rest FOR VALUES IN ('app', 'web');
CREATE TABLE logs.events_rest_misc PARTITION OF logs.events_rest FOR VALUES IN (NULL, 'misc');
-- a table made alone and attached: its columns are its own too
CREATE TABLE logs.events_2031 (LIKE logs.events INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE logs.events ATTACH PARTITION logs.events_2031
	FOR VALUES FROM ('2031-01-01 00:00+00') TO ('2032-01-01 00:00+00');
-- a partition outside the pulled schemas, and a partition of an unpulled parent
CREATE TABLE elsewhere.events_2029 PARTITION OF logs.events
	FOR VALUES FROM ('2029-01-01 00:00+00') TO ('2030-01-01 00:00+00');
CREATE TABLE elsewhere.audit (at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE logs.audit_2030 PARTITION OF elsewhere.audit FOR VALUES FROM ('2030-01-01') TO ('2031-01-01');
CREATE TABLE logs.keyed (k int NOT NULL, v text) PARTITION BY HASH (k, (lower(v)));
CREATE TABLE logs.keyed_0 PARTITION OF logs.keyed FOR VALUES WITH (MODULUS 1, REMAINDER 0);
CREATE TABLE fleet.vehicles (
	id integer PRIMARY KEY,
	maker text NOT NULL CHECK (maker <> ''),
	year integer
);
CREATE TABLE fleet.cars (seats integer NOT NULL DEFAULT 4 CHECK (seats > 0)) INHERITS (fleet.vehicles);
CREATE TABLE fleet.trucks (maker text NOT NULL, axles integer NOT NULL) INHERITS (fleet.vehicles);
CREATE TABLE fleet.vans (sliding boolean) INHERITS (fleet.cars);
-- what a partition or a child has of its own: an index, a CHECK, a key on
-- an inherited column
CREATE INDEX events_2030_body_idx ON logs.events_2030 (source, id);
ALTER TABLE logs.events_2030 ADD CONSTRAINT events_2030_small CHECK (id < 1000000);
CREATE UNIQUE INDEX events_2031_key ON logs.events_2031 (id, at, source);
ALTER TABLE fleet.cars ADD PRIMARY KEY (id);
ALTER TABLE fleet.vans ADD CONSTRAINT vans_year_check CHECK (year > 1990);
