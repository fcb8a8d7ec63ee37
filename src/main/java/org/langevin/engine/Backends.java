package org.langevin.engine;

import java.util.Locale;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.engine.cuda.CudaDevice;
import org.langevin.engine.cuda.CudaProbe;
import org.langevin.engine.cuda.GpuEngine;
import org.langevin.engine.cuda.GpuUnavailableException;
import org.langevin.engine.device.NoiseMode;
import org.langevin.engine.emulated.EmulatedEngine;
import org.langevin.engine.emulated.EmulatorBinary;

/**
 * Backend selection ({@code --backend auto|cpu|gpu|emulated}, {@code --noise fused|curand}) and the
 * machine description of {@code langevin info}. {@code auto} takes GPU 0 when it is usable and the
 * CPU engine otherwise (the GPU is unusable, or opening it fails in any way), and says why. Stateless
 * and thread-safe.
 */
public final class Backends {
    /** Backend names accepted by {@link #open}. */
    public static final String NAMES = "auto, cpu, gpu, emulated";

    /**
     * An opened engine and the one-line reason it was chosen.
     *
     * @param engine the engine (the caller closes it)
     * @param reason e.g. "auto: GPU unavailable (no libcuda.so.1), using the CPU engine with 2 threads"
     */
    public record Selection(Engine engine, String reason) {
    }

    private Backends() {
    }

    /**
     * Opens GPU {@code device} (an ordinal as CUDA numbers them; a Spark executor gets it from its
     * task's GPU resource).
     *
     * @param device the GPU's CUDA ordinal, ≥ 0
     * @param noise fused or curand
     * @return the GPU engine on that device alone (the caller closes it)
     * @throws IllegalArgumentException when noise is neither fused nor curand
     * @throws GpuUnavailableException when that GPU is unusable; the message names what is missing
     */
    public static Engine openGpu(int device, String noise) {
        if (!"fused".equals(noise) && !"curand".equals(noise)) {
            throw new IllegalArgumentException("--noise must be fused or curand, got '" + noise + "'");
        }
        return GpuEngine.open(device, "curand".equals(noise) ? NoiseMode.BUFFER : NoiseMode.FUSED, 0);
    }

    /**
     * {@link #open(String, int, String)} with fused noise.
     *
     * @param name auto, cpu, gpu or emulated
     * @param threads CPU worker threads, 1 … 4096, or 0 for one per available processor (CPU engine only)
     * @return the opened engine and why it was chosen
     */
    public static Selection open(String name, int threads) {
        return open(name, threads, "fused");
    }

    /**
     * Opens a backend.
     *
     * @param name auto, cpu, gpu or emulated
     * @param threads CPU worker threads, 1 … 4096, or 0 for one per available processor (CPU engine only)
     * @param noise fused (the kernels' own Philox normals) or curand (cuRAND fills a buffer; GPU only)
     * @return the opened engine (every visible GPU for {@code gpu} and {@code auto}) and why it was chosen
     * @throws IllegalArgumentException for an unknown name or noise, a bad thread count, or
     *                                  {@code curand} without a usable GPU
     * @throws GpuUnavailableException for {@code gpu} when the GPU is unusable; the message names what is missing
     * @throws org.langevin.engine.cuda.CudaException for {@code gpu} when a driver call fails while opening it
     *         ({@code auto} falls back to the CPU engine on any failure and says why in the reason)
     * @throws IllegalStateException for {@code emulated} when its library can neither be loaded nor compiled
     */
    public static Selection open(String name, int threads, String noise) {
        return open(name, threads, noise, (int[]) null);
    }

    /**
     * {@link #open(String, int, String)} on the given GPUs.
     *
     * @param name auto, cpu, gpu or emulated
     * @param threads CPU worker threads, 1 … 4096, or 0 for one per available processor (CPU engine only)
     * @param noise fused or curand (GPU only)
     * @param devices GPU ordinals for {@code gpu} and {@code auto} (particle blocks split between them,
     *                same bytes as one); null or empty for every visible GPU
     * @return the opened engine and why it was chosen; failures as for {@link #open(String, int, String)}
     */
    public static Selection open(String name, int threads, String noise, int[] devices) {
        int[] use = devices == null ? null : devices.clone();
        return open(name, threads, noise, mode -> GpuEngine.openDevices(use, mode, 0));
    }

    /** Opens the GPU(s) with a noise mode: {@code GpuEngine.openDevices(devices, mode, 0)}, or a test's substitute. */
    @FunctionalInterface
    interface GpuOpener {
        Engine open(NoiseMode mode);
    }

    /**
     * {@link #open(String, int, String)} with the GPU opened by {@code gpu}: the seam through which a
     * test makes opening the GPU fail the ways a real one can (a context refused in exclusive-process
     * mode, out of memory, a module that does not load) on a machine without one.
     */
    static Selection open(String name, int threads, String noise, GpuOpener gpu) {
        if (name == null) {
            throw new IllegalArgumentException("--backend is required: use one of " + NAMES);
        }
        if (threads < 0 || threads > 4096) {
            throw new IllegalArgumentException("--threads must be in 0..4096 (0: one per core), got " + threads);
        }
        boolean curand;
        if ("fused".equals(noise)) {
            curand = false;
        } else if ("curand".equals(noise)) {
            curand = true;
        } else {
            throw new IllegalArgumentException("--noise must be fused or curand, got '" + noise + "'");
        }
        NoiseMode mode = curand ? NoiseMode.BUFFER : NoiseMode.FUSED;
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu" -> {
                requireFused(curand, "cpu");
                CpuEngine e = new CpuEngine(t);
                return new Selection(e, "cpu: the CPU engine with " + threads(t));
            }
            case "emulated" -> {
                requireFused(curand, "emulated");
                EmulatedEngine e = new EmulatedEngine(NoiseMode.FUSED, 0);
                return new Selection(e, "emulated: " + e.description());
            }
            case "gpu" -> {
                Engine e = gpu.open(mode);
                return new Selection(e, "gpu: " + e.description());
            }
            case "auto" -> {
                Engine g;
                try {
                    g = gpu.open(mode);
                } catch (GpuUnavailableException ex) {
                    return cpuInstead(curand, t, ex, "GPU unavailable (" + ex.shortReason() + ")");
                } catch (RuntimeException | LinkageError ex) {
                    // A GPU is there but opening it failed: a context refused (exclusive-process mode,
                    // another process holds it), out of memory, a module or JCuda error. auto runs anyway.
                    return cpuInstead(curand, t, ex, "GPU 0 failed to open (" + oneLine(ex) + ")");
                }
                return new Selection(g, "auto: using " + g.description());
            }
            default -> throw new IllegalArgumentException("unknown --backend '" + name + "': use one of " + NAMES);
        }
    }

    /**
     * @return what {@code langevin info} prints: the backends and whether each is usable, the CUDA
     *         driver and devices (name, compute capability, memory) or why there are none, and the kernels
     */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        int cores = Runtime.getRuntime().availableProcessors();
        sb.append("backends:\n");
        sb.append("  cpu       available: Java engine, up to ").append(threads(cores)).append(" (one per core)\n");
        sb.append("  emulated  ");
        try {
            EmulatorBinary.Loaded emu = EmulatorBinary.load();
            sb.append("available: kernels compiled for the host, ").append(emu.origin()).append(" (").append(emu.path())
                    .append(")\n");
        } catch (IllegalStateException e) {
            sb.append("unavailable: ").append(e.getMessage()).append('\n');
        }
        CudaProbe.Report r = CudaProbe.probe();
        sb.append("  gpu       ").append(r.usable() ? "available: GPU 0" : "unavailable: " + r.problem()).append('\n');
        sb.append("CUDA driver: ").append(r.driverVersion() == null ? "none" : "CUDA " + r.driverVersion()).append('\n');
        sb.append("devices:");
        if (r.devices().isEmpty()) {
            sb.append(" none").append(r.driverVersion() == null ? " (" + r.shortProblem() + ")" : "").append('\n');
        } else {
            sb.append('\n');
            for (CudaDevice d : r.devices()) {
                sb.append("  ").append(d.index()).append(": ").append(d.describe())
                        .append(d.supported() ? "" : " (unsupported: the kernels need compute capability 7.5)").append('\n');
            }
        }
        sb.append("kernels: ").append(r.ptx() == null ? "no PTX in this jar (built without nvcc)" : r.ptx().describe())
                .append('\n');
        return sb.toString();
    }

    /** auto's fallback: the CPU engine, with why; --noise curand has none (it needs the GPU). */
    private static Selection cpuInstead(boolean curand, int threads, Throwable why, String reason) {
        if (curand) {
            throw new IllegalArgumentException("--noise curand needs a usable GPU, and "
                    + (why instanceof GpuUnavailableException ? "" : "GPU 0 failed to open: ") + why.getMessage(), why);
        }
        CpuEngine e = new CpuEngine(threads);
        return new Selection(e, "auto: " + reason + ", using the CPU engine with " + threads(threads));
    }

    /** @return the first line of a failure's message (at most 200 characters), or its class when it has none */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        m = m.strip();
        int nl = m.indexOf('\n');
        String line = (nl < 0 ? m : m.substring(0, nl)).strip();
        return line.length() <= 200 ? line : line.substring(0, 197) + "...";
    }

    private static void requireFused(boolean curand, String backend) {
        if (curand) {
            throw new IllegalArgumentException("--noise curand needs --backend gpu (or auto with a usable GPU); the "
                    + backend + " backend uses the fused Philox noise: use --noise fused");
        }
    }

    private static String threads(int t) {
        return t + (t == 1 ? " thread" : " threads");
    }
}
