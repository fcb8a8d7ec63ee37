package org.langevin.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.engine.cpu.CpuEngine;

/**
 * Every check at the tiny size on the CPU engine, all in one run (about 10 s on two cores): every true
 * claim confirmed and every wrong claim of the notes refuted, with the run's Bonferroni threshold at
 * α = 0.01 (so a false alarm somewhere has probability at most 1%; the seed is fixed, so the outcome is
 * deterministic). Also checks the JSON and the figures.
 */
class ChecksSimulationTest {
    @TempDir
    Path dir;

    @Test
    void allChecksGiveTheVerdictsTheoryPredicts() throws Exception {
        CheckReport report;
        try (CpuEngine engine = new CpuEngine(2)) {
            CheckContext ctx = new CheckContext(CheckSize.TINY, engine, 2, 1, new PngFigures(dir));
            report = CheckRunner.run(Checks.all(), ctx, Verdicts.DEFAULT_ALPHA, null);
        }
        for (JudgedClaim j : report.claims()) {
            assertTrue(j.asExpected(), "unexpected verdict: " + j);
        }
        Set<String> names = new HashSet<>();
        long refuted = 0;
        for (JudgedClaim j : report.claims()) {
            names.add(j.result().check());
            refuted += j.result().expectedVerdict() == Verdict.REFUTED ? 1 : 0;
        }
        assertEquals(new HashSet<>(Checks.names()), names);
        // the notes' σ² = 1/(2n) and α ≈ 1/10, and the non-Gibbs cases, are among the refuted claims
        assertTrue(refuted >= 5);

        Path json = CheckRunner.writeJson(dir, report, Map.of("size", "tiny"));
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(report.claims().size(), root.get("claims").size());
        JsonNode first = root.get("claims").get(0);
        for (String field : List.of("name", "claim", "estimate", "stdErr", "expected", "z", "verdict",
                "expectedVerdict")) {
            assertTrue(first.has(field), "checks.json claim lacks " + field);
        }
        assertTrue(root.get("allAsExpected").asBoolean());
        assertTrue(Files.size(dir.resolve("langevin-gibbs-beta5.png")) > 1000);
        assertTrue(Files.size(dir.resolve("loss-slope-linreg.png")) > 1000);
        String table = CheckRunner.table(report);
        assertTrue(table.contains("σ² = 1/(2n) samples the posterior (the notes)"));
        assertTrue(table.contains("every verdict is the one theory predicts"));
    }
}
