package org.langevin.bench;

import java.util.concurrent.TimeUnit;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.cpu.CpuEngine;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.TrainingSets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One engine advance of {@code steps} steps per invocation for each dynamics' step loop, swept over
 * particle counts, with the vector paths on or off ({@code simd}; set as the system property
 * {@code langevin.simd} before the engine's classes load — each parameter set runs in its own forked
 * JVM). Score (ops/s) × particles × steps = particle-steps/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class DynamicsBenchmark {
    @Param({"brownian-1", "gradient-flow-dw-1", "langevin-dw-1", "langevin-quadratic-4", "sgd-linreg-8",
            "sgd-sde-linreg-2"})
    public String step;

    @Param({"10000", "1000000"})
    public int particles;

    @Param({"20"})
    public int steps;

    @Param({"true", "false"})
    public String simd;

    private CpuEngine engine;
    private EngineSession session;
    private ParticleState state;
    private long k;

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty("langevin.simd", simd);
        RunSpecBuilder b = new RunSpecBuilder().particles(particles).steps(1L << 30).seed(7);
        switch (step) {
            case "brownian-1" -> b.dynamics(Dynamics.BROWNIAN).loss(LossKind.NONE).dim(1).sigma(1.0).dt(0.01);
            case "gradient-flow-dw-1" -> b.dynamics(Dynamics.GRADIENT_FLOW).loss(LossKind.DOUBLE_WELL).dim(1).dt(0.01);
            case "langevin-dw-1" -> b.dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1).sigma(1.0).dt(0.01);
            case "langevin-quadratic-4" -> b.dynamics(Dynamics.LANGEVIN).loss(LossKind.QUADRATIC).dim(4)
                    .quadratic(new double[][] {{1, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 4}},
                            new double[4]).sigma(1.0).dt(0.01);
            case "sgd-linreg-8" -> b.dynamics(Dynamics.SGD).loss(LossKind.LINREG).dim(8).lr(0.01).batch(1)
                    .data(TrainingSets.synthetic(1000, 8, 0.5, 3, false));
            default -> b.dynamics(Dynamics.SGD_SDE).loss(LossKind.LINREG).dim(2).lr(0.01).dt(0.1)
                    .data(TrainingSets.synthetic(100, 2, 0.5, 3, false));
        }
        RunSpec spec = b.build();
        CompiledProblem problem = ProblemCompiler.compile(spec);
        state = InitialStates.create(spec);
        engine = new CpuEngine(Runtime.getRuntime().availableProcessors());
        session = engine.open(problem, state);
        k = 0;
    }

    @Benchmark
    public float advance() {
        session.advance(k, k + steps);
        k += steps;
        return state.x()[0][state.particles() - 1];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        engine.close();
    }
}
