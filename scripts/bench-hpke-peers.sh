#!/usr/bin/env bash
# Issue #17: the project's HPKE decapsulation next to its peers, on one pinned core, in one run.
#
#   1. libsodium's bare X25519 in C (scripts/hpke-peers/sodium_x25519.c, Debian libsodium-dev):
#      one scalar multiplication, the floor of one DHKEM(X25519) decapsulation;
#   2. Cloudflare circl's HPKE receiver in Go (scripts/hpke-peers/circl_hpke.go, Debian
#      golang-go + golang-github-cloudflare-circl-dev, built offline): SetupBaseR + Open of 1 KiB,
#      X25519 / HKDF-SHA256 / AES-128-GCM;
#   3. JMH: CryptoPathBenchmark outerDecapsulateX25519, outerDecapsulateXWing, innerDecapsulate on
#      both HPKE backends (libsodium + JDK, and the BouncyCastle fallback = the code before #17),
#      and HpkePrimitivesBenchmark's bare X25519 (libsodium through JNA, BouncyCastle);
#   4. the C and Go peers again, so drift on a shared machine shows; their mean is the reference.
#
# Everything runs under `taskset -c $CPU`. Prints the load average before and after, each rate, the
# ratios against the targets (outerDecapsulateX25519 >= 1.0x circl, >= 0.7x bare libsodium X25519),
# then one JSON line. Takes about 6 minutes with the defaults.
# Usage: scripts/bench-hpke-peers.sh   (env: CPU=0, PEER_SECONDS=10, GC=1 adds JMH -prof gc,
#        JMH_OPTS="-f 1 -wi 3 -w 3s -i 5 -r 3s", JAVA=java)
# Needs: apt-get install -y golang-go golang-github-cloudflare-circl-dev libsodium-dev gcc
set -euo pipefail
cd "$(dirname "$0")/.."
cpu=${CPU:-0}
peer_s=${PEER_SECONDS:-10}
jmh_opts=${JMH_OPTS:--f 1 -wi 3 -w 3s -i 5 -r 3s}
java=${JAVA:-java}
out=target/hpke-peers
mkdir -p "$out"

missing=()
command -v taskset > /dev/null || missing+=(util-linux)
command -v gcc > /dev/null || missing+=(gcc)
command -v go > /dev/null || missing+=(golang-go)
[ -f /usr/include/sodium.h ] || missing+=(libsodium-dev)
[ -d /usr/share/gocode/src/github.com/cloudflare/circl/hpke ] || missing+=(golang-github-cloudflare-circl-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "missing: apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "== building the peers" >&2
gcc -O2 -o "$out/sodium_x25519" scripts/hpke-peers/sodium_x25519.c -lsodium
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$PWD/$out/gocache" \
  go build -o "$out/circl_hpke" scripts/hpke-peers/circl_hpke.go
mvn -B -q -Dstyle.color=never test-compile > /dev/null
cp_file=target/bench-classpath.txt
mvn -B -q -Dstyle.color=never dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" > /dev/null
classpath="target/test-classes:target/classes:$(cat "$cp_file")"

pin=(taskset -c "$cpu")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== CPU $cpu of $(nproc) ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')); $("$java" -version 2>&1 | head -1); load average before: $load_before" >&2

peers() {
  "${pin[@]}" "$out/sodium_x25519" "$peer_s"
  "${pin[@]}" "$out/circl_hpke" "$peer_s"
}
echo "== 1-2/4 peers (C libsodium, Go circl), ${peer_s} s each" >&2
first=$(peers)
echo "$first" >&2

echo "== 3/4 JMH ($jmh_opts)" >&2
jmh_json="$out/jmh.json"
prof=()
[ "${GC:-0}" = 1 ] && prof=(-prof gc)
# shellcheck disable=SC2086 # jmh_opts is a list of options
"${pin[@]}" "$java" -cp "$classpath" org.openjdk.jmh.Main $jmh_opts "${prof[@]}" -rf json -rff "$jmh_json" \
  'CryptoPathBenchmark\.(outerDecapsulateX25519|outerDecapsulateXWing|innerDecapsulate)$' \
  'HpkePrimitivesBenchmark\.x25519' > "$out/jmh.log" 2>&1 \
  || { echo "JMH failed; see $out/jmh.log" >&2; tail -20 "$out/jmh.log" >&2; exit 1; }
grep -E "^Benchmark|^(CryptoPath|HpkePrimitives)Benchmark" "$out/jmh.log" >&2 || true

echo "== 4/4 peers again" >&2
second=$(peers)
echo "$second" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average after: $load_after" >&2

python3 - "$jmh_json" "$first" "$second" "$load_before" "$load_after" "$cpu" <<'PY'
import json, sys
jmh_file, first, second, load_before, load_after, cpu = sys.argv[1:7]

def peer(lines, name):
    for line in lines.splitlines():
        parts = line.split()
        if parts and parts[0] == name:
            return float(parts[1]), parts[2]
    raise SystemExit("no %s line in: %r" % (name, lines))

c1, sodium_version = peer(first, "libsodium-x25519")
c2, _ = peer(second, "libsodium-x25519")
g1, go_version = peer(first, "circl-hpke-setupR-open-1KiB")
g2, _ = peer(second, "circl-hpke-setupR-open-1KiB")
c, g = (c1 + c2) / 2, (g1 + g2) / 2

rates = {}
for r in json.load(open(jmh_file)):
    name = r["benchmark"].rsplit(".", 1)[1]
    backend = r.get("params", {}).get("crypto")
    key = name + ("[" + backend + "]" if backend else "")
    m = r["primaryMetric"]
    rates[key] = (m["score"], m["scoreError"])
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    if alloc:
        rates[key + " B/op"] = (alloc["score"], alloc["scoreError"])

print("%-44s %12s" % ("", "ops/s"))
print("%-44s %12.0f  (%.0f, %.0f; libsodium %s)" % ("C libsodium X25519 (bare)", c, c1, c2, sodium_version))
print("%-44s %12.0f  (%.0f, %.0f; %s)" % ("Go circl HPKE setupR+open 1 KiB", g, g1, g2, go_version))
for k, (score, err) in sorted(rates.items()):
    print("%-44s %12.0f ± %.0f" % (k, score, err))

def ratio(key, ref):
    return round(rates[key][0] / ref, 3) if key in rates else None

out = {
    "cpu": int(cpu), "loadBefore": load_before, "loadAfter": load_after,
    "libsodiumX25519C": round(c, 1), "circlHpke": round(g, 1),
    "rates": {k: round(v[0], 1) for k, v in rates.items()},
    "outerX25519OverCircl": ratio("outerDecapsulateX25519[libsodium]", g),
    "outerX25519OverLibsodium": ratio("outerDecapsulateX25519[libsodium]", c),
    "bouncycastleOuterX25519OverCircl": ratio("outerDecapsulateX25519[bouncycastle]", g),
    "bouncycastleOuterX25519OverLibsodium": ratio("outerDecapsulateX25519[bouncycastle]", c),
    "jnaX25519OverC": ratio("x25519Libsodium", c),
}
print()
for label, key, target in [
        ("outerDecapsulateX25519 (libsodium) / circl", "outerX25519OverCircl", 1.0),
        ("outerDecapsulateX25519 (libsodium) / bare libsodium X25519", "outerX25519OverLibsodium", 0.7),
        ("outerDecapsulateX25519 (BouncyCastle) / circl", "bouncycastleOuterX25519OverCircl", None),
        ("outerDecapsulateX25519 (BouncyCastle) / bare libsodium X25519", "bouncycastleOuterX25519OverLibsodium", None),
        ("libsodium X25519 through JNA / in C", "jnaX25519OverC", None)]:
    v = out[key]
    verdict = "" if target is None or v is None else ("  target >= %.1f: %s" % (target, "met" if v >= target else "NOT met"))
    print("%-62s %s%s" % (label, v, verdict))
print(json.dumps(out))
PY
