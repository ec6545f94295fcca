#!/usr/bin/env bash
# run.sh — runs ordertop's test suites and prints one closing line,
# "N passed, M failed", counting individual test cases:
#   unit         tests/unit/test_*.c      (cmocka, no broker), tests/unit/*.sh,
#                tests/structure/*.sh     (the code map: layers, style) and
#                tests/unit/*.sh          (shell, TAP-style: the man page)
#   integration  tests/integration/test_* (cmocka and shell, embedded broker)
#   e2e          tests/e2e/*.sh           (the dashboard in tmux; lib.sh is shared)
#   kafka        tests/kafka/test_*.sh    (a real Apache Kafka broker)
#   all          all of the above
# Each test program's output goes to $BUILD/test-logs/; a failing one's
# tail is printed.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD ORDERTOP="$PWD/$BUILD/ordertop"
logs=$BUILD/test-logs
mkdir -p "$logs"
passed=0
failed=0
failures=()

# Counts the cases in a program's output: cmocka's "[       OK ]" and
# "[  FAILED  ] name" lines, TAP-style "ok" / "not ok" lines.
count_cases() {
	local log=$1 ok bad
	ok=$(grep -cE '^\[       OK \]|^ok ' "$log")
	bad=$(grep -E '^\[  FAILED  \] |^not ok ' "$log" | grep -vc 'test(s)')
	echo "$ok $bad"
}

run_one() {
	local limit=$1 prog=$2 name log start rc ok bad
	name=$(basename "$prog")
	log=$logs/$name.log
	start=$(date +%s)
	timeout --kill-after=10 "$limit" "$prog" >"$log" 2>&1 </dev/null
	rc=$?
	read -r ok bad < <(count_cases "$log")
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1    # crashed, timed out or failed before reporting a case
		[ "$rc" -eq 124 ] && echo "timed out after ${limit}s" >>"$log"
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$bad" -gt 0 ]; then
		failures+=("$name")
		printf 'FAIL %-40s %3ds  %d passed, %d failed (exit %d)\n' "$name" $(($(date +%s) - start)) "$ok" "$bad" "$rc"
		tail -n 40 "$log" | sed 's/^/    | /'
	else
		printf 'ok   %-40s %3ds  %d passed\n' "$name" $(($(date +%s) - start)) "$ok"
	fi
}

suite() {
	local limit=$1
	shift
	for prog in "$@"; do
		[ -x "$prog" ] || continue
		run_one "$limit" "$prog"
	done
}

want=${1:-all}
[[ $want == all || $want == unit ]] && suite 300 "$BUILD"/tests/unit/test_* tests/unit/*.sh tests/structure/*.sh
[[ $want == all || $want == integration ]] && suite 900 "$BUILD"/tests/integration/test_* tests/integration/test_*.sh
[[ $want == all || $want == e2e ]] && suite 600 $(ls tests/e2e/*.sh | grep -v '/lib\.sh$')
[[ $want == all || $want == kafka ]] && suite 2400 tests/kafka/test_*.sh

[ ${#failures[@]} -gt 0 ] && echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
