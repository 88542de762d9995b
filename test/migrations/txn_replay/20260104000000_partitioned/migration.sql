-- hand-edited, as trigger.dev's: Prisma cannot state the partitioning
CREATE TABLE "event" (
    "id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    CONSTRAINT "event_pkey" PRIMARY KEY ("id", "day")
) PARTITION BY RANGE ("day");
CREATE TABLE "event_2026" PARTITION OF "event" FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
