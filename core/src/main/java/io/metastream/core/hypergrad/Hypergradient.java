package io.metastream.core.hypergrad;

/**
 * A per-task hypergradient estimator: given a solved lower level θ*(φ) and the outer gradient
 * g = ∇_θ J_τ(θ*), it returns an estimate of ∇_φ J_τ(θ*(φ)) = (dθ* /dφ)ᵀ g (BOMRL.md,
 * "Hypergradient"). The tabular and the continuous lower levels plug in their own {@code P}.
 *
 * @param <P> the solved lower-level problem
 */
public interface Hypergradient<P> {

    double[] metaGradient(P solved, double[] outerGradient);
}
