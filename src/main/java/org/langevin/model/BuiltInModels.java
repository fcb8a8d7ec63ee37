package org.langevin.model;

import java.util.Locale;
import org.langevin.model.lang.ModelCompiler;

/**
 * The built-in losses written in the model language, for the options that run on user models only:
 * {@code --optimizer} other than sgd, {@code --dynamics underdamped} and {@code --integrator
 * leimkuhler-matthews}. {@link RunSpecBuilder#build()} runs a built-in {@code --loss} with one of those
 * options as the model this class writes, with the same loss, the same training set and the same
 * constants (docs/models.md, "built-in losses as models"):
 * <ul>
 *   <li>{@code linreg}: L_i = ½(x_iᵀw − y_i)²/s², plus ‖w‖²/(2nτ²) with a prior; under plain SGD the
 *       same bytes as the built-in (the text is the library's {@code linreg} model at this d);</li>
 *   <li>{@code logistic}: L_i = softplus(−y_i x_iᵀw) with labels ±1 (0/1 labels mapped to ±1 as the
 *       built-in does), plus the prior term; the library's {@code logistic} at this d;</li>
 *   <li>{@code quadratic}: ½(w − m)ᵀA(w − m) as a potential, and under SGD the per-example loss
 *       ½(w − m)ᵀA(w − m) + (x_i − x̄)ᵀw, whose gradient A(w − m) + (x_i − x̄) is the built-in's
 *       (the data rows minus their mean are the additive gradient noise);</li>
 *   <li>{@code double-well}: Σ_j (w_j² − 1)² likewise.</li>
 * </ul>
 * A, m and x̄ are written as decimal literals that read back as the same doubles. Stateless.
 */
public final class BuiltInModels {

    private BuiltInModels() {
    }

    /**
     * @param loss a built-in loss (quadratic, double-well, linreg or logistic)
     * @param dynamics the dynamics the model is for (SGD makes the loss per example)
     * @param dim d
     * @param a the quadratic's A (d×d), or null for the others
     * @param m the quadratic's centre m, or null
     * @param noiseVariance linreg's s²
     * @param priorVariance τ², 0 for no prior (linreg and logistic)
     * @param data the training set (labels already ±1 for logistic), or null when the dynamics needs none
     * @return the model text
     * @throws IllegalArgumentException for a loss without a model form
     */
    public static String text(LossKind loss, Dynamics dynamics, int dim, double[][] a, double[] m, double noiseVariance,
                              double priorVariance, TrainingSet data) {
        boolean perExample = dynamics == Dynamics.SGD;
        StringBuilder t = new StringBuilder();
        t.append("# --loss ").append(loss).append(" at d = ").append(dim).append(", written by langevin as a model\n");
        t.append(dim == 1 ? "state w[1]\n" : "state w[" + dim + "]\n");
        String prior = "";
        if (priorVariance > 0) {
            t.append("const n = ").append(data.n()).append(", tau2 = ").append(lit(priorVariance)).append('\n');
            prior = " + sum(j, w[j]^2) / (2 * n * tau2)";
        }
        switch (loss) {
            case LINREG -> {
                t.append("const s2 = ").append(lit(noiseVariance)).append('\n');
                t.append("data x[").append(dim).append("] -> y\n");
                t.append("loss 0.5 * (sum(j, w[j] * x[j]) - y)^2 / s2").append(prior).append('\n');
            }
            case LOGISTIC -> {
                t.append("data x[").append(dim).append("] -> y\n");
                t.append("loss softplus(-y * sum(j, w[j] * x[j]))").append(prior).append('\n');
            }
            case QUADRATIC, DOUBLE_WELL -> {
                String body = loss == LossKind.QUADRATIC ? quadraticForm(a, m) : "sum(j, (w[j]^2 - 1)^2)";
                if (perExample) {
                    double[] mean = data.meanRow();
                    t.append("data x[").append(dim).append("] -> y\n");
                    t.append("loss ").append(body).append(" + ").append(noiseTerm(mean)).append('\n');
                } else {
                    t.append("potential ").append(body).append('\n');
                }
            }
            default -> throw new IllegalArgumentException("--loss " + loss + " has no model form");
        }
        return t.toString();
    }

    /**
     * The compiled model of {@link #text}, its source named "built-in --loss NAME (as a model)" (results.json
     * {@code spec.model.source}).
     *
     * @param loss a built-in loss (quadratic, double-well, linreg or logistic)
     * @param dynamics the dynamics the model is for (SGD makes the loss per example)
     * @param dim d
     * @param a the quadratic's A (d×d), or null for the others
     * @param m the quadratic's centre m, or null
     * @param noiseVariance linreg's s²
     * @param priorVariance τ², 0 for no prior (linreg and logistic)
     * @param data the training set (labels already ±1 for logistic), or null when the dynamics needs none
     * @return the model with its constants at the values written into it
     * @throws IllegalArgumentException when the written model does not compile (e.g. a full A at large d exceeds
     *                                  the model language's operation limit), naming --dim
     */
    public static UserModel of(LossKind loss, Dynamics dynamics, int dim, double[][] a, double[] m, double noiseVariance,
                               double priorVariance, TrainingSet data) {
        String text = text(loss, dynamics, dim, a, m, noiseVariance, priorVariance, data);
        try {
            return UserModel.withValues("built-in --loss " + loss + " (as a model)", ModelCompiler.compile(text), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--loss " + loss + " at d = " + dim + " cannot be written as a model for this "
                    + "run (" + e.getMessage() + "); use a smaller --dim or write the model yourself (docs/models.md)", e);
        }
    }

    /** ½(w − m)ᵀA(w − m), zero entries of A left out. */
    private static String quadraticForm(double[][] a, double[] m) {
        int d = m.length;
        StringBuilder s = new StringBuilder("0.5 * (");
        boolean firstRow = true;
        for (int j = 0; j < d; j++) {
            StringBuilder row = new StringBuilder();
            for (int k = 0; k < d; k++) {
                if (a[j][k] == 0) {
                    continue;
                }
                row.append(row.length() == 0 ? "" : " + ").append(lit(a[j][k])).append(" * ").append(centred(k, m[k]));
            }
            if (row.length() == 0) {
                continue;
            }
            s.append(firstRow ? "" : " + ").append(centred(j, m[j])).append(" * (").append(row).append(')');
            firstRow = false;
        }
        return firstRow ? "0" : s.append(')').toString();
    }

    /** Σ_j (x[j] − x̄_j)·w[j]. */
    private static String noiseTerm(double[] mean) {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < mean.length; j++) {
            s.append(j == 0 ? "" : " + ").append("(x[").append(j).append("] - ").append(lit(mean[j])).append(") * w[")
                    .append(j).append(']');
        }
        return s.toString();
    }

    private static String centred(int j, double mj) {
        return mj == 0 ? "w[" + j + "]" : "(w[" + j + "] - " + lit(mj) + ")";
    }

    /** A literal that the model language reads back as the same double (negative values parenthesised). */
    static String lit(double v) {
        String s = Double.toString(Math.abs(v)).toLowerCase(Locale.ROOT);
        return v < 0 ? "(-" + s + ")" : s;
    }
}
