# lib.sh — shared helpers for tests/kafka/test_*.sh (sourced, not run).
#
# A test script: source this, call `kafka_up SHAPE`, then run scenarios with
# `ok NAME` / `not_ok NAME WHY` (TAP-style lines), and end with `finish`.
# The EXIT trap kills every ordertop process started with `bg_ordertop`
# (by PID), stops the cluster and removes the work directory.
set -uo pipefail

KHERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KAFKA_SH=$KHERE/kafka.sh
ORDERTOP=${ORDERTOP:-$KHERE/../../build/ordertop}
[[ -x $ORDERTOP ]] || { echo "not ok - ordertop binary missing at $ORDERTOP"; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ordertop-kafka.XXXXXX")
CLUSTER=$WORK/cluster
BOOT=
FAILED=0
BG_PIDS=()
T_START=$(date +%s)

note() { printf '# %s\n' "$*"; }
ok() { printf 'ok - %s\n' "$1"; }
not_ok() {
	printf 'not ok - %s\n' "$1"
	shift
	local l
	for l in "$@"; do printf '#   %s\n' "$l"; done
	FAILED=$((FAILED + 1))
}
# check NAME COND-COMMAND... : ok if the command succeeds
not() { ! "$@"; }
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}

cleanup() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${BG_PIDS[@]}"; do
		for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [[ -d $CLUSTER ]]; then
		"$KAFKA_SH" stop "$CLUSTER" >/dev/null 2>&1 || true
	fi
	if [[ $FAILED -gt 0 || -n ${KEEP_WORK:-} ]]; then
		# keep logs of failed runs next to the test logs
		local keep=${BUILD:-build}/test-logs/kafka-$(basename "$0" .sh)
		rm -rf "$keep" && mkdir -p "$keep" && cp -r "$WORK"/*.log "$WORK"/*.json "$keep"/ 2>/dev/null
		cp "$CLUSTER"/node*.log "$keep"/ 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# kafka_up SHAPE: fetch jars, start the cluster, set BOOT
kafka_up() {
	"$KAFKA_SH" fetch >&2 || { not_ok "kafka.sh fetch"; exit 1; }
	if ! "$KAFKA_SH" start "$1" "$CLUSTER" >"$WORK/kafka-start.log" 2>&1; then
		not_ok "kafka.sh start $1" "$(tail -5 "$WORK/kafka-start.log")"
		exit 1
	fi
	BOOT=$(cat "$CLUSTER/bootstrap")
	note "cluster $1 at $BOOT"
}

# topic_args P: ordertop options putting every topic and group under prefix P
topic_args() {
	local p=$1
	printf '%s\n' --group-prefix "$p" --topic "orders=$p.orders" --topic "valid=$p.valid" \
		--topic "refused=$p.refused" --topic "notifications=$p.notifications" \
		--topic "notified=$p.notified" --topic "dlq=$p.dlq" --topic "rules=$p.rules" \
		--topic "state=$p.state"
}

# bg_ordertop LOG ARGS...: start ordertop in the background; PID in $BG
bg_ordertop() {
	local log=$1
	shift
	"$ORDERTOP" "$@" >"$log.out" 2>"$log" </dev/null &
	BG=$!
	BG_PIDS+=("$BG")
}

# stop_pid PID [TIMEOUT]: SIGTERM, wait; returns its exit code (137 if it had to be killed)
stop_pid() {
	local p=$1 t=${2:-30} i
	kill -TERM "$p" 2>/dev/null
	for ((i = 0; i < t * 10; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
}

# wait_pid PID TIMEOUT: wait for exit (not in a subshell: it must be our child);
# sets RC to its exit code, 124 after TIMEOUT (then the process is killed)
wait_pid() {
	local p=$1 t=$2 i
	for ((i = 0; i < t * 10; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$p" 2>/dev/null; then
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
		RC=124
		return
	fi
	wait "$p" 2>/dev/null
	RC=$?
}

# wait_until TIMEOUT COMMAND...: poll every 0.5 s
wait_until() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 2; i++)); do
		"$@" && return 0
		sleep 0.5
	done
	return 1
}

# last_count LOG FIELD: the FIELD (produced, approved, refused, notified...) of the last status line
last_count() {
	grep -o "$2 [0-9]*" "$1" 2>/dev/null | tail -n1 | awk '{print $2}'
}
count_at_least() { local v; v=$(last_count "$1" "$2"); [[ -n $v && $v -ge $3 ]]; }

# kc ARGS...: kcat with this cluster's credentials (KC_AUTH array, empty for PLAINTEXT)
KC_AUTH=()
kc() { kcat -b "$BOOT" "${KC_AUTH[@]}" "$@"; }

# dump TOPIC FILE: every committed record of TOPIC, "partition<TAB>value" lines
dump() {
	kc -C -e -q -o beginning -X isolation.level=read_committed -t "$1" -f '%p\t%s\n' >"$2" 2>"$2.err"
}

# partitions TOPIC: partition count from metadata
partitions() {
	kc -L -t "$1" 2>/dev/null | sed -n "s/.*topic \"$1\" with \([0-9]*\) partitions.*/\1/p"
}

# check_eo P N [ORDERS_TOPIC_TOO]: independent exactly-once check of prefix P's topics:
# N distinct order ids, each exactly once across valid+refused, exactly once in notified.
# Prints a one-line summary; returns non-zero with details on mismatch.
check_eo() {
	local p=$1 n=$2 d=$WORK/eo.$1
	mkdir -p "$d"
	dump "$p.orders" "$d/orders" && dump "$p.valid" "$d/valid" && dump "$p.refused" "$d/refused" &&
		dump "$p.notified" "$d/notified" || { echo "kcat failed: $(cat "$d"/*.err)"; return 1; }
	python3 - "$d" "$n" <<'EOF'
import json, sys, collections
d, n = sys.argv[1], int(sys.argv[2])
def ids(name):
    c = collections.Counter()
    for line in open(f"{d}/{name}", encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if not line:
            continue
        v = line.split("\t", 1)[1] if "\t" in line else line
        try:
            c[json.loads(v)["order_id"]] += 1
        except Exception:
            c["<unparsable>"] += 1
    return c
orders, valid, refused, notified = ids("orders"), ids("valid"), ids("refused"), ids("notified")
decided = valid + refused
problems = []
def desc(name, c):
    return f"{name}: {sum(c.values())} records, {len(c)} distinct"
print("; ".join([desc("orders", orders), desc("valid", valid), desc("refused", refused),
                 desc("notified", notified)]))
for name, c in (("decisions", decided), ("notified", notified)):
    if len(c) != n:
        problems.append(f"{name}: {len(c)} distinct order ids, want {n}")
    dups = [k for k, v in c.items() if v > 1]
    if dups:
        problems.append(f"{name}: {len(dups)} ids more than once, e.g. {dups[:5]}")
    if sum(c.values()) != n:
        problems.append(f"{name}: {sum(c.values())} records, want {n}")
if set(orders) != set(decided):
    problems.append(f"order ids differ: {len(set(orders)-set(decided))} never decided, "
                    f"{len(set(decided)-set(orders))} decided but not in orders")
if set(notified) != set(decided):
    problems.append(f"{len(set(decided)-set(notified))} decided ids not notified")
for p in problems:
    print("PROBLEM:", p)
sys.exit(1 if problems else 0)
EOF
}

# json_field FILE KEY: a top-level field of a JSON file (e.g. a --summary)
json_field() {
	python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); print(v.get(sys.argv[2], ""))' "$1" "$2" 2>/dev/null
}

finish() {
	note "wall time $(($(date +%s) - T_START)) s"
	[[ $FAILED -eq 0 ]]
	exit
}
