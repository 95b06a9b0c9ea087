package io.metastream.core.adapt;

import io.metastream.core.policy.TabularSoftmaxPolicy;

/**
 * One state's lower-level objective (minimised):
 *
 * <pre>  G_s(θ_s) = −(w/λ) Σ_a π_θ(a|s) q(s,a) + D_s(θ_s, φ_s)</pre>
 *
 * with w = ν(s) for ALG3 and w = 1 otherwise (see {@link TabularAlgorithm}), and the derivatives
 * used by the Newton solvers and by implicit differentiation. All arrays have the state's
 * {@code n} actions; matrices are row-major n × n.
 */
public final class StateObjective {

    private final Proximity proximity;
    private final double[] phi;
    private final double[] pPhi;
    private final double[] q;
    private final double w;
    private final double lambda;
    private final int n;

    public StateObjective(Proximity proximity, double[] phi, double[] q, double w, double lambda) {
        if (!(lambda > 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda must be positive and finite, got " + lambda);
        }
        this.proximity = proximity;
        this.phi = phi.clone();
        this.q = q.clone();
        this.w = w;
        this.lambda = lambda;
        this.n = phi.length;
        this.pPhi = probs(phi);
    }

    static double[] probs(double[] logits) {
        double[] p = new double[logits.length];
        TabularSoftmaxPolicy.softmaxRow(logits, 0, logits.length, p);
        return p;
    }

    public int n() {
        return n;
    }

    public double[] phi() {
        return phi.clone();
    }

    public double[] pPhi() {
        return pPhi.clone();
    }

    public Proximity proximity() {
        return proximity;
    }

    public double value(double[] theta) {
        double[] pt = probs(theta);
        return -(w / lambda) * SoftmaxCalculus.surrogate(pt, q) + proximity.value(theta, phi, pt, pPhi);
    }

    /** ∇_θ G_s. */
    public double[] gradient(double[] theta) {
        double[] pt = probs(theta);
        double[] gs = new double[n];
        double[] gd = new double[n];
        SoftmaxCalculus.surrogateGrad(pt, q, gs);
        proximity.gradTheta(theta, phi, pt, pPhi, gd);
        for (int b = 0; b < n; b++) {
            gd[b] -= (w / lambda) * gs[b];
        }
        return gd;
    }

    /** ∇²_θθ G_s. */
    public double[] hessian(double[] theta) {
        double[] pt = probs(theta);
        double[] hs = new double[n * n];
        double[] hd = new double[n * n];
        SoftmaxCalculus.surrogateHess(pt, q, hs);
        proximity.hessThetaTheta(theta, phi, pt, pPhi, hd);
        for (int i = 0; i < n * n; i++) {
            hd[i] -= (w / lambda) * hs[i];
        }
        return hd;
    }

    /** ∂(∇_θ G_s)_b / ∂φ_c: the direct dependence through π_φ in D. */
    public double[] mixedPhi(double[] theta) {
        double[] out = new double[n * n];
        proximity.hessThetaPhi(theta, phi, probs(theta), pPhi, out);
        return out;
    }

    /** ∂(∇_θ G_s)_b / ∂q_c = −(w/λ) π_b(δ_bc − π_c). */
    public double[] mixedQ(double[] theta) {
        double[] out = new double[n * n];
        SoftmaxCalculus.jacobian(probs(theta), out);
        for (int i = 0; i < out.length; i++) {
            out[i] *= -(w / lambda);
        }
        return out;
    }

    /** ∂(∇_θ G_s)_b / ∂w = −(1/λ) ∇S_b. */
    public double[] mixedWeight(double[] theta) {
        double[] out = new double[n];
        SoftmaxCalculus.surrogateGrad(probs(theta), q, out);
        for (int b = 0; b < n; b++) {
            out[b] *= -1 / lambda;
        }
        return out;
    }

    /** ∂(∇_θ G_s)_b / ∂λ = (w/λ²) ∇S_b (for the KKT system, where λ plays the multiplier). */
    public double[] mixedLambda(double[] theta) {
        double[] out = new double[n];
        SoftmaxCalculus.surrogateGrad(probs(theta), q, out);
        for (int b = 0; b < n; b++) {
            out[b] *= w / (lambda * lambda);
        }
        return out;
    }

    /** D_s(θ_s, φ_s). */
    public double divergence(double[] theta) {
        return proximity.value(theta, phi, probs(theta), pPhi);
    }

    /** ∇_θ D_s. */
    public double[] divergenceGradTheta(double[] theta) {
        double[] out = new double[n];
        proximity.gradTheta(theta, phi, probs(theta), pPhi, out);
        return out;
    }

    /** ∇_φ D_s. */
    public double[] divergenceGradPhi(double[] theta) {
        double[] out = new double[n];
        proximity.gradPhi(theta, phi, probs(theta), pPhi, out);
        return out;
    }
}
