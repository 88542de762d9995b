--
-- plan_plain_sql: a database created by plain SQL (serial columns, unique
-- indexes, named constraints, defaults in various spellings) plans to
-- nothing against the equivalent schema text.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;

CREATE SCHEMA pps;
CREATE TYPE pps.status AS ENUM ('draft', 'published');
CREATE TABLE pps.users (
  id         serial PRIMARY KEY,
  email      character varying(255) NOT NULL,
  name       TEXT DEFAULT ('anonymous'::text),
  karma      int4 DEFAULT '0'::integer NOT NULL,
  score      numeric(10, 2) DEFAULT 0 CONSTRAINT users_score_positive CHECK (score >= 0),
  active     bool DEFAULT TRUE NOT NULL,
  created_at timestamptz(3) DEFAULT CURRENT_TIMESTAMP NOT NULL,
  seen_at    timestamp(3),
  ratio      float8 DEFAULT (1.5)::double precision,
  handle     text,
  CONSTRAINT users_handle_uq UNIQUE (handle)
);
CREATE TABLE pps.audit_logs (
  id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  note varchar NOT NULL DEFAULT 'none'::character varying
);
CREATE UNIQUE INDEX users_email_key ON pps.users USING btree (email);
CREATE TABLE pps.posts (
  id        bigserial,
  author_id integer NOT NULL,
  title     varchar(200) NOT NULL DEFAULT '',
  status    pps.status NOT NULL DEFAULT 'draft'::pps.status,
  tags      jsonb DEFAULT '{}'::jsonb,
  CONSTRAINT posts_pkey PRIMARY KEY (id),
  CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES pps.users (id)
    ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT posts_title_check CHECK (length(title) > 0)
);
CREATE INDEX posts_author_id_title_idx ON pps.posts (author_id, title DESC);
CREATE INDEX posts_published ON pps.posts (author_id) WHERE status = 'published';
-- a generated column (stated by @generated below); not managed, so never
-- planned: a view, a materialized view, a trigger and its function, a
-- policy, a sequence
ALTER TABLE pps.users ADD COLUMN double_karma int GENERATED ALWAYS AS (karma * 2) STORED;
CREATE VIEW pps.active_users AS SELECT id FROM pps.users WHERE active;
CREATE MATERIALIZED VIEW pps.post_counts AS SELECT author_id, count(*) FROM pps.posts GROUP BY 1;
CREATE FUNCTION pps.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER users_touch BEFORE UPDATE ON pps.users FOR EACH ROW EXECUTE FUNCTION pps.touch();
ALTER TABLE pps.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_all ON pps.users USING (true);
CREATE SEQUENCE pps.invoice_numbers;
COMMENT ON TABLE pps.posts IS 'Blog posts';
COMMENT ON COLUMN pps.posts.title IS 'The title';

SELECT ferriorm_plan($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["pps"]
}

enum Status {
  draft
  published
  @@schema("pps")
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique @db.VarChar(255)
  name      String?  @default("anonymous")
  karma     Int      @default(0)
  score     Decimal? @default(0) @db.Decimal(10, 2)
  active    Boolean  @default(true)
  createdAt DateTime @default(now())
  seenAt    DateTime? @db.Timestamp(3)
  ratio     Float?   @default(1.5)
  handle    String?  @unique(map: "users_handle_uq")
  doubleKarma Int? @generated("karma * 2")
  posts     Post[]
  @@check("score >= 0", map: "users_score_positive")
  @@schema("pps")
}

model AuditLog {
  id   BigInt @id @default(autoincrement())
  note String @default("none") @db.VarChar
  @@schema("pps")
}

/// Blog posts
model Post {
  id       BigInt @id @default(autoincrement())
  authorId Int
  /// The title
  title    String @default("") @db.VarChar(200)
  status   Status @default(draft)
  tags     Json?  @default("{}")
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  @@index([authorId, title(sort: Desc)])
  @@index([authorId], map: "posts_published", where: "status = 'published'")
  @@check("length(title) > 0")
  @@schema("pps")
}
$$) AS plan;

-- the same database against a schema without the posts: only they go
SELECT ferriorm_plan($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["pps"]
}
enum Status {
  draft
  published
  @@schema("pps")
}
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique @db.VarChar(255)
  name      String?  @default("anonymous")
  karma     Int      @default(0)
  score     Decimal? @default(0) @db.Decimal(10, 2)
  active    Boolean  @default(true)
  createdAt DateTime @default(now())
  seenAt    DateTime? @db.Timestamp(3)
  ratio     Float?   @default(1.5)
  handle    String?  @unique(map: "users_handle_uq")
  doubleKarma Int? @generated("karma * 2")
  @@check("score >= 0", map: "users_score_positive")
  @@schema("pps")
}
model AuditLog {
  id   BigInt @id @default(autoincrement())
  note String @default("none") @db.VarChar
  @@schema("pps")
}
$$) AS plan;

SET client_min_messages = warning;
DROP SCHEMA pps CASCADE;
RESET client_min_messages;

-- without "schemas", the current schema is managed: what the schema text
-- lacks is dropped there, and nowhere else
CREATE SCHEMA pps_ext;
SET search_path = pps_ext, public;
CREATE TABLE pps_ext.mine (id int PRIMARY KEY);
CREATE TABLE pps_ext.theirs (id int);
SELECT ferriorm_plan($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
model Mine {
  id Int @id
  @@map("mine")
}
$$) AS plan;
RESET search_path;
-- objects that belong to an extension (ferriorm's own history table
-- included) are never part of a plan
SELECT c.relname, d.deptype
FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
WHERE c.relname = '_ferriorm_migrations' AND c.relnamespace = 'public'::regnamespace
  AND d.deptype = 'e';
SELECT ferriorm_plan($$
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
$$) AS plan_for_public;

-- invalid schema text is reported, not planned
SELECT ferriorm_plan('model {');

SET client_min_messages = warning;
DROP SCHEMA pps_ext CASCADE;
RESET client_min_messages;
