#!/usr/bin/env bash
# The all-in-one node's maximum sustainable throughput over the JMH crypto-only rate of the same
# work, on the same CPU (issue #7), in one script so both figures come from the same machine state.
#
#  1. JMH AllInOneCryptoBenchmark.serverPerRequest pinned to CPU 0: the node's cryptography for one
#     load-test request (issuer signature, both X-Wing layers opened and sealed, token verified),
#     one thread.
#  2. An all-in-one `serve` (demo profile) pinned to CPU 0, the load generator pinned to CPU 1, so
#     the generator's own cryptography and JIT compiler do not take the node's CPU. One loadtest
#     JVM warms up (WARMUP at the first step) and steps up through STEPS, STEP_SECONDS each after 5 s at
#     the rate (sustainable = no failure, p99 < 1 s, >= 95% of the rate answered).
#  3. p99 at 50% of the highest sustainable step, 20 s, after a 30 s warm-up.
#
# Prints each step with the node's CPU per request (from /proc/<pid>/stat, the step's settling
# time included), then one JSON line:
#   {"cryptoRate":X,"maxSustainable":X,"answeredRps":X,"ratio":X,"p99AtHalfMs":X,"halfRate":X,"cpuMsPerRequest":X}
# ratio = answered req/s of the highest sustainable step / cryptoRate.
# Needs 2 CPUs and taskset; with fewer CPUs it runs unpinned and says the ratio is not comparable.
# Bounded: every load run stops by itself. Takes about 8 minutes.
# Usage: scripts/ratio.sh    (env: STEPS="150,200,250,300", WARMUP=90s, STEP_SECONDS=20)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${STEPS:-150,200,225,250,275,300,325,350}
warmup=${WARMUP:-90s}
step_s=${STEP_SECONDS:-20}
jar=target/private-processing.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package

if [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
  node_cpu=(taskset -c 0); load_cpu=(taskset -c 1)
else
  node_cpu=(); load_cpu=()
  echo "WARNING: fewer than 2 CPUs or no taskset: node and load generator share the CPU; the ratio is not comparable" >&2
fi

echo "== 1/3 JMH crypto-only rate (CPU 0) — JDK: $(java -version 2>&1 | head -1); CPUs: $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
mvn -B -q -Dstyle.color=never test-compile > /dev/null
cp_file=target/bench-classpath.txt
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" > /dev/null
jmh_json=$(mktemp)
"${node_cpu[@]}" java -cp "target/test-classes:target/classes:$(cat "$cp_file")" org.openjdk.jmh.Main \
  -f 1 -wi 8 -w 3s -i 5 -r 3s -rf json -rff "$jmh_json" AllInOneCryptoBenchmark.serverPerRequest > target/ratio-jmh.log 2>&1 \
  || { echo "JMH failed; see target/ratio-jmh.log" >&2; exit 1; }
crypto=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))[0]["primaryMetric"]; print(round(r["score"],1), round(r["scoreError"],1))' "$jmh_json")
rm -f "$jmh_json"
crypto_rate=${crypto% *}
echo "crypto-only: $crypto_rate ± ${crypto#* } ops/s (one thread)" >&2

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
relay=$(free_port); gateway=$(free_port); issuer=$(free_port)
data=$(mktemp -d)
server=
trap 'rc=$?; [ -n "$server" ] && kill "$server" 2>/dev/null; [ -n "$server" ] && wait "$server" 2>/dev/null || true; rm -rf "$data"; exit $rc' EXIT
cat > "$data/conf.json" <<JSON
{"profile":"demo","dataDir":"$data","attestation":{"tlsPort":0},"log":{"port":0},
 "relay":{"port":$relay,"gatewayUrl":"http://127.0.0.1:$gateway"},"gateway":{"port":$gateway},
 "enclave":{"id":"5e1ec7ed00000001"},"issuer":{"port":$issuer,"tokensPerWindow":100000000}}
JSON
"${node_cpu[@]}" java -jar "$jar" serve --conf "$data/conf.json" 2> target/ratio-server.log &
server=$!
for _ in $(seq 1 300); do
  ls "$data"/trust/*.json > /dev/null 2>&1 && (exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null && break
  sleep 0.2
done
(exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null || { echo "server did not start; see target/ratio-server.log" >&2; exit 1; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13) * 1000 / hz) }' "/proc/$server/stat"; }
loadtest() {
  "${load_cpu[@]}" java -jar "$jar" loadtest --relay "http://127.0.0.1:$relay" --issuer "http://127.0.0.1:$issuer" \
    --trust "$data/trust" --concurrency 64 --timeout 10s --json-only "$@" 2> >(grep -v "^WARNING: trusting" >&2)
}

echo "== 2/3 step-up: node on CPU 0, load generator on CPU 1; warm-up $warmup, then ${step_s} s per step: $steps" >&2
best=0; best_rps=0; best_cpu=; last_cpu=
while IFS= read -r line; do
  now=$(cpu_ms)
  # loadtest --steps judges each step (and stops after the first that is not sustainable).
  read -r rate rps sustainable < <(python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(int(j["rate"]), j["rps"], 1 if j["sustainable"] else 0)' "$line")
  per=""
  if [ -n "$last_cpu" ]; then
    # Since the last step's line: this step's 5 s of settling and the step itself.
    per=$(python3 -c "print(round(($now - $last_cpu) / ($rate * (5 + $step_s)), 2))")
  fi
  echo "step $rate req/s: $line${per:+ node CPU $per ms/request}" >&2
  last_cpu=$now
  if [ "$sustainable" = 1 ]; then best=$rate; best_rps=$rps; best_cpu=$per; fi
done < <(loadtest --warmup "$warmup" --steps "$steps" --duration "${step_s}s")
[ "$best" -gt 0 ] || { echo "no step was sustainable; try lower STEPS" >&2; exit 1; }

half=$(( best / 2 ))
echo "== 3/3 p99 at 50% of $best: $half req/s for 20 s (after 30 s warm-up)" >&2
half_line=$(loadtest --warmup 30s --rate "$half" --duration 20s | tail -1)
echo "at $half req/s: $half_line" >&2

python3 - "$crypto_rate" "$best" "$best_rps" "$half" "$half_line" "${best_cpu:-null}" <<'PY'
import json, sys
crypto, best, rps, half, line, cpu = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5]), sys.argv[6]
# The ratio uses the answered rate of the highest sustainable step, not its target.
print(json.dumps({"cryptoRate": crypto, "maxSustainable": best, "answeredRps": rps, "ratio": round(rps / crypto, 3),
                  "p99AtHalfMs": line["p99Ms"], "halfRate": half,
                  "cpuMsPerRequest": None if cpu == "null" else float(cpu)}))
PY
