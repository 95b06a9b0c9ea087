package io.metastream.core.adapt;

import io.metastream.core.estimate.TabularEstimates;

/**
 * One task's lower-level problem Alg(π_φ, λ, τ) in tabular form: the meta-prior logits φ, the
 * data of the single collection with π_φ (Q or Â and ν, exact or sampled), and the penalty λ.
 * Arrays are row-major ({@code phi[s * nA + a]}); they are copied on the way in.
 */
public record TabularLowerLevel(TabularAlgorithm alg, int nS, int nA, double[] phi, double[] q, double[] nu,
                                double lambda) {

    public TabularLowerLevel {
        if (phi.length != nS * nA || q.length != nS * nA || nu.length != nS) {
            throw new IllegalArgumentException("lower-level shapes do not match nS=" + nS + ", nA=" + nA);
        }
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be positive and finite, got " + lambda);
        }
        phi = phi.clone();
        q = q.clone();
        nu = nu.clone();
    }

    /** The problem for meta-prior logits {@code phi} and one collection's estimates. */
    public static TabularLowerLevel of(TabularAlgorithm alg, double[] phi, TabularEstimates data, double lambda) {
        return new TabularLowerLevel(alg, data.nS(), data.nA(), phi, data.q(), data.nu(), lambda);
    }

    /** The same problem with another penalty (the constrained solver's multiplier). */
    public TabularLowerLevel withLambda(double newLambda) {
        return new TabularLowerLevel(alg, nS, nA, phi, q, nu, newLambda);
    }

    /** The surrogate weight of state s in its own problem: ν(s) for ALG3, 1 otherwise. */
    public double surrogateWeight(int s) {
        return alg.surrogateWeightedByVisitation() ? nu[s] : 1.0;
    }

    /** The weight of state s in the total divergence D(θ, φ) = Σ_s c_s D_s: ν(s) for the KL forms, 1 for ALG3. */
    public double divergenceWeight(int s) {
        return alg.surrogateWeightedByVisitation() ? 1.0 : nu[s];
    }

    /** State s's objective G_s. */
    public StateObjective state(int s) {
        return new StateObjective(alg.proximity(), row(phi, s), row(q, s), surrogateWeight(s), lambda);
    }

    /** Logits of state s from a row-major array. */
    public double[] row(double[] x, int s) {
        double[] r = new double[nA];
        System.arraycopy(x, s * nA, r, 0, nA);
        return r;
    }

    @Override
    public double[] phi() {
        return phi.clone();
    }

    @Override
    public double[] q() {
        return q.clone();
    }

    @Override
    public double[] nu() {
        return nu.clone();
    }
}
