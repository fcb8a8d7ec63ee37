package org.langevin.check;

/**
 * THEORY.md O1: the exact laws of 1-D SGD on L_i = ½h(Φ − a_i)² with mean ā and population variance s² of
 * the a_i, batch factor κ, 0 < ηh < 2. Immutable and thread-safe.
 *
 * @param h curvature (> 0)
 * @param mean ā
 * @param variance s² of the a_i (≥ 0)
 */
record QuadraticSgdLaw(double h, double mean, double variance) {
    QuadraticSgdLaw {
        if (!(h > 0) || !(variance >= 0) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("need h > 0, s² >= 0 and a finite mean; got h = " + h + ", s² = "
                    + variance + ", mean = " + mean);
        }
    }

    private double eh(double eta) {
        double e = eta * h;
        if (!(e > 0 && e < 2)) {
            throw new IllegalArgumentException("eta*h must be in (0, 2), got " + e);
        }
        return e;
    }

    /** @return the stationary variance ηhs²κ/(2 − ηh) */
    double stationaryVariance(double eta, double kappa) {
        double e = eh(eta);
        return e * variance * kappa / (2 - e);
    }

    /** @return E Φ_N = ā + (Φ₀ − ā)(1 − ηh)^N */
    double transientMean(double phi0, double eta, long steps) {
        return mean + (phi0 - mean) * Math.pow(1 - eh(eta), steps);
    }

    /** @return Var Φ_N = ηhs²κ(1 − (1−ηh)^{2N})/(2 − ηh) from a deterministic Φ₀ */
    double transientVariance(double eta, double kappa, long steps) {
        double e = eh(eta);
        return e * variance * kappa * (1 - Math.pow(1 - e, 2.0 * steps)) / (2 - e);
    }
}
