package org.langevin.reduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void binsEdgesAndOutOfRangeCounts() {
        Histogram1D h = new Histogram1D(4, -1, 1);
        for (double x : new double[] {-1, -0.5, -0.25, 0, 0.999999, 1, 7, -1.0001, Double.NEGATIVE_INFINITY}) {
            h.accept(x);
        }
        assertEquals(1, h.getCount(0)); // -1
        assertEquals(2, h.getCount(1)); // -0.5, -0.25
        assertEquals(1, h.getCount(2)); // 0
        assertEquals(1, h.getCount(3)); // 0.999999
        assertEquals(2, h.getOverflow()); // 1 (upper edge exclusive), 7
        assertEquals(2, h.getUnderflow());
        assertEquals(9, h.getTotal());
        assertEquals(-0.5, h.binLo(1));
        assertEquals(0.0, h.binHi(1));
        assertEquals(2 / (9 * 0.5), h.density(1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> h.accept(Double.NaN));
        Histogram1D g = h.copy().combine(h);
        assertEquals(4, g.getCount(1));
        assertEquals(4, g.getUnderflow());
        assertThrows(IllegalArgumentException.class, () -> h.combine(new Histogram1D(4, -1, 2)));
        assertThrows(IllegalArgumentException.class, () -> new Histogram1D(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Histogram1D(3, 1, Double.NaN));
    }

    @Test
    void twoDimensionalCellsAndOutside() {
        Histogram2D h = new Histogram2D(2, 0, 2, 3, 0, 3);
        h.accept(0.5, 2.5);
        h.accept(1.5, 0.1);
        h.accept(1.5, 0.2);
        h.accept(2.0, 1.0);
        h.accept(-1, 1);
        assertEquals(1, h.getCount(0, 2));
        assertEquals(2, h.getCount(1, 0));
        assertEquals(2, h.getOutside());
        assertEquals(5, h.getTotal());
        assertEquals(2.0 / 5, h.density(1, 0), 1e-15);
        assertEquals(4, h.copy().combine(h).getCount(1, 0));
        assertEquals(4, h.copy().combine(h).getOutside());
    }
}
