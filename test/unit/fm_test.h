/*-------------------------------------------------------------------------
 *
 * fm_test.h
 *	  Minimal unit-test harness for the portable core.
 *
 * Each test_*.c file is one executable: it defines test functions, lists
 * them in FM_TEST_MAIN, and prints "N passed, M failed" (counting checks)
 * as its last line; it exits non-zero when a check failed.
 *
 * test/unit/fm_test.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_TEST_H
#define FM_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	fm_test_passed;
static int	fm_test_failed;
static const char *fm_test_current;

#define FM_CHECK(cond) \
	do { \
		if (cond) fm_test_passed++; \
		else { \
			fm_test_failed++; \
			fprintf(stderr, "FAIL %s (%s:%d): %s\n", fm_test_current, \
					__FILE__, __LINE__, #cond); \
		} \
	} while (0)

#define FM_CHECK_STR(got, want) \
	do { \
		const char *g_ = (got), *w_ = (want); \
		if (g_ && w_ && strcmp(g_, w_) == 0) fm_test_passed++; \
		else if (!g_ && !w_) fm_test_passed++; \
		else { \
			fm_test_failed++; \
			fprintf(stderr, "FAIL %s (%s:%d): %s\n--- got:\n%s\n--- want:\n%s\n", \
					fm_test_current, __FILE__, __LINE__, #got, \
					g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
		} \
	} while (0)

#define FM_CHECK_INT(got, want) \
	do { \
		long g_ = (long) (got), w_ = (long) (want); \
		if (g_ == w_) fm_test_passed++; \
		else { \
			fm_test_failed++; \
			fprintf(stderr, "FAIL %s (%s:%d): %s = %ld, want %ld\n", \
					fm_test_current, __FILE__, __LINE__, #got, g_, w_); \
		} \
	} while (0)

typedef struct FmTestCase
{
	const char *name;
	void		(*fn) (void);
} FmTestCase;

#define FM_TEST(fn) { #fn, fn }

#define FM_TEST_MAIN(...) \
	int main(void) \
	{ \
		static const FmTestCase cases_[] = { __VA_ARGS__ }; \
		for (size_t i_ = 0; i_ < sizeof(cases_) / sizeof(cases_[0]); i_++) \
		{ \
			fm_test_current = cases_[i_].name; \
			cases_[i_].fn(); \
		} \
		printf("%d passed, %d failed\n", fm_test_passed, fm_test_failed); \
		return fm_test_failed ? 1 : 0; \
	}

/*
 * FM_TEST_MAIN_ARENA(arena, cases...): FM_TEST_MAIN for test files whose
 * cases share one arena (a file-level FmArena *arena), created before the
 * first case and destroyed after the last.
 */
#define FM_TEST_MAIN_ARENA(arena, ...) \
	int main(void) \
	{ \
		static const FmTestCase cases_[] = { __VA_ARGS__ }; \
		(arena) = fm_arena_create(); \
		for (size_t i_ = 0; i_ < sizeof(cases_) / sizeof(cases_[0]); i_++) \
		{ \
			fm_test_current = cases_[i_].name; \
			cases_[i_].fn(); \
		} \
		fm_arena_destroy(arena); \
		printf("%d passed, %d failed\n", fm_test_passed, fm_test_failed); \
		return fm_test_failed ? 1 : 0; \
	}

#endif							/* FM_TEST_H */
