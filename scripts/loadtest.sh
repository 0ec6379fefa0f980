#!/usr/bin/env bash
# Open-loop load through a running relay with the real client (a Privacy Pass token per request,
# both Oblivious HTTP layers sealed per request). Passes every argument to `loadtest`; see
# `scripts/loadtest.sh --help`. Ends with one JSON line on stdout. Bounded: stops by itself.
# Usage: scripts/loadtest.sh [--relay URL] [--rate R] [--duration D] [--concurrency C] [...]
#   e.g. scripts/loadtest.sh --rate 100 --duration 30s --concurrency 64
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/private-processing.jar
[ -f "$jar" ] || mvn -q -B -DskipTests package

relay=http://127.0.0.1:8080
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --relay) relay=${args[i+1]:-$relay} ;;
    --relay=*) relay=${args[i]#--relay=} ;;
    -h|--help) exec java -jar "$jar" loadtest --help ;;
  esac
done
hostport=${relay#*://}; hostport=${hostport%%/*}
host=${hostport%:*}; port=${hostport##*:}
if ! (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  echo "no relay answers at $relay. Start an all-in-one node first, e.g.:" >&2
  echo "  java -jar $jar serve          # relay :8080, gateway :8081, issuer :8082" >&2
  echo "  (or scripts/serve.sh), then run this script again." >&2
  exit 1
fi
exec java -jar "$jar" loadtest "$@"
