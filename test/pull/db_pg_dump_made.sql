-- schemas: {public}
-- What real pg_dump schemas (pagila, lago, danbooru) have that the prisma
-- dialect cannot state but plans keep: a partitioned table with a DEFAULT
-- partition, an UNLOGGED table, a generated column, a column collation;
-- the prisma dialect says so in "//" lines, and a database built from the
-- text has the rest.  Also: ids from sequences the column does not own,
-- created apart as pg_dump writes them, and a pattern-ops index.
CREATE SEQUENCE film_film_id_seq
	START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE TABLE film (
	film_id integer DEFAULT nextval('film_film_id_seq'::regclass) NOT NULL,
	title text NOT NULL,
	length smallint,
	length_hours numeric(4,2) GENERATED ALWAYS AS (round(length / 60.0, 2)) STORED,
	code text COLLATE "C",
	last_update timestamp with time zone DEFAULT now() NOT NULL
);
ALTER TABLE ONLY film ADD CONSTRAINT film_pkey PRIMARY KEY (film_id);
CREATE INDEX film_title_pattern ON film USING btree (title text_pattern_ops);
CREATE UNLOGGED TABLE rate_limits (
	id bigserial PRIMARY KEY,
	key character varying NOT NULL,
	points double precision NOT NULL
);
CREATE TABLE payment (
	payment_id integer NOT NULL,
	film_id integer NOT NULL,
	amount numeric(5,2) NOT NULL,
	payment_date timestamp with time zone NOT NULL,
	CONSTRAINT payment_pkey PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);
CREATE TABLE payment_p2022_01 PARTITION OF payment
	FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00');
CREATE TABLE payment_default PARTITION OF payment DEFAULT;
CREATE INDEX idx_fk_payment_film_id ON ONLY payment USING btree (film_id);
