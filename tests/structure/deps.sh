#!/usr/bin/env bash
# deps.sh — the code map holds: no circles among the objects of src/ and
# ui/, and each folder uses only the folders tests/structure/layers.txt
# allows (objects read with nm, #include lines read from the sources).
set -uo pipefail
cd "$(dirname "$0")/../.."
exec python3 tests/structure/check_deps.py "${BUILD:-build}" tests/structure/layers.txt
