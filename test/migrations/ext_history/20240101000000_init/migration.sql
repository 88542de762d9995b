-- A history that installs its own extension, as real Prisma histories do
-- (e.g. `CREATE EXTENSION citext;` in a hand-edited first migration).
CREATE EXTENSION citext;

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" CITEXT NOT NULL,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
