#!/usr/bin/env bash
# format.sh — every C file of src/ and ui/ follows .clang-format (TAP).
# `make format` rewrites them so.
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! command -v clang-format >/dev/null; then
	echo "not ok 1 - clang-format is not installed (make test-deps)"
	exit 1
fi
bad=$(find src ui -name '*.[ch]' | sort | while read -r f; do
	clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || echo "$f"
done)
if [ -n "$bad" ]; then
	echo "not ok 1 - files not in .clang-format's style (make format):"
	echo "$bad" | sed 's/^/#   /'
	exit 1
fi
echo "ok 1 - every C file of src/ and ui/ follows .clang-format"
