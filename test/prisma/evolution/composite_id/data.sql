INSERT INTO "Membership" ("userId", "teamId") VALUES (1, 1), (1, 2);
