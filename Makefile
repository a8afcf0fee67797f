# courtside: one non-recursive Makefile.
#
# Each folder adds itself through its module.mk, which appends to
#   TOOLS        tool names; TOOL_<name>_SRCS: its sources (main.c first)
#   UNIT_TESTS   tests/unit/test_<x>.c sources; UNIT_<x>_SRCS: extra sources
#   FUZZ_TARGETS tests/fuzz/fuzz_<x>.c sources; FUZZ_<x>_SRCS: extra sources
#   TEST_TOOLS   programs under tests/tools/; TOOL_<name>_SRCS as above
# Objects go to $(BUILD); a sanitizer build uses its own folder.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share/courtside
DESTDIR    ?=

CC         ?= cc
CLANG      ?= clang
SANITIZE   ?=
WERROR     ?= -Werror
OPT        ?= -O2 -g
BUILD      ?= build$(if $(SANITIZE),-san)
FUZZ_SECONDS ?= 30
DURATION   ?= 5

PKGS       := libcurl libwebsockets jansson libpq libuv openssl hiredis zlib

PKG_CONFIG ?= pkg-config
DEPS_CMD   ?= sh tests/deps.sh

# The libraries' flags are resolved only after make deps has run: this
# file is built first (installing what is missing), then GNU make reads
# the Makefile again with it. Flags read before the install left a first
# build on a fresh machine without -I/usr/include/postgresql.
PKG_MK     := $(BUILD)/pkg.mk
NO_PKG_GOALS := clean deps help uninstall
ifneq ($(if $(MAKECMDGOALS),$(filter-out $(NO_PKG_GOALS),$(MAKECMDGOALS)),all),)
include $(PKG_MK)
endif

$(PKG_MK): Makefile tests/deps.sh
	@mkdir -p $(@D)
	@$(DEPS_CMD)
	@$(PKG_CONFIG) --exists $(PKGS) || { echo "make: missing after make deps: $$($(PKG_CONFIG) --print-errors --exists $(PKGS) 2>&1 | head -n 1)" >&2; exit 1; }
	@{ echo "PKG_CFLAGS := $$($(PKG_CONFIG) --cflags $(PKGS))"; \
	   echo "PKG_LIBS := $$($(PKG_CONFIG) --libs $(PKGS))"; } >$@.tmp && mv $@.tmp $@

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wwrite-strings \
	-Wformat=2 -Wundef -Wvla -Wnull-dereference -Wimplicit-fallthrough \
	-Wno-unused-parameter $(WERROR)
SANFLAGS := $(if $(SANITIZE),-fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all)
DEFS     := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DCOURTSIDE_VERSION='"$(VERSION)"'
CFLAGS   ?= $(OPT)
ALL_CFLAGS := -std=c11 $(WARN) $(DEFS) -I. -Icommon $(PKG_CFLAGS) $(SANFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS := $(SANFLAGS) $(LDFLAGS)
LDLIBS   += $(PKG_LIBS) -lm

TOOLS        :=
UNIT_TESTS   :=
FUZZ_TARGETS :=
TEST_TOOLS   :=
COMMON_SRCS  :=
MANPAGES     :=

include common/module.mk
include $(filter-out common/module.mk,$(sort $(wildcard */module.mk tests/module.mk)))

COMMON_LIB := $(BUILD)/libcommon.a
COMMON_OBJS := $(COMMON_SRCS:%.c=$(BUILD)/%.o)

obj = $(1:%.c=$(BUILD)/%.o)

.PHONY: all check unit integration fuzz lint bench demo soak hostile install uninstall \
	clean deps help test-tools
.DEFAULT_GOAL := all

all: $(TOOLS:%=$(BUILD)/bin/%)

$(COMMON_LIB): $(COMMON_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# One link rule per tool and per test program.
define tool_rule
$(BUILD)/bin/$(1): $(call obj,$(TOOL_$(1)_SRCS)) $(COMMON_LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach t,$(TOOLS) $(TEST_TOOLS),$(eval $(call tool_rule,$(t))))

define unit_rule
$(BUILD)/tests/unit/$(1): $(BUILD)/tests/unit/$(1).o $(call obj,$(UNIT_$(1)_SRCS)) $(COMMON_LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
UNIT_NAMES := $(notdir $(UNIT_TESTS:.c=))
$(foreach u,$(UNIT_NAMES),$(eval $(call unit_rule,$(u))))

test-tools: $(TEST_TOOLS:%=$(BUILD)/bin/%)

# make check: every unit test, then every integration scenario; the
# runner prints "N passed, N failed" and exits non-zero on any failure.
check: all test-tools $(UNIT_NAMES:%=$(BUILD)/tests/unit/%)
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) sh tests/run.sh $(UNIT_NAMES:%=$(BUILD)/tests/unit/%)

unit: $(UNIT_NAMES:%=$(BUILD)/tests/unit/%)
	@BUILD=$(BUILD) ONLY=unit sh tests/run.sh $^

integration: all test-tools
	@BUILD=$(BUILD) ONLY=integration sh tests/run.sh

# Fuzzing: clang + libFuzzer, ASan and UBSan, one binary per parser.
FUZZ_BUILD := build-fuzz
FUZZ_FLAGS := -std=c11 -g -O1 $(DEFS) -I. -Icommon $(PKG_CFLAGS) \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_NAMES := $(notdir $(FUZZ_TARGETS:.c=))
# The pure leaves of common/ every target may use (sort: each once).
FUZZ_COMMON_SRCS := common/buf.c common/errbuf.c common/fnv.c \
	common/digits.c common/hmap.c common/jscan.c common/jsonw.c \
	common/strcopy.c \
	common/vec.c
define fuzz_rule
$(FUZZ_BUILD)/$(1): tests/fuzz/$(1).c $(sort $(FUZZ_$(1)_SRCS) $(FUZZ_COMMON_SRCS))
	@mkdir -p $$(@D)
	$$(CLANG) $$(FUZZ_FLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach f,$(FUZZ_NAMES),$(eval $(call fuzz_rule,$(f))))

fuzz: $(FUZZ_NAMES:%=$(FUZZ_BUILD)/%)
	@FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_NAMES)

lint:
	sh tests/lint.sh

bench: all test-tools
	@BUILD=$(BUILD) sh tests/bench.sh

demo: all test-tools
	@BUILD=$(BUILD) sh tests/demo.sh

# Not in CI: the demo pipeline with random faults and kills for DURATION
# minutes; fails if a client lost a point or a process kept growing.
soak: all test-tools
	@BUILD=$(BUILD) DURATION=$(DURATION) sh tests/soak.sh

# Not in CI: slowloris, idle and CONNECT floods against ws-fanout and
# live-games beside a well-behaved client (about three minutes).
hostile: all test-tools
	@BUILD=$(BUILD) sh tests/hostile.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(TOOLS:%=$(BUILD)/bin/%) $(DESTDIR)$(BINDIR)/
	for m in $(MANPAGES); do \
		s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	install -d $(DESTDIR)$(DATADIR)/www
	install -m 644 www/index.html $(DESTDIR)$(DATADIR)/www/

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%)
	for m in $(MANPAGES); do s=$${m##*.}; \
		rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done
	rm -f $(DESTDIR)$(DATADIR)/www/index.html
	-rmdir $(DESTDIR)$(DATADIR)/www $(DESTDIR)$(DATADIR) 2>/dev/null

clean:
	rm -rf build build-san $(FUZZ_BUILD)

deps:
	@sh tests/deps.sh

help:
	@echo "courtside $(VERSION): targets"
	@echo "  all        build every tool into $(BUILD)/bin (default)"
	@echo "  check      unit and integration tests (SANITIZE=address,undefined)"
	@echo "  fuzz       run every libFuzzer target for FUZZ_SECONDS (default 30)"
	@echo "  lint       clang-tidy, cppcheck, shellcheck, mandoc -Tlint"
	@echo "  bench      benchmarks, side by side with their peers"
	@echo "  demo       the whole pipeline on the recorded game (SPEED= KEEP=1 LIVE=1)"
	@echo "  soak       faults and kills under load for DURATION minutes (not in CI)"
	@echo "  hostile    slow attacks on both servers beside a normal client (not in CI)"
	@echo "  install    binaries and man pages under DESTDIR/PREFIX ($(PREFIX))"
	@echo "  uninstall  remove what install put there"
	@echo "  deps       install the Debian packages needed to build and test"
	@echo "  clean      remove build outputs"
	@echo "variables: SANITIZE= WERROR= PREFIX= DESTDIR= CC= FUZZ_SECONDS="

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
