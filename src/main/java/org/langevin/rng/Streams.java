package org.langevin.rng;

/**
 * The layout of a particle's Philox stream (kernels/README.md): the high word of the 64-bit block
 * index names a region — 0 the dynamics' Gaussian noise, 1 SGD's example-index words, 2 the initial
 * state. Normal i of a region is lane i &amp; 3 of block region·2³² + (i &gt;&gt; 2); likewise word w.
 */
public final class Streams {
    /** Region of the dynamics' Gaussian noise. */
    public static final int REGION_NOISE = 0;
    /** Region of SGD's example-index words. */
    public static final int REGION_INDEX = 1;
    /** Region of the initial state's normals. */
    public static final int REGION_INIT = 2;

    private Streams() {
    }

    /**
     * The block that holds item i of a region; the item is lane i &amp; 3 of that block.
     *
     * @param region the region ({@link #REGION_NOISE}, {@link #REGION_INDEX} or {@link #REGION_INIT})
     * @param i the item's index within the region, non-negative (normal or word, four to a block)
     * @return the 64-bit block index region·2³² + (i &gt;&gt; 2)
     */
    public static long block(int region, long i) {
        return ((long) region << 32) + (i >>> 2);
    }

    /**
     * An index drawn from one word by Lemire's multiply-shift, with no rejection: each index takes
     * ⌊2³²/n⌋ or ⌈2³²/n⌉ of the words, so its probability is within 2⁻³² of 1/n (relative bias below
     * n/2³²). SGD picks its examples this way.
     *
     * @param word the word, read as unsigned
     * @param n the number of choices, positive
     * @return (word·n) &gt;&gt; 32, an index in [0, n)
     */
    public static int bounded(int word, int n) {
        return (int) (((word & 0xFFFFFFFFL) * (long) n) >>> 32);
    }

    /**
     * Fills out[0..count) with normals first .. first+count−1 of a region of a particle's stream,
     * generating each Philox block once.
     *
     * @param seed the run's seed
     * @param particle the particle's index
     * @param region the region ({@link #REGION_NOISE} or {@link #REGION_INIT} for normals)
     * @param first the index in the region of the first normal
     * @param count the number of normals, at most {@code out.length}
     * @param out receives the normals at out[0..count)
     */
    public static void normals(long seed, long particle, int region, long first, int count, float[] out) {
        float[] buf = new float[4];
        int[] words = new int[4];
        long loaded = -1;
        for (int i = 0; i < count; i++) {
            long idx = first + i;
            long b = block(region, idx);
            if (b != loaded) {
                NormalTransform.normal4(seed, particle, b, words, buf, 0);
                loaded = b;
            }
            out[i] = buf[(int) (idx & 3)];
        }
    }

    /**
     * Fills out[0..count) with words first .. first+count−1 of a region of a particle's stream,
     * generating each Philox block once.
     *
     * @param seed the run's seed
     * @param particle the particle's index
     * @param region the region ({@link #REGION_INDEX} for SGD's example indices)
     * @param first the index in the region of the first word
     * @param count the number of words, at most {@code out.length}
     * @param out receives the raw (unsigned) words at out[0..count)
     */
    public static void words(long seed, long particle, int region, long first, int count, int[] out) {
        int[] buf = new int[4];
        long loaded = -1;
        for (int i = 0; i < count; i++) {
            long idx = first + i;
            long b = block(region, idx);
            if (b != loaded) {
                Philox4x32.block(seed, particle, b, buf, 0);
                loaded = b;
            }
            out[i] = buf[(int) (idx & 3)];
        }
    }
}
