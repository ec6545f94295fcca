#!/usr/bin/env bash
# state.sh — the what-if replay and the cost of the durable fraud state
# (run.sh runs it; alone: `BUILD=build tests/bench/state.sh`):
#   whatif   `ordertop rules whatif velocity max_orders 3 --last N --json`
#            over BENCH_WHATIF_ORDERS (100000) orders written with kcat to a
#            fresh embedded broker (a bare `ordertop --roles none`): the
#            replay's orders/s (its reading and deciding, from the JSON's
#            seconds) and the command's wall time; 0 skips it
#   state    ordertop --headless --count BENCH_STATE_COUNT (200000) --rate
#            max --drain, each on its own embedded broker, with
#            --fraud-state kafka (the default: velocity and replay memory
#            on fraud.state, in the transactions) and --fraud-state memory,
#            alternating BENCH_STATE_PAIRS (2) times: durable's orders/s as
#            a share of memory's; 0 skips it
# BIN=... runs another build.  Writes $BUILD/bench/state.md and raw files
# in $BUILD/bench/raw/state-*.
# shellcheck source=tests/bench/bench_lib.sh
. "$(dirname "$0")/bench_lib.sh"
WN=${BENCH_WHATIF_ORDERS:-100000}
COUNT=${BENCH_STATE_COUNT:-200000}
PAIRS=${BENCH_STATE_PAIRS:-2}

: >"$OUT/state.md"
echo "## What-if replay and durable fraud state (embedded broker)" >>"$OUT/state.md"

if [ "$WN" != 0 ]; then
	bench_broker state-whatif
	# WN orders of 2000 users, 50 ms apart, every 7th from one of 20 busy users.
	python3 - "$WN" <<'PY' | kcat -P -b "$bs" -t orders -K '|' -z lz4 2>"$RAW/state-whatif-kcat.log"
import sys
n, t = int(sys.argv[1]), 1700000000000
out = sys.stdout
for i in range(n):
    u = f"busy{i % 20}" if i % 7 == 0 else f"user{i % 2000}"
    out.write(f'{u}|{{"order_id":"w-{i}","user_id":"{u}","item":"pen","quantity":1,'
              f'"unit_price":{5 + i % 300},"created_at":{t + i * 50}}}\n')
PY
	t0=$(date +%s.%N)
	"$BIN" rules whatif velocity max_orders 3 -b "$bs" --last "$WN" --json \
		>"$RAW/state-whatif.json" 2>"$RAW/state-whatif.err"
	t1=$(date +%s.%N)
	python3 - "$RAW/state-whatif.json" "$WN" "$t0" "$t1" >>"$OUT/state.md" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
wall = float(sys.argv[4]) - float(sys.argv[3])
print()
print("| what-if over | orders replayed | replay | orders/s (replay) | wall (the command) | approved -> refused |")
print("|---|---|---|---|---|---|")
print("| last %s | %d | %.2f s | %.0f | %.2f s | %d |" % (sys.argv[2], d["orders"], d["seconds"],
      d["orders_per_sec"], wall, d["approved_to_refused"]))
PY
fi

# run MODE I: headless at max with --fraud-state MODE; prints its orders/s
run() {
	local f=$RAW/state-$1-$2.json
	"$BIN" --headless --count "$COUNT" --rate max --drain --fraud-state "$1" --summary "$f" -q \
		>"$RAW/state-$1-$2.log" 2>&1
	python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("%.0f %d %d" % (s["orders_per_sec"], s["lost"], s["duplicates"]))' "$f"
}

if [ "$COUNT" != 0 ]; then
	mem=() dur=()
	for i in $(seq "$PAIRS"); do
		read -r r lost dup < <(run memory "$i"); mem+=("$r")
		read -r r lost2 dup2 < <(run kafka "$i"); dur+=("$r")
		[ "$lost$dup$lost2$dup2" = 0000 ] || echo "bench state: run $i lost or duplicated orders" >&2
	done
	share=$(python3 -c 'import sys; a=[float(x) for x in sys.argv[1].split()]; b=[float(x) for x in sys.argv[2].split()]; print("%.0f%%" % (100 * sum(b) / sum(a)) if sum(a) else "?")' "${mem[*]}" "${dur[*]}")
	{
		echo
		echo "Headless --count $COUNT --rate max, each run on its own embedded broker,"
		echo "alternating: --fraud-state memory ${mem[*]} orders/s, --fraud-state kafka"
		echo "(durable, the default) ${dur[*]}: **$share** of memory's."
	} >>"$OUT/state.md"
fi
cat "$OUT/state.md"
