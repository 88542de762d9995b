-- Catalog dump of the prisma oracle (test/scripts/prisma_oracle.sh): one
-- normalized line per fact about the objects a schema can create, sorted, so
-- that two databases built from the same schema text by two tools can be
-- compared with diff(1).
--
-- Covers every schema except PostgreSQL's own and `fmx` (where the oracle
-- installs ferriorm itself), and leaves out what extensions own.  Facts:
--   schema, extension (name, schema, version), enum (labels in order),
--   other user types, table (kind, persistence), column (type with typmod,
--   nullability, default, identity, generated, collation), constraint
--   (kind and definition: columns, references, actions, deferrability,
--   check expressions), index (definition with method, columns, sort,
--   predicate, plus the operator class of every key column by name, as
--   pg_get_indexdef leaves default ones out), sequence (type, bounds,
--   owner column), view (definition), comment.
-- Names are printed quoted where needed and schema-qualified: run with
-- search_path = pg_catalog so that expressions print the same way in every
-- database.
\set QUIET on
SET search_path = pg_catalog;

WITH ns AS (
	SELECT oid, nspname FROM pg_namespace
	WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'fmx')
	  AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
),
ext_owned AS (
	SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
),
rel AS (
	SELECT c.oid, c.relname, c.relkind, c.relpersistence, n.nspname,
	       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qname
	FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
	WHERE NOT EXISTS (SELECT 1 FROM ext_owned e
	                  WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid)
),
facts(line) AS (
	SELECT 'schema ' || quote_ident(nspname) FROM ns
	UNION ALL
	SELECT 'extension ' || quote_ident(x.extname) || ' schema=' || quote_ident(n.nspname)
	       || ' version=' || x.extversion
	FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
	WHERE x.extname NOT IN ('plpgsql', 'ferriorm')
	UNION ALL
	SELECT 'enum ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' labels='
	       || (SELECT string_agg(quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder)
	           FROM pg_enum e WHERE e.enumtypid = t.oid)
	FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
	WHERE t.typtype = 'e'
	  AND NOT EXISTS (SELECT 1 FROM ext_owned e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid)
	UNION ALL
	SELECT 'type ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' kind=' || t.typtype::text
	       || CASE WHEN t.typbasetype <> 0 THEN ' base=' || format_type(t.typbasetype, t.typtypmod) ELSE '' END
	FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
	WHERE t.typtype IN ('d', 'r', 'm', 'b') AND t.typelem = 0 AND t.typrelid = 0
	  AND NOT EXISTS (SELECT 1 FROM ext_owned e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid)
	  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
	                  AND d.deptype = 'i')
	UNION ALL
	SELECT 'relation ' || r.qname || ' kind=' || r.relkind::text || ' persistence=' || r.relpersistence::text
	FROM rel r WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f')
	UNION ALL
	SELECT 'column ' || r.qname || '.' || quote_ident(a.attname)
	       || ' type=' || format_type(a.atttypid, a.atttypmod)
	       || ' notnull=' || a.attnotnull
	       || coalesce(' default=' || pg_get_expr(d.adbin, d.adrelid), '')
	       || CASE WHEN a.attidentity <> '' THEN ' identity=' || a.attidentity::text ELSE '' END
	       || CASE WHEN a.attgenerated <> '' THEN ' generated=' || a.attgenerated::text ELSE '' END
	       || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
	               THEN ' collation=' || (SELECT quote_ident(collname) FROM pg_collation WHERE oid = a.attcollation)
	               ELSE '' END
	FROM rel r
	JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
	JOIN pg_type t ON t.oid = a.atttypid
	LEFT JOIN pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
	WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f')
	UNION ALL
	SELECT 'constraint ' || r.qname || '.' || quote_ident(c.conname) || ' kind=' || c.contype::text
	       || ' def=' || pg_get_constraintdef(c.oid)
	       || CASE WHEN c.contype = 'f' THEN ' match=' || c.confmatchtype::text ELSE '' END
	       || CASE WHEN NOT c.convalidated THEN ' not-valid' ELSE '' END
	FROM pg_constraint c JOIN rel r ON r.oid = c.conrelid
	UNION ALL
	SELECT 'index ' || r.qname || '.' || quote_ident(i.relname)
	       || ' def=' || regexp_replace(pg_get_indexdef(x.indexrelid), '^CREATE (UNIQUE )?INDEX \S+ ON ', 'CREATE \1INDEX ON ')
	       || ' opclasses=' || (SELECT string_agg(quote_ident(o.opcname), ',' ORDER BY k.n)
	                            FROM unnest(x.indclass) WITH ORDINALITY AS k(opc, n)
	                            JOIN pg_opclass o ON o.oid = k.opc)
	       || CASE WHEN x.indisprimary THEN ' primary' ELSE '' END
	       || CASE WHEN x.indnullsnotdistinct THEN ' nulls-not-distinct' ELSE '' END
	       || CASE WHEN x.indisclustered THEN ' clustered' ELSE '' END
	FROM pg_index x JOIN rel r ON r.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
	UNION ALL
	SELECT 'sequence ' || r.qname || ' type=' || format_type(s.seqtypid, NULL)
	       || ' start=' || s.seqstart || ' increment=' || s.seqincrement
	       || ' min=' || s.seqmin || ' max=' || s.seqmax || ' cache=' || s.seqcache || ' cycle=' || s.seqcycle
	       || coalesce(' owned-by=' || (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname)
	                                           || '.' || quote_ident(ta.attname)
	                                    FROM pg_depend d
	                                    JOIN pg_class tc ON tc.oid = d.refobjid
	                                    JOIN pg_namespace tn ON tn.oid = tc.relnamespace
	                                    JOIN pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
	                                    WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid
	                                      AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
	                                    LIMIT 1), '')
	FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid
	UNION ALL
	SELECT 'view ' || r.qname || ' def=' || regexp_replace(pg_get_viewdef(r.oid), '\s+', ' ', 'g')
	FROM rel r WHERE r.relkind IN ('v', 'm')
	UNION ALL
	SELECT 'comment ' || CASE WHEN d.objsubid = 0 THEN r.qname
	                          ELSE r.qname || '.' || quote_ident(a.attname) END
	       || ' = ' || quote_literal(d.description)
	FROM pg_description d JOIN rel r ON d.classoid = 'pg_class'::regclass AND d.objoid = r.oid
	LEFT JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = d.objsubid AND d.objsubid > 0
	UNION ALL
	SELECT 'comment type ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname) || ' = ' || quote_literal(d.description)
	FROM pg_description d JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid
	JOIN ns n ON n.oid = t.typnamespace
	UNION ALL
	SELECT 'comment schema ' || quote_ident(n.nspname) || ' = ' || quote_literal(d.description)
	FROM pg_description d JOIN ns n ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid
	WHERE n.nspname <> 'public'
	UNION ALL
	SELECT 'comment constraint ' || r.qname || '.' || quote_ident(c.conname) || ' = ' || quote_literal(d.description)
	FROM pg_description d JOIN pg_constraint c ON d.classoid = 'pg_constraint'::regclass AND d.objoid = c.oid
	JOIN rel r ON r.oid = c.conrelid
)
SELECT line FROM facts ORDER BY line COLLATE "C";
