-- AlterTable
ALTER TABLE "Note" ADD COLUMN     "title" TEXT;
