package org.langevin.spark;

import java.io.Serializable;

/**
 * Called by a task before it runs its range; the tests use it to inject failures and delays. A hook
 * must not change what the task computes, only whether and when it finishes. Implementations must be
 * serializable and safe to call from several task threads at once.
 */
@FunctionalInterface
interface TaskHook extends Serializable {
    /** The hook of production runs: does nothing. */
    TaskHook NONE = range -> { };

    /**
     * @param range the range the task is about to run
     * @throws Exception to make this attempt of the task fail
     */
    void beforeRange(ParticleRange range) throws Exception;
}
