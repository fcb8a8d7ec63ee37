package org.langevin.engine.cuda;

import static jcuda.jcurand.JCurand.curandCreateGenerator;
import static jcuda.jcurand.JCurand.curandDestroyGenerator;
import static jcuda.jcurand.JCurand.curandGenerateNormal;
import static jcuda.jcurand.JCurand.curandSetGeneratorOffset;
import static jcuda.jcurand.JCurand.curandSetGeneratorOrdering;
import static jcuda.jcurand.JCurand.curandSetPseudoRandomGeneratorSeed;

import jcuda.jcurand.curandGenerator;
import jcuda.jcurand.curandOrdering;
import jcuda.jcurand.curandRngType;
import org.langevin.engine.device.DeviceBuffer;
import org.langevin.engine.device.NoiseSource;

/**
 * Buffer-mode noise from cuRAND's host API: one Philox4x32-10 generator
 * ({@code CURAND_RNG_PSEUDO_PHILOX4_32_10}, {@code CURAND_ORDERING_PSEUDO_DEFAULT}) seeded with the
 * run's seed, read at the positions of {@link CurandLayout}: before every launch each run of the
 * buffer's slots is filled by {@code curandSetGeneratorOffset} + {@code curandGenerateNormal} at the
 * position of its first normal, a function of (global step, lane, global particle, the run's
 * particles), so the normals do not depend on sessions, partitions, chunks or launches and a fixed
 * seed reproduces. They are a different (equally valid) stream from the fused kernels' one, so results
 * agree in distribution, not in bits. Used from one thread at a time.
 */
final class CurandNoise implements NoiseSource {
    /** The launcher whose context the generator lives in. */
    private final CudaLauncher launcher;
    /** The run's particles P (the layout's row length). */
    private final long particles;
    /** The generator, null once destroyed. */
    private curandGenerator generator;
    /** Two floats for the Box–Muller pair of a {@link CurandLayout.Pick}; allocated when first needed. */
    private DeviceBuffer scratch;
    /** The layout of the last fill (q rarely changes), or null. */
    private CurandLayout layout;
    /** Its q. */
    private int layoutQ;

    CurandNoise(CudaLauncher launcher, long seed, long particles) {
        if (particles < 1) {
            throw new IllegalArgumentException("the run's particles must be >= 1, got " + particles);
        }
        this.launcher = launcher;
        this.particles = particles;
        try {
            CudaCalls.enableCurandExceptions();
        } catch (LinkageError e) {
            throw new GpuUnavailableException("JCurand native library fails to load",
                    "the JCurand native library fails to load (it needs libcurand.so.10 from a CUDA 11 or 12 toolkit "
                            + "on the library path): " + e.getMessage() + "; use --noise fused", e);
        }
        curandGenerator g = new curandGenerator();
        CudaCalls.curand(() -> "curandCreateGenerator(CURAND_RNG_PSEUDO_PHILOX4_32_10)",
                () -> curandCreateGenerator(g, curandRngType.CURAND_RNG_PSEUDO_PHILOX4_32_10));
        generator = g;
        try {
            CudaCalls.curand(() -> "curandSetPseudoRandomGeneratorSeed", () -> curandSetPseudoRandomGeneratorSeed(g, seed));
            // the default, spelled out: an ordering fixed by the position alone (not DYNAMIC's per-GPU one)
            CudaCalls.curand(() -> "curandSetGeneratorOrdering(CURAND_ORDERING_PSEUDO_DEFAULT)",
                    () -> curandSetGeneratorOrdering(g, curandOrdering.CURAND_ORDERING_PSEUDO_DEFAULT));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String description() {
        return "cuRAND Philox4x32-10 (curandGenerateNormal at offsets of (step, lane, particle))";
    }

    @Override
    public void fill(DeviceBuffer noise, long firstParticle, int count, long firstStep, int nSteps, int q) {
        if (generator == null) {
            throw new IllegalStateException("the cuRAND generator is destroyed");
        }
        if (count < 0 || nSteps < 0 || q < 1) {
            throw new IllegalArgumentException("need count, nSteps >= 0 and q >= 1; got " + count + ", " + nSteps + ", " + q);
        }
        long n = (long) count * nSteps * q;
        if (4L * n > noise.bytes()) {
            throw new IllegalArgumentException("noise buffer of " + noise.bytes() + " bytes cannot hold " + n + " normals");
        }
        if (layout == null || layoutQ != q) {
            layout = new CurandLayout(particles, q);
            layoutQ = q;
        }
        launcher.makeCurrent();
        for (CurandLayout.Op op : layout.plan(firstParticle, count, firstStep, nSteps)) {
            if (op instanceof CurandLayout.Generate g) {
                generate(noise, 4L * g.dst(), g.offset(), g.count());
            } else if (op instanceof CurandLayout.Pick p) {
                if (scratch == null) {
                    scratch = launcher.allocate(8);
                }
                generate(scratch, 0, p.pair(), 2);
                launcher.copyOnDevice(scratch, 4L * p.lane(), noise, 4L * p.dst(), 4);
            }
        }
    }

    /** curandSetGeneratorOffset(offset), then {@code count} (even) normals into {@code buffer} at a byte offset. */
    private void generate(DeviceBuffer buffer, long byteOffset, long offset, long count) {
        curandGenerator g = generator;
        CudaCalls.curand(() -> "curandSetGeneratorOffset(" + offset + ")", () -> curandSetGeneratorOffset(g, offset));
        CudaCalls.curand(() -> "curandGenerateNormal(" + count + " normals)",
                () -> curandGenerateNormal(g, launcher.ptr(buffer).withByteOffset(byteOffset), count, 0.0f, 1.0f));
    }

    /** Destroys the generator and frees the scratch buffer. Idempotent. */
    @Override
    public void close() {
        try {
            if (scratch != null) {
                DeviceBuffer s = scratch;
                scratch = null;
                s.close();
            }
        } finally {
            if (generator != null) {
                curandGenerator g = generator;
                generator = null;
                launcher.makeCurrent();
                CudaCalls.curand(() -> "curandDestroyGenerator", () -> curandDestroyGenerator(g));
            }
        }
    }
}
