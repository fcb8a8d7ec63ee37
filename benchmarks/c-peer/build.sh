#!/usr/bin/env bash
# Builds the same-arithmetic C peer of the CPU engine's 1-D double-well Langevin benchmark
# (benchmarks/c-peer/README.md) from kernels/lv_cpu_dw.c, the source of the engine's native kernel:
#   OUT/langevin_dw   gcc -O3 -march=native: the AVX-512 path where this CPU has AVX-512F, else the scalar one
#   OUT/langevin_gen  the engine's generic kernel (kernels/lv_cpu.c) on every bench workload, where the CPU has AVX-512
#
# Usage: benchmarks/c-peer/build.sh [OUT]   (default benchmarks/target/c-peer)
# Environment: CC (default gcc), LV_CFLAGS (added last, e.g. -DLV_SCALAR for the scalar path on any CPU).
# The floating-point flags are part of the contract: no contraction into fused multiply-adds, no fast
# math, IEEE semantics (errno and trapping math are irrelevant to the bits and left at gcc's defaults).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here/../target/c-peer}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cc=${CC:-gcc}
command -v "$cc" >/dev/null || { echo "c-peer: no C compiler '$cc' on the PATH" >&2; exit 1; }
# shellcheck disable=SC2086
"$cc" -std=c11 -O3 -march=native -ffp-contract=off -fno-fast-math -fexcess-precision=standard \
  -Wall -Wextra -Werror -pthread ${LV_CFLAGS:-} -o "$out/langevin_dw" "$here/../../kernels/lv_cpu_dw.c" -lm
echo "c-peer: $out/langevin_dw"
# the engine's generic kernel (kernels/lv_cpu.c, AVX-512 only) driven from C: only where this CPU has AVX-512
if "$cc" -march=native -dM -E - </dev/null | grep -c __AVX512F__ >/dev/null; then
  # shellcheck disable=SC2086
  "$cc" -std=c11 -O3 -march=native -ffp-contract=off -fno-fast-math -fexcess-precision=standard \
    -Wall -Wextra -Werror -pthread ${LV_CFLAGS:-} -o "$out/langevin_gen" "$here/langevin_gen.c" "$here/../../kernels/lv_cpu.c" -lm
  echo "c-peer: $out/langevin_gen"
fi
