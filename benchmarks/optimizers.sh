#!/usr/bin/env bash
# Throughput of the SGD optimisers on a user model against plain SGD in the same run: linear regression
# in d = 8 (the library model linreg, n = 1000 synthetic examples, batch 1), 1e5 particles x 1000 steps on
# the CPU engine. The three rules are run in turn, ROUNDS times, so that a change in the machine's load
# hits them alike; the ratios are of the medians of particle-steps per second (results.json).
# Usage: benchmarks/optimizers.sh [ROUNDS]   (from the repository root, after mvn package)
set -euo pipefail
ROUNDS=${1:-5}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for r in $(seq 1 "$ROUNDS"); do
  for opt in sgd momentum:0.9 adam; do
    java --add-modules jdk.incubator.vector -jar target/langevin.jar sample --dynamics sgd --model linreg \
      --synthetic n=1000,d=8 --lr 0.01 --optimizer "$opt" --steps 1000 --particles 100000 --backend cpu \
      --out "$OUT/$opt-$r" --force >/dev/null 2>&1
  done
done
python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
med = {}
for opt in ["sgd", "momentum:0.9", "adam"]:
    v = [json.load(open(f"{out}/{opt}-{r}/results.json"))["particleStepsPerSecond"] for r in range(1, rounds + 1)]
    med[opt] = statistics.median(v)
    print(f"{opt:14s} median {med[opt]:.3e} particle-steps/s over {rounds} runs: " + " ".join(f"{x:.2e}" for x in v))
for opt in ["momentum:0.9", "adam"]:
    print(f"sgd / {opt}: {med['sgd'] / med[opt]:.2f}x (time per step relative to plain SGD)")
PY
