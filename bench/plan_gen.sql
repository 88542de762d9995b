-- bench/plan_gen.sql: generator of benchmark schemas for bench/plan.sh
--
-- bench_schema(ntables, changed_pct, schema_name) returns schema text with
-- ntables models of 10 columns each (primary key, a unique, two indexes,
-- a foreign key to the previous model: the last one closes the cycle) and
-- 10 enums.  With changed_pct > 0, that share of the models gets one more
-- column and one more index.

CREATE OR REPLACE FUNCTION pg_temp.bench_schema(ntables int, changed_pct int, nsp text)
RETURNS text LANGUAGE sql AS $f$
SELECT format(E'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://localhost/bench"\n  schemas  = ["%s"]\n}\n\n', nsp)
  || (SELECT string_agg(format(E'enum Kind%s {\n  A\n  B\n  C\n  @@schema("%s")\n}\n', k, nsp), E'\n')
      FROM generate_series(0, 9) k)
  || E'\n'
  || (SELECT string_agg(
        format(E'model T%s {\n'
               '  id        Int      @id @default(autoincrement())\n'
               '  code      String   @unique @db.VarChar(32)\n'
               '  name      String\n'
               '  qty       Int      @default(0)\n'
               '  price     Decimal  @db.Decimal(10, 2)\n'
               '  note      String?\n'
               '  kind      Kind%s   @default(A)\n'
               '  createdAt DateTime @default(now())\n'
               '  flag      Boolean  @default(false)\n'
               '  parentId  Int?\n'
               '  parent    T%s?     @relation("R%s", fields: [parentId], references: [id])\n'
               '  children  T%s[]    @relation("R%s")\n'
               '%s'
               '  @@index([name])\n'
               '  @@index([createdAt, qty])\n'
               '%s'
               '  @@schema("%s")\n'
               E'}\n',
               i, i % 10,
               CASE WHEN i = 1 THEN ntables ELSE i - 1 END, i,
               CASE WHEN i = ntables THEN 1 ELSE i + 1 END,
               CASE WHEN i = ntables THEN 1 ELSE i + 1 END,
               CASE WHEN changed_pct > 0 AND i % (100 / changed_pct) = 0
                    THEN E'  extra     String?\n' ELSE '' END,
               CASE WHEN changed_pct > 0 AND i % (100 / changed_pct) = 0
                    THEN E'  @@index([flag])\n' ELSE '' END,
               nsp),
        E'\n' ORDER BY i)
      FROM generate_series(1, ntables) i);
$f$;
