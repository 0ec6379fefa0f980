#!/usr/bin/env bash
# Profiles the all-in-one node under a bounded load with JDK Flight Recorder and prints where its
# CPU samples and allocation went, per stage of the request path (JfrRequestPathProfile; see
# docs/PERFORMANCE.md, "The rest of the request path").
#
# The node (`serve`, demo profile, its own data directory) runs on CPU 0, the load generator
# (`loadtest`, the real SDK) on CPU 1 when there are two CPUs. The recording samples Java stacks
# every millisecond (JFR's `profile` settings otherwise) and covers the load run after its
# warm-up. Bounded: the load stops by itself; the node is stopped at the end.
#
# Usage: scripts/profile-node.sh [RATE] [DURATION] [WARMUP]     (defaults: 150 60s 60s)
#   The recording stays in target/profile-node.jfr for `jfr print` / `jfr summary` or JMC.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-150}; duration=${2:-60s}; warmup=${3:-60s}
case "$rate" in ''|*[!0-9]*) echo "RATE must be a whole number of requests per second, got '$rate'" >&2; exit 2 ;; esac
for d in "$duration" "$warmup"; do
  case "$d" in *[0-9]s) ;; *) echo "DURATION and WARMUP are seconds with an s, e.g. 60s; got '$d'" >&2; exit 2 ;; esac
done
jar=target/private-processing.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package
mvn -B -q -Dstyle.color=never test-compile > /dev/null

if [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
  node_cpu=(taskset -c 0); load_cpu=(taskset -c 1)
else
  node_cpu=(); load_cpu=()
fi
jdk_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
settings=target/profile-node.jfc
# JFR's `profile` settings with Java stacks sampled every 1 ms instead of 10 ms.
sed '/<event name="jdk.ExecutionSample">/,/<\/event>/ s|<setting name="period"\([^>]*\)>[^<]*<|<setting name="period"\1>1 ms<|' \
  "$jdk_home/lib/jfr/profile.jfc" > "$settings"
recording=target/profile-node.jfr
rm -f "$recording"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
relay=$(free_port); gateway=$(free_port); issuer=$(free_port)
data=$(mktemp -d)
server=
trap 'rc=$?; [ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "$server" ] && wait "$server" 2>/dev/null; rm -rf "$data"; exit $rc' EXIT
cat > "$data/conf.json" <<JSON
{"profile":"demo","dataDir":"$data","attestation":{"tlsPort":0},"log":{"port":0},"admin":{"port":0},
 "relay":{"port":$relay,"gatewayUrl":"http://127.0.0.1:$gateway"},"gateway":{"port":$gateway},
 "enclave":{"id":"5e1ec7ed00000001"},"issuer":{"port":$issuer,"tokensPerWindow":100000000}}
JSON
"${node_cpu[@]}" java -jar "$jar" serve --conf "$data/conf.json" 2> target/profile-node-server.log &
server=$!
for _ in $(seq 1 300); do
  ls "$data"/trust/*.json > /dev/null 2>&1 && (exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null && break
  sleep 0.2
done
(exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null || { echo "server did not start; see target/profile-node-server.log" >&2; exit 1; }
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $rate req/s for $duration after $warmup of warm-up" >&2
(sleep "${warmup%s}"; jcmd "$server" JFR.start name=profile settings="$PWD/$settings" > /dev/null) &
starter=$!
"${load_cpu[@]}" java -jar "$jar" loadtest --relay "http://127.0.0.1:$relay" --issuer "http://127.0.0.1:$issuer" \
  --trust "$data/trust" --concurrency 64 --timeout 10s --json-only --warmup "$warmup" --rate "$rate" \
  --duration "$duration" 2> >(grep -v "^WARNING: trusting" >&2) | tail -1
wait "$starter"
jcmd "$server" JFR.dump name=profile filename="$PWD/$recording" > /dev/null
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cp_file=target/bench-classpath.txt
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" > /dev/null
java -cp "target/test-classes:target/classes:$(cat "$cp_file")" org.privateprocessing.bench.JfrRequestPathProfile "$recording"
