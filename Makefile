# Makefile for ferriorm (PGXS)
#
# Sources are globbed: every src/core/*.c (the portable core) and every
# src/backend/*.c (the PostgreSQL layer) goes into ferriorm.so; every
# src/sql/*.sql fragment, in name order, into the install script; every
# sql/*.sql into the pg_regress suite.

EXTENSION = ferriorm
EXTVERSION = 0.1.0

MODULE_big = ferriorm
CORE_SRCS = $(sort $(wildcard src/core/*.c))
BACKEND_SRCS = $(sort $(wildcard src/backend/*.c))
OBJS = $(CORE_SRCS:.c=.o) $(BACKEND_SRCS:.c=.o)
PGFILEDESC = "ferriorm - declarative schema migrations inside PostgreSQL"

DATA_built = $(EXTENSION)--$(EXTVERSION).sql
SQL_FRAGMENTS = $(sort $(wildcard src/sql/*.sql))

REGRESS = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=.

PG_CPPFLAGS = -I$(srcdir)/src/core -I$(srcdir)/src/backend -I$(libpq_srcdir)
SHLIB_LINK_INTERNAL = $(libpq)
SHLIB_LINK = -lcrypto

EXTRA_CLEAN = test/unit/build test/fuzz/build

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_FRAGMENTS)
	cat $^ > $@

# The core must not depend on PostgreSQL: compile it once more, alone.
.PHONY: check-core-portable
check-core-portable:
	@for f in $(CORE_SRCS); do \
		$(CC) -std=c11 -fsyntax-only -Wall -Isrc/core $$f || exit 1; \
	done
