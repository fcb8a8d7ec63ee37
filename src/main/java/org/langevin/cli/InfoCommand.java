package org.langevin.cli;

import java.util.concurrent.Callable;
import org.langevin.engine.Backends;
import picocli.CommandLine.Command;

/** {@code langevin info}: the backends this machine offers, its GPUs, or why there are none. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "List the backends, the GPUs (name, compute capability, memory, driver) or why none is usable.")
public final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(Backends.describe());
        return 0;
    }
}
