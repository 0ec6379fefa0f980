#!/usr/bin/env bash
# Soak: starts an all-in-one `serve` JVM on free loopback ports, measures its memory, runs a
# loadtest for DURATION at RATE, measures again, prints both and the loadtest's JSON line, and
# stops the server. Without RATE it first finds the highest sustainable rate with a short step-up
# (after a 20 s warm-up; 10 s at each of STEPS, default 50 100 ... 350 req/s; sustainable = no failure
# and p99 < 1 s and the answered rate >= 95% of the step), measures p99 for 20 s at 50% of it, and soaks at 80% of it. The server runs the
# demo profile (simulated attestation); the loadtest trusts the root it leaves in its dataDir. Memory: VmHWM (peak RSS) and VmRSS from /proc/<pid>/status, heap after a full GC from
# `jcmd <pid> GC.heap_info`. Bounded: every step stops by itself.
# Usage: scripts/soak.sh [DURATION default 5m] [RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5m}
rate=${2:-}
concurrency=${CONCURRENCY:-64}
jar=target/private-processing.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
relay=$(free_port); gateway=$(free_port); issuer=$(free_port)
conf=$(mktemp)
data=$(mktemp -d)
server=
trap 'rc=$?; [ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "$server" ] && wait "$server" 2>/dev/null; rm -rf "$conf" "$data"; exit $rc' EXIT
cat > "$conf" <<JSON
{"profile":"demo","dataDir":"$data","attestation":{"tlsPort":0},
 "relay":{"port":$relay,"gatewayUrl":"http://127.0.0.1:$gateway"},
 "gateway":{"port":$gateway},
 "enclave":{"id":"5e1ec7ed00000001"},
 "issuer":{"port":$issuer,"tokensPerWindow":100000000}}
JSON
mkdir -p target
java ${SOAK_JAVA_OPTS:-} -jar "$jar" serve --conf "$conf" 2> target/soak-server.log &
server=$!
for _ in $(seq 1 150); do
  (exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null && break
  sleep 0.2
done
(exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null || { echo "server did not start; see target/soak-server.log" >&2; exit 1; }
for _ in $(seq 1 150); do
  ls "$data"/trust/*.json > /dev/null 2>&1 && break
  sleep 0.2
done
echo "server pid $server up (relay :$relay); JDK: $(java -version 2>&1 | head -1); cores: $(nproc)" >&2

memory() {
  local label=$1 hwm rss heap
  hwm=$(awk '/^VmHWM/ {print $2, $3}' "/proc/$server/status")
  rss=$(awk '/^VmRSS/ {print $2, $3}' "/proc/$server/status")
  jcmd "$server" GC.run > /dev/null 2>&1 || true
  heap=$(jcmd "$server" GC.heap_info 2>/dev/null | grep -Eo 'used [0-9]+K' | head -1 || true)
  echo "$label: peak RSS (VmHWM) $hwm, RSS (VmRSS) $rss, heap after GC: ${heap:-unknown}"
}

load() { # RATE DURATION -> JSON line on stdout (each run warms its own client JVM for 5 s first)
  java -jar "$jar" loadtest --warmup 5s --relay "http://127.0.0.1:$relay" --issuer "http://127.0.0.1:$issuer" \
    --trust "$data/trust" --rate "$1" --duration "$2" --concurrency "$concurrency" --timeout 10s --json-only \
    2> >(grep -v "^WARNING: trusting" >&2) || true
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# The server JVM's CPU time so far in ms (utime + stime from /proc/<pid>/stat): CPU per request is
# what the ratio to the JMH crypto-only rate is about, whatever else shares the machine.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' "/proc/$server/stat"; }

# measured RATE DURATION LABEL: a load run with the server's CPU ms per request beside its JSON line.
measured() {
  local before after line sent
  before=$(cpu_ms)
  line=$(load "$1" "$2" | tail -1)
  after=$(cpu_ms)
  sent=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["sent"])' "$line" 2>/dev/null || echo 0)
  echo "$3 (load average $(load_average)): $line" >&2
  # Each load run starts with one request and a 5 s warm-up at the same rate: those count too.
  local total=$(( sent + 1 + ${1%.*} * 5 ))
  [ "$sent" -gt 0 ] && echo "  server CPU: $((after - before)) ms for $total requests (with the warm-up) = $(python3 -c "print(round($((after - before)) / $total, 2))") ms per request" >&2
  echo "$line"
}

memory "before"
if [ -z "$rate" ]; then
  # A cold server JVM is several times slower than a warm one: warm it up, not counted.
  echo "warm-up: 40 req/s for 20 s (not counted): $(load 40 20s | tail -1)"
  best=0
  for step in ${STEPS:-50 100 150 200 250 300 350}; do
    line=$(load "$step" 10s | tail -1)
    echo "step $step req/s (load average $(load_average)): $line"
    ok=$(python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(1 if j["failedClear"]==0 and j["failedUnclear"]==0 and j["ok"]>0 and j["p99Ms"]<1000 and j["rps"]>=0.95*float(sys.argv[2]) else 0)' "$line" "$step" 2>/dev/null || echo 0)
    [ "$ok" = 1 ] || break
    best=$step
  done
  [ "$best" -gt 0 ] || { echo "not even 50 req/s was sustainable; give a RATE" >&2; exit 1; }
  rate=$(( best * 8 / 10 ))
  echo "highest sustainable step: $best req/s"
  measured $(( best / 2 )) 20s "at 50% ($(( best / 2 )) req/s) for 20 s" > /dev/null
  echo "soaking at 80%: $rate req/s"
  memory "after step-up"
fi
echo "soak: $rate req/s for $duration (load average before: $(load_average))"
line=$(measured "$rate" "$duration" "soak" | tail -1)
memory "after soak"
echo "load average after the soak: $(load_average)"
echo "$line"
