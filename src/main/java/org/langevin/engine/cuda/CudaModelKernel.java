package org.langevin.engine.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import org.langevin.engine.device.ModelKernel;
import org.langevin.engine.device.ModelKernelArgs;

/**
 * A user model's kernel on a GPU: the PTX compiled at run time ({@link ModelPtx}) loaded into the
 * launcher's context, its {@code lvu_advance} launched over a grid of {@link CudaLauncher#BLOCK_THREADS}
 * threads per block with the parameters in the kernel's order. Used from the launcher's thread.
 */
final class CudaModelKernel implements ModelKernel {
    private final CudaLauncher launcher;
    private final Ptx ptx;
    private CUmodule module;
    private final CUfunction function = new CUfunction();
    private final CUfunction reduce = new CUfunction();

    CudaModelKernel(CudaLauncher launcher, Ptx ptx) {
        this.launcher = launcher;
        this.ptx = ptx;
        launcher.makeCurrent();
        CUmodule m = CudaModule.load(ptx);
        try {
            CudaCalls.driver(() -> "cuModuleGetFunction(" + ModelPtx.ENTRY + ")",
                    () -> cuModuleGetFunction(function, m, ModelPtx.ENTRY));
            CudaCalls.driver(() -> "cuModuleGetFunction(" + ModelPtx.REDUCE_ENTRY + ")",
                    () -> cuModuleGetFunction(reduce, m, ModelPtx.REDUCE_ENTRY));
        } catch (RuntimeException e) {
            try {
                CudaCalls.driver(() -> "cuModuleUnload", () -> cuModuleUnload(m));
            } catch (RuntimeException e2) {
                e.addSuppressed(e2);
            }
            throw e;
        }
        module = m;
    }

    @Override
    public String description() {
        return "model kernel, " + ptx.describe();
    }

    @Override
    public void launch(ModelKernelArgs a) {
        if (module == null) {
            throw new IllegalStateException("the model kernel is unloaded");
        }
        if (a.count() == 0 || a.nSteps() == 0) {
            return;
        }
        int block = CudaLauncher.BLOCK_THREADS;
        int maxBlocks = Math.max(1, launcher.device().multiprocessors() * CudaLauncher.BLOCKS_PER_SM);
        int grid = (int) Math.min(maxBlocks, (a.count() + (long) block - 1) / block);
        Pointer params = Pointer.to(
                Pointer.to(launcher.ptr(a.state())),
                Pointer.to(launcher.ptrOrNullDevice(a.avg())),
                Pointer.to(launcher.ptrOrNullDevice(a.aux())),
                Pointer.to(new int[] {a.auxRows()}),
                Pointer.to(new int[] {a.count()}),
                Pointer.to(new int[] {a.stride()}),
                Pointer.to(new long[] {a.firstParticle()}),
                Pointer.to(new long[] {a.firstStep()}),
                Pointer.to(new int[] {a.nSteps()}),
                Pointer.to(new long[] {a.burnIn()}),
                Pointer.to(new int[] {a.seedLo()}),
                Pointer.to(new int[] {a.seedHi()}),
                Pointer.to(new int[] {a.dynamics()}),
                Pointer.to(new float[] {a.dt()}),
                Pointer.to(new double[] {a.dtd()}),
                Pointer.to(new float[] {a.noiseScale()}),
                Pointer.to(launcher.ptr(a.constants())),
                Pointer.to(launcher.ptr(a.examples())),
                Pointer.to(new int[] {a.n()}),
                Pointer.to(new float[] {a.lr()}),
                Pointer.to(new int[] {a.batch()}),
                Pointer.to(new int[] {a.distinct()}),
                Pointer.to(new int[] {a.precond()}),
                Pointer.to(launcher.ptr(a.prec())),
                Pointer.to(new int[] {a.integrator()}),
                Pointer.to(new int[] {a.opt()}),
                Pointer.to(new float[] {a.oa()}),
                Pointer.to(new float[] {a.ob()}),
                Pointer.to(new float[] {a.oa1()}),
                Pointer.to(new float[] {a.ob1()}),
                Pointer.to(new float[] {a.oeps()}),
                Pointer.to(new double[] {a.oad()}),
                Pointer.to(new double[] {a.obd()}),
                Pointer.to(new float[] {a.ua()}));
        launcher.makeCurrent();
        CudaCalls.driver(() -> "cuLaunchKernel(" + ModelPtx.ENTRY + ", grid " + grid + "x" + block + ")",
                () -> cuLaunchKernel(function, grid, 1, 1, block, 1, 1, 0, null, params, null));
        launcher.synchronize(ModelPtx.ENTRY);
    }

    /** The model's record reduction: one thread per block of particles, then a synchronisation. */
    @Override
    public void launchReduce(org.langevin.engine.device.ModelReduceArgs a) {
        if (module == null) {
            throw new IllegalStateException("the model kernel is unloaded");
        }
        int block = CudaLauncher.REDUCE_THREADS;
        int grid = (int) ((a.blocks() + (long) block - 1) / block);
        Pointer params = Pointer.to(
                Pointer.to(launcher.ptr(a.state())),
                Pointer.to(launcher.ptr(a.out())),
                Pointer.to(new int[] {a.count()}),
                Pointer.to(new int[] {a.stride()}),
                Pointer.to(new int[] {a.withLoss() ? 1 : 0}),
                Pointer.to(launcher.ptr(a.rp())),
                Pointer.to(launcher.ptr(a.constants())),
                Pointer.to(launcher.ptr(a.examples())),
                Pointer.to(new int[] {a.n()}),
                Pointer.to(new float[] {a.t()}));
        launcher.makeCurrent();
        CudaCalls.driver(() -> "cuLaunchKernel(" + ModelPtx.REDUCE_ENTRY + ", grid " + grid + "x" + block + ")",
                () -> cuLaunchKernel(reduce, grid, 1, 1, block, 1, 1, 0, null, params, null));
        launcher.synchronize(ModelPtx.REDUCE_ENTRY);
    }

    @Override
    public void close() {
        if (module != null) {
            CUmodule m = module;
            module = null;
            launcher.makeCurrent();
            CudaCalls.driver(() -> "cuModuleUnload", () -> cuModuleUnload(m));
        }
    }
}
