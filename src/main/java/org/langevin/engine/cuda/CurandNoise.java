package org.langevin.engine.cuda;

import static jcuda.jcurand.JCurand.curandCreateGenerator;
import static jcuda.jcurand.JCurand.curandDestroyGenerator;
import static jcuda.jcurand.JCurand.curandGenerateNormal;
import static jcuda.jcurand.JCurand.curandSetPseudoRandomGeneratorSeed;

import jcuda.jcurand.curandGenerator;
import jcuda.jcurand.curandRngType;
import org.langevin.engine.device.DeviceBuffer;
import org.langevin.engine.device.NoiseSource;

/**
 * Buffer-mode noise from cuRAND's host API: a Philox4x32-10 generator
 * ({@code CURAND_RNG_PSEUDO_PHILOX4_32_10}) seeded with the run's seed fills the buffer with
 * standard normals ({@code curandGenerateNormal}) before every launch. The numbers are a different
 * (equally valid) stream from the fused kernels' one, so results agree in distribution, not in bits.
 * curandGenerateNormal needs an even count: an odd request is rounded up by one (the noise buffer
 * has room for it). Used from one thread at a time.
 */
final class CurandNoise implements NoiseSource {
    /** The launcher whose context the generator lives in. */
    private final CudaLauncher launcher;
    /** The generator, null once destroyed. */
    private curandGenerator generator;

    CurandNoise(CudaLauncher launcher, long seed) {
        this.launcher = launcher;
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
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String description() {
        return "cuRAND Philox4x32-10 (curandGenerateNormal)";
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
        long even = (n + 1) & ~1L;
        if (4L * even > noise.bytes()) {
            throw new IllegalArgumentException("noise buffer of " + noise.bytes() + " bytes cannot hold " + even + " normals");
        }
        if (even == 0) {
            return;
        }
        launcher.makeCurrent();
        curandGenerator g = generator;
        CudaCalls.curand(() -> "curandGenerateNormal(" + even + " normals)",
                () -> curandGenerateNormal(g, launcher.ptr(noise), even, 0.0f, 1.0f));
    }

    /** Destroys the generator. Idempotent. */
    @Override
    public void close() {
        if (generator != null) {
            curandGenerator g = generator;
            generator = null;
            launcher.makeCurrent();
            CudaCalls.curand(() -> "curandDestroyGenerator", () -> curandDestroyGenerator(g));
        }
    }
}
