#!/usr/bin/env bash
# Time to the first text and to the last byte of a summary through the whole running pipeline,
# streamed (chunked OHTTP) against whole (issue #16), with the enclave's model an OpenAI-compatible
# server pacing its tokens (the jar's paced model server, in the same process, loopback only).
# Prints p50/p99 of each and one JSON line. Bounded: ROUNDS x about 2 x (answer tokens / TPS) s;
# about a minute with the defaults.
# Usage: scripts/bench-streaming-path.sh   (env: ROUNDS=20 TPS=20)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-20}
tps=${TPS:-20}
echo "JDK: $(java -version 2>&1 | head -1); CPUs: $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
mvn -B -q -Dstyle.color=never test-compile > /dev/null
cp_file=target/bench-classpath.txt
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" > /dev/null
java -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  org.privateprocessing.bench.PipelineStreamingMeasure "$rounds" "$tps"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
