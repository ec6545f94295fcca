#!/usr/bin/env bash
# restore.sh — how long a fraud process takes to restore its durable state
# (fraud.state) after a kill, on a fresh embedded broker: BENCH_RESTORE_ENTRIES
# state entries (users and order ids, a fifth of them users) are written to the
# changelog's 3 partitions with kcat, as a fraud process writes them; a fraud
# process restores them, is killed with SIGKILL, and a new one restores them
# again.  The second restore is the one reported: the sum over the partitions
# (they are restored one after the other, before the first order is decided)
# from its "restored N entries of partition P in X ms" lines.
# Writes $BUILD/bench/restore.md and raw/restore.*; run by run.sh.
# shellcheck source=tests/bench/bench_lib.sh
. "$(dirname "$0")/bench_lib.sh"
N=${BENCH_RESTORE_ENTRIES:-1000000}
PARTS=3

per=$(((N + PARTS - 1) / PARTS))
users=$((per / 5))
ids=$((per - users))

bench_broker restore --partitions $PARTS

# The records a fraud process would have written: per partition, its users
# ("P/u/USER": 5 times), its ids in buckets of 1000 ("P/o/SEQ") and the meta
# record; key and value separated by \x02, records by \x01.
t0=$(date +%s)
for p in $(seq 0 $((PARTS - 1))); do
	python3 - "$p" "$users" "$ids" <<'PY' | kcat -P -b "$bs" -t fraud.state -p "$p" -z zstd \
		-K '\x02' -D '\x01' 2>>"$RAW/restore-kcat.log"
import sys
p, users, ids = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t = 1700000000000
out = sys.stdout
for u in range(users):
    out.write(f"{p}/u/user{u:08d}\x02{t + u} 1000 1000 1000 1000\x01")
for b in range(0, ids, 1000):
    n = min(1000, ids - b)
    lines = "".join(f"{t + b + i} 9:o{p}{b + i:07d}\n" for i in range(n))
    out.write(f"{p}/o/{b}\x02{b} {n}\n{lines}\x01")
out.write(f"{p}/m\x02{ids} 0 {t + ids}\x01")
PY
done
write_s=$(($(date +%s) - t0))

fraud() { # LOG: a fraud-only process with room for every entry, reading
	# fraud.state (another --group-prefix would name its own state topic)
	"$BIN" -b "$bs" --headless --roles fraud --group-prefix restore --instance r \
		--topic state=fraud.state \
		--velocity-users "$users" --replay-ids "$ids" 2>"$1" &
	bench_pids+=($!)
	FPID=$!
}
restored() { [ "$(grep -c 'restored [0-9]* entries' "$1" 2>/dev/null)" -ge $PARTS ]; }
wait_restored() {
	for _ in $(seq 1 1200); do restored "$1" && return 0; sleep 0.1; done
	return 1
}

fraud "$RAW/restore-1.log"
wait_restored "$RAW/restore-1.log" || { echo "restore: the first fraud process did not restore"; exit 1; }
{ kill -KILL "$FPID"; wait "$FPID"; } 2>/dev/null
fraud "$RAW/restore-2.log"
wait_restored "$RAW/restore-2.log" || { echo "restore: the fraud process did not restore after the kill"; exit 1; }
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$FPID/status" 2>/dev/null)
kill -TERM "$FPID"
wait "$FPID" 2>/dev/null

grep -o 'restored [0-9]* entries of partition [0-9]* in [0-9]* ms ([0-9]* records' "$RAW/restore-2.log" |
	awk -v n="$N" -v w="$write_s" -v rss="${rss:-?}" '
	{ entries += $2; ms += $8; recs += substr($10, 2); line = line sprintf(" p%s %d ms;", $6, $8) }
	END {
		mb = (rss == "?") ? "?" : sprintf("%d", rss / 1024)
		rate = (ms > 0) ? entries * 1000 / ms : 0
		print "## Fraud state restore after a kill (embedded broker)\n"
		print "| entries | changelog records | restore (sum of partitions) | entries/s | per partition | peak RSS |"
		print "|---|---|---|---|---|---|"
		printf "| %d | %d | %d ms | %.0f | %s | %s MB |\n", entries, recs, ms,
			rate, line, mb
		printf "\n(%d entries asked for; the changelog written by kcat in %d s.)\n", n, w
		if (entries < n)
			printf "\n**Restored fewer entries than written: the run measured nothing.**\n"
	}' >"$OUT/restore.md"
cat "$OUT/restore.md"
grep -q 'fewer entries than written' "$OUT/restore.md" && exit 1
exit 0
