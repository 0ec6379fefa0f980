#!/usr/bin/env bash
# Shows that the build is reproducible: builds the committed HEAD twice in two fresh clones
# (different paths, different times) and compares the jars byte for byte and their enclave
# measurements. Exit 0 only when both match. Takes two offline package builds (~1-2 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
commit=$(git rev-parse HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] || echo "note: uncommitted changes are not part of this check (building $commit)" >&2
for n in 1 2; do
  git clone -q . "$work/build$n"
  (cd "$work/build$n" && git checkout -q "$commit")
  echo "build $n of $commit in $work/build$n ..." >&2
  (cd "$work/build$n" && mvn -B -q -o -DskipTests package >"$work/build$n.log" 2>&1) \
    || { echo "build $n failed; see its log:" >&2; tail -20 "$work/build$n.log" >&2; exit 1; }
  [ "$n" = 1 ] && sleep 2  # a different wall-clock second, so timestamps would show if they leaked in
done
sha1=$(sha256sum "$work/build1/target/private-processing.jar" | cut -d' ' -f1)
sha2=$(sha256sum "$work/build2/target/private-processing.jar" | cut -d' ' -f1)
m1=$(java -jar "$work/build1/target/private-processing.jar" audit measurement --jar "$work/build1/target/private-processing.jar" --conf conf/all-in-one.json 2>/dev/null)
m2=$(java -jar "$work/build2/target/private-processing.jar" audit measurement --jar "$work/build2/target/private-processing.jar" --conf conf/all-in-one.json 2>/dev/null)
echo "jar sha256:  $sha1"
echo "             $sha2"
echo "measurement: $m1"
echo "             $m2"
if [ "$sha1" = "$sha2" ] && [ "$m1" = "$m2" ]; then
  echo "reproducible: the same commit built twice gives the same jar and the same measurement"
else
  echo "NOT reproducible: compare the jars with 'unzip -l' / diffoscope" >&2
  exit 1
fi
