package org.langevin.engine.cuda;

import java.util.ArrayList;
import java.util.List;
import org.langevin.engine.device.NoiseMode;

/**
 * Finds out whether the GPU backend is usable here and what the machine has, for
 * {@code langevin info} and for {@code --backend auto}. Runs the same checks as
 * {@link GpuEngine#open}, in the same order, and records the first that fails. Thread-safe (each
 * call probes afresh).
 */
public final class CudaProbe {
    /**
     * The outcome.
     *
     * @param problem why the GPU backend is unusable, in full; null when usable
     * @param shortProblem the same in a few words; null when usable
     * @param driverVersion the driver's CUDA version (cuDriverGetVersion), or null when not reached
     * @param devices the devices found (empty when none or not reached)
     * @param ptx the packaged PTX, or null when the kernels were not built
     */
    public record Report(String problem, String shortProblem, String driverVersion, List<CudaDevice> devices, Ptx ptx) {
        /**
         * Copies the device list, so that a report is immutable.
         *
         * @param problem why the GPU backend is unusable, in full; null when usable
         * @param shortProblem the same in a few words; null when usable
         * @param driverVersion the driver's CUDA version (cuDriverGetVersion), or null when not reached
         * @param devices the devices found (empty when none or not reached); not null
         * @param ptx the packaged PTX, or null when the kernels were not built
         */
        public Report {
            devices = List.copyOf(devices);
        }

        /** @return true when {@link GpuEngine#open} on device 0 succeeds */
        public boolean usable() {
            return problem == null;
        }
    }

    private CudaProbe() {
    }

    /**
     * Probes the driver, the devices and the kernels (creates and destroys a context on device 0).
     *
     * @return what was found; {@link Report#problem()} names the first check that failed, or is null when
     *         the GPU backend is usable on device 0
     */
    public static Report probe() {
        Ptx ptx = Ptx.loadPackaged();
        try {
            GpuEngine.initDriver();
        } catch (GpuUnavailableException e) {
            return new Report(detail(e), e.shortReason(), null, List.of(), ptx);
        }
        String driver = CudaContext.driverVersion();
        List<CudaDevice> devices = new ArrayList<>();
        int n = CudaContext.deviceCount();
        for (int i = 0; i < n; i++) {
            devices.add(CudaContext.query(i));
        }
        try (GpuEngine e = GpuEngine.open(0, NoiseMode.FUSED, 0)) {
            return new Report(null, null, driver, devices, ptx);
        } catch (GpuUnavailableException e) {
            return new Report(detail(e), e.shortReason(), driver, devices, ptx);
        } catch (CudaException e) {
            return new Report(e.getMessage(), e.errorName(), driver, devices, ptx);
        }
    }

    private static String detail(GpuUnavailableException e) {
        String m = e.getMessage();
        String prefix = "gpu backend unavailable: ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
