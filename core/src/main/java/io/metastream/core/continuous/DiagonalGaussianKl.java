package io.metastream.core.continuous;

import java.util.Arrays;

/**
 * Batch-averaged KL divergences between two parameter vectors p, q of the same
 * {@link GaussianMlpPolicy}: K(p, q) = (1/n) Σ_s KL(π_p(·|s) ‖ π_q(·|s)) with, per action
 * dimension (Δ = μ_p(s) − μ_q(s), ℓ = log σ),
 *
 * <pre>
 *   KL = ℓ_q − ℓ_p + (σ_p² + Δ²) / (2 σ_q²) − ½
 *   ∂/∂μ_p = Δ/σ_q²      ∂/∂ℓ_p = σ_p²/σ_q² − 1
 *   ∂/∂μ_q = −Δ/σ_q²     ∂/∂ℓ_q = 1 − (σ_p² + Δ²)/σ_q²
 * </pre>
 *
 * chained through the mean network by backpropagation. Both directions of BOMRL.md's table are
 * the same function with the arguments swapped: D₁(θ, φ) = KL(π_φ‖π_θ) = K(φ, θ) and
 * D₂(θ, φ) = KL(π_θ‖π_φ) = K(θ, φ). Observations are row-major n × obsDim.
 *
 * <p>Owns workspaces (and its own copy of the policy's network): not thread-safe.
 */
public final class DiagonalGaussianKl {

    private final GaussianMlpPolicy policy;
    private final TanhMlp mlp;
    private final int actDim;
    private final int ls;
    private final double[] muP;
    private final double[] muQ;
    private final double[] dMu;
    private final double[] meanSqDiff;

    public DiagonalGaussianKl(GaussianMlpPolicy policy) {
        this.policy = policy.copy();
        this.mlp = this.policy.network();
        this.actDim = policy.actDim();
        this.ls = policy.logStdOffset();
        this.muP = new double[actDim];
        this.muQ = new double[actDim];
        this.dMu = new double[actDim];
        this.meanSqDiff = new double[actDim];
    }

    /** K(p, q) = mean_s KL(π_p(·|s) ‖ π_q(·|s)). */
    public double value(double[] p, double[] q, double[] obs, int n) {
        check(p, q, obs, n);
        double sum = 0;
        for (int s = 0; s < n; s++) {
            means(p, q, obs, s, false);
            sum += pointKl(p, q);
        }
        return sum / n;
    }

    /** out = ∇_p K(p, q) (overwritten); returns K(p, q). */
    public double gradientFirst(double[] p, double[] q, double[] obs, int n, double[] out) {
        check(p, q, obs, n);
        policy.checkOut(out);
        Arrays.fill(out, 0);
        double sum = 0;
        for (int s = 0; s < n; s++) {
            means(p, q, obs, s, true); // network state left at p for backward
            sum += pointKl(p, q);
            for (int j = 0; j < actDim; j++) {
                double invVarQ = Math.exp(-2 * q[ls + j]);
                dMu[j] = (muP[j] - muQ[j]) * invVarQ / n;
            }
            mlp.backward(p, dMu, out);
        }
        for (int j = 0; j < actDim; j++) {
            out[ls + j] = Math.exp(2 * (p[ls + j] - q[ls + j])) - 1;
        }
        return sum / n;
    }

    /** out = ∇_q K(p, q) (overwritten); returns K(p, q). */
    public double gradientSecond(double[] p, double[] q, double[] obs, int n, double[] out) {
        check(p, q, obs, n);
        policy.checkOut(out);
        Arrays.fill(out, 0);
        double sum = 0;
        Arrays.fill(meanSqDiff, 0);
        for (int s = 0; s < n; s++) {
            means(p, q, obs, s, false); // network state left at q for backward
            sum += pointKl(p, q);
            for (int j = 0; j < actDim; j++) {
                double invVarQ = Math.exp(-2 * q[ls + j]);
                double delta = muP[j] - muQ[j];
                dMu[j] = -delta * invVarQ / n;
                meanSqDiff[j] += delta * delta / n;
            }
            mlp.backward(q, dMu, out);
        }
        for (int j = 0; j < actDim; j++) {
            double varP = Math.exp(2 * p[ls + j]);
            out[ls + j] = 1 - (varP + meanSqDiff[j]) * Math.exp(-2 * q[ls + j]);
        }
        return sum / n;
    }

    /**
     * The Fisher-vector product out = F v, F = ∇²_θ K(θ_old, θ) at θ = θ_old, in Gauss–Newton form
     * F = (1/n) Σ_s J_sᵀ diag(1/σ², 2) J_s with J_s = ∂(μ_θ(s), ℓ)/∂θ. Exact: at θ = θ_old the
     * terms with second derivatives of μ are multiplied by Δ = 0 (forward mode for J v, reverse
     * mode for Jᵀ). {@code out} is overwritten.
     */
    public void fisherVectorProduct(double[] thetaOld, double[] obs, int n, double[] v, double[] out) {
        check(thetaOld, thetaOld, obs, n);
        policy.checkOut(v);
        policy.checkOut(out);
        Arrays.fill(out, 0);
        for (int s = 0; s < n; s++) {
            mlp.forward(thetaOld, obs, s * policy.obsDim());
            double[] jv = mlp.jvp(thetaOld, v);
            for (int j = 0; j < actDim; j++) {
                dMu[j] = jv[j] * Math.exp(-2 * thetaOld[ls + j]) / n;
            }
            mlp.backward(thetaOld, dMu, out);
        }
        for (int j = 0; j < actDim; j++) {
            out[ls + j] = 2 * v[ls + j];
        }
    }

    /** Fills muP, muQ at observation s; the network's last forward is at p if {@code endAtP}, else at q. */
    private void means(double[] p, double[] q, double[] obs, int s, boolean endAtP) {
        int off = s * policy.obsDim();
        if (endAtP) {
            System.arraycopy(mlp.forward(q, obs, off), 0, muQ, 0, actDim);
            System.arraycopy(mlp.forward(p, obs, off), 0, muP, 0, actDim);
        } else {
            System.arraycopy(mlp.forward(p, obs, off), 0, muP, 0, actDim);
            System.arraycopy(mlp.forward(q, obs, off), 0, muQ, 0, actDim);
        }
    }

    private double pointKl(double[] p, double[] q) {
        double kl = 0;
        for (int j = 0; j < actDim; j++) {
            double lp = p[ls + j];
            double lq = q[ls + j];
            double delta = muP[j] - muQ[j];
            // σ_p²/σ_q² as exp(2(ℓ_p − ℓ_q)) so that K(p, p) is exactly 0
            kl += lq - lp + 0.5 * (Math.exp(2 * (lp - lq)) + delta * delta * Math.exp(-2 * lq)) - 0.5;
        }
        return kl;
    }

    private void check(double[] p, double[] q, double[] obs, int n) {
        policy.checkTheta(p);
        policy.checkTheta(q);
        policy.checkBatch(obs, n);
    }
}
