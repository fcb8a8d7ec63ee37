package org.langevin.cli;

import java.util.concurrent.Callable;
import org.langevin.engine.Backends;
import picocli.CommandLine.Command;

/** {@code langevin info}: the backends this machine offers, its GPUs, or why there are none. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "List the backends, the GPUs (name, compute capability, memory, driver) or why none is usable.")
public final class InfoCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        var out = commandSpec.commandLine().getOut();
        out.print(Backends.describe());
        out.println("cpu vector path: " + org.langevin.engine.cpu.Simd.describe());
        out.println("cpu native kernel: " + org.langevin.engine.cpu.NativeCpu.describe());
        out.println("user models (--model), what each backend compiles them with:");
        out.println("  cpu: Java generated at run time and compiled in-process (Janino, part of the jar)");
        out.println("  emulated: " + org.langevin.engine.emulated.ModelEmulator.describeCompiler());
        out.println("  gpu: " + org.langevin.engine.cuda.ModelPtx.describeCompiler());
        out.flush();
        return 0;
    }
}
