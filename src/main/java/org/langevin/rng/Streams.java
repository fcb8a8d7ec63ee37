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

    /** @return the 64-bit block index holding item i (normal or word) of a region */
    public static long block(int region, long i) {
        return ((long) region << 32) + (i >>> 2);
    }

    /** @return an index in [0, n) from an unsigned word by Lemire's multiply-shift (bias ≤ n/2³²) */
    public static int bounded(int word, int n) {
        return (int) (((word & 0xFFFFFFFFL) * (long) n) >>> 32);
    }

    /**
     * Fills out[0..count) with normals first .. first+count−1 of a region of a particle's stream.
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

    /** Fills out[0..count) with words first .. first+count−1 of a region of a particle's stream. */
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
