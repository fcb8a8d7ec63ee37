package org.langevin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.langevin.check.Check;
import org.langevin.check.CheckContext;
import org.langevin.check.CheckReport;
import org.langevin.check.CheckRunner;
import org.langevin.check.CheckSize;
import org.langevin.check.Checks;
import org.langevin.check.ClaimResult;
import org.langevin.check.PngFigures;
import org.langevin.check.Verdicts;
import org.langevin.engine.Backends;
import org.langevin.engine.Engine;
import org.langevin.report.RunDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code langevin check}: verifies or refutes every claim of the source notes against the exact oracles
 * of docs/theory.md, prints a table and writes checks.json and figures. Exit 0 only when every claim got the
 * verdict theory predicts.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify or refute the claims of the source notes with error bars.",
                "Checks: brownian, gradient-flow-limit, langevin-gibbs, posterior-temperature, sgd-temperature, "
                        + "two-temperatures, loss-slope, fdr, sgd-sde, diffusion-flow, ou-exact, leimkuhler-matthews, momentum-temperature, baoab.",
                "Exit status 0 when every true claim is confirmed and every wrong claim of the notes refuted, "
                        + "1 otherwise."})
public final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "NAME", description = "checks to run (or --all)")
    List<String> names = new ArrayList<>();

    @Option(names = "--all", description = "run every check")
    boolean all;

    @Option(names = "--size", defaultValue = "small", description = "small | full | tiny (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--backend", defaultValue = "auto", description = "auto | cpu | gpu | emulated (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (default: all cores)")
    int threads;

    @Option(names = "--out", description = "output directory for checks.json and figures (default: runs/check-<date>-<time>)")
    Path out;

    @Option(names = "--force", description = "replace the results of an earlier check in --out (only files check writes)")
    boolean force;

    @Option(names = "--seed", defaultValue = "1", description = "base seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--alpha", defaultValue = "0.01", description = "family-wise false-alarm rate of the run (default: ${DEFAULT-VALUE})")
    double alpha;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        if (all && !names.isEmpty()) {
            throw new IllegalArgumentException("give check names or --all, not both");
        }
        if (!all && names.isEmpty()) {
            throw new IllegalArgumentException("name a check (" + String.join(", ", Checks.names()) + ") or give --all");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0 (0: all cores), got " + threads);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("--alpha must be in (0, 1), got " + alpha);
        }
        CheckSize checkSize = CheckSize.parse(size);
        List<Check> selected = new ArrayList<>();
        if (all) {
            selected.addAll(Checks.all());
        } else {
            for (String n : names) {
                selected.add(Checks.named(n));
            }
        }
        Path dir = out != null ? out : Path.of("runs", "check-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        int hostThreads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        RunDirectory.precheck(dir, RunDirectory.Kind.CHECK, force, "--out");
        Backends.Selection sel = Backends.open(backend, threads, "fused");
        err.println("backend: " + sel.reason());
        err.flush();
        long t0 = System.nanoTime();
        CheckReport report;
        RunDirectory runDir;
        try {
            runDir = RunDirectory.claim(dir, RunDirectory.Kind.CHECK, force, "--out");
        } catch (IOException | RuntimeException e) {
            sel.engine().close();
            throw e;
        }
        try (RunDirectory owned = runDir; Engine engine = sel.engine()) {
            CheckContext ctx = new CheckContext(checkSize, engine, hostThreads, seed, new PngFigures(owned.workDir()));
            report = CheckRunner.run(selected, ctx, alpha, new CheckRunner.Listener() {
                @Override
                public void started(Check check) {
                    err.printf("%-22s running (%s) ...%n", check.name(), checkSize);
                    err.flush();
                }

                @Override
                public void finished(Check check, double seconds, List<ClaimResult> claims) {
                    err.printf(Locale.ROOT, "%-22s %d claims in %.1f s%n", check.name(), claims.size(), seconds);
                    err.flush();
                }
            });
            double wall = (System.nanoTime() - t0) * 1e-9;
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("command", "check");
            meta.put("checks", selected.stream().map(Check::name).toList());
            meta.put("size", checkSize.cliName);
            meta.put("backend", engine.name());
            meta.put("device", engine.description());
            meta.put("threads", hostThreads);
            meta.put("seed", seed);
            meta.put("totalWallSeconds", wall);
            meta.put("processors", Runtime.getRuntime().availableProcessors());
            meta.put("java", System.getProperty("java.version"));
            CheckRunner.writeJson(owned.workDir(), report, meta);
            owned.commit();
            Path json = dir.resolve(CheckRunner.JSON_FILE);
            stdout.print(CheckRunner.table(report));
            stdout.printf(Locale.ROOT, "wall time %.1f s; wrote %s%n", wall, json);
            stdout.flush();
        }
        return report.allAsExpected() ? 0 : Main.EXIT_FAILURE;
    }

    /** @return the threshold a run of K claims uses (for help texts and tests) */
    static double threshold(int claims, double alpha) {
        return Verdicts.threshold(claims, alpha);
    }
}
