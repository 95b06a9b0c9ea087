package io.metastream.core.continuous;

/**
 * Settings of the continuous hypergradient's linear solve H x = g (BOMRL.md §Hypergradient step 3).
 *
 * @param cgIterations conjugate-gradient iterations (&gt; 0; the paper uses 10)
 * @param cgDamping    c ≥ 0, the Tikhonov term: CG runs on H + c I. Keeps the solve well posed in the
 *                     flat directions of an over-parameterised network (where the KL's Hessian is singular)
 */
public record HypergradientConfig(int cgIterations, double cgDamping) {

    public HypergradientConfig {
        if (cgIterations <= 0) {
            throw new IllegalArgumentException("cgIterations must be positive, got " + cgIterations);
        }
        if (!(cgDamping >= 0) || !Double.isFinite(cgDamping)) {
            throw new IllegalArgumentException("cgDamping must be ≥ 0 and finite, got " + cgDamping);
        }
    }

    /**
     * 10 CG iterations, damping 1e-5: the paper's iteration count; the damping is the same value
     * {@link TrpoStep.Config#defaults} uses for its Fisher solve (the paper does not state one; with only
     * 10 iterations the truncation itself is the main regulariser).
     */
    public static HypergradientConfig paper() {
        return new HypergradientConfig(10, 1e-5);
    }
}
