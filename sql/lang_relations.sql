-- The schema language: relations.  Self-relations (one-to-many,
-- one-to-one, many-to-many), two relations between the same models told
-- apart by name, a named implicit many-to-many, composite primary and
-- foreign keys, every referential action and the default actions.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
-- catalog views used below: what PostgreSQL actually created
CREATE SCHEMA lang_relations_cat;
CREATE FUNCTION lang_relations_cat.columns(nsp name)
RETURNS TABLE ("table" name, "column" name, type text, notnull boolean, "default" text, ident "char")
LANGUAGE sql STABLE AS $f$
  SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
         a.attnotnull, pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  WHERE n.nspname = nsp AND c.relkind = 'r'
  ORDER BY c.relname, a.attnum
$f$;
CREATE FUNCTION lang_relations_cat.constraints(nsp name)
RETURNS TABLE ("table" name, name name, type "char", definition text)
LANGUAGE sql STABLE AS $f$
  SELECT c.relname, k.conname, k.contype, pg_catalog.pg_get_constraintdef(k.oid)
  FROM pg_catalog.pg_constraint k
  JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = nsp
  ORDER BY c.relname, k.conname
$f$;
CREATE FUNCTION lang_relations_cat.indexes(nsp name)
RETURNS TABLE ("table" name, index name, definition text)
LANGUAGE sql STABLE AS $f$
  SELECT c.relname, i.relname, pg_catalog.pg_get_indexdef(i.oid)
  FROM pg_catalog.pg_index x
  JOIN pg_catalog.pg_class c ON c.oid = x.indrelid
  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = nsp
  ORDER BY c.relname, i.relname
$f$;
CREATE FUNCTION lang_relations_cat.enums(nsp name)
RETURNS TABLE (type name, labels name[])
LANGUAGE sql STABLE AS $f$
  SELECT t.typname, array_agg(e.enumlabel::name ORDER BY e.enumsortorder)
  FROM pg_catalog.pg_enum e
  JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = nsp
  GROUP BY t.typname
  ORDER BY t.typname
$f$;
CREATE FUNCTION lang_relations_cat.comments(nsp name)
RETURNS TABLE (object text, comment text)
LANGUAGE sql STABLE AS $f$
  SELECT pg_catalog.pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description
  FROM pg_catalog.pg_description d
  WHERE (d.classoid = 'pg_catalog.pg_class'::regclass AND d.objoid IN
           (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
              ON n.oid = c.relnamespace WHERE n.nspname = nsp))
     OR (d.classoid = 'pg_catalog.pg_type'::regclass AND d.objoid IN
           (SELECT t.oid FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n
              ON n.oid = t.typnamespace WHERE n.nspname = nsp))
  ORDER BY 1
$f$;
CREATE SCHEMA lang_relations;
SET search_path = lang_relations, public;
CREATE TEMP TABLE src AS SELECT $fm$datasource db {
  provider = "postgresql"
  url      = "postgresql://localhost/app"
}

model Person {
  id          Int       @id @default(autoincrement())
  name        String
  /// self-relation, one-to-many
  managerId   Int?
  manager     Person?   @relation("Management", fields: [managerId], references: [id])
  reports     Person[]  @relation("Management")
  /// self-relation, one-to-one
  mentorId    Int?      @unique
  mentor      Person?   @relation("Mentoring", fields: [mentorId], references: [id], onDelete: SetNull, onUpdate: NoAction)
  mentee      Person?   @relation("Mentoring")
  /// self-relation, many-to-many
  friends     Person[]  @relation("Friendship")
  friendOf    Person[]  @relation("Friendship")
  /// two relations to the same model, told apart by name
  written     Book[]    @relation("Author")
  edited      Book[]    @relation("Editor")
  memberships Membership[]
}

model Book {
  isbn      String   @id
  title     String
  authorId  Int
  author    Person   @relation("Author", fields: [authorId], references: [id], onDelete: Cascade)
  editorId  Int?
  editor    Person?  @relation("Editor", fields: [editorId], references: [id], map: "book_editor_fk")
  tags      Tag[]    @relation("BookTags")
}

model Tag {
  name  String @id
  books Book[] @relation("BookTags")
}

/// composite primary key, referenced by a composite foreign key
model Team {
  org      String
  slug     String
  title    String
  seats    Membership[]

  @@id([org, slug])
}

model Membership {
  personId Int
  person   Person @relation(fields: [personId], references: [id], onDelete: Restrict, onUpdate: Restrict)
  teamOrg  String @default("acme")
  teamSlug String @default("main")
  team     Team   @relation(fields: [teamOrg, teamSlug], references: [org, slug], onDelete: SetDefault)
  role     String @default("member")

  @@id([personId, teamOrg, teamSlug], map: "membership_key")
  @@unique([teamOrg, teamSlug, role])
}
$fm$::text AS schema;
-- valid: no diagnostics at all
SELECT * FROM ferriorm_validate((SELECT schema FROM src));
-- the DDL that creates it from nothing executes without error
DO $$ BEGIN EXECUTE ferriorm_diff(NULL, (SELECT schema FROM src)); END $$;
SELECT * FROM lang_relations_cat.enums('lang_relations');
SELECT * FROM lang_relations_cat.columns('lang_relations');
SELECT * FROM lang_relations_cat.constraints('lang_relations');
SELECT * FROM lang_relations_cat.indexes('lang_relations');
SELECT * FROM lang_relations_cat.comments('lang_relations');
-- the foreign keys' actions, spelled out
SELECT c.relname AS "table", k.conname, k.confdeltype AS on_delete, k.confupdtype AS on_update
FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
WHERE k.contype = 'f' AND k.connamespace = 'lang_relations'::regnamespace
ORDER BY 1, 2;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA lang_relations CASCADE;
DROP SCHEMA lang_relations_cat CASCADE;
