-- CreateTable
CREATE TABLE "posts" (
    "id" SERIAL NOT NULL,
    "author_id" INTEGER NOT NULL REFERENCES "users"("id"),
    "title" TEXT NOT NULL DEFAULT 'untitled; really',
    CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);
/* a trailing comment; with a semicolon */