package org.langevin.check;

import java.util.Objects;
import org.langevin.engine.Engine;

/**
 * What a check runs with: its size, the engine that advances the particles, the host threads for
 * per-particle reductions, the base seed and where figures go. Immutable; the engine is shared and
 * owned by the caller.
 *
 * @param size how much work
 * @param engine the backend (open; not closed by checks)
 * @param threads host threads of the run (≥ 1), for the record; the engine has its own thread count, and
 *                per-particle reductions run on the common fork-join pool
 * @param seed base seed; every simulation of a check derives its own seed from it
 * @param figures where figures go ({@link FigureSink#NONE} for none)
 */
public record CheckContext(CheckSize size, Engine engine, int threads, long seed, FigureSink figures) {
    /**
     * Checks the context.
     *
     * @param size how much work
     * @param engine the backend
     * @param threads host threads of the run, ≥ 1
     * @param seed base seed
     * @param figures where figures go
     * @throws NullPointerException when size, engine or figures is null
     * @throws IllegalArgumentException when threads is below 1
     */
    public CheckContext {
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(figures, "figures");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /**
     * A seed for one purpose of one check, derived from the base seed by SplitMix64 mixing, so that the
     * simulations of a run are independent and reproducible.
     *
     * @param label names the purpose (e.g. "ou-exact/em")
     * @return {@link Seeds#derive(long, String)} of the base seed and the label: the same label always
     *     gives the same seed, different labels independent-looking ones
     */
    public long seedFor(String label) {
        return Seeds.derive(seed, label);
    }
}
