package org.langevin.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code langevin bench}: throughput of every backend. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure particle-steps per second on every backend (not yet available).")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bench: not yet available in this version; see benchmarks/README.md for the JMH suite");
        return Main.EXIT_FAILURE;
    }
}
