package org.langevin.engine.device;

/**
 * A user model's kernel loaded on one device (compiled for it at first use: PTX for the GPU, a host
 * library for the emulated device). Used from the launcher's thread; closing unloads it.
 */
public interface ModelKernel extends AutoCloseable {
    /** @return what was compiled and how, in one line (for messages) */
    String description();

    /**
     * Runs the kernel over {@code args.count()} particles and returns when it has finished (errors of the
     * launch are reported here).
     *
     * @param args the launch's buffers, step range, seed and the model's dynamics, optimiser and constants
     */
    void launch(ModelKernelArgs args);

    /**
     * Runs the model's record reduction {@code lvu_reduce} (one thread per block of particles) and returns
     * when it has finished.
     *
     * @param args the particles' buffer, the output buffer for one record per block, the reduction's
     *             parameters and the model's constants, examples and time
     */
    void launchReduce(ModelReduceArgs args);

    /** Unloads the kernel. Idempotent. */
    @Override
    void close();
}
