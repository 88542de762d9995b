-- schemas: {public}
-- rebuild: no
-- What real Rails structure.sql files (danbooru, lago, openstreetmap) and
-- pg_dump schemas (pagila, supabase) have that Prisma's DDL never makes:
-- foreign keys that are DEFERRABLE (relations all the same, with a
-- /// @preserve line), unique keys and indexes NULLS NOT DISTINCT (which
-- the language cannot state: /// @preserve), foreign keys NOT VALID,
-- an index marked by CLUSTER, a domain column, a materialized view with a
-- unique index, ids from sequences the column does not own.  Tables the
-- text cannot state exactly are rebuilt otherwise (no rebuild check).
CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);
CREATE SEQUENCE users_id_seq;
CREATE TABLE users (
	id bigint NOT NULL DEFAULT nextval('users_id_seq'::regclass),
	name character varying NOT NULL,
	born year,
	created_at timestamp(6) without time zone NOT NULL,
	CONSTRAINT users_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX index_users_on_name ON users USING btree (name);
CLUSTER users USING users_pkey;
CREATE TABLE api_keys (
	id bigserial PRIMARY KEY,
	user_id bigint NOT NULL,
	key character varying NOT NULL,
	revoked_at timestamp(6) without time zone
);
CREATE UNIQUE INDEX index_api_keys_on_key ON api_keys USING btree (key);
ALTER TABLE ONLY api_keys
	ADD CONSTRAINT fk_rails_32c28d0dc2 FOREIGN KEY (user_id) REFERENCES users(id) DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE product_filter_values (
	id uuid DEFAULT gen_random_uuid() NOT NULL PRIMARY KEY,
	product_filter_id uuid NOT NULL,
	value character varying,
	deleted_at timestamp(6) without time zone
);
CREATE UNIQUE INDEX idx_pif_values_on_filter_and_value ON product_filter_values
	USING btree (product_filter_id, value) NULLS NOT DISTINCT WHERE (deleted_at IS NULL);
CREATE TABLE memberships (
	id bigserial PRIMARY KEY,
	user_id bigint NOT NULL,
	team character varying,
	CONSTRAINT memberships_user_team_key UNIQUE NULLS NOT DISTINCT (user_id, team)
);
ALTER TABLE ONLY memberships
	ADD CONSTRAINT fk_rails_99326fb65d FOREIGN KEY (user_id) REFERENCES users(id) NOT VALID;
CREATE MATERIALIZED VIEW user_counts AS SELECT name, count(*) AS n FROM users GROUP BY name;
CREATE UNIQUE INDEX user_counts_name ON user_counts (name);
