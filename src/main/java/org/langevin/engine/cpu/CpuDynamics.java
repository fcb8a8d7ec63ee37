package org.langevin.engine.cpu;

import static org.langevin.engine.cpu.CpuProblem.PREC_DIAGONAL;
import static org.langevin.engine.cpu.CpuProblem.PREC_FULL;

import org.langevin.rng.Streams;

/**
 * One step of each dynamics for one particle, with the particle's normal and index-word streams.
 * Mirrors kernels/lv_dynamics.cuh line for line (the {@code LvNormals}, {@code LvWords} and
 * {@code LvScratch} structs are the fields of this object). One instance per worker thread: not
 * thread-safe; it allocates nothing after construction.
 */
final class CpuDynamics {
    /** The problem. */
    private final CpuProblem p;
    /** The particle's normal and index-word streams. */
    private final ParticleStreams streams;

    /** Scratch: gradient, batch sums / ḡ, the step's normals, centred example gradient, packed Σ/S. */
    final float[] g;
    final float[] v;
    final float[] nrm;
    private final float[] c;
    private final float[] tri;
    /** Examples chosen in the current step (sampling without replacement). */
    private final int[] chosen;

    /**
     * @param p the problem
     * @param seed the Philox seed (key low and high words)
     */
    CpuDynamics(CpuProblem p, long seed) {
        this.p = p;
        this.streams = new ParticleStreams(seed);
        int d = p.d;
        g = new float[d];
        v = new float[d];
        nrm = new float[d];
        c = new float[d];
        tri = new float[d * (d + 1) / 2];
        chosen = new int[p.distinct ? Math.min(p.batch, CpuProblem.MAX_BATCH_DISTINCT) : 0];
    }

    /** {@code lv_normals_init} ({@link ParticleStreams#normalsInit}). */
    void normalsInit(long particleIndex, long first) {
        streams.normalsInit(particleIndex, first);
    }

    /** {@code lv_normals_next}. */
    float normalsNext() {
        return streams.normalsNext();
    }

    /** {@code lv_words_init} ({@link ParticleStreams#wordsInit}). */
    void wordsInit(long particleIndex, long first) {
        streams.wordsInit(particleIndex, first);
    }

    /** {@code lv_words_next}. */
    int wordsNext() {
        return streams.wordsNext();
    }

    /** {@code lv_step_brownian}. */
    void brownian(float[] x, float noiseScale) {
        final int d = p.d;
        for (int j = 0; j < d; j++) {
            x[j] = x[j] + (noiseScale * normalsNext());
        }
    }

    /** {@code lv_step_gradient_flow}. */
    void gradientFlow(float[] x) {
        final int d = p.d;
        CpuLoss.fullGradient(p, x, g);
        for (int j = 0; j < d; j++) {
            x[j] = x[j] - (p.dt * g[j]);
        }
    }

    /** {@code lv_step_langevin}. */
    void langevin(float[] x, float noiseScale) {
        final int d = p.d;
        CpuLoss.fullGradient(p, x, g);
        for (int j = 0; j < d; j++) {
            x[j] = (x[j] - (p.dt * g[j])) + (noiseScale * normalsNext());
        }
    }

    /** {@code lv_step_sgd}. */
    void sgd(float[] x, float lr) {
        final int d = p.d;
        final float[] fp = p.fp;
        for (int j = 0; j < d; j++) {
            v[j] = 0.0f;
        }
        // With replacement: example bounded(word, n). Without (Floyd): for j = n-B, ..., n-1 the
        // candidate bounded(word, j+1), or j when the candidate was already chosen.
        for (int m = 0; m < p.batch; m++) {
            int t;
            if (!p.distinct) {
                t = Streams.bounded(wordsNext(), p.n);
            } else {
                final int j = (p.n - p.batch) + m;
                t = Streams.bounded(wordsNext(), j + 1);
                for (int q = 0; q < m; q++) {
                    if (chosen[q] == t) {
                        t = j;
                        break;
                    }
                }
                chosen[m] = t;
            }
            CpuLoss.exampleAcc(p, x, t, v);
        }
        CpuLoss.batchGradient(p, x, v, g);
        if (p.precond == PREC_DIAGONAL) {
            for (int j = 0; j < d; j++) {
                x[j] = x[j] - (lr * (fp[p.prec + j * d + j] * g[j]));
            }
        } else if (p.precond == PREC_FULL) {
            for (int j = 0; j < d; j++) {
                float acc = 0.0f;
                for (int k = 0; k < d; k++) {
                    acc = acc + (fp[p.prec + j * d + k] * g[k]);
                }
                x[j] = x[j] - (lr * acc);
            }
        } else {
            for (int j = 0; j < d; j++) {
                x[j] = x[j] - (lr * g[j]);
            }
        }
    }

    /** {@code lv_tri}. */
    static int tri(int j, int k) {
        return ((j * (j + 1)) >> 1) + k;
    }

    /** {@code lv_state_cholesky}: Σ(x) of the linreg SGD SDE and its lower Cholesky factor, into tri. */
    void stateCholesky(float[] x, float[] gbar) {
        final int d = p.d;
        final float[] data = p.data;
        final float nf = (float) p.n;
        for (int j = 0; j < d; j++) {
            gbar[j] = 0.0f;
        }
        for (int i = 0; i < p.n; i++) {
            final int row = i * d;
            float z = 0.0f;
            for (int k = 0; k < d; k++) {
                z = z + (data[row + k] * x[k]);
            }
            final float r = (z - data[p.ys + i]) * p.invS2;
            for (int j = 0; j < d; j++) {
                gbar[j] = gbar[j] + (data[row + j] * r);
            }
        }
        for (int j = 0; j < d; j++) {
            gbar[j] = gbar[j] / nf;
        }
        for (int j = 0; j < d; j++) {
            for (int k = 0; k <= j; k++) {
                tri[tri(j, k)] = 0.0f;
            }
        }
        for (int i = 0; i < p.n; i++) {
            final int row = i * d;
            float z = 0.0f;
            for (int k = 0; k < d; k++) {
                z = z + (data[row + k] * x[k]);
            }
            final float r = (z - data[p.ys + i]) * p.invS2;
            for (int j = 0; j < d; j++) {
                c[j] = (data[row + j] * r) - gbar[j];
            }
            for (int j = 0; j < d; j++) {
                for (int k = 0; k <= j; k++) {
                    tri[tri(j, k)] = tri[tri(j, k)] + (c[j] * c[k]);
                }
            }
        }
        for (int j = 0; j < d; j++) {
            for (int k = 0; k <= j; k++) {
                tri[tri(j, k)] = tri[tri(j, k)] / nf;
            }
        }
        for (int j = 0; j < d; j++) {
            float t = 0.0f;
            for (int m = 0; m < j; m++) {
                t = t + (tri[tri(j, m)] * tri[tri(j, m)]);
            }
            final float vv = tri[tri(j, j)] - t;
            final float sjj = vv > 0.0f ? (float) Math.sqrt(vv) : 0.0f;
            tri[tri(j, j)] = sjj;
            for (int i = j + 1; i < d; i++) {
                float u = 0.0f;
                for (int m = 0; m < j; m++) {
                    u = u + (tri[tri(i, m)] * tri[tri(j, m)]);
                }
                tri[tri(i, j)] = sjj == 0.0f ? 0.0f : (tri[tri(i, j)] - u) / sjj;
            }
        }
    }

    /** @return S_jk of the last {@link #stateCholesky} (tests) */
    float stateFactor(int j, int k) {
        return tri[tri(j, k)];
    }

    /** {@code lv_step_sgd_sde}. */
    void sgdSde(float[] x, float noiseScale) {
        final int d = p.d;
        final float[] fp = p.fp;
        CpuLoss.fullGradient(p, x, g);
        for (int j = 0; j < d; j++) {
            nrm[j] = normalsNext();
        }
        if (p.stateNoise) {
            stateCholesky(x, v);
            for (int j = 0; j < d; j++) {
                float xi = 0.0f;
                for (int k = 0; k <= j; k++) {
                    xi = xi + (tri[tri(j, k)] * nrm[k]);
                }
                x[j] = (x[j] - (p.dt * g[j])) + (noiseScale * xi);
            }
        } else {
            for (int j = 0; j < d; j++) {
                float xi = 0.0f;
                for (int k = 0; k <= j; k++) {
                    xi = xi + (fp[p.chol + j * d + k] * nrm[k]);
                }
                x[j] = (x[j] - (p.dt * g[j])) + (noiseScale * xi);
            }
        }
    }
}
