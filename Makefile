# ordertop — build, test, install.  Plain GNU make; pkg-config finds the libraries.
#   make            build build/ordertop
#   make test       unit + integration (embedded broker) + dashboard (tmux) + real Kafka tests
#   make asan|tsan  the same build and tests under AddressSanitizer / ThreadSanitizer
#   make bench      benchmarks (tests/bench)
#   make fuzz       libFuzzer targets (tests/fuzz), FUZZ_SECONDS each; not part of make test
#   make fuzz-regress  replay the fuzz seeds and regressions (part of make test)
#   make format     apply .clang-format to src/ and ui/ (make test checks it)
#   make install    PREFIX=/usr/local DESTDIR= (the program, themes, man page)

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/ordertop
MANDIR   ?= $(PREFIX)/share/man
BUILD    ?= build

PKGS     := rdkafka ncursesw libcjson libmicrohttpd
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
# Each fuzz target's seeds and regressions replayed by a gcc-built driver.
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY_BINS := $(FUZZ_NAMES:%=$(BUILD)/tests/unit/test_fuzz_%)
TEST_BINS += $(FUZZ_REPLAY_BINS)
# A plain librdkafka client the dashboard tests check group offsets with.
TEST_BINS += $(BUILD)/tests/support/group_offsets
BENCH_SRC := $(wildcard tests/bench/*.c)
BENCH_BINS:= $(BENCH_SRC:tests/%.c=$(BUILD)/tests/%)


.PHONY: format fuzz fuzz-build fuzz-regress fuzz-deps deps test-deps tests-build all test test-unit test-integration test-e2e test-kafka asan tsan bench run install uninstall clean deps

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

# The fuzz replay drivers (theme's needs ui/kit/theme.c).
$(BUILD)/tests/unit/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/support/reference_json.c $(BUILD)/ui/kit/theme.o $(LIB) $(TSAN_SUPPORT)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests -DFUZZ_NAME='"$*"' $(CFLAGS) $(LDFLAGS) $(WARN) -o $@ $(filter %.c %.o %.a,$^) $(LDLIBS)

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

# libFuzzer (clang): every target runs FUZZ_SECONDS over its seeds
# (tests/fuzz/corpus/NAME, growing a working corpus in $(FUZZ_BUILD));
# a crash fails, its input left as $(FUZZ_BUILD)/crash-NAME-*.  Keep such
# an input in tests/fuzz/regress/NAME once fixed: make test replays it.
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_WARN    := $(filter-out -Wno-format-truncation,$(WARN))
FUZZ_OBJ     := $(SRC_LIB:%.c=$(FUZZ_BUILD)/%.o) $(FUZZ_BUILD)/ui/kit/theme.o
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_WARN) -c -o $@ $<

$(FUZZ_BUILD)/libfuzz.a: $(FUZZ_OBJ)
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/support/reference_json.c $(FUZZ_BUILD)/libfuzz.a
	$(FUZZ_CC) $(CPPFLAGS) -Itests $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_WARN) -o $@ $^ $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@for t in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
		echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
		$(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/crash-$$t- \
			$(FUZZ_BUILD)/corpus/$$t tests/fuzz/corpus/$$t >$(FUZZ_BUILD)/fuzz_$$t.log 2>&1 \
			|| { tail -n 60 $(FUZZ_BUILD)/fuzz_$$t.log; echo "fuzz $$t: FAILED"; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^#.*DONE' $(FUZZ_BUILD)/fuzz_$$t.log | tail -n 2; \
	done

fuzz-regress: $(FUZZ_REPLAY_BINS)
	@for b in $(FUZZ_REPLAY_BINS); do $$b >/dev/null || { echo "FAIL $$b"; exit 1; }; done; echo "fuzz regressions replayed"

# One C style (.clang-format); tests/structure/format.sh checks it.
format:
	find src ui -name '*.[ch]' | xargs clang-format -i

run: $(BUILD)/ordertop
	$(BUILD)/ordertop --theme-dir themes

# Debian packages: `deps` for building and running, `test-deps` adds what
# the test suite needs (cmocka, tmux, kcat, Java and Maven for real Kafka).
deps:
	tests/install-deps.sh build

test-deps:
	tests/install-deps.sh test

fuzz-deps:
	tests/install-deps.sh fuzz

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
	rm -rf build build-asan build-tsan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
