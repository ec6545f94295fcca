#!/usr/bin/env bash
# http.sh — the HTTP section of the benchmark (run.sh runs it; alone:
# `BUILD=build tests/bench/http.sh`).  On a fresh embedded broker (a bare
# `ordertop --roles none`), ordertop --headless --no-generate --http takes
# POST /orders, where each 202 waits for the broker's acknowledgement:
#   max      wrk (tests/bench/http_post.lua, keep-alive, 32 connections):
#            accepted orders/s over BENCH_HTTP_SECONDS, and that every one
#            reached its final state (produced = notified + dead-lettered)
#   batch    the same with BENCH_HTTP_BATCH (10) orders per request (a
#            JSON array): orders/s = requests/s x BATCH
#   latency  hey at a fixed BENCH_HTTP_RATE requests/s (32 connections,
#            RATE/32 each; wrk's delay() would add to the latency it
#            measures): POST latency p50/p99
#   pipeline ordertop --headless --count BENCH_HTTP_COUNT --rate max, each
#            on its own embedded broker, without and with --http (idle),
#            alternating BENCH_HTTP_PAIRS times: the pipeline's own rate
#            with the API on as a share of headless without it
# BIN=... runs another build.  Writes $BUILD/bench/http.md and raw files in
# $BUILD/bench/raw/http-*.
# shellcheck source=tests/bench/bench_lib.sh
. "$(dirname "$0")/bench_lib.sh"
SECS=${BENCH_HTTP_SECONDS:-15}
RATE=${BENCH_HTTP_RATE:-2000}
COUNT=${BENCH_HTTP_COUNT:-200000}
PAIRS=${BENCH_HTTP_PAIRS:-2}
BATCH=${BENCH_HTTP_BATCH:-10}
CONNS=32
for tool in wrk hey; do
	command -v $tool >/dev/null || { echo "bench http: no $tool (tests/install-deps.sh test)"; exit 1; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# steal_ticks: CPU time stolen by the hypervisor and all CPU time, in ticks
steal_ticks() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print $9, t }' /proc/stat; }
metric() { curl -s "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n { print $2 }'; }

# run NAME: one ordertop on one fresh broker, one load generator run
run() {
	local name=$1 port bs broker_pid
	bench_broker "http-$name"
	port=$(free_port)
	"$BIN" --headless --no-generate -b "$bs" -X fetch.wait.max.ms=10 \
		--http "$port" --summary "$RAW/http-$name.summary.json" -q \
		>"$RAW/http-$name.log" 2>&1 &
	local ot=$!
	bench_pids+=("$ot")
	for _ in $(seq 300); do
		curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
		sleep 0.1
	done
	local s0 t0 s1 t1
	read -r s0 t0 < <(steal_ticks)
	if [ "$name" != latency ]; then
		WRK_BATCH=$([ "$name" = batch ] && echo "$BATCH" || echo 1) wrk -t2 -c$CONNS -d"${SECS}s" --latency -s "$ROOT/tests/bench/http_post.lua" \
			"http://127.0.0.1:$port/orders" >"$RAW/http-$name.txt" 2>&1
	else
		echo '{"user_id":"user7","item":"pen","quantity":2,"unit_price":2.5}' \
			>"$RAW/http-body.json"
		hey -z "${SECS}s" -c $CONNS -q $((RATE / CONNS)) -m POST -T application/json \
			-D "$RAW/http-body.json" "http://127.0.0.1:$port/orders" \
			>"$RAW/http-$name.txt" 2>&1
	fi
	# a figure taken while the host ran others' work is marked so
	read -r s1 t1 < <(steal_ticks)
	awk -v s=$((s1 - s0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.0f%%\n", t ? 100 * s / t : 0 }' \
		>"$RAW/http-$name.steal.txt"
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
	kill "$broker_pid"; wait "$broker_pid" 2>/dev/null
}

wrk_field() {   # wrk_field FILE: requests/s, p50, p99, non-2xx
	awk '/Requests\/sec/ { rps = $2 }
	     $1 == "50.000%" || $1 == "50%" { p50 = $2 }
	     $1 == "99.000%" || $1 == "99%" { p99 = $2 }
	     /Non-2xx/ { bad = $NF }
	     END { printf "%s %s %s %s\n", rps, p50, p99, bad + 0 }' "$1"
}

hey_field() {   # hey_field FILE: requests/s, p50, p99 (ms), non-202
	awk '/Requests\/sec/ { rps = $2 }
	     $1 == "50%" { p50 = sprintf("%.2fms", $3 * 1000) }
	     $1 == "99%" { p99 = sprintf("%.2fms", $3 * 1000) }
	     /^  \[[0-9]+\]/ { if ($1 != "[202]") bad += $2 }
	     /^  [A-Za-z].*: / && /Error|error|refused|reset/ { bad++ }
	     END { printf "%.0f %s %s %d\n", rps, p50, p99, bad }' "$1"
}

# pipeline WITH_HTTP I: headless at max; prints its orders/s
pipeline() {
	local f=$RAW/http-pipeline-$1-$2.json args=()
	[ "$1" = on ] && args=(--http "$(free_port)")
	"$BIN" --headless --count "$COUNT" --rate max --drain --summary "$f" -q "${args[@]}" \
		>"$RAW/http-pipeline-$1-$2.log" 2>&1
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("%.0f %d %d" % (s["orders_per_sec"], s["lost"], s["duplicates"]))' "$f"
}

run max
run batch
run latency
read -r mrps mp50 mp99 mbad < <(wrk_field "$RAW/http-max.txt")
read -r brps bp50 bp99 bbad < <(wrk_field "$RAW/http-batch.txt")
read -r lrps lp50 lp99 lbad < <(hey_field "$RAW/http-latency.txt")
off=() on=()
for i in $(seq "$PAIRS"); do
	read -r r lost dup < <(pipeline off "$i"); off+=("$r")
	read -r r lost2 dup2 < <(pipeline on "$i"); on+=("$r")
	[ "$lost$dup$lost2$dup2" = 0000 ] || echo "bench http: pipeline run $i lost or duplicated orders" >&2
done
share=$(python3 -c 'import sys; a=[float(x) for x in sys.argv[1].split()]; b=[float(x) for x in sys.argv[2].split()]; print("%.0f%%" % (100 * sum(b) / sum(a)))' "${off[*]}" "${on[*]}")
{
	echo "## HTTP API (POST /orders, 202 after the broker's acknowledgement)"
	echo
	echo "$CONNS keep-alive connections, ${SECS} s per run, embedded broker; max: wrk,"
	echo "fixed rate: hey."
	echo
	echo "| run | requests/s | p50 | p99 | non-2xx | every order final | CPU stolen |"
	echo "|---|---|---|---|---|---|---|"
	echo "| max (wrk) | $mrps | $mp50 | $mp99 | $mbad | $(cat "$RAW/http-max.final.txt") | $(cat "$RAW/http-max.steal.txt") |"
	echo "| max, $BATCH orders a request (wrk) | $brps ($(python3 -c "print(round($brps * $BATCH))") orders/s) | $bp50 | $bp99 | $bbad | $(cat "$RAW/http-batch.final.txt") | $(cat "$RAW/http-batch.steal.txt") |"
	echo "| ${RATE}/s offered (hey) | $lrps | $lp50 | $lp99 | $lbad | $(cat "$RAW/http-latency.final.txt") | $(cat "$RAW/http-latency.steal.txt") |"
	echo
	echo "CPU stolen: the share of the machine's CPU time the hypervisor gave to"
	echo "others during the load generator's run (/proc/stat); above a few percent"
	echo "the run's latencies say more about the host than about ordertop."
	echo
	echo "The pipeline's own rate, headless --count $COUNT --rate max, without and with"
	echo "--http (idle), alternating: without ${off[*]} orders/s, with ${on[*]}: **$share**."
} >"$OUT/http.md"
cat "$OUT/http.md"
