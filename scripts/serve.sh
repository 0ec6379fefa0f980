#!/usr/bin/env bash
# Runs a role from the fat jar (default: all roles with conf/all-in-one.json) until Ctrl-C.
# Usage: scripts/serve.sh [--role all|relay|gateway|enclave] [--conf FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/private-processing.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package
exec java -jar "$jar" serve "$@"
