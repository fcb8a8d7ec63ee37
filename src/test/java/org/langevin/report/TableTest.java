package org.langevin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void alignsTextLeftAndNumbersRight() {
        String t = new Table("check", "estimate", "n").addRow("variance", 0.123456789, 10L)
                .addRow("mean x0", -12.5, 12345L).addRow("loss", Double.NaN, null).render();
        String expected = ""
                + "check     estimate      n\n"
                + "--------  --------  -----\n"
                + "variance  0.123457     10\n"
                + "mean x0   -12.5000  12345\n"
                + "loss           NaN\n";
        assertEquals(expected, t);
        assertThrows(IllegalArgumentException.class, () -> new Table("a", "b").addRow(1));
    }
}
