package org.langevin.reduce;

/**
 * The per-particle loss evaluated on the host at a particle's final state, supplied by the caller
 * (the model's loss). The reducer copies the particle's coordinates into {@code phi} before the call.
 *
 * <p>Thread-safety: the reducer calls one instance from several threads at once, each with its own
 * {@code phi} array, so implementations must be thread-safe (stateless ones are).
 */
@FunctionalInterface
public interface ParticleLoss {

    /**
     * Loss of one particle.
     *
     * @param phi the particle's coordinates (length d); owned by the caller, valid only during the
     *            call, must not be modified
     * @return the loss, in the model's loss units; a non-finite value marks the particle diverged
     */
    double loss(float[] phi);
}
