#!/bin/sh
# http_source.sh — an order posted over HTTP (curl, while the dashboard
# runs with --http) says so in its detail: "source http"; an order of the
# generator says "source generator".
. "$(dirname "$0")/lib.sh"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
e2e_start 100 30 --rate 5 --http "$port"
e2e_check "dashboard is up and the pipeline flows" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 40

user="e2e-http-$$"
code=$(curl -s -o "$E2E_TMP/post.json" -w '%{http_code}' -H 'Content-Type: application/json' \
	-d "{\"user_id\":\"$user\",\"item\":\"http widget\",\"quantity\":2,\"unit_price\":3.5}" \
	"http://127.0.0.1:$port/orders")
e2e_check "POST /orders with curl is 202 (got $code)" test "$code" = 202

# Only this order in the status table, then its detail.
e2e_keys /
e2e_type "$user"
e2e_keys Enter
e2e_check "the order is in the status table" e2e_wait_for '│[○✓✗]. .* 7\.00 [A-Z]' 30
e2e_keys Enter
e2e_check "Enter opens the order detail" e2e_wait_for 'Order detail' 5
e2e_check "the detail shows the order's user" e2e_wait_for "user +$user" 5
e2e_check "the detail says it came over HTTP" e2e_wait_for 'source http' 5
e2e_keys Escape
e2e_check "Esc closes the detail" e2e_wait_gone 'Order detail' 5

# A generated order: the filter cleared, the newest row's detail.
e2e_keys /
e2e_keys C-u
e2e_keys Enter
e2e_check "the generator's orders show again" e2e_wait_for '│[✓✗]✉ .*NOTIFIED' 30
e2e_keys Enter
e2e_check "its detail says the generator" e2e_wait_for 'source generator' 5
e2e_keys Escape

e2e_keys q
code=$(e2e_wait_exit 30)
e2e_check "q exits 0 (got $code)" test "$code" = 0
e2e_finish
