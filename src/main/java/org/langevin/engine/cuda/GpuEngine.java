package org.langevin.engine.cuda;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.ArrayList;
import java.util.List;
import org.langevin.engine.Engine;
import org.langevin.engine.device.DeviceEngine;
import org.langevin.engine.device.NoiseMode;

/**
 * The GPU backend ({@code --backend gpu}): {@link DeviceEngine} over a CUDA device through JCuda's
 * driver API, with the PTX packaged in the jar. {@link #open} either returns a working engine or
 * throws {@link GpuUnavailableException} saying precisely what is missing. Thread-safety as
 * {@link DeviceEngine}.
 */
public final class GpuEngine extends DeviceEngine {
    /** Backend name on the command line. */
    public static final String NAME = "gpu";

    private GpuEngine(CudaLauncher launcher, NoiseMode noiseMode, long memoryBudget) {
        super(NAME, launcher, noiseMode, memoryBudget);
    }

    /**
     * Opens a GPU: checks the PTX, the driver library, JCuda's native library, cuInit, the device and
     * its compute capability, creates a context and loads the kernels (and, in buffer mode, cuRAND).
     *
     * @param device device ordinal, ≥ 0
     * @param noiseMode fused (in-kernel Philox) or buffer (cuRAND fills a buffer per launch)
     * @param memoryBudget bytes a session may use; 0 for a fraction of the free device memory
     * @return the engine, holding a context on the device with the kernels loaded; the caller closes it
     * @throws GpuUnavailableException naming what is missing
     * @throws IllegalArgumentException for a device ordinal that does not exist or a negative budget
     * @throws CudaException for any other driver failure
     */
    public static GpuEngine open(int device, NoiseMode noiseMode, long memoryBudget) {
        if (device < 0) {
            throw new IllegalArgumentException("GPU device ordinal must be >= 0, got " + device);
        }
        if (memoryBudget < 0) {
            throw new IllegalArgumentException("memoryBudget must be >= 0 bytes (0: automatic), got " + memoryBudget);
        }
        if (noiseMode == null) {
            throw new IllegalArgumentException("noiseMode is required");
        }
        Ptx ptx = requirePtx();
        initDriver();
        int count = CudaContext.deviceCount();
        if (count == 0) {
            throw new GpuUnavailableException("no CUDA device", "the driver reports no CUDA device (cuDeviceGetCount = 0)", null);
        }
        if (device >= count) {
            throw new IllegalArgumentException("GPU device " + device + " does not exist: this machine has " + count
                    + " (use 0.." + (count - 1) + ")");
        }
        CudaDevice info = CudaContext.query(device);
        if (!info.supported()) {
            throw new GpuUnavailableException("compute capability " + info.major() + "." + info.minor() + " < 7.5",
                    "GPU " + device + " (" + info.name() + ") has compute capability " + info.major() + "." + info.minor()
                            + " but the kernels are built for compute_75 (7.5 or newer)", null);
        }
        CudaContext ctx = CudaContext.create(device);
        CudaModule module;
        try {
            module = new CudaModule(ptx);
        } catch (RuntimeException e) {
            // GpuUnavailableException when the driver cannot compile the PTX (ModuleLoadFailure says
            // why, with the JIT's log), CudaException otherwise
            RuntimeException out = e;
            try {
                ctx.close();
            } catch (RuntimeException e2) {
                out.addSuppressed(e2);
            }
            throw out;
        }
        CudaLauncher launcher = new CudaLauncher(ctx, module);
        if (noiseMode == NoiseMode.BUFFER) {
            try {
                CudaCalls.enableCurandExceptions();
            } catch (LinkageError e) {
                GpuUnavailableException out = new GpuUnavailableException("JCurand native library fails to load",
                        "--noise curand: the JCurand native library fails to load (it needs libcurand.so.10 from a CUDA "
                                + "11 or 12 toolkit on the library path): " + e.getMessage() + "; use --noise fused", e);
                try {
                    launcher.close();
                } catch (RuntimeException e2) {
                    out.addSuppressed(e2);
                }
                throw out;
            }
        }
        return new GpuEngine(launcher, noiseMode, memoryBudget);
    }

    /**
     * Opens several GPUs as one engine ({@link MultiGpuEngine}: particle blocks split between them,
     * the bytes of one device), or one GPU as {@link #open}.
     *
     * @param devices device ordinals, distinct; null or empty for every visible device
     * @param noiseMode fused or buffer
     * @param memoryBudget bytes a session may use on each device; 0 for a fraction of its free memory
     * @return a {@link MultiGpuEngine} over the devices in the given order, or a {@code GpuEngine} when there
     *         is one; the caller closes it
     * @throws GpuUnavailableException naming what is missing
     * @throws IllegalArgumentException for an ordinal that does not exist or appears twice
     * @throws CudaException for any other driver failure (the devices opened so far are closed)
     */
    public static Engine openDevices(int[] devices, NoiseMode noiseMode, long memoryBudget) {
        int[] use = devices;
        if (use == null || use.length == 0) {
            requirePtx();
            initDriver();
            int count = CudaContext.deviceCount();
            use = new int[Math.max(1, count)];
            for (int i = 0; i < use.length; i++) {
                use[i] = i;
            }
        }
        for (int i = 0; i < use.length; i++) {
            for (int k = 0; k < i; k++) {
                if (use[i] == use[k]) {
                    throw new IllegalArgumentException("GPU device " + use[i] + " is listed twice in --devices");
                }
            }
        }
        if (use.length == 1) {
            return open(use[0], noiseMode, memoryBudget);
        }
        List<GpuEngine> opened = new ArrayList<>();
        try {
            for (int d : use) {
                opened.add(open(d, noiseMode, memoryBudget));
            }
        } catch (RuntimeException e) {
            for (GpuEngine g : opened) {
                try {
                    g.close();
                } catch (RuntimeException e2) {
                    e.addSuppressed(e2);
                }
            }
            throw e;
        }
        return new MultiGpuEngine(opened);
    }

    /** @return the device this engine runs on */
    public CudaDevice device() {
        return ((CudaLauncher) launcher()).device();
    }

    /** @return the CUDA launcher (tests of this package) */
    CudaLauncher cudaLauncher() {
        return (CudaLauncher) launcher();
    }

    /** @return {free, total} device memory in bytes now (cuMemGetInfo) */
    public long[] memoryInfo() {
        return ((CudaLauncher) launcher()).memInfo();
    }

    /** @return the packaged PTX; throws when the jar was built without nvcc */
    static Ptx requirePtx() {
        Ptx ptx = Ptx.loadPackaged();
        if (ptx == null) {
            throw new GpuUnavailableException("kernels not built",
                    "kernels not built: this jar has no " + Ptx.RESOURCE + " (nvcc was not on the PATH or in "
                            + "$CUDA_HOME/bin when it was built; rebuild with nvcc)", null);
        }
        return ptx;
    }

    /** Checks the driver library and JCuda's native library, then cuInit(0). */
    static void initDriver() {
        String driverLib = Platform.isWindows() ? "nvcuda" : "libcuda.so.1";
        if (!Platform.isLinux() && !Platform.isWindows()) {
            throw new GpuUnavailableException("no CUDA on this platform",
                    "CUDA is not available on " + System.getProperty("os.name"), null);
        }
        try {
            NativeLibrary.getInstance(driverLib);
        } catch (UnsatisfiedLinkError e) {
            throw new GpuUnavailableException("no " + driverLib,
                    "no " + driverLib + ": the NVIDIA driver is not installed or its library is not on the loader path ("
                            + loaderLine(e.getMessage()) + ")", e);
        }
        try {
            CudaCalls.enableDriverExceptions();
        } catch (LinkageError e) {
            throw new GpuUnavailableException("JCuda native library fails to load",
                    "the JCuda driver native library fails to load: " + firstLine(e.getMessage()), e);
        }
        try {
            CudaContext.init();
        } catch (CudaException e) {
            throw new GpuUnavailableException("cuInit: " + e.errorName(), "cuInit(0) failed with " + e.errorName()
                    + " (is the device visible to this process, and the driver loaded?)", e);
        }
    }

    /** @return the dynamic loader's own line of a JNA load failure (its second line), else the first line */
    private static String loaderLine(String s) {
        if (s != null) {
            String[] lines = s.split("\n");
            if (lines.length > 1 && !lines[1].isBlank()) {
                return lines[1].trim();
            }
        }
        return firstLine(s);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
