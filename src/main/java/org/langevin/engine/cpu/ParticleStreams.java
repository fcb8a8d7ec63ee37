package org.langevin.engine.cpu;

import org.langevin.rng.NormalTransform;
import org.langevin.rng.Philox4x32;

/**
 * One particle's two random streams as the kernels read them (kernels/lv_dynamics.cuh,
 * {@code LvPhiloxNormals} and {@code LvWords}): the normals (region 0, four per Philox block, Box–Muller
 * on the word pairs) and the index words of SGD (region 1). Positioned at any global index, so a
 * segment, a resumed run or a partition reads the same numbers. One instance per worker: not
 * thread-safe; allocation-free after construction.
 */
final class ParticleStreams {
    /** Philox key words. */
    private final int k0, k1;
    /** The particle whose streams these are. */
    private long particle;
    /** Normal stream: the current block's normals and the global index of the next normal. */
    private final float[] nbuf = new float[4];
    /** The Philox words behind nbuf. */
    private final int[] pbuf = new int[4];
    private long nNext;
    /** Word stream: the current block's words and the index of the next word. */
    private final int[] wbuf = new int[4];
    private long wNext;

    /** @param seed the Philox seed (key low and high words) */
    ParticleStreams(long seed) {
        this.k0 = (int) seed;
        this.k1 = (int) (seed >>> 32);
    }

    /** {@code lv_normals_init}: positions the normal stream of a particle at global normal {@code first}. */
    void normalsInit(long particleIndex, long first) {
        particle = particleIndex;
        nNext = first;
        nbuf[0] = 0.0f;
        nbuf[1] = 0.0f;
        nbuf[2] = 0.0f;
        nbuf[3] = 0.0f;
        if ((first & 3L) != 0L) {
            normalsFill();
        }
    }

    /** {@code lv_normals_fill}: the four normals of block nNext >> 2 (region 0). */
    private void normalsFill() {
        final long block = nNext >>> 2;
        Philox4x32.block((int) block, (int) (block >>> 32), (int) particle, (int) (particle >>> 32), k0, k1, pbuf, 0);
        NormalTransform.boxMuller(pbuf[0], pbuf[1], nbuf, 0);
        NormalTransform.boxMuller(pbuf[2], pbuf[3], nbuf, 2);
    }

    /** {@code lv_normals_next}. */
    float normalsNext() {
        final int lane = (int) (nNext & 3L);
        if (lane == 0) {
            normalsFill();
        }
        nNext++;
        return nbuf[lane];
    }

    /** {@code lv_words_init}: positions the index-word stream of a particle at word {@code first}. */
    void wordsInit(long particleIndex, long first) {
        particle = particleIndex;
        wNext = first;
        wbuf[0] = 0;
        wbuf[1] = 0;
        wbuf[2] = 0;
        wbuf[3] = 0;
        if ((first & 3L) != 0L) {
            wordsFill();
        }
    }

    private void wordsFill() {
        final long block = (1L << 32) + (wNext >>> 2);
        Philox4x32.block((int) block, (int) (block >>> 32), (int) particle, (int) (particle >>> 32), k0, k1, wbuf, 0);
    }

    /** {@code lv_words_next}. */
    int wordsNext() {
        final int lane = (int) (wNext & 3L);
        if (lane == 0) {
            wordsFill();
        }
        wNext++;
        return wbuf[lane];
    }
}
