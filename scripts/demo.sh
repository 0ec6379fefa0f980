#!/usr/bin/env bash
# Quick start: builds the fat jar if needed, then runs relay, gateway and enclave on loopback and
# summarises the sample chat (conf/examples/chat.json) through both Oblivious HTTP layers.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/private-processing.jar
if [ ! -f "$jar" ] || [ -n "$(find src conf pom.xml -newer "$jar" -print -quit)" ]; then
  echo "building $jar (first run takes a minute) ..." >&2
  # Maven's output goes to stderr, uncoloured: stdout is the demo's one JSON document.
  mvn -B -q -Dstyle.color=never -DskipTests package >&2
fi
exec java -jar "$jar" demo "$@"
