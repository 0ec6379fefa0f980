#!/usr/bin/env bash
# The cost of durable spent tokens (issue #13): the spent-token check in each store, and the
# all-in-one node's requests/s with each store, as ratios to the in-memory store, in one run.
#
#  1. JMH SpentTokenStoresBenchmark: in memory, the local file (fsync before the answer, group
#     commit), and a real redis-server on 127.0.0.1 with appendfsync always and everysec; one
#     redemption at a time and 64 in flight.
#  2. For each store (memory, file, redis always, redis everysec): an all-in-one `serve` (demo
#     profile, its own data directory and ports) and one bounded `loadtest` run against it:
#     WARMUP, then RATE req/s for DURATION, concurrency 64. Prints each run's answered req/s and
#     p99, then one JSON line with the ratios to memory.
#
# Needs redis-server (apt-get install -y redis-server). Bounded: every run stops by itself; takes
# about 8 minutes. Usage: scripts/bench-stores.sh   (env: RATE=250 DURATION=20s WARMUP=20s,
# SKIP_JMH=1 to run only the load part)
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-250}
duration=${DURATION:-20s}
warmup=${WARMUP:-20s}
jar=target/private-processing.jar
command -v redis-server > /dev/null || { echo "redis-server is not installed: apt-get install -y redis-server" >&2; exit 1; }
[ -f "$jar" ] || mvn -q -B -DskipTests package

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "JDK: $(java -version 2>&1 | head -1); CPUs: $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ -z "${SKIP_JMH:-}" ]; then
  echo "== 1/2 JMH SpentTokenStoresBenchmark" >&2
  mvn -B -q -Dstyle.color=never test-compile > /dev/null
  cp_file=target/bench-classpath.txt
  mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" > /dev/null
  java -cp "target/test-classes:target/classes:$(cat "$cp_file")" org.openjdk.jmh.Main \
    SpentTokenStoresBenchmark -f 1 -wi 2 -i 4 -w 2s -r 3s | grep -E '^(Benchmark|SpentTokenStores)'
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run_store NAME STORE_JSON: one serve with that stateStore, one loadtest; prints "NAME rps p99".
run_store() {
  local name=$1 store=$2 dir="$work/$1" relay issuer gateway
  mkdir -p "$dir"
  relay=$(free_port); issuer=$(free_port); gateway=$(free_port)
  cat > "$dir/conf.json" <<EOF
{"profile":"demo","dataDir":"$dir/data","stateStore":$store,
 "attestation":{"tlsPort":0},"log":{"port":0},
 "relay":{"port":$relay,"gatewayUrl":"http://127.0.0.1:$gateway"},
 "gateway":{"port":$gateway},"issuer":{"port":$issuer,"tokensPerWindow":1000000},
 "enclave":{"id":"be9c000000000001"}}
EOF
  java -Xmx512m -jar "$jar" serve --conf "$dir/conf.json" > "$dir/serve.log" 2>&1 &
  local serve=$!
  pids+=("$serve")
  for _ in $(seq 1 180); do grep -q "serving role" "$dir/serve.log" && break; sleep 1; done
  grep -q "serving role" "$dir/serve.log" || { tail -20 "$dir/serve.log" >&2; echo "serve ($name) did not start" >&2; exit 1; }
  java -jar "$jar" loadtest --relay "http://127.0.0.1:$relay" --issuer "http://127.0.0.1:$issuer" \
    --trust "$dir/data/trust" --rate "$rate" --duration "$duration" --warmup "$warmup" \
    --concurrency 64 --json-only > "$dir/load.json" 2> "$dir/load.err" || true
  kill "$serve"; wait "$serve" 2> /dev/null || true
  python3 - "$name" "$dir/load.json" <<'PY'
import json, sys
name, f = sys.argv[1], sys.argv[2]
try:
    r = json.loads(open(f).read().strip().splitlines()[-1])
except Exception as e:
    print(name, "0", "0", "0", file=sys.stdout); sys.exit(0)
rps = r.get("rps", 0)
p99 = r.get("p99Ms", 0)
failed = r.get("failedClear", 0) + r.get("failedUnclear", 0)
print(name, rps, p99, failed)
PY
}

redis_store() {  # redis_store POLICY: starts a redis-server, prints the stateStore JSON
  local policy=$1 port
  port=$(free_port)
  mkdir -p "$work/redis-$policy"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$work/redis-$policy" --appendonly yes \
    --appendfsync "$policy" --save '' --daemonize no > "$work/redis-$policy/redis.log" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 30); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2> /dev/null && break; sleep 0.5; done
  echo "{\"type\":\"redis\",\"redis\":{\"url\":\"redis://127.0.0.1:$port\",\"timeoutMs\":10000}}"
}

echo "== 2/2 all-in-one requests/s per store: $rate req/s for $duration after $warmup, concurrency 64" >&2
results=$work/results.txt
run_store memory '{"type":"memory"}' | tee -a "$results"
run_store file '{"type":"file"}' | tee -a "$results"
run_store redis-always "$(redis_store always)" | tee -a "$results"
run_store redis-everysec "$(redis_store everysec)" | tee -a "$results"
python3 - "$results" <<'PY'
import json, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {r[0]: (float(r[1]), float(r[2]), r[3]) for r in rows}
base = by.get("memory", (0, 0, 0))[0] or 1
print(json.dumps({k: {"rps": v[0], "p99Ms": v[1], "failed": v[2], "ratioToMemory": round(v[0] / base, 3)} for k, v in by.items()}))
PY
