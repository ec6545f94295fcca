#!/usr/bin/env bash
# http.sh — the HTTP section of the benchmark (run.sh runs it; alone:
# `BUILD=build tests/bench/http.sh`).  On a fresh embedded broker (a bare
# `ordertop --roles none`), ordertop --headless --no-generate --http takes
# POST /orders from wrk (tests/bench/http_post.lua, keep-alive, 32
# connections), where each 202 waits for the broker's acknowledgement:
#   max      accepted orders/s over BENCH_HTTP_SECONDS, and that every one
#            reached its final state (produced = notified + dead-lettered)
#   latency  POST latency p50/p99 at a fixed BENCH_HTTP_RATE requests/s
# Writes $BUILD/bench/http.md and raw files in $BUILD/bench/raw/http-*.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
BIN=$BUILD/ordertop
OUT=$BUILD/bench
RAW=$OUT/raw
SECS=${BENCH_HTTP_SECONDS:-15}
RATE=${BENCH_HTTP_RATE:-2000}
CONNS=32
mkdir -p "$RAW"
command -v wrk >/dev/null || { echo "bench http: no wrk (tests/install-deps.sh test)"; exit 1; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
metric() { curl -s "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n { print $2 }'; }

# run NAME WRK_DELAY_MS: one ordertop on one fresh broker, one wrk run
run() {
	local name=$1 delay=$2 bs=$RAW/http-$1.bootstrap port
	rm -f "$bs"
	"$BIN" --headless --roles none --bootstrap-file "$bs" -q >/dev/null 2>&1 &
	local broker=$!
	PIDS+=("$broker")
	for _ in $(seq 100); do [ -s "$bs" ] && break; sleep 0.1; done
	port=$(free_port)
	"$BIN" --headless --no-generate -b "$(cat "$bs")" -X fetch.wait.max.ms=10 \
		--http "$port" --summary "$RAW/http-$name.summary.json" -q \
		>"$RAW/http-$name.log" 2>&1 &
	local ot=$!
	PIDS+=("$ot")
	for _ in $(seq 300); do
		curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
		sleep 0.1
	done
	WRK_DELAY_MS=$delay wrk -t2 -c$CONNS -d"${SECS}s" --latency \
		-s "$ROOT/tests/bench/http_post.lua" "http://127.0.0.1:$port/orders" \
		>"$RAW/http-$name.wrk.txt" 2>&1
	# every accepted order reaches its final state
	local produced final end=$((SECONDS + 60))
	while :; do
		produced=$(metric "$port" ordertop_orders_produced_total)
		final=$(( $(metric "$port" ordertop_orders_notified_total) + \
		          $(metric "$port" 'ordertop_dead_letters_total{topic="orders.dlq"}') ))
		[ "$final" -ge "$produced" ] || [ $SECONDS -ge $end ] && break
		sleep 0.5
	done
	echo "produced=$produced final=$final" >"$RAW/http-$name.final.txt"
	kill "$ot"; wait "$ot" 2>/dev/null
	kill "$broker"; wait "$broker" 2>/dev/null
}

wrk_field() {   # wrk_field FILE: requests/s, p50, p99, non-2xx
	awk '/Requests\/sec/ { rps = $2 }
	     $1 == "50.000%" || $1 == "50%" { p50 = $2 }
	     $1 == "99.000%" || $1 == "99%" { p99 = $2 }
	     /Non-2xx/ { bad = $NF }
	     END { printf "%s %s %s %s\n", rps, p50, p99, bad + 0 }' "$1"
}

run max 0
run latency $((CONNS * 1000 / RATE))
read -r mrps mp50 mp99 mbad < <(wrk_field "$RAW/http-max.wrk.txt")
read -r lrps lp50 lp99 lbad < <(wrk_field "$RAW/http-latency.wrk.txt")
{
	echo "## HTTP API (POST /orders, 202 after the broker's acknowledgement)"
	echo
	echo "wrk, $CONNS keep-alive connections, ${SECS} s per run, embedded broker."
	echo
	echo "| run | requests/s | p50 | p99 | non-2xx | every order final |"
	echo "|---|---|---|---|---|---|"
	echo "| max | $mrps | $mp50 | $mp99 | $mbad | $(cat "$RAW/http-max.final.txt") |"
	echo "| ${RATE}/s offered | $lrps | $lp50 | $lp99 | $lbad | $(cat "$RAW/http-latency.final.txt") |"
} >"$OUT/http.md"
cat "$OUT/http.md"
