#!/usr/bin/env bash
# test_state.sh — the proof that the fraud decisions do not depend on crashes
# (durable fraud state, fraud.state), on one real Kafka broker: one fixed input
# (orders from kcat with fixed created_at: repeated order ids, bursts of one
# user across the velocity window) is decided
#   a. by one fraud process that runs without a break,
#   b. by one killed with SIGKILL three times at random points and restarted,
#   c. by two fraud processes, one stopped mid-way so its partitions move;
# the decision of each order (status and rules fired, with their reasons) is
# the same in all three, each order is decided exactly once in read_committed
# output, and each restart reports how long its restore took.  Each case has
# its own topics and group prefix.
source "$(dirname "$0")/lib.sh"
kafka_up single

N=${STATE_ORDERS:-24000}
CHUNKS=4
T0=1700000000000

# The input: chunk files of "key|json" lines for kcat -K'|'.
python3 - "$WORK/input" "$N" "$CHUNKS" "$T0" <<'PY'
import json, random, sys
base, n, chunks, t0 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(20)
users = [f"user{i:04d}" for i in range(1500)]
countries = ["US", "US", "US", "DE", "FR", "GB", "KP"]
lines, ids, t, i = [], [], t0, 0
def order(oid, user, t):
    c = rnd.choice(countries)
    return user + "|" + json.dumps({
        "order_id": oid, "user_id": user, "item": "pen",
        "quantity": rnd.choice([1, 1, 2, 3, 25]), "unit_price": rnd.choice([5, 20, 400, 3000]),
        "country": c, "card_country": c if rnd.random() < 0.9 else "US", "created_at": t},
        separators=(",", ":"))
while len(lines) < n:
    t += rnd.randint(5, 25)
    r = rnd.random()
    if r < 0.02 and ids:  # an order id decided before, sent again later
        oid, user = rnd.choice(ids[-3000:])
        lines.append(order(oid, user, t))
    elif r < 0.03:  # a burst: one user, 8 orders within ~70 s (across the window)
        user = rnd.choice(users)
        for k in range(8):
            i += 1
            oid = f"o{i:06d}"
            ids.append((oid, user))
            lines.append(order(oid, user, t + k * rnd.randint(4000, 10000)))
    else:
        i += 1
        oid, user = f"o{i:06d}", rnd.choice(users)
        ids.append((oid, user))
        lines.append(order(oid, user, t))
lines = lines[:n]
per = (n + chunks - 1) // chunks
for c in range(chunks):
    with open(f"{base}.{c}", "w") as f:
        f.write("\n".join(lines[c * per:(c + 1) * per]) + "\n")
PY

produce() { # PREFIX CHUNK
	kc -P -t "$1.orders" -K'|' -X enable.idempotence=true -l "$WORK/input.$2" 2>"$WORK/produce.err" ||
		note "kcat: $(cat "$WORK/produce.err")"
}
fraud() { # PREFIX INSTANCE LOG [OPTION...]: a fraud-only process; PID in $BG
	local a p=$1 i=$2 log=$3
	shift 3
	mapfile -t a < <(topic_args "$p")
	bg_ordertop "$log" -b "$BOOT" "${a[@]}" --headless --roles fraud --instance "$i" \
		--partitions 3 --replication-factor 1 -X session.timeout.ms=6000 "$@"
}
assigned() { grep -q "assigned $1.orders" "$2" 2>/dev/null; }
# decided PREFIX: read_committed decisions (valid + refused), one per line
decided() {
	dump "$1.valid" "$WORK/$1.valid" && dump "$1.refused" "$WORK/$1.refused" &&
		cat "$WORK/$1.valid" "$WORK/$1.refused" | grep -c .
}
all_decided() { [[ $(decided "$1") -ge $N ]]; }
restores() { # LOG...: the restore lines with entries
	grep -ho 'restored [0-9]* entries of partition [0-9]* in [0-9]* ms' "$@" | grep -v '^restored 0 '
}

# ------------------------------------------------------------------ a. no break
pa=sa
fraud $pa a "$WORK/a.log"
fa=$BG
if wait_until 60 assigned $pa "$WORK/a.log"; then
	for c in $(seq 0 $((CHUNKS - 1))); do produce $pa "$c"; done
	wait_until 120 all_decided $pa || note "a: $(decided $pa) of $N decided"
	ok "a: one fraud process decided the input without a break ($(decided $pa) decisions)"
else
	not_ok "a: the fraud process gets partitions" "$(tail -5 "$WORK/a.log")"
fi
stop_pid "$fa"

# ------------------------------------------------------------------ b. SIGKILL x3
# Small transactions (other boundaries than in a), so that a kill lands
# in the middle of a chunk.
pb=sb
small=(--txn-max-msgs 100)
fraud $pb k "$WORK/b0.log" "${small[@]}"
fb=$BG
kills=0 midway=0
if wait_until 60 assigned $pb "$WORK/b0.log"; then
	for c in $(seq 0 $((CHUNKS - 1))); do
		produce $pb "$c"
		[[ $c -eq $((CHUNKS - 1)) ]] && break
		# a random point while it decides this chunk (or just after)
		sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
		kill -KILL "$fb"
		wait "$fb" 2>/dev/null
		kills=$((kills + 1))
		d=$(decided $pb)
		[[ $((d % (N / CHUNKS))) -ne 0 ]] && midway=$((midway + 1))
		note "b: SIGKILL $kills after producing chunk $c: $d decisions committed"
		fraud $pb k "$WORK/b$kills.log" "${small[@]}"
		fb=$BG
		wait_until 60 assigned $pb "$WORK/b$kills.log" || note "b: restart $kills not assigned"
	done
	wait_until 180 all_decided $pb || note "b: $(decided $pb) of $N decided"
fi
stop_pid "$fb"
check "b: killed with SIGKILL three times and restarted, at least once mid-chunk" \
	test "$kills" -eq 3 -a "$midway" -ge 1
if out=$(restores "$WORK"/b[123].log) && [[ -n $out ]]; then
	ok "b: each restart restored the state (restore times below)"
	while read -r l; do note "b: $l"; done <<<"$out"
else
	not_ok "b: each restart restored the state" "$(grep -h restored "$WORK"/b*.log)"
fi

# ------------------------------------------------------------------ c. partitions move
pc=sc
fraud $pc x "$WORK/cx.log" "${small[@]}"
fx=$BG
fraud $pc y "$WORK/cy.log" "${small[@]}"
fy=$BG
both() { assigned $pc "$WORK/cx.log" && assigned $pc "$WORK/cy.log"; }
if wait_until 90 both; then
	produce $pc 0
	produce $pc 1
	sleep 0.3
	note "c: stopping x with $(decided $pc) decisions committed"
	stop_pid "$fx"
	for c in $(seq 2 $((CHUNKS - 1))); do produce $pc "$c"; done
	wait_until 180 all_decided $pc || note "c: $(decided $pc) of $N decided"
	ok "c: two fraud processes, one stopped mid-way ($(grep -c 'assigned' "$WORK/cy.log") assignments for y)"
	out=$(restores "$WORK/cy.log" | tail -n 3)
	[[ -n $out ]] && while read -r l; do note "c: y $l"; done <<<"$out"
else
	not_ok "c: both fraud processes get partitions" "$(tail -3 "$WORK/cx.log")" "$(tail -3 "$WORK/cy.log")"
	stop_pid "$fx"
fi
stop_pid "$fy"

# ------------------------------------------------------------------ the proof
for p in $pa $pb $pc; do decided $p >/dev/null; done
out=$(python3 - "$WORK" "$N" $pa $pb $pc <<'PY'
import collections, glob, json, sys
work, n, cases = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
inputs = collections.Counter()
for f in sorted(glob.glob(f"{work}/input.*")):
    for line in open(f):
        if line.strip():
            o = json.loads(line.split("|", 1)[1])
            inputs[(o["order_id"], o["created_at"])] += 1
def decisions(p):
    seen = collections.defaultdict(list)
    for name in ("valid", "refused"):
        for line in open(f"{work}/{p}.{name}", encoding="utf-8"):
            line = line.rstrip("\n")
            if not line:
                continue
            d = json.loads(line.split("\t", 1)[1])
            rules = tuple((r["id"], r["reason"]) for r in d.get("rules_fired", []))
            seen[(d["order_id"], d["created_at"])].append((d["status"], rules))
    return seen
res = {p: decisions(p) for p in cases}
bad = 0
for p, s in res.items():
    dup = [k for k, v in s.items() if len(v) > 1]
    missing = [k for k in inputs if k not in s]
    extra = [k for k in s if k not in inputs]
    refused = sum(1 for v in s.values() if v[0][0] == "REFUSED")
    replay = sum(1 for v in s.values() if any(r[0] == "replay" for r in v[0][1]))
    velocity = sum(1 for v in s.values() if any(r[0] == "velocity" for r in v[0][1]))
    print(f"{p}: {sum(len(v) for v in s.values())} decisions of {len(inputs)} orders, "
          f"{refused} refused ({replay} replay, {velocity} velocity), "
          f"{len(dup)} twice, {len(missing)} missing, {len(extra)} unknown")
    if dup or missing or extra:
        bad += 1
a = res[cases[0]]
for p in cases[1:]:
    diff = [k for k in inputs if a.get(k, [None])[0] != res[p].get(k, [None])[0]]
    print(f"{cases[0]} vs {p}: {len(diff)} orders decided differently"
          + (f", e.g. {diff[0]}: {a.get(diff[0])} vs {res[p].get(diff[0])}" if diff else ""))
    if diff:
        bad += 1
if sum(inputs.values()) != len(inputs):
    print("PROBLEM: the input repeats an (order_id, created_at)")
    bad += 1
sys.exit(1 if bad else 0)
PY
)
r=$?
while read -r l; do note "$l"; done <<<"$out"
if [[ $r -eq 0 ]]; then
	ok "the proof: every order decided exactly once in each case, identically in all three"
else
	not_ok "the proof: every order decided exactly once in each case, identically in all three" "$out"
fi
check "the input has repeated order ids refused as replays and bursts refused by velocity" \
	test -n "$(grep -E "^$pa: .* \([1-9][0-9]* replay, [1-9][0-9]* velocity\)" <<<"$out")"
finish
