-- rt_tool.sql: helpers of test/scripts/roundtrip.sh (round-trip properties
-- of the schema language against the live catalog).  Loaded into a
-- database where the extension lives in schema "fmx"; every case runs with
-- search_path = public, fmx after rt_tool.reset() dropped every other
-- schema, so the datasource's current schema is a fresh "public".
CREATE SCHEMA rt_tool;

-- drop every schema a case may have created; a fresh, empty "public"
CREATE FUNCTION rt_tool.reset() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	n name;
BEGIN
	FOR n IN SELECT nspname FROM pg_catalog.pg_namespace
			 WHERE nspname NOT IN ('fmx', 'rt_tool', 'information_schema')
			   AND nspname NOT LIKE 'pg\_%'
	LOOP
		EXECUTE format('DROP SCHEMA %I CASCADE', n);
	END LOOP;
	CREATE SCHEMA public;
	SET LOCAL search_path = public, fmx;
END $$;

-- the error of a failed step, one line
CREATE FUNCTION rt_tool.err(step text, msg text, detail text, ctx text) RETURNS text
LANGUAGE sql AS $$
	SELECT step || ': ' || msg
		|| coalesce(' [detail: ' || nullif(detail, '') || ']', '')
		|| coalesce(' [context: ' || nullif(split_part(ctx, E'\n', 1), '') || ']', '')
$$;

-- objects left in the schemas the case created (after diff(s, ''))
CREATE FUNCTION rt_tool.leftovers() RETURNS text LANGUAGE sql AS $$
	SELECT string_agg(x, ', ' ORDER BY x) FROM (
		SELECT format('%s %I.%I', c.relkind, n.nspname, c.relname) AS x
		FROM pg_catalog.pg_class c
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname NOT IN ('fmx', 'rt_tool', 'information_schema')
		  AND n.nspname NOT LIKE 'pg\_%'
		UNION ALL
		SELECT format('type %I.%I', n.nspname, t.typname)
		FROM pg_catalog.pg_type t
		JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
		WHERE n.nspname NOT IN ('fmx', 'rt_tool', 'information_schema')
		  AND n.nspname NOT LIKE 'pg\_%' AND t.typtype = 'e') l
$$;

-- the catalog of the schemas a case created, as sorted text: what must
-- agree between the database built by ferriorm_diff(NULL, s) and the one
-- built by ferriorm_plan(s) from nothing
CREATE FUNCTION rt_tool.snapshot() RETURNS text LANGUAGE sql AS $$
	WITH nsp AS (
		SELECT oid, nspname FROM pg_catalog.pg_namespace
		WHERE nspname NOT IN ('fmx', 'rt_tool', 'information_schema')
		  AND nspname NOT LIKE 'pg\_%')
	SELECT string_agg(x, E'\n' ORDER BY x) FROM (
		SELECT format('schema %I', nspname) AS x FROM nsp
		UNION ALL
		SELECT format('column %I.%I.%I %s%s%s%s%s', n.nspname, c.relname, a.attname,
			pg_catalog.format_type(a.atttypid, a.atttypmod),
			CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
			' default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid),
			CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END,
			' comment ' || pg_catalog.col_description(c.oid, a.attnum))
		FROM pg_catalog.pg_class c JOIN nsp n ON n.oid = c.relnamespace
		JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
		WHERE c.relkind IN ('r', 'p')
		UNION ALL
		SELECT format('relation %s %I.%I%s', c.relkind::text, n.nspname, c.relname,
			' comment ' || pg_catalog.obj_description(c.oid, 'pg_class'))
		FROM pg_catalog.pg_class c JOIN nsp n ON n.oid = c.relnamespace
		UNION ALL
		SELECT format('constraint %I.%I.%I %s', n.nspname, c.relname, k.conname,
			pg_catalog.pg_get_constraintdef(k.oid))
		FROM pg_catalog.pg_constraint k
		JOIN pg_catalog.pg_class c ON c.oid = k.conrelid JOIN nsp n ON n.oid = c.relnamespace
		UNION ALL
		SELECT format('index %s', pg_catalog.pg_get_indexdef(i.indexrelid))
		FROM pg_catalog.pg_index i
		JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN nsp n ON n.oid = c.relnamespace
		UNION ALL
		SELECT format('enum %I.%I %s%s', n.nspname, t.typname,
			(SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
			 FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid),
			' comment ' || pg_catalog.obj_description(t.oid, 'pg_type'))
		FROM pg_catalog.pg_type t JOIN nsp n ON n.oid = t.typnamespace
		WHERE t.typtype = 'e') l
$$;

-- the round-trip properties of one valid schema; one row per failure
CREATE FUNCTION rt_tool.check(s text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	d text; p text; f text; snap text; f2 text; back text; msg text;
	e_msg text; e_det text; e_ctx text;
BEGIN
	PERFORM rt_tool.reset();
	-- (a) no errors
	SELECT string_agg(format('%s:%s %s', line, col, message), '; ')
	  INTO msg FROM ferriorm_validate(s) WHERE severity = 'error';
	IF msg IS NOT NULL THEN
		RETURN NEXT 'validate: ' || msg;
		RETURN;
	END IF;
	-- (b) the DDL from nothing executes
	BEGIN
		d := ferriorm_diff(NULL, s);
		EXECUTE d;
		snap := rt_tool.snapshot();
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS e_msg = MESSAGE_TEXT, e_det = PG_EXCEPTION_DETAIL, e_ctx = PG_EXCEPTION_CONTEXT;
		RETURN NEXT rt_tool.err('diff(NULL, s) executed', e_msg, e_det, e_ctx);
		RETURN;
	END;
	-- (c) the live catalog is up to date, and verifies
	BEGIN
		p := ferriorm_plan(s);
		IF p <> '' THEN
			RETURN NEXT 'plan(s) after diff(NULL, s) is not empty: ' || p;
		END IF;
		PERFORM ferriorm_plan(s, verify => true);
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS e_msg = MESSAGE_TEXT, e_det = PG_EXCEPTION_DETAIL, e_ctx = PG_EXCEPTION_CONTEXT;
		RETURN NEXT rt_tool.err('plan(s)', e_msg, e_det, e_ctx);
	END;
	-- (d) formatting is idempotent and means the same schema
	BEGIN
		f := ferriorm_format(s);
		f2 := ferriorm_format(f);
		IF f2 IS DISTINCT FROM f THEN
			RETURN NEXT E'format not idempotent:\n' || f || E'\n-- formatted again --\n' || f2;
		END IF;
		SELECT string_agg(format('%s:%s %s', line, col, message), '; ')
		  INTO msg FROM ferriorm_validate(f) WHERE severity = 'error';
		IF msg IS NOT NULL THEN
			RETURN NEXT 'formatted text does not validate: ' || msg;
		ELSE
			p := ferriorm_diff(s, f);
			IF p <> '' THEN
				RETURN NEXT 'diff(s, format(s)) is not empty: ' || p;
			END IF;
			p := ferriorm_plan(f);
			IF p <> '' THEN
				RETURN NEXT 'plan(format(s)) is not empty: ' || p;
			END IF;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS e_msg = MESSAGE_TEXT, e_det = PG_EXCEPTION_DETAIL, e_ctx = PG_EXCEPTION_CONTEXT;
		RETURN NEXT rt_tool.err('format', e_msg, e_det, e_ctx);
	END;
	-- (e) back to nothing, and forward again with the live plan
	BEGIN
		back := ferriorm_diff(s, '');
		EXECUTE back;
		msg := rt_tool.leftovers();
		IF msg IS NOT NULL THEN
			RETURN NEXT 'left after diff(s, '''') executed: ' || msg;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS e_msg = MESSAGE_TEXT, e_det = PG_EXCEPTION_DETAIL, e_ctx = PG_EXCEPTION_CONTEXT;
		RETURN NEXT rt_tool.err('diff(s, '''') executed', e_msg, e_det, e_ctx);
		RETURN;
	END;
	BEGIN
		p := ferriorm_plan(s);
		EXECUTE p;
		IF rt_tool.snapshot() IS DISTINCT FROM snap THEN
			RETURN NEXT E'the catalog built by plan(s) from nothing differs from the one built by diff(NULL, s):\n'
				|| (SELECT string_agg(x, E'\n') FROM (
					(SELECT '- ' || x FROM regexp_split_to_table(snap, E'\n') x
					 EXCEPT SELECT '- ' || x FROM regexp_split_to_table(rt_tool.snapshot(), E'\n') x)
					UNION ALL
					(SELECT '+ ' || x FROM regexp_split_to_table(rt_tool.snapshot(), E'\n') x
					 EXCEPT SELECT '+ ' || x FROM regexp_split_to_table(snap, E'\n') x)) y(x));
		END IF;
		p := ferriorm_plan(s);
		IF p <> '' THEN
			RETURN NEXT 'plan(s) after applying plan(s) from nothing is not empty: ' || p;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS e_msg = MESSAGE_TEXT, e_det = PG_EXCEPTION_DETAIL, e_ctx = PG_EXCEPTION_CONTEXT;
		RETURN NEXT rt_tool.err('plan(s) from nothing', e_msg, e_det, e_ctx);
	END;
END $$;

-- one leg of a transition: from x (created from nothing unless at_x: the
-- database is at x already) to y and back, with the live plan (live) or
-- the offline diff; after each step the target must plan to nothing.  xn
-- and yn name x and y in messages.  One row for the first failure.
CREATE FUNCTION rt_tool.leg(x text, y text, xn text, yn text, live boolean, at_x boolean)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	p text; step text;
	e_msg text; e_det text; e_ctx text;
BEGIN
	BEGIN
		IF NOT at_x THEN
			PERFORM rt_tool.reset();
			step := format('diff(NULL, %s)', xn);
			EXECUTE ferriorm_diff(NULL, x);
		END IF;
		IF live THEN
			step := format('plan(%s, verify => true) from %s', yn, xn);
			PERFORM ferriorm_plan(y, verify => true);
			step := format('plan(%s) from %s', yn, xn);
			EXECUTE ferriorm_plan(y);
		ELSE
			step := format('diff(%s, %s) from %s', xn, yn, xn);
			EXECUTE ferriorm_diff(x, y);
		END IF;
		p := ferriorm_plan(y);
		IF p <> '' THEN
			RETURN NEXT format('%s applied, plan(%s) is not empty: %s', step, yn, p);
			RETURN;
		END IF;
		IF live THEN
			step := format('plan(%s) from %s', xn, yn);
			EXECUTE ferriorm_plan(x);
		ELSE
			step := format('diff(%s, %s) from %s', yn, xn, yn);
			EXECUTE ferriorm_diff(y, x);
		END IF;
		p := ferriorm_plan(x);
		IF p <> '' THEN
			RETURN NEXT format('%s applied, plan(%s) is not empty: %s', step, xn, p);
			RETURN;
		END IF;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS e_msg = MESSAGE_TEXT, e_det = PG_EXCEPTION_DETAIL, e_ctx = PG_EXCEPTION_CONTEXT;
		RETURN NEXT rt_tool.err(step, e_msg, e_det, e_ctx);
	END;
END $$;

-- a transition between a corpus schema a and a mutant (or another corpus
-- schema) b, both ways: from b, created from nothing, to a and back with
-- the live plan (verified first), then the same with the offline diff.
-- 'SKIP' when either text is not a valid schema, or b cannot be created
-- from nothing.
CREATE FUNCTION rt_tool.transition(a text, b text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	failed text[];
BEGIN
	IF EXISTS (SELECT FROM ferriorm_validate(a) WHERE severity = 'error')
	   OR EXISTS (SELECT FROM ferriorm_validate(b) WHERE severity = 'error') THEN
		RETURN NEXT 'SKIP';
		RETURN;
	END IF;
	PERFORM rt_tool.reset();
	-- a mutant whose SQL PostgreSQL rejects (a CHECK or index on a dropped
	-- or retyped column) is no valid schema either
	BEGIN
		EXECUTE ferriorm_diff(NULL, b);
	EXCEPTION WHEN OTHERS THEN
		IF current_setting('rt.verbose_skip', true) = 'on' THEN
			RAISE WARNING 'skip (b not creatable): %', SQLERRM;
		END IF;
		RETURN NEXT 'SKIP';
		RETURN;
	END;
	-- the live leg ends at b when it passes: the offline leg starts there
	SELECT array_agg('live: ' || x) INTO failed FROM rt_tool.leg(b, a, 'b', 'a', true, true) x;
	IF failed IS NOT NULL THEN
		RETURN QUERY SELECT unnest(failed);
	END IF;
	RETURN QUERY SELECT 'offline: ' || x FROM rt_tool.leg(b, a, 'b', 'a', false, failed IS NULL) x;
END $$;

-- one report line per case; failures that all match known (a regular
-- expression from test/roundtrip/known_failures) are expected: "xfail"
CREATE FUNCTION rt_tool.report(name text, failures text[], known text DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
	SELECT CASE
		WHEN cardinality(failures) = 0 THEN
			CASE WHEN known IS NULL THEN 'ok   ' ELSE 'xpass ' END || name
		WHEN failures = ARRAY['SKIP'] THEN 'skip ' || name
		WHEN known IS NOT NULL AND
			 NOT EXISTS (SELECT FROM unnest(failures) f WHERE f !~ known) THEN
			'xfail ' || name || ': ' || split_part(failures[1], E'\n', 1)
		ELSE 'FAIL ' || name || E'\n    ' || array_to_string(failures, E'\n    ')
	END
$$;
