# ordertop — build, test, install.  Plain GNU make; pkg-config finds the libraries.
#   make            build build/ordertop
#   make test       unit + integration (embedded broker) + dashboard (tmux) + real Kafka tests
#   make asan|tsan  the same build and tests under AddressSanitizer / ThreadSanitizer
#   make bench      benchmarks (tests/bench)
#   make install    PREFIX=/usr/local DESTDIR= (the program, themes, man page)

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/ordertop
MANDIR   ?= $(PREFIX)/share/man
BUILD    ?= build

PKGS     := rdkafka ncursesw libcjson
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -Wno-format-truncation
# Sources live in layer folders (README: Code map); headers are included by
# name, so every folder that holds one is on the include path.
SRC_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard src/*.c src/*/*.c src/*.h src/*/*.h ui/*.c ui/*/*.c ui/*.h ui/*/*.h))))
CPPFLAGS += -std=c11 -D_GNU_SOURCE $(addprefix -I,$(SRC_DIRS)) -DORDERTOP_DATADIR='"$(DATADIR)"' \
            $(shell pkg-config --cflags $(PKGS)) -MMD -MP
# libjq (--order-map and the output maps) has no pkg-config file on Debian 12.
LDLIBS   += $(shell pkg-config --libs $(PKGS)) -ljq -lformw -lpthread -lm

MAIN_SRC := $(wildcard src/main.c src/*/main.c)
SRC_LIB  := $(filter-out $(MAIN_SRC),$(wildcard src/*.c src/*/*.c))
SRC_UI   := $(wildcard ui/*.c ui/*/*.c)
OBJ_LIB  := $(SRC_LIB:%.c=$(BUILD)/%.o)
OBJ_UI   := $(SRC_UI:%.c=$(BUILD)/%.o)
OBJ_MAIN := $(MAIN_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libordertop.a
# Linked into every program; empty unless built with -fsanitize=thread.
TSAN_SUPPORT := $(BUILD)/tests/support/tsan_c11threads.o

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
INTEG_SRC := $(wildcard tests/integration/test_*.c)
TEST_BINS := $(UNIT_SRC:tests/%.c=$(BUILD)/tests/%) $(INTEG_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_LIBS = $(shell pkg-config --libs cmocka)
BENCH_SRC := $(wildcard tests/bench/*.c)
BENCH_BINS:= $(BENCH_SRC:tests/%.c=$(BUILD)/tests/%)


.PHONY: deps test-deps tests-build all test test-unit test-integration test-e2e test-kafka asan tsan bench run install uninstall clean deps

all: $(BUILD)/ordertop

$(BUILD)/ordertop: $(OBJ_MAIN) $(OBJ_UI) $(LIB) $(TSAN_SUPPORT)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(OBJ_LIB)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

# Test-only code (tests/support/) is linked into the tests that use it.
REFERENCE_JSON := $(BUILD)/tests/support/reference_json.o
$(BUILD)/tests/unit/test_flat_json: $(REFERENCE_JSON)

# Tests of ui/ code are named test_ui_*.c and link the ui objects too.
$(BUILD)/tests/unit/test_ui_%: tests/unit/test_ui_%.c $(OBJ_UI) $(LIB) $(TSAN_SUPPORT)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(LDFLAGS) $(WARN) -o $@ $(filter %.c %.o %.a,$^) $(LDLIBS) $(TEST_LIBS)

$(BUILD)/tests/%: tests/%.c $(LIB) $(TSAN_SUPPORT)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(LDFLAGS) $(WARN) -o $@ $(filter %.c %.o %.a,$^) $(LDLIBS) $(TEST_LIBS)

tests-build: $(TEST_BINS) $(BENCH_BINS) $(BUILD)/ordertop

# The whole suite; tests/run.sh prints the closing "N passed, N failed" line.
test: tests-build
	BUILD=$(BUILD) tests/run.sh all

test-unit test-integration test-e2e test-kafka: tests-build
	BUILD=$(BUILD) tests/run.sh $(@:test-%=%)

asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" test

tsan:
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/support/tsan.supp $$TSAN_OPTIONS" \
	$(MAKE) BUILD=build-tsan CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread" test

bench: tests-build
	BUILD=$(BUILD) tests/bench/run.sh

run: $(BUILD)/ordertop
	$(BUILD)/ordertop --theme-dir themes

# Debian packages: `deps` for building and running, `test-deps` adds what
# the test suite needs (cmocka, tmux, kcat, Java and Maven for real Kafka).
deps:
	tests/install-deps.sh build

test-deps:
	tests/install-deps.sh test

install: $(BUILD)/ordertop
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes
	install -m 755 $(BUILD)/ordertop $(DESTDIR)$(BINDIR)/ordertop
	install -m 644 themes/*.theme $(DESTDIR)$(DATADIR)/themes/
	install -d $(DESTDIR)$(MANDIR)/man1
	sed 's|/usr/local/share/ordertop|$(DATADIR)|g' docs/ordertop.1 >$(DESTDIR)$(MANDIR)/man1/ordertop.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/ordertop.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ordertop
	rm -f $(DESTDIR)$(MANDIR)/man1/ordertop.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-tsan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
