# lib.sh — what the shell tests of tests/integration/ share: the binary, a
# scratch directory and the processes to stop when the test ends, TAP
# output ("ok" / "not ok" lines, counted by tests/run.sh) and polling.
# Sourced from the repository's top directory.
ORDERTOP=${ORDERTOP:-$PWD/build/ordertop}
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
ok()     { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fails=$((fails + 1)); }
check()  { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }

# Polls a command for up to $1 seconds.
wait_until() {
	local limit=$1; shift
	local end=$((SECONDS + limit))
	while [ $SECONDS -lt $end ]; do "$@" && return 0; sleep 0.2; done
	"$@"
}
# json FILE EXPR: EXPR over the JSON object d read from FILE.
json() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }
