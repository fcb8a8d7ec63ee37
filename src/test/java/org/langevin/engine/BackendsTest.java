package org.langevin.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.engine.cuda.CudaException;
import org.langevin.engine.cuda.CudaProbe;
import org.langevin.engine.cuda.GpuUnavailableException;
import org.langevin.engine.device.NoiseMode;

/** Backend selection and its reasons. The GPU cases assert what this machine has, whichever it is. */
class BackendsTest {
    @Test
    void cpuAndEmulatedOpenWithAReason() {
        Backends.Selection cpu = Backends.open("cpu", 2);
        try (Engine e = cpu.engine()) {
            assertEquals("cpu", e.name());
            assertEquals("cpu: the CPU engine with 2 threads", cpu.reason());
        }
        Backends.Selection emu = Backends.open("emulated", 0, "fused");
        try (Engine e = emu.engine()) {
            assertEquals("emulated", e.name());
            assertTrue(emu.reason().startsWith("emulated: emulated device"), emu.reason());
        }
    }

    @Test
    void autoTakesTheGpuOnlyWhenUsableAndSaysWhy() {
        CudaProbe.Report probe = CudaProbe.probe();
        Backends.Selection s = Backends.open("auto", 1);
        try (Engine e = s.engine()) {
            if (probe.usable()) {
                assertEquals("gpu", e.name());
                assertTrue(s.reason().startsWith("auto: using GPU 0"), s.reason());
            } else {
                assertEquals("cpu", e.name());
                assertEquals("auto: GPU unavailable (" + probe.shortProblem() + "), using the CPU engine with 1 thread",
                        s.reason());
            }
        }
    }

    @Test
    void gpuWhenUnusableNamesWhatIsMissing() {
        CudaProbe.Report probe = CudaProbe.probe();
        if (probe.usable()) {
            try (Engine e = Backends.open("gpu", 0).engine()) {
                assertEquals("gpu", e.name());
            }
            return;
        }
        GpuUnavailableException ex = assertThrows(GpuUnavailableException.class, () -> Backends.open("gpu", 0));
        assertTrue(ex.getMessage().contains(probe.shortProblem()), ex.getMessage() + " vs " + probe.shortProblem());
        assertTrue(ex.getMessage().startsWith("gpu backend unavailable: "), ex.getMessage());
    }

    /**
     * A GPU that is present but fails to open (here through the opener seam, with the exceptions the
     * GPU engine throws then): auto runs on the CPU and says why, gpu fails with the error, and
     * --noise curand, which needs the GPU, fails under auto too.
     */
    @Test
    void autoFallsBackToTheCpuWhenAPresentGpuFailsToOpen() {
        CudaException refused = new CudaException("cuCtxCreate(device 0)", "CUDA_ERROR_DEVICE_UNAVAILABLE", null);
        IllegalStateException other = new IllegalStateException("the kernel module is unloaded\nsecond line");
        CudaException oom = new CudaException("cuModuleLoadDataEx(PTX .version 7.0)", "CUDA_ERROR_OUT_OF_MEMORY", null);
        Object[][] cases = {
            {refused, "cuCtxCreate(device 0) failed: CUDA_ERROR_DEVICE_UNAVAILABLE"},
            {oom, "cuModuleLoadDataEx(PTX .version 7.0) failed: CUDA_ERROR_OUT_OF_MEMORY"},
            {other, "the kernel module is unloaded"},
            {new UnsatisfiedLinkError("libJCudaDriver-11.8.0-linux-x86_64.so: cannot open"),
                "libJCudaDriver-11.8.0-linux-x86_64.so: cannot open"},
            {new IllegalStateException(), "IllegalStateException"},
        };
        for (Object[] c : cases) {
            Throwable failure = (Throwable) c[0];
            Backends.GpuOpener opener = mode -> {
                assertEquals(NoiseMode.FUSED, mode);
                throw sneaky(failure);
            };
            Backends.Selection s = Backends.open("auto", 3, "fused", opener);
            try (Engine e = s.engine()) {
                assertEquals("cpu", e.name());
                assertEquals("auto: GPU 0 failed to open (" + c[1] + "), using the CPU engine with 3 threads", s.reason());
            }
            Throwable gpu = assertThrows(Throwable.class, () -> Backends.open("gpu", 3, "fused", opener));
            assertSame(failure, gpu, "--backend gpu fails with the GPU's own error");
        }
        Backends.GpuOpener failing = mode -> {
            assertEquals(NoiseMode.BUFFER, mode);
            throw refused;
        };
        IllegalArgumentException curand = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("auto", 1, "curand", failing));
        assertEquals("--noise curand needs a usable GPU, and GPU 0 failed to open: "
                + "cuCtxCreate(device 0) failed: CUDA_ERROR_DEVICE_UNAVAILABLE", curand.getMessage());
        assertSame(refused, curand.getCause());
    }

    @Test
    void autoSaysWhyAnUnusableGpuWasSkipped() {
        GpuUnavailableException none = new GpuUnavailableException("no libcuda.so.1", "no libcuda.so.1: not installed", null);
        Backends.Selection s = Backends.open("auto", 1, "fused", mode -> {
            throw none;
        });
        try (Engine e = s.engine()) {
            assertEquals("cpu", e.name());
            assertEquals("auto: GPU unavailable (no libcuda.so.1), using the CPU engine with 1 thread", s.reason());
        }
        IllegalArgumentException curand = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("auto", 1, "curand", mode -> {
                    throw none;
                }));
        assertEquals("--noise curand needs a usable GPU, and gpu backend unavailable: no libcuda.so.1: not installed",
                curand.getMessage());
    }

    @Test
    void oneLineKeepsTheFirstLineAndBoundsItsLength() {
        assertEquals("a", Backends.oneLine(new RuntimeException("  a\nb")));
        assertEquals("RuntimeException", Backends.oneLine(new RuntimeException(" ")));
        String longLine = Backends.oneLine(new RuntimeException("x".repeat(500)));
        assertEquals(200, longLine.length());
        assertTrue(longLine.endsWith("..."), longLine);
    }

    /** Throws any Throwable from a lambda that declares none (the opener's failures are unchecked). */
    private static RuntimeException sneaky(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new AssertionError(t);
    }

    @Test
    void rejectsBadNamesNoiseAndThreads() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu", 1));
        assertTrue(name.getMessage().contains("'tpu'") && name.getMessage().contains("auto, cpu, gpu, emulated"),
                name.getMessage());
        IllegalArgumentException noise = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("cpu", 1, "mersenne"));
        assertTrue(noise.getMessage().contains("fused or curand"), noise.getMessage());
        IllegalArgumentException curand = assertThrows(IllegalArgumentException.class,
                () -> Backends.open("emulated", 1, "curand"));
        assertTrue(curand.getMessage().contains("--backend gpu"), curand.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backends.open("cpu", -1));
    }

    @Test
    void describeListsBackendsDevicesAndKernels() {
        String d = Backends.describe();
        assertTrue(d.contains("  cpu       available"), d);
        assertTrue(d.contains("  emulated  available"), d);
        assertTrue(d.contains("  gpu       "), d);
        assertTrue(d.contains("CUDA driver: "), d);
        assertTrue(d.contains("devices:"), d);
        assertTrue(d.contains("kernels: "), d);
        CudaProbe.Report probe = CudaProbe.probe();
        if (!probe.usable()) {
            assertTrue(d.contains("unavailable: " + probe.problem()), d);
        }
    }
}
