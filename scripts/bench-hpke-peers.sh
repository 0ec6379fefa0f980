#!/usr/bin/env bash
# Issue #17: the project's HPKE decapsulation next to its peers, on one pinned core, in one run.
#
# Peers:
#   - libsodium's bare X25519 in C (scripts/hpke-peers/sodium_x25519.c, Debian libsodium-dev):
#     one scalar multiplication, the floor of one DHKEM(X25519) decapsulation;
#   - Cloudflare circl's HPKE receiver in Go (scripts/hpke-peers/circl_hpke.go, Debian golang-go
#     + golang-github-cloudflare-circl-dev, built offline): SetupBaseR + Open of 1 KiB,
#     X25519 / HKDF-SHA256 / AES-128-GCM.
# Project (JMH): CryptoPathBenchmark.outerDecapsulateX25519 (the same work, ~1.1 KiB), and
# HpkePrimitivesBenchmark's bare X25519 through JNA and in BouncyCastle.
#
# On a shared machine the load moves within minutes, so the ratios come from ROUNDS rounds, each
# running the C peer, the Go peer and the JMH benchmarks back to back (the ratios of one round share
# the machine's state); the median round is reported. Then one JMH run measures the decapsulation
# table on both backends (libsodium + JDK, and the BouncyCastle fallback, which is the code before
# issue #17): outerDecapsulateX25519, outerDecapsulateXWing, innerDecapsulate.
#
# Everything runs under `taskset -c $CPU`. Prints the load average before and after, each rate, the
# ratios against the targets (outerDecapsulateX25519 >= 1.0x circl, >= 0.7x bare libsodium X25519),
# then one JSON line. Takes about 8 minutes with the defaults.
# Usage: scripts/bench-hpke-peers.sh   (env: CPU=0, ROUNDS=3, PEER_SECONDS=6, GC=1 adds JMH -prof gc
#        to the table, JAVA=java)
# Needs: apt-get install -y golang-go golang-github-cloudflare-circl-dev libsodium-dev gcc
set -euo pipefail
cd "$(dirname "$0")/.."
cpu=${CPU:-0}
rounds=${ROUNDS:-3}
peer_s=${PEER_SECONDS:-6}
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

jmh() {
  local json=$1
  shift
  "${pin[@]}" "$java" -cp "$classpath" org.openjdk.jmh.Main -rf json -rff "$json" "$@" >> "$out/jmh.log" 2>&1 \
    || { echo "JMH failed; see $out/jmh.log" >&2; tail -20 "$out/jmh.log" >&2; exit 1; }
}
: > "$out/jmh.log"
for r in $(seq 1 "$rounds"); do
  echo "== round $r/$rounds: C libsodium, Go circl (${peer_s} s each), JMH outerDecapsulateX25519 + bare X25519" >&2
  {
    "${pin[@]}" "$out/sodium_x25519" "$peer_s"
    "${pin[@]}" "$out/circl_hpke" "$peer_s"
  } > "$out/round$r.peers"
  cat "$out/round$r.peers" >&2
  jmh "$out/round$r.json" -f 1 -wi 3 -w 2s -i 3 -r 2s -p crypto=libsodium \
    'CryptoPathBenchmark\.outerDecapsulateX25519$' 'HpkePrimitivesBenchmark\.x25519'
done

echo "== table: decapsulation on both backends" >&2
prof=()
[ "${GC:-0}" = 1 ] && prof=(-prof gc)
jmh "$out/table.json" -f 1 -wi 3 -w 3s -i 5 -r 3s "${prof[@]}" \
  'CryptoPathBenchmark\.(outerDecapsulateX25519|outerDecapsulateXWing|innerDecapsulate)$'
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average after: $load_after" >&2

python3 - "$out" "$rounds" "$load_before" "$load_after" "$cpu" <<'PY'
import json, statistics, sys
out, rounds, load_before, load_after, cpu = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]

def peers(path):
    rates = {}
    for line in open(path):
        parts = line.split()
        rates[parts[0]] = (float(parts[1]), parts[2])
    return rates

def jmh(path):
    rates = {}
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        backend = r.get("params", {}).get("crypto")
        key = name + ("[" + backend + "]" if backend else "")
        rates[key] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        if alloc:
            rates[key + " B/op"] = (alloc["score"], alloc["scoreError"])
    return rates

rows = []
for r in range(1, rounds + 1):
    p, j = peers("%s/round%d.peers" % (out, r)), jmh("%s/round%d.json" % (out, r))
    c, g = p["libsodium-x25519"][0], p["circl-hpke-setupR-open-1KiB"][0]
    outer, jna, bc = j["outerDecapsulateX25519[libsodium]"][0], j["x25519Libsodium"][0], j["x25519BouncyCastle"][0]
    rows.append({"round": r, "libsodiumC": round(c), "circl": round(g), "outerX25519": round(outer),
                 "x25519Jna": round(jna), "x25519BouncyCastle": round(bc),
                 "outerOverCircl": round(outer / g, 3), "outerOverLibsodium": round(outer / c, 3),
                 "jnaOverC": round(jna / c, 3)})
versions = "libsodium %s, %s" % (p["libsodium-x25519"][1], p["circl-hpke-setupR-open-1KiB"][1])

print("per round (ops/s; all on CPU %s; %s):" % (cpu, versions))
print("%5s %10s %10s %14s %10s %10s %12s %12s %9s" % ("round", "C X25519", "Go circl", "outerX25519", "JNA X25519", "BC X25519",
                                                      "outer/circl", "outer/C", "JNA/C"))
for x in rows:
    print("%5d %10d %10d %14d %10d %10d %12.3f %12.3f %9.3f" % (x["round"], x["libsodiumC"], x["circl"], x["outerX25519"],
                                                              x["x25519Jna"], x["x25519BouncyCastle"], x["outerOverCircl"],
                                                              x["outerOverLibsodium"], x["jnaOverC"]))
median = {k: statistics.median(x[k] for x in rows) for k in ("outerOverCircl", "outerOverLibsodium", "jnaOverC")}

table = jmh(out + "/table.json")
print()
print("decapsulation, both backends (ops/s, JMH 99.9% error):")
for k, (score, err) in sorted(table.items()):
    print("  %-44s %10.0f ± %.0f" % (k, score, err))
print()
print("load average before: %s, after: %s" % (load_before, load_after))
for label, key, target in [("outerDecapsulateX25519 / circl HPKE", "outerOverCircl", 1.0),
                           ("outerDecapsulateX25519 / bare libsodium X25519 (C)", "outerOverLibsodium", 0.7),
                           ("libsodium X25519 through JNA / in C", "jnaOverC", None)]:
    v = median[key]
    verdict = "" if target is None else "   target >= %.1f: %s" % (target, "met" if v >= target else "NOT met")
    print("median of %d rounds, %-50s %.3f%s" % (rounds, label, v, verdict))
print(json.dumps({"cpu": int(cpu), "loadBefore": load_before, "loadAfter": load_after, "rounds": rows,
                  "median": median, "table": {k: round(v[0], 1) for k, v in table.items()}}))
PY
