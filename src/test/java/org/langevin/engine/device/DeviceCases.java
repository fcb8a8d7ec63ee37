package org.langevin.engine.device;

import java.util.ArrayList;
import java.util.List;
import org.langevin.model.Dynamics;
import org.langevin.model.LearningRateSchedule;
import org.langevin.model.LossKind;
import org.langevin.model.PreconditionerKind;
import org.langevin.model.RunSpec;
import org.langevin.model.RunSpecBuilder;
import org.langevin.model.Sampling;
import org.langevin.model.SdeNoise;
import org.langevin.model.TrainingSet;
import org.langevin.model.TrainingSets;

/**
 * The dynamics × loss combinations the kernel contract allows, small enough for the emulator in CI (shared by the emulated tests and the GPU integration tests):
 * d = 1 and 3, each loss, SGD with and without replacement and each preconditioner kind, the SGD SDE
 * with constant and state noise, a prior, time averages with burn-in, a step-decay schedule.
 */
public final class DeviceCases {
    /** Particles per case (more than one 4096-particle block, not a multiple of it). */
    public static final int P = 5000;
    /** Steps per case. */
    public static final long STEPS = 200;

    /** A named case. */
    public record Case(String name, RunSpec spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    private DeviceCases() {
    }

    public static RunSpecBuilder base(Dynamics dyn, LossKind loss, int d) {
        return new RunSpecBuilder().dynamics(dyn).loss(loss).dim(d).particles(P).steps(STEPS).seed(0x5eed_0000_0001L + d)
                .dt(0.01).sigma(0.8);
    }

    public static TrainingSet regression(int d) {
        return TrainingSets.synthetic(24, d, 0.5, 11 + d, false);
    }

    public static TrainingSet classification(int d) {
        return TrainingSets.synthetic(24, d, 1.0, 17 + d, true);
    }

    public static double[][] quadraticA(int d) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                a[i][j] = i == j ? 1.0 + i : 0.25;
            }
        }
        return a;
    }

    public static double[] center(int d) {
        double[] m = new double[d];
        for (int i = 0; i < d; i++) {
            m[i] = 0.5 - 0.25 * i;
        }
        return m;
    }

    public static List<Case> all() {
        List<Case> c = new ArrayList<>();
        for (int d : new int[] {1, 3}) {
            c.add(new Case("brownian d" + d, base(Dynamics.BROWNIAN, LossKind.NONE, d).build()));
            c.add(new Case("gradient-flow quadratic d" + d,
                    base(Dynamics.GRADIENT_FLOW, LossKind.QUADRATIC, d).quadratic(quadraticA(d), center(d)).build()));
            c.add(new Case("gradient-flow double-well d" + d, base(Dynamics.GRADIENT_FLOW, LossKind.DOUBLE_WELL, d).build()));
            c.add(new Case("langevin double-well d" + d + " averaged",
                    base(Dynamics.LANGEVIN, LossKind.DOUBLE_WELL, d).average(true).burnIn(50).build()));
            c.add(new Case("langevin quadratic d" + d + " averaged",
                    base(Dynamics.LANGEVIN, LossKind.QUADRATIC, d).quadratic(quadraticA(d), center(d)).average(true).build()));
            c.add(new Case("langevin linreg d" + d + " prior",
                    base(Dynamics.LANGEVIN, LossKind.LINREG, d).data(regression(d)).priorVariance(2.0).build()));
            c.add(new Case("langevin logistic d" + d + " prior averaged",
                    base(Dynamics.LANGEVIN, LossKind.LOGISTIC, d).data(classification(d)).priorVariance(2.0).average(true)
                            .burnIn(20).build()));
            c.add(new Case("sgd linreg d" + d + " with replacement identity",
                    base(Dynamics.SGD, LossKind.LINREG, d).data(regression(d)).lr(0.05).batch(4).build()));
            c.add(new Case("sgd logistic d" + d + " without replacement identity prior",
                    base(Dynamics.SGD, LossKind.LOGISTIC, d).data(classification(d)).lr(0.1).batch(5)
                            .sampling(Sampling.WITHOUT_REPLACEMENT).priorVariance(1.0).build()));
            c.add(new Case("sgd quadratic d" + d + " shift noise", base(Dynamics.SGD, LossKind.QUADRATIC, d)
                    .quadratic(quadraticA(d), center(d)).data(regression(d)).lr(0.05).batch(3).build()));
            c.add(new Case("sgd double-well d" + d + " shift noise without replacement averaged",
                    base(Dynamics.SGD, LossKind.DOUBLE_WELL, d).data(regression(d)).lr(0.02).batch(6)
                            .sampling(Sampling.WITHOUT_REPLACEMENT).average(true).burnIn(100).build()));
            c.add(new Case("sgd-sde linreg d" + d + " constant noise",
                    base(Dynamics.SGD_SDE, LossKind.LINREG, d).data(regression(d)).lr(0.05).build()));
            c.add(new Case("sgd-sde linreg d" + d + " state noise averaged",
                    base(Dynamics.SGD_SDE, LossKind.LINREG, d).data(regression(d)).lr(0.05).sdeNoise(SdeNoise.STATE)
                            .average(true).burnIn(10).build()));
            c.add(new Case("sgd-sde logistic d" + d + " constant noise prior",
                    base(Dynamics.SGD_SDE, LossKind.LOGISTIC, d).data(classification(d)).lr(0.05).priorVariance(1.0).build()));
            c.add(new Case("sgd-sde double-well d" + d + " constant noise",
                    base(Dynamics.SGD_SDE, LossKind.DOUBLE_WELL, d).data(regression(d)).lr(0.02).build()));
            c.add(new Case("sgd-sde quadratic d" + d + " constant noise",
                    base(Dynamics.SGD_SDE, LossKind.QUADRATIC, d).quadratic(quadraticA(d), center(d)).data(regression(d))
                            .lr(0.05).build()));
        }
        // Preconditioners (d = 3 so that the full matrix mixes coordinates), and a step-decay schedule.
        c.add(new Case("sgd linreg d3 diagonal preconditioner", base(Dynamics.SGD, LossKind.LINREG, 3).data(regression(3))
                .lr(0.05).batch(4).preconditioner(PreconditionerKind.DIAGONAL, new double[][] {{0.5, 1.0, 2.0}}).build()));
        c.add(new Case("sgd linreg d3 full preconditioner without replacement", base(Dynamics.SGD, LossKind.LINREG, 3)
                .data(regression(3)).lr(0.05).batch(4).sampling(Sampling.WITHOUT_REPLACEMENT)
                .preconditioner(PreconditionerKind.FULL, new double[][] {{1.0, 0.2, 0.0}, {0.2, 1.5, -0.1}, {0.0, -0.1, 0.8}})
                .build()));
        c.add(new Case("sgd logistic d1 step-decay schedule averaged", base(Dynamics.SGD, LossKind.LOGISTIC, 1)
                .data(classification(1)).schedule(new LearningRateSchedule(0.2, 0.5, new long[] {60, 130})).batch(2)
                .average(true).burnIn(30).build()));
        c.add(new Case("sgd-sde linreg d3 step-decay schedule", base(Dynamics.SGD_SDE, LossKind.LINREG, 3)
                .data(regression(3)).schedule(new LearningRateSchedule(0.1, 0.5, new long[] {77})).build()));
        return c;
    }
}
