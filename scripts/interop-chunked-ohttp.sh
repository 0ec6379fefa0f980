#!/usr/bin/env bash
# Interoperability check of chunked Oblivious HTTP (draft-ietf-ohai-chunked-ohttp-08) against an
# independent implementation, interop/chunked-ohttp/check.mjs: written from the draft's text on
# hpke-js (@hpke/core 1.9.0, @hpke/dhkem-x25519, @hpke/chacha20poly1305), node's own HKDF and the
# quicvarint package, from the npm registry. No ready-made chunked OHTTP package resolves from the
# registry here (ohttp-ts is not served; netty-incubator-codec-ohttp's parent POM is missing).
#   1. the peer reproduces both roles of every vector byte for byte: the draft's Appendix A
#      (made by the draft's authors with the ohttp crate) and the project's own vectors;
#   2. live exchanges with fresh randomness, each way, both AEADs: our client to its gateway and
#      back, its client to our gateway and back, and it calls our response without its final
#      chunk incomplete (ChunkedOhttpNodeInteropTest with -Dpp.interop.chunked=require).
# Usage: scripts/interop-chunked-ohttp.sh
set -euo pipefail
cd "$(dirname "$0")/.."
peer=interop/chunked-ohttp
die() { echo "interop chunked-ohttp: FAILED: $*" >&2; exit 1; }
command -v node >/dev/null || die "node is not installed"
command -v npm >/dev/null || die "npm is not installed"

if [ ! -d "$peer/node_modules/@hpke/core" ]; then
  (cd "$peer" && timeout 300 npm ci --no-audit --no-fund >&2) || die "npm ci in $peer failed"
fi
echo "--- vectors, both roles, on $(node --version) with @hpke/core $(node -p "require('./$peer/node_modules/@hpke/core/package.json').version")"
(cd "$peer" && timeout 120 node check.mjs vectors \
  ../../src/test/resources/vectors/ohttp/chunked-ohttp-08-a.json \
  ../../src/test/resources/vectors/ohttp/chunked-ohttp-pp.json) || die "vector check failed"
echo "--- live exchanges each way"
timeout 900 mvn -B -q test -Dtest=ChunkedOhttpNodeInteropTest -Dpp.interop.chunked=require \
  -Dsurefire.failIfNoSpecifiedTests=false || die "live exchanges failed"
echo "interop chunked-ohttp: OK"
