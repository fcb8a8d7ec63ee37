#!/usr/bin/env bash
# Builds the kernels into a class-path directory (Maven runs it at generate-resources with
# target/classes):
#   OUT/kernels/lv_kernels.ptx                 nvcc --ptx, when nvcc is on the PATH or in $CUDA_HOME/bin
#   OUT/native/<platform>/liblangevin-emu.so   the emulated device: lv_emulator.cpp by the host C++ compiler
#   OUT/kernels/src/                           the kernel sources and emulator.flags, so that the emulated
#                                              engine can compile them at first use when the prebuilt
#                                              library is missing or does not load
# Any compiler error or warning fails the build. A missing nvcc or C++ compiler is reported and skipped.
#
# Usage: kernels/build.sh OUT [STAMPS]   (STAMPS: where up-to-date stamps go, default OUT/../kernel-build)
# Environment: CXX (host compiler, default g++ then clang++), CUDA_HOME, and, for development only,
# LV_KERNELS_DIR: a directory whose lv_*.cu / lv_*.cuh files take the place of those in kernels/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: kernels/build.sh OUT (the class-path directory, e.g. target/classes)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
stamps=${2:-$out/../kernel-build}
mkdir -p "$stamps"
stamps=$(cd "$stamps" && pwd)

# The flags are part of the contract (kernels/README.md, floating-point rules): no contraction, no
# fast math, every warning an error. The floating-point flags other than -fmad=false are nvcc's
# defaults, spelled out so that the contract is visible here. nvcc appends $NVCC_APPEND_FLAGS to every
# command line, which could override them: the fingerprint below includes it, and KernelPtxTest
# rejects any .ftz, .approx or fused float multiply-add in the packaged PTX. No -lineinfo: the inline
# line info it writes (.loc lines) crashes ptxas 11.8 compiling the PTX for sm_90, i.e. the JIT of a
# CUDA 11.8 driver; KernelPtxTest rejects .loc lines too.
NVCC_FLAGS=(-std=c++17 --ptx -arch=compute_75 -ftz=false -prec-div=true -prec-sqrt=true -fmad=false
  -Werror all-warnings)
CXX_FLAGS=(-std=c++17 -O2 -ffp-contract=off -fno-fast-math -fPIC -shared -Wall -Wextra -Werror)

# 1. Collect the sources (kernels/, overlaid by LV_KERNELS_DIR) into OUT/kernels/src.
src="$out/kernels/src"
rm -rf "$src"
mkdir -p "$src"
for f in "$here"/*.cuh "$here"/*.cu "$here"/*.h "$here"/*.cpp; do
  [ -e "$f" ] && cp "$f" "$src/"
done
if [ -n "${LV_KERNELS_DIR:-}" ]; then
  echo "kernels: using kernel sources from LV_KERNELS_DIR=$LV_KERNELS_DIR (development override)"
  for f in "$LV_KERNELS_DIR"/*.cuh "$LV_KERNELS_DIR"/*.cu; do
    [ -e "$f" ] && cp "$f" "$src/"
  done
fi
printf '%s\n' "${CXX_FLAGS[@]}" > "$src/emulator.flags"
(cd "$src" && ls -1 | grep -v '^sources\.list$') > "$src/sources.list"
if [ ! -e "$src/lv_kernels.cu" ]; then
  echo "kernels: no lv_kernels.cu in $here (nor in LV_KERNELS_DIR); nothing to compile" >&2
  exit 1
fi

# A build is skipped when its inputs (sources, flags, compiler version) are unchanged.
fingerprint() { # tool-version-line, flags...
  { cat "$src"/*.cuh "$src"/*.cu "$src"/*.h "$src"/*.cpp 2>/dev/null; printf '%s\n' "$@"; } | sha256sum | cut -c1-64
}
fresh() { # output stamp-file fingerprint
  [ -s "$1" ] && [ -f "$2" ] && [ "$(cat "$2")" = "$3" ]
}

# 2. PTX for the GPU engine.
# nvcc writes the PTX ISA version of its own release (9.0 for CUDA 13), and a driver JIT-compiles only
# the versions it knows. The kernels use nothing newer than ISA 7.0 (CUDA 11.0), so the build declares
# the lowest candidate version for which ptxas accepts the text (ptxas checks every feature against the
# declared version) and older drivers load the same instructions. Without ptxas the version stays.
lower_isa() { # ptx-file ptxas
  local file=$1 ptxas=$2 have v
  have=$(sed -n 's/^\.version \([0-9]*\.[0-9]*\)$/\1/p' "$file")
  if [ -z "$have" ] || [ ! -x "$ptxas" ]; then
    echo "kernels: PTX ISA version left as written (no ptxas next to nvcc)"
    return 0
  fi
  for v in 7.0 7.8 8.0; do
    if [ "$v" = "$have" ] || [ "$(printf '%s\n%s\n' "$v" "$have" | sort -V | sed -n 1p)" != "$v" ]; then
      break
    fi
    sed "s/^\.version $have\$/.version $v/" "$file" > "$file.isa"
    if "$ptxas" -arch=sm_75 -o /dev/null "$file.isa" >/dev/null 2>&1; then
      mv "$file.isa" "$file"
      echo "kernels: PTX ISA .version $have declared as $v (ptxas accepts the kernels under $v)"
      return 0
    fi
  done
  rm -f "$file.isa"
}

nvcc_bin=""
if command -v nvcc >/dev/null 2>&1; then
  nvcc_bin=$(command -v nvcc)
elif [ -n "${CUDA_HOME:-}" ] && [ -x "$CUDA_HOME/bin/nvcc" ]; then
  nvcc_bin="$CUDA_HOME/bin/nvcc"
fi
ptx="$out/kernels/lv_kernels.ptx"
if [ -z "$nvcc_bin" ]; then
  rm -f "$ptx" "$stamps/ptx.stamp"
  echo "kernels: nvcc not found on the PATH or in \$CUDA_HOME/bin; building without GPU kernels (the gpu backend will be unavailable from this jar)"
else
  fp=$(fingerprint "$("$nvcc_bin" --version | tail -n 2 | tr '\n' ' ')" "${NVCC_FLAGS[@]}" "isa: lowest of 7.0 7.8 8.0" \
    "NVCC_PREPEND_FLAGS=${NVCC_PREPEND_FLAGS:-}" "NVCC_APPEND_FLAGS=${NVCC_APPEND_FLAGS:-}")
  if fresh "$ptx" "$stamps/ptx.stamp" "$fp"; then
    echo "kernels: $ptx is up to date"
  else
    rm -f "$ptx" "$stamps/ptx.stamp"
    "$nvcc_bin" "${NVCC_FLAGS[@]}" -I "$src" -o "$ptx.tmp" "$src/lv_kernels.cu"
    lower_isa "$ptx.tmp" "$(dirname "$nvcc_bin")/ptxas"
    mv "$ptx.tmp" "$ptx"
    echo "$fp" > "$stamps/ptx.stamp"
    echo "kernels: $ptx ($(grep -c '\.entry ' "$ptx") entry points, $(grep -m1 '^\.version' "$ptx"))"
  fi
fi

# 3. The emulated device.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x86-64; lib=liblangevin-emu.so ;;
  Linux-aarch64) platform=linux-aarch64; lib=liblangevin-emu.so ;;
  Darwin-x86_64) platform=darwin-x86-64; lib=liblangevin-emu.dylib ;;
  Darwin-arm64) platform=darwin-aarch64; lib=liblangevin-emu.dylib ;;
  *) platform=""; lib="" ;;
esac
cxx_bin=""
for c in "${CXX:-}" g++ clang++; do
  if [ -n "$c" ] && command -v "$c" >/dev/null 2>&1; then
    cxx_bin=$(command -v "$c")
    break
  fi
done
if [ -z "$platform" ]; then
  echo "kernels: no prebuilt emulator for $(uname -s)-$(uname -m); the emulated engine compiles it at first use"
elif [ -z "$cxx_bin" ]; then
  echo "kernels: no C++ compiler (\$CXX, g++ or clang++) found; building without the emulated device library"
else
  so="$out/native/$platform/$lib"
  mkdir -p "$(dirname "$so")"
  fp=$(fingerprint "$("$cxx_bin" --version | head -n 1)" "${CXX_FLAGS[@]}")
  if fresh "$so" "$stamps/emulator.stamp" "$fp"; then
    echo "kernels: $so is up to date"
  else
    rm -f "$so" "$stamps/emulator.stamp"
    "$cxx_bin" "${CXX_FLAGS[@]}" -I "$src" -o "$so.tmp" "$src/lv_emulator.cpp"
    mv "$so.tmp" "$so"
    echo "$fp" > "$stamps/emulator.stamp"
    echo "kernels: $so ($("$cxx_bin" --version | head -n 1))"
  fi
fi

# 4. The CPU engine's native kernels (AVX-512; engine/cpu/NativeCpu): lv_cpu_dw.c (1-D double-well Langevin; the
# same source is the benchmarks' same-arithmetic C peer) and lv_cpu.c (everything else on the built-in losses: Brownian
# motion, gradient flow, Langevin, SGD, the SGD SDE, window sums), with their shared lv_cpu_simd.h. Linux x86-64 only, for CPUs with
# AVX-512F/DQ/BW/VL (NativeCpu checks /proc/cpuinfo before loading it). Without a C compiler the engine keeps its Java paths.
CPU_CFLAGS=(-std=c11 -O3 -mavx512f -mavx512dq -mavx512bw -mavx512vl -ffp-contract=off -fno-fast-math
  -fexcess-precision=standard -fPIC -shared -DLV_LIBRARY -Wall -Wextra -Werror)
cc_bin=""
for c in "${CC:-}" gcc clang; do
  if [ -n "$c" ] && command -v "$c" >/dev/null 2>&1; then
    cc_bin=$(command -v "$c")
    break
  fi
done
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "kernels: no native CPU kernel for $(uname -s)-$(uname -m) (the CPU engine's Java paths run)"
elif [ -z "$cc_bin" ]; then
  echo "kernels: no C compiler (\$CC, gcc or clang) found; building without the native CPU kernel"
else
  cso="$out/native/linux-x86-64/liblangevin-cpu.so"
  mkdir -p "$(dirname "$cso")"
  cfp=$({ cat "$here/lv_cpu_simd.h" "$here/lv_cpu_dw.c" "$here/lv_cpu.c"; "$cc_bin" --version | head -n 1; printf '%s\n' "${CPU_CFLAGS[@]}"; } | sha256sum | cut -c1-64)
  if fresh "$cso" "$stamps/cpu.stamp" "$cfp"; then
    echo "kernels: $cso is up to date"
  else
    rm -f "$cso" "$stamps/cpu.stamp"
    "$cc_bin" "${CPU_CFLAGS[@]}" -o "$cso.tmp" "$here/lv_cpu_dw.c" "$here/lv_cpu.c" -lm
    mv "$cso.tmp" "$cso"
    echo "$cfp" > "$stamps/cpu.stamp"
    echo "kernels: $cso ($("$cc_bin" --version | head -n 1))"
  fi
fi
