#!/bin/sh
# keys_themes.sh — scrolling stops following and counts what arrives, F
# follows again, Z pauses every pane (PAUSED banner), / filters the focused
# pane and Esc clears it, g and +/- steer the generator, t cycles the
# themes found; a theme file with an error is reported by file and line
# and the default is used; NO_COLOR gives a screen without colours; a
# non-UTF-8 locale gives ASCII glyphs.
. "$(dirname "$0")/lib.sh"

mkdir -p "$E2E_TMP/themes"
printf 'text = default\nstatus.new = chartreuse\n' > "$E2E_TMP/themes/broken.theme"
E2E_THEME_DIR=$E2E_TMP/themes
e2e_start 80 24 --rate 20 --theme broken
e2e_check "a broken theme is reported by file and line" \
	e2e_wait_for 'theme error: .*broken\.theme:2: status\.new' 20
e2e_check "the dashboard runs on the default theme" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40
e2e_keys ']' ']' ']' ']' ']' ']' ']' Tab /
e2e_type "broken"
e2e_keys Enter z
e2e_check "the log pane (filtered, zoomed) shows the theme warning" \
	e2e_wait_for '│[0-9:]{8} warn +ui: theme .*broken\.theme:2' 10
e2e_keys z Escape BTab ']'

# Scrolling the Streams pane (focused with Tab) stops following it.
e2e_keys Tab k k k
e2e_check "scrolling up: pane says scrolled" e2e_wait_for '┐┌ ◂ orders 1/8 ▸ ─+scrolled┐' 5
e2e_check "new messages are counted" e2e_wait_for '▼ [0-9]+ new ┘' 10
e2e_keys F
e2e_check "F follows again" e2e_wait_gone 'scrolled|▼ [0-9]+ new' 5

e2e_keys Z
e2e_check "Z pauses: PAUSED banner" e2e_wait_for 'ordertop .* PAUSED *$' 5
e2e_check "paused panes count what arrives" e2e_wait_for '▼ [0-9]+ new' 10
e2e_keys Z
e2e_check "Z again resumes" e2e_wait_gone 'PAUSED' 5

# Filter the order table (Shift-Tab back to it).
e2e_keys BTab /
e2e_type "NOTIFIED"
e2e_check "the filter is typed in the footer" e2e_wait_for '^Filter: NOTIFIED' 5
e2e_keys Enter
e2e_check "the pane shows its filter" e2e_wait_for '┌ Orders ─+/NOTIFIED┐' 5
e2e_check "only matching rows remain" \
	sh -c "! tmux -L '$E2E_SOCK' capture-pane -p -t e2e | grep -E '^│○ ' >/dev/null"
e2e_keys Escape
e2e_check "Esc clears the filter" e2e_wait_gone '/NOTIFIED┐' 5

# Mouse (xterm X10 reports, as the terminal would send them): a click on a
# row of the decisions pane focuses it and selects the row; the wheel over
# the Streams pane scrolls it.
e2e_type "$(printf '\033[M +3\033[M#+3')"
e2e_check "a click selects a row in the decisions pane" e2e_wait_for '┌ Fraud decisions ─+scrolled┐' 5
e2e_check "... and focuses it (F follow hint)" e2e_wait_for 'F follow' 5
e2e_keys F
e2e_type "$(printf '\033[M`])')"
e2e_check "the wheel scrolls the pane under the pointer" e2e_wait_for '◂ orders 1/8 ▸ ─+scrolled┐' 5
e2e_keys F BTab

e2e_keys g
e2e_check "g turns the generator off" e2e_wait_for 'gen off' 5
e2e_keys g
e2e_check "g turns it on again" e2e_wait_for 'gen on 20/s' 5
e2e_keys +
e2e_check "+ raises the rate a step" e2e_wait_for 'gen on 50/s' 5
e2e_keys - -
e2e_check "- lowers it" e2e_wait_for 'gen on 10/s' 5

e2e_keys t
e2e_check "t goes on from the broken theme to the next one" e2e_wait_for 'theme: dark256' 5
e2e_keys t
e2e_check "t again" e2e_wait_for 'theme: default' 5
e2e_check "colours are used" sh -c "tmux -L '$E2E_SOCK' capture-pane -p -e -t e2e | grep -q \"$(printf '\033')\[[0-9;]*3[0-7]m\""
e2e_stop

E2E_ENV="NO_COLOR=1"
E2E_THEME_DIR=themes
e2e_start 80 24 --rate 20
e2e_check "NO_COLOR: dashboard runs" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40
e2e_check "NO_COLOR: no colours on screen" \
	sh -c "! tmux -L '$E2E_SOCK' capture-pane -p -e -t e2e | grep -Eq \"$(printf '\033')\\[([0-9]+;)*(3[0-7]|4[0-7]|38|48|9[0-7]|10[0-7])[;m]\""
e2e_check "NO_COLOR: still bold/reverse" \
	sh -c "tmux -L '$E2E_SOCK' capture-pane -p -e -t e2e | grep -q \"$(printf '\033')\[[0-9;]*[17]m\""
e2e_stop

E2E_ENV="LC_ALL=C"
e2e_start 80 24 --rate 20
e2e_check "C locale: ASCII status glyphs" e2e_wait_for '^\|[+x]@ .*NOTIFIED' 40
e2e_check "C locale: ASCII borders" e2e_wait_for '^\+ Orders -+\+\+' 5
e2e_check "C locale: ASCII tabs" e2e_wait_for '< orders 1/8 >' 5
e2e_resize 50 12
e2e_check "C locale: too small message" e2e_wait_for 'terminal too small \(50x12\), need at least 60x16' 10
e2e_resize 80 24
e2e_stop
e2e_finish
