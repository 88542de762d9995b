-- The schema language: relations.  Self-relations (one-to-many,
-- one-to-one, many-to-many), two relations between the same models told
-- apart by name, a named implicit many-to-many, composite primary and
-- foreign keys, every referential action and the default actions.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS ferriorm;
RESET client_min_messages;
-- catalog listing functions (lang_cat.columns, constraints, indexes,
-- enums, comments): what PostgreSQL actually created
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/lang_catalog.psql
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
SELECT * FROM lang_cat.enums('lang_relations');
SELECT * FROM lang_cat.columns('lang_relations');
SELECT * FROM lang_cat.constraints('lang_relations');
SELECT * FROM lang_cat.indexes('lang_relations');
SELECT * FROM lang_cat.comments('lang_relations');
-- the foreign keys' actions, spelled out
SELECT c.relname AS "table", k.conname, k.confdeltype AS on_delete, k.confupdtype AS on_update
FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
WHERE k.contype = 'f' AND k.connamespace = 'lang_relations'::regnamespace
ORDER BY 1, 2;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA lang_relations CASCADE;
DROP SCHEMA lang_cat CASCADE;
