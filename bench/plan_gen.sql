-- bench/plan_gen.sql: generator of benchmark schemas for bench/plan.sh
--
-- pg_temp.bench_schema(ntables, changed_pct, schema_name) returns schema
-- text with ntables models of 10 columns each (primary key, a unique, two
-- indexes, a foreign key to the previous model: the first one closes the
-- cycle) and 10 enums.  With changed_pct > 0, that share of the models gets
-- one more column and one more index.

CREATE OR REPLACE FUNCTION pg_temp.bench_schema(ntables int, changed_pct int, nsp text)
RETURNS text LANGUAGE sql AS $f$
SELECT format($t$datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
  schemas  = ["%s"]
}

$t$, nsp)
  || (SELECT string_agg(format($t$enum Kind%s {
  A
  B
  C
  @@schema("%s")
}
$t$, k, nsp), E'\n') FROM generate_series(0, 9) k)
  || E'\n'
  || (SELECT string_agg(format($t$model T%s {
  id        Int      @id @default(autoincrement())
  code      String   @unique @db.VarChar(32)
  name      String
  qty       Int      @default(0)
  price     Decimal  @db.Decimal(10, 2)
  note      String?
  kind      Kind%s   @default(A)
  createdAt DateTime @default(now())
  flag      Boolean  @default(false)
  parentId  Int?
  parent    T%s?     @relation("R%s", fields: [parentId], references: [id])
  children  T%s[]    @relation("R%s")
%s  @@index([name])
  @@index([createdAt, qty])
%s  @@schema("%s")
}
$t$,
        i, i % 10,
        CASE WHEN i = 1 THEN ntables ELSE i - 1 END, i,
        CASE WHEN i = ntables THEN 1 ELSE i + 1 END,
        CASE WHEN i = ntables THEN 1 ELSE i + 1 END,
        CASE WHEN changed_pct > 0 AND i % (100 / changed_pct) = 0
             THEN E'  extra     String?\n' ELSE '' END,
        CASE WHEN changed_pct > 0 AND i % (100 / changed_pct) = 0
             THEN E'  @@index([flag])\n' ELSE '' END,
        nsp), E'\n' ORDER BY i)
      FROM generate_series(1, ntables) i);
$f$;
