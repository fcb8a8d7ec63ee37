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

    /** Writes every output file of a finished run into dir. */
    public static void write(Path dir, RunSpec spec, SampleResult r, boolean saveParticles) throws IOException {
        write(dir, spec, r, saveParticles, null);
    }

    /** Writes every output file of a finished run into dir, with the {@code series} key of results.json (or null). */
    public static void write(Path dir, RunSpec spec, SampleResult r, boolean saveParticles, Map<String, Object> series)
            throws IOException {
        write(dir, spec, r.reduction(), r.state().stepsDone(), r.backend(), r.elapsedSeconds(),
                r.particleStepsPerSecond(), saveParticles ? r.state().x() : null, Map.of(), series,
                r.state().x(), r.state().aux(), saveParticles);
    }

    /**
     * Writes every output file of a finished run into dir (also for runs merged from partitions).
     *
     * @param particleStepsPerSecond throughput of the run
     * @param particles the final particles (d rows), or null for no particles.npy
     * @param extra more top-level fields of results.json's "spec" map (e.g. how a distributed run ran)
     */
    public static void write(Path dir, RunSpec spec, Reduction red, long steps, String backend, double elapsedSeconds,
                             double particleStepsPerSecond, float[][] particles, Map<String, Object> extra)
            throws IOException {
        write(dir, spec, red, steps, backend, elapsedSeconds, particleStepsPerSecond, particles, extra, null);
    }

    /**
     * As {@link #write(Path, RunSpec, Reduction, long, String, double, double, float[][], Map)}, with the
     * {@code series} key of results.json (the records of {@code --record}, written by
     * {@code org.langevin.series.SeriesOutputs}), or null for none.
     */
    public static void write(Path dir, RunSpec spec, Reduction red, long steps, String backend, double elapsedSeconds,
                             double particleStepsPerSecond, float[][] particles, Map<String, Object> extra,
                             Map<String, Object> series) throws IOException {
        write(dir, spec, red, steps, backend, elapsedSeconds, particleStepsPerSecond, particles, extra, series,
                null, null, false);
    }

    /**
     * As above, with the particles' auxiliary state: its statistics go into results.json's {@code aux}
     * key, and with {@code saveAux} the rows into {@value #AUX} (float32, shape (P, A)).
     *
     * @param finalX the final coordinates (for the statistics of the auxiliary state), or null
     * @param aux the final auxiliary rows, or null (or no rows) when the particles carry none
     */
    public static void write(Path dir, RunSpec spec, Reduction red, long steps, String backend, double elapsedSeconds,
                             double particleStepsPerSecond, float[][] particles, Map<String, Object> extra,
                             Map<String, Object> series, float[][] finalX, float[][] aux, boolean saveAux)
            throws IOException {
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
            Plots.histogram(dir.resolve(name + ".png"), hs.get(j), laws == null ? null : laws.densities()[j],
                    laws == null ? null : laws.label(),
                    PlotStyle.of(spec.dynamics() + ", " + spec.loss() + ": x" + (j + 1) + " after " + steps
                            + " steps (" + red.particles() + " particles)", "x" + (j + 1), "density"));
        }
        if (red.histogram2D() != null) {
            HistogramCsv.write(dir.resolve("histogram_x1_x2.csv"), red.histogram2D());
            Plots.heatMap(dir.resolve("histogram_x1_x2.png"), red.histogram2D(),
                    PlotStyle.of("x1, x2 after " + steps + " steps", "x1", "x2"));
        }
        if (particles != null) {
            NpyWriter.write(dir.resolve(PARTICLES), particles);
        }
        Map<String, Object> sm = specMap(spec);
        sm.putAll(extra);
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

    /** @return the run specification as JSON-friendly key/values */
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

    /** @return a short text summary for the terminal */
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
        Table t;
        if (ref == null) {
            t = new Table("coordinate", "mean", "± SE", "variance", "± SE");
        } else if (withZ) {
            t = new Table("coordinate", "mean", "± SE", "variance", "± SE", "exact variance", "z");
        } else if (laws.exactForScheme()) {
            t = new Table("coordinate", "mean", "± SE", "variance", "± SE", "variance at step N (no z: time averages)");
        } else {
            t = new Table("coordinate", "mean", "± SE", "variance", "± SE",
                    "continuous-time reference, bias O(Δt) (no z)");
        }
        for (int j = 0; j < red.coordinates().size(); j++) {
            CoordinateStats c = red.coordinate(j);
            if (ref == null) {
                t.addRow("x" + (j + 1), c.mean(), c.meanStdErr(), c.variance(), c.varianceStdErr());
            } else if (withZ) {
                t.addRow("x" + (j + 1), c.mean(), c.meanStdErr(), c.variance(), c.varianceStdErr(), ref[j],
                        (c.variance() - ref[j]) / c.varianceStdErr());
            } else {
                t.addRow("x" + (j + 1), c.mean(), c.meanStdErr(), c.variance(), c.varianceStdErr(), ref[j]);
            }
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
