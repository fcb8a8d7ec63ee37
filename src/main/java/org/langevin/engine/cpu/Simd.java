package org.langevin.engine.cpu;

/**
 * Whether the CPU engine's vector paths ({@link SimdKernels}) run. They need the JDK's incubating
 * {@code jdk.incubator.vector} module in the boot layer (start the JVM with
 * {@code --add-modules jdk.incubator.vector}) and 512-bit vectors (AVX-512); otherwise, or with the
 * system property {@code -Dlangevin.simd=false}, the scalar paths run. Both give the same bits. The
 * decision is taken once, when the class loads; thread-safe.
 */
public final class Simd {
    /** True when the vector paths run. */
    static final boolean ENABLED = detect();

    private Simd() {
    }

    /** @return true when the CPU engine uses the Vector API paths in this JVM */
    public static boolean enabled() {
        return ENABLED;
    }

    /** @return a one-line reason for {@link #enabled()} (for {@code info} and benchmarks) */
    public static String describe() {
        if (ENABLED) {
            return "Vector API (jdk.incubator.vector, 512-bit)";
        }
        if ("false".equalsIgnoreCase(System.getProperty("langevin.simd"))) {
            return "scalar (-Dlangevin.simd=false)";
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "scalar (start java with --add-modules jdk.incubator.vector for the vector paths)";
        }
        return "scalar (no 512-bit vectors on this CPU)";
    }

    /**
     * The four normals of one Philox block (region 0 numbering: block {@code block}) for the particles
     * first … first+count−1, as the engine draws them: normal r of particle first+i goes to
     * out[r·count + i]. Uses the vector path when {@link #enabled()}; same bits either way. Thread-safe.
     *
     * @param seed the Philox seed
     * @param first global index of the first particle, ≥ 0
     * @param block 64-bit block index (region in the high word)
     * @param count particles, ≥ 0
     * @param out receives 4·count normals
     * @throws IllegalArgumentException when first or count is negative or out is null or too short
     */
    public static void normals(long seed, long first, long block, int count, float[] out) {
        check(first, count, out == null ? -1 : out.length);
        int vec = ENABLED ? (count / SimdKernels.L) * SimdKernels.L : 0;
        if (vec > 0) {
            long[] keys = SimdKernels.roundKeys(seed);
            long[] words = new long[4 * SimdKernels.L];
            for (int i = 0; i < vec; i += SimdKernels.L) {
                SimdKernels.normals8(block, first + i, keys, words, out, i, count);
            }
        }
        float[] four = new float[4];
        int[] w = new int[4];
        for (int i = vec; i < count; i++) {
            org.langevin.rng.NormalTransform.normal4(seed, first + i, block, w, four, 0);
            for (int r = 0; r < 4; r++) {
                out[r * count + i] = four[r];
            }
        }
    }

    /**
     * The four Philox4x32-10 words of block {@code block} for the particles first … first+count−1:
     * word r of particle first+i goes to out[r·count + i]. Vector path when {@link #enabled()}; same
     * bits either way. Thread-safe.
     *
     * @param seed the Philox seed
     * @param first global index of the first particle, ≥ 0
     * @param block 64-bit block index (region in the high word)
     * @param count particles, ≥ 0
     * @param out receives 4·count raw (unsigned) words
     * @throws IllegalArgumentException when first or count is negative or out is null or too short
     */
    public static void words(long seed, long first, long block, int count, int[] out) {
        check(first, count, out == null ? -1 : out.length);
        int vec = ENABLED ? (count / SimdKernels.L) * SimdKernels.L : 0;
        if (vec > 0) {
            long[] keys = SimdKernels.roundKeys(seed);
            long[] words = new long[4 * SimdKernels.L];
            for (int i = 0; i < vec; i += SimdKernels.L) {
                SimdKernels.philox8(block, first + i, keys, words);
                for (int r = 0; r < 4; r++) {
                    for (int l = 0; l < SimdKernels.L; l++) {
                        out[r * count + i + l] = (int) words[r * SimdKernels.L + l];
                    }
                }
            }
        }
        int[] w = new int[4];
        for (int i = vec; i < count; i++) {
            org.langevin.rng.Philox4x32.block(seed, first + i, block, w, 0);
            for (int r = 0; r < 4; r++) {
                out[r * count + i] = w[r];
            }
        }
    }

    private static void check(long first, int count, int outLength) {
        if (first < 0) {
            throw new IllegalArgumentException("first must be >= 0, got " + first);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (outLength < 4L * count) {
            throw new IllegalArgumentException("out must hold 4*count = " + 4L * count + " values, got "
                    + (outLength < 0 ? "null" : outLength) + ": allocate new float[4 * count]");
        }
    }

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("langevin.simd"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        // only now may a class that links against jdk.incubator.vector load
        return SimdKernels.supported();
    }
}
