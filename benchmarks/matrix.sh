#!/usr/bin/env bash
# The workload x d x P matrix on this machine, same run: the CPU engine (`langevin bench --backends cpu`), the
# NumPy peer (benchmarks/numpy_peer.py, one thread) and the same-arithmetic C programs (benchmarks/c-peer, built
# here with gcc when it is present): langevin_dw for Langevin on the 1-D double well, langevin_gen (the engine's
# generic kernel called from C, where the CPU has AVX-512) for every other point.
#   bash benchmarks/matrix.sh                     (builds the jar when it is missing; OFFLINE=1 adds mvn -o)
#   WORKLOADS=langevin,sgd DIMS=1,8 PARTS=1e4,1e6 bash benchmarks/matrix.sh
#   JVM=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bash benchmarks/matrix.sh   (the engine on another JDK)
#   APPEND=1 WORKLOADS=sgd bash benchmarks/matrix.sh                           (add rows to the last run's table)
# Points whose state would pass MAX_STATE_MB (default 1600) are not run (10^8 particles only up to d = 4), and
# the NumPy peer skips points whose intermediates pass that size (full-batch logistic keeps a (P, n) array, n = max(30, 4d)).
# Writes benchmarks/target/matrix.md (machine, commands, table) and matrix-bench/bench.json.
set -euo pipefail
cd "$(dirname "$0")/.."
WORKLOADS=${WORKLOADS:-langevin,langevin-quadratic,langevin-logistic,sgd,sgd-logistic}
DIMS=${DIMS:-1,2,8,64}
PARTS=${PARTS:-1e4,1e6,1e8}
MAX_STATE_MB=${MAX_STATE_MB:-1600}
REPEATS=${REPEATS:-3}
JVM=${JVM:-$(command -v java)}
if [ ! -f target/langevin.jar ]; then
  mvn -B -q ${OFFLINE:+-o} -DskipTests package
fi
cpeer=""
cgen=""
if [ -f benchmarks/c-peer/build.sh ] && command -v gcc >/dev/null; then
  bash benchmarks/c-peer/build.sh >/dev/null && cpeer=benchmarks/target/c-peer/langevin_dw
  if [ -x benchmarks/target/c-peer/langevin_gen ]; then cgen=benchmarks/target/c-peer/langevin_gen; fi
fi
out=benchmarks/target/matrix.md
rows=benchmarks/target/matrix-rows.tsv
mkdir -p benchmarks/target
[ -n "${APPEND:-}" ] || : > "$rows"   # APPEND=1 adds to the rows of an earlier run (e.g. another WORKLOADS list)
num() { python3 -c "import sys; print(int(float(sys.argv[1])))" "$1"; }
for w in ${WORKLOADS//,/ }; do
  for d in ${DIMS//,/ }; do
    plist=""
    for p in ${PARTS//,/ }; do
      n=$(num "$p")
      if [ $((n * d * 4 / 1000000)) -le "$MAX_STATE_MB" ]; then plist="${plist:+$plist,}$n"; fi
    done
    [ -n "$plist" ] || continue
    rm -rf benchmarks/target/matrix-bench
    if ! "$JVM" --add-modules jdk.incubator.vector -Xmx12g -jar target/langevin.jar bench --backends cpu --dynamics "$w" \
        --dims "$d" --particles "$plist" --repeats "$REPEATS" --out benchmarks/target/matrix-bench \
        > benchmarks/target/matrix-bench.log 2>&1; then
      echo "matrix: bench $w d=$d failed: $(tail -1 benchmarks/target/matrix-bench.log)" >&2
      continue
    fi
    python3 - "$w" "$d" benchmarks/target/matrix-bench/bench.json >> "$rows" <<'PY'
import json, sys
w, d, f = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for r in json.load(open(f))['rows']:
    print(f"{w}\t{d}\t{r['particles']}\tengine\t{r['median']}\t{'' if r['reliable'] else 'unreliable'}")
PY
    for n in ${plist//,/ }; do
      # the peer's arrays: (P, d) state, noise and gradient; (P, n) for full-batch logistic (n = max(30, 4d))
      wide=$d; [ "$w" = langevin-logistic ] && wide=$((4 * d > 30 ? 4 * d : 30))
      if [ $((n * wide * 4 * 4 / 1000000)) -le $((MAX_STATE_MB * 4)) ]; then
        steps=$(python3 -c "import sys; print(max(2, min(50, int(2e7 / (int(sys.argv[1]) * int(sys.argv[2]) * (max(30, 4 * int(sys.argv[2])) if sys.argv[3] == 'langevin-logistic' else 1))))))" "$n" "$d" "$w")
        case $w in
          langevin) pw=langevin-double-well; [ "$d" = 1 ] && pw=langevin ;;
          sgd) pw=sgd-linreg ;;
          *) pw=$w ;;
        esac
        r=$(python3 benchmarks/numpy_peer.py --workload "$pw" --dim "$d" --particles "$n" --steps "$steps" --repeats "$REPEATS" --json)
        echo -e "$w\t$d\t$n\tnumpy\t$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['particle_steps_per_second'])" "$r")\t" >> "$rows"
      fi
      r=""
      if [ -n "$cpeer" ] && [ "$w" = langevin ] && [ "$d" = 1 ]; then
        steps=$(python3 -c "import sys; print(max(8, (int(4e8 / int(sys.argv[1])) // 4) * 4))" "$n")
        r=$("$cpeer" -p "$n" -n "$steps" -t "$(nproc)" --json)
      elif [ -n "$cgen" ]; then
        # the engine's own generic kernel called from C on all cores, steps calibrated to >= 0.3 s a run
        r=$("$cgen" --workload "$w" --dim "$d" -p "$n" -t "$(nproc)" -r "$REPEATS" --json) || r=""
      fi
      if [ -n "$r" ]; then
        echo -e "$w\t$d\t$n\tc\t$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['particleStepsPerSecond'])" "$r")\t" >> "$rows"
      fi
    done
  done
done
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; memory $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "engine jdk: $("$JVM" -version 2>&1 | sed -n 2p); numpy $(python3 -c 'import numpy; print(numpy.__version__)')"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "commands: langevin bench --backends cpu --dynamics W --dims D --particles P --repeats $REPEATS (all cores);" \
       "python3 benchmarks/numpy_peer.py (one thread); ${cpeer:-no C program} -t $(nproc); ${cgen:-no generic C program} --workload W --dim D -p P -t $(nproc)"
  python3 - "$rows" <<'PY'
import sys, collections
pts = collections.OrderedDict()
for line in open(sys.argv[1]):
    w, d, p, who, rate, note = line.rstrip('\n').split('\t')
    pts.setdefault((w, int(d), int(p)), {})[who] = (float(rate), note)
def m(v):
    return f"{v / 1e6:.3g} M"
print("| workload | d | particles | engine | NumPy | engine / NumPy | C program | engine / C |")
print("|---|---|---|---|---|---|---|---|")
for (w, d, p), r in pts.items():
    e = r.get('engine'); n = r.get('numpy'); c = r.get('c')
    es = (m(e[0]) + (' (unreliable)' if e[1] else '')) if e else '—'
    print(f"| {w} | {d} | {p:.0e} | {es} | {m(n[0]) if n else '—'} | "
          f"{f'{e[0] / n[0]:.2f}x' if e and n else '—'} | {m(c[0]) if c else '—'} | {f'{e[0] / c[0]:.2f}x' if e and c else '—'} |")
PY
} > "$out"
cat "$out"
