/*-------------------------------------------------------------------------
 *
 * test_naming.c
 *	  Unit tests of the naming rules (naming.c): snake_case, identifier
 *	  clipping and PostgreSQL's makeObjectName() truncation.
 *
 * test/unit/test_naming.c
 *
 *-------------------------------------------------------------------------
 */
#include <string.h>

#include "fm_test.h"
#include "fm_model.h"

static FmArena *A;

static void
test_snake_case(void)
{
	FM_CHECK_STR(fm_snake_case(A, "createdAt"), "created_at");
	FM_CHECK_STR(fm_snake_case(A, "User"), "user");
	FM_CHECK_STR(fm_snake_case(A, "BlogPost"), "blog_post");
	FM_CHECK_STR(fm_snake_case(A, "HTTPServer"), "h_t_t_p_server");
	FM_CHECK_STR(fm_snake_case(A, "id"), "id");
	FM_CHECK_STR(fm_snake_case(A, "ChiefEditor"), "chief_editor");
	FM_CHECK_STR(fm_snake_case(A, "ADMIN"), "a_d_m_i_n");
	FM_CHECK_STR(fm_snake_case(A, "address2Line"), "address2_line");
	FM_CHECK_STR(fm_snake_case(A, "already_snake"), "already_snake");
	FM_CHECK_STR(fm_snake_case(A, "ÄrgerX"), "Ärger_x");	/* ASCII only */
	FM_CHECK_STR(fm_snake_case(A, ""), "");
	FM_CHECK(fm_snake_case(A, NULL) == NULL);
}

/* enum labels: the ferriorm ORM client's rule (sqlx rename_all, heck) */
static void
test_snake_case_words(void)
{
	FM_CHECK_STR(fm_snake_case_words(A, "User"), "user");
	FM_CHECK_STR(fm_snake_case_words(A, "SuperAdmin"), "super_admin");
	FM_CHECK_STR(fm_snake_case_words(A, "ADMIN"), "admin");
	FM_CHECK_STR(fm_snake_case_words(A, "HTTPError"), "http_error");
	FM_CHECK_STR(fm_snake_case_words(A, "ADMIN_USER"), "admin_user");
	/* non-ASCII letters: kept, caseless */
	FM_CHECK_STR(fm_snake_case_words(A, "gro\xC3\x9F"), "gro\xC3\x9F");
	FM_CHECK_STR(fm_snake_case_words(A, "Gro\xC3\x9F" "Admin"), "gro\xC3\x9F_admin");
	FM_CHECK_STR(fm_snake_case_words(A, "\xC3\x84rger"), "\xC3\x84rger");
	FM_CHECK_STR(fm_snake_case_words(A, "\xE5\x90\x8D_X"), "\xE5\x90\x8D_x");
	FM_CHECK_STR(fm_snake_case_words(A, "Level2Admin"), "level2_admin");
	FM_CHECK_STR(fm_snake_case_words(A, "ABC2Def"), "abc2_def");
	FM_CHECK_STR(fm_snake_case_words(A, "already_snake"), "already_snake");
	FM_CHECK_STR(fm_snake_case_words(A, "_a__B_"), "a_b");
	FM_CHECK_STR(fm_snake_case_words(A, "aB"), "a_b");
	FM_CHECK_STR(fm_snake_case_words(A, "X"), "x");
	FM_CHECK_STR(fm_snake_case_words(A, "___"), "");
	FM_CHECK_STR(fm_snake_case_words(A, ""), "");
	FM_CHECK(fm_snake_case_words(A, NULL) == NULL);
}

static void
test_clip(void)
{
	char		buf[200];

	memset(buf, 'a', 70);
	buf[70] = '\0';
	FM_CHECK_INT(strlen(fm_clip_identifier(A, buf)), 63);
	FM_CHECK_STR(fm_clip_identifier(A, "short"), "short");
	/* 62 ASCII bytes then a 2-byte character: it fits exactly */
	memset(buf, 'a', 62);
	strcpy(buf + 62, "é");
	FM_CHECK_INT(strlen(fm_clip_identifier(A, buf)), 62);
	/* ... 62 + 2 = 64 bytes: the é must go entirely */
	FM_CHECK_STR(fm_clip_identifier(A, buf) + 60, "aa");
	/* 61 ASCII + é (2 bytes) = 63: kept */
	memset(buf, 'a', 61);
	strcpy(buf + 61, "é");
	FM_CHECK_STR(fm_clip_identifier(A, buf), buf);
	/* 61 ASCII + 3-byte char: clipped to 61 */
	strcpy(buf + 61, "€x");
	FM_CHECK_INT(strlen(fm_clip_identifier(A, buf)), 61);
}

static void
test_make_object_name(void)
{
	char		t[100],
				c[100],
				want[100];

	FM_CHECK_STR(fm_make_object_name(A, "users", NULL, "pkey"), "users_pkey");
	FM_CHECK_STR(fm_make_object_name(A, "users", "email", "key"), "users_email_key");
	FM_CHECK_STR(fm_make_object_name(A, "t", "a_b", "idx"), "t_a_b_idx");
	FM_CHECK_STR(fm_make_object_name(A, "users", NULL, NULL), "users");

	/*
	 * 60-byte table, 10-byte column, label "key": 63 - 1 - 4 = 58 for the
	 * names; PostgreSQL shortens the longer one first: table 48, col 10.
	 */
	memset(t, 't', 60);
	t[60] = '\0';
	strcpy(c, "cccccccccc");
	memset(want, 't', 48);
	strcpy(want + 48, "_cccccccccc_key");
	FM_CHECK_STR(fm_make_object_name(A, t, c, "key"), want);
	FM_CHECK_INT(strlen(want), 63);

	/* both long: equal shares 29 + 29 */
	memset(c, 'c', 40);
	c[40] = '\0';
	memset(want, 't', 29);
	want[29] = '_';
	memset(want + 30, 'c', 29);
	strcpy(want + 59, "_key");
	FM_CHECK_STR(fm_make_object_name(A, t, c, "key"), want);

	/* odd total: 57 available -> name2 loses the tie first (29 + 28) */
	memset(want, 't', 29);
	want[29] = '_';
	memset(want + 30, 'c', 28);
	strcpy(want + 58, "_fkey");
	FM_CHECK_STR(fm_make_object_name(A, t, c, "fkey"), want);
	FM_CHECK_INT(strlen(want), 63);

	/* pkey on a 63-byte name: 63 - 5 = 58 bytes of the table */
	memset(t, 'x', 63);
	t[63] = '\0';
	memset(want, 'x', 58);
	strcpy(want + 58, "_pkey");
	FM_CHECK_STR(fm_make_object_name(A, t, NULL, "pkey"), want);

	/* multibyte: never split a character; the name may get shorter */
	memset(t, 'x', 56);
	strcpy(t + 56, "ééé");		/* 62 bytes */
	/* 58 available: 56 x + 1 é = 58 */
	memset(want, 'x', 56);
	strcpy(want + 56, "é_pkey");
	FM_CHECK_STR(fm_make_object_name(A, t, NULL, "pkey"), want);
	memset(t, 'x', 57);
	strcpy(t + 57, "ééé");		/* 63 bytes: byte 58 is inside an é */
	memset(want, 'x', 57);
	strcpy(want + 57, "_pkey");
	FM_CHECK_STR(fm_make_object_name(A, t, NULL, "pkey"), want);
}

static void
test_column_list_name(void)
{
	FmList		l = {0};
	char		big[100];

	fm_list_append(A, &l, "a");
	FM_CHECK_STR(fm_column_list_name(A, &l), "a");
	fm_list_append(A, &l, "b");
	fm_list_append(A, &l, "created_at");
	FM_CHECK_STR(fm_column_list_name(A, &l), "a_b_created_at");

	/* stops once 64 bytes are reached, like ChooseIndexNameAddition */
	memset(big, 'z', 70);
	big[70] = '\0';
	fm_list_append(A, &l, big);
	fm_list_append(A, &l, "never");
	{
		char	   *s = fm_column_list_name(A, &l);

		FM_CHECK_INT(strlen(s), strlen("a_b_created_at_") + 63);
		FM_CHECK(strstr(s, "never") == NULL);
	}
	{
		FmList		e = {0};

		FM_CHECK_STR(fm_column_list_name(A, &e), "");
	}
}

static void
run_all(void)
{
	A = fm_arena_create();
}

static void
done(void)
{
	fm_arena_destroy(A);
}

FM_TEST_MAIN(FM_TEST(run_all), FM_TEST(test_snake_case), FM_TEST(test_snake_case_words), FM_TEST(test_clip),
			 FM_TEST(test_make_object_name), FM_TEST(test_column_list_name),
			 FM_TEST(done))
