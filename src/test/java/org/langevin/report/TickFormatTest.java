package org.langevin.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.DecimalFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickFormatTest {

    @Test
    void stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(0.2, TickFormat.step(1.27, 8), 1e-15);
        assertEquals(0.5, TickFormat.step(5.0, 8), 1e-15);
        assertEquals(1000, TickFormat.step(8000, 8), 1e-9);
        assertEquals(0.002, TickFormat.step(0.0161, 8), 1e-15);
    }

    @Test
    void ticksAreTheMultiplesOfTheStepInTheRange() {
        List<Double> t = TickFormat.ticks(-0.55, 0.72, 0.2);
        assertEquals(List.of(-0.4, -0.2, 0.0, 0.2, 0.4, 0.6), t.stream().map(v -> Math.round(v * 10) / 10.0).toList());
        assertEquals(0.0, t.get(2), 0.0, "zero is exactly 0, not a rounding residue");
    }

    @Test
    void labelsCarryOnlyTheDecimalsOfTheStep() {
        // the SGD example's range: the labels read -0.662, not -0.66133433723609
        assertEquals("-0.662", TickFormat.label(-0.662, 0.002));
        assertEquals("1.5", TickFormat.label(1.5, 0.5));
        assertEquals("2000", TickFormat.label(2000, 1000));
        assertEquals("0", TickFormat.label(0, 0.1));
        assertEquals("2.0e-6", TickFormat.label(2e-6, 1e-6));
    }

    @Test
    void xchartPatternsRoundLongDoubles() {
        String p = TickFormat.pattern(-0.6613343372360900, -0.64);
        String shown = new DecimalFormat(p).format(-0.6613343372360900);
        assertTrue(shown.length() <= "-0.6613".length(), "pattern " + p + " prints " + shown);
        assertEquals("0.###E0", TickFormat.pattern(0, 3e7));
        assertEquals("0.###E0", TickFormat.pattern(1e-5, 4e-4));
    }
}
