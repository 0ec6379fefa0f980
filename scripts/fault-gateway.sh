#!/usr/bin/env bash
# Kills one gateway JVM hard during a load run on a local 2+2 cluster and checks that no request was
# lost or left hanging and that the rate is back within 10 s. See scripts/fault-run.sh (RATE,
# DURATION, KILL_AT, ... from the environment). Exit 0 = PASS.
exec "$(dirname "$0")/fault-run.sh" gateway "$@"
