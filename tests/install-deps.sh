#!/usr/bin/env bash
# install-deps.sh — installs the Debian/Ubuntu packages ordertop needs, only
# when something is missing.  `build`: compiler, librdkafka, ncursesw, cJSON, libjq.
# `test`: also cmocka, tmux, kcat, groff and man (the man page's test), and
# Java 17 + Maven for the real-Kafka tests.
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
if [ "$what" = test ]; then
	have_pc cmocka || need+=(libcmocka-dev)
	command -v tmux >/dev/null || need+=(tmux)
	command -v kcat >/dev/null || need+=(kcat)
	command -v python3 >/dev/null || need+=(python3)
	command -v java >/dev/null || need+=(openjdk-17-jre-headless)
	command -v mvn >/dev/null || need+=(maven)
	command -v groff >/dev/null || need+=(groff-base)     # the man page's test
	command -v man >/dev/null || need+=(man-db)
	command -v col >/dev/null || need+=(bsdextrautils)
	locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || need+=(locales)
fi
[ ${#need[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${need[*]}" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
