#!/usr/bin/env bash
# test_hardening.sh — ordertop against hostile input and faults, from the
# outside on its embedded broker: escape sequences from fraud.rules never
# reach `ordertop rules list`'s output, a configured secret never reaches
# stderr or --log-file, the audit trail stays valid UTF-8 JSON whatever
# bytes a payload holds, the audit, log and summary files are created
# 0600, --notify-exec is checked at start-up and leaves no process behind,
# and --summary failures are found before the run or reported after it.
# Prints TAP-style "ok" / "not ok" lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
mode() { stat -c %a "$1" 2>/dev/null; }
has_esc() { LC_ALL=C grep -q $'\x1b' "$1"; }

# --- a configured secret is never printed ----------------------------------
secret=S3cr3t-Oauth-$$
timeout -s INT 20 "$ORDERTOP" --headless -b 127.0.0.1:1 --log-file "$tmp/secret.log" \
	-X security.protocol=SASL_PLAINTEXT -X sasl.mechanism=OAUTHBEARER \
	-X enable.sasl.oauthbearer.unsecure.jwt=true \
	-X "sasl.oauthbearer.config=principal=admin bogus=$secret" >"$tmp/secret.out" 2>&1
check "an OAUTHBEARER config error is reported" grep -q "sasl.oauthbearer.config" "$tmp/secret.out"
check "the secret in sasl.oauthbearer.config is not on stderr" \
	test -z "$(grep -- "$secret" "$tmp/secret.out")"
check "nor in --log-file" test -s "$tmp/secret.log" -a -z "$(grep -- "$secret" "$tmp/secret.log")"
timeout -s INT 20 "$ORDERTOP" rules list -b 127.0.0.1:1 \
	-X security.protocol=SASL_PLAINTEXT -X sasl.mechanism=OAUTHBEARER \
	-X enable.sasl.oauthbearer.unsecure.jwt=true \
	-X "sasl.oauthbearer.config=principal=admin bogus=$secret" >"$tmp/rsecret.out" 2>&1
check "nor in ordertop rules' errors" \
	test -s "$tmp/rsecret.out" -a -z "$(grep -- "$secret" "$tmp/rsecret.out")"
check "the log file is created 0600" test "$(mode "$tmp/secret.log")" = 600

# --- a live pipeline fed hostile records -----------------------------------
umask 022
"$ORDERTOP" --headless --rate 20 --bootstrap-file "$tmp/bootstrap" --audit "$tmp/audit.jsonl" \
	--log-file "$tmp/live.log" --summary "$tmp/live.json" -q 2>"$tmp/live.err" &
live=$!
pids+=("$live")
wait_until 30 test -s "$tmp/bootstrap"
bs=$(cat "$tmp/bootstrap")
# A fraud worker record whose id sets the terminal title and the clipboard (OSC 52).
printf '{"worker":"w\\u001b]0;pwned\\u0007\\u001b]52;c;ZXZpbA==\\u0007\\u202e","applied_version":0,"at":1}\n' |
	kcat -P -b "$bs" -t fraud.rules -k 'worker/evil'
# Orders whose JSON strings hold bytes that are not UTF-8 (cJSON takes them).
printf '{"order_id":"bad-\xff\xfe","user_id":"u\xc3","item":"x","quantity":1}\n' |
	kcat -P -b "$bs" -t orders -k $'k\xff'
printf 'plain \xe0\x80\xaf text\n' | kcat -P -b "$bs" -t orders
listed() { "$ORDERTOP" rules list -b "$bs" >"$tmp/rules.out" 2>&1 && grep -q 'worker w' "$tmp/rules.out"; }
check "ordertop rules list shows the hostile worker record" wait_until 30 listed
check "with its escape sequences escaped, no ESC byte on stdout" \
	eval '! has_esc "$tmp/rules.out" && grep -q "worker w\\\\x1b]0;pwned\\\\x07" "$tmp/rules.out"'
"$ORDERTOP" rules toggle total_limit -b "$bs" >"$tmp/toggle.out" 2>&1
check "ordertop rules toggle prints no ESC byte either" \
	eval 'grep -q "worker w" "$tmp/toggle.out" && ! has_esc "$tmp/toggle.out"'
audited() { LC_ALL=C grep -q 'bad-' "$tmp/audit.jsonl" && LC_ALL=C grep -q 'plain ' "$tmp/audit.jsonl"; }
wait_until 30 audited
kill -TERM "$live"; wait "$live"
# Each record is audited where it was read: the orders topic, and its
# dead letter too once the fraud stage has got to it (so 2 or 4 lines).
check "every audit line is valid UTF-8 JSON, invalid bytes kept in *_b64" \
	test "$(python3 -c "
import base64, json, sys
raw = open(sys.argv[1], 'rb').read()
text = raw.decode('utf-8')              # strict: fails on any invalid byte
found = 0
for line in text.splitlines():
    r = json.loads(line)
    if r.get('topic') != 'orders':      # their dead letters may be audited too, or not yet
        continue
    v = r.get('value')
    if isinstance(v, str) and v.startswith('plain '):
        assert base64.b64decode(r['value_b64']) == b'plain \xe0\x80\xaf text', r
        assert '\ufffd' in v, r
        found += 1
    if isinstance(v, str) and 'bad-' in v:
        assert b'bad-\xff\xfe' in base64.b64decode(r['value_b64']), r
        assert base64.b64decode(r['key_b64']) == b'k\xff', r
        found += 1
print(found)
" "$tmp/audit.jsonl")" -ge 2
check "the audit, log and summary files are created 0600" \
	test "$(mode "$tmp/audit.jsonl") $(mode "$tmp/live.log") $(mode "$tmp/live.json")" = "600 600 600"
check "the hostile records reach no log line raw" eval '! has_esc "$tmp/live.log" && ! has_esc "$tmp/live.err"'

# --- --notify-exec checked at start-up ------------------------------------
start=$SECONDS
out=$("$ORDERTOP" --headless --count 10 --drain --notify-exec "ordertop-no-such-prog-$$ --x" 2>&1); rc=$?
check "a --notify-exec program not in PATH: exit 2 at start-up, naming it" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep "ordertop-no-such-prog-$$: not found in PATH")"
printf '#!/bin/sh\ncat >/dev/null\n' >"$tmp/noexec.sh"
chmod 644 "$tmp/noexec.sh"
out=$("$ORDERTOP" --headless --count 10 --drain --notify-exec "$tmp/noexec.sh" 2>&1); rc=$?
check "a --notify-exec program that is not executable: exit 2" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep "noexec.sh: Permission denied")"
check "both before any run" test $((SECONDS - start)) -lt 5

# --- what a notification program starts does not outlive it ------------------
printf '#!/bin/sh\nsleep 300 &\necho $! >>"%s/bg.pids"\ncat >/dev/null\n' "$tmp" >"$tmp/bg.sh"
chmod +x "$tmp/bg.sh"
"$ORDERTOP" --headless --count 20 --rate max --drain --drain-timeout 120 \
	--notify-exec "$tmp/bg.sh" --summary "$tmp/bg.json" -q 2>"$tmp/bg.log"
check "--notify-exec run with a program that starts a background job" \
	test "$(python3 -c "import json; d=json.load(open('$tmp/bg.json')); print(d['notified'])")" = 20
alive=0
for p in $(cat "$tmp/bg.pids"); do
	st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && alive=$((alive + 1)) && kill "$p"
done
check "no background job of the program is left running (of $(wc -l <"$tmp/bg.pids"))" test "$alive" -eq 0

# --- --summary failures ---------------------------------------------------
start=$SECONDS
out=$("$ORDERTOP" --headless --count 100 --drain --summary "$tmp/no/such/dir/s.json" 2>&1); rc=$?
check "an unwritable --summary path: exit 2 before the run, naming it" \
	test "$rc" -eq 2 -a $((SECONDS - start)) -lt 5 -a -n "$(echo "$out" | grep -- "--summary $tmp/no/such/dir/s.json")"
out=$("$ORDERTOP" --headless --count 100 --drain --summary - 2>&1 >&-); rc=$?
check "--summary - with standard output closed: exit 2" \
	test "$rc" -eq 2 -a -n "$(echo "$out" | grep -- "--summary -: standard output")"
out=$("$ORDERTOP" --headless --count 100 --rate max --drain --drain-timeout 120 -q --summary /dev/full 2>&1); rc=$?
check "--summary /dev/full: exit 1 saying the disk is full" \
	test "$rc" -eq 1 -a -n "$(echo "$out" | grep -- "--summary /dev/full: No space left")"
out=$("$ORDERTOP" --headless --count 100 --rate max --drain --drain-timeout 120 -q --summary - 2>&1 >/dev/full); rc=$?
check "--summary - to a full standard output: exit 1" \
	test "$rc" -eq 1 -a -n "$(echo "$out" | grep -- "--summary -: standard output: No space left")"

exit $((fails > 0))
