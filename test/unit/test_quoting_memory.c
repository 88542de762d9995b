/*-------------------------------------------------------------------------
 *
 * test_quoting_memory.c
 *	  The default quoting hooks must not take their memory from the
 *	  replaceable allocation hooks: in the backend those allocate in the
 *	  current memory context, which is freed under any buffer kept across
 *	  calls.  Here the hooks allocate from a "context" that is reset between
 *	  calls, as a backend's per-call context is; AddressSanitizer reports
 *	  any use of the freed memory.
 *
 * test/unit/test_quoting_memory.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdlib.h>

#include "fm_diff.h"
#include "fm_test.h"

/* a toy memory context: every block is freed by ctx_reset() */
#define MAX_BLOCKS 1024
static void *blocks[MAX_BLOCKS];
static int	nblocks;
static int	hook_calls;

static void *
ctx_malloc(size_t size, void *ctx)
{
	void	   *p = malloc(size ? size : 1);

	(void) ctx;
	hook_calls++;
	if (p == NULL || nblocks == MAX_BLOCKS)
		abort();
	blocks[nblocks++] = p;
	return p;
}

static void
ctx_free(void *ptr, void *ctx)
{
	(void) ctx;
	hook_calls++;
	for (int i = 0; i < nblocks; i++)
		if (blocks[i] == ptr)
		{
			blocks[i] = blocks[--nblocks];
			break;
		}
	free(ptr);
}

static void
ctx_reset(void)
{
	for (int i = 0; i < nblocks; i++)
		free(blocks[i]);
	nblocks = 0;
}

static const FmMemHooks ctx_hooks = {ctx_malloc, ctx_free};

static void
test_default_quoting_survives_context_reset(void)
{
	const FmQuoting *q = &fm_default_quoting;
	char		longname[200];

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';

	fm_set_mem_hooks(&ctx_hooks);
	hook_calls = 0;

	FM_CHECK_STR(q->quote_ident("a", q->arg), "\"a\"");
	ctx_reset();				/* end of a backend call */
	FM_CHECK_STR(q->quote_ident("b\"c", q->arg), "\"b\"\"c\"");
	ctx_reset();
	FM_CHECK(strlen(q->quote_ident(longname, q->arg)) == sizeof(longname) + 1);
	ctx_reset();
	FM_CHECK_STR(q->quote_literal("it's", q->arg), "'it''s'");
	ctx_reset();
	FM_CHECK_STR(q->quote_literal("a\\b", q->arg), "E'a\\\\b'");
	ctx_reset();

	/* nothing went through the replaceable hooks */
	FM_CHECK_INT(hook_calls, 0);
	fm_set_mem_hooks(NULL);
}

FM_TEST_MAIN({"default_quoting_survives_context_reset", test_default_quoting_survives_context_reset})
