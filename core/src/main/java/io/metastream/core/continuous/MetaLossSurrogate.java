package io.metastream.core.continuous;

import java.util.List;

/**
 * The meta-loss whose gradient is the averaged hypergradient, for the TRPO meta-step's line search
 * (BOMRL.md §Meta-update): with each task's θ*_τ and CG solution x_τ frozen,
 *
 * <pre>
 *   M(φ) = mean_τ [ −x_τ · ∇_θ D(θ*_τ, φ) ],   ∇_φ M(φ) = mean_τ [ −∇²_φθ D(θ*_τ, φ) x_τ ]
 * </pre>
 *
 * with D evaluated on task τ's states (only {@code obs} of each term's batch is used). At φ = φ_old
 * (and the same states) ∇M equals the mean of {@link ContinuousHypergradient.Result#metaGradient()}.
 * The terms are computed on up to {@link Parallel#THREADS} threads (one lower level per thread, the given one
 * on the calling thread), each into its own slot, and combined in term order: the same bits as one thread.
 * Not thread-safe (uses the lower level's workspaces).
 */
public final class MetaLossSurrogate implements ScalarObjective {

    /** One task's frozen pieces: θ*_τ, x_τ and the states D is averaged over. */
    public record Term(double[] theta, double[] cgSolution, ContinuousBatch states) {
        public Term {
            if (theta == null || cgSolution == null || states == null) {
                throw new IllegalArgumentException("theta, cgSolution and states must not be null");
            }
            if (theta.length != cgSolution.length) {
                throw new IllegalArgumentException("theta has length " + theta.length + " but cgSolution has " + cgSolution.length);
            }
            theta = theta.clone();
            cgSolution = cgSolution.clone();
        }
    }

    private final ContinuousLowerLevel[] lowerLevels;
    private final List<Term> terms;
    private final double[] values;
    private final double[][] work;

    public MetaLossSurrogate(ContinuousLowerLevel lowerLevel, List<Term> terms) {
        this(lowerLevel, terms, Parallel.THREADS);
    }

    /** As above on up to {@code threads} threads (the result does not depend on it). */
    MetaLossSurrogate(ContinuousLowerLevel lowerLevel, List<Term> terms, int threads) {
        if (lowerLevel == null || terms == null || terms.isEmpty()) {
            throw new IllegalArgumentException("need a lower level and at least one term");
        }
        int d = lowerLevel.policy().parameterCount();
        for (int t = 0; t < terms.size(); t++) {
            Term term = terms.get(t);
            if (term.theta().length != d) {
                throw new IllegalArgumentException("term " + t + ": expected θ of length " + d + ", got " + term.theta().length);
            }
            term.states().checkCompatible(lowerLevel.policy());
        }
        this.terms = List.copyOf(terms);
        this.lowerLevels = new ContinuousLowerLevel[Math.max(1, Math.min(threads, terms.size()))];
        this.lowerLevels[0] = lowerLevel;
        for (int w = 1; w < lowerLevels.length; w++) {
            lowerLevels[w] = new ContinuousLowerLevel(lowerLevel.policy().copy(), lowerLevel.config());
        }
        this.values = new double[terms.size()];
        this.work = new double[terms.size()][d];
    }

    @Override
    public double value(double[] phi) {
        Parallel.run(terms.size(), lowerLevels.length, (worker, t) -> {
            Term term = terms.get(t);
            lowerLevels[worker].proximityGradientTheta(term.theta(), phi, term.states(), work[t]);
            values[t] = ConjugateGradient.dot(term.cgSolution(), work[t]);
        });
        double sum = 0;
        for (double v : values) {
            sum -= v;
        }
        return sum / terms.size();
    }

    @Override
    public void gradient(double[] phi, double[] out) {
        Parallel.run(terms.size(), lowerLevels.length, (worker, t) -> {
            Term term = terms.get(t);
            lowerLevels[worker].proximityMixedProduct(term.theta(), phi, term.states(), term.cgSolution(), work[t]);
        });
        java.util.Arrays.fill(out, 0);
        for (double[] w : work) {
            for (int i = 0; i < out.length; i++) {
                out[i] -= w[i];
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= terms.size();
        }
    }
}
