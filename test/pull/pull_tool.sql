-- pull_tool.sql: helpers of test/scripts/pull.sh (round trip of
-- ferriorm_pull on every database of the test suite).  Loaded into a
-- database where the extension lives in schema "fmx"; each case runs with
-- search_path = public, fmx after pull_tool.reset() dropped every other
-- schema.
CREATE SCHEMA pull_tool;

CREATE FUNCTION pull_tool.reset() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	n name;
BEGIN
	FOR n IN SELECT nspname FROM pg_catalog.pg_namespace
			 WHERE nspname NOT IN ('fmx', 'pull_tool', 'pcu', 'information_schema')
			   AND nspname NOT LIKE 'pg\_%'
	LOOP
		EXECUTE format('DROP SCHEMA %I CASCADE', n);
	END LOOP;
	CREATE SCHEMA public;
	SET LOCAL search_path = public, fmx;
END $$;

-- the managed schemas of schema text: its datasource's "schemas", else NULL
CREATE FUNCTION pull_tool.schemas_of(s text) RETURNS text[] LANGUAGE sql AS $$
	SELECT CASE WHEN m IS NULL THEN NULL ELSE
		ARRAY(SELECT (regexp_matches(m[1], '"((?:[^"\\]|\\.)*)"', 'g'))[1]) END
	FROM (SELECT regexp_match(s, '\n\s*schemas\s*=\s*\[([^\]]*)\]') AS m) x
$$;

-- failures of the pull round trip on the database built by setup (plain
-- SQL, may be NULL) and then schema text v (may be NULL, in the ferriorm
-- dialect); schemas: what to pull (NULL: the current schema); rebuild:
-- check the database built from the pull too; dialect: the dialect of the
-- pull (ferriorm.dialect while pulling, planning and rebuilding)
CREATE FUNCTION pull_tool.check(setup text, v text, schemas text[],
								rebuild boolean DEFAULT true,
								dialect text DEFAULT 'ferriorm')
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	p text;
	p2 text;
	plan text;
	errs text;
	msg text;
	step text := 'setup';
BEGIN
	PERFORM pull_tool.reset();
	-- the setup and v are read as before (a previous check of the same
	-- statement may have set the dialect)
	PERFORM set_config('ferriorm.dialect', 'auto', true);
	IF setup IS NOT NULL THEN
		EXECUTE setup;
	END IF;
	IF v IS NOT NULL THEN
		step := 'plan(v)';
		EXECUTE ferriorm_plan(v);
	END IF;
	-- schemas that the text lists but nothing created are not pulled
	IF schemas IS NOT NULL THEN
		schemas := ARRAY(SELECT n FROM unnest(schemas) n
						 WHERE EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = n));
		IF cardinality(schemas) = 0 THEN
			RETURN;
		END IF;
	END IF;
	PERFORM set_config('ferriorm.dialect', dialect, true);
	step := 'pull';
	p := ferriorm_pull(schemas);
	step := 'plan(pull)';
	plan := ferriorm_plan(p);
	IF plan <> '' THEN
		RETURN NEXT 'plan(pull) is not empty: ' || plan || E'\n--- pulled:\n' || p;
	END IF;
	SELECT string_agg(format('%s:%s %s', line, col, message), '; ') INTO errs
	FROM ferriorm_validate(p) WHERE severity = 'error';
	IF errs IS NOT NULL THEN
		RETURN NEXT 'validate(pull) has errors: ' || errs;
	END IF;
	IF ferriorm_format(p) <> p THEN
		RETURN NEXT 'format(pull) <> pull';
	END IF;
	IF ferriorm_pull(schemas) <> p THEN
		RETURN NEXT 'pull is not deterministic';
	END IF;
	-- the ferriorm dialect merges a unique key into the primary key or
	-- unique key of the same columns: a table with both is @preserve'd, and
	-- a database built from the text has the merged form
	IF NOT rebuild
		OR (dialect <> 'prisma' AND p ~ 'which the ferriorm dialect would merge into it') THEN
		RETURN;
	END IF;
	-- from nothing: the pulled text builds a database that pulls the same
	step := 'diff(NULL, pull)';
	PERFORM pull_tool.reset();
	EXECUTE ferriorm_diff(NULL, p);
	p2 := ferriorm_pull(schemas);
	-- the prisma dialect writes no comments (Prisma Migrate writes none):
	-- the rebuilt database has none to pull, so its doc comments are not
	-- compared,
	-- nor its notes of what it cannot state (@collate, @generated,
	-- @@unlogged, @@storage, partitioning...: plans keep them, and a
	-- database built from the text has them in the form the text states)
	IF dialect = 'prisma' THEN
		p := regexp_replace(p, '^ *///.*\n', '', 'gn');
		p2 := regexp_replace(p2, '^ *///.*\n', '', 'gn');
	END IF;
	-- (in either dialect, the notes of what no text states, such as a
	-- sequence's options, which the database built from the text lacks)
	p := regexp_replace(p, '^// not stated in the (prisma|ferriorm) dialect, kept by plans: .*\n', '', 'gn');
	p2 := regexp_replace(p2, '^// not stated in the (prisma|ferriorm) dialect, kept by plans: .*\n', '', 'gn');
	-- the text is a fixpoint: PostgreSQL's deparsed CHECK and index
	-- predicate texts that it reads back otherwise (nested ANDs, an array
	-- cast as a whole) are printed as it reads them back
	-- (fm_normalize_pulled), so every line must be identical
	IF p2 <> p THEN
		RETURN NEXT E'pull of diff(NULL, pull) differs:\n--- first:\n' || p || E'\n--- second:\n' || p2;
	END IF;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
	RETURN NEXT format('%s failed: %s', step, msg);
END $$;

CREATE FUNCTION pull_tool.report(name text, failures text[]) RETURNS text
LANGUAGE sql AS $$
	SELECT CASE WHEN cardinality(failures) = 0 THEN 'ok   ' || name
		ELSE 'FAIL ' || name || E'\n  ' || array_to_string(failures, E'\n  ') END
$$;
