#!/usr/bin/env bash
# Interoperability check against an independent Privacy Pass implementation,
# Cloudflare's @cloudflare/privacypass-ts (interop/privacypass-ts, pinned 0.9.0):
#   1. starts `serve` (relay, gateway, issuer, enclave) on free ports,
#   2. takes the gateway's WWW-Authenticate challenges (`challenge`),
#   3. lets the library parse them and fetch a type 2 (Blind RSA, RFC 9578 section 6) token from
#      our issuer, verified by the library against the published token-key,
#   4. spends that token at the gateway (`summarize --token`, must succeed) and again (must be
#      refused with "already been spent"),
#   5. does the same with a type 1 (VOPRF, RFC 9578 section 5) token.
# Exits non-zero on any deviation; every step is bounded; the server is always stopped.
# Usage: scripts/interop-privacypass.sh   (env JAR overrides target/private-processing.jar,
#        STEP_TIMEOUT the per-step limit in seconds, default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jar=${JAR:-target/private-processing.jar}
step_timeout=${STEP_TIMEOUT:-60}
interop="$root/interop/privacypass-ts"
chat="$root/conf/examples/chat.json"

die() { echo "interop privacypass-ts: FAILED: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is not installed"
command -v npm >/dev/null || die "npm is not installed"
command -v java >/dev/null || die "java is not installed"

if [ ! -d "$interop/node_modules/@cloudflare/privacypass-ts" ]; then
  (cd "$interop" && timeout 300 npm ci --no-audit --no-fund >&2) || die "npm ci in $interop failed"
fi
if [ ! -f "$jar" ]; then
  [ -z "${JAR:-}" ] || die "JAR=$jar does not exist"
  timeout 900 mvn -B -q -DskipTests package || die "mvn package failed"
fi
[ -f "$jar" ] || die "$jar not found"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
relay=$(free_port); gateway=$(free_port); issuer=$(free_port)
work=$(mktemp -d)
server=
stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}
on_exit() {
  rc=$?
  stop_server
  if [ "$rc" -ne 0 ] && [ -s "$work/server.log" ]; then
    echo "--- server log (last 20 lines) ---" >&2; tail -n 20 "$work/server.log" >&2
  fi
  rm -rf "$work"
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

cat > "$work/conf.json" <<JSON
{"profile":"demo","dataDir":"$work/data",
 "relay":{"port":$relay,"gatewayUrl":"http://127.0.0.1:$gateway"},
 "gateway":{"port":$gateway},
 "enclave":{"id":"5e1ec7ed00000001"},
 "issuer":{"port":$issuer},
 "log":{"port":0},
 "attestation":{"tlsPort":0}}
JSON
java -jar "$jar" serve --conf "$work/conf.json" > "$work/server.log" 2>&1 &
server=$!
up=0
for _ in $(seq 1 450); do
  kill -0 "$server" 2>/dev/null || die "server exited during startup"
  if (exec 3<>"/dev/tcp/127.0.0.1/$relay") 2>/dev/null \
     && (exec 3<>"/dev/tcp/127.0.0.1/$gateway") 2>/dev/null \
     && (exec 3<>"/dev/tcp/127.0.0.1/$issuer") 2>/dev/null \
     && grep -q "serving role" "$work/server.log"; then up=1; break; fi
  sleep 0.2
done
[ "$up" = 1 ] || die "server did not open its ports within 90 s"
echo "server up (relay :$relay, gateway :$gateway, issuer :$issuer); $(node --version), library @cloudflare/privacypass-ts $(node -p "require('$interop/node_modules/@cloudflare/privacypass-ts/package.json').version")" >&2

relay_url="http://127.0.0.1:$relay"
issuer_url="http://127.0.0.1:$issuer"

www=$(timeout "$step_timeout" java -jar "$jar" challenge --relay "$relay_url" --issuer "$issuer_url" --trust "$work/data/trust") \
  || die "challenge failed"
[[ "$www" == PrivateToken* ]] || die "challenge did not print a PrivateToken WWW-Authenticate value: $www"
echo "gateway WWW-Authenticate: ${www:0:100}..." >&2

# spend_and_replay TYPE LABEL: library obtains a token of TYPE, spent once (ok), then again (refused)
spend_and_replay() {
  local type=$1 label=$2 token out err
  token=$(printf '%s\n' "$www" | timeout "$step_timeout" node "$interop/client.mjs" --issuer "$issuer_url" --type "$type") \
    || die "type $type ($label): the library could not obtain a token from the issuer"
  [[ "$token" =~ ^[A-Za-z0-9_-]+=*$ ]] || die "type $type ($label): client printed a non-base64url token: $token"
  echo "type $type ($label): token issued to the library (${#token} base64url chars)" >&2

  if ! timeout "$step_timeout" java -jar "$jar" summarize --chat "$chat" --relay "$relay_url" --issuer "$issuer_url" --trust "$work/data/trust" \
       --token "$token" > "$work/out.$type" 2> "$work/err.$type"; then
    die "type $type ($label): gateway refused the library's token on first spend: $(tr '\n' ' ' < "$work/err.$type")"
  fi
  grep -q '"summary"' "$work/out.$type" || die "type $type ($label): first spend printed no summary"
  echo "type $type ($label): first spend accepted, summary:" >&2
  cat "$work/out.$type"

  set +e
  timeout "$step_timeout" java -jar "$jar" summarize --chat "$chat" --relay "$relay_url" --issuer "$issuer_url" --trust "$work/data/trust" \
    --token "$token" > "$work/out2.$type" 2> "$work/err2.$type"
  local rc=$?
  set -e
  err=$(tr '\n' ' ' < "$work/err2.$type")
  [ "$rc" -ne 0 ] || die "type $type ($label): replayed token was accepted"
  [ "$rc" -ne 124 ] || die "type $type ($label): replay timed out"
  grep -q "already been spent" "$work/err2.$type" || die "type $type ($label): replay failed for another reason (exit $rc): $err"
  echo "type $type ($label): replay refused (exit $rc): $err" >&2
}

spend_and_replay 2 "Blind RSA"
spend_and_replay 1 "VOPRF"
echo "interop privacypass-ts: type 1 (VOPRF, privately verifiable) also OK (issued to the library, redeemed once, replay refused)"
echo "interop privacypass-ts: OK (token issued by Private Processing's issuer to @cloudflare/privacypass-ts, redeemed once at the gateway, replay refused)"
