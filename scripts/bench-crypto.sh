#!/usr/bin/env bash
# Runs the JMH benchmark of the per-request cryptography (CryptoPathBenchmark).
# Usage: scripts/bench-crypto.sh [JMH options...]   e.g. scripts/bench-crypto.sh -f 2 -i 5 fullPath
# Without arguments: short defaults (1 fork, 2x2s warm-up, 3x3s measurement), all benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -Dstyle.color=never test-compile
cp_file=target/bench-classpath.txt
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null
classpath="target/test-classes:target/classes:$(cat "$cp_file")"

if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3 -w 2s -r 3s CryptoPathBenchmark
else
  # Keep the benchmark selection unless the caller names one (a non-option argument).
  has_pattern=no
  prev=""
  for a in "$@"; do
    case "$prev" in -f|-wi|-i|-w|-r|-t|-bm|-tu|-p|-jvmArgs|-jvmArgsAppend|-prof|-rf|-rff|-o|-e) prev=""; continue ;; esac
    case "$a" in -*) prev="$a" ;; *) has_pattern=yes ;; esac
  done
  [ "$has_pattern" = yes ] || set -- "$@" CryptoPathBenchmark
fi

echo "JDK: $(java -version 2>&1 | head -1); CPUs: $(nproc)"
exec java -cp "$classpath" org.openjdk.jmh.Main "$@"
