package org.langevin.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.langevin.reduce.ParticleView;
import org.langevin.reduce.ReduceSpec;
import org.langevin.reduce.Reducer;
import org.langevin.reduce.Reduction;

class ResultsJsonTest {

    @TempDir
    Path dir;

    private static Reduction reduction() {
        float[][] x = new float[2][5000];
        for (int i = 0; i < 5000; i++) {
            x[0][i] = (float) Math.sin(i);
            x[1][i] = (float) Math.cos(3 * i) + 2;
        }
        x[1][7] = Float.NaN;
        return Reducer.reduce(ParticleView.of(x), ReduceSpec.defaults().withLoss(phi -> phi[0] * phi[0])
                .withObservable("d", phi -> phi[0] - phi[1]), 1);
    }

    @Test
    void roundTripPreservesEveryField() throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("dynamics", "langevin");
        spec.put("dt", 0.01);
        spec.put("seed", 42);
        spec.put("sizes", List.of(1, 2, 3));
        Map<String, Object> theory = Map.of("variance", 0.5);
        Results r = Results.of(reduction(), 1000, "cpu", 2.5, spec, theory);
        Path f = dir.resolve("results.json");
        ResultsJson.write(f, r);
        Results back = ResultsJson.read(f);
        assertEquals(r.particles(), back.particles());
        assertEquals(5000, back.particles()); // all particles; 1 of them diverged
        assertEquals(1, back.diverged());
        assertEquals(1000, back.steps());
        assertEquals("cpu", back.backend());
        assertEquals(5000.0 * 1000 / 2.5, back.particleStepsPerSecond());
        assertEquals(r.coordinates(), back.coordinates()); // records of doubles: exact round trip
        assertEquals(r.loss(), back.loss());
        assertEquals(r.observables(), back.observables());
        for (int j = 0; j < 2; j++) {
            assertArrayEquals(r.covariance()[j], back.covariance()[j]);
            assertArrayEquals(r.covarianceStdErr()[j], back.covarianceStdErr()[j]);
        }
        assertEquals(spec, back.spec());
        assertEquals(theory, back.theory());
    }

    @Test
    void jsonHasTheDocumentedKeysAndSurvivesNaN() throws Exception {
        Results r = Results.of(reduction(), 10, "emulated", 1.0, null, null);
        Results withNaN = new Results(1, 10, 0, "cpu", 1, 10, false,
                List.of(new Results.Coordinate(0, 1.5, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, 1.5, 1.5)), null, null, null, Map.of(), Map.of(), Map.of(), Double.NaN, 0, null);
        String nanJson = ResultsJson.toJson(withNaN);
        assertTrue(nanJson.contains("\"meanStdErr\" : null") && !nanJson.contains("NaN"),
                "non-finite numbers are JSON null: " + nanJson);
        Results back = ResultsJson.fromJson(nanJson);
        assertTrue(Double.isNaN(back.coordinates().get(0).meanStdErr()));
        // Files of earlier releases wrote the string "NaN": they still load.
        assertTrue(Double.isNaN(ResultsJson.fromJson(nanJson.replace("\"meanStdErr\" : null", "\"meanStdErr\" : \"NaN\""))
                .coordinates().get(0).meanStdErr()));
        assertNull(back.loss());
        String json = ResultsJson.toJson(r);
        assertTrue(json.contains("\n  \"particles\""), "pretty printed");
        JsonNode n = new ObjectMapper().readTree(json);
        for (String k : List.of("particles", "steps", "diverged", "backend", "elapsedSeconds",
                "particleStepsPerSecond", "coordinates", "loss", "covariance", "spec", "theory", "divergenceBound",
                "divergedFraction", "divergence")) {
            assertTrue(n.has(k), k);
        }
        for (String k : List.of("mean", "meanStdErr", "variance", "varianceStdErr", "skewness", "excessKurtosis")) {
            assertTrue(n.get("coordinates").get(1).has(k), k);
        }
        assertTrue(n.get("loss").has("mean") && n.get("loss").has("stdErr"));
        assertEquals(2, n.get("covariance").size());
        Files.writeString(dir.resolve("x.json"), json);
        assertEquals(r.coordinates(), ResultsJson.read(dir.resolve("x.json")).coordinates());
    }
}
