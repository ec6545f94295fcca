#!/usr/bin/env bash
# explore.sh — the cluster explorer's section of the benchmark (run.sh
# runs it; alone: `BUILD=build tests/bench/explore.sh`).  The dashboard in
# a 200x50 tmux pane, driven with keys, read with capture-pane:
#   seek  a fresh embedded broker (a bare `ordertop --roles none`) gets
#         BENCH_EXPLORE_RECORDS records (kcat) in topic bench.explore; the
#         dashboard (--roles none -b) opens it in the explorer, and the
#         time from Enter on a start time in the middle of the records to
#         the first page on the screen is measured (target < 1 s)
#   tail  ordertop at --rate max on a fresh embedded broker of its own
#         process (the mock keeps every record in memory: in-process it
#         would grow the RSS measured), the explorer tailing `orders` (F)
#         for BENCH_EXPLORE_TAIL_SECONDS after 5 s of warm-up: RSS sampled
#         every second; flat when the last third's peak is within 10% of
#         the first third's
# Writes $BUILD/bench/explore.md and raw files in $BUILD/bench/raw/explore-*.
# shellcheck source=tests/bench/bench_lib.sh
. "$(dirname "$0")/bench_lib.sh"
RECORDS=${BENCH_EXPLORE_RECORDS:-1000000}
TAIL_S=${BENCH_EXPLORE_TAIL_SECONDS:-30}
SOCK=ordertop-bench-explore-$$
command -v kcat >/dev/null || { echo "bench explore: no kcat"; exit 1; }
command -v tmux >/dev/null || { echo "bench explore: no tmux"; exit 1; }
if locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$'; then
	export LC_ALL=C.UTF-8
fi

bench_on_exit() { tmux -L "$SOCK" kill-server >/dev/null 2>&1; }
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
screen() { tmux -L "$SOCK" capture-pane -p -t bench 2>/dev/null; }
keys() { tmux -L "$SOCK" send-keys -t bench "$@"; }
text() { tmux -L "$SOCK" send-keys -t bench -l -- "$1"; }
wait_for() {   # wait_for REGEX SECS
	local end=$(($(now_ms) + $2 * 1000))
	while [ "$(now_ms)" -lt $end ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.02
	done
	return 1
}
# dash NAME ARGS...: the dashboard in 200x50; its pid in $RAW/explore-NAME.pid
dash() {
	local name=$1
	shift
	rm -f "$RAW/explore-$name.pid"
	tmux -L "$SOCK" -f /dev/null new-session -d -s bench -x 200 -y 50 \
		"env LC_ALL=${LC_ALL:-} sh -c \"cd '$ROOT' && echo \\\$\\\$ > '$RAW/explore-$name.pid' && exec '$BIN' --theme-dir themes $* 2>>'$RAW/explore-$name.stderr'\""
	tmux -L "$SOCK" set-option -t bench -g status off >/dev/null 2>&1
	for _ in $(seq 100); do [ -s "$RAW/explore-$name.pid" ] && break; sleep 0.1; done
}

seek_ms=- seek_ok=0
# ---- seek --------------------------------------------------------------------
bench_broker explore-seek
t0=$(now_ms)
seq "$RECORDS" | sed 's/.*/{"n":&}/' | kcat -P -b "$bs" -t bench.explore \
	-X linger.ms=50 -X batch.num.messages=10000 2>>"$RAW/explore-kcat.log"
t1=$(now_ms)
mid=$(((t0 + t1) / 2))
echo "explore seek: $RECORDS records written in $((t1 - t0)) ms; seeking to @$mid"
dash seek -b "'$bs'" --roles none
if wait_for 'ordertop' 30; then
	keys x
	wait_for 'ordertop explorer' 10
	keys :
	text 'messages bench.explore'
	keys Enter
	wait_for '^ [0-9]+@[0-9]+ ' 30
	keys s C-u
	text "@$mid"
	start=$(now_ms)
	keys Enter
	if wait_for "from @$mid.*" 5 && wait_for '^ [0-9]+@[0-9]+ .*\{"n":[0-9]+\}' 30; then
		seek_ms=$(($(now_ms) - start))
		[ "$seek_ms" -lt 1000 ] && seek_ok=1
	fi
	screen >"$RAW/explore-seek.screen"
	keys q
fi
sleep 1
tmux -L "$SOCK" kill-server >/dev/null 2>&1
kill "$broker_pid" 2>/dev/null
wait "$broker_pid" 2>/dev/null

# ---- tail --------------------------------------------------------------------
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
bench_broker explore-tail
dash tail -b "'$bs'" --rate max -X fetch.wait.max.ms=10
pid=$(cat "$RAW/explore-tail.pid" 2>/dev/null)
: >"$RAW/explore-tail.rss.csv"
flat=0 first=- peak=- last=-
if [ -n "$pid" ] && wait_for 'NOTIFIED' 60; then
	keys x
	wait_for 'ordertop explorer' 10
	keys :
	text 'messages orders'
	keys Enter
	keys F
	wait_for 'tail on' 10
	sleep 5
	for i in $(seq "$TAIL_S"); do
		sleep 1
		echo "$i,$(rss_kb "$pid")" >>"$RAW/explore-tail.rss.csv"
	done
	screen >"$RAW/explore-tail.screen"
	read -r first peak last flat < <(awk -F, -v n="$TAIL_S" '
		{ r[NR] = $2 }
		END {
			third = int(n / 3); a = 0; b = 0
			for (i = 1; i <= third; i++) if (r[i] > a) a = r[i]
			for (i = n - third + 1; i <= n; i++) if (r[i] > b) b = r[i]
			pk = 0; for (i = 1; i <= n; i++) if (r[i] > pk) pk = r[i]
			printf "%d %d %d %d\n", a / 1024, pk / 1024, r[n] / 1024, (b <= a * 1.1) ? 1 : 0
		}' "$RAW/explore-tail.rss.csv")
	keys q
fi
sleep 1

{
	echo "## Cluster explorer (dashboard, embedded broker)"
	echo
	echo "| measure | value | target |"
	echo "|---|---|---|"
	echo "| seek to a time in $RECORDS records, first page on screen | $seek_ms ms | < 1000 ms $([ $seek_ok = 1 ] && echo ok || echo MISSED) |"
	echo "| RSS while tailing orders at --rate max, ${TAIL_S} s: first third's peak / peak / last | $first / $peak / $last MiB | flat $([ "$flat" = 1 ] && echo ok || echo MISSED) |"
} >"$OUT/explore.md"
cat "$OUT/explore.md"
