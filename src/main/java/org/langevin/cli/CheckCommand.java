package org.langevin.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code langevin check}: theorem checks (THEORY.md). */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Verify or refute the claims of the source notes with error bars (not yet available).")
public final class CheckCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("check: not yet available in this version (see the project's issue tracker)");
        return Main.EXIT_FAILURE;
    }
}
