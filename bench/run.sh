#!/usr/bin/env bash
# Runs both JMH benchmarks of this module on one thread with modest settings (about 6 minutes on
# 2 cores) and writes JMH's JSON to bench/results/. Build first, from the repository root:
#   mvn -B -ntp -pl bench -am package -DskipTests
# For other settings run the jar directly (java -jar bench/target/benchmarks.jar -h).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
jar=target/benchmarks.jar
if [ ! -f "$jar" ]; then
  echo "missing bench/$jar: build it with 'mvn -B -ntp -pl bench -am package -DskipTests' from the repository root" >&2
  exit 1
fi
mkdir -p results
java -jar "$jar" 'WorkerStepsBenchmark' -f 1 -wi 2 -w 2 -i 3 -r 3 -t 1 \
  -rf json -rff results/worker-steps.json | tee results/worker-steps.txt
java -jar "$jar" 'AdaptationBenchmark' -f 1 -wi 1 -w 1 -i 3 -r 1 -t 1 \
  -rf json -rff results/adaptation.json | tee results/adaptation.txt
