#!/usr/bin/env bash
# test_http_burst.sh — 10,000 connections at once against --http while
# orders flow do not take the pipeline down (checks in http_burst.py).
set -uo pipefail
cd "$(dirname "$0")/../.."
py=/usr/bin/python3
[ -x "$py" ] || py=python3
exec "$py" tests/integration/http_burst.py "${ORDERTOP:-$PWD/build/ordertop}"
