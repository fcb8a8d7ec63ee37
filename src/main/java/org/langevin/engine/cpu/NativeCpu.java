package org.langevin.engine.cpu;

import static org.langevin.engine.cpu.CpuProblem.DYN_BROWNIAN;
import static org.langevin.engine.cpu.CpuProblem.DYN_LANGEVIN;
import static org.langevin.engine.cpu.CpuProblem.DYN_SGD;
import static org.langevin.engine.cpu.CpuProblem.DYN_SGD_SDE;
import static org.langevin.engine.cpu.CpuProblem.LOSS_DOUBLE_WELL;
import static org.langevin.engine.cpu.CpuProblem.LOSS_LINREG;
import static org.langevin.engine.cpu.CpuProblem.LOSS_LOGISTIC;
import static org.langevin.engine.cpu.CpuProblem.LOSS_QUADRATIC;

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
 * The CPU engine's native kernels, in C with AVX-512 intrinsics (16 particles a vector, several vectors in flight,
 * a tile's state in registers or L1 across all its steps), several times the Java vector paths, with the same
 * bits (NativeCpuTest): kernels/lv_cpu_dw.c for 1-D Langevin on the double well without a prior (eight vectors a
 * tile; the program built from the same source is the benchmarks' same-arithmetic C peer), and kernels/lv_cpu.c
 * for Brownian motion, gradient flow and Langevin on every built-in loss (double well, quadratic, full-batch
 * linear and logistic regression, prior or not), the SGD SDE, and SGD on a training set
 * (linear and logistic regression, the quadratic and double well with data noise; any batch, sampling and
 * preconditioner) in any dimension, with or without window sums (averages); the SGD SDE's state-dependent noise
 * too. User models stay on the Java paths. The build compiles them on Linux x86-64 into the jar
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

        /**
         * Brownian motion, gradient flow, Langevin or the SGD SDE on a built-in loss: count
         * particles from base, coordinate j of particle i at xs[j·count + i], steps first … first+steps−1; a, b the
         * loss's matrix and vector (fp at CpuProblem.mat, vec), xd, yd the training set's features and targets
         * (logistic, and linreg's loss value), chol the SGD SDE's noise factor (fp at CpuProblem.chol); avg the window
         * sums (null: none), row r of particle i at avg[r·count + i], added to from the steps after burnIn; invS2
         * linreg's 1/s²; stateNoise 1 for the SGD SDE with Σ(x) factored at every step (linreg).
         *
         * @return 0, or −1 for a problem the kernel does not run
         */
        int lv_cpu_advance(Pointer xs, long count, long base, long first, long steps, long seed, int dynamics, int loss,
                int d, int n, int prior, float dt, float noiseScale, float priorCoef, Pointer a, Pointer b, Pointer xd,
                Pointer yd, Pointer chol, Pointer avg, long burnIn, float invS2, int stateNoise);

        /**
         * SGD on linear or logistic regression, or the quadratic or double well with data noise: count particles from
         * base at xs[j·count + i], steps first … first+steps−1; a, b the quadratic's matrix and vector, xd, yd the
         * training set's features (noise samples) and targets, xbar their mean, prec the preconditioner; avg, burnIn
         * the window sums as lv_cpu_advance's.
         *
         * @return 0, or −1 for a problem the kernel does not run
         */
        int lv_cpu_sgd_advance(Pointer xs, long count, long base, long first, long steps, long seed, int loss, int d,
                int n, int batch, int distinct, int precond, int prior, float lr, float invS2, float priorCoef, Pointer a,
                Pointer b, Pointer xd, Pointer yd, Pointer xbar, Pointer prec, Pointer avg, long burnIn);
    }

    /** The problem's parameters in native memory, made once per problem and thread (they never change). */
    private record Params(CpuProblem problem, Pointer a, Pointer b, Pointer xd, Pointer yd, Pointer xbar, Pointer prec,
            Pointer chol) {
        static Params of(CpuProblem p) {
            Memory fp = new Memory(4L * p.fp.length);
            fp.write(0, p.fp, 0, p.fp.length);
            Pointer xd = null;
            Pointer yd = null;
            if (p.n > 0 && p.data.length > 0) {
                Memory data = new Memory(4L * p.data.length);
                data.write(0, p.data, 0, p.data.length);
                xd = data;
                yd = data.share(4L * p.ys);
            }
            return new Params(p, fp.share(4L * p.mat), fp.share(4L * p.vec), xd, yd, fp.share(4L * p.xbar),
                    fp.share(4L * p.prec), fp.share(4L * p.chol));
        }
    }

    private static final ThreadLocal<Params> PARAMS = new ThreadLocal<>();

    /** Floats copied to native memory at a time (all d coordinates of a chunk's particles): 64 KiB, in L2. */
    private static final int CHUNK = 16384;

    private static final String RESOURCE = "native/linux-x86-64/liblangevin-cpu.so";
    private static String reason = "";
    private static final Lib LIB = load();
    private static final ThreadLocal<Memory> BUFFER = ThreadLocal.withInitial(() -> new Memory(4L * CHUNK));
    /** A chunk's window sums: (2d + 1)·per doubles, at most 3·CHUNK (per ≤ CHUNK / d). */
    private static final ThreadLocal<Memory> SUMS = ThreadLocal.withInitial(() -> new Memory(8L * 3 * CHUNK));

    private NativeCpu() {
    }

    /** @return true when the native kernel runs in this JVM */
    public static boolean enabled() {
        return LIB != null;
    }

    /** @return a one-line reason for {@link #enabled()} (for {@code info} and the benchmarks) */
    public static String describe() {
        return LIB != null ? "native AVX-512 kernels for Brownian motion, gradient flow, Langevin, SGD and the SGD SDE "
                + "on the built-in losses, averaged or not (liblangevin-cpu)" : "no native kernel (" + reason + ")";
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

    /**
     * @param average whether the run keeps window sums (the kernels take them too)
     * @return true when {@link #advance} takes the problem: the kernels are loaded; d at most
     *         CpuProblem.MAX_DIM; Brownian motion, gradient flow, Langevin or the SGD SDE (constant noise, or
     *         state-dependent on linreg) on any built-in loss (prior or not), or
     *         SGD on linear or logistic regression or the quadratic or double well with data noise (any batch,
     *         sampling and preconditioner)
     */
    static boolean handles(CpuProblem p, boolean average) {
        if (LIB == null || p.d > CpuProblem.MAX_DIM) {
            return false;
        }
        if (p.dynamics == DYN_SGD) {
            return p.n > 0 && (p.loss == LOSS_LINREG || p.loss == LOSS_LOGISTIC
                    || (p.loss == LOSS_QUADRATIC || p.loss == LOSS_DOUBLE_WELL) && p.shift);
        }
        boolean dynamics = p.dynamics >= DYN_BROWNIAN && p.dynamics <= DYN_LANGEVIN
                || p.dynamics == DYN_SGD_SDE && (!p.stateNoise || p.loss == LOSS_LINREG && p.n > 0);
        return dynamics && (p.loss != LOSS_LOGISTIC || p.n > 0);
    }

    /**
     * As {@link CpuKernels#advance} for a problem {@link #handles} accepts: particles [from, to) of x (x[j][i],
     * global index base + i), steps firstStep … firstStep+nSteps−1, window sums into avg (null: none; rows 2d + 1:
     * Σx_j, Σx_j², ΣL over the steps after burnIn), in chunks copied to native memory and back.
     */
    static void advance(CpuProblem p, float[][] x, double[][] avg, long base, int from, int to, long firstStep,
            long nSteps, long burnIn, long seed, float lr, float noiseScale) {
        Memory m = BUFFER.get();
        final int d = p.d;
        if (avg == null && d == 1 && !p.prior && p.dynamics == DYN_LANGEVIN && p.loss == LOSS_DOUBLE_WELL) {
            for (int i = from; i < to; i += CHUNK) {
                int n = Math.min(CHUNK, to - i);
                m.write(0, x[0], i, n);
                LIB.lv_cpu_dw_advance(m, n, base + i, firstStep, nSteps, seed, p.dt, noiseScale);
                m.read(0, x[0], i, n);
            }
            return;
        }
        Params q = PARAMS.get();
        if (q == null || q.problem() != p) {
            q = Params.of(p);
            PARAMS.set(q);
        }
        // particles a chunk: all d coordinates in CHUNK floats, a multiple of 16 (a vector)
        final int per = Math.max(16, CHUNK / d / 16 * 16);
        final Memory sums = avg != null ? SUMS.get() : null;
        for (int i = from; i < to; i += per) {
            int n = Math.min(per, to - i);
            for (int j = 0; j < d; j++) {
                m.write(4L * j * n, x[j], i, n);
            }
            if (sums != null) {
                for (int r = 0; r <= 2 * d; r++) {
                    sums.write(8L * r * n, avg[r], i, n);
                }
            }
            int rc = p.dynamics == DYN_SGD
                    ? LIB.lv_cpu_sgd_advance(m, n, base + i, firstStep, nSteps, seed, p.loss, d, p.n, p.batch,
                            p.distinct ? 1 : 0, p.precond, p.prior ? 1 : 0, lr, p.invS2, p.priorCoef, q.a(), q.b(), q.xd(),
                            q.yd(), q.xbar(), q.prec(), sums, burnIn)
                    : LIB.lv_cpu_advance(m, n, base + i, firstStep, nSteps, seed, p.dynamics, p.loss, d, p.n,
                            p.prior ? 1 : 0, p.dt, noiseScale, p.priorCoef, q.a(), q.b(), q.xd(), q.yd(), q.chol(), sums,
                            burnIn, p.invS2, p.stateNoise ? 1 : 0);
            if (rc != 0) {
                throw new IllegalStateException("the native CPU kernel refused a problem NativeCpu.handles accepted "
                        + "(dynamics " + p.dynamics + ", loss " + p.loss + ", d " + d + "); run with -Dlangevin.native=false");
            }
            for (int j = 0; j < d; j++) {
                m.read(4L * j * n, x[j], i, n);
            }
            if (sums != null) {
                for (int r = 0; r <= 2 * d; r++) {
                    sums.read(8L * r * n, avg[r], i, n);
                }
            }
        }
    }
}
