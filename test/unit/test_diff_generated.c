/*-------------------------------------------------------------------------
 *
 * test_diff_generated.c
 *	  Unit tests of fm_diff() around a column whose type changes: the
 *	  generated columns and CHECKs that read it are dropped and re-created
 *	  around the change, whatever the order of the names, and those that
 *	  only seem to read it (its name inside a string literal, a quoted
 *	  other identifier, a comment, a longer column name) are left alone.
 *
 * Models are built by hand with the fm_model_* constructors.
 *
 * test/unit/test_diff_generated.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_diff.h"
#include "fm_build.h"
#include "fm_test.h"

static FmArena *A;

/*
 * A generated column over a retyped column is re-created around the type
 * change (PostgreSQL refuses the change under it), whatever the names'
 * order; one whose expression names the column only inside a string
 * literal or as another, quoted, identifier stays.
 */
static void
gen_model(FmModel **m, bool big)
{
	FmTable    *t;

	*m = fm_model_create(A);
	t = fm_model_add_table(*m, "s", "t");
	col(*m, t, "id", "integer", true);
	col(*m, t, "b", big ? "bigint" : "integer", true);
	fm_column_more(A, col(*m, t, "a_gen", big ? "bigint" : "integer", true))->generated =
		fm_strdup(A, "B * 2");
	fm_column_more(A, col(*m, t, "lit", "text", true))->generated =
		fm_strdup(A, "'b' || E'\\' b' || $x$ b $x$ || id::text");
	fm_column_more(A, col(*m, t, "quoted", "integer", true))->generated =
		fm_strdup(A, "\"B\" + id");
	/* a collation change is an ALTER COLUMN ... TYPE too */
	fm_column_more(A, col(*m, t, "n", "text", true))->collation = big ? "C" : NULL;
	fm_column_more(A, col(*m, t, "nu", "text", true))->generated =
		fm_strdup(A, "upper(n)");
	pk(*m, t, "t_pkey", "id");
}

static void
test_generated_over_retyped(void)
{
	FmModel    *a,
			   *b;
	char	   *s;
	const char *drop,
			   *alter,
			   *add;

	gen_model(&a, false);
	gen_model(&b, true);
	s = fmb_script(A, a, b);
	drop = strstr(s, "DROP COLUMN \"a_gen\"");
	alter = strstr(s, "ALTER COLUMN \"b\" TYPE bigint");
	add = strstr(s, "ADD COLUMN \"a_gen\" bigint GENERATED ALWAYS AS (B * 2) STORED");
	FM_CHECK(drop != NULL && alter != NULL && add != NULL);
	FM_CHECK(drop < alter && alter < add);
	FM_CHECK(strstr(s, "\"lit\"") == NULL);
	FM_CHECK(strstr(s, "\"quoted\"") == NULL);
	drop = strstr(s, "DROP COLUMN \"nu\"");
	alter = strstr(s, "ALTER COLUMN \"n\" TYPE text COLLATE \"C\"");
	add = strstr(s, "ADD COLUMN \"nu\" text GENERATED ALWAYS AS (upper(n)) STORED");
	FM_CHECK(drop != NULL && alter != NULL && add != NULL);
	FM_CHECK(drop < alter && alter < add);
	FM_CHECK_INT(fmb_nsteps(A, a, b), 6);
	FM_CHECK_INT(fmb_nsteps(A, b, b), 0);
}

/*
 * A CHECK on a column whose type changes is dropped and added again around
 * the change; one that only names a longer column containing its name, or
 * the name inside a string, is not touched.
 */
static void
test_check_over_retyped_by_name(void)
{
	FmModel    *m[2];

	for (int k = 0; k < 2; k++)
	{
		FmTable    *t;

		m[k] = fm_model_create(A);
		t = fm_model_add_table(m[k], "s", "t");
		col(m[k], t, "id", "integer", true);
		col(m[k], t, "price", k ? "bigint" : "integer", true);
		col(m[k], t, "unit_price", "integer", true);
		pk(m[k], t, "t_pkey", "id");
		check(m[k], t, "t_unit_price_check", "unit_price > 0 AND 'price' <> ''");
		check(m[k], t, "t_price_check", "\"price\" > 0");
	}
	FM_CHECK(strstr(fmb_script(A, m[0], m[1]), "t_unit_price_check") == NULL);
	FM_CHECK(strstr(fmb_script(A, m[0], m[1]), "DROP CONSTRAINT \"t_price_check\"") != NULL);
	FM_CHECK_INT(fmb_nsteps(A, m[0], m[1]), 3);
}

/*
 * Generated columns around what they read: a comment with a quote in the
 * expression does not hide the column after it; a generated column and the
 * column it reads dropped together go generated first; a generated column
 * of a recreated enum type is re-created (PostgreSQL takes no USING on a
 * generated column).
 */
static FmModel *
gen_model2(int k)
{
	FmModel    *m = fm_model_create(A);
	FmTable    *t = fm_model_add_table(m, "s", "t");

	enm(m, "s", "size", k ? "s,l,xl" : "s,m,l");
	col(m, t, "id", "integer", true);
	col(m, t, "qty", k ? "bigint" : "integer", true);
	fm_column_more(A, col(m, t, "c_total", "bigint", true))->generated =
		fm_strdup(A, "id /* it's */ + qty");
	fm_column_more(A, ecol(m, t, "sz", "s", "size", true))->generated =
		fm_strdup(A, "CASE WHEN id > 10 THEN 'l'::s.size ELSE 's'::s.size END");
	if (k == 0)
	{
		col(m, t, "a", "integer", true);
		fm_column_more(A, col(m, t, "z", "integer", true))->generated =
			fm_strdup(A, "a * 2");
	}
	pk(m, t, "t_pkey", "id");
	return m;
}

static void
test_generated_comments_drops_enums(void)
{
	char	   *s = fmb_script(A, gen_model2(0), gen_model2(1));
	const char *p;

	/* the comment's quote does not swallow qty */
	p = strstr(s, "DROP COLUMN \"c_total\"");
	FM_CHECK(p != NULL && p < strstr(s, "ALTER COLUMN \"qty\" TYPE bigint"));
	/* z before a */
	FM_CHECK(strstr(s, "DROP COLUMN \"z\"") != NULL &&
			 strstr(s, "DROP COLUMN \"z\"") < strstr(s, "DROP COLUMN \"a\""));
	/* sz re-created, never converted with USING */
	FM_CHECK(strstr(s, "ADD COLUMN \"sz\"") != NULL);
	FM_CHECK(strstr(s, "\"sz\" TYPE") == NULL);
}

FM_TEST_MAIN_ARENA(A,
	FM_TEST(test_generated_comments_drops_enums),
	FM_TEST(test_check_over_retyped_by_name),
	FM_TEST(test_generated_over_retyped))
