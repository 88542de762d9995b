-- CreateTable
CREATE TABLE "item" (
    "id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    CONSTRAINT "item_pkey" PRIMARY KEY ("id")
);
