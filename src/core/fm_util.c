/*-------------------------------------------------------------------------
 *
 * fm_util.c
 *	  Arenas, string buffers, pointer lists, hash maps and interned
 *	  strings for the portable core (the small string helpers declared
 *	  beside them are in fm_strings.c, the sorting of lists in
 *	  list_sort.c).
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

/*
 * The default allocator: malloc, aborting with a message when it fails
 * (the core never checks for NULL).
 */
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

/* Where fm_malloc and new arenas get memory (NULL: malloc and free). */
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

/*
 * Block sizes grow with the arena: the first block is FM_ARENA_MIN_BLOCK,
 * each further one a quarter of what the arena holds already, up to
 * FM_ARENA_MAX_BLOCK.  The tail left unused when a block fills is bounded
 * by the largest chunk that goes into a shared block (a quarter of the
 * block).  Chunks over that size get a dedicated block, which buffers free
 * again when they grow (arena_grow).
 *
 * The largest block is small (32 kB) so that blocks freed during a call
 * are reused by the blocks that arenas take after them: validation frees
 * the syntax tree model by model (FmAstBlock.nodes) while the model
 * grows, and the allocator (glibc's, under palloc) fills the holes the
 * tree leaves only with requests that fit them.  With 1 MB blocks the
 * server's peak memory of validating 10,000 models was 12.0 bytes per
 * byte of text, with 32 kB 9.9 (bench/frontend.sh); the core's time did
 * not change (a malloc per 32 kB is nothing beside filling it).
 */
#define FM_ARENA_MIN_BLOCK 8192
#define FM_ARENA_MAX_BLOCK (32 * 1024)
/*
 * Chunks are aligned to 8 bytes, enough for every type of the core
 * (pointers, size_t, 64-bit integers, double); strings are not aligned at
 * all (arena_alloc_str), which saves a few bytes on each of the many short
 * names of a schema.
 */
#define ALIGN_UP(x) FM_ALIGN_UP(x)

/* FmArenaBlock is in fm_util.h, for fm_alloc's inline fast path */

/*
 * A shared block is zeroed ahead of its use, FM_ZERO_STEP bytes at a time
 * (arena_zero_to), not chunk by chunk: one memset per step instead of one
 * per node, and no more than a step touched beyond what is used (a block
 * is not zeroed whole: the resident memory of a call would count its
 * unused tail).
 */
#define FM_ZERO_STEP 65536

/* recycled arrays: lists of 8 << k bytes, hash tables of 24 << k bytes */
#define RECYCLE_CLASSES 12

struct FmArena
{
	FmArenaBlock *head;			/* current block: first (fm_util.h) */
	size_t		reserved;
	size_t		block_size;		/* size of the current shared block */
	bool		recycle;		/* fm_arena_set_recycle */
	bool		last_big;		/* the last arena_alloc_in made a dedicated block */
	void	   *free_lists[RECYCLE_CLASSES];	/* chained through their
												 * first word */
	void	   *free_tables[RECYCLE_CLASSES];
	FmMemHooks	hooks;			/* where blocks come from */
	void	   *ctx;
};

#define BLOCK_HDR FM_ARENA_BLOCK_HDR

/*
 * fm_arena_create_in
 *		A new, empty arena whose blocks come from hooks (with ctx passed
 *		through); the FmArena itself is allocated there too.  Never NULL:
 *		the hooks do not return on failure.
 */
FmArena *
fm_arena_create_in(const FmMemHooks *hooks, void *ctx)
{
	FmArena    *a = hooks->malloc_fn(sizeof(FmArena), ctx);

	a->head = NULL;
	a->reserved = 0;
	a->block_size = 0;
	a->recycle = false;
	memset(a->free_lists, 0, sizeof(a->free_lists));
	memset(a->free_tables, 0, sizeof(a->free_tables));
	a->hooks = *hooks;
	a->ctx = ctx;
	return a;
}

FmArena *
fm_arena_create(void)
{
	return fm_arena_create_in(&mem_hooks, NULL);
}

FmArena *
fm_arena_create_like(const FmArena *arena)
{
	return fm_arena_create_in(&arena->hooks, arena->ctx);
}

/*
 * fm_arena_destroy
 *		Give every block of arena, and the arena itself, back to its hooks.
 *		Everything allocated in it is gone; NULL is allowed.
 */
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

/*
 * A new block of bsize usable bytes from the arena's hooks, not yet linked.
 */
static FmArenaBlock *
arena_new_block(FmArena *arena, size_t bsize)
{
	FmArenaBlock *b = arena->hooks.malloc_fn(BLOCK_HDR + bsize, arena->ctx);

	b->size = bsize;
	b->used = 0;
	b->zeroed = 0;
	arena->reserved += BLOCK_HDR + bsize;
	return b;
}

/* make bytes [b->used, end) of shared block b zero (see FM_ZERO_STEP) */
static inline void
arena_zero_to(FmArenaBlock *b, size_t end)
{
	size_t		z;

	if (end <= b->zeroed)
		return;
	z = (end + FM_ZERO_STEP - 1) & ~(size_t) (FM_ZERO_STEP - 1);
	if (z > b->size)
		z = b->size;
	memset((char *) b + BLOCK_HDR + b->zeroed, 0, z - b->zeroed);
	b->zeroed = z;
}

/* the size of the next shared block (see the comment above) */
static size_t
next_block_size(const FmArena *arena)
{
	size_t		bsize = arena->reserved / 4;

	if (bsize < FM_ARENA_MIN_BLOCK)
		bsize = FM_ARENA_MIN_BLOCK;
	if (bsize > FM_ARENA_MAX_BLOCK)
		bsize = FM_ARENA_MAX_BLOCK;
	return ALIGN_UP(bsize);
}

/* chunks over this size get a block of their own */
#define BIG_CHUNK(arena, size) \
	((size) > ((arena)->block_size ? (arena)->block_size : FM_ARENA_MIN_BLOCK) / 4)

static void *arena_alloc_in(FmArena *arena, size_t size, bool zero, bool aligned);

#define arena_alloc(arena, size, zero) arena_alloc_in((arena), (size), (zero), true)

/* fm_alloc's slow path: a chunk the inline fast path could not bump */
void *
fm_alloc_slow(FmArena *arena, size_t size)
{
	return arena_alloc(arena, size, true);
}

/*
 * arena_alloc_in
 *		size bytes, zeroed when zero is true; aligned to FM_ALIGN (and the
 *		size rounded up to it) when aligned is true.
 *
 * A chunk that does not fit the current block is either a big chunk, put
 * in a dedicated block linked behind the current one, or starts a new
 * shared block (next_block_size) that becomes the current one.
 */
static void *
arena_alloc_in(FmArena *arena, size_t size, bool zero, bool aligned)
{
	FmArenaBlock *b = arena->head;
	size_t		start = 0;
	char	   *p;

	if (size > ((size_t) -1) / 2)
	{
		/* cannot be satisfied: treat like out-of-memory */
		return arena->hooks.malloc_fn((size_t) -1, arena->ctx);
	}
	if (aligned)
		size = ALIGN_UP(size);
	if (size == 0)
		size = aligned ? FM_ALIGN : 1;
	if (b != NULL)
		start = aligned ? ALIGN_UP(b->used) : b->used;
	arena->last_big = false;
	if (b == NULL || start > b->size || b->size - start < size)
	{
		if (BIG_CHUNK(arena, size))
		{
			/* big chunk: a block of its own, behind the current one */
			FmArenaBlock *nb = arena_new_block(arena, ALIGN_UP(size));

			arena->last_big = true;
			nb->used = nb->size;
			if (b != NULL)
			{
				nb->next = b->next;
				b->next = nb;
			}
			else
			{
				/* no current block yet: an empty one, so big ones stay behind */
				arena->block_size = next_block_size(arena);
				b = arena_new_block(arena, arena->block_size);
				b->next = nb;
				nb->next = NULL;
				arena->head = b;
			}
			p = (char *) nb + BLOCK_HDR;
			if (zero)
				memset(p, 0, size);
			return p;
		}
		arena->block_size = next_block_size(arena);
		b = arena_new_block(arena, arena->block_size);
		b->next = arena->head;
		arena->head = b;
		start = 0;
	}
	p = (char *) b + BLOCK_HDR + start;
	/* zero already, or zeroed now ahead of use: never memset per chunk */
	if (zero)
		arena_zero_to(b, start + size);
	b->used = start + size;
	if (b->zeroed < b->used)
		b->zeroed = b->used;
	return p;
}

/*
 * arena_free_big
 *		Free the chunk p of size bytes (as requested from arena_alloc) when
 *		it has a dedicated block (a big chunk); otherwise do nothing.  The
 *		caller guarantees that nothing points into p any more.
 */
static void
arena_free_big(FmArena *arena, void *p, size_t size)
{
	FmArenaBlock *prev = arena->head;
	size_t		r = ALIGN_UP(size);

	/* dedicated blocks are never the current block */
	for (FmArenaBlock *b = prev ? prev->next : NULL; b != NULL; prev = b, b = b->next)
	{
		if ((char *) b + BLOCK_HDR == (char *) p)
		{
			if (b->used == b->size && b->size == r)
			{
				prev->next = b->next;
				arena->reserved -= BLOCK_HDR + b->size;
				arena->hooks.free_fn(b, arena->ctx);
			}
			break;
		}
	}
}

/*
 * arena_grow
 *		A chunk of newsize bytes holding the first keep bytes of old, a
 *		chunk of oldsize bytes from arena_alloc (oldsize as requested then).
 *
 * When old is the last chunk of the current block and the block has room,
 * it grows in place.  With big (may be NULL) true on entry, old has a
 * dedicated block, freed once the bytes are copied: a growing buffer then
 * holds at most its current and its new copy, never every size it went
 * through; on return *big says whether the new chunk has one.  Only a
 * caller that knows (FmBuf.big) passes it: looking for the block of a
 * chunk that has none would walk every block of the arena.  (Lists do not
 * free: a list may be a struct copy of another that is still read.)
 */
static void *
arena_grow(FmArena *arena, void *old, size_t oldsize, size_t newsize,
		   size_t keep, bool *big)
{
	FmArenaBlock *b = arena->head;
	size_t		oldr = ALIGN_UP(oldsize);
	size_t		newr = ALIGN_UP(newsize);
	char	   *p;

	if (old == NULL)
	{
		p = arena_alloc(arena, newsize, false);
		if (big)
			*big = arena->last_big;
		return p;
	}
	/* in place: old is the most recent chunk of the current block */
	if (b != NULL && newsize <= ((size_t) -1) / 2 &&
		(char *) old + oldr == (char *) b + BLOCK_HDR + b->used &&
		b->size - b->used >= newr - oldr)
	{
		b->used += newr - oldr;
		if (b->zeroed < b->used)
			b->zeroed = b->used;
		return old;
	}
	p = arena_alloc(arena, newsize, false);
	if (keep)
		memcpy(p, old, keep);
	if (big)
	{
		if (*big)
			arena_free_big(arena, old, oldsize);
		*big = arena->last_big;
	}
	return p;
}

/* Copy s[0..len) into arena, NUL-terminated (unaligned: see FM_ALIGN). */
char *
fm_strndup(FmArena *arena, const char *s, size_t len)
{
	char	   *p = arena_alloc_in(arena, len + 1, false, false);

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

/*
 * fm_psprintf
 *		A formatted string of exactly its length: formatted once into a stack
 *		buffer (a second time only when longer than that buffer).
 */
char *
fm_psprintf(FmArena *arena, const char *fmt,...)
{
	char		local[256];
	va_list		ap;
	int			n;
	char	   *p;

	va_start(ap, fmt);
	n = vsnprintf(local, sizeof(local), fmt, ap);
	va_end(ap);
	if (n < 0)
		return fm_strndup(arena, "", 0);
	if ((size_t) n < sizeof(local))
		return fm_strndup(arena, local, (size_t) n);
	p = arena_alloc(arena, (size_t) n + 1, false);
	va_start(ap, fmt);
	vsnprintf(p, (size_t) n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * fm_concat_strs
 *		The NUL-terminated strings given, up to the first NULL (at most 16),
 *		joined into one string of exactly their length in arena (fm_concat
 *		adds the NULL).
 */
char *
fm_concat_strs(FmArena *arena,...)
{
	const char *parts[16];
	size_t		lens[16];
	size_t		total = 0;
	int			n = 0;
	va_list		ap;
	char	   *p,
			   *out;

	va_start(ap, arena);
	while (n < 16 && (parts[n] = va_arg(ap, const char *)) != NULL)
	{
		lens[n] = strlen(parts[n]);
		total += lens[n];
		n++;
	}
	va_end(ap);
	out = p = arena_alloc_in(arena, total + 1, false, false);
	for (int i = 0; i < n; i++)
	{
		memcpy(p, parts[i], lens[i]);
		p += lens[i];
	}
	*p = '\0';
	return out;
}

size_t
fm_arena_bytes(const FmArena *arena)
{
	return arena->reserved;
}

/* qsort comparator of block pointers, by address */
static int
block_addr_cmp(const void *a, const void *b)
{
	uintptr_t	x = (uintptr_t) *(FmArenaBlock *const *) a;
	uintptr_t	y = (uintptr_t) *(FmArenaBlock *const *) b;

	return (x > y) - (x < y);
}

/*
 * fm_arena_spans
 *		The blocks of arena, sorted by address, as arrays allocated in into
 *		(see fm_util.h).  O(b log b) for b blocks.
 */
void
fm_arena_spans(FmArena *into, const FmArena *arena, FmArenaSpans *out)
{
	FmArenaBlock **bs;
	int			n = 0;

	for (FmArenaBlock *b = arena->head; b != NULL; b = b->next)
		n++;
	bs = arena_alloc(into, sizeof(FmArenaBlock *) * (size_t) (n + 1), false);
	n = 0;
	for (FmArenaBlock *b = arena->head; b != NULL; b = b->next)
		bs[n++] = b;
	qsort(bs, (size_t) n, sizeof(FmArenaBlock *), block_addr_cmp);
	out->lo = arena_alloc(into, sizeof(char *) * (size_t) (n + 1), false);
	out->hi = arena_alloc(into, sizeof(char *) * (size_t) (n + 1), false);
	for (int i = 0; i < n; i++)
	{
		out->lo[i] = (const char *) bs[i] + BLOCK_HDR;
		out->hi[i] = out->lo[i] + bs[i]->size;
	}
	out->n = n;
}

/* does p point into one of the spans? (binary search) */
bool
fm_arena_spans_has(const FmArenaSpans *spans, const void *p)
{
	const char *c = p;
	int			lo = 0,
				hi = spans->n - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if ((uintptr_t) c < (uintptr_t) spans->lo[mid])
			hi = mid - 1;
		else if ((uintptr_t) c >= (uintptr_t) spans->hi[mid])
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

/*
 * fm_arena_set_recycle
 *		Turn recycling of outgrown list and map arrays on or off for arena;
 *		returns the previous setting.  Only for code that never lets two
 *		lists share one array (see fm_util.h).
 */
bool
fm_arena_set_recycle(FmArena *arena, bool on)
{
	bool		was = arena->recycle;

	arena->recycle = on;
	return was;
}

/* the class k with unit << k == bytes, or -1 */
static int
recycle_class(size_t bytes, size_t unit)
{
	for (int k = 0; k < RECYCLE_CLASSES; k++)
		if ((unit << k) == bytes)
			return k;
	return -1;
}

/* an array of bytes = unit << k from the free chains, or NULL */
static void *
recycled(FmArena *arena, void **chains, size_t bytes, size_t unit)
{
	int			k;
	void	   *p;

	if (!arena->recycle || (k = recycle_class(bytes, unit)) < 0 || chains[k] == NULL)
		return NULL;
	p = chains[k];
	memcpy(&chains[k], p, sizeof(void *));
	return p;
}

/*
 * give an outgrown array back (when recycling): to its class, or, larger
 * than the classes, freed when it has a block of its own
 */
static void
recycle(FmArena *arena, void **chains, void *p, size_t bytes, size_t unit)
{
	int			k;

	if (!arena->recycle || p == NULL)
		return;
	if ((k = recycle_class(bytes, unit)) < 0)
	{
		arena_free_big(arena, p, bytes);
		return;
	}
	memcpy(p, &chains[k], sizeof(void *));
	chains[k] = p;
}

/* ---------- string buffers ---------- */

/*
 * fm_buf_reserve
 *		Make room in buf for extra more bytes and the terminating NUL,
 *		doubling the capacity (from 32) in the buffer's arena.  The data
 *		may move: pointers into it are invalid afterwards.
 */
void
fm_buf_reserve(FmBuf *buf, size_t extra)
{
	size_t		need = buf->len + extra + 1;
	size_t		ncap;

	if (need <= buf->cap)
		return;
	ncap = buf->cap ? buf->cap : 32;
	while (ncap < need)
		ncap *= 2;
	buf->data = arena_grow(buf->arena, buf->data, buf->cap, ncap, buf->len, &buf->big);
	buf->data[buf->len] = '\0';
	buf->cap = ncap;
}

char *
fm_buf_finish(FmBuf *buf)
{
	FmArenaBlock *b = buf->arena->head;
	char	   *data = buf->data;

	if (data == NULL)
		data = fm_strndup(buf->arena, "", 0);
	/* the last chunk of the current block: end it after the NUL */
	else if (b != NULL && data + ALIGN_UP(buf->cap) == (char *) b + BLOCK_HDR + b->used)
	{
		size_t		end = (size_t) (data + buf->len + 1 - ((char *) b + BLOCK_HDR));

		/* the bytes given back may have been written: not known zero */
		if (b->zeroed > end)
			b->zeroed = end;
		b->used = end;
	}
	/* the buffer is done: appending to it again fails at once */
	buf->arena = NULL;
	buf->data = NULL;
	buf->len = buf->cap = 0;
	buf->big = false;
	return data;
}

/* Start an empty buffer in arena (data is "" at once, never NULL). */
void
fm_buf_init(FmBuf *buf, FmArena *arena)
{
	buf->arena = arena;
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
	buf->big = false;
	fm_buf_reserve(buf, 0);
}

/*
 * Append s[0..len) (which may hold NUL bytes) to buf, keeping it terminated.
 */
void
fm_buf_append_len(FmBuf *buf, const char *s, size_t len)
{
	fm_buf_reserve(buf, len);
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

/*
 * fm_buf_vprintf
 *		Append formatted text: formatted straight into the room left in the
 *		buffer, and a second time only when it did not fit.
 */
void
fm_buf_vprintf(FmBuf *buf, const char *fmt, va_list ap)
{
	va_list		ap2;
	int			n;
	size_t		room = buf->cap - buf->len;

	va_copy(ap2, ap);
	n = vsnprintf(buf->data + buf->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0)
	{
		buf->data[buf->len] = '\0';
		return;
	}
	if ((size_t) n >= room)
	{
		fm_buf_reserve(buf, (size_t) n);
		vsnprintf(buf->data + buf->len, (size_t) n + 1, fmt, ap);
	}
	buf->len += (size_t) n;
}

/* Append formatted text to buf: see fm_buf_vprintf. */
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

/*
 * arena_bump
 *		arena_alloc(arena, size, false) for size a multiple of FM_ALIGN,
 *		inline where the chunk fits the current block (a list's array is
 *		small and its growth frequent); the same chunk either way.
 */
static inline void *
arena_bump(FmArena *arena, size_t size)
{
	FmArenaBlock *b = arena->head;
	size_t		start = b ? ALIGN_UP(b->used) : 0;

	if (b == NULL || start > b->size || b->size - start < size || size == 0)
		return arena_alloc(arena, size, false);
	b->used = start + size;
	if (b->zeroed < b->used)
		b->zeroed = b->used;
	arena->last_big = false;
	return (char *) b + BLOCK_HDR + start;
}

/*
 * fm_list_append_grow
 *		fm_list_append's slow path (the fast one is inline in fm_util.h):
 *		append item to list, doubling its array (from 1) in arena when it is
 *		full.  With recycling on (fm_arena_set_recycle) the outgrown array is
 *		kept for the next list that needs that size, and a recycled one is
 *		used when there is one.
 */
void
fm_list_append_grow(FmArena *arena, FmList *list, void *item)
{
	if (list->cap == 0 && list->n == 0)
	{
		/* a list's first item, the most common growth: two slots */
		void	  **ni = recycled(arena, arena->free_lists, 2 * sizeof(void *), sizeof(void *));

		list->items = ni ? ni : arena_bump(arena, 2 * sizeof(void *));
		list->cap = 2;
	}
	else if (list->n == list->cap)
	{
		int			ncap = list->cap ? list->cap * 2 : 2;
		size_t		oldb = sizeof(void *) * (size_t) list->cap;
		size_t		newb = sizeof(void *) * (size_t) ncap;
		void	  **ni = recycled(arena, arena->free_lists, newb, sizeof(void *));

		if (ni != NULL)
		{
			if (list->n)
				memcpy(ni, list->items, sizeof(void *) * (size_t) list->n);
			recycle(arena, arena->free_lists, list->items, oldb, sizeof(void *));
		}
		else
		{
			ni = arena_grow(arena, list->items, oldb, newb,
							sizeof(void *) * (size_t) list->n, NULL);
			if (ni != list->items)
				recycle(arena, arena->free_lists, list->items, oldb, sizeof(void *));
		}
		list->items = ni;
		list->cap = ncap;
	}
	list->items[list->n++] = item;
}

/*
 * fm_list_reserve_grow
 *		fm_list_reserve's out-of-line part: give list, which has an array,
 *		one of exactly n items when it has room for fewer, for a list whose
 *		final length is known: no array it outgrows.
 */
void
fm_list_reserve_grow(FmArena *arena, FmList *list, int n)
{
	void	  **ni;

	if (n <= list->cap)
		return;
	ni = arena_bump(arena, sizeof(void *) * (size_t) n);
	if (list->n)
		memcpy(ni, list->items, sizeof(void *) * (size_t) list->n);
	recycle(arena, arena->free_lists, list->items,
			sizeof(void *) * (size_t) list->cap, sizeof(void *));
	list->items = ni;
	list->cap = n;
}

/* ---------- hash maps ---------- */

/*
 * Words are mixed in by fm_mix64 (fm_util.h): splitmix64's finalizer over
 * h ^ w, two multiplies with shifts between them, so that every bit of w
 * reaches every bit of the result and a difference in one word cannot be
 * cancelled by a fixed difference in the next (one multiply and fold let
 * a flip of a word's top bit be undone by the next word's: 16-byte names
 * collided by the hundred thousand).
 */

/*
 * hash_cont
 *		h continued over s[0..len) and its length: words, not bytes, since
 *		the lexer hashes every name and number of the text and the maps
 *		every key they look up.  The tail is read as one word ending at the
 *		last byte (overlapping the words before it), or as two 4-byte
 *		halves or single bytes for a string shorter than 8 bytes, so
 *		nothing past s + len is read.  Every string goes through fm_mix64 at
 *		least once, so a result needs no final mix.  Only the tables of the
 *		interner, the maps and the validator's name registry depend on it,
 *		never an order of output.
 */
static inline uint64_t
hash_cont(uint64_t h, const char *s, size_t len)
{
	/* the length goes into the state, not through a mix of its own */
	h ^= (uint64_t) len * 0x9E3779B97F4A7C15ULL;
	if (len >= 8)
	{
		const char *end = s + len;

		for (; end - s > 8; s += 8)
			h = fm_mix64(h, fm_load64(s));
		h = fm_mix64(h, fm_load64(end - 8));
	}
	else if (len >= 4)
		h = fm_mix64(h, ((uint64_t) fm_load32(s) << 32) | fm_load32(s + len - 4));
	else if (len > 0)
		h = fm_mix64(h, ((uint64_t) (unsigned char) s[0] << 16) |
				  ((uint64_t) (unsigned char) s[len / 2] << 8) |
				  (unsigned char) s[len - 1]);
	else
		h = fm_mix64(h, 0xA4093822299F31D0ULL);	/* "" still moves the state */
	return h;
}

/*
 * fm_hash_bytes
 *		The hash of s[0..len), as hash_cont makes it, for a table of the
 *		caller's that knows its keys' lengths.
 */
uint32_t
fm_hash_bytes(const char *s, size_t len)
{
	return (uint32_t) hash_cont(0x452821E638D01377ULL, s, len);
}

/*
 * The hash of the key pair (k1, k2) as the maps store it (k1 may be NULL:
 * apart from ""), never 0, which marks a free slot.
 */
static inline uint32_t
pair_hash(const char *k1, const char *k2)
{
	uint64_t	h = 0x13198A2E03707344ULL;
	uint32_t	h32;

	/* a NULL k1 hashes apart from "": no length is all ones */
	h = k1 ? hash_cont(h, k1, strlen(k1)) : fm_mix64(h, UINT64_MAX);
	h = hash_cont(h, k2, strlen(k2));
	h32 = (uint32_t) h;
	return h32 ? h32 : 1;
}

/* does an entry hold the keys (k1, k2)? */
static bool
entry_is(const FmHashEntry *e, const char *k1, const char *k2)
{
	if (e->pair)
	{
		const FmHashPair *p = e->key;

		return k1 != NULL && (p->k2 == k2 || strcmp(p->k2, k2) == 0) &&
			(p->k1 == k1 || strcmp(p->k1, k1) == 0);
	}
	return k1 == NULL && ((const char *) e->key == k2 ||
						  strcmp((const char *) e->key, k2) == 0);
}

/*
 * The slot of a key pair: the one holding it, or the free slot where it
 * would go.  Stored hashes are compared first, so strings are compared
 * only on a full 32-bit match.
 */
static inline FmHashEntry *
hash_slot(const FmHashMap *h, const char *k1, const char *k2, uint32_t hk)
{
	size_t		i = (size_t) hk & (h->cap - 1);

	for (;;)
	{
		FmHashEntry *e = &h->e[i];

		if (e->hash == 0 || (e->hash == hk && entry_is(e, k1, k2)))
			return e;
		i = (i + 1) & (h->cap - 1);
	}
}

/* the free slot for an entry moved to a new table (keys all distinct) */
static FmHashEntry *
free_slot(const FmHashMap *h, uint32_t hk)
{
	size_t		i = (size_t) hk & (h->cap - 1);

	while (h->e[i].hash != 0)
		i = (i + 1) & (h->cap - 1);
	return &h->e[i];
}

/* The value stored under (k1, k2), or NULL (also for k2 NULL). */
void *
fm_hash_get2(const FmHashMap *h, const char *k1, const char *k2)
{
	FmHashEntry *e;

	if (h->cap == 0 || k2 == NULL)
		return NULL;
	e = hash_slot(h, k1, k2, pair_hash(k1, k2));
	return e->hash ? e->val : NULL;
}

/*
 * fm_hash_init_local
 *		Make h an empty map on the caller's storage of cap entries (a power
 *		of 2): no allocation until it outgrows it.
 */
void
fm_hash_init_local(FmHashMap *h, FmHashEntry *storage, size_t cap)
{
	memset(storage, 0, cap * sizeof(FmHashEntry));
	h->e = storage;
	h->cap = cap;
	h->n = 0;
	h->local = true;
}

/*
 * fm_hash_reserve
 *		Size the still empty map h for n keys at most three quarters full,
 *		allocating its table in arena; nothing when h already holds keys or
 *		is large enough.
 */
void
fm_hash_reserve(FmArena *arena, FmHashMap *h, size_t n)
{
	size_t		cap = 4;

	if (h->n > 0)
		return;
	while (n * 4 > cap * 3)
		cap *= 2;
	if (cap <= h->cap)
		return;
	h->e = fm_alloc(arena, cap * sizeof(FmHashEntry));
	h->cap = cap;
}

/*
 * A map starts with 4 slots (most maps of a schema hold a few names: the
 * attributes of a field, the fields of a model) and doubles when it would
 * be more than three quarters full.
 */
void
fm_hash_put2(FmArena *arena, FmHashMap *h, const char *k1, const char *k2, void *val)
{
	FmHashEntry *e;
	uint32_t	hk;

	if (k2 == NULL)
		return;
	if ((h->n + 1) * 4 > h->cap * 3)
	{
		FmHashMap	nh;

		nh.cap = h->cap ? h->cap * 2 : 4;
		nh.n = 0;
		nh.local = false;
		nh.e = recycled(arena, arena->free_tables, nh.cap * sizeof(FmHashEntry),
						sizeof(FmHashEntry));
		if (nh.e != NULL)
			memset(nh.e, 0, nh.cap * sizeof(FmHashEntry));
		else
			nh.e = fm_alloc(arena, nh.cap * sizeof(FmHashEntry));
		for (size_t i = 0; i < h->cap; i++)
			if (h->e[i].hash)
			{
				*free_slot(&nh, h->e[i].hash) = h->e[i];
				nh.n++;
			}
		if (!h->local)
			recycle(arena, arena->free_tables, h->e, h->cap * sizeof(FmHashEntry),
					sizeof(FmHashEntry));
		*h = nh;
	}
	hk = pair_hash(k1, k2);
	e = hash_slot(h, k1, k2, hk);
	if (!e->hash)
	{
		h->n++;
		e->hash = hk;
		if (k1 != NULL)
		{
			FmHashPair *p = arena_alloc(arena, sizeof(FmHashPair), false);

			p->k1 = k1;
			p->k2 = k2;
			e->key = p;
			e->pair = 1;
		}
		else
		{
			e->key = k2;
			e->pair = 0;
		}
	}
	e->val = val;
}

/* ---------- interned strings ---------- */

/* s[0..len) equals t[0..len): words first, as memcmp without its call */
static inline bool
bytes_eq(const char *s, const char *t, size_t len)
{
	size_t		i;

	for (i = 0; i + 8 < len; i += 8)
		if (fm_load64(s + i) != fm_load64(t + i))
			return false;
	return fm_load64(s + len - 8) == fm_load64(t + len - 8);
}

/*
 * The slot of the entry for s[0..len), whose first word is w0 and tag
 * tag, or the free slot where it would go.  Short strings compare as
 * fm_intern_short does; longer ones (whose tags differ from any short
 * string's by their length) word by word.
 */
static FmInternEntry *
intern_slot(const FmInterner *in, const char *s, size_t len, uint64_t w0,
			uint64_t tag)
{
	size_t		i = (size_t) tag & (in->cap - 1);

	for (;;)
	{
		FmInternEntry *e = &in->e[i];

		if (e->tag == 0 ||
			(e->tag == tag && e->w0 == w0 &&
			 (len <= 8 || bytes_eq(e->s, s, len))))
			return e;
		i = (i + 1) & (in->cap - 1);
	}
}

/*
 * fm_intern
 *		See fm_util.h.  Strings longer than 4 GB are copied, not interned.
 *		A string of at most 16 bytes goes through fm_intern_short, its words
 *		read from a zero-padded copy; a longer one is hashed whole.
 */
char *
fm_intern(FmArena *arena, FmInterner *in, const char *s, size_t len)
{
	unsigned char w[16] = {0};
	uint64_t	tag;
	FmInternEntry *e;

	if (len > UINT32_MAX)
		return fm_strndup(arena, s, len);
	if (len > 0)
		memcpy(w, s, len < 16 ? len : 16);
	if (len >= 1 && len <= 16)
		return fm_intern_short(arena, in, s, len, fm_load64(w), fm_load64(w + 8));
	tag = (uint32_t) hash_cont(0x243F6A8885A308D3ULL, s, len);
	tag = ((uint64_t) len << 32) | (tag ? tag : 1);
	if (in->cap == 0)
		return fm_intern_insert(arena, in, s, len, fm_load64(w), tag);
	e = intern_slot(in, s, len, fm_load64(w), tag);
	if (e->tag)
		return (char *) e->s;
	return fm_intern_insert(arena, in, s, len, fm_load64(w), tag);
}

/*
 * fm_interner_free
 *		See fm_util.h.  A table small enough to share a block stays in it
 *		(arena_free_big does nothing then); a large one (1.5 MB at 10,000
 *		models) is freed at once, not with the arena.
 */
void
fm_interner_free(FmArena *arena, FmInterner *in)
{
	if (in->e != NULL)
		arena_free_big(in->table_arena ? in->table_arena : arena, in->e,
					   in->cap * sizeof(FmInternEntry));
	in->e = NULL;
	in->cap = 0;
	in->n = 0;
}

/*
 * fm_intern_insert
 *		Add s[0..len), which the table does not hold, with its first word w0
 *		and its tag, and return its copy.  The table doubles first when it
 *		would be more than half full.
 */
char *
fm_intern_insert(FmArena *arena, FmInterner *in, const char *s, size_t len,
				 uint64_t w0, uint64_t tag)
{
	FmInternEntry *e;
	char	   *copy;

	if ((in->n + 1) * 2 > in->cap)
	{
		FmInterner	ni;
		FmArena    *ta = in->table_arena ? in->table_arena : arena;

		ni.cap = in->cap ? in->cap * 2 : 64;
		ni.n = in->n;
		ni.table_arena = in->table_arena;
		ni.e = fm_alloc(ta, ni.cap * sizeof(FmInternEntry));
		for (size_t i = 0; i < in->cap; i++)
			if (in->e[i].tag)
			{
				size_t		j = (size_t) in->e[i].tag & (ni.cap - 1);

				while (ni.e[j].tag)
					j = (j + 1) & (ni.cap - 1);
				ni.e[j] = in->e[i];
			}
		if (in->e != NULL)
			arena_free_big(ta, in->e, in->cap * sizeof(FmInternEntry));
		*in = ni;
	}
	e = intern_slot(in, s, len, w0, tag);
	copy = fm_strndup(arena, s, len);
	e->s = copy;
	e->w0 = w0;
	e->tag = tag;
	in->n++;
	return copy;
}
