# lib.sh — helpers for the dashboard's end-to-end tests (sourced by the
# tests/e2e/*.sh scripts; running it alone does nothing).  Each test drives
# the real build/ordertop, with its embedded broker, inside a private tmux
# server, reads the screen with capture-pane and waits on conditions with
# generous limits (never fixed sleeps as assertions).
#
#   e2e_start W H [ordertop args...]   start ordertop in a W x H terminal
#                                      ($E2E_ENV: extra VAR=value settings,
#                                      $E2E_THEME_DIR: --theme-dir, default themes)
#   e2e_screen                         print the screen
#   e2e_keys KEYS...                   tmux send-keys (key names)
#   e2e_type TEXT                      send TEXT literally
#   e2e_wait_for REGEX [SECS]          wait until the screen matches (ERE)
#   e2e_wait_gone REGEX [SECS]         wait until it no longer matches
#   e2e_check NAME COMMAND...          "ok - NAME" / "not ok - NAME"
#   e2e_borders_intact                 every pane row starts and ends with a border
#   e2e_finish                         exit status: 0 when all passed

E2E_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
E2E_BUILD=${BUILD:-build}
E2E_BIN=${ORDERTOP:-$E2E_ROOT/$E2E_BUILD/ordertop}
E2E_SOCK=ordertop-e2e-$$
E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ordertop-e2e.XXXXXX")
E2E_FAILED=0
E2E_PASSED=0
E2E_TIMEOUT=${E2E_TIMEOUT:-30}

e2e_tmux() { tmux -L "$E2E_SOCK" "$@"; }

e2e_cleanup() {
	e2e_tmux kill-server >/dev/null 2>&1
	rm -rf "$E2E_TMP"
}
trap e2e_cleanup EXIT
trap 'exit 130' INT TERM

# A UTF-8 locale, so glyphs and line drawing are deterministic.
if locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$'; then
	export LC_ALL=C.UTF-8
fi

e2e_start() {
	w=$1; h=$2; shift 2
	if [ ! -x "$E2E_BIN" ]; then
		echo "not ok - $E2E_BIN is not built"
		exit 1
	fi
	: > "$E2E_TMP/exit"
	# The shell stays after ordertop exits, so the restored screen can be read.
	cmd="cd '$E2E_ROOT' && '$E2E_BIN' --theme-dir '${E2E_THEME_DIR:-themes}' $*; echo EXIT=\$? > '$E2E_TMP/exit'; exec sleep 600"
	e2e_tmux -f /dev/null new-session -d -s e2e -x "$w" -y "$h" \
		"env LC_ALL=${LC_ALL:-} ${E2E_ENV:-} sh -c \"$cmd\""
	e2e_tmux set-option -t e2e -g status off >/dev/null 2>&1
	e2e_tmux resize-window -t e2e -x "$w" -y "$h" >/dev/null 2>&1
}

e2e_screen() { e2e_tmux capture-pane -p -t e2e 2>/dev/null; }
# The screen with attributes and colours as escape sequences.
e2e_screen_attrs() { e2e_tmux capture-pane -p -e -t e2e 2>/dev/null; }

# Stops ordertop (q) and the tmux server, for a test that starts it again.
e2e_stop() {
	e2e_keys q
	e2e_wait_exit 30 >/dev/null
	e2e_tmux kill-server >/dev/null 2>&1
	sleep 0.3
}
e2e_keys() { e2e_tmux send-keys -t e2e "$@"; }
e2e_type() { e2e_tmux send-keys -t e2e -l -- "$1"; }
e2e_resize() { e2e_tmux resize-window -t e2e -x "$1" -y "$2"; }

# Polls the screen every 0.2 s for up to SECS (default E2E_TIMEOUT).
e2e_wait_for() {
	re=$1; secs=${2:-$E2E_TIMEOUT}
	tries=$((secs * 5))
	while [ "$tries" -gt 0 ]; do
		if e2e_screen | grep -Eq -- "$re"; then
			return 0
		fi
		sleep 0.2
		tries=$((tries - 1))
	done
	return 1
}

e2e_wait_gone() {
	re=$1; secs=${2:-$E2E_TIMEOUT}
	tries=$((secs * 5))
	while [ "$tries" -gt 0 ]; do
		if ! e2e_screen | grep -Eq -- "$re"; then
			return 0
		fi
		sleep 0.2
		tries=$((tries - 1))
	done
	return 1
}

# Waits until the ordertop process has exited; prints its exit code.
e2e_wait_exit() {
	secs=${1:-$E2E_TIMEOUT}
	tries=$((secs * 5))
	while [ "$tries" -gt 0 ]; do
		if grep -q '^EXIT=' "$E2E_TMP/exit" 2>/dev/null; then
			sed -n 's/^EXIT=//p' "$E2E_TMP/exit"
			return 0
		fi
		sleep 0.2
		tries=$((tries - 1))
	done
	echo timeout
	return 1
}

e2e_check() {
	name=$1; shift
	if "$@"; then
		echo "ok - $name"
		E2E_PASSED=$((E2E_PASSED + 1))
	else
		echo "not ok - $name"
		E2E_FAILED=$((E2E_FAILED + 1))
		echo "# screen:"
		e2e_screen | sed 's/^/#   /'
	fi
}

# Pane rows (from the first row starting a box to the row above the footer)
# all begin with a left border and end with a right border.
e2e_borders_intact() {
	e2e_screen | awk '
		BEGIN { started = 0; bad = 0; rows = 0 }
		{ line[NR] = $0 }
		END {
			last = NR
			while (last > 0 && line[last] ~ /^[ \t]*$/) last--
			for (i = 1; i < last; i++) {
				l = line[i]
				sub(/[ \t]+$/, "", l)
				if (!started && l ~ /^┌/) started = 1
				if (!started) continue
				rows++
				if (l !~ /^[┌│└]/ || l !~ /[┐│┘]$/) { bad++; print "# broken row " i ": " l }
			}
			exit (rows > 0 && bad == 0) ? 0 : 1
		}'
}

e2e_finish() {
	echo "# $E2E_PASSED passed, $E2E_FAILED failed"
	[ "$E2E_FAILED" -eq 0 ]
}
