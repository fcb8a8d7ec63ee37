package org.langevin.rng;

/**
 * Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3" (SC'11), identical to {@code lv_philox4x32_10} in kernels/lv_rng.cuh
 * and to cuRAND's device generator. A block maps a 128-bit counter and a 64-bit key to four 32-bit
 * words; the stream of particle p under seed s is cuRAND's {@code curand_init(s, p, 0)}: key
 * (s lo, s hi), counter (block lo, block hi, p lo, p hi). Unsigned words are held in Java ints.
 * Stateless and thread-safe.
 */
public final class Philox4x32 {
    /** Multiplier of counter word 0. */
    static final long M0 = 0xD2511F53L;
    /** Multiplier of counter word 2. */
    static final long M1 = 0xCD9E8D57L;
    /** Key increment of key word 0 (golden ratio). */
    static final int W0 = 0x9E3779B9;
    /** Key increment of key word 1 (√3 − 1). */
    static final int W1 = 0xBB67AE85;
    private static final long MASK = 0xFFFFFFFFL;

    private Philox4x32() {
    }

    /**
     * One block of ten rounds. Each round multiplies counter words 0 and 2 by {@code M0} and
     * {@code M1} into 64-bit products and mixes their high halves with words 1 and 3 and the key;
     * the key is bumped by the Weyl increments {@code W0}, {@code W1} before every round but the first.
     *
     * @param c0 counter word 0 (least significant)
     * @param c1 counter word 1
     * @param c2 counter word 2
     * @param c3 counter word 3 (most significant)
     * @param k0 key word 0 (low half of the seed)
     * @param k1 key word 1 (high half of the seed)
     * @param out receives x, y, z, w at out[off..off+3]
     * @param off the index in {@code out} of word x
     */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out, int off) {
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = M0 * (c0 & MASK);
            long p1 = M1 * (c2 & MASK);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
        }
        out[off] = c0;
        out[off + 1] = c1;
        out[off + 2] = c2;
        out[off + 3] = c3;
    }

    /**
     * Block {@code block} of particle {@code particle}'s stream under {@code seed}: counter (block lo,
     * block hi, particle lo, particle hi), key (seed lo, seed hi).
     *
     * @param seed the run's seed, the 64-bit key
     * @param particle the particle's index, the subsequence of cuRAND's {@code curand_init}
     * @param block the 64-bit block index within the particle's stream
     * @param out receives the four words at out[off..off+3]
     * @param off the index in {@code out} of the first word
     */
    public static void block(long seed, long particle, long block, int[] out, int off) {
        block((int) block, (int) (block >>> 32), (int) particle, (int) (particle >>> 32), (int) seed,
                (int) (seed >>> 32), out, off);
    }
}
