#!/usr/bin/env bash
# End-to-end throughput: starts `serve --role all` in its own JVM on free ports, sends N summarize
# requests through the relay with the real client (both layers sealed per request) and prints
# requests/s and p50/p99, then stops the server. Each request spends a Privacy Pass token,
# fetched ahead from the issuer as the SDK does. Bounded: the bench stops after N requests.
# Usage: scripts/bench-e2e.sh [REQUESTS] [CONCURRENCY] [WARMUP]   (defaults 6000 16 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-6000}
concurrency=${2:-16}
warmup=${3:-2000}
jar=target/private-processing.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
relay=$(free_port); gateway=$(free_port); issuer=$(free_port)
conf=$(mktemp)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$conf"' EXIT
cat > "$conf" <<JSON
{"relay":{"port":$relay,"gatewayUrl":"http://127.0.0.1:$gateway"},
 "gateway":{"port":$gateway,"enclaves":["5e1ec7ed00000001"]},
 "enclave":{"id":"5e1ec7ed00000001"},
 "issuer":{"port":$issuer,"tokensPerWindow":10000000}}
JSON
java -jar "$jar" serve --conf "$conf" 2> target/bench-e2e-server.log &
server=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null && break
  sleep 0.2
done
echo "server up (relay :$relay); JDK: $(java -version 2>&1 | head -1); cores: $(nproc)" >&2
java -jar "$jar" bench --relay "http://127.0.0.1:$relay" --issuer "http://127.0.0.1:$issuer" --requests "$requests" --concurrency "$concurrency" --warmup "$warmup"
