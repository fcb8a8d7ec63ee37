package org.langevin.engine.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared precondition of the GPU integration tests. */
final class GpuTests {
    private GpuTests() {
    }

    /** Skips the calling test, naming it and the reason, when the GPU backend is unusable here. */
    static void requireGpu(String what) {
        CudaProbe.Report r = CudaProbe.probe();
        assumeTrue(r.usable(), () -> "skipped GPU test '" + what + "': " + r.problem());
    }
}
