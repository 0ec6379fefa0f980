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
# running the C peer, the Go peer and the JMH benchmarks back to back; the median round is
# reported. Each program reports two rates: per second of wall time (what JMH prints) and per
# second of its process's CPU time (C: clock_gettime, Go: getrusage, JMH: CpuTimeProfiler). When
# other work shares the core, a process gets a varying share of it and the wall rates swing with
# that share; the CPU rates do not, so the targets are judged on the CPU-time ratios and the
# wall-time ratios are printed beside them (on a quiet machine the two agree). Then one JMH run
# measures the decapsulation table on both backends (libsodium + JDK, and the BouncyCastle
# fallback, which is the code before issue #17): outerDecapsulateX25519, outerDecapsulateXWing,
# innerDecapsulate.
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

cpu_profiler=org.privateprocessing.bench.CpuTimeProfiler
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
  jmh "$out/round$r.json" -f 1 -wi 5 -w 2s -i 3 -r 2s -p crypto=libsodium -prof "$cpu_profiler" \
    'CryptoPathBenchmark\.outerDecapsulateX25519$' 'HpkePrimitivesBenchmark\.x25519'
done

echo "== table: decapsulation on both backends" >&2
prof=()
[ "${GC:-0}" = 1 ] && prof=(-prof gc)
jmh "$out/table.json" -f 1 -wi 3 -w 3s -i 5 -r 3s -prof "$cpu_profiler" "${prof[@]}" \
  'CryptoPathBenchmark\.(outerDecapsulateX25519|outerDecapsulateXWing|innerDecapsulate)$'
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== load average after: $load_after" >&2

python3 - "$out" "$rounds" "$load_before" "$load_after" "$cpu" <<'PY'
import json, statistics, sys
out, rounds, load_before, load_after, cpu = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]

def peers(path):
    """name -> (wall rate, CPU rate, version)"""
    rates = {}
    for line in open(path):
        parts = line.split()
        rates[parts[0]] = (float(parts[1]), float(parts[2]), parts[3])
    return rates

def jmh(path):
    """benchmark[backend] -> (wall rate, error, CPU rate, bytes per op or None)"""
    rates = {}
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        backend = r.get("params", {}).get("crypto")
        key = name + ("[" + backend + "]" if backend else "")
        m, sec = r["primaryMetric"], r.get("secondaryMetrics", {})
        cpu_rate = sec.get("cpu.rate", {}).get("score")
        alloc = sec.get("gc.alloc.rate.norm", {}).get("score")
        rates[key] = (m["score"], m["scoreError"], cpu_rate, alloc)
    return rates

rows = []
for r in range(1, rounds + 1):
    p, j = peers("%s/round%d.peers" % (out, r)), jmh("%s/round%d.json" % (out, r))
    c, g = p["libsodium-x25519"], p["circl-hpke-setupR-open-1KiB"]
    outer, jna, bc = j["outerDecapsulateX25519[libsodium]"], j["x25519Libsodium"], j["x25519BouncyCastle"]
    rows.append({"round": r,
                 "wall": {"libsodiumC": round(c[0]), "circl": round(g[0]), "outerX25519": round(outer[0]),
                          "x25519Jna": round(jna[0]), "x25519BouncyCastle": round(bc[0])},
                 "cpu": {"libsodiumC": round(c[1]), "circl": round(g[1]), "outerX25519": round(outer[2]),
                         "x25519Jna": round(jna[2]), "x25519BouncyCastle": round(bc[2])}})
    for kind in ("wall", "cpu"):
        x = rows[-1][kind]
        x["outerOverCircl"] = round(x["outerX25519"] / x["circl"], 3)
        x["outerOverLibsodium"] = round(x["outerX25519"] / x["libsodiumC"], 3)
        x["jnaOverC"] = round(x["x25519Jna"] / x["libsodiumC"], 3)
versions = "libsodium %s, %s" % (p["libsodium-x25519"][2], p["circl-hpke-setupR-open-1KiB"][2])

cols = ("libsodiumC", "circl", "outerX25519", "x25519Jna", "x25519BouncyCastle", "outerOverCircl", "outerOverLibsodium", "jnaOverC")
print("per round, on CPU %s (%s); rates in ops per second of wall time / of the process's CPU time:" % (cpu, versions))
print("%5s %4s %9s %9s %12s %10s %9s %12s %9s %6s" % ("round", "", "C X25519", "Go circl", "outerX25519", "JNA X25519", "BC X25519",
                                                     "outer/circl", "outer/C", "JNA/C"))
for x in rows:
    for kind in ("wall", "cpu"):
        v = x[kind]
        print("%5s %4s %9d %9d %12d %10d %9d %12.3f %9.3f %6.3f" % (x["round"] if kind == "wall" else "", kind,
              *(v[k] for k in cols)))
median = {kind: {k: statistics.median(x[kind][k] for x in rows) for k in cols} for kind in ("wall", "cpu")}

table = jmh(out + "/table.json")
print()
print("decapsulation, both backends: ops per wall second (JMH, 99.9% error), per CPU second, bytes allocated per op:")
for k, (score, err, cpu_rate, alloc) in sorted(table.items()):
    print("  %-38s %9.0f ± %-7.0f %9s %9s" % (k, score, err, "%.0f" % cpu_rate if cpu_rate else "-", "%.0f" % alloc if alloc else "-"))
print()
print("load average before: %s, after: %s" % (load_before, load_after))
for label, key, target in [("outerDecapsulateX25519 / circl HPKE", "outerOverCircl", 1.0),
                           ("outerDecapsulateX25519 / bare libsodium X25519 (C)", "outerOverLibsodium", 0.7),
                           ("libsodium X25519 through JNA / in C", "jnaOverC", None)]:
    c, w = median["cpu"][key], median["wall"][key]
    verdict = "" if target is None else "   target >= %.1f: %s" % (target, "met" if c >= target else "NOT met")
    print("median of %d rounds, %-50s CPU time %.3f (wall time %.3f)%s" % (rounds, label, c, w, verdict))
print(json.dumps({"cpu": int(cpu), "loadBefore": load_before, "loadAfter": load_after, "rounds": rows, "median": median,
                  "table": {k: {"wall": round(v[0], 1), "cpu": v[2] and round(v[2], 1), "bytesPerOp": v[3] and round(v[3])}
                            for k, v in table.items()}}))
PY
