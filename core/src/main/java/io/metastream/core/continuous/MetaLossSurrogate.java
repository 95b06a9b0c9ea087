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

    private final ContinuousLowerLevel lowerLevel;
    private final List<Term> terms;
    private final double[] work;

    public MetaLossSurrogate(ContinuousLowerLevel lowerLevel, List<Term> terms) {
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
        this.lowerLevel = lowerLevel;
        this.terms = List.copyOf(terms);
        this.work = new double[d];
    }

    @Override
    public double value(double[] phi) {
        double sum = 0;
        for (Term term : terms) {
            lowerLevel.proximityGradientTheta(term.theta(), phi, term.states(), work);
            sum -= ConjugateGradient.dot(term.cgSolution(), work);
        }
        return sum / terms.size();
    }

    @Override
    public void gradient(double[] phi, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (Term term : terms) {
            lowerLevel.proximityMixedProduct(term.theta(), phi, term.states(), term.cgSolution(), work);
            for (int i = 0; i < out.length; i++) {
                out[i] -= work[i];
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= terms.size();
        }
    }
}
