-- bench/catalog_read.sql: catalog_read(schema), the plain catalog read
-- that bench/plan.sh and bench/pull.sh compare ferriorm with: the tables,
-- columns (format_type, pg_get_expr), constraints (pg_get_constraintdef),
-- indexes (pg_get_indexdef) and enums of one schema.
-- the plain catalog read of the objects of a schema
CREATE OR REPLACE FUNCTION catalog_read(nsp text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  total bigint := 0;
  n bigint;
BEGIN
  SELECT sum(length(x::text)) INTO n FROM (
    SELECT c.oid, c.relname, c.relkind, d.description
    FROM pg_class c LEFT JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = 0
      AND d.classoid = 'pg_class'::regclass
    WHERE c.relnamespace = nsp::regnamespace AND c.relkind IN ('r', 'p')) x;
  total := total + coalesce(n, 0);
  SELECT sum(length(x::text)) INTO n FROM (
    SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
           a.attnotnull, a.attidentity, pg_get_expr(d.adbin, d.adrelid)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = nsp::regnamespace AND c.relkind IN ('r', 'p')
      AND a.attnum > 0 AND NOT a.attisdropped) x;
  total := total + coalesce(n, 0);
  SELECT sum(length(x::text)) INTO n FROM (
    SELECT co.conrelid, co.conname, co.contype, pg_get_constraintdef(co.oid)
    FROM pg_constraint co WHERE co.connamespace = nsp::regnamespace) x;
  total := total + coalesce(n, 0);
  SELECT sum(length(x::text)) INTO n FROM (
    SELECT i.indrelid, i.indexrelid, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    WHERE c.relnamespace = nsp::regnamespace) x;
  total := total + coalesce(n, 0);
  SELECT sum(length(x::text)) INTO n FROM (
    SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
    WHERE t.typnamespace = nsp::regnamespace ORDER BY t.typname, e.enumsortorder) x;
  total := total + coalesce(n, 0);
  RETURN total;
END $$;
