#!/usr/bin/env bash
# What response padding costs in requests/s (issue #16): the all-in-one node loaded twice in one
# script at a rate near its capacity (docs/PERFORMANCE.md: ~574 req/s on one core), padded (the defaults: gateway and enclave pad whole answers to 1k..64k buckets) and
# unpadded (`responsePadding: none` on both), node pinned to CPU 0 and the load generator to CPU 1
# as in scripts/ratio.sh. For each: answered req/s, p50 and p99; then the ratio padded / unpadded. Bytes on the wire: docs/PERFORMANCE.md,
# *Response padding*. Bounded: two runs of WARMUP + DURATION; about 3.5 minutes.
# Usage: scripts/bench-padding.sh   (env: RATE=560 WARMUP=60s DURATION=20s)
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${RATE:-560}
warmup=${WARMUP:-60s}
duration=${DURATION:-20s}
jar=target/private-processing.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
if [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
  node_cpu=(taskset -c 0); load_cpu=(taskset -c 1)
else
  node_cpu=(); load_cpu=()
  echo "WARNING: fewer than 2 CPUs or no taskset: node and load generator share the CPU" >&2
fi
echo "JDK: $(java -version 2>&1 | head -1); CPUs: $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
server=; data=
trap 'rc=$?; [ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "$server" ] && wait "$server" 2>/dev/null || true; [ -n "$data" ] && rm -rf "$data"; exit $rc' EXIT

run() { # $1 = padding setting ("default" or "none"); prints one JSON line
  local padding=$1 relay gateway issuer
  relay=$(free_port); gateway=$(free_port); issuer=$(free_port)
  data=$(mktemp -d)
  cat > "$data/conf.json" <<JSON
{"profile":"demo","dataDir":"$data","attestation":{"tlsPort":0},"log":{"port":0},"admin":{"port":0},
 "relay":{"port":$relay,"gatewayUrl":"http://127.0.0.1:$gateway"},
 "gateway":{"port":$gateway,"responsePadding":"$padding"},
 "enclave":{"id":"5e1ec7ed00000001","responsePadding":"$padding"},
 "issuer":{"port":$issuer,"tokensPerWindow":100000000}}
JSON
  "${node_cpu[@]}" java -jar "$jar" serve --conf "$data/conf.json" 2> "target/bench-padding-$padding.log" &
  server=$!
  for _ in $(seq 1 300); do
    ls "$data"/trust/*.json > /dev/null 2>&1 && (exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null && break
    sleep 0.2
  done
  (exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null || { echo "server did not start; see target/bench-padding-$padding.log" >&2; exit 1; }
  local line
  # One load generator JVM: it warms up at the rate (its JIT compiler and the node's both settle),
  # then measures; a cold generator limits the rate before the node does (docs/PERFORMANCE.md).
  line=$("${load_cpu[@]}" java -jar "$jar" loadtest --relay "http://127.0.0.1:$relay" --issuer "http://127.0.0.1:$issuer" \
    --trust "$data/trust" --concurrency 64 --timeout 10s --json-only --warmup "$warmup" --rate "$rate" --duration "$duration" 2> /dev/null | tail -1)
  kill "$server"; wait "$server" 2> /dev/null || true; server=
  rm -rf "$data"; data=
  python3 -c 'import json,sys; j=json.loads(sys.argv[1]); j["padding"]=sys.argv[2]; print(json.dumps(j))' "$line" "$padding"
}
padded=$(run default); echo "padded:   $padded" >&2
unpadded=$(run none); echo "unpadded: $unpadded" >&2
python3 -c 'import json,sys; p=json.loads(sys.argv[1]); u=json.loads(sys.argv[2]); print(json.dumps({"rate":int(sys.argv[3]),"paddedRps":p["rps"],"unpaddedRps":u["rps"],"ratio":round(p["rps"]/u["rps"],3),"paddedP50Ms":p["p50Ms"],"unpaddedP50Ms":u["p50Ms"],"paddedP99Ms":p["p99Ms"],"unpaddedP99Ms":u["p99Ms"]}))' "$padded" "$unpadded" "$rate"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
