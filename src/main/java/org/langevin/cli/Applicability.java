package org.langevin.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.langevin.model.Dynamics;
import org.langevin.model.LossKind;
import org.langevin.model.PreconditionerKind;

/**
 * Which run options apply to which dynamics and loss: the one table behind the rule that an option
 * the run would ignore is an error (exit 2) naming the option and why. It mirrors what the code
 * reads: {@code RunSpecBuilder} keeps σ for brownian/langevin only, Δt for all but SGD, η for SGD and
 * the SGD SDE, B, sampling and D for SGD only; {@code ProblemCompiler} and the kernels read the
 * training set for linreg/logistic, for SGD (the rows x_i − x̄ as gradient noise on quadratic and
 * double-well) and the SGD SDE (its Σ), and n for the prior and for σ² = 2/n. Stateless.
 */
final class Applicability {
    /** What a rule may look at: the chosen dynamics, loss and preconditioner, and the options typed. */
    record Choice(Dynamics dynamics, LossKind loss, PreconditionerKind preconditioner, Set<String> typed) {
        boolean sgd() {
            return dynamics == Dynamics.SGD;
        }

        boolean usesLearningRate() {
            return dynamics == Dynamics.SGD || dynamics == Dynamics.SGD_SDE;
        }
    }

    /** A rule: null when the option applies to the choice, else why it does not. */
    private interface Rule {
        String whyNot(Choice c);
    }

    /** Option name → rule, in the order of the options' help. Options not listed apply to every run. */
    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        RULES.put("--loss", c -> c.dynamics() == Dynamics.BROWNIAN ? "brownian motion has no loss" : null);
        Rule quadratic = c -> c.loss() == LossKind.QUADRATIC ? null
                : "it defines the quadratic loss (give --loss quadratic), and the run's loss is " + c.loss();
        RULES.put("--quadratic-matrix", quadratic);
        RULES.put("--quadratic-center", quadratic);
        Rule data = c -> c.dynamics() == Dynamics.BROWNIAN ? "brownian motion uses no training set"
                : c.loss().needsData() || c.loss() == LossKind.MODEL || c.usesLearningRate() || c.typed().contains("--prior-variance")
                        || c.typed().contains("--posterior-temperature") ? null
                : "--dynamics " + c.dynamics() + " on --loss " + c.loss() + " uses no training set (it is read by the "
                        + "linreg and logistic losses, by sgd and sgd-sde, and for n by --prior-variance and "
                        + "--posterior-temperature)";
        RULES.put("--data", data);
        RULES.put("--synthetic", data);
        RULES.put("--noise-variance", c -> c.loss() == LossKind.LINREG ? null
                : "s² is a parameter of --loss linreg only");
        RULES.put("--prior-variance", c -> c.dynamics() == Dynamics.BROWNIAN ? "brownian motion has no loss to add a prior to"
                : null);
        RULES.put("--sigma", c -> {
            if (c.typed().contains("--posterior-temperature")) {
                return "--posterior-temperature sets σ² = 2/n; give one of them";
            }
            return switch (c.dynamics()) {
                case BROWNIAN, LANGEVIN, UNDERDAMPED -> null;
                case GRADIENT_FLOW -> "gradient flow has no noise";
                case SGD -> "the noise of SGD comes from its batches (set by --batch and the data)";
                case SGD_SDE -> "the noise of the SGD SDE is √η Σ^½ (set by --lr and the data)";
                case SDE -> "the noise of --dynamics sde is the model's diffusion";
            };
        });
        RULES.put("--posterior-temperature", c -> c.dynamics() == Dynamics.LANGEVIN ? null
                : "it sets σ of --dynamics langevin");
        RULES.put("--dt", c -> c.sgd() ? "SGD steps by the learning rate --lr, not by a time step" : null);
        Rule lr = c -> c.usesLearningRate() ? null : "the learning rate η belongs to --dynamics sgd and sgd-sde";
        RULES.put("--lr", lr);
        RULES.put("--lr-schedule", lr);
        Rule sgdOnly = c -> c.sgd() ? null : "it applies to --dynamics sgd only";
        RULES.put("--batch", sgdOnly);
        RULES.put("--sampling", sgdOnly);
        RULES.put("--preconditioner", sgdOnly);
        RULES.put("--preconditioner-matrix", c -> !c.sgd() ? "it applies to --dynamics sgd only"
                : c.preconditioner() == PreconditionerKind.DIAGONAL || c.preconditioner() == PreconditionerKind.FULL ? null
                : "--preconditioner " + c.preconditioner() + " takes no matrix (only diagonal and full do)");
        RULES.put("--sde-noise", c -> c.dynamics() == Dynamics.SGD_SDE ? null : "it applies to --dynamics sgd-sde only");
        RULES.put("--model", c -> switch (c.dynamics()) {
            case GRADIENT_FLOW, LANGEVIN, SGD, SDE, UNDERDAMPED -> null;
            case BROWNIAN -> "brownian motion has no model";
            default -> "--dynamics " + c.dynamics() + " does not run user models yet (gradient-flow, langevin, sgd and sde do)";
        });
        RULES.put("--integrator", c -> c.dynamics() == Dynamics.LANGEVIN || c.dynamics() == Dynamics.UNDERDAMPED ? null
                : "it chooses the discretisation of --dynamics langevin and underdamped");
        RULES.put("--optimizer", sgdOnly);
        RULES.put("--friction", c -> c.dynamics() == Dynamics.UNDERDAMPED ? null
                : "the friction γ belongs to --dynamics underdamped");
        RULES.put("--burn-in", c -> c.typed().contains("--average") ? null
                : "the burn-in is left out of the time averages of --average, and without --average there are none");
    }

    private Applicability() {
    }

    /**
     * Refuses the first typed option that does not apply to the choice.
     *
     * @throws IllegalArgumentException "OPTION does not apply to --dynamics D[ with --loss L]: why"
     */
    static void check(Choice c) {
        for (Map.Entry<String, Rule> e : RULES.entrySet()) {
            if (!c.typed().contains(e.getKey())) {
                continue;
            }
            String why = e.getValue().whyNot(c);
            if (why != null) {
                throw new IllegalArgumentException(e.getKey() + " does not apply to --dynamics " + c.dynamics()
                        + (c.loss() == LossKind.NONE ? "" : " with --loss " + c.loss()) + ": " + why);
            }
        }
    }
}
