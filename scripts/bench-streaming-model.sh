#!/usr/bin/env bash
# Time to the first piece of a streamed answer against time to the whole answer (issue #16), for
# the OpenAI-compatible model against the paced model server of the jar
# (`private-processing paced-model`, answers computed by the embedded model, token by token at
# TPS tokens/s). The same summarize and suggest requests, streamed and not, ROUNDS times each;
# prints the medians and one JSON line with the ratios first/whole.
#
# Bounded: the paced server is stopped at the end; takes about ROUNDS x 10 s at 20 tokens/s.
# Usage: scripts/bench-streaming-model.sh   (env: TPS=20 ROUNDS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
tps=${TPS:-20}
rounds=${ROUNDS:-5}
jar=target/private-processing.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package

work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -jar "$jar" paced-model --port "$port" --tokens-per-second "$tps" 2> "$work/paced.log" &
pid=$!
for _ in $(seq 1 60); do grep -q "serving" "$work/paced.log" && break; sleep 0.5; done
grep -q "serving" "$work/paced.log" || { cat "$work/paced.log" >&2; echo "paced-model did not start" >&2; exit 1; }
echo "JDK: $(java -version 2>&1 | head -1); CPUs: $(nproc); paced-model at $tps tokens/s on port $port" >&2

mvn -B -q -Dstyle.color=never test-compile > /dev/null
cp_file=target/bench-classpath.txt
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" > /dev/null
java -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  org.privateprocessing.bench.StreamingModelMeasure "http://127.0.0.1:$port" "$rounds"
