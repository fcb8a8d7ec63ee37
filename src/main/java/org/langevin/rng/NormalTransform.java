package org.langevin.rng;

/**
 * Uniform and normal numbers from Philox words, bit-identical to kernels/lv_rng.cuh: the uniform is
 * cuRAND's x·2⁻³² + 2⁻³³ ∈ (0, 1]; the normals are Box–Muller on word pairs, sine first. Stateless
 * and thread-safe; nothing here allocates, so it can run in the CPU engine's hot loop.
 */
public final class NormalTransform {
    /** The largest |normal| Box–Muller can return: √(−2 ln 2⁻³³) ≈ 6.7637 (the smallest uniform is 2⁻³³). */
    public static final double MAX_ABS = Math.sqrt(66 * Math.log(2));

    private NormalTransform() {
    }

    /** @return u = x·2⁻³² + 2⁻³³ for the unsigned word x, in (0, 1] */
    public static float uniform(int word) {
        return ((float) (word & 0xFFFFFFFFL) * 0x1p-32f) + 0x1p-33f;
    }

    /**
     * Box–Muller on the words (a, b): out[off] = s·sin θ, out[off+1] = s·cos θ with s = √(−2 ln u),
     * u = uniform(a), θ = 2π(b + ½)/2³².
     */
    public static void boxMuller(int a, int b, float[] out, int off) {
        float u = uniform(a);
        float s = (float) Math.sqrt(-2.0f * FloatMath.log(u));
        FloatMath.sincosWord(b, out, off);
        out[off] = s * out[off];
        out[off + 1] = s * out[off + 1];
    }

    /**
     * The four normals of block {@code block} of a particle's stream.
     *
     * @param words scratch of length ≥ 4 (so the call allocates nothing)
     * @param out receives the normals at out[off..off+3]
     */
    public static void normal4(long seed, long particle, long block, int[] words, float[] out, int off) {
        Philox4x32.block(seed, particle, block, words, 0);
        boxMuller(words[0], words[1], out, off);
        boxMuller(words[2], words[3], out, off + 2);
    }

    /** As {@link #normal4(long, long, long, int[], float[], int)} with a scratch array of its own. */
    public static void normal4(long seed, long particle, long block, float[] out, int off) {
        normal4(seed, particle, block, new int[4], out, off);
    }
}
