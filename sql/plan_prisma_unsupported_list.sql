--
-- Arrays of types the prisma dialect has no name for.  Prisma's db pull
-- prints such a column as a list of Unsupported named by the array type's
-- own name, Unsupported("_circle")[] for circle[], and its diff takes that
-- text for the live column; Prisma writes a hand-made Unsupported("circle")[]
-- as circle[].  ferriorm_pull prints the first form where the array type
-- has PostgreSQL's name ("_" and the element's), the element text whole
-- otherwise (a typmod, a schema), and plans read both forms back as the
-- array, keeping a live NOT NULL as for every list of the dialect.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
CREATE SCHEMA ul;
CREATE SCHEMA ul_other;
SET search_path = ul, public;
SET ferriorm.dialect = prisma;

CREATE DOMAIN ul.email AS text CHECK (VALUE LIKE '%@%');
CREATE TYPE ul._pair AS (a int, b int);		-- its array type is "__pair"
CREATE TYPE ul_other.point3 AS (x float8, y float8, z float8);
CREATE TABLE ul.shapes (
  id int PRIMARY KEY,
  rings circle[],
  spans int4range[] NOT NULL DEFAULT '{}',
  mails email[],
  pairs _pair[],
  pair _pair,
  waits interval(3)[],
  points ul_other.point3[]
);

-- Prisma's forms, the typmod and the schema kept whole, the NOT NULL noted
SELECT ferriorm_pull(ARRAY['ul']) AS pulled \gset
SELECT substring(:'pulled' FROM 'model shapes \{.*?\n\}') AS shapes_model;
SELECT regexp_matches(:'pulled', '// not stated[^\n]*"spans"[^\n]*') AS spans_note;

-- the pulled text plans to nothing
SELECT ferriorm_plan(:'pulled') AS replanned;

-- the element named as Prisma writes it by hand is the same array
SELECT ferriorm_plan(replace(replace(:'pulled',
  'Unsupported("_circle")[]', 'Unsupported("circle")[]'),
  'Unsupported("_int4range")[]', 'Unsupported("int4range")[]')) AS element_form;

-- created from the text: both forms make the array; the array type's name
-- is read as the array (Prisma would write "_int4range[]", which
-- PostgreSQL refuses)
SELECT count(*) > 0 AS pushed FROM ferriorm_push($$
datasource db {
  provider = "postgresql"
  schemas  = ["ul"]
}
model made {
  id    Int                         @id
  rings Unsupported("circle")[]
  spans Unsupported("_int4range")[] @default(dbgenerated("'{}'"))
  pairs Unsupported("__pair")[]
  @@schema("ul")
}
$$);
SELECT attname, format_type(atttypid, atttypmod), attnotnull,
       pg_get_expr(adbin, adrelid) AS dflt
FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum
WHERE attrelid = 'ul.made'::regclass AND attnum > 0 ORDER BY attnum;

-- a list of Unsupported takes no default but dbgenerated(), as in Prisma
-- (whose db pull prints @default([]) for '{}', which its validator refuses)
SELECT * FROM ferriorm_validate($$
datasource db {
  provider = "postgresql"
}
model m {
  id Int                       @id
  a  Unsupported("_circle")[]  @default([])
  b  Unsupported("circle")[]   @default(["x"])
}
$$);

-- the ferriorm dialect states the array inside Unsupported, as before
SET ferriorm.dialect = ferriorm;
SELECT * FROM ferriorm_validate($$
datasource db {
  provider = "postgresql"
}
model m {
  id Int                      @id
  a  Unsupported("circle")[]
}
$$);
SELECT substring(ferriorm_pull(ARRAY['ul']) FROM 'model \w+ \{.*?\n\}') AS ferriorm_dialect;
RESET ferriorm.dialect;

DROP SCHEMA ul CASCADE;
DROP SCHEMA ul_other CASCADE;
