#!/usr/bin/env bash
# Fuzzes every parser of untrusted bytes with Jazzer (coverage-guided, libFuzzer-based), one
# @FuzzTest at a time, each for a bounded time. `mvn verify` only replays the committed inputs
# (regression mode); this runs the real thing (JAZZER_FUZZ=1).
#
#   scripts/fuzz.sh [SECONDS] [Class#method ...]   fuzz each target SECONDS (default 60) and
#                                                  print executions, time, corpus size, findings
#   scripts/fuzz.sh --list                         list the targets
#   scripts/fuzz.sh --seeds                        rewrite the seed inputs from the vectors
#
# No network: the targets open no sockets, Jazzer's SSRF detector turns any connection attempt
# into a finding, and where the kernel allows it the run is in its own network namespace whose
# only interface is loopback (127.0.0.1). Offline Maven (-o): run `mvn -B test-compile` once first.
#
# What it leaves: target/fuzz/corpus/<Class>/<method>/ (inputs that found new coverage; reused by
# the next run), target/fuzz/logs/<Class>.<method>.log, target/fuzz/summary.tsv. A crash is saved
# by Jazzer as src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>: commit it with the
# fix, and every `mvn verify` replays it from then on. Stopping a run by a signal can leave a
# crash-* file for the input it was on: replay it (mvn verify) before believing it.
set -euo pipefail
cd "$(dirname "$0")/.."

targets() {
  grep -rl --include='*FuzzTest.java' '@FuzzTest' src/test/java | sort | while read -r file; do
    class=$(basename "$file" .java)
    awk '/@FuzzTest/ {want=1; next} want && /void [a-zA-Z0-9_]+\(/ {
           match($0, /void [a-zA-Z0-9_]+\(/); print substr($0, RSTART+5, RLENGTH-6); want=0 }' "$file" \
      | while read -r method; do echo "$class#$method"; done
  done
}

classpath() {
  mvn -o -q dependency:build-classpath -Dmdep.outputFile=target/fuzz/classpath.txt >/dev/null
  echo "target/test-classes:target/classes:$(cat target/fuzz/classpath.txt)"
}

mkdir -p target/fuzz/logs target/fuzz/corpus
case "${1:-}" in
  --list) targets; exit 0 ;;
  --seeds)
    mvn -o -q test-compile
    java -cp "$(classpath)" org.privateprocessing.FuzzSeeds .
    exit 0 ;;
  -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

seconds=${1:-60}
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || { echo "SECONDS must be a positive integer, not '$seconds'" >&2; exit 2; }
shift || true
if [ $# -gt 0 ]; then selected=("$@"); else mapfile -t selected < <(targets); fi

# An isolated network namespace (loopback only) when the kernel lets us make one.
isolate=()
if unshare -rn true 2>/dev/null; then
  isolate=(unshare -rn sh -c 'ip link set lo up 2>/dev/null || true; exec "$@"' --)
  echo "network: own namespace, loopback only" >&2
else
  echo "network: no namespace available here; relying on the targets opening no sockets and Jazzer's SSRF detector" >&2
fi

mvn -o -q test-compile
printf 'target\tseconds\texecutions\texec/s\tcorpus_files\tcorpus_bytes\tcoverage\tresult\n' > target/fuzz/summary.tsv
failed=0
for target in "${selected[@]}"; do
  class=${target%%#*}
  method=${target#*#}
  corpus=target/fuzz/corpus/$class/$method
  log=target/fuzz/logs/$class.$method.log
  mkdir -p "$corpus"
  echo "--- fuzzing $target for ${seconds}s" >&2
  start=$(date +%s)
  # jazzer.internal.arg.N are libFuzzer's arguments: argv0, the corpus directory it writes to,
  # then options; the last -max_total_time wins over @FuzzTest's default of 5 minutes.
  set +e
  JAZZER_FUZZ=1 "${isolate[@]}" mvn -o -B surefire:test@fuzz -Dtest="$target" \
    -Djazzer.internal.arg.0=fuzz \
    -Djazzer.internal.arg.1="$corpus" \
    -Djazzer.internal.arg.2=-max_total_time="$seconds" \
    -Djazzer.internal.arg.3=-timeout=10 \
    -Djazzer.internal.arg.4=-print_final_stats=1 > "$log" 2>&1
  status=$?
  set -e
  elapsed=$(( $(date +%s) - start ))
  runs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $2}')
  ran=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $5}')
  rate=$(grep -oE 'exec/s: [0-9]+' "$log" | tail -1 | awk '{print $2}')
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | awk '{print $2"/"$4}')
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sb "$corpus" | cut -f1)
  if [ "$status" -eq 0 ]; then
    result="no finding"
  else
    failed=1
    crash=$(grep -oE 'src/test/resources/[^ ]*crash-[0-9a-f]+' "$log" | tail -1 || true)
    result="FINDING ${crash:-see $log}"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "${ran:-$elapsed}" "${runs:-?}" "${rate:-?}" \
    "$files" "$bytes" "${cov:-?}" "$result" | tee -a target/fuzz/summary.tsv >&2
done
echo "--- summary (target/fuzz/summary.tsv)"
column -t -s $'\t' target/fuzz/summary.tsv 2>/dev/null || cat target/fuzz/summary.tsv
exit "$failed"
