package org.langevin.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.langevin.model.Dynamics;
import org.langevin.model.Optimizer;
import org.langevin.model.RunSpec;
import org.langevin.model.lang.ModelFunctions;

/**
 * Statistics of the particles' auxiliary state at the final step (results.json key {@code aux},
 * docs/output-formats.md): per auxiliary row its name, mean and mean square with standard errors over
 * the particles, and for underdamped Langevin the kinetic temperature E‖p‖²/d next to the
 * configurational one E[q·∇L(q)]/d (both equal T = σ²/2 in the continuous-time stationary law).
 * Particles with a non-finite coordinate or auxiliary value are left out. Thread-safe (stateless).
 */
public final class AuxStatistics {
    private AuxStatistics() {
    }

    /**
     * @param spec the run
     * @return the names of the auxiliary rows of the run: v1…vd, s1…sd, m1…md then s1…sd, or p1…pd
     */
    public static List<String> rowNames(RunSpec spec) {
        int d = spec.dim();
        List<String> names = new ArrayList<>();
        String[] groups;
        if (spec.dynamics() == Dynamics.UNDERDAMPED) {
            groups = new String[] {"p"};
        } else {
            Optimizer o = spec.optimizer() == null ? Optimizer.SGD : spec.optimizer();
            groups = switch (o.kind()) {
                case SGD -> new String[0];
                case MOMENTUM, NESTEROV -> new String[] {"v"};
                case RMSPROP -> new String[] {"s"};
                case ADAM -> new String[] {"m", "s"};
            };
        }
        for (String g : groups) {
            for (int j = 1; j <= d; j++) {
                names.add(g + j);
            }
        }
        return names;
    }

    /**
     * @param spec the run
     * @param x the final coordinates (d rows of P)
     * @param aux the final auxiliary rows (A rows of P)
     * @return the {@code aux} map of results.json, or null when the run has no auxiliary state
     */
    public static Map<String, Object> of(RunSpec spec, float[][] x, float[][] aux) {
        if (aux == null || aux.length == 0) {
            return null;
        }
        int d = x.length;
        int p = x[0].length;
        int a = aux.length;
        boolean[] ok = new boolean[p];
        long n = 0;
        for (int i = 0; i < p; i++) {
            boolean good = true;
            for (int j = 0; j < d && good; j++) {
                good = Float.isFinite(x[j][i]);
            }
            for (int r = 0; r < a && good; r++) {
                good = Float.isFinite(aux[r][i]);
            }
            ok[i] = good;
            n += good ? 1 : 0;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", rowNames(spec));
        m.put("particles", n);
        List<Double> mean = new ArrayList<>();
        List<Double> meanSe = new ArrayList<>();
        List<Double> sq = new ArrayList<>();
        List<Double> sqSe = new ArrayList<>();
        for (int r = 0; r < a; r++) {
            double[] v = new double[(int) n];
            double[] v2 = new double[(int) n];
            for (int i = 0, c = 0; i < p; i++) {
                if (ok[i]) {
                    v[c] = aux[r][i];
                    v2[c] = (double) aux[r][i] * aux[r][i];
                    c++;
                }
            }
            double[] ms = meanAndSe(v);
            double[] ss = meanAndSe(v2);
            mean.add(ms[0]);
            meanSe.add(ms[1]);
            sq.add(ss[0]);
            sqSe.add(ss[1]);
        }
        m.put("mean", mean);
        m.put("meanSE", meanSe);
        m.put("meanSquare", sq);
        m.put("meanSquareSE", sqSe);
        if (spec.dynamics() == Dynamics.UNDERDAMPED) {
            ModelFunctions f = ModelFunctions.of(spec.model(), spec.data());
            float[] xv = new float[d];
            float[] lg = new float[1 + d];
            float[] scratch = new float[1 + d];
            float t = (float) (spec.steps() * spec.dt());
            double[] kin = new double[(int) n];
            double[] conf = new double[(int) n];
            for (int i = 0, c = 0; i < p; i++) {
                if (!ok[i]) {
                    continue;
                }
                double k2 = 0;
                for (int j = 0; j < d; j++) {
                    xv[j] = x[j][i];
                    k2 += (double) aux[j][i] * aux[j][i];
                }
                f.lossAndGradient(xv, t, scratch, lg);
                double qg = 0;
                for (int j = 0; j < d; j++) {
                    qg += (double) xv[j] * lg[1 + j];
                }
                kin[c] = k2 / d;
                conf[c] = qg / d;
                c++;
            }
            double[] ks = meanAndSe(kin);
            double[] cs = meanAndSe(conf);
            m.put("temperature", spec.sigma() * spec.sigma() / 2);
            m.put("kineticTemperature", ks[0]);
            m.put("kineticTemperatureSE", ks[1]);
            m.put("configurationalTemperature", cs[0]);
            m.put("configurationalTemperatureSE", cs[1]);
        }
        return m;
    }

    /** @return {mean, standard error of the mean} (two-pass), NaN for an empty sample */
    static double[] meanAndSe(double[] v) {
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double s = 0;
        for (double u : v) {
            s += u;
        }
        double mean = s / v.length;
        double ss = 0;
        for (double u : v) {
            ss += (u - mean) * (u - mean);
        }
        double se = v.length > 1 ? Math.sqrt(ss / (v.length - 1) / v.length) : Double.NaN;
        return new double[] {mean, se};
    }
}
