#!/usr/bin/env bash
# Real Apache Kafka (3.9.x, KRaft) test harness for ordertop.
#
#   kafka.sh fetch                      resolve broker jars into the cache (idempotent)
#   kafka.sh start single|three|sasl DIR
#   kafka.sh stop DIR                   SIGTERM every node by its saved PID, SIGKILL after 30 s
#   kafka.sh kill DIR N                 SIGKILL node N (crash test)
#   kafka.sh restart DIR N              start node N again (same data dir, same ports), wait until up
#   kafka.sh status DIR                 one line per node: N PID alive|dead RSS
#   kafka.sh wait-brokers DIR COUNT [T] wait (default 30 s) until every running node lists COUNT brokers
#                                       (e.g. after `kill`, until the dead one is fenced)
#   kafka.sh acl DIR ARGS...            kafka.admin.AclCommand ARGS, as admin, against DIR's cluster
#   kafka.sh acl-allow DIR USER OPS SPEC...
#                                       OPS: comma list (All,Read,Write,Describe,Create,...)
#                                       SPEC: topic:NAME | topic:PREFIX* | group:NAME | group:PREFIX*
#                                             | transactional-id:NAME[*] | cluster
#
# DIR gets: bootstrap, env (shell-sourceable), nodeN.properties, nodeN.log, nodeN.pid, nodeN/ (data),
# log4j.properties, and for sasl also admin.properties (Java client) and {admin,alice,bob}.kcat.conf
# (librdkafka properties for `kcat -F`).
#
# Environment:
#   ORDERTOP_KAFKA_CACHE   cache dir (default $HOME/.cache/ordertop/kafka-3.9); jars in $CACHE/libs
#   KAFKA_HEAP             max heap per broker JVM (default 256m)
#   KAFKA_JAVA_OPTS        extra JVM options for brokers
#   KAFKA_LOG_LEVEL        broker root log level (default INFO)
#   KAFKA_START_TIMEOUT    readiness timeout in seconds (default 90)
#   KAFKA_CDS              1 (default): build once and use an AppCDS class archive in $CACHE/cds
#                          (about 30-40% faster JVM start on 2 cores); 0: don't
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${ORDERTOP_KAFKA_CACHE:-$HOME/.cache/ordertop/kafka-3.9}
LIBS=$CACHE/libs
KAFKA_VERSION=3.9.1                      # keep in sync with pom.xml <kafka.version>
HEAP=${KAFKA_HEAP:-256m}
START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
STOP_TIMEOUT=30
STARTED_MSG='Kafka Server started'

# SASL accounts (sasl shape)
ADMIN_USER=admin ADMIN_PASS=admin-secret
ALICE_USER=alice ALICE_PASS=alice-secret
BOB_USER=bob BOB_PASS=bob-secret

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
now_ms() { date +%s%3N; }

usage() { sed -n '2,/^set -euo/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# ---------------------------------------------------------------- tools / jars
apt_install() {
  local sudo=""
  [[ $(id -u) -eq 0 ]] || { command -v sudo >/dev/null || die "need root or sudo to install: $*"; sudo=sudo; }
  log "installing with apt-get: $*"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2
}

ensure_tools() {   # ensure_tools [mvn]
  local pkgs=()
  command -v javac >/dev/null || pkgs+=(openjdk-17-jdk-headless)   # javac: test_explore.sh's ExploreProbe.java
  command -v kcat >/dev/null || pkgs+=(kcat)
  if [[ ${1:-} == mvn ]]; then command -v mvn >/dev/null || pkgs+=(maven); fi
  if ((${#pkgs[@]})); then apt_install "${pkgs[@]}"; fi
}

# ---------------------------------------------------------------- AppCDS class archive
# One dynamic CDS archive of the classes a broker loads, made by a throw-away single node the first
# time `fetch` runs. Keyed by the JVM (libjvm.so size+mtime) and dropped whenever the jars are re-fetched.
cds_archive() {
  local jvm lib
  jvm=$(readlink -f "$(command -v java)")
  lib=${jvm%/bin/java}/lib/server/libjvm.so
  echo "$CACHE/cds/kafka-$KAFKA_VERSION-$(stat -c '%s-%Y' "$lib" 2>/dev/null || echo unknown).jsa"
}

cds_opts() {   # JVM options (one per line) to use the archive if it exists
  [[ ${KAFKA_CDS:-1} == 1 && -z ${KAFKA_CDS_DUMP:-} ]] || return 0
  local a; a=$(cds_archive)
  if [[ -f $a ]]; then printf '%s\n' "-XX:SharedArchiveFile=$a" -Xlog:cds=off -Xlog:cds+dynamic=off; fi
}

make_cds() {   # called from fetch under the cache lock
  [[ ${KAFKA_CDS:-1} == 1 && -z ${KAFKA_CDS_DUMP:-} ]] || return 0
  local a tmpd bs; a=$(cds_archive)
  [[ -f $a || -f $a.failed ]] && return 0
  mkdir -p "$CACHE/cds"
  tmpd=$(mktemp -d "${TMPDIR:-/tmp}/ordertop-kafka-cds.XXXXXX")
  log "building class-data-sharing archive $a (one time, ~10 s)"
  if bs=$(KAFKA_CDS_DUMP="$a.tmp.$$" "${BASH_SOURCE[0]}" start single "$tmpd/c" 2>"$tmpd/start.err"); then
    echo warm | timeout 20 kcat -b "$bs" -P -t cds.warmup -X acks=all 2>/dev/null || true
    "${BASH_SOURCE[0]}" stop "$tmpd/c" 2>/dev/null || true
  else
    log "warning: could not start the CDS warm-up broker (continuing without CDS):"; cat "$tmpd/start.err" >&2
  fi
  if [[ -s $a.tmp.$$ ]]; then mv -f "$a.tmp.$$" "$a"; else
    rm -f "$a.tmp.$$"; touch "$a.failed"
    log "warning: no CDS archive produced; not retrying (remove $a.failed to retry)"
  fi
  rm -rf "$tmpd"
}

libs_ok() { [[ -f $LIBS/.complete && -f $LIBS/kafka_2.13-$KAFKA_VERSION.jar ]]; }

cmd_fetch() {   # cmd_fetch [quiet]
  local a; a=$(cds_archive)
  if libs_ok && { [[ -f $a || -f $a.failed || ${KAFKA_CDS:-1} != 1 || -n ${KAFKA_CDS_DUMP:-} ]]; }; then
    ensure_tools; [[ ${1:-} == quiet ]] || log "jars present in $LIBS"; return 0
  fi
  if libs_ok; then ensure_tools; else ensure_tools mvn; fi
  mkdir -p "$CACHE"
  (
    flock 9                                            # concurrent fetches: one runs Maven
    libs_ok && { make_cds; exit 0; }
    local tmp=$CACHE/libs.tmp.$$
    rm -rf "$tmp"
    log "resolving kafka_2.13:$KAFKA_VERSION with Maven into $LIBS"
    # -Dmaven.repo.local keeps Maven's own cache next to the jars, outside the work tree
    mvn -B -q -Dstyle.color=never -f "$HERE/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -Dmaven.repo.local="$CACHE/m2" >&2 \
      || { rm -rf "$tmp"; die "maven failed"; }
    [[ -f $tmp/kafka_2.13-$KAFKA_VERSION.jar ]] || { rm -rf "$tmp"; die "kafka jar missing after maven"; }
    touch "$tmp/.complete"
    rm -rf "$LIBS" "$CACHE/cds"; mv "$tmp" "$LIBS"
    make_cds
  ) 9>"$CACHE/.lock"
  libs_ok || die "fetch failed"
  log "jars ready in $LIBS ($(find "$LIBS" -name '*.jar' | wc -l) jars)"
}

# ---------------------------------------------------------------- helpers
# free_ports N: N distinct free TCP ports on 127.0.0.1 (bind to port 0, all held at once, then closed)
free_ports() {
  local n=$1
  if command -v python3 >/dev/null && python3 -c 'import socket' 2>/dev/null; then
    python3 - "$n" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
  else   # fallback: random high ports not currently listening
    local out=() p
    while ((${#out[@]} < n)); do
      p=$((20000 + RANDOM % 12000))
      [[ " ${out[*]} " == *" $p "* ]] && continue
      ss -Htln "sport = :$p" | grep -q . && continue
      out+=("$p")
    done
    echo "${out[*]}"
  fi
}

cluster_id() {   # 16 random bytes, base64url without padding (22 chars), not starting with '-'
  local id
  while :; do
    id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id != -* ]] && { echo "$id"; return; }
  done
}

java_cp() { printf '%s' "$LIBS/*"; }

# is_our_node DIR N PID: PID is alive and is the broker JVM started for DIR/nodeN.properties
is_our_node() {
  local dir=$1 n=$2 pid=$3 cmd
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # a zombie counts as dead (orphaned JVMs are reaped by PID 1, which can lag by seconds)
  is_running "$pid" || return 1
  cmd=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  [[ $cmd == *kafka.Kafka* && $cmd == *"$dir/node$n.properties"* ]]
}

is_running() {   # is_running PID: exists and is not a zombie
  local st
  st=$( { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1; } 2>/dev/null) || return 1
  [[ -n $st && $st != [ZX] ]]
}

is_my_child() {   # is_my_child PID: a live child of this shell (even before it has exec'd java)
  is_running "$1" || return 1
  [[ $( { sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f2; } 2>/dev/null) == "$$" ]]
}

node_pid() { cat "$1/node$2.pid" 2>/dev/null || true; }

load_env() {   # load_env DIR: sets NODES, SHAPE from DIR/env
  local dir=$1
  [[ -f $dir/env ]] || die "$dir/env not found (was the cluster started with kafka.sh start?)"
  NODES=$(sed -n 's/^KAFKA_NODES=//p' "$dir/env")
  SHAPE=$(sed -n 's/^KAFKA_SHAPE=//p' "$dir/env")
  BOOTSTRAP=$(cat "$dir/bootstrap")
}

kcat_auth_args() {   # for probes: admin credentials on sasl clusters
  if [[ $SHAPE == sasl ]]; then
    printf '%s\n' -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=PLAIN \
                  -X "sasl.username=$ADMIN_USER" -X "sasl.password=$ADMIN_PASS"
  fi
}

node_addr() {   # node_addr DIR N -> HOST:PORT clients use for node N
  sed -n 's|^advertised.listeners=[A-Z_]*://||p' "$1/node$2.properties"
}

# broker_view ADDR: "ANSWERING_NODE_ID BROKER_COUNT" from a kcat -L sent to ADDR only, empty on failure
broker_view() {
  local out args=()
  mapfile -t args < <(kcat_auth_args)
  out=$(timeout 8 kcat -b "$1" "${args[@]}" -L -m 3 -X log_level=0 2>/dev/null) || return 0
  sed -n -e 's/^Metadata for .*(from broker \([0-9][0-9]*\):.*/\1/p' -e 's/^ *\([0-9][0-9]*\) brokers:.*/\1/p' <<<"$out" |
    head -2 | tr '\n' ' '
}

# brokers_agree DIR WANT: every running node answers metadata itself and lists WANT brokers.
# (Brokers apply the metadata log at slightly different times: right after a (re)start or a crash one
# broker may still list the old set for a few hundred ms, so asking a single bootstrap is not enough.)
brokers_agree() {
  local dir=$1 want=$2 n v
  LAST_VIEW=""
  for ((n = 1; n <= NODES; n++)); do
    is_our_node "$dir" "$n" "$(node_pid "$dir" "$n")" || continue
    v=$(broker_view "$(node_addr "$dir" "$n")")
    LAST_VIEW+="node$n:[${v% }] "
    [[ $v == "$n $want " ]] || return 1
  done
}

# ---------------------------------------------------------------- config generation
write_log4j() {
  cat >"$1/log4j.properties" <<EOF
log4j.rootLogger=${KAFKA_LOG_LEVEL:-INFO}, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.logger.org.apache.kafka.clients.NetworkClient=WARN
EOF
  cat >"$1/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# write_props DIR SHAPE N NODES VOTERS PORT CPORT
write_props() {
  local dir=$1 shape=$2 n=$3 nodes=$4 voters=$5 port=$6 cport=$7 rf=1 isr=1
  ((nodes == 3)) && { rf=3; isr=2; }
  {
    echo "# generated by tests/kafka/kafka.sh ($shape, node $n of $nodes)"
    echo "process.roles=broker,controller"
    echo "node.id=$n"
    echo "controller.quorum.voters=$voters"
    echo "controller.listener.names=CONTROLLER"
    echo "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT"
    if [[ $shape == sasl ]]; then
      echo "listeners=SASL_PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport"
      echo "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$port"
      echo "inter.broker.listener.name=SASL_PLAINTEXT"
      echo "sasl.enabled.mechanisms=PLAIN"
      echo "sasl.mechanism.inter.broker.protocol=PLAIN"
      echo "listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"$ADMIN_USER\" password=\"$ADMIN_PASS\" user_$ADMIN_USER=\"$ADMIN_PASS\" user_$ALICE_USER=\"$ALICE_PASS\" user_$BOB_USER=\"$BOB_PASS\";"
      echo "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer"
      # ANONYMOUS: the CONTROLLER listener is PLAINTEXT; registration/heartbeats/raft are authorized as it
      echo "super.users=User:$ADMIN_USER;User:ANONYMOUS"
      echo "allow.everyone.if.no.acl.found=false"
    else
      echo "listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport"
      echo "advertised.listeners=PLAINTEXT://127.0.0.1:$port"
      echo "inter.broker.listener.name=PLAINTEXT"
    fi
    echo "log.dirs=$dir/node$n/data"
    echo "num.partitions=1"
    echo "auto.create.topics.enable=true"
    echo "default.replication.factor=$rf"
    echo "min.insync.replicas=$isr"
    echo "offsets.topic.replication.factor=$rf"
    echo "offsets.topic.num.partitions=1"
    echo "transaction.state.log.replication.factor=$rf"
    echo "transaction.state.log.min.isr=$isr"
    echo "transaction.state.log.num.partitions=1"
    echo "group.initial.rebalance.delay.ms=0"
    echo "log.cleaner.dedupe.buffer.size=2097152"
    echo "num.network.threads=2"
    echo "num.io.threads=2"
    echo "num.recovery.threads.per.data.dir=1"
    echo "background.threads=2"
    if ((nodes == 3)); then
      echo "broker.heartbeat.interval.ms=500"
      echo "broker.session.timeout.ms=3000"
    fi
  } >"$dir/node$n.properties"
}

write_env() {   # write_env DIR SHAPE NODES BOOTSTRAP
  local dir=$1 shape=$2 nodes=$3 bs=$4
  echo "$bs" >"$dir/bootstrap"
  {
    echo "KAFKA_BOOTSTRAP=$bs"
    echo "KAFKA_NODES=$nodes"
    echo "KAFKA_SHAPE=$shape"
    echo "KAFKA_DIR=$dir"
    echo "KAFKA_VERSION=$KAFKA_VERSION"
    if [[ $shape == sasl ]]; then
      echo "KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT"
      echo "KAFKA_SASL_MECHANISM=PLAIN"
      echo "KAFKA_ADMIN_USER=$ADMIN_USER"
      echo "KAFKA_ADMIN_PASSWORD=$ADMIN_PASS"
      echo "KAFKA_ALICE_USER=$ALICE_USER"
      echo "KAFKA_ALICE_PASSWORD=$ALICE_PASS"
      echo "KAFKA_BOB_USER=$BOB_USER"
      echo "KAFKA_BOB_PASSWORD=$BOB_PASS"
    else
      echo "KAFKA_SECURITY_PROTOCOL=PLAINTEXT"
    fi
  } >"$dir/env"
  if [[ $shape == sasl ]]; then
    cat >"$dir/admin.properties" <<EOF
bootstrap.servers=$bs
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$ADMIN_USER" password="$ADMIN_PASS";
EOF
    local u p
    for u in admin alice bob; do
      case $u in admin) p=$ADMIN_PASS ;; alice) p=$ALICE_PASS ;; bob) p=$BOB_PASS ;; esac
      printf '%s\n' "bootstrap.servers=$bs" security.protocol=SASL_PLAINTEXT sasl.mechanisms=PLAIN \
        "sasl.username=$u" "sasl.password=$p" >"$dir/$u.kcat.conf"
    done
  else
    echo "bootstrap.servers=$bs" >"$dir/admin.properties"
  fi
}

# ---------------------------------------------------------------- process control
LAUNCHED=()        # "DIR N PID" entries started by this invocation; killed by the trap on failure
SUCCESS=0

on_exit() {
  local rc=$?
  if ((SUCCESS == 0 && ${#LAUNCHED[@]})); then
    log "failure: killing the node(s) this command started"
    local e d n p
    for e in "${LAUNCHED[@]}"; do
      read -r d n p <<<"$e"
      if is_our_node "$d" "$n" "$p" || is_my_child "$p"; then kill -KILL "$p" 2>/dev/null || true; fi
    done
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# small JVMs for 2 cores: serial GC, C1 only; plus the CDS archive when present
jvm_opts() {   # jvm_opts HEAP -> one option per line
  printf '%s\n' "-Xmx$1" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
  cds_opts
  if [[ -n ${KAFKA_CDS_DUMP:-} ]]; then echo "-XX:ArchiveClassesAtExit=$KAFKA_CDS_DUMP"; fi
}

launch_node() {   # launch_node DIR N
  local dir=$1 n=$2 opts=()
  mapfile -t opts < <(jvm_opts "$HEAP")
  mkdir -p "$dir/node$n/tmp"    # java.io.tmpdir: lz4-java/snappy/zstd unpack native libs there
  # shellcheck disable=SC2086
  java -Xms64m -Xss512k "${opts[@]}" -Djava.io.tmpdir="$dir/node$n/tmp" \
       -Dlog4j.configuration="file:$dir/log4j.properties" \
       ${KAFKA_JAVA_OPTS:-} -cp "$(java_cp)" kafka.Kafka "$dir/node$n.properties" \
       </dev/null >>"$dir/node$n.log" 2>&1 &
  local pid=$! i
  echo "$pid" >"$dir/node$n.pid"
  LAUNCHED+=("$dir $n $pid")
  # Until the forked shell has exec'd java, /proc/PID/cmdline is not the JVM's (seen on a loaded
  # machine): wait for the exec so that liveness checks don't take it for an early exit.
  for ((i = 0; i < 300; i++)); do
    is_our_node "$dir" "$n" "$pid" && return 0
    is_running "$pid" || return 0          # died already: wait_ready reports it with the log
    sleep 0.1
  done
}

# wait_ready DIR EXPECTED_BROKERS "N:LOGOFFSET ..." -> 0 ready, 1 failure, 2 port conflict
wait_ready() {
  local dir=$1 want=$2 specs=$3 deadline=$(( $(date +%s) + START_TIMEOUT )) s n off pid started
  LAST_VIEW=""
  while :; do
    started=1
    for s in $specs; do
      n=${s%%:*} off=${s#*:}
      pid=$(node_pid "$dir" "$n")
      if ! is_our_node "$dir" "$n" "$pid"; then
        log "node $n (pid $pid) exited during startup; last lines of $dir/node$n.log:"
        tail -n 40 "$dir/node$n.log" >&2 || true
        if tail -c +"$((off + 1))" "$dir/node$n.log" | grep -q 'Address already in use'; then return 2; fi
        return 1
      fi
      tail -c +"$((off + 1))" "$dir/node$n.log" | grep -q "$STARTED_MSG" || started=0
    done
    if ((started)) && brokers_agree "$dir" "$want"; then return 0; fi
    if (( $(date +%s) >= deadline )); then
      log "timeout after ${START_TIMEOUT}s waiting for $want broker(s) (node:[answering-id count] seen: ${LAST_VIEW:-none})"
      for s in $specs; do n=${s%%:*}; log "--- tail of $dir/node$n.log"; tail -n 20 "$dir/node$n.log" >&2 || true; done
      return 1
    fi
    sleep 0.5
  done
}

cmd_start() {
  local shape=${1:-} dir=${2:-}
  [[ $shape =~ ^(single|three|sasl)$ && -n $dir ]] || usage
  cmd_fetch quiet
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if compgen -G "$dir/node*.properties" >/dev/null; then
    die "$dir already holds a cluster; 'kafka.sh stop $dir' and use a fresh directory"
  fi
  local nodes=1; [[ $shape == three ]] && nodes=3
  local t0 attempt rc n cid ports voters bs specs
  t0=$(now_ms)
  write_log4j "$dir"
  for attempt in 1 2 3; do
    read -r -a ports <<<"$(free_ports $((2 * nodes)))"      # ports[2i-2]=client, ports[2i-1]=controller
    voters="" bs=""
    for ((n = 1; n <= nodes; n++)); do
      voters+="${voters:+,}$n@127.0.0.1:${ports[2*n-1]}"
      bs+="${bs:+,}127.0.0.1:${ports[2*n-2]}"
    done
    cid=$(cluster_id)
    for ((n = 1; n <= nodes; n++)); do
      rm -rf "$dir/node$n" "$dir/node$n.log" "$dir/node$n.pid"
      mkdir -p "$dir/node$n/data"
      write_props "$dir" "$shape" "$n" "$nodes" "$voters" "${ports[2*n-2]}" "${ports[2*n-1]}"
    done
    # format all nodes in parallel with the same cluster id
    local fpids=() fail=0 topts=()
    mapfile -t topts < <(KAFKA_CDS_DUMP='' jvm_opts 128m)
    for ((n = 1; n <= nodes; n++)); do
      java "${topts[@]}" -Dlog4j.configuration="file:$dir/tools-log4j.properties" \
           -cp "$(java_cp)" kafka.tools.StorageTool format -t "$cid" -c "$dir/node$n.properties" \
           >"$dir/node$n.format.log" 2>&1 &
      fpids+=($!)
    done
    for ((n = 1; n <= nodes; n++)); do
      wait "${fpids[n-1]}" || { fail=1; log "format of node $n failed:"; cat "$dir/node$n.format.log" >&2; }
    done
    ((fail == 0)) || exit 1
    write_env "$dir" "$shape" "$nodes" "$bs"
    SHAPE=$shape BOOTSTRAP=$bs NODES=$nodes
    specs=""
    for ((n = 1; n <= nodes; n++)); do launch_node "$dir" "$n"; specs+=" $n:0"; done
    rc=0; wait_ready "$dir" "$nodes" "$specs" || rc=$?
    ((rc == 0)) && break
    # failure: kill what we started (on port conflict retry with new ports)
    for ((n = 1; n <= nodes; n++)); do
      local p; p=$(node_pid "$dir" "$n")
      if is_our_node "$dir" "$n" "$p" || is_my_child "$p"; then kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; fi
    done
    LAUNCHED=()
    ((rc == 2)) || exit 1
    log "port conflict, retrying with new ports (attempt $attempt)"
  done
  ((rc == 0)) || die "could not start after 3 attempts"
  SUCCESS=1
  log "$shape cluster up in $(( $(now_ms) - t0 ))ms: $bs (dir $dir)"
  echo "$bs"
}

# signal_nodes DIR SIGNAL N...: signal each live node by its saved PID, return once all are gone
# (after STOP_TIMEOUT seconds the remaining ones get SIGKILL)
signal_nodes() {
  local dir=$1 sig=$2 n pid pids=() deadline
  shift 2
  for n in "$@"; do
    pid=$(node_pid "$dir" "$n")
    if is_our_node "$dir" "$n" "$pid"; then
      kill "-$sig" "$pid" 2>/dev/null || true
      pids+=("$n:$pid")
    fi
  done
  deadline=$(( $(date +%s) + STOP_TIMEOUT ))
  local left s total=${#pids[@]} why="in ${STOP_TIMEOUT}s"
  while :; do
    left=()
    for s in ${pids[@]+"${pids[@]}"}; do
      is_our_node "$dir" "${s%%:*}" "${s#*:}" && left+=("$s")
    done
    ((${#left[@]} == 0)) && break
    # Stopping 3 nodes together: once a majority has exited, the rest have no controller quorum.
    # Normally the last one exits ~5 s later (Raft's graceful-shutdown timeout); but if its
    # controlled shutdown was not granted before the quorum went away, Kafka 3.9 waits 5 minutes.
    if [[ $sig == TERM ]] && ((total >= 3 && ${#left[@]} * 2 < total)); then
      local qdl=$(( $(date +%s) + 7 ))
      if ((qdl < deadline)); then deadline=$qdl why="within 7s of losing the controller quorum"; fi
    fi
    if (( $(date +%s) >= deadline )); then
      for s in "${left[@]}"; do
        log "node ${s%%:*} (pid ${s#*:}) did not stop $why, sending SIGKILL"
        kill -KILL "${s#*:}" 2>/dev/null || true
      done
      deadline=$(( $(date +%s) + 10 ))
      sig=KILL
    fi
    sleep 0.2
  done
}

cmd_stop() {
  local dir=${1:-}; [[ -n $dir ]] || usage
  dir=$(cd "$dir" && pwd)
  # works without DIR/env too (a start that failed half way): every nodeN.pid in DIR
  local t0 f n nodes=(); t0=$(now_ms)
  for f in "$dir"/node*.pid; do
    [[ -e $f ]] || continue
    n=${f##*/node}; n=${n%.pid}
    [[ $n =~ ^[0-9]+$ ]] && nodes+=("$n")
  done
  # A node that has lost its controller quorum (e.g. the last one of `three` after two were killed)
  # cannot finish a controlled shutdown: Kafka 3.9 then waits up to 5 minutes. Don't wait 30 s for it.
  local alive=0
  for n in ${nodes[@]+"${nodes[@]}"}; do is_our_node "$dir" "$n" "$(node_pid "$dir" "$n")" && alive=$((alive + 1)); done
  if ((${#nodes[@]} >= 3 && alive > 0 && alive * 2 <= ${#nodes[@]})); then
    log "only $alive of ${#nodes[@]} nodes running: no controller quorum, SIGKILL after 5 s"
    STOP_TIMEOUT=5
  fi
  if ((${#nodes[@]})); then signal_nodes "$dir" TERM "${nodes[@]}"; fi
  SUCCESS=1
  log "stopped $dir in $(( $(now_ms) - t0 ))ms"
}

cmd_kill() {
  local dir=${1:-} n=${2:-}; [[ -n $dir && $n =~ ^[0-9]+$ ]] || usage
  dir=$(cd "$dir" && pwd)
  load_env "$dir"
  ((n >= 1 && n <= NODES)) || die "no node $n"
  local pid; pid=$(node_pid "$dir" "$n")
  is_our_node "$dir" "$n" "$pid" || die "node $n is not running"
  signal_nodes "$dir" KILL "$n"
  SUCCESS=1
  log "node $n (pid $pid) killed"
}

cmd_restart() {
  local dir=${1:-} n=${2:-}; [[ -n $dir && $n =~ ^[0-9]+$ ]] || usage
  cmd_fetch quiet
  dir=$(cd "$dir" && pwd)
  load_env "$dir"
  ((n >= 1 && n <= NODES)) || die "no node $n"
  local t0 pid off i specs alive=0; t0=$(now_ms)
  pid=$(node_pid "$dir" "$n")
  if is_our_node "$dir" "$n" "$pid"; then log "node $n still running, stopping it first"; signal_nodes "$dir" TERM "$n"; fi
  echo "=== kafka.sh restart node $n at $(date '+%F %T') ===" >>"$dir/node$n.log"
  off=$(stat -c %s "$dir/node$n.log")
  launch_node "$dir" "$n"
  for ((i = 1; i <= NODES; i++)); do
    if ((i == n)) || is_our_node "$dir" "$i" "$(node_pid "$dir" "$i")"; then alive=$((alive + 1)); fi
  done
  specs="$n:$off"
  wait_ready "$dir" "$alive" "$specs" || exit 1
  SUCCESS=1
  log "node $n up again in $(( $(now_ms) - t0 ))ms ($alive broker(s) alive)"
}

cmd_wait_brokers() {   # wait-brokers DIR COUNT [TIMEOUT_S]
  local dir=${1:-} want=${2:-} to=${3:-30}
  [[ -n $dir && $want =~ ^[0-9]+$ && $to =~ ^[0-9]+$ ]] || usage
  dir=$(cd "$dir" && pwd)
  load_env "$dir"
  local t0 deadline; t0=$(now_ms); deadline=$(( $(date +%s) + to ))
  until brokers_agree "$dir" "$want"; do
    if (( $(date +%s) >= deadline )); then die "timeout after ${to}s: not all running nodes list $want broker(s) (${LAST_VIEW:-none})"; fi
    sleep 0.2
  done
  SUCCESS=1
  log "all running nodes list $want broker(s) after $(( $(now_ms) - t0 ))ms"
}

cmd_status() {
  local dir=${1:-}; [[ -n $dir ]] || usage
  dir=$(cd "$dir" && pwd)
  load_env "$dir"
  local n pid rss
  for ((n = 1; n <= NODES; n++)); do
    pid=$(node_pid "$dir" "$n")
    if is_our_node "$dir" "$n" "$pid"; then
      rss=$(awk '/^VmRSS/ {print $2 $3}' "/proc/$pid/status")
      echo "node$n $pid alive rss=$rss"
    else
      echo "node$n ${pid:--} dead"
    fi
  done
  SUCCESS=1
}

cmd_acl() {
  local dir=${1:-}; [[ -n $dir ]] || usage; shift
  dir=$(cd "$dir" && pwd)
  load_env "$dir"
  libs_ok || die "jars missing; run kafka.sh fetch"
  local topts=(); mapfile -t topts < <(jvm_opts 128m)
  java "${topts[@]}" -Dlog4j.configuration="file:$dir/tools-log4j.properties" -cp "$(java_cp)" \
       kafka.admin.AclCommand --bootstrap-server "$BOOTSTRAP" --command-config "$dir/admin.properties" "$@"
  SUCCESS=1
}

cmd_acl_allow() {
  local dir=${1:-} user=${2:-} ops=${3:-}
  [[ -n $dir && -n $user && -n $ops && $# -ge 4 ]] || usage
  shift 3
  local oargs=() lit=() pre=() op o spec kind name
  IFS=, read -r -a op <<<"$ops"
  for o in "${op[@]}"; do oargs+=(--operation "$o"); done
  for spec in "$@"; do
    if [[ $spec == cluster ]]; then lit+=(--cluster); continue; fi
    kind=${spec%%:*} name=${spec#*:}
    [[ $spec == *:* && $kind =~ ^(topic|group|transactional-id)$ && -n $name ]] || die "bad resource spec '$spec'"
    if [[ $name == *'*' && $name != '*' ]]; then pre+=("--$kind" "${name%\*}"); else lit+=("--$kind" "$name"); fi
  done
  if ((${#lit[@]})); then
    cmd_acl "$dir" --add --allow-principal "User:$user" "${oargs[@]}" "${lit[@]}"
  fi
  if ((${#pre[@]})); then
    cmd_acl "$dir" --add --allow-principal "User:$user" "${oargs[@]}" --resource-pattern-type prefixed "${pre[@]}"
  fi
}

main() {
  local cmd=${1:-}; shift || true
  case $cmd in
    fetch) cmd_fetch; SUCCESS=1 ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    kill) cmd_kill "$@" ;;
    restart) cmd_restart "$@" ;;
    status) cmd_status "$@" ;;
    wait-brokers) cmd_wait_brokers "$@" ;;
    acl) cmd_acl "$@" ;;
    acl-allow) cmd_acl_allow "$@" ;;
    -h|--help|help|"") usage ;;
    *) log "unknown command '$cmd'"; usage ;;
  esac
}

main "$@"
