#!/usr/bin/env bash
# test_sasl.sh — ordertop against a single real Kafka broker with SASL/PLAIN and ACLs:
# alice (ACLs on her topic/group/transactional-id prefixes) runs a small pipeline from
# a chmod 600 -F file; a wrong password fails fast with "authentication failed" and never
# prints the password; bob (no ACLs) gets "not authorized" naming the topic; a chmod 644
# properties file holding a password draws a warning.
source "$(dirname "$0")/lib.sh"
kafka_up sasl
KC_AUTH=(-X security.protocol=sasl_plaintext -X sasl.mechanisms=PLAIN -X sasl.username=admin -X sasl.password=admin-secret)

props() {   # props FILE USER PASSWORD MODE
	printf '%s\n' "# ordertop test client" "bootstrap.servers=$BOOT" security.protocol=SASL_PLAINTEXT \
		sasl.mechanisms=PLAIN "sasl.username=$2" "sasl.password=$3" >"$1"
	chmod "$4" "$1"
}

# no secret in any output: PASSWORD FILES...
no_secret() {
	local s=$1
	shift
	! grep -qF -- "$s" "$@"
}

p=s6
mapfile -t A < <(topic_args $p)
"$KAFKA_SH" acl-allow "$CLUSTER" alice All "topic:$p.*" "group:$p*" "transactional-id:$p-*" \
	>"$WORK/acl.log" 2>&1 || not_ok "acl-allow for alice" "$(tail -5 "$WORK/acl.log")"
"$KAFKA_SH" acl-allow "$CLUSTER" alice IdempotentWrite cluster >>"$WORK/acl.log" 2>&1 ||
	not_ok "acl-allow IdempotentWrite for alice" "$(tail -5 "$WORK/acl.log")"

# ---------------------------------------------------------------- right credentials, chmod 600
props "$WORK/alice.properties" alice alice-secret 600
t0=$(date +%s)
timeout 120 "$ORDERTOP" -F "$WORK/alice.properties" "${A[@]}" --headless --count 500 --rate max --drain \
	--drain-timeout 60 --partitions 3 --replication-factor 1 --summary "$WORK/s6.json" \
	>"$WORK/s6-alice.out" 2>"$WORK/s6-alice.log"
rc=$?
note "alice run: exit $rc in $(($(date +%s) - t0)) s"
if [[ $rc -eq 0 && $(json_field "$WORK/s6.json" notified) == 500 ]]; then
	ok "sasl: alice (ACLs, -F chmod 600) runs a 500-order --drain"
else
	not_ok "sasl: alice (ACLs, -F chmod 600) runs a 500-order --drain" "exit $rc" "$(grep -v '^ordertop ' "$WORK/s6-alice.log" | tail -8)"
fi
if out=$(check_eo $p 500); then ok "sasl: alice's run exactly once (kcat read_committed)"; note "$out"; else
	not_ok "sasl: alice's run exactly once (kcat read_committed)" "$out"; fi
check "sasl: no permission warning for the chmod 600 file" not grep -q "readable by other users" "$WORK/s6-alice.log"
check "sasl: alice's password never printed" no_secret alice-secret "$WORK/s6-alice.log" "$WORK/s6-alice.out"

# ---------------------------------------------------------------- wrong password
props "$WORK/wrong.properties" alice 'Wr0ng-Pa55word-xyz' 600
t0=$(date +%s%3N)
timeout 30 "$ORDERTOP" -F "$WORK/wrong.properties" "${A[@]}" --headless --count 10 --rate max --drain \
	>"$WORK/s6-wrong.out" 2>"$WORK/s6-wrong.log"
rc=$?
ms=$(($(date +%s%3N) - t0))
note "wrong password: exit $rc after ${ms} ms: $(grep -m1 -i 'authentication failed' "$WORK/s6-wrong.log")"
check "sasl: wrong password exits 1 (no hang, no crash)" test "$rc" -eq 1
# ordertop's own message (lower case; librdkafka's log line says "Authentication failed"),
# and on its own (not only in the flush after the timeout's SIGTERM)
said_auth_failed() { [[ $rc -ne 124 ]] && grep -q "authentication failed" "$WORK/s6-wrong.log"; }
check "sasl: wrong password: ordertop itself reports \"authentication failed\"" said_auth_failed
check "sasl: wrong password fails within 15 s (${ms} ms)" test "$ms" -lt 15000
check "sasl: the wrong password is never printed" no_secret 'Wr0ng-Pa55word-xyz' "$WORK/s6-wrong.log" "$WORK/s6-wrong.out"

# ---------------------------------------------------------------- bob: no rights
props "$WORK/bob.properties" bob bob-secret 600
mapfile -t B < <(topic_args s6b)
t0=$(date +%s)
timeout 90 "$ORDERTOP" -F "$WORK/bob.properties" "${B[@]}" --headless --count 10 --rate max --drain \
	>"$WORK/s6-bob.out" 2>"$WORK/s6-bob.log"
rc=$?
note "bob: exit $rc in $(($(date +%s) - t0)) s: $(grep -m1 -i 'not authorized' "$WORK/s6-bob.log")"
check "sasl: bob (no ACLs) exits 1" test "$rc" -eq 1
check "sasl: bob gets \"not authorized\" naming the topic" grep -qE "not authorized to (create|access) topic 's6b\.[a-z.]+'" "$WORK/s6-bob.log"
check "sasl: bob's password never printed" no_secret bob-secret "$WORK/s6-bob.log" "$WORK/s6-bob.out"

# ---------------------------------------------------------------- chmod 644
props "$WORK/open.properties" alice alice-secret 644
timeout 120 "$ORDERTOP" -F "$WORK/open.properties" "${A[@]}" --headless --count 10 --rate max --drain \
	--drain-timeout 60 >"$WORK/s6-open.out" 2>"$WORK/s6-open.log"
rc=$?
note "chmod 644 run: exit $rc: $(grep -m1 'readable by other users' "$WORK/s6-open.log")"
check "sasl: a chmod 644 file holding a password draws a warning naming it" \
	grep -q "open.properties is readable by other users" "$WORK/s6-open.log"
check "sasl: ... and the run still works (exit 0)" test "$rc" -eq 0
check "sasl: ... without printing the password" no_secret alice-secret "$WORK/s6-open.log" "$WORK/s6-open.out"

finish
