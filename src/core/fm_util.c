/*-------------------------------------------------------------------------
 *
 * fm_util.c
 *	  Arenas, string buffers, pointer lists and small string helpers for
 *	  the portable core.
 *
 * src/core/fm_util.c
 *
 *-------------------------------------------------------------------------
 */
#include "fm_util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- memory hooks ---------- */

static void *
libc_malloc(size_t size, void *ctx)
{
	void	   *p = malloc(size ? size : 1);

	(void) ctx;
	if (p == NULL)
	{
		fputs("ferriorm: out of memory\n", stderr);
		abort();
	}
	return p;
}

static void
libc_free(void *ptr, void *ctx)
{
	(void) ctx;
	free(ptr);
}

static const FmMemHooks libc_hooks = {libc_malloc, libc_free};
static FmMemHooks mem_hooks = {libc_malloc, libc_free};

void
fm_set_mem_hooks(const FmMemHooks *hooks)
{
	mem_hooks = hooks ? *hooks : libc_hooks;
}

void *
fm_malloc(size_t size)
{
	return mem_hooks.malloc_fn(size, NULL);
}

void
fm_free(void *ptr)
{
	if (ptr)
		mem_hooks.free_fn(ptr, NULL);
}

/* ---------- arenas ---------- */

#define FM_ARENA_BLOCK 16384
#define FM_ALIGN 16

typedef struct FmArenaBlock
{
	struct FmArenaBlock *next;
	size_t		size;			/* usable bytes after the header */
	size_t		used;
	/* data follows, aligned */
} FmArenaBlock;

struct FmArena
{
	FmArenaBlock *head;			/* current block */
	size_t		reserved;
	FmMemHooks	hooks;			/* where blocks come from */
	void	   *ctx;
};

#define BLOCK_HDR ((sizeof(FmArenaBlock) + FM_ALIGN - 1) & ~(size_t) (FM_ALIGN - 1))

FmArena *
fm_arena_create_in(const FmMemHooks *hooks, void *ctx)
{
	FmArena    *a = hooks->malloc_fn(sizeof(FmArena), ctx);

	a->head = NULL;
	a->reserved = 0;
	a->hooks = *hooks;
	a->ctx = ctx;
	return a;
}

FmArena *
fm_arena_create(void)
{
	return fm_arena_create_in(&mem_hooks, NULL);
}

void
fm_arena_destroy(FmArena *arena)
{
	FmArenaBlock *b;

	if (arena == NULL)
		return;
	b = arena->head;
	while (b)
	{
		FmArenaBlock *next = b->next;

		arena->hooks.free_fn(b, arena->ctx);
		b = next;
	}
	arena->hooks.free_fn(arena, arena->ctx);
}

static FmArenaBlock *
arena_new_block(FmArena *arena, size_t bsize)
{
	FmArenaBlock *b = arena->hooks.malloc_fn(BLOCK_HDR + bsize, arena->ctx);

	b->size = bsize;
	b->used = 0;
	arena->reserved += BLOCK_HDR + bsize;
	return b;
}

static void *arena_alloc(FmArena *arena, size_t size, bool zero);

void *
fm_alloc(FmArena *arena, size_t size)
{
	return arena_alloc(arena, size, true);
}

static void *
arena_alloc(FmArena *arena, size_t size, bool zero)
{
	FmArenaBlock *b = arena->head;
	char	   *p;

	if (size > ((size_t) -1) / 2)
	{
		/* cannot be satisfied: treat like out-of-memory */
		return arena->hooks.malloc_fn((size_t) -1, arena->ctx);
	}
	size = (size + FM_ALIGN - 1) & ~(size_t) (FM_ALIGN - 1);
	if (size == 0)
		size = FM_ALIGN;
	if (b == NULL || b->size - b->used < size)
	{
		if (b != NULL && size > FM_ARENA_BLOCK / 4)
		{
			/* big chunk: a block of its own, behind the current one */
			FmArenaBlock *nb = arena_new_block(arena, size);

			nb->used = size;
			nb->next = b->next;
			b->next = nb;
			p = (char *) nb + BLOCK_HDR;
			if (zero)
				memset(p, 0, size);
			return p;
		}
		b = arena_new_block(arena, size > FM_ARENA_BLOCK / 4 ? size : FM_ARENA_BLOCK);
		b->next = arena->head;
		arena->head = b;
	}
	p = (char *) b + BLOCK_HDR + b->used;
	b->used += size;
	if (zero)
		memset(p, 0, size);
	return p;
}

char *
fm_strndup(FmArena *arena, const char *s, size_t len)
{
	char	   *p = fm_alloc(arena, len + 1);

	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
fm_strdup(FmArena *arena, const char *s)
{
	return s ? fm_strndup(arena, s, strlen(s)) : NULL;
}

char *
fm_psprintf(FmArena *arena, const char *fmt,...)
{
	FmBuf		buf;
	va_list		ap;

	fm_buf_init(&buf, arena);
	va_start(ap, fmt);
	fm_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	return buf.data;
}

size_t
fm_arena_bytes(const FmArena *arena)
{
	return arena->reserved;
}

/* ---------- string buffers ---------- */

static void
buf_reserve(FmBuf *buf, size_t extra)
{
	size_t		need = buf->len + extra + 1;
	size_t		ncap;
	char	   *nd;

	if (need <= buf->cap)
		return;
	ncap = buf->cap ? buf->cap : 64;
	while (ncap < need)
		ncap *= 2;
	nd = arena_alloc(buf->arena, ncap, false);
	if (buf->len)
		memcpy(nd, buf->data, buf->len);
	nd[buf->len] = '\0';
	buf->data = nd;
	buf->cap = ncap;
}

void
fm_buf_init(FmBuf *buf, FmArena *arena)
{
	buf->arena = arena;
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
	buf_reserve(buf, 0);
}

void
fm_buf_append_len(FmBuf *buf, const char *s, size_t len)
{
	buf_reserve(buf, len);
	if (len)
		memcpy(buf->data + buf->len, s, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

void
fm_buf_append(FmBuf *buf, const char *s)
{
	fm_buf_append_len(buf, s, strlen(s));
}

void
fm_buf_append_char(FmBuf *buf, char c)
{
	fm_buf_append_len(buf, &c, 1);
}

void
fm_buf_vprintf(FmBuf *buf, const char *fmt, va_list ap)
{
	va_list		ap2;
	int			n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_reserve(buf, (size_t) n);
	vsnprintf(buf->data + buf->len, (size_t) n + 1, fmt, ap);
	buf->len += (size_t) n;
}

void
fm_buf_printf(FmBuf *buf, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	fm_buf_vprintf(buf, fmt, ap);
	va_end(ap);
}

void
fm_buf_reset(FmBuf *buf)
{
	buf->len = 0;
	if (buf->data)
		buf->data[0] = '\0';
}

/* ---------- lists ---------- */

void
fm_list_append(FmArena *arena, FmList *list, void *item)
{
	if (list->n == list->cap)
	{
		int			ncap = list->cap ? list->cap * 2 : 8;
		void	  **ni = fm_alloc(arena, sizeof(void *) * (size_t) ncap);

		if (list->n)
			memcpy(ni, list->items, sizeof(void *) * (size_t) list->n);
		list->items = ni;
		list->cap = ncap;
	}
	list->items[list->n++] = item;
}

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

void
fm_list_sort(FmList *list, int (*cmp) (const void *a, const void *b))
{
	void	  **tmp;

	if (list->n < 2)
		return;
	tmp = fm_malloc(sizeof(void *) * (size_t) list->n);
	merge_sort(list->items, tmp, list->n, cmp);
	fm_free(tmp);
}

/* ---------- hash maps ---------- */

static uint64_t
hash_str(const char *s, uint64_t h)
{
	if (s == NULL)
		return h * 1099511628211ULL + 7;
	for (; *s; s++)
		h = (h ^ (unsigned char) *s) * 1099511628211ULL;	/* FNV-1a */
	return (h ^ 0xff) * 1099511628211ULL;
}

static FmHashEntry *
hash_slot(const FmHashMap *h, const char *k1, const char *k2)
{
	size_t		i = (size_t) hash_str(k2, hash_str(k1, 14695981039346656037ULL)) & (h->cap - 1);

	for (;;)
	{
		FmHashEntry *e = &h->e[i];

		if (!e->used || (fm_streq(e->k1, k1) && fm_streq(e->k2, k2)))
			return e;
		i = (i + 1) & (h->cap - 1);
	}
}

void *
fm_hash_get2(const FmHashMap *h, const char *k1, const char *k2)
{
	FmHashEntry *e;

	if (h->cap == 0 || k2 == NULL)
		return NULL;
	e = hash_slot(h, k1, k2);
	return e->used ? e->val : NULL;
}

void
fm_hash_put2(FmArena *arena, FmHashMap *h, const char *k1, const char *k2, void *val)
{
	FmHashEntry *e;

	if (k2 == NULL)
		return;
	if ((h->n + 1) * 2 > h->cap)
	{
		FmHashMap	nh;

		nh.cap = h->cap ? h->cap * 2 : 16;
		nh.n = 0;
		nh.e = fm_alloc(arena, nh.cap * sizeof(FmHashEntry));
		for (size_t i = 0; i < h->cap; i++)
			if (h->e[i].used)
			{
				*hash_slot(&nh, h->e[i].k1, h->e[i].k2) = h->e[i];
				nh.n++;
			}
		*h = nh;
	}
	e = hash_slot(h, k1, k2);
	if (!e->used)
		h->n++;
	e->k1 = k1;
	e->k2 = k2;
	e->val = val;
	e->used = true;
}

/* ---------- strings ---------- */

bool
fm_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

bool
fm_str_list_eq(const FmList *a, const FmList *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (!fm_streq((const char *) a->items[i], (const char *) b->items[i]))
			return false;
	return true;
}

int
fm_strcmp_null(const char *a, const char *b)
{
	if (a == NULL)
		return b == NULL ? 0 : -1;
	if (b == NULL)
		return 1;
	return strcmp(a, b);
}

static int
ascii_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

bool
fm_strcaseeq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	while (*a && *b)
	{
		if (ascii_lower((unsigned char) *a) != ascii_lower((unsigned char) *b))
			return false;
		a++;
		b++;
	}
	return *a == *b;
}

bool
fm_is_number_text(const char *s, bool exponent)
{
	const char *p = s;
	bool		digits = false;

	if (p == NULL)
		return false;
	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, digits = true;
	if (*p == '.')
	{
		p++;
		while (*p >= '0' && *p <= '9')
			p++, digits = true;
	}
	if (exponent && digits && (*p == 'e' || *p == 'E'))
	{
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return digits && *p == '\0';
}

/*
 * fm_quote_text
 *		The one quoting routine of the core (see fm_util.h).  out == NULL
 *		only measures.
 */
size_t
fm_quote_text(char *out, const char *s, char qc)
{
	size_t		n = 0;
	bool		backslash = false;

	if (s == NULL)
		s = "";
	if (qc == '\'')
		backslash = strchr(s, '\\') != NULL;
	if (backslash)
	{
		if (out)
			out[n] = 'E';
		n++;
	}
	if (out)
		out[n] = qc;
	n++;
	for (; *s; s++)
	{
		if (*s == qc || (backslash && *s == '\\'))
		{
			if (out)
				out[n] = *s;
			n++;
		}
		if (out)
			out[n] = *s;
		n++;
	}
	if (out)
	{
		out[n] = qc;
		out[n + 1] = '\0';
	}
	return n + 1;
}

void
fm_buf_append_quoted(FmBuf *buf, const char *s, char qc)
{
	size_t		need = fm_quote_text(NULL, s, qc);
	char		small[256];
	char	   *tmp = need < sizeof(small) ? small : fm_alloc(buf->arena, need + 1);

	(void) fm_quote_text(tmp, s, qc);
	fm_buf_append_len(buf, tmp, need);
}

char *
fm_sql_string(FmArena *arena, const char *s)
{
	size_t		need = fm_quote_text(NULL, s, '\'');
	char	   *out = fm_alloc(arena, need + 1);

	(void) fm_quote_text(out, s, '\'');
	return out;
}

/*
 * Levenshtein distance, case-insensitive, bounded: returns max + 1 as soon
 * as the distance must exceed max.  Strings longer than 64 bytes are not
 * compared (returns max + 1): suggestions are for short names.
 */
int
fm_edit_distance(const char *a, const char *b, int max)
{
	int			la = (int) strlen(a),
				lb = (int) strlen(b);
	int			prev[65],
				cur[65];

	if (la > 64 || lb > 64 || (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (int j = 0; j <= lb; j++)
		prev[j] = j;
	for (int i = 1; i <= la; i++)
	{
		int			rowmin;

		cur[0] = i;
		rowmin = cur[0];
		for (int j = 1; j <= lb; j++)
		{
			int			cost = ascii_lower((unsigned char) a[i - 1]) ==
				ascii_lower((unsigned char) b[j - 1]) ? 0 : 1;
			int			v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			cur[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (rowmin > max)
			return max + 1;
		memcpy(prev, cur, sizeof(int) * (size_t) (lb + 1));
	}
	return prev[lb] > max ? max + 1 : prev[lb];
}
