package org.langevin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The conventions a user needs are in the help, not only in the source. */
class HelpTextTest {

    @Test
    void sampleHelpStatesUnitsAndConventions() {
        Cli.Outcome o = Cli.run("sample", "--help");
        assertEquals(0, o.code());
        // picocli wraps lines: compare with the white space collapsed
        String help = o.out().replaceAll("\\s+", " ");
        for (String s : new String[] {"-1/+1 or 0/1 (0 is read as -1)", "update k (0-based;", "number of S_i ≤ k",
                "in time units: t = kΔt", "coordinate units per √(time unit)", "time units per step",
                "wall time between checkpoints, in seconds", "--plot-format", "pooledVariance"}) {
            assertTrue(help.contains(s), "sample --help lacks: " + s);
        }
    }
}
