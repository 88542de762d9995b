-- the same work table again: the one of the last migration is gone
CREATE TEMP TABLE "item_map" ("id" INTEGER) ON COMMIT DROP;
INSERT INTO "item_map" SELECT "id" FROM "item";
-- CreateIndex
CREATE INDEX "item_kind_idx" ON "item"("kind");
