package org.langevin.engine.cpu;

import static org.langevin.engine.cpu.CpuProblem.DYN_BROWNIAN;
import static org.langevin.engine.cpu.CpuProblem.DYN_GRADIENT_FLOW;
import static org.langevin.engine.cpu.CpuProblem.DYN_LANGEVIN;
import static org.langevin.engine.cpu.CpuProblem.DYN_SGD;
import static org.langevin.engine.cpu.CpuProblem.LOSS_DOUBLE_WELL;

import org.langevin.rng.NormalTransform;
import org.langevin.rng.Philox4x32;

/**
 * The particle loop of the kernels (kernels/lv_kernels.cu, {@code lv_particle}) in Java: each
 * particle's state is loaded once, advanced nSteps steps with its noise generated inside the step
 * loop (no buffers beyond one Philox block of four normals), and stored back once with its window
 * sums. Particles are independent, so any split of the particle range among threads gives the same
 * bits. The 1-D Brownian and 1-D double-well Langevin paths are specialised (scalar locals, two
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
     * @param from first particle (its global index is its column)
     * @param to one past the last particle
     * @param firstStep global 0-based index of the first step, ≥ 0
     * @param nSteps steps to take, ≥ 0
     * @param burnIn a step k is added to the window sums when k + 1 > burnIn
     * @param seed the Philox seed
     * @param lr learning rate (SGD; ignored otherwise)
     * @param noiseScale σ√Δt or √(ηΔt) (ignored by gradient flow and SGD)
     */
    static void advance(CpuProblem p, float[][] x, double[][] avg, int from, int to, long firstStep, long nSteps,
            long burnIn, long seed, float lr, float noiseScale) {
        final boolean average = p.average && avg != null;
        if (p.d == 1 && !average && p.dynamics == DYN_LANGEVIN && p.loss == LOSS_DOUBLE_WELL && !p.prior) {
            langevinDoubleWell1(p.dt, x[0], from, to, firstStep, nSteps, seed, noiseScale);
            return;
        }
        if (p.d == 1 && !average && p.dynamics == DYN_BROWNIAN) {
            brownian1(x[0], from, to, firstStep, nSteps, seed, noiseScale);
            return;
        }
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
            dyn.normalsInit(i, firstStep * q);
            dyn.wordsInit(i, p.dynamics == DYN_SGD ? firstStep * p.batch : 0L);
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

    /**
     * 1-D double-well Langevin without window sums: {@code g = (4x)(x²−1)},
     * {@code x = (x − dt·g) + noiseScale·n}, exactly as {@link CpuDynamics#langevin}. Two particles
     * are advanced together so that their independent dependency chains overlap.
     */
    private static void langevinDoubleWell1(float dt, float[] xs, int from, int to, long firstStep, long nSteps,
            long seed, float noiseScale) {
        final int k0 = (int) seed;
        final int k1 = (int) (seed >>> 32);
        final int[] w = new int[4];
        final float[] na = new float[4];
        final float[] nb = new float[4];
        int i = from;
        for (; i + 1 < to; i += 2) {
            float xa = xs[i];
            float xb = xs[i + 1];
            long idx = firstStep;
            for (long s = 0; s < nSteps; s++) {
                final int lane = (int) idx & 3;
                if (lane == 0 || s == 0) {
                    final long block = idx >>> 2;
                    Philox4x32.block((int) block, (int) (block >>> 32), i, 0, k0, k1, w, 0);
                    NormalTransform.boxMuller(w[0], w[1], na, 0);
                    NormalTransform.boxMuller(w[2], w[3], na, 2);
                    Philox4x32.block((int) block, (int) (block >>> 32), i + 1, 0, k0, k1, w, 0);
                    NormalTransform.boxMuller(w[0], w[1], nb, 0);
                    NormalTransform.boxMuller(w[2], w[3], nb, 2);
                }
                final float ga = (4.0f * xa) * ((xa * xa) - 1.0f);
                final float gb = (4.0f * xb) * ((xb * xb) - 1.0f);
                xa = (xa - (dt * ga)) + (noiseScale * na[lane]);
                xb = (xb - (dt * gb)) + (noiseScale * nb[lane]);
                idx++;
            }
            xs[i] = xa;
            xs[i + 1] = xb;
        }
        for (; i < to; i++) {
            float xa = xs[i];
            long idx = firstStep;
            for (long s = 0; s < nSteps; s++) {
                final int lane = (int) idx & 3;
                if (lane == 0 || s == 0) {
                    final long block = idx >>> 2;
                    Philox4x32.block((int) block, (int) (block >>> 32), i, 0, k0, k1, w, 0);
                    NormalTransform.boxMuller(w[0], w[1], na, 0);
                    NormalTransform.boxMuller(w[2], w[3], na, 2);
                }
                final float ga = (4.0f * xa) * ((xa * xa) - 1.0f);
                xa = (xa - (dt * ga)) + (noiseScale * na[lane]);
                idx++;
            }
            xs[i] = xa;
        }
    }

    /** 1-D Brownian motion without window sums: {@code x = x + noiseScale·n}, as {@link CpuDynamics#brownian}. */
    private static void brownian1(float[] xs, int from, int to, long firstStep, long nSteps, long seed,
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
                    Philox4x32.block((int) block, (int) (block >>> 32), i, 0, k0, k1, w, 0);
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
