#!/usr/bin/env bash
# Same-run comparison of the CPU engine (JMH) with the NumPy peer, on this machine.
#   bash benchmarks/run-cpu-vs-numpy.sh            (from the project root)
# Writes benchmarks/target/cpu-vs-numpy.txt and prints the ratios for benchmarks/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
P=${P:-1000000}
STEPS=${STEPS:-20}
mvn -B -q -DskipTests install
(cd benchmarks && mvn -B -q package)
out=benchmarks/target/cpu-vs-numpy.txt
mkdir -p benchmarks/target
java -jar benchmarks/target/benchmarks.jar CpuEngineBenchmark -p particles=$P -p steps=$STEPS \
     -rf json -rff benchmarks/target/jmh.json | tee benchmarks/target/jmh.txt
np_l=$(python3 benchmarks/numpy_peer.py --workload langevin --particles $P --steps 50 --json)
np_s=$(python3 benchmarks/numpy_peer.py --workload sgd-linreg --particles $P --steps 20 --json)
python3 - "$P" "$STEPS" "$np_l" "$np_s" <<'PY' | tee "$out"
import json, sys
P, S = int(sys.argv[1]), int(sys.argv[2])
npl, nps = json.loads(sys.argv[3]), json.loads(sys.argv[4])
jmh = {r['params']['workload']: r['primaryMetric'] for r in json.load(open('benchmarks/target/jmh.json'))}
def row(name, peer):
    m = jmh[name]
    ours = m['score'] * P * S
    err = m['scoreError'] * P * S
    print(f"| {name} | {ours/1e6:.0f} ± {err/1e6:.0f} M | {peer['particle_steps_per_second']/1e6:.0f} M | {ours/peer['particle_steps_per_second']:.2f}x |")
print("| workload | CPU engine (particle-steps/s) | NumPy peer | ratio |")
print("|---|---|---|---|")
row('langevin-double-well', npl)
row('sgd-linreg', nps)
PY
