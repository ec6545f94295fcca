#!/usr/bin/env bash
# test_http.sh — the HTTP API (--http) from the outside, on the embedded
# broker, with real HTTP clients (Python's http.client; Debian's
# prometheus_client for /metrics; openapi-spec-validator from the venv
# tests/install-deps.sh makes).  The checks are in http_api.py; this runs
# it with Debian's python (a python3 on PATH may lack Debian's modules).
set -uo pipefail
cd "$(dirname "$0")/../.."
py=/usr/bin/python3
[ -x "$py" ] || py=python3
exec "$py" tests/integration/http_api.py "${ORDERTOP:-$PWD/build/ordertop}"
