#!/usr/bin/env bash
# Fault run: a local cluster (scripts/cluster.sh, 2 enclaves + 2 gateways), a loadtest through the
# relay at a moderate rate, and one JVM of ROLE killed hard (SIGKILL) about KILL_AT seconds in.
# Then it checks, from the loadtest's own output:
#   - the JSON line: sent == ok + failedClear and failedUnclear == 0 (every request got an answer:
#     a success or a clear, typed error; none hung past --timeout);
#   - the per-second progress lines: the answered rate is back to >= 90% of the target within
#     RECOVER_S seconds of the kill.
# Prints the progress lines, the verdict, and exits 0 only if both hold. Bounded in time: the
# loadtest stops by itself; the cluster is stopped on every exit (trap), also on Ctrl-C.
#
# Usage: scripts/fault-run.sh enclave|gateway   (wrappers: scripts/fault-enclave.sh, scripts/fault-gateway.sh)
# Environment: RATE (default 40 req/s), DURATION (40s), KILL_AT (10 s), RECOVER_S (10 s),
#   CONCURRENCY (64), TIMEOUT_MS (20000), KEEP=1 leaves the cluster running afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
role=${1:-}
[[ "$role" == enclave || "$role" == gateway ]] || { echo "usage: scripts/fault-run.sh enclave|gateway" >&2; exit 2; }
rate=${RATE:-40}
duration=${DURATION:-40s}
kill_at=${KILL_AT:-10}
recover_s=${RECOVER_S:-10}
concurrency=${CONCURRENCY:-64}
timeout_ms=${TIMEOUT_MS:-20000}
jar=target/private-processing.jar
run=target/cluster
out=target/fault-$role
mkdir -p "$out"

loadtest_pid=
cleanup() {
  [ -n "$loadtest_pid" ] && kill "$loadtest_pid" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || scripts/cluster.sh stop || true
}
trap cleanup EXIT

scripts/cluster.sh start --enclaves 2 --gateways 2
# The relay sends to both gateways in turn (they share one key directory), and the SDK spreads
# requests over both enclaves, so either victim will do: kill the first.
victim=1

echo "loadtest: $rate req/s for $duration, concurrency $concurrency, timeout ${timeout_ms} ms; killing $role-$victim at ~${kill_at}s"
# A warm-up at the same rate first (not counted): a cold JVM on a shared 2-core machine is slow.
java -jar "$jar" loadtest --relay http://127.0.0.1:8080 --issuer http://127.0.0.1:8082 --trust "$run/data/trust" \
  --rate "$rate" --duration "$duration" --concurrency "$concurrency" --timeout "${timeout_ms}ms" --warmup 10s \
  > "$out/result.json" 2> "$out/progress.log" &
loadtest_pid=$!

# Progress lines start once the counted run starts: "[ 10.0s] sent ..." is 10 s into it.
waited=0
until grep -Eq "^\[ *${kill_at}\.[0-9]s\]" "$out/progress.log" 2>/dev/null; do
  kill -0 "$loadtest_pid" 2>/dev/null || { cat "$out/progress.log" >&2; echo "loadtest ended before the kill" >&2; exit 1; }
  [ "$waited" -lt 600 ] || { echo "no progress line for ${kill_at}s after 120 s" >&2; exit 1; }
  sleep 0.2; waited=$((waited + 1))
done
killed_line=$(grep -E '^\[ *[0-9.]+s\]' "$out/progress.log" | tail -1)
scripts/cluster.sh kill-$role "$victim"
echo "killed at: $killed_line"

wait "$loadtest_pid" || true
loadtest_pid=
grep -E '^\[ *[0-9.]+s\]' "$out/progress.log" || true
grep -vE '^\[ *[0-9.]+s\]' "$out/progress.log" | grep -v "^WARNING: trusting" || true
echo "JSON: $(tail -1 "$out/result.json")"

python3 - "$out/result.json" "$out/progress.log" "$killed_line" "$rate" "$recover_s" <<'PY'
import json, re, sys
result_file, progress_file, killed_line, rate, recover_s = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
line = open(result_file).read().strip().splitlines()[-1]
j = json.loads(line)
pattern = re.compile(r"^\[\s*([0-9.]+)s\] sent (\d+), ok (\d+), failed (\d+), ([0-9.]+) req/s")
progress = [tuple(float(x) for x in m.groups()) for m in map(pattern.match, open(progress_file)) if m]
kill_t = float(pattern.match(killed_line).group(1))
after = [p for p in progress if p[0] > kill_t]
full = 0.9 * rate
# The first second at >= 90% of the target after the kill, and the worst second before it.
back = next((p for p in after if p[4] >= full), None)
dip = min((p[4] for p in after if back is None or p[0] <= back[0]), default=None)
recovered_s = None if back is None else back[0] - kill_t
accounted = j["sent"] == j["ok"] + j["failedClear"]
unclear = j.get("failedUnclear", 0)
print(f"kill at {kill_t:.1f}s; lowest rate after it {dip} req/s; back to >= {full:.0f} req/s "
      + (f"{recovered_s:.1f}s after the kill" if back else "NEVER"))
print(f"sent {j['sent']} = ok {j['ok']} + failedClear {j['failedClear']}: {accounted}; failedUnclear {unclear}")
ok = accounted and unclear == 0 and back is not None and recovered_s <= recover_s
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
PY
