# bench_lib.sh — what the bench's section scripts (http.sh, state.sh,
# restore.sh, explore.sh) share; each sources it first thing: the build's
# paths, the processes to stop when the script exits, and a bare embedded
# broker in a process of its own to run against.
# shellcheck shell=bash
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
BIN=${BIN:-$BUILD/ordertop} # BIN=... runs another build
OUT=$BUILD/bench
RAW=$OUT/raw
mkdir -p "$RAW"

# Processes started in the background: stopped when the script exits, after
# bench_on_exit (a script that needs more cleaning up defines it).
bench_pids=()
bench_cleanup() {
	declare -F bench_on_exit >/dev/null && bench_on_exit
	for p in "${bench_pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap bench_cleanup EXIT

# bench_broker NAME [ordertop options...]: a fresh embedded broker (a bare
# `ordertop --roles none`) in its own process, its log in
# $RAW/NAME-broker.log; sets bs (its bootstrap servers) and broker_pid.
bench_broker() {
	local name=$1
	shift
	rm -f "$RAW/$name.bootstrap"
	"$BIN" --headless --roles none --bootstrap-file "$RAW/$name.bootstrap" -qq "$@" \
		2>"$RAW/$name-broker.log" &
	broker_pid=$!
	bench_pids+=("$broker_pid")
	for _ in $(seq 1 600); do [ -s "$RAW/$name.bootstrap" ] && break; sleep 0.1; done
	bs=$(cat "$RAW/$name.bootstrap")
}
