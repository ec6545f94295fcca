#!/usr/bin/env bash
# run.sh — ordertop's benchmark (`make bench`, about 5 minutes on 2 cores).
# Side by side, on the same kind of broker:
#
#   limit       tests/bench/limit.c: the least a librdkafka program does to
#               move the same orders through the same topology, with the
#               same transactions and batching (and --plain: without them;
#               --like-ordertop: with the Kafka traffic ordertop adds, its
#               monitor's reading of orders and decisions, and none of its
#               own work: what is left between that and ordertop is
#               ordertop's processing)
#   headless    ordertop --headless, all roles, -b that broker
#   dashboard   ordertop with its dashboard in a 200x50 tmux pane
#
#   http        tests/bench/http.sh: POST /orders over HTTP (32 keep-alive
#               connections), accepted orders/s at max (wrk) and latency at
#               BENCH_HTTP_RATE (2000) requests/s (hey), and headless's rate
#               with --http on vs off; BENCH_HTTP=0 skips it
#   restore     tests/bench/restore.sh: a fraud process restoring
#               BENCH_RESTORE_ENTRIES (1000000) fraud state entries from
#               fraud.state after a kill, on a fresh embedded broker; 0 skips it
#   state       tests/bench/state.sh: `ordertop rules whatif` over
#               BENCH_WHATIF_ORDERS (100000) orders on a fresh embedded broker
#               (orders/s of the replay), and headless's rate with the durable
#               fraud state (--fraud-state kafka) as a share of --fraud-state
#               memory (BENCH_STATE_COUNT orders, BENCH_STATE_PAIRS alternating
#               pairs, each on a fresh embedded broker); BENCH_STATE=0 skips it
# For each: orders/s end to end at --rate max (N orders), end-to-end latency
# at a fixed rate (warm-up left out), CPU seconds per 100,000 orders, peak
# RSS and whether RSS grows; for the dashboard also its frame times and
# key-press-to-screen latency under full load.  Then the same on a real
# Kafka broker (tests/kafka/kafka.sh) when it is available.
#
# The embedded broker is a bare `ordertop --headless --roles none
# --bootstrap-file F` (librdkafka's mock cluster, 3 brokers, 3 partitions),
# a fresh one for every run (see emb() below).  ordertop gets
# -X fetch.wait.max.ms=10 there, its own setting for its embedded broker
# (with -b it would assume a real cluster and wait 50 ms).  Consumers start
# at the topics' ends (fresh groups whose offsets kwatch --commit-end puts
# at the end), so runs sharing a broker (the real one) don't see each
# other's records.
#
# Tools (tests/bench/): limit (the yardstick), kwatch (an outside consumer:
# counts, latency, latency per second), procmon (CPU, RSS samples, machine
# calibration), shim/frametime.c (LD_PRELOAD frame timing, built here),
# report.py (the tables).
#
# Results: $BUILD/bench/results.md, results.csv, and every raw file
# (summaries, RSS samples, logs) in $BUILD/bench/raw/.
#
# Environment (defaults in brackets):
#   BUILD                     build directory [build]
#   BENCH_ORDERS              orders per max-rate run, embedded [1000000]
#   BENCH_RATE                the fixed rate for latency [5000]
#   BENCH_LATENCY_SECONDS     length of a latency run [15]
#   BENCH_WARMUP              seconds of warm-up left out of latency [2]
#   BENCH_KEYS                key presses measured on the dashboard [20]
#   BENCH_EXTRA_ORDERS        orders for the extra runs (3 repeats each of limit,
#                             headless and dashboard; max-in-flight sweep)
#                             [200000]; 0 = skip them and the standalone run
#   BENCH_DASHBOARD           1 run the dashboard rows, 0 skip [1]
#   BENCH_ORDER_MAP_ORDERS    orders for headless with --order-map, and without
#                             one beside it [200000]; 0 = skip them
#   BENCH_ORDER_MAP           the --order-map program [one that renames fields:
#                             builds the order member by member]
#   BENCH_KAFKA               auto: real-broker section when tests/kafka/kafka.sh
#                             works; 0 skip; 1 require [auto]
#   BENCH_KAFKA_ORDERS        orders per max-rate run on the real broker [200000]
#   BENCH_KAFKA_BOOTSTRAP     use this running cluster instead of starting one
#   BENCH_EXPLORE             1 run tests/bench/explore.sh (the explorer: seek to
#                             a time in BENCH_EXPLORE_RECORDS [1000000] records,
#                             RSS while tailing at full speed), 0 skip [1]
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
BIN=$BUILD/ordertop
BB=$BUILD/tests/bench
OUT=$BUILD/bench
RAW=$OUT/raw
N=${BENCH_ORDERS:-1000000}
RATE=${BENCH_RATE:-5000}
LAT_S=${BENCH_LATENCY_SECONDS:-15}
WARM=${BENCH_WARMUP:-2}
KEYS=${BENCH_KEYS:-20}
EXTRA_N=${BENCH_EXTRA_ORDERS:-200000}
DASH=${BENCH_DASHBOARD:-1}
KAFKA=${BENCH_KAFKA:-auto}
KN=${BENCH_KAFKA_ORDERS:-200000}
LAT_N=$((RATE * LAT_S))
SOCK=ordertop-bench-$$
T_START=$(date +%s)

for b in "$BIN" "$BB/limit" "$BB/kwatch" "$BB/procmon"; do
	[ -x "$b" ] || { echo "bench: $b is not built (make tests-build)"; exit 1; }
done
command -v python3 >/dev/null || { echo "bench: python3 is needed for the report"; exit 1; }
rm -rf "$OUT"
mkdir -p "$RAW"
if locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$'; then
	export LC_ALL=C.UTF-8
fi

say() { printf '[bench %4ds] %s\n' $(($(date +%s) - T_START)) "$*"; }

# ---- cleanup: only what this script started --------------------------------
BROKER_PID=
KAFKA_DIR=
BG_PIDS=()
cleanup() {
	for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	[ -n "$BROKER_PID" ] && kill "$BROKER_PID" 2>/dev/null
	if [ -n "$KAFKA_DIR" ]; then
		"$ROOT/tests/kafka/kafka.sh" stop "$KAFKA_DIR" >/dev/null 2>&1
	fi
	wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers -----------------------------------------------------------------

# CPU seconds of a process so far (utime+stime).
pid_cpu() { awk -v t="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }

wait_file() {   # wait_file FILE SECS
	local end=$((SECONDS + $2))
	while [ ! -s "$1" ]; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.05
	done
}

# Every scenario records: NAME.json (the tool's own summary), NAME.proc.json
# and NAME.rss.csv (procmon), NAME.kwatch.json (the outside view, ordertop
# only), NAME.meta (section, subject, kind, orders, rate, broker CPU).
meta() {   # meta NAME key=value...
	local name=$1; shift
	printf '%s\n' "$@" >>"$RAW/$name.meta"
}

# How fast the machine is just before a run (see procmon --calibrate):
# a VM's speed drifts with its neighbours' load.
calibrate() {   # calibrate NAME
	local c
	c=$("$BB/procmon" --calibrate 2>/dev/null)
	meta "$1" "calib_cpu_mops=$(echo "$c" | sed -n 's/.*cpu_mops=\([0-9.]*\).*/\1/p')" \
		"calib_pingpong_khz=$(echo "$c" | sed -n 's/.*pingpong_khz=\([0-9.]*\).*/\1/p')"
}

broker_cpu_start() { BCPU0=$( [ -n "${CUR_BROKER_PID:-}" ] && pid_cpu "$CUR_BROKER_PID" || echo 0); }
broker_cpu_end() {   # broker_cpu_end NAME
	local c1=0
	[ -n "${CUR_BROKER_PID:-}" ] && c1=$(pid_cpu "$CUR_BROKER_PID")
	meta "$1" "broker_cpu_s=$(awk -v a="$BCPU0" -v b="$c1" 'BEGIN { print b - a }')"
}

# New consumer groups for an ordertop run start where the topics end now.
fresh_groups() {   # fresh_groups PREFIX
	"$BB/kwatch" -b "$CUR_BS" --commit-end "$1-fraud" orders &&
	"$BB/kwatch" -b "$CUR_BS" --commit-end "$1-notifier" notifications
}

start_kwatch() {   # start_kwatch NAME COUNT WARMUP: waits until it listens
	rm -f "$RAW/$1.ready"
	"$BB/kwatch" -b "$CUR_BS" -n "$2" --warmup "$3" --timeout 1800 \
		--ready "$RAW/$1.ready" --progress "$RAW/$1.progress" --timeline "$RAW/$1.timeline.csv" \
		--summary "$RAW/$1.kwatch.json" 2>>"$RAW/$1.log" &
	KW_PID=$!
	BG_PIDS+=("$KW_PID")
	wait_file "$RAW/$1.ready" 60 || { say "$1: kwatch did not start"; return 1; }
}

# run_limit NAME SECTION KIND ORDERS RATE [limit args...]
# (LIMIT_SUBJECT=limit-like for the --like-ordertop runs)
run_limit() {
	local name=$1 section=$2 kind=$3 orders=$4 rate=$5
	shift 5
	meta "$name" "section=$section" "subject=${LIMIT_SUBJECT:-limit}" "kind=$kind" "orders=$orders" "rate=$rate"
	calibrate "$name"
	say "$name: limit $kind, $orders orders at rate $rate $*"
	local rargs=(-n "$orders")
	# (latency per second only at a fixed rate: at max its samples would
	# count in the limit's RSS)
	[ "$rate" != max ] && rargs=(-r "$rate" -d "$((orders / rate))" --warmup "$WARM"
		--timeline "$RAW/$name.timeline.csv")
	broker_cpu_start
	"$BB/procmon" -o "$RAW/$name.rss.csv" -s "$RAW/$name.proc.json" -- \
		"$BB/limit" -b "$CUR_BS" "${rargs[@]}" --group-prefix "$name" --timeout 1200 \
		--summary "$RAW/$name.json" "${LIMIT_ARGS[@]}" "$@" 2>>"$RAW/$name.log"
	local rc=$?
	broker_cpu_end "$name"
	[ $rc -eq 0 ] || { say "$name: limit failed (exit $rc; see raw/$name.log)"; meta "$name" "error=limit exit $rc"; }
	return 0
}

# run_headless NAME SECTION KIND ORDERS RATE [ordertop args...]
run_headless() {
	local name=$1 section=$2 kind=$3 orders=$4 rate=$5
	shift 5
	meta "$name" "section=$section" "subject=headless" "kind=$kind" "orders=$orders" "rate=$rate"
	calibrate "$name"
	say "$name: ordertop --headless $kind, $orders orders at rate $rate $*"
	fresh_groups "$name" || { meta "$name" "error=cannot commit group offsets"; return 0; }
	local warm=0
	[ "$rate" != max ] && warm=$WARM
	start_kwatch "$name" "$orders" "$warm" || { meta "$name" "error=kwatch"; return 0; }
	broker_cpu_start
	"$BB/procmon" -o "$RAW/$name.rss.csv" -s "$RAW/$name.proc.json" -- \
		"$BIN" --headless -b "$CUR_BS" --group-prefix "$name" --instance bench \
		--count "$orders" --rate "$rate" --drain --drain-timeout 300 \
		--summary "$RAW/$name.json" -q "${ORDERTOP_ARGS[@]}" "$@" 2>>"$RAW/$name.log"
	local rc=$?
	broker_cpu_end "$name"
	[ $rc -eq 0 ] || { say "$name: ordertop failed (exit $rc; see raw/$name.log)"; meta "$name" "error=ordertop exit $rc"; }
	local end=$((SECONDS + 30))
	while kill -0 "$KW_PID" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.1; done
	kill "$KW_PID" 2>/dev/null
	wait "$KW_PID" 2>/dev/null
	return 0
}

# ordertop alone, with its own embedded broker in the same process (no -b).
run_standalone() {   # run_standalone NAME SECTION ORDERS
	local name=$1
	meta "$name" "section=$2" "subject=standalone" "kind=max" "orders=$3" "rate=max"
	calibrate "$name"
	say "$name: ordertop --headless with its own embedded broker, $3 orders"
	"$BB/procmon" -o "$RAW/$name.rss.csv" -s "$RAW/$name.proc.json" -- \
		"$BIN" --headless --count "$3" --rate max --drain --drain-timeout 300 \
		--summary "$RAW/$name.json" -q 2>>"$RAW/$name.log" ||
		meta "$name" "error=ordertop exit $?"
}

screen() { tmux -L "$SOCK" capture-pane -p -t bench 2>/dev/null; }


# run_dashboard NAME SECTION KIND ORDERS RATE: the dashboard in a 200x50
# tmux pane, under procmon and the frame-time shim.  kwatch says when the
# last order is notified; then `q`, and ordertop writes --summary at exit.
run_dashboard() {
	local name=$1 section=$2 kind=$3 orders=$4 rate=$5
	meta "$name" "section=$section" "subject=dashboard" "kind=$kind" "orders=$orders" "rate=$rate"
	calibrate "$name"
	say "$name: ordertop dashboard 200x50 $kind, $orders orders at rate $rate"
	fresh_groups "$name" || { meta "$name" "error=cannot commit group offsets"; return 0; }
	local warm=0
	[ "$rate" != max ] && warm=$WARM
	start_kwatch "$name" "$orders" "$warm" || { meta "$name" "error=kwatch"; return 0; }
	rm -f "$RAW/$name.exit"
	local cmd="cd '$ROOT' && env FRAMETIME_OUT='$RAW/$name.frames.json' LD_PRELOAD='$SHIM' \
'$BB/procmon' -o '$RAW/$name.rss.csv' -s '$RAW/$name.proc.json' -- \
'$BIN' --theme-dir themes -b '$CUR_BS' --group-prefix '$name' --instance bench \
--count $orders --rate $rate --summary '$RAW/$name.json' --log-file '$RAW/$name.log' ${ORDERTOP_ARGS[*]} \
2>>'$RAW/$name.stderr'; echo EXIT=\$? > '$RAW/$name.exit'; exec sleep 600"
	broker_cpu_start
	tmux -L "$SOCK" -f /dev/null new-session -d -s bench -x 200 -y 50 "env LC_ALL=${LC_ALL:-} sh -c \"$cmd\""
	tmux -L "$SOCK" set-option -t bench -g status off >/dev/null 2>&1
	tmux -L "$SOCK" resize-window -t bench -x 200 -y 50 >/dev/null 2>&1
	local tmux_pid tmux_cpu0
	tmux_pid=$(tmux -L "$SOCK" display-message -p '#{pid}' 2>/dev/null)
	tmux_cpu0=$(pid_cpu "$tmux_pid")

	# Key presses under full load: once 10% of the orders are through.
	local keys_done=0 end=$((SECONDS + 1800)) count keys=${DASH_KEYS:-$KEYS}
	while kill -0 "$KW_PID" 2>/dev/null && [ $SECONDS -lt $end ]; do
		if [ "$keys_done" = 0 ] && [ "$keys" -gt 0 ] && [ -s "$RAW/$name.progress" ]; then
			read -r count _ <"$RAW/$name.progress"
			if [ "${count:-0}" -ge $((orders / 10)) ]; then
				keys_done=1
				say "$name: $keys key presses ('?' opens help, '?' closes it)"
				python3 tests/bench/keylat.py "$SOCK" bench "$keys" '?' 'ordertop keys' \
					>>"$RAW/$name.keys" 2>>"$RAW/$name.stderr"
				read -r count _ <"$RAW/$name.progress"
				meta "$name" "keys_until_count=$count"
			fi
		fi
		if grep -q '^EXIT=' "$RAW/$name.exit" 2>/dev/null; then
			say "$name: ordertop exited early"
			break
		fi
		sleep 0.2
	done
	[ "$keys_done" = 1 ] || [ "$keys" -eq 0 ] || meta "$name" "note=keys not measured (run ended before 10% of the orders)"
	screen >"$RAW/$name.screen.txt"
	tmux -L "$SOCK" send-keys -t bench q
	local t=0
	while ! grep -q '^EXIT=' "$RAW/$name.exit" 2>/dev/null && [ $t -lt 600 ]; do sleep 0.1; t=$((t + 1)); done
	broker_cpu_end "$name"
	meta "$name" "tmux_cpu_s=$(awk -v a="$tmux_cpu0" -v b="$(pid_cpu "$tmux_pid")" 'BEGIN { print b - a }')"
	local rc
	rc=$(sed -n 's/^EXIT=//p' "$RAW/$name.exit" 2>/dev/null)
	[ "${rc:-x}" = 0 ] || { say "$name: dashboard exit ${rc:-timeout}"; meta "$name" "error=dashboard exit ${rc:-timeout}"; }
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	kill "$KW_PID" 2>/dev/null
	wait "$KW_PID" 2>/dev/null
}

# Is the dashboard there and working?  Prints the reason when not.
dashboard_check() {
	[ "$DASH" = 1 ] || { echo "BENCH_DASHBOARD=0"; return 1; }
	command -v tmux >/dev/null || { echo "tmux is not installed"; return 1; }
	[ -n "$SHIM" ] || { echo "cannot build the frame-time shim (tests/bench/shim/frametime.c)"; return 1; }
	local out
	out=$(tmux -L "$SOCK" -f /dev/null new-session -d -s bench -x 200 -y 50 \
		"env LC_ALL=${LC_ALL:-} '$BIN' --theme-dir themes -b '$CUR_BS' --roles monitor --group-prefix bench-probe 2>'$RAW/dash-probe.stderr'; sleep 600" 2>&1) ||
		{ echo "tmux: $out"; return 1; }
	local i ok=0
	for ((i = 0; i < 150; i++)); do
		if screen | grep -q 'ordertop' && screen | grep -q 'q quit'; then ok=1; break; fi
		sleep 0.1
	done
	screen >"$RAW/dash-probe.screen.txt"
	tmux -L "$SOCK" send-keys -t bench q
	sleep 1
	tmux -L "$SOCK" kill-server >/dev/null 2>&1
	if [ $ok != 1 ]; then
		echo "the dashboard did not draw within 15 s ($(head -c 200 "$RAW/dash-probe.stderr" | tr '\n' ' '))"
		return 1
	fi
}

start_embedded() {
	rm -f "$RAW/embedded.bootstrap"
	"$BIN" --headless --roles none --bootstrap-file "$RAW/embedded.bootstrap" -qq \
		2>>"$RAW/embedded-broker.log" &
	BROKER_PID=$!
	wait_file "$RAW/embedded.bootstrap" 60 || { echo "bench: the embedded broker did not start"; exit 1; }
	CUR_BS=$(cat "$RAW/embedded.bootstrap")
	CUR_BROKER_PID=$BROKER_PID
}

stop_embedded() {
	[ -n "$BROKER_PID" ] || return 0
	kill "$BROKER_PID" 2>/dev/null
	wait "$BROKER_PID" 2>/dev/null
	BROKER_PID=
	CUR_BROKER_PID=
}

# Each embedded run gets a broker of its own: the mock cluster finds a
# fetch offset by walking the partition's list of batches from the start
# (rd_kafka_mock_msgset_find), so it slows down as it fills up (up to
# 100,000 batches or 5 MiB per partition); a shared one would favour
# whoever ran first.
emb() {   # emb FUNC NAME ARGS...: FUNC on a fresh embedded broker
	start_embedded
	"$@"
	stop_embedded
}

# ---- machine ---------------------------------------------------------------
{
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "host=$(uname -srm)"
	echo "cpus=$(nproc)"
	echo "cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "librdkafka=$(pkg-config --modversion rdkafka 2>/dev/null)"
	echo "ordertop=$("$BIN" --version 2>/dev/null | head -1)"
	echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+dirty')"
	echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "steal_start=$(awk '/^cpu / { print $9 }' /proc/stat)"
	echo "orders=$N"
	echo "rate=$RATE"
	echo "latency_seconds=$LAT_S"
	echo "warmup=$WARM"
	echo "keys=$KEYS"
	echo "extra_orders=$EXTRA_N"
	echo "kafka_orders=$KN"
} >"$RAW/machine.txt"

SHIM=$OUT/libframetime.so
cc -O2 -shared -fPIC -o "$SHIM" "$ROOT/tests/bench/shim/frametime.c" -ldl 2>"$RAW/shim.log" || SHIM=

# ---- embedded broker ---------------------------------------------------------
LIMIT_ARGS=()
# ordertop tunes its clients for its own embedded broker (fetch.wait.max.ms
# 10) but, given -b, for a real cluster (50): the mock holds every empty
# fetch for the full wait, so with -b it would wait 5x longer per hop than
# ordertop on its own.  Give it its own embedded setting, as the limit has.
ORDERTOP_ARGS=(-X fetch.wait.max.ms=10)
say "embedded broker (a fresh one per run); N=$N orders, latency at $RATE orders/s for ${LAT_S}s"

emb run_limit    emb-limit-txn       embedded max     "$N" max
emb run_limit    emb-limit-plain     embedded max     "$N" max --plain
LIMIT_SUBJECT=limit-like emb run_limit emb-limit-like embedded max "$N" max --like-ordertop
emb run_headless emb-headless        embedded max     "$N" max
emb run_limit    emb-limit-txn-lat   embedded latency "$LAT_N" "$RATE"
emb run_headless emb-headless-lat    embedded latency "$LAT_N" "$RATE"

start_embedded
why=$(dashboard_check)
dash_ok=$?
stop_embedded
if [ $dash_ok = 0 ]; then
	emb run_dashboard emb-dashboard     embedded max     "$N" max
	emb run_dashboard emb-dashboard-lat embedded latency "$LAT_N" "$RATE"
else
	say "dashboard: not measured: $why"
	echo "$why" >"$RAW/dashboard.not-measured"
fi

if [ "$EXTRA_N" -gt 0 ]; then
	# Repeatability: ordertop's throughput varies from run to run (about
	# +-15% on a quiet 2-core VM), so the limit (both kinds), headless and
	# the dashboard (no key presses) run three times each at the same, smaller N; the
	# report gives min/median/max, and judges the throughput targets on
	# the medians.
	for i in 1 2 3; do
		emb run_limit    "emb-rep-limit-txn-$i" repeat max "$EXTRA_N" max
		LIMIT_SUBJECT=limit-like emb run_limit "emb-rep-limit-like-$i" repeat max "$EXTRA_N" max --like-ordertop
		emb run_headless "emb-rep-headless-$i"  repeat max "$EXTRA_N" max
		[ "$dash_ok" = 0 ] && DASH_KEYS=0 emb run_dashboard "emb-rep-dashboard-$i" repeat max "$EXTRA_N" max
	done
	# What --max-in-flight does to throughput and to latency at max rate
	# (the default, 10000, is the repeat runs above).
	for mif in 1000 3000; do
		emb run_headless "emb-headless-mif$mif" extra max "$EXTRA_N" max --max-in-flight "$mif"
	done
	emb run_limit emb-limit-txn-mif1000 extra max "$EXTRA_N" max --max-in-flight 1000
fi
# --order-map: every order through a jq program that renames fields (it
# builds each order member by member, as a map from another format does),
# against headless without one on the same N.  The orders are the
# generator's, so the result is an order again.
MAP_N=${BENCH_ORDER_MAP_ORDERS:-200000}
ORDER_MAP=${BENCH_ORDER_MAP:-'{order_id: .order_id, user_id: .user_id, item: .item, quantity: .quantity, unit_price: .unit_price, currency: .currency, country: .country, card_country: .card_country, created_at: .created_at}'}
if [ "$MAP_N" -gt 0 ]; then
	emb run_headless emb-headless-nomap  extra max "$MAP_N" max
	emb run_headless emb-headless-ordermap extra max "$MAP_N" max --order-map "$ORDER_MAP"
fi
# ordertop as users start it, the mock cluster inside the same process: its
# RSS includes the broker's retained logs (up to 5 MiB per partition).
[ "$EXTRA_N" -gt 0 ] && run_standalone emb-standalone extra "$N"

# ---- real Kafka broker -----------------------------------------------------
kafka_why=
if [ "$KAFKA" = 0 ]; then
	kafka_why="BENCH_KAFKA=0"
elif [ -n "${BENCH_KAFKA_BOOTSTRAP:-}" ]; then
	CUR_BS=$BENCH_KAFKA_BOOTSTRAP
elif [ ! -x "$ROOT/tests/kafka/kafka.sh" ]; then
	kafka_why="tests/kafka/kafka.sh is not there"
else
	KAFKA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ordertop-bench-kafka.XXXXXX")
	say "starting a real Kafka broker (tests/kafka/kafka.sh start single)"
	if timeout 300 "$ROOT/tests/kafka/kafka.sh" start single "$KAFKA_DIR" >"$RAW/kafka-start.log" 2>&1 &&
	   [ -s "$KAFKA_DIR/env" ]; then
		CUR_BS=$(. "$KAFKA_DIR/env"; echo "$KAFKA_BOOTSTRAP")
	else
		kafka_why="tests/kafka/kafka.sh start failed: $(tail -n 3 "$RAW/kafka-start.log" | tr '\n' ' ')"
		"$ROOT/tests/kafka/kafka.sh" stop "$KAFKA_DIR" >/dev/null 2>&1
		KAFKA_DIR=
	fi
fi
if [ -z "$kafka_why" ]; then
	CUR_BROKER_PID=
	[ -n "$KAFKA_DIR" ] && CUR_BROKER_PID=$(cat "$KAFKA_DIR"/node1.pid 2>/dev/null)
	say "real broker at $CUR_BS: $KN orders per max-rate run"
	# ordertop creates the topics (3 partitions); the limit then uses them.
	"$BIN" --headless --roles none -b "$CUR_BS" --duration 1 -qq 2>"$RAW/kafka-provision.log" ||
		kafka_why="provisioning the topics failed: $(tail -n 2 "$RAW/kafka-provision.log" | tr '\n' ' ')"
fi
if [ -z "$kafka_why" ]; then
	LIMIT_ARGS=(--fetch-wait-ms 50)      # ordertop's setting for a real cluster
	ORDERTOP_ARGS=()
	run_limit    kafka-limit-txn     kafka max     "$KN" max
	LIMIT_SUBJECT=limit-like run_limit kafka-limit-like kafka max "$KN" max --like-ordertop
	run_headless kafka-headless      kafka max     "$KN" max
	run_limit    kafka-limit-txn-lat kafka latency "$LAT_N" "$RATE"
	run_headless kafka-headless-lat  kafka latency "$LAT_N" "$RATE"
	LIMIT_ARGS=()
else
	say "real broker: skipped: $kafka_why"
	[ "$KAFKA" = 1 ] && echo "bench: BENCH_KAFKA=1 but $kafka_why" >&2
	echo "$kafka_why" >"$RAW/kafka.not-measured"
fi
if [ -n "$KAFKA_DIR" ]; then
	"$ROOT/tests/kafka/kafka.sh" stop "$KAFKA_DIR" >/dev/null 2>&1
	rm -rf "$KAFKA_DIR"
	KAFKA_DIR=
fi
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RAW/machine.txt"
echo "steal_end=$(awk '/^cpu / { print $9 }' /proc/stat)" >>"$RAW/machine.txt"
echo "bench_seconds=$(($(date +%s) - T_START))" >>"$RAW/machine.txt"

# ---- HTTP API ------------------------------------------------------------------
if [ "${BENCH_HTTP:-1}" != 0 ]; then
	say "http: POST /orders with wrk and hey, headless with and without --http"
	BUILD=$BUILD "$ROOT/tests/bench/http.sh" >/dev/null 2>"$RAW/http.err" ||
		say "http: failed (see $RAW/http.err)"
fi

# ---- cluster explorer ------------------------------------------------------------
if [ "${BENCH_EXPLORE:-1}" != 0 ]; then
	say "explore: seek by time in a large topic, RSS while tailing"
	BUILD=$BUILD "$ROOT/tests/bench/explore.sh" >/dev/null 2>"$RAW/explore.err" ||
		say "explore: failed (see $RAW/explore.err)"
fi

# ---- fraud state restore ---------------------------------------------------------
if [ "${BENCH_RESTORE_ENTRIES:-1000000}" != 0 ]; then
	say "restore: ${BENCH_RESTORE_ENTRIES:-1000000} fraud state entries after a kill"
	BUILD=$BUILD "$ROOT/tests/bench/restore.sh" >/dev/null 2>"$RAW/restore.err" ||
		say "restore: failed (see $RAW/restore.err)"
fi

# ---- what-if replay, durable fraud state -----------------------------------------
if [ "${BENCH_STATE:-1}" != 0 ]; then
	say "state: what-if over ${BENCH_WHATIF_ORDERS:-100000} orders, durable vs memory fraud state"
	BUILD=$BUILD "$ROOT/tests/bench/state.sh" >/dev/null 2>"$RAW/state.err" ||
		say "state: failed (see $RAW/state.err)"
fi

# ---- report ------------------------------------------------------------------
python3 "$ROOT/tests/bench/report.py" "$OUT"
rc=$?
[ -s "$OUT/http.md" ] && { echo; cat "$OUT/http.md"; } >>"$OUT/results.md"
[ -s "$OUT/explore.md" ] && { echo; cat "$OUT/explore.md"; } >>"$OUT/results.md"
[ -s "$OUT/restore.md" ] && { echo; cat "$OUT/restore.md"; } >>"$OUT/results.md"
[ -s "$OUT/state.md" ] && { echo; cat "$OUT/state.md"; } >>"$OUT/results.md"
say "done: $OUT/results.md, $OUT/results.csv"
[ "$KAFKA" = 1 ] && [ -n "$kafka_why" ] && rc=1
exit $rc
