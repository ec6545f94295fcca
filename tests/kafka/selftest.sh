#!/usr/bin/env bash
# Self-test of tests/kafka/kafka.sh against real Kafka brokers: single, sasl, three.
# Prints one TAP-like line per check ("ok - ..." / "not ok - ..."), timings as "#" lines, and a last
# line "N passed, M failed"; exits non-zero on any failure.
# KEEP=1 keeps the work dir (logs) afterwards.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
K=$HERE/kafka.sh
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ordertop-kafka-selftest.XXXXXX")
PASSED=0 FAILED=0
CLUSTERS=()

now_ms() { date +%s%3N; }
ok() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
nok() { FAILED=$((FAILED + 1)); echo "not ok - $*"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else nok "$name"; fi; }
info() { echo "#      $*"; }

# running = exists and is not a zombie (an orphaned JVM is reaped by PID 1, which may take seconds)
pid_running() {
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [[ -n $st && $st != Z && $st != X ]]
}

# all nodes of DIR dead (by saved PID)?
pids_dead() {
  local d=$1 f pid
  for f in "$d"/node*.pid; do
    [[ -e $f ]] || continue
    pid=$(cat "$f")
    if pid_running "$pid"; then echo "pid $pid ($f) still alive" >&2; return 1; fi
  done
}

# no process of ours (cmdline mentions $WORK) is still running
no_jvm_left() {
  local c left=0
  for c in /proc/[0-9]*/cmdline; do
    if { tr '\0' ' ' <"$c"; } 2>/dev/null | grep -q -- "kafka.Kafka.*$WORK"; then
      echo "still running: ${c#/proc/}" >&2; left=1
    fi
  done
  ((left == 0))
}

finish() {
  local rc=$? d
  set +e
  for d in ${CLUSTERS[@]+"${CLUSTERS[@]}"}; do "$K" stop "$d" >/dev/null 2>&1; done
  for d in ${CLUSTERS[@]+"${CLUSTERS[@]}"}; do check "all PIDs of $(basename "$d") gone" pids_dead "$d"; done
  check "no broker JVM left running" no_jvm_left
  if ((rc != 0 && FAILED == 0)); then nok "selftest aborted (exit $rc)"; fi
  if [[ ${KEEP:-0} == 1 || $FAILED -gt 0 ]]; then echo "# logs kept in $WORK"; else rm -rf "$WORK"; fi
  echo "$PASSED passed, $FAILED failed"
  if ((FAILED > 0)); then exit 1; fi
  exit 0
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_cluster() {   # start_cluster SHAPE DIR -> check + timing
  local shape=$1 d=$2 t0 t
  CLUSTERS+=("$d")
  t0=$(now_ms)
  if "$K" start "$shape" "$d" >"$WORK/$shape.start.out" 2>&1; then
    t=$(( $(now_ms) - t0 ))
    ok "start $shape ($t ms)"
    echo "$shape start_ms=$t" >>"$WORK/timings"
    "$K" status "$d" | sed 's/^/#      /'
    return 0
  fi
  nok "start $shape"; sed 's/^/#      /' "$WORK/$shape.start.out"; return 1
}

stop_cluster() {
  local d=$1 t0 t
  t0=$(now_ms)
  if "$K" stop "$d" >/dev/null 2>&1 && pids_dead "$d"; then
    t=$(( $(now_ms) - t0 )); ok "stop $(basename "$d") ($t ms)"
  else nok "stop $(basename "$d")"; fi
}

brokers() {   # brokers BOOTSTRAP [kcat args...] -> broker count from metadata (empty on failure)
  local b=$1; shift
  timeout 10 kcat -b "$b" "$@" -L -m 5 -X log_level=0 2>/dev/null | sed -n 's/^ *\([0-9][0-9]*\) brokers:.*/\1/p' | head -1
}

wait_brokers() {   # wait_brokers BOOTSTRAP WANT TIMEOUT_S -> 0 when metadata shows WANT brokers
  local b=$1 want=$2 deadline=$(( $(date +%s) + $3 )) n
  while (( $(date +%s) < deadline )); do
    n=$(brokers "$b"); [[ $n == "$want" ]] && return 0
    sleep 0.2
  done
  return 1
}

produce_ok() {   # produce_ok OUTFILE kcat-args... (stdin: messages); success = exit 0 and no delivery failure
  local out=$1; shift
  timeout 30 kcat "$@" -P -X log_level=3 >"$out" 2>&1 && ! grep -q 'Delivery failed' "$out"
}

# got_same FILE...: $WORK/got holds exactly the lines of FILE... (any order)
got_same() { diff <(cat "$@" | sort) <(sort "$WORK/got") >/dev/null; }
txn_commit() {   # txn_commit BOOTSTRAP OUT: two messages in one transaction
  printf 'tx-a\ntx-b\n' | timeout 30 kcat -b "$1" -P -t ordertop.tx -X transactional.id=selftest-tx >"$2" 2>&1 &&
    grep -q 'Transaction successfully committed' "$2"
}
auth_failed() {   # auth_failed RC OUT: kcat failed (not timed out) and reported PLAIN's auth failure
  [[ $1 -ne 0 && $1 -ne 124 ]] && grep -q 'Authentication failed: Invalid username or password' "$2"
}
three_in_sync() { kcat -b "$1" -L -t ordertop.r3 2>/dev/null | grep -Eq 'replicas: [0-9],[0-9],[0-9], isrs: [0-9],[0-9],[0-9]$'; }
quiet() { "$@" >/dev/null 2>&1; }

# ------------------------------------------------------------------ fetch
check "kafka.sh fetch" "$K" fetch

# ------------------------------------------------------------------ single
D=$WORK/single
if start_cluster single "$D"; then
  # shellcheck disable=SC1091
  . "$D/env"
  check "env has KAFKA_BOOTSTRAP and KAFKA_NODES=1" test -n "$KAFKA_BOOTSTRAP" -a "$KAFKA_NODES" = 1 -a "$(cat "$D/bootstrap")" = "$KAFKA_BOOTSTRAP"
  B=$KAFKA_BOOTSTRAP
  check "single: metadata shows 1 broker" test "$(brokers "$B")" = 1
  seq 1 10 | sed 's/^/msg-/' >"$WORK/in10"
  check "single: produce 10 (acks=all, idempotent)" produce_ok "$WORK/p1" -b "$B" -t ordertop.selftest \
      -X acks=all -X enable.idempotence=true <"$WORK/in10"
  timeout 30 kcat -b "$B" -C -t ordertop.selftest -o beginning -c 10 -e -q >"$WORK/got" 2>/dev/null || true
  check "single: consume the same 10 back" got_same "$WORK/in10"
  timeout 30 kcat -b "$B" -G ordertop-selftest ordertop.selftest -X auto.offset.reset=earliest -c 10 -q \
      >"$WORK/got" 2>/dev/null || true
  check "single: consumer group reads 10 (group coordinator works)" got_same "$WORK/in10"
  check "single: transactional produce commits" txn_commit "$B" "$WORK/tx.out"
  timeout 30 kcat -b "$B" -C -t ordertop.tx -o beginning -e -q -X isolation.level=read_committed >"$WORK/got" 2>/dev/null || true
  printf 'tx-a\ntx-b\n' >"$WORK/in-tx"
  check "single: read_committed consumer sees the 2 transactional messages" got_same "$WORK/in-tx"
  stop_cluster "$D"
fi

# ------------------------------------------------------------------ sasl
D=$WORK/sasl
if start_cluster sasl "$D"; then
  # shellcheck disable=SC1091
  . "$D/env"
  B=$KAFKA_BOOTSTRAP
  SASL=(-X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=PLAIN)
  check "sasl: env has alice credentials" test "$KAFKA_ALICE_USER" = alice -a "$KAFKA_ALICE_PASSWORD" = alice-secret
  check "sasl: alice with right password lists metadata" test "$(brokers "$B" "${SASL[@]}" -X sasl.username=alice -X sasl.password=alice-secret)" = 1
  t0=$(now_ms)
  rc=0; timeout 10 kcat -b "$B" "${SASL[@]}" -X sasl.username=alice -X sasl.password=wrong -L -m 5 >"$WORK/badpw" 2>&1 || rc=$?
  t=$(( $(now_ms) - t0 ))
  check "sasl: wrong password fails with an authentication error within 10 s ($t ms, kcat rc=$rc)" \
      auth_failed "$rc" "$WORK/badpw"
  check "sasl: unauthenticated PLAINTEXT client gets no metadata" test -z "$(brokers "$B" -m 3)"
  check "sasl: acl-allow alice All on topic prefix ordertop. and group prefix ordertop" \
      quiet "$K" acl-allow "$D" alice All 'topic:ordertop.*' 'group:ordertop*'
  "$K" acl "$D" --list >"$WORK/acl.list" 2>&1 || true
  check "sasl: acl --list shows alice's ACLs" grep -q 'User:alice' "$WORK/acl.list"
  check "sasl: alice produces to ordertop.acl (auto-created)" produce_ok "$WORK/pa" -F "$D/alice.kcat.conf" \
      -t ordertop.acl -X acks=all <"$WORK/in10"
  timeout 30 kcat -F "$D/alice.kcat.conf" -G ordertop-acl ordertop.acl -X auto.offset.reset=earliest -c 10 -q \
      >"$WORK/got" 2>/dev/null || true
  check "sasl: alice consumes them in group ordertop-acl" got_same "$WORK/in10"
  rc=0; echo x | timeout 30 kcat -F "$D/bob.kcat.conf" -P -t ordertop.acl -X message.timeout.ms=5000 >"$WORK/pb" 2>&1 || rc=$?
  check "sasl: bob is refused (Topic authorization failed)" grep -q 'Topic authorization failed' "$WORK/pb"
  rc=0; echo x | timeout 30 kcat -F "$D/alice.kcat.conf" -P -t other.topic -X message.timeout.ms=5000 >"$WORK/pc" 2>&1 || rc=$?
  check "sasl: alice is refused outside her prefix" grep -q 'Topic authorization failed' "$WORK/pc"
  stop_cluster "$D"
fi

# ------------------------------------------------------------------ three
D=$WORK/three
if start_cluster three "$D"; then
  # shellcheck disable=SC1091
  . "$D/env"
  B=$KAFKA_BOOTSTRAP
  check "three: KAFKA_NODES=3 and 3 bootstrap addresses" test "$KAFKA_NODES" = 3 -a "$(tr ',' '\n' <"$D/bootstrap" | wc -l)" = 3
  check "three: metadata shows 3 brokers" test "$(brokers "$B")" = 3
  check "three: produce 10 with acks=all" produce_ok "$WORK/p3" -b "$B" -t ordertop.r3 -X acks=all <"$WORK/in10"
  check "three: topic has 3 replicas, 3 in sync" three_in_sync "$B"
  ctrl=$(kcat -b "$B" -L 2>/dev/null | sed -n 's/.*broker \([0-9]\) at .*(controller).*/\1/p')
  info "active controller: node ${ctrl:-?}; killing node 2"
  t0=$(now_ms)
  check "three: kill node 2 (SIGKILL)" quiet "$K" kill "$D" 2
  check "three: metadata answers with 2 brokers after the kill" wait_brokers "$B" 2 30
  info "bootstrap metadata shows 2 brokers $(( $(now_ms) - t0 )) ms after SIGKILL"
  check "three: wait-brokers: both survivors list 2 brokers" quiet "$K" wait-brokers "$D" 2 30
  info "both survivors list 2 brokers $(( $(now_ms) - t0 )) ms after SIGKILL"
  seq 11 20 | sed 's/^/msg-/' >"$WORK/in20b"
  check "three: acks=all produce still succeeds with 2 of 3 (min.insync.replicas=2)" produce_ok "$WORK/p3b" \
      -b "$B" -t ordertop.r3 -X acks=all -X message.timeout.ms=20000 <"$WORK/in20b"
  t0=$(now_ms)
  check "three: restart node 2" quiet "$K" restart "$D" 2
  info "restart node 2: $(( $(now_ms) - t0 )) ms"
  check "three: metadata shows 3 brokers again" test "$(brokers "$B")" = 3
  check "three: every node lists 3 brokers right after restart" quiet "$K" wait-brokers "$D" 3 1
  timeout 30 kcat -b "$B" -C -t ordertop.r3 -o beginning -c 20 -e -q >"$WORK/got" 2>/dev/null || true
  check "three: all 20 messages readable" got_same "$WORK/in10" "$WORK/in20b"
  "$K" status "$D" | sed 's/^/#      /'
  stop_cluster "$D"
fi
# finish (EXIT trap) stops anything left, checks PIDs and prints the summary line
