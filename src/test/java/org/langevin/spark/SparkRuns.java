package org.langevin.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.Sampler;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.model.RunSpec;
import org.langevin.reduce.Reduction;
import org.langevin.Langevin;
import org.langevin.reduce.Reducer;
import org.langevin.report.RunOutputs;

/** The workload of the Spark tests and its one-machine reference bytes. */
final class SparkRuns {
    /** 8 full blocks and a partial one: 9 blocks, so 1, 4, 7 and 9 (one per block) partitions are possible. */
    static final int PARTICLES = 8 * 4096 + 123;
    /** Blocks of {@link #PARTICLES}. */
    static final int BLOCKS = 9;

    private SparkRuns() {
    }

    /**
     * 2-D double-well Langevin from a random start, with time averages after a burn-in, so that the
     * coordinates, the window sums and the random initial state all take part.
     */
    static List<String> args() {
        return new ArrayList<>(List.of("--dynamics", "langevin", "--loss", "double-well", "--dim", "2",
                "--sigma", "0.8", "--dt", "0.01", "--particles", Integer.toString(PARTICLES), "--steps", "24",
                "--init", "normal:0.5,1", "--seed", "20240917", "--burn-in", "6", "--average", "--histogram", "40,-3,3"));
    }

    /** A context of the given master for one test class: no UI, small and quiet. */
    static JavaSparkContext context(String master) {
        return new JavaSparkContext(new SparkConf().setMaster(master).setAppName("langevin-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    /** The fixed run fields, so that results.json bytes depend on the statistics only. */
    static Map<String, Object> fixedRunInfo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", "test");
        return m;
    }

    /** results.json and particles.npy bytes of a run (particles null when not kept). */
    record Files2(byte[] results, byte[] particles) {
    }

    /** @return the bytes of the single-machine CPU run of args() */
    static Files2 reference(Path tmp) throws IOException {
        RunSpec spec = SparkSample.parseSpec(args());
        CompiledProblem problem = ProblemCompiler.compile(spec);
        ParticleState state = InitialStates.create(spec);
        try (CpuEngine engine = new CpuEngine(2)) {
            Sampler.run(problem, engine, state, spec.steps(), Sampler.Options.none());
        }
        Reduction r = Reducer.reduce(Langevin.view(spec, state), Langevin.reduceSpec(spec, state), 2);
        return write(tmp.resolve("reference"), spec, r, state);
    }

    /** @return the bytes of a Spark outcome written the same way */
    static Files2 of(Path tmp, String name, SparkSampler.Outcome o) throws IOException {
        return write(tmp.resolve(name), o.spec(), o.reduction(), o.particles());
    }

    private static Files2 write(Path dir, RunSpec spec, Reduction r, ParticleState particles) throws IOException {
        Files.createDirectories(dir);
        RunOutputs.write(dir, spec, r, spec.steps(), "test", 1.0, 1.0, particles == null ? null : particles.x(),
                fixedRunInfo());
        if (particles == null) {
            return new Files2(Files.readAllBytes(dir.resolve("results.json")), null);
        }
        return new Files2(Files.readAllBytes(dir.resolve("results.json")), Files.readAllBytes(dir.resolve("particles.npy")));
    }
}
