-- schemas: {public}
-- Unique keys on the columns of the primary key or of another unique key,
-- as Prisma Migrate makes them (`id String @id @unique`, `@@id([a, b])`
-- with `@@unique([a, b])`, `@unique` with `@@unique([email], map: ...)`):
-- the ferriorm dialect would merge them into the first, so pull marks the
-- table @preserve there; the prisma dialect states them.  A foreign key
-- depends on the extra index.  The untouched table keeps its model.
CREATE TABLE "Shortcode" (
    "id" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    CONSTRAINT "Shortcode_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Shortcode_id_key" ON "Shortcode"("id");
CREATE TABLE "Pair" (
    "a" INTEGER NOT NULL,
    "b" INTEGER NOT NULL,
    CONSTRAINT "Pair_pkey" PRIMARY KEY ("a", "b")
);
CREATE UNIQUE INDEX "Pair_a_b_key" ON "Pair"("a", "b");
CREATE TABLE "Member" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Member_email_key" ON "Member"("email");
CREATE UNIQUE INDEX "member_email_unique" ON "Member"("email");
CREATE TABLE "Visit" (
    "id" SERIAL NOT NULL,
    "shortcodeId" TEXT NOT NULL,
    CONSTRAINT "Visit_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_shortcodeId_fkey" FOREIGN KEY ("shortcodeId") REFERENCES "Shortcode"("id") ON DELETE CASCADE ON UPDATE CASCADE;
