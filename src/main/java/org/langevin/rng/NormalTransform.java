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

    /**
     * The uniform of one Philox word, as cuRAND's {@code _curand_uniform}.
     *
     * @param word the word x, read as unsigned
     * @return u = x·2⁻³² + 2⁻³³ in float, in (0, 1] (never 0, so ln u is finite)
     */
    public static float uniform(int word) {
        return ((float) (word & 0xFFFFFFFFL) * 0x1p-32f) + 0x1p-33f;
    }

    /**
     * Box–Muller on the words (a, b): out[off] = s·sin θ, out[off+1] = s·cos θ with s = √(−2 ln u),
     * u = uniform(a), θ = 2π(b + ½)/2³².
     *
     * @param a the word whose uniform sets the radius s
     * @param b the word that sets the angle θ
     * @param out receives the two normals, each of magnitude at most {@link #MAX_ABS}
     * @param off the index in {@code out} of the first (sine) normal
     */
    public static void boxMuller(int a, int b, float[] out, int off) {
        float u = uniform(a);
        float s = (float) Math.sqrt(-2.0f * FloatMath.log(u));
        FloatMath.sincosWord(b, out, off);
        out[off] = s * out[off];
        out[off + 1] = s * out[off + 1];
    }

    /**
     * The four normals of block {@code block} of a particle's stream: Box–Muller on the block's words
     * (0, 1) and then (2, 3).
     *
     * @param seed the run's seed (the Philox key)
     * @param particle the particle's index (the high half of the counter)
     * @param block the 64-bit block index in the particle's stream (the low half of the counter; see
     *     {@link Streams#block(int, long)} for the regions)
     * @param words scratch of length ≥ 4 (so the call allocates nothing)
     * @param out receives the normals at out[off..off+3]
     * @param off the index in {@code out} of the block's first normal
     */
    public static void normal4(long seed, long particle, long block, int[] words, float[] out, int off) {
        Philox4x32.block(seed, particle, block, words, 0);
        boxMuller(words[0], words[1], out, off);
        boxMuller(words[2], words[3], out, off + 2);
    }

    /**
     * As {@link #normal4(long, long, long, int[], float[], int)} with a scratch array of its own (so it
     * allocates four ints per call).
     *
     * @param seed the run's seed (the Philox key)
     * @param particle the particle's index
     * @param block the 64-bit block index in the particle's stream
     * @param out receives the normals at out[off..off+3]
     * @param off the index in {@code out} of the block's first normal
     */
    public static void normal4(long seed, long particle, long block, float[] out, int off) {
        normal4(seed, particle, block, new int[4], out, off);
    }
}
