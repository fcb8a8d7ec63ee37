#!/usr/bin/env bash
# The device kit's one command, on a machine with an NVIDIA GPU (no Java, Maven or network needed):
#
#   ./run.sh [--out DIR] [--cpu-side] [--tests REGEX]
#
# 1. info: what the bundled runtime sees (GPUs, driver, compilers for user models);
# 2. the GPU conformance suite: every GPU integration test (*IT) of the project (engine/cuda and the CLI's), with -Dgpu.required=true
#    so that a GPU test that cannot run fails instead of skipping (--cpu-side: without it, for a machine
#    with no GPU or with the stand-in driver);
# 3. bench: the GPU (fused and cuRAND noise) against this machine's CPU engine, same run;
# 4. the peers (gpu_peers.py): the Langevin double-well and SGD linreg workloads as a fused CuPy kernel, in
#    PyTorch and in JAX on the same GPU (skipped with --cpu-side);
# 5. report.py: DIR/report.md and DIR/report.json (pass/fail, particle-steps/s, ratios).
# --tests REGEX limits the suite to test classes whose name matches (default: .*IT$); extra JVM options
# for the suite (e.g. -Dgpu.standin=true against the stand-in driver) come from $LANGEVIN_KIT_JAVA_OPTS.
# Every part has its own time limit, the whole within 8 minutes; a part that fails is reported, and the
# others still run. Exit status: 0 when the conformance suite passed, 1 otherwise.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/report"
cpu_side=0
tests='.*IT$'
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --cpu-side) cpu_side=1; shift ;;
    --tests) tests="$2"; shift 2 ;;
    -h|--help) sed -n 2,19p "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1 (use --out DIR, --cpu-side, --tests REGEX)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$here"  # the CLI tests read examples/ relative to the working directory
java="$here/runtime/bin/java"
jvm=(--add-modules jdk.incubator.vector -Xss4m)
export LANGEVIN_KIT=1
start=$(date +%s)
elapsed() { echo $(( $(date +%s) - start )); }
part() { # name limit-seconds command...
  local name=$1 limit=$2
  shift 2
  echo "== $name (at most ${limit} s)"
  local t0
  t0=$(date +%s)
  timeout --kill-after=10 "$limit" "$@" > "$out/$name.log" 2>&1
  local rc=$?
  echo "$rc $(( $(date +%s) - t0 ))" > "$out/$name.rc"
  tail -n 5 "$out/$name.log"
  echo "   exit $rc after $(( $(date +%s) - t0 )) s"
}

part info 60 "$java" "${jvm[@]}" -jar "$here/langevin.jar" info
required=true
[ "$cpu_side" = 1 ] && required=false
# shellcheck disable=SC2086
part conformance 200 "$java" "${jvm[@]}" -Dgpu.required=$required ${LANGEVIN_KIT_JAVA_OPTS:-} -jar "$here/junit-console.jar" execute \
  --class-path "$here/langevin.jar:$here/test-classes" --select-package org.langevin.engine.cuda --select-package org.langevin.cli \
  --include-classname "$tests" --reports-dir "$out/junit" --details=tree --disable-banner
sizes=(--backends cpu,gpu,gpu-curand --particles 1e5,1e6,1e7 --repeats 3)
[ "$cpu_side" = 1 ] && sizes=(--backends available --particles 1e5 --repeats 2)
part bench 150 "$java" "${jvm[@]}" -jar "$here/langevin.jar" bench "${sizes[@]}" --dynamics langevin,sgd --dims 1,8 \
  --warmup-seconds 0.5 --out "$out/bench" --force
if [ "$cpu_side" = 0 ]; then
  part peers 150 python3 "$here/gpu_peers.py" --json "$out/peers.json" --particles 1e6,1e7 --steps 200 --seconds-budget 120
fi
python3 "$here/report.py" --dir "$out" --commit "$(cat "$here/COMMIT" 2>/dev/null || echo unknown)" --seconds "$(elapsed)"
read -r rc _ < "$out/conformance.rc"
exit $(( rc == 0 ? 0 : 1 ))
