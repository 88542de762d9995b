--
-- plan_prisma_live: what a prisma-dialect plan leaves as it is live,
-- because Prisma Migrate never changes it either and a database that
-- Prisma's own migrations (or raw SQL in them) built has it:
--   - the order of an enum's labels (Prisma's ALTER TYPE ... ADD VALUE
--     appends): only missing labels are added, the type is never recreated
--     to reorder them; removing a label still recreates it;
--   - an index with an expression element, which the dialect cannot state
--     (unless the text wants its name for another index);
--   - NOT NULL on a scalar or enum list column (the dialect makes lists
--     nullable).
-- The ferriorm dialect states all three and plans them.  A CHECK
-- constraint is stated in both dialects (@@check), so a text without it
-- drops it (docs/language.md).
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
CREATE SCHEMA ppl;
SET search_path = ppl, public;
CREATE TYPE ppl."Status" AS ENUM ('open', 'closed', 'held');
CREATE TABLE ppl."Ticket" (
  id integer PRIMARY KEY,
  title text NOT NULL,
  status ppl."Status" NOT NULL DEFAULT 'open',
  tags text[] NOT NULL DEFAULT ARRAY[]::text[],
  flags ppl."Status"[] NOT NULL,
  CONSTRAINT "Ticket_title_check" CHECK (title <> '')
);
CREATE INDEX ticket_lower_title ON ppl."Ticket" (lower(title));
CREATE INDEX ticket_title ON ppl."Ticket" (title);
INSERT INTO ppl."Ticket" VALUES (1, 'a', 'held', '{}', '{open}');
CREATE TEMP TABLE s (id text PRIMARY KEY, txt text);
INSERT INTO s VALUES ('base', $$generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}

enum Status {
  open
  held
  closed
}

model Ticket {
  id     Int      @id
  title  String
  status Status   @default(open)
  tags   String[] @default([])
  flags  Status[]

  @@index([title], map: "ticket_title")
  @@check("title <> ''", map: "Ticket_title_check")
}
$$);
\pset tuples_only on
\pset format unaligned
SET ferriorm.dialect = prisma;
-- the same database for Prisma: nothing to do
SELECT ferriorm_plan((SELECT txt FROM s WHERE id = 'base')) = '' AS plans_to_nothing;
-- a CHECK is stated in both dialects: a text without it drops it
SELECT ferriorm_plan(replace((SELECT txt FROM s WHERE id = 'base'),
  E'  @@check("title <> \'\'", map: "Ticket_title_check")\n', ''));
-- a new label: added after its neighbour in the text, nothing recreated
SELECT ferriorm_plan(replace((SELECT txt FROM s WHERE id = 'base'), E'  closed\n}', E'  closed\n  merged\n}'));
-- a label removed: the type is recreated, in the text's order
SELECT ferriorm_plan(replace((SELECT txt FROM s WHERE id = 'base'), E'  held\n', ''));
-- the text wants the expression index's name for another index: replaced
SELECT ferriorm_plan(replace((SELECT txt FROM s WHERE id = 'base'), '@@index([title], map: "ticket_title")',
  E'@@index([title], map: "ticket_title")\n  @@index([status], map: "ticket_lower_title")'));
-- the ferriorm dialect states all of it, and plans it
SET ferriorm.dialect = ferriorm;
SELECT ferriorm_plan(replace(replace(replace((SELECT txt FROM s WHERE id = 'base'),
  E'generator client {\n  provider = "prisma-client-js"\n}\n\n', ''), 'model Ticket {', E'model Ticket {\n  @@map("Ticket")'),
  'enum Status {', E'enum Status {\n  @@map("Status")'));
RESET ferriorm.dialect;
\pset tuples_only off
\pset format aligned
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA ppl CASCADE;
RESET client_min_messages;
