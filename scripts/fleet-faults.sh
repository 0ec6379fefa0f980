#!/usr/bin/env bash
# The fleet under faults: a local cluster (scripts/cluster.sh: issuer, 2 enclaves, 2 gateways on one
# key directory, one relay in front of both), bounded load runs through the relay with the real SDK
# (loadtest --check-replays: each request spends one token; at the end every token is sent once
# more and must be refused as token-replayed), and one fault per run:
#
#   spread   no fault: the share of requests each gateway served (each gateway's GET /metrics)
#   issuer   kill -9 the issuer at KILL_AT s, start it again OUTAGE s later (a JVM start: seconds to
#            tens of seconds on a loaded machine, so these runs last FAULT_DURATION)
#   redis    kill -9 redis-server at KILL_AT s, start it again OUTAGE s later (only with --redis)
#   gateway  kill -9 gateway-1 at KILL_AT s (not restarted: the survivor serves alone)
#   restart  the whole fleet between issuance and redemption: fetch TOKENS tokens (and spend one),
#            kill -9 every JVM (and redis-server), start everything again, redeem each token twice
#
# A run PASSes when: sent == ok + failedClear + failedUnclear and failedUnclear == 0 (every request
# answered or failed with a typed problem; none hung or vanished), 0 double spends (no token whose
# request was answered is accepted again), every replay was refused or (after a failed first
# request, never spent) accepted once, and requests succeeded in the run's last 10 s (service came
# back by itself). The restart scenario PASSes when each token fetched before redeems once after the
# restart and is refused (token-replayed) the second time; with --redis a token spent before the
# restart is refused after it as well (with the cluster store it is forgotten: that store is the
# cluster's memory, see docs/OPERATIONS.md, and the table says so). Prints one summary table and
# exits 1 if any run failed.
#
# Usage: scripts/fleet-faults.sh [--redis] [SCENARIO ...]   (default: every scenario, in the order above)
# Environment: RATE (default 20 req/s), DURATION (40s; FAULT_DURATION, default 70s, for the issuer and
#   redis runs), KILL_AT (10), OUTAGE (5), CONCURRENCY (32), TIMEOUT (15s), TOKENS (3), KEEP=1 leaves
#   the cluster running afterwards.
# Loopback only; each run is bounded (about a minute). Output in target/fleet-faults/<store>/.
set -euo pipefail
cd "$(dirname "$0")/.."

use_redis=no
scenarios=()
for a in "$@"; do
  case "$a" in
    --redis) use_redis=yes ;;
    spread|issuer|redis|gateway|restart) scenarios+=("$a") ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fleet-faults.sh: unknown argument '$a' (use --redis and any of: spread issuer redis gateway restart)" >&2; exit 2 ;;
  esac
done
if [ ${#scenarios[@]} -eq 0 ]; then
  scenarios=(spread issuer)
  [ "$use_redis" = yes ] && scenarios+=(redis)
  scenarios+=(gateway restart)
fi
for s in "${scenarios[@]}"; do
  [ "$s" != redis ] || [ "$use_redis" = yes ] || { echo "fleet-faults.sh: the redis scenario needs --redis" >&2; exit 2; }
done

rate=${RATE:-20}
duration=${DURATION:-40s}
kill_at=${KILL_AT:-10}
outage=${OUTAGE:-5}
fault_duration=${FAULT_DURATION:-70s}
concurrency=${CONCURRENCY:-32}
timeout=${TIMEOUT:-15s}
tokens=${TOKENS:-3}
for v in "$rate" "$kill_at" "$outage" "$concurrency" "$tokens"; do
  [[ "$v" =~ ^[0-9]+$ && "$v" -gt 0 ]] || { echo "fleet-faults.sh: RATE, KILL_AT, OUTAGE, CONCURRENCY and TOKENS take whole numbers above 0, not '$v'" >&2; exit 2; }
done

jar=target/private-processing.jar
run=target/cluster
trust=$run/data/trust
relay=http://127.0.0.1:8080
issuer=http://127.0.0.1:8082
store=$([ "$use_redis" = yes ] && echo redis || echo cluster)
out=target/fleet-faults/$store
mkdir -p "$out"
start_opts=(--enclaves 2 --gateways 2)
[ "$use_redis" = yes ] && start_opts+=(--redis)
rows=()
failed=0

loadtest_pid=
cleanup() {
  [ -n "$loadtest_pid" ] && kill "$loadtest_pid" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || scripts/cluster.sh stop > /dev/null || true
  if [ "${KEEP:-0}" != 1 ] && [ -f "$run/redis.pid" ] && kill -0 "$(cat "$run/redis.pid")" 2>/dev/null; then
    kill "$(cat "$run/redis.pid")" 2>/dev/null || true
  fi
}
trap cleanup EXIT

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# Requests gateway i has answered so far (its admin listener's pp_requests_total, stage gateway);
# empty when it does not answer (killed).
gateway_requests() {
  curl -s --max-time 3 "http://127.0.0.1:$((9100 + $1))/metrics" 2>/dev/null |
    awk '/^pp_requests_total\{/ && /stage="gateway"/ { s += $NF; seen = 1 } END { if (seen) printf "%d\n", s }'
  return 0
}

# The cluster's enclaves announce themselves every second; the relay needs a listing to serve.
await_serving() {
  for _ in $(seq 1 60); do
    if java -jar "$jar" summarize --relay "$relay" --issuer "$issuer" --trust "$trust" \
      --chat conf/examples/chat.json > /dev/null 2>&1; then return 0; fi
    sleep 2
  done
  echo "the fleet does not serve a request after 120 s; see $run/*.log" >&2
  return 1
}

# load_run NAME FAULT: a loadtest with the replay check; FAULT (kill-issuer, ...) at KILL_AT s.
load_run() {
  local name=$1 fault=${2:-} dir=$out/$1 length=$duration
  case "${2:-}" in kill-issuer|kill-redis) length=$fault_duration ;; esac
  mkdir -p "$dir"
  local g1_before g2_before g1_at= g2_at= load_before
  g1_before=$(gateway_requests 1); g2_before=$(gateway_requests 2)
  load_before=$(load_average)
  echo "== $name: $rate req/s for $length, concurrency $concurrency, timeout $timeout${fault:+; $fault at ${kill_at}s} (load average $load_before)"
  # Emptied first: the fault waits for a progress line, never one left by an earlier run.
  : > "$dir/progress.log"; : > "$dir/result.json"
  java -jar "$jar" loadtest --relay "$relay" --issuer "$issuer" --trust "$trust" --rate "$rate" \
    --duration "$length" --concurrency "$concurrency" --timeout "$timeout" --warmup 5s --check-replays \
    > "$dir/result.json" 2> "$dir/progress.log" &
  loadtest_pid=$!
  local fault_line= back_line=
  if [ -n "$fault" ]; then
    local waited=0
    until grep -Eq "^\[ *${kill_at}\.[0-9]s\]" "$dir/progress.log" 2>/dev/null; do
      kill -0 "$loadtest_pid" 2>/dev/null || { cat "$dir/progress.log" >&2; echo "loadtest ended before the fault" >&2; return 1; }
      [ "$waited" -lt 900 ] || { echo "no progress line at ${kill_at}s after 180 s" >&2; return 1; }
      sleep 0.2; waited=$((waited + 1))
    done
    g1_at=$(gateway_requests 1); g2_at=$(gateway_requests 2)
    fault_line=$(grep -E '^\[ *[0-9.]+s\]' "$dir/progress.log" | tail -1 || true)
    case "$fault" in
      kill-issuer) scripts/cluster.sh kill-issuer; sleep "$outage"; scripts/cluster.sh start-issuer > "$dir/restart.log" ;;
      kill-redis) scripts/cluster.sh kill-redis; sleep "$outage"; scripts/cluster.sh start-redis > "$dir/restart.log" ;;
      kill-gateway) scripts/cluster.sh kill-gateway 1 ;;
    esac
    echo "   fault at: $fault_line"
    if [ "$fault" != kill-gateway ]; then
      back_line=$(grep -E '^\[ *[0-9.]+s\]' "$dir/progress.log" | tail -1 || true)
      echo "   back (listening again) at: $back_line"
    fi
  fi
  local rc=0
  wait "$loadtest_pid" || rc=$?
  loadtest_pid=
  local g1_after g2_after load_after
  g1_after=$(gateway_requests 1); g2_after=$(gateway_requests 2)
  load_after=$(load_average)
  grep -vE '^\[ *[0-9.]+s\]|^WARNING: trusting' "$dir/progress.log" | sed 's/^/   /' || true
  local row
  row=$(python3 - "$dir/result.json" "$dir/progress.log" "$name" "$rc" "$load_before" "$load_after" \
    "${g1_before:-}" "${g1_at:-}" "${g1_after:-}" "${g2_before:-}" "${g2_at:-}" "${g2_after:-}" \
    "$fault_line" "$back_line" <<'PY'
import json, re, sys
(result, progress, name, rc, load_before, load_after,
 g1b, g1a, g1e, g2b, g2a, g2e, fault_line, back_line) = sys.argv[1:15]
lines = [l for l in open(result).read().splitlines() if l.startswith("{")]
if not lines:
    print(f"{name}\tNO RESULT (loadtest exit {rc}; see its progress.log)\t\t\t\t\t\t\t\tFAIL")
    sys.exit(0)
j = json.loads(lines[-1])
n = lambda s: int(s) if s else None
# Requests each gateway answered during the run (and its replays); a killed one counts up to its kill.
def served(b, a, e):
    b, a, e = n(b), n(a), n(e)
    end = e if e is not None else a
    return None if b is None or end is None else end - b
s1, s2 = served(g1b, g1a, g1e), served(g2b, g2a, g2e)
total = (s1 or 0) + (s2 or 0)
share = "-" if not total else f"{s1}/{s2} ({100.0 * (s1 or 0) / total:.0f}%/{100.0 * (s2 or 0) / total:.0f}%)"
pattern = re.compile(r"^\[\s*([0-9.]+)s\] sent (\d+), ok (\d+), failed (\d+)")
prog = [tuple(float(x) for x in m.groups()) for m in map(pattern.match, open(progress)) if m]
end_t = prog[-1][0] if prog else 0
ok_at = lambda t: max([p[2] for p in prog if p[0] <= t] or [0])
ok_last10 = (prog[-1][2] - ok_at(end_t - 10)) if prog else 0
# Seconds from the fault to the node listening again, and from then to the first success after it.
line_t = lambda l: float(pattern.match(l).group(1)) if l and pattern.match(l) else None
fault_t, back_t = line_t(fault_line), line_t(back_line)
outage = "-"
if fault_t is not None:
    fault_ok = ok_at(fault_t)
    since = back_t if back_t is not None else fault_t
    resumed = next((p[0] for p in prog if p[0] > since and p[2] > ok_at(p[0] - 1) and p[2] > fault_ok), None)
    outage = (f"fault {fault_t:.0f}s" + (f", back {back_t:.0f}s" if back_t is not None else "")
              + (f", successes again {resumed - since:.0f}s after" if resumed is not None else ", NO success after"))
accounted = j["sent"] == j["ok"] + j["failedClear"] + j["failedUnclear"]
unverified = j.get("replayOther", 0)
ok = (accounted and j["failedUnclear"] == 0 and j.get("doubleSpent", 1) == 0 and unverified == 0
      and ok_last10 > 0)
types = ", ".join(f"{k} x{v}" for k, v in j.get("failedByType", {}).items()) or "-"
print("\t".join(str(x) for x in [
    name, j["sent"], j["ok"], j["failedClear"], j["failedUnclear"], j["rps"], j["p50Ms"], j["p99Ms"],
    j["maxMs"], f'{j.get("replayRefused")}/{j.get("replayChecked")}', j.get("doubleSpent"),
    j.get("replayAcceptedAfterFailure"), unverified, int(ok_last10), outage, share, types,
    load_before, load_after, "PASS" if ok else "FAIL"]))
PY
)
  rows+=("$row")
  case "$row" in *FAIL) failed=1 ;; esac
}

# restart_run: tokens fetched before a whole-fleet kill -9 redeem once after it, and only once.
restart_run() {
  local dir=$out/restart
  mkdir -p "$dir"
  local load_before
  load_before=$(load_average)
  echo "== restart: $tokens token(s) fetched (and one more spent) before a whole-fleet kill -9, redeemed after it"
  local kept=() i
  for i in $(seq 1 "$tokens"); do
    kept+=("$(java -jar "$jar" token --relay "$relay" --issuer "$issuer" --trust "$trust" 2> "$dir/token-$i.err" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')")
  done
  local before
  before=$(java -jar "$jar" token --relay "$relay" --issuer "$issuer" --trust "$trust" 2> "$dir/token-spent.err" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  redeem() { java -jar "$jar" summarize --relay "$relay" --issuer "$issuer" --trust "$trust" \
    --chat conf/examples/chat.json --token "$1" > "$dir/redeem.out" 2> "$dir/redeem.err"; }
  redeem "$before" || { cat "$dir/redeem.err" >&2; echo "the token spent before the restart was refused" >&2; }
  scripts/cluster.sh kill-all
  local t0=$SECONDS
  scripts/cluster.sh start "${start_opts[@]}" > "$dir/start.log" 2>&1 || { tail -20 "$dir/start.log" >&2; return 1; }
  await_serving
  local back_s=$((SECONDS - t0))
  echo "   fleet back and serving $back_s s after the kill"
  local once=0 twice_refused=0 other=0
  for t in "${kept[@]}"; do
    if redeem "$t"; then once=$((once + 1)); else other=$((other + 1)); sed 's/^/   first redemption: /' "$dir/redeem.err" | head -3; fi
    if redeem "$t"; then :; elif grep -q "already been spent" "$dir/redeem.err"; then twice_refused=$((twice_refused + 1)); else
      other=$((other + 1)); sed 's/^/   second redemption: /' "$dir/redeem.err" | head -3; fi
  done
  local spent_before
  if redeem "$before"; then spent_before="accepted again"; elif grep -q "already been spent" "$dir/redeem.err"; then
    spent_before="refused (token-replayed)"; else spent_before="other: $(head -1 "$dir/redeem.err")"; fi
  local verdict=PASS
  [ "$once" -eq "$tokens" ] && [ "$twice_refused" -eq "$tokens" ] && [ "$other" -eq 0 ] || verdict=FAIL
  if [ "$use_redis" = yes ] && [ "$spent_before" != "refused (token-replayed)" ]; then verdict=FAIL; fi
  local again=0
  case "$spent_before" in "accepted again"*) again=1 ;; esac
  [ "$use_redis" = yes ] || spent_before="$spent_before (cluster store: memory only, expected)"
  echo "   $once/$tokens redeemed once after the restart, $twice_refused/$tokens refused the second time; spent before the restart: $spent_before"
  rows+=("restart	$tokens	$once	-	-	-	-	-	-	$twice_refused/$tokens	$again	-	$other	-	back and serving $back_s s after the kill	-	spent before the restart: $spent_before	$load_before	$(load_average)	$verdict")
  [ "$verdict" = PASS ] || failed=1
}

# Its own cluster name: another local cluster (a second worktree, a test) never merges with this one.
sed "s|<cluster-name>private-processing</cluster-name>|<cluster-name>pp-fleet-faults-$$</cluster-name>|" \
  conf/cluster.xml > "$out/cluster.xml"
export CLUSTER_XML=$out/cluster.xml
command -v curl > /dev/null || { echo "fleet-faults.sh: curl is needed (apt-get install -y curl)" >&2; exit 2; }
echo "fleet-faults: store $store; scenarios: ${scenarios[*]}; JDK: $(java -version 2>&1 | head -1); cores: $(nproc); load average $(load_average)"
scripts/cluster.sh stop > /dev/null || true
scripts/cluster.sh start "${start_opts[@]}"
await_serving
for s in "${scenarios[@]}"; do
  case "$s" in
    spread) load_run spread ;;
    issuer) load_run issuer kill-issuer ;;
    redis) load_run redis kill-redis ;;
    gateway) load_run gateway kill-gateway ;;
    restart) restart_run ;;
  esac
done

echo
echo "store: $store; rate $rate req/s for $duration ($fault_duration with a restart), kill at ${kill_at}s, restart ${outage}s later"
{
  printf 'run\tsent\tok\tfailed clear\tfailed unclear\tanswered/s\tp50 ms\tp99 ms\tmax ms\treplays refused\tdouble spent\treplay accepted after a failure\tunverified\tok in last 10 s\toutage\tgateway-1/gateway-2 served\tfailures by type\tload before\tload after\tverdict\n'
  printf '%s\n' "${rows[@]}"
} | tee "$out/summary.tsv" | column -t -s $'\t'
exit "$failed"
