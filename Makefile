# ccsim: contact-center queue simulator.  `make` builds ./ccsim; see README.md for the targets.
VERSION  = 0.1.0
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wundef -Wwrite-strings -Wstrict-prototypes \
           -Wmissing-prototypes -Wold-style-definition -Wdouble-promotion -Wformat=2
ifeq ($(WCONV),1)
WARN    += -Wconversion
endif
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DCCSIM_VERSION='"$(VERSION)"' -Isim
PKGS     = gsl libconfig zlib json-c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
LDLIBS   = $(PKG_LIBS) -lglpk -lm

DEBS     = gcc libc6-dev make libgsl-dev libconfig-dev zlib1g-dev libjson-c-dev libglpk-dev \
           gnuplot-nox pkg-config

# make MPI=1: the Open MPI build (mpicc) in build/mpi, for mpirun -np N ccsim sweep ...
ifeq ($(MPI),1)
CC       = mpicc
CPPFLAGS += -DCCSIM_MPI
B        ?= build/mpi
endif

SRC      = $(filter-out sim/main.c,$(wildcard sim/*.c))
UNIT     = $(wildcard tests/unit/test_*.c) $(wildcard tests/validate/test_*.c)

# Each build flavour has its own object tree so `make check` never mixes sanitized objects with
# plain ones.  Objects depend on the Makefile: a flag change rebuilds everything.
B        ?= build
OBJ      = $(SRC:sim/%.c=$(B)/sim/%.o)
TESTBIN  = $(UNIT:tests/%.c=$(B)/tests/%)

SAN      = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DSIM_DEBUG

# `make install` copies the binary, the man page and the example configs (with the CSV files
# they read) under $(DESTDIR)$(PREFIX); DESTDIR stages a tree for packaging (tests/install.sh).
PREFIX  ?= /usr/local
DESTDIR ?=

.PHONY: all test check bench clean deps demo options golden-update format valgrind testbins \
        install uninstall scenarios-update analyze fuzz fuzz-ci fuzzbins

all: deps-check ccsim

ccsim: $(B)/ccsim
	$(Q)cp $(B)/ccsim $@

# Quiet by default; `make V=1` shows the full commands.
ifeq ($(V),1)
Q =
else
Q = @
endif

$(B)/ccsim: $(OBJ) $(B)/sim/main.o
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/lib.a: $(OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/sim/%.o: sim/%.c Makefile
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -MMD -MP -c -o $@ $<

$(B)/tests/%: tests/%.c $(B)/lib.a tests/check.h Makefile
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) -Itests $(PKG_CFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(B)/lib.a $(LDLIBS)

testbins: $(TESTBIN) $(B)/ccsim

test: deps-check testbins
	LC_ALL=C BUILD=$(B) bash tests/run.sh

# Sanitizer build running the quick subset: the precision assertions that need long runs are left
# to `make test` (QUICK=1 is read by tests/run.sh and the validation programs).
check: deps-check
	$(MAKE) B=build/check CFLAGS="$(SAN)" LDFLAGS="-fsanitize=address,undefined" testbins
	LC_ALL=C BUILD=build/check QUICK=1 bash tests/run.sh

bench: deps-check
	$(MAKE) B=build/bench CFLAGS="-O2 -g -DNDEBUG" build/bench/ccsim
	bash bench/run.sh build/bench/ccsim

# A small job of every command under memcheck (tests/valgrind/): any error or leak fails.
valgrind: deps-check
	$(MAKE) B=build/valgrind CFLAGS="-O1 -g" build/valgrind/ccsim
	LC_ALL=C BUILD=build/valgrind SUITE=valgrind bash tests/run.sh

# cppcheck and clang-tidy on sim/ (tests/static/; the checks in .clang-tidy, the justified
# suppressions in tests/static/cppcheck.supp).
analyze:
	LC_ALL=C SUITE=static bash tests/run.sh

# libFuzzer harnesses (tests/fuzz/), built with clang against sanitized objects of their own.
# fuzz-ci replays each committed corpus and runs a fixed number of executions from a fixed seed
# (deterministic, a few minutes in all); fuzz runs each for FUZZ_SECONDS (default 600) and keeps
# what it finds in build/fuzz/found/.
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZERS  = $(patsubst tests/fuzz/%.c,build/fuzz/bin/%,$(wildcard tests/fuzz/fuzz_*.c))

fuzzbins: deps-check
	$(MAKE) B=build/fuzz CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" build/fuzz/lib.a
	$(MAKE) $(FUZZERS)

build/fuzz/bin/%: tests/fuzz/%.c tests/fuzz/fuzz.h build/fuzz/lib.a
	@mkdir -p $(@D)
	@echo "  FUZZ    $<"
	$(Q)clang $(CPPFLAGS) $(PKG_CFLAGS) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) $(WARN) -o $@ $< \
	    build/fuzz/lib.a $(LDLIBS)

fuzz-ci: fuzzbins
	LC_ALL=C SUITE=fuzz bash tests/run.sh

fuzz: fuzzbins
	LC_ALL=C FUZZ_SECONDS=$${FUZZ_SECONDS:-600} SUITE=fuzz bash tests/run.sh

# Rewrites the "# check:" lines of scenarios/*.cfg from a fresh run (after an intended model
# change; reread each scenario's "In short" text afterwards).
scenarios-update: testbins
	UPDATE=1 $(B)/tests/validate/test_scenarios >/dev/null

golden-update: all
	LC_ALL=C bash tests/golden.sh --update

# Installs the Debian packages when they are missing and we are root; otherwise says what to run.
deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	else \
	  echo "ccsim needs: sudo apt-get install -y $$missing"; exit 1; \
	fi

deps-check:
	@{ pkg-config --exists $(PKGS) && test -f /usr/include/glpk.h; } || { echo "ccsim: GSL, libconfig, zlib, json-c or GLPK not found; run 'make deps' (as root) or: apt-get install -y $(DEBS)"; exit 1; }

demo: deps
	$(MAKE) all
	./ccsim run configs/default.cfg

options:
	@echo "CC       = $(CC)"
	@echo "CFLAGS   = $(CFLAGS) $(WARN)"
	@echo "CPPFLAGS = $(CPPFLAGS) $(PKG_CFLAGS)"
	@echo "LDLIBS   = $(LDLIBS)"

format:
	clang-format -i sim/*.c sim/*.h tests/*.h tests/*/*.c bench/*.c 2>/dev/null || true

clean:
	rm -rf build ccsim

install: ccsim
	install -d -m 755 "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1" \
	  "$(DESTDIR)$(PREFIX)/share/ccsim/configs"
	install -m 755 ccsim "$(DESTDIR)$(PREFIX)/bin/ccsim"
	install -m 644 ccsim.1 "$(DESTDIR)$(PREFIX)/share/man/man1/ccsim.1"
	install -m 644 $(wildcard configs/*.cfg configs/*.csv) "$(DESTDIR)$(PREFIX)/share/ccsim/configs/"

# Removes exactly what install copied, then the ccsim share directories if they are now empty.
uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/ccsim" "$(DESTDIR)$(PREFIX)/share/man/man1/ccsim.1"
	for f in $(notdir $(wildcard configs/*.cfg configs/*.csv)); do \
	  rm -f "$(DESTDIR)$(PREFIX)/share/ccsim/configs/$$f"; done
	rmdir "$(DESTDIR)$(PREFIX)/share/ccsim/configs" "$(DESTDIR)$(PREFIX)/share/ccsim" 2>/dev/null || true

-include $(OBJ:.o=.d) $(B)/sim/main.d
