package org.langevin.engine.device;

/**
 * An ordered queue of device work (a CUDA stream): copies and launches enqueued on one queue run in
 * order, and may run concurrently with the work of other queues and with the host. A result of queued
 * work may be read only after {@link #synchronize()} returned. On a device that runs everything at
 * once (the emulated device) a queue is a no-op. Used from one thread; closing waits for the queued
 * work, then releases the queue.
 */
public interface DeviceQueue extends AutoCloseable {
    /**
     * Waits until every operation enqueued so far has finished; a failure of any of them is thrown here.
     */
    void synchronize();

    /** Waits for the queued work and releases the queue. Idempotent. */
    @Override
    void close();

    /**
     * @return a queue whose work has always finished (the synchronous default of {@link DeviceLauncher#openQueue})
     */
    static DeviceQueue inOrder() {
        return new DeviceQueue() {
            @Override
            public void synchronize() {
            }

            @Override
            public void close() {
            }

            @Override
            public String toString() {
                return "in-order queue (synchronous)";
            }
        };
    }
}
