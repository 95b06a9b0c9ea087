package io.metastream.core.continuous;

import java.util.Arrays;

/**
 * The per-row implementations that {@link GaussianMlpPolicy}'s batch methods, {@link DiagonalGaussianKl} and
 * {@link ScoreFunctionCalculus} replaced by block passes ({@link TanhMlpBatch}): one {@link TanhMlp} forward
 * (and backward / jvp) per row, kept verbatim as the references of {@link BatchedPassesMatchPerRowTest}.
 * Observations and actions are row-major; every method uses its own copy of the policy's network.
 */
final class PerRowReference {

    private final GaussianMlpPolicy policy;
    private final TanhMlp mlp;
    private final int obsDim;
    private final int actDim;
    private final int ls;

    PerRowReference(GaussianMlpPolicy policy) {
        this.policy = policy.copy();
        this.mlp = this.policy.network();
        this.obsDim = policy.obsDim();
        this.actDim = policy.actDim();
        this.ls = policy.logStdOffset();
    }

    /** Σ_i w_i ∇ log π_θ(a_i|s_i), one {@link GaussianMlpPolicy#gradLogProb} per row. */
    double[] surrogateGradient(double[] theta, double[] obs, double[] actions, double[] weights, int n) {
        double[] out = new double[theta.length];
        double[] one = new double[theta.length];
        for (int i = 0; i < n; i++) {
            policy.gradLogProb(theta, obs(obs, i), action(actions, i), one);
            for (int k = 0; k < out.length; k++) {
                out[k] += weights[i] * one[k];
            }
        }
        return out;
    }

    /** log π_θ(a_i|s_i) per row, one {@link GaussianMlpPolicy#logProb} per row. */
    double[] logProbs(double[] theta, double[] obs, double[] actions, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = policy.logProb(theta, obs(obs, i), action(actions, i));
        }
        return out;
    }

    /** Σ_i w_i log π_θ(a_i|s_i). */
    double surrogate(double[] theta, double[] obs, double[] actions, double[] weights, int n) {
        double[] lp = logProbs(theta, obs, actions, n);
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += weights[i] * lp[i];
        }
        return s;
    }

    /** K(p, q) = mean_s KL(π_p(·|s) ‖ π_q(·|s)). */
    double klValue(double[] p, double[] q, double[] obs, int n) {
        double sum = 0;
        for (int s = 0; s < n; s++) {
            double[] muP = mlp.forward(p, obs, s * obsDim).clone();
            double[] muQ = mlp.forward(q, obs, s * obsDim).clone();
            sum += pointKl(p, q, muP, muQ);
        }
        return sum / n;
    }

    /** ∇_p K(p, q). */
    double[] klGradientFirst(double[] p, double[] q, double[] obs, int n) {
        double[] out = new double[p.length];
        double[] dMu = new double[actDim];
        for (int s = 0; s < n; s++) {
            double[] muQ = mlp.forward(q, obs, s * obsDim).clone();
            double[] muP = mlp.forward(p, obs, s * obsDim).clone();
            for (int j = 0; j < actDim; j++) {
                dMu[j] = (muP[j] - muQ[j]) * Math.exp(-2 * q[ls + j]) / n;
            }
            mlp.backward(p, dMu, out);
        }
        for (int j = 0; j < actDim; j++) {
            out[ls + j] = Math.exp(2 * (p[ls + j] - q[ls + j])) - 1;
        }
        return out;
    }

    /** ∇_q K(p, q). */
    double[] klGradientSecond(double[] p, double[] q, double[] obs, int n) {
        double[] out = new double[p.length];
        double[] dMu = new double[actDim];
        double[] meanSqDiff = new double[actDim];
        for (int s = 0; s < n; s++) {
            double[] muP = mlp.forward(p, obs, s * obsDim).clone();
            double[] muQ = mlp.forward(q, obs, s * obsDim).clone();
            for (int j = 0; j < actDim; j++) {
                double delta = muP[j] - muQ[j];
                dMu[j] = -delta * Math.exp(-2 * q[ls + j]) / n;
                meanSqDiff[j] += delta * delta / n;
            }
            mlp.backward(q, dMu, out);
        }
        for (int j = 0; j < actDim; j++) {
            out[ls + j] = 1 - (Math.exp(2 * p[ls + j]) + meanSqDiff[j]) * Math.exp(-2 * q[ls + j]);
        }
        return out;
    }

    /** F v = (1/n) Σ_s J_sᵀ diag(1/σ², 2) J_s v at θ_old. */
    double[] fisherVectorProduct(double[] thetaOld, double[] obs, int n, double[] v) {
        double[] out = new double[thetaOld.length];
        double[] dMu = new double[actDim];
        for (int s = 0; s < n; s++) {
            mlp.forward(thetaOld, obs, s * obsDim);
            double[] jv = mlp.jvp(thetaOld, v);
            for (int j = 0; j < actDim; j++) {
                dMu[j] = jv[j] * Math.exp(-2 * thetaOld[ls + j]) / n;
            }
            mlp.backward(thetaOld, dMu, out);
        }
        for (int j = 0; j < actDim; j++) {
            out[ls + j] = 2 * v[ls + j];
        }
        return out;
    }

    /** (1/n) Σ_i Â_i ∇lp_i (∇lp_i · v) with exact per-row score vectors. */
    double[] scoreOuterProduct(double[] theta, ContinuousBatch batch, double[] v) {
        int n = batch.n();
        double[] out = new double[theta.length];
        double[] score = new double[theta.length];
        for (int i = 0; i < n; i++) {
            policy.gradLogProb(theta, obs(batch.obs(), i), action(batch.actions(), i), score);
            double sv = 0;
            for (int k = 0; k < score.length; k++) {
                sv += score[k] * v[k];
            }
            double c = batch.advantages()[i] * sv / n;
            for (int k = 0; k < score.length; k++) {
                out[k] += c * score[k];
            }
        }
        return out;
    }

    private double pointKl(double[] p, double[] q, double[] muP, double[] muQ) {
        double kl = 0;
        for (int j = 0; j < actDim; j++) {
            double lp = p[ls + j];
            double lq = q[ls + j];
            double delta = muP[j] - muQ[j];
            kl += lq - lp + 0.5 * (Math.exp(2 * (lp - lq)) + delta * delta * Math.exp(-2 * lq)) - 0.5;
        }
        return kl;
    }

    private double[] obs(double[] obs, int i) {
        return Arrays.copyOfRange(obs, i * obsDim, (i + 1) * obsDim);
    }

    private double[] action(double[] actions, int i) {
        return Arrays.copyOfRange(actions, i * actDim, (i + 1) * actDim);
    }
}
