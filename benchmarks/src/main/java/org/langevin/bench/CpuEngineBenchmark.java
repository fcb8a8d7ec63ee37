package org.langevin.bench;

import java.util.concurrent.TimeUnit;
import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.InitialStates;
import org.langevin.engine.ParticleState;
import org.langevin.engine.ProblemCompiler;
import org.langevin.engine.ThroughputMeter;
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
 * Particle-steps per second of the CPU engine. Each invocation advances every particle by
 * {@code steps} steps; the score (ops/s) times particles·steps is the particle-step rate, which
 * {@code run-cpu-vs-numpy.sh} divides by the NumPy peer's rate measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class CpuEngineBenchmark {
    @Param({"langevin-double-well", "sgd-linreg", "langevin-double-well-d4", "langevin-quadratic-d8", "langevin-logistic"})
    public String workload;

    @Param({"1000000"})
    public int particles;

    @Param({"20"})
    public int steps;

    @Param({"0"})
    public int threads;

    private CpuEngine engine;
    private EngineSession session;
    private ParticleState state;
    private long k;

    @Setup(Level.Trial)
    public void setUp() {
        RunSpecBuilder b = new RunSpecBuilder().particles(particles).steps(1L << 30).seed(7);
        if (workload.equals("langevin-double-well")) {
            b.dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1).sigma(1.0).dt(0.01);
        } else if (workload.equals("langevin-double-well-d4")) {
            b.dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(4).sigma(1.0).dt(0.01);
        } else if (workload.equals("langevin-quadratic-d8")) {
            // bench's dense quadratic, the NumPy peer's A and m (ThroughputMeter.Workload.LANGEVIN_QUADRATIC)
            RunSpec q = ThroughputMeter.spec(ThroughputMeter.Workload.LANGEVIN_QUADRATIC, 8, particles);
            b.dynamics(Dynamics.LANGEVIN).loss(LossKind.QUADRATIC).dim(8).quadratic(q.quadraticMatrix(), q.quadraticCenter())
                    .sigma(1.0).dt(0.01);
        } else if (workload.equals("langevin-logistic")) {
            // full-batch logistic regression, n = 30 examples in d = 2, as the NumPy peer's
            b.dynamics(Dynamics.LANGEVIN).loss(LossKind.LOGISTIC).dim(2).sigma(1.0).dt(0.01)
                    .data(TrainingSets.synthetic(30, 2, 0.5, 3, true));
        } else {
            b.dynamics(Dynamics.SGD).loss(LossKind.LINREG).dim(8).lr(0.01).batch(1)
                    .data(TrainingSets.synthetic(1000, 8, 0.5, 3, false));
        }
        RunSpec spec = b.build();
        CompiledProblem problem = ProblemCompiler.compile(spec);
        state = InitialStates.create(spec);
        engine = new CpuEngine(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        session = engine.open(problem, state);
        k = 0;
    }

    @Benchmark
    public float advance() {
        session.advance(k, k + steps);
        k += steps;
        return state.x()[0][0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        engine.close();
    }
}
