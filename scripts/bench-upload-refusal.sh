#!/usr/bin/env bash
# How long a slow client uploading a 1 MiB chunked request waits before a bad token is refused, and
# how much it uploaded by then, through the running relay and gateway (issue #16, the request
# side): 16 pieces of 64 KiB, one every PAUSE_MS. Prints one line and one JSON line.
# Bounded: ROUNDS x (16 x PAUSE_MS) at most; a few seconds with the defaults.
# Usage: scripts/bench-upload-refusal.sh   (env: ROUNDS=5 PAUSE_MS=100)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}
pause=${PAUSE_MS:-100}
echo "JDK: $(java -version 2>&1 | head -1); CPUs: $(nproc); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
mvn -B -q -Dstyle.color=never test-compile > /dev/null
cp_file=target/bench-classpath.txt
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" > /dev/null
java -cp "target/test-classes:target/classes:$(cat "$cp_file")" \
  org.privateprocessing.bench.UploadRefusalMeasure "$rounds" "$pause"
