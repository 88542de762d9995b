# Makefile for ferriorm (PGXS)
#
# Sources are globbed: every src/core/*.c (the portable core) and every
# src/backend/*.c (the PostgreSQL layer) goes into ferriorm.so.  Scripts:
#   ferriorm--$(EXTVERSION).sql       every src/sql/*.sql fragment, in name order
#   ferriorm--0.1.0--0.2.0.sql        the upgrade script, committed as written
#   ferriorm--0.1.0.sql               the released 0.1.0 script, frozen
# The pg_regress suite is the explicit, ordered REGRESS list below.

EXTENSION = ferriorm
EXTVERSION = 0.2.0

MODULE_big = ferriorm
CORE_SRCS = $(sort $(wildcard src/core/*.c))
BACKEND_SRCS = $(sort $(wildcard src/backend/*.c))
OBJS = $(CORE_SRCS:.c=.o) $(BACKEND_SRCS:.c=.o)
PGFILEDESC = "ferriorm - declarative schema migrations inside PostgreSQL"

DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(EXTENSION)--0.1.0.sql $(EXTENSION)--0.1.0--0.2.0.sql
SQL_FRAGMENTS = $(sort $(wildcard src/sql/*.sql))

REGRESS = deploy_basic deploy_errors deploy_migrate deploy_privileges deploy_search_path \
	dev_errors dev_search_path dev_security dev_shadow_reset \
	deploy_txn diff_offline lang_attributes lang_example lang_invalid \
	lang_naming lang_native lang_prisma lang_relations lang_schemas plan_casts \
	plan_budget plan_convergence plan_errors plan_hazards plan_locks plan_plain_sql \
	plan_privileges plan_renames plan_search_path plan_security pull security_review security_review2 lang_limits smoke \
	tables_generated tables_identity tables_keyless tables_sequences \
	tables_storage tables_partition tables_inherits tables_exclude tables_collation \
	pull_prisma plan_prisma_keep plan_prisma_domain plan_prisma_unsupported_list relations_fk_types pull_realworld orm_compat deploy_prisma_shapes \
	lang_prisma_grammar lang_read_schema
REGRESS_OPTS = --inputdir=.

PG_CPPFLAGS = -I$(srcdir)/src/core -I$(srcdir)/src/backend -I$(libpq_srcdir)
SHLIB_LINK_INTERNAL = $(libpq)
SHLIB_LINK = -lcrypto
# the link optimizes the core across its files where it was compiled so
# (see "The portable core" below)
SHLIB_LINK += $(filter -flto%,$(FM_CORE_CFLAGS))

EXTRA_CLEAN = test/unit/build test/fuzz/build

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# The portable core (the schema language's lexer, parser and validator,
# the diff and the printer) is built without frame pointers even where the
# packaging's CFLAGS ask for them (Debian's -fno-omit-frame-pointer), and
# optimized across its files at the link (-flto): the frame pointer cost
# the front end 6% of its time here, the register it holds being wanted
# in its loops, and calls between its files (the lexer's, the arena's, the
# hash maps'), inlined once its symbols are hidden, another 4.5%
# (bench/README.md, 2026-12-07).  Debuggers and
# perf --call-graph=dwarf still walk its frames; FM_CORE_CFLAGS= keeps the
# packaging's flags as they are.  -flto=auto only where the compiler
# takes it (gcc and clang do).
FM_CORE_LTO := $(shell echo 'int x;' | $(CC) -flto=auto -x c -c - -o /dev/null 2>/dev/null && echo -flto=auto)
FM_CORE_CFLAGS ?= -fomit-frame-pointer -fvisibility=hidden $(FM_CORE_LTO)
$(CORE_SRCS:.c=.o): override CFLAGS += $(FM_CORE_CFLAGS)

# the flags above, for builds of the core outside this Makefile (bench/)
.PHONY: print-core-cflags
print-core-cflags:
	@echo $(filter-out -W% -g,$(CFLAGS)) $(FM_CORE_CFLAGS)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_FRAGMENTS)
	cat $^ > $@

# Every sql/*.sql must be in REGRESS (and the reverse).
.PHONY: check-regress-list
check-regress-list:
	@missing=$$(for f in sql/*.sql; do b=$$(basename $$f .sql); \
		case " $(REGRESS) " in *" $$b "*) ;; *) echo $$b;; esac; done); \
	if [ -n "$$missing" ]; then echo "not in REGRESS: $$missing"; exit 1; fi

# The core must not depend on PostgreSQL: compile it once more, alone.
.PHONY: check-core-portable
check-core-portable:
	@for f in $(CORE_SRCS); do \
		$(CC) -std=c11 -fsyntax-only -Wall -Isrc/core $$f || exit 1; \
	done

# PGXS does not track header dependencies unless PostgreSQL was configured
# with --enable-depend: rebuild every object when any of our headers changes
# (a stale object after a struct change crashes the backend).
$(OBJS): $(wildcard src/core/*.h src/backend/*.h)
