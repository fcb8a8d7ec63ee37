package org.langevin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.langevin.engine.Backends;
import org.langevin.engine.Engine;
import org.langevin.engine.ThroughputMeter;
import org.langevin.engine.ThroughputMeter.Workload;
import org.langevin.engine.cuda.CudaProbe;
import org.langevin.report.PlotStyle;
import org.langevin.report.Plots;
import org.langevin.report.Table;
import org.langevin.report.RunDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code langevin bench}: particle-steps per second of every available backend over a small matrix
 * of dynamics × dimension × particle count, with the speedup over the CPU engine measured in the
 * same run; writes bench.json and a PNG.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure particle-steps per second on every available backend (median of repeats, "
                + "with the spread), the speedup over the CPU engine, bench.json and a plot.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--backends", defaultValue = "available",
            description = "available (cpu, emulated, and gpu with fused and curand noise when usable) or a list of "
                    + "cpu, emulated, gpu, gpu-curand (default: ${DEFAULT-VALUE})")
    String backends;

    @Option(names = "--dynamics", defaultValue = "langevin,sgd", description = "workloads: langevin (double well), "
            + "langevin-quadratic (dense A), langevin-logistic (full batch, n = max(30, 4d)), sgd (linreg, n = 1000), sgd-logistic "
            + "(n = 1000) (default: ${DEFAULT-VALUE})")
    String dynamics;

    @Option(names = "--dims", defaultValue = "1,8", description = "dimensions (default: ${DEFAULT-VALUE})")
    String dims;

    @Option(names = "--particles", defaultValue = "1e4,1e5,1e6", description = "particle counts (default: ${DEFAULT-VALUE})")
    String particles;

    @Option(names = "--repeats", defaultValue = "5", converter = CountConverter.ToInt.class, description = "timed repetitions per point (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--warmup-seconds", defaultValue = "1.0", description = "warm-up per point, seconds (at least; until two advances agree) (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--target-seconds", defaultValue = "0.25", description = "duration of one repetition, seconds (default: ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (default: all cores)")
    int threads;

    @Option(names = "--emulated-max-particles", defaultValue = "100000", converter = CountConverter.ToInt.class,
            description = "skip the (slow, single-threaded) emulated device above this count (default: ${DEFAULT-VALUE})")
    int emulatedMax;

    @Option(names = "--out", description = "output directory (default: runs/bench-<date>-<time>)")
    Path out;

    @Option(names = "--force", description = "replace the results of an earlier bench in --out (only files bench writes)")
    boolean force;

    @Option(names = "--plot-format", defaultValue = "png", paramLabel = "png|svg|pdf",
            description = "format of bench.png / .svg / .pdf (default: ${DEFAULT-VALUE})")
    String plotFormat;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    /** One row of the table and of bench.json. */
    record Row(String backend, String dynamics, int dim, int particles, double median, double min, double max,
               long stepsPerRepetition, int repetitions, Double speedupOverCpu) {
        /** @return false when the repetitions differ by more than Measurement.RELIABLE_SPREAD (in bench.json) */
        @com.fasterxml.jackson.annotation.JsonProperty("reliable")
        boolean reliable() {
            return max <= ThroughputMeter.Measurement.RELIABLE_SPREAD * min;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = commandSpec.commandLine().getErr();
        PrintWriter stdout = commandSpec.commandLine().getOut();
        org.langevin.report.PlotFormat format = org.langevin.report.PlotFormat.parse(plotFormat);
        if (repeats < 1 || repeats > 1000) {
            throw new IllegalArgumentException("--repeats must be in 1..1000, got " + repeats);
        }
        if (!(warmup >= 0) || !(target > 0) || Double.isInfinite(warmup) || Double.isInfinite(target)) {
            throw new IllegalArgumentException("--warmup-seconds must be >= 0 and --target-seconds > 0, got "
                    + warmup + " and " + target);
        }
        List<String> names = backendList(err);
        List<Workload> works = new ArrayList<>();
        for (String s : dynamics.split(",")) {
            works.add(Workload.parse(s.trim()));
        }
        List<Integer> ds = CountConverter.parseList("--dims", dims, 1, org.langevin.model.RunSpec.MAX_DIM);
        List<Integer> ps = CountConverter.parseList("--particles", particles, 1, org.langevin.engine.MemoryEstimate.MAX_PARTICLES);
        Path dir = out != null ? out : Path.of("runs", "bench-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        RunDirectory.precheck(dir, RunDirectory.Kind.BENCH, force, "--out");

        List<Row> rows = new ArrayList<>();
        Map<String, Double> cpuRate = new LinkedHashMap<>();
        for (String name : names) {
            String backend = name.equals("gpu-curand") ? "gpu" : name;
            String noise = name.equals("gpu-curand") ? "curand" : "fused";
            try (Engine engine = Backends.open(backend, threads, noise).engine()) {
                err.println("bench: " + name + " (" + engine.description() + ")");
                for (Workload w : works) {
                    for (int d : ds) {
                        for (int p : ps) {
                            if (name.equals("emulated") && p > emulatedMax) {
                                continue;
                            }
                            ThroughputMeter.Measurement m = ThroughputMeter.measure(engine,
                                    ThroughputMeter.spec(w, d, p), warmup, target, repeats);
                            String key = w.cliName + "/" + d + "/" + p;
                            if (name.equals("cpu")) {
                                cpuRate.put(key, m.medianRate());
                            }
                            Double cpu = cpuRate.get(key);
                            rows.add(new Row(name, w.cliName, d, p, m.medianRate(), m.minRate(), m.maxRate(),
                                    m.stepsPerRepetition(), m.repetitions(), cpu == null ? null : m.medianRate() / cpu));
                            err.printf("  %-10s %-8s d=%-2d P=%-9d %10.3g particle-steps/s%n", name, w.cliName, d, p,
                                    m.medianRate());
                            err.flush();
                        }
                    }
                }
            }
        }
        Table t = new Table("backend", "dynamics", "d", "particles", "particle-steps/s (median)", "min", "max",
                "x CPU");
        int unreliable = 0;
        for (Row r : rows) {
            boolean ok = r.reliable();
            unreliable += ok ? 0 : 1;
            t.addRow(r.backend(), r.dynamics(), r.dim(), r.particles(), ok ? (Object) r.median() : "unreliable", r.min(),
                    r.max(), r.speedupOverCpu() == null || !ok ? "-" : String.format("%.2f", r.speedupOverCpu()));
        }
        stdout.print(t.render());
        if (unreliable > 0) {
            stdout.printf("%d point(s) marked unreliable: their repetitions differ by more than %.1fx (min and max shown; "
                    + "the machine was busy): measure again on a quiet machine%n", unreliable,
                    ThroughputMeter.Measurement.RELIABLE_SPREAD);
        }
        try (RunDirectory owned = RunDirectory.claim(dir, RunDirectory.Kind.BENCH, force, "--out")) {
            writePlot(owned.workDir().resolve(format.fileName("bench")), rows, works, ds);
            writeJson(owned.workDir().resolve("bench.json"), rows);
            owned.commit();
        }
        stdout.println("bench.json and " + format.fileName("bench") + " in " + dir);
        stdout.flush();
        return 0;
    }

    private List<String> backendList(PrintWriter err) {
        List<String> names = new ArrayList<>();
        if (backends.equals("available")) {
            names.add("cpu");
            names.add("emulated");
            if (CudaProbe.probe().usable()) {
                names.add("gpu");
                names.add("gpu-curand");
            } else {
                err.println("bench: no usable GPU (" + CudaProbe.probe().shortProblem() + "); measuring cpu and emulated");
            }
            return names;
        }
        for (String s : backends.split(",")) {
            String n = s.trim();
            if (!List.of("cpu", "emulated", "gpu", "gpu-curand").contains(n)) {
                throw new IllegalArgumentException("--backends: unknown backend '" + n
                        + "' (use available, or a list of cpu, emulated, gpu, gpu-curand)");
            }
            names.add(n);
        }
        return names;
    }

    private void writeJson(Path file, List<Row> rows) throws java.io.IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("gpu", CudaProbe.probe().usable() ? "usable" : CudaProbe.probe().shortProblem());
        m.put("machine", machine);
        m.put("repeats", repeats);
        m.put("warmupSeconds", warmup);
        m.put("targetSeconds", target);
        m.put("rows", rows);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), m);
    }

    private static void writePlot(Path png, List<Row> rows, List<Workload> works, List<Integer> ds)
            throws java.io.IOException {
        List<Plots.Series> series = new ArrayList<>();
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(r.backend() + " " + r.dynamics() + " d=" + r.dim(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Row>> g : groups.entrySet()) {
            double[] x = g.getValue().stream().mapToDouble(Row::particles).toArray();
            double[] y = g.getValue().stream().mapToDouble(Row::median).toArray();
            if (x.length > 0) {
                series.add(new Plots.Series(g.getKey(), x, y));
            }
        }
        if (!series.isEmpty()) {
            Plots.lines(png, series, PlotStyle.of("throughput by backend", "particles (count)",
                    "particle-steps per second").withSize(1000, 600).withLogAxes(true, true));
        }
    }
}
