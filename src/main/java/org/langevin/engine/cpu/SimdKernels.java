package org.langevin.engine.cpu;

import static org.langevin.engine.cpu.CpuProblem.DYN_BROWNIAN;
import static org.langevin.engine.cpu.CpuProblem.DYN_GRADIENT_FLOW;
import static org.langevin.engine.cpu.CpuProblem.DYN_LANGEVIN;
import static org.langevin.engine.cpu.CpuProblem.DYN_SGD;
import static org.langevin.engine.cpu.CpuProblem.LOSS_DOUBLE_WELL;
import static org.langevin.engine.cpu.CpuProblem.LOSS_LINREG;
import static org.langevin.engine.cpu.CpuProblem.LOSS_QUADRATIC;
import static org.langevin.engine.cpu.CpuProblem.PREC_DIAGONAL;
import static org.langevin.engine.cpu.CpuProblem.PREC_FULL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The hot paths of {@link CpuKernels} across particles with the JDK's incubating Vector API: eight
 * particles per vector (one per lane), each lane doing exactly the scalar path's float operations in
 * the same order, so the results are the same bits (lane-wise IEEE-754 operations are correctly
 * rounded like scalar ones; there is no FMA and no reassociation). Philox runs in 64-bit lanes, where
 * one multiplication gives both halves of the 32×32-bit product; Box–Muller, the project's log and
 * word-sincos run in 8-lane float/int vectors, with the quadrant selection done by blends and sign-bit
 * XORs instead of branches.
 *
 * <p>This class is loaded only when the {@code jdk.incubator.vector} module is present (see
 * {@link Simd}); without it the scalar paths run. Stateless apart from per-call scratch; safe to call
 * from several threads on disjoint particle ranges.
 */
final class SimdKernels {
    /** Lanes per vector: particles advanced together. */
    static final int L = 8;
    /** Sub-vectors per tile: their Philox chains are independent, which keeps the cores' pipes busy. */
    private static final int U = 4;
    private static final int T = L * U;
    private static final VectorSpecies<Long> LS = LongVector.SPECIES_512;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_512;
    private static final long MASK = 0xFFFFFFFFL;
    private static final long[] IOTA = {0, 1, 2, 3, 4, 5, 6, 7};
    // constants of org.langevin.rng.Philox4x32 and FloatMath (kernels/lv_rng.cuh), same bits
    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final float LN2_HI = 0x1.62e3p-1f;
    private static final float LN2_LO = 0x1.2fefa4p-17f;
    private static final float HALF_PI = 0x1.921fb6p+0f;

    private SimdKernels() {
    }

    /**
     * @return true when this CPU has 512-bit vectors with 64-bit lane multiplication (AVX-512DQ), so
     *         that the species used here are compiled to vector instructions
     */
    static boolean supported() {
        return LongVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    }

    /** @return true when {@link #oneDim} handles the problem (1-D Langevin on the double well or a quadratic, 1-D Brownian) */
    private static boolean isOneDim(CpuProblem p, boolean average) {
        if (p.d == 1 && !p.prior && (p.dynamics == DYN_LANGEVIN
                && (p.loss == LOSS_DOUBLE_WELL || p.loss == LOSS_QUADRATIC))) {
            return true;
        }
        return p.d == 1 && !average && p.dynamics == DYN_BROWNIAN;
    }

    /** @return true when {@link #advance} has a vector path for the problem */
    static boolean handles(CpuProblem p, boolean average) {
        if (isOneDim(p, average)) {
            return true;
        }
        if (p.dynamics == DYN_SGD) {
            boolean loss = p.loss == LOSS_LINREG || p.loss == CpuProblem.LOSS_LOGISTIC
                    || (p.loss == LOSS_QUADRATIC || p.loss == LOSS_DOUBLE_WELL) && p.shift;
            // averaged: the window's loss lane-wise for all but logistic (its softplus is not vectorised)
            return loss && (!average || p.loss != CpuProblem.LOSS_LOGISTIC) && p.d <= MAX_GENERAL_DIM;
        }
        return handlesGeneral(p, average);
    }

    /**
     * @return true when {@link #general} has a vector path: Brownian motion, gradient flow and Langevin in any
     *         dimension on the double well, a quadratic or full-batch linear regression (not averaged: its loss
     *         is a sum over the examples), without a prior
     */
    private static boolean handlesGeneral(CpuProblem p, boolean average) {
        if (p.prior || p.d > MAX_GENERAL_DIM) {
            return false;
        }
        if (p.dynamics == DYN_BROWNIAN) {
            // the window's loss is CpuLoss.value of the spec's loss (none for a Brownian run built by RunSpecBuilder)
            return !average || p.loss == CpuProblem.LOSS_NONE || p.loss == LOSS_DOUBLE_WELL || p.loss == LOSS_QUADRATIC;
        }
        boolean sdeConstant = p.dynamics == CpuProblem.DYN_SGD_SDE && !p.stateNoise;
        if (p.dynamics != DYN_LANGEVIN && p.dynamics != DYN_GRADIENT_FLOW && !sdeConstant) {
            return false;
        }
        return p.loss == LOSS_DOUBLE_WELL || p.loss == LOSS_QUADRATIC || p.loss == LOSS_LINREG
                || p.loss == CpuProblem.LOSS_LOGISTIC && !average;
    }

    /** Largest d of {@link #general} (its scratch holds d vectors of the state and of the gradient). */
    private static final int MAX_GENERAL_DIM = 256;

    /**
     * As {@link CpuKernels#advance} for a problem {@link #handles} accepts: full vectors of eight
     * particles here, the remainder (fewer than eight) by the scalar path.
     */
    static void advance(CpuProblem p, float[][] x, double[][] avg, long base, int from, int to, long firstStep,
            long nSteps, long burnIn, long seed, float lr, float noiseScale) {
        final int vecEnd = from + ((to - from) / L) * L;
        if (p.dynamics == DYN_SGD) {
            sgdLinreg(p, x, avg, base, from, vecEnd, firstStep, nSteps, burnIn, seed, lr);
        } else if (isOneDim(p, avg != null)) {
            oneDim(p, x[0], avg, base, from, vecEnd, firstStep, nSteps, burnIn, seed, noiseScale);
        } else {
            general(p, x, avg, base, from, vecEnd, firstStep, nSteps, burnIn, seed, noiseScale);
        }
        if (vecEnd < to) {
            CpuKernels.advanceScalar(p, x, avg, base, vecEnd, to, firstStep, nSteps, burnIn, seed, lr, noiseScale);
        }
    }

    // ---------------------------------------------------------------- Philox and normals

    /** The round keys of ten rounds, as unsigned words in longs: k[r] for key word 0, k[10 + r] for word 1. */
    static long[] roundKeys(long seed) {
        long[] k = new long[20];
        int k0 = (int) seed;
        int k1 = (int) (seed >>> 32);
        for (int r = 0; r < 10; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            k[r] = k0 & MASK;
            k[10 + r] = k1 & MASK;
        }
        return k;
    }

    /**
     * Philox4x32-10 of block {@code block} for the eight particles first … first+7; the words x, y, z, w
     * are written, as unsigned values in longs, to words[0..7], [8..15], [16..23], [24..31].
     */
    static void philox8(long block, long first, long[] keys, long[] words) {
        LongVector p = LongVector.fromArray(LS, IOTA, 0).add(first);
        LongVector c0 = LongVector.broadcast(LS, block & MASK);
        LongVector c1 = LongVector.broadcast(LS, block >>> 32);
        LongVector c2 = p.and(MASK);
        LongVector c3 = p.lanewise(VectorOperators.LSHR, 32);
        // ten rounds written out: C2 (JDK 17) boxes vectors carried around a loop, not straight-line ones
        LongVector p0;
        LongVector p1;
        p0 = c0.mul(M0);
        p1 = c2.mul(M1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, keys[0]);
        c1 = p1.and(MASK);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, keys[10]);
        c3 = p0.and(MASK);
        p0 = c0.mul(M0);
        p1 = c2.mul(M1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, keys[1]);
        c1 = p1.and(MASK);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, keys[11]);
        c3 = p0.and(MASK);
        p0 = c0.mul(M0);
        p1 = c2.mul(M1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, keys[2]);
        c1 = p1.and(MASK);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, keys[12]);
        c3 = p0.and(MASK);
        p0 = c0.mul(M0);
        p1 = c2.mul(M1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, keys[3]);
        c1 = p1.and(MASK);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, keys[13]);
        c3 = p0.and(MASK);
        p0 = c0.mul(M0);
        p1 = c2.mul(M1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, keys[4]);
        c1 = p1.and(MASK);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, keys[14]);
        c3 = p0.and(MASK);
        p0 = c0.mul(M0);
        p1 = c2.mul(M1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, keys[5]);
        c1 = p1.and(MASK);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, keys[15]);
        c3 = p0.and(MASK);
        p0 = c0.mul(M0);
        p1 = c2.mul(M1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, keys[6]);
        c1 = p1.and(MASK);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, keys[16]);
        c3 = p0.and(MASK);
        p0 = c0.mul(M0);
        p1 = c2.mul(M1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, keys[7]);
        c1 = p1.and(MASK);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, keys[17]);
        c3 = p0.and(MASK);
        p0 = c0.mul(M0);
        p1 = c2.mul(M1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, keys[8]);
        c1 = p1.and(MASK);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, keys[18]);
        c3 = p0.and(MASK);
        p0 = c0.mul(M0);
        p1 = c2.mul(M1);
        c0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, keys[9]);
        c1 = p1.and(MASK);
        c2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, keys[19]);
        c3 = p0.and(MASK);
        c0.intoArray(words, 0);
        c1.intoArray(words, L);
        c2.intoArray(words, 2 * L);
        c3.intoArray(words, 3 * L);
    }

    /**
     * The four normals of block {@code block} (region 0) of particles first … first+7, Box–Muller on
     * (x, y) and (z, w) as {@code NormalTransform.boxMuller}: normal r of particle first+l goes to
     * out[off + r·stride + l].
     */
    static void normals8(long block, long first, long[] keys, long[] words, float[] out, int off, int stride) {
        philox8(block, first, keys, words);
        boxMuller8(words, 0, L, out, off, off + stride);
        boxMuller8(words, 2 * L, 3 * L, out, off + 2 * stride, off + 3 * stride);
    }

    /** Box–Muller on eight word pairs (a at words[ao..], b at words[bo..]): s·sin θ to out[o0..], s·cos θ to out[o1..]. */
    private static void boxMuller8(long[] words, int ao, int bo, float[] out, int o0, int o1) {
        LongVector a = LongVector.fromArray(LS, words, ao);
        // a < 2^32 is non-negative in a long, so the signed conversion rounds it as (float) (a & 0xFFFFFFFFL)
        FloatVector u = ((FloatVector) a.convertShape(VectorOperators.L2F, FS, 0)).mul(0x1p-32f).add(0x1p-33f);
        FloatVector s = log8(u).mul(-2.0f).lanewise(VectorOperators.SQRT);
        IntVector b = (IntVector) LongVector.fromArray(LS, words, bo).convertShape(VectorOperators.L2I, IS, 0);
        // lv_sincos_word: quadrant q and the exact remainder r on the integer word
        IntVector q = b.add(0x20000000).lanewise(VectorOperators.LSHR, 30);
        IntVector r = b.sub(q.lanewise(VectorOperators.LSHL, 30));
        FloatVector t = ((FloatVector) r.convertShape(VectorOperators.I2F, FS, 0)).add(0.5f).mul(0x1p-30f);
        FloatVector xx = t.mul(HALF_PI);
        FloatVector z = xx.mul(xx);
        FloatVector ps = z.mul(0x1.71de3ap-19f).add(-0x1.a01a02p-13f);
        ps = z.mul(ps).add(0x1.111112p-7f);
        ps = z.mul(ps).add(-0x1.555556p-3f);
        FloatVector sn = xx.add(xx.mul(z).mul(ps));
        FloatVector pc = z.mul(-0x1.27e4fcp-22f).add(0x1.a01a02p-16f);
        pc = z.mul(pc).add(-0x1.6c16c2p-10f);
        pc = z.mul(pc).add(0x1.555556p-5f);
        pc = z.mul(pc).add(-0.5f);
        FloatVector cs = z.mul(pc).add(1.0f);
        // quadrant: (sin, cos) = (s, c), (c, −s), (−s, −c), (−c, s) for q & 3 = 0, 1, 2, 3
        IntVector si = sn.reinterpretAsInts();
        IntVector ci = cs.reinterpretAsInts();
        VectorMask<Integer> odd = q.and(1).compare(VectorOperators.NE, 0);
        IntVector sinBits = si.blend(ci, odd).lanewise(VectorOperators.XOR, q.and(2).lanewise(VectorOperators.LSHL, 30));
        IntVector cosBits = ci.blend(si, odd).lanewise(VectorOperators.XOR,
                q.add(1).and(2).lanewise(VectorOperators.LSHL, 30));
        s.mul(sinBits.reinterpretAsFloats()).intoArray(out, o0);
        s.mul(cosBits.reinterpretAsFloats()).intoArray(out, o1);
    }

    /** {@code FloatMath.log} lane-wise. */
    static FloatVector log8(FloatVector x) {
        IntVector ix = x.reinterpretAsInts();
        IntVector e = ix.lanewise(VectorOperators.LSHR, 23).sub(127);
        IntVector mb = ix.and(0x007fffff).or(0x3f800000);
        VectorMask<Integer> big = mb.compare(VectorOperators.GT, 0x3fb504f3);
        mb = mb.blend(mb.sub(0x00800000), big);
        e = e.blend(e.add(1), big);
        FloatVector f = mb.reinterpretAsFloats().sub(1.0f);
        FloatVector s = f.div(f.add(2.0f));
        FloatVector z = s.mul(s);
        FloatVector pr = z.mul(0x1.c71c72p-3f).add(0x1.24924ap-2f);
        pr = z.mul(pr).add(0x1.99999ap-2f);
        pr = z.mul(pr).add(0x1.555556p-1f);
        FloatVector r = z.mul(pr);
        FloatVector lnm = f.sub(s.mul(f.sub(r)));
        FloatVector ef = (FloatVector) e.convertShape(VectorOperators.I2F, FS, 0);
        return ef.mul(LN2_HI).add(lnm.add(ef.mul(LN2_LO)));
    }

    // ---------------------------------------------------------------- 1-D Brownian and Langevin

    /**
     * 1-D Brownian (no window sums) or Langevin on the double well or a quadratic (no prior), as
     * {@code CpuKernels.langevin1}/{@code brownian1}, for particles [from, to) with to − from a multiple
     * of eight. Tiles of {@value #T} particles: per Philox block, the normals of the tile go to a scratch
     * array, then each vector of eight particles takes the block's steps with its state in registers.
     */
    private static void oneDim(CpuProblem p, float[] xs, double[][] avgIn, long base, int from, int to,
            long firstStep, long nSteps, long burnIn, long seed, float noiseScale) {
        final boolean brownian = p.dynamics == DYN_BROWNIAN;
        final boolean dw = p.loss == LOSS_DOUBLE_WELL;
        final float a = brownian || dw ? 0.0f : p.fp[p.mat];
        final float m = brownian || dw ? 0.0f : p.fp[p.vec];
        final float dt = p.dt;
        final boolean average = avgIn != null && !brownian && p.average;
        final long firstAveraged = Math.max(0L, burnIn - firstStep);
        final long[] keys = roundKeys(seed);
        final long[] words = new long[4 * L];
        final float[] nrm = new float[4 * T];
        for (int i0 = from; i0 < to; i0 += T) {
            final int nv = Math.min(T, to - i0) / L;
            long s = 0;
            long idx = firstStep;
            while (s < nSteps) {
                final int lane0 = (int) idx & 3;
                final int cnt = (int) Math.min(4 - lane0, nSteps - s);
                final long block = idx >>> 2;
                for (int v = 0; v < nv; v++) {
                    normals8(block, base + i0 + v * L, keys, words, nrm, v * L, T);
                }
                // one loop per kind, so that no vector merges two control paths or is carried around
                // a loop (C2 in JDK 17 would box it): the state and window sums go through their
                // arrays at every step and stay in L1
                final long firstR = firstAveraged - s + lane0;
                if (brownian) {
                    stepsBrownian(xs, nrm, i0, nv, lane0, cnt, noiseScale);
                } else if (dw) {
                    stepsDoubleWell(xs, nrm, i0, nv, lane0, cnt, dt, noiseScale, average ? avgIn : null, firstR);
                } else {
                    stepsQuadratic(xs, nrm, i0, nv, lane0, cnt, a, m, dt, noiseScale, average ? avgIn : null, firstR);
                }
                s += cnt;
                idx += cnt;
            }
        }
    }

    /** Brownian steps r = lane0 … lane0+cnt−1 of a Philox block for the tile's nv vectors. */
    private static void stepsBrownian(float[] xs, float[] nrm, int i0, int nv, int lane0, int cnt, float ns) {
        for (int r = lane0; r < lane0 + cnt; r++) {
            for (int v = 0; v < nv; v++) {
                final int i = i0 + v * L;
                final FloatVector x = FloatVector.fromArray(FS, xs, i);
                x.add(FloatVector.fromArray(FS, nrm, r * T + v * L).mul(ns)).intoArray(xs, i);
            }
        }
    }

    /**
     * Double-well Langevin steps ({@code CpuKernels.grad1}/{@code loss1} lane-wise); step r enters the
     * window sums (when avg is not null) when r ≥ firstR.
     */
    private static void stepsDoubleWell(float[] xs, float[] nrm, int i0, int nv, int lane0, int cnt, float dt,
            float ns, double[][] avg, long firstR) {
        for (int r = lane0; r < lane0 + cnt; r++) {
            final boolean add = avg != null && r >= firstR;
            for (int v = 0; v < nv; v++) {
                final int i = i0 + v * L;
                final FloatVector x = FloatVector.fromArray(FS, xs, i);
                final FloatVector g = x.mul(4.0f).mul(x.mul(x).sub(1.0f));
                final FloatVector y = x.sub(g.mul(dt)).add(FloatVector.fromArray(FS, nrm, r * T + v * L).mul(ns));
                y.intoArray(xs, i);
                if (add) {
                    final FloatVector t = y.mul(y).sub(1.0f);
                    final FloatVector loss = FloatVector.zero(FS).add(t.mul(t));
                    accumulate(avg, i, y, loss);
                }
            }
        }
    }

    /** Quadratic Langevin steps, a·(x − m) in one dimension; window sums as {@link #stepsDoubleWell}. */
    private static void stepsQuadratic(float[] xs, float[] nrm, int i0, int nv, int lane0, int cnt, float a, float m,
            float dt, float ns, double[][] avg, long firstR) {
        for (int r = lane0; r < lane0 + cnt; r++) {
            final boolean add = avg != null && r >= firstR;
            for (int v = 0; v < nv; v++) {
                final int i = i0 + v * L;
                final FloatVector x = FloatVector.fromArray(FS, xs, i);
                final FloatVector g = FloatVector.zero(FS).add(x.sub(m).mul(a));
                final FloatVector y = x.sub(g.mul(dt)).add(FloatVector.fromArray(FS, nrm, r * T + v * L).mul(ns));
                y.intoArray(xs, i);
                if (add) {
                    final FloatVector ym = y.sub(m);
                    final FloatVector inner = FloatVector.zero(FS).add(ym.mul(a));
                    final FloatVector loss = FloatVector.zero(FS).add(ym.mul(inner)).mul(0.5f);
                    accumulate(avg, i, y, loss);
                }
            }
        }
    }

    // ---------------------------------------------------------------- any d: Brownian, gradient flow, Langevin

    /**
     * Brownian motion, gradient flow or Langevin in any dimension on the double well, a quadratic or
     * full-batch linear regression, without prior ({@code CpuDynamics.brownian/gradientFlow/langevin} with
     * {@code CpuLoss.gradBase} and {@code CpuLoss.value} lane-wise), for particles [from, to) with to − from a
     * multiple of eight. Each vector of eight particles takes all its steps in turn; its normals come from
     * its current Philox block (normal k·d + j of step k, coordinate j), computed once per four normals, so a
     * step range starting or ending inside a block costs nothing extra. The gradient is computed from the
     * whole old state before any coordinate moves, the sums in the scalar order (k ascending from 0.0f).
     */
    private static void general(CpuProblem p, float[][] xs, double[][] avg, long base, int from, int to,
            long firstStep, long nSteps, long burnIn, long seed, float noiseScale) {
        // No vector is carried around a loop or merges two control paths (C2 in JDK 17 would box it): sums go
        // through the scratch arrays, and each kind of step has its own loop.
        final int d = p.d;
        final boolean noisy = p.dynamics != DYN_GRADIENT_FLOW;
        final boolean drift = p.dynamics != DYN_BROWNIAN;
        // the SGD SDE with constant noise: the step's noise is S·ξ, S the lower Cholesky factor of Σ(Φ*)
        final boolean sde = p.dynamics == CpuProblem.DYN_SGD_SDE;
        final float[] xi = new float[sde ? d * L : 0];
        final int loss = drift ? p.loss : CpuProblem.LOSS_NONE;
        final float dt = p.dt;
        final float[] fp = p.fp;
        final boolean average = avg != null && p.average;
        final long firstAveraged = Math.max(0L, burnIn - firstStep);
        final long[] keys = roundKeys(seed);
        final long[] words = new long[4 * L];
        // a tile of U vectors: their normals are generated together (independent Philox chains in flight),
        // then each vector takes the step
        final float[][] block = new float[U][4 * L];
        final float[][] nrm = new float[U][d * L];
        final long[] idx = new long[U];
        final long[] cached = new long[U];
        final float[] g = new float[d * L];
        final float[] xm = new float[(d + 1) * L];
        // full-batch logistic: the examples' matrix transposed (column j of X is row j here) and one chunk's c_e
        final float[] xt = loss == CpuProblem.LOSS_LOGISTIC ? transposedExamples(p) : null;
        final float[] cs = loss == CpuProblem.LOSS_LOGISTIC ? new float[LOGISTIC_CHUNK * L] : null;
        final float[] acc = new float[L];
        final float[] xw = new float[average ? d * L : 0];
        for (int i0 = from; i0 < to; i0 += T) {
            final int nv = Math.min(T, to - i0) / L;
            for (int v = 0; v < nv; v++) {
                idx[v] = firstStep * d;
                cached[v] = -1;
            }
            for (long s = 0; s < nSteps; s++) {
                if (noisy) {
                    for (int v = 0; v < nv; v++) {
                        stepNormals(d, base + i0 + v * L, keys, words, block[v], nrm[v], idx, cached, v);
                    }
                }
                for (int v = 0; v < nv; v++) {
                    final int i = i0 + v * L;
                    float[] nv8 = nrm[v];
                    if (sde) {
                        lowerMatVec(fp, p.chol, d, nv8, xi);
                        nv8 = xi;
                    }
                    if (drift) {
                        gradient(loss, p, fp, xs, i, d, g, xm, xt, cs);
                    }
                    if (drift && noisy) {
                        for (int j = 0; j < d; j++) {
                            final FloatVector x = FloatVector.fromArray(FS, xs[j], i);
                            x.sub(FloatVector.fromArray(FS, g, j * L).mul(dt))
                                    .add(FloatVector.fromArray(FS, nv8, j * L).mul(noiseScale)).intoArray(xs[j], i);
                        }
                    } else if (drift) {
                        for (int j = 0; j < d; j++) {
                            final FloatVector x = FloatVector.fromArray(FS, xs[j], i);
                            x.sub(FloatVector.fromArray(FS, g, j * L).mul(dt)).intoArray(xs[j], i);
                        }
                    } else {
                        for (int j = 0; j < d; j++) {
                            final FloatVector x = FloatVector.fromArray(FS, xs[j], i);
                            x.add(FloatVector.fromArray(FS, nv8, j * L).mul(noiseScale)).intoArray(xs[j], i);
                        }
                    }
                    if (average && s >= firstAveraged) {
                        for (int j = 0; j < d; j++) {
                            FloatVector.fromArray(FS, xs[j], i).intoArray(xw, j * L);
                        }
                        windowSums(p, fp, avg, i, xw, g, xm, acc);
                    }
                }
            }
        }
    }

    /**
     * The d normals of one step of eight particles from particle first on, normal indices idx[v] … idx[v] + d − 1
     * (advanced past them): whole Philox blocks straight into nrm, a block split by the step's ends through the
     * vector's cached block (cached[v] names it).
     */
    private static void stepNormals(int d, long first, long[] keys, long[] words, float[] block, float[] nrm, long[] idx,
            long[] cached, int v) {
        long k = idx[v];
        for (int j = 0; j < d; ) {
            final long b = k >>> 2;
            if ((k & 3) == 0 && j + 4 <= d) {
                normals8(b, first, keys, words, nrm, j * L, L);
                j += 4;
                k += 4;
                continue;
            }
            if (b != cached[v]) {
                normals8(b, first, keys, words, block, 0, L);
                cached[v] = b;
            }
            // a vector copy, not System.arraycopy: the step's vector load of nrm would wait on narrower stores
            FloatVector.fromArray(FS, block, ((int) k & 3) * L).intoArray(nrm, j * L);
            j++;
            k++;
        }
        idx[v] = k;
    }

    /**
     * {@code CpuLoss.gradBase} of eight particles at column i into g[j·L …]; xm is scratch (x − m of the
     * quadratic, x for linreg); xt and cs are the full-batch logistic gradient's (see {@link #logisticGradient}). The
     * sums Σ_k A_jk(x_k − m_k) run over k ascending from 0.0f for each j, as the scalar loop's.
     */
    private static void gradient(int loss, CpuProblem p, float[] fp, float[][] xs, int i, int d, float[] g, float[] xm,
            float[] xt, float[] cs) {
        if (loss == CpuProblem.LOSS_LOGISTIC) {
            logisticGradient(p, xs, i, d, g, xm, xt, cs);
            return;
        }
        if (loss == LOSS_DOUBLE_WELL) {
            for (int j = 0; j < d; j++) {
                final FloatVector x = FloatVector.fromArray(FS, xs[j], i);
                x.mul(4.0f).mul(x.mul(x).sub(1.0f)).intoArray(g, j * L);
            }
            return;
        }
        final boolean quad = loss == LOSS_QUADRATIC;
        if (quad) {
            for (int k = 0; k < d; k++) {
                FloatVector.fromArray(FS, xs[k], i).sub(fp[p.vec + k]).intoArray(xm, k * L);
            }
        } else {
            for (int k = 0; k < d; k++) {
                FloatVector.fromArray(FS, xs[k], i).intoArray(xm, k * L);
            }
        }
        matVec(fp, p.mat, d, xm, g);
        if (!quad) {
            for (int j = 0; j < d; j++) {
                FloatVector.fromArray(FS, g, j * L).sub(fp[p.vec + j]).intoArray(g, j * L);
            }
        }
    }

    /** Examples per chunk of {@link #logisticGradient} (its c_e stay in L1). */
    private static final int LOGISTIC_CHUNK = 64;

    /** @return X transposed: x_ej of the problem's n examples at [j·n + e] */
    private static float[] transposedExamples(CpuProblem p) {
        final int n = p.n;
        final int d = p.d;
        final float[] t = new float[n * d];
        for (int e = 0; e < n; e++) {
            for (int j = 0; j < d; j++) {
                t[j * n + e] = p.data[e * d + j];
            }
        }
        return t;
    }

    /**
     * The full-batch logistic gradient of {@code CpuLoss.gradBase} lane-wise: for each example e in order,
     * z = Σ_k x_ek w_k, c_e = (1/(1 + exp(y_e z)))·(−y_e) with {@link #exp8}, g_j += c_e·x_ej; then g_j /= n. In chunks
     * of {@value #LOGISTIC_CHUNK} examples: first the chunk's c_e (into cs), then each g_j's sum over the chunk's
     * examples as a row of xt (X transposed), both dot products with their partial sums in registers
     * ({@link #rowDot}); the additions are the scalar loop's, in its order. w is scratch of d vectors (the weights).
     */
    private static void logisticGradient(CpuProblem p, float[][] xs, int i, int d, float[] g, float[] w, float[] xt,
            float[] cs) {
        final float[] data = p.data;
        final int n = p.n;
        for (int k = 0; k < d; k++) {
            FloatVector.fromArray(FS, xs[k], i).intoArray(w, k * L);
        }
        zero(g, d);
        for (int e0 = 0; e0 < n; e0 += LOGISTIC_CHUNK) {
            final int m = Math.min(LOGISTIC_CHUNK, n - e0);
            for (int c = 0; c < m; c++) {
                final int e = e0 + c;
                final int o = c * L;
                final float y = data[p.ys + e];
                if (d >= 8) {
                    rowDot(data, e * d, d, w, cs, o);
                } else {
                    // a short sum in place: for a few terms the call costs more than the register saves
                    FloatVector.zero(FS).intoArray(cs, o);
                    for (int k = 0; k < d; k++) {
                        FloatVector.fromArray(FS, cs, o).add(FloatVector.fromArray(FS, w, k * L).mul(data[e * d + k]))
                                .intoArray(cs, o);
                    }
                }
                FloatVector.fromArray(FS, cs, o).mul(y).intoArray(cs, o);
                exp8(cs, o);
                FloatVector.broadcast(FS, 1.0f).div(FloatVector.fromArray(FS, cs, o).add(1.0f)).mul(-y).intoArray(cs, o);
            }
            for (int j = 0; j < d; j++) {
                rowDotFrom(xt, j * n + e0, m, cs, g, j * L);
            }
        }
        final float nf = (float) n;
        for (int j = 0; j < d; j++) {
            FloatVector.fromArray(FS, g, j * L).div(nf).intoArray(g, j * L);
        }
    }

    /**
     * {@code FloatMath.exp} lane-wise on a[off … off+7], in place: the same clamp to [−87, 88] (NaN kept), rounding of x/ln 2 half away
     * from zero and truncation, two-part ln 2 reduction, degree-8 polynomial in Horner's order and the 2^k scale; the
     * integer k is carried as an exact float (SimdIdentityTest compares the bits on special and random values).
     */
    static void exp8(float[] a, int off) {
        // through the array: a vector argument or result of a call C2 does not inline would be boxed. The method's
        // bytecode is kept under C2's inlining limit for hot methods (FreqInlineSize, 325 bytes): inlined, it made the
        // full-batch logistic gradient 10 % faster, and the clamp by comparisons and blends (instead of max/min, whose
        // NaN rules cost C2 several instructions) 20 % more.
        final FloatVector x0 = FloatVector.fromArray(FS, a, off);
        FloatVector x = x0.blend(-87.0f, x0.compare(VectorOperators.LT, -87.0f));
        x = x.blend(88.0f, x.compare(VectorOperators.GT, 88.0f));
        final FloatVector kf0 = x.mul(EXP_INV_LN2);
        final VectorMask<Float> pos = kf0.compare(VectorOperators.GE, 0.0f);
        final FloatVector kf = kf0.sub(0.5f).blend(kf0.add(0.5f), pos);
        // fk = (float) (int) kf without a conversion (C2 on JDK 17 compiles none to a vector instruction): |kf| ≤ 127.5
        // after the clamp, so |kf| + 2^23 − 2^23 is |kf| rounded to an integer, exactly; one less where that rounded
        // up; the sign of kf. A NaN argument stays NaN in fk (the scalar cast gives 0), which changes nothing: x is
        // NaN, and every later operation returns the NaN of its first NaN operand, x's, as the scalar code's do
        // (SimdIdentityTest compares NaN payloads)
        final FloatVector ab = kf.abs();
        final FloatVector t0 = ab.add(0x1p23f).sub(0x1p23f);
        final FloatVector t = t0.blend(t0.sub(1.0f), t0.compare(VectorOperators.GT, ab));
        final FloatVector fk = t.neg().blend(t, pos);
        final FloatVector r = x.sub(fk.mul(LN2_HI)).sub(fk.mul(LN2_LO));
        FloatVector q = r.mul(0x1.a01a02p-13f).add(0x1.6c16c2p-10f);
        q = r.mul(q).add(0x1.111112p-7f);
        q = r.mul(q).add(0x1.555556p-5f);
        q = r.mul(q).add(0x1.555556p-3f);
        q = r.mul(q).add(0.5f);
        q = r.mul(q).add(1.0f);
        q = r.mul(q).add(1.0f);
        // 2^k: k + 127 (in [1, 254]) is the low word of fk + (2^23 + 127), exactly; shifted into the exponent field
        final IntVector e = fk.add(0x1p23f + 127.0f).reinterpretAsInts().sub(0x4B000000);
        q.mul(e.lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()).intoArray(a, off);
    }

    /** {@code FloatMath.INV_LN2}. */
    private static final float EXP_INV_LN2 = 0x1.715476p+0f;

    /** {@code CpuLoss.gradBase} (double well or quadratic) of eight particles whose state is x[j·L …], into g. */
    private static void gradientOf(int loss, CpuProblem p, float[] fp, float[] x, int d, float[] g, float[] xm) {
        if (loss == LOSS_DOUBLE_WELL) {
            for (int j = 0; j < d; j++) {
                final FloatVector xj = FloatVector.fromArray(FS, x, j * L);
                xj.mul(4.0f).mul(xj.mul(xj).sub(1.0f)).intoArray(g, j * L);
            }
            return;
        }
        for (int k = 0; k < d; k++) {
            FloatVector.fromArray(FS, x, k * L).sub(fp[p.vec + k]).intoArray(xm, k * L);
        }
        matVec(fp, p.mat, d, xm, g);
    }

    /**
     * a[0 … count·L) = 0.0f, stored as whole vectors: a vector load right after narrower stores to the same bytes
     * (what {@code Arrays.fill} does) waits for the stores to retire instead of forwarding them, which cost the
     * full-batch logistic gradient half its time.
     */
    private static void zero(float[] a, int count) {
        for (int j = 0; j < count; j++) {
            FloatVector.zero(FS).intoArray(a, j * L);
        }
    }

    /** out[j] = 0.0f + Σ_{k ≤ j} S_jk·v_k (k ascending) lane-wise, S lower-triangular row-major at fp[chol …] ({@code CpuDynamics.sgdSde}). */
    private static void lowerMatVec(float[] fp, int chol, int d, float[] v, float[] out) {
        for (int j = 0; j < d; j++) {
            rowDot(fp, chol + j * d, j + 1, v, out, j * L);
        }
    }

    /** out[j] = 0.0f + Σ_k A_jk·v_k (k ascending) lane-wise, A row-major at fp[mat …]. */
    private static void matVec(float[] fp, int mat, int d, float[] v, float[] out) {
        for (int j = 0; j < d; j++) {
            rowDot(fp, mat + j * d, d, v, out, j * L);
        }
    }

    /**
     * out[o …] = 0.0f + Σ_{k < len} fp[row + k]·v_k (k ascending) lane-wise: eight or four terms at a time in
     * straight-line code (the partial sum in a register, stored once per group; a vector carried around the k loop
     * would be boxed by C2 on JDK 17), the rest through the array. Against one load and store of the sum per term
     * this made Langevin on a dense quadratic 16 % faster at d = 8.
     */
    private static void rowDot(float[] fp, int row, int len, float[] v, float[] out, int o) {
        FloatVector.zero(FS).intoArray(out, o);
        rowDotFrom(fp, row, len, v, out, o);
    }

    /** out[o …] += Σ_{k < len} fp[row + k]·v_k, the terms added one by one in ascending k, as {@link #rowDot}. */
    private static void rowDotFrom(float[] fp, int row, int len, float[] v, float[] out, int o) {
        int k = 0;
        for (; k + 8 <= len; k += 8) {
            FloatVector a = FloatVector.fromArray(FS, out, o);
            a = a.add(FloatVector.fromArray(FS, v, k * L).mul(fp[row + k]));
            a = a.add(FloatVector.fromArray(FS, v, (k + 1) * L).mul(fp[row + k + 1]));
            a = a.add(FloatVector.fromArray(FS, v, (k + 2) * L).mul(fp[row + k + 2]));
            a = a.add(FloatVector.fromArray(FS, v, (k + 3) * L).mul(fp[row + k + 3]));
            a = a.add(FloatVector.fromArray(FS, v, (k + 4) * L).mul(fp[row + k + 4]));
            a = a.add(FloatVector.fromArray(FS, v, (k + 5) * L).mul(fp[row + k + 5]));
            a = a.add(FloatVector.fromArray(FS, v, (k + 6) * L).mul(fp[row + k + 6]));
            a = a.add(FloatVector.fromArray(FS, v, (k + 7) * L).mul(fp[row + k + 7]));
            a.intoArray(out, o);
        }
        if (k + 4 <= len) {
            FloatVector a = FloatVector.fromArray(FS, out, o);
            a = a.add(FloatVector.fromArray(FS, v, k * L).mul(fp[row + k]));
            a = a.add(FloatVector.fromArray(FS, v, (k + 1) * L).mul(fp[row + k + 1]));
            a = a.add(FloatVector.fromArray(FS, v, (k + 2) * L).mul(fp[row + k + 2]));
            a = a.add(FloatVector.fromArray(FS, v, (k + 3) * L).mul(fp[row + k + 3]));
            a.intoArray(out, o);
            k += 4;
        }
        for (; k < len; k++) {
            FloatVector.fromArray(FS, out, o).add(FloatVector.fromArray(FS, v, k * L).mul(fp[row + k])).intoArray(out, o);
        }
    }

    /**
     * {@code CpuLoss.value} of eight particles whose state is w[k·L …] into acc[0 … L) (double well, quadratic,
     * linear regression, with the prior's term; 0 without a loss); inner and xm are scratch of d vectors. The sums
     * run from 0.0f in the scalar order.
     */
    private static void lossValue(int loss, CpuProblem p, float[] fp, float[] w, int d, float[] inner, float[] xm,
            float[] acc) {
        zero(acc, 1);
        if (loss == LOSS_DOUBLE_WELL) {
            for (int j = 0; j < d; j++) {
                final FloatVector x = FloatVector.fromArray(FS, w, j * L);
                final FloatVector t = x.mul(x).sub(1.0f);
                FloatVector.fromArray(FS, acc, 0).add(t.mul(t)).intoArray(acc, 0);
            }
        } else if (loss == LOSS_QUADRATIC) {
            for (int k = 0; k < d; k++) {
                FloatVector.fromArray(FS, w, k * L).sub(fp[p.vec + k]).intoArray(xm, k * L);
            }
            matVec(fp, p.mat, d, xm, inner);
            for (int j = 0; j < d; j++) {
                FloatVector.fromArray(FS, acc, 0).add(FloatVector.fromArray(FS, xm, j * L).mul(FloatVector.fromArray(FS, inner, j * L)))
                        .intoArray(acc, 0);
            }
            FloatVector.fromArray(FS, acc, 0).mul(0.5f).intoArray(acc, 0);
        } else if (loss == LOSS_LINREG) {
            // (Σ_e (z_e − y_e)²)/n · (½/s²), z_e = Σ_k x_ek w_k; z in inner
            final float[] data = p.data;
            for (int e = 0; e < p.n; e++) {
                // written out as in logisticGradient: one helper for both measured 20 % slower here (C2 did not inline it)
                if (d >= 8) {
                    rowDot(data, e * d, d, w, inner, 0);
                } else {
                    zero(inner, 1);
                    for (int k = 0; k < d; k++) {
                        FloatVector.fromArray(FS, inner, 0).add(FloatVector.fromArray(FS, w, k * L).mul(data[e * d + k]))
                                .intoArray(inner, 0);
                    }
                }
                final FloatVector r = FloatVector.fromArray(FS, inner, 0).sub(data[p.ys + e]);
                FloatVector.fromArray(FS, acc, 0).add(r.mul(r)).intoArray(acc, 0);
            }
            FloatVector.fromArray(FS, acc, 0).div((float) p.n).mul(0.5f * p.invS2).intoArray(acc, 0);
        }
        if (p.prior) {
            zero(xm, 1);
            for (int j = 0; j < d; j++) {
                final FloatVector x = FloatVector.fromArray(FS, w, j * L);
                FloatVector.fromArray(FS, xm, 0).add(x.mul(x)).intoArray(xm, 0);
            }
            FloatVector.fromArray(FS, acc, 0).add(FloatVector.fromArray(FS, xm, 0).mul(0.5f * p.priorCoef)).intoArray(acc, 0);
        }
    }

    /**
     * The window sums of eight particles at column i whose state is w[j·L …]: avg[j] += x_j, avg[d + j] += x_j², avg[2d]
     * += the loss, in double as {@code CpuKernels.advanceGeneral}; inner, xm and acc are scratch (d, d + 1 and 1 vectors).
     */
    private static void windowSums(CpuProblem p, float[] fp, double[][] avg, int i, float[] w, float[] inner, float[] xm,
            float[] acc) {
        final int d = p.d;
        for (int j = 0; j < d; j++) {
            final DoubleVector xd = (DoubleVector) FloatVector.fromArray(FS, w, j * L).convertShape(VectorOperators.F2D, DS, 0);
            DoubleVector.fromArray(DS, avg[j], i).add(xd).intoArray(avg[j], i);
            DoubleVector.fromArray(DS, avg[d + j], i).add(xd.mul(xd)).intoArray(avg[d + j], i);
        }
        lossValue(p.loss, p, fp, w, d, inner, xm, acc);
        DoubleVector.fromArray(DS, avg[2 * d], i)
                .add((DoubleVector) FloatVector.fromArray(FS, acc, 0).convertShape(VectorOperators.F2D, DS, 0))
                .intoArray(avg[2 * d], i);
    }

    /** Window sums of eight particles: avg += (x, x², loss) in double. */
    private static void accumulate(double[][] avg, int i, FloatVector x, FloatVector loss) {
        final DoubleVector xd = (DoubleVector) x.convertShape(VectorOperators.F2D, DS, 0);
        DoubleVector.fromArray(DS, avg[0], i).add(xd).intoArray(avg[0], i);
        DoubleVector.fromArray(DS, avg[1], i).add(xd.mul(xd)).intoArray(avg[1], i);
        DoubleVector.fromArray(DS, avg[2], i).add((DoubleVector) loss.convertShape(VectorOperators.F2D, DS, 0))
                .intoArray(avg[2], i);
    }

    // ---------------------------------------------------------------- SGD on linear regression

    /**
     * SGD (linear or logistic regression, the quadratic and double well with data noise), sampling with or
     * without replacement, no window sums, for particles [from, to) with to − from a multiple of eight: {@code CpuDynamics.sgd} with {@code CpuLoss.exampleAcc} and
     * {@code batchGradient} lane-wise. Example rows are gathered per lane; each particle's sums run in
     * the scalar order (examples in drawn order, coordinates ascending).
     */
    private static void sgdLinreg(CpuProblem p, float[][] xs, double[][] avg, long base, int from, int to, long firstStep,
            long nSteps, long burnIn, long seed, float lr) {
        final boolean average = avg != null && p.average;
        final long firstAveraged = Math.max(0L, burnIn - firstStep);
        final int d = p.d;
        final int batch = p.batch;
        final long[] keys = roundKeys(seed);
        final long[] words = new long[4 * L];
        final int[] rowOff = new int[L];
        final int[] yOff = new int[(p.distinct ? p.batch : 1) * L];
        final float[] x = new float[d * L];
        final float[] acc = new float[d * L];
        final float[] g = new float[d * L];
        final float[] rows = new float[d * L];
        final float[] zv = new float[L];
        final float[] yv = new float[L];
        final float[] gb = new float[d * L];
        final float[] xm = new float[(d + 1) * L];
        for (int i = from; i < to; i += L) {
            for (int j = 0; j < d; j++) {
                FloatVector.fromArray(FS, xs[j], i).intoArray(x, j * L);
            }
            long w = firstStep * batch;
            final long particle = base + i;
            if ((w & 3L) != 0L) {
                philox8((1L << 32) + (w >>> 2), particle, keys, words);
            }
            for (long s = 0; s < nSteps; s++) {
                w = p.loss == LOSS_LINREG ? sgdStep(p, x, acc, g, rows, zv, yv, rowOff, yOff, words, keys, particle, w, lr)
                        : sgdStepGeneral(p, x, acc, g, rows, zv, yv, rowOff, yOff, words, keys, particle, w, lr, gb, xm);
                if (average && s >= firstAveraged) {
                    windowSums(p, p.fp, avg, i, x, g, xm, acc);
                }
            }
            for (int j = 0; j < d; j++) {
                FloatVector.fromArray(FS, x, j * L).intoArray(xs[j], i);
            }
        }
    }

    /**
     * Draws example m of the batch of eight particles from index word w of their streams (computing the Philox
     * block into words when w starts one) and gathers its rows into rows[k·8 + lane] and its targets into yv. With
     * replacement the index is bounded(word, n); without (Floyd's algorithm, as {@code CpuDynamics.sgd}) it is
     * bounded(word, j + 1) for j = n − B + m, or j where an earlier draw of the batch took that index: yOff holds the
     * batch's indices, draw m at yOff[m·8 …] (at yOff[0 …] with replacement).
     *
     * @return the next word index
     */
    private static long drawExample(CpuProblem p, long[] words, long[] keys, long particle, long w, int m, int[] rowOff,
            int[] yOff, float[] rows, float[] yv) {
        final int d = p.d;
        final float[] data = p.data;
        final int lane = (int) (w & 3L);
        if (lane == 0) {
            philox8((1L << 32) + (w >>> 2), particle, keys, words);
        }
        final int bound = p.distinct ? p.n - p.batch + m + 1 : p.n;
        final int at = p.distinct ? m * L : 0;
        // Streams.bounded: (word · bound) >>> 32 with the word unsigned, exact in a long
        ((IntVector) LongVector.fromArray(LS, words, lane * L).mul(bound)
                .lanewise(VectorOperators.LSHR, 32).convertShape(VectorOperators.L2I, IS, 0)).intoArray(yOff, at);
        if (p.distinct) {
            // the scalar loop stops at the first earlier draw equal to the candidate; replacing at every match is
            // the same, since the earlier draws are distinct and all below j = bound − 1 (through the array: no
            // vector is carried around a loop)
            for (int q = 0; q < m; q++) {
                final IntVector t = IntVector.fromArray(IS, yOff, at);
                t.blend(bound - 1, t.compare(VectorOperators.EQ, IntVector.fromArray(IS, yOff, q * L))).intoArray(yOff, at);
            }
        }
        IntVector.fromArray(IS, yOff, at).mul(d).intoArray(rowOff, 0);
        for (int k = 0; k < d; k++) {
            FloatVector.fromArray(FS, data, k, rowOff, 0).intoArray(rows, k * L);
        }
        FloatVector.fromArray(FS, data, p.ys, yOff, at).intoArray(yv, 0);
        return w + 1;
    }

    /**
     * g = acc / B lane-wise. For B a power of two, x / B and x · (1/B) are the same exactly rounded value
     * (1/B is exact), so the cheaper multiplication gives the same bits.
     */
    private static void batchMean(CpuProblem p, float[] acc, float[] g) {
        final int d = p.d;
        final int batch = p.batch;
        final float bf = (float) batch;
        if ((batch & (batch - 1)) == 0) {
            final float inv = 1.0f / bf;
            for (int j = 0; j < d; j++) {
                FloatVector.fromArray(FS, acc, j * L).mul(inv).intoArray(g, j * L);
            }
        } else {
            for (int j = 0; j < d; j++) {
                FloatVector.fromArray(FS, acc, j * L).div(bf).intoArray(g, j * L);
            }
        }
    }

    /** The prior's term, then the step Φ ← Φ − η·D·ĝ (D: identity, diagonal or full); acc is scratch. */
    private static void applyStep(CpuProblem p, float[] x, float[] g, float[] acc, float lr) {
        final int d = p.d;
        final float[] fp = p.fp;
        if (p.prior) {
            for (int j = 0; j < d; j++) {
                FloatVector.fromArray(FS, g, j * L).add(FloatVector.fromArray(FS, x, j * L).mul(p.priorCoef))
                        .intoArray(g, j * L);
            }
        }
        if (p.precond == PREC_FULL) {
            for (int j = 0; j < d; j++) {
                FloatVector.zero(FS).intoArray(acc, j * L);
                for (int k = 0; k < d; k++) {
                    FloatVector.fromArray(FS, acc, j * L)
                            .add(FloatVector.fromArray(FS, g, k * L).mul(fp[p.prec + j * d + k]))
                            .intoArray(acc, j * L);
                }
            }
            for (int j = 0; j < d; j++) {
                FloatVector.fromArray(FS, x, j * L).sub(FloatVector.fromArray(FS, acc, j * L).mul(lr))
                        .intoArray(x, j * L);
            }
        } else {
            for (int j = 0; j < d; j++) {
                final FloatVector gj = FloatVector.fromArray(FS, g, j * L);
                final FloatVector xj = FloatVector.fromArray(FS, x, j * L);
                if (p.precond == PREC_DIAGONAL) {
                    xj.sub(gj.mul(fp[p.prec + j * d + j]).mul(lr)).intoArray(x, j * L);
                } else {
                    xj.sub(gj.mul(lr)).intoArray(x, j * L);
                }
            }
        }
    }

    /**
     * One SGD step of eight particles (state x[j·8 + lane]) from index word w of their streams;
     * returns the next word index. A method of its own so that C2 compiles it whole (not by OSR).
     */
    private static long sgdStep(CpuProblem p, float[] x, float[] acc, float[] g, float[] rows, float[] zv, float[] yv,
            int[] rowOff, int[] yOff, long[] words, long[] keys, long particle, long w, float lr) {
        final int d = p.d;
        final int batch = p.batch;
        final float[] fp = p.fp;
        final float invS2 = p.invS2;
        for (int j = 0; j < d; j++) {
            FloatVector.zero(FS).intoArray(acc, j * L);
        }
        for (int t = 0; t < batch; t++) {
            w = drawExample(p, words, keys, particle, w, t, rowOff, yOff, rows, yv);
            if (d == 8) {
                // straight-line (z stays in a register; same additions in the same order)
                FloatVector z = FloatVector.zero(FS);
            z = z.add(FloatVector.fromArray(FS, rows, 0 * L).mul(FloatVector.fromArray(FS, x, 0 * L)));
            z = z.add(FloatVector.fromArray(FS, rows, 1 * L).mul(FloatVector.fromArray(FS, x, 1 * L)));
            z = z.add(FloatVector.fromArray(FS, rows, 2 * L).mul(FloatVector.fromArray(FS, x, 2 * L)));
            z = z.add(FloatVector.fromArray(FS, rows, 3 * L).mul(FloatVector.fromArray(FS, x, 3 * L)));
            z = z.add(FloatVector.fromArray(FS, rows, 4 * L).mul(FloatVector.fromArray(FS, x, 4 * L)));
            z = z.add(FloatVector.fromArray(FS, rows, 5 * L).mul(FloatVector.fromArray(FS, x, 5 * L)));
            z = z.add(FloatVector.fromArray(FS, rows, 6 * L).mul(FloatVector.fromArray(FS, x, 6 * L)));
            z = z.add(FloatVector.fromArray(FS, rows, 7 * L).mul(FloatVector.fromArray(FS, x, 7 * L)));
                z.intoArray(zv, 0);
            } else {
                // z accumulates through its array (no vector carried around the loop, see oneDim)
                FloatVector.zero(FS).intoArray(zv, 0);
                for (int k = 0; k < d; k++) {
                    FloatVector.fromArray(FS, zv, 0)
                            .add(FloatVector.fromArray(FS, rows, k * L).mul(FloatVector.fromArray(FS, x, k * L)))
                            .intoArray(zv, 0);
                }
            }
            FloatVector r = FloatVector.fromArray(FS, zv, 0).sub(FloatVector.fromArray(FS, yv, 0)).mul(invS2);
            for (int j = 0; j < d; j++) {
                FloatVector.fromArray(FS, acc, j * L)
                        .add(FloatVector.fromArray(FS, rows, j * L).mul(r)).intoArray(acc, j * L);
            }
        }
        batchMean(p, acc, g);
        applyStep(p, x, g, acc, lr);
        return w;
    }

    /**
     * {@link #sgdStep} for logistic regression and the quadratic and double well with data noise (a method of
     * its own: with these branches in it, C2 on JDK 17 boxed the vectors of the linreg step).
     */
    private static long sgdStepGeneral(CpuProblem p, float[] x, float[] acc, float[] g, float[] rows, float[] zv, float[] yv,
            int[] rowOff, int[] yOff, long[] words, long[] keys, long particle, long w, float lr, float[] gb, float[] xm) {
        final int d = p.d;
        final int batch = p.batch;
        final float[] fp = p.fp;
        for (int j = 0; j < d; j++) {
            FloatVector.zero(FS).intoArray(acc, j * L);
        }
        for (int t = 0; t < batch; t++) {
            w = drawExample(p, words, keys, particle, w, t, rowOff, yOff, rows, yv);
            if (p.loss == CpuProblem.LOSS_LOGISTIC) {
                // CpuLoss.exampleAcc: z = Σ_k x_ik w_k, s = 1/(1 + exp(y z)), acc_j += (−y s)·x_ij
                FloatVector.zero(FS).intoArray(zv, 0);
                for (int k = 0; k < d; k++) {
                    FloatVector.fromArray(FS, zv, 0)
                            .add(FloatVector.fromArray(FS, rows, k * L).mul(FloatVector.fromArray(FS, x, k * L)))
                            .intoArray(zv, 0);
                }
                final FloatVector y = FloatVector.fromArray(FS, yv, 0);
                FloatVector.fromArray(FS, zv, 0).mul(y).intoArray(zv, 0);
                exp8(zv, 0);
                final FloatVector c = FloatVector.broadcast(FS, 1.0f).div(FloatVector.fromArray(FS, zv, 0).add(1.0f))
                        .mul(y.neg());
                for (int j = 0; j < d; j++) {
                    FloatVector.fromArray(FS, acc, j * L)
                            .add(FloatVector.fromArray(FS, rows, j * L).mul(c)).intoArray(acc, j * L);
                }
            } else {
                // the quadratic's and double well's additive noise: acc_j += x_ij − x̄_j
                for (int j = 0; j < d; j++) {
                    FloatVector.fromArray(FS, acc, j * L)
                            .add(FloatVector.fromArray(FS, rows, j * L).sub(fp[p.xbar + j])).intoArray(acc, j * L);
                }
            }
        }
        batchMean(p, acc, g);
        if (p.loss == LOSS_QUADRATIC || p.loss == LOSS_DOUBLE_WELL) {
            // CpuLoss.batchGradient: g_j = gradBase_j(x) − acc_j/B
            gradientOf(p.loss, p, fp, x, d, gb, xm);
            for (int j = 0; j < d; j++) {
                FloatVector.fromArray(FS, gb, j * L).sub(FloatVector.fromArray(FS, g, j * L)).intoArray(g, j * L);
            }
        }
        applyStep(p, x, g, acc, lr);
        return w;
    }
}
