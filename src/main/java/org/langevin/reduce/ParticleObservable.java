package org.langevin.reduce;

/**
 * A named scalar function of a particle's final state whose mean and standard error the reducer
 * reports next to the loss, for example the paired per-particle difference {@code D = LHS − RHS}
 * of an identity (docs/theory.md §4).
 *
 * <p>Thread-safety: called from several threads at once, each with its own {@code phi} array, so
 * implementations must be thread-safe.
 */
@FunctionalInterface
public interface ParticleObservable {

    /**
     * Value of the observable for one particle.
     *
     * @param phi the particle's final coordinates (length d); valid only during the call, not to be
     *            modified
     * @return the value; a non-finite value marks the particle diverged
     */
    double value(float[] phi);
}
