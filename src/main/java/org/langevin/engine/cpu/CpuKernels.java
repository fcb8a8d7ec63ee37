package org.langevin.engine.cpu;

import static org.langevin.engine.cpu.CpuProblem.DYN_BROWNIAN;
import static org.langevin.engine.cpu.CpuProblem.DYN_GRADIENT_FLOW;
import static org.langevin.engine.cpu.CpuProblem.DYN_LANGEVIN;
import static org.langevin.engine.cpu.CpuProblem.DYN_SGD;
import static org.langevin.engine.cpu.CpuProblem.LOSS_DOUBLE_WELL;
import static org.langevin.engine.cpu.CpuProblem.LOSS_QUADRATIC;

import org.langevin.rng.NormalTransform;
import org.langevin.rng.Philox4x32;

/**
 * The particle loop of the kernels (kernels/lv_kernels.cu, {@code lv_particle}) in Java: each
 * particle's state is loaded once, advanced nSteps steps with its noise generated inside the step
 * loop (no buffers beyond one Philox block of four normals), and stored back once with its window
 * sums. Particles are independent, so any split of the particle range among threads gives the same
 * bits. The 1-D Brownian and 1-D double-well/quadratic Langevin paths are specialised (scalar locals, two
 * particles interleaved) with the same arithmetic as the general path.
 */
final class CpuKernels {
    private CpuKernels() {
    }

    /**
     * Advances particles [from, to) of the state over global steps firstStep … firstStep+nSteps−1.
     * Thread-safe for disjoint particle ranges (each call owns its scratch).
     *
     * @param p the problem
     * @param x coordinates, x[j][i]
     * @param avg window sums avg[r][i], or null when averages are off
     * @param base global index of column 0 (the RNG subsequence of particle i is base + i)
     * @param from first particle column
     * @param to one past the last particle
     * @param firstStep global 0-based index of the first step, ≥ 0
     * @param nSteps steps to take, ≥ 0
     * @param burnIn a step k is added to the window sums when k + 1 > burnIn
     * @param seed the Philox seed
     * @param lr learning rate (SGD; ignored otherwise)
     * @param noiseScale σ√Δt or √(ηΔt) (ignored by gradient flow and SGD)
     */
    static void advance(CpuProblem p, float[][] x, double[][] avg, long base, int from, int to, long firstStep, long nSteps,
            long burnIn, long seed, float lr, float noiseScale) {
        if (NativeCpu.handles(p, p.average && avg != null)) {
            NativeCpu.advance(p, x, p.average ? avg : null, base, from, to, firstStep, nSteps, burnIn, seed, lr, noiseScale);
            return;
        }
        advanceJava(p, x, avg, base, from, to, firstStep, nSteps, burnIn, seed, lr, noiseScale);
    }

    /** {@link #advance} on the Java paths only (the vector paths when they run, else the scalar ones); same bits. */
    static void advanceJava(CpuProblem p, float[][] x, double[][] avg, long base, int from, int to, long firstStep,
            long nSteps, long burnIn, long seed, float lr, float noiseScale) {
        final boolean average = p.average && avg != null;
        if (Simd.ENABLED && SimdKernels.handles(p, average)) {
            SimdKernels.advance(p, x, average ? avg : null, base, from, to, firstStep, nSteps, burnIn, seed, lr,
                    noiseScale);
            return;
        }
        advanceScalar(p, x, avg, base, from, to, firstStep, nSteps, burnIn, seed, lr, noiseScale);
    }

    /** {@link #advance} without the vector paths (the fallback, and the reference the tests compare them with). */
    static void advanceScalar(CpuProblem p, float[][] x, double[][] avg, long base, int from, int to, long firstStep,
            long nSteps, long burnIn, long seed, float lr, float noiseScale) {
        final boolean average = p.average && avg != null;
        if (isLangevin1(p)) {
            langevin1(p, x[0], average ? avg : null, base, from, to, firstStep, nSteps, burnIn, seed, noiseScale);
            return;
        }
        if (p.d == 1 && !average && p.dynamics == DYN_BROWNIAN) {
            brownian1(x[0], base, from, to, firstStep, nSteps, seed, noiseScale);
            return;
        }
        advanceGeneral(p, x, avg, base, from, to, firstStep, nSteps, burnIn, seed, lr, noiseScale);
    }

    /** The general loop of {@link #advance}, without the specialised paths (tests compare the two). */
    static void advanceGeneral(CpuProblem p, float[][] x, double[][] avg, long base, int from, int to, long firstStep,
            long nSteps, long burnIn, long seed, float lr, float noiseScale) {
        final boolean average = p.average && avg != null;
        final int d = p.d;
        final CpuDynamics dyn = new CpuDynamics(p, seed);
        final float[] xv = new float[d];
        final double[] sx = new double[d];
        final double[] sxx = new double[d];
        final long q = p.normalsPerStep();
        for (int i = from; i < to; i++) {
            for (int j = 0; j < d; j++) {
                xv[j] = x[j][i];
            }
            double sl = 0.0;
            for (int j = 0; j < d; j++) {
                sx[j] = 0.0;
                sxx[j] = 0.0;
            }
            if (average) {
                for (int j = 0; j < d; j++) {
                    sx[j] = avg[j][i];
                    sxx[j] = avg[d + j][i];
                }
                sl = avg[2 * d][i];
            }
            dyn.normalsInit(base + i, firstStep * q);
            dyn.wordsInit(base + i, p.dynamics == DYN_SGD ? firstStep * p.batch : 0L);
            for (long s = 0; s < nSteps; s++) {
                switch (p.dynamics) {
                    case DYN_BROWNIAN -> dyn.brownian(xv, noiseScale);
                    case DYN_GRADIENT_FLOW -> dyn.gradientFlow(xv);
                    case DYN_LANGEVIN -> dyn.langevin(xv, noiseScale);
                    case DYN_SGD -> dyn.sgd(xv, lr);
                    default -> dyn.sgdSde(xv, noiseScale);
                }
                if (average && firstStep + s + 1 > burnIn) {
                    for (int j = 0; j < d; j++) {
                        sx[j] += (double) xv[j];
                        sxx[j] += (double) xv[j] * (double) xv[j];
                    }
                    sl += (double) CpuLoss.value(p, xv);
                }
            }
            for (int j = 0; j < d; j++) {
                x[j][i] = xv[j];
            }
            if (average) {
                for (int j = 0; j < d; j++) {
                    avg[j][i] = sx[j];
                    avg[d + j][i] = sxx[j];
                }
                avg[2 * d][i] = sl;
            }
        }
    }

    /** True when {@link #langevin1} handles the problem. */
    private static boolean isLangevin1(CpuProblem p) {
        return p.d == 1 && p.dynamics == DYN_LANGEVIN && !p.prior
                && (p.loss == LOSS_DOUBLE_WELL || p.loss == LOSS_QUADRATIC);
    }

    /** The 1-D gradient of {@link CpuLoss#gradBase} for the double well or the quadratic (a, m). */
    private static float grad1(boolean dw, float a, float m, float x) {
        return dw ? (4.0f * x) * ((x * x) - 1.0f) : 0.0f + (a * (x - m));
    }

    /** The 1-D loss of {@link CpuLoss#value} for the double well or the quadratic (a, m). */
    private static float loss1(boolean dw, float a, float m, float x) {
        if (dw) {
            final float t = (x * x) - 1.0f;
            return 0.0f + (t * t);
        }
        final float inner = 0.0f + (a * (x - m));
        return 0.5f * (0.0f + ((x - m) * inner));
    }

    /**
     * 1-D Langevin on the double well or a quadratic, without prior: {@code x = (x − dt·g) + noiseScale·n}
     * with the gradient and loss of {@link CpuLoss}, exactly as {@link CpuDynamics#langevin} and the
     * general loop. Two particles are advanced together so that their dependency chains overlap.
     */
    private static void langevin1(CpuProblem p, float[] xs, double[][] avg, long base, int from, int to, long firstStep,
            long nSteps, long burnIn, long seed, float noiseScale) {
        final boolean dw = p.loss == LOSS_DOUBLE_WELL;
        final float a = dw ? 0.0f : p.fp[p.mat];
        final float m = dw ? 0.0f : p.fp[p.vec];
        final float dt = p.dt;
        final boolean average = avg != null;
        // step s enters the window sums when firstStep + s + 1 > burnIn
        final long firstAveraged = Math.max(0L, burnIn - firstStep);
        final int k0 = (int) seed;
        final int k1 = (int) (seed >>> 32);
        final int[] w = new int[4];
        final float[] na = new float[4];
        final float[] nb = new float[4];
        int i = from;
        for (; i + 1 < to; i += 2) {
            float xa = xs[i];
            float xb = xs[i + 1];
            double sxa = 0.0;
            double sxxa = 0.0;
            double sla = 0.0;
            double sxb = 0.0;
            double sxxb = 0.0;
            double slb = 0.0;
            if (average) {
                sxa = avg[0][i];
                sxxa = avg[1][i];
                sla = avg[2][i];
                sxb = avg[0][i + 1];
                sxxb = avg[1][i + 1];
                slb = avg[2][i + 1];
            }
            long idx = firstStep;
            for (long s = 0; s < nSteps; s++) {
                final int lane = (int) idx & 3;
                if (lane == 0 || s == 0) {
                    final long block = idx >>> 2;
                    Philox4x32.block((int) block, (int) (block >>> 32), (int) (base + i), (int) ((base + i) >>> 32), k0, k1, w, 0);
                    NormalTransform.boxMuller(w[0], w[1], na, 0);
                    NormalTransform.boxMuller(w[2], w[3], na, 2);
                    Philox4x32.block((int) block, (int) (block >>> 32), (int) (base + i + 1), (int) ((base + i + 1) >>> 32), k0, k1, w, 0);
                    NormalTransform.boxMuller(w[0], w[1], nb, 0);
                    NormalTransform.boxMuller(w[2], w[3], nb, 2);
                }
                final float ga = grad1(dw, a, m, xa);
                final float gb = grad1(dw, a, m, xb);
                xa = (xa - (dt * ga)) + (noiseScale * na[lane]);
                xb = (xb - (dt * gb)) + (noiseScale * nb[lane]);
                idx++;
                if (average && s >= firstAveraged) {
                    sxa += (double) xa;
                    sxxa += (double) xa * (double) xa;
                    sla += (double) loss1(dw, a, m, xa);
                    sxb += (double) xb;
                    sxxb += (double) xb * (double) xb;
                    slb += (double) loss1(dw, a, m, xb);
                }
            }
            xs[i] = xa;
            xs[i + 1] = xb;
            if (average) {
                avg[0][i] = sxa;
                avg[1][i] = sxxa;
                avg[2][i] = sla;
                avg[0][i + 1] = sxb;
                avg[1][i + 1] = sxxb;
                avg[2][i + 1] = slb;
            }
        }
        for (; i < to; i++) {
            float xa = xs[i];
            double sxa = 0.0;
            double sxxa = 0.0;
            double sla = 0.0;
            if (average) {
                sxa = avg[0][i];
                sxxa = avg[1][i];
                sla = avg[2][i];
            }
            long idx = firstStep;
            for (long s = 0; s < nSteps; s++) {
                final int lane = (int) idx & 3;
                if (lane == 0 || s == 0) {
                    final long block = idx >>> 2;
                    Philox4x32.block((int) block, (int) (block >>> 32), (int) (base + i), (int) ((base + i) >>> 32), k0, k1, w, 0);
                    NormalTransform.boxMuller(w[0], w[1], na, 0);
                    NormalTransform.boxMuller(w[2], w[3], na, 2);
                }
                final float ga = grad1(dw, a, m, xa);
                xa = (xa - (dt * ga)) + (noiseScale * na[lane]);
                idx++;
                if (average && s >= firstAveraged) {
                    sxa += (double) xa;
                    sxxa += (double) xa * (double) xa;
                    sla += (double) loss1(dw, a, m, xa);
                }
            }
            xs[i] = xa;
            if (average) {
                avg[0][i] = sxa;
                avg[1][i] = sxxa;
                avg[2][i] = sla;
            }
        }
    }

    /** 1-D Brownian motion without window sums: {@code x = x + noiseScale·n}, as {@link CpuDynamics#brownian}. */
    private static void brownian1(float[] xs, long base, int from, int to, long firstStep, long nSteps, long seed,
            float noiseScale) {
        final int k0 = (int) seed;
        final int k1 = (int) (seed >>> 32);
        final int[] w = new int[4];
        final float[] na = new float[4];
        for (int i = from; i < to; i++) {
            float xa = xs[i];
            long idx = firstStep;
            for (long s = 0; s < nSteps; s++) {
                final int lane = (int) idx & 3;
                if (lane == 0 || s == 0) {
                    final long block = idx >>> 2;
                    Philox4x32.block((int) block, (int) (block >>> 32), (int) (base + i), (int) ((base + i) >>> 32), k0, k1, w, 0);
                    NormalTransform.boxMuller(w[0], w[1], na, 0);
                    NormalTransform.boxMuller(w[2], w[3], na, 2);
                }
                xa = xa + (noiseScale * na[lane]);
                idx++;
            }
            xs[i] = xa;
        }
    }
}
