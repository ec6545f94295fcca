#!/usr/bin/env bash
# install-deps.sh — installs the Debian/Ubuntu packages ordertop needs, only
# when something is missing.  `build`: compiler, librdkafka, ncursesw, cJSON, libjq.
# `build`: also libmicrohttpd (the HTTP API).
# `test`: also cmocka, tmux, kcat, groff and man (the man page's test), and
# a Java 17 JDK (javac) + Maven for the real-Kafka tests; for the HTTP API's tests and
# bench python3-requests, python3-prometheus-client, wrk, hey, and a venv under
# ~/.cache/ordertop/venv with openapi-spec-validator from PyPI.
# `fuzz`: clang and its libFuzzer runtime, for `make fuzz`.
set -euo pipefail
what=${1:-build}

need=()
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v cc >/dev/null && command -v make >/dev/null || need+=(build-essential)
command -v pkg-config >/dev/null || need+=(pkg-config)
have_pc rdkafka   || need+=(librdkafka-dev)
have_pc ncursesw  || need+=(libncurses-dev)
have_pc libcjson  || need+=(libcjson-dev)
[ -e /usr/include/jq.h ] || need+=(libjq-dev)      # no .pc file on Debian 12
have_pc libmicrohttpd || need+=(libmicrohttpd-dev)
if [ "$what" = test ]; then
	have_pc cmocka || need+=(libcmocka-dev)
	command -v tmux >/dev/null || need+=(tmux)
	command -v kcat >/dev/null || need+=(kcat)
	command -v clang-format >/dev/null || need+=(clang-format)
	command -v python3 >/dev/null || need+=(python3)
	command -v javac >/dev/null || need+=(openjdk-17-jdk-headless) # javac: ExploreProbe.java
	command -v mvn >/dev/null || need+=(maven)
	command -v groff >/dev/null || need+=(groff-base)     # the man page's test
	command -v man >/dev/null || need+=(man-db)
	command -v col >/dev/null || need+=(bsdextrautils)
	locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || need+=(locales)
	# Debian's python (a pyenv python3 on PATH lacks Debian's modules)
	/usr/bin/python3 -c 'import requests' 2>/dev/null || need+=(python3-requests)
	/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || need+=(python3-prometheus-client)
	/usr/bin/python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
	command -v wrk >/dev/null || need+=(wrk)
	command -v hey >/dev/null || need+=(hey)      # fixed-rate HTTP load
	command -v curl >/dev/null || need+=(curl)
fi

http_venv() {
	local venv=$HOME/.cache/ordertop/venv
	[ -x "$venv/bin/python3" ] && "$venv/bin/python3" -c 'import openapi_spec_validator' \
		2>/dev/null && return 0
	/usr/bin/python3 -m venv --system-site-packages "$venv" &&
	"$venv/bin/pip" install -q openapi-spec-validator ||
	echo "install-deps: no openapi-spec-validator (the HTTP test checks the document's structure only)" >&2
}

if [ "$what" = fuzz ]; then
	command -v clang >/dev/null || need+=(clang)
	ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
		need+=(libclang-rt-dev)
fi
if [ ${#need[@]} -eq 0 ]; then
	[ "$what" = test ] && http_venv
	exit 0
fi

echo "install-deps: installing ${need[*]}" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
[ "$what" = test ] && http_venv
exit 0
