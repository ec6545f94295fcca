#!/usr/bin/env bash
# man_page.sh — docs/ordertop.1 renders without a warning (groff -ww, and
# man -l), and documents what `ordertop --help` (config.c's options table)
# offers: every flag with its argument and numeric default, the version,
# the environment, the `rules` verbs and the exit codes.  TAP-style
# "ok" / "not ok" lines.
set -uo pipefail
cd "$(dirname "$0")/../.."
ORDERTOP=${ORDERTOP:-$PWD/build/ordertop}
page=docs/ordertop.1
fails=0
ok()     { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fails=$((fails + 1)); }
check()  { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }

warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
check "groff -man -ww renders it without a warning" test -z "$warnings"
[ -n "$warnings" ] && echo "$warnings" | sed 's/^/# /'

# The text as man(1) shows it, at 80 columns; '-' whatever the renderer
# made of \- (U+2010, U+2212).
if command -v man >/dev/null; then
	text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" 2>"${TMPDIR:-/tmp}/man_page.$$.err" | col -bx)
	err=$(cat "${TMPDIR:-/tmp}/man_page.$$.err"); rm -f "${TMPDIR:-/tmp}/man_page.$$.err"
	check "man -l renders it without complaint" test -z "$err" -a -n "$text"
else
	text=$(groff -man -Tutf8 "$page" 2>/dev/null | col -bx)
	ok "man -l renders it # SKIP man is not installed (Debian: man-db)"
fi
text=$(printf '%s\n' "$text" | sed 's/\xe2\x80\x90/-/g; s/\xe2\x88\x92/-/g')

help=$("$ORDERTOP" --help) || not_ok "ordertop --help runs"

# Option lines of --help: "  -b, --brokers LIST", "      --fps N", "  -X KEY=VALUE".
opts=$(printf '%s\n' "$help" | grep -E '^  (-[A-Za-z], --[a-z-]+|-[A-Za-z]|    --[a-z-]+)( [^ ]+)?( |$)' |
	sed -E 's/^ +//; s/^-[A-Za-z], //; s/^(-[^ ]+( [^ ]+)?) .*/\1/' )
count=$(printf '%s\n' "$opts" | grep -c .)
check "--help lists the options ($count)" test "$count" -gt 40
missing=()
while IFS= read -r o; do
	printf '%s\n' "$text" | awk -v want="$o" '
		/^       -/ { sub(/^       (-[A-Za-z], )?/, ""); if ($0 == want) found = 1 }
		END { exit !found }' || missing+=("$o")
done <<<"$opts"
check "every option of --help is an entry, with its argument: ${missing[*]:-}" \
	test ${#missing[@]} -eq 0

# The paragraph of an option: its entry line, then the lines indented 14.
entry() {
	printf '%s\n' "$text" | awk -v want="$1" '
		{ line = $0; sub(/^       (-[A-Za-z], )?/, "", line) }
		on && /^              / { printf " %s", $0; next }
		on { on = 0; done = 1 }
		!done && /^       -/ && (line == want || index(line, want " ") == 1) { on = 1 }' |
	tr -s ' '
}
wrong=()
while IFS= read -r o; do
	name=${o%% *}
	block=$(printf '%s\n' "$help" | awk -v want="$name" '
		{ line = $0; sub(/^ +(-[A-Za-z], )?/, "", line) }
		on && substr($0, 1, 30) ~ /^ +$/ && length($0) > 30 { printf " %s", $0; next }
		on { on = 0; done = 1 }
		!done && (line == want || index(line, want " ") == 1) { on = 1; printf "%s", $0 }' | tr -s ' ')
	def=$(printf '%s\n' "$block" | grep -oE '\((-?[0-9.]+)( = [^)]*)?\)$' | grep -oE '^\(-?[0-9.]+' | tr -d '(')
	[ -z "$def" ] && continue
	entry "$o" | grep -E "\(default $def[:)]" >/dev/null || wrong+=("$name=$def")
done <<<"$opts"
check "every numeric default of --help is the man page's: ${wrong[*]:-}" test ${#wrong[@]} -eq 0

version=$("$ORDERTOP" --version | awk '{ print $2 }')
check "the page is of this version ($version)" \
	grep -q "^\\.TH ORDERTOP 1 .*\"ordertop $version\"" "$page"

section() {
	printf '%s\n' "$text" | awk -v want="$1" '/^[A-Z]/ { on = ($0 == want) } on'
}
for v in KAFKA_BOOTSTRAP_SERVERS ORDERTOP_THEME NO_COLOR XDG_CONFIG_HOME; do
	check "ENVIRONMENT names $v" eval 'section ENVIRONMENT | grep "^ *$v\$" >/dev/null'
done
for v in list enable disable toggle set; do
	check "RULES COMMAND has the verb '$v'" eval 'section "RULES COMMAND" | grep -E "^       $v( |\$)" >/dev/null'
done
for c in 0 1 2; do
	check "EXIT STATUS explains $c" eval 'section "EXIT STATUS" | grep -E "^       $c " >/dev/null'
done
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "DASHBOARD KEYS" FILES "SEE ALSO"; do
	check "has a $s section" eval 'grep -qx "$s" <<<"$text"'
done

# (No `producer | grep -q`, no awk `exit` above: under pipefail a reader
# that leaves early can fail the pipeline with the producer's SIGPIPE.)
exit $((fails > 0))
