package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared precondition of the GPU integration tests. Against the stand-in CUDA driver (the default of
 * {@code mvn verify}, system property {@code gpu.standin=true}) and with {@code -Dgpu.required=true}
 * an unusable GPU backend fails the test; otherwise (a real driver, {@code -Pgpu}) the test is skipped,
 * saying why.
 */
public final class GpuTests {
    private GpuTests() {
    }

    /** @return true when the tests run against the stand-in driver */
    public static boolean standin() {
        return Boolean.getBoolean("gpu.standin");
    }

    /** Skips (or fails, see the class comment) the calling test, naming it and the reason, when the GPU backend is unusable here. */
    public static void requireGpu(String what) {
        CudaProbe.Report r = CudaProbe.probe();
        if (!r.usable() && (standin() || Boolean.getBoolean("gpu.required"))) {
            fail("GPU test '" + what + "' cannot run" + (standin() ? " against the stand-in CUDA driver ("
                    + System.getProperty("gpu.standin.dir") + ")" : "") + ": " + r.problem());
        }
        assumeTrue(r.usable(), () -> "skipped GPU test '" + what + "': " + r.problem());
    }
}
