/*-------------------------------------------------------------------------
 *
 * list_sort.c
 *	  Sorting an FmList (declared in fm_util.h): a stable merge sort, so
 *	  that everything the core prints in sorted order comes out the same
 *	  from run to run whatever order its input came in.  Split from
 *	  fm_util.c, which keeps the lists themselves.
 *
 * src/core/list_sort.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_util.h"

#include <string.h>

/*
 * Stable merge sort (qsort is not stable, and determinism matters).
 * cmp receives pointers to the list elements (void **), like qsort.
 */
static void
merge_sort(void **a, void **tmp, int n, int (*cmp) (const void *, const void *))
{
	int			mid,
				i,
				j,
				k;

	if (n < 2)
		return;
	mid = n / 2;
	merge_sort(a, tmp, mid, cmp);
	merge_sort(a + mid, tmp, n - mid, cmp);
	i = 0;
	j = mid;
	k = 0;
	while (i < mid && j < n)
	{
		if (cmp(&a[j], &a[i]) < 0)
			tmp[k++] = a[j++];
		else
			tmp[k++] = a[i++];
	}
	while (i < mid)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, sizeof(void *) * (size_t) n);
}

/*
 * fm_list_sort
 *		Sort list in place with cmp (given pointers to the elements, as
 *		qsort), stably; the scratch array comes from fm_malloc and is freed.
 *		A list already in order (the live model, which introspection reads
 *		sorted) costs one pass of comparisons and no scratch array.
 */
void
fm_list_sort(FmList *list, int (*cmp) (const void *a, const void *b))
{
	void	  **tmp;
	int			i;

	if (list->n < 2)
		return;
	for (i = 1; i < list->n; i++)
		if (cmp(&list->items[i - 1], &list->items[i]) > 0)
			break;
	if (i == list->n)
		return;					/* in order: a stable sort changes nothing */
	tmp = fm_malloc(sizeof(void *) * (size_t) list->n);
	merge_sort(list->items, tmp, list->n, cmp);
	fm_free(tmp);
}
