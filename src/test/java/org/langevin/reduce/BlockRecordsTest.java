package org.langevin.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Block records decoded into partials: a record written from the host reducer's own numbers decodes to
 * the host's partial byte for byte (empty blocks included), malformed records are refused with a message
 * naming the block, and specs a record cannot hold are not supported.
 */
class BlockRecordsTest {

    static final ReduceSpec SPEC = ReduceSpec.defaults().withCovariance(false).withLoss(phi -> phi[0] * 2.0)
            .withHistograms(4, -1, 1).withDivergenceBound(3);

    static byte[] bytes(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    /** The record of a host partial, in the layout of the class comment of BlockRecords. */
    static double[] recordOf(Summary s, int bins) {
        int d = s.dimension();
        double[] r = new double[2 + 6 * d + 6 + d * (2 + bins)];
        r[0] = s.particles();
        r[1] = s.diverged();
        int p = 2;
        for (int j = 0; j <= d; j++) {
            Moments m = j < d ? s.state(j) : s.loss();
            double[] f = {m.getCount() == 0 ? 0 : m.getMean(), m.getM2(), m.getM3(), m.getM4(),
                m.getCount() == 0 ? Double.POSITIVE_INFINITY : m.getMin(), m.getCount() == 0 ? Double.NEGATIVE_INFINITY : m.getMax()};
            System.arraycopy(f, 0, r, p, 6);
            p += 6;
        }
        for (int j = 0; j < d; j++) {
            Histogram1D h = s.histogram(j);
            r[p] = h.getUnderflow();
            r[p + 1] = h.getOverflow();
            for (int k = 0; k < bins; k++) {
                r[p + 2 + k] = h.getCount(k);
            }
            p += 2 + bins;
        }
        return r;
    }

    @Test
    void recordsOfTheHostsNumbersDecodeToTheHostsPartials() throws IOException {
        int p = 4096 + 10;
        float[][] x = new float[2][p];
        for (int i = 0; i < p; i++) {
            x[0][i] = i < 4096 ? Float.NaN : (float) Math.sin(i);  // block 0: all diverged
            x[1][i] = (float) Math.cos(i * 0.7) * 1.5f;
        }
        ParticleView view = ParticleView.of(x);
        BlockPartial b0 = Reducer.reduceBlock(view, SPEC, 0);
        BlockPartial b1 = Reducer.reduceBlock(view, SPEC, 1);
        assertEquals(0, b0.summary().particles());
        double[] records = new double[2 * BlockRecords.length(SPEC, 2)];
        System.arraycopy(recordOf(b0.summary(), 4), 0, records, 0, records.length / 2);
        System.arraycopy(recordOf(b1.summary(), 4), 0, records, records.length / 2, records.length / 2);
        List<BlockPartial> got = BlockRecords.partials(SPEC, 2, 0, p, records);
        assertArrayEquals(bytes(b0.summary()), bytes(got.get(0).summary()), "an empty block");
        assertArrayEquals(bytes(b1.summary()), bytes(got.get(1).summary()));
        assertArrayEquals(new double[] {4, -1, 1, 4.0 / 2}, BlockRecords.histogramBinning(SPEC));
    }

    @Test
    void malformedRecordsAreRefused() {
        int len = BlockRecords.length(SPEC, 1);
        double[] r = new double[len];
        r[0] = 10;
        r[1] = 0;
        r[2 + 6 + 6 + 2] = 10; // all ten in bin 0
        BlockRecords.partials(SPEC, 1, 3, 10, r);
        assertThrows(IllegalArgumentException.class, () -> BlockRecords.partials(SPEC, 1, 0, 10, new double[len + 1]));
        double[] half = r.clone();
        half[0] = 9.5;
        String m = assertThrows(IllegalArgumentException.class, () -> BlockRecords.partials(SPEC, 1, 3, 10, half))
                .getMessage();
        assertTrue(m.contains("block record 3") && m.contains("9.5"), m);
        double[] sum = r.clone();
        sum[1] = 1;
        assertThrows(IllegalArgumentException.class, () -> BlockRecords.partials(SPEC, 1, 0, 10, sum));
        double[] hist = r.clone();
        hist[2 + 6 + 6 + 3] = 1;
        m = assertThrows(IllegalArgumentException.class, () -> BlockRecords.partials(SPEC, 1, 0, 10, hist)).getMessage();
        assertTrue(m.contains("histogram"), m);
    }

    @Test
    void specsARecordCannotHoldAreNotSupported() {
        assertTrue(BlockRecords.supports(SPEC, 3));
        assertFalse(BlockRecords.supports(ReduceSpec.defaults(), 2), "covariance by default");
        assertFalse(BlockRecords.supports(SPEC.withObservable("o", phi -> phi[0]), 2));
        assertFalse(BlockRecords.supports(SPEC.withHistogram2D(3, 0, 1, 3, 0, 1), 2));
        assertFalse(BlockRecords.supports(SPEC.withHistograms(4, new double[] {0, 1}, new double[] {1, 2}), 2));
        assertThrows(IllegalArgumentException.class, () -> BlockRecords.length(ReduceSpec.defaults(), 2));
    }
}
