package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The bar draws nothing until it has a rate, and its ETA follows the recent rate, not the warm-up. */
class ProgressBarTest {
    @Test
    void noFrameWithoutARateAndAnEtaFromTheRecentRate() {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), 1000, true);
        bar.progress(0, 1000, 1.5);
        assertEquals("", s.toString(), "no frame before a rate is known");
        // A slow warm-up segment (10 steps in 10 s), then steady at 100 steps/s.
        bar.progress(10, 1000, 11.5);
        for (int k = 1; k <= 6; k++) {
            bar.progress(10 + 100L * k, 1000, 11.5 + k);
        }
        String frame = s.toString().substring(s.toString().lastIndexOf('\r') + 1);
        assertTrue(frame.contains("step 610/1000"), frame);
        // The remaining 390 steps at the recent ~100 steps/s: about 4 s, not the 8 s of the average since the start.
        assertTrue(frame.contains("ETA 4s") || frame.contains("ETA 5s"), frame);
        assertFalse(frame.contains("0.00 particle-steps/s"), frame);
    }
}
