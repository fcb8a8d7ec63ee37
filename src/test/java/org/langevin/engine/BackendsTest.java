package org.langevin.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.langevin.engine.cuda.CudaProbe;
import org.langevin.engine.cuda.GpuUnavailableException;

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
