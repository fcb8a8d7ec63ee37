package org.langevin.check;

/**
 * The two sides of an identity LHS = RHS measured on the same particles, and the mean of their paired
 * per-particle differences with its standard error (docs/theory.md §4).
 *
 * @param lhs mean of the left-hand side
 * @param rhs mean of the right-hand side
 * @param difference mean of LHS − RHS over particles, with its standard error
 */
public record PairedEstimate(double lhs, double rhs, Estimate difference) {
}
