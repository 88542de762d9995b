-- a lock held until the end of the migration, a setting for it alone, and
-- a work table dropped when it commits
LOCK TABLE "item" IN SHARE ROW EXCLUSIVE MODE;
SET LOCAL lock_timeout = '5s';
CREATE TEMP TABLE "item_map" ("id" INTEGER) ON COMMIT DROP;
INSERT INTO "item_map" SELECT "id" FROM "item";
ALTER TABLE "item" ADD COLUMN "note" TEXT;
UPDATE "item" SET "note" = 'mapped' WHERE "id" IN (SELECT "id" FROM "item_map");
