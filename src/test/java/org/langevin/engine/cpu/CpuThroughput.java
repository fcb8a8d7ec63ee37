package org.langevin.engine.cpu;

import org.langevin.engine.CompiledProblem;
import org.langevin.engine.EngineSession;
import org.langevin.engine.ParticleState;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;

/**
 * A quick throughput probe (not a test, not a benchmark of record): 1-D double-well Langevin on
 * P particles for N steps. Usage: {@code java --add-modules jdk.incubator.vector ... CpuThroughput [particles] [steps] [threads]
 * [average] [langevin|sgd-linreg]}.
 * Prints particle-steps per second; the JMH project under benchmarks/ is the measurement of record.
 */
public final class CpuThroughput {
    private CpuThroughput() {
    }

    public static void main(String[] args) {
        int particles = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean average = args.length > 3 && Boolean.parseBoolean(args[3]);
        boolean sgd = args.length > 4 && args[4].equals("sgd-linreg");
        RunSpec s = sgd
                ? new RunSpecBuilder().dynamics(Dynamics.SGD).loss(LossKind.LINREG).dim(8).lr(0.01).batch(1)
                        .data(org.langevin.model.TrainingSets.synthetic(1000, 8, 0.5, 3, false))
                        .particles(particles).steps(steps * 10L).average(average).build()
                : new RunSpecBuilder().dynamics(Dynamics.LANGEVIN).loss(LossKind.DOUBLE_WELL).dim(1).sigma(1.0)
                        .dt(0.01).particles(particles).steps(steps * 10L).average(average).build();
        CompiledProblem cp = TestProblems.compile(s);
        ParticleState st = TestProblems.state(s);
        try (CpuEngine e = new CpuEngine(threads); EngineSession session = e.open(cp, st)) {
            long k = 0;
            for (int rep = 0; rep < 10; rep++) {
                long t0 = System.nanoTime();
                session.advance(k, k + steps);
                k += steps;
                double sec = (System.nanoTime() - t0) * 1e-9;
                System.out.printf("rep %d: %.1f M particle-steps/s%n", rep, particles * (double) steps / sec / 1e6);
            }
        }
    }
}
