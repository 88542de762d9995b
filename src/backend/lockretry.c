/*-------------------------------------------------------------------------
 *
 * lockretry.c
 *	  Retrying a statement that failed on lock_timeout, inside a
 *	  subtransaction so that the rest of the work is kept: the shared
 *	  mechanism of ferriorm_push() and of the migration runners.
 *
 * Up to ferriorm.lock_retries retries, waiting 100 ms before the first and
 * doubling up to 5 s.  The wait is on the process latch, so a cancel or
 * a terminate ends it at once.
 *
 * Also fm_rethrow(), the one way ferriorm raises a copied error again.
 *
 * src/backend/lockretry.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/wait_event.h"

#include "ferriorm.h"

#define FM_RETRY_FIRST_MS	100
#define FM_RETRY_MAX_MS		5000

/*
 * fm_in_subxact
 *		Run fn(arg) in a subtransaction.  NULL on success; on any ERROR the
 *		subtransaction is rolled back and the error is returned, copied into
 *		errcxt, with the error state cleared.
 */
ErrorData *
fm_in_subxact(void (*fn) (void *), void *arg, MemoryContext errcxt)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	ErrorData  *volatile edata = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcxt);
	PG_TRY();
	{
		fn(arg);
		ReleaseCurrentSubTransaction();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(errcxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
	}
	PG_END_TRY();
	MemoryContextSwitchTo(oldcxt);
	CurrentResourceOwner = oldowner;
	return edata;
}

/*
 * fm_rethrow
 *		ReThrowError(edata), safe when the memory of edata is freed before
 *		the error is reported.  CopyErrorData() copies even the file,
 *		function and message-domain names, but ReThrowError() copies only
 *		the texts and keeps those four pointers, which would then point
 *		into the freed copy: CALL ferriorm_migrate() deletes the context of
 *		its copies on the way out, and the report crashed the backend when
 *		that memory had gone back to the system.  They are copied into
 *		ErrorContext first, which lives until the error has been handled.
 */
void
fm_rethrow(ErrorData *edata)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(ErrorContext);

	if (edata->filename)
		edata->filename = pstrdup(edata->filename);
	if (edata->funcname)
		edata->funcname = pstrdup(edata->funcname);
	if (edata->domain)
		edata->domain = pstrdup(edata->domain);
	if (edata->context_domain)
		edata->context_domain = pstrdup(edata->context_domain);
	MemoryContextSwitchTo(oldcxt);
	ReThrowError(edata);
}

/*
 * fm_run_with_lock_retry
 *		Run fn(arg) in a subtransaction; when it fails on lock_timeout
 *		(55P03), roll it back, say so in a NOTICE and try again after a wait
 *		that doubles from FM_RETRY_FIRST_MS to FM_RETRY_MAX_MS, up to
 *		ferriorm.lock_retries times.  Any other error, or the last timeout,
 *		is raised again.  The wait is interruptible.
 */
void
fm_run_with_lock_retry(void (*fn) (void *), void *arg)
{
	long		wait_ms = FM_RETRY_FIRST_MS;

	for (int attempt = 0;; attempt++)
	{
		ErrorData  *edata;

		CHECK_FOR_INTERRUPTS();
		edata = fm_in_subxact(fn, arg, CurrentMemoryContext);
		if (edata == NULL)
			return;
		if (edata->sqlerrcode != ERRCODE_LOCK_NOT_AVAILABLE ||
			attempt >= fm_lock_retries)
			fm_rethrow(edata);
		ereport(NOTICE,
				(errmsg("lock not available, retrying in %ld ms (retry %d of %d)",
						wait_ms, attempt + 1, fm_lock_retries),
				 errdetail_internal("%s", edata->message)));
		FreeErrorData(edata);
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 wait_ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		wait_ms = Min(wait_ms * 2, FM_RETRY_MAX_MS);
	}
}
