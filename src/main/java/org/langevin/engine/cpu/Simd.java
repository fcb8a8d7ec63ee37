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
