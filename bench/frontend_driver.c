/*-------------------------------------------------------------------------
 *
 * frontend_driver.c
 *	  Core-only driver of the schema-language front end, for profiling
 *	  (perf record) and for measuring it without a server.
 *
 *	  frontend_driver parse|validate|model|format|diff FILE [FILE2] [N]
 *
 * Reads FILE (and FILE2 for diff), runs the operation N times (default 1)
 * and prints the median wall and CPU time (the CPU time is the steadier
 * figure on a shared machine), the throughput in MB/s and the peak of the
 * memory the core held at any moment (its arenas' blocks, counted by the
 * memory hooks as they are allocated and freed), per input byte.
 * Built with -DFM_PHASE_TIMING it also prints the median time of each
 * phase the core marks (FM_TIMING_MARK: parse, datasource, names, models,
 * relations, ...), over the runs after the first, one "phase" line each
 * (bench/frontend_phases.sh compares two revisions by them).
 * validate is fm_check_schema, as ferriorm_validate runs it; model is
 * fm_parse_schema, the model that plan, diff and dev build; parse is its
 * first phase alone (fm_ast_parse_model: the syntax tree validation reads).
 * Build it with the code generation flags of the extension's core, as
 * bench/frontend_ab.sh does (pg_config --cflags, then the Makefile's
 * FM_CORE_CFLAGS; Debian's -fno-omit-frame-pointer alone made the front
 * end 6% slower):
 *   gcc $(make -s print-core-cflags) -Isrc/core \
 *       bench/frontend_driver.c src/core/\*.c -o fe
 *
 * bench/frontend_driver.c
 *
 *-------------------------------------------------------------------------
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fm_diff.h"
#include "fm_ast.h"
#include "fm_parse.h"

static char *
read_all(const char *path, size_t *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf;
	long		n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
	{
		perror(path);
		exit(2);
	}
	rewind(f);
	buf = malloc((size_t) n + 1);
	if (buf == NULL || fread(buf, 1, (size_t) n, f) != (size_t) n)
	{
		perror(path);
		exit(2);
	}
	fclose(f);
	*len = (size_t) n;
	return buf;
}

static double
now_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* memory hooks that count the bytes held, and their peak */
static size_t held,
			peak;

static void *
counting_malloc(size_t size, void *ctx)
{
	size_t	   *p = malloc(size + 16);

	(void) ctx;
	if (p == NULL)
	{
		fputs("out of memory\n", stderr);
		exit(2);
	}
	p[0] = size;
	held += size;
	if (held > peak)
		peak = held;
	return p + 2;
}

static void
counting_free(void *ptr, void *ctx)
{
	size_t	   *p = (size_t *) ptr - 2;

	(void) ctx;
	held -= p[0];
	free(p);
}

static const FmMemHooks counting_hooks = {counting_malloc, counting_free};

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

#ifdef FM_PHASE_TIMING
#define MAX_PHASES 32
#define MAX_RUNS 1000

/* the phases marked so far, in order, and each one's time in each run */
static const char *phase_name[MAX_PHASES];
static double phase_ms[MAX_PHASES][MAX_RUNS];
static int	nphases;
static int	run_no;
static double phase_start;

/* the core's FM_TIMING_MARK: the phase name ends now (NULL: one starts) */
void
fm_timing_mark(const char *name)
{
	double		t = now_ms(CLOCK_MONOTONIC);
	int			k;

	if (name != NULL && run_no < MAX_RUNS)
	{
		for (k = 0; k < nphases && strcmp(phase_name[k], name) != 0; k++)
			;
		if (k == nphases && nphases < MAX_PHASES)
			phase_name[nphases++] = name;
		if (k < MAX_PHASES)
			phase_ms[k][run_no] += t - phase_start;
	}
	phase_start = t;
}

/* one line per phase: its median over the runs after the first */
static void
print_phases(int n)
{
	int			first = n > 1 ? 1 : 0;

	if (n > MAX_RUNS)
		n = MAX_RUNS;
	for (int k = 0; k < nphases; k++)
	{
		qsort(&phase_ms[k][first], (size_t) (n - first), sizeof(double), cmp_double);
		printf("phase %s %.3f\n", phase_name[k], phase_ms[k][first + (n - first) / 2]);
	}
}
#endif

int
main(int argc, char **argv)
{
	const char *op;
	char	   *text,
			   *text2 = NULL;
	size_t		len,
				len2 = 0;
	int			n = 1;
	double	   *ms;
	double	   *cpu;
	size_t		max_peak = 0;
	int			ndiags = 0;

	if (argc < 3)
	{
		fprintf(stderr, "usage: %s parse|validate|model|format|diff FILE [FILE2] [N]\n", argv[0]);
		return 2;
	}
	op = argv[1];
	text = read_all(argv[2], &len);
	if (strcmp(op, "diff") == 0)
	{
		if (argc < 4)
			return 2;
		text2 = read_all(argv[3], &len2);
		if (argc > 4)
			n = atoi(argv[4]);
	}
	else if (argc > 3)
		n = atoi(argv[3]);
	if (n < 1)
		n = 1;
	ms = calloc((size_t) n, sizeof(double));
	cpu = calloc((size_t) n, sizeof(double));
	fm_set_mem_hooks(&counting_hooks);
	for (int i = 0; i < n; i++)
	{
		FmArena    *arena = fm_arena_create();
		FmDiagList	diags;
		double		t0 = now_ms(CLOCK_MONOTONIC);
		double		c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);

		peak = held;
		fm_diags_init(&diags, arena);
		if (strcmp(op, "validate") == 0)
			fm_check_schema(arena, text, len, FM_DIALECT_AUTO, &diags, NULL, NULL, NULL);
		else if (strcmp(op, "parse") == 0)
			(void) fm_ast_parse_model(arena, text, len, &diags);
		else if (strcmp(op, "model") == 0)
			(void) fm_parse_schema(arena, text, len, FM_DIALECT_AUTO, &diags);
		else if (strcmp(op, "format") == 0)
			(void) fm_format_schema(arena, text, len, &diags);
		else
		{
			FmModel    *a = fm_parse_schema(arena, text, len, FM_DIALECT_AUTO, &diags);
			FmModel    *b = fm_parse_schema(arena, text2, len2, FM_DIALECT_AUTO, &diags);

			if (a && b)
				(void) fm_plan_to_script(arena,
										 fm_diff(arena, a, b, &fm_default_quoting));
		}
#ifdef FM_PHASE_TIMING
		run_no++;
#endif
		ms[i] = now_ms(CLOCK_MONOTONIC) - t0;
		cpu[i] = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (peak > max_peak)
			max_peak = peak;
		ndiags = diags.items.n;
		fm_arena_destroy(arena);
	}
	qsort(ms, (size_t) n, sizeof(double), cmp_double);
	qsort(cpu, (size_t) n, sizeof(double), cmp_double);
	printf("%s: %zu bytes, %d diagnostics, median %.1f ms (CPU %.1f ms) of %d, %.1f MB/s, peak %.1f bytes per input byte\n",
		   op, len + len2, ndiags, ms[n / 2], cpu[n / 2], n,
		   (len + len2) / 1e6 / (ms[n / 2] / 1000.0),
		   (double) max_peak / (double) (len + len2));
#ifdef FM_PHASE_TIMING
	print_phases(n);
#endif
	free(ms);
	free(cpu);
	free(text);
	free(text2);
	return 0;
}
