package org.langevin.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Reads training sets from CSV files and makes seeded synthetic ones. */
public final class TrainingSets {
    private TrainingSets() {
    }

    /**
     * Reads a CSV file with a header {@code x1,...,xd,y} and one example per line.
     *
     * @param file the CSV file (UTF-8); blank lines are skipped, a header {@code y} alone gives d = 0
     * @return the training set, values rounded to float
     * @throws IllegalArgumentException naming the file and line for a missing file or malformed content
     */
    public static TrainingSet readCsv(Path file) {
        List<float[]> rows = new ArrayList<>();
        int d;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + ": empty file; expected a header x1,...,xd,y");
            }
            String[] names = header.trim().split(",", -1);
            d = names.length - 1;
            if (d < 0 || !names[d].trim().equals("y")) {
                throw new IllegalArgumentException(file + " line 1: header must be x1,...,xd,y (or y alone for a model "
                        + "whose examples are a target only); got '" + header + "'");
            }
            for (int j = 0; j < d; j++) {
                if (!names[j].trim().equals("x" + (j + 1))) {
                    throw new IllegalArgumentException(file + " line 1: column " + (j + 1) + " must be named x"
                            + (j + 1) + "; got '" + names[j].trim() + "'");
                }
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != d + 1) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": expected " + (d + 1)
                            + " values, got " + f.length);
                }
                float[] row = new float[d + 1];
                for (int j = 0; j <= d; j++) {
                    try {
                        row[j] = Float.parseFloat(f[j].trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + " line " + lineNo + ", column " + (j + 1)
                                + ": not a number: '" + f[j].trim() + "'");
                    }
                    if (!Float.isFinite(row[j])) {
                        throw new IllegalArgumentException(file + " line " + lineNo + ", column " + (j + 1)
                                + ": not finite: '" + f[j].trim() + "'");
                    }
                }
                rows.add(row);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("training-set file not found: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read training-set file " + file + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": header but no examples");
        }
        int n = rows.size();
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            float[] r = rows.get(i);
            System.arraycopy(r, 0, x, i * d, d);
            y[i] = r[d];
        }
        return new TrainingSet(n, d, x, y);
    }

    /**
     * A seeded synthetic training set: features x_i ~ N(0, I_d), a true parameter w ~ N(0, I_d)
     * (drawn first from the same stream), and targets y_i = x_iᵀw + noise·N(0,1) for regression or
     * labels ±1 with P(y = +1) = 1/(1 + exp(−x_iᵀw/noise)) for classification
     * (the logistic model with temperature {@code noise}; noise = 1 is the standard logistic model).
     * The stream is {@link SplittableRandom} with the given seed, so the set is the same on every JVM.
     *
     * @param n examples (≥ 1)
     * @param d features (≥ 1)
     * @param noise standard deviation of the target noise (≥ 0), or the logistic temperature (> 0)
     * @param seed generator seed
     * @param classification true for ±1 labels
     * @return the n examples, features and targets rounded to float
     * @throws IllegalArgumentException if n or d is below 1, or noise is out of range
     */
    public static TrainingSet synthetic(int n, int d, double noise, long seed, boolean classification) {
        if (n < 1) {
            throw new IllegalArgumentException("--synthetic n must be at least 1, got " + n);
        }
        if (d < 1) {
            throw new IllegalArgumentException("--synthetic d must be at least 1, got " + d);
        }
        if (!(noise >= 0) || Double.isInfinite(noise) || (classification && !(noise > 0))) {
            throw new IllegalArgumentException("--synthetic noise must be finite and "
                    + (classification ? "> 0" : ">= 0") + ", got " + noise);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[d];
        for (int j = 0; j < d; j++) {
            w[j] = gaussian(rnd);
        }
        float[] x = new float[n * d];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double dot = 0;
            for (int j = 0; j < d; j++) {
                float v = (float) gaussian(rnd);
                x[i * d + j] = v;
                dot += v * w[j];
            }
            if (classification) {
                double p = 1.0 / (1.0 + Math.exp(-dot / noise));
                y[i] = rnd.nextDouble() < p ? 1f : -1f;
            } else {
                y[i] = (float) (dot + noise * gaussian(rnd));
            }
        }
        return new TrainingSet(n, d, x, y);
    }

    /**
     * Parses {@code n=..,d=..,noise=..,seed=..} (any order; d defaults to the run's dimension) and makes the
     * set with {@link #synthetic}. Defaults: noise 0.5 for regression and 1 for classification, seed 1; n is
     * required. Refuses a set that would not fit in one Java array or, roughly, in the heap.
     *
     * @param spec           the {@code --synthetic} value
     * @param defaultDim     d when the text has no {@code d=}
     * @param classification true for ±1 labels (logistic regression)
     * @return the synthetic training set
     * @throws IllegalArgumentException for an unknown key, a value that is not a number or out of range, a
     *                                  missing n, or a set too large for the heap (the message says how large)
     */
    public static TrainingSet parseSynthetic(String spec, int defaultDim, boolean classification) {
        int n = -1;
        int d = defaultDim;
        double noise = classification ? 1.0 : 0.5;
        long seed = 1;
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("--synthetic: expected key=value, got '" + part.trim()
                        + "' (example: n=1000,d=3,noise=0.5,seed=7)");
            }
            String k = kv[0].trim();
            String v = kv[1].trim();
            try {
                switch (k) {
                    case "n" -> n = (int) Counts.parse("--synthetic n", v, 1, Integer.MAX_VALUE);
                    case "d" -> d = (int) Counts.parse("--synthetic d", v, 1, RunSpec.MAX_DIM);
                    case "noise" -> {
                        noise = Double.parseDouble(v);
                        if (!(noise >= 0) || Double.isInfinite(noise)) {
                            throw new IllegalArgumentException("--synthetic noise must be finite and >= 0, got " + v);
                        }
                    }
                    case "seed" -> seed = Long.parseLong(v.replace("_", ""));
                    default -> throw new IllegalArgumentException("--synthetic: unknown key '" + k
                            + "' (keys: n, d, noise, seed)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--synthetic: " + k + " is not a number: '" + v + "'");
            }
        }
        if (n < 0) {
            throw new IllegalArgumentException("--synthetic needs n=<examples> (example: n=1000,d=3,noise=0.5,seed=7)");
        }
        if (d < 1 || d > RunSpec.MAX_DIM) {
            throw new IllegalArgumentException("--synthetic d must be in 1.." + RunSpec.MAX_DIM + ", got " + d);
        }
        if ((long) n * (d + 1) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--synthetic n=" + n + ",d=" + d + " has n·(d+1) = " + (long) n * (d + 1)
                    + " values, more than one Java array holds (" + (Integer.MAX_VALUE - 8) + "): use a smaller n");
        }
        // The set, the kernels' copy and the host statistics' double rows: about 4 + 4 + 2·(16 + 8(d+1)) bytes a value.
        long need = (long) n * (8L * (d + 1) + 2L * (16 + 8L * (d + 1)));
        long heap = Runtime.getRuntime().maxMemory();
        if (need > heap) {
            throw new IllegalArgumentException("--synthetic n=" + n + " needs about " + need + " bytes of Java heap but the heap is "
                    + heap + " bytes: use n=" + Math.max(1, (long) ((double) n * heap / need)) + " or less, or raise the heap "
                    + "(java -Xmx" + ((need >> 30) + 2) + "g ...)");
        }
        return synthetic(n, d, noise, seed, classification);
    }

    private static double gaussian(SplittableRandom rnd) {
        // Marsaglia polar method: exact in distribution, deterministic for a given seed.
        double u;
        double v;
        double s;
        do {
            u = 2 * rnd.nextDouble() - 1;
            v = 2 * rnd.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
