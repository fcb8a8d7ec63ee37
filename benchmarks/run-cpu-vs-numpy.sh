#!/usr/bin/env bash
# Same-run comparison of the CPU engine (JMH, vector paths on and off) with the NumPy peer, on this machine.
#   bash benchmarks/run-cpu-vs-numpy.sh            (from anywhere; OFFLINE=1 adds mvn -o)
#   JVM=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bash benchmarks/run-cpu-vs-numpy.sh
#                                                  (the measured forks on another JDK, 17 or later; the build stays on 17)
# Writes benchmarks/target/cpu-vs-numpy.txt (machine, JDK, commands, table) for benchmarks/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
P=${P:-1000000}
STEPS=${STEPS:-20}
MVN="mvn -B -q ${OFFLINE:+-o}"
$MVN -DskipTests install
(cd benchmarks && $MVN package)
out=benchmarks/target/cpu-vs-numpy.txt
mkdir -p benchmarks/target
# the benchmark's @Fork adds --add-modules=jdk.incubator.vector to the measured JVM
JVM=${JVM:-$(command -v java)}
java -jar benchmarks/target/benchmarks.jar 'CpuEngine(Scalar|Java|Plain)?Benchmark' -p particles=$P -p steps=$STEPS -jvm "$JVM" \
     -rf json -rff benchmarks/target/jmh.json | tee benchmarks/target/jmh.txt
np_l=$(python3 benchmarks/numpy_peer.py --workload langevin --particles $P --steps 50 --json)
np_s=$(python3 benchmarks/numpy_peer.py --workload sgd-linreg --particles $P --steps 20 --json)
np_d4=$(python3 benchmarks/numpy_peer.py --workload langevin-double-well --dim 4 --particles $P --steps 20 --json)
np_q8=$(python3 benchmarks/numpy_peer.py --workload langevin-quadratic --dim 8 --particles $P --steps 10 --json)
np_lg=$(python3 benchmarks/numpy_peer.py --workload langevin-logistic --particles $P --steps 5 --json)
# the same-arithmetic C program (benchmarks/c-peer), 1-D double well, all cores, same P
bash benchmarks/c-peer/build.sh >/dev/null
c_l=$(benchmarks/target/c-peer/langevin_dw -p $P -n 200 -t "$(nproc)" -r 5 --json)
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, flags avx512f: $(grep -c avx512f /proc/cpuinfo | head -1) cpus"
  echo "jdk of the measured forks: $("$JVM" -version 2>&1 | sed -n 2p) ($JVM)"
  echo "load average before NumPy: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commands: java -jar benchmarks/target/benchmarks.jar 'CpuEngine(Scalar|Java|Plain)?Benchmark' -p particles=$P -p steps=$STEPS;" \
       "python3 benchmarks/numpy_peer.py --workload {langevin,sgd-linreg} --particles $P --steps {50,20};" \
       "python3 benchmarks/numpy_peer.py --workload langevin-double-well --dim 4 / langevin-quadratic --dim 8 / langevin-logistic"
} > "$out"
python3 - "$P" "$STEPS" "$np_l" "$np_s" "$np_d4" "$np_q8" "$np_lg" "$c_l" <<'PY' | tee -a "$out"
import json, sys
P, S = int(sys.argv[1]), int(sys.argv[2])
npl, nps = json.loads(sys.argv[3]), json.loads(sys.argv[4])
npd4, npq8, nplg = json.loads(sys.argv[5]), json.loads(sys.argv[6]), json.loads(sys.argv[7])
runs = json.load(open('benchmarks/target/jmh.json'))
jmh = {r['params']['workload']: r['primaryMetric'] for r in runs if '.CpuEngineBenchmark.' in r['benchmark']}
sca = {r['params']['workload']: r['primaryMetric'] for r in runs if '.CpuEngineScalarBenchmark.' in r['benchmark']}
jav = {r['params']['workload']: r['primaryMetric'] for r in runs if '.CpuEngineJavaBenchmark.' in r['benchmark']}
pla = {r['params']['workload']: r['primaryMetric'] for r in runs if '.CpuEnginePlainBenchmark.' in r['benchmark']}
def row(name, peer):
    m = jmh[name]
    ours = m['score'] * P * S
    err = m['scoreError'] * P * S
    sc = sca[name]['score'] * P * S if name in sca else float('nan')
    jv = jav[name]['score'] * P * S if name in jav else float('nan')
    pl = pla[name]['score'] * P * S if name in pla else float('nan')
    print(f"| {name} | {ours/1e6:.0f} ± {err/1e6:.0f} M | {jv/1e6:.0f} M | {sc/1e6:.1f} M | {ours/sc:.2f}x | {pl/1e6:.0f} M | {ours/pl:.2f}x | "
          f"{peer['particle_steps_per_second']/1e6:.1f} M (NumPy {peer['numpy']}) | {ours/peer['particle_steps_per_second']:.2f}x |")
print("| workload | CPU engine, 2 threads (particle-steps/s) | Java vector paths (-Dlangevin.native=false) "
      "| scalar paths (-Dlangevin.simd=false -Dlangevin.native=false) | engine / scalar "
      "| without the vector module (java -jar) | engine / that "
      "| NumPy peer, 1 thread | engine / NumPy |")
print("|---|---|---|---|---|---|---|---|---|")
row('langevin-double-well', npl)
row('sgd-linreg', nps)
row('langevin-double-well-d4', npd4)
row('langevin-quadratic-d8', npq8)
row('langevin-logistic', nplg)
c = json.loads(sys.argv[8])
ours = jmh['langevin-double-well']['score'] * P * S
print(f"\nsame-arithmetic C program (benchmarks/c-peer, {c['threads']} threads, AVX-512 path: {c['path']}), "
      f"1-D double well, {c['particles']} particles: {c['particleStepsPerSecond']/1e6:.0f} M particle-steps/s; "
      f"the engine reaches {ours / c['particleStepsPerSecond']:.2f}x of it")
PY
