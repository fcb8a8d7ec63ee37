package org.langevin.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langevin.SampleResult;
import org.langevin.model.RunSpec;
import org.langevin.reduce.CoordinateStats;
import org.langevin.reduce.Histogram1D;
import org.langevin.reduce.MeanEstimate;
import org.langevin.reduce.Reduction;
import org.langevin.theory.DivergenceBound;
import org.langevin.theory.StationaryLaws;

/**
 * Writes a sampling run's files into its output directory: results.json, one CSV and one PNG per
 * 1-D histogram (with the exact law overlaid where docs/theory.md gives one), the 2-D histogram, and
 * optionally particles.npy. Files are written completely before results.json, the file that marks
 * the directory as holding finished results.
 */
public final class RunOutputs {
    /** The file that marks a directory as holding results. */
    public static final String RESULTS = "results.json";
    /** The particles, with --save-particles. */
    public static final String PARTICLES = "particles.npy";
    /** The auxiliary state of the particles (optimiser state, underdamped momenta), with --save-particles. */
    public static final String AUX = "aux.npy";

    private RunOutputs() {
    }

    /**
     * Writes every output file of a finished run into dir, the plots as PNG, without records.
     *
     * @param dir the run's (working) directory; created when missing
     * @param spec the run's definition
     * @param r the run's result (its steps, backend, wall time and rate go into results.json)
     * @param saveParticles whether to write particles.npy
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, RunSpec spec, SampleResult r, boolean saveParticles) throws IOException {
        write(dir, spec, r.reduction(), r.state().stepsDone(), r.backend(), r.elapsedSeconds(),
                r.particleStepsPerSecond(), saveParticles ? r.state().x() : null, Map.of(), null, PlotFormat.PNG,
                r.state().x(), r.state().aux(), saveParticles);
    }

    /**
     * Writes every output file of a finished run into dir (also for runs merged from partitions), the
     * plots as PNG, without records.
     *
     * @param dir the run's (working) directory; created when missing
     * @param spec the run's definition
     * @param red the run's reduction
     * @param steps steps per particle
     * @param backend the engine that ran
     * @param elapsedSeconds wall time of the run, seconds
     * @param particleStepsPerSecond throughput of the run
     * @param particles the final particles (d rows), or null for no particles.npy
     * @param extra more top-level fields of results.json's "spec" map (e.g. how a distributed run ran)
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, RunSpec spec, Reduction red, long steps, String backend, double elapsedSeconds,
                             double particleStepsPerSecond, float[][] particles, Map<String, Object> extra)
            throws IOException {
        write(dir, spec, red, steps, backend, elapsedSeconds, particleStepsPerSecond, particles, extra, null,
                PlotFormat.PNG);
    }

    /**
     * Writes every output file of a finished run into dir, the plots as PNG.
     *
     * @param dir the run's (working) directory; created when missing
     * @param spec the run's definition
     * @param red the run's reduction
     * @param steps steps per particle
     * @param backend the engine that ran
     * @param elapsedSeconds wall time of the run, seconds
     * @param particleStepsPerSecond throughput of the run
     * @param particles the final particles (d rows), or null for no particles.npy
     * @param extra more top-level fields of results.json's "spec" map (e.g. how a distributed run ran)
     * @param series the {@code series} key of results.json (the records of {@code --record}, written by
     *               {@code org.langevin.series.SeriesOutputs}), or null for none
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, RunSpec spec, Reduction red, long steps, String backend, double elapsedSeconds,
                             double particleStepsPerSecond, float[][] particles, Map<String, Object> extra,
                             Map<String, Object> series) throws IOException {
        write(dir, spec, red, steps, backend, elapsedSeconds, particleStepsPerSecond, particles, extra, series,
                PlotFormat.PNG);
    }

    /**
     * As below, without auxiliary state.
     *
     * @param dir the run's (working) directory; created when missing
     * @param spec the run's definition
     * @param red the run's reduction
     * @param steps steps per particle
     * @param backend the engine that ran
     * @param elapsedSeconds wall time of the run, seconds (for a resumed run, of all its parts)
     * @param particleStepsPerSecond throughput of the run
     * @param particles the final particles (d rows), or null for no particles.npy
     * @param extra more top-level fields of results.json's "spec" map (e.g. how a distributed run ran)
     * @param series the {@code series} key of results.json, or null for none
     * @param plotFormat the plots' format ({@code histogram_x1.png}, {@code .svg} or {@code .pdf})
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, RunSpec spec, Reduction red, long steps, String backend, double elapsedSeconds,
                             double particleStepsPerSecond, float[][] particles, Map<String, Object> extra,
                             Map<String, Object> series, PlotFormat plotFormat) throws IOException {
        write(dir, spec, red, steps, backend, elapsedSeconds, particleStepsPerSecond, particles, extra, series,
                plotFormat, null, null, false);
    }

    /**
     * As below, the plots as PNG.
     *
     * @param dir the run's (working) directory; created when missing
     * @param spec the run's definition
     * @param red the run's reduction
     * @param steps steps per particle
     * @param backend the engine that ran
     * @param elapsedSeconds wall time of the run, seconds (for a resumed run, of all its parts)
     * @param particleStepsPerSecond throughput of the run
     * @param particles the final particles (d rows), or null for no particles.npy
     * @param extra more top-level fields of results.json's "spec" map (e.g. how a distributed run ran)
     * @param series the {@code series} key of results.json, or null for none
     * @param finalX the final coordinates (for the statistics of the auxiliary state), or null
     * @param aux the final auxiliary rows, or null (or no rows) when the particles carry none
     * @param saveAux whether to write {@value #AUX}
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, RunSpec spec, Reduction red, long steps, String backend, double elapsedSeconds,
                             double particleStepsPerSecond, float[][] particles, Map<String, Object> extra,
                             Map<String, Object> series, float[][] finalX, float[][] aux, boolean saveAux)
            throws IOException {
        write(dir, spec, red, steps, backend, elapsedSeconds, particleStepsPerSecond, particles, extra, series,
                PlotFormat.PNG, finalX, aux, saveAux);
    }

    /**
     * Writes every output file of a finished run into dir: the histograms' CSV files and plots, aux.npy and
     * particles.npy when asked, then results.json (with the auxiliary state's statistics under {@code aux}).
     *
     * @param dir the run's (working) directory; created when missing
     * @param spec the run's definition
     * @param red the run's reduction
     * @param steps steps per particle
     * @param backend the engine that ran
     * @param elapsedSeconds wall time of the run, seconds (for a resumed run, of all its parts)
     * @param particleStepsPerSecond throughput of the run
     * @param particles the final particles (d rows), or null for no particles.npy
     * @param extra more top-level fields of results.json's "spec" map (e.g. how a distributed run ran)
     * @param series the {@code series} key of results.json, or null for none
     * @param plotFormat the plots' format ({@code histogram_x1.png}, {@code .svg} or {@code .pdf})
     * @param finalX the final coordinates (for the statistics of the auxiliary state), or null
     * @param aux the final auxiliary rows, or null (or no rows) when the particles carry none
     * @param saveAux whether to write {@value #AUX} (float32, shape (P, A))
     * @throws IOException if a file cannot be written
     */
    public static void write(Path dir, RunSpec spec, Reduction red, long steps, String backend, double elapsedSeconds,
                             double particleStepsPerSecond, float[][] particles, Map<String, Object> extra,
                             Map<String, Object> series, PlotFormat plotFormat, float[][] finalX, float[][] aux,
                             boolean saveAux) throws IOException {
        Files.createDirectories(dir);
        boolean hasAux = aux != null && aux.length > 0 && finalX != null;
        if (hasAux && saveAux) {
            NpyWriter.write(dir.resolve(AUX), aux);
        }
        StationaryLaws laws = StationaryLaws.of(spec);
        List<Histogram1D> hs = red.histograms();
        for (int j = 0; hs != null && j < hs.size(); j++) {
            String name = "histogram_x" + (j + 1);
            HistogramCsv.write(dir.resolve(name + ".csv"), hs.get(j));
            String x = "x" + (j + 1);
            Plots.histogram(dir.resolve(plotFormat.fileName(name)), hs.get(j), laws == null ? null : laws.densities()[j],
                    laws == null ? null : laws.label(),
                    PlotStyle.of(spec.dynamics() + ", " + spec.loss() + ": " + x + " after " + steps
                            + " steps (" + red.particles() + " particles)", x + " (coordinate units)",
                            "density of " + x + " (per unit of " + x + ")"));
        }
        if (red.histogram2D() != null) {
            HistogramCsv.write(dir.resolve("histogram_x1_x2.csv"), red.histogram2D());
            Plots.heatMap(dir.resolve(plotFormat.fileName("histogram_x1_x2")), red.histogram2D(),
                    laws == null ? null : laws.joint12(spec), laws == null ? null : laws.label(),
                    PlotStyle.of(spec.dynamics() + ", " + spec.loss() + ": (x1, x2) after " + steps + " steps ("
                            + red.particles() + " particles)", "x1 (coordinate units)", "x2 (coordinate units)")
                            .withSize(800, 680));
        }
        if (particles != null) {
            NpyWriter.write(dir.resolve(PARTICLES), particles);
        }
        Map<String, Object> sm = specMap(spec);
        sm.put("histograms", histogramRanges(spec, red));
        sm.putAll(extra);
        sm.put("version", org.langevin.Version.get());
        Results res = Results.of(red, steps, backend, Math.max(elapsedSeconds, 1e-9), particleStepsPerSecond, sm,
                laws == null ? Map.of() : laws.values(), Divergence.of(spec, red));
        Map<String, Object> more = new LinkedHashMap<>();
        if (series != null) {
            more.put("series", series);
        }
        if (hasAux) {
            more.put("aux", AuxStatistics.of(spec, finalX, aux));
        }
        ResultsJson.write(dir.resolve(RESULTS), res, more);
    }

    /**
     * The ranges the histograms were binned over: per coordinate {@code name} (x1, …), {@code bins},
     * {@code lo}, {@code hi}, and for the 2-D histogram {@code name} x1_x2 with {@code binsX}, {@code loX},
     * {@code hiX}, {@code binsY}, {@code loY}, {@code hiY}; {@code source} says whether the range was
     * given ({@code --histogram}) or taken from the finite sample's range.
     */
    static Map<String, Object> histogramRanges(RunSpec spec, Reduction red) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", spec.histogram() != null ? "given (--histogram " + spec.histogram().describe() + ")"
                : "the finite sample's range");
        List<Map<String, Object>> ranges = new java.util.ArrayList<>();
        List<Histogram1D> hs = red.histograms();
        for (int j = 0; j < hs.size(); j++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", "x" + (j + 1));
            r.put("bins", hs.get(j).getBins());
            r.put("lo", hs.get(j).getLo());
            r.put("hi", hs.get(j).getHi());
            ranges.add(r);
        }
        org.langevin.reduce.Histogram2D h2 = red.histogram2D();
        if (h2 != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", "x1_x2");
            r.put("binsX", h2.getBinsX());
            r.put("loX", h2.getLoX());
            r.put("hiX", h2.getHiX());
            r.put("binsY", h2.getBinsY());
            r.put("loY", h2.getLoY());
            r.put("hiY", h2.getHiY());
            ranges.add(r);
        }
        m.put("ranges", ranges);
        return m;
    }

    /**
     * @param s the run's definition
     * @return the run specification as JSON-friendly key/values (results.json's {@code spec}, before the
     *         histogram ranges, the data source and the version are added)
     */
    public static Map<String, Object> specMap(RunSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dynamics", s.dynamics().cliName);
        m.put("loss", s.loss().cliName);
        m.put("dim", s.dim());
        if (s.quadraticMatrix() != null) {
            m.put("quadraticMatrix", s.quadraticMatrix());
            m.put("quadraticCenter", s.quadraticCenter());
        }
        if (s.data() != null) {
            m.put("examples", s.data().n());
            m.put("noiseVariance", s.noiseVariance());
        }
        if (s.hasPrior()) {
            m.put("priorVariance", s.priorVariance());
        }
        m.put("sigma", s.sigma());
        m.put("dt", s.dt());
        if (s.schedule() != null) {
            m.put("lr", s.schedule().base());
            m.put("lrSchedule", s.schedule().describe());
        }
        m.put("batch", s.batch());
        m.put("sampling", s.sampling().cliName);
        m.put("preconditioner", s.preconditioner().cliName);
        m.put("sdeNoise", s.sdeNoise().cliName);
        m.put("particles", s.particles());
        m.put("steps", s.steps());
        m.put("init", s.init().describe());
        m.put("seed", s.seed());
        m.put("burnIn", s.burnIn());
        if (s.optimizer() != null && !s.optimizer().plain()) {
            m.put("optimizer", s.optimizer().toString());
        }
        if (s.dynamics() == org.langevin.model.Dynamics.UNDERDAMPED) {
            m.put("friction", s.friction());
            m.put("integrator", s.integrator().cliName);
        }
        if (s.integrator() != null && s.integrator() != org.langevin.model.Integrator.EULER_MARUYAMA) {
            m.put("integrator", s.integrator().cliName);
        }
        if (s.model() != null) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("source", s.model().source());
            mm.put("sha256", s.model().model().sha256());
            mm.put("constants", s.model().values());
            mm.put("text", s.model().model().text());
            m.put("model", mm);
        }
        m.put("average", s.average());
        DivergenceBound b = DivergenceBound.of(s);
        m.put("divergenceBound", b.value());
        m.put("divergenceBoundRule", b.rule());
        m.put("maxDivergedFraction", s.maxDivergedFraction());
        return m;
    }

    /**
     * @param spec the run's definition
     * @param r the run's result
     * @param dir where the results are, for the last line
     * @return a short text summary for the terminal
     */
    public static String summary(RunSpec spec, SampleResult r, Path dir) {
        Reduction red = r.reduction();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s on %s, d = %d: %d particles x %d steps on %s in %.2f s (%.3g particle-steps/s)%n",
                spec.dynamics(), spec.loss(), spec.dim(), spec.particles(), r.state().stepsDone(), r.backend(),
                r.elapsedSeconds(), r.particleStepsPerSecond()));
        sb.append(Divergence.of(spec, red).warning());
        StationaryLaws laws = StationaryLaws.of(spec);
        double[] ref = laws != null && laws.values().get("variance") instanceof double[] v ? v : null;
        boolean withZ = ref != null && laws.zMeaningful(red.timeAveraged());
        boolean avg = red.timeAveraged();
        // with --average the reference variance is compared with the variance pooled over time and particles
        List<String> head = new java.util.ArrayList<>(avg
                ? List.of("coordinate", "mean of time averages", "± SE", "variance of time averages", "± SE",
                        "pooled variance", "± SE")
                : List.of("coordinate", "mean", "± SE", "variance", "± SE"));
        if (ref != null && withZ) {
            head.addAll(List.of("exact variance", "z"));
        } else if (ref != null && laws.exactForScheme()) {
            head.add("variance at step N (no z: time averages)");
        } else if (ref != null) {
            head.add(StationaryLaws.CONTINUOUS_LM.equals(laws.values().get(StationaryLaws.KIND_KEY))
                    ? "continuous-time reference, bias O(Δt²) (no z)" : "continuous-time reference, bias O(Δt) (no z)");
        }
        Table t = new Table(head.toArray(new String[0]));
        for (int j = 0; j < red.coordinates().size(); j++) {
            CoordinateStats c = red.coordinate(j);
            List<Object> row = new java.util.ArrayList<>(List.of("x" + (j + 1), c.mean(), c.meanStdErr(), c.variance(),
                    c.varianceStdErr()));
            if (avg) {
                row.add(c.pooledVariance());
                row.add(c.pooledVarianceStdErr());
            }
            double v = avg ? c.pooledVariance() : c.variance();
            double se = avg ? c.pooledVarianceStdErr() : c.varianceStdErr();
            if (ref != null) {
                row.add(ref[j]);
                if (withZ) {
                    row.add((v - ref[j]) / se);
                }
            }
            t.addRow(row.toArray());
        }
        sb.append(t.render());
        if (red.hasLoss()) {
            sb.append(String.format("loss: %.6g ± %.2g%n", red.loss().mean(), red.loss().stdErr()));
        }
        if (laws != null) {
            sb.append(laws.exactForScheme() ? "exact law: " : "reference law: ").append(laws.values().get("law"))
                    .append('\n');
            MeanEstimate id = red.observables().get(StationaryLaws.EM_IDENTITY);
            if (laws.values().get(StationaryLaws.EM_IDENTITY) instanceof Double want && id != null) {
                sb.append(String.format("Euler-chain identity E[x·L′ − (Δt/2)L′²] = dσ²/2 (exact at this Δt in the "
                                + "stationary state): %.6g ± %.2g vs %.6g, z = %.2f%n", id.mean(), id.stdErr(), want,
                        (id.mean() - want) / id.stdErr()));
            }
        }
        sb.append("results in ").append(dir).append('\n');
        return sb.toString();
    }
}
