package io.metastream.core.policy;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The tabular softmax policy π_θ(a|s) = exp θ[s,a] / Σ_b exp θ[s,b] with logits θ ∈ R^{|S|×|A|}
 * stored row-major ({@code theta[s * nA + a]}). Immutable; the logits are defensively copied.
 * Adding a constant to one state's row does not change the policy (the softmax gauge).
 */
public final class TabularSoftmaxPolicy {

    private final int nS;
    private final int nA;
    private final double[] theta;
    private final double[] probs;

    public TabularSoftmaxPolicy(int nS, int nA, double[] theta) {
        if (theta.length != nS * nA) {
            throw new IllegalArgumentException("expected " + nS + "x" + nA + " logits, got " + theta.length);
        }
        for (double v : theta) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("policy logits must be finite, got " + v);
            }
        }
        this.nS = nS;
        this.nA = nA;
        this.theta = theta.clone();
        this.probs = probabilities(this.theta, nS, nA);
    }

    /** A policy with every logit equal to {@code value} (uniform). */
    public static TabularSoftmaxPolicy constant(int nS, int nA, double value) {
        double[] t = new double[nS * nA];
        Arrays.fill(t, value);
        return new TabularSoftmaxPolicy(nS, nA, t);
    }

    /** Row-wise softmax of row-major logits, computed stably. */
    public static double[] probabilities(double[] theta, int nS, int nA) {
        double[] p = new double[nS * nA];
        for (int s = 0; s < nS; s++) {
            softmaxRow(theta, s * nA, nA, p);
        }
        return p;
    }

    /** Softmax of {@code x[off .. off+n)} into {@code out[off .. off+n)}. */
    public static void softmaxRow(double[] x, int off, int n, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < n; a++) {
            max = Math.max(max, x[off + a]);
        }
        double z = 0;
        for (int a = 0; a < n; a++) {
            double e = Math.exp(x[off + a] - max);
            out[off + a] = e;
            z += e;
        }
        for (int a = 0; a < n; a++) {
            out[off + a] /= z;
        }
    }

    /** Draws an action in state {@code s} by inverse CDF with one uniform draw. */
    public int sample(int s, RandomGenerator rng) {
        double u = rng.nextDouble();
        int base = s * nA;
        double c = 0;
        for (int a = 0; a < nA - 1; a++) {
            c += probs[base + a];
            if (u < c) {
                return a;
            }
        }
        return nA - 1;
    }

    public double prob(int s, int a) {
        return probs[s * nA + a];
    }

    public double logProb(int s, int a) {
        return Math.log(probs[s * nA + a]);
    }

    /** π(a|s) row-major, a copy. */
    public double[] probabilities() {
        return probs.clone();
    }

    /** The logits, a copy. */
    public double[] theta() {
        return theta.clone();
    }

    public int nStates() {
        return nS;
    }

    public int nActions() {
        return nA;
    }
}
