package org.langevin.check;

/** The outcome of a claim: its data agree with it within the run's threshold, or they do not. */
public enum Verdict {
    /** |z| within the threshold: the data do not contradict the claim. */
    CONFIRMED("confirmed"),
    /** |z| beyond the threshold: the data contradict the claim. */
    REFUTED("refuted");

    /** Name in the table and in checks.json. */
    public final String label;

    Verdict(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
