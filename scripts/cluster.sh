#!/usr/bin/env bash
# A local cluster of JVMs with named roles, joined by Hazelcast on 127.0.0.1 only (conf/cluster.xml):
# one issuer, N enclaves, N gateways (clustered), and one relay in front of the gateways.
#
# Usage: scripts/cluster.sh start [--enclaves N] [--gateways N] [--redis]
#                                      (defaults: 2 enclaves, 2 gateways, spent tokens in the cluster's memory)
#          --redis: also start a redis-server on 127.0.0.1:6390 (append-only file, appendfsync always,
#          in target/cluster/redis) and keep spent tokens and issuance windows there (stateStore redis):
#          they then survive the restart of any JVM and of the whole cluster
#        scripts/cluster.sh kill-redis     kill redis-server hard (SIGKILL): requests get 503 until it is back
#        scripts/cluster.sh start-redis    start it again on the same port and directory
#        scripts/cluster.sh stop            TERM every JVM, KILL those still running after 10 s
#        scripts/cluster.sh status          one line per JVM: role, pid, running or not
#        scripts/cluster.sh health          each JVM's GET /health/ready: ready or what is missing
#        scripts/cluster.sh kill-enclave [i]   kill enclave i (default 1) hard (SIGKILL), for fault runs
#        scripts/cluster.sh kill-gateway [i]   kill gateway i (default 1) hard; the relay moves to the others
#        scripts/cluster.sh start-gateway [i]  start gateway i again (same config, same key directory)
#        scripts/cluster.sh kill-issuer        kill the issuer hard: no new tokens until start-issuer
#        scripts/cluster.sh start-issuer       start it again (same config and issuer keys: tokens from before stay valid)
#        scripts/cluster.sh kill-all           kill every JVM and redis-server hard (SIGKILL): a whole-fleet crash;
#                                              then "start" with the same options brings it back on the same data
#
# Ports: relay 8080, issuer 8082, gateways 8101, 8102, ... Admin listeners (GET /health/live,
# /health/ready, /metrics; docs/OPERATIONS.md): relay 9180, issuer 9190, gateways 9101, 9102, ...,
# enclaves 9201, 9202, ... Logs, pid files and the generated per-JVM
# configs live in target/cluster/. Every JVM runs the demo profile (simulated attestation) with
# dataDir target/cluster/data, so each enclave leaves its trust fragment in target/cluster/data/trust,
# which clients pass as --trust. The relay gets every gateway's URL (relay.gatewayUrls) and spreads
# requests over them, moving on when one refuses the connection.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/private-processing.jar
run=target/cluster
# CLUSTER_XML: another Hazelcast config (e.g. its own <cluster-name>, so two local clusters never merge).
cluster_xml=${CLUSTER_XML:-conf/cluster.xml}
relay_url=http://127.0.0.1:8080
issuer_url=http://127.0.0.1:8082
trust=$run/data/trust
redis_port=6390
ready_wait=180   # seconds a JVM may take to join and listen (a busy 2-core machine is slow)
# Hazelcast asks for these to reach JDK internals; without them it warns and runs slower.
jvm_opts=(-Xmx384m -XX:+UseSerialGC --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)

die() { echo "cluster.sh: $*" >&2; exit 1; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# start_jvm NAME ROLE CONF [--cluster]
start_jvm() {
  local name=$1 role=$2 conf=$3; shift 3
  : > "$run/$name.log"
  nohup java "${jvm_opts[@]}" -jar "$jar" serve --role "$role" --conf "$conf" "$@" >> "$run/$name.log" 2>&1 &
  echo $! > "$run/$name.pid"
  echo "started $name (pid $!), log $run/$name.log"
}

await_ready() {
  local name=$1 waited=0
  until grep -q "serving role" "$run/$name.log" 2>/dev/null; do
    alive "$run/$name.pid" || { tail -n 20 "$run/$name.log" >&2; die "$name exited before it was ready (log above)"; }
    [ "$waited" -lt "$ready_wait" ] || die "$name not ready after ${ready_wait}s; see $run/$name.log"
    sleep 1; waited=$((waited + 1))
  done
  echo "$name ready"
}

start_redis() {
  command -v redis-server >/dev/null || die "redis-server is not installed: apt-get install -y redis-server"
  alive "$run/redis.pid" && die "redis-server is already running (pid $(cat "$run/redis.pid"))"
  mkdir -p "$run/redis"
  # Its own instance, never the system service: loopback only, append-only file fsynced before each
  # answer (docs/OPERATIONS.md, "Spent tokens": what everysec would lose), no RDB snapshots.
  nohup redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$PWD/$run/redis" --appendonly yes \
    --appendfsync always --save '' --daemonize no >> "$run/redis.log" 2>&1 &
  echo $! > "$run/redis.pid"
  local waited=0
  until (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null; do
    alive "$run/redis.pid" || { tail -n 20 "$run/redis.log" >&2; die "redis-server exited (log above)"; }
    [ "$waited" -lt 30 ] || die "redis-server not listening on $redis_port after 30s; see $run/redis.log"
    sleep 1; waited=$((waited + 1))
  done
  echo "redis-server ready on 127.0.0.1:$redis_port (pid $(cat "$run/redis.pid")), data in $run/redis"
}

# with_store SRC DST: the role config SRC, with the Redis state store when --redis was given.
with_store() {
  python3 - "$1" "$2" "$use_redis" "$redis_port" <<'PY'
import json, sys
src, dst, use_redis, port = sys.argv[1], sys.argv[2], sys.argv[3] == "yes", sys.argv[4]
conf = json.load(open(src))
if use_redis:
    conf["stateStore"] = {"type": "redis", "redis": {"url": "redis://127.0.0.1:%s" % port}}
json.dump(conf, open(dst, "w"), indent=2)
PY
}

cmd_start() {
  local enclaves=2 gateways=2
  use_redis=no
  while [ $# -gt 0 ]; do
    case "$1" in
      --enclaves) enclaves=${2:?--enclaves needs a number}; shift 2 ;;
      --gateways) gateways=${2:?--gateways needs a number}; shift 2 ;;
      --redis) use_redis=yes; shift ;;
      *) die "unknown option '$1' (start [--enclaves N] [--gateways N] [--redis])" ;;
    esac
  done
  [[ "$enclaves" =~ ^[1-9][0-9]?$ && "$gateways" =~ ^[1-9][0-9]?$ ]] || die "--enclaves and --gateways take 1 to 99"
  mkdir -p "$run/conf"
  for pid in "$run"/*.pid; do
    [ -e "$pid" ] || continue
    alive "$pid" && die "a cluster is already running ($(basename "$pid" .pid) is up); run: scripts/cluster.sh stop"
    rm -f "$pid"
  done
  if [ ! -f "$jar" ] || [ -n "$(find src/main conf pom.xml -newer "$jar" -print -quit)" ]; then
    echo "building $jar ..." >&2
    mvn -B -q -DskipTests package
  fi

  # Trust only this run's enclaves: a fragment left by an earlier run names a root nobody holds now.
  rm -rf "$trust"
  mkdir -p "$trust"

  [ "$use_redis" = yes ] && start_redis
  with_store conf/cluster-issuer.json "$run/conf/issuer.json"
  with_store conf/cluster-enclave.json "$run/conf/enclave.json"

  # The issuer first: the cluster's first member, so the others join it rather than racing to found it.
  start_jvm issuer issuer "$run/conf/issuer.json" --cluster --cluster-conf "$cluster_xml"
  await_ready issuer
  for i in $(seq 1 "$enclaves"); do
    local admin=$((9200 + i))
    sed "s/\"port\": 9201/\"port\": $admin/" "$run/conf/enclave.json" > "$run/conf/enclave-$i.json"
    grep -q "\"port\": $admin" "$run/conf/enclave-$i.json" || die "conf/cluster-enclave.json must say \"admin\": {\"port\": 9201}"
    start_jvm "enclave-$i" enclave "$run/conf/enclave-$i.json" --cluster --cluster-conf "$cluster_xml"
  done
  for i in $(seq 1 "$gateways"); do
    local port=$((8100 + i))
    sed -e "s/\"port\": 8101/\"port\": $port/" -e "s/\"port\": 9101/\"port\": $((9100 + i))/" \
      conf/cluster-gateway.json > "$run/conf/gateway-$i.src.json"
    with_store "$run/conf/gateway-$i.src.json" "$run/conf/gateway-$i.json"
    grep -q "\"port\": $port" "$run/conf/gateway-$i.json" || die "conf/cluster-gateway.json must say \"port\": 8101"
    grep -q "\"port\": $((9100 + i))" "$run/conf/gateway-$i.json" || die "conf/cluster-gateway.json must say \"admin\": {\"port\": 9101}"
    start_jvm "gateway-$i" gateway "$run/conf/gateway-$i.json" --cluster --cluster-conf "$cluster_xml"
  done
  for i in $(seq 1 "$enclaves"); do await_ready "enclave-$i"; done
  for i in $(seq 1 "$gateways"); do await_ready "gateway-$i"; done

  # Not clustered: the relay is a third party and only speaks HTTP to the gateways, all of them.
  python3 - "$gateways" conf/cluster-relay.json "$run/conf/relay.json" <<'PY'
import json, sys
n, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3]
conf = json.load(open(src))
conf["relay"].pop("gatewayUrl", None)
conf["relay"]["gatewayUrls"] = ["http://127.0.0.1:%d" % (8100 + i) for i in range(1, n + 1)]
json.dump(conf, open(dst, "w"), indent=2)
PY
  start_jvm relay relay "$run/conf/relay.json"
  await_ready relay
  local waited=0
  until curl -fsS -o /dev/null --max-time 2 "$relay_url/.well-known/ohttp-gateway"; do
    [ "$waited" -lt 60 ] || die "the relay does not answer at $relay_url after 60s; see $run/relay.log"
    sleep 1; waited=$((waited + 1))
  done
  echo "cluster up: $enclaves enclave(s), $gateways gateway(s); relay $relay_url$([ "$use_redis" = yes ] && echo "; spent tokens and issuance windows in redis 127.0.0.1:$redis_port")"
  echo "health: scripts/cluster.sh health (each JVM's admin listener)"
  ls "$trust"/enclave-*.json > /dev/null 2>&1 || die "no trust fragment in $trust: did the enclaves run the demo profile?"
  echo "trust: $(ls "$trust" | wc -l) enclave fragment(s) in $trust"
  echo "try: java -jar $jar summarize --relay $relay_url --issuer $issuer_url --trust $trust --chat conf/examples/chat.json"
  echo " or: scripts/loadtest.sh --relay $relay_url --issuer $issuer_url --trust $trust --rate 50 --duration 30s"
}

cmd_stop() {
  local pids=() names=()
  for pid in "$run"/*.pid; do
    [ -e "$pid" ] || continue
    if alive "$pid"; then
      kill -TERM "$(cat "$pid")" && pids+=("$pid") && names+=("$(basename "$pid" .pid)")
    else
      rm -f "$pid"
    fi
  done
  [ ${#pids[@]} -gt 0 ] || { echo "no cluster JVM running"; return 0; }
  echo "stopping ${names[*]}"
  for _ in $(seq 1 10); do
    local left=0
    for pid in "${pids[@]}"; do alive "$pid" && left=1; done
    [ "$left" -eq 1 ] || break
    sleep 1
  done
  for pid in "${pids[@]}"; do
    if alive "$pid"; then
      echo "$(basename "$pid" .pid) still running after 10s: KILL"
      kill -KILL "$(cat "$pid")" 2>/dev/null || true
    fi
    rm -f "$pid"
  done
  echo "stopped"
}

cmd_status() {
  local any=0
  for pid in "$run"/*.pid; do
    [ -e "$pid" ] || continue
    any=1
    if alive "$pid"; then state=running; else state=dead; fi
    printf '%-12s pid %-8s %s\n' "$(basename "$pid" .pid)" "$(cat "$pid")" "$state"
  done
  [ "$any" -eq 1 ] || echo "no cluster started (no pid files in $run)"
}

# The admin port of a JVM by its name, as cmd_start configured it.
admin_port() {
  case "$1" in
    relay) echo 9180 ;;
    issuer) echo 9190 ;;
    gateway-*) echo $((9100 + ${1#gateway-})) ;;
    enclave-*) echo $((9200 + ${1#enclave-})) ;;
  esac
}

cmd_health() {
  local any=0 down=0
  for pid in "$run"/*.pid; do
    [ -e "$pid" ] || continue
    any=1
    local name port body
    name=$(basename "$pid" .pid)
    port=$(admin_port "$name")
    if ! alive "$pid"; then
      printf '%-12s dead\n' "$name"; down=1; continue
    fi
    if body=$(curl -sS --max-time 5 "http://127.0.0.1:$port/health/ready" 2>&1); then
      case "$body" in
        '{"status":"UP"'*) printf '%-12s ready (admin 127.0.0.1:%s)\n' "$name" "$port" ;;
        *) printf '%-12s NOT READY (admin 127.0.0.1:%s): %s\n' "$name" "$port" "$body"; down=1 ;;
      esac
    else
      printf '%-12s no answer on 127.0.0.1:%s: %s\n' "$name" "$port" "$body"; down=1
    fi
  done
  [ "$any" -eq 1 ] || { echo "no cluster started (no pid files in $run)"; return 1; }
  return "$down"
}

# kill_hard ROLE [i]: SIGKILL, no shutdown hook, no goodbye to the cluster: what a crash looks like.
kill_hard() {
  local role=$1 i=${2:-1}
  [[ "$i" =~ ^[1-9][0-9]?$ ]] || die "kill-$role takes a number from 1 to 99"
  local pid="$run/$role-$i.pid"
  alive "$pid" || die "$role-$i is not running"
  kill -KILL "$(cat "$pid")"
  echo "killed $role-$i (pid $(cat "$pid")) hard"
}

# restart_jvm NAME ROLE: starts a JVM that cmd_start configured, again, with the same config.
restart_jvm() {
  local name=$1 role=$2
  [ -f "$run/conf/$name.json" ] || die "$name was never started here (no $run/conf/$name.json): run start first"
  alive "$run/$name.pid" && die "$name is already running (pid $(cat "$run/$name.pid"))"
  start_jvm "$name" "$role" "$run/conf/$name.json" --cluster --cluster-conf "$cluster_xml"
  await_ready "$name"
}

cmd_kill_all() {
  local killed=()
  for pid in "$run"/*.pid; do
    [ -e "$pid" ] || continue
    if alive "$pid"; then
      kill -KILL "$(cat "$pid")" 2>/dev/null && killed+=("$(basename "$pid" .pid)")
    fi
  done
  [ ${#killed[@]} -gt 0 ] || { echo "nothing running"; return 0; }
  # SIGKILL is asynchronous: wait until each is gone, so a start right after finds the ports free.
  for pid in "$run"/*.pid; do
    [ -e "$pid" ] || continue
    for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    rm -f "$pid"
  done
  echo "killed ${killed[*]} hard"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  health) cmd_health ;;
  kill-enclave) shift; kill_hard enclave "$@"
    echo "gateways drop it from /v1/enclaves within its ttl (3 s); the SDK retries another enclave" ;;
  kill-gateway) shift; kill_hard gateway "$@"
    echo "the relay finds its port closed and sends to the next gateway" ;;
  kill-redis) alive "$run/redis.pid" || die "redis-server is not running (start --redis, or start-redis)"
    kill -KILL "$(cat "$run/redis.pid")"
    echo "killed redis-server (pid $(cat "$run/redis.pid")) hard; gateways answer 503 spent-token-store-unavailable until: scripts/cluster.sh start-redis" ;;
  start-redis) start_redis ;;
  start-gateway) i=${2:-1}; [[ "$i" =~ ^[1-9][0-9]?$ ]] || die "start-gateway takes a number from 1 to 99"
    restart_jvm "gateway-$i" gateway ;;
  kill-issuer) alive "$run/issuer.pid" || die "the issuer is not running"
    kill -KILL "$(cat "$run/issuer.pid")"
    echo "killed issuer (pid $(cat "$run/issuer.pid")) hard; clients spend the tokens they hold, new ones fail until: scripts/cluster.sh start-issuer" ;;
  start-issuer) restart_jvm issuer issuer ;;
  kill-all) cmd_kill_all ;;
  *) die "usage: scripts/cluster.sh start [--enclaves N] [--gateways N] [--redis] | stop | status | health | kill-enclave [i] | kill-gateway [i] | start-gateway [i] | kill-issuer | start-issuer | kill-redis | start-redis | kill-all" ;;
esac
