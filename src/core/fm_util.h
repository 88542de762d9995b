/*-------------------------------------------------------------------------
 *
 * fm_util.h
 *	  Portable support code for the ferriorm core: memory arenas, growable
 *	  string buffers, pointer lists, hash maps and interned strings.
 *
 * The core never includes PostgreSQL headers.  All of its memory comes from
 * arenas, and arenas get their blocks through replaceable hooks: the
 * backend layer routes them to palloc() in a per-call memory context, so an
 * ERROR thrown anywhere frees everything; unit tests and the fuzzer use the
 * libc defaults.
 *
 * Memory is what bounds the size of schema a call can handle (see
 * bench/frontend.sh), so the structures here are sized to what they hold:
 * arena blocks grow with the arena, formatted strings take their length,
 * lists and maps start small, and, while the front end runs, the arrays
 * that lists and maps outgrow are reused (fm_arena_set_recycle).
 *
 * src/core/fm_util.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef FM_UTIL_H
#define FM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define FM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define FM_PRINTF(f, a)
#endif

/*
 * Memory hooks.  malloc_fn must never return NULL (it reports out-of-memory
 * itself: the libc default aborts, the backend's ereport()s).  ctx is the
 * value given to fm_arena_create_in() (NULL for the global hooks).
 */
typedef struct FmMemHooks
{
	void	   *(*malloc_fn) (size_t size, void *ctx);
	void		(*free_fn) (void *ptr, void *ctx);
} FmMemHooks;

/* global hooks, used by fm_malloc & co and by fm_arena_create(); NULL: libc */
extern void fm_set_mem_hooks(const FmMemHooks *hooks);
extern void *fm_malloc(size_t size);
extern void fm_free(void *ptr);

/* Arena: bump allocator; everything is freed at once by fm_arena_destroy. */
typedef struct FmArena FmArena;

extern FmArena *fm_arena_create(void);
/* an arena that takes every block from hooks with ctx (e.g. a MemoryContext) */
extern FmArena *fm_arena_create_in(const FmMemHooks *hooks, void *ctx);
/* a new arena that takes its blocks where arena takes its own */
extern FmArena *fm_arena_create_like(const FmArena *arena);
extern void fm_arena_destroy(FmArena *arena);
/*
 * A block of an arena (fm_util.c owns it; it is here for fm_alloc's inline
 * fast path).  Chunks are aligned to FM_ALIGN bytes, enough for every type
 * of the core (pointers, size_t, 64-bit integers, double); strings are not
 * aligned at all, which saves a few bytes on each short name.
 */
#define FM_ALIGN 8
#define FM_ALIGN_UP(x) (((x) + FM_ALIGN - 1) & ~(size_t) (FM_ALIGN - 1))

typedef struct FmArenaBlock
{
	struct FmArenaBlock *next;
	size_t		size;			/* usable bytes after the header */
	size_t		used;
	size_t		zeroed;			/* bytes [used, zeroed) are zero */
	/* data follows, aligned */
} FmArenaBlock;

#define FM_ARENA_BLOCK_HDR FM_ALIGN_UP(sizeof(FmArenaBlock))

extern void *fm_alloc_slow(FmArena *arena, size_t size);

/*
 * fm_alloc
 *		size bytes of arena, zeroed and aligned to FM_ALIGN.  The common case
 *		is inline: the chunk fits the part of the current block that is zero
 *		already (the arena zeroes its blocks ahead of use, in steps), so it
 *		is a bump of the block's used count.  Everything else (a new block,
 *		a big chunk, zeroing the next step) is fm_alloc_slow.  The arena's
 *		first member is its current block (struct FmArena, fm_util.c).
 */
static inline void *
fm_alloc(FmArena *arena, size_t size)
{
	FmArenaBlock *b = *(FmArenaBlock **) arena;

	if (b != NULL && size - 1 < 4096)
	{
		size_t		start = FM_ALIGN_UP(b->used);
		size_t		end = start + FM_ALIGN_UP(size);

		if (end <= b->zeroed)
		{
			b->used = end;
			return (char *) b + FM_ARENA_BLOCK_HDR + start;
		}
	}
	return fm_alloc_slow(arena, size);
}
/*
 * FM_TIMING_MARK(name): the end of a phase of the front end named name
 * (NULL: the start of the first), for bench/frontend_driver.c built with
 * -DFM_PHASE_TIMING, which defines fm_timing_mark to time each phase
 * (bench/frontend_phases.sh); nothing in any other build.
 */
#ifdef FM_PHASE_TIMING
extern void fm_timing_mark(const char *name);
#define FM_TIMING_MARK(name) fm_timing_mark(name)
#else
#define FM_TIMING_MARK(name) ((void) 0)
#endif

/*
 * fm_arena_mark
 *		Where the next chunk of arena would start in its current block, and
 *		that block (*block; both NULL when it has none).  Two marks taken
 *		around some allocations bound the memory they got when both name
 *		the same block: the span a later pass can prefetch (fm_prefetch_range).
 */
static inline const char *
fm_arena_mark(const FmArena *arena, const void **block)
{
	FmArenaBlock *b = *(FmArenaBlock *const *) arena;

	*block = b;
	return b ? (const char *) b + FM_ARENA_BLOCK_HDR + b->used : NULL;
}

/*
 * Ask the processor to start loading the memory at p (fm_prefetch), or
 * every cache line of [lo, hi) (fm_prefetch_range), into its caches: a
 * pass over structures too large for the caches (10,000 models) asks for
 * the next item's while it works on this one, so that it does not wait
 * for each line in turn.  A hint only: no effect on what the program
 * computes, nothing where the compiler has no such builtin.
 */
#define FM_CACHE_LINE 64
#if defined(__GNUC__) || defined(__clang__)
#define fm_prefetch(p) __builtin_prefetch(p)
#else
#define fm_prefetch(p) ((void) (p))
#endif

static inline void
fm_prefetch_range(const char *lo, const char *hi)
{
	for (; lo < hi; lo += FM_CACHE_LINE)
		fm_prefetch(lo);
}

extern char *fm_strdup(FmArena *arena, const char *s);	/* NULL -> NULL */
extern char *fm_strndup(FmArena *arena, const char *s, size_t len);
extern char *fm_psprintf(FmArena *arena, const char *fmt,...) FM_PRINTF(2, 3);
/*
 * fm_concat(arena, s1, s2, ...): the strings given (at most 16, none NULL)
 * concatenated into one allocated in arena: what fm_psprintf(arena,
 * "%s%s...") makes, without formatting.  fm_concat_strs takes the strings
 * up to a (const char *) NULL, which the macro adds.
 */
extern char *fm_concat_strs(FmArena *arena,...);
#define fm_concat(arena, ...) fm_concat_strs((arena), __VA_ARGS__, (const char *) NULL)
extern size_t fm_arena_bytes(const FmArena *arena);	/* bytes reserved */
/*
 * Where the blocks of an arena lie, sorted (in an array of into), to ask
 * fm_arena_spans_has() whether a pointer points into one of them: into
 * an arena that is about to be freed.
 */
typedef struct FmArenaSpans
{
	const char **lo;			/* block starts, ascending */
	const char **hi;			/* the ends, parallel */
	int			n;
} FmArenaSpans;

extern void fm_arena_spans(FmArena *into, const FmArena *arena,
						   FmArenaSpans *out);
extern bool fm_arena_spans_has(const FmArenaSpans *spans, const void *p);
/*
 * Recycling: while on, the array a list or hash map outgrows goes back to
 * the arena and serves the next list or map that grows to that size.  Only
 * for code that never lets two lists share one array (the front end: the
 * parser and the validator turn it on); returns the previous setting.
 */
extern bool fm_arena_set_recycle(FmArena *arena, bool on);

/* Growable NUL-terminated string buffer living in an arena. */
typedef struct FmBuf
{
	FmArena    *arena;
	char	   *data;
	size_t		len;
	size_t		cap;
	bool		big;			/* data has a dedicated block (arena_grow) */
} FmBuf;

extern void fm_buf_init(FmBuf *buf, FmArena *arena);
extern void fm_buf_append(FmBuf *buf, const char *s);
extern void fm_buf_append_len(FmBuf *buf, const char *s, size_t len);
extern void fm_buf_printf(FmBuf *buf, const char *fmt,...) FM_PRINTF(2, 3);
extern void fm_buf_vprintf(FmBuf *buf, const char *fmt, va_list ap) FM_PRINTF(2, 0);
extern void fm_buf_reset(FmBuf *buf);
/*
 * The finished string of buf (never NULL), its unused capacity given back
 * to the arena when it is the arena's most recent chunk: for a string
 * built once and kept.  buf is left without an arena: appending to it
 * again fails at once instead of writing over what follows the string.
 */
extern char *fm_buf_finish(FmBuf *buf);
/* make room for extra more bytes (and the NUL) without moving again */
extern void fm_buf_reserve(FmBuf *buf, size_t extra);

/* Append c to buf (inline when there is room: formatters call it a lot). */
static inline void
fm_buf_append_char(FmBuf *buf, char c)
{
	if (buf->len + 1 < buf->cap)
	{
		buf->data[buf->len++] = c;
		buf->data[buf->len] = '\0';
	}
	else
		fm_buf_append_len(buf, &c, 1);
}

/* Growable array of pointers living in an arena. */
typedef struct FmList
{
	void	  **items;
	int			n;
	int			cap;
} FmList;

/* fm_list_append when the list is full: grows its array, then appends */
extern void fm_list_append_grow(FmArena *arena, FmList *list, void *item);

/* Append item to list, growing its array in arena when it is full. */
static inline void
fm_list_append(FmArena *arena, FmList *list, void *item)
{
	if (list->n < list->cap)
		list->items[list->n++] = item;
	else
		fm_list_append_grow(arena, list, item);
}
/* fm_list_reserve when the list has an array already (fm_util.c) */
extern void fm_list_reserve_grow(FmArena *arena, FmList *list, int n);

/*
 * Room for n items in all without growing (an array of exactly n).  An
 * empty list's array, the common case (lists sized before their first
 * item), is inline.
 */
static inline void
fm_list_reserve(FmArena *arena, FmList *list, int n)
{
	if (list->cap == 0 && n > 0)
	{
		list->items = fm_alloc(arena, sizeof(void *) * (size_t) n);
		list->cap = n;
	}
	else if (n > list->cap)
		fm_list_reserve_grow(arena, list, n);
}
extern void fm_list_sort(FmList *list, int (*cmp) (const void *a, const void *b));

#define fm_list_get(list, i, type) ((type *) (list)->items[(i)])

/*
 * Hash map from string keys to pointers, keyed by one or two strings (for
 * example schema and name; k1 may be NULL, k2 may not).  Keys are not
 * copied: they must live as long as the map.  A zero-initialised map is
 * empty and ready; its memory comes from the arena given to put.
 */
typedef struct FmHashEntry
{
	const void *key;			/* k2 itself, or with pair an FmHashPair */
	void	   *val;
	uint32_t	hash;			/* of (k1, k2); 0: free slot */
	uint32_t	pair;			/* key is an FmHashPair (k1 is not NULL) */
} FmHashEntry;

typedef struct FmHashPair
{
	const char *k1;
	const char *k2;
} FmHashPair;

typedef struct FmHashMap
{
	FmHashEntry *e;
	size_t		cap;			/* power of two, or 0 */
	size_t		n;
	bool		local;			/* e is the caller's (fm_hash_init_local) */
} FmHashMap;

extern void *fm_hash_get2(const FmHashMap *h, const char *k1, const char *k2);
/* the hash of the len bytes at s, for tables that know their keys' lengths */
extern uint32_t fm_hash_bytes(const char *s, size_t len);
/* insert or replace; a NULL k2 is ignored */
extern void fm_hash_put2(FmArena *arena, FmHashMap *h, const char *k1,
						 const char *k2, void *val);

/*
 * A map whose first cap slots (a power of two) are the caller's storage,
 * for example an array on the stack: a map of a few keys built and dropped
 * within one function then takes no arena memory.  It moves to the arena
 * when it outgrows them.
 */
extern void fm_hash_init_local(FmHashMap *h, FmHashEntry *storage, size_t cap);
/* room for n keys in all without growing (call on an empty map) */
extern void fm_hash_reserve(FmArena *arena, FmHashMap *h, size_t n);

#define fm_hash_get(h, k) fm_hash_get2((h), NULL, (k))
#define fm_hash_put(a, h, k, v) fm_hash_put2((a), (h), NULL, (k), (v))

/*
 * Interned strings: fm_intern() returns a NUL-terminated arena copy of the
 * len bytes at s (which may contain NUL), the same pointer for the same
 * bytes each time, so a text that repeats names (a schema: "id", "Int",
 * "@default" thousands of times) holds each once.  The strings returned
 * must not be modified.  A zero-initialised FmInterner is empty and ready.
 *
 * An entry keeps the first 8 bytes of its string as a word (zero-padded:
 * fm_intern_word) beside its length and hash, so that a name of at most 8
 * bytes, most names of a schema, is found without reading the string; the
 * lexer, which interns every name of the text, looks its short names up
 * inline (fm_intern_short), with words it loads from the text.
 */
typedef struct FmInternEntry
{
	uint64_t	w0;				/* the first 8 bytes, zero-padded */
	const char *s;
	uint64_t	tag;			/* len << 32 | hash; 0: free slot */
} FmInternEntry;

typedef struct FmInterner
{
	FmInternEntry *e;
	size_t		cap;			/* power of two, or 0 */
	size_t		n;
	FmArena    *table_arena;	/* where e is allocated; NULL: with the strings */
} FmInterner;

extern char *fm_intern(FmArena *arena, FmInterner *in, const char *s, size_t len);
/*
 * Give back the interner's table (arena is the one given to fm_intern)
 * when it has a block of its own, and leave the interner empty; the
 * interned strings stay where they are.
 */
extern void fm_interner_free(FmArena *arena, FmInterner *in);
/* fm_intern's insertion: s[0..len) is not in the table (fm_util.c) */
extern char *fm_intern_insert(FmArena *arena, FmInterner *in, const char *s,
							  size_t len, uint64_t w0, uint64_t tag);

/*
 * The mask that keeps the first n bytes (1 to 8) of a word loaded from
 * memory in the machine's byte order (memcpy): its low bytes on a
 * little-endian machine, its high ones on a big-endian one.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define FM_WORD_PREFIX_MASK(n) (~(uint64_t) 0 << (64 - 8 * (n)))
#else
#define FM_WORD_PREFIX_MASK(n) (~(uint64_t) 0 >> (64 - 8 * (n)))
#endif

/* 8 (fm_load64) or 4 (fm_load32) bytes at p, in the machine's byte order */
static inline uint64_t
fm_load64(const void *p)
{
	uint64_t	w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static inline uint32_t
fm_load32(const void *p)
{
	uint32_t	w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/* splitmix64's finalizer over h ^ w (see hash_cont in fm_util.c) */
static inline uint64_t
fm_mix64(uint64_t h, uint64_t w)
{
	h ^= w;
	h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
	h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
	return h ^ (h >> 31);
}

/*
 * The tag of an entry (FmInternEntry.tag) for a string of len bytes (1 to
 * 16) whose first 16 bytes, zero-padded, are the words w0 and w1: its
 * length, which makes the tag never 0, and its hash, one multiplication
 * per word it spans, its high half folded onto its low one (from which
 * the table takes its slot), so that every byte moves the slot: cheaper
 * than fm_mix64, for the lexer hashes every name of the text, and as good
 * for linear probing (about 1.1 probes a lookup on the bench's texts and
 * on test/prisma/corpus).  Nothing depends on the order of the table.
 * The length is left out of the hash: it is compared anyway, and
 * strings of different lengths have different words but for NUL bytes.
 * Longer strings (and "") are hashed whole (fm_util.c).
 */
static inline uint64_t
fm_intern_tag16(uint64_t w0, uint64_t w1, size_t len)
{
	uint64_t	h = w0 * 0x9E3779B97F4A7C15ULL;

	if (len > 8)
		h = (h ^ (h >> 32) ^ w1) * 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return ((uint64_t) len << 32) | (uint32_t) h;
}

/*
 * fm_intern_short
 *		fm_intern of s[0..len), 1 to 16 bytes, given its first 16 bytes
 *		zero-padded as the words w0 and w1 (the lexer loads them from the
 *		text and masks them with FM_WORD_PREFIX_MASK).  Inline: a name the
 *		table holds costs a mix or two and a compare of words.
 */
static inline char *
fm_intern_short(FmArena *arena, FmInterner *in, const char *s, size_t len,
				uint64_t w0, uint64_t w1)
{
	uint64_t	tag = fm_intern_tag16(w0, w1, len);
	size_t		mask = in->cap - 1;
	size_t		i = (size_t) tag & mask;

	if (in->cap == 0)
		return fm_intern_insert(arena, in, s, len, w0, tag);
	for (;;)
	{
		const FmInternEntry *e = &in->e[i];

		if (e->tag == tag && e->w0 == w0 &&
			(len <= 8 || fm_load64(e->s + len - 8) == fm_load64(s + len - 8)))
			return (char *) e->s;
		if (e->tag == 0)
			return fm_intern_insert(arena, in, s, len, w0, tag);
		i = (i + 1) & mask;
	}
}

/* Small string helpers. */
/*
 * Are a and b the same string?  NULL-safe (NULL equals only NULL).  Inline:
 * the validator compares names all the time, most of them interned (equal
 * strings are then one pointer) or short and differing in their first
 * bytes, so a byte loop ends sooner than a call of strcmp gets going (the
 * call and its setup were about 5% of validation's time).
 */
static inline bool
fm_streq(const char *a, const char *b)
{
	if (a == b)
		return true;
	if (a == NULL || b == NULL)
		return false;
	while (*a == *b)
	{
		if (*a == '\0')
			return true;
		a++;
		b++;
	}
	return false;
}
/* two lists of strings, element by element (fm_streq) */
extern bool fm_str_list_eq(const FmList *a, const FmList *b);
/* does a list of strings hold s (fm_streq)? */
extern bool fm_str_list_has(const FmList *l, const char *s);
extern int	fm_strcmp_null(const char *a, const char *b);	/* NULL sorts first */
extern bool fm_strcaseeq(const char *a, const char *b);	/* ASCII only */
extern size_t fm_rtrim_len(const char *s);	/* length less trailing blanks */
extern void fm_rtrim_blanks(char *s);	/* cut trailing blanks in place */
extern int	fm_edit_distance(const char *a, const char *b, int max);	/* > max: max+1 */
/*
 * Is s, all of it, a decimal number literal: optional sign, digits with an
 * optional fraction (at least one digit in all), and with exponent also an
 * optional exponent ("1.5e-3")?  NULL is not.
 */
extern bool fm_is_number_text(const char *s, bool exponent);
/*
 * The one quoting routine of the core: s as an SQL string literal (qc is
 * '\'') or as a delimited identifier (qc is '"').  A literal is rendered
 * as PostgreSQL's quote_literal() does: '...' with quotes doubled and, when
 * s contains a backslash, E'...' with backslashes doubled too, so that it
 * means s whatever standard_conforming_strings is.  An identifier is
 * always double-quoted, embedded double quotes doubled.  Writes into out
 * (room for the result and a NUL) and returns the length of the result;
 * out == NULL only measures.  NULL s is the empty string.
 */
extern size_t fm_quote_text(char *out, const char *s, char qc);
/* the same, appended to a buffer */
extern void fm_buf_append_quoted(FmBuf *buf, const char *s, char qc);
/* s as an SQL string literal (fm_quote_text), allocated in arena */
extern char *fm_sql_string(FmArena *arena, const char *s);

#endif							/* FM_UTIL_H */
