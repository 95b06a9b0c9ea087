package io.metastream.core.hypergrad;

/**
 * The approximation dθ* /dφ ≈ I used by the paper's authors on Frozen Lake: the meta-gradient is
 * the outer gradient itself, ν(s) π_θ(a|s) A^{π_θ}(s,a) / (1 − γ) in the tabular case.
 */
public final class IdentityHypergradient<P> implements Hypergradient<P> {

    @Override
    public double[] metaGradient(P solved, double[] outerGradient) {
        return outerGradient.clone();
    }
}
