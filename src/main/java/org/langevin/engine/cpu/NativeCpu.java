package org.langevin.engine.cpu;

import static org.langevin.engine.cpu.CpuProblem.DYN_LANGEVIN;
import static org.langevin.engine.cpu.CpuProblem.LOSS_DOUBLE_WELL;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CPU engine's native kernel: 1-D Langevin on the double well (no window sums, no prior) in C with AVX-512
 * intrinsics (kernels/lv_cpu_dw.c, 16 particles a vector, eight vectors in flight, the state in registers across
 * a tile's steps), several times the Java vector path, with the same bits (NativeCpuTest; the program built from
 * the same source is the benchmarks' same-arithmetic C peer). The build compiles it on Linux x86-64 into the jar
 * ({@code native/linux-x86-64/liblangevin-cpu.so}); it is loaded, through JNA, only on a CPU whose
 * {@code /proc/cpuinfo} lists AVX-512F, DQ, BW and VL, and not with {@code -Dlangevin.native=false}. Anywhere else
 * the Java paths run. The decision is taken once, when the class loads; thread-safe.
 */
public final class NativeCpu {
    /** The library's entry points. */
    interface Lib extends Library {
        /** @return 1 when the AVX-512 path is compiled in */
        int lv_cpu_dw_vector();

        /** Advances count particles from base, steps first … first+steps−1, their state at xs. */
        void lv_cpu_dw_advance(Pointer xs, long count, long base, long first, long steps, long seed, float dt,
                float noiseScale);
    }

    /** Particles copied to native memory at a time: 64 KiB, in the core's L2 while the steps run. */
    private static final int CHUNK = 16384;

    private static final String RESOURCE = "native/linux-x86-64/liblangevin-cpu.so";
    private static String reason = "";
    private static final Lib LIB = load();
    private static final ThreadLocal<Memory> BUFFER = ThreadLocal.withInitial(() -> new Memory(4L * CHUNK));

    private NativeCpu() {
    }

    /** @return true when the native kernel runs in this JVM */
    public static boolean enabled() {
        return LIB != null;
    }

    /** @return a one-line reason for {@link #enabled()} (for {@code info} and the benchmarks) */
    public static String describe() {
        return LIB != null ? "native AVX-512 kernel for 1-D double-well Langevin (liblangevin-cpu)" : "no native kernel (" + reason + ")";
    }

    private static Lib load() {
        if ("false".equalsIgnoreCase(System.getProperty("langevin.native"))) {
            reason = "-Dlangevin.native=false";
            return null;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            reason = "built for Linux x86-64 only";
            return null;
        }
        if (!cpuHasAvx512()) {
            reason = "this CPU lacks AVX-512F/DQ/BW/VL";
            return null;
        }
        URL url = NativeCpu.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            reason = "the jar was built without a C compiler";
            return null;
        }
        try {
            // from a jar: extracted once per content into the cache of compiled models and of the emulated device
            // ($XDG_CACHE_HOME/langevin, else ~/.cache/langevin; docs/models.md)
            Path file = org.langevin.engine.emulated.EmulatorBinary.cachedCopy(url, "cpu-prebuilt-", "liblangevin-cpu.so");
            Lib lib = Native.load(file.toAbsolutePath().toString(), Lib.class);
            if (lib.lv_cpu_dw_vector() != 1) {
                reason = "the library was built without its AVX-512 path";
                return null;
            }
            return lib;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            reason = "cannot load " + RESOURCE + ": " + e.getMessage();
            return null;
        }
    }

    private static boolean cpuHasAvx512() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    java.util.Set<String> f = java.util.Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    return f.contains("avx512f") && f.contains("avx512dq") && f.contains("avx512bw") && f.contains("avx512vl");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** @return true when {@link #advance} takes the problem: the kernel is loaded, 1-D double-well Langevin, no prior, no window sums */
    static boolean handles(CpuProblem p, boolean average) {
        return LIB != null && p.d == 1 && !p.prior && !average && p.dynamics == DYN_LANGEVIN && p.loss == LOSS_DOUBLE_WELL;
    }

    /**
     * As {@link CpuKernels#advance} for a problem {@link #handles} accepts: particles [from, to) of xs (global
     * index base + i), steps firstStep … firstStep+nSteps−1, in chunks copied to native memory and back.
     */
    static void advance(CpuProblem p, float[] xs, long base, int from, int to, long firstStep, long nSteps, long seed,
            float noiseScale) {
        Memory m = BUFFER.get();
        for (int i = from; i < to; i += CHUNK) {
            int n = Math.min(CHUNK, to - i);
            m.write(0, xs, i, n);
            LIB.lv_cpu_dw_advance(m, n, base + i, firstStep, nSteps, seed, p.dt, noiseScale);
            m.read(0, xs, i, n);
        }
    }
}
