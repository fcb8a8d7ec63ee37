package org.langevin.check;

import java.util.List;

/**
 * A theorem check: simulates with an engine, compares with an exact oracle of docs/theory.md, and returns
 * one result per claim (estimate, standard error, theory, z). Implementations are stateless and may be
 * run repeatedly.
 */
public interface Check {
    /** @return the name on the command line, e.g. {@code ou-exact} */
    String name();

    /** @return one line saying what the check verifies */
    String description();

    /**
     * Runs the simulations and evaluates every claim.
     *
     * @param ctx size, engine, threads, seed and figure sink
     * @return the claims, in a fixed order
     */
    List<ClaimResult> run(CheckContext ctx);

    /**
     * Evaluates the same claims with the same statistic code on exact draws from the oracle (no
     * simulation): when the harness is honest, the p-values of the true claims are uniform. Claims whose
     * law has no exact sampler (e.g. stationary SGD on logistic regression) are left out.
     *
     * @param size how many draws (as many particles as {@link #run} uses)
     * @param seed seed of the draws
     * @return the claims evaluated on exact draws
     */
    List<ClaimResult> runOnExactDraws(CheckSize size, long seed);
}
