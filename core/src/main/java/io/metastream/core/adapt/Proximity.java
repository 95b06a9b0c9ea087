package io.metastream.core.adapt;

/**
 * The proximity term D of one state, D_s(θ_s, φ_s), between the logits θ_s of the adapted policy
 * and φ_s of the meta-prior (BOMRL.md table), with the derivatives implicit differentiation
 * needs. Arrays hold the {@code n} logits of one state; {@code pTheta} and {@code pPhi} are their
 * softmax probabilities. Matrices are row-major n × n.
 */
public interface Proximity {

    double value(double[] theta, double[] phi, double[] pTheta, double[] pPhi);

    /** ∇_θ D_s. */
    void gradTheta(double[] theta, double[] phi, double[] pTheta, double[] pPhi, double[] out);

    /** ∇_φ D_s (needed by the KKT hypergradient's constraint row). */
    void gradPhi(double[] theta, double[] phi, double[] pTheta, double[] pPhi, double[] out);

    /** ∇²_θθ D_s. */
    void hessThetaTheta(double[] theta, double[] phi, double[] pTheta, double[] pPhi, double[] out);

    /** ∂(∇_θ D_s)_b / ∂φ_c at out[b * n + c]. */
    void hessThetaPhi(double[] theta, double[] phi, double[] pTheta, double[] pPhi, double[] out);

    /** True when D_s(θ_s + c·1, φ_s) = D_s(θ_s, φ_s): the softmax gauge is then a null direction. */
    boolean shiftInvariant();
}
