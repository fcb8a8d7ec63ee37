#!/usr/bin/env bash
# Builds the device kit: a self-contained bundle that verifies and benchmarks langevin on a machine with an
# NVIDIA GPU but no Java, Maven or network (a CUDA driver and toolkit, a Python with CuPy, PyTorch and JAX).
#
#   bash benchmarks/device-kit/build.sh            # writes target/device-kit/ and target/langevin-kit.tar.gz
#
# The bundle: a jlink runtime with the modules the jar needs (jdk.incubator.vector included), the jar (without
# other platforms' native libraries and JCuda's unused nvPTXCompiler binding), the JUnit console launcher with
# the test classes, the GPU peers (gpu_peers.py), the report writer (report.py) and run.sh, the one command to
# run there (benchmarks/device-kit/README.md). It fails when the compressed bundle exceeds 60 MiB.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
kit_src="$root/benchmarks/device-kit"
out="$root/target/device-kit"
tarball="$root/target/langevin-kit.tar.gz"
junit_version=1.11.4
limit=$((60 * 1024 * 1024))

if [ ! -f target/langevin.jar ] || [ ! -d target/test-classes/org/langevin/engine/cuda ]; then
  echo "device kit: building the jar and the test classes (mvn -B -q -DskipTests package)"
  mvn -B -q -DskipTests package
fi
# The runtime's JDK: $KIT_JAVA_HOME, else the one on the PATH. Its libjvm sets the oldest glibc the GPU machine
# may have (Debian's OpenJDK 17: glibc 2.34; a Temurin build: 2.17).
jbin="${KIT_JAVA_HOME:+$KIT_JAVA_HOME/bin/}"
command -v "${jbin}jlink" >/dev/null || { echo "device kit: ${jbin}jlink not found (a JDK 17 or newer is needed)" >&2; exit 1; }

rm -rf "$out" "$tarball"
mkdir -p "$out"

# 1. The runtime: the jar's modules as jdeps reports them, and those reached by reflection or JNA.
modules=$("${jbin}jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps target/langevin.jar)
modules="$modules,jdk.unsupported,java.management,jdk.zipfs,jdk.crypto.ec"
"${jbin}jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/runtime"
if command -v strip >/dev/null; then
  strip --strip-unneeded "$out/runtime/lib/server/libjvm.so" || true
fi
glibc=$(objdump -T "$out/runtime/lib/server/libjvm.so" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -V -u | tail -1 || true)
echo "device kit: runtime with $modules (its libjvm needs ${glibc:-an unknown glibc} or newer)"

# 2. The jar, without what a Linux x86-64 GPU node never loads.
cp target/langevin.jar "$out/langevin.jar"
drop=()
while IFS= read -r entry; do
  case "$entry" in
    lib/*NvPTXCompiler*|lib/*windows*|lib/*apple*|lib/*.dll|lib/*.dylib) drop+=("$entry") ;;
    com/sun/jna/linux-x86-64/*|com/sun/jna/*.class|com/sun/jna/*/*.class) ;;
    com/sun/jna/*/*) drop+=("$entry") ;;
  esac
done < <(unzip -Z1 "$out/langevin.jar")
if [ ${#drop[@]} -gt 0 ]; then
  zip -q -d "$out/langevin.jar" "${drop[@]}" >/dev/null
fi

# 3. The test classes and the JUnit console launcher.
cp -r target/test-classes "$out/test-classes"
launcher="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$junit_version/junit-platform-console-standalone-$junit_version.jar"
if [ ! -f "$launcher" ]; then
  mvn -B -q dependency:get -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_version"
fi
cp "$launcher" "$out/junit-console.jar"

# 4. The example files the CLI tests read (they run with the kit as working directory), and the scripts.
cp -r examples "$out/examples"
cp "$kit_src/run.sh" "$kit_src/report.py" "$kit_src/gpu_peers.py" "$kit_src/README.md" "$out/"
chmod +x "$out/run.sh"
git -C "$root" rev-parse --short HEAD > "$out/COMMIT" 2>/dev/null || echo unknown > "$out/COMMIT"

tar -C "$root/target" -czf "$tarball" device-kit
size=$(stat -c %s "$tarball")
printf 'device kit: %s, %.1f MiB (unpacked %s)\n' "$tarball" "$(echo "$size / 1048576" | bc -l)" "$(du -sh "$out" | cut -f1)"
if [ "$size" -gt "$limit" ]; then
  echo "device kit: the bundle is larger than 60 MiB" >&2
  exit 1
fi
